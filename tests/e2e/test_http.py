"""HTTP behaviour: security headers, keep-alive, gzip, content types."""
import http.client
import json

import pytest

from conftest import describe, person


def security_header_problems(r):
    problems = []
    csp = r.headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in csp:
        problems.append(f"Content-Security-Policy without frame-ancestors 'none': {csp!r}")
    if r.headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff: "
                        f"{r.headers.get('X-Content-Type-Options')!r}")
    if not r.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    return problems


def test_security_headers_on_the_signed_in_home_page(server):
    s = server.sign_in("viewer")
    r = s.get("/")
    assert r.status_code == 200
    assert security_header_problems(r) == []


def test_security_headers_on_the_login_page(anon):
    r = anon.get("/login")
    assert r.status_code == 200
    assert security_header_problems(r) == []


@pytest.mark.parametrize("path", ["/api/v1/agreement", "/api/v1/agreement/1", "/api/v1/me"])
def test_security_headers_on_api_answers(viewer, path):
    r = viewer.get(path)
    assert r.status_code == 200, describe(r)
    assert security_header_problems(r) == []


def test_security_headers_on_api_errors(anon, viewer):
    assert security_header_problems(anon.get("/api/v1/agreement")) == []        # 401
    assert security_header_problems(viewer.get("/api/v1/no_such_entity")) == []  # 404


def test_api_answers_are_json_utf8(viewer):
    r = viewer.get("/api/v1/admin_unit", params={"q": "xin man"})
    assert r.headers["Content-Type"].startswith("application/json")
    assert "Xín Mần" in r.content.decode("utf-8")


def test_api_answers_are_not_cached(viewer):
    r = viewer.get("/api/v1/me")
    assert "no-store" in r.headers.get("Cache-Control", "")


# ---- keep-alive -------------------------------------------------------------------


def test_keep_alive_get_then_get_reuses_the_connection(viewer):
    a = viewer.get("/api/v1/agreement", params={"limit": 1})
    b = viewer.get("/api/v1/agreement", params={"limit": 2})
    assert a.status_code == b.status_code == 200
    assert a.headers.get("Connection", "").lower() != "close"
    assert b.headers.get("Connection", "").lower() != "close"


def test_keep_alive_after_a_post_with_a_json_body(admin):
    r = admin.post("/api/v1/person", json=person())
    assert r.status_code == 201
    assert r.headers.get("Connection", "").lower() != "close"


def test_keep_alive_same_socket_for_post_then_get(server):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    auth = {"Authorization": "Bearer " + server.tokens["admin"]}
    try:
        conn.request("POST", "/api/v1/person", body=json.dumps(person()).encode(),
                     headers=dict(auth, **{"Content-Type": "application/json"}))
        r1 = conn.getresponse()
        r1.read()
        assert r1.status == 201
        assert (r1.getheader("Connection") or "").lower() != "close"
        sock = conn.sock
        assert sock is not None, "server closed the connection after the POST"
        conn.request("GET", "/api/v1/person?limit=1", headers=auth)
        r2 = conn.getresponse()
        r2.read()
        assert r2.status == 200
        assert conn.sock is sock, "the GET did not reuse the connection"
        assert (r2.getheader("Connection") or "").lower() != "close"
    finally:
        conn.close()


def test_keep_alive_after_an_error_answer(server):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    auth = {"Authorization": "Bearer " + server.tokens["admin"]}
    try:
        conn.request("POST", "/api/v1/meeting", body=b"{}",
                     headers=dict(auth, **{"Content-Type": "application/json"}))
        r1 = conn.getresponse()
        r1.read()
        assert r1.status == 422
        sock = conn.sock
        assert sock is not None
        conn.request("GET", "/healthz")
        r2 = conn.getresponse()
        r2.read()
        assert r2.status == 200
        assert conn.sock is sock
    finally:
        conn.close()


# ---- gzip -----------------------------------------------------------------------


def test_large_list_is_gzipped_when_asked(viewer):
    r = viewer.get("/api/v1/admin_unit", params={"limit": 500},
                   headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") == "gzip"
    body = r.json()  # requests decompresses
    assert len(body["items"]) == 500
    assert "Vary" in r.headers and "accept-encoding" in r.headers["Vary"].lower()


def test_list_is_not_gzipped_when_not_asked(viewer):
    r = viewer.get("/api/v1/admin_unit", params={"limit": 500},
                   headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert r.headers.get("Content-Encoding") in (None, "identity")
    assert len(r.json()["items"]) == 500


def test_gzipped_body_is_smaller(server):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    auth = {"Authorization": "Bearer " + server.tokens["viewer"]}
    try:
        conn.request("GET", "/api/v1/admin_unit?limit=500",
                     headers=dict(auth, **{"Accept-Encoding": "gzip"}))
        zipped = conn.getresponse()
        zbody = zipped.read()
        conn.request("GET", "/api/v1/admin_unit?limit=500",
                     headers=dict(auth, **{"Accept-Encoding": "identity"}))
        plain = conn.getresponse()
        pbody = plain.read()
    finally:
        conn.close()
    import gzip
    assert gzip.decompress(zbody) == pbody
    assert len(zbody) < len(pbody) / 2
