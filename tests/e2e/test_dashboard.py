"""A dashboard per province and district (issue 17): the overview's panels
filtered to a unit's subtree - `/?unit=CODE`, `/?unit_id=ID`,
`/units/CODE/dashboard`, reached from the unit pages - and report scopes
"Tỉnh X" / "Huyện Y" on /reports.  Underneath, the list filter
`FIELD__within=UNIT_ID` (store.h: OP_WITHIN) of the API and the pages: a
unit field, or a reference to an organisation or a record with a unit."""
import html
import re

import pytest

from conftest import SIMACAI, XINMAN, assert_error, describe, unique

SIMACAI_COMMUNE = "02800"   # Xã Nàn Sán, Huyện Si Ma Cai
OLD_LAO_CAI = ("10", "2025-06-30")
NEW_LAO_CAI = ("15", "2025-07-01")


def card_total(html, title):
    """The count beside a card's title."""
    m = re.search(re.escape(title) + r"</a> <small>· (\d+)</small>", html)
    assert m, title
    return int(m.group(1))


def count_row(html, label):
    """The count of an entity in the table of counts, or None."""
    m = re.search(r'>' + re.escape(label) + r'</a></td><td data-label="Số lượng" '
                  r'class="num">(\d+)</td>', html)
    return int(m.group(1)) if m else None


@pytest.fixture(scope="module")
def world(server):
    """Two meetings dated far ahead (first in "recent"): one in a commune of
    Si Ma Cai, one in Xín Mần (another province)."""
    admin = server.api("admin")
    inside = admin.create("meeting", {
        "kind": "review_conference", "title": unique("Hội nghị ở Nàn Sán"),
        "held_on": "2099-01-02", "unit_id": server.unit_id(SIMACAI_COMMUNE)})
    outside = admin.create("meeting", {
        "kind": "review_conference", "title": unique("Hội nghị ở Xín Mần"),
        "held_on": "2099-01-03", "unit_id": server.unit_id(XINMAN)})
    return {"inside": inside, "outside": outside, "unit": server.unit_id(SIMACAI)}


DASHBOARD_URLS = [
    lambda w: f"/?unit={SIMACAI}",
    lambda w: f"/?unit_id={w['unit']}",
    lambda w: f"/units/{SIMACAI}/dashboard",
    lambda w: f"/units/{SIMACAI}/dashboard?date=01/01/2024",
]


@pytest.mark.parametrize("url", range(len(DASHBOARD_URLS)))
def test_a_districts_dashboard_shows_its_records_only(server, world, url):
    s = server.sign_in("admin")
    r = s.get(DASHBOARD_URLS[url](world))
    assert r.status_code == 200, describe(r)
    assert "<h1>Tổng quan: Huyện Si Ma Cai</h1>" in r.text
    # the province above, by name
    assert re.search(r'<a href="/\?unit_id=\d+">Tỉnh Lào Cai</a>', r.text)
    assert world["inside"]["title"] in r.text
    assert world["outside"]["title"] not in r.text
    # the cards' counts are the API's with the same filter
    api = server.api("admin")
    n = api.list("meeting", unit_id__within=world["unit"], limit=1)["total"]
    assert card_total(r.text, "Hội nghị gần đây") == n
    assert f"unit_id__within={world['unit']}" in r.text
    # and the table of counts
    for entity, label in (("meeting", "Hội nghị, cuộc họp"), ("activity", "Hoạt động"),
                          ("target_set", "Bộ chỉ tiêu")):
        field = {"target_set": "unit_id"}.get(entity, "unit_id")
        want = api.list(entity, **{field + "__within": world["unit"]}, limit=1)["total"]
        assert count_row(r.text, label) == want, (entity, want)
    # the district's target set and its achievement
    assert "Nghị quyết Đại hội Đảng bộ huyện Si Ma Cai" in r.text


def test_the_national_overview_shows_both(server, world):
    s = server.sign_in("admin")
    r = s.get("/")
    assert r.status_code == 200
    assert "<h1>Tổng quan</h1>" in r.text
    assert world["inside"]["title"] in r.text and world["outside"]["title"] in r.text
    n = server.api("admin").list("meeting", limit=1)["total"]
    assert card_total(r.text, "Hội nghị gần đây") == n
    # the dashboards are offered by name
    assert re.search(r'<option value="%d"[^>]*>Huyện Si Ma Cai \(trước 1/7/2025\)</option>'
                     % world["unit"], r.text), describe(r)


