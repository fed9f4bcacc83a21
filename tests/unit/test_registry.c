/*
 * The runtime registry (registry.h) built from the shipped data/: every
 * runtime with cost tables or a memory profile is listed once, versions
 * come from the cost tables in release order, and NAME[@VERSION] resolves
 * or fails with the list of what exists.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tinyfit/registry.h"

#define DATA TFIT_SOURCE_DIR "/data"

static void test_shipped(void)
{
	struct tfit_cost_db db;
	struct tfit_registry reg;
	struct tfit_error err;
	const struct tfit_runtime_entry *e;
	char list[1024];
	tfit_error_clear(&err);
	tfit_cost_db_init(&db);
	CHECK(tfit_cost_db_load(DATA, &db, &err) == TFIT_OK);
	CHECK(tfit_registry_build(DATA, &db, &reg, &err) == TFIT_OK);
	/* 18 cost files; the 4 memory profiles all have cost tables */
	CHECK(reg.n == 18);
	CHECK(db.n_runtimes == 18);
	tfit_registry_list(&reg, list, sizeof(list));
	CHECK(strncmp(list, "fpgaconvnet, gapflow, hale, ", 28) == 0);

	e = tfit_registry_find(&reg, "x-cube-ai@8.1");
	CHECK(e && strcmp(e->id, "x-cube-ai") == 0);
	CHECK(e && e->has_cost_tables && e->has_memory_profile);
	CHECK(e && e->n_versions == 7);
	if (e && e->n_versions == 7) {
		CHECK(strcmp(e->versions[0], "7.1") == 0);
		CHECK(strcmp(e->versions[4], "9.0") == 0);
		CHECK(strcmp(e->versions[5], "10.2") == 0); /* numeric order, not text */
		CHECK(strcmp(e->versions[6], "u3-dsp") == 0);
	}
	e = tfit_registry_find(&reg, "plumerai");
	CHECK(e && e->has_cost_tables && !e->has_memory_profile);
	e = tfit_registry_find(&reg, "tflm");
	CHECK(e && e->has_cost_tables && e->has_memory_profile && e->n_versions == 0);
	CHECK(tfit_registry_find(&reg, "tflm-cmsis") == NULL);
	CHECK(tfit_registry_find(&reg, "x-cube") == NULL);

	CHECK(tfit_registry_resolve(&reg, "x-cube-ai@8.1", &e, &err) == TFIT_OK);
	CHECK(tfit_registry_resolve(&reg, "hale@max-performance", &e, &err) == TFIT_OK);
	CHECK(tfit_registry_resolve(&reg, "microtvm-cmsis-nn", &e, &err) == TFIT_OK);
	CHECK(tfit_registry_resolve(&reg, "x-cube-ai@8.5", &e, &err) == TFIT_ERR_USAGE);
	CHECK(e == NULL);
	CHECK(strcmp(err.message, "runtime 'x-cube-ai' has no version '8.5' "
				  "(versions: 7.1, 7.3, 8.0, 8.1, 9.0, 10.2, u3-dsp)") == 0);
	CHECK(tfit_registry_resolve(&reg, "tflm@2.3", NULL, &err) == TFIT_ERR_USAGE);
	CHECK(strstr(err.message, "use 'tflm'") != NULL);
	CHECK(tfit_registry_resolve(&reg, "@8.1", NULL, &err) == TFIT_ERR_USAGE);
	CHECK(strncmp(err.message, "unknown runtime '@8.1' (expected one of: fpgaconvnet,", 52) == 0);
	tfit_registry_release(&reg);
	tfit_registry_release(&reg); /* idempotent */
	tfit_cost_db_release(&db);
}

int main(void)
{
	test_shipped();
	return tfit_test_finish();
}
