/*
 * plaus.h - plausibility rules of indicator values (issue 17).
 *
 * An indicator may carry rules (schema/entities.txt, indicator.plaus_*):
 * a range (plaus_min, plaus_max), no negative values (plaus_non_negative),
 * a share of at most 100 % (plaus_max_100: a percentage at most 100, a
 * numerator at most its denominator), and a largest change against the
 * previous period of the same unit (plaus_change_factor: the actual value
 * neither more than FACTOR times nor less than 1/FACTOR of the previous
 * one, and of the same sign).  A breach is a warning, not a refusal: the
 * value is saved; moving it past its workflow's initial state (submitting
 * it), or changing its figures once there, needs a comment saying why
 * (plaus_admit: 422 naming the field `comment`, the message naming the
 * rule).  Approvers see the warnings: in the grid, on the record page and
 * in the API's answer (`warnings`, plaus_annotate).
 *
 * The previous period's value is read from the store: within one bulk load
 * a row whose previous period is another row of the same load may not see
 * it (PostgreSQL's COPY sends rows in batches), so the change rule is
 * judged against what was stored before the load.
 *
 * plaus_admit is called by records_admit, the one check every write path
 * takes (API, _bulk, import, the grid, the forms, ingest acceptance), so
 * no path can submit an implausible value without a comment.  A history
 * load (a system actor with `history`: the demo loader, `giapranh import`
 * at the shell) enters figures as they were approved then, and is not
 * asked.
 */
#ifndef GIAPRANH_PLAUS_H
#define GIAPRANH_PLAUS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "domain/actor.h"
#include "schema/registry.h"

struct store;

/* The rule codes, as the API's `warnings` name them. */
#define PLAUS_RANGE    "range"
#define PLAUS_SIGN     "non_negative"
#define PLAUS_MAX_100  "max_100"
#define PLAUS_CHANGE   "change"

/* The rules of one indicator. */
struct plaus_rules {
	bool has_min, has_max;
	double min, max;
	bool non_negative;
	bool max_100;
	double change_factor; /* 0: no change rule */
	bool percent;         /* its value_kind is "percent"  */
};

/* The rules of an indicator record (as store_get gives it). */
void plaus_rules_of(const json_t *indicator, struct plaus_rules *r);

/* Does the indicator carry any rule? */
bool plaus_has_rules(const struct plaus_rules *r);

/* The warnings of one indicator value under r; prev: the actual value of
 * the previous period (NULL: none), prev_period its code for the message.
 * Appends one object {rule, field, message} per breach to out (message in
 * Vietnamese, naming the figure and the rule).  Pure.  The number
 * appended, or -1 when out of memory. */
int plaus_eval(const struct plaus_rules *r, const json_t *value,
    const double *prev, const char *prev_period, json_t *out);

/* The period before a canonical period code, of the same kind: "2024" ->
 * "2023", "2024-H1" -> "2023-H2", "2024-Q1" -> "2023-Q4", "2024-01" ->
 * "2023-12", "2024-9M" -> "2023-9M", "2020-2025" -> "2015-2020" (a term
 * of the same length).  0, or -1 when code is no period. */
int plaus_prev_period(const char *code, char *out, size_t len);

/* The warnings of an indicator value as it is (or will be) stored: its
 * indicator's rules and the previous period's value of the same indicator
 * and unit, read from the store.  A JSON array (empty when plausible or
 * when the indicator has no rule); NULL with e set on failure. */
json_t *plaus_check(struct store *s, const json_t *value, struct err *e);

/* The plausibility part of records_admit, for any entity (others pass):
 * an indicator's range must not be empty (plaus_max below plaus_min is a
 * 422 on plaus_max); an indicator value moved past its workflow's initial
 * state, or whose figures or comment change there, with warnings and no
 * comment, is a 422 on `comment` whose message names each rule broken.
 * before: as stored (NULL for a create); after: as it will be stored.
 * 0, or -1 with e set. */
int plaus_admit(struct store *s, const struct entity_def *ent,
    const json_t *before, const json_t *after, const struct actor *who,
    struct err *e);

/* For an answer: set `warnings` (plaus_check's array) on rec when it is
 * an indicator value; other entities are left as they are.  0, or -1 with
 * e set. */
int plaus_annotate(struct store *s, const struct entity_def *ent, json_t *rec,
    struct err *e);

/* The key of the warnings in an answer, and of each warning's parts. */
#define PLAUS_WARNINGS "warnings"

#endif
