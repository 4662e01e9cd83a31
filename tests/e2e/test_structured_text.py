"""Structured text (src/schema/registry.h F_STRUCTURED, src/domain/validate.c): periods,
report scopes and code lists are parsed when written and
stored in canonical form, on every write path of the API (POST, PATCH,
_bulk as JSON and CSV); list filters take the same written forms.  Bad
input answers 422 naming the field in Vietnamese, and nothing is written.

The fields come from the registry (`giapranh entities --json`): a new
period field is covered without a line here."""
import csv
import io
import json
import sqlite3
import subprocess

import pytest

from conftest import BIN, REPO, SIMACAI, assert_error, describe, run_cli, unique

# written form -> canonical ({A}, {T}, {U}: an agreement, a target set, the
# unit 084); years unused by the demo data, so that values of an indicator
# for a unit do not meet a demo value's unique key
FORMS = {
    "period": [
        ("quý 4/2031", "2031-Q4"), ("Q3/2031", "2031-Q3"),
        ("Quý II năm 2031", "2031-Q2"), ("6 tháng đầu năm 2032", "2032-H1"),
        ("2032-H2", "2032-H2"), ("năm 2033", "2033"),
        ("2034\u20132035", "2034-2035"), ("tháng 3/2036", "2036-03"),
        ("9 tháng đầu năm 2036", "2036-9M"),
    ],
    "report_scope": [
        ("nation", "nation"), ("agreement:{A}", "agreement:{A}"),
        ("unit:084", "unit:{U}"), ("target_set:{T}@084", "target_set:{T}@{U}"),
    ],
    "code_list": [
        ("economy; culture;economy", "economy;culture"), ("society", "society"),
    ],
}
BAD = {
    "period": ["quý 5/2025", "2025-13", "2020-2019", "tháng 0", "Q5/2025", "zzz"],
    "report_scope": ["zzz:999", "agreement:999999999", "agreement", "unit:0999999"],
    "code_list": ["zzz", "economy;zzz"],
}


