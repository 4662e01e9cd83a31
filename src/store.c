/*
 * store.c - engine-independent half of the store: SQL built from the
 * registry, records converted between JSON and bound values, migrations and
 * transactions.  Backends only run the statements (store_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "buf.h"
#include "embedded.h"
#include "store_int.h"
#include "text.h"

#define COMMON_COLS "id, version, created_at, updated_at, illustrative"
#define COMMON_NCOLS 5

int
store_open(const char *url, struct store **out, struct err *e)
{
	const struct db_ops *ops = NULL;
	const char *target = url;
	struct store *s;

	*out = NULL;
	if (url == NULL || *url == '\0')
		url = target = STORE_DEFAULT_URL;
	if (strncmp(url, "sqlite:", 7) == 0) {
		ops = &db_sqlite_ops;
		target = url + 7;
	} else if (strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0) {
		ops = &db_pg_ops; /* libpq takes the whole URI */
	} else if (strstr(url, "://") == NULL) {
		ops = &db_sqlite_ops;
	} else {
		return err_set(e, ERR_BAD_REQUEST, "không nhận ra địa chỉ cơ sở dữ liệu: %s", url);
	}
	if (*target == '\0')
		return err_set(e, ERR_BAD_REQUEST, "thiếu đường dẫn tệp cơ sở dữ liệu");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	s->ops = ops;
	if (ops->open(target, &s->conn, e) != 0) {
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->tx_depth > 0)
		s->ops->rollback(s->conn);
	s->ops->close(s->conn);
	free(s);
}

const char *
store_engine(const struct store *s)
{
	return s->ops->engine;
}

int
store_query(struct store *s, const char *sql, const struct db_value *p,
    size_t np, db_row_fn fn, void *ctx, struct err *e)
{
	return s->ops->query(s->conn, sql, p, np, fn, ctx, e);
}

/* ---- transactions ------------------------------------------------------- */

/* Nested levels are savepoints, so a failed inner step (one row of an
 * import) can be undone while the outer transaction goes on. */
static int
savepoint(struct store *s, const char *verb, int level, struct err *e)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "%s sp%d", verb, level);
	return store_query(s, sql, NULL, 0, NULL, NULL, e);
}

int
store_begin(struct store *s, struct err *e)
{
	if (s->tx_depth == 0) {
		if (s->ops->begin(s->conn, e) != 0)
			return -1;
	} else if (savepoint(s, "SAVEPOINT", s->tx_depth, e) != 0) {
		return -1;
	}
	s->tx_depth++;
	return 0;
}

