/* validate.c - see validate.h */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/gplimits.h"
#include "domain/expr.h"
#include "domain/scope.h"
#include "domain/validate.h"
#include "text/text.h"

/* Keys a client may send back unchanged (from an earlier GET) and that
 * input cannot set. */
static const char *const ignored_keys[] = {
	"id", "version", "created_at", "updated_at", NULL
};

/* Pairs of fields (of one entity) that must be in order when both are
 * set. */
static const struct { enum field_id from, to; } ordered_pairs[] = {
	{ FLD_ADMIN_UNIT_VALID_FROM, FLD_ADMIN_UNIT_VALID_TO },
	{ FLD_POSITION_VALID_FROM, FLD_POSITION_VALID_TO },
	{ FLD_PROGRAM_START_ON, FLD_PROGRAM_END_ON },
	{ FLD_AGREEMENT_VALID_FROM, FLD_AGREEMENT_VALID_TO },
	{ FLD_AGREEMENT_PARTY_FROM_ON, FLD_AGREEMENT_PARTY_TO_ON },
	{ FLD_TARGET_SET_TERM_START, FLD_TARGET_SET_TERM_END },
	{ FLD_SUPERVISION_STARTED_ON, FLD_SUPERVISION_ENDED_ON },
	{ FLD_ACTIVITY_START_ON, FLD_ACTIVITY_END_ON },
	{ FLD_TASK_ASSIGNED_ON, FLD_TASK_DEADLINE },
};

/* Groups of fields (of one entity) of which between min and max may be
 * set: an exchange code names one thing of its target set, an indicator
 * or a unit, not both (schema/entities.txt). */
#define GROUP_FIELDS_MAX 3
static const struct {
	enum field_id f[GROUP_FIELDS_MAX]; /* FLD_NONE after the last */
	int min, max;
} field_groups[] = {
	{ { FLD_EXCHANGE_CODE_INDICATOR_ID, FLD_EXCHANGE_CODE_UNIT_ID, FLD_NONE }, 0, 1 },
};

static bool
group_of(size_t i, const struct entity_def *ent)
{
	return (enum entity_id)((unsigned)field_groups[i].f[0] >>
	    FLD_ENTITY_SHIFT) == ent->id;
}

/* Does the pair's first field belong to ent? */
static bool
pair_of(size_t i, const struct entity_def *ent)
{
	return (enum entity_id)((unsigned)ordered_pairs[i].from >>
	    FLD_ENTITY_SHIFT) == ent->id;
}

