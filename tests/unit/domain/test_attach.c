/*
 * test_attach.c - attachments (attach.h): the kind of a file is read from
 * its bytes, and must agree with its name and declared type; accepted
 * files are stored once under their SHA-256 (content-addressed) and
 * described by an attachment record; what is refused is refused with the
 * right code and nothing written.  Table-driven: a file is one line.
 */
#include "testutil.h"

#include <sodium.h>
#include <sys/stat.h>

#include "domain/attach.h"
#include "domain/records.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

#define T_PDF  "application/pdf"
#define T_PNG  "image/png"
#define T_JPEG "image/jpeg"
#define T_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define T_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define T_OLE  "application/x-ole-storage"
#define T_TEXT "text/plain"

#define PDF  "%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
#define PNG  "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
#define JPEG "\xFF\xD8\xFF\xE0\0\x10JFIF"
#define DOCX "PK\x03\x04....[Content_Types].xml....word/document.xml...."
#define XLSX "PK\x03\x04....[Content_Types].xml....xl/workbook.xml...."
#define ZIP  "PK\x03\x04....[Content_Types].xml....other/part.xml...."
#define OLE  "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...."
#define TEXT "Biên bản giao ban cụm giáp ranh, quý 1/2024\n"
#define ELF  "\x7F" "ELF\x02\x01\x01\0\0\0"

static struct store *db;

/* the bytes of a literal, NULs included */
#define BYTES(s) s, sizeof(s) - 1

static const struct {
	const char *data;
	size_t len;
	const char *want; /* NULL: not an accepted kind */
} sniffs[] = {
	{ BYTES(PDF), T_PDF },
	{ BYTES(PNG), T_PNG },
	{ BYTES(JPEG), T_JPEG },
	{ BYTES(DOCX), T_DOCX },
	{ BYTES(XLSX), T_XLSX },
	{ BYTES(ZIP), NULL },           /* an office package of no kind we take */
	{ BYTES(OLE), T_OLE },
	{ BYTES(TEXT), T_TEXT },
	{ BYTES(ELF), NULL },           /* a program: binary, not text */
	{ BYTES("caf\xC3"), NULL },     /* not UTF-8 */
	{ "", 0, NULL },
};

static void
test_sniff(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(sniffs); i++) {
		const char *got = attach_sniff(sniffs[i].data, sniffs[i].len);
		if ((got == NULL) != (sniffs[i].want == NULL) ||
		    (got != NULL && strcmp(got, sniffs[i].want) != 0))
			fail_msg("case %zu: %s, want %s", i, got ? got : "(none)",
			    sniffs[i].want ? sniffs[i].want : "(none)");
	}
}

static const struct actor tester = { .name = "test" };

static long
count_attachments(void)
{
	struct err e = { 0 };
	int64_t n = -1;

	assert_int_equal(store_count(db, registry_find("attachment"), &n, &e), 0);
	return (long)n;
}

static const struct {
	const char *filename, *declared;
	const char *data;
	size_t len;
	const char *owner;
	int64_t owner_id;
	enum err_code code; /* ERR_NONE: stored */
	const char *type;   /* the stored content type */
} saves[] = {
	{ "bien-ban.pdf", T_PDF, BYTES(PDF), "agreement", 1, ERR_NONE, T_PDF },
	{ "BIEN-BAN.PDF", NULL, BYTES(PDF), "agreement", 1, ERR_NONE, T_PDF },
	{ "anh.JPG", "image/jpg", BYTES(JPEG), "meeting", 1, ERR_NONE, T_JPEG },
	{ "anh.png", "application/octet-stream", BYTES(PNG), "meeting", 1, ERR_NONE, T_PNG },
	{ "bao-cao.txt", "text/plain; charset=utf-8", BYTES(TEXT), "agreement", 1,
	  ERR_NONE, T_TEXT },
	{ "so-lieu.csv", "text/csv", BYTES(TEXT), "agreement", 1, ERR_NONE, T_TEXT },
	{ "bao-cao.docx", NULL, BYTES(DOCX), "agreement", 1, ERR_NONE, T_DOCX },
	{ "bao-cao.pdf", "image/png", BYTES(PDF), "agreement", 1, ERR_MEDIA_TYPE, NULL },
	{ "anh.png", NULL, BYTES(PDF), "agreement", 1, ERR_MEDIA_TYPE, NULL },
	{ "bien-ban", NULL, BYTES(PDF), "agreement", 1, ERR_MEDIA_TYPE, NULL },
	{ "chuong-trinh.exe", NULL, BYTES(ELF), "agreement", 1, ERR_MEDIA_TYPE, NULL },
	{ "../bien-ban.pdf", NULL, BYTES(PDF), "agreement", 1, ERR_INVALID, NULL },
	{ "a\\b.pdf", NULL, BYTES(PDF), "agreement", 1, ERR_INVALID, NULL },
	{ "", NULL, BYTES(PDF), "agreement", 1, ERR_INVALID, NULL },
	{ "rong.txt", NULL, "", 0, "agreement", 1, ERR_INVALID, NULL },
	{ "bien-ban.pdf", NULL, BYTES(PDF), "agreement", 999999, ERR_NOT_FOUND, NULL },
	{ "bien-ban.pdf", NULL, BYTES(PDF), "nope", 1, ERR_INVALID, NULL },
	{ "bien-ban.pdf", NULL, BYTES(PDF), "agreement", 0, ERR_INVALID, NULL },
};

