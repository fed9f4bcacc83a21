/*
 * test_shipped_data.c - the data compiled into tinyfit (tinyfit/shipped.h,
 * written at build time by src/gen/tfit_datagen.c) is what the validating
 * loaders read from data/ and devices/ now: each runtime profile, the cost
 * database and every board, written out as C again (the same emitters),
 * give the same text as the ones loaded from the JSON files. Also: compiled
 * boards overridden by a user's directory, and released, free nothing of
 * the executable's (ASan checks this build). And the build-time check of
 * the boards' runtimes (tfit_device_check_runtimes, run by tfit_datagen)
 * passes on the shipped boards and rejects an unknown runtime or version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/registry.h"
#include "tinyfit/runtime.h"
#include "tinyfit/shipped.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define DEVICES_DIR TFIT_SOURCE_DIR "/devices"

static void same_text(const struct tfit_strbuf *a, const struct tfit_strbuf *b, const char *what)
{
	CHECK(!a->oom && !b->oom);
	if (strcmp(tfit_strbuf_str(a), tfit_strbuf_str(b)) != 0) {
		fprintf(stderr, "compiled %s differs from the JSON files: rebuild (tfit_datagen)\n",
			what);
		CHECK(0);
	}
}

static void test_runtimes(void)
{
	struct tfit_error err;
	char **ids = NULL;
	size_t i;
	tfit_error_clear(&err);
	CHECK(tfit_runtime_ids(DATA_DIR, &ids, &err) == TFIT_OK);
	for (i = 0; ids && ids[i]; i++) {
		struct tfit_strbuf a = TFIT_STRBUF_INIT, b = TFIT_STRBUF_INIT;
		struct tfit_runtime *rt = NULL;
		CHECK(tfit_shipped_runtimes[i] != NULL);
		if (!tfit_shipped_runtimes[i])
			break;
		CHECK_STR(tfit_shipped_runtimes[i]->id, ids[i]);
		CHECK(tfit_runtime_load(DATA_DIR, ids[i], &rt, &err) == TFIT_OK);
		if (rt) {
			tfit_runtime_emit_c(rt, "x", &a);
			tfit_runtime_emit_c(tfit_shipped_runtimes[i], "x", &b);
			same_text(&a, &b, ids[i]);
		}
		tfit_runtime_free(rt);
		tfit_strbuf_release(&a);
		tfit_strbuf_release(&b);
	}
	CHECK(ids && tfit_shipped_runtimes[i] == NULL);
	tfit_runtime_ids_free(ids);
}

static void test_cost(void)
{
	struct tfit_strbuf a = TFIT_STRBUF_INIT, b = TFIT_STRBUF_INIT;
	struct tfit_cost_db db, copy;
	struct tfit_error err;
	tfit_error_clear(&err);
	tfit_cost_db_init(&db);
	CHECK(tfit_cost_db_load(DATA_DIR, &db, &err) == TFIT_OK);
	tfit_cost_db_emit_c(&db, "x", &a);
	tfit_cost_db_emit_c(tfit_shipped_cost_db, "x", &b);
	same_text(&a, &b, "cost database");
	CHECK(tfit_cost_db_runtime(tfit_shipped_cost_db, "tflm-cmsis-nn") != NULL);
	/* a copy of the compiled db releases nothing */
	copy = *tfit_shipped_cost_db;
	tfit_cost_db_release(&copy);
	CHECK(copy.runtimes == NULL);
	tfit_cost_db_release(&db);
	tfit_strbuf_release(&a);
	tfit_strbuf_release(&b);
}

