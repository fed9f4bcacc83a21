/*
 * test_kernel_cost.c - the kernel instruction model (kernel_cost.h) against
 * the instruction counts recorded by tools/kernel-cycles (results/grid.json
 * and results/<core>.json; riscv32: ESP-NN and the reference kernels on
 * RV32IMC, measure_rv32.py): every recorded point of every core and runtime
 * the shipped data/cost/kernels.json covers is predicted within 5%, and
 * within the error the table states; plus the code paths and features of a
 * few shapes, exactly.
 */
#include <stdlib.h>

#include "tfit_test.h"
#include "tinyfit/cost.h"
#include "tinyfit/fileio.h"
#include "tinyfit/kernel_cost.h"
#include "util/json_util.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define RESULTS TFIT_SOURCE_DIR "/tools/kernel-cycles/results/"

static cJSON *read_json(const char *path)
{
	struct tfit_error err;
	char *text = NULL;
	size_t len = 0;
	cJSON *doc = NULL;
	if (tfit_file_read(path, 1u << 24, &text, &len, &err) == TFIT_OK)
		tfit_json_parse(text, len, path, &doc, &err);
	free(text);
	return doc;
}

static int64_t get(const cJSON *o, const char *key, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : dflt;
}

static void shape_of_grid(const cJSON *g, struct tfit_kernel_shape *s)
{
	const cJSON *pad = cJSON_GetObjectItemCaseSensitive(g, "padding");
	memset(s, 0, sizeof(*s));
	s->op = (enum tfit_kernel_op)tfit_kernel_op_parse(
		cJSON_GetObjectItemCaseSensitive(g, "op")->valuestring);
	s->n = get(g, "n", 1), s->h = get(g, "h", 1), s->w = get(g, "w", 1);
	s->c = get(g, "c", 1), s->oc = get(g, "oc", 0);
	s->kh = get(g, "kh", 1), s->kw = get(g, "kw", 1), s->sh = get(g, "sh", 1);
	s->sw = get(g, "sw", 1), s->dh = get(g, "dh", 1), s->dw = get(g, "dw", 1);
	s->ch_mult = get(g, "ch_mult", 1);
	s->same_padding = cJSON_IsString(pad) && strcmp(pad->valuestring, "same") == 0;
	CHECK(tfit_kernel_shape_complete(s) == 0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Every recorded point of core: the shipped model within 5% (the issue's
 * target) and within its table's stated max_error. */
static void check_core(const struct tfit_kernel_model *km, const cJSON *grid, const char *core)
{
	/* riscv32 (tools/kernel-cycles/measure_rv32.py): ESP-NN and the
	 * reference kernels; the Cortex-M cores: CMSIS-NN and the reference */
	int rv = strcmp(core, "riscv32") == 0;
	const char *const runtimes[2] = { rv ? "tflm-esp-nn" : "tflm-cmsis-nn", "tflm" };
	const char *const keys[2] = { rv ? "esp_nn" : "cmsis_nn", "ref" };
	char path[512];
	cJSON *doc;
	const cJSON *pt;
	int r;

	snprintf(path, sizeof(path), RESULTS "%s.json", core);
	doc = read_json(path);
	if (!doc)
		return; /* not measured for this core */
	for (r = 0; r < 2; r++) {
		double *errs = calloc(4096, sizeof(double)), worst = 0;
		size_t n = 0;
		int worst_id = -1;
		cJSON_ArrayForEach(pt, cJSON_GetObjectItemCaseSensitive(doc, "points")) {
			int64_t id = get(pt, "id", -1);
			const cJSON *g = cJSON_GetArrayItem(grid, (int)id);
			struct tfit_kernel_shape s;
			double measured = (double)get(pt, keys[r], 0), pred = 0, e;
			CHECK(g && get(g, "id", -2) == id);
			if (!g || !errs || n >= 4096)
				continue;
			shape_of_grid(g, &s);
			CHECK(tfit_kernel_instructions(km, runtimes[r], core, &s, &pred) == 1);
			CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pt, "outputs_match")));
			e = fabs(pred - measured) / measured;
			if (e > worst)
				worst = e, worst_id = (int)id;
			errs[n++] = e;
			CHECK(e <= 0.05);
		}
		if (n) {
			qsort(errs, n, sizeof(double), cmp_double);
			printf("%s on %s: %zu recorded counts, median error %.2f%%, worst %.2f%% "
			       "(grid %d)\n", runtimes[r], core, n, 100 * errs[n / 2], 100 * worst,
			       worst_id);
		}
		free(errs);
	}
	cJSON_Delete(doc);
}

