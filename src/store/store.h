/*
 * store.h - the only way into the database.
 *
 * A `struct store` is one connection to one database, chosen by URL:
 *   "sqlite:PATH" (or a bare path)  embedded SQLite (store_sqlite.c)
 *   "postgres://…", "postgresql://…" PostgreSQL via libpq (store_pg.c)
 * A store is used by one thread at a time; a server opens one per worker.
 *
 * Records cross this interface as JSON objects keyed by field name, holding
 * values already validated and typed by validate.c (integers, reals, strings,
 * booleans, null).  Besides the entity's fields a record carries the common
 * keys "id", "version", "created_at", "updated_at" and "illustrative".
 * Every SQL statement is built here from the registry, with user data bound
 * as parameters; no caller passes SQL in.
 */
#ifndef GIAPRANH_STORE_H
#define GIAPRANH_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/gplimits.h"
#include "schema/registry.h"

struct store;

#define STORE_DEFAULT_URL "sqlite:giapranh.db"

int store_open(const char *url, struct store **out, struct err *e);
void store_close(struct store *s);
/* A PostgreSQL URL may carry one parameter of ours, pool_mode=transaction:
 * the server is reached through a pooler in transaction mode (PgBouncer
 * before 1.21), where a session outlives no transaction - no named prepared
 * statements (each statement is parsed unnamed), session settings per
 * transaction (SET LOCAL).  libpq refuses parameters it does not know:
 * this copies url to out without it and sets *pooled when it was there
 * (pool_mode=session is dropped too, changing nothing).  0, or -1 when out
 * (len bytes) is too small. */
int store_pg_url(const char *url, char *out, size_t len, bool *pooled);
/* "sqlite" or "postgres" */
const char *store_engine(const struct store *s);

/* Apply the embedded migrations not yet recorded, each in its own
 * transaction.  *applied (may be NULL) receives how many ran. */
int store_migrate(struct store *s, int *applied, struct err *e);
/* Refresh the planner's statistics (ANALYZE, on either engine): after a
 * load that changed the tables' sizes by orders (init's units and demo),
 * so that the first queries are not planned for empty tables. */
int store_analyze(struct store *s, struct err *e);
/* Names of the migrations recorded in the database, as a JSON array. */
json_t *store_migrations_applied(struct store *s, struct err *e);

/* Transactions nest: the outermost begin/commit is the database
 * transaction, inner ones are savepoints - an inner rollback undoes only its
 * own work and the outer transaction goes on. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* A number that changes whenever the database may have changed, for caches
 * of answers (cache.h): bumped after every write through any store of this
 * process (a commit or rollback of an outermost transaction, a write
 * statement outside one), and when this connection sees that another
 * connection or process committed since it last looked (SQLite's PRAGMA
 * data_version; PostgreSQL's snapshot: any transaction that wrote and
 * finished).  Runs that one cheap statement; a failed check counts as a
 * change.  An answer computed after reading version V may be served while
 * the version is still V. */
uint64_t store_data_version(struct store *s);
/* A request begins on this connection (server.c): until the next call,
 * store_data_version looks at the database only once - the request sees
 * other processes' commits as of its first look (writes of this process
 * still count at once). */
void store_request_start(struct store *s);
/* Count a change the store cannot see (not needed for writes through it). */
void store_data_changed(void);

/* ---- streaming replication (PostgreSQL standbys for reads) ---------------
 * Positions in the write-ahead log are PostgreSQL's LSNs as numbers (bytes
 * from 0/0), comparable across the primary and its standbys.  SQLite has
 * none: these answer 1, "not applicable" (a second SQLite connection of the
 * same file is never behind). */

/* The primary's WAL position now (its insert position): every commit of
 * any connection that has returned is at or before it.  0, or 1 when not
 * applicable (*lsn = 0), -1 with e set (not a primary, connection lost). */
int store_wal_position(struct store *s, uint64_t *lsn, struct err *e);

struct store_replica_status {
	bool standby;       /* in recovery: a standby (else a primary)          */
	uint64_t replayed;  /* WAL replayed up to here (standby only)           */
	double lag_s;       /* seconds behind: 0 when it has replayed all it
	                     * received, else since the last replayed commit    */
};
/* How far behind this connection's server is.  0, or 1 when not applicable
 * (SQLite), -1 with e set (the standby is down). */
