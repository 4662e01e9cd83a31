/*
 * ingest_accept.c - see ingest_accept.h.  Proposals become records in one
 * transaction; every write goes through records_create / records_update, so
 * validation, the acting user's grants and the audit log apply exactly as
 * for typed-in records.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/attach.h"
#include "domain/records.h"
#include "domain/seed.h"
#include "domain/workflow.h"
#include "domain/workflow_move.h"
#include "ingest/ingest_accept.h"
#include "ingest/ingest_keys.h"
#include "schema/record.h"
#include "schema/registry.h"
#include "text/text.h"

#define NOTE_MAX      4000  /* bytes of a "Nguồn: …" note we build       */
#define TITLE_MAX     1000  /* characters of a title we derive            */
#define CLAUSE_MAX    600   /* bytes of a clause used as a title          */
#define DOC_TITLE_MAX 900   /* bytes of the source document's title       */

/* ---- the state of one acceptance ------------------------------------------ */

struct acc {
	struct store *s;
	const struct actor *who;
	struct err *e;
	json_t *props;        /* accepted proposals (edits applied), in order */
	json_t *byid;         /* id -> proposal (borrowed from props)         */
	json_t *made;         /* id -> [[entity, id], …]                      */
	json_t *events;       /* event id -> {meeting, supervision, activity
	                       * (each keyed by its entity's name: the id of
	                       * the record it became, 0 none), date, unit}  */
	json_t *created;      /* result list                                  */
	json_t *scopes;       /* scope -> true (object: unique, ordered)      */
	json_t *orgs;         /* folded name -> id                            */
	json_t *activities;   /* "event\x1fkind" -> activity id               */
	json_t *others;       /* event id -> [figure texts with no record]    */
	json_t *failed;       /* proposal id -> {field, reason}: not written   */
	json_t *notes;        /* proposal id -> [what was filled in, to check] */
	json_t *doc_kinds;    /* folded label -> document_kind code (lazy)     */
	int64_t doc_id;       /* the source document (0: none)                */
	char *text;           /* its plain text (the spans point into it), or NULL */
	size_t text_len;
	char source[DOC_TITLE_MAX];
	const char *pub_date; /* ISO or NULL                                  */
	const char *ref_date; /* the extractor's reference date (no publication
	                       * date): a stand-in, marked for the official    */
	const char *primary;  /* id of the first accepted event, or NULL      */
	int64_t main_unit;    /* the first event's unit, else a named unit    */
	int64_t program_id;
	int64_t agreement_id; /* what a review conference reviews, if a document */
	int64_t ts_bands, ts_named; /* target sets: band counts, named values */
	int groups_bands, groups_named;
	const char *cur, *cur_kind; /* the proposal being written (errors)   */
};

static const char *
s_of(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v != NULL && *v != '\0' ? v : NULL;
}

static bool
n_of(const json_t *o, const char *k, double *out)
{
	const json_t *v = json_object_get(o, k);

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	if (json_is_string(v) && vi_parse_decimal(json_string_value(v), out) == 0)
		return true;
	return false;
}

/* Folded (diacritic-free, lower case) copy, "" on bad input; caller frees. */
static char *
fold(const char *s)
{
	char *f = text_fold(s ? s : "");

	return f ? f : strdup("");
}

static bool
fold_has(const char *text, const char *needle)
{
	char *f = fold(text);
	bool yes = strstr(f, needle) != NULL;

	free(f);
	return yes;
}

/* Copy at most max bytes of s, never cutting a UTF-8 sequence. */
static void
clip(char *dst, size_t dstlen, const char *s, size_t max)
{
	size_t n = strlen(s ? s : "");

	if (max >= dstlen)
		max = dstlen - 1;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s ? s : "", n);
	dst[n] = '\0';
	/* trim blanks and a trailing separator */
	while (n > 0 && (isspace((unsigned char)dst[n - 1]) || dst[n - 1] == ',' ||
	    dst[n - 1] == ';' || dst[n - 1] == ':'))
		dst[--n] = '\0';
}

static int
fail_here(struct acc *a)
{
	if (a->cur != NULL)
		err_prefix(a->e, "đề xuất %s (%s): ", a->cur,
		    ingest_kind_label(a->cur_kind));
	return -1;
}

static int
bad_field(struct acc *a, const char *field, const char *msg)
{
	err_field(a->e, field, "%s", msg);
	snprintf(a->e->msg, sizeof(a->e->msg), "%s", msg);
	return fail_here(a);
}

/* What the acceptance filled in for the official to check ("loại văn bản
 * “Hiệp ước” ghi là Khác"): kept with the proposal's decision. */
