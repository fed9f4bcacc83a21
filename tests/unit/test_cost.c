/*
 * The latency and energy model on small hand-built models with the test
 * tables of tests/data/cost/cost/testrt.json: per-op cycles, latency, shares,
 * table choice (version, family fallback, dtype, soft float), accelerator
 * offload, external memory, energy, battery life and real-time checks, and
 * the loader's errors.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tinyfit/cost.h"
#include "tinyfit/model_io.h"
#include "tinyfit/table.h"
#include "tinyfit/report.h"
#include "util/pool.h"

#include <stdlib.h>
#include <unistd.h>

#define TEST_DATA TFIT_SOURCE_DIR "/tests/data/cost"

/* 8x8x4 int8 input: conv 3x3 (18,432 MACs), 1x1 conv (4,096), depthwise 3x3
 * (4,608), flatten, dense 10 (5,120), softmax. */
static const char *const model_json =
	"{\"dtype\":\"int8\",\"inputs\":[{\"name\":\"x\",\"shape\":[8,8,4]}],\"layers\":["
	"{\"name\":\"c\",\"type\":\"conv2d\",\"filters\":8,\"kernel\":3,\"padding\":\"same\",\"inputs\":[\"x\"]},"
	"{\"name\":\"pw\",\"type\":\"conv2d\",\"filters\":8,\"kernel\":1},"
	"{\"name\":\"dw\",\"type\":\"depthwise_conv2d\",\"kernel\":3,\"padding\":\"same\"},"
	"{\"name\":\"f\",\"type\":\"flatten\"},"
	"{\"name\":\"d\",\"type\":\"dense\",\"units\":10},"
	"{\"name\":\"s\",\"type\":\"activation\",\"activation\":\"softmax\"}]}";

static struct tfit_model *load_model(enum tfit_dtype dtype)
{
	struct tfit_model *m = NULL;
	struct tfit_error err;
	struct tfit_load_opts o;
	tfit_load_opts_init(&o);
	o.dtype = dtype;
	tfit_error_clear(&err);
	if (tfit_model_load_buffer(model_json, strlen(model_json), "t.json", &o, &m, &err) != TFIT_OK)
		fprintf(stderr, "model: %s\n", err.message);
	return m;
}

static void target_m4f(struct tfit_cost_target *t)
{
	memset(t, 0, sizeof(*t));
	t->core_id = "cortex-m4f";
	t->family = "arm-m-dsp";
	t->clock_mhz = 100;
	t->fpu = TFIT_FPU_SP;
	t->name = "test";
}

static int load_db(struct tfit_cost_db *db)
{
	struct tfit_error err;
	tfit_error_clear(&err);
	if (tfit_cost_db_load(TEST_DATA, db, &err) != TFIT_OK) {
		fprintf(stderr, "db: %s: %s: %s\n", err.file, err.path, err.message);
		return -1;
	}
	return 0;
}

