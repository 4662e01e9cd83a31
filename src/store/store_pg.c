/*
 * store_pg.c - the PostgreSQL backend of store.h (libpq).
 *
 * One connection per store (the server opens one store per worker thread).
 * store.c writes SQL with '?' placeholders; they are rewritten to $1..$n
 * here, and each statement is prepared once per connection (named, kept in
 * an LRU cache keyed by SQL text and parameter types, as the SQLite backend
 * does).  Parameters are sent typed (int8, float8, text; NULL lets the
 * server infer), results come back as text and are typed by column OID.
 *
 * Transactions are READ COMMITTED: concurrent edits of one record are caught
 * by the store's version check (UPDATE ... WHERE version = ?, which
 * PostgreSQL re-checks on the newest row version after waiting for a lock),
 * so the stricter SERIALIZABLE would only add retry errors (40001) for
 * users to see, where SQLite queues writers.
 *
 * A lost connection fails the call with ERR_UNAVAILABLE; the next call
 * reconnects (PQreset).  When it was lost inside a transaction, calls keep
 * failing until the store rolls back, so the rest of a half-done transaction
 * never runs in autocommit on the new connection.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "store/store_int.h"

/* Type OIDs (src/include/catalog/pg_type.dat); stable across versions. */
#define PG_OID_BOOL    16
#define PG_OID_INT8    20
#define PG_OID_INT2    21
#define PG_OID_INT4    23
#define PG_OID_OID     26
#define PG_OID_FLOAT4  700
#define PG_OID_FLOAT8  701
#define PG_OID_NUMERIC 1700
#define PG_OID_TEXT    25
#define PG_OID_UNKNOWN 0 /* let the server infer from context */

#define PG_STMT_NAME_MAX 32   /* "gp_<counter>"                              */
#define PG_NUM_MAX       40   /* text of one int8 or float8 parameter        */
#define PG_SETUP_MAX     256  /* the session settings sent after connecting  */
#define PG_ERRMSG_MAX    300  /* the part of a server message we repeat      */
#define PG_URL_MAX       4096 /* a connection URL                            */
/* One '?' becomes at most "$128": the rewritten text grows by 3 per param. */
#define PG_SQL_MAX       (SQL_MAX + 4 * SQL_PARAMS_MAX)

struct pg_slot {
	char *sql;       /* the store's SQL text ('?' placeholders) */
	char *types;     /* one letter per parameter: i, f, t, n (null) */
	char name[PG_STMT_NAME_MAX];
	uint64_t used;   /* LRU clock; 0 = empty */
};

struct pg_conn {
	PGconn *pg;
	struct pg_slot cache[STMT_CACHE_SIZE];
	uint64_t clock;
	uint64_t names;  /* statement names handed out on this connection */
	bool in_tx;      /* BEGIN sent, COMMIT/ROLLBACK not yet */
	bool lost;       /* connection broke; reset on the next call */
	/* behind a pooler in transaction mode (store_pg_url): statements
	 * unnamed, session settings per transaction */
	bool pooled;
};

/* libpq prints NOTICEs (e.g. "relation already exists, skipping") on
 * stderr by default; they are not errors, and the server log has them. */
static void
quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* A server message without libpq's trailing newline, bounded. */
static const char *
trimmed(const char *m, char *out, size_t len)
{
	size_t n;

	snprintf(out, len, "%s", m != NULL ? m : "");
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return out;
}

/* Mark the connection lost when libpq says so; true when it is. */
static bool
check_lost(struct pg_conn *c)
{
	if (PQstatus(c->pg) == CONNECTION_BAD)
		c->lost = true;
	return c->lost;
}

static int
lost_error(struct err *e)
{
	return err_set(e, ERR_UNAVAILABLE,
	    "mất kết nối tới cơ sở dữ liệu, xin thử lại");
}

