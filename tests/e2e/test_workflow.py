"""Workflow and lock rules on every write path, through the server (issue 13,
class 3; src/domain/workflow.h).

A user creates a workflow record in one of its initial states only - by
POST /api/v1/ENTITY, by `_bulk` (JSON and CSV), by the new-record form -
and reaches later states by moves, each recorded in status_change; a record
in its lock state (an approved value, an issued report) is neither changed
nor deleted; a report is issued by its register only; the grid saves through
the same rules; ingest acceptance creates in the initial state and moves on.

The workflows are written out here by hand (not read from the server)."""
import csv
import io
import json
import os
import subprocess

import pytest

from conftest import (BIN, REPO, SIMACAI, User, assert_error, describe, run_cli,
                      unique)

# entity -> (every state, the initial states a record is created in)
WORKFLOWS = {
    "agreement": (["planned", "negotiating", "signed", "active", "ended"],
                  ["planned", "negotiating", "signed"]),
    "incident": (["reported", "verified", "handling", "resolved", "transferred"],
                 ["reported"]),
    "recommendation": (["submitted", "answered", "done", "declined"], ["submitted"]),
    "indicator_value": (["draft", "submitted", "approved"], ["draft"]),
    "report": (["draft", "issued"], ["draft"]),
}
CASES = [(ent, st) for ent, (states, _) in WORKFLOWS.items() for st in states]
ROLES = ["editor", "approver", "admin"]
# recommendations and reports belong to an organisation (their scope), the
# rest to a unit: each is written by users granted on it
ORG_SCOPED = {"recommendation", "report"}
PERIODS = [0]


def writer(entity, role):
    """The test user of this role that may write records of entity."""
    if role == "admin":
        return "admin"
    if entity in ORG_SCOPED:
        return "wf_org_" + role
    return "simacai_editor" if role == "editor" else "wf_approver"


def add_user(server, key, role, *where):
    """A user made here (the shared users have no approver nor an
    organisation's editor), signed in by token or form like the others."""
    if key in server.tokens:
        return
    u = User(key, role, name="Người dùng quy trình " + key)
    run_cli(server.db, "user", "add", "--login", u.login, "--role", role, *where,
            "--name", u.name, stdin=u.password + "\n")
    out = run_cli(server.db, "token", "create", "--login", u.login).stdout
    server.tokens[key] = [ln.strip() for ln in out.splitlines() if ln.strip()][-1]
    server.users[key] = u


@pytest.fixture(scope="module")
def world(server):
    """Records of Si Ma Cai the cases refer to, and the users writing them."""
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    commune = server.children(SIMACAI)[0]["id"]
    org = admin.create("organisation", {"name": unique("UBND huyện Si Ma Cai (quy trình)"),
                                        "kind": "peoples_committee", "unit_id": unit})
    add_user(server, "wf_approver", "approver", "--unit", SIMACAI)
    add_user(server, "wf_org_editor", "editor", "--org", str(org["id"]))
    add_user(server, "wf_org_approver", "approver", "--org", str(org["id"]))
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu quy trình"),
                                     "unit_id": unit, "term_start": 2021, "term_end": 2025})
    g = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": unique("Nhóm quy trình")})
    ind = admin.create("indicator", {"target_group_id": g["id"],
                                     "name": unique("Chỉ tiêu quy trình"),
                                     "direction": "higher", "value_kind": "number"})
    return {"unit": unit, "commune": commune, "org": org["id"], "ts": ts["id"],
            "ind": ind["id"]}


def period_of(n):
    """A month of its own for the n-th value of this run (a period is parsed
    and stored canonical, YYYY-MM): the unique key holds across runs on one
    database through the process id."""
    k = (os.getpid() % 500) * 240 + n
    return f"{1900 + k // 12 % 200}-{k % 12 + 1:02d}"


def record(world, entity, status):
    """A new record of entity in status, in Si Ma Cai, unique."""
    if entity == "agreement":
        return {"kind": "twinning", "title": unique("Kết nghĩa quy trình"),
                "unit_id": world["unit"], "status": status}
    if entity == "incident":
        return {"kind": "illegal_crossing", "title": unique("Vụ việc quy trình"),
                "occurred_on": "2024-05-02", "unit_id": world["commune"], "status": status}
    if entity == "recommendation":
        return {"title": unique("Kiến nghị quy trình"), "from_org_id": world["org"],
                "raised_on": "2024-05-02", "status": status}
    if entity == "indicator_value":
        PERIODS[0] += 1
        return {"indicator_id": world["ind"], "unit_id": world["commune"],
                "period": period_of(PERIODS[0]), "actual": 7,
                "status": status}
    if entity == "report":
        return {"title": unique("Báo cáo quy trình"), "kind": "periodic",
                "scope": f"unit:{SIMACAI}", "period": "2024",
                "issuer_org_id": world["org"], "signer_name": "Giàng Seo Ký",
                "status": status}
    raise AssertionError(entity)


