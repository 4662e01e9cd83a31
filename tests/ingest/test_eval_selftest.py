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
    n_all = sum(len(ev.load_golds(which=w)) for w in ("seed", "heldout", "dev", "test"))
    assert ev.main(["--check-gold", "--set", "all"]) == 0
    assert "(all): %d files" % n_all in capsys.readouterr().out
    assert ev.main(["--check-gold"]) == 0
    assert "(seed): 5 files" in capsys.readouterr().out
    for which in ("dev", "test", "corpus"):
        assert ev.main(["--check-gold", "--set", which]) == 0
        assert "(%s): " % which in capsys.readouterr().out


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


# ------------------------------------------------------------------ the border-area corpus (issue 15)

CORPUS = os.path.join(HERE, "corpus")


def corpus(which):
    return ev.load_golds(which=which)


def sources():
    import csv
    with open(os.path.join(CORPUS, "sources.csv"), encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def test_corpus_split_follows_its_rule():
    """The split is fixed by the SHA-256 of the URL (corpus/split.py), at least 20 texts a half."""
    spec = importlib.util.spec_from_file_location("corpus_split", os.path.join(CORPUS, "split.py"))
    sp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sp)
    rows = sp.read_sources()
    assert sp.problems(rows) == []
    want = sp.assign(rows)
    assert sum(1 for v in want.values() if v == "dev") >= 20 and sum(1 for v in want.values() if v == "test") >= 20
    for which in ("dev", "test"):
        names = [g["_name"] for g in corpus(which)]
        assert names == sorted(k for k, v in want.items() if v == which), which
    # a text in the wrong half is reported
    moved = [dict(r, split="test" if r["split"] == "dev" else "dev") if i == 0 else r for i, r in enumerate(rows)]
    assert sp.problems(moved)


def test_corpus_gold_files_are_valid_and_describe_their_source():
    import hashlib
    src = sources()
    seen = set()
    for which in ("dev", "test"):
        for g in corpus(which):
            s = g["source"]
            row = src[g["_name"]]
            assert s["corpus_id"] == g["_name"] and s["url"] == row["url"] and row["split"] == which
            assert row["text"] == "reworded" and row["title"] and row["outlet"] and row["publication_date_shown"]
            assert hashlib.sha256(g["_text_raw"]).hexdigest() == s["sha256"], g["_name"]
            assert s["genre"] and s["border"] in ("CN", "LA", "KH", "none")
            after = s["publication_date"] >= "2025-07-01"
            for it in g["items"]:
                if it["kind"] == "unit" and it.get("code"):
                    assert it["vintage"] == ("2025" if after else "2024"), (g["_name"], it["id"])
                if it["kind"] == "foreign_unit":
                    assert it["country"] in ("CN", "LA", "KH") and it.get("level") in ev.FOREIGN_LEVELS
            assert g["_name"] not in seen      # names are unique over every set
            seen.add(g["_name"])
    assert not seen & {g["_name"] for g in ev.load_golds(which="seed") + ev.load_golds(which="heldout")}


@pytest.mark.parametrize("which", ["dev", "test"])
def test_corpus_perfect_proposals_score_one_both_ways(which):
    for gold in corpus(which):
        res = ev.evaluate_text(gold, as_proposals(gold))
        for kind, r in res["kinds"].items():
            assert r["fp_lenient"] == 0 and r["fp_strict"] == 0 and r["fn"] == 0, (gold["_name"], kind, r["fn_items"])
        res2 = ev.evaluate_text(gold, as_proposals(gold, with_optional=True))
        for kind, r in res2["kinds"].items():
            assert r["fp_strict"] == 0 and r["fn"] == 0 and r["tp"] == res["kinds"][kind]["tp"], (gold["_name"], kind)


