"""Outlines (đề cương) as records (issue 16): an office keeps the outline a
higher body sends, creates and edits it in the UI, and builds a report from
it; the report has the outline's parts and items in order, numbered, each
with the data it draws or the text the writer typed.  The four shipped
outlines are there, and each builds a report."""
import io
import json
import re
import subprocess
import zipfile

from conftest import BIN, REPO, describe, unique

SHIPPED = {
    "Sơ kết, tổng kết thực hiện quy chế phối hợp",
    "Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết",
    "Báo cáo kết quả giám sát",
    "Sơ kết hoạt động kết nghĩa",
}


def one(api, entity, q):
    items = api.list(entity, q=q, limit=1)["items"]
    assert items, f"no {entity} matches {q!r}"
    return items[0]["id"]


def form_create(s, entity, fields, api=None, key=None):
    """POST /e/ENTITY/new as the browser's form does; the new record's id
    (a part of a record goes back to its owner's page: found through the
    API by its owner and `key` field)."""
    r = s.post(f"/e/{entity}/new", data={"_csrf": s.csrf, **fields},
               allow_redirects=False)
    assert r.status_code == 303, f"{entity}: " + describe(r)
    m = re.search(rf"/e/{entity}/(\d+)", r.headers.get("Location", ""))
    if m:
        return int(m.group(1))
    assert api is not None and key, r.headers
    items = [i for i in api.list(entity, limit=500)["items"]
             if all(str(i.get(k)) == str(fields[k]) for k in key)]
    assert len(items) == 1, (entity, fields, items)
    return items[0]["id"]


def docx_text(content):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "|", xml)


def headings(doc):
    """(part heading, [item headings]) of a report model."""
    out = []
    for sec in doc["sections"]:
        items = [b["text"] for b in sec["blocks"] if b["type"] == "heading"]
        out.append((sec["heading"], items))
    return out


def test_shipped_outlines_have_their_sections(admin):
    outlines = admin.list("outline", limit=100)["items"]
    names = {o["name"] for o in outlines}
    assert SHIPPED <= names
    for o in outlines:
        if o["name"] not in SHIPPED:
            continue
        secs = admin.list("outline_section", outline_id=o["id"], limit=100)["items"]
        assert len(secs) >= 5, o["name"]
        assert secs and min(s["level"] for s in secs) == 1


