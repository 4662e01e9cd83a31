/*
 * coord.h - what the parties of a program follow between review
 * conferences, computed from the records: task status in the vocabulary of
 * the Government's task tracking, plan vs done of a program, briefings due
 * per cluster, the evaluation of help assignments, a user's to-do list,
 * the information-exchange log of an agreement, a timeline.
 * Dates are ISO "YYYY-MM-DD"; as_of NULL means today.
 */
#ifndef GIAPRANH_COORD_H
#define GIAPRANH_COORD_H

#include <jansson.h>

#include "base/error.h"
#include "domain/auth.h" /* struct user */
#include "store/store.h"

enum task_state {
	TASK_DONE_ON_TIME,  /* Hoàn thành đúng hạn          */
	TASK_DONE_LATE,     /* Hoàn thành quá hạn           */
	TASK_OPEN,          /* Đang thực hiện, trong hạn    */
	TASK_OVERDUE        /* Chưa hoàn thành, quá hạn     */
};

/* The state of a task record as of a date (a task finished after as_of is
 * still open on as_of). */
enum task_state coord_task_state(const json_t *task, const char *as_of);
const char *coord_task_state_code(enum task_state st);
const char *coord_task_state_label(enum task_state st);

/* {planned, signed, percent, counted, outstanding:[agreements not signed]}
 * for a program; "signed" counts agreements signed, active or ended - or,
 * for a program of help assignments (counted "communes"), the communes
 * helped under a signed assignment, since those are planned per commune. */
json_t *coord_program_progress(struct store *s, int64_t program_id, struct err *e);

/* Clusters with their last briefing, the next one due and overdue flag:
 * [{cluster, last_briefing_on, next_due_on, overdue}] (agreement_id 0 = all). */
json_t *coord_clusters_due(struct store *s, int64_t agreement_id,
    const char *as_of, struct err *e);

/* For help assignments (agreements of kind help_assignment, optionally of
 * one program): per helper organisation, the communes it helps and the
 * activities it recorded there in [from, to]; helpers with none flagged. */
json_t *coord_help_evaluation(struct store *s, int64_t program_id,
    const char *from, const char *to, struct err *e);

/* Tasks (with state) and counts as of a date, optionally filtered by a
 * source meeting, supervision or assignee organisation. */
json_t *coord_tasks(struct store *s, const char *as_of, const char *filter_field,
    int64_t filter_id, struct err *e);

/* "Việc cần làm": tasks due within 30 days or overdue, and recommendations
 * waiting for an answer, for the organisations and units of the user's
 * grants (everything for a national grant). */
json_t *coord_todo(struct store *s, const struct user *u, const char *as_of,
    struct err *e);

/* Incidents shared under an agreement, with who received each and when;
 * confidential ones only with clearance. */
json_t *coord_exchange_log(struct store *s, int64_t agreement_id,
    bool clearance, struct err *e);

#endif
