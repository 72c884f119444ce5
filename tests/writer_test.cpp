// Tests of the writer: Python's separators, indentation, escaping and float repr, byte for
// byte. Expected texts were produced by python3's json.dumps.
// SPDX-License-Identifier: MIT
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <pyjson.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"

using pyjson::value;

namespace {
struct boxed {  // written as the text of its numbers: a dumps inside a dumps
  std::vector<int> numbers;
};
}  // namespace

template <>
struct pyjson::traits<boxed> {
  static void write(pyjson::writer& w, const boxed& b) { w.write_string(pyjson::dumps(b.numbers)); }
  static void read(pyjson::reader& r, boxed& b) {
    b.numbers = pyjson::loads<std::vector<int>>(r.read_string());
  }
};

namespace {
// Python's text for [0, 1, ..., n - 1].
std::string range_text(int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + std::to_string(i);
  return s + "]";
}
std::vector<int> range(int n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = i;
  return v;
}

const value sample = pyjson::loads(R"({"b": 1, "a": [1, 2, {"c": null}], "\u00e9": "\u00fc"})");
}  // namespace

TEST_CASE("writer: separators and indentation as Python lays them out") {
  CHECK(pyjson::dumps(sample) == R"({"b": 1, "a": [1, 2, {"c": null}], "\u00e9": "\u00fc"})");
  CHECK(pyjson::dumps(sample, {.sort_keys = true}) ==
        R"({"a": [1, 2, {"c": null}], "b": 1, "\u00e9": "\u00fc"})");
  CHECK(pyjson::dumps(sample, {.ensure_ascii = false, .indent = 4}) ==
        "{\n    \"b\": 1,\n    \"a\": [\n        1,\n        2,\n        {\n            \"c\": "
        "null\n        }\n    ],\n    \"\xc3\xa9\": \"\xc3\xbc\"\n}");
  value no_accents = pyjson::loads(R"({"b": 1, "a": [1, 2, {"c": null}]})");
  CHECK(pyjson::dumps(no_accents, {.indent = "\t", .separators = {", ", ": "}}) ==
        "{\n\t\"b\": 1, \n\t\"a\": [\n\t\t1, \n\t\t2, \n\t\t{\n\t\t\t\"c\": null\n\t\t}\n\t]\n}");
  value nested = pyjson::loads(R"({"a": [1, {"b": []}, {}], "c": {}})");
  const char* flat = "{\n\"a\": [\n1,\n{\n\"b\": []\n},\n{}\n],\n\"c\": {}\n}";
  CHECK(pyjson::dumps(nested, {.indent = 0}) == flat);
  CHECK(pyjson::dumps(nested, {.indent = -2}) == flat);
  CHECK(pyjson::dumps(pyjson::loads(R"({"a": [1, 2]})"),
                      {.indent = "ab", .separators = {";", "="}}) ==
        "{\nab\"a\"=[\nabab1;\nabab2\nab]\n}");
  CHECK(pyjson::dumps(no_accents, {.separators = {",", ":"}}) == R"({"b":1,"a":[1,2,{"c":null}]})");
  pyjson::dump_options pair_form{.separators = {{",", ":"}}};
  pair_form.separators = std::make_pair(";", "=");
  CHECK(pyjson::dumps(pyjson::loads("[1, 2]"), pair_form) == "[1;2]");
  CHECK(pyjson::dumps(pyjson::loads("[]"), {.indent = 4}) == "[]");
  CHECK(pyjson::dumps(pyjson::loads("[[]]"), {.indent = 4}) == "[\n    []\n]");
  CHECK(pyjson::dumps(pyjson::loads("{}"), {.indent = 4}) == "{}");
}

