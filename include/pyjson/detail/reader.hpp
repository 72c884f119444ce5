// Reader: one pass over a contiguous buffer, Python's grammar and Python's error messages.
// The value builder here turns text into pyjson::value without recursion: containers are
// collected on an explicit stack, so nesting costs heap memory bounded by max_depth, never
// the call stack.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

inline bool is_ws(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The value of each hex digit, and -1 for every other byte: a \uXXXX escape is four lookups
// and one test, not a chain of range tests per digit.
inline constexpr std::array<std::int8_t, 256> hex_values = [] {
  std::array<std::int8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c >= '0' && c <= '9'   ? c - '0'
                                                              : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                                     : -1);
  return t;
}();

// Bytes a string scan can pass over: not '"', not '\\', not a control character, ASCII.
inline constexpr std::array<bool, 256> plain_string_bytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = true;
  t['"'] = false;
  t['\\'] = false;
  return t;
}();

#if !PYJSON_HAS_EXCEPTIONS
/// How try_loads() reports a parse error in a build without exceptions: the reader stores the
/// error here and longjmps back to parse_trapped (api.hpp), which try_loads calls. This is
/// well-defined because every function between the two (the value builder's loop and the
/// tokenizer) keeps only trivially destructible locals; what owns memory (the builder's stack,
/// the value) lives in try_loads' frame and is freed there as usual.
struct parse_trap {
  std::jmp_buf buf;
  std::optional<decode_error> error;
  parse_trap* previous = nullptr;

  static parse_trap*& active() noexcept {
    static thread_local parse_trap* current = nullptr;
    return current;
  }
  [[noreturn]] void jump() noexcept {
    active() = previous;
    std::longjmp(buf, 1);
  }
};
#endif

/// The tokenizer shared by every sink: whitespace, strings, numbers, literals, and errors that
/// carry Python's message and position.
class reader {
 public:
  /// `allow_surrogates` accepts surrogates encoded in UTF-8 (as Python's json.loads(bytes)
  /// does with its surrogatepass decoding); `byte_base` is added to byte positions in errors
  /// (the length of a byte order mark skipped before `text`).
  reader(std::string_view text, const load_options& opt, bool allow_surrogates = true,
         std::size_t byte_base = 0)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        opt_(opt),
        allow_surrogates_(allow_surrogates),
        byte_base_(byte_base) {}

  const char* position() const noexcept { return p_; }
  const char* begin() const noexcept { return begin_; }
  const char* end() const noexcept { return end_; }
  bool at_end() const noexcept { return p_ == end_; }
  const load_options& options() const noexcept { return opt_; }

  // Forced inline: a translation unit with much other code (a benchmark of many libraries, a
  // large program) makes the compiler stop inlining small functions, and a call before every
  // token made typed twitter.json reading a quarter slower.
  //
  // `level` is the nesting depth of the token that follows (see take_kept_run): 0 at the top,
  // n inside n containers, n - 1 before the bracket that closes the n-th.
  [[gnu::always_inline]] void skip_ws(std::size_t level = 0) noexcept {
    // The test for "no whitespace here" (the most common case by far) and the kept indentation
    // (nearly every run of indented text) are inline; only a scan is a call. With the kept
    // run behind a call too, citm_catalog.json (71% whitespace) read 4% slower, typed and not.
    if (p_ == end_ || !is_ws(*p_)) return;
    if (take_kept_run(level)) return;
    skip_ws_run(level);
  }

  /// Skips whitespace, if any, and tells whether the byte there is `c`: typed reading's test
  /// for the ',' after a value and the ':' after a key, which most often come right after
  /// them. `c` is tested first, without the test for whitespace (see value_builder::run).
  [[gnu::always_inline]] bool next_is(char c, std::size_t level = 0) noexcept {
    if (p_ != end_ && *p_ == c) return true;
    skip_ws(level);
    return p_ != end_ && *p_ == c;
  }

  /// Moves past the separator at p_ (',' or ':') and the whitespace after it. The one space of
  /// ", " and ": " (Python's default layout, and after a colon in most indented text) is
  /// passed here, without the call into skip_ws's loop: +2-5% on twitter and citm_catalog.
  /// The byte after that space must be above ' ' (a signed compare: 0x21 to 0x7F, which hold
  /// every byte that can start a token); any other takes the general path.
  [[gnu::always_inline]] void skip_separator(std::size_t level = 0) noexcept {
    if (end_ - p_ > 2 && p_[1] == ' ' && static_cast<signed char>(p_[2]) > ' ') {
      p_ += 2;
      return;
    }
    ++p_;
    skip_ws(level);
  }

  /// Raises decode_error with Python's message at `at`. When the input is not valid UTF-8
  /// anywhere, Python would have failed to decode it before parsing: that error wins.
  [[noreturn]] void fail(const char* msg, const char* at) const {
#if !PYJSON_HAS_EXCEPTIONS
    if (parse_trap* trap = parse_trap::active()) {
      trap->error.emplace(make_error(msg, at));
      trap->jump();
    }
#endif
    raise(make_error(msg, at));
  }

  /// fail() for nesting deeper than max_depth. It builds the message itself so that no
  /// temporary outlives the call (see parse_trap).
  [[noreturn]] void fail_depth(const char* at) const {
#if !PYJSON_HAS_EXCEPTIONS
    if (parse_trap* trap = parse_trap::active()) {
      trap->error.emplace(make_error(depth_message(opt_.max_depth).c_str(), at));
      trap->jump();
    }
#endif
    raise(make_error(depth_message(opt_.max_depth).c_str(), at));
  }

  static std::string depth_message(std::size_t max_depth) {
    return "Nesting deeper than max_depth (" + std::to_string(max_depth) + ")";
  }

  /// Reads the string whose opening quote is at p_. The result points into the input when the
  /// string has no escapes, else into `scratch`.
  ///
  /// Decoding writes into scratch through a pointer: scratch only grows (its size is room,
  /// not the decoded length, which is `decoded`), so a run and an escape cost two plain
  /// copies rather than appends that check the capacity byte by byte.
  //
  // Aligned to 64 bytes, so that where its loops fall in the CPU's fetch blocks depends on
  // its own code alone. Placed on a 16-byte boundary by an unrelated change elsewhere, it
  // loaded gsoc-2018.json (long strings) 7-11% slower, and typed reads of it too.
  //
  // Decode = false checks the string as Decode = true does, with the same errors, and keeps
  // nothing: escapes are decoded over one another in a small buffer and runs are not copied.
  // The value it returns is then empty for a string with escapes. Values that are skipped
  // (typed reads of keys no field has, and the check of the whole text) need no more: read
  // into a struct without fields, twitterescaped.json (every character beyond ASCII escaped)
  // takes 21% fewer instructions this way, gsoc-2018.json 10%, twitter.json (whose URLs
  // escape each '/') 2%.
  template <bool Decode = true>
  [[gnu::aligned(64)]] std::string_view read_string(std::string& scratch) {
    clean_ = true;
    const char* quote = p_;
    const char* p = p_ + 1;
    const char* run = p;
    bool escaped = false;
    std::size_t decoded = 0;
    [[maybe_unused]] char sink[8];  // Decode = false: where each escape is decoded
    // Copies the run before `at` into scratch, with room for 4 bytes more (an escape), and
    // returns its end. A run of up to 16 bytes (between two escapes there are often none or a
    // few) is copied as one 16-byte block, without a call to memcpy: scratch keeps 16 bytes of
    // room for it.
    auto flush_run = [&](const char* at) -> char* {
      if constexpr (!Decode) {
        (void)at;
        return sink;
      }
      auto n = static_cast<std::size_t>(at - run);
      if (scratch.size() - decoded < n + 20) [[unlikely]]
        grow_scratch(scratch, decoded + n + 20);
      char* to = scratch.data() + decoded;
#if PYJSON_SSE2
      if (n <= 16 && end_ - run >= 16) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(to),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(run)));
        return to + n;
      }
