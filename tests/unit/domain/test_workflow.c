/*
 * test_workflow.c - the workflow rules (src/domain/workflow.h) on every write path:
 * every workflow entity x every state of its status x every path that
 * creates, changes or deletes a record (records_create/update/delete, a
 * JSON bulk load as `_bulk` makes it, CSV and XLSX imports, workflow_create
 * as the grid and ingest acceptance use it, ingest acceptance itself) x an
 * editor, an approver, the system, and the system loading history.
 *
 * The workflows are written out here by hand, not read back from
 * workflow.c: a change to the table is a change to this one too.
 */
#include "testutil.h"

#include <xlsxwriter.h>

#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/records.h"
#include "domain/workflow.h"
#include "domain/workflow_move.h"
#include "ingest/ingest_accept.h"
#include "report/report.h"

#define STATES 6 /* states of the largest workflow + 1 (NULL ends) */

static bool
allow_all(const struct actor *who, struct store *s, const struct entity_def *ent,
    const json_t *rec, struct err *e)
{
	(void)who; (void)s; (void)ent; (void)rec; (void)e;
	return true;
}

enum who { EDITOR, APPROVER, SYSTEM, HISTORY, EDITOR_HISTORY, NWHO };

static const struct actor actors[NWHO] = {
	[EDITOR] = { .name = "editor", .may_write = allow_all },
	[APPROVER] = { .name = "approver", .may_write = allow_all, .approver = true },
	/* the CLI's ingest --accept: may make every move, loads nothing as is */
	[SYSTEM] = { .name = "system" },
	/* the demo loader, giapranh import */
	[HISTORY] = { .name = "history", .history = true },
	/* history is for system actors: a user with it set is an editor */
	[EDITOR_HISTORY] = { .name = "editor-history", .may_write = allow_all,
		.history = true },
};

static const struct wf_case {
	const char *entity;
	const char *states[STATES];   /* every state of the status field        */
	const char *initial[STATES];  /* a record is created in these only      */
	const char *locked;           /* neither changed nor deleted in it      */
	const char *editor[STATES];   /* where an editor's moves take a record  */
	const char *approver[STATES]; /* and an approver's (or the system's)    */
	const char *other;            /* a field to change besides the status   */
} cases[] = {
	{ "agreement", { "planned", "negotiating", "signed", "active", "ended" },
	  { "planned", "negotiating", "signed" }, NULL,
	  { "planned", "negotiating", "signed", "active", "ended" },
	  { "planned", "negotiating", "signed", "active", "ended" }, "title" },
	{ "incident", { "reported", "verified", "handling", "resolved", "transferred" },
	  { "reported" }, NULL,
	  { "reported", "verified", "handling", "resolved", "transferred" },
	  { "reported", "verified", "handling", "resolved", "transferred" }, "title" },
	{ "recommendation", { "submitted", "answered", "done", "declined" },
	  { "submitted" }, NULL,
	  { "submitted", "answered", "done", "declined" },
	  { "submitted", "answered", "done", "declined" }, "title" },
	{ "indicator_value", { "draft", "submitted", "approved" },
	  { "draft" }, "approved",
	  { "draft", "submitted" },
	  { "draft", "submitted", "approved" }, "comment" },
	/* a report is issued by report_issue alone (its number comes from the
	 * register): no move of anyone's reaches it */
	{ "report", { "draft", "issued" },
	  { "draft" }, "issued",
	  { "draft" },
	  { "draft" }, "title" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

enum path { P_CREATE, P_BULK_JSON, P_IMPORT_CSV, P_IMPORT_XLSX, NPATH };
static const char *const path_names[NPATH] = { "records_create", "bulk JSON",
	"CSV import", "XLSX import" };

/* The records every case refers to. */
static struct {
	struct store *s;
	int64_t unit, org, ind;
	int serial;
} w;

static bool
in(const char *const *list, const char *code)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	return false;
}

static int64_t
make(const char *entity, json_t *rec)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(w.s, registry_find(entity), rec, &actors[SYSTEM], 0, &out,
	    &e) != 0)
		fail_msg("%s: %s %s", entity, e.msg, e.fields ? json_dumps(e.fields, 0) : "");
	json_decref(rec);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static int
