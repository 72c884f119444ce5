// Unicode: UTF-8 validation with Python's error wording, code point encoding (surrogates as
// WTF-8), and character positions from byte offsets. Used by the reader and the writer.
// SPDX-License-Identifier: MIT
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "pyjson/detail/config.hpp"

#if PYJSON_SSE2
#include <emmintrin.h>
#endif

// Text beyond ASCII in strings is checked 32 bytes at a time with AVX2 where the CPU has it,
// and runs of it escaped as \uXXXX up to eight characters at a time, found at run time (the
// library is built for plain x86-64, whose vectors are SSE2's). GNU compilers on x86-64 only;
// define PYJSON_NO_AVX2 to leave it out (PYJSON_NO_SIMD leaves out the SSE2 paths too).
#if !defined(PYJSON_NO_AVX2) && PYJSON_SSE2 && defined(__x86_64__) && defined(__GNUC__)
#define PYJSON_UTF8_AVX2 1
#include <immintrin.h>
#else
#define PYJSON_UTF8_AVX2 0
#endif

namespace pyjson::detail {

/// JSON's two-character escapes: the letter after the backslash and the byte it stands for.
/// The reader decodes all eight; the writer writes all but "\/" (Python leaves '/' as it is).
struct short_escape {
  char letter;
  char byte;
};
inline constexpr short_escape short_escapes[] = {{'"', '"'},  {'\\', '\\'}, {'/', '/'},
                                                 {'b', '\b'}, {'f', '\f'},  {'n', '\n'},
                                                 {'r', '\r'}, {'t', '\t'}};

/// A word with the top bit set in each byte of v that is zero, and maybe in bytes above it (a
/// borrow runs upward): the lowest set bit, and whether any is set, are exact. With it, builds
/// without SSE2 look at string bytes eight at a time (SWAR).
inline constexpr std::uint64_t has_zero_byte(std::uint64_t v) noexcept {
  return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

/// The place in memory (0 to 7) of the first nonzero byte of w, a word loaded from memory with
/// memcpy (little-endian: see config.hpp); w is not 0.
inline int first_nonzero_byte(std::uint64_t w) noexcept { return std::countr_zero(w) / 8; }

/// Whether the len bytes at p are all `fill`, with overlapping loads of 8 bytes (4 when len is
/// 4 to 7): no loop over single bytes but for len < 4.
inline bool all_bytes_are(const char* p, std::size_t len, char fill) noexcept {
  const std::uint64_t f = 0x0101010101010101ull * static_cast<unsigned char>(fill);
  if (len >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p + len - 8, 8);
    std::uint64_t diff = w ^ f;
    for (std::size_t i = 0; i + 8 < len; i += 8) {
      std::memcpy(&w, p + i, 8);
      diff |= w ^ f;
    }
    return diff == 0;
  }
  if (len >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + len - 4, 4);
    return ((a ^ static_cast<std::uint32_t>(f)) | (b ^ static_cast<std::uint32_t>(f))) == 0;
  }
  bool all = true;
  for (std::size_t i = 0; i < len; ++i) all &= p[i] == fill;
  return all;
}

/// One UTF-8 decoding error, described as CPython's UTF-8 decoder describes it: the bytes
/// [start, start + length) cannot be decoded, for `reason`.
struct utf8_error {
  std::size_t start = 0;
  std::size_t length = 0;
  const char* reason = nullptr;  // nullptr: no error
  explicit operator bool() const noexcept { return reason != nullptr; }
};

/// The length of the UTF-8 sequence at p (avail bytes readable) when it is a two- or
/// three-byte one that needs no check beyond "continuation bytes follow", as most non-Latin
/// text is; else 0, and utf8_sequence decides. Small and inline: the reader's and the writer's
/// loops settle most sequences with it, without a call.
inline std::size_t common_utf8_length(const unsigned char* p, std::size_t avail) noexcept {
  const unsigned c = p[0];
  if (c >= 0xC2 && c <= 0xDF && avail >= 2 && (p[1] & 0xC0) == 0x80) return 2;
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && avail >= 3 && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80)
    return 3;
  return 0;
}

