/*
 * store_copy.c - copy a whole database from one store to another (SQLite to
 * PostgreSQL or back) and check that both sides hold the same rows.
 *
 * Records normally cross the store as JSON built from the registry, which
 * leaves out F_SECRET columns and sets timestamps, versions and search keys
 * itself.  A copy must keep all of them as stored, so this file moves raw
 * rows: the column list comes from the database catalog
 * (store_table_columns, the same on both engines once migrated), and rows go
 * through the backends' query op with bound values.  Table names come from
 * the registry and the fixed list below; column names from the catalog,
 * checked to be plain identifiers.  Nothing here comes from the user.
 *
 * Rows are read in id order in pages (keyset: WHERE id > last), inserted
 * with ON CONFLICT DO NOTHING (a row whose key the target has is skipped,
 * so a second run adds nothing) and committed per page.  The comparison
 * hashes every row's values in a canonical text form that does not depend
 * on the engine, so a target holding other rows under the same ids is
 * found, not reported as copied.
 */
#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "store/store_int.h"

/* Catalog identifiers (PostgreSQL's NAMEDATALEN - 1). */
#define COPY_IDENT_MAX 63
/* Rows of a table without an id column (seed_run, api_token) are read in
 * one go and sorted in memory for the checksum; they stay small. */
#define COPY_KEYLESS_MAX 100000
/* One row in the canonical form the checksum reads. */
#define COPY_ROW_TEXT_MAX ((size_t)SQL_PARAMS_MAX * (TEXT_LONG_MAX * 4 + 32))
/* Declared type, lower-cased, to classify a column. */
#define COPY_TYPE_MAX 64
/* An int64 or a "%.17g" double as text. */
#define COPY_NUM_MAX 40
/* Forward self-references remembered per table, to start with (they grow). */
#define COPY_FIXUPS_INITIAL 16
/* Keyset paging starts below every id (SQLite allows negative rowids). */
#define COPY_ID_START INT64_MIN

/* Tables outside the registry that travel with the data, copied after it
 * (api_token references app_user).  Not session (sign-ins do not move) nor
 * schema_migration (the target records its own migrations). */
static const char *const extra_tables[] = { "seed_run", "api_token" };
#define EXTRA_TABLES (sizeof(extra_tables) / sizeof(extra_tables[0]))

/* How a column's values are written for the checksum: by declared type, so
 * that an engine giving 5 for what the other gives 5.0 hashes the same. */
enum col_class { COL_INT, COL_REAL, COL_TEXT };

struct copy_table {
	const char *name;
	const struct entity_def *ent; /* NULL outside the registry */
};

struct copy_cols {
	size_t n;
	char names[SQL_PARAMS_MAX][COPY_IDENT_MAX + 1];
	enum col_class src_cls[SQL_PARAMS_MAX];
	enum col_class dst_cls[SQL_PARAMS_MAX];
	int id_col; /* index of "id", -1 when the table has none */
};

static size_t
table_count(void)
{
	return registry_count + EXTRA_TABLES;
}

static struct copy_table
table_at(size_t i)
{
	struct copy_table t = { NULL, NULL };

	if (i < registry_count) {
		t.ent = registry[i];
		t.name = registry[i]->name;
	} else {
		t.name = extra_tables[i - registry_count];
	}
	return t;
}

/* ---- columns ------------------------------------------------------------ */