static void
note_add(struct acc *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note_add(struct acc *a, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	json_t *list;
	va_list ap;

	if (a->cur == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	list = json_object_get(a->notes, a->cur);
	if (list == NULL)
		json_object_set_new(a->notes, a->cur, list = json_array());
	json_array_append_new(list, json_string(msg));
}

/* Create a record; its id in *id.  The created list names the proposal.
 * A report tells of records already along their workflow (agreements in
 * force, figures submitted): created in an initial state and moved on. */
static int
create(struct acc *a, enum entity_id entity, json_t *rec, int64_t *id)
{
	const struct entity_def *ent = entity_of(entity);
	json_t *out = NULL, *list;
	char title[300];

	if (workflow_create(a->s, ent, rec, a->who, 0, &out, a->e) != 0) {
		json_decref(rec);
		err_prefix(a->e, "%s: ", ent->label);
		return fail_here(a);
	}
	json_decref(rec);
	*id = json_integer_value(json_object_get(out, "id"));
	clip(title, sizeof(title), s_of(out, ent->title_field) ? s_of(out,
	    ent->title_field) : "", 200);
	json_array_append_new(a->created, json_pack("{s:s?, s:s?, s:s, s:I, s:s}",
	    "proposal", a->cur, ACC_KIND, a->cur_kind, ACC_ENTITY, ent->name,
	    "id", (json_int_t)*id, ACC_TITLE, title));
	if (a->cur != NULL) {
		list = json_object_get(a->made, a->cur);
		if (list == NULL) {
			list = json_array();
			json_object_set_new(a->made, a->cur, list);
		}
		json_array_append_new(list, json_pack("[s, I]", ent->name, (json_int_t)*id));
	}
	json_decref(out);
	return 0;
}

static int
update(struct acc *a, enum entity_id entity, int64_t id, json_t *fields)
{
	int rc = records_update(a->s, entity_of(entity), id, fields, 0, a->who,
	    0, NULL, a->e);

	json_decref(fields);
	return rc != 0 ? fail_here(a) : 0;
}

static void
scope_add(struct acc *a, enum report_scope_kind kind, int64_t id)
{
	char sc[64];

	snprintf(sc, sizeof(sc), "%s:%lld", report_scope_kinds[kind].name, (long long)id);
	json_object_set_new(a->scopes, sc, json_true());
}

static void
scope_unit(struct acc *a, int64_t unit)
{
	json_t *u = unit > 0 ? store_get(a->s, entity_of(ENT_ADMIN_UNIT), unit, NULL) : NULL;
	char sc[64];

	if (u != NULL && s_of(u, field_name(FLD_ADMIN_UNIT_CODE)) != NULL) {
		snprintf(sc, sizeof(sc), "unit:%s", jrec_str(u, FLD_ADMIN_UNIT_CODE));
		json_object_set_new(a->scopes, sc, json_true());
	}
	json_decref(u);
}

/* The first record an accepted proposal became, of an entity. */
static int64_t
made_id(struct acc *a, const char *pid, enum entity_id entity)
{
	json_t *list = pid ? json_object_get(a->made, pid) : NULL, *it;
	size_t i;

	json_array_foreach(list, i, it)
		if (strcmp(json_string_value(json_array_get(it, 0)),
		    entity_of(entity)->name) == 0)
			return json_integer_value(json_array_get(it, 1));
	return 0;
}

static void
note_source(struct acc *a, struct buf *b)
{
	buf_addf(b, "Nguồn: %s", a->source);
	if (a->doc_id > 0)
		buf_addf(b, " (văn bản nguồn số %lld trong hệ thống)", (long long)a->doc_id);
	if (a->cur != NULL)
		buf_addf(b, ", đề xuất %s", a->cur);
	buf_adds(b, ".");
}

static json_t *
note_json(struct acc *a, const char *extra)
{
	struct buf b;
	json_t *v;

	buf_init(&b, NOTE_MAX);
	note_source(a, &b);
	if (extra != NULL && *extra)
		buf_addf(&b, " %s", extra);
	v = json_string(buf_str(&b));
	buf_free(&b);
	return v;
}

static void primary_summary(struct acc *a, struct buf *b, const char *avoid);

/* A reviewed agreement's or program's description: first what the text
 * says of it (the figures with no record of their own and not already in
 * `avoid`, its title), else `fallback`; then, after a blank line, the source
 * note.  A review report opens with the first paragraph.  JSON null when
 * there is nothing to say. */
static json_t *
lead_json(struct acc *a, const char *avoid, const char *fallback, const char *extra)
{
	struct buf b;
	json_t *v;

	buf_init(&b, NOTE_MAX * 2);
	primary_summary(a, &b, avoid);
	if (b.len == 0 && fallback != NULL)
		buf_adds(&b, fallback);
	/* nothing to open the report with: no description (the source note
	 * alone would open it; the record's document and meeting name the
	 * source) */
	if (b.len == 0) {
		buf_free(&b);
		return json_null();
	}
	buf_adds(&b, "\n\n");
	note_source(a, &b);
	if (extra != NULL && *extra)
		buf_addf(&b, " %s", extra);
	v = json_string(buf_str(&b));
	buf_free(&b);
	return v;
}

/* ---- units, organisations, people ------------------------------------------- */

static int64_t
unit_of(struct acc *a, const json_t *ref)
{
	const char *code = s_of(ref, PK_CODE);
	json_t *vin = json_object_get(ref, "vintage");
	const char *date = REORG_LAST_DATE;
	int64_t id = 0;

	if (code == NULL)
		return 0;
	if ((json_is_integer(vin) && json_integer_value(vin) >= 2025) ||
	    (json_is_string(vin) && strcmp(json_string_value(vin), "2025") == 0))
		date = REORG_DATE;
	if (store_unit_by_code(a->s, code, date, &id, NULL) != 0)
		return 0;
	return id;
}

static const struct { const char *needle, *kind; } org_words[] = {
	{ "don bien phong", "border_post" }, { "bien phong", "border_guard" },
	{ "huyen uy", "party_committee" }, { "tinh uy", "party_committee" },
	{ "dang uy", "party_committee" }, { "ban thuong vu", "party_committee" },
	{ "thuong truc", "party_committee" }, { "ban chap hanh", "party_committee" },
	{ "hdnd", "peoples_council" }, { "hoi dong nhan dan", "peoples_council" },
	{ "ubnd", "peoples_committee" }, { "uy ban nhan dan", "peoples_committee" },
	{ "cong an", "police" }, { "quan su", "military" }, { "chqs", "military" },
	{ "mat tran", "front" }, { "mttq", "front" }, { "cong ty", "company" },
	{ "so ", "department" }, { "ban ", "party_board" },
};

/* org_kind of docs/INGEST.md -> the org_kind catalog */
static const struct { const char *in, *code; } org_kinds[] = {
	{ "border_post", "border_post" }, { "party_committee", "party_committee" },
	{ "people_committee", "peoples_committee" }, { "council", "peoples_council" },
	{ "police", "police" }, { "military", "military" },
	{ "department", "department" }, { "front", "front" }, { "other", "other" },
};

static const char *
org_kind_guess(const char *name)
{
	char *f = fold(name);
	const char *k = "other";
	size_t i;

	for (i = 0; i < sizeof(org_words) / sizeof(org_words[0]); i++)
		if (strncmp(f, org_words[i].needle, strlen(org_words[i].needle)) == 0 ||
		    strstr(f, org_words[i].needle) != NULL) {
			k = org_words[i].kind;
			break;
		}
	free(f);
	return k;
}

/* An organisation by name: one named so already, else a new one. */
static int
org_find_or_create(struct acc *a, const char *name, const char *kind, int64_t unit,
    int64_t *id)
{
	char *key = fold(name);
	json_t *hit = json_object_get(a->orgs, key), *rows = NULL, *v;
	struct list_query q;

	*id = 0;
	if (hit != NULL) {
		*id = json_integer_value(hit);
		free(key);
		return 0;
	}
	memset(&q, 0, sizeof(q));
	v = json_string(name);
	q.filters[0] = (struct list_filter){ field_name(FLD_ORGANISATION_NAME), OP_EQ, v };
	q.nfilters = 1;
	q.limit = 1;
	if (store_list(a->s, entity_of(ENT_ORGANISATION), &q, &rows, NULL, NULL) == 0) {
		*id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		json_decref(rows);
	}
	json_decref(v);
	if (*id == 0) {
		json_t *rec = json_pack("{s:s, s:s}",
		    field_name(FLD_ORGANISATION_NAME), name,
		    field_name(FLD_ORGANISATION_KIND),
		    kind ? kind : org_kind_guess(name));
		if (unit > 0)
			jrec_set(rec, FLD_ORGANISATION_UNIT_ID,
			    json_integer(unit));
		if (create(a, ENT_ORGANISATION, rec, id) != 0) {
			free(key);
			return -1;
		}
	}
	json_object_set_new(a->orgs, key, json_integer(*id));
	free(key);
	return 0;
}

/* The id of the first record whose FIELD equals VALUE, or 0. */
static int64_t
id_where(struct acc *a, enum field_id field, const char *value)
{
	struct list_query q;
	json_t *rows = NULL, *v = json_string(value);
	int64_t id = 0;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(field), OP_EQ, v };
	q.nfilters = 1;
	q.limit = 1;
	if (store_list(a->s, entity_of(FLD_ENTITY(field)), &q, &rows, NULL, NULL) == 0) {
		id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		json_decref(rows);
	}
	json_decref(v);
	return id;
}

static int64_t
person_find(struct acc *a, const char *name)
{
	return id_where(a, FLD_PERSON_FULL_NAME, name);
}

/* ---- proposals: order, edits, references -------------------------------------- */

static json_t *
prop(struct acc *a, const char *id)
{
	return id ? json_object_get(a->byid, id) : NULL;
}

/* Proposals of a kind, in text order. */
#define FOR_KIND(a, kind, i, p) \
	json_array_foreach((a)->props, i, p) \
		if (strcmp(s_of(p, PK_KIND) ? s_of(p, PK_KIND) : "", kind) == 0)

static void
begin(struct acc *a, const json_t *p)
{
	a->cur = s_of(p, "id");
	a->cur_kind = s_of(p, PK_KIND);
}

/* The event a proposal belongs to: its own, when accepted, else the first. */
static const char *
event_of(struct acc *a, const json_t *p)
{
	const char *ev = s_of(p, "event");

	if (ev != NULL && json_object_get(a->events, ev) != NULL)
		return ev;
	return a->primary;
}

static json_t *
ev_info(struct acc *a, const char *ev)
{
	return ev ? json_object_get(a->events, ev) : NULL;
}

/* The id of the record of entity e an event became (0: none). */
static int64_t
ev_made(const json_t *info, enum entity_id e)
{
	return rec_int(info, entity_of(e)->name);
}

/* The date of an event's records: its own, else the publication date,
 * else the reference date the extractor resolved the text against (noted
 * for the official: the text gives none). */
static const char *
ev_date(struct acc *a, const char *ev)
{
	const char *d = s_of(ev_info(a, ev), "date");

	if (d == NULL && (d = a->pub_date) == NULL && (d = a->ref_date) != NULL)
		note_add(a, "văn bản không ghi ngày: tạm lấy %s (ngày mốc khi đọc văn "
		    "bản), cần kiểm tra", d);
	return d;
}

/* The article's place, for a record that needs a unit and whose proposal
 * names none: the first event's unit, else the first unit the text names
 * (a->main_unit), else the unit of the first organisation written that has
 * one; 0 when the text names no place at all.  `say` notes the stand-in. */
static int64_t
text_place(struct acc *a, bool say)
{
	json_t *list, *it, *org;
	const char *k;
	int64_t u = a->main_unit;
	size_t i;

	json_object_foreach(a->made, k, list) {
		if (u > 0)
			break;
		json_array_foreach(list, i, it)
			if (strcmp(json_string_value(json_array_get(it, 0)) ?: "",
			    entity_of(ENT_ORGANISATION)->name) == 0 &&
			    (org = store_get(a->s, entity_of(ENT_ORGANISATION),
			    json_integer_value(json_array_get(it, 1)), NULL)) != NULL) {
				u = jrec_int(org, FLD_ORGANISATION_UNIT_ID);
				json_decref(org);
				if (u > 0)
					break;
			}
	}
	if (u > 0 && say) {
		json_t *rec = store_get(a->s, entity_of(ENT_ADMIN_UNIT), u, NULL);
		note_add(a, "đề xuất không nêu địa bàn: lấy địa bàn của văn bản (%s), cần "
		    "kiểm tra", rec && jrec_str(rec, FLD_ADMIN_UNIT_NAME) ?
		    jrec_str(rec, FLD_ADMIN_UNIT_NAME) : "?");
		json_decref(rec);
	}
	return u;
}

static int64_t
ev_unit(struct acc *a, const char *ev)
{
	int64_t u = rec_int(ev_info(a, ev), "unit");

	return u > 0 ? u : a->main_unit;
}

/* The first accepted proposal of a kind whose span lies within p's. */
static json_t *
within_span(struct acc *a, const json_t *p, const char *kind)
{
	json_t *sp = json_object_get(p, "span"), *q;
	int64_t s0 = json_integer_value(json_array_get(sp, 0));
	int64_t s1 = json_integer_value(json_array_get(sp, 1));
	size_t i;

	FOR_KIND(a, kind, i, q) {
		json_t *qs = json_object_get(q, "span");
		if (json_integer_value(json_array_get(qs, 0)) >= s0 &&
		    json_integer_value(json_array_get(qs, 1)) <= s1 && s1 > s0)
			return q;
	}
	return NULL;
}

/* Whether p's span lies inside an accepted proposal of a kind (a figure in
 * a recommendation or a task is what is asked for, not what was done). */
static bool
inside_kind(struct acc *a, const json_t *p, const char *kind)
{
	json_t *sp = json_object_get(p, "span"), *q;
	int64_t s0 = json_integer_value(json_array_get(sp, 0));
	int64_t s1 = json_integer_value(json_array_get(sp, 1));
	size_t i;

	FOR_KIND(a, kind, i, q) {
		json_t *qs = json_object_get(q, "span");
		if (s1 > s0 && json_integer_value(json_array_get(qs, 0)) <= s0 &&
		    json_integer_value(json_array_get(qs, 1)) >= s1)
			return true;
	}
	return false;
}

static bool
in_statement(struct acc *a, const json_t *p)
{
	return inside_kind(a, p, PKIND_RECOMMENDATION) || inside_kind(a, p, PKIND_TASK);
}

/* The clause that holds a figure (between ';' or sentence marks): "Cán bộ
 * và nhân dân tham gia tuần tra được 638 lần với 4.932 lượt người tham
 * gia" - from the source text around the span when it is at hand, else
 * from the quote.  Into buf. */
static void
clause_of(struct acc *a, const json_t *p, char *buf, size_t len)
{
	json_t *sp = json_object_get(p, "span");
	json_int_t s0 = json_integer_value(json_array_get(sp, 0));
	json_int_t s1 = json_integer_value(json_array_get(sp, 1));
	const char *q = s_of(p, "quote"), *t = s_of(p, PK_TEXT), *at, *st, *en, *base;
	size_t n;

	if (a->text != NULL && s0 >= 0 && s1 > s0 && (size_t)s1 <= a->text_len) {
		base = a->text;
		at = a->text + s0;
		t = NULL;
		n = (size_t)(s1 - s0);
	} else if (q != NULL) {
		base = q;
		at = t ? strstr(q, t) : NULL;
		if (at == NULL)
			at = q;
		n = t ? strlen(t) : 0;
	} else {
		clip(buf, len, t ? t : "", len - 1);
		return;
	}
	for (st = at; st > base && st[-1] != ';' && st[-1] != '\n' &&
	    !(st[-1] == '.' && (st[0] == ' ' || st[0] == '\n')) && at - st < (long)len; st--)
		;
	/* "184,5km" keeps its comma: only a ';' or '.' followed by a blank ends */
	for (en = at + n; *en && *en != ';' && *en != '\n' && en - at < (long)len &&
	    !(*en == '.' && (en[1] == ' ' || en[1] == '\0' || en[1] == '\n' ||
	    ((unsigned char)en[1] == 0xC2 && (unsigned char)en[2] == 0xA0))); en++)
		;
	while (st < en && (isspace((unsigned char)*st) || (unsigned char)*st == 0xC2))
		st += (unsigned char)*st == 0xC2 && (unsigned char)st[1] == 0xA0 ? 2 : 1;
	clip(buf, len, st, (size_t)(en - st) < len - 1 ? (size_t)(en - st) : len - 1);
	if (*buf && (unsigned char)buf[0] < 0x80)
		buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* What the text says of the reviewed matter beyond the records: the clauses
 * of the primary event's figures that have no record of their own ("Ba
 * huyện có 16 xã với 122 thôn, giáp ranh"), each once, into b. */
static void
primary_summary(struct acc *a, struct buf *b, const char *avoid)
{
	json_t *p, *seen = json_object();
	char clause[CLAUSE_MAX], *at, *colon;
	size_t i;

	FOR_KIND(a, "figure", i, p) {
		const char *pa = s_of(p, "proposed_as"), *ev = s_of(p, "event");
		if (pa != NULL && strcmp(pa, "other") != 0)
			continue;
		if (ev == NULL || prop(a, ev) == NULL)
			ev = a->primary;
		if (ev == NULL || a->primary == NULL || strcmp(ev, a->primary) != 0 ||
		    in_statement(a, p))
			continue;
		/* a figure the title already gives ("… giúp đỡ 106 xã …") */
		if (avoid != NULL && s_of(p, PK_TEXT) != NULL && strstr(avoid, s_of(p, PK_TEXT)))
			continue;
		clause_of(a, p, clause, sizeof(clause));
		/* the clause ends at a list's colon; one cut by length is not shown */
		at = s_of(p, PK_TEXT) ? strstr(clause, s_of(p, PK_TEXT)) : NULL;
		if (at != NULL && (colon = strchr(at, ':')) != NULL)
			*colon = '\0';
		if (strlen(clause) >= sizeof(clause) - 2)
			continue;
		clip(clause, sizeof(clause), clause, sizeof(clause) - 1);
		if (*clause == '\0' || json_object_get(seen, clause) != NULL)
			continue;
		json_object_set_new(seen, clause, json_true());
		buf_addf(b, "%s%s.", b->len ? " " : "", clause);
	}
	json_decref(seen);
}

/* ---- documents (legal references) ----------------------------------------------- */

static const struct { const char *name, *code; } doc_kinds_vi[] = {
	{ "nghi quyet", "NQ" }, { "quyet dinh", "QD" }, { "ket luan", "KL" },
	{ "chi thi", "CT" }, { "ke hoach", "KH" }, { "quy che", "QC" },
	{ "quy dinh", "QYD" }, { "bao cao", "BC" }, { "nghi dinh", "ND" },
	{ "thong tu", "TT" }, { "thong bao", "TB" }, { "to trinh", "TTR" },
	{ "huong dan", "HD" }, { "chuong trinh", "CTR" }, { "de an", "DA" },
	{ "bien ban", "BB" }, { "cong van", "CV" }, { "luat", "L" },
	{ "thoa thuan", "BTT" }, { "ban thoa thuan", "BTT" },
};

/* The catalog code of a document kind as written: a code, a name of the
 * list above, else a label of the catalog (an administrator's new kind);
 * NULL when none. */
static const char *
doc_kind_code(struct acc *a, const char *kind)
{
	const char *code = NULL;
	char *f;
	size_t i;

	if (kind == NULL)
		return NULL;
	if (store_catalog_has(a->s, "document_kind", kind))
		return kind;
	f = fold(kind);
	for (i = 0; i < sizeof(doc_kinds_vi) / sizeof(doc_kinds_vi[0]) && code == NULL; i++)
		if (strcmp(f, doc_kinds_vi[i].name) == 0)
			code = doc_kinds_vi[i].code;
	if (code == NULL) {
		if (a->doc_kinds == NULL) {
			struct list_query q;
			json_t *v = json_string("document_kind"), *rows, *row;
			memset(&q, 0, sizeof(q));
			q.filters[0] = (struct list_filter){ field_name(FLD_CATALOG_ITEM_CATALOG),
			    OP_EQ, v };
			q.nfilters = 1;
			a->doc_kinds = json_object();
			rows = store_list_all(a->s, entity_of(ENT_CATALOG_ITEM), &q,
			    LIST_LIMIT_MAX, NULL);
			json_array_foreach(rows, i, row) {
				char *lf = fold(jrec_str(row, FLD_CATALOG_ITEM_LABEL));
				if (jrec_str(row, FLD_CATALOG_ITEM_CODE) != NULL)
					json_object_set_new(a->doc_kinds, lf, json_string(
					    jrec_str(row, FLD_CATALOG_ITEM_CODE)));
				free(lf);
			}
			json_decref(rows);
			json_decref(v);
		}
		code = json_string_value(json_object_get(a->doc_kinds, f));
	}
	free(f);
	return code;
}

#define DOC_KIND_OTHER "KHAC" /* the catalog's "Khác": the kind kept as written */

#define SUBJECT_GAP_MAX 120 /* bytes between a number and the "về" of its subject */
#define SUBJECT_MAX     400 /* bytes of a subject read from the text       */

/* A numbered document cited without its subject where the proposal is, but
 * with it at another mention ("Quyết định số 2523/QĐ-UBND ngày 28/10/2013"
 * … "triển khai Quyết định số 2523/QĐ-UBND của UBND tỉnh về việc phân
 * công … giúp đỡ 106 xã …"): the words after "về" up to the end of the
 * clause, or to "đã" (the predicate of the sentence).  Into out ("" when
 * none). */
static void
subject_elsewhere(struct acc *a, const json_t *p, char *out, size_t len)
{
	const char *number = s_of(p, PK_NUMBER), *at, *t = a->text;
	static const char ve[] = "v\xe1\xbb\x81 ";      /* "về " */
	static const char da[] = " \xc4\x91\xc3\xa3 "; /* " đã " */

	*out = '\0';
	if (t == NULL || number == NULL || strlen(number) < 3)
		return;
	for (at = strstr(t, number); at != NULL; at = strstr(at + 1, number)) {
		const char *q = at + strlen(number), *end, *stop;
		for (; *q && q - at < SUBJECT_GAP_MAX && strchr(".;:\n", *q) == NULL; q++)
			if (q[-1] == ' ' && strncmp(q, ve, sizeof(ve) - 1) == 0)
				break;
		if (strncmp(q, ve, sizeof(ve) - 1) != 0)
			continue;
		q += sizeof(ve) - 1;
		for (end = q; *end && strchr(";:\n", *end) == NULL &&
		    !(*end == '.' && (end[1] == ' ' || end[1] == '\0')) && end - q < SUBJECT_MAX; end++)
			;
		if ((stop = strstr(q, da)) != NULL && stop < end)
			end = stop;
		if (end - q < 8)
			continue;
		clip(out, len, q, (size_t)(end - q));
		return;
	}
}

static int64_t
document_by_number(struct acc *a, const char *number)
{
	return id_where(a, FLD_DOCUMENT_NUMBER_SYMBOL, number);
}

static int
do_legal_ref(struct acc *a, json_t *p)
{
	const char *kind = doc_kind_code(a, s_of(p, "doc_kind"));
	const char *number = s_of(p, PK_NUMBER), *subject = s_of(p, "subject");
	const char *text = s_of(p, PK_TEXT), *written_kind = NULL;
	char title[TITLE_MAX * 2];
	int64_t id = 0, issuer = 0;
	json_t *rec, *list;

	if (kind == NULL) {
		/* a kind the catalog lacks ("Hiệp ước", "Thông cáo chung"): kept
		 * as written under "Khác", for the official to check */
		if (!store_catalog_has(a->s, "document_kind", DOC_KIND_OTHER))
			return bad_field(a, "doc_kind", "loại văn bản không có trong danh mục "
			    "(Nghị quyết, Quyết định, Kết luận, Kế hoạch…)");
		kind = DOC_KIND_OTHER;
		written_kind = s_of(p, "doc_kind") ? s_of(p, "doc_kind") : "văn bản";
		note_add(a, "loại văn bản “%s” chưa có trong danh mục: ghi là Khác, giữ "
		    "chữ như văn bản ghi", written_kind);
	}
	/* the same document named twice in a text, or already in the system */
	if (number != NULL && (id = document_by_number(a, number)) > 0) {
		list = json_pack("[[s, I]]", entity_of(ENT_DOCUMENT)->name, (json_int_t)id);
		json_object_set_new(a->made, a->cur, list);
		return 0;
	}
	if (subject != NULL && text != NULL && strstr(text, subject) == NULL)
		snprintf(title, sizeof(title), "%s về %s", text, subject);
	else
		snprintf(title, sizeof(title), "%s", text ? text : subject ? subject : "");
	clip(title, sizeof(title), title, TITLE_MAX);
	if (s_of(p, "issuer") != NULL) {
		char *key = fold(s_of(p, "issuer"));
		issuer = json_integer_value(json_object_get(a->orgs, key));
		free(key);
	}
	rec = json_pack("{s:s, s:s}", field_name(FLD_DOCUMENT_KIND), kind,
	    field_name(FLD_DOCUMENT_TITLE), title);
	if (number != NULL)
		jrec_set(rec, FLD_DOCUMENT_NUMBER_SYMBOL, json_string(number));
	if (written_kind != NULL) {
		char wk[200];
		clip(wk, sizeof(wk), written_kind, 100);
		jrec_set(rec, FLD_DOCUMENT_KIND_AS_WRITTEN, json_string(wk));
	}
	if (s_of(p, "date") != NULL)
		jrec_set(rec, FLD_DOCUMENT_ISSUED_ON,
		    json_string(s_of(p, "date")));
	if (issuer > 0)
		jrec_set(rec, FLD_DOCUMENT_ISSUER_ID, json_integer(issuer));
	if (a->doc_id > 0)
		jrec_set(rec, FLD_DOCUMENT_RELATED_DOCUMENT_ID,
		    json_integer(a->doc_id));
	return create(a, ENT_DOCUMENT, rec, &id);
}

/* The first accepted legal reference of a document kind (NULL = any). */
static int64_t
legal_doc(struct acc *a, const char *kind_code, const json_t **which)
{
	json_t *p;
	size_t i;

	FOR_KIND(a, "legal_ref", i, p) {
		const char *k = doc_kind_code(a, s_of(p, "doc_kind"));
		int64_t id = made_id(a, s_of(p, "id"), ENT_DOCUMENT);
		if (id > 0 && (kind_code == NULL || (k && strcmp(k, kind_code) == 0))) {
			if (which)
				*which = p;
			return id;
		}
	}
	return 0;
}

/* ---- events ---------------------------------------------------------------------- */

static const struct { const char *type, *meeting_kind; } meeting_kinds[] = {
	{ "review_conference", "review_conference" }, { "briefing", "periodic_briefing" },
	{ "working_session", "working_session" }, { "bilateral_talks", "bilateral_talks" },
	{ "signing", "signing_ceremony" }, { PEV_MEETING, "working_session" },
	{ "other", "working_session" },
};

static const char *
activity_event_kind(const char *type)
{
	if (type == NULL)
		return NULL;
	if (strcmp(type, "patrol") == 0 || strcmp(type, "propaganda") == 0 ||
	    strcmp(type, "exchange") == 0)
		return type;
	return NULL;
}

/* Organisation leading a supervision: an accepted Party committee, else
 * the first accepted organisation. */
static int64_t
delegation_org(struct acc *a)
{
	json_t *p;
	size_t i;
	int64_t first = 0;

	FOR_KIND(a, PKIND_ORGANISATION, i, p) {
		int64_t id = made_id(a, s_of(p, "id"), ENT_ORGANISATION);
		const char *k = s_of(p, "org_kind");
		if (id > 0 && k != NULL && strcmp(k, "party_committee") == 0)
			return id;
		if (first == 0)
			first = id;
	}
	return first;
}

static void
event_title(const json_t *p, char *buf, size_t len)
{
	if (s_of(p, PK_TITLE) != NULL)
		clip(buf, len, s_of(p, PK_TITLE), TITLE_MAX);
	else
		clip(buf, len, s_of(p, "quote") ? s_of(p, "quote") : "Sự kiện", 400);
}

/* Distinct folded words of 3 letters or more of b that a also has. */
static int
shared_words(const char *a, const char *b)
{
	char *fa = fold(a), *fb = fold(b), *w, *save = NULL, pad[1024];
	int n = 0;

	snprintf(pad, sizeof(pad), " %s ", fa);
	for (char *c = pad; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = ' ';
	for (w = strtok_r(fb, " ,.;:-–()\"", &save); w != NULL;
	    w = strtok_r(NULL, " ,.;:-–()\"", &save)) {
		char needle[64], *again;
		if (strlen(w) < 3 || strlen(w) > 60)
			continue;
		snprintf(needle, sizeof(needle), " %s ", w);
		if (strstr(pad, needle) == NULL)
			continue;
		/* count a word once */
		again = strstr(pad, needle);
		memset(again + 1, '#', strlen(w));
		n++;
	}
	free(fa);
	free(fb);
	return n;
}

static const struct { const char *needle, *kind; } reviewed_words[] = {
	{ "giup do", "help_assignment" }, { "ket nghia", "twinning" },
	{ "quy che", "coordination" }, { "phoi hop", "coordination" },
	{ "hop tac", "cooperation" },
};

#define REVIEW_WORDS_MIN 4 /* words a document shares with a conference's title */

/* A review conference reviews a regulation, a decision, a plan: the
 * accepted legal reference its title shares the most words with becomes the
 * agreement the conference, its commendations and tasks belong to (Quy chế
 * phối hợp -> coordination, phân công giúp đỡ -> help assignment). */
static int
reviewed_agreement(struct acc *a, const json_t *ev, const char *title, int64_t unit)
{
	static const char *const kinds[] = { "QC", "QD", "KH", "CTR", "DA", "CT" };
	const json_t *best = NULL, *p;
	int best_n = REVIEW_WORDS_MIN - 1, n;
	const char *kind = "other", *text, *subject;
	char t[TITLE_MAX];
	struct buf m;
	int64_t doc;
	size_t i, k;
	json_t *rec;

	if (a->agreement_id > 0 || a->program_id > 0 ||
	    strcmp(s_of(ev, "event_type") ? s_of(ev, "event_type") : "", "review_conference") != 0)
		return 0;
	FOR_KIND(a, "legal_ref", i, p) {
		const char *code = doc_kind_code(a, s_of(p, "doc_kind"));
		bool ok = false;
		for (k = 0; code != NULL && k < sizeof(kinds) / sizeof(kinds[0]); k++)
			ok |= strcmp(code, kinds[k]) == 0;
		if (!ok || made_id(a, s_of(p, "id"), ENT_DOCUMENT) == 0)
			continue;
		/* the whole text and subject are compared (a fixed array cut
		 * them, and with them the words that decide); the cap is the
		 * stored proposal set's, so only an allocation can fail */
		buf_init(&m, INGEST_PROPOSALS_JSON_MAX);
		buf_addf(&m, "%s %s", s_of(p, PK_TEXT) ? s_of(p, PK_TEXT) : "",
		    s_of(p, "subject") ? s_of(p, "subject") : "");
		/* the sentence that names it says what it is about ("… phân công
		 * … giúp đỡ 106 xã …") when the proposal has no subject */
		if (s_of(p, "subject") == NULL) {
			char clause[CLAUSE_MAX];
			clause_of(a, p, clause, sizeof(clause));
			buf_addf(&m, " %s", clause);
		}
		if (buf_failed(&m)) {
			buf_free(&m);
			return err_nomem(a->e);
		}
		n = shared_words(title, buf_str(&m));
		buf_free(&m);
		if (n > best_n) {
			best_n = n;
			best = p;
		}
	}
	if (best == NULL)
		return 0;
	doc = made_id(a, s_of(best, "id"), ENT_DOCUMENT);
	text = s_of(best, PK_TEXT) ? s_of(best, PK_TEXT) : "";
	subject = s_of(best, "subject");
	/* each part on its own: nothing is cut off before the words are
	 * looked for */
	for (k = 0; k < sizeof(reviewed_words) / sizeof(reviewed_words[0]); k++)
		if (fold_has(title, reviewed_words[k].needle) ||
		    fold_has(text, reviewed_words[k].needle) ||
		    (subject != NULL && fold_has(subject, reviewed_words[k].needle))) {
			kind = reviewed_words[k].kind;
			break;
		}
	/* "Quyết định số 2523/QĐ-UBND … về việc phân công … giúp đỡ 106 xã …",
	 * cut at a character boundary by clip() below, not in a fixed array */
	buf_init(&m, INGEST_PROPOSALS_JSON_MAX);
	if (subject != NULL && strstr(text, subject) == NULL)
		buf_addf(&m, "%s về %s", text, subject);
	else
		buf_adds(&m, text);
	if (buf_failed(&m)) {
		buf_free(&m);
		return err_nomem(a->e);
	}
	clip(t, sizeof(t), buf_str(&m), TITLE_MAX - 1);
	buf_free(&m);
	rec = json_pack("{s:s, s:s, s:s, s:I, s:o}",
	    field_name(FLD_AGREEMENT_KIND), kind,
	    field_name(FLD_AGREEMENT_TITLE), t,
	    field_name(FLD_AGREEMENT_STATUS),
	    "active", field_name(FLD_AGREEMENT_DOCUMENT_ID), (json_int_t)doc,
	    field_name(FLD_AGREEMENT_DESCRIPTION), lead_json(a, t, NULL,
	    "Thỏa thuận (văn bản) được sơ kết, tổng kết tại hội nghị."));
	if (s_of(best, "date") != NULL)
		jrec_set(rec, FLD_AGREEMENT_SIGNED_ON,
		    json_string(s_of(best, "date")));
	if (unit > 0)
		jrec_set(rec, FLD_AGREEMENT_UNIT_ID, json_integer(unit));
	if (create(a, ENT_AGREEMENT, rec, &a->agreement_id) != 0)
		return -1;
	scope_add(a, SCOPE_AGREEMENT, a->agreement_id);
	return 0;
}

static int
do_event(struct acc *a, json_t *p)
{
	const char *type = s_of(p, "event_type"), *date = s_of(p, "date");
	const char *akind = activity_event_kind(type), *mkind = "working_session";
	const char *id = s_of(p, "id");
	char title[TITLE_MAX * 2];
	int64_t unit = unit_of(a, json_object_get(p, "place_unit")), mid = 0, sid = 0, aid = 0;
	bool approx = false, primary = false;
	struct buf extra;
	json_t *rec, *info, *others = json_object_get(a->others, id), *o;
	size_t i;

	if (date == NULL) {
		date = a->pub_date ? a->pub_date : a->ref_date;
		if (date == NULL)
			return bad_field(a, "date", "không rõ ngày diễn ra: hãy nhập ngày "
			    "(YYYY-MM-DD) hoặc ngày đăng của văn bản");
		approx = true;
		note_add(a, "văn bản không ghi ngày diễn ra: tạm lấy %s (%s), cần kiểm tra",
		    date, a->pub_date ? "ngày đăng" : "ngày mốc khi đọc văn bản");
	}
	if (unit == 0)
		unit = text_place(a, true);
	event_title(p, title, sizeof(title));
	buf_init(&extra, NOTE_MAX);
	if (approx)
		buf_addf(&extra, "Văn bản không ghi ngày diễn ra; lấy ngày đăng %s.", date);
	else if (s_of(p, "date_text") != NULL)
		buf_addf(&extra, "Ngày như văn bản ghi: “%s”.", s_of(p, "date_text"));
	if (json_array_size(others) > 0) {
		buf_adds(&extra, " Số liệu khác nêu trong văn bản: ");
		json_array_foreach(others, i, o)
			buf_addf(&extra, "%s%s", i ? "; " : "", json_string_value(o));
		buf_adds(&extra, ".");
	}
	for (i = 0; i < sizeof(meeting_kinds) / sizeof(meeting_kinds[0]); i++)
		if (type != NULL && strcmp(type, meeting_kinds[i].type) == 0)
			mkind = meeting_kinds[i].meeting_kind;
	if (akind != NULL) {
		if (unit == 0) {
			buf_free(&extra);
			return bad_field(a, "place_unit", "hoạt động cần địa bàn (đơn vị hành "
			    "chính): hãy chọn đơn vị");
		}
		rec = json_pack("{s:s, s:s, s:s, s:I, s:o}",
		    field_name(FLD_ACTIVITY_KIND), akind,
		    field_name(FLD_ACTIVITY_TITLE), title,
		    field_name(FLD_ACTIVITY_START_ON), date,
		    field_name(FLD_ACTIVITY_UNIT_ID), (json_int_t)unit,
		    field_name(FLD_ACTIVITY_DESCRIPTION),
		    note_json(a, buf_str(&extra)));
		if (a->program_id > 0)
			jrec_set(rec, FLD_ACTIVITY_PROGRAM_ID,
			    json_integer(a->program_id));
		if (create(a, ENT_ACTIVITY, rec, &aid) != 0)
			goto fail;
		scope_unit(a, unit);
	} else {
		if (type != NULL && strcmp(type, PEV_SUPERVISION) == 0) {
			int64_t org = delegation_org(a);
			const json_t *subj = NULL;
			int64_t doc = legal_doc(a, "KL", &subj);
			if (doc == 0)
				doc = legal_doc(a, "NQ", &subj);
			if (doc == 0)
				doc = legal_doc(a, NULL, &subj);
			if (org == 0) {
				buf_free(&extra);
				return bad_field(a, PKIND_ORGANISATION, "cuộc giám sát cần cơ quan "
				    "giám sát: hãy chấp nhận đề xuất cơ quan (Tỉnh ủy, Ban…)");
			}
			rec = json_pack("{s:s, s:I, s:s, s:o}",
			    field_name(FLD_SUPERVISION_TITLE), title,
			    field_name(FLD_SUPERVISION_DELEGATION_ORG_ID),
			    (json_int_t)org,
			    field_name(FLD_SUPERVISION_STARTED_ON), date,
			    field_name(FLD_SUPERVISION_CONCLUSIONS),
			    note_json(a, buf_str(&extra)));
			if (unit > 0)
				jrec_set(rec,
				    FLD_SUPERVISION_SUPERVISED_UNIT_ID,
				    json_integer(unit));
			if (doc > 0)
				jrec_set(rec,
				    FLD_SUPERVISION_SUBJECT_DOCUMENT_ID,
				    json_integer(doc));
			if (create(a, ENT_SUPERVISION, rec, &sid) != 0)
				goto fail;
			mkind = "supervision_session";
			scope_add(a, SCOPE_SUPERVISION, sid);
		}
		/* the program or agreement the text is about is the first
		 * event's; a news page's "related articles" are other matters */
		primary = a->primary != NULL && strcmp(id, a->primary) == 0;
		if (sid == 0 && primary && reviewed_agreement(a, p, title, unit) != 0)
			goto fail;
		rec = json_pack("{s:s, s:s, s:s, s:o}",
		    field_name(FLD_MEETING_KIND), mkind,
		    field_name(FLD_MEETING_TITLE), title,
		    field_name(FLD_MEETING_HELD_ON), date,
		    field_name(FLD_MEETING_NOTE), note_json(a,
		    buf_str(&extra)));
		if (a->agreement_id > 0 && primary)
			jrec_set(rec, FLD_MEETING_AGREEMENT_ID,
			    json_integer(a->agreement_id));
		if (s_of(p, "place_text") != NULL) {
			char place[500];
			clip(place, sizeof(place), s_of(p, "place_text"), 480);
			jrec_set(rec, FLD_MEETING_PLACE, json_string(place));
		}
		if (unit > 0)
			jrec_set(rec, FLD_MEETING_UNIT_ID, json_integer(unit));
		if (sid > 0)
			jrec_set(rec, FLD_MEETING_SUPERVISION_ID,
			    json_integer(sid));
		if (a->program_id > 0 && primary)
			jrec_set(rec, FLD_MEETING_PROGRAM_ID,
			    json_integer(a->program_id));
		if (approx)
			jrec_set(rec, FLD_MEETING_DATE_APPROXIMATE,
			    json_true());
		if (fold_has(title, "truc tuyen") || fold_has(s_of(p, "quote"), "truc tuyen"))
			jrec_set(rec, FLD_MEETING_ONLINE, json_true());
		if (create(a, ENT_MEETING, rec, &mid) != 0)
			goto fail;
		if (unit > 0)
			scope_unit(a, unit);
	}
	buf_free(&extra);
	info = json_pack("{s:I, s:I, s:I, s:s, s:I}", entity_of(ENT_MEETING)->name,
	    (json_int_t)mid, entity_of(ENT_SUPERVISION)->name, (json_int_t)sid,
	    entity_of(ENT_ACTIVITY)->name, (json_int_t)aid, "date", date,
	    "unit", (json_int_t)unit);
	json_object_set_new(a->events, id, info);
	return 0;
fail:
	buf_free(&extra);
	return -1;
}

/* ---- people ------------------------------------------------------------------------ */

static const struct { const char *in, *code; } roles[] = {
	{ "chair", "chair" }, { "co_chair", "co_chair" }, { "directing", "directing" },
	{ "attending", "attendee" }, { "signing", "attendee" }, { "speaking", "speaker" },
	{ "other", "attendee" }, { "reporter", "reporter" },
};

static int
do_person(struct acc *a, json_t *p)
{
	const char *name = s_of(p, PK_NAME), *role = s_of(p, PK_ROLE), *code = "attendee";
	const char *ev = event_of(a, p);
	json_t *info = ev_info(a, ev), *rec;
	int64_t pid = json_integer_value(json_object_get(p, PK_PERSON_ID)), part;
	size_t i;

	if (name == NULL)
		return bad_field(a, PK_NAME, "thiếu họ tên");
	if (pid <= 0)
		pid = person_find(a, name);
	if (pid <= 0 && create(a, ENT_PERSON, json_pack("{s:s, s:o}",
	    field_name(FLD_PERSON_FULL_NAME), name,
	    field_name(FLD_PERSON_NOTE), note_json(a, NULL)), &pid) != 0)
		return -1;
	if (made_id(a, a->cur, ENT_PERSON) == 0) {
		json_t *list = json_object_get(a->made, a->cur);
		if (list == NULL)
			json_object_set_new(a->made, a->cur, list = json_array());
		json_array_append_new(list, json_pack("[s, I]", entity_of(ENT_PERSON)->name, (json_int_t)pid));
	}
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (role != NULL && strcmp(role, roles[i].in) == 0)
			code = roles[i].code;
	if (role != NULL && store_catalog_has(a->s, "participant_role", role))
		code = role;
	if (ev_made(info, ENT_MEETING) > 0) {
		rec = json_pack("{s:I, s:s, s:I}",
		    field_name(FLD_MEETING_PARTICIPANT_MEETING_ID),
		    (json_int_t)ev_made(info, ENT_MEETING),
		    field_name(FLD_MEETING_PARTICIPANT_ROLE), code,
		    field_name(FLD_MEETING_PARTICIPANT_PERSON_ID),
		    (json_int_t)pid);
		if (s_of(p, PK_TITLE) != NULL) {
			char t[500];
			clip(t, sizeof(t), s_of(p, PK_TITLE), 490);
			jrec_set(rec, FLD_MEETING_PARTICIPANT_TITLE_AS_HELD,
			    json_string(t));
		}
		if (create(a, ENT_MEETING_PARTICIPANT, rec, &part) != 0)
			return -1;
	}
	if (ev_made(info, ENT_SUPERVISION) > 0 && strcmp(code, "chair") == 0) {
		int64_t sup = ev_made(info, ENT_SUPERVISION);
		rec = json_pack("{s:I, s:I, s:s, s:s?}",
		    field_name(FLD_SUPERVISION_MEMBER_SUPERVISION_ID),
		    (json_int_t)sup,
		    field_name(FLD_SUPERVISION_MEMBER_PERSON_ID),
		    (json_int_t)pid, field_name(FLD_SUPERVISION_MEMBER_ROLE),
		    "head", field_name(FLD_SUPERVISION_MEMBER_TITLE_AS_HELD),
		    s_of(p, PK_TITLE));
		if (create(a, ENT_SUPERVISION_MEMBER, rec, &part) != 0 ||
		    update(a, ENT_SUPERVISION, sup, json_pack("{s:I}",
		    field_name(FLD_SUPERVISION_HEAD_PERSON_ID),
		    (json_int_t)pid)) != 0)
			return -1;
	}
	return 0;
}

/* ---- figures ------------------------------------------------------------------------ */

static const struct { const char *needle, *kind; } activity_words[] = {
	{ "phat quang", "path_clearing" }, { "tuyen truyen", "propaganda" },
	{ "tuan tra", "patrol" }, { "giao luu", "exchange" }, { "tap huan", "training" },
	{ "trao doi thong tin", "information_exchange" }, { "ho tro", "assistance" },
	{ "giup do", "assistance" }, { "kiem tra", "inspection" },
};

static const char *
activity_kind_of(const json_t *p, const char *clause)
{
	const char *texts[] = { s_of(p, "subject"), clause };
	size_t i, j;

	for (j = 0; j < 2; j++) {
		char *f = fold(texts[j]);
		for (i = 0; i < sizeof(activity_words) / sizeof(activity_words[0]); i++)
			if (strstr(f, activity_words[i].needle) != NULL) {
				free(f);
				return activity_words[i].kind;
			}
		free(f);
	}
	return "other";
}

/* measure catalog code of a unit as written, longest prefix first */
static const struct { const char *prefix, *code; } measures[] = {
	{ "luot nguoi", "participant_visits" }, { "luot", "participant_visits" },
	{ "trieu dong", "funds_mvnd" }, { "doi tuong", "persons" },
	{ "cuoc", "sessions" }, { "buoi", "classes" }, { "lan", "times" },
	{ "nguoi", "people" }, { "km", "length_km" }, { "ho", "households" },
	{ "suat", "gifts" }, { "vu", "cases" }, { "xa", "communes" },
	{ "thon", "villages" }, { "ban", "villages" }, { "xom", "villages" },
};

static const char *
measure_of(const char *unit)
{
	char *f = fold(unit);
	const char *code = NULL;
	size_t i, n;

	for (i = 0; i < sizeof(measures) / sizeof(measures[0]) && code == NULL; i++) {
		n = strlen(measures[i].prefix);
		if (strncmp(f, measures[i].prefix, n) == 0 && (f[n] == '\0' || f[n] == ' '))
			code = measures[i].code;
	}
	free(f);
	return code;
}

static bool
figure_value(const json_t *p, double *v)
{
	return n_of(p, PK_VALUE, v) || n_of(p, "percent", v);
}

static const struct { const char *word; double factor; } scale_words[] = {
	{ "nghin", 1e3 }, { "ngan", 1e3 }, { "trieu", 1e6 }, { "ty", 1e9 }, { "ti", 1e9 },
};

/* A figure's value and unit as the text writes them: "48 triệu đồng/ha" is
 * parsed to 48000000 "đồng/ha", but Vietnamese reports keep money in the
 * scale they write (triệu đồng), so the record does too: 48 "triệu
 * đồng/ha".  Without a scale word before the unit, the value and unit as
 * proposed.  The unit goes to ubuf (may be ""). */
static bool
written_value(const json_t *p, double *v, char *ubuf, size_t ulen)
{
	const char *text = s_of(p, PK_TEXT), *unit = s_of(p, "unit"), *at;
	size_t i;

	snprintf(ubuf, ulen, "%s", unit ? unit : "");
	if (!n_of(p, PK_VALUE, v))
		return false;
	if (text == NULL || unit == NULL || (at = strstr(text, unit)) == NULL || at == text)
		return true;
	/* the word just before the unit */
	{
		const char *end = at, *st;
		char word[16], *f;
		while (end > text && end[-1] == ' ')
			end--;
		for (st = end; st > text && st[-1] != ' ' && !isdigit((unsigned char)st[-1]); st--)
			;
		if (end - st <= 0 || (size_t)(end - st) >= sizeof(word))
			return true;
		snprintf(word, sizeof(word), "%.*s", (int)(end - st), st);
		f = fold(word);
		for (i = 0; i < sizeof(scale_words) / sizeof(scale_words[0]); i++)
			if (strcmp(f, scale_words[i].word) == 0) {
				*v /= scale_words[i].factor;
				snprintf(ubuf, ulen, "%s %s", word, unit);
				break;
			}
		free(f);
	}
	return true;
}

/* the activity of an event and a kind, created once */
static int
activity_for(struct acc *a, const char *ev, const char *kind, const char *clause,
    int64_t *aid)
{
	char key[200];
	int64_t unit = ev_unit(a, ev);
	const char *date = ev_date(a, ev);
	json_t *rec;

	snprintf(key, sizeof(key), "%s\x1f%s", ev ? ev : "", kind);
	if ((*aid = json_integer_value(json_object_get(a->activities, key))) > 0)
		return 0;
	if (unit == 0 && (unit = text_place(a, true)) == 0)
		return 1; /* the text names no place: the caller keeps it as a note */
	if (date == NULL)
		return bad_field(a, "event", "không rõ ngày của hoạt động: hãy chấp nhận "
		    "sự kiện có ngày hoặc nhập ngày đăng");
	rec = json_pack("{s:s, s:s, s:s, s:I, s:b, s:o}",
	    field_name(FLD_ACTIVITY_KIND), kind, field_name(FLD_ACTIVITY_TITLE),
	    clause, field_name(FLD_ACTIVITY_START_ON), date,
	    field_name(FLD_ACTIVITY_UNIT_ID), (json_int_t)unit,
	    field_name(FLD_ACTIVITY_IS_TOTAL), 1,
	    field_name(FLD_ACTIVITY_DESCRIPTION), note_json(a,
	    "Số liệu tổng hợp nêu trong văn bản."));
	if (a->program_id > 0)
		jrec_set(rec, FLD_ACTIVITY_PROGRAM_ID,
		    json_integer(a->program_id));
	if (create(a, ENT_ACTIVITY, rec, aid) != 0)
		return -1;
	json_object_set_new(a->activities, key, json_integer(*aid));
	scope_unit(a, unit);
	return 0;
}

/* A figure that cannot become a record of its own (no place for an
 * activity): its text is added to the note of what its event became, and
 * the official is told why. */
static int
figure_to_note(struct acc *a, json_t *p, const char *ev, const char *why)
{
	static const struct { enum entity_id ent; enum field_id note; } holders[] = {
		{ ENT_MEETING, FLD_MEETING_NOTE },
		{ ENT_ACTIVITY, FLD_ACTIVITY_DESCRIPTION },
		{ ENT_SUPERVISION, FLD_SUPERVISION_CONCLUSIONS },
	};
	json_t *info = ev_info(a, ev), *rec;
	struct buf b;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(holders) / sizeof(holders[0]); i++) {
		int64_t id = ev_made(info, holders[i].ent);
		if (id <= 0 || (rec = store_get(a->s, entity_of(holders[i].ent), id, NULL)) == NULL)
			continue;
		buf_init(&b, TEXT_LONG_MAX);
		if (jrec_str(rec, holders[i].note) != NULL)
			buf_addf(&b, "%s ", jrec_str(rec, holders[i].note));
		buf_addf(&b, "Số liệu nêu trong văn bản: %s.", s_of(p, PK_TEXT) ?
		    s_of(p, PK_TEXT) : "?");
		json_decref(rec);
		if (buf_failed(&b)) {
			buf_free(&b);
			return err_nomem(a->e);
		}
		rc = update(a, holders[i].ent, id, json_pack("{s:s}",
		    field_name(holders[i].note), buf_str(&b)));
		buf_free(&b);
		if (rc == 0)
			note_add(a, "%s: ghi vào ghi chú của %s", why,
			    entity_of(holders[i].ent)->label);
		return rc;
	}
	return bad_field(a, "unit", why);
}

static int
figure_activity(struct acc *a, json_t *p, const char *ev, int64_t *aid)
{
	char clause[CLAUSE_MAX];
	const char *measure, *q = s_of(p, PK_QUALIFIER);
	char uom[VI_UNIT_MAX + 16];
	double v;
	int64_t qid;
	json_t *rec;
	bool has_v = written_value(p, &v, uom, sizeof(uom));
	int rc;

	clause_of(a, p, clause, sizeof(clause));
	if (a->text == NULL && s_of(p, "subject") != NULL) {
		/* no text at hand: the quote is the figure alone, the subject says more */
		clip(clause, sizeof(clause), s_of(p, "subject"), sizeof(clause) - 1);
		if ((unsigned char)clause[0] < 0x80)
			clause[0] = (char)toupper((unsigned char)clause[0]);
	}
	if ((rc = activity_for(a, ev, activity_kind_of(p, clause), clause, aid)) != 0)
		return rc < 0 ? -1 : figure_to_note(a, p, ev, "văn bản không nêu địa bàn "
		    "để ghi thành số liệu hoạt động");
	measure = measure_of(uom);
	if (measure == NULL && fold_has(s_of(p, "unit"), "dong") && has_v &&
	    n_of(p, PK_VALUE, &v)) {
		/* money in another scale ("18,9 tỷ đồng"): the measure is in triệu */
		measure = "funds_mvnd";
		v /= 1e6;
		snprintf(uom, sizeof(uom), "triệu đồng");
	}
	if (measure == NULL || !has_v)
		return 0; /* "100% hộ": a share, not a quantity of the activity */
	rec = json_pack("{s:I, s:s, s:f, s:s?}",
	    field_name(FLD_ACTIVITY_QUANTITY_ACTIVITY_ID), (json_int_t)*aid,
	    field_name(FLD_ACTIVITY_QUANTITY_MEASURE), measure,
	    field_name(FLD_ACTIVITY_QUANTITY_VALUE), v,
	    field_name(FLD_ACTIVITY_QUANTITY_UNIT_OF_MEASURE),
	    *uom ? uom : NULL);
	if (q != NULL && strcmp(q, "đạt") != 0)
		jrec_set(rec, FLD_ACTIVITY_QUANTITY_QUALIFIER, json_string(q));
	return create(a, ENT_ACTIVITY_QUANTITY, rec, &qid);
}

static int
figure_finding(struct acc *a, json_t *p, int64_t sup, int64_t aid)
{
	char text[4000], uom[VI_UNIT_MAX + 16];
	const char *q = s_of(p, PK_QUALIFIER), *unit = s_of(p, "unit");
	double v;
	int64_t id;
	json_t *rec;

	if (s_of(p, "subject") != NULL && s_of(p, PK_TEXT) != NULL) {
		snprintf(text, sizeof(text), "%s: %s", s_of(p, "subject"), s_of(p, PK_TEXT));
		if ((unsigned char)text[0] < 0x80)
			text[0] = (char)toupper((unsigned char)text[0]);
	} else {
		clause_of(a, p, text, sizeof(text));
	}
	rec = json_pack("{s:I, s:s, s:s}",
	    field_name(FLD_SUPERVISION_FINDING_SUPERVISION_ID), (json_int_t)sup,
	    field_name(FLD_SUPERVISION_FINDING_KIND),
	    "result", field_name(FLD_SUPERVISION_FINDING_TEXT), text);
	if (json_is_number(json_object_get(p, "percent")) || (unit && strcmp(unit, "%") == 0)) {
		if (n_of(p, "percent", &v) || n_of(p, PK_VALUE, &v))
			jrec_set(rec, FLD_SUPERVISION_FINDING_VALUE,
			    json_real(v));
		jrec_set(rec, FLD_SUPERVISION_FINDING_UNIT_OF_MEASURE,
		    json_string("%"));
	} else if (written_value(p, &v, uom, sizeof(uom))) {
		jrec_set(rec, FLD_SUPERVISION_FINDING_VALUE, json_real(v));
		if (*uom)
			jrec_set(rec, FLD_SUPERVISION_FINDING_UNIT_OF_MEASURE,
			    json_string(uom));
	}
	if (q != NULL && strcmp(q, "đạt") != 0)
		jrec_set(rec, FLD_SUPERVISION_FINDING_QUALIFIER,
		    json_string(q));
	if (aid > 0)
		jrec_set(rec, FLD_SUPERVISION_FINDING_ACTIVITY_ID,
		    json_integer(aid));
	return create(a, ENT_SUPERVISION_FINDING, rec, &id);
}

/* "13/22 nhóm mục tiêu đạt từ 100% trở lên": a count of target groups by
 * band; the threshold (100, 70) in *pct. */
static bool
is_group_band(struct acc *a, const json_t *p, double *pct)
{
	char clause[CLAUSE_MAX], *f, *at;
	double of;

	if (!n_of(p, "of", &of) || of <= 0)
		return false;
	if (!fold_has(s_of(p, "unit"), "nhom muc tieu") &&
	    !fold_has(s_of(p, "subject"), "nhom muc tieu") &&
	    !fold_has(s_of(p, PK_TEXT), "nhom muc tieu"))
		return false;
	clause_of(a, p, clause, sizeof(clause));
	f = fold(clause);
	*pct = 100;
	at = strstr(f, "nhom muc tieu");
	if (at != NULL) {
		char *pc = strchr(at, '%');
		if (pc != NULL) {
			char *d = pc;
			while (d > at && (isdigit((unsigned char)d[-1]) || d[-1] == ','))
				d--;
			if (d < pc) {
				char num[32];
				snprintf(num, sizeof(num), "%.*s", (int)(pc - d), d);
				vi_parse_decimal(num, pct);
			}
		}
	}
	free(f);
	return true;
}

/* "nhiệm kỳ 2020 - 2025", "giai đoạn 2013-2016": the first period of years
 * in a text, else the year of date. */
static void
term_of(const char *text, const char *date, int *y0, int *y1)
{
	const char *p = text ? text : "";

	*y0 = *y1 = date ? atoi(date) : 0;
	for (; *p; p++) {
		int a, b, n = 0;
		if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
			continue;
		if (sscanf(p, "%4d%*[ –-]%4d%n", &a, &b, &n) == 2 && n > 0 &&
		    a >= 1945 && a <= 2100 && b >= a && b <= 2100) {
			*y0 = a;
			*y1 = b;
			return;
		}
	}
	p = text ? text : "";
	/* the dash may be an en dash (3 bytes) */
	for (; *p; p++) {
		int a, b;
		if (isdigit((unsigned char)*p) && (p == text || !isdigit((unsigned char)p[-1])) &&
		    sscanf(p, "%4d", &a) == 1 && a >= 1945 && a <= 2100) {
			const char *q = p + 4;
			while (*q == ' ')
				q++;
			if (strncmp(q, "\xe2\x80\x93", 3) == 0 || *q == '-') {
				q += *q == '-' ? 1 : 3;
				while (*q == ' ')
					q++;
				if (sscanf(q, "%4d", &b) == 1 && b >= a && b <= 2100) {
					*y0 = a;
					*y1 = b;
					return;
				}
			}
		}
	}
}

/* The target set figures go into (created once): `bands` the one whose
 * groups carry the band counts, else the one of named indicators. */
static int
target_set_for(struct acc *a, bool bands, int64_t *ts)
{
	const json_t *which = NULL;
	int64_t doc = legal_doc(a, "NQ", &which), unit = ev_unit(a, a->primary);
	const char *date = ev_date(a, a->primary);
	char name[TITLE_MAX * 2];
	int y0, y1;
	json_t *rec;

	*ts = bands ? a->ts_bands : a->ts_named;
	if (*ts > 0)
		return 0;
	if (unit == 0 && (unit = text_place(a, true)) == 0)
		return 1; /* the text names no place: the caller keeps it as a note */
	if (which != NULL)
		clip(name, sizeof(name), s_of(which, PK_TEXT), 480);
	else
		snprintf(name, sizeof(name), "Chỉ tiêu nêu trong: %s", a->source);
	term_of(which ? s_of(which, PK_TEXT) : NULL, date, &y0, &y1);
	if (which == NULL || y0 == y1)
		term_of(s_of(prop(a, a->cur), "quote"), date, &y0, &y1);
	if (y0 == 0)
		return bad_field(a, "date", "không rõ năm của bộ chỉ tiêu: hãy nhập ngày");
	if (!bands && a->ts_bands > 0)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
		    " — các chỉ tiêu cụ thể nêu trong văn bản");
	clip(name, sizeof(name), name, 500);
	rec = json_pack("{s:s, s:I, s:i, s:i, s:s, s:f, s:f}",
	    field_name(FLD_TARGET_SET_NAME), name,
	    field_name(FLD_TARGET_SET_UNIT_ID), (json_int_t)unit,
	    field_name(FLD_TARGET_SET_TERM_START), y0,
	    field_name(FLD_TARGET_SET_TERM_END), y1,
	    field_name(FLD_TARGET_SET_GROUP_RULE), "all",
	    field_name(FLD_TARGET_SET_BAND_HIGH), 100.0,
	    field_name(FLD_TARGET_SET_BAND_MID), 70.0);
	if (doc > 0)
		jrec_set(rec, FLD_TARGET_SET_DOCUMENT_ID, json_integer(doc));
	if (create(a, ENT_TARGET_SET, rec, ts) != 0)
		return -1;
	if (bands)
		a->ts_bands = *ts;
	else
		a->ts_named = *ts;
	scope_add(a, SCOPE_TARGET_SET, *ts);
	return 0;
}

#define SUBJECT_WORDS_MIN 4 /* words a figure's subject needs to name an indicator */

static int
words_of(const char *s)
{
	int n = 0;
	bool in = false;

	for (; s != NULL && *s; s++) {
		bool sp = *s == ' ' || *s == ',';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* An indicator's name: the figure's subject when it says what is counted
 * ("Tỷ lệ lao động qua đào tạo"); a short one ("Năm 2023", "Hiện") names
 * nothing, so the clause as written instead ("Tốc độ tăng trưởng kinh tế
 * đạt khá, năm 2023 đạt 10,5%"), without a leading label ("Cụ thể:"). */
static void
indicator_name(struct acc *a, const json_t *p, char *name, size_t len)
{
	const char *subj = s_of(p, "subject");
	char clause[CLAUSE_MAX], *colon;

	if (subj != NULL && words_of(subj) >= SUBJECT_WORDS_MIN) {
		clip(name, len, subj, 480);
	} else {
		clause_of(a, p, clause, sizeof(clause));
		colon = strchr(clause, ':');
		if (colon != NULL && words_of(clause) - words_of(colon) <= 3 && colon[1] != '\0')
			memmove(clause, colon + 1, strlen(colon + 1) + 1);
		clip(name, len, clause, 480);
		while (*name == ' ')
			memmove(name, name + 1, strlen(name));
		if (*name == '\0')
			clip(name, len, subj ? subj : s_of(p, PK_TEXT) ? s_of(p, PK_TEXT) : "Chỉ tiêu", 480);
	}
	if (name[0] && (unsigned char)name[0] < 0x80)
		name[0] = (char)toupper((unsigned char)name[0]);
}

static int
figure_indicator(struct acc *a, json_t *p)
{
	int64_t ts, gid, iid, vid;
	int y0, y1, *count;
	char name[600], period[32], uom[VI_UNIT_MAX + 16];
	const char *unit, *q = s_of(p, PK_QUALIFIER);
	double v, of, pct;
	bool is_pct = n_of(p, "percent", &pct), is_ratio = n_of(p, "of", &of) && of > 0;
	json_t *rec, *ts_rec;
	int rc;

	if (!written_value(p, &v, uom, sizeof(uom)) && !figure_value(p, &v))
		return bad_field(a, PK_VALUE, "số liệu không có giá trị số");
	unit = *uom ? uom : NULL;
	if ((rc = target_set_for(a, false, &ts)) != 0)
		return rc < 0 ? -1 : figure_to_note(a, p, a->primary, "văn bản không nêu "
		    "địa bàn để ghi thành chỉ tiêu");
	count = &a->groups_named;
	indicator_name(a, p, name, sizeof(name));
	rec = json_pack("{s:I, s:i, s:s}",
	    field_name(FLD_TARGET_GROUP_TARGET_SET_ID), (json_int_t)ts,
	    field_name(FLD_TARGET_GROUP_NUMBER),
	    ++*count, field_name(FLD_TARGET_GROUP_NAME), name);
	if (create(a, ENT_TARGET_GROUP, rec, &gid) != 0)
		return -1;
	rec = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}",
	    field_name(FLD_INDICATOR_TARGET_GROUP_ID),
	    (json_int_t)gid, field_name(FLD_INDICATOR_NAME), name,
	    field_name(FLD_INDICATOR_DIRECTION), "higher",
	    field_name(FLD_INDICATOR_VALUE_KIND),
	    is_ratio ? "ratio" : is_pct ? "percent" : "number",
	    field_name(FLD_INDICATOR_AGGREGATION), "latest",
	    field_name(FLD_INDICATOR_PERIOD_TYPE), "term");
	if (is_pct || (unit && strcmp(unit, "%") == 0))
		jrec_set(rec, FLD_INDICATOR_UNIT_OF_MEASURE, json_string("%"));
	else if (unit != NULL)
		jrec_set(rec, FLD_INDICATOR_UNIT_OF_MEASURE, json_string(unit));
	if (create(a, ENT_INDICATOR, rec, &iid) != 0)
		return -1;
	ts_rec = store_get(a->s, entity_of(ENT_TARGET_SET), ts, a->e);
	if (ts_rec == NULL)
		return fail_here(a);
	y0 = (int)jrec_int(ts_rec, FLD_TARGET_SET_TERM_START);
	y1 = (int)jrec_int(ts_rec, FLD_TARGET_SET_TERM_END);
	if (y0 == y1)
		snprintf(period, sizeof(period), "%d", y0);
	else
		snprintf(period, sizeof(period), "%d-%d", y0, y1);
	rec = json_pack("{s:I, s:I, s:s, s:f, s:s, s:o}",
	    field_name(FLD_INDICATOR_VALUE_INDICATOR_ID), (json_int_t)iid,
	    field_name(FLD_INDICATOR_VALUE_UNIT_ID), (json_int_t)jrec_int(ts_rec,
	    FLD_TARGET_SET_UNIT_ID), field_name(FLD_INDICATOR_VALUE_PERIOD), period,
	    field_name(FLD_INDICATOR_VALUE_ACTUAL),
	    is_pct ? pct : v, field_name(FLD_INDICATOR_VALUE_STATUS),
	    "submitted", field_name(FLD_INDICATOR_VALUE_COMMENT), note_json(a,
	    s_of(p, PK_TEXT)));
	json_decref(ts_rec);
	if (is_ratio) {
		jrec_set(rec, FLD_INDICATOR_VALUE_NUMERATOR, json_real(v));
		jrec_set(rec, FLD_INDICATOR_VALUE_DENOMINATOR, json_real(of));
	}
	if (q != NULL && strcmp(q, "đạt") != 0)
		jrec_set(rec, FLD_INDICATOR_VALUE_QUALIFIER, json_string(q));
	if (a->doc_id > 0)
		jrec_set(rec, FLD_INDICATOR_VALUE_SOURCE_DOCUMENT_ID,
		    json_integer(a->doc_id));
	return create(a, ENT_INDICATOR_VALUE, rec, &vid);
}

/* One target group per group the text counts, with the band the text gives
 * as the group's achievement ("đạt từ 70% trở lên": 70% of the plan). */
static int
figure_band(struct acc *a, json_t *p, double pct)
{
	int64_t ts, gid, iid, vid;
	double v, of;
	char period[32], name[300], cmt[600];
	json_t *ts_rec;
	int i, n;

	if (!n_of(p, PK_VALUE, &v) || !n_of(p, "of", &of))
		return bad_field(a, PK_VALUE, "số nhóm mục tiêu không phải số");
	if ((i = target_set_for(a, true, &ts)) != 0)
		return i < 0 ? -1 : figure_to_note(a, p, a->primary, "văn bản không nêu "
		    "địa bàn để ghi thành chỉ tiêu");
	ts_rec = store_get(a->s, entity_of(ENT_TARGET_SET), ts, a->e);
	if (ts_rec == NULL)
		return fail_here(a);
	if (jrec_int(ts_rec, FLD_TARGET_SET_TERM_START) ==
	    jrec_int(ts_rec, FLD_TARGET_SET_TERM_END))
		snprintf(period, sizeof(period), "%lld",
		    (long long)jrec_int(ts_rec, FLD_TARGET_SET_TERM_START));
	else
		snprintf(period, sizeof(period), "%lld-%lld",
		    (long long)jrec_int(ts_rec, FLD_TARGET_SET_TERM_START),
		    (long long)jrec_int(ts_rec, FLD_TARGET_SET_TERM_END));
	if (pct < 100 && jrec_real(ts_rec, FLD_TARGET_SET_BAND_MID) != pct &&
	    update(a, ENT_TARGET_SET, ts, json_pack("{s:f}",
	    field_name(FLD_TARGET_SET_BAND_MID), pct)) != 0) {
		json_decref(ts_rec);
		return -1;
	}
	n = (int)v;
	if (n < 0 || n > INGEST_PLACEHOLDERS_MAX || of > INGEST_PLACEHOLDERS_MAX) {
		json_decref(ts_rec);
		return bad_field(a, PK_VALUE, "số nhóm mục tiêu quá lớn");
	}
	snprintf(cmt, sizeof(cmt), "Văn bản chỉ nêu: “%s” (%g/%g nhóm); tên nhóm và "
	    "số liệu từng chỉ tiêu không nêu.", s_of(p, PK_TEXT) ? s_of(p, PK_TEXT) : "",
	    v, of);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Nhóm mục tiêu %d (báo cáo chỉ nêu tổng số)",
		    a->groups_bands + 1);
		if (create(a, ENT_TARGET_GROUP, json_pack("{s:I, s:i, s:s, s:b}",
		    field_name(FLD_TARGET_GROUP_TARGET_SET_ID), (json_int_t)ts,
		    field_name(FLD_TARGET_GROUP_NUMBER), ++a->groups_bands,
		    field_name(FLD_TARGET_GROUP_NAME), name, "illustrative", 1),
		    &gid) != 0 ||
		    create(a, ENT_INDICATOR, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
		    field_name(FLD_INDICATOR_TARGET_GROUP_ID), (json_int_t)gid,
		    field_name(FLD_INDICATOR_NAME),
		    "Mức đạt của nhóm so với mục tiêu nghị quyết (theo báo cáo)",
		    field_name(FLD_INDICATOR_UNIT_OF_MEASURE), "%",
		    field_name(FLD_INDICATOR_DIRECTION), "higher",
		    field_name(FLD_INDICATOR_VALUE_KIND), "percent",
		    field_name(FLD_INDICATOR_AGGREGATION), "latest",
		    field_name(FLD_INDICATOR_PERIOD_TYPE), "term", "illustrative", 1),
		    &iid) != 0 ||
		    create(a, ENT_INDICATOR_VALUE, json_pack("{s:I, s:I, s:s, s:f, s:f, s:s, "
		    "s:s, s:o, s:b}",
		    field_name(FLD_INDICATOR_VALUE_INDICATOR_ID), (json_int_t)iid,
		    field_name(FLD_INDICATOR_VALUE_UNIT_ID),
		    (json_int_t)jrec_int(ts_rec, FLD_TARGET_SET_UNIT_ID),
		    field_name(FLD_INDICATOR_VALUE_PERIOD), period,
		    field_name(FLD_INDICATOR_VALUE_TARGET), 100.0,
		    field_name(FLD_INDICATOR_VALUE_ACTUAL), pct >= 100 ? 100.0 : pct,
		    field_name(FLD_INDICATOR_VALUE_QUALIFIER), "từ",
		    field_name(FLD_INDICATOR_VALUE_STATUS), "submitted",
		    field_name(FLD_INDICATOR_VALUE_COMMENT), note_json(a, cmt),
		    "illustrative", 1), &vid) != 0) {
			json_decref(ts_rec);
			return -1;
		}
	}
	json_decref(ts_rec);
	return 0;
}

