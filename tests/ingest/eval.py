#!/usr/bin/python3
"""Evaluate `giapranh ingest` against the hand annotations of tests/ingest/gold/.

`--set seed` (the default) is the five source reports the extractor was tuned on
(tests/ingest/texts, tests/ingest/gold); `--set heldout` is the held-out set
(tests/ingest/heldout/texts, tests/ingest/heldout/gold) that measures how it generalises;
`--set dev` and `--set test` are the two halves of the border-area corpus of issue 15
(tests/ingest/corpus/{dev,test}: 47 real texts, split by the SHA-256 of their URL; test is
frozen, so `-v` on it needs `--unfreeze-test`); `--set corpus` is both halves, `--set all`
every set.  For each text NNN it runs

    $GIAPRANH_BIN --db sqlite:TMP --data DATA ingest tests/ingest/[heldout/]texts/NNN.txt \
        --dry-run --format json --date PUBDATE

(PUBDATE from the gold file; TMP is a fresh database made by `giapranh init`, without
--demo, so that people are not pre-matched), matches the proposals to the gold items of
each kind one-to-one with the rules in README.md, and prints precision, recall and F1 per
kind and per text, and micro totals, lenient and strict: lenient forgives a repeated
proposal of a matched fact and a place name inside a matched fact, strict counts both as
false positives (README.md, "Scoring: lenient and strict").  Python 3 standard library only.

A held-out text may be an .html page: the extractor reads the page itself, and its spans are
into the plain text it derives, which the judge does not know.  Such a gold file names a
hand-derived `plain_text` (the visible text, block elements on their own lines): quotes and
spans are checked against it, ignored spans are applied by the proposal's quote, and the
matching is by fields only (as for every text: spans are never compared).

Exit status: 0 when every text was ingested (whatever the scores); 1 when the extractor
crashed or printed something that is not a proposal set for some text; 2 when the
evaluation could not start (no binary, no `ingest` command, bad gold file, bad option).
"""

import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Evaluation sets: name -> directory holding texts/ and gold/.  "seed" is the five source
# reports the rules were tuned on; "heldout" the texts written to judge generalisation.
SETS = {"seed": HERE, "heldout": os.path.join(HERE, "heldout"),
        "dev": os.path.join(HERE, "corpus", "dev"), "test": os.path.join(HERE, "corpus", "test")}
# `--set` names: one set, or several.  "dev" and "test" are the two halves of the border-area
# corpus (issue 15, corpus/): dev is for tuning, test is frozen (see README.md).
SET_GROUPS = {"seed": ["seed"], "heldout": ["heldout"], "dev": ["dev"], "test": ["test"],
              "corpus": ["dev", "test"], "all": ["seed", "heldout", "dev", "test"]}
SET_CHOICES = list(SET_GROUPS)

KINDS = ["event", "date", "person", "unit", "foreign_unit", "organisation",
         "legal_ref", "figure", "commendation", "recommendation", "task"]

# F1 targets of issue 9 (kinds without a target are reported, not judged).
TARGETS = {"date": 0.9, "legal_ref": 0.9, "figure": 0.9, "person": 0.8, "unit": 0.8}

# Fields each gold item of a kind must carry (the contract's fields, docs/INGEST.md).
GOLD_FIELDS = {
    "event": ["event_type", "date"],
    "date": ["text", "start", "end", "granularity"],
    "person": ["name", "title", "role"],
    "unit": ["text", "level", "code", "vintage"],
    "foreign_unit": ["text", "country"],
    "organisation": ["text", "org_kind"],
    "legal_ref": ["text", "doc_kind", "number", "date", "issuer"],
    "figure": ["text", "value", "unit", "qualifier", "of", "percent", "subject"],
    "commendation": ["form", "issuer", "collectives", "individuals"],
    "recommendation": ["from", "to", "content"],
    "task": ["assignee", "content", "due"],
}

# Attributes compared on matched pairs (reported as agreement, not used for matching).
ATTRIBUTES = {
    "event": ["event_type"],
    "person": ["role"],
    "unit": ["level"],
    "legal_ref": ["doc_kind", "date"],
    "figure": ["qualifier"],
    "organisation": ["org_kind"],
}

TITLE_DICE = 0.8       # person: title token overlap
ORG_DICE = 0.8         # organisation: name token overlap
CONTENT_OVERLAP = 0.5  # recommendation, task: content token overlap

# ---------------------------------------------------------------- folding


def fold(s):
    """Lowercase, strip Vietnamese diacritics (đ -> d), collapse white space."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "d").replace("đ", "d"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.lower().replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip()


# Abbreviations written in titles and body names, expanded before token comparison.
ABBREV = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "btv": "ban thuong vu",
    "bch": "ban chap hanh", "mttq": "mat tran to quoc", "dbqh": "dai bieu quoc hoi",
    "bdbp": "bo doi bien phong", "bchqs": "bo chi huy quan su", "chqs": "chi huy quan su",
    "ubkt": "uy ban kiem tra",
    "cand": "cong an nhan dan", "qdnd": "quan doi nhan dan",
}


def tokens(s, expand=False):
    toks = re.findall(r"[a-z0-9]+", fold(s))
    if not expand:
        return toks
    out = []
    for t in toks:
        out.extend(ABBREV.get(t, t).split())
    return out


def multiset_dice(a, b):
    if not a or not b:
        return 0.0
    ca, cb = {}, {}
    for t in a:
        ca[t] = ca.get(t, 0) + 1
    for t in b:
        cb[t] = cb.get(t, 0) + 1
    inter = sum(min(n, cb.get(t, 0)) for t, n in ca.items())
    return 2.0 * inter / (len(a) + len(b))


def set_overlap(a, b):
    """|A ∩ B| / max(|A|, |B|) on token sets: half of each side must be shared."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / max(len(sa), len(sb))


