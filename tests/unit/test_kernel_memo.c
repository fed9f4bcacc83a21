/*
 * test_kernel_memo.c - a model's kernel memo (cost.h
 * tfit_cost_kernel_memo_new) changes no figure: estimates of the examples
 * on targets of every kernel implementation, core and build the shipped
 * data/cost/kernels.json has are the same, to the bit, with the memo
 * attached to the db and without; the memo groups ops by shape and makes
 * one entry per implementation x instructions core x build (the boards
 * that share one share it); a memo of another model is not used.
 */
#include <stdlib.h>
#include <string.h>

#include "cost/kernel_memo.h"
#include "tfit_test.h"
#include "tfit_test_model.h"
#include "tinyfit/cost.h"

struct target {
	const char *runtime, *core, *mcu;
	double clock_mhz;
	enum tfit_fpu fpu;
};

/* The cpus of data/cost/kernels.json: 10 targets, 6 entries (microTVM
 * shares CMSIS-NN's instructions on the M4F; the ESP32-P4's and -S3's TFLM
 * the ESP32-C3's riscv32 esp-idf tables; the P4's ESP-NN the C3's, with its
 * convolution paths unmeasured). */
static const struct target targets[] = {
	{ "tflm-cmsis-nn", "cortex-m4f", "STMicroelectronics STM32F411CEU6", 100, TFIT_FPU_SP },
	{ "microtvm-cmsis-nn", "cortex-m4f", "STMicroelectronics STM32L4R5ZIT6", 120, TFIT_FPU_SP },
	{ "tflm-cmsis-nn", "cortex-m0plus", "Raspberry Pi RP2040", 133, TFIT_FPU_NONE },
	{ "tflm-cmsis-nn", "cortex-m85", "Renesas RA8D1 (R7FA8D1AHECBD)", 480, TFIT_FPU_DP },
	{ "tflm", "cortex-m7", "NXP i.MX RT1176", 800, TFIT_FPU_DP },
	{ "tflm", "riscv32", "Espressif ESP32-C3 (MINI-1)", 160, TFIT_FPU_NONE },
	{ "tflm", "riscv32-pie", "Espressif ESP32-P4", 360, TFIT_FPU_SP },
	{ "tflm", "xtensa-lx7", "Espressif ESP32-S3", 240, TFIT_FPU_SP },
	{ "tflm-esp-nn", "riscv32", "Espressif ESP32-C3 (MINI-1)", 160, TFIT_FPU_NONE },
	{ "tflm-esp-nn", "riscv32-pie", "Espressif ESP32-P4", 360, TFIT_FPU_SP },
};
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

static void set_target(struct tfit_cost_target *t, const struct target *x)
{
	memset(t, 0, sizeof(*t));
	t->core_id = x->core;
	/* the ESP32-P4's TFLM has no table of its own core: its family's */
	t->family = strcmp(x->core, "riscv32-pie") == 0 ? tfit_core_family_name(TFIT_CORE_FAMILY_RISCV)
						       : NULL;
	t->clock_mhz = x->clock_mhz;
	t->fpu = x->fpu;
	t->name = x->core;
	t->mcu = x->mcu;
}

/* Two estimates the same to the bit: every op's cycles and latency, the
 * totals, the interval, the tables and the method. */
static void check_same(const struct tfit_cost_result *a, const struct tfit_cost_result *b)
{
	uint32_t i;
	CHECK_U64(a->n_ops, b->n_ops);
	for (i = 0; i < a->n_ops && i < b->n_ops; i++) {
		CHECK(memcmp(&a->ops[i].cycles, &b->ops[i].cycles, sizeof(double)) == 0);
		{
			double la = tfit_cost_op_latency_ms(a, i), lb = tfit_cost_op_latency_ms(b, i);
			CHECK(memcmp(&la, &lb, sizeof(double)) == 0);
		}
	}
	CHECK(memcmp(&a->cycles, &b->cycles, sizeof(double)) == 0);
	CHECK(memcmp(&a->latency_ms, &b->latency_ms, sizeof(double)) == 0);
	CHECK(memcmp(&a->interval_pct, &b->interval_pct, sizeof(double)) == 0);
	CHECK_STR(a->table, b->table);
	CHECK(a->method && b->method && strcmp(a->method, b->method) == 0);
}

