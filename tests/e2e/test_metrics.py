"""GET /metrics (src/http/metrics.h, issue 19 "Operations") and the JSON
access log (`serve --log-format json`), through a real server.

/metrics is for admins (a session or an admin's API token, as a scraper
sends it); its text is the Prometheus exposition format: every sample's
metric announced by # TYPE, histogram buckets cumulative and ending in
+Inf = _count, routes named by their pattern (a bounded label set) - never
a path with ids, a query string or a token."""
import json
import os
import re
import signal
import subprocess
import tempfile

import pytest

from conftest import BIN, REPO, _start, describe

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """{(name, frozenset(labels.items())): value}, checking the format."""
    types, samples = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "histogram"), line
            types[name] = kind
            continue
        if line.startswith("# HELP ") or not line:
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        name, labels, value = m.group(1), m.group(2) or "", m.group(3)
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or base in types, f"{name}: no # TYPE before it"
        key = (name, frozenset(LABEL.findall(labels)))
        assert key not in samples, f"sample twice: {line}"
        samples[key] = float(value)
    return types, samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def scrape(server):
    r = server.api("admin").get(server.url("/metrics"))
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return r.text, parse(r.text)[1]


def patterns():
    out = subprocess.run([BIN, "routes", "--json"], capture_output=True, check=True,
                         cwd=REPO).stdout
    return {r["pattern"] for r in json.loads(out)} | {"(none)", "/static/*", "/healthz"}


@pytest.mark.parametrize("who,status", [
    ("anonymous", 401), ("viewer", 403), ("simacai_editor", 403), ("admin", 200)])
def test_only_admins_read_metrics(server, who, status):
    api = server.anonymous() if who == "anonymous" else server.api(who)
    r = api.get(server.url("/metrics"))
    assert r.status_code == status, describe(r)


def test_an_admin_session_reads_metrics_too(server):
    s = server.sign_in("admin")
    r = s.get(server.url("/metrics"))
    assert r.status_code == 200, describe(r)
    assert "giapranh_http_requests_total" in r.text


def test_the_exposition_is_well_formed(server):
    server.api("viewer").get(server.url("/api/v1/meeting"))
    text, samples = scrape(server)
    types, _ = parse(text)
    for name in ("giapranh_http_requests_total", "giapranh_http_request_duration_seconds",
                 "giapranh_http_requests_in_flight", "giapranh_store_errors_total",
                 "giapranh_process_resident_memory_bytes",
                 "giapranh_process_start_time_seconds"):
        assert name in types, name
    # histograms: cumulative buckets, +Inf equal to _count, per route
    routes = {dict(k[1])["route"] for k in samples
              if k[0] == "giapranh_http_request_duration_seconds_count"}
    assert "/api/v1/:" in routes
    for route in routes:
        buckets = sorted(((float("inf") if dict(k[1])["le"] == "+Inf" else float(dict(k[1])["le"])), v)
                         for k, v in samples.items()
                         if k[0] == "giapranh_http_request_duration_seconds_bucket"
                         and dict(k[1])["route"] == route)
        counts = [v for _, v in buckets]
        assert counts == sorted(counts), (route, buckets)
        assert buckets[-1][0] == float("inf")
        assert buckets[-1][1] == value(samples, "giapranh_http_request_duration_seconds_count",
                                       route=route)
    assert value(samples, "giapranh_process_resident_memory_bytes") > 1e6
    assert value(samples, "giapranh_http_requests_in_flight") >= 1  # this scrape


def test_requests_are_counted_by_route_method_and_status(server):
    viewer = server.api("viewer")
    _, before = scrape(server)
    for _ in range(5):
        assert viewer.get(server.url("/api/v1/meeting?q=hoi+nghi")).status_code == 200
    assert viewer.get(server.url("/api/v1/meeting/999999999")).status_code == 404
    assert viewer.post(server.url("/api/v1/meeting"), json={}).status_code == 403
    assert server.anonymous().get(server.url("/khong-co-trang-nay")).status_code == 404
    _, after = scrape(server)

    def grew(route, method, status):
        key = dict(route=route, method=method, status=status)
        return (value(after, "giapranh_http_requests_total", **key) -
                value(before, "giapranh_http_requests_total", **key))
    assert grew("/api/v1/:", "GET", "200") == 5
    assert grew("/api/v1/:/:", "GET", "404") == 1
    assert grew("/api/v1/:", "POST", "403") == 1
    assert grew("(none)", "GET", "404") == 1
    assert grew("/metrics", "GET", "200") == 1  # the first scrape


def test_labels_are_patterns_never_paths_queries_or_tokens(server):
    viewer = server.api("viewer")
    viewer.get(server.url("/api/v1/meeting/1?q=bi-mat-tim-kiem"))
    text, samples = scrape(server)
    known = patterns()
    for (name, labels) in samples:
        route = dict(labels).get("route")
        assert route is None or route in known, (name, route)
    assert "bi-mat-tim-kiem" not in text
    for token in server.tokens.values():
        assert token not in text


def test_json_access_log(server):
    """A second server on the same database, logging JSON: one object per
    request with route and status, never the query string or a token."""
    with tempfile.TemporaryDirectory(prefix="giapranh-log-") as tmp:
        proc, port, log_path = _start(server.db, tmp, "--log-format", "json")
        try:
            import requests
            base = f"http://127.0.0.1:{port}"
            token = server.tokens["viewer"]
            h = {"Authorization": f"Bearer {token}"}
            assert requests.get(base + "/api/v1/meeting?q=bi-mat-log", headers=h,
                                timeout=30).status_code == 200
            assert requests.get(base + "/api/v1/meeting/999999999", headers=h,
                                timeout=30).status_code == 404
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        with open(log_path, encoding="utf-8") as f:
            text = f.read()
    lines = [json.loads(ln) for ln in text.splitlines() if ln.startswith("{")]
    assert "bi-mat-log" not in text and token not in text
    mine = [ln for ln in lines if ln["path"].startswith("/api/v1/meeting")]
    assert [(ln["route"], ln["status"]) for ln in mine] == [
        ("/api/v1/:", 200), ("/api/v1/:/:", 404)]
    for ln in lines:
        assert set(ln) >= {"time", "ip", "method", "path", "route", "status", "bytes",
                           "ms", "aborted"}, ln
    assert mine[0]["user"] == server.users["viewer"].login


def test_a_bad_log_format_is_refused_naming_the_option(server):
    r = subprocess.run([BIN, "--db", server.db, "serve", "--listen", "127.0.0.1:1",
                        "--log-format", "xml"], capture_output=True, cwd=REPO, timeout=60,
                       env=dict(os.environ))
    assert r.returncode == 2
    err = r.stderr.decode("utf-8")
    assert "--log-format" in err and "'xml'" in err
