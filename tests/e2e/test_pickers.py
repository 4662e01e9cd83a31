"""Entry without codes (issue 17.1-17.3): pickers, feedback, wording.

* wording: every entity's label after a verb is in lower case ("Sửa số liệu
  chỉ tiêu"); what a source said (a `sourced` field) is not asked of a new
  record; an untitled record is named by what it points to, never "số 86";
  a qualifier stays with its figure in reports ("trên 120"), not in a header.
"""
import html
import json
import re
import subprocess
import unicodedata

import pytest

from conftest import BIN, REPO, SIMACAI, describe, unique

ENTITIES = json.loads(subprocess.run([BIN, "entities", "--json"], cwd=REPO,
                                     capture_output=True, text=True, check=True).stdout)
BY_NAME = {e["name"]: e for e in ENTITIES}


def in_sentence(label):
    """The label after a verb: first letter lower, acronyms kept."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def h1(page):
    m = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert m, page[:2000]
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()


@pytest.fixture(scope="module")
def browser(server):
    return server.sign_in("admin")


# ---- wording ---------------------------------------------------------------------------


def test_every_entity_label_is_lower_case_after_a_verb(server, browser):
    """The edit and delete titles of every entity that has a record: "Sửa
    số liệu chỉ tiêu", "Xóa đơn vị hành chính" (not "Sửa Số liệu …")."""
    admin = server.api("admin")
    seen = 0
    for ent in ENTITIES:
        if ent["readonly"]:
            continue
        items = admin.list(ent["name"], limit=1)["items"]
        if not items:
            continue
        rid = items[0]["id"]
        r = browser.get(f"/e/{ent['name']}/{rid}/edit")
        assert r.status_code == 200, describe(r)
        assert h1(r.text) == "Sửa " + in_sentence(ent["label"]), ent["name"]
        r = browser.get(f"/e/{ent['name']}/{rid}/delete")
        assert r.status_code == 200, describe(r)
        assert f"<title>Xóa {html.escape(in_sentence(ent['label']), quote=False)} ·" in r.text \
            or f"<title>Xóa {in_sentence(ent['label'])} ·" in html.unescape(r.text), ent["name"]
        seen += 1
    assert seen >= 15
    # a label starting with a letter outside ASCII is lowered too
    assert any(e["label"][0] in "ĐỦ" for e in ENTITIES if not e["readonly"])


def test_sourced_fields_are_not_asked_of_a_new_record(server, browser):
    """Every `sourced` field (what a source said: "Ngày ước tính (nguồn không
    ghi rõ)") is absent from the new form and present on the edit form."""
    admin = server.api("admin")
    sourced = [(e, f) for e in ENTITIES for f in e["fields"] if f.get("sourced")]
    assert any(e["name"] == "meeting" and f["name"] == "date_approximate"
               for e, f in sourced)
    for ent, f in sourced:
        new = browser.get(f"/e/{ent['name']}/new")
        assert new.status_code == 200, describe(new)
        assert f'name="{f["name"]}"' not in new.text, (ent["name"], f["name"])
        assert html.escape(f["label"], quote=False) not in new.text
        rid = admin.list(ent["name"], limit=1)["items"][0]["id"]
        edit = browser.get(f"/e/{ent['name']}/{rid}/edit")
        assert f'name="{f["name"]}"' in edit.text, (ent["name"], f["name"])


def test_no_field_is_labelled_with_jargon():
    """"Từ định lượng" (a grammar term) named the word written before a
    figure; every qualifier field says what to write."""
    for ent in ENTITIES:
        for f in ent["fields"]:
            assert "Từ định lượng" not in f["label"], (ent["name"], f["name"])
            if f["name"] == "qualifier":
                assert "trên" in f["label"] and "gần" in f["label"]