static void
test_save(void **state)
{
	struct err e = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(saves); i++) {
		long before = count_attachments();
		json_t *out = NULL;
		int rc = attach_save(db, saves[i].filename, saves[i].declared, saves[i].data,
		    saves[i].len, saves[i].owner, saves[i].owner_id, "ghi chú", &tester,
		    &out, &e);
		if (saves[i].code == ERR_NONE) {
			if (rc != 0)
				fail_msg("%s: %s", saves[i].filename, e.msg);
			assert_string_equal(json_string_value(json_object_get(out,
			    "content_type")), saves[i].type);
			assert_int_equal(json_integer_value(json_object_get(out, "size")),
			    saves[i].len);
			assert_string_equal(json_string_value(json_object_get(out,
			    "owner_entity")), saves[i].owner);
			assert_string_equal(json_string_value(json_object_get(out,
			    "filename")), saves[i].filename);
			assert_int_equal(count_attachments(), before + 1);
			json_decref(out);
		} else {
			if (rc == 0)
				fail_msg("%s (%s:%lld) was stored", saves[i].filename,
				    saves[i].owner, (long long)saves[i].owner_id);
			if (e.code != saves[i].code)
				fail_msg("%s: %s, want %s (%s)", saves[i].filename,
				    err_code_name(e.code), err_code_name(saves[i].code), e.msg);
			assert_true(e.msg[0] != '\0');
			assert_int_equal(count_attachments(), before);
			err_clear(&e);
		}
	}
}

/* The same bytes twice: two records, one file, named by its SHA-256 and
 * holding exactly the bytes. */
static void
test_content_addressed(void **state)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1], path[PATH_MAX_GP], back[64];
	struct err e = { 0 };
	json_t *a = NULL, *b = NULL;
	struct stat st;
	FILE *f;

	(void)state;
	assert_int_equal(attach_save(db, "mot.png", NULL, BYTES(PNG), "agreement", 2,
	    NULL, &tester, &a, &e), 0);
	assert_int_equal(attach_save(db, "hai.png", NULL, BYTES(PNG), "meeting", 2,
	    NULL, &tester, &b, &e), 0);
	assert_true(json_integer_value(json_object_get(a, "id")) !=
	    json_integer_value(json_object_get(b, "id")));
	crypto_hash_sha256(hash, (const unsigned char *)PNG, sizeof(PNG) - 1);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	assert_string_equal(json_string_value(json_object_get(a, "sha256")), hex);
	assert_string_equal(json_string_value(json_object_get(b, "sha256")), hex);
	assert_int_equal(attach_path(hex, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof(PNG) - 1);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, sizeof(back), f), sizeof(PNG) - 1);
	fclose(f);
	assert_memory_equal(back, PNG, sizeof(PNG) - 1);
	/* the path is DIR/first two hex digits/hash, under the files directory */
	assert_int_equal(strncmp(path, attach_dir(), strlen(attach_dir())), 0);
	assert_non_null(strstr(path + strlen(attach_dir()), hex));
	assert_int_equal(attach_path(hex, path, 8), -1); /* does not fit: refused */
	json_decref(a);
	json_decref(b);
}

static int
setup(void **state)
{
	static char dir[300];

	(void)state;
	db = tu_store_demo();
	snprintf(dir, sizeof(dir), "%s/files", tu_tmpdir());
	attach_set_dir(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(db);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_content_addressed),
	};
	return cmocka_run_group_tests_name("attach", tests, setup, teardown);
}
