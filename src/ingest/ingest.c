/*
 * ingest.c - the proposal set of a report (docs/INGEST.md): the driver,
 * and the rules for dates, legal references and events.  The other rules
 * are in ingest_rules.c; proposals and spans, which every rule makes, in
 * ingest_prop.c; tokens, lexicons and gazetteers in ingest_lex.c.
 *
 * Every rule reads tokens, never raw bytes, and compares folded forms, so
 * it holds for any spelling of the same words (Uỷ/Ủy, upper case titles).
 * Values are parsed by src/text/text.c (vi_parse_date, vi_parse_period,
 * vi_parse_quantity, doc_number_parse): one grammar for the whole project.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "ingest/ingest.h"
#include "ingest/ingest_int.h"
#include "ingest/ingest_keys.h"
#include "text/text.h"

/* ---- dates -------------------------------------------------------------------- */

static bool
is_num(const struct doc *d, size_t i, size_t mind, size_t maxd)
{
	size_t n;

	if (i >= d->nt || d->t[i].type != TK_NUM)
		return false;
	n = d->t[i].e - d->t[i].b;
	return n >= mind && n <= maxd;
}

static int
num_val(const struct doc *d, size_t i)
{
	return atoi(d->t[i].f);
}

static bool
is_year(const struct doc *d, size_t i)
{
	int y;

	if (!is_num(d, i, 4, 4))
		return false;
	y = num_val(d, i);
	return y >= 1900 && y <= 2100;
}

/* token i directly follows i-1 (no space) */
static bool
glued(const struct doc *d, size_t i)
{
	return i < d->nt && !d->t[i].sp;
}

static bool
is_dash(const struct doc *d, size_t i)
{
	return i < d->nt && d->t[i].type == TK_PUNCT && strcmp(d->t[i].f, "-") == 0;
}

static bool
is_punct(const struct doc *d, size_t i, const char *p)
{
	return i < d->nt && d->t[i].type == TK_PUNCT && strcmp(d->t[i].f, p) == 0;
}

/* A hyphen or an apostrophe inside a word ("Sê-Kông"). */
static bool
inner_joint_tok(const struct doc *d, size_t q)
{
	if (q == 0 || q + 1 >= d->nt || d->t[q].type != TK_PUNCT || d->t[q].sp ||
	    d->t[q + 1].sp || d->t[q - 1].type != TK_WORD || d->t[q + 1].type != TK_WORD)
		return false;
	return strcmp(d->t[q].f, "-") == 0 || strcmp(d->t[q].f, "'") == 0;
}

static void
iso_of(int y, int m, int dd, char out[11])
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, dd % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

static int
last_day(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[(m - 1) % 12];
}

/* Day and month without a year: the most recent such date not after the
 * reference date. */
static void
resolve_day(const struct ctx *c, int m, int dd, char out[11])
{
	int y = atoi(c->ref_date);
	char cand[11];

	iso_of(y, m, dd, cand);
	if (c->ref_after) {
		/* a text without a date: the first such day on or after the
		 * latest date it names, unless that is still to come */
		if (strcmp(cand, c->ref_date) < 0)
			y++;
		iso_of(y, m, dd, cand);
		if (strcmp(cand, c->ref_now) > 0)
			y--;
	} else if (strcmp(cand, c->ref_date) > 0)
		y--;
	if (m == 2 && dd == 29 && last_day(y, 2) != 29)
		y -= (y % 4); /* the leap year before: rare enough */
	iso_of(y, m, dd, out);
}

/* Time-of-day and "ngày" words that may open a date: "Chiều ngày 8/5". */
static size_t
date_prefix(const struct doc *d, size_t i, bool *has_ngay)
{
	static const char *const tod[] = { "sang", "chieu", "toi", "trua",
		"dem", "vao", "hom", "ngay", "nay", NULL };
	size_t p = i;

	*has_ngay = false;
	while (p < d->nt && p - i < 4) {
		size_t k;
		bool hit = false;
		for (k = 0; tod[k] != NULL; k++) {
			if (tok_is(d, p, tod[k])) {
				hit = true;
				break;
			}
		}
		if (!hit)
			break;
		/* "nay" only after a time of day: "chiều nay 29/6", "hôm nay" */
		if (tok_is(d, p, "nay") && p == i)
			return 0;
		/* "tối" is also "tối đa", "vào" also "vào cuộc": only
		 * before a number or "ngày" */
		if (!is_num(d, p + 1, 1, 2) && !tok_is(d, p + 1, "ngay") &&
		    !tok_is(d, p + 1, "chieu") && !tok_is(d, p + 1, "sang") &&
		    !tok_is(d, p + 1, "nay"))
			return 0;
		p++;
	}
	*has_ngay = p > i;
	return p - i;
}

/* Parse a period with text.c from the text of tokens [tb, te). */
static bool
period_of(const struct ctx *c, size_t tb, size_t te, struct found_date *out)
{
	struct vi_period pr;
	char *s = tok_dup(c, tb, te);
	bool ok = s != NULL && vi_parse_period(s, &pr) == 0;

	free(s);
	if (!ok)
		return false;
	memcpy(out->start, pr.start, 11);
	memcpy(out->end, pr.end, 11);
	out->gran = pr.kind == VI_PERIOD_YEAR ? "year" :
	    pr.kind == VI_PERIOD_MONTH ? "month" :
	    pr.kind == VI_PERIOD_QUARTER ? "quarter" : PGRAN_PERIOD;
	return true;
}

/* "D sep M [sep YYYY]" or "D tháng M [năm YYYY]" at p (a day date
 * without its "ngày"): day, month, year (0 when absent) and the end. */
static size_t
bare_day(const struct doc *d, size_t p, int *dd, int *m, int *y)
{
	size_t q;

	*y = 0;
	if (is_num(d, p, 1, 2) && (is_punct(d, p + 1, "/") || is_punct(d, p + 1, ".") ||
	    is_dash(d, p + 1)) && glued(d, p + 1) && glued(d, p + 2) &&
	    is_num(d, p + 2, 1, 2)) {
		const char *sep = d->t[p + 1].f;
		*dd = num_val(d, p);
		*m = num_val(d, p + 2);
		q = p + 3;
		if (is_punct(d, q, sep) && glued(d, q) && glued(d, q + 1) && is_year(d, q + 1)) {
			*y = num_val(d, q + 1);
			q += 2;
		}
	} else if (is_num(d, p, 1, 2) && tok_is(d, p + 1, "thang") && is_num(d, p + 2, 1, 2)) {
		*dd = num_val(d, p);
		*m = num_val(d, p + 2);
		q = p + 3;
		if (tok_is(d, q, "nam") && is_year(d, q + 1)) {
			*y = num_val(d, q + 1);
			q += 2;
		}
	} else {
		return p;
	}
	if (*m < 1 || *m > 12 || *dd < 1 || *dd > 31)
		return p;
	return q;
}

/* "từ [ngày] D[/M[/Y]] đến [ngày] D/M[/Y]" at i ("từ"): one period of
 * days; what the first date leaves out the second gives. */
static size_t
day_range(struct ctx *c, size_t i, struct found_date *out)
{
	const struct doc *d = &c->d;
	size_t p = i + 1, q, r;
	int d1, m1 = 0, y1 = 0, d2, m2, y2;
	char a[11], b[11];

	if (tok_is(d, p, "ngay"))
		p++;
	q = bare_day(d, p, &d1, &m1, &y1);
	if (q == p) {
		/* "từ ngày 18 đến 20/3": the day alone; "(từ 5 đến 6/10)" in
		 * brackets */
		if (!(tok_is(d, i + 1, "ngay") || (i > 0 && is_punct(d, i - 1, "("))) ||
		    !is_num(d, p, 1, 2))
			return 0;
		d1 = num_val(d, p);
		m1 = 0;
		q = p + 1;
	}
	/* "từ ngày 18 đến 20/3", "từ ngày 6 - 9/6", "Từ ngày 29-31/8/2023" */
	if (!tok_is(d, q, "den") && !is_dash(d, q))
		return 0;
	q++;
	if (tok_is(d, q, "ngay"))
		q++;
	r = bare_day(d, q, &d2, &m2, &y2);
	if (r == q)
		return 0;
	if (m1 == 0)
		m1 = m2;
	if (y2 == 0) {
		if (c->ref_date[0] == '\0')
			return 0;
		resolve_day(c, m2, d2, b);
		y2 = atoi(b);
		out->no_year = true;
	}
	if (y1 == 0)
		y1 = m1 > m2 ? y2 - 1 : y2;
	if (d1 > last_day(y1, m1))
		return 0;
	iso_of(y1, m1, d1, a);
	iso_of(y2, m2, d2, b);
	if (strcmp(a, b) > 0)
		return 0;
	memcpy(out->start, a, 11);
	memcpy(out->end, b, 11);
	out->gran = "range";
	out->days = true;
	out->te = r;
	return r - i;
}

/* Resolve day d, month m of year y (0: none written) into out. */
static bool
day_iso(const struct ctx *c, int y, int m, int dd, char out[11])
{
	if (m < 1 || m > 12 || dd < 1)
		return false;
	if (y == 0) {
		if (c->ref_date[0] == '\0')
			return false;
		resolve_day(c, m, dd, out);
		y = atoi(out);
	}
	if (dd > last_day(y, m))
		return false;
	iso_of(y, m, dd, out);
	return true;
}

/* A span of days at p written with a dash and no "từ": "(20 - 22/2)",
 * "ngày 20-22/2/2023".  Its end, or p. */
static size_t
dash_days(struct ctx *c, size_t p, struct found_date *out)
{
	const struct doc *d = &c->d;
	int d1, d2, m2, y2;
	size_t q;
	char a[11], b[11];

	/* the days joined by a dash, "và" or a comma: "20 - 22/2", "14 và
	 * 15/3", "20, 21/11" */
	if (!is_num(d, p, 1, 2) || !(is_dash(d, p + 1) || tok_is(d, p + 1, "va") ||
	    is_punct(d, p + 1, ",")))
		return p;
	q = bare_day(d, p + 2, &d2, &m2, &y2);
	if (q == p + 2)
		return p;
	d1 = num_val(d, p);
	if (d1 < 1 || d1 >= d2 || !day_iso(c, y2, m2, d2, b))
		return p;
	iso_of(atoi(b), m2, d1, a);
	out->no_year = y2 == 0;
	memcpy(out->start, a, 11);
	memcpy(out->end, b, 11);
	out->gran = "range";
	out->days = true;
	out->te = q;
	return q;
}

/* A date expression at token i: tokens used, 0 for none.  resolve is false
 * during the first look for a dateline (day and month are then left
 * unresolved: start "" ). */
