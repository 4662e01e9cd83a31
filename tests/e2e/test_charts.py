"""Charts and map (issue 17): the data routes /charts/data/NAME and
/map/features, the pages /charts and /map, the boundary files under
/static/geo/ and the tile setting.

  * every data route answers its model to a signed-in user and sends an
    anonymous one to sign in; bad arguments are 400/404 in JSON;
  * the charts' figures equal a recount through the API (incidents by
    kind and month, signings of every program, quantities of every
    agreement with activities, achievement of the demo target set);
  * confidentiality, for every user class: a viewer without clearance
    never counts or sees a confidential incident (chart, features, pages),
    one with clearance does;
  * the features: every layer, GeoJSON points in the border area, each
    record once (placed or listed as unplaced), markers at their
    coordinates and the rest said to be approximate;
  * tiles are off by default and the CSP allows only our images; with
    --tile-url the page names the tiles and the CSP their origin; a bad
    URL stops the server at start."""
import subprocess
import tempfile
from collections import Counter, defaultdict

import pytest

from conftest import (BACHA_COMMUNE, BIN, REPO, SIMACAI, _start, assert_error, describe,
                      incident, unique)

CHARTS = {
    # name: the argument it needs (None: a unit, or the whole country)
    "achievement": "target_set",
    "signed": "program",
    "quantities_agreement": "agreement",
    "quantities_unit": None,
    "incidents": None,
}
LAYERS = ["border_marker", "border_gate", "incident", "activity", "twinning"]
SIGNED = ("signed", "active", "ended")
SECRET_KIND, SECRET_LABEL, SECRET_DAY = "trafficking", "Mua bán người", "2021-01-15"


def month(iso):
    return f"{iso[5:7]}/{iso[0:4]}" if iso else "Không rõ ngày"


def first_id(api, entity, **params):
    items = api.list(entity, limit=1, **params)["items"]
    assert items, f"no {entity} {params}"
    return items[0]["id"]


def chart(session, name, **params):
    r = session.get(f"/charts/data/{name}", params=params)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("application/json"), describe(r)
    m = r.json()
    assert m["chart"] == name
    for d in m["datasets"]:
        assert len(d["data"]) == len(m["labels"]), (name, d["series"])
    return m


def cells(m):
    """{(label, series): value} of a chart, zeros left out."""
    out = {}
    for d in m["datasets"]:
        for label, v in zip(m["labels"], d["data"]):
            if v:
                out[(label, d["series"])] = v
    return out


def features(session):
    r = session.get("/map/features")
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("application/geo+json"), describe(r)
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    return fc


def labels_of(api, catalog):
    items = api.list("catalog_item", catalog=catalog, limit=1000)["items"]
    return {it["code"]: it["label"] for it in items}


@pytest.fixture(scope="module")
def viewer_web(server):
    return server.sign_in("viewer")


@pytest.fixture(scope="module")
def admin_web(server):
    return server.sign_in("admin")


@pytest.fixture(scope="module")
def secret(server):
    """A confidential incident of Bắc Hà in a month and kind of its own."""
    admin = server.api("admin")
    title = unique("Mua bán người qua biên giới (mật, e2e)")
    rec = admin.create("incident", incident(server.unit_id(BACHA_COMMUNE), confidential=True,
                                            kind=SECRET_KIND, occurred_on=SECRET_DAY,
                                            title=title, cases=2))
    return rec


def args_for(server, name):
    admin = server.api("admin")
    arg = CHARTS[name]
    if arg == "agreement":
        # one with activities: its chart is not empty
        acts = admin.list("activity", limit=1000)["items"]
        return {"agreement": next(a["agreement_id"] for a in acts if a.get("agreement_id"))}
    if arg is not None:
        return {arg: first_id(admin, arg)}
    return {"unit": ""}


# ---- every data route ---------------------------------------------------------


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_answers_its_model(server, viewer_web, name):
    m = chart(viewer_web, name, **args_for(server, name))
    assert m["labels"] and m["datasets"], m
    assert m["figure"] and m["x_axis"] and m["y_axis"]
    assert m["draw"] in ("bar", "line")


@pytest.mark.parametrize("path", [f"/charts/data/{n}" for n in CHARTS] +
                         ["/map/features", "/charts", "/map"])
def test_anonymous_is_sent_to_sign_in(anon, path):
    r = anon.get(path, allow_redirects=False)
    assert r.status_code == 303 and "/login" in r.headers["Location"], describe(r)


@pytest.mark.parametrize("name", [n for n, a in CHARTS.items() if a])
def test_a_chart_of_nothing_is_400_and_of_no_record_404(viewer_web, name):
    arg = CHARTS[name]
    assert_error(viewer_web.get(f"/charts/data/{name}"), 400, "bad_request")
    assert_error(viewer_web.get(f"/charts/data/{name}", params={arg: "12x"}), 400, "bad_request")
    err = assert_error(viewer_web.get(f"/charts/data/{name}", params={arg: "999999999"}),
                       404, "not_found")
    assert "999999999" in err["message"]


