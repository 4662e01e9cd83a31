/* bulk.c - see bulk.h */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bulk.h"
#include "domain/plaus.h"
#include "domain/validate.h"
#include "domain/workflow.h"
#include "text/text.h"

#define COL_IGNORED (-1)  /* id, version, created_at, updated_at        */
#define COL_ILLUSTRATIVE (-2)

struct bulk {
	struct store *s;
	const struct entity_def *ent;
	const struct actor *who;
	struct import_result *res;
	struct store_bulk *sb;
	int *col_field;      /* per column: field index or COL_*           */
	size_t ncols;
	bool whole;          /* validate_whole has pairs to check          */
	bool links;          /* validate_links has a reference to check     */
	unsigned vflags;     /* validate_value's flags for this writer      */
	long forbidden;      /* rows the writer may not write               */
	/* per row */
	const char **cell;   /* per field: the last non-empty cell, or NULL */
	struct store_val *vals;
	json_t **owned;      /* values validate_value made (freed per row)  */
	size_t nowned;
	char **texts;        /* NFC copies (freed per row)                  */
	size_t ntexts;
};

void
bulk_error(struct import_result *res, long line, const char *field,
    const char *msg)
{
	char f[128], m[ERR_MSG_MAX];

	if ((long)json_array_size(res->errors) >= IMPORT_ERRORS_SHOWN)
		return;
	/* both may quote the file: JSON must be able to carry them, or the
	 * whole answer would fail as if memory had run out */
	snprintf(f, sizeof(f), "%s", field ? field : "");
	snprintf(m, sizeof(m), "%s", msg);
	text_fix_utf8(f);
	text_fix_utf8(m);
	if (json_array_append_new(res->errors, json_pack("{s:I, s:s?, s:s}",
	    "line", (json_int_t)line, "field", field ? f : NULL, "message", m)) != 0)
		res->errors_lost = true;
}

/* A row's error that is the server's (out of memory, the database) fails
 * the load, moved into e, instead of rejecting the row: -1 then. */
static int
server_failure(struct err *re, struct err *e)
{
	if (err_http_status(re->code) < 500)
		return 0;
	if (e != NULL) {
		err_clear(e);
		*e = *re;
		re->fields = NULL;
	}
	err_clear(re);
	return -1;
}

/* Columns exported that an import ignores (the store sets them). */
static bool
ignored_column(const char *name)
{
	return strcmp(name, "id") == 0 || strcmp(name, "version") == 0 ||
	    strcmp(name, "created_at") == 0 || strcmp(name, "updated_at") == 0;
}

/* A row the database refused (store_bulk). */
static void
on_reject(void *ctx, long line, const struct err *re)
{
	struct bulk *b = ctx;

	b->res->rejected++;
	bulk_error(b->res, line, NULL, re->msg);
}

static void
bulk_free(struct bulk *b)
{
	if (b == NULL)
		return;
	store_bulk_close(b->sb);
	free(b->col_field);
	free(b->cell);
	free(b->vals);
	free(b->owned);
	free(b->texts);
	free(b);
}

struct bulk *
bulk_open(struct store *s, const struct entity_def *ent,
    const char *const *names, size_t ncols, const struct actor *who,
    struct import_result *res, struct err *e)
{
	struct bulk *b = calloc(1, sizeof(*b));
	size_t j, n = ent->nfields;