int store_replica_status(struct store *s, struct store_replica_status *st,
    struct err *e);

/* How often a caller crossed into the database on this connection: the
 * statements run (queries, transaction statements, the data-version check)
 * and the rows they answered.  A debug statistic (`giapranh report
 * --stats`, test_report_queries): reset, run, read. */
struct store_stats {
	unsigned long long statements, rows;
};
void store_stats_get(const struct store *s, struct store_stats *out);
void store_stats_reset(struct store *s);

/* ---- generic records ---------------------------------------------------- */

/* Insert a record; fills *id.  Unique and reference violations come back as
 * ERR_CONFLICT with a message naming the field where possible. */
int store_insert(struct store *s, const struct entity_def *ent,
    const json_t *rec, int64_t *id, struct err *e);

/* Replace the fields present in rec on record id, bumping its version.  When
 * expected_version > 0 and differs, fails with ERR_STALE (nothing written). */
int store_update(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *rec, int64_t expected_version, struct err *e);

/* Delete; ERR_CONFLICT when other records still reference it. */
int store_delete(struct store *s, const struct entity_def *ent, int64_t id,
    int64_t expected_version, struct err *e);

/* A new reference to the record, or NULL with ERR_NOT_FOUND. */
json_t *store_get(struct store *s, const struct entity_def *ent, int64_t id,
    struct err *e);

/* OP_WITHIN: a reference to a record within the unit whose id is the
 * value (store_unit_within's subtree, 2025 lineage included): a unit
 * itself, or a record whose unit is (an organisation's unit, an
 * agreement's unit: the referenced entity's org unit or first scope unit
 * field) - a dashboard of a province or district lists with it. */
enum filter_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_NULL, OP_NOTNULL,
	OP_WITHIN };

struct list_filter {
	const char *field;   /* a field of the entity, or "id"/"illustrative" */
	enum filter_op op;
	json_t *value;       /* typed value (borrowed); unused for NULL ops */
};

/* The unit field of an entity that OP_WITHIN reads through a reference to
 * it: its organisation unit, else its first scope field referring to a
 * unit; NULL when it has none (admin_unit itself is the unit). */
const struct field_def *store_unit_field_of(const struct entity_def *ent);

struct list_query {
	struct list_filter filters[LIST_FILTERS_MAX];
	size_t nfilters;
	const char *search;  /* raw text; folded here (diacritics, case)      */
	const char *sort;    /* field name (checked against the registry) or NULL = id */
	bool desc;
	int64_t limit;       /* 0 = LIST_LIMIT_DEFAULT, capped at LIST_LIMIT_MAX */
	int64_t offset;
	/* Rows of confidential incidents are left out unless set. */
	bool see_confidential;
};

/* Rows as a JSON array in *rows, and the count of all matching rows in
 * *total (may be NULL to skip counting). */
int store_list(struct store *s, const struct entity_def *ent,
    const struct list_query *q, json_t **rows, int64_t *total, struct err *e);

/* Count of every record of an entity. */
int store_count(struct store *s, const struct entity_def *ent, int64_t *n,
    struct err *e);

/* True when a record with that id exists. */
bool store_exists(struct store *s, const struct entity_def *ent, int64_t id);

/* Whether a record of ent can be hidden from a reader without clearance
 * (confidential, owned by or attached to a confidential record, or an
 * entry of one in the workflow history or audit log). */
bool store_may_be_confidential(const struct entity_def *ent);
/* store_exists_checked as a reader sees it: without see_confidential, a
 * record hidden from readers without clearance answers 0 - exactly as a
 * missing one, so that a reference to it cannot tell that it exists. */
int store_exists_visible(struct store *s, const struct entity_def *ent,
    int64_t id, bool see_confidential, struct err *e);

/* The user who created record id of ent, from its audit entry (the last
 * "create" of that id); 0 when none (the system, shipped or demo data). */
int store_record_creator(struct store *s, const struct entity_def *ent,
    int64_t id, int64_t *user_id, struct err *e);

/* True when catalog `catalog` has an item `code`. */
bool store_catalog_has(struct store *s, const char *catalog, const char *code);

/* The same telling "no" (0) from "could not look" (-1, e set: out of
 * memory, the database): for checks whose "no" blames the user's input.
 * 1 when it is there. */
int store_exists_checked(struct store *s, const struct entity_def *ent,
    int64_t id, struct err *e);