def test_optional_gold_fields_are_checked():
    items = [{"id": "d1", "kind": "date", "start": "2022-01-01", "end": "2022-12-31", "granularity": "year"},
             {"id": "f1", "kind": "figure", "value": 39, "unit": "tổ", "group": "g1", "period": "d1"},
             {"id": "f2", "kind": "figure", "value": 460, "unit": "tàu", "group": "g1"}]
    for it in items:
        assert ev.check_optional_fields(it, items) == [], it
    bad = [
        ({"id": "d2", "kind": "date", "start": "2022-01-01", "end": "2022-12-31", "granularity": "decade"}, "granularity"),
        ({"id": "d2", "kind": "date", "start": "2022-12-31", "end": "2022-01-01", "granularity": "range"}, "after end"),
        ({"id": "d2", "kind": "date", "start": "2022-02-01", "end": "2022-02-28", "granularity": "month",
          "qualifier": "cuối"}, "partial"),
        ({"id": "f3", "kind": "figure", "value": 1, "unit": "x", "group": "g9"}, "only this figure"),
        ({"id": "f3", "kind": "figure", "value": 2, "unit": "x", "value_to": 1}, "value_to"),
        ({"id": "f3", "kind": "figure", "value": 2, "unit": "x", "period": "d9"}, "period"),
        ({"id": "p1", "kind": "person", "name": "A", "title": "Đại tá, Chỉ huy trưởng", "rank": "Đại tá"}, "also written"),
        ({"id": "p1", "kind": "person", "name": "A", "title": "x", "rank": "Đại ca"}, "rank word"),
        ({"id": "u1", "kind": "foreign_unit", "text": "x", "country": "TH", "level": "village"}, "country"),
        ({"id": "u1", "kind": "foreign_unit", "text": "x", "country": "LA", "level": "hamlet"}, "level"),
        ({"id": "u1", "kind": "foreign_unit", "text": "x", "country": "LA", "level": "village", "code": "01"}, "code"),
        ({"id": "l1", "kind": "legal_ref", "issuers": ["one"]}, "issuers"),
        ({"id": "c1", "kind": "commendation", "recipients": ["A", "B"], "individuals": 1}, "fewer"),
        ({"id": "t1", "kind": "task", "assigner": 3}, "assigner"),
    ]
    for it, msg in bad:
        errs = ev.check_optional_fields(it, items + [it])
        assert any(msg in e for e in errs), (it, errs)


def test_bad_corpus_gold_is_refused(tmp_path):
    import shutil
    base = tmp_path / "set"
    shutil.copytree(os.path.join(CORPUS, "dev", "texts"), str(base / "texts"))
    (base / "gold").mkdir()
    doc = json.load(open(os.path.join(CORPUS, "dev", "gold", "218.json"), encoding="utf-8"))
    bad = copy.deepcopy(doc)
    [f for f in bad["items"] if f["kind"] == "figure"][0]["period"] = "d99"
    p = base / "gold" / "218.json"
    p.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ev.GoldError, match="period"):
        ev.load_gold(str(p), str(base))


def test_person_titles_are_compared_without_a_rank():
    g = {"name": "Trần Tiến Hải", "title": "Chỉ huy trưởng BĐBP tỉnh Gia Lai", "rank": "Đại tá"}
    assert ev.m_person(g, {"name": "Trần Tiến Hải", "title": "Đại tá, Chỉ huy trưởng BĐBP tỉnh Gia Lai"})
    assert ev.m_person(g, {"name": "Trần Tiến Hải", "title": "Chỉ huy trưởng Bộ đội Biên phòng tỉnh Gia Lai"})
    g2 = {"name": "Thong Savoun", "title": "Tỉnh trưởng"}
    assert ev.m_person(g2, {"name": "Thong Savoun", "title": "Thiếu tướng Tỉnh trưởng"})
    assert not ev.m_person(g2, {"name": "Thong Savoun", "title": "Phó Tỉnh trưởng tỉnh Takeo"})
    # a rank is not dropped from the middle of a title
    assert not ev.m_person(g2, {"name": "Thong Savoun", "title": "Tỉnh trưởng, Đại tá"})


