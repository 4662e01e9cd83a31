/*
 * reorg.h - a reorganisation of administrative units imported from CSV
 * (issue 18 part 4; docs/UNITS.md): the new units and the lineage rows
 * that say which old unit went into which new one (merge, split, rename),
 * from what date and on what legal basis.
 *
 * The file, one header row then one row per unit or lineage link:
 *
 *   record,code,name,type,level,parent_code,predecessor_code,kind,effective_on,legal_basis
 *   unit,99001,Xã Hợp Nhất,Xã,2,15,,,2026-03-01,Nghị quyết số 1234/NQ-UBTVQH15
 *   lineage,99001,,,,,02851,merge,2026-03-01,Nghị quyết số 1234/NQ-UBTVQH15
 *
 * record "unit" adds a unit (code, name, type, level, parent_code, in force
 * from effective_on); record "lineage" links predecessor_code (the unit of
 * that code the day before effective_on) to code (a unit of the file, or
 * one in force on effective_on) as kind merge, split or rename.  Every
 * predecessor ends the day before.  Nothing else changes: the history of
 * records kept on the old units and every roll-up follow the lineage
 * (store_unit_within), with no code change.
 *
 * The whole file is checked before anything is written; a bad file is
 * refused whole, every bad cell listed by line and column.  Then the
 * writes go through records.c (validation, the actor's right, one audit
 * entry per record) in one transaction, with one summary entry: kept when
 * applying, undone for a preview, so that the preview shows exactly what
 * applying would do.
 */
#ifndef GIAPRANH_REORG_H
#define GIAPRANH_REORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "domain/records.h"
#include "store/store.h"

/* What a file does (or would do), as JSON:
 *   {"applied": bool, "rows": N,
 *    "units":   [{"line", "code", "name", "type", "level", "parent_code",
 *                 "parent_name", "valid_from", "id"}],
 *    "ended":   [{"id", "code", "name", "valid_from", "valid_to"}],
 *    "lineage": [{"line", "predecessor_code", "predecessor_name", "code",
 *                 "successor_name", "kind", "effective_on", "legal_basis"}],
 *    "errors":  [{"line", "column", "column_label", "message"}]}
 * ids are those the records got (a preview's were undone). */
struct reorg_result {
	json_t *out;
};

/* Read, check and (apply) write the file data[0..len).  0: the file is
 * good (and applied); -1 with e set: ERR_INVALID when the file is bad
 * (res->out lists why, nothing written), ERR_FORBIDDEN when the actor
 * may not change units, else what the database said.  res->out is set
 * either way (except out of memory); the caller frees it with
 * reorg_result_free. */
int reorg_run(struct store *s, const char *data, size_t len, bool apply,
    const struct actor *who, struct reorg_result *res, struct err *e);
void reorg_result_free(struct reorg_result *res);

/* The Vietnamese label of a column of the file ("Mã đơn vị cũ"), or the
 * name itself when it is no column. */
const char *reorg_column_label(const char *column);

/* "YYYY-MM-DD" days later (negative: earlier); -1 when iso is no date. */
int reorg_add_days(const char *iso, int days, char out[11]);

#endif
