"""Failed sign-ins are throttled per login and per address (429).

Each test uses its own user and connects from its own loopback address
(127.0.0.2 …), so that the throttle it provokes reaches no other test (the
others sign in from 127.0.0.1)."""
import time

from conftest import PASSWORD, describe

WRONG = "sai-mat-khau-123"


def attempt(s, key, password):
    login = "e2e_" + key  # conftest.User.login
    return s.post_login({"login": login, "password": password})


def fail_six_times(s, login):
    statuses = [attempt(s, login, WRONG).status_code for _ in range(6)]
    assert 303 not in statuses, statuses
    return statuses


def test_six_wrong_passwords_then_even_the_right_one_is_429(server):
    s = server.anonymous(source_ip="127.0.0.2")
    fail_six_times(s, "throttle_1")
    r = attempt(s, "throttle_1", PASSWORD)
    assert r.status_code == 429, describe(r)
    assert "gp_session=" not in r.headers.get("Set-Cookie", "")


def test_throttled_login_form_says_to_wait_in_vietnamese(server):
    s = server.anonymous(source_ip="127.0.0.3")
    fail_six_times(s, "throttle_2")
    r = attempt(s, "throttle_2", PASSWORD)
    assert r.status_code == 429, describe(r)
    assert any(ord(c) > 127 for c in r.text), r.text[:500]


def test_throttled_json_sign_in_is_429_too_many_requests(server):
    s = server.anonymous(source_ip="127.0.0.4")
    fail_six_times(s, "throttle_3")
    r = s.post("/api/v1/session", json={"login": server.login("throttle_3"), "password": PASSWORD})
    assert r.status_code == 429, describe(r)
    assert r.json()["error"]["code"] == "too_many_requests"


def test_throttle_is_per_login_across_addresses(server):
    fail_six_times(server.anonymous(source_ip="127.0.0.5"), "throttle_4")
    r = attempt(server.anonymous(source_ip="127.0.0.6"), "throttle_4", PASSWORD)
    assert r.status_code == 429, describe(r)


def test_throttle_of_one_login_does_not_lock_out_another_login(server):
    # throttle_4 and 127.0.0.5 are throttled by the test above or now
    fail_six_times(server.anonymous(source_ip="127.0.0.7"), "throttle_4")
    other = server.anonymous(source_ip="127.0.0.8")
    assert attempt(other, "viewer", PASSWORD).status_code == 303


def test_sign_in_works_again_after_the_wait(server):
    s = server.anonymous(source_ip="127.0.0.9")
    fail_six_times(s, "throttle_5")
    assert attempt(s, "throttle_5", PASSWORD).status_code == 429
    time.sleep(3.5)  # the first wait is 2 s
    r = attempt(s, "throttle_5", PASSWORD)
    assert r.status_code == 303, describe(r)