int store_catalog_has_checked(struct store *s, const char *catalog,
    const char *code, struct err *e);

/* While on, store_exists and store_catalog_has remember the references
 * they found (bulk loads check the same few thousand ids on every row).
 * A delete, an update or a rollback empties the memory; turning it on or
 * off does too.  Only for a connection inside its own write transaction. */
void store_ref_cache(struct store *s, bool on);

/* Recompute search keys for rows that have none (rows seeded by SQL). */
int store_reindex(struct store *s, const struct entity_def *ent, struct err *e);

/* The distinct values (not NULL) of a text field over every row of an
 * entity, as a JSON array of strings: a period column holds a few dozen
 * whatever the rows (seed_canonicalise). */
json_t *store_distinct_text(struct store *s, const struct entity_def *ent,
    const char *field, struct err *e);

/* The password hash of an active user (F_SECRET fields never leave
 * store_get); NULL when there is no such user. */
char *store_user_secret(struct store *s, const char *login, int64_t *user_id,
    struct err *e);
int store_user_set_secret(struct store *s, int64_t user_id, const char *hash,
    struct err *e);

/* ---- administrative units ---------------------------------------------- */

/* Find a unit by code valid on a date ("YYYY-MM-DD"); with date NULL,
 * the unit of that code in force today, else the one that ended last. */
int store_unit_by_code(struct store *s, const char *code, const char *date,
    int64_t *id, struct err *e);
/* The same unit's whole record (as store_get gives it), in one query. */
json_t *store_unit_record_by_code(struct store *s, const char *code,
    const char *date, struct err *e);
/* Units as JSON arrays of records, ordered by code. */
json_t *store_unit_children(struct store *s, int64_t id, struct err *e);
json_t *store_unit_ancestors(struct store *s, int64_t id, struct err *e);
/* Level-`level` units (1 = province) valid on date, optionally under parent. */
json_t *store_units_on_date(struct store *s, const char *date, int level,
    int64_t parent_id, struct err *e);
/* 2025 successors of an old unit (following its own lineage rows, or for a
 * district or province, those of the communes under it), and the
 * predecessors of a new unit. */
json_t *store_unit_successors(struct store *s, int64_t id, struct err *e);
json_t *store_unit_predecessors(struct store *s, int64_t id, struct err *e);
/* Every unit that has had this code, on any date, the earliest first
 * (codes are reused from one reorganisation to the next). */
json_t *store_units_with_code(struct store *s, const char *code, struct err *e);
/* Whether the lineage leads from unit id, through its successors and
 * theirs, back to id itself (*cycle); -1 when it could not be looked. */
int store_lineage_cycle(struct store *s, int64_t id, bool *cycle, struct err *e);



/* ---- indicator values: answers computed in SQL --------------------------- */

/* One unit's value of an indicator for a period. */
struct store_value {
	int64_t unit_id;
	const char *unit_code; /* valid during the callback */
	bool has_target, has_actual;
	double target, actual;
};
/* Called per value; non-zero stops. */
typedef int (*store_value_fn)(void *ctx, const struct store_value *v);

/* The values of an indicator for a period (its canonical code), in unit
 * id order; within > 0 keeps the units below that unit (parent_id
 * subtree, the unit itself and the 2025 lineage left out). */
int store_indicator_values(struct store *s, int64_t indicator_id,
    const char *period, int64_t within, store_value_fn fn, void *ctx,
    struct err *e);

/* The direction of an indicator and the band thresholds of its target set
 * (NaN when not set); ERR_NOT_FOUND for an unknown indicator. */
int store_indicator_rule(struct store *s, int64_t indicator_id, char *direction,
    size_t dirlen, double *band_high, double *band_mid, struct err *e);

struct store_value_bands {
	int64_t total, high, mid, low, none;
};
/* The same values counted by achievement band in one SQL statement, with
 * achieve.h's rules for `direction` ("higher", "lower", "exact", "yesno"),
 * thresholds high and mid (percent) and equality tolerance epsilon. */
int store_indicator_bands(struct store *s, int64_t indicator_id,
    const char *period, int64_t within, const char *direction, double high,
    double mid, double epsilon, struct store_value_bands *out, struct err *e);

/* ---- schema ------------------------------------------------------------- */

