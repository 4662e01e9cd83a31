/*
 * ingest_text.c - the plain text of an uploaded report (.txt, .html, .docx).
 * Scanners, not parsers: the files are untrusted and only their text is
 * wanted, so a bounded pass over the bytes is enough and keeps an XML or
 * HTML library out of the upload path.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "base/buf.h"
#include "ingest/ingest.h"
#include "text/text.h"

#define DOCX_PART_MAX ((zip_uint64_t)64 << 20) /* word/document.xml unzipped */

/* Append code point cp as UTF-8. */
static void
add_cp(struct buf *b, long cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, u, 4);
	}
}

/* Named HTML entities a Vietnamese page may use: the markup ones, spaces
 * and dashes, and the Latin-1 vowels older editors write as entities. */
static const struct { const char *name; long cp; } entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "hellip", 0x2026 }, { "laquo", 0xAB },
	{ "raquo", 0xBB }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "bull", 0x2022 },
	{ "copy", 0xA9 }, { "deg", 0xB0 }, { "middot", 0xB7 },
	{ "Agrave", 0xC0 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 },
	{ "Atilde", 0xC3 }, { "Egrave", 0xC8 }, { "Eacute", 0xC9 },
	{ "Ecirc", 0xCA }, { "Igrave", 0xCC }, { "Iacute", 0xCD },
	{ "Ograve", 0xD2 }, { "Oacute", 0xD3 }, { "Ocirc", 0xD4 },
	{ "Otilde", 0xD5 }, { "Ugrave", 0xD9 }, { "Uacute", 0xDA },
	{ "Yacute", 0xDD }, { "agrave", 0xE0 }, { "aacute", 0xE1 },
	{ "acirc", 0xE2 }, { "atilde", 0xE3 }, { "egrave", 0xE8 },
	{ "eacute", 0xE9 }, { "ecirc", 0xEA }, { "igrave", 0xEC },
	{ "iacute", 0xED }, { "ograve", 0xF2 }, { "oacute", 0xF3 },
	{ "ocirc", 0xF4 }, { "otilde", 0xF5 }, { "ugrave", 0xF9 },
	{ "uacute", 0xFA }, { "yacute", 0xFD },
};

/* Decode the entity at s[0] == '&' (within n bytes) into b; returns the
 * bytes consumed (1 when it is not an entity: the '&' is kept). */
static size_t
add_entity(struct buf *b, const char *s, size_t n)
{
	const char *semi = memchr(s, ';', n < 12 ? n : 12);
	size_t len;

	if (semi == NULL) {
		buf_addc(b, '&');
		return 1;
	}
	len = (size_t)(semi - s);
	if (len > 2 && s[1] == '#') {
		char *end;
		long cp = (s[2] == 'x' || s[2] == 'X') ? strtol(s + 3, &end, 16)
		    : strtol(s + 2, &end, 10);
		if (end == semi && cp > 0 && cp <= 0x10FFFF &&
		    !(cp >= 0xD800 && cp <= 0xDFFF)) {
			add_cp(b, cp);
			return len + 1;
		}
	} else {
		for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
			if (strlen(entities[i].name) == len - 1 &&
			    strncmp(entities[i].name, s + 1, len - 1) == 0) {
				add_cp(b, entities[i].cp);
				return len + 1;
			}
		}
	}
	buf_addc(b, '&');
	return 1;
}

/* Is the tag name at p (after '<' or '</') one of the names in list? */
static bool
tag_is(const char *p, const char *end, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		size_t n = strlen(list[i]);
		if ((size_t)(end - p) > n && strncasecmp(p, list[i], n) == 0 &&
		    (p[n] == '>' || p[n] == ' ' || p[n] == '/' || p[n] == '\t' ||
		     p[n] == '\n' || p[n] == '\r'))
			return true;
	}
	return false;
}

static const char *const html_skipped[] = { "script", "style", "noscript",
	"template", "head", "svg", NULL };
static const char *const html_blocks[] = { "p", "div", "br", "li", "ul", "ol",
	"h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
	"header", "footer", "blockquote", "pre", "hr", "title", "td", "th",
	"dt", "dd", "figcaption", "figure", "main", "aside", "nav", NULL };

/* The text of an HTML page: tags dropped, the content of script, style
 * and the like skipped, block elements as line breaks, entities decoded. */