setup(void **state)
{
	struct list_query q;
	json_t *units;
	int64_t ts, grp;

	w.s = tu_store(1, NULL, 0);
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	assert_int_equal(store_list(w.s, registry_find("admin_unit"), &q, &units, NULL,
	    NULL), 0);
	w.unit = json_integer_value(json_object_get(json_array_get(units, 0), "id"));
	json_decref(units);
	w.org = make("organisation", json_pack("{s:s, s:s}", "name", "UBND huyện thử",
	    "kind", "peoples_committee"));
	ts = make("target_set", json_pack("{s:s, s:I, s:i, s:i}", "name", "Bộ thử",
	    "unit_id", (json_int_t)w.unit, "term_start", 2021, "term_end", 2025));
	grp = make("target_group", json_pack("{s:I, s:i, s:s}", "target_set_id",
	    (json_int_t)ts, "number", 1, "name", "Nhóm thử"));
	w.ind = make("indicator", json_pack("{s:I, s:s, s:s, s:s}", "target_group_id",
	    (json_int_t)grp, "name", "Chỉ tiêu thử", "direction", "higher",
	    "value_kind", "number"));
	*state = w.s;
	return 0;
}

static int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* A valid new record of the case's entity in `status` (strings and
 * integers only, so that it is also a CSV or XLSX row). */
static json_t *
record_of(const struct wf_case *c, const char *status)
{
	char t[64];

	snprintf(t, sizeof(t), "Bản ghi thử số %d", ++w.serial);
	if (strcmp(c->entity, "agreement") == 0)
		return json_pack("{s:s, s:s, s:s}", "kind", "twinning", "title", t,
		    "status", status);
	if (strcmp(c->entity, "incident") == 0)
		return json_pack("{s:s, s:s, s:s, s:I, s:s}", "kind", "crime", "title", t,
		    "occurred_on", "2024-05-02", "unit_id", (json_int_t)w.unit,
		    "status", status);
	if (strcmp(c->entity, "recommendation") == 0)
		return json_pack("{s:s, s:I, s:s, s:s}", "title", t, "from_org_id",
		    (json_int_t)w.org, "raised_on", "2024-05-02", "status", status);
	if (strcmp(c->entity, "indicator_value") == 0) {
		/* a period of its own per record (unique key), canonical YYYY-MM */
		snprintf(t, sizeof(t), "%d-%02d", 2000 + w.serial / 12, w.serial % 12 + 1);
		return json_pack("{s:I, s:I, s:s, s:i, s:s}", "indicator_id",
		    (json_int_t)w.ind, "unit_id", (json_int_t)w.unit, "period", t,
		    "actual", 7, "status", status);
	}
	if (strcmp(c->entity, "report") == 0)
		return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "title", t, "kind",
		    "periodic", "scope", "unit:084", "period", "2024", "issuer_org_id",
		    (json_int_t)w.org, "status", status);
	fail_msg("no record for %s", c->entity);
	return NULL;
}

static int64_t
count_where(const char *entity, const char *field, const char *value)
{
	struct list_query q;
	json_t *rows = NULL, *v = json_string(value);
	int64_t n = -1;

	memset(&q, 0, sizeof(q));
	q.limit = 1;
	q.see_confidential = true;
	if (field != NULL) {
		q.filters[0] = (struct list_filter){ field, OP_EQ, v };
		q.nfilters = 1;
	}
	assert_int_equal(store_list(w.s, registry_find(entity), &q, &rows, &n, NULL), 0);
	json_decref(rows);
	json_decref(v);
	return n;
}

/* The status_change rows of one record, oldest first. */
static json_t *
history_of(const char *entity, int64_t id)
{
	struct list_query q;
	json_t *rows = NULL, *ev = json_string(entity), *iv = json_integer(id);

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ "entity", OP_EQ, ev };
	q.filters[1] = (struct list_filter){ "record_id", OP_EQ, iv };
	q.nfilters = 2;
	q.sort = "id";
	q.limit = 100;
	assert_int_equal(store_list(w.s, registry_find("status_change"), &q, &rows,
	    NULL, NULL), 0);
	json_decref(ev);
	json_decref(iv);
	return rows;
}

/* A cell as an import reads it. */
static void
cell_of(const json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, len, "%s", json_string_value(v));
}