static size_t
scan_date(struct ctx *c, size_t i, struct found_date *out)
{
	const struct doc *d = &c->d;
	bool ngay;
	size_t p, q, n;

	memset(out, 0, sizeof *out);
	out->tb = i;
	if (i > 0 && glued(d, i) && (d->t[i - 1].type == TK_NUM ||
	    is_punct(d, i - 1, "/") || d->t[i - 1].type == TK_WORD))
		return 0; /* inside a code: "49/2015/QĐ", "IMG_8684" */

	/* "cuối tháng 2/2025", "đầu năm 2024": a vague part of a month or a
	 * year, proposed as the whole of it */
	if ((tok_is(d, i, "dau") || tok_is(d, i, "giua") || tok_is(d, i, "cuoi")) &&
	    (tok_is(d, i + 1, "thang") || tok_is(d, i + 1, "nam")) &&
	    !(i > 0 && (tok_is(d, i - 1, "tu") || tok_is(d, i - 1, "thang")))) {
		struct found_date in;
		size_t pn = scan_date(c, i + 1, &in);
		if (pn > 0 && (strcmp(in.gran, "month") == 0 || strcmp(in.gran, "year") == 0)) {
			*out = in;
			out->tb = i;
			out->gran = PGRAN_PARTIAL;
			out->qual = tok_is(d, i, "dau") ? "đầu" : tok_is(d, i, "giua") ?
			    "giữa" : "cuối";
			return pn + 1;
		}
		memset(out, 0, sizeof *out);
		out->tb = i;
	}
	/* "từ ngày 01/7/2025 đến ngày 30/9/2025", "từ ngày 18 đến 20/3": one
	 * period of days */
	if (tok_is(d, i, "tu") && (n = day_range(c, i, out)) > 0)
		return n;
	/* "từ đầu năm 2025 đến nay" */
	if (tok_is(d, i, "tu") && tok_is(d, i + 1, "dau") && tok_is(d, i + 2, "nam") &&
	    is_year(d, i + 3) && tok_is(d, i + 4, "den") && tok_is(d, i + 5, "nay")) {
		iso_of(num_val(d, i + 3), 1, 1, out->start);
		out->end[0] = '\0';
		out->open_end = true;
		out->gran = PGRAN_PERIOD;
		out->te = i + 6;
		return 6;
	}
	/* "từ năm 2021 đến nay", "từ năm 2021 đến [hết] năm 2023" */
	if (tok_is(d, i, "tu") && tok_is(d, i + 1, "nam") && is_year(d, i + 2) &&
	    tok_is(d, i + 3, "den")) {
		int y = num_val(d, i + 2);
		if (tok_is(d, i + 4, "het"))
			i++; /* read "đến hết năm" as "đến năm"; te counts it */
		if (tok_is(d, i + 4, "nay")) {
			iso_of(y, 1, 1, out->start);
			out->end[0] = '\0';
			out->open_end = true;
			out->gran = PGRAN_PERIOD;
			out->te = i + 5;
			return out->te - out->tb;
		}
		q = tok_is(d, i + 4, "nam") ? i + 5 : i + 4;
		if (is_year(d, q) && num_val(d, q) >= y) {
			iso_of(y, 1, 1, out->start);
			iso_of(num_val(d, q), 12, 31, out->end);
			out->gran = PGRAN_PERIOD;
			out->te = q + 1;
			return out->te - out->tb;
		}
		i = out->tb;
	}
	/* "giai đoạn 2013 - 2016", "nhiệm kỳ 2020 - 2025", "thời kỳ …" */
	if ((tok_phrase(d, i, "giai doan") || tok_phrase(d, i, "nhiem ky") ||
	    tok_phrase(d, i, "thoi ky")) && is_year(d, i + 2) &&
	    is_dash(d, i + 3) && is_year(d, i + 4)) {
		if (period_of(c, i, i + 5, out)) {
			out->te = i + 5;
			return 5;
		}
	}
	/* "quý IV/2024", "quý 4 năm 2024" */
	if (tok_is(d, i, "quy") && i + 1 < d->nt) {
		for (q = i + 2; q <= i + 4 && q < d->nt; q++) {
			if (is_year(d, q)) {
				if (period_of(c, i, q + 1, out)) {
					out->te = q + 1;
					return q + 1 - i;
				}
				break;
			}
		}
	}
	/* "6 tháng đầu năm 2024", "9 tháng cuối năm 2023" */
	if (is_num(d, i, 1, 2) && tok_is(d, i + 1, "thang") &&
	    (tok_is(d, i + 2, "dau") || tok_is(d, i + 2, "cuoi")) &&
	    tok_is(d, i + 3, "nam") && is_year(d, i + 4)) {
		if (period_of(c, i, i + 5, out)) {
			out->te = i + 5;
			return 5;
		}
	}
	/* "tháng 3/2024", "tháng 12.2016", "tháng 3 năm 2024" */
	if (tok_is(d, i, "thang") && is_num(d, i + 1, 1, 2)) {
		int m = num_val(d, i + 1), y = 0;
		if ((is_punct(d, i + 2, "/") || is_punct(d, i + 2, ".") ||
		    is_punct(d, i + 2, "-")) && glued(d, i + 2) && is_year(d, i + 3)) {
			y = num_val(d, i + 3);
			q = i + 4;
		} else if (tok_is(d, i + 2, "nam") && is_year(d, i + 3)) {
			y = num_val(d, i + 3);
			q = i + 4;
		} else {
			return 0;
		}
		if (m < 1 || m > 12)
			return 0;
		iso_of(y, m, 1, out->start);
		iso_of(y, m, last_day(y, m), out->end);
		out->gran = "month";
		out->te = q;
		return q - i;
	}
	/* "năm 2023", "năm 2013 - 2016" */
	if (tok_is(d, i, "nam") && is_year(d, i + 1)) {
		int y = num_val(d, i + 1);
		if (is_dash(d, i + 2) && is_year(d, i + 3) && num_val(d, i + 3) > y &&
		    num_val(d, i + 3) - y <= 50) {
			iso_of(y, 1, 1, out->start);
			iso_of(num_val(d, i + 3), 12, 31, out->end);
			out->gran = PGRAN_PERIOD;
			out->te = i + 4;
			return 4;
		}
		iso_of(y, 1, 1, out->start);
		iso_of(y, 12, 31, out->end);
		out->gran = "year";
		out->te = i + 2;
		return 2;
	}
	/* bare "2013 – 2016": a period when both are years close together */
	if (is_year(d, i) && is_dash(d, i + 1) && is_year(d, i + 2) &&
	    !glued(d, i + 3 < d->nt ? i + 3 : i + 2) &&
	    num_val(d, i + 2) > num_val(d, i) && num_val(d, i + 2) - num_val(d, i) <= 50) {
		if (i + 3 < d->nt && glued(d, i + 3) && d->t[i + 3].type != TK_PUNCT)
			return 0;
		iso_of(num_val(d, i), 1, 1, out->start);
		iso_of(num_val(d, i + 2), 12, 31, out->end);
		out->gran = PGRAN_PERIOD;
		out->te = i + 3;
		return 3;
	}

	/* day dates: [prefix] D sep M [sep YYYY] | [prefix] D tháng M [năm Y] */
	p = i + date_prefix(d, i, &ngay);
	/* "(20 - 22/2)", "ngày 20-22/2", "các ngày 20, 21/11": a span of days */
	if ((ngay || (i > 0 && is_punct(d, i - 1, "("))) && (q = dash_days(c, p, out)) > p)
		return q - i;
	/* "Sáng nay (15/3)", "Quốc khánh (2/9)": a day and month alone in
	 * brackets */
	if (i > 0 && is_punct(d, i - 1, "(") && is_num(d, i, 1, 2) &&
	    is_punct(d, i + 1, "/") && glued(d, i + 1) && glued(d, i + 2) &&
	    is_num(d, i + 2, 1, 2) && is_punct(d, i + 3, ")")) {
		char iso[11];
		if (!day_iso(c, 0, num_val(d, i + 2), num_val(d, i), iso))
			return 0;
		memcpy(out->start, iso, 11);
		memcpy(out->end, iso, 11);
		out->no_year = true;
		out->gran = "day";
		out->te = i + 3;
		return 3;
	}
	{
		int dd, mm, yy = 0;
		char iso[11];
		if (is_year(d, p) && is_dash(d, p + 1) && glued(d, p + 1) &&
		    is_num(d, p + 2, 1, 2) && is_dash(d, p + 3) && is_num(d, p + 4, 1, 2)) {
			yy = num_val(d, p); /* ISO */
			mm = num_val(d, p + 2);
			dd = num_val(d, p + 4);
			q = p + 5;
		} else if (is_num(d, p, 1, 2) && (is_punct(d, p + 1, "/") ||
		    is_punct(d, p + 1, ".") || is_dash(d, p + 1)) && glued(d, p + 1) &&
		    glued(d, p + 2) && is_num(d, p + 2, 1, 2)) {
			const char *sep = d->t[p + 1].f;
			dd = num_val(d, p);
			mm = num_val(d, p + 2);
			q = p + 3;
			/* the year glued, or after a dash written with a space
			 * ("Ngày 11-3- 2014") */
			if (is_punct(d, q, sep) && glued(d, q) && is_year(d, q + 1) &&
			    (glued(d, q + 1) || is_dash(d, q))) {
				yy = num_val(d, q + 1);
				q += 2;
				/* "49/2015/QĐ": a document number, not a date */
				if (is_punct(d, q, "/") && glued(d, q))
					return 0;
			} else if (!ngay) {
				return 0; /* "13/22" is a fraction, "5.12" a decimal */
			} else if (q < d->nt && glued(d, q) && (d->t[q].type == TK_NUM ||
			    is_punct(d, q, "/"))) {
				return 0;
			}
		} else if (ngay && is_num(d, p, 1, 2) && tok_is(d, p + 1, "thang") &&
		    is_num(d, p + 2, 1, 2)) {
			dd = num_val(d, p);
			mm = num_val(d, p + 2);
			q = p + 3;
			if (tok_is(d, q, "nam") && is_year(d, q + 1)) {
				yy = num_val(d, q + 1);
				q += 2;
			}
		} else {
			return 0;
		}
		if (!day_iso(c, yy, mm, dd, iso))
			return 0;
		out->no_year = yy == 0;
		memcpy(out->start, iso, 11);
		memcpy(out->end, iso, 11);
		out->gran = "day";
		out->te = q;
		/* "(3/3/1959-3/3/2019)", "(18-1-1950 - 18-1-2025)": two full
		 * days joined by a dash are one span */
		if (yy != 0 && is_dash(d, q)) {
			int d2, m2, y2;
			size_t r = bare_day(d, q + 1, &d2, &m2, &y2);
			char e2[11];
			if (r > q + 1 && y2 != 0 && day_iso(c, y2, m2, d2, e2) &&
			    strcmp(iso, e2) < 0) {
				memcpy(out->end, e2, 11);
				out->gran = "range";
				out->days = true;
				out->te = q = r;
			}
		}
		return q - i;
	}
}

