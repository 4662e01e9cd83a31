/* csvio.c - see csvio.h */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/import_tmpl.h"
#include "domain/validate.h"
#include "text/text.h"
#include "text/xlsx_read.h"

/* libcsv hands cells and row ends to callbacks; collect rows as JSON
 * arrays of strings (cells are NUL-free since CSV_APPEND_NULL is set). */
struct parse_ctx {
	json_t *rows;
	json_t *row;
	int too_big;
};

static void
on_cell(void *cell, size_t len, void *data)
{
	struct parse_ctx *pc = data;

	if (pc->row == NULL)
		pc->row = json_array();
	if (len > IMPORT_FIELD_MAX) {
		pc->too_big = 1;
		len = 0;
	}
	json_array_append_new(pc->row, json_stringn_nocheck(cell ? cell : "", len));
}

static void
on_row(int c, void *data)
{
	struct parse_ctx *pc = data;

	(void)c;
	if (pc->row == NULL)
		pc->row = json_array();
	if ((long)json_array_size(pc->rows) < IMPORT_ROWS_MAX)
		json_array_append_new(pc->rows, pc->row);
	else {
		pc->too_big = 1;
		json_decref(pc->row);
	}
	pc->row = NULL;
}

json_t *
csv_parse_rows(const char *data, size_t len, struct err *e)
{
	struct csv_parser p;
	struct parse_ctx pc = { json_array(), NULL, 0 };

	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		err_set(e, ERR_INTERNAL, "không khởi tạo được bộ đọc CSV");
		json_decref(pc.rows);
		return NULL;
	}
	/* skip a UTF-8 byte order mark (Excel writes one) */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (csv_parse(&p, data, len, on_cell, on_row, &pc) != len ||
	    csv_fini(&p, on_cell, on_row, &pc) != 0) {
		err_set(e, ERR_BAD_REQUEST, "tệp CSV sai định dạng: %s",
		    csv_strerror(csv_error(&p)));
		csv_free(&p);
		json_decref(pc.row);
		json_decref(pc.rows);
		return NULL;
	}
	csv_free(&p);
	json_decref(pc.row);
	if (pc.too_big) {
		err_set(e, ERR_TOO_LARGE, "tệp CSV quá lớn (ô quá %d byte hoặc quá %d dòng)",
		    IMPORT_FIELD_MAX, IMPORT_ROWS_MAX);
		json_decref(pc.rows);
		return NULL;
	}
	return pc.rows;
}

/* A NUL in a column's name (line 1): listed in res, the load refused. */
static bool
header_has_nul(const char *const *names, const size_t *lens, size_t n,
    struct import_result *res, struct err *e)
{
	char msg[ERR_MSG_MAX];
	bool bad = false;
	size_t j;

	for (j = 0; j < n; j++)
		if (names[j] != NULL && memchr(names[j], '\0', lens[j]) != NULL) {
			snprintf(msg, sizeof(msg), "cột %zu: tên trường chứa ký tự NUL", j + 1);
			bulk_error(res, 1, NULL, msg);
			bad = true;
		}
	if (bad)
		err_set(e, ERR_INVALID, "dòng tiêu đề có tên trường không hợp lệ");
	return bad;
}

/* Write the load, or only check it (a preview: IMPORT_DRY_RUN). */
static int
end_load(struct bulk *b, unsigned flags, struct err *e)
{
	if (flags & IMPORT_DRY_RUN)
		return bulk_try(b, flags & IMPORT_SKIP_INVALID, e);
	return bulk_finish(b, flags & IMPORT_SKIP_INVALID, e);
}

/* Import parsed rows (row 0 = field names).  pad: short rows are padded
 * with empty cells (spreadsheets omit trailing empty cells). */
static int
import_rows(struct store *s, const struct entity_def *ent, json_t *rows,
    bool pad, unsigned flags, const struct actor *who,
    struct import_result *res, struct err *e)
{
	json_t *header = json_array_get(rows, 0), *row;
	const char **cells, **names;
	size_t *lens;
	struct bulk *b;
	size_t i, j, ncols = json_array_size(header);
	int rc = 0;

