#!/usr/bin/env python3
"""Count the string literals of src/ that spell a field or entity name.

usage: count-literals.py [--verbose] [--src DIR] [--check BASELINE | --write BASELINE]

The entity description (schema/entities.txt) is the one place that names
fields and entities; code names them by generated id (ENT_MEETING,
FLD_MEETING_HELD_ON: a misspelt one does not compile).  A string literal
of C code under src/ whose text is exactly a field's or an entity's name
("held_on", "meeting") is counted, per file, unless it is at an edge: where
the name is the outside world's word, not the code's.  The edges (EDGES
below) are
  - JSON keys the API reads and answers, and the audit log's JSON
    (a field name is the key there by contract: docs/API.md);
  - the report document model's keys, defined once in report_doc.c (the
    JSON of /reports/build?format=json, described in report.h);
  - CSV headers (the first line of an import or export names the fields);
  - templates (templates/*.tmpl: not C, not counted), and what the pages
    share with them: a form input's name, a key of a template's model that
    holds no field's value (one that does is field_name(FLD_*));
  - the generated files (entities.c, entities.h) and the description.
An edge is a function of a file (or a file-scope table, by its variable's
name: pages_ingest.c's specs), and where the function also reads
records, the very words that are edges there; OTHER_WORDS, in the same
form, lists literals that are another vocabulary's words spelt like a
field (a type name "text", a write rule "scope").
What is not an edge counts, even when the literal is a key of some other
JSON ("title" of a report section): there, too, the word should come from
one definition.

--write BASELINE  record the counts (tests/schema/literals-baseline.json)
--check BASELINE  fail (exit 1) when a file counts more than its baseline,
                  or a file not in it counts any; fewer is fine, and said,
                  so that the baseline is lowered: it only goes down
Without either, print the counts per file, per layer (src/LAYER/) and the
total.  --src DIR counts another tree (an old checkout, for comparison).
"""
import json
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "src")
DESC = os.path.join(REPO, "schema", "entities.txt")

