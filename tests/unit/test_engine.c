/*
 * test_engine.c - the engine's run functions (engine.h; check, compare,
 * layers, devices, optimize, quant) called directly, as
 * the CLI, the fuzz harnesses and other programs call them: exact numbers on
 * examples/kws_dscnn.json and the repo's boards, the bare-model path, the
 * thresholds and deadlines in the verdict, and errors that are about an
 * option versus about a file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tfit_test_model.h"
#include "tinyfit/engine.h"

static const char *const dev_dirs[] = { TFIT_SOURCE_DIR "/devices" };

static void check_request(struct tfit_check_request *req, const char *const *ids, size_t n_ids)
{
	memset(req, 0, sizeof(*req));
	req->data.data_dir = TFIT_SOURCE_DIR "/data";
	tfit_load_opts_init(&req->model.load);
	req->model.path = TFIT_SOURCE_DIR "/examples/kws_dscnn.json";
	req->devices.dirs = dev_dirs;
	req->devices.n_dirs = 1;
	req->devices.first_is_builtin = 1;
	req->device_ids = ids;
	req->n_device_ids = n_ids;
	tfit_fit_opts_init(&req->fit);
}

/* A compare request: the models of paths (each path one model), the boards
 * of ids from dirs, the planned method. */
static void compare_request(struct tfit_compare_request *req, struct tfit_model_request *mr,
			    const char *const *paths, size_t n, const char *const *dirs,
			    size_t n_dirs, const char *const *ids, size_t n_ids)
{
	size_t i;
	memset(mr, 0, n * sizeof(*mr));
	for (i = 0; i < n; i++) {
		tfit_load_opts_init(&mr[i].load);
		mr[i].path = paths[i];
	}
	memset(req, 0, sizeof(*req));
	req->data.data_dir = TFIT_SOURCE_DIR "/data";
	req->models = mr;
	req->n_models = n;
	req->devices.dirs = dirs;
	req->devices.n_dirs = n_dirs;
	req->device_ids = ids;
	req->n_device_ids = n_ids;
	tfit_fit_opts_init(&req->fit);
	req->show_planned = 1;
}

/* request.timeline_only (issue #17): kws_dscnn on two boards with the
 * same runtime (tflm-cmsis-nn) and one with another (esp32s3_devkitc_n8:
 * tflm-esp-nn): no plan is kept, each runtime's plan is one timeline, the
 * first two results share theirs, and each timeline is the kept plan's
 * bytes live per scope (tfit_plan_live_bytes) with its head and peak,
 * exactly. */
static void test_check_timeline_only(void)
{
	static const char *const ids[] = { "nano33ble_sense", "blackpill_f411ce", "esp32s3_devkitc_n8" };
	struct tfit_check_request req;
	struct tfit_check_result kept, res;
	struct tfit_error err;
	size_t i;
	int32_t s;
	check_request(&req, ids, 3);
	CHECK(tfit_check_run(&req, &kept, &err) == TFIT_OK);
	CHECK_U64(kept.n_results, 3);
	CHECK(kept.report.timelines == NULL && kept.report.plans != NULL);
	check_request(&req, ids, 3);
	req.timeline_only = 1;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_results, 3);
	CHECK(res.report.plans == NULL && res.report.timelines != NULL);
	CHECK(res.timelines && res.timelines[0] && res.timelines[0] == res.timelines[1]);
	CHECK(res.timelines && res.timelines[2] && res.timelines[2] != res.timelines[0]);
	/* every plan released: the context holds none */
	for (i = 0; i < res.fc.n; i++)
		CHECK(res.fc.plans[i].buffers == NULL);
	for (i = 0; res.timelines && i < 3; i++) {
		const struct tfit_arena_timeline *tl = res.timelines[i];
		const struct tfit_arena_plan *p = kept.plans[i];
		uint64_t *live = p ? tfit_plan_live_bytes(p) : NULL;
		CHECK(tl && p && live);
		if (!tl || !p || !live) {
			free(live);
			continue;
		}
		CHECK_U64(tl->n_times, 14); /* the inputs and 13 ops */
		CHECK_U64(tl->head_bytes, p->head_bytes);
		CHECK_U64(tl->peak_time, p->peak_time);
		CHECK(tl->scope_op == NULL && tl->scope_subgraph == NULL && !tl->used_offline_plan);
		for (s = 0; s < tl->n_times; s++)
			CHECK_U64(tl->live_bytes[s], live[s]);
		free(live);
	}
	/* the Nano's head as `check` prints it: 15.62 KiB (head 16,000 + tail) */
	CHECK(res.timelines && res.timelines[0] && res.timelines[0]->head_bytes == 16000);
	/* the other figures do not depend on it */
	CHECK_U64(res.results[0].sram.arena_bytes, 22824);
	CHECK_NEAR(res.timing[0].latency_ms, kept.timing[0].latency_ms, 0);
	tfit_check_result_release(&kept);
	tfit_check_result_release(&res);
}

