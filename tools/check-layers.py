#!/usr/bin/python3
"""
check-layers.py - the layers of src/ only ever use the layers below them
(docs/ARCHITECTURE.md, "Layers").

    tools/check-layers.py [--src DIR] [--build DIR] [--nm FILE]

The layers, bottom to top; the two of one line are beside each other and
may not use each other:

    base < text < schema < store < domain < report, ingest < http < web
         < api, pages < cli

Every file of src/ lives in the folder of its layer (src/LAYER/FILE; only
src/meson.build beside them).  A file may use its own layer and the layers
below.  A module is x.c with x.h (and x_int.h, the internals of x); a
template templates/NAME.tmpl is compiled in the layer whose meson.build
lists it, as LAYER/NAME_tmpl.h, and belongs to the module of the one file
of that layer that includes it (its page, which it calls back), else to a
module of its own.  Two checks:

  includes  every #include "…" of src/ and every {{ include "…" }} of a
            template names a header as "LAYER/NAME.h" that is there (or a
            template's generated header); no include points up or beside;
            no cycle between modules.
  calls     with --build DIR (a meson build directory): every symbol an
            object of DIR/libgiapranh.a uses from another (nm) is defined
            in its own layer or below - a declaration in a low header does
            not make a call down; and no cycle between the files (a
            template counted with its page).  Headers can hide a call up
            or a cycle (one x_int.h shared by several files); the linker's
            view cannot.

Exit status 0 when every check passes, 1 with each problem on a line
("FILE:LINE: …", the two layers, or the cycle), 2 on bad usage.
--nm FILE reads `nm -A` output from FILE instead of running nm (tests).
Python's standard library only.
"""
import argparse
import os
import re
import subprocess
import sys

LAYERS = [["base"], ["text"], ["schema"], ["store"], ["domain"],
          ["report", "ingest"], ["http"], ["web"], ["api", "pages"], ["cli"]]
RANK = {name: i for i, group in enumerate(LAYERS) for name in group}

INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.M)
TMPL_INCLUDE_RE = re.compile(r'\{\{\s*include\s+"([^"]+)"\s*\}\}')
# the template list of a layer's meson.build: foreach t : ['a', 'b'] ... templates
TMPL_LIST_RE = re.compile(r"foreach\s+t\s*:\s*\[([^\]]*)\](?:(?!endforeach).)*?templates",
                          re.S)
OBJECT_RE = re.compile(r"^(?:meson-generated_\.\._)?src_([a-z]+)_(.+\.c)\.o$")
DEFINED = set("TDBRCVWGSI")


def relation(a, b):
    """Why layer a may not use layer b, or None when it may."""
    if a == b or RANK[b] < RANK[a]:
        return None
    return "above" if RANK[b] > RANK[a] else "beside"


def module_of(name):
    """x.c, x.h, x_int.h -> x"""
    stem = os.path.splitext(os.path.basename(name))[0]
    return stem[:-4] if stem.endswith("_int") else stem


