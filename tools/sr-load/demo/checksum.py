#!/usr/bin/env python3
"""Row count and checksum of a table's rows given as NDJSON (one object per row) — the same
definition as demo/canon.h (used by sr-load-gen and sr-load-checksum, which are faster):

  row text = columns sorted by name, each "name=value", joined by \\x1f; value is \\N for null,
             true/false, an integer's digits, a decimal with trailing fractional zeros removed
             (12.50 -> 12.5, 100.00 -> 100), a string's characters, compact JSON otherwise
  row hash = crc32(text) << 32 | adler32(text)
  checksum = sum of row hashes mod 2**64, as 16 hex digits

usage: checksum.py FILE|-      prints {"rows": N, "checksum": "<16 hex digits>"}
"""
import json
import sys
import zlib

MASK = (1 << 64) - 1


def canon_number(text):
    if "." not in text or "e" in text or "E" in text:
        return text
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class Num(str):
    """A number kept as its JSON text."""


def canon_value(v):
    if v is None:
        return "\\N"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Num):
        return canon_number(str(v))
    if isinstance(v, str):
        return v
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(row):
    text = "\x1f".join(f"{k}={canon_value(row[k])}" for k in sorted(row)).encode()
    return (zlib.crc32(text) << 32) | zlib.adler32(text)


def parse(line):
    return json.loads(line, parse_float=Num, parse_int=Num)


def of_lines(lines):
    n = 0
    total = 0
    for line in lines:
        if line.strip():
            total = (total + row_hash(parse(line))) & MASK
            n += 1
    return n, f"{total:016x}"


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "-"
    f = sys.stdin if src == "-" else open(src, encoding="utf-8")
    n, c = of_lines(f)
    print(json.dumps({"rows": n, "checksum": c}))


if __name__ == "__main__":
    main()