/* kws_dscnn on the Nano 33 BLE Sense: the numbers `tinyfit check` prints. */
static void test_check_kws(void)
{
	static const char *const ids[] = { "nano33ble_sense", "nano33ble" /* an alias: once */ };
	struct tfit_check_request req;
	struct tfit_check_result res;
	struct tfit_error err;
	const struct tfit_fit_result *r;
	const struct tfit_check_timing *t;
	check_request(&req, ids, 2);
	req.gates.has_max_arena = 1;
	req.gates.max_arena_bytes = 32 * 1024;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_results, 1);
	r = &res.results[0];
	t = &res.timing[0];
	CHECK_STR(r->device->id, "nano33ble_sense");
	CHECK(r->verdict == TFIT_VERDICT_FITS);
	CHECK_U64(r->sram.arena_bytes, 22824);
	CHECK_U64(r->sram.used_bytes, 25300);
	CHECK_U64(r->sram.available_bytes, 262144);
	CHECK(res.plans[0] != NULL);
	CHECK(t->has_latency);
	CHECK_NEAR(t->latency_ms, 192.8806, 5e-5);
	CHECK_NEAR(t->energy_mj, 3.857611688, 5e-9);
	CHECK(t->n_hot == 3);
	CHECK(!t->has_realtime);
	CHECK_U64(res.gates.n, 1);
	CHECK_U64(res.gates.failed, 0);
	CHECK(res.verdict == TFIT_VERDICT_FITS);
	CHECK(res.report.pass);
	CHECK(res.report.gates_given && res.report.show_planned && !res.report.show_textbook);
	tfit_check_result_release(&res);

	/* a missed deadline counts like a missing byte */
	check_request(&req, ids, 1);
	req.timing.has_deadline = 1;
	req.timing.deadline_ms = 10;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.timing[0].has_realtime && !res.timing[0].rt_pass);
	CHECK_NEAR(res.timing[0].rt_margin_ms, -182.8806, 5e-5);
	CHECK(res.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(!res.report.pass);
	tfit_check_result_release(&res);

	/* a failed gate too */
	check_request(&req, ids, 1);
	req.gates.has_max_arena = 1;
	req.gates.max_arena_bytes = 16 * 1024;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.gates.failed, 1);
	CHECK(res.gates.items[0].kind == TFIT_GATE_ARENA);
	CHECK_NEAR(res.gates.items[0].value, 22824, 0);
	CHECK(res.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	tfit_check_result_release(&res);
}

/* --params: a bare model switches to the textbook method unless planned
 * was asked for, which is an error about the option */
static void test_check_bare(void)
{
	static const char *const ids[] = { "nano33ble_sense" };
	struct tfit_check_request req;
	struct tfit_check_result res;
	struct tfit_error err;
	check_request(&req, ids, 1);
	req.model.path = NULL;
	req.model.bare = 1;
	req.model.params = 100000;
	req.model.load.dtype = TFIT_DTYPE_INT8;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_results, 1);
	CHECK(res.results[0].method == TFIT_METHOD_TEXTBOOK);
	CHECK(res.model->format == TFIT_MODEL_FORMAT_FLAGS);
	CHECK_U64(res.model->params, 100000);
	CHECK(res.report.show_textbook);
	tfit_check_result_release(&res);

	req.method_given = 1; /* --method planned */
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(res.usage_error);
	CHECK_CONTAINS(err.message, "no layers to plan");
	tfit_check_result_release(&res);
}

