"""
tools/count-literals.py: a field or entity name spelt as a string in src/
counts against the baseline (one more fails the check, one fewer passes
and says so); the edges and comments do not count.

  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/schema
"""
import json
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, "tools", "count-literals.py")
BASELINE = os.path.join(REPO, "tests", "schema", "literals-baseline.json")


def run(*args):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True,
                          text=True, timeout=120)


def tree(tmp_path, extra):
    src = tmp_path / "src"
    shutil.copytree(os.path.join(REPO, "src"), src)
    with open(src / "domain" / "records.c", "a", encoding="utf-8") as f:
        f.write(extra)
    return str(src)


def test_the_tree_is_within_its_baseline():
    p = run("--check", BASELINE)
    assert p.returncode == 0, p.stdout
    with open(BASELINE, encoding="utf-8") as f:
        base = json.load(f)
    assert base["total"] == sum(base["files"].values())


def test_a_new_literal_fails_and_names_the_file(tmp_path):
    p = run("--src", tree(tmp_path, '\nstatic const char *x = "held_on";\n'),
            "--check", BASELINE)
    assert p.returncode == 1
    assert "domain/records.c" in p.stdout


def test_comments_and_other_words_do_not_count(tmp_path):
    extra = '\n/* "held_on" */\nstatic const char *y = "held_on_x";\n'
    p = run("--src", tree(tmp_path, extra), "--check", BASELINE)
    assert p.returncode == 0, p.stdout


def test_an_entity_name_counts_too(tmp_path):
    p = run("--src", tree(tmp_path, '\nstatic const char *z = "meeting";\n'),
            "--check", BASELINE)
    assert p.returncode == 1


def tables():
    """EDGES and OTHER_WORDS of the tool, as (file, function, word) rows
    for the entries that name their words."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("count_literals", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ents, fields = mod.names()
    rows = []
    for table in (mod.EDGES, mod.OTHER_WORDS):
        for rel, entries in table.items():
            for funcs, words, why in entries:
                assert why, rel
                if funcs == "*" or words == "*":
                    continue
                for func in funcs:
                    for word in words:
                        rows.append((rel, func, word))
    return rows, ents | fields


def test_every_listed_edge_word_is_an_edge_only_there(tmp_path):
    """Table-driven over every (file, function, word) of EDGES and
    OTHER_WORDS: the word in that function does not count; in the same
    function another field's name still counts; the same word in another
    function counts."""
    rows, known = tables()
    assert rows
    src = tmp_path / "src"
    shutil.copytree(os.path.join(REPO, "src"), src)
    for rel, func, word in rows:
        assert word in known, (rel, word)  # a stale entry names no field
        other = "held_on" if word != "held_on" else "title"
        cases = [
            ('\nstatic void %s(void) { g("%s"); }\n' % (func, word), 0),
            ('\nstatic void %s(void) { g("%s"); }\n' % (func, other), 1),
            ('\nstatic void not_%s(void) { g("%s"); }\n' % (func, word), 1),
        ]
        path = src / rel
        assert "/" in rel and path.exists(), rel
        with open(path, encoding="utf-8") as f:
            orig = f.read()
        for code, want in cases:
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig + code)
            p = run("--src", str(src), "--check", BASELINE)
            assert p.returncode == want, (rel, func, word, code, p.stdout)
        with open(path, "w", encoding="utf-8") as f:
            f.write(orig)
