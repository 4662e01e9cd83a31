"""Health check and the need to sign in."""
from conftest import assert_error


def test_healthz_answers_200_without_sign_in(anon):
    r = anon.get("/healthz")
    assert r.status_code == 200
    assert "ok" in r.text.lower()


def test_api_without_credentials_is_401_unauthorized(anon):
    r = anon.get("/api/v1/agreement")
    assert_error(r, 401, "unauthorized")


def test_api_with_an_unknown_bearer_token_is_401(server):
    s = server.anonymous()
    s.headers["Authorization"] = "Bearer " + "x" * 43
    assert_error(s.get("/api/v1/agreement"), 401, "unauthorized")


def test_api_with_a_bogus_session_cookie_is_401(server):
    s = server.with_cookie("not-a-real-session-" + "y" * 24)
    assert_error(s.get("/api/v1/agreement"), 401, "unauthorized")


def test_bearer_token_signs_in(viewer):
    r = viewer.get("/api/v1/agreement")
    assert r.status_code == 200
    assert r.json()["total"] > 0


def test_me_names_the_signed_in_user(server, viewer):
    r = viewer.get("/api/v1/me")
    assert r.status_code == 200
    me = r.json()
    login = me.get("login") or (me.get("user") or {}).get("login")
    assert login == server.login("viewer"), me
