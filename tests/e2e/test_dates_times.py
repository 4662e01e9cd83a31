"""Dates as Vietnamese type them, times as Vietnam's clock reads them
(issue 17).

Dates.  Every date field of every entity (a table over the registry: a new
field is covered without a line here) accepts 31/12/2025 and 1/2/2025 as
well as ISO, through the API, the record forms and CSV `_bulk`; it is
stored ISO; a date the calendar lacks is refused naming the field and what
is wrong ("tháng 2 không có ngày 31").  Date arguments of the API and the
pages do the same.  Forms show dates as dd/mm/yyyy text inputs, not the
browser's locale widget; tables show dd/mm/yyyy.

Times.  Stored UTC (the API's created_at, updated_at, the audit log's at);
shown in Asia/Ho_Chi_Minh (UTC+07:00, no daylight saving) on the record
page and in the audit log."""
import datetime
import json
import re
import subprocess

import pytest

from conftest import BIN, REPO, SIMACAI, assert_error, describe, unique

ENTITIES = json.loads(subprocess.run([BIN, "entities", "--json"], cwd=REPO,
                                     capture_output=True, text=True, check=True).stdout)
# (entity, field) of every date a person enters (system fields are the
# server's to fill); entities only the system writes are left out
DATE_FIELDS = sorted((e["name"], f["name"]) for e in ENTITIES
                     if not e["readonly"]
                     for f in e["fields"] if f["type"] == "date" and not f["system"])
FORM_ENTITIES = sorted({e for e, _ in DATE_FIELDS})

GOOD = [("31/12/2025", "2025-12-31"), ("1/2/2025", "2025-02-01"),
        ("2025-12-31", "2025-12-31")]
BAD = [("31/02/2025", "tháng 2 không có ngày 31"),
       ("29/02/2025", "tháng 2 năm 2025 không có ngày 29"),
       ("31/04/2025", "tháng 4 không có ngày 31"),
       ("15/13/2025", "không có tháng 13")]


def test_the_table_covers_the_registry():
    # meetings, agreements, tasks, documents, ...: dozens of date fields
    assert len(DATE_FIELDS) >= 25, DATE_FIELDS
    assert ("meeting", "held_on") in DATE_FIELDS


@pytest.mark.parametrize("entity,field", DATE_FIELDS)
def test_every_date_field_takes_dd_mm_yyyy_through_the_api(server, entity, field):
    """A record with only the date (other required fields missing): the
    date is judged alone - accepted forms are not among the bad fields,
    a date the calendar lacks is, with its reason.  Nothing is written."""
    admin = server.api("admin")
    for typed, _iso in GOOD:
        r = admin.post(f"/api/v1/{entity}", json={field: typed})
        if r.status_code == 201:
            admin.delete(f"/api/v1/{entity}/{r.json()['id']}")
            continue
        err = assert_error(r, 422, "invalid")
        assert field not in err.get("fields", {}), (typed, describe(r))
    for typed, says in BAD:
        r = admin.post(f"/api/v1/{entity}", json={field: typed})
        err = assert_error(r, 422, "invalid")
        assert says in err["fields"][field], (typed, describe(r))


@pytest.mark.parametrize("entity", FORM_ENTITIES)
def test_forms_show_dates_as_dd_mm_yyyy_text(server, entity):
    s = server.sign_in("admin")
    r = s.get(f"/e/{entity}/new")
    assert r.status_code == 200, describe(r)
    assert 'type="date"' not in r.text
    for e, field in DATE_FIELDS:
        if e != entity:
            continue
        tag = re.search(r'<input[^>]*\bid="%s"[^>]*>' % re.escape(field), r.text)
        assert tag, (field, r.text[:3000])
        assert 'type="text"' in tag.group(0) and 'placeholder="dd/mm/yyyy"' in tag.group(0), \
            tag.group(0)


@pytest.mark.parametrize("entity,field", DATE_FIELDS)
def test_the_form_says_what_the_calendar_lacks(server, entity, field):
    s = server.sign_in("admin")
    r = s.post(f"/e/{entity}/new", data={"_csrf": s.csrf, field: "31/02/2025"},
               allow_redirects=False)
    assert r.status_code == 422, describe(r)
    assert "tháng 2 không có ngày 31" in r.text, describe(r)
    # what was typed stays in the field, as typed
    assert 'value="31/02/2025"' in r.text


