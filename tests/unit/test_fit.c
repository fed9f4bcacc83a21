/*
 * The fit module: the textbook method reproduces the course formulas
 * (../shared/reference/course-formulas.md) to the printed digit; the planned
 * method's budgets add up; the verdict and limiting resource; each advice
 * option. Runtime profiles come from the repository's data/ directory.
 */
#include "tfit_test.h"
#include "tinyfit/fileio.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/optimize.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"
#include "tfit_test_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DATA_DIR TFIT_SOURCE_DIR "/data"

/*
 * A board from a profile text (core cortex-m4f, reserve given). regions is
 * the text of a "regions" array; "" gives one sram and one flash region,
 * each wholly usable (sourced).
 */
static int board(struct tfit_device *d, const char *id, const char *flash, const char *sram,
		 const char *regions, double price)
{
	char text[4096], deflt[1024];
	struct tfit_error err;
	if (!regions[0]) {
		snprintf(deflt, sizeof(deflt),
			 "[{\"name\": \"sram\", \"kind\": \"sram\", \"size\": \"%s\", \"usable\": \"%s\","
			 " \"sources\": {\"size\": \"t\", \"usable\": \"t\"}},"
			 " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"%s\", \"usable\": \"%s\","
			 " \"sources\": {\"size\": \"t\", \"usable\": \"t\"}}]", sram, sram, flash, flash);
		regions = deflt;
	}
	snprintf(text, sizeof(text),
		 "{\"id\": \"%s\", \"name\": \"Test %s\", \"vendor\": \"Test\", \"mcu\": \"T1\","
		 " \"core\": \"cortex-m4f\", \"clock_mhz\": 64, \"flash\": \"%s\","
		 " \"sram\": \"%s\", \"regions\": %s, \"price_usd\": %g,"
		 " \"default_runtime\": \"tflm-cmsis-nn\", \"reserve\": {\"flash\": \"16KiB\", \"sram\": \"2KiB\"},"
		 " \"sources\": {\"mcu\": \"test\", \"core\": \"test\", \"clock_mhz\": \"test\", \"flash\": \"test\","
		 " \"sram\": \"test\", \"price_usd\": \"test\", \"default_runtime\": \"test\", \"reserve\": \"test\"}}",
		 id, id, flash, sram, regions, price);
	if (tfit_device_parse(text, strlen(text), "test.json", d, &err) != TFIT_OK) {
		fprintf(stderr, "board %s: %s: %s\n", id, err.path, err.message);
		return -1;
	}
	return 0;
}

static void test_textbook(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_opts o;
	struct tfit_fit_result r;
	struct tfit_error err;
	CHECK(board(&d, "nano", "1MiB", "256KiB", "", 15) == 0);
	m->format = TFIT_MODEL_FORMAT_FLAGS;
	m->dtype = TFIT_DTYPE_INT8;
	m->params = 100000;
	m->macs = 5000000;
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	tfit_fit_opts_init(&o);
	o.method = TFIT_METHOD_TEXTBOOK;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	/* the course: 100,000 int8 params = 97.66 KB (1 KB = 1024 bytes) */
	CHECK_NEAR(r.textbook_model_bytes / 1024.0, 97.656, 0.001);
	CHECK_NEAR(round(r.textbook_model_bytes / 1024.0 * 100) / 100, 97.66, 1e-9);
	/* required RAM = 2.5 x model = 244.14 KB; 95.37% of 256 KB */
	CHECK_NEAR(round(r.textbook_ram_bytes / 1024.0 * 100) / 100, 244.14, 1e-9);
	CHECK_NEAR(round(r.textbook_ram_bytes * 100.0 / (double)r.sram.available_bytes * 100) / 100, 95.37, 1e-9);
	/* latency = 2 x 5e6 FLOPs / (64 MHz x 1e6 x 0.5) x 1000 = 312.5 ms */
	CHECK_NEAR(r.textbook_latency_ms, 312.5, 1e-9);
	CHECK(r.fits);
	/* float32 x4, int4 x0.5 */
	m->dtype = TFIT_DTYPE_FLOAT32;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK_NEAR(r.textbook_model_bytes, 400000.0, 1e-9);
	CHECK(!r.fits); /* 1,000,000 bytes of RAM > 256 KiB */
	CHECK(r.limiting == TFIT_RES_SRAM);
	m->dtype = TFIT_DTYPE_INT4;
	o.arena_multiplier = 3.0;
	o.efficiency = 0.25;
	CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
	CHECK_NEAR(r.textbook_model_bytes, 50000.0, 1e-9);
	CHECK_NEAR(r.textbook_ram_bytes, 150000.0, 1e-9);
	CHECK_NEAR(r.textbook_latency_ms, 625.0, 1e-9);
	tfit_fit_ctx_release(&c);
	tfit_device_release(&d);
	tfit_model_free(m);
}

static void test_planned_budgets(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	struct tfit_device d, small, region;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_fit_advice a;
	struct tfit_error err;
	if (!m)
		return;
	CHECK(board(&d, "big", "1MiB", "256KiB", "", 15) == 0);
	CHECK(board(&small, "small", "1MiB", "16KiB", "", 2) == 0);
	CHECK(board(&region, "split", "1MiB", "256KiB",
		    "[{\"name\": \"a\", \"kind\": \"dtcm\", \"size\": \"16KiB\", \"usable\": \"16KiB\"},"
		    " {\"name\": \"b\", \"kind\": \"sram\", \"size\": \"240KiB\", \"usable\": \"240KiB\"},"
		    " {\"name\": \"flash\", \"kind\": \"flash\", \"size\": \"1MiB\", \"usable\": \"1MiB\"}]", 5) == 0);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, NULL, NULL, &r, &err) == TFIT_OK);
	/* TFLM + CMSIS-NN needs exactly 22,824 bytes for this model
	 * (../shared/models/TFLM-TRUTH.md, kws_ref_model.tflite: the JSON
	 * example lowers to the same graph) */
	CHECK_U64(r.sram.arena_bytes, 22824);
	CHECK_U64(r.sram.arena_head_bytes, 16000);
	/* runtime state: 212 B interpreter + 36 B per op type (conv_2d,
	 * depthwise_conv_2d, average_pool_2d, reshape, fully_connected,
	 * softmax: 6), data/runtimes/tflm.json */
	CHECK_U64(r.sram.runtime_bytes, 212 + 6 * 36);
	CHECK_U64(r.sram.used_bytes, 22824 + 428 + 2048);
	CHECK_U64(r.flash.used_bytes, r.flash.model_bytes + r.flash.runtime_bytes + 16384);
	CHECK_U64(r.flash.model_bytes, r.flash.weights_bytes + r.flash.overhead_bytes);
	/* container estimate: 16 B x 1,168 scales + 220 B x 35 tensors + 40 B x 13 ops */
	CHECK_U64(r.flash.overhead_bytes, 16 * 1168 + 220 * 35 + 40 * 13);
	CHECK(r.fits);
	CHECK_I64(r.sram_margin_bytes, 262144 - (22824 + 428 + 2048));
	/* the peak: op 1 (dw1) with conv1's and dw1's outputs live, 8,000 B each */
	CHECK_I64(r.peak_op, 1);
	CHECK_STR(r.peak_op_name, "dw1");
	CHECK_U64(r.n_peak, 2);
	CHECK_U64(r.peak[0].bytes, 8000);

	/* 16 KiB of SRAM: over by the arena + state + reserve - 16 KiB */
	CHECK(tfit_fit_evaluate(&c, &small, NULL, NULL, &r, &err) == TFIT_OK);
	CHECK(!r.fits);
	CHECK(r.limiting == TFIT_RES_SRAM);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK_I64(r.sram_margin_bytes, 16384 - (22824 + 428 + 2048));
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK_U64(a.sram_over_bytes, 22824 + 428 + 2048 - 16384);
	/* options: int4 weights (the arena stays int8: still does not fit),
	 * then the largest tensor live at the peak */
	CHECK_U64(a.n_options, 2);
	CHECK(a.options[0].kind == TFIT_OPTION_QUANTIZE && a.options[0].dtype == TFIT_DTYPE_INT4);
	CHECK(!a.options[0].fits);
	CHECK(a.options[1].kind == TFIT_OPTION_SHRINK_LAYER);
	CHECK_U64(a.options[1].layer_output_bytes, 8000);

	/* 256 KiB in two regions: the arena must fit the 240 KiB one: fine */
	CHECK(tfit_fit_evaluate(&c, &region, NULL, NULL, &r, &err) == TFIT_OK);
	CHECK_U64(r.sram.region_bytes, 240 * 1024);
	CHECK(r.fits);
	tfit_fit_ctx_release(&c);
	tfit_model_free(m);
	tfit_device_release(&d);
	tfit_device_release(&small);
	tfit_device_release(&region);
}

