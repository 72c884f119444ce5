// pyjson-tool: files and standard streams as Python's io.TextIOWrapper sees them: UTF-8
// decoding that is strict or surrogateescape, universal newlines for files, readline() in
// 8192-byte chunks (where decoding errors are positioned), and writes that encode each chunk
// on its own (where encoding errors are positioned) and report OSError as Python does.
// SPDX-License-Identifier: MIT
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "py_text.hpp"

namespace pyjson_tool {

/// The error handler of sys.stdin and sys.stdout. CPython uses surrogateescape in the C and
/// POSIX locales, in the UTF-8 locales it coerces to (C.UTF-8, C.utf8, UTF-8) and in UTF-8
/// mode, and strict elsewhere; PYTHONIOENCODING=enc:errors overrides it. (Encodings other than
/// UTF-8 are not emulated.)
inline bool stdio_uses_surrogateescape() {
  if (const char* env = std::getenv("PYTHONIOENCODING")) {
    std::string_view v(env);
    std::size_t colon = v.find(':');
    if (colon != std::string_view::npos) {
      std::string_view errors = v.substr(colon + 1);
      if (errors == "surrogateescape") return true;
      if (errors == "strict") return false;
    }
  }
  if (const char* env = std::getenv("PYTHONUTF8"); env && std::string_view(env) == "1") return true;
  const char* loc = std::setlocale(LC_CTYPE, "");
  if (loc == nullptr) return true;  // an unknown locale leaves "C"
  std::string_view name(loc);
  bool escape =
      name == "C" || name == "POSIX" || name == "C.UTF-8" || name == "C.utf8" || name == "UTF-8";
  std::setlocale(LC_CTYPE, "C");
  return escape;
}

/// An OSError that leaves json.tool's main(): a traceback (BrokenPipeError: exit status 32, as
/// tool.py's __main__ block does, with nothing printed).
inline tool_exit os_error_exit(int err, std::optional<std::string_view> filename = {}) {
  if (err == EPIPE) return {32, ""};
  return uncaught_exception(os_error_type(err), os_error_text(err, filename));
}

// --- reading ---------------------------------------------------------------------------------

/// A text file opened for reading (sys.stdin, or what argparse.FileType opened).
class text_reader {
 public:
  text_reader(int fd, bool surrogateescape, bool universal_newlines)
      : fd_(fd), escape_(surrogateescape), universal_(universal_newlines) {}
  text_reader(const text_reader&) = delete;
  text_reader& operator=(const text_reader&) = delete;
  ~text_reader() {
    if (fd_ > STDERR_FILENO) ::close(fd_);
  }

  /// Called before each read that may block (json-lines mode flushes its output there).
  std::function<void()> before_read;

  /// TextIOWrapper.read(): all the bytes, decoded in one call (error positions are offsets in
  /// the whole input).
  std::string read_all() {
    std::string bytes;
    char buf[65536];
    for (;;) {
      ssize_t n = read_some(buf, sizeof buf);
      if (n == 0) break;
      bytes.append(buf, static_cast<std::size_t>(n));
    }
    return decode(bytes, true);
  }

  /// One iteration of `for line in file`: the next line with its '\n', or the last line
  /// without one; false at the end. Input is read and decoded 8192 bytes at a time, as
  /// TextIOWrapper does, so a decoding error is raised only when a line needs its chunk, and
  /// its position is relative to that chunk.
  bool read_line(std::string& line) {
    for (;;) {
      std::size_t nl = text_.find('\n', pos_);
      if (nl != std::string::npos) {
        line.assign(text_, pos_, nl + 1 - pos_);
        pos_ = nl + 1;
        return true;
      }
      if (eof_) {
        if (pos_ == text_.size()) return false;
        line.assign(text_, pos_);
        pos_ = text_.size();
        return true;
      }
      text_.erase(0, pos_);
      pos_ = 0;
      char buf[8192];
      if (before_read) before_read();
      ssize_t n = read_some(buf, sizeof buf);
      eof_ = n == 0;
      text_ += decode(std::string_view(buf, static_cast<std::size_t>(n)), eof_);
    }
  }

 private:
  ssize_t read_some(char* buf, std::size_t size) {
    for (;;) {
      ssize_t n = ::read(fd_, buf, size);
      if (n >= 0) return n;
      if (errno != EINTR) throw os_error_exit(errno);
    }
  }

