// Tests of load_file/dump_file: round trips, clear errors, and no data lost when a save is
// interrupted (a writer killed with SIGKILL mid-save leaves the old file whole).
// SPDX-License-Identifier: MIT
#include <csignal>
#include <filesystem>
#include <fstream>
#include <pyjson.hpp>
#include <string>

#include "catch.hpp"

#if __has_include(<sys/wait.h>)
#include <sys/wait.h>
#include <unistd.h>
#define PYJSON_TEST_FORK 1
#endif

namespace fs = std::filesystem;

namespace {
struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() /
           ("pyjson-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
}  // namespace

TEST_CASE("file: dump_file and load_file round trip") {
  temp_dir dir;
  fs::path f = dir.path / "data.json";
  pyjson::value v = pyjson::loads(R"({"name": "Ada", "scores": [1, 2.5, null], "u": "\u00e9"})");
  pyjson::dump_file(f, v, {.indent = 2});
  std::ifstream in(f);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == pyjson::dumps(v, {.indent = 2}));
  CHECK(pyjson::load_file(f) == v);
  // Only the target is left in the folder: no temporary files.
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("file: errors name the file and the reason") {
  temp_dir dir;
  CHECK_THROWS_WITH(pyjson::load_file(dir.path / "missing.json"),
                    "cannot open: [Errno 2] No such file or directory: '" +
                        (dir.path / "missing.json").string() + "'");
  CHECK_THROWS_AS(pyjson::dump_file(dir.path / "no" / "such" / "dir.json", pyjson::value(1)),
                  pyjson::error);
  // A value that cannot be written fails before any file is touched.
  fs::path f = dir.path / "keep.json";
  pyjson::dump_file(f, pyjson::value(1));
  pyjson::value nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(pyjson::dump_file(f, nan, {.allow_nan = false}), pyjson::value_error);
  CHECK(pyjson::load_file(f) == pyjson::value(1));
  std::ofstream(dir.path / "bad.json") << "[1,";
  CHECK_THROWS_AS(pyjson::load_file(dir.path / "bad.json"), pyjson::decode_error);
}

#if defined(PYJSON_TEST_FORK)
TEST_CASE("file: a writer killed mid-save never leaves a broken file") {
  temp_dir dir;
  fs::path f = dir.path / "state.json";
  pyjson::value old_value = pyjson::loads(R"({"generation": 0})");
  pyjson::dump_file(f, old_value);
  // A large document takes long enough to write that kills land in the middle of saves.
  pyjson::value big;
  for (int i = 0; i < 20000; ++i) big.push_back(std::string(40, 'x') + std::to_string(i));
  for (int round = 0; round < 20; ++round) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      for (;;) pyjson::dump_file(f, big);
    }
    ::usleep(static_cast<useconds_t>(1000 + round * 700));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    pyjson::value now = pyjson::load_file(f);  // must parse: never truncated or empty
    CHECK((now == old_value || now == big));
  }
}
#endif
