#!/usr/bin/python3
"""
snapshot.py - what one giapranh binary answers on the demo data, written
to a directory of files so that two binaries (before and after a change
that must not change behaviour, e.g. moving the sources, issue 14) can be
compared byte for byte with tools/compare-snapshots.sh.

    tools/snapshot.py BIN OUTDIR [--src DIR] [--jobs N]
    tools/snapshot.py --renormalise - OUTDIR

On a fresh SQLite database (`init --demo`, run from the source tree so
that data/ is found) it writes:
  meta/        `entities --json`, `routes --json`, `stats --json`, the
               output of init
  export/      every entity's export, CSV and JSON
  report/      `report --scope S --period P --format F` for every scope of
               the demo data (each target set, also rolled up to the
               nation; each agreement, program, supervision; the units the
               demo records name; the nation) x a few periods x docx, xlsx,
               csv, html, json.  DOCX and XLSX are unpacked (the members
               in zip order, then each member): the zip headers carry no
               content.  A report that cannot be made is kept as its exit
               status and message.
  api/         every GET route of `routes --json` flagged `api`, its
               captures filled from the demo data (every entity, a few ids
               of each, ids that do not exist, bad arguments), answered to
               an admin with a Bearer token: status, Content-Type, body
  page/        every other GET route (the HTML pages), to the same admin
               signed in by the sign-in form
A GET route this script does not know how to fill is an error: the
snapshot must cover every route.

What changes from one run to the next is normalised, so that two runs of
the same binary compare equal: UTC timestamps, today's date (ISO, d/m/yyyy
and "ngày d tháng m năm yyyy"), the current year where it is "now", session
and CSRF tokens, the server's port.  Python's standard library only.
"""
import argparse
import concurrent.futures
import datetime
import http.client
import http.cookiejar
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile

FORMATS = ["docx", "xlsx", "csv", "html", "json"]
# no period (the scope's own), a year, a range, a half year, a quarter
PERIODS = [None, "2024", "2021-2023", "2025-H1", "2016-Q4"]
# units the demo records name are added to these (codes: Si Ma Cai,
# Xín Mần, Bản Máy, the province of Lào Cai in 2025)
UNIT_CODES = ["084", "033", "01024", "10"]
IDS_PER_ENTITY = 3          # first, middle and last id of each entity
SNAP_LOGIN = "snapshot_admin"
SNAP_PASSWORD = "mat-khau-snapshot-2024"
LISTENING = "giapranh đang chạy tại"
START_TIMEOUT = 180.0       # a bound for a broken run on a busy machine


# ---- normalisation ---------------------------------------------------------

# today as the server sees it: Vietnam's date (UTC+07:00, base/clock.h)
TODAY = (datetime.datetime.now(datetime.timezone.utc) +
         datetime.timedelta(hours=7)).date()


def _today_patterns():
    d, m, y = TODAY.day, TODAY.month, TODAY.year
    pats = [
        re.escape(TODAY.isoformat()),
        rf"\b0?{d}/0?{m}/{y}\b",
        rf"\b0?{d}\.0?{m}\.{y}\b",
        rf"ngày 0?{d} tháng 0?{m} năm {y}",
    ]
    return re.compile("|".join(pats))