def test_an_untitled_record_is_named_by_what_it_points_to(server, browser):
    """A meeting's attendee without a title (the demo's bridge points) is
    named by its person or body in the meeting's table, never "số 86"."""
    admin = server.api("admin")
    untitled = [p for p in admin.list("meeting_participant", limit=1000)["items"]
                if not p.get("title_as_held")]
    assert untitled, "the demo has attendees without a title"
    for p in untitled[:5]:
        page = browser.get(f"/e/meeting/{p['meeting_id']}")
        assert page.status_code == 200, describe(page)
        links = re.findall(rf'<a href="/e/meeting_participant/{p["id"]}">([^<]*)</a>',
                           page.text)
        assert links, p
        for text in links:
            assert not re.fullmatch(r"số \d+", text.strip()), (p, text)
            assert text.strip()
        detail = browser.get(f"/e/meeting_participant/{p['id']}")
        assert not re.fullmatch(r"Thành phần dự họp số \d+", h1(detail.text)), h1(detail.text)


def test_a_qualifier_stays_with_its_figure_in_reports(server):
    """"trên 120 lượt thử": the qualifier is written before the total, the
    measure's column holds the measure alone (it read "Lượt người (trên)")."""
    admin = server.api("admin")
    unit = server.unit_id(SIMACAI)
    uom = unique("lượt thử")
    act = admin.create("activity", {"kind": "patrol", "title": unique("Tuần tra có số ước"),
                                    "start_on": "2024-04-02", "unit_id": unit})
    admin.create("activity_quantity", {"activity_id": act["id"], "measure": "people",
                                       "value": 120, "unit_of_measure": uom,
                                       "qualifier": "trên"})
    r = admin.get("/reports/build", params={"scope": f"unit:{SIMACAI}", "period": "2024",
                                           "format": "json"})
    assert r.status_code == 200, describe(r)
    rows = [row for sec in r.json().get("sections", []) for b in sec.get("blocks", [])
            if b.get("type") == "table" for row in b.get("rows", [])]
    mine = [row for row in rows if uom in [c for c in row if isinstance(c, str)]]
    assert len(mine) == 1, mine
    row = mine[0]
    assert "trên 120" in row, row
    assert not any(isinstance(c, str) and c.endswith("(trên)") for c in row), row
    assert not any(isinstance(c, str) and c.endswith("(trên)") for r_ in rows for c in r_)


# ---- the picker's search (/e/ENTITY/pick) --------------------------------------------


@pytest.fixture(scope="module")
def sessions(server):
    return {k: server.sign_in(k) for k in ("admin", "viewer", "secure_viewer",
                                          "simacai_editor")}


def pick(s, entity, **params):
    r = s.get(f"/e/{entity}/pick", params=params)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("application/json"), describe(r)
    body = r.json()
    assert set(body) == {"items", "total", "more"}, body
    for it in body["items"]:
        assert isinstance(it["id"], int) and it["id"] > 0 and it["display"], it
    return body


def fold(text):
    """Lower case without diacritics, đ as d (what the search compares)."""
    t = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in t if not unicodedata.combining(c))


def displays(body):
    return [it["display"] for it in body["items"]]


@pytest.mark.parametrize("plain,marked", [("dong van", "Đồng Văn"), ("DONG VAN", "đồng văn"),
                                          ("xin man", "Xín Mần"), ("san chai", "Sán Chải")])
def test_pick_ignores_diacritics_and_case(sessions, plain, marked):
    """"đ" matches "d": the search folds as every list search does."""
    s = sessions["viewer"]
    a, b = pick(s, "admin_unit", q=plain), pick(s, "admin_unit", q=marked)
    assert a["total"] == b["total"] > 0
    assert sorted(it["id"] for it in a["items"]) == sorted(it["id"] for it in b["items"])
    # every record shown holds the words, folded ("Đông Văn" too)
    words = fold(marked).split()
    assert all(all(w in fold(d) for w in words) for d in displays(b)), displays(b)


def test_pick_names_a_unit_by_its_parent_and_end(sessions):
    """Communes share names across districts and vintages: a unit is shown
    with the unit above it, an ended one with its last day."""
    body = pick(sessions["viewer"], "admin_unit", q="xa san chai")
    shown = displays(body)
    assert any("Sán Chải — Huyện Si Ma Cai" in d for d in shown), shown
    assert any("(đến 30/06/2025)" in d for d in shown), shown


def test_pick_is_bounded_and_says_there_are_more(sessions):
    body = pick(sessions["viewer"], "admin_unit", q="xa")
    assert len(body["items"]) == 30 and body["total"] > 30 and body["more"] is True
    few = pick(sessions["viewer"], "target_set", q="")
    assert few["more"] is False and few["total"] == len(few["items"]) >= 1


