#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang++ and ASan+UBSan into
# build/fuzz, generates the seed corpus, and runs each target in turn for a time budget.
# A crash, leak, timeout or out-of-memory input fails the script (exit 1): it is printed in hex,
# minimized when libFuzzer can, and copied into tests/fuzz/regressions/<target>/, where the
# fuzz_regressions test replays it from then on.
#
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]     (default: 60 s; all four targets)
# Environment: PYJSON_FUZZ_JOBS (build parallelism, default 2); PYJSON_FUZZ_FRESH=1 starts from
# the seeds alone instead of the corpus grown by earlier runs (build/fuzz/corpus/<target>);
# PYJSON_FUZZ_PORTABLE=1 fuzzes the portable paths that targets without SSE2 (64-bit ARM)
# compile, built here with PYJSON_NO_SIMD and an unsigned char as on ARM (in build/fuzz-portable).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(loads roundtrip typed tool)
case $seconds in '' | *[!0-9]*) echo "usage: $0 [seconds-per-target] [target...]" >&2; exit 2 ;; esac
for t in "${targets[@]}"; do
  [ -f "tests/fuzz/fuzz_$t.cpp" ] || { echo "fuzz.sh: no target '$t' (tests/fuzz/fuzz_$t.cpp)" >&2; exit 2; }
done

source scripts/common.sh

# libFuzzer and the sanitizer runtimes of clang 14 live in Debian's libclang-rt-14-dev.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' >"$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>/dev/null; then
  ensure_package libclang-rt-14-dev
fi
command -v python3 >/dev/null || ensure_package python3

build=build/fuzz
flags=
if [ "${PYJSON_FUZZ_PORTABLE:-0}" = 1 ]; then
  build=build/fuzz-portable
  flags="-DPYJSON_NO_SIMD -funsigned-char"
fi
cmake -S tests/fuzz -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE= \
  -DCMAKE_CXX_FLAGS="$flags" -DPYJSON_FUZZ_LIBFUZZER=ON >/dev/null
cmake --build "$build" -j"${PYJSON_FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

work=$(mktemp -d)
trap 'rm -rf "$probe" "$work"' EXIT
python3 tests/fuzz/make_corpus.py "$work/seeds"

hex() { od -An -tx1 -v "$1" | tr -s ' \n' ' ' | cut -c1-3000; echo; }

failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  [ "${PYJSON_FUZZ_FRESH:-0}" = 1 ] && rm -rf "$corpus"
  mkdir -p "$corpus" "$work/artifacts/$t"
  regressions="tests/fuzz/regressions/$t"
  inputs=("$work/seeds")
  [ -d "$regressions" ] && inputs+=("$regressions")
  log="$build/fuzz_$t.log"
  echo "=== fuzz_$t: ${seconds}s (log: $log)"
  status=0
  started=$SECONDS
  "$build/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -dict=tests/fuzz/json.dict -print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" \
    "$corpus" "${inputs[@]}" >"$log" 2>&1 || status=$?
  elapsed=$((SECONDS - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  summary+=("fuzz_$t: ${elapsed}s of ${seconds}s, ${execs:-?} executions (${rate:-?}/s), corpus $(ls "$corpus" | wc -l) files, exit $status")

  found=0
  for artifact in "$work/artifacts/$t"/*; do
    [ -f "$artifact" ] || continue
    name=$(basename "$artifact")
    case $name in crash-* | leak-* | timeout-* | oom-*) ;; *) continue ;; esac
    found=1
    echo "*** fuzz_$t found $name ($(wc -c <"$artifact") bytes):"
    hex "$artifact"
    keep="$artifact"
    case $name in
      crash-* | leak-*)
        # Smaller is easier to debug; keep the original when minimizing does not reproduce it.
        if "$build/fuzz_$t" -minimize_crash=1 -max_total_time=60 -runs=100000 \
            -exact_artifact_path="$artifact.min" "$artifact" >"$log.minimize" 2>&1 ||
            [ -s "$artifact.min" ]; then
          if [ -s "$artifact.min" ]; then
            keep="$artifact.min"
            echo "*** minimized to $(wc -c <"$keep") bytes:"
            hex "$keep"
          fi
        fi
        ;;
    esac
    mkdir -p "$regressions"
    cp "$keep" "$regressions/$name"
    echo "*** saved as $regressions/$name"
  done
  if [ "$status" -ne 0 ] || [ "$found" = 1 ]; then
    failed+=("$t")
    echo "*** fuzz_$t failed (exit $status); the last lines of its log:"
    grep -v '^#[0-9]' "$log" | tail -60
  fi
done

echo "=== summary ($build)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]} (inputs saved under tests/fuzz/regressions/)" >&2
  exit 1
fi
echo "fuzz.sh: no findings"
