/*
 * kernel_cost.h - instruction counts of TFLM's reference kernels and
 * CMSIS-NN's kernels on Cortex-M cores, from the code path each kernel takes
 * for a shape (docs/kernel-cost.md).
 *
 * A kernel shape is one int8 conv, depthwise conv, fully connected, pooling,
 * softmax, add or mul op with its sizes. tfit_kernel_features() gives the
 * loop-trip counts of the path it takes (CMSIS-NN: 1x1 fast path, strided
 * 1x1, 1xN, im2col + 2x2 matrix kernel; depthwise 3x3 fast path, channel
 * multiplier 1 path, generic; ...). The model (data/cost/kernels.json,
 * fitted by tools/kernel-cycles/fit.py on instruction counts measured on an
 * emulator) holds per runtime x core x path the instructions per feature,
 * and per runtime x core the cycles per instruction and per-op overhead
 * fitted on published latencies.
 *
 * Builds: the same kernels built another way execute other instructions
 * (ESP-IDF compiles TFLM with -O3 and its assertions on, where TFLM's own
 * Makefile gives -O2 -DNDEBUG). Tables and cpus without a build are the
 * release build; a build names the chips whose SDK builds TFLM its way
 * ("match", part of the board's mcu), and a table or cpu with that build
 * id is used for those chips only (tfit_kernel_build_find).
 *
 * Ownership: a tfit_kernel_model owns every string and array in it;
 * tfit_kernel_model_release() frees them. Feature names are static strings.
 */
#ifndef TINYFIT_KERNEL_COST_H
#define TINYFIT_KERNEL_COST_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"

/* CMSIS-NN (tflm-cmsis-nn), TFLM's reference kernels (tflm), ESP-NN's
 * generic C kernels (tflm-esp-nn on the ESP32-C3: esp_nn_generic_opt.h) */
enum tfit_kernel_impl {
	TFIT_KERNEL_CMSIS_NN = 0, TFIT_KERNEL_TFLM_REF, TFIT_KERNEL_ESP_NN, TFIT_KERNEL_IMPL_COUNT
};

enum tfit_kernel_op {
	TFIT_KOP_CONV = 0, TFIT_KOP_DWCONV, TFIT_KOP_FC, TFIT_KOP_AVGPOOL, TFIT_KOP_MAXPOOL,
	TFIT_KOP_SOFTMAX, TFIT_KOP_ADD, TFIT_KOP_MUL, TFIT_KOP_COUNT
};

/* "conv", "dwconv", "fc", "avgpool", "maxpool", "softmax", "add", "mul" */
const char *tfit_kernel_op_name(enum tfit_kernel_op op);
/* the op of a name above; -1 if none */
int tfit_kernel_op_parse(const char *name);

struct tfit_kernel_shape {
	enum tfit_kernel_op op;
	int64_t n, h, w, c;    /* input batches, height, width, channels */
	int64_t oc;            /* output channels (conv, fc) */
	int64_t kh, kw;        /* filter or pool window */
	int64_t sh, sw;        /* strides */
	int64_t dh, dw;        /* dilations */
	int64_t ch_mult;       /* depthwise channel multiplier */
	int same_padding;      /* 1: SAME, 0: VALID */
	/* derived by tfit_kernel_shape_complete() (TFLM's padding.h rules) */
	int64_t oh, ow, ph, pw;
};

/* Defaults (1) for unset sizes, then output size and padding. 0, or -1 when
 * a size is not positive. */
int tfit_kernel_shape_complete(struct tfit_kernel_shape *s);

/* The kernel shape of an int8 op of subgraph sg: 1 when the op is one of
 * the ops above with int8 input and the shapes it needs, else 0. */
int tfit_kernel_shape_of_op(const struct tfit_subgraph *sg, const struct tfit_op *op,
			    struct tfit_kernel_shape *s);

/* 1 unless core ("cortex-m0plus") lacks the DSP extension; NULL: 1. */
int tfit_kernel_core_has_dsp(const char *core);
/* 1 when core is an Armv8.1-M core with MVE (Helium: "cortex-m55",
 * "cortex-m85"), whose CMSIS-NN kernels take their MVE paths; NULL: 0. */
int tfit_kernel_core_has_mve(const char *core);

/* The code path on core (NULL: a core with the DSP extension):
 * "conv.1x1_fast", "conv.1x1", "conv.1xn", "conv.im2col", "dwconv.3x3",
 * "dwconv.opt", "dwconv.generic", "fc.nodsp" (fully connected without DSP),
 * or the op name (every reference kernel, and CMSIS-NN's one-path ops);
 * ESP-NN: "conv.1x1", "conv.opt", "dwconv.m1", "dwconv.mult" or the op name.
 * CMSIS-NN on an MVE core: "conv.1x1_fast", "conv.1x1", "conv.1xn",
 * "conv.im2col", "dwconv.conv" (one input channel: run as a conv),
 * "dwconv.opt", "dwconv.mult4", "dwconv.generic" or the op name; the
 * features are those of the MVE branches. */
