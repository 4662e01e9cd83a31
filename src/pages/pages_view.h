/*
 * pages_view.h - what the registry-driven pages share with their templates:
 * a per-request view (caches of reference titles and catalog labels), value
 * formatting the Vietnamese way (dd/mm/yyyy, "184,5", Có/Không), and the
 * page models the templates render.
 *
 * Every string a view hands out lives until view_free(); every function
 * that writes into a struct buf escapes what it writes (html_text), so
 * templates may call them without `| unsafe`.
 */
#ifndef GIAPRANH_PAGES_VIEW_H
#define GIAPRANH_PAGES_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/http.h"
#include "schema/registry.h"
#include "web/page.h"

#define VIEW_COLS_MAX      8    /* columns of a list or related table      */
#define VIEW_RELATED_ROWS  50   /* rows of one related section             */
#define VIEW_PICKER_SELECT 200  /* at most this many: a plain <select>     */
#define VIEW_OPTIONS_MAX   30   /* options one picker search returns       */
#define VIEW_CELL_CHARS    160  /* characters of a text cell in a table    */
#define VIEW_CATALOG_ROWS  1000 /* catalog items loaded per request        */

struct view {
	struct request *r;
	json_t *titles;   /* "entity/id" -> title (string or null)          */
	json_t *catalogs; /* catalog -> [[code, label], ...] (sort order)    */
	json_t *strs;     /* strings handed out, freed with the view         */
};

void view_init(struct view *v, struct request *r);
void view_free(struct view *v);
/* A copy of s that lives as long as the view. */
const char *view_str(struct view *v, const char *s);
/* The text of a buf, kept by the view; the buf is freed. */
const char *view_take(struct view *v, struct buf *b);

/* Catalog items of one catalog as [[code, label], ...]. */
json_t *view_catalog(struct view *v, const char *catalog);
const char *view_catalog_label(struct view *v, const char *catalog,
    const char *code);

/* A value as plain text ("" when empty): labels for enums and catalogs,
 * titles for references, dd/mm/yyyy, Vietnamese numbers. */
const char *view_plain(struct view *v, const struct field_def *f,
    const json_t *rec);
/* The name of a record in lists, headings and pickers. */
const char *view_title(struct view *v, const struct entity_def *ent,
    const json_t *rec);
/* Title of a referenced record, or NULL when unknown or not for this user. */
const char *view_ref_title(struct view *v, const char *entity, int64_t id);
/* A value for display: escaped, references as links; `cell` shortens long
 * text (tables), otherwise long text keeps its line breaks (CSS pre-line). */
void view_value(struct buf *b, struct view *v, const struct field_def *f,
    const json_t *rec, bool cell);
/* The input value of a form widget: typed values as a person types them
 * ("184,5", "2023-10-31", "1"). */
const char *view_input(struct view *v, const struct field_def *f,
    const json_t *vals);
void view_date(struct buf *b, const char *iso);
/* An audit entry's change, readable: a table of "field label: old → new"
 * (Vietnamese labels of the entity description) for the fields that
 * changed, or all those given for a record added or deleted. */
void view_audit_diff(struct buf *b, struct view *v, const json_t *row);
/* An audit action in Vietnamese: "create" -> "Thêm". */
void view_action(struct buf *b, const char *action);
/* A time stamp "2026-11-23T13:41:12Z" as "23/11/2026 13:41 UTC". */
void view_stamp(struct buf *b, const char *iso);
/* Escaped text, cut after max characters with "…". */
void view_text_cut(struct buf *b, const char *s, size_t max);
/* "minh họa" / "mật" badges of a record of ent. */
void view_badges(struct buf *b, const struct entity_def *ent, const json_t *rec);
/* "/e/ENTITY/ID" */
const char *view_href(struct view *v, const char *entity, int64_t id);

/* May the user add records of this entity at all (editor or more, and
 * admin for reference and admin entities)?  The save checks the scope. */
bool view_may_create(const struct user *u, const struct entity_def *ent);
/* The entity's label inside a sentence: "số liệu hoạt động". */
const char *view_label_lc(struct view *v, const struct entity_def *ent);
/* "Thêm số liệu hoạt động" */
const char *view_add_label(struct view *v, const struct entity_def *ent);

/* ---- page models --------------------------------------------------------- */

struct list_col {
	const struct field_def *f;
	const char *sort_href;   /* link of the header               */
	int sorted;              /* 0, 1 ascending, -1 descending    */
};

struct list_filter_sel {
	const struct field_def *f;
	const char *value;       /* current value or ""              */
};

struct list_view {
	struct view *v;
	const struct entity_def *ent;
	struct list_col cols[VIEW_COLS_MAX];
	size_t ncols;
	struct list_filter_sel sels[VIEW_COLS_MAX];
	size_t nsels;
	json_t *chips;           /* [[text, href-without-it], ...]   */
	json_t *hidden;          /* {name: value} kept by the search form */
	json_t *rows;
	int64_t total, offset, limit;
	const char *q;
	const char *prev_href, *next_href;
	const char *new_href;    /* NULL when the user may not add    */
	bool audit;              /* the audit log: details per row    */
};

struct related {
	const struct entity_def *ent;
	const struct field_def *via;  /* its field pointing here        */
	bool show_via;                /* it has several: name which one  */
	struct list_col cols[VIEW_COLS_MAX];
	size_t ncols;
	json_t *rows;
	int64_t total;
	const char *all_href;
	const char *add_href;         /* NULL when not offered           */
	const char *add_label;
	const char *several_href;     /* several at once, or NULL        */
};

