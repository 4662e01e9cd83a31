/*
 * test_fault.c - allocation-failure injection over the modules' operations
 * (after SQLite's and curl's torture tests).
 *
 * Each operation is run once to count its allocations (ours, SQLite's and
 * jansson's: tests/fault/alloc_fault.c), then once for every N - or every
 * GIAPRANH_FAULT_STRIDE-th N in the short form - with the Nth allocation
 * failing, in a forked child so that a crash names its N and every run
 * starts from the same state.  Each run must end with either
 *   - a clean error: -1, a server-side code (out_of_memory, internal,
 *     database, io, unavailable - not a 4xx that blames the user's input)
 *     and a message,
 *     and the database as it was before (nothing half-written, no
 *     transaction left open); or
 *   - success with exactly the result and database of the undisturbed run
 *     (an allocation failure some code recovered from);
 * and the child must exit without a sanitizer report and without a leak
 * (LeakSanitizer runs at its exit).
 *
 * Environment:
 *   GIAPRANH_FAULT_STRIDE  step between N (default: the short form, see
 *                          FAULT_RUNS_SHORT; 1 = every N, the long form:
 *                          tests/fault/run.sh)
 *   GIAPRANH_FAULT_PERSIST 1: the Nth and every later allocation fail
 *   GIAPRANH_FAULT_STRICT  0: an unclean result (see child_run) is only
 *                          counted and listed (default 1: it fails)
 *   GIAPRANH_FAULT_ONLY    run only the operation of that name
 *   GIAPRANH_FAULT_N       run only that N (with ONLY: to debug one case;
 *                          the child's output and the stack of the failed
 *                          allocation are shown)
 */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <time.h>

#include "alloc_fault.h"
#include "base/buf.h"
#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/expr.h"
#include "domain/records.h"
#include "domain/seed.h"
#include "domain/validate.h"
#include "ingest/ingest.h"
#include "report/report.h"
#include "store/store_int.h"
#include "text/text.h"

/* Short form: every N up to FAULT_DENSE (each operation's first
 * allocations are its set-up, where error paths differ most), then N at a
 * fixed stride: FAULT_STRIDE_SHORT, or wider so that an operation makes
 * at most about FAULT_RUNS_SHORT runs (store_init allocates ~46,000
 * times), from an offset into the first stride that changes from run to
 * run (GIAPRANH_FAULT_OFFSET, printed; by default the time): successive
 * runs of `make test` try different allocations.  Each run costs a fork
 * and a leak check over the demo database's heap (~0.3 s under ASan).
 * The long form (GIAPRANH_FAULT_STRIDE=1) sweeps every N. */
#define FAULT_STRIDE_SHORT 7
#define FAULT_DENSE        24
#define FAULT_RUNS_SHORT   40
#define FAULT_SHOW_MAX     3     /* failing N shown in full per operation */
#define FAULT_LOG_SHOW     6000  /* bytes of a child's stderr shown       */
#define FAULT_OUT_MAX      (64u << 20) /* bytes an operation may produce */
#define FAULT_OUT_RESERVE  (1u << 20) /* grown before the count starts    */
#define FAULT_DIGEST_HEX   (crypto_generichash_BYTES * 2 + 1)

/* The database an operation works on, in memory: migrated only (most
 * operations: its statement cache is cold, so preparing fails too), or
 * with the units and the demo records (loaded once, when the first
 * operation that needs them runs; the migrated one is closed then, so
 * that each child's address space - copied by fork, scanned for leaks -
 * stays small). */
enum fault_db { DB_BARE, DB_DEMO };
static struct store *db;
static enum fault_db db_kind;
static const struct actor tester = { .name = "fault" };

/* ---- the operations ------------------------------------------------------ */

/* An operation runs on *db (NULL: none) and writes what it produced into
 * out (compared with the undisturbed run); tables lists the entities whose
 * row counts make up the database state compared after it. */
struct fault_op {
	const char *name;
	enum fault_db needs;
	int (*run)(struct store *s, struct buf *out, struct err *e);
	const char *const *tables;
};

static const char *const t_none[] = { NULL };
static const char *const t_person[] = { "person", "audit_log", NULL };
static const char *const t_records[] = { "person", "incident", "activity",
	"activity_quantity", "organisation", "audit_log", NULL };
static const char *const t_report[] = { "report", "audit_log", NULL };
static const char *const t_structured[] = { "report", "agreement", "audit_log",
	NULL };

static void
out_json(struct buf *out, const json_t *v)
{
	char *s;

	if (v == NULL) {
		buf_adds(out, "null\n");
		return;
	}
	fault_pause();
	s = json_dumps(v, JSON_SORT_KEYS | JSON_ENCODE_ANY | JSON_COMPACT);
	if (s == NULL) {
		buf_adds(out, "<json_dumps failed>\n");
	} else {
		buf_adds(out, s);
		buf_addc(out, '\n');
		free(s);
	}
	fault_resume();
}

