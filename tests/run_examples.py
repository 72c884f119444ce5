#!/usr/bin/env python3
"""Runs the examples in a temporary folder as a new user would and checks what they print."""
import json
import os
import subprocess
import sys
import tempfile


def run(exe, cwd, stdin=""):
    return subprocess.run([exe], cwd=cwd, input=stdin.encode(), capture_output=True)


def main():
    bindir = os.path.abspath(sys.argv[1])
    failures = []
    checks = [0]

    def check(name, cond, detail):
        checks[0] += 1
        if not cond:
            failures.append(f"{name}: {detail}")

    with tempfile.TemporaryDirectory() as tmp:
        w = run(os.path.join(bindir, "number_writer"), tmp)
        check("number_writer", w.returncode == 0 and w.stdout == b"Stored [2, 3, 5, 7, 11, 13] in numbers.json\n", w)
        with open(os.path.join(tmp, "numbers.json"), "rb") as f:
            stored = f.read()
        check("numbers.json", stored == json.dumps([2, 3, 5, 7, 11, 13]).encode(), stored)
        r = run(os.path.join(bindir, "number_reader"), tmp)
        check("number_reader", r.returncode == 0 and r.stdout == b"[2, 3, 5, 7, 11, 13]\nTheir sum is 41\n", r)

        me = os.path.join(bindir, "remember_me")
        first = run(me, tmp, "Ada Lovelace\n")
        check("remember_me first run", first.returncode == 0 and first.stdout ==
              b"What is your name? We'll remember you when you come back, Ada Lovelace!\n", first)
        with open(os.path.join(tmp, "username.json"), "rb") as f:
            check("username.json", json.loads(f.read()) == "Ada Lovelace", "content")
        again = run(me, tmp)
        check("remember_me second run", again.returncode == 0 and again.stdout == b"Welcome back, Ada Lovelace!\n", again)
        os.remove(os.path.join(tmp, "username.json"))
        nothing = run(me, tmp, "")
        check("remember_me without input", nothing.returncode == 1 and
              not os.path.exists(os.path.join(tmp, "username.json")), nothing)

        os.remove(os.path.join(tmp, "numbers.json"))
        missing = run(os.path.join(bindir, "number_reader"), tmp)
        check("number_reader without a file", missing.returncode == 1 and
              b"No such file or directory: 'numbers.json'" in missing.stderr, missing)

    for f in failures:
        print("FAILED", f)
    print(f"examples: {checks[0] - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
