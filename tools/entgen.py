#!/usr/bin/env python3
"""Generate the entity registry from schema/entities.txt.

usage: entgen.py ENTITIES.txt GPLIMITS.h OUT_H OUT_C [OUT_JSON]

schema/entities.txt describes every entity once (its header documents the
syntax).  This writes
  OUT_H     entities.h: entity and field ids (enum entity_id, enum
            field_id), the report scope kinds, the flags of workflow moves
            and page tools, and the types of the behaviour tables; it
            needs nothing but <stddef.h>
  OUT_C     entities.c: the registry of registry.h (registry[],
            registry_count) and the behaviour tables (entity_behaviours[],
            report_scope_kinds[])
  OUT_JSON  entities.json: all of it as data (limits resolved from
            gplimits.h), for tests and docs
Do not edit the output.  The description is checked first: a reference to
an entity not declared before, a workflow state that is not a choice of
its field, a tool or flag not known here - each is an error naming the
line, and nothing is written.

Ids.  ENT_<ENTITY> in registry order; FLD_<ENTITY>_<FIELD> =
ENT_<ENTITY> << FLD_ENTITY_SHIFT | index of the field, so that an accessor
can tell (FLD_ENTITY, FLD_INDEX) which entity a field id belongs to.  The
prefixes are not the flag macros' (F_REQUIRED, E_ADMIN): report.scope
would be F_REPORT_SCOPE, which is already a field flag.
"""
import json
import re
import shlex
import sys

FIELD_SHIFT = 8          # field index bits of a field id
FIELDS_MAX = 1 << FIELD_SHIFT
ENUM_CODE_MAX = 63       # registry.c enum_has reads codes into 64 bytes
WORKFLOW_STATES_MAX = 16  # gplimits.h (checked against it below)
PERIOD_TEXT_MAX = 64     # the written form of a period ("6 tháng đầu năm 2024")

FIELD_FLAGS = {
    'required': 'F_REQUIRED', 'search': 'F_SEARCH', 'list': 'F_LIST',
    'secret': 'F_SECRET', 'owner': 'F_OWNER', 'unique': 'F_UNIQUE',
    'system': 'F_SYSTEM', 'expr': 'F_EXPR', 'scope': 'F_SCOPE',
    'sourced': 'F_SOURCED',
}
# flags the type implies (in the order registry.h defines them)
TYPE_FLAGS = {'long': 'F_LONG', 'period': 'F_PERIOD',
              'report_scope': 'F_REPORT_SCOPE', 'codes': 'F_CODE_LIST'}
C_TYPES = {
    'text': 'FT_TEXT', 'long': 'FT_TEXT', 'period': 'FT_TEXT',
    'report_scope': 'FT_TEXT', 'codes': 'FT_TEXT', 'int': 'FT_INTEGER',
    'dec': 'FT_DECIMAL', 'date': 'FT_DATE', 'enum': 'FT_ENUM',
    'catalog': 'FT_CATALOG', 'bool': 'FT_BOOLEAN', 'ref': 'FT_REF',
}
JSON_TYPES = {
    'FT_TEXT': 'text', 'FT_INTEGER': 'integer', 'FT_DECIMAL': 'decimal',
    'FT_DATE': 'date', 'FT_ENUM': 'enum', 'FT_CATALOG': 'catalog',
    'FT_BOOLEAN': 'boolean', 'FT_REF': 'reference',
}
ENTITY_FLAGS = {'readonly': 'E_READONLY', 'admin_only': 'E_ADMIN',
                'reference': 'E_REFERENCE'}
WRITE_RULES = {
    'system': 'WR_SYSTEM', 'admin': 'WR_ADMIN', 'reference': 'WR_REFERENCE',
    'scope': 'WR_SCOPE', 'owner': 'WR_OWNER', 'organisation': 'WR_ORG',
    'creator': 'WR_CREATOR',
}
MOVE_FLAGS = {'approver': 'MV_APPROVER', 'back': 'MV_BACK',
              'trusted': 'MV_TRUSTED'}
# page tools (pages_tools.c implements them); those with a state
TOOLS = ['achievement', 'grid', 'progress', 'timeline', 'unit_timeline',
         'report_links', 'issue', 'answer']
