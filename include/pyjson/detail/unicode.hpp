// Unicode: UTF-8 validation with Python's error wording, code point encoding (surrogates as
// WTF-8), and character positions from byte offsets. Used by the reader and the writer.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
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

#if defined(__SSE2__)
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