int
store_commit(struct store *s, struct err *e)
{
	if (s->tx_depth <= 0)
		return err_set(e, ERR_INTERNAL, "commit ngoài giao dịch");
	if (--s->tx_depth > 0)
		return savepoint(s, "RELEASE", s->tx_depth, e);
	if (s->ops->commit(s->conn, e) != 0) {
		s->ops->rollback(s->conn);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *s)
{
	if (s->tx_depth <= 0)
		return;
	if (--s->tx_depth > 0) {
		savepoint(s, "ROLLBACK TO", s->tx_depth, NULL);
		savepoint(s, "RELEASE", s->tx_depth, NULL);
		return;
	}
	s->ops->rollback(s->conn);
}

/* ---- migrations --------------------------------------------------------- */

static int
collect_names(void *ctx, int n, const struct db_value *c)
{
	if (n > 0 && c[0].type == DB_TEXT)
		json_array_append_new(ctx, json_string(c[0].s));
	return 0;
}

json_t *
store_migrations_applied(struct store *s, struct err *e)
{
	json_t *names = json_array();

	if (store_query(s, "SELECT name FROM schema_migration ORDER BY name",
	    NULL, 0, collect_names, names, e) != 0) {
		json_decref(names);
		return NULL;
	}
	return names;
}

static bool
json_array_has_string(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

int
store_migrate(struct store *s, int *applied, struct err *e)
{
	const struct embedded_file *m;
	struct db_value p[2];
	char now[32];
	json_t *done;
	int n = 0;

	if (applied != NULL)
		*applied = 0;
	if (s->ops->exec_script(s->conn,
	    "CREATE TABLE IF NOT EXISTS schema_migration ("
	    " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", e) != 0)
		return -1;
	done = store_migrations_applied(s, e);
	if (done == NULL)
		return -1;
	for (m = embedded_migrations; m->name != NULL; m++) {
		if (json_array_has_string(done, m->name))
			continue;
		if (store_begin(s, e) != 0)
			goto fail;
		if (s->ops->exec_script(s->conn, m->data, e) != 0) {
			store_rollback(s);
			err_prefix(e, "migration %s: ", m->name);
			goto fail;
		}
		clock_timestamp(now);
		p[0] = dbv_text(m->name);
		p[1] = dbv_text(now);
		if (store_query(s, "INSERT INTO schema_migration (name, applied_at) "
		    "VALUES (?, ?)", p, 2, NULL, NULL, e) != 0) {
			store_rollback(s);
			goto fail;
		}
		if (store_commit(s, e) != 0)
			goto fail;
		n++;
	}
	json_decref(done);
	if (applied != NULL)
		*applied = n;
	return 0;
fail:
	json_decref(done);
	return -1;
}

/* ---- records ------------------------------------------------------------ */

static bool
field_selected(const struct field_def *f)
{
	return (f->flags & F_SECRET) == 0;
}

static void
add_select_cols(struct buf *b, const struct entity_def *ent)
{
	size_t i;

	buf_adds(b, COMMON_COLS);
	for (i = 0; i < ent->nfields; i++)
		if (field_selected(&ent->fields[i]))
			buf_addf(b, ", %s", ent->fields[i].name);
}

struct select_ctx {
	const struct entity_def *ent;
	json_t *rows;
};

static json_t *
value_to_json(const struct db_value *v, enum field_type t)
{
	switch (v->type) {
	case DB_NULL:
		return json_null();
	case DB_INT:
		if (t == FT_BOOLEAN)
			return json_boolean(v->i != 0);
		if (t == FT_DECIMAL)
			return json_real((double)v->i);
		return json_integer(v->i);
	case DB_REAL:
		if (t == FT_INTEGER || t == FT_REF)
			return json_integer((json_int_t)v->d);
		return json_real(v->d);
	case DB_TEXT:
		return json_string(v->s);
	}
	return json_null();
}

static int
select_row(void *ctx, int n, const struct db_value *c)
{
	struct select_ctx *sc = ctx;
	const struct entity_def *ent = sc->ent;
	json_t *rec = json_object();
	size_t i;
	int col = COMMON_NCOLS;

	if (n < COMMON_NCOLS)
		return 1;
	json_object_set_new(rec, "id", value_to_json(&c[0], FT_INTEGER));
	json_object_set_new(rec, "version", value_to_json(&c[1], FT_INTEGER));
	json_object_set_new(rec, "created_at", value_to_json(&c[2], FT_TEXT));
	json_object_set_new(rec, "updated_at", value_to_json(&c[3], FT_TEXT));
	json_object_set_new(rec, COMMON_ILLUSTRATIVE, value_to_json(&c[4], FT_BOOLEAN));
	for (i = 0; i < ent->nfields && col < n; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!field_selected(f))
			continue;
		json_object_set_new(rec, f->name, value_to_json(&c[col], f->type));
		col++;
	}
	json_array_append_new(sc->rows, rec);
	return 0;
}

json_t *
store_select(struct store *s, const struct entity_def *ent, const char *tail,
    const struct db_value *p, size_t np, struct err *e)
{
	struct select_ctx sc = { ent, json_array() };
	struct buf sql;

	buf_init(&sql, SQL_MAX);
	buf_adds(&sql, "SELECT ");
	add_select_cols(&sql, ent);
	buf_addf(&sql, " FROM %s %s", ent->name, tail ? tail : "");
	if (buf_failed(&sql)) {
		buf_free(&sql);
		json_decref(sc.rows);
		err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
		return NULL;
	}
	if (store_query(s, buf_str(&sql), p, np, select_row, &sc, e) != 0) {
		json_decref(sc.rows);
		sc.rows = NULL;
	}
	buf_free(&sql);
	return sc.rows;
}

json_t *
store_get(struct store *s, const struct entity_def *ent, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);
	json_t *rows, *rec;

	rows = store_select(s, ent, "WHERE id = ?", &p, 1, e);
	if (rows == NULL)
		return NULL;
	rec = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (rec == NULL)
		err_set(e, ERR_NOT_FOUND, "không tìm thấy %s số %lld", ent->label,
		    (long long)id);
	return rec;
}

