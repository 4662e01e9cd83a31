"""Webhooks for integrators (issue 18 part 5, docs/WEBHOOKS.md).

A server of its own, started after three receivers of the test process
(webhook_receiver.py: Python's http.server, each checking the HMAC-SHA256
signature, the timestamp and that no delivery comes twice), their ports
opened to the server's Landlock rules (GIAPRANH_WEBHOOK_PORTS) and the
first backoff one second (GIAPRANH_TEST_WEBHOOK_BACKOFF_S):

  * ok     - person, incident and meeting events;
  * flaky  - document events; answers 500 to the first two attempts of
             each delivery, then accepts: the sender tries again;
  * wrong  - organisation events, registered with another secret than the
             receiver's: refused 401, kept in the delivery log.

What is checked: each write path's event arrives signed, once, with the
record (create, update, a workflow move with its states, delete without
content); a confidential record's content never leaves; a refused write
sends nothing; the secret is never answered, shown or logged; the
delivery log says what happened; only admins read webhooks and the log."""
import tempfile

import pytest

from conftest import (SIMACAI, _fresh_db, assert_error, demo_server, describe,
                      incident, person, unique)
from webhook_receiver import Receiver

SECRET = "khoa-bi-mat-cua-ben-tich-hop-1"
FLAKY_SECRET = "khoa-bi-mat-cua-ben-tich-hop-2"
WAIT = 90.0  # a bound for a broken run


@pytest.fixture(scope="module")
def setup():
    with Receiver(SECRET) as ok, Receiver(FLAKY_SECRET, fail_first=2) as flaky, \
            Receiver("khoa-cua-may-nhan") as wrong, \
            tempfile.TemporaryDirectory(prefix="giapranh-webhooks-") as tmp:
        env = {"GIAPRANH_WEBHOOK_PORTS": f"{ok.port},{flaky.port},{wrong.port}",
               "GIAPRANH_TEST_WEBHOOK_BACKOFF_S": "1"}
        with demo_server(tmp, _fresh_db(tmp, "_webhooks"), env=env) as srv:
            admin = srv.api("admin")
            hooks = {
                "ok": admin.create("webhook", {"target_url": ok.url, "secret": SECRET,
                                               "active": True,
                                               "entity_filter": "person; incident; meeting"}),
                "flaky": admin.create("webhook", {"target_url": flaky.url,
                                                  "secret": FLAKY_SECRET, "active": True,
                                                  "entity_filter": "document"}),
                "wrong": admin.create("webhook", {"target_url": wrong.url,
                                                  "secret": "khong-phai-khoa-cua-may-nhan",
                                                  "active": True,
                                                  "entity_filter": "organisation"}),
            }
            yield {"srv": srv, "admin": admin, "ok": ok, "flaky": flaky, "wrong": wrong,
                   "hooks": hooks}


def deliveries(admin, **params):
    return admin.list("webhook_delivery", limit=1000, **params)["items"]


def wait_delivery(admin, pred, what):
    import time
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for d in deliveries(admin):
            if pred(d):
                return d
        time.sleep(0.2)
    raise AssertionError(f"no delivery {what}: {deliveries(admin)[-5:]}")