/* an unknown board is a usage error without the usage hint; a given model
 * and database are used as they are */
static void test_check_given(void)
{
	static const char *const bad[] = { "esp33" };
	static const char *const ids[] = { "uno_r3" };
	struct tfit_check_request req;
	struct tfit_check_result res;
	struct tfit_device_db db;
	struct tfit_error err;
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	CHECK(m != NULL);
	check_request(&req, bad, 1);
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(!res.usage_error);
	CHECK_CONTAINS(err.message, "unknown device 'esp33'");
	tfit_check_result_release(&res);

	CHECK(tfit_engine_open_devices(&req.devices, &db, &err) == TFIT_OK);
	check_request(&req, ids, 1);
	req.model.path = NULL;
	req.model.given = m;
	req.devices.given = &db;
	CHECK(tfit_check_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.model == m);
	CHECK(res.results[0].verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(res.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	tfit_check_result_release(&res);
	tfit_device_db_release(&db);
	tfit_model_free(m);
}

/* compare: a file that cannot be read is an error row, the rest is
 * compared; --fits-only hides, --sort orders without a global */
static void test_compare(void)
{
	static const char *const ids[] = { "uno_r3", "nano33ble_sense", "nano33" /* alias: once */ };
	struct tfit_model_request mr[2];
	struct tfit_compare_request req;
	struct tfit_compare_result res;
	struct tfit_error err;
	size_t i;
	memset(mr, 0, sizeof(mr));
	for (i = 0; i < 2; i++)
		tfit_load_opts_init(&mr[i].load);
	mr[0].path = TFIT_SOURCE_DIR "/examples/kws_dscnn.json";
	mr[1].path = TFIT_SOURCE_DIR "/examples/no-such-model.json";
	memset(&req, 0, sizeof(req));
	req.data.data_dir = TFIT_SOURCE_DIR "/data";
	req.models = mr;
	req.n_models = 2;
	req.devices.dirs = dev_dirs;
	req.devices.n_dirs = 1;
	req.device_ids = ids;
	req.n_device_ids = 3;
	tfit_fit_opts_init(&req.fit);
	req.show_planned = 1;
	req.sort = TFIT_SORT_LATENCY;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_models, 1);
	CHECK_U64(res.n_errors, 1);
	CHECK_U64(res.n_inputs, 2);
	CHECK(res.inputs[0].loaded && !res.inputs[1].loaded);
	CHECK_CONTAINS(res.errors[0].message, "no-such-model.json");
	CHECK_U64(res.n_devs, 2);
	CHECK_U64(res.n_rows, 2);
	/* by latency: the Nano (192.88 ms) before the Uno (29307.18 ms) */
	CHECK_STR(res.rows[0].planned->device->id, "nano33ble_sense");
	CHECK_NEAR(res.rows[0].latency_ms, 192.8806, 5e-5);
	CHECK_U64(res.rows[0].planned->sram.arena_bytes, 22824);
	CHECK_STR(res.rows[1].planned->device->id, "uno_r3");
	CHECK_NEAR(res.rows[1].latency_ms, 29307.182, 5e-4);
	CHECK(!res.report.pass); /* a model could not be read */
	CHECK(res.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	tfit_compare_result_release(&res);

	/* only the model that reads; --fits-only: the Uno goes to hidden */
	req.n_models = 1;
	req.fits_only = 1;
	req.sort = TFIT_SORT_NONE;
	req.gates.has_max_latency = 1;
	req.gates.max_latency_ms = 500;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_rows, 1);
	CHECK_U64(res.n_hidden, 1);
	CHECK_STR(res.hidden[0].planned->device->id, "uno_r3");
	CHECK_U64(res.gates.n, 2);
	CHECK_U64(res.gates.failed, 1); /* the Uno's 29.3 s */
	CHECK(res.gates.items[0].kind == TFIT_GATE_LATENCY);
	tfit_compare_result_release(&res);

	/* an unknown board aborts the run */
	{
		static const char *const bad[] = { "esp33" };
		req.device_ids = bad;
		req.n_device_ids = 1;
		CHECK(tfit_compare_run(&req, &res, &err) == TFIT_ERR_USAGE);
		CHECK(!res.usage_error);
		tfit_compare_result_release(&res);
	}
}

/* compare: a pair that cannot be compared (the runtime rejects the model
 * on one board, the planner's limit on every board) is an error row of
 * its own; every other pair is still compared, the run is incomplete */
static void test_compare_pair_errors(void)
{
	static const char *const ids[] = { "nano33ble_sense", "stm32n6570_dk" };
	static const char *const paths[] = {
		TFIT_SOURCE_DIR "/examples/kws_dscnn.json",
		TFIT_SOURCE_DIR "/tests/data/bad/hybrid_float16.json",
		TFIT_SOURCE_DIR "/tests/data/tflite/plan_limit_buffer.tflite",
	};
	struct tfit_model_request mr[3];
	struct tfit_compare_request req;
	struct tfit_compare_result res;
	struct tfit_error err;
	compare_request(&req, mr, paths, 3, dev_dirs, 1, ids, 2);
	req.show_textbook = 1;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_models, 3);
	CHECK_U64(res.n_errors, 0);
	/* kws on both boards, the hybrid model on the X-CUBE-AI board only */
	CHECK_U64(res.n_rows, 3);
	CHECK_STR(res.rows[2].planned->device->id, "stm32n6570_dk");
	CHECK_U64(res.rows[2].planned->sram.arena_bytes, 6930);
	CHECK(res.rows[2].textbook != NULL);
	CHECK_U64(res.n_pair_errors, 3);
	CHECK_STR(res.pair_errors[0].device->id, "nano33ble_sense");
	CHECK_CONTAINS(res.pair_errors[0].file, "hybrid_float16.json");
	CHECK_CONTAINS(res.pair_errors[0].message, "hybrid_float16.json: error: nano33ble_sense: op 0 "
			"(fully_connected): Hybrid models are not supported on TFLite Micro");
	CHECK_U64(res.pair_records[0].code, TFIT_ERR_INPUT);
	CHECK_STR(res.pair_errors[1].device->id, "nano33ble_sense");
	CHECK_STR(res.pair_errors[2].device->id, "stm32n6570_dk");
	CHECK_CONTAINS(res.pair_errors[2].message, "plan_limit_buffer.tflite: error: stm32n6570_dk: "
			"buffer 0: size or offset over 2^61 bytes");
	CHECK_U64(res.pair_records[2].code, TFIT_ERR_LIMIT);
	CHECK(res.pair_failed[1 * 2 + 0] && !res.pair_failed[1 * 2 + 1]);
	CHECK(res.pair_failed[2 * 2 + 0] && res.pair_failed[2 * 2 + 1]);
	CHECK(!res.report.complete);
	CHECK(!res.report.pass);
	CHECK_U64(res.report.n_pair_errors, 3);
	tfit_compare_result_release(&res);

	/* without them: complete */
	req.n_models = 1;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_pair_errors, 0);
	CHECK(res.report.complete);
	tfit_compare_result_release(&res);
}

