/*
 * store_bulk.c - bulk loads (store.h, "bulk loads"): typed rows written
 * straight to the table and the audit log, without a JSON object per row.
 *
 * Per row the generic path (records_create) validates through JSON, opens a
 * savepoint, inserts, selects the stored record back, json_dumps it for the
 * audit entry and inserts that.  Here the caller has validated already
 * (bulk.c) and the stored record is known without asking: version 1, the
 * timestamps we bind, the values we bind.  Its JSON is written directly, in
 * the bytes json_dumps(JSON_COMPACT | JSON_SORT_KEYS) gives for the record
 * store_get would return (tests/unit/domain/test_csvio.c compares the two).
 *
 * SQLite: one cached prepared INSERT per row and one for its audit entry,
 * no savepoint (a failed statement undoes only itself).
 * PostgreSQL: rows are kept in batches of STORE_BULK_BATCH; a batch gets
 * its ids from the table's sequence, then is sent with two COPYs (records,
 * audit entries) inside a savepoint.  When the database refuses the batch
 * (a key already taken), the savepoint is rolled back and the batch written
 * again row by row, each in its own savepoint, to name the row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "store/store_int.h"
#include "text/text.h"

/* one record's JSON: json_text reserves 6 bytes for each byte of a text
 * (its worst escape) before writing it, so a long text of TEXT_LONG_MAX
 * characters (4 bytes each at most) needs that much room, beside the
 * record's other values (a long text of 180,000 bytes was refused) */
#define BULK_JSON_MAX  ((size_t)TEXT_LONG_MAX * 4 * 6 * 4)
#define BULK_COPY_MAX  ((size_t)1 << 30)   /* one batch's COPY text         */
#define COMMON_KEYS    5                   /* id, version, created_at, ...  */

/* A row kept for the PostgreSQL batch (its text values in one block). */
struct bulk_row {
	long line;
	bool illustrative;
	struct db_value *vals; /* nfields                                 */
	char *text;            /* the strings vals point into              */
};

/* One key of the audit JSON in sorted order: a common column (< 0) or a
 * field index. */
struct json_key {
	const char *name;
	char prefix[80];   /* ,"name":                                   */
	size_t prefix_len;
	int field; /* -1 id, -2 version, -3 created_at, -4 updated_at, -5 ill. */
};

/* The JSON being written (see jw_reserve). */
struct jw {
	char *p;
	size_t len, cap;
	bool failed;
};

struct store_bulk {
	struct store *s;
	const struct entity_def *ent;
	const struct entity_def *audit;
	bool pg;
	bool self_ref;              /* rows may refer to rows of the same load */
	int64_t user_id;
	const char *actor;
	char *audit_key;            /* search key of every audit entry        */
	char *insert_sql, *audit_sql;
	struct json_key keys[COMMON_KEYS + SQL_PARAMS_MAX];
	size_t nkeys;
	struct jw json;             /* the after_json being written           */
	store_bulk_reject_fn reject;
	void *ctx;
	long written;
	int64_t next_id;            /* SQLite: the last id given              */
	/* PostgreSQL batch */
	struct bulk_row *rows;
	size_t nrows;
	struct buf copy;
};

/* What store_insert does after an insert besides the insert: an entity
 * whose answers the reference cache holds may have a row undone later. */
static void
bulk_inserted(struct store *s, const struct entity_def *ent)
{
	size_t i;

	for (i = 0; s->refs_on && i < s->refs.nents; i++)
		if (s->refs.ents[i] == ent)
			s->refs.tainted = true;
}

static int returned_id(void *ctx, int n, const struct db_value *c);

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct json_key *)a)->name,
	    ((const struct json_key *)b)->name);
}

/* The search key of a row (store_search_key_texts), or NULL when out of
 * memory. */
static char *
row_search_key(const struct entity_def *ent, const struct db_value *vals)
{
	const char *text[SQL_PARAMS_MAX];
	size_t i;

	for (i = 0; i < ent->nfields; i++)
		text[i] = vals[i].type == DB_TEXT ? vals[i].s : NULL;
	return store_search_key_texts(ent, text);
}

/* The audit entry of the row created with id (store_audit_values: the
 * columns of records_audit's entry). */
static void
audit_values(const struct store_bulk *b, int64_t id, const char *now,
    const char *after, struct db_value *out)
{
	struct store_audit a = { b->actor, b->user_id, "create", b->ent->name, id,
		NULL, after };

	store_audit_values(b->audit, &a, now, out);
}

