/*
 * ingest_keys.h - the words of the reader's proposal set that share their
 * spelling with a field or an entity of schema/entities.txt.
 *
 * The proposal set (docs/INGEST.md, "The proposal set (JSON)") is the
 * reader's own format: the command line prints it, the ingest page and
 * the batch keep it, the tests and the evaluation read it.  Its keys and
 * kinds are not fields: a proposal's "title" is what the text calls an
 * event, its kind "person" a name the text gives, whatever a record's
 * fields are called; renaming a field must not change this format.  So
 * they are spelt once, here, and tools/count-literals.py knows this file
 * as an edge.  Only words that are also field or entity names need to be
 * here; the others stay literals where they are used.
 */
#ifndef GIAPRANH_INGEST_KEYS_H
#define GIAPRANH_INGEST_KEYS_H

/* the set */
#define PSET_PROPOSALS   "proposals"

/* its "source" */
#define PSRC_TITLE       "title"
#define PSRC_NAME        "name"

/* its "source" */
#define PSRC_SHA256      "sha256"
#define PSRC_PUBLICATION_DATE "publication_date"
#define PSRC_REFERENCE_DATE "reference_date" /* when no publication date */
#define PDS_TEXT         "text"   /* its publication_date_source: the text's */

/* keys of a proposal (of every kind: a "person"'s "name", a "figure"'s
 * "value"; "number" of a legal_ref and of its "number_parsed") */
#define PK_KIND          "kind"
#define PK_TEXT          "text"
#define PK_TITLE         "title"
#define PK_NAME          "name"
#define PK_ROLE          "role"
#define PK_CODE          "code"
#define PK_LEVEL         "level"
#define PK_COUNTRY       "country"
#define PK_NUMBER        "number"
#define PK_VALUE         "value"
#define PK_QUALIFIER     "qualifier"
#define PK_PERIOD        "period"
#define PK_FORM          "form"
#define PK_CONTENT       "content"
#define PK_PERSON_ID     "person_id"
#define PK_ORGANISATION_ID "organisation_id"
#define PK_FOREIGN_UNIT_ID "foreign_unit_id"

/* a legal_ref's "number_parsed" (doc_number_parse) */
#define NP_NUMBER        "number"
#define NP_KIND          "kind"
#define NP_SYMBOL        "symbol"

/* the kinds of proposal spelt like an entity */
#define PKIND_PERSON         "person"
#define PKIND_ORGANISATION   "organisation"
#define PKIND_FOREIGN_UNIT   "foreign_unit"
#define PKIND_COMMENDATION   "commendation"
#define PKIND_RECOMMENDATION "recommendation"
#define PKIND_TASK           "task"

/* values: an event's "event_type", a date's "granularity", a figure's
 * "proposed_as", a unit's or foreign unit's "level" */
#define PEV_MEETING          "meeting"
#define PEV_SUPERVISION      "supervision"
#define PGRAN_PERIOD         "period"
#define PGRAN_PARTIAL        "partial"
#define PAS_ACTIVITY_QUANTITY "activity_quantity"
#define PAS_INDICATOR_VALUE  "indicator_value"
#define PLEVEL_VILLAGE       "village"

/* the acceptance's answer, one object per record made:
 * {"proposal", "kind", "entity", "id", "title"} */
#define ACC_KIND         "kind"
#define ACC_ENTITY       "entity"
#define ACC_TITLE        "title"
/* and its totals, which `ingest --accept` prints and the ingest page reads:
 * {"batch_id", "document_id", "accepted", "rejected", "created", "scopes"} */
#define ACC_BATCH_ID     "batch_id"
#define ACC_DOCUMENT_ID  "document_id"
/* issue 15: what was not written and why, and what was filled in:
 * "failed": [{"proposal", "kind", "field", "reason"}],
 * "notes": [{"proposal", "kind", "note"}] */
#define ACC_REASON       "reason"
#define ACC_NOTE         "note"

/* the decisions it is given (the ingest page's and the command line's):
 * {"p1": "accept"} or {"p1": {"decision", "edit"}} */
#define DEC_DECISION     "decision"

#endif