TEST_CASE("writer: indentation at every depth, deeper levels reached after shallower ones") {
  // [[..[1]..], [[..[2]..]]]: one chain `a` deep, then one `b` deep (deeper or shallower), so
  // the indentation of new levels is made while shallower ones are in use. The expected text is
  // built level by level here.
  for (std::string unit : {"    ", "\t", "ab", "  x  ", ""}) {
    auto pad = [&](int depth) {
      std::string s = "\n";
      for (int i = 0; i < depth; ++i) s += unit;
      return s;
    };
    auto chain = [](int depth, int leaf) {
      std::string s(static_cast<std::size_t>(depth), '[');
      return s + std::to_string(leaf) + std::string(static_cast<std::size_t>(depth), ']');
    };
    // The chain's layout when it starts at depth `at` (after its parent's newline).
    auto laid_out = [&](int at, int depth, int leaf) {
      std::string s;
      for (int i = 0; i < depth; ++i) {
        s += '[';
        s += pad(at + i + 1);
      }
      s += std::to_string(leaf);
      for (int i = depth - 1; i >= 0; --i) s += pad(at + i) + "]";
      return s;
    };
    for (auto [a, b] : {std::pair{1, 3}, {3, 1}, {2, 40}, {40, 2}, {0, 0}, {17, 17}}) {
      // Built by appending: g++ 12 warns wrongly (-Wrestrict, GCC bug 105329) about
      // "literal" + std::string in optimized builds.
      std::string text(1, '[');
      text += chain(a, 1);
      text += ", ";
      text += chain(b, 2);
      text += ']';
      value v = pyjson::loads(text);
      std::string want(1, '[');
      for (const std::string& part :
           {pad(1), laid_out(1, a, 1), std::string(","), pad(1), laid_out(1, b, 2), pad(0)})
        want += part;
      want += ']';
      CAPTURE(unit, a, b);
      CHECK(pyjson::dumps(v, {.indent = unit}) == want);
    }
  }
}

TEST_CASE("writer: string escaping with and without ensure_ascii") {
  value v = value{"\x7f", "\xf0\x9f\x98\x80", std::string("\x00\x1f\b\f\n\r\t\"\\/", 10)};
  CHECK(pyjson::dumps(v) == R"(["\u007f", "\ud83d\ude00", "\u0000\u001f\b\f\n\r\t\"\\/"])");
  CHECK(pyjson::dumps(v, {.ensure_ascii = false}) ==
        "[\"\x7f\", \"\xf0\x9f\x98\x80\", \"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\"]");
  CHECK(pyjson::dumps(value("\xe2\x80\xa8 \xc3\xa9")) == R"("\u2028 \u00e9")");
}

namespace {
// The JSON string literal Python's json.dumps writes for s, byte by byte: the two-character
// escapes, \u00XX for other control characters (and, with ensure_ascii, DEL), the rest as it
// is; the only text beyond ASCII it knows is U+00E9.
std::string python_escaped(const std::string& s, bool ascii) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || (ascii && c == 0x7f)) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (ascii && c == 0xc3) {  // the tests' only non-ASCII text is U+00E9
      out += "\\u00e9";
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}
}  // namespace

// Every ASCII byte, alone and after a long plain run, as Python's json.dumps writes it:
// seven two-character escapes, \u00XX for the other control characters (and, with
// ensure_ascii, for DEL), the rest as it is.
TEST_CASE("writer: every ASCII byte and its escape", "[writer]") {
  // print(json.dumps("".join(map(chr, range(128)))))
  const std::string python_all =
      R"py("\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007f")py";
  for (bool ascii : {true, false}) {
    std::string all;
    for (int b = 0; b < 128; ++b) {
      const std::string c(1, static_cast<char>(b));
      const std::string run(20, 'a');
      CAPTURE(b, ascii);
      CHECK(pyjson::dumps(value(c), {.ensure_ascii = ascii}) == python_escaped(c, ascii));
      CHECK(pyjson::dumps(value(run + c + c), {.ensure_ascii = ascii}) ==
            python_escaped(run + c + c, ascii));
      all += c;
    }
    CHECK(pyjson::dumps(value(all), {.ensure_ascii = ascii}) == python_escaped(all, ascii));
    // Python's own output, for the ensure_ascii case.
    if (ascii) CHECK(pyjson::dumps(value(all)) == python_all);
  }
}

