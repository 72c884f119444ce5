// Numbers: Python's number grammar, exact integer and float parsing, and float output laid out
// exactly as Python's repr(). Used by the reader and the writer.
// SPDX-License-Identifier: MIT
#pragma once

#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

#include "pyjson/detail/pow5_table.hpp"

namespace pyjson::detail {

inline bool is_digit(char c) noexcept { return static_cast<unsigned char>(c - '0') < 10; }

/// Where a number literal ends and what it is, after Python's NUMBER_RE:
/// (-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?  -- a '.' or 'e' not followed by digits ends it.
struct number_scan {
  const char* end;         // one past the literal; == begin when there is no number here
  bool is_integer;         // no fraction and no exponent
  std::size_t int_digits;  // digits of the integer part (leading '-' excluded)
};

inline number_scan scan_number(const char* p, const char* end) noexcept {
  const char* begin = p;
  if (p < end && *p == '-') ++p;
  const char* int_start = p;
  if (p == end || !is_digit(*p)) return {begin, false, 0};
  if (*p == '0') {
    ++p;
  } else {
    while (p < end && is_digit(*p)) ++p;
  }
  std::size_t int_digits = static_cast<std::size_t>(p - int_start);
  bool integer = true;
  if (p + 1 < end && *p == '.' && is_digit(p[1])) {
    p += 2;
    while (p < end && is_digit(*p)) ++p;
    integer = false;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    if (q < end && (*q == '+' || *q == '-')) ++q;
    if (q < end && is_digit(*q)) {
      while (q < end && is_digit(*q)) ++q;
      p = q;
      integer = false;
    }
  }
  return {p, integer, int_digits};
}

// The general case of parse_float: std::from_chars, which is exact for any length, and
// Python's float() for literals out of range (±inf above the largest double, ±0.0 below the
// smallest subnormal).
inline double parse_float_slow(const char* begin, const char* end) noexcept {
  double d = 0;
  auto [ptr, ec] = std::from_chars(begin, end, d);
  if (ec == std::errc()) return d;
  // result_out_of_range: decide between overflow and underflow from the decimal exponent of
  // the first significant digit. The two cases are hundreds of orders of magnitude apart.
  bool negative = *begin == '-';
  const char* p = begin + negative;
  long long first_digit_exp = 0;  // position of the first nonzero digit relative to the point
  bool seen_nonzero = false, in_fraction = false;
  long long int_digits = 0, leading_frac_zeros = 0;
  for (; p < end && *p != 'e' && *p != 'E'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    if (!seen_nonzero && *p != '0') seen_nonzero = true;
    if (!in_fraction && seen_nonzero) ++int_digits;
    if (in_fraction && !seen_nonzero) ++leading_frac_zeros;
  }
  first_digit_exp = int_digits > 0 ? int_digits : -leading_frac_zeros;
  long long exp = 0;
  if (p < end) {
    ++p;
    bool eneg = false;
    if (*p == '+' || *p == '-') eneg = *p++ == '-';
    for (; p < end; ++p) {
      if (exp < 100000000) exp = exp * 10 + (*p - '0');  // saturate: far beyond any double
    }
    if (eneg) exp = -exp;
  }
  double mag = first_digit_exp + exp > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -mag : mag;
}

// Powers of ten that doubles hold exactly.
inline constexpr double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                         1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

__extension__ typedef unsigned __int128 uint128;  // __extension__: GCC/clang builtin type

// The Eisel-Lemire algorithm (D. Lemire, "Number Parsing at a Gigabyte per Second", 2021):
// w * 10^q rounded to the nearest double, from one or two 64x64-bit products with a truncated
// 128-bit 5^q. It decides only when the truncation cannot change the rounding; otherwise, and
// for subnormals, overflow and exponents outside the table, it returns false and the caller
// falls back to std::from_chars. w must not be zero.
inline bool eisel_lemire(std::uint64_t w, long long q, bool negative, double& out) noexcept {
  if (q < pow5_min_exponent || q > pow5_max_exponent) return false;
  // w * 10^q can lie exactly halfway between two doubles only for q in [-4, 23] (w < 2^64).
  // For q >= 0 the table entry is exact and the tie is seen below; for q < 0 it is truncated,
  // which hides the tie, so a possible one (5^-q divides w) goes to from_chars.
  if (q < 0 && q >= -4) {
    static constexpr std::uint64_t pow5[] = {1, 5, 25, 125, 625};
    if (w % pow5[-q] == 0) return false;
  }
  int lz = __builtin_clzll(w);
  w <<= lz;
  const std::uint64_t* t = pow5_128[q - pow5_min_exponent];
  uint128 first = uint128(w) * t[0];
  std::uint64_t hi = static_cast<std::uint64_t>(first >> 64);
  std::uint64_t lo = static_cast<std::uint64_t>(first);
  // The top 55 bits decide the result; when the 9 bits below them are all ones, the part of
  // 5^q cut off by the first word could carry into them: add the second word's product.
  if ((hi & 0x1FF) == 0x1FF) {
    uint128 second = uint128(w) * t[1];
    std::uint64_t carry_in = static_cast<std::uint64_t>(second >> 64);
    lo += carry_in;
    if (lo < carry_in) ++hi;
    // Still all ones: the truncation may hide a carry, unless q is small enough for the
    // product to be exact.
    if (lo == ~std::uint64_t(0) && (q < -27 || q > 55)) return false;
  }
  int upper = static_cast<int>(hi >> 63);
  std::uint64_t mantissa = hi >> (upper + 9);
  // Biased binary exponent: floor(q * log2(10)) + 63 from the normalization, + 1023.
  long long power2 = ((217706 * q) >> 16) + 63 + upper - lz + 1023;
  if (power2 <= 0) return false;  // subnormal: rare, from_chars rounds it
  // An exact tie between two doubles (possible only for small |q|) rounds to even.
  if (lo <= 1 && q >= 0 && q <= 23 && (mantissa & 3) == 1 && (mantissa << (upper + 9)) == hi)
    mantissa &= ~std::uint64_t(1);
  mantissa += mantissa & 1;  // round half up on the extra bit...
  mantissa >>= 1;
  if (mantissa >= (std::uint64_t(2) << 52)) {  // ...which may carry into a new binade
    mantissa = std::uint64_t(1) << 52;
    ++power2;
  }
  mantissa &= ~(std::uint64_t(1) << 52);
  if (power2 >= 0x7FF) return false;  // overflow: from_chars gives the infinity
  std::uint64_t bits = mantissa | static_cast<std::uint64_t>(power2) << 52 |
                       static_cast<std::uint64_t>(negative) << 63;
  out = std::bit_cast<double>(bits);
  return true;
}

/// Parses a float literal already matched by scan_number, exactly (correctly rounded), as
/// Python's float() does: out-of-range literals give ±inf above the largest double and ±0.0
/// below the smallest subnormal.
///
/// Fast paths, each exact: up to 19 significant digits d with a decimal exponent q, as the
/// integer d and q; d <= 2^53 with |q| <= 22 is one exact double multiplication or division
/// (Clinger), else Eisel-Lemire; what neither decides goes to std::from_chars.
inline double parse_float(const char* begin, const char* end) noexcept {
  const char* p = begin;
  bool negative = *p == '-';
  p += negative;
  std::uint64_t w = 0;
  int digits = 0;   // significant digits in w (leading zeros are not)
  long long q = 0;  // decimal exponent of w's last digit
  for (; p < end && is_digit(*p); ++p) {
    if (w == 0 && *p == '0') continue;
    if (++digits > 19) return parse_float_slow(begin, end);
    w = w * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (p < end && *p == '.') {
    for (++p; p < end && is_digit(*p); ++p) {
      --q;
      if (w == 0 && *p == '0') continue;
      if (++digits > 19) return parse_float_slow(begin, end);
      w = w * 10 + static_cast<std::uint64_t>(*p - '0');
    }
  }
  if (p < end) {  // 'e' or 'E'
    ++p;
    bool eneg = false;
    if (*p == '+' || *p == '-') eneg = *p++ == '-';
    long long e = 0;
    for (; p < end; ++p) {
      if (e > 100000) return parse_float_slow(begin, end);  // far outside any double
      e = e * 10 + (*p - '0');
    }
    q += eneg ? -e : e;
  }
  if (w == 0) return negative ? -0.0 : 0.0;
  if (w <= (std::uint64_t(1) << 53) && q >= -22 && q <= 22) {
    double d = static_cast<double>(w);
    d = q < 0 ? d / exact_pow10[-q] : d * exact_pow10[q];
    return negative ? -d : d;
  }
  double d;
  if (eisel_lemire(w, q, negative, d)) return d;
  return parse_float_slow(begin, end);
}

// Whether the 8 bytes in w (little-endian, as loaded from memory) are all ASCII digits: each
// byte's high nibble must be 3, and adding 6 must not carry into it (which 0x3A..0x3F do).
inline bool eight_digits(std::uint64_t w) noexcept {
  return ((w & 0xF0F0F0F0F0F0F0F0ull) |
          (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) == 0x3333333333333333ull;
}
// The value of 8 ASCII digits (the first in the lowest byte), in three multiply steps that
// combine neighbours: pairs of digits, then pairs of pairs, then the two halves.
inline std::uint32_t eight_digits_value(std::uint64_t w) noexcept {
  w -= 0x3030303030303030ull;
  w = (w * 10) + (w >> 8);  // each even byte: 10 * digit + next digit
  w = (((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
      32;
  return static_cast<std::uint32_t>(w);
}

// Accumulates the digits at p into w (which may wrap: the caller counts the digits) and returns
// the end of the run. Eight at a time while eight are there.
inline const char* read_digits(const char* p, const char* end, std::uint64_t& w) noexcept {
  while (end - p >= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    if (!eight_digits(chunk)) break;
    w = w * 100000000 + eight_digits_value(chunk);
    p += 8;
  }
  for (; p < end && is_digit(*p); ++p) w = w * 10 + static_cast<std::uint64_t>(*p - '0');
  return p;
}

/// A number literal read in one pass: its end, and its value when that was quick to get.
struct parsed_number {
  enum class kind { none, int64, uint64, float64, needs_slow_path };
  const char* end;
  kind k;
  std::int64_t i;
  std::uint64_t u;
  double d;
};

/// Reads the number literal at p (Python's NUMBER_RE, as scan_number) and its value in the
/// same pass: integers of up to 18 digits and floats of up to 19 significant digits are
/// decided here (exactly, see parse_float); anything else says needs_slow_path and is left to
/// parse_int64 / the big-integer form / parse_float on [p, end).
inline parsed_number read_number(const char* p, const char* end) noexcept {
  const char* begin = p;
  bool negative = p < end && *p == '-';
  p += negative;
  if (p == end || !is_digit(*p)) return {begin, parsed_number::kind::none, 0, 0, 0};
  std::uint64_t w = 0;
  const char* int_start = p;
  if (*p == '0')
    ++p;
  else
    p = read_digits(p, end, w);
  std::size_t int_digits = static_cast<std::size_t>(p - int_start);
  std::size_t frac_digits = 0;
  bool integer = true;
  if (end - p >= 2 && *p == '.' && is_digit(p[1])) {
    const char* frac_start = ++p;
    p = read_digits(p, end, w);
    frac_digits = static_cast<std::size_t>(p - frac_start);
    integer = false;
  }
  long long exp = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    bool eneg = false;
    if (q < end && (*q == '+' || *q == '-')) eneg = *q++ == '-';
    if (q < end && is_digit(*q)) {
      for (; q < end && is_digit(*q); ++q)
        if (exp < 1000000) exp = exp * 10 + (*q - '0');  // saturate far outside any double
      if (eneg) exp = -exp;
      p = q;
      integer = false;
    }
  }
  if (integer) {
    if (int_digits <= 18) {
      auto v = static_cast<std::int64_t>(w);
      return {p, parsed_number::kind::int64, negative ? -v : v, 0, 0};
    }
    return {p, parsed_number::kind::needs_slow_path, 0, 0, 0};
  }
  // w holds every digit; it is exact when there are at most 19 (leading zeros included, which
  // is stricter than needed and keeps this simple).
  if (int_digits + frac_digits > 19) return {p, parsed_number::kind::needs_slow_path, 0, 0, 0};
  double d;
  long long q = exp - static_cast<long long>(frac_digits);
  if (w == 0) {
    d = negative ? -0.0 : 0.0;
  } else if (w <= (std::uint64_t(1) << 53) && q >= -22 && q <= 22) {
    d = static_cast<double>(w);
    d = q < 0 ? d / exact_pow10[-q] : d * exact_pow10[q];
    if (negative) d = -d;
  } else if (!eisel_lemire(w, q, negative, d)) {
    return {p, parsed_number::kind::needs_slow_path, 0, 0, 0};
  }
  return {p, parsed_number::kind::float64, 0, 0, d};
}

/// Writes d as Python's repr(float) does: shortest round-trip digits, positional notation for
/// decimal exponents -4..15 ("0.0001", "1000000000000000.0"), scientific outside it ("1e-05",
/// "1e+16") with at least two exponent digits. NaN and infinities are the caller's business.
/// Returns the end of the written text; buf needs 32 bytes.
inline char* format_float(char* buf, double d) noexcept {
  char sci[32];
  // to_chars in scientific form gives the shortest digits that round-trip (Ryu in libstdc++).
  auto r = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
  const char* s = sci;
  char* out = buf;
  if (*s == '-') {
    *out++ = '-';
    ++s;
  }
  char digits[20];
  int nd = 0;
  const char* q = s;
  for (; q < r.ptr && *q != 'e'; ++q)
    if (*q != '.') digits[nd++] = *q;
  int exp = 0;
  std::from_chars(q + 1 + (q[1] == '+'), r.ptr, exp);
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      int i = 0;
      for (; i <= exp; ++i) *out++ = i < nd ? digits[i] : '0';
      *out++ = '.';
      if (nd > exp + 1) {
        for (; i < nd; ++i) *out++ = digits[i];
      } else {
        *out++ = '0';
      }
    } else {
      *out++ = '0';
      *out++ = '.';
      for (int z = 0; z < -exp - 1; ++z) *out++ = '0';
      for (int i = 0; i < nd; ++i) *out++ = digits[i];
    }
    return out;
  }
  *out++ = digits[0];
  if (nd > 1) {
    *out++ = '.';
    for (int i = 1; i < nd; ++i) *out++ = digits[i];
  }
  *out++ = 'e';
  *out++ = exp < 0 ? '-' : '+';
  int a = exp < 0 ? -exp : exp;
  if (a < 10) *out++ = '0';
  auto e = std::to_chars(out, out + 4, a);
  return e.ptr;
}

/// Parses the integer literal [begin, end) (scan_number said it is one) into int64 or uint64
/// when it fits. Returns false when it does not, so the caller keeps the digits.
inline bool parse_int64(const char* begin, const char* end, bool& is_unsigned, std::int64_t& i,
                        std::uint64_t& u) noexcept {
  bool negative = *begin == '-';
  const char* p = begin + negative;
  std::size_t n = static_cast<std::size_t>(end - p);
  std::uint64_t m = 0;
  if (n <= 19) {
    // Up to 19 digits cannot overflow uint64.
    for (; p < end; ++p) m = m * 10 + static_cast<std::uint64_t>(*p - '0');
  } else if (n == 20) {
    auto [ptr, ec] = std::from_chars(p, end, m);
    if (ec != std::errc()) return false;
  } else {
    return false;
  }
  if (negative) {
    if (m > (std::uint64_t(1) << 63)) return false;
    i = static_cast<std::int64_t>(0 - m);
    is_unsigned = false;
    return true;
  }
  if (m <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    i = static_cast<std::int64_t>(m);
    is_unsigned = false;
  } else {
    u = m;
    is_unsigned = true;
  }
  return true;
}

}  // namespace pyjson::detail