/* CREATE TABLE/INDEX statements for the whole registry in the given
 * engine's dialect ("sqlite"), as the first migration was generated.
 * malloc'd; `giapranh schema-sql` prints it. */
char *store_schema_sql(const char *engine);

/* The columns of a table as the database has them: JSON object
 * {column: declared type}.  Used by tests that check registry and
 * migrations agree. */
json_t *store_table_columns(struct store *s, const char *table, struct err *e);
/* ---- named loads of shipped data (seed_run) -------------------------- */

bool store_seed_done(struct store *s, const char *name);
int store_seed_mark(struct store *s, const char *name, long records,
    struct err *e);

/* ---- sessions, tokens, scopes ------------------------------------------- */

/* Secrets are stored as hashes (auth.c hashes them). expires_at is ISO. */
int store_session_put(struct store *s, const char *token_hash, int64_t user_id,
    const char *csrf, const char *expires_at, struct err *e);
/* user id and csrf of a live session (expires_at > now), 0 when there is
 * none, -1 when the database could not answer (e says why). */
int64_t store_session_get(struct store *s, const char *token_hash,
    const char *now, char *csrf, size_t csrflen, struct err *e);
int store_session_delete(struct store *s, const char *token_hash);
int store_token_put(struct store *s, const char *token_hash, int64_t user_id,
    const char *label, struct err *e);
/* user id of an API token, 0 when unknown, -1 on a database failure. */
int64_t store_token_get(struct store *s, const char *token_hash, struct err *e);

/* ---- reminder digests (domain/remind.h) ----------------------------------- */

/* Claim the digest of a user for a day ("YYYY-MM-DD") before sending it:
 * 1 when claimed now (the caller sends it), 0 when it was claimed before
 * (sent, or being sent, by another run), -1 when the database failed (e). */
int store_digest_claim(struct store *s, int64_t user_id, const char *day,
    long items, struct err *e);
/* Give a claim back: the mail could not go, a later run tries again. */
int store_digest_release(struct store *s, int64_t user_id, const char *day,
    struct err *e);
/* The units records are kept against - each entity's unit field
 * (store_unit_field_of) - and the units above them, of level <= max_level
 * (1 provinces, 2 districts before 2025 and communes after), as
 * admin_unit records ordered by level, then name in Vietnamese order:
 * the provinces and districts a dashboard or a report scope is offered
 * for.  One statement. */
json_t *store_units_in_use(struct store *s, int max_level, struct err *e);

/* Is unit `unit` inside the subtree of `scope` - directly, or through the
 * lineage (a grant on a 2025 province covers records kept against its
 * pre-2025 provinces and communes), followed back through every
 * reorganisation (a commune formed in 2026 from 2025 communes covers
 * theirs and those of the 2024 communes they came from)? */
bool store_unit_within(struct store *s, int64_t unit, int64_t scope);
/* The same with "could not look" told apart: -1 (e set), else 0 and the
 * answer in *within. */
int store_unit_within_checked(struct store *s, int64_t unit, int64_t scope,
    bool *within, struct err *e);

/* ---- records within a unit (review reports, issue 7) ------------------- */

/* Which records: those whose unit_field is within `unit` (store_unit_within:
 * the parent_id subtree and the older units the lineage maps into
 * it) - or, with unit 0, that have a unit at all (the whole country);
 * with via set, those whose via_field refers to a `via` record whose
 * unit_field is so (recommendations of the meetings held in a province).
 * date_field (of the entity itself) within [from, to] when given
 * (ISO dates, either may be NULL).  Confidential records are left out
 * unless see_confidential, as store_list does.  One statement each. */
struct store_unit_set;
struct store_within {
	const char *unit_field;
	const struct entity_def *via;
	const char *via_field;
	int64_t unit;
	const char *date_field;
	const char *from, *to;
	bool see_confidential;
	/* unit's subtree read once (store_unit_set_read), or NULL: each
	 * statement computes it */
	const struct store_unit_set *units;
};
/* The units within a unit (store_unit_within's set) read in one statement,
 * so that the statements of a report bind them (one parameter) instead of
 * each evaluating the recursive subtree again.  Free with
 * store_unit_set_free (a zeroed set is empty and may be freed). */
struct store_unit_set {
	int64_t unit;        /* whose subtree; 0: none read */
	char *ids;           /* the ids as a JSON array */
	const char *in_sql;  /* the engine's "(SELECT id ... ?)" over ids */
};
int store_unit_set_read(struct store *s, int64_t unit, struct store_unit_set *set,
    struct err *e);
