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
#include <utility>

#include "pyjson/detail/config.hpp"
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
//
// eisel_lemire_inline is the body, forced inline; eisel_lemire is the same as a function of its
// own, which most callers call (see read_number for the one that inlines it).
//
// Fraction = true is the body for -19 <= q <= -1, read_number's quick path (a literal of at most
// 19 digits with a fraction and no exponent): w * 10^q then lies between 10^-19 and 2^64, far
// from subnormals and from overflow, and above the table's end, no exact tie is possible for q
// below -4, and the table's entries for q from -27 on are exact enough that the second
// product decides; so those tests are left out (canada.json: about 8 fewer instructions a
// number). eisel_lemire_fraction is that body as a function of its own.
template <bool Fraction = false>
[[gnu::always_inline]] inline bool eisel_lemire_inline(std::uint64_t w, long long q, bool negative,
                                                       double& out) noexcept {
  // Beyond 10^308 every nonzero w overflows; below the table, from_chars decides.
  if (!Fraction && (q < pow5_min_exponent || q > 308)) return false;
  // w * 10^q can lie exactly halfway between two doubles only for q in [-4, 23] (w < 2^64).
  // For q >= 0 the table entry is exact and the tie is seen below; for q < 0 it is truncated,
  // which hides the tie, so a possible one (5^-q divides w) goes to from_chars.
  if ((Fraction || q < 0) && q >= -4) {
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
    if (!Fraction && lo == ~std::uint64_t(0) && (q < -27 || q > 55)) return false;
  }
  int upper = static_cast<int>(hi >> 63);
  std::uint64_t mantissa = hi >> (upper + 9);
  // Biased binary exponent: floor(q * log2(10)) + 63 from the normalization, + 1023.
  long long power2 = ((217706 * q) >> 16) + 63 + upper - lz + 1023;
  if (!Fraction && power2 <= 0) return false;  // subnormal: rare, from_chars rounds it
  // An exact tie between two doubles (possible only for small |q|) rounds to even.
  if (!Fraction && lo <= 1 && q >= 0 && q <= 23 && (mantissa & 3) == 1 &&
      (mantissa << (upper + 9)) == hi)
    mantissa &= ~std::uint64_t(1);
  mantissa += mantissa & 1;  // round half up on the extra bit...
  mantissa >>= 1;
  if (mantissa >= (std::uint64_t(2) << 52)) {  // ...which may carry into a new binade
    mantissa = std::uint64_t(1) << 52;
    ++power2;
  }
  mantissa &= ~(std::uint64_t(1) << 52);
  if (!Fraction && power2 >= 0x7FF) return false;  // overflow: from_chars gives the infinity
  std::uint64_t bits = mantissa | static_cast<std::uint64_t>(power2) << 52 |
                       static_cast<std::uint64_t>(negative) << 63;
  out = std::bit_cast<double>(bits);
  return true;
}

inline bool eisel_lemire(std::uint64_t w, long long q, bool negative, double& out) noexcept {
  return eisel_lemire_inline(w, q, negative, out);
}
inline bool eisel_lemire_fraction(std::uint64_t w, long long q, double& out) noexcept {
  return eisel_lemire_inline<true>(w, q, false, out);
}

// (-1)^negative * w * 10^q correctly rounded, when a fast path decides it: zero, Clinger's
// (w <= 2^53 and |q| <= 22: one exact double operation) or Eisel-Lemire. False leaves it to
// std::from_chars on the literal. (read_number's quick path chooses between the two by its
// count of digits instead; see there.)
PYJSON_CLANG_INLINE inline bool decimal_to_double(std::uint64_t w, long long q, bool negative,
                                                  double& out) noexcept {
  if (w == 0) {
    out = negative ? -0.0 : 0.0;
    return true;
  }
  if (w <= (std::uint64_t(1) << 53) && q >= -22 && q <= 22) {
    double d = static_cast<double>(w);
    d = q < 0 ? d / exact_pow10[-q] : d * exact_pow10[q];
    out = negative ? -d : d;
    return true;
  }
  return eisel_lemire(w, q, negative, out);
}