static void test_int8_cycles(void)
{
	struct tfit_cost_db db;
	struct tfit_cost_target t;
	struct tfit_cost_result r;
	struct tfit_error err;
	struct tfit_model *m = load_model(TFIT_DTYPE_UNKNOWN);
	const struct tfit_subgraph *sg;
	double total, sum_share = 0;
	uint32_t i;

	CHECK(m != NULL);
	if (!m || load_db(&db) != 0)
		return;
	sg = &m->subgraphs[0];
	CHECK_U64(sg->n_ops, 6);
	target_m4f(&t);
	tfit_error_clear(&err);
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK_U64(r.n_ops, 6);
	CHECK_I64(r.ops[0].kind, TFIT_COST_KIND_CONV);
	CHECK_I64(r.ops[1].kind, TFIT_COST_KIND_CONV_1X1);
	CHECK_I64(r.ops[2].kind, TFIT_COST_KIND_DEPTHWISE);
	CHECK_I64(r.ops[3].kind, TFIT_COST_KIND_DATA_MOVE);
	CHECK_I64(r.ops[4].kind, TFIT_COST_KIND_FC);
	CHECK_I64(r.ops[5].kind, TFIT_COST_KIND_SOFTMAX);
	CHECK_U64(tfit_op_macs(&sg->ops[0]), 18432);
	CHECK_U64(tfit_op_macs(&sg->ops[1]), 4096);
	CHECK_U64(tfit_op_macs(&sg->ops[2]), 4608);
	CHECK_U64(tfit_op_macs(&sg->ops[4]), 5120);
	/* units x cycles_per_unit + 100 per op */
	CHECK_NEAR(r.ops[0].cycles, 18432 * 2.0 + 100, 1e-9);
	CHECK_NEAR(r.ops[1].cycles, 4096 * 1.0 + 100, 1e-9);
	CHECK_NEAR(r.ops[2].cycles, 4608 * 4.0 + 100, 1e-9);
	CHECK_NEAR(r.ops[3].cycles, (double)tfit_op_elem_ops(&sg->ops[3]) * 0.5 + 100, 1e-9);
	CHECK_NEAR(r.ops[4].cycles, 5120 * 3.0 + 100, 1e-9);
	CHECK_NEAR(r.ops[5].cycles, (double)tfit_op_elem_ops(&sg->ops[5]) * 10.0 + 100, 1e-9);
	total = 0;
	for (i = 0; i < r.n_ops; i++) {
		total += r.ops[i].cycles;
		sum_share += tfit_cost_op_share(&r, i);
		/* 100 MHz: 1e5 cycles per ms */
		CHECK_NEAR(tfit_cost_op_latency_ms(&r, i), r.ops[i].cycles / 1e5, 1e-12);
	}
	CHECK_NEAR(r.cycles, total, 1e-6);
	CHECK_NEAR(r.latency_ms, total / 1e5, 1e-12);
	CHECK_NEAR(sum_share, 1.0, 1e-12);
	CHECK_NEAR(tfit_cost_op_share(&r, 0), r.ops[0].cycles / total, 1e-12);
	{
		/* the layer table: latency and share from the estimate; its cells'
		 * texts (two a cell: text and CSV value) in one pool block, not a
		 * malloc block each (issue #17) */
		struct tfit_table lt;
		uint64_t blocks = 0, bytes = 0;
		tfit_layers_table_cost(m, &r, &lt);
		CHECK(!lt.oom);
		CHECK_U64(lt.n_rows, 7);
		CHECK_U64(lt.n_cols, 10);
		tfit_pool_count(lt.strings, &blocks, &bytes);
		CHECK_U64(blocks, 1);
		CHECK_STR(lt.cells[0].text, "0");
		CHECK_STR(lt.cells[6 * lt.n_cols + 1].text, "total");
		/* a cell set again keeps its new text */
		tfit_table_set(&lt, 0, 1, "again", "raw");
		CHECK_STR(lt.cells[1].text, "again");
		CHECK_STR(lt.cells[1].raw, "raw");
		tfit_table_release(&lt);
		CHECK(lt.strings == NULL);
	}
	CHECK_STR(r.table, "testrt/m4f/int8");
	CHECK_STR(r.runtime, "testrt");
	CHECK_CONTAINS(r.method, "estimate");
	CHECK_CONTAINS(r.method, "testrt/m4f/int8 (calibrated)");
	/* the table's held-out interval: est / 1.25 .. est x 1.25 */
	CHECK_NEAR(r.interval_pct, 25.0, 1e-12);
	CHECK_NEAR(r.latency_ms_low, r.latency_ms / 1.25, 1e-12);
	CHECK_NEAR(r.latency_ms_high, r.latency_ms * 1.25, 1e-12);
	CHECK(r.interval_prior == 0);
	CHECK_STR(r.interval_basis, "test: held-out residuals");
	/* no power figure: no energy (NaN), said so; the per-operation lower
	 * bound is its own quantity */
	CHECK(r.energy_basis == TFIT_ENERGY_NO_POWER);
	CHECK(isnan(r.energy_mj));
	CHECK(isnan(tfit_cost_op_energy_mj(&r, 0)));
	CHECK_NEAR(r.power_mw, 0, 0);
	CHECK_CONTAINS(r.energy_method, "no sourced active_power_mw");
	CHECK_CONTAINS(r.energy_lower_bound_method, "lower bound");
	{
		/* conv: 18432 MACs x 0.3 pJ + (weights + output + input bytes) x 1.25 pJ */
		const struct tfit_op *op = &sg->ops[0];
		double bytes = (double)tfit_op_weights_bytes(sg, op) + (double)tfit_op_output_bytes(sg, op) + 8 * 8 * 4;
		double sum = 0;
		uint32_t q;
		CHECK_NEAR(r.ops[0].energy_lower_bound_mj, (18432 * 0.3 + bytes * 1.25) * 1e-9, 1e-15);
		for (q = 0; q < r.n_ops; q++)
			sum += r.ops[q].energy_lower_bound_mj;
		CHECK_NEAR(r.energy_lower_bound_mj, sum, 1e-15);
	}
	tfit_cost_result_release(&r);
	CHECK(r.ops == NULL);

	/* with a power figure: energy = power x latency */
	t.active_power_mw = 50;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK(r.energy_basis == TFIT_ENERGY_PROFILE_POWER);
	CHECK_NEAR(r.energy_mj, 50 * r.latency_ms / 1000.0, 1e-15);
	CHECK_NEAR(r.power_mw, 50, 0);
	{
		/* an op's energy: 50 mW x its latency (cycles / 100 MHz), to the
		 * bit as the estimate computed it; the ops add up to the total */
		double e0 = 50 * (r.ops[0].cycles / 1e8 * 1e3) / 1000.0, sum = 0;
		uint32_t q;
		CHECK(memcmp(&e0, &(double){ tfit_cost_op_energy_mj(&r, 0) }, sizeof(double)) == 0);
		for (q = 0; q < r.n_ops; q++)
			sum += tfit_cost_op_energy_mj(&r, q);
		CHECK_NEAR(sum, r.energy_mj, 1e-15);
	}
	/* 24 bytes an op: latency, share and energy are derived (issue #17) */
	CHECK_U64(sizeof(struct tfit_cost_op), 24);
	/* the lower bound does not depend on the power figure */
	CHECK(r.energy_lower_bound_mj > 0 && r.energy_lower_bound_mj < r.energy_mj);
	tfit_cost_result_release(&r);

	/* a version: 10x the costs */
	t.active_power_mw = 0;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt@old", &r, &err) == TFIT_OK);
	CHECK_NEAR(r.ops[0].cycles, 18432 * 20.0 + 100, 1e-9);
	CHECK_STR(r.table, "testrt@old/m4f/int8");
	/* no interval of its own: the runtime's wide prior one, said so */
	CHECK_NEAR(r.interval_pct, 100.0, 1e-12);
	CHECK_NEAR(r.latency_ms_high, r.latency_ms * 2.0, 1e-12);
	CHECK(r.interval_prior == 1);
	CHECK_STR(r.interval_basis, "test: the wide interval of unsupported tables");
	tfit_cost_result_release(&r);
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt@new", &r, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "version new");

	/* family fallback: a Cortex-M7 gets the arm-m-dsp table, and says so */
	t.core_id = "cortex-m7";
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK_NEAR(r.ops[0].cycles, 18432 * 2.0 + 100, 1e-9);
	CHECK_CONTAINS(r.method, "stands in for family arm-m-dsp");
	tfit_cost_result_release(&r);

	/* no table for the core or its family */
	t.core_id = "cortex-m0plus";
	t.family = "arm-m-base";
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "no int8 cost table of runtime 'testrt'");
	CHECK(r.ops == NULL);
	target_m4f(&t);
	CHECK(tfit_cost_estimate_target(&db, m, &t, "nosuch", &r, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "unknown runtime 'nosuch' (cost tables exist for: testrt)");

	/* weights in external RAM (--weights-in psram): x1.25 on ops with
	 * weights only */
	t.weights_external = 1;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK_NEAR(r.ops[0].cycles, (18432 * 2.0 + 100) * 1.25, 1e-9);
	CHECK_NEAR(r.ops[5].cycles, (double)tfit_op_elem_ops(&sg->ops[5]) * 10.0 + 100, 1e-9);
	CHECK_CONTAINS(r.method, "weights in external memory x 1.25");
	tfit_cost_result_release(&r);

	/* weights in external flash (issue #15): the factor's source is on-chip
	 * flash against RAM, so it is not applied, and the method says the
	 * effect is not modelled; the cycles are the table's */
	t.weights_ext_flash = 1;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK_NEAR(r.ops[0].cycles, 18432 * 2.0 + 100, 1e-9);
	CHECK_NEAR(r.ops[5].cycles, (double)tfit_op_elem_ops(&sg->ops[5]) * 10.0 + 100, 1e-9);
	CHECK_CONTAINS(r.method, "weights in external flash: reading them from external flash "
			"is not modelled");
	CHECK(strstr(r.method, "x 1.25;") == NULL);
	tfit_cost_result_release(&r);
	t.weights_ext_flash = 0;

	/* an NPU of 100 MACs/cycle at the core clock: conv at 0.5 of peak + 5 us */
	target_m4f(&t);
	t.accel_kind = "npu";
	t.accel_macs_per_cycle = 100;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK(r.ops[0].unit == TFIT_COST_ON_ACCEL);
	CHECK_NEAR(r.ops[0].cycles, 18432 / 50.0 + 500, 1e-6);
	CHECK(r.ops[5].unit == TFIT_COST_ON_CPU);
	CHECK(r.used_accelerator);
	tfit_cost_result_release(&r);
	/* kind known but no peak figure: CPU only, and the method says why */
	t.accel_macs_per_cycle = 0;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK(!r.used_accelerator);
	CHECK_CONTAINS(r.method, "the npu is not used");
	tfit_cost_result_release(&r);

	tfit_model_free(m);
	tfit_cost_db_release(&db);
}