# Edges: file (path under src/, or its base name) -> a list of
# (functions, words, why): in those functions ("*": the whole file) a
# literal among words ("*": any) is an edge.  Name the words where the
# function also reads records, so that a field read by name there still
# counts.
EDGES = {
    "csvio.c": [
        (("header_fields", "csv_header", "write_header", "read_header"), "*",
         "CSV headers name the fields"),
    ],
    "report/report_doc.c": [
        ("*", "*", "the report document model's keys (report.h): "
                   "what /reports/build?format=json answers"),
    ],
    # API answer keys (docs/API.md) that are no field's name, only spelt
    # like one; the keys that are a field's value are field_name(FLD_*)
    "domain/achieve.c": [
        (("set_labels",), ("status",),
         "the achievement's status code (ok, no_target...), not a value's status"),
        (("achieve_rollup",), ("value",),
         "the rolled-up value of the answer"),
    ],
    "domain/coord.c": [
        (("ref_summary", "agreement_cb"), ("title",),
         "{id, title}: a referenced record's display title, of any entity"),
        (("coord_tasks",), ("state", "as_of"),
         "a task's computed state; the date the answer is as of"),
        (("coord_todo",), ("as_of",), "the date the answer is as of"),
        (("is_signed", "coord_program_progress"), ("active",),
         "a choice of the agreement's status, not a field"),
    ],
    "domain/seed.c": [
        (("left_as_is",), ("entity", "value"),
         "a row the canonicalisation left as is: {entity, id, field, value, message}"),
    ],
    # GeoJSON's own keys (RFC 7946): a geometry's or a feature's type
    "domain/geo.c": [
        (("geo_geometry_centroid",), ("type",), "a GeoJSON geometry's type member"),
    ],
    "pages/pages_map.c": [
        (("place_cb", "map_features"), ("type",),
         "a GeoJSON feature's, geometry's and collection's type member"),
    ],
    "pages/pages_charts.c": [
        (("chart_signed",), ("active",),
         "a choice of the agreement's status (signed, active, ended), not a field"),
    ],
    "domain/duties.c": [
        (("ref_title",), ("title",),
         "{id, title}: a referenced record's display title, of any entity"),
        (("duties_status",), ("state",),
         "a period's computed reporting state (on_time, late...)"),
    ],
    "domain/remind.c": [
        (("collect_duties",), ("state", "title"),
         "duties_status's answer read as it is given (domain/duties.c): a "
         "period's computed state, {id, title} of a referenced record"),
    ],
    # the reader's proposal set and its acceptance's answer (docs/INGEST.md):
    # the reader's own words, spelt once in this header
    "ingest/ingest_keys.h": [("*", "*", "the proposal set's keys and kinds")],
    # DHIS2's dataValueSets and IHE ADX names (docs/exchange-standards.md):
    # another system's words, spelt once in this header
    "domain/dhis2_keys.h": [("*", "*", "DHIS2 and ADX field, option and "
                             "import-summary names")],
    "cli/main.c": [
        (("print_entities_json",), "*",
         "`entities --json`: the description's own words (name, type, label…)"),
        (("cmd_parse",), ("number", "kind", "value", "qualifier", "period",
                          "code", "label"),
         "`parse KIND TEXT`: its kinds and the keys it prints (docs/INGEST.md)"),
        (("commands",), ("report",), "a command's name (the table commands[])"),
        (("cmd_ingest", "cmd_units"), ("text",), "the value of --format text"),
        (("serve_options",), ("text",), "the value of --log-format text"),
        (("canonicalise",), ("entity", "value"),
         "a row seed_canonicalise left as is, {entity, id, field, value, "
         "message} (domain/seed.h): seed.c's keys, printed to the operator"),
    ],
    # coord_program_progress's answer (docs/API.md), read as it is answered
    "report/report_build.c": [
        (("progress_block",), ("title",),
         "{id, title}: an outstanding agreement's unit in the program's "
         "progress (domain/coord.c agreement_cb)"),
    ],
    # the API's error object {"error": {"code", "message", "fields"}}
    # (docs/API.md): "code" is the error's code, not a field
    "http/server.c": [(("resp_error",), ("code",), "the API's error object"),
                      (("access_log",), ("status",),
                       "a JSON access-log line's keys (docs/OPERATIONS.md)")],
    "api/api_reorg.c": [(("post_reorganise",), ("code",), "the API's error object")],
    "api/api.c": [(("bulk_records",), ("code",), "the API's error object"),
                  (("post_session",), ("login",),
                   "the session request {login, password} (docs/API.md)")],
    # GET /api/workflow/E/ID answers {field, status, next, history}: "status"
    # is the API's word for the record's state, whatever its field is named
    "api/api_coord.c": [(("workflow_state",), ("status",),
                         "the workflow answer's key")],
    # the pages' forms: an input's name is the HTTP contract of its
    # template (templates/*.tmpl), whatever field it fills
    "pages/pages_auth.c": [(("post_login",), ("login",),
                            "the sign-in form {login, password, next} (login.tmpl)")],
    "pages/pages_tools.c": [(("post_status",), ("status",),
                             "the workflow form's <select name=\"status\"> "
                             "(tools.tmpl), whatever the workflow field is named")],
    "pages/pages_report.c": [
        (("grid_args",), ("target_set", "period"),
         "the grid's URL arguments and form inputs {target_set, unit, period} "
         "(reports.tmpl)"),
        (("post_grid",), ("action",),
         "the grid form's buttons <button name=\"action\"> (reports.tmpl)"),
        (("add_group", "get_reports"), ("label", "scope", "title"),
         "a scope group of /reports {label, items: [{scope, title}]} "
         "(reports.tmpl): a report scope's text, the display title of a "
         "record of any entity"),
    ],
    # the review of the reader's proposals: the proposal set's kinds and
    # keys (docs/INGEST.md), which ingest/ingest_keys.h spells where it
    # has them; the page's forms and its templates' keys
    "pages/pages_ingest.c": [
        (("specs", "kind_order", "summary_of"),
         ("person", "organisation", "foreign_unit", "commendation",
          "recommendation", "task", "name", "role", "number", "value",
          "qualifier", "form", "content", "code"),
         "the proposal set's kinds and each kind's keys, which the review "
         "form shows and edits: the reader's words, not fields"),
        (("fields_of",), ("name", "label", "value", "type"),
         "a review field {name, label, value, long, type, options} (ingest.tmpl)"),
        (("groups_of",), ("label",), "a group of proposals {label, items} (ingest.tmpl)"),
        (("result_view",), ("entity", "label", "title", "scope"),
         "the result page's records {entity, id, label, title} and report "
         "scopes {scope, label, title} (ingest.tmpl)"),
        (("start_page", "post_ingest"), ("text", "publication_date"),
         "the ingest form's inputs {file, text, publication_date} (ingest.tmpl)"),
        (("batch_page",), ("title",), "the batch page's title (ingest.tmpl)"),
        (("decisions_of",), ("decision",),
         "a decision for ingest_batch_accept {decision, edit} (ingest_accept.h)"),
    ],
    # the import page's form inputs and its templates' keys (import.tmpl):
    # an entity's name and label, a column's field name and label, the
    # uploaded file's name - of any entity, so no one field's
    "pages/pages_import.c": [
        (("kinds_of", "start_page", "post_import", "post_confirm", "preview_rows"),
         ("entity", "label", "name", "filename"),
         "the import form's <select name=\"entity\"> and the templates' keys "
         "{entity, label}, {name, label} of a column, the upload's filename "
         "(import.tmpl)"),
        (("post_confirm",), ("action",),
         "the confirm form's buttons <button name=\"action\"> (import.tmpl)"),
    ],
    # the keys of a template's JSON model (the template reads them by name)
    "pages/pages_follow.c": [(("events",), ("kind", "title"),
                              "a timeline event {date, kind, title, href} "
                              "(follow.tmpl): the kind's label and the display "
                              "title of a record of any entity")],
}