static bool
plain_ident(const char *s)
{
	size_t i;

	if (s[0] == '\0' || strlen(s) > COPY_IDENT_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return false;
	return true;
}

/* SQLite's affinity rules, which also fit PostgreSQL's type names
 * ("bigint", "double precision", "text"). */
static enum col_class
col_class(const char *decl)
{
	char low[COPY_TYPE_MAX];
	size_t i;

	for (i = 0; decl[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)decl[i]);
	low[i] = '\0';
	if (strstr(low, "int") != NULL)
		return COL_INT;
	if (strstr(low, "real") != NULL || strstr(low, "doub") != NULL ||
	    strstr(low, "floa") != NULL || strstr(low, "numeric") != NULL)
		return COL_REAL;
	return COL_TEXT;
}

/* The columns of `table` as src has them; dst must have the same set. */
static int
load_cols(struct store *src, struct store *dst, const char *table,
    struct copy_cols *c, struct err *e)
{
	json_t *sc, *dc, *v;
	const char *k;
	int rc = -1;

	c->n = 0;
	c->id_col = -1;
	sc = store_table_columns(src, table, e);
	if (sc == NULL) {
		err_prefix(e, "bảng %s ở nguồn: ", table);
		return -1;
	}
	dc = store_table_columns(dst, table, e);
	if (dc == NULL) {
		err_prefix(e, "bảng %s ở đích: ", table);
		goto out;
	}
	if (json_object_size(sc) == 0) {
		err_set(e, ERR_DB, "cơ sở dữ liệu nguồn không có bảng %s", table);
		goto out;
	}
	if (json_object_size(sc) != json_object_size(dc)) {
		err_set(e, ERR_DB, "bảng %s có %zu cột ở nguồn nhưng %zu cột ở đích",
		    table, json_object_size(sc), json_object_size(dc));
		goto out;
	}
	if (json_object_size(sc) > SQL_PARAMS_MAX) {
		err_set(e, ERR_DB, "bảng %s có quá nhiều cột", table);
		goto out;
	}
	json_object_foreach(sc, k, v) {
		json_t *dv = json_object_get(dc, k);
		if (!plain_ident(k)) {
			err_set(e, ERR_DB, "bảng %s có cột tên lạ, không chép", table);
			goto out;
		}
		if (dv == NULL) {
			err_set(e, ERR_DB, "bảng %s ở đích không có cột %s", table, k);
			goto out;
		}
		snprintf(c->names[c->n], sizeof(c->names[c->n]), "%s", k);
		c->src_cls[c->n] = col_class(json_string_value(v));
		c->dst_cls[c->n] = col_class(json_string_value(dv));
		if (strcmp(k, "id") == 0)
			c->id_col = (int)c->n;
		c->n++;
	}
	rc = 0;
out:
	json_decref(sc);
	json_decref(dc);
	return rc;
}

static void
add_col_list(struct buf *b, const struct copy_cols *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		buf_addf(b, "%s%s", i ? ", " : "", c->names[i]);
}

/* SELECT of every column: a keyset page in id order, or the whole table
 * when it has no id. */
static int
select_sql(struct buf *b, const char *table, const struct copy_cols *c,
    struct err *e)
{
	buf_adds(b, "SELECT ");
	add_col_list(b, c);
	buf_addf(b, " FROM %s", table);
	if (c->id_col >= 0)
		buf_adds(b, " WHERE id > ? ORDER BY id LIMIT ?");
	if (buf_failed(b))
		return err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	return 0;
}

/* ---- reading rows --------------------------------------------------------- */

/* Rows held between reading them from src and writing them to dst: the
 * backends' values live only during the row callback, so texts are copied. */
struct page {
	size_t ncols, nrows, cap, max;
	struct db_value *vals; /* nrows * ncols */
	bool failed;
};

static void
page_clear(struct page *p)
{
	size_t i;

	for (i = 0; i < p->nrows * p->ncols; i++)
		if (p->vals[i].type == DB_TEXT)
			free((char *)p->vals[i].s);
	p->nrows = 0;
	p->failed = false;
}

static void
page_free(struct page *p)
{
	page_clear(p);
	free(p->vals);
	p->vals = NULL;
	p->cap = 0;
}

static int
page_row(void *ctx, int n, const struct db_value *cols)
{
	struct page *p = ctx;
	struct db_value *row;
	size_t i;

	if ((size_t)n != p->ncols || p->nrows >= p->max) {
		p->failed = true;
		return 1;
	}
	if (p->nrows == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : STORE_COPY_BATCH;
		struct db_value *v = reallocarray(p->vals, cap * p->ncols, sizeof(*v));
		if (v == NULL) {
			p->failed = true;
			return 1;
		}
		p->vals = v;
		p->cap = cap;
	}
	row = &p->vals[p->nrows * p->ncols];
	for (i = 0; i < p->ncols; i++) {
		row[i] = cols[i];
		if (cols[i].type == DB_TEXT && (row[i].s = strdup(cols[i].s)) == NULL) {
			for (; i > 0; i--)
				if (row[i - 1].type == DB_TEXT)
					free((char *)row[i - 1].s);
			p->failed = true;
			return 1;
		}
	}
	p->nrows++;
	return 0;
}

/* The next page of table into p (emptied first): rows after *last_id, or
 * every row for a table without ids. */
static int
read_page(struct store *s, const char *sql, const struct copy_cols *c,
    int64_t last_id, struct page *p, struct err *e)
{
	struct db_value params[2] = { dbv_int(last_id), dbv_int(STORE_COPY_BATCH) };

	page_clear(p);
	p->ncols = c->n;
	p->max = c->id_col >= 0 ? STORE_COPY_BATCH : COPY_KEYLESS_MAX;
	if (store_query(s, sql, params, c->id_col >= 0 ? 2 : 0, page_row, p, e) != 0)
		return -1;
	if (p->failed)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ hoặc bảng quá lớn khi đọc");
	return 0;
}

/* ---- writing rows ---------------------------------------------------------- */

/* A reference from a row to a later row of its own table (a unit moved
 * under a newer parent): inserted as NULL, set once the table is in. */
struct fixup {
	int64_t id, value;
	size_t col;
};

struct copy_state {
	const struct copy_table *t;
	const struct copy_cols *c;
	bool self_ref[SQL_PARAMS_MAX]; /* nullable references to the same table */
	struct fixup *fix;
	size_t nfix, capfix;
	int64_t read, inserted;
};

static int
count_row(void *ctx, int n, const struct db_value *cols)
{
	(void)n;
	(void)cols;
	(*(int64_t *)ctx)++;
	return 0;
}

static void
find_self_refs(struct copy_state *st)
{
	const struct entity_def *ent = st->t->ent;
	size_t i;

	memset(st->self_ref, 0, sizeof(st->self_ref));
	if (ent == NULL)
		return;
	for (i = 0; i < st->c->n; i++) {
		const struct field_def *f = entity_field(ent, st->c->names[i]);
		st->self_ref[i] = f != NULL && f->type == FT_REF &&
		    !(f->flags & F_REQUIRED) && f->arg != NULL &&
		    strcmp(f->arg, ent->name) == 0;
	}
}

static int
add_fixup(struct copy_state *st, int64_t id, size_t col, int64_t value)
{
	if (st->nfix == st->capfix) {
		size_t cap = st->capfix ? st->capfix * 2 : COPY_FIXUPS_INITIAL;
		struct fixup *f = reallocarray(st->fix, cap, sizeof(*f));
		if (f == NULL)
			return -1;
		st->fix = f;
		st->capfix = cap;
	}
	st->fix[st->nfix].id = id;
	st->fix[st->nfix].col = col;
	st->fix[st->nfix].value = value;
	st->nfix++;
	return 0;
}

/* Insert the rows of one page into dst in one transaction. */
static int
write_page(struct store *dst, const char *sql, struct copy_state *st,
    const struct page *p, struct err *e)
{
	struct db_value params[SQL_PARAMS_MAX];
	const struct copy_cols *c = st->c;
	size_t r, i;

	if (store_begin(dst, e) != 0)
		return -1;
	for (r = 0; r < p->nrows; r++) {
		const struct db_value *row = &p->vals[r * c->n];
		int64_t id = c->id_col >= 0 && row[c->id_col].type == DB_INT ?
		    row[c->id_col].i : 0;
		int64_t before = st->inserted;
		size_t nfix = st->nfix;
		for (i = 0; i < c->n; i++) {
			params[i] = row[i];
			if (st->self_ref[i] && row[i].type == DB_INT && row[i].i > id) {
				if (add_fixup(st, id, i, row[i].i) != 0) {
					store_rollback(dst);
					return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
				}
				params[i] = dbv_text(NULL);
			}
		}
		if (store_query(dst, sql, params, c->n, count_row, &st->inserted, e) != 0) {
			store_rollback(dst);
			err_prefix(e, "bảng %s, dòng id %" PRId64 ": ", st->t->name, id);
			return -1;
		}
		/* a row the target had keeps its own references */
		if (st->inserted == before)
			st->nfix = nfix;
	}
	st->read += (int64_t)p->nrows;
	if (store_commit(dst, e) != 0) {
		err_prefix(e, "bảng %s: ", st->t->name);
		return -1;
	}
	return 0;
}

static int
apply_fixups(struct store *dst, struct copy_state *st, struct err *e)
{
	char sql[SQL_MAX];
	size_t i;

	if (st->nfix == 0)
		return 0;
	if (store_begin(dst, e) != 0)
		return -1;
	for (i = 0; i < st->nfix; i++) {
		struct db_value p[2] = { dbv_int(st->fix[i].value), dbv_int(st->fix[i].id) };
		snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ? WHERE id = ?",
		    st->t->name, st->c->names[st->fix[i].col]);
		if (store_query(dst, sql, p, 2, NULL, NULL, e) != 0) {
			store_rollback(dst);
			err_prefix(e, "bảng %s, dòng id %" PRId64 ": ", st->t->name,
			    st->fix[i].id);
			return -1;
		}
	}
	return store_commit(dst, e);
}

