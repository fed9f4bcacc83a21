/*
 * cost.h - the latency and energy model: per-op cycles from cost tables,
 * latency from the clock, energy from power or per-operation energy,
 * battery life for a duty cycle, and real-time checks.
 *
 * Model (docs/latency-model.md): for every op of subgraph 0,
 *   cycles = units x cycles_per_unit[class] + op_overhead_cycles
 * where units are the op's MACs (conv, 1x1 conv, depthwise, fully connected,
 * recurrent) or element operations (pooling, elementwise, softmax, data
 * movement), and the cost table is chosen by runtime (optionally
 * "runtime@version"), core id (then core family) and dtype. latency_ms =
 * cycles / clock, times a penalty when weights sit in external flash or
 * activations in PSRAM. Float on a core without an FPU is emulated (the
 * runtime file's soft-float factor). An accelerator with macs_per_cycle or
 * TOPS in its profile takes the MAC classes its kind supports. Every number
 * comes from the data files data/cost/RUNTIME.json (format: docs/cost-format.md), each with its
 * source; nothing here knows a board, a runtime or a calibration point.
 *
 * Invariants: a loaded struct tfit_cost_db is read-only and may be shared
 * (but for the kernel memo a caller may attach to its own copy);
 * every table in it has a positive cost for every class and a source for
 * every number. A filled struct tfit_cost_result has one entry per op of
 * subgraph 0, in order; shares sum to 1 when total cycles > 0; every
 * estimate carries the runtime, the table id and a method string (the CLI
 * prints them: estimates are always labelled as such).
 *
 * Ownership: tfit_cost_db_load() fills a caller-owned db that
 * tfit_cost_db_release() frees; tfit_cost_estimate() fills a caller-owned
 * result that tfit_cost_result_release() frees. Both releases are NULL-safe
 * and leave the struct empty. Results keep no pointer into the db, model or
 * device. Nothing here prints, exits or reads the environment.
 *
 * Errors: functions return a status and fill the caller's struct
 * tfit_error. A bad data file is TFIT_ERR_INPUT with its file and JSON path
 * ("cost/tflm.json: tables[2].cycles_per_unit.conv: error: expected a
 * positive number, got -1"); an unreadable directory is TFIT_ERR_IO; an
 * unknown runtime, or a model dtype/core no table covers, is TFIT_ERR_INPUT
 * naming what was asked and what exists.
 *
 * Units are in the names: _ms, _mj (millijoules), _mw, _mhz, _hz, _mah, _v.
 */
#ifndef TINYFIT_COST_H
#define TINYFIT_COST_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/device.h"
#include "tinyfit/error.h"
#include "tinyfit/graph.h"
#include "tinyfit/kernel_cost.h"
#include "tinyfit/strbuf.h"

/* The cost classes of a table: the op's cost_class, with 1x1 convolutions
 * split from the others. */
enum tfit_cost_kind {
	TFIT_COST_KIND_CONV = 0,     /* standard convolution (MACs) */
	TFIT_COST_KIND_CONV_1X1,     /* 1x1 stride-1 convolution (MACs) */
	TFIT_COST_KIND_DEPTHWISE,    /* MACs */
	TFIT_COST_KIND_FC,           /* fully connected, batch matmul (MACs) */
	TFIT_COST_KIND_RECURRENT,    /* LSTM, GRU, RNN, SVDF (MACs) */
	TFIT_COST_KIND_POOL,         /* pooling and reductions (element ops) */
	TFIT_COST_KIND_ELEMENTWISE,  /* arithmetic, activations, (re)quantize (element ops) */
	TFIT_COST_KIND_SOFTMAX,      /* element ops */
	TFIT_COST_KIND_DATA_MOVE,    /* reshape, concat, pad, ... (element ops) */
	TFIT_COST_KIND_COUNT
};
/* "conv", "conv_1x1", "depthwise", "fc", "recurrent", "pool",
 * "elementwise", "softmax", "data_move" (the data files' keys). */