// Strings of every length up to 40 (inline, 16-byte or 8-byte blocks and overlapping tails)
// with one byte that needs care at every position, against a plain byte-by-byte escaper that
// follows Python's rules.
TEST_CASE("writer: every string length and escape position", "[writer]") {
  const std::string specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9"};
  std::size_t checked = 0;
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string plain;
    for (std::size_t i = 0; i < n; ++i) plain += static_cast<char>('a' + i % 26);
    for (bool ascii : {true, false}) {
      REQUIRE(pyjson::dumps(value(plain), {.ensure_ascii = ascii}) == python_escaped(plain, ascii));
      for (std::size_t at = 0; at <= n; ++at) {
        for (const std::string& sp : specials) {
          std::string s = plain.substr(0, at) + sp + plain.substr(at);
          CAPTURE(n, at, sp, ascii);
          REQUIRE(pyjson::dumps(value(s), {.ensure_ascii = ascii}) == python_escaped(s, ascii));
          // The same text as a key, and written compact inside containers.
          value obj = pyjson::object({{s, value(s)}});
          REQUIRE(pyjson::dumps(obj, {.ensure_ascii = ascii, .separators = {",", ":"}}) ==
                  "{" + python_escaped(s, ascii) + ":" + python_escaped(s, ascii) + "}");
          // Typed writing: a std::string, and a map key.
          REQUIRE(pyjson::dumps(s, {.ensure_ascii = ascii}) == python_escaped(s, ascii));
          REQUIRE(pyjson::dumps(std::map<std::string, int>{{s, 1}}, {.ensure_ascii = ascii}) ==
                  "{" + python_escaped(s, ascii) + ": 1}");
          // A string the reader made (known valid UTF-8: written unchecked).
          REQUIRE(pyjson::dumps(pyjson::loads(python_escaped(s, true)), {.ensure_ascii = ascii}) ==
                  python_escaped(s, ascii));
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 2 * 7 * (41 * 42 / 2));
}

TEST_CASE("writer: integers at every length boundary", "[writer]") {
  auto text = [](auto n) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  };
  std::uint64_t p = 1;
  for (int digits = 1; digits <= 20; ++digits) {
    for (std::uint64_t u : {p - 1, p, p + 1, p * 2, p * 9 + (p - 1)}) {
      if (digits == 20 && u < p) continue;  // p wrapped past 10^19
      CHECK(pyjson::dumps(value(u)) == text(u));
      auto i = static_cast<std::int64_t>(u);
      if (i >= 0) CHECK(pyjson::dumps(value(-i)) == text(-i));
    }
    if (digits < 20) p *= 10;
  }
  std::mt19937_64 rng(11);
  for (int k = 0; k < 20000; ++k) {
    std::uint64_t u = rng() >> (rng() % 64);
    REQUIRE(pyjson::dumps(value(u)) == text(u));
    REQUIRE(pyjson::dumps(value(static_cast<std::int64_t>(u))) ==
            text(static_cast<std::int64_t>(u)));
  }
  // Integers of every length side by side, from a value and from typed data: whatever follows
  // a number must land right after its last digit.
  std::vector<std::int64_t> mixed;
  std::string expected_compact = "[", expected_default = "[";
  for (int k = 0; k < 3000; ++k) {
    auto i = static_cast<std::int64_t>(rng() >> (rng() % 64));
    if (k % 3 == 0) i = -i;
    if (k % 7 == 0) i = static_cast<std::int64_t>(k % 10);
    mixed.push_back(i);
    std::string digits = text(i);
    expected_compact.append(k ? "," : "").append(digits);
    expected_default.append(k ? ", " : "").append(digits);
  }
  expected_compact += "]";
  expected_default += "]";
  value as_value = pyjson::to_value(mixed);
  CHECK(pyjson::dumps(as_value, {.separators = {",", ":"}}) == expected_compact);
  CHECK(pyjson::dumps(as_value) == expected_default);
  CHECK(pyjson::dumps(mixed, {.separators = {",", ":"}}) == expected_compact);
  CHECK(pyjson::dumps(mixed) == expected_default);
  // Numbers below 10^6 (every one below 20,000), each followed by a key.
  value counts = pyjson::object();
  std::string expected_object = "{";
  for (std::int64_t i = 0; i < 1000000; i += (i < 20000 ? 1 : 97)) {
    std::string key = "k" + std::to_string(i);
    counts[key] = i;
    expected_object.append(i ? ",\"" : "\"").append(key).append("\":").append(text(i));
  }
  CHECK(pyjson::dumps(counts, {.separators = {",", ":"}}) == expected_object + "}");
}

// Integers of up to 9 digits come from one fixed-point product, longer ones from groups of
// eight (detail::format_uint). Its digits are checked against std::to_chars: every integer
// below 2 * 10^6, the integers around each power of ten and each multiple of a power of ten
// (where a fraction that came out a little low would turn ...000 into ...999), and random
// integers of each length.
TEST_CASE("writer: integer digits from the fixed-point product", "[writer]") {
  char got[32], want[32];
  std::size_t checked = 0, wrong = 0;
  auto check = [&](std::uint64_t u) {
    char* end = pyjson::detail::format_uint(got, u);
    auto r = std::to_chars(want, want + sizeof want, u);
    if (std::string_view(got, static_cast<std::size_t>(end - got)) !=
        std::string_view(want, static_cast<std::size_t>(r.ptr - want))) {
      if (++wrong <= 5) FAIL_CHECK("format_uint(" << u << ") wrote " << std::string(got, end));
    }
    // -u as an int64, when there is one.
    if (u <= std::uint64_t(1) << 63) {
      auto i = static_cast<std::int64_t>(0 - u);
      end = pyjson::detail::format_int(got, i);
      r = std::to_chars(want, want + sizeof want, i);
      if (std::string_view(got, static_cast<std::size_t>(end - got)) !=
          std::string_view(want, static_cast<std::size_t>(r.ptr - want))) {
        if (++wrong <= 5) FAIL_CHECK("format_int(" << i << ") wrote " << std::string(got, end));
      }
    }
    ++checked;
  };
  for (std::uint64_t u = 0; u < 2000000; ++u) check(u);
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t smallest = 1;  // of `digits` digits
  for (int digits = 1; digits <= 20; ++digits) {
    for (std::uint64_t d = 1; d <= 9 && d <= max / smallest; ++d) {
      const std::uint64_t m = d * smallest;
      for (std::uint64_t k = 0; k < 300; ++k) {
        check(m + k);
        if (m > k) check(m - 1 - k);
      }
    }
    // Two leading digits, then zeros; and one less.
    for (std::uint64_t lead = 10; digits >= 2 && lead < 100 && lead <= max / (smallest / 10);
         ++lead) {
      check(lead * (smallest / 10));
      check(lead * (smallest / 10) - 1);
    }
    if (digits < 20) smallest *= 10;
  }
  check(std::numeric_limits<std::uint64_t>::max());
  check(std::uint64_t(1) << 63);
  std::mt19937_64 rng(29);
  std::uint64_t p = 10;  // 10^digits
  for (int digits = 1; digits <= 19; ++digits, p *= 10) {
    for (int k = 0; k < 20000; ++k) check(p / 10 + rng() % (p - p / 10));
  }
  CHECK(wrong == 0);
  CHECK(checked > 2000000);
}

TEST_CASE("writer: compact and default layouts of nested and empty containers", "[writer]") {
  const char* doc =
      R"({"a": [], "b": {}, "c": [[], {}, [1, [2, []], {"d": {}}], "e"], "f": [{"g": [3, {}]}]})";
  value v = pyjson::loads(doc);
  CHECK(pyjson::dumps(v) == doc);
  CHECK(pyjson::dumps(v, {.separators = {",", ":"}}) ==
        R"({"a":[],"b":{},"c":[[],{},[1,[2,[]],{"d":{}}],"e"],"f":[{"g":[3,{}]}]})");
  CHECK(pyjson::dumps(v, {.separators = {",", ":"}, .sort_keys = true}) ==
        R"({"a":[],"b":{},"c":[[],{},[1,[2,[]],{"d":{}}],"e"],"f":[{"g":[3,{}]}]})");
  CHECK(pyjson::dumps(pyjson::loads(R"({"b": [{"z": 1, "y": 2}], "a": 0})"),
                      {.separators = {",", ":"}, .sort_keys = true}) ==
        R"({"a":0,"b":[{"y":2,"z":1}]})");
  // A value inside typed data, written by the compact loop between typed members.
  struct holder {
    value first;
    int second;
    value third;
  };
  holder h{pyjson::loads("[1, {}]"), 2, pyjson::loads(R"({"x": []})")};
  CHECK(pyjson::dumps(h, {.separators = {",", ":"}}) ==
        R"({"first":[1,{}],"second":2,"third":{"x":[]}})");
  CHECK(pyjson::dumps(std::vector<value>{value(1), pyjson::array(), value("s")}) ==
        R"([1, [], "s"])");
}

namespace {
// The ways text beyond ASCII can be written here: byte by byte, and with AVX2 where the CPU
// has it (detail::use_avx2_utf8, which set() turns on and off). The flag is restored at the
// end of the scope.
struct avx2_switch {
  std::vector<bool> ways = {false};
#if PYJSON_UTF8_AVX2
  bool was = pyjson::detail::use_avx2_utf8;
  avx2_switch() {
    if (was) ways.push_back(true);
  }
  ~avx2_switch() { pyjson::detail::use_avx2_utf8 = was; }
  static void set(bool on) { pyjson::detail::use_avx2_utf8 = on; }
#else
  static void set(bool) {}
#endif
  auto begin() const { return ways.begin(); }
  auto end() const { return ways.end(); }
};
}  // namespace

// With ensure_ascii, runs of two-byte characters (Cyrillic) and of three-byte ones (Chinese,
// Japanese) become \uXXXX escapes several at a time with AVX2, else one at a time. Every such
// character, after every offset from 0 to 16, and random text of runs of every length among
// other pieces, from a value built in C++, a value the reader made and a std::string: the
// same text both ways, and the text of an independent encoder.
TEST_CASE(
    "writer: runs of two- and three-byte characters escaped as \\u, with AVX2 and one "
    "at a time",
    "[writer][utf8]") {
  auto utf8 = [](std::uint32_t cp) {
    std::string s;
    if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    s += static_cast<char>(0x80 | (cp & 0x3F));
    return s;
  };
  auto escape = [](std::uint32_t unit) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(unit));
    return std::string(buf);
  };
  std::size_t checked = 0;
  auto check = [&](const std::string& text, const std::string& expected) {
    const avx2_switch ways;
    const value loaded = pyjson::loads(pyjson::dumps(text, {.ensure_ascii = false}));
    for (bool avx2 : ways) {
      avx2_switch::set(avx2);
      CAPTURE(avx2, text.size());
      REQUIRE(pyjson::dumps(value(text)) == expected);
      REQUIRE(pyjson::dumps(loaded) == expected);
      REQUIRE(pyjson::dumps(text) == expected);
      ++checked;
    }
  };
  std::string all2, all2_escaped, all3, all3_escaped;
  for (std::uint32_t cp = 0x80; cp <= 0x7FF; ++cp) {
    all2 += utf8(cp);
    all2_escaped += escape(cp);
  }
  for (std::uint32_t cp = 0x800; cp <= 0xFFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    all3 += utf8(cp);
    all3_escaped += escape(cp);
  }
  for (std::size_t shift = 0; shift <= 16; ++shift) {
    const std::string before(shift, 'a');
    for (const auto& [all, all_escaped] :
         {std::pair(all2, all2_escaped), std::pair(all3, all3_escaped)}) {
      check(before + all, "\"" + before + all_escaped + "\"");
      check(before + all + "z\n", "\"" + before + all_escaped + "z\\n\"");
    }
  }
  // Random text: runs of 1 to 10 two-byte characters and of 1 to 7 three-byte ones among
  // ASCII, four-byte characters and escapes, so that runs start at every offset and end
  // anywhere, near the string's end too.
  std::mt19937 rng(2024);
  for (int k = 0; k < 20000; ++k) {
    std::string text, expected = "\"";
    const int pieces = static_cast<int>(rng() % 24);
    for (int i = 0; i < pieces; ++i) {
      switch (rng() % 8) {
        case 0: {
          const char c = static_cast<char>('a' + rng() % 26);
          text += c;
          expected += c;
          break;
        }
        case 1:
          text += utf8(0xE9);
          expected += "\\u00e9";
          break;
        case 2:
          text += utf8(0x1F600);
          expected += "\\ud83d\\ude00";
          break;
        case 3:
          text += "\"\n";
          expected += "\\\"\\n";
          break;
        case 4:
        case 5: {
          const int run = 1 + static_cast<int>(rng() % 10);
          for (int j = 0; j < run; ++j) {
            const std::uint32_t cp = 0x80 + rng() % (0x800 - 0x80);
            text += utf8(cp);
            expected += escape(cp);
          }
          break;
        }
        default: {
          const int run = 1 + static_cast<int>(rng() % 7);
          for (int j = 0; j < run; ++j) {
            std::uint32_t cp = 0x800 + rng() % (0x10000 - 0x800 - 0x800);
            if (cp >= 0xD800) cp += 0x800;  // past the surrogates
            text += utf8(cp);
            expected += escape(cp);
          }
        }
      }
    }
    check(text, expected + "\"");
  }
  CHECK(checked >= 20068);
}

