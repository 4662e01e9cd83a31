"""Confidential incidents: invisible (404, absent from lists) without clearance."""
import pytest

from conftest import BACHA_COMMUNE, assert_error, ids, incident


@pytest.fixture(scope="module")
def secret_incident(server):
    admin = server.api("admin")
    rec = admin.create("incident", incident(server.unit_id(BACHA_COMMUNE), confidential=True,
                                            title="Vụ việc mật (e2e)"))
    assert rec["confidential"] is True
    return rec


def test_viewer_without_clearance_does_not_see_it_in_lists(admin, viewer, secret_incident):
    mine = viewer.list("incident", limit=1000)
    everything = admin.list("incident", limit=1000)
    assert secret_incident["id"] not in ids(mine["items"])
    assert secret_incident["id"] in ids(everything["items"])
    assert mine["total"] < everything["total"]
    assert mine["total"] == len(mine["items"])


def test_viewer_without_clearance_gets_404_for_it(viewer, secret_incident):
    assert_error(viewer.get(f"/api/v1/incident/{secret_incident['id']}"), 404, "not_found")


def test_viewer_without_clearance_cannot_find_it_by_search(viewer, secure_viewer,
                                                           secret_incident):
    assert secure_viewer.list("incident", q="vu viec mat")["total"] >= 1
    assert viewer.list("incident", q="vu viec mat")["total"] == 0


def test_viewer_with_clearance_sees_it(secure_viewer, secret_incident):
    r = secure_viewer.get(f"/api/v1/incident/{secret_incident['id']}")
    assert r.status_code == 200
    assert r.json()["title"] == "Vụ việc mật (e2e)"
    assert secret_incident["id"] in ids(secure_viewer.list("incident", limit=1000)["items"])


def test_cleared_and_admin_lists_agree(admin, secure_viewer, secret_incident):
    assert secure_viewer.list("incident")["total"] == admin.list("incident")["total"]


def test_editor_without_clearance_cannot_change_it(bacha_editor, secret_incident):
    r = bacha_editor.patch(f"/api/v1/incident/{secret_incident['id']}",
                           json={"status": "verified"}, headers={"If-Match": '"1"'})
    assert r.status_code in (403, 404), r.text
    assert_error(r, r.status_code)


def test_editor_without_clearance_cannot_create_a_confidential_incident(server, bacha_editor):
    r = bacha_editor.post("/api/v1/incident",
                          json=incident(server.unit_id(BACHA_COMMUNE), confidential=True))
    assert_error(r, 403, "forbidden")


def test_public_incidents_stay_visible_to_the_viewer(viewer, secret_incident):
    items = viewer.list("incident", limit=1000)["items"]
    # the 8 demo incidents of Si Ma Cai–Bắc Hà–Xín Mần are not confidential
    assert len([i for i in items if i["confidential"] is False]) >= 8
    assert all(i["confidential"] is not True for i in items)
