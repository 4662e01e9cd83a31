/*
 * bulk.h - loading many records of one entity at once: `giapranh import`
 * (CSV, XLSX) and POST /api/v1/ENTITY/_bulk (CSV or a JSON array).
 *
 * The same rules as creating the records one by one (records_create):
 * every value validated with validate.c's rules and messages, the writer's
 * permission asked per record (actor->may_write), the workflow's rules
 * (workflow_admit: a new record in an initial state), one audit entry per
 * record with the stored record as after_json - but without a JSON object
 * per row: cells are typed straight into bound values (validate_value is
 * asked only for what the direct path does not take as it is, so a bad
 * value gets its usual message), references and catalog codes are checked
 * once per load (store_ref_cache), and rows go to store_bulk (prepared
 * INSERTs on SQLite, COPY on PostgreSQL).
 *
 * All or nothing: the load is one transaction; any bad row means nothing
 * is written (ERR_INVALID, every bad line and field in res->errors), unless
 * skip_invalid, when the good rows are written and the bad ones listed.
 */
#ifndef GIAPRANH_BULK_H
#define GIAPRANH_BULK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "domain/records.h"
#include "schema/registry.h"
#include "store/store.h"

struct bulk;

/* What a load did (giapranh import, _bulk, the CSV and XLSX readers). */
struct import_result {
	long rows;      /* data rows read                                   */
	long imported;  /* rows written                                     */
	long rejected;  /* rows with errors                                 */
	json_t *errors; /* array of {"line": N, "field": f, "message": m}   */
	bool errors_lost; /* one could not be listed (out of memory): the
	                   * load fails with ERR_NO_MEMORY (bulk_finish)    */
	/* rows written with a plausibility warning (plaus.h): NULL, or an
	 * array of {"line", "field", "rule", "message"}; the caller frees it */
	json_t *warnings;
};

/* Start a load: check the column names (errors on line 1 into res,
 * ERR_INVALID) and begin the transaction.  names may be NULL (JSON rows
 * name their fields themselves). */
struct bulk *bulk_open(struct store *s, const struct entity_def *ent,
    const char *const *names, size_t ncols, const struct actor *who,
    struct import_result *res, struct err *e);

/* One row of cells (text as read from CSV or a sheet), ncols of them, for
 * file line `line`; lens (or NULL: C strings) gives each cell's length in
 * bytes, so that a NUL inside a cell is seen, not cut at.  A cell that is
 * not text (a NUL, or not UTF-8) is an error of its field.  A bad row is
 * listed in res and counted as rejected; -1 only when the load cannot go
 * on (database failure: e says why). */
int bulk_row_cells(struct bulk *b, long line, const char *const *cells,
    const size_t *lens, size_t ncols, struct err *e);

/* One row as a JSON object (typed or text values, as the API takes them). */
int bulk_row_json(struct bulk *b, long line, const json_t *obj, struct err *e);

/* Commit (no bad row, or skip_invalid) or roll back, and free b.  0 when
 * committed; res->imported is then the number of records written. */
int bulk_finish(struct bulk *b, bool skip_invalid, struct err *e);

/* bulk_finish's checks, then roll back and free b: a preview.  The same
 * answer as bulk_finish (0, or -1 with e: bad rows without skip_invalid,
 * rows outside the writer's grants), res->imported the number of records
 * bulk_finish would have written - nothing is. */
int bulk_try(struct bulk *b, bool skip_invalid, struct err *e);

/* Roll back and free (the input turned out bad half-way). */
void bulk_abort(struct bulk *b);

/* Add {"line", "field", "message"} to res->errors (up to
 * IMPORT_ERRORS_SHOWN of them). */
void bulk_error(struct import_result *res, long line, const char *field,
    const char *msg);

#endif