static bool
is_ignored(const char *k)
{
	size_t i;

	for (i = 0; ignored_keys[i] != NULL; i++)
		if (strcmp(ignored_keys[i], k) == 0)
			return true;
	return false;
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool
validate_text_fits(const struct field_def *f, const char *text)
{
	return !(f->max > 0 && utf8_chars(text) > (size_t)f->max);
}

/* Trimmed NFC copy of a text, or NULL: msg set when not UTF-8, else out
 * of memory. */
static char *
clean_text(const char *s, char *msg, size_t msglen)
{
	const char *end;
	char *out;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		end--;
	if (!text_valid_utf8(s, (size_t)(end - s))) {
		snprintf(msg, msglen, "văn bản không phải UTF-8 hợp lệ");
		return NULL;
	}
	return text_nfc(s, (size_t)(end - s), &out) == 0 ? out : NULL;
}

/* A typed value made, or NULL when out of memory: then msg is empty and e
 * says so (validate_value's contract). */
static json_t *
made(json_t *v, char *msg, struct err *e)
{
	if (v == NULL) {
		msg[0] = '\0';
		err_nomem(e);
	}
	return v;
}

/* The answer of a store_*_checked lookup: -1 (e set by the store) clears
 * msg, as made does. */
static bool
looked_up(int found, char *msg)
{
	if (found < 0)
		msg[0] = '\0';
	return found >= 0;
}

static bool
parse_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

/* An integer from JSON or text; counts may be written "4.932" when
 * Vietnamese grouping is allowed (not for record ids). */
static bool
as_int64(const json_t *in, bool vi_grouping, int64_t *out)
{
	double d;

	if (json_is_integer(in)) {
		*out = json_integer_value(in);
		return true;
	}
	if (json_is_real(in))
		d = json_real_value(in);
	else if (!json_is_string(in))
		return false;
	else if (parse_int64(json_string_value(in), out))
		return true;
	else if (!vi_grouping || vi_parse_decimal(json_string_value(in), &d) != 0)
		return false;
	if (d != floor(d) || fabs(d) > 9e15)
		return false;
	*out = (int64_t)d;
	return true;
}

static json_t *
v_bool(const json_t *in, char *msg, size_t msglen, struct err *e)
{
	static const char *const yes[] = { "1", "true", "co", "x", "yes", NULL };
	static const char *const no[] = { "0", "false", "khong", "no", NULL };
	char *k;
	size_t i;

	if (json_is_boolean(in))
		return json_boolean(json_is_true(in));
	if (json_is_integer(in) && (json_integer_value(in) == 0 ||
	    json_integer_value(in) == 1))
		return json_boolean(json_integer_value(in));
	if (json_is_string(in)) {
		k = text_fold(json_string_value(in));
		if (k == NULL && text_valid_utf8(json_string_value(in),
		    strlen(json_string_value(in))))
			return made(NULL, msg, e);
		for (i = 0; k != NULL && yes[i] != NULL; i++)
			if (strcmp(k, yes[i]) == 0) {
				free(k);
				return json_true();
			}
		for (i = 0; k != NULL && no[i] != NULL; i++)
			if (strcmp(k, no[i]) == 0) {
				free(k);
				return json_false();
			}
		free(k);
	}
	snprintf(msg, msglen, "phải là có/không (true/false, 1/0)");
	return NULL;
}

/* ---- structured text (F_STRUCTURED): parsed, stored canonical ---------------- */

/* Each canon_* returns a malloc'd canonical text, or NULL: with msg set
 * when the input is bad, else (msg empty) with e set - the store could not
 * be read, or out of memory - as validate_value's contract says. */

/* At most SHOWN_MAX bytes of t, cut between characters ("…" when cut),
 * for quoting input in a message. */
#define SHOWN_MAX 60
static const char *
shown(const char *t, char *buf, size_t len)
{
	size_t n = strlen(t);

	if (n <= SHOWN_MAX && n < len) {
		snprintf(buf, len, "%s", t);
		return buf;
	}
	n = SHOWN_MAX < len - 4 ? SHOWN_MAX : len - 4;
	while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
		n--;
	snprintf(buf, len, "%.*s…", (int)n, t);
	return buf;
}

static char *
dup_or_nomem(const char *src, char *msg, struct err *e)
{
	char *c = strdup(src);

	if (c == NULL) {
		msg[0] = '\0';
		err_nomem(e);
	}
	return c;
}

/* The canonical form of a period ("quý 4/2025" -> "2025-Q4"), or NULL with
 * msg set. */
static char *
canon_period(const char *t, char *msg, size_t msglen, struct err *e)
{
	struct vi_period p;
	char q[SHOWN_MAX + 4];
	int rc = vi_parse_period(t, &p);

	if (rc == VI_NOMEM) {
		msg[0] = '\0';
		err_nomem(e);
		return NULL;
	}
	if (rc != 0) {
		snprintf(msg, msglen, "không đọc được kỳ '%s'; dùng một trong các "
		    "dạng: %s", shown(t, q, sizeof(q)), VI_PERIOD_FORMS);
		return NULL;
	}
	return dup_or_nomem(p.code, msg, e);
}

/* A report scope naming an existing record, as "kind:id" (report.h: the
 * one parser of scopes).  The records a scope names (target sets,
 * agreements, programs, units, supervisions) are read by every signed-in
 * user, so existing is being visible to the writer. */
static char *
canon_scope(struct store *s, const char *t, char *msg, size_t msglen,
    struct err *e)
{
	struct report_scope sc;
	struct err pe = { 0 };
	char buf[REPORT_SCOPE_TEXT_MAX];

	if (report_scope_parse(s, t, &sc, &pe) != 0) {
		if (pe.code == ERR_BAD_REQUEST || pe.code == ERR_NOT_FOUND) {
			snprintf(msg, msglen, "%s", pe.msg);
		} else if (e != NULL) {
			/* could not look: not the input's fault */
			err_clear(e);
			*e = pe;
			pe.fields = NULL;
		}
		err_clear(&pe);
		return NULL;
	}
	if (report_scope_format(&sc, buf, sizeof(buf)) != 0) {
		snprintf(msg, msglen, "phạm vi quá dài");
		return NULL;
	}
	return dup_or_nomem(buf, msg, e);
}

/* Codes of catalog `catalog` separated by ";" (or ","), each known, each
 * kept once, in the order written: " economy; society;economy" ->
 * "economy;society".  NULL with msg set, or with msg empty and e set when
 * the catalog could not be read. */
static char *
canon_code_list(struct store *s, const char *catalog, const char *t, char *msg,
    size_t msglen, struct err *e)
{
	char code[CATALOG_CODE_MAX + 3]; /* ";code;" */
	const char *p = t, *end;
	struct buf out;
	char *res;
	size_t n;
	int found;

	/* out is ";a;b;" while it grows, so that ";code;" finds a repeat */
	buf_init(&out, strlen(t) + 3);
	buf_addc(&out, ';');
	for (; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		for (end = p; *end != '\0' && *end != ';' && *end != ','; end++)
			;
		while (p < end && isspace((unsigned char)*p))
			p++;
		for (n = (size_t)(end - p); n > 0 && isspace((unsigned char)p[n - 1]); n--)
			;
		if (n == 0)
			continue;
		if (n > CATALOG_CODE_MAX) {
			snprintf(msg, msglen, "mã dài quá %d ký tự: không có trong "
			    "danh mục %s", CATALOG_CODE_MAX, catalog);
			goto fail;
		}
		snprintf(code, sizeof(code), ";%.*s;", (int)n, p);
		code[n + 1] = '\0';
		found = store_catalog_has_checked(s, catalog, code + 1, e);
		if (found < 0) {
			msg[0] = '\0';
			goto fail;
		}
		if (!found) {
			snprintf(msg, msglen, "mã '%s' không có trong danh mục %s (các mã "
			    "cách nhau bởi dấu ;)", code + 1, catalog);
			goto fail;
		}
		code[n + 1] = ';';
		if (strstr(buf_str(&out), code) == NULL) {
			buf_add(&out, code + 1, n);
			buf_addc(&out, ';');
		}
	}
	if (buf_failed(&out)) {
		msg[0] = '\0';
		err_nomem(e);
		goto fail;
	}
	n = strlen(buf_str(&out));
	if (n < 2) {
		snprintf(msg, msglen, "chưa có mã nào (các mã cách nhau bởi dấu ;)");
		goto fail;
	}
	/* without the outer ";" */
	res = strndup(buf_str(&out) + 1, n - 2);
	buf_free(&out);
	if (res == NULL)
		err_nomem(e);
	return res;
fail:
	buf_free(&out);
	return NULL;
}

/* The canonical form of structured text t (freed here), or NULL: msg set
 * when t is bad, else e set or out of memory. */
static char *
canonical(struct store *s, const struct field_def *f, char *t, char *msg,
    size_t msglen, struct err *e)
{
	char *c = NULL;

	msg[0] = '\0';
	if (f->flags & F_PERIOD)
		c = canon_period(t, msg, msglen, e);
	else if (f->flags & F_REPORT_SCOPE)
		c = canon_scope(s, t, msg, msglen, e);
	else if (f->flags & F_CODE_LIST)
		c = canon_code_list(s, f->arg, t, msg, msglen, e);
	free(t);
	return c;
}

static bool
out_of_range(const struct field_def *f, double v)
{
	return f->min < f->max && (v < f->min || v > f->max);
}

static void
range_msg(const struct field_def *f, char *msg, size_t msglen)
{
	snprintf(msg, msglen, "phải nằm trong khoảng %.15g đến %.15g", f->min, f->max);
}

json_t *
validate_value(struct store *s, const struct field_def *f, const json_t *in,
    char *msg, size_t msglen, struct err *e)
{
	return validate_value_flags(s, f, in, 0, msg, msglen, e);
}

json_t *
validate_value_flags(struct store *s, const struct field_def *f,
    const json_t *in, unsigned flags, char *msg, size_t msglen, struct err *e)
{
	const char *str = json_is_string(in) ? json_string_value(in) : NULL;
	char *t;
	int64_t iv;
	double dv;
	json_t *out;
	int found;

	msg[0] = '\0';

	switch (f->type) {
	case FT_TEXT:
		if (str == NULL) {
			snprintf(msg, msglen, "phải là văn bản");
			return NULL;
		}
		t = clean_text(str, msg, msglen);
		if (t == NULL)
			return msg[0] != '\0' ? NULL : made(NULL, msg, e);
		if (!validate_text_fits(f, t)) {
			snprintf(msg, msglen, "dài quá %.0f ký tự", f->max);
			free(t);
			return NULL;
		}
		/* the written form is what the limit bounds; its canonical
		 * form (a unit's id for its code) is counted again */
		if ((f->flags & F_STRUCTURED) &&
		    (t = canonical(s, f, t, msg, msglen, e)) == NULL)
			return NULL;
		if ((f->flags & F_STRUCTURED) && !validate_text_fits(f, t)) {
			snprintf(msg, msglen, "dài quá %.0f ký tự", f->max);
			free(t);
			return NULL;
		}
		if ((f->flags & F_EXPR) && *t != '\0') {
			struct err xe = { 0 };
			if (expr_check(t, &xe) != 0 && xe.code != ERR_INVALID) {
				free(t);
				err_clear(&xe);
				return made(NULL, msg, e); /* out of memory */
			}
			if (xe.code != ERR_NONE) {
				snprintf(msg, msglen, "%s", xe.msg);
				err_clear(&xe);
				free(t);
				return NULL;
			}
		}
		out = json_string(t);
		free(t);
		return made(out, msg, e);
	case FT_INTEGER:
	case FT_REF:
		if (!as_int64(in, f->type == FT_INTEGER, &iv)) {
			snprintf(msg, msglen, f->type == FT_REF ?
			    "phải là mã số bản ghi (số nguyên)" : "phải là số nguyên");
			return NULL;
		}
		if (f->type == FT_INTEGER && out_of_range(f, (double)iv)) {
			range_msg(f, msg, msglen);
			return NULL;
		}
		if (f->type == FT_REF) {
			const struct entity_def *target = registry_find(f->arg);
			/* hidden from the writer: answered as missing */
			found = iv > 0 && target != NULL ? store_exists_visible(s,
			    target, iv, !(flags & V_HIDE_CONFIDENTIAL), e) : 0;
			if (!looked_up(found, msg))
				return NULL;
			if (!found) {
				snprintf(msg, msglen, "không có %s số %lld",
				    target ? target->label : f->arg, (long long)iv);
				return NULL;
			}
		}
		return made(json_integer(iv), msg, e);
	case FT_DECIMAL:
		if (json_is_number(in))
			dv = json_number_value(in);
		else if (str == NULL || vi_parse_decimal(str, &dv) != 0) {
			snprintf(msg, msglen, "phải là số (ví dụ 184,5 hoặc 23.000)");
			return NULL;
		}
		if (!isfinite(dv)) {
			snprintf(msg, msglen, "phải là số hữu hạn");
			return NULL;
		}
		if (out_of_range(f, dv)) {
			range_msg(f, msg, msglen);
			return NULL;
		}
		return made(json_real(dv), msg, e);
	case FT_DATE: {
		char iso[VI_DATE_ISO_MAX], why[160];
		if (str == NULL) {
			snprintf(msg, msglen, "phải là ngày (%s)", VI_DATE_FORMS);
			return NULL;
		}
		/* 31/12/2025 as well as 2025-12-31; stored ISO */
		if (vi_date_input(str, iso, why, sizeof(why)) != 0) {
			snprintf(msg, msglen, "ngày không hợp lệ: '%.40s': %s", str, why);
			return NULL;
		}
		return made(json_string(iso), msg, e);
	}
	case FT_ENUM:
		if (str == NULL || !enum_has(f, str)) {
			char code[64], label[200];
			size_t i, n = enum_count(f), used;
			used = (size_t)snprintf(msg, msglen, "giá trị không hợp lệ; chọn một trong:");
			for (i = 0; i < n && used < msglen; i++) {
				enum_choice(f, i, code, sizeof(code), label, sizeof(label));
				used += (size_t)snprintf(msg + used, msglen - used,
				    "%s %s (%s)", i ? "," : "", code, label);
			}
			return NULL;
		}
		return made(json_string(str), msg, e);
	case FT_CATALOG:
		if (str == NULL || *str == '\0') {
			snprintf(msg, msglen, "phải là mã trong danh mục %s", f->arg);
			return NULL;
		}
		found = store_catalog_has_checked(s, f->arg, str, e);
		if (!looked_up(found, msg))
			return NULL;
		if (!found) {
			snprintf(msg, msglen, "mã '%.64s' không có trong danh mục %s",
			    str, f->arg);
			return NULL;
		}
		return made(json_string(str), msg, e);
	case FT_BOOLEAN:
		return v_bool(in, msg, msglen, e);
	}
	snprintf(msg, msglen, "kiểu trường không được hỗ trợ");
	return NULL;
}

static bool
is_empty(const json_t *v)
{
	const char *s;

	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return false;
	for (s = json_string_value(v); *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Put a validated value into the record, or its message into e's fields
 * (label: the field's, before the message; NULL: none); false when the
 * validation cannot go on (out of memory, the database: e says so). */
static bool
keep(json_t *out, const char *name, json_t *tv, const char *msg,
    const char *label, struct err *e)
{
	if (tv == NULL && msg[0] == '\0')
		return false;
	if (tv == NULL) {
		if (label != NULL)
			err_field(e, name, "%s: %s", label, msg);
		else
			err_field(e, name, "%s", msg);
		return e == NULL || e->code == ERR_INVALID;
	}
	if (json_object_set_new(out, name, tv) != 0) {
		err_nomem(e);
		return false;
	}
	return true;
}

json_t *
validate_record(struct store *s, const struct entity_def *ent,
    const json_t *input, unsigned flags, struct err *e)
{
	char msg[ERR_MSG_MAX];
	json_t *out, *v, *tv;
	const char *k;
	size_t i;

	if (!json_is_object(input)) {
		err_set(e, ERR_BAD_REQUEST, "dữ liệu gửi lên phải là một đối tượng JSON");
		return NULL;
	}
	if ((out = json_object()) == NULL) {
		err_nomem(e);
		return NULL;
	}
	json_object_foreach((json_t *)input, k, v) {
		if (is_ignored(k))
			continue;
		if (strcmp(k, COMMON_ILLUSTRATIVE) == 0) {
			if (is_empty(v))
				continue;
			tv = v_bool(v, msg, sizeof(msg), e);
			if (!keep(out, k, tv, msg, NULL, e))
				goto fail;
			continue;
		}
		if (entity_field(ent, k) == NULL)
			err_field(e, k, "%s không có trường này", ent->label);
	}
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		v = json_object_get(input, f->name);
		if (v == NULL) {
			if (!(flags & V_PARTIAL) && (f->flags & F_REQUIRED))
				err_field(e, f->name, "%s: bắt buộc nhập", f->label);
			continue;
		}
		/* a secret that is not also the system's (a webhook's key) is
		 * write-only: taken from input, never shown back (F_SECRET) */
		if ((f->flags & F_SYSTEM) && !(flags & V_SYSTEM)) {
			err_field(e, f->name, "%s do hệ thống ghi, không nhập được",
			    f->label);
			continue;
		}
		if (is_empty(v)) {
			if (f->flags & F_REQUIRED)
				err_field(e, f->name, "%s: bắt buộc nhập", f->label);
			else if (!keep(out, f->name, json_null(), msg, NULL, e))
				goto fail;
			continue;
		}
		tv = validate_value_flags(s, f, v, flags, msg, sizeof(msg), e);
		if (!keep(out, f->name, tv, msg, f->label, e))
			goto fail;
	}
	if (e != NULL && e->code != ERR_NONE)
		goto fail;
	if (!(flags & V_PARTIAL) && validate_whole(ent, out, e) != 0)
		goto fail;
	return out;
fail:
	json_decref(out);
	return NULL;
}

static int
compare_values(const json_t *a, const json_t *b)
{
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		return x < y ? -1 : x > y;
	}
	return 0;
}

bool
validate_whole_applies(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; i < sizeof(ordered_pairs) / sizeof(ordered_pairs[0]); i++)
		if (pair_of(i, ent))
			return true;
	for (i = 0; i < sizeof(field_groups) / sizeof(field_groups[0]); i++)
		if (group_of(i, ent))
			return true;
	return false;
}

/* A field group's count of set fields out of [min, max]: the message
 * names every field of the group, on the first one. */
static void
check_group(size_t i, const json_t *rec, struct err *e)
{
	const struct field_def *f;
	const json_t *v;
	char names[ERR_MSG_MAX] = "";
	size_t k, len = 0;
	int n = 0;

	for (k = 0; k < GROUP_FIELDS_MAX && field_groups[i].f[k] != FLD_NONE; k++) {
		f = field_of(field_groups[i].f[k]);
		v = json_object_get(rec, f->name);
		if (v != NULL && !json_is_null(v) && !(json_is_string(v) &&
		    json_string_length(v) == 0))
			n++;
		if (len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
			    k > 0 ? ", " : "", f->label);
	}
	f = field_of(field_groups[i].f[0]);
	if (n < field_groups[i].min || n > field_groups[i].max) {
		if (n > field_groups[i].max)
			err_field(e, f->name, "chỉ được điền nhiều nhất %d trong các "
			    "trường: %s", field_groups[i].max, names);
		else
			err_field(e, f->name, "cần điền ít nhất %d trong các trường: %s",
			    field_groups[i].min, names);
	}
}

int
validate_whole(const struct entity_def *ent, const json_t *rec, struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof(ordered_pairs) / sizeof(ordered_pairs[0]); i++) {
		const struct field_def *from = field_of(ordered_pairs[i].from);
		const struct field_def *to = field_of(ordered_pairs[i].to);
		const json_t *a, *b;
		if (!pair_of(i, ent))
			continue;
		a = json_object_get(rec, from->name);
		b = json_object_get(rec, to->name);
		if (a != NULL && b != NULL && !json_is_null(a) && !json_is_null(b) &&
		    compare_values(a, b) > 0)
			err_field(e, to->name, "%s phải sau hoặc bằng %s", to->label,
			    from->label);
	}
	for (i = 0; i < sizeof(field_groups) / sizeof(field_groups[0]); i++)
		if (group_of(i, ent))
			check_group(i, rec, e);
	return e != NULL && e->code != ERR_NONE ? -1 : 0;
}

