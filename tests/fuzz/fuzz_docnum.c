/* Document numbers ("Số 12/2024/NĐ-CP"): parse, format, parse the canonical
 * form again - it must be accepted and give the same number and year. */
#include <stdio.h>

#include "base/gplimits.h"
#include "fuzz.h"
#include "text/text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_number d, d2;
	char err[ERR_MSG_MAX], canon[256];
	char *s;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	s = fuzz_cstr(data, size);
	if (doc_number_parse(s, &d, err, sizeof(err)) == 0 &&
	    doc_number_format(&d, canon, sizeof(canon)) == 0) {
		(void)doc_kind_name(d.kind);
		if (doc_number_parse(canon, &d2, err, sizeof(err)) != 0 ||
		    d2.number != d.number || d2.year != d.year) {
			fprintf(stderr, "canonical form '%s' of '%s' does not read back\n",
			    canon, s);
			abort();
		}
	}
	free(s);
	return 0;
}