const char *tfit_kernel_path(enum tfit_kernel_impl impl, const char *core,
			     const struct tfit_kernel_shape *s);

#define TFIT_KERNEL_MAX_FEATURES 32
struct tfit_kernel_feature {
	const char *name;
	double value;
};
/* The path's features (loop-trip counts); returns how many (<= MAX). */
size_t tfit_kernel_features(enum tfit_kernel_impl impl, const char *core,
			    const struct tfit_kernel_shape *s, struct tfit_kernel_feature *out);

struct tfit_kernel_table {
	char *runtime;         /* "tflm-cmsis-nn" or "tflm" */
	char *core;            /* "cortex-m4f" */
	char *build;           /* a build id ("esp-idf"), NULL: the release build */
	char *path;
	char **features;
	double *coef;          /* instructions per unit of each feature */
	size_t n_features;
	double max_error;      /* largest relative error on the recorded counts */
};

struct tfit_kernel_cpu {
	char *runtime;
	char *core;
	char *build;           /* as in the tables; NULL: the release build */
	/* the core whose instruction tables this cpu runs with, for a core whose
	 * own instructions are not measured (the ESP32-P4's and ESP32-S3's TFLM
	 * with the RV32 tables); NULL: the cpu's own core */
	char *instructions_core;
	/* code paths the chip runs other code for than the tables measured (the
	 * ESP32-P4's ESP-NN convolution is PIE assembly): their ops are not
	 * costed by this cpu and take the cost tables */
	char **unmeasured_paths;
	size_t n_unmeasured_paths;
	double cycles_per_instruction;
	double op_overhead_cycles;   /* per op: interpreter, Eval prologue */
	char *source;
};

/* How a platform's SDK builds TFLM, when it is not TFLM's release build */
struct tfit_kernel_build {
	char *id;              /* "esp-idf" */
	char *match;           /* a board whose mcu contains this builds this way ("ESP32") */
	char *summary;         /* for the method text ("ESP-IDF's build: -O3, assertions on") */
	char *source;          /* where the flags come from */
};

struct tfit_kernel_model {
	struct tfit_kernel_table *tables;
	size_t n_tables;
	struct tfit_kernel_cpu *cpus;
	size_t n_cpus;
	struct tfit_kernel_build *builds;
	size_t n_builds;
	char *source;
};

void tfit_kernel_model_init(struct tfit_kernel_model *km);
void tfit_kernel_model_release(struct tfit_kernel_model *km);

/* Read the model from a parsed data/cost/kernels.json (a cJSON object; the
 * type is void to keep cJSON out of this header). */
enum tfit_status tfit_kernel_model_parse(const void *root, const char *file,
					 struct tfit_kernel_model *km, struct tfit_error *err);

/* The implementation a runtime id runs ("tflm-cmsis-nn[@v]" and
 * "microtvm-cmsis-nn[@v]" -> CMSIS-NN, "tflm[@v]" -> reference,
 * "tflm-esp-nn[@v]" -> ESP-NN); -1 for any other. Instructions come from
 * the implementation's tables (runtime "tflm-cmsis-nn", "tflm",
 * "tflm-esp-nn"), cycles per instruction from the runtime's own cpu. */
int tfit_kernel_impl_of_runtime(const char *runtime_id);

/* The build a board with chip mcu runs runtime on core as: the first build
 * whose match is part of mcu and for which the model has a cpu of runtime x
 * core x that build; NULL (the release build) otherwise, or when mcu is NULL. */
const struct tfit_kernel_build *tfit_kernel_build_find(const struct tfit_kernel_model *km,
						       const char *runtime_id, const char *core,
						       const char *mcu);

/* Instructions one invocation executes, from the table of the runtime's
 * implementation (tfit_kernel_impl_of_runtime) x core x build (NULL:
 * release) x path; 1 when such a table exists, else 0. */
int tfit_kernel_instructions(const struct tfit_kernel_model *km, const char *runtime_id,
			     const char *core, const char *build,
			     const struct tfit_kernel_shape *s, double *instructions);

/* Cycles per instruction and per-op overhead of runtime x core x build
 * (NULL: release); NULL if none. Its instructions come from the tables of
 * tfit_kernel_cpu_instructions_core(). */
const struct tfit_kernel_cpu *tfit_kernel_cpu_find(const struct tfit_kernel_model *km,
						   const char *runtime_id, const char *core,
						   const char *build);

/* The core whose tables give cpu's instructions: its instructions_core, else
 * its own core. */
const char *tfit_kernel_cpu_instructions_core(const struct tfit_kernel_cpu *cpu);

/* 1 when cpu costs ops of code path path, 0 when the path is one of its
 * unmeasured_paths. */
int tfit_kernel_cpu_runs_path(const struct tfit_kernel_cpu *cpu, const char *path);

#endif