static const struct { const char *needle, *kind; } agreement_words[] = {
	{ "ket nghia", "twinning" }, { "quy che", "coordination" },
	{ "phoi hop", "coordination" }, { "hop tac", "cooperation" },
};

static int
program_for(struct acc *a, const json_t *p, double planned)
{
	const json_t *which = NULL;
	int64_t doc = legal_doc(a, "CTR", &which), unit = ev_unit(a, a->primary);
	char name[600];
	json_t *rec, *ev;

	if (a->program_id > 0)
		return 0;
	if (doc == 0)
		doc = legal_doc(a, "KH", &which);
	ev = prop(a, a->primary);
	if (which != NULL && s_of(which, PK_TEXT) != NULL && s_of(which, "subject") != NULL &&
	    strstr(s_of(which, PK_TEXT), s_of(which, "subject")) == NULL)
		snprintf(name, sizeof(name), "%s về %s", s_of(which, PK_TEXT),
		    s_of(which, "subject"));
	else if (which != NULL)
		clip(name, sizeof(name), s_of(which, PK_TEXT) ? s_of(which, PK_TEXT) :
		    s_of(which, "subject"), 490);
	else if (ev != NULL)
		event_title(ev, name, sizeof(name));
	else
		clip(name, sizeof(name), s_of(p, "quote"), 490);
	clip(name, sizeof(name), name, 490);
	rec = json_pack("{s:s, s:I, s:o}", field_name(FLD_PROGRAM_NAME), name,
	    field_name(FLD_PROGRAM_PLANNED_COUNT),
	    (json_int_t)planned, field_name(FLD_PROGRAM_DESCRIPTION),
	    lead_json(a, name,
	    ev ? s_of(ev, "quote") : NULL, NULL));
	if (doc > 0)
		jrec_set(rec, FLD_PROGRAM_DOCUMENT_ID, json_integer(doc));
	if (unit > 0)
		jrec_set(rec, FLD_PROGRAM_UNIT_ID, json_integer(unit));
	if (create(a, ENT_PROGRAM, rec, &a->program_id) != 0)
		return -1;
	scope_add(a, SCOPE_PROGRAM, a->program_id);
	return 0;
}

