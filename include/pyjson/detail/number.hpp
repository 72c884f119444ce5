// Numbers: Python's number grammar, exact integer and float parsing, and float output laid out
// exactly as Python's repr(). Used by the reader and the writer.
// SPDX-License-Identifier: MIT
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>

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

/// Parses a float literal already matched by scan_number, exactly (correctly rounded).
/// Out-of-range literals give what Python's float() gives: ±inf above the largest double,
/// ±0.0 below the smallest subnormal.
inline double parse_float(const char* begin, const char* end) noexcept {
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
