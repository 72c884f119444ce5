// Tests of the reader: Python's grammar, numbers, strings, and Python's error messages and
// positions. Expected texts were produced by python3 (json.loads / str(JSONDecodeError)).
// SPDX-License-Identifier: MIT
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <pyjson.hpp>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "catch.hpp"

using pyjson::value;

namespace {
std::string error_of(std::string_view text, const pyjson::load_options& opt = {}) {
  try {
    pyjson::loads(text, opt);
  } catch (const pyjson::decode_error& e) {
    return e.what();
  }
  return "no error";
}

// Python's "line L column C (char P)" for position pos of text.
std::string where(const std::string& text, std::size_t pos) {
  auto nl = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  bool has = nl != std::string::npos && nl < pos;
  auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
  auto col = has ? pos - nl : pos + 1;
  return "line " + std::to_string(line) + " column " + std::to_string(col) + " (char " +
         std::to_string(pos) + ")";
}

// An indented document, {"k0": [[1, 2], [3]], ...}, its data, and where each of its
// whitespace runs ends, with the error Python gives for a stray byte there.
struct indented_doc {
  std::string text;
  std::map<std::string, std::vector<std::vector<int>>> data;
  struct gap {
    std::size_t end;
    const char* expecting;
  };
  std::vector<gap> gaps;
};

// Most runs are those of Python's indent = step (a newline, then step spaces per level) or
// indent = "\t" * step (with fill '\t'); with `vary`, one in four is another run instead:
// longer, shorter, or the same length with other whitespace in it.
indented_doc make_indented(std::mt19937& rng, std::size_t step, char fill, bool vary) {
  indented_doc d;
  const char* value_here = "Expecting value";
  const char* key_here = "Expecting property name enclosed in double quotes";
  const char* comma_here = "Expecting ',' delimiter";
  auto gap = [&](std::size_t level, const char* expecting) {
    std::string run(1, '\n');
    run.append(step * level, fill);
    if (vary && rng() % 4 == 0) {
      std::size_t c = run.size();
      switch (rng() % 8) {
        case 0: run += ' '; break;
        case 1: run += '\t'; break;
        case 2: run += run; break;  // a blank line
        case 3: run.pop_back(); break;
        case 4: run.insert(0, "\r"); break;
        case 5:
          if (c >= 3) run[c / 2] = fill == ' ' ? '\t' : ' ';
          break;
        case 6: run.clear(); break;
        default: run = " "; break;
      }
    }
    d.text += run;
    d.gaps.push_back({d.text.size(), expecting});
  };
  d.text += '{';
  std::size_t keys = 1 + rng() % 4;
  for (std::size_t k = 0; k < keys; ++k) {
    if (k > 0) d.text += ',';
    gap(1, key_here);
    std::string name = "k";
    name += std::to_string(k);
    d.text += '"';
    d.text += name;
    d.text += "\": [";
    auto& rows = d.data[name];
    rows.resize(1 + rng() % 4);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r > 0) d.text += ',';
      gap(2, value_here);
      d.text += '[';
      rows[r].resize(1 + rng() % 5);
      for (std::size_t i = 0; i < rows[r].size(); ++i) {
        if (i > 0) d.text += ',';
        gap(3, value_here);
        rows[r][i] = static_cast<int>(rng() % 1000);
        d.text += std::to_string(rows[r][i]);
      }
      gap(2, comma_here);
      d.text += ']';
    }
    gap(1, comma_here);
    d.text += ']';
  }
  gap(0, comma_here);
  d.text += '}';
  return d;
}
}  // namespace