/* Bound value for a JSON value; strings stay owned by the JSON. */
static struct db_value
json_to_value(const json_t *v)
{
	struct db_value d = { DB_NULL, 0, 0, NULL };

	if (v == NULL || json_is_null(v))
		return d;
	if (json_is_integer(v)) {
		d.type = DB_INT;
		d.i = json_integer_value(v);
	} else if (json_is_real(v)) {
		d.type = DB_REAL;
		d.d = json_real_value(v);
	} else if (json_is_boolean(v)) {
		d.type = DB_INT;
		d.i = json_is_true(v);
	} else if (json_is_string(v)) {
		d.type = DB_TEXT;
		d.s = json_string_value(v);
	}
	return d;
}

/* The search key: folded text of the F_SEARCH fields, space separated. */
static char *
search_key(const struct entity_def *ent, const json_t *rec)
{
	struct buf b;
	size_t i;
	char *k;

	buf_init(&b, TEXT_LONG_MAX * 4);
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const json_t *v = json_object_get(rec, f->name);
		if (!(f->flags & F_SEARCH) || !json_is_string(v))
			continue;
		k = text_fold(json_string_value(v));
		if (k == NULL)
			continue;
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, k);
		free(k);
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		return strdup("");
	}
	return buf_take(&b);
}

struct id_ctx {
	int64_t id;
	int found;
};

static int
first_int(void *ctx, int n, const struct db_value *c)
{
	struct id_ctx *ic = ctx;

	if (n > 0 && c[0].type == DB_INT) {
		ic->id = c[0].i;
		ic->found = 1;
	}
	return 1;
}

static const char *
conflict_detail(const struct entity_def *ent)
{
	size_t i;

	if (ent->unique_sql != NULL)
		return ent->unique_sql;
	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].flags & F_UNIQUE)
			return ent->fields[i].label;
	return "";
}

int
store_insert(struct store *s, const struct entity_def *ent, const json_t *rec,
    int64_t *id, struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	struct id_ctx ic = { 0, 0 };
	struct buf sql;
	char now[32], *key;
	size_t i, np = 0;
	int rc;

	clock_timestamp(now);
	key = search_key(ent, rec);
	buf_init(&sql, SQL_MAX);
	buf_addf(&sql, "INSERT INTO %s (version, created_at, updated_at, "
	    "illustrative, search_key", ent->name);
	p[np++] = dbv_text(now);
	p[np++] = dbv_text(now);
	p[np++] = dbv_int(json_is_true(json_object_get(rec, COMMON_ILLUSTRATIVE)));
	p[np++] = dbv_text(key);
	for (i = 0; i < ent->nfields && np < SQL_PARAMS_MAX; i++) {
		buf_addf(&sql, ", %s", ent->fields[i].name);
		p[np++] = json_to_value(json_object_get(rec, ent->fields[i].name));
	}
	buf_adds(&sql, ") VALUES (1, ?, ?, ?, ?");
	for (i = 4; i < np; i++)
		buf_adds(&sql, ", ?");
	buf_adds(&sql, ") RETURNING id");
	if (buf_failed(&sql)) {
		rc = err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	} else {
		rc = store_query(s, buf_str(&sql), p, np, first_int, &ic, e);
		if (rc == 0 && !ic.found)
			rc = err_set(e, ERR_DB, "không ghi được %s", ent->label);
		if (rc != 0 && e != NULL && e->code == ERR_CONFLICT &&
		    strstr(e->msg, "trùng") != NULL)
			err_set(e, ERR_CONFLICT, "%s đã có bản ghi trùng khóa (%s)",
			    ent->label, conflict_detail(ent));
	}
	if (rc == 0 && id != NULL)
		*id = ic.id;
	buf_free(&sql);
	free(key);
	return rc;
}

