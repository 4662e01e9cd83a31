/*
 * html.h - the runtime of the compiled templates (tools/tmplc.py): every
 * value is escaped for its context unless a template says `| unsafe`.
 */
#ifndef GIAPRANH_HTML_H
#define GIAPRANH_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Text and attribute values: & < > " ' escaped; NULL writes nothing. */
void html_text(struct buf *b, const char *s);
/* A URL component: everything but unreserved characters percent-encoded. */
void html_url(struct buf *b, const char *s);
void html_int(struct buf *b, long long v);
void html_raw(struct buf *b, const char *s);
/* XML text for DOCX/XLSX parts: like html_text, and control characters
 * that XML 1.0 forbids are dropped. */
void xml_text(struct buf *b, const char *s);

#endif