/* Every field tfit_model_convert_dtype() writes is the same in a and b
 * (the strings and index arrays it never touches are not compared). */
static void same_model(const struct tfit_model *a, const struct tfit_model *b)
{
	uint32_t s, i;
	CHECK(a->dtype == b->dtype && a->dtype_converted == b->dtype_converted);
	CHECK_U64(a->params, b->params);
	CHECK_U64(a->deployed_params, b->deployed_params);
	CHECK_U64(a->macs, b->macs);
	CHECK_U64(a->elem_ops, b->elem_ops);
	CHECK_U64(a->weights_bytes, b->weights_bytes);
	CHECK_U64(a->n_subgraphs, b->n_subgraphs);
	for (s = 0; s < a->n_subgraphs && s < b->n_subgraphs; s++) {
		const struct tfit_subgraph *x = &a->subgraphs[s], *y = &b->subgraphs[s];
		CHECK_U64(x->n_tensors, y->n_tensors);
		CHECK_U64(x->n_ops, y->n_ops);
		for (i = 0; i < x->n_tensors && i < y->n_tensors; i++) {
			struct tfit_tensor t = x->tensors[i], u = y->tensors[i];
			CHECK(t.rank == u.rank);
			CHECK(t.rank != u.rank || memcmp(tfit_tensor_dims32(&t), tfit_tensor_dims32(&u),
						       (size_t)t.rank * sizeof(int32_t)) == 0);
			struct tfit_tensor_ext tx = *tfit_tensor_ext(&t), ux = *tfit_tensor_ext(&u);
			CHECK(!tx.quant.values == !ux.quant.values);
			CHECK(!tx.quant.values || !ux.quant.values ||
			      memcmp(tx.quant.values, ux.quant.values, sizeof(*tx.quant.values)) == 0);
			CHECK_U64(tx.quant.scale_count, ux.quant.scale_count);
			CHECK_U64(tx.quant.zero_point_count, ux.quant.zero_point_count);
			CHECK_I64(tx.quant.quantized_dimension, ux.quant.quantized_dimension);
			CHECK_U64(tx.data_offset, ux.data_offset);
			CHECK_I64(tx.offline_offset, ux.offline_offset);
			t.name = u.name = NULL;
			t.ext_ = u.ext_ = NULL;
			if (t.rank > TFIT_INLINE_RANK)
				t.dims_.out = u.dims_.out = NULL;
			CHECK(memcmp(&t, &u, sizeof(t)) == 0);
		}
		for (i = 0; i < x->n_ops && i < y->n_ops; i++) {
			struct tfit_op o = x->ops[i], p = y->ops[i];
			uint32_t n_o, n_p;
			const int32_t *mid_o = tfit_op_intermediates(&o, &n_o);
			const int32_t *mid_p = tfit_op_intermediates(&p, &n_p);
			CHECK(memcmp(o.opt, p.opt, sizeof(*o.opt)) == 0);
			CHECK(!tfit_op_custom_name(&o) == !tfit_op_custom_name(&p));
			CHECK(!tfit_op_custom_name(&o) ||
			      strcmp(tfit_op_custom_name(&o), tfit_op_custom_name(&p)) == 0);
			CHECK_U64(n_o, n_p);
			CHECK(n_o != n_p || n_o == 0 ||
			      memcmp(mid_o, mid_p, (size_t)n_o * sizeof(*mid_o)) == 0);
			o.name = p.name = NULL;
			o.inputs = p.inputs = NULL;
			o.opt = p.opt = NULL;
			o.ext_ = p.ext_ = NULL;
			CHECK(memcmp(&o, &p, sizeof(o)) == 0);
		}
	}
}

/* The float32 autoencoder: 1.04 MB of weights (NULL when it fails to load). */
static struct tfit_model *float_autoencoder(void)
{
	struct tfit_model *f = NULL;
	struct tfit_load_opts lo;
	struct tfit_error err;
	char path[512];
	tfit_load_opts_init(&lo);
	lo.dtype = TFIT_DTYPE_FLOAT32;
	snprintf(path, sizeof(path), "%s/examples/ad_autoencoder.json", TFIT_SOURCE_DIR);
	tfit_error_clear(&err);
	CHECK(tfit_model_load(path, &lo, &f, &err) == TFIT_OK);
	return f;
}

