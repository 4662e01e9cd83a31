"""Answers kept in memory (src/http/cache.c, the token cache of src/domain/auth.c) are
never served stale or to the wrong client: after a write through the API
or by another process (a CLI import, SQL), the next values/summary answer
shows it; anonymous and revoked tokens get 401 even for answers already
kept; the gzip copy is the same answer."""
import gzip
import itertools
import os
import sqlite3
import subprocess

import pytest
import requests

from conftest import assert_error, describe, run_cli, unique

_logins = itertools.count(1)

PERIOD = "2018"  # no demo value and no other test uses it


def sql_outside(server, sql):
    """Run SQL on the server's database from another process (as a DBA
    or another program would), not through the server."""
    if server.db.startswith("sqlite:"):
        con = sqlite3.connect(server.db[len("sqlite:"):], timeout=60)
        with con:
            con.execute(sql)
        con.close()
    else:
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", server.db,
                        "-c", sql], check=True, capture_output=True, timeout=60)


def values(client, ind, **params):
    r = client.get(f"/api/v1/indicator/{ind}/values",
                   params={"period": PERIOD, **params})
    assert r.status_code == 200, describe(r)
    return r.json()


def summary(client, ind, **params):
    r = client.get(f"/api/v1/indicator/{ind}/summary",
                   params={"period": PERIOD, **params})
    assert r.status_code == 200, describe(r)
    return r.json()


def warm(client, ind):
    """Ask twice: the second answer comes from the cache."""
    for _ in range(2):
        values(client, ind)
        summary(client, ind)
        values(client, ind, unit="084", date="2024-01-01")


@pytest.fixture
def setup(server, admin):
    """A fresh higher-is-better indicator with two draft values in Si Ma
    Cai (120 % and 80 %)."""
    communes = [c["id"] for c in server.children("084")]
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu e2e bộ nhớ đệm"),
                                     "unit_id": server.unit_id("084"),
                                     "term_start": 2016, "term_end": 2020})
    g = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": unique("Nhóm e2e")})
    ind = admin.create("indicator", {"target_group_id": g["id"],
                                     "name": unique("Chỉ tiêu e2e bộ nhớ đệm"),
                                     "direction": "higher", "value_kind": "number"})
    vals = []
    for unit, (t, a) in zip(communes, [(10, 12), (10, 8)]):
        vals.append(admin.create("indicator_value", {
            "indicator_id": ind["id"], "unit_id": unit, "period": PERIOD,
            "target": t, "actual": a, "status": "draft"}))
    return {"ind": ind["id"], "ts": ts, "communes": communes, "values": vals}


def test_a_new_value_shows_at_once(admin, viewer, setup):
    ind, communes = setup["ind"], setup["communes"]
    warm(viewer, ind)
    assert values(viewer, ind)["count"] == 2
    # created as a draft (users create in the initial state only), approved
    val = admin.create("indicator_value", {"indicator_id": ind, "unit_id": communes[2],
                                           "period": PERIOD, "target": 10, "actual": 10,
                                           "status": "draft"})
    for status in ("submitted", "approved"):
        r = admin.patch(f"/api/v1/indicator_value/{val['id']}", json={"status": status})
        assert r.status_code == 200, describe(r)
    assert values(viewer, ind)["count"] == 3
    assert values(viewer, ind, unit="084", date="2024-01-01")["count"] == 3
    assert summary(viewer, ind)["bands"]["high"] == 2


def test_an_edit_and_a_deletion_show_at_once(admin, viewer, setup):
    ind = setup["ind"]
    low = setup["values"][1]
    warm(viewer, ind)
    assert summary(viewer, ind)["bands"] == {"high": 1, "mid": 1, "low": 0,
                                             "none": 0, "total": 2}
    r = admin.patch(f"/api/v1/indicator_value/{low['id']}", json={"actual": 11})
    assert r.status_code == 200, describe(r)
    assert summary(viewer, ind)["bands"]["high"] == 2
    by_unit = {i["unit_id"]: i for i in values(viewer, ind)["items"]}
    assert by_unit[low["unit_id"]]["actual"] == 11
    warm(viewer, ind)
    r = admin.delete(f"/api/v1/indicator_value/{low['id']}")
    assert r.status_code in (200, 204), describe(r)
    assert values(viewer, ind)["count"] == 1
    assert summary(viewer, ind)["bands"]["total"] == 1


