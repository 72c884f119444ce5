#!/usr/bin/env bash
# Reliability: builds the tests with AddressSanitizer and UndefinedBehaviorSanitizer, once with
# clang++ (build/asan-clang) and once with g++ (build/asan-gcc), and runs them: the unit tests,
# the differential test against python3, the command-line tests against python3 -m json.tool,
# the -fno-exceptions program, and the fuzz regressions when tests/fuzz is part of the build;
# then the tests of values (value_test.cpp) once more with the slabs of value blocks on.
# With g++, the tests that run threads also go through ThreadSanitizer.
# Any sanitizer report aborts the test that triggered it, so the script fails.
#
# Usage: scripts/sanitize.sh [clang] [gcc]        (default: both)
# Environment: PYJSON_SANITIZE_TESTS, a ctest -R regex (default: the tests above);
# PYJSON_SANITIZE_JOBS, build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

compilers=("$@")
[ ${#compilers[@]} -gt 0 ] || compilers=(clang gcc)
tests=${PYJSON_SANITIZE_TESTS:-'^(unit_tests|shared_keys_fresh|differential_python|cli_matches_json_tool|no_exceptions.*|fuzz_regressions)$'}
jobs=${PYJSON_SANITIZE_JOBS:-2}
sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=all"
cxx_flags="$sanitizers -fno-omit-frame-pointer -g -O1"

source scripts/common.sh
have_catch2 || ensure_package catch2
command -v python3 >/dev/null || ensure_package python3

# Sanitizer reports end the process with a stack trace; leaks are errors too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for name in "${compilers[@]}"; do
  case $name in
    clang) cxx=clang++ ;;
    gcc) cxx=g++ ;;
    *) echo "usage: $0 [clang] [gcc]" >&2; exit 2 ;;
  esac
  if ! command -v "$cxx" >/dev/null; then
    echo "sanitize.sh: $cxx not found, skipped" >&2
    continue
  fi
  probe=$(mktemp -d)
  echo 'int main() { return 0; }' >"$probe/p.cpp"
  if ! "$cxx" $sanitizers "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
    # clang 14's sanitizer runtimes come in Debian's libclang-rt-14-dev.
    [ "$name" = clang ] && ensure_package libclang-rt-14-dev
  fi
  rm -rf "$probe"

  dir=build/asan-$name
  echo "=== $cxx with ASan+UBSan in $dir"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
    -DPYJSON_BUILD_EXAMPLES=OFF -DPYJSON_TEST_SINGLE_HEADER=OFF >/dev/null
  targets=(pyjson_tests pyjson_differential_driver pyjson-tool pyjson_no_exceptions)
  targets+=(fuzz_replay_all)  # the fuzz regressions replayed under the sanitizers
  cmake --build "$dir" -j"$jobs" --target "${targets[@]}"
  (cd "$dir" && ctest --output-on-failure -R "$tests")
  # Sanitizer builds take every value block from operator new, so that ASan checks each one;
  # the value tests run once more with the slabs and the thread's kept buffer on (the writer's,
  # also the parse stack and typed vectors' spill), so that that code is checked too.
  cmake -S . -B "$dir-slabs" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="$cxx_flags -DPYJSON_BLOCK_CACHE_BYTES=8388608 -DPYJSON_WRITE_BUFFER_BYTES=8388608" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
    -DPYJSON_BUILD_EXAMPLES=OFF -DPYJSON_TEST_SINGLE_HEADER=OFF >/dev/null
  cmake --build "$dir-slabs" -j"$jobs" --target pyjson_thread_tests
  "$dir-slabs/tests/pyjson_thread_tests"
done
# ThreadSanitizer, with g++: the tests that run threads (const lookups that build an object's
# index at once, blocks freed in another thread than the one that made them).
if [[ " ${compilers[*]} " == *" gcc "* ]] && command -v g++ >/dev/null; then
  dir=build/tsan-gcc
  echo "=== g++ with TSan in $dir"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_COMPILER=g++ \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -g -O1" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
    -DPYJSON_BUILD_EXAMPLES=OFF -DPYJSON_TEST_SINGLE_HEADER=OFF >/dev/null
  cmake --build "$dir" -j"$jobs" --target pyjson_thread_tests
  TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1} "$dir/tests/pyjson_thread_tests" "[threads]"
fi
echo "sanitize.sh: no sanitizer findings (${compilers[*]})"