static void
html_text(struct buf *b, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while (p < end) {
		if (*p == '&') {
			p += add_entity(b, p, (size_t)(end - p));
			continue;
		}
		if (*p != '<') {
			buf_addc(b, *p++);
			continue;
		}
		if ((size_t)(end - p) >= 4 && strncmp(p, "<!--", 4) == 0) {
			const char *c = p + 4;
			while (c + 3 <= end && strncmp(c, "-->", 3) != 0)
				c++;
			p = c + 3 <= end ? c + 3 : end;
			continue;
		}
		const char *name = p + 1, *gt;
		bool closing = name < end && *name == '/';
		if (closing)
			name++;
		gt = memchr(p, '>', (size_t)(end - p));
		if (gt == NULL)
			break; /* an unterminated tag ends the text */
		if (!closing && tag_is(name, end, html_skipped)) {
			/* skip to the matching closing tag */
			size_t nl = 0;
			while (name + nl < end && name[nl] != '>' && name[nl] != ' ' &&
			    name[nl] != '/' && name[nl] != '\t' && name[nl] != '\n')
				nl++;
			const char *c = gt + 1;
			for (;;) {
				c = memchr(c, '<', (size_t)(end - c));
				if (c == NULL) {
					c = end;
					break;
				}
				if ((size_t)(end - c) > nl + 2 && c[1] == '/' &&
				    strncasecmp(c + 2, name, nl) == 0) {
					const char *g2 = memchr(c, '>', (size_t)(end - c));
					c = g2 ? g2 + 1 : end;
					break;
				}
				c++;
			}
			p = c;
			continue;
		}
		if (tag_is(name, end, html_blocks))
			buf_addc(b, '\n');
		p = gt + 1;
	}
}

/* Decode XML character data (five entities, numeric references). */
static void
xml_text(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (s[i] == '&')
			i += add_entity(b, s + i, n - i);
		else
			buf_addc(b, s[i++]);
	}
}

/* The paragraphs of word/document.xml: text runs <w:t>, tabs, breaks, one
 * line per <w:p>. */
static void
docx_paragraphs(struct buf *b, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (gt == NULL)
			break;
		size_t tl = (size_t)(gt - p);
		if (tl >= 4 && strncmp(p, "<w:t", 4) == 0 &&
		    (p[4] == '>' || p[4] == ' ')) {
			if (gt[-1] == '/') {
				p = gt + 1;
				continue;
			}
			const char *c = gt + 1, *close = NULL;
			while (c + 6 <= end) {
				if (strncmp(c, "</w:t>", 6) == 0) {
					close = c;
					break;
				}
				c++;
			}
			if (close == NULL)
				break;
			xml_text(b, gt + 1, (size_t)(close - gt - 1));
			p = close + 6;
			continue;
		}
		if (tl >= 6 && strncmp(p, "<w:tab", 6) == 0 &&
		    (p[6] == '/' || p[6] == ' ' || p[6] == '>'))
			buf_addc(b, '\t');
		else if (tl >= 5 && (strncmp(p, "<w:br", 5) == 0 ||
		    strncmp(p, "<w:cr", 5) == 0) &&
		    (p[5] == '/' || p[5] == ' ' || p[5] == '>'))
			buf_addc(b, '\n');
		else if ((tl >= 5 && strncmp(p, "</w:p", 5) == 0 && p[5] == '>') ||
		    (tl >= 4 && strncmp(p, "<w:p", 4) == 0 && (p[4] == '/' ||
		    p[4] == ' ') && gt[-1] == '/'))
			buf_addc(b, '\n'); /* a paragraph's end, or an empty one */
		p = gt + 1;
	}
}