/* Distinguish "no such record" from "someone changed it first". */
static int
missing_or_stale(struct store *s, const struct entity_def *ent, int64_t id,
    struct err *e)
{
	if (!store_exists(s, ent, id))
		return err_set(e, ERR_NOT_FOUND, "không tìm thấy %s số %lld",
		    ent->label, (long long)id);
	return err_set(e, ERR_STALE, "%s số %lld đã được người khác sửa; hãy tải "
	    "lại bản mới nhất rồi sửa lại", ent->label, (long long)id);
}

int
store_update(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *rec, int64_t expected_version, struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	struct id_ctx ic = { 0, 0 };
	json_t *merged, *cur;
	struct buf sql;
	char now[32], *key;
	const char *k;
	json_t *v;
	size_t np = 0;
	int rc;

	cur = store_get(s, ent, id, e);
	if (cur == NULL)
		return -1;
	merged = json_deep_copy(cur);
	json_object_update_existing(merged, (json_t *)rec);
	key = search_key(ent, merged);
	clock_timestamp(now);

	buf_init(&sql, SQL_MAX);
	buf_addf(&sql, "UPDATE %s SET version = version + 1, updated_at = ?, "
	    "search_key = ?", ent->name);
	p[np++] = dbv_text(now);
	p[np++] = dbv_text(key);
	json_object_foreach((json_t *)rec, k, v) {
		if (np >= SQL_PARAMS_MAX - 2)
			break;
		if (strcmp(k, COMMON_ILLUSTRATIVE) == 0) {
			buf_adds(&sql, ", illustrative = ?");
			p[np++] = dbv_int(json_is_true(v));
			continue;
		}
		if (entity_field(ent, k) == NULL)
			continue;
		buf_addf(&sql, ", %s = ?", k);
		p[np++] = json_to_value(v);
	}
	buf_adds(&sql, " WHERE id = ?");
	p[np++] = dbv_int(id);
	if (expected_version > 0) {
		buf_adds(&sql, " AND version = ?");
		p[np++] = dbv_int(expected_version);
	}
	buf_adds(&sql, " RETURNING id");
	if (buf_failed(&sql))
		rc = err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	else
		rc = store_query(s, buf_str(&sql), p, np, first_int, &ic, e);
	if (rc == 0 && !ic.found)
		rc = missing_or_stale(s, ent, id, e);
	buf_free(&sql);
	free(key);
	json_decref(merged);
	json_decref(cur);
	return rc;
}

int
store_delete(struct store *s, const struct entity_def *ent, int64_t id,
    int64_t expected_version, struct err *e)
{
	struct db_value p[2];
	struct id_ctx ic = { 0, 0 };
	char sql[256];
	size_t np = 0;
	int rc;

	p[np++] = dbv_int(id);
	if (expected_version > 0) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ? AND "
		    "version = ? RETURNING id", ent->name);
		p[np++] = dbv_int(expected_version);
	} else {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ? RETURNING id",
		    ent->name);
	}
	rc = store_query(s, sql, p, np, first_int, &ic, e);
	if (rc != 0 && e != NULL && e->code == ERR_CONFLICT)
		return err_set(e, ERR_CONFLICT, "không xóa được %s số %lld vì còn "
		    "bản ghi khác tham chiếu đến nó", ent->label, (long long)id);
	if (rc == 0 && !ic.found)
		rc = missing_or_stale(s, ent, id, e);
	return rc;
}