	if (header == NULL || ncols == 0)
		return err_set(e, ERR_BAD_REQUEST, "tệp rỗng: dòng 1 phải là tên các trường");
	cells = calloc(ncols + 1, sizeof(char *));
	names = calloc(ncols + 1, sizeof(char *));
	lens = calloc(ncols + 1, sizeof(size_t));
	if (cells == NULL || names == NULL || lens == NULL) {
		free(cells);
		free(names);
		free(lens);
		return err_nomem(e);
	}
	for (j = 0; j < ncols; j++) {
		cells[j] = names[j] = json_string_value(json_array_get(header, j));
		lens[j] = json_string_length(json_array_get(header, j));
	}
	b = header_has_nul(cells, lens, ncols, res, e) ? NULL :
	    bulk_open(s, ent, cells, ncols, who, res, e);
	for (i = 1; b != NULL && rc == 0 && i < json_array_size(rows); i++) {
		row = json_array_get(rows, i);
		if (json_array_size(row) == 1 &&
		    json_string_length(json_array_get(row, 0)) == 0)
			continue; /* blank line */
		while (pad && rc == 0 && json_array_size(row) < ncols)
			if (json_array_append_new(row, json_string("")) != 0)
				rc = err_nomem(e);
		if (rc != 0)
			break;
		if (json_array_size(row) != ncols) {
			/* bulk_row_cells lists it; only the count matters */
			rc = bulk_row_cells(b, (long)i + 1, cells, NULL,
			    json_array_size(row), e);
			continue;
		}
		for (j = 0; j < ncols; j++) {
			cells[j] = json_string_value(json_array_get(row, j));
			lens[j] = json_string_length(json_array_get(row, j));
		}
		/* the template's help row, sent back with the filled file */
		if (i == 1 && import_tmpl_help_row(ent, names, cells, lens, ncols))
			continue;
		rc = bulk_row_cells(b, (long)i + 1, cells, lens, ncols, e);
	}
	free(cells);
	free(names);
	free(lens);
	if (b == NULL)
		return -1;
	if (rc != 0) {
		bulk_abort(b);
		return -1;
	}
	return end_load(b, flags, e);
}

static int
import_start(const struct entity_def *ent, struct import_result *res, struct err *e)
{
	memset(res, 0, sizeof(*res));
	if (ent->flags & E_READONLY)
		return err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label);
	/* without it every bad line would go unlisted */
	if ((res->errors = json_array()) == NULL)
		return err_nomem(e);
	return 0;
}

/* CSV rows handed to the bulk load as libcsv finds them: no row is kept
 * after it was written (a million-row file is not held as JSON). */
struct csv_stream {
	struct store *s;
	const struct entity_def *ent;
	const struct actor *who;
	struct import_result *res;
	struct err *e;
	struct bulk *b;
	char **names;         /* line 1, kept to recognise the help row      */
	size_t nnames;
	struct buf cells;     /* the row's cells, each NUL-terminated        */
	size_t *offs;         /* where each cell starts in `cells`           */
	size_t *lens;         /* and its length (a cell may hold a NUL)      */
	const char **ptrs;
	size_t ncells, cap;
	long line;
	bool too_big, header_bad, failed;
};

static void
stream_cell(void *cell, size_t len, void *data)
{
	struct csv_stream *cs = data;

	if (cs->ncells == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;
		size_t *o = realloc(cs->offs, cap * sizeof(*o)), *l;
		if (o == NULL) {
			cs->failed = true;
			return;
		}
		cs->offs = o;
		if ((l = realloc(cs->lens, cap * sizeof(*l))) == NULL) {
			cs->failed = true;
			return;
		}
		cs->lens = l;
		cs->cap = cap;
	}
	if (len > IMPORT_FIELD_MAX) {
		cs->too_big = true;
		len = 0;
	}
	cs->lens[cs->ncells] = len;
	cs->offs[cs->ncells++] = cs->cells.len;
	buf_add(&cs->cells, cell ? cell : "", len);
	buf_addc(&cs->cells, '\0');
}

