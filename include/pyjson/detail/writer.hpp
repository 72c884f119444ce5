// Writer: appends JSON text to one growing buffer with Python's separators, indentation,
// string escaping and number layout. dumps() and dump() (and typed writing) end here.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "pyjson/detail/config.hpp"

#if PYJSON_SSE2
#include <emmintrin.h>
#endif

#include "pyjson/detail/number.hpp"
#include "pyjson/detail/unicode.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"

namespace pyjson::detail {

/// Nesting bound of the writer, which recurses once per level.
inline constexpr std::size_t max_write_depth = 10000;

/// Bytes of a field name's quoted copy (see quoted_names in traits.hpp and writer::quoted_key).
inline constexpr std::size_t quoted_width = 32;

// What each byte needs inside a string: 0 copy as is, 1 a short or \u00XX escape, 2 the first
// byte of a multi-byte UTF-8 sequence (escaped with ensure_ascii, validated without).
inline constexpr std::array<std::uint8_t, 256> string_byte_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 2;
  return t;
}();

/// Writes JSON text into a raw buffer: grown ahead (at least doubling), with no size
/// bookkeeping of std::string's for each piece, which roughly halves the cost of small
/// appends. The text is appended to the string when the writer is finished or destroyed.
class writer {
 public:
  /// `streaming` selects the messages of Python's json.dump (always its pure-Python encoder)
  /// rather than json.dumps (its C encoder, unless an indent is set): they differ in the NaN
  /// error, which the pure-Python encoder ends with the value ("...: nan").
  writer(std::string& out, const dump_options& opt, bool streaming = false)
      : out_(out),
        opt_(opt),
        // Made here rather than assigned in the body, where g++ 12 saw the short string's
        // bytes read before they were set (a false -Wmaybe-uninitialized in callers' code).
        item_sep_(opt.separators ? opt.separators.item()
                  : opt.indent   ? ","
                                 : ", "),
        key_sep_(opt.separators ? opt.separators.key() : ": "),
        nan_error_with_value_(streaming || opt.indent.has_value()) {
    // The two layouts nearly every call uses, compact (",", ":") and Python's default
    // (", ", ": ") without indent, have constant separators: item() and key_separator() write
    // them with one 2-byte store, the second byte kept only for ", " and ": ".
#if PYJSON_SSE2
    if (opt.ensure_ascii) del_ = _mm_set1_epi8(0x7F);
#else
    if (opt.ensure_ascii) del_ = 0x7F7F7F7F7F7F7F7Full;
#endif
    flat_ = !opt.indent &&
            ((item_sep_ == "," && key_sep_ == ":") || (item_sep_ == ", " && key_sep_ == ": "));
    if ((shared_ = write_buffer::take())) {
      cur_ = base_ = shared_->data_;
      lim_ = base_ + shared_->capacity_;
    }
    room(256);
  }
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer() {
    // An exception is on its way (finish() was not reached): the text so far still goes to
    // the string, unless memory runs out for it, which must not escape a destructor.
#if PYJSON_HAS_EXCEPTIONS
    try {
      flush();
    } catch (...) {
    }
#else
    flush();
#endif
    if (shared_)
      shared_->give_back();
    else
      std::free(base_);
  }

  void write(const value& v) { write_value(v); }

  /// Gives the string its true length, then raises what was deferred. Python's dumps returns
  /// a str that may hold lone surrogates and only its encoding to UTF-8 fails, so every other
  /// error of dumps (NaN, types) comes first.
  void finish() {
    flush();
    if (!deferred_error_.empty()) detail::raise(value_error(deferred_error_));
  }

