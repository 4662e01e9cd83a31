"""Reorganisations of administrative units after 2025 (issue 18 part 4).

A server of its own (the units change): an administrator previews then
applies a synthetic merger of two 2025 communes of Lào Cai - Xã Bắc Hà
(02839) and Xã Lùng Phình (02848) into Xã Bắc Hà Mới (99001) from
1 March 2026 - through the page /admin/units/reorganise, the API and the
CLI, and history follows with no code change:

  * figures kept on the old communes count toward the new one (for the
    periods before the date, and for one entered late after it), and those
    of the 2024 commune Tả Van Chư, which went into Lùng Phình in 2025;
  * the old communes still show their own figures and records for the
    periods before; the unit tree on a date shows the old or the new;
  * review reports of the new commune include the old ones' records.

Bad files (unknown predecessor, cycle, a date before the predecessor
existed, a duplicate code, ...) are refused whole with line and column
named, on every path, and nothing is written."""
import re
import tempfile

import pytest

from conftest import (_fresh_db, activity, assert_error, demo_server, describe,
                      run_cli, unique)

HEAD = ("record,code,name,type,level,parent_code,predecessor_code,kind,"
        "effective_on,legal_basis\n")
NQ = "Nghị quyết số 1234/NQ-UBTVQH15"
MERGER = (HEAD +
          f"unit,99001,Xã Bắc Hà Mới,Xã,2,15,,,2026-03-01,{NQ}\n"
          f"lineage,99001,,,,,02839,merge,2026-03-01,{NQ}\n"
          f"lineage,99001,,,,,02848,merge,2026-03-01,{NQ}\n")
EFFECTIVE, DAY_BEFORE = "2026-03-01", "2026-02-28"

# (why, file, line, column, words of the message) - each refused whole
BAD = [
    ("unknown predecessor",
     HEAD + "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
            f"lineage,99002,,,,,99999,rename,2026-06-01,{NQ}\n",
     3, "predecessor_code", "không có đơn vị cũ mã 99999"),
    ("cycle",
     HEAD + f"lineage,02680,,,,,02683,rename,2026-06-01,{NQ}\n"
            f"lineage,02683,,,,,02680,rename,2026-06-01,{NQ}\n",
     2, "code", "chu trình"),
    ("date before the predecessor existed",
     # 21548, Đặc khu Lý Sơn, is a code only from 1 July 2025
     HEAD + "unit,99002,Đặc khu Mới,Đặc khu,2,51,,,2025-03-01,\n"
            f"lineage,99002,,,,,21548,rename,2025-03-01,{NQ}\n",
     3, "effective_on", "bắt đầu có hiệu lực"),
    ("duplicate code",
     HEAD + "unit,02683,Xã Bát Xát Mới,Xã,2,15,,,2026-06-01,\n"
            f"lineage,02683,,,,,02680,rename,2026-06-01,{NQ}\n",
     2, "code", "trùng"),
    ("duplicate code in the file",
     HEAD + "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
            "unit,99002,Xã Mới Nữa,Xã,2,15,,,2026-06-01,\n"
            f"lineage,99002,,,,,02680,rename,2026-06-01,{NQ}\n",
     3, "code", "trùng"),
    ("no legal basis",
     HEAD + "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
            "lineage,99002,,,,,02680,rename,2026-06-01,\n",
     3, "legal_basis", "bắt buộc"),
    ("kind",
     HEAD + "unit,99002,Xã Mới,Xã,2,15,,,2026-06-01,\n"
            f"lineage,99002,,,,,02680,absorb,2026-06-01,{NQ}\n",
     3, "kind", ""),
    ("bad date",
     HEAD + "unit,99002,Xã Mới,Xã,2,15,,,31/02/2026,\n", 2, "effective_on", ""),
]


@pytest.fixture(scope="module")
def srv():
    with tempfile.TemporaryDirectory(prefix="giapranh-reorg-") as tmp:
        with demo_server(tmp, _fresh_db(tmp, "_reorg")) as s:
            yield s


