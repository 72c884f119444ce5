// pyjson-tool: the pieces of Python that json.tool's output and messages depend on: str kept
// as WTF-8 (lone surrogates in three bytes, as pyjson stores them), the surrogateescape and
// backslashreplace error handlers, repr(), int(), the wording of UnicodeError and OSError, and
// how an exception ends the process.
// SPDX-License-Identifier: MIT
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <string_view>

namespace pyjson_tool {

// --- code points in WTF-8 ------------------------------------------------------------------

/// Decodes the code point that starts at s[i] (s is valid WTF-8) and advances i past it.
inline std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  std::size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = s.size() - i;  // never for valid input; keeps a bad one in bounds
  i += n;
  return pyjson::detail::decode_utf8(p, n);
}

inline bool is_surrogate(std::uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

/// Appends "\xNN", "\uNNNN" or "\UNNNNNNNN" (lowercase hex), the escapes of Python's repr()
/// and of the backslashreplace error handler.
inline void append_hex_escape(std::string& out, std::uint32_t cp) {
  static constexpr char hex[] = "0123456789abcdef";
  int digits = cp <= 0xFF ? 2 : cp <= 0xFFFF ? 4 : 8;
  out += '\\';
  out += digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
}

// --- error handlers --------------------------------------------------------------------------

/// Python's bytes.decode('utf-8', 'surrogateescape'): every byte that CPython's UTF-8 decoder
/// rejects becomes the lone surrogate U+DC00 + byte (kept as WTF-8). `final` = false leaves an
/// incomplete sequence at the end undecoded and returns its length in `pending` instead (the
/// incremental decoder's behaviour); with `final` it is escaped too.
inline std::string surrogateescape_decode(std::string_view bytes, bool final = true,
                                          std::size_t* pending = nullptr) {
  std::string out;
  out.reserve(bytes.size());
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  if (pending) *pending = 0;
  while (p < end) {
    pyjson::detail::utf8_error err = pyjson::detail::find_utf8_error(p, end);
    if (!err) {
      out.append(p, static_cast<std::size_t>(end - p));
      break;
    }
    out.append(p, err.start);
    p += err.start;
    if (!final && p + err.length == end &&
        std::string_view(err.reason) == "unexpected end of data") {
      if (pending) *pending = err.length;
      break;
    }
    for (std::size_t i = 0; i < err.length; ++i)
      pyjson::detail::append_utf8(out, 0xDC00 + static_cast<unsigned char>(p[i]));
    p += err.length;
  }
  return out;
}

/// The inverse, as os.fsencode() does for file names: U+DC80..U+DCFF become their byte again.
inline std::string surrogateescape_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::uint32_t cp = next_code_point(text, i);
    if (cp >= 0xDC80 && cp <= 0xDCFF)
      out += static_cast<char>(cp - 0xDC00);
    else
      out.append(text.substr(start, i - start));
  }
  return out;
}

/// What sys.stderr (errors='backslashreplace') writes for text: lone surrogates as \udcNN.
inline std::string backslashreplace(std::string_view text) {
  if (text.find('\xED') == std::string_view::npos) return std::string(text);
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::uint32_t cp = next_code_point(text, i);
    if (is_surrogate(cp))
      append_hex_escape(out, cp);
    else
      out.append(text.substr(start, i - start));
  }
  return out;
}

// --- character classes (Unicode 14.0, as CPython 3.11) ------------------------------------

/// The code points whose decimal value is 0; each starts a run of ten digits (Nd). Listed
/// from unicodedata.decimal() of Python 3.11.
inline constexpr std::uint32_t decimal_zeros[] = {
    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,
    0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,
    0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};

/// Python's unicodedata.decimal(ch, -1): 0..9 for a decimal digit of any script, else -1.
inline int decimal_value(std::uint32_t cp) {
  for (std::uint32_t zero : decimal_zeros)
    if (cp >= zero && cp < zero + 10) return static_cast<int>(cp - zero);
  return -1;
}

