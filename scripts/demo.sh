#!/usr/bin/env bash
# Builds pyjson-tool and the examples, then runs them on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cmake -S . -B build/demo -DCMAKE_BUILD_TYPE=Release -DPYJSON_BUILD_TESTS=OFF >/dev/null
cmake --build build/demo -j2
echo "== pyjson-tool examples/data/sample.json (as python3 -m json.tool)"
./build/demo/pyjson-tool examples/data/sample.json
echo "== pyjson-tool --compact --sort-keys"
./build/demo/pyjson-tool --compact --sort-keys examples/data/sample.json
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"
echo "== number_writer, number_reader"
"$repo/build/demo/examples/number_writer"
"$repo/build/demo/examples/number_reader"
echo "== remember_me (first run, then second run)"
echo "Ada" | "$repo/build/demo/examples/remember_me"
"$repo/build/demo/examples/remember_me"
