/* attach.c - see attach.h (the routes that upload and download are
 * api/api_attach.c) */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/attach.h"
#include "domain/auth.h"
#include "domain/validate.h"
#include "text/html.h"
#include "text/text.h"

static const char *files_dir = "files";

void
attach_set_dir(const char *dir)
{
	files_dir = dir;
}

const char *
attach_dir(void)
{
	return files_dir;
}

#define T_PDF  "application/pdf"
#define T_PNG  "image/png"
#define T_JPEG "image/jpeg"
#define T_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define T_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define T_OLE  "application/x-ole-storage"
#define T_TEXT "text/plain"

/* accepted kinds: content type, the names it may carry, declared aliases */
static const struct {
	const char *type;
	const char *exts;     /* space separated, with dots */
	const char *aliases;  /* other declared types that mean the same */
} kinds[] = {
	{ T_PDF, ".pdf", "" },
	{ T_PNG, ".png", "" },
	{ T_JPEG, ".jpg .jpeg", "image/jpg image/pjpeg" },
	{ T_DOCX, ".docx", "" },
	{ T_XLSX, ".xlsx", "" },
	{ T_OLE, ".doc .xls", "application/msword application/vnd.ms-excel" },
	{ T_TEXT, ".txt .csv", "text/csv" },
};

/* memmem is a GNU extension; office files are small enough for this */
static bool
has_bytes(const void *data, size_t len, const char *needle)
{
	const unsigned char *d = data, *p;
	size_t n = strlen(needle);

	for (p = d; n > 0 && (size_t)(p - d) + n <= len; p++) {
		p = memchr(p, needle[0], len - (size_t)(p - d) - n + 1);
		if (p == NULL)
			return false;
		if (memcmp(p, needle, n) == 0)
			return true;
	}
	return false;
}

const char *
attach_sniff(const void *data, size_t len)
{
	const unsigned char *d = data;

	if (len >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return T_PDF;
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return T_PNG;
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return T_JPEG;
	if (len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0 &&
	    has_bytes(data, len, "[Content_Types].xml")) {
		if (has_bytes(data, len, "word/document.xml"))
			return T_DOCX;
		if (has_bytes(data, len, "xl/workbook.xml"))
			return T_XLSX;
		return NULL;
	}
	if (len >= 8 && memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return T_OLE;
	if (len > 0 && memchr(d, 0, len) == NULL && text_valid_utf8(data, len))
		return T_TEXT;
	return NULL;
}

static bool
word_in(const char *list, const char *w, size_t wlen)
{
	const char *p = list;

	while ((p = strstr(p, w)) != NULL) {
		bool start = p == list || p[-1] == ' ';
		bool end = p[wlen] == '\0' || p[wlen] == ' ';
		if (start && end && wlen > 0)
			return true;
		p += 1;
	}
	return false;
}

static bool
declared_matches(const char *sniffed, const char *declared, const char *filename)
{
	const char *dot = strrchr(filename, '.');
	char ext[16], decl[128];
	size_t i, n;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].type, sniffed) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return false;
	if (dot == NULL || strlen(dot) >= sizeof(ext))
		return false;
	for (n = 0; dot[n]; n++)
		ext[n] = (char)((dot[n] >= 'A' && dot[n] <= 'Z') ? dot[n] + 32 : dot[n]);
	ext[n] = '\0';
	if (!word_in(kinds[i].exts, ext, n))
		return false;
	if (declared == NULL || *declared == '\0' ||
	    strncmp(declared, "application/octet-stream", 24) == 0)
		return true;
	/* drop parameters such as "; charset=utf-8" */
	for (n = 0; declared[n] && declared[n] != ';' && n + 1 < sizeof(decl); n++)
		decl[n] = declared[n];
	decl[n] = '\0';
	while (n > 0 && decl[n - 1] == ' ')
		decl[--n] = '\0';
	return strcmp(decl, sniffed) == 0 || word_in(kinds[i].aliases, decl, n);
}

int
attach_path(const char *sha256, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%.2s/%s", files_dir, sha256, sha256);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Write the bytes under their hash, atomically; a file already there (same
 * hash, same bytes) is kept. */