/// Python's str.isspace() for one character.
inline bool is_py_space(std::uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/// Python's str.isprintable() for one character, approximately: exact for ASCII and Latin-1,
/// and for the separators, format characters, surrogates, private use and noncharacters that
/// matter in practice; unassigned code points count as printable here (Python escapes them;
/// the full table has 701 ranges, too much for the messages it would change).
inline bool is_py_printable(std::uint32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) return false;
  if (cp < 0x300) return true;
  if (is_surrogate(cp) || (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000) return false;
  if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) return false;
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
      (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
      (cp >= 0xFFF9 && cp <= 0xFFFB))
    return false;
  if ((cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD || cp == 0x70F || cp == 0x180E ||
      cp == 0x110BD || (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 ||
      (cp >= 0xE0020 && cp <= 0xE007F))
    return false;
  return true;
}

// --- repr() and int() -------------------------------------------------------------------------

/// Python's repr(str) for WTF-8 text.
inline std::string py_repr(std::string_view text) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::uint32_t cp = next_code_point(text, i);
    if (cp == static_cast<std::uint32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (is_py_printable(cp)) {
      out.append(text.substr(start, i - start));
    } else {
      append_hex_escape(out, cp);
    }
  }
  out += quote;
  return out;
}

/// CPython's limit on the digits of int(str) (sys.get_int_max_str_digits(), 4300 by default).
inline constexpr std::size_t int_max_str_digits = 4300;

/// The message of the ValueError raised for a decimal literal longer than that limit.
inline std::string int_digits_limit_message(std::size_t digits) {
  return "Exceeds the limit (" + std::to_string(int_max_str_digits) +
         " digits) for integer string conversion: value has " + std::to_string(digits) +
         " digits; use sys.set_int_max_str_digits() to increase the limit";
}

/// The result of Python's int(text): a decimal number of any size.
struct py_int {
  bool ok = false;
  bool negative = false;
  std::string digits;  // no leading zeros; "0" for zero

  /// The value as a long long when it has at most 18 digits (|value| < 10^18).
  bool fits(long long& out) const {
    if (digits.size() > 18) return false;
    long long v = std::stoll(digits);
    out = negative ? -v : v;
    return true;
  }
  /// Python's `value is 4` for a result of int(): CPython returns its cached small int.
  bool equals(long long n) const {
    long long v;
    return fits(v) && v == n;
  }
};

/// Python's int(text) with base 10: surrounding whitespace of any script, a sign, digits of any
/// script with single underscores between them, at most int_max_str_digits digits.
inline py_int parse_py_int(std::string_view text) {
  // _PyUnicode_TransformDecimalAndSpaceToASCII: spaces become ' ', digits become ASCII, any
  // other non-ASCII character makes the literal invalid.
  std::string ascii;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = next_code_point(text, i);
    if (cp < 0x80 && !is_py_space(cp)) {
      ascii += static_cast<char>(cp);
    } else if (is_py_space(cp)) {
      ascii += ' ';
    } else if (int d = decimal_value(cp); d >= 0) {
      ascii += static_cast<char>('0' + d);
    } else {
      return {};
    }
  }
  std::size_t p = 0, n = ascii.size();
  while (p < n && ascii[p] == ' ') ++p;
  py_int result;
  if (p < n && (ascii[p] == '+' || ascii[p] == '-')) result.negative = ascii[p++] == '-';
  std::string digits;
  bool last_was_digit = false;
  for (; p < n && ascii[p] != ' '; ++p) {
    char c = ascii[p];
    if (c >= '0' && c <= '9') {
      digits += c;
      last_was_digit = true;
    } else if (c == '_' && last_was_digit && p + 1 < n && ascii[p + 1] >= '0' &&
               ascii[p + 1] <= '9') {
      last_was_digit = false;
    } else {
      return {};
    }
  }
  while (p < n && ascii[p] == ' ') ++p;
  if (p != n || digits.empty() || digits.size() > int_max_str_digits) return {};
  std::size_t nonzero = digits.find_first_not_of('0');
  result.digits = nonzero == std::string::npos ? "0" : digits.substr(nonzero);
  if (result.digits == "0") result.negative = false;
  result.ok = true;
  return result;
}

// --- Unicode errors ------------------------------------------------------------------------

/// str(UnicodeEncodeError) of the 'utf-8' codec for the characters [start, end) of a string:
/// "'utf-8' codec can't encode character '\ud800' in position 4: surrogates not allowed".
inline std::string utf8_encode_error_message(std::uint32_t first, std::size_t start,
                                             std::size_t end) {
  std::string m = "'utf-8' codec can't encode ";
  if (end - start == 1) {
    m += "character '";
    append_hex_escape(m, first);
    m += "' in position " + std::to_string(start);
  } else {
    m += "characters in position " + std::to_string(start) + "-" + std::to_string(end - 1);
  }
  return m + ": surrogates not allowed";
}

// --- how the process ends ---------------------------------------------------------------

/// Thrown to end the tool the way Python would end: the exit status and what is printed
/// (WTF-8 text; stderr is written with backslashreplace).
struct tool_exit {
  int status;
  std::string err_text;         // for sys.stderr
  std::string out_text = {};    // for sys.stdout (argparse's help)
  std::string usage_text = {};  // argparse's print_usage(sys.stderr), printed before err_text
};

/// What Python prints for an exception that leaves json.tool's main(): a traceback and the
/// exception's line. Only the last line is Python's exact text; the frames are not reproduced
/// (they name files of the Python installation).
inline tool_exit uncaught_exception(std::string_view type, std::string_view message) {
  std::string text = "Traceback (most recent call last):\n  File \"<pyjson-tool>\", in main\n";
  text += type;
  if (!message.empty()) {
    text += ": ";
    text += message;
  }
  text += '\n';
  return {1, std::move(text)};
}

/// The Python exception class that OSError(errno, ...) becomes.
inline const char* os_error_type(int err) {
  switch (err) {
    case EAGAIN:
    case EALREADY:
    case EINPROGRESS: return "BlockingIOError";
    case ECHILD: return "ChildProcessError";
    case EPIPE:
    case ESHUTDOWN: return "BrokenPipeError";
    case ECONNABORTED: return "ConnectionAbortedError";
    case ECONNREFUSED: return "ConnectionRefusedError";
    case ECONNRESET: return "ConnectionResetError";
    case EEXIST: return "FileExistsError";
    case ENOENT: return "FileNotFoundError";
    case EISDIR: return "IsADirectoryError";
    case ENOTDIR: return "NotADirectoryError";
    case EINTR: return "InterruptedError";
    case EACCES:
    case EPERM: return "PermissionError";
    case ESRCH: return "ProcessLookupError";
    case ETIMEDOUT: return "TimeoutError";
    default: return "OSError";
  }
}

/// str(OSError) for a failed call on a file name: "[Errno 2] No such file or directory: 'x'".
inline std::string os_error_text(int err, std::optional<std::string_view> filename = {}) {
  std::string s = "[Errno " + std::to_string(err) + "] " + std::strerror(err);
  if (filename) s += ": " + py_repr(*filename);
  return s;
}

/// json.tool turns a ValueError (JSONDecodeError, UnicodeDecodeError, UnicodeEncodeError, ...)
/// into SystemExit(e): its message alone on stderr, exit status 1.
inline tool_exit value_error_exit(std::string_view message) {
  return {1, std::string(message) + '\n'};
}

}  // namespace pyjson_tool