void store_unit_set_free(struct store_unit_set *set);
/* The records, in id order; limit > 0 keeps the first ones. */
json_t *store_within_list(struct store *s, const struct entity_def *ent,
    const struct store_within *w, int64_t limit, struct err *e);
int store_within_count(struct store *s, const struct entity_def *ent,
    const struct store_within *w, int64_t *n, struct err *e);
/* Counts by two fields (e.g. kind and status), groups in the order of
 * their first record.  Values NULL for SQL NULL. */
typedef int (*store_count_fn)(void *ctx, const char *v1, const char *v2,
    int64_t n);
int store_within_counts(struct store *s, const struct entity_def *ent,
    const struct store_within *w, const char *by1, const char *by2,
    store_count_fn fn, void *ctx, struct err *e);
/* Quantities of the activities within (w describes the activities): sum and
 * count per (kind, measure, unit of measure), groups in the order of their
 * first record, qualifier NULL; then one call per quantity with a
 * qualifier, in record order, with sum and n 0. */
struct store_activity_total {
	const char *kind, *measure, *unit_of_measure, *qualifier;
	double sum;
	int64_t n;
};
typedef int (*store_activity_total_fn)(void *ctx,
    const struct store_activity_total *t);
int store_activity_totals(struct store *s, const struct store_within *w,
    store_activity_total_fn fn, void *ctx, struct err *e);

/* The values of the indicators of a target set recorded for units within
 * `unit` (store_within's meaning, the unit itself included; 0 = every
 * unit), for a period given by its canonical code - with the values whose
 * period is written out in words (they start with a letter: "tháng
 * 6/2023"), which the caller compares itself - or for every period (NULL).
 * In no order with a period; by indicator, unit, id without.  Numbers not
 * recorded are NaN.  With a period, the values of indicators aggregated by
 * sum, mean, min or max that have an actual are read from an index alone
 * and come without as_of and fraction parts (NULL, NaN): their roll-up
 * uses only target and actual. */
struct store_scoped_value {
	int64_t id, indicator_id, unit_id;
	const char *period, *as_of; /* valid during the callback */
	double target, actual, numerator, denominator, target_numerator,
	    target_denominator;
};
typedef int (*store_scoped_value_fn)(void *ctx,
    const struct store_scoped_value *v);
int store_target_set_values(struct store *s, int64_t target_set_id,
    int64_t unit, const char *period, store_scoped_value_fn fn, void *ctx,
    struct err *e);
/* The units within `unit` (0 = every unit) and their parent (0 = none). */
typedef int (*store_unit_pair_fn)(void *ctx, int64_t id, int64_t parent_id);
int store_units_within(struct store *s, int64_t unit, store_unit_pair_fn fn,
    void *ctx, struct err *e);

/* Every row matching q (all pages, up to max rows), as one JSON array;
 * q->limit and q->offset are ignored. */
json_t *store_list_all(struct store *s, const struct entity_def *ent,
    const struct list_query *q, size_t max, struct err *e);

/* ---- webhooks (domain/webhook.c, store_webhook.c) --------------------- */

/* The secret of webhook id, malloc'd (NULL when none set). */
int store_webhook_secret(struct store *s, int64_t id, char **secret,
    struct err *e);
/* Take pending delivery id for one attempt, if no other sender took it
 * since it was read with `attempts` attempts: attempts + 1, and
 * next_attempt_at = lease_until (so that a sender that dies mid-attempt
 * leaves it to be tried again then).  *taken says whether it was. */
int store_webhook_claim(struct store *s, int64_t id, int64_t attempts,
    const char *lease_until, const char *now, bool *taken, struct err *e);
/* The outcome of an attempt (NULL / 0: none). */
struct store_webhook_outcome {
	const char *status;          /* pending, delivered, failed            */
	int http_status;             /* the answer's status, 0 without one   */
	const char *error;           /* why it failed                        */
	const char *next_attempt_at; /* pending: when to try again           */
	const char *delivered_at;
	const char *now;
};
int store_webhook_outcome(struct store *s, int64_t id,
    const struct store_webhook_outcome *o, struct err *e);

/* ---- the audit log ----------------------------------------------------- */

