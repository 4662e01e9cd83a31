/*
 * store_sqlite.c - the SQLite backend of store.h.
 *
 * WAL journal, foreign keys on, a busy timeout, synchronous=FULL (a commit
 * that returned is on disk: offices lose power).  Prepared statements are
 * cached per connection, keyed by their SQL text, since the store builds the
 * same few statements over and over.
 */
#include <sqlite3.h>
#include <unicode/ucol.h>
#include <unicode/utypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

struct stmt_slot {
	char *sql;
	uint64_t hash; /* of sql: the store's statements share long prefixes
	                * ("SELECT id, version, …"), so compare hashes first */
	sqlite3_stmt *stmt;
	uint64_t used; /* LRU clock */
};

static uint64_t
sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct sqlite_conn {
	sqlite3 *db;
	struct stmt_slot cache[STMT_CACHE_SIZE];
	uint64_t clock;
	/* between sq_begin and sq_commit/sq_rollback: SQLite rolls a
	 * transaction back by itself after some errors (out of memory, disk
	 * full, I/O), and a later statement must not then run, and commit,
	 * on its own (sq_query) */
	bool in_tx;
};

static int
map_error(sqlite3 *db, int rc, struct err *e)
{
	int ext = sqlite3_extended_errcode(db);
	const char *m = sqlite3_errmsg(db);

	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return err_set(e, ERR_CONFLICT, "bản ghi trùng với bản ghi đã có (%s)", m);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return err_set(e, ERR_CONFLICT,
		    "bản ghi đang được bản ghi khác tham chiếu hoặc tham chiếu không tồn tại");
	default:
		break;
	}
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return err_nomem(e);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, ERR_UNAVAILABLE, "cơ sở dữ liệu đang bận, xin thử lại");
	case SQLITE_FULL:
		return err_set(e, ERR_NO_SPACE, "ổ đĩa đã đầy, dữ liệu không được ghi");
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
		return err_set(e, ERR_IO, "lỗi đọc ghi cơ sở dữ liệu: %s", m);
	case SQLITE_CONSTRAINT:
		return err_set(e, ERR_CONFLICT, "vi phạm ràng buộc dữ liệu: %s", m);
	default:
		return err_set(e, ERR_DB, "lỗi cơ sở dữ liệu: %s", m);
	}
}

/* The "vi" collation: ICU's Vietnamese collator over UTF-8, one per
 * connection (a connection is one thread's).  ICU compares UTF-8 without
 * copying; the collator is closed with the connection. */
