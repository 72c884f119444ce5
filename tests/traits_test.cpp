// Tests of typed reading and writing through pyjson::traits<T>: every built-in mapping in both
// directions, user mappings, and the type errors with their paths and positions.
// SPDX-License-Identifier: MIT
#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <deque>
#include <forward_list>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <pyjson.hpp>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "catch.hpp"

namespace {

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
bool operator==(const address& a, const address& b) {
  return a.street == b.street && a.zip == b.zip;
}
bool operator==(const user& a, const user& b) {
  return a.name == b.name && a.age == b.age && a.email == b.email && a.addresses == b.addresses;
}

enum class color { red, green = 5, blue };
enum class level : std::uint8_t { low = 1, high = 200 };

struct renamed {
  std::string zip_code;
  int cache = 0;
  int kept = 0;
};

class point {  // not an aggregate: private members, a constructor
 public:
  point() = default;
  point(double x, double y) : x_(x), y_(y) {}
  double x() const { return x_; }
  double y() const { return y_; }

 private:
  friend struct pyjson::traits<point>;
  double x_ = 0, y_ = 0;
};

struct celsius {
  double degrees = 0;
};
// Reads each string of an array into one std::string, keeping what it held after each.
struct one_string_many_reads {
  std::string text;
  std::vector<std::string> held;
};

// A field list that is const but not constexpr: read at run time.
struct runtime_fields {
  double x = 0;
  std::string name;
};

struct tree {
  std::string name;
  std::vector<tree> children;
};

struct odd_keys {  // keys that JSON spells with escapes, or with bytes beyond ASCII
  int quote = 0, accent = 0, plain = 0;
  std::optional<int> backslash;
};

// Plain names of 0, 14, 15, 16, 30 and 31 bytes, written with no look at them: those of up to
// 30 bytes from a 32-byte quoted copy (the 30-byte one fills it), the 31-byte one by length.
struct name_lengths {
  int empty = 0, fifteen = 0, sixteen = 0, thirty_one = 0, fourteen = 0, thirty = 0;
};

// Names that agree in length, first and last byte: "abc" and "axc"; long names of 255, 256 and
// 300 bytes ('k', then 'm' or 'n' up to byte 253, then 'z' to the end), so the 256-byte name
// starts with the whole 255-byte one. A field renamed after it was skipped stays skipped.
template <std::size_t N, char Middle>
constexpr std::array<char, N> long_name = [] {
  std::array<char, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = i == 0 ? 'k' : i < 254 ? Middle : 'z';
  return a;
}();
template <std::size_t N, char Middle>
constexpr std::string_view long_name_view{long_name<N, Middle>.data(), N};
struct lookalikes {  // optional: a text may leave any of them out
  std::optional<int> abc, axc, empty, n255, n256, n300, n300n;
};
struct distinct_names {  // the same but names that agree in all three: one slot each
  std::optional<int> abc, b, abcd, xyz, empty, n255;
};
struct no_fields {};
struct skipped_then_renamed {
  int a = 0, b = 0, c = 0;
};
struct sample {  // trivially copyable: read through the stack buffer of vectors
  double w = 0;
  std::optional<int> id;
};
struct street_and_value {
  std::string street;
  pyjson::value rest;
};

template <class T>
std::string type_error_of(std::string_view text, const pyjson::load_options& opt = {}) {
  try {
    pyjson::loads<T>(text, opt);
  } catch (const pyjson::type_error& e) {
    return e.what();
  } catch (const pyjson::decode_error& e) {
    return std::string("decode_error: ") + e.what();
  }
  return "no error";
}

}  // namespace

template <>
struct pyjson::traits<color> {
  static constexpr bool enum_as_string = true;
};
template <>
struct pyjson::traits<renamed> {
  static constexpr auto fields =
      pyjson::aggregate_fields<renamed>().rename("zip_code", "zip").skip("cache");
};
template <>
struct pyjson::traits<point> {
  static constexpr auto fields = pyjson::fields("x", &point::x_, "y", &point::y_);
};
template <>
struct pyjson::traits<odd_keys> {
  static constexpr auto fields =
      pyjson::fields("a\"b", &odd_keys::quote, "\xC3\xA9", &odd_keys::accent, "ab",
                     &odd_keys::plain, "x\\n", &odd_keys::backslash);
};
template <>
struct pyjson::traits<name_lengths> {
  static constexpr auto fields =
      pyjson::fields("", &name_lengths::empty, "fifteen_chars_x", &name_lengths::fifteen,
                     "sixteen_chars_xx", &name_lengths::sixteen, "a_name_of_thirty_one_bytes_xxxx",
                     &name_lengths::thirty_one, "fourteen_chars", &name_lengths::fourteen,
                     "a_name_of_thirty_bytes_xxxxxxx", &name_lengths::thirty);
};
template <>
struct pyjson::traits<lookalikes> {
  static constexpr auto fields = pyjson::fields(
      "abc", &lookalikes::abc, "axc", &lookalikes::axc, "", &lookalikes::empty,
      long_name_view<256, 'm'>, &lookalikes::n256, long_name_view<255, 'm'>, &lookalikes::n255,
      long_name_view<300, 'm'>, &lookalikes::n300, long_name_view<300, 'n'>, &lookalikes::n300n);
};
template <>
struct pyjson::traits<distinct_names> {
  static constexpr auto fields =
      pyjson::fields("abc", &distinct_names::abc, "b", &distinct_names::b, "abcd",
                     &distinct_names::abcd, "xyz", &distinct_names::xyz, "", &distinct_names::empty,
                     long_name_view<255, 'm'>, &distinct_names::n255);
};
template <>
struct pyjson::traits<skipped_then_renamed> {
  static constexpr auto fields = pyjson::aggregate_fields<skipped_then_renamed>()
                                     .skip("b")
                                     .rename("b", "bee")
                                     .rename("c", "b");
};
template <>
struct pyjson::traits<celsius> {
  static void write(pyjson::writer& w, const celsius& c) { w.write(c.degrees); }
  static void read(pyjson::reader& r, celsius& c) { r.read(c.degrees); }
};

template <>
struct pyjson::traits<runtime_fields> {
  static inline const auto fields =
      pyjson::fields("x", &runtime_fields::x, "a \"quoted\" name", &runtime_fields::name);
};

template <>
struct pyjson::traits<one_string_many_reads> {
  static void write(pyjson::writer& w, const one_string_many_reads& x) { w.write(x.held); }
  static void read(pyjson::reader& r, one_string_many_reads& x) {
    r.read_array([&] {
      r.read(x.text);
      x.held.push_back(x.text);
    });
  }
};

TEST_CASE("typed: a std::string read again holds the new text only, long or short") {
  // Longer and shorter than the string's own storage (15 bytes in libstdc++), after one
  // another, escaped or not, and empty.
  const std::string text =
      R"(["a string of more than fifteen bytes", "short", "", "caf\u00e9 \"quoted\"", )"
      R"("x", "an even longer string, of more than thirty-two bytes", "\u00e9t\u00e9"])";
  const auto x = pyjson::loads<one_string_many_reads>(text);
  const std::vector<std::string> want = {"a string of more than fifteen bytes",
                                         "short",
                                         "",
                                         "caf\xC3\xA9 \"quoted\"",
                                         "x",
                                         "an even longer string, of more than thirty-two bytes",
                                         "\xC3\xA9t\xC3\xA9"};
  CHECK(x.held == want);
  CHECK(x.text == want.back());
  CHECK(pyjson::dumps(x, {.ensure_ascii = true}) == pyjson::dumps(pyjson::loads(text)));
}

TEST_CASE("typed: the DESIGN.md examples") {
  auto numbers = pyjson::loads<std::vector<int>>("[2, 3, 5, 7, 11, 13]");
  CHECK(numbers == std::vector<int>{2, 3, 5, 7, 11, 13});
  struct User {
    std::string name;
    int age;
    std::optional<std::string> email;
  };
  User u = pyjson::loads<User>(R"({"name": "Ada", "age": 36})");
  CHECK(u.name == "Ada");
  CHECK(u.age == 36);
  CHECK(!u.email);
  CHECK(pyjson::dumps(u) == R"({"name": "Ada", "age": 36, "email": null})");
  std::stringstream io;
  pyjson::dump(numbers, io);
  CHECK(io.str() == "[2, 3, 5, 7, 11, 13]");
  CHECK(pyjson::load<std::vector<int>>(io) == numbers);
}

