"""POST /api/v1/ENTITY/_bulk (src/api/api.c, src/domain/bulk.c): many records at once,
as CSV or a JSON array, all or nothing, with the validation, permission
check and audit entry per record of POST /api/v1/ENTITY."""
import json

from conftest import activity, assert_error, describe, unique


def audit_of(admin, entity, record_id):
    rows = admin.list("audit_log", entity=entity, record_id=record_id)["items"]
    assert len(rows) == 1, rows
    return rows[0]


def test_json_array_creates_every_record_with_its_audit_entry(server, admin):
    unit = server.unit_id("084")
    recs = [activity(unit), activity(unit, bilateral=True, end_on="2024-03-16")]
    r = admin.post("/api/v1/activity/_bulk", json=recs, headers=admin.csrf_header())
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["imported"] == 2 and body["rejected"] == 0 and body["rows"] == 2
    for rec in recs:
        found = admin.list("activity", q=rec["title"])["items"]
        assert len(found) == 1, found
        entry = audit_of(admin, "activity", found[0]["id"])
        assert entry["action"] == "create"
        after = json.loads(entry["after_json"])
        assert after["title"] == rec["title"] and after["id"] == found[0]["id"]


def test_csv_bad_row_imports_nothing_and_names_line_and_field(server, admin):
    unit = server.unit_id("084")
    good, bad = unique("Tuần tra CSV"), unique("Tuần tra CSV hỏng")
    csv = ("kind,title,start_on,unit_id\n"
           f"patrol,{good},2024-03-15,{unit}\n"
           f"patrol,{bad},2024-13-45,{unit}\n").encode()
    headers = dict(admin.csrf_header(), **{"Content-Type": "text/csv"})
    r = admin.post("/api/v1/activity/_bulk", data=csv, headers=headers)
    assert r.status_code == 422, describe(r)
    body = r.json()
    assert body["error"]["code"] == "invalid"
    assert body["imported"] == 0 and body["rejected"] == 1
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["field"] == "start_on"
    assert admin.list("activity", q=good)["total"] == 0

    r = admin.post("/api/v1/activity/_bulk?skip_invalid=1", data=csv, headers=headers)
    assert r.status_code == 200, describe(r)
    assert r.json()["imported"] == 1
    assert admin.list("activity", q=good)["total"] == 1


def test_permission_is_checked_per_record(server, simacai_editor, admin):
    """An editor of Si Ma Cai may load records of Si Ma Cai, not of
    another district: one record outside refuses the whole load."""
    inside = server.children("084")[0]["id"]
    outside = server.children("083")[0]["id"]
    mine = activity(inside)
    r = simacai_editor.post("/api/v1/activity/_bulk", json=[mine, activity(outside)],
                            headers=simacai_editor.csrf_header())
    assert r.status_code in (403, 422), describe(r)
    assert r.json()["errors"][0]["line"] == 2
    assert admin.list("activity", q=mine["title"])["total"] == 0
    r = simacai_editor.post("/api/v1/activity/_bulk", json=[mine],
                            headers=simacai_editor.csrf_header())
    assert r.status_code == 200, describe(r)
    assert admin.list("activity", q=mine["title"])["total"] == 1


def test_viewer_and_anonymous_cannot_load(server, viewer, anon):
    unit = server.unit_id("084")
    r = viewer.post("/api/v1/activity/_bulk", json=[activity(unit)],
                    headers=viewer.csrf_header())
    # refused before the body is read (issue 13: authorization first)
    assert_error(r, 403, "forbidden")
    assert_error(anon.post("/api/v1/activity/_bulk", json=[activity(unit)]), 401,
                 "unauthorized")


def test_bad_bodies(admin):
    headers = admin.csrf_header()
    assert_error(admin.post("/api/v1/activity/_bulk", json={"a": 1}, headers=headers),
                 400)
    assert_error(admin.post("/api/v1/activity/_bulk", data=b"x",
                            headers=dict(headers, **{"Content-Type": "text/plain"})),
                 415)
    assert_error(admin.post("/api/v1/audit_log/_bulk", json=[{}], headers=headers), 403)
    assert_error(admin.post("/api/v1/nothing/_bulk", json=[], headers=headers), 404)
