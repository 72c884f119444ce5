#!/usr/bin/env python3
"""Differential test: pyjson-tool against `python3 -m json.tool`.

Generates inputs (seeded, deterministic): random documents with Unicode, astral characters,
escapes, lone surrogates, big numbers, floats and nesting; hostile inputs (truncations,
invalid UTF-8 of every class, \\r\\n and \\r newlines, BOM, NUL bytes, empty input, nesting
around Python's recursion limit, integers past the 4300-digit limit, JSON Lines with blank and
bad lines, lines across the 8192-byte read chunks); argument lists for argparse (errors,
abbreviations, help at several widths). Each case runs through both programs with the same
arguments, stdin, files and environment, and everything is compared: exit status, stdout
bytes, stderr bytes (for a Python traceback only its last line) and the files left behind.

Python runs json/tool.py itself. Starting an interpreter costs 70 ms or more here, so most
cases execute json/tool.py's code in persistent interpreters (a fresh module namespace per
case, sys.argv and the standard streams rebuilt as CPython builds them, the recursion limit
set so that the depth of main() matches `python -m`). A sample of the cases, and every case
that depends on the interpreter's start-up (PYTHONIOENCODING), runs a real
`python3 -m json.tool` process instead; --all-real runs every case that way.

Usage: compare_json_tool.py --tool build/pyjson-tool [--cases N] [--seed S] [--jobs J]
"""

import argparse
import concurrent.futures
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

# ------------------------------------------------------------------------------------------
# The in-process Python runner (started as `python3 -S compare_json_tool.py --worker`).
# ------------------------------------------------------------------------------------------

# Frames on the stack when `python -m json.tool` executes tool.py's module code: the
# recursion limit of the worker is raised by the difference (measured: run_tool at this depth
# with the default limit of 1000 gives the thresholds of the real command).
_REFERENCE_DEPTH = 3


def _stack_depth():
    frame, n = sys._getframe(1), 0
    while frame is not None:
        n += 1
        frame = frame.f_back
    return n


def _run_tool(code, tool_path, request):
    """Runs json/tool.py as __main__ for one request; returns the exit status."""
    sys.setrecursionlimit(1000 + _stack_depth() - _REFERENCE_DEPTH)
    errors = request.get("stdio_errors", "surrogateescape")
    # As CPython's create_stdio: UTF-8, the locale's error handler, newline='\n', no line
    # buffering for files; stderr always backslashreplace and line buffered.
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(request["stdin"], "rb")),
                             encoding="utf-8", errors=errors, newline="\n")
    stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(request["stdout"], "wb")),
                              encoding="utf-8", errors=errors, newline="\n")
    stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(request["stderr"], "wb")),
                              encoding="utf-8", errors="backslashreplace", newline="\n",
                              line_buffering=True)
    saved = sys.stdin, sys.stdout, sys.stderr, sys.__stdout__
    sys.stdin, sys.stdout, sys.stderr, sys.__stdout__ = stdin, stdout, stderr, stdout
    sys.argv = [tool_path] + [os.fsdecode(bytes.fromhex(a)) for a in request["args"]]
    status = 0
    try:
        exec(code, {"__name__": "__main__", "__file__": tool_path,
                    "__builtins__": __builtins__})
    except SystemExit as e:
        if e.code is None:
            status = 0
        elif isinstance(e.code, int):
            status = e.code & 0xFF
        else:
            sys.stderr.write(str(e.code) + "\n")
            status = 1
    except BaseException as e:  # what the interpreter does with an uncaught exception
        import traceback
        traceback.print_exception(e, file=sys.stderr)
        status = 1
    for stream in (stdout, stderr, stdin):
        try:
            stream.close()
        except Exception:
            pass
    sys.stdin, sys.stdout, sys.stderr, sys.__stdout__ = saved
    return status


def worker_main():
    proto_in = os.fdopen(os.dup(0), "r")
    proto_out = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    tool_path = os.path.join(os.path.dirname(json.__file__), "tool.py")
    with open(tool_path, encoding="utf-8") as f:
        code = compile(f.read(), tool_path, "exec")
    base_env = dict(os.environ)
    for line in proto_in:
        request = json.loads(line)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(base_env)
        for k, v in request["env"].items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        status = _run_tool(code, tool_path, request)
        proto_out.write(json.dumps({"status": status}) + "\n")
        proto_out.flush()


