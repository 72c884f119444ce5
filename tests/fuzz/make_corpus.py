#!/usr/bin/env python3
"""Fuzzing: writes the seed corpus shared by every fuzz target into a directory.

Usage: make_corpus.py OUTPUT_DIR

Each seed is one option byte (every target reads its options from the first byte) followed by
a document: valid and invalid JSON, numbers at the edges, Unicode (escaped, raw, lone
surrogates, invalid UTF-8), deep nesting around the depth limits, json-lines text, and
documents shaped like fuzz_typed.cpp's record. The output is deterministic: the same files
with the same bytes on every run, so the corpus never needs to be committed.
"""

import hashlib
import json
import sys
from pathlib import Path

SCALARS = [
    b"null", b"true", b"false", b"0", b"-0", b"1", b"-1", b"0.0", b"-0.0", b"1.5", b"-2.5e-3",
    b"1e400", b"-1e400", b"1e-400", b"5e-324", b"1.7976931348623157e308", b"1e16", b"1E+2",
    b"123456789012345678901234567890", b"-123456789012345678901234567890",
    b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808",
    b"-9223372036854775809", b"18446744073709551615", b"18446744073709551616",
    b"0.1", b"0.30000000000000004", b"2.2250738585072014e-308", b"4.9406564584124654e-324",
    b"NaN", b"Infinity", b"-Infinity", b'""', b'"abc"', b'"a\\"b\\\\c\\/d"',
    b'"\\b\\f\\n\\r\\t"', b'"\\u0000\\u001f\\u007f"', b'"\\u00e9\\u20ac"', b'"\\ud83d\\ude00"',
    b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\ud800x"', b'"\\uDBFF\\uDFFF"',
    '"é€😀"'.encode(), '"\u2028\u2029"'.encode(), b'"\xed\xa0\x80"', b'"\xed\xa0\xbd\xed\xb8\x80"',
    b'"\\ud83d\xed\xb8\x80"', b'"' + b"x" * 300 + b'"', b"1" * 400,
    # Text beyond ASCII in runs longer than a 32-byte block (checked, copied and escaped with
    # AVX2): Japanese, Cyrillic, scripts mixed with ASCII.
    ('"' + "日本語のテキストです。" * 6 + '"').encode(), ('"' + "Привет, мир! " * 8 + '"').encode(),
    ('"' + "naïve café — Ελληνικά 中文 😀 " * 5 + '"').encode(),
]

INVALID = [
    b"", b" ", b"[", b"]", b"{", b"}", b"[1,]", b"[1 2]", b'{"a" 1}', b'{"a": 1,}', b"{1: 2}",
    b"{'a': 1}", b'"abc', b'"\\x"', b'"\\u12"', b'"\\u12G4"', b'"\x01"', b'"a\nb"', b'"\t"',
    b"-", b"01", b"1.", b".5", b"1e", b"1e+", b"+1", b"--1", b"tru", b"nul", b"nan", b"inf",
    b"-NaN", b"Infinityy", b"[1] x", b"1 2", b"\xff", b"[\"\xc0\x80\"]", b'"\xe0\x80\x80"',
    b'"\xf4\x90\x80\x80"', b'"\xe2\x82"', b"[1, \xff]", b'{"\xed\xa0": 1}', b"\xef\xbb\xbf",
    b"\xef\xbb\xbf[1]", b"\xef\xbb\xbf\xef\xbb\xbf1", b"[\n1,\r\n2,\r3 x]", b"\x00",
    b'["a"\n,\n]', b"[" * 5 + b"]" * 4, b'{"a":[{"b":', b"/* c */ 1", b"[1e999999999999]",
]

