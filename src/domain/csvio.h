/*
 * csvio.h - CSV and JSON import/export of any entity, driven by the
 * registry: the header row names fields; JSON is an array of objects keyed
 * by field name.
 */
#ifndef GIAPRANH_CSVIO_H
#define GIAPRANH_CSVIO_H

#include <stdbool.h>
#include <stdio.h>

#include "base/error.h"
#include "domain/bulk.h" /* struct import_result */
#include "domain/records.h"
#include "schema/registry.h"
#include "store/store.h"

/* Read rows from a CSV file and create one record per row, all in one
 * transaction.  Without skip_invalid, any bad row means nothing is written
 * (ERR_INVALID; every bad line and field is listed in res->errors).  With
 * skip_invalid the good rows are written and the bad ones listed.  The caller
 * frees res->errors. */
int csv_import_file(struct store *s, const struct entity_def *ent,
    const char *path, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e);

/* The same from a memory buffer (API uploads, tests). */
int csv_import_buffer(struct store *s, const struct entity_def *ent,
    const char *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e);

/* The same from the first sheet of an XLSX file (a header row of field
 * names, then one record per row). csv_import_file picks this for files
 * that are spreadsheets. */
int xlsx_import_buffer(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, bool skip_invalid, const struct actor *who,
    struct import_result *res, struct err *e);

/* How import_buffer loads a file. */
#define IMPORT_SKIP_INVALID 0x1u /* write the good rows, list the bad ones   */
#define IMPORT_DRY_RUN      0x2u /* every check, then nothing written: res
                                  * says what would be (a preview)          */

/* A CSV or XLSX file (told apart by its content: import_is_xlsx) loaded
 * as csv_import_buffer and xlsx_import_buffer do, with flags.  Line 2 of a
 * file is skipped when it is the help row of the template
 * (import_tmpl.h), as in every import. */
int import_buffer(struct store *s, const struct entity_def *ent,
    const void *data, size_t len, unsigned flags, const struct actor *who,
    struct import_result *res, struct err *e);
bool import_is_xlsx(const void *data, size_t len);

/* The rows of a CSV or XLSX file as the import reads them (row 0 the field
 * names): a JSON array of arrays of strings, for showing them. */
json_t *import_read_rows(const void *data, size_t len, struct err *e);

/* Parse CSV text into a JSON array of rows, each an array of strings. */
json_t *csv_parse_rows(const char *data, size_t len, struct err *e);

/* Read a whole file (at most max bytes) into a malloc'd NUL-terminated
 * buffer. */
char *read_file(const char *path, size_t max, size_t *len, struct err *e);

/* Write every record of an entity (all pages) to out. */
int csv_export(struct store *s, const struct entity_def *ent, FILE *out,
    struct err *e);
int json_export(struct store *s, const struct entity_def *ent, FILE *out,
    struct err *e);

/* The cell text of a record value (numbers without exponent, booleans 1/0,
 * null empty); writes into buf. */
void csv_cell(const json_t *v, char *buf, size_t len);

#endif