TEST_CASE("typed: scalars") {
  CHECK(pyjson::dumps(nullptr) == "null");
  CHECK(pyjson::dumps(std::monostate{}) == "null");
  CHECK(pyjson::dumps(true) == "true");
  CHECK(pyjson::dumps(-42) == "-42");
  CHECK(pyjson::dumps(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
  CHECK(pyjson::dumps(1e16) == "1e+16");
  CHECK(pyjson::dumps(0.1f) == "0.10000000149011612");  // Python: float(numpy.float32(0.1))
  CHECK(pyjson::dumps(std::string("caf\xc3\xa9")) == R"("caf\u00e9")");
  CHECK(pyjson::dumps(std::string_view("a\"b")) == R"("a\"b")");
  CHECK(pyjson::dumps("literal") == R"("literal")");
  const char* none = nullptr;
  CHECK(pyjson::dumps(none) == "null");
  char buf[8] = "ab";
  CHECK(pyjson::dumps(buf) == R"("ab")");
  CHECK(pyjson::loads<bool>("true"));
  CHECK(pyjson::loads<double>("1") == 1.0);
  CHECK(pyjson::loads<double>("1e400") == std::numeric_limits<double>::infinity());
  CHECK(pyjson::loads<float>("0.5") == 0.5f);
  // NaN and the infinities, as json.loads reads them, and not with allow_nan = false.
  auto special = pyjson::loads<std::vector<double>>("[NaN, Infinity, -Infinity, -0.0, -7, 2.5]");
  REQUIRE(special.size() == 6);
  CHECK(std::isnan(special[0]));
  CHECK(special[1] == std::numeric_limits<double>::infinity());
  CHECK(special[2] == -std::numeric_limits<double>::infinity());
  CHECK(std::signbit(special[3]));
  CHECK(special[4] == -7.0);
  CHECK(special[5] == 2.5);
  CHECK(std::isnan(pyjson::loads<float>(" NaN ")));
  pyjson::load_options no_nan{.allow_nan = false};
  CHECK_THROWS_WITH(pyjson::loads<std::vector<double>>("[1.5, -Infinity]", no_nan),
                    "Expecting value: line 1 column 7 (char 6)");
  CHECK_THROWS_WITH(pyjson::loads<double>("NaN", no_nan),
                    "Expecting value: line 1 column 1 (char 0)");
  CHECK_THROWS_WITH(pyjson::loads<double>("-Inf"), "Expecting value: line 1 column 1 (char 0)");
  CHECK_THROWS_WITH(pyjson::loads<double>("Nan"), "Expecting value: line 1 column 1 (char 0)");
  CHECK_THROWS_WITH(pyjson::loads<double>("\"NaN\""),
                    "$: expected float, found string: line 1 column 1 (char 0)");
  CHECK(pyjson::loads<std::string>(R"("\u00e9")") == "\xc3\xa9");
  CHECK(pyjson::loads<std::nullptr_t>("null") == nullptr);
  CHECK(pyjson::loads<std::int64_t>("-9223372036854775808") ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(pyjson::loads<std::uint64_t>("18446744073709551615") ==
        std::numeric_limits<std::uint64_t>::max());
  char fixed[4];
  std::string_view three = R"("abc")";
  pyjson::detail::reader tok(three, {});
  pyjson::reader r(tok);
  r.read(fixed);
  CHECK(std::string(fixed) == "abc");
  std::string_view four = R"("abcd")";
  pyjson::detail::reader tok4(four, {});
  pyjson::reader r4(tok4);
  try {
    r4.read(fixed);
    FAIL("no error");
  } catch (const pyjson::detail::typed_failure& f) {
    CHECK(f.message == "expected a string of at most 3 bytes without NUL, found one of 4");
  }
}

TEMPLATE_TEST_CASE("typed: integers are range checked", "", std::int8_t, std::uint8_t, std::int16_t,
                   std::uint16_t, std::int32_t, std::uint32_t, std::int64_t, std::uint64_t) {
  using lim = std::numeric_limits<TestType>;
  std::string max = std::to_string(lim::max());
  std::string min = std::to_string(lim::min());
  CHECK(pyjson::loads<TestType>(max) == lim::max());
  CHECK(pyjson::loads<TestType>(min) == lim::min());
  CHECK(pyjson::dumps(lim::max()) == max);
  CHECK(pyjson::dumps(lim::min()) == min);
  std::string name = (lim::is_signed ? "int" : "uint") + std::to_string(sizeof(TestType) * 8);
  std::string above = pyjson::dumps(pyjson::value::from_int_text(max + "0"));
  CHECK(type_error_of<TestType>(above) ==
        "$: expected " + name + ", found int " + above + ": line 1 column 1 (char 0)");
  CHECK(type_error_of<TestType>("-1" + std::string(lim::is_signed ? "0000000000000000000" : "")) ==
        "$: expected " + name + ", found int -1" + (lim::is_signed ? "0000000000000000000" : "") +
            ": line 1 column 1 (char 0)");
  CHECK(type_error_of<TestType>("1.5") ==
        "$: expected " + name + ", found float 1.5: line 1 column 1 (char 0)");
  CHECK(type_error_of<TestType>("true") ==
        "$: expected " + name + ", found bool: line 1 column 1 (char 0)");
}

TEST_CASE("typed: type errors name the path, the expectation, what was found and where") {
  CHECK(type_error_of<std::int8_t>("300") ==
        "$: expected int8, found int 300: line 1 column 1 (char 0)");
  CHECK(type_error_of<unsigned>("-1") ==
        "$: expected uint32, found int -1: line 1 column 1 (char 0)");
  CHECK(type_error_of<int>("1.5") ==
        "$: expected int32, found float 1.5: line 1 column 1 (char 0)");
  CHECK(type_error_of<bool>(R"("true")") ==
        "$: expected bool, found string: line 1 column 1 (char 0)");
  CHECK(
      type_error_of<user>(
          R"({"name": "Ada", "age": 36, "addresses": [{"street": "x", "zip": 1}, {"street": "y", "zip": "12"}]})") ==
      "$.addresses[1].zip: expected int32, found string: line 1 column 92 (char 91)");
  CHECK(type_error_of<user>("{\"name\": \"Ada\",\n \"addresses\": []}") ==
        "$: missing required field 'age': line 2 column 17 (char 32)");
  CHECK(type_error_of<std::map<std::string, std::vector<int>>>(R"({"a b": [1, null]})") ==
        R"($["a b"][1]: expected int32, found null: line 1 column 13 (char 12))");
  CHECK(type_error_of<std::vector<std::string>>("[\"x\", {}]") ==
        "$[1]: expected string, found object: line 1 column 7 (char 6)");
  CHECK(type_error_of<std::array<int, 2>>("[1, 2, 3]") ==
        "$: expected array of 2 elements, found array of 3 elements: line 1 column 1 (char 0)");
  CHECK(type_error_of<std::pair<int, int>>("[1]") ==
        "$: expected array of 2 elements, found array of 1 elements: line 1 column 1 (char 0)");
  CHECK(type_error_of<std::map<int, int>>(R"({"x": 1})") ==
        R"($: expected int32 key, found 'x': line 1 column 2 (char 1))");
  CHECK(
      type_error_of<color>(R"("purple")") ==
      "$: expected one of 'red', 'green', 'blue', found string 'purple': line 1 column 1 (char 0)");
  // Unknown keys: ignored by default, an error on request.
  CHECK(pyjson::loads<address>(R"({"street": "s", "zip": 1, "extra": [1, {"deep": 2}]})").zip == 1);
  CHECK(type_error_of<address>(R"({"street": "s", "zipp": 1})", {.ignore_unknown_keys = false}) ==
        "$: unknown field 'zipp': line 1 column 17 (char 16)");
  // Syntax errors stay decode_errors with Python's messages, even after a type mismatch.
  CHECK(type_error_of<std::vector<int>>(R"([1, "a", ])") ==
        "decode_error: Expecting value: line 1 column 10 (char 9)");
  CHECK(type_error_of<address>(R"({"street": 1)") ==
        "decode_error: Expecting ',' delimiter: line 1 column 13 (char 12)");
  CHECK(type_error_of<std::vector<int>>("[1] x") ==
        "decode_error: Extra data: line 1 column 5 (char 4)");
  CHECK(type_error_of<int>("") == "decode_error: Expecting value: line 1 column 1 (char 0)");
  CHECK(type_error_of<int>("?") == "decode_error: Expecting value: line 1 column 1 (char 0)");
}

static std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST_CASE("typed: values of unknown keys are checked as loads checks them") {
  // Each value in turn under a key no field has, between two known ones: what loads accepts is
  // skipped, and what it refuses raises loads' decode_error, at the same position.
  const std::string values[] = {
      R"("plain")",
      R"("esc\n\"\u00e9\ud83d\ude00")",
      "\"" + std::string(5000, 'x') + "\\n\"",
      R"("\ud800 lone")",
      "\"raw \xED\xA0\x80 surrogate\"",
      "\"tab\there\"",
      std::string("\"nul ") + '\0' + " inside\"",
      R"("bad \x escape")",
      R"("\u12G4")",
      "\"\xFF byte\"",
      "\"\xE6\x97 cut\"",
      R"("unterminated)",
      "1",
      "-2.5e3",
      "true",
      "null",
      "NaN",
      "-Infinity",
      R"([1, "a", {"b": ["c"]}])",
      R"({"k": "v"})",
      "tru",
      "[1,]",
      "01",
      R"("x" "y")",
      "1.5e",
      "2.",
      "-",
      "-0.0e+5",
      "12345678901234567890.12345678901234567890e-12345678901234",
      "1234567890123456x",
      // Skipped strings are checked without being decoded (reader::read_string<false>): runs
      // of escapes longer than the buffer each is decoded into, pairs and lone surrogates,
      // long runs between escapes, and errors after many escapes, alone and inside skipped
      // arrays and objects (keys too).
      "\"" + repeat("\\u00e9", 40) + "\"",
      "\"" + repeat("\\ud83d\\ude00", 20) + repeat("\\n\\t\\/\\\\\\\"", 10) + "\"",
      "\"" + repeat("\\ud800", 9) + "x\\udc00\"",
      "\"" + repeat("http:\\/\\/example.com\\/" + std::string(40, 'p'), 12) + "\"",
      "\"" + repeat("\\u00e9", 30) + "\\u00G9\"",
      "\"" + repeat("\\/", 30) + "\\q\"",
      "\"" + repeat("\\ud83d\\ude00", 10) + "\\ud83d\\u",
      "\"" + repeat("a\\n", 20) + "\t\"",
      "\"" + repeat("\\u00e9", 20) + "\xE6\x97\"",
      "[\"" + repeat("\\u00e9", 40) + "\", {\"" + repeat("\\/", 25) + "\": \"\\ud83d\\ude00\"}]",
      "{\"" + repeat("k\\u00e9", 20) + "\": [\"" + repeat("\\/", 20) + "\\x\"]}",
  };
  for (bool strict : {true, false}) {
    for (const std::string& v : values) {
      std::string text = R"({"street": "s", "extra": )" + v + R"(, "zip": 1})";
      CAPTURE(text, strict);
      const pyjson::load_options opt{.strict = strict};
      auto outcome = [](auto read) -> std::string {
        try {
          return read();
        } catch (const pyjson::decode_error& e) {
          return e.what() + std::string(" @") + std::to_string(e.byte_pos());
        }
      };
      std::string want = outcome([&] { return pyjson::dumps(pyjson::loads(text, opt)["zip"]); });
      std::string got = outcome([&] {
        address a = pyjson::loads<address>(text, opt);
        return a.street == "s" ? std::to_string(a.zip) : "wrong";
      });
      CHECK(got == want);
      // A value read after the skipped one is built as if nothing came before it.
      std::string then_value =
          R"({"street": "s", "extra": )" + v + R"(, "rest": [1, {"a": null}]})";
      want = outcome([&] { return pyjson::dumps(pyjson::loads(then_value, opt)["rest"]); });
      got = outcome(
          [&] { return pyjson::dumps(pyjson::loads<street_and_value>(then_value, opt).rest); });
      CHECK(got == want);
    }
  }
}

// Typed reads take a string of at most 31 plain ASCII bytes from one or two 16-byte loads
// (reader::read_string_quick) and give any other to read_string: around those lengths, with
// a byte that needs a look at each place and few or many bytes after the string, a field, a
// skipped value and an unknown key read what loads reads, or raise its error at the same
// position.
TEST_CASE("typed: strings around 16 and 32 bytes read as loads reads them, kept or skipped") {
  const std::string specials[] = {"\\n", "\t", "\xC3\xA9", "\x1F", "\xFF", "\\u0041"};
  auto outcome = [](auto read) -> std::string {
    try {
      return read();
    } catch (const pyjson::decode_error& e) {
      return std::string("error: ") + e.what() + " @" + std::to_string(e.byte_pos());
    }
  };
  std::size_t checked = 0;
  for (std::size_t length = 0; length <= 40; ++length) {
    std::vector<std::string> strings = {std::string(length, 'a')};
    for (const std::string& special : specials)
      for (std::size_t at = 0; at <= length; ++at)
        strings.push_back(std::string(at, 'b') + special + std::string(length - at, 'c'));
    for (const std::string& body : strings) {
      for (std::size_t after : {0, 1, 15, 16, 31, 40}) {
        for (bool strict : {true, false}) {
          const pyjson::load_options opt{.strict = strict};
          std::string text = "\"" + body + "\"" + std::string(after, ' ');
          CAPTURE(text, strict);
          std::string want = outcome([&] { return pyjson::loads(text, opt).get<std::string>(); });
          CHECK(outcome([&] { return pyjson::loads<std::string>(text, opt); }) == want);
          // As the value of a key no field has, skipped, and then as a field.
          std::string object = R"({"street": "s", "zip": 1, "extra": )" + text + "}";
          want = outcome([&] { return pyjson::dumps(pyjson::loads(object, opt)["zip"]); });
          CHECK(outcome([&] { return std::to_string(pyjson::loads<address>(object, opt).zip); }) ==
                want);
          object = R"({"zip": 1, "street": )" + text + "}";
          want = outcome([&] { return pyjson::loads(object, opt)["street"].get<std::string>(); });
          CHECK(outcome([&] { return pyjson::loads<address>(object, opt).street; }) == want);
          // As a key no field has.
          object = "{" + text + R"(: 0, "street": "s", "zip": 1})";
          want = outcome([&] { return pyjson::dumps(pyjson::loads(object, opt)["zip"]); });
          CHECK(outcome([&] { return std::to_string(pyjson::loads<address>(object, opt).zip); }) ==
                want);
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 2 * 6 * (41 + 6 * (41 * 42 / 2)));
}

// Python parses the whole text before it maps anything: when a type error comes first and a
// syntax error later, loads<T> raises the same decode_error (message and positions) as loads.
TEST_CASE("typed: a syntax error anywhere beats an earlier type error") {
  const char* texts[] = {
      R"(["x", 1, ])",
      R"(["x"] [)",
      "[\"x\", \"\\uZZZZ\"]",
      "[\"x\", \"a\x01\"]",
      "\xEF\xBB\xBF[\"x\", 1, ]",
      "\xEF\xBB\xBF\n [\"x\"] 2",
      "[\"x\", \"\xff\"]",
      R"(["x", {"k" 1}])",
  };
  for (std::string_view text : texts) {
    CAPTURE(text);
    pyjson::decode_error want("", 0, 0, 0, 0);
    try {
      pyjson::loads(text);
      FAIL("loads accepted it");
    } catch (const pyjson::decode_error& e) {
      want = e;
    }
    try {
      pyjson::loads<std::vector<int>>(text);
      FAIL("loads<T> accepted it");
    } catch (const pyjson::decode_error& e) {
      CHECK(std::string(e.what()) == want.what());
      CHECK(e.pos() == want.pos());
      CHECK(e.byte_pos() == want.byte_pos());
    }
  }
  // Without a syntax error, the type error stands, positioned after the byte order mark.
  CHECK(type_error_of<std::vector<int>>("\xEF\xBB\xBF[1, \"x\"]") ==
        "$[1]: expected int32, found string: line 1 column 5 (char 4)");
}

TEST_CASE("typed: sequences") {
  CHECK(pyjson::dumps(std::vector<int>{}) == "[]");
  CHECK(pyjson::dumps(std::deque<int>{1, 2}) == "[1, 2]");
  CHECK(pyjson::dumps(std::list<std::string>{"a"}) == R"(["a"])");
  CHECK(pyjson::dumps(std::forward_list<int>{3, 4}) == "[3, 4]");
  CHECK(pyjson::dumps(std::set<int>{3, 1, 2}) == "[1, 2, 3]");
  CHECK(pyjson::dumps(std::multiset<int>{1, 1}) == "[1, 1]");
  CHECK(pyjson::dumps(std::unordered_set<int>{7}) == "[7]");
  CHECK(pyjson::dumps(std::array<int, 3>{1, 2, 3}) == "[1, 2, 3]");
  int c_array[2] = {5, 6};
  CHECK(pyjson::dumps(c_array) == "[5, 6]");
  std::vector<int> backing{1, 2};
  CHECK(pyjson::dumps(std::span<const int>(backing)) == "[1, 2]");
  CHECK(pyjson::dumps(std::pair<int, std::string>{1, "a"}) == R"([1, "a"])");
  CHECK(pyjson::dumps(std::tuple<>{}) == "[]");
  CHECK(pyjson::dumps(std::tuple<int, bool, std::nullptr_t>{1, true, nullptr}) ==
        "[1, true, null]");

  CHECK(pyjson::loads<std::deque<int>>("[1, 2]") == std::deque<int>{1, 2});
  CHECK(pyjson::loads<std::list<int>>("[1, 2]") == std::list<int>{1, 2});
  CHECK(pyjson::loads<std::forward_list<int>>("[1, 2, 3]") == std::forward_list<int>{1, 2, 3});
  CHECK(pyjson::loads<std::set<int>>("[3, 1, 3]") == std::set<int>{1, 3});
  CHECK(pyjson::loads<std::multiset<int>>("[3, 1, 3]") == std::multiset<int>{1, 3, 3});
  CHECK(pyjson::loads<std::unordered_set<std::string>>(R"(["a", "b"])") ==
        std::unordered_set<std::string>{"a", "b"});
  CHECK(pyjson::loads<std::array<int, 3>>("[1, 2, 3]") == std::array<int, 3>{1, 2, 3});
  CHECK(pyjson::loads<std::pair<int, std::string>>(R"([1, "a"])") ==
        std::pair<int, std::string>{1, "a"});
  CHECK(pyjson::loads<std::tuple<int, bool, double>>("[1, false, 2.5]") ==
        std::tuple<int, bool, double>{1, false, 2.5});
  CHECK(pyjson::loads<std::vector<std::vector<int>>>("[[], [1], [2, 3]]") ==
        std::vector<std::vector<int>>{{}, {1}, {2, 3}});
  // Reading into a non-empty container replaces its content.
  std::vector<int> reused{9, 9, 9};
  std::string_view text = "[1]";
  pyjson::detail::reader tok(text, {});
  pyjson::reader r(tok);
  r.read(reused);
  CHECK(reused == std::vector<int>{1});
}

TEST_CASE("typed: maps with every key type, as Python converts keys") {
  CHECK(pyjson::dumps(std::map<std::string, int>{{"b", 1}, {"a", 2}}) == R"({"a": 2, "b": 1})");
  CHECK(pyjson::dumps(std::map<int, double>{{10, 1.5}, {9, 2}}) == R"({"9": 2.0, "10": 1.5})");
  CHECK(pyjson::dumps(std::map<double, int>{{1.5, 1}, {1e16, 2}}) == R"({"1.5": 1, "1e+16": 2})");
  CHECK(pyjson::dumps(std::map<bool, int>{{true, 1}}) == R"({"true": 1})");
  CHECK(pyjson::dumps(std::map<color, int>{{color::green, 1}}) == R"({"green": 1})");
  CHECK(pyjson::dumps(std::map<level, int>{{level::high, 1}}) == R"({"200": 1})");
  std::unordered_map<int, int> um{{10, 1}, {9, 2}, {-1, 3}};
  CHECK(pyjson::dumps(um, {.sort_keys = true}) == R"({"-1": 3, "9": 2, "10": 1})");
  std::map<std::pair<int, int>, int> tuple_keys{{{1, 2}, 3}};
  CHECK_THROWS_WITH(pyjson::dumps(tuple_keys),
                    Catch::Contains("keys must be str, int, float, bool or None, not"));
  CHECK(pyjson::dumps(tuple_keys, {.skipkeys = true}) == "{}");
  std::map<double, int> nan_key{{std::numeric_limits<double>::quiet_NaN(), 1}};
  CHECK(pyjson::dumps(nan_key) == R"({"NaN": 1})");
  CHECK_THROWS_AS(pyjson::dumps(nan_key, {.allow_nan = false}), pyjson::value_error);

  using int_map = std::map<int, std::string>;
  CHECK(pyjson::loads<int_map>(R"({"9": "a", "-10": "b"})") == int_map{{9, "a"}, {-10, "b"}});
  CHECK(type_error_of<int_map>(R"({"09": "a"})") ==
        R"($: expected int32 key, found '09': line 1 column 2 (char 1))");
  CHECK(pyjson::loads<std::map<double, int>>(R"({"1.5": 1, "Infinity": 2})").size() == 2);
  CHECK(pyjson::loads<std::map<bool, int>>(R"({"true": 1, "false": 0})").at(true) == 1);
  CHECK(pyjson::loads<std::map<color, int>>(R"({"blue": 1})").at(color::blue) == 1);
  // A repeated key keeps the last value, as Python's dict does.
  CHECK(pyjson::loads<std::map<std::string, int>>(R"({"a": 1, "a": 2})").at("a") == 2);
  auto mm = pyjson::loads<std::multimap<std::string, int>>(R"({"a": 1, "a": 2})");
  CHECK(mm.size() == 2);
  CHECK(pyjson::loads<std::unordered_map<std::string, std::vector<int>>>(R"({"k": [1]})").at("k") ==
        std::vector<int>{1});
  // Keys in the map's order, backwards, shuffled, with repeats: the same map as Python's dict
  // gives (the last value of a repeated key), whatever the order of insertion.
  std::mt19937 rng(7);
  for (int order = 0; order < 4; ++order) {
    std::vector<std::pair<int, int>> members;
    for (int i = 0; i < 300; ++i) members.push_back({i * 7 % 1000, i});
    std::sort(members.begin(), members.end(), [](auto& a, auto& b) {
      return std::to_string(a.first) < std::to_string(b.first);  // a std::map<std::string>'s order
    });
    if (order == 1) std::reverse(members.begin(), members.end());
    if (order == 2) std::shuffle(members.begin(), members.end(), rng);
    if (order == 3)  // repeats: each key again right after itself and at the end
      for (std::size_t i = 0, n = members.size(); i < n; i += 3) {
        members.insert(members.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                       {members[i].first, -1});
        members.push_back({members[i].first, -2});
      }
    std::string text = "{";
    std::map<std::string, int> expected;
    for (const auto& [key, number] : members) {
      text +=
          (text.size() > 1 ? ", \"" : "\"") + std::to_string(key) + "\": " + std::to_string(number);
      expected[std::to_string(key)] = number;
    }
    text += "}";
    INFO("order " << order);
    CHECK(pyjson::loads<std::map<std::string, int>>(text) == expected);
    std::map<int, int> by_int;
    for (const auto& [key, number] : expected) by_int[std::stoi(key)] = number;
    CHECK(pyjson::loads<std::map<int, int>>(text) == by_int);
    auto unordered = pyjson::loads<std::unordered_map<std::string, int>>(text);
    CHECK(std::map<std::string, int>(unordered.begin(), unordered.end()) == expected);
    CHECK(pyjson::dumps(pyjson::loads<std::map<std::string, int>>(text)) ==
          pyjson::dumps(pyjson::loads(text), {.sort_keys = true}));
  }
}

TEST_CASE("typed: optional, pointers, variant, monostate, value") {
  CHECK(pyjson::dumps(std::optional<int>{}) == "null");
  CHECK(pyjson::dumps(std::optional<int>{3}) == "3");
  CHECK(pyjson::dumps(std::unique_ptr<int>{}) == "null");
  CHECK(pyjson::dumps(std::make_unique<int>(4)) == "4");
  CHECK(pyjson::dumps(std::make_shared<std::string>("s")) == R"("s")");
  CHECK(!pyjson::loads<std::optional<int>>("null"));
  CHECK(*pyjson::loads<std::optional<int>>("5") == 5);
  CHECK(!pyjson::loads<std::unique_ptr<int>>("null"));
  CHECK(*pyjson::loads<std::unique_ptr<int>>("6") == 6);
  CHECK(*pyjson::loads<std::shared_ptr<std::vector<int>>>("[1]") == std::vector<int>{1});

  using var = std::variant<std::monostate, bool, std::int8_t, long, double, std::string,
                           std::vector<int>, std::map<std::string, int>>;
  CHECK(pyjson::loads<var>("null").index() == 0);
  CHECK(pyjson::loads<var>("true").index() == 1);
  CHECK(pyjson::loads<var>("7").index() == 2);
  CHECK(pyjson::loads<var>("300").index() == 3);  // too big for int8_t: the next integer type
  CHECK(pyjson::loads<var>("2.5").index() == 4);
  CHECK(pyjson::loads<var>(R"("s")").index() == 5);
  CHECK(pyjson::loads<var>("[1]").index() == 6);
  CHECK(pyjson::loads<var>(R"({"a": 1})").index() == 7);
  CHECK(pyjson::dumps(var{std::string("x")}) == R"("x")");
  CHECK(pyjson::dumps(var{std::monostate{}}) == "null");
  // Two structs: the first whose required fields are all there.
  using shape = std::variant<address, user>;
  CHECK(pyjson::loads<shape>(R"({"name": "n", "age": 1, "addresses": []})").index() == 1);
  CHECK(pyjson::loads<shape>(R"({"street": "s", "zip": 1})").index() == 0);
  CHECK(type_error_of<std::variant<int, std::string>>("[1]") ==
        "$: expected int or string, found array: line 1 column 1 (char 0)");
  CHECK(type_error_of<std::variant<std::int8_t, std::string>>("300") ==
        "$: expected int or string, found int 300 (closest: expected int8, found int 300): line 1 "
        "column 1 (char 0)");

  // pyjson::value anywhere inside typed data.
  struct mixed {
    int id;
    pyjson::value extra;
  };
  mixed m = pyjson::loads<mixed>(R"({"id": 1, "extra": {"any": [1, "thing"]}})");
  CHECK(m.extra["any"][1].get<std::string>() == "thing");
  CHECK(pyjson::dumps(m) == R"({"id": 1, "extra": {"any": [1, "thing"]}})");
  CHECK(pyjson::loads<pyjson::value>("[1]") == pyjson::loads("[1]"));
}

TEST_CASE("typed: enums as integers by default, as names by opt-in") {
  CHECK(pyjson::dumps(level::high) == "200");
  CHECK(pyjson::loads<level>("1") == level::low);
  CHECK(type_error_of<level>("256") ==
        "$: expected uint8, found int 256: line 1 column 1 (char 0)");
  CHECK(pyjson::dumps(color::green) == R"("green")");
  CHECK(pyjson::dumps(std::vector<color>{color::red, color::blue}) == R"(["red", "blue"])");
  CHECK(pyjson::loads<color>(R"("blue")") == color::blue);
  CHECK_THROWS_WITH(pyjson::dumps(static_cast<color>(42)), Catch::Contains("has no name"));
}

TEST_CASE("typed: aggregates, renamed and skipped fields, classes with fields(), custom traits") {
  user u{"Ada", 36, "ada@example.org", {{"Main St", 12345}, {"Side St", 1}}};
  std::string compact = pyjson::dumps(u);
  CHECK(
      compact ==
      R"({"name": "Ada", "age": 36, "email": "ada@example.org", "addresses": [{"street": "Main St", "zip": 12345}, {"street": "Side St", "zip": 1}]})");
  CHECK(pyjson::loads<user>(compact) == u);
  for (int indent : {0, 2, 4}) {
    std::string pretty = pyjson::dumps(u, {.indent = indent, .sort_keys = true});
    CHECK(pyjson::loads<user>(pretty) == u);
    CHECK(pretty == pyjson::dumps(pyjson::loads(compact), {.indent = indent, .sort_keys = true}));
  }
  renamed rn{"12345", 7, 1};
  CHECK(pyjson::dumps(rn) == R"({"zip": "12345", "kept": 1})");
  renamed back = pyjson::loads<renamed>(R"({"zip": "9", "kept": 2, "cache": 5})");
  CHECK(back.zip_code == "9");
  CHECK(back.cache == 0);  // skipped: neither written nor read
  CHECK(back.kept == 2);
  CHECK(pyjson::dumps(point(1.5, -2)) == R"({"x": 1.5, "y": -2.0})");
  point p = pyjson::loads<point>(R"({"y": 4, "x": 3})");
  CHECK(p.x() == 3);
  CHECK(p.y() == 4);
  CHECK(pyjson::dumps(celsius{21.5}) == "21.5");
  CHECK(pyjson::loads<celsius>("-3").degrees == -3);
  CHECK(pyjson::dumps(std::vector<celsius>{{1}, {2}}) == "[1.0, 2.0]");
  // A struct without fields: an object whose members are all skipped (or refused).
  CHECK(pyjson::dumps(no_fields{}) == "{}");
  CHECK(pyjson::dumps(std::vector<no_fields>(2)) == "[{}, {}]");
  CHECK(type_error_of<no_fields>("{}") == "no error");
  CHECK(type_error_of<no_fields>(R"({"a": [1, 2.5e-3, {"b": "c"}], "d": null})") == "no error");
  CHECK(type_error_of<no_fields>("[]") ==
        "$: expected object, found array: line 1 column 1 (char 0)");
  CHECK(type_error_of<no_fields>(R"({"a": 1})", {.ignore_unknown_keys = false}) ==
        "$: unknown field 'a': line 1 column 2 (char 1)");
  // Recursive types, bounded by max_depth.
  tree t =
      pyjson::loads<tree>(R"({"name": "root", "children": [{"name": "leaf", "children": []}]})");
  CHECK(t.children.at(0).name == "leaf");
  CHECK(pyjson::dumps(t) == R"({"name": "root", "children": [{"name": "leaf", "children": []}]})");
  std::string deep;
  for (int i = 0; i < 600; ++i) deep += R"({"name": "n", "children": [)";
  for (int i = 0; i < 600; ++i) deep += "]}";
  CHECK(type_error_of<tree>(deep) ==
        "decode_error: Nesting deeper than max_depth (1000): line 1 column 13501 (char 13500)");
}

// Names that need no escape are copied as they are (detail::writer::plain_key); the others
// are escaped as any string. Expected texts from Python's json.dumps of the same dicts.
TEST_CASE("typed: field names written as Python writes the same keys") {
  const odd_keys odd{1, 2, 3, 4};
  CHECK(pyjson::dumps(odd) == R"({"a\"b": 1, "\u00e9": 2, "ab": 3, "x\\n": 4})");
  CHECK(pyjson::dumps(odd, {.ensure_ascii = false}) ==
        "{\"a\\\"b\": 1, \"\xC3\xA9\": 2, \"ab\": 3, \"x\\\\n\": 4}");
  CHECK(pyjson::dumps(odd, {.sort_keys = true}) ==
        R"({"a\"b": 1, "ab": 3, "x\\n": 4, "\u00e9": 2})");
  CHECK(pyjson::dumps(odd, {.indent = 1, .separators = {",", ":"}}) ==
        "{\n \"a\\\"b\":1,\n \"\\u00e9\":2,\n \"ab\":3,\n \"x\\\\n\":4\n}");
  const name_lengths lengths{1, 2, 3, 4, 5, 6};
  CHECK(pyjson::dumps(lengths) == R"({"": 1, "fifteen_chars_x": 2, "sixteen_chars_xx": 3, )"
                                  R"("a_name_of_thirty_one_bytes_xxxx": 4, "fourteen_chars": 5, )"
                                  R"("a_name_of_thirty_bytes_xxxxxxx": 6})");
  CHECK(pyjson::dumps(lengths, {.separators = {",", ":"}, .sort_keys = true}) ==
        R"({"":1,"a_name_of_thirty_bytes_xxxxxxx":6,"a_name_of_thirty_one_bytes_xxxx":4,)"
        R"("fifteen_chars_x":2,"fourteen_chars":5,"sixteen_chars_xx":3})");
  CHECK(pyjson::dumps(lengths, {.indent = 2}) ==
        "{\n  \"\": 1,\n  \"fifteen_chars_x\": 2,\n  \"sixteen_chars_xx\": 3,\n"
        "  \"a_name_of_thirty_one_bytes_xxxx\": 4,\n  \"fourteen_chars\": 5,\n"
        "  \"a_name_of_thirty_bytes_xxxxxxx\": 6\n}");
  // Each name as the last thing written before a value of each length.
  const std::vector<name_lengths> many{{1, 22, 333, 4444, 55555, 666666}, {}};
  CHECK(pyjson::dumps(many) == pyjson::dumps(pyjson::loads(pyjson::dumps(many))));
  CHECK(pyjson::loads<name_lengths>(pyjson::dumps(lengths)).thirty_one == 4);
  CHECK(pyjson::loads<name_lengths>(pyjson::dumps(lengths)).thirty == 6);
  const runtime_fields rf{1.5, "n"};
  CHECK(pyjson::dumps(rf) == R"({"x": 1.5, "a \"quoted\" name": "n"})");
  CHECK(pyjson::loads<runtime_fields>(R"({"a \"quoted\" name": "m", "x": 2})").name == "m");
}

TEST_CASE("typed: keys read as the field names they spell, in every spelling") {
  // The field expected next is compared with the text directly; other spellings of the same
  // key, names that need escapes and keys that only start like a name take the full path.
  auto read = [](std::string_view text) {
    odd_keys k = pyjson::loads<odd_keys>(text);
    return std::to_string(k.quote) + " " + std::to_string(k.accent) + " " +
           std::to_string(k.plain) + (k.backslash ? " " + std::to_string(*k.backslash) : "");
  };
  CHECK(read(R"({"a\"b": 1, "é": 2, "ab": 3})") == "1 2 3");
  CHECK(read(R"({"a\u0022b": 1, "\u00e9": 2, "a\u0062": 3})") == "1 2 3");
  CHECK(read(R"({"ab": 3, "\u00E9": 2, "a\"b": 1})") == "1 2 3");
  // The name x\n is spelled "x\\n" in JSON; the text "x\n" is another key (x, newline).
  CHECK(read(R"({"a\"b": 1, "é": 2, "ab": 3, "x\\n": 4})") == "1 2 3 4");
  CHECK(read(R"({"a\"b": 1, "é": 2, "ab": 3, "x\n": 4})") == "1 2 3");
  CHECK(read(R"({"a\"b": 1, "é": 2, "abc": 4, "a": 5, "ab": 3})") == "1 2 3");
  const pyjson::load_options strict_keys{.ignore_unknown_keys = false};
  CHECK(type_error_of<odd_keys>(R"({"a\"b": 1, "é": 2, "abc": 3})", strict_keys) ==
        "$: unknown field 'abc': line 1 column 21 (char 20)");
  CHECK(type_error_of<odd_keys>(R"({"a\"b": 1, "é": 2, "a": 3})", strict_keys) ==
        "$: unknown field 'a': line 1 column 21 (char 20)");
  // The guess never reads past the text.
  CHECK(type_error_of<user>(R"({"name)") ==
        "decode_error: Unterminated string starting at: line 1 column 2 (char 1)");
  CHECK(type_error_of<user>(R"({"name")") ==
        "decode_error: Expecting ':' delimiter: line 1 column 8 (char 7)");
  CHECK(type_error_of<user>(R"({"name": "Ada", "age)") ==
        "decode_error: Unterminated string starting at: line 1 column 17 (char 16)");
  // Pretty-printed, in the declared order (every key guessed) and sorted (few guessed).
  user u{"Ada", 36, std::nullopt, {{"Main St", 12345}}};
  for (bool sorted : {false, true})
    CHECK(pyjson::loads<user>(pyjson::dumps(u, {.indent = 2, .sort_keys = sorted})) == u);
}