/* SQLSTATE classes: see PostgreSQL's "Appendix A. Error Codes". */
static int
map_error(struct pg_conn *c, const PGresult *r, struct err *e)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *m = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *cons = r != NULL ? PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	char msg[PG_ERRMSG_MAX];

	if (check_lost(c))
		return lost_error(e);
	if (m == NULL)
		m = r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
	trimmed(m, msg, sizeof(msg));
	if (state == NULL)
		return err_set(e, ERR_DB, "lỗi cơ sở dữ liệu: %s", msg);
	if (strcmp(state, "23505") == 0) /* unique_violation */
		return err_set(e, ERR_CONFLICT, "bản ghi trùng với bản ghi đã có (%s)",
		    cons != NULL ? cons : msg);
	if (strcmp(state, "23503") == 0) /* foreign_key_violation */
		return err_set(e, ERR_CONFLICT,
		    "bản ghi đang được bản ghi khác tham chiếu hoặc tham chiếu không tồn tại");
	if (strncmp(state, "23", 2) == 0) /* other integrity constraints */
		return err_set(e, ERR_CONFLICT, "vi phạm ràng buộc dữ liệu: %s", msg);
	if (strcmp(state, "40001") == 0 || /* serialization_failure */
	    strcmp(state, "40P01") == 0 || /* deadlock_detected */
	    strcmp(state, "55P03") == 0 || /* lock_not_available (lock_timeout) */
	    strcmp(state, "57014") == 0 || /* query_canceled (statement_timeout) */
	    strcmp(state, "53300") == 0)   /* too_many_connections */
		return err_set(e, ERR_UNAVAILABLE, "cơ sở dữ liệu đang bận, xin thử lại");
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0) {
		/* connection exception, server shutting down */
		c->lost = true;
		return lost_error(e);
	}
	if (strcmp(state, "53100") == 0) /* disk_full */
		return err_set(e, ERR_NO_SPACE, "ổ đĩa đã đầy, dữ liệu không được ghi");
	if (strncmp(state, "58", 2) == 0 || strncmp(state, "XX", 2) == 0)
		return err_set(e, ERR_IO, "lỗi đọc ghi cơ sở dữ liệu: %s", msg);
	return err_set(e, ERR_DB, "lỗi cơ sở dữ liệu: %s", msg);
}

/* Session settings, sent after every (re)connection. */
static int
setup_session(struct pg_conn *c, struct err *e)
{
	char sql[PG_SETUP_MAX];
	PGresult *r;
	int rc = 0;

	if (PQsetClientEncoding(c->pg, "UTF8") != 0)
		return err_set(e, ERR_DB, "máy chủ PostgreSQL không nhận bảng mã UTF8");
	/* lock_timeout plays SQLite's busy timeout; ESCAPE '\' in the search
	 * needs standard strings (the default since 9.1, but a server may say
	 * otherwise); warnings and worse only.  No JIT: the planner prices
	 * the recursive subtree of a unit (STORE_SUBTREE_SQL) at millions of
	 * rows, so every scoped query paid ~300 ms compiling for 20 ms of
	 * work (a scoped count 450 ms with, 25 ms without). */
	snprintf(sql, sizeof(sql), "SET lock_timeout = %d; "
	    "SET standard_conforming_strings = on; "
	    "SET client_min_messages = warning; "
	    "SET jit = off", DB_BUSY_TIMEOUT_MS);
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_error(c, r, e);
	PQclear(r);
	return rc;
}

static void
cache_clear(struct pg_conn *c)
{
	size_t i;

	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		free(c->cache[i].sql);
		free(c->cache[i].types);
		memset(&c->cache[i], 0, sizeof(c->cache[i]));
	}
}

/* Before a call: reconnect a lost connection, unless a transaction was
 * under way on it (then the store must roll back first). */
