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