// Text that is not known to be valid (strings built in C++) is checked as it is written:
// without ensure_ascii 32 bytes at a time with AVX2, with it in runs of two- and three-byte
// characters, else one character at a time. Random strings of valid and invalid pieces, lone
// surrogates and bytes to escape, written both ways, give the same text, or the same error;
// valid ones give the text of an independent escaper.
TEST_CASE("writer: text beyond ASCII checked with AVX2 and one character at a time, the same",
          "[writer][utf8]") {
  struct piece {
    std::string text, escaped;  // escaped empty: invalid UTF-8, or a lone surrogate
  };
  const std::vector<piece> pieces = {
      {"a", "a"},
      {"ab cd", "ab cd"},
      {"\xE3\x81\x82", "\xE3\x81\x82"},
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"},
      {"\xC3\xA9", "\xC3\xA9"},
      {"\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
       "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {"\xC2\x80", "\xC2\x80"},
      {"\xEF\xBF\xBF", "\xEF\xBF\xBF"},
      {"\xED\x9F\xBF", "\xED\x9F\xBF"},
      {"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"\n", "\\n"},
      {"\x01", "\\u0001"},
      {"\x7F", "\x7F"},
      {"\xED\xA0\x80", ""},  // a lone surrogate (WTF-8)
      {"\x80", ""},
      {"\xC3", ""},
      {"\xE3\x81", ""},
      {"\xF0\x90\x80", ""},
      {"\xC0\x80", ""},
      {"\xE0\x80\x80", ""},
      {"\xF4\x90\x80\x80", ""},
      {"\xFF", ""},
  };
  auto write = [](const std::string& text, bool typed, bool ascii) -> std::string {
    try {
      return typed ? pyjson::dumps(text, {.ensure_ascii = ascii})
                   : pyjson::dumps(value(text), {.ensure_ascii = ascii});
    } catch (const pyjson::value_error& e) {
      return std::string("error ") + e.what();
    }
  };
  const avx2_switch ways;
  std::mt19937 rng(77);
  std::size_t valid = 0, errors = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string text, expected = "\"";
    bool ok = true;
    // Mostly valid text, long enough for blocks of 32 bytes; an invalid piece in a third.
    const bool with_invalid = k % 3 == 0;
    const int count = static_cast<int>(rng() % 40);
    for (int i = 0; i < count; ++i) {
      std::size_t at = rng() % pieces.size();
      while (!with_invalid && pieces[at].escaped.empty()) at = rng() % pieces.size();
      text += pieces[at].text;
      expected += pieces[at].escaped;
      ok = ok && !pieces[at].escaped.empty();
    }
    expected += "\"";
    // Without ensure_ascii, the text of the escaper above; with it (two- and three-byte
    // runs escaped several at a time), the same text both ways.
    for (bool ascii : {false, true}) {
      for (bool typed : {false, true}) {
        std::string first;
        for (bool avx2 : ways) {
          avx2_switch::set(avx2);
          const std::string written = write(text, typed, ascii);
          CAPTURE(k, ascii, typed, avx2, text);
          if (ok && !ascii) REQUIRE(written == expected);
          if (avx2) REQUIRE(written == first);
          first = written;
        }
        (ok ? valid : errors) += 1;
      }
    }
  }
  CHECK(valid > 50000);
  CHECK(errors > 8000);
}

TEST_CASE("writer: lone surrogates and invalid UTF-8") {
  value lone = pyjson::loads(R"(["\ud800", "\udc00\ud800", "a\ud83d\ude00"])");
  CHECK(pyjson::dumps(lone) == R"(["\ud800", "\udc00\ud800", "a\ud83d\ude00"])");
  CHECK_THROWS_AS(pyjson::dumps(lone, {.ensure_ascii = false}), pyjson::value_error);
  CHECK_THROWS_WITH(pyjson::dumps(lone, {.ensure_ascii = false}),
                    "'utf-8' codec can't encode character '\\ud800' in position 2: surrogates not "
                    "allowed");
  // A C++ string that is not UTF-8 is never written silently.
  CHECK_THROWS_WITH(pyjson::dumps(value("ab\xff")),
                    "string is not valid UTF-8: 'utf-8' codec can't decode byte 0xff in position "
                    "2: invalid start byte");
  CHECK_THROWS_AS(pyjson::dumps(value("\xc3"), {.ensure_ascii = false}), pyjson::value_error);
}

// Each thread's writers share one kept buffer: a dumps inside a dumps, a dumps that failed
// half-way, an appending writer and other threads must each get exactly their own text.
TEST_CASE("writer: the kept output buffer", "[writer]") {
  // Nested: the inner text is large enough to grow buffers on both levels.
  std::vector<boxed> nested{{range(3)}, {range(20000)}, {{}}};
  std::string inner = range_text(20000);
  CHECK(pyjson::dumps(nested) == "[\"[0, 1, 2]\", \"" + inner + "\", \"[]\"]");
  CHECK(pyjson::loads<std::vector<boxed>>(pyjson::dumps(nested)).at(1).numbers == range(20000));
  // A failure deep in a large output leaves nothing behind for the next call.
  std::vector<double> with_nan(50000, 1.5);
  with_nan.back() = std::nan("");
  CHECK_THROWS_WITH(pyjson::dumps(with_nan, {.allow_nan = false}),
                    "Out of range float values are not JSON compliant");
  CHECK(pyjson::dumps(std::vector<int>{7}) == "[7]");
  // The position of a lone surrogate counts every character before it, past many growths.
  value long_then_lone = pyjson::loads("[\"" + std::string(70000, 'a') + R"(", "\ud800"])");
  CHECK_THROWS_WITH(pyjson::dumps(long_then_lone, {.ensure_ascii = false}),
                    "'utf-8' codec can't encode character '\\ud800' in position 70006: "
                    "surrogates not allowed");
  // pyjson::writer appends to what the string holds.
  std::string out = "prefix ";
  {
    pyjson::writer w(out, {});
    w.write(range(3));
    w.finish();
  }
  CHECK(out == "prefix [0, 1, 2]");
  pyjson::release_cached_blocks();
  CHECK(pyjson::dumps(range(5)) == range_text(5));
  // Threads write side by side, each with its own buffer.
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 200; ++i) {
        int n = 1000 * t + i;
        if (pyjson::dumps(range(n)) != range_text(n)) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == std::vector<int>(4, 0));
}