static int
ensure_conn(struct pg_conn *c, struct err *e)
{
	if (!c->lost && PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	c->lost = true;
	if (c->in_tx)
		return err_set(e, ERR_UNAVAILABLE, "mất kết nối tới cơ sở dữ liệu giữa "
		    "giao dịch; giao dịch bị hủy, xin thử lại");
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK)
		return lost_error(e);
	/* prepared statements died with the old session */
	cache_clear(c);
	c->lost = false;
	return setup_session(c, e);
}

/* store.h */
int
store_pg_url(const char *url, char *out, size_t len, bool *pooled)
{
	const char *q = strchr(url, '?'), *p, *amp;
	size_t n, used;
	bool first = true;

	*pooled = false;
	n = q != NULL ? (size_t)(q - url) : strlen(url);
	if (n >= len)
		return -1;
	memcpy(out, url, n);
	used = n;
	out[used] = '\0';
	for (p = q != NULL ? q + 1 : NULL; p != NULL && *p != '\0'; p = amp ? amp + 1 : NULL) {
		amp = strchr(p, '&');
		n = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if (n == 0)
			continue;
		if (n == 21 && strncmp(p, "pool_mode=transaction", n) == 0) {
			*pooled = true;
			continue;
		}
		if (n == 17 && strncmp(p, "pool_mode=session", n) == 0)
			continue;
		if (used + 1 + n >= len)
			return -1;
		out[used++] = first ? '?' : '&';
		memcpy(out + used, p, n);
		used += n;
		out[used] = '\0';
		first = false;
	}
	return 0;
}

static int
pg_open(const char *target, void **out, struct err *e)
{
	struct pg_conn *c;
	char msg[PG_ERRMSG_MAX];

	char url[PG_URL_MAX];
	bool pooled;

	if (store_pg_url(target, url, sizeof(url), &pooled) != 0)
		return err_set(e, ERR_BAD_REQUEST, "địa chỉ cơ sở dữ liệu quá dài");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	c->pooled = pooled;
	c->pg = PQconnectdb(url);
	if (c->pg == NULL) {
		free(c);
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		/* the URL is not repeated: it may hold a password */
		err_set(e, ERR_UNAVAILABLE, "không kết nối được cơ sở dữ liệu "
		    "PostgreSQL: %s", trimmed(PQerrorMessage(c->pg), msg, sizeof(msg)));
		PQfinish(c->pg);
		free(c);
		return -1;
	}
	PQsetNoticeProcessor(c->pg, quiet_notice, NULL);
	if (setup_session(c, e) != 0) {
		PQfinish(c->pg);
		free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void
pg_close(void *conn)
{
	struct pg_conn *c = conn;

	if (c == NULL)
		return;
	cache_clear(c);
	PQfinish(c->pg); /* the server drops the prepared statements */
	free(c);
}

static int
pg_exec_script(void *conn, const char *sql, struct err *e)
{
	struct pg_conn *c = conn;
	char *ddl;
	PGresult *r;
	int rc = 0;

	if (ensure_conn(c, e) != 0)
		return -1;
	ddl = store_ddl_translate(sql, "postgres");
	if (ddl == NULL)
		return err_set(e, ERR_INTERNAL, "lược đồ quá dài hoặc hết bộ nhớ");
	/* PQexec: several statements, no parameters (trusted text only) */
	r = PQexec(c->pg, ddl);
	free(ddl);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		struct err inner = { 0 };
		map_error(c, r, &inner);
		rc = err_set(e, inner.code == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_DB,
		    "lỗi khi chạy lược đồ: %s", inner.msg);
	}
	PQclear(r);
	return rc;
}

/*
 * '?' -> $1..$n, outside '...' literals, "..." identifiers and -- comments.
 * Returns how many placeholders there were, or -1 when the text is too long.
 */
static int
rewrite_placeholders(const char *sql, struct buf *out)
{
	const char *p = sql;
	int n = 0;

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			buf_addc(out, *p++);
			while (*p != '\0') {
				if (*p == q && p[1] == q) {
					buf_add(out, p, 2);
					p += 2;
					continue;
				}
				buf_addc(out, *p);
				if (*p++ == q)
					break;
			}
		} else if (p[0] == '-' && p[1] == '-') {
			size_t len = strcspn(p, "\n");
			buf_add(out, p, len);
			p += len;
		} else if (*p == '?') {
			buf_addf(out, "$%d", ++n);
			p++;
		} else {
			buf_addc(out, *p++);
		}
	}
	return buf_failed(out) ? -1 : n;
}

