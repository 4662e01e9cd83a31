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

#define MV_APPROVER 0x1u /* only approvers (and admins) make this move       */
#define MV_BACK     0x2u /* returns or reopens a record: never on the way
                          * forward (workflow_advance, workflow_create)     */
#define MV_TRUSTED  0x4u /* only a trusted write (R_SYSTEM) that sets the
                          * system fields the new state needs              */

struct move {
	const char *from;
	const char *to;
	unsigned flags;
};

struct workflow {
	const char *entity;
	const char *field;
	const char *const *initial; /* states a record is created in (NULL ends) */
	const char *locked;  /* state in which the record may not change, or NULL */
	const struct move *moves;
	size_t nmoves;
};

/* The workflow of an entity, or NULL. */
const struct workflow *workflow_find(const struct entity_def *ent);
/* Is code one of the states a record is created in? */
bool workflow_is_initial(const struct workflow *w, const char *code);
/* The label of a state (its code when it has none). */
void workflow_label_of(const struct entity_def *ent, const char *field,
    const char *code, char *buf, size_t len);
/* workflow_admit for an update: 0, or -1 with the message. */
int workflow_check_move(const struct entity_def *ent, const struct workflow *w,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e);

#endif
