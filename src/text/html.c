/* html.c - see html.h */
#include <stdio.h>
#include <string.h>

#include "text/html.h"

void
html_text(struct buf *b, const char *s)
{
	const char *start;

	if (s == NULL)
		return;
	for (start = s; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, start, (size_t)(s - start));
		buf_adds(b, rep);
		start = s + 1;
	}
	buf_add(b, start, (size_t)(s - start));
}

void
html_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (s == NULL)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

void
html_int(struct buf *b, long long v)
{
	buf_addf(b, "%lld", v);
}

void
html_raw(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_adds(b, s);
}

void
xml_text(struct buf *b, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		switch (c) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&apos;"); break;
		default: buf_addc(b, (char)c); break;
		}
	}
}
