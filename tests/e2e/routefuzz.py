"""
A request-replay fuzzer over every route of the server (issue 13).

The routes come from `giapranh routes --json`; every `:` segment is filled
with a valid value (an entity, a real id, a unit code) or an invalid one
(-1, 0, 2^63, 'abc', bytes that are not UTF-8 …), and every query argument a
route reads (ROUTE_PARAMS) is left out, kept valid or mutated: empty, huge,
not UTF-8, NUL and broken percent-escapes, wrong types, out-of-range periods
("quý 5/2025", "2025-13") and dates, unit codes that do not exist, extreme
ids, repeated keys, unknown keys.  Each request goes as a demo role (viewer,
editor, admin; pages with the session cookie, the API with the Bearer
token).  POST and PATCH routes get mutated bodies (forms, multipart, JSON,
CSV) as viewer and editor, with the session's CSRF token so that the
handler is reached.

Every answer must be a well-formed HTTP answer with a status below 500 (503
only where documented: a PDF without LibreOffice); JSON answers must parse,
pages and JSON must be UTF-8 (a page echoing freed heap bytes is not); the
server must stay up, and its log must hold no sanitizer report (the server
is started with ASan/UBSan told to abort on the first error: SANITIZER_ENV).

`tests/e2e/test_route_fuzz.py` runs a short, deterministic form in `make
test`; `make fuzz-routes` the long one (FUZZ_ROUTES_* variables).
"""
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import time
import urllib.parse

# abort at the first report, so that none can be missed in a long log;
# the server's own ASAN_OPTIONS/UBSAN_OPTIONS (if any) come first
SANITIZER_ENV = {
    "ASAN_OPTIONS": ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                           "abort_on_error=1", "halt_on_error=1"])),
    "UBSAN_OPTIONS": ":".join(filter(None, [os.environ.get("UBSAN_OPTIONS"),
                                            "halt_on_error=1", "abort_on_error=1",
                                            "print_stacktrace=1"])),
}
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "SUMMARY: AddressSanitizer", "SUMMARY: UndefinedBehaviorSanitizer",
                   "AddressSanitizer:DEADLYSIGNAL")

ROLES = ("viewer", "simacai_editor", "admin")     # conftest.USERS


def limit(repo, name):
    """A limit of src/base/gplimits.h ("(16u << 10)" or a number)."""
    with open(os.path.join(repo, "src", "base", "gplimits.h"), encoding="utf-8") as f:
        m = re.search(r"#define\s+%s\s+\(?(\d+)u?(?:\s*<<\s*(\d+))?\)?" % name, f.read())
    return int(m.group(1)) << int(m.group(2) or 0)
POST_ROLES = ("viewer", "simacai_editor")
SIMACAI = "084"

# ---- what each GET route reads ----------------------------------------------------------
# (name, kind) of every query argument a route's handler reads; "list" stands
# for the filters, q, sort, limit and offset of a list, "prefill" for the
# fields of a new record's form.  test_route_fuzz checks that every GET route
# is here and that every argument the sources read (req_query) is.

LIST = [("*", "list")]
# what the charts are of (pages_charts.c): every chart's route reads them all
CHART_ARGS = [("target_set", "id:target_set"), ("program", "id:program"),
              ("agreement", "id:agreement"), ("unit", "id:admin_unit")]
ROUTE_PARAMS = {
    "/api/v1/unit_by_code/:": [("date", "date")],
    "/api/v1/indicator/:/values": [("period", "period"), ("unit", "unit"), ("date", "date")],
    "/api/v1/indicator/:/summary": [("period", "period"), ("unit", "unit"), ("date", "date")],
    "/login": [("next", "next")],
    "/files/:": [],
    "/api/v1/target_set/:/achievement": [("period", "period")],
    "/api/v1/indicator/:/rollup": [("unit", "unit"), ("period", "period"), ("date", "date")],
    "/api/v1/duties/status": [("year", "year"), ("as_of", "date"),
                              ("recipient_org_id", "id:organisation")],
    "/api/v1/program/:/progress": [],
    "/api/v1/clusters/due": [("agreement_id", "id:agreement"), ("as_of", "date")],
    "/api/v1/help/evaluation": [("program_id", "id:program"), ("from", "date"),
                                ("to", "date")],
    "/api/v1/tasks/state": [("as_of", "date"), ("meeting_id", "id:meeting"),
                            ("supervision_id", "id:supervision"),
                            ("assignee_org_id", "id:organisation"),
                            ("document_id", "id:document")],
    "/api/v1/todo": [("as_of", "date")],
    "/api/v1/agreement/:/exchange": [],
    "/api/v1/workflow/:/:": [],
    "/reports/build": [("scope", "scope"), ("period", "period"), ("format", "format"),
                       ("report_id", "id:report")],
    "/reports": [("scope", "scope"), ("period", "period")],
    "/reports/:/issue": [],
    "/grid": [("target_set", "id:target_set"), ("unit", "unit"), ("period", "period"),
              ("unit_id", "id:admin_unit"), ("ok", "ok"), ("saved", "year"),
              ("moved", "year")],
    "/todo": [("as_of", "date")],
    "/follow": [("as_of", "date")],
    "/timeline": [("agreement", "id:agreement"), ("unit", "unit"), ("date", "date")],
    "/ingest": [],
    "/ingest/:": [],
    "/charts": CHART_ARGS,
    "/charts/data/achievement": CHART_ARGS,
    "/charts/data/signed": CHART_ARGS,
    "/charts/data/quantities_agreement": CHART_ARGS,
    "/charts/data/quantities_unit": CHART_ARGS,
    "/charts/data/incidents": CHART_ARGS,
    "/map": [],
    "/map/features": [],
    "/import": [("entity", "entity")],
    "/import/template": [("entity", "entity"), ("format", "format")],
    "/notifications": [("days", "days")],
    "/api/v1/me": [],
    "/api/v1/openapi.json": [],
    "/api/docs": [],
    "/metrics": [],
    "/api/v1/units/:": [("date", "date")],
    "/api/v1/:": LIST,
    "/api/v1/:/:": [],
    "/": [("unit", "unit"), ("unit_id", "id:admin_unit"), ("date", "date")],
    "/search": [("q", "text"), ("tim", "text")],
    "/units/:/dashboard": [("date", "date")],
    "/admin": [],
    "/admin/units/reorganise": [],
    "/units": [("date", "date"), ("q", "text"), ("unit", "id:admin_unit")],
    "/e/:": LIST + [("ok", "ok")],
    "/e/:/new": [("*", "prefill")],
    "/e/:/options": [("name", "fieldname"), ("q", "text"), ("*", "picked")],
    "/e/:/pick": [("q", "text"), ("id", "id:person")],
    "/e/:/:": [("ok", "ok"), ("err", "text"), ("added", "entity"), ("n", "year")],
    "/e/:/:/several/:": [],
    "/e/:/:/edit": [],
    "/e/:/:/delete": [],
    "/guide": [],
}
# DHIS2's dataValueSets (api_dhis2.c): the same arguments for each suffix
DHIS2_GET = [("dataSet", "dhis2id"), ("period", "dhis2period"), ("orgUnit", "unit"),
             ("children", "dhis2bool"), ("idScheme", "dhis2scheme"),
             ("dataElementIdScheme", "dhis2scheme"), ("orgUnitIdScheme", "dhis2scheme"),
             ("dataSetIdScheme", "dhis2scheme")]
