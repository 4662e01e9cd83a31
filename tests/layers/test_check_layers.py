"""
tools/check-layers.py on tiny fake trees: a clean one passes; an include
or a call that points up or beside, a cycle of includes or of calls, a
file outside the layer folders, an include that names no layer, and a
template that includes upwards each fail, naming the file (and line) and
the two layers or the cycle.  Python's standard library and pytest only.
"""
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(REPO, "tools", "check-layers.py")

# A clean tree: each file includes its own layer and below.
CLEAN = {
    "src/meson.build": "",
    "src/base/buf.h": "",
    "src/base/buf.c": '#include "base/buf.h"\n',
    "src/store/store.h": '#include "base/buf.h"\n',
    "src/store/store_int.h": '#include "store/store.h"\n',
    "src/store/store.c": '#include "store/store_int.h"\n',
    "src/store/store_pg.c": '#include "store/store_int.h"\n',
    "src/domain/records.h": '#include "store/store.h"\n',
    "src/domain/records.c": '#include "domain/records.h"\n#include "base/buf.h"\n',
    "src/pages/meson.build": "foreach t : ['list']\n  x = 'templates'\nendforeach\n",
    "src/pages/pages.c": '#include "pages/list_tmpl.h"\n#include "domain/records.h"\n',
    "src/pages/pages.h": "",
    "templates/list.tmpl": '{{ include "pages/pages.h" }}\n{{ include "domain/records.h" }}\n',
}

# `nm -A` of a clean library: each object uses what is below it.
CLEAN_NM = """\
lib.a:src_base_buf.c.o:0000000000000000 T buf_init
lib.a:src_store_store.c.o:0000000000000000 T store_open
lib.a:src_store_store.c.o:                 U buf_init
lib.a:src_store_store.c.o:                 U pg_ops
lib.a:src_store_store_pg.c.o:0000000000000000 D pg_ops
lib.a:src_domain_records.c.o:0000000000000000 T records_create
lib.a:src_domain_records.c.o:                 U store_open
lib.a:src_domain_records.c.o:                 U malloc
lib.a:src_pages_pages.c.o:0000000000000000 T page_list
lib.a:src_pages_pages.c.o:                 U records_create
lib.a:src_pages_pages.c.o:                 U list_page
lib.a:meson-generated_.._src_pages_list_tmpl.c.o:0000000000000000 T list_page
lib.a:meson-generated_.._src_pages_list_tmpl.c.o:                 U page_list
"""


def make(tmp, files):
    for rel, text in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def check(tmp, files, nm=None):
    make(tmp, files)
    args = [sys.executable, CHECK, "--src", os.path.join(tmp, "src"),
            "--templates", os.path.join(tmp, "templates")]
    if nm is not None:
        path = os.path.join(tmp, "nm.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(nm)
        args += ["--nm", path]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


def with_changes(base, **changes):
    files = dict(base)
    for rel, text in changes.items():
        rel = rel.replace("__", "/").replace("_DOT_", ".")
        if text is None:
            files.pop(rel, None)
        else:
            files[rel] = text
    return files


def test_clean_tree_passes(tmp_path):
    rc, out = check(str(tmp_path), CLEAN)
    assert rc == 0, out
    assert "check-layers: ok" in out


def test_clean_tree_and_library_pass(tmp_path):
    # the template calls back into its page: one module, not a cycle
    rc, out = check(str(tmp_path), CLEAN, CLEAN_NM)
    assert rc == 0, out
    assert "calls between files" in out


# (name, changed files, what the output must name)
FAILING_TREES = [
    ("upward include",
     {"src/base/buf.c": '#include "base/buf.h"\n\n#include "store/store.h"\n'},
     ["src/base/buf.c:3:", "base may not use store", "above"]),
    ("include beside",
     {"src/report/report.c": '#include "ingest/ingest.h"\n', "src/ingest/ingest.h": ""},
     ["src/report/report.c:1:", "report may not use ingest", "beside"]),
    ("include cycle",
     {"src/domain/x.c": '#include "domain/y.h"\n', "src/domain/x.h": "",
      "src/domain/y.c": '#include "domain/x.h"\n', "src/domain/y.h": ""},
     ["include cycle between modules", "domain/x -> domain/y", "domain/y -> domain/x"]),
    ("file outside the layers",
     {"src/stray.c": ""},
     ["src/stray.c: not in a layer folder"]),
    ("folder that is no layer",
     {"src/misc/a.c": ""},
     ["src/misc/: not a layer folder"]),
    ("include without a layer",
     {"src/domain/records.c": '#include "records.h"\n'},
     ["src/domain/records.c:1:", "not a header of a layer folder"]),
    ("include of a missing header",
     {"src/domain/records.c": '#include "domain/nope.h"\n'},
     ["src/domain/records.c:1:", "no such header"]),
    ("template including upwards",
     {"templates/list.tmpl": '{{ include "pages/pages.h" }}\n{{ include "cli/main.h" }}\n',
      "src/cli/main.h": ""},
     ["templates/list.tmpl:2:", "pages may not use cli"]),
]


@pytest.mark.parametrize("name,changes,expected", FAILING_TREES,
                         ids=[t[0] for t in FAILING_TREES])
def test_failing_tree(tmp_path, name, changes, expected):
    files = dict(CLEAN)
    files.update(changes)
    rc, out = check(str(tmp_path), files)
    assert rc == 1, out
    for e in expected:
        assert e in out, f"{name}: {e!r} not in:\n{out}"
    assert "problems" in out


FAILING_LIBRARIES = [
    # a declaration in a low header does not make a call down
    ("upward call",
     CLEAN_NM + "lib.a:src_store_store.c.o:                 U records_create\n",
     ["src/store/store: uses records_create of src/domain/records",
      "store may not use domain"]),
    ("call cycle",
     CLEAN_NM + "lib.a:src_store_store_pg.c.o:                 U store_open\n",
     ["call cycle between files", "store/store -> store/store_pg (pg_ops)",
      "store/store_pg -> store/store (store_open)"]),
    ("object of no layer",
     CLEAN_NM + "lib.a:stray.c.o:0000000000000000 T stray\n",
     ["stray.c.o: an object of no layer"]),
]


@pytest.mark.parametrize("name,nm,expected", FAILING_LIBRARIES,
                         ids=[t[0] for t in FAILING_LIBRARIES])
def test_failing_library(tmp_path, name, nm, expected):
    rc, out = check(str(tmp_path), CLEAN, nm)
    assert rc == 1, out
    for e in expected:
        assert e in out, f"{name}: {e!r} not in:\n{out}"


def test_real_tree_passes():
    """The repository itself (includes only; run.sh adds --build)."""
    p = subprocess.run([sys.executable, CHECK], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
