/*
 * test_dhis2.c - the exchange formats of dhis2.h, without a database:
 * period ids both ways (a table: DHIS2 id, canonical period, ADX period),
 * numbers as exchanged, each format written and read back to the same
 * values, the documentation's own examples read as printed
 * (docs/exchange-standards.md §1.3, §1.4, §2.2), and malformed input
 * refused with a message naming its line or value and field.
 */
#include "testutil.h"

#include "domain/dhis2.h"
#include "domain/dhis2_keys.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- periods --------------------------------------------------------------------- */

/* Each DHIS2 id of the four kinds this system has: its canonical period
 * and its ADX form; both ways. */
static const struct {
	const char *dhis2, *canon, *adx;
} periods[] = {
	{ "2023", "2023", "2023-01-01/P1Y" },
	{ "2004", "2004", "2004-01-01/P1Y" },
	{ "2023S1", "2023-H1", "2023-01-01/P6M" },
	{ "2023S2", "2023-H2", "2023-07-01/P6M" },
	{ "2023Q1", "2023-Q1", "2023-01-01/P3M" },
	{ "2023Q4", "2023-Q4", "2023-10-01/P3M" },
	{ "202312", "2023-12", "2023-12-01/P1M" },
	{ "201401", "2014-01", "2014-01-01/P1M" },
	{ "200403", "2004-03", "2004-03-01/P1M" },
};

static void
test_periods_both_ways(void **state)
{
	char out[DHIS2_PERIOD_MAX], why[DHIS2_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(periods); i++) {
		assert_int_equal(dhis2_period_in(periods[i].dhis2, out, sizeof(out), why,
		    sizeof(why)), 0);
		assert_string_equal(out, periods[i].canon);
		assert_int_equal(dhis2_period_out(periods[i].canon, out, sizeof(out)), 0);
		assert_string_equal(out, periods[i].dhis2);
		assert_int_equal(adx_period_out(periods[i].dhis2, out, sizeof(out)), 0);
		assert_string_equal(out, periods[i].adx);
		assert_int_equal(adx_period_in(periods[i].adx, out, sizeof(out), why,
		    sizeof(why)), 0);
		assert_string_equal(out, periods[i].dhis2);
	}
}

/* DHIS2 ids of the other types of §1.5 (1: a period with no counterpart
 * here, said so) and what is no DHIS2 period (-1). */
static const struct {
	const char *id;
	int rc;
	const char *says;   /* a word of the reason */
} other_ids[] = {
	{ "20040315", 1, "ngày" }, { "2004W10", 1, "tuần" }, { "2015WedW5", 1, "thứ Tư" },
	{ "2015ThuW6", 1, "thứ Năm" }, { "2015SatW7", 1, "thứ Bảy" },
	{ "2015SunW8", 1, "Chủ nhật" }, { "2015BiW1", 1, "hai tuần" },
	{ "200401B", 1, "hai tháng" }, { "2004AprilS1", 1, "tháng 4" },
	{ "2004April", 1, "tài chính" }, { "2004July", 1, "tài chính" },
	{ "2004Oct", 1, "tài chính" },
	{ "2023Q5", -1, "không phải" }, { "2023S3", -1, "không phải" },
	{ "202313", -1, "không phải" }, { "2023-Q4", -1, "không phải" },
	{ "quý 4/2023", -1, "không phải" }, { "", -1, "không phải" },
	{ "20231", -1, "không phải" }, { "0999", -1, "không phải" },
	{ "20230230", -1, "không phải" }, { "2023W54", -1, "không phải" },
};

static void
test_other_period_ids(void **state)
{
	char out[DHIS2_PERIOD_MAX], why[DHIS2_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(other_ids); i++) {
		int rc = dhis2_period_in(other_ids[i].id, out, sizeof(out), why, sizeof(why));
		if (rc != other_ids[i].rc || strstr(why, other_ids[i].says) == NULL)
			fail_msg("%s: %d '%s'", other_ids[i].id, rc, why);
		assert_string_equal(out, "");
	}
	/* canonical periods DHIS2 has no id for */
	assert_int_equal(dhis2_period_out("2024-9M", out, sizeof(out)), -1);
	assert_int_equal(dhis2_period_out("2020-2025", out, sizeof(out)), -1);
	assert_int_equal(dhis2_period_out("quý 4/2025", out, sizeof(out)), -1);
}