static void test_quantize_and_board_advice(void)
{
	struct tfit_model *m = tfit_test_load_example("ad_autoencoder.json");
	struct tfit_model *f, *before;
	struct tfit_device_db db;
	struct tfit_device d1, d2, d3;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_fit_advice a;
	struct tfit_error err;
	if (!m)
		return;
	tfit_model_free(m);
	if (!(f = float_autoencoder()))
		return;
	CHECK(board(&d1, "mid", "512KiB", "128KiB", "", 10) == 0);
	CHECK(board(&d2, "huge_dear", "4MiB", "1MiB", "", 30) == 0);
	CHECK(board(&d3, "huge_cheap", "2MiB", "512KiB", "", 20) == 0);
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_add(&db, &d2, &err) == TFIT_OK);
	CHECK(tfit_device_db_add(&db, &d3, &err) == TFIT_OK);
	before = tfit_model_clone(f);
	CHECK(before != NULL);
	if (!before)
		return;
	tfit_fit_ctx_init(&c, f, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d1, NULL, NULL, &r, &err) == TFIT_OK);
	CHECK(!r.fits);
	CHECK(r.limiting == TFIT_RES_FLASH);
	CHECK(tfit_fit_advise(&c, &r, &db, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK(a.flash_over_bytes > 0);
	CHECK_U64(a.sram_over_bytes, 0);
	/* int8 fits the 512 KiB board; the cheapest board that fits is the $20
	 * one; both fit, quantize first (stable order among fitting options) */
	CHECK_U64(a.n_options, 2);
	CHECK(a.options[0].kind == TFIT_OPTION_QUANTIZE && a.options[0].fits);
	CHECK(a.options[0].dtype == TFIT_DTYPE_INT8);
	CHECK(a.options[1].kind == TFIT_OPTION_OTHER_BOARD && a.options[1].fits);
	CHECK_STR(a.options[1].device_id, "huge_cheap");
	/* the advice converted f in place to int8 and put it back exactly */
	same_model(f, before);
	tfit_fit_ctx_release(&c);
	tfit_device_db_release(&db);
	tfit_device_release(&d1);
	tfit_model_free(f);
	tfit_model_free(before);
}

/* A copy of a plan's figures and buffers, to compare with the plan the
 * advice leaves (its buffers freed by the caller). */
static void plan_copy(struct tfit_arena_plan *to, const struct tfit_arena_plan *from)
{
	*to = *from;
	to->buffers = malloc((size_t)from->n_buffers * sizeof(*to->buffers) + 1);
	CHECK(to->buffers != NULL);
	if (to->buffers)
		memcpy(to->buffers, from->buffers, (size_t)from->n_buffers * sizeof(*to->buffers));
}

static void plan_same(const struct tfit_arena_plan *p, const struct tfit_arena_plan *q)
{
	CHECK_U64(p->arena_bytes, q->arena_bytes);
	CHECK_U64(p->head_bytes, q->head_bytes);
	CHECK_U64(p->tail_bytes, q->tail_bytes);
	CHECK_U64(p->n_buffers, q->n_buffers);
	CHECK_U64(p->n_times, q->n_times);
	CHECK(p->buffers && q->buffers &&
	      memcmp(p->buffers, q->buffers, (size_t)q->n_buffers * sizeof(*q->buffers)) == 0);
}

/* The board advice takes the boards one runtime at a time and frees the
 * plans only it needed (issue #17); the board it names does not depend on
 * that order: of two unpriced boards with the same SRAM, the one listed
 * first, although the other's runtime ("tflm") is taken first. */
static void test_board_advice_order(void)
{
	struct tfit_model *f = NULL;
	struct tfit_device_db db;
	struct tfit_device d1, first, second;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_fit_advice a;
	struct tfit_arena_plan before;
	struct tfit_error err;
	size_t k, boards = 0;
	if (!(f = float_autoencoder()))
		return;
	CHECK(board(&d1, "mid", "512KiB", "128KiB", "", 10) == 0);
	CHECK(board(&first, "tie_first", "4MiB", "1MiB", "", 1) == 0);
	CHECK(board(&second, "tie_second", "4MiB", "1MiB", "", 1) == 0);
	first.price_usd = second.price_usd = 0; /* no price in the database */
	snprintf(second.runtime, sizeof(second.runtime), "%s", "tflm");
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_add(&db, &first, &err) == TFIT_OK);
	CHECK(tfit_device_db_add(&db, &second, &err) == TFIT_OK);
	tfit_fit_ctx_init(&c, f, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d1, NULL, NULL, &r, &err) == TFIT_OK);
	CHECK(!r.fits);
	CHECK_U64(c.n, 1);
	/* the board's own plan, to compare with what the advice leaves */
	plan_copy(&before, &c.plans[0]);
	CHECK(tfit_fit_advise(&c, &r, &db, NULL, NULL, &a, &err) == TFIT_OK);
	for (k = 0; k < a.n_options; k++)
		if (a.options[k].kind == TFIT_OPTION_OTHER_BOARD) {
			boards++;
			CHECK_STR(a.options[k].device_id, "tie_first");
		}
	CHECK_U64(boards, 1);
	/* only the board's own runtime is still planned, and its plan (released
	 * while the quantize and board advice planned others) is the same
	 * plan again, in place */
	CHECK_U64(c.n, 1);
	CHECK(!c.dropped[0]);
	plan_same(&c.plans[0], &before);
	free(before.buffers);
	tfit_fit_ctx_release(&c);
	tfit_device_db_release(&db);
	tfit_device_release(&d1);
	tfit_model_free(f);
}

/* Two boards checked in one context, each with its runtime (as `check
 * --device A --device B`): the advice for the first plans a third board's
 * runtime with the context's plans released, the other board's runtime's
 * boards, and its own last; both plans are there after it, the same
 * plans, in place (the report draws them). */
static void test_board_advice_two_runtimes(void)
{
	struct tfit_model *f = NULL;
	struct tfit_device_db db;
	struct tfit_device d1, d2, other;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r1, r2;
	struct tfit_fit_advice a;
	struct tfit_arena_plan before[2];
	const struct tfit_arena_plan *at[2];
	struct tfit_error err;
	if (!(f = float_autoencoder()))
		return;
	CHECK(board(&d1, "mid", "512KiB", "128KiB", "", 10) == 0);
	CHECK(board(&d2, "mid_tflm", "512KiB", "128KiB", "", 10) == 0);
	CHECK(board(&other, "big_esp", "4MiB", "1MiB", "", 1) == 0);
	snprintf(d2.runtime, sizeof(d2.runtime), "%s", "tflm");
	snprintf(other.runtime, sizeof(other.runtime), "%s", "tflm-esp-nn");
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_add(&db, &other, &err) == TFIT_OK);
	tfit_fit_ctx_init(&c, f, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d1, NULL, NULL, &r1, &err) == TFIT_OK);
	CHECK(tfit_fit_evaluate(&c, &d2, NULL, NULL, &r2, &err) == TFIT_OK);
	CHECK(!r1.fits);
	CHECK_U64(c.n, 2);
	at[0] = &c.plans[0];
	at[1] = &c.plans[1];
	plan_copy(&before[0], at[0]);
	plan_copy(&before[1], at[1]);
	CHECK(tfit_fit_advise(&c, &r1, &db, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK_U64(c.n, 2);
	CHECK(!c.dropped[0] && !c.dropped[1]);
	plan_same(at[0], &before[0]);
	plan_same(at[1], &before[1]);
	free(before[0].buffers);
	free(before[1].buffers);
	tfit_fit_ctx_release(&c);
	tfit_device_db_release(&db);
	tfit_device_release(&d1);
	tfit_device_release(&d2);
	tfit_model_free(f);
}

/* tfit_model_dtype_restore puts back every field a conversion writes,
 * the ops' figures computed again from the restored tensors (not saved;
 * issue #17): JSON and .tflite models (weights in buffers, per-channel
 * quantization, an offline plan), to each dtype and back. */
static void test_dtype_restore_exact(void)
{
	static const char *const files[] = {
		"examples/kws_dscnn.json", "examples/hvac_lstm.json", "examples/ic_resnet8.json",
		"tests/data/tflite/small_conv.tflite", "tests/data/tflite/reshape_fc_offline.tflite",
		"tests/data/tflite/patch_chain.tflite",
	};
	static const enum tfit_dtype to[] = { TFIT_DTYPE_FLOAT32, TFIT_DTYPE_FLOAT16,
					      TFIT_DTYPE_INT8, TFIT_DTYPE_INT4 };
	size_t i, k;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct tfit_model *m = NULL, *before;
		struct tfit_error err;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", TFIT_SOURCE_DIR, files[i]);
		tfit_error_clear(&err);
		CHECK(tfit_model_load(path, NULL, &m, &err) == TFIT_OK);
		if (!m)
			continue;
		before = tfit_model_clone(m);
		CHECK(before != NULL);
		for (k = 0; before && k < sizeof(to) / sizeof(to[0]); k++) {
			struct tfit_dtype_saved *saved = tfit_model_dtype_save(m);
			CHECK(saved != NULL);
			CHECK(tfit_model_convert_dtype(m, to[k], &err) == TFIT_OK);
			tfit_model_dtype_restore(m, saved);
			same_model(m, before);
		}
		tfit_model_free(before);
		tfit_model_free(m);
	}
}