TYPED = [
    {"name": "n", "small": -128, "big": 18446744073709551615, "real": 1.5, "flag": True,
     "note": None, "bytes": [1, 2, -3], "pair": ["a", "b"], "choice": {"x": 1, "y": 2},
     "table": {"k": 5, "s": "str", "p": [{"x": 1, "y": 2, "z": None}]},
     "numbered": {"1": {"count": 3, "bits": [1, None], "range": [0.5, 1e300],
                        "flags": {"a": True}, "ring": [[1, -2.5], [0.1, 1e-5]],
                        "series": [1.5, -0.0, 12345678901234567890.5]}, "-7": None},
     "shapes": [{"text": "t", "visible": False}, {"x": 0, "y": 0}], "child": None,
     "extra": [1, {"a": None}]},
    {"name": "", "small": 127, "big": 0, "real": -0.0, "flag": False, "note": "é",
     "bytes": [], "pair": ["", "\ud800"], "choice": [1, 2, 3], "table": {}, "numbered": {},
     "shapes": [], "child": {"count": 1, "bits": None, "range": [1, 2], "flags": {},
                             "ring": [], "series": None}},
    {"name": "x", "small": 0, "big": 1, "real": 1e400, "flag": True, "bytes": [127],
     "pair": ["a", "b"], "choice": "s", "table": {"v": [{"x": 1, "y": 1}]},
     "numbered": {"0": None}, "shapes": [{"x": 1, "y": 2, "z": 3.5}]},
    {"name": "y", "small": 1, "big": 2, "real": 3, "flag": False, "bytes": [0],
     "pair": ["", ""], "choice": None, "table": {}, "numbered": {}, "shapes": [],
     "unknown": {"deep": [1, 2, {"x": []}]}},
    {"name": "z", "small": 300, "big": -1, "real": "no", "flag": 1, "bytes": [1.5],
     "pair": ["a"], "choice": {"text": "t", "visible": True}, "table": [], "numbered": {"a": 1},
     "shapes": {}},
]


def nested(depth, kind):
    opening, closing = (b"[", b"]") if kind == "array" else (b'{"a":', b"}")
    return opening * depth + b"0" + closing * depth


def documents():
    docs = list(SCALARS)
    docs += [b"[" + b", ".join(SCALARS[i:i + 7]) + b"]" for i in range(0, len(SCALARS), 7)]
    docs.append(b'{"a": 1, "b": [true, null], "a": 2, "c": {"d": "e"}}')
    docs.append(b'{"b": 1, "a": 2, "\\u00e9": 3, "\xc3\xa9": 4, "\\ud83d\\ude00": 5, '
                b'"\xed\xa0\xbd\xed\xb8\x80": 6}')
    docs.append(b' \t\n\r[ 1 , { "k" : [ ] , "l" : { } } ] \n')
    docs.append(b'{"a": 1}\n[2]\n"three"\n\n4 5\n')
    docs.append(b"[1]\r\n[2]\r[3]")
    docs += INVALID
    for depth in (1, 2, 8, 9, 16, 17, 64, 65, 990, 991, 1000, 1001, 5000):
        docs.append(nested(depth, "array"))
    for depth in (8, 9, 990, 1001):
        docs.append(nested(depth, "object"))
    docs.append(b"[" * 20000)
    # A variant alternative that fails half way through an object, a thousand times over: the
    # typed reader must give back the depth it entered (nesting here is only 3).
    docs.append(b'{"shapes": [' + b", ".join([b'{"text": 1, "x": 0, "y": 0}'] * 1200) + b"]}")
    for doc in TYPED:
        docs.append(json.dumps(doc).encode("utf-8", "surrogatepass"))
        docs.append(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8", "surrogatepass"))
    return docs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for i, doc in enumerate(documents()):
        # Option byte 0 (defaults everywhere) and one more combination per document.
        for option in (0, (i * 37 + 11) & 0xFF):
            seed = bytes([option]) + doc
            name = hashlib.sha1(seed).hexdigest()
            (out / name).write_bytes(seed)
            count += 1
    print(f"make_corpus.py: {count} seeds in {out}")


if __name__ == "__main__":
    main()