for _suffix in ("", ".json", ".csv", ".adx"):
    ROUTE_PARAMS["/api/v1/dataValueSets" + _suffix] = DHIS2_GET
# query arguments of POST routes
POST_QUERY = {
    "/api/v1/attachment/upload": [("owner_entity", "entity"), ("owner_id", "id:person"),
                                  ("filename", "filename"), ("caption", "text")],
    "/api/v1/:/_bulk": [("skip_invalid", "bool")],
    "/api/v1/dataValueSets": [("dataSet", "dhis2id"), ("dryRun", "dhis2bool"),
                              ("importStrategy", "dhis2strategy"),
                              ("idScheme", "dhis2scheme"),
                              ("dataElementIdScheme", "dhis2scheme"),
                              ("orgUnitIdScheme", "dhis2scheme"),
                              ("dataSetIdScheme", "dhis2scheme"),
                              ("firstRowIsHeader", "dhis2bool")],
    "/api/v1/units/reorganise": [("apply", "bool")],
}
# POST routes not fuzzed: they end or make sessions (the fuzzer's own)
POST_SKIPPED = {"/login", "/logout", "/api/v1/session"}


def quote(s):
    return urllib.parse.quote(s, safe="")


# ---- values ------------------------------------------------------------------------------
# Already percent-encoded, as they go into the URL.

BAD = {
    "empty": [""],
    "huge": [quote("9" * 300), quote("ạ" * 700), "a" * 3000, "1" * 12000],
    "utf8": ["%FF", "%C3", "%C3%28", "%ED%A0%80", "%C0%AF", "ab%E1%BA", "%F4%90%80%80",
             "%80", "Si%20Ma%20C%E1"],
    "nul": ["%00", "a%00b", "2024%00-01-01", "1%00"],
    "escape": ["%", "%G1", "%2", "100%", "%%", "+", "%2B", "%25", "%u0041", "%%41", "%0A",
               "%0D%0ASet-Cookie:%20x=1"],
    "type": ["abc", "1.5", "1e3", "true", "null", "%5B%5D", "%7B%7D", "%20%201", "1%20",
             "0x10", quote("١٢٣"), quote("<script>x</script>"), quote("' OR 1=1 --"), "-",
             "--1", quote("½"), quote("ạ")],
    "int": ["-1", "0", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "18446744073709551616", "99999999999999999999999",
            "%2B1", "00001", "1.0", "4294967296"],
}
BAD_BY_KIND = {
    "period": [quote("quý 5/2025"), "2025-13", "2025-Q5", "2025-Q0", "0000", "99999",
               "2025-00", "2030-2020", "2024-Q1-Q2", quote("năm 2024"),
               quote("6 tháng đầu năm 2025"), "2024-02-30", "-2024", "2024-", quote("quý I/2025"),
               "2024-H3", "1-1", "9999-Q4", "2024-2024", "0-0", "2024-W53"],
    "date": ["2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "2024-1-1", "24-01-01",
             "2024-01-01T00%3A00%3A00Z", "-2024-01-01", "2024-02-29", "2023-02-29",
             "20240101", "2024-00-10", "2024-12-32"],
    "unit": ["99999", "000", quote("084 "), quote("０８４"), "ABC", "08", "0840", "%2F084",
             quote("Si Ma Cai")],
    "scope": ["nation%3A1", "target_set%3A", "target_set%3Aabc", "target_set%3A-1",
              "target_set%3A9223372036854775808", "%3A", "unit%3A99999999", "agreement%3A0",
              "bogus%3A1", "target_set", "program%3A1%3A2", "unit%3A084"],
    "format": ["HTML", "pdf%20", "docx%00", "json%2Ccsv", "..%2Fetc", "xls"],
    "year": ["1944", "2101", "20245", "-2024", "2024.5"],
    "next": ["%2F%2Fevil.example", "http%3A%2F%2Fevil.example%2F", "%2F%5Cevil", "%2F%09%2Fevil",
             "javascript%3Aalert(1)", "%2F%0D%0ALocation%3A%20x"],
    "entity": ["khong_co", "app_user", "audit_log", "attachment", "..", "%2E%2E"],
    "filename": ["a%2Fb.pdf", "..%2F..%2Fx.pdf", "x%5Cy.pdf", ".pdf", "a.exe", quote("tệp.pdf")],
    "fieldname": ["khong_co", "id", "_csrf", "q", "name"],
    "days": ["91", "-1", "1000", "7.5"],
}


