// Traits: pyjson::traits<T>, the one place where a C++ type meets JSON, for both directions;
// the typed writer and reader that traits work with; and the diagnostic for unmapped types.
// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "pyjson/detail/number.hpp"
#include "pyjson/detail/reader.hpp"
#include "pyjson/detail/reflect.hpp"
#include "pyjson/detail/writer.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"

namespace pyjson {

class writer;
class reader;

/// The customization point: how T is written as JSON and read back. The primary template
/// holds the built-in mappings (see the README's type mapping table). Specialize it for your
/// own types in one of three ways:
///
///     // 1. A list of fields, for any class (private members need a friend declaration):
///     template <> struct pyjson::traits<point> {
///       static constexpr auto fields = pyjson::fields("x", &point::x, "y", &point::y);
///     };
///     // 2. An aggregate with a field renamed or skipped:
///     template <> struct pyjson::traits<user> {
///       static constexpr auto fields = pyjson::aggregate_fields<user>().rename("zip_code", "zip");
///     };
///     // 3. Full control, both directions:
///     template <> struct pyjson::traits<celsius> {
///       static void write(pyjson::writer& w, const celsius& c) { w.write(c.degrees); }
///       static void read(pyjson::reader& r, celsius& c) { r.read(c.degrees); }
///     };
///
/// and, for an enum written as its enumerator names instead of its value:
///
///     template <> struct pyjson::traits<color> { static constexpr bool enum_as_string = true; };
template <class T>
struct traits {};

namespace detail {

// A type mismatch found while reading: unwinds to loads<T>, which adds the position and turns
// it into pyjson::type_error. Each container on the way prepends its part of the path.
struct typed_failure {
  std::string path;     // "$" is prepended at the top: ".addresses[0].zip"
  std::string message;  // "expected int32, found string"
  const char* at;       // where in the text
  bool at_key = false;  // about a member's key: the path stops at its object
};

template <class T>
void write_any(pyjson::writer& w, const T& v);
template <class T>
void read_any(pyjson::reader& r, T& v);
template <class Fields, class T>
void read_fields(pyjson::reader& r, const Fields& f, T& obj);
template <const auto& F, class T, std::size_t I>
void write_field(pyjson::writer& w, const T& obj, std::integral_constant<std::size_t, I>);
template <class T>
void read_sequence(pyjson::reader& r, T& out);
template <class T>
void read_buffered_vector(pyjson::reader& r, T& out);

// The first line of the error for a type without a mapping names the type: this template is
// declared and never defined (fmt's type_is_unformattable_for idea).
template <class T>
struct type_has_no_json_mapping;

template <class T>
constexpr std::string_view type_name_of() {
  std::string_view s = __PRETTY_FUNCTION__;
#if defined(__clang__)
  std::size_t b = s.find("T = ") + 4, e = s.rfind(']');
#else
  std::size_t b = s.find("T = ") + 4, e = s.find(';', b);
  if (e == std::string_view::npos) e = s.rfind(']');
#endif
  return s.substr(b, e - b);
}

// A key written as an object key: JSON paths use .name when it is an identifier, else ["key"].
inline std::string path_segment(std::string_view key) {
  bool ident = !key.empty() && !is_digit(key[0]);
  for (char c : key) ident = ident && is_ident(c);
  if (ident) return "." + std::string(key);
  std::string out = "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

}  // namespace detail

/// The typed writer that traits<T>::write receives. It appends to one buffer with every
/// dump_options field honoured (indent, separators, ensure_ascii, allow_nan, sort_keys).
///
///     static void write(pyjson::writer& w, const point& p) {
///       w.begin_object();
///       w.member("x", p.x);
///       w.member("y", p.y);
///       w.end_object();
///     }
class writer {
 public:
  /// Appends to `out` with these options; `streaming` selects json.dump's error texts.
  writer(std::string& out, const dump_options& opt, bool streaming = false)
      : impl_(out, opt, streaming) {}

