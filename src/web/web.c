/*
 * web.c - what the JSON API and the HTML pages share (web.h): the actor of
 * a request, list queries from query arguments, the entity and the record
 * of a URL, If-Match, the session cookie.  Moved from api.c, unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/validate.h"
#include "http/http.h"
#include "text/text.h"
#include "web/web.h"

bool
api_may_write(const struct actor *who, struct store *s,
    const struct entity_def *ent, const json_t *rec, struct err *e)
{
	if (rec == NULL)
		return auth_can_write_entity(who->ctx, ent, e);
	return auth_can_write(s, who->ctx, ent, rec, e);
}

struct actor
api_actor(struct request *r)
{
	struct actor a = { r->user.id, r->user.login, api_may_write, &r->user,
		auth_is_approver(&r->user), auth_has_clearance(&r->user), false };
	return a;
}

static const struct { const char *suffix; enum filter_op op; } suffixes[] = {
	{ "__gte", OP_GE }, { "__lte", OP_LE }, { "__gt", OP_GT },
	{ "__lt", OP_LT }, { "__ne", OP_NE }, { "__null", OP_NULL },
	{ "__within", OP_WITHIN },
};

/* Reserved query arguments; everything else is a filter. */
static bool
reserved_arg(const char *k)
{
	return strcmp(k, "q") == 0 || strcmp(k, "sort") == 0 ||
	    strcmp(k, "limit") == 0 || strcmp(k, "offset") == 0 ||
	    strcmp(k, "format") == 0 || strcmp(k, "page") == 0 || k[0] == '_';
}

/* ?limit= and ?offset=: whole numbers from 0 to LIST_OFFSET_MAX (the pages
 * add offset and limit for their links), or the list is refused (never read
 * as a default: "abc" is not "50"). */
static int
list_count(json_t *args, const char *name, int64_t *out, struct err *e)
{
	const char *v = json_string_value(json_object_get(args, name));

	if (v == NULL || *v == '\0')
		return 0;
	if (text_int64(v, out) && *out >= 0 && *out <= LIST_OFFSET_MAX)
		return 0;
	err_field(e, name, "%s phải là số nguyên từ 0 đến %d, không phải '%.40s'",
	    name, LIST_OFFSET_MAX, v);
	return err_set(e, ERR_BAD_REQUEST, "%s phải là số nguyên từ 0 đến %d, "
	    "không phải '%.40s'", name, LIST_OFFSET_MAX, v);
}

int
api_list_query(struct request *r, const struct entity_def *ent, json_t *args,
    struct list_query *q, json_t *owned, struct err *e)
{
	const char *k, *sort;
	json_t *v;
	char field[64], msg[ERR_MSG_MAX];

	memset(q, 0, sizeof(*q));
	json_object_foreach(args, k, v) {
		const char *val = json_string_value(v);
		const struct field_def *f;
		enum filter_op op = OP_EQ;
		size_t i, klen = strlen(k);
		json_t *typed;

		if (reserved_arg(k))
			continue;
		snprintf(field, sizeof(field), "%s", k);
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			size_t sl = strlen(suffixes[i].suffix);
			if (klen > sl && strcmp(k + klen - sl, suffixes[i].suffix) == 0) {
				op = suffixes[i].op;
				field[klen - sl] = '\0';
				break;
			}
		}
		if (op == OP_NULL && val != NULL && strcmp(val, "0") == 0)
			op = OP_NOTNULL;
		if (q->nfilters >= LIST_FILTERS_MAX)
			return err_set(e, ERR_BAD_REQUEST, "quá nhiều điều kiện lọc");
		if (val == NULL || *val == '\0')
			continue; /* an empty form field filters nothing */
		if (strcmp(field, "id") == 0 || strcmp(field, COMMON_ILLUSTRATIVE) == 0) {
			static const struct field_def idf = { "id", FT_INTEGER, "Mã", 0, 0, 0, NULL };
			static const struct field_def illf = { "illustrative", FT_BOOLEAN, "Minh họa", 0, 0, 0, NULL };
			f = strcmp(field, "id") == 0 ? &idf : &illf;
		} else {
			f = entity_field(ent, field);
		}
		if (f == NULL || (f->flags & F_SECRET))
			return err_set(e, ERR_BAD_REQUEST, "%s không có trường '%s' để lọc",
			    ent->label, field);
		if (op == OP_NULL || op == OP_NOTNULL) {
			typed = json_null();
		} else {
			/* references are compared as ids without checking they exist */
			struct field_def plain = *f;
			if (plain.type == FT_REF)
				plain.type = FT_INTEGER;
			plain.min = plain.max = 0;
			if (plain.type == FT_TEXT)
				plain.max = SEARCH_QUERY_MAX;
			if (plain.type == FT_CATALOG || plain.type == FT_ENUM)
				plain.type = FT_TEXT, plain.max = SEARCH_QUERY_MAX;
			typed = validate_value(r->store, &plain, v, msg, sizeof(msg), e);
			if (typed == NULL && msg[0] == '\0')
				return -1; /* out of memory */
			if (typed == NULL) {
				err_field(e, k, "điều kiện lọc '%s': %s", k, msg);
				return err_set(e, ERR_BAD_REQUEST, "điều kiện lọc '%s': %s", k, msg);
			}
		}
		/* owned holds the filter's value: without it, it is freed */
		if (json_array_append_new(owned, typed) != 0)
			return err_nomem(e);
		q->filters[q->nfilters].field = f->name;
		q->filters[q->nfilters].op = op;
		q->filters[q->nfilters].value = typed;
		q->nfilters++;
	}
	q->search = json_string_value(json_object_get(args, "q"));
	sort = json_string_value(json_object_get(args, "sort"));
	if (sort != NULL && *sort != '\0') {
		if (sort[0] == '-') {
			q->desc = true;
			sort++;
		}
		q->sort = sort;
	}
	if (list_count(args, "limit", &q->limit, e) != 0 ||
	    list_count(args, "offset", &q->offset, e) != 0)
		return -1;
	q->see_confidential = auth_has_clearance(&r->user);
	return 0;
}