#endif
      std::memcpy(to, run, n);
      return to + n;
    };
    for (;;) {
      p = skip_plain(p);
      if (p == end_) fail("Unterminated string starting at", quote);
      unsigned char c = static_cast<unsigned char>(*p);
      if (c == '"') {
        p_ = p + 1;
        if (!escaped) return {run, static_cast<std::size_t>(p - run)};
        if constexpr (!Decode) return {};
        decoded = static_cast<std::size_t>(flush_run(p) - scratch.data());
        return {scratch.data(), decoded};
      }
      if (c == '\\') {
        escaped = true;
        char* out = flush_run(p);
        // Escapes often follow one another: text written with ensure_ascii (Python's default)
        // has each character beyond ASCII as a \uXXXX escape. They are decoded here one after
        // another, with no look for plain bytes between them.
        for (;;) {
          p = read_escape(p, quote, out);
          if (p == end_ || *p != '\\') break;
          if constexpr (!Decode) {
            out = sink;
            continue;
          }
          decoded = static_cast<std::size_t>(out - scratch.data());
          if (scratch.size() - decoded < 4) [[unlikely]] {
            grow_scratch(scratch, decoded + 20);
            out = scratch.data() + decoded;
          }
        }
        if constexpr (Decode) decoded = static_cast<std::size_t>(out - scratch.data());
        run = p;
        continue;
      }
      if (c < 0x20) {
        if (opt_.strict) fail("Invalid control character at", p);
        ++p;
        continue;
      }
      // c >= 0x80: with AVX2, the rest of the string, or as much of it as is settled 32
      // bytes at a time (see skip_utf8_text_avx2).
#if PYJSON_UTF8_AVX2
      if (use_avx2_utf8 && end_ - p >= 32) {
        const char* q = skip_utf8_text_avx2(p, end_);
        if (q != p) {
          p = q;
          continue;
        }
      }
#endif
      // Else UTF-8 sequences, as many as follow one another (text in most scripts other than
      // Latin is a run of them).
      do {
        auto u = reinterpret_cast<const unsigned char*>(p);
#if PYJSON_SSE2
        if (end_ - p >= 16) {
          std::size_t n = three_byte_run(u);
          // A whole run moves p by a constant, so the next load need not wait for the run's
          // length to be worked out. clang++ computed it without a branch, which put each
          // sixteen bytes behind the previous ones (twitter.json loaded 9% faster with this).
          if (n == 15) {
            p += 15;
            continue;
          }
          if (n) {
            p += n;
            continue;
          }
        }
#else
        // Without SSE2, two three-byte sequences at a time where they follow one another.
        if (end_ - p >= 8) {
          std::uint64_t w;
          std::memcpy(&w, p, 8);
          if (two_three_byte_sequences(w)) {
            p += 6;
            continue;
          }
        }
#endif
        if (std::size_t n = common_utf8_length(u, static_cast<std::size_t>(end_ - p))) {
          p += n;
          continue;
        }
        utf8_error err;
        std::size_t n =
            utf8_sequence(u, reinterpret_cast<const unsigned char*>(end_), allow_surrogates_, err);
        if (n == 0) fail("invalid UTF-8", p);  // fail() reports Python's UnicodeDecodeError
        // A surrogate (U+D800..U+DFFF, kept as WTF-8) clears the flag; Hangul from U+D000 on
        // also starts with ED but is no surrogate, and stays clean.
        if (u[0] == 0xED && u[1] >= 0xA0) clean_ = false;
        p += n;
      } while (p < end_ && static_cast<unsigned char>(*p) >= 0x80);
    }
  }

  /// read_string for callers that have not looked at the string yet (typed reads, and values
  /// they skip). A string of at most 31 bytes that is all ASCII without escapes, the usual
  /// key or field, is found from one or two 16-byte loads here; any other goes to
  /// read_string, whose loop and the registers it saves on entry cost about twenty
  /// instructions a call before the first byte is looked at.
  template <bool Decode = true>
  [[gnu::always_inline]] std::string_view read_string_quick(std::string& scratch) {
#if PYJSON_SSE2
    const char* p = p_ + 1;
    if (end_ - p >= 32) {
      unsigned mask = special_bytes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
      // None in the first sixteen: the first in the next, or byte 31, which, being no quote
      // then, sends the string to read_string.
      if (mask == 0)
        mask = (special_bytes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16))) | 0x8000)
               << 16;
      auto n = static_cast<std::size_t>(__builtin_ctz(mask));
      if (p[n] == '"') {
        clean_ = true;
        p_ = p + n + 1;
        return {p, n};
      }
    }
#endif
    return read_string<Decode>(scratch);
  }

  // Out of line: resize() is a lot of code for read_string's loop to carry.
  [[gnu::noinline]] static void grow_scratch(std::string& scratch, std::size_t need) {
    scratch.resize(std::max(2 * scratch.size(), need + 60));
  }

  /// Whether the string read last is valid UTF-8 without surrogates (its escapes included).
  bool string_was_clean() const noexcept { return clean_; }

  /// Matches `word` at p_ (used for literals).
  bool match(std::string_view word) const noexcept {
    return static_cast<std::size_t>(end_ - p_) >= word.size() &&
           std::memcmp(p_, word.data(), word.size()) == 0;
  }
  void advance(std::size_t n) noexcept { p_ += n; }
  void set_position(const char* p) noexcept { p_ = p; }

#if PYJSON_SSE2
  // A bit for each byte of v that needs a look inside a string: '"', '\\', a control character
  // (<= 0x1F) or a byte of a multi-byte UTF-8 sequence (>= 0x80).
  [[gnu::always_inline]] static unsigned special_bytes(__m128i v) noexcept {
    __m128i special =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    // v <= 0x1F as unsigned bytes: min(v, 0x1F) == v.
    const __m128i space_minus_one = _mm_set1_epi8(0x1F);
    special = _mm_or_si128(special, _mm_cmpeq_epi8(_mm_min_epu8(v, space_minus_one), v));
    // The high bit of each byte marks UTF-8 sequences; movemask reads it directly.
    return static_cast<unsigned>(_mm_movemask_epi8(special) | _mm_movemask_epi8(v));
  }
