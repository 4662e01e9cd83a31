"""Roles and scopes: who may change what (docs/API.md, src/domain/auth.h)."""
from conftest import (BACHA, BACHA_COMMUNE, BACHA_OTHER_COMMUNE, SIMACAI, XINMAN,
                      activity, assert_error, person)


# ---- viewer --------------------------------------------------------------------


def test_viewer_reads_records(viewer):
    assert viewer.list("agreement")["total"] > 0
    assert viewer.list("activity")["total"] > 0


def test_viewer_cannot_create(viewer):
    assert_error(viewer.post("/api/v1/person", json=person()), 403, "forbidden")


def test_viewer_cannot_change_or_delete(admin, viewer):
    created = admin.create("person", person())
    path = f"/api/v1/person/{created['id']}"
    assert_error(viewer.patch(path, json={"note": "x"}, headers={"If-Match": '"1"'}),
                 403, "forbidden")
    assert_error(viewer.delete(path), 403, "forbidden")
    assert admin.get(path).json()["version"] == 1


# ---- district editor (Si Ma Cai, pre-2025 code 084) ------------------------------


def test_district_editor_creates_activity_in_a_commune_of_its_district(server, simacai_editor):
    commune = server.children(SIMACAI)[0]
    r = simacai_editor.post("/api/v1/activity", json=activity(commune["id"]))
    assert r.status_code == 201, r.text
    assert r.json()["unit_id"] == commune["id"]


def test_district_editor_creates_activity_on_the_district_itself(server, simacai_editor):
    r = simacai_editor.post("/api/v1/activity", json=activity(server.unit_id(SIMACAI)))
    assert r.status_code == 201, r.text


def test_district_editor_cannot_create_activity_in_another_district(server, simacai_editor):
    xinman_commune = server.children(XINMAN)[0]
    rec = activity(xinman_commune["id"])
    assert_error(simacai_editor.post("/api/v1/activity", json=rec), 403, "forbidden")
    assert server.api("admin").list("activity", title=rec["title"])["total"] == 0


def test_district_editor_cannot_move_an_activity_out_of_its_district(server, simacai_editor):
    mine = simacai_editor.create("activity", activity(server.children(SIMACAI)[0]["id"]))
    xinman_commune = server.children(XINMAN)[0]
    r = simacai_editor.patch(f"/api/v1/activity/{mine['id']}",
                             json={"unit_id": xinman_commune["id"]},
                             headers={"If-Match": '"1"'})
    assert_error(r, 403, "forbidden")


def test_any_editor_creates_records_without_a_unit(simacai_editor):
    r = simacai_editor.post("/api/v1/person", json=person())
    assert r.status_code == 201, r.text


def test_editor_cannot_change_administrative_units(server, simacai_editor):
    uid = server.unit_id(SIMACAI)
    unit = simacai_editor.get(f"/api/v1/admin_unit/{uid}").json()
    r = simacai_editor.patch(f"/api/v1/admin_unit/{uid}", json={"flags_note": "x"},
                             headers={"If-Match": f'"{unit["version"]}"'})
    assert_error(r, 403, "forbidden")
    r = simacai_editor.post("/api/v1/admin_unit", json={
        "code": "99999", "name": "Xã Không Có", "type": "Xã", "level": 3})
    assert_error(r, 403, "forbidden")


# ---- commune editor (Tả Van Chư, a commune of Bắc Hà) ----------------------------


def test_commune_editor_creates_activity_in_its_own_commune(server, bacha_editor):
    own = server.unit_id(BACHA_COMMUNE)
    r = bacha_editor.post("/api/v1/activity", json=activity(own))
    assert r.status_code == 201, r.text
    assert r.json()["unit_id"] == own


def test_commune_editor_cannot_create_in_another_commune_of_the_district(server, bacha_editor):
    other = server.unit_id(BACHA_OTHER_COMMUNE)
    assert_error(bacha_editor.post("/api/v1/activity", json=activity(other)), 403, "forbidden")


def test_commune_editor_cannot_create_on_its_district(server, bacha_editor):
    assert_error(bacha_editor.post("/api/v1/activity", json=activity(server.unit_id(BACHA))),
                 403, "forbidden")


def test_commune_editor_cannot_patch_an_activity_of_another_commune(server, admin, bacha_editor):
    theirs = admin.create("activity", activity(server.unit_id(BACHA_OTHER_COMMUNE)))
    path = f"/api/v1/activity/{theirs['id']}"
    r = bacha_editor.patch(path, json={"title": "sửa trái phép"}, headers={"If-Match": '"1"'})
    assert_error(r, 403, "forbidden")
    assert admin.get(path).json()["title"] == theirs["title"]