/* The save's small form (issue #17): a class per dtype and quantization
 * (looked up among the last 8 made), 5 bytes a tensor, and the data bytes
 * of only the tensors whose data bytes are neither 0 nor their bytes (the
 * bytes are computed from the dimensions). Each path restores exactly:
 * data bytes set apart from the dimensions, more than 8 classes
 * interleaved (a class made again), a scheme and numbers of a tensor's
 * own. */
static void test_dtype_save_small(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json"), *before;
	struct tfit_dtype_saved *saved;
	struct tfit_subgraph *sg;
	struct tfit_error err;
	size_t n;
	uint32_t i;
	if (!m)
		return;
	sg = &m->subgraphs[0];
	n = sg->n_tensors;
	CHECK_U64(m->n_subgraphs, 1);
	/* as loaded (int8): 1 byte a tensor (its class and how its sizes
	 * come back, while there are at most 64 classes; was 5), the 120-byte
	 * header and 6
	 * classes of 32 bytes (int8 activations per tensor; int8 weights per
	 * channel of the convolutions, of the depthwise ones, per tensor of
	 * the dense layer; their int32 biases, per channel and per tensor),
	 * where one record of 48 bytes a tensor was 1,680 */
	saved = tfit_model_dtype_save(m);
	CHECK(saved != NULL);
	if (sizeof(void *) == 8)
		CHECK_U64(tfit_model_dtype_saved_bytes(saved), n * 1 + 120 + 6 * 32);
	tfit_model_dtype_restore(m, saved);
	/* data bytes apart from the dimensions, and eleven different dtypes
	 * in turn over tensors 2 to 23 */
	CHECK(n > 24);
	CHECK(tfit_tensor_set_data_bytes(sg, &sg->tensors[0], 3) == 0); /* neither 0 nor its bytes */
	CHECK(tfit_tensor_set_data_bytes(sg, &sg->tensors[1], 5) == 0);
	for (i = 2; i < 24; i++) {
		static const enum tfit_dtype d[] = {
			TFIT_DTYPE_FLOAT32, TFIT_DTYPE_FLOAT16, TFIT_DTYPE_INT8, TFIT_DTYPE_UINT8,
			TFIT_DTYPE_INT16, TFIT_DTYPE_INT32, TFIT_DTYPE_INT64, TFIT_DTYPE_BOOL,
			TFIT_DTYPE_INT4, TFIT_DTYPE_BFLOAT16, TFIT_DTYPE_FLOAT64,
		};
		struct tfit_tensor *t = &sg->tensors[i];
		CHECK(t->ext_ && t->ext_->shared_); /* the pool's: nothing to free */
		t->ext_ = NULL;                     /* no scheme: the dtype alone */
		t->dtype = d[i % 11];
		CHECK(tfit_tensor_check_bytes(t) == 0);
		CHECK(tfit_tensor_set_data_bytes(sg, t, (i % 2) ? tfit_tensor_bytes(t) : 0) == 0);
	}
	CHECK(tfit_tensor_set_quant_scheme(sg, &sg->tensors[3], 4, 4, 1) == 0);
	{
		struct tfit_quant_values v;
		memset(&v, 0, sizeof(v));
		v.scale_min = 0.5f;
		v.scale_max = 2.0f;
		v.zero_point_nonzero = 1;
		CHECK(tfit_tensor_set_quant_values(sg, &sg->tensors[5], &v) == 0);
	}
	tfit_error_clear(&err);
	CHECK(tfit_model_analyze(m, &err) == TFIT_OK); /* the ops' figures from these */
	before = tfit_model_clone(m);
	CHECK(before != NULL);
	if (before) {
		static const enum tfit_dtype to[] = { TFIT_DTYPE_FLOAT16, TFIT_DTYPE_INT8,
						      TFIT_DTYPE_INT4, TFIT_DTYPE_FLOAT32 };
		size_t k;
		for (k = 0; k < sizeof(to) / sizeof(to[0]); k++) {
			tfit_error_clear(&err);
			saved = tfit_model_dtype_save(m);
			CHECK(saved != NULL);
			/* the header, 2 data bytes of their own (8 bytes each;
			 * 16 with the bytes saved too), one copy of numbers (48)
			 * and 29 classes: one for each of
			 * tensors 2 to 23 (a dtype comes back 11 classes later,
			 * past the 8 looked through: 11 classes with all of
			 * them looked through), 7 for the others */
			if (sizeof(void *) == 8)
				CHECK_U64(tfit_model_dtype_saved_bytes(saved),
					  n * 1 + 120 + 2 * 8 + 48 + 29 * 32);
			CHECK(tfit_model_convert_dtype(m, to[k], &err) == TFIT_OK);
			tfit_model_dtype_restore(m, saved);
			same_model(m, before);
		}
		tfit_model_free(before);
	}
	tfit_model_free(m);
}

/* More than 64 classes: each tensor's code is widened to 2 bytes on the
 * way (those saved before it moved) and every tensor comes back. */
static void test_dtype_save_wide(void)
{
	static const enum tfit_dtype d[] = {
		TFIT_DTYPE_FLOAT32, TFIT_DTYPE_FLOAT16, TFIT_DTYPE_INT8, TFIT_DTYPE_UINT8,
		TFIT_DTYPE_INT16, TFIT_DTYPE_INT32, TFIT_DTYPE_INT64, TFIT_DTYPE_BOOL,
		TFIT_DTYPE_INT4, TFIT_DTYPE_BFLOAT16, TFIT_DTYPE_FLOAT64,
	};
	struct tfit_model *m = tfit_test_load_example("vww_mobilenet.json"), *before;
	struct tfit_dtype_saved *saved;
	struct tfit_subgraph *sg;
	struct tfit_error err;
	size_t n, k;
	uint32_t i;
	if (!m)
		return;
	sg = &m->subgraphs[0];
	n = sg->n_tensors;
	CHECK_U64(m->n_subgraphs, 1);
	CHECK(n > 64 && n <= 16384);
	/* every tensor a class of its own: no scheme, its dtype back only 11
	 * tensors later, past the 8 classes looked through */
	for (i = 0; i < n; i++) {
		struct tfit_tensor *t = &sg->tensors[i];
		CHECK(!t->ext_ || t->ext_->shared_); /* nothing to free */
		t->ext_ = NULL;
		t->dtype = d[i % 11];
		CHECK(tfit_tensor_check_bytes(t) == 0);
		CHECK(tfit_tensor_set_data_bytes(sg, t, (i % 2) ? tfit_tensor_bytes(t) : 0) == 0);
	}
	tfit_error_clear(&err);
	CHECK(tfit_model_analyze(m, &err) == TFIT_OK);
	before = tfit_model_clone(m);
	CHECK(before != NULL);
	if (before) {
		for (k = 0; k < 2; k++) {
			saved = tfit_model_dtype_save(m);
			CHECK(saved != NULL);
			if (sizeof(void *) == 8)
				CHECK_U64(tfit_model_dtype_saved_bytes(saved), n * 2 + 120 + n * 32);
			tfit_error_clear(&err);
			CHECK(tfit_model_convert_dtype(m, k ? TFIT_DTYPE_INT4 : TFIT_DTYPE_INT8,
						       &err) == TFIT_OK);
			tfit_model_dtype_restore(m, saved);
			same_model(m, before);
		}
		tfit_model_free(before);
	}
	tfit_model_free(m);
}

