// Fuzzing: the path pyjson-tool takes from input bytes to output text, without processes or
// file descriptors (cli/pyjson_tool.cpp exposes no callable entry point yet). The first byte
// picks the mode: stdin (surrogateescape decoding, no newline translation) or a file (strict
// UTF-8, universal newlines), --json-lines or not, and json.tool's output flags (--indent,
// --tab, --compact, --sort-keys, --no-ensure-ascii). The text is parsed as the tool parses it
// (max_depth 990, surrogates allowed) and written both with pyjson::dumps and with the tool's
// chunked encoder (cli/py_iterencode.hpp), which must agree byte for byte whenever dumps can
// write the value.
// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdint>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"
#include "py_iterencode.hpp"
#include "py_text.hpp"

namespace {

using namespace pyjson_fuzz;

constexpr std::size_t tool_max_depth = 990;  // json.tool's recursion limit, as the tool sets it

/// io.TextIOWrapper's universal newlines: \r\n and \r become \n.
std::string translate_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') {
      out += s[i];
    } else {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  return out;
}

/// json.tool's json.dump arguments for a flag combination.
pyjson::dump_options tool_dump_options(std::uint8_t sel) {
  pyjson::dump_options d;
  d.sort_keys = (sel & 0x08) != 0;
  d.ensure_ascii = (sel & 0x10) == 0;
  switch (sel >> 5) {
    case 0: d.indent = 4; break;               // the default
    case 1: d.indent = "\t"; break;            // --tab
    case 2: d.separators = {",", ":"}; break;  // --compact
    case 3: break;                             // --indent=None
    case 4: d.indent = ""; break;              // --indent=0 or a negative number
    case 5: d.indent = 1; break;
    case 6: d.indent = 8; break;
    case 7:
      d.indent = "\t";
      d.separators = {" ,", " : "};
      break;
  }
  return d;
}

void run_document(std::string_view doc, const pyjson::dump_options& d, std::string_view input) {
  if (doc.starts_with("\xEF\xBB\xBF")) return;  // json.loads(str) rejects a BOM up front
  pyjson::load_options opt;
  opt.max_depth = tool_max_depth;
  pyjson::value v;
  try {
    v = pyjson::detail::parse_document(doc, opt, true);
  } catch (const pyjson::decode_error&) {
    return;
  } catch (...) {
    unexpected_exception("parse_document", input);
  }

  const bool surrogates = value_has_surrogate(v);
  std::string whole;
  bool dumped = false;
  try {
    whole = pyjson::dumps(v, d);
    dumped = true;
  } catch (const pyjson::value_error& e) {
    check(!d.ensure_ascii && surrogates, "dumps raised value_error without a lone surrogate",
          e.what(), input);
  } catch (...) {
    unexpected_exception("dumps", input);
  }
  check(dumped || !d.ensure_ascii, "dumps failed with ensure_ascii", {}, input);

  std::string chunked;
  std::size_t chunks = 0;
  auto write = [&](std::string_view chunk) {
    chunked.append(chunk);
    ++chunks;
  };
  try {
    pyjson_tool::chunk_encoder<decltype(write)>(d, write).dump(v);
  } catch (...) {
    unexpected_exception("chunk_encoder", input);
  }
  if (dumped)
    check(chunked == whole, "the tool's chunked encoder and dumps disagree",
          whole + "\n--- chunked:\n" + chunked, input);
  else
    check(has_surrogate(chunked), "chunked output of a value with surrogates has none", chunked,
          input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input = as_text(data, size);
  const std::uint8_t sel = data[0];
  const std::string_view bytes = input.substr(1);
  const bool from_stdin = (sel & 1) == 0;
  const bool json_lines = (sel & 2) != 0;
  const pyjson::dump_options d = tool_dump_options(sel);

  std::string text;
  try {
    if (from_stdin) {
      // sys.stdin in the C/UTF-8 locales: undecodable bytes become U+DC80..U+DCFF, and
      // encoding them back gives the bytes again.
      text = pyjson_tool::surrogateescape_decode(bytes);
      check(pyjson_tool::surrogateescape_encode(text) == bytes,
            "surrogateescape_encode(surrogateescape_decode(b)) != b", text, input);
    } else {
      // A file: strict UTF-8 (an error ends the tool), then universal newlines.
      if (pyjson::detail::find_utf8_error(bytes.data(), bytes.data() + bytes.size())) return 0;
      text = translate_newlines(bytes);
    }
  } catch (...) {
    unexpected_exception("decoding the input", input);
  }

  if (!json_lines) {
    run_document(text, d, input);
  } else {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      std::size_t end = nl == std::string::npos ? text.size() : nl + 1;
      run_document(std::string_view(text).substr(start, end - start), d, input);
      start = end;
    }
  }
  return 0;
}