#endif

 private:
  // At least one whitespace byte at p_.
  //
  // Indented text repeats the same run at each level: a newline and as many spaces (or tabs)
  // as the level's indentation. The run last seen at a level is kept, and a run of that length is
  // taken when the bytes say it is right (the newline's spaces, then no whitespace). Finding
  // the run's end by scanning makes the position of the next token wait for a load, a compare
  // and a count; a kept length lets the CPU go on to that token at once while the check runs
  // beside it, as the check's branch is nearly always predicted (all but 0.1% of the runs of
  // twitter.json and citm_catalog.json). Both load 8% faster, and 8% and 14% typed. A wrong
  // guess costs a mispredicted branch and the scan done before.
  //
  // Takes the kept run at p_ when the bytes agree, else returns false.
  [[gnu::always_inline]] bool take_kept_run(std::size_t level) noexcept {
#if PYJSON_SSE2
    const char* p = p_;
    unsigned n = indents_[level % std::size(indents_)];
    // For the kept length n (2 to 31; 0 until a run is kept), byte n must be above ' ' (no
    // whitespace; a signed compare, so 0x21 to 0x7F, which include every byte that can start
    // a token) and bytes 1 to n - 1 spaces, or all tabs: then the run is n bytes. Spaces are
    // tried first, against a constant; tabs only when they fail. Testing byte n alone, rather
    // than all 32 bytes against ' ' to pick one bit, and picking no fill byte from the text
    // first: 3.8% and 5.6% fewer instructions per parse of twitter.json and citm_catalog.json,
    // citm_catalog.json loaded 3% faster (typed too), twitter.json level.
    if (n != 0 && end_ - p >= 32 && static_cast<signed char>(p[n]) > ' ') {
      __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
      auto filled = [&](char fill) {
        const __m128i f = _mm_set1_epi8(fill);
        return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(lo, f))) |
               static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(hi, f))) << 16;
      };
      std::uint32_t between = (std::uint32_t(1) << n) - 2;  // bits 1 to n - 1
      if ((filled(' ') & between) == between || (filled('\t') & between) == between) {
        p_ = p + n;
        return true;
      }
    }
#else
    // Without SSE2, the same test with 64-bit words (see all_bytes_are).
    const char* p = p_;
    unsigned n = indents_[level % std::size(indents_)];
    if (n != 0 && end_ - p >= 32 && static_cast<signed char>(p[n]) > ' ' &&
        (all_bytes_are(p + 1, n - 1, ' ') || all_bytes_are(p + 1, n - 1, '\t'))) {
      p_ = p + n;
      return true;
    }
#endif
    return false;
  }
  // A run that take_kept_run did not take: scanned, and its length kept for its level.
  [[gnu::noinline]] void skip_ws_run(std::size_t level) noexcept {
    const char* p = p_;
    std::uint8_t& kept = indents_[level % std::size(indents_)];
    skip_ws_scan();
    std::size_t run = static_cast<std::size_t>(p_ - p);
    if (run >= 2 && run < 32) kept = static_cast<std::uint8_t>(run);
  }

  // Moves p_ past the run of whitespace at p_, looking at its bytes.
  [[gnu::always_inline]] void skip_ws_scan() noexcept {
    const char* p = p_;
    // Most gaps are none or one byte (", ", ": "); indented documents have runs of spaces
    // after each newline, which go sixteen bytes at a time. A run of two or more goes straight
    // to the sixteen-byte test: testing a few more bytes one by one first costs a mispredicted
    // branch whenever the indentation changes length (6% on twitter.json).
    ++p;  // skip_ws saw that the first byte is whitespace
    if (p == end_ || !is_ws(*p)) {
      p_ = p;
      return;
    }
#if PYJSON_SSE2
    // Indentation is spaces after the newline, so sixteen bytes are first compared with ' '
    // alone (one compare instead of four). Where a byte is no space and yet whitespace (tabs,
    // a "\r\n", a blank line), the loop that knows all four goes on from there. citm_catalog.json
    // (71% whitespace, in runs of 25 and 29 bytes) loads 3% faster, twitter.json 2%.
    const __m128i space = _mm_set1_epi8(' ');
    while (end_ - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      unsigned other =
          ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))) & 0xFFFFu;
      if (other != 0) {
        p += __builtin_ctz(other);
        if (!is_ws(*p)) {
          p_ = p;
          return;
        }
        break;
      }
      p += 16;
    }
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i tab = _mm_set1_epi8('\t');
    const __m128i cr = _mm_set1_epi8('\r');
    while (end_ - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, newline)),
                                _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
      unsigned other = ~static_cast<unsigned>(_mm_movemask_epi8(ws)) & 0xFFFFu;
      if (other != 0) {
        p_ = p + __builtin_ctz(other);
        return;
      }
      p += 16;
    }
#else
    // Without SSE2, eight bytes at a time in a 64-bit word, compared with spaces alone as
    // above; from the first byte that is no space, the loop below goes on.
    while (end_ - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (std::uint64_t other = w ^ 0x2020202020202020ull) {
        p += first_nonzero_byte(other);
        break;
      }
      p += 8;
    }
