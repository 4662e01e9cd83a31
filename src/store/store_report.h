/*
 * store_report.h - the records of a review report's sections, one statement
 * per section, for the scopes gathered through meetings and agreements
 * (agreement, program, supervision); the unit and nation scopes use
 * store_within (store.h).  docs/REPORT_QUERIES.md has the queries.
 */
#ifndef GIAPRANH_STORE_REPORT_H
#define GIAPRANH_STORE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum store_report_kind {
	STORE_REPORT_AGREEMENT,
	STORE_REPORT_PROGRAM,
	STORE_REPORT_SUPERVISION,
};

/* Which records: those of the agreement (and its clusters), of the program
 * (and its agreements) or of the supervision `id`, and of their meetings
 * (held at any date); each section's own date in [from, to] when given
 * (ISO, either NULL); confidential records left out unless
 * see_confidential, as store_list does. */
struct store_report_scope {
	enum store_report_kind kind;
	int64_t id;
	const char *from, *to;
	bool see_confidential;
};

/* The scope's meetings held in the period, as records, in the order the
 * report lists them.  One statement. */
json_t *store_report_meetings(struct store *s, const struct store_report_scope *sc,
    struct err *e);
/* The recommendations, tasks or commendations (entity) of the scope and of
 * its meetings, dated in the period, as records in report order: a
 * supervision's own, an agreement's or program's own commendations first,
 * then by meeting (recommendations raised at it, then answered at it).
 * One statement. */
json_t *store_report_linked(struct store *s, const struct store_report_scope *sc,
    enum entity_id entity, struct err *e);

/* A supervision's findings (at any date), by id, as records; none for the
 * other scopes.  One statement. */
json_t *store_report_findings(struct store *s, const struct store_report_scope *sc,
    struct err *e);

/* The quantities of the scope's activities started in the period, one row
 * each in report order (activity, then quantity id); an activity without
 * a quantity gives one row with has_quantity false.  One statement. */
struct store_report_quantity {
	int64_t activity_id;
	const char *kind;
	bool has_quantity;
	const char *measure, *unit_of_measure, *qualifier;
	double value; /* 0 when not recorded */
};
typedef int (*store_report_quantity_fn)(void *ctx,
    const struct store_report_quantity *q);
int store_report_quantities(struct store *s, const struct store_report_scope *sc,
    store_report_quantity_fn fn, void *ctx, struct err *e);

/* The incidents shared with the scope's agreement(s) that occurred in the
 * period, once each in report order: fn is called with (kind, status, 1).  One
 * statement (none for a supervision). */
int store_report_incidents(struct store *s, const struct store_report_scope *sc,
    store_count_fn fn, void *ctx, struct err *e);

/* Every record of ent with its title field, by id.  One statement. */
typedef int (*store_report_title_fn)(void *ctx, int64_t id, const char *title);
int store_report_titles(struct store *s, const struct entity_def *ent,
    store_report_title_fn fn, void *ctx, struct err *e);

/* Every item of the given catalogs (at most 8), by id.  One statement. */
typedef int (*store_report_label_fn)(void *ctx, const char *catalog,
    const char *code, const char *label);
int store_report_labels(struct store *s, const char *const *catalogs, size_t n,
    store_report_label_fn fn, void *ctx, struct err *e);

/* The self-management groups within `unit` (store_within; 0 = every group
 * with a unit), by id, with their households counted.  One statement. */
struct store_report_group {
	const char *name, *kind;
	int64_t eligible;   /* 0 when not recorded */
	int64_t households;
};
typedef int (*store_report_group_fn)(void *ctx, const struct store_report_group *g);
/* units: the unit's subtree read once (store_unit_set_read), or NULL */
int store_report_groups(struct store *s, int64_t unit,
    const struct store_unit_set *units, bool see_confidential,
    store_report_group_fn fn, void *ctx, struct err *e);

/* A program's agreements, by id, each with its unit's title joined
 * (unit_found false when the unit is not there).  One statement. */
struct store_program_agreement {
	int64_t id, unit_id;
	const char *title, *status, *kind, *unit_title;
	bool unit_found;
};
typedef int (*store_program_agreement_fn)(void *ctx,
    const struct store_program_agreement *a);
int store_program_agreements(struct store *s, int64_t program_id,
    store_program_agreement_fn fn, void *ctx, struct err *e);
/* The distinct units of the parties in `role` of the program's agreements
 * whose status is one of `statuses`, counted.  One statement. */
int store_program_helped(struct store *s, int64_t program_id, const char *role,
    const char *const *statuses, size_t nstatuses, int64_t *n, struct err *e);

#endif
