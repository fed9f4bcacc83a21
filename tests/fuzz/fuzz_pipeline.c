/*
 * fuzz_pipeline.c - the rest of tinyfit behind every fuzz harness (see
 * fuzz_pipeline.h). Everything here is deterministic and quiet: output goes
 * to strbufs that are thrown away, and errors from the pipeline are
 * expected results (a model TFLM cannot run, a board without a clock), not
 * findings. Findings are what the sanitizers and libFuzzer see: crashes,
 * out-of-bounds accesses, leaks, undefined behaviour, timeouts; and one
 * invariant, an abort: `check` renders the same report whether it kept
 * its plans or only their timelines (check_and_render).
 */
#include "fuzz_pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/cost.h"
#include "tinyfit/device_report.h"
#include "tinyfit/engine.h"
#include "tinyfit/fileio.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/report.h"
#include "tinyfit/runtime.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"

#ifndef TFIT_SOURCE_DIR
#error "TFIT_SOURCE_DIR must name the source tree (data/, devices/, examples/)"
#endif

/* A few boards that take different paths through fit and cost: DSP core
 * with regions, external flash only (xtensa), an AVR too small for
 * anything, a Linux board (DRAM, no SRAM figure), an NPU. */
static const char *const board_files[] = {
	"nano33ble_sense.json", "esp32_devkitc.json", "uno_r3.json", "rpi4.json",
	"alif_e7_devkit.json",
};
#define N_BOARDS (sizeof(board_files) / sizeof(board_files[0]))

static struct {
	int ready;
	/* every runtime profile loaded once for the whole run, not per input */
	struct tfit_runtime_set *runtimes;
	const struct tfit_runtime *tflm;
	struct tfit_cost_db cost;
	struct tfit_device_db db;       /* the boards above */
	struct tfit_model *model;       /* examples/kws_dscnn.json, for devices */
	char *tflite;                   /* tests/data/tflite/small_conv.tflite's bytes,
					   optimized on each fuzzed board */
	size_t tflite_len;
} env;

static void die(const char *what, const struct tfit_error *err)
{
	char msg[1600];
	tfit_error_format(err, msg, sizeof(msg));
	fprintf(stderr, "fuzz: cannot load %s: %s\n", what, msg);
	abort();
}

static void env_init(void)
{
	struct tfit_error err;
	size_t i;
	char path[1024];
	if (env.ready)
		return;
	tfit_error_clear(&err);
	if (tfit_runtime_set_new(TFIT_SOURCE_DIR "/data", &env.runtimes, &err) != TFIT_OK ||
	    tfit_runtime_set_get(env.runtimes, "tflm", &env.tflm, &err) != TFIT_OK)
		die("the tflm runtime profile", &err);
	tfit_cost_db_init(&env.cost);
	if (tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &env.cost, &err) != TFIT_OK)
		die("the cost tables", &err);
	tfit_device_db_init(&env.db);
	for (i = 0; i < N_BOARDS; i++) {
		struct tfit_device d;
		snprintf(path, sizeof(path), "%s/devices/%s", TFIT_SOURCE_DIR, board_files[i]);
		if (tfit_device_load_file(path, &d, &err) != TFIT_OK)
			die(path, &err);
		if (tfit_device_db_add(&env.db, &d, &err) != TFIT_OK)
			die(path, &err);
	}
	if (tfit_model_load(TFIT_SOURCE_DIR "/examples/kws_dscnn.json", NULL, &env.model, &err) != TFIT_OK)
		die("examples/kws_dscnn.json", &err);
	if (tfit_file_read(TFIT_SOURCE_DIR "/tests/data/tflite/small_conv.tflite", TFIT_FILE_MAX_BYTES,
			   &env.tflite, &env.tflite_len, &err) != TFIT_OK)
		die("tests/data/tflite/small_conv.tflite", &err);
	env.ready = 1;
}

static void render_table_all(const struct tfit_table *t)
{
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	int f;
	tfit_render_opts_init(&ro);
	for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
		if (f == TFIT_FORMAT_JSON)
			continue;
		tfit_render_table(t, (enum tfit_format)f, &ro, &sb);
	}
	/* the text renderer's narrow-terminal and ASCII paths */
	ro.ascii = 1;
	ro.color = 1;
	ro.width = 40;
	tfit_render_table(t, TFIT_FORMAT_TEXT, &ro, &sb);
	tfit_strbuf_release(&sb);
}