TOOLS_WITH_STATE = {'issue', 'answer'}


class DescError(Exception):
    pass


class Field:
    def __init__(self, entity, name, kind, arg, label, flags, lo, hi, line):
        self.entity = entity
        self.name = name
        self.kind = kind          # description type: text, long, period, ...
        self.ctype = C_TYPES[kind]
        self.arg = arg            # catalog, entity or enum choices
        self.label = label
        self.flags = flags        # C macro names, registry.h order
        self.lo = lo              # C expressions ("0", "1e6", a constant)
        self.hi = hi
        self.choices = []         # (code, label)
        self.line = line


class Entity:
    def __init__(self, name, label, section, title, line):
        self.name = name
        self.label = label
        self.section = section
        self.title = title
        self.line = line
        self.write = None
        self.write_note = None
        self.access = []
        self.unique = None
        self.fields = []
        self.byname = {}
        self.workflow = None
        self.links = {}           # confidential, attached, log, org, ...
        self.tools = []           # (name, state)


class Workflow:
    def __init__(self, field, line):
        self.field = field
        self.initial = []
        self.moves = []           # (from, to, [flags])
        self.lock = None
        self.line = line


def c_string(s):
    if s is None:
        return 'NULL'
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def c_ident(s):
    return s.upper()


NUMBER = re.compile(r'^-?[0-9]+(\.[0-9]+)?(e[0-9]+)?$')


def parse_limit(tok, limits, where):
    if NUMBER.match(tok):
        return tok
    if tok in limits:
        return tok
    raise DescError('%s: %r is neither a number nor a constant of gplimits.h'
                    % (where, tok))


def limit_value(expr, limits):
    if expr in limits:
        return limits[expr]
    v = float(expr)
    return v


def read_limits(path):
    """#define NAME NUMBER lines of gplimits.h (values the JSON needs)."""
    out = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'#define\s+([A-Z_0-9]+)\s+\(?([0-9]+)\)?\s*(/\*.*)?$',
                         line.strip())
            if m:
                out[m.group(1)] = float(m.group(2))
    return out


