#!/usr/bin/env python3
"""bench/report.py - the table and JSON of bench/run from its wrk outputs.

Every figure is printed with its ratio to its ceiling (the bare SQLite
loop for loads, the minimal libmicrohttpd server for requests) and to the
Directus 12.4 figure of issue 7, and whether the issue's target holds.
Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import re
import subprocess

# Directus 12.4 on SQLite, issue 7 (wrk -t2 -c50 -d20s, 2 cores)
DIRECTUS = {
    "load": {"rows_per_s": 1144},  # with its audit on (3,537 without)
    "a": {"rps": 427, "p99_ms": 205},
    "b": {"rps": 134, "p99_ms": 542},
    "c": {"rps": 204, "p99_ms": 391},
    "d": {"rps": 64, "p99_ms": 1010},
    "memory_mb": 657,
}
# the targets
TARGET_LOAD_ROWS_S = 350000
TARGET_LOAD_OF_CEILING = 0.5
TARGET_RPS_TIMES_DIRECTUS = 50
TARGET_P99_MS = 20
TARGET_P99_CONNS = 200
TARGET_MEMORY_MB = 65
# national scale: the achievement report of one province and of the country
TARGET_PROVINCE_MS = 100
TARGET_NATION_MS = 1000

WORKLOADS = [
    ("a", "GET one unit by code (/unit_by_code/CODE)"),
    ("a_units", "GET /units/CODE (unit + tree + lineage, for comparison)"),
    ("b", "values of one province's communes, 1 indicator, 1 period"),
    ("c", "count of units by band (>= 100 %), 1 indicator, 1 period"),
    ("d", "target and actual of all units, 1 indicator, 1 period"),
]

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.match(r"([0-9.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNIT_MS[m.group(2)] if m else None


def parse_wrk(path):
    out = {"rps": None, "p50_ms": None, "p99_ms": None, "errors": 0}
    if not os.path.exists(path):
        return out
    for line in open(path):
        f = line.split()
        if line.startswith("Requests/sec:"):
            out["rps"] = float(f[1])
        elif len(f) == 2 and f[0] == "50%":
            out["p50_ms"] = ms(f[1])
        elif len(f) == 2 and f[0] == "99%":
            out["p99_ms"] = ms(f[1])
        elif "Non-2xx" in line or line.strip().startswith("Socket errors"):
            out["errors"] += sum(int(x) for x in re.findall(r"\d+", line))
    return out


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE,
                                  text=True).stdout.strip()
        except OSError:
            return ""
    return {"nproc": sh("nproc"), "memory": sh("free -h | awk '/^Mem:/ {print $2}'"),
            "cpu": sh("awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo"),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds")}


def parse_reports(path):
    """bench/run's report timings: 'key scope period t1 t2 ...' (seconds)."""
    out = []
    if not path or not os.path.exists(path):
        return out
    for line in open(path):
        f = line.split()
        if len(f) < 4:
            continue
        ts = sorted(float(x) * 1000.0 for x in f[3:])
        target = (TARGET_PROVINCE_MS if f[0].startswith("province_achievement")
                  else TARGET_NATION_MS if f[0].startswith("nation_achievement")
                  else None)
        med = ts[len(ts) // 2]
        out.append({"report": f[0], "scope": f[1], "period": f[2],
                    "runs": len(ts), "min_ms": round(ts[0], 1),
                    "median_ms": round(med, 1), "max_ms": round(ts[-1], 1),
                    "target_ms": target,
                    "target_holds": med < target if target else None})
    return out


def ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--load-s", type=float, required=True)
    ap.add_argument("--ceiling-s", type=float, required=True)
    ap.add_argument("--pg-load-s", type=float, default=0,
                    help="the same import into PostgreSQL (0: not measured)")
    ap.add_argument("--hwm-kb", type=int, required=True)
    ap.add_argument("--national", type=int, default=0)
    ap.add_argument("--conns", default="50 200")
    ap.add_argument("--json", required=True)
    ap.add_argument("--reports", help="report timings written by bench/run --national")
    ap.add_argument("--loaded", default="",
                    help="what the national database holds (printed as is)")
    o = ap.parse_args()
    conns = [int(c) for c in o.conns.split()]

    load = o.rows / o.load_s if o.load_s > 0 else 0
    ceil = o.rows / o.ceiling_s if o.ceiling_s > 0 else None
    res = {"machine": machine(), "national": bool(o.national),
           "load": {"rows": o.rows, "seconds": round(o.load_s, 2),
                    "rows_per_s": round(load),
                    "ceiling_rows_per_s": round(ceil) if ceil else None,
                    "of_ceiling": ratio(load, ceil),
                    "x_directus": ratio(load, DIRECTUS["load"]["rows_per_s"]),
                    "target_holds": load >= TARGET_LOAD_ROWS_S and
                    (ratio(load, ceil) or 0) >= TARGET_LOAD_OF_CEILING},
           "load_pg": ({"rows": o.rows, "seconds": round(o.pg_load_s, 2),
                        "rows_per_s": round(o.rows / o.pg_load_s),
                        "of_sqlite_ceiling": ratio(o.rows / o.pg_load_s, ceil),
                        "x_directus": ratio(o.rows / o.pg_load_s,
                                            DIRECTUS["load"]["rows_per_s"])}
                       if o.pg_load_s > 0 else None),
           "http": {}, "ceiling_http": {},
           "reports": parse_reports(o.reports), "loaded": o.loaded,
           "memory": {"peak_mb": round(o.hwm_kb / 1024, 1),
                      "x_directus": ratio(DIRECTUS["memory_mb"], o.hwm_kb / 1024),
                      "target_holds": o.hwm_kb / 1024 <= TARGET_MEMORY_MB}}
    for c in conns:
        res["ceiling_http"][str(c)] = parse_wrk(os.path.join(o.dir, "wrk-ceiling-%d.txt" % c))
    for key, label in WORKLOADS:
        res["http"][key] = {"label": label}
        for c in conns:
            w = parse_wrk(os.path.join(o.dir, "wrk-%s-%d.txt" % (key, c)))
            ce = res["ceiling_http"][str(c)]
            w["of_ceiling"] = ratio(w["rps"], ce["rps"])
            d = DIRECTUS.get(key)
            w["x_directus"] = ratio(w["rps"], d["rps"]) if d else None
            if d and c == TARGET_P99_CONNS:
                w["target_holds"] = (w["x_directus"] or 0) >= TARGET_RPS_TIMES_DIRECTUS \
                    and w["p99_ms"] is not None and w["p99_ms"] < TARGET_P99_MS
            res["http"][key][str(c)] = w

    with open(o.json, "w") as f:
        json.dump(res, f, ensure_ascii=False, indent=1)

    m = res["machine"]
    print("\nmachine: %s cores (%s), %s RAM, %s" % (m["nproc"], m["cpu"], m["memory"], m["date"]))
    print("\n| figure | measured | ceiling | of ceiling | × Directus | target |")
    print("|---|---|---|---|---|---|")
    L = res["load"]
    if o.load_s > 0:
        print("| load, rows/s (import, audit on) | %d | %s | %s | %s | %s |" % (
            L["rows_per_s"], L["ceiling_rows_per_s"], L["of_ceiling"], L["x_directus"],
            "holds" if L["target_holds"] else "misses (≥ 350k, ≥ 50 %)"))
    P = res["load_pg"]
    if P:
        print("| load on PostgreSQL, rows/s (COPY, audit on) | %d | %s (SQLite's) | %s | %s | |" % (
            P["rows_per_s"], L["ceiling_rows_per_s"], P["of_sqlite_ceiling"],
            P["x_directus"]))
    for key, label in WORKLOADS:
        for c in conns:
            w = res["http"][key][str(c)]
            ce = res["ceiling_http"][str(c)]
            tgt = ""
            if "target_holds" in w:
                tgt = "holds" if w["target_holds"] else "misses (≥ 50×, p99 < 20 ms)"
            print("| (%s) c=%d req/s · p50 · p99 ms | %s · %s · %s%s | %s | %s | %s | %s |" % (
                key, c, w["rps"], w["p50_ms"], w["p99_ms"],
                " (%d errors)" % w["errors"] if w["errors"] else "",
                ce["rps"], w["of_ceiling"], w["x_directus"] or "", tgt))
    M = res["memory"]
    print("| server peak RSS, MB | %s | | | %s× less | %s |" % (
        M["peak_mb"], M["x_directus"], "holds" if M["target_holds"] else "misses (≤ 65 MB)"))
    if res["reports"]:
        print("\nReports at national scale (%s), wall time of GET /reports/build"
              "?format=json, ms:" % (o.loaded or "the loaded set"))
        print("\n| report | scope | period | runs | min | median | max | target |")
        print("|---|---|---|---|---|---|---|---|")
        for r in res["reports"]:
            tgt = ""
            if r["target_ms"]:
                tgt = "%s (< %d ms)" % ("holds" if r["target_holds"] else "misses",
                                        r["target_ms"])
            print("| %s | %s | %s | %d | %.1f | %.1f | %.1f | %s |" % (
                r["report"], r["scope"], r["period"], r["runs"], r["min_ms"],
                r["median_ms"], r["max_ms"], tgt))
    print("\nJSON: %s" % o.json)


if __name__ == "__main__":
    main()