const char *tfit_cost_kind_name(enum tfit_cost_kind k);
/* 1 when the kind's units are MACs, 0 when element operations. */
int tfit_cost_kind_counts_macs(enum tfit_cost_kind k);
/* The kind of an analysed op; -1 for ops that cost nothing (TFIT_COST_NONE). */
int tfit_cost_kind_of_op(const struct tfit_op *op);

/* Dtype columns of the tables. */
enum tfit_cost_dtype {
	TFIT_COST_DTYPE_INT8 = 0,    /* int8 / uint8 (and int4 weights) */
	TFIT_COST_DTYPE_INT16,       /* int16 activations (16x8 kernels) */
	TFIT_COST_DTYPE_FLOAT32,     /* float32 (float16 weights dequantised) */
	TFIT_COST_DTYPE_COUNT
};
const char *tfit_cost_dtype_name(enum tfit_cost_dtype d); /* "int8", "int16", "float32" */

/* One cost table: a runtime on some cores at one dtype. */
struct tfit_cost_table {
	char *id;                    /* "tflm-cmsis-nn/cortex-m4f/int8" */
	char **cores;                /* core ids it was measured on (exact match) */
	size_t n_cores;
	char **families;             /* core families it stands in for (fallback) */
	size_t n_families;
	enum tfit_cost_dtype dtype;
	char *version;               /* the runtime version measured; NULL: unversioned */
	int current;                 /* also answers a request without "@version" */
	int requires_fpu;            /* float32 table measured with a hardware FPU */
	double cycles_per_unit[TFIT_COST_KIND_COUNT];
	double op_overhead_cycles;
	char *sources[TFIT_COST_KIND_COUNT + 1]; /* [COUNT] = op_overhead_cycles */
	char *basis;                 /* "calibrated" or "prior" plus a sentence */
	/* Uncertainty from held-out residuals (tools/validate_latency.py): the
	 * latency is within [est / (1 + p), est x (1 + p)] for p = interval_pct
	 * / 100 on most held-out points; 0 = none (the runtime's prior interval
	 * applies) */
	double interval_pct;
	char *interval_source;
};

/* One runtime file: data/cost/<runtime>.json. */
struct tfit_cost_runtime {
	char *id;                    /* "tflm-cmsis-nn" */
	char *name;                  /* "TFLM + CMSIS-NN kernels" */
	char *file;                  /* where it was loaded from ("cost/<id>.json") */
	char *float_runtime;         /* float32 ops run on this runtime's tables; NULL = own */
	double int16_factor;         /* int16 cost = int8 table x factor when no int16 table */
	char *int16_source;
	double soft_float_factor;    /* float32 on a core without an FPU */
	char *soft_float_source;
	double prior_interval_pct;   /* interval of tables no held-out point supports; 0 = none */
	char *prior_interval_source;
	/* Non-NULL: its tables were fitted with the weights' flash wait states
	 * taken out, so an estimate adds them back (data/cost/flash.json);
	 * the text says why. NULL: no flash term. */
	char *flash_weights_source;
	struct tfit_cost_not_for {   /* families it has no table for on purpose */
		char *family;        /* "arm-a" */
		char *reason;        /* said instead of an estimate */
	} *not_for;
	size_t n_not_for;
	struct tfit_cost_table *tables;
	size_t n_tables;
};

/* Accelerator kinds ("npu", "tpu", "cnn", "gpu", "dsp"): which cost kinds
 * they run and at what fraction of peak (data/cost/accelerators.json). */
struct tfit_cost_accel {
	char *kind;
	double utilization[TFIT_COST_KIND_COUNT]; /* 0 = the kind runs on the CPU */
	double op_overhead_us;       /* per op offloaded (driver, DMA setup) */
	char *source;
};

/* Per-operation energy (data/cost/energy.json; course-formulas.md). */
struct tfit_cost_energy {
	double mac_pj[TFIT_COST_DTYPE_COUNT];   /* one multiply + one accumulate */
	double elem_pj[TFIT_COST_DTYPE_COUNT];  /* one element operation */
	double sram_read_pj_per_byte;           /* on-chip SRAM, per byte moved */
	char *source;
};