/* ADX periods of §2.4: misaligned starts refused (DHIS2 would read the
 * period that holds the day), durations with no counterpart said so. */
static const struct {
	const char *adx;
	int rc;
} adx_other[] = {
	{ "2023-11-15/P3M", -1 }, { "2023-02-01/P3M", -1 }, { "2023-03-01/P6M", -1 },
	{ "2023-02-01/P1Y", -1 }, { "2023-12-02/P1M", -1 }, { "2023-12-01/P2Y", -1 },
	{ "2023-13-01/P1M", -1 }, { "2023-12-01", -1 }, { "202312", -1 },
	{ "2023-12-01/P1D", 1 }, { "2023-12-04/P7D", 1 }, { "2023-12-04/P14D", 1 },
	{ "2023-01-01/P2M", 1 }, { "2023-04-01/P6M", 1 }, { "2023-04-01/P1Y", 1 },
	{ "2023-07-01/P1Y", 1 }, { "2023-10-01/P1Q", 0 },
};

static void
test_adx_periods_refused(void **state)
{
	char out[DHIS2_PERIOD_MAX], why[DHIS2_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(adx_other); i++) {
		int rc = adx_period_in(adx_other[i].adx, out, sizeof(out), why, sizeof(why));
		if (rc != adx_other[i].rc)
			fail_msg("%s: %d '%s'", adx_other[i].adx, rc, why);
		if (rc != 0)
			assert_non_null(strstr(why, adx_other[i].adx));
	}
	assert_int_equal(adx_period_in("2023-10-01/P1Q", out, sizeof(out), NULL, 0), 0);
	assert_string_equal(out, "2023Q4");
}

/* ---- numbers ------------------------------------------------------------------------ */

static void
test_numbers_without_exponent(void **state)
{
	static const struct { double v; const char *text; } nums[] = {
		{ 0, "0" }, { -0.0, "0" }, { 12, "12" }, { -3, "-3" }, { 12.5, "12.5" },
		{ 0.1, "0.1" }, { 1.0 / 3, "0.33333333333333331" }, { 1.5e-7, "0.00000015" },
		{ 1e20, "100000000000000000000" }, { 184.5, "184.5" }, { 1e-300, NULL },
		{ 98.76, "98.76" }, { 123456789012.25, "123456789012.25" },
	};
	char buf[DHIS2_NUMBER_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(nums); i++) {
		dhis2_number(nums[i].v, buf, sizeof(buf));
		assert_null(strchr(buf, 'e'));
		if (nums[i].text != NULL)
			assert_string_equal(buf, nums[i].text);
		/* it reads back as the same number */
		assert_true(strtod(buf, NULL) == nums[i].v);
	}
}

/* ---- the formats ----------------------------------------------------------------------- */

static json_t *
parse_ok(enum dhis2_format f, const char *text)
{
	struct dhis2_input in;
	struct err e = { 0 };
	json_t *v;

	if (dhis2_parse(f, text, strlen(text), true, &in, &e) != 0)
		fail_msg("parse failed: %s\n%s", e.msg, text);
	v = json_incref(in.values);
	dhis2_input_free(&in);
	return v;
}

static char *
written(enum dhis2_format f, const json_t *values)
{
	struct buf b;
	struct err e = { 0 };

	buf_init(&b, 1 << 20);
	assert_int_equal(dhis2_write(f, values, "2024-05-01T10:00:00Z", &b, &e), 0);
	return buf_take(&b);
}

/* The values without this module's own keys (position, line). */
static json_t *
exchanged(const json_t *values)
{
	json_t *out = json_array(), *v, *c;
	size_t i;

	json_array_foreach(values, i, v) {
		c = json_deep_copy(v);
		json_object_del(c, DK_X_INDEX);
		json_object_del(c, DK_X_LINE);
		json_array_append_new(out, c);
	}
	return out;
}

/* Values of several org units and periods, with comments that need
 * escaping in every format. */
