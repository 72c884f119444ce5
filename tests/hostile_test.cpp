// Tests of hostile input: nesting bombs, unbalanced brackets, huge strings and numbers, floods of
// keys, broken UTF-8, NUL bytes, every truncation of a document, and streams that fail midway.
// Each gets Python's error (or the right value), in time linear in its size, and never a crash.
// Expected texts were produced by python3 (str(e) of json.loads(bytes)); pyjson adds Python's
// position suffix to a UnicodeDecodeError, as in reader_test.cpp.
// SPDX-License-Identifier: MIT
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <istream>
#include <limits>
#include <ostream>
#include <pyjson.hpp>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "hostile/inputs.hpp"

using pyjson::value;
using namespace std::string_literals;

namespace {

using hostile::node;
using hostile::node_b;
using hostile::object_text;
using hostile::repeat;

constexpr std::size_t million = 1'000'000;

// "OK " and the dumps of the value, or the decode_error's what(); any other exception escapes and
// fails the test, so the exception type is checked too.
std::string outcome_of(std::string_view text, const pyjson::load_options& opt = {}) {
  try {
    return "OK " + pyjson::dumps(pyjson::loads(text, opt));
  } catch (const pyjson::decode_error& e) {
    return e.what();
  }
}

// Seconds taken by the fastest of three runs of f: the least disturbed by other processes.
template <class F>
double fastest_of_three(F&& f) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

// Time grows linearly: ten times the input may take at most forty times as long (a quadratic
// algorithm would take a hundred times). The small input is large enough to take milliseconds.
template <class F>
void check_linear(F&& run_with_size, std::size_t small) {
  double t_small = fastest_of_three([&] { run_with_size(small); });
  double t_big = fastest_of_three([&] { run_with_size(10 * small); });
  CAPTURE(small, t_small, t_big);
  CHECK(t_big < 40 * t_small + 0.005);
}

// The 64-bit FNV-1a hash, to compare many messages with python3's in one number.
std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ull) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

// A 2 KB document with every feature of the grammar: nesting, every escape, \u escapes with
// surrogate pairs and lone surrogates, raw UTF-8 of two, three and four bytes, every number form
// (big integers, exponents, overflow and underflow, NaN and infinities), literals, a repeated
// key, tabs and CRLF line ends. It starts with '{', so every proper prefix is invalid.
const std::string sample_document = std::string(R"json({
  "name": "pyjson sample \u2014 every feature",
  "ascii": "plain text with spaces, tabs\tand\nnewlines",
  "escapes": "\" \\ \/ \b \f \n \r \t",
  "unicode_escapes": "\u0041\u00e9\u20ac\uffff\u0000",
  "surrogate_pair": "\ud83d\ude00 and \uD834\uDD1E",
  "lone_surrogates": ["\ud800", "\udfff", "x\udbffy"],
  "utf8": "é € 😀 日本語 Ελληνικά Кириллица",
  "numbers": {
    "zero": 0, "negative_zero": -0, "int": 42, "negative": -17,
    "int64_max": 9223372036854775807, "int64_min": -9223372036854775808,
    "uint64_max": 18446744073709551615, "big": 123456789012345678901234567890,
    "negative_big": -98765432109876543210987654321,
    "float": 3.14159, "negative_float": -0.5, "float_zero": 0.0, "float_negative_zero": -0.0,
    "exp": 6.02e23, "exp_upper": 1E+10, "exp_negative": 2.5e-3, "exp_signed": 1e+2,
    "tiny": 5e-324, "huge": 1.7976931348623157e308, "overflow": 1e400, "underflow": 1e-400,
    "long_fraction": 0.1000000000000000055511151231257827021181583404541015625,
    "special": [NaN, Infinity, -Infinity]
  },
  "literals": [true, false, null],
  "empty": {"array": [], "object": {}, "string": ""},
  "nested": [[[[[[[[["deep"]]]]]]]], {"a": {"b": {"c": {"d": [1, {"e": null}]}}}}],
  "mixed": [1, "two", 3.0, [4], {"five": 5}, true, null, -6e-1, "\u0037"],
  "repeated": {"k": 1, "k": 2, "other": 3, "k": 4},)json") +
                                    "\n\t\"tab_indented\": [ 1 ,\t2 ,\n\t3 ],\r\n"
                                    "  \"crlf\": [1,\r\n    2],\n" +
                                    R"json(  "whitespace" : { "a" : [ ] , "b" : { } },
  "key with \"quotes\" and \\ backslash": "value",
  "日本": {"ключ": "значение", "😀": ["🎉", "✓"]},
  "long_string": "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.",
  "array_of_objects": [
    {"id": 1, "tags": ["a", "b"], "score": 9.5, "ok": true},
    {"id": 2, "tags": [], "score": -1.25e-7, "ok": false},
    {"id": 3, "tags": ["\u00fc", "\n"], "score": 100, "ok": null}
  ],
  "last": "end"
})json";

struct with_a {
  int a = 0;
};

// An input buffer that serves `text` in small chunks and fails once `limit` bytes are out: its
// underflow throws (a read error, which istream turns into badbit) or reports a clean end.
class failing_input : public std::streambuf {
 public:
  enum mode { throws, ends };
  failing_input(std::string text, std::size_t limit, mode m)
      : text_(std::move(text)), limit_(std::min(limit, text_.size())), mode_(m) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (served_ == limit_) {
      if (mode_ == throws) throw std::runtime_error("disk read error");
      return traits_type::eof();
    }
    std::size_t n = std::min<std::size_t>(4096, limit_ - served_);
    char* p = text_.data() + served_;
    setg(p, p, p + n);
    served_ += n;
    return traits_type::to_int_type(*p);
  }

 private:
  std::string text_;
  std::size_t limit_, served_ = 0;
  mode mode_;
};