def test_commune_editor_cannot_delete_an_activity_of_another_commune(server, admin, bacha_editor):
    theirs = admin.create("activity", activity(server.unit_id(BACHA_OTHER_COMMUNE)))
    path = f"/api/v1/activity/{theirs['id']}"
    assert_error(bacha_editor.delete(path), 403, "forbidden")
    assert admin.get(path).status_code == 200


def test_commune_editor_patches_its_own_activity(server, bacha_editor):
    mine = bacha_editor.create("activity", activity(server.unit_id(BACHA_COMMUNE)))
    r = bacha_editor.patch(f"/api/v1/activity/{mine['id']}", json={"end_on": "2024-03-16"},
                           headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2


def test_commune_editor_cannot_patch_demo_activity_of_si_ma_cai(server, admin, bacha_editor):
    simacai_communes = {u["id"] for u in server.children(SIMACAI)}
    acts = admin.list("activity", limit=1000)["items"]
    theirs = next(a for a in acts if a["unit_id"] in simacai_communes)
    r = bacha_editor.patch(f"/api/v1/activity/{theirs['id']}", json={"title": "x"},
                           headers={"If-Match": f'"{theirs["version"]}"'})
    assert_error(r, 403, "forbidden")


# ---- admin ---------------------------------------------------------------------


def test_admin_creates_anywhere(server, admin):
    for unit in (server.unit_id(BACHA_OTHER_COMMUNE), server.children(XINMAN)[0]["id"]):
        assert admin.post("/api/v1/activity", json=activity(unit)).status_code == 201


def test_admin_patches_an_activity_of_any_commune(server, admin, bacha_editor):
    theirs = bacha_editor.create("activity", activity(server.unit_id(BACHA_COMMUNE)))
    r = admin.patch(f"/api/v1/activity/{theirs['id']}", json={"title": "Admin đã sửa (e2e)"},
                    headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["title"] == "Admin đã sửa (e2e)"


# ---- admin-only entities and the audit log ---------------------------------------


def test_audit_log_records_a_create_with_its_user(server, admin, simacai_editor):
    created = simacai_editor.create("activity", activity(server.children(SIMACAI)[0]["id"]))
    body = admin.list("audit_log", entity="activity", record_id=created["id"])
    assert body["total"] >= 1
    entry = body["items"][0]
    assert entry["action"] == "create"
    assert entry["entity"] == "activity"
    assert entry["record_id"] == created["id"]
    assert entry["user_id"] == server.user_id("simacai_editor")
    assert entry["actor"]


def test_audit_log_lists_activity_writes_for_admin(server, admin):
    created = admin.create("activity", activity(server.unit_id(BACHA_COMMUNE)))
    admin.patch(f"/api/v1/activity/{created['id']}", json={"end_on": "2024-03-20"},
                headers={"If-Match": '"1"'})
    mine = admin.list("audit_log", entity="activity", record_id=created["id"])["items"]
    assert {e["action"] for e in mine} >= {"create", "update"}
    admin_id = server.user_id("admin")
    assert all(e["user_id"] == admin_id for e in mine)


def test_audit_log_is_403_for_a_viewer(viewer):
    assert_error(viewer.get("/api/v1/audit_log", params={"entity": "activity"}),
                 403, "forbidden")


def test_audit_log_is_403_for_an_editor(simacai_editor):
    assert_error(simacai_editor.get("/api/v1/audit_log"), 403, "forbidden")


def test_audit_log_is_read_only_even_for_admin(admin):
    r = admin.post("/api/v1/audit_log", json={"at": "2024-01-01", "action": "create",
                                              "entity": "person", "record_id": 1})
    assert r.status_code in (403, 405), r.text
    assert_error(r, r.status_code)


def test_users_and_grants_are_403_for_a_viewer(viewer):
    assert_error(viewer.get("/api/v1/app_user"), 403, "forbidden")
    assert_error(viewer.get("/api/v1/role_grant"), 403, "forbidden")


def test_users_never_show_password_hashes(admin):
    users = admin.list("app_user", limit=100)["items"]
    assert users
    assert all("password_hash" not in u for u in users)


# ---- records that belong to another record (F_OWNER): the owner's scope -----------


def quantity(activity_id):
    return {"activity_id": activity_id, "measure": "people", "value": 12,
            "unit_of_measure": "người"}


def test_commune_editor_adds_figures_to_its_own_activity(server, bacha_editor):
    mine = bacha_editor.create("activity", activity(server.unit_id(BACHA_COMMUNE)))
    r = bacha_editor.post("/api/v1/activity_quantity", json=quantity(mine["id"]))
    assert r.status_code == 201, r.text


def test_commune_editor_cannot_add_figures_to_another_communes_activity(server, admin,
                                                                        bacha_editor):
    theirs = admin.create("activity", activity(server.unit_id(BACHA_OTHER_COMMUNE)))
    r = bacha_editor.post("/api/v1/activity_quantity", json=quantity(theirs["id"]))
    assert_error(r, 403, "forbidden")