namespace {
// Reads T's members given in seven rotations, forwards and backwards, and then each of `others`
// alone, which must be no field. fields_of lists T's fields in the order of `members`.
template <class T, class FieldsOf>
void check_keys_find_their_fields(const std::vector<std::pair<std::string, int>>& members,
                                  const std::vector<std::string>& others, FieldsOf fields_of) {
  std::vector<int> expected;
  for (const auto& m : members) expected.push_back(m.second);
  // In the declared order, reversed, and rotated: each name is searched from every other one.
  for (std::size_t start = 0; start < members.size(); ++start) {
    for (bool reversed : {false, true}) {
      std::string text = "{";
      for (std::size_t k = 0; k < members.size(); ++k) {
        std::size_t i = (start + k) % members.size();
        const auto& [key, number] = members[reversed ? members.size() - 1 - i : i];
        text += (k ? ", \"" : "\"") + key + "\": " + std::to_string(number);
      }
      text += "}";
      INFO(text);
      CHECK(fields_of(pyjson::loads<T>(text)) == expected);
    }
  }
  // Keys that share a length, a first and a last byte with a name, or start like one, are no
  // field.
  const pyjson::load_options strict_keys{.ignore_unknown_keys = false};
  for (const std::string& key : others) {
    INFO(key);
    CHECK(fields_of(pyjson::loads<T>("{\"" + key + "\": 9}")) ==
          std::vector<int>(members.size(), 0));
    CHECK(type_error_of<T>("{\"" + key + "\": 9}", strict_keys) ==
          "$: unknown field '" + key + "': line 1 column 2 (char 1)");
  }
}
}  // namespace

