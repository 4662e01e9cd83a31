/* reorg.c - see reorg.h */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csvio.h"
#include "domain/reorg.h"
#include "domain/validate.h"
#include "schema/record.h"
#include "text/text.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The columns of the file.  Those that hold a field's value are named
 * after the field (the CSV header names fields, as every import's does). */
enum col { C_NONE = -1, C_RECORD, C_CODE, C_NAME, C_TYPE, C_LEVEL, C_PARENT,
	C_PRED, C_KIND, C_EFFECTIVE, C_BASIS, C_COUNT };

#define COL_RECORD "record"
#define COL_PARENT "parent_code"
#define COL_PRED   "predecessor_code"
#define ROW_UNIT    "unit"
#define ROW_LINEAGE "lineage"
#define KIND_MERGE  "merge"
#define KIND_SPLIT  "split"
#define KIND_RENAME "rename"

static const char *
col_name(enum col c)
{
	switch (c) {
	case C_RECORD:    return COL_RECORD;
	case C_CODE:      return field_name(FLD_ADMIN_UNIT_CODE);
	case C_NAME:      return field_name(FLD_ADMIN_UNIT_NAME);
	case C_TYPE:      return field_name(FLD_ADMIN_UNIT_TYPE);
	case C_LEVEL:     return field_name(FLD_ADMIN_UNIT_LEVEL);
	case C_PARENT:    return COL_PARENT;
	case C_PRED:      return COL_PRED;
	case C_KIND:      return field_name(FLD_UNIT_LINEAGE_KIND);
	case C_EFFECTIVE: return field_name(FLD_UNIT_LINEAGE_EFFECTIVE_ON);
	case C_BASIS:     return field_name(FLD_UNIT_LINEAGE_LEGAL_BASIS);
	default:          return NULL;
	}
}

static const char *
col_label(enum col c)
{
	switch (c) {
	case C_RECORD:    return "Loại dòng (unit: đơn vị mới, lineage: sắp xếp)";
	case C_CODE:      return "Mã đơn vị (mới)";
	case C_NAME:      return field_of(FLD_ADMIN_UNIT_NAME)->label;
	case C_TYPE:      return field_of(FLD_ADMIN_UNIT_TYPE)->label;
	case C_LEVEL:     return field_of(FLD_ADMIN_UNIT_LEVEL)->label;
	case C_PARENT:    return "Mã đơn vị cấp trên";
	case C_PRED:      return "Mã đơn vị cũ";
	case C_KIND:      return field_of(FLD_UNIT_LINEAGE_KIND)->label;
	case C_EFFECTIVE: return field_of(FLD_UNIT_LINEAGE_EFFECTIVE_ON)->label;
	case C_BASIS:     return field_of(FLD_UNIT_LINEAGE_LEGAL_BASIS)->label;
	default:          return NULL;
	}
}

const char *
reorg_column_label(const char *column)
{
	int c;

	for (c = 0; column != NULL && c < C_COUNT; c++)
		if (strcmp(col_name((enum col)c), column) == 0)
			return col_label((enum col)c);
	return column;
}

/* ---- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), and back: no time zone comes into it. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

int
reorg_add_days(const char *iso, int days, char out[11])
{
	long y;
	unsigned m, d;

	if (iso == NULL || !vi_iso_date_valid(iso) ||
	    sscanf(iso, "%4ld-%2u-%2u", &y, &m, &d) != 3)
		return -1;
	civil_from_days(days_from_civil(y, m, d) + days, &y, &m, &d);
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	/* A roomier buffer first: the compiler cannot see the ranges just
	 * checked and would call the 10-character write a truncation. */
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04ld-%02u-%02u", y, m, d);
	memcpy(out, tmp, 11);
	return 0;
}

/* ---- the rows --------------------------------------------------------------- */

struct urow {                  /* a new unit                                */
	long line;
	const char *code, *name, *type, *parent_code;
	json_int_t level;
	char from[11];
	int64_t parent_id;         /* the parent in force, or 0                 */
	struct urow *parent;       /* the parent among the file's units         */
	const char *parent_name;
	int64_t id;                /* once created                              */
	bool ok;
};

struct lrow {                  /* a lineage link                            */
	long line;
	const char *code, *pred_code, *kind, *basis;
	char on[11], before[11];
	const json_t *pred;        /* the old unit (in c->keep)                 */
	int64_t pred_id, succ_id;
	struct urow *succ;         /* the successor among the file's units      */
	const char *succ_name;
	bool ok;
};

struct ctx {
	struct store *s;
	const struct actor *who;
	json_t *rows;              /* the CSV, cells trimmed                    */
	int col[C_COUNT];          /* index of each column, -1 when absent      */
	struct urow *u;
	size_t nu;
	struct lrow *l;
	size_t nl;
	json_t *keep;              /* unit records looked up (names live here)  */
	json_t *errors;
	long nerrors;
	bool nomem;
};