static void
stream_row(int c, void *data)
{
	struct csv_stream *cs = data;
	const char **p;
	size_t i;

	(void)c;
	cs->line++;
	if (cs->line > IMPORT_ROWS_MAX)
		cs->too_big = true;
	if (buf_failed(&cs->cells))
		cs->failed = true; /* out of memory: a cell is lost, so is the import */
	if (cs->too_big || cs->header_bad || cs->failed)
		goto next;
	p = realloc(cs->ptrs, (cs->ncells + 1) * sizeof(*p));
	if (p == NULL) {
		cs->failed = true;
		goto next;
	}
	cs->ptrs = p;
	for (i = 0; i < cs->ncells; i++) {
		p[i] = cs->cells.data + cs->offs[i];
		/* the apostrophe our export puts before a formula-like text
		 * (csv_export) comes off again */
		if (cs->line > 1 && p[i][0] == '\'' && text_formula_like(p[i] + 1)) {
			p[i]++;
			cs->lens[i]--;
		}
	}
	if (cs->line == 1) {
		if (cs->ncells == 0) {
			cs->header_bad = true;
			err_set(cs->e, ERR_BAD_REQUEST, "tệp rỗng: dòng 1 phải là tên các trường");
		} else if (header_has_nul(p, cs->lens, cs->ncells, cs->res, cs->e) ||
		    (cs->b = bulk_open(cs->s, cs->ent, p, cs->ncells, cs->who,
		    cs->res, cs->e)) == NULL) {
			cs->header_bad = true;
		} else if ((cs->names = calloc(cs->ncells + 1, sizeof(char *))) == NULL) {
			cs->failed = true;
		} else {
			for (i = 0; i < cs->ncells; i++)
				if ((cs->names[cs->nnames++] = strdup(p[i])) == NULL)
					cs->failed = true;
		}
	} else if (cs->line == 2 && cs->ncells == cs->nnames &&
	    import_tmpl_help_row(cs->ent, (const char *const *)cs->names, p,
	    cs->lens, cs->ncells)) {
		/* the template's help row, sent back with the filled file */
	} else if (!(cs->ncells == 1 && cs->lens[0] == 0) &&
	    bulk_row_cells(cs->b, cs->line, p, cs->lens, cs->ncells, cs->e) != 0) {
		cs->failed = true; /* the database failed: e says why */
	}
next:
	cs->ncells = 0;
	buf_reset(&cs->cells);
}

static int
csv_import(struct store *s, const struct entity_def *ent,
    const char *data, size_t len, unsigned flags, const struct actor *who,
    struct import_result *res, struct err *e)
{
	struct csv_stream cs = { s, ent, who, res, e, NULL, NULL, 0, { 0 }, NULL,
		NULL, NULL, 0, 0, 0, false, false, false };
	struct csv_parser p;
	bool syntax;
	int rc = -1;

