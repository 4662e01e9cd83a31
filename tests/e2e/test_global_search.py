"""One search box in the header (issue 17): /search?q= finds any record the
user may see - a name, a document number ("2523/QĐ-UBND"), a place -
without diacritics or case, grouped by kind; confidential records only with
clearance; kinds the user may not read not at all."""
import re

import pytest

from conftest import SIMACAI, describe, unique


def groups(html):
    """{kind label: count} of a results page."""
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r'<section class="search-group" id="kq-[a-z_]+">\n<h2>([^<]+) '
                        r'<small>· (\d+)</small></h2>', html)}


@pytest.mark.parametrize("path", ["/", "/e/meeting", "/reports", "/units"])
def test_every_page_has_the_search_box(server, path):
    r = server.sign_in("viewer").get(path)
    assert r.status_code == 200
    assert re.search(r'<form method="get" action="/search" role="search" '
                     r'class="site-search">', r.text), path


@pytest.mark.parametrize("typed", ["2523/QĐ-UBND", "2523/qd-ubnd", "2523/QD-UBND"])
def test_a_document_number_is_found_however_typed(server, typed):
    r = server.sign_in("viewer").get("/search", params={"q": typed})
    assert r.status_code == 200, describe(r)
    g = groups(r.text)
    assert g.get("Văn bản", 0) >= 1, (g, describe(r))
    assert "2523" in r.text
    # the box keeps what was typed
    assert f'value="{typed}"' in r.text


@pytest.mark.parametrize("typed", ["Si Ma Cai", "si ma cai", "SI MA CAI", "sí mà cải"])
def test_a_place_is_found_without_diacritics_or_case(server, typed):
    r = server.sign_in("viewer").get("/search", params={"q": typed})
    g = groups(r.text)
    assert g.get("Đơn vị hành chính", 0) >= 1, g
    assert "Huyện Si Ma Cai" in r.text
    # records of other kinds that name it, grouped apart
    assert len(g) >= 2, g


def test_results_are_grouped_and_link_to_the_full_list(server):
    s = server.sign_in("viewer")
    r = s.get("/search", params={"q": "xa"})
    g = groups(r.text)
    assert len(g) >= 2, g
    # a kind with more than the page shows links to its list with the query
    big = [k for k, n in g.items() if n > 10]
    assert big, g
    assert re.search(r'href="/e/[a-z_]+\?q=xa">Xem tất cả \d+ ', r.text)
    # counts are the lists' counts
    body = server.api("viewer").list("admin_unit", q="xa", limit=1)
    assert g["Đơn vị hành chính"] == body["total"]


def test_nothing_found_is_said(server):
    r = server.sign_in("viewer").get("/search", params={"q": unique("không có gì như thế")})
    assert r.status_code == 200
    assert "Không tìm thấy hồ sơ nào" in r.text


def test_confidential_records_only_with_clearance(server):
    admin = server.api("admin")
    title = unique("Vụ việc mật tìm kiếm")
    admin.create("incident", {"kind": "crime", "title": title, "status": "reported",
                              "occurred_on": "2024-03-01",
                              "unit_id": server.unit_id(SIMACAI), "confidential": True})
    word = title.lower()
    seen = server.sign_in("secure_viewer").get("/search", params={"q": word})
    assert title in seen.text, describe(seen)
    hidden = server.sign_in("viewer").get("/search", params={"q": word})
    assert hidden.status_code == 200
    assert title not in hidden.text
    assert "Không tìm thấy hồ sơ nào" in hidden.text


def test_kinds_one_may_not_read_are_not_searched(server):
    """Users (app_user) are the administrators' to read."""
    login = server.login("viewer")
    as_viewer = server.sign_in("viewer").get("/search", params={"q": login})
    assert "Người dùng" not in groups(as_viewer.text)
    as_admin = server.sign_in("admin").get("/search", params={"q": login})
    assert groups(as_admin.text).get("Người dùng", 0) >= 1, describe(as_admin)


def test_a_query_too_long_is_refused(server):
    r = server.sign_in("viewer").get("/search", params={"q": "x" * 201})
    assert r.status_code == 400
