#!/usr/bin/env python3
"""Differential test: pyjson against python3's json module, in the same run.

From a seed, this script generates a few thousand JSON inputs -- valid documents with random
structure, strings, numbers and whitespace, and broken ones made by mutating them (truncation,
byte edits, invalid UTF-8 of every class, bad escapes, trailing commas, extra data, ...). It
writes them to one batch file, runs pyjson_differential_driver on the batch once, computes what
python3 gives for every input while the driver runs, and compares the results as text.

    python3 tests/differential/compare_with_python.py --driver PATH [--cases N] [--seed S]
                                                      [--files DIR ...]

With --files, every *.json file of each folder is one more input, read and then dumped in four
layouts (Python's defaults, compact UTF-8, indent=4 with sorted keys, a tab indent with UTF-8
and sorted keys); --cases 0 leaves the random inputs out. When none of the folders exists the
script says so and exits with status 77 (ctest's "skipped").

What is compared, per input:

* loads. pyjson::loads(text, {strict}) against ``json.loads(data, strict=strict)`` where
  ``data`` is the input bytes. For bytes, json.loads decodes with
  ``data.decode(detect_encoding(data), 'surrogatepass')``: UTF-8 in which surrogates encoded
  in three bytes (WTF-8, b'\\xed\\xa0\\x80') are accepted. pyjson takes UTF-8 text, so the model
  here is exactly that with the encoding fixed to UTF-8:
  ``json.loads(data.decode('utf-8', 'surrogatepass'), strict=strict)``. It equals
  json.loads(bytes) for every input that json.loads itself decodes as UTF-8; it differs only
  where json.loads(bytes) would guess another encoding (a NUL among the first four bytes means
  UTF-16/UTF-32 to it, as do UTF-16/32 byte order marks). For those inputs the UTF-8 reading
  is expected; the run counts them. A UTF-8 BOM is skipped, as json.loads(bytes) skips it.
  - JSONDecodeError e: a pyjson::decode_error with what() == str(e), msg() == e.msg,
    pos() == e.pos, lineno() == e.lineno, colno() == e.colno, and byte_pos() == the UTF-8
    length of the text before e.pos.
  - UnicodeDecodeError e: a pyjson::decode_error with msg() == str(e) (e.g. "'utf-8' codec
    can't decode byte 0xff in position 2: invalid start byte"; the position there is a byte
    offset, as Python's is), byte_pos() == e.start, and pos()/lineno()/colno() locating the bad
    byte as a JSONDecodeError would (pos counts the code points before it); what() is
    msg() + ": line L column C (char P)" with those numbers.
* dumps, for every option set given to the case, when loads succeeded: pyjson::dumps against
  ``json.dumps(obj, **options).encode('utf-8')``. A ValueError (NaN with allow_nan=False) or a
  UnicodeEncodeError (a lone surrogate with ensure_ascii=False; Python raises it when the str is
  encoded) is expected as a pyjson::value_error with what() == str(e).

Option sets cover every combination of indent (None, 0, 2, -1, "\\t", "ab"), separators
(default, (",", ":"), (" , ", " : ")), sort_keys, ensure_ascii and allow_nan (144 sets);
each case gets the default set plus a few more, rotating through all of them. About one case
in ten loads with strict=False (raw control characters allowed in strings).

Not compared, and counted as skipped: what Python itself cannot do -- a RecursionError (the
generator keeps nesting at most 900 deep, below Python's limit) and integers beyond
sys.get_int_max_str_digits() (4300 digits), which pyjson keeps exactly by design.

Exit status: 0 when every case matched, 1 on any mismatch, 2 on a harness error.
"""

import argparse
import itertools
import json
import math
import os
import random
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import time

# ---------------------------------------------------------------------------------------------
# Option sets

INDENTS = [None, 0, 2, -1, "\t", "ab"]
SEPARATORS = [None, (",", ":"), (" , ", " : ")]


BOOLS = (False, True)
OPTION_SETS = [
    {"skipkeys": False, "ensure_ascii": ensure_ascii, "allow_nan": allow_nan, "indent": indent,
     "separators": separators, "sort_keys": sort_keys}
    for indent, separators, sort_keys, ensure_ascii, allow_nan in itertools.product(
        INDENTS, SEPARATORS, BOOLS, BOOLS, BOOLS)
]
DEFAULT_OPTIONS = {
    "skipkeys": False,
    "ensure_ascii": True,
    "allow_nan": True,
    "indent": None,
    "separators": None,
    "sort_keys": False,
}
EXTRA_SETS_PER_CASE = 3


def describe_options(o):
    parts = []
    for key, default in DEFAULT_OPTIONS.items():
        if o[key] != default:
            parts.append(f"{key}={o[key]!r}")
    return "json.dumps(obj" + "".join(", " + p for p in parts) + ")"


# ---------------------------------------------------------------------------------------------
# Random documents


class Case:
    __slots__ = ("kind", "data", "strict", "options")

    def __init__(self, kind, data, strict=True):
        self.kind = kind  # which generator made it, for the report
        self.data = data  # input bytes
        self.strict = strict
        self.options = []  # list of option dicts


SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                 "\r": "\\r", "\t": "\\t", "/": "\\/"}

INT_EDGES = [0, 1, 9, 10, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**53 - 1, 2**53, 2**53 + 1,
             2**63 - 1, 2**63, 2**63 + 1, 2**64 - 1, 2**64, 2**64 + 1, 10**19 - 1, 10**19,
             10**20 - 1, 10**20, 2**128]

FLOAT_TEXTS = ["0.0", "-0.0", "1.0", "0.1", "1e16", "1E16", "1e+16", "1e-05", "1.5e-07",
               "0.0001", "1000000000000000.0", "1e400", "-1e400", "1e-400", "-1e-400", "5e-324",
               "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
               "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
               "2.2250738585072011e-308", "2.2250738585072014e-308", "9007199254740993.0",
               "0.30000000000000004", "1.0000000000000002", "123e-456789", "1e99999999999999999999",
               "0e0", "0E-0", "0.000e+99999", "100000000000000000000000.0", "12.5E+3", "-12.5e-3",
               "3.141592653589793238462643383279502884197", "0.5e-323", "1e0000000000000000001",
               "1E-00000000000000000000000000400", "0.1e-0000000000000000000000000000000000000323"]


class Generator:
    """Random JSON text. With lax=True, strings may hold raw control characters
    (valid with strict=False only)."""

    def __init__(self, rng, lax=False):
        self.r = rng
        self.lax = lax

    # --- whitespace ---
    def ws(self):
        r = self.r
        if r.random() < 0.65:
            return ""
        if r.random() < 0.5:
            return " "
        return "".join(r.choice(" \t\n\r") for _ in range(r.randint(1, 4)))

    # --- strings ---
    def code_point(self):
        r = self.r
        x = r.random()
        if x < 0.45:
            return r.randint(0x20, 0x7E)
        if x < 0.52:
            return ord(r.choice('"\\/'))
        if x < 0.60:
            return r.randint(0, 0x1F)
        if x < 0.63:
            return r.choice([0x7F, 0x80, 0x9F, 0xA0, 0xFF, 0x2028, 0x2029, 0xFEFF, 0xFFFE,
                             0xFFFF, 0x10FFFF, 0x1D11E, 0x1F600])
        if x < 0.70:
            return r.randint(0x80, 0x7FF)
        if x < 0.78:
            c = r.randint(0x800, 0xFFFF)
            return c if not 0xD800 <= c <= 0xDFFF else 0xE000
        if x < 0.86:
            return r.randint(0x10000, 0x10FFFF)
        return r.randint(0xD800, 0xDFFF)  # lone surrogate (escaped), maybe forming a pair

    def string_code_points(self):
        r = self.r
        x = r.random()
        n = r.randint(0, 3) if x < 0.3 else r.randint(0, 20) if x < 0.95 else r.randint(50, 600)
        cps = []
        for _ in range(n):
            if r.random() < 0.05:
                # Surrogate arrangements: pairs, high+high, low+high, high at the end, ...
                cps += r.choice([[0xD834, 0xDD1E], [0xD800, 0xD800], [0xDC00, 0xD800],
                                 [0xDBFF, 0xDFFF], [0xD800], [0xDFFF], [0xD800, 0x41],
                                 [0xD800, 0x1F600], [0xD800, 0x0A], [0xDBFF, 0xE000]])
            else:
                cps.append(self.code_point())
        return cps

    def hex4(self, cp):
        h = "%04x" % cp
        c = self.r.random()
        if c < 0.2:
            return h.upper()
        if c < 0.3:
            return "".join(ch.upper() if self.r.random() < 0.5 else ch for ch in h)
        return h

    def render_string(self, cps):
        r = self.r
        out = ['"']
        for cp in cps:
            ch = chr(cp)
            if 0xD800 <= cp <= 0xDFFF:
                out.append("\\u" + self.hex4(cp))
            elif cp < 0x20 or ch in '"\\':
                if cp < 0x20 and self.lax and r.random() < 0.6:
                    out.append(ch)
                elif ch in SHORT_ESCAPES and r.random() < 0.7:
                    out.append(SHORT_ESCAPES[ch])
                else:
                    out.append("\\u" + self.hex4(cp))
            elif r.random() < 0.85:
                out.append(ch)
            elif ch == "/" and r.random() < 0.5:
                out.append("\\/")
            elif cp >= 0x10000:
                v = cp - 0x10000
                out.append("\\u" + self.hex4(0xD800 | (v >> 10)))
                out.append("\\u" + self.hex4(0xDC00 | (v & 0x3FF)))
            else:
                out.append("\\u" + self.hex4(cp))
        out.append('"')
        return "".join(out)

    # --- numbers ---
    def number(self):
        r = self.r
        x = r.random()
        if x < 0.25:
            return str(r.randint(-1000, 100000))
        if x < 0.35:
            n = r.choice(INT_EDGES) + r.choice([-1, 0, 0, 1])
            return str(n * r.choice([1, -1]))
        if x < 0.42:
            digits = r.choice([20, 21, 25, 40, 100, 400, 1000])
            s = str(r.randint(1, 9)) + "".join(r.choice("0123456789") for _ in range(digits - 1))
            return ("-" if r.random() < 0.4 else "") + s
        if x < 0.43:
            return "-0"
        if x < 0.70:
            # A random double from random bits, in repr and other spellings.
            while True:
                d = struct.unpack("<d", r.getrandbits(64).to_bytes(8, "little"))[0]
                if math.isfinite(d):
                    break
            return self.spell_float(d)
        if x < 0.80:
            d = r.choice([r.random(), r.uniform(-1e6, 1e6), r.random() * 10 ** r.randint(-30, 30)])
            return self.spell_float(d)
        if x < 0.83:
            # Long mantissas whose exponent brings them back into range, and exponents with
            # many leading zeros.
            digits = "".join(r.choice("0123456789") for _ in range(r.randint(1, 30)))
            zeros = r.randint(0, 800)
            c = r.random()
            if c < 0.4:
                return f"0.{'0' * zeros}{digits}e{zeros + r.randint(-330, 310)}"
            if c < 0.8:
                return f"{r.randint(1, 9)}{digits}{'0' * zeros}e-{zeros + r.randint(-310, 330)}"
            sign = r.choice(["", "-", "+"])
            return f"{r.randint(1, 9)}.{digits}e{sign}{'0' * zeros}{r.randint(0, 330)}"
        if x < 0.90:
            # Many digits, with or without an exponent.
            s = (r.choice(["", "-"]) + r.choice(["0", str(r.randint(1, 999999))]) + "." +
                 "".join(r.choice("0123456789") for _ in range(r.randint(1, 40))))
            if r.random() < 0.5:
                s += r.choice("eE") + r.choice(["", "+", "-"]) + str(r.randint(0, 400))
            return s
        return r.choice(FLOAT_TEXTS)

    def spell_float(self, d):
        r = self.r
        s = repr(d)
        if "inf" in s or "nan" in s:
            return "1.0"
        c = r.random()
        if c < 0.6:
            return s
        if c < 0.7:
            return s.replace("e", "E")
        if c < 0.8:
            return "%.17g" % d
        if c < 0.9:
            return "%.25e" % d
        return "%.20e" % d

    # --- values ---
    def value(self, depth):
        r = self.r
        if depth <= 0 or r.random() < 0.45:
            return self.scalar()
        if r.random() < 0.5:
            return self.array(depth - 1)
        return self.obj(depth - 1)

    def scalar(self):
        x = self.r.random()
        if x < 0.35:
            return self.render_string(self.string_code_points())
        if x < 0.80:
            return self.number()
        return self.r.choice(["null", "true", "false", "NaN", "Infinity", "-Infinity"])

    def container_size(self):
        x = self.r.random()
        return 0 if x < 0.12 else self.r.randint(1, 5) if x < 0.9 else self.r.randint(6, 40)

    def array(self, depth):
        n = self.container_size()
        if n == 0:
            return "[" + self.ws() + "]"
        items = [self.ws() + self.value(depth) + self.ws() for _ in range(n)]
        return "[" + ",".join(items) + "]"

    def obj(self, depth):
        r = self.r
        n = self.container_size()
        if n == 0:
            return "{" + self.ws() + "}"
        keys = []
        members = []
        for _ in range(n):
            if keys and r.random() < 0.2:
                cps = r.choice(keys)  # a duplicate key, perhaps spelled differently
            else:
                cps = self.string_code_points() if r.random() < 0.5 else [r.randint(0x61, 0x66)]
                keys.append(cps)
            members.append(self.ws() + self.render_string(cps) + self.ws() + ":" + self.ws() +
                           self.value(depth) + self.ws())
        return "{" + ",".join(members) + "}"

    def document(self):
        return self.ws() + self.value(self.r.randint(0, 5)) + self.ws()

    def deep_document(self):
        r = self.r
        depth = r.randint(50, 900)
        opens, closes = [], []
        for _ in range(depth):
            if r.random() < 0.5:
                opens.append("[" + self.ws())
                closes.append(self.ws() + "]")
            else:
                key = self.render_string(self.string_code_points()[:3])
                opens.append("{" + self.ws() + key + self.ws() + ":" + self.ws())
                closes.append(self.ws() + "}")
        return "".join(opens) + self.scalar() + "".join(reversed(closes))