static bool weekday_before(const struct ctx *c, size_t i);

static bool
sentence_has_doc_kind(const struct ctx *c, size_t i)
{
	const struct sent *s = &c->d.s[c->d.sent_of[i]];
	const char *name;

	for (size_t k = s->tb; k < s->te; k++)
		if (lex_doc_kind(&c->d, k, &name) > 0)
			return true;
	return false;
}

/* The reference date for day-and-month dates: the option, else the
 * dateline of the text (a full date in its first lines, outside a sentence
 * citing a document), else a lower bound: the latest past date the text
 * names (see below), else today. */
static void
find_reference(struct ctx *c, json_t *source)
{
	const struct doc *d = &c->d;
	const char *pub = c->opt != NULL ? c->opt->publication_date : NULL;
	const char *now = c->opt != NULL ? c->opt->now : NULL;
	char today[16], bound[11] = "";
	size_t lines = 0;
	int maxy = 0, nowy;

	clock_today(today);
	if (now == NULL || !vi_iso_date_valid(now))
		now = today;
	nowy = atoi(now);
	if (pub != NULL && vi_iso_date_valid(pub)) {
		memcpy(c->ref_date, pub, 10);
		c->ref_date[10] = '\0';
		json_object_set_new(source, PSRC_PUBLICATION_DATE, json_string(pub));
		json_object_set_new(source, "publication_date_source", json_string("option"));
		return;
	}
	c->ref_date[0] = '\0'; /* scan_date leaves undated days alone */
	{
		/* the dateline: a full date in the first lines, outside a
		 * sentence that cites a document; a date on a line of its own
		 * ("04/05/2024 12:12", "L.Phương - 14:54, 23/02/2023") before one
		 * inside a sentence, and the article's own before the portal's
		 * stamp of today ("Chủ nhật, ngày 3 tháng 12 năm 2023" above
		 * "5-9-2023") */
		size_t best = (size_t)-1, first = (size_t)-1;
		int best_rank = 0;
		char best_date[11] = "";
		for (size_t i = 0; i < d->nt && lines < 12; i++) {
			struct found_date fd;
			size_t n;
			if (d->t[i].type == TK_NL) {
				if (i > 0 && d->t[i - 1].type != TK_NL)
					lines++;
				continue;
			}
			/* a document's date is not the text's, but a date that
			 * opens its sentence is the sentence's own */
			if ((n = scan_date(c, i, &fd)) == 0 || strcmp(fd.gran, "day") != 0 ||
			    (sentence_has_doc_kind(c, i) && i > d->s[d->sent_of[i]].tb + 2) ||
			    atoi(fd.start) > nowy)
				continue;
			{
				size_t lb = i, le = i, words = 0;
				int rank;
				while (lb > 0 && d->t[lb - 1].type != TK_NL)
					lb--;
				while (le < d->nt && d->t[le].type != TK_NL)
					le++;
				for (size_t k = lb; k < le; k++)
					words += d->t[k].type == TK_WORD;
				rank = words <= 8 ? (weekday_before(c, i) ? 2 : 3) : 1;
				if (first == (size_t)-1)
					first = i;
				if (rank > best_rank) {
					best_rank = rank;
					best = i;
					memcpy(best_date, fd.start, 11);
				}
			}
			i += n - 1;
		}
		(void)first;
		if (best != (size_t)-1) {
			memcpy(c->ref_date, best_date, 11);
			c->dateline_tb = best;
			json_object_set_new(source, PSRC_PUBLICATION_DATE, json_string(best_date));
			json_object_set_new(source, "publication_date_source",
			    json_string(PDS_TEXT));
			return;
		}
	}
	/* No date of publication: every day (with its year), month or year
	 * the text names as past was before it was written, so the latest of
	 * them bounds the writing from below; a day and month without a year
	 * is the first such day on or after that bound (not after now).  Not
	 * bounds: periods and terms (they may end in the future), deadlines
	 * and targets ("trước ngày 31/3/2024", "đến năm 2025", "phấn đấu
	 * năm 2030"), dates still to come. */
	for (size_t i = 0; i < d->nt; i++) {
		struct found_date fd;
		size_t n = scan_date(c, i, &fd);
		bool ahead = false;
		if (n == 0)
			continue;
		for (size_t k = i > 3 ? i - 3 : 0; k < i; k++)
			ahead |= tok_is(d, k, "den") || tok_is(d, k, "truoc") ||
			    tok_is(d, k, "het") || tok_phrase(d, k, "phan dau") ||
			    tok_is(d, k, "toi") || tok_is(d, k, "han");
		if (strcmp(fd.gran, PGRAN_PERIOD) != 0 && !ahead &&
		    atoi(fd.start) <= nowy && strcmp(fd.start, now) <= 0 &&
		    strcmp(fd.start, bound) > 0)
			memcpy(bound, fd.start, 11);
		i += n - 1;
	}
	(void)maxy;
	memcpy(c->ref_now, now, 10);
	c->ref_now[10] = '\0';
	if (bound[0] != '\0') {
		memcpy(c->ref_date, bound, 11);
		c->ref_after = true;
	} else {
		memcpy(c->ref_date, now, 10);
		c->ref_date[10] = '\0';
		c->ref_clock = true;
	}
	json_object_set_new(source, PSRC_PUBLICATION_DATE, json_null());
	json_object_set_new(source, "publication_date_source", json_string("none"));
	json_object_set_new(source, "reference_date", json_string(c->ref_date));
	/* the page asks for the date (or the command line's --date gives it):
	 * the text does not say when it was written */
	json_object_set_new(source, "needs_date", json_true());
	json_object_set_new(source, "reference_rule", json_string(c->ref_after ?
	    "on_or_after" : "not_after"));
}

static void
rule_dates(struct ctx *c, bool pub_known)
{
	for (size_t i = 0; i < c->d.nt; i++) {
		struct found_date fd;
		size_t n;
		char key[64];
		json_t *p;

		if (c->mark[i] & MK_DATE)
			continue;
		n = scan_date(c, i, &fd);
		if (n == 0)
			continue;
		if (fd.open_end && pub_known)
			memcpy(fd.end, c->ref_date, 11);
		if (c->ndates == c->capdates) {
			size_t nc = c->capdates ? c->capdates * 2 : 64;
			struct found_date *nd = realloc(c->dates, nc * sizeof *nd);
			if (nd == NULL) {
				err_alloc_failed(); /* dates would be missing */
				return;
			}
			c->dates = nd;
			c->capdates = nc;
		}
		c->dates[c->ndates++] = fd;
		for (size_t k = i; k < i + n; k++)
			c->mark[k] |= MK_DATE;
		/* one proposal per date value; later mentions are the same fact */
		/* the same days written twice ("quý III/2025 (từ ngày 01/7/2025
		 * đến ngày 30/9/2025)") are one date */
		snprintf(key, sizeof key, "date:%s:%s", fd.start, fd.end);
		if (json_object_get(c->seen, key) == NULL) {
			p = prop_new(c, "date", i, i + n,
			    strcmp(fd.gran, "day") == 0 ? 0.95 : 0.85);
			json_object_set_new(p, PK_TEXT, tok_text(c, i, i + n));
			json_object_set_new(p, "start", json_string(fd.start));
			json_object_set_new(p, "end", fd.end[0] ? json_string(fd.end) : json_null());
			json_object_set_new(p, "granularity", json_string(fd.gran));
			/* a year taken from today, for want of any date: the
			 * official has to say it */
			if (fd.no_year && c->ref_clock) {
				json_object_set_new(p, "year_assumed", json_true());
				json_object_set_new(p, "confidence", json_real(0.4));
			}
			if (fd.qual != NULL)
				json_object_set_new(p, PK_QUALIFIER, json_string(fd.qual));
			json_object_set(c->seen, key, p);
		}
		i += n - 1;
	}
}

/* ---- legal references --------------------------------------------------------- */

static const char *const doc_noun_before[] = { "cac", "nhung", "mot", "nhieu",
	"moi", "so", "tung", NULL };
static const char *const doc_stop_after[] = { "cua", "ve", "da", "duoc", "va",
	"nay", "do", "tren", "cung", "voi", "cho", "la", "thi", "se", "con",
	"dang", "nhu", "tai", "theo", "trong", "phai", "can", "truoc", "sau",
	"vao", "den", "tu", "qua", "ma", "nen", "bi", NULL };

static bool
in_list(const char *f, const char *const *list)
{
	for (size_t k = 0; list[k] != NULL; k++)
		if (strcmp(f, list[k]) == 0)
			return true;
	return false;
}

/* A number/symbol chunk at i: "2523/QĐ-UBND", "22-NQ/TU", "160", "05".
 * Returns its end token, or i when there is none. */
static size_t
symbol_chunk(const struct doc *d, size_t i)
{
	size_t q = i;

	if (!is_num(d, i, 1, 6))
		return i;
	q = i + 1;
	/* "12 - NQ/TU": a dash between spaces before the symbol, which is
	 * upper case and has its slash */
	if (q + 3 < d->nt && !glued(d, q) && is_dash(d, q) && !glued(d, q + 1) &&
	    d->t[q + 1].type == TK_WORD && d->t[q + 1].upper &&
	    is_punct(d, q + 2, "/") && glued(d, q + 2))
		q += 2;
	while (q < d->nt && glued(d, q)) {
		const struct tok *t = &d->t[q];
		if (t->type == TK_NUM || t->type == TK_WORD) {
			q++;
			continue;
		}
		if ((is_punct(d, q, "/") || is_punct(d, q, "-") ||
		    is_punct(d, q, ".")) && glued(d, q + 1) &&
		    (d->t[q + 1].type == TK_NUM || d->t[q + 1].type == TK_WORD)) {
			q++;
			continue;
		}
		break;
	}
	return q;
}

/* Tokens from i up to a stop: any of `stops` (folded words), sentence
 * punctuation, or max tokens.  Returns the end. */