#endif
    while (p < end_ && is_ws(*p)) ++p;
    p_ = p;
  }

  decode_error make_error(const char* msg, const char* at) const {
    if (utf8_error err = find_utf8_error(begin_, end_, allow_surrogates_)) {
      const char* where = begin_ + err.start;
      auto pos = position_of(begin_, where);
      return decode_error(utf8_error_message(begin_, err), pos.pos, pos.lineno, pos.colno,
                          byte_base_ + err.start);
    }
    auto pos = position_of(begin_, at);
    return decode_error(msg, pos.pos, pos.lineno, pos.colno,
                        byte_base_ + static_cast<std::size_t>(at - begin_));
  }

  // Passes over bytes that need no look inside a string: not '"', not '\\', not a control
  // character, not the start of a multi-byte UTF-8 sequence. Sixteen at a time with SSE2 (part
  // of every x86-64), else eight at a time in a 64-bit word (SWAR).
  const char* skip_plain(const char* p) const noexcept {
#if PYJSON_SSE2
    while (end_ - p >= 16) {
      unsigned mask = special_bytes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
      if (mask != 0) return p + __builtin_ctz(mask);
      p += 16;
    }
#endif
    while (end_ - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      // A byte needs a look when it is '"', '\\', < 0x20 or >= 0x80.
      std::uint64_t quote_hit = has_zero_byte(w ^ 0x2222222222222222ull);
      std::uint64_t slash_hit = has_zero_byte(w ^ 0x5C5C5C5C5C5C5C5Cull);
      std::uint64_t ctrl_or_high = (w - 0x2020202020202020ull) | w;
      if ((quote_hit | slash_hit | (ctrl_or_high & 0x8080808080808080ull)) != 0) break;
      p += 8;
    }
    while (p < end_ && plain_string_bytes[static_cast<unsigned char>(*p)]) ++p;
    return p;
  }

  // p is at a backslash; writes the decoded character (at most 4 bytes) at out, moves out past
  // it and returns where scanning resumes.
  const char* read_escape(const char* p, const char* quote, char*& out) {
    if (end_ - p < 2) fail("Unterminated string starting at", quote);
    // A two-byte escape stands for one byte, found in a table: text with escapes of many kinds
    // (\n, \", \t in turn) takes one well-predicted branch, not a jump through a switch's
    // table to a different place each time.
    static constexpr auto decoded = [] {
      std::array<char, 256> t{};  // 0: \u, or no escape
      for (short_escape e : short_escapes) t[static_cast<unsigned char>(e.letter)] = e.byte;
      return t;
    }();
    if (const char c = decoded[static_cast<unsigned char>(p[1])]) {
      *out++ = c;
      return p + 2;
    }
    if (p[1] != 'u') fail("Invalid \\escape", p);
    std::uint32_t cp = read_hex4(p + 1);
    p += 6;
    // A high surrogate followed by \u and a low surrogate is one character; anything else
    // leaves it alone (Python keeps lone surrogates, and so do we, as WTF-8).
    if (cp >= 0xD800 && cp <= 0xDBFF && end_ - p >= 2 && p[0] == '\\' && p[1] == 'u') {
      std::uint32_t lo = read_hex4(p + 1);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) clean_ = false;  // a lone surrogate, kept as WTF-8
    out = put_utf8(out, cp);
    return p;
  }
  // u is at the 'u' of \uXXXX.
  std::uint32_t read_hex4(const char* u) const {
    // CPython's scanner wants a character after the four digits (the string must still be
    // open), so an input that ends right after them is an invalid escape, not unterminated.
    if (end_ - u < 6) fail("Invalid \\uXXXX escape", u);
    auto digit = [u](int i) { return hex_values[static_cast<unsigned char>(u[i])]; };
    int a = digit(1), b = digit(2), c = digit(3), d = digit(4);
    if ((a | b | c | d) < 0) fail("Invalid \\uXXXX escape", u);
    return static_cast<std::uint32_t>(a << 12 | b << 8 | c << 4 | d);
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  load_options opt_;  // a copy: a reader may outlive the options it was given
  bool allow_surrogates_;
  bool clean_ = true;  // see string_was_clean()
  std::size_t byte_base_;
  std::uint8_t indents_[32] = {};  // see take_kept_run

 public:
  /// What is added to byte positions in errors (the byte order mark before the text).
  std::size_t byte_base() const noexcept { return byte_base_; }
};

/// Builds a pyjson::value from the reader's text without recursion, or checks and skips one
/// value without building anything (the same loop, so the grammar and its errors are one).
class value_builder {
 public:
  /// `depth` is the nesting already open around the value (typed reading into a value).
  explicit value_builder(reader& r, std::size_t depth = 0) : r_(r), outer_depth_(depth) {}
  ~value_builder() {
    for (std::size_t i = 0; i < size_; ++i) stack_[i].~value();
    if (kept_)
      kept_->give_back();
    else
      ::operator delete(stack_);
  }
  value_builder(const value_builder&) = delete;
  value_builder& operator=(const value_builder&) = delete;

  /// Parses one value starting at the reader's position (which must not be whitespace) and
  /// leaves the reader just after it.
  value parse() {
    run<true>();
    value result(std::move(stack_[0]));
    stack_[0].~value();
    size_ = 0;
    return result;
  }

  /// Checks one value as parse() does and moves past it, building nothing.
  void skip() { run<false>(); }

  /// parse() and skip() for a value nested `depth` deep: one builder serves many values.
  value parse_at(std::size_t depth) {
    outer_depth_ = depth;
    return parse();
  }
  void skip_at(std::size_t depth) {
    outer_depth_ = depth;
    run<false>();
  }
  /// skip() for a value that is no array or object (the reader is at its first byte): what
  /// run() does first for it, without the loop around.
  void skip_scalar() {
    const char* p = r_.position();
    read_scalar<false>(*p, p);
  }

 private:
  struct frame {
    std::size_t start;  // index in the value stack of the first element
#if PYJSON_SSE2
    // An object's next expected key, and how many more the list holds (see
    // read_expected_key); null once keys are no longer expected.
    const key_predictor::key* expect = nullptr;
    std::uint32_t left = 0;
#endif
    bool is_object;
#if PYJSON_SSE2
    std::uint8_t misses = 0;  // expected keys that were not there
    bool exact = true;        // every key came as expected
#endif
  };

  // Out of line, so that it is the same code wherever loads is called: inlined into a small
  // caller, the loop ran a quarter slower on citm_catalog.json (1.1 against 1.45 GB/s) and 8%
  // on twitter.json, from the code around it.
  template <bool Build>
  [[gnu::noinline]] void run() {
    frames_.clear();
#if PYJSON_SSE2
    if constexpr (Build) {
      if (predictor_ == nullptr) predictor_ = key_predictor::current();
      if (predictor_ != nullptr) predictor_->start();
    }
#endif
    // `level` is outer + frames_.size(), the nesting at the token being read (see
    // reader::take_kept_run), counted in step with frames_: worked out from frames_ for each
    // whitespace run, it took two loads from members (a value's bytes are stored as unsigned
    // char, which may alias them, so they are loaded again after each value), a subtraction
    // and a shift. 0.8-1.0% fewer instructions per parse of twitter.json, citm_catalog.json
    // and canada.json, and 2.2-2.6% fewer to check the first two. Keeping a reference to the
    // reader in a local as well took 2% more: the compiler ran out of registers.
    const std::size_t outer = outer_depth_;
    const std::size_t max_depth = r_.options().max_depth;
    std::size_t level = outer;
    for (;;) {
      // Parse one value, or open a container and loop to its first element.
      const char* p = r_.position();
      char c = p < r_.end() ? *p : '\0';
      if (c == '[' || c == '{') {
        if (level >= max_depth) [[unlikely]]
          r_.fail_depth(p);
        r_.advance(1);
        ++level;
        r_.skip_ws(level);
        frames_.push_back({.start = size_, .is_object = c == '{'});
        const char* q = r_.position();
        if (q < r_.end() && *q == (c == '[' ? ']' : '}')) {
          r_.advance(1);
          close<Build>();
          --level;
        } else {
          if (c == '{') {
            read_key<Build>();
            if constexpr (Build) expect_keys();
          }
          continue;
        }
      } else {
        read_scalar<Build>(c, p);
      }
      // After a value: a separator, a closing bracket, or the end of the document.
      for (;;) {
        if (level == outer) return;
        // The byte after the value, past whitespace when there is some (at the level of a
        // closing bracket, if any). A ',' right after the value, the most common case in
        // twitter.json, citm_catalog.json and canada.json, is taken without the whitespace
        // test. With the same for ':' after a key: 3.2%, 2.4% and 2.2% fewer instructions per
        // parse of the three, the typed read of twitter.json 1.6% fewer, and checking it (a
        // struct without fields) 4.6% fewer.
        const char* q = r_.position();
        char d = q != r_.end() ? *q : '\0';
        if (d != ',' && is_ws(d)) {
          r_.skip_ws(level - 1);
          q = r_.position();
          d = q != r_.end() ? *q : '\0';
        }
        if (d == ',') {
          r_.skip_separator(level);
          if (frames_.back().is_object) {
            if constexpr (Build) {
              if (read_expected_key()) break;
            }
            read_key<Build>();
            break;
          }
          const char* e = r_.position();
          if (e != r_.end() && (*e == '-' || is_digit(*e))) {
            elements_read read = number_elements<Build>(level);
            if (read == elements_read::up_to_close) --level;
            if (read != elements_read::none) continue;
          }
          break;
        }
        if (d == (frames_.back().is_object ? '}' : ']')) {
          r_.advance(1);
          close<Build>();
          --level;
          continue;
        }
        r_.fail("Expecting ',' delimiter", q);
      }
    }
  }

