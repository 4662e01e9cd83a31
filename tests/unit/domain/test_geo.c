/* test_geo.c - centroids of boundaries and where a unit's records go
 * (geo.h):
 *  - shapes with a known centroid: squares either way round, a hole, a
 *    multipolygon (its largest part), a concave U whose centroid lies
 *    outside it (a point inside instead), degenerate shapes refused;
 *  - the shipped files: every layer has its units (7, 9, 87), every
 *    centroid inside its own boundary and within the northern border
 *    area, every district's inside its province's bounding box;
 *  - placement, by class of unit: a province of either vintage and a
 *    pre-2025 district on their own boundary; a pre-2025 commune at its
 *    district; a 2025 commune at its predecessors' district, else its
 *    province; a unit outside the shipped area nowhere;
 *  - a directory without the files is an error, not an empty map. */
#include <math.h>

#include "testutil.h"

#include "domain/geo.h"
#include "domain/seed.h"

static json_t *
parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	if (j == NULL)
		fail_msg("bad test JSON: %s", je.text);
	return j;
}

static void
centroid_is(const char *geometry, double lat, double lon)
{
	json_t *g = parse(geometry);
	double y = NAN, x = NAN;

	if (!geo_geometry_centroid(g, &y, &x))
		fail_msg("no centroid for %s", geometry);
	if (fabs(y - lat) > 1e-9 || fabs(x - lon) > 1e-9)
		fail_msg("%s: centroid %.12f, %.12f; expected %.12f, %.12f", geometry, y, x,
		    lat, lon);
	json_decref(g);
}

static void
test_known_shapes(void **state)
{
	static const char *const refused[] = {
		"{\"type\":\"Point\",\"coordinates\":[1,2]}",
		"{\"type\":\"Polygon\",\"coordinates\":[]}",
		"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[2,2],[0,0]]]}",
		"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}",
		"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[\"a\",0],[1,1],[0,0]]]}",
		"{\"coordinates\":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}",
	};
	json_t *g;
	double y, x;
	size_t i;

	(void)state;
	/* a square, counter-clockwise and clockwise */
	centroid_is("{\"type\":\"Polygon\",\"coordinates\":[[[100,20],[102,20],[102,22],"
	    "[100,22],[100,20]]]}", 21, 101);
	centroid_is("{\"type\":\"Polygon\",\"coordinates\":[[[100,20],[100,22],[102,22],"
	    "[102,20],[100,20]]]}", 21, 101);
	/* a 4x4 square with a 1x2 hole near its left side: the centroid moves
	 * right by the hole's moment (area 14, the hole's centre at x = 0.75):
	 * x = (16*2 - 2*0.75) / 14 */
	centroid_is("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	    "[[0.25,1],[0.25,3],[1.25,3],[1.25,1],[0.25,1]]]}", 2, (32.0 - 2 * 0.75) / 14);
	/* a hole over the centroid: the point is taken beside it, on the
	 * widest stretch of the same parallel (x from 2.5 to 4) */
	centroid_is("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[4,0],[4,4],[0,4],[0,0]],"
	    "[[0.5,1],[0.5,3],[2.5,3],[2.5,1],[0.5,1]]]}", 2, 3.25);
	/* a multipolygon: its largest part's centroid */
	centroid_is("{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,1],"
	    "[0,0]]],[[[10,10],[14,10],[14,14],[10,14],[10,10]]]]}", 12, 12);
	/* a U: its centroid (in the gap) is outside; the point given is in it */
	g = parse("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[6,0],[6,6],[5,6],[5,1],"
	    "[1,1],[1,6],[0,6],[0,0]]]}");
	assert_true(geo_geometry_centroid(g, &y, &x));
	assert_true((x > 0 && x < 1) || (x > 5 && x < 6) || (y > 0 && y < 1));
	json_decref(g);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		g = parse(refused[i]);
		if (geo_geometry_centroid(g, &y, &x))
			fail_msg("a centroid for %s", refused[i]);
		json_decref(g);
	}
}