#if PYJSON_SSE2
/// The bytes at p that form a run of three-byte sequences of the kind common_utf8_length
/// accepts (lead byte E1..EF but ED, two continuation bytes): 0, 3, ..., 15. Sixteen bytes must
/// be readable at p. Chinese and Japanese text is such runs: one vector check settles up to
/// five characters.
inline std::size_t three_byte_run(const unsigned char* p) noexcept {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Continuation bytes 80..BF are the bytes below C0 taken as signed.
  unsigned cont = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC0)))));
  __m128i e = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(static_cast<char>(0xF0))),
                             _mm_set1_epi8(static_cast<char>(0xE0)));
  __m128i excluded = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xE0))),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xED))));
  unsigned lead = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(excluded, e)));
  // Five sequences: leads at bytes 0, 3, 6, 9, 12, continuations at the others below 15. The
  // first byte that breaks the pattern ends the run, rounded down to whole sequences.
  unsigned mismatch = ((cont ^ 0x6DB6u) | (lead ^ 0x1249u)) & 0x7FFFu;
  unsigned good = mismatch ? static_cast<unsigned>(__builtin_ctz(mismatch)) : 15u;
  return good / 3 * 3;
}

/// The bytes at p that form a run of two-byte sequences (lead byte C2..DF, one continuation
/// byte; always valid): 0, 2, ..., 16. Sixteen bytes must be readable at p. Cyrillic, Greek,
/// Hebrew and Arabic text is such runs.
inline std::size_t two_byte_run(const unsigned char* p) noexcept {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Taken as signed: continuation bytes 80..BF are those below C0, leads C2..DF those above
  // C1 and below E0 (ASCII, from 0 up, is above both bounds).
  unsigned cont = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC0)))));
  unsigned lead = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(0xC1))),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(0xE0))))));
  // Eight sequences: leads at even bytes, continuations at odd ones.
  unsigned mismatch = ((cont ^ 0xAAAAu) | (lead ^ 0x5555u)) & 0xFFFFu;
  unsigned good = mismatch ? static_cast<unsigned>(__builtin_ctz(mismatch)) : 16u;
  return good / 2 * 2;
}
#else
/// Without SSE2: whether the eight bytes w (loaded from memory) begin with two three-byte
/// sequences of the kind common_utf8_length accepts (lead byte E1..EF but ED, two
/// continuation bytes), checked at once: two characters of Chinese or Japanese text.
inline bool two_three_byte_sequences(std::uint64_t w) noexcept {
  // Leads E0..EF at bytes 0 and 3, continuations 80..BF at 1, 2, 4 and 5.
  if ((w & 0x0000C0C0F0C0C0F0ull) != 0x00008080E08080E0ull) return false;
  // Not E0 or ED (their second byte has a narrower range): the leads' low nibbles.
  const unsigned a = static_cast<unsigned>(w) & 0xF;
  const unsigned b = static_cast<unsigned>(w >> 24) & 0xF;
  return a != 0 && a != 0xD && b != 0 && b != 0xD;
}
#endif

#if PYJSON_UTF8_AVX2
/// Whether the reader and the writer check text with skip_utf8_text_avx2, and the writer
/// escapes runs with escape_two_byte_run_avx2 and escape_three_byte_run_avx2: the CPU has AVX2. Set
/// before main; a call that runs earlier, from another static initializer, sees false and takes the
/// byte-by-byte path, which accepts, rejects and writes the same text. Tests turn it off to
/// compare.
inline bool use_avx2_utf8 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}();