  // At a key's opening quote (after whitespace): the key, whitespace, ':' and whitespace.
  // Forced inline into run()'s two calls: left to itself the compiler made it a call before
  // every key, and inline, loads ran 3% faster on twitter.json, 1-4% on citm_catalog.json and
  // 8% on syn_records (three alternating pairs of runs; canada.json, which has few keys, level).
  template <bool Build>
  [[gnu::always_inline]] void read_key() {
    const char* p = r_.position();
    if (p == r_.end() || *p != '"') r_.fail("Expecting property name enclosed in double quotes", p);
    if (!short_plain_string<Build, true>()) {
      std::string_view key = r_.read_string<Build>(scratch_);
      if constexpr (Build) set_string(key);
    }
    read_colon();
  }
  // After a key: whitespace, ':' and whitespace.
  [[gnu::always_inline]] void read_colon() {
    // ':' right after the key, the common case, is taken without the whitespace test.
    const char* q = r_.position();
    if (q == r_.end() || *q != ':') {
      r_.skip_ws();
      q = r_.position();
      if (q == r_.end() || *q != ':') r_.fail("Expecting ':' delimiter", q);
    }
    r_.skip_separator();
  }

  // After an object's first key (on the stack): the keys the thread's predictor expects next.
  [[gnu::always_inline]] void expect_keys() {
#if PYJSON_SSE2
    if (predictor_ == nullptr) return;
    frame& f = frames_.back();
    f.expect = predictor_->find(stack_[size_ - 1], f.left);
#endif
  }
  // At a key's opening quote (after whitespace), in an object whose frame expects keys: when
  // the text holds the next expected key, its bytes and closing quote, pushes that key's value
  // and reads on to the value after ':', as read_key would, and returns true; else returns
  // false having read nothing, or true having read a later key (see expected_key_missed). See
  // key_predictor.
  [[gnu::always_inline]] bool read_expected_key() {
#if PYJSON_SSE2
    frame& f = frames_.back();
    if (f.expect == nullptr) return false;
    const char* p = r_.position();
    if (f.left != 0 && is_key_at(*f.expect, p)) {
      take_expected_key(*f.expect, p);
      ++f.expect;
      --f.left;
      return true;
    }
    return expected_key_missed(f, p);
#else
    return false;
#endif
  }
#if PYJSON_SSE2
  // Whether the key k is at p: an opening quote, then its bytes and closing quote. Not near
  // the end of the text, where 32 bytes after p cannot be read.
  [[gnu::always_inline]] bool is_key_at(const key_predictor::key& k, const char* p) const {
    if (r_.end() - p <= 32 || *p != '"') return false;
    auto same = [&](std::size_t at) {  // a bit for each of the 32 bytes from at that match
      auto half = [&](std::size_t i) {
        return static_cast<std::uint32_t>(_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1 + i)),
                           _mm_loadu_si128(reinterpret_cast<const __m128i*>(k.text + i)))));
      };
      return half(at) | half(at + 16) << 16;
    };
    const auto low = static_cast<std::uint32_t>(k.want);
    if ((same(0) & low) != low) return false;
    if (k.length <= 32) [[likely]]
      return true;
    const auto high = static_cast<std::uint32_t>(k.want >> 32);
    return r_.end() - p > 64 && (same(32) & high) == high;
  }
  // Pushes the key k, found at p, and reads on past ':'.
  [[gnu::always_inline]] void take_expected_key(const key_predictor::key& k, const char* p) {
    if (!k.owns)
      value_access::set_raw(*push(), k.raw);
    else
      value_access::set_string(
          *push(), std::string_view(reinterpret_cast<const char*>(k.text), k.length - 1), true);
    r_.set_position(p + 1 + k.length);
    read_colon();
  }
  // The expected key is not at p. Records often leave out a key, or add one, that others of
  // their kind have (twitter.json's statuses with and without "retweeted_status"): when the key
  // after the expected one is there, it is taken and the list goes on after it; else the key is
  // read as any other (returns false) and is expected again at the next key. Either way the
  // object's keys are no longer a prefix of the list's, so the object is checked for repeated
  // keys; after a few misses the object stops expecting keys.
  [[gnu::noinline]] bool expected_key_missed(frame& f, const char* p) {
    f.exact = false;
    if (f.left == 0 || ++f.misses > 2) {
      f.expect = nullptr;
      return false;
    }
    if (f.left >= 2 && is_key_at(f.expect[1], p)) {
      take_expected_key(f.expect[1], p);
      f.expect += 2;
      f.left -= 2;
      return true;
    }
    return false;
  }