static void test_float(void)
{
	struct tfit_cost_db db;
	struct tfit_cost_target t;
	struct tfit_cost_result r;
	struct tfit_error err;
	struct tfit_model *m = load_model(TFIT_DTYPE_FLOAT32);
	CHECK(m != NULL);
	if (!m || load_db(&db) != 0)
		return;
	target_m4f(&t);
	tfit_error_clear(&err);
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK(r.ops[0].dtype == TFIT_COST_DTYPE_FLOAT32);
	CHECK_NEAR(r.ops[0].cycles, 18432 * 4.0 + 100, 1e-9);
	CHECK_STR(r.table, "testrt/m4f/float32");
	CHECK_CONTAINS(r.method, "(prior)");
	tfit_cost_result_release(&r);
	/* no FPU: the runtime's soft-float factor (10) on the per-unit cost */
	t.core_id = "cortex-m0plus";
	t.fpu = TFIT_FPU_NONE;
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK_NEAR(r.ops[0].cycles, 18432 * 4.0 * 10 + 100, 1e-9);
	CHECK_CONTAINS(r.method, "no FPU: float emulated x 10");
	tfit_cost_result_release(&r);
	tfit_model_free(m);
	tfit_cost_db_release(&db);
}

static void test_device_target(void)
{
	struct tfit_device dev;
	struct tfit_cost_target t;
	struct tfit_error err;
	struct tfit_core_info core = { "cortex-m4f", "Cortex-M4F", TFIT_CORE_FAMILY_ARM_M_DSP, "armv7e-m" };
	memset(&dev, 0, sizeof(dev));
	dev.id = "b";
	dev.file = "b.json";
	dev.core = &core;
	tfit_error_clear(&err);
	CHECK(tfit_cost_target_from_device(&dev, 1000, &t, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "device 'b' has no clock_mhz");
	dev.clock_mhz = 64;
	dev.flash_bytes = 0;
	dev.external_flash_bytes = 2u << 20;
	dev.active_power_mw = 20;
	CHECK(tfit_cost_target_from_device(&dev, 1000, &t, &err) == TFIT_OK);
	CHECK_STR(t.family, "arm-m-dsp");
	CHECK(t.weights_external == 1);  /* no on-chip flash: XIP */
	CHECK(t.weights_ext_flash == 1);
	CHECK_NEAR(t.active_power_mw, 20, 0);
	dev.flash_bytes = 1u << 20;
	dev.reserve_flash_bytes = 20 * 1024;
	CHECK(tfit_cost_target_from_device(&dev, 1000, &t, &err) == TFIT_OK);
	CHECK(t.weights_external == 0);
	CHECK(tfit_cost_target_from_device(&dev, 1u << 20, &t, &err) == TFIT_OK);
	CHECK(t.weights_external == 1);  /* does not fit beside the firmware */
	CHECK(t.weights_ext_flash == 1);
}

static void test_battery_and_deadline(void)
{
	struct tfit_cost_result r;
	struct tfit_battery_req req;
	struct tfit_battery_result b;
	struct tfit_realtime_result rt;
	struct tfit_error err;
	double d, rate;

	memset(&r, 0, sizeof(r));
	r.latency_ms = 100;
	r.energy_mj = 2;   /* 20 mW x 100 ms */
	r.power_mw = 20;
	r.energy_basis = TFIT_ENERGY_PROFILE_POWER;
	req.rate_hz = 2;
	req.awake_s = 0;
	req.capacity_mah = 1000;
	req.voltage_v = 3;
	req.sleep_power_mw = 0.5;
	tfit_error_clear(&err);
	CHECK(tfit_cost_battery(&r, &req, 0, &b, &err) == TFIT_OK);
	CHECK_NEAR(b.duty, 0.2, 1e-12);
	CHECK(b.known && b.feasible);
	/* 2 mJ x 2/s = 4 mW, + 0.5 mW x 0.8 = 4.4 mW; 3000 mWh / 4.4 mW */
	CHECK_NEAR(b.average_power_mw, 4.4, 1e-12);
	CHECK_NEAR(b.life_hours, 3000 / 4.4, 1e-9);
	CHECK_NEAR(b.life_days, 3000 / 4.4 / 24, 1e-9);
	CHECK(b.sleep_power_known);
	/* the profile's sleep power when none is given; 0 when neither */
	req.sleep_power_mw = -1;
	CHECK(tfit_cost_battery(&r, &req, 1.0, &b, &err) == TFIT_OK);
	CHECK_NEAR(b.average_power_mw, 4.8, 1e-12);
	CHECK(tfit_cost_battery(&r, &req, 0, &b, &err) == TFIT_OK);
	CHECK(!b.sleep_power_known);
	CHECK_NEAR(b.average_power_mw, 4.0, 1e-12);
	/* 20 inferences a second of 100 ms cannot keep up */
	req.rate_hz = 20;
	CHECK(tfit_cost_battery(&r, &req, 0, &b, &err) == TFIT_OK);
	CHECK(!b.feasible);
	CHECK_NEAR(b.life_hours, 0, 0);
	req.rate_hz = 0;
	CHECK(tfit_cost_battery(&r, &req, 0, &b, &err) == TFIT_ERR_USAGE);

	/*
	 * --duty 5s/30s on a Raspberry Pi Pico (devices/rpi_pico.json: active
	 * 25 mW, sleep 7.5 mW, both of the board), 2000 mAh at 3 V, one
	 * inference of 2.3 ms in each awake window. By hand:
	 *   awake 5 s of every 30 s: duty = 5 / 30 = 1/6
	 *   average = 25 mW x 1/6 + 7.5 mW x 5/6 = 4.1667 + 6.25 = 10.4167 mW
	 *   capacity = 2000 mAh x 3 V = 6000 mWh
	 *   life = 6000 / 10.4167 = 576 h = 24.0 days
	 * (costing only the 2.3 ms inference would give 6000 / 7.5019 mW =
	 * 799.8 h = 33.3 days: the awake window dominates.)
	 */
	memset(&r, 0, sizeof(r));
	r.latency_ms = 2.3;
	r.power_mw = 25;
	r.energy_mj = 25 * 2.3 / 1000.0;
	r.energy_basis = TFIT_ENERGY_PROFILE_POWER;
	req.rate_hz = 1.0 / 30;
	req.awake_s = 5;
	req.capacity_mah = 2000;
	req.voltage_v = 3;
	req.sleep_power_mw = -1;
	CHECK(tfit_cost_battery(&r, &req, 7.5, &b, &err) == TFIT_OK);
	CHECK(b.known && b.feasible && b.sleep_power_known);
	CHECK_NEAR(b.duty, 1.0 / 6, 1e-12);
	CHECK_NEAR(b.average_power_mw, 10.4166666667, 1e-9);
	CHECK_NEAR(b.life_hours, 576.0, 1e-9);
	CHECK_NEAR(b.life_days, 24.0, 1e-9);
	/* no sleep figure: sleep not included (25 mW x 1/6 = 4.1667 mW;
	 * 6000 / 4.1667 = 1440 h = 60 days), flagged as such */
	CHECK(tfit_cost_battery(&r, &req, 0, &b, &err) == TFIT_OK);
	CHECK(!b.sleep_power_known);
	CHECK_NEAR(b.life_days, 60.0, 1e-9);
	/* an awake window shorter than the inference: awake for the inference */
	req.awake_s = 0.001;
	CHECK(tfit_cost_battery(&r, &req, 7.5, &b, &err) == TFIT_OK);
	CHECK_NEAR(b.duty, 0.0023 / 30, 1e-15);
	/* no active power figure: no battery life at all */
	r.energy_basis = TFIT_ENERGY_NO_POWER;
	r.power_mw = 0;
	r.energy_mj = NAN;
	CHECK(tfit_cost_battery(&r, &req, 7.5, &b, &err) == TFIT_OK);
	CHECK(!b.known);
	CHECK_NEAR(b.life_hours, 0, 0);
	req.awake_s = -1;
	r.energy_basis = TFIT_ENERGY_PROFILE_POWER;
	CHECK(tfit_cost_battery(&r, &req, 7.5, &b, &err) == TFIT_ERR_USAGE);
	/* --duty 5s/30s: one inference every 30 s */
	CHECK(tfit_cost_rate_from_period(30, &rate, &err) == TFIT_OK);
	CHECK_NEAR(rate, 1.0 / 30, 1e-15);
	CHECK(tfit_cost_rate_from_period(0, &rate, &err) == TFIT_ERR_USAGE);

	/* --rate 16kHz --window 1s; window in samples; one per sample */
	CHECK(tfit_cost_deadline_ms(16000, 1.0, 0, &d, &err) == TFIT_OK);
	CHECK_NEAR(d, 1000, 0);
	CHECK(tfit_cost_deadline_ms(16000, 0, 8000, &d, &err) == TFIT_OK);
	CHECK_NEAR(d, 500, 1e-12);
	CHECK(tfit_cost_deadline_ms(100, 0, 0, &d, &err) == TFIT_OK);
	CHECK_NEAR(d, 10, 1e-12);
	CHECK(tfit_cost_deadline_ms(0, 0, 0, &d, &err) == TFIT_ERR_USAGE);
	CHECK(tfit_cost_realtime_check(80, 100, &rt, &err) == TFIT_OK);
	CHECK(rt.pass);
	CHECK_NEAR(rt.margin_ms, 20, 1e-12);
	CHECK_NEAR(rt.margin_pct, 20, 1e-12);
	CHECK_NEAR(rt.utilization, 0.8, 1e-12);
	CHECK(tfit_cost_realtime_check(120, 100, &rt, &err) == TFIT_OK);
	CHECK(!rt.pass);
	CHECK_NEAR(rt.margin_ms, -20, 1e-12);
	CHECK(tfit_cost_realtime_check(1, 0, &rt, &err) == TFIT_ERR_USAGE);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void test_load_errors(void)
{
	struct tfit_cost_db db;
	struct tfit_error err;
	char tmpl[] = "/tmp/tfit_cost_XXXXXX";
	char dir[256], path[512];
	char *root = mkdtemp(tmpl);

	tfit_error_clear(&err);
	CHECK(tfit_cost_db_load("/nonexistent/tinyfit", &db, &err) == TFIT_ERR_IO);
	CHECK_CONTAINS(err.message, "cannot open cost table directory");
	if (!root)
		return;
	snprintf(dir, sizeof(dir), "%s/cost", root);
	CHECK(mkdir(dir, 0700) == 0);
	/* a runtime file alone: the other three are missing */
	snprintf(path, sizeof(path), "%s/energy.json", dir);
	write_file(path, "{\"energy\":{\"mac_pj\":{\"int8\":1,\"int16\":1,\"float32\":1},"
			 "\"elem_pj\":{\"int8\":1,\"int16\":1,\"float32\":1},"
			 "\"sram_read_pj_per_byte\":1,\"source\":\"s\"}}");
	CHECK(tfit_cost_db_load(root, &db, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "incomplete cost tables");
	/* a negative cost, with its JSON path */
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	write_file(path, "{\"runtime\":\"bad\",\"name\":\"n\",\"int16_factor\":2,\"int16_source\":\"s\","
			 "\"soft_float_factor\":10,\"soft_float_source\":\"s\",\"tables\":[{\"id\":\"x\","
			 "\"cores\":[\"c\"],\"dtype\":\"int8\",\"basis\":\"prior\",\"op_overhead_cycles\":0,"
			 "\"cycles_per_unit\":{\"conv\":-1}}]}");
	CHECK(tfit_cost_db_load(root, &db, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.file, "cost/bad.json");
	CHECK_STR(err.path, "tables[0].cycles_per_unit.conv");
	CHECK_CONTAINS(err.message, "expected a positive number");
	/* a missing source */
	write_file(path, "{\"runtime\":\"bad\",\"name\":\"n\",\"int16_factor\":2,\"int16_source\":\"s\","
			 "\"soft_float_factor\":10,\"soft_float_source\":\"s\",\"tables\":[{\"id\":\"x\","
			 "\"cores\":[\"c\"],\"dtype\":\"int8\",\"basis\":\"prior\",\"op_overhead_cycles\":0,"
			 "\"cycles_per_unit\":{\"conv\":1,\"conv_1x1\":1,\"depthwise\":1,\"fc\":1,\"recurrent\":1,"
			 "\"pool\":1,\"elementwise\":1,\"softmax\":1,\"data_move\":1},\"sources\":{}}]}");
	CHECK(tfit_cost_db_load(root, &db, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "tables[0].sources.conv");
	unlink(path);
	snprintf(path, sizeof(path), "%s/energy.json", dir);
	unlink(path);
	rmdir(dir);
	rmdir(root);
}

static void test_shipped_tables(void)
{
	/* The shipped tables load, and every runtime a profile can name has one. */
	struct tfit_cost_db db;
	struct tfit_error err;
	size_t i, j;
	tfit_error_clear(&err);
	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &db, &err) == TFIT_OK);
	if (err.code != TFIT_OK)
		fprintf(stderr, "%s: %s: %s\n", err.file, err.path, err.message);
	CHECK(tfit_cost_db_runtime(&db, "tflm") != NULL);
	CHECK(tfit_cost_db_runtime(&db, "tflm-cmsis-nn") != NULL);
	CHECK(tfit_cost_db_runtime(&db, "tflm-esp-nn") != NULL);
	CHECK(tfit_cost_db_runtime(&db, "x-cube-ai@7.3") != NULL);
	for (i = 0; i < db.n_runtimes; i++)
		for (j = 0; j < db.runtimes[i].n_tables; j++)
			CHECK(db.runtimes[i].tables[j].basis[0] != '\0');
	tfit_cost_db_release(&db);
}

static void test_flash_wait_states(void)
{
	/* cost/flash.json: wait states x divider / access bytes, scaled to the
	 * clock at a fixed access time; only for runtimes whose tables took the
	 * term out (docs/latency-model.md, "Weights streamed from flash"). */
	struct tfit_cost_db db;
	struct tfit_error err;
	const struct tfit_cost_flash_chip *chip = NULL;
	double ws = -1;
	tfit_error_clear(&err);
	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &db, &err) == TFIT_OK);
	/* STM32L4R5: 5 WS at 120 MHz, 8-byte reads: 5/8 */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "STMicroelectronics STM32L4R5ZIT6",
						   120, &chip, &ws), 0.625, 1e-12);
	CHECK(chip != NULL && strcmp(chip->match, "STM32L4R5") == 0);
	CHECK_NEAR(ws, 5, 0);
	/* at 80 MHz the 50 ns access takes ceil(6 x 80 / 120) - 1 = 3 WS (RM0432's 3 WS at 80 MHz) */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "STM32L4R5ZIT6P", 80, NULL, &ws),
		   0.375, 1e-12);
	CHECK_NEAR(ws, 3, 0);
	/* STM32F746: 7 WS at 216 MHz over 32-byte lines */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "STM32F746NGH6", 216, NULL, NULL),
		   7.0 / 32, 1e-12);
	/* a chip the file does not list: no term */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "Nordic nRF52840", 64, &chip, NULL), 0,
		   0);
	CHECK(chip == NULL);
	/* RA8D1 (EK-RA8D1's MLPerf Tiny firmware): 4 ICLK wait cycles at ICLK =
	 * CPUCLK / 2, one miss per 32-byte D-cache line: 4 x 2 / 32 */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "Renesas RA8D1 (R7FA8D1AHECBD)", 480,
						   &chip, &ws), 0.25, 1e-12);
	CHECK(chip != NULL && strcmp(chip->match, "R7FA8D1") == 0);
	CHECK_NEAR(ws, 4, 0);
	/* at 240 MHz: ceil(5 x 240 / 480) - 1 = 2 wait cycles (FSP: 2 at ICLK 96-144 MHz) */
	CHECK_NEAR(tfit_cost_flash_cycles_per_byte(&db.flash, "R7FA8D1AHECBD", 240, NULL, &ws),
		   2.0 * 2 / 32, 1e-12);
	CHECK_NEAR(ws, 2, 0);
	/* generated code and TFLM's interpreters alike keep the weights in flash */
	CHECK(tfit_cost_db_runtime(&db, "x-cube-ai")->flash_weights_source != NULL);
	CHECK(tfit_cost_db_runtime(&db, "tflm-cmsis-nn")->flash_weights_source != NULL);
	CHECK(tfit_cost_db_runtime(&db, "tflm")->flash_weights_source != NULL);
	tfit_cost_db_release(&db);
}