// An output buffer that takes `limit` bytes, then fails: overflow reports EOF, or throws.
class failing_output : public std::streambuf {
 public:
  enum mode { refuses, throws };
  failing_output(std::size_t limit, mode m) : limit_(limit), mode_(m) { reset_area(); }
  const std::string& written() const { return written_; }

 protected:
  int_type overflow(int_type c) override {
    flush_area();
    if (written_.size() >= limit_ || traits_type::eq_int_type(c, traits_type::eof())) {
      if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
      if (mode_ == throws) throw std::runtime_error("disk write error");
      return traits_type::eof();
    }
    written_ += traits_type::to_char_type(c);
    reset_area();
    return c;
  }
  int sync() override {
    flush_area();
    return 0;
  }

 private:
  // The put area holds at most what may still be written, so the limit is exact.
  void reset_area() {
    std::size_t room =
        std::min<std::size_t>(sizeof area_, limit_ - std::min(limit_, written_.size()));
    setp(area_, area_ + room);
  }
  void flush_area() {
    written_.append(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    reset_area();
  }
  char area_[1024];
  std::string written_;
  std::size_t limit_;
  mode mode_;
};

}  // namespace

TEST_CASE("hostile: a million opening brackets stop at max_depth", "[hostile]") {
  CHECK(outcome_of(std::string(million, '[')) ==
        "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)");
  CHECK(outcome_of(repeat("{\"a\":", million)) ==
        "Nesting deeper than max_depth (1000): line 1 column 5001 (char 5000)");
  // Arrays and objects in turn: the 1001st bracket is the '[' of the 501st "[{"a":".
  CHECK(outcome_of(repeat("[{\"a\":", million / 2)) ==
        "Nesting deeper than max_depth (1000): line 1 column 3001 (char 3000)");
  try {
    pyjson::loads(std::string(million, '['));
    FAIL("no exception");
  } catch (const pyjson::decode_error& e) {
    CHECK(e.msg() == "Nesting deeper than max_depth (1000)");
    CHECK(e.pos() == 1000);
    CHECK(e.byte_pos() == 1000);
  }
  // Typed reading has the same bound, and so has a value skipped under an unknown key (the
  // object around it is the first level).
  CHECK_THROWS_MATCHES(
      pyjson::loads<std::vector<int>>(std::string(million, '[')), pyjson::decode_error,
      Catch::Message("Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)"));
  CHECK_THROWS_MATCHES(
      pyjson::loads<with_a>("{\"b\": " + std::string(million, '[')), pyjson::decode_error,
      Catch::Message("Nesting deeper than max_depth (1000): line 1 column 1006 (char 1005)"));
  CHECK_THROWS_MATCHES(
      pyjson::loads<std::vector<value>>("[" + std::string(million, '[')), pyjson::decode_error,
      Catch::Message("Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)"));
}

TEST_CASE("hostile: a million levels with a raised max_depth parse and free without recursion",
          "[hostile]") {
  const pyjson::load_options deep{.max_depth = 2 * million};
  {
    value v = pyjson::loads(std::string(million, '[') + std::string(million, ']'), deep);
    // Walk down (a loop, not an assertion per level): one element per level, the last empty.
    const value* p = &v;
    std::size_t depth = 1, single = 0;
    for (; !p->empty(); ++depth) {
      single += p->size() == 1;
      p = &p->as_array().front();
    }
    CHECK(depth == million);
    CHECK(single == million - 1);
    // The writer stops at 10,000 levels with a value_error, as Python's encoder stops at its
    // recursion limit with RecursionError "maximum recursion depth exceeded while encoding a
    // JSON object" (for lists too).
    CHECK_THROWS_MATCHES(
        pyjson::dumps(v), pyjson::value_error,
        Catch::Message("maximum recursion depth exceeded while encoding a JSON object"));
  }  // v is destroyed here: iteratively, or the stack would overflow
  {
    value v = pyjson::loads(repeat("{\"a\":", million) + "null" + std::string(million, '}'), deep);
    const value* p = &v;
    std::size_t depth = 0, single = 0;
    for (; p && p->is_object(); ++depth) {
      single += p->size() == 1;
      p = p->find("a");
    }
    CHECK(depth == million);
    CHECK(single == million);
    REQUIRE(p != nullptr);
    CHECK(p->is_null());
    v = value();  // assignment frees the old tree the same way
    CHECK(v.is_null());
  }
  // Python's messages for the same shapes (its recursion limit stops it before this depth).
  CHECK(outcome_of(std::string(million, '['), deep) ==
        "Expecting value: line 1 column 1000001 (char 1000000)");
  CHECK(outcome_of(repeat("{\"a\":", million), deep) ==
        "Expecting value: line 1 column 5000001 (char 5000000)");
  CHECK(outcome_of(std::string(million, '[') + std::string(million - 1, ']'), deep) ==
        "Expecting ',' delimiter: line 1 column 2000000 (char 1999999)");
  // Nesting that fits the bound exactly, and one level more.
  const pyjson::load_options exact{.max_depth = million};
  CHECK(pyjson::loads(std::string(million, '[') + std::string(million, ']'), exact).is_array());
  CHECK(outcome_of(std::string(million + 1, '[') + std::string(million + 1, ']'), exact) ==
        "Nesting deeper than max_depth (1000000): line 1 column 1000001 (char 1000000)");
}

