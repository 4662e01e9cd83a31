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

/* keys of a proposal */
#define PK_KIND          "kind"
#define PK_TEXT          "text"
#define PK_TITLE         "title"

/* the acceptance's answer, one object per record made:
 * {"proposal", "kind", "entity", "id", "title"} */
#define ACC_KIND         "kind"
#define ACC_ENTITY       "entity"
#define ACC_TITLE        "title"

#endif
