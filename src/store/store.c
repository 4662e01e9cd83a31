/*
 * store.c - engine-independent half of the store: SQL built from the
 * registry, records converted between JSON and bound values, migrations and
 * transactions.  Backends only run the statements (store_int.h).
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/embedded.h"
#include "store/store_int.h"
#include "text/text.h"

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
	size_t i;

	if (s == NULL)
		return;
	if (s->tx_depth > 0)
		s->ops->rollback(s->conn);
	s->ops->close(s->conn);
	for (i = 0; s->insert_sql != NULL && i < registry_count; i++)
		free(s->insert_sql[i]);
	for (i = 0; s->get_sql != NULL && i < registry_count; i++)
		free(s->get_sql[i]);
	free(s->insert_sql);
	free(s->get_sql);
	free(s->refs.keys);
	free(s);
}

const char *
store_engine(const struct store *s)
{
	return s->ops->engine;
}

/* ---- data version (answer caches) ----------------------------------------- */

/* Bumped after every write through any store of this process; caches
 * (cache.h) serve an answer only at the version it was computed at. */
static _Atomic uint64_t data_version = 1;

void
store_data_changed(void)
{
	atomic_fetch_add(&data_version, 1);
}

/* Does a statement run outside a transaction only read?  Anything not
 * known to be a read counts as a write (a needless bump only costs a cache
 * miss; a missed one would serve a stale answer). */
static bool
reads_only(const char *sql)
{
	if (strncmp(sql, "SELECT ", 7) == 0 || strncmp(sql, "PRAGMA data_version", 19) == 0)
		return true;
	return strncmp(sql, "WITH ", 5) == 0 && strstr(sql, "INSERT") == NULL &&
	    strstr(sql, "UPDATE") == NULL && strstr(sql, "DELETE") == NULL;
}

struct version_ctx {
	uint64_t h;
	bool found;
};

static int
version_row(void *ctx, int n, const struct db_value *c)
{
	struct version_ctx *vc = ctx;
	const char *t;

	if (n < 1)
		return 1;
	vc->found = true;
	if (c[0].type == DB_INT) {
		vc->h = (uint64_t)c[0].i;
	} else if (c[0].type == DB_TEXT) {
		vc->h = 1469598103934665603ull; /* FNV-1a of the text */
		for (t = c[0].s; *t; t++)
			vc->h = (vc->h ^ (unsigned char)*t) * 1099511628211ull;
	} else {
		vc->found = false;
	}
	return 1;
}

uint64_t
store_data_version(struct store *s)
{
	struct version_ctx vc = { 0, false };

	if (s->request_looked)
		return atomic_load(&data_version);
	/* a connection checks what others committed since it last looked; the
	 * first look, or one that fails, counts as a change */
	if (s->ops->data_version_sql != NULL)
		s->stats.statements++;
	if (s->ops->data_version_sql == NULL || s->ops->query(s->conn,
	    s->ops->data_version_sql, NULL, 0, version_row, &vc, NULL) != 0 ||
	    !vc.found || !s->seen_set || vc.h != s->seen_data)
		store_data_changed();
	s->seen_data = vc.h;
	s->seen_set = vc.found;
	s->request_looked = s->in_request;
	return atomic_load(&data_version);
}

void
store_request_start(struct store *s)
{
	s->in_request = true;
	s->request_looked = false;
}

/* ---- streaming replication ---------------------------------------------- */

struct replica_ctx {
	int64_t v[3];
	double lag;
	int n;
};

static int
replica_row(void *ctx, int n, const struct db_value *c)
{
	struct replica_ctx *rc = ctx;
	int i;

	for (i = 0; i < n && i < 3; i++) {
		if (c[i].type == DB_INT)
			rc->v[i] = c[i].i;
		else if (c[i].type == DB_REAL)
			rc->lag = c[i].d;
	}
	rc->n = n;
	return 1;
}

int
store_wal_position(struct store *s, uint64_t *lsn, struct err *e)
{
	struct replica_ctx rc = { { 0, 0, 0 }, 0, 0 };

	*lsn = 0;
	if (s->ops->wal_position_sql == NULL)
		return 1;
	if (store_query(s, s->ops->wal_position_sql, NULL, 0, replica_row, &rc, e) != 0)
		return -1;
	if (rc.n < 1)
		return err_set(e, ERR_DB, "máy chủ không cho biết vị trí nhật ký ghi");
	*lsn = (uint64_t)rc.v[0];
	return 0;
}

int
store_replica_status(struct store *s, struct store_replica_status *st,
    struct err *e)
{
	struct replica_ctx rc = { { 0, 0, 0 }, 0, 0 };

	memset(st, 0, sizeof(*st));
	if (s->ops->replica_status_sql == NULL)
		return 1;
	if (store_query(s, s->ops->replica_status_sql, NULL, 0, replica_row, &rc,
	    e) != 0)
		return -1;
	if (rc.n < 3)
		return err_set(e, ERR_DB, "máy chủ không cho biết trạng thái bản sao");
	st->standby = rc.v[0] != 0;
	st->replayed = (uint64_t)rc.v[1];
	st->lag_s = rc.lag > 0 ? rc.lag : 0;
	return 0;
}

void
store_stats_get(const struct store *s, struct store_stats *out)
{
	*out = s->stats;
}

void
store_stats_reset(struct store *s)
{
	memset(&s->stats, 0, sizeof(s->stats));
}

/* The caller's row callback with the row counted (store_stats). */
struct counted_rows {
	struct store *s;
	db_row_fn fn;
	void *ctx;
};

static int
counted_row(void *ctx, int ncols, const struct db_value *cols)
{
	struct counted_rows *cr = ctx;

	cr->s->stats.rows++;
	return cr->fn(cr->ctx, ncols, cols);
}

int
store_query(struct store *s, const char *sql, const struct db_value *p,
    size_t np, db_row_fn fn, void *ctx, struct err *e)
{
	struct counted_rows cr = { s, fn, ctx };
	int rc;

	s->stats.statements++;
	rc = s->ops->query(s->conn, sql, p, np, fn ? counted_row : NULL,
	    fn ? (void *)&cr : ctx, e);

	/* inside a transaction the commit or rollback bumps */
	if (s->tx_depth == 0 && !reads_only(sql))
		store_data_changed();
	return rc;
}