/// Parses a float literal already matched by scan_number, exactly (correctly rounded), as
/// Python's float() does: out-of-range literals give ±inf above the largest double and ±0.0
/// below the smallest subnormal.
///
/// Fast paths, each exact: up to 19 significant digits d with a decimal exponent q, as the
/// integer d and q; d <= 2^53 with |q| <= 22 is one exact double multiplication or division
/// (Clinger), else Eisel-Lemire; what neither decides goes to std::from_chars.
///
/// A literal with more digits lies between its first 19 digits w (times 10^q) and w + 1:
/// rounding keeps order, so when both ends round to the same double, so does the literal
/// (the usual case), and only the others go to std::from_chars.
inline double parse_float(const char* begin, const char* end) noexcept {
  const char* p = begin;
  bool negative = *p == '-';
  p += negative;
  std::uint64_t w = 0;
  int digits = 0;          // significant digits in w (leading zeros are not)
  long long q = 0;         // decimal exponent of w's last digit
  bool truncated = false;  // a nonzero digit after the first 19 was left out of w
  for (; p < end && is_digit(*p); ++p) {
    if (w == 0 && *p == '0') continue;
    if (digits == 19) {  // left out: w's last digit moves one place up
      ++q;
      truncated |= *p != '0';
      continue;
    }
    ++digits;
    w = w * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (p < end && *p == '.') {
    for (++p; p < end && is_digit(*p); ++p) {
      if (digits == 19) {  // left out: w's last digit keeps its place
        truncated |= *p != '0';
        continue;
      }
      --q;
      if (w == 0 && *p == '0') continue;
      ++digits;
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
  double d;
  if (!truncated) {
    if (decimal_to_double(w, q, negative, d)) return d;
    return parse_float_slow(begin, end);
  }
  double next;
  if (eisel_lemire(w, q, negative, d) && eisel_lemire(w + 1, q, negative, next) && d == next)
    return d;
  return parse_float_slow(begin, end);
}

// 10^0 to 10^19, every power of ten below 2^64.
inline constexpr std::uint64_t pow10_u64[] = {1u,
                                              10u,
                                              100u,
                                              1000u,
                                              10000u,
                                              100000u,
                                              1000000u,
                                              10000000u,
                                              100000000u,
                                              1000000000u,
                                              10000000000u,
                                              100000000000u,
                                              1000000000000u,
                                              10000000000000u,
                                              100000000000000u,
                                              1000000000000000u,
                                              10000000000000000u,
                                              100000000000000000u,
                                              1000000000000000000u,
                                              10000000000000000000u};

// The bytes of w (little-endian, as loaded from memory) that are not ASCII digits, as its
// nonzero bytes: a digit's high nibble is 3, and adding 6 does not carry into it (which it
// does for 0x3A..0x3F). Adding 6 can carry out of a byte only from 0xFA-0xFF, a non-digit,
// into the byte after it: the lowest nonzero byte is always the first non-digit.
inline std::uint64_t non_digit_bytes(std::uint64_t w) noexcept {
  return ((w & 0xF0F0F0F0F0F0F0F0ull) |
          (((w + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4)) ^
         0x3333333333333333ull;
}
// Whether the 8 bytes in w are all ASCII digits.
inline bool eight_digits(std::uint64_t w) noexcept { return non_digit_bytes(w) == 0; }
// The number whose 8 decimal digits are the bytes of w, each byte a digit's value 0-9 (the
// first in the lowest byte), in three multiply steps that combine neighbours: pairs of
// digits, then pairs of pairs, then the two halves.
inline std::uint32_t digit_bytes_value(std::uint64_t w) noexcept {
  w = (w * 10) + (w >> 8);  // each even byte: 10 * digit + next digit
  w = (((w & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
       (((w >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >>
      32;
  return static_cast<std::uint32_t>(w);
}

// The value of 8 ASCII digits (the first in the lowest byte).
inline std::uint32_t eight_digits_value(std::uint64_t w) noexcept {
  return digit_bytes_value(w - 0x3030303030303030ull);
}

/// A run of digits read by swar_digit_run: where it ends and acc with its digits appended.
struct digit_run {
  const char* end;
  std::uint64_t acc;
};

// Appends the run of digits at p to acc (acc * 10^length + run; it may wrap, the caller counts
// the digits), 8 bytes a step, with no branch on the length of the run: the run's end in the
// last 8 bytes is the first non-digit byte (a bit scan), and its n digits are shifted to the
// top of the word, zeros below, so that the same multiply steps give their value.
// canada.json's numbers end in runs of 1 to 7 digits of every length, which a loop over the
// digits mispredicts at its end. Reads up to 24 bytes at p: the caller sees to it that they
// are there. Stops after 24 digits, at a digit, which the caller takes for too long a run.
[[gnu::always_inline]] inline digit_run swar_digit_run(const char* p, std::uint64_t acc) noexcept {
  for (int step = 0; step < 3; ++step) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    std::uint64_t non_digits = non_digit_bytes(chunk);
    std::uint64_t values = chunk - 0x3030303030303030ull;  // the digits' values, bytes below a
                                                           // non-digit intact
    if (non_digits != 0) {
      unsigned n = static_cast<unsigned>(__builtin_ctzll(non_digits)) >> 3;  // 0 to 7 digits
      // Two shifts: one of 64 - 8n would be a shift by 64 for n = 0.
      acc = acc * pow10_u64[n] + digit_bytes_value((values << (56 - 8 * n)) << 8);
      return {p + n, acc};
    }
    acc = acc * 100000000 + digit_bytes_value(values);
    p += 8;
  }
  return {p, acc};
}

// Accumulates the digits at p into w (which may wrap: the caller counts the digits) and returns
// the end of the run. Eight at a time while eight are there.
//
// The digits go into a local, not into w: w is a reference and the digits are chars, which may
// alias anything, so each step stored w to memory before the next byte could be read.
[[gnu::always_inline]] inline const char* read_digits(const char* p, const char* end,
                                                      std::uint64_t& w) noexcept {
  std::uint64_t acc = w;
  while (end - p >= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    if (!eight_digits(chunk)) {
      // A non-digit lies within these 8 bytes: the loop needs no test for the end. Two
      // digits a step halve the steps and their branches (canada.json's numbers end in runs
      // of 1 to 7 digits): typed loads of canada.json +6-10%, its numbers alone +8%.
      for (;;) {
        auto a = static_cast<unsigned char>(p[0] - '0');
        if (a > 9) break;
        auto b = static_cast<unsigned char>(p[1] - '0');
        if (b > 9) {
          acc = acc * 10 + a;
          ++p;
          break;
        }
        acc = acc * 100 + (a * 10u + b);
        p += 2;
      }
      w = acc;
      return p;
    }
    acc = acc * 100000000 + eight_digits_value(chunk);
    p += 8;
  }
  for (; p < end && is_digit(*p); ++p) acc = acc * 10 + static_cast<std::uint64_t>(*p - '0');
  w = acc;
  return p;
}

/// The end of the number literal at p (the grammar of scan_number), or p when there is none:
/// for a number that is checked and skipped, whose value nobody needs. read_number would
/// also work out the value (for a float, Eisel-Lemire's 128-bit product), and it does so when
/// it is a call of its own, shared with the builder: in a program that also builds values,
/// checking canada.json took twice as long. Digit runs are passed eight at a time.
inline const char* skip_number(const char* p, const char* end) noexcept {
  auto digits = [end](const char* q) {
    for (std::uint64_t chunk; end - q >= 8; q += 8) {
      std::memcpy(&chunk, q, 8);
      if (!eight_digits(chunk)) break;
    }
    while (q < end && is_digit(*q)) ++q;
    return q;
  };
  const char* begin = p;
  p += p < end && *p == '-';
  if (p == end || !is_digit(*p)) return begin;
  p = *p == '0' ? p + 1 : digits(p + 1);
  if (end - p >= 2 && *p == '.' && is_digit(p[1])) p = digits(p + 2);
  if (p < end && (*p == 'e' || *p == 'E')) {
    const char* q = p + 1;
    if (q < end && (*q == '+' || *q == '-')) ++q;
    if (q < end && is_digit(*q)) p = digits(q + 1);
  }
  return p;
}

/// A number literal read in one pass: its end, and its value when that was quick to get.
/// uint64: an integer from 2^63 to 2^64 - 1, its bits in i. slow_integer and slow_float: the
/// literal's value is left to parse_int64 (or the big-integer form) and parse_float.
struct parsed_number {
  enum class kind { none, int64, float64, uint64, slow_integer, slow_float };
  const char* end;
  kind k;
  std::int64_t i;
  double d;
};

// A 20-digit integer literal [p, end): a uint64 when below 2^64, else left to the slow path.
// Out of line, so that read_number_general stays small enough for its digit loops to be
// inlined.
[[gnu::noinline]] inline parsed_number twenty_digit_integer(const char* p,
                                                            const char* end) noexcept {
  std::uint64_t u = 0;
  bool overflow = false;
  for (const char* d = p; d < end; ++d)
    overflow |= __builtin_mul_overflow(u, 10u, &u) ||
                __builtin_add_overflow(u, static_cast<std::uint64_t>(*d - '0'), &u);
  if (overflow) return {end, parsed_number::kind::slow_integer, 0, 0};
  return {end, parsed_number::kind::uint64, static_cast<std::int64_t>(u), 0};
}

// read_number's general form, for numbers near the end of the text and for what its quick form
// leaves alone: digits one run at a time with bounds checks (read_digits).
[[gnu::noinline]] inline parsed_number read_number_general(const char* p,
                                                           const char* end) noexcept {
  const char* begin = p;
  bool negative = p < end && *p == '-';
  p += negative;
  if (p == end || !is_digit(*p)) return {begin, parsed_number::kind::none, 0, 0};
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
    // Up to 19 digits, w is exact (below 10^19 < 2^64); it is an int64 when within range.
    if (int_digits <= 19 && w <= (std::uint64_t(1) << 63) - !negative) {
      auto v = static_cast<std::int64_t>(negative ? 0 - w : w);
      return {p, parsed_number::kind::int64, v, 0};
    }
    // From 2^63 to 2^64 - 1 (ids, hashes): a uint64, decided here. 19 digits are exact in w;
    // 20 wrapped around in read_digits, so they are read again with overflow checks.
    if (!negative && int_digits == 19) return {p, parsed_number::kind::uint64, std::int64_t(w), 0};
    if (!negative && int_digits == 20) return twenty_digit_integer(int_start, p);
    return {p, parsed_number::kind::slow_integer, 0, 0};
  }
  // w holds every digit; it is exact when there are at most 19 (leading zeros included, which
  // is stricter than needed and keeps this simple).
  if (int_digits + frac_digits > 19) return {p, parsed_number::kind::slow_float, 0, 0};
  double d;
  long long q = exp - static_cast<long long>(frac_digits);
  if (!decimal_to_double(w, q, negative, d)) return {p, parsed_number::kind::slow_float, 0, 0};
  return {p, parsed_number::kind::float64, 0, d};
}

/// Reads the number literal at p (Python's NUMBER_RE, as scan_number) and its value in the
/// same pass: int64 integers of up to 19 digits, uint64 ones of up to 20 and floats of up to 19
/// significant digits are decided here (exactly, see parse_float); anything else says
/// slow_integer or slow_float and is left to parse_int64 / the big-integer form / parse_float
/// on [p, end).
///
/// With 64 bytes or more left in the text, a number of at most 19 digits and without an
/// exponent (nearly every number of the benchmark corpus) is read here without bounds checks:
/// every byte it reads (at most 24 digits before the point, 24 after it, 8 bytes a load) lies
/// within those 64. Anything else goes to read_number_general, from the start. canada.json
/// takes 20% fewer instructions to load and loads 10-11% faster than when every number went
/// through read_number_general.
///
/// InlineFloat = true puts the whole float conversion inline, Eisel-Lemire included, where a
/// call is otherwise made: the typed reader's arrays of doubles use it (typed canada.json 6.5%
/// fewer instructions, 5% faster). In the builder it did not pay. In its loop over an array's
/// numbers, canada.json took 2.6% fewer instructions but loaded no faster. In its reader of a
/// scalar (the first number of each array), canada.json took 3% fewer instructions, but
/// canada.json and twitter.json loaded 2% slower in alternating runs.
template <bool InlineFloat = false>
[[gnu::always_inline]] inline parsed_number read_number(const char* p, const char* end) noexcept {
  if (end - p < 64) return read_number_general(p, end);
  const char* begin = p;
  bool negative = *p == '-';
  p += negative;
  if (!is_digit(*p)) return {begin, parsed_number::kind::none, 0, 0};
  const char* int_start = p;
  std::uint64_t w = 0;
  if (*p == '0') {
    ++p;  // a leading zero is the whole integer part: "01" is 0 and then a stray "1"
  } else {
    // Integer parts of up to three digits (those of most floats; all of canada.json's) are
    // read one digit at a time, with branches the predictor learns. Longer ones (ids, counts,
    // times: citm_catalog.json's are 9 and 13 digits) are read 8 digits a step while 8 are
    // there. Tried and dropped: an 8-byte test first for every integer part (canada.json 5%
    // slower), and a run's end found from the bytes, as for fractions (citm_catalog.json 8%
    // slower: the number's end, and all that follows, waits for that arithmetic, where a
    // predicted branch lets the next steps start at once).
    if (is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3])) {
      for (int step = 0; step < 2; ++step) {
        std::uint64_t chunk;
        std::memcpy(&chunk, p, 8);
        if (!eight_digits(chunk)) break;
        w = w * 100000000 + eight_digits_value(chunk);
        p += 8;
      }
      for (int i = 0; i < 8 && is_digit(*p); ++i, ++p)
        w = w * 10 + static_cast<std::uint64_t>(*p - '0');
    } else {
      do {
        w = w * 10 + static_cast<std::uint64_t>(*p - '0');
        ++p;
      } while (is_digit(*p));
    }
  }
  auto int_digits = static_cast<std::size_t>(p - int_start);
  if (*p != '.' || !is_digit(p[1])) {
    if (int_digits <= 19 && (*p | 0x20) != 'e' && w <= (std::uint64_t(1) << 63) - !negative)
      return {p, parsed_number::kind::int64, static_cast<std::int64_t>(negative ? 0 - w : w), 0};
    return read_number_general(begin, end);
  }
  const char* frac_start = p + 1;
  digit_run run = swar_digit_run(frac_start, w);
  auto frac_digits = static_cast<std::size_t>(run.end - frac_start);
  if (int_digits + frac_digits > 19 || (*run.end | 0x20) == 'e')
    return read_number_general(begin, end);
  double d;
  const long long q = -static_cast<long long>(frac_digits);
  if (int_digits + frac_digits <= 15) {
    // w < 10^15 < 2^53, and 10^frac_digits is an exact double: one correctly rounded division
    // (Clinger's fast path), chosen by the count of digits, which is known as soon as the
    // run's end is. decimal_to_double chooses by w itself (w <= 2^53), which waits for the
    // digits' multiplications, and canada.json's numbers of 16 digits lie on both sides of
    // 2^53: that branch was mispredicted late, and typed loads of canada.json were 8-10%
    // slower.
    d = static_cast<double>(run.acc) / exact_pow10[frac_digits];
  } else if (run.acc == 0 || !(InlineFloat ? eisel_lemire_inline<true>(run.acc, q, false, d)
                                           : eisel_lemire_fraction(run.acc, q, d))) {
    // Rare: w = 0 (16 zeros or more), or a case Eisel-Lemire leaves open (a possible tie).
    // decimal_to_double decides as read_number_general does, so both paths agree.
    if (!decimal_to_double(run.acc, q, false, d))
      return {run.end, parsed_number::kind::slow_float, 0, 0};
  }
  // The sign as a bit, without a branch: d is not negative here, and a branch on the sign
  // (canada.json's longitudes and latitudes alternate) was compiled by g++.
  d = std::bit_cast<double>(std::bit_cast<std::uint64_t>(d) | std::uint64_t(negative) << 63);
  return {run.end, parsed_number::kind::float64, 0, d};
}

// "00" to "99": integers and floats are written two digits at a time.
inline constexpr char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The number of decimal digits of n > 0, from its bit length: floor(bits * log10(2)), plus one
// when n reaches the next power of ten.
inline int decimal_length(std::uint64_t n) noexcept {
  int t = ((64 - __builtin_clzll(n)) * 1233) >> 12;
  return t + (n >= pow10_u64[t]);
}

// Integers are written front to back from one product. For n of 2j + 1 or 2j + 2 digits (at
// most 9), t = n * ceil(2^57 / 10^(2j)) is n / 10^(2j) as a fixed-point number with 57 bits of
// fraction: its integer part is the leading one or two digits, and each multiplication of the
// fraction by 100 brings the next pair into the integer part. Rounding the constant up adds
// less than n / 2^57 to n / 10^(2j); as n * 10^(2j) < 10^17 < 2^57, that stays below the
// value of the last digit, so every digit is exact (a run over every integer below 10^9
// against std::to_chars agrees; writer_test.cpp checks lengths, boundaries and samples). The
// pairs cost a mask, a multiply and a shift each, where writing from the end took a division
// by 100 and a multiply for each, in a loop: compact dumps of citm_catalog.json (most of its
// integers are ids of 9 digits) takes 8% fewer instructions and runs 8-10% faster, typed dumps
// of it 14-15% faster.
inline constexpr std::uint64_t pair_fraction_mask = (std::uint64_t(1) << 57) - 1;
// ceil(2^57 / 100^k), for k pairs after the leading digits.
inline constexpr std::uint64_t pair_scale[5] = {
    std::uint64_t(1) << 57,
    ((std::uint64_t(1) << 57) + 99) / 100,
    ((std::uint64_t(1) << 57) + 9999) / 10000,
    ((std::uint64_t(1) << 57) + 999999) / 1000000,
    ((std::uint64_t(1) << 57) + 99999999) / 100000000,
};
// Writes n, which has 2 * Pairs + 1 digits (Odd) or 2 * Pairs + 2, and returns the end.
template <int Pairs, bool Odd>
[[gnu::always_inline]] inline char* format_digits(char* out, std::uint32_t n) noexcept {
  std::uint64_t t = std::uint64_t(n) * pair_scale[Pairs];
  if constexpr (Odd) {
    *out++ = static_cast<char>('0' + (t >> 57));
  } else {
    std::memcpy(out, digit_pairs + 2 * (t >> 57), 2);
    out += 2;
  }
  // The pairs at fixed offsets, unrolled (a loop took four more instructions a pair).
  [&]<int... I>(std::integer_sequence<int, I...>) __attribute__((always_inline)) {
    ((t = (t & pair_fraction_mask) * 100, std::memcpy(out + 2 * I, digit_pairs + 2 * (t >> 57), 2)),
     ...);
  }
  (std::make_integer_sequence<int, Pairs>{});
  return out + 2 * Pairs;
}
// Writes 10 <= n < 10^9 and returns the end. The length comes from a tree of comparisons,
// each range of two lengths with its own constants: a count of digits from the bit length and
// a table, then the lead's width and the number of pairs from it, took 10 more instructions.
[[gnu::always_inline]] inline char* format_below_1e9(char* out, std::uint32_t n) noexcept {
  if (n < 100) {
    std::memcpy(out, digit_pairs + 2 * n, 2);
    return out + 2;
  }
  if (n < 10000) return n < 1000 ? format_digits<1, true>(out, n) : format_digits<1, false>(out, n);
  if (n < 1000000)
    return n < 100000 ? format_digits<2, true>(out, n) : format_digits<2, false>(out, n);
  if (n < 100000000)
    return n < 10000000 ? format_digits<3, true>(out, n) : format_digits<3, false>(out, n);
  return format_digits<4, true>(out, n);
}
// format_uint for n >= 10^9: a head of up to 9 digits, then one or two groups of eight. Out of
// line, so that the common path inlined into the writer saves no registers for it.
[[gnu::noinline]] inline char* format_long_uint(char* out, std::uint64_t n) noexcept {
  constexpr std::uint64_t e8 = 100000000;
  std::uint64_t head = n / e8;
  const auto low = static_cast<std::uint32_t>(n % e8);
  if (head < 1000000000) {  // 10 to 17 digits: a head of 2 to 9
    out = format_below_1e9(out, static_cast<std::uint32_t>(head));
  } else {                                                   // 18 to 20 digits
    const auto top = static_cast<std::uint32_t>(head / e8);  // 10 to 1844
    out = format_below_1e9(out, top);
    out = format_digits<3, false>(out, static_cast<std::uint32_t>(head % e8));
  }
  return format_digits<3, false>(out, low);
}

/// Writes n in decimal and returns the end; out needs 20 bytes. Up to 9 digits from one
/// product (see pair_scale), inline; longer integers in a call.
[[gnu::always_inline]] inline char* format_uint(char* out, std::uint64_t n) noexcept {
  if (n < 10) {
    *out = static_cast<char>('0' + n);
    return out + 1;
  }
  if (n < 1000000000) [[likely]]
    return format_below_1e9(out, static_cast<std::uint32_t>(n));
  return format_long_uint(out, n);
}
/// Writes n in decimal (with a '-' when negative) and returns the end; out needs 20 bytes.
[[gnu::always_inline]] inline char* format_int(char* out, std::int64_t n) noexcept {
  std::uint64_t u = static_cast<std::uint64_t>(n);
  if (n < 0) {
    *out++ = '-';
    u = 0 - u;
  }
  return format_uint(out, u);
}

/// Bytes format_float may write: at most 25 are text, the rest lets it copy digits in whole
/// 8-byte words.
inline constexpr std::size_t float_buffer_size = 48;

// Copies up to 24 digits as three 8-byte words: both buffers have slack after the digits (see
// float_buffer_size and format_float's digit buffer). All three always: a test of n for each
// word was a branch that the count of digits (16 or 17 for most doubles, at random) made the
// processor mispredict: canada.json's compact dumps ran 5% faster without them.
inline void copy_digits(char* out, const char* digits) noexcept { std::memcpy(out, digits, 24); }

// Python's repr layout for the decimal digits[0..n) * 10^e (no trailing zeros, 1 <= n <= 17):
// positional for decimal exponents -4..15 ("0.0001", "1000000000000000.0"), scientific
// outside it ("1e-05", "1e+16") with at least two exponent digits. digits must have 24
// readable bytes, out float_buffer_size writable ones.
[[gnu::always_inline]] inline char* layout_float(char* out, const char* digits, int n,
                                                 int e) noexcept {
  int x = n - 1 + e;  // the exponent in scientific notation
  if (x >= 16 || x < -4) {
    *out++ = digits[0];
    if (n > 1) {
      *out++ = '.';
      copy_digits(out, digits + 1);
      out += n - 1;
    }
    *out++ = 'e';
    *out++ = x < 0 ? '-' : '+';
    int a = x < 0 ? -x : x;
    if (a >= 100) {
      *out++ = static_cast<char>('0' + a / 100);
      a %= 100;
    }
    *out++ = static_cast<char>('0' + a / 10);  // at least two digits, as Python
    *out++ = static_cast<char>('0' + a % 10);
    return out;
  }
  if (x >= 0) {
    if (n <= x + 1) {  // an integer: digits, zeros, ".0"
      copy_digits(out, digits);
      out += n;
      for (int i = n; i <= x; ++i) *out++ = '0';
      *out++ = '.';
      *out++ = '0';
      return out;
    }
    // Digits, then the fraction moved one place right to make room for the point.
    copy_digits(out, digits);
    copy_digits(out + x + 2, digits + x + 1);
    out[x + 1] = '.';
    return out + n + 1;
  }
  std::memcpy(out, "0.0000", 6);  // "0." and up to four zeros
  out += 1 - x;
  copy_digits(out, digits);
  return out + n;
}

// floor(e * log10(2)), floor(e * log10(2) + log10(3/4)) and floor(e * log2(10)), by fixed-point
// multiplication; exact over the exponents of doubles.
inline int floor_log10_pow2(int e) noexcept { return (e * 315653) >> 20; }
inline int floor_log10_three_quarters_pow2(int e) noexcept { return (e * 315653 - 131237) >> 20; }
inline int floor_log2_pow10(int e) noexcept { return (e * 1741647) >> 19; }

// g * cp / 2^127 for the 126-bit g = g1 * 2^63 + g0, rounded to odd: the lowest bit is set
// when anything was cut off, so that comparisons against exact values stay exact.
inline std::uint64_t round_to_odd(std::uint64_t g1, std::uint64_t g0, std::uint64_t cp) noexcept {
  std::uint64_t x1 = static_cast<std::uint64_t>((uint128(g0) * cp) >> 64);
  uint128 y = uint128(g1) * cp;
  std::uint64_t y0 = static_cast<std::uint64_t>(y);
  std::uint64_t y1 = static_cast<std::uint64_t>(y >> 64);
  std::uint64_t z = (y0 >> 1) + x1;
  std::uint64_t vbp = y1 + (z >> 63);
  constexpr std::uint64_t mask63 = (std::uint64_t(1) << 63) - 1;
  return vbp | (((z & mask63) + mask63) >> 63);
}

// The shortest decimal f * 10^e that reads back as the positive normal double c * 2^q (c with
// its hidden bit), and of those the closest to it (ties to even f): R. Giulietti's Schubfach
// algorithm ("The Schubfach way to render doubles", 2020). The rounding interval of the
// double, scaled by 10^-k so that about 17 digits are left of the point, is computed with a
// 126-bit 10^-k rounded up (from the power-of-five table) and rounding to odd. Then: if a
// multiple of ten (one digit shorter) lies in the interval there is exactly one and it wins;
// else the closer of the two integers around the scaled value. f may end in zeros.
inline void shortest_decimal(std::uint64_t c, int q, std::uint64_t& f, int& e) noexcept {
  const bool irregular = c == (std::uint64_t(1) << 52) && q > -1074;  // lower neighbour closer
  const std::uint64_t out = c & 1;  // the interval is closed for even c, open for odd
  const std::uint64_t cb = c << 2;
  const std::uint64_t cbr = cb + 2;
  std::uint64_t cbl;
  int k;
  if (!irregular) {
    cbl = cb - 2;
    k = floor_log10_pow2(q);
  } else {
    cbl = cb - 1;
    k = floor_log10_three_quarters_pow2(q);
  }
  const int h = q + floor_log2_pow10(-k) + 2;
  // g = floor(10^-k * 2^-r) + 1 with 2^125 <= g < 2^126: the table's 128 truncated bits of
  // 5^-k (which are those of 10^-k), shifted right by two.
  const std::uint64_t* t = pow5_128[-k - pow5_min_exponent];
  uint128 g = ((uint128(t[0]) << 64 | t[1]) >> 2) + 1;
  const std::uint64_t g1 = static_cast<std::uint64_t>(g >> 63);
  const std::uint64_t g0 = static_cast<std::uint64_t>(g) & ((std::uint64_t(1) << 63) - 1);
  const std::uint64_t vb = round_to_odd(g1, g0, cb << h);
  const std::uint64_t vbl = round_to_odd(g1, g0, cbl << h);
  const std::uint64_t vbr = round_to_odd(g1, g0, cbr << h);
  const std::uint64_t s = vb >> 2;
  if (s >= 100) {
    const std::uint64_t sp10 = s / 10 * 10;
    const std::uint64_t tp10 = sp10 + 10;
    const bool upin = vbl + out <= sp10 << 2;
    const bool wpin = (tp10 << 2) + out <= vbr;
    if (upin != wpin) {
      f = upin ? sp10 : tp10;
      e = k;
      return;
    }
  }
  const std::uint64_t t1 = s + 1;
  const bool uin = vbl + out <= s << 2;
  const bool win = (t1 << 2) + out <= vbr;
  e = k;
  if (uin != win) {
    f = uin ? s : t1;
    return;
  }
  const std::int64_t cmp = static_cast<std::int64_t>(vb - ((s + t1) << 1));
  f = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t1;
}

// The shortest decimal for c * 2^q as shortest_decimal gives it, by J. Jeon's Dragonbox
// algorithm ("Dragonbox: A New Floating-Point Binary-to-Decimal Conversion Algorithm", 2020),
// which needs one 64x128-bit product where Schubfach needs three. It scales the interval so
// that its width deltai (10^kappa <= deltai < 10^(kappa+1), kappa = 2) is an integer, then
// takes the multiple of 10^(kappa+1) below its right end z when that lies inside; otherwise
// the integer closest to the centre, found from the distance of z to it, with the exact
// parity of a product deciding the cases the truncated one cannot. Returns false where it does
// not apply (the caller falls back to shortest_decimal): c a power of two, whose interval is
// lopsided, or 10^k beyond the power table.
PYJSON_CLANG_INLINE inline bool shortest_decimal_dragonbox(std::uint64_t c, int q, std::uint64_t& f,
                                                           int& e) noexcept {
  constexpr int kappa = 2;
  if (c == std::uint64_t(1) << 52) return false;
  const int minus_k = floor_log10_pow2(q) - kappa;
  const int k = -minus_k;
  if (k > pow5_max_exponent) return false;
  // 10^k with its top bit at bit 127, rounded up (the table truncates; 5^k is exact in 128
  // bits for 0 <= k <= 55).
  const std::uint64_t* t = pow5_128[k - pow5_min_exponent];
  std::uint64_t hi = t[0], lo = t[1];
  if (k < 0 || k > 55) {
    ++lo;
    hi += lo == 0;
  }
  const int beta = q + floor_log2_pow10(k);  // 1..10: (2c+1) << beta fits 64 bits
  const bool closed = (c & 1) == 0;          // round to even: the ends belong to even c
  const std::uint64_t two_c = c << 1;
  const auto deltai = static_cast<std::uint32_t>(hi >> (63 - beta));
  // z = the right end (2c+1) * 2^(q-1) * 10^k: the top 64 bits of a 192-bit product, and
  // whether the 64 below them are zero (then z is taken as an integer).
  const std::uint64_t u = (two_c | 1) << beta;
  const uint128 zr = uint128(u) * hi + static_cast<std::uint64_t>((uint128(u) * lo) >> 64);
  const auto z = static_cast<std::uint64_t>(zr >> 64);
  const bool z_integer = static_cast<std::uint64_t>(zr) == 0;
  // Parity of the integer part of x * 2^(q-1) * 10^k, and whether it has no fraction: from the
  // low 128 bits of x * 10^k's product.
  auto parity = [hi, lo, beta](std::uint64_t x, bool& integer) {
    const uint128 xl = uint128(x) * lo;
    const std::uint64_t h = x * hi + static_cast<std::uint64_t>(xl >> 64);
    const auto l = static_cast<std::uint64_t>(xl);
    integer = ((h << beta) | (l >> (64 - beta))) == 0;
    return ((h >> (64 - beta)) & 1) != 0;
  };
  std::uint64_t sig = z / 1000;
  auto r = static_cast<std::uint32_t>(z - 1000 * sig);
  bool found;
  if (r < deltai) {
    found = true;
    if (r == 0 && z_integer && !closed) {  // z itself is outside: the multiple below it
      --sig;
      r = 1000;
      found = false;
    }
  } else if (r > deltai) {
    found = false;
  } else {  // r == deltai: is the left end inside? compare its fraction
    bool x_integer;
    const bool x_parity = parity(two_c - 1, x_integer);
    found = x_parity || (x_integer && closed);
  }
  if (found) {
    f = sig;
    e = minus_k + kappa + 1;
    return true;
  }
  // No multiple of 10^(kappa+1) inside: the closest integer to the centre y, from the distance
  // of z to it, corrected by y's exact parity when the division leaves a doubt.
  sig *= 10;
  e = minus_k + kappa;
  std::uint32_t dist = r - deltai / 2 + 50;
  const bool approx_y_parity = ((dist ^ 50) & 1) != 0;
  const bool divisible = dist % 100 == 0;
  dist /= 100;
  sig += dist;
  if (divisible) {
    bool y_integer;
    const bool y_parity = parity(two_c, y_integer);
    if (y_parity != approx_y_parity)
      --sig;
    else if (y_integer && (sig & 1) != 0)  // a tie: to even
      --sig;
  }
  f = sig;
  return true;
}

/// Writes d as Python's repr(float) does: the shortest digits that read back as d (the
/// closest such, ties to even), positional for decimal exponents -4..15 ("0.0001",
/// "1000000000000000.0"), scientific outside it ("1e-05", "1e+16") with at least two exponent
/// digits. NaN and infinities are the caller's business. Returns the end of the written text;
/// buf needs float_buffer_size bytes.
inline char* format_float(char* buf, double d) noexcept {
  std::uint64_t bits = std::bit_cast<std::uint64_t>(d);
  char* out = buf;
  if (bits >> 63) *out++ = '-';
  std::uint64_t frac = bits & ((std::uint64_t(1) << 52) - 1);
  int biased = static_cast<int>((bits >> 52) & 0x7FF);
  if (biased == 0) {
    if (frac == 0) {
      std::memcpy(out, "0.0", 3);
      return out + 3;
    }
    // Subnormals are rare: std::to_chars's shortest digits (Ryu in libstdc++), laid out.
    char sci[32];
    auto r = std::to_chars(sci, sci + sizeof sci, d < 0 ? -d : d, std::chars_format::scientific);
    char digits[48];  // 17 at most, and slack for layout_float's word copies
    int n = 0;
    const char* p = sci;
    for (; p < r.ptr && *p != 'e'; ++p)
      if (*p != '.') digits[n++] = *p;
    int x = 0;
    std::from_chars(p + 1 + (p[1] == '+'), r.ptr, x);
    return layout_float(out, digits, n, x - (n - 1));
  }
  std::uint64_t c = frac | std::uint64_t(1) << 52;
  int q = biased - 1075;
  std::uint64_t f;
  int e;
  if (q <= 0 && q > -53 && (c & ((std::uint64_t(1) << -q) - 1)) == 0) {
    f = c >> -q;  // an integer below 2^53: its digits are exact
    e = 0;
  } else {
    if (!shortest_decimal_dragonbox(c, q, f, e)) shortest_decimal(c, q, f, e);
  }
  // Python shows no trailing zeros in the digits. Most doubles have none; a round one (a tenth
  // of canada.json's, with 7 or 8) loses them in steps of 8, 4, 2 and 1 instead of a loop that
  // divides once per zero.
  if (f % 10 == 0) {
    f /= 10;
    ++e;
    if (f % 100000000 == 0) {  // f < 10^16 now: 15 zeros at most are left
      f /= 100000000;
      e += 8;
    }
    if (f % 10000 == 0) {
      f /= 10000;
      e += 4;
    }
    if (f % 100 == 0) {
      f /= 100;
      e += 2;
    }
    if (f % 10 == 0) {
      f /= 10;
      ++e;
    }
  }
  // At most 17 digits: one, then two groups of eight, each as two halves of four. A half is
  // written two digits at a time from a fixed-point fraction: y = x * 2^32 / 100 (rounded up,
  // exact enough for x < 10^4) holds the first two digits above bit 32, and multiplying what
  // is below by 100 brings up the other two. Halves rather than one chain of four products
  // per group: the four chains run side by side, and the digits are ready sooner (canada.json's
  // compact dumps, nearly all 17-digit doubles, ran 2-4% faster).
  auto put4 = [](char* p, std::uint32_t x) {  // x < 10^4 as exactly four digits
    constexpr std::uint64_t mask = (std::uint64_t(1) << 32) - 1;
    std::uint64_t y = x * std::uint64_t(42949673);  // ceil(2^32 / 100)
    std::memcpy(p, digit_pairs + 2 * (y >> 32), 2);
    y = (y & mask) * 100;
    std::memcpy(p + 2, digit_pairs + 2 * (y >> 32), 2);
  };
  auto put8 = [&put4](char* p, std::uint32_t x) {  // x < 10^8 as exactly eight digits
    put4(p, x / 10000);
    put4(p + 4, x % 10000);
  };
  char buf_digits[48];  // the digits end at 24; the rest is slack for copy_digits
  std::uint64_t high = f / 100000000;
  buf_digits[7] = static_cast<char>('0' + high / 100000000);  // f < 10^17
  put8(buf_digits + 8, static_cast<std::uint32_t>(high % 100000000));
  put8(buf_digits + 16, static_cast<std::uint32_t>(f - high * 100000000));
  int n = decimal_length(f);
  const char* digits = buf_digits + 24 - n;
  return layout_float(out, digits, n, e);
}

/// Parses the integer literal [begin, end) (scan_number said it is one) into int64 or uint64
/// when it fits. Returns false when it does not, so the caller keeps the digits.
inline bool parse_int64(const char* begin, const char* end, bool& is_unsigned, std::int64_t& i,
                        std::uint64_t& u) noexcept {
  bool negative = *begin == '-';
  const char* p = begin + negative;
  std::size_t n = static_cast<std::size_t>(end - p);
  std::uint64_t m = 0;
  if (n > 20) return false;
  // Up to 19 digits cannot overflow uint64; the 20th may.
  for (; p < end; ++p)
    if (__builtin_mul_overflow(m, 10u, &m) ||
        __builtin_add_overflow(m, static_cast<std::uint64_t>(*p - '0'), &m))
      return false;
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
