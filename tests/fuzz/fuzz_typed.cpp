// Fuzzing: pyjson::loads<T> into a nested struct of every category the typed reader handles.
// Invariants: only decode_error and type_error escape; a decode_error is exactly the one
// loads<value> raises (syntax wins over type, as Python parses first); loads<T> never accepts
// text that loads<value> rejects; what loads<T> accepts dumps, loads<T> back and dumps to the
// same text.
// SPDX-License-Identifier: MIT
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_common.hpp"

namespace fuzz_types {

struct point {
  std::int8_t x;
  std::int8_t y;
  std::optional<double> z;
};

// Its required fields are disjoint from point's, so a variant<point, label> never loads one
// alternative's output as the other.
struct label {
  std::string text;
  std::optional<std::uint64_t> id;
  bool visible;
};

struct leaf {
  std::uint64_t count;
  std::optional<std::vector<std::optional<std::int8_t>>> bits;
  std::array<double, 2> range;
  std::map<std::string, bool> flags;
  // Vectors of doubles and of pairs have a quick path of their own (read_number_array).
  std::optional<std::vector<std::array<double, 2>>> ring;
  std::optional<std::vector<double>> series;
};

struct record {
  std::string name;
  std::int8_t small;
  std::uint64_t big;
  double real;
  bool flag;
  std::optional<std::string> note;
  std::vector<std::int8_t> bytes;
  std::array<std::string, 2> pair;
  std::variant<std::nullptr_t, bool, std::int8_t, std::uint64_t, double, std::string,
               std::vector<std::int8_t>, point, label>
      choice;
  std::map<std::string, std::variant<std::int8_t, std::string, std::vector<point>>> table;
  std::map<std::int64_t, std::optional<leaf>> numbered;
  std::vector<std::variant<label, point>> shapes;
  std::optional<leaf> child;
  std::optional<pyjson::value> extra;
};

}  // namespace fuzz_types

namespace {

using namespace pyjson_fuzz;
using fuzz_types::record;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input = as_text(data, size);
  const std::uint8_t sel = data[0];
  const std::string_view text = input.substr(1);

  pyjson::load_options opt;
  opt.strict = (sel & 1) == 0;
  opt.allow_nan = (sel & 2) == 0;
  opt.ignore_unknown_keys = (sel & 4) == 0;
  if (sel & 8) opt.max_depth = 1 + ((sel >> 4) & 7);

  // The untyped verdict first: the typed one must agree with it on syntax.
  std::optional<std::string> syntax_error;
  try {
    (void)pyjson::loads(text, opt);
  } catch (const pyjson::decode_error& e) {
    syntax_error = e.what();
  } catch (...) {
    unexpected_exception("loads<value>", input);
  }

  record r;
  try {
    r = pyjson::loads<record>(text, opt);
  } catch (const pyjson::decode_error& e) {
    check(syntax_error.has_value(), "loads<T> raised decode_error on text loads<value> accepts",
          e.what(), input);
    check(*syntax_error == e.what(), "loads<T> and loads<value> raise different decode_errors",
          syntax_error.value_or("") + " vs " + e.what(), input);
    return 0;
  } catch (const pyjson::type_error& e) {
    check(!syntax_error.has_value(), "loads<T> raised type_error on invalid JSON",
          syntax_error.value_or("") + " vs " + e.what(), input);
    check(std::string_view(e.what()).starts_with("$"), "type_error does not start with a path",
          e.what(), input);
    return 0;
  } catch (...) {
    unexpected_exception("loads<T>", input);
  }
  check(!syntax_error.has_value(), "loads<T> accepted text loads<value> rejects",
        syntax_error.value_or(""), input);

  std::string first, second;
  try {
    first = pyjson::dumps(r);
  } catch (...) {
    unexpected_exception("dumps of a loaded T", input);
  }
  // dumps output is strict JSON (with NaN/Infinity), and unknown keys are never written.
  pyjson::load_options reload;
  reload.max_depth = opt.max_depth;
  reload.ignore_unknown_keys = false;
  record back;
  try {
    back = pyjson::loads<record>(first, reload);
    second = pyjson::dumps(back);
  } catch (...) {
    unexpected_exception("loads<T> of dumps output", first);
  }
  // Lone surrogates (escaped or raw) make ensure_ascii = false fail below.
  bool lone_surrogates = false;
  try {
    lone_surrogates = value_has_surrogate(pyjson::loads(first));
  } catch (...) {
    unexpected_exception("loads<value> of typed dumps output", first);
  }
  // Raw surrogate pairs in the input come back as one character, and map keys may merge, as
  // in Python: only then may the text change, and only once.
  const bool raw_surrogates = has_surrogate(text);
  if (raw_surrogates) {
    try {
      first = second;
      second = pyjson::dumps(pyjson::loads<record>(first, reload));
    } catch (...) {
      unexpected_exception("loads<T> of dumps output (second round)", first);
    }
  }
  check(first == second, "dumps(loads<T>(dumps(t))) != dumps(t)", first + "\n---\n" + second,
        input);

  // The same object through the other dump options.
  for (int combo = 0; combo < 2; ++combo) {
    pyjson::dump_options d;
    d.ensure_ascii = combo == 0;
    d.indent = combo == 0 ? pyjson::indentation(2) : pyjson::indentation();
    d.sort_keys = (sel & 0x80) != 0;
    try {
      std::string s = pyjson::dumps(r, d);
      std::string t = pyjson::dumps(pyjson::loads<record>(s, reload), d);
      if (!raw_surrogates)
        check(s == t, "typed round trip differs with dump options", s + "\n---\n" + t, input);
    } catch (const pyjson::value_error& e) {
      check(!d.ensure_ascii && (lone_surrogates || raw_surrogates),
            "typed dumps raised value_error without a lone surrogate", e.what(), input);
    } catch (...) {
      unexpected_exception("typed dumps/loads with dump options", input);
    }
  }
  return 0;
}