/* ---- the shipped files --------------------------------------------------- */

static struct geo *shipped;
/* each layer's file, read once (layer_doc) */
static json_t *docs[GEO_LAYERS];

static int
load_shipped(void **state)
{
	char dir[400];
	struct err e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/data/admin-units/boundaries", tu_srcdir());
	shipped = geo_load(dir, &e);
	if (shipped == NULL)
		fprintf(stderr, "geo_load: %s\n", e.msg);
	return shipped == NULL ? -1 : 0;
}

static int
free_shipped(void **state)
{
	size_t l;

	(void)state;
	geo_free(shipped);
	for (l = 0; l < GEO_LAYERS; l++)
		json_decref(docs[l]);
	return 0;
}

static json_t *
layer_doc(enum geo_layer l)
{
	char path[400];

	if (docs[l] == NULL) {
		snprintf(path, sizeof(path), "%s/data/admin-units/boundaries/%s", tu_srcdir(),
		    geo_layer_file(l));
		docs[l] = json_load_file(path, 0, NULL);
		assert_non_null(docs[l]);
	}
	return docs[l];
}

/* The bounding box of one feature of a layer's file. */
static bool
bbox_of(enum geo_layer l, const char *code, double box[4])
{
	json_t *doc = layer_doc(l), *f, *coords;
	size_t i;
	bool found = false;

	box[0] = box[1] = 1e9;
	box[2] = box[3] = -1e9;
	json_array_foreach(json_object_get(doc, "features"), i, f) {
		const char *c = json_string_value(json_object_get(json_object_get(f,
		    "properties"), "code"));
		const char *type = json_string_value(json_object_get(json_object_get(f,
		    "geometry"), "type"));
		size_t a, b, k;
		json_t *poly, *ring, *pt;
		if (c == NULL || strcmp(c, code) != 0)
			continue;
		found = true;
		coords = json_object_get(json_object_get(f, "geometry"), "coordinates");
		json_array_foreach(coords, a, poly) {
			/* a Polygon's rings, or a MultiPolygon's polygons */
			json_t *rings = strcmp(type, "Polygon") == 0 ? coords : poly;
			json_array_foreach(rings, b, ring)
				json_array_foreach(ring, k, pt) {
					double x = json_number_value(json_array_get(pt, 0));
					double y = json_number_value(json_array_get(pt, 1));
					box[0] = fmin(box[0], y);
					box[1] = fmin(box[1], x);
					box[2] = fmax(box[2], y);
					box[3] = fmax(box[3], x);
				}
			if (strcmp(type, "Polygon") == 0)
				break;
		}
	}
	return found;
}

static void
test_shipped_centroids(void **state)
{
	static const struct { enum geo_layer l; size_t n; } counts[] = {
		{ GEO_PROVINCES_2025, 7 }, { GEO_PROVINCES_2024, 9 }, { GEO_DISTRICTS_2024, 87 },
	};
	json_t *doc, *f;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		assert_int_equal(geo_count(shipped, counts[i].l), counts[i].n);
		doc = layer_doc(counts[i].l);
		json_array_foreach(json_object_get(doc, "features"), k, f) {
			json_t *props = json_object_get(f, "properties");
			const char *code = json_string_value(json_object_get(props, "code"));
			const char *parent = json_string_value(json_object_get(props, "parent_code"));
			const char *name;
			double lat, lon, box[4], pbox[4];
			assert_true(geo_centroid(shipped, counts[i].l, code, &lat, &lon, &name));
			assert_string_equal(name, json_string_value(json_object_get(props, "name")));
			/* the northern border provinces */
			assert_true(lat > 20 && lat < 23.5 && lon > 102 && lon < 108);
			assert_true(bbox_of(counts[i].l, code, box));
			assert_true(lat >= box[0] && lat <= box[2] && lon >= box[1] && lon <= box[3]);
			/* a district's centroid is in its province's box */
			if (parent != NULL && parent[0] != '\0') {
				assert_true(bbox_of(GEO_PROVINCES_2024, parent, pbox));
				assert_true(lat >= pbox[0] && lat <= pbox[2] && lon >= pbox[1] &&
				    lon <= pbox[3]);
			}
		}
	}
	/* codes of the other layer or vintage are not found where they are not */
	{
		double lat, lon;
		assert_false(geo_centroid(shipped, GEO_DISTRICTS_2024, "10", &lat, &lon, NULL));
		assert_false(geo_centroid(shipped, GEO_PROVINCES_2025, "02", &lat, &lon, NULL));
		assert_false(geo_centroid(shipped, GEO_PROVINCES_2024, NULL, &lat, &lon, NULL));
	}
}

