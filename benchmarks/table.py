#!/usr/bin/env python3
"""Turns one run of pyjson_bench into the tables of benchmarks/README.md.

    ./pyjson_bench --benchmark_format=json --benchmark_repetitions=3 > run.json
    python3 benchmarks/table.py run.json

Benchmarks are named operation/library/file; the table shows MB/s (median of repetitions when
there are several) per operation and file, one column per library, and pyjson's ratio to each
peer from the same run.
"""
import json
import statistics
import sys
from collections import defaultdict

LIBS = ["pyjson", "simdjson_dom", "rapidjson", "boost_json", "nlohmann"]
OPS = ["loads", "loads_typed", "dumps", "dumps_compact", "dumps_typed"]


def main():
    data = json.load(open(sys.argv[1]))
    speeds = defaultdict(list)
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        op, lib, name = b["run_name"].split("/")[:3]
        speeds[(op, lib, name)].append(b["bytes_per_second"] / 1e6)
    med = {k: statistics.median(v) for k, v in speeds.items()}
    files = sorted({k[2] for k in med}, key=lambda f: ["twitter", "citm_catalog", "canada"].index(f)
                   if f in ("twitter", "citm_catalog", "canada") else 9)
    print(f"Context: {data['context'].get('host_name', '')} {data['context'].get('num_cpus')} CPUs, "
          f"{data['context'].get('mhz_per_cpu')} MHz, load {data['context'].get('load_avg')}\n")
    print("| operation | file | " + " | ".join(LIBS) + " |")
    print("|---|---|" + "---:|" * len(LIBS))
    for op in OPS:
        for f in files:
            row = [med.get((op, lib, f)) for lib in LIBS]
            if all(x is None for x in row):
                continue
            cells = [f"{x:.0f}" if x is not None else "" for x in row]
            print(f"| {op} | {f} | " + " | ".join(cells) + " |")
    print("\npyjson / peer (same run; > 1 means pyjson is faster):\n")
    print("| operation | file | " + " | ".join(LIBS[1:]) + " |")
    print("|---|---|" + "---:|" * (len(LIBS) - 1))
    for op in ["loads", "dumps_compact"]:
        for f in files:
            p = med.get((op, "pyjson", f))
            if p is None:
                continue
            cells = []
            for lib in LIBS[1:]:
                x = med.get((op, lib, f))
                cells.append(f"{p / x:.2f}" if x else "")
            print(f"| {op} | {f} | " + " | ".join(cells) + " |")
    print("\npyjson internal ratios:\n")
    for f in files:
        l, lt = med.get(("loads", "pyjson", f)), med.get(("loads_typed", "pyjson", f))
        d, dc, dt = (med.get((o, "pyjson", f)) for o in ("dumps", "dumps_compact", "dumps_typed"))
        parts = []
        if l and lt:
            parts.append(f"typed loads / loads = {lt / l:.2f}")
        if d and dc:
            parts.append(f"default dumps / compact dumps = {d / dc:.2f}")
        if dt and d:
            parts.append(f"typed dumps / dumps, both with Python's defaults = {dt / d:.2f}")
        print(f"- {f}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