	if (b == NULL) {
		err_nomem(e);
		return NULL;
	}
	/* one who may not write these records at all is told so first */
	if (!records_may_write_entity(s, ent, who, 0, e)) {
		free(b);
		return NULL;
	}
	b->s = s;
	b->ent = ent;
	b->who = who;
	b->res = res;
	b->ncols = ncols;
	b->whole = validate_whole_applies(ent);
	b->links = entity_behaviour(ent)->attached_entity != FLD_NONE;
	b->vflags = records_vflags(who, 0);
	b->col_field = calloc(ncols + 1, sizeof(int));
	b->cell = calloc(n + 1, sizeof(char *));
	b->vals = calloc(n + 1, sizeof(*b->vals));
	/* at most one validate_value result and one NFC copy per field */
	b->owned = calloc(n + 1, sizeof(json_t *));
	b->texts = calloc(n + 1, sizeof(char *));
	if (b->col_field == NULL || b->cell == NULL || b->vals == NULL ||
	    b->owned == NULL || b->texts == NULL) {
		bulk_free(b);
		err_nomem(e);
		return NULL;
	}
	if (names != NULL && ncols == 0) {
		bulk_free(b);
		err_set(e, ERR_BAD_REQUEST, "tệp rỗng: dòng 1 phải là tên các trường");
		return NULL;
	}
	for (j = 0; names != NULL && j < ncols; j++) {
		const char *name = names[j];
		const struct field_def *f = name ? entity_field(ent, name) : NULL;
		if (name != NULL && !text_valid_utf8(name, strlen(name))) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "cột %zu: tên trường không phải văn bản "
			    "UTF-8 hợp lệ", j + 1);
			bulk_error(res, 1, NULL, msg);
		} else if (name != NULL && ignored_column(name)) {
			b->col_field[j] = COL_IGNORED;
		} else if (name != NULL && strcmp(name, COMMON_ILLUSTRATIVE) == 0) {
			b->col_field[j] = COL_ILLUSTRATIVE;
		} else if (f != NULL) {
			b->col_field[j] = (int)(f - ent->fields);
		} else {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "cột %zu: %s không có trường '%s'",
			    j + 1, ent->label, name ? name : "");
			bulk_error(res, 1, name, msg);
		}
	}
	if (res->errors_lost) {
		bulk_free(b);
		err_nomem(e);
		return NULL;
	}
	if (json_array_size(res->errors) > 0) {
		bulk_free(b);
		err_set(e, ERR_INVALID, "dòng tiêu đề có tên trường không hợp lệ");
		return NULL;
	}
	if (records_batch_begin(s, NULL, who, 0, e) != 0) {
		bulk_free(b);
		return NULL;
	}
	/* rows of one load name the same units, indicators and catalog codes
	 * over and over: check each once (the load holds the write lock) */
	store_ref_cache(s, true);
	b->sb = store_bulk_open(s, ent, who ? who->user_id : 0,
	    who ? who->name : NULL, on_reject, b, e);
	if (b->sb == NULL) {
		store_ref_cache(s, false);
		records_batch_end(s, false, NULL);
		bulk_free(b);
		return NULL;
	}
	return b;
}

/* ---- typing one cell --------------------------------------------------------- */

static bool
is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static bool
trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A plain decimal integer ("-12", "4932"), the only form the direct path
 * takes; anything else goes through validate_value. */
