/*
 * geo.h - the shipped boundaries of the northern border provinces (the
 * GeoJSON files of data/admin-units/boundaries/: provinces before and from
 * 1 July 2025, districts before it; data/admin-units/README.md says where
 * they come from and under which licence): the centroid of every unit they
 * hold, and where a record of a unit goes on the map when it has no
 * coordinates of its own.
 *
 * Communes have no shipped boundary: a record of a commune is placed at
 * its district's centroid (a 2025 commune: the district of the communes
 * it was formed from), and says so.
 */
#ifndef GIAPRANH_GEO_H
#define GIAPRANH_GEO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "store/store_stats.h"

enum geo_layer {
	GEO_PROVINCES_2025,  /* provinces_2025_north.geojson */
	GEO_PROVINCES_2024,  /* provinces_2024_north.geojson */
	GEO_DISTRICTS_2024,  /* districts_2024_north.geojson */
	GEO_LAYERS
};

/* The file of a layer in the boundaries directory. */
const char *geo_layer_file(enum geo_layer l);

/* The centroids of a boundaries directory, read once (geo_load) and then
 * only read: safe to share between threads. */
struct geo;

/* Read every layer's file of dir: for each feature, its code, name and
 * centroid (the area-weighted centroid of its largest polygon, holes taken
 * out; a point inside the polygon when that centroid is not).  NULL with e
 * set when a file is missing, too large (GEO_FILE_MAX) or not GeoJSON. */
struct geo *geo_load(const char *dir, struct err *e);
void geo_free(struct geo *g);
/* Units of a layer. */
size_t geo_count(const struct geo *g, enum geo_layer l);

/* The centroid (and name, valid while g lives) of unit `code` of a layer;
 * false when the layer does not hold it. */
bool geo_centroid(const struct geo *g, enum geo_layer l, const char *code,
    double *lat, double *lon, const char **name);

/* Where a record of unit u goes: the centroid of u's own boundary (exact),
 * else of the nearest one that holds it - a pre-2025 commune's district,
 * then its province; a 2025 commune's predecessors' district, then its
 * province.  false when no shipped boundary holds u. */
struct geo_place {
	double lat, lon;
	enum geo_layer layer;
	const char *code, *name; /* the unit whose centroid it is */
	bool exact;              /* u's own boundary                 */
};
bool geo_place_unit(const struct geo *g, const struct store_place_unit *u,
    struct geo_place *out);

/* The centroid of one GeoJSON geometry (Polygon or MultiPolygon, [lon,
 * lat] positions) as geo_load computes it; false for anything else or a
 * degenerate shape. */
bool geo_geometry_centroid(const json_t *geometry, double *lat, double *lon);

#endif
