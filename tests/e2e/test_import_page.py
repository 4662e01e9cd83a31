"""
The page /import (src/pages/pages_import.c, issue 17): a template per kind
(XLSX with the field names, a row of Vietnamese help and drop-down lists for
the catalog fields; CSV), an uploaded file checked and shown - each bad line
and field named, the good rows listed, nothing written - then the good rows
imported or none, through the bulk path of the API (validation, the writer's
grants, workflow, audit), the file held on the server under a one-time token.
"""
import csv
import html
import io
import json
import re
import subprocess
import zipfile

import pytest

from conftest import BACHA, BIN, REPO, SIMACAI, describe, unique

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_TYPES = {"catalog", "enum", "boolean"}


def text_of(page):
    """The visible text of a page, tags dropped, spaces folded."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def description():
    out = subprocess.run([BIN, "entities", "--json"], cwd=REPO, capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return {e["name"]: e for e in json.loads(out)}


def kinds(s):
    r = s.get("/import")
    assert r.status_code == 200, describe(r)
    return re.findall(r'<option value="([a-z_]+)"', r.text)


def columns(ent):
    return [f for f in ent["fields"] if not f["system"] and f["type"] != "secret"
            and f["name"] != "password_hash"]


def upload(s, entity, name, data):
    return s.post("/import", data={"_csrf": s.csrf, "entity": entity},
                  files={"file": (name, data, "text/csv" if name.endswith(".csv")
                                  else XLSX_TYPE)})


def token_of(page):
    m = re.search(r'name="token" value="([^"]+)"', page)
    assert m, "no token in the preview"
    return m.group(1)


def confirm(s, token, action):
    return s.post("/import/confirm", data={"_csrf": s.csrf, "token": token,
                                           "action": action})


def meetings_titled(admin, title):
    return admin.list("meeting", q=title)["items"]


# ---- templates ---------------------------------------------------------------------


def test_every_kind_has_an_xlsx_template_with_its_lists(server, description):
    s = server.sign_in("simacai_editor")
    ks = kinds(s)
    assert "meeting" in ks and "activity" in ks and "incident" in ks
    assert "app_user" not in ks and "audit_log" not in ks  # admins' and the system's
    for k in ks:
        r = s.get("/import/template", params={"entity": k, "format": "xlsx"})
        assert r.status_code == 200, describe(r)
        assert r.headers["Content-Type"] == XLSX_TYPE
        assert f"mau-nhap-{k}.xlsx" in r.headers["Content-Disposition"]
        z = zipfile.ZipFile(io.BytesIO(r.content))
        book = z.read("xl/workbook.xml").decode()
        assert re.findall(r'<sheet name="([^"]+)"', book) == ["Nhập liệu", "Danh mục"]
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
        cols = columns(description[k])
        names = [f["name"] for f in cols]
        # row 1: the field names, row 2: the help texts, which start with the labels
        assert [n for n in names if n in strings] == names, k
        for f in cols:
            assert any(t.startswith(html.escape(f["label"], quote=False) + " (")
                       for t in strings), (k, f["name"])
        # one drop-down per list column, over the lists sheet
        lists = re.findall(r'<dataValidation type="list"[^>]*sqref="([A-Z]+)3:[A-Z]+\d+">'
                           r"<formula1>'Danh mục'!\$([A-Z]+)\$3:\$\2\$(\d+)</formula1>",
                           sheet)
        expected = [f["name"] for f in cols if f["type"] in LIST_TYPES]
        assert len(lists) <= len(expected), (k, lists, expected)
        cats = [f for f in cols if f["type"] == "catalog"]
        # every catalog column of the demo has items, so it has its list
        assert len(lists) >= len(cats), (k, lists)
        lists_sheet = z.read("xl/worksheets/sheet2.xml").decode()
        for _col, lcol, last in lists:
            assert f'r="{lcol}{last}"' in lists_sheet, (k, lcol, last)


def test_csv_template_has_the_two_rows(server, description):
    s = server.sign_in("simacai_editor")
    r = s.get("/import/template", params={"entity": "meeting", "format": "csv"})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    names = [c.strip('"') for c in lines[0].split(",")]
    assert names == [f["name"] for f in columns(description["meeting"])]
    assert lines[1].startswith('"Loại cuộc họp (bắt buộc; ')
    assert "Ngày (bắt buộc; ngày dd/mm/yyyy)" in lines[1]


@pytest.mark.parametrize("params", [{}, {"entity": "meeting"}, {"entity": "meeting",
                                    "format": "pdf"}, {"entity": "nope", "format": "csv"}])
def test_template_needs_a_kind_and_a_format(server, params):
    s = server.sign_in("simacai_editor")
    r = s.get("/import/template", params=params)
    assert r.status_code == 400, describe(r)
    assert "text/html" in r.headers["Content-Type"]


def test_viewer_may_not_import(server):
    s = server.sign_in("viewer")
    assert s.get("/import").status_code == 403
    assert s.get("/import/template", params={"entity": "meeting",
                                             "format": "csv"}).status_code == 403
    r = upload(s, "meeting", "a.csv", b"kind,title,held_on\n")
    assert r.status_code == 403, describe(r)
    assert 'href="/import"' not in s.get("/").text  # not in the menu either
    assert 'href="/import"' in server.sign_in("simacai_editor").get("/").text


def test_admin_only_kinds_are_for_admins(server):
    s = server.sign_in("simacai_editor")
    r = s.get("/import/template", params={"entity": "app_user", "format": "csv"})
    assert r.status_code == 403, describe(r)
    assert "app_user" in kinds(server.sign_in("admin"))


# ---- a file with a bad line, then a good one -------------------------------------------------


def bad_and_good(unit, t):
    return (f"kind,title,held_on,unit_id\n"
            f"review_conference,{t} 1,15/03/2024,{unit}\n"
            f"review_conference,{t} 2,31/02/2024,{unit}\n"
            f"robot,{t} 3,2024-03-17,{unit}\n"
            f"review_conference,{t} 4,2024-03-18,{unit}\n").encode()


def test_preview_names_each_bad_line_and_field_and_writes_nothing(server, admin):
    s = server.sign_in("simacai_editor")
    t = unique("Hội nghị nhập từ tệp")
    audited = admin.list("audit_log", entity="meeting", limit=1)["total"]
    r = upload(s, "meeting", "hop.csv", bad_and_good(server.unit_id(SIMACAI), t))
    assert r.status_code == 200, describe(r)
    text = text_of(r.text)
    assert "4 dòng dữ liệu, 2 dòng hợp lệ , 2 dòng có lỗi" in text, text
    assert "dòng 3, trường held_on: Ngày: ngày không hợp lệ: '31/02/2024': " \
           "tháng 2 không có ngày 31" in text, text
    assert "dòng 4, trường kind: Loại cuộc họp: mã 'robot' không có trong danh mục" in text
    good = re.search(r'<table class="list import-good-rows">(.*?)</table>', r.text, re.S)
    assert good, "no table of good rows"
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td>", good.group(1))
    assert rows == ["2", "5"]
    assert f"{t} 1" in good.group(1) and f"{t} 4" in good.group(1)
    assert f"{t} 2" not in good.group(1)
    assert meetings_titled(admin, t) == []
    # importing none writes nothing, and the preview is used up
    tok = token_of(r.text)
    r = confirm(s, tok, "none")
    assert r.status_code == 200, describe(r)
    assert "Không nhập dòng nào" in text_of(r.text)
    assert meetings_titled(admin, t) == []
    assert admin.list("audit_log", entity="meeting", limit=1)["total"] == audited
    assert confirm(s, tok, "good").status_code == 410
    assert meetings_titled(admin, t) == []


def test_good_rows_imported_once_and_audited(server, admin):
    s = server.sign_in("simacai_editor")
    t = unique("Hội nghị nhập dòng hợp lệ")
    r = upload(s, "meeting", "hop.csv", bad_and_good(server.unit_id(SIMACAI), t))
    assert r.status_code == 200, describe(r)
    tok = token_of(r.text)
    assert "Nhập 2 dòng hợp lệ, bỏ qua dòng lỗi" in r.text
    # another user cannot use the token, nor can a request without CSRF
    other = server.sign_in("admin")
    assert confirm(other, tok, "good").status_code == 410
    assert s.post("/import/confirm", data={"token": tok, "action": "good"}).status_code == 403
    r = confirm(s, tok, "good")
    assert r.status_code == 200, describe(r)
    assert "Đã nhập 2 dòng vào Hội nghị, cuộc họp" in text_of(r.text)
    found = sorted(meetings_titled(admin, t), key=lambda m: m["title"])
    assert [m["title"] for m in found] == [f"{t} 1", f"{t} 4"]
    assert found[0]["held_on"] == "2024-03-15"  # dd/mm/yyyy read as a date
    for m in found:
        entries = admin.list("audit_log", entity="meeting", record_id=m["id"])["items"]
        assert len(entries) == 1 and entries[0]["action"] == "create", entries
        assert entries[0]["actor"] == server.login("simacai_editor")
        assert json.loads(entries[0]["after_json"])["title"] == m["title"]
    assert confirm(s, tok, "good").status_code == 410
    assert len(meetings_titled(admin, t)) == 2


def fill_template(xlsx, rows):
    """The downloaded template with rows typed under its help row (inline
    strings, as a spreadsheet program may write them)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    sheet = src.read("xl/worksheets/sheet1.xml").decode()
    added = ""
    for i, row in enumerate(rows, 3):
        cells = "".join(f'<c r="{chr(65 + j)}{i}" t="inlineStr"><is><t>{html.escape(v)}'
                        f"</t></is></c>" for j, v in enumerate(row) if v is not None)
        added += f'<row r="{i}">{cells}</row>'
    sheet = sheet.replace("</sheetData>", added + "</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" \
                else src.read(item.filename)
            z.writestr(item, data)
    return out.getvalue()


def test_filled_xlsx_template_imports(server, admin, description):
    s = server.sign_in("simacai_editor")
    t = unique("Hội nghị từ mẫu Excel")
    xlsx = s.get("/import/template", params={"entity": "meeting", "format": "xlsx"}).content
    names = [f["name"] for f in columns(description["meeting"])]
    unit = str(server.unit_id(SIMACAI))

    def row(title, held_on):
        vals = {"kind": "review_conference", "title": title, "held_on": held_on,
                "unit_id": unit, "online": "không"}
        return [vals.get(n) for n in names]
    r = upload(s, "meeting", "mau.xlsx", fill_template(xlsx, [row(f"{t} A", "01/04/2024"),
                                                             row(f"{t} B", "2024-04-02")]))
    assert r.status_code == 200, describe(r)
    text = text_of(r.text)
    assert "2 dòng dữ liệu, 2 dòng hợp lệ , 0 dòng có lỗi" in text, text
    r = confirm(s, token_of(r.text), "good")
    assert r.status_code == 200, describe(r)
    found = meetings_titled(admin, t)
    assert len(found) == 2 and all(m["online"] is False for m in found), found


# ---- scope ------------------------------------------------------------------------


def test_editor_cannot_import_into_another_unit(server, admin):
    s = server.sign_in("simacai_editor")
    t = unique("Hội nghị huyện khác")
    mine, other = server.unit_id(SIMACAI), server.unit_id(BACHA)
    csv = (f"kind,title,held_on,unit_id\n"
           f"review_conference,{t} 1,2024-03-15,{mine}\n"
           f"review_conference,{t} 2,2024-03-16,{other}\n").encode()
    r = upload(s, "meeting", "hop.csv", csv)
    assert r.status_code == 200, describe(r)
    text = text_of(r.text)
    assert "dòng thuộc phạm vi bạn không được ghi" in text, text
    assert "dòng 3" in text
    assert 'value="good"' not in r.text  # nothing to import
    r = confirm(s, token_of(r.text), "good")
    assert r.status_code == 403, describe(r)
    assert meetings_titled(admin, t) == []


def test_cells_and_file_names_are_escaped(server, admin):
    s = server.sign_in("simacai_editor")
    xss = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    t = unique("Hội nghị " + xss)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerows([["kind", "title", "held_on", "unit_id"],
                 ["review_conference", t, "2024-03-15", server.unit_id(SIMACAI)],
                 [xss, "x", "2024-03-15", server.unit_id(SIMACAI)]])
    r = upload(s, "meeting", xss + ".csv", out.getvalue().encode())
    assert r.status_code == 200, describe(r)
    for raw in ("<script>alert(1)", "<img src=x"):
        assert raw not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "dòng 3, trường kind" in text_of(r.text)  # the bad code, escaped too
    assert confirm(s, token_of(r.text), "none").status_code == 200
    assert all(m["title"] != t for m in meetings_titled(admin, "alert"))


def test_limits_and_bad_files(server):
    s = server.sign_in("simacai_editor")
    r = upload(s, "meeting", "empty.csv", b"")
    assert r.status_code == 422, describe(r)
    assert "chọn tệp" in text_of(r.text)
    r = upload(s, "meeting", "bad.csv", b'kind,title\n"unterminated\n')
    assert r.status_code == 400, describe(r)
    r = upload(s, "meeting", "cols.csv", b"kind,nope\nx,y\n")
    assert r.status_code == 422, describe(r)
    assert "dòng 1, trường nope: cột 2: Hội nghị, cuộc họp không có trường 'nope'" \
        in text_of(r.text)
    many = b"kind,title,held_on\n" + b"review_conference,x,2024-01-01\n" * 10003
    r = upload(s, "meeting", "many.csv", many)
    assert r.status_code == 413, describe(r)
    assert "quá nhiều dòng" in text_of(r.text)
    r = upload(s, "meeting", "commas.csv", b"kind,title\n" + b"," * 700000)
    assert r.status_code == 413, describe(r)
    assert "quá nhiều ô" in text_of(r.text)
    r = upload(s, "meeting", "big.csv", b"kind,title\n" + b"x" * (4 << 20))
    assert r.status_code == 413, describe(r)
    r = s.post("/import/confirm", data={"_csrf": s.csrf, "token": "x" * 43,
                                        "action": "good"})
    assert r.status_code == 410, describe(r)
    r = s.post("/import/confirm", data={"_csrf": s.csrf, "token": "x", "action": "maybe"})
    assert r.status_code == 400, describe(r)
