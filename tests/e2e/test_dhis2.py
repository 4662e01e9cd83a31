"""Indicator values as DHIS2 dataValueSets (JSON, CSV) and IHE ADX at DHIS2's own
paths (issue 18, part 2; src/domain/dhis2.c, src/api/api_dhis2.c, docs/EXCHANGE.md):

  * GET /api/v1/dataValueSets[.json|.csv|.adx]: the shapes of each format, the
    Accept header, the id schemes, children, and the arguments refused;
  * POST /api/v1/dataValueSets: the import summary's counts (imported, updated,
    ignored, deleted) and a conflict naming each value refused; dryRun;
  * through the one write path: an editor cannot import into another unit (a
    conflict, nothing written), a viewer not at all (403), an approved value
    is locked;
  * a round trip - export, import into another database, export - gives the
    same bytes, in each format;
  * the JSON example of the DHIS2 documentation ("Sending data values"),
    written as printed, imports after mapping and exports back identically.
"""
import csv
import io
import re
import tempfile
import xml.etree.ElementTree as ET

import pytest

from conftest import (BACHA, SIMACAI, _fresh_db, assert_error, demo_server, describe,
                      run_cli, unique)

JSON = "application/json"
CSV = "application/csv"
ADX = "application/adx+xml"
ADX_NS = "urn:ihe:qrph:adx:2015"
PATH = "/api/v1/dataValueSets"

# The example of "Sending data values" in the DHIS2 Web API documentation,
# as printed (docs/exchange-standards.md §1.3): data set Mortality < 5 years,
# org unit Ngelehun CHC, January 2014, measles, dysentery, cholera.
DOC_EXAMPLE = """{
  "dataSet": "pBOMPrpg1QX",
  "completeDate": "2014-02-03",
  "period": "201401",
  "orgUnit": "DiszpKrYNg8",
  "dataValues": [
    { "dataElement": "f7n9E0hX8qk", "value": "1" },
    { "dataElement": "Ix2HsbDMLea", "value": "2" },
    { "dataElement": "eY5ehpbEsB7", "value": "3" }
  ]
}
"""


def make_set(api, server, ds, elements, units=(), unit=SIMACAI):
    """A target set of `unit` with one group and an indicator per element,
    and its exchange codes: ds = (uid, code) of the data set; elements =
    [(key, uid, code, value_of, coc, direction)]; units = [(unit code, uid,
    code)].  Returns {"set": id, key: indicator id}."""
    ts = api.create("target_set", {"name": unique("Bộ chỉ tiêu trao đổi"),
                                   "unit_id": server.unit_id(unit), "term_start": 2010,
                                   "term_end": 2030})
    grp = api.create("target_group", {"target_set_id": ts["id"], "number": 1,
                                      "name": "Nhóm chỉ tiêu trao đổi"})
    out = {"set": ts["id"]}
    api.create("exchange_code", {"target_set_id": ts["id"], "uid": ds[0], "code": ds[1]})
    for key, uid, code, value_of, coc, direction in elements:
        if key not in out:
            ind = api.create("indicator", {"target_group_id": grp["id"],
                                           "name": unique("Chỉ tiêu " + key),
                                           "direction": direction or "higher",
                                           "value_kind": "number"})
            out[key] = ind["id"]
        row = {"target_set_id": ts["id"], "indicator_id": out[key], "uid": uid,
               "code": code, "value_of": value_of}
        if coc:
            row["category_option_combo"] = coc
        api.create("exchange_code", {k: v for k, v in row.items() if v is not None})
    for code, uid, ucode in units:
        api.create("exchange_code", {"target_set_id": ts["id"], "unit_id":
                                     server.unit_id(code), "uid": uid, "code": ucode})
    return out


def value(api, server, ind, unit, period, **fields):
    rec = {"indicator_id": ind, "unit_id": server.unit_id(unit), "period": period,
           "status": "draft"}
    rec.update(fields)
    return api.create("indicator_value", rec)


