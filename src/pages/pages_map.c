/*
 * pages_map.c - /map: border markers, gates, incidents, activities and
 * twinned pairs on the border provinces, drawn by static/map.js with
 * Leaflet over the shipped boundaries (2025 or pre-2025, switchable;
 * served under /static/geo/), and an optional tile layer (serve
 * --tile-url); /map/features, the records as GeoJSON.  The page lists the
 * same features as tables: the reading without JavaScript.
 *
 * Every signed-in user reads these records; a confidential incident is
 * there only for a user with clearance (store_places).  A record without
 * coordinates of its own (or of its border marker) is placed at the
 * centroid of its unit's boundary, or of the nearest one that holds it
 * (geo.h), and its popup says so.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/geo.h"
#include "http/server.h"
#include "pages/map_tmpl.h"
#include "pages/pages_charts.h"
#include "pages/pages.h"
#include "pages/pages_view.h"
#include "schema/record.h"
#include "store/store_stats.h"
#include "web/web.h"

#define TWINNING_KEY "twinning" /* the layer of twinned pairs (agreements) */
/* records placed at one centroid are spread on a small spiral, so that
 * each can be clicked: about a kilometre apart */
#define SPREAD_DEG 0.01

/* ---- the boundaries' centroids, read once per process ------------------------- */

static struct geo *geo;
static pthread_once_t geo_once = PTHREAD_ONCE_INIT;

static void
geo_read(void)
{
	char dir[PATH_MAX_GP];
	struct err e = { 0 };

	snprintf(dir, sizeof(dir), "%s/data/admin-units/boundaries", server_root());
	geo = geo_load(dir, &e);
	/* without them records without coordinates are listed, not placed */
	if (geo == NULL)
		fprintf(stderr, "giapranh: bản đồ: %s\n", e.msg);
	err_clear(&e);
}

/* ---- layers ----------------------------------------------------------------- */

struct layer_def {
	enum store_place_kind kind;
	enum entity_id ent;      /* whose records (a twinning: an agreement)  */
	enum field_id code_field;/* what the place's code is                   */
	const char *label;
	const char *color;       /* the marker's colour on the map (map.js)    */
};

static const struct layer_def layers[] = {
	{ PLACE_MARKER, ENT_BORDER_MARKER, FLD_BORDER_MARKER_COUNTRY, "Mốc quốc giới",
	  "#6d4c41" },
	{ PLACE_GATE, ENT_BORDER_GATE, FLD_BORDER_GATE_KIND, "Cửa khẩu", "#1565c0" },
	{ PLACE_INCIDENT, ENT_INCIDENT, FLD_INCIDENT_KIND, "Vụ việc", "#c62828" },
	{ PLACE_ACTIVITY, ENT_ACTIVITY, FLD_ACTIVITY_KIND, "Hoạt động", "#2e7d32" },
	{ PLACE_TWINNING, ENT_AGREEMENT, FLD_AGREEMENT_STATUS, "Kết nghĩa", "#8e24aa" },
};
#define NLAYERS (sizeof(layers) / sizeof(layers[0]))

static const char *
layer_key(const struct layer_def *l)
{
	return l->kind == PLACE_TWINNING ? TWINNING_KEY : entity_of(l->ent)->name;
}

/* The label of a place's code: a catalog item's or an enum choice's. */
static const char *
code_label(struct view *v, enum field_id fid, const char *code)
{
	const struct field_def *f = field_of(fid);
	char c[CATALOG_CODE_MAX], label[256];
	size_t i;

	if (code == NULL)
		return NULL;
	if (f->type == FT_CATALOG)
		return view_catalog_label(v, f->arg, code);
	for (i = 0; i < enum_count(f); i++)
		if (enum_choice(f, i, c, sizeof(c), label, sizeof(label)) == 0 &&
		    strcmp(c, code) == 0)
			return view_str(v, label);
	return code;
}