static size_t
phrase_until(const struct doc *d, size_t i, const char *const *stops,
    bool stop_comma, size_t max)
{
	const struct sent *s = &d->s[d->sent_of[i < d->nt ? i : d->nt - 1]];
	size_t q = i;

	while (q < s->te && q - i < max) {
		const struct tok *t = &d->t[q];
		if (t->type == TK_NL)
			break;
		if (t->type == TK_PUNCT && ((strcmp(t->f, ".") == 0 &&
		    (q + 1 >= d->nt || d->t[q + 1].sp)) ||
		    strcmp(t->f, ";") == 0 || strcmp(t->f, "(") == 0 ||
		    strcmp(t->f, ":") == 0 || (stop_comma && strcmp(t->f, ",") == 0)))
			break;
		/* function words end a phrase, not a name's syllable ("tại
		 * thành phố Điện Biên Phủ": "Điện" is not "điện") */
		if (stops != NULL && t->type == TK_WORD && q > i && !t->cap &&
		    in_list(t->f, stops))
			break;
		q++;
	}
	return q;
}

static void
set_text_or_null(struct ctx *c, json_t *p, const char *key, size_t tb, size_t te)
{
	while (te > tb && c->d.t[te - 1].type == TK_PUNCT &&
	    !is_punct(&c->d, te - 1, "\"") && !is_punct(&c->d, te - 1, ")"))
		te--;
	if (te > tb)
		json_object_set_new(p, key, tok_text(c, tb, te));
	else
		json_object_set_new(p, key, json_null());
}

/* Kinds of documents two parties make together. */
static bool
agreement_kind(const char *kind)
{
	static const char *const kinds[] = { "Quy chế", "Chương trình", "Kế hoạch",
		"Thỏa thuận", "Bản thỏa thuận", "Biên bản", "Biên bản ghi nhớ",
		"Bản ghi nhớ", "Hiệp định", "Hiệp ước", "Nghị định thư", "Công ước",
		"Thông cáo chung", "Tuyên bố chung", "Quy định", NULL };

	for (size_t k = 0; kinds[k] != NULL; k++)
		if (strcmp(kinds[k], kind) == 0)
			return true;
	return false;
}

/* The day a treaty or a set of minutes was signed, written after its
 * name in the same sentence: "… ký ngày 16/3/2016", ", ngày 20/12/2022",
 * "đã ký kết vào ngày …".  Its end, or 0. */
static size_t
signed_on(const struct ctx *c, size_t from, const struct found_date **fdp)
{
	const struct doc *d = &c->d;
	const struct sent *s = &d->s[d->sent_of[from < d->nt ? from : d->nt - 1]];
	size_t r = from;
	const char *k2;

	*fdp = NULL;
	if (is_punct(d, r, ",") && tok_is(d, r + 1, "ngay")) {
		const struct found_date *x = date_at(c, r + 1);
		if (x != NULL && strcmp(x->gran, "day") == 0) {
			*fdp = x;
			return x->te;
		}
	}
	for (r = from; r < s->te && r < from + 40; r++) {
		const struct found_date *x;
		size_t q;
		if (is_punct(d, r, ";") || (r > from && lex_doc_kind(d, r, &k2) > 0))
			return 0;
		if (!tok_is(d, r, "ky"))
			continue;
		q = r + 1;
		if (tok_is(d, q, "ket"))
			q++;
		if (tok_is(d, q, "vao"))
			q++;
		x = date_at(c, q);
		if (x != NULL && strcmp(x->gran, "day") == 0) {
			*fdp = x;
			return x->te;
		}
		return 0;
	}
	return 0;
}

/* A document named by its parties or as the object of a verb that makes
 * it (see rule_legal) at token i, kind [i, i+k): the end of its proposal,
 * 0 for none. */
static size_t
agreement_ref(struct ctx *c, size_t i, size_t k, const char *kind)
{
	const struct doc *d = &c->d;
	const struct sent *s = &d->s[d->sent_of[i]];
	static const char *const qual_stops[] = { "cua", "ve", "da", "duoc", "nay",
		"do", "tren", "cho", "la", "se", "dang", "tai", "theo", "trong",
		"nham", "de", "va", "voi", "giua", "ky", "ngay", "vao", NULL };
	static const char *const party_stops[] = { "da", "duoc", "ky", "nham",
		"de", "ve", "tai", "trong", "theo", "thi", "se", "dang", "nay", NULL };
	size_t q = i + k, w, p1, p2 = 0, e, end;
	bool made = false, parties = false, named = false;
	const struct found_date *fd = NULL, *made_day = NULL;
	char key[ING_PHRASE_MAX + 64], qk[ING_PHRASE_MAX];
	json_t *p, *old;

	if (!agreement_kind(kind))
		return 0;
	/* the verb that makes it, or "bản" (the document) before it */
	if (i > 0 && (tok_is(d, i - 1, "ban") && tok_raw(d, i - 1, "bản")))
		made = true;
	for (size_t b = i > 3 ? i - 3 : 0; b < i && !made; b++)
		if ((tok_phrase(d, b, "ky ket") == 2 && b + 2 == i) ||
		    (tok_is(d, b, "ky") && b + 1 == i) ||
		    (tok_phrase(d, b, "ban hanh") == 2 && b + 2 == i) ||
		    (tok_phrase(d, b, "thong qua") == 2 && b + 2 == i))
			made = true;
	/* words that qualify the kind: "phối hợp", "hoạt động kết nghĩa",
	 * "cuộc họp thường niên lần thứ 32" */
	w = q;
	while (w < s->te && w < q + 9 && (d->t[w].type == TK_NUM ||
	    (d->t[w].type == TK_WORD && !d->t[w].cap && !in_list(d->t[w].f, qual_stops))))
		w++;
	if (tok_is(d, w, "giua")) {
		/* "giữa A và B", "giữa A với B" */
		p1 = w + 1;
		for (size_t m = p1 + 1; m < s->te && m < p1 + 25; m++) {
			if (is_punct(d, m, ";") || is_punct(d, m, "."))
				break;
			if (tok_is(d, m, "va") || tok_is(d, m, "voi")) {
				p2 = m + 1;
				break;
			}
		}
		if (p2 == 0 || p2 >= s->te) {
			/* "giữa 2 đơn vị", "giữa hai bên": the parties named
			 * before; a mention of the one already read */
			tok_key(d, q, w < q + 2 ? w : q + 2, qk, sizeof qk);
			snprintf(key, sizeof key, "agreement:%s:%s", kind, qk);
			if (json_object_get(c->seen, key) == NULL)
				return 0;
			for (size_t m = i; m < i + k; m++)
				c->mark[m] |= MK_DOC;
			return w + 1;
		}
		for (size_t m = p1; m < p2; m++)
			named |= d->t[m].cap;
		e = p2;
		while (e < s->te && e < p2 + 20) {
			const struct tok *t = &d->t[e];
			if (t->type == TK_NL || (t->type == TK_PUNCT && !inner_joint_tok(d, e) &&
			    !is_punct(d, e, "(") && !is_punct(d, e, ")")) ||
			    (t->type == TK_WORD && !t->cap && in_list(t->f, party_stops) && e > p2))
				break;
			e++;
		}
		while (e > p2 && (is_punct(d, e - 1, "(") || d->t[e - 1].type == TK_PUNCT))
			e--;
		if (e <= p2)
			return 0;
		parties = true;
	} else if (made) {
		/* what it is about: three words more at least ("quy chế kết
		 * nghĩa với 12 nội dung"), not a kind in a list ("ký kết quy
		 * chế phối hợp, trao đổi thông tin") */
		e = w;
		if (tok_is(d, e, "voi") && d->t[e + 1 < d->nt ? e + 1 : e].type == TK_NUM) {
			/* "với 12 nội dung" says how it is made, not part of its name */
		} else {
			while (e < s->te && e < w + 30 && d->t[e].type == TK_WORD &&
			    !in_list(d->t[e].f, party_stops))
				e++;
			if (e < q + 5 && !(i > 0 && tok_raw(d, i - 1, "bản")) &&
			    !(date_at(c, w) != NULL || (w > q && date_at(c, w - 1) != NULL) ||
			    tok_phrase(d, w - 2 > q ? w - 2 : q, "giai doan") ||
			    tok_phrase(d, w - 1 > q ? w - 1 : q, "giai doan")))
				return 0;
			while (e < s->te && e < w + 40 && (d->t[e].type == TK_WORD ||
			    (is_punct(d, e, ",") && e + 1 < s->te && d->t[e + 1].type == TK_WORD &&
			    !d->t[e + 1].cap && lex_verb(d, e + 1) == 0)) &&
			    !in_list(d->t[e].f, party_stops))
				e++;
		}
		/* a period says which one: "chương trình phối hợp giai đoạn
		 * 2022 - 2027" */
		bool period = false;
		for (size_t m = q; m < w + 2 && m < s->te; m++) {
			const struct found_date *x = date_at(c, m);
			if (x != NULL && strcmp(x->gran, "day") != 0) {
				if (e < x->te)
					e = x->te;
				period = true;
				break;
			}
		}
		/* made on a day ("ký kết thỏa thuận kết nghĩa vào ngày
		 * 12/3/2019"): that day says which one */
		if (!period && w > q + 1 && date_at(c, w) != NULL &&
		    strcmp(date_at(c, w)->gran, "day") == 0) {
			period = true;
			made_day = date_at(c, w);
			e = w;
		}
		if (e < w + 3 && !period && !tok_is(d, w, "voi") &&
		    !(i > 0 && tok_raw(d, i - 1, "bản")))
			return 0;
		if (e <= q)
			return 0;
	} else {
		return 0;
	}
	end = e;
	{
		size_t r = signed_on(c, e, &fd);
		if (r > 0)
			end = r;
		else if (made_day != NULL) {
			fd = made_day;
			end = made_day->te;
		}
	}
	for (size_t m = i; m < i + k; m++)
		c->mark[m] |= MK_DOC;
	/* one document however often it is named: the kind and its first
	 * qualifying words ("quy chế phối hợp"); a mention naming its
	 * parties anew ("giữa A và B", "giữa C và D") is another one */
	tok_key(d, q, w < q + 2 ? w : q + 2, qk, sizeof qk);
	snprintf(key, sizeof key, "agreement:%s:%s", kind, qk);
	old = json_object_get(c->seen, key);
	if (old != NULL) {
		json_t *op = json_object_get(old, "_parties");
		bool same = !(named && op != NULL && json_is_true(op)) || !parties;
		if (!same) {
			/* both name their parties: the same first party, the
			 * same document */
			char a1[ING_PHRASE_MAX], *f1;
			const char *o1 = json_string_value(json_array_get(json_object_get(old,
			    "issuers"), 0));
			tok_key(d, w + 1, w + 3 < p2 - 1 ? w + 3 : p2 - 1, a1, sizeof a1);
			f1 = o1 != NULL ? text_fold(o1) : NULL;
			same = f1 != NULL && strncmp(f1, a1, strlen(a1)) == 0;
			free(f1);
		}
		if (same) {
			/* the fuller mention names it: its parties, its day */
			if ((parties && json_object_get(old, "issuers") == NULL) ||
			    (fd != NULL && json_is_null(json_object_get(old, "date")))) {
				prop_span(c, old, i, end);
				json_object_set_new(old, PK_TEXT, tok_text(c, i, end));
				if (fd != NULL) {
					json_object_set_new(old, "date", json_string(fd->start));
					json_object_set_new(old, "date_text", tok_text(c, fd->tb, fd->te));
				}
				if (parties)
					json_object_set_new(old, "issuers", json_pack("[o,o]",
					    tok_text(c, w + 1, p2 - 1), tok_text(c, p2, e)));
			}
			return end;
		}
		snprintf(key + strlen(key), sizeof key - strlen(key), ":%zu", i);
	}
	p = prop_new(c, "legal_ref", i, end, parties ? 0.75 : 0.6);
	json_object_set_new(p, PK_TEXT, tok_text(c, i, end));
	json_object_set_new(p, "doc_kind", json_string(kind));
	json_object_set_new(p, PK_NUMBER, json_null());
	json_object_set_new(p, "date", fd ? json_string(fd->start) : json_null());
	if (fd != NULL)
		json_object_set_new(p, "date_text", tok_text(c, fd->tb, fd->te));
	json_object_set_new(p, "issuer", json_null());
	json_object_set_new(p, "subject", w > q ? tok_text(c, q, w) : json_null());
	if (parties) {
		json_object_set_new(p, "issuers", json_pack("[o,o]",
		    tok_text(c, w + 1, p2 - 1), tok_text(c, p2, e)));
		json_object_set_new(p, "_parties", json_boolean(named));
	}
	json_object_set(c->seen, key, p);
	return end;
}