TEST_CASE("hostile: deep values can be copied and compared", "[hostile]") {
  // Copies and == recurse once per level; at a depth the writer still accepts they work.
  const pyjson::load_options deep{.max_depth = 5000};
  std::string text = std::string(5000, '[') + std::string(5000, ']');
  value v = pyjson::loads(text, deep);
  value copy = v;
  CHECK(copy == v);
  CHECK(pyjson::dumps(copy) == text);
  // A million levels (loads accepts them with a raised max_depth): copy, == and destruction
  // are all iterative.
  std::string t = std::string(million, '[') + std::string(million, ']');
  value w = pyjson::loads(t, {.max_depth = 2 * million});
  value w_copy = w;
  CHECK(w_copy == w);
  CHECK(w == pyjson::loads(t, {.max_depth = 2 * million}));
  CHECK_FALSE(w == pyjson::loads(std::string(million, '[') + "1" + std::string(million, ']'),
                                 {.max_depth = 2 * million}));
}

TEST_CASE("hostile: a million closing brackets and other unbalanced closers", "[hostile]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {std::string(1000000, ']'), "Expecting value: line 1 column 1 (char 0)"},
      {std::string(1000000, '}'), "Expecting value: line 1 column 1 (char 0)"},
      {"[1" + std::string(1000000, ']'), "Extra data: line 1 column 4 (char 3)"},
      {std::string(500, '[') + std::string(1000000, ']'),
       "Extra data: line 1 column 1001 (char 1000)"},
      {"{\"a\":1" + std::string(1000000, ']'), "Expecting ',' delimiter: line 1 column 7 (char 6)"},
      {"[" + std::string(1000000, '}'), "Expecting value: line 1 column 2 (char 1)"},
      {"[[]" + std::string(1000000, '}'), "Expecting ',' delimiter: line 1 column 4 (char 3)"},
      {repeat("][", 500000), "Expecting value: line 1 column 1 (char 0)"},
      {repeat("[]", 500000), "Extra data: line 1 column 3 (char 2)"},
      {repeat("{}", 500000), "Extra data: line 1 column 3 (char 2)"},
      {"[1, 2]" + repeat("\n]", 1000000), "Extra data: line 2 column 1 (char 7)"},
  }));
  CAPTURE(text.substr(0, 20), text.size());
  CHECK(outcome_of(text) == expected);
  // The typed reader agrees.
  CHECK_THROWS_MATCHES(pyjson::loads<std::vector<value>>(text), pyjson::decode_error,
                       Catch::Message(expected));
}

TEST_CASE("hostile: a 100 MB string parses and round-trips", "[hostile]") {
  // Every printable ASCII byte except the quote and the backslash, so the scan meets them all.
  std::string content = hostile::ascii_run(100 * million);
  REQUIRE(content.size() == 100 * million);
  std::string text = '"' + content + '"';
  {
    value v = pyjson::loads(text);
    REQUIRE(v.is_string());
    CHECK(v.get<std::string_view>().size() == content.size());
    CHECK(v.get<std::string_view>() == content);
    std::string back = pyjson::dumps(v);
    CHECK(back.size() == text.size());
    CHECK(back == text);
  }
  // The same string unterminated, and with a control character or a bad byte at the very end.
  text.pop_back();
  CHECK(outcome_of(text) == "Unterminated string starting at: line 1 column 1 (char 0)");
  text += "\x1f\"";
  CHECK(outcome_of(text) ==
        "Invalid control character at: line 1 column 100000002 (char 100000001)");
  text.replace(text.size() - 2, 1, "\xff");
  CHECK(outcome_of(text) ==
        "'utf-8' codec can't decode byte 0xff in position 100000001: invalid start byte: line 1 "
        "column 100000002 (char 100000001)");
}

