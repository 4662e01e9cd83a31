/*
 * import_tmpl.h - the files an office fills to import records of one kind
 * (the page /import, issue 17): row 1 names the fields (what the import
 * reads, csvio.h), row 2 gives each column's Vietnamese label and what to
 * write in it ("Ngày họp (bắt buộc; ngày dd/mm/yyyy)").  As XLSX, the
 * columns whose values come from a list (catalogs, fixed choices, yes/no)
 * get a drop-down (data validation) over a second sheet, "Danh mục", that
 * lists each code beside its label, and every cell is text, so that a date
 * or a code like "084" stays as typed.  As CSV, the same two rows.
 *
 * The help row comes back with the filled file: an import skips line 2 when
 * it is that row unchanged (import_tmpl_help_row), so a filled template
 * imports as it is.
 */
#ifndef GIAPRANH_IMPORT_TMPL_H
#define GIAPRANH_IMPORT_TMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"
#include "schema/registry.h"
#include "store/store.h"

/* Whether records of ent can be imported at all: written by users (not
 * E_READONLY) and no required field is one only the system writes (a file's
 * hash, a password). */
bool import_tmpl_importable(const struct entity_def *ent);

/* Whether field f is a column of the template (not one the system writes). */
bool import_tmpl_column(const struct field_def *f);

/* The help text of a column (row 2): its label, whether it is required and
 * what to write.  Depends on the registry only, so that the import can
 * recognise the row. */
void import_tmpl_help(const struct field_def *f, char *out, size_t len);

/* The values of a list column as [[code, label], ...] - a catalog's active
 * items in their order, an enum's choices (a workflow's initial states
 * only: a new record starts there), yes/no; an empty array for a column
 * without a list.  NULL with e set when the catalog could not be read. */
json_t *import_tmpl_choices(struct store *s, const struct entity_def *ent,
    const struct field_def *f, struct err *e);

/* Line 2 of a file whose line 1 is `names`: true when it is the template's
 * help row unchanged - every cell empty or the help text of its column's
 * field, one at least not empty.  lens: each cell's length (NULL: C
 * strings). */
bool import_tmpl_help_row(const struct entity_def *ent,
    const char *const *names, const char *const *cells, const size_t *lens,
    size_t ncols);

/* The template as CSV (UTF-8 with the byte order mark spreadsheets look
 * for) appended to out. */
void import_tmpl_csv(const struct entity_def *ent, struct buf *out);

/* The template as an XLSX workbook appended to out. */
int import_tmpl_xlsx(struct store *s, const struct entity_def *ent,
    struct buf *out, struct err *e);

#endif
