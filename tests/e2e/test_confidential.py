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


def test_editor_without_clearance_cannot_make_an_incident_confidential(server, bacha_editor):
    public = bacha_editor.create("incident", incident(server.unit_id(BACHA_COMMUNE)))
    r = bacha_editor.patch(f"/api/v1/incident/{public['id']}", json={"confidential": True},
                           headers={"If-Match": '"1"'})
    assert_error(r, 403, "forbidden")
    assert bacha_editor.get(f"/api/v1/incident/{public['id']}").json()["confidential"] is not True


def test_shares_of_a_confidential_incident_are_hidden_without_clearance(
        admin, viewer, secure_viewer, secret_incident):
    share = admin.create("incident_share", {"incident_id": secret_incident["id"],
                                            "shared_on": "2024-05-03",
                                            "note": "Nội dung trao đổi mật (e2e)"})
    assert secure_viewer.get(f"/api/v1/incident_share/{share['id']}").status_code == 200
    listed = viewer.list("incident_share", incident_id=secret_incident["id"])
    assert listed["total"] == 0, listed
    assert_error(viewer.get(f"/api/v1/incident_share/{share['id']}"), 404, "not_found")


def test_files_of_a_confidential_incident_are_hidden_without_clearance(
        server, admin, viewer, secure_viewer, secret_incident):
    # POST /api/v1/attachment/upload?owner_entity=&owner_id=&filename= (the body is the file)
    up = admin.post("/api/v1/attachment/upload",
                    params={"owner_entity": "incident", "owner_id": secret_incident["id"],
                            "filename": "bien-ban-mat.txt"},
                    data="Biên bản mật (e2e)\n".encode(),
                    headers={"Content-Type": "text/plain"})
    assert up.status_code == 201, up.text
    att = up.json()
    assert secure_viewer.get(f"/files/{att['id']}").status_code == 200
    assert viewer.get(f"/files/{att['id']}").status_code == 404
    assert_error(viewer.get(f"/api/v1/attachment/{att['id']}"), 404, "not_found")
    assert viewer.list("attachment", owner_entity="incident",
                       owner_id=secret_incident["id"])["total"] == 0
