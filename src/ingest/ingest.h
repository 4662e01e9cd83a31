/*
 * ingest.h - read a Vietnamese report or news article and propose records
 * (issue 9).  Rule-based and offline: gazetteers built from the database
 * (administrative units of both vintages and their lineage, catalogs,
 * foreign units, organisations, people), a lexicon of titles and bodies,
 * and the parsers of text.h for numbers, dates, periods and document
 * numbers.
 *
 * Two steps:
 *   ingest_plain_text  file bytes (.txt, .html, .docx) -> NFC UTF-8 text
 *   ingest_extract     text -> the proposal set of docs/INGEST.md (JSON)
 * Nothing here writes to the database; src/ingest/ingest_accept.c turns accepted
 * proposals into records.
 */
#ifndef GIAPRANH_INGEST_H
#define GIAPRANH_INGEST_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"

struct store;

#define INGEST_FILE_MAX  (16u << 20) /* bytes of an input file              */
#define INGEST_TEXT_MAX  (4u << 20)  /* bytes of the plain text extracted   */

/* The plain text of a file, chosen by the extension of `filename`
 * (case-insensitive): ".txt" (or none) as is, ".html"/".htm" with tags,
 * scripts and styles dropped, block elements turned into line breaks and
 * entities decoded, ".docx" the paragraphs of word/document.xml (one per
 * line).  A UTF-8 byte-order mark is dropped; line ends become "\n".  The
 * result is NFC UTF-8 in *out (malloc'd, NUL-terminated, length *outlen).
 * Errors: ERR_BAD_REQUEST for invalid UTF-8, a broken .docx or an unknown
 * extension, ERR_TOO_LARGE past INGEST_FILE_MAX / INGEST_TEXT_MAX. */
int ingest_plain_text(const char *filename, const unsigned char *data,
    size_t len, char **out, size_t *outlen, struct err *e);

struct ingest_gazetteer;

struct ingest_options {
	const char *source_name;      /* file name shown in "source" (may be NULL) */
	const char *publication_date; /* ISO "YYYY-MM-DD" or NULL: then the text's
	                               * own dateline is used when it has one    */
	const char *now;              /* ISO date, the fallback reference for day
	                               * and month without a year (NULL: today)   */
	/* names read once by ingest_gazetteer_load, for a caller that reads
	 * many texts against one database (NULL: read from st for this text) */
	const struct ingest_gazetteer *gazetteer;
};

/* What ingest_extract matches names against - the administrative units of
 * both vintages and their lineage, people and their positions,
 * organisations, foreign units - read from st once (about 13,000 units:
 * most of the time of reading a short text).  Valid while those tables do
 * not change; read-only, so one may serve several texts in turn.  NULL
 * with *e set (ERR_DB, ERR_NO_MEMORY) on failure. */
struct ingest_gazetteer *ingest_gazetteer_load(struct store *st, struct err *e);
void ingest_gazetteer_free(struct ingest_gazetteer *g);

/* The proposal set of `text` (NFC UTF-8, as ingest_plain_text gives it) in
 * *out (a new reference), shaped as docs/INGEST.md describes.  `st` may be
 * NULL: then nothing is matched to existing records (units keep code null,
 * people person_id null) but everything else is extracted.  Spans are byte
 * offsets into `text`.  ERR_BAD_REQUEST for invalid UTF-8 or an empty text,
 * ERR_TOO_LARGE past INGEST_TEXT_MAX, ERR_DB when a gazetteer could not be
 * read. */
int ingest_extract(struct store *st, const char *text, size_t len,
    const struct ingest_options *opt, json_t **out, struct err *e);

#endif