static bool
plain_int(const char *s, int64_t *out)
{
	const char *p = s + (*s == '-');
	int64_t v = 0;
	size_t n = 0;

	/* 18 digits always fit; a longer number is validate_value's (the
	 * count is checked before the digit is added: no overflow) */
	for (; *p >= '0' && *p <= '9'; p++, n++) {
		if (n == 18)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (*p != '\0' || n == 0)
		return false;
	*out = *s == '-' ? -v : v;
	return true;
}

static bool
in_range(const struct field_def *f, double v)
{
	return !(f->min < f->max && (v < f->min || v > f->max));
}

/* The direct path: true with *v set when the cell is a value validate_value
 * would accept as it is (or, for text, as its NFC form); false sends the
 * cell to validate_value. */
static bool
direct(struct bulk *b, const struct field_def *f, const char *str,
    struct store_val *v)
{
	size_t len;
	char *nfc;

	switch (f->type) {
	case FT_TEXT:
		len = strlen(str);
		/* checked or canonicalised text goes through validate_value */
		if ((f->flags & (F_EXPR | F_STRUCTURED)) || trim_char(str[0]) ||
		    trim_char(str[len - 1]))
			return false;
		if (text_nfc(str, len, &nfc) != 0)
			return false;
		if (!validate_text_fits(f, nfc)) {
			free(nfc);
			return false;
		}
		b->texts[b->ntexts++] = nfc;
		*v = (struct store_val){ SV_TEXT, 0, 0, nfc };
		return true;
	case FT_INTEGER:
		if (!plain_int(str, &v->i) || !in_range(f, (double)v->i))
			return false;
		v->type = SV_INT;
		return true;
	case FT_REF: {
		const struct entity_def *target = registry_find(f->arg);
		/* a record hidden from the writer goes to validate_value,
		 * which answers as for a missing one */
		if (!plain_int(str, &v->i) || v->i <= 0 || target == NULL ||
		    store_exists_visible(b->s, target, v->i,
		    !(b->vflags & V_HIDE_CONFIDENTIAL), NULL) != 1)
			return false;
		v->type = SV_INT;
		return true;
	}
	case FT_DECIMAL:
		if (vi_parse_decimal(str, &v->d) != 0 || !isfinite(v->d) ||
		    !in_range(f, v->d))
			return false;
		v->type = SV_REAL;
		return true;
	case FT_DATE:
		if (!vi_iso_date_valid(str))
			return false;
		*v = (struct store_val){ SV_TEXT, 0, 0, str };
		return true;
	case FT_ENUM:
		if (!enum_has(f, str))
			return false;
		*v = (struct store_val){ SV_TEXT, 0, 0, str };
		return true;
	case FT_CATALOG:
		if (!store_catalog_has(b->s, f->arg, str))
			return false;
		*v = (struct store_val){ SV_TEXT, 0, 0, str };
		return true;
	case FT_BOOLEAN:
		return false;
	}
	return false;
}

/* A typed JSON value (validate_value's or validate_record's) as a bound
 * value; strings stay owned by the JSON. */
static struct store_val
from_json(const json_t *v)
{
	struct store_val o = { SV_NULL, 0, 0, NULL };

	if (json_is_integer(v))
		o = (struct store_val){ SV_INT, json_integer_value(v), 0, NULL };
	else if (json_is_real(v))
		o = (struct store_val){ SV_REAL, 0, json_real_value(v), NULL };
	else if (json_is_boolean(v))
		o = (struct store_val){ SV_INT, json_is_true(v), 0, NULL };
	else if (json_is_string(v))
		o = (struct store_val){ SV_TEXT, 0, 0, json_string_value(v) };
	return o;
}

static json_t *
to_json(const struct store_val *v, enum field_type t)
{
	switch (v->type) {
	case SV_INT:
		return t == FT_BOOLEAN ? json_boolean(v->i) : json_integer(v->i);
	case SV_REAL:
		return json_real(v->d);
	case SV_TEXT:
		return json_string(v->s);
	default:
		return json_null();
	}
}

static void
row_reset(struct bulk *b)
{
	size_t i;

	for (i = 0; i < b->nowned; i++)
		json_decref(b->owned[i]);
	for (i = 0; i < b->ntexts; i++)
		free(b->texts[i]);
	b->nowned = b->ntexts = 0;
}

/* An admitted row's plausibility warnings (plaus.h), listed in
 * res->warnings as {"line", "field", "rule", "message"}: the row is
 * written all the same. */
static int
row_warnings(struct bulk *b, long line, const json_t *rec, struct err *re)
{
	json_t *w, *it;
	size_t i;

	if (b->ent->id != ENT_INDICATOR_VALUE)
		return 0;
	if ((w = plaus_check(b->s, rec, re)) == NULL)
		return -1;
	json_array_foreach(w, i, it) {
		if (b->res->warnings == NULL && (b->res->warnings = json_array()) == NULL)
			break;
		if ((long)json_array_size(b->res->warnings) >= IMPORT_ERRORS_SHOWN)
			break;
		if (json_object_set_new(it, "line", json_integer(line)) != 0 ||
		    json_array_append(b->res->warnings, it) != 0)
			break;
	}
	json_decref(w);
	return 0;
}

/* records_admit on the row (the checks that take the record as JSON),
 * built only for entities and writers whose checks read it: the row's
 * fields, or the status alone when the workflow is the only one (it reads
 * nothing else of a new record: workflow.h).  present[i]: field i was
 * given (a null value counts). */
static int
record_checks(struct bulk *b, long line, const bool *present, bool ill_given,
    bool illustrative, struct err *re)
{
	/* an indicator value's figures are judged for plausibility too */
	bool all = b->whole || b->links || b->ent->id == ENT_INDICATOR_VALUE ||
	    (b->who != NULL && b->who->may_write != NULL);
	const char *flow = workflow_field(b->ent);
	json_t *rec;
	size_t i;
	int rc;
	bool ok;

	if (!all && flow == NULL)
		return 0;
	/* a field missing from it would be judged (and permitted) wrongly */
	ok = (rec = json_object()) != NULL;
	for (i = 0; ok && i < b->ent->nfields; i++)
		if (present[i] && (all || strcmp(b->ent->fields[i].name, flow) == 0))
			ok = json_object_set_new(rec, b->ent->fields[i].name,
			    to_json(&b->vals[i], b->ent->fields[i].type)) == 0;
	if (ok && ill_given)
		ok = json_object_set_new(rec, COMMON_ILLUSTRATIVE,
		    json_boolean(illustrative)) == 0;
	rc = ok ? records_admit(b->s, b->ent, NULL, rec, b->who, 0, re) :
	    err_nomem(re);
	if (rc == 0)
		rc = row_warnings(b, line, rec, re);
	json_decref(rec);
	return rc;
}

/* validate_value of a cell's text (see there: NULL with msg empty and e
 * set when it could not be checked). */
static json_t *
check_cell(struct bulk *b, const struct field_def *f, const char *cell,
    char *msg, size_t msglen, struct err *e)
{
	json_t *in = json_string_nocheck(cell), *tv;

	if (in == NULL) {
		msg[0] = '\0';
		err_nomem(e);
		return NULL;
	}
	tv = validate_value_flags(b->s, f, in, b->vflags, msg, msglen, e);
	json_decref(in);
	return tv;
}

/* List a bad row's errors (field by field, in the order found). */
static void
reject(struct bulk *b, long line, const struct err *re)
{
	const char *k;
	json_t *m;

	b->res->rejected++;
	if (re->code == ERR_FORBIDDEN || re->code == ERR_UNAUTHORIZED)
		b->forbidden++;
	if (re->fields != NULL) {
		json_object_foreach(re->fields, k, m)
			bulk_error(b->res, line, k, json_string_value(m));
	} else {
		bulk_error(b->res, line, NULL, re->msg);
	}
}

static int
write_or_reject(struct bulk *b, long line, bool illustrative, struct err *re,
    struct err *e)
{
	if (re->code != ERR_NONE) {
		reject(b, line, re);
		err_clear(re);
		return 0;
	}
	return store_bulk_row(b->sb, line, b->vals, illustrative, e);
}

/* A row that did not validate but names a unit, organisation or owner
 * outside the writer's grants is refused as such (records_refuse_named_scope),
 * as records_create would: its cells of those fields, as text. */
static void
named_scope(struct bulk *b, struct err *re)
{
	json_t *in;
	size_t i;

	if (b->who == NULL || b->who->may_write == NULL || re->code != ERR_INVALID ||
	    (in = json_object()) == NULL)
		return;
	for (i = 0; i < b->ent->nfields; i++)
		if (b->cell[i] != NULL && write_rule_field(b->ent, &b->ent->fields[i]))
			json_object_set_new(in, b->ent->fields[i].name,
			    json_string_nocheck(b->cell[i]));
	records_refuse_named_scope(b->s, b->ent, in, NULL, b->who, re);
	json_decref(in);
}

/* Why a cell (len bytes, or a C string when len is SIZE_MAX) is not text,
 * or NULL. */
static const char *
cell_not_text(const char *c, size_t len)
{
	if (len == SIZE_MAX)
		len = strlen(c);
	if (memchr(c, '\0', len) != NULL)
		return "chứa ký tự NUL";
	if (!text_valid_utf8(c, len))
		return "không phải văn bản UTF-8 hợp lệ";
	return NULL;
}

int
bulk_row_cells(struct bulk *b, long line, const char *const *cells,
    const size_t *lens, size_t ncols, struct err *e)
{
	const struct entity_def *ent = b->ent;
	bool present[SQL_PARAMS_MAX], ill = false, ill_given = false;
	const char *ill_cell = NULL;
	char msg[ERR_MSG_MAX];
	struct err re = { 0 };
	size_t i, j;
	int rc;

	b->res->rows++;
	if (ncols != b->ncols) {
		snprintf(msg, sizeof(msg), "có %zu ô, dòng tiêu đề có %zu cột",
		    ncols, b->ncols);
		bulk_error(b->res, line, NULL, msg);
		b->res->rejected++;
		return 0;
	}
	/* an empty cell is an absent field; of repeated columns the last
	 * non-empty one counts (as a JSON object built from the row would) */
	memset(b->cell, 0, ent->nfields * sizeof(*b->cell));
	for (j = 0; j < ncols; j++) {
		const char *c = cells[j], *why;
		if (c == NULL || b->col_field[j] == COL_IGNORED)
			continue;
		/* a NUL would end the cell's text where it is, bytes that are
		 * not UTF-8 cannot be stored: the row is refused, naming the
		 * field, and the cell goes no further */
		if ((why = cell_not_text(c, lens ? lens[j] : SIZE_MAX)) != NULL) {
			if (b->col_field[j] == COL_ILLUSTRATIVE)
				err_field(&re, COMMON_ILLUSTRATIVE, "Minh họa: %s", why);
			else
				err_field(&re, ent->fields[b->col_field[j]].name, "%s: %s",
				    ent->fields[b->col_field[j]].label, why);
			continue;
		}
		if (*c == '\0')
			continue;
		if (b->col_field[j] == COL_ILLUSTRATIVE)
			ill_cell = c;
		else
			b->cell[b->col_field[j]] = c;
	}
	/* validate_record's order: the illustrative flag, then the fields */
	if (ill_cell != NULL && !is_blank(ill_cell)) {
		static const struct field_def illf = { COMMON_ILLUSTRATIVE,
			FT_BOOLEAN, "Minh họa", 0, 0, 0, NULL };
		json_t *tv = check_cell(b, &illf, ill_cell, msg, sizeof(msg), &re);
		if (tv == NULL && msg[0] != '\0')
			err_field(&re, COMMON_ILLUSTRATIVE, "%s", msg);
		else if (tv != NULL) {
			ill = json_is_true(tv);
			ill_given = true;
			json_decref(tv);
		}
	}
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const char *c = b->cell[i];
		json_t *tv;
		b->vals[i] = (struct store_val){ SV_NULL, 0, 0, NULL };
		present[i] = c != NULL;
		if (c == NULL) {
			if (f->flags & F_REQUIRED)
				err_field(&re, f->name, "%s: bắt buộc nhập", f->label);
			continue;
		}
		if (f->flags & (F_SYSTEM | F_SECRET)) {
			err_field(&re, f->name, "%s do hệ thống ghi, không nhập được",
			    f->label);
			continue;
		}
		if (is_blank(c)) {
			if (f->flags & F_REQUIRED)
				err_field(&re, f->name, "%s: bắt buộc nhập", f->label);
			continue;
		}
		if (direct(b, f, c, &b->vals[i]))
			continue;
		tv = check_cell(b, f, c, msg, sizeof(msg), &re);
		if (tv == NULL) {
			if (msg[0] != '\0')
				err_field(&re, f->name, "%s: %s", f->label, msg);
			continue;
		}
		b->owned[b->nowned++] = tv;
		b->vals[i] = from_json(tv);
	}
	if (re.code == ERR_NONE)
		record_checks(b, line, present, ill_given, ill, &re);
	else
		named_scope(b, &re);
	rc = server_failure(&re, e);
	if (rc == 0)
		rc = write_or_reject(b, line, ill, &re, e);
	err_clear(&re);
	row_reset(b);
	return rc;
}

