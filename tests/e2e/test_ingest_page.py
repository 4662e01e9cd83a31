"""
The page "Nhập từ văn bản" (issue 9) end to end, on its own server over a
fresh database (init only, no demo): upload a report -> the proposals,
grouped, with the quoted sentence highlighted -> accept some, reject others,
edit one -> the records exist (rejected ones do not, the edit is kept); CSRF
is required; viewers are refused; an editor outside the report's place writes
nothing; text is escaped.
"""
import os
import re
import signal
import subprocess
import tempfile
import html as htmllib

import pytest

from conftest import BIN, REPO, ApiSession, _start, describe, meta_csrf, run_cli, \
    set_cookie_headers

TEXT = os.path.join(REPO, "tests", "ingest", "texts", "004.txt")
PASSWORD = "mat-khau-trang-nhap"
USERS = [("nhap", "editor", None), ("xem", "viewer", None),
         ("smc", "editor", "084")]  # Si Ma Cai: not Trùng Khánh


@pytest.fixture(scope="module")
def site():
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"no executable {BIN}")
    with tempfile.TemporaryDirectory(prefix="gp-ingest-page-") as tmp:
        db = f"sqlite:{tmp}/page.db"
        run_cli(db, "init")
        for login, role, unit in USERS:
            args = ["user", "add", "--login", login, "--role", role]
            if unit:
                args += ["--unit", unit]
            run_cli(db, *args, stdin=PASSWORD + "\n")
        proc, port, log = _start(db, tmp)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def sign_in(base, login):
    s = ApiSession(base)
    r = s.post_login({"login": login, "password": PASSWORD})
    assert r.status_code == 303, describe(r)
    if s.cookies.get("gp_session") is None:
        m = re.search(r"gp_session=([^;]+)", ";".join(set_cookie_headers(r)))
        s.cookies.set("gp_session", m.group(1))
    page = s.get("/ingest")
    s.csrf = meta_csrf(page.text)
    return s, page


def upload(s, path=TEXT, date="2023-09-21", csrf=True):
    data = {"publication_date": date}
    if csrf:
        data["_csrf"] = s.csrf
    with open(path, "rb") as f:
        return s.post("/ingest", data=data, files={"file": (os.path.basename(path), f,
                                                            "text/plain")},
                      allow_redirects=False)


def proposals_of(s, batch):
    r = s.get(f"/api/v1/ingest_batch/{batch}")
    assert r.status_code == 200, describe(r)
    import json
    return json.loads(r.json()["proposals_json"])["proposals"]


def count(s, entity, **params):
    r = s.get(f"/api/v1/{entity}", params=dict(params, limit=1000))
    assert r.status_code == 200, describe(r)
    body = r.json()
    return body["items"] if isinstance(body, dict) and "items" in body else body


def test_upload_review_accept(site):
    s, page = sign_in(site, "nhap")
    assert page.status_code == 200 and "Nhập từ văn bản" in page.text
    assert 'href="/ingest"' in page.text  # in the navigation
    # CSRF required
    r = upload(s, csrf=False)
    assert r.status_code == 403, describe(r)
    assert count(s, "ingest_batch") == []
    r = upload(s)
    assert r.status_code == 303, describe(r)
    loc = r.headers["Location"]
    batch = int(loc.rsplit("/", 1)[1])
    review = s.get(loc)
    assert review.status_code == 200, describe(review)
    body = review.text
    # grouped by kind, the quote highlighted, a decision per proposal
    for heading in ("Sự kiện, hội nghị", "Số liệu", "Nhiệm vụ"):
        assert heading in body
    assert "<mark>" in body and "321 cuộc" in body
    props = proposals_of(s, batch)
    for p in props:
        assert f'name="d.{p["id"]}"' in body
    assert "<script>" not in body.split("</head>", 1)[1]  # no inline script
    # nothing written before acceptance
    assert count(s, "supervision") == [] and count(s, "task") == []
    event = [p for p in props if p["kind"] == "event"][0]
    tasks = [p["id"] for p in props if p["kind"] == "task"]
    assert tasks
    form = {"_csrf": s.csrf, f"f.{event['id']}.title": "Giám sát Kết luận 160 tại Trùng Khánh (đã sửa)"}
    for p in props:
        form[f"d.{p['id']}"] = "reject" if p["id"] in tasks else "accept"
    # the decisions need the CSRF token too
    r = s.post(f"/ingest/{batch}/accept", data={k: v for k, v in form.items() if k != "_csrf"},
               allow_redirects=False)
    assert r.status_code == 403, describe(r)
    assert count(s, "supervision") == []
    r = s.post(f"/ingest/{batch}/accept", data=form, allow_redirects=False)
    assert r.status_code == 303, describe(r)
    result = s.get(r.headers["Location"])
    assert result.status_code == 200 and "Kết quả" in result.text
    sup = count(s, "supervision")
    assert len(sup) == 1 and sup[0]["title"].endswith("(đã sửa)"), sup
    assert f'href="/e/supervision/{sup[0]["id"]}"' in result.text
    # the result links to the review report of the created scope, by name
    sc = f"supervision%3A{sup[0]['id']}"
    assert f'href="/reports?scope={sc}"' in result.text
    assert f'href="/reports/build?scope={sc}&amp;format=html"' in result.text
    assert "Cuộc giám sát: <strong>" in result.text
    # rejected proposals were not written
    assert count(s, "task") == []
    assert len(count(s, "supervision_finding")) > 0
    # a decided batch is not decided twice
    r = s.post(f"/ingest/{batch}/accept", data=form, allow_redirects=False)
    assert r.status_code == 409, describe(r)
    assert len(count(s, "supervision")) == 1