/* External memory penalties (data/cost/memory.json). */
struct tfit_cost_memory {
	double weights_external_factor;     /* cycles x this when weights are in
					       external (XIP) flash */
	double activations_external_factor; /* when the arena is in PSRAM/SDRAM */
	char *weights_source;
	char *activations_source;
};

/* On-chip flash of one chip (data/cost/flash.json): the wait states at a
 * clock, the flash clock divider and the bytes one access returns. */
struct tfit_cost_flash_chip {
	char *match;                 /* a part number prefix found in the profile's mcu */
	double clock_mhz;            /* the core clock the wait states are given at */
	double wait_states;
	double clock_divider;        /* core cycles per flash clock cycle */
	double access_bytes;
	char *source;
};

struct tfit_cost_flash {
	char *assumption;            /* the ART/cache assumption, stated */
	struct tfit_cost_flash_chip *chips;
	size_t n_chips;
};

struct tfit_cost_db {
	struct tfit_cost_runtime *runtimes;
	size_t n_runtimes;
	struct tfit_cost_accel *accels;
	size_t n_accels;
	struct tfit_cost_energy energy;
	struct tfit_cost_memory memory;
	struct tfit_cost_flash flash;    /* cost/flash.json; empty when absent */
	struct tfit_kernel_model kernels; /* cost/kernels.json; empty when absent */
	char *dir;                   /* the directory loaded */
	int compiled;                /* 1: compiled into the executable (shipped
					data): tfit_cost_db_release frees nothing */
	/* NULL, or the kernel memo of the model a caller costs on many boards
	 * (tfit_cost_kernel_memo_new): set by that caller on its own copy of
	 * the db, never loaded or compiled; not owned (the release leaves it) */
	struct tfit_cost_kernel_memo *kernel_memo;
};

void tfit_cost_db_init(struct tfit_cost_db *db);
void tfit_cost_db_release(struct tfit_cost_db *db);

/*
 * A model's kernel instructions, kept across estimates. The instructions
 * of an int8 op's kernel (kernel_cost.h) depend on the op's shape and on
 * the implementation, instructions core and build of the board, not on the
 * board: `compare --all` costs each op on 62 boards that run six of those.
 * The memo sorts m's ops of subgraph 0 into classes of equal
 * kernel shape once, and keeps for each implementation x core x build an
 * estimate meets each class's code path and instructions. Estimates of m
 * through a db whose kernel_memo is this memo read them there; estimates of
 * any other model, or through a db without one, compute them as before:
 * the figures are the same, to the bit, either way.
 *
 * Ownership: the caller's; m must outlive the memo and must not change
 * while the memo is attached (a model converted in place for advice is
 * another model: detach first). Not for concurrent use (estimates fill it).
 * tfit_cost_kernel_memo_free is NULL-safe. Errors: TFIT_ERR_NOMEM.
 */
struct tfit_cost_kernel_memo;
enum tfit_status tfit_cost_kernel_memo_new(const struct tfit_model *m,
					   struct tfit_cost_kernel_memo **out,
					   struct tfit_error *err);
void tfit_cost_kernel_memo_free(struct tfit_cost_kernel_memo *memo);

/*
 * Append db as C static initialisers to out: objects named sym_N and last
 * `static const struct tfit_cost_db sym` (compiled = 1, dir NULL). The
 * build compiles the shipped tables this way (src/gen/tfit_datagen.c).
 */
void tfit_cost_db_emit_c(const struct tfit_cost_db *db, const char *sym, struct tfit_strbuf *out);

/*
 * Load data_dir/cost/: every "<runtime>.json" with "runtime" at its top
 * level, plus accelerators.json, energy.json and memory.json (all four
 * kinds are required; calibration-systems.json and other files without a
 * known top-level key are ignored). data_dir is the staged share/tinyfit
 * directory (the CLI's ctx->data_dir). Files are named in messages as
 * "cost/<name>". Errors: TFIT_ERR_IO (directory or file unreadable),
 * TFIT_ERR_INPUT (a bad file, a duplicate runtime id, a float_runtime that
 * names no runtime). On error db is left empty.
 */