  // Stores of constant length: through put(), when the compiler leaves it a call, each was a
  // call of memcpy (typed dumps of twitter.json, with its many nulls and booleans, 6% slower).
  [[gnu::always_inline]] void write_null() {
    room(4);
    std::memcpy(cur_, "null", 4);
    cur_ += 4;
  }
  [[gnu::always_inline]] void write_bool(bool b) {
    room(5);
    std::memcpy(cur_, "false", 5);  // "true" stored over its first four bytes
    if (b) std::memcpy(cur_, "true", 4);
    cur_ += b ? 4 : 5;
  }
  template <class Int>
  void write_int(Int n) {
    room(24);
    if constexpr (std::is_signed_v<Int>)
      cur_ = format_int(cur_, static_cast<std::int64_t>(n));
    else
      cur_ = format_uint(cur_, static_cast<std::uint64_t>(n));
  }
  PYJSON_CLANG_INLINE void write_float(double d) {
    if (!std::isfinite(d)) [[unlikely]] {
      if (!opt_.allow_nan)
        detail::raise(value_error(std::string("Out of range float values are not JSON compliant") +
                                  (nan_error_with_value_ ? std::isnan(d) ? ": nan"
                                                           : d > 0       ? ": inf"
                                                                         : ": -inf"
                                                         : "")));
      put(std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
      return;
    }
    room(float_buffer_size);
    cur_ = format_float(cur_, d);
  }

  /// A JSON string literal for the UTF-8 (or WTF-8, for lone surrogates) text s.
  void write_string(std::string_view s) {
    if (s.size() < 16 && write_short_plain(s)) return;
    write_string_escaped<false>(s);
  }
  /// write_string for text known to be valid UTF-8 without surrogates (a string the reader
  /// made): its non-ASCII bytes are copied, or with ensure_ascii decoded, with no check.
  void write_clean_string(std::string_view s) { write_string_escaped<true>(s); }

 private:
  // write_string for text that may need escapes (or is long); Clean: see write_clean_string.
  template <bool Clean>
  [[gnu::noinline]] void write_string_escaped(std::string_view s) {
    const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
    const auto* p = begin;
    const auto* end = p + s.size();
    const bool ascii = opt_.ensure_ascii;
    // Invariant of the loop: there is room for the rest of the input copied as is, plus the
    // closing quote; an escape asks for its extra room when it comes.
    room(s.size() + 2);
    *cur_++ = '"';
    for (;;) {
      // Clean text without ensure_ascii passes over non-ASCII bytes too.
      if (Clean && !ascii)
        p = copy_plain<true>(begin, p, end, false);
      else
        p = copy_plain<false>(begin, p, end, ascii);
      if (p == end) break;
      if (*p < 0x80) {
        room(static_cast<std::size_t>(end - p) + 8);
        write_escape(*p);
        ++p;
        continue;
      }
      if (!Clean && !ascii) {
#if PYJSON_UTF8_AVX2
        // With AVX2, the text up to the next byte to escape is checked and copied 32 bytes
        // at a time (checked as the reader checks it: see skip_utf8_text_avx2); the loop
        // below takes what that leaves, so errors and lone surrogates are reported as ever.
        // The room for the rest of the input as it is covers the blocks copied.
        if (use_avx2_utf8 && end - p >= 32 && three_byte_run(p) != 15) {
          const char* from = reinterpret_cast<const char*>(p);
          const char* to =
              skip_utf8_text_avx2<true>(from, reinterpret_cast<const char*>(end), cur_);
          if (to != from) {
            cur_ += to - from;
            p += to - from;
            continue;
          }
        }
#endif
        // Runs of non-ASCII text are copied as they are, checked sequence by sequence (or
        // five three-byte ones at a time; room for 16 bytes is there, as the rest of the
        // input is at least that long).
        do {
#if PYJSON_SSE2
          if (end - p >= 16) {
            if (std::size_t run = three_byte_run(p)) {
              _mm_storeu_si128(reinterpret_cast<__m128i*>(cur_),
                               _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
              cur_ += run;
              p += run;
              continue;
            }
          }
#else
          // Without SSE2, two three-byte sequences at a time (8 bytes stored, within the room
          // for the rest of the input).
          if (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (two_three_byte_sequences(w)) {
              std::memcpy(cur_, &w, 8);
              cur_ += 6;
              p += 6;
              continue;
            }
          }
#endif
          std::size_t n = sequence_length(p, end, s);
          if (n == 3 && p[0] == 0xED && p[1] >= 0xA0 && deferred_error_.empty()) [[unlikely]]
            defer_surrogate_error(decode_utf8(p, n), p, end);  // WTF-8 for a lone surrogate
          for (std::size_t i = 0; i < n; ++i) cur_[i] = static_cast<char>(p[i]);
          cur_ += n;
          p += n;
        } while (p < end && *p >= 0x80);
        continue;
      }
      // ensure_ascii: each character of a non-ASCII run becomes \uXXXX (two for those beyond
      // the BMP); a sequence of n >= 2 bytes grows by at most 12 - n, which room() covers.
      // Clean text is valid UTF-8: its lead byte alone gives the length. Runs of three-byte
      // sequences (Chinese, Japanese) are found five at a time, as above; each grows by 3
      // bytes. Other text is checked for such a run first; clean text once its lead byte
      // gives 3, so that text of mixed scripts does not pay for a look that mostly fails.
      auto three_byte_batch = [&] {
#if PYJSON_SSE2
        if (end - p >= 16) {
          if (std::size_t run = three_byte_run(p)) {
#if PYJSON_UTF8_AVX2
            // With AVX2, a run of four or five at once (see escape_three_byte_run_avx2),
            // which stores 48 bytes: room for them, and then for the rest of the input as it
            // is. Shorter runs (text that mixes scripts) were written faster one by one.
            if (use_avx2_utf8 && run >= 12) {
              room(static_cast<std::size_t>(end - p) + 50);
              escape_three_byte_run_avx2(p, cur_);
              cur_ += 2 * run;
              p += run;
              return true;
            }
#endif
            room(static_cast<std::size_t>(end - p) + run + 2);
            for (const unsigned char* stop = p + run; p != stop; p += 3)
              write_u_escape(decode_utf8(p, 3));
            return true;
          }
        }
#endif
        return false;
      };
      // With AVX2, runs of four to eight two-byte sequences (Cyrillic, Greek, Hebrew, Arabic)
      // at once, alike (see escape_two_byte_run_avx2); each grows by 4 bytes. Shorter runs
      // were written faster one by one.
      auto two_byte_batch = [&] {
#if PYJSON_UTF8_AVX2
        if (use_avx2_utf8 && end - p >= 16) {
          if (std::size_t run = two_byte_run(p); run >= 8) {
            room(static_cast<std::size_t>(end - p) + 50);
            escape_two_byte_run_avx2(p, cur_);
            cur_ += 3 * run;
            p += run;
            return true;
          }
        }
#endif
        return false;
      };
      do {
        if (!Clean && three_byte_batch()) continue;
        std::size_t n = Clean ? (*p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4) : sequence_length(p, end, s);
        if (Clean && n == 3 && three_byte_batch()) continue;
        if (n == 2 && two_byte_batch()) continue;
        std::uint32_t cp = decode_utf8(p, n);
        room(static_cast<std::size_t>(end - p) + 14);
        if (cp >= 0x10000) {
          cp -= 0x10000;
          write_u_escape(0xD800 | (cp >> 10));
          write_u_escape(0xDC00 | (cp & 0x3FF));
        } else {
          write_u_escape(cp);
        }
        p += n;
      } while (p < end && *p >= 0x80);
    }
    *cur_++ = '"';
  }

 public:
  // Containers, as Python's _iterencode_list/_iterencode_dict lay them out. The newline after
  // the opening bracket waits for the first item, so an empty container comes out as [] or {}.
  // item() goes before every element, key() before every member.
  [[gnu::always_inline]] void begin_container(char open) {
    if (++depth_ > max_write_depth) [[unlikely]]
      // Python's C encoder says "object" for lists too.
      detail::raise(value_error("maximum recursion depth exceeded while encoding a JSON object"));
    put(open);
    first_ = true;
  }
  // Flat: known to be flat_ (write_tree's copy for those layouts), which spares the test.
  // Checked: false when the caller has made room for the separator's two bytes.
  template <bool Flat = false, bool Checked = true>
  [[gnu::always_inline]] void item() {
    if (Flat || flat_) [[likely]] {  // no indent, and "," or ", "
      if constexpr (Checked) room(2);
      if (!first_) {
        std::memcpy(cur_, ", ", 2);
        cur_ += item_sep_.size();
      }
      first_ = false;
      return;
    }
    item_general();
  }
  [[gnu::always_inline]] void key(std::string_view k) {
    item();
    write_string(k);
    key_separator();
  }
  // key() for a name that needs no escape whatever the options (printable ASCII but '"' and
  // '\\': see detail::plain_key), such as most field names: copied between its quotes with no
  // look at its bytes. Typed dumps of citm_catalog.json spent a fifth of their instructions
  // checking field names.
  void plain_key(std::string_view k) {
    item();
    const std::size_t n = k.size();
    room(n + 2);
    char* c = cur_;  // see write_inline_string
    c[0] = '"';
    if (n < 16)
      copy_short(c + 1, reinterpret_cast<const unsigned char*>(k.data()), n);
    else
      std::memcpy(c + 1, k.data(), n);
    c[n + 1] = '"';
    cur_ = c + n + 2;
    key_separator();
  }
  // plain_key() for a name given between its quotes in quoted_width bytes, padded (see
  // detail::quoted_names), n of them its own: they are copied in one piece of fixed size,
  // the padding overwritten by what comes next. The copy by length took a branch on the
  // length, different from one field to the next.
  void quoted_key(const char* quoted, std::size_t n) {
    item();
    room(quoted_width);
    std::memcpy(cur_, quoted, quoted_width);
    cur_ += n;
    key_separator();
  }
  [[gnu::always_inline]] void end_container(char close) {
    --depth_;
    if (!flat_ && !first_ && opt_.indent) newline();
    put(close);
    first_ = false;  // a container is an item of its parent, which has items now
  }
  const dump_options& options() const noexcept { return opt_; }

 private:
  template <bool Flat = false, bool Checked = true>  // as item()'s
  [[gnu::always_inline]] void key_separator() {
    if (Flat || flat_) [[likely]] {  // ":" or ": "
      if constexpr (Checked) room(2);
      std::memcpy(cur_, ": ", 2);
      cur_ += key_sep_.size();
      return;
    }
    put_separator(key_sep_);
  }
  [[gnu::noinline]] void item_general() {
    if (first_) {
      first_ = false;
    } else {
      put_separator(item_sep_);
    }
    if (opt_.indent) newline();
  }

  // Room for n more bytes at cur_.
  void room(std::size_t n) {
    if (static_cast<std::size_t>(lim_ - cur_) < n) [[unlikely]]
      grow(n);
  }
  void grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(cur_ - base_);
    std::size_t capacity =
        std::max(2 * static_cast<std::size_t>(lim_ - base_), used + n + (std::size_t(1) << 12));
    auto* bigger = static_cast<char*>(std::realloc(base_, capacity));
    if (!bigger) throw_bad_alloc();
    base_ = bigger;
    cur_ = base_ + used;
    lim_ = base_ + capacity;
    if (shared_) {
      shared_->data_ = base_;
      shared_->capacity_ = capacity;
    }
  }
  // Appends the text written so far to the string.
  void flush() {
    out_.append(base_, static_cast<std::size_t>(cur_ - base_));
    cur_ = base_;
  }
  void put(char c) {
    room(1);
    *cur_++ = c;
  }
  void put(std::string_view t) {
    room(t.size());
    std::memcpy(cur_, t.data(), t.size());
    cur_ += t.size();
  }

  // Copies bytes that need no escape (not '"', '\\', a control character, nor non-ASCII; nor
  // DEL with ensure_ascii, which Python escapes) and returns the first that does, or end. The
  // caller has made room for all of [p, end). With SSE2, sixteen bytes are stored before they
  // are looked at: those past the stop are overwritten by what comes next.
  template <bool Clean = false>
  PYJSON_CLANG_INLINE const unsigned char* copy_plain([[maybe_unused]] const unsigned char* begin,
                                                      const unsigned char* p,
                                                      const unsigned char* end, bool ascii) {
#if PYJSON_SSE2
    // The output position in a local: kept in cur_, it was loaded and stored again for each
    // sixteen bytes, since the store of the bytes may alias the member, which put a store and
    // a load from memory between one step and the next.
    char* out = cur_;
    while (end - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
      if (unsigned mask = special_bytes<Clean>(v, ascii)) {
        unsigned k = static_cast<unsigned>(__builtin_ctz(mask));
        cur_ = out + k;
        return p + k;
      }
      p += 16;
      out += 16;
    }
    cur_ = out;
    if (p < end && end - begin >= 16) {
      // The tail of a string of 16 bytes or more: look at the last sixteen (some of them seen
      // already, so their bits are shifted out), then copy the run.
      std::size_t seen = static_cast<std::size_t>(16 - (end - p));
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16));
      unsigned mask = special_bytes<Clean>(v, ascii) >> seen | 1u << (16 - seen);
      std::size_t k = static_cast<std::size_t>(__builtin_ctz(mask));
      copy_short(cur_, p, k);
      cur_ += k;
      return p + k;
    }
#else
    // Without SSE2 (64-bit ARM), eight bytes at a time in a 64-bit word (SWAR), stored before
    // they are looked at as above. The word that holds a byte to stop at is left to the loop
    // below, which finds that byte.
    char* out = cur_;
    const std::uint64_t del = ascii ? 0x7F7F7F7F7F7F7F7Full : 0x2222222222222222ull;
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      std::memcpy(out, &w, 8);
      if (special_word<Clean>(w, del) != 0) break;
      p += 8;
      out += 8;
    }
    cur_ = out;