static int
write_blob(const char *hex, const void *data, size_t len, struct err *e)
{
	char dir[PATH_MAX_GP], path[PATH_MAX_GP], tmp[PATH_MAX_GP + 16];
	struct stat st;
	ssize_t w;
	size_t done = 0;
	int fd;

	if (attach_path(hex, path, sizeof(path)) != 0)
		return err_set(e, ERR_IO, "đường dẫn tệp quá dài");
	if (stat(path, &st) == 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/%.2s", files_dir, hex);
	if ((mkdir(files_dir, 0750) != 0 && errno != EEXIST) ||
	    (mkdir(dir, 0750) != 0 && errno != EEXIST))
		return err_set(e, ERR_IO, "không tạo được thư mục lưu tệp %s: %s", dir,
		    strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(e, ERR_IO, "không ghi được tệp: %s", strerror(errno));
	while (done < len) {
		w = write(fd, (const char *)data + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return err_set(e, ERR_IO, "không ghi được tệp (ổ đĩa đầy?): %s",
			    strerror(errno));
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return err_set(e, ERR_IO, "không lưu được tệp: %s", strerror(errno));
	}
	return 0;
}

int
attach_save(struct store *s, const char *filename, const char *declared,
    const void *data, size_t len, const char *owner_entity, int64_t owner_id,
    const char *caption, const struct actor *who, json_t **out, struct err *e)
{
	const struct entity_def *owner = registry_find(owner_entity);
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	const char *sniffed;
	json_t *rec, *orec;
	int rc, found;

	/* who may write, then where the file goes, then the file itself */
	if (who != NULL && who->may_write != NULL &&
	    !who->may_write(who, s, entity_of(ENT_ATTACHMENT), NULL, e))
		return -1;
	if (owner == NULL || owner_id <= 0)
		return err_set(e, ERR_INVALID, "tệp phải gắn với một bản ghi");
	/* records of an entity the writer may not change at all: refused for
	 * any id, so that the answer does not tell which ids exist */
	if (who != NULL && who->may_write != NULL && !who->may_write(who, s, owner,
	    NULL, e))
		return -1;
	/* a record hidden from the writer is answered as a missing one */
	found = store_exists_visible(s, owner, owner_id,
	    !(records_vflags(who, 0) & V_HIDE_CONFIDENTIAL), e);
	if (found < 0)
		return -1;
	if (found == 0)
		return err_set(e, ERR_NOT_FOUND, "không tìm thấy %s số %lld",
		    owner->label, (long long)owner_id);
	orec = store_get(s, owner, owner_id, e);
	if (orec == NULL)
		return -1;
	/* attaching to a record is changing it */
	if (who != NULL && who->may_write != NULL && !who->may_write(who, s, owner, orec, e)) {
		json_decref(orec);
		return -1;
	}
	json_decref(orec);
	if (filename == NULL || *filename == '\0' || strchr(filename, '/') != NULL ||
	    strchr(filename, '\\') != NULL)
		return err_set(e, ERR_INVALID, "tên tệp không hợp lệ");
	if (len == 0)
		return err_set(e, ERR_INVALID, "tệp rỗng");
	if (len > ATTACH_MAX_BYTES)
		return err_set(e, ERR_TOO_LARGE, "tệp quá %u MB", ATTACH_MAX_BYTES >> 20);
	sniffed = attach_sniff(data, len);
	if (sniffed == NULL)
		return err_set(e, ERR_MEDIA_TYPE, "loại tệp không được chấp nhận (chỉ PDF, "
		    "ảnh PNG/JPEG, Word, Excel, văn bản)");
	if (!declared_matches(sniffed, declared, filename))
		return err_set(e, ERR_MEDIA_TYPE, "nội dung tệp '%s' không khớp với tên "
		    "hoặc loại khai báo (%s)", filename, declared ? declared : "");
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	if (write_blob(hex, data, len, e) != 0)
		return -1;
	rec = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:s?}",
	    field_name(FLD_ATTACHMENT_SHA256), hex,
	    field_name(FLD_ATTACHMENT_FILENAME), filename,
	    field_name(FLD_ATTACHMENT_CONTENT_TYPE), sniffed,
	    field_name(FLD_ATTACHMENT_SIZE), (json_int_t)len,
	    field_name(FLD_ATTACHMENT_OWNER_ENTITY), owner_entity,
	    field_name(FLD_ATTACHMENT_OWNER_ID), (json_int_t)owner_id,
	    field_name(FLD_ATTACHMENT_CAPTION), caption && *caption ? caption : NULL);
	rc = records_create(s, entity_of(ENT_ATTACHMENT), rec, who, R_SYSTEM, out, e);
	json_decref(rec);
	return rc;
}
