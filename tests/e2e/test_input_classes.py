"""The smaller defects of issue 13 (class 8), each as a class over all its
instances - every route of `giapranh routes --json`, every entity, every
form, every CSV/XLSX the server writes, every sign-in path:

  * integer arguments read whole: a query or form argument that is not a
    number answers 400 naming it, never a default (ROUTE_INTEGERS lists the
    integer arguments of every route; a new route must be added to it);
  * the optimistic-locking field of every form (_version) that is not a
    version answers 400 and writes nothing;
  * text input that is not UTF-8 or holds a NUL - path, query string, form
    (urlencoded and multipart), JSON body, CSV (API bulk and CLI import),
    XLSX - answers a 4xx in Vietnamese naming the argument, field or line
    and field, never 503 "out of memory", and writes nothing;
  * every CSV/XLSX written (entity exports, the report's CSV and XLSX):
    no cell a spreadsheet would run as a formula, long texts whole;
  * sign-in throttling, per login and per address, is not reset by a
    success (form and JSON sign-in);
  * /api/v1/me (and the JSON sign-in) lists the user's grants;
  * the sign-in form needs its CSRF token (and cookie).
"""
import csv
import io
import json
import os
import re
import subprocess
import tempfile
import zipfile

import pytest
import requests

from conftest import (BIN, PASSWORD, REPO, SIMACAI, activity, describe, incident,
                      login_form_csrf, post_login, run_cli, set_cookie_headers, unique)
from test_security import ENTITIES, ROUTES, instantiate

# ---- shared ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ids(server):
    """A record id per entity (the first admin sees), and records to write to."""
    admin = server.api("admin")
    out = {}
    for ent in ENTITIES:
        items = admin.list(ent, limit=1, sort="id")["items"]
        if items:
            out[ent] = items[0]["id"]
    unit = server.unit_id(SIMACAI)
    out["person"] = admin.create("person", {"full_name": unique("Người thử lớp 8")})["id"]
    out["incident"] = admin.create("incident", incident(unit))["id"]
    out["activity"] = admin.create("activity", activity(unit))["id"]
    if "recommendation" not in out:
        out["recommendation"] = admin.create("recommendation", {
            "title": unique("Kiến nghị thử"), "unit_id": unit})["id"]
    return out


@pytest.fixture(scope="module")
def browser(server):
    return server.sign_in("admin")


def is_html_route(route):
    return "html" in route["flags"] and "api" not in route["flags"]


def entity_for(pattern):
    """The entity a generic pattern is probed with."""
    if "/status" in pattern:
        return "incident"        # an entity with a workflow
    if pattern.startswith("/e/:/options"):
        return "activity"
    return "person"


def concrete_path(pattern, ids):
    return instantiate(pattern, ids, entity=entity_for(pattern))


def send(server, browser, route, method, *, params=None, form=None, files=None,
         raw=None, headers=None):
    """One request to a route as the admin: by token on API routes, by the
    browser's session (and its CSRF token) on pages."""
    if is_html_route(route):
        s = browser
        if method != "GET" and form is None and raw is None and files is None:
            form = {}
        if form is not None and method != "GET":
            form = {"_csrf": browser.csrf, **form}
        if files is not None:
            files = {"_csrf": (None, browser.csrf), **files}
    else:
        s = server.api("admin")
    return s.request(method, concrete_path(route["pattern"], ids_cache[0]), params=params,
                     data=raw if raw is not None else form, files=files,
                     headers=headers or {}, allow_redirects=False)


ids_cache = [None]


@pytest.fixture(autouse=True)
def _ids_cache(ids):
    ids_cache[0] = ids


def route_methods():
    return [(m, r) for r in ROUTES for m in r["methods"] if m != "HEAD"]


def named_in(r, name):
    """The answer names the argument: in error.fields (JSON) or the page."""
    if "application/json" in r.headers.get("Content-Type", ""):
        err = r.json()["error"]
        return name in (err.get("fields") or {}) and name in err["message"]
    return name in r.text


def vietnamese(text):
    return any(ord(c) > 127 for c in text)


# ---- integer arguments ------------------------------------------------------------------------

TASK_FILTERS = ["meeting_id", "supervision_id", "assignee_org_id", "document_id"]

