// Compile-time benchmark, the floor: the same standard headers and the same functions, with no
// JSON library (the bodies only copy the text).
// SPDX-License-Identifier: MIT
#include "common.hpp"

namespace bench {

std::string dynamic_round_trip(std::string_view text) { return std::string(text); }

std::string typed_round_trip(std::string_view text) {
  user u{std::string(text), 0, 0.0, false, {}, std::nullopt, {}, {}};
  return u.name;
}

}  // namespace bench
