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


def test_a_define_counts_an_include_does_not(tmp_path):
    # a name moved into a macro is the same literal: it counts
    p = run("--src", tree(tmp_path / "a", '\n#define HELD "held_on"\n'),
            "--check", BASELINE)
    assert p.returncode == 1
    assert "domain/records.c" in p.stdout
    p = run("--src", tree(tmp_path / "b", '\n#include "meeting"\n'),
            "--check", BASELINE)
    assert p.returncode == 0, p.stdout


def test_an_edge_exempts_only_its_words_in_its_functions(tmp_path):
    # csvio.c's header functions are an edge for any word; the same word in
    # another function of csvio.c counts
    src = tmp_path / "src"
    shutil.copytree(os.path.join(REPO, "src"), src)
    path = next(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs
                if f == "csvio.c")
    rel = os.path.relpath(path, src)
    with open(path, "a", encoding="utf-8") as f:
        f.write('\nstatic const char *\nnot_a_header(void)\n{\n\treturn "held_on";\n}\n')
    p = run("--src", str(src), "--check", BASELINE)
    assert p.returncode == 1
    assert rel in p.stdout


def test_a_url_argument_is_an_edge_only_as_the_argument(tmp_path):
    # the name of a URL argument is the API's word; the same word as
    # another call's argument, even around req_query, counts
    ok = ('\nstatic void\nurl_arg(struct request *r)\n{\n'
          '\t(void)req_query(r, "held_on");\n'
          '\t(void)req_query_int(r, "meeting", 1, 2, NULL);\n}\n')
    p = run("--src", tree(tmp_path / "a", ok), "--check", BASELINE)
    assert p.returncode == 0, p.stdout
    bad = ('\nstatic void\nnot_url_arg(struct request *r)\n{\n'
           '\tf(req_query(r, "q"), "held_on");\n}\n')
    p = run("--src", tree(tmp_path / "b", bad), "--check", BASELINE)
    assert p.returncode == 1
    assert "domain/records.c" in p.stdout


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
    function counts.  The tool's count runs in this process over a tree
    holding only the file of the row (a whole tree three times a row took
    minutes; the command line is tested above)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("count_literals", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rows, known = tables()
    assert rows
    texts = {}
    for i, (rel, func, word) in enumerate(rows):
        assert word in known, (rel, word)  # a stale entry names no field
        src = os.path.join(REPO, "src", rel)
        assert "/" in rel and os.path.exists(src), rel
        if rel not in texts:
            with open(src, encoding="utf-8") as f:
                texts[rel] = f.read()
        orig = texts[rel]
        tree = tmp_path / ("t%d" % i)
        path = tree / rel
        path.parent.mkdir(parents=True)
        mod.SRC = str(tree)

        def counted(text):
            path.write_text(text, encoding="utf-8")
            return mod.count().get(rel, 0)

        before = counted(orig)
        other = "held_on" if word != "held_on" else "title"
        cases = [
            ('\nstatic void %s(void) { g("%s"); }\n' % (func, word), 0),
            ('\nstatic void %s(void) { g("%s"); }\n' % (func, other), 1),
            ('\nstatic void not_%s(void) { g("%s"); }\n' % (func, word), 1),
        ]
        for code, more in cases:
            assert counted(orig + code) - before == more, (rel, func, word, code)


def test_a_file_scope_table_s_literals_are_the_table_s():
    """A literal of a file-scope initializer belongs to the variable it
    initializes, not to whatever function was declared before it (an edge
    names the table: pages_ingest.c's specs)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("count_literals", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    text = ('static int before(int x);\n'
            'static const struct s specs[] = { { "a", "held_on" } };\n'
            'static const char *const sized[SIZE_MAX_X] = { "title" };\n'
            'static struct t one = { "name" };\n'
            'static void\nafter(void)\n{\n\tint a[2] = { 1, 2 };\n'
            '\tif (a[0] == 1) g("meeting");\n}\n'
            'static const char *plain = "label";\n')
    got = [(lit, func) for _, lit, func, _ in mod.literals(text)]
    assert got == [("a", "specs"), ("held_on", "specs"), ("title", "sized"),
                   ("name", "one"), ("meeting", "after"), ("label", None)], got