TEST_CASE("typed: a key is read into the field it names, whatever it shares with other names") {
  const std::string k255(long_name_view<255, 'm'>), k256(long_name_view<256, 'm'>),
      k300(long_name_view<300, 'm'>), k300n(long_name_view<300, 'n'>);
  const std::vector<std::string> others = {"ayc",
                                           "ac",
                                           "abcc",
                                           " ",
                                           k255.substr(0, 254),
                                           k255.substr(0, 253) + "z",
                                           k256 + "z",
                                           k300.substr(0, 299) + "n",
                                           std::string(long_name_view<300, 'o'>),
                                           std::string(long_name_view<257, 'm'>)};
  // Fields whose names share a signature are searched one by one; others are found through a
  // table of signatures (see signature_table). Both ways are tested.
  STATIC_REQUIRE(pyjson::traits<lookalikes>::fields.table.multiplier == 0);
  check_keys_find_their_fields<lookalikes>(
      {{"abc", 1}, {"axc", 2}, {"", 3}, {k255, 4}, {k256, 5}, {k300, 6}, {k300n, 7}}, others,
      [](const lookalikes& l) {
        std::vector<int> out;
        for (auto f : {l.abc, l.axc, l.empty, l.n255, l.n256, l.n300, l.n300n})
          out.push_back(f.value_or(0));
        return out;
      });
  STATIC_REQUIRE(pyjson::traits<distinct_names>::fields.table.multiplier != 0);
  std::vector<std::string> more_others = others;
  for (const char* key : {"axc", "a", "c", "abdd", "xzz", "xyzz", "bc"}) more_others.push_back(key);
  more_others.push_back(k256);
  more_others.push_back(k300);
  check_keys_find_their_fields<distinct_names>(
      {{"abc", 1}, {"b", 2}, {"abcd", 3}, {"xyz", 4}, {"", 5}, {k255, 6}}, more_others,
      [](const distinct_names& d) {
        std::vector<int> out;
        for (auto f : {d.abc, d.b, d.abcd, d.xyz, d.empty, d.n255}) out.push_back(f.value_or(0));
        return out;
      });
  const pyjson::load_options strict_keys{.ignore_unknown_keys = false};
  STATIC_REQUIRE(pyjson::traits<skipped_then_renamed>::fields.table.multiplier != 0);
  // A skipped field is read under no name, the one it was renamed to included; its old name
  // can go to another field.
  auto s = pyjson::loads<skipped_then_renamed>(R"({"a": 1, "bee": 2, "b": 3})");
  CHECK(std::tie(s.a, s.b, s.c) == std::tuple(1, 0, 3));
  CHECK(type_error_of<skipped_then_renamed>(R"({"a": 1, "bee": 2, "b": 3})", strict_keys) ==
        "$: unknown field 'bee': line 1 column 10 (char 9)");
  CHECK(type_error_of<renamed>(R"({"zip": "9", "kept": 2, "cache": 5})", strict_keys) ==
        "$: unknown field 'cache': line 1 column 25 (char 24)");
  CHECK(pyjson::dumps(skipped_then_renamed{1, 2, 3}) == R"({"a": 1, "b": 3})");
}

