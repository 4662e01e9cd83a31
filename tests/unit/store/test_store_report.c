/* test_store_report.c - the set-based section queries (store_report.h)
 * over every demo agreement, program and supervision x the whole time and
 * each year the demo records span:
 *  - one statement per call, whatever the scope (store_stats);
 *  - the period is in the query: a year's meetings are exactly the scope's
 *    meetings held that year, and the years together are the whole;
 *  - a meeting belongs to the scope: its agreement, program or supervision
 *    is the scope's, or (an agreement's) one of its clusters';
 *  - confidential records are left out for a reader without clearance;
 *  - quantities and incidents of a year add up to the whole time's. */
#include "testutil.h"

#include "domain/records.h"
#include "schema/record.h"
#include "store/store_report.h"

#define YEAR_FIRST 2010
#define YEAR_LAST  2026

static const struct {
	enum store_report_kind kind;
	enum entity_id entity;
} kinds[] = {
	{ STORE_REPORT_AGREEMENT, ENT_AGREEMENT },
	{ STORE_REPORT_PROGRAM, ENT_PROGRAM },
	{ STORE_REPORT_SUPERVISION, ENT_SUPERVISION },
};

static json_t *
all_of(struct store *s, enum entity_id entity)
{
	struct list_query q;
	json_t *rows = NULL;

	memset(&q, 0, sizeof(q));
	q.limit = 10000;
	q.see_confidential = true;
	assert_int_equal(store_list(s, entity_of(entity), &q, &rows, NULL, NULL), 0);
	return rows;
}

/* Meetings of sc, checking that the call was one statement. */
static json_t *
meetings(struct store *s, const struct store_report_scope *sc)
{
	struct store_stats st;
	struct err e = { 0 };
	json_t *m;

	store_stats_reset(s);
	m = store_report_meetings(s, sc, &e);
	store_stats_get(s, &st);
	if (m == NULL)
		fail_msg("meetings of %d:%lld: %s", sc->kind, (long long)sc->id, e.msg);
	assert_int_equal(st.statements, 1);
	return m;
}

/* Does meeting m belong to the scope (directly, or through a cluster of
 * the agreement)? */
static bool
belongs(struct store *s, const struct store_report_scope *sc, const json_t *m)
{
	enum field_id f = sc->kind == STORE_REPORT_AGREEMENT ? FLD_MEETING_AGREEMENT_ID :
	    sc->kind == STORE_REPORT_PROGRAM ? FLD_MEETING_PROGRAM_ID :
	    FLD_MEETING_SUPERVISION_ID;
	json_t *cl;
	bool yes;

	if (jrec_int(m, f) == sc->id)
		return true;
	if (sc->kind == STORE_REPORT_AGREEMENT && jrec_int(m, FLD_MEETING_CLUSTER_ID) > 0) {
		cl = store_get(s, entity_of(ENT_CLUSTER), jrec_int(m, FLD_MEETING_CLUSTER_ID),
		    NULL);
		yes = cl != NULL && jrec_int(cl, FLD_CLUSTER_AGREEMENT_ID) == sc->id;
		json_decref(cl);
		return yes;
	}
	/* a program's meetings also come through its agreements */
	if (sc->kind == STORE_REPORT_PROGRAM && jrec_int(m, FLD_MEETING_AGREEMENT_ID) > 0) {
		json_t *ag = store_get(s, entity_of(ENT_AGREEMENT),
		    jrec_int(m, FLD_MEETING_AGREEMENT_ID), NULL);
		yes = ag != NULL && jrec_int(ag, FLD_AGREEMENT_PROGRAM_ID) == sc->id;
		json_decref(ag);
		return yes;
	}
	return false;
}

struct sum {
	double value;
	long rows;
};

static int
add_quantity(void *ctx, const struct store_report_quantity *q)
{
	struct sum *t = ctx;

	t->value += q->value;
	t->rows++;
	return 0;
}

static int
add_count(void *ctx, const char *a, const char *b, int64_t n)
{
	struct sum *t = ctx;

	(void)a;
	(void)b;
	t->rows += (long)n;
	return 0;
}

static void
test_every_scope(void **state)
{
	struct store *s = *state;
	size_t k, i, j, scopes = 0, with_meetings = 0;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		json_t *recs = all_of(s, kinds[k].entity), *rec;
		json_array_foreach(recs, i, rec) {
			struct store_report_scope sc = { .kind = kinds[k].kind,
				.id = rec_int(rec, "id"), .see_confidential = true };
			struct store_report_scope hidden = sc;
			struct sum q_all = { 0 }, q_years = { 0 }, i_all = { 0 }, i_years = { 0 };
			struct err e = { 0 };
			json_t *whole = meetings(s, &sc), *m;
			size_t in_years = 0;
			int y;

			scopes++;
			with_meetings += json_array_size(whole) > 0;
			json_array_foreach(whole, j, m)
				if (!belongs(s, &sc, m))
					fail_msg("meeting %lld is not of %s %lld",
					    (long long)rec_int(m, "id"),
					    entity_of(kinds[k].entity)->name, (long long)sc.id);
			assert_int_equal(store_report_quantities(s, &sc, add_quantity, &q_all,
			    &e), 0);
			assert_int_equal(store_report_incidents(s, &sc, add_count, &i_all, &e), 0);
			for (y = YEAR_FIRST; y <= YEAR_LAST; y++) {
				char from[16], to[16];
				struct store_report_scope ys = sc;
				json_t *part;
				snprintf(from, sizeof(from), "%d-01-01", y);
				snprintf(to, sizeof(to), "%d-12-31", y);
				ys.from = from;
				ys.to = to;
				part = meetings(s, &ys);
				json_array_foreach(part, j, m) {
					const char *held = jrec_str(m, FLD_MEETING_HELD_ON);
					assert_non_null(held);
					assert_true(strcmp(held, from) >= 0 && strcmp(held, to) <= 0);
				}
				in_years += json_array_size(part);
				json_decref(part);
				assert_int_equal(store_report_quantities(s, &ys, add_quantity,
				    &q_years, &e), 0);
				assert_int_equal(store_report_incidents(s, &ys, add_count, &i_years,
				    &e), 0);
			}
			/* the demo's dates all lie within the years looked at */
			assert_int_equal(in_years, json_array_size(whole));
			assert_int_equal(q_years.rows, q_all.rows);
			assert_true(q_years.value == q_all.value);
			assert_int_equal(i_years.rows, i_all.rows);

			hidden.see_confidential = false;
			m = meetings(s, &hidden);
			assert_true(json_array_size(m) <= json_array_size(whole));
			json_array_foreach(m, j, rec)
				assert_false(json_is_true(json_object_get(rec, "confidential")));
			json_decref(m);
			json_decref(whole);
		}
		json_decref(recs);
	}
	print_message("%zu scopes, %zu with meetings\n", scopes, with_meetings);
	assert_true(scopes >= 8);
	assert_true(with_meetings >= 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scope),
	};

	return cmocka_run_group_tests_name("store_report", tests, tu_setup_demo,
	    tu_teardown);
}