enum tfit_status tfit_cost_db_load(const char *data_dir, struct tfit_cost_db *db,
				   struct tfit_error *err);

/* A runtime by id (exact; any "@version" suffix is ignored); NULL if none. */
const struct tfit_cost_runtime *tfit_cost_db_runtime(const struct tfit_cost_db *db,
						     const char *runtime_id);

/*
 * What the model runs on. tfit_cost_target_from_device() fills it from a
 * profile; the calibration test builds it by hand for systems no profile
 * describes. Strings are borrowed (not copied, not freed).
 */
struct tfit_cost_target {
	const char *core_id;         /* "cortex-m4f" (must be non-NULL) */
	const char *family;          /* "arm-m-dsp" (tfit_core_family_name), or NULL */
	double clock_mhz;            /* > 0 */
	enum tfit_fpu fpu;           /* TFIT_FPU_NONE: float32 is emulated */
	const char *accel_kind;      /* "npu", ... or NULL: no accelerator */
	double accel_macs_per_cycle; /* peak int8 MACs per accelerator cycle; 0 = unknown */
	double accel_clock_mhz;      /* 0: the core clock */
	double accel_tops;           /* peak int8 TOPS; used when macs_per_cycle is 0 */
	double active_power_mw;      /* 0 = unknown: no energy (only the lower bound) */
	const char *active_power_scope; /* "board", "chip" or NULL (profile silent) */
	int weights_external;        /* 1: weights read from external memory
					(ext-flash, psram, sdram) */
	int weights_ext_flash;       /* 1: that memory is external flash (XIP
					through a cache): no factor applies, the
					effect is not modelled (cost_estimate.c) */
	int activations_external;    /* 1: the arena sits in PSRAM/SDRAM */
	/* Where they are, for the method text ("region 'psram' (psram)");
	 * NULL: "external flash" / "external RAM". Borrowed. */
	const char *weights_where;
	const char *activations_where;
	const char *name;            /* for messages and the method string ("nucleo_l4r5zi") */
	const char *mcu;             /* the chip ("STMicroelectronics STM32L4R5ZIT6") or NULL:
					picks its flash wait states (data/cost/flash.json) */
};

/*
 * Fill t from dev. weights_external and weights_ext_flash are set when the
 * board has no on-chip flash but external flash (RP2040, ESP32 modules), or
 * when model_weights_bytes exceeds the on-chip flash less the reserve while
 * external flash exists;
 * activations_external is left 0 (the caller sets it from a plan when the
 * arena does not fit SRAM and the board has PSRAM). Errors: TFIT_ERR_INPUT
 * when the profile has no clock ("device 'x' has no clock_mhz: latency
 * cannot be estimated").
 */
enum tfit_status tfit_cost_target_from_device(const struct tfit_device *dev,
					      uint64_t model_weights_bytes,
					      struct tfit_cost_target *t,
					      struct tfit_error *err);

/*
 * Core cycles one weight byte costs when read from the on-chip flash of
 * chip mcu at clock_mhz: wait states x clock divider / access bytes, the
 * wait states scaled to the clock at a fixed access time
 * (ceil((ws + 1) x clock / chip clock) - 1). 0 when no chip of the flash
 * file matches; *chip and *ws (when non-NULL) get the entry and the wait
 * states used.
 */
double tfit_cost_flash_cycles_per_byte(const struct tfit_cost_flash *f, const char *mcu,
				       double clock_mhz, const struct tfit_cost_flash_chip **chip,
				       double *ws);

/* Parse cost/flash.json (root: its cJSON object) into f (released by
 * tfit_cost_flash_release). */
enum tfit_status tfit_cost_flash_parse(const void *root, const char *file,
				       struct tfit_cost_flash *f, struct tfit_error *err);
void tfit_cost_flash_release(struct tfit_cost_flash *f);

/* Where an op ran. */
enum tfit_cost_unit { TFIT_COST_ON_CPU = 0, TFIT_COST_ON_ACCEL };