def test_figure_ranges_need_their_upper_end():
    g = {"value": 1, "value_to": 2, "unit": "biên chế", "of": None}
    assert ev.m_figure(g, {"value": 1, "value_to": 2, "unit": "biên chế"})
    assert not ev.m_figure(g, {"value": 1, "unit": "biên chế"})
    assert not ev.m_figure(g, {"value": 1, "value_to": 3, "unit": "biên chế"})
    money = {"value": 1e9, "value_to": 2e9, "unit": "đồng", "of": None}
    assert ev.m_figure(money, {"value": 1, "value_to": 2, "unit": "tỷ đồng"})


def place_case():
    """A text with a matched organisation, a wrong unit inside it, a wrong unit outside, a duplicate."""
    gold = {"items": [
        {"id": "o1", "kind": "organisation", "text": "chính quyền huyện Sê Pôn"},
        {"id": "u1", "kind": "unit", "text": "huyện Hướng Hóa", "code": "465", "vintage": "2024"},
        {"id": "o2", "kind": "organisation", "text": "Huyện ủy Hướng Hóa", "optional": True}],
        "ignore_spans": []}
    props = [
        {"kind": "organisation", "text": "chính quyền huyện Sê Pôn", "span": [100, 130]},
        {"kind": "unit", "text": "huyện Sê Pôn", "code": None, "span": [112, 130]},     # inside the matched body
        {"kind": "unit", "text": "huyện Hướng Hóa", "code": "465", "span": [10, 28]},
        {"kind": "unit", "text": "Hướng Hóa", "code": "465", "span": [300, 311]},        # repeated mention
        {"kind": "unit", "text": "Lao Bảo", "code": None, "span": [400, 408]},            # wrong, alone
        {"kind": "organisation", "text": "Huyện ủy Hướng Hóa", "span": [500, 524]},     # optional match
        {"kind": "foreign_unit", "text": "Hướng Hóa", "span": [510, 524]},              # inside the optional match
        {"kind": "organisation", "text": "Đồn", "span": [113, 118]},                    # not a place: not forgiven
    ]
    return gold, {"proposals": props}


def test_lenient_forgives_repeats_and_places_inside_matched_facts():
    gold, doc = place_case()
    res = ev.evaluate_text(gold, doc)
    u, fu, o = res["kinds"]["unit"], res["kinds"]["foreign_unit"], res["kinds"]["organisation"]
    assert (u["tp"], u["dup"], u["place"], u["fp_lenient"], u["fp_strict"]) == (1, 1, 1, 1, 3)
    assert (fu["place"], fu["fp_lenient"], fu["fp_strict"]) == (1, 0, 1)
    assert (o["tp"], o["optional"], o["fp_lenient"], o["fp_strict"]) == (1, 1, 1, 1)
    assert u["fp"] == u["fp_lenient"]
    assert [p["text"] for p in u["place_items"]] == ["huyện Sê Pôn"]
    strict = ev.evaluate_text(gold, doc, strict=True)
    assert strict["kinds"]["unit"]["fp"] == 3


def test_a_place_inside_an_unmatched_fact_or_a_sentence_is_not_forgiven():
    gold, doc = place_case()
    gold["items"][0]["text"] = "UBND huyện Sê Pôn"                 # the body no longer matches
    res = ev.evaluate_text(gold, doc)
    assert res["kinds"]["unit"]["place"] == 0
    gold, doc = place_case()
    doc["proposals"] = [{"kind": "event", "event_type": "meeting", "date": None, "span": [0, 1000]},
                        {"kind": "unit", "text": "Lao Bảo", "code": None, "span": [400, 408]}]
    gold["items"].append({"id": "e1", "kind": "event", "event_type": "meeting", "date": None})
    res = ev.evaluate_text(gold, doc)
    assert res["kinds"]["event"]["tp"] == 1 and res["kinds"]["unit"]["fp_lenient"] == 1   # sentences do not contain


