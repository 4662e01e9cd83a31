/*
 * actor.h - who writes (struct actor) and how (the R_* flags of a write):
 * what the write path (records.h) and its checks below it (workflow.h)
 * both need; records.h includes this header.
 */
#ifndef GIAPRANH_ACTOR_H
#define GIAPRANH_ACTOR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "schema/registry.h"

struct store;

/* Who is writing: a signed-in user, or a named system actor ("cli",
 * "import", "demo").  Goes to the audit log. */
struct actor {
	int64_t user_id; /* 0 for system actors */
	const char *name;
	/* Asked first with rec NULL - may the actor write records of ent at
	 * all - before the input is judged; then inside the write's
	 * transaction with the exact record (as stored before an update or
	 * delete, as it will be stored after a create or update).  NULL =
	 * system actor, everything allowed. */
	bool (*may_write)(const struct actor *who, struct store *s,
	    const struct entity_def *ent, const json_t *rec, struct err *e);
	const void *ctx; /* for may_write: the signed-in user */
	bool approver;   /* may make approvers' workflow moves (workflow.h) */
	/* Sees confidential records.  Without it (and with may_write), a
	 * reference to a record hidden from the actor is judged as one to a
	 * record that does not exist: same status, same message. */
	bool clearance;
	/* A system actor loading history as it is: may create records in any
	 * workflow state (workflow.h says who and why); ignored for users. */
	bool history;
};

#define R_SYSTEM   0x01u /* trusted: may set F_SYSTEM fields (V_SYSTEM)    */
#define R_NO_AUDIT 0x02u /* shipped reference data only (admin units)      */

#endif
