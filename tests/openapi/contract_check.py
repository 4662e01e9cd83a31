#!/usr/bin/python3
"""The contract over the whole e2e suite (issue 18, part 1).

  contract_check.py BIN DIR

DIR holds the exchanges the e2e run recorded (tests/e2e/conftest.py,
GIAPRANH_CONTRACT_LOG); BIN prints the OpenAPI document (`BIN openapi`).
Every exchange whose path the document describes, or that is under /api/,
is checked by tests/e2e/contract.py: the request matches an operation, the
status is one the operation lists, a JSON answer validates against its
schema.  A request to no route (400/404/405 with no operation) is fine.

Prints the problems, one line per kind (with how often it was seen), and
ends with "contract: N passed, M failed" (N exchanges that hold, M that
do not).
"""
import collections
import json
import os
import subprocess
import sys
import types
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from contract import Contract  # noqa: E402

NO_ROUTE = (400, 404, 405)
SHOWN_PROBLEMS = 60


def exchange(line):
    """The recorded line as the parts of a requests.Response Contract.check reads."""
    headers = {"Content-Type": line["type"]} if line["type"] else {}
    req = types.SimpleNamespace(url=line["url"], method=line["method"], headers=headers,
                                body=line["body"])
    answer = line["answer"]
    return types.SimpleNamespace(
        request=req, status_code=line["status"],
        headers={"Content-Type": line["rtype"]} if answer is not None or not
        line["rtype"].startswith("application/json") else {},
        json=lambda: json.loads(answer))


def main():
    bin_, folder = sys.argv[1], sys.argv[2]
    doc = json.loads(subprocess.run([bin_, "openapi"], capture_output=True, text=True,
                                    check=True).stdout)
    contract = Contract(doc)
    passed = failed = 0
    seen = collections.Counter()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for text in f:
                line = json.loads(text)
                path = urllib.parse.unquote(urllib.parse.urlsplit(line["url"]).path)
                op, _ = contract.operation(line["method"].lower(), path)
                if op is None and (not path.startswith("/api/") or
                                   line["status"] in NO_ROUTE):
                    continue
                before = len(contract.problems)
                contract.check(exchange(line))
                if len(contract.problems) == before:
                    passed += 1
                else:
                    failed += 1
                    for p in contract.problems[before:]:
                        seen[p] += 1
    for p, n in seen.most_common(SHOWN_PROBLEMS):
        print(f"{n:6d}  {p}")
    print(f"contract: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
