// Example: greet a returning user by the name stored in a JSON file; ask for it on the first
// run. The save goes through dump_file, so an interrupted save never loses a stored name.
// SPDX-License-Identifier: MIT
#include <filesystem>
#include <iostream>
#include <pyjson.hpp>
#include <string>

int main(int argc, char** argv) {
  const std::filesystem::path filename = argc > 1 ? argv[1] : "username.json";
  try {
    if (std::filesystem::exists(filename)) {
      pyjson::value stored = pyjson::load_file(filename);
      if (stored.is_string()) {
        std::cout << "Welcome back, " << stored.get<std::string>() << "!\n";
        return 0;
      }
      std::cerr << "remember_me: " << filename.string() << " does not hold a name; asking again\n";
    }
    std::cout << "What is your name? " << std::flush;
    std::string username;
    if (!std::getline(std::cin, username) || username.empty()) {
      std::cerr << "\nremember_me: no name given, nothing stored\n";
      return 1;
    }
    pyjson::dump_file(filename, pyjson::value(username));
    std::cout << "We'll remember you when you come back, " << username << "!\n";
  } catch (const pyjson::error& e) {
    std::cerr << "remember_me: " << e.what() << "\n";
    return 1;
  }
}