def test_secret_is_write_only(setup):
    srv, admin, hooks = setup["srv"], setup["admin"], setup["hooks"]
    for h in hooks.values():
        assert "secret" not in h
        r = admin.get(f"/api/v1/webhook/{h['id']}")
        assert r.status_code == 200 and "secret" not in r.json(), describe(r)
    assert all("secret" not in h for h in admin.list("webhook")["items"])
    # never in the audit log, a page, an export or the server's log
    for entry in admin.list("audit_log", entity="webhook", limit=100)["items"]:
        assert SECRET not in (entry.get("after_json") or "") + (entry.get("before_json") or "")
    page = srv.sign_in("admin")
    r = page.get(f"/e/webhook/{hooks['ok']['id']}")
    assert r.status_code == 200 and SECRET not in r.text, describe(r)
    r = page.get(f"/e/webhook/{hooks['ok']['id']}/edit")
    assert r.status_code == 200 and SECRET not in r.text
    assert 'type="password"' in r.text and 'name="secret"' in r.text
    # a form left empty keeps it; the receiver still gets signed events
    form = {"_csrf": page.csrf, "target_url": hooks["ok"]["target_url"], "secret": "",
            "entity_filter": "person; incident; meeting", "active": "1"}
    r = page.post(f"/e/webhook/{hooks['ok']['id']}/edit", data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    assert SECRET not in srv.log_tail(1 << 20)


def test_only_admins_read_webhooks_and_their_log(setup):
    srv = setup["srv"]
    for key in ("viewer", "simacai_editor"):
        c = srv.api(key)
        assert_error(c.get("/api/v1/webhook"), 403)
        assert_error(c.get("/api/v1/webhook_delivery"), 403)
        assert_error(c.post("/api/v1/webhook", json={"target_url": "http://x/",
                                                     "secret": "s", "active": True}), 403)
    # the log is the system's: not even an admin writes it
    assert_error(setup["admin"].post("/api/v1/webhook_delivery", json={}), 403)


def test_each_write_is_sent_signed_once(setup):
    admin, ok = setup["admin"], setup["ok"]
    p = admin.create("person", person())
    created = ok.wait_for(lambda e: e["event"] == "record.created" and
                          e["entity"] == "person" and e["record_id"] == p["id"],
                          "record.created")
    assert created["record"]["full_name"] == p["full_name"]
    assert created["content_withheld"] is False and created["actor"]
    r = admin.patch(f"/api/v1/person/{p['id']}", json={"full_name": unique("Trần Văn Sửa")},
                    headers={"If-Match": str(p["version"])})
    assert r.status_code == 200, describe(r)
    updated = ok.wait_for(lambda e: e["event"] == "record.updated" and
                          e["record_id"] == p["id"], "record.updated")
    assert updated["record"]["full_name"] == r.json()["full_name"]
    r = admin.delete(f"/api/v1/person/{p['id']}")
    assert r.status_code == 204, describe(r)
    deleted = ok.wait_for(lambda e: e["event"] == "record.deleted" and
                          e["record_id"] == p["id"], "record.deleted")
    assert deleted["record"] is None and deleted["content_withheld"] is True
    # the headers say what the body says; each delivery came once
    with ok.lock:
        mine = [a for a in ok.accepted if a["json"]["record_id"] == p["id"]
                and a["json"]["entity"] == "person"]
    assert [a["headers"]["X-Giapranh-Event"] for a in mine] == \
        ["record.created", "record.updated", "record.deleted"]
    assert len({a["headers"]["X-Giapranh-Delivery"] for a in ok.accepted}) == len(ok.accepted)
    assert not ok.refused, [r["why"] for r in ok.refused]
    # the delivery log agrees
    log = [d for d in deliveries(admin, webhook_id=setup["hooks"]["ok"]["id"])
           if d["entity"] == "person" and d["record_id"] == p["id"]]
    assert len(log) == 3
    assert all(d["status"] == "delivered" and d["attempts"] == 1 and
               d["last_status"] == 204 and d["delivered_at"] for d in log)


def test_workflow_moves_and_confidential_records(setup):
    srv, admin, ok = setup["srv"], setup["admin"], setup["ok"]
    unit = srv.unit_id(SIMACAI)
    inc = admin.create("incident", incident(unit))
    r = admin.patch(f"/api/v1/incident/{inc['id']}", json={"status": "verified"},
                    headers={"If-Match": str(inc["version"])})
    assert r.status_code == 200, describe(r)
    moved = ok.wait_for(lambda e: e["event"] == "workflow.moved" and
                        e["entity"] == "incident" and e["record_id"] == inc["id"],
                        "workflow.moved")
    assert moved["workflow"] == {"field": "status", "from": "reported", "to": "verified"}
    assert moved["record"]["status"] == "verified"
    # a confidential one: which entity and id, nothing of its content
    secret_title = unique("Vụ việc mật không được gửi ra ngoài")
    conf = admin.create("incident", incident(unit, title=secret_title, confidential=True))
    r = admin.patch(f"/api/v1/incident/{conf['id']}", json={"status": "verified"},
                    headers={"If-Match": str(conf["version"])})
    assert r.status_code == 200, describe(r)
    ev = ok.wait_for(lambda e: e["entity"] == "incident" and e["record_id"] == conf["id"]
                     and e["event"] == "workflow.moved", "the confidential move")
    assert ev["record"] is None and ev["content_withheld"] is True and "workflow" not in ev
    with ok.lock:
        bodies = [a["body"] for a in ok.accepted if a["json"]["record_id"] == conf["id"]]
    assert len(bodies) == 2
    assert all(secret_title.encode() not in b for b in bodies)
    log = [d for d in deliveries(admin, entity="incident") if d["record_id"] == conf["id"]]
    assert log and all(secret_title not in d["payload"] for d in log)


def test_refused_write_sends_nothing(setup):
    admin = setup["admin"]
    before = admin.list("webhook_delivery", limit=1)["total"]
    assert_error(admin.post("/api/v1/person", json={"full_name": ""}), 422)
    assert_error(admin.post("/api/v1/incident", json={"title": "x", "status": "resolved"}), 422)
    assert admin.list("webhook_delivery", limit=1)["total"] == before


def test_a_receiver_down_is_retried_until_it_answers(setup):
    admin, flaky = setup["admin"], setup["flaky"]
    doc = admin.create("document", {"kind": "QD", "title": unique("Quyết định thử webhook")})
    ev = flaky.wait_for(lambda e: e["entity"] == "document" and e["record_id"] == doc["id"],
                        "the document's event after two failures")
    assert ev["event"] == "record.created"
    did = ev["delivery_id"]
    with flaky.lock:
        assert flaky.tries[did] == 3
        assert [f["json"]["delivery_id"] for f in flaky.failed].count(did) == 2
    d = wait_delivery(admin, lambda d: d["delivery_id"] == did and
                      d["status"] == "delivered", "delivered after retries")
    assert d["attempts"] == 3 and d["last_status"] == 204


def test_a_wrong_signature_is_refused_and_logged(setup):
    admin, wrong = setup["admin"], setup["wrong"]
    org = admin.create("organisation", {"name": unique("Ủy ban nhân dân xã thử"),
                                        "kind": "peoples_committee"})
    d = wait_delivery(admin, lambda d: d["entity"] == "organisation" and
                      d["record_id"] == org["id"] and (d["attempts"] or 0) >= 2,
                      "tried twice")
    assert d["status"] in ("pending", "failed")
    assert d["last_status"] == 401 and "401" in d["last_error"]
    assert not wrong.accepted
    assert wrong.refused and all(r["why"] == "signature" for r in wrong.refused)


def test_webhook_registered_from_the_page(setup):
    srv, admin = setup["srv"], setup["admin"]
    page = srv.sign_in("admin")
    r = page.get("/e/webhook/new")
    assert r.status_code == 200 and 'type="password"' in r.text, describe(r)
    secret = "khoa-nhap-tu-trang-" + unique("x")[-8:]
    r = page.post("/e/webhook/new", data={"_csrf": page.csrf,
                                          "target_url": "http://127.0.0.1:9/khong-dung",
                                          "secret": secret, "entity_filter": "village",
                                          "active": "0", "note": "thử"},
                  allow_redirects=False)
    assert r.status_code == 303, describe(r)
    h = [x for x in admin.list("webhook", limit=100)["items"]
         if x["target_url"] == "http://127.0.0.1:9/khong-dung"]
    assert len(h) == 1 and h[0]["active"] is False and "secret" not in h[0]
    r = page.get(f"/e/webhook/{h[0]['id']}")
    assert secret not in r.text