/// Moves past the text of a string from p, the start of a character of two bytes or more, to
/// the first byte that ends plain text ('"', '\\', a control character), over ASCII and UTF-8
/// that is valid and holds no surrogate, 32 bytes at a time. Returns that byte; or, where it
/// stops before it, the start of a character it did not settle (in a block with anything else,
/// or in the last 31 bytes of the text), from which the caller reads one character at a time,
/// as it does all text without AVX2. So the caller accepts, and rejects, what it would alone.
///
/// Each byte is checked against the one, two and three before it: the pair (previous byte,
/// byte) gives an error class from three 16-entry tables (the previous byte's high and low
/// nibble, the byte's high nibble), ANDed, so that a pair is wrong when all three name one
/// error; the third and fourth byte of a sequence are then told from a stray continuation byte
/// by the lead two or three bytes before. The bytes from the block's first special byte on are
/// cleared to zero first, so that a character cut short by it is an error too.
///
/// With Copy (the writer), each block is also stored at out, as far from it as the block is
/// from p, before it is checked: out must have room for the text from p to end, and the
/// bytes stored there from the returned point on are to be written over.
template <bool Copy = false>
__attribute__((target("avx2"))) inline const char* skip_utf8_text_avx2(
    const char* p, const char* end, [[maybe_unused]] char* out = nullptr) noexcept {
  // One bit per error; a pair is wrong when its three table entries share a bit.
  constexpr char too_short = 1 << 0;          // a lead byte, then no continuation byte
  constexpr char too_long = 1 << 1;           // ASCII, then a continuation byte
  constexpr char overlong_3 = 1 << 2;         // E0 80..9F
  constexpr char too_large = 1 << 3;          // F4 90..BF, F5..FF and a continuation byte
  constexpr char surrogate = 1 << 4;          // ED A0..BF
  constexpr char overlong_2 = 1 << 5;         // C0 or C1 and a continuation byte
  constexpr char big_or_overlong_4 = 1 << 6;  // F5..FF 80..8F, or F0 80..8F
  constexpr char two_conts = static_cast<char>(1 << 7);     // a continuation byte after another
  constexpr char carry = too_short | too_long | two_conts;  // errors the high nibbles decide
  // By the previous byte's high nibble.
  const __m256i prev_high = _mm256_setr_epi8(
      too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long, two_conts,
      two_conts, two_conts, two_conts, too_short | overlong_2, too_short,
      too_short | overlong_3 | surrogate, too_short | too_large | big_or_overlong_4, too_long,
      too_long, too_long, too_long, too_long, too_long, too_long, too_long, two_conts, two_conts,
      two_conts, two_conts, too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
      too_short | too_large | big_or_overlong_4);
  // By the previous byte's low nibble.
  constexpr char big = too_large | big_or_overlong_4;
  const __m256i prev_low = _mm256_setr_epi8(
      carry | overlong_3 | overlong_2 | big_or_overlong_4, carry | overlong_2, carry, carry,
      carry | too_large, carry | big, carry | big, carry | big, carry | big, carry | big,
      carry | big, carry | big, carry | big, carry | big | surrogate, carry | big, carry | big,
      carry | overlong_3 | overlong_2 | big_or_overlong_4, carry | overlong_2, carry, carry,
      carry | too_large, carry | big, carry | big, carry | big, carry | big, carry | big,
      carry | big, carry | big, carry | big, carry | big | surrogate, carry | big, carry | big);
  // By the byte's high nibble.
  constexpr char cont_80 =
      too_long | overlong_2 | two_conts | overlong_3 | big_or_overlong_4;               // 80..8F
  constexpr char cont_90 = too_long | overlong_2 | two_conts | overlong_3 | too_large;  // 90..9F
  constexpr char cont_a0 = too_long | overlong_2 | two_conts | surrogate | too_large;   // A0..BF
  const __m256i byte_high = _mm256_setr_epi8(
      too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
      cont_80, cont_90, cont_a0, cont_a0, too_short, too_short, too_short, too_short, too_short,
      too_short, too_short, too_short, too_short, too_short, too_short, too_short, cont_80, cont_90,
      cont_a0, cont_a0, too_short, too_short, too_short, too_short);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i index =
      _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                       22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  // Per byte, the largest that ends a character there: a lead byte in the last three bytes of
  // a block needs bytes of the next.
  const __m256i last_complete =
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xEF),
                       static_cast<char>(0xDF), static_cast<char>(0xBF));
  __m256i prev = _mm256_setzero_si256();  // the block before: p starts a character
  __m256i cut = _mm256_setzero_si256();   // nonzero when prev ends with a character cut short
  const char* q = p;
  while (end - q >= 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    if constexpr (Copy) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + (q - p)), v);
    __m256i special = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
                                      _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')));
    special =
        _mm256_or_si256(special, _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1F)), v));
    const auto stop = static_cast<unsigned>(_mm256_movemask_epi8(special));
    if (stop != 0) {
      const auto at = static_cast<char>(__builtin_ctz(stop));
      v = _mm256_and_si256(v, _mm256_cmpgt_epi8(_mm256_set1_epi8(at), index));
    }
    if (_mm256_movemask_epi8(v) == 0) {
      // ASCII: right unless the block before cut a character short.
      if (!_mm256_testz_si256(cut, cut)) break;
      if (stop != 0) return q + __builtin_ctz(stop);
      prev = v;
      q += 32;
      continue;
    }
    // The bytes one, two and three before each byte of v: v shifted, the last of prev in front.
    __m256i joined = _mm256_permute2x128_si256(prev, v, 0x21);
    __m256i prev1 = _mm256_alignr_epi8(v, joined, 15);
    __m256i prev2 = _mm256_alignr_epi8(v, joined, 14);
    __m256i prev3 = _mm256_alignr_epi8(v, joined, 13);
    __m256i error = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(prev_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble)),
            _mm256_shuffle_epi8(prev_low, _mm256_and_si256(prev1, nibble))),
        _mm256_shuffle_epi8(byte_high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble)));
    // A continuation byte after another is right exactly where it is the third byte of a
    // sequence (a lead E0..FF two bytes before) or the fourth (F0..FF three before): the
    // saturating subtractions leave the high bit set for those leads alone.
    __m256i must_follow = _mm256_or_si256(_mm256_subs_epu8(prev2, _mm256_set1_epi8(0x60)),
                                          _mm256_subs_epu8(prev3, _mm256_set1_epi8(0x70)));
    error = _mm256_xor_si256(error, _mm256_and_si256(must_follow, _mm256_set1_epi8(two_conts)));
    if (!_mm256_testz_si256(error, error)) break;
    if (stop != 0) return q + __builtin_ctz(stop);
    cut = _mm256_subs_epu8(v, last_complete);
    prev = v;
    q += 32;
  }
  // The blocks before q are checked but for a character that the last of them cut: its lead
  // byte (or a byte above F4 in its place) ends it with fewer continuation bytes than it
  // needs. The caller reads from that lead.
  const char* r = q;
  for (int i = 0; i < 3 && r > p && (static_cast<unsigned char>(r[-1]) & 0xC0) == 0x80; ++i) --r;
  if (r > p) {
    const auto lead = static_cast<unsigned char>(r[-1]);
    const long length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (q - (r - 1) < length) return r - 1;
  }
  return q;
}

