// Fuzzing: whatever loads accepts must survive dumps and loads again, under several
// dump_options. Invariants: the re-parsed value is exactly the original (kinds, integer digits,
// float bits, bytes, member order; NaN equals NaN here); dumps is idempotent after one round;
// operator== agrees when there is no NaN; ensure_ascii output is ASCII; ensure_ascii = false
// fails (value_error) exactly when a string holds a lone surrogate; allow_nan = false fails
// (value_error) exactly when a float is not finite. And the input itself, as a program's own
// string (any bytes), is written with AVX2 and byte by byte alike, text or error.
// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdint>
#include <pyjson.hpp>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"

namespace {

using namespace pyjson_fuzz;

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

/// dumps(v, d), checking when it may throw; false when it threw (as it had to).
bool checked_dumps(const pyjson::value& v, const pyjson::dump_options& d, std::string& out,
                   std::string_view input) {
  bool must_fail_surrogate = !d.ensure_ascii && value_has_surrogate(v);
  bool must_fail_nan = !d.allow_nan && value_has_non_finite(v);
  try {
    out = pyjson::dumps(v, d);
  } catch (const pyjson::value_error& e) {
    check(must_fail_surrogate || must_fail_nan, "dumps raised value_error for no reason", e.what(),
          input);
    return false;
  } catch (...) {
    unexpected_exception("dumps", input);
  }
  check(!must_fail_surrogate, "dumps with ensure_ascii = false wrote a lone surrogate", out, input);
  check(!must_fail_nan, "dumps with allow_nan = false wrote NaN or Infinity", out, input);
  if (d.ensure_ascii) check(is_ascii(out), "dumps with ensure_ascii wrote non-ASCII", out, input);
  return true;
}

void round_trip(const pyjson::value& v, const pyjson::dump_options& d,
                const pyjson::load_options& reload, std::string_view input) {
  std::string first;
  if (!checked_dumps(v, d, first, input)) return;
  pyjson::value back;
  try {
    back = pyjson::loads(first, reload);
  } catch (...) {
    unexpected_exception("loads of dumps output", first);
  }
  check(same_value(v, back, d.sort_keys), "loads(dumps(v)) is not v", first, input);
  if (!value_has_nan(v)) check(v == back, "operator== is false for an exact copy", first, input);
  std::string second;
  check(checked_dumps(back, d, second, input), "dumps of the re-parsed value failed", first, input);
  check(first == second, "dumps(loads(dumps(v))) != dumps(v)", first + "\n---\n" + second, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input = as_text(data, size);
  const std::uint8_t sel = data[0];
  const std::string_view text = input.substr(1);

  // The input as a program's own string, not known to be valid UTF-8: written with AVX2 and
  // byte by byte, with and without ensure_ascii, the same text or the same error.
  for (bool ascii : {true, false}) {
    auto [plain, vector] = without_and_with_avx2([&]() -> std::string {
      try {
        return pyjson::dumps(std::string(text), {.ensure_ascii = ascii});
      } catch (const pyjson::value_error& e) {
        return std::string("error ") + e.what();
      } catch (...) {
        unexpected_exception("dumps of the input as a string", input);
      }
    });
    check(plain == vector, "a string written with and without AVX2 differs",
          plain + "\n---\n" + vector, input);
  }

  pyjson::load_options opt;
  opt.strict = (sel & 1) == 0;
  opt.max_depth = (sel & 2) ? 16 : pyjson::default_max_depth;
  pyjson::value v;
  try {
    v = pyjson::loads(text, opt);
  } catch (const pyjson::decode_error&) {
    return 0;
  } catch (...) {
    unexpected_exception("loads", input);
  }

  pyjson::load_options reload;  // dumps output is strict JSON (plus NaN/Infinity)
  reload.max_depth = opt.max_depth;
  if (has_surrogate(text)) {
    // Raw surrogates can form a pair (ED A0 BD ED B8 80) that \uXXXX escapes turn into one
    // character on reload: Python does the same ('\ud83d\ude00' comes back as U+1F600), and
    // keys may merge. Start from the value after one such round.
    try {
      v = pyjson::loads(pyjson::dumps(v), reload);
    } catch (...) {
      unexpected_exception("normalizing round", input);
    }
  }

  const bool sort_keys = (sel & 4) != 0;
  const bool allow_nan = (sel & 8) == 0;
  for (int combo = 0; combo < 4; ++combo) {
    pyjson::dump_options d;
    d.ensure_ascii = (combo & 1) == 0;
    if (combo & 2) {
      switch ((sel >> 4) & 3) {
        case 0: d.indent = 2; break;
        case 1: d.indent = 0; break;
        case 2: d.indent = "\t"; break;
        case 3: d.indent = -3; break;
      }
    } else if (sel & 0x40) {
      d.separators = {",", ":"};
    }
    d.sort_keys = sort_keys;
    d.allow_nan = allow_nan;
    round_trip(v, d, reload, input);
  }
  return 0;
}
