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
#include <string>
#include <string_view>
#include <vector>

#include "pyjson/detail/number.hpp"
#include "pyjson/detail/unicode.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"

namespace pyjson::detail {

/// Nesting bound of the writer, which recurses once per level.
inline constexpr std::size_t max_write_depth = 10000;

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

class writer {
 public:
  /// `streaming` selects the messages of Python's json.dump (always its pure-Python encoder)
  /// rather than json.dumps (its C encoder, unless an indent is set): they differ in the NaN
  /// error, which the pure-Python encoder ends with the value ("...: nan").
  writer(std::string& out, const dump_options& opt, bool streaming = false)
      : out_(out), opt_(opt), nan_error_with_value_(streaming || opt.indent.has_value()) {
    if (opt.separators) {
      item_sep_ = opt.separators.item();
      key_sep_ = opt.separators.key();
    } else {
      item_sep_ = opt.indent ? "," : ", ";
      key_sep_ = ": ";
    }
  }

  void write(const value& v) { write_value(v); }

  /// Raises what was deferred. Python's dumps returns a str that may hold lone surrogates and
  /// only its encoding to UTF-8 fails, so every other error of dumps (NaN, types) comes first.
  void finish() {
    if (!deferred_error_.empty()) detail::raise(value_error(deferred_error_));
  }

  void write_null() { out_ += "null"; }
  void write_bool(bool b) { out_ += b ? "true" : "false"; }
  template <class Int>
  void write_int(Int n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    out_.append(buf, r.ptr);
  }
  void write_float(double d) {
    if (!std::isfinite(d)) [[unlikely]] {
      if (!opt_.allow_nan)
        detail::raise(value_error(std::string("Out of range float values are not JSON compliant") +
                                  (nan_error_with_value_ ? std::isnan(d) ? ": nan"
                                                           : d > 0       ? ": inf"
                                                                         : ": -inf"
                                                         : "")));
      out_ += std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
      return;
    }
    char buf[32];
    out_.append(buf, format_float(buf, d));
  }

  /// A JSON string literal for the UTF-8 (or WTF-8, for lone surrogates) text s.
  void write_string(std::string_view s) {
    out_ += '"';
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    const bool ascii = opt_.ensure_ascii;
    while (p < end) {
      const auto* run = p;
      while (p < end && string_byte_classes[*p] == 0 && !(ascii && *p == 0x7f)) ++p;
      out_.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
      if (p == end) break;
      if (*p < 0x80) {
        write_escape(*p);
        ++p;
        continue;
      }
      utf8_error err;
      std::size_t n = utf8_sequence(p, end, true, err);
      if (n == 0) [[unlikely]] {
        err.start = static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(s.data()));
        detail::raise(
            value_error("string is not valid UTF-8: " + utf8_error_message(s.data(), err)));
      }
      std::uint32_t cp = decode_utf8(p, n);
      if (ascii) {
        if (cp >= 0x10000) {
          cp -= 0x10000;
          write_u_escape(0xD800 | (cp >> 10));
          write_u_escape(0xDC00 | (cp & 0x3FF));
        } else {
          write_u_escape(cp);
        }
      } else {
        if (cp >= 0xD800 && cp <= 0xDFFF && deferred_error_.empty()) [[unlikely]]
          defer_surrogate_error(cp, p, end);
        out_.append(reinterpret_cast<const char*>(p), n);
      }
      p += n;
    }
    out_ += '"';
  }

  // Containers, as Python's _iterencode_list/_iterencode_dict lay them out. The newline after
  // the opening bracket waits for the first item, so an empty container comes out as [] or {}.
  // item() goes before every element, key() before every member.
  void begin_container(char open) {
    if (++depth_ > max_write_depth) [[unlikely]]
      detail::raise(value_error("maximum recursion depth exceeded while encoding a JSON " +
                                std::string(open == '[' ? "array" : "object")));
    out_ += open;
    first_ = true;
  }
  void item() {
    if (first_) {
      first_ = false;
    } else {
      out_ += item_sep_;
    }
    if (opt_.indent) newline();
  }
  void key(std::string_view k) {
    item();
    write_string(k);
    out_ += key_sep_;
  }
  void end_container(char close) {
    --depth_;
    if (!first_ && opt_.indent) newline();
    out_ += close;
    first_ = false;  // a container is an item of its parent, which has items now
  }
  const dump_options& options() const noexcept { return opt_; }

 private:
  void newline() {
    out_ += '\n';
    for (std::size_t i = 0; i < depth_; ++i) out_ += opt_.indent.text();
  }

  void write_escape(unsigned char c) {
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      default: write_u_escape(c);
    }
  }
  void write_u_escape(std::uint32_t u) {
    static constexpr char hex[] = "0123456789abcdef";
    char buf[6] = {'\\',       'u', hex[(u >> 12) & 15], hex[(u >> 8) & 15], hex[(u >> 4) & 15],
                   hex[u & 15]};
    out_.append(buf, 6);
  }
  // Python's dumps(..., ensure_ascii=False) returns a str with the lone surrogate in it; UTF-8
  // cannot hold it, so we raise what Python's encoder raises when that str is encoded: the
  // first run of consecutive surrogates, by code point position in the whole output.
  void defer_surrogate_error(std::uint32_t cp, const unsigned char* p, const unsigned char* end) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t pos = count_code_points(out_.data(), out_.data() + out_.size());
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

  void write_value(const value& v) {
    using va = value_access;
    switch (va::tag_of(v)) {
      case tag::null: write_null(); break;
      case tag::boolean: write_bool(va::boolean(v)); break;
      case tag::int64: write_int(va::i64(v)); break;
      case tag::uint64: write_int(va::u64(v)); break;
      case tag::big_int: out_ += va::str(v); break;
      case tag::float64: write_float(va::f64(v)); break;
      case tag::short_string:
      case tag::long_string: write_string(va::str(v)); break;
      case tag::array: {
        begin_container('[');
        for (const value& e : v.as_array()) {
          item();
          write_value(e);
        }
        end_container(']');
        break;
      }
      case tag::object: {
        auto members = v.items();
        begin_container('{');
        if (opt_.sort_keys && members.size() > 1) {
          // Python sorts str keys by code point; UTF-8 byte order is the same order.
          std::vector<const member*> sorted;
          sorted.reserve(members.size());
          for (const member& m : members) sorted.push_back(&m);
          std::sort(sorted.begin(), sorted.end(),
                    [](const member* a, const member* b) { return a->key() < b->key(); });
          for (const member* m : sorted) write_member(*m);
        } else {
          for (const member& m : members) write_member(m);
        }
        end_container('}');
        break;
      }
    }
  }
  void write_member(const member& m) {
    key(m.key());
    write_value(m.value());
  }

  std::string& out_;
  const dump_options& opt_;
  std::string item_sep_, key_sep_;
  std::size_t depth_ = 0;
  bool first_ = false;
  bool nan_error_with_value_;
  std::string deferred_error_;
};

}  // namespace pyjson::detail