def encode(text):
    # Lone surrogates never reach here literally (they are escaped), but be safe.
    return text.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------------------------------------
# Breaking documents

CONT = list(range(0x80, 0xC0))


def invalid_utf8(r):
    """One byte sequence that strict UTF-8 rejects, of a random class."""
    c = lambda: r.choice(CONT)  # noqa: E731
    kind = r.randrange(12)
    if kind == 0:
        return bytes([c()])  # lone continuation byte
    if kind == 1:
        return bytes([r.choice([0xC0, 0xC1]), c()])  # overlong 2-byte
    if kind == 2:
        return bytes([0xE0, r.randint(0x80, 0x9F), c()])  # overlong 3-byte
    if kind == 3:
        return bytes([0xF0, r.randint(0x80, 0x8F), c(), c()])  # overlong 4-byte
    if kind == 4:
        return bytes([0xED, r.randint(0xA0, 0xBF), c()])  # surrogate (json.loads accepts it)
    if kind == 5:  # an encoded surrogate pair (two WTF-8 surrogates)
        return bytes([0xED, r.randint(0xA0, 0xAF), c(), 0xED, r.randint(0xB0, 0xBF), c()])
    if kind == 6:
        return bytes([0xF4, r.randint(0x90, 0xBF), c(), c()])  # above U+10FFFF
    if kind == 7:
        return bytes([r.randint(0xF5, 0xFF)] + [c() for _ in range(r.randint(0, 3))])
    if kind == 8:
        return bytes([r.randint(0xC2, 0xDF)])  # truncated 2-byte
    if kind == 9:
        return bytes([r.randint(0xE0, 0xEF)] + [c() for _ in range(r.randint(0, 1))])  # truncated 3
    if kind == 10:
        return bytes([r.randint(0xF0, 0xF4)] + [c() for _ in range(r.randint(0, 2))])  # truncated 4
    # A start byte followed by something that is no continuation byte.
    return bytes([r.randint(0xC2, 0xF4), r.choice([0x28, 0x41, 0xC0, 0xFF, 0x22])])