  /// Any mapped value (goes through traits<T>).
  template <class T>
  void write(const T& v) {
    detail::write_any(*this, v);
  }
  /// null
  void write_null() { impl_.write_null(); }
  /// true or false
  void write_bool(bool b) { impl_.write_bool(b); }
  /// An integer, in decimal.
  template <std::integral I>
  void write_int(I n) {
    impl_.write_int(n);
  }
  /// A float as Python's repr (NaN and infinities as allow_nan says).
  void write_float(double d) { impl_.write_float(d); }
  /// A string (UTF-8), escaped as the options say.
  void write_string(std::string_view s) { impl_.write_string(s); }
  /// A pyjson::value, as dumps(v) writes it.
  void write_value(const value& v) { impl_.write(v); }

  /// Opens an array; element() or item() + write() for each element, then end_array().
  void begin_array() { impl_.begin_container('['); }
  /// One element of an array: item() then write(v).
  template <class T>
  void element(const T& v) {
    impl_.item();
    write(v);
  }
  /// Announces the next element of an array, for elements written piece by piece.
  void item() { impl_.item(); }
  /// Closes the array opened last.
  void end_array() { impl_.end_container(']'); }

  /// Opens an object; member() or key() + write() for each member, then end_object().
  void begin_object() { impl_.begin_container('{'); }
  /// One member of an object: key(k) then write(v).
  template <class T>
  void member(std::string_view k, const T& v) {
    impl_.key(k);
    write(v);
  }
  /// Writes the key of the next member; its value follows with write().
  void key(std::string_view k) { impl_.key(k); }
  /// Closes the object opened last.
  void end_object() { impl_.end_container('}'); }

  /// The options of this dumps/dump call.
  const dump_options& options() const noexcept { return impl_.options(); }
  /// Raises errors that Python raises only once the text is complete (see detail::writer).
  void finish() { impl_.finish(); }

 private:
  template <const auto& F, class T, std::size_t I>
  friend void detail::write_field(writer& w, const T& obj, std::integral_constant<std::size_t, I>);

  // member() for a key that needs no escape (see detail::plain_key): field lists know that of
  // each name.
  template <class T>
  void plain_member(std::string_view k, const T& v) {
    impl_.plain_key(k);
    write(v);
  }
  // member() for a plain name with its quoted copy (see detail::quoted_names): n bytes of it.
  template <class T>
  void quoted_member(const char* quoted, std::size_t n, const T& v) {
    impl_.quoted_key(quoted, n);
    write(v);
  }

  detail::writer impl_;
};

/// The typed reader that traits<T>::read receives: pulls values from the text, straight into
/// C++ objects, with Python's syntax errors and type errors that name the JSON path.
///
///     static void read(pyjson::reader& r, point& p) {
///       r.read_object([&](std::string_view key) {
///         if (key == "x") r.read(p.x);
///         else if (key == "y") r.read(p.y);
///         else r.skip();
///       });
///     }
class reader {
 public:
  /// Reads with this tokenizer (loads<T> makes one over the text).
  explicit reader(detail::reader& tok) : tok_(tok), builder_(tok) {}
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  /// Any mapped value (goes through traits<T>).
  template <class T>
  void read(T& out) {
    detail::read_any(*this, out);
  }

  /// The kind of the next value, without consuming it.
  pyjson::kind peek() {
    const char* p = start();
    switch (*p) {
      case 'n': return pyjson::kind::null;
      case 't':
      case 'f': return pyjson::kind::boolean;
      case '"': return pyjson::kind::string;
      case '[': return pyjson::kind::array;
      case '{': return pyjson::kind::object;
      case 'N':
      case 'I': return pyjson::kind::floating;
      default: {
        if (tok_.match("-Infinity")) return pyjson::kind::floating;
        detail::number_scan n = detail::scan_number(p, tok_.end());
        if (n.end == p) tok_.fail("Expecting value", p);
        return n.is_integer ? pyjson::kind::integer : pyjson::kind::floating;
      }
    }
  }

  /// null, else a type error.
  void read_null() {
    const char* p = start();
    if (!tok_.match("null")) mismatch("null", p);
    tok_.advance(4);
  }
  /// true or false, else a type error.
  bool read_bool() {
    const char* p = start();
    if (tok_.match("true")) {
      tok_.advance(4);
      return true;
    }
    if (tok_.match("false")) {
      tok_.advance(5);
      return false;
    }
    mismatch("bool", p);
  }

