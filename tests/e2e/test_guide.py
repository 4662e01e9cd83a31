"""
The user guide (issue 17): docs/guide/HUONG-DAN.md, turned into HTML when the
server is built (tools/guide_html.py) and served at /guide in the page frame
(src/pages/pages_guide.c), its screenshots from docs/guide/img/ under
/static/guide/ (src/http/server.c).

For every role - nobody signed in, viewer, viewer with clearance, editors of
a district and of a commune, an approver, the administrator - /guide answers
200 with the guide; it links every image of docs/guide/img/ and no other,
each served as the very file; its table of contents points at its own
headings; every page of the menu links it; nothing outside the images is
served under /static/guide/.
"""
import html
import os
import re

import pytest

from conftest import PASSWORD, REPO, SIMACAI, ApiSession, describe, run_cli, set_cookie_headers

GUIDE = os.path.join(REPO, "docs", "guide", "HUONG-DAN.md")
IMG_DIR = os.path.join(REPO, "docs", "guide", "img")
ROLES = ["viewer", "secure_viewer", "simacai_editor", "bacha_commune_editor", "admin"]


def shipped_images():
    return sorted(f for f in os.listdir(IMG_DIR) if f.endswith(".png"))


def images_of(page):
    return re.findall(r'<img src="/static/guide/([^"]+)"', page)


@pytest.fixture(scope="module")
def approver(server):
    """A district approver, signed in by the form (the e2e users have none)."""
    login = "e2e_guide_approver"
    run_cli(server.db, "user", "add", "--login", login, "--role", "approver", "--unit", SIMACAI,
            "--name", "Lãnh đạo huyện Si Ma Cai", stdin=PASSWORD + "\n")
    s = ApiSession(server.base)
    r = s.post_login({"login": login, "password": PASSWORD})
    assert r.status_code == 303, describe(r)
    if s.cookies.get("gp_session") is None:
        m = re.search(r"gp_session=([^;]+)", ";".join(set_cookie_headers(r)))
        assert m, describe(r)
        s.cookies.set("gp_session", m.group(1))
    return s


@pytest.fixture(scope="module")
def sessions(server, approver):
    out = {"anonymous": server.anonymous(), "approver": approver}
    for key in ROLES:
        out[key] = server.sign_in(key)
    return out


def test_the_guide_answers_every_role(sessions):
    for who, s in sessions.items():
        r = s.get("/guide", allow_redirects=False)
        assert r.status_code == 200, (who, describe(r))
        assert r.headers["Content-Type"].startswith("text/html"), who
        page = r.text
        assert '<h1 id="hướng-dẫn-sử-dụng-giapranh">Hướng dẫn sử dụng giapranh</h1>' in page, who
        assert "<title>Hướng dẫn sử dụng · giapranh</title>" in page, who
        # the frame of the user: a menu when signed in, none when not
        assert ('<ul class="menu">' in page) == (who != "anonymous"), who
        # every task the guide is for has its section
        for heading in ("Đăng nhập", "Nhập số liệu chỉ tiêu và gửi duyệt", "Duyệt số liệu",
                        "Ghi một hội nghị và thành phần dự họp",
                        "Ghi một hoạt động và số liệu của nó", "Nhập từ tệp Excel, CSV",
                        "Tìm một hồ sơ", "Lập và ban hành báo cáo", "Xem biểu đồ và bản đồ",
                        "Việc cần làm, nhắc hạn", "Dùng trên điện thoại"):
            assert f">{html.escape(heading, quote=False)}</h2>" in page, (who, heading)


def test_the_guide_links_every_image_and_each_is_served(sessions, server):
    page = sessions["simacai_editor"].get("/guide").text
    linked = images_of(page)
    shipped = shipped_images()
    assert len(shipped) >= 10, shipped
    assert sorted(set(linked)) == shipped, (
        f"not linked: {set(shipped) - set(linked)}; missing files: {set(linked) - set(shipped)}")
    # the Markdown names the same images (GitHub shows the same guide)
    md = open(GUIDE, encoding="utf-8").read()
    assert sorted(set(re.findall(r"!\[[^\]]+\]\(img/([^)]+)\)", md))) == shipped
    # each has a description, and is served as the file itself, to anyone
    for alt in re.findall(r'<img src="/static/guide/[^"]+" alt="([^"]*)"', page):
        assert alt.strip(), "an image without a description"
    anon = server.anonymous()
    for name in shipped:
        r = anon.get(f"/static/guide/{name}")
        assert r.status_code == 200, (name, describe(r))
        assert r.headers["Content-Type"] == "image/png", name
        with open(os.path.join(IMG_DIR, name), "rb") as f:
            assert r.content == f.read(), name


def test_the_table_of_contents_points_at_the_headings(sessions):
    page = sessions["viewer"].get("/guide").text
    ids = set(re.findall(r'<h[1-3] id="([^"]+)"', page))
    anchors = re.findall(r'<a href="#([^"]+)"', page)
    assert len(anchors) >= 10, anchors
    for a in anchors:
        assert html.unescape(a) in ids, a


def test_every_page_of_the_menu_links_the_guide(sessions, server):
    s = sessions["simacai_editor"]
    home = s.get("/").text
    menu = home[home.index('<ul class="menu">'):home.index("</ul>", home.index('<ul class="menu">'))]
    hrefs = re.findall(r'href="([^"]+)"', menu)
    assert len(hrefs) >= 10, hrefs
    for href in hrefs + ["/guide"]:
        r = s.get(href)
        assert r.status_code == 200, (href, describe(r))
        # in the header for a signed-in user, and in the footer
        assert r.text.count('href="/guide"') >= 2, href
    # the sign-in page too, for whoever cannot sign in yet
    r = server.anonymous().get("/login")
    assert 'href="/guide"' in r.text


@pytest.mark.parametrize("path", [
    "/static/guide/", "/static/guide/..%2FHUONG-DAN.md", "/static/guide/../guide/HUONG-DAN.md",
    "/static/guide/HUONG-DAN.md", "/static/guide/img/dang-nhap.png", "/static/guide/.png",
    "/static/guide/khong-co.png", "/static/guide/dang-nhap.PNG",
])
def test_nothing_but_the_images_is_served(server, path):
    r = server.anonymous().get(path)
    assert r.status_code in (400, 404), (path, describe(r))