def num(x):
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(str(x).replace(",", "."))
    except ValueError:
        return None


def num_eq(a, b):
    a, b = num(a), num(b)
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------- matching rules

def m_event(g, p):
    types = [g["event_type"]] + g.get("alt_event_types", [])
    return p.get("event_type") in types and (p.get("date") or None) == g["date"]


def m_date(g, p):
    return p.get("start") == g["start"] and p.get("end") == g["end"]


HONORIFIC = re.compile(r"^(dong chi|d/c|đ/c)\s+")

# Military and police ranks written before a name or a title ("Đại tá, Phó Chỉ huy trưởng …").
# The corpus gold keeps the rank in `rank` and the extractor keeps it in the title, so titles
# are compared with a leading rank dropped on both sides.
RANK_WORDS = ["dai tuong", "thuong tuong", "trung tuong", "thieu tuong", "dai ta", "thuong ta",
              "trung ta", "thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy", "chuan uy"]


def title_tokens(title):
    toks = tokens(title)
    if len(toks) >= 2 and " ".join(toks[:2]) in RANK_WORDS:
        toks = toks[2:]
    out = []
    for t in toks:
        out.extend(ABBREV.get(t, t).split())
    return out


def m_person(g, p):
    name = HONORIFIC.sub("", fold(p.get("name")))
    if not name or name != fold(g["name"]):
        return False
    if g["title"] is None:
        return True
    pt = title_tokens(p.get("title"))
    return any(multiset_dice(pt, title_tokens(t)) >= TITLE_DICE
               for t in [g["title"]] + g.get("alt_titles", []))


UNIT_TYPES = ["thanh pho trung uong", "thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan",
              "xa", "phuong", "thon", "ban", "to dan pho", "tp", "tt"]
FOREIGN_TYPES = ["khu tu tri", "thanh pho", "thi tran", "tinh", "huyen", "huong", "tran", "chau",
                 "ban", "muong", "khoueng", "tp"]


def name_forms(s, types):
    """The folded name, and the name without a leading type word ("xã Bản Máy" -> "ban may")."""
    s = fold(s)
    forms = {s} if s else set()
    for t in types:
        if s.startswith(t + " "):
            forms.add(s[len(t) + 1:].strip())
            break
    return forms


def same_name(p_text, g_texts, types):
    pf = name_forms(p_text, types)
    return any(pf & name_forms(t, types) for t in g_texts)


def m_unit(g, p):
    if g.get("code"):
        if str(p.get("code") or "") != g["code"]:
            return False
        v = p.get("vintage")
        return v is None or str(v) == str(g["vintage"])
    return same_name(p.get("text"), [g["text"]] + g.get("mentions", []), UNIT_TYPES)


def m_foreign_unit(g, p):
    return same_name(p.get("text"), [g["text"]] + g.get("mentions", []), FOREIGN_TYPES)


def m_organisation(g, p):
    pt = tokens(p.get("text"), expand=True)
    return any(multiset_dice(pt, tokens(t, expand=True)) >= ORG_DICE
               for t in [g["text"]] + g.get("mentions", []))


def norm_number(s):
    s = fold(s)
    s = re.sub(r"^so\s*", "", s)
    s = s.replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", "", s)


def m_legal_ref(g, p):
    pn = norm_number(p.get("number"))
    if g["number"]:
        gnums = [norm_number(n) for n in [g["number"]] + g.get("alt_numbers", [])]
        if pn in gnums:
            return True
        # "Kết luận số 160" written without its symbol: the digits alone match the full
        # symbol (160 ~ 160-KL/TU) when the kinds agree.
        if fold(p.get("doc_kind")) != fold(g["doc_kind"]) or not pn:
            return False
        for gn in gnums:
            a, b = (pn, gn) if pn.isdigit() else (gn, pn)
            if a.isdigit():
                m = re.match(r"\d+", b)
                if m and int(m.group(0)) == int(a):
                    return True
        return False
    return (not pn and fold(p.get("doc_kind")) == fold(g["doc_kind"])
            and (p.get("date") or None) == g["date"])


SCALE = {"nghin": 1e3, "ngan": 1e3, "trieu": 1e6, "ty": 1e9, "ti": 1e9}


def canon_quantity(value, unit):
    """(value, unit tokens) with a leading scale word applied: 48 triệu đồng/ha -> 48e6 đồng/ha."""
    u = fold(unit).rstrip(",.;: ")
    toks = re.findall(r"[a-z0-9]+|%|/", u)
    v = num(value)
    if toks and toks[0] in SCALE and v is not None:
        v *= SCALE[toks[0]]
        toks = toks[1:]
    if toks[:2] == ["phan", "tram"]:
        toks = ["%"] + toks[2:]
    return v, toks


