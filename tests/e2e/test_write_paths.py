"""One write path (issue 14, point 5): every way a record is written - the
API (POST, PATCH, DELETE), `_bulk` (JSON and CSV), `giapranh import`, the
record forms, the grid - goes through records.c's steps (docs/ARCHITECTURE.md,
"Writes"), so every class of rejection is answered on each of them, and
nothing is written.

The table below is every (path, class) that applies: the status each path
answers (the API's error code too), checked with what the database holds
after.  The classes: an invalid field, no right to write the record, a
locked (approved) record, a workflow move not in the table, a stale
version.  Ingest acceptance writes through workflow_create/records_update
as the grid does (tests/e2e/test_workflow.py, test_ingest.py)."""
import csv
import io
import json
import os

import pytest

from conftest import SIMACAI, assert_error, describe, run_cli, unique

STEPS = [0]


def period():
    """A month of its own (a value's key is indicator, unit, period)."""
    STEPS[0] += 1
    k = (os.getpid() % 400) * 300 + STEPS[0]
    return f"{1900 + k // 12 % 200}-{k % 12 + 1:02d}"


@pytest.fixture(scope="module")
def world(server):
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu đường ghi"),
                                     "unit_id": unit, "term_start": 2021, "term_end": 2025})
    g = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": unique("Nhóm đường ghi")})
    ind = admin.create("indicator", {"target_group_id": g["id"],
                                     "name": unique("Chỉ tiêu đường ghi"),
                                     "direction": "higher", "value_kind": "number"})
    return {"unit": unit, "ts": ts["id"], "ind": ind["id"]}


def value(world, per, **over):
    v = {"indicator_id": world["ind"], "unit_id": world["unit"], "period": per,
         "actual": 7, "status": "draft"}
    v.update(over)
    return v


def stored(server, world, per):
    items = server.api("admin").list("indicator_value", indicator_id=world["ind"],
                                     period=per)["items"]
    return items[0] if items else None


def made(server, world, status="draft"):
    """A value of Si Ma Cai in status, moved there by the admin."""
    admin = server.api("admin")
    per = period()
    rec = admin.create("indicator_value", value(world, per))
    # version 2 at least: the version before it is a stale one
    r = admin.patch(f"/api/v1/indicator_value/{rec['id']}", json={"comment": "lần một"})
    assert r.status_code == 200, describe(r)
    for st in {"draft": [], "submitted": ["submitted"],
               "approved": ["submitted", "approved"]}[status]:
        r = admin.patch(f"/api/v1/indicator_value/{rec['id']}", json={"status": st})
        assert r.status_code == 200, describe(r)
    return stored(server, world, per)


# ---- what each class sends ------------------------------------------------------

# (who writes, what the new record is) for a create of each class
CREATE = {
    "invalid": ("simacai_editor", {"actual": "nhiều lắm"}),
    "no_right": ("bacha_commune_editor", {}),
    "bad_move": ("simacai_editor", {"status": "approved"}),
}
# (who, the record's state, the change, the version sent: None the current,
# OLD the one before it)
OLD = "old"
UPDATE = {
    "invalid": ("simacai_editor", "draft", {"actual": "nhiều lắm"}, None),
    "no_right": ("bacha_commune_editor", "draft", {"actual": 9}, None),
    "locked": ("simacai_editor", "approved", {"actual": 9}, None),
    "bad_move": ("simacai_editor", "draft", {"status": "approved"}, None),
    "stale": ("simacai_editor", "draft", {"actual": 9}, OLD),
}
DELETE = {
    "no_right": ("bacha_commune_editor", "draft", None),
    "locked": ("simacai_editor", "approved", None),
    "stale": ("simacai_editor", "draft", OLD),
}


def _csv(rec):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rec))
    w.writeheader()
    w.writerow(rec)
    return out.getvalue()


# ---- the paths ------------------------------------------------------------------

def create_api(server, world, who, rec):
    return server.api(who).post("/api/v1/indicator_value", json=rec)