/* ---- remembered reference checks (bulk loads) ---------------------------- */

static void
ref_cache_clear(struct store *s)
{
	if (s->refs.keys != NULL && s->refs.nkeys > 0)
		memset(s->refs.keys, 0, STORE_REF_CACHE_SLOTS * sizeof(uint64_t));
	s->refs.nkeys = 0;
	s->refs.nents = 0;
	s->refs.tainted = false;
}

/* Remember that answers about ent's records are cached; false when too
 * many entities are (then nothing more is cached). */
static bool
ref_cache_entity(struct store *s, const void *ent)
{
	size_t i;

	for (i = 0; i < s->refs.nents; i++)
		if (s->refs.ents[i] == ent)
			return true;
	if (s->refs.nents >= REF_CACHE_ENTITIES)
		return false;
	s->refs.ents[s->refs.nents++] = ent;
	return true;
}

/* An insert into an entity the cache answers for: a later rollback may
 * undo a record the cache has seen. */
static void
ref_cache_inserted(struct store *s, const void *ent)
{
	size_t i;

	for (i = 0; s->refs_on && i < s->refs.nents; i++)
		if (s->refs.ents[i] == ent)
			s->refs.tainted = true;
}

void
store_ref_cache(struct store *s, bool on)
{
	ref_cache_clear(s);
	if (on && s->refs.keys == NULL)
		s->refs.keys = calloc(STORE_REF_CACHE_SLOTS, sizeof(uint64_t));
	s->refs_on = on && s->refs.keys != NULL;
}

/* A key never 0 (the empty slot) for an answer already seen. */
static uint64_t
ref_key(const void *what, int64_t id, const char *catalog, const char *code)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	uintptr_t w = (uintptr_t)what;
	size_t i;

	for (i = 0; i < sizeof(w); i++, w >>= 8)
		h = (h ^ (w & 0xff)) * 1099511628211ull;
	for (i = 0; i < sizeof(id); i++)
		h = (h ^ (((uint64_t)id >> (8 * i)) & 0xff)) * 1099511628211ull;
	/* the catalog's name, a separator no code holds, the code */
	for (; catalog != NULL && *catalog; catalog++)
		h = (h ^ (unsigned char)*catalog) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (; code != NULL && *code; code++)
		h = (h ^ (unsigned char)*code) * 1099511628211ull;
	return h != 0 ? h : 1;
}

/* Find (add == false) or add the key; true when it was there.  A 64-bit
 * hash stands for the key: a collision among the few thousand references
 * of one load is far less likely than a disk error, and the foreign keys
 * of the database still check every reference. */
static bool
ref_cache_probe(struct store *s, uint64_t k, bool add)
{
	size_t i, n;

	if (!s->refs_on)
		return false;
	for (i = k % STORE_REF_CACHE_SLOTS, n = 0; n < STORE_REF_CACHE_SLOTS;
	    n++, i = (i + 1) % STORE_REF_CACHE_SLOTS) {
		if (s->refs.keys[i] == k)
			return true;
		if (s->refs.keys[i] == 0) {
			/* keep the table at most half full so probes stay short */
			if (add && s->refs.nkeys < STORE_REF_CACHE_SLOTS / 2) {
				s->refs.keys[i] = k;
				s->refs.nkeys++;
			}
			return false;
		}
	}
	return false;
}

/* The statement text of an entity cached on the store, or NULL. */
static char **
sql_slot(char ***table, const struct entity_def *ent)
{
	size_t i;

	if (*table == NULL && (*table = calloc(registry_count, sizeof(char *))) == NULL)
		return NULL;
	for (i = 0; i < registry_count; i++)
		if (registry[i] == ent)
			return &(*table)[i];
	return NULL; /* an entity outside the registry (tests): not cached */
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
		s->stats.statements++;
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
	s->stats.statements++;
	if (s->ops->commit(s->conn, e) != 0) {
		s->ops->rollback(s->conn);
		store_data_changed();
		return -1;
	}
	/* after the commit: an answer computed before it is stamped with the
	 * old version, and nobody is told "done" before the bump */
	store_data_changed();
	return 0;
}

void
store_rollback(struct store *s)
{
	if (s->tx_depth <= 0)
		return;
	/* an undone insert may be a record the cache has seen */
	if (s->refs.tainted)
		ref_cache_clear(s);
	if (--s->tx_depth > 0) {
		savepoint(s, "ROLLBACK TO", s->tx_depth, NULL);
		savepoint(s, "RELEASE", s->tx_depth, NULL);
		return;
	}
	s->stats.statements++;
	s->ops->rollback(s->conn);
	store_data_changed(); /* nothing changed, but cheaper than knowing */
}

/* ---- rows collected into JSON ------------------------------------------ */

/* A query whose rows are collected into a JSON array (collect). */
struct collect_ctx {
	json_t *rows;
	bool oom; /* a row could not be kept: the query fails (none is lost) */
	const struct entity_def *ent; /* select_row's records */
};

/* Keep v (NULL: a constructor failed); non-zero stops the query. */
static int
collect_append(struct collect_ctx *cc, json_t *v)
{
	if (json_array_append_new(cc->rows, v) != 0) {
		cc->oom = true;
		return 1;
	}
	return 0;
}

/* Run sql with fn collecting its rows into a new array (NULL, e set, on
 * failure). */
static json_t *
collect(struct store *s, const char *sql, const struct db_value *p, size_t np,
    db_row_fn fn, const struct entity_def *ent, struct err *e)
{
	struct collect_ctx cc = { json_array(), false, ent };

	if (cc.rows == NULL) {
		err_nomem(e);
		return NULL;
	}
	if (store_query(s, sql, p, np, fn, &cc, e) != 0 || cc.oom) {
		if (cc.oom)
			err_nomem(e);
		json_decref(cc.rows);
		return NULL;
	}
	return cc.rows;
}

/* ---- migrations --------------------------------------------------------- */

static int
collect_names(void *ctx, int n, const struct db_value *c)
{
	if (n > 0 && c[0].type == DB_TEXT)
		return collect_append(ctx, json_string(c[0].s));
	return 0;
}