/* Each target costed without the memo, with it (filling it) and with it
 * again (reading it); *kernel_targets counts the targets whose method says
 * the kernel model costed some ops, so the memo was really read. The
 * memo ends with 6 entries and n_classes kernel shapes. */
static void check_model(const struct tfit_cost_db *db0, const char *name, size_t n_classes,
			size_t *kernel_targets)
{
	struct tfit_cost_db db = *db0;
	struct tfit_model *m = tfit_test_load_example(name);
	struct tfit_cost_kernel_memo *memo = NULL;
	struct tfit_error err;
	size_t k, entries = 0, classes = 0;
	CHECK(m != NULL);
	if (!m)
		return;
	tfit_error_clear(&err);
	CHECK(tfit_cost_kernel_memo_new(m, &memo, &err) == TFIT_OK);
	for (k = 0; k < N_TARGETS; k++) {
		struct tfit_cost_target t;
		struct tfit_cost_result plain, first, again;
		set_target(&t, &targets[k]);
		db.kernel_memo = NULL;
		CHECK(tfit_cost_estimate_target(&db, m, &t, targets[k].runtime, &plain, &err) == TFIT_OK);
		db.kernel_memo = memo;
		CHECK(tfit_cost_estimate_target(&db, m, &t, targets[k].runtime, &first, &err) == TFIT_OK);
		CHECK(tfit_cost_estimate_target(&db, m, &t, targets[k].runtime, &again, &err) == TFIT_OK);
		check_same(&plain, &first);
		check_same(&plain, &again);
		if (plain.method && strstr(plain.method, "kernel model for "))
			(*kernel_targets)++;
		tfit_cost_result_release(&plain);
		tfit_cost_result_release(&first);
		tfit_cost_result_release(&again);
	}
	tfit_kernel_memo_counts(memo, &entries, &classes);
	CHECK_U64(entries, 6);
	CHECK_U64(classes, n_classes);
	tfit_cost_kernel_memo_free(memo);
	tfit_model_free(m);
}

/* A memo is used only for its own model: costing another model through a
 * db carrying it gives that model's own figures and makes no entry. */
static void test_other_model(const struct tfit_cost_db *db0)
{
	struct tfit_cost_db db = *db0;
	struct tfit_model *a = tfit_test_load_example("kws_dscnn.json");
	struct tfit_model *b = tfit_test_load_example("vww_mobilenet.json");
	struct tfit_cost_kernel_memo *memo = NULL;
	struct tfit_cost_target t;
	struct tfit_cost_result plain, other;
	struct tfit_error err;
	size_t entries = 1, classes = 0;
	CHECK(a && b);
	if (!a || !b)
		goto out;
	tfit_error_clear(&err);
	CHECK(tfit_cost_kernel_memo_new(a, &memo, &err) == TFIT_OK);
	set_target(&t, &targets[0]);
	CHECK(tfit_cost_estimate_target(&db, b, &t, targets[0].runtime, &plain, &err) == TFIT_OK);
	db.kernel_memo = memo;
	CHECK(tfit_cost_estimate_target(&db, b, &t, targets[0].runtime, &other, &err) == TFIT_OK);
	check_same(&plain, &other);
	tfit_kernel_memo_counts(memo, &entries, &classes);
	CHECK_U64(entries, 0);
	tfit_cost_result_release(&plain);
	tfit_cost_result_release(&other);
out:
	tfit_cost_kernel_memo_free(memo);
	tfit_model_free(a);
	tfit_model_free(b);
}

int main(void)
{
	struct tfit_cost_db db;
	struct tfit_error err;
	size_t kernel_targets = 0;
	tfit_error_clear(&err);
	tfit_cost_db_init(&db);
	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &db, &err) == TFIT_OK);
	/* kws_dscnn: 13 ops, 6 kernel shapes (its four depthwise and four
	 * pointwise convolutions are one shape each; the reshape has none) */
	check_model(&db, "kws_dscnn.json", 6, &kernel_targets);
	check_model(&db, "vww_mobilenet.json", 22, &kernel_targets);
	check_model(&db, "ic_resnet8.json", 14, &kernel_targets);
	/* every target costs some ops with the kernel model on each model */
	CHECK_U64(kernel_targets, 3 * N_TARGETS);
	test_other_model(&db);
	tfit_cost_db_release(&db);
	return tfit_test_finish();
}
