// pyjson built with -fno-exceptions: try_loads() gives invalid JSON back as a value with
// Python's message, typed loads/dumps work on good input, and every other error goes to the
// handler set with set_error_handler(). No Catch2 here (it needs exceptions): plain checks.
//
//   pyjson_no_exceptions                     the checks; exit 0 when all pass
//   pyjson_no_exceptions handler <case>      one error, with a handler that prints and exits 42
//   pyjson_no_exceptions returning <case>    one error, with a handler that returns
//   pyjson_no_exceptions default <case>      one error, with the default handler
//
// <case> is nan, key, loads, typed or typed_bom (see raise_one).
// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <vector>

#if PYJSON_HAS_EXCEPTIONS
#error "tests/no_exceptions/main.cpp must be compiled with -fno-exceptions"
#endif

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (ok) return;
  ++failures;
  std::printf("FAILED: %s\n", what.c_str());
}

void check_eq(const std::string& got, const std::string& want, const std::string& what) {
  check(got == want, what + "\n    got:  " + got + "\n    want: " + want);
}

// A class that is not an aggregate, mapped with pyjson::fields.
class point {
 public:
  point() = default;
  point(int x, int y) : x_(x), y_(y) {}
  int x() const { return x_; }
  int y() const { return y_; }

 private:
  friend struct pyjson::traits<point>;
  int x_ = 0, y_ = 0;
};

// An aggregate: fields found by reflection.
struct shape {
  std::string name;
  std::vector<point> points;
  std::optional<double> area;
};

}  // namespace

template <>
struct pyjson::traits<point> {
  static constexpr auto fields = pyjson::fields("x", &point::x_, "y", &point::y_);
};

namespace {

// In the checks mode nothing may raise: an error reaching the handler fails the run.
void unexpected_error(const pyjson::error& e) {
  std::printf("FAILED: an error reached the handler: %s\n", e.what());
  std::fflush(stdout);
  std::_Exit(1);
}

// Expected texts come from Python 3.11: str(e) of the JSONDecodeError (or UnicodeDecodeError)
// that json.loads(bytes) raises, with e.pos, e.lineno, e.colno; byte_pos is the UTF-8 length
// of text[:e.pos].
struct bad_input {
  std::string_view text;
  std::string_view what;
  std::size_t pos, lineno, colno, byte_pos;
};

constexpr bad_input bad_inputs[] = {
    {"[1,", "Expecting value: line 1 column 4 (char 3)", 3, 1, 4, 3},
    {"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)", 5, 1, 6, 5},
    {"\"\\x\"", "Invalid \\escape: line 1 column 2 (char 1)", 1, 1, 2, 1},
    {"", "Expecting value: line 1 column 1 (char 0)", 0, 1, 1, 0},
    {"[1, 2,]", "Expecting value: line 1 column 7 (char 6)", 6, 1, 7, 6},
    {"{\"a\": 1} x", "Extra data: line 1 column 10 (char 9)", 9, 1, 10, 9},
    {"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)", 0, 1, 1, 0},
    {"{\n  \"a\": 1,\n  \"b\" 2\n}", "Expecting ':' delimiter: line 3 column 7 (char 18)", 18, 3, 7,
     18},
    {"[\"\xc3\xa9\", x]", "Expecting value: line 1 column 7 (char 6)", 6, 1, 7, 7},
    {"[\"\xf0\x9f\x98\x80\", tru]", "Expecting value: line 1 column 7 (char 6)", 6, 1, 7, 9},
    {"\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)", 2, 1, 3, 2},
    {"[\"a\x01\"]", "Invalid control character at: line 1 column 4 (char 3)", 3, 1, 4, 3},
};

// Not UTF-8: msg() is Python's UnicodeDecodeError text and what() adds the position (of the
// first bad byte) as for any decode_error.
constexpr bad_input bad_utf8[] = {
    {"\"\xff\"", "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte", 1, 1, 2,
     1},
    {"[\"ok\", \"\xc3\"]",
     "'utf-8' codec can't decode byte 0xc3 in position 8: invalid continuation byte", 8, 1, 9, 8},
    {"[1, \"\xed\xa0\"]",
     "'utf-8' codec can't decode byte 0xed in position 5: invalid continuation byte", 5, 1, 6, 5},
};

std::string where(std::string_view text) {
  std::string s = "try_loads(";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      s += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      s += buf;
    }
  }
  return s.size() > 60 ? s.substr(0, 60) + "...)" : s + ")";
}