static void
rule_legal(struct ctx *c)
{
	const struct doc *d = &c->d;
	/* the issuer is a body: it ends at a function word or at the verb of
	 * the sentence it is the subject of ("Công văn số 215/UBND-NC của UBND
	 * huyện yêu cầu các xã …"); a subject ends at a relative clause ("…
	 * về quy chế quản lý biên giới mà hai nước đã ký kết") */
	static const char *const issuer_stops[] = { "ve", "tai", "trong", "doi",
		"nham", "thi", "cho", "da", "duoc", "la", "va", "ngay", "so", "yeu",
		"de", "huong", "gui", "ma", "se", NULL };
	static const char *const subject_stops[] = { "da", "duoc", "nham",
		"tai", "ma", NULL };
	static const char *const treaty_stops[] = { "cua", "ngay", "da", "duoc",
		"tai", "nham", "den", "ky", "cho", "voi", "ma", NULL };

	for (size_t i = 0; i < d->nt; i++) {
		const char *kind = NULL;
		size_t k = lex_doc_kind(d, i, &kind), q, ns, ne, end, subj_end;
		char key[ING_PHRASE_MAX + 64], num[128], akey[ING_PHRASE_MAX + 64];
		json_t *p, *old;
		bool numbered, about;
		const struct found_date *fd = NULL;
		double conf;

		/* a bare symbol "2523/QĐ-UBND" without its kind word */
		if (k == 0 && d->t[i].type == TK_NUM && !(c->mark[i] & (MK_DOC | MK_DATE)) &&
		    (i == 0 || d->t[i].sp)) {
			size_t e2 = symbol_chunk(d, i);
			struct doc_number dn;
			char err[128];
			char *sym;
			if (e2 > i + 2) {
				sym = tok_dup(c, i, e2);
				if (sym != NULL && strchr(sym, '/') != NULL &&
				    doc_number_parse(sym, &dn, err, sizeof err) == 0 &&
				    dn.kind[0] != '\0' && doc_kind_name(dn.kind) != NULL) {
					kind = doc_kind_name(dn.kind);
					k = 0;
					ns = i;
					ne = e2;
					free(sym);
					goto numbered_ref;
				}
				free(sym);
			}
			continue;
		}
		if (k == 0 || (c->mark[i] & MK_DOC))
			continue;
		if (i > 0 && d->t[i - 1].type == TK_WORD && in_list(d->t[i - 1].f, doc_noun_before))
			continue;
		q = i + k;
		/* "Quy chế phối hợp số 02/QCPH-UBND", "Kế hoạch liên tịch số
		 * 12/KHLT": words that qualify the kind, then its number — a kind
		 * followed by "số NUMBER" always cites a document */
		{
			size_t w = q;
			while (w < d->nt && w - q < 5 && d->t[w].type == TK_WORD &&
			    !tok_is(d, w, "so") && !in_list(d->t[w].f, doc_stop_after))
				w++;
			if (w > q && tok_is(d, w, "so") && symbol_chunk(d, w + 1) > w + 1)
				q = w;
		}
		if (tok_is(d, q, "so"))
			q++;
		if (is_punct(d, q, ":"))
			q++;
		ns = q;
		ne = symbol_chunk(d, q);
		if (ne > ns) {
			/* a plain number must be followed by what cites a document */
			if (ne == ns + 1) {
				const struct tok *n = ne < d->nt ? &d->t[ne] : NULL;
				if (n != NULL && n->type == TK_WORD &&
				    !in_list(n->f, (const char *const[]){ "ngay", "cua",
				    "ve", "do", "tai", "va", "da", "duoc", "nam", NULL }))
					continue;
			}
			goto numbered_ref;
		}
		/* no number: an agreement named by its parties, in any case
		 * ("quy chế phối hợp giữa Bộ Tư lệnh Quân khu 5 và Bộ Tư lệnh
		 * BĐBP", "biên bản cuộc họp thường niên lần thứ 32 giữa đoàn …
		 * và Đoàn …, ngày 20/12/2022"), or the one a text issues, signs
		 * or follows with what it is about ("ban hành quy chế kết nghĩa
		 * với 12 nội dung", "ký kết chương trình phối hợp vận động nông
		 * dân …", "Theo bản quy chế hoạt động kết nghĩa, …") */
		if ((end = agreement_ref(c, i, k, kind)) > 0) {
			i = end - 1;
			continue;
		}
		/* no number: "kế hoạch của UBND tỉnh về việc …" names a document
		 * by its issuer and subject */
		if (tok_is(d, q, "cua")) {
			size_t ie = phrase_until(d, q + 1, issuer_stops, true, 10), sb, se;
			const char *bk;
			if (ie > q + 1 && lex_body(d, q + 1, &bk) > 0 && tok_is(d, ie, "ve")) {
				sb = ie + 1;
				if (tok_is(d, sb, "viec"))
					sb++;
				se = phrase_until(d, sb, subject_stops, true, 30);
				if (se > sb) {
					char k1[ING_PHRASE_MAX];
					tok_key(d, sb, sb + 2 < se ? sb + 2 : se, k1, sizeof k1);
					snprintf(key, sizeof key, "legal:%s:%s", kind, k1);
					for (size_t m = i; m < i + k; m++)
						c->mark[m] |= MK_DOC;
					if (json_object_get(c->seen, key) != NULL)
						continue;
					p = prop_new(c, "legal_ref", i, se, 0.6);
					json_object_set_new(p, PK_TEXT, tok_text(c, i, se));
					json_object_set_new(p, "doc_kind", json_string(kind));
					json_object_set_new(p, PK_NUMBER, json_null());
					json_object_set_new(p, "date", json_null());
					set_text_or_null(c, p, "issuer", q + 1, ie);
					set_text_or_null(c, p, "subject", sb, se);
					json_object_set(c->seen, key, p);
					continue;
				}
			}
		}
		/* no number: a named document, written with a capital; not a
		 * part of a body's name ("Phòng Tài chính - Kế hoạch", "Sở Kế
		 * hoạch và Đầu tư").  "Hiệp định về Quy chế quản lý biên giới
		 * …": a treaty named by its subject, which is not a document of
		 * its own */
		about = tok_is(d, q, "ve") && q + 1 < d->nt && d->t[q + 1].type == TK_WORD &&
		    d->t[i].cap && (strcmp(kind, "Hiệp định") == 0 ||
		    strcmp(kind, "Thỏa thuận") == 0 || strcmp(kind, "Nghị định thư") == 0 ||
		    strcmp(kind, "Công ước") == 0 || strcmp(kind, "Biên bản ghi nhớ") == 0);
		/* "Thông cáo chung", "Tuyên bố chung": a name of its own */
		if (d->t[i].cap && (strcmp(kind, "Thông cáo chung") == 0 ||
		    strcmp(kind, "Tuyên bố chung") == 0) && (q >= d->nt ||
		    d->t[q].type != TK_WORD || in_list(d->t[q].f, doc_stop_after))) {
			snprintf(key, sizeof key, "legal:%s:", kind);
			for (size_t m = i; m < q; m++)
				c->mark[m] |= MK_DOC;
			if (json_object_get(c->seen, key) != NULL)
				continue;
			p = prop_new(c, "legal_ref", i, q, 0.6);
			json_object_set_new(p, PK_TEXT, tok_text(c, i, q));
			json_object_set_new(p, "doc_kind", json_string(kind));
			json_object_set_new(p, PK_NUMBER, json_null());
			json_object_set_new(p, "date", json_null());
			json_object_set_new(p, "issuer", json_null());
			json_object_set_new(p, "subject", json_null());
			json_object_set(c->seen, key, p);
			continue;
		}
		if (!about && (!d->t[i].cap || q >= d->nt || d->t[q].type != TK_WORD ||
		    in_list(d->t[q].f, doc_stop_after)))
			continue;
		if (i > 0 && (is_dash(d, i - 1) || (d->t[i - 1].type == TK_WORD &&
		    d->t[i - 1].cap && i - 1 != d->s[d->sent_of[i]].tb)))
			continue;
		/* reports and notices are named only by what they report on
		 * ("Báo cáo sơ kết 03 năm triển khai …"), mid-sentence */
		if ((strcmp(kind, "Báo cáo") == 0 || strcmp(kind, "Thông báo") == 0) &&
		    (i == d->s[d->sent_of[i]].tb || !(tok_is(d, q, "so") ||
		    tok_is(d, q, "tong") || tok_is(d, q, "ket"))))
			continue;
		/* minutes are named by the meeting they record ("Biên bản Hội đàm
		 * năm 2024", "Biên bản hội nghị lần thứ 5"); a bare "biên bản" is
		 * any record */
		if (strcmp(kind, "Biên bản") == 0 && !lex_meeting_noun(d, q))
			continue;
		if (strcmp(kind, "Hướng dẫn") == 0 || strcmp(kind, "Công văn") == 0 ||
		    strcmp(kind, "Tờ trình") == 0)
			continue;
		/* a law is named by a capitalised name: "Luật Biên phòng Việt
		 * Nam năm 2020", not "luật pháp", "Luật sư" */
		if ((strcmp(kind, "Luật") == 0 || strcmp(kind, "Hiến pháp") == 0 ||
		    strcmp(kind, "Pháp lệnh") == 0) && (!d->t[q].cap || tok_is(d, q, "su")))
			continue;
		/* at a sentence start a capital says nothing: want a name after */
		if (i == d->s[d->sent_of[i]].tb && !d->t[q].cap)
			continue;
		/* "Biên bản ghi nhớ ký ngày 18/3/2023": named by the day it
		 * was signed */
		if (tok_is(d, q, "ky") && signed_on(c, q, &fd) > 0)
			end = q;
		else
			end = phrase_until(d, about ? q + 1 : q, (const char *const[]){ "cua",
			    "ngay", "da", "duoc", "tai", "nham", "den", "ky", "cho", "va",
			    "voi", "ma", NULL }, true, 25);
		/* "… biên giới và cửa khẩu …": "và" inside a capitalised name's
		 * subject continues it */
		/* … and a comma inside it too ("về phân giới, cắm mốc biên
		 * giới …"), when a plain word of the subject follows */
		while (about && end + 1 < d->nt && d->t[end + 1].type == TK_WORD &&
		    !d->t[end + 1].cap && (tok_is(d, end, "va") || (is_punct(d, end, ",") &&
		    !in_list(d->t[end + 1].f, treaty_stops) &&
		    !in_list(d->t[end + 1].f, doc_stop_after))))
			end = phrase_until(d, end + 1, treaty_stops, true, 25);
		if (end <= q && !(end == q && tok_is(d, q, "ky")))
			continue;
		if (about)
			for (size_t m = q; m < end; m++)
				c->mark[m] |= MK_DOC;
		/* "Thỏa thuận kết nghĩa ký ngày 14/3/2019", "Hiệp định về … giữa
		 * Chính phủ … và Chính phủ … ký ngày 16/3/2016" */
		subj_end = end;
		{
			size_t r = signed_on(c, end, &fd);
			if (r > 0)
				end = r;
		}
		{
			char k1[ING_PHRASE_MAX];
			size_t kw = q + 2 < end ? q + 2 : end;
			tok_key(d, q, kw, k1, sizeof k1);
			snprintf(key, sizeof key, "legal:%s:%s", kind, k1);
			snprintf(akey, sizeof akey, "agreement:%s:%s", kind, k1);
		}
		for (size_t m = i; m < i + k; m++)
			c->mark[m] |= MK_DOC;
		if ((old = json_object_get(c->seen, key)) != NULL ||
		    (old = json_object_get(c->seen, akey)) != NULL) {
			/* the same document again: its day, when only this
			 * mention gives it ("Thỏa thuận kết nghĩa ký ngày …") */
			if (fd != NULL && json_is_null(json_object_get(old, "date"))) {
				json_object_set_new(old, "date", json_string(fd->start));
				json_object_set_new(old, "date_text", tok_text(c, fd->tb, fd->te));
			}
			continue;
		}
		p = prop_new(c, "legal_ref", i, end, 0.6);
		json_object_set_new(p, PK_TEXT, tok_text(c, i, end));
		json_object_set_new(p, "doc_kind", json_string(kind));
		json_object_set_new(p, PK_NUMBER, json_null());
		json_object_set_new(p, "date", fd ? json_string(fd->start) : json_null());
		if (fd != NULL)
			json_object_set_new(p, "date_text", tok_text(c, fd->tb, fd->te));
		json_object_set_new(p, "issuer", json_null());
		set_text_or_null(c, p, "subject", about ? q + 1 : q, subj_end);
		json_object_set(c->seen, key, p);
		if (agreement_kind(kind))
			json_object_set(c->seen, akey, p);
		continue;

numbered_ref:
		numbered = true;
		(void)numbered;
		end = ne;
		{
			char *sym = tok_dup(c, ns, ne);
			snprintf(num, sizeof num, "%s", sym ? sym : "");
			free(sym);
		}
		for (size_t m = i; m < ne; m++)
			c->mark[m] |= MK_DOC;
		/* ", ngày 11/11/2014" */
		q = ne;
		if (is_punct(d, q, ","))
			q++;
		if ((fd = date_at(c, q)) != NULL && tok_is(d, q, "ngay"))
			end = q = fd->te;
		else
			fd = NULL;
		p = json_object();
		/* ", của Tỉnh ủy" */
		if (is_punct(d, q, ","))
			q++;
		if (tok_is(d, q, "cua")) {
			size_t ie = phrase_until(d, q + 1, issuer_stops, true, 10);
			if (ie > q + 1) {
				set_text_or_null(c, p, "issuer", q + 1, ie);
				end = q = ie;
			}
		}
		if (is_punct(d, q, ","))
			q++;
		if (tok_is(d, q, "ve")) {
			size_t sb = q + 1, se;
			if (tok_is(d, sb, "viec"))
				sb++;
			se = phrase_until(d, sb, subject_stops, false, 30);
			if (se > sb) {
				set_text_or_null(c, p, "subject", sb, se);
				end = se;
			}
		}
		if (json_object_get(p, "issuer") == NULL)
			json_object_set_new(p, "issuer", json_null());
		if (json_object_get(p, "subject") == NULL)
			json_object_set_new(p, "subject", json_null());
		json_object_set_new(p, PK_TEXT, tok_text(c, i, end));
		json_object_set_new(p, "doc_kind", json_string(kind));
		json_object_set_new(p, PK_NUMBER, json_string(num));
		json_object_set_new(p, "date", fd ? json_string(fd->start) : json_null());
		json_object_set_new(p, "date_text", fd ? tok_text(c, fd->tb, fd->te) : json_null());
		{
			struct doc_number dn;
			char err[128], canon[64];
			if (doc_number_parse(num, &dn, err, sizeof err) == 0) {
				if (doc_number_format(&dn, canon, sizeof canon) != 0)
					canon[0] = '\0';
				json_object_set_new(p, "number_parsed", json_pack(
				    "{s:I, s:i, s:s, s:s, s:b, s:s}", NP_NUMBER,
				    (json_int_t)dn.number, "year", dn.year, NP_KIND, dn.kind,
				    "issuer", dn.issuer, "party_style", dn.party_style,
				    NP_SYMBOL, canon));
			} else {
				json_object_set_new(p, "number_parsed", json_null());
			}
		}
		conf = strchr(num, '/') != NULL ? 0.95 : 0.8;
		/* the same document cited again: keep the fullest mention */
		{
			char nk[160];
			char *fk = text_fold(num);
			const char *nn = fk ? fk : num;
			while (nn[0] == '0' && nn[1] >= '0' && nn[1] <= '9')
				nn++; /* "05" and "5" */
			snprintf(nk, sizeof nk, "legal:%s:%s", kind, nn);
			free(fk);
			old = json_object_get(c->seen, nk);
			if (old != NULL) {
				int oldn = 0, newn = 0;
				const char *f[] = { "date", "issuer", "subject" };
				for (size_t m = 0; m < 3; m++) {
					oldn += !json_is_null(json_object_get(old, f[m]));
					newn += !json_is_null(json_object_get(p, f[m]));
				}
				if (newn > oldn) {
					json_object_update(old, p);
					prop_span(c, old, i, end);
				}
				json_decref(p);
				i = ne - 1;
				continue;
			}
			{
				json_t *np = prop_new(c, "legal_ref", i, end, conf);
				json_object_update(np, p);
				json_decref(p);
				json_object_set(c->seen, nk, np);
			}
		}
		i = ne - 1;
	}
}