bool
store_exists(struct store *s, const struct entity_def *ent, int64_t id)
{
	struct db_value p = dbv_int(id);
	struct id_ctx ic = { 0, 0 };
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE id = ?", ent->name);
	if (store_query(s, sql, &p, 1, first_int, &ic, NULL) != 0)
		return false;
	return ic.found != 0;
}

bool
store_catalog_has(struct store *s, const char *catalog, const char *code)
{
	struct db_value p[2] = { dbv_text(catalog), dbv_text(code) };
	struct id_ctx ic = { 0, 0 };

	if (store_query(s, "SELECT id FROM catalog_item WHERE catalog = ? AND "
	    "code = ?", p, 2, first_int, &ic, NULL) != 0)
		return false;
	return ic.found != 0;
}

int
store_count(struct store *s, const struct entity_def *ent, int64_t *n,
    struct err *e)
{
	struct id_ctx ic = { 0, 0 };
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", ent->name);
	if (store_query(s, sql, NULL, 0, first_int, &ic, e) != 0)
		return -1;
	*n = ic.id;
	return 0;
}

/* ---- lists -------------------------------------------------------------- */

static const char *const op_sql[] = {
	[OP_EQ] = " = ?", [OP_NE] = " <> ?", [OP_LT] = " < ?",
	[OP_LE] = " <= ?", [OP_GT] = " > ?", [OP_GE] = " >= ?",
	[OP_NULL] = " IS NULL", [OP_NOTNULL] = " IS NOT NULL",
};

static bool
known_column(const struct entity_def *ent, const char *name)
{
	const struct field_def *f;

	if (strcmp(name, "id") == 0 || strcmp(name, COMMON_ILLUSTRATIVE) == 0 ||
	    strcmp(name, "created_at") == 0 || strcmp(name, "updated_at") == 0)
		return true;
	f = entity_field(ent, name);
	return f != NULL && !(f->flags & F_SECRET);
}

/* The confidential field of an entity, when it has one (incidents). */
static const struct field_def *
confidential_field(const struct entity_def *ent)
{
	const struct field_def *f = entity_field(ent, "confidential");

	return f != NULL && f->type == FT_BOOLEAN ? f : NULL;
}

/* Without clearance, confidential records do not exist - nor do records
 * owned by one (an incident's shares) or files attached to one. */
static void
add_confidential_clauses(struct buf *where, const struct entity_def *ent)
{
	size_t i;

	if (confidential_field(ent) != NULL)
		buf_adds(where, " AND COALESCE(confidential, 0) = 0");
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const struct entity_def *t;
		if (f->type != FT_REF || !(f->flags & F_OWNER))
			continue;
		t = registry_find(f->arg);
		if (t != NULL && confidential_field(t) != NULL)
			buf_addf(where, " AND (%s IS NULL OR %s NOT IN (SELECT id FROM %s "
			    "WHERE COALESCE(confidential, 0) = 1))", f->name, f->name, t->name);
	}
	if (entity_field(ent, "owner_entity") != NULL && entity_field(ent, "owner_id") != NULL) {
		for (i = 0; i < registry_count; i++)
			if (confidential_field(registry[i]) != NULL)
				buf_addf(where, " AND NOT (owner_entity = '%s' AND owner_id IN "
				    "(SELECT id FROM %s WHERE COALESCE(confidential, 0) = 1))",
				    registry[i]->name, registry[i]->name);
	}
}

/* Escape LIKE wildcards in a folded search text. */
static void
add_like_pattern(struct buf *b, const char *folded)
{
	buf_addc(b, '%');
	for (; *folded; folded++) {
		if (*folded == '%' || *folded == '_' || *folded == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *folded);
	}
	buf_addc(b, '%');
}

