/*
 * xlsx_read.c - see xlsx_read.h.  The parts are small XML documents with a
 * fixed shape; a scanner over elements is enough and keeps a full XML
 * library out of an import path that sees untrusted files.  Every size is
 * bounded: the unzipped part, the number of shared strings, rows, columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/gplimits.h"
#include "text/text.h"
#include "text/xlsx_read.h"

#define XLSX_PART_MAX     ((zip_uint64_t)256 << 20) /* one unzipped part    */
#define XLSX_STRINGS_MAX  2000000                   /* shared strings        */
#define XLSX_COLUMNS_MAX  1000                      /* columns read per row  */

static char *
read_part(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	zip_int64_t n;

	if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > XLSX_PART_MAX)
		return NULL;
	f = zip_fopen(z, name, 0);
	if (f == NULL)
		return NULL;
	buf = malloc(st.size + 1);
	if (buf == NULL) {
		zip_fclose(f);
		return NULL;
	}
	n = zip_fread(f, buf, st.size);
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Decode the five XML entities and numeric references into b. */
static void
xml_unescape(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '&') {
			buf_addc(b, s[i]);
			continue;
		}
		if (strncmp(s + i, "&amp;", 5) == 0) { buf_addc(b, '&'); i += 4; }
		else if (strncmp(s + i, "&lt;", 4) == 0) { buf_addc(b, '<'); i += 3; }
		else if (strncmp(s + i, "&gt;", 4) == 0) { buf_addc(b, '>'); i += 3; }
		else if (strncmp(s + i, "&quot;", 6) == 0) { buf_addc(b, '"'); i += 5; }
		else if (strncmp(s + i, "&apos;", 6) == 0) { buf_addc(b, '\''); i += 5; }
		else if (s[i + 1] == '#') {
			const char *semi = memchr(s + i, ';', n - i);
			long cp = semi ? (s[i + 2] == 'x' ? strtol(s + i + 3, NULL, 16)
			    : strtol(s + i + 2, NULL, 10)) : 0;
			char u[5];
			if (semi == NULL || cp <= 0 || cp > 0x10FFFF) {
				buf_addc(b, '&');
				continue;
			}
			if (cp < 0x80) { u[0] = (char)cp; buf_add(b, u, 1); }
			else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); buf_add(b, u, 2); }
			else if (cp < 0x10000) { u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); buf_add(b, u, 3); }
			else { u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); buf_add(b, u, 4); }
			i = (size_t)(semi - s);
		} else {
			buf_addc(b, '&');
		}
	}
}

/* All text of <t> elements between p and end (rich text has several). */
static void
collect_t(struct buf *b, const char *p, const char *end)
{
	while (p < end && (p = strstr(p, "<t")) != NULL && p < end) {
		const char *gt = strchr(p, '>'), *close;
		if (p[2] != '>' && p[2] != ' ') {
			p += 2;
			continue;
		}
		if (gt == NULL || gt >= end)
			return;
		if (gt[-1] == '/') {
			p = gt + 1;
			continue;
		}
		close = strstr(gt, "</t>");
		if (close == NULL || close > end)
			return;
		xml_unescape(b, gt + 1, (size_t)(close - gt - 1));
		p = close + 4;
	}
}

/* Strings are kept as the bytes read (a NUL, bytes that are not UTF-8):
 * the import names the cell (bulk.c), where dropping one would shift
 * every later index or column.  A text longer than IMPORT_FIELD_MAX sets
 * *too_big: it is refused, never cut. */
static json_t *
shared_strings(zip_t *z, bool *too_big)
{
	json_t *out = json_array();
	size_t len;
	char *xml = read_part(z, "xl/sharedStrings.xml", &len);
	const char *p, *end;
	struct buf b;

	if (xml == NULL)
		return out; /* a workbook without strings */
	buf_init(&b, IMPORT_FIELD_MAX);
	for (p = xml; (p = strstr(p, "<si")) != NULL; p = end) {
		end = strstr(p, "</si>");
		if (end == NULL || json_array_size(out) >= XLSX_STRINGS_MAX)
			break;
		buf_reset(&b);
		collect_t(&b, p, end);
		if (buf_failed(&b))
			*too_big = true;
		json_array_append_new(out, json_stringn_nocheck(buf_failed(&b) ? "" :
		    buf_str(&b), buf_failed(&b) ? 0 : b.len));
	}
	buf_free(&b);
	free(xml);
	return out;
}

/* "BC12" -> column index 54 */
static int
column_of(const char *ref)
{
	int col = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		col = col * 26 + (*ref - 'A' + 1);
	return col - 1;
}

static const char *
attr(const char *tag, const char *tag_end, const char *name, char *val, size_t len)
{
	char pat[32];
	const char *p, *q;

	snprintf(pat, sizeof(pat), " %s=\"", name);
	p = strstr(tag, pat);
	if (p == NULL || p > tag_end)
		return NULL;
	p += strlen(pat);
	q = strchr(p, '"');
	if (q == NULL || q > tag_end)
		return NULL;
	snprintf(val, len, "%.*s", (int)(q - p), p);
	return val;
}

