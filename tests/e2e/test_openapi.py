"""The OpenAPI 3.1 document (GET /api/v1/openapi.json, src/api/api_openapi.c)
and the API agree (issue 18, part 1).

  * every route of `giapranh routes --json` under /api/ or flagged api is in
    the document, each of its methods an operation, and the generic routes
    once per entity of `giapranh entities --json` (a route added without
    its line in specials[] fails here);
  * every entity schema carries each field with its type, limits, choices
    and Vietnamese label as the registry says;
  * a contract replay against a server of its own: every special endpoint,
    and every entity's list, get, create, patch (If-Match), delete and
    _bulk (JSON and CSV), plus their main refusals (401, 404, 412, 422) -
    each request must match an operation of the document (path, query
    arguments, body) and each answer must have a status the operation
    lists and a body its schema accepts (python3-jsonschema, draft 2020-12).
The document is linted by a real OpenAPI linter in make test
(tests/openapi/lint.sh, @redocly/cli).
"""
import json
import os
import re
import subprocess
import tempfile
import urllib.parse

import pytest
import requests

from contract import Contract, path_regex
from conftest import BIN, REPO, _fresh_db, demo_server, describe, unique

METHODS = ("get", "post", "patch", "put", "delete")
GENERIC = {"/api/v1/:": ("get", "post"), "/api/v1/:/_bulk": ("post",),
           "/api/v1/:/:": ("get", "patch", "delete")}


def cli_json(*args):
    out = subprocess.run([BIN, *args], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


ROUTES = cli_json("routes", "--json")
ENTITIES = cli_json("entities", "--json")
DOC = cli_json("openapi")


def described(pattern):
    """The routes the document must describe."""
    return [r for r in ROUTES
            if pattern(r) and (r["pattern"].startswith("/api/") or "api" in r["flags"])]


def test_served_document_is_the_generated_one(server):
    r = requests.get(server.base + "/api/v1/openapi.json", timeout=60)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == DOC
    assert DOC["openapi"] == "3.1.0"


def test_docs_page_loads_the_local_renderer_without_inline_script(server):
    r = requests.get(server.base + "/api/docs", timeout=60)
    assert r.status_code == 200, describe(r)
    page = r.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip()
                           for attrs, body in scripts), page
    assert 'data-url="/api/v1/openapi.json"' in page
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        a = requests.get(server.base + src, timeout=60)
        assert a.status_code == 200 and len(a.content) > 100, describe(a)


def test_every_api_route_is_described():
    missing = []
    for r in described(lambda r: r["pattern"] not in GENERIC):
        regex = path_regex(r["pattern"].replace(":", "{x}"))
        items = [item for path, item in DOC["paths"].items() if regex.match(path)
                 or path_regex(path).match(r["pattern"].replace(":", "x"))]
        for m in r["methods"]:
            if m == "HEAD":
                continue
            if not any(m.lower() in item for item in items):
                missing.append(f"{m} {r['pattern']}")
    for r in described(lambda r: r["pattern"] in GENERIC):
        for ent in ENTITIES:
            path = r["pattern"].replace(":", ent["name"], 1).replace(":", "{id}")
            for m in r["methods"]:
                if m == "HEAD" or (ent["readonly"] and m != "GET"):
                    continue
                if m.lower() not in DOC["paths"].get(path, {}):
                    missing.append(f"{m} {path}")
    assert not missing, "routes the OpenAPI document does not describe " \
        "(add them to specials[] in src/api/api_openapi.c): " + ", ".join(missing)
    # and nothing described that is no route
    patterns = [path_regex(r["pattern"].replace(":", "{x}")) for r in ROUTES]
    for path in DOC["paths"]:
        concrete = re.sub(r"\{[^/]+\}", "1", path)
        assert any(p.match(concrete) or p.match(path) for p in patterns), path


def test_every_error_answer_has_the_error_shape():
    err = DOC["components"]["schemas"]["_error"]
    assert err["required"] == ["error"]
    assert set(err["properties"]["error"]["properties"]) == {"code", "message", "fields"}
    for path, item in DOC["paths"].items():
        for m in METHODS:
            if m not in item:
                continue
            op = item[m]
            statuses = [int(s) for s in op["responses"]]
            assert [s for s in statuses if s < 400], (m, path)
            assert {500, 503} <= set(statuses), (m, path)
            for s in statuses:
                if s >= 400:
                    assert op["responses"][str(s)] == \
                        {"$ref": f"#/components/responses/{s}"}, (m, path, s)