static void
bad(struct ctx *c, long line, enum col col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
bad(struct ctx *c, long line, enum col col, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	json_t *o;

	c->nerrors++;
	if (json_array_size(c->errors) >= REORG_ERRORS_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o = json_pack("{s:I, s:s?, s:s?, s:s}", "line", (json_int_t)line,
	    "column", col_name(col), "column_label", col_label(col), "message", msg);
	if (o == NULL || json_array_append_new(c->errors, o) != 0)
		c->nomem = true;
}

static const char *
cell(const struct ctx *c, const json_t *row, enum col col)
{
	const char *v;

	if (c->col[col] < 0)
		return "";
	v = json_string_value(json_array_get(row, (size_t)c->col[col]));
	return v != NULL ? v : "";
}

/* Cells without the spaces around them (a spreadsheet's padding). */
static int
trim_cells(json_t *rows)
{
	json_t *row, *v;
	size_t i, k, n;
	const char *t;

	json_array_foreach(rows, i, row) {
		json_array_foreach(row, k, v) {
			t = json_string_value(v);
			if (t == NULL)
				continue;
			/* a byte-order mark before the first header */
			if (i == 0 && k == 0 && strncmp(t, "\xEF\xBB\xBF", 3) == 0)
				t += 3;
			while (*t == ' ' || *t == '\t')
				t++;
			n = strlen(t);
			while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t' ||
			    t[n - 1] == '\r'))
				n--;
			if (n == strlen(json_string_value(v)))
				continue;
			if (json_array_set_new(row, k, json_stringn(t, n)) != 0)
				return -1;
		}
	}
	return 0;
}

static int
read_header(struct ctx *c)
{
	const json_t *head = json_array_get(c->rows, 0);
	const char *name;
	size_t k;
	int col;

	for (col = 0; col < C_COUNT; col++)
		c->col[col] = -1;
	for (k = 0; k < json_array_size(head); k++) {
		name = json_string_value(json_array_get(head, k));
		for (col = 0; col < C_COUNT; col++)
			if (name != NULL && strcmp(name, col_name((enum col)col)) == 0)
				break;
		if (col == C_COUNT) {
			bad(c, 1, C_NONE, "cột '%s' không có trong mẫu tệp (các cột: record, "
			    "code, name, type, level, parent_code, predecessor_code, kind, "
			    "effective_on, legal_basis)", name ? name : "");
		} else if (c->col[col] >= 0) {
			bad(c, 1, (enum col)col, "cột '%s' có hai lần", name);
		} else {
			c->col[col] = (int)k;
		}
	}
	for (col = 0; col < C_COUNT; col++)
		if (c->col[col] < 0 && (col == C_RECORD || col == C_CODE ||
		    col == C_EFFECTIVE))
			bad(c, 1, (enum col)col, "thiếu cột '%s'", col_name((enum col)col));
	return c->nerrors == 0 ? 0 : -1;
}

/* A cell typed as its field would be (a date in any form validate.c
 * reads, a level in range), or NULL with the message listed. */
static json_t *
typed(struct ctx *c, long line, enum col col, enum field_id f, const char *text,
    struct err *e)
{
	char msg[ERR_MSG_MAX] = "";
	json_t *in = json_string(text), *v;

	if (in == NULL) {
		c->nomem = true;
		return NULL;
	}
	v = validate_value(c->s, field_of(f), in, msg, sizeof(msg), e);
	json_decref(in);
	if (v == NULL && msg[0] != '\0')
		bad(c, line, col, "%s", msg);
	else if (v == NULL)
		c->nomem = true; /* e says what */
	return v;
}

static bool
required(struct ctx *c, long line, const json_t *row, enum col col)
{
	if (*cell(c, row, col) != '\0')
		return true;
	bad(c, line, col, "%s: bắt buộc nhập", col_label(col));
	return false;
}

/* Every cell of cols present (each missing one named, none skipped) */
static bool
all_required(struct ctx *c, long line, const json_t *row, const enum col *cols, size_t n)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++)
		ok = required(c, line, row, cols[i]) && ok;
	return ok;
}

static bool
date_cell(struct ctx *c, long line, const json_t *row, char out[11], struct err *e)
{
	json_t *v;

	if (!required(c, line, row, C_EFFECTIVE))
		return false;
	v = typed(c, line, C_EFFECTIVE, FLD_UNIT_LINEAGE_EFFECTIVE_ON,
	    cell(c, row, C_EFFECTIVE), e);
	if (v == NULL || !json_is_string(v)) {
		json_decref(v);
		return false;
	}
	snprintf(out, 11, "%s", json_string_value(v));
	json_decref(v);
	return true;
}

