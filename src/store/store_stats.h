/*
 * store_stats.h - figures counted and added up in the database for the
 * charts (pages_charts.c) and the places of the map (pages_map.c): one
 * statement per call, GROUP BY in SQL, bound parameters only, the same
 * text on SQLite and PostgreSQL.  Nothing is read record by record.
 *
 * (store.h's struct store_stats counts statements; the functions here are
 * named store_tally_* and store_places so that the two do not meet.)
 */
#ifndef GIAPRANH_STORE_STATS_H
#define GIAPRANH_STORE_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* One group of records: the month it falls in ("YYYY-MM"; NULL for
 * records without that date), up to two keys (codes, or NULL), how many
 * records and what their figure adds up to (0 when nothing is added).
 * The strings live during the callback. */
struct store_tally {
	const char *month;
	const char *k1, *k2;
	int64_t n;
	double sum;
};
/* Called once per group; non-zero stops. */
typedef int (*store_tally_fn)(void *ctx, const struct store_tally *t);

/* A program's signings per month of signed_on: with role NULL, its
 * agreements whose status is one of `statuses`; with a role ("helped"),
 * the distinct units of the parties in that role of such agreements, each
 * in the month of its first signed agreement (as store_program_helped
 * counts them: the same total).  Groups in month order, no month last. */
int store_tally_signed(struct store *s, int64_t program_id, const char *role,
    const char *const *statuses, size_t nstatuses, store_tally_fn fn, void *ctx,
    struct err *e);

/* Activity quantities per month of the activity's start_on (k1 the
 * measure, k2 the unit of measure as written; n quantities, sum their
 * values): the activities of agreement `agreement_id` when > 0, else those
 * w selects (store_within: w->unit_field of the activity, its subtree and
 * 2025 lineage; date_field/from/to as there).  Groups in month order. */
int store_tally_quantities(struct store *s, int64_t agreement_id,
    const struct store_within *w, store_tally_fn fn, void *ctx, struct err *e);

/* Incidents per month of occurred_on and kind (k1): n incidents, sum
 * their cases; those w selects (unit 0: every incident with a unit),
 * confidential ones only with w->see_confidential.  Groups in month
 * order. */
int store_tally_incidents(struct store *s, const struct store_within *w,
    store_tally_fn fn, void *ctx, struct err *e);

/* The periods a target set's values are recorded for (its own unit's
 * values, as achieve_target_set judges them): k1 the period as stored, n
 * the values.  In period text order. */
int store_tally_periods(struct store *s, int64_t target_set_id,
    store_tally_fn fn, void *ctx, struct err *e);

/* ---- places of the map -------------------------------------------------- */

enum store_place_kind {
	PLACE_MARKER,    /* border_marker: number, country; its coordinates  */
	PLACE_GATE,      /* border_gate: name, kind, counterpart             */
	PLACE_INCIDENT,  /* incident: its coordinates, else its marker's      */
	PLACE_ACTIVITY,  /* activity: its first marker's coordinates          */
	PLACE_TWINNING,  /* an agreement of kind twinning: one row per pair of
	                  * a party unit of ours and a foreign party unit    */
	PLACE_KINDS
};

/* A unit as the map places it (domain/geo.h): its code and level, when it
 * began to be valid, the codes of the units above it, and for a 2025
 * commune the district of its predecessors (the smallest code). */
struct store_place_unit {
	int64_t id;
	const char *code, *name, *valid_from;
	int level;
	const char *parent_code, *grandparent_code, *old_district_code;
};

/* One record to place (strings live during the callback). */
struct store_place {
	enum store_place_kind kind;
	int64_t id;            /* the record (a twinning: the agreement)        */
	const char *heading;   /* its title field (a marker: its number)        */
	const char *code;      /* its kind (a marker: its country; a twinning:
	                        * its status)                                   */
	const char *date;      /* occurred_on, start_on, signed_on, or NULL      */
	const char *other;     /* a gate's counterpart, a twinning's foreign
	                        * unit (Vietnamese name), a marker's section    */
	bool has_point;        /* its own coordinates, or its marker's          */
	bool point_of_marker;  /* has_point from its border marker               */
	double lat, lon;
	bool confidential;
	struct store_place_unit unit; /* id 0 when it names no unit              */
};
typedef int (*store_place_fn)(void *ctx, const struct store_place *p);

/* The records of one kind, by id, at most `max` (0: MAP_PLACES_MAX);
 * confidential incidents only with see_confidential.  *more (may be
 * NULL) is set when rows were left out by the cap. */
int store_places(struct store *s, enum store_place_kind kind,
    bool see_confidential, int64_t max, store_place_fn fn, void *ctx,
    bool *more, struct err *e);

#endif
