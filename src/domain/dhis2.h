/*
 * dhis2.h - indicator values exchanged with aggregate-data systems in
 * their own forms: DHIS2 dataValueSets as JSON and CSV, and IHE ADX
 * (docs/EXCHANGE.md; every name and rule from docs/exchange-standards.md,
 * the names in dhis2_keys.h).
 *
 * A DHIS2 data set is a target set, a data element an indicator's actual
 * or target figure, an org unit a unit: exchange_code rows name them by
 * the other system's UID and code (schema/entities.txt).  Periods are
 * this system's canonical periods written in DHIS2's notation (2023,
 * 2023S1, 2023Q4, 202312) or ADX's (2023-10-01/P3M).
 *
 * Two halves: the formats (parse, write, periods, numbers: pure, no
 * database) and the exchange (dhis2_export, dhis2_import: the store, the
 * codes, the write path of records.h).
 */
#ifndef GIAPRANH_DHIS2_H
#define GIAPRANH_DHIS2_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"
#include "domain/actor.h"
#include "domain/auth.h"
#include "store/store.h"

enum dhis2_format { DHIS2_JSON, DHIS2_CSV, DHIS2_ADX };

/* "dhis2-json", "dhis2-csv", "adx" (the CLI's --format): 0, or -1. */
int dhis2_format_by_name(const char *name, enum dhis2_format *out);

/* ---- periods (§1.5, §2.4) ------------------------------------------------ */

#define DHIS2_PERIOD_MAX 32 /* bytes of a period id or an ADX period */
#define DHIS2_WHY_MAX    200

/* A DHIS2 period id as this system's canonical period: "2023" -> "2023",
 * "2023S1" -> "2023-H1", "2023Q4" -> "2023-Q4", "202312" -> "2023-12".
 * 0; 1 when it is a DHIS2 period that has no counterpart here (a week, a
 * day, two months, a financial year...: why says which); -1 when it is no
 * DHIS2 period (why says so).  why may be NULL. */
int dhis2_period_in(const char *pe, char *canon, size_t len, char *why,
    size_t whylen);

/* A canonical period as a DHIS2 id; -1 for those DHIS2 has none for
 * ("2024-9M", "2020-2025"). */
int dhis2_period_out(const char *canon, char *pe, size_t len);

/* An ADX period "start/duration" as a DHIS2 id of the four kinds above:
 * 0; 1 for a period DHIS2 reads that has no counterpart here (P7D,
 * P1Y from April...); -1 when it is no ADX period, or its start is not
 * the first day of its period ("2023-11-15/P3M": DHIS2 would quietly
 * read the quarter that holds it; this system refuses it). */
int adx_period_in(const char *adx, char *pe, size_t len, char *why,
    size_t whylen);

/* A DHIS2 id of the four kinds as an ADX period ("2023Q4" ->
 * "2023-10-01/P3M"); -1 otherwise. */
int adx_period_out(const char *pe, char *adx, size_t len);

/* ---- values as exchanged ---------------------------------------------------- */

/* A data value set in this module is a JSON array of value objects keyed
 * by DHIS2's names: DK_DATA_ELEMENT, DK_PERIOD, DK_ORG_UNIT (strings; a
 * parsed value has them all, the set's defaults copied in) and, when
 * given, DK_COC, DK_AOC, DK_VALUE, DK_COMMENT, DK_DELETED (true),
 * DK_DATA_SET, DK_COMPLETE_DATE.  A parsed value also has DK_X_INDEX
 * (its position, from 0) and DK_X_LINE (its line in a CSV or ADX input,
 * else 0), and DK_X_PROBLEM / DK_X_PROPERTY when parsing found it
 * unusable but the input well formed (an ADX period or disaggregation
 * this system has no counterpart of): a conflict of that value. */
struct dhis2_input {
	json_t *values;
	/* what the payload says of its import (JSON's dryRun, strategy, id
	 * schemes; ADX root attributes): they win over the query's */
	json_t *options;
};