/* Paths and features of hand-picked shapes, exactly (CMSIS-NN's wrappers). */
static void test_paths(void)
{
	struct tfit_kernel_shape s;
	struct tfit_kernel_feature f[TFIT_KERNEL_MAX_FEATURES];
	size_t n, i;
	double tap = -1, pbyte = -1;

	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_CONV, s.h = 9, s.w = 9, s.c = 8, s.oc = 16, s.kh = 3, s.kw = 3;
	s.same_padding = 1;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_I64(s.oh, 9);
	CHECK_I64(s.ph, 1);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "conv.im2col");
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_TFLM_REF, NULL, &s), "conv");
	n = tfit_kernel_features(TFIT_KERNEL_CMSIS_NN, NULL, &s, f);
	for (i = 0; i < n; i++) {
		if (strcmp(f[i].name, "tap") == 0)
			tap = f[i].value;
		if (strcmp(f[i].name, "pbyte") == 0)
			pbyte = f[i].value;
	}
	CHECK_NEAR(tap, 81 * 9, 0);
	/* 9x9 SAME 3x3: 81 x 9 taps, 49 x 9 + 28 x 6 + 4 x 4 = 625 inside */
	CHECK_NEAR(pbyte, (729 - 625) * 8, 0);

	s.kh = s.kw = 1, s.same_padding = 0;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "conv.1x1_fast");
	s.sh = s.sw = 2;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "conv.1x1");
	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_CONV, s.h = 1, s.w = 32, s.c = 8, s.oc = 16, s.kw = 5;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "conv.1xn");
	s.c = 3; /* stride x channels not a multiple of 4 */
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "conv.im2col");

	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_DWCONV, s.h = 10, s.w = 10, s.c = 16, s.kh = 3, s.kw = 3;
	s.same_padding = 1;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_I64(s.oc, 16);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "dwconv.3x3");
	s.kh = s.kw = 5;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "dwconv.opt");
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, "cortex-m4f", &s), "dwconv.opt");
	/* no DSP: arm_depthwise_conv_s8_opt falls back to the generic loop */
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, "cortex-m0plus", &s), "dwconv.generic");
	s.ch_mult = 2, s.oc = 0;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, NULL, &s), "dwconv.generic");

	/* fully connected, 10 rows x 7 columns, 2 batches: without DSP three
	 * rows at a time (3 blocks, 1 leftover row), columns one by one */
	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_FC, s.n = 2, s.c = 7, s.oc = 10;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, "cortex-m7", &s), "fc");
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_CMSIS_NN, "cortex-m0plus", &s), "fc.nodsp");
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_TFLM_REF, "cortex-m0plus", &s), "fc");
	n = tfit_kernel_features(TFIT_KERNEL_CMSIS_NN, "cortex-m0plus", &s, f);
	CHECK(n == 6);
	for (i = 0; i < n; i++) {
		static const char *const names[] = { "one", "t_k", "t_0", "l_k", "l_0", "row" };
		static const double values[] = { 1, 2 * 3 * 7, 2 * 3, 2 * 1 * 7, 2 * 1, 2 };
		CHECK_STR(f[i].name, names[i]);
		CHECK_NEAR(f[i].value, values[i], 0);
	}
	CHECK(tfit_kernel_core_has_dsp("cortex-m33") && !tfit_kernel_core_has_dsp("cortex-m0plus"));
	CHECK(tfit_kernel_impl_of_runtime("tflm-cmsis-nn@1.0") == TFIT_KERNEL_CMSIS_NN);
	CHECK(tfit_kernel_impl_of_runtime("tflm") == TFIT_KERNEL_TFLM_REF);
	CHECK(tfit_kernel_impl_of_runtime("tflm-esp-nn") == TFIT_KERNEL_ESP_NN);
	CHECK(tfit_kernel_impl_of_runtime("x-cube-ai") == -1);

	/* ESP-NN's generic kernels: a 1x1 filter takes esp_nn_conv_s8_1x1 at
	 * any stride; 10 input channels = 2 groups of 4 + 2 leftovers */
	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_CONV, s.h = 8, s.w = 8, s.c = 10, s.oc = 6, s.sh = 2, s.sw = 2;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_ESP_NN, "riscv32", &s), "conv.1x1");
	n = tfit_kernel_features(TFIT_KERNEL_ESP_NN, "riscv32", &s, f);
	CHECK(n == 7);
	for (i = 0; i < n; i++) {
		static const char *const names[] = { "one", "m4", "m1", "m4f", "m1f", "out", "pix" };
		static const double values[] = { 1, 16 * 6 * 2, 16 * 6 * 2, 16 * 6, 16 * 6, 16 * 6,
						 16 };
		CHECK_STR(f[i].name, names[i]);
		CHECK_NEAR(f[i].value, values[i], 0);
	}
	s.kh = s.kw = 3;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_ESP_NN, "riscv32", &s), "conv.opt");
	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_DWCONV, s.h = 10, s.w = 10, s.c = 16, s.kh = 3, s.kw = 3;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_ESP_NN, "riscv32", &s), "dwconv.m1");
	s.ch_mult = 8, s.oc = 0;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	CHECK_STR(tfit_kernel_path(TFIT_KERNEL_ESP_NN, "riscv32", &s), "dwconv.mult");
}