void check_error(const pyjson::load_result& r, const bad_input& c, const std::string& what,
                 const std::string& msg) {
  std::string name = where(c.text);
  check(!r.ok() && !r, name + ": ok() should be false");
  if (r.ok()) return;
  const pyjson::decode_error& e = r.error();
  check_eq(e.what(), what, name + ": what()");
  check_eq(e.msg(), msg, name + ": msg()");
  check(e.pos() == c.pos && e.lineno() == c.lineno && e.colno() == c.colno &&
            e.byte_pos() == c.byte_pos,
        name + ": pos/lineno/colno/byte_pos " + std::to_string(e.pos()) + "/" +
            std::to_string(e.lineno()) + "/" + std::to_string(e.colno()) + "/" +
            std::to_string(e.byte_pos()));
}

void check_try_loads() {
  // Good input: the value, written back byte for byte as Python writes it.
  const std::string good =
      R"({"name": "Ada", "age": 36, "tags": ["x", "\u00e9"], "n": null, "f": 2.5, )"
      R"("big": 1180591620717411303424})";
  pyjson::load_result r = pyjson::try_loads(good);
  check(r.ok() && static_cast<bool>(r), "try_loads(good): ok()");
  if (r.ok()) {
    check_eq(pyjson::dumps(r.value()), good, "dumps(try_loads(good).value())");
    check(r.value()["big"].is_big_int(), "2**70 is kept as a big integer");
    check(r.value().at("age").get<int>() == 36, "value().at(\"age\")");
  }
  pyjson::load_result bom = pyjson::try_loads("\xEF\xBB\xBF[1, 2]");
  check(bom.ok() && pyjson::dumps(bom.value()) == "[1, 2]", "try_loads skips a UTF-8 BOM");

  for (const bad_input& c : bad_inputs) {
    std::string what(c.what);
    check_error(pyjson::try_loads(c.text), c, what, what.substr(0, what.find(": line ")));
  }
  for (const bad_input& c : bad_utf8) {
    std::string suffix = ": line " + std::to_string(c.lineno) + " column " +
                         std::to_string(c.colno) + " (char " + std::to_string(c.pos) + ")";
    check_error(pyjson::try_loads(c.text), c, std::string(c.what) + suffix, std::string(c.what));
  }

  // Options pass through: strict=False accepts control characters, as in Python.
  pyjson::load_result lax = pyjson::try_loads("[\"a\x01\"]", {.strict = false});
  check(lax.ok() && lax.value()[0].get<std::string>() == "a\x01", "try_loads strict=false");

  // Nesting: an error at the bracket past max_depth (1000 by default), never a crash.
  const std::string deep(2000, '[');
  pyjson::load_result d = pyjson::try_loads(deep);
  check_error(d, {deep, "", 1000, 1, 1001, 1000},
              "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)",
              "Nesting deeper than max_depth (1000)");
  // With a higher bound, the same text fails where Python 3.11 does once its recursion limit
  // is raised (sys.setrecursionlimit(100000)).
  check_error(pyjson::try_loads(deep, {.max_depth = 5000}), {deep, "", 2000, 1, 2001, 2000},
              "Expecting value: line 1 column 2001 (char 2000)", "Expecting value");
  check_error(pyjson::try_loads("[[[1]]]", {.max_depth = 2}), {"[[[1]]]", "", 2, 1, 3, 2},
              "Nesting deeper than max_depth (2): line 1 column 3 (char 2)",
              "Nesting deeper than max_depth (2)");
  const std::string balanced = deep + std::string(2000, ']');
  pyjson::load_result b = pyjson::try_loads(balanced, {.max_depth = 2000});
  check(b.ok() && pyjson::dumps(b.value()) == balanced, "2000 levels with max_depth = 2000");

  // The parse errors above were reported as values: try_loads can be called again.
  check(pyjson::try_loads("[]").ok(), "try_loads after errors");
}