def create_bulk_json(server, world, who, rec):
    return server.api(who).post("/api/v1/indicator_value/_bulk", json=[rec])


def create_bulk_csv(server, world, who, rec):
    return server.api(who).post("/api/v1/indicator_value/_bulk", data=_csv(rec).encode(),
                                headers={"Content-Type": "text/csv"})


def create_form(server, world, who, rec):
    s = server.sign_in(who)
    return s.post("/e/indicator_value/new",
                  data={"_csrf": s.csrf, **{k: str(v) for k, v in rec.items()}},
                  allow_redirects=False)


def grid_post(server, who, world, per, action, actual):
    s = server.sign_in(who)
    ind = world["ind"]
    data = {"_csrf": s.csrf, "target_set": str(world["ts"]), "unit": SIMACAI,
            "period": per, "action": action, f"t{ind}": "10", f"a{ind}": actual,
            f"c{ind}": ""}
    return s.post("/grid", data=data, allow_redirects=False)


def create_grid(server, world, who, rec):
    return grid_post(server, who, world, rec["period"], rec["status"], str(rec["actual"]))


def sent_version(rec, version):
    return rec["version"] - 1 if version == OLD else version


def update_api(server, world, who, rec, change, version):
    version = sent_version(rec, version)
    h = {"If-Match": f'"{version}"'} if version is not None else {}
    return server.api(who).patch(f"/api/v1/indicator_value/{rec['id']}", json=change,
                                 headers=h)


def update_form(server, world, who, rec, change, version):
    s = server.sign_in(who)
    version = sent_version(rec, version)
    data = {"_csrf": s.csrf, "_version": str(rec["version"] if version is None else version)}
    data.update({k: str(v) for k, v in change.items()})
    return s.post(f"/e/indicator_value/{rec['id']}/edit", data=data, allow_redirects=False)


def update_grid(server, world, who, rec, change, version):
    return grid_post(server, who, world, rec["period"], change.get("status", "draft"),
                     str(change.get("actual", rec["actual"])))


def delete_api(server, world, who, rec, version):
    version = sent_version(rec, version)
    h = {"If-Match": f'"{version}"'} if version is not None else {}
    return server.api(who).delete(f"/api/v1/indicator_value/{rec['id']}", headers=h)


def delete_form(server, world, who, rec, version):
    s = server.sign_in(who)
    version = sent_version(rec, version)
    data = {"_csrf": s.csrf, "_version": str(rec["version"] if version is None else version)}
    return s.post(f"/e/indicator_value/{rec['id']}/delete", data=data,
                  allow_redirects=False)


# (path, class) -> (status, API error code or None for a page)
CREATES = {
    ("api", "invalid"): (422, "invalid"), ("api", "no_right"): (403, "forbidden"),
    ("api", "bad_move"): (422, "invalid"),
    ("bulk_json", "invalid"): (422, "invalid"), ("bulk_json", "no_right"): (403, "forbidden"),
    ("bulk_json", "bad_move"): (422, "invalid"),
    ("bulk_csv", "invalid"): (422, "invalid"), ("bulk_csv", "no_right"): (403, "forbidden"),
    ("bulk_csv", "bad_move"): (422, "invalid"),
    ("form", "invalid"): (422, None), ("form", "no_right"): (403, None),
    ("form", "bad_move"): (422, None),
    ("grid", "invalid"): (422, None), ("grid", "no_right"): (403, None),
    ("grid", "bad_move"): (422, None),
}
CREATE_PATHS = {"api": create_api, "bulk_json": create_bulk_json,
                "bulk_csv": create_bulk_csv, "form": create_form, "grid": create_grid}