def test_entity_schemas_follow_the_registry():
    schemas = DOC["components"]["schemas"]
    types = {"integer": "integer", "decimal": "number", "boolean": "boolean",
             "date": "string", "text": "string", "catalog": "string", "enum": "string",
             "reference": "integer"}
    secret = set()
    for ent in ENTITIES:
        rec = schemas[ent["name"]]
        assert rec["title"] == ent["label"]
        assert {"id", "version"} <= set(rec["required"])
        for f in ent["fields"]:
            if f["name"] not in rec["properties"]:
                secret.add((ent["name"], f["name"]))  # never leaves the server
                continue
            s = rec["properties"][f["name"]]
            t = s["type"] if isinstance(s["type"], str) else s["type"][0]
            assert t == types[f["type"]], (ent["name"], f["name"], s)
            assert s["title"] and s["description"].startswith(f["label"])
            assert s["title"] == f["label"]
            if f["type"] == "date":
                assert s["format"] == "date"
            if f["type"] in ("text", "catalog") and f["max"]:
                assert s["maxLength"] == f["max"], (ent["name"], f["name"])
            if f["type"] in ("integer", "decimal") and f["min"] < f["max"]:
                assert (s["minimum"], s["maximum"]) == (f["min"], f["max"])
            if f["type"] == "enum":
                assert s["enum"] and set(s["x-enum-labels"]) == \
                    {c for c in s["enum"] if c is not None}
        if ent["readonly"]:
            assert ent["name"] + "_create" not in schemas
            continue
        create = schemas[ent["name"] + "_create"]
        required = {f["name"] for f in ent["fields"] if f["required"] and not f["system"]}
        assert set(create.get("required", [])) == required, ent["name"]
        assert "required" not in schemas[ent["name"] + "_patch"]
        for f in ent["fields"]:
            # a secret that is not the system's is write-only: in the
            # create and patch bodies (writeOnly), never in a record
            assert (f["name"] in create["properties"]) == \
                (not f["system"] and ((ent["name"], f["name"]) not in secret or
                                      f.get("secret", False))), f
            if f.get("secret") and not f["system"]:
                assert create["properties"][f["name"]]["writeOnly"] is True
    # password hashes and webhooks' keys only
    assert secret == {(e["name"], f["name"]) for e in ENTITIES for f in e["fields"]
                      if f.get("secret")}, secret
    assert len(secret) <= 2, secret

def test_every_list_describes_each_filter_operator():
    for ent in ENTITIES:
        params = {p.get("name") for p in DOC["paths"][f"/api/v1/{ent['name']}"]["get"]
                  ["parameters"] if "name" in p}
        fields = DOC["components"]["schemas"][ent["name"]]["properties"]
        for f in [x["name"] for x in ent["fields"] if x["name"] in fields] + ["id"]:
            for suffix in ("", "__gte", "__lte", "__gt", "__lt", "__ne", "__null"):
                assert f + suffix in params, (ent["name"], f + suffix)


# ---- the contract replay ---------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_server():
    with tempfile.TemporaryDirectory(prefix="giapranh-openapi-") as tmp:
        with demo_server(tmp, _fresh_db(tmp, "_openapi")) as srv:
            yield srv


@pytest.fixture(scope="module")
def contract():
    return Contract(DOC)


def client(server, contract, key=None):
    s = server.api(key) if key else server.anonymous()
    s.hooks["response"].append(lambda r, *a, **kw: contract.check(r))
    return s


def body_from(ent, rec):
    """A create body: the writable fields of an existing record, unique
    text made unique."""
    out = {}
    for f in ent["fields"]:
        v = rec.get(f["name"])
        if f["system"] or v is None:
            continue
        if f["type"] == "text" and not f["format"] and isinstance(v, str) and \
                (f["unique"] or ent["unique"]):
            v = (unique("x")[-20:] + v)[: int(f["max"]) if f["max"] else None]
        out[f["name"]] = v
    return out