// Long strings that loads made are known to be valid UTF-8 unless they hold a surrogate: the
// writer copies their non-ASCII bytes unchecked, and must still escape what needs it and
// refuse the surrogates, from escapes or raw bytes, and from copies of such values.
TEST_CASE("writer: strings from the reader, with and without surrogates", "[writer]") {
  value v = pyjson::loads(
      R"(["abc\"def\\ghi\n\u0001\u007f \u00e9 \u65e5\u672c \ud83d\ude00 and then some more text", )"
      R"("long text with a lone \ud800 in it", "plain ascii text that is long enough"])");
  CHECK(
      pyjson::dumps(v) ==
      R"(["abc\"def\\ghi\n\u0001\u007f \u00e9 \u65e5\u672c \ud83d\ude00 and then some more text", )"
      R"("long text with a lone \ud800 in it", "plain ascii text that is long enough"])");
  const char* message =
      "'utf-8' codec can't encode character '\\ud800' in position 81: surrogates not allowed";
  CHECK_THROWS_WITH(pyjson::dumps(v, {.ensure_ascii = false}), message);
  value copy = v;
  CHECK_THROWS_WITH(pyjson::dumps(copy, {.ensure_ascii = false}), message);
  value clean = pyjson::array({v[0], v[2]});
  CHECK(pyjson::dumps(clean, {.ensure_ascii = false}) ==
        "[\"abc\\\"def\\\\ghi\\n\\u0001\x7f \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac "
        "\xf0\x9f\x98\x80 and then some more text\", \"plain ascii text that is long enough\"]");
  // A raw surrogate in the text (accepted by loads, as json.loads(bytes) does).
  value raw = pyjson::loads("[\"0123456789abcdef \xed\xa0\x80 raw surrogate\"]");
  CHECK(pyjson::dumps(raw) == R"(["0123456789abcdef \ud800 raw surrogate"])");
  CHECK_THROWS_WITH(
      pyjson::dumps(raw, {.ensure_ascii = false}),
      "'utf-8' codec can't encode character '\\ud800' in position 19: surrogates not allowed");
  // Hangul from U+D000 on starts with the byte ED, as surrogates do, but is no surrogate: such
  // strings keep the clean flag (the writer copies them unchecked), and a surrogate after them
  // is still found.
  const std::string hangul =
      "\xed\x9e\xa3\xed\x80\x80\xed\x9f\xbf Hangul and more text \xea\xb0\x80";
  value ko = pyjson::loads("[\"" + hangul + "\", \"\\ud7a3\\ud000\\ud7ff Hangul and more text\"]");
  CHECK(pyjson::detail::value_access::clean_long_string(ko[0]));
  CHECK(pyjson::detail::value_access::clean_long_string(ko[1]));
  CHECK(pyjson::dumps(ko, {.ensure_ascii = false}) ==
        "[\"" + hangul + "\", \"\xed\x9e\xa3\xed\x80\x80\xed\x9f\xbf Hangul and more text\"]");
  CHECK(pyjson::dumps(ko) == R"(["\ud7a3\ud000\ud7ff Hangul and more text \uac00", )"
                             R"("\ud7a3\ud000\ud7ff Hangul and more text"])");
  value ko_raw = pyjson::loads("[\"" + hangul + " \xed\xa0\x80 raw\"]");
  CHECK_FALSE(pyjson::detail::value_access::clean_long_string(ko_raw[0]));
  CHECK_THROWS_WITH(
      pyjson::dumps(ko_raw, {.ensure_ascii = false}),
      "'utf-8' codec can't encode character '\\ud800' in position 29: surrogates not allowed");
  // The same for keys, and a string made in C++ is checked as ever.
  value keys = pyjson::loads(R"({"a long key with \ud800 inside": 1})");
  CHECK_THROWS_AS(pyjson::dumps(keys, {.ensure_ascii = false}), pyjson::value_error);
  CHECK_THROWS_AS(pyjson::dumps(value(std::string(20, 'a') + "\xff"), {.ensure_ascii = false}),
                  pyjson::value_error);
}