/*
 * One op's estimate, 24 bytes: what cannot be derived from the totals. Its
 * latency, share of the model's latency and energy come from the result
 * through tfit_cost_op_latency_ms, _share and _energy_mj (computed as the
 * estimate always computed them, to the bit).
 */
struct tfit_cost_op {
	double cycles;               /* in core clock cycles (accelerator time converted) */
	double energy_lower_bound_mj; /* per-operation (45 nm) lower bound, always */
	int16_t kind;                /* enum tfit_cost_kind, or -1 (free op) */
	uint8_t dtype;               /* enum tfit_cost_dtype */
	uint8_t unit;                /* enum tfit_cost_unit */
};

/*
 * Energy means one thing: the profile's sourced active power x the
 * estimated latency. A board without a power figure has no energy (NaN);
 * the per-operation lower bound (45 nm figures of the TinyML course) is a
 * different quantity and lives in its own field, energy_lower_bound_mj.
 */
enum tfit_energy_basis {
	TFIT_ENERGY_PROFILE_POWER = 0, /* active power from the profile x latency */
	TFIT_ENERGY_NO_POWER           /* no power figure: energy unknown (NaN) */
};

#define TFIT_COST_TEXT_MAX 512

struct tfit_cost_result {
	struct tfit_cost_op *ops;    /* n_ops entries (subgraph 0) */
	uint32_t n_ops;
	double cycles;               /* total, core clock cycles */
	double latency_ms;           /* total */
	double clock_mhz;
	double energy_mj;            /* per inference: power x latency; NaN without power */
	enum tfit_energy_basis energy_basis;
	double power_mw;             /* the profile's active power; 0 without one */
	const char *power_scope;     /* "board", "chip" or NULL (unstated); borrowed */
	double energy_lower_bound_mj; /* per-operation lower bound (its own quantity) */
	int used_accelerator;
	char runtime[64];            /* "tflm-cmsis-nn" as asked */
	/* How far off the latency may be: the widest interval of the tables
	 * used (a table without one, or ops on an uncalibrated accelerator, take
	 * the runtime's prior interval). interval_pct 0 = unknown (the data
	 * give none); then low = high = latency_ms. Energy from power x latency
	 * scales with the same interval. */
	double interval_pct;
	double latency_ms_low, latency_ms_high;
	int interval_prior;          /* 1: no held-out measurement supports it */
	char interval_basis[TFIT_COST_TEXT_MAX];
	char table[TFIT_COST_TEXT_MAX];  /* table ids used, comma-separated */
	char *method;                /* "estimate: cost table ..., 120 MHz, ...": owned
					(freed by tfit_cost_result_release), as long as the
					method needs, never cut */
	char energy_method[TFIT_COST_TEXT_MAX];
	char energy_lower_bound_method[TFIT_COST_TEXT_MAX];
};

void tfit_cost_result_release(struct tfit_cost_result *r);

/* Op i's latency (cycles / clock), its fraction of the model's latency
 * (0..1; 0 when the model's cycles are 0) and its energy (active power x
 * latency; NaN without a power figure). i < r->n_ops. */
double tfit_cost_op_latency_ms(const struct tfit_cost_result *r, uint32_t i);
double tfit_cost_op_share(const struct tfit_cost_result *r, uint32_t i);
double tfit_cost_op_energy_mj(const struct tfit_cost_result *r, uint32_t i);

/*
 * Estimate every op of subgraph 0 of m (analysed, as readers return it) on
 * target with runtime_id ("tflm", "tflm-cmsis-nn", "x-cube-ai@7.3", ...).
 * Errors: TFIT_ERR_INPUT for an unknown runtime ("unknown runtime 'x'
 * (cost tables exist for: a, b, ...)"), a runtime with no table for the
 * core or its family, or a dtype with no table and no fallback;
 * TFIT_ERR_NOMEM. On error out is left empty.
 */
