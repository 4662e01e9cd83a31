#!/usr/bin/python3
"""
Crash test: nothing acknowledged is ever lost, nothing half-written survives.

  /usr/bin/python3 tests/crash/crash_test.py [--kills N] [--imports M] [--seed S]
                                             [--pg ADMIN_URL]

1. Starts `giapranh serve` on a fresh demo database (SQLite in a temporary
   directory, or with --pg a database created on that PostgreSQL server).
   Client threads write through the JSON API: activities each
   followed by quantities, indicator values, incidents; every record carries
   a unique marker in a text field.  The server is killed with SIGKILL at a
   random moment, N times; after each kill:
     * the engine's integrity check passes - SQLite: `PRAGMA
       integrity_check` (sqlite3 CLI); PostgreSQL: amcheck's
       bt_index_check(heapallindexed) on every index and verify_heapam on
       every table (skipped, and said, when amcheck is not installed);
     * no foreign key points nowhere (no quantity without its activity) -
       SQLite: `PRAGMA foreign_key_check`; PostgreSQL: one anti-join per
       foreign key of the catalog (pg_constraint);
     * every write that got a 2xx answer is present exactly once, with the
       id the answer gave; unanswered writes are present at most once;
     * every record written by the test has exactly one audit-log entry
       (record and audit entry share one transaction);
   then the server is restarted and the writers go on.  After the last
   round the records are also read back through the restarted server.
2. `giapranh import` of a large CSV runs once to the end (all rows
   arrive; its duration aims the kills), then is killed with SIGKILL
   mid-file, M times: each time either every row or none is added.

--pg ADMIN_URL: a scratch PostgreSQL server's URL naming its "postgres"
database (tests/pg/start.sh prints one); the test databases
giapranh_crash_* are dropped and created there.

Only Debian's python3 + requests, the sqlite3 CLI and psql.  Ends with
"crash: N passed, M failed" (exit status 1 when something failed).
"""
import argparse
import csv
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GIAPRANH_BIN", os.path.join(REPO, "build", "giapranh"))
if not os.path.isabs(BIN):
    BIN = os.path.join(REPO, BIN)

STARTUP_TIMEOUT = 20.0
KILL_AFTER = (0.3, 1.5)      # seconds of writing before a kill (random)
WRITERS = 4                  # client threads
REQUEST_TIMEOUT = 10.0
IMPORT_ROWS = 20000          # rows of the CSV killed mid-import
MARK = "crash-%d-" % os.getpid()

passed = 0
failed = 0


def result(ok, label, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + label)
    else:
        failed += 1
        print("FAIL " + label + (("\n     " + detail) if detail else ""))
    sys.stdout.flush()


def cli(db, *args, check=True):
    p = subprocess.run([BIN, "--db", db, *args], cwd=REPO, capture_output=True,
                       text=True, timeout=600)
    if check and p.returncode != 0:
        raise RuntimeError(f"giapranh {' '.join(args)}: {p.returncode}\n{p.stderr}")
    return p


class Sqlite:
    """A database file in the temporary directory, read with the sqlite3 CLI."""
    engine = "sqlite"

    def __init__(self, tmp, name):
        self.path = os.path.join(tmp, name + ".db")
        self.url = "sqlite:" + self.path

    def create(self):
        pass  # `giapranh init` creates the file

    def sql(self, query):
        p = subprocess.run(["sqlite3", "-batch", self.path, query], capture_output=True,
                           text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"sqlite3 {query!r}: {p.stderr}")
        return p.stdout

    def integrity(self):
        """(ok, detail)"""
        ic = self.sql("PRAGMA integrity_check").strip()
        return ic == "ok", ic[:300]

    def dangling(self):
        """Rows whose foreign key points nowhere, as text ("" when none)."""
        return self.sql("PRAGMA foreign_key_check").strip()[:300]

    def drop(self):
        pass