static void
dmy(char *out, size_t len, const char *iso)
{
	if (iso != NULL && strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-')
		snprintf(out, len, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, len, "%s", iso ? iso : "");
}

/* A centroid and how many records were put there already. */
struct spot {
	double lat, lon;
	int n;
};

struct collect {
	struct view *v;
	const struct layer_def *layer;
	json_t *features, *unplaced;
	struct spot *spots;
	size_t nspots, cap;
	bool failed;
};

/* The next free position around a centroid: k-th point of a spiral. */
static void
spread(struct collect *c, double *lat, double *lon)
{
	struct spot *s = NULL, *grown;
	size_t i;
	double a, r;

	for (i = 0; i < c->nspots; i++)
		if (c->spots[i].lat == *lat && c->spots[i].lon == *lon)
			s = &c->spots[i];
	if (s == NULL) {
		if (c->nspots == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 64;
			if ((grown = realloc(c->spots, cap * sizeof(*grown))) == NULL)
				return; /* on the centroid itself */
			c->spots = grown;
			c->cap = cap;
		}
		s = &c->spots[c->nspots++];
		s->lat = *lat;
		s->lon = *lon;
		s->n = 0;
	}
	if (s->n > 0) {
		a = s->n * 2.4; /* the golden angle: no two on one ray */
		r = SPREAD_DEG * sqrt((double)s->n);
		*lat += r * sin(a);
		*lon += r * cos(a);
	}
	s->n++;
}

static int
place_cb(void *ctx, const struct store_place *p)
{
	struct collect *c = ctx;
	const struct layer_def *l = c->layer;
	struct geo_place gp;
	char href[96], date[16], where[600];
	const char *near = NULL;
	double lat, lon;
	bool approximate = false;
	json_t *props;

	if (l->kind == PLACE_TWINNING)
		snprintf(href, sizeof(href), "/e/%s/%lld", entity_of(ENT_AGREEMENT)->name,
		    (long long)p->id);
	else
		snprintf(href, sizeof(href), "/e/%s/%lld", entity_of(l->ent)->name,
		    (long long)p->id);
	dmy(date, sizeof(date), p->date);
	if (p->has_point) {
		lat = p->lat;
		lon = p->lon;
		snprintf(where, sizeof(where), "%s", p->point_of_marker ?
		    "Theo tọa độ của mốc quốc giới ghi trong bản ghi." :
		    "Theo tọa độ ghi trong bản ghi.");
	} else if (geo != NULL && geo_place_unit(geo, &p->unit, &gp)) {
		lat = gp.lat;
		lon = gp.lon;
		approximate = true;
		near = gp.name;
		if (gp.exact)
			snprintf(where, sizeof(where), "Vị trí gần đúng: bản ghi chưa có tọa "
			    "độ, đặt ở giữa %s.", gp.name);
		else
			snprintf(where, sizeof(where), "Vị trí gần đúng: bản ghi chưa có tọa "
			    "độ, đặt ở giữa %s (nơi có %s).", gp.name, p->unit.name ?
			    p->unit.name : "đơn vị của bản ghi");
		spread(c, &lat, &lon);
	} else {
		/* nowhere to put it: listed apart, not left out silently */
		json_array_append_new(c->unplaced, json_pack("{s:s, s:s, s:I, s:s?, s:s, "
		    "s:s?}", "layer", layer_key(l), "layer_label", l->label,
		    "id", (json_int_t)p->id, "headline", p->heading, "href", href,
		    "unit_name", p->unit.name));
		return 0;
	}
	props = json_pack("{s:s, s:s, s:s, s:I, s:s?, s:s, s:s?, s:s, s:s?, s:s?, "
	    "s:s, s:s?, s:b, s:b}",
	    "layer", layer_key(l), "layer_label", l->label, "color", l->color,
	    "id", (json_int_t)p->id, "headline", p->heading, "href", href,
	    "what", code_label(c->v, l->code_field, p->code), "date", date,
	    "unit_name", p->unit.name, "other", p->other, "where", where, "near", near,
	    "approximate", approximate, "clearance_only", p->confidential);
	if (props == NULL) {
		c->failed = true;
		return 1;
	}
	/* GeoJSON (RFC 7946): positions are [longitude, latitude] */
	json_array_append_new(c->features, json_pack("{s:s, s:{s:s, s:[f, f]}, s:o}",
	    "type", "Feature", "geometry", "type", "Point", "coordinates",
	    round(lon * 1e5) / 1e5, round(lat * 1e5) / 1e5, "properties", props));
	return 0;
}

/* Every layer's features the user may read, as a GeoJSON FeatureCollection
 * with the records that could not be placed ("unplaced") and the layers
 * cut at MAP_PLACES_MAX ("cut"). */
static json_t *
map_features(struct request *r, struct view *v, struct err *e)
{
	struct collect c = { .v = v };
	json_t *cut = json_array(), *legend = json_array();
	bool clearance = auth_has_clearance(&r->user), more;
	size_t i;

	pthread_once(&geo_once, geo_read);
	c.features = json_array();
	c.unplaced = json_array();
	for (i = 0; i < NLAYERS; i++) {
		c.layer = &layers[i];
		/* a twinning's pairs are placed apart from activities' spots */
		c.nspots = 0;
		if (store_places(r->store, layers[i].kind, clearance, 0, place_cb, &c,
		    &more, e) != 0 || c.failed) {
			if (c.failed)
				err_nomem(e);
			free(c.spots);
			json_decref(c.features);
			json_decref(c.unplaced);
			json_decref(cut);
			json_decref(legend);
			return NULL;
		}
		if (more)
			json_array_append_new(cut, json_string(layer_key(&layers[i])));
		json_array_append_new(legend, json_pack("{s:s, s:s, s:s}", "layer",
		    layer_key(&layers[i]), "layer_label", layers[i].label, "color",
		    layers[i].color));
	}
	free(c.spots);
	return json_pack("{s:s, s:o, s:o, s:o, s:o}", "type", "FeatureCollection",
	    "features", c.features, "unplaced", c.unplaced, "cut", cut,
	    "legend", legend);
}

void
map_coord(struct buf *b, const json_t *lat, const json_t *lon)
{
	char t[64], *c;

	if (!json_is_number(lat) || !json_is_number(lon)) {
		buf_adds(b, "–");
		return;
	}
	snprintf(t, sizeof(t), "%.4f; %.4f", json_number_value(lat), json_number_value(lon));
	/* the decimal comma of Vietnamese */
	for (c = t; *c; c++)
		if (*c == '.')
			*c = ',';
	buf_adds(b, t);
}

/* ---- routes ------------------------------------------------------------------ */

static void
get_map(struct request *r)
{
	struct err e = { 0 };
	struct view v;
	struct page pg;
	json_t *fc;
	size_t i;

	view_init(&v, r);
	fc = map_features(r, &v, &e);
	if (fc == NULL) {
		resp_error_for(r, r->html, e.code != ERR_NONE ? e.code : ERR_INTERNAL, "%s",
		    e.msg[0] ? e.msg : "không lập được bản đồ");
		err_clear(&e);
		view_free(&v);
		return;
	}
	/* the boundary files the page offers */
	{
		json_t *files = json_object();
		for (i = 0; i < GEO_LAYERS; i++) {
			char url[128];
			snprintf(url, sizeof(url), "/static/geo/%s", geo_layer_file((enum geo_layer)i));
			json_object_set_new(files, i == GEO_PROVINCES_2025 ? "provinces_2025" :
			    i == GEO_PROVINCES_2024 ? "provinces_2024" : "districts_2024",
			    json_string(url));
		}
		json_object_set_new(fc, "boundaries", files);
	}
	page_init(r, &pg, "Bản đồ", "Bản đồ");
	map_page(&r->out, &pg, fc, server_tile_url());
	page_done(r, 200);
	json_decref(fc);
	view_free(&v);
}

static void
get_map_features(struct request *r)
{
	struct err e = { 0 };
	struct view v;
	json_t *fc;

	/* a data route: its errors are JSON too */
	r->html = false;
	view_init(&v, r);
	fc = map_features(r, &v, &e);
	if (fc == NULL)
		resp_error(r, &e);
	else
		resp_json(r, 200, fc);
	r->no_store = true;
	r->content_type = fc != NULL ? "application/geo+json" : r->content_type;
	err_clear(&e);
	view_free(&v);
}

const struct route map_routes[] = {
	{ M_GET | M_HEAD, "/map", get_map, RT_HTML },
	{ M_GET | M_HEAD, "/map/features", get_map_features, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