int
validate_links(struct store *s, const struct entity_def *ent, const json_t *rec,
    unsigned flags, struct err *e)
{
	/* a file attached to a record of any entity ("attached" in
	 * schema/entities.txt) */
	const struct field_def *fe = field_of(entity_behaviour(ent)->attached_entity);
	const struct field_def *fi = field_of(entity_behaviour(ent)->attached_id);
	const struct entity_def *owner;
	const char *name;
	int64_t id;
	int found;

	if (fe == NULL || fi == NULL)
		return 0;
	name = json_string_value(json_object_get(rec, fe->name));
	id = json_integer_value(json_object_get(rec, fi->name));
	if ((name == NULL || *name == '\0') && id <= 0)
		return 0; /* attached to nothing */
	owner = registry_find(name);
	if (owner == NULL || owner == ent) {
		err_field(e, fe->name, "%s: không có loại bản ghi '%.64s'", fe->label,
		    name ? name : "");
		return -1;
	}
	found = id > 0 ? store_exists_visible(s, owner, id,
	    !(flags & V_HIDE_CONFIDENTIAL), e) : 0;
	if (found < 0)
		return -1;
	if (!found) {
		/* the message of a missing reference (validate_value) */
		err_field(e, fi->name, "%s: không có %s số %lld", fi->label,
		    owner->label, (long long)id);
		return -1;
	}
	return 0;
}
