#!/usr/bin/env bash
# 64-bit ARM: builds the tests with Debian's aarch64 cross compiler (build/cross-aarch64, with
# cmake/toolchains/aarch64-linux-gnu.cmake) and runs them under qemu's user-mode emulation: the
# unit tests, the -fno-exceptions program, and the differential tests against python3 (the
# driver runs under the emulator, python3 here). ARM has no SSE2, so this is where the portable
# paths run as an ARM compiler builds them, with its unsigned char. Installs
# g++-aarch64-linux-gnu and qemu-user when they are missing.
#
# Usage: scripts/cross.sh
# Environment: PYJSON_CROSS_JOBS, build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/common.sh
have_catch2 || ensure_package catch2
command -v python3 >/dev/null || ensure_package python3
ensure_package g++-aarch64-linux-gnu
ensure_package qemu-user

build=build/cross-aarch64
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
  -DCMAKE_BUILD_TYPE=Release -DPYJSON_WERROR=ON -DPYJSON_TEST_SINGLE_HEADER=OFF \
  -DPYJSON_BUILD_EXAMPLES=OFF
cmake --build "$build" -j"${PYJSON_CROSS_JOBS:-2}" \
  --target pyjson_tests pyjson_headers_alone pyjson_no_exceptions pyjson_differential_driver
# Catch2 and CTest run the test programs through the toolchain's emulator.
(cd "$build" && ctest --output-on-failure --no-tests=error --timeout 1800 \
  -R '^(unit_tests|no_exceptions.*|differential_python.*)$')
echo "cross.sh: the aarch64 build passed its tests under qemu"