void check_typed() {
  const std::string text =
      R"({"name": "tri", "points": [{"x": 0, "y": 0}, {"x": 4, "y": 0}, {"x": 0, "y": 3}], )"
      R"("area": 6.0})";
  auto s = pyjson::loads<shape>(text);
  check(s.name == "tri" && s.points.size() == 3 && s.points[1].x() == 4 && s.points[2].y() == 3 &&
            s.area == 6.0,
        "loads<shape>");
  check_eq(pyjson::dumps(s), text, "dumps(shape)");
  check_eq(pyjson::dumps(point(1, -2), {.indent = 2}), "{\n  \"x\": 1,\n  \"y\": -2\n}",
           "dumps(point, indent=2)");

  auto numbers = pyjson::loads<std::vector<int>>("[2, 3, 5, 7]");
  check(numbers == std::vector<int>{2, 3, 5, 7}, "loads<std::vector<int>>");
  auto scores = pyjson::loads<std::map<std::string, double>>(R"({"ada": 9.5, "bob": 7})");
  check_eq(pyjson::dumps(scores, {.sort_keys = true}), R"({"ada": 9.5, "bob": 7.0})",
           "dumps(map<string, double>)");
  check_eq(pyjson::dumps(std::numeric_limits<double>::quiet_NaN()), "NaN",
           "dumps(NaN) with allow_nan");
  check_eq(pyjson::dumps(pyjson::to_value(s)["points"][2]), R"({"x": 0, "y": 3})",
           "to_value(shape)");
}

void check_handler_api() {
  pyjson::error_handler previous = pyjson::set_error_handler(&unexpected_error);
  check(previous != nullptr, "set_error_handler returns the previous (default) handler");
  check(pyjson::set_error_handler(&unexpected_error) == &unexpected_error,
        "set_error_handler returns the handler it replaces");
}

[[noreturn]] void exit_handler(const pyjson::error& e) {
  if (auto* d = dynamic_cast<const pyjson::decode_error*>(&e))
    std::printf("no_exceptions handler: %s [byte %zu]\n", e.what(), d->byte_pos());
  else
    std::printf("no_exceptions handler: %s\n", e.what());
  std::fflush(stdout);
  std::_Exit(42);
}

void returning_handler(const pyjson::error& e) {
  std::printf("no_exceptions returning handler: %s\n", e.what());
  std::fflush(stdout);
}

// Triggers one error that loads/dumps would throw with exceptions on. Returns only when the
// error did not reach the handler.
void raise_one(std::string_view which) {
  if (which == "nan") {
    std::string s = pyjson::dumps(std::numeric_limits<double>::quiet_NaN(), {.allow_nan = false});
    std::printf("dumps returned %s\n", s.c_str());
  } else if (which == "key") {
    pyjson::value v = pyjson::loads(R"({"present": 1})");
    std::printf("at returned %s\n", pyjson::dumps(v.at("missing")).c_str());
  } else if (which == "loads") {
    std::printf("loads returned %s\n", pyjson::dumps(pyjson::loads("[1,")).c_str());
  } else if (which == "typed") {
    auto s = pyjson::loads<shape>(R"({"name": "tri", "points": [{"x": 0, "y": "1"}]})");
    std::printf("loads<shape> returned %s\n", pyjson::dumps(s).c_str());
  } else if (which == "typed_bom") {
    // A type error first, then a syntax error, after a byte order mark: the syntax error is
    // raised, and its byte position counts the mark, as with exceptions.
    auto v = pyjson::loads<std::vector<int>>("\xEF\xBB\xBF[\"x\", 1, ]");
    std::printf("loads<vector<int>> returned %zu values\n", v.size());
  } else {
    std::printf("unknown case '%s'\n", std::string(which).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3) {
    std::string_view mode = argv[1];
    if (mode == "handler") {
      pyjson::set_error_handler(&exit_handler);
    } else if (mode == "returning") {
      pyjson::set_error_handler(&returning_handler);
    } else if (mode != "default") {
      std::printf("unknown mode '%s'\n", argv[1]);
      return 2;
    }
    raise_one(argv[2]);
    return 1;  // the handler should have ended the program
  }
  if (argc != 1) {
    std::printf("usage: %s [handler|returning|default nan|key|loads|typed|typed_bom]\n", argv[0]);
    return 2;
  }

  check_handler_api();
  check_try_loads();
  check_typed();
  if (failures != 0) {
    std::printf("%d check(s) failed\n", failures);
    return 1;
  }
  std::printf("all checks passed\n");
  return 0;
}