const struct entity_def *
api_entity(struct request *r, const char *name, bool for_write)
{
	const struct entity_def *ent = registry_find(name);

	if (ent == NULL) {
		resp_fail(r, ERR_NOT_FOUND, "không có loại bản ghi '%s'", name ? name : "");
		return NULL;
	}
	if (!auth_can_read_entity(&r->user, ent)) {
		char lc[256];
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		resp_fail(r, ERR_FORBIDDEN, "chỉ quản trị viên được xem %s", lc);
		return NULL;
	}
	/* who may not write these records is told so before the body is read */
	if (for_write) {
		struct err e = { 0 };
		if (!auth_can_write_entity(&r->user, ent, &e)) {
			resp_error(r, &e);
			err_clear(&e);
			return NULL;
		}
	}
	return ent;
}

bool
api_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return false;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v <= 0)
		return false;
	*id = v;
	return true;
}

/* A record the user may see, or an answer already written (404). */
json_t *
api_load(struct request *r, const struct entity_def *ent, const char *idstr)
{
	struct err e = { 0 };
	json_t *rec;
	int64_t id;

	if (!api_parse_id(idstr, &id)) {
		resp_fail(r, ERR_NOT_FOUND, "mã bản ghi không hợp lệ: '%s'", idstr ? idstr : "");
		return NULL;
	}
	rec = store_get(r->store, ent, id, &e);
	if (rec == NULL) {
		resp_error(r, &e);
		return NULL;
	}
	/* a confidential record does not exist for a user without clearance */
	if (!auth_can_read(r->store, &r->user, ent, rec)) {
		/* the words of store_get's own "not found" */
		char lc[256];
		json_decref(rec);
		text_label_in_sentence(ent->label, lc, sizeof(lc));
		resp_fail(r, ERR_NOT_FOUND, "không tìm thấy %s số %lld", lc, (long long)id);
		return NULL;
	}
	return rec;
}

/* If-Match: "3" or W/"3" -> 3; absent -> 0; anything else -> -1 */
int64_t
api_if_match(struct request *r)
{
	const char *h = req_header(r, "If-Match");
	char *end;
	long long v;

	if (h == NULL || strcmp(h, "*") == 0)
		return 0;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	v = strtoll(h, &end, 10);
	if (end == h || v <= 0 || (*end != '"' && *end != '\0'))
		return -1;
	return v;
}

/* ---- the session cookie ------------------------------------------------------- */

void
api_set_session_cookie(struct request *r, const char *token)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=43200%s", SESSION_COOKIE, token ? token : "",
	    r->tls ? "; Secure" : "");
	if (token == NULL)
		snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; "
		    "SameSite=Strict; Max-Age=0%s", SESSION_COOKIE, r->tls ? "; Secure" : "");
	resp_header(r, "Set-Cookie", cookie);
}

int
web_date_arg(struct request *r, const char *name, const char *in,
    const char **iso, struct err *e)
{
	char d[VI_DATE_ISO_MAX], why[160];

	*iso = NULL;
	if (in == NULL || *in == '\0')
		return 0;
	if (vi_date_input(in, d, why, sizeof(why)) != 0) {
		err_field(e, name, "ngày không hợp lệ: '%.40s': %s", in, why);
		return err_set(e, ERR_BAD_REQUEST, "%s: ngày không hợp lệ: '%.40s': %s", name,
		    in, why);
	}
	if ((*iso = req_strdup(r, d)) == NULL)
		return err_nomem(e);
	return 0;
}