class Tree:
    def __init__(self, src, templates):
        self.src = src
        self.templates_dir = templates
        self.problems = []
        self.files = {}        # "layer/file" -> layer
        self.tmpl_layer = {}   # template NAME -> layer
        self.includes = []     # (from "layer/file", line, to "layer/file")

    def problem(self, msg):
        self.problems.append(msg)

    def scan(self):
        if not os.path.isdir(self.src):
            self.problem(f"{self.src}: no such directory")
            return
        for entry in sorted(os.listdir(self.src)):
            path = os.path.join(self.src, entry)
            if os.path.isfile(path):
                if entry != "meson.build":
                    self.problem(f"src/{entry}: not in a layer folder (src/LAYER/)")
                continue
            if entry not in RANK:
                self.problem(f"src/{entry}/: not a layer folder (layers: "
                             + ", ".join(n for g in LAYERS for n in g) + ")")
                continue
            for f in sorted(os.listdir(path)):
                fp = os.path.join(path, f)
                if os.path.isdir(fp):
                    self.problem(f"src/{entry}/{f}/: a folder inside a layer "
                                 "(layers are flat)")
                    continue
                self.files[f"{entry}/{f}"] = entry
            meson = os.path.join(path, "meson.build")
            if os.path.isfile(meson):
                with open(meson, encoding="utf-8") as fh:
                    for m in TMPL_LIST_RE.finditer(fh.read()):
                        for name in re.findall(r"'([^']+)'", m.group(1)):
                            if name in self.tmpl_layer:
                                self.problem(f"templates/{name}.tmpl: compiled in "
                                             f"{self.tmpl_layer[name]} and {entry}")
                            self.tmpl_layer[name] = entry
        for name, layer in sorted(self.tmpl_layer.items()):
            if not os.path.isfile(os.path.join(self.templates_dir, name + ".tmpl")):
                self.problem(f"src/{layer}/meson.build: no template templates/{name}.tmpl")
        # the includes of every source and template
        for rel, layer in sorted(self.files.items()):
            if not rel.endswith((".c", ".h")):
                continue
            with open(os.path.join(self.src, rel), encoding="utf-8") as fh:
                text = fh.read()
            for m in INCLUDE_RE.finditer(text):
                self.include(f"src/{rel}", rel, layer,
                             text.count("\n", 0, m.start()) + 1, m.group(1))
        for name, layer in sorted(self.tmpl_layer.items()):
            path = os.path.join(self.templates_dir, name + ".tmpl")
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            for m in TMPL_INCLUDE_RE.finditer(text):
                self.include(f"templates/{name}.tmpl", f"{layer}/{name}_tmpl.c", layer,
                             text.count("\n", 0, m.start()) + 1, m.group(1))

    def include(self, shown, rel, layer, line, target):
        parts = target.split("/")
        if len(parts) != 2 or parts[0] not in RANK:
            self.problem(f"{shown}:{line}: #include \"{target}\": not a header of a "
                         "layer folder (write \"LAYER/NAME.h\")")
            return
        tlayer, tname = parts
        generated = tname.endswith("_tmpl.h") and \
            self.tmpl_layer.get(tname[:-len("_tmpl.h")]) == tlayer
        if target not in self.files and not generated:
            self.problem(f"{shown}:{line}: #include \"{target}\": no such header in src/")
            return
        why = relation(layer, tlayer)
        if why:
            self.problem(f"{shown}:{line}: #include \"{target}\": {layer} may not use "
                         f"{tlayer} ({tlayer} is {why} {layer})")
        self.includes.append((shown, line, rel, target))

    def owners(self):
        """template NAME -> the module that renders it ("layer/module")."""
        users = {}
        for shown, _, rel, target in self.includes:
            if shown.startswith("src/") and target.endswith("_tmpl.h") and \
                    rel.split("/")[0] == target.split("/")[0]:
                users.setdefault(target, set()).add(node(rel))
        own = {}
        for name, layer in self.tmpl_layer.items():
            u = users.get(f"{layer}/{name}_tmpl.h", set())
            own[f"{layer}/{name}_tmpl"] = next(iter(u)) if len(u) == 1 else \
                f"{layer}/{name}_tmpl"
        return own


def node(rel):
    """"layer/x_int.h" -> "layer/x" (a module, or a file of the link check)"""
    layer, name = rel.split("/", 1)
    return f"{layer}/{module_of(name)}"


def cycles(edges):
    """One concrete cycle (a path back to its start) for each strongly
    connected component of more than one node, with the component."""
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})
    sys.setrecursionlimit(max(1000, 4 * len(nodes) + 100))

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in nodes:
        if v not in index:
            strong(v)
    out = []
    for comp in comps:
        members = set(comp)
        start = comp[0]
        # breadth-first from start back to start inside the component
        prev = {start: None}
        queue = [start]
        found = None
        while queue and found is None:
            v = queue.pop(0)
            for w in sorted(edges.get(v, ())):
                if w not in members:
                    continue
                if w == start:
                    found = v
                    break
                if w not in prev:
                    prev[w] = v
                    queue.append(w)
        path = [start]
        v = found
        while v is not None and v != start:
            path.append(v)
            v = prev[v]
        path.append(start)
        path = [path[0]] + list(reversed(path[1:-1])) + [start]
        out.append((path, comp))
    return out