/* Each row by itself: its kind, the cells it needs, their types. */
static int
read_rows(struct ctx *c, struct err *e)
{
	const json_t *row;
	static const enum col unit_cols[] = { C_CODE, C_NAME, C_TYPE, C_LEVEL };
	static const enum col lineage_cols[] = { C_CODE, C_PRED, C_KIND, C_BASIS };
	size_t i, k;
	long line;

	for (i = 1; i < json_array_size(c->rows); i++) {
		const char *rec;
		row = json_array_get(c->rows, i);
		line = (long)i + 1;
		/* an empty line (a spreadsheet's last) is no row */
		for (k = 0; k < json_array_size(row); k++) {
			const char *t = json_string_value(json_array_get(row, k));
			if (t != NULL && *t != '\0')
				break;
		}
		if (k == json_array_size(row))
			continue;
		rec = cell(c, row, C_RECORD);
		if (strcmp(rec, ROW_UNIT) == 0) {
			struct urow *u = &c->u[c->nu++];
			json_t *lv;
			memset(u, 0, sizeof(*u));
			u->line = line;
			u->code = cell(c, row, C_CODE);
			u->name = cell(c, row, C_NAME);
			u->type = cell(c, row, C_TYPE);
			u->parent_code = cell(c, row, C_PARENT);
			/* every check runs, each naming its own cell */
			u->ok = all_required(c, line, row, unit_cols, N_ELEM(unit_cols));
			u->ok = date_cell(c, line, row, u->from, e) && u->ok;
			if (*cell(c, row, C_LEVEL) != '\0') {
				lv = typed(c, line, C_LEVEL, FLD_ADMIN_UNIT_LEVEL,
				    cell(c, row, C_LEVEL), e);
				if (lv == NULL)
					u->ok = false;
				else
					u->level = json_integer_value(lv);
				json_decref(lv);
			}
			if (u->level > 1 && *u->parent_code == '\0') {
				bad(c, line, C_PARENT, "đơn vị cấp %lld phải có đơn vị cấp "
				    "trên", (long long)u->level);
				u->ok = false;
			}
			if (*cell(c, row, C_PRED) != '\0' || *cell(c, row, C_KIND) != '\0')
				bad(c, line, C_PRED, "dòng đơn vị mới không ghi đơn vị cũ: "
				    "ghi mỗi đơn vị cũ ở một dòng lineage");
		} else if (strcmp(rec, ROW_LINEAGE) == 0) {
			struct lrow *l = &c->l[c->nl++];
			json_t *kv;
			memset(l, 0, sizeof(*l));
			l->line = line;
			l->code = cell(c, row, C_CODE);
			l->pred_code = cell(c, row, C_PRED);
			l->kind = cell(c, row, C_KIND);
			l->basis = cell(c, row, C_BASIS);
			l->ok = all_required(c, line, row, lineage_cols, N_ELEM(lineage_cols));
			l->ok = date_cell(c, line, row, l->on, e) && l->ok;
			if (*l->kind != '\0') {
				kv = typed(c, line, C_KIND, FLD_UNIT_LINEAGE_KIND, l->kind, e);
				if (kv == NULL)
					l->ok = false;
				json_decref(kv);
			}
			if (l->ok && reorg_add_days(l->on, -1, l->before) != 0) {
				bad(c, line, C_EFFECTIVE, "ngày hiệu lực %s quá sớm", l->on);
				l->ok = false;
			}
			if (*l->basis != '\0' &&
			    !validate_text_fits(field_of(FLD_UNIT_LINEAGE_LEGAL_BASIS), l->basis)) {
				bad(c, line, C_BASIS, "căn cứ pháp lý dài quá %.0f ký tự",
				    field_of(FLD_UNIT_LINEAGE_LEGAL_BASIS)->max);
				l->ok = false;
			}
		} else {
			bad(c, line, C_RECORD, "loại dòng phải là '%s' (đơn vị mới) hoặc "
			    "'%s' (sắp xếp), không phải '%s'", ROW_UNIT, ROW_LINEAGE, rec);
		}
		if (c->nomem)
			return err_nomem(e);
		if (e != NULL && e->code != ERR_NONE)
			return -1;
	}
	if (c->nu + c->nl == 0 && c->nerrors == 0)
		bad(c, 1, C_NONE, "tệp không có dòng nào sau dòng tiêu đề");
	return 0;
}

/* ---- the rows against each other and against the units in force ------------ */

static struct urow *
file_unit(struct ctx *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nu; i++)
		if (strcmp(c->u[i].code, code) == 0)
			return &c->u[i];
	return NULL;
}

/* The unit of this code in force on date, kept in c->keep; NULL when
 * there is none (or e set: the database). */
static const json_t *
unit_on(struct ctx *c, const char *code, const char *date, struct err *e)
{
	struct err ne = { 0 };
	json_t *u = store_unit_record_by_code(c->s, code, date, &ne);

	if (u == NULL) {
		if (ne.code != ERR_NOT_FOUND) {
			err_clear(e);
			if (e != NULL)
				*e = ne;
			else
				err_clear(&ne);
		} else {
			err_clear(&ne);
		}
		return NULL;
	}
	if (json_array_append_new(c->keep, u) != 0) {
		c->nomem = true;
		return NULL;
	}
	return u;
}

static bool
is_predecessor(const struct ctx *c, int64_t id)
{
	size_t i;

	for (i = 0; i < c->nl; i++)
		if (c->l[i].ok && c->l[i].pred_id == id)
			return true;
	return false;
}

static const char *
date_or(const json_t *u, enum field_id f, const char *none)
{
	const char *d = jrec_str(u, f);

	return d != NULL ? d : none;
}

/* Why no unit of code was in force on date: not yet, no longer, never;
 * -1 when the database could not tell (e set). */