/* Each runtime in its own terms (the profiles' "deploys" sections): TFLM
 * links the .tflite file, X-CUBE-AI a weights blob of the model's constant
 * tensors; the words come from the profiles. */
static void test_runtime_terms(void)
{
	struct tfit_model *m = tfit_test_load_example("kws_dscnn.json");
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_error err;
	if (!m)
		return;
	CHECK(board(&d, "b", "1MiB", "256KiB", "", 15) == 0);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	CHECK(r.terms.model_stored == TFIT_MODEL_STORED_WEIGHTS);
	/* the blob: the model's constant tensors, 24,376 B, no container */
	CHECK_U64(r.flash.model_bytes, m->weights_bytes);
	CHECK_U64(r.flash.model_bytes, 24376);
	CHECK_U64(r.flash.overhead_bytes, 0);
	CHECK(!r.flash.model_exact);
	CHECK_U64(r.flash.used_bytes, 24376 + r.flash.runtime_bytes + 16384);
	CHECK_STR(r.terms.model, "weights (ro)");
	CHECK_STR(r.terms.model_constant, "AI_NETWORK_DATA_WEIGHTS_SIZE");
	CHECK_STR(r.terms.arena, "activations (rw)");
	CHECK_STR(r.terms.arena_constant, "AI_NETWORK_DATA_ACTIVATIONS_SIZE");
	CHECK_STR(r.terms.state, "runtime RAM");
	CHECK_STR(r.terms.code, "code flash");
	/* TFLM (and tflm-cmsis-nn through its base): the file, TFLM's words */
	CHECK(tfit_fit_evaluate(&c, &d, "tflm-cmsis-nn", NULL, &r, &err) == TFIT_OK);
	CHECK(r.terms.model_stored == TFIT_MODEL_STORED_FILE);
	CHECK_U64(r.flash.model_bytes, 24376 + 16 * 1168 + 220 * 35 + 40 * 13);
	CHECK_STR(r.terms.arena_constant, "kTensorArenaSize");
	CHECK_STR(r.terms.model, "model");
	CHECK_STR(r.terms.title, "TFLM's arena");
	/* the textbook method keeps the generic words */
	{
		struct tfit_fit_opts o;
		tfit_fit_opts_init(&o);
		o.method = TFIT_METHOD_TEXTBOOK;
		CHECK(tfit_fit_evaluate(&c, &d, NULL, &o, &r, &err) == TFIT_OK);
		CHECK_STR(r.terms.arena, "arena");
		CHECK_STR(r.terms.arena_constant, "");
	}
	tfit_fit_ctx_release(&c);
	tfit_device_release(&d);
	tfit_model_free(m);
}

/* X-CUBE-AI's runtime RAM and code are a bound fitted to ST's model zoo
 * (tools/xcubeai-runtime-size): a model with an op none of those models
 * has is outside the data, so a verdict that would say "fits" is unknown */