def test_no_such_chart_or_unit(viewer_web):
    assert viewer_web.get("/charts/data/nothing").status_code == 404
    assert_error(viewer_web.get("/charts/data/incidents", params={"unit": "0"}), 400)
    assert_error(viewer_web.get("/charts/data/incidents", params={"unit": "999999999"}), 404)
    # the page answers errors as a page
    r = viewer_web.get("/charts", params={"program": "999999999"})
    assert r.status_code == 404 and "text/html" in r.headers["Content-Type"], describe(r)


# ---- the figures are the records' ----------------------------------------------


def test_incidents_equal_a_recount(server, admin_web, viewer_web, secret):
    kinds = labels_of(server.api("admin"), "incident_kind")
    for web, api in ((viewer_web, server.api("viewer")), (admin_web, server.api("admin"))):
        m = chart(web, "incidents", unit="")
        want = Counter()
        for r in api.list("incident", limit=1000)["items"]:
            if r.get("unit_id"):
                want[(month(r["occurred_on"]), kinds.get(r["kind"], r["kind"]))] += 1
        assert cells(m) == dict(want)
    # of a unit: Si Ma Cai's own
    m = chart(viewer_web, "incidents", unit=server.unit_id(SIMACAI))
    assert "Si Ma Cai" in m["subject"]
    assert 0 < sum(cells(m).values()) < len(server.api("viewer").list("incident", limit=1000)["items"])


def test_signings_equal_a_recount(server, viewer_web):
    api = server.api("viewer")
    for prog in api.list("program", limit=100)["items"]:
        m = chart(viewer_web, "signed", program=prog["id"])
        progress = api.get(f"/api/v1/program/{prog['id']}/progress").json()
        done, plan = m["datasets"][0]["data"], m["datasets"][1]["data"]
        # cumulative, ending at the follow-up's count, against the plan (a
        # program of other tests may have no signing and no dates: no axis)
        assert done == sorted(done)
        assert (done[-1] if done else 0) == progress["signed"]
        assert set(plan) <= {progress["planned"]}
        if progress["counted"] == "agreements":
            ags = [a for a in api.list("agreement", program_id=prog["id"], limit=1000)["items"]
                   if a["status"] in SIGNED]
            by_month = Counter(month(a.get("signed_on")) for a in ags)
            running, at = 0, {}
            for label, v in zip(m["labels"], done):
                at[label] = v
            for label in sorted(by_month, key=lambda s: (s[3:], s[:2])):
                running += by_month[label]
                assert at[label] == running, (label, at[label], running)
        else:
            assert m["y_axis"] == "Số xã"


def test_quantities_equal_a_recount(server, viewer_web):
    api = server.api("viewer")
    measures = labels_of(api, "measure")
    acts = api.list("activity", limit=1000)["items"]
    qty = api.list("activity_quantity", limit=1000)["items"]
    agreements = {a["agreement_id"] for a in acts if a.get("agreement_id")}
    assert len(agreements) >= 2
    for ag in agreements:
        m = chart(viewer_web, "quantities_agreement", agreement=ag)
        mine = {a["id"]: a for a in acts if a.get("agreement_id") == ag}
        want = defaultdict(float)
        for q in qty:
            if q["activity_id"] in mine:
                series = measures[q["measure"]] + (f" ({q['unit_of_measure']})"
                                                   if q.get("unit_of_measure") else "")
                want[(month(mine[q["activity_id"]]["start_on"]), series)] += q["value"]
        got = cells(m)
        assert set(got) == {k for k, v in want.items() if v}
        for k, v in want.items():
            if v:
                assert abs(got[k] - v) < 1e-9, (k, got[k], v)


def test_achievement_is_the_target_sets(server, viewer_web):
    api = server.api("viewer")
    ts = first_id(api, "target_set")
    m = chart(viewer_web, "achievement", target_set=ts)
    assert m["percent"] is True
    assert [d["series"] for d in m["datasets"]] == ["Năm 2023", "Giai đoạn 2020-2025"]
    for d, period in zip(m["datasets"], ["2023", "2020-2025"]):
        ach = api.get(f"/api/v1/target_set/{ts}/achievement", params={"period": period}).json()
        assert len(d["data"]) == len(ach["groups"])
        for v, g in zip(d["data"], ach["groups"]):
            ratio = g["ratio"] if g["ratio"] is not None else g.get("partial_ratio")
            if ratio is None:
                assert v is None
            else:
                # rounded to a tenth (half away from zero, as C's round)
                assert abs(v - ratio) <= 0.05 + 1e-9, (g["number"], v, ratio)


# ---- confidentiality, for every class of user ------------------------------------


@pytest.mark.parametrize("key,clearance", [("viewer", False), ("simacai_editor", False),
                                           ("bacha_commune_editor", False),
                                           ("secure_viewer", True), ("admin", True)])