# (method, pattern) -> [(where, name)]: every integer argument of every
# route ("query" string or "form" body).  Ids in the path are not here: a
# path that names no record is 404.
ROUTE_INTEGERS = {
    ("GET", "/api/v1/unit_by_code/:"): [],
    ("POST", "/api/v1/units/reorganise"): [],
    ("GET", "/admin/units/reorganise"): [],
    # the charts read their four choices as ids (pages_charts.c)
    **{("GET", r): [("query", a) for a in ("target_set", "program", "agreement", "unit")]
       for r in ("/charts", "/charts/data/achievement", "/charts/data/signed",
                 "/charts/data/quantities_agreement", "/charts/data/quantities_unit",
                 "/charts/data/incidents")},
    ("GET", "/map"): [],
    ("GET", "/map/features"): [],
    ("GET", "/notifications"): [("query", "days")],
    ("GET", "/import"): [],
    ("POST", "/import"): [],
    ("POST", "/import/confirm"): [],
    ("GET", "/import/template"): [],
    ("POST", "/admin/units/reorganise"): [],
    ("POST", "/admin/units/reorganise/apply"): [],
    ("GET", "/api/v1/indicator/:/values"): [],
    ("GET", "/api/v1/indicator/:/summary"): [],
    # DHIS2's dataValueSets: identifiers and periods are text, booleans
    # true/false (test_dhis2.py)
    ("GET", "/api/v1/dataValueSets"): [],
    ("GET", "/api/v1/dataValueSets.json"): [],
    ("GET", "/api/v1/dataValueSets.csv"): [],
    ("GET", "/api/v1/dataValueSets.adx"): [],
    ("POST", "/api/v1/dataValueSets"): [],
    ("GET", "/login"): [],
    ("POST", "/login"): [],
    ("POST", "/logout"): [],
    ("POST", "/api/v1/attachment/upload"): [("query", "owner_id")],
    ("POST", "/files"): [("form", "owner_id")],
    ("GET", "/files/:"): [],
    ("GET", "/api/v1/target_set/:/achievement"): [],
    ("GET", "/api/v1/indicator/:/rollup"): [],
    ("GET", "/api/v1/duties/status"): [("query", "year"), ("query", "recipient_org_id")],
    ("GET", "/api/v1/program/:/progress"): [],
    ("GET", "/api/v1/clusters/due"): [("query", "agreement_id")],
    ("GET", "/api/v1/help/evaluation"): [("query", "program_id")],
    ("GET", "/api/v1/tasks/state"): [("query", f) for f in TASK_FILTERS],
    ("GET", "/api/v1/todo"): [],
    ("GET", "/api/v1/agreement/:/exchange"): [],
    ("GET", "/api/v1/workflow/:/:"): [],
    ("GET", "/reports/build"): [("query", "report_id")],
    ("POST", "/api/v1/report/:/issue"): [],
    ("POST", "/reports/:/issue"): [],
    ("GET", "/reports/:/issue"): [],
    ("GET", "/reports"): [],
    ("GET", "/grid"): [("query", "target_set"), ("query", "unit_id"), ("query", "saved"),
                       ("query", "moved")],
    ("POST", "/grid"): [("form", "target_set"), ("form", "unit_id")],
    ("GET", "/todo"): [],
    ("GET", "/follow"): [],
    ("GET", "/timeline"): [("query", "agreement")],
    ("POST", "/e/recommendation/:/answer"): [("form", "_version")],
    ("POST", "/e/:/:/status"): [("form", "_version")],
    ("GET", "/ingest"): [],
    ("POST", "/ingest"): [],
    ("POST", "/ingest/:/accept"): [],
    ("GET", "/ingest/:"): [],
    ("GET", "/api/v1/me"): [],
    ("GET", "/api/v1/openapi.json"): [],
    ("GET", "/api/docs"): [],
    ("GET", "/guide"): [],
    ("GET", "/metrics"): [],
    ("GET", "/api/v1/units/:"): [],
    ("POST", "/api/v1/session"): [],
    ("DELETE", "/api/v1/session"): [],
    ("GET", "/api/v1/:"): [("query", "limit"), ("query", "offset"), ("query", "id")],
    ("POST", "/api/v1/:"): [],
    ("POST", "/api/v1/:/_bulk"): [],
    ("GET", "/api/v1/:/:"): [],
    ("PATCH", "/api/v1/:/:"): [],
    ("DELETE", "/api/v1/:/:"): [],
    ("GET", "/"): [("query", "unit_id")],   # a unit's dashboard
    ("GET", "/search"): [],
    ("GET", "/units/:/dashboard"): [],
    ("GET", "/admin"): [],
    ("GET", "/units"): [("query", "unit")],
    ("GET", "/e/:"): [("query", "offset"), ("query", "id")],
    ("GET", "/e/:/new"): [],
    ("POST", "/e/:/new"): [],
    ("GET", "/e/:/options"): [("query", "unit_id")],  # the picker's current id
    ("GET", "/e/:/pick"): [("query", "id")],  # the record whose name is asked
    ("GET", "/e/:/:"): [("query", "n")],
    ("GET", "/e/:/:/several/:"): [],
    ("POST", "/e/:/:/several/:"): [],
    ("GET", "/e/:/:/edit"): [],
    ("POST", "/e/:/:/edit"): [("form", "_version")],
    ("GET", "/e/:/:/delete"): [],
    ("POST", "/e/:/:/delete"): [("form", "_version")],
}