/* Statements PostgreSQL can prepare; the rest (SAVEPOINT, RELEASE,
 * ROLLBACK TO, SET, DDL) run unnamed, uncached. */
static bool
preparable(const char *sql)
{
	static const char *const verbs[] = {
		"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES",
	};
	size_t i, n;

	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		n = strlen(verbs[i]);
		if (strncasecmp(sql, verbs[i], n) == 0 &&
		    (sql[n] == ' ' || sql[n] == '\n' || sql[n] == '\t' ||
		    sql[n] == '(' || sql[n] == '\0'))
			return true;
	}
	return false;
}

static char
type_letter(enum db_type t)
{
	switch (t) {
	case DB_INT: return 'i';
	case DB_REAL: return 'f';
	case DB_TEXT: return 't';
	default: return 'n';
	}
}

static Oid
type_oid(enum db_type t)
{
	switch (t) {
	case DB_INT: return PG_OID_INT8;
	case DB_REAL: return PG_OID_FLOAT8;
	case DB_TEXT: return PG_OID_TEXT;
	default: return PG_OID_UNKNOWN;
	}
}

/* The prepared statement for sql with these parameter types, prepared now
 * if the cache does not have it; the least recently used is evicted. */
static const char *
pg_prepare(struct pg_conn *c, const char *sql, const char *types,
    const char *pgsql, const Oid *oids, int nparams, struct err *e)
{
	struct pg_slot *victim = &c->cache[0];
	char name[PG_STMT_NAME_MAX];
	PGresult *r;
	size_t i;

	c->clock++;
	for (i = 0; i < STMT_CACHE_SIZE; i++) {
		struct pg_slot *sl = &c->cache[i];
		if (sl->sql != NULL && strcmp(sl->sql, sql) == 0 &&
		    strcmp(sl->types, types) == 0) {
			sl->used = c->clock;
			return sl->name;
		}
		if (sl->used < victim->used)
			victim = sl;
	}
	snprintf(name, sizeof(name), "gp_%" PRIu64, ++c->names);
	r = PQprepare(c->pg, name, pgsql, nparams, oids);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		map_error(c, r, e);
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	if (victim->sql != NULL) {
		/* Not transactional: a later ROLLBACK does not bring it back.  A
		 * failure only leaves an unused statement until disconnection. */
		char dealloc[PG_STMT_NAME_MAX + 16];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", victim->name);
		PQclear(PQexec(c->pg, dealloc));
	}
	free(victim->sql);
	free(victim->types);
	victim->sql = strdup(sql);
	victim->types = strdup(types);
	if (victim->sql == NULL || victim->types == NULL) {
		free(victim->sql);
		free(victim->types);
		memset(victim, 0, sizeof(*victim));
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		return NULL;
	}
	snprintf(victim->name, sizeof(victim->name), "%s", name);
	victim->used = c->clock;
	return victim->name;
}

/* numeric is what SUM(bigint) gives: an integer when it has no fraction
 * and fits (as SQLite's SUM of integers), else a real. */
static void
numeric_value(const char *s, struct db_value *v)
{
	char *end;
	long long i;

	errno = 0;
	i = strtoll(s, &end, 10);
	if (errno == 0 && end != s && *end == '\0') {
		v->type = DB_INT;
		v->i = i;
		return;
	}
	v->type = DB_REAL;
	v->d = strtod(s, NULL);
}