/* A record without the keys that differ between two runs of one write. */
static void
out_record(struct buf *out, json_t *rec)
{
	json_t *c;

	fault_pause();
	c = json_deep_copy(rec);
	json_object_del(c, "created_at");
	json_object_del(c, "updated_at");
	out_json(out, c);
	json_decref(c);
	fault_resume();
}

static int
op_text(struct store *s, struct buf *out, struct err *e)
{
	static const char *const words[] = { "Xín Mần", "  Huyện Si Ma Cai ",
		"ĐỒN BIÊN PHÒNG A Pa Chải", "Xi\xcc\x81n Ma\xcc\x82\xcc\x80n" };
	static const char *const qty[] = { "23.000 km", "trên 1.234,5 tấn",
		"khoảng 12 - 15 người", "5" };
	static const char *const dates[] = { "31/10/2023", "ngày 8 tháng 5 năm 2017",
		"2023-10-31" };
	static const char *const periods[] = { "năm 2023", "quý III/2023",
		"giai đoạn 2013-2016", "6 tháng đầu năm 2024" };
	static const char *const docs[] = { "2523/QĐ-UBND", "05-NQ/TU",
		"49/2015/QĐ-TTg" };
	size_t i;

	(void)s;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *n = NULL, *f, *u;
		if (text_nfc(words[i], strlen(words[i]), &n) != 0 || n == NULL)
			return err_set(e, ERR_INTERNAL, "text_nfc");
		f = text_fold(n);
		u = text_upper(n);
		if (f == NULL || u == NULL) {
			free(n);
			free(f);
			free(u);
			return err_nomem(e);
		}
		buf_addf(out, "%s|%s|%s\n", n, f, u);
		free(n);
		free(f);
		free(u);
	}
	for (i = 0; i < sizeof(qty) / sizeof(qty[0]); i++) {
		struct vi_quantity q;
		int rc = vi_parse_quantity(qty[i], &q);
		buf_addf(out, "%d %d %g %g %s %s\n", rc, (int)q.kind, q.value,
		    q.value2, q.qualifier, q.unit);
	}
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct vi_date d = { 0 };
		buf_addf(out, "%d %d-%d-%d\n", vi_parse_date(dates[i], 2023, &d),
		    d.year, d.month, d.day);
	}
	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		struct vi_period p = { 0 };
		buf_addf(out, "%d %s %s\n", vi_parse_period(periods[i], &p),
		    p.start, p.end);
	}
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct doc_number d = { 0 };
		char msg[200] = "";
		buf_addf(out, "%d %ld %d %s %s %s\n", doc_number_parse(docs[i], &d,
		    msg, sizeof(msg)), d.number, d.year, d.kind, d.issuer, msg);
	}
	return 0;
}

/* An API body: parsed as server.c parses it, validated as records.c does. */
static int
op_json_body(struct store *s, struct buf *out, struct err *e)
{
	static const char body[] =
	    "{\"kind\":\"review_conference\",\"title\":\"Hội nghị sơ kết "
	    "quy chế phối hợp\",\"held_on\":\"2023-10-31\",\"note\":\"Xi\\u0301n "
	    "Ma\\u0302\\u0300n\"}";
	json_t *in, *rec;

	/* as req_json (server.c) */
	in = err_json_loadb(body, strlen(body), JSON_REJECT_DUPLICATES, e);
	if (in == NULL)
		return -1;
	rec = validate_record(s, registry_find("meeting"), in, 0, e);
	json_decref(in);
	if (rec == NULL)
		return -1;
	out_json(out, rec);
	json_decref(rec);
	return 0;
}

static int
op_expr_check(struct store *s, struct buf *out, struct err *e)
{
	static const char *const good[] = {
		"count(incident, kind=illegal_labour)",
		"sum(activity_quantity.value, measure=length_km) / 2 + 1",
		"100 * count(task, completed_on!=null) / (count(task) + 1)",
	};
	struct expr_diag d[EXPR_DIAGS_MAX];
	size_t i, n;

	(void)s;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (expr_check(good[i], e) != 0)
			return -1;
	n = expr_diagnose("count(planet, x==) + (", d, EXPR_DIAGS_MAX);
	if (n == EXPR_NO_MEMORY)
		return err_nomem(e);
	for (i = 0; i < n && i < EXPR_DIAGS_MAX; i++)
		buf_addf(out, "%zu %s\n", d[i].pos, d[i].msg);
	return 0;
}