def parse(path, limits):
    sections = {}
    entities = []
    byname = {}
    scopes = []
    ent = None
    last_field = None
    wf = None
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for no, raw in enumerate(text.split('\n'), 1):
        where = '%s:%d' % (path, no)
        try:
            t = shlex.split(raw, comments=True)
        except ValueError as ex:
            raise DescError('%s: %s' % (where, ex))
        if not t:
            continue
        kw, args = t[0], t[1:]

        def need(n, usage):
            if len(args) < n:
                raise DescError('%s: %s' % (where, usage))

        # a choice continues the field above it, a workflow's lines the
        # workflow above them
        if kw != 'choice':
            last_field = None
        if kw not in ('initial', 'move', 'lock'):
            wf = None
        if kw == 'section':
            need(2, 'section KEY "Label"')
            if args[0] in sections:
                raise DescError('%s: section %s twice' % (where, args[0]))
            sections[args[0]] = args[1]
        elif kw == 'entity':
            need(2, 'entity NAME "Label" section=KEY title=FIELD')
            kv = dict(a.split('=', 1) for a in args[2:] if '=' in a)
            if set(kv) != {'section', 'title'} or len(args) != 4:
                raise DescError('%s: entity NAME "Label" section=KEY title=FIELD'
                                % where)
            if not re.match(r'^[a-z][a-z0-9_]*$', args[0]):
                raise DescError('%s: entity name %r' % (where, args[0]))
            if args[0] in byname:
                raise DescError('%s: entity %s twice' % (where, args[0]))
            if kv['section'] not in sections:
                raise DescError('%s: no section %s' % (where, kv['section']))
            ent = Entity(args[0], args[1], kv['section'], kv['title'], where)
            entities.append(ent)
            byname[ent.name] = ent
        elif kw == 'scope':
            need(2, 'scope KIND ENTITY ["Label" page=N]')
            kind, ename = args[0], args[1]
            label, page = None, None
            for a in args[2:]:
                if a.startswith('page='):
                    page = int(a[5:])
                elif label is None:
                    label = a
                else:
                    raise DescError('%s: scope KIND ENTITY ["Label" page=N]'
                                    % where)
            if ename != '-' and ename not in byname:
                raise DescError('%s: scope %s: no entity %s' % (where, kind, ename))
            if any(s['kind'] == kind for s in scopes):
                raise DescError('%s: scope %s twice' % (where, kind))
            if (label is None) != (page is None):
                raise DescError('%s: a scope on the page has a label and a page'
                                % where)
            scopes.append({'kind': kind, 'entity': None if ename == '-' else ename,
                           'label': label, 'page': page, 'line': where})
        elif ent is None:
            raise DescError('%s: %s outside an entity' % (where, kw))
        elif kw == 'write':
            need(2, 'write RULE "Note"')
            if args[0] not in WRITE_RULES:
                raise DescError('%s: write rule %r (one of %s)' % (
                    where, args[0], ', '.join(WRITE_RULES)))
            if ent.write is not None:
                raise DescError('%s: %s has two write rules' % (where, ent.name))
            ent.write, ent.write_note = args[0], args[1]
        elif kw == 'access':
            for a in args:
                if a not in ENTITY_FLAGS:
                    raise DescError('%s: access %r (one of %s)' % (
                        where, a, ', '.join(ENTITY_FLAGS)))
                ent.access.append(a)
        elif kw == 'unique':
            need(1, 'unique "COLUMNS"')
            ent.unique = args[0]
        elif kw == 'field':
            need(3, 'field NAME TYPE "Label" FLAG... [max=N]')
            name, spec, label = args[0], args[1], args[2]
            if not re.match(r'^[a-z][a-z0-9_]*$', name):
                raise DescError('%s: field name %r' % (where, name))
            if name in ent.byname or name in ('id', 'version', 'created_at',
                                              'updated_at', 'illustrative',
                                              'search_key'):
                raise DescError('%s: field %s.%s twice (or a common column)'
                                % (where, ent.name, name))
            kind, _, targ = spec.partition(':')
            if kind not in C_TYPES:
                raise DescError('%s: type %r' % (where, spec))
            lo, hi, arg = '0', '0', None
            if kind == 'text':
                hi = parse_limit(targ, limits, where) if targ else \
                    'TEXT_FIELD_MAX_DEFAULT'
            elif kind == 'long':
                hi = 'TEXT_LONG_MAX'
            elif kind == 'period':
                hi = str(PERIOD_TEXT_MAX)
            elif kind == 'report_scope':
                if not targ:
                    raise DescError('%s: report_scope:MAX' % where)
                hi = parse_limit(targ, limits, where)
            elif kind == 'codes':
                if not targ:
                    raise DescError('%s: codes:CATALOG' % where)
                arg = targ
            elif kind in ('int', 'dec'):
                if targ:
                    m = re.match(r'^(.+)\.\.(.+)$', targ)
                    if not m:
                        raise DescError('%s: %s:LO..HI' % (where, kind))
                    lo = parse_limit(m.group(1), limits, where)
                    hi = parse_limit(m.group(2), limits, where)
                    if limit_value(lo, limits) >= limit_value(hi, limits):
                        raise DescError('%s: empty range %s' % (where, targ))
            elif kind in ('catalog', 'ref'):
                if not targ:
                    raise DescError('%s: %s:NAME' % (where, kind))
                arg = targ
                if kind == 'ref':
                    if targ not in byname and targ != ent.name:
                        raise DescError('%s: %s.%s references %s, which is not '
                                        'declared before it' % (where, ent.name,
                                                                name, targ))
            elif targ:
                raise DescError('%s: type %s takes no argument' % (where, kind))
            flags = []
            for a in args[3:]:
                if a.startswith('max='):
                    if kind not in ('text', 'long', 'codes', 'report_scope'):
                        raise DescError('%s: max= on a %s field' % (where, kind))
                    hi = parse_limit(a[4:], limits, where)
                elif a in FIELD_FLAGS:
                    if FIELD_FLAGS[a] in flags:
                        raise DescError('%s: flag %s twice' % (where, a))
                    flags.append(FIELD_FLAGS[a])
                else:
                    raise DescError('%s: flag %r (one of %s)' % (
                        where, a, ', '.join(FIELD_FLAGS)))
            if kind == 'codes' and hi == '0':
                raise DescError('%s: codes:CATALOG needs max=N' % where)
            if kind in TYPE_FLAGS:
                flags.append(TYPE_FLAGS[kind])
            if ('F_OWNER' in flags or 'F_SCOPE' in flags) and kind != 'ref':
                raise DescError('%s: owner and scope are for references' % where)
            fld = Field(ent, name, kind, arg, label, flags, lo, hi, where)
            ent.fields.append(fld)
            ent.byname[name] = fld
            if len(ent.fields) > FIELDS_MAX:
                raise DescError('%s: more than %d fields' % (where, FIELDS_MAX))
            last_field = fld
        elif kw == 'choice':
            need(2, 'choice CODE "Label"')
            if last_field is None or last_field.kind != 'enum':
                raise DescError('%s: a choice follows an enum field' % where)
            code = args[0]
            if not re.match(r'^[a-z][a-z0-9_]*$', code) or len(code) > ENUM_CODE_MAX:
                raise DescError('%s: choice code %r' % (where, code))
            if any(c == code for c, _ in last_field.choices):
                raise DescError('%s: choice %s twice' % (where, code))
            if '|' in args[1] or '=' in args[1]:
                raise DescError('%s: a choice label holds no "|" or "="' % where)
            last_field.choices.append((code, args[1]))
        elif kw == 'workflow':
            need(1, 'workflow FIELD')
            if ent.workflow is not None:
                raise DescError('%s: %s has two workflows' % (where, ent.name))
            f = ent.byname.get(args[0])
            if f is None or f.kind != 'enum':
                raise DescError('%s: workflow %s: not an enum field of %s'
                                % (where, args[0], ent.name))
            wf = ent.workflow = Workflow(f, where)
        elif kw in ('initial', 'move', 'lock'):
            if wf is None:
                raise DescError('%s: %s belongs to a workflow' % (where, kw))
            states = [c for c, _ in wf.field.choices]

            def state(s):
                if s not in states:
                    raise DescError('%s: %r is not a choice of %s.%s'
                                    % (where, s, ent.name, wf.field.name))
                return s
            if kw == 'initial':
                need(1, 'initial STATE...')
                wf.initial += [state(s) for s in args]
            elif kw == 'lock':
                need(1, 'lock STATE')
                if wf.lock is not None:
                    raise DescError('%s: two lock states' % where)
                wf.lock = state(args[0])
            else:
                need(2, 'move FROM TO [approver] [back] [trusted]')
                fl = []
                for a in args[2:]:
                    if a not in MOVE_FLAGS:
                        raise DescError('%s: move flag %r (one of %s)' % (
                            where, a, ', '.join(MOVE_FLAGS)))
                    fl.append(a)
                mv = (state(args[0]), state(args[1]), fl)
                if mv[0] == mv[1] or any(m[0] == mv[0] and m[1] == mv[1]
                                         for m in wf.moves):
                    raise DescError('%s: move %s -> %s twice or to itself'
                                    % (where, mv[0], mv[1]))
                wf.moves.append(mv)
        elif kw in ('confidential', 'creator', 'dated'):
            need(1, '%s FIELD' % kw)
            f = ent.byname.get(args[0])
            want = {'confidential': ('bool',), 'creator': ('ref',),
                    'dated': ('date',)}[kw]
            if f is None or f.kind not in want:
                raise DescError('%s: %s %s: not a %s field of %s' % (
                    where, kw, args[0], '/'.join(want), ent.name))
            if kw == 'creator' and f.arg != 'app_user':
                raise DescError('%s: the creator is an app_user' % where)
            ent.links[kw] = (f,)
        elif kw in ('attached', 'log', 'org', 'due'):
            need(2, '%s FIELD FIELD' % kw)
            want = {'attached': (('text',), ('int',)), 'log': (('text',), ('int',)),
                    'org': (('ref',), ('ref',)), 'due': (('date',), ('date',))}[kw]
            fs = []
            for a, w in zip(args[:2], want):
                f = ent.byname.get(a)
                if f is None or f.kind not in w:
                    raise DescError('%s: %s %s: not a %s field of %s' % (
                        where, kw, a, '/'.join(w), ent.name))
                fs.append(f)
            if kw == 'org' and fs[1].arg != ent.name:
                raise DescError('%s: the parent of an organisation is one'
                                % where)
            ent.links[kw] = tuple(fs)
        elif kw == 'tool':
            need(1, 'tool NAME [STATE]')
            name = args[0]
            if name not in TOOLS:
                raise DescError('%s: tool %r (one of %s)' % (where, name,
                                                            ', '.join(TOOLS)))
            st = None
            if name in TOOLS_WITH_STATE:
                need(2, 'tool %s STATE' % name)
                if ent.workflow is None or args[1] not in \
                        [c for c, _ in ent.workflow.field.choices]:
                    raise DescError('%s: tool %s %s: not a state of the workflow '
                                    'declared before it' % (where, name, args[1]))
                st = args[1]
            elif len(args) > 1:
                raise DescError('%s: tool %s takes no state' % (where, name))
            if any(n == name for n, _ in ent.tools):
                raise DescError('%s: tool %s twice' % (where, name))
            ent.tools.append((name, st))
        else:
            raise DescError('%s: unknown statement %r' % (where, kw))
    check(entities, scopes, limits)
    return sections, entities, scopes