int
bulk_row_json(struct bulk *b, long line, const json_t *obj, struct err *e)
{
	struct err re = { 0 };
	json_t *rec;
	size_t i;
	int rc = 0;

	b->res->rows++;
	rec = records_check_create(b->s, b->ent, obj, b->who, 0, &re);
	if (rec != NULL && row_warnings(b, line, rec, &re) != 0) {
		json_decref(rec);
		rec = NULL;
	}
	if (rec != NULL) {
		for (i = 0; i < b->ent->nfields; i++)
			b->vals[i] = from_json(json_object_get(rec, b->ent->fields[i].name));
		rc = store_bulk_row(b->sb, line, b->vals,
		    json_is_true(json_object_get(rec, COMMON_ILLUSTRATIVE)), e);
		json_decref(rec);
	} else if ((rc = server_failure(&re, e)) == 0) {
		if (re.code == ERR_NONE)
			err_set(&re, ERR_INVALID, "bản ghi không hợp lệ");
		reject(b, line, &re);
	}
	err_clear(&re);
	return rc;
}

/* bulk_finish and bulk_try: keep the rows written, or undo them after
 * every check has run (a preview). */
static int
finish(struct bulk *b, bool skip_invalid, bool keep, struct err *e)
{
	int rc = -1;

	if (store_bulk_flush(b->sb, e) != 0)
		goto abort;
	if (b->res->errors_lost) {
		err_nomem(e);
		goto abort;
	}
	/* rows of another unit are not bad data to skip: nothing is written */
	if (b->forbidden > 0) {
		err_set(e, ERR_FORBIDDEN, "%ld dòng thuộc phạm vi bạn không được ghi; "
		    "không nhập dòng nào", b->forbidden);
		goto abort;
	}
	if (b->res->rejected > 0 && !skip_invalid) {
		err_set(e, ERR_INVALID, "%ld dòng có lỗi; không nhập dòng nào",
		    b->res->rejected);
		goto abort;
	}
	b->res->imported = store_bulk_written(b->sb);
	store_ref_cache(b->s, false);
	if (records_batch_end(b->s, keep, e) != 0)
		b->res->imported = 0;
	else
		rc = 0;
	bulk_free(b);
	return rc;
abort:
	bulk_abort(b);
	return rc;
}

int
bulk_finish(struct bulk *b, bool skip_invalid, struct err *e)
{
	return finish(b, skip_invalid, true, e);
}

int
bulk_try(struct bulk *b, bool skip_invalid, struct err *e)
{
	return finish(b, skip_invalid, false, e);
}

void
bulk_abort(struct bulk *b)
{
	if (b == NULL)
		return;
	b->res->imported = 0;
	records_batch_end(b->s, false, NULL);
	store_ref_cache(b->s, false);
	bulk_free(b);
}
