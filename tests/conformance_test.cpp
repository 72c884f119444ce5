// JSONTestSuite (from ../shared/data/conformance, never copied here): every y_ file parses,
// every n_ file fails with a decode_error, no i_ file crashes. Skipped when the folder is absent.
// SPDX-License-Identifier: MIT
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <pyjson.hpp>
#include <string>
#include <vector>

#include "catch.hpp"

namespace fs = std::filesystem;

namespace {
fs::path conformance_dir() {
  if (const char* env = std::getenv("PYJSON_SHARED_DATA")) return fs::path(env) / "conformance";
  return fs::path(PYJSON_SHARED_DATA) / "conformance";
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_with_prefix(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("conformance: JSONTestSuite test_parsing") {
  fs::path dir = conformance_dir() / "test_parsing";
  if (!fs::is_directory(dir)) {
    WARN("JSONTestSuite not found at " << dir.string() << ": skipped");
    return;
  }
  auto accepted = files_with_prefix(dir, "y_");
  auto rejected = files_with_prefix(dir, "n_");
  auto either = files_with_prefix(dir, "i_");
  REQUIRE(accepted.size() > 90);
  REQUIRE(rejected.size() > 180);
  for (const auto& f : accepted) {
    CAPTURE(f.filename().string());
    CHECK_NOTHROW(pyjson::loads(read_all(f)));
  }
  for (const auto& f : rejected) {
    CAPTURE(f.filename().string());
    // Python accepts three n_ files (its grammar has NaN and Infinity); so do we, unless
    // allow_nan is off, which makes the grammar RFC 8259's.
    pyjson::load_options strict_json{.allow_nan = false};
    CHECK_THROWS_AS(pyjson::loads(read_all(f), strict_json), pyjson::decode_error);
  }
  for (const auto& f : either) {
    CAPTURE(f.filename().string());
    std::string text = read_all(f);
    try {
      pyjson::value v = pyjson::loads(text);
      // Whatever parses must write and read back to an equal value.
      CHECK(pyjson::loads(pyjson::dumps(v)) == v);
    } catch (const pyjson::decode_error&) {
      // Rejecting is allowed; crashing is not.
    }
  }
}
