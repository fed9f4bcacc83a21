/*
 * Verdicts on memory regions (docs/budgets.md): placement of the arena and
 * the weights, app slots (--partition, --ota), the binding SRAM limit, the
 * four verdicts with their exit codes, and the rule that no shipped profile
 * gets "fits" without sourced usable sizes for the regions it is checked
 * against. Numbers are the kws_dscnn example's on boards written here.
 */
#include "tfit_test.h"
#include "tinyfit/cost.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tfit_test_model.h"

#include <math.h>

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define KIB 1024ULL

/* A Cortex-M4F board with the given regions array (text) and totals. */
static int board(struct tfit_device *d, const char *extra, const char *regions)
{
	char text[4096];
	struct tfit_error err;
	snprintf(text, sizeof(text),
		 "{\"id\": \"b\", \"name\": \"B\", \"vendor\": \"T\", \"mcu\": \"T1\","
		 " \"core\": \"cortex-m4f\", \"clock_mhz\": 64, %s \"regions\": %s,"
		 " \"reserve\": {\"sram\": \"2KiB\"}, \"sources\": {}}", extra, regions);
	if (tfit_device_parse(text, strlen(text), "b.json", d, &err) != TFIT_OK) {
		fprintf(stderr, "board: %s: %s\n", err.path, err.message);
		return -1;
	}
	return 0;
}

/* kws_dscnn with TFLM + CMSIS-NN: arena 22,824 B; runtime state 428 B. */
#define ARENA 22824ULL
#define STATE 428ULL