INSERT_BYTES = [b",", b":", b"[", b"]", b"{", b"}", b'"', b"\\", b" ", b"0", b"-", b".", b"e",
                b"\x00", b"\x01", b"\x1f", b"\n", b"\t", b"\x7f", b"'", b"a", b"+", b"\xff",
                b"\xef\xbb\xbf", b"\\u", b"\\ud800", b"\\x", b"\x0b", b"\x0c", b"\xc2\xa0",
                b"\xe2\x80\xa8", b"\xe3\x80\x80", b"\r\n", b"E", b"00", b"0x", b"/*"]
BAD_ESCAPES = [b"\\x", b"\\U0041", b"\\a", b"\\0", b"\\'", b"\\ ", b"\\u", b"\\u1", b"\\u12",
               b"\\u123", b"\\u12G4", b"\\uZZZZ", b"\\u{41}", b"\\ud800\\u", b"\\ud800\\uZ",
               b"\\ud800\\x", b"\\\xc3\xa9", b"\\\xff", b"\\\n", b"\\\x00", b"\\ud800\\ud"]
EXTRA_DATA = [b" 1", b"x", b"[]", b",", b" ,", b"\x00", b' "a"', b"]", b"}", b" null", b"\n\n{",
              b" \xff", b"//", b"\xef\xbb\xbf"]


def mutate(r, data):
    n = len(data)
    kind = r.randrange(11)
    pos = r.randint(0, n)
    if kind == 0 and n:  # truncate
        return data[: r.randrange(n)]
    if kind == 1 and n:  # replace a byte
        i = r.randrange(n)
        b = r.choice(INSERT_BYTES + [bytes([r.randrange(256)])])[:1]
        return data[:i] + b + data[i + 1:]
    if kind == 2:  # insert bytes
        return data[:pos] + r.choice(INSERT_BYTES) + data[pos:]
    if kind == 3 and n:  # delete a short range
        j = min(n, pos + r.randint(1, 3))
        return data[:pos] + data[j:]
    quotes = [i for i, b in enumerate(data) if b == 0x22]
    if kind in (4, 5):  # invalid UTF-8, mostly inside a string
        if quotes and r.random() < 0.7:
            pos = r.choice(quotes) + r.choice([0, 1])
        seq = invalid_utf8(r)
        if r.random() < 0.15:
            return data[:pos] + seq  # cut off right after it
        return data[:pos] + seq + data[pos:]
    if kind == 6 and quotes:  # a bad escape inside a string
        i = r.choice(quotes) + 1
        return data[:i] + r.choice(BAD_ESCAPES) + data[i:]
    closers = [i for i, b in enumerate(data) if b in b"]}"]
    if kind == 7 and closers:  # trailing comma
        i = r.choice(closers)
        return data[:i] + r.choice([b",", b", ", b",\n"]) + data[i:]
    if kind == 8:  # extra data
        return data + r.choice(EXTRA_DATA)
    if kind == 9 and closers:  # a closer of the other kind
        i = r.choice(closers)
        return data[:i] + (b"}" if data[i] == 0x5D else b"]") + data[i + 1:]
    for word, bad in ((b"true", b"tru"), (b"null", b"nul"), (b"false", b"fals"),
                      (b"NaN", b"nan"), (b"Infinity", b"infinity"), (b"-Infinity", b"-Inf")):
        if word in data and r.random() < 0.5:
            return data.replace(word, bad, 1)
    if n:
        return data[:pos] + bytes([r.randrange(256)]) + data[pos:]
    return b"["


# ---------------------------------------------------------------------------------------------
# Fixed inputs: edges worth checking in every run