/* Read a data value set.  CSV columns are read by position, the first row
 * being a header unless first_row_is_header is false (§1.4).  Malformed
 * input (not JSON, XML or CSV; a field of the wrong type; a value
 * without its data element, period or org unit; a misaligned ADX
 * period) is ERR_BAD_REQUEST with a message naming the line or the value
 * and the field; nothing is kept.  Free with dhis2_input_free. */
int dhis2_parse(enum dhis2_format f, const char *data, size_t len,
    bool first_row_is_header, struct dhis2_input *in, struct err *e);
void dhis2_input_free(struct dhis2_input *in);

/* Write a data value set (the array above) to out.  JSON writes
 * dataSet, completeDate, period and orgUnit once, on the set, when every
 * value has the same (then not on the values); CSV the eleven columns of
 * DHIS2's writer, every field quoted; ADX one group per data set, org
 * unit, period and completeDate, in the order of the values, with
 * `exported` (an ISO timestamp, required by the schema) on the root.
 * 0, or -1 with e (out of memory). */
int dhis2_write(enum dhis2_format f, const json_t *values, const char *exported,
    struct buf *out, struct err *e);

/* A number as exchanged: "12", "12.5", "0.00015", never an exponent (an
 * ADX value is an xs:decimal).  Needs DHIS2_NUMBER_MAX bytes. */
#define DHIS2_NUMBER_MAX 400
void dhis2_number(double v, char *buf, size_t len);

/* ---- the exchange ------------------------------------------------------------- */

/* GET /api/v1/dataValueSets: one data set, one period, one org unit (and
 * its descendants with children). */
struct dhis2_query {
	enum dhis2_format format;   /* the default id scheme: code for ADX  */
	const char *data_set;       /* UID or code of an exchange code      */
	const char *period;         /* a DHIS2 period id                    */
	const char *org_unit;       /* UID or code, or a unit's own code    */
	bool children;
	/* output id schemes (NULL: idScheme, else the format's default) */
	const char *id_scheme, *data_element_id_scheme, *org_unit_id_scheme,
	    *data_set_id_scheme;
};

/* The values of the query that u may read (NULL: a system reader, every
 * one), as a data value set for dhis2_write: ordered by org unit (as
 * written) and then by the data elements' exchange codes (their id).
 * Only indicators with an exchange code of the target set are exchanged;
 * an identifier missing in the scheme asked for is given in the other.
 * NULL with e: ERR_BAD_REQUEST (an argument missing or not a period),
 * ERR_NOT_FOUND (no such data set or org unit), the store's. */
json_t *dhis2_export(struct store *s, const struct user *u,
    const struct dhis2_query *q, struct err *e);

/* POST /api/v1/dataValueSets */
struct dhis2_import_opts {
	enum dhis2_format format;
	const char *data_set;       /* the query's (CSV carries none)         */
	const char *id_scheme, *data_element_id_scheme, *org_unit_id_scheme,
	    *data_set_id_scheme;
	bool dry_run;
	const char *strategy;       /* NULL: CREATE_AND_UPDATE                */
	bool first_row_is_header;   /* CSV                                    */
};

/* Import a data value set through the one write path (records.h): every
 * value created, updated or deleted by records_create/update/delete as
 * the actor, so validated, authorised (an editor writes only the units of
 * their grants), and held by the workflow (an approved value is locked);
 * a value refused is a conflict of the summary and written not at all.
 * One transaction, each value a savepoint of its own; dry_run undoes it
 * all and answers the same summary.  The import summary (§1.9, 2.37 and
 * earlier, at the root): status, description, importCount, conflicts
 * ({object, property, value, indexes}), rejectedIndexes, dataSetComplete.
 * NULL with e: ERR_FORBIDDEN when the actor may not write values at all,
 * ERR_BAD_REQUEST for malformed input or options, the store's errors. */
json_t *dhis2_import(struct store *s, const char *data, size_t len,
    const struct dhis2_import_opts *o, const struct actor *who,
    struct err *e);

#endif
