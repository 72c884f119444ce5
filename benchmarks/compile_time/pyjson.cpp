// Compile-time benchmark: dumps/loads of a dynamic value and of a struct with pyjson.
// SPDX-License-Identifier: MIT
#include <pyjson.hpp>

#include "common.hpp"

namespace bench {

std::string dynamic_round_trip(std::string_view text) {
  pyjson::value v = pyjson::loads(text);
  return pyjson::dumps(v) + pyjson::dumps(v, {.indent = 2, .sort_keys = true});
}

// Aggregates map by reflection: nothing to declare.
std::string typed_round_trip(std::string_view text) {
  return pyjson::dumps(pyjson::loads<user>(text));
}

}  // namespace bench