int
store_list(struct store *s, const struct entity_def *ent,
    const struct list_query *q, json_t **rows, int64_t *total, struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	struct buf where, tail, pattern;
	struct id_ctx ic = { 0, 0 };
	char *folded = NULL;
	size_t i, np = 0;
	int64_t limit;
	int rc = -1;

	*rows = NULL;
	buf_init(&where, SQL_MAX);
	buf_init(&tail, SQL_MAX);
	buf_init(&pattern, SEARCH_QUERY_MAX * 4 + 4);
	buf_adds(&where, "WHERE 1 = 1");
	for (i = 0; i < q->nfilters && i < LIST_FILTERS_MAX; i++) {
		const struct list_filter *lf = &q->filters[i];
		if (!known_column(ent, lf->field) || lf->op > OP_NOTNULL) {
			err_set(e, ERR_BAD_REQUEST, "không lọc được theo trường '%s'",
			    lf->field);
			goto out;
		}
		buf_addf(&where, " AND %s%s", lf->field, op_sql[lf->op]);
		if (lf->op != OP_NULL && lf->op != OP_NOTNULL)
			p[np++] = json_to_value(lf->value);
	}
	if (!q->see_confidential)
		add_confidential_clauses(&where, ent);
	if (q->search != NULL && *q->search != '\0') {
		if (strlen(q->search) > SEARCH_QUERY_MAX) {
			err_set(e, ERR_BAD_REQUEST, "chuỗi tìm kiếm quá dài");
			goto out;
		}
		folded = text_fold(q->search);
		if (folded == NULL) {
			err_set(e, ERR_BAD_REQUEST, "chuỗi tìm kiếm không phải UTF-8 hợp lệ");
			goto out;
		}
		add_like_pattern(&pattern, folded);
		buf_adds(&where, " AND search_key LIKE ? ESCAPE '\\'");
		p[np++] = dbv_text(buf_str(&pattern));
	}
	if (q->sort != NULL && *q->sort != '\0' && !known_column(ent, q->sort)) {
		err_set(e, ERR_BAD_REQUEST, "không sắp xếp được theo trường '%s'", q->sort);
		goto out;
	}
	if (buf_failed(&where) || buf_failed(&pattern)) {
		err_set(e, ERR_BAD_REQUEST, "điều kiện lọc quá dài");
		goto out;
	}
	if (total != NULL) {
		char sql[SQL_MAX];
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s %s", ent->name,
		    buf_str(&where));
		if (store_query(s, sql, p, np, first_int, &ic, e) != 0)
			goto out;
		*total = ic.id;
	}
	limit = q->limit > 0 ? q->limit : LIST_LIMIT_DEFAULT;
	if (limit > LIST_LIMIT_MAX)
		limit = LIST_LIMIT_MAX;
	if (q->sort != NULL && *q->sort != '\0')
		buf_addf(&tail, "%s ORDER BY %s %s, id %s LIMIT ? OFFSET ?",
		    buf_str(&where), q->sort, q->desc ? "DESC" : "ASC",
		    q->desc ? "DESC" : "ASC");
	else
		buf_addf(&tail, "%s ORDER BY id %s LIMIT ? OFFSET ?", buf_str(&where),
		    q->desc ? "DESC" : "ASC");
	p[np++] = dbv_int(limit);
	p[np++] = dbv_int(q->offset > 0 ? q->offset : 0);
	*rows = store_select(s, ent, buf_str(&tail), p, np, e);
	rc = *rows != NULL ? 0 : -1;
out:
	free(folded);
	buf_free(&where);
	buf_free(&tail);
	buf_free(&pattern);
	return rc;
}

