/*
 * clock.h - the dates the system stamps: today's local date for business
 * dates (a task done "today" in a district office) and UTC timestamps for
 * bookkeeping (created_at, the audit log).  One place, so tests and every
 * module agree on the format.
 */
#ifndef GIAPRANH_CLOCK_H
#define GIAPRANH_CLOCK_H

#define CLOCK_DATE_LEN      11 /* "YYYY-MM-DD" + NUL           */
#define CLOCK_TIMESTAMP_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Today's local date, "YYYY-MM-DD". */
void clock_today(char out[CLOCK_DATE_LEN]);
/* Now in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
void clock_timestamp(char out[CLOCK_TIMESTAMP_LEN]);
/* The current local year. */
int clock_year(void);

#endif
