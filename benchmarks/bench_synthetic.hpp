// Synthetic benchmark documents, generated at startup from a fixed seed so that a fresh clone
// runs the benchmarks without the shared data folder, and every run sees the same bytes.
// SPDX-License-Identifier: MIT
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bench::synthetic {

/// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014).
/// The <random> distributions differ between standard libraries; this is the same everywhere.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  /// In [0, n); the modulo bias does not matter for test data.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  /// In [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool percent(unsigned p) { return below(100) < p; }

 private:
  std::uint64_t state_;
};

namespace detail {

inline void append_digits(std::string& out, rng& r, int count, bool nonzero_first) {
  for (int i = 0; i < count; ++i) {
    int d = static_cast<int>(r.below(10));
    if (i == 0 && nonzero_first && d == 0) d = 1 + static_cast<int>(r.below(9));
    out += static_cast<char>('0' + d);
  }
}

template <class T>
void append_number(std::string& out, T x) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, res.ptr);
  // A double keeps a '.' or an exponent, as Python's repr writes it: 6e+19 printed as
  // "60000000000000000000" would read back as an integer too large for the peers.
  if constexpr (std::is_floating_point_v<T>)
    if (std::string_view(buf, res.ptr).find_first_of(".e") == std::string_view::npos) out += ".0";
}

// One number literal, of a kind picked at random: small, negative and full-range integers
// (uint64 too, which every peer can hold), shortest round-trip doubles of 15 to 17 digits,
// decimals longer than 17 digits (the slow path of exact parsers), exponents up to ±300 in
// both letter cases, and short prices.
inline void append_number_literal(std::string& out, rng& r) {
  switch (r.below(9)) {
    case 0: append_number(out, r.below(1000)); break;
    case 1: append_number(out, -r.between(1, 10'000'000)); break;
    case 2: append_number(out, static_cast<std::int64_t>(r.next())); break;
    case 3: append_number(out, r.next() | (std::uint64_t{1} << 63)); break;
    case 4:
    case 5: {
      double mantissa = 1.0 + static_cast<double>(r.next() >> 11) * 0x1p-53;
      double d = std::ldexp(mantissa, static_cast<int>(r.between(-70, 70)));
      append_number(out, r.percent(30) ? -d : d);
      break;
    }
    case 6: {
      if (r.percent(30)) out += '-';
      append_digits(out, r, static_cast<int>(r.between(1, 6)), true);
      out += '.';
      append_digits(out, r, static_cast<int>(r.between(12, 24)), false);
      break;
    }
    case 7: {
      if (r.percent(30)) out += '-';
      append_digits(out, r, 1, true);
      if (r.percent(80)) {
        out += '.';
        append_digits(out, r, static_cast<int>(r.between(1, 16)), false);
      }
      out += r.percent(50) ? 'e' : 'E';
      if (r.percent(50)) out += r.percent(50) ? '-' : '+';
      append_number(out, r.below(301));
      break;
    }
    default: {
      append_number(out, r.below(100'000));
      out += '.';
      append_digits(out, r, 2, false);
      break;
    }
  }
}

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

inline void append_u_escape(std::string& out, unsigned unit, bool upper) {
  const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 0xF];
}

// Writes c as \uXXXX, or as a surrogate pair above U+FFFF.
inline void append_escaped(std::string& out, char32_t c, bool upper) {
  if (c < 0x10000) {
    append_u_escape(out, static_cast<unsigned>(c), upper);
  } else {
    unsigned v = static_cast<unsigned>(c) - 0x10000;
    append_u_escape(out, 0xD800 + (v >> 10), upper);
    append_u_escape(out, 0xDC00 + (v & 0x3FF), upper);
  }
}

// A code point from one of several scripts: Latin-1 letters, Cyrillic, Greek, Hiragana, CJK
// ideographs, Hangul, emoji (4 bytes in UTF-8), or an ASCII space between words.
inline char32_t pick_non_ascii(rng& r) {
  switch (r.below(8)) {
    case 0: return static_cast<char32_t>(r.between(0xC0, 0xFF));
    case 1: return static_cast<char32_t>(r.between(0x410, 0x44F));
    case 2: return static_cast<char32_t>(r.between(0x3B1, 0x3C9));
    case 3: return static_cast<char32_t>(r.between(0x3041, 0x3096));
    case 4: return static_cast<char32_t>(r.between(0x4E00, 0x9FFF));
    case 5: return static_cast<char32_t>(r.between(0xAC00, 0xD7A3));
    case 6: return static_cast<char32_t>(r.between(0x1F600, 0x1F64F));
    default: return U' ';
  }
}

inline char pick_ascii(rng& r) {
  static constexpr std::string_view alphabet =
      "abcdefghijklmnopqrstuvwxyz    "
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-_!?()[]{}<>@#$%&*+=~'";
  return alphabet[r.below(alphabet.size())];
}

enum class text_kind { ascii, utf8, escaped };

// A quoted string of `length` characters. ascii: printable ASCII with about one escape in 16
// (the two-character ones and control characters as \u00XX, U+0000 included); utf8: raw
// multi-byte UTF-8 mixed with ASCII; escaped: the same characters written as \uXXXX.
inline void append_string(std::string& out, rng& r, std::size_t length, text_kind kind) {
  out += '"';
  for (std::size_t i = 0; i < length; ++i) {
    if (kind == text_kind::ascii) {
      if (!r.percent(6)) {
        out += pick_ascii(r);
        continue;
      }
      static constexpr std::string_view short_escapes[] = {"\\\"", "\\\\", "\\/", "\\n",
                                                           "\\t",  "\\r",  "\\b", "\\f"};
      if (r.percent(75))
        out += short_escapes[r.below(std::size(short_escapes))];
      else
        append_u_escape(out, static_cast<unsigned>(r.below(0x20)), r.percent(50));
    } else {
      char32_t c = r.percent(40) ? static_cast<char32_t>(pick_ascii(r)) : pick_non_ascii(r);
      if (c == U'"' || c == U'\\')
        out += '\\', out += static_cast<char>(c);
      else if (kind == text_kind::escaped && c >= 0x80)
        append_escaped(out, c, r.percent(50));
      else
        append_utf8(out, c);
    }
  }
  out += '"';
}

// Mostly short strings, with a long one now and then.
inline std::size_t string_length(rng& r) {
  return r.percent(90) ? static_cast<std::size_t>(r.between(4, 48))
                       : static_cast<std::size_t>(r.between(200, 1500));
}

inline void newline_indent(std::string& out, int level) {
  out += '\n';
  out.append(static_cast<std::size_t>(level) * 2, ' ');
}

}  // namespace detail

