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
