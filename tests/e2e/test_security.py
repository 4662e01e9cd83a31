"""
Security probes and the role x endpoint matrix.

  * stored XSS: names with markup are escaped in every page that shows them,
    in the report's HTML, and in the XML of its DOCX and XLSX;
  * SQL injection on every filter and sort parameter of the list API: 400 or
    a correct empty answer, never 500, and the data intact;
  * path traversal on static files and attachment downloads: 404;
  * session fixation (a new session at sign-in) and cookie flags;
  * CSRF on every state-changing HTML route of the route table: 403;
  * uploads whose content does not match their declared type: 415;
  * slow clients: a connection sending a header byte per second is cut;
  * the role x endpoint matrix, generated from `giapranh routes --json`.
"""
import io
import json
import re
import socket
import subprocess
import time
import zipfile

import pytest

from conftest import (BIN, REPO, SIMACAI, activity, describe, incident, meta_csrf,
                      raw_request, set_cookie_headers, unique)

XSS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]
XSS_ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;"]
RAW_MARKUP = ["<script>alert(1)", "<img src=x onerror"]
HTTP_TIMEOUT_S = 30     # src/base/gplimits.h: HTTP_HEADER_DEADLINE_S
SLOW_CAP_S = 40


def assert_escaped(text, where, shown=True):
    for raw in RAW_MARKUP:
        assert raw not in text, f"raw markup {raw!r} in {where}"
    if shown:
        assert any(esc in text for esc in XSS_ESCAPED), f"escaped name not in {where}"


@pytest.fixture(scope="module")
def xss(server):
    """Records whose text fields are markup: a person, an organisation, a
    program with an activity (the program's report shows its name)."""
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    name = XSS[0] + " " + XSS[1]
    out = {
        "person": admin.create("person", {"full_name": unique(name), "note": XSS[1]}),
        "organisation": admin.create("organisation", {"name": unique(name),
                                                      "kind": "peoples_committee"}),
        "program": admin.create("program", {"name": unique(name), "unit_id": unit,
                                            "description": XSS[0]}),
    }
    out["activity"] = admin.create("activity", activity(
        unit, title=unique(name), description=XSS[1], program_id=out["program"]["id"]))
    return out


# ---- stored XSS ----------------------------------------------------------------


@pytest.mark.parametrize("entity", ["person", "organisation", "program", "activity"])
def test_xss_escaped_in_detail_and_list_pages(server, xss, entity):
    s = server.sign_in("admin")
    rid = xss[entity]["id"]
    for path in (f"/e/{entity}/{rid}", f"/e/{entity}?q=alert", f"/e/{entity}?sort=-id",
                 f"/e/{entity}/{rid}/edit", f"/e/{entity}/{rid}/delete"):
        r = s.get(path)
        assert r.status_code == 200, describe(r)
        assert_escaped(r.text, path)


def test_xss_never_raw_on_other_pages(server, xss):
    s = server.sign_in("admin")
    for path in ("/", "/todo", "/follow", "/timeline", "/reports", "/grid", "/admin",
                 f"/e/activity/options?q=alert", "/units", "/notifications?days=90",
                 "/import"):
        r = s.get(path)
        assert r.status_code in (200, 400), describe(r)
        assert_escaped(r.text, path, shown=False)


def test_xss_escaped_in_report_html_docx_xlsx(server, xss):
    admin = server.api("admin")
    base = f"/reports/build?scope=program:{xss['program']['id']}&period=2024"
    r = admin.get(base + "&format=html")
    assert r.status_code == 200, describe(r)
    assert_escaped(r.text, "report html")
    for fmt in ("docx", "xlsx"):
        r = admin.get(base + "&format=" + fmt)
        assert r.status_code == 200, describe(r)
        z = zipfile.ZipFile(io.BytesIO(r.content))
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.endswith(".xml"))
        assert_escaped(xml, fmt)


# ---- SQL injection ----------------------------------------------------------------

INJECTIONS = ["' OR 1=1 --", "1; DROP TABLE person", "1 OR 1=1", "\" OR \"\"=\"",
              "%' --", "') UNION SELECT login, secret FROM app_user --"]


