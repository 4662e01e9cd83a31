/*
 * attach.h - attachments (signed minutes, decisions, photos): files stored
 * by their SHA-256 under the files directory (content-addressed: the same
 * file uploaded twice is kept once), described by an `attachment` record
 * that names its owner record.  Types are checked on the content, not on the
 * name or the declared type, which must agree with it.
 */
#ifndef GIAPRANH_ATTACH_H
#define GIAPRANH_ATTACH_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"
#include "domain/records.h"
#include "store/store.h"

#define ATTACH_MAX_BYTES (20u << 20)

/* Where files live (default "files"); set once at start. */
void attach_set_dir(const char *dir);
const char *attach_dir(void);

/* The content type recognised from the bytes, or NULL when the content is
 * not one of the accepted kinds (PDF, PNG, JPEG, DOCX, XLSX, DOC/XLS, text). */
const char *attach_sniff(const void *data, size_t len);

/* Check, store the bytes and create the record.  declared may be NULL or
 * "application/octet-stream" (then the sniffed type is used). */
int attach_save(struct store *s, const char *filename, const char *declared,
    const void *data, size_t len, const char *owner_entity, int64_t owner_id,
    const char *caption, const struct actor *who, json_t **out, struct err *e);

/* Path of a stored file by its hash (into buf). */
int attach_path(const char *sha256, char *buf, size_t len);

#endif
