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
   mid-file, M times: each time the rows are exactly those before, or
   those before plus the whole file - whatever the exit status says (an
   import can commit and still be killed before it exits, e.g. during
   ASan's exit work; one that exited 0 must have added them) - every row
   complete with its audit entry, integrity and foreign keys clean.

Nothing is inferred from timing: the server gets a fresh port at each
start and counts as up only once its own log says it listens and
/healthz answers; after each kill the checks wait until the killed
process's database sessions are gone (PostgreSQL finishes a COMMIT the
client sent before it died), so that "before" is really before.

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

# Generous waits: they bound how long a broken run hangs, never decide a
# result (a loaded 2-core machine with ASan is slow, not wrong).
STARTUP_TIMEOUT = 120.0
SETTLE_TIMEOUT = 120.0       # for a killed client's sessions to end
START_ATTEMPTS = 5           # ports tried when the one picked was taken
LISTENING = "giapranh đang chạy tại".encode()  # the server's "I listen" line
KILL_AFTER = (0.3, 1.5)      # seconds of writing before a kill (random)
WRITERS = 4                  # client threads
REQUEST_TIMEOUT = 60.0
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

    def settle(self):
        """Nothing to wait for: a killed process writes nothing more to the
        file (a commit is in the WAL before it is answered, or not at all)."""

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

    def settle(self):
        """Wait until no other session is connected to the database: a
        backend whose client was killed still finishes the statement it
        was given (a COMMIT included), then notices the closed socket and
        exits.  Counting before that would take "not yet" for "never"."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            left = int(self.sql("SELECT count(*) FROM pg_stat_activity WHERE "
                                "datname = current_database() AND "
                                "pid <> pg_backend_pid()"))
            if left == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{left} sessions of a killed client still "
                                   f"open after {SETTLE_TIMEOUT:.0f} s")
            time.sleep(0.1)

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


def log_has(path, offset, needle):
    with open(path, "rb") as f:
        f.seek(offset)
        return needle in f.read()


class Server:
    """`giapranh serve`, restarted after each kill on a fresh port: a port
    picked free may be taken by someone else before the server binds it
    (other tests, outgoing connections), and one that answers /healthz may
    be another server's; so a start counts only when this process's log
    says it listens, and a start that failed is retried on another port."""

    def __init__(self, db, tmp):
        self.db, self.tmp, self.proc, self.port = db, tmp, None, None
        self.base = None
        self.log = os.path.join(tmp, "serve.log")

    def start(self):
        tail = b""
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            offset = os.path.getsize(self.log) if os.path.exists(self.log) else 0
            log = open(self.log, "ab")
            self.proc = subprocess.Popen(
                [BIN, "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}",
                 "--quiet", "--files", os.path.join(self.tmp, "files")],
                cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
            log.close()
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while time.monotonic() < deadline and self.proc.poll() is None:
                if log_has(self.log, offset, LISTENING):
                    try:
                        r = requests.get(self.base + "/healthz", timeout=REQUEST_TIMEOUT)
                        if r.status_code == 200:
                            return
                    except requests.RequestException:
                        pass
                time.sleep(0.05)
            with open(self.log, "rb") as f:
                f.seek(offset)
                tail = f.read()[-2000:]
            if self.proc.poll() is None:  # alive but not answering: give up
                self.proc.kill()
                self.proc.wait()
                raise RuntimeError(f"server did not start within {STARTUP_TIMEOUT:.0f} s:\n"
                                   + tail.decode("utf-8", "replace"))
            # exited at start (its port taken?): another port
        raise RuntimeError(f"server exited at start {START_ATTEMPTS} times:\n"
                           + tail.decode("utf-8", "replace"))

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
        db.settle()
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
    srv.proc.wait(timeout=STARTUP_TIMEOUT)
    result(len(w.acked) > 0, f"writes acknowledged in all: {len(w.acked)}")


def import_state(db, expect_rows):
    """Is the imported set whole?  (ok, detail): the rows are a whole number
    of copies of the file - every name of it equally often - each with its
    one audit entry, and the engine's checks pass."""
    problems = []
    ok, ic = db.integrity()
    if not ok:
        problems.append(f"integrity: {ic}")
    fk = db.dangling()
    if fk:
        problems.append(f"foreign keys: {fk}")
    # how often each name of the file is there: one value, or the file is
    # half in (a partial import), or a row is torn
    copies = db.sql(f"SELECT count(*), count(DISTINCT full_name) FROM person "
                    f"WHERE note = '{MARK}imp'").strip().split("|")
    n, names = int(copies[0]), int(copies[1])
    uneven = db.sql(f"SELECT count(*) FROM (SELECT full_name FROM person WHERE "
                    f"note = '{MARK}imp' GROUP BY full_name HAVING count(*) <> "
                    f"{n // IMPORT_ROWS}) x").strip()
    if n % IMPORT_ROWS or (n and names != IMPORT_ROWS) or uneven != "0":
        problems.append(f"{n} rows, {names} distinct names, {uneven} names "
                        f"not {n // IMPORT_ROWS} times: not whole copies of the file")
    # (a join: audit_log has no index on record_id, a subquery per row of
    # 20,000s would take minutes)
    noaudit = db.sql(f"SELECT count(*) FROM person t LEFT JOIN (SELECT record_id, "
                     f"count(*) AS c FROM audit_log WHERE entity = 'person' AND "
                     f"action = 'create' GROUP BY record_id) a ON a.record_id = t.id "
                     f"WHERE t.note = '{MARK}imp' AND coalesce(a.c, 0) <> 1").strip()
    if noaudit != "0":
        problems.append(f"{noaudit} rows without exactly one audit entry")
    if n not in expect_rows:
        problems.append(f"{n} rows, expected one of {sorted(expect_rows)}")
    return not problems, n, "; ".join(problems)


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
    ok, before, detail = import_state(db, {IMPORT_ROWS})
    result(ok, f"{db.engine} import not killed: {before} rows", detail)
    outcomes = {"none": 0, "all": 0}
    for k in range(1, imports + 1):
        p = subprocess.Popen([BIN, "--db", db.url, "import", "person", csv_path], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.1, 0.9) * full)
        p.send_signal(signal.SIGKILL)
        rc = p.wait()
        db.settle()
        # All or nothing, whatever the exit status: killed (-9) after its
        # commit is "all", not a lost import.  An import that exited 0
        # must have added every row.
        allowed = {before + IMPORT_ROWS} if rc == 0 else {before, before + IMPORT_ROWS}
        ok, n, detail = import_state(db, allowed)
        how = "exited 0" if rc == 0 else f"killed ({rc})" if rc < 0 else f"exit {rc}"
        got = "all" if n == before + IMPORT_ROWS else "none" if n == before else "?"
        if got in outcomes:
            outcomes[got] += 1
        result(ok and rc in (0, -signal.SIGKILL),
               f"{db.engine} import killed {k}/{imports} ({how}): {n} rows, {got} of it",
               detail or f"unexpected exit status {rc}")
        before = n
    print(f"(one import of {IMPORT_ROWS} rows takes {full:.2f} s; killed imports "
          f"that left nothing: {outcomes['none']}, all: {outcomes['all']})")


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