static int
docx_text(struct buf *b, const unsigned char *data, size_t len, struct err *e)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	zip_file_t *f;
	char *xml;
	zip_int64_t n;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL || (z = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		return err_set(e, ERR_BAD_REQUEST, "tệp không phải văn bản Word "
		    "(.docx) đọc được");
	}
	zip_error_fini(&ze);
	if (zip_stat(z, "word/document.xml", 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		zip_discard(z);
		return err_set(e, ERR_BAD_REQUEST, "tệp .docx không có phần "
		    "word/document.xml");
	}
	if (st.size > DOCX_PART_MAX) {
		zip_discard(z);
		return err_set(e, ERR_TOO_LARGE, "nội dung tệp .docx quá lớn");
	}
	f = zip_fopen(z, "word/document.xml", 0);
	xml = malloc((size_t)st.size + 1);
	if (f == NULL || xml == NULL) {
		if (f != NULL)
			zip_fclose(f);
		free(xml);
		zip_discard(z);
		return err_set(e, ERR_BAD_REQUEST, "không đọc được nội dung tệp .docx");
	}
	n = zip_fread(f, xml, st.size);
	zip_fclose(f);
	zip_discard(z);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(xml);
		return err_set(e, ERR_BAD_REQUEST, "không đọc được nội dung tệp .docx");
	}
	docx_paragraphs(b, xml, (size_t)n);
	free(xml);
	return 0;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
ingest_plain_text(const char *filename, const unsigned char *data, size_t len,
    char **out, size_t *outlen, struct err *e)
{
	struct buf raw, norm;
	const char *name = filename != NULL ? filename : "";
	const char *base = strrchr(name, '/');
	char *nfc = NULL;
	int rc = -1;

	*out = NULL;
	*outlen = 0;
	if (len > INGEST_FILE_MAX)
		return err_set(e, ERR_TOO_LARGE, "tệp lớn hơn %u MB", INGEST_FILE_MAX >> 20);
	base = base != NULL ? base + 1 : name;
	buf_init(&raw, INGEST_TEXT_MAX + 4);
	if (ends_with(base, ".docx")) {
		if (docx_text(&raw, data, len, e) != 0)
			goto done;
	} else if (ends_with(base, ".html") || ends_with(base, ".htm")) {
		if (!text_valid_utf8((const char *)data, len)) {
			err_set(e, ERR_BAD_REQUEST, "tệp không phải văn bản UTF-8 hợp lệ");
			goto done;
		}
		html_text(&raw, (const char *)data, len);
	} else if (ends_with(base, ".txt") || strchr(base, '.') == NULL) {
		buf_add(&raw, data, len);
	} else {
		err_set(e, ERR_BAD_REQUEST, "chỉ nhận tệp .txt, .html hoặc .docx");
		goto done;
	}
	if (buf_failed(&raw)) {
		err_set(e, ERR_TOO_LARGE, "văn bản dài hơn %u MB", INGEST_TEXT_MAX >> 20);
		goto done;
	}
	if (!text_valid_utf8(raw.data ? raw.data : "", raw.len)) {
		err_set(e, ERR_BAD_REQUEST, "tệp không phải văn bản UTF-8 hợp lệ");
		goto done;
	}
	/* byte-order mark dropped, line ends unified, NUL and other C0 controls
	 * (but tab and line feed) become spaces */
	buf_init(&norm, INGEST_TEXT_MAX + 4);
	{
		const char *s = raw.data ? raw.data : "";
		size_t i = 0, n = raw.len;
		if (n >= 3 && (unsigned char)s[0] == 0xEF &&
		    (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
			i = 3;
		for (; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c == '\r') {
				buf_addc(&norm, '\n');
				if (i + 1 < n && s[i + 1] == '\n')
					i++;
			} else if (c < 0x20 && c != '\n' && c != '\t') {
				buf_addc(&norm, ' ');
			} else {
				buf_addc(&norm, (char)c);
			}
		}
	}
	if (buf_failed(&norm) || norm.len > INGEST_TEXT_MAX) {
		buf_free(&norm);
		err_set(e, ERR_TOO_LARGE, "văn bản dài hơn %u MB", INGEST_TEXT_MAX >> 20);
		goto done;
	}
	if (text_nfc(norm.data ? norm.data : "", norm.len, &nfc) != 0) {
		buf_free(&norm);
		err_set(e, ERR_BAD_REQUEST, "tệp không phải văn bản UTF-8 hợp lệ");
		goto done;
	}
	buf_free(&norm);
	if (strlen(nfc) > INGEST_TEXT_MAX) {
		free(nfc);
		err_set(e, ERR_TOO_LARGE, "văn bản dài hơn %u MB", INGEST_TEXT_MAX >> 20);
		goto done;
	}
	*out = nfc;
	*outlen = strlen(nfc);
	rc = 0;
done:
	buf_free(&raw);
	return rc;
}