TEST_CASE("typed: nested structs in maps in vectors, streams and files") {
  using book = std::vector<std::map<std::string, std::vector<address>>>;
  book b{{{"home", {{"a", 1}}}, {"work", {}}}, {}};
  std::string text = pyjson::dumps(b, {.indent = 2});
  CHECK(pyjson::loads<book>(text) == b);
  CHECK(text == pyjson::dumps(pyjson::loads(text), {.indent = 2}));
  std::stringstream io;
  pyjson::dump(b, io, {.indent = "\t"});
  CHECK(pyjson::load<book>(io) == b);
  auto path = std::filesystem::temp_directory_path() / "pyjson-typed-book.json";
  pyjson::dump_file(path, b);
  CHECK(pyjson::load_file<book>(path) == b);
  std::filesystem::remove(path);
}

TEST_CASE("typed: dumps of typed data equals dumps of the equivalent value, for random data") {
  // The schema of a settings file: a list of dicts of scalars. The same random data goes
  // through pyjson::value and through the typed path, and every option set must give the same
  // bytes from both.
  using scalar = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;
  using doc = std::vector<std::map<std::string, scalar>>;
  std::mt19937_64 rng(20261124);
  auto random_string = [&] {
    static const char* pieces[] = {"a",    "b", "\xc3\xa9", "\xf0\x9f\x98\x80", "\"", "\\", "\n",
                                   "\x01", "/", "z",        "\xe6\x97\xa5",     " "};
    std::string s;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) s += pieces[rng() % 12];
    return s;
  };
  const pyjson::dump_options option_sets[] = {
      {},
      {.ensure_ascii = false},
      {.indent = 2, .sort_keys = true},
      {.ensure_ascii = false, .indent = "\t", .separators = {",", ":"}},
      {.indent = 0, .separators = {" , ", " : "}, .sort_keys = true},
  };
  for (int round = 0; round < 300; ++round) {
    pyjson::value v = pyjson::array();
    for (int i = static_cast<int>(rng() % 4); i > 0; --i) {
      pyjson::value obj = pyjson::object();
      for (int j = static_cast<int>(rng() % 5); j > 0; --j) {
        std::string key = random_string();
        switch (rng() % 5) {
          case 0: obj[key] = nullptr; break;
          case 1: obj[key] = rng() % 2 == 0; break;
          case 2: obj[key] = static_cast<std::int64_t>(rng()); break;
          case 3: {
            double d;
            std::uint64_t bits = rng();
            std::memcpy(&d, &bits, sizeof d);
            if (!std::isfinite(d)) d = 0.5;
            obj[key] = d;
            break;
          }
          default: obj[key] = random_string();
        }
      }
      v.push_back(obj);
    }
    doc typed = pyjson::loads<doc>(pyjson::dumps(v));
    for (const auto& opt : option_sets) {
      // std::map orders keys; with sort_keys the value is sorted the same way.
      if (!opt.sort_keys) continue;
      CHECK(pyjson::dumps(typed, opt) == pyjson::dumps(v, opt));
    }
    CHECK(pyjson::loads(pyjson::dumps(typed)) == v);
  }
}