def test_a_confidential_incident_only_with_clearance(server, secret, key, clearance):
    web = server.sign_in(key)
    bacha = server.unit_id("085")
    for unit in ("", bacha):
        m = chart(web, "incidents", unit=unit)
        n = cells(m).get((month(SECRET_DAY), SECRET_LABEL), 0)
        assert n == (1 if clearance else 0), (key, unit, m)
    fc = features(web)
    mine = [f for f in fc["features"] if f["properties"]["layer"] == "incident"
            and f["properties"]["id"] == secret["id"]]
    assert len(mine) == (1 if clearance else 0)
    assert any(f["properties"]["clearance_only"] for f in fc["features"]) == clearance
    assert all(u["id"] != secret["id"] or clearance for u in fc["unplaced"])
    for page in ("/map", "/charts?unit="):
        html = web.get(page).text
        assert (secret["title"] in html) == (clearance and page == "/map"), (key, page)
        assert (SECRET_LABEL in html) == clearance, (key, page)


# ---- the features -------------------------------------------------------------------


def test_features_place_every_record_once(server, admin_web):
    api = server.api("admin")
    commune = server.unit_id("02812")
    marker = api.create("border_marker", {"number": unique("Mốc"), "commune_id": commune,
                                          "country": "CN", "latitude": 22.7203,
                                          "longitude": 104.2751})
    gate = api.create("border_gate", {"name": unique("Lối mở"), "commune_id": commune})
    fc = features(admin_web)
    by_layer = defaultdict(list)
    for f in fc["features"]:
        p = f["properties"]
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert 20 < lat < 23.5 and 102 < lon < 108, f
        assert p["href"] == f"/e/{'agreement' if p['layer'] == 'twinning' else p['layer']}/{p['id']}"
        assert ("gần đúng" in p["where"]) == p["approximate"]
        by_layer[p["layer"]].append(p)
    assert set(by_layer) == set(LAYERS), set(by_layer)
    assert [x["layer"] for x in fc["legend"]] == LAYERS
    unplaced = Counter(u["layer"] for u in fc["unplaced"])
    for layer in ("border_marker", "border_gate", "incident", "activity"):
        ids = [p["id"] for p in by_layer[layer]]
        assert len(ids) == len(set(ids)), layer
        assert len(ids) + unplaced[layer] == api.list(layer, limit=1)["total"], layer
    # the demo's 34 twinnings of Hà Giang, each at its commune's district
    assert len(by_layer["twinning"]) == 34
    assert all(p["approximate"] and "Huyện" in p["where"] for p in by_layer["twinning"])
    mk = next(f for f in fc["features"] if f["properties"]["layer"] == "border_marker"
              and f["properties"]["id"] == marker["id"])
    assert mk["geometry"]["coordinates"] == [104.2751, 22.7203]
    assert not mk["properties"]["approximate"]
    gt = next(p for p in by_layer["border_gate"] if p["id"] == gate["id"])
    assert gt["approximate"] and "Huyện Si Ma Cai" in gt["where"]


def test_the_boundary_files(anon):
    for name, n in (("provinces_2025_north", 7), ("provinces_2024_north", 9),
                    ("districts_2024_north", 87)):
        r = anon.get(f"/static/geo/{name}.geojson")
        assert r.status_code == 200, describe(r)
        assert r.headers["Content-Type"].startswith("application/geo+json")
        assert len(r.json()["features"]) == n
    for bad in ("/static/geo/units_2024.csv", "/static/geo/../README.md",
                "/static/geo/nothing.geojson", "/static/geo/"):
        assert anon.get(bad).status_code == 404, bad


# ---- tiles -------------------------------------------------------------------------------


def test_no_tiles_by_default(admin_web):
    r = admin_web.get("/map")
    assert r.status_code == 200
    assert "data-tiles" not in r.text
    assert "img-src 'self' data:;" in r.headers["Content-Security-Policy"]


def test_tile_url_reaches_the_page_and_the_csp(server):
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    with tempfile.TemporaryDirectory(prefix="giapranh-tiles-") as tmp:
        proc, port, _ = _start(server.db, tmp, "--tile-url", url)
        try:
            # the same database: a session of the first server is valid here
            s = server.sign_in("viewer")
            s2 = type(s)(f"http://127.0.0.1:{port}")
            s2.cookies.set("gp_session", s.session_cookie)
            r = s2.get("/map")
            assert r.status_code == 200, describe(r)
            assert f'data-tiles="{url}"' in r.text
            assert "img-src 'self' data: https://tiles.example.org;" in \
                r.headers["Content-Security-Policy"]
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.mark.parametrize("bad", ["ftp://tiles.example.org/{z}/{x}/{y}.png",
                                 "https://tiles.example.org;script-src *;/x.png",
                                 "https:///x.png", "tiles.example.org/{z}.png"])
def test_a_bad_tile_url_stops_the_server(server, bad):
    r = subprocess.run([BIN, "--db", server.db, "serve", "--listen", "127.0.0.1:1",
                        "--tile-url", bad], cwd=REPO, capture_output=True, timeout=60)
    assert r.returncode == 2, r
    assert "--tile-url" in r.stderr.decode()