TEST_CASE("reader: Python's error messages and positions") {
  auto [text, expected] = GENERATE(table<std::string, std::string>({
      {"", "Expecting value: line 1 column 1 (char 0)"},
      {" ", "Expecting value: line 1 column 2 (char 1)"},
      {"\"a\x01\"", "Invalid control character at: line 1 column 3 (char 2)"},
      {"\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"},
      {"[1,]", "Expecting value: line 1 column 4 (char 3)"},
      {"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"},
      {"{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"},
      {"{1:2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
      {"[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"},
      {"1 2", "Extra data: line 1 column 3 (char 2)"},
      {"[", "Expecting value: line 1 column 2 (char 1)"},
      {"{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
      {"{\"a\"", "Expecting ':' delimiter: line 1 column 5 (char 4)"},
      {"{\"a\":", "Expecting value: line 1 column 6 (char 5)"},
      {"-", "Expecting value: line 1 column 1 (char 0)"},
      {"01", "Extra data: line 1 column 2 (char 1)"},
      {"1.", "Extra data: line 1 column 2 (char 1)"},
      {"1e", "Extra data: line 1 column 2 (char 1)"},
      {"-Inf", "Expecting value: line 1 column 1 (char 0)"},
      {"nul", "Expecting value: line 1 column 1 (char 0)"},
      {"tru", "Expecting value: line 1 column 1 (char 0)"},
      {"[1,", "Expecting value: line 1 column 4 (char 3)"},
      {"{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"},
      {"\"a\\", "Unterminated string starting at: line 1 column 1 (char 0)"},
      {"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"},
      {"\"\\u", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"},
      {"\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"\"\\u12x4\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
      {"\"\\ud800\\u12\"", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"},
      {"\"\\ud800\\x\"", "Invalid \\escape: line 1 column 8 (char 7)"},
      {"\"\\ud800\\", "Unterminated string starting at: line 1 column 1 (char 0)"},
      {"\"\\ud800\\u", "Invalid \\uXXXX escape: line 1 column 9 (char 8)"},
      {"\"\\U0041\"", "Invalid \\escape: line 1 column 2 (char 1)"},
      {"[1,\n2\n,x]", "Expecting value: line 3 column 2 (char 7)"},
      {"{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)"},
      {"[1}", "Expecting ',' delimiter: line 1 column 3 (char 2)"},
      {"{\"a\":1]", "Expecting ',' delimiter: line 1 column 7 (char 6)"},
      {"[-]", "Expecting value: line 1 column 2 (char 1)"},
      {"[1.e5]", "Expecting ',' delimiter: line 1 column 3 (char 2)"},
      {"[.5]", "Expecting value: line 1 column 2 (char 1)"},
      {"[1e+]", "Expecting ',' delimiter: line 1 column 3 (char 2)"},
      {"[+1]", "Expecting value: line 1 column 2 (char 1)"},
      {"[NaN, -NaN]", "Expecting value: line 1 column 7 (char 6)"},
      // Positions count characters, not bytes: "é" is two bytes but one character.
      {"[\"\xc3\xa9\", x]", "Expecting value: line 1 column 7 (char 6)"},
      {"[\"\xf0\x9f\x98\x80\",\n \"\xc3\xa9\" x]",
       "Expecting ',' delimiter: line 2 column 6 (char 11)"},
      // Invalid UTF-8 anywhere wins over a syntax error, as Python decodes bytes first.
      {"[\"\xff\"]",
       "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
      {"[\"\xe2\x82",
       "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data: line 1 column "
       "3 (char 2)"},
      {"x \xc0\xaf",
       "'utf-8' codec can't decode byte 0xc0 in position 2: invalid start byte: line 1 column 3 "
       "(char 2)"},
  }));
  CAPTURE(text);
  CHECK(error_of(text) == expected);
}

TEST_CASE("reader: decode_error members") {
  try {
    pyjson::loads("[1,\n  \"\xc3\xa9\" x]");
    FAIL("no exception");
  } catch (const pyjson::decode_error& e) {
    CHECK(e.msg() == "Expecting ',' delimiter");
    CHECK(e.lineno() == 2);
    CHECK(e.colno() == 7);
    CHECK(e.pos() == 10);
    CHECK(e.byte_pos() == 11);
  }
  // decode_error is a pyjson::error and a std::runtime_error.
  CHECK_THROWS_AS(pyjson::loads("?"), pyjson::error);
  CHECK_THROWS_AS(pyjson::loads("?"), std::runtime_error);
}

TEST_CASE("reader: literals and whitespace") {
  CHECK(pyjson::loads(" \t\r\n null \n").is_null());
  CHECK(pyjson::loads("true") == value(true));
  CHECK(pyjson::loads("false") == value(false));
  CHECK(std::isnan(pyjson::loads("NaN").get<double>()));
  CHECK(pyjson::loads("Infinity").get<double>() == std::numeric_limits<double>::infinity());
  CHECK(pyjson::loads("-Infinity").get<double>() == -std::numeric_limits<double>::infinity());
  pyjson::load_options no_nan{.allow_nan = false};
  CHECK(error_of("NaN", no_nan) == "Expecting value: line 1 column 1 (char 0)");
  CHECK(error_of("[1, -Infinity]", no_nan) == "Expecting value: line 1 column 5 (char 4)");
  CHECK(error_of("\f1") == "Expecting value: line 1 column 1 (char 0)");  // \f is not JSON space
  // Near misses of the names, read into a value, and checked without building anything (the
  // syntax check that runs after a typed read fails on "a"): Python's message at their start.
  for (std::string bad :
       {"-", "-x", "-Inf", "-NaN", "Nan", "Infinit", "-infinity", "N", "I", "nul", "tru", "fals"}) {
    CAPTURE(bad);
    CHECK(error_of("[0, " + bad + "]") == "Expecting value: line 1 column 5 (char 4)");
    std::string typed = "[\"a\", ";
    typed += bad;
    typed += "]";
    CHECK_THROWS_WITH(pyjson::loads<std::vector<int>>(typed),
                      "Expecting value: line 1 column 7 (char 6)");
  }
  for (std::string good : {"NaN", "Infinity", "-Infinity", "-0", "-1.5e3"}) {
    CAPTURE(good);
    std::string typed = "[\"a\", ";
    typed += good;
    typed += "]";
    CHECK_THROWS_WITH(pyjson::loads<std::vector<int>>(typed),
                      "$[0]: expected int32, found string: line 1 column 2 (char 1)");
    // Without allow_nan the names are no values, built or skipped.
    bool named = good.find_first_of("NI") != std::string::npos;
    std::string want = named ? "Expecting value: line 1 column 7 (char 6)" : "no error";
    CHECK(error_of(typed, no_nan) == want);
    if (named) CHECK_THROWS_WITH(pyjson::loads<std::vector<int>>(typed, no_nan), want);
  }
}

TEST_CASE("reader: whitespace runs of every length, to the end of the text") {
  // Runs of 0..40 bytes of the four whitespace characters, between every kind of token and at
  // the end of the text, then a byte that is not JSON whitespace ('\f', '\v', NUL) where the
  // run would go on: the run ends exactly there.
  const char ws[] = {' ', '\n', '\t', '\r'};
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string gap;
    for (std::size_t i = 0; i < n; ++i) gap += ws[(i * 7 + n) % 4];
    std::string text = gap + "{" + gap + "\"a\"" + gap + ":" + gap + "[" + gap + "1" + gap + "," +
                       gap + "true" + gap + "]" + gap + "}" + gap;
    CAPTURE(n);
    CHECK(pyjson::dumps(pyjson::loads(text)) == R"({"a": [1, true]})");
    for (char stray : {'\f', '\v', '\0'}) {
      std::string bad = "[1," + gap + std::string(1, stray) + gap + "2]";
      CHECK(error_of(bad) == "Expecting value: " + where(bad, 3 + n));
      std::string tail = "[1]" + gap + std::string(1, stray) + gap;
      CHECK(error_of(tail) == "Extra data: " + where(tail, 3 + n));
    }
  }
  // Indentation: a first byte, a run of spaces of every length, then other whitespace within
  // the run (tabs, "\r\n") and more spaces; the run ends exactly at the next token, or at a
  // stray byte.
  for (std::string lead : {"\n", " ", "\t", "\r\n"}) {
    for (std::size_t k = 0; k <= 40; ++k) {
      for (std::string mid : {"", "\t", "\r\n", "\n", " \t "}) {
        for (std::size_t k2 : {0u, 1u, 15u, 16u, 17u}) {
          std::string gap = lead + std::string(k, ' ') + mid + std::string(k2, ' ');
          CAPTURE(lead, k, mid, k2);
          CHECK(pyjson::dumps(pyjson::loads("[1," + gap + "2" + gap + "]" + gap)) == "[1, 2]");
          std::string bad = "[1," + gap + "\f" + std::string(20, ' ') + "2]";
          CHECK(error_of(bad) == "Expecting value: " + where(bad, 3 + gap.size()));
          CHECK(pyjson::loads<std::vector<int>>("[1," + gap + "2" + gap + "]" + gap) ==
                std::vector<int>{1, 2});
        }
      }
    }
  }
  // After a key's colon and after a comma: one space (passed without the loop), more, or
  // other whitespace, and the end of the text right after any of them.
  for (std::string gap : {"", " ", "  ", " \n", " \t", "\n ", " \r\n ", "\t"}) {
    CAPTURE(gap);
    std::string text = "{\"a\":" + gap + "[1," + gap + "2]," + gap + "\"bb\":" + gap + "\"x\"}";
    CHECK(pyjson::dumps(pyjson::loads(text)) == R"({"a": [1, 2], "bb": "x"})");
    CHECK(pyjson::loads<std::map<std::string, pyjson::value>>(text).at("bb") == "x");
    for (std::string comma_cut : {"{\"a\": 1," + gap, "[1," + gap}) {
      std::string message = comma_cut[0] == '{'
                                ? "Expecting property name enclosed in double quotes: "
                                : "Expecting value: ";
      CHECK(error_of(comma_cut) == message + where(comma_cut, comma_cut.size()));
      CHECK(error_of(comma_cut + "\f") == message + where(comma_cut, comma_cut.size()));
      std::string typed_error;
      try {
        if (comma_cut[0] == '{')
          pyjson::loads<std::map<std::string, int>>(comma_cut);
        else
          pyjson::loads<std::vector<int>>(comma_cut);
      } catch (const pyjson::decode_error& e) {
        typed_error = e.what();
      }
      CHECK(typed_error == message + where(comma_cut, comma_cut.size()));
    }
    std::string cut = "{\"a\":" + gap;
    CHECK(error_of(cut) == "Expecting value: " + where(cut, cut.size()));
    std::string typed_error;
    try {
      pyjson::loads<std::map<std::string, int>>(cut);
    } catch (const pyjson::decode_error& e) {
      typed_error = e.what();
    }
    CHECK(typed_error == "Expecting value: " + where(cut, cut.size()));
    std::string stray = "{\"a\":" + gap + "\f1}";
    CHECK(error_of(stray) == "Expecting value: " + where(stray, 5 + gap.size()));
  }
  // Spot checks of where() against Python.
  CHECK(error_of("[1,\n  \f]") == "Expecting value: line 2 column 3 (char 6)");
  CHECK(error_of("[1] \r\n\t\v") == "Extra data: line 2 column 2 (char 7)");
}

TEST_CASE("reader: indented text, with runs that differ from their level's indentation") {
  // The reader keeps each level's run and takes a run of that length when the bytes agree: a
  // run that is longer, shorter, or as long but with other whitespace in it must still end
  // exactly at the next token, and a stray byte where the token would be is an error there.
  std::mt19937 rng(20261130);
  using table = std::map<std::string, std::vector<std::vector<int>>>;
  for (std::size_t step : {1u, 2u, 4u, 7u, 10u, 16u}) {
    for (int round = 0; round < 60; ++round) {
      char fill = round % 2 == 0 ? ' ' : '\t';
      indented_doc d = make_indented(rng, step, fill, round % 5 != 0);
      CAPTURE(step, d.text);
      CHECK(pyjson::loads<table>(d.text) == d.data);
      CHECK(pyjson::dumps(pyjson::loads(d.text)) == pyjson::dumps(d.data));
      // Typed reading of values through the value builder, nested in typed reading.
      auto rows = pyjson::loads<std::map<std::string, value>>(d.text);
      CHECK(pyjson::dumps(rows) == pyjson::dumps(d.data));
      for (int stray_round = 0; stray_round < 4; ++stray_round) {
        const indented_doc::gap& g = d.gaps[rng() % d.gaps.size()];
        for (char stray : {'\f', '\x01', '/'}) {
          std::string bad = d.text.substr(0, g.end);
          bad += stray;
          bad += d.text.substr(g.end);
          CAPTURE(bad);
          std::string expected = g.expecting;
          expected += ": ";
          expected += where(bad, g.end);
          CHECK(error_of(bad) == expected);
          std::string typed_error;
          try {
            pyjson::loads<table>(bad);
          } catch (const pyjson::decode_error& e) {
            typed_error = e.what();
          }
          CHECK(typed_error == expected);
        }
      }
    }
  }
}

TEST_CASE("reader: a run as long as the kept one, with a token inside it") {
  // The first gap keeps its length n for its level; the next gap at that level has a value
  // and a comma at byte j and the fill again after them, up to a token at byte n. Taking the
  // kept run there would skip "1,".
  for (char fill : {' ', '\t'}) {
    for (std::size_t n = 3; n < 32; ++n) {
      for (std::size_t j = 1; j + 2 <= n; ++j) {
        std::string text = "[\n" + std::string(n - 1, fill) + "0,\n" + std::string(j - 1, fill) +
                           "1," + std::string(n - 2 - j, fill) + "2" + std::string(40, fill) + "]";
        CAPTURE(fill, n, j);
        CHECK(pyjson::dumps(pyjson::loads(text)) == "[0, 1, 2]");
        CHECK(pyjson::loads<std::vector<int>>(text) == std::vector<int>{0, 1, 2});
      }
    }
  }
}

TEST_CASE("reader: numbers as Python reads them") {
  CHECK(pyjson::dumps(pyjson::loads("-0")) == "0");
  CHECK(pyjson::dumps(pyjson::loads("-0.0")) == "-0.0");
  CHECK(std::signbit(pyjson::loads("-0.0").get<double>()));
  CHECK(pyjson::loads("1e400").get<double>() == std::numeric_limits<double>::infinity());
  CHECK(pyjson::loads("-1e400").get<double>() == -std::numeric_limits<double>::infinity());
  CHECK(pyjson::loads("1.5e99999999999999999999").get<double>() ==
        std::numeric_limits<double>::infinity());
  CHECK(pyjson::loads("1e-400").get<double>() == 0.0);
  CHECK(std::signbit(pyjson::loads("-1e-400").get<double>()));
  CHECK(pyjson::loads("0.000000000000000000000000001e-99999").get<double>() == 0.0);
  CHECK(pyjson::loads("2.2250738585072011e-308").get<double>() == 2.225073858507201e-308);
  CHECK(pyjson::loads("5e-324").get<double>() == 5e-324);
  CHECK(pyjson::loads("1E5").is_float());
  CHECK(pyjson::loads("10").is_int());
  CHECK(pyjson::loads("9223372036854775807").get<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::max());
  CHECK(pyjson::loads("-9223372036854775808").get<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(pyjson::loads("18446744073709551615").get<std::uint64_t>() ==
        std::numeric_limits<std::uint64_t>::max());
  CHECK(pyjson::loads("-9223372036854775809").is_big_int());
  // 19 digits on either side of the int64 range.
  CHECK(pyjson::loads("9223372036854775808").get<std::uint64_t>() == std::uint64_t(1) << 63);
  CHECK_FALSE(pyjson::loads("9223372036854775808").is_big_int());
  CHECK(pyjson::loads("9999999999999999999").get<std::uint64_t>() == 9999999999999999999u);
  CHECK(pyjson::loads("-9999999999999999999").is_big_int());
  CHECK(pyjson::loads("-1000000000000000000").get<std::int64_t>() == -1000000000000000000);
  // The same as elements of an array (its loop over numbers), each kind after each other, with
  // and without 64 bytes of text after the number.
  for (std::string tail : {std::string("]"), ", 0" + std::string(70, ' ') + "]"}) {
    value a = pyjson::loads(
        "[1, 9223372036854775808, 18446744073709551615, 18446744073709551616, "
        "10000000000000000000, "
        "99999999999999999999, 9223372036854775807, -9223372036854775809, "
        "1.00000000000000000000001, 9999999999999999999" +
        tail);
    CAPTURE(tail);
    CHECK(a[1].get<std::uint64_t>() == std::uint64_t(1) << 63);
    CHECK(a[2].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
    CHECK(a[3].is_big_int());
    CHECK(a[4].get<std::uint64_t>() == 10000000000000000000u);
    CHECK(a[5].is_big_int());
    CHECK(a[6].get<std::int64_t>() == std::numeric_limits<std::int64_t>::max());
    CHECK(a[7].is_big_int());
    CHECK(a[8].get<double>() == 1.0);
    CHECK(a[9].get<std::uint64_t>() == 9999999999999999999u);
    CHECK(pyjson::dumps(a).starts_with(
        "[1, 9223372036854775808, 18446744073709551615, 18446744073709551616, "
        "10000000000000000000, 99999999999999999999, 9223372036854775807, -9223372036854775809, "
        "1.0, 9999999999999999999"));
  }
  CHECK(pyjson::loads<std::int64_t>("-9223372036854775808") ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(pyjson::loads<std::uint64_t>("9223372036854775808") == std::uint64_t(1) << 63);
  CHECK_THROWS_AS(pyjson::loads<std::int64_t>("9223372036854775808"), pyjson::type_error);
  CHECK(pyjson::loads<double>("9223372036854775807") == 9223372036854775807.0);
  CHECK(pyjson::loads("18446744073709551616").is_big_int());
  CHECK(pyjson::loads("99999999999999999999").is_big_int());
  CHECK(pyjson::loads("18446744073709551616").is_big_int());
  const char* big = "-123456789012345678901234567890123456789012345678901234567890";
  CHECK(pyjson::dumps(pyjson::loads(big)) == big);
  std::string many_digits(100000, '7');
  CHECK(pyjson::dumps(pyjson::loads(many_digits)) == many_digits);
  // Every double exact: 17 significant digits that need correct rounding.
  CHECK(pyjson::loads("0.30000000000000004").get<double>() == 0.1 + 0.2);
  CHECK(pyjson::loads("9007199254740993.0").get<double>() == 9007199254740992.0);
  CHECK(pyjson::loads("1.7976931348623157e308").get<double>() ==
        std::numeric_limits<double>::max());
}

TEST_CASE("reader: strings, escapes and surrogates") {
  CHECK(pyjson::loads(R"("\"\\\/\b\f\n\r\t")").get<std::string>() == "\"\\/\b\f\n\r\t");
  CHECK(pyjson::loads(R"("\u0041\u00e9\u20ac")").get<std::string>() == "A\xc3\xa9\xe2\x82\xac");
  CHECK(pyjson::loads(R"("\ud834\udd1e")").get<std::string>() == "\xf0\x9d\x84\x9e");
  CHECK(pyjson::loads(R"("\uD834\uDD1E")").get<std::string>() == "\xf0\x9d\x84\x9e");
  CHECK(pyjson::loads(R"("\u0000")").get<std::string>() == std::string(1, '\0'));
  // Lone surrogates are kept (as WTF-8), so dumps gives Python's bytes back.
  for (const char* s : {R"(["\ud800"])", R"(["\udc00\ud800"])", R"(["a\ud800x"])",
                        R"(["\udfaa\ud834"])", R"(["\ud800\u0041"])"}) {
    CAPTURE(s);
    std::string back = pyjson::dumps(pyjson::loads(s));
    CHECK(pyjson::loads(back) == pyjson::loads(s));
  }
  CHECK(pyjson::dumps(pyjson::loads(R"("\ud800\u0041")")) == R"("\ud800A")");
  CHECK(pyjson::loads("\"\xe6\x97\xa5\xe6\x9c\xac\"").get<std::string>() ==
        "\xe6\x97\xa5\xe6\x9c\xac");
  // strict=False lets control characters through, as in Python.
  pyjson::load_options lax{.strict = false};
  CHECK(pyjson::loads("\"a\nb\x01\"", lax).get<std::string>() == "a\nb\x01");
  // Long strings cross the eight-bytes-at-a-time scan in every alignment.
  for (int n = 0; n < 40; ++n) {
    std::string s(static_cast<std::size_t>(n), 'a');
    CHECK(pyjson::loads("\"" + s + "\"").get<std::string>() == s);
    CHECK(pyjson::loads("\"" + s + "\\n\"").get<std::string>() == s + "\n");
    CHECK(error_of("\"" + s + "\x1f\"") == "Invalid control character at: line 1 column " +
                                               std::to_string(n + 2) + " (char " +
                                               std::to_string(n + 1) + ")");
  }
}

// Every byte after a backslash, as Python's json.loads takes it: eight two-byte escapes
// decode to one byte, \u wants four hex digits, and any other is an invalid escape.
TEST_CASE("reader: every ASCII byte after a backslash", "[reader]") {
  const std::string decoded[][2] = {{"\"", "\""}, {"\\", "\\"}, {"/", "/"},  {"b", "\b"},
                                    {"f", "\f"},  {"n", "\n"},  {"r", "\r"}, {"t", "\t"}};
  std::size_t valid = 0;
  for (int b = 0; b < 128; ++b) {
    const std::string c(1, static_cast<char>(b));
    const std::string text = "\"x\\" + c + "yz\"";
    CAPTURE(b);
    const auto* known = std::find_if(std::begin(decoded), std::end(decoded),
                                     [&](const auto& d) { return d[0] == c; });
    if (known != std::end(decoded)) {
      CHECK(pyjson::loads(text).get<std::string>() == "x" + known[0][1] + "yz");
      // The same escape between others, and in a run of escapes.
      CHECK(pyjson::loads("\"\\n\\" + c + "\\t\\" + c + "\"").get<std::string>() ==
            "\n" + known[0][1] + "\t" + known[0][1]);
      ++valid;
    } else if (b == 'u') {
      CHECK(error_of(text) == "Invalid \\uXXXX escape: line 1 column 4 (char 3)");
    } else {
      CHECK(error_of(text) == "Invalid \\escape: line 1 column 3 (char 2)");
    }
  }
  CHECK(valid == 8);
}

TEST_CASE("reader: escaped strings of every size, one after another") {
  // Decoded text goes into a buffer kept from string to string and grown as needed: long
  // strings of escapes, runs of every length between them, then shorter strings that must not
  // show what a longer one left behind.
  std::mt19937 rng(7);
  const std::pair<std::string, std::string> escapes[] = {
      {"\\n", "\n"},
      {"\\\"", "\""},
      {"\\u00e9", "\xc3\xa9"},
      {"\\u20ac", "\xe2\x82\xac"},
      {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
      {"\\ud800", "\xed\xa0\x80"},  // a lone surrogate, kept as WTF-8
      {"\\u0000", std::string(1, '\0')},
  };

  for (std::size_t length : {1u, 2u, 15u, 16u, 17u, 63u, 64u, 65u, 1000u, 70000u, 3u, 1u}) {
    std::string text = "[", first, key;
    std::vector<std::string> expected;
    for (int item = 0; item < 3; ++item) {
      std::string json = "\"", want;
      while (want.size() < length) {
        std::size_t run = rng() % 20;
        for (std::size_t i = 0; i < run; ++i) {
          char c = static_cast<char>('a' + rng() % 26);
          json += c;
          want += c;
        }
        const auto& [esc, decoded] = escapes[rng() % std::size(escapes)];
        json += esc;
        want += decoded;
      }
      json += "\"";
      text += (item ? ", " : "") + std::string("{") + json + ": " + json + "}";
      expected.push_back(want);
    }
    text += "]";
    CAPTURE(length);
    value v = pyjson::loads(text);
    REQUIRE(v.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      REQUIRE(v[i].items().size() == 1);
      CHECK(v[i].items()[0].key() == expected[i]);
      CHECK(v[i].items()[0].value().get<std::string>() == expected[i]);
    }
    // The typed reader decodes keys and values into buffers of its own.
    auto typed = pyjson::loads<std::vector<std::map<std::string, std::string>>>(text);
    for (std::size_t i = 0; i < 3; ++i) CHECK(typed[i].at(expected[i]) == expected[i]);
  }
  // A bad digit in each place of \uXXXX, after a first good escape, at Python's position.
  CHECK(error_of(R"("\u00e9ab\u12G4")") == "Invalid \\uXXXX escape: line 1 column 11 (char 10)");
  CHECK(error_of(R"("\u00e9\uG234")") == "Invalid \\uXXXX escape: line 1 column 9 (char 8)");
  CHECK(error_of(R"("\u00e9x\u1/34")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of(R"("\u00e9x\u123G")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of(R"("\u00e9x\u12:4")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of(R"("\u00e9x\u12@4")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of(R"("\u00e9x\u12`4")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of(R"("\u00e9x\u12g4")") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(error_of("\"\\u00e9x\\u12\xc3\xa9"
                 "4\"") == "Invalid \\uXXXX escape: line 1 column 10 (char 9)");
  CHECK(pyjson::loads(R"("\uABCD\uabcd\u09aF")").get<std::string>() ==
        "\xea\xaf\x8d\xea\xaf\x8d\xe0\xa6\xaf");
}

TEST_CASE("reader: runs of escapes alone, and plain runs between escapes up to the end") {
  // Escapes that follow one another are decoded in one loop, which grows the decoding buffer
  // as it goes: strings of nothing but escapes, up to 100,000 of them.
  const std::pair<std::string, std::string> escapes[] = {
      {"\\u3042", "\xe3\x81\x82"},
      {"\\u00e9", "\xc3\xa9"},
      {"\\n", "\n"},
      {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
      {"\\u0041", "A"},
      {"\\udc00", "\xed\xb0\x80"},
  };
  for (std::size_t count : {1u, 2u, 3u, 7u, 100u, 4000u, 100000u}) {
    std::string json = "\"", want;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& [esc, decoded] = escapes[(i * 7 + count) % std::size(escapes)];
      json += esc;
      want += decoded;
    }
    json += "\"";
    CAPTURE(count);
    CHECK(pyjson::loads(json).get<std::string>() == want);
    CHECK(pyjson::loads(std::string(1, '[') + json + ']')[0].get<std::string>() == want);
    CHECK(pyjson::loads<std::string>(json) == want);
  }
  // A plain run of 0 to 40 bytes between two escapes, the string at the end of the text or
  // followed by more: runs are copied 16 bytes at a time where the text has 16 bytes left.
  for (std::size_t n = 0; n <= 40; ++n) {
    for (const char* after : {"", " ", "                "}) {
      std::string plain;
      for (std::size_t i = 0; i < n; ++i) plain += static_cast<char>('a' + i % 26);
      std::string json = "\"\\u00e9" + plain + "\\n" + plain + "\"" + after;
      std::string want = "\xc3\xa9" + plain + "\n" + plain;
      CAPTURE(n, std::strlen(after));
      CHECK(pyjson::loads(json).get<std::string>() == want);
    }
  }
}

TEST_CASE("reader: short strings of every length and content, up to the end of the text") {
  // Strings of up to 14 plain ASCII bytes take a shorter path when 16 bytes follow their
  // opening quote, and strings of 15 to 31 when 32 do: every length around those bounds, a byte
  // of each kind at each place, and every distance from the end of the text must read as any
  // other string does.
  struct kind {
    std::string json, decoded;
  };
  const kind kinds[] = {
      {"", ""},         {"\\n", "\n"},    {"\\\"", "\""}, {"\xc3\xa9", "\xc3\xa9"},
      {"\x7f", "\x7f"}, {"\x1f", "\x1f"}, {" ", " "},     {"\\u0041", "A"}};
  pyjson::load_options lax{.strict = false};
  for (std::size_t length = 0; length <= 34; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const kind& k : kinds) {
        std::string base;
        for (std::size_t i = 0; i < length; ++i) base += static_cast<char>('a' + (i * 7) % 26);
        std::string json = base, want = base;
        json.insert(at, k.json);
        want.insert(at, k.decoded);
        for (std::size_t pad = 0; pad <= 33; ++pad) {
          std::string text = "{\"" + json + "\": \"" + json + "\"}" + std::string(pad, ' ');
          CAPTURE(length, at, k.json, pad);
          if (k.json == "\x1f") {
            CHECK(error_of(text) == "Invalid control character at: line 1 column " +
                                        std::to_string(at + 3) + " (char " +
                                        std::to_string(at + 2) + ")");
            value v = pyjson::loads(text, lax);
            CHECK(v.items()[0].key() == want);
            continue;
          }
          value v = pyjson::loads(text);
          REQUIRE(v.items().size() == 1);
          CHECK(v.items()[0].key() == want);
          CHECK(v.items()[0].value().get<std::string>() == want);
          CHECK(pyjson::loads<std::map<std::string, std::string>>(text).at(want) == want);
          // Cut before its closing quote, the value runs to the end of the text. (One more
          // byte after it, as Python reports "\\u0041" at the very end as a bad escape.) Python
          // counts positions in characters: "\xc3\xa9" is one.
          std::string cut = "{\"" + json + "\": \"" + json + "z";
          auto chars = static_cast<std::size_t>(
              std::count_if(json.begin(), json.end(), [](char c) { return (c & 0xC0) != 0x80; }));
          CHECK(error_of(cut) == "Unterminated string starting at: line 1 column " +
                                     std::to_string(chars + 6) + " (char " +
                                     std::to_string(chars + 5) + ")");
        }
      }
    }
  }
}

TEST_CASE("reader: objects keep the first position and the last value of a repeated key") {
  CHECK(pyjson::dumps(pyjson::loads(R"({"a": 1, "b": 2, "a": 3})")) == R"({"a": 3, "b": 2})");
  std::string text = "{";
  for (int i = 0; i < 100; ++i)
    text += "\"k" + std::to_string(i % 30) + "\": " + std::to_string(i) + ",";
  text.back() = '}';
  value v = pyjson::loads(text);
  CHECK(v.size() == 30);
  CHECK(v.items()[0].key() == "k0");
  CHECK(v["k0"].get<int>() == 90);
  CHECK(v["k29"].get<int>() == 89);
  CHECK(pyjson::loads(R"({"": 1, "": 2})") == pyjson::loads(R"({"": 2})"));
  // Objects of two to four members, with short and long keys: each pair of positions i < j
  // holding the same key. Up to three members are compared pair by pair, above by the filter.
  for (int size : {2, 3, 4}) {
    // Short keys, keys of 15 to 31 bytes and longer ones are each stored another way.
    for (std::string prefix : {"k", "medium-sized-key-", "a-key-longer-than-thirty-one-bytes-"}) {
      for (int i = 0; i < size; ++i) {
        for (int j = i + 1; j < size; ++j) {
          std::string text = "{";
          for (int m = 0; m < size; ++m)
            text += "\"" + prefix + std::to_string(m == j ? i : m) + "\": " + std::to_string(m) +
                    (m + 1 < size ? ", " : "}");
          CAPTURE(text);
          value v = pyjson::loads(text);
          REQUIRE(v.size() == static_cast<std::size_t>(size - 1));
          CHECK(v.items()[static_cast<std::size_t>(i)].key() == prefix + std::to_string(i));
          CHECK(v.items()[static_cast<std::size_t>(i)].value() == value(j));
        }
      }
    }
  }
  // Every size class of the repeated-key check: short and long keys, a repeat at either end.
  for (int n : {1, 2, 3, 12, 13, 40, 64, 65, 1000, 20000}) {
    for (std::string prefix : {"k", "medium-sized-key-", "a-key-longer-than-thirty-one-bytes-"}) {
      std::string unique = "{", repeated;
      for (int i = 0; i < n; ++i)
        unique += "\"" + prefix + std::to_string(i) + "\": " + std::to_string(i) + ",";
      repeated = unique + "\"" + prefix + "0\": -1}";
      unique.back() = '}';
      CAPTURE(n, prefix);
      value u = pyjson::loads(unique);
      CHECK(u.size() == static_cast<std::size_t>(n));
      value r = pyjson::loads(repeated);
      CHECK(r.size() == static_cast<std::size_t>(n));
      CHECK(r.items()[0].key() == prefix + "0");
      CHECK(r.items()[0].value() == value(-1));
    }
  }
  // Keys that differ only in the middle, with the same length and the same first and last 8
  // bytes, and short keys that differ in one byte: distinct, they must all stay; a repeat,
  // next to its first or far from it, must be found.
  for (std::string pattern : {"start-of-#-the-same-end", "k#", "#", "0123456#"}) {
    for (int n : {1, 2, 3, 12, 13, 63, 64, 65, 200}) {
      auto key = [&](int i) {
        std::string k = pattern;
        return "\"" + k.replace(k.find('#'), 1, std::to_string(1000 + i)) + "\"";
      };
      std::string unique = "{";
      for (int i = 0; i < n; ++i) unique += key(i) + ": " + std::to_string(i) + ", ";
      CAPTURE(pattern, n, unique);
      value u = pyjson::loads(unique.substr(0, unique.size() - 2) + "}");
      CHECK(u.size() == static_cast<std::size_t>(n));
      for (int repeat : {0, n / 2, n - 1}) {
        value r = pyjson::loads(unique + key(repeat) + ": -1}");
        CHECK(r.size() == static_cast<std::size_t>(n));
        CHECK(r.items()[static_cast<std::size_t>(repeat)].value() == value(-1));
        CHECK(r.items()[static_cast<std::size_t>(n - 1)].value() ==
              value(repeat == n - 1 ? -1 : n - 1));
      }
    }
  }
}

TEST_CASE("reader: objects of 4 to 13 keys against the shape of an earlier one") {
  // Keys are compared with a shape four at a time, then one by one: objects of 4 to 13 keys
  // (whole groups and groups with a tail), each after one of its shape, with one key changed at
  // every position, to a new key (kept, the object is another shape) or to an earlier or a
  // later one of the object (a repeat: the key keeps its first place and its last value).
  for (std::size_t n = 4; n <= 13; ++n) {
    auto key = [](std::size_t i) {
      // Short keys and, every third one, a long key (its own block).
      return i % 3 == 2 ? "a-key-longer-than-thirty-one-bytes-" + std::to_string(i)
                        : "k" + std::to_string(i);
    };
    auto object = [&](std::size_t at, const std::string& other) {
      std::string text = "{";
      for (std::size_t i = 0; i < n; ++i) {
        text += i ? ", \"" : "\"";
        text += i == at ? other : key(i);
        text.append("\": ").append(std::to_string(i));
      }
      return text + "}";
    };
    for (std::size_t at = 0; at < n; ++at) {
      std::size_t twin = at == 0 ? n - 1 : at - 1;  // the key it repeats
      std::string text = "[";
      text.append(object(n, "")).append(", ").append(object(at, "new")).append(", ");
      text.append(object(at, key(twin))).append(", ").append(object(n, "")).append("]");
      CAPTURE(n, at, text);
      value v = pyjson::loads(text);
      REQUIRE(v.size() == 4);
      CHECK(v[0] == v[3]);
      REQUIRE(v[1].size() == n);
      CHECK(v[1].items()[at].key() == "new");
      REQUIRE(v[2].size() == n - 1);
      std::size_t first = std::min(at, twin), last = std::max(at, twin);
      CHECK(v[2].items()[first].key() == key(twin));
      CHECK(v[2].items()[first].value() == value(static_cast<std::int64_t>(last)));
    }
  }
}

TEST_CASE("reader: an object with the keys of an earlier one, but one of them repeated") {
  // Objects of four keys or more whose keys are those of an earlier object skip the repeated
  // key check: a key that differs from the earlier one in a single byte must not pass for it.
  // Keys of every length from 1 to 40 (short ones are compared whole, longer ones by words),
  // the differing byte at every position.
  for (std::size_t len = 1; len <= 40; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      std::string c(len, 'c'), d = c;
      d[at] = 'd';
      auto object = [&](const std::string& last) {
        return R"({"a": 1, "b": 2, ")" + c + R"(": 3, ")" + last + R"(": 4})";
      };
      // Appended piece by piece: g++ 12 warned (-Wrestrict, wrongly) on one chain of +.
      std::string text = "[";
      text.append(object(d)).append(", ").append(object(d)).append(", ").append(object(c));
      text += "]";
      CAPTURE(text);
      value v = pyjson::loads(text);
      REQUIRE(v.size() == 3);
      CHECK(v[1].size() == 4);
      REQUIRE(v[2].size() == 3);
      CHECK(v[2].items()[2].key() == c);
      CHECK(v[2].items()[2].value() == value(4));
    }
  }
  // Many objects with keys of their own (few shapes are kept then), and after them objects of
  // one shape, the last with a key repeated.
  std::string text = "[";
  for (int i = 0; i < 500; ++i)
    text += R"({"id-)" + std::to_string(i) + R"(": 1, "b": 2, "c": 3, "d": 4}, )";
  for (int i = 0; i < 100; ++i) text += R"({"a": 1, "b": 2, "c": 3, "d": 4}, )";
  text += R"({"a": 1, "b": 2, "c": 3, "a": 5}])";
  value v = pyjson::loads(text);
  REQUIRE(v.size() == 601);
  CHECK(v[599].size() == 4);
  CHECK(pyjson::dumps(v[600]) == R"({"a": 5, "b": 2, "c": 3})");
  // Shapes are kept from one parse to the next, and release_cached_blocks drops them.
  for (bool release : {false, true}) {
    CHECK(pyjson::loads(R"({"a": 1, "b": 2, "c": 3, "d": 4})").size() == 4);
    if (release) pyjson::release_cached_blocks();
    CHECK(pyjson::dumps(pyjson::loads(R"({"a": 1, "b": 2, "c": 3, "c": 4})")) ==
          R"({"a": 1, "b": 2, "c": 4})");
    CHECK(pyjson::loads(R"({"a": 1, "b": 2, "c": 3, "d": 4})").size() == 4);
  }
}

namespace {
// What loads gives for one object with no keys expected: the thread's lists dropped first
// (release_cached_blocks), and nothing before it in the text to learn from.
std::string parsed_alone(const std::string& object) {
  pyjson::release_cached_blocks();
  return pyjson::dumps(pyjson::loads(object));
}
}  // namespace

TEST_CASE("reader: keys expected from an earlier object with the same first key") {
  // An object's keys are compared with those of an earlier object with the same first key, as
  // whole tokens; one that all came so skips the repeated key check. Each variant of the base
  // object, read after it, must come out as it does read alone.
  // Short keys, keys of 15 to 31 bytes (shared), 32 (the longest compared in one step) and
  // 63 bytes (a block of their own), and 64 bytes (never expected).
  const std::string k32 = "k" + std::string(31, '2'), k63 = "k" + std::string(62, '6');
  const std::vector<std::string> keys = {"id",   "name", "profile_background_color", "k3",     k32,
                                         "tail", k63,    "screen_name_of_user",      "k" + k63};
  auto object = [](const std::vector<std::string>& names, const std::string& colon = ": ") {
    std::string text = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) text += ", ";
      text.append("\"").append(names[i]).append("\"").append(colon).append(std::to_string(i));
    }
    return text + "}";
  };
  std::vector<std::string> variants;
  variants.push_back(object(keys));
  variants.push_back(object(keys, " : "));
  variants.push_back(object(keys, "\n:\t"));
  variants.push_back(object(keys, ":"));
  for (std::size_t at = 1; at < keys.size(); ++at) {
    auto with = [&](const std::string& other) {
      std::vector<std::string> names = keys;
      names[at] = other;
      return object(names);
    };
    variants.push_back(with("new"));                             // another key
    variants.push_back(with(keys[at - 1]));                      // a repeat of the key before
    variants.push_back(with(keys[0]));                           // a repeat of the first key
    variants.push_back(with(keys[at] + "x"));                    // longer by a byte
    variants.push_back(with(keys[at].substr(1)));                // shorter by a byte
    variants.push_back(with(R"(\u0061)" + keys[at].substr(1)));  // 'a' escaped, then the rest
    variants.push_back(with(R"(\u0069d)"));                      // "id" again, escaped: a repeat
    std::string escaped = keys[at];
    escaped.replace(0, 1,
                    "\\u00" + std::string(1, "0123456789abcdef"[keys[at][0] >> 4]) +
                        std::string(1, "0123456789abcdef"[keys[at][0] & 15]));
    variants.push_back(with(escaped));  // the same key, its first byte escaped
    variants.push_back(object(std::vector<std::string>(keys.begin(), keys.begin() + at)));
    std::vector<std::string> more(keys.begin(), keys.begin() + at);
    more.push_back("extra");
    variants.push_back(object(more));
    std::vector<std::string> fewer = keys;  // a key left out (the list goes on after it)
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(at));
    variants.push_back(object(fewer));
    if (at + 1 < keys.size()) {
      fewer[at] = keys[0];  // and then a repeat
      variants.push_back(object(fewer));
    }
  }
  std::vector<std::string> longer = keys;
  longer.push_back("a-key-longer-than-thirty-one-bytes-here");
  longer.push_back("after");
  variants.push_back(object(longer));
  variants.push_back(object(longer));
  for (const std::string& first_text : {std::string(), std::string(" ")}) {
    std::string text = "[" + first_text;
    for (const std::string& v : variants) text.append(v).append(",\n  ");
    text += variants.front() + "]";
    pyjson::release_cached_blocks();
    value all = pyjson::loads(text);
    value again = pyjson::loads(text);  // with the lists of the first parse
    REQUIRE(all.size() == variants.size() + 1);
    CHECK(pyjson::dumps(again) == pyjson::dumps(all));
    for (std::size_t i = 0; i < variants.size(); ++i) {
      CAPTURE(i, variants[i]);
      CHECK(pyjson::dumps(all[i]) == parsed_alone(variants[i]));
    }
  }
  // An expected key at the very end of the text (fewer than 32 bytes after its quote).
  std::string tail = object(keys) + ", " + object({"id", "name"});
  CHECK(pyjson::dumps(pyjson::loads("[" + tail + "]")) ==
        "[" + parsed_alone(object(keys)) + R"(, {"id": 0, "name": 1}])");
  // Keys whose bytes are not their JSON text are never expected: a quote, a backslash or a
  // control character in a key, or a byte beyond ASCII. Each document starts without lists, so
  // that its first object is learnt. (Spaces at the end, so that 32 bytes follow each quote.)
  const std::string spaces(40, ' ');
  pyjson::release_cached_blocks();
  CHECK(error_of(R"([{"id": 0, "q\"x": 1}, {"id": 0, "q"x": 1}])" + spaces) ==
        "Expecting ':' delimiter: line 1 column 37 (char 36)");
  pyjson::release_cached_blocks();
  value v = pyjson::loads(R"([{"id": 0, "a\\b": 1}, {"id": 0, "a\b": 1}])" + spaces);
  CHECK(v[1].items()[1].key() == "a\b");
  pyjson::release_cached_blocks();
  CHECK(error_of("[{\"id\": 0, \"a\\nb\": 1}, {\"id\": 0, \"a\nb\": 1}]" + spaces) ==
        "Invalid control character at: line 1 column 36 (char 35)");
  pyjson::release_cached_blocks();
  v = pyjson::loads(R"([{"id": 0, "\u00e9": 1}, {"id": 0, "é": 2}, {"id": 0, "\u00e9": 3}])" +
                    spaces);
  CHECK(pyjson::dumps(v, {.ensure_ascii = false}) ==
        R"([{"id": 0, "é": 1}, {"id": 0, "é": 2}, {"id": 0, "é": 3}])");
  // A key that is expected, for contrast: the same documents read as Python reads them.
  pyjson::release_cached_blocks();
  v = pyjson::loads(R"([{"id": 0, "qx": 1}, {"id": 0, "qx": 2}])" + spaces);
  CHECK(pyjson::dumps(v) == R"([{"id": 0, "qx": 1}, {"id": 0, "qx": 2}])");
  // Errors right after an expected key are those of any key.
  CHECK(error_of("[" + object(keys) + R"(, {"id": 0, "name" 1}])") ==
        "Expecting ':' delimiter: line 1 column 298 (char 297)");
  CHECK(error_of("[" + object(keys) + R"(, {"id": 0, "name":)" + std::string(40, ' ') + "]") ==
        "Expecting value: line 1 column 338 (char 337)");
}

TEST_CASE("reader: objects of random keys read as they are read alone") {
  // Keys from a small set (short, 15 to 31 bytes, longer, escaped spellings of the same keys),
  // objects of 1 to 8 of them with repeats, in random layouts: every object of the document
  // must come out as it does alone, with no keys expected.
  const std::vector<std::string> pool = {"a",
                                         "b",
                                         "id",
                                         "name",
                                         "created_at_timestamp",
                                         "profile_background_color",
                                         "x-a-key-longer-than-thirty-one-bytes",
                                         R"(\u0061)",
                                         R"(n\u0061me)",
                                         "tail",
                                         std::string(32, 'z'),
                                         std::string(63, 'y'),
                                         std::string(64, 'x')};
  std::mt19937 rng(20261205);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::vector<std::string> colons = {": ", ":", " : ", "\n:\n"};
  const std::vector<std::string> commas = {", ", ",", ",\n    ", " ,\t"};
  std::vector<std::string> objects;
  std::vector<std::string> shapes;  // a few records that repeat, so that keys are expected
  for (int i = 0; i < 12; ++i) {
    std::string names;
    std::size_t n = 1 + pick(8);
    for (std::size_t k = 0; k < n; ++k) names += static_cast<char>('0' + pick(pool.size()));
    shapes.push_back(names);
  }
  for (int i = 0; i < 3000; ++i) {
    std::string names = shapes[pick(shapes.size())];
    if (pick(4) == 0) names[pick(names.size())] = static_cast<char>('0' + pick(pool.size()));
    if (pick(8) == 0) names.resize(1 + pick(names.size()));
    if (pick(8) == 0) names += static_cast<char>('0' + pick(pool.size()));
    const std::string& colon = colons[pick(colons.size())];
    const std::string& comma = commas[pick(commas.size())];
    std::string text = "{";
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (k) text += comma;
      text.append("\"").append(pool[static_cast<std::size_t>(names[k] - '0')]).append("\"");
      text.append(colon).append(std::to_string(k));
    }
    objects.push_back(text + "}");
  }
  std::string text = "[";
  for (const std::string& o : objects) text.append(o).append(", ");
  text += "{}]";
  pyjson::release_cached_blocks();
  value all = pyjson::loads(text);
  REQUIRE(all.size() == objects.size() + 1);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    CAPTURE(i, objects[i]);
    checked += pyjson::dumps(all[i]) == parsed_alone(objects[i]);
  }
  CHECK(checked == objects.size());
}

TEST_CASE("reader: nesting is bounded by max_depth, not by the stack") {
  auto nested = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  CHECK(pyjson::loads(nested(1000)).is_array());
  CHECK(error_of(nested(1001)) ==
        "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)");
  pyjson::load_options deep{.max_depth = 100000};
  CHECK(pyjson::loads(nested(100000), deep).is_array());
  // Hostile depth with the default bound: an error, quickly, not a crash.
  CHECK(error_of(std::string(1000000, '[')) ==
        "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)");
  CHECK(error_of(std::string(5000, '{')).find("Expecting property name") == 0);
  std::string objs;
  for (int i = 0; i < 1001; ++i) objs += "{\"a\":";
  CHECK(error_of(objs) == "Nesting deeper than max_depth (1000): line 1 column 5001 (char 5000)");
}

TEST_CASE("reader: raw_decode and load") {
  auto [v, end] = pyjson::raw_decode(R"({"a": 1} [2])");
  CHECK(pyjson::dumps(v) == R"({"a": 1})");
  CHECK(end == 8);
  auto [w, end2] = pyjson::raw_decode("[2] x");
  CHECK(end2 == 3);
  CHECK(w == pyjson::loads("[2]"));
  CHECK_THROWS_WITH(pyjson::raw_decode(" 1"), "Expecting value: line 1 column 1 (char 0)");
  std::istringstream in(R"( {"k": [1, 2, 3]} )");
  CHECK(pyjson::dumps(pyjson::load(in)) == R"({"k": [1, 2, 3]})");
  std::istringstream bad("[1, 2");
  CHECK_THROWS_WITH(pyjson::load(bad), "Expecting ',' delimiter: line 1 column 6 (char 5)");
}

TEST_CASE("try_loads reports errors as values", "[reader][try_loads]") {
  pyjson::load_result good = pyjson::try_loads(" {\"a\": [1, 2.5]} ");
  REQUIRE(good.ok());
  REQUIRE(static_cast<bool>(good));
  REQUIRE(pyjson::dumps(good.value()) == R"({"a": [1, 2.5]})");
  pyjson::value moved = std::move(good).value();
  REQUIRE(moved["a"][1].get<double>() == 2.5);

  pyjson::load_result bad = pyjson::try_loads("[1,\n 2,]");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(std::string(bad.error().what()) == "Expecting value: line 2 column 4 (char 7)");
  REQUIRE(bad.error().msg() == "Expecting value");
  REQUIRE(bad.error().pos() == 7);
  REQUIRE(bad.error().lineno() == 2);
  REQUIRE(bad.error().colno() == 4);

  pyjson::load_result deep = pyjson::try_loads(std::string(100, '['), {.max_depth = 10});
  REQUIRE(std::string(deep.error().what()) ==
          "Nesting deeper than max_depth (10): line 1 column 11 (char 10)");
  pyjson::load_result extra = pyjson::try_loads("1 2");
  REQUIRE(std::string(extra.error().what()) == "Extra data: line 1 column 3 (char 2)");
  pyjson::load_result bom = pyjson::try_loads("\xEF\xBB\xBF[\"\xFF\"]");
  REQUIRE(std::string(bom.error().what()) ==
          "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte: line 1 "
          "column 3 (char 2)");
}

// The fast number paths (Clinger, Eisel-Lemire, integers in one pass) against std::from_chars,
// which is exact, on literals of every shape: random digits and exponents, the shortest
// representations of random doubles, long expansions of exact binary values, and values
// exactly halfway between two doubles (which must round to even).
TEST_CASE("reader: fast number paths agree with std::from_chars", "[reader][numbers]") {
  std::mt19937_64 rng(20261130);
  using kind = pyjson::detail::parsed_number::kind;
  std::size_t fast_floats = 0, slow_floats = 0, ints = 0, uints = 0;
  auto check = [&](const std::string& s) {
    const char* b = s.data();
    const char* e = b + s.size();
    pyjson::detail::parsed_number n = pyjson::detail::read_number(b, e);
    CAPTURE(s);
    REQUIRE(n.end == e);
    // The same literal with 64 bytes after it takes read_number's quick path where its shape
    // allows: it must decide the same.
    const std::string padded = s + std::string(64, ']');
    pyjson::detail::parsed_number q =
        pyjson::detail::read_number(padded.data(), padded.data() + padded.size());
    REQUIRE(q.end - padded.data() == n.end - b);
    REQUIRE(q.k == n.k);
    if (q.k == kind::int64 || q.k == kind::uint64) REQUIRE(q.i == n.i);
    if (q.k == kind::float64)
      REQUIRE(std::bit_cast<std::uint64_t>(q.d) == std::bit_cast<std::uint64_t>(n.d));
    const bool is_float = s.find_first_of(".eE") != std::string::npos;
    if (is_float) {
      double want = 0;
      if (std::from_chars(b, e, want).ec != std::errc()) return;  // out of range: slow path's
      // What read_number decides, and parse_float (the reader's slow path) in every case.
      if (n.k == kind::float64) {
        REQUIRE(std::bit_cast<std::uint64_t>(n.d) == std::bit_cast<std::uint64_t>(want));
        ++fast_floats;
      } else {
        REQUIRE(n.k == kind::slow_float);
        ++slow_floats;
      }
      REQUIRE(std::bit_cast<std::uint64_t>(pyjson::detail::parse_float(b, e)) ==
              std::bit_cast<std::uint64_t>(want));
    } else if (n.k == kind::int64) {
      long long want = 0;
      REQUIRE(std::from_chars(b, e, want).ec == std::errc());
      REQUIRE(n.i == want);
      ++ints;
    } else {
      // Beyond int64: a uint64 when it fits (from 2^63 on), else left to the slow path.
      unsigned long long want = 0;
      bool fits = std::from_chars(b, e, want).ec == std::errc();
      if (n.k == kind::uint64) {
        REQUIRE(fits);
        REQUIRE(want >= (1ull << 63));
        REQUIRE(static_cast<std::uint64_t>(n.i) == want);
        ++uints;
      } else {
        REQUIRE(n.k == kind::slow_integer);
        REQUIRE(!fits);
      }
    }
  };
  // An optional '-' and `digits` digits (the first nonzero), with a point at a random place or
  // none, and half the time an exponent within +-span/2 (always, with no point, if `needs_e`).
  auto decimal = [&](std::size_t digits, int span, bool needs_e) {
    std::string t = (rng() & 1) ? "-" : "";
    t += static_cast<char>('1' + rng() % 9);
    for (std::size_t k = 1; k < digits; ++k) t += static_cast<char>('0' + rng() % 10);
    std::size_t point = rng() % digits;
    if (point > 0) t.insert(t.size() - point, ".");
    if ((needs_e && point == 0) || (rng() & 1))
      t += "e" + std::to_string(static_cast<int>(rng() % static_cast<unsigned>(span)) - span / 2);
    return t;
  };
  char buf[64];
  for (int i = 0; i < 280000; ++i) {
    std::string s;
    switch (i % 7) {
      case 0:  // random digits, point and exponent
        s = decimal(1 + rng() % 19, 700, false);
        break;
      case 1: {  // the shortest repr of a random double
        double d = std::bit_cast<double>(rng());
        if (!std::isfinite(d)) continue;
        s.assign(buf, std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr);
        break;
      }
      case 2: {  // 25 digits of an exact binary value: past 19 digits, the slow path
        double d = std::bit_cast<double>(rng() & 0x7FEFFFFFFFFFFFFFull);
        s.assign(buf,
                 std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific, 24).ptr);
        break;
      }
      case 3: {  // halfway between two doubles: m odd with 54 bits, times 2^e
        std::uint64_t m = ((std::uint64_t(1) << 53) | (rng() & ((std::uint64_t(1) << 53) - 1))) | 1;
        int e = static_cast<int>(rng() % 8) - 4;  // 10^-4..: where ties fit in 19 digits
        // m * 2^e as a decimal: for e < 0 multiply by 5^-e and shift the point.
        std::uint64_t v = m;
        if (e >= 0) {
          if (e > 2) e = 2;
          v <<= e;
          s = std::to_string(v) + ".0";  // a float literal, so the tie is rounded
        } else {
          for (int k = 0; k < -e; ++k) v *= 5;
          s = std::to_string(v);
          if (s.size() > 19) continue;
          s.insert(s.size() - static_cast<std::size_t>(-e), ".");
        }
        break;
      }
      case 4:  // 20 to 40 digits, the point anywhere (or none, with an exponent)
        s = decimal(20 + rng() % 21, 640, true);
        break;
      case 5: {  // near the middle between two doubles, past 19 digits: the first 19 digits
                 // and the next value up round differently, and only the slow path decides
        double d = std::bit_cast<double>(rng() & 0x7FEFFFFFFFFFFFFFull);
        if (d == 0) continue;
        // The middle is exact in long double's 64-bit significand; its decimal expansion,
        // rounded to 20..40 digits, lies just below, on, or just above it.
        long double mid =
            (static_cast<long double>(d) +
             static_cast<long double>(std::nextafter(d, std::numeric_limits<double>::infinity()))) /
            2;
        int n = std::snprintf(buf, sizeof buf, "%.*Le", 19 + static_cast<int>(rng() % 21), mid);
        s.assign(buf, static_cast<std::size_t>(n));
        break;
      }
      default: {  // integers of up to 20 digits
        if (rng() & 1) s += '-';
        std::size_t digits = 1 + rng() % 20;
        s += static_cast<char>('1' + rng() % 9);
        for (std::size_t k = 1; k < digits; ++k) s += static_cast<char>('0' + rng() % 10);
        break;
      }
    }
    check(s);
  }
  // Every kind of input reached its check: none was skipped wholesale.
  CHECK(fast_floats > 60000);
  CHECK(slow_floats > 120000);
  CHECK(ints > 30000);
  CHECK(uints > 100);
}

// read_number takes a quicker path, without bounds checks and with digit runs read 8 bytes at a
// time, when 64 bytes or more are left in the text, and read_number_general otherwise. Both
// must end at the same byte with the same kind and value, for literals of every shape followed
// by every kind of byte, whatever the distance to the end of the text: the padding after the
// literal runs from 0 to 80 bytes, so the 64-byte line falls at every place in and after it.
TEST_CASE("reader: numbers read the same far from and near the end of the text",
          "[reader][numbers]") {
  using kind = pyjson::detail::parsed_number::kind;
  std::vector<std::string> literals = {"0",
                                       "-0",
                                       "00",
                                       "01",
                                       "-01",
                                       "0.0",
                                       "-0.0",
                                       "0.5",
                                       "0.000123",
                                       "00.5",
                                       "0.",
                                       "1.",
                                       "-",
                                       "-.5",
                                       ".5",
                                       "1.e5",
                                       "1e",
                                       "1e+",
                                       "1E-5",
                                       "0e0",
                                       "1e5",
                                       "-2.5E+3",
                                       "1.5e400",
                                       "1.5e-400",
                                       "9223372036854775807",
                                       "-9223372036854775808",
                                       "9223372036854775808",
                                       "-9223372036854775809",
                                       "18446744073709551615",
                                       "18446744073709551616",
                                       "1234567890123456789",
                                       "12345678901234567890",
                                       "0.1234567890123456789",
                                       "1.234567890123456789",
                                       "12345678.12345678901",
                                       "123456789012.3456789",
                                       "-65.613616999999977",
                                       "43.420273000000009",
                                       "-100.0000000000001",
                                       "138586341",
                                       "9",
                                       "-9",
                                       "0.30000000000000004",
                                       "5e-324",
                                       "2.2250738585072014e-308",
                                       "1.7976931348623157e308"};
  // Every split of 1 to 30 digits into integer and fraction parts, some with a leading zero.
  std::mt19937_64 rng(20261202);
  for (std::size_t int_digits = 1; int_digits <= 30; ++int_digits) {
    for (std::size_t frac_digits = 0; frac_digits <= 30; ++frac_digits) {
      std::string t = (rng() & 1) ? "-" : "";
      t += static_cast<char>('1' + rng() % 9);
      for (std::size_t k = 1; k < int_digits; ++k) t += static_cast<char>('0' + rng() % 10);
      if (frac_digits > 0) {
        t += '.';
        for (std::size_t k = 0; k < frac_digits; ++k) t += static_cast<char>('0' + rng() % 10);
      }
      literals.push_back(t);
      if (int_digits == 1 && frac_digits > 0)
        literals.push_back(std::string("0") + t.substr(t.find('.')));
    }
  }
  const std::string trailers[] = {
      "",     ",", "]", "}", " ", "\n", "x", ".", "e", "E+", "-", "0", std::string(1, '\0'),
      "\xFF", "/", ":"};
  std::size_t quick = 0;
  for (const std::string& literal : literals) {
    for (const std::string& trailer : trailers) {
      for (std::size_t pad = 0; pad <= 80; ++pad) {
        std::string text = literal + trailer + std::string(pad, ' ');
        const char* b = text.data();
        const char* e = b + text.size();
        pyjson::detail::parsed_number n = pyjson::detail::read_number(b, e);
        pyjson::detail::parsed_number g = pyjson::detail::read_number_general(b, e);
        CAPTURE(literal, trailer, pad);
        REQUIRE(n.end - b == g.end - b);
        REQUIRE(n.k == g.k);
        if (n.k == kind::int64) REQUIRE(n.i == g.i);
        if (n.k == kind::float64)
          REQUIRE(std::bit_cast<std::uint64_t>(n.d) == std::bit_cast<std::uint64_t>(g.d));
        quick += e - b >= 64;
      }
    }
  }
  CHECK(quick > 100000);
  // The same literals through loads, far from the end, near it and with nothing after them:
  // the value, or the error and its position, as at the end of the text.
  for (const std::string& literal : literals) {
    for (std::size_t pad : {0, 1, 40, 70}) {
      std::string text = "[" + literal + "]" + std::string(pad, ' ');
      std::string bare = "[" + literal + "]";
      CAPTURE(literal, pad);
      std::string got, want;
      try {
        got = pyjson::dumps(pyjson::loads(text));
      } catch (const pyjson::decode_error& err) {
        got = err.what();
      }
      try {
        want = pyjson::dumps(pyjson::loads(bare));
      } catch (const pyjson::decode_error& err) {
        want = err.what();
      }
      REQUIRE(got == want);
    }
  }
}

namespace {
struct no_fields {};  // typed reading of it skips every member
}  // namespace

// A number that is skipped (typed reading of a key no field takes, or a syntax check) is
// passed by skip_number, which works out no value: it must end where read_number ends, and
// reject what read_number rejects, so that the errors after it are the same.
TEST_CASE("reader: skipped numbers end where read numbers end", "[reader][numbers]") {
  std::mt19937_64 rng(20261201);
  const std::string alphabet = "-0123456789.eE+x ";
  std::size_t numbers = 0, none = 0, long_runs = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) {
      std::uint64_t r = rng();
      // Mostly digits, in runs long enough for the eight-at-a-time path.
      if (r % 4 != 0) {
        std::size_t run = 1 + (r >> 8) % 20;
        for (std::size_t j = 0; j < run; ++j) s += static_cast<char>('0' + rng() % 10);
        long_runs += run >= 8;
      } else {
        s += alphabet[(r >> 8) % alphabet.size()];
      }
    }
    const char* b = s.data();
    const char* e = b + s.size();
    pyjson::detail::parsed_number read = pyjson::detail::read_number(b, e);
    const char* skipped = pyjson::detail::skip_number(b, e);
    CAPTURE(s);
    if (read.k == pyjson::detail::parsed_number::kind::none) {
      REQUIRE(skipped == b);
      ++none;
    } else {
      REQUIRE(skipped == read.end);
      ++numbers;
    }
    // The same text as a member that typed reading skips: the same error (or none) as loads.
    std::string doc = "{\"k\": " + s + "}";
    std::string typed_error = "no error";
    try {
      pyjson::loads<no_fields>(doc);
    } catch (const pyjson::decode_error& err) {
      typed_error = err.what();
    }
    REQUIRE(typed_error == error_of(doc));
  }
  CHECK(numbers > 100000);
  CHECK(none > 20000);
  CHECK(long_runs > 100000);
}

// Runs of three-byte sequences (Chinese, Japanese) are checked up to five at a time, in the
// reader and in the writer. Random mixes of such runs with other sequences, valid and not,
// must be read and written exactly as the byte-by-byte check (find_utf8_error) says.
TEST_CASE("reader and writer: runs of three-byte UTF-8 sequences", "[reader]") {
  const std::string pieces[] = {
      "\xE6\x97\xA5", "\xE3\x81\x82",     "\xEF\xBF\xBD", "\xE1\x80\x80", "a",
      "\xC3\xA9",     "\xF0\x9F\x98\x80",  // valid: 2 and 4 bytes
      "\xE0\xA0\x80",                      // valid, but E0 is checked one by one
      "\xED\xA0\x80",                      // a surrogate: loads keeps it
      "\xE0\x80\x80", "\xE6\x97",         "\xE6",         "\x80",         "\xED\xBF",
      "\xE6\x97\x41"};  // invalid
  // Python's ensure_ascii output for valid (WTF-)UTF-8: each character beyond ASCII as
  // \uXXXX, beyond the BMP as a surrogate pair; this text has no ASCII that needs escaping.
  auto ascii_escaped = [](const std::string& s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
      auto c = static_cast<unsigned char>(s[i]);
      std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      std::uint32_t cp = n == 1 ? c : c & (0x7Fu >> n);
      for (std::size_t k = 1; k < n; ++k)
        cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      i += n;
      char u[16];
      if (cp < 0x80)
        out += static_cast<char>(cp);
      else if (cp < 0x10000)
        out.append(u, static_cast<std::size_t>(std::snprintf(u, sizeof u, "\\u%04x", cp)));
      else
        out.append(u, static_cast<std::size_t>(std::snprintf(u, sizeof u, "\\u%04x\\u%04x",
                                                             0xD800 + ((cp - 0x10000) >> 10),
                                                             0xDC00 + ((cp - 0x10000) & 0x3FF))));
    }
    return out + "\"";
  };
  int valid = 0, invalid = 0;
  auto check = [&](const std::string& s) {
    CAPTURE(s);
    bool ok = !pyjson::detail::find_utf8_error(s.data(), s.data() + s.size(), true);
    bool surrogate = ok && pyjson::detail::find_utf8_error(s.data(), s.data() + s.size(), false);
    std::string text = "\"" + s + "\"";
    if (ok) {
      ++valid;
      value v = pyjson::loads(text);
      REQUIRE(v.get<std::string>() == s);
      if (surrogate) {
        REQUIRE_THROWS_AS(pyjson::dumps(v, {.ensure_ascii = false}), pyjson::value_error);
        REQUIRE_THROWS_AS(pyjson::dumps(value(s), {.ensure_ascii = false}), pyjson::value_error);
      } else {
        REQUIRE(pyjson::dumps(v, {.ensure_ascii = false}) == text);
        REQUIRE(pyjson::dumps(value(s), {.ensure_ascii = false}) == text);
        REQUIRE(pyjson::loads(pyjson::dumps(v)) == v);  // ensure_ascii: \u escapes
      }
      // ensure_ascii, for the parsed string (decoded unchecked) and the same bytes made in C++
      // (checked, three-byte runs five at a time): the same \u escapes, surrogates included.
      REQUIRE(pyjson::dumps(value(s)) == pyjson::dumps(v));
      REQUIRE(pyjson::dumps(v) == ascii_escaped(s));
    } else {
      ++invalid;
      REQUIRE_THROWS_AS(pyjson::loads(text), pyjson::decode_error);
      REQUIRE_THROWS_AS(pyjson::dumps(value(s), {.ensure_ascii = false}), pyjson::value_error);
      REQUIRE_THROWS_AS(pyjson::dumps(value(s)), pyjson::value_error);
    }
  };
  std::mt19937 rng(20261130);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    bool rare = rng() % 4 == 0;  // most rounds only CJK and ASCII, so long runs form
    std::size_t count = 1 + rng() % 24;
    for (std::size_t i = 0; i < count; ++i)
      s += pieces[rare ? rng() % std::size(pieces) : rng() % 5];
    check(s);
  }
  CHECK(valid > 15000);
  CHECK(invalid > 1000);
  // Every pair of pieces after zero to five CJK characters and before five more: each piece
  // at each place of the runs checked at once (two, or five, sequences), and across them.
  for (const std::string& a : pieces) {
    for (const std::string& b : pieces) {
      for (std::size_t k = 0; k <= 5; ++k) {
        std::string cjk;
        for (std::size_t i = 0; i < k; ++i) cjk += pieces[i % 2];
        check(cjk + a + b + "\xE6\x97\xA5\xE3\x81\x82\xE6\x97\xA5\xE3\x81\x82\xE6\x97\xA5");
      }
    }
  }
}

// Text beyond ASCII in a string is checked 32 bytes at a time with AVX2 where the CPU has it
// (detail::skip_utf8_text_avx2), else one character at a time. An invalid sequence at any
// place in or across those blocks, or cut short by the byte that ends the text ('"', '\\', a
// control character), gets Python's message and position. Expected texts: python3,
// json.loads of the same bytes (which adds no line and column).
TEST_CASE("reader: invalid UTF-8 at every place of a 32-byte block", "[reader][utf8]") {
  struct bad_piece {
    std::string bytes;
    std::string what;  // {P}: the byte position of the piece, {Q} and {R}: the next two
  };
  const bad_piece pieces[] = {
      {"\xC3", "byte 0xc3 in position {P}: invalid continuation byte"},
      {"\xC3\x01", "byte 0xc3 in position {P}: invalid continuation byte"},
      {"\xE3", "byte 0xe3 in position {P}: invalid continuation byte"},
      {"\xE3\x81", "bytes in position {P}-{Q}: invalid continuation byte"},
      {"\xE3\x81\xE3", "bytes in position {P}-{Q}: invalid continuation byte"},
      {"\xE3\x81\"", "bytes in position {P}-{Q}: invalid continuation byte"},
      {"\xE3\x81\\n", "bytes in position {P}-{Q}: invalid continuation byte"},
      {"\xF0\x9F", "bytes in position {P}-{Q}: invalid continuation byte"},
      {"\xF0\x9F\x98", "bytes in position {P}-{R}: invalid continuation byte"},
      {"\xF4\x90\x80\x80", "byte 0xf4 in position {P}: invalid continuation byte"},
      {"\x80", "byte 0x80 in position {P}: invalid start byte"},
      {"\xFF", "byte 0xff in position {P}: invalid start byte"},
  };
  const std::string cjk = "\xE3\x81\x82";  // one character, three bytes
  // After the piece, ASCII alone, or text beyond ASCII: with ASCII, nothing else in the
  // document is wrong, and an invalid piece let through would go unreported.
  const std::string tails[] = {std::string(40, 'a'), [&] {
                                 std::string t;
                                 for (int i = 0; i < 20; ++i) t += cjk;
                                 return t;
                               }()};
  auto fill = [](std::string what, std::string_view name, std::size_t at) {
    if (auto i = what.find(name); i != std::string::npos)
      what.replace(i, name.size(), std::to_string(at));
    return what;
  };
  for (const bad_piece& piece : pieces) {
    // The string's text: "é" (where a check 32 bytes at a time starts), 0 to 2 ASCII bytes,
    // k characters of three bytes, the piece, the tail: the piece starts at each of the 96
    // bytes from 2 on, across three blocks.
    for (std::size_t shift = 0; shift <= 2; ++shift) {
      for (std::size_t k = 0; k <= 31; ++k) {
        for (const std::string& tail : tails) {
          std::string text = "[\"\xC3\xA9";
          text.append(shift, 'a');
          for (std::size_t i = 0; i < k; ++i) text += cjk;
          text += piece.bytes;
          text += tail;
          text += "\"]";
          const std::size_t at = 4 + shift + 3 * k;  // in bytes
          const std::size_t chars = 3 + shift + k;   // in characters
          const std::string what =
              fill(fill(fill(piece.what, "{P}", at), "{Q}", at + 1), "{R}", at + 2);
          const std::string expected = "'utf-8' codec can't decode " + what + ": line 1 column " +
                                       std::to_string(chars + 1) + " (char " +
                                       std::to_string(chars) + ")";
          CAPTURE(piece.bytes, shift, k, tail);
          CHECK(error_of(text) == expected);
          CHECK(error_of(text, {.strict = false}) == expected);
        }
      }
    }
  }
}

#if PYJSON_UTF8_AVX2
// The AVX2 check must accept exactly the text the byte-by-byte one accepts, and leave every
// error to it: random strings of valid and invalid pieces, read both ways, give the same
// value or the same error (message and position).
TEST_CASE("reader: text checked with AVX2 and byte by byte, the same results", "[reader][utf8]") {
  if (!pyjson::detail::use_avx2_utf8) {
    WARN("this CPU has no AVX2: only the byte-by-byte check runs here");
    return;
  }
  struct restore {
    ~restore() { pyjson::detail::use_avx2_utf8 = true; }
  } restore_flag;
  // Valid pieces: the first five are the usual text; then escapes, control characters
  // (valid when not strict), the edges of each sequence length, and a surrogate (valid for
  // loads, which keeps it).
  const std::vector<std::string> valid = {"a",
                                          "\xE3\x81\x82",
                                          "\xC3\xA9",
                                          "\xF0\x9F\x98\x80",
                                          " ",
                                          "\\\"",
                                          "\\n",
                                          "\\u00e9",
                                          "\\ud800",
                                          "\x01",
                                          "\x1F",
                                          "\x7F",
                                          "\xC2\x80",
                                          "\xDF\xBF",
                                          "\xE0\xA0\x80",
                                          "\xEF\xBF\xBF",
                                          "\xED\x9F\xBF",
                                          "\xED\xA0\x80",
                                          "\xED\xBF\xBF",
                                          "\xF0\x90\x80\x80",
                                          "\xF4\x8F\xBF\xBF"};
  const std::vector<std::string> invalid = {"\xF4\x90\x80\x80",
                                            "\xF5\x80\x80\x80",
                                            "\xC0\x80",
                                            "\xC1\xBF",
                                            "\xE0\x80\x80",
                                            "\xE0\x9F\xBF",
                                            "\xF0\x80\x80\x80",
                                            "\xF0\x8F\xBF\xBF",
                                            "\x80",
                                            "\xBF",
                                            "\xC3",
                                            "\xE3\x81",
                                            "\xF0\x90\x80",
                                            "\xFE",
                                            "\xFF",
                                            "\xF8\x88\x80\x80\x80",
                                            "\xED\xBF"};
  auto read = [](const std::string& text, bool avx2, bool strict) -> std::string {
    pyjson::detail::use_avx2_utf8 = avx2;
    value v;
    try {
      v = pyjson::loads(text, {.strict = strict});
    } catch (const pyjson::decode_error& e) {
      return std::string("error ") + e.what();
    }
    // The \u form; and the text as it is, which a string with a surrogate cannot be written
    // as (the reader marks the strings it saw none in, and the writer trusts the mark).
    std::string written = "value ";
    written += pyjson::dumps(v);
    written += '\n';
    try {
      written += pyjson::dumps(v, {.ensure_ascii = false});
    } catch (const pyjson::value_error& e) {
      written += e.what();
    }
    return written;
  };
  std::mt19937 rng(20261204);
  int values = 0, errors = 0;
  for (int round = 0; round < 20000; ++round) {
    // Half the rounds the usual text; a quarter any valid pieces; a quarter those and one or
    // two invalid pieces among them.
    const unsigned mode = rng() % 4;
    const std::size_t count = rng() % 80;
    std::vector<std::string> chosen;
    for (std::size_t i = 0; i < count; ++i)
      chosen.push_back(valid[mode < 2 ? rng() % 5 : rng() % valid.size()]);
    for (unsigned i = 0; mode == 3 && i < 1 + rng() % 2; ++i)
      chosen.insert(chosen.begin() + static_cast<std::ptrdiff_t>(rng() % (chosen.size() + 1)),
                    invalid[rng() % invalid.size()]);
    std::string text(rng() % 8, ' ');
    text += "[\"";
    for (const std::string& piece : chosen) text += piece;
    text += rng() % 2 ? "\"]" : "\", \"\xC3\xA9\"]";
    text += std::string(rng() % 40, ' ');
    const bool strict = rng() % 2 == 0;
    CAPTURE(text, strict);
    const std::string with_avx2 = read(text, true, strict);
    REQUIRE(with_avx2 == read(text, false, strict));
    (with_avx2.starts_with("value") ? values : errors) += 1;
  }
  CHECK(values > 11000);
  CHECK(errors > 6000);
}
#endif

// loads reads an array's elements that are numbers after a comma in a loop of their own
// (value_builder::number_elements), which gives back to the builder's loop at anything else.
// loads<std::vector<pyjson::value>> reads each element on its own, never through that loop:
// both must give the same document, or the same error, for any mix of elements. Skipped (the
// value of a key no field takes), the same array goes through that loop's checking twin: it
// must raise the same error as loads at the same place, or none.
TEST_CASE("reader: numbers in arrays read as elements read one at a time", "[reader][numbers]") {
  const std::vector<std::string> elements = {"1",
                                             "-0",
                                             "1.5",
                                             "-65.613616999999977",
                                             "1e5",
                                             "2E-3",
                                             "1e400",
                                             "123456789012345678901",
                                             "0.12345678901234567890123",
                                             "-9223372036854775809",
                                             "NaN",
                                             "-Infinity",
                                             "Infinity",
                                             "\"x\"",
                                             "null",
                                             "true",
                                             "[]",
                                             "[1,2]",
                                             "[3, [4,5]]",
                                             "{\"a\":1,\"b\":2}",
                                             "{}",
                                             "-",
                                             "01",
                                             "1.",
                                             "-x",
                                             ""};
  const std::vector<std::string> commas = {",", ", ", " ,", ",\n    ", ",,"};
  std::mt19937_64 rng(20261202);
  std::size_t same_documents = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string text = "[";
    std::size_t n = 1 + rng() % 6;
    for (std::size_t k = 0; k < n; ++k) {
      if (k != 0) text += commas[rng() % 4 == 0 ? rng() % commas.size() : 0];
      // Mostly numbers, so that runs of them are common.
      text += rng() % 3 != 0 ? elements[rng() % 6] : elements[rng() % elements.size()];
    }
    const char* closes[] = {"]", " ]", "\n]", "", "}", ",]", "]]"};
    text += closes[rng() % 2 == 0 ? 0 : rng() % 7];
    if (rng() % 2 == 0) text += std::string(70, ' ');  // the numbers' quick path
    CAPTURE(text);
    std::string whole, one_by_one;
    try {
      whole = pyjson::dumps(pyjson::loads(text));
    } catch (const pyjson::decode_error& e) {
      whole = e.what();
    }
    try {
      one_by_one = pyjson::dumps(pyjson::loads<std::vector<pyjson::value>>(text));
    } catch (const pyjson::decode_error& e) {
      one_by_one = e.what();
    }
    REQUIRE(whole == one_by_one);
    same_documents += whole.front() == '[';
    const std::string member = "{\"k\": " + text + "}";
    std::string skipped = "no error";
    try {
      pyjson::loads<no_fields>(member);
    } catch (const pyjson::decode_error& e) {
      skipped = e.what();
    }
    REQUIRE(skipped == error_of(member));
  }
  CHECK(same_documents > 10000);  // not only errors
}
