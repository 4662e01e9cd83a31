"""Validation (422) and the other error answers of the API."""
import pytest

from conftest import (BODY_LIMIT, assert_error, has_non_ascii, organisation,
                      person, raw_request)

MEETING = {"kind": "working_session", "title": "Làm việc với huyện Xín Mần (e2e)",
           "held_on": "2023-02-28"}


def test_empty_meeting_is_422_naming_every_required_field(admin):
    err = assert_error(admin.post("/api/v1/meeting", json={}), 422, "invalid")
    assert {"kind", "title", "held_on"} <= set(err["fields"])


def test_impossible_date_is_422_naming_the_field(admin):
    err = assert_error(admin.post("/api/v1/meeting", json=dict(MEETING, held_on="2023-02-30")),
                       422, "invalid")
    assert list(err["fields"]) == ["held_on"]


@pytest.mark.parametrize("typed,why", [
    ("31/02/2024", "tháng 2 không có ngày 31"),
    ("29/02/2023", "năm 2023 không nhuận"),
    ("31/04/2024", "tháng 4 không có ngày 31"),
    ("12/13/2024", "không có tháng 13"),
])
def test_an_impossible_typed_date_says_what_is_wrong(admin, typed, why):
    """dd/mm/yyyy as Vietnamese users type it: a date not in the calendar
    is refused saying why, and a real one is stored as ISO."""
    err = assert_error(admin.post("/api/v1/meeting", json=dict(MEETING, held_on=typed)),
                       422, "invalid")
    assert why in err["fields"]["held_on"], err


def test_a_typed_date_is_stored_as_iso(admin):
    r = admin.post("/api/v1/meeting", json=dict(MEETING, held_on="29/02/2024"))
    assert r.status_code == 201, r.text
    assert r.json()["held_on"] == "2024-02-29"


def test_validation_messages_are_vietnamese(admin):
    err = assert_error(admin.post("/api/v1/meeting", json={"held_on": "2023-02-30"}),
                       422, "invalid")
    assert err["fields"]
    for name, message in err["fields"].items():
        assert isinstance(message, str) and has_non_ascii(message), (name, message)
    assert has_non_ascii(err["message"])


def test_unknown_catalog_code_is_422(admin):
    err = assert_error(admin.post("/api/v1/meeting", json=dict(MEETING, kind="no_such_kind")),
                       422, "invalid")
    assert "kind" in err["fields"]


def test_reference_to_a_missing_record_is_422(admin):
    err = assert_error(admin.post("/api/v1/meeting", json=dict(MEETING, unit_id=999999999)),
                       422, "invalid")
    assert "unit_id" in err["fields"]


def test_invalid_post_stores_nothing(admin):
    title = "Không được lưu (e2e)"
    admin.post("/api/v1/meeting", json=dict(MEETING, title=title, held_on="2023-02-30"))
    assert admin.list("meeting", title=title)["total"] == 0


def test_valid_meeting_is_created(admin):
    body = admin.create("meeting", MEETING)
    assert body["held_on"] == "2023-02-28"


def test_malformed_json_is_400_bad_request(admin):
    r = admin.post("/api/v1/person", data=b'{"full_name": "Nguy',
                   headers={"Content-Type": "application/json"})
    assert_error(r, 400, "bad_request")


def test_json_that_is_not_an_object_is_rejected(admin):
    r = admin.post("/api/v1/person", data=b'"just a string"',
                   headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert_error(r, r.status_code)


def test_text_plain_body_is_415(admin):
    r = admin.post("/api/v1/person", data='{"full_name": "Nguyễn Văn A"}'.encode(),
                   headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")


def test_patch_with_form_body_is_415(admin):
    created = admin.create("person", person())
    r = admin.patch(f"/api/v1/person/{created['id']}", data={"note": "x"},
                    headers={"If-Match": '"1"'})
    assert_error(r, 415, "unsupported_media_type")


def post_oversized(server, expect_continue):
    """POST /api/v1/person with a JSON body 1 KiB over the 2 MiB limit."""
    body = b'{"full_name": "' + b"a" * (BODY_LIMIT + 1024) + b'"}'
    head = (f"POST /api/v1/person HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Authorization: Bearer {server.tokens['admin']}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            + ("Expect: 100-continue\r\n" if expect_continue else "")
            + "\r\n").encode()
    return raw_request(server.host, server.port, head, body, expect_continue=expect_continue)


def test_body_over_2_mib_is_413(server):
    status, headers, payload = post_oversized(server, expect_continue=False)
    assert status == 413, (status, headers, payload[:300])


def test_body_over_2_mib_with_expect_continue_is_413(server):
    status, headers, payload = post_oversized(server, expect_continue=True)
    assert status == 413, (status, headers, payload[:300])


def test_oversized_body_is_not_stored_and_server_goes_on(server, admin):
    before = admin.list("person", limit=1)["total"]
    post_oversized(server, expect_continue=False)
    assert admin.get("/healthz").status_code == 200
    assert admin.list("person", limit=1)["total"] == before


def test_body_just_under_2_mib_is_accepted_as_far_as_size_goes(admin):
    # a long note (text fields are capped, so 422 is fine): not 413
    big = {"full_name": "Nguyễn Văn Dài (e2e)", "note": "a" * (BODY_LIMIT - 4096)}
    r = admin.post("/api/v1/person", json=big)
    assert r.status_code in (201, 422), r.text[:300]


def test_unknown_entity_is_404(admin):
    assert_error(admin.get("/api/v1/no_such_entity"), 404, "not_found")
    assert_error(admin.post("/api/v1/no_such_entity", json={}), 404, "not_found")


def test_non_numeric_record_id_is_404_or_400(admin):
    r = admin.get("/api/v1/person/abc")
    assert r.status_code in (400, 404), r.text
    assert_error(r, r.status_code)


def test_put_is_405_with_an_allow_header(admin):
    r = admin.put("/api/v1/person/1", json={"full_name": "x"})
    assert_error(r, 405, "method_not_allowed")
    allow = {m.strip().upper() for m in r.headers["Allow"].split(",")}
    assert {"GET", "PATCH", "DELETE"} <= allow
    assert "PUT" not in allow


def test_delete_on_a_collection_is_405(admin):
    r = admin.delete("/api/v1/person")
    assert_error(r, 405, "method_not_allowed")
    assert "Allow" in r.headers


def test_deleting_an_organisation_that_issued_a_document_is_409(admin):
    org = admin.create("organisation", organisation())
    admin.create("document", {"kind": "QD", "title": "Quyết định thử nghiệm (e2e)",
                              "issuer_id": org["id"], "issued_on": "2024-01-05"})
    r = admin.delete(f"/api/v1/organisation/{org['id']}")
    assert_error(r, 409, "conflict")
    assert admin.get(f"/api/v1/organisation/{org['id']}").status_code == 200


def test_deleting_a_demo_organisation_with_documents_is_409(admin):
    docs = admin.list("document", limit=100)["items"]
    issuer = next(d["issuer_id"] for d in docs if d.get("issuer_id"))
    assert_error(admin.delete(f"/api/v1/organisation/{issuer}"), 409, "conflict")
    assert admin.get(f"/api/v1/organisation/{issuer}").status_code == 200


def test_unreferenced_organisation_can_be_deleted(admin):
    org = admin.create("organisation", organisation())
    assert admin.delete(f"/api/v1/organisation/{org['id']}").status_code == 204