TEST_CASE("writer: floats as Python's repr") {
  auto [d, expected] = GENERATE(table<double, std::string>({
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {1e-5, "1e-05"},
      {1e-4, "0.0001"},
      {5e-324, "5e-324"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {123456789.123, "123456789.123"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1e22, "1e+22"},
      {1e21, "1e+21"},
      {1e-7, "1e-07"},
      {123456789012345680.0, "1.2345678901234568e+17"},
      {1.0 / 3, "0.3333333333333333"},
      {2.5e-320, "2.5e-320"},
      {100.0, "100.0"},
      {1e15 + 0.3, "1000000000000000.2"},
      {1.5, "1.5"},
      {-1e-300, "-1e-300"},
  }));
  CAPTURE(d);
  CHECK(pyjson::dumps(value(d)) == expected);
}

TEST_CASE("writer: NaN and infinities") {
  value v = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
             -std::numeric_limits<double>::infinity()};
  CHECK(pyjson::dumps(v) == "[NaN, Infinity, -Infinity]");
  CHECK_THROWS_AS(pyjson::dumps(v, {.allow_nan = false}), pyjson::value_error);
  CHECK_THROWS_WITH(pyjson::dumps(v, {.allow_nan = false}),
                    "Out of range float values are not JSON compliant");
}