/* "33/34 xã, thị trấn … ký kết": the program's plan, and the signed
 * agreements the text counts (as placeholders). */
static int
figure_progress(struct acc *a, json_t *p)
{
	double v, of;
	const char *kind = "other";
	char title[TITLE_MAX], subject[400], clause[CLAUSE_MAX];
	int64_t id, unit = ev_unit(a, a->primary);
	int i, n;
	size_t k;

	if (!n_of(p, PK_VALUE, &v))
		return bad_field(a, PK_VALUE, "số liệu không có giá trị số");
	if (!n_of(p, "of", &of) || of <= 0)
		of = v;
	if (v < 0 || v > INGEST_PLACEHOLDERS_MAX || of > INGEST_PLACEHOLDERS_MAX)
		return bad_field(a, PK_VALUE, "số thỏa thuận quá lớn để ghi từng bản ghi");
	if (program_for(a, p, of) != 0)
		return -1;
	clause_of(a, p, clause, sizeof(clause));
	for (k = 0; k < sizeof(agreement_words) / sizeof(agreement_words[0]); k++)
		if (fold_has(clause, agreement_words[k].needle) ||
		    fold_has(s_of(p, "subject"), agreement_words[k].needle)) {
			kind = agreement_words[k].kind;
			break;
		}
	clip(subject, sizeof(subject), s_of(p, "subject") ? s_of(p, "subject") :
	    s_of(p, PK_TEXT), 300);
	n = (int)v;
	for (i = 0; i < n; i++) {
		json_t *rec;
		snprintf(title, sizeof(title), "Thỏa thuận %d/%d: %s (báo cáo chỉ nêu "
		    "tổng số)", i + 1, n, subject);
		rec = json_pack("{s:s, s:s, s:I, s:s, s:o, s:b}",
		    field_name(FLD_AGREEMENT_KIND), kind,
		    field_name(FLD_AGREEMENT_TITLE),
		    title, field_name(FLD_AGREEMENT_PROGRAM_ID),
		    (json_int_t)a->program_id, field_name(FLD_AGREEMENT_STATUS),
		    "signed",
		    field_name(FLD_AGREEMENT_DESCRIPTION), note_json(a, clause),
		    "illustrative", 1);
		if (unit > 0)
			jrec_set(rec, FLD_AGREEMENT_UNIT_ID,
			    json_integer(unit));
		if (create(a, ENT_AGREEMENT, rec, &id) != 0)
			return -1;
	}
	return 0;
}