static int
explain_missing(struct ctx *c, long line, enum col col, const char *code,
    const char *date, const char *on, const char *what, struct err *e)
{
	json_t *all = store_units_with_code(c->s, code, e), *u;
	const json_t *later = NULL, *earlier = NULL;
	size_t i;

	if (all == NULL)
		return -1;
	json_array_foreach(all, i, u) {
		const char *from = jrec_str(u, FLD_ADMIN_UNIT_VALID_FROM);
		if (from != NULL && strcmp(from, date) > 0) {
			if (later == NULL)
				later = u;
		} else {
			earlier = u;
		}
	}
	if (earlier == NULL && later != NULL)
		bad(c, line, C_EFFECTIVE, "ngày hiệu lực %s không sau ngày %s "
		    "(mã %s) bắt đầu có hiệu lực (%s)", on, jrec_str(later,
		    FLD_ADMIN_UNIT_NAME), code, jrec_str(later, FLD_ADMIN_UNIT_VALID_FROM));
	else if (earlier != NULL)
		bad(c, line, col, "%s mã %s (%s) đã hết hiệu lực từ %s, trước ngày %s",
		    what, code, jrec_str(earlier, FLD_ADMIN_UNIT_NAME),
		    date_or(earlier, FLD_ADMIN_UNIT_VALID_TO, "?"), date);
	else
		bad(c, line, col, "không có %s mã %s", what, code);
	json_decref(all);
	return 0;
}

static int
check_lineage(struct ctx *c, struct err *e)
{
	size_t i, j;

	for (i = 0; i < c->nl; i++) {
		struct lrow *l = &c->l[i];
		const json_t *u;
		if (!l->ok)
			continue;
		/* the old unit: the one of that code the day before */
		if ((u = unit_on(c, l->pred_code, l->before, e)) == NULL) {
			if (c->nomem || (e != NULL && e->code != ERR_NONE))
				return -1;
			if (explain_missing(c, l->line, C_PRED, l->pred_code, l->before,
			    l->on, "đơn vị cũ", e) != 0)
				return -1;
			l->ok = false;
			continue;
		}
		l->pred = u;
		l->pred_id = json_integer_value(json_object_get(u, "id"));
		/* the new unit: one of the file's, else the one in force */
		if ((l->succ = file_unit(c, l->code)) != NULL) {
			l->succ_name = l->succ->name;
			if (strcmp(l->succ->from, l->on) != 0) {
				bad(c, l->line, C_EFFECTIVE, "ngày hiệu lực %s khác ngày đơn vị "
				    "mới mã %s có hiệu lực (%s, dòng %ld)", l->on, l->code,
				    l->succ->from, l->succ->line);
				l->ok = false;
			}
		} else if ((u = unit_on(c, l->code, l->on, e)) != NULL) {
			l->succ_id = json_integer_value(json_object_get(u, "id"));
			l->succ_name = jrec_str(u, FLD_ADMIN_UNIT_NAME);
		} else {
			if (c->nomem || (e != NULL && e->code != ERR_NONE))
				return -1;
			bad(c, l->line, C_CODE, "đơn vị mới mã %s không có trong tệp (dòng "
			    "unit) và không có hiệu lực ngày %s", l->code, l->on);
			l->ok = false;
		}
	}
	for (i = 0; i < c->nl; i++) {
		struct lrow *l = &c->l[i];
		size_t npred = 0, nsucc = 0;
		if (!l->ok)
			continue;
		for (j = 0; j < c->nl; j++) {
			const struct lrow *o = &c->l[j];
			if (!o->ok)
				continue;
			if (j < i && o->pred_id == l->pred_id && strcmp(o->code, l->code) == 0 &&
			    o->succ == l->succ && o->succ_id == l->succ_id) {
				bad(c, l->line, C_PRED, "đơn vị cũ mã %s đã được nối với đơn "
				    "vị mới mã %s ở dòng %ld", l->pred_code, l->code, o->line);
				l->ok = false;
			}
			if (j < i && o->pred_id == l->pred_id && strcmp(o->on, l->on) != 0)
				bad(c, l->line, C_EFFECTIVE, "đơn vị cũ mã %s chấm dứt hai lần: "
				    "ngày hiệu lực %s ở đây, %s ở dòng %ld", l->pred_code, l->on,
				    o->on, o->line);
			if (o->pred_id == l->pred_id)
				nsucc++;
			if (o->succ == l->succ && o->succ_id == l->succ_id &&
			    strcmp(o->code, l->code) == 0)
				npred++;
			/* an old unit that also goes on as a new one */
			if (l->succ_id > 0 && o->pred_id == l->succ_id)
				bad(c, l->line, C_CODE, "chu trình: đơn vị mã %s vừa là đơn vị "
				    "mới ở đây vừa là đơn vị cũ ở dòng %ld", l->code, o->line);
		}
		if (!l->ok)
			continue;
		if (strcmp(l->kind, KIND_RENAME) == 0 && (npred != 1 || nsucc != 1))
			bad(c, l->line, C_KIND, "đổi tên là một đơn vị cũ thành một đơn vị "
			    "mới; đơn vị cũ mã %s có %zu đơn vị mới, đơn vị mới mã %s có "
			    "%zu đơn vị cũ", l->pred_code, nsucc, l->code, npred);
		else if (strcmp(l->kind, KIND_SPLIT) == 0 && nsucc < 2)
			bad(c, l->line, C_KIND, "chia tách cần đơn vị cũ mã %s vào ít nhất "
			    "hai đơn vị mới (mỗi đơn vị một dòng)", l->pred_code);
		else if (strcmp(l->kind, KIND_MERGE) == 0 && npred < 2)
			bad(c, l->line, C_KIND, "nhập cần ít nhất hai đơn vị cũ vào đơn vị "
			    "mới mã %s (mỗi đơn vị một dòng)", l->code);
	}
	return c->nomem ? err_nomem(e) : 0;
}

