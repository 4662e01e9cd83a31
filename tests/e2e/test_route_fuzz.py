"""
Issue 13, memory safety on error paths: every route, fuzzed (routefuzz.py),
on a server of its own (fresh demo database, ASan/UBSan abort at the first
report) - GET routes with mutated paths and query arguments as viewer,
editor and admin; POST/PATCH routes with mutated bodies as viewer and
editor.  Every answer well-formed, below 500, the server alive, its log free
of sanitizer reports.  Also the tester's reproductions (/grid with a unit
but no target set, with the period "quý 5/2025"), and the boundary that
keeps bytes that are not text out of every handler.

Short and deterministic here (FUZZ_ROUTES_SEED, default 13); `make
fuzz-routes` runs many more requests (FUZZ_ROUTES_GETS, FUZZ_ROUTES_BODIES,
FUZZ_ROUTES_SECONDS: a time budget, 0 = none).
"""
import os
import re
import tempfile
import time
import html as htmllib

import pytest

import routefuzz
from conftest import BIN, REPO, _fresh_db, demo_server, describe

SEED = int(os.environ.get("FUZZ_ROUTES_SEED", "13"))
GETS = int(os.environ.get("FUZZ_ROUTES_GETS", "1200"))
BODIES = int(os.environ.get("FUZZ_ROUTES_BODIES", "300"))
SECONDS = float(os.environ.get("FUZZ_ROUTES_SECONDS", "0"))

ROUTES = routefuzz.routes(BIN, REPO)


@pytest.fixture(scope="module")
def fuzz_server():
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"no executable {BIN} (build it, or set GIAPRANH_BIN)")
    with tempfile.TemporaryDirectory(prefix="giapranh-fuzz-") as tmp:
        with demo_server(tmp, _fresh_db(tmp, "_fuzz"), env=routefuzz.SANITIZER_ENV) as srv:
            yield srv


@pytest.fixture(scope="module")
def fuzzer(fuzz_server):
    f = routefuzz.RouteFuzzer(fuzz_server, BIN, REPO, SEED)
    f.setup()
    yield f
    f.close()


def deadline():
    return time.monotonic() + SECONDS if SECONDS > 0 else float("inf")


def assert_clean(f, what):
    # the summary `make fuzz-routes` shows (pytest -s)
    print(f"\nroute fuzz, {what}: {f.sent} requests so far, seed {f.seed}, statuses "
          f"{dict(sorted(f.statuses.items()))}, {f.dropped} too large for any answer")
    reports = f.sanitizer_reports()
    assert not reports, f"{what}: sanitizer report in the server's log:\n" + reports[0]
    assert f.alive(), f"{what}: the server died:\n{f.server.log_tail()}"
    assert not f.problems, (f"{what}: {len(f.problems)} of {f.sent} answers wrong "
                            f"(seed {f.seed}):\n" + "\n".join(f.problems[:25]))


# ---- the tables the fuzzer works from ----------------------------------------------------


def test_every_get_route_has_its_arguments_listed():
    gets = {r["pattern"] for r in ROUTES if "GET" in r["methods"]}
    assert gets == set(routefuzz.ROUTE_PARAMS), (
        f"GET routes without ROUTE_PARAMS: {gets - set(routefuzz.ROUTE_PARAMS)}; "
        f"gone: {set(routefuzz.ROUTE_PARAMS) - gets}")
    listed = {n for params in list(routefuzz.ROUTE_PARAMS.values()) +
              list(routefuzz.POST_QUERY.values()) for n, _ in params}
    read = routefuzz.source_query_args(REPO)
    assert read, "no req_query(r, \"…\") found in src/"
    assert read <= listed, f"query arguments read by the sources but never fuzzed: " \
                           f"{read - listed}"


def test_every_body_route_is_fuzzed_or_skipped_on_purpose():
    bodies = {r["pattern"] for r in ROUTES
              if {"POST", "PATCH"} & set(r["methods"])}
    assert routefuzz.POST_SKIPPED <= bodies
    assert len(bodies - routefuzz.POST_SKIPPED) >= 15


# ---- the tester's reproductions -----------------------------------------------------------


@pytest.mark.parametrize("query,shown", [
    ("unit=084", ["084"]),                                   # a unit, no target set
    ("unit=084&period=qu%C3%BD%205%2F2025", ["084", "quý 5/2025"]),
    ("target_set=1&unit=084&period=qu%C3%BD%205%2F2025", ["quý 5/2025"]),
    ("target_set=1&unit=99999&period=2024", ["99999"]),       # no such unit
    ("target_set=999999&unit=084&period=2025-13", ["084", "2025-13"]),
])
def test_grid_reproductions_answer_the_form_again(fuzz_server, query, shown):
    """A viewer crashed the server with these (heap-use-after-free in
    html_text from grid_page): now the form comes back with what was typed."""
    s = fuzz_server.sign_in("viewer")
    r = s.get("/grid?" + query)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/html")
    page = htmllib.unescape(r.content.decode("utf-8"))
    for text in shown:
        assert re.search(r'name="(unit|period)" value="' + re.escape(text) + '"', page), \
            f"{text!r} not in the form:\n{page[:3000]}"
    assert fuzz_server.proc.poll() is None


