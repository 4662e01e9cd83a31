/* Computed-indicator formulas, checked when an indicator is saved. */
#include "domain/expr.h"
#include "fuzz.h"

#define DIAG_MAX 8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expr_diag diag[DIAG_MAX];
	struct err e = { 0 };
	size_t n;
	int rc;
	char *s;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	s = fuzz_cstr(data, size);
	n = expr_diagnose(s, diag, DIAG_MAX);
	rc = expr_check(s, &e);
	if ((n == 0) != (rc == 0))
		abort(); /* the two entry points must agree */
	err_clear(&e);
	free(s);
	return 0;
}