def values_of(api, ind):
    return api.list("indicator_value", indicator_id=ind, limit=1000, sort="id")["items"]


def uid(prefix):
    """An 11-character identifier unique within the run, in DHIS2's shape."""
    return (prefix + re.sub(r"\W", "", unique("")))[-11:].rjust(11, "x")


@pytest.fixture(scope="module")
def shapes(server):
    """A set of three data elements (one indicator's actual and target, a
    yes/no indicator) with values for Si Ma Cai and two of its communes."""
    api = server.api("admin")
    ids = {"ds": uid("DS"), "dsc": unique("DS_CODE")[-40:], "ou": uid("OU"),
           "a": uid("DEa"), "t": uid("DEt"), "y": uid("DEy")}
    made = make_set(api, server, (ids["ds"], ids["dsc"]), [
        ("n", ids["a"], "N_ACTUAL", "actual", None, None),
        ("n", ids["t"], "N_TARGET", "target", "tgtCOC00001", None),
        ("y", ids["y"], "Y_FLAG", None, None, "yesno")],
        units=[(SIMACAI, ids["ou"], "OU_SIMACAI")])
    communes = server.children(SIMACAI)[:2]
    value(api, server, made["n"], SIMACAI, "2023", target=120, actual=98.5,
          comment='có "ngoặc", dấu phẩy, <thẻ> & xuống\ndòng')
    value(api, server, made["y"], SIMACAI, "2023", actual=1)
    for i, c in enumerate(communes):
        value(api, server, made["n"], c["code"], "2023", actual=10 + i)
    value(api, server, made["n"], SIMACAI, "2023-Q4", actual=7)
    made.update(ids=ids, communes=[c["code"] for c in communes])
    return made


def test_json_export_of_one_unit_has_the_set_fields_once(admin, shapes):
    ids = shapes["ids"]
    r = admin.get(PATH, params={"dataSet": ids["ds"], "period": "2023",
                                "orgUnit": ids["ou"]})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith(JSON)
    body = r.json()
    assert body["dataSet"] == ids["ds"] and body["period"] == "2023"
    assert body["orgUnit"] == ids["ou"] and "completeDate" not in body
    # in the exchange codes' order; numbers as strings; the target under
    # its own data element and category option combo
    assert body["dataValues"] == [
        {"dataElement": ids["a"], "value": "98.5",
         "comment": 'có "ngoặc", dấu phẩy, <thẻ> & xuống\ndòng'},
        {"dataElement": ids["t"], "categoryOptionCombo": "tgtCOC00001", "value": "120",
         "comment": 'có "ngoặc", dấu phẩy, <thẻ> & xuống\ndòng'},
        {"dataElement": ids["y"], "value": "1"},
    ]
    # the same by .json, and by codes
    assert admin.get(PATH + ".json", params=r.request.url.split("?")[1]).text == r.text
    r = admin.get(PATH, params={"dataSet": ids["dsc"], "period": "2023Q4",
                                "orgUnit": "OU_SIMACAI", "idScheme": "code"})
    assert r.json() == {"dataSet": ids["dsc"], "period": "2023Q4", "orgUnit": "OU_SIMACAI",
                        "dataValues": [{"dataElement": "N_ACTUAL", "value": "7"}]}