TEST_CASE("hostile: 4 MB strings of multi-byte characters and of escapes", "[hostile]") {
  // é, €, 😀: two, three and four bytes; positions count characters, not bytes.
  std::string content = repeat("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 4 * million / 9);
  value v = pyjson::loads('"' + content + '"');
  CHECK(v.get<std::string_view>() == content);
  CHECK(pyjson::dumps(v, {.ensure_ascii = false}) == '"' + content + '"');
  std::size_t triples = content.size() / 9;
  CHECK(pyjson::dumps(v).size() == 2 + triples * (6 + 6 + 12));
  CHECK(outcome_of("\"" + content + "\x01\"") == "Invalid control character at: line 1 column " +
                                                     std::to_string(3 * triples + 2) + " (char " +
                                                     std::to_string(3 * triples + 1) + ")");
  CHECK(outcome_of("\"" + content + "\xe2\x82") ==
        "'utf-8' codec can't decode bytes in position " + std::to_string(content.size() + 1) + "-" +
            std::to_string(content.size() + 2) + ": unexpected end of data: line 1 column " +
            std::to_string(3 * triples + 2) + " (char " + std::to_string(3 * triples + 1) + ")");
  // Escapes: every character of the string comes from one.
  std::string escaped = repeat("\\n\\u00e9\\ud83d\\ude00\\\"", 200000);
  value e = pyjson::loads('"' + escaped + '"');
  CHECK(e.get<std::string_view>() == repeat("\n\xc3\xa9\xf0\x9f\x98\x80\"", 200000));
  CHECK(pyjson::dumps(e) == '"' + escaped + '"');
}

TEST_CASE("hostile: ten megabytes of invalid UTF-8 after valid text", "[hostile]") {
  std::string garbage;
  for (int b = 0x80; b < 0x100; ++b) garbage += static_cast<char>(b);
  garbage = repeat(garbage, 10 * million / garbage.size());
  CHECK(outcome_of("[\"ok\"] " + garbage) ==
        "'utf-8' codec can't decode byte 0x80 in position 7: invalid start byte: line 1 column 8 "
        "(char 7)");
  CHECK(outcome_of('"' + std::string(10 * million, 'a') + "\xff\"") ==
        "'utf-8' codec can't decode byte 0xff in position 10000001: invalid start byte: line 1 "
        "column 10000002 (char 10000001)");
  // A bad byte far from a syntax error, and after a surrogate that surrogatepass accepts.
  CHECK(outcome_of("[" + repeat("\"x\", ", million) + "\"\xed\xa0\x80\", \xc0\x80]") ==
        "'utf-8' codec can't decode byte 0xc0 in position 5000008: invalid start byte: line 1 "
        "column 5000007 (char 5000006)");
}

TEST_CASE("hostile: a million-digit integer is kept exactly, in linear time", "[hostile]") {
  std::string digits = "9" + std::string(million - 2, '0') + "1";
  for (const std::string& text : {digits, "-" + digits}) {
    value v = pyjson::loads(text);
    CHECK(v.is_int());
    CHECK(v.is_big_int());
    CHECK(v.int_text() == text);
    CHECK(pyjson::dumps(v) == text);
    CHECK(pyjson::dumps(pyjson::loads("[" + text + "]")) == "[" + text + "]");
    CHECK_THROWS_MATCHES(v.get<std::int64_t>(), pyjson::type_error,
                         Catch::Message("int " + text + " is out of range for int64"));
    // Python: OverflowError: int too large to convert to float.
    CHECK_THROWS_MATCHES(v.get<double>(), pyjson::type_error,
                         Catch::Message("int too large to convert to float"));
    CHECK_THROWS_AS(pyjson::loads<std::int64_t>(text), pyjson::type_error);
    // Typed reading agrees: float(int) refuses what no double holds.
    CHECK_THROWS_MATCHES(pyjson::loads<double>(text), pyjson::type_error,
                         Catch::Message("$: int too large to convert to float: line 1 column 1 "
                                        "(char 0)"));
  }
  check_linear(
      [](std::size_t n) {
        std::string t(n, '7');
        CHECK(pyjson::dumps(pyjson::loads(t)).size() == n);
      },
      million);
}

TEST_CASE("hostile: million-digit floats and huge exponents follow Python's float()", "[hostile]") {
  // Expected values are python3's json.dumps(json.loads(text)).
  const std::string zeros(million, '0');
  const std::string nines(million, '9');
  const std::string halfway = "1.00000000000000011102230246251565404236316680908203125";
  auto [text, expected] = GENERATE_COPY(table<std::string, std::string>({
      {"0." + std::string(million, '1'), "0.1111111111111111"},
      {halfway + zeros + "1", "1.0000000000000002"},  // just above a tie: rounds up
      {halfway + zeros, "1.0"},                       // an exact tie: rounds to even
      {"0." + zeros + "1e1000000", "0.1"},
      {"1" + zeros + "e-1000000", "1.0"},
      {"1" + zeros + ".0e-999990", "10000000000.0"},
      {"-" + nines + ".5e-999990", "-10000000000.0"},
      {"0." + zeros + "1", "0.0"},
      {"1e" + nines, "Infinity"},
      {"1e-" + nines, "0.0"},
      {"0e" + nines, "0.0"},
      {"-0.0e" + nines, "-0.0"},
      {"1e999999999", "Infinity"},
      {"-1e999999999", "-Infinity"},
      {"1e-999999999", "0.0"},
      {"-1e-999999999", "-0.0"},
      {"1e400", "Infinity"},
      {"2.4703282292062327e-324", "0.0"},  // below half the smallest subnormal
      {"2.4703282292062328e-324", "5e-324"},
  }));
  CAPTURE(text.substr(0, 30), text.size());
  CHECK(outcome_of(text) == "OK " + expected);
  CHECK(outcome_of("[" + text + "]") == "OK [" + expected + "]");
}

TEST_CASE("hostile: float parsing takes linear time in the digits", "[hostile]") {
  check_linear(
      [](std::size_t n) {
        CHECK(pyjson::dumps(pyjson::loads("0." + std::string(n, '3') + "e5")) ==
              "33333.333333333336");
      },
      million);
}

TEST_CASE("hostile: a million keys, distinct, identical, and half repeated", "[hostile]") {
  SECTION("distinct") {
    value v =
        pyjson::loads(object_text(million, [](std::size_t i) { return "k" + std::to_string(i); }));
    REQUIRE(v.size() == million);
    auto items = v.items();
    CHECK(items[0].key() == "k0");
    CHECK(items[123456].key() == "k123456");
    CHECK(items[123456].value() == value(123456));
    CHECK(items[million - 1].key() == "k999999");
    CHECK(v.at("k999999") == value(999999));
  }
  SECTION("identical") {
    // Python builds the dict by inserting in order: the last value wins.
    value v = pyjson::loads(object_text(million, [](std::size_t) { return "a"; }));
    CHECK(pyjson::dumps(v) == R"({"a": 999999})");
  }
  SECTION("half repeated: each of 100,000 keys twice, in two runs") {
    // 200,000 keys here; pyjson_hostile_measure runs the full million.
    std::size_t half = 100000;
    value v = pyjson::loads(
        object_text(2 * half, [&](std::size_t i) { return "k" + std::to_string(i % half); }));
    REQUIRE(v.size() == half);
    auto items = v.items();
    // A repeated key keeps its first position and takes its last value.
    CHECK(items[0].key() == "k0");
    CHECK(items[0].value() == value(half));
    CHECK(items[half - 1].key() == "k99999");
    CHECK(items[half - 1].value() == value(2 * half - 1));
    CHECK(items[4321].key() == "k4321");
    CHECK(items[4321].value() == value(half + 4321));
  }
  SECTION("many repeats of a few long keys sharing a prefix") {
    std::string prefix(200, 'p');
    value v = pyjson::loads(object_text(
        100000, [&](std::size_t i) { return prefix + std::to_string(1000 + i % 1000); }));
    REQUIRE(v.size() == 1000);
    auto items = v.items();
    CHECK(items[0].key() == prefix + "1000");
    CHECK(items[0].value() == value(99000));
    CHECK(items[999].key() == prefix + "1999");
    CHECK(items[999].value() == value(99999));
  }
}

TEST_CASE("hostile: building and searching a large object takes linear time", "[hostile]") {
  // Lookups that compared every member made ten times the keys a hundred times slower.
  auto key_number = [](std::size_t i) {
    std::string k = "key";
    k += std::to_string(i);
    return k;
  };
  check_linear(
      [&](std::size_t n) {
        value v;
        for (std::size_t i = 0; i < n; ++i) v[key_number(i)] = i;
        std::size_t found = 0;
        for (std::size_t i = 0; i < n; i += 2) found += v.at(key_number(i)) == value(i);
        for (std::size_t i = 1; i < n; i += 2) found += v.at(key_number(i)) == value(i);
        CHECK(found == n);
        // A parsed object searched through const access only.
        const value parsed = pyjson::loads(pyjson::dumps(v));
        found = 0;
        for (std::size_t i = 0; i < n; ++i) found += parsed.at(key_number(i)) == value(i);
        CHECK(found == n);
        CHECK(v.size() == n);
        CHECK(v.erase("key0") == 1);
        CHECK(v.items()[0].key() == "key1");
        CHECK(!v.contains("key0"));
      },
      20000);
}

TEST_CASE("hostile: invalid UTF-8 of every class, as json.loads(bytes) decodes it", "[hostile]") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      // Overlong forms.
      {"[\"\xc0\x80\"]",
       "'utf-8' codec can't decode byte 0xc0 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xc1\xbf\"]",
       "'utf-8' codec can't decode byte 0xc1 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xe0\x80\x80\"]",
       "'utf-8' codec can't decode byte 0xe0 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xe0\x9f\xbf\"]",
       "'utf-8' codec can't decode byte 0xe0 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xf0\x80\x80\x80\"]",
       "'utf-8' codec can't decode byte 0xf0 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xf0\x8f\xbf\xbf\"]",
       "'utf-8' codec can't decode byte 0xf0 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      // Surrogates encoded in UTF-8: json.loads(bytes) decodes with surrogatepass and accepts
      // them whole, a pair too (as two lone surrogates).
      {"[\"\xed\xa0\x80\"]", "OK [\"\\ud800\"]"},
      {"[\"\xed\xbf\xbf\"]", "OK [\"\\udfff\"]"},
      {"[\"\xed\xa0\xbd\xed\xb8\x80\"]", "OK [\"\\ud83d\\ude00\"]"},
      {"[\"a\xed\xb0\x80"
       "b\"]",
       "OK [\"a\\udc00b\"]"},
      // Broken surrogates.
      {"[\"\xed\xa0\"]",
       "'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xed\xa0",
       "'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xed",
       "'utf-8' codec can't decode byte 0xed in position 2: unexpected end of data: line 1 column "
       "3 (char 2)"},
      {"[\"\xed\xa0\xed\xb0\x80\"]",
       "'utf-8' codec can't decode byte 0xed in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      // Beyond U+10FFFF.
      {"[\"\xf4\x90\x80\x80\"]",
       "'utf-8' codec can't decode byte 0xf4 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xf5\x80\x80\x80\"]",
       "'utf-8' codec can't decode byte 0xf5 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xf7\xbf\xbf\xbf\"]",
       "'utf-8' codec can't decode byte 0xf7 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      // Truncated sequences, followed by more text and at the end of the input.
      {"[\"\xc3\"]",
       "'utf-8' codec can't decode byte 0xc3 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xe2\x82\"]",
       "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xf0\x9f\x98\"]",
       "'utf-8' codec can't decode bytes in position 2-4: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xf0\x9f\"]",
       "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xe2\"]",
       "'utf-8' codec can't decode byte 0xe2 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xf0\"]",
       "'utf-8' codec can't decode byte 0xf0 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      {"[\"\xc3",
       "'utf-8' codec can't decode byte 0xc3 in position 2: unexpected end of data: line 1 column "
       "3 (char 2)"},
      {"[\"\xe2\x82",
       "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data: line 1 column 3 "
       "(char 2)"},
      {"[\"\xf0\x9f\x98",
       "'utf-8' codec can't decode bytes in position 2-4: unexpected end of data: line 1 column 3 "
       "(char 2)"},
      {"[\"\xf0\x9f",
       "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data: line 1 column 3 "
       "(char 2)"},
      {"[\"\xe2",
       "'utf-8' codec can't decode byte 0xe2 in position 2: unexpected end of data: line 1 column "
       "3 (char 2)"},
      {"[\"\xf4\x8f",
       "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data: line 1 column 3 "
       "(char 2)"},
      {"[\"\xe2\x82(\"]",
       "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xf0\x90(\xbc\"]",
       "'utf-8' codec can't decode bytes in position 2-3: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xf0\x90\x8c(\"]",
       "'utf-8' codec can't decode bytes in position 2-4: invalid continuation byte: line 1 column "
       "3 (char 2)"},
      {"[\"\xe2(\xa1\"]",
       "'utf-8' codec can't decode byte 0xe2 in position 2: invalid continuation byte: line 1 "
       "column 3 (char 2)"},
      // Lone continuation bytes.
      {"[\"\x80\"]",
       "'utf-8' codec can't decode byte 0x80 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xbf\"]",
       "'utf-8' codec can't decode byte 0xbf in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"a\x80"
       "b\"]",
       "'utf-8' codec can't decode byte 0x80 in position 3: invalid start byte: line 1 column 4 "
       "(char 3)"},
      {"[\"\xc3\xa9\x80\"]",
       "'utf-8' codec can't decode byte 0x80 in position 4: invalid start byte: line 1 column 4 "
       "(char 3)"},
      {"[\"\x80\x80\x80\"]",
       "'utf-8' codec can't decode byte 0x80 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      // Bytes that never start a sequence: C0, C1, F5..FF.
      {"[\"\xf5\"]",
       "'utf-8' codec can't decode byte 0xf5 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xf8\"]",
       "'utf-8' codec can't decode byte 0xf8 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xfb\xbf\xbf\xbf\xbf\"]",
       "'utf-8' codec can't decode byte 0xfb in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xfc\"]",
       "'utf-8' codec can't decode byte 0xfc in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xfd\"]",
       "'utf-8' codec can't decode byte 0xfd in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xfe\"]",
       "'utf-8' codec can't decode byte 0xfe in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xff\"]",
       "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xc0\"]",
       "'utf-8' codec can't decode byte 0xc0 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xc1\"]",
       "'utf-8' codec can't decode byte 0xc1 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      // Outside strings: between tokens, after the document, after a syntax error, after a BOM.
      {"[1, \x80]",
       "'utf-8' codec can't decode byte 0x80 in position 4: invalid start byte: line 1 column 5 "
       "(char 4)"},
      {"[1] \xff",
       "'utf-8' codec can't decode byte 0xff in position 4: invalid start byte: line 1 column 5 "
       "(char 4)"},
      {"[1, 2 3] \xfe",
       "'utf-8' codec can't decode byte 0xfe in position 9: invalid start byte: line 1 column 10 "
       "(char 9)"},
      {"  \xff",
       "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"{\"a\"\xc3: 1}",
       "'utf-8' codec can't decode byte 0xc3 in position 4: invalid continuation byte: line 1 "
       "column 5 (char 4)"},
      {"[1,\n \"\xc3\xa9\", \n \xff]",
       "'utf-8' codec can't decode byte 0xff in position 13: invalid start byte: line 3 column 2 "
       "(char 12)"},
      {"\xef\xbb\xbf[\"\xff\"]",
       "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xe2\x82\xac\", \"\xf0\x9f\x98\x80\", \xf8]",
       "'utf-8' codec can't decode byte 0xf8 in position 16: invalid start byte: line 1 column 12 "
       "(char 11)"},
      // The valid neighbours of the ranges above.
      {"[\"\xc2\x80\", \"\xdf\xbf\", \"\xe0\xa0\x80\", \"\xef\xbf\xbf\", \"\xf0\x90\x80\x80\", "
       "\"\xf4\x8f\xbf\xbf\"]",
       "OK [\"\\u0080\", \"\\u07ff\", \"\\u0800\", \"\\uffff\", \"\\ud800\\udc00\", "
       "\"\\udbff\\udfff\"]"},
  }));
  CAPTURE(text);
  CHECK(outcome_of(text) == expected);
}

TEST_CASE("hostile: NUL bytes inside strings, between tokens and after the document", "[hostile]") {
  // Strings with "s": a NUL byte is part of the text. Python reads the first two bytes to guess
  // UTF-16 or UTF-32, so every input here has its first NUL at position 2 or later.
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"\"ab\x00"
       "cd\""s,
       "Invalid control character at: line 1 column 4 (char 3)"},
      {"{\"a\x00\": 1}"s, "Invalid control character at: line 1 column 4 (char 3)"},
      {"\"\xc3\xa9\x00\""s, "Invalid control character at: line 1 column 3 (char 2)"},
      {"[1,\n\"x\x00\"]"s, "Invalid control character at: line 2 column 3 (char 6)"},
      {"[1, \x00 2]"s, "Expecting value: line 1 column 5 (char 4)"},
      {"[ \x00]"s, "Expecting value: line 1 column 3 (char 2)"},
      {"[1, 2]\x00"s, "Extra data: line 1 column 7 (char 6)"},
      {"[1, 2] \x00"s, "Extra data: line 1 column 8 (char 7)"},
      {"[1,2]"s + std::string(1000, '\0'), "Extra data: line 1 column 6 (char 5)"},
      {"\"ab"s + std::string(million, '\0') + "\"",
       "Invalid control character at: line 1 column 4 (char 3)"},
  }));
  CAPTURE(text.size());
  CHECK(outcome_of(text) == expected);
}

