/* scope.c - see scope.h (moved from report_build.c, unchanged) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/achieve.h"
#include "domain/scope.h"
#include "schema/registry.h"
#include "store/store.h"

const struct report_scope_kind_def report_scope_kinds[] = {
	[SCOPE_TARGET_SET] = { "target_set", "target_set" },
	[SCOPE_AGREEMENT] = { "agreement", "agreement" },
	[SCOPE_PROGRAM] = { "program", "program" },
	[SCOPE_UNIT] = { "unit", "admin_unit" },
	[SCOPE_SUPERVISION] = { "supervision", "supervision" },
	[SCOPE_NATION] = { "nation", NULL },
};
const size_t report_scope_kinds_count =
    sizeof(report_scope_kinds) / sizeof(report_scope_kinds[0]);

const struct report_scope_kind_def *
report_scope_kind_of(const char *entity)
{
	size_t i;

	for (i = 0; entity != NULL && i < report_scope_kinds_count; i++)
		if (report_scope_kinds[i].entity != NULL &&
		    strcmp(report_scope_kinds[i].entity, entity) == 0)
			return &report_scope_kinds[i];
	return NULL;
}

int
report_scope_format(const struct report_scope *sc, char *buf, size_t len)
{
	int n;

	if (sc->kind == SCOPE_NATION)
		n = snprintf(buf, len, "nation");
	else if (sc->kind == SCOPE_TARGET_SET && sc->at < 0)
		n = snprintf(buf, len, "%s:%lld@nation", report_scope_kinds[sc->kind].name,
		    (long long)sc->id);
	else if (sc->kind == SCOPE_TARGET_SET && sc->at > 0)
		n = snprintf(buf, len, "%s:%lld@%lld", report_scope_kinds[sc->kind].name,
		    (long long)sc->id, (long long)sc->at);
	else
		n = snprintf(buf, len, "%s:%lld", report_scope_kinds[sc->kind].name,
		    (long long)sc->id);
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

int
report_scope_parse(struct store *s, const char *text, struct report_scope *out,
    struct err *e)
{
	const struct report_scope_kind_def *kinds = report_scope_kinds;
	const char *colon = text ? strchr(text, ':') : NULL, *atp;
	char *end, head[64];
	size_t i;
	int found = 0;

	out->at = 0;
	out->id = 0;
	/* the whole country */
	if (text != NULL && (strcmp(text, "nation") == 0 || strcmp(text, "unit:VN") == 0)) {
		out->kind = SCOPE_NATION;
		return 0;
	}
	/* a target set rolled up: "target_set:3@79", "target_set:3@nation" */
	if (text != NULL && strncmp(text, "target_set:", 11) == 0 &&
	    (atp = strchr(text, '@')) != NULL) {
		struct report_scope unit;
		if ((size_t)(atp - text) >= sizeof(head))
			return err_set(e, ERR_BAD_REQUEST, "mã phạm vi không hợp lệ: %s", text);
		snprintf(head, sizeof(head), "%.*s", (int)(atp - text), text);
		if (report_scope_parse(s, head, out, e) != 0)
			return -1;
		if (strcmp(atp + 1, "nation") == 0 || strcmp(atp + 1, "VN") == 0) {
			out->at = ACH_NATION;
			return 0;
		}
		snprintf(head, sizeof(head), "unit:%s", atp + 1);
		if (report_scope_parse(s, head, &unit, e) != 0)
			return -1;
		out->at = unit.id;
		return 0;
	}
	if (colon == NULL)
		return err_set(e, ERR_BAD_REQUEST, "phạm vi phải có dạng LOẠI:MÃ, ví dụ "
		    REPORT_SCOPE_FORMS);
	for (i = 0; i < report_scope_kinds_count; i++) {
		if (kinds[i].entity == NULL ||
		    strncmp(text, kinds[i].name, (size_t)(colon - text)) != 0 ||
		    strlen(kinds[i].name) != (size_t)(colon - text))
			continue;
		out->kind = (enum report_scope_kind)i;
		if (out->kind == SCOPE_UNIT && colon[1] == '0')
			return store_unit_by_code(s, colon + 1, NULL, &out->id, e);
		out->id = strtoll(colon + 1, &end, 10);
		if (*end != '\0' || out->id <= 0)
			return err_set(e, ERR_BAD_REQUEST, "mã phạm vi không hợp lệ: %s", colon + 1);
		/* "could not look" is not "no such scope" */
		if (out->kind == SCOPE_UNIT && (found = store_exists_checked(s,
		    registry_find("admin_unit"), out->id, e)) == 0)
			return store_unit_by_code(s, colon + 1, NULL, &out->id, e);
		if (found >= 0)
			found = store_exists_checked(s, registry_find(kinds[i].entity),
			    out->id, e);
		if (found == 0)
			return err_set(e, ERR_NOT_FOUND, "không có %s số %lld",
			    registry_find(kinds[i].entity)->label, (long long)out->id);
		return found > 0 ? 0 : -1;
	}
	return err_set(e, ERR_BAD_REQUEST, "loại phạm vi không hợp lệ: '%.*s' (dùng "
	    "target_set, agreement, program, unit, supervision hoặc nation)",
	    (int)(colon - text) > 32 ? 32 : (int)(colon - text), text);
}
