/* test_report_queries.c - a review report crosses into the store a bounded
 * number of times, whatever the number of records (issue 14 point 4): every
 * demo scope (each target set, also rolled up to the nation; each
 * agreement, program, supervision; each unit the demo records are kept
 * against; the nation) x a few periods is built over the demo data, then
 * over the demo data with every record of the reported kinds copied once
 * and twice more (the copies land in the same scopes: same units, same
 * meetings, same agreements).  The statements a build runs (store_stats)
 * stay under a fixed bound and do not move; the rows read grow. */
#include "testutil.h"

#include "domain/achieve.h"
#include "report/report.h"

/* statements of one build: the header's few reads, one or two per section
 * (docs/REPORT_QUERIES.md) */
#define STATEMENTS_MAX 24
/* a target set's report adds the achievement's reads and one per
 * indicator for the trend chart: configuration, not records */
#define STATEMENTS_TARGET_SET_MAX 120
#define ROUNDS 3
#define SCOPES_MAX 200

static const char *const periods[] = { NULL, "2024", "2021-2023", "2025-H1" };
#define NPERIODS (sizeof(periods) / sizeof(periods[0]))

/* the records a review report counts or lists, parents before children */
static const char *const copied[] = { "meeting", "activity", "activity_quantity",
	"incident", "incident_share", "recommendation", "task", "commendation",
	"self_mgmt_group", "self_mgmt_household", "supervision_finding" };

struct scope_run {
	struct report_scope scope;
	char name[64];
	unsigned long long statements[NPERIODS];
};

static struct scope_run runs[SCOPES_MAX];
static size_t nruns;

static json_t *
all(const char *entity)
{
	struct list_query q;
	struct err e = { 0 };
	json_t *rows;

	memset(&q, 0, sizeof(q));
	q.see_confidential = true;
	rows = store_list_all(tu_db, registry_find(entity), &q, 1000000, &e);
	if (rows == NULL)
		fail_msg("%s: %s", entity, e.msg);
	return rows;
}

static void
add_scope(enum report_scope_kind kind, int64_t id, int64_t at, const char *name)
{
	size_t i;

	for (i = 0; i < nruns; i++)
		if (runs[i].scope.kind == kind && runs[i].scope.id == id &&
		    runs[i].scope.at == at)
			return;
	assert_true(nruns < SCOPES_MAX);
	runs[nruns].scope = (struct report_scope){ kind, id, at };
	snprintf(runs[nruns].name, sizeof(runs[nruns].name), "%s:%lld%s", name,
	    (long long)id, at < 0 ? "@nation" : "");
	nruns++;
}

static void
add_scopes_of(const char *entity, enum report_scope_kind kind)
{
	json_t *rows = all(entity), *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		add_scope(kind, rec_int(r, "id"), 0, entity);
		if (kind == SCOPE_TARGET_SET)
			add_scope(kind, rec_int(r, "id"), ACH_NATION, entity);
	}
	json_decref(rows);
}

static void
add_units_of(const char *entity)
{
	json_t *rows = all(entity), *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (rec_int(r, "unit_id") > 0)
			add_scope(SCOPE_UNIT, rec_int(r, "unit_id"), 0, "unit");
	json_decref(rows);
}

/* Every record of the copied kinds once more; how many were copied (a
 * copy a unique key refuses is left out). */
static size_t
copy_records(void)
{
	size_t k, i, n = 0;

	for (k = 0; k < sizeof(copied) / sizeof(copied[0]); k++) {
		const struct entity_def *ent = registry_find(copied[k]);
		json_t *rows = all(copied[k]), *r;
		json_array_foreach(rows, i, r) {
			json_t *c = json_deep_copy(r);
			struct err e = { 0 };
			int64_t id;
			json_object_del(c, "id");
			json_object_del(c, "version");
			json_object_del(c, "created_at");
			json_object_del(c, "updated_at");
			if (store_insert(tu_db, ent, c, &id, &e) == 0)
				n++;
			else if (e.code != ERR_CONFLICT)
				fail_msg("copy of %s: %s", copied[k], e.msg);
			err_clear(&e);
			json_decref(c);
		}
		json_decref(rows);
	}
	return n;
}

/* One build of every scope x period; the rows read, summed. */
static unsigned long long
build_all(int round)
{
	unsigned long long rows = 0;
	size_t i, p;

	for (i = 0; i < nruns; i++)
		for (p = 0; p < NPERIODS; p++) {
			struct store_stats st;
			struct err e = { 0 };
			unsigned long long bound = runs[i].scope.kind == SCOPE_TARGET_SET ?
			    STATEMENTS_TARGET_SET_MAX : STATEMENTS_MAX;
			json_t *doc;
			store_stats_reset(tu_db);
			doc = report_build(tu_db, &runs[i].scope, periods[p], 0, true, &e);
			store_stats_get(tu_db, &st);
			if (doc == NULL)
				fail_msg("%s %s: %s", runs[i].name, periods[p] ?: "-", e.msg);
			json_decref(doc);
			if (st.statements == 0 || st.statements > bound)
				fail_msg("%s %s: %llu statements (bound %llu)", runs[i].name,
				    periods[p] ?: "-", st.statements, bound);
			if (round == 0)
				runs[i].statements[p] = st.statements;
			else if (runs[i].statements[p] != st.statements)
				fail_msg("%s %s: %llu statements over the demo data, %llu with "
				    "the records copied %d time(s)", runs[i].name,
				    periods[p] ?: "-", runs[i].statements[p], st.statements,
				    round);
			rows += st.rows;
		}
	return rows;
}

static void
test_crossings_bounded(void **state)
{
	unsigned long long rows[ROUNDS];
	size_t kinds[SCOPE_NATION + 1] = { 0 }, i;
	int r;

	(void)state;
	add_scope(SCOPE_NATION, 0, 0, "nation");
	add_scopes_of("target_set", SCOPE_TARGET_SET);
	add_scopes_of("agreement", SCOPE_AGREEMENT);
	add_scopes_of("program", SCOPE_PROGRAM);
	add_scopes_of("supervision", SCOPE_SUPERVISION);
	add_units_of("meeting");
	add_units_of("activity");
	add_units_of("incident");
	add_units_of("self_mgmt_group");
	for (i = 0; i < nruns; i++)
		kinds[runs[i].scope.kind]++;
	/* every kind of scope is exercised */
	for (i = 0; i <= SCOPE_NATION; i++)
		if (kinds[i] == 0)
			fail_msg("no demo scope of kind %zu", i);
	for (r = 0; r < ROUNDS; r++) {
		if (r > 0)
			assert_true(copy_records() > 0);
		rows[r] = build_all(r);
		/* the copies are in the reports' scopes: more rows are read */
		if (r > 0)
			assert_true(rows[r] > rows[r - 1]);
	}
}

/* The counter itself: a statement and its rows are counted, a reset
 * clears them. */
static void
test_stats_count(void **state)
{
	struct store_stats st;
	json_t *rows;

	(void)state;
	store_stats_reset(tu_db);
	store_stats_get(tu_db, &st);
	assert_int_equal(st.statements, 0);
	assert_int_equal(st.rows, 0);
	rows = all("program");
	store_stats_get(tu_db, &st);
	assert_int_equal(st.statements, 1);
	assert_int_equal(st.rows, json_array_size(rows));
	assert_true(st.rows > 0);
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_count),
		cmocka_unit_test(test_crossings_bounded),
	};

	return cmocka_run_group_tests(tests, tu_setup_demo_db, tu_teardown_db);
}