static void test_runtime_outside_data(void)
{
	struct tfit_model *m = tfit_test_load_example("hvac_lstm.json");
	struct tfit_model *k = tfit_test_load_example("kws_dscnn.json");
	struct tfit_model *q = NULL;
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_error err;
	if (!m || !k)
		goto out;
	CHECK(board(&d, "b", "2MiB", "1MiB", "", 15) == 0);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
	CHECK(!r.fits);
	CHECK(r.limiting == TFIT_RES_UNKNOWN);
	CHECK_CONTAINS(r.reason, "op 'unidirectional_sequence_lstm' is in none of the models");
	/* TFLM has its own measured figures: the same board fits */
	CHECK(tfit_fit_evaluate(&c, &d, "tflm", NULL, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_FITS);
	tfit_fit_ctx_release(&c);
	/* inside the data: 12 KiB + 142 B per tensor of RAM, 46 KiB + 347 B
	 * per tensor of code (data/runtimes/x-cube-ai.json) */
	tfit_fit_ctx_init(&c, k, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_FITS);
	CHECK_U64(r.sram.runtime_bytes, 11627 + 142 * (uint64_t)k->subgraphs[0].n_tensors);
	CHECK_U64(r.flash.runtime_bytes, 47089 + 347 * (uint64_t)k->subgraphs[0].n_tensors);
	/* the figures are Cortex-M7 and Cortex-M33 rows: the test board's
	 * Cortex-M4F (Armv7E-M, as the M7) and a Cortex-M33 are inside them;
	 * a Cortex-M0+ (Armv6-M) and a Cortex-M55 (Armv8.1-M, MVE) are not */
	{
		static const char *const inside[] = { "cortex-m4", "cortex-m7", "cortex-m33" };
		static const char *const outside[] = { "cortex-m0plus", "cortex-m55", "cortex-m85" };
		const struct tfit_core_info *own = d.core;
		size_t i;
		for (i = 0; i < 3; i++) {
			d.core = tfit_device_core_find(inside[i]);
			CHECK(d.core != NULL);
			CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
			CHECK(r.verdict == TFIT_VERDICT_FITS);
			d.core = tfit_device_core_find(outside[i]);
			CHECK(d.core != NULL);
			CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
			CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
			CHECK(r.limiting == TFIT_RES_UNKNOWN);
			CHECK_CONTAINS(r.reason, "x-cube-ai's runtime RAM and code are unknown: the ");
			CHECK_CONTAINS(r.reason, d.core->display);
			CHECK_CONTAINS(r.reason, "is none of the architectures the runtime's RAM "
					"and code figures were fitted on (armv7e-m,armv8-m.main)");
			/* TFLM's own figures are not limited to those cores */
			CHECK(tfit_fit_evaluate(&c, &d, "tflm", NULL, &r, &err) == TFIT_OK);
			CHECK(r.verdict == TFIT_VERDICT_FITS);
		}
		d.core = own;
	}
	tfit_fit_ctx_release(&c);
	/* the figures are int8 models' (flash.dtypes): the same model as
	 * float32 or float16 is outside them, whatever its size; its ops and
	 * its tensors are still inside, so the dtype is the reason */
	{
		static const enum tfit_dtype outside[] = { TFIT_DTYPE_FLOAT32, TFIT_DTYPE_FLOAT16 };
		size_t i;
		for (i = 0; i < 2; i++) {
			CHECK(tfit_model_convert_dtype(k, outside[i], &err) == TFIT_OK);
			CHECK(k->dtype == outside[i]);
			tfit_fit_ctx_init(&c, k, DATA_DIR);
			CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
			CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
			CHECK(!r.fits);
			CHECK(r.limiting == TFIT_RES_UNKNOWN);
			CHECK_CONTAINS(r.reason, "x-cube-ai's runtime RAM and code are unknown: the "
					"model's dtype (");
			CHECK_CONTAINS(r.reason, tfit_dtype_name(outside[i]));
			CHECK_CONTAINS(r.reason, ") is none of the dtypes of the models the runtime's "
					"RAM and code figures were fitted on (int8)");
			/* its code and RAM, and the totals with them, are unknown;
			 * the arena's region holds neither */
			CHECK(r.runtime_outside);
			CHECK(isnan(r.flash_percent) && isnan(r.sram_percent) &&
			      isnan(r.sram_total_percent));
			CHECK(!isnan(r.region_percent));
			/* TFLM's measured figures have no dtype limit (it has no
			 * float16 kernels: that model is an error there) */
			if (outside[i] == TFIT_DTYPE_FLOAT32) {
				CHECK(tfit_fit_evaluate(&c, &d, "tflm", NULL, &r, &err) == TFIT_OK);
				CHECK(r.verdict == TFIT_VERDICT_FITS);
			}
			tfit_fit_ctx_release(&c);
		}
		/* converted back to int8 it is inside again, with the same bound */
		CHECK(tfit_model_convert_dtype(k, TFIT_DTYPE_INT8, &err) == TFIT_OK);
		tfit_fit_ctx_init(&c, k, DATA_DIR);
		CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
		CHECK(r.verdict == TFIT_VERDICT_FITS);
		CHECK(!r.runtime_outside && !isnan(r.flash_percent));
		CHECK_U64(r.sram.runtime_bytes, 11627 + 142 * (uint64_t)k->subgraphs[0].n_tensors);
		tfit_fit_ctx_release(&c);
		/* an int8 model with an op that does not compute in int8 is
		 * outside int8's figures, and the op is named: an int16 output is
		 * TFLite's 16x8 scheme, a float32 output its hybrid scheme (int8
		 * weights, float activations) */
		{
			static const struct {
				enum tfit_dtype dtype;
				const char *why;
			} mixed[] = {
				{ TFIT_DTYPE_INT16, ") computes in int16 (TFLite's 16x8 scheme); the "
						    "runtime's RAM and code figures were fitted on "
						    "int8 models only" },
				{ TFIT_DTYPE_FLOAT32, ") computes in float32 in an int8 model (hybrid, "
						      "or a float op); the runtime's RAM and code "
						      "figures were fitted on int8 models only" },
			};
			struct tfit_subgraph *sg = &k->subgraphs[0];
			struct tfit_tensor *t = &sg->tensors[tfit_op_outputs(&sg->ops[0])[0]];
			enum tfit_dtype was = t->dtype;
			for (i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++) {
				t->dtype = mixed[i].dtype;
				tfit_fit_ctx_init(&c, k, DATA_DIR);
				CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
				CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
				CHECK(r.limiting == TFIT_RES_UNKNOWN);
				CHECK_CONTAINS(r.reason, "x-cube-ai's runtime RAM and code are unknown: "
						"op 0 (conv_2d");
				CHECK_CONTAINS(r.reason, mixed[i].why);
				CHECK(strlen(r.reason) <= 24 + 37 + 190);
				tfit_fit_ctx_release(&c);
			}
			t->dtype = was;
		}
	}
	/* a float op after a DEQUANTIZE in an int8 model (its softmax in
	 * float32) is outside too; the DEQUANTIZE's own float32 output is an
	 * int8 model's float edge, inside */
	q = tfit_test_load_example("../tests/data/int8_float_softmax.json");
	CHECK(q != NULL);
	if (q) {
		struct tfit_subgraph *sg = &q->subgraphs[0];
		CHECK(q->dtype == TFIT_DTYPE_INT8);
		CHECK_U64(sg->n_ops, 5);
		CHECK(sg->ops[3].type == TFIT_OP_DEQUANTIZE && sg->ops[4].type == TFIT_OP_SOFTMAX);
		tfit_fit_ctx_init(&c, q, DATA_DIR);
		CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
		CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
		CHECK_CONTAINS(r.reason, "x-cube-ai's runtime RAM and code are unknown: op 4 "
				"(softmax) computes in float32 in an int8 model");
		/* TFLM's measured figures are not limited to int8 models */
		CHECK(tfit_fit_evaluate(&c, &d, "tflm", NULL, &r, &err) == TFIT_OK);
		CHECK(r.verdict == TFIT_VERDICT_FITS);
		tfit_fit_ctx_release(&c);
		sg->tensors[tfit_op_outputs(&sg->ops[4])[0]].dtype = TFIT_DTYPE_INT8;
		tfit_fit_ctx_init(&c, q, DATA_DIR);
		CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
		CHECK(r.verdict == TFIT_VERDICT_FITS);
		tfit_fit_ctx_release(&c);
	}
	tfit_device_release(&d);
out:
	tfit_model_free(m);
	tfit_model_free(k);
	tfit_model_free(q);
}

#define TFLITE_DIR TFIT_SOURCE_DIR "/tests/data/tflite/"

static void same_side(const struct tfit_optimize_side *a, const struct tfit_optimize_side *b)
{
	CHECK_U64(a->head_bytes, b->head_bytes);
	CHECK_U64(a->tail_bytes, b->tail_bytes);
	CHECK_U64(a->arena_bytes, b->arena_bytes);
	CHECK_U64(a->macs, b->macs);
	CHECK_U64(a->n_ops, b->n_ops);
	CHECK_U64(a->file_bytes, b->file_bytes);
}

/*
 * tfit_optimize() on a model the caller already read and planned (check's
 * advice) gives what it gives from the file's bytes alone: the same
 * figures, the same bytes written, and model_after is the written file as
 * read back. When nothing improves, "after" is "before" and, with
 * no_unchanged_copy, nothing is copied.
 */
static void optimize_both_ways(const char *file, int plan_only, const struct tfit_runtime *rt)
{
	char path[512];
	char *data = NULL;
	size_t len = 0;
	struct tfit_model *m = NULL, *back = NULL;
	struct tfit_arena_plan p;
	struct tfit_optimize_request q;
	struct tfit_optimize_result a, b;
	struct tfit_error err;
	uint32_t i;
	snprintf(path, sizeof(path), TFLITE_DIR "%s", file);
	tfit_error_clear(&err);
	CHECK(tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &len, &err) == TFIT_OK);
	CHECK(data && tfit_tflite_read_buffer(data, len, file, &m, &err) == TFIT_OK);
	if (!m) {
		free(data);
		return;
	}
	CHECK(tfit_plan_arena(m, rt, NULL, &p, &err) == TFIT_OK);
	memset(&q, 0, sizeof(q));
	q.model_data = data;
	q.model_len = len;
	q.model_name = file;
	q.rt = rt;
	q.plan_only = plan_only;
	CHECK(tfit_optimize(&q, &a, &err) == TFIT_OK);
	q.model = m;
	q.plan = &p;
	q.keep_model_after = 1;
	q.no_unchanged_copy = 1;
	CHECK(tfit_optimize(&q, &b, &err) == TFIT_OK);
	same_side(&a.before, &b.before);
	same_side(&a.after, &b.after);
	CHECK_U64(a.plan_written, b.plan_written);
	CHECK_U64(a.patches_done, b.patches_done);
	CHECK_U64(a.n_patch_stages, b.n_patch_stages);
	CHECK_U64(a.ops_added, b.ops_added);
	CHECK_U64(a.lower_bound_bytes, b.lower_bound_bytes);
	CHECK_U64(a.plan_only_arena_bytes, b.plan_only_arena_bytes);
	CHECK_U64(a.model_out_len, b.model_out_len);
	if (a.plan_written || a.patches_done) {
		CHECK(b.model_out && memcmp(a.model_out, b.model_out, a.model_out_len) == 0);
		CHECK(b.model_after != NULL);
		CHECK(tfit_tflite_read_buffer(a.model_out, a.model_out_len, file, &back, &err) ==
		      TFIT_OK);
		if (back && b.model_after) {
			const struct tfit_subgraph *x = &back->subgraphs[0];
			const struct tfit_subgraph *y = &b.model_after->subgraphs[0];
			CHECK_U64(x->n_tensors, y->n_tensors);
			CHECK_U64(x->n_ops, y->n_ops);
			CHECK_U64(back->has_offline_plan, b.model_after->has_offline_plan);
			for (i = 0; i < x->n_tensors && i < y->n_tensors; i++)
				CHECK_I64(tfit_tensor_offline_offset(&x->tensors[i]), tfit_tensor_offline_offset(&y->tensors[i]));
		}
		tfit_model_free(back);
	} else {
		/* the input unchanged: after is before, nothing copied or read */
		CHECK(b.model_out == NULL && b.model_after == NULL);
		CHECK_U64(a.model_out_len, len);
		CHECK(memcmp(a.model_out, data, len) == 0);
		same_side(&b.before, &b.after);
	}
	printf("%s%s: arena %llu -> %llu, written %d, patches %d\n", file,
	       plan_only ? " (plan only)" : "", (unsigned long long)b.before.arena_bytes,
	       (unsigned long long)b.after.arena_bytes, b.plan_written, b.patches_done);
	tfit_optimize_result_release(&a);
	tfit_optimize_result_release(&b);
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
	free(data);
}