static void test_devices(void)
{
	struct tfit_device_db db, mixed;
	struct tfit_error err;
	const struct tfit_device *d;
	size_t i;
	tfit_error_clear(&err);
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_load_dir_as(&db, DEVICES_DIR, "<built-in>", &err) == TFIT_OK);
	CHECK_U64(tfit_shipped_n_devices, db.n_devices);
	for (i = 0; i < db.n_devices && i < tfit_shipped_n_devices; i++) {
		struct tfit_strbuf a = TFIT_STRBUF_INIT, b = TFIT_STRBUF_INIT;
		struct tfit_device c = db.devices[i];
		c.compiled = 1; /* the one field the emitter writes as a constant */
		tfit_device_emit_c_parts(&c, "x", &a);
		tfit_device_emit_c_init(&c, "x", &a);
		tfit_device_emit_c_parts(&tfit_shipped_devices[i], "x", &b);
		tfit_device_emit_c_init(&tfit_shipped_devices[i], "x", &b);
		same_text(&a, &b, db.devices[i].id);
		tfit_strbuf_release(&a);
		tfit_strbuf_release(&b);
	}
	tfit_device_db_release(&db);

	/* a user's directory overrides a compiled board, as it does a parsed one */
	tfit_device_db_init(&mixed);
	CHECK(tfit_device_db_add_compiled(&mixed, tfit_shipped_devices, tfit_shipped_n_devices,
					  &err) == TFIT_OK);
	CHECK(tfit_device_db_load_dir(&mixed, TFIT_SOURCE_DIR "/tests/data/devices/override",
				      &err) == TFIT_OK);
	CHECK_U64(mixed.n_devices, tfit_shipped_n_devices);
	d = tfit_device_db_find(&mixed, "nano33ble_sense");
	CHECK(d != NULL);
	if (d) {
		CHECK_STR(d->vendor, "Test Vendor");
		CHECK_STR(d->overrides, "<built-in>/nano33ble_sense.json");
	}
	tfit_device_db_release(&mixed);
}

/* The check tfit_datagen runs on the boards it compiles, on a copy of the
 * compiled boards with one runtime broken at a time. */
static void test_board_runtimes(void)
{
	struct tfit_device_runtime_check check;
	struct tfit_registry reg;
	struct tfit_device *copy;
	struct tfit_error err;
	size_t i, named = tfit_shipped_n_devices;
	tfit_error_clear(&err);
	CHECK(tfit_registry_build(DATA_DIR, tfit_shipped_cost_db, &reg, &err) == TFIT_OK);
	tfit_registry_runtime_check(&reg, &check);
	CHECK(tfit_device_check_runtimes(tfit_shipped_devices, tfit_shipped_n_devices, &check,
					 &err) == TFIT_OK);
	copy = malloc(tfit_shipped_n_devices * sizeof(*copy));
	CHECK(copy != NULL);
	if (!copy) {
		tfit_registry_release(&reg);
		return;
	}
	memcpy(copy, tfit_shipped_devices, tfit_shipped_n_devices * sizeof(*copy));
	for (i = 0; i < tfit_shipped_n_devices && named == tfit_shipped_n_devices; i++)
		if (copy[i].runtime_from_profile && copy[i].core)
			named = i;
	CHECK(named < tfit_shipped_n_devices);
	if (named < tfit_shipped_n_devices) {
		/* a runtime no file defines */
		snprintf(copy[named].runtime, sizeof(copy[named].runtime), "tflm-nosuch");
		CHECK(tfit_device_check_runtimes(copy, tfit_shipped_n_devices, &check, &err) ==
		      TFIT_ERR_INPUT);
		CHECK_STR(err.file, tfit_shipped_devices[named].file);
		CHECK_STR(err.path, "default_runtime");
		CHECK_CONTAINS(err.message, "unknown runtime 'tflm-nosuch' (expected one of: ");
		CHECK_CONTAINS(err.message, "tflm-cmsis-nn");
		/* a version no cost table was measured with */
		snprintf(copy[named].runtime, sizeof(copy[named].runtime), "x-cube-ai@0.1");
		CHECK(tfit_device_check_runtimes(copy, tfit_shipped_n_devices, &check, &err) ==
		      TFIT_ERR_INPUT);
		CHECK_STR(err.path, "default_runtime");
		CHECK_CONTAINS(err.message, "runtime 'x-cube-ai' has no version '0.1' (versions: ");
		/* a runtime the core implies (device_parse.c runtime_for_core),
		 * for a board without default_runtime */
		copy[named].runtime_from_profile = 0;
		snprintf(copy[named].runtime, sizeof(copy[named].runtime), "tflm-nosuch");
		CHECK(tfit_device_check_runtimes(copy, tfit_shipped_n_devices, &check, &err) ==
		      TFIT_ERR_INPUT);
		CHECK_STR(err.file, tfit_shipped_devices[named].file);
		CHECK_STR(err.path, "core");
		CHECK_CONTAINS(err.message, "the default runtime of core ");
		CHECK_CONTAINS(err.message, ": unknown runtime 'tflm-nosuch'");
	}
	free(copy);
	tfit_registry_release(&reg);
}

int main(void)
{
	test_runtimes();
	test_cost();
	test_devices();
	test_board_runtimes();
	return tfit_test_finish();
}