static const char sample_json[] =
	"{\"dataSet\": \"pBOMPrpg1QX\", \"dataValues\": ["
	"{\"dataElement\": \"f7n9E0hX8qk\", \"period\": \"2023Q4\", \"orgUnit\": \"084\", "
	"\"value\": \"12\", \"comment\": \"số liệu \\\"ước\\\", chưa đủ\\ndòng 2\"},"
	"{\"dataElement\": \"Ix2HsbDMLea\", \"period\": \"2023Q4\", \"orgUnit\": \"084\", "
	"\"categoryOptionCombo\": \"bRowv6yZOF2\", \"value\": \"14.5\"},"
	"{\"dataElement\": \"f7n9E0hX8qk\", \"period\": \"2023Q4\", \"orgUnit\": \"085\", "
	"\"value\": \"0\", \"comment\": \"a<b & c>d\"},"
	"{\"dataElement\": \"f7n9E0hX8qk\", \"period\": \"2023\", \"orgUnit\": \"085\", "
	"\"value\": \"-3\", \"completeDate\": \"2024-01-05\"}]}";

/* Written in each format and read back: the same values (ADX carries no
 * comment, CSV no data set or completion: §1.4, §2.3). */
static void
test_write_then_read(void **state)
{
	enum dhis2_format fmts[] = { DHIS2_JSON, DHIS2_CSV, DHIS2_ADX };
	json_t *values = parse_ok(DHIS2_JSON, sample_json), *want = exchanged(values);
	size_t i, k;

	(void)state;
	assert_int_equal(json_array_size(values), 4);
	for (i = 0; i < N_ELEM(fmts); i++) {
		char *text = written(fmts[i], want), *again;
		json_t *back = parse_ok(fmts[i], text), *got = exchanged(back), *v;
		json_t *expect = json_deep_copy(want);
		json_array_foreach(expect, k, v) {
			if (fmts[i] == DHIS2_ADX)
				json_object_del(v, DK_COMMENT);
			if (fmts[i] == DHIS2_CSV) {
				json_object_del(v, DK_DATA_SET);
				json_object_del(v, DK_COMPLETE_DATE);
			}
		}
		if (!json_equal(got, expect))
			fail_msg("format %d:\n%s\nread back as\n%s", (int)fmts[i], text,
			    json_dumps(got, JSON_SORT_KEYS));
		/* and written again, byte for byte the same */
		again = written(fmts[i], got);
		{
			char *first = written(fmts[i], expect);
			assert_string_equal(again, first);
			free(first);
		}
		free(again);
		free(text);
		json_decref(expect);
		json_decref(got);
		json_decref(back);
	}
	json_decref(want);
	json_decref(values);
}

/* The JSON of "Sending data values", as printed (§1.3): the set's
 * defaults go to every value, and it writes back byte for byte. */
static const char doc_example[] =
	"{\n"
	"  \"dataSet\": \"pBOMPrpg1QX\",\n"
	"  \"completeDate\": \"2014-02-03\",\n"
	"  \"period\": \"201401\",\n"
	"  \"orgUnit\": \"DiszpKrYNg8\",\n"
	"  \"dataValues\": [\n"
	"    { \"dataElement\": \"f7n9E0hX8qk\", \"value\": \"1\" },\n"
	"    { \"dataElement\": \"Ix2HsbDMLea\", \"value\": \"2\" },\n"
	"    { \"dataElement\": \"eY5ehpbEsB7\", \"value\": \"3\" }\n"
	"  ]\n"
	"}\n";