NOT_INTEGERS = ["abc", "12abc", "1e3", "0x10", "4.5", "--1"]


def test_every_route_has_its_integer_arguments_listed():
    found = {(m, r["pattern"]) for m, r in route_methods()}
    assert found == set(ROUTE_INTEGERS), (
        f"routes to list in ROUTE_INTEGERS: {found - set(ROUTE_INTEGERS)}; "
        f"gone: {set(ROUTE_INTEGERS) - found}")


INTEGER_CASES = [(m, p, where, name) for (m, p), args in ROUTE_INTEGERS.items()
                 for where, name in args]


@pytest.mark.parametrize("method,pattern,where,name", INTEGER_CASES,
                         ids=[f"{m} {p} {n}" for m, p, _, n in INTEGER_CASES])
def test_an_integer_argument_that_is_not_a_number_is_400(server, browser, ids, method,
                                                         pattern, where, name):
    route = [r for m, r in route_methods() if m == method and r["pattern"] == pattern][0]
    admin = server.api("admin")
    watched = {"person": admin.get(f"/api/v1/person/{ids['person']}").json(),
               "incident": admin.get(f"/api/v1/incident/{ids['incident']}").json()}
    for bad in NOT_INTEGERS:
        extra = {name: bad}
        if pattern == "/e/:/options":
            extra["name"] = "unit_id"
        if where == "query":
            r = send(server, browser, route, method, params=extra)
        else:
            r = send(server, browser, route, method, form=extra)
        assert r.status_code == 400, (bad, describe(r))
        assert named_in(r, name), (bad, describe(r))
    # nothing was written meanwhile
    for ent, before in watched.items():
        after = admin.get(f"/api/v1/{ent}/{before['id']}").json()
        assert after["version"] == before["version"], ent


def test_list_limits_are_read_whole_not_as_defaults(server):
    admin = server.api("admin")
    assert admin.list("person", limit="3")["limit"] == 3
    for key in ("limit", "offset"):
        for bad in ("abc", "-1", "3;--", "1e2"):
            r = admin.get("/api/v1/person", params={key: bad})
            assert r.status_code == 400, describe(r)
            assert key in r.json()["error"]["fields"]


def test_a_record_s_routes_refuse_query_arguments_of_every_entity(server, ids):
    """A list refuses a filter on a field it lacks; a record's GET, PATCH and DELETE
    take no query argument at all, and say so (400 naming it) instead of ignoring
    it - after the permission checks (a viewer's PATCH is still 403 first)."""
    admin, viewer = server.api("admin"), server.api("viewer")
    for ent, rid in sorted(ids.items()):
        path = f"/api/v1/{ent}/{rid}"
        r = admin.get(path, params={"q": "x"})
        assert r.status_code == 400, (ent, describe(r))
        assert "tham số 'q'" in r.json()["error"]["message"], (ent, describe(r))
        assert admin.get(path).status_code == 200, ent
    path = f"/api/v1/person/{ids['person']}"
    assert admin.patch(path, params={"full_name": "x"}, json={}).status_code == 400
    assert admin.delete(path, params={"force": "1"}).status_code == 400
    assert admin.get(path).status_code == 200  # nothing was deleted
    assert viewer.patch(path, params={"q": "x"}, json={}).status_code == 403


# ---- the optimistic-locking field of every form ----------------------------------------------

NOT_VERSIONS = ["abc", "", "1.5", "-1", "0", "2abc"]


def editable_entities(server, browser, ids):
    out = []
    for ent in sorted(ENTITIES):
        if ent not in ids:
            continue
        if browser.get(f"/e/{ent}/{ids[ent]}/edit").status_code == 200:
            out.append(ent)
    return out


