/*
 * scope.h - the scope of a review report ("target_set:3", "unit:084",
 * "nation", …): its kinds, the one parser and the canonical text.  Part of
 * the domain, not of report/: a report record's scope is checked when it
 * is written (validate.c), and the pages and ingest name scopes too;
 * report.h includes this header for report_build.
 */
#ifndef GIAPRANH_SCOPE_H
#define GIAPRANH_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "store/store.h"

enum report_scope_kind { SCOPE_TARGET_SET, SCOPE_AGREEMENT, SCOPE_PROGRAM,
	SCOPE_UNIT, SCOPE_SUPERVISION, SCOPE_NATION };

struct report_scope {
	enum report_scope_kind kind;
	int64_t id;   /* SCOPE_NATION: 0 */
	/* SCOPE_TARGET_SET: 0 = the values of the set's own unit; a unit id
	 * = every indicator rolled up at that unit; ACH_NATION (-1) = over
	 * the whole country (achieve_target_set_at) */
	int64_t at;
};

/* The kinds of scope, indexed by enum report_scope_kind: the name written
 * before the colon and the entity whose record the id names (NULL for the
 * nation).  Every table of scopes (pages, ingest) takes its names here. */
struct report_scope_kind_def {
	const char *name;
	const char *entity;
};
extern const struct report_scope_kind_def report_scope_kinds[];
extern const size_t report_scope_kinds_count;

/* The kind whose records are of entity `entity`, or NULL. */
const struct report_scope_kind_def *report_scope_kind_of(const char *entity);

/* "target_set:3", "agreement:12", "program:1", "unit:084" (a unit code,
 * pre-2025 codes looked up before the reorganisation when not current) or
 * "unit:ID", "supervision:1"; "nation" (or "unit:VN"): every unit of the
 * country; "target_set:3@79" (a unit code or id) or "target_set:3@nation":
 * the set's indicators rolled up at that unit or over the country.  The
 * record named must exist.  0, or -1 with a message: ERR_BAD_REQUEST (not
 * a scope), ERR_NOT_FOUND (no such record), else the store's error.  This
 * is the one parser of scopes: report.scope is checked with it when
 * written (validate.c). */
int report_scope_parse(struct store *s, const char *text,
    struct report_scope *out, struct err *e);

/* The canonical text of a parsed scope, which parses back to it:
 * "agreement:12", "unit:ID" (ids, never unit codes, which the two vintages
 * of units share), "target_set:3@ID", "target_set:3@nation", "nation".
 * Needs REPORT_SCOPE_TEXT_MAX bytes; 0, or -1 when it does not fit. */
#define REPORT_SCOPE_TEXT_MAX 64
int report_scope_format(const struct report_scope *sc, char *buf, size_t len);

/* The accepted forms, for messages. */
#define REPORT_SCOPE_FORMS "agreement:12, target_set:1, target_set:1@79, " \
	"program:1, unit:084, supervision:1, hoặc nation (toàn quốc)"

#endif
