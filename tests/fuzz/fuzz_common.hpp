// Fuzzing: what the fuzz targets share: how a broken invariant is reported (abort, so that
// libFuzzer and the replay driver both see a crash), and checks written independently of the
// library (code points, positions, lone surrogates, exact value equality).
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace pyjson_fuzz {

/// Prints what went wrong (with an excerpt of the input) and aborts: a finding.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {},
                              std::string_view input = {}) {
  std::fprintf(stderr, "\n*** pyjson fuzz invariant broken: %.*s\n", static_cast<int>(what.size()),
               what.data());
  if (!detail.empty())
    std::fprintf(stderr, "*** detail: %.*s\n",
                 static_cast<int>(std::min<std::size_t>(detail.size(), 2000)), detail.data());
  if (!input.empty()) {
    std::fprintf(stderr, "*** input (%zu bytes, first 256 in hex):", input.size());
    for (std::size_t i = 0; i < input.size() && i < 256; ++i)
      std::fprintf(stderr, " %02x", static_cast<unsigned char>(input[i]));
    std::fprintf(stderr, "\n");
  }
  std::fflush(stderr);
  std::abort();
}

/// Reports an exception that must not escape, naming its dynamic type.
[[noreturn]] inline void unexpected_exception(std::string_view where, std::string_view input) {
  std::string detail = "unknown exception";
  try {
    throw;
  } catch (const std::exception& e) {
    detail = std::string(typeid(e).name()) + ": " + e.what();
  } catch (...) {
  }
  fail(std::string("unexpected exception from ") + std::string(where), detail, input);
}

inline void check(bool ok, std::string_view what, std::string_view detail = {},
                  std::string_view input = {}) {
  if (!ok) [[unlikely]]
    fail(what, detail, input);
}

/// What f() returns with pyjson's AVX2 paths off and on (text beyond ASCII checked, copied and
/// escaped 32 bytes at a time), the flag restored: the same unless a path is wrong. Where the
/// CPU has no AVX2 (or PYJSON_NO_AVX2 is set), both are the byte-by-byte result.
template <class F>
auto without_and_with_avx2(F f) {
#if PYJSON_UTF8_AVX2
  const bool was = pyjson::detail::use_avx2_utf8;
  struct restore {
    bool was;
    ~restore() { pyjson::detail::use_avx2_utf8 = was; }
  } restore_flag{was};
  pyjson::detail::use_avx2_utf8 = false;
  auto first = f();
  pyjson::detail::use_avx2_utf8 = was;
  return std::pair(std::move(first), f());
#else
  auto first = f();
  return std::pair(first, std::move(first));
#endif
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Length of the WTF-8 sequence starting with lead byte c (1 for anything unexpected).
inline std::size_t sequence_length(unsigned char c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 1;
}

/// Number of code points in [0, n) of valid WTF-8 text.
inline std::size_t code_points(std::string_view s, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++count;
  return count;
}

/// True when s holds a surrogate code point (U+D800..U+DFFF, three bytes ED A0..BF xx).
inline bool has_surrogate(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0)
      return true;
  return false;
}

/// True when any string or key of v holds a surrogate.
inline bool value_has_surrogate(const pyjson::value& v) {
  if (v.is_string()) return has_surrogate(v.get<std::string_view>());
  if (v.is_array()) {
    for (const pyjson::value& e : v)
      if (value_has_surrogate(e)) return true;
  } else if (v.is_object()) {
    for (const pyjson::member& m : v.items())
      if (has_surrogate(m.key()) || value_has_surrogate(m.value())) return true;
  }
  return false;
}

/// True when v holds NaN or an infinity anywhere.
inline bool value_has_non_finite(const pyjson::value& v) {
  if (v.is_float()) return !std::isfinite(v.get<double>());
  if (v.is_array()) {
    for (const pyjson::value& e : v)
      if (value_has_non_finite(e)) return true;
  } else if (v.is_object()) {
    for (const pyjson::member& m : v.items())
      if (value_has_non_finite(m.value())) return true;
  }
  return false;
}

/// True when v holds NaN anywhere (operator== is false for it, as in Python).
inline bool value_has_nan(const pyjson::value& v) {
  if (v.is_float()) return std::isnan(v.get<double>());
  if (v.is_array()) {
    for (const pyjson::value& e : v)
      if (value_has_nan(e)) return true;
  } else if (v.is_object()) {
    for (const pyjson::member& m : v.items())
      if (value_has_nan(m.value())) return true;
  }
  return false;
}

/// Exact equality, stricter than operator==: same kinds (1 != 1.0), same integer digits, same
/// float bits (but every NaN equals every NaN, and -0.0 != 0.0), same bytes in strings, same
/// member order unless `any_order`.
inline bool same_value(const pyjson::value& a, const pyjson::value& b, bool any_order) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case pyjson::kind::null: return true;
    case pyjson::kind::boolean: return a.get<bool>() == b.get<bool>();
    case pyjson::kind::integer: return a.int_text() == b.int_text();
    case pyjson::kind::floating: {
      double x = a.get<double>(), y = b.get<double>();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
      return x == y && std::signbit(x) == std::signbit(y);
    }
    case pyjson::kind::string: return a.get<std::string_view>() == b.get<std::string_view>();
    case pyjson::kind::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_value(a[i], b[i], any_order)) return false;
      return true;
    }
    case pyjson::kind::object: {
      auto xs = a.items(), ys = b.items();
      if (xs.size() != ys.size()) return false;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        if (any_order) {
          const pyjson::value* other = b.find(xs[i].key());
          if (other == nullptr || !same_value(xs[i].value(), *other, any_order)) return false;
        } else if (xs[i].key() != ys[i].key() ||
                   !same_value(xs[i].value(), ys[i].value(), any_order)) {
          return false;
        }
      }
      return true;
    }
  }
  return false;
}

}  // namespace pyjson_fuzz