  /// An integer into I, range checked: 300 into int8_t is a type_error, never a wrap.
  template <std::integral I>
  I read_int() {
    const char* p = start();
    detail::parsed_number quick = detail::read_number(p, tok_.end());
    if (quick.k == detail::parsed_number::kind::int64 && std::in_range<I>(quick.i)) {
      tok_.set_position(quick.end);
      return static_cast<I>(quick.i);
    }
    // 2^63 to 2^64 - 1 (hashes, ids): read_number has its bits already.
    if (quick.k == detail::parsed_number::kind::uint64 &&
        std::in_range<I>(static_cast<std::uint64_t>(quick.i))) {
      tok_.set_position(quick.end);
      return static_cast<I>(static_cast<std::uint64_t>(quick.i));
    }
    detail::number_scan n = detail::scan_number(p, tok_.end());
    if (n.end == p || !n.is_integer) mismatch(int_name<I>(), p);
    bool is_unsigned;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    bool fits = detail::parse_int64(p, n.end, is_unsigned, i, u);
    if (!fits || (is_unsigned ? !std::in_range<I>(u) : !std::in_range<I>(i)))
      mismatch(int_name<I>(), p);
    tok_.set_position(n.end);
    return is_unsigned ? static_cast<I>(u) : static_cast<I>(i);
  }

  /// A number (integer or float, or NaN/Infinity when allowed) as a double, exactly rounded.
  double read_float() {
    const char* p = start();
    detail::parsed_number quick = detail::read_number(p, tok_.end());
    if (quick.k == detail::parsed_number::kind::float64) {
      tok_.set_position(quick.end);
      return quick.d;
    }
    if (quick.k == detail::parsed_number::kind::int64) {
      tok_.set_position(quick.end);
      return static_cast<double>(quick.i);  // an int64: the conversion rounds correctly
    }
    if (quick.k == detail::parsed_number::kind::uint64) {
      tok_.set_position(quick.end);
      return static_cast<double>(static_cast<std::uint64_t>(quick.i));  // rounds correctly too
    }
    // NaN, Infinity and -Infinity are not numbers to read_number (kind none): they are looked
    // for only then, not before every number.
    if (quick.k == detail::parsed_number::kind::none && tok_.options().allow_nan) {
      if (tok_.match("NaN")) return tok_.advance(3), std::numeric_limits<double>::quiet_NaN();
      if (tok_.match("Infinity")) return tok_.advance(8), std::numeric_limits<double>::infinity();
      if (tok_.match("-Infinity")) return tok_.advance(9), -std::numeric_limits<double>::infinity();
    }
    detail::number_scan n = detail::scan_number(p, tok_.end());
    if (n.end == p) mismatch("float", p);
    double d = detail::parse_float(p, n.end);
    // An integer literal is Python's int, and float(int) refuses what no double holds rather
    // than give infinity (pyjson::value::get<double> says the same).
    if (n.is_integer && std::isinf(d)) fail_at("int too large to convert to float", p);
    tok_.set_position(n.end);
    return d;
  }

  /// A string. The view is valid until the next read.
  std::string_view read_string() {
    const char* p = start();
    if (*p != '"') mismatch("string", p);
    return tok_.read_string_quick(scratch_);
  }

  /// An array: calls each() once per element; each() must read (or skip) the element.
  template <class F>
  void read_array(F&& each) {
    open_container('[', "array");
    depth_guard guard{depth_};  // a type error unwinding through here gives the level back
    std::size_t index = 0;
    if (!tok_.at_end() && *tok_.position() == ']') {
      tok_.advance(1);
    } else {
      for (;; ++index) {
#if PYJSON_HAS_EXCEPTIONS
        try {
          each();
        } catch (detail::typed_failure& f) {
          f.path.insert(0, "[" + std::to_string(index) + "]");
          throw;
        }
#else
        each();
#endif
        if (tok_.next_is(',', depth_ - 1)) {  // at the closing bracket's level
          tok_.skip_separator(depth_);
          continue;
        }
        const char* q = tok_.position();
        if (q != tok_.end() && *q == ']') {
          tok_.advance(1);
          break;
        }
        tok_.fail("Expecting ',' delimiter", q);
      }
    }
  }

  /// An object: calls each(key) once per member; each() must read (or skip) the value. The key
  /// is valid until the value is read. Returns where the closing brace was.
  template <class F>
  const char* read_object(F&& each) {
    return read_members([](const char*, const char*) { return std::string_view(); }, each);
  }