/* `tinyfit compare` through the engine: m beside the example model on the
 * boards ids (both methods, sorted by latency, thresholds), and m alone on
 * every board of db with --fits-only sorted by name, rendered in every
 * format. */
static void compare_and_render(struct tfit_model *m, const struct tfit_device_db *db,
			       const char *const *ids, size_t n_ids, struct tfit_strbuf *sb)
{
	static const char *const labels[] = { "fuzzed" };
	struct tfit_model_request mr[2];
	struct tfit_compare_request req;
	struct tfit_compare_result res;
	struct tfit_error err;
	struct tfit_render_opts ro;
	int pass, f;

	tfit_render_opts_init(&ro);
	memset(mr, 0, sizeof(mr));
	mr[0].given = m;
	mr[1].given = env.model;
	for (pass = 0; pass < 2; pass++) {
		memset(&req, 0, sizeof(req));
		req.data.data_dir = TFIT_SOURCE_DIR "/data";
		req.data.runtimes = env.runtimes;
		req.models = mr;
		req.n_models = pass ? 1 : 2;
		req.labels = labels;
		req.n_labels = 1;
		req.devices.given = db;
		req.device_ids = pass ? NULL : ids;
		req.n_device_ids = pass ? 0 : n_ids;
		tfit_fit_opts_init(&req.fit);
		req.show_planned = 1;
		req.show_textbook = !pass;
		req.method_given = 1;
		req.sort = pass ? TFIT_SORT_NAME : TFIT_SORT_LATENCY;
		req.fits_only = pass;
		req.gates.has_max_arena = 1;
		req.gates.max_arena_bytes = 64 * 1024;
		req.gates.has_max_latency = 1;
		req.gates.max_latency_ms = 100;
		if (tfit_compare_run(&req, &res, &err) == TFIT_OK) {
			for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
				tfit_render_compare(&res.report, (enum tfit_format)f, &ro, sb);
				tfit_strbuf_reset(sb);
			}
		}
		tfit_compare_result_release(&res);
	}
}

/* `tinyfit quant MODEL` through the engine, rendered in every format. */
static void quant_and_render(struct tfit_model *m)
{
	struct tfit_quant_run_request req;
	struct tfit_quant_run_result res;
	struct tfit_error err;
	struct tfit_render_opts ro;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	int f;

	tfit_render_opts_init(&ro);
	memset(&req, 0, sizeof(req));
	req.model.given = m;
	if (tfit_quant_run(&req, &res, &err) == TFIT_OK) {
		for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
			tfit_render_quant(&res.report, (enum tfit_format)f, &ro, &sb);
			tfit_strbuf_reset(&sb);
		}
	}
	tfit_quant_run_result_release(&res);
	tfit_strbuf_release(&sb);
}

/*
 * `tinyfit optimize` through the engine on the bytes data[0..len), rendered
 * in every format: plan-only for plain TFLM without a board, and plan-only
 * for board id of db (its runtime and cost tables; the rewritten model
 * planned again for the fit check). Plan-only keeps each input fast: the
 * patch search plans the model once per candidate grid.
 */
static void optimize_and_render(const void *data, size_t len, const struct tfit_device_db *db,
				const char *id)
{
	struct tfit_optimize_run_request req;
	struct tfit_optimize_run_result res;
	struct tfit_error err;
	struct tfit_render_opts ro;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	int pass, f;

	tfit_render_opts_init(&ro);
	for (pass = 0; pass < 2; pass++) {
		memset(&req, 0, sizeof(req));
		req.data.data_dir = TFIT_SOURCE_DIR "/data";
		req.data.runtimes = env.runtimes;
		req.model_path = "fuzz.tflite";
		req.model_data = data;
		req.model_len = len;
		req.plan_only = 1;
		if (pass) {
			req.devices.given = db;
			req.device_id = id;
		}
		if (tfit_optimize_run(&req, &res, &err) == TFIT_OK) {
			for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
				tfit_render_optimize(&res.report, (enum tfit_format)f, &ro, &sb);
				tfit_strbuf_reset(&sb);
			}
		}
		tfit_optimize_run_result_release(&res);
	}
	tfit_strbuf_release(&sb);
}

