// Tests of exactness: every double goes through dumps and loads bit for bit, written in Python's
// repr layout with the shortest digits that round-trip, and every 64-bit integer comes back
// exactly. The checks lean on glibc's strtod and printf, not on std::to_chars/from_chars, which
// pyjson itself uses. Random values come from a fixed seed; PYJSON_EXACTNESS_SAMPLES in the
// environment sets how many (default a million of each kind).
// SPDX-License-Identifier: MIT
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <pyjson.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

using pyjson::value;

namespace {

std::size_t sample_count() {
  if (const char* s = std::getenv("PYJSON_EXACTNESS_SAMPLES")) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(s, &end, 10);
    if (end != s && *end == '\0') return static_cast<std::size_t>(n);
  }
  return 1'000'000;
}

// Values are checked in batches: one array per batch goes through dumps and loads.
constexpr std::size_t batch_size = 10000;

// Counts failures and keeps the first, so a million checks cost one assertion each batch.
struct failures {
  std::size_t count = 0;
  std::string first;
  void add(const std::string& what) {
    if (count++ == 0) first = what;
  }
};

std::uint64_t bits_of(double d) { return std::bit_cast<std::uint64_t>(d); }

std::string hex_bits(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(bits_of(d)));
  return buf;
}

// The elements of a flat array's dumps: the texts between ", ".
std::vector<std::string_view> split_array(std::string_view text) {
  std::vector<std::string_view> out;
  text.remove_prefix(1);
  text.remove_suffix(1);
  for (std::size_t start = 0;;) {
    std::size_t comma = text.find(", ", start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 2;
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The significant digits of a number written by repr (no leading or trailing zeros) and the
// decimal exponent of the first one: "0.00125" is {"125", -3}, "1e+16" is {"1", 16}.
struct decimal {
  std::string digits;
  int exponent = 0;
};

// Checks t against Python's repr layout for the finite double d and returns what is wrong, or
// "" with `out` filled. repr writes d positionally when its decimal exponent is in [-4, 16)
// ("0.0001", "1000000000000000.0"), else as d[.ddd]e±XX with at least two exponent digits;
// there are no leading zeros, no trailing zeros after the point except a lone ".0", and a '-'
// exactly when the sign bit is set (so -0.0 keeps it).
std::string layout_problem(std::string_view t, double d, decimal& out) {
  bool negative = !t.empty() && t[0] == '-';
  if (negative != std::signbit(d)) return "sign";
  if (negative) t.remove_prefix(1);
  std::size_t e = t.find('e');
  if (e == std::string_view::npos) {
    std::size_t dot = t.find('.');
    if (dot == std::string_view::npos) return "no '.' in positional form";
    std::string_view ip = t.substr(0, dot), fp = t.substr(dot + 1);
    if (!all_digits(ip) || !all_digits(fp)) return "not digits";
    if (ip.size() > 1 && ip[0] == '0') return "leading zero";
    if (fp.size() > 1 && fp.back() == '0') return "trailing zero";
    if (fp == "0" && ip == "0") {
      if (d != 0) return "0.0 for a nonzero value";
      out = {"0", 0};
      return "";
    }
    std::string all = std::string(ip) + std::string(fp);
    std::size_t first = all.find_first_not_of('0');
    std::size_t last = all.find_last_not_of('0');
    out.digits = all.substr(first, last - first + 1);
    out.exponent = static_cast<int>(ip.size()) - 1 - static_cast<int>(first);
    if (out.exponent < -4 || out.exponent >= 16) return "positional outside [-4, 16)";
  } else {
    std::string_view mant = t.substr(0, e), ex = t.substr(e + 1);
    if (mant.empty() || mant[0] < '1' || mant[0] > '9') return "mantissa";
    out.digits = mant.substr(0, 1);
    if (mant.size() > 1) {
      if (mant[1] != '.') return "mantissa";
      std::string_view frac = mant.substr(2);
      if (!all_digits(frac) || frac.back() == '0') return "mantissa fraction";
      out.digits += frac;
    }
    if (ex.size() < 3 || (ex[0] != '+' && ex[0] != '-')) return "exponent sign or width";
    std::string_view ed = ex.substr(1);
    if (!all_digits(ed) || (ed.size() > 2 && ed[0] == '0')) return "exponent digits";
    out.exponent = std::atoi(std::string(ed).c_str()) * (ex[0] == '-' ? -1 : 1);
    if (out.exponent >= -4 && out.exponent < 16) return "scientific inside [-4, 16)";
  }
  if (out.digits.size() > 17) return "more than 17 digits";
  return "";
}

// glibc's strtod of 0.<digits> x 10^(exponent + 1): the double nearest that decimal.
double from_decimal(const std::string& digits, int exponent) {
  std::string s = "0." + digits + "e" + std::to_string(exponent + 1);
  return std::strtod(s.c_str(), nullptr);
}

// Shortest: no string of fewer digits reads back as d. The candidates with one digit less that
// lie nearest to d are the digits cut short and the same plus one unit in the last place;
// when neither reads back as d, nothing shorter does (a shorter string is also one of n - 1
// digits with trailing zeros). Closest: among strings of n digits repr takes the one nearest to
// d, which is printf's correctly rounded %.{n-1}e, unless that one does not read back as d.
std::string shortest_problem(const decimal& dec, double d) {
  const std::string& D = dec.digits;
  double ad = std::fabs(d);
  if (D.size() > 1) {
    std::string cut = D.substr(0, D.size() - 1);
    std::string up = cut;
    int i = static_cast<int>(up.size()) - 1;
    for (; i >= 0 && up[static_cast<std::size_t>(i)] == '9'; --i)
      up[static_cast<std::size_t>(i)] = '0';
    int exponent_up = dec.exponent;
    if (i < 0) {
      up.insert(up.begin(), '1');
      ++exponent_up;
    } else {
      ++up[static_cast<std::size_t>(i)];
    }
    if (from_decimal(cut, dec.exponent) == ad) return "a shorter string (cut) reads back";
    if (from_decimal(up, exponent_up) == ad) return "a shorter string (rounded up) reads back";
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", static_cast<int>(D.size()) - 1, ad);
  std::string rounded;
  for (const char* p = buf; *p && *p != 'e'; ++p)
    if (*p != '.') rounded += *p;
  if (rounded != D && std::strtod(buf, nullptr) == ad) return "not the nearest of its length";
  return "";
}

// A double from random bits. One draw in eight is forced subnormal and one in eight is a short
// decimal (k / 10^j), so the rare and the common cases get their share.
double random_double(std::mt19937_64& rng) {
  std::uint64_t bits = rng();
  switch (bits & 7) {
    case 0: return std::bit_cast<double>(bits & 0x800FFFFFFFFFFFFFull);
    case 1: {
      double k = static_cast<double>((bits >> 8) % 100000000);
      return k / std::pow(10.0, static_cast<double>((bits >> 40) % 30));
    }
    default: return std::bit_cast<double>(rng());
  }
}

void check_doubles(const std::vector<double>& ds, bool check_shortest, failures& f) {
  value arr = pyjson::array();
  for (double d : ds) arr.push_back(d);
  std::string text = pyjson::dumps(arr);
  std::vector<std::string_view> texts = split_array(text);
  if (texts.size() != ds.size()) {
    f.add("dumps gave " + std::to_string(texts.size()) + " elements");
    return;
  }
  value back = pyjson::loads(text);
  std::vector<double> typed = pyjson::loads<std::vector<double>>(text);
  for (std::size_t i = 0; i < ds.size(); ++i) {
    double d = ds[i];
    std::string_view t = texts[i];
    const value& b = back.as_array()[i];
    std::string where = hex_bits(d) + " -> " + std::string(t) + ": ";
    if (!b.is_float()) {
      f.add(where + "loads gave a " + b.type_name());
      continue;
    }
    double r = b.get<double>();
    if (std::isnan(d)) {
      if (t != "NaN" || !std::isnan(r) || !std::isnan(typed[i])) f.add(where + "NaN");
      continue;
    }
    if (std::isinf(d)) {
      if (t != (d > 0 ? "Infinity" : "-Infinity") || r != d || typed[i] != d) f.add(where + "inf");
      continue;
    }
    if (bits_of(r) != bits_of(d)) f.add(where + "loads gave " + hex_bits(r));
    if (bits_of(typed[i]) != bits_of(d))
      f.add(where + "loads<vector<double>> gave " + hex_bits(typed[i]));
    if (bits_of(std::strtod(std::string(t).c_str(), nullptr)) != bits_of(d))
      f.add(where + "strtod reads something else");
    decimal dec;
    if (std::string p = layout_problem(t, d, dec); !p.empty()) {
      f.add(where + p);
      continue;
    }
    if (check_shortest && d != 0)
      if (std::string p = shortest_problem(dec, d); !p.empty()) f.add(where + p);
    // std::to_chars also gives the shortest digits that read back, and of those the closest:
    // a second, fast oracle for every value.
    if (d != 0) {
      char sci[64];
      auto r = std::to_chars(sci, sci + sizeof sci, std::fabs(d), std::chars_format::scientific);
      std::string_view s(sci, static_cast<std::size_t>(r.ptr - sci));
      std::size_t e = s.find('e');
      std::string digits;
      for (char c : s.substr(0, e))
        if (c != '.') digits += c;
      int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
      if (digits != dec.digits || exponent != dec.exponent)
        f.add(where + "std::to_chars gives " + std::string(s));
    }
  }
}

template <class T>
void check_integers(const std::vector<T>& xs, failures& f) {
  value arr = pyjson::array();
  std::string expected = "[";
  for (T x : xs) {
    arr.push_back(x);
    expected += (expected.size() > 1 ? ", " : "") + std::to_string(x);
  }
  expected += "]";
  std::string text = pyjson::dumps(arr);
  if (text != expected) {
    f.add("dumps: " + text.substr(0, 200));
    return;
  }
  value back = pyjson::loads(text);
  std::vector<T> typed = pyjson::loads<std::vector<T>>(text);
  if (typed != xs) f.add("loads<vector<T>> differs");
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const value& b = back.as_array()[i];
    if (!b.is_int() || b.is_big_int() || b.get<T>() != xs[i] ||
        b.int_text() != std::to_string(xs[i]))
      f.add("loads of " + std::to_string(xs[i]));
  }
}

// Adds d, the doubles next to it on either side, and the three negated.
void add_with_neighbours(std::vector<double>& ds, double d) {
  for (double x : {d, std::nextafter(d, 0.0), std::nextafter(d, HUGE_VAL)}) {
    ds.push_back(x);
    ds.push_back(-x);
  }
}

}  // namespace

TEST_CASE("exactness: doubles of Python's repr edge cases", "[exactness]") {
  // Expected texts are python3's repr() of the same doubles.
  struct {
    double d;
    const char* repr;
  } cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {5e-324, "5e-324"},
      {-5e-324, "-5e-324"},
      {2.225073858507201e-308, "2.225073858507201e-308"},  // largest subnormal
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {9999999999999998.0, "9999999999999998.0"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.0 / 3, "0.3333333333333333"},
      {9007199254740993.0, "9007199254740992.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {1e22, "1e+22"},
      {1e23, "1e+23"},
      {-1.5e-7, "-1.5e-07"},
      {100.0, "100.0"},
      {1e100, "1e+100"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {-std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (auto [d, repr] : cases) {
    CAPTURE(repr);
    CHECK(pyjson::dumps(value(d)) == repr);
    CHECK(pyjson::dumps(d) == repr);
    if (!std::isnan(d)) CHECK(bits_of(pyjson::loads(repr).get<double>()) == bits_of(d));
  }
  // With allow_nan = false they are Python's ValueError.
  CHECK_THROWS_MATCHES(
      pyjson::dumps(value(std::numeric_limits<double>::quiet_NaN()), {.allow_nan = false}),
      pyjson::value_error, Catch::Message("Out of range float values are not JSON compliant"));
  std::vector<double> all;
  for (auto [d, repr] : cases) all.push_back(d);
  failures f;
  check_doubles(all, true, f);
  INFO(f.first);
  CHECK(f.count == 0);
}

TEST_CASE("exactness: random doubles round-trip bit for bit in repr's shortest layout",
          "[exactness]") {
  const std::size_t n = sample_count();
  std::mt19937_64 rng(20240229);
  failures f;
  std::vector<double> batch;
  std::size_t done = 0, nonfinite = 0;
  while (done < n) {
    batch.clear();
    for (; batch.size() < batch_size && done < n; ++done) {
      batch.push_back(random_double(rng));
      nonfinite += !std::isfinite(batch.back());
    }
    // The first 10,000 values also get the (slower) shortest-digits check.
    check_doubles(batch, done <= batch_size, f);
  }
  CAPTURE(n, nonfinite);
  INFO(f.first);
  CHECK(f.count == 0);
}

TEST_CASE("exactness: every power of two, and its neighbours, round-trips", "[exactness]") {
  // Powers of two sit at the edges of binades, where the gap below is half the gap above and
  // the shortest digits are hardest to get right.
  std::vector<double> ds;
  for (int e = -1074; e <= 1023; ++e) add_with_neighbours(ds, std::ldexp(1.0, e));
  failures f;
  check_doubles(ds, true, f);
  INFO(f.first);
  CHECK(f.count == 0);
}

TEST_CASE("exactness: round doubles lose every trailing zero of their digits", "[exactness]") {
  // The shortest digits of m * 10^k come with up to 16 zeros after m's digits, which the
  // writer strips in steps of 8, 4, 2 and 1: every count of zeros, in both layouts, and the
  // values one unit in the last place away, whose digits have none.
  std::vector<double> ds;
  for (double m : {1.0, 3.0, 17.0, 123.0, 98765.0, 12345678.0, 123456789012.0})
    for (int k = -30; k <= 30; ++k) add_with_neighbours(ds, m * std::pow(10.0, k));
  failures f;
  check_doubles(ds, true, f);
  INFO(f.first);
  CHECK(f.count == 0);
  // A few exact texts, as python3's repr writes them.
  CHECK(pyjson::dumps(1e15) == "1000000000000000.0");
  CHECK(pyjson::dumps(1e16) == "1e+16");
  CHECK(pyjson::dumps(123e20) == "1.23e+22");
  CHECK(pyjson::dumps(98765e-9) == "9.8765e-05");
  CHECK(pyjson::dumps(1234567800000000.0) == "1234567800000000.0");
  CHECK(pyjson::dumps(0.1) == "0.1");
  CHECK(pyjson::dumps(12345678e-12) == "1.2345678e-05");
}

TEST_CASE("exactness: 64-bit integer edges", "[exactness]") {
  using i64 = std::int64_t;
  using u64 = std::uint64_t;
  constexpr i64 min = std::numeric_limits<i64>::min(), max = std::numeric_limits<i64>::max();
  std::vector<i64> signed_edges = {min,
                                   min + 1,
                                   -(i64(1) << 53) - 1,
                                   -(i64(1) << 53),
                                   -1,
                                   0,
                                   1,
                                   std::numeric_limits<std::int32_t>::min(),
                                   std::numeric_limits<std::int32_t>::max(),
                                   i64(1) << 53,
                                   (i64(1) << 53) + 1,
                                   max - 1,
                                   max};
  for (i64 p = 1;; p *= 10) {  // every power of ten that fits, and its neighbours
    for (i64 x : {p - 1, p, p + 1, -p + 1, -p, -p - 1}) signed_edges.push_back(x);
    if (p > max / 10) break;
  }
  std::vector<u64> unsigned_edges = {0,
                                     1,
                                     u64(max),
                                     u64(max) + 1,
                                     u64(max) + 2,
                                     std::numeric_limits<u64>::max() - 1,
                                     std::numeric_limits<u64>::max()};
  for (u64 p = 1;; p *= 10) {
    for (u64 x : {p - 1, p, p + 1}) unsigned_edges.push_back(x);
    if (p > std::numeric_limits<u64>::max() / 10) break;
  }
  failures f;
  check_integers(signed_edges, f);
  check_integers(unsigned_edges, f);
  INFO(f.first);
  CHECK(f.count == 0);
  for (i64 x : signed_edges) {
    CAPTURE(x);
    CHECK(pyjson::loads<i64>(std::to_string(x)) == x);
    CHECK(pyjson::loads(std::to_string(x)) == value(x));
  }
  for (u64 x : unsigned_edges) {
    CAPTURE(x);
    CHECK(pyjson::loads<u64>(std::to_string(x)) == x);
    CHECK(pyjson::loads(std::to_string(x)) == value(x));
  }
  // Just past the edges: exact big integers, refused by the 64-bit types.
  value above = pyjson::loads("9223372036854775808");
  CHECK(above.get<u64>() == u64(max) + 1);
  CHECK_THROWS_MATCHES(above.get<i64>(), pyjson::type_error,
                       Catch::Message("int 9223372036854775808 is out of range for int64"));
  for (const char* big : {"-9223372036854775809", "18446744073709551616", "-18446744073709551616",
                          "99999999999999999999"}) {
    CAPTURE(big);
    value v = pyjson::loads(big);
    CHECK(v.is_big_int());
    CHECK(pyjson::dumps(v) == big);
    CHECK_THROWS_MATCHES(v.get<i64>(), pyjson::type_error,
                         Catch::Message("int " + std::string(big) + " is out of range for int64"));
    CHECK_THROWS_AS(v.get<u64>(), pyjson::type_error);
    CHECK_THROWS_AS(pyjson::loads<i64>(big), pyjson::type_error);
    CHECK_THROWS_AS(pyjson::loads<u64>(big), pyjson::type_error);
  }
  CHECK_THROWS_MATCHES(pyjson::loads("-1").get<u64>(), pyjson::type_error,
                       Catch::Message("int -1 is out of range for uint64"));
}

TEST_CASE("exactness: random 64-bit integers round-trip exactly", "[exactness]") {
  const std::size_t n = sample_count();
  std::mt19937_64 rng(19700101);
  failures f;
  std::vector<std::int64_t> s;
  std::vector<std::uint64_t> u;
  for (std::size_t done = 0; done < n;) {
    s.clear();
    u.clear();
    for (; s.size() < batch_size && done < n; ++done) {
      // Random widths, so that short numbers are as common as long ones.
      std::uint64_t bits = rng(), shift = rng() % 64;
      s.push_back(static_cast<std::int64_t>(bits) >> shift);
      u.push_back(rng() >> (rng() % 64));
    }
    check_integers(s, f);
    check_integers(u, f);
  }
  CAPTURE(n);
  INFO(f.first);
  CHECK(f.count == 0);
}