  /// Checks the next value and moves past it without building anything.
  void skip() {
    // A string, what a struct most often leaves out, is checked here as the builder would
    // check it, and numbers and literals by the builder's scalar reader: neither goes through
    // the builder's loop, which only containers need.
    const char c = *start();
    if (c == '"') {
      tok_.read_string_quick<false>(skip_scratch_);  // checked, not kept
      return;
    }
    if (c != '[' && c != '{') {
      builder_.skip_scalar();
      return;
    }
    builder_.skip_at(depth_);
  }

  /// The next value as a pyjson::value.
  value read_value() {
    start();
    return builder_.parse_at(depth_);
  }

  /// Raises a type error at the next value: "expected <expected>, found <what is there>".
  [[noreturn]] void fail(std::string_view expected) { mismatch(expected, start()); }
  /// Raises a type error with this message at `at` (a position in the text).
  [[noreturn]] void fail_at(std::string message, const char* at) {
    typed_fail(std::move(message), at, false);
  }
  /// Raises a type error about the key of the member being read (the path names its object).
  [[noreturn]] void fail_at_key(std::string message) {
    typed_fail(std::move(message), key_at_, true);
  }

  /// The options of this loads call.
  const load_options& options() const noexcept { return tok_.options(); }
  /// Where the next read starts (after whitespace); a position to give back to rewind().
  [[gnu::always_inline]] const char* position() { return start(); }
  /// Goes back to a position taken from position(): a failed attempt can be retried.
  void rewind(const char* p) noexcept { tok_.set_position(p); }
  /// Called when an attempt that started at `from` failed at `failed_at` and another is about
  /// to start from `from` again (as variants do): says whether that is still allowed.
  /// Alternatives that fail deep inside other alternatives would read the text again an
  /// exponential number of times; the text read in vain is counted and bounded by 16 times the
  /// document plus 1 MiB, which keeps any input linear. Once refused, always refused.
  bool may_retry(const char* from, const char* failed_at) noexcept {
    const char* reached = std::max(failed_at, tok_.position());
    if (reached > from) retried_ += static_cast<std::size_t>(reached - from);
    std::size_t size = static_cast<std::size_t>(tok_.end() - tok_.begin());
    if (retried_ > 16 * size + (std::size_t(1) << 20)) retry_refused_ = true;
    return !retry_refused_;
  }
  /// Whether may_retry has refused once already.
  bool retry_refused() const noexcept { return retry_refused_; }

  /// Where the key of the member being read starts.
  const char* key_position() const noexcept { return key_at_; }

  /// "found ..." for the value at p: its JSON type, with the literal for numbers.
  std::string describe(const char* p) {
    switch (*p) {
      case 'n': return "null";
      case 't':
      case 'f': return "bool";
      case '"': return "string";
      case '[': return "array";
      case '{': return "object";
      case 'N':
      case 'I': return "float";
      default: {
        detail::number_scan n = detail::scan_number(p, tok_.end());
        std::string_view text(p, static_cast<std::size_t>(n.end - p));
        if (text.size() > 40) text = text.substr(0, 40);
        std::string s = (n.is_integer ? "int " : "float ") + std::string(text);
        if (static_cast<std::size_t>(n.end - p) > 40) s += "...";
        return s;
      }
    }
  }

 private:
  template <class Fields, class T>
  friend void detail::read_fields(reader& r, const Fields& f, T& obj);
  template <class T>
  friend void detail::read_sequence(reader& r, T& out);
  template <class T>
  friend void detail::read_buffered_vector(reader& r, T& out);