def entity_fields():
    out = subprocess.run([BIN, "entities"], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout
    fields, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^([a-z_][a-z_0-9]*) — ", line)
        if m:
            cur = m.group(1)
            fields[cur] = []
        elif cur and line.startswith("    "):
            fields[cur].append(line.split()[0])
    return fields


ENTITIES = entity_fields()


def owned_kinds():
    """parent entity -> the first entity whose records it owns (F_OWNER)."""
    desc = json.loads(subprocess.run([BIN, "entities", "--json"], cwd=REPO,
                                     capture_output=True, text=True, check=True).stdout)
    out = {}
    for e in desc:
        for f in e["fields"]:
            if f["owner"] and f["arg"] not in out:
                out[f["arg"]] = e["name"]
    return out


OWNED = owned_kinds()


def test_sql_injection_on_every_filter_and_sort(server):
    admin = server.api("admin")
    before = {e: admin.list(e, limit=1)["total"] for e in ("person", "app_user", "activity")}
    bad = []
    for ent, fields in ENTITIES.items():
        for f in fields + ["id"]:
            for inj in INJECTIONS[:2]:
                for key in (f, f + "__gte", f + "__ne"):
                    r = admin.get(f"/api/v1/{ent}", params={key: inj})
                    if r.status_code == 200:
                        body = r.json()
                        # text equality with the literal: nothing matches
                        if key == f and body["total"] != 0:
                            bad.append((ent, key, inj, "matched", body["total"]))
                    elif r.status_code != 400:
                        bad.append((ent, key, inj, r.status_code))
            for sort in (f + ";drop table person", f + " desc, (select 1)", "-" + f + "--"):
                r = admin.get(f"/api/v1/{ent}", params={"sort": sort})
                if r.status_code != 400:
                    bad.append((ent, "sort", sort, r.status_code))
        for key, val in (("no_such_field", "1"), ("sort", "no_such_field"),
                         ("id__like", "1"), ("limit", "1;--"), ("offset", "' OR 1=1")):
            r = admin.get(f"/api/v1/{ent}", params={key: val})
            if r.status_code not in (200, 400) or (r.status_code == 200 and key != "limit"
                                                   and key != "offset"):
                bad.append((ent, key, val, r.status_code))
        r = admin.get(f"/api/v1/{ent}", params={"q": INJECTIONS[-1]})
        if r.status_code != 200 or r.json()["total"] != 0:
            bad.append((ent, "q", r.status_code))
    assert not bad, bad[:20]
    after = {e: admin.list(e, limit=1)["total"] for e in before}
    assert after == before


def test_sql_injection_on_html_list_filters(server):
    s = server.sign_in("admin")
    for inj in INJECTIONS:
        for params in ({"q": inj}, {"sort": inj}, {"full_name": inj}, {"offset": inj}):
            r = s.get("/e/person", params=params)
            assert r.status_code in (200, 400), describe(r)


# ---- path traversal -----------------------------------------------------------------

TRAVERSALS = ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
              "/static/vendor/../../x", "/static/..%2f..%2fetc%2fpasswd",
              "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static//etc/passwd",
              "/static/vendor/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/files/../x",
              "/files/%2e%2e%2fx", "/files/..%2f..%2fetc%2fpasswd", "/static/.%00./x"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_404(server, path):
    s = server.sign_in("admin")
    head = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            f"Cookie: gp_session={s.session_cookie}\r\n\r\n").encode()
    status, _, body = raw_request(server.host, server.port, head)
    assert status in (400, 404), (path, status, body[:200])
    assert b"root:" not in body


# ---- sessions and cookies --------------------------------------------------------------


def session_cookie_of(r):
    for h in set_cookie_headers(r):
        m = re.match(r"gp_session=([^;]*)", h)
        if m:
            return m.group(1), h
    return None, None


