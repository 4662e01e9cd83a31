/*
 * expr.h - computed indicators: a small, safe formula language over the
 * system's own records (never SQL).  A formula is checked when it is saved
 * (expr_check: every error, with its position, in Vietnamese) and evaluated
 * for a unit and a period (expr_eval) through store_list.
 *
 * Grammar (spaces are free between tokens):
 *
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NUMBER | '(' expr ')' | call
 *   NUMBER  := digits ['.' digits]              ("34", "0.5"; '.' decimal)
 *   call    := 'count'   '(' ENTITY (',' filter)* ')'
 *            | 'sum'     '(' ENTITY '.' FIELD (',' filter)* ')'
 *            | 'overdue' '(' 'task' (',' filter)* ')'
 *   filter  := path OP value ('|' value)*
 *   path    := FIELD | PARENT '.' FIELD
 *   OP      := '=' | '!=' | '<' | '<=' | '>' | '>=' | '~'
 *   value   := bare text up to the next ',', '|' or ')' (trimmed)
 *            | '"' text '"'  (\" and \\ escape)   | null  (with = and !=)
 *
 *   count(agreement, kind=twinning, status=signed|active)
 *   sum(activity_quantity.value, measure=participant_visits,
 *       activity.kind=propaganda)
 *   count(agreement, kind=twinning, status=signed|active)
 *       / sum(program.planned_count, name~kết nghĩa)
 *   overdue(task, assignee_unit_id=123)
 *
 * ENTITY is a registry entity name (not the admin-only ones: users, grants,
 * audit log); FIELD a field of it, or "id" / "illustrative".  PARENT names
 * one hop through a reference field of the entity: the field itself
 * ("activity_id.kind") or the entity it references ("activity.kind").
 * `a|b` means a or b; '!=' means none of them.  '~' is "contains",
 * ignoring case and diacritics.  '<'… compare numbers and dates only.
 * Values are checked against the field's type and enum choices; catalog
 * codes are not (an unknown code simply matches nothing).  A row whose
 * field is null matches only `= null` or `!= …` never (as in SQL).
 * sum() takes an integer or decimal field.
 *
 * Scope (scope_unit_id > 0): a record counts when its unit is within the
 * scope unit (store_unit_within: subtree and 2025 lineage).  Its unit is
 * found through the first of its F_SCOPE reference fields that is set,
 * admin-unit fields first (agreement.unit_id, activity.unit_id,
 * meeting.unit_id, incident.unit_id, supervision.supervised_unit_id,
 * target_set.unit_id, …); a reference to another record is followed to
 * that record's unit (activity_quantity -> activity.unit_id,
 * recommendation.from_org_id -> organisation.unit_id,
 * commendation.issuer_org_id -> organisation.unit_id).  A task is its
 * assignee's: assignee_unit_id, else assignee_org_id's unit, else
 * assigner_org_id's.  An entity without F_SCOPE fields uses its first
 * reference to admin_unit (organisation.unit_id, program has F_SCOPE
 * unit_id).  A record with no unit is outside every scope.
 *
 * Period (when given): a record counts when its date falls in the period
 * (activity.start_on, meeting.held_on, incident.occurred_on,
 * task.assigned_on, document.issued_on, commendation.awarded_on,
 * recommendation.raised_on, supervision.started_on,
 * incident_share.shared_on), or for things that stay once made, when it is
 * dated on or before the period's end or undated (agreement.signed_on,
 * program.start_on, self_mgmt_group.established_on,
 * self_mgmt_household.signed_on).  A child record without a date of its own
 * takes its owner's (activity_quantity -> activity.start_on).  Other
 * entities are not filtered by period.
 *
 * overdue(task, …): tasks whose deadline is before the reference date -
 * the period's last day, or today when that is earlier or no period is
 * given - and that were not completed by their deadline (completed_on
 * null or later than the deadline).
 *
 * Confidential incidents are never counted, nor read through records
 * that belong to them (incident_share) or refer to them.  Division by zero is an error
 * ("chia cho 0"), never a crash or an infinite value.
 */
#ifndef GIAPRANH_EXPR_H
#define GIAPRANH_EXPR_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "store/store.h"

#define EXPR_TEXT_MAX     1000  /* bytes of a formula (indicator.expression) */
#define EXPR_DEPTH_MAX    32    /* nesting of parentheses and signs          */
#define EXPR_NODES_MAX    128   /* numbers, operators and calls              */
#define EXPR_CALLS_MAX    16    /* count/sum/overdue calls in one formula    */
#define EXPR_FILTERS_MAX  8     /* filters of one call                       */
#define EXPR_ALTS_MAX     8     /* a|b|c alternatives of one filter          */
#define EXPR_DIAGS_MAX    16    /* errors reported for one formula           */
#define EXPR_DIAG_MSG_MAX 200   /* bytes of one error message                */
#define EXPR_ROWS_MAX     1000000 /* rows one evaluation may read            */
#define EXPR_CACHE_MAX    4096  /* parent records and units remembered       */
#define EXPR_SCOPE_DEPTH  3     /* reference hops to find a record's unit    */

/* One error: position in characters from 1, and a Vietnamese message. */
struct expr_diag {
	size_t pos;
	char msg[EXPR_DIAG_MSG_MAX];
};

/* Check a formula; up to max errors go to out (may be NULL).  Returns the
 * number of errors found (0 = valid), or EXPR_NO_MEMORY when the check
 * could not run.  After a syntax error the parser resumes at the next
 * filter of the call when it can; errors past that point may be missed. */
#define EXPR_NO_MEMORY ((size_t)-1)
size_t expr_diagnose(const char *text, struct expr_diag *out, size_t max);

/* 0 when valid; else -1 with ERR_INVALID, the message "công thức có N lỗi:
 * vị trí P: …; vị trí Q: …" and e->fields {"expression": same}, or
 * ERR_NO_MEMORY. */
int expr_check(const char *text, struct err *e);

/* Evaluate for a scope unit (<= 0: everywhere) and a period (NULL: all
 * time; else a period code or phrase, see vi_parse_period).  0 and *value,
 * or -1: ERR_INVALID for an invalid formula or a division by zero
 * ("vị trí P: chia cho 0"), ERR_BAD_REQUEST for a bad period, the store's
 * error otherwise. */
int expr_eval(struct store *s, const char *text, int64_t scope_unit_id,
    const char *period, double *value, struct err *e);

/* Every row of a list query, page by page (LIST_LIMIT_MAX a page), handed
 * to fn (return 0 to go on, 1 to stop, -1 on error with e set); fn does not
 * own the row.  At most max_rows rows, else ERR_TOO_LARGE.  q->limit and
 * q->offset are ignored.  Shared by achieve.c. */
typedef int (*expr_row_fn)(void *ctx, json_t *row, struct err *e);
int expr_list_each(struct store *s, const struct entity_def *ent,
    const struct list_query *q, size_t max_rows, expr_row_fn fn, void *ctx,
    struct err *e);

#endif