static int
op_expr_eval(struct store *s, struct buf *out, struct err *e)
{
	int64_t unit;
	double v;

	if (store_unit_by_code(s, "084", "2024-01-01", &unit, e) != 0)
		return -1;
	if (expr_eval(s, "count(activity) + sum(activity_quantity.value, "
	    "activity_id.kind=propaganda)", unit, "2023", &v, e) != 0)
		return -1;
	buf_addf(out, "%.17g\n", v);
	return 0;
}

/* Open a new in-memory database and apply every migration. */
static int
op_store_init(struct store *unused, struct buf *out, struct err *e)
{
	struct store *s;
	int applied = 0;

	(void)unused;
	if (store_open("sqlite::memory:", &s, e) != 0)
		return -1;
	if (store_migrate(s, &applied, e) != 0 || seed_reindex(s, e) != 0) {
		store_close(s);
		return -1;
	}
	buf_addf(out, "%d\n", applied);
	store_close(s);
	return 0;
}

static int
create(struct store *s, const char *entity, json_t *in, struct buf *out,
    int64_t *id, struct err *e)
{
	json_t *rec = NULL;
	int rc;

	if (in == NULL) /* json_pack itself failed */
		return err_nomem(e);
	rc = records_create(s, registry_find(entity), in, &tester, 0, &rec, e);
	json_decref(in);
	if (rc != 0)
		return -1;
	if (id != NULL)
		*id = json_integer_value(json_object_get(rec, "id"));
	out_record(out, rec);
	json_decref(rec);
	return 0;
}

static int
op_create_person(struct store *s, struct buf *out, struct err *e)
{
	return create(s, "person", json_pack("{s:s, s:s, s:s}", "full_name",
	    "Hoàng Văn Dương", "gender", "male", "note",
	    "Chủ tịch UBND huyện Si Ma Cai"), out, NULL, e);
}

/* Several records in one transaction, as an import or a form with
 * children does: all or nothing. */
