// pyjson-tool: the command line of `python -m json.tool`, parsed as Python 3.11's argparse
// parses it. This is a port of the parts of argparse.py that json.tool's parser reaches
// (_parse_known_args, _parse_optional, _get_option_tuples, consume_optional/positionals, the
// mutually exclusive group, HelpFormatter and textwrap), kept in argparse's order of steps so
// that its quirks come out the same: which error wins, `--indent 4 --tab` being accepted
// (argparse compares the value with the default by identity, and 4 is a cached small int),
// `a --sort-keys b` leaving `b` unrecognized, abbreviations, `--` and `=` forms.
// SPDX-License-Identifier: MIT
#pragma once

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "py_text.hpp"

namespace pyjson_tool {

// --- the parser's actions, as json/tool.py declares them ------------------------------------

// clang-format off
enum class action_id {
  help, infile, outfile, sort_keys, ensure_ascii, json_lines, indent, tab, no_indent, compact
};
// clang-format on

struct action_spec {
  action_id id;
  std::vector<std::string_view> option_strings;  // empty for a positional
  int nargs;                                     // 0, 1 (argparse's None) or optional_nargs
  std::string_view dest;
  std::string_view help;
};
inline constexpr int optional_nargs = -1;  // argparse's '?'

/// parser._actions, in the order json.tool adds them (help first).
inline const std::vector<action_spec>& tool_actions() {
  // clang-format off
  static const std::vector<action_spec> actions = {
      {action_id::help, {"-h", "--help"}, 0, "help",
       "show this help message and exit"},
      {action_id::infile, {}, optional_nargs, "infile",
       "a JSON file to be validated or pretty-printed"},
      {action_id::outfile, {}, optional_nargs, "outfile",
       "write the output of infile to outfile"},
      {action_id::sort_keys, {"--sort-keys"}, 0, "sort_keys",
       "sort the output of dictionaries alphabetically by key"},
      {action_id::ensure_ascii, {"--no-ensure-ascii"}, 0, "ensure_ascii",
       "disable escaping of non-ASCII characters"},
      {action_id::json_lines, {"--json-lines"}, 0, "json_lines",
       "parse input using the JSON Lines format. Use with --no-indent or --compact to produce "
       "valid JSON Lines output."},
      {action_id::indent, {"--indent"}, 1, "indent",
       "separate items with newlines and use this number of spaces for indentation"},
      {action_id::tab, {"--tab"}, 0, "indent",
       "separate items with newlines and use tabs for indentation"},
      {action_id::no_indent, {"--no-indent"}, 0, "indent",
       "separate items with spaces rather than newlines"},
      {action_id::compact, {"--compact"}, 0, "compact",
       "suppress all whitespace separation (most compact)"},
  };
  // clang-format on
  return actions;
}

inline const action_spec& spec_of(action_id id) {
  for (const action_spec& a : tool_actions())
    if (a.id == id) return a;
  return tool_actions().front();
}

/// The mutually exclusive group of --indent, --tab, --no-indent and --compact.
inline bool in_indent_group(action_id id) {
  return id == action_id::indent || id == action_id::tab || id == action_id::no_indent ||
         id == action_id::compact;
}
inline constexpr action_id indent_group[] = {action_id::indent, action_id::tab,
                                             action_id::no_indent, action_id::compact};

// --- the parsed options --------------------------------------------------------------------

/// The value of `indent` after parsing: an int (of any size), '\t', None, or the empty list
/// that `--indent=--` produces (argparse strips the '--' and keeps an empty list of values).
struct indent_value {
  enum kind_t { number, tab, none, empty_list } kind = number;
  py_int n = {true, false, "4"};
};

struct tool_options {
  bool infile_is_stdin = true;
  int infile_fd = 0;
  std::optional<std::string> outfile;  // pathlib.Path(arg) as str, WTF-8
  bool sort_keys = false;
  bool ensure_ascii = true;
  bool json_lines = false;
  bool compact = false;
  indent_value indent;
};

// --- textwrap.wrap, for ASCII text --------------------------------------------------------

namespace textwrap {

inline bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
inline bool is_word(char c) {  // \w
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
inline bool is_letter(char c) { return is_word(c) && !(c >= '0' && c <= '9'); }  // [^\d\W]
inline bool is_word_punct(char c) {                                              // [\w!"\'&.,?]
  return is_word(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' ||
         c == '?';
}

/// TextWrapper._split_chunks: the pieces that wordsep_re splits text into (whitespace runs,
/// words, words broken after a hyphen between letters, em-dashes).
inline std::vector<std::string> split_chunks(const std::string& t) {
  const std::size_t n = t.size();
  auto at = [&](std::size_t i) { return i < n ? t[i] : '\0'; };
  // (?=-{2,}\w) at i: a run of at least two dashes, then a word character.
  auto dashes_then_word = [&](std::size_t i) {
    std::size_t j = i;
    while (at(j) == '-') ++j;
    return j - i >= 2 && is_word(at(j));
  };
  std::vector<std::string> chunks;
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    if (is_ws(t[i])) {
      while (j < n && is_ws(t[j])) ++j;
    } else if (i > 0 && is_word_punct(t[i - 1]) && at(i) == '-' && dashes_then_word(i)) {
      while (at(j) == '-') ++j;  // an em-dash between words
    } else {
      // A word: the shortest run of non-space characters followed by a hyphenation point,
      // the end of the word, or an em-dash.
      for (j = i + 1;; ++j) {
        if (at(j) == '-' &&
            ((j >= 2 && is_letter(t[j - 2]) && is_letter(t[j - 1])) ||
             (j >= 3 && is_letter(t[j - 3]) && t[j - 2] == '-' && is_letter(t[j - 1]))) &&
            is_letter(at(j + 1)) &&
            (is_letter(at(j + 2)) || (at(j + 2) == '-' && is_letter(at(j + 3))))) {
          ++j;
          break;
        }
        if (j >= n || is_ws(t[j])) break;
        if (is_word_punct(t[j - 1]) && dashes_then_word(j)) break;
      }
    }
    chunks.push_back(t.substr(i, j - i));
    i = j;
  }
  return chunks;
}

/// textwrap.wrap(text, width) with TextWrapper's defaults (text already has single spaces).
inline std::vector<std::string> wrap(const std::string& text, long width) {
  std::vector<std::string> chunks = split_chunks(text);
  std::reverse(chunks.begin(), chunks.end());
  auto blank = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_ws(c); });
  };
  std::vector<std::string> lines;
  while (!chunks.empty()) {
    std::vector<std::string> line;
    long len = 0;
    if (!lines.empty() && blank(chunks.back())) chunks.pop_back();
    while (!chunks.empty()) {
      long l = static_cast<long>(chunks.back().size());
      if (len + l > width) break;
      line.push_back(chunks.back());
      chunks.pop_back();
      len += l;
    }
    if (!chunks.empty() && static_cast<long>(chunks.back().size()) > width) {
      // _handle_long_word: break the word, after its last hyphen that fits when possible.
      long space_left = width < 1 ? 1 : width - len;
      std::string& chunk = chunks.back();
      std::size_t end = static_cast<std::size_t>(space_left);
      if (chunk.size() > end && end > 0) {
        std::size_t hyphen = chunk.rfind('-', end - 1);  // chunk.rfind('-', 0, space_left)
        if (hyphen != std::string::npos && hyphen > 0 && chunk.find_first_not_of('-') < hyphen)
          end = hyphen + 1;
      }
      line.push_back(chunk.substr(0, end));
      chunk.erase(0, end);
    }
    if (!line.empty() && blank(line.back())) line.pop_back();
    if (!line.empty()) {
      std::string joined;
      for (const std::string& c : line) joined += c;
      lines.push_back(std::move(joined));
    }
  }
  return lines;
}

}  // namespace textwrap