/* compare fits a model's pairs grouped by runtime (its context holds one
 * runtime's plan at a time): boards whose runtimes interleave still give
 * rows, hidden rows and pair errors in board order, with the same figures
 * as each board compared alone */
static void test_compare_runtime_groups(void)
{
	/* cmsis-nn, esp-nn, tflm, cmsis-nn, esp-nn */
	static const char *const ids[] = { "nano33ble_sense", "arduino_nano_esp32", "uno_r3",
					   "ek_ra8d1", "esp32c3_devkitm" };
	static const char *const paths[] = {
		TFIT_SOURCE_DIR "/examples/kws_dscnn.json",
		TFIT_SOURCE_DIR "/tests/data/tflite/plan_limit_buffer.tflite",
	};
	struct tfit_model_request mr[2];
	struct tfit_compare_request req;
	struct tfit_compare_result res, one;
	struct tfit_error err;
	size_t j;
	compare_request(&req, mr, paths, 2, dev_dirs, 1, ids, 5);
	req.sort = TFIT_SORT_NONE;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_rows, 5);
	CHECK_U64(res.n_pair_errors, 5);
	for (j = 0; j < 5; j++) {
		struct tfit_compare_request r1 = req;
		CHECK_STR(res.rows[j].planned->device->id, ids[j]);
		CHECK_STR(res.pair_errors[j].device->id, ids[j]);
		CHECK_CONTAINS(res.pair_errors[j].message, ids[j]);
		CHECK(res.pair_errors[j].message == res.pair_messages[j]);
		/* the same figures as the board compared alone */
		r1.n_models = 1;
		r1.device_ids = &ids[j];
		r1.n_device_ids = 1;
		CHECK(tfit_compare_run(&r1, &one, &err) == TFIT_OK);
		CHECK_U64(one.n_rows, 1);
		CHECK_U64(one.rows[0].planned->sram.arena_bytes, res.rows[j].planned->sram.arena_bytes);
		CHECK_U64(one.rows[0].planned->flash.used_bytes, res.rows[j].planned->flash.used_bytes);
		CHECK(one.rows[0].latency_ms == res.rows[j].latency_ms ||
		      (isnan(one.rows[0].latency_ms) && isnan(res.rows[j].latency_ms)));
		tfit_compare_result_release(&one);
	}
	tfit_compare_result_release(&res);

	/* --fits-only: rows and hidden rows each in board order */
	req.n_models = 1;
	req.fits_only = 1;
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_rows + res.n_hidden, 5);
	CHECK(res.n_hidden >= 1); /* the Uno's 2 KiB of SRAM */
	{
		size_t a = 0, b = 0;
		for (j = 0; j < 5; j++) {
			if (a < res.n_rows && !strcmp(res.rows[a].planned->device->id, ids[j]))
				a++;
			else if (b < res.n_hidden && !strcmp(res.hidden[b].planned->device->id, ids[j]))
				b++;
		}
		CHECK_U64(a, res.n_rows);
		CHECK_U64(b, res.n_hidden);
	}
	tfit_compare_result_release(&res);
}

