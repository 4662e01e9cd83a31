/* XLSX import: the first sheet of an uploaded workbook as rows. */
#include "fuzz.h"
#include "text/xlsx_read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { 0 };
	json_t *rows;

	if (size > (1u << 20))
		return 0;
	rows = xlsx_read_rows(data, size, &e);
	json_decref(rows);
	err_clear(&e);
	return 0;
}
