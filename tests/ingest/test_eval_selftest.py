"""Self-test of the judge: eval.py's matching rules and scoring on hand-made proposals.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/ingest/test_eval_selftest.py
"""

import copy
import importlib.util
import json
import os
import stat

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("ingest_eval", os.path.join(HERE, "eval.py"))
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)


def golds():
    return ev.load_golds()


def as_proposals(gold, with_optional=False):
    """The gold items of one text written back as a proposal set (ids renamed)."""
    props = []
    for i, it in enumerate(gold["items"]):
        if it.get("optional") and not with_optional:
            continue
        p = {k: v for k, v in it.items() if k not in ("optional", "note", "mentions")}
        p["id"] = "p%d" % (i + 1)
        p["confidence"] = 1.0
        props.append(p)
    return {"source": {"publication_date": gold["source"]["publication_date"]}, "proposals": props}


def score(kind, golds_, props, strict=False):
    r = ev.score_kind(kind, golds_, props, strict)
    return r["tp"], r["fp"], r["fn"], r["dup"]


# ------------------------------------------------------------------ the gold files

def test_gold_files_are_valid_and_complete():
    gs = golds()
    assert [g["_name"] for g in gs] == ["000", "001", "002", "003", "004"]
    for g in gs:
        kinds = {it["kind"] for it in g["items"] if not it.get("optional")}
        # every text has its event, dates, a chairing person and figures or tasks
        assert {"event", "date", "person"} <= kinds, g["_name"]
        assert kinds & {"figure", "task"}, g["_name"]


def test_gold_texts_are_the_seed_copies():
    for g in golds():
        import hashlib
        assert hashlib.sha256(g["_raw"]).hexdigest() == g["source"]["sha256"]


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_perfect_proposals_score_one(name):
    gold = [g for g in golds() if g["_name"] == name][0]
    res = ev.evaluate_text(gold, as_proposals(gold))
    for kind, r in res["kinds"].items():
        assert r["fp"] == 0 and r["fn"] == 0, (kind, r["fn_items"], r["fp_items"])
    # optional items proposed as well change nothing
    res2 = ev.evaluate_text(gold, as_proposals(gold, with_optional=True))
    for kind, r in res2["kinds"].items():
        assert r["fp"] == 0 and r["fn"] == 0 and r["tp"] == res["kinds"][kind]["tp"], kind


def test_no_proposals_is_recall_zero():
    gold = golds()[4]
    res = ev.evaluate_text(gold, {"proposals": []})
    fig = res["kinds"]["figure"]
    assert fig["tp"] == 0 and fig["fn"] == 11
    assert ev.prf(0, 0, 11) == (None, 0.0, None)


# ------------------------------------------------------------------ folding

def test_fold():
    assert ev.fold("Đặng Xuân  Phong") == "dang xuan phong"
    assert ev.fold("Tỉnh uỷ") == ev.fold("Tỉnh ủy") == "tinh uy"
    assert ev.tokens("UBND huyện", expand=True) == ["uy", "ban", "nhan", "dan", "huyen"]


# ------------------------------------------------------------------ per-kind rules

def test_date_needs_start_and_end():
    g = [{"kind": "date", "start": "2016-12-01", "end": "2016-12-31"}]
    assert score("date", g, [{"start": "2016-12-01", "end": "2016-12-31"}]) == (1, 0, 0, 0)
    assert score("date", g, [{"start": "2016-12-01", "end": "2016-12-01"}]) == (0, 1, 1, 0)


def test_figure_rules():
    g48 = {"value": 48000000, "unit": "đồng/ha", "of": None}
    assert ev.m_figure(g48, {"value": 48, "unit": "triệu đồng/ha"})
    assert ev.m_figure(g48, {"value": 48000000, "unit": "đồng/ha"})
    assert not ev.m_figure(g48, {"value": 48, "unit": "đồng/ha"})
    gfrac = {"value": 33, "unit": "xã, thị trấn", "of": 34}
    assert ev.m_figure(gfrac, {"value": 33, "unit": "xã", "of": 34})
    assert not ev.m_figure(gfrac, {"value": 33, "unit": "xã", "of": None})
    assert not ev.m_figure(gfrac, {"value": 33, "unit": "huyện", "of": 34})
    gpct = {"value": 97.4, "unit": "%", "of": None}
    assert ev.m_figure(gpct, {"value": 97.4, "unit": "%"})
    assert ev.m_figure(gpct, {"value": 97.4, "unit": ""})
    assert ev.m_figure(gpct, {"value": 100, "unit": "thôn", "percent": 97.4})
    assert not ev.m_figure(gpct, {"value": 97, "unit": "%"})
    gppl = {"value": 23000, "unit": "lượt người", "of": None}
    assert ev.m_figure(gppl, {"value": 23000, "unit": "lượt người nghe"})
    assert ev.m_figure(gppl, {"value": "23000", "unit": "Lượt Người"})
    assert not ev.m_figure(gppl, {"value": 23000, "unit": "người"})
    galt = {"value": 7, "unit": "%/năm", "alt_units": ["%"], "of": None}
    assert ev.m_figure(galt, {"value": 7, "unit": "%"})
    assert ev.m_figure(galt, {"value": 7, "unit": "%/năm"})