static void
progress_line(FILE *f, const struct copy_state *st, bool done)
{
	if (f == NULL)
		return;
	if (!done) {
		/* only a terminal can have the line rewritten */
		if (isatty(fileno(f)))
			fprintf(f, "\r  %-26s %9" PRId64 " dòng…", st->t->name, st->read);
		return;
	}
	fprintf(f, "%s  %-26s %9" PRId64 " dòng: chép %" PRId64 ", đã có %" PRId64 "\n",
	    isatty(fileno(f)) ? "\r" : "", st->t->name, st->read, st->inserted,
	    st->read - st->inserted);
	fflush(f);
}

static int
copy_table(struct store *src, struct store *dst, const struct copy_table *t,
    FILE *progress, struct err *e)
{
	struct copy_cols *c = calloc(1, sizeof(*c));
	struct copy_state st;
	struct page p = { 0 };
	struct buf sel, ins;
	int64_t last_id = COPY_ID_START;
	size_t i;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	buf_init(&sel, SQL_MAX);
	buf_init(&ins, SQL_MAX);
	if (c == NULL) {
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		goto out;
	}
	if (load_cols(src, dst, t->name, c, e) != 0 || select_sql(&sel, t->name, c, e) != 0)
		goto out;
	st.t = t;
	st.c = c;
	find_self_refs(&st);
	/* no conflict target: any unique key the target already has (the id,
	 * or catalog codes its migrations inserted) skips the row */
	buf_addf(&ins, "INSERT INTO %s (", t->name);
	add_col_list(&ins, c);
	buf_adds(&ins, ") VALUES (");
	for (i = 0; i < c->n; i++)
		buf_adds(&ins, i ? ", ?" : "?");
	buf_adds(&ins, ") ON CONFLICT DO NOTHING RETURNING 1");
	if (buf_failed(&ins)) {
		err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
		goto out;
	}
	for (;;) {
		if (read_page(src, buf_str(&sel), c, last_id, &p, e) != 0) {
			err_prefix(e, "đọc bảng %s: ", t->name);
			goto out;
		}
		if (p.nrows == 0)
			break;
		if (write_page(dst, buf_str(&ins), &st, &p, e) != 0)
			goto out;
		progress_line(progress, &st, false);
		if (c->id_col < 0 || p.nrows < STORE_COPY_BATCH)
			break;
		last_id = p.vals[(p.nrows - 1) * c->n + (size_t)c->id_col].i;
	}
	if (apply_fixups(dst, &st, e) != 0)
		goto out;
	if (c->id_col >= 0 && dst->ops->after_bulk_ids != NULL &&
	    dst->ops->after_bulk_ids(dst->conn, t->name, e) != 0) {
		err_prefix(e, "bảng %s: ", t->name);
		goto out;
	}
	progress_line(progress, &st, true);
	rc = 0;
out:
	page_free(&p);
	free(st.fix);
	buf_free(&sel);
	buf_free(&ins);
	free(c);
	return rc;
}