UPDATES = {
    ("api", "invalid"): (422, "invalid"), ("api", "no_right"): (403, "forbidden"),
    ("api", "locked"): (409, "conflict"), ("api", "bad_move"): (422, "invalid"),
    ("api", "stale"): (412, "precondition_failed"),
    ("form", "invalid"): (422, None), ("form", "no_right"): (403, None),
    ("form", "locked"): (409, None), ("form", "bad_move"): (422, None),
    ("form", "stale"): (412, None),
    ("grid", "invalid"): (422, None), ("grid", "no_right"): (403, None),
    ("grid", "locked"): (422, None), ("grid", "bad_move"): (422, None),
}
UPDATE_PATHS = {"api": update_api, "form": update_form, "grid": update_grid}

DELETES = {
    ("api", "no_right"): (403, "forbidden"), ("api", "locked"): (409, "conflict"),
    ("api", "stale"): (412, "precondition_failed"),
    ("form", "no_right"): (403, None), ("form", "locked"): (409, None),
    ("form", "stale"): (412, None),
}
DELETE_PATHS = {"api": delete_api, "form": delete_form}


def check(r, status, code):
    if code is None:
        assert r.status_code == status, describe(r)
    else:
        assert_error(r, status, code)


@pytest.mark.parametrize("path,cls", sorted(CREATES))
def test_a_refused_create_writes_nothing(server, world, path, cls):
    who, over = CREATE[cls]
    rec = value(world, period(), **over)
    status, code = CREATES[(path, cls)]
    r = CREATE_PATHS[path](server, world, who, rec)
    if path.startswith("bulk") and code is not None:
        # a load answers its counts beside the error
        assert r.status_code == status, describe(r)
        assert r.json()["error"]["code"] == code, describe(r)
        assert r.json()["imported"] == 0, describe(r)
    else:
        check(r, status, code)
    assert stored(server, world, rec["period"]) is None


@pytest.mark.parametrize("path,cls", sorted(UPDATES))
def test_a_refused_update_writes_nothing(server, world, path, cls):
    who, state, change, version = UPDATE[cls]
    rec = made(server, world, state)
    status, code = UPDATES[(path, cls)]
    check(UPDATE_PATHS[path](server, world, who, rec, change, version), status, code)
    after = stored(server, world, rec["period"])
    assert after == rec, (after, rec)


@pytest.mark.parametrize("path,cls", sorted(DELETES))
def test_a_refused_delete_writes_nothing(server, world, path, cls):
    who, state, version = DELETE[cls]
    rec = made(server, world, state)
    status, code = DELETES[(path, cls)]
    check(DELETE_PATHS[path](server, world, who, rec, version), status, code)
    assert stored(server, world, rec["period"]) == rec


def test_an_invalid_import_writes_nothing(server, world, tmp_path):
    """`giapranh import` (the system actor, loading history: no grant to
    refuse, any workflow state allowed) refuses a bad field."""
    for over in ({"actual": "nhiều lắm"}, {"indicator_id": 0}):
        rec = value(world, period(), **over)
        path = tmp_path / "v.csv"
        path.write_text(_csv(rec), encoding="utf-8")
        p = run_cli(server.db, "import", "indicator_value", str(path), check=False)
        assert p.returncode != 0, p.stdout
        assert stored(server, world, rec["period"]) is None


def test_every_path_writes_the_same_audit_entry(server, world):
    """What is written is audited alike: one "create" entry per record, by
    its writer, holding the record as stored, by POST, _bulk and the form."""
    admin = server.api("admin")
    for path in ("api", "bulk_json", "bulk_csv", "form"):
        rec = value(world, period())
        r = CREATE_PATHS[path](server, world, "simacai_editor", rec)
        assert r.status_code in (200, 201, 303), describe(r)
        assert not path.startswith("bulk") or r.json()["imported"] == 1, describe(r)
        got = stored(server, world, rec["period"])
        assert got is not None, path
        log = admin.list("audit_log", entity="indicator_value", record_id=got["id"])["items"]
        assert [e["action"] for e in log] == ["create"], (path, log)
        assert log[0]["actor"] == server.login("simacai_editor"), (path, log)
        after = json.loads(log[0]["after_json"])
        assert after == got, (path, after, got)