def test_pick_by_id_names_one_record(server, sessions):
    unit = server.unit_id(SIMACAI)
    body = pick(sessions["simacai_editor"], "admin_unit", id=unit)
    assert body["total"] == 1 and body["items"][0]["id"] == unit
    assert body["items"][0]["display"].startswith("Huyện Si Ma Cai")
    assert pick(sessions["viewer"], "person", id=10 ** 9)["items"] == []


def test_pick_every_entity_as_the_reading_rules_say(server, sessions):
    """Every entity: a user who may read it gets its records; one who may
    not (users, grants, the audit log: admins only) gets 403."""
    admin_api = server.api("admin")
    for ent in ENTITIES:
        name = ent["name"]
        r = sessions["viewer"].get(f"/e/{name}/pick", params={"q": ""})
        if ent["admin_only"]:
            assert r.status_code == 403, describe(r)
            assert pick(sessions["admin"], name, q="")["total"] >= 0
            continue
        body = r.json()
        assert r.status_code == 200, describe(r)
        assert body["total"] == admin_api.list(name, limit=1)["total"] or name in (
            "incident", "incident_share", "attachment", "status_change"), name
    r = sessions["viewer"].get("/e/no_such_thing/pick")
    assert r.status_code == 404


def test_pick_never_shows_a_confidential_record_without_clearance(server, sessions):
    admin = server.api("admin")
    word = unique("Mật thử chọn").split("(")[1].rstrip(")").replace(" ", "")
    title = f"Vụ việc mật {word}"
    inc = admin.create("incident", {"kind": "illegal_crossing", "title": title,
                                    "occurred_on": "2024-05-02", "status": "reported",
                                    "unit_id": server.unit_id(SIMACAI),
                                    "confidential": True})
    for who in ("viewer", "simacai_editor"):
        assert pick(sessions[who], "incident", q=word)["items"] == [], who
        assert pick(sessions[who], "incident", id=inc["id"])["items"] == [], who
        assert title not in sessions[who].get("/e/incident/pick", params={"q": ""}).text
    seen = pick(sessions["secure_viewer"], "incident", q=word)
    assert [it["id"] for it in seen["items"]] == [inc["id"]]


def test_pick_refuses_an_id_that_is_no_number(sessions):
    r = sessions["viewer"].get("/e/person/pick", params={"id": "12abc"})
    assert r.status_code == 400 and "id" in r.text


def test_pick_needs_a_session(server):
    r = server.anonymous().get("/e/person/pick", params={"q": "a"}, allow_redirects=False)
    assert r.status_code in (302, 303, 401) and "Nguyễn" not in r.text


# ---- forms that take a picker value ------------------------------------------------------


def ref_fields():
    return [(e, f) for e in ENTITIES if not e["readonly"] and not e["admin_only"]
            for f in e["fields"] if f["type"] == "reference" and not f["system"]]


def test_every_reference_field_of_every_form_is_a_picker(sessions):
    """Each form field that takes a record (a unit, a target set, an
    organisation, a person…) carries data-pick=ENTITY, the field itself
    staying what the form sends without JavaScript."""
    s = sessions["admin"]
    pages = {}
    for ent, f in ref_fields():
        if ent["name"] not in pages:
            pages[ent["name"]] = s.get(f"/e/{ent['name']}/new").text
        page = pages[ent["name"]]
        m = re.search(rf'<(select|input)\b[^>]*\bname="{f["name"]}"[^>]*>', page)
        assert m, (ent["name"], f["name"])
        assert f'data-pick="{f["arg"]}"' in m.group(0), (ent["name"], f["name"], m.group(0))


def test_a_person_can_be_created_from_the_picker_only_by_who_may(sessions):
    """The person picker offers to create one (its name is all it needs);
    an organisation needs a kind, so its picker does not."""
    page = sessions["simacai_editor"].get("/e/meeting_participant/new").text
    person = re.search(r'<(select|input)\b[^>]*name="person_id"[^>]*>', page).group(0)
    assert 'data-pick-create="full_name"' in person
    org = re.search(r'<(select|input)\b[^>]*name="organisation_id"[^>]*>', page).group(0)
    assert "data-pick-create" not in org