class Postgres:
    """A database created on a scratch server, read with psql."""
    engine = "postgres"
    amcheck = None  # unknown until the first check

    def __init__(self, admin_url, name):
        self.admin, self.name = admin_url, name
        # the same server, another database: postgresql://HOST/DB?... (HOST may
        # be empty when ?host= names a socket directory)
        self.url = re.sub(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?", r"\g<1>/" + name,
                          admin_url)

    def psql(self, url, query):
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "|", "-v",
                            "ON_ERROR_STOP=1", "-d", url, "-c", query],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError(f"psql {query[:80]!r}: {p.stderr}")
        return p.stdout

    def create(self):
        self.drop()
        self.psql(self.admin, f"CREATE DATABASE {self.name}")

    def drop(self):
        self.psql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def sql(self, query):
        return self.psql(self.url, query)

    def integrity(self):
        if self.amcheck is None:
            try:
                self.sql("CREATE EXTENSION IF NOT EXISTS amcheck")
                self.amcheck = True
            except RuntimeError as ex:
                self.amcheck = False
                print(f"(amcheck not available, index and heap checks skipped: {ex})")
        if not self.amcheck:
            return True, ""
        try:
            # every B-tree index matches its table (heapallindexed), and no
            # table page is corrupt
            self.sql("SELECT bt_index_check(c.oid, true) FROM pg_index i "
                     "JOIN pg_class c ON c.oid = i.indexrelid "
                     "JOIN pg_am am ON am.oid = c.relam "
                     "WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")
            bad = self.sql("SELECT c.relname, v.blkno, v.msg FROM pg_class c, "
                           "LATERAL verify_heapam(c.oid) v WHERE c.relkind = 'r' AND "
                           "c.relnamespace = 'public'::regnamespace").strip()
        except RuntimeError as ex:
            return False, str(ex)[:300]
        return bad == "", bad[:300]

    def dangling(self):
        fks = self.sql(
            "SELECT conrelid::regclass, confrelid::regclass, "
            "(SELECT string_agg('c.' || quote_ident(a.attname), ',' ORDER BY k.n) "
            " FROM unnest(conkey) WITH ORDINALITY k(num, n) JOIN pg_attribute a "
            " ON a.attrelid = conrelid AND a.attnum = k.num), "
            "(SELECT string_agg('p.' || quote_ident(a.attname), ',' ORDER BY k.n) "
            " FROM unnest(confkey) WITH ORDINALITY k(num, n) JOIN pg_attribute a "
            " ON a.attrelid = confrelid AND a.attnum = k.num) "
            "FROM pg_constraint WHERE contype = 'f' AND "
            "connamespace = 'public'::regnamespace").strip().splitlines()
        if not fks:
            return "no foreign keys found in the catalog"
        parts = []
        for line in fks:
            child, parent, ccols, pcols = line.split("|")
            parts.append(f"SELECT '{child}({ccols})', count(*) FROM {child} c "
                         f"WHERE ROW({ccols}) IS NOT NULL AND NOT EXISTS "
                         f"(SELECT 1 FROM {parent} p WHERE ROW({pcols}) = ROW({ccols}))")
        out = self.sql(" UNION ALL ".join(parts))
        return "; ".join(line for line in out.strip().splitlines()
                         if not line.endswith("|0"))[:300]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db, tmp):
        self.db, self.tmp, self.proc, self.port = db, tmp, None, free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(os.path.join(self.tmp, "serve.log"), "ab")
        self.proc = subprocess.Popen(
            [BIN, "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}", "--quiet",
             "--files", os.path.join(self.tmp, "files")],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited at start")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


class Writers:
    """Client threads writing until stopped; acknowledged writes are kept as
    (table, id, marker) and every attempted marker is kept too."""

    def __init__(self, base, token, units, indicators):
        self.base, self.token = base, token
        self.units, self.indicators = units, indicators
        self.acked = []          # (table, id, marker)
        self.tried = []          # (table, marker)
        self.lock = threading.Lock()
        self.seq = 0
        self.stop = threading.Event()
        self.threads = []

    def next(self):
        with self.lock:
            self.seq += 1
            return self.seq

    def post(self, sess, table, rec, marker):
        with self.lock:
            self.tried.append((table, marker))
        r = sess.post(f"{self.base}/api/v1/{table}", json=rec, timeout=REQUEST_TIMEOUT)
        if 200 <= r.status_code < 300:
            with self.lock:
                self.acked.append((table, r.json()["id"], marker))
            return r.json()["id"]
        return None

    def run(self, tid):
        sess = requests.Session()
        sess.headers["Authorization"] = "Bearer " + self.token
        rnd = random.Random(tid)
        while not self.stop.is_set():
            n = self.next()
            m = f"{MARK}{n}"
            try:
                kind = n % 3
                if kind == 0:
                    aid = self.post(sess, "activity", {
                        "kind": "patrol", "title": m, "start_on": "2024-03-15",
                        "unit_id": rnd.choice(self.units)}, m)
                    for q in range(3):
                        if aid is None:
                            break
                        self.post(sess, "activity_quantity", {
                            "activity_id": aid, "measure": "sessions", "value": q + 1,
                            "qualifier": f"{m}.{q}"}, f"{m}.{q}")
                elif kind == 1:
                    # (indicator, unit, period) is unique: derive it from n
                    u = self.units[n % len(self.units)]
                    year = 1900 + (n // len(self.units)) % 100
                    self.post(sess, "indicator_value", {
                        "indicator_id": self.indicators[n % len(self.indicators)],
                        "unit_id": u, "period": str(year), "actual": n,
                        "status": "draft", "comment": m}, m)
                else:
                    self.post(sess, "incident", {
                        "kind": "complaint", "title": m, "occurred_on": "2024-05-02",
                        "unit_id": rnd.choice(self.units), "status": "reported",
                        "confidential": bool(n % 2)}, m)
            except (requests.RequestException, ValueError):
                time.sleep(0.05)  # the server is down: wait for the restart

    def start(self, base):
        self.base = base
        self.stop.clear()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True)
                        for i in range(WRITERS)]
        for t in self.threads:
            t.start()

    def halt(self):
        self.stop.set()
        for t in self.threads:
            t.join()