/* The flash term in the kernel-model path: the shipped data's tflm-cmsis-nn
 * on a Cortex-M85 RA8D1 costs every op with weights weight bytes x 0.25
 * cycles more than the same core on a chip without a flash.json entry, and
 * the method says so. */
static void test_flash_kernel_path(void)
{
	struct tfit_cost_db db;
	struct tfit_cost_target t;
	struct tfit_cost_result with, without;
	struct tfit_error err;
	struct tfit_model *m = load_model(TFIT_DTYPE_UNKNOWN);
	const struct tfit_subgraph *sg;
	double want = 0;
	uint32_t i;
	tfit_error_clear(&err);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &db, &err) == TFIT_OK);
	memset(&t, 0, sizeof(t));
	t.core_id = "cortex-m85";
	t.family = "arm-m-helium";
	t.clock_mhz = 480;
	t.fpu = TFIT_FPU_DP;
	t.name = "ra8d1";
	t.mcu = "Renesas RA8D1 (R7FA8D1AHECBD)";
	CHECK(tfit_cost_estimate_target(&db, m, &t, "tflm-cmsis-nn", &with, &err) == TFIT_OK);
	t.mcu = "no flash entry";
	CHECK(tfit_cost_estimate_target(&db, m, &t, "tflm-cmsis-nn", &without, &err) == TFIT_OK);
	sg = &m->subgraphs[0];
	CHECK_U64(with.n_ops, sg->n_ops);
	for (i = 0; i < sg->n_ops && i < with.n_ops && i < without.n_ops; i++) {
		CHECK_NEAR(with.ops[i].cycles - without.ops[i].cycles,
			   (double)tfit_op_weights_bytes(sg, &sg->ops[i]) * 0.25, 1e-6);
		want += (double)tfit_op_weights_bytes(sg, &sg->ops[i]) * 0.25;
	}
	CHECK(want > 0);
	CHECK_NEAR(with.cycles - without.cycles, want, 1e-6);
	CHECK_CONTAINS(with.method, "cycles/instruction fitted on 3 published latencies");
	CHECK_CONTAINS(with.method, "; weights read from on-chip flash: 4 wait states at 480 MHz x 2 "
				    "/ 32-byte accesses = 0.25 cycles per weight byte (R7FA8D1; cost/flash.json)");
	CHECK(strstr(without.method, "on-chip flash") == NULL);
	tfit_cost_result_release(&with);
	tfit_cost_result_release(&without);
	tfit_cost_db_release(&db);
	tfit_model_free(m);
}

