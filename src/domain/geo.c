/*
 * geo.c - centroids of the shipped boundaries (geo.h).  Plane geometry on
 * [lon, lat]: over a district or a province, the earth's curvature moves
 * a centroid by a few hundred metres at most - nothing for a marker that
 * says it stands for the whole district.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/gplimits.h"
#include "domain/geo.h"
#include "domain/seed.h"
#include "schema/registry.h"

#define GEO_CODE_MAX 16
#define GEO_NAME_MAX 160

static const char *const layer_files[GEO_LAYERS] = {
	"provinces_2025_north.geojson",
	"provinces_2024_north.geojson",
	"districts_2024_north.geojson",
};

struct geo_unit {
	char code[GEO_CODE_MAX];
	char name[GEO_NAME_MAX];
	double lat, lon;
};

struct geo {
	struct geo_unit *units[GEO_LAYERS];
	size_t n[GEO_LAYERS];
};

const char *
geo_layer_file(enum geo_layer l)
{
	return (unsigned)l < GEO_LAYERS ? layer_files[l] : "";
}

/* ---- geometry -------------------------------------------------------------- */

static bool
position(const json_t *p, double *x, double *y)
{
	const json_t *a = json_array_get(p, 0), *b = json_array_get(p, 1);

	if (!json_is_number(a) || !json_is_number(b))
		return false;
	*x = json_number_value(a);
	*y = json_number_value(b);
	return isfinite(*x) && isfinite(*y);
}

/* Twice the signed area of a ring and its first moments (times 6A). */
static bool
ring_moments(const json_t *ring, double *a2, double *mx, double *my)
{
	double x0, y0, x1, y1, cross;
	size_t i, n = json_array_size(ring);

	*a2 = *mx = *my = 0;
	if (n < 4)
		return false;
	for (i = 0; i + 1 < n; i++) {
		if (!position(json_array_get(ring, i), &x0, &y0) ||
		    !position(json_array_get(ring, i + 1), &x1, &y1))
			return false;
		cross = x0 * y1 - x1 * y0;
		*a2 += cross;
		*mx += (x0 + x1) * cross;
		*my += (y0 + y1) * cross;
	}
	return true;
}