MARKER_COLUMN = {"activity": "title", "activity_quantity": "qualifier",
                 "indicator_value": "comment", "incident": "title"}


def check_db(db, w, label):
    """Integrity, foreign keys, acknowledged writes exactly once, audit."""
    ok, detail = db.integrity()
    result(ok, f"{label}: integrity check", detail)
    fk = db.dangling()
    result(fk == "", f"{label}: foreign keys (nothing half-written)", fk)
    found = {}   # marker -> list of (table, id)
    for table, col in MARKER_COLUMN.items():
        out = db.sql(f"SELECT id, {col} FROM {table} WHERE {col} LIKE '{MARK}%'")
        for line in out.splitlines():
            rid, marker = line.split("|", 1)
            found.setdefault(marker, []).append((table, int(rid)))
    lost, dup = [], []
    for table, rid, marker in w.acked:
        got = found.get(marker, [])
        if got != [(table, rid)]:
            lost.append((table, rid, marker, got))
    for marker, rows in found.items():
        if len(rows) > 1:
            dup.append((marker, rows))
    result(not lost, f"{label}: {len(w.acked)} acknowledged writes present once",
           repr(lost[:5]))
    result(not dup, f"{label}: no record written twice", repr(dup[:5]))
    # the audit entry is written in the record's transaction
    bad = []
    for table, col in MARKER_COLUMN.items():
        out = db.sql(f"SELECT t.id, (SELECT count(*) FROM audit_log a WHERE "
                        f"a.entity = '{table}' AND a.record_id = t.id AND "
                        f"a.action = 'create') FROM {table} t WHERE t.{col} LIKE '{MARK}%'")
        for line in out.splitlines():
            rid, n = line.split("|")
            if n != "1":
                bad.append((table, rid, n))
    result(not bad, f"{label}: one audit entry per record", repr(bad[:5]))


