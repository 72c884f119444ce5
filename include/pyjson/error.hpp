// Errors: the exception types every stage of the pipeline throws.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace pyjson {

/// Base of every pyjson exception (a std::runtime_error). Catch this to catch them all.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Python's json.JSONDecodeError: the text is not valid JSON.
///
/// what() is exactly Python's str(e), e.g. "Expecting value: line 1 column 1 (char 0)".
/// pos() counts characters (code points) as Python's str does; byte_pos() is the byte offset
/// into the UTF-8 input.
class decode_error : public error {
 public:
  decode_error(std::string msg, std::size_t pos, std::size_t lineno, std::size_t colno,
               std::size_t byte_pos)
      : error(msg + ": line " + std::to_string(lineno) + " column " + std::to_string(colno) +
              " (char " + std::to_string(pos) + ")"),
        msg_(std::move(msg)),
        pos_(pos),
        lineno_(lineno),
        colno_(colno),
        byte_pos_(byte_pos) {}

  /// The message without the position, e.g. "Expecting value" (Python's e.msg).
  const std::string& msg() const noexcept { return msg_; }
  /// Character (code point) offset of the error, as Python's e.pos.
  std::size_t pos() const noexcept { return pos_; }
  /// 1-based line of the error, as Python's e.lineno.
  std::size_t lineno() const noexcept { return lineno_; }
  /// 1-based column (in characters) of the error, as Python's e.colno.
  std::size_t colno() const noexcept { return colno_; }
  /// Byte offset of the error in the UTF-8 input.
  std::size_t byte_pos() const noexcept { return byte_pos_; }

 private:
  std::string msg_;
  std::size_t pos_, lineno_, colno_, byte_pos_;
};

/// Python's TypeError: a JSON value does not fit the requested C++ type, or a C++ value
/// cannot be written as JSON.
class type_error : public error {
 public:
  using error::error;
};

/// Python's ValueError: e.g. NaN written with allow_nan = false, or a string that is not
/// valid UTF-8 written with ensure_ascii = false.
class value_error : public error {
 public:
  using error::error;
};

/// Python's KeyError: value::at(key) on an object that has no such key.
class key_error : public error {
 public:
  using error::error;
};

/// Python's IndexError: value::at(i) past the end of an array.
class index_error : public error {
 public:
  using error::error;
};

}  // namespace pyjson
