#!/usr/bin/env bash
# Compile-time cost of pyjson next to nlohmann/json: wall time of a full `-c -O2` compile of a
# translation unit that does dumps/loads of a dynamic value and of a struct (typed), for each
# library, plus a baseline with the same standard headers and no JSON library. Each unit is
# compiled RUNS times, interleaved (so load on the machine hits all alike); the table shows
# the median, min and max, then the ratio of the medians. The sources are in compile_time/.
#
#   bash benchmarks/compile_time.sh                  # c++ (g++ on Debian), 5 runs each
#   CXX=clang++ RUNS=9 bash benchmarks/compile_time.sh
#
# nlohmann/json comes from Debian's nlohmann-json3-dev (/usr/include/nlohmann/json.hpp); its row
# is skipped when the header is missing.
# SPDX-License-Identifier: MIT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
src="$here/compile_time"
cxx=${CXX:-c++}
runs=${RUNS:-5}
flags=(-std=c++20 -O2 -c)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

units=(baseline pyjson)
declare -A include_flags=([baseline]="" [pyjson]="-I$repo/include" [nlohmann]="")
probe='#include <nlohmann/json.hpp>'
if printf '%s\n' "$probe" | "$cxx" -std=c++20 -x c++ -fsyntax-only - 2>/dev/null; then
  units+=(nlohmann)
else
  echo "nlohmann/json not found: its row is skipped (apt-get install nlohmann-json3-dev)" >&2
fi

compile() {  # unit -> seconds (wall) on stdout
  local unit=$1 start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086  # the include flag is empty or one word
  "$cxx" "${flags[@]}" ${include_flags[$unit]} "$src/$unit.cpp" -o "$out/$unit.o"
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

declare -A times
for unit in "${units[@]}"; do compile "$unit" >/dev/null; done  # warm the file cache
for ((i = 0; i < runs; i++)); do
  for unit in "${units[@]}"; do times[$unit]+="$(compile "$unit") "; done
done

stats() {  # "t1 t2 ..." -> "median min max"
  tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ t[NR] = $1 }
    END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
          printf "%.2f %.2f %.2f\n", m, t[1], t[NR] }'
}

version=$("$cxx" --version | head -n 1)
echo "Compile time of one translation unit, $cxx ${flags[*]}, $runs runs each ($version)"
echo
printf '| %-28s | %8s | %6s | %6s |\n' "translation unit" "median s" "min s" "max s"
printf '|%s|%s|%s|%s|\n' "------------------------------" "----------" "--------" "--------"
declare -A median
for unit in "${units[@]}"; do
  read -r med lo hi <<<"$(stats "${times[$unit]}")"
  median[$unit]=$med
  printf '| %-28s | %8s | %6s | %6s |\n' "compile_time/$unit.cpp" "$med" "$lo" "$hi"
done
echo
if [[ -n ${median[nlohmann]:-} ]]; then
  awk -v p="${median[pyjson]}" -v n="${median[nlohmann]}" -v b="${median[baseline]}" 'BEGIN {
    printf "pyjson / nlohmann: %.2f (total time)\n", p / n
    if (n > b) printf "pyjson / nlohmann: %.2f (above the baseline: the libraries alone)\n",
                      (p - b) / (n - b)
  }'
fi
