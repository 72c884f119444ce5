// API: dumps / loads / dump / load / raw_decode, the entry points of the pipeline.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "pyjson/detail/builtin_traits.hpp"
#include "pyjson/detail/reader.hpp"
#include "pyjson/detail/writer.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/traits.hpp"
#include "pyjson/value.hpp"

namespace pyjson {

namespace detail {
// The length of a leading UTF-8 byte order mark: skipped, as json.loads(bytes) skips it.
inline std::size_t bom_length(std::string_view text) noexcept {
  return text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

// Python's json.loads on the reader's text: one value with optional whitespace around it,
// nothing else. The value goes to out before the check for extra data, so that in builds
// without exceptions a jump out of that check leaves nothing unowned (see parse_trap).
inline void parse_body(reader& r, value_builder& b, value& out) {
  r.skip_ws();
  out = b.parse();
  r.skip_ws();
  if (!r.at_end()) r.fail("Extra data", r.position());
}

inline value parse_document(std::string_view text, const load_options& opt,
                            bool allow_surrogates = true) {
  std::size_t bom = bom_length(text);
  reader r(text.substr(bom), opt, allow_surrogates, bom);
  value_builder b(r);
  value v;
  parse_body(r, b, v);
  return v;
}

// Typed loads: straight from the text into T through traits<T>, no value in between.
template <class T>
void read_document(std::string_view text, const load_options& opt, T& out) {
  std::size_t bom = bom_length(text);
  std::string_view body = text.substr(bom);
  reader tok(body, opt, true, bom);
  pyjson::reader r(tok);
#if PYJSON_HAS_EXCEPTIONS
  try {
    r.read(out);
  } catch (typed_failure& f) {
    check_syntax(body, opt, bom);
    detail::raise(type_error(with_position("$" + f.path + ": " + f.message, body.data(), f.at)));
  }
#else
  r.read(out);
#endif
  tok.skip_ws();
  if (!tok.at_end()) tok.fail("Extra data", tok.position());
}

template <class T>
void write_document(std::string& out, const T& v, const dump_options& opt, bool streaming) {
  pyjson::writer w(out, opt, streaming);
  w.write(v);
  w.finish();
}
}  // namespace detail

/// Python's json.loads: parses one JSON document (UTF-8) into a value. As json.loads(bytes)
/// does, it skips a UTF-8 byte order mark and accepts surrogates encoded in UTF-8 (kept as
/// lone surrogates).
///
///     pyjson::value v = pyjson::loads(R"({"a": [1, 2.5, null]})");
///
/// Throws decode_error with Python's message and position on invalid input.
///
/// With a type, it reads straight into that type, with no value in between:
///
///     auto numbers = pyjson::loads<std::vector<int>>("[2, 3, 5, 7]");
///     User u = pyjson::loads<User>(R"({"name": "Ada", "age": 36})");
///
/// A value that does not fit T is a type_error naming the JSON path, what was expected and
/// what was found, and where: `$.users[3].age: expected int32, found string: line 1 column 40
/// (char 39)`. T must be default-constructible.
template <class T = value>
T loads(std::string_view text, const load_options& opt = {}) {
  if constexpr (std::is_same_v<T, value>) {
    return detail::parse_document(text, opt);
  } else {
    T out{};
    detail::read_document(text, opt, out);
    return out;
  }
}

/// What try_loads() gives: the parsed value, or the decode_error that loads() would throw.
class load_result {
 public:
  /// A success holding v.
  explicit load_result(pyjson::value v) : value_(std::move(v)) {}
  /// A failure holding e.
  explicit load_result(decode_error e) : error_(std::move(e)) {}

  /// Whether parsing succeeded.
  bool ok() const noexcept { return !error_.has_value(); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// The parsed value; only when ok().
  pyjson::value& value() & noexcept { return value_; }
  /// The parsed value; only when ok().
  const pyjson::value& value() const& noexcept { return value_; }
  /// The parsed value, moved out; only when ok().
  pyjson::value&& value() && noexcept { return std::move(value_); }
  /// The error, with Python's message and position; only when !ok().
  const decode_error& error() const noexcept { return *error_; }

 private:
  pyjson::value value_;
  std::optional<decode_error> error_;
};

namespace detail {
#if !PYJSON_HAS_EXCEPTIONS
// The only function that calls setjmp: its own locals never change after the call, and
// everything that owns memory belongs to its caller (see parse_trap).
[[gnu::noinline]] inline bool parse_trapped(parse_trap& trap, reader& r, value_builder& b,
                                            value& out) {
  trap.previous = parse_trap::active();
  parse_trap::active() = &trap;
  if (setjmp(trap.buf) != 0) return false;  // jump() has restored the previous trap
  parse_body(r, b, out);
  parse_trap::active() = trap.previous;
  return true;
}
#endif
}  // namespace detail

/// loads() that reports invalid input as a value instead of an exception, in every build,
/// including builds without exceptions (-fno-exceptions):
///
///     pyjson::load_result r = pyjson::try_loads(text);
///     if (!r) std::cerr << r.error().what() << "\n";  // Python's message and position
///     else use(r.value());
///
/// Running out of memory is still not reported here (it throws std::bad_alloc, or aborts).
inline load_result try_loads(std::string_view text, const load_options& opt = {}) {
#if PYJSON_HAS_EXCEPTIONS
  try {
    return load_result(detail::parse_document(text, opt));
  } catch (decode_error& e) {
    return load_result(std::move(e));
  }
#else
  std::size_t bom = detail::bom_length(text);
  detail::reader r(text.substr(bom), opt, true, bom);
  detail::value_builder b(r);
  detail::parse_trap trap;
  value v;
  if (!detail::parse_trapped(trap, r, b, v)) return load_result(std::move(*trap.error));
  return load_result(std::move(v));
#endif
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
  if (in.bad()) detail::raise(error("pyjson::load: reading the input stream failed"));
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
///
/// Any mapped C++ type is written directly, e.g. pyjson::dumps(std::map<int, double>{{1, 2.5}})
/// is {"1": 2.5}, as Python writes {1: 2.5}.
template <class T>
std::string dumps(const T& v, const dump_options& opt = {}) {
  std::string out;
  detail::write_document(out, v, opt, false);
  return out;
}

/// Python's json.dump: writes the JSON text of v to a stream. A failing stream is reported
/// with an exception, never ignored.
template <class T>
void dump(const T& v, std::ostream& out, const dump_options& opt = {}) {
  std::string text;
  detail::write_document(text, v, opt, true);
  constexpr std::size_t chunk = 1 << 16;
  for (std::size_t i = 0; i < text.size() && out; i += chunk)
    out.write(text.data() + i, static_cast<std::streamsize>(std::min(chunk, text.size() - i)));
  if (!out) detail::raise(error("pyjson::dump: writing to the output stream failed"));
}

/// A value from any mapped C++ object: to_value(user) is the object loads() would give for
/// dumps(user).
template <class T>
value to_value(const T& v) {
  return loads(dumps(v));
}

namespace detail {
template <class T>
T value_to(const value& v) {
  return loads<T>(dumps(v));
}
}  // namespace detail

/// Writes dumps(v) with Python's defaults.
inline std::ostream& operator<<(std::ostream& os, const value& v) { return os << dumps(v); }

}  // namespace pyjson
