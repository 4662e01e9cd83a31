/*
 * fuzz.h - shared by the libFuzzer targets: the input as a NUL-terminated
 * copy (the parsers take C strings; a NUL inside ends the text, as it would
 * coming from a query string or a CSV cell).
 */
#ifndef GIAPRANH_FUZZ_H
#define GIAPRANH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_INPUT_MAX (1u << 16) /* longer inputs test nothing new, only slow */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
