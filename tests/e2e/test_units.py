"""GET /api/v1/units/CODE?date=…: a unit on a date with the 2025 lineage."""
from conftest import describe


def names(units):
    return sorted(u["name"] for u in units)


def test_ban_may_2025_has_three_predecessors(viewer):
    r = viewer.get("/api/v1/units/01024", params={"date": "2025-07-01"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    assert names(body["predecessors"]) == ["Xã Bản Máy", "Xã Bản Phùng", "Xã Chiến Phố"]


def test_si_ma_cai_before_2025_has_its_communes_as_children(viewer):
    r = viewer.get("/api/v1/units/084", params={"date": "2024-01-01"})
    assert r.status_code == 200, describe(r)
    body = r.json()
    children = names(body["children"])
    assert "Xã Sán Chải" in children and "Thị trấn Si Ma Cai" in children
    assert len(children) == 10


def test_unknown_unit_code_is_404(viewer):
    r = viewer.get("/api/v1/units/99999999", params={"date": "2024-01-01"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