def registry():
    out = subprocess.run([BIN, "entities", "--json"], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    return json.loads(out)


ENTITIES = {e["name"]: e for e in registry()}
STRUCTURED = [(e["name"], f["name"]) for e in ENTITIES.values() for f in e["fields"]
              if f.get("format")]


def field_of(entity, name):
    return next(f for f in ENTITIES[entity]["fields"] if f["name"] == name)


def test_the_registry_marks_every_period_and_scope_field():
    periods = {(e, f) for e, f in STRUCTURED if field_of(e, f)["format"] == "period"}
    assert {("indicator_value", "period"), ("activity", "period"),
            ("supervision_finding", "period"), ("report", "period")} <= periods
    assert field_of("report", "scope")["format"] == "report_scope"
    assert all(field_of(e, f)["format"] in FORMS for e, f in STRUCTURED)


@pytest.fixture(scope="module")
def ids(server):
    admin = server.api("admin")
    return {"A": admin.list("agreement", limit=1)["items"][0]["id"],
            "T": admin.list("target_set", limit=1)["items"][0]["id"],
            "U": server.unit_id(SIMACAI)}


def subst(text, ids):
    for k, v in ids.items():
        text = text.replace("{%s}" % k, str(v))
    return text


def first_code(admin, catalog):
    return admin.list("catalog_item", catalog=catalog, limit=1, sort="code")["items"][0]["code"]


def sample(admin, entity, depth=0):
    """A valid new record of entity, from the registry: its required fields
    by type, references to the first record of the target (the units' first
    is a province, where the demo has no indicator values)."""
    assert depth < 8, entity
    rec = {}
    for f in ENTITIES[entity]["fields"]:
        if not f["required"] or f["system"]:
            continue
        t, fmt = f["type"], f.get("format")
        if t == "text":
            rec[f["name"]] = {"period": "2030", "report_scope": "nation"}.get(
                fmt, unique("Mẫu"))
        elif t in ("integer", "decimal"):
            rec[f["name"]] = int(f["min"]) if f["min"] < f["max"] else 1
        elif t == "date":
            rec[f["name"]] = "2024-01-01"
        elif t == "enum":
            rec[f["name"]] = None  # first choice, below
        elif t == "catalog":
            rec[f["name"]] = first_code(admin, f["arg"])
        elif t == "boolean":
            rec[f["name"]] = False
        elif t == "reference":
            rows = admin.list(f["arg"], limit=1)["items"]
            rec[f["name"]] = rows[0]["id"] if rows else admin.create(
                f["arg"], sample(admin, f["arg"], depth + 1))["id"]
    for name in [k for k, v in rec.items() if v is None]:
        rec[name] = first_choice(entity, name)
    return rec


def first_choice(entity, name):
    # the enum's codes are in `giapranh entities --json` as its arg "code=Nhãn|…"
    return field_of(entity, name)["arg"].split("|")[0].split("=")[0]


def total(admin, entity):
    return admin.list(entity, limit=1)["total"]


def assert_refused_naming(r, entity, name):
    err = assert_error(r, 422, "invalid")
    msg = (err.get("fields") or {}).get(name)
    label = field_of(entity, name)["label"]
    assert msg and msg.startswith(label) and len(msg) > len(label) + 10, describe(r)
    return msg


@pytest.mark.parametrize("entity,name", STRUCTURED)
def test_create_and_update_store_the_canonical_form(server, admin, ids, entity, name):
    forms = FORMS[field_of(entity, name)["format"]]
    for i, (written, want) in enumerate(forms):
        rec = sample(admin, entity)
        rec[name] = subst(written, ids)
        made = admin.create(entity, rec)
        assert made[name] == subst(want, ids), (written, made)
        got = admin.get(f"/api/v1/{entity}/{made['id']}").json()
        assert got[name] == subst(want, ids)
        other, other_want = forms[(i + 1) % len(forms)]
        r = admin.patch(f"/api/v1/{entity}/{made['id']}", json={name: subst(other, ids)})
        assert r.status_code == 200, describe(r)
        assert r.json()[name] == subst(other_want, ids)
        r = admin.delete(f"/api/v1/{entity}/{made['id']}")
        assert r.status_code == 204, describe(r)


@pytest.mark.parametrize("entity,name", STRUCTURED)
def test_bad_forms_answer_422_naming_the_field_and_write_nothing(server, admin, ids,
                                                                  entity, name):
    kind = field_of(entity, name)["format"]
    kept = admin.create(entity, dict(sample(admin, entity),
                                     **{name: subst(FORMS[kind][0][0], ids)}))
    for bad in BAD[kind]:
        before, audits = total(admin, entity), total(admin, "audit_log")
        r = admin.post(f"/api/v1/{entity}", json=dict(sample(admin, entity), **{name: bad}))
        msg = assert_refused_naming(r, entity, name)
        assert any(ord(c) > 127 for c in msg), msg  # Vietnamese
        r = admin.patch(f"/api/v1/{entity}/{kept['id']}", json={name: bad})
        assert_refused_naming(r, entity, name)
        assert total(admin, entity) == before and total(admin, "audit_log") == audits
        assert admin.get(f"/api/v1/{entity}/{kept['id']}").json() == kept
    if field_of(entity, name)["required"]:
        r = admin.post(f"/api/v1/{entity}", json=dict(sample(admin, entity), **{name: " "}))
        assert_refused_naming(r, entity, name)
    admin.delete(f"/api/v1/{entity}/{kept['id']}")


def csv_of(rows):
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    for row in rows:
        w.writerow({k: (int(v) if isinstance(v, bool) else v) for k, v in row.items()})
    return out.getvalue().encode()


@pytest.mark.parametrize("as_csv", [False, True], ids=["json", "csv"])
@pytest.mark.parametrize("entity,name", STRUCTURED)
def test_bulk_stores_the_canonical_form_and_refuses_bad_rows(server, admin, ids,
                                                             entity, name, as_csv):
    kind = field_of(entity, name)["format"]

    def load(rows):
        if as_csv:
            headers = dict(admin.csrf_header(), **{"Content-Type": "text/csv"})
            return admin.post(f"/api/v1/{entity}/_bulk", data=csv_of(rows), headers=headers)
        return admin.post(f"/api/v1/{entity}/_bulk", json=rows, headers=admin.csrf_header())

    for written, want in FORMS[kind]:
        rec = dict(sample(admin, entity), **{name: subst(written, ids)})
        r = load([rec])
        assert r.status_code == 200 and r.json()["imported"] == 1, describe(r)
        last = admin.list(entity, sort="-id", limit=1)["items"][0]
        assert last[name] == subst(want, ids), (written, last)
        admin.delete(f"/api/v1/{entity}/{last['id']}")

    before, audits = total(admin, entity), total(admin, "audit_log")
    good = dict(sample(admin, entity), **{name: subst(FORMS[kind][0][0], ids)})
    for bad in BAD[kind]:
        r = load([good, dict(sample(admin, entity), **{name: bad})])
        assert r.status_code == 422, describe(r)
        body = r.json()
        assert body["error"]["code"] == "invalid" and body["imported"] == 0
        err = [e for e in body["errors"] if e.get("field") == name]
        assert err and err[0]["line"] == (3 if as_csv else 2), body
        assert err[0]["message"].startswith(field_of(entity, name)["label"]), body
        assert total(admin, entity) == before and total(admin, "audit_log") == audits


def test_list_filters_take_the_written_forms(server, admin):
    unit = server.unit_id(SIMACAI)
    act = admin.create("activity", {"kind": "patrol", "title": unique("Tuần tra quý"),
                                    "start_on": "2037-11-02", "unit_id": unit,
                                    "period": "quý IV/2037"})
    assert act["period"] == "2037-Q4"
    for written in ("2037-Q4", "quý 4/2037", "Q4/2037", "Quý IV năm 2037", " q4 2037 "):
        found = admin.list("activity", period=written, unit_id=unit)["items"]
        assert [a["id"] for a in found] == [act["id"]], (written, found)
    assert admin.list("activity", period="2037", unit_id=unit)["total"] == 0
    r = admin.get("/api/v1/activity", params={"period": "quý 5/2037"})
    err = assert_error(r, 400, "bad_request")
    assert "period" in err["message"] and "quý 4/2025" in err["message"], err
    # the list page takes the same filter, and says the period in words
    page = server.sign_in("admin").get("/e/activity", params={"period": "quý 4/2037",
                                                               "unit_id": unit})
    assert page.status_code == 200 and act["title"] in page.text, describe(page)
    assert "quý IV năm 2037" in page.text, describe(page)


def test_report_scope_names_an_existing_record_and_is_built_and_issued(server, admin, ids):
    org = admin.list("organisation", limit=1)["items"][0]["id"]
    base = {"title": unique("Báo cáo kỳ"), "kind": "periodic", "issuer_org_id": org,
            "signer_name": "Nguyễn Văn Ký", "status": "draft"}
    for scope in ("zzz:999", "agreement:999999999", "program:0"):
        r = admin.post("/api/v1/report", json=dict(base, scope=scope, period="2024"))
        msg = assert_refused_naming(r, "report", "scope")
        assert "999" in msg or "program" in msg or "phạm vi" in msg, msg
    rep = admin.create("report", dict(base, scope="unit:084", period="6 tháng đầu năm 2024"))
    assert rep["scope"] == f"unit:{ids['U']}" and rep["period"] == "2024-H1"
    r = admin.get("/reports/build", params={"scope": rep["scope"], "period": rep["period"],
                                             "report_id": rep["id"], "format": "json"})
    assert r.status_code == 200 and r.json()["period"] == "2024-H1", describe(r)
    r = admin.post(f"/api/v1/report/{rep['id']}/issue", headers=admin.csrf_header())
    assert r.status_code == 200, describe(r)
    assert r.json()["status"] == "issued" and r.json()["number"] >= 1


@pytest.mark.parametrize("written,code,label", [
    ("quý 4/2025", "2025-Q4", "quý IV năm 2025"),
    ("Q4/2025", "2025-Q4", "quý IV năm 2025"),
    ("6 tháng đầu năm 2024", "2024-H1", "6 tháng đầu năm 2024"),
    ("2024-H1", "2024-H1", "6 tháng đầu năm 2024"),
    ("năm 2023", "2023", "năm 2023"),
    ("2020\u20132025", "2020-2025", "giai đoạn 2020-2025"),
    ("tháng 3/2024", "2024-03", "tháng 3 năm 2024"),
])
def test_cli_parse_period(written, code, label):
    p = subprocess.run([BIN, "parse", "period", written], cwd=REPO, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["code"] == code and out["label"] == label, out


@pytest.mark.parametrize("written", ["quý 5/2025", "2025-13", "2020-2019", "tháng 0", ""])
def test_cli_parse_period_refuses_with_the_forms(written):
    p = subprocess.run([BIN, "parse", "period", written], cwd=REPO, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 1 and p.stdout == ""
    assert "không đọc được kỳ" in p.stderr and "quý 4/2025" in p.stderr, p.stderr


def test_init_canonicalises_what_an_older_version_stored_and_lists_the_rest(tmp_path):
    """Values written before they were checked (straight into the file, as
    an older version let them in): `giapranh init` rewrites those that
    parse, and lists on stderr - every time, until corrected - those that
    do not, leaving them as they are."""
    path = tmp_path / "old.db"
    db = f"sqlite:{path}"
    run_cli(db, "init")
    con = sqlite3.connect(path)
    stamp = "2024-01-01T00:00:00Z"
    org = con.execute("INSERT INTO organisation (name, kind, version, created_at, "
                      "updated_at, illustrative) VALUES ('UBND huyện', "
                      "'peoples_committee', 1, ?, ?, 0)", (stamp, stamp)).lastrowid
    ids = []
    for scope, period in (("unit:084", "quý 4/2025"), ("zzz:999", "năm 2023"),
                          ("nation", "2025-13")):
        ids.append(con.execute(
            "INSERT INTO report (title, kind, scope, period, issuer_org_id, status, "
            "version, created_at, updated_at, illustrative) VALUES "
            "('Báo cáo cũ', 'periodic', ?, ?, ?, 'draft', 1, ?, ?, 0)",
            (scope, period, org, stamp, stamp)).lastrowid)
    con.commit()
    unit = con.execute("SELECT id FROM admin_unit WHERE code = '084'").fetchone()[0]
    con.close()

    p = run_cli(db, "init")
    assert "Chuẩn hóa dữ liệu: 3 giá trị" in p.stdout, p.stdout
    assert f"report số {ids[1]}, trường scope = 'zzz:999'" in p.stderr, p.stderr
    assert f"report số {ids[2]}, trường period = '2025-13'" in p.stderr, p.stderr
    con = sqlite3.connect(path)
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT id, scope, period, version FROM report ORDER BY id")}
    con.close()
    assert rows[ids[0]] == (f"unit:{unit}", "2025-Q4", 3)  # two rewrites
    assert rows[ids[1]] == ("zzz:999", "2023", 2)
    assert rows[ids[2]] == ("nation", "2025-13", 1)

    again = run_cli(db, "init")
    assert "Chuẩn hóa" not in again.stdout
    assert "zzz:999" in again.stderr and "2025-13" in again.stderr
