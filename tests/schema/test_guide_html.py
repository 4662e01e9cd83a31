"""tools/guide_html.py, the generator of /guide's HTML (beside entgen's
tests: both turn a shipped text into code at build time).  The guide is
served with `| unsafe`, so its text must come out escaped whatever it
holds, and what the converter does not know must stop the build."""
import importlib.util
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "guide_html.py")
spec = importlib.util.spec_from_file_location("guide_html", TOOL)
guide_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(guide_html)


def html(md):
    return guide_html.convert(md)[0]


@pytest.mark.parametrize("md,out", [
    ("# Hướng dẫn", '<h1 id="hướng-dẫn">Hướng dẫn</h1>'),
    ("## Nhập từ tệp Excel, CSV", '<h2 id="nhập-từ-tệp-excel-csv">Nhập từ tệp Excel, CSV</h2>'),
    ("Bấm **Lưu** rồi *chờ* `2024`.",
     "<p>Bấm <strong>Lưu</strong> rồi <em>chờ</em> <code>2024</code>.</p>"),
    ("- một\n- hai\n  tiếp", "<ul>\n<li>một</li>\n<li>hai tiếp</li>\n</ul>"),
    ("1. một\n2. hai", "<ol>\n<li>một</li>\n<li>hai</li>\n</ol>"),
    ("> Lưu ý", '<aside class="guide-tip"><p>Lưu ý</p></aside>'),
    ("![Trang đăng nhập](img/dang-nhap.png)",
     '<figure class="guide-shot"><img src="/static/guide/dang-nhap.png" alt="Trang đăng nhập" '
     'loading="lazy"><figcaption>Trang đăng nhập</figcaption></figure>'),
    ("[Mục lục](#mục-lục) và [trang](/grid) và [web](https://example.vn/a)",
     '<p><a href="#mục-lục">Mục lục</a> và <a href="/grid">trang</a> và '
     '<a href="https://example.vn/a">web</a></p>'),
    # text is escaped, quotes too (an attribute cannot be broken out of)
    ('Số 5 & "6" > 4', "<p>Số 5 &amp; &quot;6&quot; &gt; 4</p>"),
    ('![a "b" & c](img/x.png)', 'alt="a &quot;b&quot; &amp; c"'),
    ("ô có dấu sao (*) là bắt buộc", "<p>ô có dấu sao (*) là bắt buộc</p>"),
])
def test_what_the_guide_uses(md, out):
    assert out in html(md)


@pytest.mark.parametrize("md", [
    "<script>alert(1)</script>",
    "Chữ <b>đậm</b>",
    "![ảnh](../secret.png)",
    "![ảnh](img/x.jpg)",
    "![ảnh](https://example.vn/x.png)",
    "![](img/x.png)",
    "Xem ![ảnh](img/x.png) ở giữa câu",
    "[bấm](javascript:alert(1))",
    "[bấm](//evil.example/x)",
    "[bấm](data:text/html,x)",
    "## Hai\n\n## Hai",
])
def test_what_it_does_not_know_stops_the_build(md):
    with pytest.raises(guide_html.GuideError):
        html(md)


def test_missing_image_named_when_the_folder_is_given(tmp_path):
    (tmp_path / "co.png").write_bytes(b"\x89PNG")
    guide_html.convert("![có](img/co.png)", str(tmp_path))
    with pytest.raises(guide_html.GuideError, match="khong-co.png"):
        guide_html.convert("![không có](img/khong-co.png)", str(tmp_path))


def test_the_shipped_guide_converts_with_every_image(tmp_path):
    guide = os.path.join(REPO, "docs", "guide", "HUONG-DAN.md")
    r = subprocess.run([sys.executable, TOOL, "--html", guide], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("<figure") >= 10
    c, h = tmp_path / "g.c", tmp_path / "g.h"
    r = subprocess.run([sys.executable, TOOL, guide, str(c), str(h)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "extern const char *const guide_html;" in h.read_text()
    assert "const size_t guide_html_len =" in c.read_text()