  // The quick paths of numbers: read_doubles and read_number_array. The position stays in a
  // local, and whitespace is looked for only where a byte that can be no token's first (<= ' ')
  // says there is some: compact text (canada.json's) passes each gap with one compare, where
  // skip_ws and skip_separator took several and went through the tokenizer's position in
  // memory. One space, as after Python's ", ", is passed at once; anything else goes through
  // skip_ws, at the level of the token after it (see reader::skip_ws).
  [[gnu::always_inline]] void number_gap(const char*& p, std::size_t level) {
    if (p != tok_.end() && static_cast<unsigned char>(*p) <= ' ') p = skip_number_gap(p, level);
  }
  const char* skip_number_gap(const char* p, std::size_t level) {
    if (*p == ' ' && tok_.end() - p > 1 && static_cast<unsigned char>(p[1]) > ' ') return p + 1;
    tok_.set_position(p);
    tok_.skip_ws(level);
    return tok_.position();
  }
  // A number at p into out, as read_float reads it, and p past it; false for anything else
  // (NaN, Infinity and integers beyond 2^64 too), which the general path then reads.
  [[gnu::always_inline]] bool quick_double(const char*& p, double& out) {
    using kind = detail::parsed_number::kind;
    detail::parsed_number x = detail::read_number<true>(p, tok_.end());
    if (x.k == kind::float64)
      out = x.d;
    else if (x.k == kind::int64)
      out = static_cast<double>(x.i);       // the conversion rounds correctly
    else if (x.k == kind::slow_float)       // more than 19 digits, rare, but one would send a whole
      out = detail::parse_float(p, x.end);  // array of them to the general path
    else if (x.k == kind::uint64)
      out = static_cast<double>(static_cast<std::uint64_t>(x.i));
    else
      return false;
    p = x.end;
    return true;
  }
  // n numbers and the closing bracket, from just after the opening one at p; `inner` is the
  // level of the numbers. False as soon as anything else is there.
  [[gnu::always_inline]] bool quick_row(const char*& p, double* out, std::size_t n,
                                        std::size_t inner) {
    for (std::size_t i = 0;;) {
      number_gap(p, inner);
      if (!quick_double(p, out[i])) return false;
      number_gap(p, inner - 1);  // before the closing bracket, if any whitespace
      if (p == tok_.end()) return false;
      if (++i == n) {
        if (*p != ']') return false;
        ++p;
        return true;
      }
      if (*p != ',') return false;
      ++p;
    }
  }

  // The quick path of std::array<double, n> and double[n] that are not in a vector (see
  // read_number_array for those): '[', n numbers, ']'. The general path goes through
  // read_array's callback, read_fixed's count and a call of read_float for each element,
  // about 180 instructions of overhead per pair. Any other text (another count, another kind
  // of element, anything wrong) returns false with the position back where it was: the
  // general path then reads the array from its start, and reports what it finds as ever.
  // Levels as in read_array, which raises depth_ first.
  bool read_doubles(double* out, std::size_t n) {
    const char* at = start();
    if (*at != '[' || n == 0 || depth_ + 1 > tok_.options().max_depth) return false;
    const char* p = at + 1;
    if (!quick_row(p, out, n, depth_ + 1)) {
      tok_.set_position(at);
      return false;
    }
    tok_.set_position(p);
    return true;
  }

  // The quick path of a std::vector of doubles (rows = false) or of std::array<double, n>
  // (rows = true: canada.json's rings of coordinate pairs): the whole array in one loop, where
  // the general path takes read_array's steps and a call of read_doubles for each element.
  // element() gives where the next element's n doubles go. Any other text returns false with
  // the position back at the array: the caller then forgets the elements it was given and
  // reads the array again by the general path, which reports what it finds as ever.
  template <std::size_t n, bool rows, class Element>
  bool read_number_array(Element&& element) {
    const char* at = start();
    if (*at != '[' || depth_ + (rows ? 2 : 1) > tok_.options().max_depth) return false;
    const char* p = at + 1;
    const char* const end = tok_.end();
    const std::size_t level = depth_;  // of the array itself
    number_gap(p, level + 1);
    if (p != end && *p == ']') {
      tok_.set_position(p + 1);
      return true;
    }
    for (;;) {
      double* out = element();
      if constexpr (rows) {
        if (p == end || *p != '[') break;
        ++p;
        if (!quick_row(p, out, n, level + 2)) break;
      } else {
        if (!quick_double(p, *out)) break;
      }
      number_gap(p, level);  // before the closing bracket, if any whitespace
      if (p == end) break;
      if (*p == ',') {
        ++p;
        number_gap(p, level + 1);
        continue;
      }
      if (*p == ']') {
        tok_.set_position(p + 1);
        return true;
      }
      break;
    }
    tok_.set_position(at);
    return false;
  }

