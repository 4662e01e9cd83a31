"""Browser sessions: the sign-in form, the cookie, CSRF and signing out."""
import re

import pytest

from conftest import PASSWORD, assert_error, describe, person, set_cookie_headers


def login_response(server, key="viewer", password=PASSWORD):
    s = server.anonymous()
    return s.post_login({"login": server.login(key), "password": password})


def session_cookie_header(r):
    found = [c for c in set_cookie_headers(r) if c.strip().startswith("gp_session=")]
    assert found, "no Set-Cookie gp_session: " + describe(r)
    return found[0]


def test_login_form_signs_in_with_303_and_a_session_cookie(server):
    r = login_response(server)
    assert r.status_code == 303, describe(r)
    assert r.headers.get("Location")
    value = re.match(r"\s*gp_session=([^;]*)", session_cookie_header(r)).group(1)
    assert len(value) >= 32


def test_session_cookie_is_httponly(server):
    header = session_cookie_header(login_response(server))
    assert re.search(r";\s*HttpOnly\b", header, flags=re.I), header


def test_session_cookie_is_samesite_strict(server):
    header = session_cookie_header(login_response(server))
    assert re.search(r";\s*SameSite=Strict\b", header, flags=re.I), header


def test_wrong_password_sets_no_session(server):
    r = login_response(server, "viewer", password="không-đúng-mật-khẩu")
    assert r.status_code != 303
    assert not any(c.strip().startswith("gp_session=") and not
                   re.match(r"\s*gp_session=(;|$)", c) for c in set_cookie_headers(r))


def test_signed_in_page_carries_a_csrf_token(server):
    s = server.sign_in("viewer")
    assert len(s.csrf) >= 16


def test_cookie_session_reads_the_api(server):
    s = server.sign_in("viewer")
    assert s.get("/api/v1/agreement").status_code == 200


def test_cookie_post_without_csrf_token_is_403(server):
    s = server.sign_in("admin")
    rec = person()
    assert_error(s.post("/api/v1/person", json=rec), 403, "forbidden")
    assert server.api("admin").list("person", full_name=rec["full_name"])["total"] == 0


def test_cookie_post_with_a_wrong_csrf_token_is_403(server):
    s = server.sign_in("admin")
    r = s.post("/api/v1/person", json=person(), headers={"X-CSRF-Token": "x" * len(s.csrf)})
    assert_error(r, 403, "forbidden")


def test_cookie_post_with_another_sessions_csrf_token_is_403(server):
    s = server.sign_in("admin")
    other = server.sign_in("admin")
    assert other.csrf != s.csrf
    r = s.post("/api/v1/person", json=person(), headers={"X-CSRF-Token": other.csrf})
    assert_error(r, 403, "forbidden")


def test_cookie_post_with_the_csrf_token_is_201(server):
    s = server.sign_in("admin")
    r = s.post("/api/v1/person", json=person(), headers={"X-CSRF-Token": s.csrf})
    assert r.status_code == 201, describe(r)


def test_cookie_patch_and_delete_need_the_csrf_token(server):
    s = server.sign_in("admin")
    created = s.create("person", person())
    path = f"/api/v1/person/{created['id']}"
    assert_error(s.patch(path, json={"note": "x"}, headers={"If-Match": '"1"'}), 403, "forbidden")
    assert_error(s.delete(path), 403, "forbidden")
    r = s.delete(path, headers={"X-CSRF-Token": s.csrf})
    assert r.status_code == 204, describe(r)


def test_bearer_token_needs_no_csrf_token(admin):
    assert admin.post("/api/v1/person", json=person()).status_code == 201


def test_logout_form_ends_the_session(server):
    s = server.sign_in("viewer")
    r = s.post("/logout", data={"_csrf": s.csrf}, allow_redirects=False)
    assert r.status_code in (200, 303), describe(r)
    old = server.with_cookie(s.session_cookie)
    assert_error(old.get("/api/v1/me"), 401, "unauthorized")


def test_logout_form_without_csrf_keeps_the_session(server):
    s = server.sign_in("viewer")
    r = s.post("/logout", data={}, allow_redirects=False)
    assert r.status_code == 403, describe(r)
    assert server.with_cookie(s.session_cookie).get("/api/v1/me").status_code == 200


def test_delete_api_session_ends_the_session(server):
    s = server.sign_in("viewer")
    r = s.delete("/api/v1/session", headers={"X-CSRF-Token": s.csrf})
    assert r.status_code in (200, 204), describe(r)
    assert_error(server.with_cookie(s.session_cookie).get("/api/v1/me"), 401, "unauthorized")


def test_post_api_session_signs_in_with_json(server):
    s = server.anonymous()
    r = s.post("/api/v1/session", json={"login": server.login("viewer"), "password": PASSWORD})
    assert r.status_code in (200, 201, 204), describe(r)
    header = session_cookie_header(r)
    assert re.search(r"HttpOnly", header, flags=re.I)
    assert s.get("/api/v1/me").status_code == 200


def test_post_api_session_with_a_wrong_password_is_401(server):
    s = server.anonymous()
    r = s.post("/api/v1/session", json={"login": server.login("viewer"), "password": "sai-mat-khau-roi"})
    assert_error(r, 401, "unauthorized")


def test_anonymous_page_goes_to_the_login_form(server):
    r = server.anonymous().get("/", allow_redirects=False)
    assert r.status_code in (302, 303), describe(r)
    assert "/login" in r.headers["Location"]


def test_login_form_is_public(server):
    r = server.anonymous().get("/login")
    assert r.status_code == 200
    assert re.search(r'name="password"', r.text)


OFFSITE_NEXT = ["//evil.example/", "https://evil.example/", "/\\evil.example",
                "/\t/evil.example", "/\r\n/evil.example"]


def redirect_target_stays_on_site(location):
    # browsers drop tabs and newlines from URLs and read '\' as '/'
    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return cleaned.startswith("/") and not cleaned.startswith("//")


@pytest.mark.parametrize("target", OFFSITE_NEXT, ids=repr)
def test_sign_in_redirect_never_leaves_the_site(server, target):
    r = server.anonymous().post_login({"login": server.login("viewer"),
                                       "password": PASSWORD, "next": target})
    assert r.status_code == 303, describe(r)
    location = r.headers.get("Location")
    assert location is not None, "303 without Location: " + describe(r)
    assert redirect_target_stays_on_site(location), location


def test_sign_in_redirect_follows_a_local_next(server):
    r = server.anonymous().post_login({"login": server.login("viewer"),
                                       "password": PASSWORD, "next": "/api/v1/me"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/api/v1/me"
