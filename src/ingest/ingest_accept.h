/*
 * ingest_accept.h - what happens after extraction (issue 9): a report's
 * proposal set (docs/INGEST.md) is kept as a pending batch beside the text,
 * and the proposals an official accepts - as proposed or edited - become
 * records.
 *
 * Everything accepted is written in ONE transaction through records_create
 * (validation, the acting user's grants, audit), each proposal in a
 * savepoint of its own (issue 15): a proposal the records refuse is rolled
 * back alone - nothing of it half-written - and reported ("failed": which,
 * why, in Vietnamese; its decision "not_written" with the reason), and the
 * others are written.  What cannot be resolved is filled in and marked for
 * the official ("notes"): a document kind outside the catalog -> "Khác"
 * keeping the written word, no date -> the publication (else reference)
 * date, no place -> the text's place, else the figure kept in its event's
 * note.  Only the database, the disk, memory or a right the acting user
 * lacks stop the whole batch (it stays pending).  Nothing is written for a
 * rejected proposal.
 *
 * Mapping (proposal kind -> records):
 *   event          meeting (kind by event_type), or supervision + its
 *                  session meeting, or activity (patrol, propaganda,
 *                  exchange); date, place, unit; note "Nguồn: …"
 *   person         person (an existing one reused) + meeting_participant
 *                  with the role and the title as written
 *   organisation   organisation (an existing one, by id or by name, reused)
 *   unit           no record: the unit is referenced by the records above
 *   legal_ref      document (kind, number, date), related to the source
 *   figure         by proposed_as: activity + activity_quantity,
 *                  indicator_value (target set, group, indicator), or
 *                  agreement progress (program with its plan, and the
 *                  signed agreements the text counts); at a supervision
 *                  also a supervision_finding; "N/M nhóm mục tiêu đạt từ
 *                  X%" sets the target groups' bands
 *   commendation   one commendation per collective and per individual
 *   recommendation recommendation (from, to, at the meeting/supervision)
 *   task           task (assignee, deadline, from the meeting)
 * Records that stand for items a report only counts (the 33 signed twinning
 * agreements, the 22 target groups, the 9 commendations) are created as
 * placeholders: `illustrative` set and named "(báo cáo chỉ nêu tổng số)".
 */
#ifndef GIAPRANH_INGEST_ACCEPT_H
#define GIAPRANH_INGEST_ACCEPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/records.h"
#include "store/store.h"

#define INGEST_PLACEHOLDERS_MAX 1000 /* records one counted figure may stand for */
#define INGEST_DOC_TEXT_MAX (4u << 20) /* bytes of a kept text read back (INGEST_TEXT_MAX) */

/*
 * Keep a read report: the plain text as a text attachment (and the original
 * file as a second one when it was .docx/.html), a document record of kind
 * "Báo cáo" pointing at it, and the proposal set as a pending ingest_batch.
 * `original` may be NULL (pasted text).  Files go to attach_dir().  One
 * transaction; *batch_id and *document_id receive the new ids (either may
 * be NULL).
 */
int ingest_batch_save(struct store *s, const char *source_name,
    const unsigned char *original, size_t original_len, const char *text,
    size_t text_len, json_t *set, const struct actor *who,
    int64_t *batch_id, int64_t *document_id, struct err *e);

/*
 * Page chrome: a news page lists other articles under a heading of its own
 * ("Cùng chuyên mục", "Tin liên quan", "Bài viết khác"…).  The byte offset
 * of the first such heading line in text (len when none).  Proposals from
 * there on are not the report: ingest_mark_page_chrome (called by
 * ingest_batch_save, so the kept set has the marks) sets their "preselect"
 * false and "page_chrome" true and lowers their confidence; "accept all"
 * (the page's button, `--accept all`) means every pre-selected proposal.
 */
size_t ingest_chrome_start(const char *text, size_t len);
void ingest_mark_page_chrome(json_t *set, const char *text, size_t len);
bool ingest_preselected(const json_t *proposal);

/*
 * Decide on a pending batch and write the accepted proposals.
 * decisions: object proposal_id -> {"decision": "accept"|"reject",
 * "edit": {field: value, …}} (edit optional; fields as in docs/INGEST.md,
 * strings are read as numbers or dates where the field wants one).
 * A proposal missing from decisions is rejected.  Returns in *result
 *   { "batch_id", "document_id", "accepted", "rejected", "not_written",
 *     "created": [ {"proposal", "kind", "entity", "id", "title"} ],
 *     "failed": [ {"proposal", "kind", "field", "reason"} ],
 *     "notes": [ {"proposal", "kind", "note"} ],
 *     "scopes": [ "program:1", "supervision:2", "target_set:3",
 *                 "unit:084", … ] }   (review report scopes of the records)
 * ERR_CONFLICT when the batch was already decided.
 */
int ingest_batch_accept(struct store *s, int64_t batch_id,
    const json_t *decisions, const struct actor *who, json_t **result,
    struct err *e);

/* The same on a proposal set not kept as a batch (tests); document_id 0 =
 * no source document.  Writes the records in one transaction. */
int ingest_accept_set(struct store *s, const json_t *set,
    const json_t *decisions, int64_t document_id, const struct actor *who,
    json_t **result, struct err *e);

/* Decisions accepting every pre-selected proposal of a set ("all"), none
 * ("none"), or those whose ids are in the comma-separated list `ids`. */
json_t *ingest_decisions_from_list(const json_t *set, const char *ids);

/* The plain text kept as a source document's attachment (malloc'd,
 * NUL-terminated, at most INGEST_DOC_TEXT_MAX bytes), or NULL. */
char *ingest_document_text(struct store *s, int64_t document_id, size_t *len);

/* A readable Vietnamese list of the proposals (the CLI's --format text). */
char *ingest_proposals_text(const json_t *set);

/* Vietnamese name of a proposal kind ("event" -> "Sự kiện, hội nghị"). */
const char *ingest_kind_label(const char *kind);

#endif
