/* csvio.c - see csvio.h */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvio.h"
#include "validate.h"
#include "xlsx_read.h"

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

static void
add_error(struct import_result *res, long line, const char *field,
    const char *msg)
{
	if ((long)json_array_size(res->errors) >= IMPORT_ERRORS_SHOWN)
		return;
	json_array_append_new(res->errors, json_pack("{s:I, s:s?, s:s}",
	    "line", (json_int_t)line, "field", field, "message", msg));
}

/* Columns exported that an import ignores (the store sets them). */
static bool
ignored_column(const char *name)
{
	return strcmp(name, "id") == 0 || strcmp(name, "version") == 0 ||
	    strcmp(name, "created_at") == 0 || strcmp(name, "updated_at") == 0;
}

/* Import parsed rows (row 0 = field names).  pad: short rows are padded
 * with empty cells (spreadsheets omit trailing empty cells). */
static int
import_rows(struct store *s, const struct entity_def *ent, json_t *rows,
    bool pad, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	json_t *header, *row, *cell;
	size_t i, j;
	int rc = -1;

	header = json_array_get(rows, 0);
	if (header == NULL || json_array_size(header) == 0)
		return err_set(e, ERR_BAD_REQUEST, "tệp rỗng: dòng 1 phải là tên các trường");
	json_array_foreach(header, j, cell) {
		const char *name = json_string_value(cell);
		if (name == NULL || (!ignored_column(name) &&
		    strcmp(name, COMMON_ILLUSTRATIVE) != 0 &&
		    entity_field(ent, name) == NULL)) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "cột %zu: %s không có trường '%s'",
			    j + 1, ent->label, name ? name : "");
			add_error(res, 1, name, msg);
		}
	}
	if (json_array_size(res->errors) > 0)
		return err_set(e, ERR_INVALID, "dòng tiêu đề có tên trường không hợp lệ");
	if (store_begin(s, e) != 0)
		return -1;
	/* rows of one file name the same units, indicators and catalog codes
	 * over and over: check each once (the import holds the write lock) */
	store_ref_cache(s, true);
	for (i = 1; i < json_array_size(rows); i++) {
		json_t *obj = json_object();
		struct err re = { 0 };
		long line = (long)i + 1;
		row = json_array_get(rows, i);
		if (json_array_size(row) == 1 &&
		    json_string_length(json_array_get(row, 0)) == 0) {
			json_decref(obj);
			continue; /* blank line */
		}
		res->rows++;
		while (pad && json_array_size(row) < json_array_size(header))
			json_array_append_new(row, json_string(""));
		if (json_array_size(row) != json_array_size(header)) {
			char msg[ERR_MSG_MAX];
			snprintf(msg, sizeof(msg), "có %zu ô, dòng tiêu đề có %zu cột",
			    json_array_size(row), json_array_size(header));
			add_error(res, line, NULL, msg);
			res->rejected++;
			json_decref(obj);
			continue;
		}
		json_array_foreach(row, j, cell) {
			const char *name = json_string_value(json_array_get(header, j));
			if (ignored_column(name) || json_string_length(cell) == 0)
				continue;
			json_object_set(obj, name, cell);
		}
		/* each row is a savepoint inside the import's transaction: a bad
		 * row leaves the others, and the whole is undone at the end
		 * unless bad rows may be skipped */
		if (records_create(s, ent, obj, who, 0, NULL, &re) != 0) {
			const char *k;
			json_t *m;
			res->rejected++;
			if (re.fields != NULL) {
				json_object_foreach(re.fields, k, m)
					add_error(res, line, k, json_string_value(m));
			} else {
				add_error(res, line, NULL, re.msg);
			}
			if (re.code == ERR_DB || re.code == ERR_IO ||
			    re.code == ERR_UNAVAILABLE) {
				err_set(e, re.code, "%s", re.msg);
				err_clear(&re);
				json_decref(obj);
				goto abort;
			}
		} else {
			res->imported++;
		}
		err_clear(&re);
		json_decref(obj);
	}
	if (res->rejected > 0 && !skip_invalid) {
		err_set(e, ERR_INVALID, "%ld dòng có lỗi; không nhập dòng nào", res->rejected);
		goto abort;
	}
	if (store_commit(s, e) != 0) {
		res->imported = 0;
		goto out;
	}
	rc = 0;
	goto out;
abort:
	store_rollback(s);
	res->imported = 0;
out:
	store_ref_cache(s, false);
	return rc;
}

static int
import_start(const struct entity_def *ent, struct import_result *res, struct err *e)
{
	memset(res, 0, sizeof(*res));
	res->errors = json_array();
	if (ent->flags & E_READONLY)
		return err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label);
	return 0;
}

int
csv_import_buffer(struct store *s, const struct entity_def *ent,
    const char *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	json_t *rows;
	int rc;

	if (import_start(ent, res, e) != 0 || (rows = csv_parse_rows(data, len, e)) == NULL)
		return -1;
	rc = import_rows(s, ent, rows, false, skip_invalid, who, res, e);
	json_decref(rows);
	return rc;
}

int
xlsx_import_buffer(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e)
{
	json_t *rows;
	int rc;

	if (import_start(ent, res, e) != 0 || (rows = xlsx_read_rows(data, len, e)) == NULL)
		return -1;
	rc = import_rows(s, ent, rows, true, skip_invalid, who, res, e);
	json_decref(rows);
	return rc;
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
	/* a spreadsheet is a zip file: "PK" */
	if (len >= 2 && data[0] == 'P' && data[1] == 'K')
		rc = xlsx_import_buffer(s, ent, data, len, skip_invalid, who, res, e);
	else
		rc = csv_import_buffer(s, ent, data, len, skip_invalid, who, res, e);
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
	char *cell;
};

static int
csv_row(void *ctx, const json_t *rec)
{
	struct export_ctx *x = ctx;
	size_t i;

	csv_cell(json_object_get(rec, "id"), x->cell, IMPORT_FIELD_MAX);
	write_cell(x->out, x->cell, true);
	for (i = 0; i < x->ent->nfields; i++) {
		if (x->ent->fields[i].flags & F_SECRET)
			continue;
		csv_cell(json_object_get(rec, x->ent->fields[i].name), x->cell,
		    IMPORT_FIELD_MAX);
		write_cell(x->out, x->cell, false);
	}
	csv_cell(json_object_get(rec, COMMON_ILLUSTRATIVE), x->cell, IMPORT_FIELD_MAX);
	write_cell(x->out, x->cell, false);
	fputc('\n', x->out);
	return ferror(x->out);
}

int
csv_export(struct store *s, const struct entity_def *ent, FILE *out, struct err *e)
{
	struct export_ctx x = { ent, out, 0, malloc(IMPORT_FIELD_MAX + 1) };
	size_t i;
	int rc;

	if (x.cell == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	write_cell(out, "id", true);
	for (i = 0; i < ent->nfields; i++)
		if (!(ent->fields[i].flags & F_SECRET))
			write_cell(out, ent->fields[i].name, false);
	write_cell(out, COMMON_ILLUSTRATIVE, false);
	fputc('\n', out);
	rc = each_record(s, ent, csv_row, &x, e);
	free(x.cell);
	return rc;
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
	struct export_ctx x = { ent, out, 0, NULL };

	fputc('[', out);
	if (each_record(s, ent, json_row, &x, e) != 0)
		return -1;
	fputs("\n]\n", out);
	return ferror(out) ? err_set(e, ERR_IO, "không ghi được tệp xuất") : 0;
}