def totals(admin):
    return {e: admin.list(e, limit=1)["total"]
            for e in ("admin_unit", "unit_lineage", "audit_log")}


def post_csv(client, text, apply=None):
    params = {"apply": apply} if apply is not None else {}
    return client.post("/api/v1/units/reorganise", params=params,
                       data=text.encode("utf-8"),
                       headers={"Content-Type": "text/csv", **client.csrf_header()})


def has(errors, line, column, words):
    return any(e["line"] == line and e.get("column") == column and words in e["message"]
               for e in errors)


def unit(admin, code, date):
    r = admin.get(f"/api/v1/units/{code}", params={"date": date})
    assert r.status_code == 200, describe(r)
    return r.json()


@pytest.mark.parametrize("why,text,line,column,words", BAD, ids=[b[0] for b in BAD])
def test_bad_file_refused_whole_on_every_path(srv, why, text, line, column, words, tmp_path):
    admin = srv.api("admin")
    before = totals(admin)
    # the API, applying
    r = post_csv(admin, text, apply="1")
    err = assert_error(r, 422, "invalid")
    body = r.json()
    assert body["applied"] is False
    assert has(body["errors"], line, column, words), (why, body["errors"])
    assert all(e["message"] and e.get("column_label", "x") for e in body["errors"])
    # the page, previewing: the same errors, as a table naming line and column
    page = srv.sign_in("admin")
    r = page.post("/admin/units/reorganise", data={"_csrf": page.csrf},
                  files={"file": ("sap-xep.csv", text.encode("utf-8"), "text/csv")})
    assert r.status_code == 422, describe(r)
    assert "chưa ghi gì" in r.text and "Áp dụng sắp xếp" not in r.text
    assert f"<td class=\"num\">{line}</td>" in r.text and f"({column})" in r.text
    # and applying it from the page anyway
    r = page.post("/admin/units/reorganise/apply", data={"_csrf": page.csrf, "csv": text})
    assert r.status_code == 422, describe(r)
    # the command line
    path = tmp_path / "sap-xep.csv"
    path.write_text(text, encoding="utf-8")
    p = run_cli(srv.db, "units", "reorganise", str(path), "--apply", check=False)
    assert p.returncode == 1, p.stdout + p.stderr
    assert f"sap-xep.csv:{line}: cột '{column}'" in p.stderr, p.stderr
    assert totals(admin) == before, why


def test_only_admins_reorganise(srv):
    before = totals(srv.api("admin"))
    for key in ("viewer", "simacai_editor"):
        assert_error(post_csv(srv.api(key), MERGER, apply="1"), 403)
        page = srv.sign_in(key)
        r = page.get("/admin/units/reorganise")
        assert r.status_code == 403, describe(r)
        r = page.post("/admin/units/reorganise/apply", data={"_csrf": page.csrf,
                                                              "csv": MERGER})
        assert r.status_code == 403, describe(r)
    assert_error(srv.anonymous().post("/api/v1/units/reorganise", data=MERGER.encode(),
                                      headers={"Content-Type": "text/csv"}), 401)
    assert_error(srv.api("admin").post("/api/v1/units/reorganise", json={"a": 1}), 415)
    assert totals(srv.api("admin")) == before


@pytest.fixture(scope="module")
def history(srv):
    """Figures and records on the 2025 communes (and a 2024 one) before the
    merger is applied: a target set of Lào Cai with one indicator."""
    admin = srv.api("admin")
    a = unit(admin, "02839", "2026-01-01")["unit"]["id"]
    b = unit(admin, "02848", "2026-01-01")["unit"]["id"]
    c24 = unit(admin, "02851", "2024-01-01")["unit"]["id"]
    laocai = unit(admin, "15", "2026-01-01")["unit"]["id"]
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu sắp xếp"),
                                     "unit_id": laocai, "term_start": 2025,
                                     "term_end": 2030})
    grp = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                        "name": "Nhóm thử"})
    ind = admin.create("indicator", {"target_group_id": grp["id"],
                                     "name": unique("Số hộ thoát nghèo"),
                                     "direction": "higher", "value_kind": "number",
                                     "aggregation": "sum"})
    for uid, period, actual in ((a, "2025-Q4", 10), (b, "2025-Q4", 5),
                                (c24, "2025-Q2", 2), (a, "2026-Q2", 3)):
        v = admin.create("indicator_value", {"indicator_id": ind["id"], "unit_id": uid,
                                             "period": period, "actual": actual,
                                             "status": "draft"})
        assert v["id"]
    act_a = admin.create("activity", activity(a, start_on="2026-01-15"))
    return {"a": a, "b": b, "c24": c24, "laocai": laocai, "ind": ind["id"],
            "act_a": act_a["title"]}


