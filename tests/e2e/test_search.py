"""Search: ?q= ignores diacritics and case (đ matches d)."""


def names(body):
    return [u["name"] for u in body["items"]]


def test_search_without_diacritics_finds_xin_man(viewer):
    body = viewer.list("admin_unit", q="xin man", limit=1000)
    assert "Huyện Xín Mần" in names(body)
    assert body["total"] == len(body["items"])


def test_search_in_capitals_with_diacritics_finds_the_same(viewer):
    plain = viewer.list("admin_unit", q="xin man", limit=1000)
    caps = viewer.list("admin_unit", q="XÍN MẦN", limit=1000)
    assert "Huyện Xín Mần" in names(caps)
    assert caps["total"] == plain["total"]
    assert sorted(u["id"] for u in caps["items"]) == sorted(u["id"] for u in plain["items"])


def test_search_d_matches_d_with_stroke(viewer):
    with_stroke = viewer.list("admin_unit", q="đồng văn", limit=1000)
    plain = viewer.list("admin_unit", q="dong van", limit=1000)
    assert with_stroke["total"] > 0
    assert with_stroke["total"] == plain["total"]
    assert "Huyện Đồng Văn" in names(plain)


def test_search_only_returns_matching_records(viewer):
    body = viewer.list("admin_unit", q="xin man", limit=1000)
    assert 0 < body["total"] < 50
    assert "Huyện Si Ma Cai" not in names(body)


def test_search_combines_with_filters(viewer):
    # district level (2) among the pre-2025 units; 2025 communes are level 2 too
    body = viewer.list("admin_unit", q="xin man", level=2, valid_to="2025-06-30")
    assert names(body) == ["Huyện Xín Mần"]


def test_search_in_agreement_titles(viewer):
    body = viewer.list("agreement", q="si ma cai")
    titles = [a["title"] for a in body["items"]]
    assert body["total"] >= 1
    assert any("Si Ma Cai" in t and "Xín Mần" in t for t in titles), titles