def check(entities, scopes, limits):
    if limits.get('WORKFLOW_STATES_MAX', WORKFLOW_STATES_MAX) != WORKFLOW_STATES_MAX:
        raise DescError('gplimits.h: WORKFLOW_STATES_MAX changed; update entgen.py')
    for e in entities:
        if e.write is None:
            raise DescError('%s: %s declares no write rule' % (e.line, e.name))
        if e.title not in e.byname:
            raise DescError('%s: title %s is not a field of %s' % (e.line, e.title,
                                                                  e.name))
        if not e.fields:
            raise DescError('%s: %s has no fields' % (e.line, e.name))
        for f in e.fields:
            if f.kind == 'enum' and not f.choices:
                raise DescError('%s: enum %s.%s has no choices' % (f.line, e.name,
                                                                  f.name))
        w = e.workflow
        if w is not None:
            if not w.initial:
                raise DescError('%s: the workflow of %s has no initial state'
                                % (w.line, e.name))
            if len(w.field.choices) > WORKFLOW_STATES_MAX:
                raise DescError('%s: more than WORKFLOW_STATES_MAX states'
                                % w.line)
            if w.lock is not None and sum(1 for m in w.moves
                                          if m[0] == w.lock) > 1:
                raise DescError('%s: one move at most leaves the lock state '
                                '(it reopens the record)' % w.line)
        if 'org' in e.links and e.write != 'organisation':
            raise DescError('%s: org belongs to write rule organisation' % e.line)
        if e.write == 'organisation' and 'org' not in e.links:
            raise DescError('%s: write rule organisation needs org' % e.line)
    if not any(s['entity'] is None for s in scopes):
        raise DescError('no scope for the whole country (scope KIND -)')
    pages = sorted(s['page'] for s in scopes if s['page'] is not None)
    if pages != list(range(1, len(pages) + 1)):
        raise DescError('scope pages are not 1..N: %s' % pages)
    seen = set()
    for s in scopes:
        if s['entity'] is not None and s['entity'] in seen:
            raise DescError('%s: two scope kinds of %s' % (s['line'], s['entity']))
        seen.add(s['entity'])