/* A board whose SRAM (the arena's region) is sram_bytes and flash 1 MiB. */
static int board_bytes(struct tfit_device *d, uint64_t sram_bytes)
{
	char sram[32];
	snprintf(sram, sizeof(sram), "%lluB", (unsigned long long)sram_bytes);
	return board(d, "small", "1MiB", sram, "", 5);
}

static int optimized_any(const struct tfit_fit_ctx *c)
{
	size_t s;
	for (s = 0; s < sizeof(c->optimized) / sizeof(c->optimized[0]); s++)
		if (c->optimized[s])
			return 1;
	return 0;
}

/*
 * compare's optimize advice (tfit_fit_advise_optimize) is given only when
 * the optimised model fits, and is not computed at all for a board whose
 * flash the model's file (file_bytes) and the 16 KiB reserve alone exceed;
 * check's advice (tfit_fit_advise) still says "still does not fit" where
 * the optimised arena (after_arena) leaves no room for the reserve.
 */
static void optimize_advice_only_if_fits(const struct tfit_model *m,
					 const struct tfit_runtime *rt, size_t file_bytes,
					 uint64_t after_arena)
{
	char flash[32], sram[32];
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_opts o;
	struct tfit_fit_result r;
	struct tfit_fit_advice adv;
	struct tfit_error err;
	uint32_t i;
	tfit_fit_opts_init(&o);
	o.method = TFIT_METHOD_PLANNED;
	tfit_error_clear(&err);
	/* flash: the file and the reserve, less one byte; SRAM: room for the
	 * optimised arena, the reserve and the runtime's state */
	snprintf(flash, sizeof(flash), "%lluB", (unsigned long long)file_bytes + 16 * 1024 - 1);
	snprintf(sram, sizeof(sram), "%lluB", (unsigned long long)after_arena + 2048 + 1024);
	CHECK(board(&d, "flashless", flash, sram, "", 5) == 0);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, rt->id, &o, &r, &err) == TFIT_OK);
	CHECK(!r.fits && r.flash.model_exact && r.flash.used_bytes > r.flash.available_bytes);
	CHECK(tfit_fit_advise_optimize(&c, &r, &o, &adv, &err) == TFIT_OK);
	CHECK_U64(adv.n_options, 0);
	CHECK(!optimized_any(&c)); /* not computed */
	/* nor for check's advice, which names every option (computing it
	 * reads the whole model file: bench/README.md's 100 MB model) */
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, &o, &adv, &err) == TFIT_OK);
	for (i = 0; i < adv.n_options; i++)
		CHECK(adv.options[i].kind != TFIT_OPTION_OPTIMIZE);
	CHECK(!optimized_any(&c));
	tfit_fit_ctx_release(&c);
	tfit_device_release(&d);
	/* flash enough, SRAM the optimised arena alone: the optimised model
	 * does not fit either */
	snprintf(sram, sizeof(sram), "%lluB", (unsigned long long)after_arena);
	CHECK(board(&d, "tight", "1MiB", sram, "", 5) == 0);
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	CHECK(tfit_fit_evaluate(&c, &d, rt->id, &o, &r, &err) == TFIT_OK);
	CHECK(!r.fits);
	CHECK(tfit_fit_advise_optimize(&c, &r, &o, &adv, &err) == TFIT_OK);
	CHECK_U64(adv.n_options, 0);
	CHECK(optimized_any(&c)); /* computed: it could have fitted */
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, &o, &adv, &err) == TFIT_OK);
	for (i = 0; i < adv.n_options && adv.options[i].kind != TFIT_OPTION_OPTIMIZE; i++)
		;
	CHECK(i < adv.n_options);
	if (i < adv.n_options) {
		CHECK(!adv.options[i].fits);
		CHECK_CONTAINS(adv.options[i].text, "still does not fit after `tinyfit optimize`");
	}
	tfit_fit_ctx_release(&c);
	tfit_device_release(&d);
}

/*
 * check's "fits after `tinyfit optimize`" advice, computed on the model
 * check loaded (its plan reused), equals the advice computed from the
 * file: the model tfit_optimize writes from the file's bytes, read back
 * and evaluated on the same board.
 */