static char *
insert_text(const struct entity_def *ent, bool with_id, bool returning)
{
	struct buf sql;
	size_t i;

	buf_init(&sql, SQL_MAX);
	buf_addf(&sql, "INSERT INTO %s (%sversion, created_at, updated_at, "
	    "illustrative, search_key", ent->name, with_id ? "id, " : "");
	for (i = 0; i < ent->nfields; i++)
		buf_addf(&sql, ", %s", ent->fields[i].name);
	buf_adds(&sql, with_id ? ") VALUES (?, 1, ?, ?, ?, ?" : ") VALUES (1, ?, ?, ?, ?");
	for (i = 0; i < ent->nfields; i++)
		buf_adds(&sql, ", ?");
	buf_adds(&sql, returning ? ") RETURNING id" : ")");
	if (buf_failed(&sql)) {
		buf_free(&sql);
		return NULL;
	}
	return buf_take(&sql);
}

struct store_bulk *
store_bulk_open(struct store *s, const struct entity_def *ent,
    int64_t user_id, const char *actor, store_bulk_reject_fn reject,
    void *ctx, struct err *e)
{
	struct store_bulk *b;
	size_t i;

	if (s->tx_depth <= 0) {
		err_set(e, ERR_INTERNAL, "nạp hàng loạt ngoài giao dịch");
		return NULL;
	}
	if (ent->nfields + 5 > SQL_PARAMS_MAX) {
		err_set(e, ERR_INTERNAL, "%s có quá nhiều trường", ent->label);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (b == NULL) {
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		return NULL;
	}
	b->s = s;
	b->ent = ent;
	b->audit = entity_of(ENT_AUDIT_LOG);
	b->pg = strcmp(store_engine(s), "postgres") == 0;
	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].type == FT_REF &&
		    strcmp(ent->fields[i].arg, ent->name) == 0)
			b->self_ref = true;
	b->user_id = user_id;
	b->actor = actor;
	b->reject = reject;
	b->ctx = ctx;
	/* the audit entry's search key folds what does not change between
	 * the rows of a load (actor, entity): made once */
	if (b->audit != NULL && b->audit->nfields <= SQL_PARAMS_MAX) {
		struct db_value av[SQL_PARAMS_MAX];
		audit_values(b, 0, "", "", av);
		b->audit_key = row_search_key(b->audit, av);
	}
	/* SQLite: ids given here (the largest + 1, what the rowid would be:
	 * the load holds the write lock), and no RETURNING - a statement
	 * with RETURNING keeps a statement journal, a third of the cost of
	 * an insert */
	b->insert_sql = insert_text(ent, !b->pg, b->pg);
	b->audit_sql = b->audit ? insert_text(b->audit, false, b->pg) : NULL;
	if (!b->pg) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(id), 0) FROM %s", ent->name);
		if (store_query(s, sql, NULL, 0, returned_id, &b->next_id, e) != 0) {
			store_bulk_close(b);
			return NULL;
		}
	}
	/* the keys of the stored record, in json_dumps' sorted order */
	b->keys[b->nkeys++] = (struct json_key){ "id", { 0 }, 0, -1 };
	b->keys[b->nkeys++] = (struct json_key){ "version", { 0 }, 0, -2 };
	b->keys[b->nkeys++] = (struct json_key){ "created_at", { 0 }, 0, -3 };
	b->keys[b->nkeys++] = (struct json_key){ "updated_at", { 0 }, 0, -4 };
	b->keys[b->nkeys++] = (struct json_key){ COMMON_ILLUSTRATIVE, { 0 }, 0, -5 };
	for (i = 0; i < ent->nfields; i++)
		if (!(ent->fields[i].flags & F_SECRET))
			b->keys[b->nkeys++] = (struct json_key){ ent->fields[i].name,
				{ 0 }, 0, (int)i };
	qsort(b->keys, b->nkeys, sizeof(b->keys[0]), cmp_key);
	for (i = 0; i < b->nkeys; i++) {
		/* field names are plain identifiers: nothing to escape */
		int n = snprintf(b->keys[i].prefix, sizeof(b->keys[i].prefix),
		    ",\"%s\":", b->keys[i].name);
		b->keys[i].prefix_len = n > 0 && (size_t)n < sizeof(b->keys[i].prefix) ?
		    (size_t)n : 0;
	}
	buf_init(&b->copy, BULK_COPY_MAX);
	if (b->audit == NULL || b->audit_key == NULL || b->insert_sql == NULL ||
	    b->audit_sql == NULL) {
		store_bulk_close(b);
		err_set(e, ERR_INTERNAL, "không chuẩn bị được việc nạp %s", ent->label);
		return NULL;
	}
	return b;
}