/// Numbers only: rows of 8 numbers of every kind that append_number_literal writes, one row
/// per line, no other whitespace. About `size` bytes.
inline std::string numbers(std::size_t size) {
  rng r(0x6e756d62657273);
  std::string out = "[";
  while (out.size() < size) {
    out += out.size() == 1 ? "\n[" : ",\n[";
    for (int i = 0; i < 8; ++i) {
      if (i) out += ',';
      detail::append_number_literal(out, r);
    }
    out += ']';
  }
  out += "\n]";
  return out;
}

/// Strings: an array of objects holding ASCII text with escapes, raw UTF-8 (CJK, Cyrillic,
/// emoji, ...), the same kind of text as \uXXXX escapes, and an array of short mixed strings,
/// indented by 2 as json.dumps(indent=2) writes. A few keys are not ASCII. About `size` bytes.
inline std::string strings(std::size_t size) {
  using detail::text_kind;
  rng r(0x737472696e6773);
  std::string out = "[";
  while (out.size() < size) {
    out += out.size() == 1 ? "" : ",";
    detail::newline_indent(out, 1);
    out += '{';
    detail::newline_indent(out, 2);
    out += "\"ascii\": ";
    detail::append_string(out, r, detail::string_length(r), text_kind::ascii);
    out += ',';
    detail::newline_indent(out, 2);
    out += "\"utf8\": ";
    detail::append_string(out, r, detail::string_length(r), text_kind::utf8);
    out += ',';
    detail::newline_indent(out, 2);
    out += "\"escaped\": ";
    detail::append_string(out, r, detail::string_length(r), text_kind::escaped);
    out += ',';
    detail::newline_indent(out, 2);
    out += "\"\xE6\xA0\x87\xE7\xAD\xBE\": [";  // "标签" (tags)
    for (std::uint64_t i = 0, n = r.below(6); i < n; ++i) {
      if (i) out += ", ";
      auto kind = static_cast<text_kind>(r.below(3));
      detail::append_string(out, r, static_cast<std::size_t>(r.between(1, 12)), kind);
    }
    out += ']';
    detail::newline_indent(out, 1);
    out += '}';
  }
  out += "\n]";
  return out;
}