class Worker:
    def __init__(self, python, env):
        self.proc = subprocess.Popen([python, "-S", os.path.abspath(__file__), "--worker"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                     text=True)

    def run(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError("the Python worker died")
        return json.loads(reply)["status"]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


# ------------------------------------------------------------------------------------------
# Cases
# ------------------------------------------------------------------------------------------

class Case:
    def __init__(self, name, args, stdin=b"", files=None, env=None, real=False, closed=(),
                 stdin_dir=False):
        self.name = name
        self.args = [a.encode("utf-8", "surrogateescape") if isinstance(a, str) else a
                     for a in args]
        self.stdin = stdin
        self.files = files or {}  # name -> bytes, or None for a directory
        self.env = env or {}
        self.real = real or bool(closed) or stdin_dir
        self.closed = closed  # standard streams the process starts without
        self.stdin_dir = stdin_dir  # stdin is a directory

    def describe(self):
        lines = [f"case {self.name}: args={[os.fsdecode(a) for a in self.args]!r}"]
        if self.env:
            lines.append(f"  env={self.env!r}")
        if self.stdin:
            lines.append(f"  stdin={_abbrev(self.stdin)}")
        for k, v in self.files.items():
            lines.append(f"  file {k!r}: {'<dir>' if v is None else _abbrev(v)}")
        return "\n".join(lines)


def _abbrev(data, limit=300):
    if len(data) <= limit:
        return repr(data)
    return f"{data[:limit // 2]!r} ... {data[-limit // 2:]!r} ({len(data)} bytes)"


class Gen:
    """Random JSON text (bytes), with Python's grammar and its extensions."""

    SIMPLE_ESCAPES = ["\\n", "\\t", '\\"', "\\\\", "\\/", "\\b", "\\f", "\\r"]
    U_ESCAPES = ["\\u00e9", "\\u0000", "\\u001f", "\\u007f", "\\u0080", "\\u20ac", "\\uFFFF",
                 "\\ud83d\\ude00", "\\uD834\\uDD1E", "\\udbff\\udfff", "\\ud800", "\\udbff",
                 "\\udc80", "\\udcff", "\\udc00", "\\udfff", "\\ud800\\ud800",
                 "\\udc80\\ud800", "\\ud800x", "\\u2028", "\\ufeff", "\\u0041"]
    RAW_TEXT = ["é", "ü", "中文", "😀", "𝄞", "\u007f", "\u0085", "\u00a0", "\u2028",
                "\ufeff", "\uffff", "\U0010ffff", "\U00010000", "ÿ", "Ω", "\ue000"]

    def __init__(self, rng):
        self.r = rng

    def ws(self, newlines=True):
        r = self.r.random()
        if r < 0.55:
            return ""
        choices = [" ", "  ", "\t"] + (["\n", "\r\n", "\n    ", "\r"] if newlines else [])
        return self.r.choice(choices)

    def string(self):
        parts = []
        for _ in range(self.r.choice([0, 1, 1, 2, 3, 5, 8])):
            k = self.r.random()
            if k < 0.45:
                parts.append("".join(self.r.choice("abcxyzABC _-09.") for _ in
                                     range(self.r.randint(1, 6))))
            elif k < 0.6:
                parts.append(self.r.choice(self.SIMPLE_ESCAPES))
            elif k < 0.8:
                parts.append(self.r.choice(self.U_ESCAPES))
            else:
                parts.append(self.r.choice(self.RAW_TEXT))
        return '"' + "".join(parts) + '"'

    def key(self):
        if self.r.random() < 0.3:
            return '"' + self.r.choice(["a", "b", "A", "Z", "é", "😀", "\uffff", "\\ud800",
                                        "\\udcff", "", "a\\u0000", "aa", "\U00010000"]) + '"'
        return self.string()

    def number(self):
        k = self.r.random()
        if k < 0.3:
            return str(self.r.choice([0, 1, -1, 7, 42, -0, 100, 2**31, 2**53 + 1,
                                      2**63 - 1, 2**63, 2**64 - 1, 2**64, -2**63, -2**63 - 1,
                                      10**30, -10**25]))
        if k < 0.35:
            return "-0"
        if k < 0.45:
            return ("-" if self.r.random() < 0.3 else "") + str(self.r.randint(1, 9)) + \
                "".join(self.r.choice("0123456789") for _ in range(self.r.randint(15, 40)))
        if k < 0.7:
            return self.r.choice(["1.0", "-0.0", "0.0", "1e5", "1E5", "1e+5", "1e-5",
                                  "1.5e300", "1e400", "-1e400", "1e-400", "0.1", "1e16",
                                  "1e15", "123456789.123456789", "5e-324",
                                  "2.2250738585072014e-308", "1.7976931348623157e308",
                                  "9007199254740993", "0.30000000000000004", "100.0",
                                  "1E-7", "-2.5E+10", "3.14159", "1e22", "1e23"])
        if k < 0.85:
            return repr(self.r.uniform(-1e6, 1e6))
        mant = str(self.r.randint(0, 10**self.r.randint(1, 18)))
        frac = "." + str(self.r.randint(0, 10**self.r.randint(1, 10))) if \
            self.r.random() < 0.6 else ""
        exp = ("e" + self.r.choice(["", "+", "-"]) + str(self.r.randint(0, 330))) if \
            self.r.random() < 0.5 else ""
        return ("-" if self.r.random() < 0.3 else "") + mant + frac + exp

    def scalar(self):
        k = self.r.random()
        if k < 0.35:
            return self.string()
        if k < 0.75:
            return self.number()
        return self.r.choice(["true", "false", "null", "NaN", "Infinity", "-Infinity"])

    def value(self, depth=0, newlines=True):
        k = self.r.random()
        if depth > 5 or k < 0.35:
            return self.scalar()
        w = lambda: self.ws(newlines)  # noqa: E731
        n = self.r.choice([0, 1, 1, 2, 3, 4, 6])
        if k < 0.65:
            items = [w() + self.value(depth + 1, newlines) + w() for _ in range(n)]
            return "[" + (",".join(items) if items else w()) + "]"
        members = []
        for _ in range(n):
            key = self.key() if self.r.random() > 0.15 or not members else \
                members[0].split(":")[0].strip()  # a repeated key now and then
            members.append(w() + key + w() + ":" + w() + self.value(depth + 1, newlines) + w())
        return "{" + (",".join(members) if members else w()) + "}"

    def document(self, newlines=True):
        text = self.ws(newlines) + self.value(0, newlines) + self.ws(newlines)
        return text.encode("utf-8", "surrogatepass")


BAD_BYTES = [b"\x00", b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc0\x80", b"\xc1\xbf", b"\xc2",
             b"\xe0\x80\x80", b"\xe0\xa0", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xef\xbf",
             b"\xf0\x80\x80\x80", b"\xf0\x9f\x98", b"\xf4\x90\x80\x80", b"\xf5\x80", b"\xf8",
             b"\xe2\x82", b"\xe2\x82\xac", b"\xc3\xa9", b"\xc3", b"\xf0\x9f\x98\x80"]
NOISE = [b"}", b"]", b",", b":", b'"', b"\\", b"\r", b"\n", b"\r\n", b" ", b"{", b"[", b"x",
         b"1", b"-", b".", b"e", b"\t", b"\xef\xbb\xbf", b"\\u", b"\\ud800", b"NaN", b"\x01"]


def mutate(rng, data):
    k = rng.random()
    if k < 0.3 and data:
        return data[:rng.randrange(len(data))]
    if k < 0.55:
        pos = rng.randint(0, len(data))
        return data[:pos] + rng.choice(BAD_BYTES + NOISE) + data[pos:]
    if k < 0.75 and data:
        pos = rng.randrange(len(data))
        return data[:pos] + rng.choice(BAD_BYTES + NOISE) + data[pos + 1:]
    if k < 0.85:
        return data.replace(b"\n", rng.choice([b"\r\n", b"\r"]))
    if k < 0.92:
        return b"\xef\xbb\xbf" + data
    return data + rng.choice([b"x", b" 1", b"]", b"\n\n", b"\x00", b"\xff", b" \r\n"])


def option_sets(rng):
    """A random combination of the dump options."""
    args = []
    if rng.random() < 0.3:
        args.append("--sort-keys")
    if rng.random() < 0.4:
        args.append("--no-ensure-ascii")
    indent = rng.choice([None, None, None, ["--tab"], ["--no-indent"], ["--compact"],
                         ["--indent", "0"], ["--indent", "2"], ["--indent=-1"], ["--indent", "1"],
                         ["--indent", " 3 "], ["--indent", "\u0663"], ["--indent=1_0"],
                         ["--indent", "4"], ["--ind", "8"]])
    if indent:
        args += indent
    rng.shuffle(args)
    return args


def input_mode(rng, case_args, data):
    """Stdin, '-' or a file argument, maybe with an outfile."""
    k = rng.random()
    files = {}
    stdin = b""
    if k < 0.4:
        stdin = data
        pos = []
    elif k < 0.5:
        stdin = data
        pos = ["-"]
    else:
        files["in.json"] = data
        pos = ["in.json"]
    if rng.random() < 0.3:
        if not pos:
            pos = ["-"]
        pos.append(rng.choice(["out.json", "out.json", "./out.json", "in.json" if files else
                               "out.json", "nodir/out.json"]))
    return case_args + pos, stdin, files


def generate(seed, count):
    rng = random.Random(seed)
    cases = []

    def add(name, *a, **kw):
        cases.append(Case(f"{name}-{len(cases)}", *a, **kw))

    gen = Gen(rng)

    # Curated argument lists: argparse's behaviour, one by one.
    arg_lists = [
        ["-h"], ["--help"], ["--he"], ["-hh"], ["-hx"], ["-h=1"], ["-h="], ["--help=1"],
        ["--bogus"], ["-x"], ["---"], ["--=x"], ["--no"], ["--no=3"], ["--n"], ["--no-e"],
        ["--no-i"], ["--sort"], ["--sort=1"], ["--sort-keys="], ["--s"], ["--comp"], ["--c"],
        ["--t"], ["--j"], ["--i", "2"], ["--in=3"], ["--indent"], ["--indent="],
        ["--indent", "x"], ["--indent", "1.5"], ["--indent", "0x10"], ["--indent", "1__0"],
        ["--indent", "_1"], ["--indent", "+4"], ["--indent", "\u00a04\u3000"],
        ["--indent", "--"], ["--indent=--"], ["--indent", "-2"], ["--indent", "-"],
        ["--indent", "'x'"], ["--indent", 'a"b'], ["--indent", "a'b\"c"], ["--indent", "\x01"],
        ["--indent", "\u00e9"], ["--indent", b"\xff"], ["--indent", "1" * 4301],
        ["--indent", "99999999999999999999999"], ["--indent", "-99999999999999999999999"],
        ["--indent", "4", "--tab"], ["--tab", "--indent", "4"], ["--tab", "--indent", "5"],
        ["--indent", "04", "--compact"], ["--indent", "5", "--compact"],
        ["--compact", "--no-indent"], ["--no-indent", "--tab"], ["--tab", "--tab"],
        ["--indent", "2", "--indent", "3"], ["--tab", "--compact", "--no-indent"],
        ["in.json", "out.json", "extra"], ["in.json", "--sort-keys", "out.json"],
        ["--sort-keys", "in.json", "out.json"], ["in.json", "--", "out.json"],
        ["--", "in.json"], ["--"], ["--", "--"], ["--", "-"], ["-", "--", "out.json"],
        ["--", "--sort-keys"], ["in.json", "-5"], ["-5"], ["-1.5"], ["-.5"], ["a b"],
        ["-a b"], ["--a b"], ["missing.json"], ["missing.json", "--indent", "x"],
        ["--indent", "x", "missing.json"], ["missing.json", "--no"], [""], ["adir"],
        [b"in\xff.json"], [b"missing\xff.json"], ["in.json", "adir"], ["in.json", "-"],
        ["in.json", b"out\xff.json"], [b"in\xff.json", "--indent", b"\xfe"],
        ["in.json", ""], ["in.json", "sub//out.json/"], ["in.json", "///tmp/../out.json"],
        ["-", "-"], ["-", "out.json", "-"], ["--json-lines", "-h"], ["-h", "--indent", "x"],
        ["--indent", "x", "-h"], ["--indent=1", "--indent=2"], ["--no-ensure-ascii=1"],
        ["--in.json"], ["-in.json"], ["-", "--sort-keys", "out.json"],
    ]
    std_files = {"in.json": b'{"b": [1, 2.5, "\\u00e9"], "a": null}', "adir": None,
                 b"in\xff.json": b"[1]", "sub": None}
    for args in arg_lists:
        add("argv", args, stdin=b'{"x": 1}', files=dict(std_files))
    for columns in ["1", "10", "20", "29", "30", "31", "40", "44", "45", "50", "60", "79",
                    "81", "100", "200", "abc", "-5", "0", " 60 ", "\u0664\u0660"]:
        add("columns", ["-h"], env={"COLUMNS": columns})
        add("columns", ["--bogus"], env={"COLUMNS": columns})
    tokens = ["--sort-keys", "--so", "--no", "--no-e", "--no-i", "--indent", "--indent=2",
              "--indent=x", "--i=3", "--tab", "--compact", "--json-lines", "-h", "--", "-",
              "in.json", "out.json", "missing.json", "-5", "--bogus", "-x", "7", "--=x", ""]
    for _ in range(150):
        args = [rng.choice(tokens) for _ in range(rng.randint(1, 4))]
        add("argv-random", args, stdin=b'[1, {"a": "\\u00e9"}]', files=dict(std_files))

    # Documents through every option set and input mode.
    docs = []
    n_docs = max(count - len(cases), 0)
    for i in range(n_docs):
        k = rng.random()
        data = gen.document()
        if k < 0.55:
            kind = "doc"
        elif k < 0.85:
            kind = "hostile"
            data = mutate(rng, data)
            if rng.random() < 0.3:
                data = mutate(rng, data)
        else:
            kind = "lines"
            lines = []
            for _ in range(rng.randint(0, 5)):
                r = rng.random()
                if r < 0.7:
                    line = Gen(rng).document(newlines=False)
                elif r < 0.8:
                    line = b""
                elif r < 0.9:
                    line = mutate(rng, Gen(rng).document(newlines=False))
                else:
                    line = rng.choice([b"  ", b"\r", b"\xef\xbb\xbf[1]", b"[1] [2]", b"\xff"])
                lines.append(line)
            data = b"".join(l + rng.choice([b"\n", b"\n", b"\r\n", b"\r"]) for l in lines)
            if lines and rng.random() < 0.3:
                data = data.rstrip(b"\r\n")
        args = option_sets(rng)
        if kind == "lines" or rng.random() < 0.1:
            args.append("--json-lines")
        args, stdin, files = input_mode(rng, args, data)
        docs.append((kind, args, stdin, files))
    for kind, args, stdin, files in docs:
        add(kind, args, stdin=stdin, files=files)
    return cases


def special_cases(rng):
    """Fixed hostile cases: recursion limit, big integers, chunk boundaries, surrogates."""
    cases = []

    def add(name, *a, **kw):
        cases.append(Case(f"{name}-{len(cases)}", *a, **kw))

    for n in (989, 990, 991, 992, 1200):
        for opener, closer in (("[", "]"), ('{"k":', "}"), ('[{"a":', "}]")):
            depth = n if opener != '[{"a":' else n // 2
            doc = (opener * depth + "1" + closer * depth).encode()
            for args, real in (([], n in (990, 991)), (["--no-indent"], False),
                               (["--json-lines"], n == 991), (["in.json"], False)):
                if args == ["in.json"]:
                    add("deep", args, files={"in.json": doc}, real=real)
                elif args == ["--json-lines"]:
                    add("deep", args, stdin=b"[1]\n" + doc + b"\n[2]\n", real=real)
                else:
                    add("deep", args, stdin=doc, real=real)
    add("deep", [], stdin=b"[" * 991)
    add("deep", [], stdin=b"[" * 990 + b"1,")
    add("deep", [], stdin=b"[" * 990 + b"x")
    add("deep", [], stdin=b"[" * 500 + b"x" + b"[" * 600)
    add("deep", [], stdin=b"[" + b"1" * 4301 + b"," + b"[" * 1000)
    add("deep", ["--sort-keys", "--tab"], stdin=('{"b":1,"a":' * 990 + "1" + "}" * 990).encode())

    for digits in (4300, 4301, 5000):
        big = b"1" * digits
        add("bigint", [], stdin=b"[" + big + b"]")
        add("bigint", [], stdin=b"[-" + big + b"]")
        add("bigint", [], stdin=b"[" + big + b", x]")
        add("bigint", [], stdin=b"[x, " + big + b"]")
        add("bigint", [], stdin=b"[" + big + b".5]")
        add("bigint", [], stdin=b"[" + big + b"e1]")
        add("bigint", [], stdin=b'["' + big + b'"]')
        add("bigint", ["--json-lines"], stdin=b"[1]\n[" + big + b"]\n[2]\n")
    add("bigint", [], stdin=b"0" * 4301)

    # Reading in chunks of 8192 bytes: decoding errors are positioned in their chunk.
    pad = b'"' + b"a" * 8000 + b'"\n'
    for extra in (0, 100, 191, 192, 193, 8190, 8191, 8192):
        head = b"[" + b"1," * (extra // 2) + b"1]\n"
        for bad in (b"\xff", b"\xe2\x82\xac", b"\xe2\x82", b"\xf0\x9f\x98\x80", b"\r\n", b"\r"):
            data = head + pad + b'"' + bad + b'"\n' + pad
            add("chunks", ["--json-lines", "in.json"], files={"in.json": data})
            add("chunks", ["--json-lines"], stdin=data)
            add("chunks", ["in.json"], files={"in.json": b"[" + data.replace(b"\n", b",") +
                                               b"1]"})
    for cut in range(8185, 8197):
        data = b" " * cut + b"\xe2\x82\xac"
        add("chunks", ["--json-lines", "in.json"], files={"in.json": b"[1]\n" + data + b"\n"})
        add("chunks", ["--json-lines", "in.json"], files={"in.json": b"x" * cut + b"\r\n[1]\r\n"})
        add("chunks", ["--json-lines", "in.json"],
            files={"in.json": b"[1]\n" + b" " * cut + b"\xe2\x82"})

    # Lone surrogates written with --no-ensure-ascii: to stdout (surrogateescape) and to a
    # file (strict), at chunk boundaries the pure-Python encoder draws.
    sur = [b'"\\ud800"', b'"a\\udc80b"', b'"\xff\xfe"', b'"\\udcff\\ud800\\udc80"',
           b'"\xff\\ud800"', b'"\\udc80\\udc00"', b'"\\udc00\\udc80"', b'"x\\ud800\\ud801y"',
           b'"\xed\xa0\x80"', b'"\\ud83d\xff"', b'"\xc3\xa9\\ud800"', b'"\\t\\ud800"']
    for s in sur:
        for wrap in (b"%s", b"[%s]", b"[1, %s]", b'{"k": %s}', b"{%s: 1}", b'{"a": [], "b": %s}',
                     b'[{"x": [%s, %s]}]'):
            doc = wrap.replace(b"%s", s)
            arg_sets = [["--no-ensure-ascii"], ["--no-ensure-ascii", "--compact"],
                        ["--no-ensure-ascii", "--tab", "--sort-keys"], []]
            for args in rng.sample(arg_sets, 2):
                add("surrogates", args + rng.choice([[], ["-", "out.json"]]), stdin=doc)
            add("surrogates", ["--no-ensure-ascii", "--json-lines"],
                stdin=b'"ok"\n' + doc + b'\n"after"\n')

    # Standard streams with the strict error handler (needs a real interpreter start-up).
    strict = {"PYTHONIOENCODING": "utf-8:strict"}
    for data in (b'"\xff"', b'["\xe2\x82"]', b"[1]\n\xff\n", b'"\\udc80"'):
        for args in ([], ["--no-ensure-ascii"], ["--json-lines"]):
            add("strict-stdio", args, stdin=data, env=strict, real=True)

    # Odd inputs.
    for data in (b"", b" ", b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf[1]", b"\x00",
                 b"[\x00]", b'"\x00"', b'"\x1f"', b"\t\n\r [1] \r\n\t", b"[1]\r", b"1 2",
                 b"[1]\n\n", b"nul", b"NaN", b"-Infinity", b"-", b"[,]", b'{"a" 1}', b"[1,]",
                 b'{"a":1,}', b'"\\x"', b'"\\u12"', b'"\\u12', b'"abc', b"\xff[1]",
                 b"\r\n\r\n[\r\n1\r\n,\r\nx]", b"[1]\r\r", b"\r[x]"):
        for args in ([], ["in.json"], ["--json-lines"], ["--json-lines", "in.json"]):
            if "in.json" in args:
                add("odd", args, files={"in.json": data})
            else:
                add("odd", args, stdin=data)
    add("odd", ["in.json", "/dev/full"], files={"in.json": b"[1]"}, real=True)
    add("odd", [], stdin_dir=True)
    add("odd", ["--json-lines"], stdin_dir=True)
    for closed in ((0,), (1,), (2,), (0, 1)):
        for args in ([], ["-h"], ["--bogus"], ["in.json"], ["in.json", "out.json"], ["-"],
                     ["--json-lines", "in.json"], ["in.json", "--indent", "x"]):
            add("closed", args, stdin=b"[1]", files={"in.json": b'{"a": 1}'}, closed=closed)
    return cases


# ------------------------------------------------------------------------------------------
# Running and comparing
# ------------------------------------------------------------------------------------------

BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8",
            "LANG": "C.UTF-8"}


def case_env(case):
    env = dict(BASE_ENV)
    for k, v in case.env.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def prepare(root, case, stdin_path):
    os.makedirs(root)
    for name, data in case.files.items():
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        if data is None:
            os.makedirs(path)
        else:
            with open(path, "wb") as f:
                f.write(data)
    with open(stdin_path, "wb") as f:
        f.write(case.stdin)


def snapshot(root):
    result = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        rel = os.path.relpath(dirpath, os.fsencode(root))
        for d in dirnames:
            result[os.path.normpath(os.path.join(rel, d))] = None
        for f in filenames:
            with open(os.path.join(dirpath, f), "rb") as fh:
                result[os.path.normpath(os.path.join(rel, f))] = fh.read()
    return result


def run_process(argv, cwd, env, stdin_path, out_path, err_path, case):
    def close_streams():
        for fd in case.closed:
            os.close(fd)

    stdin_fd = os.open(cwd if case.stdin_dir else stdin_path, os.O_RDONLY)
    try:
        with open(out_path, "wb") as o, open(err_path, "wb") as e:
            return subprocess.run(argv, cwd=cwd, env=env, stdin=stdin_fd, stdout=o, stderr=e,
                                  preexec_fn=close_streams if case.closed else None,
                                  timeout=120).returncode
    finally:
        os.close(stdin_fd)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def last_line(data):
    lines = data.rstrip(b"\n").split(b"\n")
    return lines[-1] if lines else b""


class Runner:
    def __init__(self, tool, python, workdir, all_real):
        self.tool = tool
        self.python = python
        self.workdir = workdir
        self.all_real = all_real
        self.local = threading.local()
        self.workers = []
        self.lock = threading.Lock()

    def worker(self):
        w = getattr(self.local, "worker", None)
        if w is None:
            w = Worker(self.python, BASE_ENV)
            self.local.worker = w
            with self.lock:
                self.workers.append(w)
        return w

    def close(self):
        for w in self.workers:
            w.close()

    def run_side(self, side, index, case):
        base = os.path.join(self.workdir, f"{index}-{side}")
        root = base + "-cwd"
        stdin_path, out_path, err_path = base + ".in", base + ".out", base + ".err"
        prepare(root, case, stdin_path)
        env = case_env(case)
        if side == "tool":
            status = run_process([self.tool] + case.args, root, env, stdin_path, out_path,
                                 err_path, case)
        elif case.real or self.all_real:
            status = run_process([self.python, "-m", "json.tool"] + case.args, root, env,
                                 stdin_path, out_path, err_path, case)
        else:
            status = self.worker().run({
                "cwd": root, "env": case.env, "args": [a.hex() for a in case.args],
                "stdin": stdin_path, "stdout": out_path, "stderr": err_path})
        result = (status, read(out_path), read(err_path), snapshot(root))
        shutil.rmtree(root, ignore_errors=True)
        for p in (stdin_path, out_path, err_path):
            os.unlink(p)
        return result

    def compare(self, index, case):
        py = self.run_side("python", index, case)
        tool = self.run_side("tool", index, case)
        problems = []
        if py[0] != tool[0]:
            problems.append(f"exit status: python {py[0]}, pyjson-tool {tool[0]}")
        if py[1] != tool[1]:
            problems.append("stdout differs:\n" + show_diff(py[1], tool[1]))
        py_err, tool_err = py[2], tool[2]
        if b"Traceback (most recent call last):" in py_err:
            # A traceback names Python's own files: only its last line has to match.
            py_err, tool_err = last_line(py_err), last_line(tool_err)
        if py_err.startswith(b"Fatal Python error:"):
            # The interpreter refused to start; its report names a thread id.
            py_err, tool_err = (re.sub(rb"0x[0-9a-f]+", b"0x", x) for x in (py_err, tool_err))
        if py_err != tool_err:
            problems.append("stderr differs:\n" + show_diff(py_err, tool_err))
        if py[3] != tool[3]:
            for name in sorted(set(py[3]) | set(tool[3])):
                a, b = py[3].get(name, "<missing>"), tool[3].get(name, "<missing>")
                if a != b:
                    if isinstance(a, bytes) and isinstance(b, bytes):
                        problems.append(f"file {name!r} differs:\n" + show_diff(a, b))
                    else:
                        problems.append(f"file {name!r}: python {_kind(a)}, "
                                        f"pyjson-tool {_kind(b)}")
        return problems


def _kind(x):
    return "<dir>" if x is None else x if isinstance(x, str) else f"{len(x)} bytes"


def show_diff(a, b):
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    start = max(0, i - 60)
    return (f"    first difference at byte {i} (python {len(a)} bytes, pyjson-tool {len(b)})\n"
            f"    python:      {a[start:i + 80]!r}\n"
            f"    pyjson-tool: {b[start:i + 80]!r}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        return worker_main()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool", required=True, help="the pyjson-tool executable")
    ap.add_argument("--python", default=sys.executable, help="the reference python3")
    ap.add_argument("--cases", type=int, default=1200,
                    help="number of generated cases (fixed special cases come on top)")
    ap.add_argument("--seed", type=int, default=3110)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--real-every", type=int, default=25,
                    help="run every Nth case through a real `python3 -m json.tool` process")
    ap.add_argument("--all-real", action="store_true",
                    help="run every case through a real `python3 -m json.tool` process")
    ap.add_argument("--show", type=int, default=5, help="mismatches to print in full")
    opts = ap.parse_args()

    # The interpreter itself, not a launcher script in front of it (pyenv's shims cost
    # hundreds of milliseconds per start).
    python = subprocess.run([opts.python, "-c", "import sys; print(sys.executable)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    tool = os.path.abspath(opts.tool)
    if not os.access(tool, os.X_OK):
        sys.exit(f"cli: {tool} is not an executable")
    rng = random.Random(opts.seed)
    cases = generate(opts.seed, opts.cases) + special_cases(rng)
    for i, case in enumerate(cases):
        if opts.real_every > 0 and i % opts.real_every == 0:
            case.real = True

    started = time.time()
    failures = []
    workdir = tempfile.mkdtemp(prefix="pyjson-cli-")
    runner = Runner(tool, python, workdir, opts.all_real)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
            results = pool.map(lambda ic: (ic[1], runner.compare(*ic)), enumerate(cases))
            for case, problems in results:
                if problems:
                    failures.append((case, problems))
    finally:
        runner.close()
        shutil.rmtree(workdir, ignore_errors=True)

    for case, problems in failures[:opts.show]:
        print("MISMATCH " + case.describe())
        for p in problems:
            print("  " + p.replace("\n", "\n  "))
        print()
    if len(failures) > opts.show:
        print(f"... and {len(failures) - opts.show} more mismatches:")
        for case, problems in failures[opts.show:opts.show + 40]:
            print(f"  {case.name}: {problems[0].splitlines()[0]}")
    real = sum(1 for c in cases if c.real or opts.all_real)
    print(f"cli: {len(cases) - len(failures)} passed, {len(failures)} failed "
          f"({len(cases)} cases, {real} through a real python3 process, seed {opts.seed}, "
          f"{time.time() - started:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
