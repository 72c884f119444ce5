// Consumer test program: what a project that uses pyjson writes. Round-trips a document through
// pyjson::value and a struct through loads<T>/dumps, and checks the bytes against Python's.
// SPDX-License-Identifier: MIT
#include <cstdio>
#include <optional>
#include <pyjson.hpp>
#include <string>
#include <string_view>
#include <vector>

static_assert(__cplusplus >= 202002L, "pyjson needs C++20: the build must ask for it");

namespace {

int failures = 0;

void expect_equal(std::string_view what, const std::string& got, std::string_view want) {
  if (got != want) {
    ++failures;
    std::fprintf(stderr, "FAIL %.*s\n  got:  %s\n  want: %.*s\n", static_cast<int>(what.size()),
                 what.data(), got.c_str(), static_cast<int>(want.size()), want.data());
  }
}

struct point {
  int x;
  double y;
  std::string label;
  std::optional<std::vector<int>> tags;
};

}  // namespace

int main() {
  // Expected bytes are python3's json.dumps output for the same input.
  const std::string_view document =
      R"({"name": "Ada", "scores": [1, 2.5, -0.0, 1e+16, 1e-05], )"
      R"("nested": {"ok": true, "none": null, "empty": [], "obj": {}}, )"
      R"("big": 123456789012345678901234567890, "text": "caf\u00e9 \ud83d\ude00 \"q\" /"})";
  pyjson::value v = pyjson::loads(document);
  expect_equal("dumps(loads(document))", pyjson::dumps(v), document);
  expect_equal("dumps(v, indent=2, sort_keys=True)",
               pyjson::dumps(v["nested"], {.indent = 2, .sort_keys = true}),
               "{\n  \"empty\": [],\n  \"none\": null,\n  \"obj\": {},\n  \"ok\": true\n}");

  const point p =
      pyjson::loads<point>(R"({"x": 3, "y": -1.5, "label": "p\u00e9", "tags": [1, 2]})");
  expect_equal("dumps(loads<point>)", pyjson::dumps(p),
               R"({"x": 3, "y": -1.5, "label": "p\u00e9", "tags": [1, 2]})");
  const point q = pyjson::loads<point>(R"({"label": "p\u00e9", "y": -1.5, "x": 3})");
  expect_equal("dumps(point, ensure_ascii=False, separators)",
               pyjson::dumps(q, {.ensure_ascii = false, .separators = {",", ":"}}),
               "{\"x\":3,\"y\":-1.5,\"label\":\"p\xc3\xa9\",\"tags\":null}");

  std::string message = "no error";
  try {
    pyjson::loads("[1, 2,]");
  } catch (const pyjson::decode_error& e) {
    message = e.what();
  }
  expect_equal("decode_error", message, "Expecting value: line 1 column 7 (char 6)");

  std::printf("pyjson %d.%d.%d consumer: %s\n", PYJSON_VERSION_MAJOR, PYJSON_VERSION_MINOR,
              PYJSON_VERSION_PATCH, failures == 0 ? "all checks passed" : "FAILED");
  return failures == 0 ? 0 : 1;
}