/* The record as a one-row spreadsheet (libxlsxwriter), its bytes. */
static char *
xlsx_of(const json_t *rec, size_t *len)
{
	char path[300], cell[128];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct err e = { 0 };
	const char *k;
	json_t *v;
	lxw_col_t col = 0;
	char *data;

	snprintf(path, sizeof(path), "%s/workflow-%d.xlsx", tu_tmpdir(), w.serial);
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, NULL);
	json_object_foreach((json_t *)rec, k, v) {
		cell_of(v, cell, sizeof(cell));
		worksheet_write_string(ws, 0, col, k, NULL);
		worksheet_write_string(ws, 1, col++, cell, NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = read_file(path, 1 << 20, len, &e);
	assert_non_null(data);
	return data;
}

/* Does a bulk load's error list name the status field? */
static bool
names_status(const json_t *errors)
{
	const json_t *x;
	size_t i;

	json_array_foreach(errors, i, x)
		if (json_string_value(json_object_get(x, "field")) != NULL &&
		    strcmp(json_string_value(json_object_get(x, "field")), "status") == 0)
			return true;
	return false;
}

/* Create rec by path p as who: 0 when written; -1 when refused, with
 * *on_status telling whether the refusal names the status field. */
static int
create_by(enum path p, const struct entity_def *ent, const json_t *rec,
    const struct actor *who, bool *on_status, struct err *e)
{
	struct import_result res;
	struct bulk *b;
	int rc = -1;

	*on_status = false;
	memset(&res, 0, sizeof(res));
	switch (p) {
	case P_CREATE:
		rc = records_create(w.s, ent, rec, who, 0, NULL, e);
		*on_status = rc != 0 && json_object_get(e->fields, "status") != NULL;
		return rc;
	case P_BULK_JSON:
		res.errors = json_array();
		b = bulk_open(w.s, ent, NULL, 0, who, &res, e);
		assert_non_null(b);
		assert_int_equal(bulk_row_json(b, 1, rec, e), 0);
		rc = bulk_finish(b, false, e);
		break;
	case P_IMPORT_CSV: {
		struct buf csv;
		const char *k;
		json_t *v;
		char cell[128];
		size_t n = 0;
		buf_init(&csv, 4096);
		json_object_foreach((json_t *)rec, k, v)
			buf_addf(&csv, "%s%s", n++ ? "," : "", k);
		buf_adds(&csv, "\n");
		n = 0;
		json_object_foreach((json_t *)rec, k, v) {
			cell_of(v, cell, sizeof(cell));
			buf_addf(&csv, "%s%s", n++ ? "," : "", cell);
		}
		buf_adds(&csv, "\n");
		rc = csv_import_buffer(w.s, ent, buf_str(&csv), csv.len, false, who,
		    &res, e);
		buf_free(&csv);
		break;
	}
	case P_IMPORT_XLSX: {
		size_t len;
		char *data = xlsx_of(rec, &len);
		rc = xlsx_import_buffer(w.s, ent, data, len, false, who, &res, e);
		free(data);
		break;
	}
	case NPATH:
		break;
	}
	if (rc == 0)
		assert_int_equal(res.imported, 1);
	*on_status = rc != 0 && names_status(res.errors);
	json_decref(res.errors);
	return rc;
}

/* ---- the table is complete --------------------------------------------------- */

static void
test_every_state_is_in_the_table(void **state)
{
	size_t i, k, n;
	char code[64], label[128];

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct entity_def *ent = registry_find(cases[i].entity);
		const struct field_def *f;
		assert_non_null(ent);
		assert_non_null(workflow_field(ent));
		f = entity_field(ent, workflow_field(ent));
		for (n = 0; cases[i].states[n] != NULL; n++)
			assert_true(enum_has(f, cases[i].states[n]));
		assert_int_equal(n, enum_count(f));
		for (k = 0; k < enum_count(f); k++) {
			enum_choice(f, k, code, sizeof(code), label, sizeof(label));
			assert_int_equal(workflow_initial(ent, code), in(cases[i].initial, code));
			json_t *rec = json_pack("{s:s}", "status", code);
			assert_int_equal(workflow_locked(ent, rec),
			    cases[i].locked != NULL && strcmp(cases[i].locked, code) == 0);
			json_decref(rec);
		}
	}
	/* every entity with a status workflow is a case here */
	for (i = 0, n = 0; i < registry_count; i++)
		if (workflow_field(registry[i]) != NULL)
			n++;
	assert_int_equal(n, NCASES);
	assert_string_equal(workflow_reopen_state(registry_find("indicator_value")), "draft");
	assert_null(workflow_reopen_state(registry_find("report")));
	assert_null(workflow_reopen_state(registry_find("agreement")));
}

/* ---- creating: initial states only, on every path ------------------------------- */

