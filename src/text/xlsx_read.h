/*
 * xlsx_read.h - read the first worksheet of an XLSX file into rows of
 * strings, so a spreadsheet imports through the same path as a CSV file.
 * Only what imports need: shared and inline strings, numbers as written,
 * booleans; formulas give their cached value.  Dates stored as serial
 * numbers are returned as ISO dates when the cell's style is a date format.
 */
#ifndef GIAPRANH_XLSX_READ_H
#define GIAPRANH_XLSX_READ_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"

/* JSON array of rows, each a JSON array of strings (empty cells ""); NULL
 * with ERR_BAD_REQUEST when the bytes are not a readable XLSX file, or
 * ERR_TOO_LARGE when a cell is longer than IMPORT_FIELD_MAX.  The strings
 * hold the bytes of the sheet as they are (made with json_stringn_nocheck:
 * a NUL, or bytes that are not UTF-8, are seen and refused by the import,
 * which names the cell; use json_string_length, not strlen). */
json_t *xlsx_read_rows(const void *data, size_t len, struct err *e);

#endif
