#!/usr/bin/env bash
# Builds benchmarks/ with every peer Debian packages (-O3, warnings as errors), with g++ and with
# clang++, and runs each benchmark for a moment. Before its first timing each benchmark checks
# its library's output against pyjson's (see benchmarks/README.md), so this catches a wrong
# answer from either side and a benchmark that no longer builds; then table.py must turn the
# run into its tables. The timings of so short a run mean nothing and are not looked at.
#
# A peer that cannot be installed (no network, another distribution) is left out of the
# build, as benchmarks/CMakeLists.txt leaves out any missing peer; Google Benchmark is required.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

peers=(nlohmann-json3-dev rapidjson-dev libsimdjson-dev libboost-json1.81-dev)
missing=()
for p in libbenchmark-dev "${peers[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! (as_root apt-get update && as_root apt-get install -y "${missing[@]}"); then
    echo "bench_smoke: could not install ${missing[*]}; going on without them" >&2
  fi
fi

# Built with both compilers: each inlines differently, and a benchmark (or a peer's header) may
# build or check under one and not the other.
total=0
for cxx in g++ clang++; do
  dir=build/bench-smoke-$cxx
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DPYJSON_BUILD_BENCHMARKS=ON \
    -DPYJSON_BUILD_TESTS=OFF -DPYJSON_BUILD_EXAMPLES=OFF -DCMAKE_CXX_COMPILER=$cxx \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror"
  cmake --build "$dir" -j2 --target pyjson_bench
  "$dir/benchmarks/pyjson_bench" --benchmark_min_time=0.01 --benchmark_format=json \
    >"$dir/smoke.json"
  python3 benchmarks/table.py "$dir/smoke.json" >"$dir/smoke.md"
  n=$(grep -c '"run_name"' "$dir/smoke.json")
  echo "bench_smoke ($cxx): $n benchmarks ran and checked their output"
  total=$((total + n))
done
echo "bench_smoke: $total benchmarks ran and checked their output"
# compare.py (A/B of two builds) on one benchmark, so that it keeps working; one round of so
# short a run says nothing about g++ against clang++.
python3 benchmarks/compare.py --rounds 1 --min-time 0.01 --filter '^loads/pyjson/syn_records$' \
  g++=build/bench-smoke-g++/benchmarks/pyjson_bench \
  clang++=build/bench-smoke-clang++/benchmarks/pyjson_bench
python3 benchmarks/compare.py --rounds 1 --min-time 0.01 --randomize \
  --filter '^loads/pyjson/syn_records$' \
  g++=build/bench-smoke-g++/benchmarks/pyjson_bench \
  clang++=build/bench-smoke-clang++/benchmarks/pyjson_bench
