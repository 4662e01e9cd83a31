"""Plausibility rules of indicator values (issue 17, domain/plaus.h).

An indicator carries rules (a range, no negative values, a share of at most
100 %, a largest change against the previous period).  A value breaking one
is saved - it is a warning, not a refusal - but submitting it needs a
comment: 422 naming the field `comment`, with a Vietnamese message naming
the rule.  Tested on every write path of indicator values: the API (POST,
PATCH), `_bulk` (JSON and CSV), `giapranh import`, the record forms, the
workflow buttons of the record page and the grid; and approvers see the
warnings in the API's answer, on the record page and in the grid."""
import csv
import io

import pytest

from conftest import SIMACAI, assert_error, describe, run_cli, unique

RULE = "không nhận giá trị âm"   # the message of the sign rule names it
STEPS = [0]


def period():
    """A year of its own (a value's key is indicator, unit, period), and
    the next one for a second value; the year before holds no value, so
    the change rule does not speak unless a test puts one there."""
    STEPS[0] += 1
    return str(1901 + 3 * STEPS[0])


@pytest.fixture(scope="module")
def world(server):
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu hợp lý"),
                                     "unit_id": unit, "term_start": 2021, "term_end": 2025})
    g = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": unique("Xây dựng Đảng")})
    ind = admin.create("indicator", {"target_group_id": g["id"],
                                     "name": unique("Tỷ lệ chi bộ có chi ủy"),
                                     "direction": "higher", "value_kind": "percent",
                                     "plaus_non_negative": True, "plaus_max_100": True,
                                     "plaus_change_factor": 2})
    return {"unit": unit, "ts": ts["id"], "ind": ind["id"]}


def value(world, per, **over):
    v = {"indicator_id": world["ind"], "unit_id": world["unit"], "period": per,
         "actual": -5, "status": "draft"}
    v.update(over)
    return v


def stored(server, world, per):
    items = server.api("admin").list("indicator_value", indicator_id=world["ind"],
                                     period=per)["items"]
    return items[0] if items else None


def _csv(rec):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rec))
    w.writeheader()
    w.writerow(rec)
    return out.getvalue()


def needs_comment(r):
    """The API's refusal: 422 on `comment` alone, naming the rule."""
    err = assert_error(r, 422, "invalid")
    assert list(err["fields"]) == ["comment"], describe(r)
    assert RULE in err["fields"]["comment"], describe(r)
    assert RULE in err["message"], describe(r)


def page_needs_comment(r):
    """A page's refusal: 422, the rule named on the page."""
    assert r.status_code == 422, describe(r)
    assert RULE in r.text, describe(r)


# ---- drafts save, with their warnings -------------------------------------------

def draft_api(server, world, per):
    r = server.api("simacai_editor").post("/api/v1/indicator_value", json=value(world, per))
    assert r.status_code == 201, describe(r)
    assert [w["rule"] for w in r.json()["warnings"]] == ["non_negative"], describe(r)
    assert r.json()["warnings"][0]["field"] == "actual"


def draft_bulk_json(server, world, per):
    r = server.api("simacai_editor").post("/api/v1/indicator_value/_bulk",
                                          json=[value(world, str(int(per) + 1), actual=5),
                                                value(world, per)])
    assert r.status_code == 200, describe(r)
    assert r.json()["imported"] == 2, describe(r)
    # the second item only (the first's previous period is still empty)
    assert [(x["line"], x["rule"]) for x in r.json()["warnings"]] == \
        [(2, "non_negative")], describe(r)