def test_session_id_changes_at_sign_in(server):
    s = server.anonymous()
    fixed = "a" * 43
    s.cookies.set("gp_session", fixed)
    r = s.post_login({"login": server.login("viewer"),
                      "password": server.users["viewer"].password})
    assert r.status_code == 303, describe(r)
    value, _ = session_cookie_of(r)
    assert value and value != fixed
    # two sign-ins, two different sessions
    assert server.sign_in("viewer").session_cookie != server.sign_in("viewer").session_cookie
    # the fixed value never became a session
    r = server.with_cookie(fixed).get("/api/v1/me")
    assert r.status_code == 401, describe(r)


def test_session_cookie_flags(server):
    r = server.anonymous().post_login({
        "login": server.login("viewer"), "password": server.users["viewer"].password})
    value, header = session_cookie_of(r)
    assert value, describe(r)
    flags = [p.strip().lower() for p in header.split(";")[1:]]
    assert "httponly" in flags
    assert "samesite=strict" in flags
    assert "path=/" in flags
    assert len(value) >= 32  # 256-bit random, not guessable


def test_sign_out_clears_the_cookie(server):
    s = server.sign_in("viewer")
    r = s.post("/logout", data={"_csrf": s.csrf}, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    assert server.with_cookie(s.session_cookie).get("/api/v1/me").status_code == 401


# ---- the route table ----------------------------------------------------------------------


def routes():
    out = subprocess.run([BIN, "routes", "--json"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


ROUTES = routes()


@pytest.fixture(scope="module")
def ids(server):
    """A real record id per entity (the first visible to admin), and the
    records the matrix writes to."""
    admin = server.api("admin")
    out = {}
    for ent in ENTITIES:
        items = admin.list(ent, limit=1, sort="id")["items"]
        if items:
            out[ent] = items[0]["id"]
    # an activity, task, recommendation and report in Si Ma Cai to write to
    out["simacai_activity"] = admin.create("activity", activity(server.unit_id(SIMACAI)))["id"]
    out["simacai_incident"] = admin.create("incident", incident(server.unit_id(SIMACAI)))["id"]
    return out


def instantiate(pattern, ids, entity="activity", rid=None):
    """A concrete path for a route pattern: ':' after /api/v1/ or /e/ is an
    entity, after an entity its id; units take a code."""
    segs = pattern.strip("/").split("/")
    out, prev_entity = [], None
    for i, seg in enumerate(segs):
        if seg == ":":
            before = segs[i - 1] if i > 0 else ""
            if prev_entity is not None:
                out.append(str(rid if rid is not None else ids.get(prev_entity, 999999)))
                prev_entity = None
                continue
            if before == "workflow":
                out.append("incident")
                prev_entity = "incident"
                continue
            if before in ("v1", "e"):
                out.append(entity)
                prev_entity = entity
                continue
            if before in ("units", "unit_by_code"):
                out.append(SIMACAI)
                continue
            if before == "files":
                out.append(str(ids.get("attachment", 999999)))
                continue
            if before == "reports":
                out.append(str(ids.get("report", 999999)))
                continue
            if before == "ingest":
                out.append(str(ids.get("ingest_batch", 999999)))
                continue
            if before == "several":
                # the records a parent owns, added several at once
                out.append(OWNED.get(entity, entity))
                continue
            raise AssertionError(f"no value for ':' in {pattern}")
        out.append(seg)
        prev_entity = seg if seg in ENTITIES and i + 1 < len(segs) and segs[i + 1] == ":" \
            else None
    return "/" + "/".join(out)


def test_routes_are_listed():
    patterns = {r["pattern"] for r in ROUTES}
    for p in ("/login", "/api/v1/:", "/api/v1/:/:", "/e/:", "/e/:/:/edit", "/files/:"):
        assert p in patterns
    for r in ROUTES:
        assert r["methods"] and r["pattern"].startswith("/")


STATE_METHODS = {"POST", "PATCH", "PUT", "DELETE"}


def state_changing_html_routes():
    return [(m, r["pattern"]) for r in ROUTES for m in r["methods"]
            if m in STATE_METHODS and "html" in r["flags"] and "public" not in r["flags"]]


def test_every_state_changing_html_route_is_known():
    known = {"/logout", "/e/:/new", "/e/:/:/edit", "/e/:/:/delete", "/e/:/:/status",
             "/e/recommendation/:/answer", "/files", "/grid", "/reports/:/issue",
             "/ingest", "/ingest/:/accept", "/import", "/import/confirm",
             "/e/:/:/several/:", "/admin/units/reorganise",
             "/admin/units/reorganise/apply"}
    found = {p for _, p in state_changing_html_routes()}
    assert found <= known, f"new state-changing routes to probe: {found - known}"
    assert found == known


@pytest.mark.parametrize("method,pattern", state_changing_html_routes())
def test_csrf_required_on_state_changing_html_route(server, ids, method, pattern):
    s = server.sign_in("admin")
    path = instantiate(pattern, ids, entity="person")
    if "recommendation" in pattern:
        path = instantiate(pattern, ids)
    for data in ({}, {"_csrf": "x" * 43}, {"_csrf": server.sign_in("admin").csrf}):
        r = s.request(method, path, data=data, allow_redirects=False)
        assert r.status_code == 403, (data, describe(r))
    # the session is still good, and nothing was signed out or deleted
    assert s.get("/api/v1/me").status_code == 200


def test_csrf_required_on_cookie_api_writes(server, ids):
    s = server.sign_in("admin")
    for method, path in (("POST", "/api/v1/person"), ("PATCH", f"/api/v1/person/{ids['person']}"),
                         ("DELETE", f"/api/v1/person/{ids['person']}"),
                         ("POST", "/api/v1/attachment/upload?owner_entity=person&owner_id=1"),
                         ("DELETE", "/api/v1/session")):
        r = s.request(method, path, json={"full_name": "x"})
        assert r.status_code == 403, describe(r)


# ---- uploads -------------------------------------------------------------------------------

MISMATCHED = [
    ("application/pdf", "x.pdf", b"<html><script>alert(1)</script></html>"),
    ("image/png", "x.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ("image/jpeg", "x.jpg", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "x.docx",
     b"#!/bin/sh\nrm -rf /\n"),
    ("text/html", "x.html", b"<script>alert(1)</script>"),
]


@pytest.mark.parametrize("ctype,filename,body", MISMATCHED)
def test_upload_with_content_not_matching_its_type_is_415(server, ids, ctype, filename, body):
    admin = server.api("admin")
    r = admin.post("/api/v1/attachment/upload",
                   params={"owner_entity": "person", "owner_id": ids["person"],
                           "filename": filename},
                   data=body, headers={"Content-Type": ctype})
    assert r.status_code == 415, describe(r)


# ---- slow clients --------------------------------------------------------------------------


def test_slow_header_client_is_cut_within_the_timeout(server):
    sock = socket.create_connection((server.host, server.port), timeout=5)
    start = time.monotonic()
    cut = None
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    try:
        for ch in head:
            if time.monotonic() - start > SLOW_CAP_S:
                break
            try:
                sock.sendall(bytes([ch]))
            except OSError:
                cut = time.monotonic() - start
                break
            sock.settimeout(1.0)
            try:
                if sock.recv(1024) == b"":
                    cut = time.monotonic() - start
                    break
            except socket.timeout:
                pass
            except OSError:
                cut = time.monotonic() - start
                break
    finally:
        sock.close()
    assert cut is not None, f"connection still open after {SLOW_CAP_S} s"
    assert cut <= HTTP_TIMEOUT_S + 5, cut
    assert server.anonymous().get("/healthz").status_code == 200


# ---- role x endpoint matrix ---------------------------------------------------------------


def concrete(ids):
    """(method, path, route) for every route, every entity for ':' entity slots
    of the generic routes."""
    out = []
    for r in ROUTES:
        generic = r["pattern"].startswith(("/api/v1/:", "/e/:"))
        ents = [e for e in ENTITIES if e in ids] if generic else ["activity"]
        for ent in ents:
            path = instantiate(r["pattern"], ids, entity=ent)
            for m in r["methods"]:
                if m != "HEAD":
                    out.append((m, path, r))
    return out


def test_matrix_anonymous_gets_401_or_sign_in(server, ids):
    anon = server.anonymous()
    bad = []
    for m, path, r in concrete(ids):
        if "public" in r["flags"]:
            continue
        resp = anon.request(m, path, allow_redirects=False)
        if "html" in r["flags"] and "api" not in r["flags"]:
            ok = resp.status_code == 303 and "/login" in resp.headers.get("Location", "")
        elif "api" in r["flags"] and "html" in r["flags"]:
            ok = resp.status_code in (401, 303)
        else:
            ok = resp.status_code == 401
        if not ok:
            bad.append((m, path, resp.status_code))
    assert not bad, bad[:20]


def test_matrix_viewer_reads_but_never_writes(server, ids):
    api = server.api("viewer")
    s = server.sign_in("viewer")
    admin = server.api("admin")
    bad = []
    for m, path, r in concrete(ids):
        if "public" in r["flags"] or path == "/api/v1/session" or path == "/logout":
            continue
        html = "html" in r["flags"] and "api" not in r["flags"]
        c = s if html else api
        body = {}
        mt = re.match(r"^/(?:api/v1|e)/([a-z_]+)(?:/new|/_bulk)?$", path)
        if m == "POST" and mt and mt.group(1) in ids:
            # a valid record (a copy of an existing one), so that the
            # request reaches the permission check past validation
            body = admin.get(f"/api/v1/{mt.group(1)}/{ids[mt.group(1)]}").json()
            for k in ("id", "version", "created_at", "updated_at"):
                body.pop(k, None)
            if path.endswith("/_bulk"):
                body = [body]  # the bulk path takes an array of records
        if html:
            form = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
                    for k, v in body.items()}
            kw = {"data": {"_csrf": s.csrf, **form}}
        else:
            kw = {"json": body}
        resp = c.request(m, path, allow_redirects=False, **kw)
        if m in STATE_METHODS:
            # 404: a record hidden from the viewer is not even named; 422:
            # an empty upload or grid names no record to check the role on
            # (probed with real content below)
            ok = resp.status_code in (403, 404) or (
                resp.status_code == 422 and path in ("/api/v1/attachment/upload", "/files",
                                                     "/grid")) or (
                # a copy of a record may clash with its unique key first
                resp.status_code in (409, 422) and body)
        elif re.match(r"^/(api/v1|e)/(app_user|role_grant|audit_log)(/|$)", path):
            ok = resp.status_code == 403  # admin-only entities
        elif re.match(r"^/e/.*/(new|edit|delete|several/[a-z_]+)$", path):
            # no write forms for a viewer (404: records without forms)
            ok = resp.status_code in (403, 404)
        elif "admin" in r["flags"]:
            ok = resp.status_code == 403
        elif path == "/ingest" or path.startswith("/ingest/"):
            ok = resp.status_code == 403  # proposals are drafts: editors and above
        elif path == "/import" or path.startswith("/import/"):
            ok = resp.status_code == 403  # imports write: editors and above
        else:
            ok = resp.status_code not in (401, 403) and resp.status_code < 500
        if not ok:
            bad.append((m, path, resp.status_code))
    r = api.post("/api/v1/attachment/upload",
                 params={"owner_entity": "person", "owner_id": ids["person"],
                         "filename": "a.pdf"},
                 data=b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
                 headers={"Content-Type": "application/pdf"})
    if r.status_code != 403:
        bad.append(("POST", "upload a real PDF", r.status_code))
    assert not bad, bad[:20]
    # nothing the viewer tried was written
    assert server.api("admin").get(f"/api/v1/person/{ids['person']}").status_code == 200


def test_matrix_editor_of_another_unit_cannot_write_outside_its_scope(server, ids):
    api = server.api("bacha_commune_editor")
    s = server.sign_in("bacha_commune_editor")
    aid = ids["simacai_activity"]
    bad = []
    for m, path, r in concrete(ids):
        if m not in STATE_METHODS or "public" in r["flags"]:
            continue
        if not re.match(r"^/(api/v1|e)/(activity|incident)/\d+(/|$)", path):
            continue
        path = re.sub(r"/activity/\d+", f"/activity/{aid}", path)
        path = re.sub(r"/incident/\d+", f"/incident/{ids['simacai_incident']}", path)
        if path.endswith("/status") and "/activity/" in path:
            continue  # activities have no workflow
        html = "html" in r["flags"] and "api" not in r["flags"]
        c = s if html else api
        kw = {"data": {"_csrf": s.csrf, "title": "x", "status": "done"}} if html \
            else {"json": {"title": "x"}}
        resp = c.request(m, path, allow_redirects=False, **kw)
        if resp.status_code != 403:
            bad.append((m, path, resp.status_code))
    r = api.post("/api/v1/activity", json=activity(server.unit_id(SIMACAI)))
    if r.status_code != 403:
        bad.append(("POST", "/api/v1/activity in Si Ma Cai", r.status_code))
    r = s.post("/e/activity/new", data={"_csrf": s.csrf, **{
        k: str(v) for k, v in activity(server.unit_id(SIMACAI)).items()}},
        allow_redirects=False)
    if r.status_code != 403:
        bad.append(("POST", "/e/activity/new in Si Ma Cai", r.status_code))
    assert not bad, bad
    rec = server.api("admin").get(f"/api/v1/activity/{aid}").json()
    assert rec["version"] == 1 and rec["title"] != "x"


def test_matrix_admin_reaches_every_read_route(server, ids):
    api = server.api("admin")
    s = server.sign_in("admin")
    bad = []
    for m, path, r in concrete(ids):
        if m != "GET":
            continue
        html = "html" in r["flags"] and "api" not in r["flags"]
        resp = (s if html else api).get(path, allow_redirects=False)
        # 400: an endpoint that needs parameters the generic probe does not
        # give; 303: /login sends a signed-in user on; 403: the audit log and
        # the workflow history (written by the system: any workflow move of
        # an earlier test adds a row to probe) are never edited, not even by
        # an admin
        if resp.status_code not in (200, 400) and not (
                resp.status_code == 404 and ("999999" in path)) and not (
                resp.status_code == 303 and path == "/login") and not (
                # records that own nothing take nothing several at once
                resp.status_code == 404 and re.match(r"^/e/([a-z_]+)/\d+/several/", path)
                and re.match(r"^/e/([a-z_]+)/", path).group(1) not in OWNED) and not (
                resp.status_code == 403 and re.match(
                    r"^/e/(audit_log|status_change)/.*(new|edit|delete)$", path)):
            bad.append((m, path, resp.status_code))
    assert not bad, bad[:20]


def test_matrix_admin_writes(server, ids):
    api = server.api("admin")
    s = server.sign_in("admin")
    rec = api.create("activity", activity(server.unit_id(SIMACAI)))
    r = api.patch(f"/api/v1/activity/{rec['id']}", json={"title": unique("Sửa")})
    assert r.status_code == 200, describe(r)
    r = s.post("/e/person/new", data={"_csrf": s.csrf, "full_name": unique("Người mới")},
               allow_redirects=False)
    assert r.status_code == 303, describe(r)
    r = api.delete(f"/api/v1/activity/{rec['id']}")
    assert r.status_code == 204, describe(r)


def test_matrix_confidential_needs_clearance(server):
    admin = server.api("admin")
    rec = admin.create("incident", incident(server.unit_id(SIMACAI), confidential=True))
    rid = rec["id"]
    for key, visible in (("viewer", False), ("secure_viewer", True), ("simacai_editor", False),
                         ("admin", True)):
        api = server.api(key)
        assert api.get(f"/api/v1/incident/{rid}").status_code == (200 if visible else 404)
        listed = rid in [it["id"] for it in api.list("incident", id=rid)["items"]]
        assert listed == visible, key
        s = server.sign_in(key)
        assert s.get(f"/e/incident/{rid}").status_code == (200 if visible else 404), key
        page = s.get("/e/incident", params={"q": rec["title"]}).text
        found = f"/e/incident/{rid}" in page
        assert found == visible, key
