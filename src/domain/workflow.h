/*
 * workflow.h - status fields that follow allowed transitions only, on every
 * write path.
 *
 * One table (workflow.c) lists, per entity and status field: the initial
 * states a record is created in, the allowed moves (approver-only ones,
 * "back" moves that return or reopen a record, and moves only a trusted
 * write makes), and the lock state in which a record may neither change nor
 * be deleted until it is moved out of it.
 *
 * workflow_admit is the one check, called by every write: records_create,
 * records_update and records_delete (so the API, the pages, the grid, the
 * workflow buttons and ingest acceptance, which all write through them) and
 * each row of a bulk load (bulk.c: `giapranh import`, CSV/XLSX and JSON
 * `POST /api/v1/ENTITY/_bulk`).  A move not in the table is refused with a
 * Vietnamese message naming the allowed ones; every accepted move is made
 * by records_update, which keeps it in `status_change` (who, when, from,
 * to).
 *
 * Creating.  A record is created in one of its workflow's initial states;
 * any later state is reached by moves, each checked against what the actor
 * may do (approver-only moves need an approver) and recorded.  A fact that
 * happened before it was entered (an agreement signed in 2019 and in force
 * since, entered today) is entered the same way: created in an initial state
 * and moved on; the record's dates (signed_on, valid_from, ...) carry when
 * it happened, status_change when it was recorded.  workflow_create does
 * that in one call for the paths that take a record already further along
 * (ingest acceptance of a report, the grid's "save and submit").
 *
 * Initial states: agreement planned, negotiating or signed (agreements are
 * most often entered from their signed text: the signing is a fact of the
 * document, signed_on, not a step taken in this system); incident reported;
 * recommendation submitted; indicator value draft; report draft.
 *
 * History loads.  A system actor with `history` set (struct actor) may
 * create a record in any state of its workflow, as loaded: only the demo
 * loader (`init --demo`: a snapshot of years of work, approved values and
 * agreements in force, whose status history must not be stamped with the
 * loading day) and `giapranh import` at the shell (migrating past years'
 * approved figures from the spreadsheets they were kept in; whoever runs it
 * holds the database file anyway).  A signed-in user never has it: the API,
 * the pages, `_bulk`, `ingest --as` and the CLI's `ingest --accept` (which
 * creates in an initial state and moves, as a system actor that may make
 * every move) do not.  `copy-db`, `backup` and `restore` copy rows as they
 * are, status_change included, below this layer.
 *
 * Deleting.  A record in its lock state (an approved indicator value, an
 * issued report) cannot be deleted, by anyone, until it is moved out of the
 * lock (an approver reopens the value; an issued report, whose number is in
 * the register, stays).
 */
#ifndef GIAPRANH_WORKFLOW_H
#define GIAPRANH_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "schema/registry.h"

struct actor;
struct store;

/* The status field of an entity, or NULL when it has no workflow. */
const char *workflow_field(const struct entity_def *ent);

/*
 * The workflow rules of one write, for every write path.  before: the
 * record as stored (NULL for a create); after: the record as it will be
 * stored (NULL for a delete; of a create only its status is read, which
 * bulk.c relies on).  who: the writer (NULL or without may_write:
 * a system actor, which may make approvers' moves); flags: the records.h
 * R_* flags of the write (R_SYSTEM: a trusted write, which alone makes the
 * moves that need system fields).  Returns 0 when allowed, -1 with e set:
 * a field error on the status (422) for a create outside the initial
 * states or a move not in the table, ERR_FORBIDDEN for an approver's move
 * by a non-approver, ERR_CONFLICT for a change or a delete in a lock state.
 */
int workflow_admit(const struct entity_def *ent, const json_t *before,
    const json_t *after, const struct actor *who, unsigned flags,
    struct err *e);

/* Is code one of the initial states of the entity's workflow?  (true for
 * every code of an entity without workflow) */
bool workflow_initial(const struct entity_def *ent, const char *code);

/* Is the record in its workflow's lock state? */
bool workflow_locked(const struct entity_def *ent, const json_t *rec);

/* The state a record in the lock state is reopened to, or NULL when the
 * lock state is final (an issued report) or there is none. */
const char *workflow_reopen_state(const struct entity_def *ent);

/* Codes of the states reachable from `from` (JSON array of strings). */
json_t *workflow_next(const struct entity_def *ent, const char *from);

#endif