#endif

  // Strings and the literals true, false and null are read here, numbers and the rest in a
  // call of their own (a jump, at the end). With the number reader inlined, this function, called
  // for every scalar, saved and restored six registers on each call, strings and literals
  // included. Split: 4.5% fewer instructions per parse of twitter.json, 1-2% of the other
  // files; loads of twitter.json and twitterescaped.json 4-5% faster, gsoc-2018.json 3.5%,
  // citm_catalog.json and canada.json level (best of 8 alternating rounds).
  template <bool Build>
  PYJSON_CLANG_INLINE void read_scalar(char c, const char* p) {
    switch (c) {
      case '"': {
        if (short_plain_string<Build>()) return;
        std::string_view s = r_.read_string<Build>(scratch_);
        if constexpr (Build) set_string(s);
        return;
      }
      case 'n':
        if (r_.match("null")) {
          r_.advance(4);
          if constexpr (Build) push();
          return;
        }
        break;
      case 't':
        if (r_.match("true")) {
          r_.advance(4);
          if constexpr (Build) emplace(true);
          return;
        }
        break;
      case 'f':
        if (r_.match("false")) {
          r_.advance(5);
          if constexpr (Build) emplace(false);
          return;
        }
        break;
      default: break;
    }
    read_other_scalar<Build>(c, p);
  }

  // Numbers, NaN and the infinities, and what is no value at all. A number is tried first: a
  // '-' is far more often a negative number than -Infinity.
  template <bool Build>
  [[gnu::noinline]] void read_other_scalar(char c, const char* p) {
    if constexpr (Build) {
      parsed_number n = read_number(p, r_.end());
      if (n.k != parsed_number::kind::none) {
        r_.set_position(n.end);
        switch (n.k) {
          case parsed_number::kind::int64: emplace(n.i); break;
          case parsed_number::kind::float64: emplace(n.d); break;
          case parsed_number::kind::uint64: emplace(static_cast<std::uint64_t>(n.i)); break;
          default: slow_number(p, n.end, n.k == parsed_number::kind::slow_integer); break;
        }
        return;
      }
    } else {
      const char* e = skip_number(p, r_.end());  // checked, and no value worked out
      if (e != p) {
        r_.set_position(e);
        return;
      }
    }
    if (r_.options().allow_nan) {
      double special = 0;
      std::size_t length = 0;
      if (c == 'N' && r_.match("NaN")) {
        special = std::numeric_limits<double>::quiet_NaN();
        length = 3;
      } else if (c == 'I' && r_.match("Infinity")) {
        special = std::numeric_limits<double>::infinity();
        length = 8;
      } else if (c == '-' && r_.match("-Infinity")) {
        special = -std::numeric_limits<double>::infinity();
        length = 9;
      }
      if (length != 0) {
        r_.advance(length);
        if constexpr (Build) emplace(special);
        return;
      }
    }
    r_.fail("Expecting value", p);
  }

  // At an array's element after a comma that starts like a number: that number and the
  // elements after it while they are numbers, read in this loop instead of going round run()'s
  // for each, and the array closed when its ']' follows the last (canada.json's coordinate
  // pairs, the long arrays of marine_ik.json). Stops at anything else with the position just
  // after the last number: run() goes on after a value. Reads nothing when the element is no
  // number (-Infinity, or an error): run() reads it. `level` is the array's nesting.
  //
  // Without Build the numbers are checked and passed (skip_number): checking canada.json (a
  // struct without fields) went round run()'s loop twice for each of its 167,000 numbers.
  enum class elements_read { none, some, up_to_close };
  template <bool Build>
  [[gnu::noinline]] elements_read number_elements(std::size_t level) {
    const char* p = r_.position();
    if constexpr (Build) {
      parsed_number n = read_number(p, r_.end());
      if (n.k == parsed_number::kind::none) return elements_read::none;
      for (;;) {
        r_.set_position(n.end);
        switch (n.k) {
          case parsed_number::kind::int64: emplace(n.i); break;
          case parsed_number::kind::float64: emplace(n.d); break;
          case parsed_number::kind::uint64: emplace(static_cast<std::uint64_t>(n.i)); break;
          default: slow_number(p, n.end, n.k == parsed_number::kind::slow_integer); break;
        }
        const char* q = n.end;
        if (q == r_.end()) return elements_read::some;
        if (*q == ']') {
          r_.advance(1);
          close_array();
          return elements_read::up_to_close;
        }
        if (*q != ',') return elements_read::some;
        r_.skip_separator(level);
        p = r_.position();
        n = p != r_.end() && (*p == '-' || is_digit(*p))
                ? read_number(p, r_.end())
                : parsed_number{p, parsed_number::kind::none, 0, 0};
        if (n.k == parsed_number::kind::none) {
          r_.set_position(q);  // before the comma, for run()
          return elements_read::some;
        }
      }
    } else {
      const char* q = skip_number(p, r_.end());
      if (q == p) return elements_read::none;
      for (;;) {
        r_.set_position(q);
        if (q == r_.end()) return elements_read::some;
        if (*q == ']') {
          r_.advance(1);
          frames_.pop_back();
          return elements_read::up_to_close;
        }
        if (*q != ',') return elements_read::some;
        r_.skip_separator(level);
        p = r_.position();
        const char* e = skip_number(p, r_.end());
        if (e == p) {
          r_.set_position(q);  // before the comma, for run()
          return elements_read::some;
        }
        q = e;
      }
    }
  }

  // A number read_number left alone: integers beyond 64 bits, floats beyond 19 significant
  // digits or far out of range. read_number found its end and its kind.
  [[gnu::noinline]] void slow_number(const char* p, const char* end, bool integer) {
    value* v = slot();  // every branch below constructs it, none can throw first
    if (integer) {
      bool is_unsigned;
      std::int64_t i;
      std::uint64_t u;
      if (parse_int64(p, end, is_unsigned, i, u)) {
        if (is_unsigned)
          ::new (static_cast<void*>(v)) value(u);
        else
          ::new (static_cast<void*>(v)) value(i);
      } else {
        ::new (static_cast<void*>(v)) value();
        value_access::make_big_int(*v, std::string_view(p, static_cast<std::size_t>(end - p)));
      }
    } else {
      ::new (static_cast<void*>(v)) value(parse_float(p, end));
    }
  }

  // A string of at most 31 bytes, all ASCII, no escape, no control character, with 32 bytes
  // readable after its opening quote (16 for one of at most 14 bytes), at the reader's
  // position: most keys and many values. It is found, and when Build stored, from one or two
  // 16-byte loads, without read_string's loop and a second load of the same bytes. Returns
  // false, having done nothing, for any other string, which read_string then reads, and so
  // reports errors as ever.
  template <bool Build, bool Key = false>
  [[gnu::always_inline]] bool short_plain_string() {
#if PYJSON_SSE2
    const char* p = r_.position() + 1;
    if (r_.end() - p < 16) return false;
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    unsigned mask = reader::special_bytes(bytes);
    // The first special byte must be the closing quote.
    unsigned n = static_cast<unsigned>(__builtin_ctz(mask | 0x10000));
    if (n > 14) return medium_plain_string<Build, Key>(p, bytes, n);
    if (p[n] != '"') return false;
    r_.set_position(p + n + 1);
    if constexpr (Build) value_access::set_short_string_bytes(*push(), bytes, n);
    return true;
#else
    return false;
#endif
  }

