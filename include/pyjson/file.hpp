// Files: load a JSON file, and save one so that an interrupted save never loses the old data.
// SPDX-License-Identifier: MIT
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include "pyjson/api.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"

/// 1 where POSIX fsync is available: dump_file then flushes the file to the disk before it
/// renames it over the target.
#if __has_include(<unistd.h>)
#include <unistd.h>
#define PYJSON_HAS_FSYNC 1
#endif

namespace pyjson {

namespace detail {
[[noreturn]] inline void throw_file_error(const char* what, const std::filesystem::path& p,
                                          int err) {
  // Python's OSError text: "[Errno 2] No such file or directory: 'numbers.json'".
  detail::raise(error(std::string(what) + ": [Errno " + std::to_string(err) + "] " +
                      std::strerror(err) + ": '" + p.string() + "'"));
}

inline std::string read_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_file_error("cannot open", path, errno);
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  int err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err) throw_file_error("cannot read", path, err);
  return text;
}
}  // namespace detail

/// Reads a whole file and parses it as loads() does (Python: json.load(open(path))).
///
///     pyjson::value settings = pyjson::load_file("settings.json");
template <class T = value>
T load_file(const std::filesystem::path& path, const load_options& opt = {}) {
  return loads<T>(detail::read_file(path), opt);
}

/// Saves v as JSON at path without ever leaving a truncated or empty file behind: the text
/// goes to a temporary file in the same folder, is flushed to the disk, and only then renamed
/// over the target (an atomic replacement on POSIX systems). If anything fails, or the program
/// dies midway, the old file is still there, whole.
///
///     pyjson::dump_file("numbers.json", numbers, {.indent = 4});
template <class T>
void dump_file(const std::filesystem::path& path, const T& v, const dump_options& opt = {}) {
  std::string text = dumps(v, opt);  // serialize first: an error here touches no file
  std::random_device rd;
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(rd()) + std::to_string(rd());
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");  // x: never reuse an existing file
  if (!f) detail::throw_file_error("cannot create", tmp, errno);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size() && std::fflush(f) == 0;
  int err = ok ? 0 : errno;
#if defined(PYJSON_HAS_FSYNC)
  if (ok && ::fsync(fileno(f)) != 0) {
    ok = false;
    err = errno;
  }
#endif
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    detail::throw_file_error("cannot write", tmp, err ? err : EIO);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    detail::throw_file_error("cannot replace", path, ec.value());
  }
}

}  // namespace pyjson