/* ---- the record's JSON, as json_dumps writes it -------------------------- */

/* The JSON is written with one capacity check per value rather than one
 * per byte (it was a fifth of a load's instructions through buf_addc). */
static bool
jw_reserve(struct jw *w, size_t n)
{
	char *p;
	size_t cap;

	if (w->failed)
		return false;
	if (w->len + n + 1 <= w->cap)
		return true;
	if (w->len + n + 1 > BULK_JSON_MAX) {
		w->failed = true;
		return false;
	}
	for (cap = w->cap ? w->cap : 4096; cap < w->len + n + 1; cap *= 2)
		;
	if ((p = realloc(w->p, cap)) == NULL) {
		w->failed = true;
		return false;
	}
	w->p = p;
	w->cap = cap;
	return true;
}

static void
jw_add(struct jw *w, const char *s, size_t n)
{
	if (!jw_reserve(w, n))
		return;
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

/* jansson's dump_string: '"', '\\' and control characters escaped, the
 * usual ones by letter, the others as \uXXXX; the rest as is (UTF-8). */
static void
json_text(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	char *o;

	if (!jw_reserve(w, n * 6 + 2))
		return;
	o = w->p + w->len;
	*o++ = '"';
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '\\';
		switch (*p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
			break;
		}
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
}

/* Decimal digits of i into the end of t; returns where they start. */
static char *
int_digits(char *end, int64_t i)
{
	uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;

	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (i < 0)
		*--end = '-';
	return end;
}

static void
json_int_text(struct jw *w, int64_t i)
{
	char t[24], *p = int_digits(t + sizeof(t), i);

	jw_add(w, p, (size_t)(t + sizeof(t) - p));
}

/* jansson's jsonp_dtostr: "%.17g", ".0" added to a number without '.' or
 * 'e', the exponent without '+' and leading zeros. */
static void
json_real_text(struct jw *w, double d)
{
	char t[64], *start, *end;
	size_t len;
	int n;

	/* whole numbers below 1e15 print as digits with %.17g: skip printf */
	if (d == floor(d) && fabs(d) < 1e15 && !signbit(d)) {
		char *p = int_digits(t + sizeof(t) - 2, (int64_t)d);
		t[sizeof(t) - 2] = '.';
		t[sizeof(t) - 1] = '0';
		jw_add(w, p, (size_t)(t + sizeof(t) - p));
		return;
	}
	n = snprintf(t, sizeof(t), "%.17g", d);
	if (n < 0 || (size_t)n >= sizeof(t) - 3)
		return;
	len = (size_t)n;
	if (strchr(t, '.') == NULL && strchr(t, 'e') == NULL) {
		memcpy(t + len, ".0", 3);
		len += 2;
	}
	if ((start = strchr(t, 'e')) != NULL) {
		start++;
		end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - t) + 1);
			len -= (size_t)(end - start);
		}
	}
	jw_add(w, t, len);
}

/* A field value as store_get types it (value_to_json in store.c). */
static void
json_value(struct jw *w, const struct db_value *v, enum field_type t)
{
	switch (v->type) {
	case DB_NULL:
		jw_add(w, "null", 4);
		break;
	case DB_INT:
		if (t == FT_BOOLEAN)
			jw_add(w, v->i ? "true" : "false", v->i ? 4 : 5);
		else if (t == FT_DECIMAL)
			json_real_text(w, (double)v->i);
		else
			json_int_text(w, v->i);
		break;
	case DB_REAL:
		if (t == FT_INTEGER || t == FT_REF)
			json_int_text(w, (int64_t)v->d);
		else
			json_real_text(w, v->d);
		break;
	case DB_TEXT:
		json_text(w, v->s);
		break;
	}
}

