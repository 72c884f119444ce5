// The README's quick start, checked: what the README promises is what the code does.
// SPDX-License-Identifier: MIT
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <vector>

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

namespace readme {
struct address {
  std::string street;
  int zip;
};
struct user {
  std::string name;
  int age;
  std::optional<std::string> email;
  std::vector<address> addresses;
};
struct rgb {
  unsigned char r, g, b;
};
}  // namespace readme

template <>
struct pyjson::traits<readme::rgb> {
  static void write(pyjson::writer& w, const readme::rgb& c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    w.write_string(buf);
  }
  static void read(pyjson::reader& r, readme::rgb& c) {
    const char* at = r.position();
    std::string_view s = r.read_string();
    unsigned v = 0;
    if (s.size() != 7 || s[0] != '#' || std::sscanf(std::string(s).c_str() + 1, "%6x", &v) != 1)
      r.fail_at("expected a color like \"#ff8000\", found \"" + std::string(s) + "\"", at);
    c = {static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 8),
         static_cast<unsigned char>(v)};
  }
};

TEST_CASE("readme: typed section") {
  using readme::user;
  user u = pyjson::loads<user>(
      R"({"name": "Ada", "age": 36, "addresses": [{"street": "Main St", "zip": 12345}]})");
  CHECK(
      pyjson::dumps(u) ==
      R"({"name": "Ada", "age": 36, "email": null, "addresses": [{"street": "Main St", "zip": 12345}]})");
  CHECK(pyjson::loads<std::vector<int>>("[2, 3, 5, 7, 11, 13]").size() == 6);
  CHECK(pyjson::loads<std::map<std::string, double>>(R"({"ada": 9.5})").at("ada") == 9.5);
  CHECK_THROWS_WITH(
      pyjson::loads<user>(
          R"({"name": "Ada", "age": 36, "addresses": [{"street": "x", "zip": 1}, {"street": "y", "zip": "12"}]})"),
      "$.addresses[1].zip: expected int32, found string: line 1 column 92 (char 91)");

  std::vector<readme::rgb> colors = pyjson::loads<std::vector<readme::rgb>>(R"(["#ff8000"])");
  CHECK(colors.at(0).r == 255);
  CHECK(colors.at(0).g == 128);
  CHECK(pyjson::dumps(colors) == R"(["#ff8000"])");
  CHECK_THROWS_WITH(
      pyjson::loads<std::vector<readme::rgb>>(R"(["red"])"),
      R"($[0]: expected a color like "#ff8000", found "red": line 1 column 2 (char 1))");
}