json_t *
store_migrations_applied(struct store *s, struct err *e)
{
	/* a name lost would apply its migration again */
	return collect(s, "SELECT name FROM schema_migration ORDER BY name",
	    NULL, 0, collect_names, NULL, e);
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
store_analyze(struct store *s, struct err *e)
{
	return s->ops->exec_script(s->conn, "ANALYZE", e);
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
		char *part = store_ddl_engine_part(m->data, s->ops->engine);
		if (part == NULL) {
			err_set(e, ERR_INTERNAL, "migration %s: hết bộ nhớ", m->name);
			goto fail;
		}
		if (store_begin(s, e) != 0) {
			free(part);
			goto fail;
		}
		if (s->ops->exec_script(s->conn, part, e) != 0) {
			free(part);
			store_rollback(s);
			err_prefix(e, "migration %s: ", m->name);
			goto fail;
		}
		free(part);
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

/* Set a column of a row being built; false when out of memory (jansson
 * takes a NULL value without complaint and the record would lack it). */
static bool
set_col(json_t *rec, const char *name, const struct db_value *v,
    enum field_type t)
{
	return json_object_set_new(rec, name, value_to_json(v, t)) == 0;
}

static int
select_row(void *ctx, int n, const struct db_value *c)
{
	struct collect_ctx *cc = ctx;
	const struct entity_def *ent = cc->ent;
	json_t *rec;
	size_t i;
	int col = COMMON_NCOLS;
	bool ok;

	if (n < COMMON_NCOLS)
		return 1;
	rec = json_object();
	ok = set_col(rec, "id", &c[0], FT_INTEGER) &&
	    set_col(rec, "version", &c[1], FT_INTEGER) &&
	    set_col(rec, "created_at", &c[2], FT_TEXT) &&
	    set_col(rec, "updated_at", &c[3], FT_TEXT) &&
	    set_col(rec, COMMON_ILLUSTRATIVE, &c[4], FT_BOOLEAN);
	for (i = 0; ok && i < ent->nfields && col < n; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!field_selected(f))
			continue;
		ok = set_col(rec, f->name, &c[col], f->type);
		col++;
	}
	if (!ok) {
		json_decref(rec);
		rec = NULL;
	}
	return collect_append(cc, rec);
}

json_t *
store_select(struct store *s, const struct entity_def *ent, const char *tail,
    const struct db_value *p, size_t np, struct err *e)
{
	json_t *rows;
	struct buf sql;

	buf_init(&sql, SQL_MAX);
	buf_adds(&sql, "SELECT ");
	add_select_cols(&sql, ent);
	buf_addf(&sql, " FROM %s %s", ent->name, tail ? tail : "");
	if (buf_failed(&sql)) {
		buf_free(&sql);
		err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
		return NULL;
	}
	rows = collect(s, buf_str(&sql), p, np, select_row, ent, e);
	buf_free(&sql);
	return rows;
}

json_t *
store_get(struct store *s, const struct entity_def *ent, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);
	char **slot = sql_slot(&s->get_sql, ent);
	json_t *rows, *rec;

	if (slot != NULL && *slot == NULL) {
		struct buf sql;
		buf_init(&sql, SQL_MAX);
		buf_adds(&sql, "SELECT ");
		add_select_cols(&sql, ent);
		buf_addf(&sql, " FROM %s WHERE id = ?", ent->name);
		*slot = buf_failed(&sql) ? NULL : buf_take(&sql);
		buf_free(&sql);
	}
	if (slot != NULL && *slot != NULL) {
		rows = collect(s, *slot, &p, 1, select_row, ent, e);
	} else {
		rows = store_select(s, ent, "WHERE id = ?", &p, 1, e);
	}
	if (rows == NULL)
		return NULL;
	rec = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (rec == NULL) {
		char lc[256];
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		err_set(e, ERR_NOT_FOUND, "không tìm thấy %s số %lld", lc, (long long)id);
	}
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

char *
store_search_key_texts(const struct entity_def *ent, const char *const *text)
{
	struct buf b;
	size_t i;
	char *k;

	buf_init(&b, TEXT_LONG_MAX * 4);
	for (i = 0; i < ent->nfields; i++) {
		if (!(ent->fields[i].flags & F_SEARCH) || text[i] == NULL)
			continue;
		k = text_fold(text[i]);
		if (k == NULL) {
			buf_free(&b);
			return NULL;
		}
		/* a key over the cap keeps its first fields: so buf_failed
		 * below means out of memory */
		if (b.len + 1 + strlen(k) <= b.max) {
			if (b.len > 0)
				buf_addc(&b, ' ');
			buf_adds(&b, k);
		}
		free(k);
	}
	if (buf_failed(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* The search key of a record as JSON (its string values). */
static char *
search_key(const struct entity_def *ent, const json_t *rec)
{
	const char *text[SQL_PARAMS_MAX];
	size_t i;

	for (i = 0; i < ent->nfields && i < SQL_PARAMS_MAX; i++)
		text[i] = json_string_value(json_object_get(rec, ent->fields[i].name));
	return store_search_key_texts(ent, text);
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

void
store_conflict_named(const struct entity_def *ent, struct err *e)
{
	const char *key = ent->unique_sql != NULL ? ent->unique_sql : "";
	size_t i;

	if (e == NULL || e->code != ERR_CONFLICT || strstr(e->msg, "trùng") == NULL)
		return;
	for (i = 0; ent->unique_sql == NULL && i < ent->nfields; i++)
		if (ent->fields[i].flags & F_UNIQUE) {
			key = ent->fields[i].label;
			break;
		}
	err_set(e, ERR_CONFLICT, "%s đã có bản ghi trùng khóa (%s)", ent->label, key);
}

/* Insert one row: vals one per field of ent (strings stay the caller's). */
static int
insert_values(struct store *s, const struct entity_def *ent,
    const struct db_value *vals, bool illustrative, int64_t *id, struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	const char *text[SQL_PARAMS_MAX];
	struct id_ctx ic = { 0, 0 };
	struct buf sql;
	char now[32], *key;
	size_t i, np = 0;
	int rc;

	char **slot = sql_slot(&s->insert_sql, ent);
	const char *stmt;

	if (ent->nfields + 4 > SQL_PARAMS_MAX)
		return err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	for (i = 0; i < ent->nfields; i++)
		text[i] = vals[i].type == DB_TEXT ? vals[i].s : NULL;
	clock_timestamp(now);
	if ((key = store_search_key_texts(ent, text)) == NULL)
		return err_nomem(e);
	buf_init(&sql, SQL_MAX);
	buf_addf(&sql, "INSERT INTO %s (version, created_at, updated_at, "
	    "illustrative, search_key", ent->name);
	p[np++] = dbv_text(now);
	p[np++] = dbv_text(now);
	p[np++] = dbv_int(illustrative);
	p[np++] = dbv_text(key);
	for (i = 0; i < ent->nfields; i++)
		p[np++] = vals[i];
	/* the text depends only on the entity: built on the first insert */
	stmt = slot != NULL ? *slot : NULL;
	if (stmt == NULL) {
		for (i = 0; i < ent->nfields; i++)
			buf_addf(&sql, ", %s", ent->fields[i].name);
		buf_adds(&sql, ") VALUES (1, ?, ?, ?, ?");
		for (i = 4; i < np; i++)
			buf_adds(&sql, ", ?");
		buf_adds(&sql, ") RETURNING id");
		if (!buf_failed(&sql) && slot != NULL)
			stmt = *slot = buf_take(&sql);
		else if (!buf_failed(&sql))
			stmt = buf_str(&sql);
	}
	if (stmt == NULL) {
		rc = err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	} else {
		rc = store_query(s, stmt, p, np, first_int, &ic, e);
		if (rc == 0 && !ic.found)
			rc = err_set(e, ERR_DB, "không ghi được %s", ent->label);
		if (rc != 0)
			store_conflict_named(ent, e);
	}
	if (rc == 0 && id != NULL)
		*id = ic.id;
	if (rc == 0)
		ref_cache_inserted(s, ent);
	buf_free(&sql);
	free(key);
	return rc;
}

int
store_insert(struct store *s, const struct entity_def *ent, const json_t *rec,
    int64_t *id, struct err *e)
{
	struct db_value vals[SQL_PARAMS_MAX];
	size_t i;

	for (i = 0; i < ent->nfields && i < SQL_PARAMS_MAX; i++)
		vals[i] = json_to_value(json_object_get(rec, ent->fields[i].name));
	return insert_values(s, ent, vals,
	    json_is_true(json_object_get(rec, COMMON_ILLUSTRATIVE)), id, e);
}

size_t
store_audit_values(const struct entity_def *audit, const struct store_audit *a,
    const char *at, struct db_value *out)
{
	size_t i;

	for (i = 0; i < audit->nfields; i++) {
		struct db_value v = { DB_NULL, 0, 0, NULL };
		switch ((enum field_id)(ENT_AUDIT_LOG << FLD_ENTITY_SHIFT | i)) {
		case FLD_AUDIT_LOG_AT:
			v = dbv_text(at);
			break;
		case FLD_AUDIT_LOG_USER_ID:
			if (a->user_id > 0)
				v = dbv_int(a->user_id);
			break;
		case FLD_AUDIT_LOG_ACTOR:
			v = dbv_text(a->actor);
			break;
		case FLD_AUDIT_LOG_ACTION:
			v = dbv_text(a->action);
			break;
		case FLD_AUDIT_LOG_ENTITY:
			v = dbv_text(a->entity);
			break;
		case FLD_AUDIT_LOG_RECORD_ID:
			v = dbv_int(a->record_id);
			break;
		case FLD_AUDIT_LOG_BEFORE_JSON:
			v = dbv_text(a->before_json);
			break;
		case FLD_AUDIT_LOG_AFTER_JSON:
			v = dbv_text(a->after_json);
			break;
		default:
			break;
		}
		out[i] = v;
	}
	return audit->nfields;
}

int
store_audit_append(struct store *s, const struct store_audit *a, struct err *e)
{
	const struct entity_def *audit = entity_of(ENT_AUDIT_LOG);
	struct db_value vals[SQL_PARAMS_MAX];
	char at[CLOCK_TIMESTAMP_LEN];

	if (audit == NULL || audit->nfields > SQL_PARAMS_MAX)
		return err_set(e, ERR_INTERNAL, "không có nhật ký thao tác");
	clock_timestamp(at);
	store_audit_values(audit, a, at, vals);
	return insert_values(s, audit, vals, false, NULL, e);
}

/* Distinguish "no such record" from "someone changed it first". */
static int
missing_or_stale(struct store *s, const struct entity_def *ent, int64_t id,
    struct err *e)
{
	char lc[256];

	text_label_in_sentence(ent->label, lc, sizeof(lc));
	if (!store_exists(s, ent, id))
		return err_set(e, ERR_NOT_FOUND, "không tìm thấy %s số %lld", lc,
		    (long long)id);
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

	ref_cache_clear(s); /* a catalog item's code may change */
	cur = store_get(s, ent, id, e);
	if (cur == NULL)
		return -1;
	merged = json_deep_copy(cur);
	key = merged != NULL && json_object_update_existing(merged,
	    (json_t *)rec) == 0 ? search_key(ent, merged) : NULL;
	json_decref(cur);
	if (key == NULL) {
		json_decref(merged);
		return err_nomem(e);
	}
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
	ref_cache_clear(s);
	rc = store_query(s, sql, p, np, first_int, &ic, e);
	if (rc != 0 && e != NULL && e->code == ERR_CONFLICT)
		return err_set(e, ERR_CONFLICT, "không xóa được %s số %lld vì còn "
		    "bản ghi khác tham chiếu đến nó", ent->label, (long long)id);
	if (rc == 0 && !ic.found)
		rc = missing_or_stale(s, ent, id, e);
	return rc;
}

int
store_exists_checked(struct store *s, const struct entity_def *ent, int64_t id,
    struct err *e)
{
	struct db_value p = dbv_int(id);
	struct id_ctx ic = { 0, 0 };
	uint64_t k = ref_key(ent, id, NULL, NULL);
	char sql[160];

	if (ref_cache_probe(s, k, false))
		return 1;
	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE id = ?", ent->name);
	if (store_query(s, sql, &p, 1, first_int, &ic, e) != 0)
		return -1;
	if (ic.found && s->refs_on && ref_cache_entity(s, ent))
		ref_cache_probe(s, k, true);
	return ic.found != 0;
}

bool
store_exists(struct store *s, const struct entity_def *ent, int64_t id)
{
	return store_exists_checked(s, ent, id, NULL) == 1;
}

int
store_catalog_has_checked(struct store *s, const char *catalog,
    const char *code, struct err *e)
{
	struct db_value p[2] = { dbv_text(catalog), dbv_text(code) };
	struct id_ctx ic = { 0, 0 };
	uint64_t k = ref_key(NULL, 0, catalog, code);

	if (ref_cache_probe(s, k, false))
		return 1;
	if (store_query(s, "SELECT id FROM catalog_item WHERE catalog = ? AND "
	    "code = ?", p, 2, first_int, &ic, e) != 0)
		return -1;
	if (ic.found && s->refs_on &&
	    ref_cache_entity(s, entity_of(ENT_CATALOG_ITEM)))
		ref_cache_probe(s, k, true);
	return ic.found != 0;
}

bool
store_catalog_has(struct store *s, const char *catalog, const char *code)
{
	return store_catalog_has_checked(s, catalog, code, NULL) == 1;
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
	[OP_WITHIN] = " IN ",
};

const struct field_def *
store_unit_field_of(const struct entity_def *ent)
{
	enum field_id ou = entity_behaviour(ent)->org_unit;
	size_t i;

	if (ou != FLD_NONE)
		return field_of(ou);
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (f->type == FT_REF && (f->flags & F_SCOPE) && f->arg != NULL &&
		    strcmp(f->arg, entity_of(ENT_ADMIN_UNIT)->name) == 0)
			return f;
	}
	return NULL;
}

/* Here, below store_units.c and the list filters that both use it. */
const char *
store_subtree_sql(const struct store *s)
{
	return s->ops->subtree_sql != NULL ? s->ops->subtree_sql : STORE_SUBTREE_SQL;
}

/* " IN (units within ?)" for a reference field, directly to units or
 * through the referenced entity's unit field; -1 when the field refers
 * to neither. */
static int
within_filter(struct store *s, struct buf *where, const struct entity_def *ent,
    const char *field,
    const json_t *unit, struct db_value *p, size_t *np)
{
	const struct field_def *f = entity_field(ent, field), *uf;
	const struct entity_def *t;

	if (f == NULL || f->type != FT_REF || (t = registry_find(f->arg)) == NULL ||
	    !json_is_integer(unit))
		return -1;
	if (t->id == ENT_ADMIN_UNIT) {
		buf_addf(where, " AND %s IN %s", field, store_subtree_sql(s));
	} else if ((uf = store_unit_field_of(t)) != NULL) {
		buf_addf(where, " AND %s IN (SELECT id FROM %s WHERE %s IN %s)",
		    field, t->name, uf->name, store_subtree_sql(s));
	} else {
		return -1;
	}
	p[(*np)++] = dbv_int(json_integer_value(unit));
	return 0;
}

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

/* The confidential field of an entity, when it has one (incidents):
 * "confidential FIELD" in schema/entities.txt. */
static const struct field_def *
confidential_field(const struct entity_def *ent)
{
	return field_of(entity_behaviour(ent)->confidential);
}

/* A file attached to a record of any entity ("attached ENTITY_FIELD
 * ID_FIELD"): the two fields, or NULL. */
static const struct entity_behaviour *
attached_file(const struct entity_def *ent)
{
	const struct entity_behaviour *bh = entity_behaviour(ent);

	return bh->attached_entity != FLD_NONE ? bh : NULL;
}

/* Whether records of ent can be hidden from a reader without clearance:
 * it has the confidential flag, is owned (F_OWNER) by such a record, or is
 * a file attached to a record (owner_entity/owner_id). */
static bool
may_be_confidential(const struct entity_def *ent, int depth)
{
	size_t i;

	if (confidential_field(ent) != NULL)
		return true;
	if (depth > CONFIDENTIAL_DEPTH_MAX)
		return false;
	if (attached_file(ent) != NULL)
		return true;
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const struct entity_def *t;
		if (f->type == FT_REF && (f->flags & F_OWNER) &&
		    (t = registry_find(f->arg)) != NULL && may_be_confidential(t, depth + 1))
			return true;
	}
	return false;
}

/* A log of other records' events ("log ENTITY_FIELD ID_FIELD": workflow
 * history, audit log): the two fields, or NULL. */
static const struct entity_behaviour *
record_log(const struct entity_def *ent)
{
	const struct entity_behaviour *bh = entity_behaviour(ent);

	return bh->log_entity != FLD_NONE ? bh : NULL;
}

/* " OR "-joined conditions, never NULL, true for a row of ent that does not
 * exist for a reader without clearance; returns how many were added. */
static int
hidden_terms(struct buf *b, const struct entity_def *ent, int depth)
{
	const struct field_def *conf = confidential_field(ent);
	const struct entity_behaviour *file = attached_file(ent), *log = record_log(ent);
	size_t i, j;
	int n = 0;

#define TERM() (n++ > 0 ? buf_adds(b, " OR ") : (void)0)
	if (conf != NULL) {
		TERM();
		buf_addf(b, "COALESCE(%s, 0) = 1", conf->name);
	}
	if (depth > CONFIDENTIAL_DEPTH_MAX)
		return n;
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const struct entity_def *t;
		if (f->type != FT_REF || !(f->flags & F_OWNER) ||
		    (t = registry_find(f->arg)) == NULL || !may_be_confidential(t, depth + 1))
			continue;
		TERM();
		buf_addf(b, "COALESCE(%s, 0) IN (SELECT id FROM %s WHERE ", f->name, t->name);
		hidden_terms(b, t, depth + 1);
		buf_adds(b, ")");
	}
	/* a file attached to a hidden record */
	if (file != NULL) {
		for (j = 0; j < registry_count; j++) {
			const struct entity_def *t = registry[j];
			if (t == ent || !may_be_confidential(t, depth + 1))
				continue;
			TERM();
			buf_addf(b, "(COALESCE(%s, '') = '%s' AND COALESCE(%s, 0) "
			    "IN (SELECT id FROM %s WHERE ", field_name(file->attached_entity),
			    t->name, field_name(file->attached_id), t->name);
			hidden_terms(b, t, depth + 1);
			buf_adds(b, "))");
		}
	}
	/* the history and audit entries of a hidden record - and of a deleted
	 * one that may have been hidden (nothing left tells), and any entry
	 * whose record was confidential when written (its JSON says so) */
	if (log != NULL) {
		const char *le = field_name(log->log_entity), *lid = field_name(log->log_id);
		for (j = 0; j < registry_count; j++) {
			const struct entity_def *t = registry[j];
			const struct field_def *tconf = confidential_field(t);
			size_t k;
			if (!may_be_confidential(t, depth + 1))
				continue;
			TERM();
			buf_addf(b, "(%s = '%s' AND (%s IN (SELECT id FROM %s "
			    "WHERE ", le, t->name, lid, t->name);
			hidden_terms(b, t, depth + 1);
			buf_addf(b, ") OR %s NOT IN (SELECT id FROM %s)", lid, t->name);
			/* (the entity is compared first: the text is searched only
			 * in the entries of records that have the flag) */
			for (k = 0; k < 2 && tconf != NULL; k++) {
				const char *col = field_name(k == 0 ?
				    FLD_AUDIT_LOG_BEFORE_JSON : FLD_AUDIT_LOG_AFTER_JSON);
				if (ent->id == ENT_AUDIT_LOG)
					buf_addf(b, " OR COALESCE(%s, '') LIKE "
					    "'%%\"%s\":true%%'", col, tconf->name);
			}
			buf_adds(b, "))");
		}
	}
#undef TERM
	if (n == 0 && depth > 0)
		buf_adds(b, "1 = 0");
	return n;
}

/* Without clearance, confidential records do not exist - nor do records
 * owned by one (an incident's shares), files attached to one, or their
 * entries in the workflow history and the audit log. */
void
store_confidential_clauses(struct buf *where, const struct entity_def *ent)
{
	struct buf terms;

	buf_init(&terms, SQL_MAX);
	if (hidden_terms(&terms, ent, 0) > 0)
		buf_addf(where, " AND NOT (%s)", buf_str(&terms));
	if (buf_failed(&terms))
		buf_adds(where, " AND 1 = 0"); /* never show more than allowed */
	buf_free(&terms);
}

bool
store_may_be_confidential(const struct entity_def *ent)
{
	return may_be_confidential(ent, 0) || record_log(ent) != NULL;
}

int
store_exists_visible(struct store *s, const struct entity_def *ent, int64_t id,
    bool see_confidential, struct err *e)
{
	struct db_value p = dbv_int(id);
	struct id_ctx ic = { 0, 0 };
	struct buf sql;
	int rc;

	if (see_confidential || !store_may_be_confidential(ent))
		return store_exists_checked(s, ent, id, e);
	buf_init(&sql, SQL_MAX);
	buf_addf(&sql, "SELECT id FROM %s WHERE id = ?", ent->name);
	store_confidential_clauses(&sql, ent);
	if (buf_failed(&sql))
		rc = err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
	else
		rc = store_query(s, buf_str(&sql), &p, 1, first_int, &ic, e);
	buf_free(&sql);
	return rc != 0 ? -1 : ic.found != 0;
}

int
store_record_creator(struct store *s, const struct entity_def *ent, int64_t id,
    int64_t *user_id, struct err *e)
{
	struct db_value p[2] = { dbv_text(ent->name), dbv_int(id) };
	struct id_ctx ic = { 0, 0 };

	*user_id = 0;
	/* the last one: SQLite may give a deleted record's id again */
	if (store_query(s, "SELECT user_id FROM audit_log WHERE entity = ? AND "
	    "record_id = ? AND action = 'create' ORDER BY id DESC LIMIT 1", p, 2,
	    first_int, &ic, e) != 0)
		return -1;
	*user_id = ic.found ? ic.id : 0;
	return 0;
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
		if (!known_column(ent, lf->field) || lf->op > OP_WITHIN) {
			err_set(e, ERR_BAD_REQUEST, "không lọc được theo trường '%s'",
			    lf->field);
			goto out;
		}
		if (lf->op == OP_WITHIN) {
			if (np + 2 > SQL_PARAMS_MAX || within_filter(s, &where, ent, lf->field,
			    lf->value, p, &np) != 0) {
				err_set(e, ERR_BAD_REQUEST, "không lọc được theo địa bàn của "
				    "trường '%s'", lf->field);
				goto out;
			}
			continue;
		}
		buf_addf(&where, " AND %s%s", lf->field, op_sql[lf->op]);
		if (lf->op != OP_NULL && lf->op != OP_NOTNULL)
			p[np++] = json_to_value(lf->value);
	}
	if (!q->see_confidential)
		store_confidential_clauses(&where, ent);
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
	if (buf_nomem(&where) || buf_nomem(&pattern)) {
		err_nomem(e);
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
	if (q->sort != NULL && *q->sort != '\0') {
		/* text in Vietnamese order ("Ủy ban" among the U's), the same
		 * on both engines (db_ops.text_order) */
		const struct field_def *sf = entity_field(ent, q->sort);
		bool text = sf != NULL && sf->type == FT_TEXT && s->ops->text_order;
		buf_addf(&tail, "%s ORDER BY %s %s %s, id %s LIMIT ? OFFSET ?",
		    buf_str(&where), q->sort, text ? s->ops->text_order : "",
		    q->desc ? "DESC" : "ASC", q->desc ? "DESC" : "ASC");
	}
	else {
		buf_addf(&tail, "%s ORDER BY id %s LIMIT ? OFFSET ?", buf_str(&where),
		    q->desc ? "DESC" : "ASC");
	}
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
	int rc;

	if (out == NULL) {
		err_nomem(e);
		return NULL;
	}
	page.limit = LIST_LIMIT_MAX;
	page.offset = 0;
	for (;;) {
		if (store_list(s, ent, &page, &rows, NULL, e) != 0) {
			json_decref(out);
			return NULL;
		}
		rc = json_array_extend(out, rows);
		n = json_array_size(rows);
		json_decref(rows);
		if (rc != 0) {
			json_decref(out);
			err_nomem(e);
			return NULL;
		}
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
		return collect_append(ctx, json_integer(c[0].i));
	return 0;
}

int
store_reindex(struct store *s, const struct entity_def *ent, struct err *e)
{
	json_t *ids, *idv;
	char sql[256];
	size_t i;
	int rc = 0;

	snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE search_key IS NULL",
	    ent->name);
	if ((ids = collect(s, sql, NULL, 0, collect_ids, NULL, e)) == NULL)
		return -1;
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
		rc = key != NULL ? store_query(s, sql, p, 2, NULL, NULL, e) :
		    err_nomem(e);
		free(key);
		json_decref(rec);
		if (rc != 0)
			break;
	}
	json_decref(ids);
	return rc;
}

json_t *
store_distinct_text(struct store *s, const struct entity_def *ent,
    const char *field, struct err *e)
{
	const struct field_def *f = entity_field(ent, field);
	char sql[256];

	if (f == NULL || f->type != FT_TEXT) {
		err_set(e, ERR_INTERNAL, "%s không có trường văn bản '%s'", ent->label,
		    field);
		return NULL;
	}
	snprintf(sql, sizeof(sql), "SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL",
	    f->name, ent->name, f->name);
	return collect(s, sql, NULL, 0, collect_names, NULL, e);
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

/* ---- reminder digests ---------------------------------------------------- */

int
store_digest_claim(struct store *s, int64_t user_id, const char *day,
    long items, struct err *e)
{
	struct db_value p[4];
	struct err ce = { 0 };
	char now[32];

	clock_timestamp(now);
	p[0] = dbv_int(user_id);
	p[1] = dbv_text(day);
	p[2] = dbv_text(now);
	p[3] = dbv_int(items);
	/* the primary key (user_id, day) lets one INSERT through, whoever
	 * races for it */
	if (store_query(s, "INSERT INTO reminder_digest (user_id, day, sent_at, "
	    "items) VALUES (?, ?, ?, ?)", p, 4, NULL, NULL, &ce) == 0)
		return 1;
	if (ce.code == ERR_CONFLICT) {
		err_clear(&ce);
		return 0;
	}
	if (e != NULL) {
		err_clear(e);
		*e = ce;
	} else {
		err_clear(&ce);
	}
	return -1;
}

int
store_digest_release(struct store *s, int64_t user_id, const char *day,
    struct err *e)
{
	struct db_value p[2] = { dbv_int(user_id), dbv_text(day) };

	return store_query(s, "DELETE FROM reminder_digest WHERE user_id = ? AND "
	    "day = ?", p, 2, NULL, NULL, e);
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

int
store_unit_within_checked(struct store *s, int64_t unit, int64_t scope,
    bool *within, struct err *e)
{
	struct db_value p[2] = { dbv_int(unit), dbv_int(scope) };
	struct id_ctx ic = { 0, 0 };

	*within = false;
	if (unit <= 0 || scope <= 0)
		return 0;
	/* the unit or one above it is the scope or a unit the scope's
	 * lineage goes back to, through any number of reorganisations (the
	 * of store_subtree_sql, seen from below) */
	if (store_query(s, "WITH RECURSIVE up(uid) AS ("
	    " SELECT ? UNION SELECT a.parent_id FROM admin_unit a JOIN up"
	    " ON a.id = up.uid WHERE a.parent_id IS NOT NULL),"
	    " roots(id) AS (SELECT ? UNION SELECT l.old_unit_id FROM unit_lineage l"
	    " JOIN roots r ON l.new_unit_id = r.id)"
	    " SELECT 1 FROM up WHERE uid IN (SELECT id FROM roots) LIMIT 1",
	    p, 2, first_int, &ic, e) != 0)
		return -1;
	*within = ic.found != 0;
	return 0;
}

bool
store_unit_within(struct store *s, int64_t unit, int64_t scope)
{
	bool within;

	return store_unit_within_checked(s, unit, scope, &within, NULL) == 0 &&
	    within;
}

/* ---- indicator values: the bulk read queries (issue 7) ------------------- */

/* Units strictly below `within`, through parent_id (not the lineage). */
#define WITHIN_SQL " AND v.unit_id IN (WITH RECURSIVE sub(id) AS (" \
	"SELECT id FROM admin_unit WHERE parent_id = ? UNION ALL " \
	"SELECT a.id FROM admin_unit a JOIN sub ON a.parent_id = sub.id) " \
	"SELECT id FROM sub)"

struct values_ctx {
	store_value_fn fn;
	void *ctx;
};

static double
real_of(const struct db_value *v)
{
	return v->type == DB_INT ? (double)v->i : v->d;
}

static int
value_row(void *ctx, int n, const struct db_value *c)
{
	struct values_ctx *vc = ctx;
	struct store_value v;

	if (n < 4)
		return 1;
	v.unit_id = c[0].i;
	v.unit_code = c[1].type == DB_TEXT ? c[1].s : "";
	v.has_target = c[2].type == DB_INT || c[2].type == DB_REAL;
	v.target = v.has_target ? real_of(&c[2]) : 0;
	v.has_actual = c[3].type == DB_INT || c[3].type == DB_REAL;
	v.actual = v.has_actual ? real_of(&c[3]) : 0;
	return vc->fn(vc->ctx, &v);
}

int
store_indicator_values(struct store *s, int64_t indicator_id,
    const char *period, int64_t within, store_value_fn fn, void *ctx,
    struct err *e)
{
	struct db_value p[3] = { dbv_int(indicator_id), dbv_text(period),
		dbv_int(within) };
	struct values_ctx vc = { fn, ctx };

	/* the (indicator_id, period, unit_id, target, actual) index of
	 * migration 0005 answers this alone, already in unit order */
	if (within > 0)
		return store_query(s, "SELECT v.unit_id, u.code, v.target, v.actual "
		    "FROM indicator_value v JOIN admin_unit u ON u.id = v.unit_id "
		    "WHERE v.indicator_id = ? AND v.period = ?" WITHIN_SQL
		    " ORDER BY v.unit_id", p, 3, value_row, &vc, e);
	return store_query(s, "SELECT v.unit_id, u.code, v.target, v.actual "
	    "FROM indicator_value v JOIN admin_unit u ON u.id = v.unit_id "
	    "WHERE v.indicator_id = ? AND v.period = ? ORDER BY v.unit_id",
	    p, 2, value_row, &vc, e);
}

struct rule_ctx {
	char *direction;
	size_t len;
	double *high, *mid;
	bool found;
};

static int
rule_row(void *ctx, int n, const struct db_value *c)
{
	struct rule_ctx *rc = ctx;

	if (n < 3)
		return 1;
	rc->found = true;
	snprintf(rc->direction, rc->len, "%s", c[0].type == DB_TEXT ? c[0].s : "");
	*rc->high = c[1].type == DB_NULL ? NAN : real_of(&c[1]);
	*rc->mid = c[2].type == DB_NULL ? NAN : real_of(&c[2]);
	return 1;
}

int
store_indicator_rule(struct store *s, int64_t indicator_id, char *direction,
    size_t dirlen, double *band_high, double *band_mid, struct err *e)
{
	struct db_value p = dbv_int(indicator_id);
	struct rule_ctx rc = { direction, dirlen, band_high, band_mid, false };

	if (store_query(s, "SELECT i.direction, t.band_high, t.band_mid "
	    "FROM indicator i JOIN target_group g ON g.id = i.target_group_id "
	    "JOIN target_set t ON t.id = g.target_set_id WHERE i.id = ?",
	    &p, 1, rule_row, &rc, e) != 0)
		return -1;
	if (!rc.found)
		return err_set(e, ERR_NOT_FOUND, "không tìm thấy chỉ tiêu số %lld",
		    (long long)indicator_id);
	return 0;
}

/*
 * Per direction, the rules of achieve_ratio / achieve_met /
 * achieve_status_band in SQL both engines run (no scalar max(): PostgreSQL
 * calls it GREATEST): `none` has no band, `met` and `missed` are judged
 * without a ratio (zero divisor), else the ratio `r` meets the thresholds.
 * EPS stands for the equality tolerance, a constant of the caller.
 */
#define SAME_SQL "abs(v.actual - v.target) <= EPS * CASE WHEN abs(v.target) > 1 " \
	"THEN abs(v.target) ELSE 1 END"
static const struct {
	const char *direction;
	const char *none, *met, *missed, *r;
} band_sql[] = {
	{ "higher",
	  "v.target IS NULL OR v.actual IS NULL OR v.target < 0",
	  "v.target = 0 AND (v.actual >= 0 OR abs(v.actual) <= EPS)",
	  "v.target = 0",
	  "v.actual * 100.0 / v.target" },
	{ "lower",
	  "v.target IS NULL OR v.actual IS NULL OR v.target < 0 OR v.actual < 0",
	  "v.actual = 0 AND v.target <> 0",
	  "1 = 0",
	  "CASE WHEN v.actual = 0 THEN 100.0 ELSE v.target * 100.0 / v.actual END" },
	{ "exact",
	  "v.target IS NULL OR v.actual IS NULL",
	  "1 = 0",
	  "v.target = 0 AND NOT (" SAME_SQL ")",
	  "CASE WHEN " SAME_SQL " THEN 100.0 WHEN abs(v.actual - v.target) >= "
	  "abs(v.target) THEN 0.0 ELSE 100.0 - abs(v.actual - v.target) * 100.0 / "
	  "abs(v.target) END" },
	{ "yesno",
	  "v.target IS NULL OR v.actual IS NULL",
	  "1 = 0",
	  "1 = 0",
	  "CASE WHEN (v.actual >= 0.5 AND v.target >= 0.5) OR "
	  "(v.actual < 0.5 AND v.target < 0.5) THEN 100.0 ELSE 0.0 END" },
};

/* Copy src to dst with every "EPS" written as the number eps. */
static void
put_eps(char *dst, size_t len, const char *src, const char *eps)
{
	struct buf b;

	buf_init(&b, len - 1);
	while (*src) {
		if (strncmp(src, "EPS", 3) == 0) {
			buf_adds(&b, eps);
			src += 3;
		} else {
			buf_addc(&b, *src++);
		}
	}
	snprintf(dst, len, "%s", buf_failed(&b) ? "" : buf_str(&b));
	buf_free(&b);
}

/* band codes of the statement below */
enum { BANDQ_NONE, BANDQ_LOW, BANDQ_MID, BANDQ_HIGH };

static int
bands_row(void *ctx, int n, const struct db_value *c)
{
	struct store_value_bands *b = ctx;
	int64_t count;

	if (n < 2 || c[0].type != DB_INT)
		return 0;
	count = c[1].type == DB_INT ? c[1].i : 0;
	switch (c[0].i) {
	case BANDQ_HIGH: b->high += count; break;
	case BANDQ_MID: b->mid += count; break;
	case BANDQ_LOW: b->low += count; break;
	default: b->none += count; break;
	}
	b->total += count;
	return 0;
}

int
store_indicator_bands(struct store *s, int64_t indicator_id,
    const char *period, int64_t within, const char *direction, double high,
    double mid, double epsilon, struct store_value_bands *out, struct err *e)
{
	struct db_value p[6];
	char band[4096], eps[32], sql[SQL_MAX];
	size_t i, np = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(band_sql) / sizeof(band_sql[0]); i++)
		if (direction != NULL && strcmp(direction, band_sql[i].direction) == 0)
			break;
	if (i == sizeof(band_sql) / sizeof(band_sql[0]))
		return err_set(e, ERR_BAD_REQUEST, "chiều đánh giá không hợp lệ: %s",
		    direction ? direction : "");
	/* one band per row, computed once (GROUP BY keeps the planner from
	 * copying the expression into several aggregates), thresholds
	 * compared with the tolerance as achieve_band does */
	snprintf(sql, sizeof(sql), "CASE WHEN %s THEN %d WHEN %s THEN %d "
	    "WHEN %s THEN %d WHEN %s >= ? THEN %d WHEN %s >= ? THEN %d ELSE %d END",
	    band_sql[i].none, BANDQ_NONE, band_sql[i].met, BANDQ_HIGH,
	    band_sql[i].missed, BANDQ_LOW, band_sql[i].r, BANDQ_HIGH,
	    band_sql[i].r, BANDQ_MID, BANDQ_LOW);
	snprintf(eps, sizeof(eps), "%.17g", epsilon);
	put_eps(band, sizeof(band), sql, eps);
	snprintf(sql, sizeof(sql), "SELECT b, COUNT(*) FROM (SELECT %s AS b "
	    "FROM indicator_value v WHERE v.indicator_id = ? AND v.period = ?%s) q "
	    "GROUP BY b", band, within > 0 ? WITHIN_SQL : "");
	p[np++] = (struct db_value){ DB_REAL, 0, high - epsilon, NULL };
	p[np++] = (struct db_value){ DB_REAL, 0, mid - epsilon, NULL };
	p[np++] = dbv_int(indicator_id);
	p[np++] = dbv_text(period);
	if (within > 0)
		p[np++] = dbv_int(within);
	return store_query(s, sql, p, np, bands_row, out, e);
}