# Not names at all: words of another vocabulary that happen to equal a
# field's name; same form as EDGES.
OTHER_WORDS = {
    "api/api_openapi.c": [
        ("*", ("type", "description", "name", "content", "title", "number", "code"),
         "OpenAPI and JSON Schema keywords (a schema's type, title, description; a "
         "parameter's name; a response's content; the JSON type number; the error's code)"),
        ("*", ("as_of", "program_id", "report_id", "entity"),
         "URL arguments spelt as the handlers read them (req_query, id_arg, date_arg: "
         "EDGE_CALLS in api_coord.c, api_report.c; the workflow route's entity segment)"),
    ],
    "schema/registry.c": [
        (("field_type_name",), ("text", "catalog"),
         "type words of the description (text, catalog)"),
        (("field_format_name",), ("period",), "a text field's format word"),
        (("write_rule_name",), ("scope", "organisation"),
         "write-rule words of the description"),
    ],
    "report/report_build.c": [
        (("section_content",), ("text",),
         "the content choice `text` of an outline section (the writer's "
         "own text: OUTLINE_CONTENTS, registry.h), not a field"),
    ],
    "report/report_layout.c": [
        ("*", ("state",),
         "the name of the state layout (Decree 30): the model's \"layout\", "
         "not a field"),
    ],
    "report/report_text.c": [
        (("html_footer",), ("position",),
         "a CSS class of static/report.css: the signer's position line"),
    ],
    "pages/pages.c": [
        (("home_kinds",), ("active",),
         "a choice of the agreement's status (signed, active, ended), not a field"),
    ],
    "pages/pages_records.c": [
        (("view_widget",), ("text",), "an HTML input's type (type=\"text\")"),
    ],
    "ingest/ingest_text.c": [
        (("html_blocks",), ("section", "title"),
         "HTML element names (the html_blocks[] table)"),
    ],
    # codes of enums and catalogs that the reader writes into records
    "ingest/ingest_accept.c": [
        (("reviewed_agreement",), ("active",),
         "a choice of the agreement's status"),
        (("measures",), ("persons", "households", "cases"),
         "activity_measure catalog codes (the measures[] table)"),
        (("figure_indicator",), ("number",),
         "a choice of the indicator's value_kind (number, percent, ratio)"),
        (("do_task",), ("meeting", "document"),
         "task_source catalog codes: where a task was given"),
        (("ingest_batch_accept",), ("partial",),
         "a choice of the batch's state (accepted, rejected, partial)"),
    ],
}


# Calls whose literal arguments are edges wherever they are: the name of a
# URL argument is the outside world's word (docs/API.md), whatever field it
# happens to share its spelling with.
EDGE_CALLS = {
    "req_query": "a URL argument",
    "req_query_int": "a URL argument",
    "req_form_int": "a form input's name (the HTTP contract of its template)",
    "date_arg": "a URL argument (api_coord.c's req_query for dates)",
    "id_arg": "a URL argument (api_coord.c's req_query_int for ids)",
    "find_command": "a command's name (cli/main.c)",
}


def names():
    """Field and entity names of the description."""
    ents, fields = set(), set()
    with open(DESC, encoding="utf-8") as f:
        for line in f:
            t = line.split("#", 1)[0].split()
            if len(t) >= 2 and t[0] == "entity":
                ents.add(t[1])
            elif len(t) >= 2 and t[0] == "field":
                fields.add(t[1])
    return ents, fields


TOKEN = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)*')
  | (?P<pre>^[ \t]*\#[ \t]*include[^\n]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<paren>\()
  | (?P<cparen>\))
  | (?P<bracket>\[)
  | (?P<cbracket>\])
  | (?P<assign>=(?!=))
