/*
 * seed.h - loading shipped data: Vietnam's administrative units (before and
 * after 1 July 2025, with the lineage) and the demo data set of the five
 * source reports.  Each load is recorded by name, so `giapranh init` run
 * again on the same database changes nothing.
 */
#ifndef GIAPRANH_SEED_H
#define GIAPRANH_SEED_H

#include <stdbool.h>

#include <jansson.h>

#include "base/error.h"
#include "store/store.h"

/* Date the 2025 reorganisation took effect; pre-2025 units end the day
 * before. */
#define REORG_DATE      "2025-07-01"
#define REORG_LAST_DATE "2025-06-30"

struct seed_summary {
	long units_2024, units_2025, lineage, demo_records;
	bool units_loaded_now, demo_loaded_now;
};

/* Load data/admin-units (dir holds units_2024.csv, units_2025.csv,
 * lineage_2025.csv, lineage_2025_provinces.csv). */
int seed_admin_units(struct store *s, const char *dir,
    struct seed_summary *sum, struct err *e);

/* Load every data/demo/NNN_*.json file in name order (see
 * data/demo/README.md for the format). */
int seed_demo(struct store *s, const char *dir, struct seed_summary *sum,
    struct err *e);

/* The demo sign-ins (`make run` prints them): admin (national, security
 * clearance), a Si Ma Cai district editor, a Trùng Khánh commune-level
 * viewer.  All share DEMO_PASSWORD; created once. */
#define DEMO_PASSWORD "giapranh-demo"
int seed_demo_users(struct store *s, struct err *e);

/* Fill search keys of rows inserted by migrations. */
int seed_reindex(struct store *s, struct err *e);

/* Rewrite structured text stored before it was checked on write (periods,
 * report scopes, code lists: registry.h F_STRUCTURED) to
 * its canonical form, as validate.c would store it now: "quý 4/2025" ->
 * "2025-Q4".  Each rewrite is an update of the record (new version, an
 * audit entry holding the written form).  A value that does not parse, or
 * whose canonical form another row already holds (a unique key), is left
 * as it is and listed; nothing is lost.  Idempotent: `giapranh init` runs
 * it on every database it creates or upgrades, on both engines.
 * out->shown: up to CANON_LEFT_SHOWN rows left, {entity, id, field, value,
 * message}; the caller frees it. */
struct seed_canon {
	long changed, left;
	json_t *shown;
};
int seed_canonicalise(struct store *s, struct seed_canon *out, struct err *e);

#endif