int
store_copy_prepare(struct store *src, struct store *dst, struct err *e)
{
	json_t *names;
	char sql[SQL_MAX];
	size_t i;
	int applied;
	bool fresh;

	if (store_migrate(src, NULL, e) != 0) {
		err_prefix(e, "cơ sở dữ liệu nguồn: ");
		return -1;
	}
	if (store_migrate(dst, &applied, e) != 0 ||
	    (names = store_migrations_applied(dst, e)) == NULL) {
		err_prefix(e, "cơ sở dữ liệu đích: ");
		return -1;
	}
	fresh = applied > 0 && (size_t)applied == json_array_size(names);
	json_decref(names);
	if (!fresh)
		return 0;
	/* Only the migrations wrote here: their seed rows would otherwise
	 * shadow the source's (same ids, maybe edited since, search keys
	 * filled in by `init`).  Referencing tables go first. */
	if (store_begin(dst, e) != 0)
		return -1;
	for (i = table_count(); i > 0; i--) {
		struct copy_table t = table_at(i - 1);
		snprintf(sql, sizeof(sql), "DELETE FROM %s", t.name);
		if (store_query(dst, sql, NULL, 0, NULL, NULL, e) != 0) {
			store_rollback(dst);
			err_prefix(e, "làm trống bảng %s ở đích: ", t.name);
			return -1;
		}
	}
	return store_commit(dst, e);
}

