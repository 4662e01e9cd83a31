/*
 * gazetteer_fixture.h - the cmocka group fixture of the ingest tests that
 * read many texts against one database with the units: the gazetteer is
 * read once (ingest_gazetteer_load) into units_gaz; test_ingest.c's
 * test_gazetteer checks that it reads texts as a fresh one does.
 */
#ifndef GIAPRANH_GAZETTEER_FIXTURE_H
#define GIAPRANH_GAZETTEER_FIXTURE_H

#include "ingest/ingest.h"
#include "testutil.h"

static struct ingest_gazetteer *units_gaz;

static int
setup_units_gaz(void **state)
{
	struct err e = { 0 };

	tu_setup_units(state);
	units_gaz = ingest_gazetteer_load(*state, &e);
	if (units_gaz == NULL)
		fail_msg("gazetteer: %s", e.msg);
	return 0;
}

static int
teardown_units_gaz(void **state)
{
	ingest_gazetteer_free(units_gaz);
	units_gaz = NULL;
	return tu_teardown(state);
}

#endif