// --- HelpFormatter -------------------------------------------------------------------------

inline constexpr std::string_view prog = "python -m json.tool";
inline constexpr std::string_view description =
    "A simple command line interface for json module to validate and pretty-print JSON objects.";

/// shutil.get_terminal_size().columns: $COLUMNS when it is a positive int, else the width of
/// the terminal on stdout, else 80.
inline long terminal_columns() {
  long columns = 0;
  if (const char* env = std::getenv("COLUMNS")) {
    py_int v = parse_py_int(surrogateescape_decode(env));
    long long n;
    if (v.ok && !v.negative)
      columns = v.fits(n) ? static_cast<long>(std::min(n, 1LL << 40)) : 1L << 40;
  }
  if (columns <= 0) {
    winsize ws{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
      columns = ws.ws_col;
    else
      columns = 80;
  }
  return columns;
}

class help_formatter {
 public:
  help_formatter() : width_(terminal_columns() - 2) {
    max_help_position_ = std::min(24L, std::max(width_ - 20, 4L));
  }

  /// HelpFormatter._format_usage: "usage: ...\n", wrapped as argparse wraps it.
  std::string usage() const {
    const std::string prefix = "usage: ";
    const std::vector<std::string> opt_parts = {
        "[-h]", "[--sort-keys]", "[--no-ensure-ascii]", "[--json-lines]",
        "[--indent INDENT | --tab | --no-indent | --compact]"};
    const std::vector<std::string> pos_parts = {"[infile]", "[outfile]"};
    std::string text(prog);
    for (const auto* parts : {&opt_parts, &pos_parts})
      for (const std::string& p : *parts) text += " " + p;
    const long text_width = width_;
    if (static_cast<long>(prefix.size() + text.size()) > text_width) {
      auto get_lines = [&](std::vector<std::string> parts, const std::string& indent,
                           bool has_prefix) {
        std::vector<std::string> lines, line;
        long line_len = static_cast<long>(has_prefix ? prefix.size() : indent.size()) - 1;
        auto flush = [&] {
          std::string s = indent;
          for (std::size_t i = 0; i < line.size(); ++i) s += (i ? " " : "") + line[i];
          lines.push_back(s);
          line.clear();
        };
        for (const std::string& part : parts) {
          if (line_len + 1 + static_cast<long>(part.size()) > text_width && !line.empty()) {
            flush();
            line_len = static_cast<long>(indent.size()) - 1;
          }
          line.push_back(part);
          line_len += static_cast<long>(part.size()) + 1;
        }
        if (!line.empty()) flush();
        if (has_prefix) lines[0] = lines[0].substr(indent.size());
        return lines;
      };
      std::vector<std::string> lines;
      if (static_cast<double>(prefix.size() + prog.size()) <=
          0.75 * static_cast<double>(text_width)) {
        std::string indent(prefix.size() + prog.size() + 1, ' ');
        std::vector<std::string> first = {std::string(prog)};
        first.insert(first.end(), opt_parts.begin(), opt_parts.end());
        lines = get_lines(first, indent, true);
        for (std::string& l : get_lines(pos_parts, indent, false)) lines.push_back(l);
      } else {
        std::string indent(prefix.size(), ' ');
        std::vector<std::string> all = opt_parts;
        all.insert(all.end(), pos_parts.begin(), pos_parts.end());
        lines = get_lines(all, indent, false);
        if (lines.size() > 1) {
          lines = get_lines(opt_parts, indent, false);
          for (std::string& l : get_lines(pos_parts, indent, false)) lines.push_back(l);
        }
        lines.insert(lines.begin(), std::string(prog));
      }
      text.clear();
      for (std::size_t i = 0; i < lines.size(); ++i) text += (i ? "\n" : "") + lines[i];
    }
    return prefix + text + "\n";
  }

  /// ArgumentParser.format_help().
  std::string help() const {
    std::string out = usage() + "\n";
    for (const std::string& line : textwrap::wrap(std::string(description), std::max(width_, 11L)))
      out += line + "\n";
    out += "\npositional arguments:\n";
    for (const action_spec& a : tool_actions())
      if (a.option_strings.empty()) out += format_action(a);
    out += "\noptions:\n";
    for (const action_spec& a : tool_actions())
      if (!a.option_strings.empty()) out += format_action(a);
    return out;
  }

 private:
  static std::string invocation(const action_spec& a) {
    if (a.option_strings.empty()) return std::string(a.dest);
    std::string s;
    for (std::string_view o : a.option_strings) {
      if (!s.empty()) s += ", ";
      s += o;
      if (a.nargs != 0) s += " INDENT";  // the metavar: dest.upper(); only --indent takes one
    }
    return s;
  }

  std::string format_action(const action_spec& a) const {
    constexpr long current_indent = 2;
    long max_length = 0;
    for (const action_spec& b : tool_actions())
      max_length = std::max(max_length, static_cast<long>(invocation(b).size()) + current_indent);
    const long help_position = std::min(max_length + 2, max_help_position_);
    const long help_width = std::max(width_ - help_position, 11L);
    const long action_width = help_position - current_indent - 2;
    std::string header = invocation(a);
    std::string out(current_indent, ' ');
    long indent_first;
    if (static_cast<long>(header.size()) <= action_width) {
      header.resize(static_cast<std::size_t>(action_width), ' ');
      out += header + "  ";
      indent_first = 0;
    } else {
      out += header + "\n";
      indent_first = help_position;
    }
    std::vector<std::string> lines = textwrap::wrap(std::string(a.help), help_width);
    for (std::size_t i = 0; i < lines.size(); ++i)
      out += std::string(static_cast<std::size_t>(i == 0 ? indent_first : help_position), ' ') +
             lines[i] + "\n";
    return out;
  }

  long width_;
  long max_help_position_;
};

// --- errors --------------------------------------------------------------------------------

/// ArgumentParser.error(): usage and message on stderr, exit status 2.
inline tool_exit argparse_error(const std::string& message) {
  return {2, std::string(prog) + ": error: " + message + "\n", "", help_formatter().usage()};
}

/// ArgumentError(action, message) as parse_known_args reports it.
inline tool_exit argument_error(action_id id, const std::string& message) {
  const action_spec& a = spec_of(id);
  std::string name;
  if (a.option_strings.empty()) {
    name = a.dest;
  } else {
    for (std::string_view o : a.option_strings) name += (name.empty() ? "" : "/") + std::string(o);
  }
  return argparse_error("argument " + name + ": " + message);
}

/// pathlib.PurePosixPath(arg) as str: empty and '.' parts dropped, one or two leading slashes
/// kept (three or more become one), trailing slashes dropped, '' becomes '.'.
inline std::string pathlib_str(std::string_view arg) {
  std::string root;
  std::size_t lead = arg.find_first_not_of('/');
  if (lead == std::string_view::npos) lead = arg.size();
  if (lead == 2)
    root = "//";
  else if (lead > 0)
    root = "/";
  std::string parts;
  std::size_t i = lead;
  while (i < arg.size()) {
    std::size_t j = arg.find('/', i);
    if (j == std::string_view::npos) j = arg.size();
    std::string_view part = arg.substr(i, j - i);
    if (!part.empty() && part != ".") {
      if (!parts.empty()) parts += '/';
      parts += part;
    }
    i = j + 1;
  }
  if (root.empty() && parts.empty()) return ".";
  return root + parts;
}

// --- parse_args ----------------------------------------------------------------------------

/// parser.parse_args() for json.tool's parser. `args` are argv[1:] decoded as Python decodes
/// them (UTF-8 with surrogateescape). Throws tool_exit for -h and for errors.
class arg_parser {
 public:
  explicit arg_parser(std::vector<std::string> args) : args_(std::move(args)) {
    for (const action_spec& a : tool_actions())
      for (std::string_view o : a.option_strings) option_actions_.push_back({std::string(o), a.id});
  }

  tool_options parse() {
    // Classify every argument: 'O' option, 'A' argument, '-' for the first '--'.
    std::string pattern;
    for (std::size_t i = 0; i < args_.size(); ++i) {
      if (args_[i] == "--") {
        pattern += '-';
        pattern.append(args_.size() - i - 1, 'A');
        break;
      }
      if (auto t = parse_optional(args_[i])) {
        option_indices_[i] = *t;
        pattern += 'O';
      } else {
        pattern += 'A';
      }
    }
    pattern_ = pattern;

    // Consume positionals and optionals alternately, until past the last option string.
    std::size_t start = 0;
    long max_option =
        option_indices_.empty() ? -1 : static_cast<long>(option_indices_.rbegin()->first);
    while (static_cast<long>(start) <= max_option) {
      std::size_t next_option = option_indices_.lower_bound(start)->first;
      if (start != next_option) {
        std::size_t end = consume_positionals(start);
        if (end > start) {
          start = end;
          continue;
        }
        start = end;
      }
      if (!option_indices_.count(start)) {
        for (std::size_t i = start; i < next_option; ++i) extras_.push_back(args_[i]);
        start = next_option;
      }
      start = consume_optional(start);
    }
    std::size_t stop = consume_positionals(start);
    for (std::size_t i = stop; i < args_.size(); ++i) extras_.push_back(args_[i]);
    if (!extras_.empty()) {
      std::string joined;
      for (const std::string& e : extras_) joined += (joined.empty() ? "" : " ") + e;
      throw argparse_error("unrecognized arguments: " + joined);
    }
    return options_;
  }

 private:
  struct option_tuple {
    std::optional<action_id> action;  // empty: looks like an option, but is none of ours
    std::string option_string;
    std::optional<std::string> explicit_arg;
  };

  std::optional<action_id> find_option(std::string_view s) const {
    for (const auto& [name, id] : option_actions_)
      if (name == s) return id;
    return std::nullopt;
  }

  // '^-\d+$|^-\d*\.\d+$', with Unicode digits and '$' also matching before a final '\n'.
  static bool looks_like_negative_number(std::string_view s) {
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (s.size() < 2 || s[0] != '-') return false;
    std::size_t i = 1;
    std::size_t before = 0, after = 0;
    bool dot = false;
    while (i < s.size()) {
      std::uint32_t cp = next_code_point(s, i);
      if (cp == '.' && !dot)
        dot = true;
      else if (decimal_value(cp) >= 0)
        ++(dot ? after : before);
      else
        return false;
    }
    return dot ? after > 0 : before > 0;
  }

  std::optional<option_tuple> parse_optional(const std::string& arg) const {
    if (arg.empty() || arg[0] != '-') return std::nullopt;
    if (auto id = find_option(arg)) return option_tuple{id, arg, std::nullopt};
    if (arg.size() == 1) return std::nullopt;
    if (std::size_t eq = arg.find('='); eq != std::string::npos) {
      if (auto id = find_option(std::string_view(arg).substr(0, eq)))
        return option_tuple{id, arg.substr(0, eq), arg.substr(eq + 1)};
    }
    std::vector<option_tuple> tuples = option_tuples(arg);
    if (tuples.size() > 1) {
      std::string matches;
      for (const option_tuple& t : tuples)
        matches += (matches.empty() ? "" : ", ") + t.option_string;
      throw argparse_error("ambiguous option: " + arg + " could match " + matches);
    }
    if (tuples.size() == 1) return tuples[0];
    if (looks_like_negative_number(arg)) return std::nullopt;
    if (arg.find(' ') != std::string::npos) return std::nullopt;
    return option_tuple{std::nullopt, arg, std::nullopt};
  }

  std::vector<option_tuple> option_tuples(const std::string& arg) const {
    std::vector<option_tuple> result;
    if (arg[1] == '-') {
      // Long options are only split at '='; any unique prefix names an option.
      std::size_t eq = arg.find('=');
      std::string prefix = arg.substr(0, eq);
      std::optional<std::string> explicit_arg;
      if (eq != std::string::npos) explicit_arg = arg.substr(eq + 1);
      for (const auto& [name, id] : option_actions_)
        if (name.compare(0, prefix.size(), prefix) == 0) result.push_back({id, name, explicit_arg});
    } else {
      // A single-dash option may carry its argument right after it (-h5).
      std::string short_prefix = arg.substr(0, 2);
      for (const auto& [name, id] : option_actions_) {
        if (name == short_prefix)
          result.push_back({id, name, arg.substr(2)});
        else if (name.compare(0, arg.size(), arg) == 0)
          result.push_back({id, name, std::nullopt});
      }
    }
    return result;
  }

  std::size_t consume_optional(std::size_t start) {
    option_tuple t = option_indices_.at(start);
    std::vector<std::pair<action_id, std::vector<std::string>>> todo;
    std::size_t stop;
    for (;;) {
      if (!t.action) {
        extras_.push_back(args_[start]);
        return start + 1;
      }
      const action_spec& a = spec_of(*t.action);
      if (t.explicit_arg) {
        int count = a.nargs == 0 ? 0 : 1;  // _match_argument(action, 'A')
        if (count == 0 && t.option_string[1] != '-' && !t.explicit_arg->empty()) {
          // -hX: X would be more single-dash options; json.tool has no other one.
          todo.push_back({*t.action, {}});
          std::string next = std::string("-") + (*t.explicit_arg)[0];
          std::optional<std::string> rest;
          if (t.explicit_arg->size() > 1) rest = t.explicit_arg->substr(1);
          if (auto id = find_option(next)) {
            t.action = id;
            t.option_string = next;
            t.explicit_arg = rest;
          } else {
            throw argument_error(*t.action,
                                 "ignored explicit argument " + py_repr(*t.explicit_arg));
          }
        } else if (count == 1) {
          stop = start + 1;
          todo.push_back({*t.action, {*t.explicit_arg}});
          break;
        } else {
          throw argument_error(*t.action, "ignored explicit argument " + py_repr(*t.explicit_arg));
        }
      } else {
        std::size_t first = start + 1;
        std::size_t count = 0;
        if (a.nargs == 1) {
          if (first >= pattern_.size() || pattern_[first] != 'A')
            throw argument_error(*t.action, "expected one argument");
          count = 1;
        }
        stop = first + count;
        todo.push_back(
            {*t.action, std::vector<std::string>(args_.begin() + static_cast<long>(first),
                                                 args_.begin() + static_cast<long>(stop))});
        break;
      }
    }
    for (auto& [id, values] : todo) take_action(id, values);
    return stop;
  }

  // All of json.tool's positionals are nargs='?': '(-*A?-*)' each, matched greedily from
  // `start`. The whole list always matches, so every remaining positional is consumed here,
  // possibly with no argument (the reason `a --sort-keys b` leaves b unrecognized).
  std::size_t consume_positionals(std::size_t start) {
    while (!positionals_.empty()) {
      std::size_t i = start;
      while (i < pattern_.size() && pattern_[i] == '-') ++i;
      if (i < pattern_.size() && pattern_[i] == 'A') ++i;
      while (i < pattern_.size() && pattern_[i] == '-') ++i;
      std::vector<std::string> values(args_.begin() + static_cast<long>(start),
                                      args_.begin() + static_cast<long>(i));
      action_id id = positionals_.front();
      positionals_.erase(positionals_.begin());
      take_action(id, values);
      start = i;
    }
    return start;
  }

  void take_action(action_id id, std::vector<std::string> values) {
    // _get_values: drop the first '--', then convert.
    auto dd = std::find(values.begin(), values.end(), "--");
    if (dd != values.end()) values.erase(dd);
    const action_spec& a = spec_of(id);
    bool is_default = false;  // `argument_values is action.default`
    if (a.nargs == optional_nargs && values.empty()) {
      is_default = true;
    } else if (values.size() == 1 && a.nargs != 0) {
      is_default = convert(id, values[0]);
    } else if (id == action_id::indent) {
      options_.indent.kind = indent_value::empty_list;
    }
    if (!is_default && in_indent_group(id)) {
      seen_non_default_.insert(id);
      for (action_id other : indent_group)
        if (other != id && seen_non_default_.count(other))
          throw argument_error(
              id, "not allowed with argument " + std::string(spec_of(other).option_strings[0]));
    }
    switch (id) {
      case action_id::help: throw tool_exit{0, "", help_formatter().help()};
      case action_id::sort_keys: options_.sort_keys = true; break;
      case action_id::ensure_ascii: options_.ensure_ascii = false; break;
      case action_id::json_lines: options_.json_lines = true; break;
      case action_id::tab: options_.indent.kind = indent_value::tab; break;
      case action_id::no_indent: options_.indent.kind = indent_value::none; break;
      case action_id::compact: options_.compact = true; break;
      default: break;  // infile, outfile and --indent were stored by convert()
    }
  }

  // _get_value: the action's type applied to one argument. Returns whether the result `is`
  // the action's default object.
  bool convert(action_id id, const std::string& arg) {
    switch (id) {
      case action_id::indent: {
        py_int n = parse_py_int(arg);
        if (!n.ok) throw argument_error(id, "invalid int value: " + py_repr(arg));
        options_.indent.kind = indent_value::number;
        options_.indent.n = n;
        return n.equals(4);
      }
      case action_id::infile: {
        // argparse.FileType(encoding="utf-8"): '-' is sys.stdin, anything else is opened now.
        if (arg == "-") {
          options_.infile_is_stdin = true;
          options_.infile_fd = STDIN_FILENO;
          return true;
        }
        std::string path = surrogateescape_encode(arg);
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        int err = errno;
        if (fd >= 0) {
          struct stat st {};
          if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            ::close(fd);
            fd = -1;
            err = EISDIR;
          }
        }
        if (fd < 0)
          throw argument_error(id, "can't open '" + arg + "': " + os_error_text(err, arg));
        options_.infile_is_stdin = false;
        options_.infile_fd = fd;
        return false;
      }
      case action_id::outfile: options_.outfile = pathlib_str(arg); return false;
      default: return false;
    }
  }

  std::vector<std::string> args_;
  std::vector<std::pair<std::string, action_id>> option_actions_;
  std::map<std::size_t, option_tuple> option_indices_;
  std::string pattern_;
  std::vector<action_id> positionals_ = {action_id::infile, action_id::outfile};
  std::vector<std::string> extras_;
  std::set<action_id> seen_non_default_;
  tool_options options_;
};

}  // namespace pyjson_tool
