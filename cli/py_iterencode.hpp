// pyjson-tool: json.dump(obj, fp) chunk by chunk, as Python 3.11 runs it. json.dump always
// uses the pure-Python encoder (json/encoder.py, _make_iterencode) and calls fp.write() once
// per chunk it yields; a chunk that cannot be encoded (a lone surrogate with ensure_ascii off)
// fails that write alone, so where the error is reported and how much output precedes it
// depend on the exact chunks. pyjson::dumps gives the same text in one piece and is used
// whenever no write can fail; this emulation is the fallback for the rare documents that
// hold lone surrogates.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace pyjson_tool {

/// The C encoder json uses for str with ensure_ascii=False (encode_basestring): '"' and '\\',
/// the five short escapes, \u00XX for other control characters; everything else (DEL and lone
/// surrogates included) unchanged.
inline std::string encode_basestring(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

/// _make_iterencode(...) for pyjson::value, writing each chunk with write(chunk).
template <class Write>
class chunk_encoder {
 public:
  chunk_encoder(const pyjson::dump_options& opt, Write& write) : opt_(opt), write_(write) {
    if (opt.separators) {
      item_separator_ = opt.separators.item();
      key_separator_ = opt.separators.key();
    } else {
      item_separator_ = opt.indent ? "," : ", ";
      key_separator_ = ": ";
    }
  }

  /// _iterencode(o, 0).
  void dump(const pyjson::value& v) {
    if (v.is_array())
      encode_list(v, 0);
    else if (v.is_object())
      encode_dict(v, 0);
    else
      write_(scalar(v));
  }

 private:
  std::string string_chunk(std::string_view s) const {
    if (!opt_.ensure_ascii) return encode_basestring(s);
    return pyjson::dumps(pyjson::value(s), opt_);
  }
  std::string scalar(const pyjson::value& v) const {
    if (v.is_string()) return string_chunk(v.get<std::string_view>());
    return pyjson::dumps(v, opt_);
  }
  std::string newline_indent(std::size_t level) const {
    std::string s = "\n";
    for (std::size_t i = 0; i < level; ++i) s += opt_.indent.text();
    return s;
  }

  void encode_list(const pyjson::value& list, std::size_t level) {
    auto items = list.as_array();
    if (items.empty()) return write_("[]");
    std::string buf = "[";
    std::string separator = item_separator_;
    if (opt_.indent) {
      ++level;
      std::string nl = newline_indent(level);
      separator += nl;
      buf += nl;
    }
    bool first = true;
    for (const pyjson::value& item : items) {
      if (!first) buf = separator;
      first = false;
      if (item.is_array() || item.is_object()) {
        write_(buf);
        if (item.is_array())
          encode_list(item, level);
        else
          encode_dict(item, level);
      } else {
        write_(buf + scalar(item));
      }
    }
    if (opt_.indent) write_(newline_indent(--level));
    write_("]");
  }

  void encode_dict(const pyjson::value& dict, std::size_t level) {
    auto members = dict.items();
    if (members.empty()) return write_("{}");
    write_("{");
    std::string item_separator = item_separator_;
    if (opt_.indent) {
      ++level;
      std::string nl = newline_indent(level);
      item_separator += nl;
      write_(nl);
    }
    std::vector<const pyjson::member*> order;
    for (const pyjson::member& m : members) order.push_back(&m);
    if (opt_.sort_keys)  // sorted(dct.items()): by code point, which is WTF-8 byte order
      std::stable_sort(order.begin(), order.end(),
                       [](const auto* a, const auto* b) { return a->key() < b->key(); });
    bool first = true;
    for (const pyjson::member* m : order) {
      if (!first) write_(item_separator);
      first = false;
      write_(string_chunk(m->key()));
      write_(key_separator_);
      const pyjson::value& value = m->value();
      if (value.is_array())
        encode_list(value, level);
      else if (value.is_object())
        encode_dict(value, level);
      else
        write_(scalar(value));
    }
    if (opt_.indent) write_(newline_indent(--level));
    write_("}");
  }

  const pyjson::dump_options& opt_;
  Write& write_;
  std::string item_separator_, key_separator_;
};

}  // namespace pyjson_tool
