/* import_tmpl.c - see import_tmpl.h */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "domain/import_tmpl.h"
#include "domain/workflow.h"
#include "schema/record.h"

#define SHEET_DATA  "Nhập liệu"
#define SHEET_LISTS "Danh mục"
#define HELP_MAX    600 /* bytes of one column's help text */
#define LISTS_MAX   64  /* drop-down lists of one template (columns) */
/* The drop-downs are written as inline lists naming a placeholder, which
 * fix_lists then makes the range of the lists sheet: libxlsxwriter 1.1.4
 * leaks the formula of a range list (LXW_VALIDATION_TYPE_LIST_FORMULA
 * copies it twice), and the sheet's XML holds no text of ours besides. */
#define PLACEHOLDER "giapranh-danh-sach-%zu"

bool
import_tmpl_column(const struct field_def *f)
{
	return !(f->flags & (F_SYSTEM | F_SECRET));
}

bool
import_tmpl_importable(const struct entity_def *ent)
{
	size_t i;

	if (ent->flags & E_READONLY)
		return false;
	for (i = 0; i < ent->nfields; i++)
		if ((ent->fields[i].flags & F_REQUIRED) &&
		    !import_tmpl_column(&ent->fields[i]))
			return false;
	return true;
}

/* What to write in a column, by its type (validate.c's rules). */
static void
hint(const struct field_def *f, char *out, size_t len)
{
	const struct entity_def *target;

	switch (f->type) {
	case FT_TEXT:
		if (f->flags & F_PERIOD)
			snprintf(out, len, "kỳ báo cáo, ví dụ 2025-Q4, quý 4/2025, "
			    "tháng 6/2025, 2025");
		else if (f->flags & F_REPORT_SCOPE)
			snprintf(out, len, "phạm vi dạng loại:mã, ví dụ unit:084");
		else if (f->flags & F_CODE_LIST)
			snprintf(out, len, "các mã của danh mục %s, cách nhau bởi dấu ;",
			    f->arg);
		else if (f->flags & F_LONG)
			snprintf(out, len, "văn bản dài");
		else
			snprintf(out, len, "văn bản, tối đa %.0f ký tự", f->max);
		return;
	case FT_INTEGER:
		if (f->min < f->max)
			snprintf(out, len, "số nguyên từ %.0f đến %.0f", f->min, f->max);
		else
			snprintf(out, len, "số nguyên");
		return;
	case FT_DECIMAL:
		if (f->min < f->max)
			snprintf(out, len, "số, ví dụ 184,5; từ %g đến %g", f->min, f->max);
		else
			snprintf(out, len, "số, ví dụ 184,5");
		return;
	case FT_DATE:
		snprintf(out, len, "ngày dd/mm/yyyy");
		return;
	case FT_ENUM:
		snprintf(out, len, "chọn trong danh sách");
		return;
	case FT_CATALOG:
		snprintf(out, len, "mã trong danh mục, chọn trong danh sách");
		return;
	case FT_BOOLEAN:
		snprintf(out, len, "có hoặc không");
		return;
	case FT_REF:
		target = registry_find(f->arg);
		snprintf(out, len, "số hiệu (id) của bản ghi %s",
		    target ? target->label : f->arg);
		return;
	}
	out[0] = '\0';
}

void
import_tmpl_help(const struct field_def *f, char *out, size_t len)
{
	char h[HELP_MAX];

	hint(f, h, sizeof(h));
	snprintf(out, len, "%s (%s%s)", f->label,
	    (f->flags & F_REQUIRED) ? "bắt buộc; " : "", h);
}

bool
import_tmpl_help_row(const struct entity_def *ent, const char *const *names,
    const char *const *cells, const size_t *lens, size_t ncols)
{
	char help[HELP_MAX];
	bool any = false;
	size_t j, n;

	for (j = 0; j < ncols; j++) {
		const struct field_def *f;
		if (cells[j] == NULL)
			continue;
		n = lens ? lens[j] : strlen(cells[j]);
		if (n == 0)
			continue;
		f = names[j] ? entity_field(ent, names[j]) : NULL;
		if (f == NULL || !import_tmpl_column(f))
			return false;
		import_tmpl_help(f, help, sizeof(help));
		if (strlen(help) != n || memcmp(help, cells[j], n) != 0)
			return false;
		any = true;
	}
	return any;
}

