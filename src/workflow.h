/*
 * workflow.h - status fields that follow allowed transitions only.
 *
 * One table (workflow.c) lists, per entity and status field, the allowed
 * moves and whether a move needs an approver.  records_update consults it:
 * a move not in the table is refused with a Vietnamese message naming the
 * allowed ones; every accepted move is kept in `status_change` (who, when,
 * from, to).  A record whose status is a lock state (an approved indicator
 * value) can only be moved out of it, by an approver, before it changes.
 */
#ifndef GIAPRANH_WORKFLOW_H
#define GIAPRANH_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>

#include "error.h"
#include "registry.h"

/* The status field of an entity, or NULL when it has no workflow. */
const char *workflow_field(const struct entity_def *ent);

/* Check the move from `before` to `after` (whole records). approver: the
 * actor may approve.  Returns 0 when allowed (or no move), -1 with e set. */
int workflow_check(const struct entity_def *ent, const json_t *before,
    const json_t *after, bool approver, struct err *e);

/* Codes of the states reachable from `from` (JSON array of strings). */
json_t *workflow_next(const struct entity_def *ent, const char *from);

#endif
