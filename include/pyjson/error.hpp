// Errors: the exception types every stage of the pipeline throws.
// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

/// 1 when the translation unit is compiled with exceptions, 0 under -fno-exceptions. Without
/// exceptions every error goes to pyjson::set_error_handler's handler, which must not return
/// (the default prints what() to stderr and aborts); try_loads() still reports parse errors
/// as values.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define PYJSON_HAS_EXCEPTIONS 1
#else
#define PYJSON_HAS_EXCEPTIONS 0
#endif

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
  /// The error `msg` at character `pos` (line and column 1-based), byte `byte_pos`; what()
  /// appends the position as Python does.
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

/// What a build without exceptions calls instead of throwing. The handler gets the error that
/// would have been thrown and must not return (abort, exit, or longjmp out of code that owns
/// no resources); if it returns, pyjson aborts.
using error_handler = void (*)(const error&);

namespace detail {
inline void default_error_handler(const error& e) {
  std::fputs("pyjson: ", stderr);
  std::fputs(e.what(), stderr);
  std::fputs("\n", stderr);
}
inline error_handler& current_error_handler() noexcept {
  static error_handler handler = &default_error_handler;
  return handler;
}
/// Throws e, or without exceptions hands it to the error handler and aborts.
template <class E>
[[noreturn]] void raise(E&& e) {
#if PYJSON_HAS_EXCEPTIONS
  throw std::forward<E>(e);
#else
  current_error_handler()(e);
  std::abort();
#endif
}
}  // namespace detail

/// Sets the handler that builds without exceptions call in place of a throw, and returns the
/// previous one. A null handler restores the default (print what() to stderr). Not
/// thread-safe: set it once at start-up. Has no effect when exceptions are enabled.
inline error_handler set_error_handler(error_handler h) noexcept {
  error_handler old = detail::current_error_handler();
  detail::current_error_handler() = h ? h : &detail::default_error_handler;
  return old;
}

}  // namespace pyjson