/* An old unit whose units below it go on after it ends would leave them
 * under a unit no longer in force: they are to be reorganised too. */
static int
check_children(struct ctx *c, struct err *e)
{
	size_t i, j, k;

	for (i = 0; i < c->nl; i++) {
		const struct lrow *l = &c->l[i];
		json_t *kids, *kid;
		long n = 0;
		const char *first = NULL;
		if (!l->ok)
			continue;
		for (j = 0; j < i; j++)
			if (c->l[j].ok && c->l[j].pred_id == l->pred_id)
				break;
		if (j < i)
			continue; /* seen at its first row */
		if ((kids = store_unit_children(c->s, l->pred_id, e)) == NULL)
			return -1;
		json_array_foreach(kids, k, kid) {
			const char *to = jrec_str(kid, FLD_ADMIN_UNIT_VALID_TO);
			if ((to == NULL || strcmp(to, l->on) >= 0) &&
			    !is_predecessor(c, json_integer_value(json_object_get(kid, "id")))) {
				if (n++ == 0)
					first = jrec_str(kid, FLD_ADMIN_UNIT_NAME);
			}
		}
		if (n > 0)
			bad(c, l->line, C_PRED, "đơn vị cũ mã %s còn %ld đơn vị trực thuộc có "
			    "hiệu lực từ ngày %s (như %s): hãy sắp xếp cả các đơn vị này "
			    "trong tệp", l->pred_code, n, l->on, first ? first : "?");
		json_decref(kids);
	}
	return 0;
}

static int
check_units(struct ctx *c, struct err *e)
{
	size_t i, j;

	for (i = 0; i < c->nu; i++) {
		struct urow *u = &c->u[i];
		const json_t *x;
		if (!u->ok)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(c->u[j].code, u->code) == 0)
				break;
		if (j < i) {
			bad(c, u->line, C_CODE, "mã %s trùng với đơn vị mới ở dòng %ld",
			    u->code, c->u[j].line);
			u->ok = false;
			continue;
		}
		/* a code in use on that day by a unit that goes on */
		if ((x = unit_on(c, u->code, u->from, e)) != NULL) {
			int64_t xid = json_integer_value(json_object_get(x, "id"));
			const char *xfrom = jrec_str(x, FLD_ADMIN_UNIT_VALID_FROM);
			if (!is_predecessor(c, xid) || (xfrom != NULL &&
			    strcmp(xfrom, u->from) == 0)) {
				bad(c, u->line, C_CODE, "mã %s trùng: %s đang dùng mã này "
				    "(hiệu lực từ %s)", u->code, jrec_str(x, FLD_ADMIN_UNIT_NAME),
				    xfrom ? xfrom : "trước");
				u->ok = false;
			}
		} else if (c->nomem || (e != NULL && e->code != ERR_NONE)) {
			return -1;
		}
		/* the unit above: the file's, or one in force that goes on */
		if (*u->parent_code == '\0')
			continue;
		if ((u->parent = file_unit(c, u->parent_code)) != NULL) {
			u->parent_name = u->parent->name;
			if (u->parent == u || u->parent->level >= u->level ||
			    strcmp(u->parent->from, u->from) > 0) {
				bad(c, u->line, C_PARENT, "đơn vị cấp trên mã %s (dòng %ld) phải "
				    "ở cấp cao hơn và có hiệu lực từ ngày %s", u->parent_code,
				    u->parent->line, u->from);
				u->ok = false;
			}
		} else if ((x = unit_on(c, u->parent_code, u->from, e)) != NULL) {
			u->parent_id = json_integer_value(json_object_get(x, "id"));
			u->parent_name = jrec_str(x, FLD_ADMIN_UNIT_NAME);
			if (is_predecessor(c, u->parent_id)) {
				bad(c, u->line, C_PARENT, "đơn vị cấp trên mã %s chấm dứt theo "
				    "chính tệp này", u->parent_code);
				u->ok = false;
			} else if (json_integer_value(jrec_get(x, FLD_ADMIN_UNIT_LEVEL)) >=
			    u->level) {
				bad(c, u->line, C_LEVEL, "cấp %lld không dưới cấp của đơn vị "
				    "cấp trên mã %s", (long long)u->level, u->parent_code);
				u->ok = false;
			}
		} else {
			if (c->nomem || (e != NULL && e->code != ERR_NONE))
				return -1;
			bad(c, u->line, C_PARENT, "không có đơn vị cấp trên mã %s còn hiệu "
			    "lực ngày %s", u->parent_code, u->from);
			u->ok = false;
		}
	}
	return c->nomem ? err_nomem(e) : 0;
}

