/*
 * workflow_move.h - records moved along their workflow (workflow.h) by the
 * write path (records.h): for records entered further along than an
 * initial state (the grid, accepted ingest proposals).
 */
#ifndef GIAPRANH_WORKFLOW_MOVE_H
#define GIAPRANH_WORKFLOW_MOVE_H

#include <jansson.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/actor.h"
#include "schema/registry.h"

/*
 * Bring a stored record at least as far as state `to`: along the shortest
 * way forward (no back move), one records_update per move, each checked by
 * workflow_admit and recorded in status_change; nothing when it is there
 * already or further along.  A `to` off its way forward (declined for a
 * recommendation already done) is refused like a move not in the table.
 * One transaction; *out (may be NULL) receives the record as stored after.
 */
int workflow_advance(struct store *s, const struct entity_def *ent, int64_t id,
    const char *to, const struct actor *who, unsigned flags, json_t **out,
    struct err *e);

/*
 * records_create for a record whose status may lie past the initial states:
 * created in the nearest initial state it is reached from, then moved there
 * by workflow_advance (so the actor's right to each move is checked and the
 * moves recorded).  Exactly records_create when the status is initial or
 * cannot be reached from an initial state (then refused by its check).
 * One transaction; *out (may be NULL) receives the record as stored after.
 */
int workflow_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    json_t **out, struct err *e);

#endif