static int
do_figure(struct acc *a, json_t *p)
{
	const char *pa = s_of(p, "proposed_as"), *ev = event_of(a, p);
	json_t *info = ev_info(a, ev);
	int64_t sup = ev_made(info, ENT_SUPERVISION), aid = 0;
	double pct;

	if (is_group_band(a, p, &pct))
		return figure_band(a, p, pct);
	if (pa == NULL || in_statement(a, p))
		pa = "other";
	if (sup > 0) {
		/* at a supervision every figure is a finding; quantities of
		 * activities are recorded as the activities too */
		if (strcmp(pa, PAS_ACTIVITY_QUANTITY) == 0 && figure_activity(a, p, ev, &aid) != 0)
			return -1;
		return figure_finding(a, p, sup, aid);
	}
	if (strcmp(pa, PAS_ACTIVITY_QUANTITY) == 0)
		return figure_activity(a, p, ev, &aid);
	if (strcmp(pa, PAS_INDICATOR_VALUE) == 0)
		return figure_indicator(a, p);
	if (strcmp(pa, "agreement_progress") == 0)
		return figure_progress(a, p);
	if (strcmp(pa, "other") == 0)
		return 0; /* written into the event's note */
	return bad_field(a, "proposed_as", "proposed_as phải là activity_quantity, "
	    "indicator_value, agreement_progress hoặc other");
}