def test_merger_previewed_then_applied_from_the_page(srv, history):
    admin = srv.api("admin")
    before = totals(admin)
    page = srv.sign_in("admin")
    r = page.get("/admin/units/reorganise")
    assert r.status_code == 200 and 'enctype="multipart/form-data"' in r.text
    # the preview lists what changes and writes nothing
    r = page.post("/admin/units/reorganise", data={"_csrf": page.csrf},
                  files={"file": ("sap-xep.csv", MERGER.encode("utf-8"), "text/csv")})
    assert r.status_code == 200, describe(r)
    for words in ("Xem trước", "Xã Bắc Hà Mới", "Xã Lùng Phình", DAY_BEFORE,
                  "Nhập (hợp nhất, sáp nhập)", NQ, "Áp dụng sắp xếp"):
        assert words in r.text, words
    assert totals(admin) == before
    # so does the API's and the CLI's preview
    r = post_csv(admin, MERGER)
    assert r.status_code == 200, describe(r)
    assert r.json()["applied"] is False and len(r.json()["ended"]) == 2
    assert totals(admin) == before
    # applying: the form the preview carries
    r = page.post("/admin/units/reorganise/apply", data={"_csrf": page.csrf,
                                                          "csv": MERGER})
    assert r.status_code == 200, describe(r)
    assert "Đã áp dụng" in r.text
    after = totals(admin)
    assert after["admin_unit"] == before["admin_unit"] + 1
    assert after["unit_lineage"] == before["unit_lineage"] + 2
    assert after["audit_log"] >= before["audit_log"] + 6
    log = admin.list("audit_log", action="reorganise", limit=5)["items"]
    assert log and NQ in log[0]["after_json"]
    # applied once: the same file again is a duplicate code
    assert_error(post_csv(admin, MERGER, apply="1"), 422)


def test_units_on_either_side_of_the_date(srv, history):
    admin = srv.api("admin")
    x = unit(admin, "99001", EFFECTIVE)
    assert sorted(p["code"] for p in x["predecessors"]) >= ["02839", "02848"]
    old = unit(admin, "02839", DAY_BEFORE)
    assert old["unit"]["valid_to"] == DAY_BEFORE
    assert [s["code"] for s in old["successors"]] == ["99001"]
    assert admin.get("/api/v1/units/02839", params={"date": EFFECTIVE}).status_code == 404
    lineage = admin.list("unit_lineage", new_unit_id=x["unit"]["id"])["items"]
    assert {(r["kind"], r["legal_basis"], r["effective_on"]) for r in lineage} == \
        {("merge", NQ, EFFECTIVE)}
    # the unit browser shows the old communes before, the new one after
    # (each old one also says what it went into)
    page = srv.sign_in("viewer")
    xid = x["unit"]["id"]

    def child(date, uid):
        return f'<li><a href="/units?date={date}&amp;unit={uid}">'

    r = page.get("/units", params={"date": "2026-01-01", "unit": history["laocai"]})
    assert child("2026-01-01", history["b"]) in r.text
    assert child("2026-01-01", xid) not in r.text
    assert "sáp nhập vào" in r.text or "Xã Bắc Hà Mới" in r.text
    r = page.get("/units", params={"date": EFFECTIVE, "unit": history["laocai"]})
    assert child(EFFECTIVE, xid) in r.text
    assert child(EFFECTIVE, history["b"]) not in r.text


