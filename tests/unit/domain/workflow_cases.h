/*
 * workflow_cases.h - the fixtures of test_workflow.c and test_workflow_move.c:
 * every workflow written out by hand (not read back from workflow.c: a
 * change to the table is a change to this one too), the actors, and
 * creating a record by each path.
 */
#ifndef GIAPRANH_WORKFLOW_CASES_H
#define GIAPRANH_WORKFLOW_CASES_H

#include "testutil.h"

#include <xlsxwriter.h>

#include "base/buf.h"
#include "domain/bulk.h"
#include "domain/csvio.h"
#include "domain/records.h"
#include "domain/workflow.h"
#include "domain/workflow_move.h"

#define STATES 6 /* states of the largest workflow + 1 (NULL ends) */

static __attribute__((unused)) bool
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

static __attribute__((unused)) bool
in(const char *const *list, const char *code)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], code) == 0)
			return true;
	return false;
}

static __attribute__((unused)) int64_t
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

static __attribute__((unused)) int
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

static __attribute__((unused)) int
teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* A valid new record of the case's entity in `status` (strings and
 * integers only, so that it is also a CSV or XLSX row). */
static __attribute__((unused)) json_t *
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

static __attribute__((unused)) int64_t
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
static __attribute__((unused)) json_t *
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
static __attribute__((unused)) void
cell_of(const json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, len, "%s", json_string_value(v));
}

/* The record as a one-row spreadsheet (libxlsxwriter), its bytes. */
static __attribute__((unused)) char *
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
static __attribute__((unused)) bool
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
static __attribute__((unused)) int
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

#endif
