#!/usr/bin/python3
"""The deterministic dev/test split of the border-area corpus (tests/ingest/corpus).

Rule (fixed before any text was annotated): sort the texts by the SHA-256 of their URL, as
written in sources.csv (UTF-8, lower-case hex digest); the first floor(n/2) are `dev`, the
rest `test`.  The URL is chosen by whoever finds the text, not by how the extractor does on
it, so the split is blind to the rules.

    /usr/bin/python3 tests/ingest/corpus/split.py           # print id, split, hash prefix
    /usr/bin/python3 tests/ingest/corpus/split.py --check   # exit 1 unless the files agree

`--check` verifies that sources.csv's `split` column and the texts under dev/texts and
test/texts follow the rule (the self-test runs it).
"""

import csv
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_sources(path=os.path.join(HERE, "sources.csv")):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def assign(rows):
    """{id: "dev" | "test"} by the rule above."""
    ranked = sorted(rows, key=lambda r: hashlib.sha256(r["url"].encode("utf-8")).hexdigest())
    half = len(ranked) // 2
    return {r["id"]: ("dev" if i < half else "test") for i, r in enumerate(ranked)}


def problems(rows, base=HERE):
    want = assign(rows)
    out = []
    for r in rows:
        if r.get("split") != want[r["id"]]:
            out.append("%s: sources.csv says %r, the rule says %r" % (r["id"], r.get("split"), want[r["id"]]))
        path = os.path.join(base, want[r["id"]], "texts", r["id"] + ".txt")
        if not os.path.isfile(path):
            out.append("%s: %s is missing" % (r["id"], os.path.relpath(path, base)))
    for split in ("dev", "test"):
        d = os.path.join(base, split, "texts")
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            tid = os.path.splitext(name)[0]
            if want.get(tid) != split:
                out.append("%s/texts/%s is not a %s text by the rule" % (split, name, split))
    if len({r["url"] for r in rows}) != len(rows):
        out.append("two texts share a URL")
    return out


def main(argv):
    rows = read_sources()
    if "--check" in argv:
        errs = problems(rows)
        for e in errs:
            print("split: " + e, file=sys.stderr)
        return 1 if errs else 0
    want = assign(rows)
    for r in sorted(rows, key=lambda r: r["id"]):
        print("%s %-4s %s" % (r["id"], want[r["id"]], hashlib.sha256(r["url"].encode("utf-8")).hexdigest()[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