def enum_arg(f):
    return '|'.join('%s=%s' % c for c in f.choices)


def field_arg(f):
    return enum_arg(f) if f.kind == 'enum' else f.arg


def fld_id(e, f):
    return 'FLD_%s_%s' % (c_ident(e.name), c_ident(f.name))


def ent_id(e):
    return 'ENT_%s' % c_ident(e.name)


def gen_header(out, entities, scopes):
    w = out.append
    w('/* entities.h - generated by tools/entgen.py from schema/entities.txt;')
    w(' * do not edit.  Ids of entities and fields, report scope kinds, and the')
    w(' * types of the behaviour tables (entities.c). */')
    w('#ifndef GIAPRANH_ENTITIES_H')
    w('#define GIAPRANH_ENTITIES_H')
    w('')
    w('#include <stddef.h>')
    w('')
    w('/* Entities, in registry order: registry[ENT_X] is entity X. */')
    w('enum entity_id {')
    for e in entities:
        w('\t%s,' % ent_id(e))
    w('};')
    w('/* a define, not an enumerator: a switch over the ids stays exhaustive */')
    w('#define ENT_COUNT %d' % len(entities))
    w('')
    w('/* Fields: the entity in the high bits, the index in its fields below')
    w(' * FLD_ENTITY_SHIFT; FLD_NONE is no field. */')
    w('#define FLD_ENTITY_SHIFT %d' % FIELD_SHIFT)
    w('#define FLD_INDEX_MASK ((1u << FLD_ENTITY_SHIFT) - 1)')
    w('enum field_id {')
    w('\tFLD_NONE = -1,')
    for e in entities:
        for i, f in enumerate(e.fields):
            w('\t%s = %s << FLD_ENTITY_SHIFT | %d,' % (fld_id(e, f), ent_id(e), i))
    w('};')
    w('#define FLD_ENTITY(f) ((enum entity_id)((unsigned)(f) >> FLD_ENTITY_SHIFT))')
    w('#define FLD_INDEX(f) ((size_t)((unsigned)(f) & FLD_INDEX_MASK))')
    w('')
    w('/* Fields per entity. */')
    for e in entities:
        w('#define %s_NFIELDS %d' % (ent_id(e), len(e.fields)))
    w('')
    w('/* Kinds of report scope (report.h), written KIND:ID. */')
    w('enum report_scope_kind {')
    for s in scopes:
        w('\tSCOPE_%s,' % c_ident(s['kind']))
    w('};')
    w('#define SCOPE_KIND_COUNT %d' % len(scopes))
    w('')
    w('struct report_scope_kind_def {')
    w('\tconst char *name;   /* written before the colon                  */')
    w('\tconst char *entity; /* whose record the id names; NULL: the nation */')
    w('\tint entity_id;      /* enum entity_id, -1 for the nation          */')
    w('\tconst char *label;  /* a group of the page /reports, or NULL      */')
    w('\tint page;           /* its place there (1, 2, ...), 0 = not shown  */')
    w('};')
    w('extern const struct report_scope_kind_def report_scope_kinds[SCOPE_KIND_COUNT];')
    w('#define REPORT_SCOPE_KINDS_TEXT %s' % c_string(scope_kinds_text(scopes)))
    w('')
    w('/* Workflow moves (workflow.h). */')
    w('#define MV_APPROVER 0x1u /* only approvers (and admins) make this move       */')
    w('#define MV_BACK     0x2u /* returns or reopens a record: never on the way')
    w('                         * forward (workflow_advance, workflow_create)     */')
    w('#define MV_TRUSTED  0x4u /* only a trusted write (R_SYSTEM) that sets the')
    w('                         * system fields the new state needs              */')
    w('')
    w('struct workflow_move {')
    w('\tconst char *from;')
    w('\tconst char *to;')
    w('\tunsigned flags;')
    w('};')
    w('')
    w('struct workflow_def {')
    w('\tenum field_id field;        /* the status field (an enum)             */')
    w('\tconst char *const *initial; /* states a record is created in (NULL ends) */')
    w('\tconst char *locked;         /* no change nor delete in it, or NULL    */')
    w('\tconst struct workflow_move *moves;')
    w('\tsize_t nmoves;')
    w('};')
    w('')
    w('/* Tools of a record page (pages_tools.c). */')
    for i, t in enumerate(TOOLS):
        w('#define TOOL_%s 0x%xu' % (c_ident(t), 1 << i))
    w('')
    w('/* What an entity does besides its fields (schema/entities.txt). */')
    w('struct entity_behaviour {')
    w('\tconst char *write_note;     /* who keeps it (docs/SECURITY.md)        */')
    w('\tconst struct workflow_def *workflow; /* NULL: none                   */')
    w('\tenum field_id confidential; /* the boolean that hides a record        */')
    w('\tenum field_id attached_entity, attached_id; /* a file of any record  */')
    w('\tenum field_id log_entity, log_id; /* a log of other records\' events */')
    w('\tenum field_id org_unit, org_parent; /* an organisation               */')
    w('\tenum field_id creator;      /* the user who created it               */')
    w('\tenum field_id dated;        /* places a record in a report period    */')
    w('\tenum field_id due, done;    /* deadline and completion date          */')
    w('\tint scope_kind;             /* enum report_scope_kind, or -1          */')
    w('\tunsigned tools;             /* TOOL_*                                 */')
    w('\tconst char *issue_state;    /* TOOL_ISSUE: offered in this state      */')
    w('\tconst char *answer_state;   /* TOOL_ANSWER: offered in this state     */')
    w('};')
    w('extern const struct entity_behaviour entity_behaviours[ENT_COUNT];')
    w('')
    w('#endif')


