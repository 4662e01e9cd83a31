"""Lists: GET /api/v1/ENTITY with filters, sort and paging."""
from conftest import BANMAY, assert_error, ids


def test_list_has_items_total_limit_offset(viewer):
    body = viewer.list("agreement")
    assert set(body) >= {"items", "total", "limit", "offset"}
    assert isinstance(body["items"], list)
    assert body["offset"] == 0
    assert body["total"] >= len(body["items"]) > 0


def test_list_limit_defaults_to_50(viewer):
    body = viewer.list("admin_unit")
    assert body["limit"] == 50
    assert len(body["items"]) == 50
    assert body["total"] > 10000  # both vintages of the administrative units


def test_list_limit_is_at_most_1000(viewer):
    r = viewer.get("/api/v1/admin_unit", params={"limit": 5000})
    if r.status_code == 400:
        assert_error(r, 400, "bad_request")
    else:
        assert r.status_code == 200
        assert r.json()["limit"] <= 1000
        assert len(r.json()["items"]) <= 1000


def test_every_record_carries_the_system_fields(viewer):
    item = viewer.list("agreement", limit=1)["items"][0]
    for f in ("id", "version", "created_at", "updated_at", "illustrative"):
        assert f in item, item


def test_values_are_typed(viewer):
    body = viewer.list("agreement", kind="twinning", status="signed", limit=1)
    item = body["items"][0]
    assert isinstance(item["id"], int)
    assert isinstance(item["version"], int)
    assert isinstance(item["unit_id"], int)
    assert isinstance(item["illustrative"], bool)
    assert len(item["signed_on"]) == 10 and item["signed_on"][4] == "-"


def test_filter_kind_twinning_gives_the_34_twinnings_of_ha_giang(viewer):
    body = viewer.list("agreement", kind="twinning", limit=100)
    assert body["total"] == 34
    assert len(body["items"]) == 34
    assert all(a["kind"] == "twinning" for a in body["items"])


def test_two_filters_combine_signed_twinnings_are_33(viewer):
    body = viewer.list("agreement", kind="twinning", status="signed", limit=100)
    assert body["total"] == 33
    assert all(a["status"] == "signed" and a["kind"] == "twinning" for a in body["items"])


def test_the_planned_twinning_is_ban_mays(server, viewer):
    body = viewer.list("agreement", kind="twinning", status="planned")
    assert body["total"] == 1
    planned = body["items"][0]
    units = viewer.list("admin_unit", code=BANMAY, valid_to="2025-06-30")
    assert units["total"] == 1
    ban_may = units["items"][0]
    assert ban_may["name"] == "Xã Bản Máy"
    assert planned["unit_id"] == ban_may["id"]
    assert "Bản Máy" in planned["title"]


def test_filter_on_a_reference_field(server, viewer):
    ban_may = server.unit_id(BANMAY)
    body = viewer.list("agreement", unit_id=ban_may)
    assert body["total"] >= 1
    assert all(a["unit_id"] == ban_may for a in body["items"])


def test_filter_gte_and_lt_compare_dates(viewer):
    later = viewer.list("agreement", kind="twinning", signed_on__gte="2016-07-01", limit=100)
    earlier = viewer.list("agreement", kind="twinning", signed_on__lt="2016-07-01", limit=100)
    assert later["total"] > 0 and earlier["total"] > 0
    assert all(a["signed_on"] >= "2016-07-01" for a in later["items"])
    assert all(a["signed_on"] < "2016-07-01" for a in earlier["items"])
    assert later["total"] + earlier["total"] == 33  # the planned one has no date


def test_filter_ne_excludes_a_value(viewer):
    body = viewer.list("agreement", kind="twinning", status__ne="signed")
    assert body["total"] == 1
    assert body["items"][0]["status"] == "planned"


def test_filter_null_finds_missing_values(viewer):
    body = viewer.list("agreement", kind="twinning", signed_on__null=1)
    assert body["total"] == 1
    assert body["items"][0]["status"] == "planned"
    assert body["items"][0].get("signed_on") is None


def test_sort_ascending(viewer):
    items = viewer.list("agreement", kind="twinning", status="signed",
                        sort="signed_on", limit=100)["items"]
    dates = [a["signed_on"] for a in items]
    assert len(dates) == 33
    assert dates == sorted(dates)
    assert dates[0] == "2016-03-08"


def test_sort_descending_with_minus(viewer):
    items = viewer.list("agreement", kind="twinning", status="signed",
                        sort="-signed_on", limit=100)["items"]
    dates = [a["signed_on"] for a in items]
    assert dates == sorted(dates, reverse=True)
    assert dates[-1] == "2016-03-08"


def test_paging_with_limit_and_offset(viewer):
    full = viewer.list("agreement", kind="twinning", sort="title", limit=100)
    page = viewer.list("agreement", kind="twinning", sort="title", limit=10, offset=10)
    assert page["total"] == 34
    assert page["limit"] == 10
    assert page["offset"] == 10
    assert ids(page["items"]) == ids(full["items"])[10:20]


def test_paging_past_the_end_gives_no_items(viewer):
    page = viewer.list("agreement", kind="twinning", limit=10, offset=40)
    assert page["total"] == 34
    assert page["items"] == []


def test_last_page_is_partial(viewer):
    page = viewer.list("agreement", kind="twinning", sort="title", limit=10, offset=30)
    assert len(page["items"]) == 4


def test_unknown_filter_field_is_400(viewer):
    r = viewer.get("/api/v1/agreement", params={"no_such_field": "1"})
    assert_error(r, 400, "bad_request")


def test_unknown_filter_operator_is_400(viewer):
    r = viewer.get("/api/v1/agreement", params={"signed_on__like": "2016%"})
    assert_error(r, 400, "bad_request")


def test_unknown_sort_field_is_400(viewer):
    r = viewer.get("/api/v1/agreement", params={"sort": "no_such_field"})
    assert_error(r, 400, "bad_request")


def test_sort_injection_is_400(viewer):
    r = viewer.get("/api/v1/agreement", params={"sort": "code;drop"})
    assert_error(r, 400, "bad_request")
    r = viewer.get("/api/v1/agreement", params={"sort": "title; DROP TABLE agreement"})
    assert_error(r, 400, "bad_request")
    # and the table is still there
    assert viewer.list("agreement", kind="twinning")["total"] == 34


def test_filter_value_is_data_not_sql(viewer):
    body = viewer.list("agreement", title="x' OR '1'='1")
    assert body["total"] == 0