#if PYJSON_SSE2
  // short_plain_string for 15 to 31 bytes, which a value keeps in a block of its own: the
  // first special byte (bytes holds the first 16) is at n = 15, or beyond them at n = 16.
  // These are twitter.json's long keys ("profile_background_color", 4,426 of its 13,345 keys)
  // and values such as its dates and ids; each took read_string's loop and then a memcpy call
  // into the block. Here, twitter.json takes 7.7% fewer instructions per parse and loads 5%
  // faster, gsoc-2018.json 3.5% and 3%.
  //
  // A key (Key) is the process's shared key of its text where there is one (see shared_key_table):
  // twitter.json's 4,253 keys of 15 to 31 bytes are 30 texts.
  template <bool Build, bool Key>
  [[gnu::noinline]] bool medium_plain_string(const char* p, __m128i bytes, unsigned n) {
    if (n == 16) {
      if (r_.end() - p < 32) return false;
      unsigned mask =
          reader::special_bytes(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)));
      n = 16 + static_cast<unsigned>(__builtin_ctz(mask | 0x8000));  // at most 31
    }
    if (p[n] != '"') return false;
    if constexpr (Build) {
      __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
      if constexpr (Key) {
        // A key already in the shared table, nearly every such key after a document's first
        // few, takes a path without a call, so that the function needs no stack frame (no
        // registers saved and restored); anything else is a call of its own. twitter.json:
        // 1.3% fewer instructions per parse; with the table full of other keys, 1.5% more.
        std::atomic<string_block*>& slot = shared_key_slot_of(bytes, last, n);
        string_block* k = slot.load(std::memory_order_acquire);
        if (k == nullptr || !holds_key(k, bytes, last, n) || size_ == capacity_) [[unlikely]]
          return medium_key(p, slot, k, bytes, last, n);
        value_access::set_shared_key(*::new (static_cast<void*>(stack_ + size_++)) value(), k);
      } else {
        value_access::set_medium_string_bytes(*push(), bytes, last, n);
      }
    }
    r_.set_position(p + n + 1);
    return true;
  }
  // medium_plain_string for a key whose slot held k, when that is not the key or the stack is
  // full (see value_access::set_medium_key_bytes).
  [[gnu::noinline]] bool medium_key(const char* p, std::atomic<string_block*>& slot,
                                    string_block* k, __m128i first, __m128i last, unsigned n) {
    value_access::set_medium_key_bytes(*push(), slot, k, first, last, n);
    r_.set_position(p + n + 1);
    return true;
  }