def test_place_forgiveness_survives_malformed_spans():
    gold, doc = place_case()
    for p in doc["proposals"]:
        p["span"] = "x"
    res = ev.evaluate_text(gold, doc)
    assert res["kinds"]["unit"]["place"] == 0 and res["kinds"]["unit"]["fp_lenient"] == 2


def test_main_reports_both_views_and_the_issue15_targets(tmp_path, capsys):
    for g in corpus("dev"):
        doc = as_proposals(g)
        # a repeated proposal of each text's first fact: lenient 1.0, strict lower
        doc["proposals"].append(dict(doc["proposals"][0], id="dup"))
        write_set(tmp_path, g["_name"], doc)
    out = tmp_path / "figures.json"
    assert ev.main(["--set", "dev", "--proposals", str(tmp_path), "--json", str(out), "--summary"]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["micro_lenient"]["f1"] == 1.0 and rep["micro_strict"]["f1"] < 1.0
    assert sum(k["lenient"]["fp"] for k in rep["kinds"].values()) == 0
    assert sum(k["strict"]["fp"] for k in rep["kinds"].values()) == len(corpus("dev"))
    assert rep["issue15_targets"]["lenient"] is True
    text = capsys.readouterr().out
    assert "issue 15 targets" in text and "text 2" not in text          # --summary: no per-text tables
    assert ev.main(["--set", "dev", "--proposals", str(tmp_path), "--json", str(out), "--strict"]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["micro"]["f1"] == rep["micro_strict"]["f1"] < 1.0


def test_main_missing_kinds_fail_the_every_kind_target(tmp_path, capsys):
    for g in corpus("dev"):
        doc = as_proposals(g)
        doc["proposals"] = [p for p in doc["proposals"] if p["kind"] != "task"]
        write_set(tmp_path, g["_name"], doc)
    out = tmp_path / "figures.json"
    assert ev.main(["--set", "dev", "--proposals", str(tmp_path), "--json", str(out), "--summary"]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["issue15_targets"]["every_kind"] is False and rep["issue15_targets"]["kinds_below"] == ["task"]


def test_the_test_split_is_frozen_for_verbose_listings(tmp_path, capsys):
    assert ev.main(["--set", "test", "-v", "--proposals", str(tmp_path)]) == 2
    assert "frozen" in capsys.readouterr().err
    assert ev.main(["--set", "corpus", "-v", "--proposals", str(tmp_path)]) == 2
    for g in corpus("test"):
        write_set(tmp_path, g["_name"], as_proposals(g))
    assert ev.main(["--set", "test", "--proposals", str(tmp_path), "--summary"]) == 0
    assert ev.main(["--set", "test", "-v", "--unfreeze-test", "--proposals", str(tmp_path)]) == 0


def test_main_runs_the_binary_on_the_corpus(tmp_path, capsys):
    """The stand-in binary is handed the corpus texts from their split's directory."""
    sets = tmp_path / "sets"
    sets.mkdir()
    for g in corpus("dev") + corpus("test"):
        write_set(str(sets), g["_name"], as_proposals(g))
    seen = tmp_path / "seen"
    fake = tmp_path / "giapranh"
    fake.write_text("#!/bin/sh\n"
                    "for a in \"$@\"; do case \"$a\" in\n"
                    "  init) exit 0;;\n"
                    "  --help) exit 0;;\n"
                    "  tests/ingest/corpus/*/texts/*) echo \"$a\" >> '%s'; n=$(basename \"$a\" .txt);"
                    " cat '%s'/$n.json; exit 0;;\n"
                    "esac; done\nexit 3\n" % (seen, sets))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    first_dev, first_test = corpus("dev")[0]["_name"], corpus("test")[0]["_name"]
    assert ev.main(["--bin", str(fake), "--set", "corpus", "--only", first_dev, "--only", first_test]) == 0
    assert seen.read_text().split() == ["tests/ingest/corpus/dev/texts/%s.txt" % first_dev,
                                        "tests/ingest/corpus/test/texts/%s.txt" % first_test]
    assert "(corpus set, 2 texts)" in capsys.readouterr().out