def test_version_field_of_every_edit_and_delete_form(server, browser, ids):
    admin = server.api("admin")
    ents = editable_entities(server, browser, ids)
    assert len(ents) >= 10, ents
    bad = []
    for ent in ents:
        before = admin.get(f"/api/v1/{ent}/{ids[ent]}").json()
        for action in ("edit", "delete"):
            for v in NOT_VERSIONS:
                r = browser.post(f"/e/{ent}/{ids[ent]}/{action}",
                                 data={"_csrf": browser.csrf, "_version": v},
                                 allow_redirects=False)
                if r.status_code != 400 or "_version" not in r.text:
                    bad.append((ent, action, v, r.status_code))
        after = admin.get(f"/api/v1/{ent}/{ids[ent]}")
        if after.status_code != 200 or after.json()["version"] != before["version"]:
            bad.append((ent, "written", after.status_code))
    assert not bad, bad[:20]


@pytest.mark.parametrize("path_of", ["status", "answer"])
def test_version_field_of_the_workflow_forms(server, browser, ids, path_of):
    admin = server.api("admin")
    ent, rid = ("incident", ids["incident"]) if path_of == "status" else \
        ("recommendation", ids["recommendation"])
    path = f"/e/incident/{rid}/status" if path_of == "status" else \
        f"/e/recommendation/{rid}/answer"
    before = admin.get(f"/api/v1/{ent}/{rid}").json()
    for v in NOT_VERSIONS:
        r = browser.post(path, data={"_csrf": browser.csrf, "_version": v,
                                     "status": "verifying", "response": "Đã trả lời"},
                         allow_redirects=False)
        assert r.status_code == 400, (v, describe(r))
        assert "_version" in r.text
    assert admin.get(f"/api/v1/{ent}/{rid}").json()["version"] == before["version"]


