// Hostile inputs shared by the hostile unit tests (tests/hostile_test.cpp) and the measuring
// program (tests/hostile/measure.cpp): texts built by repetition, and a recursive type whose
// variant cannot tell its alternatives apart before their last member.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hostile {

/// `unit` n times.
inline std::string repeat(std::string_view unit, std::size_t n) {
  std::string s;
  s.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

/// n bytes of printable ASCII without '"' and '\\' (every byte a string scan copies as is),
/// the same block repeated.
inline std::string ascii_run(std::size_t n) {
  std::string block;
  for (char c = ' '; c <= '~'; ++c)
    if (c != '"' && c != '\\') block += c;
  std::string s;
  s.reserve(n);
  while (s.size() + block.size() <= n) s += block;
  s.append(block, 0, n - s.size());
  return s;
}

/// A JSON object text with one member per key, valued by its index: {"k0": 0, "k1": 1, ...}.
template <class KeyOf>
std::string object_text(std::size_t n, KeyOf&& key_of) {
  std::string s = "{";
  s.reserve(n * 16);
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += '"';
    s += key_of(i);
    s += "\": ";
    s += std::to_string(i);
  }
  s += '}';
  return s;
}

struct node;
struct node_a {
  std::vector<node> kids;
  int a = 0;
};
struct node_b {
  std::vector<node> kids;
  int b = 0;
};
/// Each level is a node_b, which the variant finds only after node_a failed on the whole level.
struct node {
  std::variant<node_a, node_b> v;
};

/// `depth` levels of {"v": {"kids": [...], "b": 1}}.
inline std::string variant_nest(std::size_t depth) {
  return repeat(R"({"v": {"kids": [)", depth) + repeat(R"(], "b": 1}})", depth);
}

}  // namespace hostile