void fuzz_optimize_pipeline(const void *data, size_t len)
{
	env_init();
	optimize_and_render(data, len, &env.db, env.db.devices[0].id);
}

/* `tinyfit check` of model m on every board of db through the engine (both
 * methods, thresholds, a deadline and a battery), rendered in every format;
 * and `layers --device` per board, through the layers engine. As the CLI
 * runs it (cmd_check.c): keeping the plans for HTML and SVG, and keeping
 * only their timelines (request.timeline_only) for the formats that draw
 * no buffer, which must render byte for byte what the plans give (issue
 * #17: the timelines are the CLI's path for text, Markdown, CSV and JSON). */
static void check_and_render(struct tfit_model *m, const struct tfit_device_db *db)
{
	const char *ids[N_BOARDS + 1];
	struct tfit_check_request req;
	struct tfit_check_result res, tres;
	struct tfit_error err, terr;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT, tsb = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	size_t i, n = 0;
	int f, ok, tok, nomem;

	tfit_render_opts_init(&ro);
	for (i = 0; i < db->n_devices && n < N_BOARDS + 1; i++)
		ids[n++] = db->devices[i].id;
	memset(&req, 0, sizeof(req));
	req.data.data_dir = TFIT_SOURCE_DIR "/data";
	req.model.given = m;
	req.devices.given = db;
	req.data.runtimes = env.runtimes;
	req.device_ids = ids;
	req.n_device_ids = n;
	tfit_fit_opts_init(&req.fit);
	req.method_given = 1;
	req.both_methods = 1;
	req.gates.has_max_arena = 1;
	req.gates.max_arena_bytes = 64 * 1024;
	req.gates.has_max_latency = 1;
	req.gates.max_latency_ms = 100;
	req.gates.has_min_margin = 1;
	req.gates.min_margin_bytes = 1024;
	req.timing.has_rate = 1;
	req.timing.rate_hz = 2;
	req.timing.has_battery = 1;
	req.timing.capacity_mah = 3000;
	req.timing.voltage_v = 3.7;
	ok = tfit_check_run(&req, &res, &err) == TFIT_OK;
	req.timeline_only = 1;
	tok = tfit_check_run(&req, &tres, &terr) == TFIT_OK;
	/* out of memory (run.sh lets a fuzzed size over the allocator's limit
	 * return NULL) is no finding: the other run may have got by */
	nomem = (!ok && err.code == TFIT_ERR_NOMEM) || (!tok && terr.code == TFIT_ERR_NOMEM);
	if (!nomem && (ok != tok || (!ok && strcmp(err.message, terr.message) != 0))) {
		fprintf(stderr, "fuzz: check with plans %s (%s), with timelines %s (%s)\n",
			ok ? "ran" : "failed", ok ? "" : err.message, tok ? "ran" : "failed",
			tok ? "" : terr.message);
		abort();
	}
	for (f = 0; ok && f < TFIT_FORMAT_COUNT; f++) {
		tfit_render_check(&res.report, (enum tfit_format)f, &ro, &sb);
		if (tok && f != TFIT_FORMAT_HTML && f != TFIT_FORMAT_SVG) {
			tfit_render_check(&tres.report, (enum tfit_format)f, &ro, &tsb);
			if (sb.oom || tsb.oom) {
				/* out of memory: nothing to compare */
			} else if (sb.len != tsb.len || (sb.len && memcmp(sb.buf, tsb.buf, sb.len) != 0)) {
				fprintf(stderr, "fuzz: check's %s report differs with timelines\n",
					tfit_format_name((enum tfit_format)f));
				abort();
			}
			tfit_strbuf_reset(&tsb);
		}
		tfit_strbuf_reset(&sb);
	}
	tfit_check_result_release(&res);
	tfit_check_result_release(&tres);
	tfit_strbuf_release(&tsb);

	compare_and_render(m, db, ids, n, &sb);

	/* `layers --device` on each board (the arena plan once) */
	for (i = 0; i < n; i++) {
		struct tfit_layers_request lr;
		struct tfit_layers_result lres;
		memset(&lr, 0, sizeof(lr));
		lr.data.data_dir = TFIT_SOURCE_DIR "/data";
		lr.model.given = m;
		lr.devices.given = db;
		lr.data.runtimes = env.runtimes;
		lr.device_id = ids[i];
		lr.plan = i == 0;
		if (tfit_layers_run(&lr, &lres, &err) == TFIT_OK) {
			for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
				tfit_render_layers(&lres.report, (enum tfit_format)f, &ro, &sb);
				tfit_strbuf_reset(&sb);
			}
		}
		tfit_layers_result_release(&lres);
	}
	tfit_strbuf_release(&sb);
}