/* A document named in the headline without its number ("Quy chế phối hợp
 * giữa huyện A và huyện B") and cited with it in the body ("Quy chế phối
 * hợp số 02/QCPH-UBND"): one document; the numbered mention stays. */
static void
merge_named_legal(struct ctx *c)
{
	size_t i, j;
	json_t *p, *q;

	json_array_foreach(c->props, i, p) {
		const char *kind = json_string_value(json_object_get(p, "doc_kind"));
		char *ft, *pre;
		size_t kl;
		if (strcmp(json_string_value(json_object_get(p, PK_KIND)), "legal_ref") != 0 ||
		    !json_is_null(json_object_get(p, PK_NUMBER)) || kind == NULL)
			continue;
		ft = text_fold(json_string_value(json_object_get(p, PK_TEXT)));
		pre = text_fold(kind);
		if (ft == NULL || pre == NULL) {
			free(ft);
			free(pre);
			continue;
		}
		kl = strlen(pre);
		/* the kind and the two words after it: "quy che phoi hop" */
		{
			const char *e = ft + kl;
			int words = 0;
			while (*e && words < 3) {
				if (*e == ' ')
					words++;
				if (words < 3)
					e++;
			}
			ft[e - ft] = '\0';
		}
		if (strncmp(ft, pre, kl) == 0 && strlen(ft) > kl + 1) {
			json_array_foreach(c->props, j, q) {
				const char *qt = json_string_value(json_object_get(q, PK_TEXT));
				char *fq;
				const char *qk = json_string_value(json_object_get(q,
				    "doc_kind")); /* NULL: it could not be allocated */
				if (q == p || strcmp(json_string_value(json_object_get(q, PK_KIND)),
				    "legal_ref") != 0 || json_is_null(json_object_get(q, PK_NUMBER)) ||
				    qt == NULL || qk == NULL || strcmp(qk, kind) != 0)
					continue;
				fq = text_fold(qt);
				if (fq != NULL && strncmp(fq, ft, strlen(ft)) == 0 &&
				    fq[strlen(ft)] == ' ')
					json_object_set_new(p, "_drop", json_true());
				free(fq);
			}
		}
		free(ft);
		free(pre);
	}
}

/* ---- events ---------------------------------------------------------------- */

