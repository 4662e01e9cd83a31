/*
 * text.h - Vietnamese text: UTF-8 validation, NFC, search folding, and the
 * parsers for numbers, dates, periods and document numbers as they are written
 * in Vietnamese administrative reports.
 *
 * Every function is pure (no global state, no I/O) and thread-safe.  Strings
 * returned through char ** are malloc'd and owned by the caller.
 */
#ifndef GIAPRANH_TEXT_H
#define GIAPRANH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/utf8.h" /* text_valid_utf8, text_fix_utf8 */

/* A whole decimal integer: an optional '-', then digits only, no space,
 * no sign '+', no grouping, within int64 ("12", "-3"; not "12abc", "1e3",
 * " 7", "").  true with *out set. */
bool text_int64(const char *s, int64_t *out);

/* A text a spreadsheet would take for a formula (it starts with '=', '+',
 * '@', a tab, a carriage return, or '-' before something; or an apostrophe
 * before one of these).  Every CSV we write puts an apostrophe before such a
 * text (OWASP "CSV injection"); XLSX cells are written as strings, never
 * formulas. */
bool text_formula_like(const char *s);

/* Normalise to NFC.  Returns 0 and a malloc'd string in *out, or -1 when the
 * input is not valid UTF-8 (*out is then NULL). */
int text_nfc(const char *s, size_t len, char **out);

/* The search key of a text: NFC, diacritics stripped, case folded, đ/Đ -> d,
 * runs of white space collapsed to one space, trimmed.  "Xín Mần" -> "xin man".
 * Returns a malloc'd string, or NULL when the input is not valid UTF-8. */
char *text_fold(const char *s);

/* Upper case of a text, letter by letter ("Huyện Si Ma Cai" ->
 * "HUYỆN SI MA CAI"), NFC; malloc'd, NULL when not valid UTF-8. */
char *text_upper(const char *s);

/* s with its first letter in upper (upper = true) or lower case, the rest
 * as it is ("Ủy ban nhân dân huyện X" -> "ủy ban nhân dân huyện X"), NFC;
 * malloc'd, NULL when not valid UTF-8.  Sentences quote names and titles
 * this way. */
char *text_first_case(const char *s, bool upper);

/* A label ("Số liệu chỉ tiêu", "Đơn vị hành chính") as it stands inside a
 * sentence, after a verb: "Sửa số liệu chỉ tiêu".  Its first letter in
 * lower case whatever its script; a label that starts with an acronym
 * (two capitals: "UBND …") is written as it is.  Into buf (cut to len). */
void text_label_in_sentence(const char *label, char *buf, size_t len);

/* The bare name of an administrative unit: its type word(s) removed
 * ("Huyện Si Ma Cai" -> "Si Ma Cai", "Thành phố Lào Cai" -> "Lào Cai",
 * "Thị trấn Bắc Hà" -> "Bắc Hà").  Writes into buf. */
void text_unit_bare_name(const char *name, char *buf, size_t len);

/* ---- numbers and quantities ------------------------------------------- */

/* Parse a decimal written the Vietnamese way: '.' groups thousands and ','
 * is the decimal mark ("23.000" = 23000, "184,5" = 184.5, "1.234,5").  A lone
 * '.' not followed by exactly three digits is read as a decimal point
 * ("97.4"), so ISO-style input also works.  The whole string (trimmed) must be
 * a number.  Returns 0 on success, -1 otherwise. */
int vi_parse_decimal(const char *s, double *out);

enum vi_qty_kind {
	VI_QTY_NUMBER,   /* "321 cuộc", "1,5 triệu", "18,9 tỷ đồng"          */
	VI_QTY_PERCENT,  /* "97,4%", "đạt 97 %"       value = 97.4            */
	VI_QTY_RANGE,    /* "2-7 hộ", "từ 1 - 2 biên chế"  value..value2      */
	VI_QTY_FRACTION, /* "33/34", "4/9 xã"  value = 33, value2 = 34        */
	VI_QTY_LINKED    /* "3 vụ/13 đối tượng": two counts, not a ratio      */
};

#define VI_QUALIFIER_MAX 16
#define VI_UNIT_MAX 48

struct vi_quantity {
	enum vi_qty_kind kind;
	double value;
	double value2;
	/* "trên", "hơn", "gần", "khoảng", "dưới", "tới", "" - lower case, NFC */
	char qualifier[VI_QUALIFIER_MAX];
	/* unit written after the number, NFC, as written but trimmed:
	 * "km", "hộ", "lượt người", "đồng" (after a scale word), "xã" */
	char unit[VI_UNIT_MAX];
	char unit2[VI_UNIT_MAX]; /* second unit of a linked count */
};

