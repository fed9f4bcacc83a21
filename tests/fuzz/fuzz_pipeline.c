/*
 * fuzz_pipeline.c - the rest of tinyfit behind every fuzz harness (see
 * fuzz_pipeline.h). Everything here is deterministic and quiet: output goes
 * to strbufs that are thrown away, and errors from the pipeline are
 * expected results (a model TFLM cannot run, a board without a clock), not
 * findings. Findings are what the sanitizers and libFuzzer see: crashes,
 * out-of-bounds accesses, leaks, undefined behaviour, timeouts.
 */
#include "fuzz_pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/cost.h"
#include "tinyfit/device_report.h"
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
	struct tfit_device_db db;       /* the boards above, for advice */
	struct tfit_model *model;       /* examples/kws_dscnn.json, for devices */
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
	env.ready = 1;
}

static void render_table_all(const struct tfit_table *t)
{
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	int f;
	tfit_render_opts_init(&ro);
	for (f = 0; f < TFIT_FMT_COUNT; f++) {
		if (f == TFIT_FMT_JSON)
			continue;
		tfit_render_table(t, (enum tfit_format)f, &ro, &sb);
	}
	/* the text renderer's narrow-terminal and ASCII paths */
	ro.ascii = 1;
	ro.color = 1;
	ro.width = 40;
	tfit_render_table(t, TFIT_FMT_TEXT, &ro, &sb);
	tfit_strbuf_release(&sb);
}

/* Fit model m (context c) on devs[0..n) and render check and compare. */
static void fit_and_render(struct tfit_fit_ctx *c, const struct tfit_model *m,
			   const struct tfit_device *const *devs, size_t n,
			   const struct tfit_device_db *advice_db)
{
	struct tfit_fit_result res[2 * N_BOARDS + 2];
	struct tfit_fit_advice adv[2 * N_BOARDS + 2];
	struct tfit_compare_row rows[N_BOARDS + 1];
	struct tfit_cost_result cost;
	struct tfit_error err;
	struct tfit_fit_opts fo;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	size_t i, n_res = 0, n_rows = 0;
	int f, k;

	tfit_render_opts_init(&ro);
	tfit_fit_opts_init(&fo);
	memset(&cost, 0, sizeof(cost));
	memset(res, 0, sizeof(res));
	memset(adv, 0, sizeof(adv));
	for (i = 0; i < n && i < N_BOARDS + 1; i++) {
		struct tfit_compare_row *row = &rows[n_rows];
		memset(row, 0, sizeof(*row));
		row->model = m;
		row->latency_ms = NAN;
		row->energy_mj = NAN;
		for (k = 0; k < 2; k++) {
			struct tfit_fit_result *r = &res[n_res];
			fo.method = k == 0 ? TFIT_METHOD_PLANNED : TFIT_METHOD_TEXTBOOK;
			if (tfit_fit_evaluate(c, devs[i], NULL, &fo, r, &err) != TFIT_OK)
				break;
			if (tfit_fit_advise(c, r, advice_db, NULL, &fo, &adv[n_res], &err) != TFIT_OK)
				memset(&adv[n_res], 0, sizeof(adv[n_res]));
			if (k == 0)
				row->planned = r;
			else
				row->textbook = r;
			n_res++;
		}
		if (tfit_cost_estimate(&env.cost, m, devs[i], NULL, &cost, &err) == TFIT_OK) {
			struct tfit_table t;
			row->latency_ms = cost.latency_ms;
			row->energy_mj = cost.energy_mj;
			tfit_layers_table_cost(m, &cost, &t);
			render_table_all(&t);
			tfit_table_release(&t);
			tfit_render_layers_json_cost(m, &cost, devs[i]->id, &sb);
			tfit_strbuf_reset(&sb);
		}
		tfit_cost_result_release(&cost);
		if (row->planned || row->textbook)
			n_rows++;
	}
	{
		struct tfit_check_report rep;
		memset(&rep, 0, sizeof(rep)); /* fields added later stay NULL */
		rep.model = m;
		rep.results = res;
		rep.advice = adv;
		rep.n_results = n_res;
		rep.both_methods = 1;
		/* both_methods pairs planned/textbook: only when every pair is whole */
		if (n_res % 2)
			rep.both_methods = 0;
		tfit_render_check_text(&rep, &ro, &sb);
		tfit_render_check_markdown(&rep, &sb);
		tfit_render_check_json(&rep, &sb);
		tfit_strbuf_reset(&sb);
	}
	{
		struct tfit_compare_report rep;
		const struct tfit_model *models[1];
		memset(&rep, 0, sizeof(rep));
		models[0] = m;
		rep.models = models;
		rep.n_models = 1;
		rep.rows = rows;
		rep.n_rows = n_rows;
		for (k = 1; k < 4; k++) {
			size_t j, ok = 1;
			rep.show_planned = k & 1;
			rep.show_textbook = (k >> 1) & 1;
			for (j = 0; j < n_rows; j++)
				if ((rep.show_planned && !rows[j].planned) ||
				    (rep.show_textbook && !rows[j].textbook))
					ok = 0;
			if (!ok)
				continue;
			for (f = 0; f < TFIT_FMT_COUNT; f++)
				tfit_render_compare(&rep, (enum tfit_format)f, &ro, &sb);
			tfit_strbuf_reset(&sb);
		}
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
	struct tfit_fit_ctx fc;
	const struct tfit_device *devs[N_BOARDS];
	size_t i;

	env_init();
	tfit_strbuf_init(&sb);
	tfit_render_layers_json(m, &sb);
	tfit_strbuf_release(&sb);
	tfit_layers_table(m, &t); /* initialises t */
	render_table_all(&t);
	tfit_table_release(&t);
	if (m->n_subgraphs == 0 || m->subgraphs[0].n_ops == 0)
		return; /* the CLI stops here too: nothing to plan */

	memset(&plan, 0, sizeof(plan));
	memset(&po, 0, sizeof(po));
	if (tfit_plan_arena(m, env.tflm, &po, &plan, &err) == TFIT_OK)
		tfit_arena_plan_release(&plan);
	po.ignore_offline_plan = 1;
	if (tfit_plan_arena(m, env.tflm, &po, &plan, &err) == TFIT_OK)
		tfit_arena_plan_release(&plan);

	for (i = 0; i < env.db.n_devices; i++)
		devs[i] = &env.db.devices[i];
	tfit_fit_ctx_init(&fc, m, TFIT_SOURCE_DIR "/data");
	fc.runtime_set = env.runtimes;
	fit_and_render(&fc, m, devs, env.db.n_devices, &env.db);
	tfit_fit_ctx_release(&fc);

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

void fuzz_device_pipeline(const struct tfit_device *d)
{
	struct tfit_fit_ctx fc;
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
	tfit_strbuf_release(&sb);

	tfit_fit_ctx_init(&fc, env.model, TFIT_SOURCE_DIR "/data");
	fc.runtime_set = env.runtimes;
	fit_and_render(&fc, env.model, devs, 1, &env.db);
	tfit_fit_ctx_release(&fc);
}