  // read_object() with a guess at each key: guess(at, end), called with the byte after the
  // key's opening quote, may return a name whose bytes are there, followed by the closing
  // quote, and that needs no escape in JSON (printable ASCII but '"' and '\\'). The key is then
  // that name, and its text is not scanned again. A view without data is no guess.
  template <class Guess, class F>
  const char* read_members(Guess&& guess, F&& each) {
    open_container('{', "object");
    depth_guard guard{depth_};  // a type error unwinding through here gives the level back
    const char* close = tok_.position();
    if (!tok_.at_end() && *close == '}') {
      tok_.advance(1);
      return close;
    }
    for (;;) {
      const char* q = tok_.position();
      if (q == tok_.end() || *q != '"')
        tok_.fail("Expecting property name enclosed in double quotes", q);
      key_at_ = q;
      std::string_view key = guess(q + 1, tok_.end());
      std::string owned;  // an escaped key lives in the scratch buffer: keep it for the path
      if (key.data() != nullptr) {
        tok_.set_position(q + 2 + key.size());
      } else {
        key = tok_.read_string_quick(key_scratch_);
        if (key.data() == key_scratch_.data()) {
          owned = key;
          key = owned;
        }
      }
      if (!tok_.next_is(':')) tok_.fail("Expecting ':' delimiter", tok_.position());
      tok_.skip_separator();
#if PYJSON_HAS_EXCEPTIONS
      try {
        each(key);
      } catch (detail::typed_failure& f) {
        if (!f.at_key) f.path.insert(0, detail::path_segment(key));
        f.at_key = false;
        throw;
      }
#else
      each(key);
#endif
      if (tok_.next_is(',', depth_ - 1)) {  // at the closing brace's level
        tok_.skip_separator(depth_);
        continue;
      }
      const char* d = tok_.position();
      if (d != tok_.end() && *d == '}') {
        tok_.advance(1);
        return d;
      }
      tok_.fail("Expecting ',' delimiter", d);
    }
  }

  // Skips whitespace and returns the start of the next value; decode_error when there is none.
  // Before every typed value: forced inline as skip_ws is.
  [[gnu::always_inline]] const char* start() {
    tok_.skip_ws(depth_);  // an array's element, or the top-level value (depth 0)
    if (tok_.at_end()) tok_.fail("Expecting value", tok_.position());
    return tok_.position();
  }
  // Moves into the array or object at the next value (a type error for anything else), one
  // level deeper; the caller then holds a depth_guard for that level.
  // Forced inline as start() is: it comes before every array and object.
  [[gnu::always_inline]] void open_container(char bracket, std::string_view expected) {
    const char* p = start();
    if (*p != bracket) mismatch(expected, p);
    if (++depth_ > tok_.options().max_depth) [[unlikely]]
      tok_.fail_depth(p);
    tok_.advance(1);
    tok_.skip_ws(depth_);
  }
  [[noreturn]] void mismatch(std::string_view expected, const char* p) {
    // A value that is not even JSON is a syntax error, reported as Python reports it.
    char c = *p;
    bool starts_value = c == 'n' || c == 't' || c == 'f' || c == '"' || c == '[' || c == '{' ||
                        c == 'N' || c == 'I' || c == '-' || detail::is_digit(c);
    if (!starts_value) tok_.fail("Expecting value", p);
    typed_fail("expected " + std::string(expected) + ", found " + describe(p), p, false);
  }
  // A type error: thrown as typed_failure, to which each enclosing array and object adds its
  // path segment on the way out. Without exceptions there is no way out: the text is first
  // checked for syntax errors (which Python reports first), then the type error, without its
  // path, goes to the error handler.
  [[noreturn]] void typed_fail(std::string message, const char* at, [[maybe_unused]] bool at_key) {
#if PYJSON_HAS_EXCEPTIONS
    throw detail::typed_failure{"", std::move(message), at, at_key};
#else
    std::string_view whole(tok_.begin(), static_cast<std::size_t>(tok_.end() - tok_.begin()));
    detail::check_syntax(whole, tok_.options(), tok_.byte_base());
    detail::raise(type_error(detail::with_position(message, tok_.begin(), at)));
#endif
  }
  template <class I>
  static std::string int_name() {
    return (std::is_signed_v<I> ? "int" : "uint") + std::to_string(sizeof(I) * 8);
  }

  struct depth_guard {
    std::size_t& depth;
    ~depth_guard() { --depth; }
  };