def rollup(client, code, date, period):
    r = client.get(f"/api/v1/indicator/{rollup.ind}/rollup",
                   params={"unit": code, "date": date, "period": period})
    assert r.status_code == 200, describe(r)
    return r.json()


def test_figures_roll_up_both_ways(srv, history):
    viewer = srv.api("viewer")
    rollup.ind = history["ind"]
    # the old communes' figures count toward the new one, for periods
    # before the date...
    new = rollup(viewer, "99001", EFFECTIVE, "2025-Q4")
    assert new["value"] == 15 and new["count"] == 2
    assert {u["unit_code"] for u in new["units"]} == {"02839", "02848"}
    assert all(u["lineage"] for u in new["units"])
    # ... back through 2025 to the 2024 commune Lùng Phình came from ...
    assert rollup(viewer, "99001", EFFECTIVE, "2025-Q2")["value"] == 2
    # ... and for one entered late against an old commune
    assert rollup(viewer, "99001", EFFECTIVE, "2026-Q2")["value"] == 3
    # the old communes still show their own for the periods before
    assert rollup(viewer, "02839", DAY_BEFORE, "2025-Q4")["value"] == 10
    assert rollup(viewer, "02848", DAY_BEFORE, "2025-Q4")["value"] == 5
    # the province counts each figure once, whichever vintage holds it
    assert rollup(viewer, "15", EFFECTIVE, "2025-Q4")["value"] == 15


def activities_in_report(client, unit_id, period):
    """The activities a unit's review report counts ("Trong kỳ đã ghi nhận N
    hoạt động"), 0 without the section."""
    r = client.get("/reports/build", params={"scope": f"unit:{unit_id}",
                                             "period": period, "format": "json"})
    assert r.status_code == 200, describe(r)
    m = re.search(r"ghi nhận (\d+) hoạt động", r.text)
    return int(m.group(1)) if m else 0


def test_reports_follow_the_lineage(srv, history):
    admin = srv.api("admin")
    x = unit(admin, "99001", EFFECTIVE)["unit"]["id"]
    admin.create("activity", activity(x, start_on="2026-04-10"))
    # the new commune's review of 2026 counts the old one's activity too
    assert activities_in_report(admin, x, "2026") == 2
    # the old communes' count their own only
    assert activities_in_report(admin, history["a"], "2026") == 1
    assert activities_in_report(admin, history["b"], "2026") == 0
    # the province's once each
    assert activities_in_report(admin, history["laocai"], "2026") == 2


def test_cli_applies_a_rename_after_the_merger(srv, history, tmp_path):
    """A second reorganisation on top of the first: the new commune renamed
    from 2027; its roll-up still reaches back through both."""
    admin = srv.api("admin")
    text = (HEAD + "unit,99001,Xã Bắc Hà Hợp Nhất,Xã,2,15,,,2027-01-01,\n"
            f"lineage,99001,,,,,99001,rename,2027-01-01,Nghị quyết số 77/NQ-HĐND\n")
    path = tmp_path / "doi-ten.csv"
    path.write_text(text, encoding="utf-8")
    p = run_cli(srv.db, "units", "reorganise", str(path))
    assert "Xem trước" in p.stdout and "Xã Bắc Hà Hợp Nhất" in p.stdout, p.stdout
    assert admin.get("/api/v1/units/99001", params={"date": "2027-01-01"}).json()[
        "unit"]["name"] == "Xã Bắc Hà Mới"  # a preview changes nothing
    p = run_cli(srv.db, "units", "reorganise", str(path), "--apply")
    assert "Đã sắp xếp" in p.stdout, p.stdout
    r = rollup(srv.api("viewer"), "99001", "2027-01-01", "2025-Q4")
    assert r["value"] == 15
    assert admin.get("/api/v1/units/99001", params={"date": "2026-12-31"}).json()[
        "unit"]["name"] == "Xã Bắc Hà Mới"