TEST_CASE("hostile: NUL bytes in strings with strict=False", "[hostile]") {
  // strict=False lets NUL bytes into strings, as json.loads(b, strict=False) does.
  const pyjson::load_options lax{.strict = false};
  CHECK(outcome_of("\"ab\x00"
                   "cd\""s,
                   lax) == R"(OK "ab\u0000cd")");
  CHECK(outcome_of("{\"a\x00\": \"\x00\"}"s, lax) == R"(OK {"a\u0000": "\u0000"})");
  value big = pyjson::loads("\"ab"s + std::string(million, '\0') + "\"", lax);
  CHECK(big.get<std::string_view>() == "ab"s + std::string(million, '\0'));
}

TEST_CASE("hostile: every truncation of a document is a decode_error with Python's message",
          "[hostile]") {
  const std::string& doc = sample_document;
  REQUIRE(doc.size() == 2069);
  // The whole document: python3's json.dumps(json.loads(doc)).
  CHECK(pyjson::dumps(pyjson::loads(doc)) ==
        "{\"name\": \"pyjson sample \\u2014 every feature\", \"ascii\": \"plain text with spaces, "
        "tabs\\tand\\nnewlines\", \"escapes\": \"\\\" \\\\ / \\b \\f \\n \\r \\t\", "
        "\"unicode_escapes\": \"A\\u00e9\\u20ac\\uffff\\u0000\", \"surrogate_pair\": "
        "\"\\ud83d\\ude00 and \\ud834\\udd1e\", \"lone_surrogates\": [\"\\ud800\", \"\\udfff\", "
        "\"x\\udbffy\"], \"utf8\": \"\\u00e9 \\u20ac \\ud83d\\ude00 \\u65e5\\u672c\\u8a9e "
        "\\u0395\\u03bb\\u03bb\\u03b7\\u03bd\\u03b9\\u03ba\\u03ac "
        "\\u041a\\u0438\\u0440\\u0438\\u043b\\u043b\\u0438\\u0446\\u0430\", \"numbers\": "
        "{\"zero\": 0, \"negative_zero\": 0, \"int\": 42, \"negative\": -17, \"int64_max\": "
        "9223372036854775807, \"int64_min\": -9223372036854775808, \"uint64_max\": "
        "18446744073709551615, \"big\": 123456789012345678901234567890, \"negative_big\": "
        "-98765432109876543210987654321, \"float\": 3.14159, \"negative_float\": -0.5, "
        "\"float_zero\": 0.0, \"float_negative_zero\": -0.0, \"exp\": 6.02e+23, \"exp_upper\": "
        "10000000000.0, \"exp_negative\": 0.0025, \"exp_signed\": 100.0, \"tiny\": 5e-324, "
        "\"huge\": 1.7976931348623157e+308, \"overflow\": Infinity, \"underflow\": 0.0, "
        "\"long_fraction\": 0.1, \"special\": [NaN, Infinity, -Infinity]}, \"literals\": [true, "
        "false, null], \"empty\": {\"array\": [], \"object\": {}, \"string\": \"\"}, \"nested\": "
        "[[[[[[[[[\"deep\"]]]]]]]], {\"a\": {\"b\": {\"c\": {\"d\": [1, {\"e\": null}]}}}}], "
        "\"mixed\": [1, \"two\", 3.0, [4], {\"five\": 5}, true, null, -0.6, \"7\"], \"repeated\": "
        "{\"k\": 4, \"other\": 3}, \"tab_indented\": [1, 2, 3], \"crlf\": [1, 2], \"whitespace\": "
        "{\"a\": [], \"b\": {}}, \"key with \\\"quotes\\\" and \\\\ backslash\": \"value\", "
        "\"\\u65e5\\u672c\": {\"\\u043a\\u043b\\u044e\\u0447\": "
        "\"\\u0437\\u043d\\u0430\\u0447\\u0435\\u043d\\u0438\\u0435\", \"\\ud83d\\ude00\": "
        "[\"\\ud83c\\udf89\", \"\\u2713\"]}, \"long_string\": \"Lorem ipsum dolor sit amet, "
        "consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna "
        "aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut "
        "aliquip ex ea commodo consequat.\", \"array_of_objects\": [{\"id\": 1, \"tags\": [\"a\", "
        "\"b\"], \"score\": 9.5, \"ok\": true}, {\"id\": 2, \"tags\": [], \"score\": -1.25e-07, "
        "\"ok\": false}, {\"id\": 3, \"tags\": [\"\\u00fc\", \"\\n\"], \"score\": 100, \"ok\": "
        "null}], \"last\": \"end\"}");

  std::vector<std::string> messages;
  for (std::size_t n = 0; n < doc.size(); ++n) {
    std::string_view prefix(doc.data(), n);
    try {
      pyjson::loads(prefix);
      FAIL("prefix " << n << " parsed");
    } catch (const pyjson::decode_error& e) {
      CAPTURE(n, e.what());
      CHECK(e.byte_pos() <= n);
      CHECK(e.pos() <= e.byte_pos());
      CHECK(e.lineno() >= 1);
      CHECK(e.colno() >= 1);
      messages.push_back(e.what());
    }
  }
  // All the messages, joined by '\n', hash to what python3 gives for the same prefixes:
  //   msgs = [str(e) for every n, e from json.loads(doc[:n])], with pyjson's position suffix
  //   (": line L column C (char P)") after a UnicodeDecodeError's text
  //   fnv1a_64("\n".join(msgs).encode())
  std::string joined;
  for (const std::string& m : messages) joined += (joined.empty() ? "" : "\n") + m;
  CHECK(fnv1a(joined) == 0xdb6efc9c4d9baa6bull);
  // A sample of them in full, one of every kind, for a readable failure.
  const std::pair<std::size_t, std::string_view> samples[] = {
      {0, "Expecting value: line 1 column 1 (char 0)"},
      {1, "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
      {5, "Unterminated string starting at: line 2 column 3 (char 4)"},
      {10, "Expecting ':' delimiter: line 2 column 9 (char 10)"},
      {29, "Invalid \\uXXXX escape: line 2 column 27 (char 28)"},
      {48, "Expecting ',' delimiter: line 2 column 47 (char 48)"},
      {228, "Invalid \\uXXXX escape: line 6 column 23 (char 225)"},
      {323,
       "'utf-8' codec can't decode byte 0xc3 in position 322: unexpected end of data: line 8 "
       "column 12 (char 322)"},
      {909, "Expecting ',' delimiter: line 16 column 66 (char 879)"},
      {1032, "Expecting value: line 18 column 17 (char 1002)"},
      {1362, "Expecting property name enclosed in double quotes: line 25 column 1 (char 1333)"},
      {1395, "Expecting property name enclosed in double quotes: line 26 column 7 (char 1366)"},
      {1562,
       "'utf-8' codec can't decode bytes in position 1560-1561: unexpected end of data: line 31 "
       "column 31 (char 1515)"},
      {2068, "Expecting ',' delimiter: line 39 column 1 (char 2015)"},
  };
  for (auto [n, expected] : samples) {
    CAPTURE(n);
    CHECK(messages.at(n) == expected);
  }
}

TEST_CASE("hostile: a failing input stream is an error, never a shorter document", "[hostile]") {
  // 300 KB of valid JSON; the stream breaks after 100,000 bytes, inside pyjson's second read.
  std::string doc = "[" + repeat("\"0123456789abcdef\", ", 15000) + "null]";
  REQUIRE(doc.size() > 300000);
  SECTION("a read error sets badbit: pyjson::error") {
    failing_input buf(doc, 100000, failing_input::throws);
    std::istream in(&buf);
    try {
      pyjson::load(in);
      FAIL("no exception");
    } catch (const pyjson::decode_error& e) {
      FAIL("a decode_error hides the read error: " << e.what());
    } catch (const pyjson::error& e) {
      CHECK(std::string(e.what()) == "pyjson::load: reading the input stream failed");
    }
  }
  SECTION("the read error itself when the stream throws on badbit") {
    failing_input buf(doc, 100000, failing_input::throws);
    std::istream in(&buf);
    in.exceptions(std::ios::badbit);
    CHECK_THROWS_MATCHES(pyjson::load(in), std::runtime_error, Catch::Message("disk read error"));
  }
  SECTION("a read error after a complete document still fails") {
    failing_input buf("[1]" + std::string(200000, ' '), 100000, failing_input::throws);
    std::istream in(&buf);
    CHECK_THROWS_MATCHES(pyjson::load(in), pyjson::error,
                         Catch::Message("pyjson::load: reading the input stream failed"));
  }
  SECTION("a read error on the first byte") {
    failing_input buf(doc, 0, failing_input::throws);
    std::istream in(&buf);
    CHECK_THROWS_MATCHES(pyjson::load<std::vector<std::string>>(in), pyjson::error,
                         Catch::Message("pyjson::load: reading the input stream failed"));
  }
  SECTION("a stream that ends early is parsed as the shorter text it gave: Python's error") {
    // doc[:100000] ends just after a comma.
    failing_input buf(doc, 100000, failing_input::ends);
    std::istream in(&buf);
    CHECK_THROWS_MATCHES(pyjson::load(in), pyjson::decode_error,
                         Catch::Message("Expecting value: line 1 column 100001 (char 100000)"));
  }
}

TEST_CASE("hostile: a failing output stream makes dump throw", "[hostile]") {
  value v = pyjson::loads("[" + repeat("\"0123456789abcdef\", ", 15000) + "null]");
  const std::string text = pyjson::dumps(v);
  REQUIRE(text.size() > 300000);
  SECTION("the buffer refuses bytes after 100,000") {
    failing_output buf(100000, failing_output::refuses);
    std::ostream out(&buf);
    CHECK_THROWS_MATCHES(pyjson::dump(v, out), pyjson::error,
                         Catch::Message("pyjson::dump: writing to the output stream failed"));
    out.flush();
    CHECK(buf.written() == text.substr(0, 100000));
  }
  SECTION("typed dump, refused from the first byte") {
    failing_output buf(0, failing_output::refuses);
    std::ostream out(&buf);
    CHECK_THROWS_MATCHES(pyjson::dump(std::vector<int>{1, 2, 3}, out), pyjson::error,
                         Catch::Message("pyjson::dump: writing to the output stream failed"));
    CHECK(buf.written().empty());
  }
  SECTION("the buffer throws: pyjson::error, or the exception itself on badbit") {
    failing_output buf(70000, failing_output::throws);
    std::ostream out(&buf);
    CHECK_THROWS_MATCHES(pyjson::dump(v, out), pyjson::error,
                         Catch::Message("pyjson::dump: writing to the output stream failed"));
    failing_output buf2(70000, failing_output::throws);
    std::ostream out2(&buf2);
    out2.exceptions(std::ios::badbit);
    CHECK_THROWS_MATCHES(pyjson::dump(v, out2), std::runtime_error,
                         Catch::Message("disk write error"));
  }
  SECTION("a stream that has already failed gets nothing") {
    failing_output buf(million, failing_output::refuses);
    std::ostream out(&buf);
    out.setstate(std::ios::failbit);
    CHECK_THROWS_AS(pyjson::dump(v, out), pyjson::error);
    out.clear();
    out.flush();
    CHECK(buf.written().empty());
  }
  SECTION("with room enough, every byte arrives") {
    failing_output buf(text.size(), failing_output::refuses);
    std::ostream out(&buf);
    pyjson::dump(v, out);
    out.flush();
    CHECK(buf.written() == text);
  }
}

TEST_CASE("hostile: typed variants of structs backtrack", "[hostile]") {
  // Each level tries node_a first and falls back to node_b when "a" turns out to be missing.
  auto nested = [](int depth) { return hostile::variant_nest(static_cast<std::size_t>(depth)); };
  node n = pyjson::loads<node>(nested(8));
  const node* p = &n;
  for (int level = 0; level < 8; ++level) {
    REQUIRE(p->v.index() == 1);
    const auto& kids = std::get<node_b>(p->v).kids;
    if (level < 7) {
      REQUIRE(kids.size() == 1);
      p = &kids.front();
    } else {
      CHECK(kids.empty());
    }
  }
  // Each level re-reads everything below it once per failed alternative, which would double
  // the time with every level; the reader bounds the text read again to 16 times the document
  // (plus 1 MiB), so a deep document like this one gets a clear error at once instead.
  CHECK_THROWS_WITH(
      pyjson::loads<node>(nested(40)),
      Catch::Contains("variant alternatives tried again too often (work limit: 16 times the "
                      "document)"));
}
