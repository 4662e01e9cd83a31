/* clock.c - see clock.h */
#include <time.h>

#include "base/clock.h"

void
clock_today(char out[CLOCK_DATE_LEN])
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
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
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_year + 1900;
}