def valid_values(kind, ctx):
    """Valid (encoded) values of a kind, from the fuzzer's context."""
    if kind.startswith("id:"):
        ent = kind[3:]
        return [str(ctx.ids[ent])] if ent in ctx.ids else ["1"]
    return {
        "date": ["2024-05-01", "2025-07-01", "2023-12-31", "2025-06-30"],
        "period": ["2024", "2024-Q1", "2020-2025", "2024-03", "2023", "2025-Q3"],
        "unit": [SIMACAI, "02851", "01024", "085", "033"],
        "year": ["2024", "2025", "2023"],
        "scope": [quote(s) for s in ctx.scopes],
        "format": ctx.formats,
        "text": [quote("Si Ma Cai"), quote("xín mần"), "a", quote("Bản")],
        "next": ["%2Fe%2Fperson", "%2F"],
        "ok": ["1", "deleted"],
        "bool": ["1", "0"],
        "entity": ["person", "activity", "incident"],
        "filename": ["a.pdf", quote("báo cáo.pdf")],
        "fieldname": ["unit_id", "agreement_id", "organisation_id"],
        "dhis2id": ["pBOMPrpg1QX", "DS_CODE", "khong-co"],
        "dhis2period": ["2023", "2023Q4", "202312", "2023S1", "2023W5", "2023-Q4"],
        "dhis2bool": ["true", "false", "TRUE"],
        "dhis2scheme": ["uid", "code", "CODE", "name", "attribute:abc"],
        "dhis2strategy": ["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE", "MERGE"],
        "days": ["0", "7", "90"],
    }.get(kind, ["1"])


def value_for(rng, kind, ctx):
    """A value of a kind: valid, or invalid for the kind, or invalid for any."""
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(valid_values(kind, ctx))
    if roll < 0.6 and (kind in BAD_BY_KIND or kind.startswith("id:")):
        return rng.choice(BAD["int"] if kind.startswith("id:") else BAD_BY_KIND[kind])
    # bytes that are not text stop at the dispatcher (a test of its own):
    # rarely, so that most requests reach their handler
    cls = rng.choice(["utf8", "nul"] if rng.random() < 0.1 else
                     sorted(set(BAD) - {"utf8", "nul"}))
    return rng.choice(BAD[cls])


# ---- the route table --------------------------------------------------------------------


