"""
`giapranh ingest` end to end (issue 9): each of the five source reports,
ingested and accepted with no retyping, yields records from which its review
report (`giapranh report --scope … --format json`, the document model every
renderer reads) shows the report's own figures.

Every case runs on a fresh database made with `init` only (administrative
units, no demo data: nobody and nothing is pre-matched), with the texts of
tests/ingest/texts/ and the publication dates of tests/ingest/gold/ (the
official enters it when the text has no dateline, as --date).

"Accept all" accepts every pre-selected proposal: a news page's list of
other articles ("Cùng chuyên mục") is proposed unticked and left out.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse

import pytest

from conftest import BIN, REPO

TEXTS = os.path.join(REPO, "tests", "ingest", "texts")
GOLD = os.path.join(REPO, "tests", "ingest", "gold")
DATA = os.path.join(REPO, "data")


def db_url(db):
    """A database URL, or a SQLite file path."""
    return db if db.startswith(("sqlite:", "postgresql:", "postgres:")) else "sqlite:" + db


def run(args, db, files=None, ok=True, stdin=None):
    env = dict(os.environ)
    if files:
        env["GIAPRANH_FILES"] = files
    p = subprocess.run([BIN, "--db", db_url(db), "--data", DATA] + args,
                       capture_output=True, text=True, env=env, input=stdin,
                       timeout=300)
    if ok:
        assert p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stderr}"
    return p


def pub_date(n):
    with open(os.path.join(GOLD, n + ".json"), encoding="utf-8") as f:
        return json.load(f)["source"]["publication_date"]


_TEMPLATE = []


# GIAPRANH_E2E_DB_URL (a PostgreSQL URL, as for the rest of tests/e2e): each
# case on its own database named after it (NAME_KEY), dropped and made anew.
E2E_DB_URL = os.environ.get("GIAPRANH_E2E_DB_URL")
_PG_TEMPLATE = []  # the name of pg_fresh's template, once made


def _psql_admin(url, sql):
    q = f"?{url.query}" if url.query else ""
    admin = f"{url.scheme}://{url.netloc}/postgres{q}"
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql],
                   check=True, capture_output=True, timeout=120)


def pg_fresh(key):
    """A database as `init` leaves it: `init` runs once per process into a
    template (about 15 s under ASan), each database is a copy of it."""
    url = urllib.parse.urlsplit(E2E_DB_URL)
    base = urllib.parse.unquote(url.path.lstrip("/"))
    name = base + "_" + key
    assert name and not name.startswith("postgres")
    q = f"?{url.query}" if url.query else ""
    if not _PG_TEMPLATE:
        tpl = base + "_inittpl"
        _psql_admin(url, f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')
        _psql_admin(url, f'CREATE DATABASE "{tpl}"')
        run(["init"], f"{url.scheme}://{url.netloc}/{tpl}{q}")
        _PG_TEMPLATE.append(tpl)
    _psql_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql_admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{_PG_TEMPLATE[0]}"')
    return f"{url.scheme}://{url.netloc}/{name}{q}"


def fresh_db(tmp):
    """A database as `init` leaves it (units, no demo): made once, copied."""
    if E2E_DB_URL:
        key = "".join(c for c in os.path.basename(tmp.rstrip("/")).lower() if c.isalnum())
        return pg_fresh(key[-40:])
    if not _TEMPLATE:
        d = tempfile.mkdtemp(prefix="gp-ingest-init-")
        t = os.path.join(d, "init.db")
        run(["init"], t)
        _TEMPLATE.append(t)
    db = os.path.join(tmp, "ingest.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(_TEMPLATE[0] + suffix):
            shutil.copyfile(_TEMPLATE[0] + suffix, db + suffix)
    return db


def counts(db):
    return json.loads(run(["stats", "--json"], db).stdout)["entities"]


def report(db, scope):
    return json.loads(run(["report", "--scope", scope, "--format", "json"], db).stdout)


def texts_and_numbers(model):
    """Every text of a report model (title, paragraphs, headings, text
    cells) and every number of its tables."""
    texts, numbers = [model.get("title", "")], []
    for sec in model.get("sections", []):
        for b in sec.get("blocks", []):
            if b.get("type") in ("paragraph", "heading"):
                texts.append(b["text"])
            elif b.get("type") == "table":
                for row in b.get("rows", []):
                    for cell in row:
                        if isinstance(cell, str):
                            texts.append(cell)
                            # a qualified figure ("trên 3,6") is shown with
                            # its qualifier (issue 16): still the figure
                            m = re.fullmatch(r"[^\W\d]+(?: [^\W\d]+)? (-?\d{1,3}(?:\.\d{3})*(?:,\d+)?)",
                                             cell)
                            if m:
                                numbers.append(float(m.group(1).replace(".", "")
                                                     .replace(",", ".")))
                        elif isinstance(cell, (int, float)) and cell is not True:
                            numbers.append(float(cell))
    return "\n".join(texts), numbers


def has_number(numbers, v):
    return any(abs(x - v) < 1e-6 for x in numbers)


# ---- the five reports ------------------------------------------------------------

# text -> (scope kind, phrases the report must show, numbers its tables must hold)
CASES = {
    # Si Ma Cai, Bắc Hà, Xín Mần: review of the 2023 coordination regulation;
    # the area it covers ("Ba huyện có 16 xã với 122 thôn") opens the report
    "000": [("agreement", ["Quy chế phối hợp", "31/10/2023",
                           "Đã khen thưởng 3 tập thể và 6 cá nhân",
                           "16 xã với 122 thôn"], [3, 6])],
    # Lào Cai's Standing Committee with Si Ma Cai: 22 target groups; the
    # named indicators as written (fractions, money in triệu đồng)
    "001": [("target_set", ["13/22 nhóm mục tiêu đạt từ 100% trở lên",
                            "9/22 nhóm đạt từ 70% trở lên"], []),
            ("target_set", ["Tỷ lệ bao phủ bảo hiểm y tế", "30/41", "4/9",
                            "triệu đồng/ha"],
             [10.5, 59, 97.4, 7, 48])],
    # Hà Giang: one year of twinning, 33/34 signed, 97 %
    "002": [("program", ["đã ký kết 33/34 theo kế hoạch, đạt 97%", "05/12/2017"], [])],
    # Sơn La: help under Decision 2523 (its subject, "giúp đỡ 106 xã", is
    # written at its second mention), 22 collectives commended
    "003": [("agreement", ["2523/QĐ-UBND", "08/05/2017", "giúp đỡ 106 xã",
                           "Đã khen thưởng 22 tập thể"], [22])],
    # Cao Bằng: supervision of Conclusion 160 in Trùng Khánh
    "004": [("supervision", ["trên 23.000", "21/09/2023"],
             [321, 23000, 638, 4932, 184.5, 81.6, 80.7, 3.6, 100])],
}

# Figures the report must not show: what is asked for in a recommendation
# is not a result ("tăng từ 37 đồng chí lên 39 đồng chí"), money is shown in
# the scale the text writes.
NOT_SHOWN = {
    "001": [("target_set", [37, 39, 48000000])],
}


def ingest_accept_all(tmp, n):
    db = fresh_db(tmp)
    files = os.path.join(tmp, "files")
    out = run(["ingest", os.path.join(TEXTS, n + ".txt"), "--date", pub_date(n),
               "--accept", "all", "--format", "json"], db, files=files).stdout
    return db, json.loads(out)


def scopes_of(result, kind):
    return [s for s in result["scopes"] if s.startswith(kind + ":")]


@pytest.fixture(scope="module")
def ingested():
    """Each text ingested and accepted once, on its own fresh database."""
    tmp = tempfile.mkdtemp(prefix="gp-ingest-")
    out = {}
    for n in sorted(CASES):
        d = os.path.join(tmp, n)
        os.mkdir(d)
        out[n] = ingest_accept_all(d, n)
    return out


@pytest.mark.parametrize("n", sorted(CASES))
def test_report_shows_the_texts_figures(ingested, n):
    db, result = ingested[n]
    # "accept all": every pre-selected proposal (002's related articles are not)
    assert result["accepted"] > 0 and (result["rejected"] == 0 or n == "002"), result
    assert result["created"], result
    wanted = CASES[n]
    # every case names a scope kind; several cases of one kind take the
    # scopes in the order the records were created
    used = {}
    for kind, phrases, numbers in wanted:
        scopes = scopes_of(result, kind)
        i = used.get(kind, 0)
        used[kind] = i + 1
        assert len(scopes) > i, f"{n}: no {kind} scope in {result['scopes']}"
        text, nums = texts_and_numbers(report(db, scopes[i]))
        for ph in phrases:
            assert ph in text, f"{n} {scopes[i]}: '{ph}' not in the report:\n{text[:3000]}"
        for v in numbers:
            assert has_number(nums, v), f"{n} {scopes[i]}: {v} not in {sorted(set(nums))}"


@pytest.mark.parametrize("n", sorted(NOT_SHOWN))
def test_report_leaves_out_what_is_not_a_result(ingested, n):
    db, result = ingested[n]
    for kind, numbers in NOT_SHOWN[n]:
        for sc in scopes_of(result, kind):
            _, nums = texts_and_numbers(report(db, sc))
            for v in numbers:
                assert not has_number(nums, v), f"{n} {sc}: {v} in {sorted(set(nums))}"


def test_related_articles_are_not_preselected(ingested):
    """002 is a news page: under "Cùng chuyên mục" it lists other articles
    (a review of Decision 49/2015, a coordination regulation…).  Those are
    kept as proposals, unticked and with low confidence; "accept all" leaves
    them out, so no meeting or document comes from them."""
    db, result = ingested["002"]
    with open(os.path.join(TEXTS, "002.txt"), encoding="utf-8") as f:
        text = f.read().encode("utf-8")
    chrome = text.index("Cùng chuyên mục".encode("utf-8"))
    batch = json.loads(run(["export", "ingest_batch", "--format", "json"], db).stdout)[0]
    props = json.loads(batch["proposals_json"])["proposals"]
    after = [p for p in props if p["span"][0] >= chrome]
    before = [p for p in props if p["span"][0] < chrome]
    assert after and before
    assert all(p.get("preselect") is False and p["confidence"] <= 0.3 for p in after)
    assert all(p.get("preselect", True) is True for p in before)
    assert result["rejected"] == len(after)
    decisions = json.loads(run(["export", "ingest_decision", "--format", "json"], db).stdout)
    by_id = {d["proposal_id"]: d for d in decisions}
    assert all(by_id[p["id"]]["decision"] == "rejected" for p in after)
    meetings = json.loads(run(["export", "meeting", "--format", "json"], db).stdout)
    assert len(meetings) == 1 and meetings[0]["held_on"] == "2017-12-05", meetings
    docs = json.loads(run(["export", "document", "--format", "json"], db).stdout)
    assert not any("49/2015" in (d["number_symbol"] or "") + d["title"] for d in docs)


def test_records_link_back_to_the_source(ingested):
    db, result = ingested["004"]
    doc = result["document_id"]
    assert doc > 0
    # the text is kept as the document's attachment
    d = json.loads(run(["export", "document", "--format", "json"], db).stdout)
    src = [x for x in d if x["id"] == doc][0]
    assert src["attachment_id"], src
    atts = json.loads(run(["export", "attachment", "--format", "json"], db).stdout)
    att = [a for a in atts if a["id"] == src["attachment_id"]][0]
    assert att["owner_entity"] == "document" and att["owner_id"] == doc
    assert att["content_type"].startswith("text/plain")
    # the meeting's note and the documents cited name the source
    meetings = json.loads(run(["export", "meeting", "--format", "json"], db).stdout)
    assert meetings and all("Nguồn:" in (m["note"] or "") for m in meetings)
    cited = [x for x in d if x["id"] != doc]
    assert cited and all(x["related_document_id"] == doc for x in cited)
    # every write is in the audit log, by the CLI
    audit = json.loads(run(["export", "audit_log", "--format", "json"], db).stdout)
    created = {(c["entity"], c["id"]) for c in result["created"]}
    logged = {(a["entity"], a["record_id"]) for a in audit if a["action"] == "create"}
    assert created <= logged
    # the batch is decided and every decision names its record
    batches = json.loads(run(["export", "ingest_batch", "--format", "json"], db).stdout)
    assert [b["state"] for b in batches] == ["accepted"]
    decisions = json.loads(run(["export", "ingest_decision", "--format", "json"], db).stdout)
    assert len(decisions) == result["accepted"]
    assert any(x["record_entity"] == "supervision" for x in decisions)


# ---- dry run, partial acceptance, rollback, roles ------------------------------------


def test_dry_run_writes_nothing(tmp_path):
    db = fresh_db(str(tmp_path))
    files = str(tmp_path / "files")
    before = counts(db)
    p = run(["ingest", os.path.join(TEXTS, "004.txt"), "--date", "2023-09-21",
             "--dry-run", "--format", "json"], db, files=files)
    doc = json.loads(p.stdout)
    assert doc["proposals"] and doc["source"]["publication_date"] == "2023-09-21"
    assert counts(db) == before
    assert not os.path.exists(files)
    # text format: a readable Vietnamese list, still nothing written
    p = run(["ingest", os.path.join(TEXTS, "004.txt"), "--dry-run"], db, files=files)
    assert "Số liệu" in p.stdout and "Sự kiện, hội nghị" in p.stdout
    assert counts(db) == before
    # no database at all: none is created
    ghost = str(tmp_path / "none.db")
    run(["ingest", os.path.join(TEXTS, "004.txt"), "--dry-run", "--format", "json"], ghost)
    assert not os.path.exists(ghost)


def test_pending_then_nothing_written_without_acceptance(tmp_path):
    db = fresh_db(str(tmp_path))
    before = counts(db)
    p = run(["ingest", os.path.join(TEXTS, "004.txt"), "--date", "2023-09-21",
             "--format", "json"], db, files=str(tmp_path / "files"))
    out = json.loads(p.stdout)
    assert out["batch_id"] > 0 and out["proposals"] > 0
    after = counts(db)
    # only the source: its document, the text as attachment, the batch
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"document", "attachment", "ingest_batch", "audit_log"}, changed
    # accept none: every proposal rejected, still no record
    p = run(["ingest", os.path.join(TEXTS, "004.txt"), "--date", "2023-09-21",
             "--accept", "none", "--format", "json"], db, files=str(tmp_path / "files"))
    res = json.loads(p.stdout)
    assert res["accepted"] == 0 and res["created"] == []
    now = counts(db)
    assert now["meeting"] == before["meeting"] and now["supervision"] == 0


def test_only_accepted_proposals_are_written(tmp_path):
    db = fresh_db(str(tmp_path))
    set_ = json.loads(run(["ingest", os.path.join(TEXTS, "004.txt"), "--date",
                           "2023-09-21", "--dry-run", "--format", "json"], db).stdout)
    kinds = {}
    for p in set_["proposals"]:
        kinds.setdefault(p["kind"], []).append(p["id"])
    # the event and the organisations, but no figure, task or recommendation
    keep = kinds["event"] + kinds.get("organisation", []) + kinds.get("legal_ref", [])
    res = json.loads(run(["ingest", os.path.join(TEXTS, "004.txt"), "--date", "2023-09-21",
                          "--accept", ",".join(keep), "--format", "json"], db,
                         files=str(tmp_path / "files")).stdout)
    assert res["accepted"] == len(keep)
    c = counts(db)
    assert c["supervision"] == 1
    assert c["supervision_finding"] == 0 and c["task"] == 0 and c["recommendation"] == 0
    decisions = json.loads(run(["export", "ingest_decision", "--format", "json"], db).stdout)
    rejected = [d for d in decisions if d["decision"] == "rejected"]
    assert rejected and all(d["record_id"] is None for d in rejected)
    batch = json.loads(run(["export", "ingest_batch", "--format", "json"], db).stdout)[0]
    assert batch["state"] == "partial"


def hand_set(tmp_path, proposals):
    path = tmp_path / "set.json"
    path.write_text(json.dumps({
        "source": {"name": "tay.txt", "title": "Văn bản thử", "publication_date": "2023-10-31",
                   "publication_date_source": "option"},
        "text_length": 0, "proposals": proposals}, ensure_ascii=False), encoding="utf-8")
    return str(path)


EVENT = {"id": "e1", "kind": "event", "span": [0, 10], "quote": "Ngày 31/10",
         "confidence": 0.9, "event_type": "review_conference", "date": "2023-10-31",
         "date_text": "Ngày 31/10", "place_text": "huyện Si Ma Cai",
         "place_unit": {"code": "084", "vintage": "2024"}, "title": "Hội nghị thử"}


def test_a_bad_proposal_is_reported_and_the_rest_written(tmp_path):
    """Issue 15: accept never fails as a whole.  A proposal the records
    refuse (5000 collectives: more placeholders than one figure may stand
    for) is rolled back alone - its own savepoint - and reported by id with a
    Vietnamese reason; the event before it stays written, the batch is
    decided "partial" and the decision says why."""
    db = fresh_db(str(tmp_path))
    bad = {"id": "c7", "kind": "commendation", "span": [0, 5], "quote": "x",
           "confidence": 0.5, "form": "Bằng khen", "issuer": "UBND tỉnh",
           "collectives": 5000, "individuals": None, "date": None}
    path = hand_set(tmp_path, [EVENT, bad])
    before = counts(db)
    p = run(["ingest", os.path.join(TEXTS, "000.txt"), "--proposals", path,
             "--accept", "all", "--format", "json"], db, files=str(tmp_path / "files"))
    res = json.loads(p.stdout)
    assert [f["proposal"] for f in res["failed"]] == ["c7"], res["failed"]
    assert res["failed"][0]["kind"] == "commendation"
    assert "tập thể" in res["failed"][0]["reason"], res["failed"][0]
    after = counts(db)
    assert after["meeting"] == before["meeting"] + 1
    # nothing of c7 is half-written: no commendation, no issuer made for it
    assert after["commendation"] == 0
    assert after["organisation"] == before["organisation"], (before, after)
    batch = json.loads(run(["export", "ingest_batch", "--format", "json"], db).stdout)
    assert [b["state"] for b in batch] == ["partial"]
    decisions = {d["proposal_id"]: d for d in json.loads(
        run(["export", "ingest_decision", "--format", "json"], db).stdout)}
    assert decisions["c7"]["decision"] == "not_written"
    assert decisions["c7"]["record_id"] is None
    assert decisions["c7"]["note"].startswith("Không ghi được"), decisions["c7"]
    assert decisions["e1"]["decision"] == "accepted"
    # the text format names it too
    path2 = hand_set(tmp_path, [EVENT, bad])
    p = run(["ingest", os.path.join(TEXTS, "000.txt"), "--proposals", path2,
             "--accept", "all"], db, files=str(tmp_path / "files"))
    assert "Không ghi được 1 đề xuất" in p.stdout and "c7" in p.stdout, p.stdout


def test_edits_in_a_hand_checked_set_and_acting_user(tmp_path):
    db = fresh_db(str(tmp_path))
    run(["user", "add", "--login", "xem", "--role", "viewer"], db, stdin="mat-khau-thu-1\n")
    run(["user", "add", "--login", "smc", "--role", "editor", "--unit", "084"], db,
        stdin="mat-khau-thu-2\n")
    fig = {"id": "f1", "kind": "figure", "span": [0, 5], "quote": "321 cuộc",
           "confidence": 0.8, "text": "321 cuộc", "value": 321, "unit": "cuộc",
           "qualifier": None, "of": None, "percent": None,
           "subject": "tuyên truyền", "proposed_as": "activity_quantity", "event": "e1"}
    path = hand_set(tmp_path, [EVENT, fig])
    # a viewer may not write: nothing is
    p = run(["ingest", os.path.join(TEXTS, "000.txt"), "--proposals", path,
             "--accept", "all", "--as", "xem"], db, files=str(tmp_path / "f"), ok=False)
    assert p.returncode == 1 and counts(db)["meeting"] == 0, p.stderr
    # an editor of Si Ma Cai may, and the audit log names them
    res = json.loads(run(["ingest", os.path.join(TEXTS, "000.txt"), "--proposals", path,
                          "--accept", "all", "--as", "smc", "--format", "json"], db,
                         files=str(tmp_path / "f")).stdout)
    ents = sorted(c["entity"] for c in res["created"])
    assert ents == ["activity", "activity_quantity", "meeting"], ents
    q = json.loads(run(["export", "activity_quantity", "--format", "json"], db).stdout)
    assert q[0]["measure"] == "sessions" and q[0]["value"] == 321
    audit = json.loads(run(["export", "audit_log", "--format", "json"], db).stdout)
    assert any(a["actor"] == "smc" and a["entity"] == "meeting" for a in audit)
