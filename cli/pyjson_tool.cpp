// pyjson-tool: `python -m json.tool` in C++, flag for flag and byte for byte (Python 3.11):
// the same stdout, stderr, exit status and files written. The steps follow json/tool.py:
// argparse (py_argparse.hpp), then read and parse the input (py_io.hpp, pyjson's reader),
// then dump each document to stdout or the outfile (pyjson's writer, or py_iterencode.hpp
// where Python's chunked writes can fail half way).
// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <new>
#include <optional>
#include <pyjson.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "py_argparse.hpp"
#include "py_io.hpp"
#include "py_iterencode.hpp"
#include "py_text.hpp"

namespace pyjson_tool {
namespace {

// json.loads(s) hits Python's recursion limit at the 991st nested array or object when called
// from json.tool (the limit is 1000 frames, json.tool's own frames use the rest; measured for
// every mode, files and stdin alike). Deeper input is a RecursionError, not a ValueError, so
// Python prints a traceback: we print the same last line (not the same frames) and exit 1.
// The dump side never reaches the limit for documents that loads accepts.
constexpr std::size_t python_max_depth = 990;

// CPython refuses int(str) for more than 4300 digits; json.loads raises that ValueError at the
// first such integer literal, so it wins over any syntax error after the literal. Scans the
// JSON text [0, limit) in parse order for one.
void check_int_digits(std::string_view text, std::size_t limit) {
  limit = std::min(limit, text.size());
  // Cheap test first: no run of that many digits, no such literal.
  std::size_t run = 0;
  bool long_run = false;
  for (std::size_t i = 0; i < limit && !long_run; ++i) {
    run = pyjson::detail::is_digit(text[i]) ? run + 1 : 0;
    long_run = run > int_max_str_digits;
  }
  if (!long_run) return;
  for (std::size_t i = 0; i < limit;) {
    char c = text[i];
    if (c == '"') {  // strings are skipped whole: digits inside them are not numbers
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '-' || pyjson::detail::is_digit(c)) {
      const char* begin = text.data() + i;
      pyjson::detail::number_scan n = pyjson::detail::scan_number(begin, text.data() + text.size());
      if (n.end == begin) {
        ++i;
        continue;
      }
      if (n.is_integer && n.int_digits > int_max_str_digits)
        throw value_error_exit(int_digits_limit_message(n.int_digits));
      i += static_cast<std::size_t>(n.end - begin);
    } else {
      ++i;
    }
  }
}

/// json.loads(text) as json.tool calls it; text is WTF-8 (lone surrogates come from stdin's
/// surrogateescape).
pyjson::value load_document(std::string_view text) {
  // json.loads(str) rejects a leading BOM before parsing.
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    throw value_error_exit(
        "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)");
  pyjson::load_options opt;
  opt.max_depth = python_max_depth;
  try {
    pyjson::value v = pyjson::detail::parse_document(text, opt, true);
    check_int_digits(text, text.size());
    return v;
  } catch (const pyjson::decode_error& e) {
    check_int_digits(text, e.byte_pos());
    if (e.msg().rfind("Nesting deeper than max_depth", 0) == 0) {
      bool object = e.byte_pos() < text.size() && text[e.byte_pos()] == '{';
      throw uncaught_exception(
          "RecursionError", std::string("maximum recursion depth exceeded while decoding a JSON ") +
                                (object ? "object" : "array") + " from a unicode string");
    }
    throw value_error_exit(e.what());
  }
}

/// The keyword arguments json.tool passes to json.dump, built as json.dump builds its encoder:
/// `' ' * indent` is evaluated on every call, before anything is written, and fails there
/// for an indent that is not a usable int.
pyjson::dump_options dump_options_for(const tool_options& o) {
  pyjson::dump_options d;
  d.sort_keys = o.sort_keys;
  d.ensure_ascii = o.ensure_ascii;
  if (o.compact) {
    d.separators = {",", ":"};
    return d;
  }
  switch (o.indent.kind) {
    case indent_value::none: break;
    case indent_value::tab: d.indent = "\t"; break;
    case indent_value::empty_list:  // --indent=-- : argparse stored []
      throw uncaught_exception("TypeError", "can't multiply sequence by non-int of type 'list'");
    case indent_value::number: {
      long long n;
      if (!o.indent.n.fits(n)) {
        // Beyond 18 digits: ' ' * n needs n as a Py_ssize_t (OverflowError outside
        // [-2**63, 2**63 - 1]); a negative n gives '', a positive one more memory than exists.
        std::string_view limit =
            o.indent.n.negative ? "9223372036854775808" : "9223372036854775807";
        const std::string& digits = o.indent.n.digits;
        if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit))
          throw uncaught_exception("OverflowError", "cannot fit 'int' into an index-sized integer");
        if (!o.indent.n.negative) throw uncaught_exception("MemoryError", "");
        n = 0;
      }
      if (n <= 0) {
        d.indent = "";
      } else {
        try {
          d.indent = std::string(static_cast<std::size_t>(n), ' ');
        } catch (const std::bad_alloc&) {
          throw uncaught_exception("MemoryError", "");
        } catch (const std::length_error&) {
          throw uncaught_exception("MemoryError", "");
        }
      }
      break;
    }
  }
  return d;
}