def test_approval_and_reopening_are_writes_the_answers_follow(admin, viewer, setup):
    """The workflow of a value: submitted, approved (locked), reopened,
    corrected - each a write; the answers follow the correction."""
    ind, val = setup["ind"], setup["values"][1]
    path = f"/api/v1/indicator_value/{val['id']}"
    for status in ("submitted", "approved", "draft"):
        warm(viewer, ind)
        r = admin.patch(path, json={"status": status})
        assert r.status_code == 200, describe(r)
        assert summary(viewer, ind)["bands"]["mid"] == 1
    warm(viewer, ind)
    r = admin.patch(path, json={"actual": 5})
    assert r.status_code == 200, describe(r)
    body = summary(viewer, ind)
    assert body["bands"]["mid"] == 0 and body["bands"]["low"] == 1


def test_new_band_thresholds_of_the_target_set_show_at_once(admin, viewer, setup):
    ind, ts = setup["ind"], setup["ts"]
    warm(viewer, ind)
    assert summary(viewer, ind)["thresholds"] == {"high": 100, "mid": 70}
    r = admin.patch(f"/api/v1/target_set/{ts['id']}",
                    json={"band_high": 120, "band_mid": 90})
    assert r.status_code == 200, describe(r)
    body = summary(viewer, ind)
    assert body["thresholds"] == {"high": 120, "mid": 90}
    # 120 % -> high, 80 % -> now low
    assert body["bands"] == {"high": 1, "mid": 0, "low": 1, "none": 0, "total": 2}


def test_an_import_by_another_process_shows_at_once(server, viewer, setup, tmp_path):
    ind, communes = setup["ind"], setup["communes"]
    warm(viewer, ind)
    csv = tmp_path / "values.csv"
    csv.write_text("indicator_id,unit_id,period,target,actual,status\n"
                   f"{ind},{communes[3]},{PERIOD},10,3,approved\n"
                   f"{ind},{communes[4]},{PERIOD},10,,approved\n", encoding="utf-8")
    run_cli(server.db, "import", "indicator_value", str(csv))
    assert values(viewer, ind)["count"] == 4
    assert summary(viewer, ind)["bands"] == {"high": 1, "mid": 1, "low": 1,
                                             "none": 1, "total": 4}


def test_sql_by_another_process_shows_at_once(server, viewer, setup):
    ind, val = setup["ind"], setup["values"][0]
    warm(viewer, ind)
    sql_outside(server, f"UPDATE indicator_value SET actual = 1 WHERE id = {val['id']}")
    by_unit = {i["unit_id"]: i for i in values(viewer, ind)["items"]}
    assert by_unit[val["unit_id"]]["actual"] == 1
    assert summary(viewer, ind)["bands"]["high"] == 0


def test_no_kept_answer_without_a_valid_sign_in(server, anon, viewer, setup):
    ind = setup["ind"]
    warm(viewer, ind)
    for path in (f"/api/v1/indicator/{ind}/values", f"/api/v1/indicator/{ind}/summary"):
        assert_error(anon.get(path, params={"period": PERIOD}), 401, "unauthorized")
        bad = requests.get(server.url(path), params={"period": PERIOD}, timeout=60,
                           headers={"Authorization": "Bearer " + "x" * 43})
        assert_error(bad, 401, "unauthorized")


def _new_user(server, role="viewer"):
    login = f"e2e_cache_{os.getpid()}_{next(_logins)}"
    run_cli(server.db, "user", "add", "--login", login, "--role", role,
            stdin="mat-khau-e2e-2024\n")
    out = run_cli(server.db, "token", "create", "--login", login).stdout
    token = [ln.strip() for ln in out.splitlines() if ln.strip()][-1]
    body = server.api("admin").list("app_user", login=login)
    assert body["total"] == 1, body
    return body["items"][0]["id"], token


def _as(server, token):
    s = server.anonymous()
    s.headers["Authorization"] = "Bearer " + token
    return s


def test_a_user_deactivated_is_refused_at_the_next_request(server, admin, setup):
    ind = setup["ind"]
    uid, token = _new_user(server)
    client = _as(server, token)
    warm(client, ind)  # token and answers both remembered
    r = admin.patch(f"/api/v1/app_user/{uid}", json={"active": False})
    assert r.status_code == 200, describe(r)
    for path in (f"/api/v1/indicator/{ind}/values", f"/api/v1/indicator/{ind}/summary",
                 "/api/v1/unit_by_code/084"):
        assert_error(client.get(path, params={"period": PERIOD}), 401, "unauthorized")


