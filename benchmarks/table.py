#!/usr/bin/env python3
"""Turns runs of pyjson_bench into the markdown tables of benchmarks/README.md.

    for i in 1 2 3; do
      ./pyjson_bench --benchmark_format=json --benchmark_repetitions=3 > run$i.json
    done
    python3 benchmarks/table.py run1.json run2.json run3.json
    python3 benchmarks/table.py --best run1.json run2.json run3.json

Benchmarks are named operation/library/document. Speeds are MB/s of JSON text (the input for
loads, the output for dumps), the median of all repetitions of all runs given. Several runs
(processes) are worth it: the address layout, new at each start, changes a speed by up to a
third on a machine whose cache is about the size of the data, and the repetitions within one
process share that luck. Memory is the heap_bytes_per_input_byte counter of the memory/
benchmarks. One table per operation, one column per library that ran it, and pyjson's ratio
to simdjson and to Boost.JSON from the same runs.

With --best, speeds are the best of all repetitions instead of the median. On a shared machine
whose CPUs run at times far below their usual speed, a slow stretch only ever lowers a figure:
the best keeps the figures of a library that one hit from depending on when it ran.
"""
import json
import statistics
import sys
from collections import defaultdict

LIBS = ["pyjson", "simdjson_dom", "simdjson_avx2", "rapidjson", "boost_json", "nlohmann"]
# simdjson_avx2 (simdjson held to its AVX2 kernel) runs only on CPUs with AVX-512.
RATIO_PEERS = [("simdjson_dom", "pyjson/simdjson"), ("simdjson_avx2", "pyjson/simdjson AVX2"),
               ("rapidjson", "pyjson/RapidJSON"), ("boost_json", "pyjson/Boost")]
DOC_ORDER = ["twitter", "citm_catalog", "canada",
             "gsoc-2018", "marine_ik", "numbers", "twitterescaped",
             "syn_numbers", "syn_strings", "syn_records", "syn_deep"]


def load(paths, best=False):
    """(operation, library, document) -> median (or best) of the runs, for speeds; median of
    the runs for memory."""
    speeds, memory, size = defaultdict(list), defaultdict(list), defaultdict(list)
    runs = [json.load(open(path)) for path in paths]
    for b in (b for data in runs for b in data["benchmarks"]):
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        op, lib, doc = b["run_name"].split("/")[:3]
        if "heap_bytes_per_input_byte" in b:
            memory[(op, lib, doc)].append(b["heap_bytes_per_input_byte"])
            if b["heap_bytes_per_input_byte"]:
                size[doc].append(b["heap_bytes"] / b["heap_bytes_per_input_byte"])
        elif "bytes_per_second" in b:
            speeds[(op, lib, doc)].append(b["bytes_per_second"] / 1e6)
    med = lambda d: {k: statistics.median(v) for k, v in d.items()}
    speed = {k: max(v) for k, v in speeds.items()} if best else med(speeds)
    return [data.get("context", {}) for data in runs], speed, med(memory), med(size)


def ordered_docs(keys):
    docs = {k[2] for k in keys}
    return sorted(docs, key=lambda d: (DOC_ORDER.index(d) if d in DOC_ORDER else len(DOC_ORDER), d))


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else ""


def table(title, values, op, fmt, note, size_mb=None):
    """One row per document, one column per library that has a figure for op; size_mb adds
    the input size of each document."""
    docs = [d for d in ordered_docs(values) if any((op, lib, d) in values for lib in LIBS)]
    libs = [lib for lib in LIBS if any((op, lib, d) in values for d in docs)]
    if not docs:
        return
    peers = [(lib, name) for lib, name in RATIO_PEERS if lib in libs]
    print(f"### {title}\n")
    print(note + "\n")
    sizes = ["MB"] if size_mb else []
    print("| document | " + " | ".join(sizes + libs + [name for _, name in peers]) + " |")
    print("|---|" + "---:|" * (len(sizes) + len(libs) + len(peers)))
    for d in docs:
        cells = [f"{size_mb[d]:.2f}" if d in size_mb else ""] if size_mb else []
        cells += [fmt(values[(op, lib, d)]) if (op, lib, d) in values else "" for lib in libs]
        p = values.get((op, "pyjson", d))
        cells += [ratio(p, values.get((op, lib, d))) for lib, _ in peers]
        print(f"| {d} | " + " | ".join(cells) + " |")
    print()