static void
test_placement(void **state)
{
	static const struct {
		const char *what;
		struct store_place_unit u;
		bool placed;
		enum geo_layer layer;
		const char *at;
		bool exact;
	} cases[] = {
		{ "2025 province", { 1, "15", "Tỉnh Lào Cai", REORG_DATE, 1, NULL, NULL, NULL },
		  true, GEO_PROVINCES_2025, "15", true },
		{ "2024 province", { 1, "15", "Tỉnh Yên Bái", NULL, 1, NULL, NULL, NULL },
		  true, GEO_PROVINCES_2024, "15", true },
		{ "2024 district", { 1, "084", "Huyện Si Ma Cai", NULL, 2, "10", NULL, NULL },
		  true, GEO_DISTRICTS_2024, "084", true },
		{ "2024 commune", { 1, "02812", "Xã Sán Chải", NULL, 3, "084", "10", NULL },
		  true, GEO_DISTRICTS_2024, "084", false },
		{ "2025 commune", { 1, "01024", "Xã Bản Máy", "2025-07-01", 2, "08", NULL, "032" },
		  true, GEO_DISTRICTS_2024, "032", false },
		{ "2025 commune without lineage", { 1, "99999", "Xã mới", "2025-07-01", 2, "08",
		  NULL, NULL }, true, GEO_PROVINCES_2025, "08", false },
		{ "2024 commune outside the shipped area", { 1, "26734", "Xã ở phía Nam", NULL, 3,
		  "747", "77", NULL }, false, 0, NULL, false },
		{ "2024 district outside, province inside", { 1, "999", "Huyện lạ", NULL, 2,
		  "10", NULL, NULL }, true, GEO_PROVINCES_2024, "10", false },
		{ "no unit", { 0, NULL, NULL, NULL, 0, NULL, NULL, NULL }, false, 0, NULL, false },
		{ "level 4", { 1, "1", "Thôn", NULL, 4, "02812", "084", NULL }, false, 0, NULL,
		  false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct geo_place gp;
		double lat, lon;
		bool placed = geo_place_unit(shipped, &cases[i].u, &gp);
		if (placed != cases[i].placed)
			fail_msg("%s: %s", cases[i].what, placed ? "placed" : "not placed");
		if (!placed)
			continue;
		if (gp.layer != cases[i].layer || strcmp(gp.code, cases[i].at) != 0 ||
		    gp.exact != cases[i].exact)
			fail_msg("%s: at %d:%s (exact %d)", cases[i].what, (int)gp.layer, gp.code,
			    gp.exact);
		assert_true(geo_centroid(shipped, gp.layer, gp.code, &lat, &lon, NULL));
		assert_true(lat == gp.lat && lon == gp.lon);
		assert_non_null(gp.name);
	}
}

static void
test_missing_files(void **state)
{
	struct err e = { 0 };

	(void)state;
	assert_null(geo_load(tu_tmpdir(), &e));
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_non_null(strstr(e.msg, "provinces_2025_north.geojson"));
	err_clear(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_shapes),
		cmocka_unit_test(test_shipped_centroids),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_missing_files),
	};

	return cmocka_run_group_tests_name("geo", tests, load_shipped, free_shipped);
}