	if (import_start(ent, res, e) != 0)
		return -1;
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
		return err_set(e, ERR_INTERNAL, "không khởi tạo được bộ đọc CSV");
	/* skip a UTF-8 byte order mark (Excel writes one) */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	buf_init(&cs.cells, (size_t)IMPORT_FIELD_MAX * 64);
	syntax = csv_parse(&p, data, len, stream_cell, stream_row, &cs) != len ||
	    csv_fini(&p, stream_cell, stream_row, &cs) != 0;
	if (cs.header_bad) {
		/* bulk_open said why */
	} else if (syntax || cs.too_big || cs.failed) {
		/* nothing is imported from a file that is not CSV or too big,
		 * whatever rows were read before it showed */
		bulk_abort(cs.b);
		cs.b = NULL;
		if (syntax || cs.too_big) {
			res->rows = res->imported = res->rejected = 0;
			json_array_clear(res->errors);
		}
		if (syntax && csv_error(&p) == CSV_ENOMEM)
			err_nomem(e);
		else if (syntax)
			err_set(e, ERR_BAD_REQUEST, "tệp CSV sai định dạng: %s",
			    csv_strerror(csv_error(&p)));
		else if (cs.too_big)
			err_set(e, ERR_TOO_LARGE, "tệp CSV quá lớn (ô quá %d byte hoặc quá %d dòng)",
			    IMPORT_FIELD_MAX, IMPORT_ROWS_MAX);
		else if (e != NULL && e->code == ERR_NONE)
			err_nomem(e);
	} else if (cs.b == NULL) {
		err_set(e, ERR_BAD_REQUEST, "tệp rỗng: dòng 1 phải là tên các trường");
	} else {
		rc = end_load(cs.b, flags, e);
	}
	csv_free(&p);
	buf_free(&cs.cells);
	while (cs.nnames > 0)
		free(cs.names[--cs.nnames]);
	free(cs.names);
	free(cs.offs);
	free(cs.lens);
	free(cs.ptrs);
	return rc;
}

int
csv_import_buffer(struct store *s, const struct entity_def *ent,
    const char *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	return csv_import(s, ent, data, len, skip_invalid ? IMPORT_SKIP_INVALID : 0,
	    who, res, e);
}

static int
xlsx_import(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, unsigned flags, const struct actor *who,
    struct import_result *res, struct err *e)
{
	json_t *rows;
	int rc;

	if (import_start(ent, res, e) != 0 || (rows = xlsx_read_rows(data, len, e)) == NULL)
		return -1;
	rc = import_rows(s, ent, rows, true, flags, who, res, e);
	json_decref(rows);
	return rc;
}

int
xlsx_import_buffer(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	return xlsx_import(s, ent, data, len, skip_invalid ? IMPORT_SKIP_INVALID : 0,
	    who, res, e);
}

bool
import_is_xlsx(const void *data, size_t len)
{
	/* a spreadsheet is a zip file: "PK" */
	return len >= 2 && memcmp(data, "PK", 2) == 0;
}

int
import_buffer(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, unsigned flags, const struct actor *who,
    struct import_result *res, struct err *e)
{
	memset(res, 0, sizeof(*res));
	if (import_is_xlsx(data, len))
		return xlsx_import(s, ent, data, len, flags, who, res, e);
	return csv_import(s, ent, data, len, flags, who, res, e);
}

json_t *
import_read_rows(const void *data, size_t len, struct err *e)
{
	json_t *rows;
	size_t i;

	if (import_is_xlsx(data, len))
		return xlsx_read_rows(data, len, e);
	if ((rows = csv_parse_rows(data, len, e)) == NULL)
		return NULL;
	/* as the import reads them: the apostrophe of the formula guard off */
	for (i = 1; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i), *c;
		size_t j;
		json_array_foreach(row, j, c) {
			const char *t = json_string_value(c);
			if (t != NULL && t[0] == '\'' && text_formula_like(t + 1))
				json_array_set_new(row, j, json_string_nocheck(t + 1));
		}
	}
	return rows;
}

char *
read_file(const char *path, size_t max, size_t *len, struct err *e)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		err_set(e, ERR_IO, "không mở được tệp %s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f) || buf_failed(&b)) {
		fclose(f);
		buf_free(&b);
		err_set(e, buf_failed(&b) ? ERR_TOO_LARGE : ERR_IO,
		    "không đọc được tệp %s (lỗi đọc hoặc quá %zu byte)", path, max);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return buf_take(&b);
}

int
csv_import_file(struct store *s, const struct entity_def *ent,
    const char *path, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	size_t len;
	char *data;
	int rc;

	memset(res, 0, sizeof(*res));
	data = read_file(path, IMPORT_FILE_MAX, &len, e);
	if (data == NULL)
		return -1;
	rc = import_buffer(s, ent, data, len, skip_invalid ? IMPORT_SKIP_INVALID : 0,
	    who, res, e);
	free(data);
	return rc;
}

