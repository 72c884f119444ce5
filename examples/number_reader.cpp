// Example: read numbers.json back (Python: numbers = json.load(f); print(numbers)).
// SPDX-License-Identifier: MIT
#include <iostream>
#include <pyjson.hpp>

int main(int argc, char** argv) {
  const char* filename = argc > 1 ? argv[1] : "numbers.json";
  try {
    pyjson::value numbers = pyjson::load_file(filename);
    std::cout << numbers << "\n";  // [2, 3, 5, 7, 11, 13]
    long long sum = 0;
    for (const pyjson::value& n : numbers) sum += n.get<long long>();
    std::cout << "Their sum is " << sum << "\n";
  } catch (const pyjson::decode_error& e) {
    std::cerr << "number_reader: " << filename << " is not valid JSON: " << e.what() << "\n";
    return 1;
  } catch (const pyjson::error& e) {  // a missing file, or numbers that are not integers
    std::cerr << "number_reader: " << e.what() << "\n";
    return 1;
  }
}