static const char *
record_json(struct store_bulk *b, int64_t id, const char *now,
    const struct db_value *vals, bool illustrative)
{
	struct jw *w = &b->json;
	size_t i;

	w->len = 0;
	w->failed = false;
	jw_add(w, "{", 1);
	for (i = 0; i < b->nkeys; i++) {
		const struct json_key *k = &b->keys[i];
		/* '"name":' (with the ',' before it) written once per load */
		jw_add(w, k->prefix + (i == 0), k->prefix_len - (i == 0));
		switch (k->field) {
		case -1: json_int_text(w, id); break;
		case -2: jw_add(w, "1", 1); break;
		case -3:
		case -4: json_text(w, now); break;
		case -5: jw_add(w, illustrative ? "true" : "false", illustrative ? 4 : 5); break;
		default:
			json_value(w, &vals[k->field], b->ent->fields[k->field].type);
			break;
		}
	}
	jw_add(w, "}", 1);
	if (w->failed || !jw_reserve(w, 0))
		return NULL;
	w->p[w->len] = '\0';
	return w->p;
}

/* ---- one row with statements (SQLite; PostgreSQL's fallback) ------------- */

static int
returned_id(void *ctx, int n, const struct db_value *c)
{
	if (n > 0 && c[0].type == DB_INT)
		*(int64_t *)ctx = c[0].i;
	return 1;
}

static int
audit_row(struct store_bulk *b, const char *now, int64_t id, const char *after,
    struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	size_t np = 0;
	int64_t aid = 0;

	p[np++] = dbv_text(now);
	p[np++] = dbv_text(now);
	p[np++] = dbv_int(0);
	p[np++] = dbv_text(b->audit_key);
	audit_values(b, id, now, after, p + np);
	np += b->audit->nfields;
	if (store_query(b->s, b->audit_sql, p, np, returned_id, &aid, e) != 0)
		return -1;
	if (aid == 0 && b->pg)
		return err_set(e, ERR_DB, "không ghi được nhật ký thao tác");
	return 0;
}

/* Insert one row and its audit entry; a refused row (constraint) goes to
 * the reject callback and returns 0, other failures -1. */
static int
write_row(struct store_bulk *b, long line, const struct db_value *vals,
    bool illustrative, const char *now, struct err *e)
{
	struct db_value p[SQL_PARAMS_MAX];
	struct err re = { 0 };
	const char *after;
	char *key = row_search_key(b->ent, vals);
	int64_t id = 0;
	size_t np = 0;
	int rc;

	if (key == NULL)
		return err_nomem(e);

	if (!b->pg)
		p[np++] = dbv_int(id = b->next_id + 1);
	p[np++] = dbv_text(now);
	p[np++] = dbv_text(now);
	p[np++] = dbv_int(illustrative);
	p[np++] = dbv_text(key);
	memcpy(p + np, vals, b->ent->nfields * sizeof(*vals));
	np += b->ent->nfields;
	rc = store_query(b->s, b->insert_sql, p, np, b->pg ? returned_id : NULL,
	    &id, &re);
	free(key);
	if (rc == 0 && id == 0)
		rc = err_set(&re, ERR_DB, "không ghi được %s", b->ent->label);
	if (rc != 0) {
		if (re.code == ERR_CONFLICT) {
			store_conflict_named(b->ent, &re);
			b->reject(b->ctx, line, &re);
			err_clear(&re);
			return 0;
		}
		err_set(e, re.code, "%s", re.msg);
		err_clear(&re);
		return -1;
	}
	if (!b->pg)
		b->next_id = id;
	bulk_inserted(b->s, b->ent);
	after = record_json(b, id, now, vals, illustrative);
	if (after == NULL)
		return err_set(e, ERR_INTERNAL, "bản ghi quá lớn để ghi nhật ký");
	if (audit_row(b, now, id, after, e) != 0)
		return -1;
	b->written++;
	return 0;
}

/* ---- PostgreSQL batches ---------------------------------------------------- */

/* COPY's text format: backslash, tab, newline and carriage return escaped;
 * \N is NULL. */
static void
copy_text(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc;
		switch (*s) {
		case '\\': esc = "\\\\"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, esc);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
}

static void
buf_int(struct buf *b, int64_t i)
{
	char t[24], *p = int_digits(t + sizeof(t), i);

	buf_add(b, p, (size_t)(t + sizeof(t) - p));
}

static void
copy_value(struct buf *b, const struct db_value *v)
{
	switch (v->type) {
	case DB_NULL: buf_adds(b, "\\N"); break;
	case DB_INT: buf_int(b, v->i); break;
	case DB_REAL: buf_addf(b, "%.17g", v->d); break;
	case DB_TEXT: copy_text(b, v->s); break;
	}
}