static const struct { const char *f; const char *type; } event_words[] = {
	{ "hoi nghi so ket", "review_conference" },
	{ "hoi nghi tong ket", "review_conference" },
	{ "hoi nghi truc tuyen so ket", "review_conference" },
	{ "hoi nghi truc tuyen tong ket", "review_conference" },
	{ "so ket", "review_conference" }, { "tong ket", "review_conference" },
	{ "giao ban", "briefing" }, { "hoi dam", "bilateral_talks" },
	{ "le ky ket", "signing" }, { "ky ket", "signing" },
	{ "doan giam sat", PEV_SUPERVISION }, { "giam sat", PEV_SUPERVISION },
	{ "doan kiem tra", PEV_SUPERVISION }, { "kiem tra", PEV_SUPERVISION },
	{ "buoi lam viec", "working_session" }, { "lam viec", "working_session" },
	{ "tuan tra", "patrol" }, { "tuyen truyen", "propaganda" },
	{ "giao luu", "exchange" }, { "hoi nghi", PEV_MEETING },
	{ "cuoc hop", PEV_MEETING }, { "hop", PEV_MEETING }, { "le", "other" },
	{ "hoi thao", PEV_MEETING }, { "toa dam", PEV_MEETING },
	{ "le ket nghia", "signing" }, { "ky ket nghia", "signing" },
	{ "to chuc ket nghia", "signing" }, { "ngay hoi", "exchange" },
	{ "buoi le", "other" }, { "le trao", "other" },
};

/* Rank of an event type when a sentence names several: the more specific
 * first ("hội nghị sơ kết" over "hội nghị"). */
static int
event_rank(const char *type)
{
	static const char *const order[] = { "review_conference", "signing",
		"bilateral_talks", PEV_SUPERVISION, "briefing", "working_session",
		"patrol", "propaganda", "exchange", PEV_MEETING, "other", NULL };

	for (int k = 0; order[k] != NULL; k++)
		if (strcmp(order[k], type) == 0)
			return k;
	return 99;
}

/* The best event word in tokens [tb, te): its position and type. */
static bool
event_word(const struct ctx *c, size_t tb, size_t te, size_t *at, size_t *len,
    const char **type)
{
	int best = 100;

	for (size_t i = tb; i < te; i++) {
		for (size_t k = 0; k < sizeof event_words / sizeof event_words[0]; k++) {
			size_t n = tok_phrase(&c->d, i, event_words[k].f);
			int r;
			if (n == 0 || i + n > te)
				continue;
			/* "lễ" only as "Lễ …" with a capital; "họp" not "phù hợp" */
			if (strcmp(event_words[k].f, "le") == 0 && !c->d.t[i].cap)
				continue;
			/* counted activities are not one event: "86 đợt tuần tra",
			 * "125 buổi tuyên truyền" */
			if (i >= 2 && (c->d.t[i - 1].type == TK_NUM ||
			    (c->d.t[i - 2].type == TK_NUM && c->d.t[i - 1].type == TK_WORD &&
			    !c->d.t[i - 1].cap)))
				continue;
			if (strcmp(event_words[k].f, "hop") == 0 && i > tb &&
			    (tok_is(&c->d, i - 1, "phoi") || tok_is(&c->d, i - 1, "phu") ||
			    tok_is(&c->d, i - 1, "tong") || tok_is(&c->d, i - 1, "thich") ||
			    tok_is(&c->d, i - 1, "truong") || tok_is(&c->d, i - 1, "hop")))
				continue;
			/* "kiểm tra", "giám sát", "tuyên truyền"… are events only
			 * as the subject of a dated sentence; ranked low */
			r = event_rank(event_words[k].type);
			if (r < best) {
				best = r;
				*at = i;
				*len = n;
				*type = event_words[k].type;
			}
		}
	}
	return best < 100;
}

/* "tại <place>": the place text tokens in [tb, te) */
static bool
place_in(const struct ctx *c, size_t tb, size_t te, size_t *pb, size_t *pe)
{
	static const char *const stops[] = { "da", "dien", "to", "chu", "voi",
		"ve", "nham", "de", "cua", "va", "cho", "lam", "den", NULL };

	for (size_t i = tb; i < te; i++) {
		if (!tok_is(&c->d, i, "tai") || i + 1 >= te)
			continue;
		/* "tại hội nghị" is not a place */
		if (tok_is(&c->d, i + 1, "hoi") || tok_is(&c->d, i + 1, "buoi") ||
		    tok_is(&c->d, i + 1, "cuoc") || tok_is(&c->d, i + 1, "le"))
			continue;
		*pb = i + 1;
		*pe = phrase_until(&c->d, i + 1, stops, true, 12);
		if (*pe > te)
			*pe = te;
		return *pe > *pb;
	}
	return false;
}

static void
add_event(struct ctx *c, size_t tb, size_t te, size_t date_tb,
    const struct found_date *fd, size_t kw, size_t kwlen, const char *type,
    double conf)
{
	json_t *p;
	size_t pb, pe, tend;
	struct found_event *fe;

	if (c->nev >= sizeof c->ev / sizeof c->ev[0])
		return;
	p = prop_new(c, "event", tb, te, conf);
	json_object_set_new(p, "event_type", json_string(type));
	json_object_set_new(p, "date", fd ? json_string(fd->start) : json_null());
	json_object_set_new(p, "date_text", fd ? tok_text(c, fd->tb, fd->te) : json_null());
	(void)date_tb;
	if (place_in(c, tb, te, &pb, &pe)) {
		json_object_set_new(p, "place_text", tok_text(c, pb, pe));
	} else if (c->nev == 0 && c->d.ns > 0 &&
	    place_in(c, c->d.s[0].tb, c->d.s[0].te, &pb, &pe)) {
		/* the headline often says where: "… làm việc tại huyện X" */
		json_object_set_new(p, "place_text", tok_text(c, pb, pe));
	} else {
		pb = pe = 0;
		json_object_set_new(p, "place_text", json_null());
	}
	json_object_set_new(p, "place_unit", json_null());
	if (pe > pb)
		json_object_set_new(p, "_place_tokens", json_pack("[I,I]",
		    (json_int_t)pb, (json_int_t)pe));
	/* a short name: the headline when it names the same kind of event,
	 * else the event words to the end of the clause */
	{
		size_t hk, hl;
		const char *ht;
		const struct sent *h = &c->d.s[0];
		if (c->nev == 0 && h->te > h->tb && !(tb >= h->tb && tb < h->te) &&
		    event_word(c, h->tb, h->te, &hk, &hl, &ht) &&
		    strcmp(ht, type) == 0) {
			tend = h->te;
			while (tend > h->tb && c->d.t[tend - 1].type == TK_PUNCT)
				tend--;
			json_object_set_new(p, PK_TITLE, tok_text(c, h->tb, tend));
		} else {
			tend = phrase_until(&c->d, kw, NULL, false, 30);
			if (tend > te)
				tend = te;
			if (tend <= kw + kwlen)
				tend = kw + kwlen;
			char *t = tok_dup(c, kw, tend);
			if (t != NULL && t[0] >= 'a' && t[0] <= 'z')
				t[0] = (char)(t[0] - 'a' + 'A');
			else if (t != NULL && (unsigned char)t[0] >= 0x80) {
				/* upper-case the first letter: text_upper on it */
				size_t n = 1;
				while (((unsigned char)t[n] & 0xC0) == 0x80)
					n++;
				char first[8] = { 0 };
				memcpy(first, t, n < 7 ? n : 7);
				char *u = text_upper(first);
				if (u != NULL && strlen(u) == n)
					memcpy(t, u, n);
				free(u);
			}
			json_object_set_new(p, PK_TITLE, json_string(t ? t : ""));
			free(t);
		}
	}
	fe = &c->ev[c->nev++];
	fe->tb = tb;
	fe->te = te;
	snprintf(fe->id, sizeof fe->id, "%s", json_string_value(json_object_get(p, "id")));
	snprintf(fe->date, sizeof fe->date, "%s", fd ? fd->start : "");
}

/* Where a sentence's own words begin after the tag a news item opens
 * with: "(Baothanhhoa.vn) - ", "BHG - ", "QĐND Online - ", "(QNO) - ". */
static size_t
lead_start(const struct ctx *c, size_t tb, size_t te)
{
	const struct doc *d = &c->d;
	size_t q = tb;

	if (is_punct(d, q, "(")) {
		while (q < te && q < tb + 10 && !is_punct(d, q, ")"))
			q++;
		if (q >= te || !is_punct(d, q, ")"))
			return tb;
		q++;
	} else {
		/* up to four words, then a dash written with spaces */
		while (q < te && q < tb + 4 && d->t[q].type == TK_WORD && d->t[q].cap)
			q++;
		if (q == tb || !is_dash(d, q) || !d->t[q].sp)
			return tb;
	}
	if (is_dash(d, q))
		q++;
	return q < te ? q : tb;
}

/* Is the date at token i the page's stamp of a weekday ("Thứ Ba, 12/3/2024",
 * "Chủ nhật, ngày 3 tháng 12 năm 2023")? */
static bool
weekday_before(const struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;

	for (size_t k = i > 4 ? i - 4 : 0; k < i; k++)
		if ((tok_is(d, k, "thu") && (k + 1 < d->nt) && (d->t[k + 1].type == TK_NUM ||
		    tok_is(d, k + 1, "hai") || tok_is(d, k + 1, "ba") || tok_is(d, k + 1, "tu") ||
		    tok_is(d, k + 1, "nam") || tok_is(d, k + 1, "sau") || tok_is(d, k + 1, "bay")) &&
		    d->t[k].cap) || tok_phrase(d, k, "chu nhat"))
			return true;
	return false;
}

/* Days from a to b (ISO), roughly: enough to tell a week from a year. */
static long
days_between(const char *a, const char *b)
{
	long ya = atol(a), ma = atol(a + 5), da = atol(a + 8);
	long yb = atol(b), mb = atol(b + 5), db = atol(b + 8);

	return (yb * 372 + mb * 31 + db) - (ya * 372 + ma * 31 + da);
}

/* A span of days in the sentences after s (up to three): "Chuyến thăm kéo
 * dài 3 ngày, từ ngày 6 - 9/6." */
static const struct found_date *
days_after(const struct ctx *c, size_t s)
{
	const struct doc *d = &c->d;

	for (size_t t = s + 1; t < d->ns && t <= s + 3; t++)
		for (size_t i = d->s[t].tb; i < d->s[t].te; i++) {
			const struct found_date *x = date_at(c, i);
			if (x != NULL && x->days)
				return x;
		}
	return NULL;
}