#endif
    // The tail (and short strings, such as most keys): find the run (shorter than 16 bytes,
    // or than 8 without SSE2), then copy it at once.
    const unsigned char* run = p;
    while (p < end && (string_byte_classes[*p] == 0 || (Clean && *p >= 0x80)) &&
           !(ascii && *p == 0x7f))
      ++p;
    const auto n = static_cast<std::size_t>(p - run);
    copy_short(cur_, run, n);
    cur_ += n;
    return p;
  }

#if PYJSON_SSE2
  // One bit per byte of v that copy_plain must not copy as is (non-ASCII bytes unless Clean).
  template <bool Clean = false>
  static unsigned special_bytes(__m128i v, bool ascii) noexcept {
    return special_bytes<Clean>(v, ascii ? _mm_set1_epi8(0x7F) : _mm_set1_epi8('"'));
  }
  // The same with DEL's stand-in given: 0x7F with ensure_ascii, else '"' (no byte more).
  template <bool Clean = false>
  static unsigned special_bytes(__m128i v, __m128i del) noexcept {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space_minus_one = _mm_set1_epi8(0x1F);
    __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, del));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(_mm_min_epu8(v, space_minus_one), v));
    if constexpr (Clean) return static_cast<unsigned>(_mm_movemask_epi8(special));
    return static_cast<unsigned>(_mm_movemask_epi8(special) | _mm_movemask_epi8(v));
  }