def scope_kinds_text(scopes):
    names = [s['kind'] for s in scopes]
    return ', '.join(names[:-1]) + ' hoặc ' + names[-1]


def gen_source(out, sections, entities, scopes):
    w = out.append
    w('/* entities.c - generated by tools/entgen.py from schema/entities.txt;')
    w(' * do not edit. */')
    w('#include "schema/entities.h"')
    w('#include "base/gplimits.h"')
    w('#include "schema/registry.h"')
    w('')
    for e in entities:
        w('static const struct field_def %s_fields[] = {' % e.name)
        for f in e.fields:
            flags = ' | '.join(f.flags) if f.flags else '0'
            w('\t{ %s, %s, %s, %s, %s, %s, %s },' % (
                c_string(f.name), f.ctype, c_string(f.label), flags, f.lo, f.hi,
                c_string(field_arg(f))))
        w('};')
        w('static const struct entity_def %s_entity = {' % e.name)
        w('\t.name = %s,' % c_string(e.name))
        w('\t.label = %s,' % c_string(e.label))
        w('\t.section = %s,' % c_string(sections[e.section]))
        w('\t.title_field = %s,' % c_string(e.title))
        w('\t.fields = %s_fields,' % e.name)
        w('\t.nfields = %d,' % len(e.fields))
        w('\t.flags = %s,' % (' | '.join(ENTITY_FLAGS[a] for a in e.access)
                             if e.access else '0'))
        w('\t.unique_sql = %s,' % c_string(e.unique))
        w('\t.write = %s,' % WRITE_RULES[e.write])
        w('\t.id = %s,' % ent_id(e))
        w('};')
        w('')
    w('const struct entity_def *const registry[] = {')
    for e in entities:
        w('\t[%s] = &%s_entity,' % (ent_id(e), e.name))
    w('};')
    w('const size_t registry_count = ENT_COUNT;')
    w('')
    for e in entities:
        wf = e.workflow
        if wf is None:
            continue
        w('static const char *const %s_initial[] = { %s, NULL };' % (
            e.name, ', '.join(c_string(s) for s in wf.initial)))
        w('static const struct workflow_move %s_moves[] = {' % e.name)
        for a, b, fl in wf.moves:
            w('\t{ %s, %s, %s },' % (c_string(a), c_string(b),
                                     ' | '.join(MOVE_FLAGS[x] for x in fl) or '0'))
        w('};')
        w('static const struct workflow_def %s_workflow = {' % e.name)
        w('\t%s, %s_initial, %s, %s_moves, %d' % (fld_id(e, wf.field), e.name,
                                                  c_string(wf.lock), e.name,
                                                  len(wf.moves)))
        w('};')
        w('')
    w('const struct report_scope_kind_def report_scope_kinds[SCOPE_KIND_COUNT] = {')
    byname = {e.name: e for e in entities}
    for s in scopes:
        w('\t[SCOPE_%s] = { %s, %s, %s, %s, %d },' % (
            c_ident(s['kind']), c_string(s['kind']), c_string(s['entity']),
            ent_id(byname[s['entity']]) if s['entity'] else '-1',
            c_string(s['label']), s['page'] or 0))
    w('};')
    w('')
    w('const struct entity_behaviour entity_behaviours[ENT_COUNT] = {')
    for e in entities:
        def link(k, i=0):
            v = e.links.get(k)
            return fld_id(e, v[i]) if v else 'FLD_NONE'
        kind = [i for i, s in enumerate(scopes) if s['entity'] == e.name]
        tools = ' | '.join('TOOL_%s' % c_ident(n) for n, _ in e.tools) or '0'
        st = dict(e.tools)
        w('\t[%s] = {' % ent_id(e))
        w('\t\t.write_note = %s,' % c_string(e.write_note))
        w('\t\t.workflow = %s,' % ('&%s_workflow' % e.name if e.workflow else 'NULL'))
        w('\t\t.confidential = %s,' % link('confidential'))
        w('\t\t.attached_entity = %s, .attached_id = %s,' % (link('attached'),
                                                            link('attached', 1)))
        w('\t\t.log_entity = %s, .log_id = %s,' % (link('log'), link('log', 1)))
        w('\t\t.org_unit = %s, .org_parent = %s,' % (link('org'), link('org', 1)))
        w('\t\t.creator = %s,' % link('creator'))
        w('\t\t.dated = %s,' % link('dated'))
        w('\t\t.due = %s, .done = %s,' % (link('due'), link('due', 1)))
        w('\t\t.scope_kind = %s,' % ('SCOPE_%s' % c_ident(scopes[kind[0]]['kind'])
                                     if kind else '-1'))
        w('\t\t.tools = %s,' % tools)
        w('\t\t.issue_state = %s,' % c_string(st.get('issue')))
        w('\t\t.answer_state = %s,' % c_string(st.get('answer')))
        w('\t},')
    w('};')