def key_of(rec):
    """A filter that finds the record again: a value by its indicator (made
    for this run) and period - a period alone may be the demo data's own."""
    if "title" in rec:
        return {"title": rec["title"]}
    return {"indicator_id": rec["indicator_id"], "unit_id": rec["unit_id"],
            "period": rec["period"]}


def count(api, entity, rec):
    return api.list(entity, limit=1, **key_of(rec))["total"]


def move(api, entity, rid, status):
    return api.patch(f"/api/v1/{entity}/{rid}", json={"status": status})


def history(api, entity, rid):
    r = api.get(f"/api/v1/workflow/{entity}/{rid}")
    assert r.status_code == 200, describe(r)
    return [(h["from_status"], h["to_status"]) for h in r.json()["history"]]


# ---- creating: POST, _bulk (JSON, CSV) ----------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entity,status", CASES)
def test_post_creates_in_an_initial_state_only(server, world, role, entity, status):
    api = server.api(writer(entity, role))
    rec = record(world, entity, status)
    r = api.post(f"/api/v1/{entity}", json=rec)
    if status in WORKFLOWS[entity][1]:
        assert r.status_code == 201, describe(r)
        assert r.json()["status"] == status
        return
    err = assert_error(r, 422, "invalid")
    assert "chỉ được tạo ở trạng thái" in err["fields"]["status"], describe(r)
    assert count(server.api("admin"), entity, rec) == 0


