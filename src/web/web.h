/*
 * web.h - what the JSON API (api/) and the HTML pages (pages/) share:
 * query parsing into a store list query, loading a record the user may
 * see, the actor of a request (its writes are checked against the user's
 * grants), the session cookie (web.c).  The page frame is page.h.  The
 * functions keep the api_ names they had when the API held them.
 */
#ifndef GIAPRANH_WEB_H
#define GIAPRANH_WEB_H

#include <stdbool.h>

#include "domain/records.h"
#include "http/http.h"
#include "text/text.h"

/* The request's user as the author of writes (auth_can_write applies). */
struct actor api_actor(struct request *r);
bool api_may_write(const struct actor *who, struct store *s,
    const struct entity_def *ent, const json_t *rec, struct err *e);

/* Query arguments -> list query: ?field=v, field__gte/__lte/__gt/__lt/__ne,
 * field__null=1|0, q, sort (-field), limit, offset.  Typed filter values
 * are appended to `owned` (free it after the query). */
int api_list_query(struct request *r, const struct entity_def *ent,
    json_t *args, struct list_query *q, json_t *owned, struct err *e);

/* The entity named in a URL, readable by the user; NULL when an error
 * answer has been written. */
const struct entity_def *api_entity(struct request *r, const char *name,
    bool for_write);
/* A record the user may see, or NULL with a 404 written. */
json_t *api_load(struct request *r, const struct entity_def *ent,
    const char *idstr);
bool api_parse_id(const char *s, int64_t *id);
/* The version of If-Match: 0 when absent, -1 when malformed. */
int64_t api_if_match(struct request *r);
/* Set (token) or clear (NULL) the session cookie. */
void api_set_session_cookie(struct request *r, const char *token);

/* A date argument (query string or form field `name`, its text in) as
 * people type it: ISO or 31/12/2025, 1/2/2025 (text.h: vi_date_input).
 * *iso: the request's copy in ISO form, NULL when in is NULL or empty.
 * 0, or -1 with e a 400 naming the argument and what the calendar lacks
 * ("tháng 2 không có ngày 31"). */
int web_date_arg(struct request *r, const char *name, const char *in,
    const char **iso, struct err *e);


#endif
