/* error.c - see error.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/utf8.h"

int
err_set(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/* a message quoting input, cut mid-character, would not be text: the
	 * JSON of the answer could not hold it */
	text_fix_utf8(e->msg);
	return -1;
}

int
err_nomem(struct err *e)
{
	return err_set(e, ERR_NO_MEMORY, "%s", ERR_NO_MEMORY_MSG);
}

/* jansson's allocations that failed on this thread, and those noted with
 * err_alloc_failed (err_json_loadb, err_alloc_failures). */
static _Thread_local unsigned long json_alloc_failures;

static void *
json_alloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		json_alloc_failures++;
	return p;
}

/* Before main: jansson's allocator is process-wide and must not change
 * while other threads allocate. */
__attribute__((constructor)) static void
json_alloc_install(void)
{
	json_set_alloc_funcs(json_alloc, free);
}

unsigned long
err_alloc_failures(void)
{
	return json_alloc_failures;
}

void
err_alloc_failed(void)
{
	json_alloc_failures++;
}

/* The first member of an object (or of an array's objects: *item, from
 * 1) whose text holds a NUL; NULL when none. */
static const char *
nul_member(json_t *v, size_t *item)
{
	const char *k;
	json_t *m, *o;
	size_t i;

	json_array_foreach(v, i, o) {
		if ((k = nul_member(o, item)) != NULL) {
			*item = i + 1;
			return k;
		}
	}
	json_object_foreach(v, k, m)
		if (json_is_string(m) &&
		    strlen(json_string_value(m)) != json_string_length(m))
			return k;
	return NULL;
}

/* A NUL escape in a JSON text: a C string would silently end there, so
 * the text is refused, naming the field when the text parses with NULs
 * allowed. */
static void
nul_in_json(const char *text, size_t len, size_t flags, const json_error_t *je,
    struct err *e)
{
	json_t *v = json_loadb(text, len, flags | JSON_ALLOW_NUL, NULL);
	size_t item = 0;
	const char *k = v != NULL ? nul_member(v, &item) : NULL;

	if (k != NULL && item > 0) {
		err_field(e, k, "phần tử %zu, trường '%s': chứa ký tự NUL (\\u0000)",
		    item, k);
		err_prefix(e, "phần tử %zu: ", item);
	} else if (k != NULL) {
		err_field(e, k, "trường '%s': chứa ký tự NUL (\\u0000)", k);
	} else {
		err_set(e, ERR_BAD_REQUEST, "chuỗi JSON chứa ký tự NUL (\\u0000) "
		    "(dòng %d, cột %d)", je->line, je->column);
	}
	json_decref(v);
}

json_t *
err_json_loadb(const char *text, size_t len, size_t flags, struct err *e)
{
	unsigned long failed = json_alloc_failures;
	json_error_t je;
	json_t *v = json_loadb(text, len, flags, &je);

	/* jansson's lexer drops a byte it could not keep and parses on: a
	 * result made while an allocation failed may be wrong */
	if (v != NULL && json_alloc_failures == failed)
		return v;
	json_decref(v);
	if (v != NULL || json_alloc_failures != failed ||
	    json_error_code(&je) == json_error_out_of_memory)
		err_nomem(e);
	else if (json_error_code(&je) == json_error_invalid_utf8)
		err_set(e, ERR_BAD_REQUEST, "nội dung JSON không phải văn bản UTF-8 hợp lệ "
		    "(dòng %d, cột %d)", je.line, je.column);
	else if (json_error_code(&je) == json_error_null_character)
		nul_in_json(text, len, flags, &je, e);
	else if (json_error_code(&je) == json_error_null_byte_in_key)
		err_set(e, ERR_BAD_REQUEST, "tên trường JSON chứa ký tự NUL (\\u0000) "
		    "(dòng %d, cột %d)", je.line, je.column);
	else
		err_set(e, ERR_BAD_REQUEST, "JSON sai cú pháp ở dòng %d, cột %d: %s",
		    je.line, je.column, je.text);
	return NULL;
}

void
err_field(struct err *e, const char *field, const char *fmt, ...)
{
	char buf[ERR_MSG_MAX], key[ERR_MSG_MAX / 4];
	va_list ap;

	if (e == NULL)
		return;
	/* a field named by the input (a form's key) may not be UTF-8 */
	snprintf(key, sizeof(key), "%s", field);
	text_fix_utf8(key);
	field = key;
	if (e->fields == NULL)
		e->fields = json_object();
	if (json_object_get(e->fields, field) == NULL) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		text_fix_utf8(buf);
		/* a message lost would leave the user guessing what is wrong */
		if (json_object_set_new(e->fields, field, json_string(buf)) != 0) {
			err_nomem(e);
			return;
		}
	}
	if (e->code == ERR_NONE || e->code == ERR_INVALID) {
		e->code = ERR_INVALID;
		snprintf(e->msg, sizeof(e->msg), "dữ liệu không hợp lệ");
	}
}

void
err_prefix(struct err *e, const char *fmt, ...)
{
	char old[ERR_MSG_MAX];
	va_list ap;
	int n;

	if (e == NULL)
		return;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, "%s", old);
	text_fix_utf8(e->msg);
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	json_decref(e->fields);
	e->fields = NULL;
	e->code = ERR_NONE;
	e->msg[0] = '\0';
}

static const struct {
	const char *name;
	int status;
} err_table[] = {
	[ERR_NONE] = {"ok", 200},
	[ERR_BAD_REQUEST] = {"bad_request", 400},
	[ERR_UNAUTHORIZED] = {"unauthorized", 401},
	[ERR_FORBIDDEN] = {"forbidden", 403},
	[ERR_NOT_FOUND] = {"not_found", 404},
	[ERR_METHOD] = {"method_not_allowed", 405},
	[ERR_CONFLICT] = {"conflict", 409},
	[ERR_STALE] = {"precondition_failed", 412},
	[ERR_TOO_LARGE] = {"too_large", 413},
	[ERR_MEDIA_TYPE] = {"unsupported_media_type", 415},
	[ERR_INVALID] = {"invalid", 422},
	[ERR_THROTTLED] = {"too_many_requests", 429},
	[ERR_INTERNAL] = {"internal", 500},
	[ERR_DB] = {"database", 500},
	[ERR_UNAVAILABLE] = {"unavailable", 503},
	[ERR_IO] = {"io", 500},
	/* RFC 4918's Insufficient Storage: the client may retry once an
	 * administrator has freed space */
	[ERR_NO_SPACE] = {"insufficient_storage", 507},
	/* Service Unavailable: the client may retry (the failure is the
	 * server's and passes) */
	[ERR_NO_MEMORY] = {"out_of_memory", 503},
};

const char *
err_code_name(enum err_code code)
{
	if ((size_t)code >= sizeof(err_table) / sizeof(err_table[0]))
		return "internal";
	return err_table[code].name;
}

int
err_http_status(enum err_code code)
{
	if ((size_t)code >= sizeof(err_table) / sizeof(err_table[0]))
		return 500;
	return err_table[code].status;
}