/// Writes the code points in the eight 16-bit lanes of cps (each below 0x10000 and no
/// surrogate) as \uXXXX escapes, 48 bytes at out. Each is split into four nibbles, which one
/// table lookup makes hex digits, and "\u" is put before every four.
__attribute__((target("avx2"))) inline void write_u_escapes_avx2(__m128i cps, char* out) noexcept {
  // Four bytes per code point, its high byte twice then its low byte twice; from each pair,
  // the high nibble and then the low one.
  const __m256i twice =
      _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(cps),
                          _mm256_setr_epi8(1, 1, 0, 0, 3, 3, 2, 2, 5, 5, 4, 4, 7, 7, 6, 6, 9, 9, 8,
                                           8, 11, 11, 10, 10, 13, 13, 12, 12, 15, 15, 14, 14));
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i high = _mm256_and_si256(_mm256_srli_epi16(twice, 4), nibble);
  const __m256i low = _mm256_and_si256(twice, nibble);
  const __m256i even = _mm256_set1_epi16(0x00FF);  // the first byte of each pair
  const __m256i nibbles =
      _mm256_or_si256(_mm256_and_si256(high, even), _mm256_andnot_si256(even, low));
  const __m256i hex =
      _mm256_shuffle_epi8(_mm256_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a',
                                           'b', 'c', 'd', 'e', 'f', '0', '1', '2', '3', '4', '5',
                                           '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'),
                          nibbles);
  const __m128i first4 = _mm256_castsi256_si128(hex);      // code points 0-3, four digits each
  const __m128i last4 = _mm256_extracti128_si256(hex, 1);  // code points 4-7
  // Six bytes per escape: bytes 0-15 hold escapes 0, 1 and the start of 2; 16-31 the rest of
  // 2, 3, 4 and the start of 5; 32-47 the rest of 5, 6 and 7.
  const __m128i out0 = _mm_or_si128(
      _mm_shuffle_epi8(first4, _mm_setr_epi8(-1, -1, 0, 1, 2, 3, -1, -1, 4, 5, 6, 7, -1, -1, 8, 9)),
      _mm_setr_epi8('\\', 'u', 0, 0, 0, 0, '\\', 'u', 0, 0, 0, 0, '\\', 'u', 0, 0));
  const __m128i out1 = _mm_or_si128(
      _mm_or_si128(_mm_shuffle_epi8(first4, _mm_setr_epi8(10, 11, -1, -1, 12, 13, 14, 15, -1, -1,
                                                          -1, -1, -1, -1, -1, -1)),
                   _mm_shuffle_epi8(last4, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0,
                                                         1, 2, 3, -1, -1))),
      _mm_setr_epi8(0, 0, '\\', 'u', 0, 0, 0, 0, '\\', 'u', 0, 0, 0, 0, '\\', 'u'));
  const __m128i out2 = _mm_or_si128(
      _mm_shuffle_epi8(last4,
                       _mm_setr_epi8(4, 5, 6, 7, -1, -1, 8, 9, 10, 11, -1, -1, 12, 13, 14, 15)),
      _mm_setr_epi8(0, 0, 0, 0, '\\', 'u', 0, 0, 0, 0, '\\', 'u', 0, 0, 0, 0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), out0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), out1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 32), out2);
}

