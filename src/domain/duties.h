/*
 * duties.h - reporting duties (chế độ báo cáo, as Decree 09/2019/NĐ-CP
 * defines them): which unit reports which target set to which office, how
 * often and by which day after the period; and, per unit and period,
 * whether it reported on time, late, or not at all - as the receiving
 * office sees it.
 */
#ifndef GIAPRANH_DUTIES_H
#define GIAPRANH_DUTIES_H

#include <jansson.h>

#include "base/error.h"
#include "store/store.h"

/* Periods of `year` for a frequency (monthly, quarterly, half_yearly,
 * yearly) as canonical codes: "2024-03", "2024-Q1", "2024-H1", "2024". */
json_t *duties_periods(const char *frequency, int year);

/* Status of every duty (those to recipient_org_id, or all when 0) for the
 * periods of `year` that ended by as_of (NULL = today):
 *   [ { duty_id, target_set, reporter_unit, recipient, frequency, due_day,
 *       periods: [ { period, due_on, state: "on_time"|"late"|"missing"|
 *                    "not_due", reported_on, values } ],
 *       counts: { on_time, late, missing } } ]
 * A period counts as reported when every indicator of the target set has
 * a value for the unit and period that was submitted (or approved); the
 * day of reporting is the latest of their submissions. */
json_t *duties_status(struct store *s, int64_t recipient_org_id, int year,
    const char *as_of, struct err *e);

#endif
