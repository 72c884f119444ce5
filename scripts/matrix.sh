#!/usr/bin/env bash
# Compiler and standard matrix: the unit tests, the headers-alone check and the -fno-exceptions
# program, built with g++ and clang++ in C++20 and C++23, Debug and Release, all with -Werror,
# then run. scripts/test.sh already covers g++ and clang++ in C++20 Debug, so the matrix is the
# six other configurations. clang-23-Debug is built with PYJSON_NO_AVX2, so that the build
# without the AVX2 paths is compiled and tested too. gcc-23-Debug is built with PYJSON_NO_SIMD
# and -funsigned-char: the portable paths that targets without SSE2 (ARM) compile, with their
# unsigned char; it also runs the differential test against python3. Each one has its own
# folder, build/matrix-<compiler>-<std>-<type>, reused by the next run. Ends with a table;
# exits non-zero when any configuration fails.
#
# Usage: scripts/matrix.sh [config...]     e.g. scripts/matrix.sh gcc-23-Release clang-20-Release
# Environment: PYJSON_MATRIX_JOBS, build parallelism (default 2); PYJSON_MATRIX_TEST_TIMEOUT,
# seconds a test may run before CTest stops it (default 600: a hang fails, it does not stall CI).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${PYJSON_MATRIX_JOBS:-2}
test_timeout=${PYJSON_MATRIX_TEST_TIMEOUT:-600}
all_configs=(gcc-20-Release gcc-23-Debug gcc-23-Release clang-20-Release clang-23-Debug
  clang-23-Release)
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=("${all_configs[@]}")

source scripts/common.sh
have_catch2 || ensure_package catch2

# The -std= flag CMake must pass for a standard (clang 14 spells C++23 as c++2b; CMake picks
# the spelling, with or without GNU extensions).
std_flag_pattern() {
  case $1 in
    20) echo '-std=(c|gnu)\+\+(20|2a)' ;;
    23) echo '-std=(c|gnu)\+\+(23|2b)' ;;
  esac
}

# Builds and tests one configuration; prints "<build seconds> <test seconds> <result>".
run_config() {
  local config=$1 compiler std type cxx dir flag started build_s test_s
  IFS=- read -r compiler std type <<<"$config"
  case $compiler in gcc) cxx=g++ ;; clang) cxx=clang++ ;; *) cxx= ;; esac
  case $std-$type in 20-Debug | 20-Release | 23-Debug | 23-Release) ;; *) cxx= ;; esac
  if [ -z "$cxx" ]; then
    echo "matrix.sh: bad configuration '$config' (want <gcc|clang>-<20|23>-<Debug|Release>)" >&2
    echo "- - bad-name"
    return
  fi
  if ! command -v "$cxx" >/dev/null; then
    echo "matrix.sh: $cxx not found, $config skipped" >&2
    echo "- - skipped-no-$cxx"
    return
  fi
  dir=build/matrix-$compiler-$std-$type
  echo "=== $config in $dir" >&2
  started=$SECONDS
  local extra_flags= extra_targets=() tests='^(unit_tests|no_exceptions.*)$'
  [ "$config" = clang-23-Debug ] && extra_flags=-DPYJSON_NO_AVX2
  if [ "$config" = gcc-23-Debug ]; then
    extra_flags="-DPYJSON_NO_SIMD -funsigned-char"
    extra_targets=(pyjson_differential_driver)
    tests='^(unit_tests|no_exceptions.*|differential_python.*)$'
  fi
  if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_CXX_STANDARD="$std" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DPYJSON_WERROR=ON \
      -DCMAKE_CXX_FLAGS="$extra_flags" \
      -DPYJSON_TEST_SINGLE_HEADER=OFF -DPYJSON_BUILD_EXAMPLES=OFF >&2; then
    echo "$((SECONDS - started)) - configure-failed"
    return
  fi
  # The standard asked for must be the one used: cxx_std_20 on pyjson is only a minimum.
  flag=$(grep -oE -- "$(std_flag_pattern "$std")" "$dir/compile_commands.json" | sort -u || true)
  if [ -z "$flag" ]; then
    echo "matrix.sh: $config: no C++$std flag in $dir/compile_commands.json" >&2
    echo "$((SECONDS - started)) - wrong-std"
    return
  fi
  echo "--- $config compiles with $flag" >&2
  if ! cmake --build "$dir" -j"$jobs" \
      --target pyjson_tests pyjson_headers_alone pyjson_no_exceptions "${extra_targets[@]}" >&2; then
    echo "$((SECONDS - started)) - build-failed"
    return
  fi
  build_s=$((SECONDS - started))
  started=$SECONDS
  if ! (cd "$dir" && ctest --output-on-failure --no-tests=error --timeout "$test_timeout" \
      -R "$tests") >&2; then
    echo "$build_s $((SECONDS - started)) tests-failed"
    return
  fi
  test_s=$((SECONDS - started))
  echo "$build_s $test_s ok"
}

rows=()
failed=0
total_started=$SECONDS
for config in "${configs[@]}"; do
  result=$(run_config "$config" | tail -1)
  rows+=("$config $result")
  case ${result##* } in ok | skipped-*) ;; *) failed=1 ;; esac
done

echo "=== matrix summary (seconds: configure and build with -j$jobs, then tests)"
printf '%-18s %8s %8s  %s\n' config build test result
for row in "${rows[@]}"; do
  # shellcheck disable=SC2086
  printf '%-18s %8s %8s  %s\n' $row
done
echo "total: $((SECONDS - total_started))s"
if [ "$failed" != 0 ]; then
  echo "matrix.sh: some configurations failed" >&2
  exit 1
fi
echo "matrix.sh: all configurations passed"