/// Writes the three-byte sequences at p (sixteen bytes readable, five sequences read; the
/// caller counts the ones three_byte_run found, and writes over the rest) as \uXXXX escapes,
/// storing 48 bytes at out. Each code point is put together in a 16-bit lane from its bytes,
/// where the byte-by-byte loop decoded and wrote one character at a time.
__attribute__((target("avx2"))) inline void escape_three_byte_run_avx2(const unsigned char* p,
                                                                       char* out) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Lane k: the lead byte above the second (a), and the third byte (b), of sequence k.
  const __m128i a =
      _mm_shuffle_epi8(v, _mm_setr_epi8(1, 0, 4, 3, 7, 6, 10, 9, 13, 12, -1, -1, -1, -1, -1, -1));
  const __m128i b = _mm_shuffle_epi8(
      v, _mm_setr_epi8(2, -1, 5, -1, 8, -1, 11, -1, 14, -1, -1, -1, -1, -1, -1, -1));
  // 1110xxxx 10yyyyyy 10zzzzzz: xxxx << 12 | yyyyyy << 6 | zzzzzz.
  write_u_escapes_avx2(
      _mm_or_si128(_mm_or_si128(_mm_slli_epi16(_mm_and_si128(a, _mm_set1_epi16(0x0F00)), 4),
                                _mm_slli_epi16(_mm_and_si128(a, _mm_set1_epi16(0x003F)), 6)),
                   _mm_and_si128(b, _mm_set1_epi16(0x003F))),
      out);
}

/// The same for the eight two-byte sequences at p (two_byte_run tells how many are such).
__attribute__((target("avx2"))) inline void escape_two_byte_run_avx2(const unsigned char* p,
                                                                     char* out) noexcept {
  // Lane k holds sequence k, its lead byte low: 110xxxxx 10yyyyyy gives xxxxx << 6 | yyyyyy.
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  write_u_escapes_avx2(_mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x001F)), 6),
                                    _mm_and_si128(_mm_srli_epi16(v, 8), _mm_set1_epi16(0x003F))),
                       out);
}
#endif

/// Length of the valid UTF-8 sequence at p (1 to 4), or 0 with `err` filled (start relative to
/// p) when the bytes at p do not start one. `allow_surrogates` also accepts U+D800..U+DFFF
/// encoded in three bytes (WTF-8), the form in which pyjson stores lone surrogates.
inline std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end,
                                 bool allow_surrogates, utf8_error& err) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // the valid range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    need = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // surrogates are handled above
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    err = {0, 1, "invalid start byte"};
    return 0;
  }
  std::size_t avail = static_cast<std::size_t>(end - p);
  if (c == 0xED && allow_surrogates && avail >= 2 && p[1] >= 0xA0 && p[1] <= 0xBF) {
    // A surrogate (U+D800..U+DFFF). Python's surrogatepass handler accepts it only whole; a
    // broken one keeps the strict decoder's verdict on the lead byte.
    if (avail >= 3 && p[2] >= 0x80 && p[2] <= 0xBF) return 3;
    err = {0, 1, "invalid continuation byte"};
    return 0;
  }
  for (std::size_t i = 1; i < need; ++i) {
    if (i >= avail) {  // every byte so far was valid: the input just stops
      err = {0, avail, "unexpected end of data"};
      return 0;
    }
    unsigned char b = p[i];
    bool ok = i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) {
      err = {0, i, "invalid continuation byte"};
      return 0;
    }
  }
  return need;
}