def test_a_date_typed_dd_mm_yyyy_is_stored_iso_and_shown_dd_mm_yyyy(server):
    """Through the API, the form and CSV _bulk: stored ISO; the record page,
    the list and the edit form show it as people write it."""
    editor = server.api("simacai_editor")
    unit = server.unit_id(SIMACAI)
    base = {"kind": "review_conference", "unit_id": unit}
    m = editor.create("meeting", {**base, "title": unique("Hội nghị ngày gõ tay"),
                                  "held_on": "5/3/2025"})
    assert m["held_on"] == "2025-03-05"
    s = server.sign_in("simacai_editor")
    title = unique("Hội nghị nhập bằng biểu mẫu")
    r = s.post("/e/meeting/new", data={"_csrf": s.csrf, **base, "unit_id": str(unit),
                                       "title": title, "held_on": "31/12/2024"},
               allow_redirects=False)
    assert r.status_code == 303, describe(r)
    got = editor.list("meeting", title=title)["items"][0]
    assert got["held_on"] == "2024-12-31"
    csv = f"kind,title,held_on,unit_id\nreview_conference,{unique('Hội nghị CSV')},1/2/2025,{unit}\n"
    r = editor.post("/api/v1/meeting/_bulk", data=csv.encode(),
                    headers={"Content-Type": "text/csv"})
    assert r.status_code == 200 and r.json()["imported"] == 1, describe(r)
    page = s.get(f"/e/meeting/{got['id']}")
    assert "31/12/2024" in page.text, describe(page)
    edit = s.get(f"/e/meeting/{got['id']}/edit")
    assert 'value="31/12/2024"' in edit.text
    listing = s.get("/e/meeting", params={"title": title})
    assert "31/12/2024" in listing.text


def test_a_bad_date_in_a_csv_names_its_line_and_field(server):
    unit = server.unit_id(SIMACAI)
    csv = f"kind,title,held_on,unit_id\nreview_conference,{unique('Hội nghị')},31/02/2025,{unit}\n"
    r = server.api("simacai_editor").post("/api/v1/meeting/_bulk", data=csv.encode(),
                                          headers={"Content-Type": "text/csv"})
    assert r.status_code == 422, describe(r)
    e = r.json()["errors"][0]
    assert e["line"] == 2 and e["field"] == "held_on", e
    assert "tháng 2 không có ngày 31" in e["message"], e


# ---- date arguments ---------------------------------------------------------------

DATE_ARGS = [
    ("/api/v1/units/" + SIMACAI, "date"),
    ("/api/v1/unit_by_code/" + SIMACAI, "date"),
    ("/api/v1/todo", "as_of"),
    ("/api/v1/tasks/state", "as_of"),
    ("/api/v1/clusters/due", "as_of"),
]


@pytest.mark.parametrize("path,arg", DATE_ARGS)
def test_date_arguments_take_dd_mm_yyyy(server, path, arg):
    admin = server.api("admin")
    iso = admin.get(path, params={arg: "2025-06-30"})
    vn = admin.get(path, params={arg: "30/06/2025"})
    assert iso.status_code == 200 and vn.status_code == 200, describe(vn)
    assert iso.json() == vn.json()
    bad = admin.get(path, params={arg: "31/02/2025"})
    err = assert_error(bad, 400)
    assert "tháng 2 không có ngày 31" in err["message"] and arg in err["message"], \
        describe(bad)


def test_list_filters_take_dd_mm_yyyy(server):
    admin = server.api("admin")
    a = admin.list("meeting", held_on__gte="2024-01-01", limit=200)
    b = admin.list("meeting", held_on__gte="1/1/2024", limit=200)
    assert a == b and a["total"] > 0
    r = admin.get("/api/v1/meeting", params={"held_on__gte": "30/02/2024"})
    assert_error(r, 400)
    assert "tháng 2 không có ngày 30" in r.json()["error"]["message"]


def test_the_units_page_takes_and_shows_dd_mm_yyyy(server):
    s = server.sign_in("viewer")
    r = s.get("/units", params={"date": "30/06/2025"})
    assert r.status_code == 200
    assert 'value="30/06/2025"' in r.text and 'placeholder="dd/mm/yyyy"' in r.text


# ---- times ------------------------------------------------------------------------

def vn(stamp):
    """A stored UTC timestamp as Vietnam's clock reads it (UTC+07:00)."""
    t = datetime.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
    return (t + datetime.timedelta(hours=7)).strftime("%d/%m/%Y %H:%M")


def test_times_are_stored_utc_and_shown_in_vietnams_time(server):
    admin = server.api("admin")
    p = admin.create("person", {"full_name": unique("Người thử giờ")})
    # stored and answered in UTC
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", p["created_at"]), p
    s = server.sign_in("admin")
    page = s.get(f"/e/person/{p['id']}")
    assert page.status_code == 200
    assert f'<time datetime="{p["created_at"]}"' in page.text, describe(page)
    assert vn(p["created_at"]) in page.text, (vn(p["created_at"]), describe(page))
    assert " UTC" not in page.text
    # the audit log (its entry on the page, and its list) reads the same
    log = admin.list("audit_log", entity="person", record_id=p["id"])["items"]
    assert log and vn(log[0]["at"]) in page.text
    listing = s.get("/e/audit_log", params={"entity": "person", "record_id": p["id"]})
    assert vn(log[0]["at"]) in listing.text and " UTC" not in listing.text