def test_viewer_is_refused(site):
    s, page = sign_in(site, "xem")
    assert page.status_code == 403
    assert 'href="/ingest"' not in page.text or "biên tập" in page.text
    r = upload(s)
    assert r.status_code == 403, describe(r)
    r = s.post("/ingest/1/accept", data={"_csrf": s.csrf, "all": "1"}, allow_redirects=False)
    assert r.status_code == 403, describe(r)
    r = s.get("/ingest/1")
    assert r.status_code == 403


def test_editor_outside_the_place_writes_nothing(site):
    s, _ = sign_in(site, "smc")
    before = len(count(s, "meeting"))
    r = upload(s)
    assert r.status_code == 303, describe(r)
    batch = int(r.headers["Location"].rsplit("/", 1)[1])
    r = s.post(f"/ingest/{batch}/accept", data={"_csrf": s.csrf, "all": "1"},
               allow_redirects=False)
    assert r.status_code == 403, describe(r)
    assert "Chưa ghi gì" in r.text
    assert len(count(s, "meeting")) == before
    # still pending: an editor of Trùng Khánh may decide it
    assert s.get(f"/ingest/{batch}").text.count('name="d.') > 0


def test_pasted_text_is_escaped(site):
    s, _ = sign_in(site, "nhap")
    text = ("Ngày 5/12, UBND huyện Trùng Khánh tổ chức hội nghị sơ kết <script>alert(1)</script>"
            " công tác tuần tra, đã tuần tra được 12 lần với 80 lượt người tham gia.")
    r = s.post("/ingest", data={"_csrf": s.csrf, "text": text, "publication_date": "2023-12-06"},
               allow_redirects=False)
    assert r.status_code == 303, describe(r)
    page = s.get(r.headers["Location"])
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    # empty input: a Vietnamese message, nothing kept
    n = len(count(s, "ingest_batch"))
    r = s.post("/ingest", data={"_csrf": s.csrf, "text": ""}, allow_redirects=False)
    assert r.status_code == 422 and "Hãy chọn một tệp" in htmllib.unescape(r.text)
    assert len(count(s, "ingest_batch")) == n


def test_related_articles_unticked(site):
    """A news page's "Cùng chuyên mục" list: its proposals are shown unticked,
    and "accept all" leaves them out."""
    s, _ = sign_in(site, "nhap")
    r = upload(s, path=os.path.join(REPO, "tests", "ingest", "texts", "002.txt"),
               date="2017-12-06")
    assert r.status_code == 303, describe(r)
    batch = int(r.headers["Location"].rsplit("/", 1)[1])
    body = s.get(r.headers["Location"]).text
    props = proposals_of(s, batch)
    chrome = [p for p in props if p.get("preselect") is False]
    kept = [p for p in props if p.get("preselect", True)]
    assert chrome and kept
    for p in chrome:
        assert re.search(rf'name="d\.{p["id"]}" value="reject" checked', body), p["id"]
        assert not re.search(rf'name="d\.{p["id"]}" value="accept" checked', body)
    for p in kept:
        assert re.search(rf'name="d\.{p["id"]}" value="accept" checked', body), p["id"]
    assert "Cùng chuyên mục" in body
    r = s.post(f"/ingest/{batch}/accept", data={"_csrf": s.csrf, "all": "1"},
               allow_redirects=False)
    assert r.status_code == 303, describe(r)
    meetings = count(s, "meeting")
    assert [m["held_on"] for m in meetings if "kết nghĩa" in m["title"]] == ["2017-12-05"]
    assert not any("49/2015" in m["title"] or "Bộ CHQS" in (m.get("place") or "")
                   for m in meetings), meetings