FIXED_VALID = [
    b"0", b"-0", b"-0.0", b"0.0", b"1.0", b"[1, 2.5, null]", b'{"a": [1, {"b": null}]}',
    b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808",
    b"-9223372036854775809", b"18446744073709551615", b"18446744073709551616",
    b"-18446744073709551616", b"1" + b"0" * 4299, b"-" + b"9" * 4300,
    b"NaN", b"Infinity", b"-Infinity", b"[NaN, Infinity, -Infinity]",
    b'"\\ud834\\udd1e"', b'"\\uD834\\uDD1E"', b'"\\ud800"', b'"\\udfff\\ud800"',
    b'"\\ud800\\ud800"',
    b'"\\ud800x"', b'"\\ud800\\n"', b'"\\u007f"', b'"\x7f"', b'"\\u0000"', b'"\\/"', b'"/"',
    b'"\xe2\x80\xa8\xe2\x80\xa9"', b'"\xef\xbb\xbf"', b'"\xf4\x8f\xbf\xbf"', b'"\xf0\x9d\x84\x9e"',
    b'"\xed\xa0\x80"', b'"\xed\xa0\x80\xed\xb0\x80"', b'"\xed\xbf\xbf"',
    b'{"a": 1, "a": 2}', b'{"a": 1, "b": 2, "a": 3}', b'{"a": 1, "\\u0061": 2}',
    b'{"b": 1, "a": 2, "\\ud800": 3, "\xee\x80\x80": 4, "\xf0\x90\x80\x80": 5, "": 6}',
    b" \t\n\r[ \t\n\r1 \t\n\r, \t\n\r2 \t\n\r] \t\n\r", b"[]", b"{}", b"[[]]", b"[{}]",
    b'{"": {}}', b'"\\"\\\\\\/\\b\\f\\n\\r\\t"', b"1e16", b"1E+16", b"1e-05", b"1.5e-07",
    b"123456789.123456789e-5",
] + [t.encode() for t in FLOAT_TEXTS]

FIXED_BROKEN = [
    b"", b" ", b"\n", b"[", b"{", b"]", b"}", b"[1,]", b'{"a":1,}', b'{"a"}', b'{"a" 1}',
    b"{1:2}", b"{'a':1}", b"[1 2]", b"01", b"-01", b"1.", b".5", b"+1", b"-", b"--1", b"1e",
    b"1e+", b"1.e3", b"tru", b"nul", b"NaN1", b"-NaN", b"-Infinityx", b"infinity", b"nan",
    b'"abc', b'"\\', b'"\\u', b'"\\u12', b'"\\ud800\\u', b"[1]]", b'"\t"', b'"\x00"', b"\x00",
    b"True", b"None", b"[,1]", b"[1,,2]", b'{"a":}', b'{"a":1 "b":2}', b"{,}", b"[1,",
    b"\xef\xbb\xbf[1]", b"\xef\xbb\xbf", b"\xff", b"[\xff]", b'"\xc0\x80"', b'"\xe0\x80\x80"',
    b'"\xf0\x80\x80\x80"', b'"\xf4\x90\x80\x80"', b'"\xe2\x82"', b'"\xe2\x82', b'"\xf0\x9f\x98',
    b"\xed\xa0\x80", b'["\xed\xa0\x80", x]', b'"a"\xff', b'[1, "\xe2\x82\xac", ]',
    b'{"\xc3\xa9": 1 x}', b'"\n', b'"\xc3\xa9\x01"', b"\n\n  [1,\n  2,]", b"[" * 900,
    b"[" * 900 + b"]" * 899, b"{" * 10, b'{"a":' * 500 + b"1" + b"}" * 499 + b"]",
    b"[" * 1001 + b"]" * 1001,
]
FIXED_LAX = [b'"\x00\x01\x1f"', b'"\t\n\r"', b'["a\x00b", "\x1f"]', b'"\\u0000\x00"', b'"\x7f\x00']


def make_cases(seed, count):
    r = random.Random(seed)
    cases = []
    for data in FIXED_VALID:
        cases.append(Case("fixed-valid", data))
    for data in FIXED_BROKEN:
        cases.append(Case("fixed-broken", data))
    for data in FIXED_LAX:
        cases.append(Case("fixed-lax", data, strict=False))
        cases.append(Case("fixed-lax-strict", data, strict=True))
    while len(cases) < count:
        lax = r.random() < 0.1
        g = Generator(r, lax=lax)
        x = r.random()
        if x < 0.015:
            kind, text = "deep", g.deep_document()
        else:
            kind, text = "valid", g.document()
        data = encode(text)
        if r.random() < 0.45:
            kind = "broken-deep" if kind == "deep" else "broken"
            for _ in range(1 if r.random() < 0.75 else r.randint(2, 4)):
                data = mutate(r, data)
        cases.append(Case(kind + ("-lax" if lax else ""), data, strict=not lax))
    # Every case is dumped with Python's defaults plus a few option sets, rotating through all.
    for i, case in enumerate(cases):
        case.options = [DEFAULT_OPTIONS] + [
            OPTION_SETS[(i * EXTRA_SETS_PER_CASE + k) % len(OPTION_SETS)]
            for k in range(EXTRA_SETS_PER_CASE)
        ]
        if r.random() < 0.05:  # no effect on values from JSON text, whose keys are strings
            case.options = [dict(o, skipkeys=True) for o in case.options]
    return cases


# ---------------------------------------------------------------------------------------------
# The batch file and the driver's results


def u32(n):
    return struct.pack("<I", n)


