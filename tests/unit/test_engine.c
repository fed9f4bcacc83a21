/*
 * test_engine.c - the engine's run functions (engine.h) called directly, as
 * the CLI, the fuzz harnesses and other programs call them: exact numbers on
 * examples/kws_dscnn.json and the repo's boards, the bare-model path, the
 * thresholds and deadlines in the verdict, and errors that are about an
 * option versus about a file.
 */
#include <math.h>
#include <string.h>

#include "tfit_test.h"
#include "tfit_test_model.h"
#include "tinyfit/engine.h"

static const char *const dev_dirs[] = { TFIT_SOURCE_DIR "/devices" };

static void check_request(struct tfit_check_request *req, const char *const *ids, size_t n_ids)
{
	memset(req, 0, sizeof(*req));
	req->data_dir = TFIT_SOURCE_DIR "/data";
	tfit_load_opts_init(&req->model.load);
	req->model.path = TFIT_SOURCE_DIR "/examples/kws_dscnn.json";
	req->devices.dirs = dev_dirs;
	req->devices.n_dirs = 1;
	req->devices.first_is_builtin = 1;
	req->device_ids = ids;
	req->n_device_ids = n_ids;
	tfit_fit_opts_init(&req->fit);
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
	CHECK_NEAR(t->latency_ms, 307.9829, 5e-5);
	CHECK_NEAR(t->energy_mj, 6.159658255, 5e-9);
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
	CHECK_NEAR(res.timing[0].rt_margin_ms, -297.9829, 5e-5);
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
	req.data_dir = TFIT_SOURCE_DIR "/data";
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
	/* by latency: the Nano (307.98 ms) before the Uno (29307.18 ms) */
	CHECK_STR(res.rows[0].planned->device->id, "nano33ble_sense");
	CHECK_NEAR(res.rows[0].latency_ms, 307.9829, 5e-5);
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

/* layers: the per-layer estimate on a board and the arena plan; the
 * runtime and clock options need a board */
static void test_layers(void)
{
	struct tfit_layers_request req;
	struct tfit_layers_result res;
	struct tfit_error err;
	memset(&req, 0, sizeof(req));
	req.data_dir = TFIT_SOURCE_DIR "/data";
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
	CHECK_NEAR(res.cost.latency_ms, 307.98291, 5e-6);
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

int main(void)
{
	test_layers();
	test_devices();
	test_compare();
	test_check_kws();
	test_check_bare();
	test_check_given();
	return tfit_test_finish();
}