json_t *
store_list_all(struct store *s, const struct entity_def *ent,
    const struct list_query *q, size_t max, struct err *e)
{
	struct list_query page = *q;
	json_t *out = json_array(), *rows;
	size_t n;

	page.limit = LIST_LIMIT_MAX;
	page.offset = 0;
	for (;;) {
		if (store_list(s, ent, &page, &rows, NULL, e) != 0) {
			json_decref(out);
			return NULL;
		}
		json_array_extend(out, rows);
		n = json_array_size(rows);
		json_decref(rows);
		if (n < (size_t)page.limit || json_array_size(out) >= max)
			return out;
		page.offset += page.limit;
	}
}

/* ---- search keys of seeded rows ---------------------------------------- */

struct reindex_ctx {
	json_t *ids;
};

static int
collect_ids(void *ctx, int n, const struct db_value *c)
{
	if (n > 0 && c[0].type == DB_INT)
		json_array_append_new(ctx, json_integer(c[0].i));
	return 0;
}

int
store_reindex(struct store *s, const struct entity_def *ent, struct err *e)
{
	json_t *ids = json_array(), *idv;
	char sql[256];
	size_t i;
	int rc = 0;

	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE search_key IS NULL",
	    ent->name);
	if (store_query(s, sql, NULL, 0, collect_ids, ids, e) != 0) {
		json_decref(ids);
		return -1;
	}
	snprintf(sql, sizeof(sql), "UPDATE %s SET search_key = ? WHERE id = ?",
	    ent->name);
	json_array_foreach(ids, i, idv) {
		json_t *rec = store_get(s, ent, json_integer_value(idv), e);
		struct db_value p[2];
		char *key;
		if (rec == NULL) {
			rc = -1;
			break;
		}
		key = search_key(ent, rec);
		p[0] = dbv_text(key);
		p[1] = dbv_int(json_integer_value(idv));
		rc = store_query(s, sql, p, 2, NULL, NULL, e);
		free(key);
		json_decref(rec);
		if (rc != 0)
			break;
	}
	json_decref(ids);
	return rc;
}

/* ---- users' secrets ------------------------------------------------------ */

struct secret_ctx {
	char *hash;
	int64_t id;
};

static int
secret_row(void *ctx, int n, const struct db_value *c)
{
	struct secret_ctx *sc = ctx;

	if (n >= 2 && c[0].type == DB_INT) {
		sc->id = c[0].i;
		if (c[1].type == DB_TEXT)
			sc->hash = strdup(c[1].s);
	}
	return 1;
}

char *
store_user_secret(struct store *s, const char *login, int64_t *user_id,
    struct err *e)
{
	struct db_value p = dbv_text(login);
	struct secret_ctx sc = { NULL, 0 };

	if (store_query(s, "SELECT id, password_hash FROM app_user WHERE "
	    "login = ? AND COALESCE(active, 1) = 1", &p, 1, secret_row, &sc, e) != 0)
		return NULL;
	if (user_id != NULL)
		*user_id = sc.id;
	return sc.hash;
}

int
store_user_set_secret(struct store *s, int64_t user_id, const char *hash,
    struct err *e)
{
	struct db_value p[2] = { dbv_text(hash), dbv_int(user_id) };

	return store_query(s, "UPDATE app_user SET password_hash = ?, "
	    "version = version + 1 WHERE id = ?", p, 2, NULL, NULL, e);
}

/* ---- named loads ---------------------------------------------------------- */

bool
store_seed_done(struct store *s, const char *name)
{
	struct db_value p = dbv_text(name);
	struct id_ctx ic = { 0, 0 };

	if (store_query(s, "SELECT 1 FROM seed_run WHERE name = ?", &p, 1,
	    first_int, &ic, NULL) != 0)
		return false;
	return ic.found != 0;
}

int
store_seed_mark(struct store *s, const char *name, long records, struct err *e)
{
	struct db_value p[3];
	char now[32];

	clock_timestamp(now);
	p[0] = dbv_text(name);
	p[1] = dbv_text(now);
	p[2] = dbv_int(records);
	return store_query(s, "INSERT INTO seed_run (name, applied_at, records) "
	    "VALUES (?, ?, ?)", p, 3, NULL, NULL, e);
}