static void
test_create_in_each_state_on_every_path(void **state)
{
	size_t i, k;
	int p, a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		for (k = 0; c->states[k] != NULL; k++) {
			for (p = 0; p < NPATH; p++) {
				for (a = 0; a < NWHO; a++) {
					const char *st = c->states[k];
					bool want = in(c->initial, st) || a == HISTORY, on_status;
					int64_t total = count_where(c->entity, NULL, NULL);
					int64_t there = count_where(c->entity, "status", st);
					json_t *rec = record_of(c, st);
					struct err e = { 0 };
					int rc = create_by((enum path)p, ent, rec, &actors[a],
					    &on_status, &e);
					if ((rc == 0) != want)
						fail_msg("%s in '%s' by %s as %s: want %s, got %s (%s)",
						    c->entity, st, path_names[p], actors[a].name,
						    want ? "written" : "refused", rc == 0 ? "written" :
						    "refused", e.msg);
					if (!want) {
						/* refused for its status, in Vietnamese naming the
						 * initial states; nothing written */
						assert_true(on_status);
						assert_int_equal(e.code, ERR_INVALID);
						assert_int_equal(count_where(c->entity, NULL, NULL), total);
					} else {
						assert_int_equal(count_where(c->entity, NULL, NULL), total + 1);
						assert_int_equal(count_where(c->entity, "status", st), there + 1);
					}
					if (p == P_CREATE && !want) {
						const char *m = json_string_value(json_object_get(e.fields,
						    "status"));
						assert_non_null(strstr(m, "chỉ được tạo ở trạng thái"));
					}
					json_decref(rec);
					err_clear(&e);
				}
			}
		}
	}
}

/* ---- creating further along: created initial, then moved (grid, ingest) ----------- */

static void
test_create_further_along_moves_and_records(void **state)
{
	size_t i, k;
	int a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		for (k = 0; c->states[k] != NULL; k++) {
			for (a = 0; a < NWHO; a++) {
				const char *st = c->states[k];
				/* users' moves are their role's; the system makes every one */
				const char *const *reach = a == EDITOR || a == EDITOR_HISTORY ?
				    c->editor : c->approver;
				bool want;
				int64_t total = count_where(c->entity, NULL, NULL);
				int64_t moves = count_where("status_change", NULL, NULL);
				json_t *rec = record_of(c, st), *out = NULL, *hist;
				struct err e = { 0 };
				int rc;
				want = in(reach, st);
				rc = workflow_create(w.s, ent, rec, &actors[a], 0, &out, &e);
				if ((rc == 0) != want)
					fail_msg("workflow_create %s in '%s' as %s: want %s, got %s (%s)",
					    c->entity, st, actors[a].name, want ? "written" : "refused",
					    rc == 0 ? "written" : "refused", e.msg);
				json_decref(rec);
				if (!want) {
					/* nothing written: neither the record nor a move */
					assert_int_equal(count_where(c->entity, NULL, NULL), total);
					assert_int_equal(count_where("status_change", NULL, NULL), moves);
					assert_true(e.code == ERR_FORBIDDEN || e.code == ERR_INVALID);
					err_clear(&e);
					continue;
				}
				assert_string_equal(rec_str(out, "status"), st);
				hist = history_of(c->entity, rec_int(out, "id"));
				if (in(c->initial, st)) {
					assert_int_equal(json_array_size(hist), 0);
				} else {
					/* every move recorded: from an initial state to st */
					size_t n = json_array_size(hist), j;
					assert_true(n > 0);
					assert_true(in(c->initial, rec_str(json_array_get(hist, 0),
					    "from_status")));
					for (j = 1; j < n; j++)
						assert_string_equal(rec_str(json_array_get(hist, j),
						    "from_status"), rec_str(json_array_get(hist, j - 1),
						    "to_status"));
					assert_string_equal(rec_str(json_array_get(hist, n - 1),
					    "to_status"), st);
				}
				json_decref(hist);
				json_decref(out);
			}
		}
	}
}

/* ---- deleting: never in a lock state ---------------------------------------------- */

static void
test_delete_in_each_state(void **state)
{
	size_t i, k;
	int a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		for (k = 0; c->states[k] != NULL; k++) {
			for (a = 0; a < NWHO; a++) {
				const char *st = c->states[k];
				bool locked = c->locked != NULL && strcmp(c->locked, st) == 0;
				json_t *rec = record_of(c, st), *out = NULL;
				struct err e = { 0 };
				int64_t id;
				int rc;
				/* loaded as history: the state itself is what is tested */
				assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0,
				    &out, &e), 0);
				json_decref(rec);
				id = rec_int(out, "id");
				json_decref(out);
				rc = records_delete(w.s, ent, id, 0, &actors[a], &e);
				if ((rc == 0) == locked)
					fail_msg("delete %s in '%s' as %s: got rc %d (%s)", c->entity,
					    st, actors[a].name, rc, e.msg);
				if (locked) {
					assert_int_equal(e.code, ERR_CONFLICT);
					assert_true(store_exists(w.s, ent, id));
				} else {
					assert_false(store_exists(w.s, ent, id));
				}
				err_clear(&e);
			}
		}
	}
}