/* ---- the lists ---------------------------------------------------------------- */

static int
add_choice(json_t *out, const char *code, const char *label)
{
	return json_array_append_new(out, json_pack("[s, s]", code, label));
}

json_t *
import_tmpl_choices(struct store *s, const struct entity_def *ent,
    const struct field_def *f, struct err *e)
{
	json_t *out = json_array(), *rows, *row, *fv;
	const char *flow = workflow_field(ent);
	char code[64], label[200];
	struct list_query q;
	size_t i;

	if (out == NULL) {
		err_nomem(e);
		return NULL;
	}
	switch (f->type) {
	case FT_ENUM:
		for (i = 0; i < enum_count(f); i++) {
			if (enum_choice(f, i, code, sizeof(code), label, sizeof(label)) != 0)
				continue;
			/* a new record starts in an initial state (workflow.h) */
			if (flow != NULL && strcmp(flow, f->name) == 0 &&
			    !workflow_initial(ent, code))
				continue;
			add_choice(out, code, label);
		}
		break;
	case FT_BOOLEAN:
		/* what validate.c reads as true and false */
		add_choice(out, "có", "có");
		add_choice(out, "không", "không");
		break;
	case FT_CATALOG:
		memset(&q, 0, sizeof(q));
		fv = json_string(f->arg);
		q.filters[q.nfilters++] = (struct list_filter){
		    field_name(FLD_CATALOG_ITEM_CATALOG), OP_EQ, fv };
		q.sort = field_name(FLD_CATALOG_ITEM_SORT_ORDER);
		rows = store_list_all(s, entity_of(ENT_CATALOG_ITEM), &q,
		    IMPORT_TEMPLATE_CHOICES_MAX, e);
		json_decref(fv);
		if (rows == NULL) {
			json_decref(out);
			return NULL;
		}
		json_array_foreach(rows, i, row) {
			const char *c = jrec_str(row, FLD_CATALOG_ITEM_CODE);
			const char *l = jrec_str(row, FLD_CATALOG_ITEM_LABEL);
			/* an item no longer used is still valid, not offered */
			if (c == NULL || json_is_false(jrec_get(row, FLD_CATALOG_ITEM_ACTIVE)))
				continue;
			add_choice(out, c, l ? l : c);
		}
		json_decref(rows);
		break;
	default:
		break;
	}
	return out;
}

/* ---- CSV ------------------------------------------------------------------------ */

static void
csv_cell_out(struct buf *out, const char *s, bool first)
{
	if (!first)
		buf_addc(out, ',');
	buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(out, '"');
		buf_addc(out, *s);
	}
	buf_addc(out, '"');
}

void
import_tmpl_csv(const struct entity_def *ent, struct buf *out)
{
	char help[HELP_MAX];
	bool first = true;
	size_t i;

	buf_adds(out, "\xEF\xBB\xBF");
	for (i = 0; i < ent->nfields; i++)
		if (import_tmpl_column(&ent->fields[i])) {
			csv_cell_out(out, ent->fields[i].name, first);
			first = false;
		}
	buf_adds(out, "\r\n");
	first = true;
	for (i = 0; i < ent->nfields; i++)
		if (import_tmpl_column(&ent->fields[i])) {
			import_tmpl_help(&ent->fields[i], help, sizeof(help));
			csv_cell_out(out, help, first);
			first = false;
		}
	buf_adds(out, "\r\n");
}

/* ---- XLSX ----------------------------------------------------------------------- */

struct sheet_ctx {
	char ranges[LISTS_MAX][64]; /* each list's cells on the lists sheet */
	size_t nlists;
	lxw_workbook *wb;
	lxw_worksheet *data, *lists;
	lxw_format *head, *help, *text;
	lxw_error lerr;   /* the first error of libxlsxwriter */
	lxw_col_t list_col; /* next free column of the lists sheet */
};

static void
note(struct sheet_ctx *c, lxw_error le)
{
	if (le != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR)
		c->lerr = le;
}

/* The drop-down of data column col: its values on the lists sheet (code
 * and label side by side), the validation over the rows to fill. */
