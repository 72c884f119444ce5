// The README's quick start, checked: what the README promises is what the code does.
// SPDX-License-Identifier: MIT
#include <filesystem>
#include <pyjson.hpp>
#include <string>

#include "catch.hpp"

TEST_CASE("readme: quick start") {
  pyjson::value v = pyjson::loads(R"({"name": "Felix", "scores": [1, 2.5]})");
  CHECK(pyjson::dumps(v, {.indent = 4, .sort_keys = true}) ==
        "{\n    \"name\": \"Felix\",\n    \"scores\": [\n        1,\n        2.5\n    ]\n}");

  pyjson::value user = {{"name", "Ada"}, {"age", 36}, {"langs", {"en", "fr"}}};
  user["email"] = nullptr;
  user["langs"].push_back("de");
  std::string text = pyjson::dumps(user);
  CHECK(text == R"({"name": "Ada", "age": 36, "langs": ["en", "fr", "de"], "email": null})");
  pyjson::value back = pyjson::loads(text);
  CHECK(back["age"].get<int>() == 36);
  std::string keys;
  for (auto& [key, val] : back.items()) keys += std::string(key) + ";";
  CHECK(keys == "name;age;langs;email;");

  auto path = std::filesystem::temp_directory_path() / "pyjson-readme-user.json";
  pyjson::dump_file(path, back, {.indent = 2});
  CHECK(pyjson::load_file(path) == back);
  std::filesystem::remove(path);

  CHECK_THROWS_WITH(pyjson::loads("[1, 2,]"), "Expecting value: line 1 column 7 (char 6)");
  CHECK(pyjson::dumps(v, {.ensure_ascii = false, .separators = {",", ":"}}) ==
        R"({"name":"Felix","scores":[1,2.5]})");
}