/* compare: check's "fits after `tinyfit optimize`" per pair that does not
 * fit, only when the optimised model fits; the same option as check's
 * advice on that board, the optimisation computed once per model and
 * runtime (kept in the model's fit context) */
static void test_compare_optimize_advice(void)
{
	static const char *const dirs[] = { TFIT_SOURCE_DIR "/devices",
					    TFIT_SOURCE_DIR "/tests/data/devices/optimize_advice" };
	static const char *const ids[] = { "sram56_board", "uno_r3" };
	static const char *const path = TFIT_SOURCE_DIR "/tests/data/tflite/patch_chain.tflite";
	struct tfit_model_request mr;
	struct tfit_compare_request req;
	struct tfit_compare_result res;
	struct tfit_fit_advice adv;
	struct tfit_error err;
	const struct tfit_fit_option *op;
	uint32_t i, n_cached = 0;
	compare_request(&req, &mr, &path, 1, dirs, 2, ids, 2);
	CHECK(tfit_compare_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.n_rows, 2);
	CHECK_STR(res.rows[0].planned->device->id, "sram56_board");
	CHECK(!res.rows[0].planned->fits);
	CHECK_U64(res.rows[0].planned->sram.arena_bytes, 57280);
	op = res.rows[0].optimize;
	CHECK(op != NULL);
	if (op) {
		CHECK(op->kind == TFIT_OPTION_OPTIMIZE && op->fits && op->patched);
		CHECK_U64(op->arena_bytes, 53200);
		CHECK_U64(op->sram_used_bytes, 55748);
		CHECK_NEAR(op->mac_overhead, 0.1009, 5e-5);
		CHECK_STR(op->patches, "2x2 ops 0-4");
		CHECK_CONTAINS(op->text, "fits after `tinyfit optimize`: arena 51.95 KiB (-7%), +10.1% MACs");
		/* check's advice on the same board gives the same option */
		CHECK(tfit_fit_advise(&res.fcs[0], res.rows[0].planned, NULL, NULL, &req.fit, &adv,
				      &err) == TFIT_OK);
		for (i = 0; i < adv.n_options && adv.options[i].kind != TFIT_OPTION_OPTIMIZE; i++)
			;
		CHECK(i < adv.n_options);
		if (i < adv.n_options) {
			CHECK_STR(adv.options[i].text, op->text);
			CHECK_U64(adv.options[i].arena_bytes, op->arena_bytes);
		}
	}
	/* the Uno (2 KiB) still does not fit after it: no note */
	CHECK_STR(res.rows[1].planned->device->id, "uno_r3");
	CHECK(res.rows[1].optimize == NULL);
	/* one optimisation for both boards (one runtime: tflm) */
	for (i = 0; i < 8; i++)
		n_cached += res.fcs[0].optimized[i] != NULL;
	CHECK_U64(n_cached, 1);
	tfit_compare_result_release(&res);
}