static void
rule_events(struct ctx *c)
{
	const struct doc *d = &c->d;
	bool pub_known = !c->ref_after;

	for (size_t s = 0; s < d->ns; s++) {
		size_t tb = d->s[s].tb, te = d->s[s].te, i, kw, kwlen, lb;
		const struct found_date *fd = NULL;
		const char *type;

		/* a dated sentence: the date among its first tokens ("Ngày
		 * 31/10, …", "BHG - Chiều 27.11, …", "(QNO) - Sáng 3/4, …") */
		lb = lead_start(c, tb, te);
		for (i = lb; i < te && i < lb + 5; i++) {
			const struct found_date *x = date_at(c, i);
			if (x != NULL && (strcmp(x->gran, "day") == 0 || x->days)) {
				fd = x;
				break;
			}
		}
		if (fd == NULL)
			continue;
		/* the dateline of the page is when it was published; a date
		 * after a weekday is the page's stamp */
		if ((fd->tb == c->dateline_tb && c->dateline_tb != (size_t)-1) ||
		    weekday_before(c, fd->tb))
			continue;
		/* a day long before the text was written is recalled, not
		 * reported ("Ngày 28/4/2005, … tổ chức Lễ kết nghĩa" in a 2023
		 * article) */
		if (pub_known && days_between(fd->start, c->ref_date) > 93)
			continue;
		/* "Ngày 21/9." alone: the date opens the next sentence; a bare
		 * "29/11/2017" on its own line is a listing stamp */
		if (fd->te + 1 >= te) {
			if (s + 1 >= d->ns || d->t[fd->tb].type != TK_WORD)
				continue;
			te = d->s[s + 1].te;
		}
		if (!event_word(c, fd->te, te, &kw, &kwlen, &type))
			continue;
		/* "Ngày 9/6, Ủy ban MTTQ tỉnh cho biết, đoàn … đã sang thăm":
		 * the day it was told; the visit's own days follow */
		if (tok_range_has(d, fd->te, te < fd->te + 20 ? te : fd->te + 20, "cho biet") ||
		    tok_range_has(d, fd->te, te < fd->te + 20 ? te : fd->te + 20, "cho hay")) {
			const struct found_date *x = days_after(c, s);
			if (x != NULL)
				fd = x;
		}
		add_event(c, tb, te, fd->tb, fd, kw, kwlen, type, 0.85);
		if (te > d->s[s].te)
			s++;
	}
	if (c->nev == 0) {
		/* undated: the first sentence where someone chairs or holds an
		 * event, or that is said at one ("Tại buổi lễ, …", "… tại lễ
		 * kết nghĩa …"); a day it names is its date ("… do Đảng ủy tổ
		 * chức chiều nay 29/6") */
		for (size_t s = 0; s < d->ns && s < 12; s++) {
			size_t tb = d->s[s].tb, te = d->s[s].te, kw, kwlen;
			const char *type;
			const struct found_date *fd = NULL;
			bool held = tok_range_has(d, tb, te, "chu tri") ||
			    tok_range_has(d, tb, te, "dien ra") ||
			    tok_range_has(d, tb, te, "to chuc");
			for (size_t k = tb; k < te && !held; k++) {
				size_t a2, l2;
				const char *t2;
				if (tok_is(d, k, "tai") && event_word(c, k + 1,
				    k + 4 < te ? k + 4 : te, &a2, &l2, &t2) && a2 <= k + 2)
					held = true;
			}
			if (!held || !event_word(c, tb, te, &kw, &kwlen, &type))
				continue;
			/* a sentence that opens with a day was read above: a
			 * recalled event is not the reported one */
			{
				size_t lb = lead_start(c, tb, te);
				bool opens = false;
				for (size_t k = lb; k < te && k < lb + 5; k++) {
					const struct found_date *x = date_at(c, k);
					opens |= x != NULL && (strcmp(x->gran, "day") == 0 || x->days);
				}
				if (opens)
					continue;
			}
			for (size_t k = tb; k < te; k++) {
				const struct found_date *x = date_at(c, k);
				if (x != NULL && strcmp(x->gran, "day") == 0 &&
				    k != c->dateline_tb && !weekday_before(c, k) &&
				    !(pub_known && days_between(x->start, c->ref_date) > 93)) {
					fd = x;
					break;
				}
			}
			add_event(c, tb, te, tb, fd, kw, kwlen, type, fd ? 0.7 : 0.6);
			break;
		}
	}
	/* "Cùng ngày, … Đồn Biên phòng X tổ chức tuần tra …": another event
	 * of the same day */
	for (size_t s = 0; s < d->ns && c->nev > 0 && c->nev < 8; s++) {
		size_t tb = d->s[s].tb, te = d->s[s].te, kw, kwlen;
		const char *type;
		struct found_date same;
		if (tok_phrase(d, tb, "cung ngay") != 2 || !tok_range_has(d, tb, te, "to chuc") ||
		    !event_word(c, tb + 2, te, &kw, &kwlen, &type))
			continue;
		memset(&same, 0, sizeof same);
		same.tb = tb;
		same.te = tb + 2;
		snprintf(same.start, sizeof same.start, "%s", c->ev[0].date);
		add_event(c, tb, te, tb, c->ev[0].date[0] ? &same : NULL, kw, kwlen, type, 0.6);
	}
}

/* ---- the driver ---------------------------------------------------------------- */

static int
cmp_props(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t sx = json_integer_value(json_array_get(json_object_get(x, "span"), 0));
	json_int_t sy = json_integer_value(json_array_get(json_object_get(y, "span"), 0));

	return sx < sy ? -1 : sx > sy;
}

static json_t *
source_of(const struct ctx *c, const char *text, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	const struct doc *d = &c->d;
	json_t *src = json_object();
	const char *name = c->opt != NULL ? c->opt->source_name : NULL;

	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	json_object_set_new(src, PSRC_NAME, name ? json_string(name) : json_null());
	json_object_set_new(src, PSRC_SHA256, json_string(hex));
	/* the title: the first line with words */
	for (size_t s = 0; s < d->ns; s++) {
		size_t tb = d->s[s].tb, te = d->s[s].te;
		bool words = false;
		for (size_t i = tb; i < te; i++)
			words |= d->t[i].type == TK_WORD;
		if (!words)
			continue;
		/* the whole first line, even when it has several sentences */
		while (s + 1 < d->ns && d->s[s + 1].tb == te)
			te = d->s[++s].te;
		json_object_set_new(src, PSRC_TITLE, tok_text(c, tb, te));
		return src;
	}
	json_object_set_new(src, PSRC_TITLE, json_null());
	return src;
}

int
ingest_extract(struct store *st, const char *text, size_t len,
    const struct ingest_options *opt, json_t **out, struct err *e)
{
	struct ctx c;
	json_t *res = NULL, *source;
	unsigned long json_failed = err_alloc_failures();
	int rc = -1;

	*out = NULL;
	if (len > INGEST_TEXT_MAX)
		return err_set(e, ERR_TOO_LARGE, "văn bản dài hơn %u MB",
		    INGEST_TEXT_MAX >> 20);
	if (text == NULL || !text_valid_utf8(text, len))
		return err_set(e, ERR_BAD_REQUEST, "văn bản không phải UTF-8 hợp lệ");
	if (memchr(text, '\0', len) != NULL)
		return err_set(e, ERR_BAD_REQUEST, "văn bản chứa ký tự NUL");
	memset(&c, 0, sizeof c);
	c.opt = opt;
	c.dateline_tb = (size_t)-1;
	if (doc_build(&c.d, text, len, e) != 0)
		goto done;
	{
		bool words = false;
		for (size_t i = 0; i < c.d.nt && !words; i++)
			words = c.d.t[i].type == TK_WORD;
		if (!words) {
			err_set(e, ERR_BAD_REQUEST, "văn bản trống");
			goto done;
		}
	}
	/* a gazetteer the caller loaded is borrowed: copied by value, its
	 * arrays shared and never written (see done:) */
	if (opt != NULL && opt->gazetteer != NULL)
		c.g = opt->gazetteer->g;
	else if (gaz_load(st, &c.g, e) != 0)
		goto done;
	c.mark = calloc(c.d.nt + 1, 1);
	c.props = json_array();
	c.seen = json_object();
	c.seen_abbrev = json_object();
	if (c.mark == NULL || c.props == NULL || c.seen == NULL || c.seen_abbrev == NULL) {
		err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		goto done;
	}
	source = source_of(&c, text, len);
	find_reference(&c, source);
	rule_dates(&c, !json_is_null(json_object_get(source, PSRC_PUBLICATION_DATE)));
	rule_legal(&c);
	merge_named_legal(&c);
	rule_events(&c);
	/* units are resolved as of the event's date: names changed in 2025 */
	snprintf(c.unit_date, sizeof c.unit_date, "%s",
	    c.nev > 0 && c.ev[0].date[0] ? c.ev[0].date : c.ref_date);
	rule_places(&c);
	rule_places_done(&c);
	rule_people(&c);
	rule_orgs(&c);
	rule_commendations(&c);
	rule_figures(&c);
	rule_statements(&c);

	/* in text order; internal keys ("_…") dropped */
	{
		size_t n = json_array_size(c.props), i;
		json_t **v = calloc(n + 1, sizeof *v), *sorted = json_array(), *p;
		if (v == NULL || sorted == NULL) {
			free(v);
			json_decref(sorted);
			json_decref(source);
			err_set(e, ERR_INTERNAL, "hết bộ nhớ");
			goto done;
		}
		json_array_foreach(c.props, i, p)
			v[i] = p;
		qsort(v, n, sizeof *v, cmp_props);
		for (i = 0; i < n; i++) {
			/* merged into another proposal */
			if (json_is_true(json_object_get(v[i], "_drop")))
				continue;
			const char *k;
			json_t *val;
			void *tmp;
			json_object_foreach_safe(v[i], tmp, k, val)
				if (k[0] == '_')
					json_object_del(v[i], k);
			json_array_append(sorted, v[i]);
		}
		free(v);
		res = json_pack("{s:o, s:I, s:o}", "source", source, "text_length",
		    (json_int_t)len, PSET_PROPOSALS, sorted);
	}
	/* a proposal, or a part of one, jansson could not allocate would be
	 * missing without a word */
	if (res == NULL || err_alloc_failures() != json_failed) {
		json_decref(res);
		err_nomem(e);
		goto done;
	}
	*out = res;
	rc = 0;
done:
	json_decref(c.props);
	json_decref(c.seen);
	json_decref(c.seen_abbrev);
	free(c.mark);
	free(c.dates);
	if (opt == NULL || opt->gazetteer == NULL)
		gaz_free(&c.g);
	doc_free(&c.d);
	return rc;
}

struct ingest_gazetteer *
ingest_gazetteer_load(struct store *st, struct err *e)
{
	struct ingest_gazetteer *g = calloc(1, sizeof *g);

	if (g == NULL) {
		err_nomem(e);
		return NULL;
	}
	if (gaz_load(st, &g->g, e) != 0) {
		free(g);
		return NULL;
	}
	return g;
}

void
ingest_gazetteer_free(struct ingest_gazetteer *g)
{
	if (g == NULL)
		return;
	gaz_free(&g->g);
	free(g);
}