/* ---- the writes --------------------------------------------------------------- */

/* A write refused by records.c: its fields as the file's columns. */
static void
refused(struct ctx *c, long line, struct err *we)
{
	static const struct { enum field_id f; enum col col; } map[] = {
		{ FLD_ADMIN_UNIT_CODE, C_CODE }, { FLD_ADMIN_UNIT_NAME, C_NAME },
		{ FLD_ADMIN_UNIT_TYPE, C_TYPE }, { FLD_ADMIN_UNIT_LEVEL, C_LEVEL },
		{ FLD_ADMIN_UNIT_PARENT_ID, C_PARENT },
		{ FLD_ADMIN_UNIT_VALID_FROM, C_EFFECTIVE },
		{ FLD_ADMIN_UNIT_VALID_TO, C_EFFECTIVE },
		{ FLD_UNIT_LINEAGE_OLD_UNIT_ID, C_PRED },
		{ FLD_UNIT_LINEAGE_NEW_UNIT_ID, C_CODE },
		{ FLD_UNIT_LINEAGE_EFFECTIVE_ON, C_EFFECTIVE },
		{ FLD_UNIT_LINEAGE_LEGAL_BASIS, C_BASIS },
		{ FLD_UNIT_LINEAGE_KIND, C_KIND },
	};
	const char *k;
	json_t *v;
	size_t i;

	if (we->fields == NULL) {
		bad(c, line, C_NONE, "%s", we->msg);
		return;
	}
	json_object_foreach(we->fields, k, v) {
		enum col col = C_NONE;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcmp(field_name(map[i].f), k) == 0)
				col = map[i].col;
		bad(c, line, col, "%s", json_string_value(v));
	}
}

/* A failure that is the file's (its values) is listed against its line
 * and the file refused; any other (the database, memory, the actor's
 * right) ends the run. */
static bool
file_fault(const struct err *we)
{
	return we->code == ERR_INVALID || we->code == ERR_CONFLICT ||
	    we->code == ERR_NOT_FOUND || we->code == ERR_BAD_REQUEST;
}

static int
create_units(struct ctx *c, struct err *e)
{
	const struct entity_def *au = entity_of(ENT_ADMIN_UNIT);
	json_int_t level;
	size_t i;

	/* parents first: a parent of the file is of a higher level (lower
	 * number) than its units */
	for (level = 1; level <= 4; level++)
		for (i = 0; i < c->nu; i++) {
			struct urow *u = &c->u[i];
			struct err we = { 0 };
			json_t *rec, *out = NULL;
			int64_t pid = u->parent ? u->parent->id : u->parent_id;
			if (u->level != level)
				continue;
			rec = json_pack("{s:s, s:s, s:s, s:I, s:s}",
			    field_name(FLD_ADMIN_UNIT_CODE), u->code,
			    field_name(FLD_ADMIN_UNIT_NAME), u->name,
			    field_name(FLD_ADMIN_UNIT_TYPE), u->type,
			    field_name(FLD_ADMIN_UNIT_LEVEL), u->level,
			    field_name(FLD_ADMIN_UNIT_VALID_FROM), u->from);
			if (rec == NULL || (pid > 0 && json_object_set_new(rec,
			    field_name(FLD_ADMIN_UNIT_PARENT_ID), json_integer(pid)) != 0)) {
				json_decref(rec);
				return err_nomem(e);
			}
			if (records_create(c->s, au, rec, c->who, 0, &out, &we) != 0) {
				json_decref(rec);
				if (!file_fault(&we)) {
					err_clear(e);
					if (e != NULL)
						*e = we;
					else
						err_clear(&we);
					return -1;
				}
				refused(c, u->line, &we);
				err_clear(&we);
				continue;
			}
			u->id = json_integer_value(json_object_get(out, "id"));
			json_decref(rec);
			json_decref(out);
		}
	return 0;
}