/* One entry of the audit log: who (actor's name, user_id when > 0), what
 * (action, entity, record_id) and the record before and after as JSON
 * text (NULL when none). */
struct store_audit {
	const char *actor;
	int64_t user_id;
	const char *action;
	const char *entity;
	int64_t record_id;
	const char *before_json;
	const char *after_json;
};

/* Append one entry (inside the caller's transaction).  Bulk loads write
 * the same row, from the same values (store_bulk.c). */
int store_audit_append(struct store *s, const struct store_audit *a,
    struct err *e);

/* ---- bulk loads (store_bulk.c) ------------------------------------------ */

/* Rows a PostgreSQL bulk load sends in one COPY (and holds in memory). */
#define STORE_BULK_BATCH 5000

/* A typed value of a bulk row (validated by the caller, bulk.c). */
enum store_vtype { SV_NULL, SV_INT, SV_REAL, SV_TEXT };
struct store_val {
	enum store_vtype type;
	int64_t i;
	double d;
	const char *s; /* SV_TEXT; only needs to live during store_bulk_row */
};

struct store_bulk;
/* A row the database refused (a unique key taken): its line and why. */
typedef void (*store_bulk_reject_fn)(void *ctx, long line, const struct err *e);

/* Start writing validated rows of `ent` inside the caller's transaction
 * (store_begin): each row is inserted with version 1 and gets an audit
 * entry ("create", actor, user_id when > 0, after_json = the stored
 * record's JSON, exactly what records_create writes).  Refused rows go to
 * `reject`; on PostgreSQL that may happen at a later call (rows are sent
 * in batches), so call store_bulk_flush before deciding to commit. */
struct store_bulk *store_bulk_open(struct store *s, const struct entity_def *ent,
    int64_t user_id, const char *actor, store_bulk_reject_fn reject, void *ctx,
    struct err *e);
/* vals: one per field of ent, in registry order.  -1 only when the load
 * cannot go on (the database failed). */
int store_bulk_row(struct store_bulk *b, long line, const struct store_val *vals,
    bool illustrative, struct err *e);
int store_bulk_flush(struct store_bulk *b, struct err *e);
/* Rows written so far (after a flush: all of them). */
long store_bulk_written(const struct store_bulk *b);
void store_bulk_close(struct store_bulk *b);

/* ---- copying a database to another engine (store_copy.c) --------------- */

#include <stdio.h>

#define STORE_COPY_BATCH 1000 /* rows read, written and committed at a time */

/* Migrate both stores (an old source gets the columns this version reads).
 * When dst was empty - every migration ran now - the rows its migrations
 * inserted (catalog items) are removed, so that the source's rows, edited
 * or not, are the ones copied; a database in use is never emptied. */
int store_copy_prepare(struct store *src, struct store *dst, struct err *e);

/* Copy every row of every registry table, then of seed_run and api_token,
 * from src to dst: ids and every column kept as stored (password hashes,
 * search keys, versions, timestamps).  Sessions are not copied (sign-ins do
 * not move) nor schema_migration (dst records its own).  Call
 * store_copy_prepare first.  Rows whose key dst already has are
 * left as they are, so a second run adds nothing; store_copy_verify tells
 * whether they agree.  Commits every STORE_COPY_BATCH rows; progress lines
 * go to `progress` (may be NULL). */
int store_copy(struct store *src, struct store *dst, FILE *progress,
    struct err *e);

/* Compare the tables store_copy copies, in the same order: a JSON array of
 * {"table", "rows_from", "rows_to", "same"}, "same" true when the counts
 * and the SHA-256 of every row's values (in key order, typed the same way
 * on both engines) are equal.  NULL with e set when a database failed. */
json_t *store_copy_verify(struct store *src, struct store *dst, struct err *e);

/* ---- backup and restore (store_backup.c) ------------------------------ */

/* Copy the database of `url` into `file` while it may be serving: SQLite's
 * online backup API into a new single-file SQLite database, or pg_dump -Fc
 * for PostgreSQL.  The file appears under its name only once complete. */
int store_backup(const char *url, const char *file, struct err *e);
/* Load a backup into the database of `url` (SQLite: the server must be
 * stopped; PostgreSQL: pg_restore in one transaction).  A database that
 * already has tables is refused unless force. */
int store_restore(const char *url, const char *file, bool force, struct err *e);

#endif
