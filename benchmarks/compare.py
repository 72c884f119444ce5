#!/usr/bin/env python3
"""Compares two or more builds of pyjson_bench (A/B): each run in turn, round after round.

    python3 benchmarks/compare.py --filter '^loads/pyjson/' --rounds 12 \\
        old=build-old/benchmarks/pyjson_bench new=build/bench/benchmarks/pyjson_bench

Each round runs every binary once (in the order given) on the benchmarks that match --filter,
for --min-time seconds each. Per benchmark, the table gives each build's best MB/s over the
rounds and its ratio to the first build's best, then the median and range of the per-round
ratios. On a shared machine other work only ever slows a run down, and its load comes and
goes within seconds (the same binary can run at 1.0 and at 1.6 GB/s a minute apart): the best
of many short alternating runs is the figure least touched by it. The per-round ratios show
how much the load moved the rounds: when their range is wide, add rounds until the best
figures settle. Binaries run under `setarch -R` where that exists, so that every start gets
the same address layout (see benchmarks/README.md). That layout can favour one build over the
other by a few percent, and the same for every round: --randomize leaves address
randomization on, so that each run gets a layout of its own; confirm a small difference with it.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys


def run(binary, pattern, min_time, randomize):
    cmd = [binary, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
           "--benchmark_format=json"]
    if not randomize and shutil.which("setarch"):
        cmd = ["setarch", "-R"] + cmd
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    speeds = {}
    if not out.strip():  # nothing matched the filter
        return speeds
    for b in json.loads(out)["benchmarks"]:
        if "bytes_per_second" in b:
            speeds[b["name"]] = b["bytes_per_second"] / 1e6
    return speeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("builds", nargs="+", metavar="[NAME=]BINARY",
                    help="pyjson_bench binaries; the first is the baseline")
    ap.add_argument("--filter", default="^loads/pyjson/", help="benchmark regex")
    ap.add_argument("--rounds", type=int, default=8, help="alternating rounds (default 8)")
    ap.add_argument("--min-time", type=float, default=0.1,
                    help="seconds per benchmark per run (default 0.1)")
    ap.add_argument("--randomize", action="store_true",
                    help="leave address randomization on (no setarch -R)")
    args = ap.parse_args()
    if len(args.builds) < 2:
        ap.error("give at least two builds")
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")

    names, paths = [], []
    for b in args.builds:
        name, sep, path = b.partition("=")
        names.append(name if sep else b)
        paths.append(path if sep else b)

    # speeds[benchmark][build] = MB/s of each round
    speeds = {}
    for _ in range(args.rounds):
        for name, path in zip(names, paths):
            for bench, mbs in run(path, args.filter, args.min_time, args.randomize).items():
                speeds.setdefault(bench, {}).setdefault(name, []).append(mbs)
    if not speeds:
        sys.exit(f"compare.py: no benchmark matches {args.filter!r}")

    base = names[0]
    header = ["benchmark", f"{base} best MB/s"]
    for n in names[1:]:
        header += [f"{n} best MB/s", f"{n}/{base} best", f"{n}/{base} per round"]
    print("| " + " | ".join(header) + " |")
    print("|---" + "|---:" * (len(header) - 1) + "|")
    for bench in sorted(speeds):
        d = speeds[bench]
        if not all(n in d for n in names):
            continue
        b0 = max(d[base])
        row = [bench, f"{b0:.0f}"]
        for n in names[1:]:
            ratios = [x / y for x, y in zip(d[n], d[base])]
            row += [f"{max(d[n]):.0f}", f"{max(d[n]) / b0:.3f}",
                    f"{statistics.median(ratios):.3f} ({min(ratios):.2f}-{max(ratios):.2f})"]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