static int
vi_compare(void *collator, int na, const void *a, int nb, const void *b)
{
	UErrorCode status = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(collator, a, na, b, nb, &status);

	if (U_FAILURE(status)) { /* not UTF-8: bytes decide, as without it */
		int n = memcmp(a, b, (size_t)(na < nb ? na : nb));
		return n != 0 ? n : na - nb;
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

static void
vi_close(void *collator)
{
	ucol_close(collator);
}

static int
add_vi_collation(sqlite3 *db, struct err *e)
{
	UErrorCode status = U_ZERO_ERROR;
	UCollator *coll = ucol_open("vi", &status);

	if (coll == NULL || U_FAILURE(status)) {
		ucol_close(coll);
		return err_set(e, ERR_INTERNAL, "không mở được bảng so sánh tiếng Việt "
		    "(ICU): %s", u_errorName(status));
	}
	if (sqlite3_create_collation_v2(db, "vi", SQLITE_UTF8, coll, vi_compare,
	    vi_close) != SQLITE_OK) {
		ucol_close(coll);
		return err_set(e, ERR_INTERNAL, "không đăng ký được bảng so sánh tiếng Việt");
	}
	return 0;
}

static int
sq_open(const char *target, void **out, struct err *e)
{
	struct sqlite_conn *c;
	char *msg = NULL;
	int rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	rc = sqlite3_open_v2(target, &c->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "không mở được cơ sở dữ liệu %s: %s", target,
		    c->db ? sqlite3_errmsg(c->db) : "hết bộ nhớ");
		sqlite3_close(c->db);
		free(c);
		return -1;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, DB_BUSY_TIMEOUT_MS);
	if (add_vi_collation(c->db, e) != 0) {
		sqlite3_close(c->db);
		free(c);
		return -1;
	}
	rc = sqlite3_exec(c->db,
	    "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;",
	    NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "không thiết lập được cơ sở dữ liệu %s: %s",
		    target, msg ? msg : "");
		sqlite3_free(msg);
		sqlite3_close(c->db);
		free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void
sq_close(void *conn)
{
	struct sqlite_conn *c = conn;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	sqlite3_close(c->db);
	free(c);
}

static int
sq_exec_script(void *conn, const char *sql, struct err *e)
{
	struct sqlite_conn *c = conn;
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_DB, "lỗi khi chạy lược đồ: %s", msg ? msg : "");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Find or prepare the statement for sql; least recently used is evicted. */
static sqlite3_stmt *
sq_prepare(struct sqlite_conn *c, const char *sql, struct err *e)
{
	struct stmt_slot *victim = &c->cache[0];
	sqlite3_stmt *st = NULL;
	uint64_t h = sql_hash(sql);
	size_t i;
	int rc;

	c->clock++;
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		struct stmt_slot *sl = &c->cache[i];
		if (sl->sql != NULL && sl->hash == h && strcmp(sl->sql, sql) == 0) {
			sl->used = c->clock;
			return sl->stmt;
		}
		if (sl->used < victim->used)
			victim = sl;
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		map_error(c->db, rc, e);
		return NULL;
	}
	sqlite3_finalize(victim->stmt);
	free(victim->sql);
	victim->sql = strdup(sql);
	if (victim->sql == NULL) {
		victim->stmt = NULL;
		victim->used = 0;
		sqlite3_finalize(st);
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		return NULL;
	}
	victim->stmt = st;
	victim->hash = h;
	victim->used = c->clock;
	return st;
}

static int
sq_query(void *conn, const char *sql, const struct db_value *params,
    size_t nparams, db_row_fn fn, void *ctx, struct err *e)
{
	struct sqlite_conn *c = conn;
	struct db_value cols[SQL_PARAMS_MAX];
	sqlite3_stmt *st;
	size_t i;
	int rc, n, ret = 0;

	if (c->in_tx && sqlite3_get_autocommit(c->db))
		return err_set(e, ERR_DB, "giao dịch đã bị hủy sau một lỗi; không "
		    "có gì được ghi");
	st = sq_prepare(c, sql, e);
	if (st == NULL)
		return -1;
	for (i = 0; i < nparams; i++) {
		const struct db_value *p = &params[i];
		int idx = (int)i + 1;
		switch (p->type) {
		case DB_NULL: rc = sqlite3_bind_null(st, idx); break;
		case DB_INT: rc = sqlite3_bind_int64(st, idx, p->i); break;
		case DB_REAL: rc = sqlite3_bind_double(st, idx, p->d); break;
		case DB_TEXT: rc = sqlite3_bind_text(st, idx, p->s, -1, SQLITE_STATIC); break;
		default: rc = SQLITE_MISUSE; break;
		}
		if (rc != SQLITE_OK) {
			map_error(c->db, rc, e);
			ret = -1;
			goto done;
		}
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_count(st);
		if (n > SQL_PARAMS_MAX)
			n = SQL_PARAMS_MAX;
		for (i = 0; i < (size_t)n; i++) {
			struct db_value *v = &cols[i];
			memset(v, 0, sizeof(*v));
			switch (sqlite3_column_type(st, (int)i)) {
			case SQLITE_INTEGER:
				v->type = DB_INT;
				v->i = sqlite3_column_int64(st, (int)i);
				break;
			case SQLITE_FLOAT:
				v->type = DB_REAL;
				v->d = sqlite3_column_double(st, (int)i);
				break;
			case SQLITE_NULL:
				v->type = DB_NULL;
				break;
			default:
				v->type = DB_TEXT;
				v->s = (const char *)sqlite3_column_text(st, (int)i);
				if (v->s != NULL)
					break;
				/* SQLite could not make the text: not a NULL
				 * value (a zero-length blob also gives NULL) */
				if (sqlite3_errcode(c->db) == SQLITE_NOMEM) {
					ret = err_nomem(e);
					goto done;
				}
				v->type = DB_NULL;
				break;
			}
		}
		if (fn != NULL && fn(ctx, n, cols) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		map_error(c->db, rc, e);
		ret = -1;
	}
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int
sq_simple(struct sqlite_conn *c, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return map_error(c->db, rc, e);
	return 0;
}

/* IMMEDIATE: take the write lock up front, so two writers queue on the busy
 * timeout instead of failing mid-transaction on a lock upgrade. */
static int
sq_begin(void *conn, struct err *e)
{
	struct sqlite_conn *c = conn;

	if (sq_simple(c, "BEGIN IMMEDIATE", e) != 0)
		return -1;
	c->in_tx = true;
	return 0;
}

static int
sq_commit(void *conn, struct err *e)
{
	struct sqlite_conn *c = conn;

	/* the caller rolls back after a failed commit */
	if (sqlite3_get_autocommit(c->db))
		return err_set(e, ERR_DB, "giao dịch đã bị hủy sau một lỗi; không "
		    "có gì được ghi");
	if (sq_simple(c, "COMMIT", e) != 0)
		return -1;
	c->in_tx = false;
	return 0;
}

static void
sq_rollback(void *conn)
{
	struct sqlite_conn *c = conn;

	c->in_tx = false;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

const struct db_ops db_sqlite_ops = {
	.engine = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec_script = sq_exec_script,
	.query = sq_query,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	/* changes when another connection committed, this process's or not */
	.data_version_sql = "PRAGMA data_version",
	.text_order = "COLLATE vi",
};