TIMESTAMP_RE = re.compile(
    rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
TODAY_RE = _today_patterns()
# a time of today as the pages show it ("<TODAY> 22:57", Vietnam's time)
TODAY_TIME_RE = re.compile(r"<TODAY>([ T])\d{2}:\d{2}(?::\d{2})?")
SECRET_RES = [
    # the page's CSRF token and the sign-in form's
    (re.compile(rb'(<meta name="csrf-token" content=")[^"]*(")'), rb"\1<CSRF>\2"),
    (re.compile(rb'(name="_csrf" value=")[^"]*(")'), rb"\1<CSRF>\2"),
    (re.compile(rb'("csrf":\s*")[^"]*(")'), rb"\1<CSRF>\2"),
]


def normalise(data, port=None):
    """The bytes with what changes between runs replaced by names."""
    data = TIMESTAMP_RE.sub(b"<TIMESTAMP>", data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    text = TODAY_RE.sub("<TODAY>", text)
    text = TODAY_TIME_RE.sub(r"<TODAY>\1<TIME>", text)
    data = text.encode("utf-8")
    for rx, rep in SECRET_RES:
        data = rx.sub(rep, data)
    if port is not None:
        data = data.replace(b"127.0.0.1:%d" % port, b"127.0.0.1:<PORT>")
    return data


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_document(path, fmt, data, port=None):
    """A report or download: DOCX/XLSX unpacked, the rest normalised."""
    if fmt in ("docx", "xlsx") and data[:2] == b"PK":
        d = path + ".d"
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            write(os.path.join(d, "_members.txt"), ("\n".join(names) + "\n").encode())
            for n in names:
                # members are relative paths inside the package
                if n.startswith("/") or ".." in n.split("/"):
                    raise SystemExit(f"snapshot: unsafe member {n!r} in {path}")
                write(os.path.join(d, n), normalise(z.read(n), port))
        return
    write(path, normalise(data, port))


def safe_name(s):
    """A file name for a path, scope or query (readable, reversible enough)."""
    s = s.strip("/") or "_root"
    return re.sub(r"[^A-Za-z0-9._@=,+-]", "_", s.replace("/", "~"))


# ---- the command line --------------------------------------------------------

class Gp:
    def __init__(self, binary, src, db):
        self.bin, self.src, self.db = binary, src, db

    def run(self, *args, stdin=None, check=True):
        p = subprocess.run([self.bin, "--db", self.db, "--data",
                            os.path.join(self.src, "data"), *args],
                           cwd=self.src, input=stdin, capture_output=True)
        if check and p.returncode != 0:
            raise SystemExit(f"snapshot: {' '.join(args)} exited {p.returncode}:\n"
                             + p.stderr.decode(errors="replace"))
        return p


def ids_of(rows, n=IDS_PER_ENTITY):
    ids = sorted(r["id"] for r in rows if isinstance(r.get("id"), int))
    if len(ids) <= n:
        return ids
    return sorted({ids[0], ids[len(ids) // 2], ids[-1]})


def scopes_of(data):
    """Every report scope the demo data gives, as `report --scope` text."""
    out = []
    for ts in data["target_set"]:
        out += [f"target_set:{ts['id']}", f"target_set:{ts['id']}@nation"]
    for kind in ("agreement", "program", "supervision"):
        out += [f"{kind}:{r['id']}" for r in data[kind]]
    units = set()
    for ent in ("target_set", "agreement", "program", "supervision"):
        units |= {r["unit_id"] for r in data[ent] if isinstance(r.get("unit_id"), int)}
    out += [f"unit:{u}" for u in sorted(units)]
    out += [f"unit:{c}" for c in UNIT_CODES]
    out.append("nation")
    return out


def cli_reports(gp, out, scopes, jobs):
    def one(job):
        scope, period, fmt = job
        args = ["report", "--scope", scope, "--format", fmt]
        if period:
            args += ["--period", period]
        p = gp.run(*args, check=False)
        name = os.path.join(out, "report", safe_name(scope),
                            f"{period or 'default'}.{fmt}")
        if p.returncode != 0:
            write(name + ".error", b"exit %d\n" % p.returncode + normalise(p.stderr))
        else:
            write_document(name, fmt, p.stdout)
        return job

    jobs_list = [(s, p, f) for s in scopes for p in PERIODS for f in FORMATS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for _ in ex.map(one, jobs_list):
            pass
    return len(jobs_list)


# ---- the server ----------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, gp, tmp):
        self.gp, self.tmp = gp, tmp
        self.proc = None
        self.port = None

    def start(self):
        for _ in range(5):
            self.port = free_port()
            log = open(os.path.join(self.tmp, "serve.log"), "wb")
            self.proc = subprocess.Popen(
                [self.gp.bin, "--db", self.gp.db, "serve", "--listen",
                 f"127.0.0.1:{self.port}", "--root", self.gp.src, "--files",
                 os.path.join(self.tmp, "files"), "--threads", "2", "--quiet"],
                cwd=self.gp.src, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and self.proc.poll() is None:
                with open(os.path.join(self.tmp, "serve.log"), "rb") as f:
                    if LISTENING.encode() in f.read():
                        return
                time.sleep(0.2)
            self.stop()
        with open(os.path.join(self.tmp, "serve.log"), "rb") as f:
            raise SystemExit("snapshot: the server did not start:\n" +
                             f.read().decode(errors="replace"))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Client:
    """One HTTP connection to the server; Bearer token or cookies."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        h = {"Accept-Encoding": "identity"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        c.close()
        return r.status, r.getheader("Content-Type") or "", r.getheader("Location"), data

    def sign_in(self, login, password):
        _, _, _, page = self.request("GET", "/login")
        m = re.search(rb'name="_csrf" value="([^"]*)"', page)
        form = {"login": login, "password": password}
        if m:
            form["_csrf"] = m.group(1).decode()
        status, _, _, _ = self.request(
            "POST", "/login", body=urllib.parse.urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status not in (302, 303) or "gp_session" not in self.cookies:
            raise SystemExit(f"snapshot: sign-in as {login} failed ({status})")


def get_paths(pattern, flags, data, entities):
    """The paths (with query strings) that exercise one GET route; None
    when the pattern is not known here."""
    ents = [e["name"] for e in entities]
    ids = {e: ids_of(data[e]) for e in ents}
    first = {e: (ids[e][0] if ids[e] else 1) for e in ents}
    indicators = [r["id"] for r in data["indicator"]]
    scopes = scopes_of(data)
    per_entity_id = [f"{e}/{i}" for e in ents for i in ids[e]] + \
        [f"{e}/999999" for e in ents] + ["agreement/abc", "agreement/0"]
    q = urllib.parse.quote
    table = {
        "/api/v1/me": ["/api/v1/me"],
        "/api/v1/units/:": [f"/api/v1/units/{c}" for c in UNIT_CODES] +
                           ["/api/v1/units/084?date=2024-01-01",
                            "/api/v1/units/10?date=2025-08-01",
                            "/api/v1/units/999999", "/api/v1/units/084?date=x"],
        "/api/v1/unit_by_code/:": [f"/api/v1/unit_by_code/{c}" for c in UNIT_CODES] +
                                  ["/api/v1/unit_by_code/084?date=2024-01-01",
                                   "/api/v1/unit_by_code/999999"],
        "/api/v1/:": [f"/api/v1/{e}" for e in ents] +
                     [f"/api/v1/{e}?limit=2&offset=1&sort=-id" for e in ents] +
                     ["/api/v1/agreement?q=" + q("biên giới"),
                      "/api/v1/agreement?status=active&sort=title",
                      "/api/v1/task?status__ne=done&limit=5",
                      "/api/v1/nope", "/api/v1/agreement?limit=abc"],
        "/api/v1/:/:": [f"/api/v1/{p}" for p in per_entity_id] + ["/api/v1/nope/1"],
        "/api/v1/indicator/:/values": [f"/api/v1/indicator/{i}/values?period={p}"
                                       for i in indicators for p in ("2024", "2023")] +
                                      ["/api/v1/indicator/1/values",
                                       "/api/v1/indicator/1/values?period=2024&unit=084"],
        "/api/v1/indicator/:/summary": [f"/api/v1/indicator/{i}/summary?period={p}"
                                        for i in indicators for p in ("2024", "2023")] +
                                       ["/api/v1/indicator/1/summary"],
        "/api/v1/indicator/:/rollup": [f"/api/v1/indicator/{i}/rollup?unit=084&period=2024"
                                       for i in indicators] +
                                      ["/api/v1/indicator/1/rollup",
                                       "/api/v1/indicator/1/rollup?unit=10&period=2025"],
        "/api/v1/target_set/:/achievement": [
            f"/api/v1/target_set/{r['id']}/achievement{s}" for r in data["target_set"]
            for s in ("", "?period=2024", "?period=2021-2023")] +
            ["/api/v1/target_set/999999/achievement"],
        "/api/v1/duties/status": ["/api/v1/duties/status?year=2024",
                                  "/api/v1/duties/status?year=2024&as_of=2024-12-31",
                                  "/api/v1/duties/status"],
        "/api/v1/program/:/progress": [f"/api/v1/program/{r['id']}/progress"
                                       for r in data["program"]] +
                                      ["/api/v1/program/999999/progress"],
        "/api/v1/clusters/due": ["/api/v1/clusters/due",
                                 "/api/v1/clusters/due?date=2024-06-30"],
        "/api/v1/help/evaluation": ["/api/v1/help/evaluation",
                                    "/api/v1/help/evaluation?period=2024"],
        "/api/v1/tasks/state": ["/api/v1/tasks/state",
                                "/api/v1/tasks/state?date=2024-06-30"],
        "/api/v1/todo": ["/api/v1/todo", "/api/v1/todo?date=2024-06-30"],
        "/api/v1/agreement/:/exchange": [f"/api/v1/agreement/{r['id']}/exchange"
                                         for r in data["agreement"]],
        "/api/v1/workflow/:/:": [f"/api/v1/workflow/{e}/{first[e]}" for e in ents],
        "/reports/build": [f"/reports/build?scope={q(s)}&format={f}" +
                           (f"&period={p}" if p else "")
                           for s in scopes[:1] + ["program:1", "supervision:1", "nation"]
                           for p in (None, "2024") for f in FORMATS] +
                          ["/reports/build?scope=nope:1", "/reports/build?format=odt"],
        "/files/:": ["/files/" + "0" * 64, "/files/abc"],
        # the HTML pages
        "/": ["/"],
        "/admin": ["/admin"],
        "/login": ["/login", "/login?next=/e/agreement"],
        "/units": ["/units", "/units?date=2024-01-01", "/units?q=" + q("Si Ma Cai"),
                   "/units?unit=118"],
        "/e/:": [f"/e/{e}" for e in ents] + ["/e/agreement?q=" + q("kết nghĩa")],
        "/e/:/new": [f"/e/{e}/new" for e in ents],
        "/e/:/options": [f"/e/{e}/options?q=a" for e in ents],
        "/e/:/:": [f"/e/{e}/{first[e]}" for e in ents] + ["/e/agreement/999999"],
        "/e/:/:/edit": [f"/e/{e}/{first[e]}/edit" for e in ents],
        "/e/:/:/delete": [f"/e/{e}/{first[e]}/delete" for e in ents],
        "/reports": ["/reports", "/reports?scope=program:1&period=2024"],
        "/grid": ["/grid"] + [f"/grid?target_set={r['id']}" for r in data["target_set"]],
        "/todo": ["/todo", "/todo?as_of=2024-06-30"],
        "/follow": ["/follow", "/follow?as_of=2024-06-30"],
        "/timeline": ["/timeline", "/timeline?agreement=1", "/timeline?unit=084"],
        "/ingest": ["/ingest"],
        "/ingest/:": ["/ingest/1", "/ingest/abc"],
    }
    return table.get(pattern)


def http_snapshot(gp, out, tmp, data, entities, routes):
    p = gp.run("user", "add", "--login", SNAP_LOGIN, "--role", "admin", "--security",
               "--name", "Snapshot", stdin=(SNAP_PASSWORD + "\n").encode())
    tok = gp.run("token", "create", "--login", SNAP_LOGIN).stdout.decode().split()
    # the token is the last word printed
    token = tok[-1] if tok else ""
    srv = Server(gp, tmp)
    srv.start()
    count = 0
    try:
        api = Client(srv.port, token)
        page = Client(srv.port)
        page.sign_in(SNAP_LOGIN, SNAP_PASSWORD)
        missing = []
        for rt in routes:
            if "GET" not in rt["methods"]:
                continue
            paths = get_paths(rt["pattern"], rt["flags"], data, entities)
            if paths is None:
                missing.append(rt["pattern"])
                continue
            is_api = "api" in rt["flags"]
            client = api if is_api else page
            for path in paths:
                status, ctype, loc, body = client.request("GET", path)
                head = f"HTTP {status}\nContent-Type: {ctype}\n"
                if loc:
                    head += f"Location: {loc}\n"
                name = os.path.join(out, "api" if is_api else "page",
                                    safe_name(rt["pattern"].replace(":", "_")),
                                    safe_name(path))
                write(name + ".head", normalise(head.encode(), srv.port))
                fmt = "docx" if "wordprocessingml" in ctype else \
                      "xlsx" if "spreadsheetml" in ctype else "body"
                write_document(name + "." + fmt, fmt, body, srv.port)
                count += 1
        if missing:
            raise SystemExit("snapshot: no paths for the GET routes " +
                             ", ".join(missing) + " (tools/snapshot.py, get_paths)")
    finally:
        srv.stop()
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("outdir")
    ap.add_argument("--src", default=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), help="source tree (data/, static/)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--renormalise", action="store_true",
                    help="only normalise the files of OUTDIR again (after a "
                    "change of the rules above; normalising is idempotent)")
    a = ap.parse_args()
    if a.renormalise:
        for dp, _, fn in os.walk(a.outdir):
            for f in fn:
                path = os.path.join(dp, f)
                with open(path, "rb") as fh:
                    data = fh.read()
                if normalise(data) != data:
                    write(path, normalise(data))
        return
    binary = os.path.abspath(a.binary)
    out = os.path.abspath(a.outdir)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    tmp = tempfile.mkdtemp(prefix="gp-snapshot-")
    try:
        gp = Gp(binary, a.src, "sqlite:" + os.path.join(tmp, "snap.db"))
        p = gp.run("init", "--demo")
        write(os.path.join(out, "meta", "init.txt"), normalise(p.stdout + p.stderr))
        entities = json.loads(gp.run("entities", "--json").stdout)
        write(os.path.join(out, "meta", "entities.json"), gp.run("entities", "--json").stdout)
        routes_raw = gp.run("routes", "--json").stdout
        write(os.path.join(out, "meta", "routes.json"), routes_raw)
        write(os.path.join(out, "meta", "stats.json"),
              normalise(gp.run("stats", "--json").stdout))
        data = {}
        for e in entities:
            name = e["name"]
            for fmt in ("csv", "json"):
                p = gp.run("export", name, "--format", fmt)
                write(os.path.join(out, "export", f"{name}.{fmt}"), normalise(p.stdout))
            data[name] = json.loads(p.stdout)
        nrep = cli_reports(gp, out, scopes_of(data), a.jobs)
        nhttp = http_snapshot(gp, out, tmp, data, entities, json.loads(routes_raw))
        print(f"snapshot: {len(entities)} entities exported, {nrep} reports, "
              f"{nhttp} GET answers -> {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