/* Parse one quantity phrase (the whole trimmed string):
 *   "trên 23.000 lượt người" -> NUMBER 23000, qualifier "trên", unit "lượt người"
 *   "184,5km"                -> NUMBER 184.5, unit "km"
 *   "1,5 triệu"              -> NUMBER 1500000
 *   "18,9 tỷ đồng"           -> NUMBER 18900000000, unit "đồng"
 *   "97,4%"                  -> PERCENT 97.4
 *   "2-7 hộ"                 -> RANGE 2..7, unit "hộ"
 *   "33/34 xã"               -> FRACTION 33/34, unit "xã"
 *   "3 vụ/13 đối tượng"      -> LINKED 3 "vụ", 13 "đối tượng"
 * Scale words: nghìn/ngàn (1e3), triệu (1e6), tỷ/tỉ (1e9).
 * Returns 0 on success, -1 when the text is not a quantity. */
int vi_parse_quantity(const char *s, struct vi_quantity *q);

/* ---- dates and periods ------------------------------------------------ */

struct vi_date {
	int year; /* 0 when the text gave none and no default was supplied */
	int month;
	int day;
};

/* Parse a date: "31/10/2023", "08/5/2017", "2023-10-31", "14.10.2015",
 * "Ngày 17-6", "ngày 5.12", "Chiều 27.11", "ngày 31 tháng 10 năm 2023".
 * A missing year takes default_year (0 = leave unknown).  The date must exist
 * in the calendar when the year is known.  Returns 0 or -1. */
int vi_parse_date(const char *s, int default_year, struct vi_date *out);

/* Write an ISO date "YYYY-MM-DD" (needs 11 bytes).  Returns 0, or -1 when the
 * year is unknown or the buffer too small. */
int vi_date_iso(const struct vi_date *d, char *buf, size_t len);

/* Is "YYYY-MM-DD" a real calendar date? */
bool vi_iso_date_valid(const char *s);

/* A date as a person types it into a field or an argument: ISO
 * "2025-12-31", or "31/12/2025", "1/2/2025" (day first, also with - or .),
 * or in words with its year ("ngày 31 tháng 12 năm 2025").  0 with the ISO
 * date in iso (VI_DATE_ISO_MAX bytes); -1 with msg saying why, for the
 * user: what the calendar lacks ("tháng 2 không có ngày 31 (tháng 2 có 28
 * ngày)", vi_date_problem) or the forms accepted.  Every date input path
 * takes dates through this (validate.c, query arguments, the command
 * line). */
#define VI_DATE_ISO_MAX 11
#define VI_DATE_FORMS "dd/mm/yyyy hoặc yyyy-mm-dd, ví dụ 31/12/2025"
int vi_date_input(const char *s, char *iso, char *msg, size_t msglen);

/* When s is written as a date in numbers (dd/mm/yyyy, with - or . too, or
 * yyyy-mm-dd) that is not in the calendar, what is wrong with it, for the
 * user ("tháng 2 không có ngày 31 (tháng 2 có 28 ngày)", "không có tháng
 * 13"): 1 and msg written; else 0. */
int vi_date_problem(const char *s, char *msg, size_t len);

/* ---- times ------------------------------------------------------------ */

/* A stored UTC timestamp ("2026-11-23T17:41:12Z"; also without the Z, with
 * a space for the T, or with fractions of a second) as Vietnam's clock
 * read it (base/clock.h: CLOCK_TIME_ZONE, UTC+07:00), the way people write
 * it: "24/11/2026 00:41" (the day turns over too).  The one formatting of
 * times for people (pages, lists, the audit log, exports read by people).
 * Needs VI_TIME_LOCAL_MAX bytes; 0, or -1 (buf empty) when s is no
 * timestamp or buf too small. */
#define VI_TIME_LOCAL_MAX 17 /* "dd/mm/yyyy HH:MM" + NUL */
int vi_time_local(const char *s, char *buf, size_t len);

enum vi_period_kind {
	VI_PERIOD_YEAR,        /* "năm 2023", "2023"                         */
	VI_PERIOD_HALF,        /* "6 tháng đầu năm 2024", "6 tháng cuối năm"  */
	VI_PERIOD_QUARTER,     /* "quý 4/2025", "quý IV năm 2025"            */
	VI_PERIOD_MONTH,       /* "tháng 3/2024", "tháng 3 năm 2024"          */
	VI_PERIOD_FIRST_MONTHS,/* "9 tháng đầu năm 2024" (other than 6)       */
	VI_PERIOD_RANGE        /* "giai đoạn 2013-2016", "nhiệm kỳ 2020 - 2025" */
};