static int
write_lineage(struct ctx *c, json_t *ended, struct err *e)
{
	const struct entity_def *au = entity_of(ENT_ADMIN_UNIT);
	const struct entity_def *lin = entity_of(ENT_UNIT_LINEAGE);
	size_t i, j;

	for (i = 0; i < c->nl; i++) {
		struct lrow *l = &c->l[i];
		struct err we = { 0 };
		json_t *rec;
		int rc;
		if (l->succ != NULL)
			l->succ_id = l->succ->id;
		if (l->succ_id <= 0)
			continue; /* its unit was refused, and listed */
		/* the old unit ends the day before, once */
		for (j = 0; j < i; j++)
			if (c->l[j].pred_id == l->pred_id)
				break;
		if (j == i) {
			json_t *out = NULL;
			rec = json_pack("{s:s}", field_name(FLD_ADMIN_UNIT_VALID_TO), l->before);
			if (rec == NULL)
				return err_nomem(e);
			rc = records_update(c->s, au, l->pred_id, rec, 0, c->who, 0, &out, &we);
			json_decref(rec);
			if (rc != 0)
				goto refused;
			if (json_array_append_new(ended, json_pack("{s:O, s:O, s:O, s:O*, s:O}",
			    "id", json_object_get(out, "id"),
			    field_name(FLD_ADMIN_UNIT_CODE), jrec_get(out, FLD_ADMIN_UNIT_CODE),
			    field_name(FLD_ADMIN_UNIT_NAME), jrec_get(out, FLD_ADMIN_UNIT_NAME),
			    field_name(FLD_ADMIN_UNIT_VALID_FROM),
			    jrec_get(out, FLD_ADMIN_UNIT_VALID_FROM),
			    field_name(FLD_ADMIN_UNIT_VALID_TO),
			    jrec_get(out, FLD_ADMIN_UNIT_VALID_TO))) != 0) {
				json_decref(out);
				return err_nomem(e);
			}
			json_decref(out);
		}
		rec = json_pack("{s:I, s:I, s:s, s:s, s:b, s:s}",
		    field_name(FLD_UNIT_LINEAGE_OLD_UNIT_ID), (json_int_t)l->pred_id,
		    field_name(FLD_UNIT_LINEAGE_NEW_UNIT_ID), (json_int_t)l->succ_id,
		    field_name(FLD_UNIT_LINEAGE_EFFECTIVE_ON), l->on,
		    field_name(FLD_UNIT_LINEAGE_LEGAL_BASIS), l->basis,
		    field_name(FLD_UNIT_LINEAGE_PARTIAL), strcmp(l->kind, KIND_SPLIT) == 0,
		    field_name(FLD_UNIT_LINEAGE_KIND), l->kind);
		if (rec == NULL)
			return err_nomem(e);
		rc = records_create(c->s, lin, rec, c->who, 0, NULL, &we);
		json_decref(rec);
		if (rc == 0)
			continue;
refused:
		if (!file_fault(&we)) {
			err_clear(e);
			if (e != NULL)
				*e = we;
			else
				err_clear(&we);
			return -1;
		}
		refused(c, l->line, &we);
		err_clear(&we);
	}
	/* with the rows written, a path back to an old unit through links
	 * kept before (any file, the API) */
	for (i = 0; i < c->nl && c->nerrors == 0; i++) {
		bool cycle;
		for (j = 0; j < i; j++)
			if (c->l[j].pred_id == c->l[i].pred_id)
				break;
		if (j < i)
			continue;
		if (store_lineage_cycle(c->s, c->l[i].pred_id, &cycle, e) != 0)
			return -1;
		if (cycle)
			bad(c, c->l[i].line, C_PRED, "chu trình: từ đơn vị mã %s, các quan "
			    "hệ sắp xếp dẫn trở lại chính nó", c->l[i].pred_code);
	}
	return 0;
}

/* ---- the answer --------------------------------------------------------------- */

static json_t *
units_json(const struct ctx *c)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a != NULL && i < c->nu; i++) {
		const struct urow *u = &c->u[i];
		o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s?, s:s}",
		    "line", (json_int_t)u->line,
		    field_name(FLD_ADMIN_UNIT_CODE), u->code,
		    field_name(FLD_ADMIN_UNIT_NAME), u->name,
		    field_name(FLD_ADMIN_UNIT_TYPE), u->type,
		    field_name(FLD_ADMIN_UNIT_LEVEL), u->level,
		    COL_PARENT, u->parent_code,
		    "parent_name", u->parent_name,
		    field_name(FLD_ADMIN_UNIT_VALID_FROM), u->from);
		if (o != NULL && u->id > 0)
			json_object_set_new(o, "id", json_integer(u->id));
		if (o == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
lineage_json(const struct ctx *c)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; a != NULL && i < c->nl; i++) {
		const struct lrow *l = &c->l[i];
		o = json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s, s:s, s:s}",
		    "line", (json_int_t)l->line,
		    COL_PRED, l->pred_code,
		    "predecessor_name", l->pred ? jrec_str(l->pred, FLD_ADMIN_UNIT_NAME) : NULL,
		    field_name(FLD_ADMIN_UNIT_CODE), l->code,
		    "successor_name", l->succ_name,
		    field_name(FLD_UNIT_LINEAGE_KIND), l->kind,
		    field_name(FLD_UNIT_LINEAGE_EFFECTIVE_ON), l->on,
		    field_name(FLD_UNIT_LINEAGE_LEGAL_BASIS), l->basis);
		if (o == NULL || json_array_append_new(a, o) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* One audit entry for the whole file, besides each record's own: what it
 * did and on which legal bases. */
static int
audit_summary(struct ctx *c, json_t *ended, struct err *e)
{
	json_t *bases = json_array(), *sum;
	size_t i, j;
	int rc;

	for (i = 0; bases != NULL && i < c->nl; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(c->l[j].basis, c->l[i].basis) == 0)
				break;
		if (j == i && json_array_append_new(bases, json_string(c->l[i].basis)) != 0)
			break;
	}
	sum = json_pack("{s:I, s:I, s:I, s:o}", "units_created", (json_int_t)c->nu,
	    "units_ended", (json_int_t)json_array_size(ended),
	    "lineage_rows", (json_int_t)c->nl, "legal_bases", bases);
	if (sum == NULL)
		return err_nomem(e);
	rc = records_audit(c->s, c->who, "reorganise", entity_of(ENT_ADMIN_UNIT)->name,
	    0, NULL, sum, e);
	json_decref(sum);
	return rc;
}