static void
column_value(const PGresult *r, int row, int col, Oid oid, struct db_value *v)
{
	const char *s;

	memset(v, 0, sizeof(*v));
	if (PQgetisnull(r, row, col)) {
		v->type = DB_NULL;
		return;
	}
	s = PQgetvalue(r, row, col);
	switch (oid) {
	case PG_OID_INT2:
	case PG_OID_INT4:
	case PG_OID_INT8:
	case PG_OID_OID:
		v->type = DB_INT;
		v->i = strtoll(s, NULL, 10);
		break;
	case PG_OID_BOOL:
		v->type = DB_INT;
		v->i = s[0] == 't';
		break;
	case PG_OID_FLOAT4:
	case PG_OID_FLOAT8:
		v->type = DB_REAL;
		v->d = strtod(s, NULL);
		break;
	case PG_OID_NUMERIC:
		numeric_value(s, v);
		break;
	default:
		v->type = DB_TEXT;
		v->s = s;
		break;
	}
}

static int
pg_query(void *conn, const char *sql, const struct db_value *params,
    size_t nparams, db_row_fn fn, void *ctx, struct err *e)
{
	struct pg_conn *c = conn;
	char nums[SQL_PARAMS_MAX][PG_NUM_MAX];
	const char *values[SQL_PARAMS_MAX];
	char types[SQL_PARAMS_MAX + 1];
	Oid oids[SQL_PARAMS_MAX];
	struct db_value cols[SQL_PARAMS_MAX];
	struct buf pgsql;
	PGresult *r = NULL;
	ExecStatusType st;
	const char *name;
	int i, row, ncols, nrows, nph, ret = -1;

	if (nparams > SQL_PARAMS_MAX)
		return err_set(e, ERR_INTERNAL, "quá nhiều tham số trong câu truy vấn");
	if (ensure_conn(c, e) != 0)
		return -1;
	buf_init(&pgsql, PG_SQL_MAX);
	nph = rewrite_placeholders(sql, &pgsql);
	if (nph < 0) {
		err_set(e, ERR_INTERNAL, "câu truy vấn quá dài");
		goto out;
	}
	if ((size_t)nph != nparams) {
		err_set(e, ERR_INTERNAL, "câu truy vấn có %d chỗ tham số nhưng nhận %zu "
		    "giá trị", nph, nparams);
		goto out;
	}
	for (i = 0; i < nph; i++) {
		const struct db_value *p = &params[i];
		types[i] = type_letter(p->type);
		oids[i] = type_oid(p->type);
		switch (p->type) {
		case DB_INT:
			snprintf(nums[i], sizeof(nums[i]), "%" PRId64, p->i);
			values[i] = nums[i];
			break;
		case DB_REAL:
			/* 17 significant digits round-trip an IEEE double */
			snprintf(nums[i], sizeof(nums[i]), "%.17g", p->d);
			values[i] = nums[i];
			break;
		case DB_TEXT:
			values[i] = p->s;
			break;
		default:
			values[i] = NULL;
			break;
		}
	}
	types[nph] = '\0';
	/* through a pooler in transaction mode the next statement may run on
	 * another server session, where a named statement does not exist */
	if (!c->pooled && preparable(sql)) {
		name = pg_prepare(c, sql, types, buf_str(&pgsql), oids, nph, e);
		if (name == NULL)
			goto out;
		r = PQexecPrepared(c->pg, name, nph, values, NULL, NULL, 0);
	} else {
		r = PQexecParams(c->pg, buf_str(&pgsql), nph, oids, values, NULL,
		    NULL, 0);
	}
	st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		map_error(c, r, e);
		goto out;
	}
	ret = 0;
	nrows = PQntuples(r);
	ncols = PQnfields(r);
	if (ncols > SQL_PARAMS_MAX)
		ncols = SQL_PARAMS_MAX;
	for (i = 0; i < ncols; i++)
		oids[i] = PQftype(r, i);
	for (row = 0; row < nrows && fn != NULL; row++) {
		for (i = 0; i < ncols; i++)
			column_value(r, row, i, oids[i], &cols[i]);
		if (fn(ctx, ncols, cols) != 0)
			break;
	}