/* ---- commendations, recommendations, tasks ------------------------------------------- */

static const struct { const char *name, *code; } forms[] = {
	{ "bang khen", "bang_khen" }, { "giay khen", "giay_khen" },
	{ "co thi dua", "co_thi_dua" }, { "huan chuong", "huan_chuong" },
	{ "ky niem chuong", "ky_niem_chuong" }, { "chien si thi dua", "chien_si_thi_dua" },
};

static const char *const titles_of_people[] = {
	"chu tich ", "pho chu tich ", "giam doc ", "thu tuong ", "bi thu ", "truong ban ",
};

static int
do_commendation(struct acc *a, json_t *p)
{
	const char *form = NULL, *issuer = s_of(p, "issuer"), *ev = event_of(a, p);
	const char *date = s_of(p, "date"), *written_form = NULL;
	json_t *info = ev_info(a, ev);
	double c = 0, ind = 0;
	int64_t org = 0, id;
	char reason[2000], name[200];
	bool by_title = false;
	int i, n;
	size_t k;

	if (s_of(p, PK_FORM) != NULL) {
		char *f = fold(s_of(p, PK_FORM));
		if (store_catalog_has(a->s, "commendation_form", s_of(p, PK_FORM)))
			form = s_of(p, PK_FORM);
		for (k = 0; k < sizeof(forms) / sizeof(forms[0]) && form == NULL; k++)
			if (strncmp(f, forms[k].name, strlen(forms[k].name)) == 0)
				form = forms[k].code;
		free(f);
	}
	if (form == NULL && store_catalog_has(a->s, "commendation_form", "khac")) {
		/* a form the catalog lacks ("Huy chương Hữu nghị"): "Khác", the
		 * written form at the head of the reason */
		form = "khac";
		written_form = s_of(p, PK_FORM) ? s_of(p, PK_FORM) : "không ghi";
		note_add(a, "hình thức khen thưởng “%s” chưa có trong danh mục: ghi là Khác",
		    written_form);
	}
	if (form == NULL)
		return bad_field(a, PK_FORM, "hình thức khen thưởng không có trong danh mục "
		    "(Bằng khen, Giấy khen, Cờ thi đua…)");
	if (date == NULL)
		date = ev_date(a, ev);
	if (date == NULL)
		return bad_field(a, "date", "không rõ ngày khen thưởng");
	if (issuer != NULL) {
		/* "Chủ tịch UBND huyện Si Ma Cai": a title, the body after it */
		char *f = fold(issuer);
		const char *body = issuer;
		for (k = 0; k < sizeof(titles_of_people) / sizeof(titles_of_people[0]); k++)
			if (strncmp(f, titles_of_people[k], strlen(titles_of_people[k])) == 0) {
				/* skip as many words as the title has */
				const char *w = titles_of_people[k];
				by_title = true;
				while (*w) {
					if (*w == ' ') {
						while (*body && *body != ' ')
							body++;
						while (*body == ' ')
							body++;
					}
					w++;
				}
				break;
			}
		free(f);
		if (*body && org_find_or_create(a, body, NULL, 0, &org) != 0)
			return -1;
	}
	n_of(p, "collectives", &c);
	n_of(p, "individuals", &ind);
	if (c + ind == 0) {
		/* "Trao bằng khen cho các tập thể" under a photo: the award the
		 * text counts elsewhere, not another one */
		json_t *q;
		size_t i2;
		FOR_KIND(a, PKIND_COMMENDATION, i2, q) {
			double qc = 0, qi = 0;
			n_of(q, "collectives", &qc);
			n_of(q, "individuals", &qi);
			if (q != p && qc + qi > 0)
				return 0;
		}
	}
	if (c < 0 || ind < 0 || c + ind > INGEST_PLACEHOLDERS_MAX)
		return bad_field(a, "collectives", "số tập thể, cá nhân không hợp lệ");
	if (c + ind == 0)
		c = 1;
	if (written_form != NULL)
		snprintf(reason, sizeof(reason), "%s: %s", written_form, s_of(p, "quote") ?
		    s_of(p, "quote") : "");
	else
		snprintf(reason, sizeof(reason), "%s", s_of(p, "quote") ? s_of(p, "quote") : "");
	clip(reason, sizeof(reason), reason, 1900);
	n = (int)c + (int)ind;
	for (i = 0; i < n; i++) {
		bool coll = i < (int)c;
		json_t *rec;
		snprintf(name, sizeof(name), "%s %d/%d (báo cáo chỉ nêu tổng số)",
		    coll ? "Tập thể" : "Cá nhân", coll ? i + 1 : i - (int)c + 1,
		    coll ? (int)c : (int)ind);
		rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}",
		    field_name(FLD_COMMENDATION_FORM), form,
		    field_name(FLD_COMMENDATION_RECIPIENT_KIND),
		    coll ? "collective" : "individual",
		    field_name(FLD_COMMENDATION_RECIPIENT_NAME),
		    name, field_name(FLD_COMMENDATION_REASON), reason,
		    field_name(FLD_COMMENDATION_AWARDED_ON), date,
		    "illustrative", 1);
		if (org > 0)
			jrec_set(rec, FLD_COMMENDATION_ISSUER_ORG_ID,
			    json_integer(org));
		if (by_title)
			jrec_set(rec, FLD_COMMENDATION_ISSUER_TITLE,
			    json_string(issuer));
		if (ev_made(info, ENT_MEETING) > 0)
			jrec_set(rec, FLD_COMMENDATION_MEETING_ID,
			    json_integer(ev_made(info, ENT_MEETING)));
		if (a->program_id > 0)
			jrec_set(rec, FLD_COMMENDATION_PROGRAM_ID,
			    json_integer(a->program_id));
		if (a->agreement_id > 0)
			jrec_set(rec, FLD_COMMENDATION_AGREEMENT_ID,
			    json_integer(a->agreement_id));
		if (create(a, ENT_COMMENDATION, rec, &id) != 0)
			return -1;
	}
	return 0;
}

static int
do_recommendation(struct acc *a, json_t *p)
{
	const char *from = s_of(p, "from"), *to = s_of(p, "to"), *ev = event_of(a, p);
	const char *date = ev_date(a, ev);
	json_t *info = ev_info(a, ev), *rec, *lr = within_span(a, p, "legal_ref");
	int64_t fo = 0, tob = 0, id, doc;
	char title[2000];

	if (date == NULL)
		return bad_field(a, "event", "không rõ ngày kiến nghị");
	if (from == NULL) {
		/* who asks is not written: the body the text is about (the
		 * first organisation accepted), for the official to check */
		json_t *q;
		size_t i;
		FOR_KIND(a, PKIND_ORGANISATION, i, q)
			if ((fo = made_id(a, s_of(q, "id"), ENT_ORGANISATION)) > 0) {
				note_add(a, "văn bản không nêu cơ quan kiến nghị: tạm ghi là “%s”, "
				    "cần kiểm tra", s_of(q, PK_TEXT) ? s_of(q, PK_TEXT) : "?");
				break;
			}
		if (fo == 0)
			return bad_field(a, "from", "thiếu cơ quan kiến nghị và văn bản không "
			    "nêu cơ quan nào: hãy nhập");
	}
	if ((from != NULL && org_find_or_create(a, from, NULL, 0, &fo) != 0) ||
	    (to != NULL && org_find_or_create(a, to, NULL, 0, &tob) != 0))
		return -1;
	clip(title, sizeof(title), s_of(p, PK_CONTENT) ? s_of(p, PK_CONTENT) :
	    s_of(p, "quote"), 1990);
	rec = json_pack("{s:s, s:I, s:s, s:s}",
	    field_name(FLD_RECOMMENDATION_TITLE), title,
	    field_name(FLD_RECOMMENDATION_FROM_ORG_ID),
	    (json_int_t)fo, field_name(FLD_RECOMMENDATION_RAISED_ON), date,
	    field_name(FLD_RECOMMENDATION_STATUS), "submitted");
	if (tob > 0)
		jrec_set(rec, FLD_RECOMMENDATION_TO_ORG_ID, json_integer(tob));
	if (ev_made(info, ENT_MEETING) > 0)
		jrec_set(rec, FLD_RECOMMENDATION_MEETING_ID,
		    json_integer(ev_made(info, ENT_MEETING)));
	if (ev_made(info, ENT_SUPERVISION) > 0)
		jrec_set(rec, FLD_RECOMMENDATION_SUPERVISION_ID,
		    json_integer(ev_made(info, ENT_SUPERVISION)));
	if (lr != NULL && (doc = made_id(a, s_of(lr, "id"), ENT_DOCUMENT)) > 0)
		jrec_set(rec, FLD_RECOMMENDATION_DOCUMENT_ID,
		    json_integer(doc));
	return create(a, ENT_RECOMMENDATION, rec, &id);
}

static int
do_task(struct acc *a, json_t *p)
{
	const char *who = s_of(p, "assignee"), *ev = event_of(a, p);
	const char *date = ev_date(a, ev);
	json_t *info = ev_info(a, ev), *rec, *u = within_span(a, p, "unit");
	int64_t org = 0, id, unit = u ? unit_of(a, u) : 0;
	char title[2000];

	if (date == NULL)
		return bad_field(a, "event", "không rõ ngày giao nhiệm vụ");
	if (who != NULL && org_find_or_create(a, who, NULL, 0, &org) != 0)
		return -1;
	clip(title, sizeof(title), s_of(p, PK_CONTENT) ? s_of(p, PK_CONTENT) :
	    s_of(p, "quote"), 1990);
	rec = json_pack("{s:s, s:s}", field_name(FLD_TASK_TITLE), title,
	    field_name(FLD_TASK_ASSIGNED_ON), date);
	if (org > 0)
		jrec_set(rec, FLD_TASK_ASSIGNEE_ORG_ID, json_integer(org));
	if (unit > 0)
		jrec_set(rec, FLD_TASK_ASSIGNEE_UNIT_ID, json_integer(unit));
	if (s_of(p, "due") != NULL)
		jrec_set(rec, FLD_TASK_DEADLINE, json_string(s_of(p, "due")));
	if (ev_made(info, ENT_MEETING) > 0) {
		jrec_set(rec, FLD_TASK_MEETING_ID,
		    json_integer(ev_made(info, ENT_MEETING)));
		jrec_set(rec, FLD_TASK_SOURCE_KIND, json_string("meeting"));
	} else if (a->doc_id > 0) {
		jrec_set(rec, FLD_TASK_DOCUMENT_ID, json_integer(a->doc_id));
		jrec_set(rec, FLD_TASK_SOURCE_KIND, json_string("document"));
	}
	if (ev_made(info, ENT_SUPERVISION) > 0)
		jrec_set(rec, FLD_TASK_SUPERVISION_ID,
		    json_integer(ev_made(info, ENT_SUPERVISION)));
	return create(a, ENT_TASK, rec, &id);
}

static int
do_organisation(struct acc *a, json_t *p)
{
	int64_t id = json_integer_value(json_object_get(p, PK_ORGANISATION_ID));
	const char *kind = NULL, *in = s_of(p, "org_kind");
	json_t *list;
	size_t i;

	if (s_of(p, PK_TEXT) == NULL)
		return bad_field(a, PK_TEXT, "thiếu tên cơ quan");
	if (id <= 0) {
		for (i = 0; i < sizeof(org_kinds) / sizeof(org_kinds[0]); i++)
			if (in != NULL && strcmp(in, org_kinds[i].in) == 0)
				kind = org_kinds[i].code;
		if (in != NULL && kind == NULL && store_catalog_has(a->s, "org_kind", in))
			kind = in;
		if (org_find_or_create(a, s_of(p, PK_TEXT), kind, 0, &id) != 0)
			return -1;
	} else {
		char *key = fold(s_of(p, PK_TEXT));
		json_object_set_new(a->orgs, key, json_integer(id));
		free(key);
	}
	if (made_id(a, a->cur, ENT_ORGANISATION) == 0) {
		list = json_object_get(a->made, a->cur);
		if (list == NULL)
			json_object_set_new(a->made, a->cur, list = json_array());
		json_array_append_new(list, json_pack("[s, I]", entity_of(ENT_ORGANISATION)->name, (json_int_t)id));
	}
	return 0;
}

/* ---- decisions and edits ------------------------------------------------------------- */

/* numeric fields of proposals: an edit typed as text is read as a number */
static const char *const numeric_fields[] = {
	PK_VALUE, "of", "percent", "collectives", "individuals", "confidence",
	PK_PERSON_ID, PK_ORGANISATION_ID, PK_FOREIGN_UNIT_ID,
};

static bool
is_numeric_field(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(numeric_fields) / sizeof(numeric_fields[0]); i++)
		if (strcmp(k, numeric_fields[i]) == 0)
			return true;
	return false;
}