int
store_copy(struct store *src, struct store *dst, FILE *progress, struct err *e)
{
	size_t i;

	for (i = 0; i < table_count(); i++) {
		struct copy_table t = table_at(i);
		if (copy_table(src, dst, &t, progress, e) != 0)
			return -1;
	}
	return 0;
}

/* ---- checksums ------------------------------------------------------------- */

/* A double as an integer when it is one and fits (an INTEGER column that
 * came back as 5.0). */
static bool
integral(double d, int64_t *out)
{
	/* 2^63: the first double outside int64_t */
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return false;
	*out = (int64_t)d;
	return (double)*out == d;
}

static void
add_text(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_addf(b, "T%zu:", n);
	buf_add(b, s, n);
	buf_addc(b, ';');
}

/*
 * One value, the same text on both engines: NULL "N;", integer "I<decimal>;",
 * real "R<%.17g>;" (17 digits round-trip a double, and both engines hand
 * back the exact double they stored), text "T<bytes>:<text>;" (the length
 * keeps any text from looking like the next value).  Booleans are integer
 * 0/1 columns on both engines.
 */
static void
add_value(struct buf *b, enum col_class cls, const struct db_value *v)
{
	char num[COPY_NUM_MAX];
	int64_t i;

	switch (v->type) {
	case DB_NULL:
		buf_adds(b, "N;");
		return;
	case DB_INT:
		if (cls == COL_REAL) {
			buf_addf(b, "R%.17g;", (double)v->i);
		} else if (cls == COL_TEXT) {
			snprintf(num, sizeof(num), "%" PRId64, v->i);
			add_text(b, num);
		} else {
			buf_addf(b, "I%" PRId64 ";", v->i);
		}
		return;
	case DB_REAL:
		if (cls == COL_INT && integral(v->d, &i)) {
			buf_addf(b, "I%" PRId64 ";", i);
		} else if (cls == COL_TEXT) {
			snprintf(num, sizeof(num), "%.17g", v->d);
			add_text(b, num);
		} else {
			buf_addf(b, "R%.17g;", v->d);
		}
		return;
	case DB_TEXT:
		add_text(b, v->s);
		return;
	}
}

struct digest {
	crypto_hash_sha256_state sha;
	const struct copy_cols *c;
	const enum col_class *cls;
	struct buf row;
	int64_t rows, page_rows, last_id;
	char **keyless; /* serialized rows of a table without ids, to sort */
	size_t nkeyless;
	bool failed;
};

