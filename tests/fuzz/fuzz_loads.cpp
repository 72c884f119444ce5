// Fuzzing: pyjson::loads on arbitrary bytes. The first byte picks the load_options (strict,
// allow_nan, max_depth), the rest is the text. Invariants: only decode_error escapes; an error's
// position, line and column agree with its byte offset; invalid UTF-8 anywhere is reported as
// such, at the first bad byte, before any syntax error; raw_decode and the strict-UTF-8 parse
// agree with loads; loosening an option never turns success into failure; reading with AVX2
// and byte by byte gives the same value or the same error.
// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdint>
#include <pyjson.hpp>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"

namespace {

using namespace pyjson_fuzz;

constexpr std::string_view bom = "\xEF\xBB\xBF";

/// Offset of the first sequence Python's UTF-8 decoder rejects with errors='surrogatepass'
/// (json.loads(bytes)), or npos. Written from the Unicode table 3-7, independently of pyjson.
std::size_t first_invalid_utf8(std::string_view s) {
  auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEF) {
      len = 3;  // ED A0..BF: surrogates, which surrogatepass accepts
    } else if (c == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else {
      return i;
    }
    if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (i + k >= n || (p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

pyjson::load_options options_from(std::uint8_t sel) {
  pyjson::load_options o;
  o.strict = (sel & 1) == 0;
  o.allow_nan = (sel & 2) == 0;
  switch ((sel >> 2) & 3) {
    case 0: break;  // the default, 1000
    case 1: o.max_depth = 1 + ((sel >> 4) & 7); break;
    case 2: o.max_depth = (sel >> 4) & 1; break;  // 0 (no container at all) or 1
    case 3: o.max_depth = 64; break;
  }
  return o;
}

/// Python's position fields for an error at byte b of body (valid UTF-8 before b).
void check_position(const pyjson::decode_error& e, std::string_view text, std::size_t skipped,
                    std::string_view input) {
  check(e.byte_pos() >= skipped && e.byte_pos() <= text.size(), "byte_pos out of range", e.what(),
        input);
  std::string_view body = text.substr(skipped);
  std::size_t b = e.byte_pos() - skipped;
  std::size_t pos = code_points(body, b);
  std::size_t nl = body.substr(0, b).rfind('\n');
  std::size_t lineno = 1, colno = pos + 1;
  if (nl != std::string_view::npos) {
    for (std::size_t i = 0; i < b; ++i) lineno += body[i] == '\n';
    colno = pos - code_points(body, nl);
  }
  check(e.pos() == pos, "decode_error pos disagrees with byte_pos", e.what(), input);
  check(e.lineno() == lineno, "decode_error lineno disagrees with byte_pos", e.what(), input);
  check(e.colno() == colno, "decode_error colno disagrees with byte_pos", e.what(), input);
  std::string expected = e.msg() + ": line " + std::to_string(lineno) + " column " +
                         std::to_string(colno) + " (char " + std::to_string(pos) + ")";
  check(expected == e.what(), "decode_error what() is not msg + position", e.what(), input);
  check(!e.msg().empty(), "decode_error with an empty message", e.what(), input);
}

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input = as_text(data, size);
  const pyjson::load_options opt = options_from(data[0]);
  const std::string_view text = input.substr(1);
  const std::size_t skipped = text.starts_with(bom) ? bom.size() : 0;
  const std::size_t bad_utf8 = first_invalid_utf8(text.substr(skipped));

  // Read with AVX2 and byte by byte: the same value (as written with escapes, so that a
  // surrogate cannot make it fail) or the same error.
  auto [plain, vector] = without_and_with_avx2([&]() -> std::string {
    try {
      return pyjson::dumps(pyjson::loads(text, opt));
    } catch (const pyjson::decode_error& e) {
      return std::string("error ") + e.what();
    } catch (...) {
      unexpected_exception("loads", input);
    }
  });
  check(plain == vector, "loads with and without AVX2 differ", plain + "\n---\n" + vector, input);

  pyjson::value v;
  try {
    v = pyjson::loads(text, opt);
  } catch (const pyjson::decode_error& e) {
    check_position(e, text, skipped, input);
    bool codec_error = e.msg().starts_with("'utf-8' codec can't decode");
    check(codec_error == (bad_utf8 != std::string_view::npos),
          "invalid UTF-8 must be reported (and only then) as a codec error", e.what(), input);
    if (codec_error)
      check(e.byte_pos() == skipped + bad_utf8, "codec error not at the first invalid byte",
            e.what(), input);
    // raw_decode sees the same grammar: it may stop earlier (no trailing-data check), but it
    // throws nothing but decode_error either.
    try {
      (void)pyjson::raw_decode(text, opt);
    } catch (const pyjson::decode_error&) {
    } catch (...) {
      unexpected_exception("raw_decode after a failed loads", input);
    }
    return 0;
  } catch (...) {
    unexpected_exception("loads", input);
  }

  check(bad_utf8 == std::string_view::npos, "loads accepted invalid UTF-8", {}, input);
  try {
    // Looser options accept at least as much, with the same result.
    pyjson::load_options loose;
    loose.strict = false;
    loose.allow_nan = true;
    loose.max_depth = pyjson::default_max_depth;
    pyjson::value w = pyjson::loads(text, loose);
    check(same_value(v, w, false), "loads with looser options gives another value",
          pyjson::dumps(v) + " vs " + pyjson::dumps(w), input);

    // Without surrogatepass: the same value, or a codec error when the text holds raw
    // surrogates.
    try {
      pyjson::value s = pyjson::detail::parse_document(text, opt, false);
      check(same_value(v, s, false), "parse_document without surrogates gives another value", {},
            input);
    } catch (const pyjson::decode_error& e) {
      check(has_surrogate(text) && e.msg().starts_with("'utf-8' codec can't decode"),
            "parse_document without surrogates fails on text without raw surrogates", e.what(),
            input);
    }

    // raw_decode: the same value, ending where only whitespace is left.
    if (skipped == 0 && !text.empty() && !is_ws(text[0])) {
      auto [r, end] = pyjson::raw_decode(text, opt);
      check(end <= text.size(), "raw_decode end past the text", {}, input);
      for (std::size_t i = end; i < text.size(); ++i)
        check(is_ws(text[i]), "raw_decode stopped before the end of the value", {}, input);
      check(same_value(v, r, false), "raw_decode gives another value than loads", {}, input);
    }

    // Default dumps never fails on a loaded value.
    (void)pyjson::dumps(v);
  } catch (...) {
    unexpected_exception("a check after a successful loads", input);
  }
  return 0;
}