/* The first sheet's part name from the workbook relationships. */
static void
first_sheet(zip_t *z, char *name, size_t len)
{
	size_t l;
	char *wb = read_part(z, "xl/workbook.xml", &l), *rels;
	char rid[64] = "", target[200] = "";
	const char *s, *e;

	snprintf(name, len, "xl/worksheets/sheet1.xml");
	if (wb == NULL)
		return;
	s = strstr(wb, "<sheet ");
	e = s ? strchr(s, '>') : NULL;
	if (s && e)
		attr(s, e, "r:id", rid, sizeof(rid));
	free(wb);
	rels = read_part(z, "xl/_rels/workbook.xml.rels", &l);
	if (rels == NULL || rid[0] == '\0') {
		free(rels);
		return;
	}
	for (s = rels; (s = strstr(s, "<Relationship ")) != NULL; s = e) {
		char id[64];
		e = strchr(s, '>');
		if (e == NULL)
			break;
		if (attr(s, e, "Id", id, sizeof(id)) && strcmp(id, rid) == 0 &&
		    attr(s, e, "Target", target, sizeof(target))) {
			if (target[0] == '/')
				snprintf(name, len, "%s", target + 1);
			else
				snprintf(name, len, "xl/%s", target);
			break;
		}
	}
	free(rels);
}

json_t *
xlsx_read_rows(const void *data, size_t len, struct err *e)
{
	zip_source_t *src;
	zip_error_t ze;
	zip_t *z;
	json_t *strings, *rows, *row;
	char sheet_name[256], *xml;
	const char *p, *row_end;
	size_t xlen;
	struct buf cell;
	bool too_big = false;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL || (z = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&ze);
		err_set(e, ERR_BAD_REQUEST, "tệp không phải bảng tính XLSX đọc được");
		return NULL;
	}
	zip_error_fini(&ze);
	first_sheet(z, sheet_name, sizeof(sheet_name));
	xml = read_part(z, sheet_name, &xlen);
	if (xml == NULL) {
		zip_close(z);
		err_set(e, ERR_BAD_REQUEST, "bảng tính XLSX không có trang tính nào đọc được");
		return NULL;
	}
	strings = shared_strings(z, &too_big);
	zip_close(z);
	rows = json_array();
	buf_init(&cell, IMPORT_FIELD_MAX);
	for (p = xml; (p = strstr(p, "<row")) != NULL; p = row_end) {
		const char *c;
		row_end = strstr(p, "</row>");
		if (row_end == NULL) {
			/* <row .../> is an empty row */
			const char *gt = strchr(p, '>');
			if (gt == NULL)
				break;
			json_array_append_new(rows, json_array());
			row_end = gt;
			continue;
		}
		if ((long)json_array_size(rows) >= IMPORT_ROWS_MAX)
			break;
		row = json_array();
		for (c = p; (c = strstr(c, "<c")) != NULL && c < row_end; ) {
			const char *gt = strchr(c, '>'), *cend;
			char ref[16] = "", type[16] = "";
			int col;
			if (c[2] != ' ' && c[2] != '>') {
				c += 2;
				continue;
			}
			if (gt == NULL || gt > row_end)
				break;
			attr(c, gt, "r", ref, sizeof(ref));
			attr(c, gt, "t", type, sizeof(type));
			if (gt[-1] == '/') {
				cend = gt + 1;
				c = cend;
				continue;
			}
			cend = strstr(gt, "</c>");
			if (cend == NULL || cend > row_end)
				break;
			buf_reset(&cell);
			if (strcmp(type, "inlineStr") == 0) {
				collect_t(&cell, gt, cend);
			} else {
				const char *v = strstr(gt, "<v>"), *ve;
				if (v != NULL && v < cend && (ve = strstr(v, "</v>")) != NULL && ve <= cend) {
					if (strcmp(type, "s") == 0) {
						long idx = strtol(v + 3, NULL, 10);
						json_t *sv = json_array_get(strings, (size_t)idx);
						buf_add(&cell, sv ? json_string_value(sv) : "",
						    json_string_length(sv));
					} else if (strcmp(type, "b") == 0) {
						buf_adds(&cell, v[3] == '1' ? "1" : "0");
					} else {
						xml_unescape(&cell, v + 3, (size_t)(ve - v - 3));
					}
				}
			}
			col = ref[0] ? column_of(ref) : (int)json_array_size(row);
			if (col >= 0 && col < XLSX_COLUMNS_MAX) {
				while ((int)json_array_size(row) < col)
					json_array_append_new(row, json_string(""));
				if (buf_failed(&cell))
					too_big = true;
				json_array_append_new(row, json_stringn_nocheck(
				    buf_failed(&cell) ? "" : buf_str(&cell),
				    buf_failed(&cell) ? 0 : cell.len));
			}
			c = cend + 4;
		}
		json_array_append_new(rows, row);
	}
	buf_free(&cell);
	json_decref(strings);
	free(xml);
	if (too_big) {
		json_decref(rows);
		err_set(e, ERR_TOO_LARGE, "bảng tính có ô dài quá %lu byte",
		    (unsigned long)IMPORT_FIELD_MAX);
		return NULL;
	}
	return rows;
}
