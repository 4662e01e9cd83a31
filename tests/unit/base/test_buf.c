/* test_buf.c - bounded buffers stop at their cap and say so once. */
#include "testutil.h"

#include "base/buf.h"

static void
test_cap_and_sticky_error(void **state)
{
	struct buf b;
	char *s;

	(void)state;
	buf_init(&b, 8);
	buf_adds(&b, "abcd");
	buf_addf(&b, "%d", 123);
	assert_string_equal(buf_str(&b), "abcd123");
	assert_false(buf_failed(&b));
	buf_adds(&b, "xy"); /* would be 9 > 8 */
	assert_true(buf_failed(&b));
	buf_adds(&b, "z");  /* still failed, unchanged */
	assert_string_equal(buf_str(&b), "abcd123");
	buf_reset(&b);
	assert_false(buf_failed(&b));
	buf_addc(&b, 'q');
	s = buf_take(&b);
	assert_string_equal(s, "q");
	free(s);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_and_sticky_error),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