static void
list_column(struct sheet_ctx *c, const struct field_def *f, lxw_col_t col,
    const json_t *choices)
{
	lxw_data_validation dv;
	char placeholder[64], *list[2] = { placeholder, NULL };
	lxw_col_t lc = c->list_col;
	size_t i, n = json_array_size(choices);

	if (n == 0 || c->nlists == LISTS_MAX)
		return;
	note(c, worksheet_write_string(c->lists, 0, lc, f->name, c->head));
	note(c, worksheet_write_string(c->lists, 0, lc + 1, f->label, c->head));
	note(c, worksheet_write_string(c->lists, 1, lc, "Mã", c->help));
	note(c, worksheet_write_string(c->lists, 1, lc + 1, "Tên", c->help));
	for (i = 0; i < n; i++) {
		json_t *it = json_array_get(choices, i);
		note(c, worksheet_write_string(c->lists, (lxw_row_t)(i + 2), lc,
		    json_string_value(json_array_get(it, 0)), c->text));
		note(c, worksheet_write_string(c->lists, (lxw_row_t)(i + 2), lc + 1,
		    json_string_value(json_array_get(it, 1)), NULL));
	}
	note(c, worksheet_set_column(c->lists, lc, lc, 18, NULL));
	note(c, worksheet_set_column(c->lists, lc + 1, lc + 1, 36, NULL));
	c->list_col += 3; /* a blank column between two lists */
	lxw_rowcol_to_range_abs(c->ranges[c->nlists], 2, lc, (lxw_row_t)(n + 1), lc);
	snprintf(placeholder, sizeof(placeholder), PLACEHOLDER, c->nlists++);
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = list;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	dv.error_title = "Giá trị không có trong danh sách";
	dv.error_message = "Chọn một mã trong danh sách (xem trang Danh mục).";
	note(c, worksheet_data_validation_range(c->data, 2, col,
	    IMPORT_TEMPLATE_ROWS + 1, col, &dv));
}

/* The first `from` of b's text made `to`: -1 when there is none. */
static int
replace_once(struct buf *b, const char *from, const char *to)
{
	char *at = strstr(buf_str(b), from);
	struct buf nb;

	if (at == NULL)
		return -1;
	buf_init(&nb, b->max);
	buf_add(&nb, b->data, (size_t)(at - b->data));
	buf_adds(&nb, to);
	buf_adds(&nb, at + strlen(from));
	buf_free(b);
	*b = nb;
	return 0;
}

/* Each placeholder list of the data sheet made the range of its list: the
 * sheet rewritten inside the file. */
static int
fix_lists(const char *path, const struct sheet_ctx *c, struct err *e)
{
	static const char part[] = "xl/worksheets/sheet1.xml";
	char ph[80], to[160];
	struct buf xml;
	zip_source_t *src = NULL;
	zip_file_t *zf;
	zip_stat_t st;
	zip_t *z;
	size_t k;
	int rc = -1;

	if (c->nlists == 0)
		return 0;
	if ((z = zip_open(path, 0, NULL)) == NULL)
		return err_set(e, ERR_INTERNAL, "không mở được tệp XLSX vừa tạo");
	buf_init(&xml, IMPORT_TEMPLATE_FILE_MAX);
	if (zip_stat(z, part, 0, &st) != 0 || (zf = zip_fopen(z, part, 0)) == NULL) {
		err_set(e, ERR_INTERNAL, "tệp XLSX vừa tạo thiếu trang dữ liệu");
		goto done;
	}
	{
		char chunk[65536];
		zip_int64_t n;
		while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0)
			buf_add(&xml, chunk, (size_t)n);
		zip_fclose(zf);
	}
	for (k = 0; k < c->nlists; k++) {
		snprintf(ph, sizeof(ph), "\"" PLACEHOLDER "\"", k);
		snprintf(to, sizeof(to), "'%s'!%s", SHEET_LISTS, c->ranges[k]);
		if (replace_once(&xml, ph, to) != 0) {
			err_set(e, ERR_INTERNAL, "tệp XLSX vừa tạo thiếu danh sách %zu", k);
			goto done;
		}
	}
	if (buf_failed(&xml)) {
		err_nomem(e);
		goto done;
	}
	if ((src = zip_source_buffer(z, xml.data, xml.len, 0)) == NULL ||
	    zip_file_replace(z, (zip_uint64_t)zip_name_locate(z, part, 0), src,
	    ZIP_FL_ENC_UTF_8) != 0) {
		zip_source_free(src);
		err_set(e, ERR_INTERNAL, "không ghi được tệp XLSX");
		goto done;
	}
	/* writes the file; the buffer must live until then */
	if (zip_close(z) != 0) {
		err_set(e, ERR_INTERNAL, "không ghi được tệp XLSX: %s",
		    zip_strerror(z));
		goto done;
	}
	z = NULL;
	rc = 0;
