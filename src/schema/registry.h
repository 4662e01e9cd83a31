/*
 * registry.h - the entity table: every entity of the system described once.
 *
 * Storage (DDL and CRUD SQL), validation, JSON, CSV import/export, forms and
 * report columns are all driven by these descriptions; adding a field is one
 * line in schema.c (plus a migration that adds its column - a unit test checks
 * that the migrated database and this table agree).
 */
#ifndef GIAPRANH_REGISTRY_H
#define GIAPRANH_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "schema/entities.h"

enum field_type {
	FT_TEXT,    /* UTF-8 NFC text, max length in characters (max)       */
	FT_INTEGER, /* 64-bit, range min..max when min < max                */
	FT_DECIMAL, /* double, range min..max when min < max                */
	FT_DATE,    /* ISO "YYYY-MM-DD"; input also "31/10/2023"            */
	FT_ENUM,    /* fixed choices (workflow states): arg = "code=Nhãn|…" */
	FT_CATALOG, /* code of a catalog_item of catalog arg (extendable)   */
	FT_BOOLEAN, /* true/false; CSV "1"/"0", "true"/"false", "có"/"không" */
	FT_REF      /* id of a record of entity arg                          */
};

/* field flags */
#define F_REQUIRED 0x01u /* must be present and non-empty                   */
#define F_SEARCH   0x02u /* part of the diacritic-free search key           */
#define F_LIST     0x04u /* a column of the list page                       */
#define F_SECRET   0x08u /* never leaves the server (password hashes); without
                          * F_SYSTEM it is write-only: accepted from input
                          * (a webhook's key), never answered or logged   */
#define F_OWNER    0x10u /* reference to the owning record: delete cascades */
#define F_LONG     0x20u /* long text (textarea), limit TEXT_LONG_MAX        */
#define F_UNIQUE   0x40u /* unique over the entity                          */
#define F_SYSTEM   0x80u /* set by the system, not accepted from input      */
#define F_EXPR     0x200u /* a computed-indicator formula, checked (expr.h) */
#define F_SCOPE    0x100u /* whose record it is: a unit or an organisation,
                            * or a parent record whose scope it inherits -
                            * roles scoped to a unit subtree or organisation
                            * may change the record only when it is theirs */
/* Structured text (FT_TEXT): parsed when written and stored in canonical
 * form, so that what reads it later (lists filtered by period, reports
 * built from a scope) finds it; input that does not parse is refused with
 * the forms accepted (validate.c).  Which fields, and which are left free
 * text and why: schema.c. */
#define F_PERIOD       0x400u  /* a period: "quý 4/2025" -> "2025-Q4" (text.h) */
#define F_REPORT_SCOPE 0x800u  /* a report scope of an existing record:
                                * "unit:084" -> "unit:ID" (report.h)         */
#define F_CODE_LIST    0x1000u /* codes of catalog arg separated by ";"      */
#define F_STRUCTURED (F_PERIOD | F_REPORT_SCOPE | F_CODE_LIST)
/* What a source said of the record, kept when it is read from a document
 * (ingest): "the source gives no exact date".  A person entering a new
 * record says nothing of the kind, so a new record's form does not ask;
 * its edit form shows it, to be cleared once the fact is checked. */
#define F_SOURCED      0x2000u

struct field_def {
	const char *name;  /* column name and JSON key                       */
	enum field_type type;
	const char *label; /* Vietnamese label                               */
	unsigned flags;
	double min, max;   /* text: max length (max); numbers: range if min<max */
	const char *arg;   /* enum choices, catalog name or referenced entity */
};

/* entity flags */
#define E_READONLY 0x01u /* no writes through the generic API (audit log)   */
#define E_ADMIN    0x02u /* admins only, reading too (users, grants, audit)  */
#define E_REFERENCE 0x04u /* everyone reads, admins write (units, catalogs) */

/* Who may change the records of an entity (auth.c: auth_can_write).  Every
 * entity names one in schema.c - there is no default: WR_NONE allows
 * nobody and test_auth fails on it.  A national grant (editor or above)
 * writes every record whose rule is scope, owner, organisation or creator,
 * and is the only grant besides an admin's that writes one whose unit,
 * organisation or creator cannot be found; admins also write reference and
 * admin data; a confidential record (or one it owns) needs clearance. */
enum write_rule {
	WR_NONE = 0,  /* not declared: nobody                                  */
	WR_SYSTEM,    /* the system only (workflow history, audit log)         */
	WR_ADMIN,     /* admins (users, grants)                                */
	WR_REFERENCE, /* admins; everyone reads (units, lineage, catalogs)     */
	WR_SCOPE,     /* its F_SCOPE fields: a unit (the grant's subtree,
	               * through the 2025 lineage too), an organisation (the
	               * grant's organisation or one above it; a unit grant
	               * covers the organisation's unit), or a parent record,
	               * judged by that record's own rule - any one suffices   */
	WR_OWNER,     /* the record it belongs to, by that record's rule: its
	               * F_OWNER reference, or owner_entity/owner_id (files)    */
	WR_ORG,       /* an organisation itself: its unit (else its parent's),
	               * or a grant on it or on an organisation above it       */
	WR_CREATOR,   /* records no unit keeps (people, documents, foreign
	               * units, ingest batches): the user who created it -
	               * created_by when the entity has it, else its audit
	               * entry - or a national grant                          */
};
#define WR_COUNT (WR_CREATOR + 1)

struct entity_def {
	const char *name;        /* table name, URL segment, CLI name          */
	const char *label;       /* Vietnamese name                            */
	const char *section;     /* navigation section (Vietnamese)            */
	const char *title_field; /* field that names a record in lists/pickers */
	const struct field_def *fields;
	size_t nfields;
	unsigned flags;
	const char *unique_sql;  /* extra unique index columns, e.g. "code, valid_from" */
	enum write_rule write;   /* who may change its records (above)          */
	enum entity_id id;       /* registry[id] is this entity (entities.h)    */
};

/* Columns every table has besides its fields (not in `fields`):
 *   id INTEGER PRIMARY KEY, version (for ETags), created_at, updated_at,
 *   illustrative (boolean: a demo placeholder standing in for facts a source
 *   report only totals), search_key (folded text of F_SEARCH fields). */
#define COMMON_ILLUSTRATIVE "illustrative"

extern const struct entity_def *const registry[];
extern const size_t registry_count;

const struct entity_def *registry_find(const char *name);

/* By generated id (schema/entities.h, docs/ENTITIES.md): the entity, the
 * field (its definition, its name) an id names - an index, not a search;
 * NULL for FLD_NONE.  field_id_of is for the edges that read names (CSV
 * headers, JSON keys, URL arguments): FLD_NONE when e has no such field. */
const struct entity_def *entity_of(enum entity_id e);
const struct field_def *field_of(enum field_id f);
const char *field_name(enum field_id f);
enum field_id field_id_of(enum entity_id e, const char *name);
/* What the entity does besides its fields: its workflow, confidentiality,
 * report scope, page tools (schema/entities.txt). */
const struct entity_behaviour *entity_behaviour(const struct entity_def *e);
const struct field_def *entity_field(const struct entity_def *e, const char *name);

/* Enum choices: number of choices, and the i-th code and label. */
size_t enum_count(const struct field_def *f);
/* Copies code/label into buffers; returns 0, or -1 when i is out of range. */
int enum_choice(const struct field_def *f, size_t i, char *code, size_t codelen,
    char *label, size_t labellen);
bool enum_has(const struct field_def *f, const char *code);

const char *field_type_name(enum field_type t);

/* The structured-text format of a field ("period", "report_scope",
 * "code_list"), or NULL for other fields. */
const char *field_format_name(const struct field_def *f);

/* "scope", "owner", … (docs/SECURITY.md, `giapranh entities --json`);
 * NULL for WR_NONE or out of range. */
const char *write_rule_name(enum write_rule w);

/* Whether field f is one the write rule of e reads to decide who may write
 * a record (a scope, owner or organisation field): a request naming one
 * outside the writer's grants is refused before its other fields are
 * judged. */
bool write_rule_field(const struct entity_def *e, const struct field_def *f);

/* What a section of an outline (đề cương) draws, outline_section.content:
 * the writer's text, or one kind of record data (report_build.c draws each
 * code; a code added here needs a drawing there, test_report checks). */
#define OUTLINE_CONTENTS \
	"text=Người viết nhập|situation=Đặc điểm tình hình (từ hồ sơ)|" \
	"targets=Mục tiêu, chỉ tiêu|plan_signed=Tiến độ ký kết theo kế hoạch|" \
	"findings=Kết quả giám sát|self_mgmt=Mô hình tự quản|" \
	"activities=Hoạt động|meetings=Hội nghị, làm việc|incidents=Vụ việc|" \
	"recommendations=Kiến nghị và trả lời|tasks=Nhiệm vụ|" \
	"commendations=Khen thưởng|shortcomings=Tồn tại, hạn chế|" \
	"directions=Phương hướng, nhiệm vụ|proposals=Kiến nghị, đề xuất"

#endif