/// The first UTF-8 error in [begin, end), with start relative to begin; an empty result when
/// the text is valid.
inline utf8_error find_utf8_error(const char* begin, const char* end,
                                  bool allow_surrogates = false) {
  auto* p = reinterpret_cast<const unsigned char*>(begin);
  auto* e = reinterpret_cast<const unsigned char*>(end);
  while (p < e) {
    // ASCII runs are the common case: test eight bytes at a time.
    while (e - p >= 8) {
      std::uint64_t w;
      __builtin_memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p >= e) break;
    if (*p < 0x80) {
      ++p;
      continue;
    }
    utf8_error err;
    std::size_t n = utf8_sequence(p, e, allow_surrogates, err);
    if (n == 0) {
      err.start = static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(begin));
      return err;
    }
    p += n;
  }
  return {};
}

/// Python's UnicodeDecodeError text for an error, e.g.
/// "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte".
inline std::string utf8_error_message(const char* begin, const utf8_error& err) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string m = "'utf-8' codec can't decode ";
  if (err.length == 1) {
    auto b = static_cast<unsigned char>(begin[err.start]);
    m += "byte 0x";
    m += hex[b >> 4];
    m += hex[b & 15];
    m += " in position " + std::to_string(err.start);
  } else {
    m += "bytes in position " + std::to_string(err.start) + "-" +
         std::to_string(err.start + err.length - 1);
  }
  m += ": ";
  m += err.reason;
  return m;
}

/// Writes code point cp as UTF-8 (1 to 4 bytes) at out and returns the end; surrogates
/// (U+D800..U+DFFF) get the three-byte form (WTF-8).
inline char* put_utf8(char* out, std::uint32_t cp) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return out + 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return out + 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return out + 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return out + 4;
}
/// Appends code point cp as UTF-8, as put_utf8 writes it.
inline void append_utf8(std::string& out, std::uint32_t cp) {
  char buf[4];
  out.append(buf, static_cast<std::size_t>(put_utf8(buf, cp) - buf));
}

/// Decodes the (already validated) sequence of n bytes at p.
inline std::uint32_t decode_utf8(const unsigned char* p, std::size_t n) noexcept {
  switch (n) {
    case 1: return p[0];
    case 2: return (std::uint32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    case 3:
      return (std::uint32_t(p[0] & 0x0F) << 12) | (std::uint32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    default:
      return (std::uint32_t(p[0] & 0x07) << 18) | (std::uint32_t(p[1] & 0x3F) << 12) |
             (std::uint32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
}

/// Number of code points in [begin, end) of valid (WTF-)UTF-8: every byte that is not a
/// continuation byte starts one. Invalid bytes, which only the error path meets, count one each.
inline std::size_t count_code_points(const char* begin, const char* end) noexcept {
  std::size_t n = 0;
  for (const char* p = begin; p < end; ++p) n += (static_cast<unsigned char>(*p) & 0xC0) != 0x80;
  return n;
}

/// Python's JSONDecodeError position for byte offset `at`: character offset, line and column.
struct text_position {
  std::size_t pos, lineno, colno;
};
inline text_position position_of(const char* begin, const char* at) noexcept {
  std::size_t lineno = 1;
  const char* line_start = begin;
  for (const char* p = begin; p < at; ++p)
    if (*p == '\n') {
      ++lineno;
      line_start = p + 1;
    }
  std::size_t pos = count_code_points(begin, at);
  std::size_t col = count_code_points(line_start, at) + 1;
  return {pos, lineno, col};
}

}  // namespace pyjson::detail
