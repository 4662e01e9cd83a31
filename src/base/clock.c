/* clock.c - see clock.h */
#include <time.h>

#include "base/clock.h"

/* Now as Vietnam's wall clock reads it (broken down as if UTC). */
static void
now_vn(struct tm *tm)
{
	time_t t = time(NULL) + CLOCK_UTC_OFFSET_S;

	gmtime_r(&t, tm);
}

void
clock_today(char out[CLOCK_DATE_LEN])
{
	struct tm tm;

	now_vn(&tm);
	strftime(out, CLOCK_DATE_LEN, "%Y-%m-%d", &tm);
}

void
clock_timestamp(char out[CLOCK_TIMESTAMP_LEN])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
clock_year(void)
{
	struct tm tm;

	now_vn(&tm);
	return tm.tm_year + 1900;
}