def test_a_stale_version_is_refused_and_a_current_one_saves(server, browser):
    admin = server.api("admin")
    rec = admin.create("person", {"full_name": unique("Phiên bản")})
    path = f"/e/person/{rec['id']}/edit"
    r = browser.post(path, data={"_csrf": browser.csrf, "_version": "1",
                                 "full_name": unique("Sửa lần một")}, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    r = browser.post(path, data={"_csrf": browser.csrf, "_version": "1",
                                 "full_name": unique("Sửa từ bản cũ")}, allow_redirects=False)
    assert r.status_code in (409, 412), describe(r)
    assert admin.get(f"/api/v1/person/{rec['id']}").json()["version"] == 2


# ---- text that is not text: every input path ---------------------------------------------------

BAD_BYTES = {"not-utf8": "%FF%FE", "cut-char": "%E1%BB", "surrogate": "%ED%A0%80",
             "nul": "a%00b"}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_query_arguments_that_are_not_text_on_every_route(server, browser, ids, kind):
    bad = []
    for method, route in route_methods():
        path = concrete_path(route["pattern"], ids)
        if is_html_route(route):
            s, data = browser, ({"_csrf": browser.csrf} if method != "GET" else None)
        else:
            s, data = server.api("admin"), None
        r = s.request(method, path + "?zz=" + BAD_BYTES[kind], data=data,
                      allow_redirects=False)
        if r.status_code != 400 or not named_in(r, "zz") or not vietnamese(r.text):
            bad.append((method, path, r.status_code))
    assert not bad, bad[:20]


def state_changing_html():
    return [(m, r) for m, r in route_methods() if m != "GET" and is_html_route(r)] + \
        [(m, r) for m, r in route_methods() if m == "POST" and r["pattern"] == "/login"]


@pytest.mark.parametrize("kind", sorted(BAD_BYTES) + ["raw-nul"])
def test_form_fields_that_are_not_text_on_every_form(server, browser, ids, kind):
    admin = server.api("admin")
    person = admin.get(f"/api/v1/person/{ids['person']}").json()
    bad = []
    for method, route in state_changing_html():
        path = concrete_path(route["pattern"], ids)
        value = b"a\x00b" if kind == "raw-nul" else BAD_BYTES[kind].encode()
        body = b"_csrf=" + browser.csrf.encode() + b"&full_name=" + value
        r = browser.request(method, path, data=body, allow_redirects=False, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        if r.status_code != 400 or "full_name" not in r.text or not vietnamese(r.text):
            bad.append((method, path, r.status_code))
    assert not bad, bad[:20]
    assert admin.get(f"/api/v1/person/{ids['person']}").json()["version"] == person["version"]


@pytest.mark.parametrize("value", [b"a\xffb", b"a\x00b", b"\xed\xa0\x80"], ids=repr)
def test_multipart_fields_that_are_not_text(server, browser, ids, value):
    before = server.api("admin").list("person", limit=1)["total"]
    for path in ("/e/person/new", "/files", f"/e/person/{ids['person']}/edit"):
        r = browser.post(path, files={"_csrf": (None, browser.csrf),
                                      "full_name": (None, value)}, allow_redirects=False)
        assert r.status_code == 400, (path, describe(r))
        assert "full_name" in r.text
    assert server.api("admin").list("person", limit=1)["total"] == before


def test_an_uploaded_file_name_that_is_not_text(server, browser, ids):
    before = server.api("admin").list("attachment", limit=1)["total"]
    boundary = b"----lop8"
    parts = [(b'name="_csrf"', browser.csrf.encode()), (b'name="owner_entity"', b"person"),
             (b'name="owner_id"', str(ids["person"]).encode()),
             (b'name="file"; filename="t\xffn.txt"\r\nContent-Type: text/plain', b"x")]
    body = b"".join(b"--" + boundary + b"\r\nContent-Disposition: form-data; " + h +
                    b"\r\n\r\n" + v + b"\r\n" for h, v in parts) + b"--" + boundary + b"--\r\n"
    r = browser.post("/files", data=body, allow_redirects=False, headers={
        "Content-Type": "multipart/form-data; boundary=" + boundary.decode()})
    assert r.status_code == 400, describe(r)
    assert "file" in r.text and vietnamese(r.text)
    assert server.api("admin").list("attachment", limit=1)["total"] == before


def test_a_path_that_is_not_utf8_is_400(server):
    r = server.api("admin").get("/api/v1/units/%FF%FE")
    assert r.status_code == 400, describe(r)
    assert vietnamese(r.json()["error"]["message"])


# every route that reads a JSON body
JSON_BODY_ROUTES = [("POST", "/api/v1/:"), ("PATCH", "/api/v1/:/:"), ("POST", "/api/v1/:/_bulk"),
                    ("POST", "/api/v1/session")]


def json_routes():
    out = [(m, r) for m, r in route_methods() if (m, r["pattern"]) in JSON_BODY_ROUTES]
    assert len(out) == len(JSON_BODY_ROUTES)
    return out


def entity_text_fields():
    """A free-text field of each entity (not a structured one: a period or a
    scope refuses other text first) and the entities nobody may write through
    the API (they answer 403 before any body is read: authorization first)."""
    out = json.loads(subprocess.run([BIN, "entities", "--json"], cwd=REPO,
                                    capture_output=True, text=True, check=True).stdout)
    fields, readonly = {}, set()
    for ent in out:
        if ent["readonly"]:
            readonly.add(ent["name"])
        for f in ent["fields"]:
            if f["type"] == "text" and not f["system"] and not f.get("format"):
                fields[ent["name"]] = f["name"]
                break
    return fields, readonly


TEXT_FIELD, READONLY = entity_text_fields()


def test_json_bodies_that_are_not_text_on_every_json_route(server, ids):
    admin = server.api("admin")
    bad = []
    for method, route in json_routes():
        for ent in (sorted(ENTITIES) if route["pattern"] != "/api/v1/session" else [None]):
            if ent is not None and (ent not in ids or ent not in TEXT_FIELD):
                continue
            path = instantiate(route["pattern"], ids, entity=ent or "person")
            field = TEXT_FIELD[ent] if ent else "login"
            body = {field: "x"}
            if route["pattern"].endswith("/_bulk"):
                body = [body]
            raw = json.dumps(body, ensure_ascii=False).encode()
            for bytes_in, status in ((b"\xff\xfe", 400), (b"\\u0000", None)):
                data = raw.replace(b'"x"', b'"a' + bytes_in + b'b"')
                r = admin.request(method, path, data=data,
                                  headers={"Content-Type": "application/json"})
                if ent in READONLY:  # nobody writes it: 403 before the body is read
                    ok = r.status_code == 403
                    if not ok or not vietnamese(r.json().get("error", {}).get("message", "")):
                        bad.append((method, path, bytes_in, r.status_code))
                    continue
                ok = r.status_code in (400, 422) and (status is None or r.status_code == status)
                err = r.json().get("error", {}) if ok else {}
                if not ok or not vietnamese(err.get("message", "")):
                    bad.append((method, path, bytes_in, r.status_code))
                elif status is None and field not in (err.get("fields") or {}):
                    bad.append((method, path, "NUL not named", r.text[:200]))
    assert not bad, bad[:20]


# CSV cells (bulk API and CLI import): (the file's bytes, line, field)
CSV_CASES = [
    ("person", b"full_name,note\nA,x\nB\xff\xfe,y\n", 3, "full_name"),
    ("person", b"full_name,note\nA,x\nB,y\x00z\n", 3, "note"),
    ("person", b"full_name,note\nA,x\nB,\xed\xa0\x80\n", 3, "note"),
    ("person", b"full_name,illustrative\nA,\xff\n", 2, "illustrative"),
    ("person", b"full_name,no\xffte\nA,x\n", 1, None),
    ("person", b"full_name,no\x00te\nA,x\n", 1, None),
    ("activity", b"kind,title,start_on,unit_id\npatrol,T1,2024-03-15,{unit}\n"
                 b"patrol,T2,2024-03-1\xe1\xbb,{unit}\n", 3, "start_on"),
    ("activity", b"kind,title,start_on,unit_id\npatrol,T\x00b,2024-03-15,{unit}\n",
     2, "title"),
]


def csv_case(server, i):
    ent, data, line, field = CSV_CASES[i]
    return ent, data.replace(b"{unit}", str(server.unit_id(SIMACAI)).encode()), line, field


@pytest.mark.parametrize("i", range(len(CSV_CASES)))
def test_csv_bulk_cells_that_are_not_text_name_line_and_field(server, i):
    ent, data, line, field = csv_case(server, i)
    admin = server.api("admin")
    before = admin.list(ent, limit=1)["total"]
    r = admin.post(f"/api/v1/{ent}/_bulk", data=data, headers={"Content-Type": "text/csv"})
    assert r.status_code == 422, describe(r)
    body = r.json()
    assert body["imported"] == 0
    assert any(e["line"] == line and e["field"] == field and vietnamese(e["message"])
               for e in body["errors"]), body
    assert admin.list(ent, limit=1)["total"] == before


def minimal_xlsx(rows):
    """An XLSX file whose first sheet holds rows of inline strings (bytes
    written as they are: the reader must cope with what is not text)."""
    def cell(c, v):
        return (b'<c r="' + c.encode() + b'" t="inlineStr"><is><t>' + v + b"</t></is></c>")
    sheet = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns=' \
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    for i, row in enumerate(rows, 1):
        sheet += b'<row r="%d">' % i + b"".join(
            cell("ABCDEFGH"[j] + str(i), v) for j, v in enumerate(row)) + b"</row>"
    sheet += b"</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                   'schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" '
                   'sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships"><Relation'
                   'ship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


FILE_CASES = [
    ("csv", b"full_name,note\nA,x\nB\xff,y\n", 3, "full_name"),
    ("csv", b"full_name,note\nA,x\nB,y\x00z\n", 3, "note"),
    ("xlsx", [[b"full_name", b"note"], [b"A", b"x"], [b"B\xff", b"y"]], 3, "full_name"),
    ("xlsx", [[b"full_name", b"note"], [b"A", b"x"], [b"B", b"&#xD800;"]], 3, "note"),
    ("xlsx", [[b"full_name", b"no\xffte"], [b"A", b"x"]], 1, None),
]


@pytest.mark.parametrize("i", range(len(FILE_CASES)))
def test_cli_import_of_a_file_with_a_bad_row_names_line_and_field(server, i):
    kind, content, line, field = FILE_CASES[i]
    data = content if kind == "csv" else minimal_xlsx(content)
    before = server.api("admin").list("person", limit=1)["total"]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "nguoi." + kind)
        with open(path, "wb") as f:
            f.write(data)
        p = run_cli(server.db, "import", "person", path, check=False)
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "out of memory" not in out and "bộ nhớ" not in out, out
    assert f":{line}: " in out, out
    if field:
        assert f"trường '{field}'" in out, out
    assert server.api("admin").list("person", limit=1)["total"] == before


# ---- formulas and long texts in every CSV/XLSX written --------------------------------------

FORMULAS = ["=HYPERLINK(\"http://x.example/\",\"Bấm\")", "+84 912 345 678", "-2+3",
            "@SUM(A1:A9)", "=cmd|' /C calc'!A0"]
LONG_TEXT = "ấ" * 60000          # 180,000 bytes: past the old 64 KiB cut


@pytest.fixture(scope="module")
def formula_records(server):
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    prog = admin.create("program", {"name": FORMULAS[0] + unique(""), "unit_id": unit,
                                    "description": LONG_TEXT})
    out = {"program": [prog["id"]], "person": [], "organisation": [], "activity": []}
    for f in FORMULAS:
        out["person"].append(admin.create("person", {"full_name": f + unique(""),
                                                     "note": f})["id"])
        out["organisation"].append(admin.create("organisation", {
            "name": f + unique(""), "kind": "peoples_committee"})["id"])
        out["activity"].append(admin.create("activity", activity(
            unit, title=f + unique(""), description=f, program_id=prog["id"]))["id"])
    # a target set: its group and indicator names are the report's rows
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu công thức"), "unit_id": unit,
                                      "term_start": 2021, "term_end": 2025})
    grp = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                        "name": FORMULAS[1] + " nhóm"})
    admin.create("indicator", {"target_group_id": grp["id"], "code": "F1",
                               "name": FORMULAS[0] + " chỉ tiêu", "direction": "higher",
                               "value_kind": "number", "unit_of_measure": FORMULAS[3]})
    out["target_set"] = [ts["id"]]
    return out


NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def unguarded(cell):
    # a number is a number (a growth rate of -2, a lower bound of -10), which
    # a spreadsheet reads as such: only text is guarded
    if NUMBER.fullmatch(cell):
        return False
    return cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and cell[1:2] not in
                                                       ("", " "))


def test_every_entity_export_guards_formulas_and_keeps_long_texts(server, formula_records):
    bad = []
    for ent in sorted(ENTITIES):
        p = run_cli(server.db, "export", ent, check=False)
        if p.returncode != 0:
            bad.append((ent, "export failed", p.stderr[:200]))
            continue
        rows = list(csv.reader(io.StringIO(p.stdout)))
        for row in rows[1:]:
            for cell in row:
                if unguarded(cell):
                    bad.append((ent, cell[:40]))
        if ent in formula_records and ent != "target_set":
            guarded = [c for row in rows[1:] for c in row if c.startswith("'")]
            assert len(guarded) >= len(formula_records[ent]), (ent, guarded[:5])
        if ent == "program":
            assert any(c == LONG_TEXT for row in rows for c in row), "long text cut"
    assert not bad, bad[:20]


def test_report_csv_and_xlsx_never_write_a_formula(server, formula_records):
    admin = server.api("admin")
    base = f"/reports/build?scope=target_set:{formula_records['target_set'][0]}&period=2024"
    r = admin.get(base + "&format=csv")
    assert r.status_code == 200, describe(r)
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if unguarded(c)], [c for c in cells if unguarded(c)][:5]
    for f in (FORMULAS[0] + " chỉ tiêu", FORMULAS[1] + " nhóm", FORMULAS[3]):
        assert "'" + f in cells, (f, cells[:40])
    r = admin.get(base + "&format=xlsx")
    assert r.status_code == 200, describe(r)
    z = zipfile.ZipFile(io.BytesIO(r.content))
    xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml and "<f " not in xml   # no formula cell at all
    assert "HYPERLINK(" in xml                      # the text is there, as text


