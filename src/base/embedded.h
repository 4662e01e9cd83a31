/* embedded.h - files compiled into the binary by tools/embed.py. */
#ifndef GIAPRANH_EMBEDDED_H
#define GIAPRANH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "0001_init.sql"  */
	const char *data; /* NUL-terminated contents           */
	size_t size;
};

/* schema/migrations/NNNN_name.sql, in name order; ends with a zeroed entry. */
extern const struct embedded_file embedded_migrations[];

#endif