def gen_json(sections, entities, scopes, limits):
    def num(expr):
        return limit_value(expr, limits)
    out = {'entities': [], 'scopes': []}
    for e in entities:
        fields = []
        for f in e.fields:
            d = {'name': f.name, 'id': fld_id(e, f), 'type': JSON_TYPES[f.ctype],
                 'label': f.label, 'arg': field_arg(f),
                 'flags': [x[2:].lower() for x in f.flags],
                 'min': num(f.lo), 'max': num(f.hi)}
            if f.choices:
                d['choices'] = [{'code': c, 'label': l} for c, l in f.choices]
            fields.append(d)
        d = {'name': e.name, 'id': ent_id(e), 'label': e.label,
             'section': sections[e.section], 'title_field': e.title,
             'write_rule': e.write, 'write_note': e.write_note,
             'access': e.access, 'unique': e.unique, 'fields': fields,
             'links': {k: [f.name for f in v] for k, v in e.links.items()},
             'tools': [{'name': n, 'state': s} for n, s in e.tools]}
        if e.workflow is not None:
            w = e.workflow
            d['workflow'] = {'field': w.field.name, 'initial': w.initial,
                             'lock': w.lock,
                             'moves': [{'from': a, 'to': b, 'flags': fl}
                                       for a, b, fl in w.moves]}
        out['entities'].append(d)
    for s in scopes:
        out['scopes'].append({k: s[k] for k in ('kind', 'entity', 'label', 'page')})
    return out


def write_if_changed(path, text):
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def main(argv):
    if len(argv) not in (5, 6):
        sys.stderr.write(__doc__)
        return 2
    limits = read_limits(argv[2])
    try:
        sections, entities, scopes = parse(argv[1], limits)
    except DescError as ex:
        sys.stderr.write('entgen: %s\n' % ex)
        return 1
    h, c = [], []
    gen_header(h, entities, scopes)
    gen_source(c, sections, entities, scopes)
    write_if_changed(argv[3], '\n'.join(h) + '\n')
    write_if_changed(argv[4], '\n'.join(c) + '\n')
    if len(argv) == 6:
        write_if_changed(argv[5], json.dumps(gen_json(sections, entities, scopes,
                                                      limits),
                                             ensure_ascii=False, indent=1) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