/* Is (x, y) inside the ring (even-odd)? */
static bool
in_ring(const json_t *ring, double x, double y)
{
	double xi, yi, xj, yj;
	size_t i, n = json_array_size(ring);
	bool in = false;

	for (i = 0; i + 1 < n; i++) {
		if (!position(json_array_get(ring, i), &xi, &yi) ||
		    !position(json_array_get(ring, i + 1), &xj, &yj))
			return false;
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static bool
in_polygon(const json_t *rings, double x, double y)
{
	size_t k;

	if (!in_ring(json_array_get(rings, 0), x, y))
		return false;
	for (k = 1; k < json_array_size(rings); k++)
		if (in_ring(json_array_get(rings, k), x, y))
			return false;
	return true;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A point inside the polygon on the line y = *y: the middle of its widest
 * stretch (a concave shape's centroid may lie outside it). */
static bool
inside_on_line(const json_t *rings, double *x, double y)
{
	double *xs, xi, yi, xj, yj, best = -1;
	size_t k, i, n = 0, cap = 0;

	for (k = 0; k < json_array_size(rings); k++)
		cap += json_array_size(json_array_get(rings, k));
	if ((xs = calloc(cap + 1, sizeof(*xs))) == NULL)
		return false;
	for (k = 0; k < json_array_size(rings); k++) {
		const json_t *ring = json_array_get(rings, k);
		for (i = 0; i + 1 < json_array_size(ring); i++) {
			if (!position(json_array_get(ring, i), &xi, &yi) ||
			    !position(json_array_get(ring, i + 1), &xj, &yj))
				continue;
			if ((yi > y) != (yj > y))
				xs[n++] = (xj - xi) * (y - yi) / (yj - yi) + xi;
		}
	}
	qsort(xs, n, sizeof(*xs), cmp_double);
	/* crossings pair up: [xs0, xs1] inside, [xs1, xs2] outside, ... */
	for (i = 0; i + 1 < n; i += 2)
		if (xs[i + 1] - xs[i] > best) {
			best = xs[i + 1] - xs[i];
			*x = (xs[i] + xs[i + 1]) / 2;
		}
	free(xs);
	return best > 0;
}

/* The centroid and area of one polygon (rings: exterior, then holes),
 * whatever the rings' winding. */
static bool
polygon_centroid(const json_t *rings, double *cx, double *cy, double *area)
{
	double a2, mx, my, ta = 0, tx = 0, ty = 0, sign;
	size_t k;

	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return false;
	for (k = 0; k < json_array_size(rings); k++) {
		if (!ring_moments(json_array_get(rings, k), &a2, &mx, &my))
			return false;
		/* the exterior counts positive, holes negative */
		sign = ((k == 0) == (a2 >= 0)) ? 1 : -1;
		ta += sign * a2;
		tx += sign * mx;
		ty += sign * my;
	}
	if (!(fabs(ta) > 0))
		return false;
	*cx = tx / (3 * ta);
	*cy = ty / (3 * ta);
	*area = ta / 2;
	if (!in_polygon(rings, *cx, *cy) && !inside_on_line(rings, cx, *cy))
		return false;
	return true;
}

bool
geo_geometry_centroid(const json_t *geometry, double *lat, double *lon)
{
	const char *type = json_string_value(json_object_get(geometry, "type"));
	const json_t *coords = json_object_get(geometry, "coordinates"), *poly;
	double cx, cy, area, best = 0;
	bool found = false;
	size_t i;

	if (type == NULL || !json_is_array(coords))
		return false;
	if (strcmp(type, "Polygon") == 0) {
		if (!polygon_centroid(coords, &cx, &cy, &area))
			return false;
		*lon = cx;
		*lat = cy;
		return true;
	}
	if (strcmp(type, "MultiPolygon") != 0)
		return false;
	/* the largest part: an island's share would pull the point into the
	 * sea between them */
	json_array_foreach(coords, i, poly) {
		if (!polygon_centroid(poly, &cx, &cy, &area) || area <= best)
			continue;
		best = area;
		*lon = cx;
		*lat = cy;
		found = true;
	}
	return found;
}

/* ---- the layers ------------------------------------------------------------- */

static int
load_layer(struct geo *g, const char *dir, enum geo_layer l, struct err *e)
{
	const char *key_code = field_name(FLD_ADMIN_UNIT_CODE);
	const char *key_name = field_name(FLD_ADMIN_UNIT_NAME);
	char path[PATH_MAX_GP];
	json_error_t jerr;
	json_t *doc, *feats, *f;
	struct stat st;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, layer_files[l]);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return err_set(e, ERR_NOT_FOUND, "không có tệp ranh giới %s", path);
	if ((size_t)st.st_size > GEO_FILE_MAX)
		return err_set(e, ERR_INTERNAL, "tệp ranh giới %s quá lớn", path);
	doc = json_load_file(path, 0, &jerr);
	if (doc == NULL)
		return err_set(e, ERR_INTERNAL, "tệp ranh giới %s không đọc được: %s (dòng %d)",
		    path, jerr.text, jerr.line);
	feats = json_object_get(doc, "features");
	if (!json_is_array(feats) || json_array_size(feats) > GEO_UNITS_MAX) {
		json_decref(doc);
		return err_set(e, ERR_INTERNAL, "tệp ranh giới %s không phải GeoJSON "
		    "FeatureCollection (hay quá %d đơn vị)", path, GEO_UNITS_MAX);
	}
	g->units[l] = calloc(json_array_size(feats) + 1, sizeof(struct geo_unit));
	if (g->units[l] == NULL) {
		json_decref(doc);
		return err_nomem(e);
	}
	json_array_foreach(feats, i, f) {
		const json_t *props = json_object_get(f, "properties");
		const char *code = json_string_value(json_object_get(props, key_code));
		const char *name = json_string_value(json_object_get(props, key_name));
		struct geo_unit *u = &g->units[l][g->n[l]];
		/* a feature without a code or a usable shape places nothing */
		if (code == NULL || strlen(code) >= GEO_CODE_MAX ||
		    !geo_geometry_centroid(json_object_get(f, "geometry"), &u->lat, &u->lon))
			continue;
		snprintf(u->code, sizeof(u->code), "%s", code);
		snprintf(u->name, sizeof(u->name), "%s", name ? name : code);
		g->n[l]++;
	}
	json_decref(doc);
	return 0;
}

struct geo *
geo_load(const char *dir, struct err *e)
{
	struct geo *g = calloc(1, sizeof(*g));
	int l;

	if (g == NULL) {
		err_nomem(e);
		return NULL;
	}
	for (l = 0; l < GEO_LAYERS; l++)
		if (load_layer(g, dir, (enum geo_layer)l, e) != 0) {
			geo_free(g);
			return NULL;
		}
	return g;
}

void
geo_free(struct geo *g)
{
	int l;

	if (g == NULL)
		return;
	for (l = 0; l < GEO_LAYERS; l++)
		free(g->units[l]);
	free(g);
}

size_t
geo_count(const struct geo *g, enum geo_layer l)
{
	return g != NULL && (unsigned)l < GEO_LAYERS ? g->n[l] : 0;
}

bool
geo_centroid(const struct geo *g, enum geo_layer l, const char *code,
    double *lat, double *lon, const char **name)
{
	size_t i;

	if (g == NULL || code == NULL || (unsigned)l >= GEO_LAYERS)
		return false;
	for (i = 0; i < g->n[l]; i++)
		if (strcmp(g->units[l][i].code, code) == 0) {
			*lat = g->units[l][i].lat;
			*lon = g->units[l][i].lon;
			if (name != NULL)
				*name = g->units[l][i].name;
			return true;
		}
	return false;
}

static bool
try_place(const struct geo *g, enum geo_layer l, const char *code, bool exact,
    struct geo_place *out)
{
	if (!geo_centroid(g, l, code, &out->lat, &out->lon, &out->name))
		return false;
	out->layer = l;
	out->code = code;
	out->exact = exact;
	return true;
}

bool
geo_place_unit(const struct geo *g, const struct store_place_unit *u,
    struct geo_place *out)
{
	/* a unit valid from the reorganisation is of the 2025 vintage: its
	 * code is of the other namespace */
	bool new = u->valid_from != NULL && strcmp(u->valid_from, REORG_DATE) >= 0;

	memset(out, 0, sizeof(*out));
	if (u->id == 0 || u->code == NULL)
		return false;
	switch (u->level) {
	case 1:
		return try_place(g, new ? GEO_PROVINCES_2025 : GEO_PROVINCES_2024, u->code,
		    true, out);
	case 2:
		if (!new)
			return try_place(g, GEO_DISTRICTS_2024, u->code, true, out) ||
			    try_place(g, GEO_PROVINCES_2024, u->parent_code, false, out);
		/* a 2025 commune: the district of the communes it was formed from */
		return try_place(g, GEO_DISTRICTS_2024, u->old_district_code, false, out) ||
		    try_place(g, GEO_PROVINCES_2025, u->parent_code, false, out);
	case 3:
		return try_place(g, GEO_DISTRICTS_2024, u->parent_code, false, out) ||
		    try_place(g, GEO_PROVINCES_2024, u->grandparent_code, false, out);
	default:
		return false;
	}
}
