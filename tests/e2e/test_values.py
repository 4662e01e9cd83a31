"""The read endpoints of issue 7 (src/api/api_values.c):
GET /api/v1/unit_by_code/CODE, /api/v1/indicator/ID/values and
/api/v1/indicator/ID/summary (bands counted in SQL)."""
import pytest

from conftest import assert_error, describe, unique

PERIOD = "2019"  # no demo value has it: the counts below are exact


def make_indicator(admin, unit_id, direction):
    ts = admin.create("target_set", {"name": unique("Bộ chỉ tiêu e2e giá trị"),
                                     "unit_id": unit_id, "term_start": 2016,
                                     "term_end": 2020})
    g = admin.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": unique("Nhóm e2e")})
    ind = admin.create("indicator", {"target_group_id": g["id"],
                                     "name": unique("Chỉ tiêu e2e"),
                                     "direction": direction,
                                     "value_kind": "number"})
    return ind["id"]


def add_value(admin, ind, unit, target, actual):
    """An approved value: created as a draft (a user creates in the initial
    state only, src/domain/workflow.h), then submitted and approved."""
    rec = {"indicator_id": ind, "unit_id": unit, "period": PERIOD,
           "status": "draft"}
    if target is not None:
        rec["target"] = target
    if actual is not None:
        rec["actual"] = actual
    val = admin.create("indicator_value", rec)
    for status in ("submitted", "approved"):
        r = admin.patch(f"/api/v1/indicator_value/{val['id']}",
                        json={"status": status})
        assert r.status_code == 200, describe(r)


@pytest.fixture(scope="module")
def higher(server):
    """A higher-is-better indicator with five values among the communes of
    Si Ma Cai (one per band, one without actual) and one outside it."""
    admin = server.api("admin")
    communes = [c["id"] for c in server.children("084")]
    outside = server.children("083")[0]["id"]
    ind = make_indicator(admin, server.unit_id("084"), "higher")
    for unit, (t, a) in zip(communes, [(10, 12), (10, 10), (10, 8), (10, 5),
                                       (10, None)]):
        add_value(admin, ind, unit, t, a)
    add_value(admin, ind, outside, 4, 4)
    return ind, communes[:5], outside


def test_unit_by_code_answers_the_record_alone(viewer):
    r = viewer.get("/api/v1/unit_by_code/084", params={"date": "2024-01-01"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["name"] == "Huyện Si Ma Cai" and body["code"] == "084"
    assert "children" not in body


def test_unit_by_code_unknown_is_404_and_anonymous_401(viewer, anon):
    assert_error(viewer.get("/api/v1/unit_by_code/99999999"), 404, "not_found")
    assert_error(anon.get("/api/v1/unit_by_code/084"), 401, "unauthorized")


def test_values_of_the_units_below_a_unit(viewer, higher):
    ind, communes, outside = higher
    r = viewer.get(f"/api/v1/indicator/{ind}/values",
                   params={"period": PERIOD, "unit": "084", "date": "2024-01-01"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["count"] == 5 and body["unit"] == "084"
    assert body["direction"] == "higher" and body["period"] == PERIOD
    assert [i["unit_id"] for i in body["items"]] == sorted(communes)
    by_unit = {i["unit_id"]: i for i in body["items"]}
    assert by_unit[communes[0]]["target"] == 10 and by_unit[communes[0]]["actual"] == 12
    assert by_unit[communes[4]]["actual"] is None


def test_values_of_every_unit(viewer, higher):
    ind, communes, outside = higher
    r = viewer.get(f"/api/v1/indicator/{ind}/values", params={"period": PERIOD})
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["count"] == 6 and body["unit"] is None
    assert outside in [i["unit_id"] for i in body["items"]]


def test_summary_counts_bands_in_the_database(viewer, higher):
    ind, _, _ = higher
    r = viewer.get(f"/api/v1/indicator/{ind}/summary",
                   params={"period": PERIOD, "unit": "084", "date": "2024-01-01"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert body["bands"] == {"high": 2, "mid": 1, "low": 1, "none": 1, "total": 5}
    assert body["thresholds"] == {"high": 100, "mid": 70}
    assert body["summary"].startswith("2/5 đơn vị")
    every = viewer.get(f"/api/v1/indicator/{ind}/summary",
                       params={"period": "năm 2019"}).json()
    assert every["period"] == PERIOD and every["bands"]["high"] == 3
    assert every["bands"]["total"] == 6


def test_summary_of_a_lower_is_better_indicator(server, viewer, admin):
    communes = [c["id"] for c in server.children("084")]
    ind = make_indicator(admin, server.unit_id("084"), "lower")
    # actual 0 under a target: met (no ratio); 0 of 0: 100 %; twice the
    # target: 50 %
    for unit, (t, a) in zip(communes, [(10, 0), (0, 0), (10, 20)]):
        add_value(admin, ind, unit, t, a)
    body = viewer.get(f"/api/v1/indicator/{ind}/summary",
                      params={"period": PERIOD}).json()
    assert body["bands"] == {"high": 2, "mid": 0, "low": 1, "none": 0, "total": 3}


def test_summary_agrees_with_the_rollup_ratio_rules(viewer, admin, server):
    """exact and yes/no directions: the same bands achieve.c gives."""
    communes = [c["id"] for c in server.children("084")]
    ind = make_indicator(admin, server.unit_id("084"), "exact")
    for unit, (t, a) in zip(communes, [(10, 10), (10, 9), (10, 5), (0, 1)]):
        add_value(admin, ind, unit, t, a)
    body = viewer.get(f"/api/v1/indicator/{ind}/summary",
                      params={"period": PERIOD}).json()
    # 100 % -> high, 90 % -> mid, 50 % -> low, target 0 missed -> low
    assert body["bands"] == {"high": 1, "mid": 1, "low": 2, "none": 0, "total": 4}
    yn = make_indicator(admin, server.unit_id("084"), "yesno")
    for unit, (t, a) in zip(communes, [(1, 1), (1, 0), (0, 0)]):
        add_value(admin, yn, unit, t, a)
    body = viewer.get(f"/api/v1/indicator/{yn}/summary",
                      params={"period": PERIOD}).json()
    assert body["bands"] == {"high": 2, "mid": 0, "low": 1, "none": 0, "total": 3}


@pytest.mark.parametrize("path,params,status,code", [
    ("/api/v1/indicator/999999/summary", {"period": PERIOD}, 404, "not_found"),
    ("/api/v1/indicator/abc/values", {"period": PERIOD}, 404, "not_found"),
    ("/api/v1/indicator/1/values", {}, 400, "bad_request"),
    ("/api/v1/indicator/1/summary", {"period": "không phải kỳ"}, 400, "bad_request"),
    ("/api/v1/indicator/1/values", {"period": PERIOD, "unit": "99999999"}, 404,
     "not_found"),
])
def test_bad_arguments(viewer, path, params, status, code):
    r = viewer.get(path, params=params)
    assert_error(r, status, code)
    assert r.json()["error"]["message"]
