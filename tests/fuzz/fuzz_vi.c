/* Vietnamese numbers, quantities, dates and periods as written in reports. */
#include <stdio.h>

#include "fuzz.h"
#include "text/text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vi_quantity q;
	struct vi_date d;
	struct vi_period p;
	char iso[32], bare[256];
	double v;
	char *s;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	s = fuzz_cstr(data, size);
	(void)vi_parse_decimal(s, &v);
	(void)vi_parse_quantity(s, &q);
	if (vi_parse_date(s, 2024, &d) == 0 && vi_date_iso(&d, iso, sizeof(iso)) == 0 &&
	    !vi_iso_date_valid(iso))
		abort(); /* a date we accepted must print as a valid ISO date */
	(void)vi_parse_date(s, 0, &d);
	if (vi_parse_period(s, &p) == 0) {
		/* a period we accepted says itself in words that read back to it */
		char label[VI_PERIOD_LABEL_MAX], code[VI_PERIOD_CODE_MAX];
		snprintf(code, sizeof(code), "%s", p.code);
		if (vi_period_label(&p, label, sizeof(label)) != 0 ||
		    vi_parse_period(label, &p) != 0 || strcmp(p.code, code) != 0)
			abort();
	}
	(void)vi_iso_date_valid(s);
	text_unit_bare_name(s, bare, sizeof(bare));
	free(s);
	return 0;
}