# ---- sign-in throttling is not reset by a success -----------------------------------------------

WRONG = "sai-mat-khau-lop-8"


def attempt(server, how, ip, login, password):
    s = server.anonymous(source_ip=ip)
    if how == "form":
        r = s.post_login({"login": login, "password": password})
        return {303: "ok", 429: "throttled"}.get(r.status_code, r.status_code)
    r = s.post("/api/v1/session", json={"login": login, "password": password})
    return {200: "ok", 429: "throttled"}.get(r.status_code, r.status_code)


@pytest.fixture(scope="module")
def throttle_logins(server):
    out = {}
    for key in ("addr_form", "addr_json", "login_form", "login_json"):
        login = f"e2e_class8_{key}"
        run_cli(server.db, "user", "add", "--login", login, "--role", "viewer",
                stdin=PASSWORD + "\n")
        out[key] = login
    return out


THROTTLE_CASES = [("address", "form", "127.0.2.1"), ("address", "json", "127.0.2.2"),
                  ("login", "form", "127.0.2.10"), ("login", "json", "127.0.2.30")]


@pytest.mark.parametrize("scope,how,ip", THROTTLE_CASES,
                         ids=[f"{s}-{h}" for s, h, _ in THROTTLE_CASES])
def test_a_success_does_not_reset_the_throttle(server, throttle_logins, scope, how, ip):
    login = throttle_logins[f"{'addr' if scope == 'address' else 'login'}_{how}"]
    if scope == "address":
        # password spraying from one address: five logins tried, one right
        for i in range(5):
            assert attempt(server, how, ip, f"khong_co_{how}_{i}", WRONG) != "ok"
        assert attempt(server, how, ip, login, PASSWORD) == "ok"
        attempt(server, how, ip, f"khong_co_{how}_5", WRONG)      # the sixth failure
        assert attempt(server, how, ip, login, PASSWORD) == "throttled"
    else:
        # guesses at one login from many addresses, its owner signing in between
        base = [int(x) for x in ip.split(".")]
        ips = [f"127.0.2.{base[3] + k}" for k in range(9)]
        for k in range(5):
            attempt(server, how, ips[k], login, WRONG)
        assert attempt(server, how, ips[5], login, PASSWORD) == "ok"
        attempt(server, how, ips[6], login, WRONG)                  # the sixth failure
        assert attempt(server, how, ips[7], login, PASSWORD) == "throttled"