done:
	if (z != NULL)
		zip_discard(z);
	buf_free(&xml);
	return rc;
}

/* The file libxlsxwriter wrote, appended to out. */
static int
read_back(const char *path, struct buf *out, struct err *e)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return err_set(e, ERR_IO, "không đọc được tệp mẫu: %s", strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return err_set(e, ERR_IO, "không đọc được tệp mẫu: %s",
			    strerror(errno));
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	if (buf_nomem(out))
		return err_nomem(e);
	if (buf_failed(out))
		return err_set(e, ERR_TOO_LARGE, "tệp mẫu quá lớn");
	return 0;
}

static int
write_sheets(struct sheet_ctx *c, struct store *s, const struct entity_def *ent,
    struct err *e)
{
	char help[HELP_MAX];
	lxw_col_t col = 0;
	size_t i;

	c->data = workbook_add_worksheet(c->wb, SHEET_DATA);
	c->lists = workbook_add_worksheet(c->wb, SHEET_LISTS);
	c->head = workbook_add_format(c->wb);
	c->help = workbook_add_format(c->wb);
	c->text = workbook_add_format(c->wb);
	if (c->data == NULL || c->lists == NULL || c->head == NULL ||
	    c->help == NULL || c->text == NULL)
		return err_set(e, ERR_INTERNAL, "không tạo được tệp XLSX");
	format_set_bold(c->head);
	format_set_italic(c->help);
	format_set_font_color(c->help, LXW_COLOR_GRAY);
	format_set_text_wrap(c->help);
	format_set_align(c->help, LXW_ALIGN_VERTICAL_TOP);
	/* text cells: a date or "084" stays as typed, not a serial number */
	format_set_num_format(c->text, "@");
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		json_t *choices;
		if (!import_tmpl_column(f))
			continue;
		import_tmpl_help(f, help, sizeof(help));
		note(c, worksheet_set_column(c->data, col, col,
		    (f->flags & F_LONG) ? 40 : 24, c->text));
		note(c, worksheet_write_string(c->data, 0, col, f->name, c->head));
		note(c, worksheet_write_string(c->data, 1, col, help, c->help));
		if ((choices = import_tmpl_choices(s, ent, f, e)) == NULL)
			return -1;
		list_column(c, f, col, choices);
		json_decref(choices);
		col++;
	}
	note(c, worksheet_set_row(c->data, 1, 48, NULL));
	worksheet_freeze_panes(c->data, 2, 0);
	worksheet_activate(c->data);
	return 0;
}

int
import_tmpl_xlsx(struct store *s, const struct entity_def *ent,
    struct buf *out, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX_GP], path[PATH_MAX_GP + 32];
	lxw_workbook_options opt = { 0 };
	struct sheet_ctx c = { 0 };
	lxw_error le;
	int rc = -1;

	if (tmp == NULL || *tmp != '/' || strlen(tmp) > PATH_MAX_GP / 2)
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/giapranh-mau-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		return err_set(e, ERR_IO, "không tạo được thư mục tạm: %s",
		    strerror(errno));
	snprintf(path, sizeof(path), "%s/mau.xlsx", dir);
	opt.tmpdir = dir;
	if ((c.wb = workbook_new_opt(path, &opt)) == NULL) {
		err_set(e, ERR_INTERNAL, "không tạo được tệp XLSX");
		goto done;
	}
	if (write_sheets(&c, s, ent, e) != 0) {
		workbook_close(c.wb); /* frees it; the file is removed below */
		goto done;
	}
	le = workbook_close(c.wb);
	note(&c, le);
	if (c.lerr != LXW_NO_ERROR) {
		err_set(e, ERR_INTERNAL, "không tạo được tệp XLSX (%s)",
		    lxw_strerror(c.lerr));
		goto done;
	}
	if (fix_lists(path, &c, e) == 0)
		rc = read_back(path, out, e);
done:
	unlink(path);
	rmdir(dir);
	return rc;
}