static void test_verdicts_and_binding(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_opts o;
	struct tfit_fit_result r;
	struct tfit_error err;
	if (!m)
		return;
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	tfit_fit_opts_init(&o);

	/* sourced regions: fits; the region (24 KiB usable) binds, not the
	 * 256 KiB total: 22,824 / 24,576 = 92.87% */
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"256KiB\",",
		    "[{\"name\": \"heap\", \"kind\": \"sram\", \"size\": \"64KiB\", \"usable\": \"24KiB\"},"
		    " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"1MiB\", \"usable\": \"960KiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_FITS && r.fits);
	CHECK_STR(r.sram.region_name, "heap");
	CHECK_U64(r.sram.region_bytes, 24 * KIB);
	CHECK(r.sram_binding_region);
	CHECK_NEAR(r.sram_percent, 100.0 * ARENA / (24.0 * 1024), 1e-9);
	CHECK_NEAR(r.sram_total_percent, 100.0 * (ARENA + STATE + 2048) / (256.0 * 1024), 1e-9);
	CHECK_I64(r.sram_margin_bytes, (int64_t)(24 * KIB - ARENA));
	CHECK(r.limiting == TFIT_RES_ARENA_REGION);
	CHECK_U64(r.flash.available_bytes, 960 * KIB);
	CHECK(r.flash.slot_from == TFIT_SLOT_PROFILE);
	CHECK(tfit_verdict_exit_code(r.verdict) == 0);

	/* --partition: the image (model + runtime) against 100 KiB */
	o.partition_bytes = 100 * KIB;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.flash.slot_from == TFIT_SLOT_PARTITION);
	CHECK_U64(r.flash.available_bytes, 100 * KIB);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT && r.limiting == TFIT_RES_FLASH);
	CHECK(tfit_verdict_exit_code(r.verdict) == 1);
	o.partition_bytes = 0;

	/* --ota without a profile OTA slot: half the usable app space */
	o.ota = 1;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.flash.slot_from == TFIT_SLOT_OTA_HALF);
	CHECK_U64(r.flash.available_bytes, 480 * KIB);
	o.ota = 0;

	/* --weights-in the same region as the arena: both count there */
	o.weights_in = "heap";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.weights.placed && r.weights.same_as_arena);
	CHECK_U64(r.sram.region_used_bytes, ARENA + r.flash.model_bytes);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(r.flash.model_in_image); /* copied from the image at start-up */
	o.weights_in = NULL;

	/* an unknown region name is a usage error; a kind the profile lacks
	 * is checked with the default placement: unknown where that fits,
	 * does not fit where it does not, limiting "no psram region" */
	o.arena_in = "nowhere";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_ERR_USAGE);
	CHECK_CONTAINS(err.message, "its regions: heap, flash");
	o.arena_in = "psram";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_UNKNOWN && !r.fits);
	CHECK(r.limiting == TFIT_RES_MISSING_REGION);
	CHECK_STR(r.missing_region, "psram");
	CHECK_STR(tfit_resource_name(r.limiting), "missing_region");
	{
		char lim[64];
		CHECK_STR(tfit_fit_limiting_text(&r, lim, sizeof(lim)), "no psram region");
	}
	CHECK_STR(r.sram.region_name, "heap"); /* the default region */
	CHECK(!r.sram.arena_placed);
	CHECK_CONTAINS(r.reason, "lists no psram memory");
	CHECK_CONTAINS(r.reason, "where it fits");
	o.has_reserve_sram = 1;
	o.reserve_sram_bytes = 1ull << 30; /* the default placement cannot hold it */
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(r.limiting == TFIT_RES_MISSING_REGION);
	CHECK_CONTAINS(r.reason, "does not fit the default placement either");
	o.has_reserve_sram = 0;
	o.reserve_sram_bytes = 0;
	o.arena_in = NULL;
	tfit_device_release(&d);

	/* no usable size anywhere: unknown, never fits (exit 3) */
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"256KiB\",",
		    "[{\"name\": \"sram0\", \"kind\": \"sram\", \"size\": \"256KiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_UNKNOWN && !r.fits);
	CHECK(r.limiting == TFIT_RES_UNKNOWN);
	CHECK(isnan(r.flash_percent));
	CHECK(tfit_verdict_exit_code(r.verdict) == 3);
	/* ... unless the physical size already rules it out: 8 KiB of SRAM */
	tfit_device_release(&d);
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"8KiB\",",
		    "[{\"name\": \"sram0\", \"kind\": \"sram\", \"size\": \"8KiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	tfit_device_release(&d);

	/* the default arena region is unknown when a region of unknown usable
	 * size could hold an arena the known one cannot */
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"256KiB\",",
		    "[{\"name\": \"small\", \"kind\": \"sram\", \"size\": \"16KiB\", \"usable\": \"16KiB\"},"
		    " {\"name\": \"big\", \"kind\": \"sram\", \"size\": \"128KiB\"},"
		    " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"1MiB\", \"usable\": \"1MiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK_STR(r.sram.region_name, "big");
	CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
	tfit_device_release(&d);

	/* PSRAM: the arena leaves on-chip SRAM; external for the latency */
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"16KiB\", \"psram\": \"8MiB\",",
		    "[{\"name\": \"sram\", \"kind\": \"sram\", \"size\": \"16KiB\", \"usable\": \"16KiB\"},"
		    " {\"name\": \"psram\", \"kind\": \"psram\", \"size\": \"8MiB\", \"usable\": \"4MiB\"},"
		    " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"1MiB\", \"usable\": \"1MiB\","
		    "  \"ota_slot\": \"384KiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT); /* 22,824 B > 16 KiB */
	CHECK(!tfit_fit_arena_external(&r));
	o.arena_in = "psram";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_FITS);
	CHECK(r.sram.region_external && r.sram.arena_placed);
	CHECK_U64(r.sram.used_bytes, STATE + 2048); /* the arena is not in SRAM */
	CHECK(tfit_fit_arena_external(&r));
	CHECK(!tfit_fit_weights_external(&r));
	/* --ota with the profile's slot */
	o.ota = 1;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.flash.slot_from == TFIT_SLOT_OTA_PROFILE);
	CHECK_U64(r.flash.available_bytes, 384 * KIB);
	o.ota = 0;
	/* weights in PSRAM: read from external memory */
	o.weights_in = "psram";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.weights.same_as_arena);
	CHECK(tfit_fit_weights_external(&r));
	o.weights_in = NULL;
	o.arena_in = NULL;
	tfit_device_release(&d);

	/* verdict order for a combined exit status */
	CHECK(tfit_verdict_worse(TFIT_VERDICT_FITS, TFIT_VERDICT_UNKNOWN) == TFIT_VERDICT_UNKNOWN);
	CHECK(tfit_verdict_worse(TFIT_VERDICT_DOES_NOT_FIT, TFIT_VERDICT_UNKNOWN) ==
	      TFIT_VERDICT_DOES_NOT_FIT);
	tfit_fit_ctx_release(&c);
	tfit_model_free(m);
}

/*
 * No shipped profile has an assumed arena limit: each region it gives a
 * usable size for cites it, and a board whose arena region or app flash
 * has no sourced usable size never gets "fits" (it says unknown).
 */