@pytest.mark.parametrize("entity,field", [("activity", "unit_id"), ("meeting", "unit_id"),
                                          ("meeting_participant", "person_id"),
                                          ("reporting_duty", "target_set_id"),
                                          ("meeting", "host_org_id")])
def test_a_form_saves_the_value_a_picker_gives(server, sessions, entity, field):
    """What the picker writes into the field (an id found by name) is saved
    through the form as any value: the record holds the record picked."""
    s = sessions["admin"]
    admin = server.api("admin")
    f = [x for x in BY_NAME[entity]["fields"] if x["name"] == field][0]
    target = f["arg"]
    q = {"admin_unit": "san chai", "person": "", "target_set": "si ma cai",
         "organisation": ""}[target]
    chosen = pick(s, target, q=q)["items"][0]
    base = {
        "activity": {"kind": "patrol", "title": unique("Tuần tra chọn đơn vị"),
                     "start_on": "2024-03-15"},
        "meeting": {"kind": "periodic_briefing", "title": unique("Giao ban chọn bằng tên"),
                    "held_on": "2024-03-15"},
        "meeting_participant": {"role": "attendee"},
        "reporting_duty": {"reporter_unit_id": server.unit_id(SIMACAI),
                           "recipient_org_id": pick(s, "organisation", q="")["items"][0]["id"],
                           "frequency": "yearly"},
    }[entity]
    if entity == "meeting_participant":
        base["meeting_id"] = admin.list("meeting", limit=1)["items"][0]["id"]
    form = {"_csrf": s.csrf, **{k: str(v) for k, v in base.items()}, field: str(chosen["id"])}
    r = s.post(f"/e/{entity}/new", data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    rows = admin.list(entity, **{field: chosen["id"]}, sort="-id", limit=1)["items"]
    assert rows and rows[0][field] == chosen["id"]


# ---- the grid: in the menu, chosen by name, says what it did ------------------------------


def the_set(server):
    return server.api("admin").list("target_set", limit=1)["items"][0]


def commune(server, name="Xã Sán Chải"):
    body = server.api("admin").list("admin_unit", name=name, valid_to="2025-06-30",
                                    parent_id=server.unit_id(SIMACAI))
    assert body["total"] == 1, body
    return body["items"][0]["id"]


def plain_indicators(server, ts, n):
    """n indicators of the set: numbers, higher is better."""
    admin = server.api("admin")
    groups = [g["id"] for g in admin.list("target_group", target_set_id=ts["id"], limit=1000)["items"]]
    out = []
    for g in groups:
        out += [i["id"] for i in admin.list("indicator", target_group_id=g, limit=1000)["items"]
                if i["direction"] == "higher" and i["value_kind"] == "number"]
    assert len(out) >= n, out
    return out[:n]


def select_html(page, name):
    m = re.search(rf'<select id="{name}" name="{name}"[^>]*>.*?</select>', page, re.S)
    assert m, page[-4000:]
    return m.group(0)


def test_the_grid_is_in_the_menu(sessions):
    for who in ("simacai_editor", "viewer"):
        home = sessions[who].get("/").text
        nav = home[home.index('<ul class="menu">'):home.index("</ul>", home.index('<ul class="menu">'))]
        assert '<a href="/grid"' in nav and "Nhập số liệu" in nav, nav


def test_the_grid_chooses_set_and_unit_by_name(server, sessions):
    ts = the_set(server)
    page = sessions["simacai_editor"].get("/grid", params={"target_set": ts["id"],
                                                           "period": "2023"})
    assert page.status_code == 200, describe(page)
    assert "Mã đơn vị" not in page.text and 'name="unit"' not in page.text
    sets = select_html(page.text, "target_set")
    assert 'data-pick="target_set"' in sets and html.escape(ts["name"], quote=False) in sets
    units = select_html(page.text, "unit_id")
    assert 'data-pick="admin_unit"' in units
    # the set's unit and the communes under it on its last day, by name
    for name in ("Huyện Si Ma Cai", "Xã Sán Chải", "Thị trấn Si Ma Cai"):
        assert name in units, name
    assert not re.search(r">\s*\d{3,5}\s*<", units), "a code offered as a choice"
    assert 'aria-current="page">Nhập số liệu' in page.text


def grid_rows_of(page, iids):
    """iid -> (the achievement cell's text, its classes)."""
    out = {}
    for iid in iids:
        row = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*name="a{iid}"(?:(?!</tr>).)*</tr>', page, re.S)
        assert row, iid
        cell = re.search(r'<td\b[^>]*\bclass="num pct([^"]*)"[^>]*>([^<]*)</td>', row.group(0))
        assert cell, row.group(0)
        out[iid] = (cell.group(2).strip(), cell.group(1))
    return out


def test_the_grid_saves_for_a_unit_chosen_by_name_and_confirms(server, sessions):
    s = sessions["simacai_editor"]
    ts = the_set(server)
    unit = commune(server)
    iids = plain_indicators(server, ts, 3)
    period = "2022-Q3"
    data = {"_csrf": s.csrf, "target_set": str(ts["id"]), "unit_id": str(unit),
            "period": period, "action": "submitted"}
    for k, iid in enumerate(iids):
        data.update({f"t{iid}": "200", f"a{iid}": str(210 - 100 * k), f"c{iid}": ""})
    r = s.post("/grid", data=data, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    loc = r.headers["Location"]
    assert f"unit_id={unit}" in loc and "ok=submitted" in loc
    assert "saved=3" in loc and "moved=3" in loc, loc
    page = s.get(loc)
    assert "Đã lưu 3 số liệu; 3 số liệu đã gửi duyệt." in page.text, page.text[:3000]
    assert 'role="status"' in page.text
    assert "Xã Sán Chải" in page.text
    values = server.api("admin").list("indicator_value", unit_id=unit, period=period,
                                      limit=100)["items"]
    assert {v["indicator_id"] for v in values} == set(iids)
    assert all(v["status"] == "submitted" for v in values)
    # the achievement column: 210/200 = 105 %, 110/200 = 55 %, 10/200 = 5 %
    cells = grid_rows_of(page.text, iids)
    assert cells[iids[0]] == ("105%", " band-high"), cells
    assert cells[iids[1]] == ("55%", " band-low"), cells
    assert cells[iids[2]][0] == "5%", cells
    assert "Đạt (%)" in page.text
    # the same again: nothing changed, and said so
    data["action"] = "draft"
    r = s.post("/grid", data=data, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    assert "Không có số liệu nào thay đổi." in s.get(r.headers["Location"]).text
    # one changed, saved as a draft: one saved, none moved
    data[f"a{iids[2]}"] = "20"
    r = s.post("/grid", data=data, allow_redirects=False)
    assert "saved=1" in r.headers["Location"] and "moved=0" in r.headers["Location"]
    assert "Đã lưu nháp 1 số liệu." in s.get(r.headers["Location"]).text


def test_the_grid_refuses_a_unit_that_does_not_exist(server, sessions):
    ts = the_set(server)
    r = sessions["simacai_editor"].get("/grid", params={"target_set": ts["id"],
                                                        "unit_id": 10 ** 9, "period": "2023"})
    assert r.status_code == 200
    assert "không có đơn vị hành chính này" in r.text


# ---- a report's scope by kind and name; issuing asks first and says what it did ----------


def simacai_committee(server):
    body = server.api("admin").list("organisation", name="Ủy ban nhân dân huyện Si Ma Cai")
    assert body["total"] == 1, body
    return body["items"][0]["id"]


def test_a_report_scope_is_chosen_by_kind_and_name(server, sessions):
    """The scope field ("Phạm vi") carries the kinds to choose from; what
    the picker writes (agreement:ID) is saved; the edit form names it."""
    s = sessions["simacai_editor"]
    page = s.get("/e/report/new").text
    field = re.search(r'<input [^>]*name="scope"[^>]*>', page).group(0)
    kinds = json.loads(html.unescape(re.search(r'data-pick-scope="([^"]*)"', field).group(1)))
    names = [k[0] for k in kinds]
    assert {"target_set", "agreement", "program", "unit", "supervision", "nation"} <= set(names)
    assert all(k[2] for k in kinds) and dict((k[0], k[1]) for k in kinds)["unit"] == "admin_unit"
    assert dict((k[0], k[1]) for k in kinds)["nation"] is None
    agreement = pick(s, "agreement", q="quy che phoi hop")["items"][0]
    form = {"_csrf": s.csrf, "title": unique("Báo cáo chọn phạm vi"), "kind": "periodic",
            "scope": f"agreement:{agreement['id']}", "period": "2024",
            "issuer_org_id": str(simacai_committee(server)), "status": "draft"}
    r = s.post("/e/report/new", data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    rid = int(re.search(r"/e/report/(\d+)", r.headers["Location"]).group(1))
    rec = server.api("admin").get(f"/api/v1/report/{rid}").json()
    assert rec["scope"] == f"agreement:{agreement['id']}"
    edit = s.get(f"/e/report/{rid}/edit").text
    field = re.search(r'<input [^>]*name="scope"[^>]*>', edit).group(0)
    label = html.unescape(re.search(r'data-pick-label="([^"]*)"', field).group(1))
    assert label and label in agreement["display"], (label, agreement)
    # the builder of /reports offers the same choice
    reports = s.get("/reports", params={"scope": f"unit:{SIMACAI}"}).text
    sel = re.search(r'<select name="scope"[^>]*>', reports).group(0)
    assert "data-pick-scope" in sel and "Huyện Si Ma Cai" in html.unescape(sel)


def new_draft(server, s):
    form = {"_csrf": s.csrf, "title": unique("Báo cáo ban hành thử"), "kind": "periodic",
            "scope": f"unit:{SIMACAI}", "period": "2024", "signer_name": "Nguyễn Văn Ký",
            "issuer_org_id": str(simacai_committee(server)), "status": "draft"}
    r = s.post("/e/report/new", data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    return int(re.search(r"/e/report/(\d+)", r.headers["Location"]).group(1))


def test_issuing_asks_first_then_says_number_and_date(server, sessions):
    s = sessions["simacai_editor"]
    admin = server.api("admin")
    rid = new_draft(server, s)
    # the record page's button leads to the question (a dialog with JS)
    page = s.get(f"/e/report/{rid}").text
    form = re.search(rf'<form method="get" action="/reports/{rid}/issue"[^>]*>', page)
    assert form and "data-confirm=" in form.group(0) and "data-confirm-post" in form.group(0)
    ask = s.get(f"/reports/{rid}/issue")
    assert ask.status_code == 200, describe(ask)
    assert "Ban hành báo cáo “" in ask.text and "không sửa được nữa" in ask.text
    assert f'<form method="post" action="/reports/{rid}/issue">' in ask.text
    # asking wrote nothing
    assert admin.get(f"/api/v1/report/{rid}").json()["status"] == "draft"
    r = s.post(f"/reports/{rid}/issue", data={"_csrf": s.csrf}, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    rec = admin.get(f"/api/v1/report/{rid}").json()
    assert rec["status"] == "issued" and rec["number"] > 0
    done = s.get(r.headers["Location"]).text
    y, m, d = rec["issued_on"].split("-")
    said = f"Đã ban hành báo cáo số {rec['number']}/{rec['symbol']} ngày {d}/{m}/{y}."
    assert said in html.unescape(done), done[:3000]
    assert "Đã lưu." not in done
    # asked again: issued already, nothing to confirm
    again = s.get(f"/reports/{rid}/issue").text
    assert "đã được ban hành" in again and 'method="post"' not in again.split("<main")[1]


def test_who_may_not_issue_is_not_asked(server, sessions):
    rid = new_draft(server, sessions["simacai_editor"])
    assert sessions["viewer"].get(f"/reports/{rid}/issue").status_code == 403
    assert sessions["viewer"].get("/reports/999999999/issue").status_code == 404


# ---- several attendees at once; a person created from the picker ---------------------------


@pytest.fixture(scope="module")
def meeting(server):
    return server.api("simacai_editor").create("meeting", {
        "kind": "periodic_briefing", "title": unique("Giao ban thêm nhiều người dự"),
        "held_on": "2024-05-20", "unit_id": server.unit_id(SIMACAI)})


def several_url(m):
    return f"/e/meeting/{m['id']}/several/meeting_participant"


def test_a_meeting_offers_to_add_several_attendees(sessions, meeting):
    page = sessions["simacai_editor"].get(f"/e/meeting/{meeting['id']}").text
    assert f'href="{several_url(meeting)}"' in page and "Thêm nhiều cùng lúc" in page
    form = sessions["simacai_editor"].get(several_url(meeting))
    assert form.status_code == 200, describe(form)
    assert form.text.count("<fieldset class=\"several-row\" data-row>") == 5
    for n in range(1, 6):
        person = re.search(rf'<(select|input)\b[^>]*name="person_id_{n}"[^>]*>', form.text).group(0)
        assert 'data-pick="person"' in person and 'data-pick-create="full_name"' in person
    assert 'name="meeting_id_1"' not in form.text  # the meeting is the page's
    assert "Thành phần dự họp 1" in html.unescape(re.sub(r"<[^>]+>", "", form.text))


def test_a_person_is_created_from_the_picker_through_the_api(server, sessions):
    """The picker's "Thêm … (cá nhân mới)" is the API's create, by cookie and
    CSRF token: validated, authorized, audited like any."""
    s = sessions["simacai_editor"]
    name = unique("Lò Văn Mới")
    r = s.post("/api/v1/person", json={"full_name": name}, headers={"X-CSRF-Token": s.csrf})
    assert r.status_code == 201, describe(r)
    assert pick(s, "person", q=fold(name).split("(")[0])["total"] >= 1
    r = s.post("/api/v1/person", json={"full_name": ""}, headers={"X-CSRF-Token": s.csrf})
    assert r.status_code == 422 and "full_name" in r.json()["error"]["fields"]
    r = sessions["viewer"].post("/api/v1/person", json={"full_name": name},
                                headers={"X-CSRF-Token": sessions["viewer"].csrf})
    assert r.status_code == 403
    r = s.post("/api/v1/person", json={"full_name": name})  # no token: refused
    assert r.status_code == 403


def test_several_attendees_are_saved_at_once_and_counted(server, sessions, meeting):
    s = sessions["simacai_editor"]
    admin = server.api("admin")
    known = pick(s, "person", q="")["items"][0]
    new = s.post("/api/v1/person", json={"full_name": unique("Giàng Thị Mới")},
                 headers={"X-CSRF-Token": s.csrf}).json()
    before = admin.list("meeting_participant", meeting_id=meeting["id"])["total"]
    form = {"_csrf": s.csrf,
            "role_1": "attendee", "person_id_1": str(known["id"]), "title_as_held_1": "Chủ tịch",
            "role_3": "speaker", "person_id_3": str(new["id"]),
            "role_2": "", "person_id_2": "", "title_as_held_2": ""}
    r = s.post(several_url(meeting), data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    assert "added=meeting_participant" in r.headers["Location"] and "n=2" in r.headers["Location"]
    page = s.get(r.headers["Location"]).text
    assert "Đã thêm 2 thành phần dự họp." in page
    rows = admin.list("meeting_participant", meeting_id=meeting["id"], limit=100)["items"]
    assert len(rows) == before + 2
    assert {known["id"], new["id"]} <= {p["person_id"] for p in rows}
    # the new person without a title is named by the person, not "số N"
    assert not re.search(r'<a href="/e/meeting_participant/\d+">số \d+</a>', page)


def test_several_attendees_stand_or_fall_together(server, sessions, meeting):
    s = sessions["simacai_editor"]
    admin = server.api("admin")
    before = admin.list("meeting_participant", meeting_id=meeting["id"])["total"]
    known = pick(s, "person", q="")["items"][0]
    form = {"_csrf": s.csrf, "role_1": "attendee", "person_id_1": str(known["id"]),
            "person_id_2": str(known["id"]), "title_as_held_2": "Bí thư"}  # no role
    r = s.post(several_url(meeting), data=form, allow_redirects=False)
    assert r.status_code == 422, describe(r)
    assert "Chưa lưu dòng nào: 1 dòng có lỗi" in r.text
    assert re.search(r'id="err-role_2"', r.text) and 'aria-invalid="true"' in r.text
    assert 'value="Bí thư"' in r.text  # what was typed comes back
    assert admin.list("meeting_participant", meeting_id=meeting["id"])["total"] == before
    r = s.post(several_url(meeting), data={"_csrf": s.csrf}, allow_redirects=False)
    assert r.status_code == 422 and "Chưa nhập dòng nào" in r.text


def test_several_records_need_the_right_to_write_the_parent(server, sessions, meeting):
    for who in ("viewer",):
        assert sessions[who].get(several_url(meeting)).status_code == 403
    other = server.sign_in("bacha_commune_editor")
    r = other.post(several_url(meeting), data={"_csrf": other.csrf, "role_1": "attendee"},
                   allow_redirects=False)
    assert r.status_code == 403, describe(r)
    # a kind the parent does not own
    assert sessions["admin"].get(f"/e/meeting/{meeting['id']}/several/person").status_code == 404


def test_every_owned_kind_can_be_added_several_at_once(server, sessions):
    """The same form for every record that belongs to another (a quantity
    of an activity, a member of a supervision…): its rows hold the widgets
    of its fields, the owner left out."""
    admin = server.api("admin")
    seen = 0
    for child in ENTITIES:
        for f in child["fields"]:
            if not f["owner"] or child["readonly"] or child["admin_only"] or BY_NAME[f["arg"]]["admin_only"]:
                continue
            items = admin.list(f["arg"], limit=1)["items"]
            if not items:
                continue
            r = sessions["admin"].get(f"/e/{f['arg']}/{items[0]['id']}/several/{child['name']}")
            assert r.status_code == 200, (child["name"], describe(r))
            assert f'name="{f["name"]}_1"' not in r.text
            wanted = [x for x in child["fields"] if not x["system"] and not x.get("sourced")
                      and x["name"] != f["name"]]
            for x in wanted:
                assert f'name="{x["name"]}_1"' in r.text, (child["name"], x["name"])
            seen += 1
    assert seen >= 8


# ---- the audit log, readable ---------------------------------------------------------------


def test_the_audit_log_shows_field_label_old_and_new(server, sessions):
    """Not raw JSON: "Nội dung: <old> → <new>", references by their names,
    on the record's page and in the log itself."""
    admin = server.api("admin")
    a, b = commune(server, "Xã Sán Chải"), commune(server, "Xã Bản Mế")
    old, new = unique("Tuần tra trước khi sửa"), unique("Tuần tra sau khi sửa")
    act = admin.create("activity", {"kind": "patrol", "title": old, "start_on": "2024-03-15",
                                    "unit_id": a})
    r = admin.patch(f"/api/v1/activity/{act['id']}", json={"title": new, "unit_id": b},
                    headers={"If-Match": str(act["version"])})
    assert r.status_code == 200, describe(r)
    s = sessions["admin"]
    page = s.get(f"/e/activity/{act['id']}").text
    audit = page[page.index('<details class="audit">'):]
    text = html.unescape(re.sub(r"<[^>]+>", "", audit))
    assert f"Nội dung{old} → {new}" in text, text[:2000]
    assert "Địa bànXã Sán Chải — Huyện Si Ma Cai (đến 30/06/2025) → " not in text
    assert re.search(r"Địa bàn\s*Xã Sán Chải.*→\s*Xã Bản Mế", text), text[:2000]
    assert '"created_at"' not in audit and "<pre>" not in audit
    # the creation lists what was given, without an arrow
    assert re.search(r"Loại hoạt động\s*Tuần tra", text), text[:2000]
    # the log itself
    log = s.get("/e/audit_log", params={"entity": "activity", "record_id": act["id"]}).text
    body = html.unescape(re.sub(r"<[^>]+>", "", log))
    assert f"{old} → {new}" in body and '"title"' not in log
    assert "Thay đổi" in log


def test_the_audit_log_names_no_secret_field(server, sessions):
    """A user's password hash is a field of its record: never shown, even
    in the readable change."""
    log = sessions["admin"].get("/e/audit_log", params={"entity": "app_user"}).text
    assert "Mật khẩu (băm)" not in log and "$argon2" not in log
