"""
The entity description (schema/entities.txt) and its generator
(tools/entgen.py): a description that is wrong is refused with the line
that is wrong, and what is generated says what the code and the docs say.

  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/schema
"""
import json
import os
import re
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DESC = os.path.join(REPO, "schema", "entities.txt")
LIMITS = os.path.join(REPO, "src", "base", "gplimits.h")
ENTGEN = os.path.join(REPO, "tools", "entgen.py")


def run_entgen(tmp_path, text=None):
    desc = DESC
    if text is not None:
        desc = tmp_path / "entities.txt"
        desc.write_text(text, encoding="utf-8")
    out = [str(tmp_path / n) for n in ("entities.h", "entities.c", "entities.json")]
    p = subprocess.run([sys.executable, ENTGEN, str(desc), LIMITS, *out],
                       capture_output=True, text=True, timeout=60)
    return p, out


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    p, out = run_entgen(tmp_path_factory.mktemp("entgen"))
    assert p.returncode == 0, p.stderr
    with open(out[2], encoding="utf-8") as f:
        return json.load(f)


def original():
    with open(DESC, encoding="utf-8") as f:
        return f.read()


# (what is changed, the change, what the refusal says); each case changes
# one line of the real description.
MUTATIONS = [
    ("forward reference",
     ('field program_id  ref:program', 'field program_id  ref:task'),
     "not declared before it"),
    ("unknown type", ('field households int:0..1e6', 'field households integer'),
     "type 'integer'"),
    ("unknown flag", ('"Số hộ"', '"Số hộ" mandatory'), "flag 'mandatory'"),
    ("empty range", ('int:0..1e6           "Số hộ"', 'int:7..7 "Số hộ"'),
     "empty range"),
    ("unknown limit", ('text:500                  "Cách viết khác',
                       'text:NO_SUCH_MAX "Cách viết khác'), "gplimits.h"),
    ("title not a field", ('section=units title=name_vi', 'section=units title=nm'),
     "title nm is not a field"),
    ("field twice", ('  field households int:0..1e6           "Số hộ"\n',
                     '  field households int:0..1e6 "Số hộ"\n  field name text "x"\n'),
     "twice"),
    ("common column", ('  field households int:0..1e6           "Số hộ"\n',
                       '  field version int "x"\n'), "common column"),
    ("state not a choice", ("    move answered  submitted back",
                            "    move answered  closed back"),
     "'closed' is not a choice of recommendation.status"),
    ("move flag", ("move draft issued trusted", "move draft issued signed"),
     "move flag 'signed'"),
    ("workflow on a text field", ("  workflow status\n    initial submitted",
                                  "  workflow title\n    initial submitted"),
     "not an enum field"),
    ("no initial state", ("    initial reported\n", ""), "no initial state"),
    ("two moves out of the lock",
     ("    move approved  draft     approver back",
      "    move approved  draft     approver back\n    move approved submitted"),
     "one move at most leaves the lock state"),
    ("unknown tool", ("  tool progress", "  tool gantt"), "tool 'gantt'"),
    ("tool state outside the workflow", ("tool answer submitted", "tool answer nope"),
     "not a state of the workflow"),
    ("dated on a text field", ("  dated held_on", "  dated title"),
     "not a date field"),
    ("no write rule", ('  write  scope "its commune"\n  field name       text:200',
                       '  field name       text:200'), "declares no write rule"),
    ("unknown write rule", ('write  scope "its commune"', 'write  commune "x"'),
     "write rule 'commune'"),
    ("choice after a text field", ('    choice viewer   "Xem"\n',
                                   '    choice viewer   "Xem"\n  field x text "x"\n'
                                   '    choice y "y"\n'),
     "a choice follows an enum field"),
    ("scope of an unknown entity", ("scope program     program", "scope program     programme"),
     "no entity programme"),
    ("statement unknown", ("  tool progress", "  colour blue"), "unknown statement"),
]


@pytest.mark.parametrize("what,change,message", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_a_wrong_description_is_refused(tmp_path, what, change, message):
    text = original()
    assert change[0] in text, f"the case no longer applies: {change[0]!r}"
    p, out = run_entgen(tmp_path, text.replace(change[0], change[1], 1))
    assert p.returncode == 1
    assert message in p.stderr
    assert re.search(r"entities\.txt:\d+: ", p.stderr) or "scope" in p.stderr
    for path in out:
        assert not os.path.exists(path), "nothing is written"


def test_the_description_generates(generated):
    names = [e["name"] for e in generated["entities"]]
    assert len(names) == len(set(names))
    assert names[0] == "catalog_item" and names[-1] == "audit_log"


def test_ids_are_unique_and_encode_entity_and_index(tmp_path):
    p, out = run_entgen(tmp_path)
    assert p.returncode == 0, p.stderr
    with open(out[0], encoding="utf-8") as f:
        h = f.read()
    ents = re.findall(r"^\t(ENT_[A-Z0-9_]+),$", h, re.M)
    fields = re.findall(r"^\t(FLD_[A-Z0-9_]+) = (ENT_[A-Z0-9_]+) << FLD_ENTITY_SHIFT \| (\d+),$",
                        h, re.M)
    assert len(ents) == len(set(ents))
    assert len(fields) == len({f[0] for f in fields})
    with open(out[2], encoding="utf-8") as f:
        desc = json.load(f)
    want = [(fd["id"], e["id"], str(i)) for e in desc["entities"]
            for i, fd in enumerate(e["fields"])]
    assert fields == want


def test_security_md_lists_every_write_rule_as_described(generated):
    """docs/SECURITY.md's table is the description's write rules and notes."""
    with open(os.path.join(REPO, "docs", "SECURITY.md"), encoding="utf-8") as f:
        rows = re.findall(r"^\| `(\w+)` \| (\w+) \| (.*) \|$", f.read(), re.M)
    assert len(rows) == len({r[0] for r in rows}), "an entity listed twice"
    assert {e["name"]: (e["write_rule"], e["write_note"]) for e in generated["entities"]} \
        == {r[0]: (r[1], r[2]) for r in rows}
