// Options: the keyword arguments of Python's json.dumps and json.loads, as C++ aggregates.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pyjson {

/// Python's `indent` argument: absent (None, one line), a number of spaces, or a string.
///
///     pyjson::dumps(v, {.indent = 4});     // json.dumps(v, indent=4)
///     pyjson::dumps(v, {.indent = "\t"});  // json.dumps(v, indent="\t")
///
/// A negative number behaves like 0, as in Python: a newline per item and no indentation.
class indentation {
 public:
  /// No indent (Python: indent=None): everything on one line.
  indentation() = default;
  /// No indent, spelled as Python's None.
  indentation(std::nullopt_t) {}
  /// `spaces` spaces per level; 0 or less: newlines only.
  indentation(int spaces) : text_(spaces > 0 ? std::size_t(spaces) : 0, ' '), set_(true) {}
  /// This text per level, e.g. "\t".
  indentation(const char* text) : text_(text), set_(true) {}
  /// This text per level.
  indentation(std::string_view text) : text_(text), set_(true) {}
  /// This text per level.
  indentation(std::string text) : text_(std::move(text)), set_(true) {}

  /// True when an indent was given (Python: indent is not None).
  bool has_value() const noexcept { return set_; }
  /// Same as has_value().
  explicit operator bool() const noexcept { return set_; }
  /// The text written once per nesting level.
  const std::string& text() const noexcept { return text_; }

  /// Equal when both are absent, or both give the same text.
  friend bool operator==(const indentation&, const indentation&) = default;

 private:
  std::string text_;
  bool set_ = false;
};

/// Python's `separators` argument: absent (Python's defaults), or (item separator, key
/// separator):
///
///     pyjson::dumps(v, {.separators = {",", ":"}});  // json.dumps(v, separators=(",", ":"))
class separator_pair {
 public:
  /// Python's defaults: ", " and ": " ("," and ": " with an indent).
  separator_pair() = default;
  /// Python's defaults, spelled as Python's None.
  separator_pair(std::nullopt_t) {}
  /// (item separator, key separator), e.g. {",", ":"} for the most compact text.
  separator_pair(std::string item, std::string key)
      : item_(std::move(item)), key_(std::move(key)), set_(true) {}
  /// The same from a pair.
  separator_pair(const std::pair<std::string, std::string>& p)
      : item_(p.first), key_(p.second), set_(true) {}
  /// The same from a pair of anything a std::string is made from.
  template <class A, class B>
  separator_pair(const std::pair<A, B>& p) : item_(p.first), key_(p.second), set_(true) {}

  /// True when separators were given (Python: separators is not None).
  bool has_value() const noexcept { return set_; }
  /// Same as has_value().
  explicit operator bool() const noexcept { return set_; }
  /// Written between items of arrays and objects (Python's item_separator).
  const std::string& item() const noexcept { return item_; }
  /// Written between a key and its value (Python's key_separator).
  const std::string& key() const noexcept { return key_; }

  /// Equal when both are absent, or both give the same two texts.
  friend bool operator==(const separator_pair&, const separator_pair&) = default;

 private:
  std::string item_, key_;
  bool set_ = false;
};

/// The options of Python's json.dumps, in the order of its signature, so designated
/// initializers read like Python's keyword arguments:
///
///     pyjson::dumps(v, {.ensure_ascii = false, .indent = 2, .sort_keys = true});
struct dump_options {
  /// Skip map keys that cannot become JSON keys instead of raising type_error.
  bool skipkeys = false;
  /// Escape every character above U+007E as \uXXXX (surrogate pairs above U+FFFF).
  bool ensure_ascii = true;
  /// Write NaN, Infinity, -Infinity; when false they raise value_error.
  bool allow_nan = true;
  /// Absent: one line. A number of spaces or a string: one item per line.
  indentation indent = {};
  /// (item separator, key separator). Absent: (", ", ": "), or (",", ": ") with an indent.
  separator_pair separators = {};
  /// Write object members sorted by key (by code point, as Python sorts str).
  bool sort_keys = false;
};

/// The default nesting bound of load_options::max_depth.
inline constexpr std::size_t default_max_depth = 1000;

/// The options of Python's json.loads that fit C++, plus a nesting bound.
struct load_options {
  /// Control characters (U+0000 to U+001F) inside strings are errors, as with strict=True.
  bool strict = true;
  /// Accept NaN, Infinity and -Infinity (Python always does).
  bool allow_nan = true;
  /// Deeper nesting of arrays and objects is a decode_error at the offending bracket instead
  /// of unbounded memory or stack use. Python 3.11 has no such option: its recursion limit stops
  /// json.loads near 996 levels at top level (fewer when called from deeper in a program).
  std::size_t max_depth = default_max_depth;
  /// Typed loads: object keys that match no field of the struct are skipped; when false they
  /// are a type_error naming the key.
  bool ignore_unknown_keys = true;
};

}  // namespace pyjson