/* ---- changing a locked record; reopening ----------------------------------------- */

static void
test_locked_record_is_not_changed(void **state)
{
	size_t i;
	int a;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct wf_case *c = &cases[i];
		const struct entity_def *ent = registry_find(c->entity);
		json_t *rec, *out = NULL, *in_, *now;
		struct err e = { 0 };
		int64_t id;
		if (c->locked == NULL)
			continue;
		rec = record_of(c, c->locked);
		assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0, &out, &e), 0);
		json_decref(rec);
		id = rec_int(out, "id");
		for (a = 0; a < NWHO; a++) {
			in_ = json_pack("{s:s}", c->other, "sửa khi đã khóa");
			assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[a], 0,
			    NULL, &e), -1);
			assert_int_equal(e.code, ERR_CONFLICT);
			err_clear(&e);
			json_decref(in_);
		}
		now = store_get(w.s, ent, id, NULL);
		assert_true(json_equal(now, out));
		json_decref(now);
		json_decref(out);
	}
}

static void
test_reopen_then_delete_a_value(void **state)
{
	const struct entity_def *ent = registry_find("indicator_value");
	json_t *rec = record_of(&cases[3], "approved"), *out = NULL, *in_;
	struct err e = { 0 };
	int64_t id;

	(void)state;
	assert_string_equal(cases[3].entity, "indicator_value");
	assert_int_equal(records_create(w.s, ent, rec, &actors[HISTORY], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	in_ = json_pack("{s:s}", "status", "draft");
	/* an editor may not reopen; an approver may, and then it may go */
	assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[EDITOR], 0, NULL,
	    &e), -1);
	assert_int_equal(e.code, ERR_FORBIDDEN);
	err_clear(&e);
	assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[APPROVER], 0,
	    NULL, &e), 0);
	json_decref(in_);
	assert_int_equal(records_delete(w.s, ent, id, 0, &actors[EDITOR], &e), 0);
}

/* ---- a report is issued by report_issue, never by editing its status ------------ */