  detail::reader& tok_;
  std::string scratch_, key_scratch_, skip_scratch_;
  std::size_t depth_ = 0;
  std::size_t retried_ = 0;  // text read again by retried attempts (see may_retry)
  bool retry_refused_ = false;
  detail::value_builder builder_;  // for skip() and read_value(): its buffers are kept
  const char* key_at_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Field lists: the declarative form of traits<T>.

namespace detail {

template <class Class, class M>
constexpr Class class_of(M Class::*);

template <std::size_t N>
constexpr std::array<bool, N> plain_keys(const std::array<std::string_view, N>& names) {
  std::array<bool, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = plain_key(names[i]);
  return out;
}

constexpr std::array<char, quoted_width> quoted_name(std::string_view k) {
  std::array<char, quoted_width> out{};
  if (k.size() + 2 > out.size()) return out;
  out[0] = '"';
  for (std::size_t i = 0; i < k.size(); ++i) out[i + 1] = k[i];
  out[k.size() + 1] = '"';
  return out;
}
// Each plain name between its quotes, padded with zeros to 32 bytes (names of up to 30 bytes;
// longer ones stay empty): typed dumps copy it with one copy of fixed size, with no branch
// on its length (see writer::quoted_key).
template <std::size_t N>
constexpr std::array<std::array<char, quoted_width>, N> quoted_names(
    const std::array<std::string_view, N>& names) {
  std::array<std::array<char, quoted_width>, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = quoted_name(names[i]);
  return out;
}

// A key's signature: its length (255 for 255 and more), its first and last byte, and a bit that
// only skipped fields lack (their signature is 0). Typed reading compares a key in full only
// with the names that have its signature: one 32-bit compare per field rules out the others,
// where a string compare would first load each name from wherever it is stored.
constexpr std::uint32_t key_signature(std::string_view k) noexcept {
  if (k.empty()) return 1u << 24;
  auto first = static_cast<unsigned char>(k.front());
  auto last = static_cast<unsigned char>(k.back());
  auto length = static_cast<std::uint32_t>(k.size() < 255 ? k.size() : 255);
  return 1u << 24 | std::uint32_t{last} << 16 | std::uint32_t{first} << 8 | length;
}
template <std::size_t N>
constexpr std::array<std::uint32_t, N> key_signatures(
    const std::array<std::string_view, N>& names) {
  std::array<std::uint32_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = key_signature(names[i]);
  return out;
}

// Finds the field of a key's signature with one multiply and one load: the slot of signature
// s is the top bits of s * multiplier, and holds the field's index + 1 (0: no field). A typed
// object such as twitter.json's user has 18 fields and some 22 keys that are none of them;
// each such key was compared with every field's signature. The multiplier is searched for at
// compile time, among odd numbers, until every field has a slot of its own in a table of at
// least four slots per field. When two fields share a signature, or no multiplier is found in
// 1024 tries (very many fields), multiplier stays 0 and fields are searched one by one.
template <std::size_t N>
struct signature_table {
  static constexpr int bits = N <= 4 ? 4 : std::bit_width(4 * N - 1);
  static constexpr bool usable = N <= 254;  // indexes + 1 fit in a byte
  std::uint32_t multiplier = 0;
  std::array<std::uint8_t, std::size_t{1} << bits> slot{};

  constexpr std::size_t slot_of(std::uint32_t signature) const noexcept {
    return (signature * multiplier) >> (32 - bits);
  }
};
template <std::size_t N>
constexpr signature_table<N> make_signature_table(const std::array<std::uint32_t, N>& signature) {
  signature_table<N> table;
  if constexpr (signature_table<N>::usable) {
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (signature[i] != 0 && signature[i] == signature[j]) return {};  // no slot each
    std::uint32_t candidate = 0x9E3779B1u;
    for (int attempt = 0; attempt < 1024; ++attempt) {
      candidate = candidate * 0x2C9277B5u + 0xAC564B05u;  // candidates from an LCG, made odd
      table.multiplier = candidate | 1u;
      table.slot = {};
      bool distinct = true;
      for (std::size_t i = 0; i < N && distinct; ++i) {
        if (signature[i] == 0) continue;  // a skipped field: no key finds it
        auto& entry = table.slot[table.slot_of(signature[i])];
        distinct = entry == 0;
        entry = static_cast<std::uint8_t>(i + 1);
      }
      if (distinct) return table;
    }
  }
  return signature_table<N>{};
}

// Fields named by member pointers: fields("x", &point::x, "y", &point::y).
template <class Class, class... Members>
struct member_fields {
  static constexpr std::size_t size = sizeof...(Members);
  std::array<std::string_view, size> names;
  std::tuple<Members...> members;
  std::array<bool, size> skipped{};
  std::array<bool, size> plain = plain_keys(names);
  std::array<std::array<char, quoted_width>, size> quoted = quoted_names(names);
  std::array<std::uint32_t, size> signature = key_signatures(names);
  signature_table<size> table = make_signature_table(signature);