/* The proposal with an official's edits applied; NULL with e set. */
static json_t *
edited(const json_t *p, const json_t *edit, struct err *e)
{
	json_t *out = json_deep_copy(p), *v;
	const char *k;

	json_object_foreach((json_t *)edit, k, v) {
		if (strcmp(k, "id") == 0 || strcmp(k, PK_KIND) == 0 || strcmp(k, "span") == 0)
			continue;
		if (json_is_string(v) && *json_string_value(v) == '\0') {
			json_object_set_new(out, k, json_null());
		} else if (json_is_string(v) && is_numeric_field(k)) {
			double d;
			if (vi_parse_decimal(json_string_value(v), &d) != 0) {
				err_field(e, k, "'%s' không phải là số", json_string_value(v));
				err_set(e, ERR_INVALID, "đề xuất %s: trường %s: '%s' không phải "
				    "là số", s_of(p, "id") ? s_of(p, "id") : "?", k,
				    json_string_value(v));
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, d == (double)(json_int_t)d ?
			    json_integer((json_int_t)d) : json_real(d));
		} else if (json_is_string(v) && (strcmp(k, "date") == 0 ||
		    strcmp(k, "due") == 0)) {
			struct vi_date d;
			char iso[16];
			if (vi_parse_date(json_string_value(v), 0, &d) != 0 ||
			    vi_date_iso(&d, iso, sizeof(iso)) != 0) {
				err_field(e, k, "'%s' không phải là ngày", json_string_value(v));
				err_set(e, ERR_INVALID, "đề xuất %s: trường %s: '%s' không phải "
				    "là ngày (YYYY-MM-DD hoặc 31/10/2023)", s_of(p, "id") ?
				    s_of(p, "id") : "?", k, json_string_value(v));
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, json_string(iso));
		} else {
			json_object_set(out, k, v);
		}
	}
	return out;
}

static const char *
decision_of(const json_t *decisions, const char *id, const json_t **edit)
{
	json_t *d = id ? json_object_get(decisions, id) : NULL;
	const char *v;

	*edit = NULL;
	if (json_is_string(d))
		v = json_string_value(d);
	else
		v = s_of(d, DEC_DECISION);
	if (v == NULL)
		return "reject";
	*edit = json_object_get(d, "edit");
	if (json_object_size(*edit) == 0)
		*edit = NULL;
	return strcmp(v, "accept") == 0 || strcmp(v, "accepted") == 0 ? "accept" : "reject";
}

/* ---- one proposal at a time -------------------------------------------------------- */

/* What writing one proposal may change in the acceptance's state besides
 * its own entries (made, events, notes under its id): taken before it and
 * put back when it fails, for its records are rolled back with its
 * savepoint and nothing may point at them. */
struct acc_mark {
	json_t *scopes, *orgs, *activities;
	size_t ncreated, nmade;
	bool had_made;
	int64_t program_id, agreement_id, ts_bands, ts_named;
	int groups_bands, groups_named;
};

static void
mark_take(struct acc *a, struct acc_mark *m)
{
	json_t *mine = a->cur ? json_object_get(a->made, a->cur) : NULL;

	m->scopes = json_copy(a->scopes);
	m->orgs = json_copy(a->orgs);
	m->activities = json_copy(a->activities);
	m->ncreated = json_array_size(a->created);
	m->had_made = mine != NULL;
	m->nmade = json_array_size(mine);
	m->program_id = a->program_id;
	m->agreement_id = a->agreement_id;
	m->ts_bands = a->ts_bands;
	m->ts_named = a->ts_named;
	m->groups_bands = a->groups_bands;
	m->groups_named = a->groups_named;
}

static void
mark_drop(struct acc_mark *m)
{
	json_decref(m->scopes);
	json_decref(m->orgs);
	json_decref(m->activities);
	m->scopes = m->orgs = m->activities = NULL;
}

static void
mark_restore(struct acc *a, struct acc_mark *m)
{
	json_t *mine = a->cur ? json_object_get(a->made, a->cur) : NULL;

	if (m->scopes != NULL && m->orgs != NULL && m->activities != NULL) {
		json_decref(a->scopes);
		json_decref(a->orgs);
		json_decref(a->activities);
		a->scopes = m->scopes;
		a->orgs = m->orgs;
		a->activities = m->activities;
		m->scopes = m->orgs = m->activities = NULL;
	}
	while (json_array_size(a->created) > m->ncreated)
		json_array_remove(a->created, json_array_size(a->created) - 1);
	if (mine != NULL && !m->had_made)
		json_object_del(a->made, a->cur);
	else
		while (json_array_size(mine) > m->nmade)
			json_array_remove(mine, json_array_size(mine) - 1);
	if (a->cur != NULL) {
		json_object_del(a->events, a->cur);
		json_object_del(a->notes, a->cur);
	}
	a->program_id = m->program_id;
	a->agreement_id = m->agreement_id;
	a->ts_bands = m->ts_bands;
	a->ts_named = m->ts_named;
	a->groups_bands = m->groups_bands;
	a->groups_named = m->groups_named;
	mark_drop(m);
}

/* Failures that are the proposal's own (a value the records refuse, a
 * missing reference) leave the rest of the batch to be written; the
 * database's, the disk's or the memory's stop it, and so does a right the
 * acting user lacks (ERR_FORBIDDEN): the batch stays pending for an
 * official who has it, rather than decided with holes. */
static bool
proposal_failure(enum err_code code)
{
	switch (code) {
	case ERR_BAD_REQUEST: case ERR_NOT_FOUND:
	case ERR_CONFLICT: case ERR_STALE: case ERR_TOO_LARGE: case ERR_INVALID:
		return true;
	default:
		return false;
	}
}

/* Write one proposal with fn in a savepoint of its own: when it fails for
 * a reason of its own, its records are rolled back, the reason is kept
 * (a->failed) and 0 is returned so the batch goes on; -1 only when the
 * whole batch must stop. */
static int
one_proposal(struct acc *a, json_t *p, int (*fn)(struct acc *, json_t *))
{
	struct acc_mark m;
	const char *field = NULL, *k;
	json_t *v;
	int rc;

	begin(a, p);
	if (a->cur != NULL && json_object_get(a->failed, a->cur) != NULL)
		return 0; /* already refused (agreement progress before the events) */
	mark_take(a, &m);
	if (store_begin(a->s, a->e) != 0) {
		mark_drop(&m);
		return -1;
	}
	rc = fn(a, p);
	if (rc == 0) {
		mark_drop(&m);
		return store_commit(a->s, a->e);
	}
	store_rollback(a->s);
	if (!proposal_failure(a->e->code) || a->cur == NULL) {
		mark_drop(&m);
		return -1;
	}
	mark_restore(a, &m);
	json_object_foreach(a->e->fields, k, v) {
		field = k;
		break;
	}
	{
		/* the reason without fail_here's "đề xuất pN (kind): ": the
		 * report names the proposal itself */
		char pre[128];
		size_t n = (size_t)snprintf(pre, sizeof(pre), "đề xuất %s (%s): ", a->cur,
		    ingest_kind_label(a->cur_kind));
		const char *why = strncmp(a->e->msg, pre, n) == 0 ? a->e->msg + n : a->e->msg;
		json_object_set_new(a->failed, a->cur, json_pack("{s:s, s:s?, s:s}",
		    ACC_KIND, a->cur_kind ? a->cur_kind : "", "field", field, ACC_REASON, why));
	}
	err_clear(a->e);
	return 0;
}

static int
progress_one(struct acc *a, json_t *p)
{
	double v, of;

	if (!n_of(p, PK_VALUE, &v))
		return 0;
	if (!n_of(p, "of", &of) || of <= 0)
		of = v;
	return program_for(a, p, of);
}

/* Agreement progress before the events: the meetings belong to its program
 * (after the documents: the program is named after its Chương trình). */
static int
progress_program(struct acc *a)
{
	json_t *p;
	size_t i;

	FOR_KIND(a, "figure", i, p) {
		const char *pa = s_of(p, "proposed_as");
		if (pa != NULL && strcmp(pa, "agreement_progress") == 0 &&
		    one_proposal(a, p, progress_one) != 0)
			return -1;
	}
	return 0;
}

/* The write itself, inside the caller's transaction. */
static int
accept_all(struct acc *a, const json_t *set, const json_t *decisions)
{
	static const char *const order[] = { PKIND_ORGANISATION, "legal_ref", "event",
		PKIND_PERSON, "figure", PKIND_COMMENDATION, PKIND_RECOMMENDATION,
		PKIND_TASK };
	static int (*const writers[])(struct acc *, json_t *) = { do_organisation,
		do_legal_ref, do_event, do_person, do_figure, do_commendation,
		do_recommendation, do_task };
	json_t *p, *src = json_object_get(set, "source");
	size_t i, k;

	snprintf(a->source, sizeof(a->source), "%s", s_of(src, PSRC_TITLE) ?
	    s_of(src, PSRC_TITLE) : s_of(src, PSRC_NAME) ? s_of(src, PSRC_NAME) : "văn bản");
	clip(a->source, sizeof(a->source), a->source, 300);
	a->pub_date = s_of(src, PSRC_PUBLICATION_DATE);
	a->ref_date = s_of(src, PSRC_REFERENCE_DATE);
	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		const json_t *edit;
		const char *id = s_of(p, "id");
		json_t *q;
		if (id == NULL || strcmp(decision_of(decisions, id, &edit), "accept") != 0)
			continue;
		q = edit ? edited(p, edit, a->e) : json_deep_copy(p);
		if (q == NULL)
			return -1;
		json_array_append_new(a->props, q);
		json_object_set(a->byid, id, q);
	}
	/* a numbered document's subject written at another mention */
	FOR_KIND(a, "legal_ref", i, p) {
		char subj[SUBJECT_MAX + 1];
		if (s_of(p, "subject") != NULL)
			continue;
		subject_elsewhere(a, p, subj, sizeof(subj));
		if (*subj)
			json_object_set_new(p, "subject", json_string(subj));
	}
	/* the first accepted event, the units it happens in */
	json_array_foreach(a->props, i, p) {
		const char *k0 = s_of(p, PK_KIND);
		if (k0 != NULL && strcmp(k0, "event") == 0 && a->primary == NULL) {
			a->primary = s_of(p, "id");
			a->main_unit = unit_of(a, json_object_get(p, "place_unit"));
		}
	}
	if (a->main_unit == 0)
		FOR_KIND(a, "unit", i, p)
			if ((a->main_unit = unit_of(a, p)) > 0)
				break;
	/* figures with no record of their own go into their event's note */
	FOR_KIND(a, "figure", i, p) {
		const char *pa = s_of(p, "proposed_as"), *ev = s_of(p, "event");
		double pct;
		json_t *list;
		if ((pa != NULL && strcmp(pa, "other") != 0) || is_group_band(a, p, &pct))
			continue;
		if (ev == NULL || prop(a, ev) == NULL)
			ev = a->primary;
		if (ev == NULL || s_of(p, PK_TEXT) == NULL)
			continue;
		list = json_object_get(a->others, ev);
		if (list == NULL)
			json_object_set_new(a->others, ev, list = json_array());
		json_array_append_new(list, json_string(s_of(p, PK_TEXT)));
	}
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if (k == 2 && progress_program(a) != 0)
			return -1;
		FOR_KIND(a, order[k], i, p)
			if (one_proposal(a, p, writers[k]) != 0)
				return -1;
	}
	a->cur = NULL;
	return 0;
}

static void
acc_init(struct acc *a, struct store *s, const struct actor *who, int64_t doc,
    struct err *e)
{
	memset(a, 0, sizeof(*a));
	a->s = s;
	a->who = who;
	a->e = e;
	a->doc_id = doc;
	a->props = json_array();
	a->byid = json_object();
	a->made = json_object();
	a->events = json_object();
	a->created = json_array();
	a->scopes = json_object();
	a->orgs = json_object();
	a->activities = json_object();
	a->others = json_object();
	a->failed = json_object();
	a->notes = json_object();
}

static void
acc_free(struct acc *a)
{
	free(a->text);
	json_decref(a->props);
	json_decref(a->byid);
	json_decref(a->made);
	json_decref(a->events);
	json_decref(a->created);
	json_decref(a->scopes);
	json_decref(a->orgs);
	json_decref(a->activities);
	json_decref(a->others);
	json_decref(a->failed);
	json_decref(a->notes);
	json_decref(a->doc_kinds);
}

/* The note kept with a proposal's decision: why it was not written, or
 * what was filled in for the official to check; NULL when none (malloc'd). */
static char *
decision_note(struct acc *a, const char *id)
{
	json_t *f = json_object_get(a->failed, id), *n = json_object_get(a->notes, id), *v;
	struct buf b;
	char *out;
	size_t i;

	if (f == NULL && json_array_size(n) == 0)
		return NULL;
	buf_init(&b, NOTE_MAX);
	if (f != NULL)
		buf_addf(&b, "Không ghi được: %s.", s_of(f, ACC_REASON) ? s_of(f, ACC_REASON) : "?");
	json_array_foreach(n, i, v)
		buf_addf(&b, "%s%s.", b.len ? " " : "", json_string_value(v));
	out = buf_failed(&b) ? NULL : strdup(buf_str(&b));
	buf_free(&b);
	return out;
}

static json_t *
result_of(struct acc *a, int64_t batch, size_t nprops)
{
	json_t *scopes = json_array(), *failed = json_array(), *notes = json_array(), *v;
	const char *k;
	size_t j;

	json_object_foreach(a->scopes, k, v)
		json_array_append_new(scopes, json_string(k));
	/* in the order of the text */
	json_array_foreach(a->props, j, v) {
		const char *id = s_of(v, "id");
		json_t *f = id ? json_object_get(a->failed, id) : NULL, *n, *t;
		size_t i;
		if (f != NULL)
			json_array_append_new(failed, json_pack("{s:s, s:s?, s:O, s:O}",
			    "proposal", id, ACC_KIND, s_of(v, PK_KIND), "field",
			    json_object_get(f, "field") ? json_object_get(f, "field") :
			    json_null(), ACC_REASON, json_object_get(f, ACC_REASON)));
		n = id ? json_object_get(a->notes, id) : NULL;
		if (f == NULL)
			json_array_foreach(n, i, t)
				json_array_append_new(notes, json_pack("{s:s, s:s?, s:O}",
				    "proposal", id, ACC_KIND, s_of(v, PK_KIND), ACC_NOTE, t));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:O, s:o, s:o, s:o}", ACC_BATCH_ID,
	    (json_int_t)batch, ACC_DOCUMENT_ID, (json_int_t)a->doc_id, "accepted",
	    (json_int_t)json_array_size(a->props), "rejected",
	    (json_int_t)(nprops - json_array_size(a->props)), "not_written",
	    (json_int_t)json_object_size(a->failed), "created", a->created,
	    "scopes", scopes, "failed", failed, "notes", notes);
}

int
ingest_accept_set(struct store *s, const json_t *set, const json_t *decisions,
    int64_t document_id, const struct actor *who, json_t **result, struct err *e)
{
	struct acc a;

	*result = NULL;
	acc_init(&a, s, who, document_id, e);
	if (records_batch_begin(s, NULL, who, 0, e) != 0) {
		acc_free(&a);
		return -1;
	}
	if (accept_all(&a, set, decisions) != 0) {
		records_batch_end(s, false, NULL);
		acc_free(&a);
		return -1;
	}
	if (records_batch_end(s, true, e) != 0) {
		acc_free(&a);
		return -1;
	}
	*result = result_of(&a, 0, json_array_size(json_object_get(set, PSET_PROPOSALS)));
	acc_free(&a);
	return 0;
}

/* ---- page chrome ---------------------------------------------------------------------- */

/* Headings under which a news page lists other articles (folded, without a
 * final ':'): what follows is not the report. */
static const char *const chrome_headings[] = {
	"cung chuyen muc", "tin cung chuyen muc", "tin lien quan", "bai lien quan",
	"bai viet lien quan", "bai viet khac", "cac bai viet khac", "tin khac",
	"cac tin khac", "tin bai khac", "cac tin bai khac", "xem them", "doc them",
	"tin moi", "tin moi nhat", "tin moi hon", "tin cu hon", "tin da dua",
	"tin noi bat", "tin xem nhieu", "doc nhieu nhat",
};

#define CHROME_LINE_MAX 64 /* bytes of a line that may be such a heading */
#define CHROME_CONFIDENCE 0.3 /* at most, for a proposal from page chrome */

