#!/usr/bin/env bash
# Installs what the tests need (when missing) and runs every test: g++ build with CTest,
# then the unit tests, the headers-alone check and the -fno-exceptions program with clang++.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/common.sh
if ! have_catch2 || ! command -v python3 >/dev/null || ! command -v pkg-config >/dev/null; then
  as_root apt-get update
  as_root apt-get install -y catch2 python3 pkgconf
fi

jobs=2
cmake -S . -B build/test-gcc -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=g++ -DPYJSON_WERROR=ON
cmake --build build/test-gcc -j"$jobs"
(cd build/test-gcc && ctest --output-on-failure -j"$jobs")

if command -v clang++ >/dev/null; then
  cmake -S . -B build/test-clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
    -DPYJSON_WERROR=ON -DPYJSON_BUILD_EXAMPLES=OFF
  cmake --build build/test-clang -j"$jobs" --target pyjson_tests pyjson-tool \
    pyjson_headers_alone pyjson_no_exceptions
  (cd build/test-clang && ctest --output-on-failure -R '^(unit_tests|no_exceptions.*)$')
fi