/* The method text is as long as it needs to be (it was cut at 512
 * characters): two 400-character region descriptions and the accelerator
 * note are all kept, and a table note carrying it is not cut either. */
static void test_long_method(void)
{
	struct tfit_cost_db db;
	struct tfit_cost_target t;
	struct tfit_cost_result r;
	struct tfit_error err;
	struct tfit_table tab;
	struct tfit_model *m = load_model(TFIT_DTYPE_UNKNOWN);
	char where[401], want[1024];
	const char *tail = "; the npu is not used (no macs_per_cycle or tops in the profile, or no "
			   "accelerator data for its kind)";
	CHECK(m != NULL);
	if (!m || load_db(&db) != 0)
		return;
	memset(where, 'r', 400);
	where[400] = '\0';
	target_m4f(&t);
	t.weights_external = 1;
	t.activations_external = 1;
	t.weights_where = where;
	t.activations_where = where;
	t.accel_kind = "npu";
	tfit_error_clear(&err);
	CHECK(tfit_cost_estimate_target(&db, m, &t, "testrt", &r, &err) == TFIT_OK);
	CHECK(r.method != NULL);
	if (r.method) {
		snprintf(want, sizeof(want), "; weights in %s x 1.25; activations in %s x 1.15%s",
			 where, where, tail);
		CHECK(strlen(want) > 512);
		CHECK_CONTAINS(r.method, "estimate: runtime testrt on cortex-m4f at 100 MHz, ");
		/* the end of the text is the whole of want */
		CHECK(strlen(r.method) > strlen(want) &&
		      strcmp(r.method + strlen(r.method) - strlen(want), want) == 0);
		tfit_table_init(&tab, "t");
		tfit_table_add_note(&tab, "latency: %s", r.method);
		CHECK_U64(tab.n_notes, 1);
		if (tab.n_notes)
			CHECK_U64(strlen(tab.notes[0]), strlen("latency: ") + strlen(r.method));
		tfit_table_release(&tab);
	}
	tfit_cost_result_release(&r);
	CHECK(r.method == NULL);
	tfit_model_free(m);
	tfit_cost_db_release(&db);
}

int main(void)
{
	test_flash_wait_states();
	test_flash_kernel_path();
	test_int8_cycles();
	test_long_method();
	test_float();
	test_device_target();
	test_battery_and_deadline();
	test_load_errors();
	test_shipped_tables();
	return tfit_test_finish();
}