def crash_server(tmp, kills, rnd, db):
    db.create()
    cli(db.url, "init", "--demo")
    token = cli(db.url, "token", "create", "--login", "admin").stdout.strip().splitlines()[-1]
    units = [int(x) for x in db.sql("SELECT id FROM admin_unit WHERE level = 3 "
                                    "ORDER BY id LIMIT 2000").split()]
    indicators = [int(x) for x in db.sql("SELECT id FROM indicator").split()]
    if not units or not indicators:
        raise RuntimeError("demo database without units or indicators")
    srv = Server(db.url, tmp)
    w = Writers(srv.base, token, units, indicators)
    for k in range(1, kills + 1):
        srv.start()
        w.start(srv.base)
        time.sleep(rnd.uniform(*KILL_AFTER))
        srv.kill()
        w.halt()
        check_db(db, w, f"{db.engine} kill {k}/{kills}")
    # read back through a restarted server
    srv.start()
    sess = requests.Session()
    sess.headers["Authorization"] = "Bearer " + token
    sample = rnd.sample(w.acked, min(50, len(w.acked)))
    bad = []
    for table, rid, marker in sample:
        r = sess.get(f"{srv.base}/api/v1/{table}/{rid}", timeout=REQUEST_TIMEOUT)
        if r.status_code != 200 or r.json().get(MARKER_COLUMN[table]) != marker:
            bad.append((table, rid, r.status_code))
    result(not bad, f"after restart: {len(sample)} acknowledged records read back",
           repr(bad[:5]))
    srv.proc.send_signal(signal.SIGTERM)
    srv.proc.wait(timeout=15)
    result(len(w.acked) > 0, f"writes acknowledged in all: {len(w.acked)}")


def crash_import(tmp, imports, rnd, db):
    db.create()
    cli(db.url, "init")
    csv_path = os.path.join(tmp, "people.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["full_name", "note"])
        for i in range(IMPORT_ROWS):
            out.writerow([f"Nguyễn Văn Nhập {i}", f"{MARK}imp"])
    # a whole import first: all its rows arrive, and its time aims the kills
    t0 = time.monotonic()
    cli(db.url, "import", "person", csv_path)
    full = time.monotonic() - t0
    expect = IMPORT_ROWS
    n = int(db.sql(f"SELECT count(*) FROM person WHERE note = '{MARK}imp'"))
    result(n == expect, f"{db.engine} import not killed: {n} rows", f"expected {expect}")
    for k in range(1, imports + 1):
        p = subprocess.Popen([BIN, "--db", db.url, "import", "person", csv_path], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.1, 0.9) * full)
        p.send_signal(signal.SIGKILL)
        rc = p.wait()
        if rc == 0:
            expect += IMPORT_ROWS  # finished before the kill
        n = int(db.sql(f"SELECT count(*) FROM person WHERE note = '{MARK}imp'"))
        ok, ic = db.integrity()
        result(n == expect and ok,
               f"{db.engine} import killed {k}/{imports} "
               f"({'finished' if rc == 0 else 'killed'}): {n} rows, all or nothing",
               f"expected {expect}, integrity {ic}")
    print(f"(one import of {IMPORT_ROWS} rows takes {full:.2f} s)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--imports", type=int, default=2)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--pg", metavar="ADMIN_URL", default=None,
                    help="run on PostgreSQL: URL of a scratch server's postgres database")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print(f"crash test ({'postgres' if a.pg else 'sqlite'}): {a.kills} kills, "
          f"{a.imports} imports, seed {seed}")
    rnd = random.Random(seed)
    if not os.access(BIN, os.X_OK):
        result(False, f"no executable {BIN}")
    else:
        with tempfile.TemporaryDirectory(prefix="giapranh-crash-") as tmp:
            if a.pg:
                dbs = [Postgres(a.pg, "giapranh_crash_" + n) for n in ("srv", "imp")]
            else:
                dbs = [Sqlite(tmp, n) for n in ("crash", "import")]
            try:
                crash_server(tmp, a.kills, rnd, dbs[0])
                crash_import(tmp, a.imports, rnd, dbs[1])
            except Exception as ex:  # a broken harness is a failure too
                result(False, f"crash test aborted: {ex!r}")
            finally:
                for db in dbs:
                    try:
                        db.drop()
                    except RuntimeError:
                        pass
    print(f"crash: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