def test_a_provinces_dashboard_holds_its_districts_and_the_2025_lineage(server, world):
    s = server.sign_in("admin")
    old = s.get(f"/units/{OLD_LAO_CAI[0]}/dashboard", params={"date": OLD_LAO_CAI[1]})
    assert "<h1>Tổng quan: Tỉnh Lào Cai</h1>" in old.text
    assert world["inside"]["title"] in old.text
    assert world["outside"]["title"] not in old.text
    new = s.get(f"/units/{NEW_LAO_CAI[0]}/dashboard", params={"date": NEW_LAO_CAI[1]})
    assert new.status_code == 200
    # the 2025 province holds what was kept against the old one
    assert world["inside"]["title"] in new.text
    assert card_total(new.text, "Hội nghị gần đây") >= card_total(old.text,
                                                                   "Hội nghị gần đây")


def test_dashboards_are_reached_from_the_unit_pages(server, world):
    s = server.sign_in("viewer")
    # the tree of units links the overview by id; a unit's record page
    # offers it once, among the unit's tools, by code (on its last day
    # when it has ended), beside the unit's place in the tree
    r = s.get(f"/units?unit={world['unit']}")
    assert f'href="/?unit_id={world["unit"]}"' in r.text
    r = s.get(f"/e/admin_unit/{world['unit']}")
    assert r.text.count("Tổng quan của địa bàn") == 1, describe(r)
    link = re.search(r'href="(/units/%s/dashboard[^"]*)"' % SIMACAI, r.text)
    assert link, describe(r)
    assert f'href="/units?unit={world["unit"]}"' in r.text, describe(r)
    for path in (f"/?unit_id={world['unit']}", html.unescape(link.group(1))):
        r = s.get(path)
        assert r.status_code == 200 and "Tổng quan: Huyện Si Ma Cai" in r.text, path


@pytest.mark.parametrize("url,status", [("/?unit=99999", 404),
                                        ("/units/99999/dashboard", 404),
                                        ("/?unit_id=999999999", 404),
                                        ("/?unit_id=abc", 400),
                                        ("/?unit=084&date=31/02/2025", 400)])
def test_an_unknown_unit_is_said_so(server, url, status):
    r = server.sign_in("viewer").get(url)
    assert r.status_code == status, describe(r)


def test_the_within_filter_of_the_api(server, world):
    api = server.api("admin")
    unit = world["unit"]
    ids = [m["id"] for m in api.list("meeting", unit_id__within=unit, limit=1000)["items"]]
    assert world["inside"]["id"] in ids and world["outside"]["id"] not in ids
    # through an organisation's unit
    recs = api.list("recommendation", from_org_id__within=unit, limit=1000)
    assert recs["total"] > 0
    orgs = {o["id"]: o for o in api.list("organisation", limit=1000)["items"]}
    for rec in recs["items"]:
        org_unit = orgs[rec["from_org_id"]]["unit_id"]
        assert org_unit is not None
    # a field that has no unit behind it, and a value that is no id
    assert_error(api.get("/api/v1/meeting", params={"kind__within": unit}), 400)
    assert_error(api.get("/api/v1/meeting", params={"unit_id__within": "x"}), 400)
    # the list page says what it filters by, by name
    r = server.sign_in("admin").get("/e/meeting", params={"unit_id__within": unit})
    assert "thuộc địa bàn Huyện Si Ma Cai" in r.text, describe(r)


def test_reports_offer_province_and_district_scopes(server, world):
    s = server.sign_in("admin")
    r = s.get("/reports")
    assert r.status_code == 200
    assert '<optgroup label="Tỉnh, thành phố">' in r.text
    assert '<optgroup label="Huyện, xã">' in r.text
    m = re.search(r'<option value="(unit:%d)">Huyện Si Ma Cai \(trước 1/7/2025\)</option>'
                  % world["unit"], r.text)
    assert m, describe(r)
    assert re.search(r'<option value="unit:\d+">Tỉnh Lào Cai( \(trước 1/7/2025\))?</option>', r.text)
    rep = s.get("/reports/build", params={"scope": m.group(1), "period": "2024",
                                          "format": "html"})
    assert rep.status_code == 200, describe(rep)
    assert "Si Ma Cai" in rep.text
