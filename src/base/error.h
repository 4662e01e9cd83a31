/*
 * error.h - the one error convention below the HTTP layer.
 *
 * Functions that can fail take a `struct err *` (may be NULL) and return 0 on
 * success or -1 on failure after filling it.  The code says what kind of
 * failure it is; http.c maps it to a status in one place.  Messages are
 * Vietnamese (they reach users), lower case first word, no full stop.
 * Field errors (validation) collect in a JSON object {field: message}.
 */
#ifndef GIAPRANH_ERROR_H
#define GIAPRANH_ERROR_H

#include <jansson.h>
#include <stdarg.h>

#include "base/gplimits.h"

enum err_code {
	ERR_NONE = 0,
	ERR_BAD_REQUEST, /* malformed input (400)                      */
	ERR_UNAUTHORIZED,/* not signed in (401)                        */
	ERR_FORBIDDEN,   /* role does not allow it (403)               */
	ERR_NOT_FOUND,   /* no such record or entity (404)             */
	ERR_METHOD,      /* method not allowed (405)                   */
	ERR_CONFLICT,    /* unique key taken, reference in use (409)   */
	ERR_STALE,       /* version precondition failed (412)          */
	ERR_TOO_LARGE,   /* body or file over its limit (413)          */
	ERR_MEDIA_TYPE,  /* content type not accepted (415)            */
	ERR_INVALID,     /* validation failed, see fields (422)        */
	ERR_THROTTLED,   /* too many attempts (429)                    */
	ERR_INTERNAL,    /* bug or unexpected state (500)              */
	ERR_DB,          /* database failure (500)                     */
	ERR_UNAVAILABLE, /* database busy or gone (503)                */
	ERR_IO,          /* file system (500)                          */
	ERR_NO_SPACE,    /* disk full: nothing was written (507)       */
	ERR_NO_MEMORY    /* out of memory: nothing was written (503)   */
};

struct err {
	enum err_code code;
	char msg[ERR_MSG_MAX];
	json_t *fields; /* object field -> message, or NULL */
};

/* Set code and message; returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ERR_NO_MEMORY with its one message; returns -1.  For every allocation
 * that failed - ours, jansson's (a constructor's NULL), the database's -
 * so that it is never reported as the user's bad input. */
int err_nomem(struct err *e);
#define ERR_NO_MEMORY_MSG "máy chủ tạm hết bộ nhớ, xin thử lại sau"

/* Allocations that failed on this thread so far: jansson's (counted by
 * error.c's allocator) and those noted with err_alloc_failed.  jansson
 * takes a NULL from a failed constructor without complaint (the object
 * just lacks the member): a builder of a large document compares this
 * before and after rather than checking every constructor. */
unsigned long err_alloc_failures(void);
/* Note a failed allocation a helper cannot report (it returns a value
 * with no room for an error). */
void err_alloc_failed(void);

/* json_loadb with the failure classified: ERR_BAD_REQUEST naming line and
 * column for bad JSON, ERR_NO_MEMORY when an allocation failed mid-parse
 * (which jansson reports as a syntax error, "invalid token", or parses on
 * without the byte it could not keep).  jansson allocates through
 * error.c, which counts the failures of each thread. */
json_t *err_json_loadb(const char *text, size_t len, size_t flags,
    struct err *e);

/* Add a field message (keeps the first message per field); sets the code to
 * ERR_INVALID and a generic message when none is set yet. */
void err_field(struct err *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put a location before the message ("data/demo/x.json, mục 3: …"); the
 * result is cut to ERR_MSG_MAX like every message. */
void err_prefix(struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Release the fields object and reset to ERR_NONE. */
void err_clear(struct err *e);

/* Machine-readable code name: "invalid", "not_found", ... */
const char *err_code_name(enum err_code code);

/* HTTP status for a code. */
int err_http_status(enum err_code code);

#endif