def m_figure(g, p):
    if g.get("of") is not None and not num_eq(p.get("of"), g["of"]):
        return False
    # A range ("từ 1 - 2 biên chế") is matched with its upper end too: the extractor outputs
    # `value_to`, and a range read as its lower end alone is a different figure.
    if g.get("value_to") is not None:
        gv, _ = canon_quantity(g["value_to"], g["unit"])
        pv, _ = canon_quantity(p.get("value_to"), p.get("unit"))
        if not num_eq(pv, gv):
            return False
    gvalues = [g["value"]] + g.get("alt_values", [])
    for gu in [g["unit"]] + g.get("alt_units", []):
        for gvalue in gvalues:
            gv, gt = canon_quantity(gvalue, gu)
            pv, pt = canon_quantity(p.get("value"), p.get("unit"))
            if gt == ["%"]:
                # A percentage: unit "%" (or none) with the value, or the percent field.
                if (pt in (["%"], []) and num_eq(pv, gv)) or num_eq(p.get("percent"), gv):
                    return True
                continue
            if not num_eq(pv, gv) or not pt:
                continue
            n = min(len(pt), len(gt))
            if pt[:n] == gt[:n]:  # "lượt người" ~ "lượt người nghe", "xã" ~ "xã, thị trấn"
                return True
    return False


def count_eq(a, b):
    a = 0 if a is None else num(a)
    b = 0 if b is None else num(b)
    return a is not None and b is not None and num_eq(a, b)


def m_commendation(g, p):
    return (fold(p.get("form")) == fold(g["form"]) and count_eq(p.get("collectives"), g["collectives"])
            and count_eq(p.get("individuals"), g["individuals"]))


def content_of(p):
    return p.get("content") or p.get("quote") or ""


def m_recommendation(g, p):
    return set_overlap(tokens(content_of(p)), tokens(g["content"])) >= CONTENT_OVERLAP


m_task = m_recommendation

MATCHERS = {
    "event": m_event, "date": m_date, "person": m_person, "unit": m_unit,
    "foreign_unit": m_foreign_unit, "organisation": m_organisation, "legal_ref": m_legal_ref,
    "figure": m_figure, "commendation": m_commendation, "recommendation": m_recommendation,
    "task": m_task,
}


def matches(kind, g, p):
    try:
        return bool(MATCHERS[kind](g, p))
    except (TypeError, AttributeError, ValueError):
        return False  # a malformed proposal field never matches


def max_matching(golds, props, kind):
    """Maximum one-to-one matching (augmenting paths); returns {prop index: gold index}."""
    adj = [[gi for gi, g in enumerate(golds) if matches(kind, g, p)] for p in props]
    gold_to = {}

    def augment(pi, seen):
        for gi in adj[pi]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in gold_to or augment(gold_to[gi], seen):
                gold_to[gi] = pi
                return True
        return False

    for pi in range(len(props)):
        augment(pi, set())
    return {pi: gi for gi, pi in gold_to.items()}


def score_kind(kind, golds, props, strict=False):
    """Counts for one kind of one text, and the pairs for the attribute agreement.

    Proposals are matched one-to-one to the required gold items, then the rest to optional
    items.  Of the remaining proposals, those that match a required item are repeated
    mentions (`dup_items`), the others false positives (`fp_items`).  `fp` counts the false
    positives and, with `strict`, the repeated mentions too; `evaluate_text` adjusts `fp` for
    the lenient view (place names inside matched facts) and records both views."""
    req = [g for g in golds if not g.get("optional")]
    opt = [g for g in golds if g.get("optional")]
    res = {"tp": 0, "fp": 0, "fn": 0, "dup": 0, "optional": 0, "place": 0,
           "fn_items": [], "fp_items": [], "dup_items": [], "place_items": [], "pairs": [],
           "matched_props": []}
    m1 = max_matching(req, props, kind)
    res["tp"] = len(m1)
    res["pairs"] = [(req[gi], props[pi]) for pi, gi in m1.items()]
    res["matched_props"] = [props[pi] for pi in m1]
    matched_gold = set(m1.values())
    res["fn_items"] = [g for gi, g in enumerate(req) if gi not in matched_gold]
    res["fn"] = len(res["fn_items"])
    rest = [p for pi, p in enumerate(props) if pi not in m1]
    m2 = max_matching(opt, rest, kind)
    res["optional"] = len(m2)
    res["matched_props"] += [rest[pi] for pi in m2]
    rest = [p for pi, p in enumerate(rest) if pi not in m2]
    for p in rest:
        if any(matches(kind, g, p) for g in req):
            res["dup"] += 1
            res["dup_items"].append(p)
        elif any(matches(kind, g, p) for g in opt):
            res["optional"] += 1
            res["matched_props"].append(p)
        else:
            res["fp_items"].append(p)
    res["fp"] = len(res["fp_items"]) + (res["dup"] if strict else 0)
    return res


# Lenient scoring forgives a place name inside a matched fact: a false-positive `unit` or
# `foreign_unit` proposal whose span lies within the span of a proposal of another of these
# phrase kinds that matched a gold item (required or optional) — "Mường Tè" proposed from
# "Chủ tịch UBND huyện Mường Tè" of a matched person, "Sê Pôn" from the matched organisation
# "chính quyền huyện Sê Pôn".  Sentence-level proposals (events, tasks, recommendations,
# commendations) are not containers: their span is the whole sentence.
PLACE_KINDS = ("unit", "foreign_unit")
CONTAINER_KINDS = ("person", "organisation", "legal_ref", "figure", "unit", "foreign_unit")


def span_of(p):
    s = p.get("span")
    if isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in s):
        return s
    return None