#endif

  // Pushes a string read by the reader. A short one that lies in the text with 16 bytes after
  // its start (all but the last few of a document) is stored with one load and one store.
  void set_string(std::string_view s) {
    value* v = push();
    auto at = reinterpret_cast<std::uintptr_t>(s.data());
    if (s.size() <= 14 && at >= reinterpret_cast<std::uintptr_t>(r_.begin()) &&
        at + 16 <= reinterpret_cast<std::uintptr_t>(r_.end()))
      value_access::set_short_string_at(*v, s.data(), s.size());
    else
      value_access::set_string(*v, s, r_.string_was_clean());
  }

  // Pushes a null value on the stack and returns it. Forced inline: with the path for strings
  // of 15 to 31 bytes, the compiler stopped inlining it into run() for keys, and
  // citm_catalog.json took 0.7% more instructions per parse instead of 2% fewer.
  [[gnu::always_inline]] value* push() {
    if (size_ == capacity_) grow();
    return ::new (static_cast<void*>(stack_ + size_++)) value();
  }
  // Pushes value(args...), built in place.
  template <class... A>
  void emplace(A&&... args) {
    if (size_ == capacity_) grow();
    ::new (static_cast<void*>(stack_ + size_++)) value(std::forward<A>(args)...);
  }
  // Reserves a slot on the stack for a value the caller constructs in place.
  value* slot() {
    if (size_ == capacity_) grow();
    return stack_ + size_++;
  }
  // The stack is the thread's write_buffer when it is free (the writer's, kept from one call
  // to the next), else memory of its own. A stack made anew for each parse grew by doubling
  // to the document's longest array, copying it at each step, and glibc gave the memory of a
  // large one back to the system at the end of the parse, to take it again, a page fault per
  // 4 KiB, in the next: a program that loaded numbers.json (an array of 10,001 numbers) in a
  // loop read it at a tenth of the speed.
  [[gnu::noinline]] void grow() {
    if (!stack_) kept_ = write_buffer::take();
    std::size_t cap = capacity_ ? capacity_ * 2 : 64;
    if (kept_) {
      kept_->reserve(cap * sizeof(value), true);  // values move bitwise, as relocate() moves them
      stack_ = reinterpret_cast<value*>(kept_->data_);
      capacity_ = kept_->capacity_ / sizeof(value);
      return;
    }
    auto* fresh = static_cast<value*>(::operator new(cap * sizeof(value)));
    value_access::relocate(fresh, stack_, size_);
    ::operator delete(stack_);
    stack_ = fresh;
    capacity_ = cap;
  }

  // Closes the innermost container: its elements leave the stack for one exact-size block.
  template <bool Build>
  [[gnu::always_inline]] void close() {
    frame f = frames_.back();
    frames_.pop_back();
    if constexpr (Build) {
      std::size_t n = size_ - f.start;
      if (n == 0 && size_ == capacity_) grow();
      // The container is built straight into the slot of its first element, which the
      // elements have left by then. Building it in a local and moving it there would store it
      // in pieces and load it back whole at once, and the CPU stalls on such a load until the
      // stores are done.
      value* slot = stack_ + f.start;
      if (f.is_object) {
        const std::size_t pairs = n / 2;
#if PYJSON_SSE2
        // Keys that all came as expected are a prefix of an object's keys known to be unique.
        if (f.expect != nullptr && f.exact) {
          n = pairs;
        } else {
          n = dedupe(f.start, pairs);
          if (n == pairs && pairs >= 2 && predictor_ != nullptr) predictor_->learn(slot, pairs);
        }
#else
        n = dedupe(f.start, pairs);
#endif
        value_access::adopt_object(*slot, slot, n);
      } else {
        value_access::adopt_array(*slot, slot, n);
      }
      size_ = f.start + 1;  // the elements now live in the container
    }
  }
  // close() for an array of at least one element, the innermost container (number_elements).
  [[gnu::always_inline]] void close_array() {
    const std::size_t start = frames_.back().start;
    frames_.pop_back();
    value* slot = stack_ + start;
    value_access::adopt_array(*slot, slot, size_ - start);
    size_ = start + 1;
  }

  // Whether any key of the n pairs at kv repeats (objects of up to three keys are checked in
  // dedupe, without this call).
  //
  // Objects of up to 64 keys (nearly all) go through a filter of 1024 bits: each key gets a
  // 10-bit fingerprint, and only a key whose fingerprint was already seen is compared with the
  // earlier keys of that fingerprint. (With 8 bits, an object of 30 keys had two keys share a
  // fingerprint about twice on average, each time a search of the earlier ones; 10 bits made
  // twitter.json take 1.9% fewer instructions per parse and load 1-2% faster.) A short key's
  // fingerprint is one multiply of its two words, a long key's of its ends and length. It has no
  // seed, so keys can be chosen to share it, but that costs at most 63 comparisons per key: for 64
  // keys of any length, fewer than 32 bytes compared per byte of key, linear in the input still.
  // This replaced comparing every pair up to 12 keys and a seeded hash table above, which hashed
  // long keys 8 bytes at a time: twitter.json, with objects of 20 to 40 keys, many of them long,
  // loads 5% faster.
  //
  // Larger objects use a hash table as a filter, with a per-process random seed so that keys
  // cannot be chosen to collide; should collisions pile up all the same, sorting decides,
  // which is O(n log n) for any input.
  bool has_repeated_key(const value* kv, std::size_t n) {
    if (n <= 64) {
      std::uint64_t seen[16] = {};
      std::uint16_t print[64];
      for (std::size_t i = 0; i < n; ++i) {
        const value& k = kv[2 * i];
        std::uint16_t f = fingerprint(k);
        std::uint64_t bit = std::uint64_t(1) << (f & 63);
        if (seen[f >> 6] & bit) {
          for (std::size_t j = 0; j < i; ++j)
            if (print[j] == f && value_access::same_string(k, kv[2 * j])) return true;
        }
        seen[f >> 6] |= bit;
        print[i] = f;
      }
      return false;
    }
    std::size_t size = 32;
    while (size < 2 * n) size *= 2;
    table_.assign(size, 0);
    std::size_t probes = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t h = key_hash(kv[2 * i]);
      std::size_t slot = static_cast<std::size_t>(h) & (size - 1);
      for (;; slot = (slot + 1) & (size - 1)) {
        std::uint32_t occupant = table_[slot];
        if (occupant == 0) {
          table_[slot] = static_cast<std::uint32_t>(i + 1);
          break;
        }
        if (++probes > 4 * n + 64) return repeated_by_sorting(kv, n);
        if (value_access::same_string(kv[2 * (occupant - 1)], kv[2 * i])) return true;
      }
    }
    return false;
  }

  // has_repeated_key, first asking the thread's key shapes (see key_shapes). Out of line, so
  // that dedupe's path for tiny objects stays inline in the builder's loop.
  [[gnu::noinline]] bool has_repeated_key_or_shape(const value* kv, std::size_t n) {
    if (shapes_ == nullptr) shapes_ = key_shapes::current();
    if (shapes_ != nullptr && shapes_->match(kv, n)) return false;
    if (has_repeated_key(kv, n)) return true;
    if (shapes_ != nullptr) shapes_->keep(kv, n);
    return false;
  }

  bool repeated_by_sorting(const value* kv, std::size_t n) {
    order_.resize(n);
    for (std::size_t i = 0; i < n; ++i) order_[i] = i;
    auto key = [&](std::size_t i) { return value_access::str(kv[2 * i]); };
    std::sort(order_.begin(), order_.end(),
              [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    for (std::size_t i = 1; i < n; ++i)
      if (key(order_[i]) == key(order_[i - 1])) return true;
    return false;
  }

  // 10 bits of a key for the filter: from its two words when short, else from its first and
  // last 8 bytes and its length.
  static std::uint16_t fingerprint(const value& k) noexcept {
    std::uint64_t a, b;
    if (value_access::tag_of(k) == tag::short_string) {
      a = value_access::word(k, 0);
      b = value_access::word(k, 1);
    } else {
      std::string_view s = value_access::str(k);  // more than 14 bytes
      std::memcpy(&a, s.data(), 8);
      std::memcpy(&b, s.data() + s.size() - 8, 8);
      a ^= s.size();
    }
    return static_cast<std::uint16_t>(((a ^ std::rotl(b, 29)) * 0x9E3779B97F4A7C15ull) >> 54);
  }
  // A short key is hashed as its two words (its bytes, zero padded, and its length).
  static std::uint64_t key_hash(const value& k) {
    if (value_access::tag_of(k) == tag::short_string)
      return hash_mix(hash_mix(hash_seed() ^ value_access::word(k, 0)) ^ value_access::word(k, 1));
    return string_hash(value_access::str(k));
  }

  // Python builds a dict by inserting pairs in order: a repeated key keeps its first position
  // and takes its last value. Returns the number of unique pairs left at stack_[start...].
  std::size_t dedupe(std::size_t start, std::size_t pairs) {
    value* kv = stack_ + start;
    auto key = [&](std::size_t i) { return value_access::str(kv[2 * i]); };
    if (pairs <= 3) {
      // Tiny objects (citm_catalog is mostly {"areaId", "blockIds"}) compare their keys pair
      // by pair, here without a call: one to three comparisons of two words each for short
      // keys, cheaper than fingerprinting every key.
      bool repeated = false;
      for (std::size_t i = 1; i < pairs; ++i)
        for (std::size_t j = 0; j < i; ++j)
          repeated |= value_access::same_string(kv[2 * i], kv[2 * j]);
      if (!repeated) return pairs;
    } else if (!has_repeated_key_or_shape(kv, pairs)) {
      return pairs;
    }
    // Slow path, only for objects with repeated keys: resolve with a sorted index.
    order_.resize(pairs);
    for (std::size_t i = 0; i < pairs; ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
      auto ka = key(a), kb = key(b);
      return ka < kb || (ka == kb && a < b);
    });
    std::vector<bool> dropped(pairs, false);
    for (std::size_t i = 0; i < pairs;) {
      std::size_t j = i + 1;
      while (j < pairs && key(order_[j]) == key(order_[i])) ++j;
      if (j - i > 1) {
        std::size_t first = order_[i], last = order_[j - 1];
        kv[2 * first + 1] = std::move(kv[2 * last + 1]);
        for (std::size_t k = i + 1; k < j; ++k) dropped[order_[k]] = true;
      }
      i = j;
    }
    std::size_t out = 0;
    for (std::size_t i = 0; i < pairs; ++i) {
      if (dropped[i]) continue;
      if (out != i) {
        kv[2 * out] = std::move(kv[2 * i]);
        kv[2 * out + 1] = std::move(kv[2 * i + 1]);
      }
      ++out;
    }
    for (std::size_t i = 2 * out; i < 2 * pairs; ++i) kv[i].~value();
    size_ = start + 2 * out;
    return out;
  }

  reader& r_;
  std::size_t outer_depth_;
  value* stack_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
  write_buffer* kept_ = nullptr;  // the thread's buffer, when it holds the stack
  std::vector<frame> frames_;
  std::string scratch_;
  std::vector<std::size_t> order_;
  std::vector<std::uint32_t> table_;
  key_shapes* shapes_ = nullptr;  // this thread's, once an object of four keys has come
#if PYJSON_SSE2
  key_predictor* predictor_ = nullptr;  // this thread's, from the first parse that builds
#endif
};

// Python parses the whole text before it maps anything, so a syntax error anywhere beats a
// type error: this raises the decode_error of `body` (the text after a byte order mark of
// `byte_base` bytes), if it has one, building nothing.
inline void check_syntax(std::string_view body, const load_options& opt, std::size_t byte_base) {
  reader r(body, opt, true, byte_base);
  r.skip_ws();
  value_builder(r).skip();
  r.skip_ws();
  if (!r.at_end()) r.fail("Extra data", r.position());
}

// message with Python's position of `at` in the text that starts at begin appended, as in
// "...: line 1 column 5 (char 4)".
inline std::string with_position(const std::string& message, const char* begin, const char* at) {
  auto pos = position_of(begin, at);
  return message + ": line " + std::to_string(pos.lineno) + " column " + std::to_string(pos.colno) +
         " (char " + std::to_string(pos.pos) + ")";
}

}  // namespace pyjson::detail
