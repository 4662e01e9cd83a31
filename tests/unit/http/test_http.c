/* test_http.c - what a handler reads from the request lives as long as the
 * request (issue 13: /grid rendered strings of a JSON object it had
 * already released).  Run under ASan: a string used after its owner is
 * freed is a report, not a passing test. */
#include "testutil.h"

#include <stdio.h>

#include "http/http.h"

#define MANY_COPIES 1000 /* req_strdup kept 32 before, then gave NULL */

static void
test_strdup_keeps_every_copy(void **state)
{
	static const char *const in[] = { "", "084", "quý 5/2025", "Xín Mần" };
	struct request r;
	char *copies[MANY_COPIES], want[32];
	size_t i;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (i = 0; i < MANY_COPIES; i++) {
		snprintf(want, sizeof(want), "%s-%zu", in[i % 4], i);
		copies[i] = req_strdup(&r, want);
		assert_non_null(copies[i]);
	}
	for (i = 0; i < MANY_COPIES; i++) {
		snprintf(want, sizeof(want), "%s-%zu", in[i % 4], i);
		assert_string_equal(copies[i], want);
	}
	assert_null(req_strdup(&r, NULL));
	req_release(&r);
	assert_null(r.allocs);
	req_release(&r); /* twice is harmless */
}

/* The arguments as the request keeps them (server.c fills r->query from
 * libmicrohttpd; an in-process driver sets it). */
static void
with_args(struct request *r)
{
	memset(r, 0, sizeof(*r));
	r->query = json_pack("{s:s, s:s, s:s}", "unit", "084", "period", "quý 5/2025",
	    "target_set", "1");
	assert_non_null(r->query);
}

static void
test_args_outlive_every_copy(void **state)
{
	struct request r;
	const char *unit, *period;
	json_t *copy;

	(void)state;
	with_args(&r);
	/* read through a copy, then release the copy: the strings stay */
	copy = req_query_all(&r);
	unit = json_string_value(json_object_get(copy, "unit"));
	period = json_string_value(json_object_get(copy, "period"));
	/* what a handler may do to its copy does not reach the request */
	json_object_del(copy, "unit");
	json_object_set_new(copy, "period", json_string("2024"));
	json_decref(copy);
	assert_string_equal(unit, "084");
	assert_string_equal(period, "quý 5/2025");
	assert_string_equal(req_query(&r, "unit"), "084");
	assert_string_equal(req_query(&r, "period"), "quý 5/2025");
	assert_ptr_equal(req_args(&r), r.query);
	assert_null(req_query(&r, "khong_co"));
	req_release(&r);
	assert_null(r.query);
}

static void
test_no_connection_means_no_arguments(void **state)
{
	struct request r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_non_null(req_args(&r));
	assert_int_equal(json_object_size(req_args(&r)), 0);
	assert_null(req_query(&r, "unit"));
	assert_null(req_header(&r, "Content-Type"));
	assert_null(req_cookie(&r, "gp_session"));
	assert_null(req_form(&r)); /* no Content-Type: not a form */
	assert_false(r.query_bad);
	req_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strdup_keeps_every_copy),
		cmocka_unit_test(test_args_outlive_every_copy),
		cmocka_unit_test(test_no_connection_means_no_arguments),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