def test_contract_of_every_entity(contract_server, contract):
    admin = client(contract_server, contract, "admin")
    anon = client(contract_server, contract)
    created, why = [], {}
    for ent in ENTITIES:
        name = ent["name"]
        base = f"/api/v1/{name}"
        lst = admin.get(base, params={"limit": "1", "sort": "-id"})
        assert lst.status_code == 200, describe(lst)
        admin.get(base, params={"limit": "abc"})                       # 400
        anon.get(base)                                                 # 401
        admin.get(f"{base}/999999999")                                 # 404
        admin.get(base, params={"id__gte": "1", "id__null": "0", "q": "a", "offset": "0"})
        items = lst.json()["items"]
        if items:
            g = admin.get(f"{base}/{items[0]['id']}")
            assert g.status_code == 200, describe(g)
        if ent["readonly"]:
            continue
        admin.post(base, data=b"{", headers={"Content-Type": "application/json"})  # 400
        admin.post(base, json={"illustrative": "no"})                  # 422
        if not items:
            why[name] = "no record to copy"
            continue
        body = body_from(ent, items[0])
        r = admin.post(base, json=body)
        for _ in range(3):
            if r.status_code == 422:
                # a later workflow state is no initial one, a locked
                # value...: start over without what was refused
                schema = DOC["components"]["schemas"][name + "_create"]["properties"]
                for k in (r.json()["error"].get("fields") or {}):
                    if "enum" in schema.get(k, {}):
                        body[k] = schema[k]["enum"][0]  # the first state
                    else:
                        body.pop(k, None)
            elif r.status_code == 409:
                # a key taken: every free text made unique, numbers moved on
                for f in ent["fields"]:
                    if f["type"] == "text" and not f["format"] and f["name"] in body:
                        body[f["name"]] = unique("k")[-int(min(f["max"] or 30, 30)):]
                    elif f["type"] == "integer" and isinstance(body.get(f["name"]), int):
                        body[f["name"]] = int(f["max"]) - len(created) \
                            if f["min"] < f["max"] else body[f["name"]] + 1000 + len(created)
            else:
                break
            r = admin.post(base, json=body)
        if r.status_code != 201:
            why[name] = f"{r.status_code} {r.text[:150]}"
            continue
        rec = r.json()
        created.append(name)
        url = f"{base}/{rec['id']}"
        admin.patch(url, json={}, headers={"If-Match": '"999"'})       # 412
        p = admin.patch(url, json={}, headers={"If-Match": f'"{rec["version"]}"'})
        assert p.status_code == 200, describe(p)
        d = admin.delete(url)
        assert d.status_code in (204, 409), describe(d)
        # the same record through _bulk, as JSON and as CSV
        b = admin.post(f"{base}/_bulk", json=[body_from(ent, rec)])
        assert b.status_code in (200, 409, 422), describe(b)
        header = [k for k in body if not isinstance(body[k], (dict, list))]
        csv = ",".join(header) + "\n" + ",".join(
            '"' + str(body_from(ent, rec).get(k, "")).replace('"', '""') + '"'
            if not isinstance(body.get(k), bool) else ("1" if body[k] else "0")
            for k in header) + "\n"
        admin.post(f"{base}/_bulk", data=csv.encode(),
                   headers={"Content-Type": "text/csv"})
    assert not contract.problems, "\n".join(contract.problems[:40])
    writable = [e["name"] for e in ENTITIES if not e["readonly"]]
    # most entities round-trip (a few have no demo record to copy, or
    # one that only a workflow move reaches)
    # most entities round-trip; the others have no demo record to copy,
    # or a key of references only (unit_lineage)
    assert len(created) >= len(writable) * 2 // 3, why