#define VI_PERIOD_CODE_MAX 16

struct vi_period {
	enum vi_period_kind kind;
	int year;      /* first year                                         */
	int year_end;  /* last year (== year except RANGE)                    */
	int index;     /* half 1-2, quarter 1-4, month 1-12, months count     */
	char start[11];/* ISO first day */
	char end[11];  /* ISO last day  */
	/* canonical code, also accepted as input:
	 * "2023", "2024-H1", "2025-Q4", "2024-03", "2024-9M", "2020-2025" */
	char code[VI_PERIOD_CODE_MAX];
};

/* What the parsers below return when memory ran out (a -1 would blame the
 * input). */
#define VI_NOMEM (-2)

/* Parse a period as written in a report or in canonical form.  0, -1 when
 * it is no period, or VI_NOMEM.  Besides the forms above: "Q4/2025", "Q4
 * 2025", "H1/2024" (the code's letters in front, as spreadsheets write
 * them). */
int vi_parse_period(const char *s, struct vi_period *out);

/* The forms accepted, for messages that ask for a period. */
#define VI_PERIOD_FORMS "2023, năm 2023, 2024-H1, 6 tháng đầu năm 2024, " \
	"2025-Q4, quý 4/2025, Q4/2025, 2024-03, tháng 3/2024, 2024-9M, " \
	"9 tháng đầu năm 2024, 2020-2025"

/* A parsed period in Vietnamese words, for display: "năm 2023", "6 tháng
 * đầu năm 2024", "quý IV năm 2025", "tháng 3 năm 2024", "9 tháng đầu năm
 * 2024", "giai đoạn 2020-2025"; it parses back to the same code.  Needs
 * VI_PERIOD_LABEL_MAX bytes; 0, or -1 (buf empty) when it does not fit. */
#define VI_PERIOD_LABEL_MAX 40
int vi_period_label(const struct vi_period *p, char *buf, size_t len);

/* Dates of running text in words, as an official document writes them:
 * "ngày 5/12/2016", "ngày 05.12.2016" -> "ngày 05 tháng 12 năm 2016" (days
 * 1-9 and months 1-2 padded, Decree 30); "tháng 12.2016", "tháng 12/2016"
 * -> "tháng 12 năm 2016".  Anything else is copied as it is.  malloc'd,
 * NULL when out of memory. */
char *vi_dates_in_words(const char *s);

/* ---- document numbers (số, ký hiệu văn bản) ---------------------------- */

#define DOC_KIND_MAX 16
#define DOC_ISSUER_MAX 40

struct doc_number {
	long number;               /* 2523, 5, 160, 49                      */
	int year;                  /* 2015 in "49/2015/QĐ-TTg", else 0      */
	char kind[DOC_KIND_MAX];   /* "QĐ", "NQ", "KL", "NĐ", "BC", ... or "" */
	char issuer[DOC_ISSUER_MAX];/* "UBND", "TU", "TTg", "CP", "UBTVQH15" */
	bool party_style;          /* "05-NQ/TU" (Party) vs "2523/QĐ-UBND" (State) */
};

/* Parse a number/symbol: "2523/QĐ-UBND", "05-NQ/TU", "160-KL/TU",
 * "49/2015/QĐ-TTg", "77/2010/NĐ-CP", "1654/NQ-UBTVQH15", "Số: 07/BC-UBND",
 * "915/CTK-CSCL" (no kind: kind "" and issuer "CTK-CSCL").  On failure returns
 * -1 and writes a Vietnamese message naming what is wrong into err. */
int doc_number_parse(const char *s, struct doc_number *out, char *err, size_t errlen);

/* Format back to the canonical symbol; numbers below 10 get a leading zero
 * ("07/BC-UBND"), as Decree 30/2020 writes them.  0, or -1 if truncated. */
int doc_number_format(const struct doc_number *d, char *buf, size_t len);

/* Full Vietnamese name of a kind abbreviation ("QĐ" -> "Quyết định"), or
 * NULL when unknown.  The table is exported for seeding the catalog. */
const char *doc_kind_name(const char *abbrev);

struct doc_kind_entry { const char *abbrev; const char *name; };
extern const struct doc_kind_entry doc_kinds[];
extern const size_t doc_kinds_count;

#endif