/// json.dump(obj, out, **dump_args); out.write('\n').
void dump_document(const pyjson::value& v, const pyjson::dump_options& d, text_writer& out) {
  try {
    // With ensure_ascii the text is ASCII; without it, dumps refuses lone surrogates, so any
    // text it returns is valid UTF-8. Either way no write can fail: one write is the same.
    out.write_valid(pyjson::dumps(v, d));
  } catch (const pyjson::value_error&) {
    // Lone surrogates with ensure_ascii off: write chunk by chunk, as Python does, so that
    // the error (or surrogateescape's bytes) come out exactly where Python's do.
    auto write = [&out](std::string_view chunk) { out.write(chunk); };
    chunk_encoder<decltype(write)>(d, write).dump(v);
  } catch (const std::bad_alloc&) {
    throw uncaught_exception("MemoryError", "");
  }
  out.write_valid("\n");
}

/// json/tool.py's main() after parse_args().
/// What the interpreter made of the standard streams at start-up.
struct stdio_state {
  bool surrogateescape;  // sys.stdin and sys.stdout's error handler
  bool stdin_open;       // false: fd 0 was closed, sys.stdin is None
  bool stdout_open;      // false: fd 1 was closed, sys.stdout is None
  bool stderr_open;      // false: fd 2 was closed, sys.stderr is None
};

bool fd_is_open(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

// `with None as f:` -- what json.tool does with sys.stdin or sys.stdout when they are None.
tool_exit none_context_manager() {
  return uncaught_exception("TypeError",
                            "'NoneType' object does not support the context manager protocol");
}

void run(const tool_options& o, const stdio_state& stdio) {
  if (o.infile_is_stdin && !stdio.stdin_open) throw none_context_manager();
  // Files are read with encoding='utf-8' (strict) and universal newlines; sys.stdin with the
  // locale's error handler and newline='\n' (no translation).
  text_reader in(o.infile_fd, o.infile_is_stdin && stdio.surrogateescape, !o.infile_is_stdin);
  std::optional<text_writer> out;
  auto open_output = [&] {
    if (o.outfile)
      out.emplace(text_writer::open_for_writing(*o.outfile), false);
    else if (!stdio.stdout_open)
      throw none_context_manager();
    else
      out.emplace(STDOUT_FILENO, stdio.surrogateescape);
  };
  try {
    if (!o.json_lines) {
      // The whole input is parsed before the outfile is opened (and truncated).
      pyjson::value v = load_document(in.read_all());
      open_output();
      dump_document(v, dump_options_for(o), *out);
    } else {
      // Lines are parsed lazily, so the outfile is opened first and each document is written
      // before the next line is read.
      open_output();
      struct stat st {};
      bool regular = ::fstat(o.infile_fd, &st) == 0 && S_ISREG(st.st_mode);
      if (!regular) in.before_read = [&out] { out->flush(); };
      std::string line;
      std::optional<pyjson::dump_options> d;
      while (in.read_line(line)) {
        pyjson::value v = load_document(line);
        if (!d) d = dump_options_for(o);
        dump_document(v, *d, *out);
      }
    }
    if (out) out->flush();
  } catch (tool_exit&) {
    // `with out as outfile:` closes (flushes) the output before the error is reported; an
    // error while flushing replaces the first one.
    if (out) out->flush();
    throw;
  }
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace
}  // namespace pyjson_tool

int main(int argc, char** argv) {
  using namespace pyjson_tool;
  // Python ignores SIGPIPE: a closed pipe is an EPIPE error (BrokenPipeError, exit status 32).
  std::signal(SIGPIPE, SIG_IGN);
  const stdio_state stdio{stdio_uses_surrogateescape(), fd_is_open(STDIN_FILENO),
                          fd_is_open(STDOUT_FILENO), fd_is_open(STDERR_FILENO)};
  struct stat st {};
  if (stdio.stdin_open && ::fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode)) {
    // CPython refuses to start (its message names the thread, which differs run to run).
    char thread[32];
    std::snprintf(thread, sizeof thread, "0x%016lx", static_cast<unsigned long>(::getpid()));
    write_all(STDERR_FILENO, std::string("Fatal Python error: init_sys_streams: <stdin> is a "
                                         "directory, cannot continue\nPython runtime state: core "
                                         "initialized\n\nCurrent thread ") +
                                 thread + " (most recent call first):\n  <no Python frame>\n");
    return 1;
  }
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.push_back(surrogateescape_decode(argv[i]));
  try {
    tool_options o = arg_parser(std::move(args)).parse();
    run(o, stdio);
    return 0;
  } catch (const tool_exit& e) {
    // A stream that is None swallows what is printed to it, except that argparse sends help to
    // sys.stderr when sys.stdout is None, and usage to sys.stdout when sys.stderr is None. (A
    // closed descriptor may have been reused by a file opened since: never write to it.)
    int help_fd = stdio.stdout_open ? STDOUT_FILENO : stdio.stderr_open ? STDERR_FILENO : -1;
    int usage_fd = stdio.stderr_open ? STDERR_FILENO : stdio.stdout_open ? STDOUT_FILENO : -1;
    if (help_fd >= 0) write_all(help_fd, e.out_text);
    if (usage_fd >= 0) write_all(usage_fd, e.usage_text);
    if (stdio.stderr_open) write_all(STDERR_FILENO, backslashreplace(e.err_text));
    return e.status;
  }
}