namespace {
struct record {
  std::string name;
  std::int64_t count;
  double ratio;
  std::optional<std::string> note;
  std::vector<int> tags;
};
}  // namespace

TEST_CASE("typed: struct dumps equals the equivalent value's dumps, every option set") {
  std::mt19937_64 rng(7);
  const pyjson::dump_options option_sets[] = {
      {},
      {.ensure_ascii = false},
      {.indent = 2},
      {.indent = 2, .sort_keys = true},
      {.ensure_ascii = false, .indent = "\t", .separators = {",", ":"}},
      {.indent = 0, .separators = {" , ", " : "}},
  };
  for (int round = 0; round < 300; ++round) {
    record r{std::string(rng() % 20, static_cast<char>('a' + rng() % 26)),
             static_cast<std::int64_t>(rng()),
             static_cast<double>(rng() % 100000) / 7.0,
             std::nullopt,
             {}};
    if (rng() % 2) r.note = "n\xc3\xa9" + std::to_string(rng() % 100);
    for (int i = static_cast<int>(rng() % 5); i > 0; --i) r.tags.push_back(static_cast<int>(rng()));
    pyjson::value v = pyjson::object({{"name", r.name},
                                      {"count", r.count},
                                      {"ratio", r.ratio},
                                      {"note", r.note ? pyjson::value(*r.note) : pyjson::value()},
                                      {"tags", pyjson::array()}});
    for (int t : r.tags) v["tags"].push_back(t);
    for (const auto& opt : option_sets) CHECK(pyjson::dumps(r, opt) == pyjson::dumps(v, opt));
  }
}

TEST_CASE("typed: value::get<T> and to_value for mapped types") {
  pyjson::value v = pyjson::loads(R"({"street": "Main", "zip": 7})");
  address a = v.get<address>();
  CHECK(a.street == "Main");
  CHECK(a.zip == 7);
  CHECK(pyjson::to_value(a) == v);
  CHECK(pyjson::loads("[1, 2]").get<std::vector<int>>() == std::vector<int>{1, 2});
  CHECK_THROWS_WITH(pyjson::loads(R"([1, "x"])").get<std::vector<int>>(),
                    "$[1]: expected int32, found string: line 1 column 5 (char 4)");
  CHECK(pyjson::to_value(std::map<int, bool>{{1, true}}) == pyjson::loads(R"({"1": true})"));
}

namespace {
struct only_a {
  int a;
};
struct only_b {
  int b;
};
}  // namespace

TEST_CASE("typed: a failed variant alternative gives back its nesting depth") {
  using ab = std::variant<only_a, only_b>;
  CHECK(pyjson::loads<ab>(R"({"a": [1], "b": 2})", {.max_depth = 2}).index() == 1);
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) many += R"({"a": "x", "b": 1},)";
  many.back() = ']';
  CHECK(pyjson::loads<std::vector<ab>>(many).size() == 1001);
}

// What loads<T> gives: the values' bits, or the exception's type and message.
// Numbers, and what the quick paths of numbers must leave to the general path, for the tests
// that compare the two.
std::vector<std::string> number_texts() {
  return {"1",
          "-0",
          "1.5",
          "-65.613616999999977",
          "1e5",
          "1E-400",
          "1e400",
          "123456789012345678901",
          "0.12345678901234567890123",
          "9223372036854775807",
          "-9223372036854775809",
          "NaN",
          "-Infinity",
          "Infinity",
          "\"x\"",
          "null",
          "[]",
          "{}",
          "-",
          "01",
          "1.",
          ".5",
          "tru",
          ""};
}

template <class T>
std::string outcome_of(std::string_view text, const pyjson::load_options& opt = {}) {
  try {
    T v = pyjson::loads<T>(text, opt);
    std::string bits;
    std::apply(
        [&](auto... d) {
          ((bits += std::to_string(std::bit_cast<std::uint64_t>(static_cast<double>(d))) + " "),
           ...);
        },
        v);
    return bits;
  } catch (const pyjson::type_error& e) {
    return std::string("type_error: ") + e.what();
  } catch (const pyjson::decode_error& e) {
    return std::string("decode_error: ") + e.what();
  }
}

