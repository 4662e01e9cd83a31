/* UTF-8 checks, NFC, search folding, upper case. */
#include "fuzz.h"
#include "text/text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *out = NULL, *f, *u;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	s = fuzz_cstr(data, size);
	if (text_valid_utf8((const char *)data, size) && text_nfc(s, strlen(s), &out) == 0) {
		/* NFC is idempotent */
		char *again = NULL;
		if (text_nfc(out, strlen(out), &again) != 0 || strcmp(out, again) != 0)
			abort();
		free(again);
	}
	free(out);
	if ((f = text_fold(s)) != NULL) {
		/* folding is idempotent: a folded query matches a folded key */
		char *f2 = text_fold(f);
		if (f2 == NULL || strcmp(f, f2) != 0)
			abort();
		free(f2);
	}
	free(f);
	u = text_upper(s);
	free(u);
	free(s);
	return 0;
}