def test_children_give_every_unit_by_its_code(admin, shapes):
    ids = shapes["ids"]
    r = admin.get(PATH, params={"dataSet": ids["ds"], "period": "2023",
                                "orgUnit": SIMACAI, "children": "true"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    units = [v["orgUnit"] for v in body["dataValues"]]
    # communes without an exchange code go by their own code; in order
    assert units == sorted(units)
    assert set(units) == {ids["ou"], *shapes["communes"]}
    assert "orgUnit" not in body and body["period"] == "2023"
    assert [v["value"] for v in body["dataValues"] if v["orgUnit"] in
            shapes["communes"]] == ["10", "11"]
    r = admin.get(PATH, params={"dataSet": ids["ds"], "period": "2023",
                                "orgUnit": SIMACAI, "children": "false"})
    assert {v.get("orgUnit", r.json().get("orgUnit")) for v in r.json()["dataValues"]} \
        == {ids["ou"]}


def test_csv_and_adx_exports(admin, shapes):
    ids = shapes["ids"]
    q = {"dataSet": ids["ds"], "period": "2023", "orgUnit": SIMACAI, "children": "true"}
    r = admin.get(PATH + ".csv", params=q)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith(CSV)
    assert admin.get(PATH, params=q, headers={"Accept": CSV}).text == r.text
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["dataelement", "period", "orgunit", "categoryoptioncombo",
                       "attributeoptioncombo", "value", "storedby", "lastupdated",
                       "comment", "followup", "deleted"]
    assert all(len(x) == 11 for x in rows)
    # every field quoted, the header too
    assert r.text.startswith('"dataelement","period","orgunit",')
    assert f'"{ids["a"]}","2023","{ids["ou"]}","","","98.5","","",' in r.text
    mine = [x for x in rows[1:] if x[2] == ids["ou"]]
    assert [x[0] for x in mine] == [ids["a"], ids["t"], ids["y"]]
    assert mine[0][5] == "98.5" and mine[0][8].endswith("xuống\ndòng")
    assert mine[1][3] == "tgtCOC00001" and mine[1][9:] == ["false", "false"]

    r = admin.get(PATH + ".adx", params=q)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith(ADX)
    assert admin.get(PATH, params=q, headers={"Accept": ADX}).text == r.text
    root = ET.fromstring(r.content)
    assert root.tag == f"{{{ADX_NS}}}adx" and re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.get("exported"))
    groups = root.findall(f"{{{ADX_NS}}}group")
    # ADX's default scheme is code: the data set and data elements by code
    assert [g.get("orgUnit") for g in groups] == sorted(["OU_SIMACAI",
                                                          *shapes["communes"]])
    g = [g for g in groups if g.get("orgUnit") == "OU_SIMACAI"][0]
    assert (g.get("period"), g.get("dataSet")) == ("2023-01-01/P1Y", ids["dsc"])
    assert [(d.get("dataElement"), d.get("categoryOptionCombo"), d.get("value"))
            for d in g] == [("N_ACTUAL", None, "98.5"), ("N_TARGET", "tgtCOC00001", "120"),
                            ("Y_FLAG", None, "1")]


@pytest.mark.parametrize("params,status,says", [
    ({"period": "2023", "orgUnit": SIMACAI}, 400, "dataSet"),
    ({"dataSet": "x", "orgUnit": SIMACAI}, 400, "period"),
    ({"dataSet": "x", "period": "2023"}, 400, "orgUnit"),
    ({"dataSet": "ds", "period": "2023W5", "orgUnit": SIMACAI}, 400, "tuần"),
    ({"dataSet": "ds", "period": "2023-Q4", "orgUnit": SIMACAI}, 400, "không phải kỳ DHIS2"),
    ({"dataSet": "khong-co-ma-nay", "period": "2023", "orgUnit": SIMACAI}, 404, "dataSet"),
    ({"dataSet": "ds", "period": "2023", "orgUnit": SIMACAI, "children": "yes"}, 400,
     "children"),
    ({"dataSet": "ds", "period": "2023", "orgUnit": SIMACAI, "idScheme": "name"}, 400,
     "idScheme"),
])
def test_export_arguments_refused(admin, shapes, params, status, says):
    params = {k: (shapes["ids"]["ds"] if v == "ds" else v) for k, v in params.items()}
    r = admin.get(PATH, params=params)
    err = assert_error(r, status)
    assert says in err["message"], describe(r)


def test_export_unknown_org_unit_and_anonymous(admin, anon, shapes):
    r = admin.get(PATH, params={"dataSet": shapes["ids"]["ds"], "period": "2023",
                                "orgUnit": "khong-co-don-vi"})
    assert "orgUnit" in assert_error(r, 404)["message"]
    assert_error(anon.get(PATH, params={"dataSet": shapes["ids"]["ds"]}), 401)


def test_cli_values_export_and_import_as_the_api(server, admin, shapes, tmp_path):
    ids = shapes["ids"]
    q = {"dataSet": ids["ds"], "period": "2023", "orgUnit": SIMACAI, "children": "true"}
    for fmt, name in (("json", "dhis2-json"), ("csv", "dhis2-csv"), ("adx", "adx")):
        api = admin.get(f"{PATH}.{fmt}", params=q).content
        out = tmp_path / f"out.{fmt}"
        run_cli(server.db, "values", "export", "--format", name, "--data-set", ids["ds"],
                "--period", "2023", "--org-unit", SIMACAI, "--children", "-o", str(out))
        cli = out.read_bytes()
        if fmt == "adx":
            api, cli = (re.sub(rb'exported="[^"]*"', b"", x) for x in (api, cli))
        assert cli == api, (fmt, cli.decode(), api.decode())
        # what was exported imports as unchanged: all ignored, no conflict
        p = run_cli(server.db, "values", "import", "--format", name, str(out),
                    "--data-set", ids["ds"], "--dry-run")
        import json
        s = json.loads(p.stdout)
        assert s["status"] == "SUCCESS" and s["importCount"]["ignored"] == \
            len(admin.get(f"{PATH}.json", params=q).json()["dataValues"]), s
    # a conflict makes the command fail; as a user, their grants hold
    bad = tmp_path / "bad.json"
    bad.write_text('{"dataValues": [{"dataElement": "%s", "period": "2023", '
                   '"orgUnit": "%s", "value": "1"}]}' % (ids["a"], BACHA))
    p = run_cli(server.db, "values", "import", "--format", "dhis2-json", str(bad),
                "--as", server.login("simacai_editor"), check=False)
    assert p.returncode == 1 and '"orgUnit"' in p.stdout, p.stdout + p.stderr
    p = run_cli(server.db, "values", "import", "--format", "xml", str(bad), check=False)
    assert p.returncode == 2 and "cách dùng" in p.stderr


def test_exchange_code_names_one_thing(admin, server, shapes, viewer):
    """An indicator or a unit on a row, not both; one row per thing; only
    admins keep the codes (reference data), every user reads them."""
    row = {"target_set_id": shapes["set"], "indicator_id": shapes["n"],
           "unit_id": server.unit_id(SIMACAI), "uid": "xxxxxxxxxxx"}
    r = admin.post("/api/v1/exchange_code", json=row)
    err = assert_error(r, 422)
    assert "Đơn vị (orgUnit)" in err["fields"]["indicator_id"], err
    del row["unit_id"]
    assert_error(admin.post("/api/v1/exchange_code", json=row), 409)   # actual's row exists
    assert_error(viewer.post("/api/v1/exchange_code", json=row), 403)
    assert viewer.list("exchange_code", target_set_id=shapes["set"])["total"] == 5


# ---- import ----------------------------------------------------------------------


@pytest.fixture
def fresh(server):
    """A set of its own per test: two data elements (actual, target) of one
    indicator and a yes/no one, Si Ma Cai by an exchange code."""
    api = server.api("admin")
    ids = {"ds": uid("IS"), "ou": uid("IO"), "a": uid("IA"), "t": uid("IT"),
           "y": uid("IY")}
    made = make_set(api, server, (ids["ds"], None), [
        ("n", ids["a"], None, "actual", None, None),
        ("n", ids["t"], None, "target", None, None),
        ("y", ids["y"], None, None, None, "yesno")],
        units=[(SIMACAI, ids["ou"], None)])
    made["ids"] = ids
    return made


def post(api, body, ctype=JSON, **params):
    data = body.encode() if isinstance(body, str) else body
    return api.post(PATH, data=data, params=params, headers={"Content-Type": ctype})


def summary_of(r):
    assert r.status_code == 200, describe(r)
    s = r.json()
    assert set(s["importCount"]) == {"imported", "updated", "ignored", "deleted"}
    return s


def dvs(ids, *values, **set_fields):
    import json
    body = {"dataSet": ids["ds"], "orgUnit": ids["ou"]}
    body.update(set_fields)
    body["dataValues"] = list(values)
    return json.dumps(body, ensure_ascii=False)


def test_import_counts_and_conflicts(admin, server, fresh):
    ids, n = fresh["ids"], fresh["n"]
    value(admin, server, n, SIMACAI, "2022", actual=5, target=9)
    value(admin, server, n, SIMACAI, "2021", actual=3, comment="giữ")
    value(admin, server, n, SIMACAI, "2020", actual=4, target=6)
    body = dvs(ids,
               {"dataElement": ids["a"], "period": "2023", "value": "12.5",
                "comment": "mới"},                                       # imported
               {"dataElement": ids["a"], "period": "2022", "value": "6"},   # updated
               {"dataElement": ids["a"], "period": "2021", "value": "3"},   # ignored: same
               {"dataElement": ids["t"], "period": "2020", "value": "6",
                "deleted": True},                                        # deleted
               {"dataElement": "khongcoPTDL", "period": "2023", "value": "1"},
               {"dataElement": ids["a"], "period": "2023W5", "value": "1"},
               {"dataElement": ids["a"], "period": "2019", "value": "mười"},
               {"dataElement": ids["y"], "period": "2023", "value": "true"},  # imported
               {"dataElement": ids["y"], "period": "2022", "value": "2"},
               {"dataElement": ids["a"], "period": "2018", "value": "1",
                "orgUnit": "khong-co-don-vi"})
    s = summary_of(post(admin, body))
    assert s["importCount"] == {"imported": 2, "updated": 1, "ignored": 6, "deleted": 1}
    assert s["status"] == "WARNING" and s["responseType"] == "ImportSummary"
    assert s["rejectedIndexes"] == [4, 5, 6, 8, 9]
    by_index = {c["indexes"][0]: c for c in s["conflicts"]}
    assert sorted(by_index) == [4, 5, 6, 8, 9]
    assert (by_index[4]["object"], by_index[4]["property"]) == ("khongcoPTDL",
                                                                 "dataElement")
    assert (by_index[5]["object"], by_index[5]["property"]) == ("2023W5", "period")
    assert "tuần" in by_index[5]["value"]
    assert (by_index[6]["object"], by_index[6]["property"]) == ("mười", "value")
    assert by_index[8]["property"] == "value"
    assert (by_index[9]["object"], by_index[9]["property"]) == ("khong-co-don-vi",
                                                                 "orgUnit")
    # each conflict names the value: its place and its identifiers
    for i, c in by_index.items():
        assert f"giá trị thứ {i + 1} (dataValues[{i}])" in c["value"], c
        assert "dataElement" in c["value"] and "orgUnit" in c["value"], c
    stored = {v["period"]: v for v in values_of(admin, n)}
    assert stored["2023"]["actual"] == 12.5 and stored["2023"]["comment"] == "mới"
    assert stored["2023"]["status"] == "draft"
    assert (stored["2022"]["actual"], stored["2022"]["target"]) == (6, 9)
    assert stored["2021"]["comment"] == "giữ"
    assert stored["2020"]["target"] is None and stored["2020"]["actual"] == 4
    assert "2019" not in stored and "2018" not in stored
    assert [v["actual"] for v in values_of(admin, fresh["y"])] == [1]
    # the same again: everything ignored, nothing written
    s = summary_of(post(admin, body))
    assert s["importCount"]["imported"] == s["importCount"]["updated"] == 0
    assert s["importCount"]["deleted"] == 0


def test_import_strategies_and_dry_run(admin, server, fresh):
    ids, n = fresh["ids"], fresh["n"]
    value(admin, server, n, SIMACAI, "2022", actual=5)
    body = dvs(ids, {"dataElement": ids["a"], "period": "2022", "value": "8"},
               {"dataElement": ids["a"], "period": "2023", "value": "9"})
    s = summary_of(post(admin, body, dryRun="true"))
    assert s["importCount"] == {"imported": 1, "updated": 1, "ignored": 0, "deleted": 0}
    assert "dryRun" in s["description"]
    assert [(v["period"], v["actual"]) for v in values_of(admin, n)] == [("2022", 5)]
    s = summary_of(post(admin, body, importStrategy="CREATE"))
    assert s["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    assert s["conflicts"][0]["indexes"] == [0] and "CREATE" in s["conflicts"][0]["value"]
    body = dvs(ids, {"dataElement": ids["a"], "period": "2021", "value": "1"},
               {"dataElement": ids["a"], "period": "2023", "value": "10"})
    s = summary_of(post(admin, body, importStrategy="UPDATE"))
    assert s["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    s = summary_of(post(admin, body, importStrategy="DELETE"))
    assert s["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}
    assert [(v["period"], v["actual"]) for v in values_of(admin, n)] == [("2022", 5)]
    # the payload's own dryRun wins over the query's
    s = summary_of(post(admin, dvs(ids, {"dataElement": ids["a"], "period": "2020",
                                         "value": "1"}, dryRun=True), dryRun="false"))
    assert s["importCount"]["imported"] == 1
    assert len(values_of(admin, n)) == 1
    assert "importStrategy" in assert_error(post(admin, body, importStrategy="MERGE"),
                                            400)["message"]


def test_editor_cannot_import_into_another_unit(server, simacai_editor, viewer, fresh):
    ids, n = fresh["ids"], fresh["n"]
    body = dvs(ids, {"dataElement": ids["a"], "period": "2023", "value": "1",
                     "orgUnit": BACHA},
               {"dataElement": ids["t"], "period": "2023", "value": "2",
                "orgUnit": BACHA}, completeDate="2024-01-10")
    s = summary_of(post(simacai_editor, body))
    assert s["status"] == "ERROR"
    assert s["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    assert [(c["property"], c["object"]) for c in s["conflicts"][:2]] == \
        [("orgUnit", BACHA), ("orgUnit", BACHA)]
    assert s["dataSetComplete"] == "false"
    assert values_of(server.api("admin"), n) == []
    assert server.api("admin").list("set_completion", target_set_id=fresh["set"])[
        "total"] == 0
    # the same editor's own unit: written, and the set registered complete
    s = summary_of(post(simacai_editor, dvs(ids, {"dataElement": ids["a"],
                                                  "period": "2023", "value": "1"},
                                            completeDate="2024-01-10")))
    assert s["status"] == "SUCCESS" and s["importCount"]["imported"] == 1
    assert s["dataSetComplete"] == "2024-01-10"
    # a viewer may not write values at all: refused before the body is read
    assert_error(post(viewer, body), 403)
    assert_error(post(viewer, "not json"), 403)


def test_approved_value_is_locked(admin, server, fresh):
    ids, n = fresh["ids"], fresh["n"]
    v = value(admin, server, n, SIMACAI, "2023", actual=40)
    for status in ("submitted", "approved"):
        r = admin.patch(f"/api/v1/indicator_value/{v['id']}", json={"status": status})
        assert r.status_code == 200, describe(r)
    s = summary_of(post(admin, dvs(ids, {"dataElement": ids["a"], "period": "2023",
                                         "value": "41"})))
    assert s["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    assert s["conflicts"][0]["object"] == "41"
    assert values_of(admin, n)[0]["actual"] == 40
    # sent back as it is: ignored, no conflict
    s = summary_of(post(admin, dvs(ids, {"dataElement": ids["a"], "period": "2023",
                                         "value": "40"})))
    assert s["status"] == "SUCCESS" and s["importCount"]["ignored"] == 1
    s = summary_of(post(admin, dvs(ids, {"dataElement": ids["a"], "period": "2023",
                                         "value": "40", "deleted": True})))
    assert s["importCount"]["deleted"] == 0 and s["conflicts"]
    assert values_of(admin, n)[0]["actual"] == 40


def test_csv_and_adx_import(admin, server, fresh):
    ids, n = fresh["ids"], fresh["n"]
    text = ('"de","pe","ou","coc","aoc","value","by","ts","comment"\n'
            f'"{ids["a"]}","2023","{ids["ou"]}",,,"7",,,"từ CSV"\n'
            f'"{ids["t"]}","2023","{ids["ou"]}",,,"9"\n')
    s = summary_of(post(admin, text, CSV, dataSet=ids["ds"]))
    assert s["importCount"]["imported"] == 1 and s["importCount"]["updated"] == 1
    v = values_of(admin, n)[0]
    assert (v["actual"], v["target"], v["comment"]) == (7, 9, "từ CSV")
    s = summary_of(post(admin, text.split("\n", 1)[1], CSV, firstRowIsHeader="false"))
    assert s["importCount"]["ignored"] == 2 and not s["conflicts"]
    # a malformed line: refused whole, naming it
    err = assert_error(post(admin, text + '"x","2023"\n', CSV), 400)
    assert "dòng 4" in err["message"]
    adx = (f'<adx xmlns="{ADX_NS}" exported="2024-01-01T00:00:00Z">\n'
           f'  <group orgUnit="{ids["ou"]}" period="2023-10-01/P3M" dataSet="{ids["ds"]}">\n'
           f'    <dataValue dataElement="{ids["a"]}" value="3"/>\n'
           f'    <dataValue dataElement="{ids["a"]}" SEX="F" value="3"/>\n'
           '  </group>\n'
           f'  <group orgUnit="{ids["ou"]}" period="2023-04-01/P1Y" dataSet="{ids["ds"]}">\n'
           f'    <dataValue dataElement="{ids["a"]}" value="4"/>\n'
           '  </group>\n</adx>\n')
    s = summary_of(post(admin, adx, ADX, idScheme="uid"))
    assert s["importCount"] == {"imported": 1, "updated": 0, "ignored": 2, "deleted": 0}
    assert [(c["property"], "dòng " in c["value"]) for c in s["conflicts"]] == \
        [("categoryOptionCombo", True), ("period", True)]
    assert [v["period"] for v in values_of(admin, n)] == ["2023", "2023-Q4"]
    err = assert_error(post(admin, adx.replace("2023-10-01/P3M", "2023-11-15/P3M"),
                            ADX), 400)
    assert "dòng 2" in err["message"] and "2023-11-15/P3M" in err["message"]
    assert_error(post(admin, adx, "text/xml"), 415)


# ---- round trip and the documentation's example ----------------------------------


SET_ELEMENTS = [("n", "RtActual001", "RT_ACTUAL", "actual", None, None),
                ("n", "RtTarget001", "RT_TARGET", "target", "RtCoc000001", None),
                ("m", "RtOther0001", "RT_OTHER", None, None, None)]


@pytest.fixture(scope="module")
def other_server():
    """A database of its own, with none of the values."""
    with tempfile.TemporaryDirectory(prefix="giapranh-dhis2-") as tmp:
        with demo_server(tmp, _fresh_db(tmp, "_dhis2")) as srv:
            yield srv


def exports(api, **q):
    out = {}
    for fmt in ("json", "csv", "adx"):
        r = api.get(f"{PATH}.{fmt}", params=q)
        assert r.status_code == 200, describe(r)
        out[fmt] = r.content
    # ADX's root carries the time it was written (required by the schema)
    out["adx"] = re.sub(rb'exported="[^"]*"', b'exported=""', out["adx"])
    return out


def test_round_trip_is_byte_identical(server, other_server):
    src, dst = server.api("admin"), other_server.api("admin")
    made = make_set(src, server, ("RtSet000001", "RT_SET"), SET_ELEMENTS,
                    units=[(SIMACAI, "RtOrgUnit01", "RT_SIMACAI")])
    made_dst = make_set(dst, other_server, ("RtSet000001", "RT_SET"), SET_ELEMENTS,
                        units=[(SIMACAI, "RtOrgUnit01", "RT_SIMACAI")])
    communes = server.children(SIMACAI)
    value(src, server, made["n"], SIMACAI, "2023", actual=1.25, target=3,
          comment="ghi chú \"có\" dấu, phẩy\nvà xuống dòng")
    value(src, server, made["m"], SIMACAI, "2023", actual=0)
    for i, c in enumerate(communes[:3]):
        value(src, server, made["n"], c["code"], "2023", actual=1000000 + i / 8,
              comment="" if i else "xã đầu")
        value(src, server, made["m"], c["code"], "2023", target=-i)
    comp = src.create("set_completion", {"target_set_id": made["set"], "unit_id":
                                         server.unit_id(SIMACAI), "period": "2023",
                                         "completed_on": "2024-01-20"})
    assert comp["id"]
    for q in ({"orgUnit": SIMACAI, "children": "true"}, {"orgUnit": "RtOrgUnit01"}):
        q.update(dataSet="RtSet000001", period="2023")
        before = exports(src, **q)
        assert before["json"].count(b'"dataElement"') >= 5 or q.get("children") is None
        for fmt, ctype in (("json", JSON), ("csv", CSV), ("adx", ADX)):
            body = before[fmt]
            params = {"dataSet": "RtSet000001"} if fmt == "csv" else {}
            s = summary_of(post(dst, body, ctype, **params))
            assert not s["conflicts"], s
            after = exports(dst, **q)
            # CSV carries no completion and ADX no comment (§1.4, §2.3): the
            # file of the format imported comes back byte for byte
            assert after[fmt] == before[fmt], (fmt, before[fmt].decode(),
                                               after[fmt].decode())
            # and out again, leaving the other database without the values
            s = summary_of(post(dst, body, ctype, importStrategy="DELETE", **params))
            assert s["importCount"]["deleted"] >= 1 and not s["conflicts"], s
            assert values_of(dst, made_dst["n"]) == [] and values_of(dst, made_dst["m"]) == []


def test_documentation_example_imports_and_exports_back(other_server):
    api = other_server.api("admin")
    commune = other_server.children(SIMACAI)[0]["code"]
    made = make_set(api, other_server, ("pBOMPrpg1QX", None), [
        ("measles", "f7n9E0hX8qk", None, None, None, None),
        ("dysentery", "Ix2HsbDMLea", None, None, None, None),
        ("cholera", "eY5ehpbEsB7", None, None, None, None)],
        units=[(commune, "DiszpKrYNg8", None)])
    s = summary_of(post(api, DOC_EXAMPLE))
    assert s["status"] == "SUCCESS", s
    assert s["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert s["dataSetComplete"] == "2014-02-03"
    assert [(v["period"], v["actual"]) for k in ("measles", "dysentery", "cholera")
            for v in values_of(api, made[k])] == [("2014-01", 1), ("2014-01", 2),
                                                  ("2014-01", 3)]
    r = api.get(PATH + ".json", params={"dataSet": "pBOMPrpg1QX", "period": "201401",
                                        "orgUnit": "DiszpKrYNg8"})
    assert r.status_code == 200, describe(r)
    assert r.text == DOC_EXAMPLE