def test_figure_one_to_one_and_duplicates():
    g = [{"value": 100, "unit": "%", "of": None}, {"value": 100, "unit": "%", "of": None}]
    p = [{"value": 100, "unit": "%"}] * 3
    assert score("figure", g, p) == (2, 0, 0, 1)
    assert score("figure", g, p, strict=True) == (2, 1, 0, 1)


def test_optional_items_are_neither_rewarded_nor_penalised():
    g = [{"value": 13, "unit": "nhóm mục tiêu", "of": 22},
         {"value": 100, "unit": "%", "of": None, "optional": True}]
    r = ev.score_kind("figure", g, [{"value": 100, "unit": "%"}, {"value": 5, "unit": "xã"}])
    assert (r["tp"], r["fp"], r["fn"], r["optional"]) == (0, 1, 1, 1)


def test_legal_ref_rules():
    g = {"doc_kind": "Kết luận", "number": "160", "date": "2021-08-23"}
    assert ev.m_legal_ref(g, {"doc_kind": "Kết luận", "number": "160-KL/TU"})
    assert ev.m_legal_ref(g, {"doc_kind": "Kết luận", "number": "số 160"})
    assert not ev.m_legal_ref(g, {"doc_kind": "Nghị quyết", "number": "160-NQ/TU"})
    g2 = {"doc_kind": "Quyết định", "number": "2523/QĐ-UBND", "date": "2013-10-28"}
    assert ev.m_legal_ref(g2, {"doc_kind": "Quyết định", "number": "2523/qđ-ubnd"})
    assert ev.m_legal_ref(g2, {"doc_kind": "Quyết định", "number": "2523/QD-UBND"})
    assert not ev.m_legal_ref(g2, {"doc_kind": "Quyết định", "number": "2532/QĐ-UBND"})
    g3 = {"doc_kind": "Quy chế", "number": None, "date": None}
    assert ev.m_legal_ref(g3, {"doc_kind": "Quy chế", "number": None, "date": None})
    assert not ev.m_legal_ref(g3, {"doc_kind": "Quy chế", "number": None, "date": "2023-10-31"})
    assert not ev.m_legal_ref(g3, {"doc_kind": "Nghị quyết", "number": None, "date": None})


def test_person_rules():
    g = {"name": "Nguyễn Minh Tiến", "title": "Ủy viên BTV Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh",
         "alt_titles": ["Phó Chủ tịch Thường trực UBND tỉnh"]}
    assert ev.m_person(g, {"name": "Nguyễn Minh Tiến",
                           "title": "Ủy viên Ban Thường vụ Tỉnh uỷ, Phó Chủ tịch Thường trực Ủy ban nhân dân tỉnh"})
    assert ev.m_person(g, {"name": "nguyễn minh tiến", "title": "Phó Chủ tịch Thường trực UBND tỉnh"})
    assert not ev.m_person(g, {"name": "Nguyễn Minh Tiến", "title": "Phó Chủ tịch"})
    assert not ev.m_person(g, {"name": "Nguyễn Minh", "title": g["title"]})
    assert ev.m_person({"name": "Vũ Chiến", "title": None}, {"name": "Vũ Chiến", "title": None})


def test_unit_rules():
    g = {"text": "xã Bản Máy", "code": "01024", "vintage": "2024", "mentions": []}
    assert ev.m_unit(g, {"text": "Bản Máy", "code": "01024", "vintage": "2024"})
    assert not ev.m_unit(g, {"text": "xã Bản Máy", "code": "01024", "vintage": "2025"})
    assert not ev.m_unit(g, {"text": "xã Bản Máy", "code": None})
    gn = {"text": "xã Bản Máy", "code": None, "vintage": None, "mentions": []}
    assert ev.m_unit(gn, {"text": "Bản Máy", "code": None})
    assert ev.m_foreign_unit({"text": "Vân Nam"}, {"text": "tỉnh Vân Nam"})
    assert not ev.m_foreign_unit({"text": "Vân Nam"}, {"text": "Quảng Tây"})