static void test_shipped_profiles_never_assume(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	struct tfit_device_db db;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_error err;
	size_t i, j, n_fit = 0, n_unknown = 0;
	if (!m)
		return;
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_load_dir(&db, TFIT_SOURCE_DIR "/devices", &err) == TFIT_OK);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	for (i = 0; i < db.n_devices; i++) {
		const struct tfit_device *d = &db.devices[i];
		const struct tfit_mem_region *ar = tfit_device_arena_region(d);
		const struct tfit_mem_region *app = tfit_device_app_flash_region(d);
		int sourced;
		for (j = 0; j < d->n_regions; j++) {
			const struct tfit_mem_region *g = &d->regions[j];
			if (!g->implicit && !g->size_source)
				fprintf(stderr, "%s: region %s: size without a source\n", d->id, g->name);
			CHECK(g->implicit || g->size_source);
			CHECK(!g->usable_bytes || g->usable_source);
			CHECK(!g->ota_slot_bytes || g->ota_slot_source);
			CHECK(!g->implicit || !g->usable_bytes);
		}
		if (tfit_fit_evaluate(&c, d, NULL, NULL, &r, &err) != TFIT_OK)
			continue; /* a runtime without a profile for this board */
		sourced = ar && ar->usable_source && app && app->usable_source;
		if (r.verdict == TFIT_VERDICT_FITS) {
			if (!sourced)
				fprintf(stderr, "%s: fits without sourced usable regions\n", d->id);
			CHECK(sourced);
			n_fit++;
		}
		if (r.verdict == TFIT_VERDICT_UNKNOWN)
			n_unknown++;
	}
	/* the boards with sourced regions (docs/device-format.md, "The
	 * shipped database"); kws_dscnn fits each of them */
	CHECK(n_fit >= 36);
	CHECK(n_unknown > 0);
	tfit_fit_ctx_release(&c);
	tfit_device_db_release(&db);
	tfit_model_free(m);
}

/*
 * Advice: an arena that does not fit on chip but fits the board's PSRAM is
 * offered as "--arena-in psram", re-evaluated, with the latency of both
 * placements: the PSRAM one is the internal one x the cost model's
 * activations_external_factor (1.15, data/cost/memory.json).
 */
static void test_external_advice(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_opts o;
	struct tfit_fit_result r;
	struct tfit_fit_advice a;
	struct tfit_cost_db cdb;
	struct tfit_error err;
	const struct tfit_fit_option *op = NULL;
	uint32_t i;
	if (!m)
		return;
	memset(&cdb, 0, sizeof(cdb));
	CHECK(tfit_cost_db_load(DATA_DIR, &cdb, &err) == TFIT_OK);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	c.cost_db = &cdb;
	tfit_fit_opts_init(&o);
	CHECK(board(&d, "\"flash\": \"1MiB\", \"sram\": \"256KiB\", \"psram\": \"2MiB\",",
		    "[{\"name\": \"heap\", \"kind\": \"sram\", \"size\": \"64KiB\", \"usable\": \"16KiB\"},"
		    " {\"name\": \"psram\", \"kind\": \"psram\", \"size\": \"2MiB\", \"usable\": \"1MiB\"},"
		    " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"1MiB\", \"usable\": \"960KiB\"}]") == 0);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, &o, &a, &err) == TFIT_OK);
	for (i = 0; i < a.n_options; i++)
		if (a.options[i].kind == TFIT_OPTION_EXTERNAL_MEMORY)
			op = &a.options[i];
	CHECK(op != NULL);
	if (op) {
		CHECK(op->fits);
		CHECK_STR(op->option, "--arena-in");
		CHECK_STR(op->region, "psram");
		CHECK(op->region_kind == TFIT_MEM_PSRAM);
		CHECK_U64(op->placed_bytes, ARENA);
		CHECK_U64(op->region_size_bytes, 2048 * KIB);
		CHECK_U64(op->region_usable_bytes, 1024 * KIB);
		CHECK_U64(op->sram_used_bytes, STATE + 2 * KIB); /* the arena left on-chip RAM */
		CHECK(op->latency_internal_ms > 0);
		CHECK_NEAR(op->latency_ms, op->latency_internal_ms * 1.15, 1e-9 * op->latency_ms);
		CHECK_CONTAINS(op->text, "fits with `--arena-in psram`: arena 22.29 KiB in 2.00 MiB psram");
		CHECK_CONTAINS(op->text, "the external-memory cost is an estimate: cycles x 1.15");
		CHECK(a.options[0].fits); /* ranked with the options that fit */
	}
	/* compare's per-row advice: the same option, alone */
	{
		struct tfit_fit_advice ext;
		CHECK(tfit_fit_advise_external(&c, &r, &o, &ext) == TFIT_OK);
		CHECK_U64(ext.n_options, 1);
		if (op && ext.n_options == 1) {
			CHECK(ext.options[0].kind == TFIT_OPTION_EXTERNAL_MEMORY);
			CHECK_STR(ext.options[0].text, op->text);
			CHECK_U64(ext.options[0].placed_bytes, ARENA);
		}
		/* a result that fits gets none */
		CHECK(tfit_fit_advise_external(&c, &r, NULL, &ext) == TFIT_OK);
		CHECK_U64(ext.n_options, 0);
	}
	/* with the placement given, no such option */
	o.arena_in = "psram";
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK(r.fits);
	tfit_device_release(&d);
	tfit_fit_ctx_release(&c);
	tfit_cost_db_release(&cdb);
	tfit_model_free(m);
}

int main(void)
{
	test_verdicts_and_binding();
	test_external_advice();
	test_shipped_profiles_never_assume();
	return tfit_test_finish();
}