out:
	PQclear(r);
	buf_free(&pgsql);
	return ret;
}

static int
pg_simple(struct pg_conn *c, const char *sql, struct err *e)
{
	PGresult *r = PQexec(c->pg, sql);
	int rc = 0;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_error(c, r, e);
	PQclear(r);
	return rc;
}

static int
pg_begin(void *conn, struct err *e)
{
	struct pg_conn *c = conn;

	if (ensure_conn(c, e) != 0)
		return -1;
	if (c->pooled) {
		/* the session's settings (setup_session) went to whichever
		 * server session the pooler gave then: say them again for
		 * this transaction's */
		char sql[PG_SETUP_MAX];
		snprintf(sql, sizeof(sql), "BEGIN ISOLATION LEVEL READ COMMITTED; "
		    "SET LOCAL lock_timeout = %d; SET LOCAL jit = off", DB_BUSY_TIMEOUT_MS);
		if (pg_simple(c, sql, e) != 0)
			return -1;
	} else if (pg_simple(c, "BEGIN ISOLATION LEVEL READ COMMITTED", e) != 0) {
		return -1;
	}
	c->in_tx = true;
	return 0;
}

static int
pg_commit(void *conn, struct err *e)
{
	struct pg_conn *c = conn;
	PGresult *r;
	int rc = 0;

	if (c->lost || PQstatus(c->pg) != CONNECTION_OK) {
		c->lost = true;
		return err_set(e, ERR_UNAVAILABLE, "mất kết nối tới cơ sở dữ liệu giữa "
		    "giao dịch; giao dịch bị hủy, xin thử lại");
	}
	/* After an error PostgreSQL answers COMMIT with ROLLBACK (and no
	 * error): say so rather than report work as saved. */
	if (PQtransactionStatus(c->pg) == PQTRANS_INERROR) {
		pg_simple(c, "ROLLBACK", NULL);
		c->in_tx = false;
		return err_set(e, ERR_DB, "giao dịch đã bị hủy do một lỗi trước đó; "
		    "dữ liệu không được ghi");
	}
	r = PQexec(c->pg, "COMMIT");
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = map_error(c, r, e);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = err_set(e, ERR_DB, "giao dịch đã bị hủy; dữ liệu không được ghi");
	PQclear(r);
	if (rc == 0 || PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		c->in_tx = false;
	return rc;
}

static void
pg_rollback(void *conn)
{
	struct pg_conn *c = conn;

	c->in_tx = false;
	if (c->lost || PQstatus(c->pg) != CONNECTION_OK) {
		c->lost = true; /* the server rolled back when the session died */
		return;
	}
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		pg_simple(c, "ROLLBACK", NULL);
}

/* Identity columns keep their own counter, which explicit ids do not move:
 * without this the next ordinary insert would be given id 1 again.  The
 * next value becomes MAX(id) + 1 (1 on an empty table). */
static int
pg_after_bulk_ids(void *conn, const char *table, struct err *e)
{
	struct db_value p = dbv_text(table);
	char sql[PG_SETUP_MAX];
	int n;

	n = snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence(?, "
	    "'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)", table);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return err_set(e, ERR_INTERNAL, "tên bảng quá dài");
	return pg_query(conn, sql, &p, 1, NULL, NULL, e);
}

/* COPY ... FROM STDIN with the data in one piece (store_bulk.c builds a
 * batch in memory); the server's answer after the end of the data is the
 * COPY's result. */
static int
pg_copy_in(void *conn, const char *sql, const char *data, size_t len,
    struct err *e)
{
	struct pg_conn *c = conn;
	PGresult *r;
	int rc = 0;

	if (ensure_conn(c, e) != 0)
		return -1;
	r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = map_error(c, r, e);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	while (len > 0 && rc == 0) {
		int n = len > (size_t)1 << 20 ? 1 << 20 : (int)len;
		if (PQputCopyData(c->pg, data, n) != 1)
			rc = err_set(e, ERR_DB, "không gửi được dữ liệu: %s",
			    PQerrorMessage(c->pg));
		data += n;
		len -= (size_t)n;
	}
	if (PQputCopyEnd(c->pg, rc == 0 ? NULL : "gửi dữ liệu lỗi") != 1 && rc == 0)
		rc = err_set(e, ERR_DB, "không kết thúc được COPY: %s",
		    PQerrorMessage(c->pg));
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
			rc = map_error(c, r, e);
		PQclear(r);
	}
	return rc;
}