static int
op_create_records(struct store *s, struct buf *out, struct err *e)
{
	int64_t town, org, act;

	if (store_unit_by_code(s, "01477", "2024-01-01", &town, e) != 0)
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	if (create(s, "incident", json_pack("{s:s,s:s,s:s,s:I,s:s,s:b}",
	    "kind", "illegal_labour", "title", "Lao động trái phép (thử)",
	    "occurred_on", "2023-05-02", "unit_id", (json_int_t)town, "status",
	    "reported", "confidential", 1), out, NULL, e) != 0)
		goto fail;
	if (create(s, "organisation", json_pack("{s:s,s:s,s:I}", "name",
	    "UBND thị trấn Trùng Khánh (thử)", "kind", "peoples_committee",
	    "unit_id", (json_int_t)town), out, &org, e) != 0)
		goto fail;
	if (create(s, "activity", json_pack("{s:s,s:s,s:s,s:I,s:I}", "kind",
	    "exchange", "title", "Giao lưu song phương (thử)", "start_on",
	    "2023-06-01", "unit_id",
	    (json_int_t)town, "organisation_id", (json_int_t)org), out, &act,
	    e) != 0)
		goto fail;
	if (create(s, "activity_quantity", json_pack("{s:I,s:s,s:f}",
	    "activity_id", (json_int_t)act, "measure", "length_km", "value",
	    12.5), out, NULL, e) != 0)
		goto fail;
	if (store_commit(s, e) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* Create, update and delete a record in one transaction (each write is
 * its own savepoint inside it). */
static int
op_update_delete(struct store *s, struct buf *out, struct err *e)
{
	const struct entity_def *ent = registry_find("person");
	json_t *in, *rec = NULL;
	int64_t id;

	if (store_begin(s, e) != 0)
		return -1;
	if (create(s, "person", json_pack("{s:s}", "full_name", "Nông Thị Hà"),
	    out, &id, e) != 0)
		goto fail;
	in = json_pack("{s:s}", "note", "Trưởng đoàn giám sát");
	if (in == NULL) {
		err_nomem(e);
		goto fail;
	}
	if (records_update(s, ent, id, in, 1, &tester, 0, &rec, e) != 0) {
		json_decref(in);
		goto fail;
	}
	json_decref(in);
	out_record(out, rec);
	json_decref(rec);
	if (records_delete(s, ent, id, 2, &tester, e) != 0 || store_commit(s, e) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static const char good_csv[] =
    "full_name,gender,note\n"
    "Hoàng Văn Dương,male,Chủ tịch UBND huyện Si Ma Cai\n"
    "Ngô Văn Tăng,male,\"Phó chủ tịch, Xín Mần\"\n"
    "Nông Thị Hà,female,\n";

static const char bad_csv[] =
    "full_name,gender,note\n"
    "Hoàng Văn Dương,male,Chủ tịch UBND huyện Si Ma Cai\n"
    "Đinh Văn Đăng,robot,\n"
    ",female,không tên\n";

static int
import(struct store *s, const char *csv, bool skip, struct buf *out,
    struct err *e)
{
	struct import_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	rc = csv_import_buffer(s, registry_find("person"), csv, strlen(csv), skip,
	    &tester, &res, e);
	buf_addf(out, "%d %ld %ld %ld\n", rc, res.rows, res.imported, res.rejected);
	if (json_array_size(res.errors) > 0) /* NULL when there were none */
		out_json(out, res.errors);
	json_decref(res.errors);
	return rc;
}

static int
op_csv_import(struct store *s, struct buf *out, struct err *e)
{
	return import(s, good_csv, false, out, e);
}

/* Rejected rows: the import fails with ERR_INVALID and the per-line errors
 * in the undisturbed run, so a run is only clean when it reports them all
 * (an allocation failure must not lose one) or fails server-side. */
static int
op_csv_import_bad(struct store *s, struct buf *out, struct err *e)
{
	struct err inner = { 0 };
	int rc = import(s, bad_csv, true, out, &inner);

	if (rc != 0 && inner.code != ERR_INVALID) {
		*e = inner;
		return -1;
	}
	buf_addf(out, "%s\n", inner.msg);
	err_clear(&inner);
	return 0;
}

/* The bulk path of POST /api/v1/person/_bulk (api.c): JSON rows, one of
 * them bad, skip_invalid. */
static int
op_bulk_json(struct store *s, struct buf *out, struct err *e)
{
	static const char body[] = "[{\"full_name\":\"Hoàng Văn Dương\","
	    "\"gender\":\"male\"},{\"full_name\":\"Đinh Văn Đăng\","
	    "\"gender\":\"robot\"},{\"full_name\":\"Nông Thị Hà\","
	    "\"note\":\"Xín Mần\"}]";
	struct import_result res;
	struct bulk *b;
	json_t *rows, *item;
	size_t i;
	int rc = -1;

	memset(&res, 0, sizeof(res));
	if ((rows = err_json_loadb(body, strlen(body), 0, e)) == NULL)
		return -1;
	if ((res.errors = json_array()) == NULL) {
		json_decref(rows);
		return err_nomem(e);
	}
	b = bulk_open(s, registry_find("person"), NULL, 0, &tester, &res, e);
	json_array_foreach(rows, i, item) {
		if (b != NULL && bulk_row_json(b, (long)i + 1, item, e) != 0) {
			bulk_abort(b);
			b = NULL;
		}
	}
	if (b != NULL)
		rc = bulk_finish(b, true, e);
	json_decref(rows);
	buf_addf(out, "%d %ld %ld %ld\n", rc, res.rows, res.imported, res.rejected);
	out_json(out, res.errors);
	json_decref(res.errors);
	return rc;
}

/* Proposals from a short text (on the migrated database: its gazetteers
 * are read, but from few rows - the demo units make ~800,000 allocations,
 * too many runs for the short form). */
static int
op_ingest(struct store *s, struct buf *out, struct err *e)
{
	static const char text[] =
	    "Ngày 31/10/2023, UBND huyện Si Ma Cai tổ chức Hội nghị sơ kết 5 "
	    "năm thực hiện Quy chế phối hợp theo Quyết định số 2523/QĐ-UBND. "
	    "Đồng chí Hoàng Văn Dương, Chủ tịch UBND huyện, chủ trì hội nghị. "
	    "Đồn Biên phòng Si Ma Cai đã tuần tra 23 km đường biên giới, "
	    "tuyên truyền cho 1.234 lượt người dân.";
	const struct ingest_options opt = { "thu.txt", "2023-11-02", "2023-11-02", NULL };
	json_t *set = NULL;

	if (ingest_extract(s, text, strlen(text), &opt, &set, e) != 0)
		return -1;
	out_json(out, set);
	json_decref(set);
	return 0;
}

static int
op_list_search(struct store *s, struct buf *out, struct err *e)
{
	struct list_query q;
	json_t *rows;
	int64_t total = 0;

	memset(&q, 0, sizeof(q));
	q.search = "Si Ma Cai";
	q.sort = "name";
	q.desc = true;
	q.limit = 5;
	if (store_list(s, registry_find("admin_unit"), &q, &rows, &total, e) != 0)
		return -1;
	buf_addf(out, "%lld\n", (long long)total);
	out_json(out, rows);
	json_decref(rows);
	return 0;
}

static int
op_report_build(struct store *s, struct buf *out, struct err *e)
{
	struct report_scope sc;
	struct buf r;
	json_t *doc;
	int rc;

	if (report_scope_parse(s, "unit:084", &sc, e) != 0)
		return -1;
	doc = report_build(s, &sc, "2023", 0, true, e);
	if (doc == NULL)
		return -1;
	out_json(out, doc);
	buf_init(&r, FAULT_OUT_MAX);
	rc = report_render_csv(doc, &r, e);
	if (rc == 0) {
		buf_adds(out, buf_str(&r));
		buf_reset(&r);
		rc = report_render_html(doc, &r, e);
		buf_adds(out, buf_str(&r));
	}
	buf_free(&r);
	json_decref(doc);
	return rc;
}

/* Structured text as people write it, stored canonical (validate.c), and
 * a value stored before that, rewritten or listed (seed_canonicalise): in
 * one transaction, all or nothing. */
static int
op_structured(struct store *s, struct buf *out, struct err *e)
{
	struct seed_canon sc = { 0 };
	json_t *legacy;
	int64_t id;
	int rc;

	if (store_begin(s, e) != 0)
		return -1;
	if (create(s, "report", json_pack("{s:s,s:s,s:s,s:s,s:I,s:s}", "title",
	    "Báo cáo quý (thử)", "kind", "periodic", "scope", "unit:084", "period",
	    "quý 4/2025", "issuer_org_id", (json_int_t)1, "status", "draft"), out,
	    NULL, e) != 0 ||
	    create(s, "agreement", json_pack("{s:s,s:s,s:s,s:s}", "kind", "twinning",
	    "title", "Kết nghĩa (thử)", "status", "planned", "domains",
	    "economy; culture;economy"), out, NULL, e) != 0)
		goto fail;
	/* written past validation, as an older version stored it */
	legacy = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s}", "title", "Báo cáo cũ (thử)",
	    "kind", "periodic", "scope", "zzz:999", "period", "6 tháng đầu năm 2024",
	    "issuer_org_id", (json_int_t)1, "status", "draft");
	if (legacy == NULL) {
		err_nomem(e);
		goto fail;
	}
	rc = store_insert(s, registry_find("report"), legacy, &id, e);
	json_decref(legacy);
	if (rc != 0 || seed_canonicalise(s, &sc, e) != 0)
		goto fail;
	buf_addf(out, "%ld %ld\n", sc.changed, sc.left);
	out_json(out, sc.shown);
	json_decref(sc.shown);
	sc.shown = NULL;
	if (store_commit(s, e) != 0)
		goto fail;
	return 0;
fail:
	json_decref(sc.shown);
	store_rollback(s);
	return -1;
}

/* DOCX and XLSX carry timestamps: only success and a non-empty file are
 * compared. */
static int
op_report_files(struct store *s, struct buf *out, struct err *e)
{
	struct report_scope sc;
	struct buf r;
	json_t *doc;
	int rc;

	if (report_scope_parse(s, "target_set:1", &sc, e) != 0)
		return -1;
	doc = report_build(s, &sc, NULL, 0, false, e);
	if (doc == NULL)
		return -1;
	buf_init(&r, FAULT_OUT_MAX);
	rc = report_render_docx(doc, &r, e);
	buf_addf(out, "docx %d\n", r.len > 0);
	if (rc == 0) {
		buf_reset(&r);
		rc = report_render_xlsx(doc, &r, e);
		buf_addf(out, "xlsx %d\n", r.len > 0);
	}
	buf_free(&r);
	json_decref(doc);
	return rc;
}

static const struct fault_op ops[] = {
	/* on a migrated database (these first: see open_db) */
	{ "text", DB_BARE, op_text, t_none },
	{ "json_body", DB_BARE, op_json_body, t_none },
	{ "expr_check", DB_BARE, op_expr_check, t_none },
	{ "store_init", DB_BARE, op_store_init, t_none },
	{ "create_person", DB_BARE, op_create_person, t_person },
	{ "update_delete", DB_BARE, op_update_delete, t_person },
	{ "csv_import", DB_BARE, op_csv_import, t_person },
	{ "csv_import_bad", DB_BARE, op_csv_import_bad, t_person },
	{ "bulk_json", DB_BARE, op_bulk_json, t_person },
	{ "ingest", DB_BARE, op_ingest, t_none },
	/* on the demo data */
	{ "create_records", DB_DEMO, op_create_records, t_records },
	{ "list_search", DB_DEMO, op_list_search, t_none },
	{ "expr_eval", DB_DEMO, op_expr_eval, t_none },
	{ "report_build", DB_DEMO, op_report_build, t_report },
	{ "report_files", DB_DEMO, op_report_files, t_report },
	{ "structured", DB_DEMO, op_structured, t_structured },
};

/* ---- the harness ----------------------------------------------------------- */

static unsigned long
env_ulong(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? strtoul(v, NULL, 10) : dflt;
}

static void
hex_digest(const struct buf *b, char hex[FAULT_DIGEST_HEX])
{
	unsigned char h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof(h), (const unsigned char *)buf_str(b), b->len,
	    NULL, 0);
	sodium_bin2hex(hex, FAULT_DIGEST_HEX, h, sizeof(h));
}

/* The row counts of the tables, and whether a transaction is left open. */
static void
state_digest(struct store *s, const char *const *tables, struct buf *b)
{
	size_t i;

	buf_addf(b, "tx %d\n", s->tx_depth);
	for (i = 0; tables[i] != NULL; i++) {
		struct err e = { 0 };
		int64_t n = -1;
		if (store_count(s, registry_find(tables[i]), &n, &e) != 0)
			buf_addf(b, "%s: error %s\n", tables[i], e.msg);
		else
			buf_addf(b, "%s %lld\n", tables[i], (long long)n);
		err_clear(&e);
	}
}

/* What the parent learns from the undisturbed run. */
struct fault_ref {
	unsigned long count;
	int rc;
	char out[FAULT_DIGEST_HEX];
	char state[FAULT_DIGEST_HEX];
	char before[FAULT_DIGEST_HEX];
};

static struct fault_ref ref;
static char reserve[FAULT_OUT_RESERVE]; /* zeros */

static bool
server_side(enum err_code c)
{
	return c == ERR_NO_MEMORY || c == ERR_INTERNAL || c == ERR_DB ||
	    c == ERR_IO || c == ERR_UNAVAILABLE;
}

/* In the child: run op with the nth allocation failing (0: none), judge
 * the result; exit status 0 = the undisturbed run went well, 3 = clean
 * error, 4 = recovered (success, same result), 2 = an unclean result (an
 * error without a server-side code or message, or a success with another
 * result), 6 = the database is not as it should be (why on stderr). */
static void
child_run(const struct fault_op *op, unsigned long n, bool persist, int refpipe)
{
	struct err e = { 0 };
	struct buf out, st;
	char dout[FAULT_DIGEST_HEX], dstate[FAULT_DIGEST_HEX];
	unsigned long failures;
	int rc, status;

	buf_init(&out, FAULT_OUT_MAX);
	buf_init(&st, 1u << 16);
	/* the output buffer grows before the count starts */
	buf_add(&out, reserve, sizeof(reserve));
	buf_reset(&out);
	fault_arm(n, persist);
	fault_trace(n != 0 && env_ulong("GIAPRANH_FAULT_N", 0) == n);
	rc = op->run(db, &out, &e);
	fault_disarm();
	failures = fault_failures();
	state_digest(db, op->tables, &st);
	hex_digest(&out, dout);
	hex_digest(&st, dstate);
	if (refpipe >= 0) {
		struct fault_ref r = ref;
		r.count = fault_count();
		r.rc = rc;
		memcpy(r.out, dout, sizeof(dout));
		memcpy(r.state, dstate, sizeof(dstate));
		if (rc != 0) {
			char *f = e.fields ? json_dumps(e.fields, 0) : NULL;
			fprintf(stderr, "undisturbed run failed: %s %s\n", e.msg,
			    f ? f : "");
			free(f);
		}
		status = write(refpipe, &r, sizeof(r)) == (ssize_t)sizeof(r) &&
		    rc == 0 ? 0 : 2;
	} else if (rc == 0) {
		status = 4;
		if (strcmp(dout, ref.out) != 0) {
			fprintf(stderr, "N=%lu: success with a different result "
			    "(%lu failed allocations):\n%.2000s\n", n, failures,
			    buf_str(&out));
			status = 2;
		} else if (strcmp(dstate, ref.state) != 0) {
			fprintf(stderr, "N=%lu: success but the database differs:\n%s\n",
			    n, buf_str(&st));
			status = 6;
		}
	} else {
		status = 3;
		if (failures == 0) {
			fprintf(stderr, "N=%lu: failed without an injected failure: %s\n",
			    n, e.msg);
			status = 2;
		} else if (!server_side(e.code) || e.msg[0] == '\0' ||
		    !text_valid_utf8(e.msg, strlen(e.msg))) {
			fprintf(stderr, "N=%lu: not a clean error: code %s, "
			    "message '%s'\n", n, err_code_name(e.code), e.msg);
			status = 2;
		}
		if (strcmp(dstate, ref.before) != 0) {
			fprintf(stderr, "N=%lu: error '%s' but the database changed "
			    "(half-written, or a transaction left open):\n%s\n", n,
			    e.msg, buf_str(&st));
			status = 6;
		}
	}
	err_clear(&e);
	buf_free(&out);
	buf_free(&st);
	/* a leak ends the child here with status 1; _exit: the parent's
	 * atexit handlers (removing the temporary directory) are not ours */
	fault_leak_check();
	fflush(NULL);
	_exit(status);
}

static bool
log_has_report(const char *path)
{
	static const char *const marks[] = { "runtime error:",
		"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", NULL };
	char line[1024];
	FILE *f = fopen(path, "r");
	bool found = false;
	size_t i;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		for (i = 0; marks[i] != NULL; i++)
			if (strstr(line, marks[i]) != NULL)
				found = true;
	fclose(f);
	return found;
}

static void
show_log(const char *path)
{
	char buf[FAULT_LOG_SHOW + 1];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return;
	n = fread(buf, 1, FAULT_LOG_SHOW, f);
	buf[n] = '\0';
	fclose(f);
	fprintf(stderr, "%s%s\n", buf, n == FAULT_LOG_SHOW ? "\n[…]" : "");
}

/* The first line of a child's stderr (what an unclean run reported). */
static void
log_first_line(const char *path, char *line, size_t len)
{
	FILE *f = fopen(path, "r");

	line[0] = '\0';
	if (f != NULL && fgets(line, (int)len, f) != NULL)
		line[strcspn(line, "\n")] = '\0';
	if (f != NULL)
		fclose(f);
}

static void
child_signal(int sig)
{
	static const char msg[] = "child killed by a signal; its stack:\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(128 + sig);
	fault_print_stack();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Fork a child for one run; its stderr goes to logpath.  Returns its exit
 * status (0..255), or 256 + signal when it was killed. */
static int
fork_run(const struct fault_op *op, unsigned long n, bool persist, int refpipe,
    const char *logpath)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* cmocka's handlers would jump back into the test runner */
		signal(SIGSEGV, child_signal);
		signal(SIGBUS, child_signal);
		signal(SIGFPE, child_signal);
		signal(SIGILL, child_signal);
		signal(SIGABRT, child_signal);
		if (logpath != NULL && freopen(logpath, "w", stderr) == NULL)
			_exit(5);
		child_run(op, n, persist, refpipe);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		return 256 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void
sweep(const struct fault_op *op)
{
	unsigned long stride = env_ulong("GIAPRANH_FAULT_STRIDE", 0);
	unsigned long only_n = env_ulong("GIAPRANH_FAULT_N", 0);
	bool persist = env_ulong("GIAPRANH_FAULT_PERSIST", 0) != 0;
	bool strict = env_ulong("GIAPRANH_FAULT_STRICT", 1) != 0;
	unsigned long n, runs = 0, clean = 0, recovered = 0, unclean = 0, bad = 0;
	unsigned long offset;
	char logpath[320];
	struct buf before;
	int fds[2], st;

	snprintf(logpath, sizeof(logpath), "%s/fault-%s.log", tu_tmpdir(), op->name);

	/* the database before, and the undisturbed run */
	buf_init(&before, 1u << 16);
	state_digest(db, op->tables, &before);
	hex_digest(&before, ref.before);
	buf_free(&before);
	assert_int_equal(pipe(fds), 0);
	st = fork_run(op, 0, false, fds[1], logpath);
	close(fds[1]);
	if (st != 0 || read(fds[0], &ref, sizeof(ref)) != (ssize_t)sizeof(ref)) {
		show_log(logpath);
		close(fds[0]);
		fail_msg("%s: the undisturbed run failed (status %d)", op->name, st);
	}
	close(fds[0]);
	if (stride == 0) { /* the short form */
		stride = FAULT_STRIDE_SHORT;
		if (ref.count > FAULT_DENSE && (ref.count - FAULT_DENSE) / stride >
		    FAULT_RUNS_SHORT - FAULT_DENSE)
			stride = (ref.count - FAULT_DENSE) /
			    (FAULT_RUNS_SHORT - FAULT_DENSE) + 1;
	}

	offset = env_ulong("GIAPRANH_FAULT_OFFSET", (unsigned long)time(NULL)) % stride;
	for (n = only_n != 0 ? only_n : 1; n <= ref.count;
	    n += (only_n != 0 ? ref.count : n + 1 < FAULT_DENSE ? 1 :
	    n + 1 == FAULT_DENSE ? 1 + offset : stride)) {
		st = fork_run(op, n, persist, -1, logpath);
		runs++;
		if (st == 3 && !log_has_report(logpath)) {
			clean++;
		} else if (st == 4 && !log_has_report(logpath)) {
			recovered++;
		} else if (st == 2 && !strict && !log_has_report(logpath)) {
			if (unclean == 0 || only_n != 0) {
				fprintf(stderr, "---- %s, allocation %lu failing: an "
				    "unclean result (counted: GIAPRANH_FAULT_STRICT=0):\n",
				    op->name, n);
				show_log(logpath);
			} else { /* one line each: the list to fix */
				char line[512];
				log_first_line(logpath, line, sizeof(line));
				fprintf(stderr, "---- %s: %s\n", op->name, line);
			}
			unclean++;
		} else {
			if (bad < FAULT_SHOW_MAX || only_n != 0) {
				fprintf(stderr, "---- %s, allocation %lu failing: status %d%s\n",
				    op->name, n, st, st > 256 ? " (killed by a signal)" :
				    st == 1 ? " (sanitizer report or leak)" : "");
				show_log(logpath);
			} else {
				char line[512];
				log_first_line(logpath, line, sizeof(line));
				fprintf(stderr, "---- %s: status %d: %s\n", op->name, st,
				    line);
			}
			bad++;
		}
	}
	printf("fault %-15s %6lu allocations, %5lu runs (stride %lu, offset %lu%s%s): "
	    "%lu clean errors, %lu recovered, %lu unclean results, %lu bad\n",
	    op->name, ref.count, runs, stride, offset, persist ? ", persistent" : "",
	    strict ? ", strict" : "", clean, recovered, unclean, bad);
	if (bad != 0)
		fail_msg("%s: %lu of %lu runs did not end cleanly", op->name, bad, runs);
}

static void
open_db(enum fault_db kind)
{
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	char dir[300];

	if (db != NULL && db_kind == kind)
		return;
	store_close(db);
	db_kind = kind;
	if (store_open("sqlite::memory:", &db, &e) != 0 ||
	    store_migrate(db, NULL, &e) != 0 || seed_reindex(db, &e) != 0)
		fail_msg("open: %s", e.msg);
	if (kind == DB_BARE)
		return;
	snprintf(dir, sizeof(dir), "%s/data/admin-units", tu_srcdir());
	if (seed_admin_units(db, dir, &sum, &e) != 0)
		fail_msg("units: %s", e.msg);
	snprintf(dir, sizeof(dir), "%s/data/demo", tu_srcdir());
	if (seed_demo(db, dir, &sum, &e) != 0)
		fail_msg("demo: %s", e.msg);
}

/* The harness itself: a child that leaks is caught, so is one that
 * crashes (a sweep that saw neither is not evidence of nothing). */
static void *volatile leak_sink;

/* Blocks lost for sure: no stale copy left in this frame's registers. */
static __attribute__((noinline)) void
leak_some(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		leak_sink = malloc(48 + (size_t)i);
		leak_sink = NULL;
	}
}

static void
test_harness_catches(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0)
			dup2(fd, 2); /* the report we expect */
		leak_some();
		/* without LeakSanitizer (-Db_sanitize=none) no leak can be
		 * seen: the child says so with status 3 */
		_exit(fault_leak_check() ? 0 : 3);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 3)
		fprintf(stderr, "(no LeakSanitizer in this build: leaks are not checked)\n");
	else
		assert_int_equal(WEXITSTATUS(st), 1); /* ASan's exit code, leaks too */
	/* and an allocation that fails is seen as NULL by the project */
	fault_arm(1, false);
	leak_sink = strdup("x");
	fault_disarm();
	assert_null(leak_sink);
	assert_int_equal(fault_failures(), 1);
}