static int
collect_id(void *ctx, int n, const struct db_value *c)
{
	struct { int64_t *ids; size_t n, max; } *ic = ctx;

	if (n > 0 && c[0].type == DB_INT && ic->n < ic->max)
		ic->ids[ic->n++] = c[0].i;
	return 0;
}

static void
free_rows(struct store_bulk *b)
{
	size_t i;

	for (i = 0; i < b->nrows; i++) {
		free(b->rows[i].vals);
		free(b->rows[i].text);
	}
	b->nrows = 0;
}

/* The batch through COPY; -1 when the database refused it (e says why). */
static int
copy_batch(struct store_bulk *b, const char *now, struct err *e)
{
	struct { int64_t *ids; size_t n, max; } ic = { NULL, 0, b->nrows };
	struct db_value p[2] = { dbv_text(b->ent->name), dbv_int((int64_t)b->nrows) };
	struct db_value av[SQL_PARAMS_MAX];
	struct buf sql, audit;
	size_t i, j;
	int rc = -1;

	ic.ids = malloc(b->nrows * sizeof(int64_t));
	if (ic.ids == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	buf_init(&sql, SQL_MAX);
	buf_init(&audit, BULK_COPY_MAX);
	buf_reset(&b->copy);
	if (store_query(b->s, "SELECT nextval(pg_get_serial_sequence(?, 'id')) "
	    "FROM generate_series(1, ?)", p, 2, collect_id, &ic, e) != 0)
		goto out;
	if (ic.n != b->nrows) {
		err_set(e, ERR_DB, "không cấp được mã bản ghi cho %s", b->ent->label);
		goto out;
	}
	for (i = 0; i < b->nrows; i++) {
		const struct bulk_row *r = &b->rows[i];
		char *key = row_search_key(b->ent, r->vals);
		const char *after;
		if (key == NULL) {
			err_nomem(e);
			goto out;
		}
		buf_int(&b->copy, ic.ids[i]);
		buf_addf(&b->copy, "\t1\t%s\t%s\t%d\t", now, now, r->illustrative);
		copy_text(&b->copy, key);
		free(key);
		for (j = 0; j < b->ent->nfields; j++) {
			buf_addc(&b->copy, '\t');
			copy_value(&b->copy, &r->vals[j]);
		}
		buf_addc(&b->copy, '\n');
		after = record_json(b, ic.ids[i], now, r->vals, r->illustrative);
		if (after == NULL) {
			err_set(e, ERR_INTERNAL, "bản ghi quá lớn để ghi nhật ký");
			goto out;
		}
		/* audit_log's columns as audit_row binds them */
		buf_addf(&audit, "1\t%s\t%s\t0\t", now, now);
		copy_text(&audit, b->audit_key);
		audit_values(b, ic.ids[i], now, after, av);
		for (j = 0; j < b->audit->nfields; j++) {
			buf_addc(&audit, '\t');
			copy_value(&audit, &av[j]);
		}
		buf_addc(&audit, '\n');
	}
	if (buf_failed(&b->copy) || buf_failed(&audit)) {
		err_set(e, ERR_TOO_LARGE, "lô dữ liệu quá lớn");
		goto out;
	}
	buf_addf(&sql, "COPY %s (id, version, created_at, updated_at, illustrative, "
	    "search_key", b->ent->name);
	for (j = 0; j < b->ent->nfields; j++)
		buf_addf(&sql, ", %s", b->ent->fields[j].name);
	buf_adds(&sql, ") FROM STDIN");
	if (b->s->ops->copy_in(b->s->conn, buf_str(&sql), b->copy.data, b->copy.len, e) != 0)
		goto out;
	buf_reset(&sql);
	buf_adds(&sql, "COPY audit_log (version, created_at, updated_at, illustrative, "
	    "search_key");
	for (j = 0; j < b->audit->nfields; j++)
		buf_addf(&sql, ", %s", b->audit->fields[j].name);
	buf_adds(&sql, ") FROM STDIN");
	if (b->s->ops->copy_in(b->s->conn, buf_str(&sql), audit.data, audit.len, e) != 0)
		goto out;
	rc = 0;
out:
	free(ic.ids);
	buf_free(&sql);
	buf_free(&audit);
	return rc;
}

static int
flush_batch(struct store_bulk *b, struct err *e)
{
	char now[CLOCK_TIMESTAMP_LEN];
	struct err ce = { 0 };
	size_t i;
	int rc = 0;

	if (b->nrows == 0)
		return 0;
	clock_timestamp(now);
	if (store_begin(b->s, e) != 0)
		return -1;
	if (copy_batch(b, now, &ce) == 0) {
		if (store_commit(b->s, e) != 0)
			rc = -1;
		else {
			b->written += (long)b->nrows;
			bulk_inserted(b->s, b->ent);
		}
	} else if (ce.code == ERR_CONFLICT) {
		/* someone's key is taken: find whose, one row at a time */
		store_rollback(b->s);
		for (i = 0; rc == 0 && i < b->nrows; i++) {
			const struct bulk_row *r = &b->rows[i];
			long before = b->written;
			if (store_begin(b->s, e) != 0) {
				rc = -1;
				break;
			}
			rc = write_row(b, r->line, r->vals, r->illustrative, now, e);
			if (rc == 0 && b->written > before)
				rc = store_commit(b->s, e);
			else
				store_rollback(b->s);
		}
	} else {
		store_rollback(b->s);
		err_set(e, ce.code, "%s", ce.msg);
		rc = -1;
	}
	err_clear(&ce);
	free_rows(b);
	return rc;
}

/* Keep a copy of the row for the batch. */
static int
keep_row(struct store_bulk *b, long line, const struct db_value *vals,
    bool illustrative, struct err *e)
{
	struct bulk_row *r;
	size_t i, n = b->ent->nfields, len = 0;
	char *t;

	if (b->rows == NULL &&
	    (b->rows = calloc(STORE_BULK_BATCH, sizeof(*b->rows))) == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	r = &b->rows[b->nrows];
	for (i = 0; i < n; i++)
		if (vals[i].type == DB_TEXT)
			len += strlen(vals[i].s) + 1;
	r->vals = malloc(n * sizeof(*vals));
	r->text = t = malloc(len + 1);
	if (r->vals == NULL || r->text == NULL) {
		free(r->vals);
		free(r->text);
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	}
	for (i = 0; i < n; i++) {
		r->vals[i] = vals[i];
		if (vals[i].type == DB_TEXT) {
			size_t l = strlen(vals[i].s) + 1;
			memcpy(t, vals[i].s, l);
			r->vals[i].s = t;
			t += l;
		}
	}
	r->line = line;
	r->illustrative = illustrative;
	b->nrows++;
	return b->nrows >= STORE_BULK_BATCH ? flush_batch(b, e) : 0;
}

/* ---- the interface ---------------------------------------------------------- */

int
store_bulk_row(struct store_bulk *b, long line, const struct store_val *vals,
    bool illustrative, struct err *e)
{
	struct db_value v[SQL_PARAMS_MAX];
	char now[CLOCK_TIMESTAMP_LEN];
	size_t i;

	for (i = 0; i < b->ent->nfields; i++) {
		switch (vals[i].type) {
		case SV_INT: v[i] = dbv_int(vals[i].i); break;
		case SV_REAL: v[i] = (struct db_value){ DB_REAL, 0, vals[i].d, NULL }; break;
		case SV_TEXT: v[i] = dbv_text(vals[i].s); break;
		default: v[i] = (struct db_value){ DB_NULL, 0, 0, NULL }; break;
		}
	}
	/* a row may refer to one earlier in the same load, checked before
	 * a batch would have written it: such entities go row by row */
	if (b->pg && !b->self_ref)
		return keep_row(b, line, v, illustrative, e);
	clock_timestamp(now);
	if (!b->pg)
		return write_row(b, line, v, illustrative, now, e);
	/* PostgreSQL: a failed statement aborts the transaction, so each row
	 * has its savepoint */
	{
		long before = b->written;
		if (store_begin(b->s, e) != 0)
			return -1;
		if (write_row(b, line, v, illustrative, now, e) != 0) {
			store_rollback(b->s);
			return -1;
		}
		if (b->written > before)
			return store_commit(b->s, e);
		store_rollback(b->s);
		return 0;
	}
}

int
store_bulk_flush(struct store_bulk *b, struct err *e)
{
	return flush_batch(b, e);
}

long
store_bulk_written(const struct store_bulk *b)
{
	return b->written;
}

void
store_bulk_close(struct store_bulk *b)
{
	if (b == NULL)
		return;
	free_rows(b);
	free(b->rows);
	free(b->audit_key);
	free(b->insert_sql);
	free(b->audit_sql);
	free(b->json.p);
	buf_free(&b->copy);
	free(b);
}