  // The incremental UTF-8 decoder (codecs.BufferedIncrementalDecoder: an incomplete sequence
  // at the end waits for the next chunk) followed by IncrementalNewlineDecoder for files.
  std::string decode(std::string_view input, bool final) {
    std::string data = pending_;
    data.append(input);
    pending_.clear();
    std::string out;
    if (escape_) {
      std::size_t pending = 0;
      out = surrogateescape_decode(data, final, &pending);
      pending_ = data.substr(data.size() - pending);
    } else if (pyjson::detail::utf8_error err =
                   pyjson::detail::find_utf8_error(data.data(), data.data() + data.size())) {
      if (final || err.start + err.length != data.size() ||
          std::string_view(err.reason) != "unexpected end of data")
        throw value_error_exit(pyjson::detail::utf8_error_message(data.data(), err));
      out = data.substr(0, err.start);
      pending_ = data.substr(err.start);
    } else {
      out = std::move(data);
    }
    if (!universal_) return out;
    if (pending_cr_ && (!out.empty() || final)) {
      out.insert(out.begin(), '\r');
      pending_cr_ = false;
    }
    if (!final && !out.empty() && out.back() == '\r') {
      out.pop_back();
      pending_cr_ = true;
    }
    if (out.find('\r') == std::string::npos) return out;
    std::string translated;
    translated.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] != '\r') {
        translated += out[i];
      } else {
        translated += '\n';
        if (i + 1 < out.size() && out[i + 1] == '\n') ++i;
      }
    }
    return translated;
  }

  int fd_;
  bool escape_, universal_;
  std::string pending_;  // bytes of an incomplete UTF-8 sequence
  bool pending_cr_ = false;
  std::string text_;  // decoded text not yet returned by read_line
  std::size_t pos_ = 0;
  bool eof_ = false;
};

// --- writing ---------------------------------------------------------------------------------

/// sys.stdout, or the outfile opened with open('w', encoding='utf-8'). Each write() encodes its
/// text as a whole: a lone surrogate (WTF-8) fails the write with Python's UnicodeEncodeError,
/// positioned in that text, and nothing of it is written; surrogateescape writes U+DC80..U+DCFF
/// as the bytes they stand for. Output is buffered; everything written before an error still
/// reaches the file when it is closed.
class text_writer {
 public:
  text_writer(int fd, bool surrogateescape) : fd_(fd), escape_(surrogateescape) {}
  text_writer(const text_writer&) = delete;
  text_writer& operator=(const text_writer&) = delete;
  ~text_writer() {
    if (fd_ > STDERR_FILENO) ::close(fd_);
  }

  /// open(path, 'w', encoding='utf-8'), as Path.open() does it.
  static int open_for_writing(const std::string& path) {
    std::string bytes = surrogateescape_encode(path);
    int fd = ::open(bytes.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw os_error_exit(errno, path);
    return fd;
  }

  /// TextIOWrapper.write(text) for WTF-8 text.
  void write(std::string_view text) {
    std::size_t first = find_surrogate(text, 0);
    if (first == std::string_view::npos) return write_valid(text);
    std::string bytes(text.substr(0, first));
    std::size_t i = first;
    while (i < text.size()) {
      std::size_t s = find_surrogate(text, i);
      bytes.append(text.substr(i, (s == std::string_view::npos ? text.size() : s) - i));
      if (s == std::string_view::npos) break;
      // A run of surrogates, as CPython's UTF-8 encoder collects it; surrogateescape writes
      // its escapable prefix, then the rest of the run is the error.
      std::size_t end = s;
      std::size_t run_chars = 0;
      while (end < text.size() && is_surrogate_at(text, end)) {
        end += 3;
        ++run_chars;
      }
      std::size_t bad = s;
      if (escape_) {
        while (bad < end) {
          std::size_t j = bad;
          std::uint32_t cp = next_code_point(text, j);
          if (cp < 0xDC80 || cp > 0xDCFF) break;
          bytes += static_cast<char>(cp - 0xDC00);
          bad = j;
        }
      }
      if (bad < end) {
        std::size_t pos = pyjson::detail::count_code_points(text.data(), text.data() + bad);
        std::size_t j = bad;
        std::uint32_t cp = next_code_point(text, j);
        std::size_t count = run_chars - (bad - s) / 3;
        throw value_error_exit(utf8_encode_error_message(cp, pos, pos + count));
      }
      i = end;
    }
    write_valid(bytes);
  }

  /// Writes bytes known to encode without error (valid UTF-8).
  void write_valid(std::string_view bytes) {
    buf_.append(bytes);
    if (buf_.size() >= (1u << 16)) flush();
  }

  /// Writes out the buffer; an error is Python's OSError (BrokenPipeError: exit status 32).
  void flush() {
    std::size_t done = 0;
    while (done < buf_.size()) {
      ssize_t n = ::write(fd_, buf_.data() + done, buf_.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        buf_.clear();
        throw os_error_exit(err);
      }
      done += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }

 private:
  static bool is_surrogate_at(std::string_view t, std::size_t i) {
    return i + 2 < t.size() && static_cast<unsigned char>(t[i]) == 0xED &&
           static_cast<unsigned char>(t[i + 1]) >= 0xA0;
  }
  static std::size_t find_surrogate(std::string_view t, std::size_t from) {
    for (std::size_t i = t.find('\xED', from); i != std::string_view::npos;
         i = t.find('\xED', i + 1))
      if (is_surrogate_at(t, i)) return i;
    return std::string_view::npos;
  }

  int fd_;
  bool escape_;
  std::string buf_;
};

}  // namespace pyjson_tool