def routes(bin_path, repo):
    out = subprocess.run([bin_path, "routes", "--json"], cwd=repo, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def entities(bin_path, repo):
    """{entity: [(field, type, target or None)]} from `giapranh entities`."""
    out = subprocess.run([bin_path, "entities"], cwd=repo, capture_output=True, text=True,
                         check=True).stdout
    ents, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^([a-z_][a-z_0-9]*) — ", line)
        if m:
            cur = m.group(1)
            ents[cur] = []
        elif cur and line.startswith("    "):
            parts = line.split()
            target = line.rsplit("→", 1)[1].strip() if "→" in line else None
            ents[cur].append((parts[0], parts[1], target))
    return ents


def source_query_args(repo):
    """Every query argument the C sources read by name."""
    names = set()
    pat = re.compile(r'\b(?:req_query|id_arg|date_arg)\(r, "([a-z_]+)"')
    for root, _, files in os.walk(os.path.join(repo, "src")):
        for f in files:
            if f.endswith(".c"):
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    names.update(pat.findall(fh.read()))
    # the tasks filter names are a table walked by id_arg
    return names


# ---- one client per role ----------------------------------------------------------------


class Client:
    """Keep-alive HTTP/1.1 over http.client: the URL goes out byte for byte
    as written (requests would re-quote a broken escape)."""

    def __init__(self, host, port, token=None, cookie=None, csrf=None):
        self.host, self.port = host, port
        self.token, self.cookie, self.csrf = token, cookie, csrf
        self.conn = None

    def request(self, method, url, body=None, headers=None, auth="bearer"):
        h = dict(headers or {})
        if auth == "bearer" and self.token:
            h["Authorization"] = "Bearer " + self.token
        elif auth == "cookie" and self.cookie:
            h["Cookie"] = "gp_session=" + self.cookie
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, url, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # a keep-alive connection left idle is closed by the server
                # (HTTP_HEADER_DEADLINE_S): what any client does, try anew
                if reused and attempt == 1:
                    continue
                # the server may answer (414, 413) and close before it has
                # read the body: send it all, tolerating that, and read
                if body:
                    return self.raw(method, url, body, h)
                raise
            except Exception:
                self.close()
                raise
        if resp.will_close:
            self.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    def raw(self, method, url, body, headers):
        from conftest import raw_request
        head = f"{method} {url} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n" \
               f"Content-Length: {len(body)}\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        status, hdrs, data = raw_request(self.host, self.port, head.encode("latin-1"), body)
        if status == 0:
            raise http.client.RemoteDisconnected("no answer, even read after the body")
        return status, hdrs, data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---- the fuzzer -------------------------------------------------------------------------


class Context:
    """What the values are made of: real ids, scopes, formats."""

    def __init__(self, ids, ents, unit_ids):
        self.ids = ids
        self.ents = ents
        self.unit_ids = unit_ids
        self.scopes = ["nation"] + [f"{k}:{ids[e]}" for k, e in (
            ("target_set", "target_set"), ("agreement", "agreement"), ("program", "program"),
            ("supervision", "supervision"), ("unit", "admin_unit")) if e in ids]
        # LibreOffice makes a PDF in seconds: only where it is not installed
        # (then a quick, documented 503)
        self.formats = ["html", "csv", "json", "xlsx", "docx"] + (
            [] if shutil.which("soffice") else ["pdf"])


class RouteFuzzer:
    def __init__(self, server, bin_path, repo, seed, log=None):
        self.server = server
        self.rng = random.Random(seed)
        self.seed = seed
        self.routes = routes(bin_path, repo)
        self.ents = entities(bin_path, repo)
        self.problems = []
        self.sent = 0
        self.statuses = {}
        self.log = log or (lambda *a: None)
        self.clients = {}
        self.ctx = None
        self.header_memory = limit(repo, "HTTP_HEADER_MEMORY")
        self.dropped = 0  # requests too large for any answer (send)

    # -- setup

    def setup(self):
        from conftest import describe  # the shared helpers (tests/e2e on sys.path)
        admin = self.server.api("admin")
        ids = {}
        for ent in self.ents:
            r = admin.get(f"/api/v1/{ent}", params={"limit": 1, "sort": "id"})
            if r.status_code == 200 and r.json()["items"]:
                ids[ent] = r.json()["items"][0]["id"]
        # a file and an ingest batch to read back (the demo has none)
        r = admin.post("/api/v1/attachment/upload",
                       params={"owner_entity": "person", "owner_id": ids["person"],
                               "filename": "a.pdf"},
                       data=b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
                       headers={"Content-Type": "application/pdf"})
        assert r.status_code == 201, describe(r)
        ids["attachment"] = r.json()["id"]
        s = self.server.sign_in("admin")
        r = s.post("/ingest", data={"_csrf": s.csrf, "text": "Ngày 12/3/2024, Ủy ban nhân dân "
                                    "huyện Si Ma Cai tổ chức hội nghị sơ kết; đã ký kết 33/34 "
                                    "cặp kết nghĩa."}, allow_redirects=False)
        assert r.status_code == 303, describe(r)
        ids["ingest_batch"] = int(r.headers["Location"].rsplit("/", 1)[1])
        unit_ids = {SIMACAI: self.server.unit_id(SIMACAI)}
        self.ctx = Context(ids, self.ents, unit_ids)
        # the indicators of the grid (every target set's first ones)
        r = admin.get("/api/v1/indicator", params={"limit": 20, "sort": "id"})
        self.ctx.indicators = [it["id"] for it in r.json()["items"]] if r.status_code == 200 \
            else []
        # a valid record per entity, to mutate into bodies
        self.records = {}
        for ent, rid in ids.items():
            r = admin.get(f"/api/v1/{ent}/{rid}")
            if r.status_code == 200:
                rec = r.json()
                for k in ("id", "version", "created_at", "updated_at", "search_key"):
                    rec.pop(k, None)
                self.records[ent] = rec
        for role in ROLES:
            sess = self.server.sign_in(role)
            self.clients[role] = Client(self.server.host, self.server.port,
                                        token=self.server.tokens[role],
                                        cookie=sess.session_cookie, csrf=sess.csrf)

    def close(self):
        for c in self.clients.values():
            c.close()

    # -- paths

    def fill(self, pattern, entity=None, valid=True):
        """A concrete path of a pattern; valid=False puts invalid values in
        some of its ':' segments."""
        rng = self.rng
        segs = pattern.strip("/").split("/")
        out, prev_entity = [], None
        for i, seg in enumerate(segs):
            bad = not valid and rng.random() < 0.6
            if seg != ":":
                out.append(seg)
                prev_entity = seg if seg in self.ents and i + 1 < len(segs) and \
                    segs[i + 1] == ":" else None
                continue
            before = segs[i - 1] if i > 0 else ""
            if prev_entity is not None:
                rid = self.ctx.ids.get(prev_entity, 1)
                out.append(rng.choice(BAD["int"] + BAD["type"] + BAD["utf8"] + BAD["nul"] +
                                      ["999999999"]) if bad else str(rid))
                prev_entity = None
            elif before in ("v1", "e", "workflow"):
                ent = entity or rng.choice(sorted(self.ents))
                if before == "workflow" and entity is None:
                    ent = rng.choice(["incident", "recommendation", "report", "task",
                                      "agreement"])
                out.append(rng.choice(BAD_BY_KIND["entity"] + BAD["utf8"] + ["a" * 300])
                           if bad else ent)
                prev_entity = ent if not bad else "person"
            elif before == "several":
                # the records owned by the parent before it (or not: 404)
                out.append(rng.choice(BAD_BY_KIND["entity"]) if bad else
                           rng.choice(sorted(self.ents)))
            elif before in ("units", "unit_by_code"):
                out.append(rng.choice(BAD_BY_KIND["unit"] + BAD["utf8"] + BAD["nul"])
                           if bad else rng.choice(valid_values("unit", self.ctx)))
            else:
                ent = {"files": "attachment", "reports": "report", "ingest": "ingest_batch"}[before]
                out.append(rng.choice(BAD["int"] + BAD["type"] + BAD["utf8"])
                           if bad else str(self.ctx.ids.get(ent, 1)))
        return "/" + "/".join(out), entity

    # -- query strings

    def list_args(self, ent):
        """Filters, search, sort and paging of a list, some of them broken."""
        rng = self.rng
        fields = self.ents.get(ent) or [("id", "integer", None)]
        args = []
        for _ in range(rng.randint(0, 3)):
            name, ftype, target = rng.choice(fields + [("id", "integer", None),
                                                       ("illustrative", "boolean", None)])
            suffix = rng.choice(["", "", "__gte", "__lte", "__gt", "__lt", "__ne", "__null"])
            kind = {"date": "date", "integer": "id:x", "reference": f"id:{target}",
                    "boolean": "bool"}.get(ftype, "text")
            if rng.random() < 0.1:
                name = rng.choice(["khong_co", "%FF", "password_hash", "secret", ""])
            args.append((name + suffix, value_for(rng, kind, self.ctx)))
        if rng.random() < 0.4:
            args.append(("q", value_for(rng, "text", self.ctx)))
        if rng.random() < 0.4:
            name = rng.choice(fields)[0]
            args.append(("sort", rng.choice([name, "-" + name, "-", "--id", "khong_co",
                                             "%FF", "id%00", ""])))
        for k in ("limit", "offset"):
            if rng.random() < 0.3:
                args.append((k, rng.choice(BAD["int"] + BAD["type"] + ["10", "1000", "100000"])))
        return args

    def query(self, pattern, entity, params=None):
        rng = self.rng
        args = []
        params = params if params is not None else ROUTE_PARAMS.get(pattern, [])
        # a third of the requests: every argument valid but one, so that the
        # handler gets past its first check with the broken one
        plain = [i for i, (_, kind) in enumerate(params) if kind not in
                 ("list", "prefill", "picked")]
        one = rng.choice(plain) if plain and rng.random() < 0.33 else None
        for i, (name, kind) in enumerate(params):
            if one is not None and i != one and i in plain:
                args.append((name, rng.choice(valid_values(kind, self.ctx))))
                continue
            if kind == "list":
                args += self.list_args(entity)
                continue
            if kind == "prefill":
                for fname, ftype, target in rng.sample(self.ents.get(entity, []),
                                                       min(3, len(self.ents.get(entity, [])))):
                    args.append((fname, value_for(rng, {"reference": f"id:{target}",
                                                         "date": "date"}.get(ftype, "text"),
                                                  self.ctx)))
                continue
            if kind == "picked":
                picked = next((v for k, v in args if k == "name"), None)
                if picked:
                    args.append((picked, value_for(rng, "id:x", self.ctx)))
                continue
            if rng.random() < 0.2:
                continue  # missing
            args.append((name, value_for(rng, kind, self.ctx)))
        # repeated keys, unknown keys, keys that are not text
        if args and rng.random() < 0.15:
            k, _ = rng.choice(args)
            args.append((k, rng.choice(BAD[rng.choice(sorted(BAD))])))
        if rng.random() < 0.15:
            args.append(rng.choice([("zzz", "1"), ("%FF", "1"), ("", "1"), ("a%00b", "1"),
                                    (quote("ạ"), "1"), ("_csrf", "x"), ("q%5B%5D", "1")]))
        parts = [f"{k}={v}" for k, v in args]
        if rng.random() < 0.05:
            parts.append(rng.choice(["&", "a", "=", "==", "a=b=c"]))
        return "&".join(parts)

    # -- checking an answer

    def check(self, method, url, status, headers, body, role):
        where = f"{role} {method} {url[:300]}"
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if not 100 <= status <= 599:
            return f"{where}: status {status}"
        ctype = headers.get("content-type", "")
        if ctype.startswith(("application/json", "text/")):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as e:
                return f"{where}: {status} body is not UTF-8 ({e}): {body[:200]!r}"
            if ctype.startswith("application/json") and text:
                try:
                    doc = json.loads(text)
                except ValueError as e:
                    return f"{where}: {status} JSON that does not parse ({e}): {text[:200]}"
            else:
                doc = None
        else:
            doc = None
        if status < 500:
            return None
        # documented 503: a PDF report without LibreOffice
        code = doc.get("error", {}).get("code") if isinstance(doc, dict) else None
        if status == 503 and code == "unavailable" and url.startswith("/reports/build") \
                and "LibreOffice" in doc["error"].get("message", ""):
            return None
        return f"{where}: {status} {body[:400]!r}"

    def send(self, role, method, url, auth, body=None, headers=None):
        client = self.clients[role]
        self.sent += 1
        try:
            status, hdrs, data = client.request(method, url, body=body, headers=headers,
                                                auth=auth)
        except (http.client.HTTPException, OSError) as e:
            alive = self.server.proc.poll() is None
            # a request filling libmicrohttpd's connection memory leaves no
            # room for any answer, not even its own 431 (HTTP_HEADER_MEMORY):
            # the connection closes; below that, every request is answered
            head = len(method) + len(url) + sum(len(k) + len(v) + 4 for k, v in
                                                (headers or {}).items()) + 200
            if alive and head >= self.header_memory - 1024:
                self.dropped += 1
                return None
            self.problems.append(f"{role} {method} {url[:300]}: no well-formed answer "
                                 f"({type(e).__name__}: {e}); server "
                                 f"{'alive' if alive else 'DEAD'}; its log ends:\n"
                                 f"{self.server.log_tail(1200)}")
            return None
        problem = self.check(method, url, status, hdrs, data, role)
        if problem:
            self.problems.append(problem)
        return status

    def auth_for(self, route):
        flags = route["flags"]
        if "html" in flags and "api" in flags:
            return self.rng.choice(["cookie", "bearer"])
        return "cookie" if "html" in flags else "bearer"

    # -- GET

    def get_routes(self):
        return [r for r in self.routes if "GET" in r["methods"]]

    def one_get(self, route, role, entity=None, valid_path=None):
        rng = self.rng
        pattern = route["pattern"]
        if entity is None and pattern.startswith(("/api/v1/:", "/e/:")):
            entity = rng.choice(sorted(self.ents))
        path, entity = self.fill(pattern, entity,
                                 valid=rng.random() < 0.75 if valid_path is None else valid_path)
        q = self.query(pattern, entity)
        url = path + ("?" + q if q else "")
        return self.send(role, "GET", url, self.auth_for(route))

    def run_get(self, budget, deadline):
        """Every GET route as every role first (valid path, mutated
        arguments; every entity of the generic routes), then random ones."""
        todo = []
        for route in self.get_routes():
            generic = route["pattern"].startswith(("/api/v1/:", "/e/:"))
            ents = sorted(self.ents) if generic else [None]
            for i, ent in enumerate(ents):
                todo.append((route, ROLES[i % len(ROLES)] if generic else None, ent))
        sent = 0
        for route, role, ent in todo:
            for r in ([role] if role else ROLES):
                if sent >= budget or time.monotonic() > deadline or not self.alive():
                    return
                self.one_get(route, r, ent, valid_path=True)
                sent += 1
        routes_ = self.get_routes()
        while sent < budget and time.monotonic() < deadline and self.alive():
            self.one_get(self.rng.choice(routes_), self.rng.choice(ROLES))
            sent += 1

    # -- POST / PATCH bodies

    def body_routes(self):
        return [(m, r) for r in self.routes for m in r["methods"]
                if m in ("POST", "PATCH") and r["pattern"] not in POST_SKIPPED]

    def form_value(self):
        """A decoded form value: valid-looking or broken."""
        rng = self.rng
        cls = rng.choice(sorted(BAD) + ["period", "date", "ok"])
        enc = rng.choice(BAD_BY_KIND.get(cls, BAD.get(cls, ["1"])) if cls != "ok"
                         else ["1", "abc", "2024-05-01", quote("Si Ma Cai")])
        return enc

    def form_body(self, fields):
        """application/x-www-form-urlencoded from (name, encoded value)."""
        return "&".join(f"{k}={v}" for k, v in fields).encode("ascii")

    def multipart(self, parts):
        """multipart/form-data from (name, filename or None, bytes)."""
        boundary = "fz" + "".join(self.rng.choice("0123456789abcdef") for _ in range(16))
        out = b""
        for name, filename, data in parts:
            out += b"--" + boundary.encode() + b"\r\n"
            disp = b'Content-Disposition: form-data; name="' + name + b'"'
            if filename is not None:
                disp += b'; filename="' + filename + b'"'
            out += disp + b"\r\n"
            if filename is not None:
                out += b"Content-Type: " + self.rng.choice(
                    [b"application/pdf", b"text/plain", b"image/png",
                     b"application/octet-stream", b"\xff"]) + b"\r\n"
            out += b"\r\n" + data + b"\r\n"
        if self.rng.random() < 0.9:
            out += b"--" + boundary.encode() + b"--\r\n"
        return out, "multipart/form-data; boundary=" + boundary

    def json_value(self):
        rng = self.rng
        return rng.choice([None, True, False, 0, -1, 2 ** 63, -2 ** 63 - 1, 1e308, -0.0, 1.5,
                           "", "abc", "x" * 5000, "quý 5/2025", "2025-13", "2024-02-30",
                           "\u0000", "a\u0000b", "<script>", [], {}, [1, "a"], {"a": 1},
                           "999999999", "084", "Si Ma Cai", "１２"])

    BROKEN_JSON = [b"", b"{", b"[", b'{"a":', b"nul", b"1", b'"x"', b"[]", b'{"a":1,"a":2}',
                   b'{"a":"\\ud800"}', b"\xff\xfe", b"[" * 5000 + b"]" * 5000,
                   b'{"title":"\xc3"}', b"1e99999", b'{"x":' + b"9" * 400 + b"}",
                   b'{"a":"\\u0000"}']

    def json_record(self, entity):
        """A record of the entity (a copy of a real one), mutated."""
        rng = self.rng
        rec = dict(self.records.get(entity) or {})
        if rec and "unit_id" in rec and rng.random() < 0.5:
            rec["unit_id"] = self.ctx.unit_ids[SIMACAI]
        for _ in range(rng.randint(0, 4)):
            if rec and rng.random() < 0.7:
                k = rng.choice(sorted(rec))
            else:
                k = rng.choice(["khong_co", "id", "version", "", "created_at", "ạ"])
            if rng.random() < 0.2:
                rec.pop(k, None)
            else:
                rec[k] = self.json_value()
        return rec

    def json_body(self, entity):
        """A mutated record as JSON, or JSON that is not a record, or no JSON."""
        if self.rng.random() < 0.12:
            return self.rng.choice(self.BROKEN_JSON)
        return json.dumps(self.json_record(entity),
                          ensure_ascii=self.rng.random() < 0.5).encode("utf-8")

    def dhis2_body(self):
        """A data value set as JSON, CSV or ADX (domain/dhis2.c), mutated."""
        rng = self.rng
        ids = ["f7n9E0hX8qk", "DS_CODE", "", "x" * 300, "\u0000", "a,b", 'a"b', "<&>"]
        periods = ["2023", "2023Q4", "202312", "2023S1", "2023W5", "20230230", "", "99999"]
        units = [SIMACAI, "02851", "khong-co", ""]
        values = ["1", "-2.5", "1e308", "1e999", "nan", "0x10", "", "true", "mười"]
        kind = rng.choice(["json", "json", "csv", "adx", "broken"])
        if kind == "json":
            vals = [{k: self.json_value() if rng.random() < 0.15 else v for k, v in {
                "dataElement": rng.choice(ids), "period": rng.choice(periods),
                "orgUnit": rng.choice(units), "value": rng.choice(values),
                "comment": rng.choice(["", "ghi chú", None]),
                "deleted": rng.choice([True, False, None, "x"])}.items()}
                for _ in range(rng.randint(0, 4))]
            doc = {"dataSet": rng.choice(ids), "period": rng.choice(periods),
                   "orgUnit": rng.choice(units), "completeDate":
                   rng.choice(["2024-01-10", "2024-02-30", "", None]),
                   "dataValues": vals if rng.random() < 0.9 else self.json_value(),
                   "dryRun": rng.choice([True, False, "x"]),
                   "idScheme": rng.choice(["uid", "code", "name", 1])}
            return json.dumps(doc).encode(), "application/json"
        if kind == "csv":
            rows = ["dataelement,period,orgunit,coc,aoc,value,by,ts,comment,followup,deleted"]
            for _ in range(rng.randint(0, 4)):
                cells = [rng.choice(ids), rng.choice(periods), rng.choice(units), "", "",
                         rng.choice(values), "", "", rng.choice(["", '"x""y"', "a\nb"]),
                         "false", rng.choice(["true", "false", "maybe", ""])]
                rows.append(",".join(cells[:rng.randint(1, 11)]))
            body = "\n".join(rows) + rng.choice(["", "\n", '\n"'])
            return body.encode("utf-8", "replace"), rng.choice(["application/csv", "text/csv"])
        if kind == "adx":
            groups = "".join(
                f'<group orgUnit="{rng.choice(units)}" period="'
                f'{rng.choice(["2023-10-01/P3M", "2023-11-15/P3M", "2023-01-01/P1Y", "x"])}"'
                f' dataSet="{rng.choice(ids[:2])}">'
                + "".join(f'<dataValue dataElement="{rng.choice(ids[:2])}" value="'
                          f'{rng.choice(values)}"' + rng.choice(["/>", ' SEX="F"/>', "><annotation>"
                          "x<b/></annotation></dataValue>", ">"]) for _ in range(rng.randint(0, 3)))
                + rng.choice(["</group>", ""]) for _ in range(rng.randint(0, 3)))
            body = (rng.choice(['<?xml version="1.0"?>', "", "<!DOCTYPE x>", "<!-- c -->"]) +
                    f'<adx xmlns="{rng.choice(["urn:ihe:qrph:adx:2015", "x"])}">' + groups +
                    rng.choice(["</adx>", "", "</adx><adx/>", "&bad;"]))
            return body.encode(), "application/adx+xml"
        return rng.choice(self.BROKEN_JSON + [b"<adx", b"\xff\xfe", b"a,b,c\n\""]), \
            rng.choice(["application/json", "application/csv", "application/adx+xml",
                        "text/xml"])

    def entity_form(self, entity):
        rng = self.rng
        fields = []
        for k, v in (self.records.get(entity) or {}).items():
            if rng.random() < 0.3:
                fields.append((k, self.form_value()))
            elif v is not None and not isinstance(v, (dict, list)):
                fields.append((k, quote(str(v).lower() if isinstance(v, bool) else str(v))))
        if rng.random() < 0.3:
            fields.append(("_version", rng.choice(BAD["int"] + BAD["type"])))
        return fields

    def one_body(self, method, route, role):
        rng = self.rng
        client = self.clients[role]
        pattern = route["pattern"]
        entity = rng.choice(sorted(self.records)) if pattern.startswith(
            ("/api/v1/:", "/e/:")) else None
        path, entity = self.fill(pattern, entity, valid=rng.random() < 0.8)
        auth = self.auth_for(route)
        q = self.query(pattern, entity, POST_QUERY.get(pattern, []))
        url = path + ("?" + q if q else "")
        headers = {}
        html = auth == "cookie"
        csrf = [("_csrf", quote(client.csrf))] if html and rng.random() < 0.95 else []
        if pattern == "/files" or (pattern == "/ingest" and rng.random() < 0.5):
            parts = [(b"_csrf", None, client.csrf.encode())] if csrf else []
            fname = rng.choice([b"a.pdf", b"a.txt", b"\xff\xfe.pdf", b"b\xc3.txt", b"",
                                b"../x.pdf", "báo cáo.txt".encode(), b"x" * 400 + b".pdf",
                                b'a"b.pdf'])
            data = rng.choice([b"%PDF-1.4\n%%EOF\n", b"", b"\x00" * 100, "Ngày 5/3/2024 "
                               "huyện Si Ma Cai ký kết 3/4 cặp kết nghĩa.".encode(),
                               b"PK\x03\x04" + b"\x00" * 40, b"\xff" * 300])
            parts.append((b"file", fname, data))
            if pattern == "/files":
                parts += [(b"owner_entity", None, rng.choice([b"person", b"khong_co", b"\xff",
                                                              b""])),
                          (b"owner_id", None, rng.choice([str(self.ctx.ids["person"]).encode(),
                                                          b"-1", b"abc", b"9" * 30]))]
            else:
                parts.append((b"publication_date", None,
                              rng.choice([b"", b"2024-02-30", b"2024-05-01", b"\xff"])))
            body, ctype = self.multipart(parts)
            headers["Content-Type"] = ctype
        elif pattern == "/import" and rng.random() < 0.8:
            # a file to check: CSV of the entity's fields with fuzzed cells, a
            # zip that is no workbook, bytes that are no text
            rec = self.records.get(entity or "person") or {"id": 1}
            cols = list(rec)[:rng.randint(0, len(rec))] + (["khong_co"] if rng.random()
                                                           < 0.2 else [])
            rows = [",".join(cols)] + [",".join(urllib.parse.unquote(self.form_value())
                                                .replace("\n", " ") for _ in cols)
                                       for _ in range(rng.randint(0, 4))]
            data = rng.choice(["\n".join(rows).encode("utf-8", "replace"), b"",
                               b"PK\x03\x04" + b"\x00" * 40, b"\xff" * 300,
                               b'a,b\n"unterminated'])
            parts = [(b"_csrf", None, client.csrf.encode())] if csrf else []
            parts += [(b"entity", None, rng.choice([b"person", b"meeting", b"activity",
                                                    b"khong_co", b"app_user", b"\xff", b""])),
                      (b"file", rng.choice([b"a.csv", b"a.xlsx", b"", "tệp.csv".encode()]),
                       data)]
            body, ctype = self.multipart(parts)
            headers["Content-Type"] = ctype
        elif pattern == "/api/v1/attachment/upload":
            body = rng.choice([b"%PDF-1.4\n%%EOF\n", b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
                               b"\xff" * 100])
            headers["Content-Type"] = rng.choice(["application/pdf", "image/png", "text/plain",
                                                  "\xff", ""])
        elif pattern == "/api/v1/:/_bulk":
            if rng.random() < 0.5:
                recs = [self.json_record(entity) if rng.random() < 0.8 else self.json_value()
                        for _ in range(rng.randint(0, 3))]
                body = json.dumps(recs).encode() if rng.random() < 0.8 else self.json_body(entity)
                headers["Content-Type"] = "application/json"
            else:
                rec = self.records.get(entity) or {"id": 1}
                cols = list(rec)[:rng.randint(0, len(rec))] + (["khong_co"] if rng.random()
                                                               < 0.2 else [])
                rows = [",".join(cols)]
                for _ in range(rng.randint(0, 3)):
                    rows.append(",".join(urllib.parse.unquote(self.form_value())
                                         .replace("\n", " ") for _ in cols))
                body = ("\n".join(rows) + rng.choice(["", "\n", '\n"'])).encode("utf-8",
                                                                               "replace")
                headers["Content-Type"] = "text/csv"
        elif pattern == "/api/v1/dataValueSets":
            body, headers["Content-Type"] = self.dhis2_body()
        elif "api" in route["flags"] and not html:
            body = self.json_body(entity or "report")
            headers["Content-Type"] = rng.choice(["application/json"] * 8 +
                                                 ["text/plain", "application/x-www-form-urlencoded"])
        else:
            if pattern == "/grid":
                fields = [("target_set", value_for(rng, "id:target_set", self.ctx)),
                          ("unit", value_for(rng, "unit", self.ctx)),
                          ("period", value_for(rng, "period", self.ctx)),
                          ("action", rng.choice(["draft", "submitted", "approved", "reopen",
                                                 "bogus", "", "%FF"]))]
                for iid in self.ctx.indicators:
                    for p in ("t", "a", "c"):
                        if rng.random() < 0.7:
                            fields.append((f"{p}{iid}", self.form_value()))
            elif pattern == "/ingest/:/accept":
                fields = [("all", rng.choice(["1", "0", ""]))] + [
                    (rng.choice(["d.p1", "d.p2", "f.p1.title", "f.p1.date", "d.%FF",
                                 "f.p3.value"]), self.form_value()) for _ in range(3)]
            elif pattern == "/import/confirm":
                fields = [("token", rng.choice(["x" * 43, "", "%FF", "a" * 500])),
                          ("action", rng.choice(["good", "none", "", "bogus", "%FF"]))]
            elif pattern == "/ingest":
                fields = [("text", rng.choice([quote("Ngày 12/3/2024 Ủy ban nhân dân huyện "
                                                     "Si Ma Cai họp."), "", "%FF", "a%00b",
                                               quote("quý 5/2025 " * 50)])),
                          ("publication_date", value_for(rng, "date", self.ctx))]
            elif pattern.endswith("/status"):
                fields = [("status", rng.choice(["closed", "submitted", "answered", "", "%FF",
                                                 "khong_co"]))]
            elif pattern.endswith("/answer"):
                fields = [("response", self.form_value()),
                          ("responded_on", value_for(rng, "date", self.ctx))]
            elif pattern.startswith("/e/:"):
                fields = self.entity_form(entity)
            else:
                fields = []
            if rng.random() < 0.1:
                k, _ = rng.choice(fields) if fields else ("x", "")
                fields.append((k, self.form_value()))
            body = self.form_body(csrf + fields)
            headers["Content-Type"] = rng.choice(["application/x-www-form-urlencoded"] * 9 +
                                                 ["text/plain"])
        return self.send(role, method, url, auth, body=body, headers=headers)

    def run_bodies(self, budget, deadline):
        pairs = self.body_routes()
        sent = 0
        for method, route in pairs:       # every route as every role first
            for role in POST_ROLES:
                if sent >= budget or time.monotonic() > deadline or not self.alive():
                    return
                self.one_body(method, route, role)
                sent += 1
        while sent < budget and time.monotonic() < deadline and self.alive():
            method, route = self.rng.choice(pairs)
            self.one_body(method, route, self.rng.choice(POST_ROLES))
            sent += 1

    # -- the server

    def alive(self):
        if self.server.proc.poll() is not None:
            if not any("server DEAD" in p for p in self.problems):
                self.problems.append(f"server DEAD (exit {self.server.proc.returncode})")
            return False
        return True

    def sanitizer_reports(self):
        try:
            with open(self.server.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return []
        out = []
        for mark in SANITIZER_MARKS:
            i = text.find(mark)
            if i >= 0:
                out.append(text[max(0, i - 200):i + 3000])
        return out