static void
ctx_free(struct ctx *c)
{
	free(c->u);
	free(c->l);
	json_decref(c->rows);
	json_decref(c->keep);
	json_decref(c->errors);
}

/* The errors in the order of the file's lines (those of a row found by
 * itself and those found against the units come in two passes); stable. */
static void
errors_by_line(json_t *errors)
{
	size_t i, j, n = json_array_size(errors);
	json_t *a, *b;

	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			a = json_array_get(errors, j - 1);
			b = json_array_get(errors, j);
			if (json_integer_value(json_object_get(a, "line")) <=
			    json_integer_value(json_object_get(b, "line")))
				break;
			json_incref(a);
			json_array_set(errors, j - 1, b);
			json_array_set_new(errors, j, a);
		}
}

void
reorg_result_free(struct reorg_result *res)
{
	json_decref(res->out);
	res->out = NULL;
}

int
reorg_run(struct store *s, const char *data, size_t len, bool apply,
    const struct actor *who, struct reorg_result *res, struct err *e)
{
	const struct entity_def *au = entity_of(ENT_ADMIN_UNIT);
	struct ctx c;
	json_t *ended = NULL;
	size_t n;
	bool began = false, applied = false;
	int rc = -1;

	res->out = NULL;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.who = who;
	/* who may not change units is told so before the file is read */
	if (!records_may_write_entity(s, au, who, 0, e) ||
	    !records_may_write_entity(s, entity_of(ENT_UNIT_LINEAGE), who, 0, e))
		return -1;
	if (len > REORG_FILE_MAX)
		return err_set(e, ERR_TOO_LARGE, "tệp sắp xếp đơn vị lớn quá %u byte",
		    REORG_FILE_MAX);
	if ((c.errors = json_array()) == NULL || (c.keep = json_array()) == NULL ||
	    (ended = json_array()) == NULL) {
		err_nomem(e);
		goto out;
	}
	if ((c.rows = csv_parse_rows(data, len, e)) == NULL)
		goto out;
	n = json_array_size(c.rows);
	if (n > REORG_ROWS_MAX + 1) {
		err_set(e, ERR_TOO_LARGE, "tệp có %zu dòng, nhiều quá %d", n - 1,
		    REORG_ROWS_MAX);
		goto out;
	}
	if (trim_cells(c.rows) != 0) {
		err_nomem(e);
		goto out;
	}
	c.u = calloc(n > 0 ? n : 1, sizeof(*c.u));
	c.l = calloc(n > 0 ? n : 1, sizeof(*c.l));
	if (c.u == NULL || c.l == NULL) {
		err_nomem(e);
		goto out;
	}
	if (n == 0)
		bad(&c, 1, C_NONE, "tệp trống: dòng đầu là tiêu đề các cột");
	else if (read_header(&c) == 0 && (read_rows(&c, e) != 0 ||
	    check_lineage(&c, e) != 0 || check_units(&c, e) != 0 ||
	    check_children(&c, e) != 0))
		goto out;
	if (c.nerrors == 0) {
		/* one transaction; undone for a preview */
		if (records_batch_begin(s, au, who, 0, e) != 0)
			goto out;
		began = true;
		if (create_units(&c, e) != 0 || write_lineage(&c, ended, e) != 0 ||
		    (c.nerrors == 0 && audit_summary(&c, ended, e) != 0))
			goto out;
		applied = apply && c.nerrors == 0;
		began = false;
		if (records_batch_end(s, applied, e) != 0)
			applied = false;
		/* a preview's ids were undone with it */
		for (n = 0; !applied && n < c.nu; n++)
			c.u[n].id = 0;
		if (apply && !applied && e != NULL && e->code != ERR_NONE)
			goto out;
	}
	if (c.nomem) {
		err_nomem(e);
		goto out;
	}
	if (c.nerrors > 0)
		err_set(e, ERR_INVALID, "tệp sắp xếp đơn vị có %ld lỗi, không ghi gì%s",
		    c.nerrors, c.nerrors > REORG_ERRORS_SHOWN ? " (chỉ liệt kê một phần)" : "");
	else
		rc = 0;
out:
	if (began)
		records_batch_end(s, false, NULL);
	if (e != NULL && e->code == ERR_NONE && rc != 0)
		err_set(e, ERR_INTERNAL, "không sắp xếp được đơn vị");
	errors_by_line(c.errors);
	res->out = json_pack("{s:b, s:I, s:o*, s:O*, s:o*, s:O*}", "applied", applied,
	    "rows", (json_int_t)(c.nu + c.nl), "units", units_json(&c), "ended", ended,
	    "lineage", lineage_json(&c), "errors", c.errors);
	json_decref(ended);
	ctx_free(&c);
	return rc;
}