#else
  // Without SSE2: the top bit of each byte of w (eight bytes loaded from memory) that
  // copy_plain must not copy as is, and maybe of bytes after the first such byte (see
  // has_zero_byte): a word with none is exact. del: DEL's stand-in, as above, in every byte.
  template <bool Clean = false>
  static std::uint64_t special_word(std::uint64_t w, std::uint64_t del) noexcept {
    std::uint64_t stop = has_zero_byte(w ^ 0x2222222222222222ull) |
                         has_zero_byte(w ^ 0x5C5C5C5C5C5C5C5Cull) | has_zero_byte(w ^ del) |
                         ((w - 0x2020202020202020ull) & ~w);  // a control character
    if constexpr (!Clean) stop |= w;                          // a byte beyond ASCII
    return stop & 0x8080808080808080ull;
  }
  // The bits of the first n <= 8 bytes in memory of a word loaded from memory (its lowest).
  static constexpr std::uint64_t first_bytes(std::size_t n) noexcept {
    return n >= 8 ? ~std::uint64_t(0) : (std::uint64_t(1) << (8 * n)) - 1;
  }
#endif

  // A string of fewer than 16 bytes (most keys) that needs no escape, written at once: its
  // bytes are gathered into one vector (two words without SSE2) by overlapping loads that stay
  // inside the string (a byte seen twice changes nothing), checked, and copied. False, having
  // written nothing, when some byte needs care.
  PYJSON_CLANG_INLINE bool write_short_plain(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::uint64_t a, b;
    if (n >= 8) {
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x | std::uint64_t(x) << 32;
      b = y | std::uint64_t(y) << 32;
    } else if (n > 0) {
      a = p[0] | std::uint64_t(p[n / 2]) << 8 | std::uint64_t(p[n - 1]) << 16;
      a |= a << 24;
      a |= a << 48;
      b = a;
    } else {
      put("\"\"");
      return true;
    }
#if PYJSON_SSE2
    __m128i v = _mm_set_epi64x(static_cast<long long>(b), static_cast<long long>(a));
    if (special_bytes(v, del_) != 0) return false;
#else
    if ((special_word(a, del_) | special_word(b, del_)) != 0) return false;
#endif
    room(n + 2);
    char* c = cur_;  // see write_inline_string
    c[0] = '"';
    copy_short(c + 1, p, n);
    c[n + 1] = '"';
    cur_ = c + n + 2;
    return true;
  }

  // A string held inside a value (at most 14 bytes, see value::set_string): its 16 bytes are
  // all readable, so when none of the string's bytes needs care it is looked at and copied
  // with one load and one store.
  //
  // Checked false: the caller has made room for 22 bytes (see write_tree), and has room for 2
  // more afterwards.
  template <bool Checked = true>
  void write_inline_string(const value& v) {
    const unsigned char* raw = value_access::raw(v);
    const std::size_t n = raw[14];
#if PYJSON_SSE2
    if constexpr (Checked) room(18);
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(raw));
    if ((special_bytes(bytes, del_) & ((1u << n) - 1)) == 0) {
      // Through a local: a byte stored through cur_ may alias cur_ itself, which the
      // compiler then loads again before each store.
      char* c = cur_;
      c[0] = '"';
      _mm_storeu_si128(reinterpret_cast<__m128i*>(c + 1), bytes);
      c[n + 1] = '"';
      cur_ = c + n + 2;
      return;
    }
