// Compile-time benchmark: the C++ types both translation units map to JSON, written once so the
// two libraries compile the same work. Only standard headers here.
// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct address {
  std::string street;
  int zip;
};

struct user {
  std::string name;
  int age;
  double score;
  bool active;
  std::vector<int> ids;
  std::optional<std::string> email;
  std::vector<address> addresses;
  std::map<std::string, double> ratings;
};

// Each translation unit defines these with its library.
std::string dynamic_round_trip(std::string_view text);  // dumps(loads(text)), pretty too
std::string typed_round_trip(std::string_view text);    // dumps(loads<user>(text))

}  // namespace bench