def draft_bulk_csv(server, world, per):
    r = server.api("simacai_editor").post("/api/v1/indicator_value/_bulk",
                                          data=_csv(value(world, per)).encode(),
                                          headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, describe(r)
    assert r.json()["imported"] == 1, describe(r)
    assert [x["rule"] for x in r.json()["warnings"]] == ["non_negative"], describe(r)
    assert r.json()["warnings"][0]["line"] == 2


def draft_form(server, world, per):
    s = server.sign_in("simacai_editor")
    r = s.post("/e/indicator_value/new",
               data={"_csrf": s.csrf, **{k: str(v) for k, v in value(world, per).items()}},
               allow_redirects=False)
    assert r.status_code == 303, describe(r)


def draft_grid(server, world, per):
    r = grid_post(server, "simacai_editor", world, per, "draft", "-5", "")
    assert r.status_code == 303, describe(r)


def draft_import(server, world, per, tmp_path):
    path = tmp_path / f"v{per}.csv"
    path.write_text(_csv(value(world, per)), encoding="utf-8")
    p = run_cli(server.db, "import", "indicator_value", str(path), check=False)
    assert p.returncode == 0, p.stderr
    assert "cảnh báo" in p.stderr and RULE in p.stderr, p.stderr


DRAFTS = {"api": draft_api, "bulk_json": draft_bulk_json, "bulk_csv": draft_bulk_csv,
          "form": draft_form, "grid": draft_grid}


@pytest.mark.parametrize("path", sorted(DRAFTS))
def test_an_implausible_draft_is_saved(server, world, path):
    per = period()
    DRAFTS[path](server, world, per)
    got = stored(server, world, per)
    assert got is not None and got["actual"] == -5 and got["status"] == "draft", got
    # whoever reads it is warned (API answer)
    r = server.api("admin").get(f"/api/v1/indicator_value/{got['id']}")
    assert [w["rule"] for w in r.json()["warnings"]] == ["non_negative"], describe(r)


def test_an_implausible_import_is_saved_with_a_warning(server, world, tmp_path):
    per = period()
    draft_import(server, world, per, tmp_path)
    assert stored(server, world, per)["actual"] == -5


# ---- submitting needs a comment ----------------------------------------------------

def grid_post(server, who, world, per, action, actual, comment):
    s = server.sign_in(who)
    ind = world["ind"]
    data = {"_csrf": s.csrf, "target_set": str(world["ts"]), "unit": SIMACAI,
            "period": per, "action": action, f"t{ind}": "100", f"a{ind}": actual,
            f"c{ind}": comment}
    return s.post("/grid", data=data, allow_redirects=False)


def submit_api(server, world, rec, comment):
    body = {"status": "submitted"}
    if comment is not None:
        body["comment"] = comment
    r = server.api("simacai_editor").patch(f"/api/v1/indicator_value/{rec['id']}", json=body)
    if comment is None:
        needs_comment(r)
    else:
        assert r.status_code == 200, describe(r)
        # the answer keeps warning whoever approves it
        assert [w["rule"] for w in r.json()["warnings"]] == ["non_negative"]


def submit_form(server, world, rec, comment):
    s = server.sign_in("simacai_editor")
    data = {"_csrf": s.csrf, "_version": str(rec["version"]), "status": "submitted"}
    if comment is not None:
        data["comment"] = comment
    r = s.post(f"/e/indicator_value/{rec['id']}/edit", data=data, allow_redirects=False)
    if comment is None:
        page_needs_comment(r)
    else:
        assert r.status_code == 303, describe(r)


def submit_button(server, world, rec, comment):
    """The workflow button of the record page (a comment is entered with
    the form first)."""
    s = server.sign_in("simacai_editor")
    if comment is not None:
        r = s.post(f"/e/indicator_value/{rec['id']}/edit",
                   data={"_csrf": s.csrf, "_version": str(rec["version"]),
                         "comment": comment}, allow_redirects=False)
        assert r.status_code == 303, describe(r)
    r = s.post(f"/e/indicator_value/{rec['id']}/status",
               data={"_csrf": s.csrf, "status": "submitted"}, allow_redirects=False)
    if comment is None:
        page_needs_comment(r)
    else:
        assert r.status_code == 303, describe(r)


def submit_grid(server, world, rec, comment):
    r = grid_post(server, "simacai_editor", world, rec["period"], "submitted", "-5",
                  comment or "")
    if comment is None:
        page_needs_comment(r)
        # the row says which rule, beside the figure
        assert 'class="invalid"' in r.text
    else:
        assert r.status_code == 303, describe(r)


SUBMITS = {"api": submit_api, "form": submit_form, "button": submit_button,
           "grid": submit_grid}


@pytest.mark.parametrize("path", sorted(SUBMITS))
def test_submitting_an_implausible_value_needs_a_comment(server, world, path):
    per = period()
    rec = server.api("simacai_editor").create("indicator_value", value(world, per))
    rec = stored(server, world, per)
    SUBMITS[path](server, world, rec, None)
    # refused: nothing changed
    assert stored(server, world, per) == rec
    SUBMITS[path](server, world, rec, "Số liệu sơ bộ của huyện, đang rà soát")
    after = stored(server, world, per)
    assert after["status"] == "submitted", after
    assert after["comment"], after


def test_a_new_value_submitted_from_the_grid_needs_a_comment(server, world):
    per = period()
    page_needs_comment(grid_post(server, "simacai_editor", world, per, "submitted", "-5", ""))
    assert stored(server, world, per) is None
    r = grid_post(server, "simacai_editor", world, per, "submitted", "-5", "Có giải thích")
    assert r.status_code == 303, describe(r)
    assert stored(server, world, per)["status"] == "submitted"


def test_a_plausible_value_needs_no_comment(server, world):
    per = period()
    r = grid_post(server, "simacai_editor", world, per, "submitted", "95", "")
    assert r.status_code == 303, describe(r)
    rec = stored(server, world, per)
    assert rec["status"] == "submitted"
    r = server.api("admin").get(f"/api/v1/indicator_value/{rec['id']}")
    assert r.json()["warnings"] == []


def test_the_change_rule_reads_the_previous_period(server, world):
    per = period()
    prev = str(int(per) - 1)
    admin = server.api("admin")
    admin.create("indicator_value", value(world, prev, actual=40))
    r = admin.post("/api/v1/indicator_value", json=value(world, per, actual=90))
    assert r.status_code == 201, describe(r)
    w = r.json()["warnings"]
    assert [x["rule"] for x in w] == ["change"], w
    assert prev in w[0]["message"] and "2 lần" in w[0]["message"], w


# ---- approvers see the warnings ---------------------------------------------------

def test_approvers_see_the_warning_everywhere(server, world):
    per = period()
    editor = server.api("simacai_editor")
    rec = editor.create("indicator_value", value(world, per))
    r = editor.patch(f"/api/v1/indicator_value/{rec['id']}",
                     json={"status": "submitted", "comment": "Đã kiểm tra lại"})
    assert r.status_code == 200, describe(r)
    s = server.sign_in("admin")
    page = s.get(f"/e/indicator_value/{rec['id']}")
    assert page.status_code == 200
    assert "plaus-warning" in page.text and RULE in page.text, describe(page)
    grid = s.get("/grid", params={"target_set": world["ts"], "unit": SIMACAI, "period": per})
    assert grid.status_code == 200
    assert "plaus-warned" in grid.text and RULE in grid.text, describe(grid)
    # approved as it is: the approver has seen it
    r = server.api("admin").patch(f"/api/v1/indicator_value/{rec['id']}",
                                  json={"status": "approved"})
    assert r.status_code == 200, describe(r)
    assert r.json()["warnings"][0]["rule"] == "non_negative"


def test_an_indicator_range_must_not_be_empty(server, world):
    r = server.api("admin").patch(f"/api/v1/indicator/{world['ind']}",
                                  json={"plaus_min": 50, "plaus_max": 10})
    err = assert_error(r, 422, "invalid")
    assert "plaus_max" in err["fields"], describe(r)


def test_the_demo_party_building_indicators_carry_rules(server):
    """A -5 % for a Party-building indicator of the demo warns."""
    admin = server.api("admin")
    for code in ("XD01", "XD02"):
        ind = admin.list("indicator", code=code)["items"][0]
        assert ind["plaus_non_negative"] is True and ind["plaus_max_100"] is True, ind
        r = admin.post("/api/v1/indicator_value/_bulk",
                       json=[{"indicator_id": ind["id"], "unit_id": server.unit_id(SIMACAI),
                              "period": "2098-Q2", "actual": -5,
                              "status": "draft"}])
        assert r.status_code == 200, describe(r)
        assert [w["rule"] for w in r.json()["warnings"]] == ["non_negative"], describe(r)