#define VIEW_RELATED_MAX 48

struct detail_view {
	struct view *v;
	const struct entity_def *ent;
	json_t *rec;
	const char *title;
	bool can_write;
	struct related rel[VIEW_RELATED_MAX];
	size_t nrel;
	json_t *audit;                /* audit rows (admins) or NULL     */
	const char *tools;            /* pages_tools.c: escaped HTML     */
	json_t *warnings;             /* plausibility warnings (plaus.h) */
};

struct form_view {
	struct view *v;
	const struct entity_def *ent;
	json_t *vals;                 /* field -> value (typed or text)   */
	json_t *errors;               /* field -> message, or NULL        */
	const char *error;            /* message at the top, or NULL      */
	const char *action;
	const char *cancel_href;
	int64_t id;                   /* 0: a new record                  */
	int64_t version;
	const char *suffix;           /* "_2": a row of several records   */
};

/* Several records of one kind added at once to their parent (the
 * attendees of a meeting): rows of the same widgets. */
struct several_view {
	struct view *v;
	const struct entity_def *ent;      /* the records added           */
	const struct entity_def *parent;
	const struct field_def *owner;     /* ent's field naming parent    */
	int64_t parent_id;
	const char *parent_title;
	const char *action, *cancel_href;
	json_t *rows;                      /* [{vals, errors}] per row      */
	const char *error;
};

/* The attributes of a search-as-you-type picker of target records
 * (static/picker.js: data-pick, data-pick-label, data-pick-create): the
 * field stays what the form sends without JavaScript. */
void view_pick_attrs(struct buf *b, struct view *v, const struct entity_def *target,
    const char *current_label);
/* The attributes of a report scope picker (data-pick-scope: the kinds as
 * [name, entity, label], data-pick-label: the name of the record `value`
 * names); static/picker.js offers a kind, then a record of it. */
void view_scope_attrs(struct buf *b, struct view *v, const char *value);
/* Row i of a form of several records: its widgets (names FIELD_(i+1)) and
 * its messages. */
void several_row(struct buf *b, struct several_view *sv, size_t i);
/* Form widgets, by field type (templates call it per field). */
void view_widget(struct buf *b, struct form_view *fv, const struct field_def *f);
/* A table cell: the title column links to the record, with its badges. */
void view_cell(struct buf *b, struct view *v, const struct entity_def *ent,
    const struct field_def *f, const json_t *rec);
/* A local URL: path and the query arguments of args (strings), encoded. */
const char *view_url(struct view *v, const char *path, const json_t *args);

struct units_view {
	struct view *v;
	const char *date;     /* ISO, the day the tree is shown for        */
	const char *q;
	json_t *unit;         /* the unit opened, or NULL (provinces)       */
	bool unit_valid;      /* in force on date                          */
	json_t *path;         /* its ancestors, province first, itself last */
	json_t *children;     /* units below it (in force on date)         */
	json_t *villages;     /* villages of a commune                     */
	json_t *results;      /* search results, or NULL                   */
	int64_t nresults;
	json_t *lineage;      /* id -> {"succ": [...], "pred": [...]}       */
};

const char *units_href(struct units_view *uv, const json_t *u);
json_t *units_lineage(struct units_view *uv, const json_t *u, const char *kind);
void units_flags(struct buf *b, const json_t *u);
void units_validity(struct buf *b, const json_t *u);

/* One card of the overview: a few records and a link to all of them. */
struct home_card {
	const char *title;
	const struct entity_def *ent;
	json_t *rows;
	int64_t total;
	const char *all_href;
	const char *date_field;   /* shown beside each record            */
	const char *extra_field;  /* shown too (a unit, a status), or NULL */
	const char *empty;        /* what "none" means here              */
};

#define HOME_KINDS_MAX 16

struct home_kind {
	const char *code, *label;
	int64_t total, signed_, planned;
};

struct home_view {
	struct view *v;
	struct home_kind kinds[HOME_KINDS_MAX];
	size_t nkinds;
	struct home_card cards[6];
	size_t ncards;
	json_t *counts;           /* entity -> count                      */
	const char *today;
	json_t *achievements;     /* [{id, name, summary}] of target sets  */
	long long briefings_overdue;
	long long todo_overdue, todo_due, todo_waiting;
	/* a unit's dashboard (0 / NULL: the whole country) */
	int64_t unit_id, parent_id;
	json_t *unitv;            /* unit_id as the filters' value          */
	const char *unit_name, *unit_code, *parent_name;
	json_t *units;            /* provinces, districts with records      */
};

/* /search (pages_search.c): the groups of records found, by kind */
#define SEARCH_GROUP_ROWS 10 /* records shown per kind; the list has all */
struct search_view {
	struct view *v;
	const char *q;
	json_t *groups;           /* [{ent, rows, total, all_href}]         */
	long long total;
};

/* ---- handlers (pages_records.c, pages_units.c, pages_search.c) --------------- */

void page_list(struct request *r);
void page_detail(struct request *r);
void page_new(struct request *r);
void page_edit(struct request *r);
void page_delete(struct request *r);
void page_options(struct request *r);
void page_pick(struct request *r);
void page_several(struct request *r);
void page_units(struct request *r);
void page_search(struct request *r);

#endif
