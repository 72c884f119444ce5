// Example: store a list of numbers in numbers.json (Python: json.dump(numbers, f)).
// SPDX-License-Identifier: MIT
#include <iostream>
#include <pyjson.hpp>

int main(int argc, char** argv) {
  const char* filename = argc > 1 ? argv[1] : "numbers.json";
  pyjson::value numbers = {2, 3, 5, 7, 11, 13};
  try {
    pyjson::dump_file(filename, numbers);  // a failed save leaves any old file whole
  } catch (const pyjson::error& e) {
    std::cerr << "number_writer: " << e.what() << "\n";
    return 1;
  }
  std::cout << "Stored " << pyjson::dumps(numbers) << " in " << filename << "\n";
}