static void test_optimize_advice_reuse(const struct tfit_runtime *rt)
{
	static const char *const files[] = { "patch_chain.tflite", "reshape_fc.tflite" };
	size_t f;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[512], *data = NULL;
		size_t len = 0;
		struct tfit_model *m = NULL, *w = NULL;
		struct tfit_optimize_request q;
		struct tfit_optimize_result a;
		struct tfit_device d;
		struct tfit_fit_ctx c, cw;
		struct tfit_fit_opts o;
		struct tfit_fit_result r, rw;
		struct tfit_fit_advice adv;
		struct tfit_error err;
		snprintf(path, sizeof(path), TFLITE_DIR "%s", files[f]);
		tfit_error_clear(&err);
		CHECK(tfit_model_load(path, NULL, &m, &err) == TFIT_OK);
		CHECK(tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &len, &err) == TFIT_OK);
		if (!m || !data) {
			tfit_model_free(m);
			free(data);
			continue;
		}
		/* the file alone: what optimize writes, read back */
		memset(&q, 0, sizeof(q));
		q.model_data = data;
		q.model_len = len;
		q.model_name = m->name;
		q.rt = rt;
		CHECK(tfit_optimize(&q, &a, &err) == TFIT_OK);
		CHECK(a.after.arena_bytes < a.before.arena_bytes);
		CHECK(tfit_tflite_read_buffer(a.model_out, a.model_out_len, m->name, &w, &err) ==
		      TFIT_OK);
		/* a board where the model does not fit and the optimised one does */
		CHECK(board_bytes(&d, a.after.arena_bytes + 2048 + 1024) == 0); /* + reserve + state */
		tfit_fit_opts_init(&o);
		o.method = TFIT_METHOD_PLANNED;
		tfit_fit_ctx_init(&c, m, DATA_DIR);
		CHECK(tfit_fit_evaluate(&c, &d, rt->id, &o, &r, &err) == TFIT_OK);
		CHECK(!r.fits);
		CHECK(tfit_fit_advise_optimize(&c, &r, &o, &adv, &err) == TFIT_OK);
		CHECK_U64(adv.n_options, 1);
		if (w) {
			w->file_bytes = a.model_out_len;
			tfit_fit_ctx_init(&cw, w, DATA_DIR);
			CHECK(tfit_fit_evaluate(&cw, &d, rt->id, &o, &rw, &err) == TFIT_OK);
			CHECK(rw.fits);
			if (adv.n_options == 1) {
				CHECK_I64(adv.options[0].kind, TFIT_OPTION_OPTIMIZE);
				CHECK_U64(adv.options[0].arena_bytes, rw.sram.arena_bytes);
				CHECK_U64(adv.options[0].fits, rw.fits);
				CHECK_U64(adv.options[0].flash_used_bytes, rw.flash.used_bytes);
				CHECK_U64(adv.options[0].sram_used_bytes, rw.sram.used_bytes);
				CHECK_CONTAINS(adv.options[0].text, "fits after `tinyfit optimize`");
			}
			tfit_fit_ctx_release(&cw);
		}
		tfit_fit_ctx_release(&c);
		tfit_device_release(&d);
		optimize_advice_only_if_fits(m, rt, len, a.after.arena_bytes);
		tfit_optimize_result_release(&a);
		tfit_model_free(w);
		tfit_model_free(m);
		free(data);
	}
}

/*
 * Outside the runtime's data the extrapolated code and RAM decide nothing
 * (fit.c, outside_verdict): a model whose known part (weights + reserve in
 * flash; activations + reserve in RAM) alone exceeds the board does not
 * fit, with the known part's shortfall as what must go; one whose known
 * part fits is unknown, whatever the extrapolation says.
 */
static void test_runtime_outside_does_not_fit(void)
{
	struct tfit_model *m = tfit_test_load_example("hvac_lstm.json");
	struct tfit_device d;
	struct tfit_fit_ctx c;
	struct tfit_fit_result r;
	struct tfit_fit_advice a;
	struct tfit_error err;
	uint64_t known_flash, known_sram;
	if (!m)
		return;
	tfit_fit_ctx_init(&c, m, DATA_DIR);
	/* weights 36,712 B + 16 KiB reserve = 53,096 B of known flash, over 40 KiB */
	CHECK(board(&d, "b", "40KiB", "1MiB", "", 15) == 0);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	known_flash = r.flash.used_bytes - r.flash.runtime_bytes;
	known_sram = r.sram.used_bytes - r.sram.runtime_bytes;
	CHECK_U64(known_flash, 36712 + 16384);
	CHECK_U64(known_sram, 18402 + 2048);
	CHECK(r.flash.runtime_bytes > 0 && r.sram.runtime_bytes > 0);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(r.limiting == TFIT_RES_FLASH);
	CHECK(r.runtime_outside);
	CHECK(r.reason[0] == '\0');
	CHECK_CONTAINS(r.outside_reason, "x-cube-ai's runtime RAM and code are unknown: ");
	CHECK(isnan(r.flash_percent) && isnan(r.sram_percent));
	CHECK(r.flash_margin_bytes == 40960 - (int64_t)known_flash);
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK_U64(a.flash_over_bytes, known_flash - 40960);
	CHECK_U64(a.sram_over_bytes, 0);
	tfit_device_release(&d);
	/* 60 KiB holds the known 53,096 B but not the extrapolated code as
	 * well: unknown, not "does not fit" */
	CHECK(board(&d, "b", "60KiB", "1MiB", "", 15) == 0);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	CHECK(r.flash.used_bytes > 61440);
	CHECK(r.verdict == TFIT_VERDICT_UNKNOWN);
	CHECK(r.limiting == TFIT_RES_UNKNOWN);
	CHECK(r.runtime_outside);
	CHECK_CONTAINS(r.reason, "x-cube-ai's runtime RAM and code are unknown: op "
			"'unidirectional_sequence_lstm' is in none of the models");
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK_U64(a.flash_over_bytes, 0);
	tfit_device_release(&d);
	/* RAM: 20,450 B known, over 16 KiB of SRAM */
	CHECK(board(&d, "b", "1MiB", "16KiB", "", 15) == 0);
	CHECK(tfit_fit_evaluate(&c, &d, "x-cube-ai", NULL, &r, &err) == TFIT_OK);
	CHECK(r.verdict == TFIT_VERDICT_DOES_NOT_FIT);
	CHECK(r.runtime_outside);
	CHECK(r.limiting == TFIT_RES_SRAM || r.limiting == TFIT_RES_ARENA_REGION);
	CHECK(tfit_fit_advise(&c, &r, NULL, NULL, NULL, &a, &err) == TFIT_OK);
	CHECK_U64(a.sram_over_bytes, 18402 + 2048 - 16384);
	tfit_device_release(&d);
	tfit_fit_ctx_release(&c);
	tfit_model_free(m);
}

static void test_optimize_reuse(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	CHECK(tfit_runtime_load(DATA_DIR, "tflm", &rt, &err) == TFIT_OK);
	if (!rt)
		return;
	optimize_both_ways("patch_chain.tflite", 0, rt);
	optimize_both_ways("patch_chain.tflite", 1, rt);
	optimize_both_ways("reshape_fc.tflite", 0, rt);
	optimize_both_ways("small_conv.tflite", 0, rt);
	test_optimize_advice_reuse(rt);
	tfit_runtime_free(rt);
}

int main(void)
{
	test_runtime_terms();
	test_runtime_outside_data();
	test_runtime_outside_does_not_fit();
	test_textbook();
	test_planned_budgets();
	test_quantize_and_board_advice();
	test_dtype_restore_exact();
	test_dtype_save_small();
	test_dtype_save_wide();
	test_board_advice_order();
	test_board_advice_two_runtimes();
	test_optimize_reuse();
	return tfit_test_finish();
}
