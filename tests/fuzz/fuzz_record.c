/* A JSON body as POST /api/v1/ENTITY gets it: parsed, then validated
 * against the entity table (types, limits, enums, catalogs, references)
 * with a store on a temporary SQLite file.  The first byte picks the
 * entity and whether it is a PATCH. */
#include <stdio.h>
#include <unistd.h>

#include "domain/validate.h"
#include "fuzz.h"
#include "schema/registry.h"
#include "store/store.h"

static struct store *store;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e = { 0 };
	char url[64];

	(void)argc;
	(void)argv;
	snprintf(url, sizeof(url), "sqlite:/tmp/giapranh-fuzz-%ld.db", (long)getpid());
	unlink(url + 7);
	if (store_open(url, &store, &e) != 0 || store_migrate(store, NULL, &e) != 0) {
		fprintf(stderr, "fuzz_record: %s\n", e.msg);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct entity_def *ent;
	struct err e = { 0 };
	json_t *in, *out;

	if (size < 1 || size > FUZZ_INPUT_MAX)
		return 0;
	ent = registry[data[0] % registry_count];
	in = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (in == NULL)
		return 0;
	out = validate_record(store, ent, in, (data[0] & 0x80) ? V_PARTIAL : 0, &e);
	if (out != NULL)
		(void)validate_whole(ent, out, &e);
	json_decref(out);
	json_decref(in);
	err_clear(&e);
	return 0;
}
