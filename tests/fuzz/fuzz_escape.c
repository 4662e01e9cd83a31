/* Escaping for HTML and for the XML of DOCX/XLSX parts: no raw markup
 * character survives, whatever the input. */
#include "fuzz.h"
#include "text/html.h"

static void
no_markup(const char *out)
{
	if (strpbrk(out, "<>\"'") != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	char *s;
	const char *p;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	s = fuzz_cstr(data, size);
	buf_init(&b, (size_t)8 * FUZZ_INPUT_MAX);
	html_text(&b, s);
	no_markup(buf_str(&b));
	buf_reset(&b);
	xml_text(&b, s);
	no_markup(buf_str(&b));
	for (p = buf_str(&b); *p; p++) /* control characters XML 1.0 forbids */
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			abort();
	buf_reset(&b);
	html_url(&b, s);
	for (p = buf_str(&b); *p; p++)
		if (strchr("<>\"' &/?#", *p) != NULL)
			abort();
	buf_free(&b);
	free(s);
	return 0;
}
