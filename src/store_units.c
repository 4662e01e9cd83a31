/*
 * store_units.c - administrative-unit queries: validity on a date, the tree,
 * and the 1 July 2025 lineage.  Recursive CTEs, portable to PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "store_int.h"

#define VALID_ON "(valid_from IS NULL OR valid_from <= ?) AND " \
                 "(valid_to IS NULL OR valid_to >= ?)"

static const struct entity_def *
units(void)
{
	return registry_find("admin_unit");
}

json_t *
store_unit_record_by_code(struct store *s, const char *code, const char *date,
    struct err *e)
{
	struct db_value p[3];
	char now[16];
	json_t *rows, *u;

	p[0] = dbv_text(code);
	if (date == NULL) {
		/* no date: the unit in force now, else the one that ended last */
		rows = store_select(s, units(), "WHERE code = ? ORDER BY "
		    "CASE WHEN valid_to IS NULL THEN 1 ELSE 0 END DESC, "
		    "valid_to DESC LIMIT 1", p, 1, e);
		clock_today(now);
		date = now;
	} else {
		p[1] = dbv_text(date);
		p[2] = dbv_text(date);
		rows = store_select(s, units(), "WHERE code = ? AND " VALID_ON
		    " ORDER BY id LIMIT 1", p, 3, e);
	}
	if (rows == NULL)
		return NULL;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		err_set(e, ERR_NOT_FOUND, "không có đơn vị hành chính mã %s "
		    "còn hiệu lực ngày %s", code, date);
		return NULL;
	}
	u = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return u;
}

int
store_unit_by_code(struct store *s, const char *code, const char *date,
    int64_t *id, struct err *e)
{
	json_t *u = store_unit_record_by_code(s, code, date, e);

	if (u == NULL)
		return -1;
	*id = json_integer_value(json_object_get(u, "id"));
	json_decref(u);
	return 0;
}

json_t *
store_unit_children(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(), "WHERE parent_id = ? ORDER BY code", &p, 1, e);
}

json_t *
store_unit_ancestors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE up(uid, pid) AS ("
	    "  SELECT id, parent_id FROM admin_unit WHERE id = ?"
	    "  UNION ALL SELECT a.id, a.parent_id FROM admin_unit a"
	    "  JOIN up ON a.id = up.pid)"
	    " SELECT uid FROM up) ORDER BY level", &p, 1, e);
}

json_t *
store_units_on_date(struct store *s, const char *date, int level,
    int64_t parent_id, struct err *e)
{
	struct db_value p[4];
	char now[16];

	if (date == NULL) {
		clock_today(now);
		date = now;
	}
	p[0] = dbv_int(level);
	p[1] = dbv_text(date);
	p[2] = dbv_text(date);
	if (parent_id > 0) {
		p[3] = dbv_int(parent_id);
		return store_select(s, units(), "WHERE level = ? AND " VALID_ON
		    " AND parent_id = ? ORDER BY code", p, 4, e);
	}
	return store_select(s, units(), "WHERE level = ? AND " VALID_ON
	    " ORDER BY code", p, 3, e);
}

/* Old unit -> new units: its own lineage rows, or those of every unit below
 * it (a district or province went through its communes). */
json_t *
store_unit_successors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE down(uid) AS ("
	    "  SELECT ? UNION ALL SELECT a.id FROM admin_unit a"
	    "  JOIN down ON a.parent_id = down.uid)"
	    " SELECT l.new_unit_id FROM unit_lineage l JOIN down"
	    " ON l.old_unit_id = down.uid) ORDER BY level, code", &p, 1, e);
}

json_t *
store_unit_predecessors(struct store *s, int64_t id, struct err *e)
{
	struct db_value p = dbv_int(id);

	return store_select(s, units(),
	    "WHERE id IN (WITH RECURSIVE down(uid) AS ("
	    "  SELECT ? UNION ALL SELECT a.id FROM admin_unit a"
	    "  JOIN down ON a.parent_id = down.uid)"
	    " SELECT l.old_unit_id FROM unit_lineage l JOIN down"
	    " ON l.new_unit_id = down.uid) ORDER BY level, code", &p, 1, e);
}
