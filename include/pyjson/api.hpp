// API: dumps / loads / dump / load / raw_decode, the entry points of the pipeline.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <istream>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "pyjson/detail/reader.hpp"
#include "pyjson/detail/writer.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"

namespace pyjson {

namespace detail {
// Python's json.loads: one value with optional whitespace around it, nothing else.
// A leading UTF-8 byte order mark is skipped, as json.loads(bytes) skips it.
inline value parse_document(std::string_view text, const load_options& opt,
                            bool allow_surrogates = true) {
  std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  reader r(text.substr(bom), opt, allow_surrogates, bom);
  r.skip_ws();
  value_builder b(r);
  value v = b.parse();
  r.skip_ws();
  if (!r.at_end()) r.fail("Extra data", r.position());
  return v;
}
}  // namespace detail

/// Python's json.loads: parses one JSON document (UTF-8) into a value. As json.loads(bytes)
/// does, it skips a UTF-8 byte order mark and accepts surrogates encoded in UTF-8 (kept as
/// lone surrogates).
///
///     pyjson::value v = pyjson::loads(R"({"a": [1, 2.5, null]})");
///
/// Throws decode_error with Python's message and position on invalid input.
template <class T = value>
T loads(std::string_view text, const load_options& opt = {}) {
  static_assert(std::is_same_v<T, value>, "loads<T>: only pyjson::value is supported yet");
  return detail::parse_document(text, opt);
}

/// Python's json.load: reads the whole stream, then parses it as loads() does. A stream that
/// fails while reading is an error, never a silently shorter document.
template <class T = value>
T load(std::istream& in, const load_options& opt = {}) {
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (in.eof()) break;
  }
  if (in.bad()) throw error("pyjson::load: reading the input stream failed");
  return loads<T>(text, opt);
}

/// Python's JSONDecoder.raw_decode: parses one value at the start of `text` (no leading
/// whitespace allowed, as in Python) and returns it with the offset just past it, so text
/// after the value can be parsed next. The offset counts bytes; Python's counts characters,
/// which is the same number for ASCII text.
inline std::pair<value, std::size_t> raw_decode(std::string_view text,
                                                const load_options& opt = {}) {
  detail::reader r(text, opt);
  detail::value_builder b(r);
  value v = b.parse();
  return {std::move(v), static_cast<std::size_t>(r.position() - r.begin())};
}

/// Python's json.dumps: the JSON text of v, byte for byte what Python writes.
///
///     pyjson::dumps(v)                                   // {"a": [1, 2.5, null]}
///     pyjson::dumps(v, {.indent = 4, .sort_keys = true})
///     pyjson::dumps(v, {.ensure_ascii = false, .separators = {{",", ":"}}})
template <class T>
std::string dumps(const T& v, const dump_options& opt = {}) {
  static_assert(std::is_same_v<T, value>, "dumps<T>: only pyjson::value is supported yet");
  std::string out;
  detail::writer w(out, opt);
  w.write(v);
  w.finish();
  return out;
}

/// Python's json.dump: writes the JSON text of v to a stream. A failing stream is reported
/// with an exception, never ignored.
template <class T>
void dump(const T& v, std::ostream& out, const dump_options& opt = {}) {
  std::string text;
  detail::writer w(text, opt, true);
  w.write(v);
  w.finish();
  constexpr std::size_t chunk = 1 << 16;
  for (std::size_t i = 0; i < text.size() && out; i += chunk)
    out.write(text.data() + i, static_cast<std::streamsize>(std::min(chunk, text.size() - i)));
  if (!out) throw error("pyjson::dump: writing to the output stream failed");
}

/// Writes dumps(v) with Python's defaults.
inline std::ostream& operator<<(std::ostream& os, const value& v) { return os << dumps(v); }

}  // namespace pyjson