const struct db_ops db_pg_ops = {
	.engine = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec_script = pg_exec_script,
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.after_bulk_ids = pg_after_bulk_ids,
	.copy_in = pg_copy_in,
	.columns_sql = "SELECT column_name::text, data_type::text "
	    "FROM information_schema.columns WHERE table_schema = current_schema() "
	    "AND table_name = ? ORDER BY ordinal_position",
	/* "xmin:xmax:in-progress": a transaction that got an id (it wrote)
	 * and finished since the last look has left the in-progress list or
	 * moved xmax, so any commit changes the text (other databases of the
	 * cluster too: a needless change costs a cache miss, nothing more) */
	.data_version_sql = "SELECT pg_current_snapshot()::text",
	/* ICU collations are imported by initdb on Debian's PostgreSQL */
	.text_order = "COLLATE \"vi-x-icu\"",
	/* The planner guesses a recursive step's rows at ten times the rows
	 * before it: some 578,000 for a province's 161 units.  At that guess
	 * it merge-joins the whole parent_id index on every step (15 ms), and
	 * UNION sizes its duplicate-removing hash table for that many rows
	 * (33 ms, whatever the real count).  LATERAL with OFFSET 0 (never
	 * pulled up into a join) makes each step one index probe per unit
	 * found; UNION ALL keeps no hash table.  A unit reached twice (two
	 * reorganisations going back to one old unit) is listed twice, which
	 * IN (...) does not mind; the depth (the 2025 communes' lineage is one
	 * step, a province's tree three) stops a cycle that UNION would have
	 * ended, should one ever be stored.  0.5 ms instead of 50; the same
	 * set as STORE_SUBTREE_SQL, which SQLite runs as probes anyway. */
	.subtree_sql = "(WITH RECURSIVE roots(id, d) AS (SELECT ?::int8, 0 UNION ALL "
	    "SELECT l.old_unit_id, r.d + 1 FROM unit_lineage l JOIN roots r "
	    "ON l.new_unit_id = r.id WHERE r.d < 32), "
	    "sub(id, d) AS (SELECT id, 0 FROM roots UNION ALL "
	    "SELECT a.id, sub.d + 1 FROM sub, LATERAL (SELECT x.id FROM admin_unit x "
	    "WHERE x.parent_id = sub.id OFFSET 0) a WHERE sub.d < 32) "
	    "SELECT id FROM sub)",
	/* the insert position, not the write position: with asynchronous
	 * commit a returned commit may not be written yet, but it is inserted */
	.wal_position_sql = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::int8",
	/* Lag in time, measured on the standby alone (no call to the primary
	 * per check): the time since the last replayed commit when WAL has
	 * been received but not replayed, 0 when everything received is
	 * replayed - an idle primary makes no lag, where now() -
	 * pg_last_xact_replay_timestamp() alone would grow forever.  A
	 * standby cut off from its primary receives nothing and looks
	 * current: pg_stat_wal_receiver shows that, not this. */
	.replica_status_sql = "SELECT pg_is_in_recovery()::int, "
	    "COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8, 0), "
	    "CASE WHEN NOT pg_is_in_recovery() OR "
	    "pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0 "
	    "ELSE COALESCE(EXTRACT(epoch FROM now() - "
	    "pg_last_xact_replay_timestamp()), 0) END::float8",
};