# ---- /api/v1/me ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key,role,unit,clearance", [
    ("admin", "admin", None, True), ("viewer", "viewer", None, False),
    ("secure_viewer", "viewer", None, True), ("simacai_editor", "editor", SIMACAI, False),
])
def test_me_lists_the_grants(server, key, role, unit, clearance):
    for how in ("token", "json sign-in"):
        if how == "token":
            body = server.api(key).get("/api/v1/me").json()
        else:
            r = server.anonymous().post("/api/v1/session", json={
                "login": server.login(key), "password": server.users[key].password})
            assert r.status_code == 200, describe(r)
            body = r.json()["user"]
        assert body["login"] == server.login(key)
        assert len(body["grants"]) == 1, (how, body)
        g = body["grants"][0]
        assert g["role"] == role and g["security_clearance"] == clearance, (how, g)
        if unit:
            assert g["unit_id"] == server.unit_id(unit) and not g["national"], g
        else:
            assert g["unit_id"] is None and g["national"], g


# ---- the sign-in form's CSRF token ----------------------------------------------------------------


def login_cookie(r):
    for h in set_cookie_headers(r):
        m = re.match(r"\s*gp_login=([^;]*)(.*)", h)
        if m:
            return m.group(1), [p.strip().lower() for p in m.group(2).split(";") if p.strip()]
    return None, []


def test_sign_in_form_carries_a_token_and_its_cookie(server):
    r = server.anonymous().get("/login")
    token = login_form_csrf(r.text)
    value, flags = login_cookie(r)
    assert token and value == token, describe(r)
    assert len(token) >= 43
    assert "httponly" in flags and "samesite=strict" in flags and "path=/login" in flags


def forged_sign_ins(server):
    """(name, session, form): posts a login CSRF attack could make."""
    creds = {"login": server.login("viewer"), "password": PASSWORD}
    victim = server.anonymous()
    mine = login_form_csrf(victim.get("/login").text)
    other = server.anonymous()
    theirs = login_form_csrf(other.get("/login").text)
    bare = server.anonymous()
    cookie_only = server.anonymous()
    cookie_only.get("/login")
    token_only = server.anonymous()
    return [
        ("no token, no cookie", bare, creds),
        ("cookie, no token", cookie_only, creds),
        ("token, no cookie", token_only, {**creds, "_csrf": mine}),
        ("another browser's token", victim, {**creds, "_csrf": theirs}),
        ("empty token", victim, {**creds, "_csrf": ""}),
    ]


def test_a_sign_in_without_its_token_is_refused(server):
    for name, s, form in forged_sign_ins(server):
        r = s.post("/login", data=form, allow_redirects=False)
        assert r.status_code == 403, (name, describe(r))
        assert not any(h.strip().startswith("gp_session=") for h in set_cookie_headers(r)), name
        assert vietnamese(r.text) and login_form_csrf(r.text), name
    # the real form still signs in
    r = post_login(requests.Session(), server.base, {"login": server.login("viewer"),
                                                     "password": PASSWORD})
    assert r.status_code == 303, describe(r)
