/*
 * workflow_int.h - the workflow tables and the checks of workflow.c, for
 * workflow_move.c (which moves records along them through records.c);
 * nobody else.
 */
#ifndef GIAPRANH_WORKFLOW_INT_H
#define GIAPRANH_WORKFLOW_INT_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"
#include "domain/actor.h"
#include "schema/registry.h"

/* The workflows are data (schema/entities.txt: workflow, initial, move,
 * lock), generated as struct workflow_def and struct workflow_move, with
 * the move flags MV_APPROVER, MV_BACK and MV_TRUSTED (schema/entities.h). */
/* The name of a workflow's status field. */
#define WF_FIELD(w) field_name((w)->field)

/* The workflow of an entity, or NULL. */
const struct workflow_def *workflow_find(const struct entity_def *ent);
/* Is code one of the states a record is created in? */
bool workflow_is_initial(const struct workflow_def *w, const char *code);
/* The label of a state (its code when it has none). */
void workflow_label_of(const struct entity_def *ent, const char *field,
    const char *code, char *buf, size_t len);
/* workflow_admit for an update: 0, or -1 with the message. */
int workflow_check_move(const struct entity_def *ent, const struct workflow_def *w,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e);

#endif