/* Kernel positions inside the input, brute force (every output, every tap). */
static int64_t ref_taps(int64_t size, int64_t k, int64_t stride, int64_t pad, int64_t out,
			int64_t dil)
{
	int64_t t = 0, o, i;
	for (o = 0; o < out; o++)
		for (i = 0; i < k; i++) {
			int64_t x = o * stride - pad + i * dil;
			t += x >= 0 && x < size;
		}
	return t;
}

static double feature(const struct tfit_kernel_shape *s, const char *name)
{
	struct tfit_kernel_feature f[TFIT_KERNEL_MAX_FEATURES];
	size_t n = tfit_kernel_features(TFIT_KERNEL_TFLM_REF, NULL, s, f), i;
	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	return -1;
}

/* The valid-tap count behind the padding features, counted in closed form
 * along the shorter loop: equal to the brute force on every small strided,
 * dilated, SAME and VALID shape, and instant on a 2^30-wide input (the
 * double loop took seconds on a fuzzed .tflite). */
static void test_valid_taps(void)
{
	struct tfit_kernel_shape s;
	int64_t h, k, st, d, same, bad = 0;
	for (h = 1; h <= 12; h++)
		for (k = 1; k <= 5; k++)
			for (st = 1; st <= 3; st++)
				for (d = 1; d <= 3; d++)
					for (same = 0; same <= 1; same++) {
						double vy, vx;
						memset(&s, 0, sizeof(s));
						s.op = TFIT_KOP_CONV, s.h = h, s.w = h + 3, s.c = 1;
						s.oc = 1, s.kh = k, s.kw = k, s.sh = st, s.sw = st;
						s.dh = d, s.dw = d, s.same_padding = (int)same;
						if (tfit_kernel_shape_complete(&s) != 0)
							continue;
						vy = (double)ref_taps(s.h, s.kh, s.sh, s.ph, s.oh, s.dh);
						vx = (double)ref_taps(s.w, s.kw, s.sw, s.pw, s.ow, s.dw);
						if (feature(&s, "vtap") != vy * vx)
							bad++;
					}
	CHECK_I64(bad, 0);
	memset(&s, 0, sizeof(s));
	s.op = TFIT_KOP_CONV, s.h = 1, s.w = (int64_t)1 << 30, s.c = 1, s.oc = 1;
	s.kh = 1, s.kw = 3, s.same_padding = 1;
	CHECK(tfit_kernel_shape_complete(&s) == 0);
	/* SAME 1x3 over 2^30 columns: 3 taps per output but the two edges */
	CHECK_NEAR(feature(&s, "vtap"), 3.0 * (double)((int64_t)1 << 30) - 2, 0);
}

int main(void)
{
	static const char *const cores[] = { "cortex-m0plus", "cortex-m4f", "cortex-m7",
					     "cortex-m33", "riscv32" };
	struct tfit_cost_db db;
	struct tfit_error err;
	cJSON *grid;
	size_t i;

	test_paths();
	test_valid_taps();
	CHECK(tfit_cost_db_load(DATA_DIR, &db, &err) == TFIT_OK);
	CHECK(db.kernels.n_tables > 0);
	grid = read_json(RESULTS "grid.json");
	CHECK(grid != NULL);
	for (i = 0; grid && i < sizeof(cores) / sizeof(cores[0]); i++)
		check_core(&db.kernels, grid, cores[i]);
	cJSON_Delete(grid);
	tfit_cost_db_release(&db);
	return tfit_test_finish();
}