/* ---- sessions and tokens -------------------------------------------------- */

int
store_session_put(struct store *s, const char *token_hash, int64_t user_id,
    const char *csrf, const char *expires_at, struct err *e)
{
	struct db_value p[5];
	char now[32];

	clock_timestamp(now);
	p[0] = dbv_text(token_hash);
	p[1] = dbv_int(user_id);
	p[2] = dbv_text(csrf);
	p[3] = dbv_text(now);
	p[4] = dbv_text(expires_at);
	return store_query(s, "INSERT INTO session (token_hash, user_id, csrf, "
	    "created_at, expires_at) VALUES (?, ?, ?, ?, ?)", p, 5, NULL, NULL, e);
}

struct session_ctx {
	int64_t user_id;
	char *csrf;
	size_t csrflen;
};

static int
session_row(void *ctx, int n, const struct db_value *c)
{
	struct session_ctx *sc = ctx;

	if (n >= 2 && c[0].type == DB_INT && c[1].type == DB_TEXT) {
		sc->user_id = c[0].i;
		snprintf(sc->csrf, sc->csrflen, "%s", c[1].s);
	}
	return 1;
}

int64_t
store_session_get(struct store *s, const char *token_hash, const char *now,
    char *csrf, size_t csrflen, struct err *e)
{
	struct db_value p[2] = { dbv_text(token_hash), dbv_text(now) };
	struct session_ctx sc = { 0, csrf, csrflen };

	if (store_query(s, "SELECT s.user_id, s.csrf FROM session s JOIN app_user u "
	    "ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ? AND "
	    "COALESCE(u.active, 1) = 1", p, 2, session_row, &sc, e) != 0)
		return -1;
	return sc.user_id;
}

int
store_session_delete(struct store *s, const char *token_hash)
{
	struct db_value p = dbv_text(token_hash);

	return store_query(s, "DELETE FROM session WHERE token_hash = ?", &p, 1,
	    NULL, NULL, NULL);
}

int
store_token_put(struct store *s, const char *token_hash, int64_t user_id,
    const char *label, struct err *e)
{
	struct db_value p[4];
	char now[32];

	clock_timestamp(now);
	p[0] = dbv_text(token_hash);
	p[1] = dbv_int(user_id);
	p[2] = dbv_text(label);
	p[3] = dbv_text(now);
	return store_query(s, "INSERT INTO api_token (token_hash, user_id, label, "
	    "created_at) VALUES (?, ?, ?, ?)", p, 4, NULL, NULL, e);
}

int64_t
store_token_get(struct store *s, const char *token_hash, struct err *e)
{
	struct db_value p = dbv_text(token_hash);
	struct id_ctx ic = { 0, 0 };

	if (store_query(s, "SELECT t.user_id FROM api_token t JOIN app_user u ON "
	    "u.id = t.user_id WHERE t.token_hash = ? AND COALESCE(u.active, 1) = 1",
	    &p, 1, first_int, &ic, e) != 0)
		return -1;
	return ic.found ? ic.id : 0;
}

bool
store_unit_within(struct store *s, int64_t unit, int64_t scope)
{
	struct db_value p[3] = { dbv_int(unit), dbv_int(scope), dbv_int(scope) };
	struct id_ctx ic = { 0, 0 };

	if (unit <= 0 || scope <= 0)
		return false;
	if (store_query(s, "WITH RECURSIVE up(uid) AS ("
	    " SELECT ? UNION SELECT a.parent_id FROM admin_unit a JOIN up"
	    " ON a.id = up.uid WHERE a.parent_id IS NOT NULL)"
	    " SELECT 1 FROM up WHERE uid = ? OR uid IN"
	    " (SELECT old_unit_id FROM unit_lineage WHERE new_unit_id = ?) LIMIT 1",
	    p, 3, first_int, &ic, NULL) != 0)
		return false;
	return ic.found != 0;
}