  template <std::size_t I, class T>
  static constexpr auto& get(const member_fields& self, T& obj) {
    return obj.*std::get<I>(self.members);
  }
};

// The fields of an aggregate, named from the declaration, with renames and skips applied.
template <class T>
struct aggregate_field_list {
  static constexpr std::size_t size = field_count<T>;
  std::array<std::string_view, size> names = field_names<T>;
  std::array<bool, size> skipped{};
  std::array<bool, size> plain = plain_keys(names);
  std::array<std::array<char, quoted_width>, size> quoted = quoted_names(names);
  std::array<std::uint32_t, size> signature = key_signatures(names);
  signature_table<size> table = make_signature_table(signature);

  template <std::size_t I, class U>
  static constexpr auto& get(const aggregate_field_list&, U& obj) {
    return std::get<I>(tie_fields(obj));
  }

  /// The JSON key of field `from` becomes `to`.
  consteval aggregate_field_list rename(std::string_view from, std::string_view to) const {
    aggregate_field_list out = *this;
    out.names[index_of(from)] = to;
    out.plain[index_of(from)] = plain_key(to);
    out.quoted[index_of(from)] = quoted_name(to);
    if (!out.skipped[index_of(from)]) out.signature[index_of(from)] = key_signature(to);
    out.table = make_signature_table(out.signature);
    return out;
  }
  /// Field `name` is neither written nor read.
  consteval aggregate_field_list skip(std::string_view name) const {
    aggregate_field_list out = *this;
    out.skipped[index_of(name)] = true;
    out.signature[index_of(name)] = 0;  // matches no key
    out.table = make_signature_table(out.signature);
    return out;
  }

 private:
  // Not constexpr, so a call in index_of stops compilation with this name in the message.
  static void no_field_of_that_name_in_this_aggregate() {}
  consteval std::size_t index_of(std::string_view name) const {
    for (std::size_t i = 0; i < size; ++i)
      if (field_names<T>[i] == name) return i;
    no_field_of_that_name_in_this_aggregate();  // not constexpr: a compile-time error
    return size;
  }
};

// The fields of an aggregate without a field list of its own, made once at compile time (a
// temporary would copy the names and check them again on every read).
template <class T>
inline constexpr aggregate_field_list<T> default_fields{};

template <class... Args, std::size_t... I>
constexpr auto make_member_fields(std::tuple<Args...> args, std::index_sequence<I...>) {
  using first_member = std::tuple_element_t<1, std::tuple<Args...>>;
  using cls = decltype(class_of(std::declval<first_member>()));
  using result = member_fields<cls, std::tuple_element_t<2 * I + 1, std::tuple<Args...>>...>;
  return result{{std::string_view(std::get<2 * I>(args))...}, {std::get<2 * I + 1>(args)...}, {}};
}

}  // namespace detail

/// Declares the JSON fields of a class: key, member pointer, key, member pointer, ...
///
///     static constexpr auto fields = pyjson::fields("x", &point::x, "y", &point::y);
template <class... Args>
constexpr auto fields(Args... args) {
  static_assert(sizeof...(Args) % 2 == 0 && sizeof...(Args) > 0,
                "pyjson::fields takes pairs: \"key\", &type::member, ...");
  return detail::make_member_fields(std::tuple<Args...>(args...),
                                    std::make_index_sequence<sizeof...(Args) / 2>{});
}

/// The fields of aggregate T as pyjson finds them (names from the declaration), ready for
/// .rename("field", "key") and .skip("field").
template <class T>
consteval detail::aggregate_field_list<T> aggregate_fields() {
  return {};
}

}  // namespace pyjson