size_t
ingest_chrome_start(const char *text, size_t len)
{
	size_t i = 0, k;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, a = i, z = end;
		while (a < z && isspace((unsigned char)text[a]))
			a++;
		while (z > a && (isspace((unsigned char)text[z - 1]) || text[z - 1] == ':'))
			z--;
		if (z > a && z - a <= CHROME_LINE_MAX) {
			char line[CHROME_LINE_MAX + 1], *f;
			memcpy(line, text + a, z - a);
			line[z - a] = '\0';
			f = fold(line);
			for (k = 0; k < sizeof(chrome_headings) / sizeof(chrome_headings[0]); k++)
				if (strcmp(f, chrome_headings[k]) == 0) {
					free(f);
					return a;
				}
			free(f);
		}
		i = end + 1;
	}
	return len;
}

void
ingest_mark_page_chrome(json_t *set, const char *text, size_t len)
{
	size_t from = text ? ingest_chrome_start(text, len) : len, i;
	json_t *p;

	if (from >= len)
		return;
	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		json_int_t s0 = json_integer_value(json_array_get(json_object_get(p, "span"), 0));
		if (s0 < (json_int_t)from)
			continue;
		json_object_set_new(p, "preselect", json_false());
		json_object_set_new(p, "page_chrome", json_true());
		if (json_number_value(json_object_get(p, "confidence")) > CHROME_CONFIDENCE)
			json_object_set_new(p, "confidence", json_real(CHROME_CONFIDENCE));
	}
}

bool
ingest_preselected(const json_t *p)
{
	return !json_is_false(json_object_get(p, "preselect"));
}

/* ---- batches -------------------------------------------------------------------------- */

int
ingest_batch_save(struct store *s, const char *source_name,
    const unsigned char *original, size_t original_len, const char *text,
    size_t text_len, json_t *set, const struct actor *who,
    int64_t *batch_id, int64_t *document_id, struct err *e)
{
	const struct entity_def *doc_ent = entity_of(ENT_DOCUMENT);
	json_t *src = json_object_get(set, "source"), *rec, *att = NULL, *out = NULL;
	char title[DOC_TITLE_MAX + 64], txtname[300], *proposals = NULL;
	const char *dot, *name = source_name && *source_name ? source_name : "van-ban.txt";
	int64_t doc = 0;

	ingest_mark_page_chrome(set, text, text_len);
	if (store_begin(s, e) != 0)
		return -1;
	clip(title, sizeof(title), s_of(src, PSRC_TITLE) ? s_of(src, PSRC_TITLE) : name, 800);
	snprintf(title + strlen(title), sizeof(title) - strlen(title), " (văn bản nhập: %s)",
	    name);
	rec = json_pack("{s:s, s:s}", field_name(FLD_DOCUMENT_KIND), "BC",
	    field_name(FLD_DOCUMENT_TITLE), title);
	if (s_of(src, PSRC_PUBLICATION_DATE) != NULL)
		jrec_set(rec, FLD_DOCUMENT_ISSUED_ON,
		    json_string(s_of(src, PSRC_PUBLICATION_DATE)));
	if (records_create(s, doc_ent, rec, who, 0, &out, e) != 0) {
		json_decref(rec);
		goto fail;
	}
	json_decref(rec);
	doc = rec_int(out, "id");
	json_decref(out);
	out = NULL;
	/* the plain text, which the proposals' spans point into */
	dot = strrchr(name, '.');
	snprintf(txtname, sizeof(txtname), "%.*s.txt", dot ? (int)(dot - name) : 250, name);
	if (attach_save(s, txtname, "text/plain", text, text_len, doc_ent->name, doc,
	    "Văn bản thuần (NFC) mà các đề xuất trích dẫn", who, &att, e) != 0)
		goto fail;
	if (original != NULL && dot != NULL && strcasecmp(dot, ".docx") == 0) {
		json_t *o2 = NULL;
		if (attach_save(s, name, NULL, original, original_len, doc_ent->name, doc,
		    "Tệp gốc", who, &o2, e) != 0)
			goto fail;
		json_decref(o2);
	}
	rec = json_pack("{s:I}", field_name(FLD_DOCUMENT_ATTACHMENT_ID),
	    (json_int_t)rec_int(att, "id"));
	if (records_update(s, doc_ent, doc, rec, 0, who, 0, NULL, e) != 0) {
		json_decref(rec);
		goto fail;
	}
	json_decref(rec);
	proposals = json_dumps(set, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (proposals == NULL) {
		err_set(e, ERR_INTERNAL, "không ghi được các đề xuất");
		goto fail;
	}
	rec = json_pack("{s:s, s:I, s:s, s:I, s:s}",
	    field_name(FLD_INGEST_BATCH_SOURCE_NAME), name,
	    field_name(FLD_INGEST_BATCH_DOCUMENT_ID), (json_int_t)doc,
	    field_name(FLD_INGEST_BATCH_PROPOSALS_JSON), proposals,
	    field_name(FLD_INGEST_BATCH_PROPOSAL_COUNT),
	    (json_int_t)json_array_size(json_object_get(set, PSET_PROPOSALS)),
	    field_name(FLD_INGEST_BATCH_STATE), "pending");
	free(proposals);
	if (s_of(src, PSRC_PUBLICATION_DATE) != NULL)
		jrec_set(rec, FLD_INGEST_BATCH_PUBLICATION_DATE,
		    json_string(s_of(src, PSRC_PUBLICATION_DATE)));
	if (who != NULL && who->user_id > 0)
		jrec_set(rec, FLD_INGEST_BATCH_CREATED_BY,
		    json_integer(who->user_id));
	if (records_create(s, entity_of(ENT_INGEST_BATCH), rec, who, R_SYSTEM, &out, e) != 0) {
		json_decref(rec);
		goto fail;
	}
	json_decref(rec);
	if (store_commit(s, e) != 0)
		goto fail;
	if (batch_id != NULL)
		*batch_id = rec_int(out, "id");
	if (document_id != NULL)
		*document_id = doc;
	json_decref(out);
	json_decref(att);
	return 0;
fail:
	store_rollback(s);
	json_decref(out);
	json_decref(att);
	return -1;
}

char *
ingest_document_text(struct store *s, int64_t doc_id, size_t *len)
{
	json_t *doc = doc_id > 0 ? store_get(s, entity_of(ENT_DOCUMENT), doc_id, NULL) : NULL;
	json_t *att = doc ? store_get(s, entity_of(ENT_ATTACHMENT),
	    jrec_int(doc, FLD_DOCUMENT_ATTACHMENT_ID), NULL) : NULL;
	char path[PATH_MAX_GP], *text = NULL;
	FILE *f;

	*len = 0;
	if (att != NULL && s_of(att, field_name(FLD_ATTACHMENT_SHA256)) != NULL &&
	    attach_path(jrec_str(att, FLD_ATTACHMENT_SHA256), path, sizeof(path)) == 0 &&
	    (f = fopen(path, "rb")) != NULL) {
		if ((text = malloc(INGEST_DOC_TEXT_MAX + 1)) != NULL) {
			*len = fread(text, 1, INGEST_DOC_TEXT_MAX, f);
			text[*len] = '\0';
		}
		fclose(f);
	}
	json_decref(doc);
	json_decref(att);
	return text;
}

int
ingest_batch_accept(struct store *s, int64_t batch_id, const json_t *decisions,
    const struct actor *who, json_t **result, struct err *e)
{
	const struct entity_def *bent = entity_of(ENT_INGEST_BATCH);
	json_t *batch, *set = NULL, *p, *state;
	json_error_t jerr;
	struct acc a;
	int rc;
	char today[CLOCK_DATE_LEN];
	size_t i, nprops;

	*result = NULL;
	if ((batch = store_get(s, bent, batch_id, e)) == NULL)
		return -1;
	/* deciding a batch changes it: whoever may not is told so before
	 * any proposal is judged */
	if (who != NULL && who->may_write != NULL && !who->may_write(who, s, bent,
	    batch, e)) {
		json_decref(batch);
		return -1;
	}
	if (strcmp(s_of(batch, field_name(FLD_INGEST_BATCH_STATE)) ?
	    jrec_str(batch, FLD_INGEST_BATCH_STATE) : "", "pending") != 0) {
		json_decref(batch);
		return err_set(e, ERR_CONFLICT, "lô nhập %lld đã được duyệt rồi",
		    (long long)batch_id);
	}
	set = json_loads(s_of(batch, field_name(FLD_INGEST_BATCH_PROPOSALS_JSON)) ?
	    jrec_str(batch, FLD_INGEST_BATCH_PROPOSALS_JSON) : "", 0, &jerr);
	if (set == NULL) {
		json_decref(batch);
		return err_set(e, ERR_INTERNAL, "các đề xuất đã lưu bị hỏng: %s", jerr.text);
	}
	acc_init(&a, s, who, jrec_int(batch, FLD_INGEST_BATCH_DOCUMENT_ID), e);
	a.text = ingest_document_text(s, a.doc_id, &a.text_len);
	if (store_begin(s, e) != 0)
		goto fail_nort;
	if (accept_all(&a, set, decisions) != 0)
		goto fail;
	/* each decision, with the records it became */
	nprops = json_array_size(json_object_get(set, PSET_PROPOSALS));
	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		const json_t *edit;
		const char *id = s_of(p, "id"), *d;
		json_t *made, *rec;
		char *ej = NULL, *mj = NULL, *note;
		if (id == NULL)
			continue;
		d = decision_of(decisions, id, &edit);
		made = json_object_get(a.made, id);
		if (strcmp(d, "accept") != 0)
			d = "rejected";
		else if (json_object_get(a.failed, id) != NULL)
			d = "not_written";
		else
			d = edit ? "edited" : "accepted";
		rec = json_pack("{s:I, s:s, s:s?, s:s}",
		    field_name(FLD_INGEST_DECISION_BATCH_ID), (json_int_t)batch_id,
		    field_name(FLD_INGEST_DECISION_PROPOSAL_ID), id,
		    field_name(FLD_INGEST_DECISION_KIND), s_of(p, PK_KIND),
		    field_name(FLD_INGEST_DECISION_DECISION), d);
		if (edit != NULL && (ej = json_dumps(edit, JSON_COMPACT)) != NULL)
			jrec_set(rec, FLD_INGEST_DECISION_EDITED_JSON, json_string(ej));
		if (json_array_size(made) > 0) {
			json_t *first = json_array_get(made, 0);
			jrec_set(rec, FLD_INGEST_DECISION_RECORD_ENTITY,
			    json_incref(json_array_get(first, 0)));
			jrec_set(rec, FLD_INGEST_DECISION_RECORD_ID,
			    json_incref(json_array_get(first, 1)));
			if ((mj = json_dumps(made, JSON_COMPACT)) != NULL)
				jrec_set(rec, FLD_INGEST_DECISION_RECORDS_JSON,
				    json_string(mj));
		}
		if ((note = decision_note(&a, id)) != NULL)
			jrec_set(rec, FLD_INGEST_DECISION_NOTE, json_string(note));
		free(note);
		free(ej);
		free(mj);
		if (records_create(s, entity_of(ENT_INGEST_DECISION), rec, who, 0, NULL, e) != 0) {
			json_decref(rec);
			err_prefix(e, "quyết định về đề xuất %s: ", id);
			goto fail;
		}
		json_decref(rec);
	}
	clock_today(today);
	state = json_pack("{s:s, s:s}", field_name(FLD_INGEST_BATCH_STATE),
	    json_array_size(a.props) == 0 ? "rejected" :
	    json_array_size(a.props) == nprops && json_object_size(a.failed) == 0 ?
	    "accepted" : "partial",
	    field_name(FLD_INGEST_BATCH_DECIDED_ON), today);
	rc = records_update(s, bent, batch_id, state, rec_int(batch, "version"), who, 0,
	    NULL, e);
	json_decref(state);
	if (rc != 0)
		goto fail;
	if (store_commit(s, e) != 0)
		goto fail;
	*result = result_of(&a, batch_id, nprops);
	acc_free(&a);
	json_decref(set);
	json_decref(batch);
	return 0;
fail:
	store_rollback(s);
fail_nort:
	acc_free(&a);
	json_decref(set);
	json_decref(batch);
	return -1;
}

/* ---- decisions from a list, text listing ------------------------------------------------ */

json_t *
ingest_decisions_from_list(const json_t *set, const char *ids)
{
	json_t *out = json_object(), *p;
	size_t i;
	bool all = ids != NULL && strcmp(ids, "all") == 0;

	if (ids == NULL || strcmp(ids, "none") == 0)
		return out;
	json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
		const char *id = s_of(p, "id"), *at;
		size_t n;
		bool hit = all && ingest_preselected(p);
		if (id == NULL)
			continue;
		n = strlen(id);
		for (at = ids; !hit && (at = strstr(at, id)) != NULL; at += n)
			hit = (at == ids || at[-1] == ',') && (at[n] == '\0' || at[n] == ',');
		json_object_set_new(out, id, json_string(hit ? "accept" : "reject"));
	}
	return out;
}

static const struct { const char *kind, *label; } kind_labels[] = {
	{ "event", "Sự kiện, hội nghị" }, { "date", "Ngày, thời gian" },
	{ PKIND_PERSON, "Cá nhân" }, { "unit", "Đơn vị hành chính" },
	{ PKIND_FOREIGN_UNIT, "Đơn vị nước ngoài" }, { PKIND_ORGANISATION, "Cơ quan, tổ chức" },
	{ "legal_ref", "Văn bản" }, { "figure", "Số liệu" },
	{ PKIND_COMMENDATION, "Khen thưởng" }, { PKIND_RECOMMENDATION, "Kiến nghị" },
	{ PKIND_TASK, "Nhiệm vụ" },
};

const char *
ingest_kind_label(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(kind_labels) / sizeof(kind_labels[0]); i++)
		if (strcmp(kind, kind_labels[i].kind) == 0)
			return kind_labels[i].label;
	return kind ? kind : "?";
}

char *
ingest_proposals_text(const json_t *set)
{
	static const char *const skip[] = { "id", PK_KIND, "span", "quote", "confidence",
		"sentence" };
	json_t *src = json_object_get(set, "source"), *p, *v;
	struct buf b;
	const char *k;
	size_t i, j, n = json_array_size(json_object_get(set, PSET_PROPOSALS));

	buf_init(&b, (size_t)64 << 20);
	buf_addf(&b, "Văn bản: %s\n", s_of(src, PSRC_TITLE) ? s_of(src, PSRC_TITLE) : "");
	buf_addf(&b, "Tệp: %s · ngày đăng: %s · %zu đề xuất\n\n", s_of(src, PSRC_NAME) ?
	    s_of(src, PSRC_NAME) : "", s_of(src, PSRC_PUBLICATION_DATE) ?
	    s_of(src, PSRC_PUBLICATION_DATE) : "không rõ", n);
	for (j = 0; j < sizeof(kind_labels) / sizeof(kind_labels[0]); j++) {
		bool head = false;
		json_array_foreach(json_object_get(set, PSET_PROPOSALS), i, p) {
			size_t f;
			if (strcmp(s_of(p, PK_KIND) ? s_of(p, PK_KIND) : "", kind_labels[j].kind) != 0)
				continue;
			if (!head) {
				buf_addf(&b, "== %s ==\n", kind_labels[j].label);
				head = true;
			}
			buf_addf(&b, "[%s] (độ tin cậy %.2f)", s_of(p, "id") ? s_of(p, "id") : "?",
			    json_number_value(json_object_get(p, "confidence")));
			json_object_foreach(p, k, v) {
				bool skipped = false;
				for (f = 0; f < sizeof(skip) / sizeof(skip[0]); f++)
					skipped |= strcmp(k, skip[f]) == 0;
				if (skipped || json_is_null(v))
					continue;
				if (json_is_string(v))
					buf_addf(&b, " %s: %s;", k, json_string_value(v));
				else if (json_is_integer(v))
					buf_addf(&b, " %s: %lld;", k, (long long)json_integer_value(v));
				else if (json_is_real(v))
					buf_addf(&b, " %s: %g;", k, json_real_value(v));
				else {
					char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
					buf_addf(&b, " %s: %s;", k, d ? d : "");
					free(d);
				}
			}
			buf_addf(&b, "\n    « %s »\n", s_of(p, "quote") ? s_of(p, "quote") : "");
		}
		if (head)
			buf_addc(&b, '\n');
	}
	return buf_take(&b);
}