def check_includes(tree):
    own = tree.owners()
    edges, why = {}, {}
    for shown, line, rel, target in tree.includes:
        a = own.get(node(rel), node(rel))
        b = own.get(node(target), node(target))
        if a == b:
            continue
        edges.setdefault(a, set()).add(b)
        why.setdefault((a, b), f"{shown}:{line}")
    for path, comp in cycles(edges):
        steps = [f"{path[i]} -> {path[i + 1]} ({why[(path[i], path[i + 1])]})"
                 for i in range(len(path) - 1)]
        tree.problem("include cycle between modules: " + "; ".join(steps) +
                     (f" [component: {', '.join(comp)}]" if len(comp) > len(path) - 1 else ""))
    return len(tree.includes)


def nm_output(build, nm_file):
    if nm_file:
        with open(nm_file, encoding="utf-8") as fh:
            return fh.read()
    lib = os.path.join(build, "libgiapranh.a")
    if not os.path.isfile(lib):
        raise SystemExit(f"check-layers: {lib}: not built (ninja -C {build})")
    p = subprocess.run(["nm", "-A", lib], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"check-layers: nm {lib}: {p.stderr.strip()}")
    return p.stdout


def check_calls(tree, text):
    own = tree.owners()
    defs, uses, objects = {}, {}, {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        obj = os.path.basename(parts[1].strip())
        fields = parts[2].split()
        m = OBJECT_RE.match(obj)
        if obj not in objects:
            if m is None or m.group(1) not in RANK:
                tree.problem(f"{obj}: an object of no layer (src/LAYER/FILE.c)")
                objects[obj] = None
            else:
                rel = f"{m.group(1)}/{m.group(2)}"
                objects[obj] = own.get(node(rel), node(rel))
        n = objects[obj]
        if n is None or len(fields) < 2:
            continue
        kind, sym = fields[-2], fields[-1]
        if kind == "U":
            uses.setdefault(n, set()).add(sym)
        elif kind in DEFINED:
            defs.setdefault(sym, n)
    edges, example, count = {}, {}, 0
    for n, syms in sorted(uses.items()):
        for sym in sorted(syms):
            d = defs.get(sym)
            if d is None or d == n:
                continue
            count += 1
            why = relation(n.split("/")[0], d.split("/")[0])
            if why:
                tree.problem(f"src/{n}: uses {sym} of src/{d}: {n.split('/')[0]} may not "
                             f"use {d.split('/')[0]} ({d.split('/')[0]} is {why})")
            edges.setdefault(n, set()).add(d)
            example.setdefault((n, d), sym)
    for path, comp in cycles(edges):
        steps = [f"{path[i]} -> {path[i + 1]} ({example[(path[i], path[i + 1])]})"
                 for i in range(len(path) - 1)]
        tree.problem("call cycle between files: " + "; ".join(steps) +
                     (f" [component: {', '.join(comp)}]" if len(comp) > len(path) - 1 else ""))
    return count


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="the layers of src/ only use the layers "
                                 "below them (docs/ARCHITECTURE.md)")
    ap.add_argument("--src", default=os.path.join(root, "src"))
    ap.add_argument("--templates", default=None,
                    help="the templates folder (default: SRC/../templates)")
    ap.add_argument("--build", help="a meson build directory: check the calls too")
    ap.add_argument("--nm", help="`nm -A` output of the library, instead of running nm")
    a = ap.parse_args(argv)
    templates = a.templates or os.path.join(os.path.dirname(os.path.abspath(a.src)),
                                            "templates")
    tree = Tree(a.src, templates)
    tree.scan()
    nincl = check_includes(tree)
    ncalls = None
    if a.build or a.nm:
        ncalls = check_calls(tree, nm_output(a.build, a.nm))
    for p in tree.problems:
        print(p)
    summary = f"{len(tree.files)} files, {nincl} includes"
    if ncalls is not None:
        summary += f", {ncalls} calls between files"
    if tree.problems:
        print(f"check-layers: {len(tree.problems)} problems ({summary})")
        return 1
    print(f"check-layers: ok ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