def test_organisation_rules():
    g = {"text": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "mentions": []}
    assert ev.m_organisation(g, {"text": "Bộ Chỉ huy BĐBP tỉnh"})
    assert not ev.m_organisation(g, {"text": "Bộ Chỉ huy Quân sự tỉnh"})


def test_event_and_commendation_rules():
    g = {"event_type": "supervision", "alt_event_types": ["working_session"], "date": "2023-09-21"}
    assert ev.m_event(g, {"event_type": "working_session", "date": "2023-09-21"})
    assert not ev.m_event(g, {"event_type": "supervision", "date": "2023-09-20"})
    assert ev.m_event({"event_type": "working_session", "date": None}, {"event_type": "working_session"})
    c = {"form": "Giấy khen", "collectives": 3, "individuals": 6}
    assert ev.m_commendation(c, {"form": "giấy khen", "collectives": 3, "individuals": 6})
    assert not ev.m_commendation(c, {"form": "Bằng khen", "collectives": 3, "individuals": 6})
    assert not ev.m_commendation(c, {"form": "Giấy khen", "collectives": 3, "individuals": None})


def test_content_overlap():
    g = {"content": "Đầu tư xây dựng đường tuần tra, đường vành đai biên giới"}
    assert ev.m_task(g, {"content": "đầu tư xây dựng đường tuần tra, đường vành đai biên giới"})
    assert ev.m_task(g, {"quote": "Đầu tư xây dựng đường tuần tra"})          # 7 of 11 token types
    assert not ev.m_task(g, {"content": "đầu tư"})
    long = g["content"] + "; xây dựng nhà ở cho tiểu đội dân quân thường trực các xã biên giới và nhiều việc khác nữa"
    assert not ev.m_task(g, {"content": long})


def test_ignored_spans():
    gold = [g for g in golds() if g["_name"] == "002"][0]
    start = gold["ignore_spans"][0]["span"][0]
    doc = {"proposals": [{"kind": "legal_ref", "span": [start + 10, start + 20], "doc_kind": "Nghị định",
                          "number": "77/2010/NĐ-CP"}]}
    res = ev.evaluate_text(gold, doc)
    assert res["ignored"] == 1 and res["kinds"]["legal_ref"]["fp"] == 0


def test_malformed_proposal_fields_do_not_crash():
    g = [{"value": 1, "unit": "xã", "of": None}]
    assert score("figure", g, [{"value": {"x": 1}, "unit": ["xã"]}, {}]) == (0, 2, 1, 0)


# ------------------------------------------------------------------ the command