def test_outline_made_in_the_ui_builds_a_report(server):
    s = server.sign_in("simacai_editor")
    api = server.api("simacai_editor")
    org = one(api, "organisation", "ubnd huyen si ma cai")
    agreement = one(api, "agreement", "quy che phoi hop xay dung khu vuc giap ranh")
    outline = form_create(s, "outline", {"name": "Đề cương sơ kết quy chế (UBND tỉnh gửi)",
                                         "report_kind": "interim"})
    rows = [  # position, level, heading, content: entered out of order
        (40, 2, "Phối hợp giải quyết vụ việc", "incidents"),
        (10, 1, "Đặc điểm tình hình", "situation"),
        (20, 1, "Kết quả thực hiện", "text"),
        (30, 2, "Công tác khen thưởng", "commendations"),
        (50, 1, "Tồn tại, hạn chế", "text"),
        (60, 1, "Bài học kinh nghiệm", "text"),
    ]
    section = {}
    for pos, level, heading, content in rows:
        section[heading] = (form_create(s, "outline_section", {
            "outline_id": str(outline), "position": str(pos), "level": str(level),
            "heading": heading, "content": content}, api, ("outline_id", "heading")),
            level, content)

    def move(heading, pos):
        """Edit a section's position in the UI's form."""
        sid, level, content = section[heading]
        page = s.get(f"/e/outline_section/{sid}/edit")
        assert page.status_code == 200, describe(page)
        version = re.search(r'name="_version" value="(\d+)"', page.text).group(1)
        r = s.post(f"/e/outline_section/{sid}/edit",
                   data={"_csrf": s.csrf, "_version": version, "outline_id": str(outline),
                         "position": str(pos), "level": str(level), "heading": heading,
                         "content": content}, allow_redirects=False)
        assert r.status_code == 303, describe(r)

    move("Bài học kinh nghiệm", 45)          # before the shortcomings
    move("Phối hợp giải quyết vụ việc", 25)  # first item of the results

    report = form_create(s, "report", {
        "title": "Sơ kết 01 năm thực hiện Quy chế phối hợp", "kind": "interim",
        "scope": f"agreement:{agreement}", "period": "2023", "issuer_org_id": str(org),
        "status": "draft", "outline_id": str(outline),
        "addressees": "Ủy ban nhân dân tỉnh Lào Cai\nỦy ban nhân dân tỉnh Hà Giang",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "Nguyễn Văn A"})
    for heading, body in (("Kết quả thực hiện", "Các bên thực hiện nghiêm túc quy chế."),
                          ("Bài học kinh nghiệm", "Giữ giao ban định kỳ giữa các bên.")):
        form_create(s, "report_section", {"report_id": str(report), "heading": heading,
                                          "body": body}, api, ("report_id", "heading"))

    params = {"scope": f"agreement:{agreement}", "period": "2023", "report_id": report}
    r = api.get("/reports/build", params={**params, "format": "json"})
    assert r.status_code == 200, describe(r)
    doc = r.json()
    # parts and items in the outline's order; "Tồn tại" has no text and no
    # data: left out
    got = headings(doc)
    assert [h for h, _ in got] == ["I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN",
                                   "III. BÀI HỌC KINH NGHIỆM"], got
    assert got[1][1] == ["1. Phối hợp giải quyết vụ việc", "2. Công tác khen thưởng"], got
    text = "\n".join(b.get("text", "") for sec in doc["sections"] for b in sec["blocks"])
    assert "Các bên thực hiện nghiêm túc quy chế." in text
    assert "Giữ giao ban định kỳ giữa các bên." in text
    assert "Đã khen thưởng 3 tập thể và 6 cá nhân" in text      # the data it draws
    tables = [b["title"] for sec in doc["sections"] for b in sec["blocks"]
              if b["type"] == "table"]
    assert any("Vụ việc" in t for t in tables), tables
    assert doc["addressees"] == ["Ủy ban nhân dân tỉnh Lào Cai", "Ủy ban nhân dân tỉnh Hà Giang"]
    assert doc["signature"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]

    # the same in the DOCX, in order
    r = api.get("/reports/build", params={**params, "format": "docx"})
    assert r.status_code == 200, describe(r)
    t = docx_text(r.content)
    order = ["I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN", "1. Phối hợp giải quyết vụ việc",
             "2. Công tác khen thưởng", "III. BÀI HỌC KINH NGHIỆM", "KT. CHỦ TỊCH",
             "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    at = [t.find("|" + h + "|") for h in order]
    assert all(a >= 0 for a in at) and at == sorted(at), list(zip(order, at))
    assert "|Kính gửi:|" in t and "|- Ủy ban nhân dân tỉnh Hà Giang.|" in t


def test_every_shipped_outline_builds(admin):
    """Each shipped outline on the situation it was written for: every
    part it keeps is numbered and has content."""
    cases = {
        "Sơ kết, tổng kết thực hiện quy chế phối hợp":
            ("agreement", "quy che phoi hop xay dung khu vuc giap ranh", "2023",
             "ubnd huyen si ma cai"),
        "Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết":
            ("target_set", "si ma cai", "2023", "huyen uy si ma cai"),
        "Báo cáo kết quả giám sát":
            ("supervision", "trung khanh", "2021-2023", "tinh uy cao bang"),
        "Sơ kết hoạt động kết nghĩa":
            ("program", "chuong trinh ket nghia xa", "2016", "ubnd tinh ha giang"),
    }
    outlines = {o["name"]: o["id"] for o in admin.list("outline", limit=100)["items"]}
    for name, (entity, q, period, issuer) in cases.items():
        scope = f"{entity}:{one(admin, entity, q)}"
        rep = admin.create("report", {
            "title": name, "kind": "interim", "scope": scope, "period": period,
            "issuer_org_id": one(admin, "organisation", issuer), "status": "draft",
            "outline_id": outlines[name]})
        r = admin.get("/reports/build", params={"scope": scope, "period": period,
                                                "report_id": rep["id"], "format": "json"})
        assert r.status_code == 200, describe(r)
        doc = r.json()
        assert doc["sections"], name
        for i, sec in enumerate(doc["sections"]):
            assert re.match(r"[IVX]+\. ", sec["heading"]), sec["heading"]
            assert sec["blocks"], (name, sec["heading"])
        # the first data part of each outline is there
        assert any(b["type"] == "table" for sec in doc["sections"] for b in sec["blocks"]), name


def registry():
    out = subprocess.run([BIN, "entities", "--json"], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True).stdout
    return {e["name"]: e for e in json.loads(out)}


def test_every_content_choice_builds_and_narratives_take_the_report_field(admin):
    """Table-driven over the choices of outline_section.content (the
    registry): an outline with one part per choice builds, and a choice
    named after a text field of the report (shortcomings, directions,
    proposals: report_build.c's narrative_fields) takes that field's text,
    in its own part only."""
    ents = registry()
    content = next(f for f in ents["outline_section"]["fields"] if f["name"] == "content")
    choices = [c.split("=")[0] for c in content["arg"].split("|")]
    report_fields = {f["name"] for f in ents["report"]["fields"]}
    narratives = [c for c in choices if c in report_fields]
    assert narratives == ["shortcomings", "directions", "proposals"], narratives
    outline = admin.create("outline", {"name": unique("Đề cương mọi loại nội dung"),
                                       "report_kind": "interim"})["id"]
    for pos, code in enumerate(choices, 1):
        admin.create("outline_section", {"outline_id": outline, "position": pos,
                                          "level": 1, "heading": f"Muc {code}",
                                          "content": code})
    scope = f"agreement:{one(admin, 'agreement', 'quy che phoi hop xay dung khu vuc giap ranh')}"
    texts = {code: unique(f"Văn bản của trường {code}") for code in narratives}
    rep = admin.create("report", {
        "title": "Báo cáo thử mọi loại nội dung", "kind": "interim", "scope": scope,
        "period": "2023", "issuer_org_id": one(admin, "organisation", "ubnd huyen si ma cai"),
        "status": "draft", "outline_id": outline, **texts})
    r = admin.get("/reports/build", params={"scope": scope, "period": "2023",
                                            "report_id": rep["id"], "format": "json"})
    assert r.status_code == 200, describe(r)
    parts = {sec["heading"].split(". ", 1)[1]: " ".join(b.get("text", "") for b in sec["blocks"])
             for sec in r.json()["sections"]}
    for code, text in texts.items():
        assert text in parts.get(f"MUC {code.upper()}", ""), (code, parts)
        assert [h for h, t in parts.items() if text in t] == [f"MUC {code.upper()}"], \
            (code, parts)