def blob(b):
    return u32(len(b)) + b


def encode_batch(cases):
    out = [b"PYJDIFF1", u32(len(cases))]
    for case in cases:
        out.append(blob(case.data))
        out.append(bytes([case.strict, 1]))
        out.append(u32(len(case.options)))
        for o in case.options:
            out.append(bytes([o["skipkeys"], o["ensure_ascii"], o["allow_nan"], o["sort_keys"]]))
            indent = o["indent"]
            if indent is None:
                out.append(b"\x00")
            elif isinstance(indent, int):
                out.append(b"\x01" + struct.pack("<i", indent))
            else:
                out.append(b"\x02" + blob(indent.encode()))
            sep = o["separators"]
            if sep is None:
                out.append(b"\x00")
            else:
                out.append(b"\x01" + blob(sep[0].encode()) + blob(sep[1].encode()))
    return b"".join(out)


class Truncated(Exception):
    pass


class ResultReader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if len(self.data) - self.pos < n:
            raise Truncated()
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def blob(self):
        return self.take(self.u32())

    def exception(self):
        kind = self.blob().decode()
        what = self.blob().decode("utf-8", "backslashreplace")
        if kind != "decode_error":
            return (kind, what)
        msg = self.blob().decode("utf-8", "backslashreplace")
        return (kind, what, msg, self.u64(), self.u64(), self.u64(), self.u64())


def read_results(data, cases):
    """Parses the results file; returns the complete records, in order."""
    rd = ResultReader(data)
    results = []
    try:
        while rd.pos < len(data):
            index = rd.u32()
            if index != len(results):
                raise RuntimeError(f"results out of order: record {index} at {len(results)}")
            if rd.u8() == 1:
                results.append(("error", rd.exception()))
            else:
                dumps = []
                for _ in cases[index].options:
                    if rd.u8() == 1:
                        dumps.append(("error", rd.exception()))
                    else:
                        dumps.append(("ok", rd.take(rd.u32())))
                results.append(("ok", dumps))
    except Truncated:
        pass  # the driver stopped inside this record
    return results