TEST_CASE("typed: arrays of doubles read as the general path reads tuples of doubles") {
  // std::array<double, n> has a quick path (reader::read_doubles) that gives up on anything
  // unusual and leaves it to the general path, which std::tuple<double, ...> always takes:
  // both must give the same bits, or the same error, for any text.
  const std::vector<std::string> elements = number_texts();
  const std::vector<std::string> commas = {",", ", ", " , ", ",\n  ", ",,"};
  const std::vector<std::string> closes = {"]", " ]", "\n]", "", ",]", "}"};
  const pyjson::load_options strict{.allow_nan = false};
  const pyjson::load_options shallow{.max_depth = 0};
  std::size_t compared = 0, read = 0;
  auto compare = [&](const std::string& text) {
    INFO(text);
    for (const pyjson::load_options* opt : {&strict, &shallow}) {
      CHECK(outcome_of<std::array<double, 2>>(text, *opt) ==
            outcome_of<std::tuple<double, double>>(text, *opt));
    }
    std::string quick = outcome_of<std::array<double, 2>>(text);
    CHECK(quick == outcome_of<std::tuple<double, double>>(text));
    CHECK(outcome_of<std::array<double, 3>>(text) ==
          outcome_of<std::tuple<double, double, double>>(text));
    ++compared;
    read += quick.find("error") == std::string::npos;
  };
  for (const std::string& a : elements)
    for (const std::string& b : elements)
      for (const std::string& comma : commas)
        for (const std::string& close : closes)
          for (std::size_t pad : {0, 70}) {
            // Padded, the numbers are 64 bytes or more from the end: read_number's quick form.
            std::string body = std::string("[") + a + comma + b + close;
            compare(body + std::string(pad, ' '));
            compare(std::string("[ ") + a + comma + b + close + std::string(pad, ' '));
          }
  CHECK(compared == 2 * 2 * elements.size() * elements.size() * commas.size() * closes.size());
  CHECK(read > 1000);  // most of what is compared reads, not only errors

  // Values, nested in vectors as canada.json's coordinates are, and C arrays.
  using ring = std::vector<std::array<double, 2>>;
  CHECK(pyjson::loads<ring>("[[1, 2.5], [-0.5,3], [1e2 ,\n 4e-1]]") ==
        ring{{1, 2.5}, {-0.5, 3}, {1e2, 4e-1}});
  CHECK(
      type_error_of<ring>("[[1, 2.5], [1, 2, 3]]") ==
      "$[1]: expected array of 2 elements, found array of 3 elements: line 1 column 12 (char 11)");
  CHECK(type_error_of<ring>("[[1, 2.5], [1, true]]") ==
        "$[1][1]: expected float, found bool: line 1 column 16 (char 15)");
  std::string_view text = "[0.5, -2, 3e1]";
  pyjson::detail::reader tok(text, {});
  pyjson::reader r(tok);
  double c_array[3] = {};
  r.read(c_array);
  CHECK((c_array[0] == 0.5 && c_array[1] == -2 && c_array[2] == 30));
}

// The bits of every double of a sequence of doubles or of tuple-like rows of them, in order,
// or the error.
template <class T>
std::string sequence_outcome_of(std::string_view text, const pyjson::load_options& opt = {}) {
  try {
    T v = pyjson::loads<T>(text, opt);
    std::string bits;
    auto add = [&](double d) { bits += std::to_string(std::bit_cast<std::uint64_t>(d)) + " "; };
    for (const auto& e : v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(e)>, double>)
        add(e);
      else
        std::apply([&](auto... d) { (add(static_cast<double>(d)), ...); }, e);
      bits += "| ";
    }
    return bits;
  } catch (const pyjson::type_error& e) {
    return std::string("type_error: ") + e.what();
  } catch (const pyjson::decode_error& e) {
    return std::string("decode_error: ") + e.what();
  }
}

TEST_CASE(
    "typed: vectors of doubles and of arrays of doubles read as the general path reads "
    "deques") {
  // std::vector<double> and std::vector<std::array<double, n>> have a quick path
  // (reader::read_number_array) that reads the whole array in one loop, and on anything unusual
  // starts over by the general path, which std::deque<double> and std::deque<std::tuple<...>>
  // always take: the same bits, or the same error, for any text.
  std::vector<std::string> elements = number_texts();
  elements.insert(elements.end(), {"1" + std::string(400, '0'), "-0.00042073889077731234",
                                   "18446744073709551615", "[1]"});
  // Each element next to a few others (every pair would take seconds).
  const std::vector<std::string> others = {"1", "-65.613616999999977", "NaN", "\"x\"", ""};
  const std::vector<std::string> commas = {",", ", ", " , ", ",\n\t", ",,"};
  const std::vector<std::string> closes = {"]", " ]", "", ",]", "}"};
  using row2 = std::array<double, 2>;
  using tuple2 = std::tuple<double, double>;
  const pyjson::load_options strict{.allow_nan = false};
  std::size_t compared = 0, read = 0;
  auto compare = [&](const std::string& text, bool all_options) {
    INFO(text);
    std::string quick = sequence_outcome_of<std::vector<double>>(text);
    CHECK(quick == sequence_outcome_of<std::deque<double>>(text));
    std::string rows = sequence_outcome_of<std::vector<row2>>(text);
    CHECK(rows == sequence_outcome_of<std::deque<tuple2>>(text));
    if (all_options) {
      CHECK(sequence_outcome_of<std::vector<double>>(text, strict) ==
            sequence_outcome_of<std::deque<double>>(text, strict));
      CHECK(sequence_outcome_of<std::vector<row2>>(text, strict) ==
            sequence_outcome_of<std::deque<tuple2>>(text, strict));
      for (std::size_t depth : {0, 1, 2, 3}) {  // rows need two levels
        const pyjson::load_options shallow{.max_depth = depth};
        CHECK(sequence_outcome_of<std::vector<row2>>(text, shallow) ==
              sequence_outcome_of<std::deque<tuple2>>(text, shallow));
        CHECK(sequence_outcome_of<std::vector<double>>(text, shallow) ==
              sequence_outcome_of<std::deque<double>>(text, shallow));
      }
      CHECK(sequence_outcome_of<std::vector<std::array<double, 3>>>(text) ==
            sequence_outcome_of<std::deque<std::tuple<double, double, double>>>(text));
    }
    ++compared;
    read += (quick.find("error") == std::string::npos) + (rows.find("error") == std::string::npos);
  };
  const std::string pad(70, ' ');  // numbers 64 bytes or more from the end: the quick form
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& e : elements)
    for (const std::string& o : others) {
      pairs.emplace_back(e, o);
      pairs.emplace_back(o, e);
    }
  for (const auto& [a, b] : pairs)
    for (const std::string& comma : commas)
      for (const std::string& close : closes) {
        // Plain numbers: [1.5, a, b] and its closing.
        std::string numbers = "[1.5" + comma + a + comma + b + close;
        compare(numbers + pad, a == b);
        compare(numbers, false);
        // Rows: [[1.5, 2], [a, b] and the row's closing, then the array's.
        std::string rows = "[[1.5, 2]" + comma + "[" + a + comma + b + close;
        compare(rows + "]" + pad, a == b);
        compare("[ " + rows + comma + "[0,0] ]" + pad, false);
        compare(rows + "]", false);
      }
  compare("[]" + pad, true);
  compare("[ ]" + pad, true);
  compare("[\n]" + pad, true);
  compare("[[]]" + pad, true);
  compare("[[1, 2]]", true);
  CHECK(compared == 5 * pairs.size() * commas.size() * closes.size() + 5);
  CHECK(read > 1000);  // most of what is compared reads, not only errors
}

TEST_CASE("typed: integers from 2^63 to 2^64 - 1, near the end of the text and far from it") {
  // read_number decides these (its uint64 kind); int64 and smaller types refuse them, and a
  // double rounds them. Padded, a number is 64 bytes or more from the end: the quick path.
  for (std::size_t pad : {0, 70}) {
    std::string tail(pad, ' ');
    INFO(pad);
    CHECK(pyjson::loads<std::uint64_t>("9223372036854775808" + tail) == 9223372036854775808u);
    CHECK(pyjson::loads<std::uint64_t>("18446744073709551615" + tail) == 18446744073709551615u);
    CHECK(pyjson::loads<double>("18446744073709551615" + tail) == 0x1p64);
    CHECK(pyjson::loads<double>("9223372036854775809" + tail) == 0x1p63);  // rounds to 2^63
    CHECK(pyjson::loads<double>("9223372036854778881" + tail) ==
          0x1p63 + 4096);  // 2^63 + 3073: up, doubles here are 2048 apart
    CHECK(pyjson::loads<std::vector<std::uint64_t>>(
              "[9223372036854775808, 1, 18446744073709551615]" + tail) ==
          std::vector<std::uint64_t>{9223372036854775808u, 1, 18446744073709551615u});
    CHECK(type_error_of<std::int64_t>("9223372036854775808" + tail) ==
          "$: expected int64, found int 9223372036854775808: line 1 column 1 (char 0)");
    CHECK(type_error_of<std::vector<std::uint32_t>>("[1, 18446744073709551615]" + tail) ==
          "$[1]: expected uint32, found int 18446744073709551615: line 1 column 5 (char 4)");
    CHECK(type_error_of<std::uint64_t>("18446744073709551616" + tail) ==
          "$: expected uint64, found int 18446744073709551616: line 1 column 1 (char 0)");
  }
}