def forgive_places(kinds):
    """Move the false-positive place proposals that lie inside matched facts of another kind
    from `fp_items` to `place_items` (per text; `kinds` is evaluate_text's result)."""
    containers = [(k, span_of(p)) for k in CONTAINER_KINDS for p in kinds[k]["matched_props"]]
    containers = [(k, s) for k, s in containers if s]
    for k in PLACE_KINDS:
        r = kinds[k]
        keep = []
        for p in r["fp_items"]:
            s = span_of(p)
            if s and any(ck != k and cs[0] <= s[0] and s[1] <= cs[1] and cs != s for ck, cs in containers):
                r["place_items"].append(p)
            else:
                keep.append(p)
        r["fp_items"] = keep
        r["place"] = len(r["place_items"])


def both_views(r):
    """The lenient and strict false-positive counts of one kind's result."""
    lenient = len(r["fp_items"])
    strict = lenient + r["dup"] + r["place"]
    return lenient, strict


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    if p is None or r is None:
        f = None
    else:
        f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


# ---------------------------------------------------------------- gold

class GoldError(Exception):
    pass


_UNITS = {}


def admin_units():
    """{vintage: {code: level}} and {2024 code: set of 2025 codes} from data/admin-units."""
    if not _UNITS:
        d = os.path.join(ROOT, "data", "admin-units")
        for v in ("2024", "2025"):
            with open(os.path.join(d, "units_%s.csv" % v), encoding="utf-8") as f:
                _UNITS[v] = {r["code"]: int(r["level"]) for r in csv.DictReader(f)}
        lin = {}
        for name in ("lineage_2025.csv", "lineage_2025_provinces.csv"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    lin.setdefault(r["old_code"], set()).add(r["new_code"])
        _UNITS["lineage"] = lin
    return _UNITS


# The contract's unit level -> the `level` column of units_<vintage>.csv.
UNIT_LEVELS = {"2024": {"province": 1, "district": 2, "commune": 3},
               "2025": {"province": 1, "commune": 2}}


def check_unit(it):
    """Errors in a gold unit's code, vintage, level and successors (data/admin-units)."""
    if not it.get("code"):
        return []
    v = str(it.get("vintage"))
    units = admin_units()
    if v not in UNIT_LEVELS:
        return ["vintage %r is not 2024 or 2025" % it.get("vintage")]
    if it["code"] not in units[v]:
        return ["code %s is not in units_%s.csv" % (it["code"], v)]
    errs = []
    if UNIT_LEVELS[v].get(it.get("level")) != units[v][it["code"]]:
        errs.append("level %r does not fit code %s (level %d in units_%s.csv)"
                    % (it.get("level"), it["code"], units[v][it["code"]], v))
    if v == "2024" and it.get("level") in ("province", "commune") and "successors" in it:
        want = units["lineage"].get(it["code"], set())
        if set(it["successors"]) != want:
            errs.append("successors %s, lineage says %s" % (sorted(it["successors"]), sorted(want)))
    return errs


# Optional gold fields of the corpus (corpus/GUIDELINES.md, "Gold fields added").
GRANULARITIES = {"day", "range", "month", "quarter", "year", "period", "partial"}
FOREIGN_LEVELS = {"province", "prefecture", "district", "township", "village_cluster", "village"}
COUNTRIES = {"CN", "LA", "KH"}
RANKS = ["Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá",
         "Trung tá", "Thiếu tá", "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Chuẩn úy"]
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_optional_fields(it, items):
    """Errors in the optional fields of one gold item; `items` are all items of its text."""
    errs = []
    kind = it["kind"]
    if kind == "date":
        if it.get("granularity") not in GRANULARITIES:
            errs.append("granularity %r is not one of %s" % (it.get("granularity"), sorted(GRANULARITIES)))
        for f in ("start", "end"):
            if not (isinstance(it.get(f), str) and ISO_DAY.fullmatch(it[f])):
                errs.append("%s %r is not an ISO day" % (f, it.get(f)))
        if not errs and it["start"] > it["end"]:
            errs.append("start %s is after end %s" % (it["start"], it["end"]))
        if "qualifier" in it and it.get("granularity") != "partial":
            errs.append("qualifier is for granularity partial")
    if kind == "person" and "rank" in it:
        if it["rank"] not in RANKS:
            errs.append("rank %r is not a rank word" % it["rank"])
        elif it.get("title") and fold(it["title"]).startswith(fold(it["rank"])):
            errs.append("rank %r is also written in the title" % it["rank"])
    if kind in ("person", "organisation", "foreign_unit") and "country" in it:
        if it["country"] not in COUNTRIES:
            errs.append("country %r is not CN, LA or KH" % it["country"])
    if kind == "foreign_unit":
        if "level" in it and it["level"] not in FOREIGN_LEVELS:
            errs.append("level %r is not one of %s" % (it["level"], sorted(FOREIGN_LEVELS)))
        if it.get("code"):
            errs.append("a foreign unit has no Vietnamese code")
    if kind == "figure":
        if "group" in it and not (isinstance(it["group"], str) and it["group"]):
            errs.append("group must be a non-empty string")
        if "group" in it and sum(1 for o in items if o.get("group") == it["group"]) < 2:
            errs.append("group %r has only this figure" % it["group"])
        if "value_to" in it and (num(it["value_to"]) is None or num(it["value"]) is None
                                 or num(it["value_to"]) < num(it["value"])):
            errs.append("value_to %r is not a number ≥ value" % it["value_to"])
        if "period" in it and not any(o.get("id") == it["period"] and o["kind"] == "date" for o in items):
            errs.append("period %r is not the id of a date item of this text" % it["period"])
    if kind == "legal_ref" and "issuers" in it:
        if not (isinstance(it["issuers"], list) and len(it["issuers"]) >= 2
                and all(isinstance(x, str) and x for x in it["issuers"])):
            errs.append("issuers must be a list of two or more texts")
    if kind == "commendation" and "recipients" in it:
        if not (isinstance(it["recipients"], list) and all(isinstance(x, str) and x for x in it["recipients"])):
            errs.append("recipients must be a list of texts")
        elif it.get("individuals") is not None and it["individuals"] < len(it["recipients"]):
            errs.append("fewer individuals than named recipients")
    if kind == "task" and "assigner" in it and not (it["assigner"] is None or isinstance(it["assigner"], str)):
        errs.append("assigner must be a text or null")
    return errs


def load_gold(path, base=HERE):
    """One gold file; `text` (and `plain_text`) are relative to `base`, the set's directory."""
    with open(path, encoding="utf-8") as f:
        gold = json.load(f)
    tpath = os.path.join(base, gold["text"])
    with open(tpath, "rb") as f:
        text_raw = f.read()
    # Quotes and spans are into the plain text: the text itself, or for an .html page the
    # hand-derived plain text named by `plain_text`.
    if gold.get("plain_text"):
        with open(os.path.join(base, gold["plain_text"]), "rb") as f:
            raw = f.read()
    else:
        raw = text_raw
    text = raw.decode("utf-8")
    errs = []
    if tpath.lower().endswith((".html", ".htm")) and not gold.get("plain_text"):
        errs.append("an .html text needs a plain_text (the hand-derived visible text)")
    if not unicodedata.is_normalized("NFC", text_raw.decode("utf-8")):
        errs.append("text is not NFC")
    src = gold.get("source", {})
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", src.get("publication_date", "")):
        errs.append("source.publication_date missing or not ISO")
    if not src.get("publication_date_reason"):
        errs.append("source.publication_date_reason missing")
    if not unicodedata.is_normalized("NFC", text):
        errs.append("plain text is not NFC")
    ids = set()
    for it in gold["items"]:
        where = "%s %s" % (it.get("id"), it.get("kind"))
        if it.get("id") in ids:
            errs.append(where + ": duplicate id")
        ids.add(it.get("id"))
        if it.get("kind") not in KINDS:
            errs.append(where + ": unknown kind")
            continue
        q, s = it.get("quote"), it.get("span")
        if not q or q not in text:
            errs.append(where + ": quote is not a substring of the text: %r" % q)
        elif not s or raw[s[0]:s[1]].decode("utf-8", "replace") != q:
            errs.append(where + ": span does not hold the quote")
        for m in it.get("mentions", []):
            if m not in text:
                errs.append(where + ": mention is not in the text: %r" % m)
        for fld in GOLD_FIELDS[it["kind"]]:
            if fld not in it:
                errs.append(where + ": field %s missing" % fld)
        if it["kind"] == "unit":
            errs.extend(where + ": " + e for e in check_unit(it))
        errs.extend(where + ": " + e for e in check_optional_fields(it, gold["items"]))
    for ig in gold.get("ignore_spans", []):
        s = ig.get("span")
        if not s or not raw[s[0]:].decode("utf-8", "replace").startswith(ig.get("starts_with", "\0")):
            errs.append("ignore span %r does not start with its starts_with" % s)
    if errs:
        raise GoldError("%s:\n  %s" % (os.path.relpath(path, ROOT), "\n  ".join(errs)))
    gold["_raw"] = raw
    gold["_text_raw"] = text_raw
    gold["_base"] = base
    gold["_name"] = os.path.splitext(os.path.basename(path))[0]
    return gold


def load_golds(only=None, which="seed"):
    out = []
    for set_name in SET_GROUPS[which]:
        base = SETS[set_name]
        gdir = os.path.join(base, "gold")
        names = sorted(n for n in os.listdir(gdir) if re.fullmatch(r"\d{3}\.json", n))
        if only:
            names = [n for n in names if n[:3] in only]
        for n in names:
            g = load_gold(os.path.join(gdir, n), base)
            g["_set"] = set_name
            out.append(g)
    return out


# ---------------------------------------------------------------- running the extractor

class SetupError(Exception):
    pass


def find_binary(arg):
    b = arg or os.environ.get("GIAPRANH_BIN") or os.path.join(ROOT, "build", "giapranh")
    b = os.path.abspath(b)
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        raise SetupError("giapranh binary not found at %s: build it (`meson setup build && ninja -C build`) "
                         "or set GIAPRANH_BIN" % b)
    r = subprocess.run([b, "ingest", "--help"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        said = ((r.stderr or r.stdout).strip().splitlines() or ["(nothing)"])[0]
        raise SetupError("%s has no working `ingest` command yet (issue 9); `giapranh ingest --help` "
                         "said: %s" % (b, said))
    return b


def init_db(binary, tmpdir):
    db = os.path.join(tmpdir, "eval.db")
    cmd = [binary, "--db", "sqlite:" + db, "--data", os.path.join(ROOT, "data"), "init"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if r.returncode != 0:
        raise SetupError("`%s` failed (%d):\n%s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return db


def run_ingest(binary, db, gold):
    rel = os.path.relpath(os.path.join(gold.get("_base", HERE), gold["text"]), ROOT)
    cmd = [binary, "--db", "sqlite:" + db, "--data", os.path.join(ROOT, "data"), "ingest", rel,
           "--dry-run", "--format", "json", "--date", gold["source"]["publication_date"]]
    try:
        r = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "timed out: " + " ".join(cmd)
    if r.returncode != 0:
        how = ("killed by signal %d" % -r.returncode) if r.returncode < 0 else ("exit %d" % r.returncode)
        return None, "%s: %s\n%s" % (how, " ".join(cmd), r.stderr.decode("utf-8", "replace").strip()[-2000:])
    return parse_proposal_set(r.stdout.decode("utf-8", "replace"))


def parse_proposal_set(s):
    try:
        doc = json.loads(s)
    except ValueError as e:
        return None, "output is not JSON: %s" % e
    if not isinstance(doc, dict) or not isinstance(doc.get("proposals"), list):
        return None, "output has no \"proposals\" array"
    return doc, None


# ---------------------------------------------------------------- evaluation

def in_ignored(p, gold):
    if gold.get("plain_text"):
        return quote_in_ignored(p, gold)
    s = p.get("span")
    if not (isinstance(s, list) and len(s) == 2 and all(isinstance(x, int) for x in s)):
        return False
    return any(ig["span"][0] <= s[0] and s[1] <= ig["span"][1] for ig in gold.get("ignore_spans", []))


def quote_in_ignored(p, gold):
    """For a page (.html) the proposal's span is into the extractor's own plain text, which
    the judge does not have: a proposal is ignored when its quote occurs in the hand-derived
    plain text and every occurrence lies inside an ignored span."""
    q = p.get("quote")
    if not isinstance(q, str) or not q.strip() or not gold.get("ignore_spans"):
        return False
    # Compare with runs of white space collapsed (the two plain texts may break lines
    # differently); positions are mapped back to bytes of the hand-derived text.
    raw = gold["_raw"].decode("utf-8")
    flat, pos = [], []
    for m in re.finditer(r"\s+|\S", raw):
        flat.append(" " if m.group(0).isspace() else m.group(0))
        pos.append(m.start())
    flat = "".join(flat)
    needle = re.sub(r"\s+", " ", q.strip())
    hits = [m.start() for m in re.finditer(re.escape(needle), flat)]
    if not hits:
        return False

    def byte_at(ci):
        return len(raw[:ci].encode("utf-8"))

    for h in hits:
        b0 = byte_at(pos[h])
        b1 = byte_at(pos[h + len(needle) - 1] + 1)
        if not any(ig["span"][0] <= b0 and b1 <= ig["span"][1] for ig in gold["ignore_spans"]):
            return False
    return True


def evaluate_text(gold, doc, strict=False):
    props = [p for p in doc.get("proposals", []) if isinstance(p, dict)]
    out = {"kinds": {}, "ignored": 0, "unscored_kinds": {}}
    by_kind = {k: [] for k in KINDS}
    for p in props:
        if in_ignored(p, gold):
            out["ignored"] += 1
        elif p.get("kind") in by_kind:
            by_kind[p["kind"]].append(p)
        else:
            k = str(p.get("kind"))
            out["unscored_kinds"][k] = out["unscored_kinds"].get(k, 0) + 1
    for k in KINDS:
        golds = [g for g in gold["items"] if g["kind"] == k]
        out["kinds"][k] = score_kind(k, golds, by_kind[k])
    forgive_places(out["kinds"])
    for r in out["kinds"].values():
        r["fp_lenient"], r["fp_strict"] = both_views(r)
        r["fp"] = r["fp_strict"] if strict else r["fp_lenient"]
    return out


def attr_agree(kind, attr, g, p):
    a, b = g.get(attr), p.get(attr)
    if attr == "date" or attr == "event_type":
        return (a or None) == (b or None)
    return fold(a) == fold(b)


def fmt(x):
    return "    -" if x is None else "%5.3f" % x


def show(s, width=70):
    s = re.sub(r"\s+", " ", str(s))
    return s if len(s) <= width else s[:width - 1] + "…"


def describe(kind, it):
    keys = {"event": ["event_type", "date"], "date": ["start", "end"], "person": ["name", "title"],
            "unit": ["text", "code"], "foreign_unit": ["text"], "organisation": ["text"],
            "legal_ref": ["doc_kind", "number", "date"], "figure": ["value", "unit", "of", "percent"],
            "commendation": ["form", "collectives", "individuals"], "recommendation": ["content"],
            "task": ["content"]}[kind]
    return show(" | ".join("%s=%s" % (k, it.get(k)) for k in keys))


# Targets of issue 15, judged on the frozen test split of the corpus (printed for every set
# as information): lenient and strict micro F1 over all kinds, and every kind's lenient F1.
CORPUS_TARGETS = {"lenient": 0.85, "strict": 0.75, "every_kind": 0.70}


def text_label(g):
    return g["source"].get("seed") or ("%s/%s" % (g["_set"], g["text"]) if g["_set"] in ("dev", "test") else g["text"])


def main(argv=None):
    ap = argparse.ArgumentParser(description="Precision, recall and F1 of `giapranh ingest` on the hand annotations.")
    ap.add_argument("--bin", help="giapranh binary (default $GIAPRANH_BIN or build/giapranh)")
    ap.add_argument("--proposals", metavar="DIR",
                    help="read saved proposal sets DIR/NNN.json instead of running the binary")
    ap.add_argument("--save", metavar="DIR", help="save each proposal set the binary printed as DIR/NNN.json")
    ap.add_argument("--json", metavar="FILE", help="write the figures as JSON to FILE ('-' for stdout)")
    ap.add_argument("--set", dest="which", choices=SET_CHOICES, default="seed",
                    help="seed: the five source reports (default); heldout: tests/ingest/heldout; dev, test: the "
                         "halves of the border-area corpus (corpus/); corpus: both halves; all: every set")
    ap.add_argument("--only", action="append", metavar="NNN", help="evaluate only this text (repeatable)")
    ap.add_argument("--strict", action="store_true",
                    help="per-text tables and the `fp` fields in strict terms (repeated mentions and place names "
                         "inside matched facts counted as false positives); the summary shows both views anyway")
    ap.add_argument("--summary", action="store_true", help="print only the totals per kind, not the per-text tables")
    ap.add_argument("--check-gold", action="store_true", help="only validate the gold files")
    ap.add_argument("-v", "--verbose", action="store_true", help="list missed and wrong proposals")
    ap.add_argument("--unfreeze-test", action="store_true",
                    help="allow -v on the frozen test split (whoever reads it must not tune the rules afterwards)")
    args = ap.parse_args(argv)
    if args.verbose and "test" in SET_GROUPS[args.which] and not args.unfreeze_test and not args.check_gold:
        print("eval: the test split is frozen: -v would show its facts to whoever tunes the rules; the scores "
              "without -v are fine (add --unfreeze-test if you will not tune after reading them)", file=sys.stderr)
        return 2

    try:
        golds = load_golds(args.only, args.which)
    except (GoldError, OSError, ValueError, KeyError) as e:
        print("eval: bad gold file: %s" % e, file=sys.stderr)
        return 2
    if not golds:
        print("eval: no gold files selected", file=sys.stderr)
        return 2
    if args.check_gold:
        n = sum(len(g["items"]) for g in golds)
        print("gold OK (%s): %d files, %d items" % (args.which, len(golds), n))
        return 0

    docs, crashed = {}, {}
    if args.proposals:
        for g in golds:
            path = os.path.join(args.proposals, g["_name"] + ".json")
            try:
                with open(path, encoding="utf-8") as f:
                    doc, err = parse_proposal_set(f.read())
            except OSError as e:
                doc, err = None, str(e)
            docs[g["_name"]], crashed[g["_name"]] = doc, err
        source = "saved proposals in " + args.proposals
    else:
        try:
            binary = find_binary(args.bin)
            with tempfile.TemporaryDirectory(prefix="gp-ingest-eval-") as tmp:
                db = init_db(binary, tmp)
                for g in golds:
                    doc, err = run_ingest(binary, db, g)
                    docs[g["_name"]], crashed[g["_name"]] = doc, err
                    if doc is not None and args.save:
                        os.makedirs(args.save, exist_ok=True)
                        with open(os.path.join(args.save, g["_name"] + ".json"), "w", encoding="utf-8") as f:
                            json.dump(doc, f, ensure_ascii=False, indent=1)
        except (SetupError, OSError, subprocess.TimeoutExpired) as e:
            print("eval: %s" % e, file=sys.stderr)
            return 2
        source = binary

    report = {"source": source, "set": args.which, "strict": args.strict, "texts": {}, "kinds": {}, "micro": {},
              "micro_strict": {}, "attributes": {}, "errors": {k: v for k, v in crashed.items() if v}}
    counters = ("tp", "fn", "dup", "place", "optional", "fp_lenient", "fp_strict")
    totals = {k: {c: 0 for c in counters} for k in KINDS}
    attrs = {}
    lines = []
    for g in golds:
        name = g["_name"]
        doc = docs[name]
        if doc is None:
            doc = {"proposals": []}
            print("eval: text %s: extractor failed: %s" % (name, crashed[name]), file=sys.stderr)
        res = evaluate_text(g, doc, args.strict)
        trep = {"set": g["_set"], "publication_date": g["source"]["publication_date"],
                "ignored_spans_proposals": res["ignored"], "unscored_kinds": res["unscored_kinds"], "kinds": {}}
        lines.append("")
        lines.append("text %s (%s, publication %s)%s" % (name, text_label(g), g["source"]["publication_date"],
                                                         "  EXTRACTOR FAILED" if crashed[name] else ""))
        lines.append("  %-15s %4s %4s %4s %4s %4s %4s  %5s %5s %5s  %5s" % (
            "kind", "gold", "tp", "fp", "fn", "dup", "plc", "P", "R", "F1", "sF1"))
        for k in KINDS:
            r = res["kinds"][k]
            p, rc, f = prf(r["tp"], r["fp"], r["fn"])
            _, _, sf = prf(r["tp"], r["fp_strict"], r["fn"])
            ngold = r["tp"] + r["fn"]
            for c in counters:
                totals[k][c] += r[c]
            for gi, pi in r["pairs"]:
                for a in ATTRIBUTES.get(k, []):
                    key = "%s.%s" % (k, a)
                    attrs.setdefault(key, [0, 0])
                    attrs[key][1] += 1
                    attrs[key][0] += attr_agree(k, a, gi, pi)
            trep["kinds"][k] = {"gold": ngold, "tp": r["tp"], "fp": r["fp"], "fn": r["fn"], "dup": r["dup"],
                                "place": r["place"], "optional_matched": r["optional"], "precision": p, "recall": rc,
                                "f1": f, "fp_lenient": r["fp_lenient"], "fp_strict": r["fp_strict"], "f1_strict": sf}
            if ngold or r["fp_strict"] or r["tp"]:
                lines.append("  %-15s %4d %4d %4d %4d %4d %4d  %s %s %s  %s" % (
                    k, ngold, r["tp"], r["fp"], r["fn"], r["dup"], r["place"], fmt(p), fmt(rc), fmt(f), fmt(sf)))
            if args.verbose:
                for it in r["fn_items"]:
                    lines.append("      missed  %s  «%s»" % (describe(k, it), show(it["quote"], 50)))
                for it in r["fp_items"]:
                    lines.append("      wrong   %s  «%s»" % (describe(k, it), show(it.get("quote", ""), 50)))
                if args.strict:
                    for it in r["dup_items"] + r["place_items"]:
                        lines.append("      repeat  %s  «%s»" % (describe(k, it), show(it.get("quote", ""), 50)))
        if res["unscored_kinds"]:
            lines.append("  proposals of unknown kinds (not scored): %s" % res["unscored_kinds"])
        report["texts"][name] = trep

    summary = ["", "all texts (micro): lenient P R F1 | strict P R F1",
               "  %-15s %4s %4s %4s %4s %4s %4s %4s  %5s %5s %5s | %5s %5s  %s" % (
                   "kind", "gold", "tp", "fp", "sfp", "fn", "dup", "plc", "P", "R", "F1", "sP", "sF1", "target")]
    all_tp = all_fp = all_sfp = all_fn = 0
    below = []
    for k in KINDS:
        t = totals[k]
        p, rc, f = prf(t["tp"], t["fp_lenient"], t["fn"])
        sp, _, sf = prf(t["tp"], t["fp_strict"], t["fn"])
        all_tp += t["tp"]
        all_fp += t["fp_lenient"]
        all_sfp += t["fp_strict"]
        all_fn += t["fn"]
        target = ""
        if k in TARGETS:
            target = "≥ %.1f %s" % (TARGETS[k], "ok" if f is not None and f >= TARGETS[k] else "NOT MET")
        if t["tp"] + t["fn"] and (f is None or f < CORPUS_TARGETS["every_kind"]):
            below.append(k)
        summary.append("  %-15s %4d %4d %4d %4d %4d %4d %4d  %s %s %s | %s %s  %s" % (
            k, t["tp"] + t["fn"], t["tp"], t["fp_lenient"], t["fp_strict"], t["fn"], t["dup"], t["place"],
            fmt(p), fmt(rc), fmt(f), fmt(sp), fmt(sf), target))
        shown_fp = t["fp_strict"] if args.strict else t["fp_lenient"]
        report["kinds"][k] = {"gold": t["tp"] + t["fn"], "tp": t["tp"], "fp": shown_fp, "fn": t["fn"], "dup": t["dup"],
                              "place": t["place"], "optional_matched": t["optional"],
                              "precision": sp if args.strict else p, "recall": rc, "f1": sf if args.strict else f,
                              "lenient": {"fp": t["fp_lenient"], "precision": p, "recall": rc, "f1": f},
                              "strict": {"fp": t["fp_strict"], "precision": sp, "recall": rc, "f1": sf},
                              "target": TARGETS.get(k),
                              "target_met": (f is not None and f >= TARGETS[k]) if k in TARGETS else None}
    p, rc, f = prf(all_tp, all_fp, all_fn)
    sp, _, sf = prf(all_tp, all_sfp, all_fn)
    summary.append("  %-15s %4d %4d %4d %4d %4d %4s %4s  %s %s %s | %s %s" % (
        "ALL", all_tp + all_fn, all_tp, all_fp, all_sfp, all_fn, "", "", fmt(p), fmt(rc), fmt(f), fmt(sp), fmt(sf)))
    report["micro"] = {"gold": all_tp + all_fn, "tp": all_tp, "fp": all_sfp if args.strict else all_fp, "fn": all_fn,
                       "precision": sp if args.strict else p, "recall": rc, "f1": sf if args.strict else f}
    report["micro_lenient"] = {"fp": all_fp, "precision": p, "recall": rc, "f1": f}
    report["micro_strict"] = {"fp": all_sfp, "precision": sp, "recall": rc, "f1": sf}
    met = {"lenient": f is not None and f >= CORPUS_TARGETS["lenient"],
           "strict": sf is not None and sf >= CORPUS_TARGETS["strict"], "every_kind": not below}
    report["issue15_targets"] = dict(met, kinds_below=below)
    summary.append("issue 15 targets (judged on --set test): lenient F1 ≥ %.2f %s, strict F1 ≥ %.2f %s, "
                   "every kind lenient F1 ≥ %.2f %s" % (
                       CORPUS_TARGETS["lenient"], "ok" if met["lenient"] else "NOT MET",
                       CORPUS_TARGETS["strict"], "ok" if met["strict"] else "NOT MET",
                       CORPUS_TARGETS["every_kind"], "ok" if not below else "NOT MET (%s)" % ", ".join(below)))
    if attrs:
        summary.append("")
        summary.append("attribute agreement on matched pairs: " +
                       ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(attrs.items())))
        report["attributes"] = {k: {"agree": v[0], "pairs": v[1]} for k, v in sorted(attrs.items())}
    summary.append("(gold = required items; fp = false positives, lenient: a repeated proposal of a matched fact (dup) "
                   "and a place name inside a matched fact (plc) are forgiven; sfp = strict false positives, which "
                   "count both; proposals matching optional items or inside ignored spans are not counted%s)"
                   % ("; per-text tables in strict terms" if args.strict else ""))
    print("ingest evaluation (%s set, %d texts): %s" % (args.which, len(golds), source))
    if not args.summary:
        print("\n".join(lines))
    print("\n".join(summary))

    if args.json:
        data = json.dumps(report, ensure_ascii=False, indent=1)
        if args.json == "-":
            print(data)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(data + "\n")
    return 1 if any(crashed.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