def _csv(rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entity", sorted(WORKFLOWS))
def test_bulk_creates_in_an_initial_state_only(server, world, role, entity, fmt):
    """One row per state: the load is refused naming exactly the rows
    outside the initial states, nothing written; with skip_invalid only
    the initial ones are."""
    api = server.api(writer(entity, role))
    states, initial = WORKFLOWS[entity]
    rows = [record(world, entity, st) for st in states]
    if fmt == "json":
        send = {"json": rows}
        first = 1
    else:
        send = {"data": _csv(rows), "headers": {"Content-Type": "text/csv"}}
        first = 2  # line 1 is the header
    r = api.post(f"/api/v1/{entity}/_bulk", **send)
    assert r.status_code == 422, describe(r)
    body = r.json()
    bad = {first + i for i, st in enumerate(states) if st not in initial}
    assert {e["line"] for e in body["errors"]} == bad, describe(r)
    assert all(e["field"] == "status" for e in body["errors"]), describe(r)
    assert body["imported"] == 0
    admin = server.api("admin")
    assert all(count(admin, entity, rec) == 0 for rec in rows)
    r = api.post(f"/api/v1/{entity}/_bulk?skip_invalid=1", **send)
    assert r.status_code == 200, describe(r)
    assert r.json()["imported"] == len(initial)
    for st, rec in zip(states, rows):
        assert count(admin, entity, rec) == (1 if st in initial else 0), (st, rec)


def test_editor_cannot_create_an_approved_value_by_post_or_bulk(server, world):
    """The issue's own examples."""
    editor = server.api("simacai_editor")
    rec = record(world, "indicator_value", "approved")
    assert_error(editor.post("/api/v1/indicator_value", json=rec), 422, "invalid")
    r = editor.post("/api/v1/indicator_value/_bulk", json=[rec])
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status", describe(r)
    assert count(server.api("admin"), "indicator_value", rec) == 0
    ended = record(world, "agreement", "ended")
    err = assert_error(editor.post("/api/v1/agreement", json=ended), 422, "invalid")
    assert "'Dự kiến'" in err["fields"]["status"] and "'Đã kết thúc'" in err["fields"]["status"]


def test_a_fact_entered_after_the_event_is_created_then_moved(server, world):
    """An agreement signed in 2019 and ended since, entered today: created
    signed (an initial state), then moved to ended; the move is recorded."""
    editor = server.api("simacai_editor")
    rec = record(world, "agreement", "signed")
    rec["signed_on"] = "2019-05-10"
    a = editor.create("agreement", rec)
    r = move(editor, "agreement", a["id"], "ended")
    assert r.status_code == 200, describe(r)
    assert history(editor, "agreement", a["id"]) == [("signed", "ended")]


# ---- a locked record: neither changed nor deleted -----------------------------------


def approved_value(server, world):
    editor, approver = server.api("simacai_editor"), server.api("wf_approver")
    v = editor.create("indicator_value", record(world, "indicator_value", "draft"))
    assert move(editor, "indicator_value", v["id"], "submitted").status_code == 200
    r = move(editor, "indicator_value", v["id"], "approved")
    assert_error(r, 403, "forbidden")
    r = move(approver, "indicator_value", v["id"], "approved")
    assert r.status_code == 200, describe(r)
    assert history(editor, "indicator_value", v["id"]) == [
        ("draft", "submitted"), ("submitted", "approved")]
    return v["id"]


@pytest.mark.parametrize("role", ROLES)
def test_an_approved_value_is_neither_changed_nor_deleted(server, world, role):
    vid = approved_value(server, world)
    api = server.api(writer("indicator_value", role))
    path = f"/api/v1/indicator_value/{vid}"
    assert_error(api.patch(path, json={"actual": 99}), 409, "conflict")
    err = assert_error(api.delete(path), 409, "conflict")
    assert "mở lại" in err["message"]
    assert api.get(path).json()["actual"] == 7
    # reopened by an approver, it may go.  (A value made after it keeps its
    # id from being reused: SQLite gives a deleted last id again, and the
    # next value would show this one's status_change rows.)
    server.api("simacai_editor").create("indicator_value",
                                        record(world, "indicator_value", "draft"))
    r = move(server.api("wf_approver"), "indicator_value", vid, "draft")
    assert r.status_code == 200, describe(r)
    r = api.delete(path)
    assert r.status_code in (200, 204), describe(r)


@pytest.mark.parametrize("role", ROLES)
def test_a_report_is_issued_by_its_register_only(server, world, role):
    api = server.api(writer("report", role))
    rep = api.create("report", record(world, "report", "draft"))
    path = f"/api/v1/report/{rep['id']}"
    err = assert_error(api.patch(path, json={"status": "issued"}), 422, "invalid")
    assert "status" in err["fields"]
    r = api.post(f"{path}/issue")
    assert r.status_code == 200, describe(r)
    assert r.json()["status"] == "issued" and r.json()["number"] > 0
    assert_error(api.patch(path, json={"title": "sửa sau khi ban hành"}), 409, "conflict")
    assert_error(api.delete(path), 409, "conflict")


def test_a_report_is_not_issued_without_a_signer(server, world):
    """An issued document names its signer: without a name of its own nor
    one its body signed with before, the register gives no number."""
    admin = server.api("admin")
    org = admin.create("organisation", {"name": unique("Đảng ủy xã chưa ký"),
                                        "kind": "party_committee"})
    rec = dict(record(world, "report", "draft"), issuer_org_id=org["id"])
    del rec["signer_name"]
    rep = admin.create("report", rec)
    err = assert_error(admin.post(f"/api/v1/report/{rep['id']}/issue"), 422, "invalid")
    assert "họ tên người ký" in err["fields"]["signer_name"], err
    assert admin.get(f"/api/v1/report/{rep['id']}").json()["status"] == "draft"
    assert admin.patch(f"/api/v1/report/{rep['id']}",
                       json={"signer_name": "Lù Văn Ký"}).status_code == 200
    r = admin.post(f"/api/v1/report/{rep['id']}/issue")
    assert r.status_code == 200, describe(r)
    assert r.json()["number"] == 1 and r.json()["signer_name"] == "Lù Văn Ký"


def test_the_status_button_cannot_issue_a_report(server, world):
    s = server.sign_in("wf_org_editor")
    rep = server.api("wf_org_editor").create("report", record(world, "report", "draft"))
    r = s.post(f"/e/report/{rep['id']}/status", data={"_csrf": s.csrf, "status": "issued"},
               allow_redirects=False)
    assert r.status_code == 422, describe(r)
    assert server.api("admin").get(f"/api/v1/report/{rep['id']}").json()["status"] == "draft"


# ---- the new-record form ----------------------------------------------------------


@pytest.mark.parametrize("entity", sorted(WORKFLOWS))
def test_the_new_record_form_offers_the_initial_states(server, world, entity):
    s = server.sign_in(writer(entity, "editor"))
    r = s.get(f"/e/{entity}/new")
    assert r.status_code == 200, describe(r)
    html = r.text
    start = html.index('<select id="status"')
    options = html[start:html.index("</select>", start)]
    offered = [st for st in WORKFLOWS[entity][0] if f'value="{st}"' in options]
    assert offered == WORKFLOWS[entity][1], offered


# ---- the grid -----------------------------------------------------------------------


def grid_post(s, world, action, cells):
    data = {"_csrf": s.csrf, "target_set": str(world["ts"]), "unit": world["grid_unit"],
            "period": world["grid_period"], "action": action}
    data.update(cells)
    return s.post("/grid", data=data, allow_redirects=False)


def grid_value(server, world):
    items = server.api("admin").list("indicator_value", indicator_id=world["ind"],
                                     period=world["grid_period"])["items"]
    return items[0] if items else None


def test_the_grid_moves_through_the_workflow_and_keeps_locks(server, world):
    admin = server.api("admin")
    world["grid_unit"] = SIMACAI
    world["grid_period"] = "2024"
    ind = world["ind"]
    t, a, c = f"t{ind}", f"a{ind}", f"c{ind}"
    editor, approver = server.sign_in("simacai_editor"), server.sign_in("wf_approver")
    # save and submit: created as a draft, then moved, the move recorded
    r = grid_post(editor, world, "submitted", {t: "10", a: "8", c: ""})
    assert r.status_code == 303, describe(r)
    v = grid_value(server, world)
    assert v["status"] == "submitted" and v["actual"] == 8
    assert history(admin, "indicator_value", v["id"]) == [("draft", "submitted")]
    # an editor cannot approve from the grid: nothing saved
    r = grid_post(editor, world, "approved", {t: "10", a: "9", c: ""})
    assert r.status_code == 422, describe(r)
    assert grid_value(server, world)["actual"] == 8
    # a draft save of a submitted value keeps it submitted
    r = grid_post(editor, world, "draft", {t: "10", a: "9", c: ""})
    assert r.status_code == 303, describe(r)
    v = grid_value(server, world)
    assert v["status"] == "submitted" and v["actual"] == 9
    # the approver approves: locked
    r = grid_post(approver, world, "approved", {t: "10", a: "9", c: ""})
    assert r.status_code == 303, describe(r)
    assert grid_value(server, world)["status"] == "approved"
    page = editor.get(f"/grid?target_set={world['ts']}&unit={world['grid_unit']}&period=2024")
    shown_t = page.text.split(f'name="{t}"')[1].split('value="')[1].split('"')[0]
    shown_a = page.text.split(f'name="{a}"')[1].split('value="')[1].split('"')[0]
    # sent back as shown: nothing to save, nothing refused
    r = grid_post(editor, world, "draft", {t: shown_t, a: shown_a, c: ""})
    assert r.status_code == 303, describe(r)
    # changed: refused by the lock, for the editor and the approver alike
    for s in (editor, approver):
        r = grid_post(s, world, "draft", {t: shown_t, a: "12", c: ""})
        assert r.status_code == 422, describe(r)
        assert "phải mở lại trước khi sửa" in r.text, r.text[-3000:]
    v = grid_value(server, world)
    assert v["status"] == "approved" and v["actual"] == 9
    # reopened by the approver: a draft again, every move in the history
    r = grid_post(approver, world, "reopen", {t: shown_t, a: shown_a, c: ""})
    assert r.status_code == 303, describe(r)
    v = grid_value(server, world)
    assert v["status"] == "draft"
    assert history(admin, "indicator_value", v["id"]) == [
        ("draft", "submitted"), ("submitted", "approved"), ("approved", "draft")]


# ---- ingest acceptance ----------------------------------------------------------------


def test_ingest_accept_creates_in_the_initial_state_then_moves(server, tmp_path):
    """A report's figure becomes an indicator value "submitted": created as a
    draft by the accepting editor, then moved, the move recorded as theirs."""
    event = {"id": "e1", "kind": "event", "span": [0, 10], "quote": "Ngày 31/10",
             "confidence": 0.9, "event_type": "review_conference", "date": "2023-10-31",
             "date_text": "Ngày 31/10", "place_text": "huyện Si Ma Cai",
             "place_unit": {"code": SIMACAI, "vintage": "2024"},
             "title": unique("Hội nghị quy trình")}
    fig = {"id": "f1", "kind": "figure", "span": [0, 5], "quote": "85%",
           "confidence": 0.8, "text": "85%", "value": 85, "unit": "%", "qualifier": "đạt",
           "of": None, "percent": 85, "subject": unique("Tỷ lệ hộ được hỗ trợ"),
           "proposed_as": "indicator_value", "event": "e1"}
    path = tmp_path / "set.json"
    path.write_text(json.dumps({
        "source": {"name": "quy-trinh.txt", "title": "Văn bản thử",
                   "publication_date": "2023-10-31", "publication_date_source": "option"},
        "text_length": 0, "proposals": [event, fig]}, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ, GIAPRANH_FILES=str(tmp_path / "files"))
    p = subprocess.run([BIN, "--db", server.db, "--data", os.path.join(REPO, "data"),
                        "ingest", os.path.join(REPO, "tests", "ingest", "texts", "000.txt"),
                        "--proposals", str(path), "--accept", "all",
                        "--as", server.login("simacai_editor"), "--format", "json"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    made = [c for c in json.loads(p.stdout)["created"] if c["entity"] == "indicator_value"]
    assert len(made) == 1, p.stdout
    admin = server.api("admin")
    vid = made[0]["id"]
    assert admin.get(f"/api/v1/indicator_value/{vid}").json()["status"] == "submitted"
    assert history(admin, "indicator_value", vid) == [("draft", "submitted")]
    rows = admin.list("status_change", entity="indicator_value", record_id=vid)["items"]
    assert rows[0]["user_id"] == server.api("simacai_editor").get("/api/v1/me").json()["id"]
