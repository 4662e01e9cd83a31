/*
 * ingest.c - extraction of proposals from a report (work in progress).
 */
#include "ingest.h"

int
ingest_plain_text(const char *filename, const unsigned char *data, size_t len,
    char **out, size_t *outlen, struct err *e)
{
	(void)filename; (void)data; (void)len;
	*out = NULL;
	*outlen = 0;
	return err_set(e, ERR_INTERNAL, "chức năng nhập từ văn bản chưa sẵn sàng");
}

int
ingest_extract(struct store *st, const char *text, size_t len,
    const struct ingest_options *opt, json_t **out, struct err *e)
{
	(void)st; (void)text; (void)len; (void)opt;
	*out = NULL;
	return err_set(e, ERR_INTERNAL, "chức năng nhập từ văn bản chưa sẵn sàng");
}
