"""Create, read, update (with versions) and delete through the API."""
import re

from conftest import assert_error, person


def test_post_creates_with_201_location_and_etag(admin):
    rec = person(gender="female")
    r = admin.post("/api/v1/person", json=rec)
    assert r.status_code == 201
    body = r.json()
    assert body["full_name"] == rec["full_name"]
    assert body["gender"] == "female"
    assert isinstance(body["id"], int)
    assert body["version"] == 1
    assert r.headers["Location"].endswith(f"/api/v1/person/{body['id']}")
    assert r.headers["ETag"] == '"1"'


def test_created_record_has_system_fields(admin):
    body = admin.create("person", person())
    assert re.match(r"\d{4}-\d{2}-\d{2}", body["created_at"])
    assert re.match(r"\d{4}-\d{2}-\d{2}", body["updated_at"])
    assert body["illustrative"] is False


def test_get_returns_the_record_with_etag_1(admin):
    created = admin.create("person", person())
    r = admin.get(f"/api/v1/person/{created['id']}")
    assert r.status_code == 200
    assert r.headers["ETag"] == '"1"'
    assert r.json()["full_name"] == created["full_name"]
    assert r.json()["version"] == 1


def test_location_header_points_at_the_record(admin):
    r = admin.post("/api/v1/person", json=person())
    loc = r.headers["Location"]
    got = admin.get(loc if loc.startswith("/") else loc[len(admin.base):])
    assert got.status_code == 200
    assert got.json()["id"] == r.json()["id"]


def test_patch_with_current_version_gives_version_2(admin):
    created = admin.create("person", person())
    r = admin.patch(f"/api/v1/person/{created['id']}", json={"note": "đã cập nhật"},
                    headers={"If-Match": '"1"'})
    assert r.status_code == 200
    assert r.json()["version"] == 2
    assert r.json()["note"] == "đã cập nhật"
    assert r.json()["full_name"] == created["full_name"]  # untouched fields stay
    got = admin.get(f"/api/v1/person/{created['id']}")
    assert got.headers["ETag"] == '"2"'


def test_patch_with_an_older_version_is_412_and_changes_nothing(admin):
    created = admin.create("person", person())
    path = f"/api/v1/person/{created['id']}"
    first = admin.patch(path, json={"note": "lần một"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    second = admin.patch(path, json={"note": "lần hai"}, headers={"If-Match": '"1"'})
    assert_error(second, 412, "precondition_failed")
    now = admin.get(path).json()
    assert now["version"] == 2
    assert now["note"] == "lần một"


def test_delete_is_204_then_get_is_404(admin):
    created = admin.create("person", person())
    path = f"/api/v1/person/{created['id']}"
    r = admin.delete(path)
    assert r.status_code == 204
    assert r.content == b""
    assert_error(admin.get(path), 404, "not_found")


def test_delete_with_an_older_version_is_412_and_keeps_the_record(admin):
    created = admin.create("person", person())
    path = f"/api/v1/person/{created['id']}"
    assert admin.patch(path, json={"note": "x"}, headers={"If-Match": '"1"'}).status_code == 200
    assert_error(admin.delete(path, headers={"If-Match": '"1"'}), 412, "precondition_failed")
    assert admin.get(path).status_code == 200


def test_get_of_a_missing_record_is_404(admin):
    assert_error(admin.get("/api/v1/person/999999999"), 404, "not_found")


def test_patch_of_a_missing_record_is_404(admin):
    r = admin.patch("/api/v1/person/999999999", json={"note": "x"}, headers={"If-Match": '"1"'})
    assert_error(r, 404, "not_found")


def test_created_record_appears_in_the_list(admin):
    created = admin.create("person", person())
    body = admin.list("person", full_name=created["full_name"])
    assert body["total"] == 1
    assert body["items"][0]["id"] == created["id"]