TEST_CASE("writer: integers of every size") {
  CHECK(pyjson::dumps(value(std::numeric_limits<std::int64_t>::min())) == "-9223372036854775808");
  CHECK(pyjson::dumps(value(std::numeric_limits<std::uint64_t>::max())) == "18446744073709551615");
  CHECK(pyjson::dumps(value::from_int_text("-123456789012345678901234567890")) ==
        "-123456789012345678901234567890");
  CHECK(pyjson::dumps(value('A')) == "65");
}

TEST_CASE("writer: dump to streams reports failures") {
  std::ostringstream out;
  pyjson::dump(sample, out, {.indent = 2});
  CHECK(out.str() == pyjson::dumps(sample, {.indent = 2}));
  std::ostringstream shown;
  shown << sample;
  CHECK(shown.str() == pyjson::dumps(sample));
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  CHECK_THROWS_AS(pyjson::dump(sample, broken), pyjson::error);
  CHECK_THROWS_WITH(pyjson::dump(sample, broken),
                    "pyjson::dump: writing to the output stream failed");
}

TEST_CASE("writer: round trips keep every value") {
  const char* docs[] = {
      R"({"a": [1, -2, 3.25, 1e+300, -0.0, true, false, null, "x\u00e9\ud83d\ude00"]})",
      R"([[[[[]]]], {}, {"": ""}, 18446744073709551615, -9223372036854775808])",
      R"(["\ud800", 123456789012345678901234567890])",
  };
  for (const char* doc : docs) {
    value v = pyjson::loads(doc);
    CHECK(pyjson::dumps(v) == doc);
    for (int indent : {0, 2}) CHECK(pyjson::loads(pyjson::dumps(v, {.indent = indent})) == v);
  }
}
