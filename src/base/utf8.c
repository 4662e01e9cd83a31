/* utf8.c - see utf8.h (moved from text.c, unchanged, for error.c) */
#include "base/utf8.h"

#include <string.h>

bool text_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		unsigned char c = p[i];
		size_t need;
		unsigned char lo = 0x80, hi = 0xBF; /* range of 2nd byte */

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates U+D800..DFFF */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return false; /* C0, C1 (overlong) or F5..FF, or stray 80..BF */
		}
		if (len - i <= need)
			return false;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= need; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xBF)
				return false;
		i += need + 1;
	}
	return true;
}

void text_fix_utf8(char *s)
{
	size_t i = 0, k, len, need;
	unsigned char c;

	if (s == NULL)
		return;
	len = strlen(s);
	while (i < len) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		need = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 :
		    c >= 0xF0 && c <= 0xF4 ? 3 : 0;
		if (need > 0 && i + need < len && text_valid_utf8(s + i, need + 1)) {
			i += need + 1;
			continue;
		}
		if (need > 0 && i + need >= len) {
			/* the last character, cut short: drop it */
			for (k = i + 1; k < len && ((unsigned char)s[k] & 0xC0) == 0x80; k++)
				;
			if (k == len) {
				s[i] = '\0';
				return;
			}
		}
		s[i++] = '?';
	}
}