def typed_table(speeds):
    docs = [d for d in ordered_docs(speeds) if ("loads_typed", "pyjson", d) in speeds]
    if not docs:
        return
    print("### pyjson typed (`loads<T>` / `dumps` of structs) next to `pyjson::value`, MB/s\n")
    print("typed/value > 1 means the typed path is faster. Loads read the same text; typed dumps "
          "is compared with dumps of the value that holds the same data (the same output "
          "bytes), both with Python's defaults. The floor is `loads` into a struct without "
          "fields: the text checked, every member skipped; no typed read of the document is "
          "faster, so floor/value bounds typed/value.\n")
    print("| document | loads value | loads typed | typed/value | floor | floor/value "
          "| dumps value | dumps typed | typed/value |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for d in docs:
        lv, lt = speeds.get(("loads", "pyjson", d)), speeds.get(("loads_typed", "pyjson", d))
        le = speeds.get(("loads_typed_empty", "pyjson", d))
        dv = speeds.get(("dumps_same_value", "pyjson", d))
        dt = speeds.get(("dumps_typed", "pyjson", d))
        cells = [f"{x:.0f}" if x is not None else "" for x in (lv, lt)] + [ratio(lt, lv)]
        cells += [f"{le:.0f}" if le is not None else "", ratio(le, lv)]
        cells += [f"{x:.0f}" if x is not None else "" for x in (dv, dt)] + [ratio(dt, dv)]
        print(f"| {d} | " + " | ".join(cells) + " |")
    print()


def defaults_table(speeds):
    docs = [d for d in ordered_docs(speeds) if ("dumps", "pyjson", d) in speeds]
    if not docs:
        return
    print("### pyjson `dumps` with Python's defaults (`\", \"`, `\": \"`, ensure_ascii), MB/s\n")
    print("No peer writes this layout; default/compact > 1 means the defaults are faster.\n")
    print("| document | pyjson | default/compact |")
    print("|---|---:|---:|")
    for d in docs:
        x = speeds[("dumps", "pyjson", d)]
        print(f"| {d} | {x:.0f} | {ratio(x, speeds.get(('dumps_compact', 'pyjson', d)))} |")
    print()


def main():
    args = sys.argv[1:]
    best = "--best" in args
    paths = [a for a in args if a != "--best"]
    if not paths:
        sys.exit(__doc__)
    contexts, speeds, memory, input_bytes = load(paths, best)
    context = contexts[0]
    loads = "; ".join(" ".join(f"{x:.2f}" for x in c.get("load_avg", [])) for c in contexts)
    print(f"Context: {context.get('host_name', '')}, {context.get('num_cpus')} CPUs, "
          f"{context.get('mhz_per_cpu')} MHz; {len(contexts)} run(s), load average at the "
          f"start of each: {loads}; speeds: {'best' if best else 'median'} of all repetitions")
    # simdjson picks its kernel at run time (AVX-512 where the CPU has it): say which one ran.
    kernels = sorted({c.get("simdjson_implementation", "") for c in contexts} - {""})
    avx512 = sorted({c.get("cpu_avx512bw", "") for c in contexts} - {""})
    if kernels or avx512:
        print(f"simdjson kernel: {', '.join(kernels) or 'n/a'}; CPU has AVX-512BW: "
              f"{', '.join(avx512) or 'unknown'}")
    print()
    faster = "pyjson/peer > 1 means pyjson is faster."
    mbs = lambda x: f"{x:.0f}"
    table("loads → DOM, MB/s of input", speeds, "loads", mbs, faster)
    same_bytes = "MB/s of Python's text (one byte count for every library)"
    table("dumps compact (`separators=(\",\", \":\")`, UTF-8 out), " + same_bytes,
          speeds, "dumps_compact", mbs, faster)
    table("dumps indent=4 (UTF-8 out), " + same_bytes, speeds, "dumps_indent", mbs, faster)
    defaults_table(speeds)
    typed_table(speeds)
    table("DOM memory, heap bytes per input byte (lower is better)", memory, "memory",
          lambda x: f"{x:.2f}",
          "Heap in use after parsing, with the DOM alive (glibc mallinfo2 uordblks + hblkhd, "
          "difference across the parse: includes malloc's chunk overhead and, for simdjson, "
          "the parser's buffers). pyjson/peer < 1 means pyjson uses less memory.",
          {d: n / 1e6 for d, n in input_bytes.items()})


if __name__ == "__main__":
    main()
