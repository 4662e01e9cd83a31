/* CSV import: the parser that turns an uploaded file into rows. */
#include "domain/csvio.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { 0 };
	json_t *rows;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	rows = csv_parse_rows((const char *)data, size, &e);
	json_decref(rows);
	err_clear(&e);
	return 0;
}