enum tfit_status tfit_cost_estimate_target(const struct tfit_cost_db *db,
					   const struct tfit_model *m,
					   const struct tfit_cost_target *target,
					   const char *runtime_id,
					   struct tfit_cost_result *out,
					   struct tfit_error *err);

/*
 * The same for a board: tfit_cost_target_from_device() then
 * tfit_cost_estimate_target(). runtime_id NULL = the board's runtime
 * (dev->runtime).
 */
enum tfit_status tfit_cost_estimate(const struct tfit_cost_db *db, const struct tfit_model *m,
				    const struct tfit_device *dev, const char *runtime_id,
				    struct tfit_cost_result *out, struct tfit_error *err);

/* ---- duty cycle and battery (src/cost/cost_energy.c) ---- */

struct tfit_battery_req {
	double rate_hz;              /* inferences per second (> 0) */
	double awake_s;              /* --duty ON: awake this long at active power per
					inference (0 = awake only for the inference) */
	double capacity_mah;         /* > 0 */
	double voltage_v;            /* > 0 */
	double sleep_power_mw;       /* between inferences; < 0 = use the profile's or 0 */
};

struct tfit_battery_result {
	int known;                   /* 0: no active power figure, nothing computed */
	double duty;                 /* fraction of time awake: max(awake, latency) x rate */
	int feasible;                /* 0 when duty > 1 (inferences cannot keep up) */
	double average_power_mw;     /* active power x duty + sleep power x (1 - duty) */
	double energy_per_hour_mwh;
	double life_hours;           /* capacity x voltage / average power; 0 if infeasible */
	double life_days;
	int sleep_power_known;       /* 0: no sleep figure, 0 mW assumed (optimistic) */
};

/*
 * Rate from a duty-cycle string's parts: one inference every period_s
 * (--duty 5s/30s means 5 s active window every 30 s: rate = 1/30 Hz).
 * Returns 1 / period_s; TFIT_ERR_USAGE when period_s <= 0.
 */
enum tfit_status tfit_cost_rate_from_period(double period_s, double *rate_hz,
					    struct tfit_error *err);

/*
 * Battery life of running the estimate r at req->rate_hz on a battery.
 * Each period (1 / rate) the board is awake for max(req->awake_s, latency)
 * at r->power_mw (the profile's active power) and asleep for the rest:
 * average = active x duty + sleep x (1 - duty), duty = awake x rate. So
 * --duty 5s/30s costs the whole 5 s window, not only the inference.
 * Without an active power figure (r->energy_basis != PROFILE_POWER) out->known
 * is 0 and nothing is computed. Sleep power: req->sleep_power_mw when >= 0,
 * else dev_sleep_power_mw when > 0, else 0 (sleep_power_known = 0: sleep
 * not included). Errors: TFIT_ERR_USAGE for a non-positive rate, capacity
 * or voltage, or a negative awake time.
 */
enum tfit_status tfit_cost_battery(const struct tfit_cost_result *r,
				   const struct tfit_battery_req *req,
				   double dev_sleep_power_mw,
				   struct tfit_battery_result *out, struct tfit_error *err);

/* ---- real time ---- */

struct tfit_realtime_result {
	double deadline_ms;
	double latency_ms;
	int pass;                    /* latency <= deadline */
	double margin_ms;            /* deadline - latency (negative when failing) */
	double margin_pct;           /* margin / deadline x 100 */
	double utilization;          /* latency / deadline */
};

/*
 * Deadline of a streaming model: one inference per window. window_s > 0:
 * the window's duration; else window_samples > 0: window_samples / rate_hz;
 * else one inference per sample: 1 / rate_hz (the course's rule).
 * Result in ms. TFIT_ERR_USAGE when nothing positive is given.
 */
enum tfit_status tfit_cost_deadline_ms(double rate_hz, double window_s, double window_samples,
				       double *deadline_ms, struct tfit_error *err);

/* Check latency_ms against deadline_ms (> 0; else TFIT_ERR_USAGE). */
enum tfit_status tfit_cost_realtime_check(double latency_ms, double deadline_ms,
					  struct tfit_realtime_result *out,
					  struct tfit_error *err);

#endif