static void
test_documentation_examples(void **state)
{
	/* the bulk form: no set, each value its own period and org unit */
	static const char bulk[] = "{\"dataValues\":["
		"{\"dataElement\":\"f7n9E0hX8qk\",\"period\":\"201401\",\"orgUnit\":\"DiszpKrYNg8\",\"value\":\"12\"},"
		"{\"dataElement\":\"f7n9E0hX8qk\",\"period\":\"201401\",\"orgUnit\":\"FNnj3jKGS7i\",\"value\":\"14\"},"
		"{\"dataElement\":\"f7n9E0hX8qk\",\"period\":\"201402\",\"orgUnit\":\"DiszpKrYNg8\",\"value\":\"16\"},"
		"{\"dataElement\":\"f7n9E0hX8qk\",\"period\":\"201402\",\"orgUnit\":\"Jkhdsf8sdf4\",\"value\":\"18\"}]}";
	/* the import example of §1.4, its header spelt its own way */
	static const char csv[] =
		"\"dataelement\",\"period\",\"orgunit\",\"catoptcombo\",\"attroptcombo\","
		"\"value\",\"storedby\",\"timestamp\"\n"
		"\"DUSpd8Jq3M7\",\"201202\",\"gP6hn503KUX\",\"Prlt0C1RF0s\",,\"7\",\"bombali\","
		"\"2010-04-17\"\n";
	/* the ADX of §2.2 */
	static const char adx[] =
		"<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2015-02-08T19:30:00Z\">\n"
		"  <group orgUnit=\"OU_559\" period=\"2015-06-01/P1M\" completeDate=\"2015-07-01\" dataSet=\"(TB/HIV)VCCT\">\n"
		"    <dataValue dataElement=\"VCCT_0\" GENDER=\"FMLE\" HIV_AGE=\"AGE0-14\" value=\"32\"/>\n"
		"    <dataValue dataElement=\"VCCT_0\" GENDER=\"MLE\" HIV_AGE=\"AGE0-14\" value=\"32\"/>\n"
		"  </group>\n"
		"</adx>\n";
	json_t *v = parse_ok(DHIS2_JSON, doc_example), *x, *w;
	char *text;
	size_t i;

	(void)state;
	assert_int_equal(json_array_size(v), 3);
	json_array_foreach(v, i, x) {
		assert_string_equal(json_string_value(json_object_get(x, DK_ORG_UNIT)),
		    "DiszpKrYNg8");
		assert_string_equal(json_string_value(json_object_get(x, DK_PERIOD)), "201401");
		assert_string_equal(json_string_value(json_object_get(x, DK_COMPLETE_DATE)),
		    "2014-02-03");
		assert_string_equal(json_string_value(json_object_get(x, DK_DATA_SET)),
		    "pBOMPrpg1QX");
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 2),
	    DK_VALUE)), "3");
	w = exchanged(v);
	text = written(DHIS2_JSON, w);
	assert_string_equal(text, doc_example);
	free(text);
	json_decref(w);
	json_decref(v);

	v = parse_ok(DHIS2_JSON, bulk);
	assert_int_equal(json_array_size(v), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 3),
	    DK_ORG_UNIT)), "Jkhdsf8sdf4");
	assert_null(json_object_get(json_array_get(v, 0), DK_DATA_SET));
	json_decref(v);

	v = parse_ok(DHIS2_CSV, csv);
	assert_int_equal(json_array_size(v), 1);
	x = json_array_get(v, 0);
	assert_string_equal(json_string_value(json_object_get(x, DK_DATA_ELEMENT)),
	    "DUSpd8Jq3M7");
	assert_string_equal(json_string_value(json_object_get(x, DK_COC)), "Prlt0C1RF0s");
	assert_null(json_object_get(x, DK_AOC));
	assert_string_equal(json_string_value(json_object_get(x, DK_VALUE)), "7");
	assert_int_equal(json_integer_value(json_object_get(x, DK_X_LINE)), 2);
	json_decref(v);

	v = parse_ok(DHIS2_ADX, adx);
	assert_int_equal(json_array_size(v), 2);
	x = json_array_get(v, 1);
	assert_string_equal(json_string_value(json_object_get(x, DK_PERIOD)), "201506");
	assert_string_equal(json_string_value(json_object_get(x, DK_DATA_SET)),
	    "(TB/HIV)VCCT");
	assert_string_equal(json_string_value(json_object_get(x, DK_COMPLETE_DATE)),
	    "2015-07-01");
	assert_int_equal(json_integer_value(json_object_get(x, DK_X_LINE)), 4);
	/* exploded categories: the value is read, its disaggregation is a
	 * conflict of its own (this system takes categoryOptionCombo) */
	assert_non_null(strstr(json_string_value(json_object_get(x, DK_X_PROBLEM)),
	    "GENDER"));
	json_decref(v);
}