def test_a_token_revoked_by_another_process_is_refused_at_once(server, setup):
    ind = setup["ind"]
    uid, token = _new_user(server)
    client = _as(server, token)
    warm(client, ind)
    # no API removes tokens: a DBA deletes the row
    sql_outside(server, f"DELETE FROM api_token WHERE user_id = {uid}")
    assert_error(client.get(f"/api/v1/indicator/{ind}/values", params={"period": PERIOD}),
                 401, "unauthorized")


def test_a_grant_removed_takes_effect_at_once(server, admin, setup):
    """The grants a token stands for are read again after any write: a
    viewer made admin sees the admin entities, and not once demoted."""
    uid, token = _new_user(server)
    client = _as(server, token)
    assert client.get("/api/v1/app_user").status_code == 403
    grants = admin.list("role_grant", user_id=uid)["items"]
    assert len(grants) == 1
    r = admin.patch(f"/api/v1/role_grant/{grants[0]['id']}", json={"role": "admin"})
    assert r.status_code == 200, describe(r)
    assert client.get("/api/v1/app_user").status_code == 200
    r = admin.patch(f"/api/v1/role_grant/{grants[0]['id']}", json={"role": "viewer"})
    assert r.status_code == 200, describe(r)
    assert client.get("/api/v1/app_user").status_code == 403


def test_the_gzip_copy_is_the_same_answer(server, viewer, setup, tmp_path):
    ind = setup["ind"]
    units = [c["id"] for code in ("083", "085") for c in server.children(code)]
    csv = tmp_path / "many.csv"
    csv.write_text("indicator_id,unit_id,period,target,actual,status\n" +
                   "".join(f"{ind},{u},{PERIOD},{i + 1},{i},approved\n"
                           for i, u in enumerate(units)), encoding="utf-8")
    run_cli(server.db, "import", "indicator_value", str(csv))
    warm(viewer, ind)
    url = server.url(f"/api/v1/indicator/{ind}/values")
    auth = {"Authorization": "Bearer " + server.tokens["viewer"]}
    plain = requests.get(url, params={"period": PERIOD}, timeout=60,
                         headers={**auth, "Accept-Encoding": "identity"})
    assert plain.status_code == 200, describe(plain)
    assert "Content-Encoding" not in plain.headers
    assert len(plain.content) > 1024 and plain.json()["count"] == len(units) + 2
    for _ in range(2):  # made at the first, kept for the second
        packed = requests.get(url, params={"period": PERIOD}, timeout=60, stream=True,
                              headers={**auth, "Accept-Encoding": "gzip"})
        assert packed.status_code == 200
        assert packed.headers.get("Content-Encoding") == "gzip"
        assert packed.headers.get("Cache-Control") == "no-store"
        assert gzip.decompress(packed.raw.read(decode_content=False)) == plain.content
    head = requests.head(url, params={"period": PERIOD}, headers=auth, timeout=60)
    assert head.status_code == 200 and head.content == b""


def test_a_unit_edited_shows_in_the_next_unit_by_code(admin, viewer):
    path = "/api/v1/unit_by_code/02803"
    for _ in range(2):
        first = viewer.get(path, params={"date": "2024-01-01"})
        assert first.status_code == 200, describe(first)
    unit = first.json()
    try:
        r = admin.patch(f"/api/v1/admin_unit/{unit['id']}",
                        json={"name": unit["name"] + " (đã sửa)"})
        assert r.status_code == 200, describe(r)
        again = viewer.get(path, params={"date": "2024-01-01"}).json()
        assert again["name"] == unit["name"] + " (đã sửa)"
        assert again["version"] == unit["version"] + 1
        # another date is another answer, computed on its own
        assert_error(viewer.get(path, params={"date": "2030-01-01"}), 404, "not_found")
    finally:
        r = admin.patch(f"/api/v1/admin_unit/{unit['id']}", json={"name": unit["name"]})
        assert r.status_code == 200, describe(r)
    assert viewer.get(path, params={"date": "2024-01-01"}).json()["name"] == unit["name"]