/* layers: the per-layer estimate on a board and the arena plan; the
 * runtime and clock options need a board */
static void test_layers(void)
{
	struct tfit_layers_request req;
	struct tfit_layers_result res;
	struct tfit_error err;
	memset(&req, 0, sizeof(req));
	req.data.data_dir = TFIT_SOURCE_DIR "/data";
	tfit_load_opts_init(&req.model.load);
	req.model.path = TFIT_SOURCE_DIR "/examples/kws_dscnn.json";
	req.devices.dirs = dev_dirs;
	req.devices.n_dirs = 1;
	req.device_id = "nano33ble_sense";
	req.plan = 1;
	CHECK(tfit_layers_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.has_cost && res.report.cost == &res.cost);
	CHECK_STR(res.report.device_id, "nano33ble_sense");
	CHECK_U64(res.cost.n_ops, res.model->subgraphs[0].n_ops);
	CHECK_NEAR(res.cost.latency_ms, 192.880584, 5e-6);
	CHECK(res.report.plan != NULL);
	CHECK_STR(res.report.runtime, "tflm-cmsis-nn");
	CHECK_U64(res.report.plan->arena_bytes, 22824);
	tfit_layers_result_release(&res);

	req.device_id = NULL;
	req.runtime = "tflm";
	CHECK(tfit_layers_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(res.usage_error);
	CHECK_STR(err.message, "--runtime needs --device");
	tfit_layers_result_release(&res);
}

/* devices: the list filtered and sorted, and one board */
static void test_devices(void)
{
	struct tfit_devices_request req;
	struct tfit_devices_result res;
	struct tfit_error err;
	size_t i;
	memset(&req, 0, sizeof(req));
	req.boards.dirs = dev_dirs;
	req.boards.n_dirs = 1;
	req.boards.first_is_builtin = 1;
	req.filter.core = "cortex-m4f";
	req.sort = TFIT_DEVICE_SORT_SRAM;
	CHECK(tfit_devices_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.n_list > 1);
	for (i = 0; i < res.n_list; i++)
		CHECK_STR(res.list[i]->core->id, "cortex-m4f");
	for (i = 1; i < res.n_list; i++)
		CHECK(res.list[i - 1]->sram_bytes >= res.list[i]->sram_bytes);
	CHECK(res.report.devices == res.list && res.report.show == NULL);
	tfit_devices_result_release(&res);

	req.show_id = "nano33";
	CHECK(tfit_devices_run(&req, &res, &err) == TFIT_OK);
	CHECK_STR(res.show->id, "nano33ble_sense");
	CHECK_U64(res.show->sram_bytes, 262144);
	tfit_devices_result_release(&res);

	req.show_id = NULL;
	req.filter.core = "cortex-m99";
	CHECK(tfit_devices_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(res.usage_error);
	CHECK_CONTAINS(err.message, "--core: ");
	tfit_devices_result_release(&res);
}

/* optimize: reshape_fc's arena before and after (the numbers of `tinyfit
 * optimize --format json`), with a board, and a runtime that is not TFLM */
static void test_optimize(void)
{
	struct tfit_optimize_run_request req;
	struct tfit_optimize_run_result res;
	struct tfit_error err;
	memset(&req, 0, sizeof(req));
	req.data.data_dir = TFIT_SOURCE_DIR "/data";
	req.model_path = TFIT_SOURCE_DIR "/tests/data/tflite/reshape_fc.tflite";
	CHECK(tfit_optimize_run(&req, &res, &err) == TFIT_OK);
	CHECK_STR(res.report.model_name, "reshape_fc.tflite");
	CHECK_STR(res.report.runtime, "tflm");
	CHECK_U64(res.report.before.head_bytes, 4000);
	CHECK_U64(res.report.before.tail_bytes, 628);
	CHECK_U64(res.report.before.arena_bytes, 4628);
	CHECK_U64(res.report.after.head_bytes, 2016);
	CHECK_U64(res.report.after.arena_bytes, 2644);
	CHECK_U64(res.report.after.macs, 38000);
	CHECK_U64(res.report.lower_bound_bytes, 2016);
	CHECK_U64(res.report.n_aliased, 1);
	CHECK(res.report.plan_written && res.report.proven_optimal);
	CHECK(!res.report.before.has_latency);
	CHECK_U64(res.report.before.file_bytes, 47904);
	CHECK_U64(res.report.model_out_len, 48144);
	CHECK_U64(res.report.after.file_bytes, 48144);
	tfit_optimize_run_result_release(&res);

	/* --device: its runtime's arena tail and a latency estimate */
	req.devices.dirs = dev_dirs;
	req.devices.n_dirs = 1;
	req.device_id = "nano33ble_sense";
	req.plan_only = 1;
	CHECK(tfit_optimize_run(&req, &res, &err) == TFIT_OK);
	CHECK_STR(res.report.runtime, "tflm-cmsis-nn");
	CHECK_U64(res.report.before.arena_bytes, 4684);
	CHECK_U64(res.report.after.arena_bytes, 2700);
	CHECK(res.report.before.has_latency && res.report.after.has_latency);
	CHECK_NEAR(res.report.before.latency_ms, 4.4205, 5e-4);
	CHECK(res.report.plan_only);
	tfit_optimize_run_result_release(&res);

	/* the same with the data source's runtime set (as the CLI passes the
	 * compiled profiles): the set's profile is planned for, not a copy */
	{
		struct tfit_runtime_set *set = NULL;
		const struct tfit_runtime *cmsis = NULL;
		CHECK(tfit_engine_runtime_set(req.data.data_dir, NULL, &set, &err) == TFIT_OK);
		CHECK(tfit_runtime_set_get(set, "tflm-cmsis-nn", &cmsis, &err) == TFIT_OK);
		req.data.runtimes = set;
		CHECK(tfit_optimize_run(&req, &res, &err) == TFIT_OK);
		CHECK(res.rt == cmsis && !res.rt_own);
		CHECK_U64(res.report.before.arena_bytes, 4684);
		CHECK_U64(res.report.after.arena_bytes, 2700);
		CHECK_NEAR(res.report.before.latency_ms, 4.4205, 5e-4);
		tfit_optimize_run_result_release(&res);
		req.data.runtimes = NULL;
		tfit_runtime_set_free(set);
	}

	/* the model given as bytes; a runtime without TFLM's planner is an
	 * error about the option */
	req.device_id = NULL;
	req.runtime = "x-cube-ai";
	CHECK(tfit_optimize_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(res.usage_error);
	CHECK_CONTAINS(err.message, "runtime x-cube-ai does not read TFLM's OfflineMemoryAllocation");
	tfit_optimize_run_result_release(&res);

	req.runtime = NULL;
	req.model_data = "TFL3 is not a model";
	req.model_len = 19;
	req.model_path = "given.tflite";
	CHECK(tfit_optimize_run(&req, &res, &err) == TFIT_ERR_INPUT);
	CHECK(!res.usage_error);
	CHECK_STR(err.file, "given.tflite");
	tfit_optimize_run_result_release(&res);
}

/* quant: the course example through the three schemes (`quant --range
 * -0.5,0.8 --value -0.2`), one scheme, a refused range, and a model's
 * tensors with a finding that is an error */
static void test_quant(void)
{
	struct tfit_quant_run_request req;
	struct tfit_quant_run_result res;
	struct tfit_error err;
	memset(&req, 0, sizeof(req));
	req.range = 1;
	req.all_methods = 1;
	req.quant.range_min = -0.5;
	req.quant.range_max = 0.8;
	req.quant.has_value = 1;
	req.quant.value = -0.2;
	req.quant.bits = 8;
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.report.range == &res.range && res.report.tensors == NULL);
	CHECK_U64(res.range.n_schemes, 3);
	CHECK(res.range.schemes[0].method == TFIT_QUANT_TEXTBOOK);
	CHECK_NEAR(res.range.schemes[0].scale, 1.3 / 255, 1e-15);
	CHECK(res.range.schemes[0].zero_point == 98);
	CHECK(res.range.schemes[0].quantized == 59);
	CHECK_NEAR(res.range.schemes[0].clip_share, 0.5, 5e-4);
	CHECK(res.range.schemes[1].zero_point == -30);
	CHECK(res.range.schemes[1].quantized == -69);
	CHECK(res.range.schemes[2].zero_point == 0);
	CHECK_NEAR(res.range.schemes[2].scale, 0.8 / 127, 1e-10);
	CHECK(res.range.schemes[2].quantized == -32);
	CHECK(res.verdict == TFIT_VERDICT_FITS);
	tfit_quant_run_result_release(&res);

	req.all_methods = 0;
	req.method = TFIT_QUANT_TFLITE_WEIGHT;
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.range.n_schemes, 1);
	CHECK(res.range.schemes[0].method == TFIT_QUANT_TFLITE_WEIGHT);
	tfit_quant_run_result_release(&res);

	req.quant.range_min = 0.8;
	req.quant.range_max = -0.5;
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_ERR_USAGE);
	CHECK(res.usage_error);
	CHECK_CONTAINS(err.message, "--range");
	tfit_quant_run_result_release(&res);

	memset(&req, 0, sizeof(req));
	tfit_load_opts_init(&req.model.load);
	req.model.path = TFIT_SOURCE_DIR "/tests/data/tflite/small_conv.tflite";
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_OK);
	CHECK(res.report.tensors == &res.tensors && res.report.range == NULL);
	CHECK_U64(res.tensors.n_tensors, 8);
	CHECK_U64(res.tensors.n_quantized, 2);
	CHECK_U64(res.tensors.n_per_channel, 1);
	CHECK(res.tensors.worst_severity == 2);
	CHECK(res.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	tfit_quant_run_result_release(&res);

	req.model.path = TFIT_SOURCE_DIR "/examples/kws_dscnn.json";
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_OK);
	CHECK_U64(res.tensors.n_tensors, 35);
	CHECK_U64(res.tensors.n_quantized, 34);
	CHECK_U64(res.tensors.n_per_channel, 18);
	CHECK(res.verdict == TFIT_VERDICT_FITS);
	tfit_quant_run_result_release(&res);

	req.model.path = TFIT_SOURCE_DIR "/tests/data/tflite/truncated.tflite";
	CHECK(tfit_quant_run(&req, &res, &err) == TFIT_ERR_INPUT);
	CHECK(!res.usage_error);
	tfit_quant_run_result_release(&res);
}

int main(void)
{
	test_optimize();
	test_quant();
	test_layers();
	test_devices();
	test_compare();
	test_compare_pair_errors();
	test_compare_runtime_groups();
	test_compare_optimize_advice();
	test_check_kws();
	test_check_timeline_only();
	test_check_bare();
	test_check_given();
	return tfit_test_finish();
}