static void
test_report_is_issued_by_its_register_only(void **state)
{
	const struct entity_def *ent = registry_find("report");
	json_t *rec = record_of(&cases[4], "draft"), *out = NULL, *in_;
	struct err e = { 0 };
	int64_t id;
	int a;

	(void)state;
	assert_string_equal(cases[4].entity, "report");
	assert_int_equal(records_create(w.s, ent, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	in_ = json_pack("{s:s}", "status", "issued");
	for (a = 0; a < NWHO; a++) {
		assert_int_equal(records_update(w.s, ent, id, in_, 0, &actors[a], 0, NULL,
		    &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		assert_non_null(json_object_get(e.fields, "status"));
		err_clear(&e);
		assert_int_equal(workflow_advance(w.s, ent, id, "issued", &actors[a], 0,
		    NULL, &e), -1);
		err_clear(&e);
	}
	json_decref(in_);
	assert_int_equal(report_issue(w.s, id, &actors[EDITOR], &out, &e), 0);
	assert_string_equal(rec_str(out, "status"), "issued");
	assert_true(rec_int(out, "number") > 0);
	json_decref(out);
	/* issued: locked for good */
	assert_int_equal(records_delete(w.s, ent, id, 0, &actors[APPROVER], &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	err_clear(&e);
}

/* ---- workflow_advance goes forward only ----------------------------------------- */

static void
test_advance_is_at_least_as_far(void **state)
{
	const struct entity_def *values = registry_find("indicator_value");
	const struct entity_def *recs = registry_find("recommendation");
	json_t *out = NULL, *rec;
	struct err e = { 0 };
	int64_t id, moves;

	(void)state;
	rec = record_of(&cases[3], "submitted");
	assert_int_equal(workflow_create(w.s, values, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	/* a draft save of a submitted value leaves it submitted, moves nothing */
	moves = count_where("status_change", NULL, NULL);
	assert_int_equal(workflow_advance(w.s, values, id, "draft", &actors[APPROVER], 0,
	    &out, &e), 0);
	assert_string_equal(rec_str(out, "status"), "submitted");
	json_decref(out);
	assert_int_equal(count_where("status_change", NULL, NULL), moves);
	/* done is off declined's way: refused naming the moves allowed */
	rec = record_of(&cases[2], "done");
	assert_int_equal(workflow_create(w.s, recs, rec, &actors[EDITOR], 0, &out, &e), 0);
	json_decref(rec);
	id = rec_int(out, "id");
	json_decref(out);
	assert_int_equal(workflow_advance(w.s, recs, id, "declined", &actors[APPROVER],
	    0, NULL, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_non_null(json_object_get(e.fields, "status"));
	err_clear(&e);
}

/* ---- ingest acceptance: created in the initial state, then moved --------------- */

static const char ingest_text[] =
    "Ngày 31/10 hội nghị sơ kết tại huyện. Tỷ lệ hộ nghèo giảm đạt 85%.";

static void
test_ingest_accept_creates_initial_then_moves(void **state)
{
	json_t *set, *dec, *res = NULL, *c, *hist;
	json_error_t je;
	struct err e = { 0 };
	size_t i;
	int a, found;

	(void)state;
	for (a = 0; a < NWHO; a++) {
		set = json_loads("{\"source\": {\"name\": \"thu.txt\", \"title\": \"Văn bản "
		    "thử\", \"publication_date\": \"2023-10-31\", "
		    "\"publication_date_source\": \"option\"}, \"text_length\": 0, "
		    "\"proposals\": [{\"id\": \"e1\", \"kind\": \"event\", \"span\": [0, 10], "
		    "\"quote\": \"Ngày 31/10\", \"confidence\": 0.9, \"event_type\": "
		    "\"review_conference\", \"date\": \"2023-10-31\", \"date_text\": "
		    "\"Ngày 31/10\", \"place_text\": \"huyện Si Ma Cai\", \"place_unit\": "
		    "{\"code\": \"084\", \"vintage\": \"2024\"}, \"title\": \"Hội nghị thử\"}, "
		    "{\"id\": \"f1\", \"kind\": \"figure\", \"span\": [38, 70], \"quote\": "
		    "\"Tỷ lệ hộ nghèo giảm đạt 85%\", \"confidence\": 0.8, \"text\": \"85%\", "
		    "\"value\": 85, \"unit\": \"%\", \"qualifier\": \"đạt\", \"of\": null, "
		    "\"percent\": 85, \"subject\": \"Tỷ lệ hộ nghèo giảm\", \"proposed_as\": "
		    "\"indicator_value\", \"event\": \"e1\"}]}", 0, &je);
		if (set == NULL)
			fail_msg("set: %s", je.text);
		json_object_set_new(set, "text_length", json_integer((json_int_t)strlen(
		    ingest_text)));
		dec = ingest_decisions_from_list(set, "all");
		if (ingest_accept_set(w.s, set, dec, 0, &actors[a], &res, &e) != 0)
			fail_msg("accept as %s: %s", actors[a].name, e.msg);
		found = 0;
		json_array_foreach(json_object_get(res, "created"), i, c) {
			json_t *v;
			if (strcmp(rec_str(c, "entity"), "indicator_value") != 0)
				continue;
			found++;
			/* the report says submitted: draft first, then the move */
			v = store_get(w.s, registry_find("indicator_value"), rec_int(c, "id"), NULL);
			assert_string_equal(rec_str(v, "status"), "submitted");
			json_decref(v);
			hist = history_of("indicator_value", rec_int(c, "id"));
			assert_int_equal(json_array_size(hist), 1);
			assert_string_equal(rec_str(json_array_get(hist, 0), "from_status"), "draft");
			assert_string_equal(rec_str(json_array_get(hist, 0), "to_status"), "submitted");
			json_decref(hist);
		}
		assert_int_equal(found, 1);
		json_decref(res);
		json_decref(dec);
		json_decref(set);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state_is_in_the_table),
		cmocka_unit_test(test_create_in_each_state_on_every_path),
		cmocka_unit_test(test_create_further_along_moves_and_records),
		cmocka_unit_test(test_delete_in_each_state),
		cmocka_unit_test(test_locked_record_is_not_changed),
		cmocka_unit_test(test_reopen_then_delete_a_value),
		cmocka_unit_test(test_report_is_issued_by_its_register_only),
		cmocka_unit_test(test_advance_is_at_least_as_far),
		cmocka_unit_test(test_ingest_accept_creates_initial_then_moves),
	};
	return cmocka_run_group_tests_name("workflow", tests, setup, teardown);
}
