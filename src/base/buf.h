/*
 * buf.h - bounded growable byte buffer with a sticky error (after curl's
 * dynbuf and SQLite's sqlite3_str).  A cap is given at init; an append that
 * would pass it, or an allocation failure, sets the error and every later
 * append is a no-op.  Check buf_failed() once at the end.  The content is
 * always NUL-terminated.
 */
#ifndef GIAPRANH_BUF_H
#define GIAPRANH_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool failed;
	bool nomem;     /* the error is an allocation's (else the cap's) */
};

void buf_init(struct buf *b, size_t max);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);          /* empty, keep memory, clear error */
bool buf_failed(const struct buf *b);
bool buf_nomem(const struct buf *b);    /* failed: out of memory, not full */
const char *buf_str(const struct buf *b);/* "" when empty */
char *buf_take(struct buf *b);          /* hand over the string; b is reset */
void buf_free(struct buf *b);

#endif