static int
digest_row(void *ctx, int n, const struct db_value *cols)
{
	struct digest *d = ctx;
	size_t i;

	if ((size_t)n != d->c->n) {
		d->failed = true;
		return 1;
	}
	buf_reset(&d->row);
	for (i = 0; i < d->c->n; i++)
		add_value(&d->row, d->cls[i], &cols[i]);
	buf_addc(&d->row, '\n');
	if (buf_failed(&d->row)) {
		d->failed = true;
		return 1;
	}
	d->rows++;
	d->page_rows++;
	if (d->c->id_col >= 0) {
		d->last_id = cols[d->c->id_col].type == DB_INT ? cols[d->c->id_col].i : 0;
		crypto_hash_sha256_update(&d->sha, (const unsigned char *)d->row.data,
		    d->row.len);
		return 0;
	}
	if (d->nkeyless >= COPY_KEYLESS_MAX ||
	    (d->keyless[d->nkeyless] = buf_take(&d->row)) == NULL) {
		d->failed = true;
		return 1;
	}
	d->nkeyless++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Count and SHA-256 of table's rows in s, in id order - or, without ids,
 * sorted by their text (the engines' text collations differ). */
static int
table_digest(struct store *s, const char *table, const struct copy_cols *c,
    const enum col_class *cls, int64_t *rows,
    unsigned char out[crypto_hash_sha256_BYTES], struct err *e)
{
	struct digest d;
	struct buf sql;
	size_t i;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	d.c = c;
	d.last_id = COPY_ID_START;
	d.cls = cls;
	buf_init(&d.row, COPY_ROW_TEXT_MAX);
	buf_init(&sql, SQL_MAX);
	crypto_hash_sha256_init(&d.sha);
	/* the column names first: the same data under other names differs */
	for (i = 0; i < c->n; i++)
		crypto_hash_sha256_update(&d.sha, (const unsigned char *)c->names[i],
		    strlen(c->names[i]) + 1);
	if (select_sql(&sql, table, c, e) != 0)
		goto out;
	if (c->id_col < 0 &&
	    (d.keyless = calloc(COPY_KEYLESS_MAX, sizeof(*d.keyless))) == NULL) {
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		goto out;
	}
	do {
		struct db_value params[2] = { dbv_int(d.last_id), dbv_int(STORE_COPY_BATCH) };
		d.page_rows = 0;
		if (store_query(s, buf_str(&sql), params, c->id_col >= 0 ? 2 : 0,
		    digest_row, &d, e) != 0)
			goto out;
		if (d.failed) {
			err_set(e, ERR_INTERNAL, "hết bộ nhớ hoặc dòng quá lớn khi đọc");
			goto out;
		}
	} while (c->id_col >= 0 && d.page_rows == STORE_COPY_BATCH);
	if (c->id_col < 0) {
		qsort(d.keyless, d.nkeyless, sizeof(*d.keyless), cmp_str);
		for (i = 0; i < d.nkeyless; i++)
			crypto_hash_sha256_update(&d.sha, (const unsigned char *)d.keyless[i],
			    strlen(d.keyless[i]));
	}
	crypto_hash_sha256_final(&d.sha, out);
	*rows = d.rows;
	rc = 0;
out:
	for (i = 0; i < d.nkeyless; i++)
		free(d.keyless[i]);
	free(d.keyless);
	buf_free(&d.row);
	buf_free(&sql);
	return rc;
}

json_t *
store_copy_verify(struct store *src, struct store *dst, struct err *e)
{
	unsigned char hs[crypto_hash_sha256_BYTES], hd[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	struct copy_cols *c = calloc(1, sizeof(*c));
	json_t *out = json_array();
	int64_t ns, nd;
	size_t i;

	if (c == NULL || out == NULL || sodium_init() < 0) {
		err_set(e, ERR_INTERNAL, "hết bộ nhớ hoặc không khởi tạo được libsodium");
		goto fail;
	}
	for (i = 0; i < table_count(); i++) {
		struct copy_table t = table_at(i);
		json_t *row;
		if (load_cols(src, dst, t.name, c, e) != 0)
			goto fail;
		if (table_digest(src, t.name, c, c->src_cls, &ns, hs, e) != 0) {
			err_prefix(e, "kiểm tra bảng %s ở nguồn: ", t.name);
			goto fail;
		}
		if (table_digest(dst, t.name, c, c->dst_cls, &nd, hd, e) != 0) {
			err_prefix(e, "kiểm tra bảng %s ở đích: ", t.name);
			goto fail;
		}
		row = json_object();
		json_object_set_new(row, "table", json_string(t.name));
		json_object_set_new(row, "rows_from", json_integer(ns));
		json_object_set_new(row, "rows_to", json_integer(nd));
		json_object_set_new(row, "same", json_boolean(ns == nd &&
		    sodium_memcmp(hs, hd, sizeof(hs)) == 0));
		sodium_bin2hex(hex, sizeof(hex), hs, sizeof(hs));
		json_object_set_new(row, "sha256_from", json_string(hex));
		sodium_bin2hex(hex, sizeof(hex), hd, sizeof(hd));
		json_object_set_new(row, "sha256_to", json_string(hex));
		json_array_append_new(out, row);
	}
	free(c);
	return out;
fail:
	free(c);
	json_decref(out);
	return NULL;
}