static void
test_op(void **state)
{
	const struct fault_op *op = *state;

	open_db(op->needs);
	sweep(op);
}

static int
teardown(void **state)
{
	(void)state;
	store_close(db);
	db = NULL;
	return 0;
}

int
main(void)
{
	struct CMUnitTest tests[sizeof(ops) / sizeof(ops[0]) + 1];
	const char *only = getenv("GIAPRANH_FAULT_ONLY");
	size_t i, n = 0;

	fault_install(); /* before SQLite's first use */
	if (tu_pg() != NULL) {
		/* the sweep runs on SQLite in memory: nothing engine-specific */
		printf("fault: skipped on PostgreSQL (runs on the SQLite pass)\n");
		return 0;
	}
	tests[n++] = (struct CMUnitTest){ "harness", test_harness_catches, NULL,
		NULL, NULL };
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (only != NULL && strcmp(only, ops[i].name) != 0)
			continue;
		tests[n] = (struct CMUnitTest){ ops[i].name, test_op, NULL, NULL,
			(void *)&ops[i] };
		n++;
	}
	return _cmocka_run_group_tests("fault", tests, n, NULL, teardown);
}

/* Every child is a fork of this process: a small ASan quarantine keeps
 * the address space (copied at each fork, scanned by LeakSanitizer at each
 * child's exit) small. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "quarantine_size_mb=4";
}
