/* workflow.c - see workflow.h */
#include <stdio.h>
#include <string.h>

#include "workflow.h"

struct move {
	const char *from;
	const char *to;
	bool approver; /* only approvers (and admins) may make this move */
};

struct workflow {
	const char *entity;
	const char *field;
	const char *locked;  /* state in which the record may not change, or NULL */
	const struct move *moves;
	size_t nmoves;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* agreements: planned -> (negotiating) -> signed -> active -> ended */
static const struct move agreement_moves[] = {
	{ "planned", "negotiating", false }, { "planned", "signed", false },
	{ "negotiating", "signed", false }, { "negotiating", "planned", false },
	{ "signed", "active", false }, { "signed", "ended", false },
	{ "active", "ended", false },
};

/* incidents: reported -> verified -> being handled -> resolved/transferred */
static const struct move incident_moves[] = {
	{ "reported", "verified", false }, { "reported", "handling", false },
	{ "reported", "transferred", false }, { "verified", "handling", false },
	{ "verified", "transferred", false }, { "verified", "resolved", false },
	{ "handling", "resolved", false }, { "handling", "transferred", false },
};

/* recommendations: waiting -> answered -> done; or declined */
static const struct move recommendation_moves[] = {
	{ "submitted", "answered", false }, { "submitted", "declined", false },
	{ "answered", "done", false }, { "answered", "submitted", false },
};

/* indicator values: draft -> submitted -> approved; approvers send back or
 * reopen, and an approved period is locked until reopened */
static const struct move value_moves[] = {
	{ "draft", "submitted", false }, { "submitted", "approved", true },
	{ "submitted", "draft", true }, { "approved", "draft", true },
};

/* reports: a draft is issued once (its number comes from the register) */
static const struct move report_moves[] = {
	{ "draft", "issued", false },
};

static const struct workflow workflows[] = {
	{ "agreement", "status", NULL, agreement_moves, N(agreement_moves) },
	{ "incident", "status", NULL, incident_moves, N(incident_moves) },
	{ "recommendation", "status", NULL, recommendation_moves, N(recommendation_moves) },
	{ "indicator_value", "status", "approved", value_moves, N(value_moves) },
	{ "report", "status", "issued", report_moves, N(report_moves) },
};

static const struct workflow *
find(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; i < N(workflows); i++)
		if (strcmp(workflows[i].entity, ent->name) == 0)
			return &workflows[i];
	return NULL;
}

const char *
workflow_field(const struct entity_def *ent)
{
	const struct workflow *w = find(ent);

	return w ? w->field : NULL;
}

static void
label_of(const struct entity_def *ent, const char *field, const char *code,
    char *buf, size_t len)
{
	const struct field_def *f = entity_field(ent, field);
	char c[64];
	size_t i, n = f ? enum_count(f) : 0;

	snprintf(buf, len, "%s", code ? code : "(trống)");
	for (i = 0; i < n; i++) {
		enum_choice(f, i, c, sizeof(c), buf, len);
		if (code != NULL && strcmp(c, code) == 0)
			return;
	}
	snprintf(buf, len, "%s", code ? code : "(trống)");
}

json_t *
workflow_next(const struct entity_def *ent, const char *from)
{
	const struct workflow *w = find(ent);
	json_t *out = json_array();
	size_t i;

	for (i = 0; w != NULL && from != NULL && i < w->nmoves; i++)
		if (strcmp(w->moves[i].from, from) == 0)
			json_array_append_new(out, json_string(w->moves[i].to));
	return out;
}

/* Did anything but the status (and bookkeeping) change? */
static bool
other_fields_changed(const struct entity_def *ent, const char *field,
    const json_t *before, const json_t *after)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const char *name = ent->fields[i].name;
		const json_t *a = json_object_get(before, name);
		const json_t *b = json_object_get(after, name);
		if (strcmp(name, field) == 0 || (ent->fields[i].flags & F_SYSTEM))
			continue;
		if (a == NULL)
			a = json_null();
		if (b == NULL)
			b = json_null();
		if (!json_equal(a, b))
			return true;
	}
	return false;
}

int
workflow_check(const struct entity_def *ent, const json_t *before,
    const json_t *after, bool approver, struct err *e)
{
	const struct workflow *w = find(ent);
	const char *from, *to;
	char lf[100], lt[100], allowed[ERR_MSG_MAX / 2];
	size_t i, used = 0;

	if (w == NULL)
		return 0;
	from = json_string_value(json_object_get(before, w->field));
	to = json_string_value(json_object_get(after, w->field));
	if (from == NULL || to == NULL || strcmp(from, to) == 0) {
		if (w->locked != NULL && from != NULL && strcmp(from, w->locked) == 0 &&
		    other_fields_changed(ent, w->field, before, after)) {
			label_of(ent, w->field, from, lf, sizeof(lf));
			return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị "
			    "khóa; người phê duyệt phải mở lại trước khi sửa", ent->label, lf);
		}
		return 0;
	}
	allowed[0] = '\0';
	for (i = 0; i < w->nmoves; i++) {
		if (strcmp(w->moves[i].from, from) != 0)
			continue;
		if (strcmp(w->moves[i].to, to) == 0) {
			if (w->moves[i].approver && !approver) {
				label_of(ent, w->field, to, lt, sizeof(lt));
				return err_set(e, ERR_FORBIDDEN, "chỉ người phê duyệt được "
				    "chuyển sang '%s'", lt);
			}
			if (w->locked != NULL && strcmp(from, w->locked) == 0 &&
			    other_fields_changed(ent, w->field, before, after))
				return err_set(e, ERR_CONFLICT, "mở lại trước, rồi mới sửa "
				    "số liệu");
			return 0;
		}
		label_of(ent, w->field, w->moves[i].to, lt, sizeof(lt));
		if (used < sizeof(allowed))
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used,
			    "%s'%s'", used ? ", " : "", lt);
	}
	label_of(ent, w->field, from, lf, sizeof(lf));
	label_of(ent, w->field, to, lt, sizeof(lt));
	err_field(e, w->field, "không chuyển được từ '%s' sang '%s'; %s%s", lf, lt,
	    used ? "được phép chuyển sang: " : "trạng thái này là trạng thái cuối",
	    allowed);
	return -1;
}
