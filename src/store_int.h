/*
 * store_int.h - what store.c needs from a database backend.  Only store*.c
 * include this.  A backend is a table of function pointers (as SQLite's VFS
 * or curl's TLS backends), chosen once by store_open from the URL.
 */
#ifndef GIAPRANH_STORE_INT_H
#define GIAPRANH_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum db_type { DB_NULL, DB_INT, DB_REAL, DB_TEXT };

struct db_value {
	enum db_type type;
	int64_t i;
	double d;
	const char *s; /* DB_TEXT: NUL-terminated, valid during the callback */
};

/* Called once per result row; return non-zero to stop early. */
typedef int (*db_row_fn)(void *ctx, int ncols, const struct db_value *cols);

struct db_ops {
	const char *engine;
	int (*open)(const char *target, void **conn, struct err *e);
	void (*close)(void *conn);
	/* Trusted SQL only (embedded migrations): may hold several statements. */
	int (*exec_script)(void *conn, const char *sql, struct err *e);
	/* One statement with '?' placeholders bound to params. */
	int (*query)(void *conn, const char *sql, const struct db_value *params,
	    size_t nparams, db_row_fn fn, void *ctx, struct err *e);
	int (*begin)(void *conn, struct err *e);
	int (*commit)(void *conn, struct err *e);
	void (*rollback)(void *conn);
};

extern const struct db_ops db_sqlite_ops;

struct store {
	const struct db_ops *ops;
	void *conn;
	int tx_depth; /* 0: none, 1: transaction, >1: savepoints inside */
};

/* Helpers shared by store.c and store_units.c */
int store_query(struct store *s, const char *sql, const struct db_value *p,
    size_t np, db_row_fn fn, void *ctx, struct err *e);
/* Rows of `ent` selected with a WHERE/ORDER tail (trusted text built by the
 * store) and bound params, as a JSON array of records. */
json_t *store_select(struct store *s, const struct entity_def *ent,
    const char *tail, const struct db_value *p, size_t np, struct err *e);

static inline struct db_value
dbv_int(int64_t i)
{
	struct db_value v = { DB_INT, i, 0, NULL };
	return v;
}

static inline struct db_value
dbv_text(const char *s)
{
	struct db_value v = { s ? DB_TEXT : DB_NULL, 0, 0, s };
	return v;
}

#endif