SPECIAL_CALLS = [
    ("get", "/api/v1/me", {}), ("get", "/api/v1/units/084", {"date": "2024-05-01"}),
    ("get", "/api/v1/units/99999", {}), ("get", "/api/v1/unit_by_code/084", {}),
    ("get", "/api/v1/indicator/1/values", {"period": "2024"}),
    ("get", "/api/v1/indicator/1/values", {}),
    ("get", "/api/v1/indicator/1/summary", {"period": "2024", "unit": "084"}),
    ("get", "/api/v1/target_set/1/achievement", {}),
    ("get", "/api/v1/target_set/999999/achievement", {}),
    ("get", "/api/v1/indicator/1/rollup", {"unit": "084"}),
    ("get", "/api/v1/duties/status", {"year": "2024"}),
    ("get", "/api/v1/duties/status", {}),
    ("get", "/api/v1/program/1/progress", {}), ("get", "/api/v1/clusters/due", {}),
    ("get", "/api/v1/help/evaluation", {"program_id": "1"}),
    ("get", "/api/v1/tasks/state", {"as_of": "2024-01-01"}),
    ("get", "/api/v1/todo", {}), ("get", "/api/v1/agreement/1/exchange", {}),
    ("get", "/api/v1/workflow/agreement/1", {}),
    ("get", "/reports/build", {"scope": "program:1", "format": "json"}),
    ("get", "/reports/build", {"scope": "program:1", "format": "xls"}),
    ("get", "/api/v1/openapi.json", {}), ("get", "/api/docs", {}),
    ("get", "/metrics", {}), ("get", "/files/999999", {}),
    ("post", "/api/v1/report/999999/issue", {}),
    # DHIS2 dataValueSets (test_dhis2.py has the values themselves)
    ("get", "/api/v1/dataValueSets", {"dataSet": "khong-co", "period": "2023",
                                      "orgUnit": "084"}),
    ("get", "/api/v1/dataValueSets.json", {"dataSet": "khong-co", "period": "2023W5",
                                           "orgUnit": "084"}),
    ("get", "/api/v1/dataValueSets.csv", {"dataSet": "khong-co", "period": "2023",
                                          "orgUnit": "084", "children": "true"}),
    ("get", "/api/v1/dataValueSets.adx", {"period": "2023", "orgUnit": "084"}),
    ("post", "/api/v1/dataValueSets", {"dryRun": "true"}),
]


def test_contract_of_every_special_endpoint(contract_server, contract):
    admin = client(contract_server, contract, "admin")
    viewer = client(contract_server, contract, "viewer")
    anon = client(contract_server, contract)
    for method, path, params in SPECIAL_CALLS:
        r = admin.request(method, path, params=params)
        assert r.status_code < 500, describe(r)
    r = admin.post("/api/v1/dataValueSets", json={"dataValues": [
        {"dataElement": "khong-co", "period": "2023", "orgUnit": "084", "value": "1"}]},
        params={"dryRun": "true", "importStrategy": "CREATE", "idScheme": "code"})
    assert r.status_code == 200 and r.json()["conflicts"], describe(r)   # the summary
    viewer.post("/api/v1/dataValueSets", json={"dataValues": []})      # 403
    viewer.get("/metrics")                                             # 403
    anon.get("/api/v1/me")                                             # 401
    anon.get("/api/v1/openapi.json")                                   # public
    person = admin.get("/api/v1/person", params={"limit": "1"}).json()["items"][0]
    up = admin.post("/api/v1/attachment/upload", data=b"%PDF-1.4\n%\xe2\xe3\n",
                    params={"owner_entity": "person", "owner_id": str(person["id"]),
                            "filename": "a.pdf"},
                    headers={"Content-Type": "application/pdf"})
    assert up.status_code in (201, 422), describe(up)
    if up.status_code == 201:
        admin.get(f"/files/{up.json()['id']}")
    # a reorganisation of units (CSV): a preview (nothing written), a bad
    # file (422, every bad cell listed), a viewer (403)
    reorg = ("record,code,name,type,level,parent_code,predecessor_code,kind,"
             "effective_on,legal_basis\nunit,99001,Xã Mới,Xã,2,15,,,2026-06-01,\n"
             "lineage,99001,,,,,02680,rename,2026-06-01,Nghị quyết số 1/NQ-UBTVQH15\n")
    for who, text, params, status in ((admin, reorg, {}, 200),
                                      (admin, reorg, {"apply": "0"}, 200),
                                      (admin, "record\nunit\n", {"apply": "1"}, 422),
                                      (viewer, reorg, {}, 403)):
        r = who.post("/api/v1/units/reorganise", params=params, data=text.encode(),
                     headers={"Content-Type": "text/csv"})
        assert r.status_code == status, describe(r)
    # a session over JSON: in, out, and a wrong password
    s = client(contract_server, contract)
    u = contract_server.users["viewer"]
    r = s.post("/api/v1/session", json={"login": u.login, "password": u.password})
    assert r.status_code == 200, describe(r)
    r = s.delete("/api/v1/session", headers={"X-CSRF-Token": r.json()["csrf"]})
    assert r.status_code == 204, describe(r)
    s.post("/api/v1/session", json={"login": u.login})                 # 422
    assert not contract.problems, "\n".join(contract.problems[:40])
    # every special operation was replayed
    specials = {(m, p) for p, item in DOC["paths"].items() for m in METHODS
                if m in item and "khác" in item[m].get("tags", [])}
    seen = {(m, p) for m, p, _ in contract.seen}
    assert specials <= seen, sorted(specials - seen)