/* Malformed input: refused whole, the message naming where and what. */
static const struct {
	enum dhis2_format f;
	const char *text;
	const char *says[3];
} malformed[] = {
	{ DHIS2_JSON, "{\"dataValues\": [", { "dòng 1", "cột 16", NULL } },
	{ DHIS2_JSON, "[1, 2]", { "đối tượng", NULL } },
	{ DHIS2_JSON, "{\"dataValues\": {}}", { "dataValues", "mảng", NULL } },
	{ DHIS2_JSON, "{\"period\": 2023, \"dataValues\": []}", { "period", "chuỗi", NULL } },
	{ DHIS2_JSON, "{\"dataValues\": [{\"dataElement\": \"a\", \"period\": \"2023\"}]}",
	  { "giá trị thứ 1", "dataValues[0]", "orgUnit" } },
	{ DHIS2_JSON, "{\"orgUnit\": \"x\", \"period\": \"2023\", \"dataValues\": "
	  "[{\"dataElement\": \"a\"}, {\"value\": \"1\"}]}",
	  { "giá trị thứ 2", "dataValues[1]", "dataElement" } },
	{ DHIS2_JSON, "{\"orgUnit\": \"x\", \"period\": \"2023\", \"dataValues\": "
	  "[{\"dataElement\": \"a\", \"value\": true}]}", { "dataValues[0]", "value", NULL } },
	{ DHIS2_JSON, "{\"orgUnit\": \"x\", \"period\": \"2023\", \"dataValues\": "
	  "[{\"dataElement\": \"a\", \"deleted\": \"yes\"}]}", { "dataValues[0]", "deleted", NULL } },
	{ DHIS2_JSON, "{\"dryRun\": \"yes\"}", { "dryRun", NULL } },
	{ DHIS2_CSV, "de,pe,ou,coc,aoc,value\n\"a\",\"2023\",\"x\"\n\"b\",\"2023\"\n",
	  { "dòng 3", "3 cột", NULL } },
	{ DHIS2_CSV, "de,pe,ou\na,2023,x\nb,,x\n", { "dòng 3", "period", NULL } },
	{ DHIS2_CSV, "de,pe,ou\na,2023,x\n\"b,2023,x\n", { "dòng 3", "CSV", NULL } },
	{ DHIS2_CSV, "h\na,2023,x,,,1,,,,false,maybe\n", { "dòng 2", "deleted", "maybe" } },
	{ DHIS2_CSV, "h\n\"a\nb\",2023,x\nc,2023\n", { "dòng 4", "3 cột", NULL } },
	{ DHIS2_ADX, "<data/>", { "dòng 1", "urn:ihe:qrph:adx:2015", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"http://ihe.net/quality/schema/adx\"/>",
	  { "urn:ihe:qrph:adx:2015", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"a\">\n"
	  "</group></adx>", { "dòng 2", "period", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"a\" "
	  "period=\"2023-11-15/P3M\">\n</group></adx>", { "dòng 2", "2023-11-15/P3M", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"a\" "
	  "period=\"2023-10-01/P3M\">\n\n<dataValue value=\"1\"/></group></adx>",
	  { "dòng 4", "dataElement", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"a\" "
	  "period=\"2023-10-01/P3M\">\n<dataValue dataElement=\"d\" value=\"1\">\n"
	  "</group></adx>", { "dòng 4", "không khớp", NULL } },
	{ DHIS2_ADX, "<!DOCTYPE adx [<!ENTITY x \"y\">]><adx xmlns=\"urn:ihe:qrph:adx:2015\"/>",
	  { "DOCTYPE", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"a&x;\" "
	  "period=\"2023\"/></adx>", { "dòng 2", "&x;", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\nchữ</adx>",
	  { "dòng 2", "văn bản", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\"><group", { "không đóng", NULL } },
	{ DHIS2_ADX, "<adx xmlns=\"urn:ihe:qrph:adx:2015\"></adx><adx/>", { "sau", NULL } },
	{ DHIS2_JSON, "{\"dataValues\": []}\xff", { "UTF-8", NULL } },
};

static void
test_malformed_input_named(void **state)
{
	struct dhis2_input in;
	size_t i, k;

	(void)state;
	for (i = 0; i < N_ELEM(malformed); i++) {
		struct err e = { 0 };
		int rc = dhis2_parse(malformed[i].f, malformed[i].text,
		    strlen(malformed[i].text), true, &in, &e);
		if (rc == 0)
			fail_msg("accepted: %s", malformed[i].text);
		assert_int_equal(e.code, ERR_BAD_REQUEST);
		for (k = 0; k < 3 && malformed[i].says[k] != NULL; k++)
			if (strstr(e.msg, malformed[i].says[k]) == NULL)
				fail_msg("%s\n-> '%s' does not say '%s'", malformed[i].text, e.msg,
				    malformed[i].says[k]);
		assert_null(in.values);
		err_clear(&e);
	}
}

/* What well-formed input may say that is only a value's conflict: kept
 * with its problem, the rest read. */
static void
test_adx_value_problems_kept(void **state)
{
	static const char adx[] =
		"<?xml version=\"1.0\"?>\n<!-- a comment -->\n"
		"<a:adx xmlns:a=\"urn:ihe:qrph:adx:2015\" exported=\"2024-01-01T00:00:00Z\">\n"
		"<a:group orgUnit=\"ou &amp; co\" period=\"2023-04-01/P1Y\" dataSet=\"ds\">\n"
		"<a:dataValue dataElement=\"d1\" value=\"1\"><a:annotation>text <b>x</b>"
		"</a:annotation></a:dataValue>\n"
		"</a:group>\n"
		"<a:group orgUnit=\"ou\" period=\"2023-10-01/P3M\" dataSet=\"ds\">\n"
		"<a:dataValue dataElement=\"d&#x31;\" categoryOptionCombo=\"c\" value=\"2\"/>\n"
		"</a:group></a:adx>";
	json_t *v = parse_ok(DHIS2_ADX, adx), *x;

	(void)state;
	assert_int_equal(json_array_size(v), 2);
	x = json_array_get(v, 0);
	assert_string_equal(json_string_value(json_object_get(x, DK_ORG_UNIT)), "ou & co");
	assert_string_equal(json_string_value(json_object_get(x, DK_PERIOD)),
	    "2023-04-01/P1Y");
	assert_string_equal(json_string_value(json_object_get(x, DK_X_PROPERTY)), DK_PERIOD);
	assert_non_null(strstr(json_string_value(json_object_get(x, DK_X_PROBLEM)),
	    "tài chính"));
	x = json_array_get(v, 1);
	assert_string_equal(json_string_value(json_object_get(x, DK_DATA_ELEMENT)), "d1");
	assert_string_equal(json_string_value(json_object_get(x, DK_PERIOD)), "2023Q4");
	assert_string_equal(json_string_value(json_object_get(x, DK_COC)), "c");
	assert_null(json_object_get(x, DK_X_PROBLEM));
	assert_int_equal(json_integer_value(json_object_get(x, DK_X_LINE)), 8);
	json_decref(v);
}

/* The CSV writer's columns are DHIS2's (§1.4), every field quoted. */
static void
test_csv_columns(void **state)
{
	json_t *v = json_pack("[{s:s, s:s, s:s, s:s, s:s}]", DK_DATA_ELEMENT, "de",
	    DK_PERIOD, "202312", DK_ORG_UNIT, "ou", DK_VALUE, "1.5", DK_COMMENT, "a \"b\"");
	char *text = written(DHIS2_CSV, v);

	(void)state;
	assert_string_equal(text,
	    "\"dataelement\",\"period\",\"orgunit\",\"categoryoptioncombo\","
	    "\"attributeoptioncombo\",\"value\",\"storedby\",\"lastupdated\","
	    "\"comment\",\"followup\",\"deleted\"\n"
	    "\"de\",\"202312\",\"ou\",\"\",\"\",\"1.5\",\"\",\"\",\"a \"\"b\"\"\","
	    "\"false\",\"false\"\n");
	free(text);
	text = written(DHIS2_ADX, v);
	assert_string_equal(text,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2024-05-01T10:00:00Z\">\n"
	    "  <group orgUnit=\"ou\" period=\"2023-12-01/P1M\">\n"
	    "    <dataValue dataElement=\"de\" value=\"1.5\"/>\n"
	    "  </group>\n"
	    "</adx>\n");
	free(text);
	json_decref(v);
	v = json_array();
	text = written(DHIS2_JSON, v);
	assert_string_equal(text, "{\n  \"dataValues\": []\n}\n");
	free(text);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods_both_ways),
		cmocka_unit_test(test_other_period_ids),
		cmocka_unit_test(test_adx_periods_refused),
		cmocka_unit_test(test_numbers_without_exponent),
		cmocka_unit_test(test_write_then_read),
		cmocka_unit_test(test_documentation_examples),
		cmocka_unit_test(test_malformed_input_named),
		cmocka_unit_test(test_adx_value_problems_kept),
		cmocka_unit_test(test_csv_columns),
	};

	return cmocka_run_group_tests_name("dhis2", tests, NULL, NULL);
}
