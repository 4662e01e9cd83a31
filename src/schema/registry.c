/* registry.c - lookups over the entity table in schema.c */
#include <string.h>

#include "schema/registry.h"

const struct entity_def *
registry_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < registry_count; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

const struct field_def *
entity_field(const struct entity_def *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nfields; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return &e->fields[i];
	return NULL;
}

/* Choices are "code=Label|code=Label"; walk to the i-th one. */
static const char *
enum_nth(const char *s, size_t i)
{
	while (i > 0 && s != NULL) {
		s = strchr(s, '|');
		if (s != NULL)
			s++;
		i--;
	}
	return s;
}

size_t
enum_count(const struct field_def *f)
{
	const char *s;
	size_t n = 1;

	if (f->type != FT_ENUM || f->arg == NULL || *f->arg == '\0')
		return 0;
	for (s = f->arg; *s; s++)
		if (*s == '|')
			n++;
	return n;
}

static void
copy_span(char *dst, size_t len, const char *src, size_t n)
{
	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
enum_choice(const struct field_def *f, size_t i, char *code, size_t codelen,
    char *label, size_t labellen)
{
	const char *s, *eq, *end;

	if (i >= enum_count(f))
		return -1;
	s = enum_nth(f->arg, i);
	end = strchr(s, '|');
	if (end == NULL)
		end = s + strlen(s);
	eq = memchr(s, '=', (size_t)(end - s));
	if (eq == NULL)
		eq = end;
	if (code != NULL)
		copy_span(code, codelen, s, (size_t)(eq - s));
	if (label != NULL) {
		if (eq < end)
			copy_span(label, labellen, eq + 1, (size_t)(end - eq - 1));
		else
			copy_span(label, labellen, s, (size_t)(end - s));
	}
	return 0;
}

bool
enum_has(const struct field_def *f, const char *code)
{
	char buf[64];
	size_t i, n = enum_count(f);

	for (i = 0; i < n; i++) {
		enum_choice(f, i, buf, sizeof(buf), NULL, 0);
		if (strcmp(buf, code) == 0)
			return true;
	}
	return false;
}

const char *
field_type_name(enum field_type t)
{
	static const char *const names[] = {
		[FT_TEXT] = "text", [FT_INTEGER] = "integer",
		[FT_DECIMAL] = "decimal", [FT_DATE] = "date",
		[FT_ENUM] = "enum", [FT_CATALOG] = "catalog",
		[FT_BOOLEAN] = "boolean", [FT_REF] = "reference",
	};
	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

const char *
field_format_name(const struct field_def *f)
{
	if (f->type != FT_TEXT)
		return NULL;
	if (f->flags & F_PERIOD)
		return "period";
	if (f->flags & F_REPORT_SCOPE)
		return "report_scope";
	if (f->flags & F_CODE_LIST)
		return "code_list";
	return NULL;
}

const char *
write_rule_name(enum write_rule w)
{
	static const char *const names[] = {
		[WR_SYSTEM] = "system", [WR_ADMIN] = "admin",
		[WR_REFERENCE] = "reference", [WR_SCOPE] = "scope",
		[WR_OWNER] = "owner", [WR_ORG] = "organisation",
		[WR_CREATOR] = "creator",
	};
	return (size_t)w < sizeof(names) / sizeof(names[0]) ? names[w] : NULL;
}

bool
write_rule_field(const struct entity_def *e, const struct field_def *f)
{
	switch (e->write) {
	case WR_SCOPE:
		return f->type == FT_REF && (f->flags & F_SCOPE);
	case WR_OWNER:
		return (f->type == FT_REF && (f->flags & F_OWNER)) ||
		    strcmp(f->name, "owner_entity") == 0 ||
		    strcmp(f->name, "owner_id") == 0;
	case WR_ORG:
		return f->type == FT_REF && (strcmp(f->name, "unit_id") == 0 ||
		    strcmp(f->name, "parent_id") == 0);
	case WR_CREATOR:
		return strcmp(f->name, "created_by") == 0;
	default:
		return false;
	}
}