#else
    // Without SSE2, the same with two 64-bit words; bytes past the string are masked out.
    if constexpr (Checked) room(18);
    std::uint64_t lo, hi;
    std::memcpy(&lo, raw, 8);
    std::memcpy(&hi, raw + 8, 8);
    if (((special_word(lo, del_) & first_bytes(n)) |
         (special_word(hi, del_) & first_bytes(n > 8 ? n - 8 : 0))) == 0) {
      char* c = cur_;
      c[0] = '"';
      std::memcpy(c + 1, &lo, 8);
      std::memcpy(c + 9, &hi, 8);
      c[n + 1] = '"';
      cur_ = c + n + 2;
      return;
    }
#endif
    write_string({reinterpret_cast<const char*>(raw), n});
    if constexpr (!Checked) room(2);
  }

  // The length of the UTF-8 sequence at p (a lead byte), or a value_error naming the bad
  // bytes as Python's encoder would.
  static std::size_t sequence_length(const unsigned char* p, const unsigned char* end,
                                     std::string_view s) {
    if (std::size_t n = common_utf8_length(p, static_cast<std::size_t>(end - p))) return n;
    utf8_error err;
    std::size_t n = utf8_sequence(p, end, true, err);
    if (n == 0) [[unlikely]] {
      err.start = static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(s.data()));
      detail::raise(value_error("string is not valid UTF-8: " + utf8_error_message(s.data(), err)));
    }
    return n;
  }

  // Copies n < 16 bytes with at most two overlapping loads and stores, where memcpy with a
  // variable length would be a library call. A longer n would leave bytes in the middle
  // uncopied.
  static void copy_short(char* dst, const unsigned char* src, std::size_t n) noexcept {
    if (n >= 8) {
      std::uint64_t a, b;
      std::memcpy(&a, src, 8);
      std::memcpy(&b, src + n - 8, 8);
      std::memcpy(dst, &a, 8);
      std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, src, 4);
      std::memcpy(&b, src + n - 4, 4);
      std::memcpy(dst, &a, 4);
      std::memcpy(dst + n - 4, &b, 4);
    } else {
      for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<char>(src[i]);
    }
  }
  // A separator: usually one or two bytes, so short ones go through copy_short.
  void put_separator(const std::string& sep) {
    room(sep.size());
    if (sep.size() < 16) {
      copy_short(cur_, reinterpret_cast<const unsigned char*>(sep.data()), sep.size());
      cur_ += sep.size();
    } else {
      put(sep);
    }
  }

  // A newline and the indentation of depth_, copied in one piece from line_: "\n" and the
  // indent unit repeated, made longer when a deeper level first needs it. Copying the unit
  // once per level instead left indented dumps of citm_catalog.json and marine_ik.json (text
  // that is mostly indentation) at 0.6x RapidJSON's speed; one copy made them 1.6x faster.
  void newline() {
    const std::size_t n = 1 + depth_ * opt_.indent.text().size();
    if (n > line_.size()) [[unlikely]]
      extend_line(n);
    room(n);
    std::memcpy(cur_, line_.data(), n);
    cur_ += n;
  }
  [[gnu::noinline]] void extend_line(std::size_t n) {
    if (line_.empty()) line_ = "\n";
    const std::string& unit = opt_.indent.text();  // not empty: n > 1 needs a unit
    while (line_.size() < n) line_ += unit;
  }

  // The escape of an ASCII byte that needs one (c < 0x80; the caller has made room for 8
  // bytes, see write_u_escape). Its letter comes from a table, so that text with escapes of
  // many kinds (\n, \", \\, \t in turn) takes one well-predicted branch (is it \u00XX?), not
  // a jump through a switch's table to a different place each time: compact dumps of
  // syn_strings (an escape every 160 bytes) ran 14% faster.
  void write_escape(unsigned char c) {
    static constexpr auto letters = [] {
      std::array<char, 128> t{};  // 0: written as \u00XX
      for (short_escape e : short_escapes)
        if (e.byte != '/') t[static_cast<unsigned char>(e.byte)] = e.letter;
      return t;
    }();
    const char e = letters[c & 0x7F];
    if (e == 0) [[unlikely]] {
      write_u_escape(c);
      return;
    }
    const char two[2] = {'\\', e};
    std::memcpy(cur_, two, 2);
    cur_ += 2;
  }
  // \uXXXX for a code unit u <= 0xFFFF, as one 8-byte store (the two bytes past it are
  // scratch: every caller has made room for at least 8).
  void write_u_escape(std::uint32_t u) {
    static constexpr auto hex_pairs = [] {
      std::array<char, 512> t{};
      constexpr char hex[] = "0123456789abcdef";
      for (int i = 0; i < 256; ++i) {
        t[2 * i] = hex[i >> 4];
        t[2 * i + 1] = hex[i & 15];
      }
      return t;
    }();
    char e[8] = {'\\', 'u'};
    std::memcpy(e + 2, hex_pairs.data() + 2 * (u >> 8), 2);
    std::memcpy(e + 4, hex_pairs.data() + 2 * (u & 0xFF), 2);
    std::memcpy(cur_, e, 8);
    cur_ += 6;
  }
  // Python's dumps(..., ensure_ascii=False) returns a str with the lone surrogate in it; UTF-8
  // cannot hold it, so we raise what Python's encoder raises when that str is encoded: the
  // first run of consecutive surrogates, by code point position in the whole output.
  void defer_surrogate_error(std::uint32_t cp, const unsigned char* p, const unsigned char* end) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t pos =
        count_code_points(out_.data(), out_.data() + out_.size()) + count_code_points(base_, cur_);
    std::size_t run = 0;
    for (; end - p >= 3 && p[0] == 0xED && p[1] >= 0xA0; p += 3) ++run;
    if (run == 1) {
      std::string esc = "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) esc += hex[(cp >> shift) & 15];
      deferred_error_ = "'utf-8' codec can't encode character '" + esc + "' in position " +
                        std::to_string(pos) + ": surrogates not allowed";
    } else {
      deferred_error_ = "'utf-8' codec can't encode characters in position " + std::to_string(pos) +
                        "-" + std::to_string(pos + run - 1) + ": surrogates not allowed";
    }
  }

  // Scalars and strings. Callers test for a container first: write_tree opens those.
  //
  // Forced inline into write_tree's two inner loops, whose registers are saved once per
  // document: as a call, it saved and restored six of them for every scalar. Floats and long
  // strings stay calls of their own, so that the loops stay small. Compact dumps: 10.6%, 3.1%
  // and 5.3% fewer instructions for citm_catalog.json, twitter.json and canada.json.
  [[gnu::always_inline]] void write_scalar(const value& v) {
    using va = value_access;
    switch (va::tag_of(v)) {
      case tag::null: return write_null();
      case tag::boolean: return write_bool(va::boolean(v));
      case tag::int64: return write_int(va::i64(v));
      case tag::uint64: return write_int(va::u64(v));
      case tag::big_int: return put(va::str(v));
      case tag::float64: return write_float_value(va::f64(v));
      case tag::short_string: return write_inline_string(v);
      case tag::long_string: return write_long_string_value(v);
      case tag::array:
      case tag::object: return;
    }
  }
  [[gnu::noinline]] void write_float_value(double d) { write_float(d); }
  [[gnu::noinline]] void write_long_string_value(const value& v) { write_long_string(v); }

  // A container being written: its elements (or members, in writing order) and the next one.
  struct frame {
    const value* elements = nullptr;  // an array's
    const member* members = nullptr;  // an object's, in insertion order
    std::size_t sorted = 0;           // with sort_keys: where its member order starts in sorted_
    std::size_t count = 0, next = 0;
    bool object = false, by_key = false;
  };

  // Opens the container v: its bracket, and a frame for its elements (none when empty).
  void open(const value& v) {
    if (value_access::tag_of(v) == tag::array) {
      auto elements = v.as_array();
      begin_container('[');
      if (elements.empty()) return end_container(']');
      push_frame(elements.data(), nullptr, elements.size());
      return;
    }
    auto members = v.items();
    begin_container('{');
    if (members.empty()) return end_container('}');
    frame& f = push_frame(nullptr, members.data(), members.size());
    if (opt_.sort_keys && members.size() > 1) sort_members(f, members);
  }
  // A new frame, written field by field in place: a frame built on the stack and copied in
  // is stored in small pieces and loaded back in 16-byte ones, which stalls store forwarding.
  PYJSON_CLANG_INLINE frame& push_frame(const value* elements, const member* members,
                                        std::size_t count) {
    frame& f = frames_.emplace_back();
    f.elements = elements;
    f.members = members;
    f.count = count;
    f.object = members != nullptr;
    return f;
  }
  // Python sorts str keys by code point; UTF-8 byte order is the same order.
  void sort_members(frame& f, std::span<const member> members) {
    f.by_key = true;
    f.sorted = sorted_.size();
    for (const member& m : members) sorted_.push_back(&m);
    std::sort(sorted_.begin() + static_cast<std::ptrdiff_t>(f.sorted), sorted_.end(),
              [](const member* a, const member* b) { return a->key() < b->key(); });
  }

  static bool is_container(const value& v) noexcept {
    return value_access::tag_of(v) >= tag::array;  // array and object are the last tags
  }

  // A key stored in a member: inline strings take the one-store path.
  PYJSON_CLANG_INLINE void write_key_string(const member& m) {
    const value& k = value_access::key_of(m);
    if (value_access::tag_of(k) == tag::short_string)
      write_inline_string(k);
    else
      write_long_string(k);
  }
  // A long string value, unchecked when the reader made it (see write_clean_string).
  void write_long_string(const value& v) {
    if (value_access::clean_long_string(v))
      write_clean_string(value_access::str(v));
    else
      write_string(value_access::str(v));
  }

  // v, through the loop made for its layout (see write_tree).
  void write_value(const value& root) {
    if (flat_)
      write_tree<true>(root);
    else
      write_tree<false>(root);
  }
  // Without recursion: open containers wait on frames_, so nesting costs heap, not stack (the
  // depth limit is Python's behaviour, not a necessity).
  // Out of line, as the reader's loop is (value_builder::run): inlined into a small caller,
  // citm_catalog.json was written 14% slower.
  // Flat is flat_, known at compile time, so that a separator costs no test of it (flat_ is
  // loaded again after each byte stored, since such a store may alias it).
  template <bool Flat>
  [[gnu::noinline]] void write_tree(const value& root) {
    if (!is_container(root)) return write_scalar_alone(root);
    const std::size_t base = frames_.size();  // frames of an enclosing call (typed writing)
    open(root);
    while (frames_.size() > base) {
      frame& f = frames_.back();
      if (f.next == f.count) {
        if (f.by_key) sorted_.resize(f.sorted);
        bool object = f.object;
        frames_.pop_back();
        end_container(object ? '}' : ']');
        continue;
      }
      if (f.object) {
        // Runs of members with scalar values stay in this inner loop, their position in a
        // register: round the outer loop for each, a member took about 12 more instructions
        // (twitter.json and citm_catalog.json written compact: 4% of the whole).
        std::size_t next = f.next;
        const value* container = nullptr;
        while (next != f.count) {
          const member& m = f.by_key ? *sorted_[f.sorted + next] : f.members[next];
          ++next;
          const value& key = value_access::key_of(m);
          if (Flat && value_access::tag_of(key) == tag::short_string) {
            // The separator, the key (one 16-byte store between quotes) and ':' after one
            // test of the room for them all, instead of three: 2.5% fewer instructions to
            // write citm_catalog.json compact.
            room(22);
            item<Flat, false>();
            write_inline_string<false>(key);
            key_separator<Flat, false>();
          } else {
            item<Flat>();
            write_key_string(m);
            key_separator<Flat>();
          }
          const value& v = m.value();
          if (is_container(v)) {
            container = &v;
            break;
          }
          write_scalar(v);
        }
        f.next = next;
        if (container) open(*container);  // may push: f is not used after this
        continue;
      }
      // Runs of scalars (rows of numbers, lists of strings) stay in this inner loop.
      const value* v = f.elements + f.next;
      const value* stop = f.elements + f.count;
      for (; v != stop && !is_container(*v); ++v) {
        item<Flat>();
        write_scalar(*v);
      }
      f.next = static_cast<std::size_t>(v - f.elements);
      if (v == stop) continue;
      item<Flat>();
      ++f.next;
      open(*v);  // may push: f is not used after this
    }
  }
  // A document that is one scalar: write_scalar's code, inlined into write_tree's two inner
  // loops, is not made a third copy there for it.
  [[gnu::noinline]] void write_scalar_alone(const value& v) { write_scalar(v); }

  std::string& out_;
  write_buffer* shared_ = nullptr;  // this thread's buffer, or null for one of our own
  char* base_ = nullptr;            // the buffer (malloc'd)
  char* cur_ = nullptr;             // where the next byte goes
  char* lim_ = nullptr;             // the end of the buffer
  const dump_options& opt_;
  std::string item_sep_, key_sep_;
  std::string line_;  // see newline()
  std::size_t depth_ = 0;
  bool flat_ = false;  // no indent, separators "," ":" or ", " ": "
  bool first_ = false;
  bool nan_error_with_value_;
#if PYJSON_SSE2
  // special_bytes' DEL for this call's ensure_ascii, made once: selected from the options for
  // each short string, it took four instructions and a branch.
  __m128i del_ = _mm_set1_epi8('"');
#else
  std::uint64_t del_ = 0x2222222222222222ull;  // the same, eight times over (see special_word)
#endif
  std::string deferred_error_;
  std::vector<frame> frames_;
  std::vector<const member*> sorted_;
};

}  // namespace pyjson::detail