void
csv_cell(const json_t *v, char *buf, size_t len)
{
	if (v == NULL || json_is_null(v))
		snprintf(buf, len, "%s", "");
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.15g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "1" : "0");
	else
		snprintf(buf, len, "%s", "");
}

static void
write_cell(FILE *out, const char *s, bool first)
{
	if (!first)
		fputc(',', out);
	csv_fwrite(out, s, strlen(s));
}

/* One value of a record: quoted, whole however long (TEXT_LONG_MAX
 * characters are more than a cell buffer), and a text a spreadsheet would
 * run as a formula behind an apostrophe (text_formula_like; the import
 * takes it off again). */
static void
write_value(FILE *out, const json_t *v, bool first)
{
	char num[64];
	const char *s;
	size_t i, n;

	if (!json_is_string(v)) {
		csv_cell(v, num, sizeof(num));
		write_cell(out, num, first);
		return;
	}
	if (!first)
		fputc(',', out);
	s = json_string_value(v);
	n = json_string_length(v);
	fputc('"', out);
	if (text_formula_like(s))
		fputc('\'', out);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}

typedef int (*page_fn)(void *ctx, const json_t *rec);

/* Walk every record in id order, a page at a time. */
static int
each_record(struct store *s, const struct entity_def *ent, page_fn fn,
    void *ctx, struct err *e)
{
	struct list_query q;
	json_t *rows, *rec;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.limit = LIST_LIMIT_MAX;
	q.see_confidential = true;
	for (;;) {
		if (store_list(s, ent, &q, &rows, NULL, e) != 0)
			return -1;
		json_array_foreach(rows, i, rec)
			if (fn(ctx, rec) != 0) {
				json_decref(rows);
				return err_set(e, ERR_IO, "không ghi được tệp xuất");
			}
		i = json_array_size(rows);
		json_decref(rows);
		if (i < (size_t)q.limit)
			return 0;
		q.offset += q.limit;
	}
}

struct export_ctx {
	const struct entity_def *ent;
	FILE *out;
	long n;
};

static int
csv_row(void *ctx, const json_t *rec)
{
	struct export_ctx *x = ctx;
	size_t i;

	write_value(x->out, json_object_get(rec, "id"), true);
	for (i = 0; i < x->ent->nfields; i++) {
		if (x->ent->fields[i].flags & F_SECRET)
			continue;
		write_value(x->out, json_object_get(rec, x->ent->fields[i].name), false);
	}
	write_value(x->out, json_object_get(rec, COMMON_ILLUSTRATIVE), false);
	fputc('\n', x->out);
	return ferror(x->out);
}

int
csv_export(struct store *s, const struct entity_def *ent, FILE *out, struct err *e)
{
	struct export_ctx x = { ent, out, 0 };
	size_t i;

	write_cell(out, "id", true);
	for (i = 0; i < ent->nfields; i++)
		if (!(ent->fields[i].flags & F_SECRET))
			write_cell(out, ent->fields[i].name, false);
	write_cell(out, COMMON_ILLUSTRATIVE, false);
	fputc('\n', out);
	return each_record(s, ent, csv_row, &x, e);
}

static int
json_row(void *ctx, const json_t *rec)
{
	struct export_ctx *x = ctx;
	json_t *copy = json_deep_copy(rec);
	int rc;

	/* timestamps differ between databases; exports compare content */
	json_object_del(copy, "created_at");
	json_object_del(copy, "updated_at");
	fputs(x->n++ ? ",\n" : "\n", x->out);
	rc = json_dumpf(copy, x->out, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	json_decref(copy);
	return rc != 0 || ferror(x->out);
}

int
json_export(struct store *s, const struct entity_def *ent, FILE *out, struct err *e)
{
	struct export_ctx x = { ent, out, 0 };

	fputc('[', out);
	if (each_record(s, ent, json_row, &x, e) != 0)
		return -1;
	fputs("\n]\n", out);
	return ferror(out) ? err_set(e, ERR_IO, "không ghi được tệp xuất") : 0;
}