def test_grid_with_a_target_set_that_is_no_number_is_refused(fuzz_server):
    """An integer argument is read whole (issue 13, class 8): 'abc' is not
    "no target set chosen" but a 400 page naming it - and the server lives."""
    s = fuzz_server.sign_in("viewer")
    r = s.get("/grid?target_set=abc&period=")
    assert r.status_code == 400, describe(r)
    assert r.headers["Content-Type"].startswith("text/html")
    assert "target_set" in r.content.decode("utf-8")
    assert fuzz_server.proc.poll() is None


def test_grid_reproductions_with_a_target_set_show_the_error(fuzz_server):
    sets = fuzz_server.api("admin").list("target_set", limit=1)["items"]
    assert sets, "the demo has a target set"
    s = fuzz_server.sign_in("viewer")
    r = s.get("/grid", params={"target_set": sets[0]["id"], "unit": "084",
                               "period": "quý 5/2025"})
    assert r.status_code == 200, describe(r)
    page = htmllib.unescape(r.text)
    assert "hãy nhập kỳ báo cáo" in page
    assert 'name="period" value="quý 5/2025"' in page


# ---- the boundary: only text reaches a handler --------------------------------------------


def concrete_get_paths(f):
    out = []
    for r in ROUTES:
        if "GET" not in r["methods"]:
            continue
        ent = "person" if r["pattern"].startswith(("/api/v1/:", "/e/:")) else None
        path, _ = f.fill(r["pattern"], ent, valid=True)
        out.append((path, r))
    return out


@pytest.mark.parametrize("arg", ["x=%FF", "x=a%00b", "%C3=1", "unit=%ED%A0%80",
                                 "period=qu%E1%BB"])
def test_arguments_that_are_not_text_are_400_on_every_route(fuzzer, arg):
    bad = []
    for path, r in concrete_get_paths(fuzzer):
        status = fuzzer.send("admin", "GET", path + "?" + arg, fuzzer.auth_for(r))
        if status != 400:
            bad.append((path, status))
    assert not bad, bad
    assert_clean(fuzzer, "non-text arguments")


@pytest.mark.parametrize("seg", ["%FF", "a%C3", "%ED%A0%80"])
def test_paths_that_are_not_text_are_400(fuzzer, seg):
    bad = []
    for path in (f"/e/{seg}", f"/api/v1/{seg}", f"/api/v1/person/{seg}", f"/e/person/{seg}",
                 f"/files/{seg}", f"/api/v1/units/{seg}", f"/{seg}"):
        auth = "bearer" if path.startswith("/api/") else "cookie"
        status = fuzzer.send("viewer", "GET", path, auth)
        if status != 400:
            bad.append((path, status))
    assert not bad, bad
    assert_clean(fuzzer, "non-text paths")


@pytest.mark.parametrize("where", ["query", "header"])
def test_large_request_heads_are_answered(fuzzer, where):
    """Up to HTTP_REQUEST_HEAD_MAX a request is served; over it, 431 with a
    reply small enough for what is left of the connection's memory (a full
    answer's headers did not fit: the connection closed without one)."""
    head_max = routefuzz.limit(REPO, "HTTP_REQUEST_HEAD_MAX")
    bad = []
    for size in range(head_max - 3000, fuzzer.header_memory - 1024, 200):
        pad = "1" * (size - 300)
        url, headers = "/api/v1/me", {}
        if where == "query":
            url += "?x=" + pad
        else:
            headers["X-Pad"] = pad
        status = fuzzer.send("admin", "GET", url, "bearer", headers=headers)
        want = 200 if size < head_max - 200 else 431 if size > head_max + 200 else status
        if status != want:
            bad.append((size, status))
    assert not bad, bad
    assert_clean(fuzzer, "large heads")


# ---- the fuzzer ---------------------------------------------------------------------------


def test_get_routes_with_mutated_arguments(fuzzer):
    fuzzer.run_get(GETS, deadline())
    assert_clean(fuzzer, "GET")
    assert fuzzer.sent >= min(GETS, 100)


def test_post_and_patch_routes_with_mutated_bodies(fuzzer):
    before = fuzzer.sent
    fuzzer.run_bodies(BODIES, deadline())
    assert_clean(fuzzer, "POST/PATCH")
    assert fuzzer.sent - before >= min(BODIES, 50)