// A std::vector of strings or of structs that own memory keeps its first eight elements on the
// stack and moves them into the vector when the array closes, or when a ninth element comes
// (read_held_vector); a std::deque takes the general path. Both read the same, and fail alike
// at a wrong element in any place; the elements held when it fails are freed (ASan's leak
// check runs this test).
TEST_CASE("typed: vectors of strings and of structs, across the elements held on the stack") {
  auto outcome = [](auto read) -> std::string {
    try {
      return read();
    } catch (const pyjson::type_error& e) {
      return std::string("type_error: ") + e.what();
    } catch (const pyjson::decode_error& e) {
      return std::string("decode_error: ") + e.what();
    }
  };
  auto join = [](const std::vector<std::string>& elements) {
    std::string text = "[";
    for (std::size_t i = 0; i < elements.size(); ++i) text += (i ? ", " : "") + elements[i];
    return text + "]";
  };
  auto same_as_deque = [&]<class E>(std::type_identity<E>, const std::string& text) {
    CAPTURE(text);
    std::string want = outcome([&] { return pyjson::dumps(pyjson::loads<std::deque<E>>(text)); });
    CHECK(outcome([&] { return pyjson::dumps(pyjson::loads<std::vector<E>>(text)); }) == want);
    return want;
  };
  std::size_t failures = 0;
  for (std::size_t n = 0; n <= 20; ++n) {
    std::vector<std::string> strings, trees, lists;
    for (std::size_t i = 0; i < n; ++i) {
      strings.push_back('"' + std::string(20 + i, static_cast<char>('a' + i)) + '"');
      trees.push_back(
          R"({"name": "node )" + std::to_string(i) +
          R"( with a name on the heap", "children": [{"name": "leaf", "children": []}]})");
      lists.push_back("[" + std::to_string(i) + ", " + std::to_string(i * i) + "]");
    }
    std::string text = join(strings);
    CHECK(same_as_deque(std::type_identity<std::string>{}, text) ==
          pyjson::dumps(pyjson::loads(text)));
    text = join(trees);
    CHECK(same_as_deque(std::type_identity<tree>{}, text) == pyjson::dumps(pyjson::loads(text)));
    text = join(lists);
    CHECK(same_as_deque(std::type_identity<std::vector<int>>{}, text) ==
          pyjson::dumps(pyjson::loads(text)));
    // A wrong element in each place: a type error, a nested type error, a syntax error.
    for (std::size_t bad = 0; bad < n; ++bad) {
      auto with = [&](std::vector<std::string> elements, std::string wrong) {
        elements[bad] = std::move(wrong);
        return join(elements);
      };
      failures += same_as_deque(std::type_identity<std::string>{}, with(strings, "1"))
                      .starts_with("type_error: $[" + std::to_string(bad) + "]: expected string");
      failures += same_as_deque(std::type_identity<tree>{},
                                with(trees, R"({"name": "x", "children": [{"name": 5}]})"))
                      .starts_with("type_error: $[" + std::to_string(bad) + "].children[0].name");
      failures += same_as_deque(std::type_identity<std::vector<int>>{}, with(lists, "[1, 2,]"))
                      .starts_with("decode_error: Expecting value");
    }
  }
  CHECK(failures == 3 * (20 * 21 / 2));
  // A key given twice: the second array replaces what the first put in the vector.
  std::string nine, three;
  for (int i = 0; i < 9; ++i)
    nine += std::string(i ? ", " : "") + R"({"name": "a", "children": []})";
  for (int i = 0; i < 3; ++i)
    three += std::string(i ? ", " : "") + R"({"name": "b", "children": []})";
  std::string twice =
      R"({"name": "x", "children": [)" + nine + R"(], "children": [)" + three + "]}";
  CHECK(pyjson::dumps(pyjson::loads<tree>(twice)) == pyjson::dumps(pyjson::loads(twice)));
  CHECK(pyjson::loads<tree>(twice).children.size() == 3);
}

TEST_CASE("typed: vectors of small trivially copyable elements, across their buffers' sizes") {
  // The first 512 bytes of elements are read into a buffer on the stack, then into the thread's
  // write buffer (grown as needed), and then into the vector at its size; with the thread's
  // buffer in use (a nested read), the vector takes over from the stack's. Every size around
  // the switches (32 pairs, 128 ints, 32 samples; the write buffer's growth) keeps every
  // element, in order, and reports an error in the last element with its index and position.
  using pair = std::array<double, 2>;
  using pyjson::detail::write_buffer;
  auto shortest = [](double d) {  // not pyjson::dumps: the text must not come from the library
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
  };
  for (bool buffer_busy : {false, true}) {
    // Held here, the thread's buffer is not there for the reads (a sanitizer build has none).
    write_buffer* held = buffer_busy ? write_buffer::take() : nullptr;
    for (std::size_t n : {0, 1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 129, 130, 300, 1000, 5000}) {
      INFO(n << (buffer_busy ? ", thread buffer in use" : ""));
      std::string pairs = "[", ints = "[", samples = "[", doubles = "[";
      std::vector<pair> want_pairs;
      std::vector<int> want_ints;
      std::vector<double> want_doubles;
      for (std::size_t i = 0; i < n; ++i) {
        const char* sep = i ? ", " : "";  // appended on its own: g++ 12 warns on sep + string
        double x = static_cast<double>(i) + 0.25, y = -static_cast<double>(i) / 8;
        pairs.append(sep).append("[").append(shortest(x)).append(", ").append(shortest(y)) += ']';
        want_pairs.push_back({x, y});
        ints.append(sep).append(std::to_string(i * 7));
        want_ints.push_back(static_cast<int>(i * 7));
        doubles.append(sep).append(shortest(y));
        want_doubles.push_back(y);
        samples.append(sep).append(R"({"w": )");
        if (i % 3)
          samples.append(shortest(x)).append(R"(, "id": )").append(std::to_string(i)) += '}';
        else
          samples.append(shortest(y)) += '}';
      }
      auto got_pairs = pyjson::loads<std::vector<pair>>(pairs + "]");
      CHECK(got_pairs == want_pairs);
      auto got_ints = pyjson::loads<std::vector<int>>(ints + "]");
      CHECK(got_ints == want_ints);
      auto got_doubles = pyjson::loads<std::vector<double>>(doubles + "]");
      CHECK(got_doubles == want_doubles);
      auto got_samples = pyjson::loads<std::vector<sample>>(samples + "]");
      REQUIRE(got_samples.size() == n);
      for (std::size_t i = 0; i < n; ++i) {
        INFO(i);
        CHECK(got_samples[i].w == (i % 3 ? want_pairs[i][0] : want_pairs[i][1]));
        CHECK(got_samples[i].id ==
              (i % 3 ? std::optional<int>(static_cast<int>(i)) : std::nullopt));
      }
      // Allocated once, at its size, unless the vector had to take over.
      if (n * sizeof(pair) <= 512 || (!buffer_busy && PYJSON_WRITE_BUFFER_BYTES != 0)) {
        CHECK(got_pairs.capacity() == n);
        CHECK(got_ints.capacity() == n);
      }
      // Into a vector that had elements: they are replaced, not added to.
      std::vector<int> reused(5, -1);
      std::string whole = ints + "]";
      pyjson::detail::reader tok(whole, {});
      pyjson::reader r(tok);
      r.read(reused);
      CHECK(reused == want_ints);
      // An error in the last element (or a bad element where the first would be).
      std::string bad = ints + (n ? ", " : "") + "1.5]";
      CHECK(type_error_of<std::vector<int>>(bad) ==
            "$[" + std::to_string(n) + "]: expected int32, found float 1.5: line 1 column " +
                std::to_string(bad.size() - 3) + " (char " + std::to_string(bad.size() - 4) + ")");
      std::string bad_double = doubles + (n ? ", " : "") + "\"x\"]";
      CHECK(type_error_of<std::vector<double>>(bad_double) ==
            "$[" + std::to_string(n) + "]: expected float, found string: line 1 column " +
                std::to_string(bad_double.size() - 3) + " (char " +
                std::to_string(bad_double.size() - 4) + ")");
      std::string bad_pair = pairs + (n ? ", " : "") + "[1, \"x\"]]";
      CHECK(type_error_of<std::vector<pair>>(bad_pair) ==
            "$[" + std::to_string(n) + "][1]: expected float, found string: line 1 column " +
                std::to_string(bad_pair.size() - 4) + " (char " +
                std::to_string(bad_pair.size() - 5) + ")");
      if (n)  // a syntax error after the elements wins over nothing: Python's message
        CHECK(type_error_of<std::vector<int>>(ints + ",]") ==
              "decode_error: Expecting value: line 1 column " + std::to_string(ints.size() + 2) +
                  " (char " + std::to_string(ints.size() + 1) + ")");
    }
    if (held) held->give_back();
    // The thread's buffer is free again after every read, those that failed too.
    if (write_buffer* again = write_buffer::take())
      again->give_back();
    else
      CHECK(PYJSON_WRITE_BUFFER_BYTES == 0);
  }
  // A buffer grown past PYJSON_WRITE_BUFFER_BYTES is freed when given back, as the writer's:
  // 540,000 pairs take 8.6 MB, above the 8 MiB kept.
  std::string big = "[";
  for (int i = 0; i < 540000; ++i) big += i ? ",[1,2]" : "[1,2]";
  big += "]";
  auto pairs = pyjson::loads<std::vector<std::array<std::int64_t, 2>>>(big);
  CHECK(pairs.size() == 540000);
  if (PYJSON_WRITE_BUFFER_BYTES != 0) CHECK(pairs.capacity() == 540000);  // else: grown
  CHECK((pairs.back() == std::array<std::int64_t, 2>{1, 2}));
  if (write_buffer* after = write_buffer::take()) {
    CHECK(after->capacity_ == 0);
    after->give_back();
  }
}