''', re.S | re.M | re.X)


def literals(text):
    """(line, literal text, enclosing function or None, the function whose
    argument it is or None) of every string literal outside comments and
    #include lines (an #include's name is not code; a #define's literal
    is, and counts).  The literals of a file-scope initializer
    (`static const struct x specs[] = { ... }`) are its variable's: their
    "function" is the variable's name (specs)."""
    depth = 0
    func = None
    last_ident = None
    candidate = None  # identifier before the last "(" at depth 0
    calls = []        # the callee of each open "(" (None: not a call)
    prev = None       # the kind of the previous token
    var = None        # the variable a file-scope "=" assigns
    bracketed = None  # the identifier before the last "[" at depth 0
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("comment", "char", "pre"):
            continue
        if kind == "bracket":
            if depth == 0 and prev == "ident":
                bracketed = last_ident
        elif kind == "assign":
            if depth == 0:
                var = bracketed if prev == "cbracket" else last_ident
        elif kind == "ident":
            last_ident = m.group()
        elif kind == "paren":
            if depth == 0:
                candidate = last_ident
            calls.append(last_ident if prev == "ident" else None)
        elif kind == "cparen":
            if calls:
                calls.pop()
        elif kind == "open":
            if depth == 0:
                func = var if prev == "assign" else candidate
                calls = []
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
            if depth == 0:
                func = None
                calls = []
                var = bracketed = None
        elif kind == "string":
            body = m.group()[1:-1]
            line = text.count("\n", 0, m.start()) + 1
            yield line, body, func if depth > 0 else None, calls[-1] if calls else None
        prev = kind


def edge(rel, func, lit, callee=None):
    """Is lit, in func of file rel (an argument of callee), an edge or
    another vocabulary's word?"""
    if callee in EDGE_CALLS:
        return True
    for table in (EDGES, OTHER_WORDS):
        for key in (rel, os.path.basename(rel)):
            for funcs, words, _why in table.get(key, ()):
                if ((funcs == "*" or (func is not None and func in funcs)) and
                        (words == "*" or lit in words)):
                    return True
    return False


def count(verbose=False):
    ents, fields = names()
    out = {}
    for root, _, files in os.walk(SRC):
        for fn in sorted(files):
            if not fn.endswith((".c", ".h")) or fn.startswith("entities."):
                continue
            path = os.path.join(root, fn)
            rel = os.path.relpath(path, SRC)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            n = 0
            for line, lit, func, callee in literals(text):
                if (lit in ents or lit in fields) and not edge(rel, func, lit, callee):
                    n += 1
                    if verbose:
                        print("%s:%d: \"%s\"%s" % (rel, line, lit,
                                                  " (in %s)" % func if func else ""))
            if n:
                out[rel] = n
    return out


def main(argv):
    global SRC
    verbose = "--verbose" in argv
    argv = [a for a in argv if a != "--verbose"]
    if len(argv) >= 3 and argv[1] == "--src":
        SRC = argv[2]
        argv = argv[:1] + argv[3:]
    counts = count(verbose)
    total = sum(counts.values())
    if len(argv) == 3 and argv[1] == "--write":
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump({"total": total, "files": dict(sorted(counts.items()))}, f,
                      indent=1, sort_keys=False)
            f.write("\n")
        print("count-literals: %d in %d files, written to %s" % (total, len(counts),
                                                                argv[2]))
        return 0
    if len(argv) == 3 and argv[1] == "--check":
        with open(argv[2], encoding="utf-8") as f:
            base = json.load(f)["files"]
        grew = [(k, base.get(k, 0), v) for k, v in sorted(counts.items())
                if v > base.get(k, 0)]
        for k, b, v in grew:
            print("count-literals: %s names %d fields or entities by string, "
                  "the baseline %d: use the generated ids (FLD_*, ENT_*)" % (k, v, b))
        lower = sum(base.values()) - total
        if not grew and lower > 0:
            print("count-literals: %d fewer than the baseline; lower it with "
                  "tools/count-literals.py --write %s" % (lower, argv[2]))
        print("count-literals: %d (baseline %d)" % (total, sum(base.values())))
        return 1 if grew else 0
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    layers = {}
    for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print("%6d  %s" % (v, k))
        layer = k.split(os.sep)[0] + "/" if os.sep in k else "."
        layers[layer] = layers.get(layer, 0) + v
    for k, v in sorted(layers.items(), key=lambda kv: (-kv[1], kv[0])):
        print("%6d  %s (layer)" % (v, k))
    print("%6d  total" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
