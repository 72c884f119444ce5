// Compile-time benchmark: the same work with nlohmann/json (Debian: nlohmann-json3-dev).
// SPDX-License-Identifier: MIT
#include <nlohmann/json.hpp>

#include "common.hpp"

// nlohmann/json 3.11 maps std::optional only through a user serializer.
template <class T>
struct nlohmann::adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& o) {
    if (o)
      j = *o;
    else
      j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& o) {
    if (j.is_null())
      o.reset();
    else
      o = j.get<T>();
  }
};

namespace bench {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(address, street, zip)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(user, name, age, score, active, ids, email, addresses, ratings)

std::string dynamic_round_trip(std::string_view text) {
  nlohmann::json v = nlohmann::json::parse(text);
  return v.dump() + v.dump(2);  // nlohmann's objects are sorted maps already
}

std::string typed_round_trip(std::string_view text) {
  return nlohmann::json(nlohmann::json::parse(text).get<user>()).dump();
}

}  // namespace bench