void fuzz_model_pipeline(struct tfit_model *m)
{
	struct tfit_arena_plan plan;
	struct tfit_plan_opts po;
	struct tfit_error err;
	struct tfit_table t;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;

	env_init();
	tfit_strbuf_init(&sb);
	tfit_render_layers_json(m, &sb);
	tfit_strbuf_release(&sb);
	tfit_layers_table(m, &t); /* initialises t */
	render_table_all(&t);
	tfit_table_release(&t);
	quant_and_render(m);
	if (m->n_subgraphs == 0 || m->subgraphs[0].n_ops == 0)
		return; /* the CLI stops here too: nothing to plan */

	memset(&plan, 0, sizeof(plan));
	memset(&po, 0, sizeof(po));
	if (tfit_plan_arena(m, env.tflm, &po, &plan, &err) == TFIT_OK)
		tfit_arena_plan_release(&plan);
	po.ignore_offline_plan = 1;
	if (tfit_plan_arena(m, env.tflm, &po, &plan, &err) == TFIT_OK)
		tfit_arena_plan_release(&plan);

	check_and_render(m, &env.db);

	/* --dtype: convert and analyse again (the context is gone: the plans
	 * it cached described the old dtypes) */
	if (tfit_model_convert_dtype(m, m->dtype == TFIT_DTYPE_INT8 ? TFIT_DTYPE_FLOAT32
								: TFIT_DTYPE_INT8, &err) == TFIT_OK) {
		tfit_layers_table(m, &t);
		render_table_all(&t);
		tfit_table_release(&t);
		if (tfit_plan_arena(m, env.tflm, NULL, &plan, &err) == TFIT_OK)
			tfit_arena_plan_release(&plan);
	}
}

void fuzz_device_pipeline(const struct tfit_device_db *db, const struct tfit_device *d)
{
	struct tfit_table t;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	const struct tfit_device *devs[1];
	const char *unsourced[64];
	uint64_t u;

	env_init();
	devs[0] = d;
	(void)tfit_device_unsourced(d, unsourced, 64);
	u = tfit_device_model_flash_bytes(d) + (tfit_device_arena_region(d) ? 1 : 0) +
	    (tfit_device_app_flash_region(d) ? 1 : 0);
	(void)u;
	tfit_device_list_table(devs, 1, 0, &t);
	render_table_all(&t);
	tfit_table_release(&t);
	tfit_device_list_table(devs, 1, 1, &t);
	render_table_all(&t);
	tfit_table_release(&t);
	tfit_device_show_table(d, &t);
	render_table_all(&t);
	tfit_table_release(&t);
	tfit_device_render_list_json(devs, 1, &sb);
	tfit_device_render_show_json(d, &sb);
	tfit_strbuf_reset(&sb);
	{
		/* `devices` and `devices show ID` through the engine */
		struct tfit_devices_request dr;
		struct tfit_devices_result dres;
		struct tfit_render_opts ro;
		struct tfit_error err;
		int k, f;
		tfit_render_opts_init(&ro);
		for (k = 0; k < 2; k++) {
			memset(&dr, 0, sizeof(dr));
			dr.boards.given = db;
			dr.show_id = k ? d->id : NULL;
			dr.sort = TFIT_DEVICE_SORT_PRICE;
			if (tfit_devices_run(&dr, &dres, &err) == TFIT_OK)
				for (f = 0; f < TFIT_FORMAT_COUNT; f++) {
					tfit_render_devices(&dres.report, (enum tfit_format)f, &ro, &sb);
					tfit_strbuf_reset(&sb);
				}
			tfit_devices_result_release(&dres);
		}
	}
	tfit_strbuf_release(&sb);

	check_and_render(env.model, db);
	optimize_and_render(env.tflite, env.tflite_len, db, d->id);
}