/// Many small objects: an array of records of 9 keys (integers, strings, a bool, a double, a
/// null or an integer, a short array of strings, a two-key object), one per line, written
/// with Python's default separators. bench_types.hpp's `record` reads them. About `size`
/// bytes.
inline std::string records(std::size_t size) {
  static constexpr std::string_view names[] = {"Ada",    "Alan",    "Barbara", "Edsger",  "Grace",
                                               "Donald", "Frances", "John",    "Ken",     "Niklaus",
                                               "Radia",  "Tony",    "Leslie",  "Margaret"};
  static constexpr std::string_view tags[] = {"admin", "beta",  "staff", "vip",
                                              "new",   "owner", "guest", "ops"};
  rng r(0x7265636f726473);
  std::string out = "[";
  for (std::int64_t id = 1; out.size() < size; ++id) {
    out += id == 1 ? "\n" : ",\n";
    std::string_view first = names[r.below(std::size(names))];
    std::string_view last = names[r.below(std::size(names))];
    out += "{\"id\": ";
    detail::append_number(out, id);
    out += ", \"uuid\": \"";
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
      out += hex[r.below(16)];
    }
    out += "\", \"name\": \"";
    out.append(first).append(" ").append(last);
    out += "\", \"email\": \"";
    out.append(first).append(".").append(last);
    detail::append_number(out, r.below(1000));
    out += "@example.com\", \"active\": ";
    out += r.percent(70) ? "true" : "false";
    out += ", \"score\": ";
    detail::append_number(out, static_cast<double>(r.below(1'000'000)) / 100.0);
    out += ", \"parent\": ";
    if (r.percent(40))
      out += "null";
    else
      detail::append_number(out, r.between(1, id));
    out += ", \"tags\": [";
    for (std::uint64_t i = 0, n = r.below(4); i < n; ++i) {
      out += i ? ", \"" : "\"";
      out += tags[r.below(std::size(tags))];
      out += '"';
    }
    out += "], \"geo\": {\"lat\": ";
    detail::append_number(out, static_cast<double>(r.between(-90'000'000, 90'000'000)) / 1e6);
    out += ", \"lon\": ";
    detail::append_number(out, static_cast<double>(r.between(-180'000'000, 180'000'000)) / 1e6);
    out += "}}";
  }
  out += "\n]";
  return out;
}

/// Deep nesting: an array of chains `depth` containers deep, alternating objects
/// {"depth": i, "next": ...} and arrays [i, ..., "x"], with a small value at the bottom.
/// Including the outer array the nesting is depth + 1, below pyjson's default max_depth
/// (1000) and simdjson's (1024); Boost.JSON needs its max_depth raised from 32. About `size`
/// bytes, compact.
inline std::string deep(std::size_t size, int depth) {
  rng r(0x64656570);
  std::string out = "[";
  std::vector<std::string_view> closing;
  while (out.size() < size) {
    if (out.size() > 1) out += ',';
    closing.clear();
    for (int i = 0; i < depth; ++i) {
      if (i % 2 == 0) {
        out += "{\"depth\":";
        detail::append_number(out, i);
        out += ",\"next\":";
        closing.push_back("}");
      } else {
        out += '[';
        detail::append_number(out, i);
        out += ',';
        closing.push_back(r.percent(50) ? ",\"x\"]" : ",null]");
      }
    }
    detail::append_number(out, r.below(1000));
    for (auto it = closing.rbegin(); it != closing.rend(); ++it) out += *it;
  }
  out += ']';
  return out;
}

}  // namespace bench::synthetic