def start_driver(driver, cases, workdir, tag):
    cases_path = os.path.join(workdir, f"cases{tag}.bin")
    results_path = os.path.join(workdir, f"results{tag}.bin")
    with open(cases_path, "wb") as f:
        f.write(encode_batch(cases))
    proc = subprocess.Popen([*driver, cases_path, results_path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    return proc, results_path


def finish_driver(proc, results_path, cases, timeout):
    """Waits for the driver; returns (records, problem) where problem describes a crash."""
    problem = None
    try:
        _, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            message = err.decode(errors="replace").strip()
            problem = f"driver exited with status {proc.returncode}: {message}"
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        problem = f"driver timed out after {timeout} s"
    try:
        with open(results_path, "rb") as f:
            data = f.read()
    except OSError:
        data = b""
    records = read_results(data, cases)
    if problem is None and len(records) != len(cases):
        problem = f"driver wrote {len(records)} of {len(cases)} records"
    return records, problem


def run_driver(driver, cases, workdir, timeout, started=None):
    """Runs the whole batch; a case that crashes or hangs the driver gets a ('crash', text)
    result and the driver is restarted after it."""
    results = []
    offset = 0
    tag = 0
    while offset < len(cases):
        batch = cases[offset:]
        if started is not None:
            (proc, path), started = started, None
        else:
            proc, path = start_driver(driver, batch, workdir, tag)
        tag += 1
        records, problem = finish_driver(proc, path, batch, timeout)
        results += records
        offset += len(records)
        if problem is not None:
            if offset < len(cases):
                results.append(("crash", problem))
                offset += 1
            elif len(records) == len(batch):
                raise RuntimeError(problem)
    return results


# ---------------------------------------------------------------------------------------------
# What python3 says

POSITION_SUFFIX = re.compile(r": line \d+ column \d+ \(char \d+\)$")


def python_loads(data, strict):
    """('ok', obj) | ('error', (type, what, msg, pos, lineno, colno, byte_pos)) | ('skip', why)."""
    # json.loads(bytes) skips a UTF-8 byte order mark (its encoding guess is then utf-8-sig), and
    # so does pyjson::loads; positions count from after it, byte_pos() from the input's start.
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[bom:]
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8", "surrogatepass")
        pos = len(before)
        lineno = before.count("\n") + 1
        colno = pos - before.rfind("\n")
        msg = str(e)
        what = f"{msg}: line {lineno} column {colno} (char {pos})"
        return ("error", ("decode_error", what, msg, pos, lineno, colno, e.start + bom))
    try:
        return ("ok", json.loads(text, strict=strict))
    except json.JSONDecodeError as e:
        byte_pos = bom + len(text[: e.pos].encode("utf-8", "surrogatepass"))
        return ("error", ("decode_error", str(e), e.msg, e.pos, e.lineno, e.colno, byte_pos))
    except RecursionError:
        return ("skip", "RecursionError in json.loads")
    except ValueError as e:
        if "integer string conversion" in str(e):
            return ("skip", "integer beyond Python's int_max_str_digits")
        raise


def python_dumps(obj, o):
    """('ok', bytes) | ('error', ('value_error', what)) | ('skip', why)."""
    kwargs = dict(o)
    try:
        text = json.dumps(obj, **kwargs)
    except RecursionError:
        return ("skip", "RecursionError in json.dumps")
    except ValueError as e:
        return ("error", ("value_error", str(e)))
    try:
        return ("ok", text.encode("utf-8"))
    except UnicodeEncodeError as e:
        return ("error", ("value_error", str(e)))


def python_autodetects_other_encoding(data):
    return json.detect_encoding(data) not in ("utf-8", "utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Comparison and report

DECODE_FIELDS = ("what", "msg", "pos", "lineno", "colno", "byte_pos")


def show_error(e):
    if e[0] == "decode_error":
        return (f"decode_error: {e[1]!r} (msg={e[2]!r}, pos={e[3]}, lineno={e[4]}, "
                f"colno={e[5]}, byte_pos={e[6]})")
    return f"{e[0]}: {e[1]!r}"


def show_result(res):
    if res[0] == "ok":
        return repr(res[1])
    if res[0] == "error":
        return show_error(res[1])
    return f"{res[0]}: {res[1]}"


def clip(text, limit=800):
    return text if len(text) <= limit else text[:limit] + f"...({len(text)} characters)"


def normalize(text):
    """A mismatch class: the message without positions and numbers."""
    text = POSITION_SUFFIX.sub("", text)
    return re.sub(r"0x[0-9a-f]{2}|\\u[0-9a-f]{4}|\d+", "#", text)


class Mismatch:
    def __init__(self, index, case, what, signature, expected, actual):
        self.index = index
        self.case = case
        self.what = what  # "loads" or the dumps call
        self.signature = signature
        self.expected = expected
        self.actual = actual

    def report(self, out):
        c = self.case
        data = c.data if len(c.data) <= 400 else c.data[:400] + b"...(%d bytes)" % len(c.data)
        out.write(f"  case {self.index} ({c.kind}): {self.what}\n")
        out.write(f"    input:    {data!r}\n")
        out.write(f"    loads:    strict={c.strict}\n")
        out.write(f"    expected: {clip(self.expected)}\n")
        out.write(f"    actual:   {clip(self.actual)}\n")


def python_expected(case):
    """What python3 gives for the case: the loads result, and with a value the dumps results."""
    loaded = python_loads(case.data, case.strict)
    if loaded[0] != "ok":
        return loaded, []
    return loaded, [python_dumps(loaded[1], o) for o in case.options]


def compare_case(index, case, expected_all, actual):
    """Returns (mismatches, skipped_checks, checks)."""
    expected, expected_dumps = expected_all
    if expected[0] == "skip":
        return [], 1, 0
    if actual[0] == "crash":
        exp = ("a value; dumps gives " + show_result(expected_dumps[0]) if expected[0] == "ok"
               else show_result(expected))
        return [Mismatch(index, case, "loads", "driver crashed or hung", exp, actual[1])], 0, 1
    if expected[0] == "error":
        if actual[0] == "error":
            e, a = expected[1], actual[1]
            if e == a:
                return [], 0, 1
            if e[0] != a[0]:
                sig = f"loads: expected {e[0]} {normalize(e[2])!r}, got {a[0]} {normalize(a[1])!r}"
            elif e[2] != a[2]:
                sig = f"loads: message {normalize(e[2])!r} expected, got {normalize(a[2])!r}"
            else:
                fields = [f for f, x, y in zip(DECODE_FIELDS, e[1:], a[1:]) if x != y]
                sig = f"loads: {normalize(e[2])!r}: {', '.join(fields)} differ"
            return [Mismatch(index, case, "loads", sig, show_error(e), show_error(a))], 0, 1
        first = actual[1][0]
        sig = f"loads: expected decode_error {normalize(expected[1][2])!r}, got a value"
        return [Mismatch(index, case, "loads", sig, show_error(expected[1]),
                         "a value; dumps gives " + show_result(first))], 0, 1
    if actual[0] == "error":
        sig = f"loads: expected a value, got {actual[1][0]} {normalize(actual[1][1])!r}"
        exp = "a value; dumps gives " + show_result(expected_dumps[0])
        return [Mismatch(index, case, "loads", sig, exp, show_error(actual[1]))], 0, 1
    mismatches, skipped, checks = [], 0, 1
    for o, want, got in zip(case.options, expected_dumps, actual[1]):
        if want[0] == "skip":
            skipped += 1
            continue
        checks += 1
        if want == got:
            continue
        call = describe_options(o)
        if want[0] == "ok" and got[0] == "ok":
            sig = "dumps: output differs"
            flags = [k for k in ("ensure_ascii", "sort_keys") if o[k] != DEFAULT_OPTIONS[k]]
            if o["indent"] is not None:
                flags.append("indent")
            if o["separators"] is not None:
                flags.append("separators")
            if flags:
                sig += " with " + ", ".join(flags)
        elif want[0] == "ok":
            sig = f"dumps: expected output, got {got[1][0]} {normalize(got[1][1])!r}"
        elif got[0] == "ok":
            sig = f"dumps: expected {want[1][0]} {normalize(want[1][1])!r}, got output"
        else:
            sig = f"dumps: expected {normalize(want[1][1])!r}, got {normalize(got[1][1])!r}"
        mismatches.append(Mismatch(index, case, call, sig, show_result(want), show_result(got)))
    return mismatches, skipped, checks


# Every file is dumped in these layouts: Python's defaults, compact UTF-8 output, json.tool's
# indent=4 with sorted keys, and a tab indent with UTF-8 output and sorted keys.
FILE_OPTION_SETS = [
    DEFAULT_OPTIONS,
    dict(DEFAULT_OPTIONS, ensure_ascii=False, separators=(",", ":")),
    dict(DEFAULT_OPTIONS, indent=4, sort_keys=True),
    dict(DEFAULT_OPTIONS, indent="\t", ensure_ascii=False, sort_keys=True),
]


def file_cases(folders):
    """One case per *.json file of the folders, in name order; None when no folder exists."""
    found = [f for f in folders if os.path.isdir(f)]
    if not found:
        return None
    cases = []
    for folder in found:
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.endswith(".json") and os.path.isfile(path):
                with open(path, "rb") as f:
                    case = Case("file " + name, f.read())
                case.options = FILE_OPTION_SETS
                cases.append(case)
    return cases


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--driver", required=True, help="path of pyjson_differential_driver")
    ap.add_argument("--cases", type=int, default=6000, help="number of cases (default 6000)")
    ap.add_argument("--seed", type=int, default=20240611, help="random seed (default fixed)")
    ap.add_argument("--show", type=int, default=10, help="mismatches shown in full (default 10)")
    ap.add_argument("--only", type=int, help="run just this case index of the seed's corpus")
    ap.add_argument("--timeout", type=float, default=240, help="seconds per driver run")
    ap.add_argument("--emulator", default="",
                    help="command that runs the driver, for a driver built for another "
                         "machine (e.g. 'qemu-aarch64 -L /usr/aarch64-linux-gnu')")
    ap.add_argument("--files", action="append", default=[], metavar="DIR",
                    help="also compare every *.json file of DIR (repeatable); exit status 77 "
                         "(skipped) when none of the folders exists")
    args = ap.parse_args(argv)

    start = time.monotonic()
    cases = make_cases(args.seed, args.cases) if args.cases > 0 else []
    if args.files:
        files = file_cases(args.files)
        if files is None:
            print("differential: skipped, no folder of " + ", ".join(args.files))
            return 77
        cases += files
    indices = list(range(len(cases)))
    if args.only is not None:
        indices = [args.only]
        cases = [cases[args.only]]

    with tempfile.TemporaryDirectory(prefix="pyjson-differential-") as workdir:
        # The driver runs the batch while python3 computes its side, on the second core.
        driver = shlex.split(args.emulator) + [args.driver]
        started = start_driver(driver, cases, workdir, "-first")
        expected = [python_expected(case) for case in cases]
        try:
            results = run_driver(driver, cases, workdir, args.timeout, started)
        except (RuntimeError, OSError) as e:
            print(f"differential: harness error: {e}", file=sys.stderr)
            return 2

    mismatches, skipped, checks, failed_cases, autodetect = [], 0, 0, 0, 0
    for index, case, exp, actual in zip(indices, cases, expected, results):
        m, s, c = compare_case(index, case, exp, actual)
        mismatches += m
        skipped += s
        checks += c
        failed_cases += bool(m)
        autodetect += python_autodetects_other_encoding(case.data)

    out = sys.stdout
    if mismatches:
        out.write(f"First {min(args.show, len(mismatches))} of {len(mismatches)} mismatches:\n")
        for m in mismatches[: args.show]:
            m.report(out)
        groups = {}
        for m in mismatches:
            groups.setdefault(m.signature, []).append(m)
        out.write(f"\n{len(groups)} mismatch classes, each with its shortest input:\n")
        for sig, ms in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            out.write(f"[{len(ms)}] {sig}\n")
            min(ms, key=lambda m: (len(m.case.data), m.index)).report(out)
    kinds, outcomes = {}, {}
    for case, (loaded, _) in zip(cases, expected):
        kind = case.kind.split(" ", 1)[0]  # "file NAME" counts as "file"
        kinds[kind] = kinds.get(kind, 0) + 1
        outcome = "a value" if loaded[0] == "ok" else loaded[0] if loaded[0] == "skip" else (
            normalize(loaded[1][2]).replace("'utf-#' codec can't decode ", ""))
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    out.write(f"\ncorpus (seed {args.seed}): " +
              ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + "\n")
    out.write("python's loads outcomes: " +
              ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items(), key=lambda kv: -kv[1])) +
              "\n")
    out.write(f"{checks} checks compared, {skipped} skipped (Python's own limits), {autodetect} "
              f"inputs json.loads(bytes) would not read as UTF-8 (UTF-8 expected), "
              f"{time.monotonic() - start:.1f} s\n")
    out.write(f"differential: {len(cases) - failed_cases} passed, {failed_cases} failed\n")
    return 1 if failed_cases else 0


if __name__ == "__main__":
    sys.exit(main())