def write_set(d, name, doc):
    with open(os.path.join(d, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def test_main_with_saved_proposals(tmp_path, capsys):
    gs = golds()
    for g in gs:
        write_set(tmp_path, g["_name"], as_proposals(g))
    out = tmp_path / "figures.json"
    assert ev.main(["--proposals", str(tmp_path), "--json", str(out)]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["micro"]["f1"] == 1.0
    assert rep["kinds"]["figure"]["target_met"] is True
    assert rep["kinds"]["figure"]["gold"] == sum(
        1 for g in gs for it in g["items"] if it["kind"] == "figure" and not it.get("optional"))
    text = capsys.readouterr().out
    assert "all texts (micro)" in text and "figure" in text


def test_main_broken_output_is_a_failure(tmp_path, capsys):
    gs = golds()
    for g in gs:
        write_set(tmp_path, g["_name"], as_proposals(g))
    (tmp_path / "003.json").write_text("Segmentation fault", encoding="utf-8")
    out = tmp_path / "figures.json"
    assert ev.main(["--proposals", str(tmp_path), "--json", str(out)]) == 1
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["texts"]["003"]["kinds"]["legal_ref"]["recall"] == 0.0
    assert "003" in rep["errors"]


def test_main_without_binary(tmp_path, capsys):
    assert ev.main(["--bin", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err


def test_main_binary_without_ingest(tmp_path, capsys):
    fake = tmp_path / "giapranh"
    fake.write_text("#!/bin/sh\necho \"giapranh: không có lệnh '$1'\" >&2\nexit 2\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert ev.main(["--bin", str(fake)]) == 2
    assert "no working `ingest` command" in capsys.readouterr().err


def test_main_runs_the_binary(tmp_path, capsys):
    """A stand-in binary: `init` succeeds, `ingest FILE` prints the gold of FILE as proposals."""
    sets = tmp_path / "sets"
    sets.mkdir()
    for g in golds():
        write_set(str(sets), g["_name"], as_proposals(g))
    fake = tmp_path / "giapranh"
    fake.write_text("#!/bin/sh\n"
                    "for a in \"$@\"; do case \"$a\" in\n"
                    "  init) exit 0;;\n"
                    "  --help) exit 0;;\n"
                    "  tests/ingest/texts/*) n=$(basename \"$a\" .txt); cat '%s'/$n.json; exit 0;;\n"
                    "esac; done\nexit 3\n" % sets)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert ev.main(["--bin", str(fake), "--only", "004"]) == 0
    text = capsys.readouterr().out
    assert "text 004" in text and "text 000" not in text


# ------------------------------------------------------------------ the held-out set

HELDOUT = ["100", "101", "102", "103", "104"]


def heldout():
    return ev.load_golds(which="heldout")


def test_heldout_gold_files_are_valid_and_complete():
    import hashlib
    gs = heldout()
    assert [g["_name"] for g in gs] == HELDOUT
    for g in gs:
        kinds = {it["kind"] for it in g["items"] if not it.get("optional")}
        assert {"event", "date", "person", "unit", "legal_ref", "figure"} <= kinds, g["_name"]
        assert kinds & {"task", "recommendation"}, g["_name"]
        # the texts are the ones annotated (a changed text needs its spans redone)
        assert hashlib.sha256(g["_text_raw"]).hexdigest() == g["source"]["sha256"], g["_name"]
        if g.get("plain_text"):
            assert hashlib.sha256(g["_raw"]).hexdigest() == g["source"]["plain_text_sha256"], g["_name"]
        assert g["source"].get("genre"), g["_name"]
        # seeds and held-out texts have distinct names, so `--set all` reports stay readable
        assert g["_name"] not in ("000", "001", "002", "003", "004")


def test_heldout_unit_vintages_follow_the_date():
    """Units are annotated in the vintage of the text's date: 2025 codes after 1 July 2025."""
    for g in heldout():
        after = g["source"]["publication_date"] >= "2025-07-01"
        for it in g["items"]:
            if it["kind"] == "unit" and it.get("code"):
                assert it["vintage"] == ("2025" if after else "2024"), (g["_name"], it["id"])
    assert any(g["source"]["publication_date"] >= "2025-07-01" for g in heldout())


@pytest.mark.parametrize("name", HELDOUT)
def test_heldout_perfect_proposals_score_one(name):
    gold = [g for g in heldout() if g["_name"] == name][0]
    res = ev.evaluate_text(gold, as_proposals(gold))
    for kind, r in res["kinds"].items():
        assert r["fp"] == 0 and r["fn"] == 0, (kind, r["fn_items"], r["fp_items"])
    res2 = ev.evaluate_text(gold, as_proposals(gold, with_optional=True))
    for kind, r in res2["kinds"].items():
        assert r["fp"] == 0 and r["fn"] == 0 and r["tp"] == res["kinds"][kind]["tp"], kind


def test_unit_codes_are_checked_against_the_unit_data():
    ok = {"kind": "unit", "text": "xã Mường Toong", "level": "commune", "code": "03163", "vintage": "2024",
          "successors": ["03163"]}
    assert ev.check_unit(ok) == []
    assert ev.check_unit(dict(ok, code="99999"))                     # no such code
    assert ev.check_unit(dict(ok, level="district"))                 # a commune code
    assert ev.check_unit(dict(ok, successors=["03162"]))             # not the lineage
    assert ev.check_unit(dict(ok, vintage="2023"))
    assert ev.check_unit(dict(ok, vintage="2025", successors=[])) == []   # kept its code in 2025
    assert ev.check_unit({"kind": "unit", "text": "x", "level": "district", "code": "096", "vintage": "2025"})
    assert ev.check_unit({"kind": "unit", "text": "x", "level": "commune", "code": None, "vintage": None}) == []


def test_bad_heldout_gold_is_refused(tmp_path):
    import shutil
    base = tmp_path / "set"
    shutil.copytree(os.path.join(HERE, "heldout", "texts"), str(base / "texts"))
    (base / "gold").mkdir()
    doc = json.load(open(os.path.join(HERE, "heldout", "gold", "103.json"), encoding="utf-8"))
    bad = copy.deepcopy(doc)
    del bad["plain_text"]                                           # an .html text without its plain text
    p = base / "gold" / "103.json"
    p.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ev.GoldError, match="plain_text"):
        ev.load_gold(str(p), str(base))
    bad = copy.deepcopy(doc)
    [u for u in bad["items"] if u["id"] == "u3"][0]["successors"] = ["03550"]
    p.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ev.GoldError, match="lineage"):
        ev.load_gold(str(p), str(base))


def test_page_plain_text_is_the_visible_text_of_the_page():
    """103.txt is derived by hand from 103.html: every piece of it is visible text of the page."""
    import html as htmlmod
    import re
    page = open(os.path.join(HERE, "heldout", "texts", "103.html"), encoding="utf-8").read()
    body = page.split("<body>", 1)[1]
    visible = re.sub(r"\s+", " ", htmlmod.unescape(re.sub(r"<[^>]+>", " ", body)))
    plain = open(os.path.join(HERE, "heldout", "texts", "103.txt"), encoding="utf-8").read()
    for line in plain.splitlines():
        for piece in re.split(r"»|\|", line):
            piece = re.sub(r"\s*\(\d\d/\d\d/\d{4}\)$", "", piece.strip())   # the sidebar's date spans
            assert piece and piece in visible, piece


def test_page_ignored_spans_apply_by_quote():
    gold = [g for g in heldout() if g["_name"] == "103"][0]
    side = {"kind": "unit", "quote": "huyện Mường Tè", "span": [1, 5], "text": "huyện Mường Tè",
            "code": "107", "vintage": "2024"}
    both = {"kind": "date", "quote": "năm 2024", "span": [0, 3], "start": "2024-01-01", "end": "2024-12-31"}
    wrapped = dict(side, quote="Đoàn giám sát HĐND tỉnh làm việc tại\nhuyện Mường Tè")
    res = ev.evaluate_text(gold, {"proposals": [side, both, wrapped]})
    assert res["ignored"] == 2                                   # only in the sidebar (line breaks aside)
    assert res["kinds"]["date"]["tp"] == 1                       # also in the article: scored
    assert res["kinds"]["unit"]["fp"] == 0
    counter = {"kind": "figure", "quote": "2.457.318", "value": 2457318, "unit": ""}
    res = ev.evaluate_text(gold, {"proposals": [counter]})
    assert res["ignored"] == 0 and res["kinds"]["figure"]["fp"] == 1   # the footer counter is not ignored


def test_check_gold_for_each_set(capsys):
    assert ev.main(["--check-gold", "--set", "heldout"]) == 0
    assert "5 files" in capsys.readouterr().out
    assert ev.main(["--check-gold", "--set", "all"]) == 0
    assert "10 files" in capsys.readouterr().out
    assert ev.main(["--check-gold"]) == 0
    assert "(seed): 5 files" in capsys.readouterr().out


def test_main_heldout_with_saved_proposals(tmp_path, capsys):
    for g in heldout():
        write_set(tmp_path, g["_name"], as_proposals(g))
    out = tmp_path / "figures.json"
    assert ev.main(["--set", "heldout", "--proposals", str(tmp_path), "--json", str(out)]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["set"] == "heldout" and rep["micro"]["f1"] == 1.0
    assert sorted(rep["texts"]) == HELDOUT


def test_main_runs_the_binary_on_the_heldout_page(tmp_path, capsys):
    """The stand-in binary is handed the .html file itself, from the held-out directory."""
    sets = tmp_path / "sets"
    sets.mkdir()
    for g in heldout():
        write_set(str(sets), g["_name"], as_proposals(g))
    seen = tmp_path / "seen"
    fake = tmp_path / "giapranh"
    fake.write_text("#!/bin/sh\n"
                    "for a in \"$@\"; do case \"$a\" in\n"
                    "  init) exit 0;;\n"
                    "  --help) exit 0;;\n"
                    "  tests/ingest/heldout/texts/*) echo \"$a\" >> '%s'; n=$(basename \"$a\"); n=${n%%.*};"
                    " cat '%s'/$n.json; exit 0;;\n"
                    "esac; done\nexit 3\n" % (seen, sets))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert ev.main(["--bin", str(fake), "--set", "heldout", "--only", "103", "--only", "104"]) == 0
    assert seen.read_text().split() == ["tests/ingest/heldout/texts/103.html", "tests/ingest/heldout/texts/104.txt"]
    text = capsys.readouterr().out
    assert "text 103" in text and "heldout set" in text
