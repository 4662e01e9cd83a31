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

/* The users' time: Vietnam's, the zone Asia/Ho_Chi_Minh - UTC+07:00 all
 * year (no daylight saving time since 1975), so a fixed offset is exact
 * and needs no time zone database (nor the server's TZ).  Stored
 * timestamps stay UTC; business dates and times shown are in this zone
 * (text.h: vi_time_local). */
#define CLOCK_TIME_ZONE "Asia/Ho_Chi_Minh"
#define CLOCK_UTC_OFFSET_S (7 * 60 * 60)

/* Today's date in Vietnam (CLOCK_TIME_ZONE), "YYYY-MM-DD": a report issued
 * at 06:00 in Hà Nội is dated that day, whatever the server's clock zone. */
void clock_today(char out[CLOCK_DATE_LEN]);
/* Now in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
void clock_timestamp(char out[CLOCK_TIMESTAMP_LEN]);
/* The current year in Vietnam. */
int clock_year(void);

#endif
