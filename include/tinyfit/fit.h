/*
 * fit.h - budgets, verdicts and advice: does a model fit a device?
 *
 * Two methods:
 *  - planned (default): flash = model bytes (the .tflite file, or the
 *    converter's weights plus an estimated container overhead) + the
 *    runtime's code + the device's firmware reserve; SRAM = the tensor arena
 *    as TFLM plans it (plan.h) + the runtime's state outside the arena
 *    (interpreter, op resolver) + the reserve (stack, application). The arena
 *    must also fit the largest contiguous SRAM region.
 *  - textbook: the TinyML course formulas (../shared/reference/
 *    course-formulas.md): model size = params x bytes per param, required
 *    RAM = model size x multiplier, latency = FLOPs / (MHz x efficiency);
 *    checked against the device's total flash and RAM, no reserve.
 *
 * Ownership: a struct tfit_fit_result owns nothing but fixed-size fields;
 * its device pointer is borrowed from the device database. A struct
 * tfit_fit_ctx caches one arena plan per runtime for a model; release it
 * with tfit_fit_ctx_release(). Nothing here prints.
 */
#ifndef TINYFIT_FIT_H
#define TINYFIT_FIT_H

#include <stdint.h>

#include "tinyfit/device.h"
#include "tinyfit/error.h"
#include "tinyfit/graph.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

enum tfit_method { TFIT_METHOD_PLANNED = 0, TFIT_METHOD_TEXTBOOK };
const char *tfit_method_name(enum tfit_method m);

/* What limits the fit. */
enum tfit_resource {
	TFIT_RES_NONE = 0,     /* fits with room to spare on everything */
	TFIT_RES_FLASH,        /* the firmware image vs the app slot */
	TFIT_RES_SRAM,         /* everything in on-chip RAM vs its total */
	TFIT_RES_ARENA_REGION, /* the arena vs the usable size of its region */
	TFIT_RES_UNKNOWN,      /* the profile lacks the figure needed */
	TFIT_RES_WEIGHTS_REGION, /* the model vs the usable size of --weights-in */
	TFIT_RES_MISSING_REGION /* --arena-in/--weights-in named a memory the profile lacks */
};
/* "none", "flash", "sram", "sram_region", "unknown", "weights_region",
 * "missing_region": the id JSON and CSV carry. */
const char *tfit_resource_name(enum tfit_resource r);

/*
 * The verdict. Never optimistic: a fact the verdict needs that the profile
 * does not give (or gives without a source) makes it UNKNOWN, never FITS.
 * DOES_NOT_RUN: an op the runtime cannot execute (an Ethos-U op on a board
 * without an Ethos-U, a custom op the runtime has no kernel for, a hybrid
 * model TFLM rejects); the memory figures are still reported.
 */
enum tfit_verdict {
	TFIT_VERDICT_FITS = 0,
	TFIT_VERDICT_DOES_NOT_FIT,
	TFIT_VERDICT_DOES_NOT_RUN,
	TFIT_VERDICT_UNKNOWN
};
/* "fits", "does not fit", "does not run", "unknown". */
const char *tfit_verdict_name(enum tfit_verdict v);
/* "fits", "does_not_fit", "does_not_run", "unknown" (JSON, CSV). */
const char *tfit_verdict_id(enum tfit_verdict v);
/* Exit codes (docs/budgets.md): 0 fits, 1 does not fit / does not run, 3 unknown. */
int tfit_verdict_exit_code(enum tfit_verdict v);
/* The worse of two verdicts for a combined exit status: does not fit /
 * does not run > unknown > fits. */
enum tfit_verdict tfit_verdict_worse(enum tfit_verdict a, enum tfit_verdict b);

/* Defaults of the textbook method (course-formulas.md). */
#define TFIT_TEXTBOOK_ARENA_MULTIPLIER 2.5
#define TFIT_TEXTBOOK_EFFICIENCY 0.5

/*
 * Container overhead of a .tflite built by the converter, for models that
 * are not read from a .tflite file (estimate; docs/budgets.md): per
 * quantization scale (float scale + int64 zero point + vector slack), per
 * tensor (table, shape, name), per operator. Fitted on the 34 reference
 * models in ../shared/models (within about 10% for the MLPerf Tiny ones).
 */
#define TFIT_TFLITE_BYTES_PER_SCALE 16
#define TFIT_TFLITE_BYTES_PER_TENSOR 220
#define TFIT_TFLITE_BYTES_PER_OP 40

struct tfit_fit_opts {
	enum tfit_method method;
	double arena_multiplier;        /* textbook */
	double efficiency;              /* textbook */
	int has_reserve_flash, has_reserve_sram;  /* command-line overrides */
	uint64_t reserve_flash_bytes, reserve_sram_bytes;
	/* placement (planned method): region names of the device; NULL = default
	 * (arena: the largest usable internal RAM region; weights: the app flash) */
	const char *arena_in;
	const char *weights_in;
	uint64_t partition_bytes;       /* app slot size (each slot with ota); 0 = profile's */
	int ota;                        /* two app slots: the image must fit one */
	/* compare: a region name a board lacks makes that board's verdict
	 * (with the reason) instead of a usage error, so one board without
	 * 'dtcm' does not abort a comparison of many */
	int missing_region_is_verdict;
};
void tfit_fit_opts_init(struct tfit_fit_opts *o);

/* Where the app slot size comes from. */
enum tfit_slot_from {
	TFIT_SLOT_UNKNOWN = 0,          /* the profile has no usable flash figure */
	TFIT_SLOT_PROFILE,              /* the region's usable size (app slot / max image) */
	TFIT_SLOT_PARTITION,            /* --partition */
	TFIT_SLOT_OTA_PROFILE,          /* --ota: the profile's two-slot layout */
	TFIT_SLOT_OTA_HALF,             /* --ota: half the usable app space */
	TFIT_SLOT_TOTAL                 /* textbook: the physical total */
};

/* "unknown", "profile", "partition", "ota_profile", "ota_half", "total". */
const char *tfit_slot_from_id(enum tfit_slot_from f);

struct tfit_fit_flash {
	uint64_t used_bytes;            /* the firmware image: model (when in this flash) + runtime + reserve */
	uint64_t available_bytes;       /* the app slot; 0 = unknown */
	uint64_t region_bytes;          /* physical size of the app flash region; 0 = unknown */
	char region_name[64];           /* "" = none */
	enum tfit_slot_from slot_from;
	int model_in_image;             /* the model is part of the firmware image */
	uint64_t model_bytes;           /* weights + container */
	uint64_t weights_bytes;
	uint64_t overhead_bytes;        /* container: exact for .tflite, else estimated */
	int model_exact;                /* model_bytes is the .tflite file's size */
	uint64_t runtime_bytes;         /* runtime code, from the runtime profile */
	const char *runtime_measured_on; /* where the profile measured it; NULL: estimate */
	uint64_t reserve_bytes;
};

struct tfit_fit_sram {
	uint64_t used_bytes;
	uint64_t available_bytes;       /* 0 = unknown */
	uint64_t arena_bytes;           /* kTensorArenaSize (planned) / required RAM (textbook) */
	uint64_t arena_head_bytes;
	uint64_t arena_tail_bytes;
	uint64_t lower_bound_bytes;
	int arena_offline_plan;         /* the head is the model's OfflineMemoryAllocation plan */
	uint64_t runtime_bytes;         /* interpreter + op resolver outside the arena (estimate) */
	uint64_t reserve_bytes;
	/* the arena's region (planned method) */
	char region_name[64];           /* "" = no RAM region known */
	enum tfit_mem_kind region_kind;
	uint64_t region_bytes;          /* its usable size; 0 = unknown */
	uint64_t region_size_bytes;     /* its physical size */
	uint64_t region_used_bytes;     /* arena (+ weights placed there) */
	int region_external;            /* psram / sdram: slower */
	int arena_placed;               /* --arena-in chose the region */
};

/* The model's weights when --weights-in puts them outside the app image. */
struct tfit_fit_weights {
	int placed;                     /* --weights-in given */
	char region_name[64];
	enum tfit_mem_kind region_kind;
	uint64_t used_bytes;            /* what goes there */
	uint64_t available_bytes;       /* usable; 0 = unknown */
	uint64_t region_bytes;          /* physical size */
	int same_as_arena;              /* counted in the arena region's check */
};

#define TFIT_FIT_NAME_MAX 128
#define TFIT_FIT_PEAK_MAX 8

struct tfit_fit_tensor {
	char name[TFIT_FIT_NAME_MAX];
	uint64_t bytes;
	int32_t producer;               /* op index in subgraph 0, -1 = graph input */
};

/*
 * The runtime's words for what it deploys (a copy of its profile's
 * struct tfit_runtime_terms, so a result outlives the profile): the
 * renderers name the model in flash, the working buffer and the runtime's
 * own RAM and code with these, never with a runtime's id.
 */
struct tfit_fit_terms {
	enum tfit_model_stored model_stored;
	/* char model[48], model_constant[64], arena[48], ... note[256],
	 * title[64]: TFIT_TERM_SIZES (runtime.h), which the parser checks */
#define TFIT_FIT_TERM_FIELD(f, size) char f[size];
	TFIT_TERM_SIZES(TFIT_FIT_TERM_FIELD)
#undef TFIT_FIT_TERM_FIELD
};

struct tfit_fit_result {
	const struct tfit_device *device;
	char runtime[64];
	struct tfit_fit_terms terms;    /* the runtime's words (planned method) */
	enum tfit_method method;
	int fits;                       /* verdict == TFIT_VERDICT_FITS */
	enum tfit_verdict verdict;
	char reason[512];               /* why not fits (does not run / unknown / does not fit) */
	int placement_missing;          /* --arena-in/--weights-in named a memory kind the board lacks */
	char missing_region[64];        /* that name ("psram"); "" when none is missing */
	enum tfit_resource limiting;
	/* 1: the runtime has cost tables but no memory profile
	 * (data/runtimes/): flash and SRAM use are unknown, the verdict is
	 * unknown, memory_note says why (never another runtime's numbers) */
	int memory_unknown;
	char memory_note[256];
	/* 1: the runtime's code and RAM figures are a bound fitted to data
	 * (a fitted code table: x-cube-ai) that does not cover this model or
	 * board, so the verdict is unknown (reason says why). Then
	 * flash.runtime_bytes and sram.runtime_bytes are the fit's
	 * extrapolation, not a bound: the reports show them, the used totals
	 * and their margins as unknown; flash_percent, sram_percent and
	 * sram_total_percent are NaN. The other terms stay known. */
	int runtime_outside;
	char outside_reason[256];       /* why, when runtime_outside (else "") */
	struct tfit_fit_flash flash;
	struct tfit_fit_sram sram;
	struct tfit_fit_weights weights;
	double flash_percent;           /* used / available x 100; NaN when unknown */
	double sram_percent;            /* the binding one of total and region; NaN when unknown */
	double sram_total_percent;      /* on-chip RAM used / total */
	double region_percent;          /* arena region used / usable */
	int sram_binding_region;        /* sram_percent is the region's */
	int64_t flash_margin_bytes;     /* available - used (negative: over) */
	int64_t sram_margin_bytes;      /* of the binding SRAM limit */

	/* planned method: where the arena peaks */
	int32_t peak_op;                /* op index in subgraph 0, -1 = before the first op */
	char peak_op_name[TFIT_FIT_NAME_MAX];
	struct tfit_fit_tensor peak[TFIT_FIT_PEAK_MAX]; /* largest live buffers, largest first */
	uint32_t n_peak;
	double planner_efficiency;

	/* textbook method */
	double textbook_model_bytes;    /* params x bytes per param (may be fractional for int4) */
	double textbook_ram_bytes;      /* model x multiplier */
	double textbook_latency_ms;     /* FLOPs / (MHz x 1e6 x efficiency) x 1000; NaN w/o clock */
	double arena_multiplier;
	double efficiency;
};

/*
 * Plans cached per runtime id for one model. The runtime profiles come from
 * runtime_set when the caller sets it after tfit_fit_ctx_init (shared by
 * every context of the process, each profile loaded once; the set must
 * outlive the context), else each context loads its own from data_dir.
 */
struct tfit_cost_db;
struct tfit_cost_result;

struct tfit_fit_ctx {
	const struct tfit_model *model;
	const char *data_dir;
	/* the cost model, when the caller has one: the advice then gives the
	 * latency of an external-memory placement (NULL: no latency there) */
	const struct tfit_cost_db *cost_db;
	struct tfit_runtime_set *runtime_set; /* NULL: load from data_dir */
	const struct tfit_runtime *runtimes[8];
	int owned[8];                   /* 1: loaded by this context, freed with it */
	struct tfit_arena_plan plans[8];
	int dropped[8];                 /* 1: released by tfit_fit_ctx_drop_plans */
	enum tfit_status status[8];
	/* a failed plan's error (a heap copy: 4.8 KiB each, so the context
	 * stays small enough for a stack frame); NULL when it planned */
	struct tfit_error *errors[8];
	uint32_t n;
	/* per runtime (parallel to runtimes): the models `tinyfit optimize`
	 * writes for this model, computed once when advice first needs them
	 * and reused on every board (advice_optimize.c); freed with the
	 * context */
	struct tfit_fit_optimized *optimized[8];
	/* the model's distinct op types ("conv_2d", "custom:NAME"), listed
	 * when a board is first evaluated and kept for the others; the code
	 * bytes each runtime code table gives them (fit.c,
	 * runtime_flash_bytes: a compare evaluates every board with the same
	 * few tables). Freed with the context. */
	const char **op_keys;
	char **op_keys_owned;
	size_t n_op_keys, n_op_keys_owned;
	int op_keys_listed;
	struct {
		const struct tfit_code_table *code;
		uint64_t bytes;
	} code_bytes[16];
	uint32_t n_code_bytes;
	/* the ids of the runtimes with a memory profile (tfit_runtime_ids),
	 * listed once; NULL until then */
	char **memory_ids;
	int memory_ids_failed;          /* listing them failed */
};

void tfit_fit_ctx_init(struct tfit_fit_ctx *c, const struct tfit_model *m, const char *data_dir);
void tfit_fit_ctx_release(struct tfit_fit_ctx *c);
/* Release the runtimes and plans c took after its first n (what a step
 * planned only to compute a number: the advice's other boards). Pointers
 * to them must not be kept; asked for again, they are planned again. */
void tfit_fit_ctx_forget_from(struct tfit_fit_ctx *c, uint32_t n);
/* Release the plans c holds while a step needs the memory (the runtimes
 * and everything else stay), but for runtime keep_id[keep_len] (NULL: all
 * of them); tfit_fit_ctx_replan plans them again in
 * place, so pointers to them stay valid and, once replanned, hold the
 * same plan (the model must be as it was). tfit_fit_ctx_plan replans a
 * dropped one when asked. Errors: those of tfit_plan_arena (memory). */
void tfit_fit_ctx_drop_plans(struct tfit_fit_ctx *c, const char *keep_id, size_t keep_len);
enum tfit_status tfit_fit_ctx_replan(struct tfit_fit_ctx *c, struct tfit_error *err);
/* The plan and runtime for runtime id rt_id (loaded and planned once). */
enum tfit_status tfit_fit_ctx_plan(struct tfit_fit_ctx *c, const char *rt_id,
				   const struct tfit_runtime **rt,
				   const struct tfit_arena_plan **plan, struct tfit_error *err);

/*
 * Evaluate the model on a device with the given runtime id (NULL = the
 * device's default) and method. Errors: unknown runtime, a model TFLM
 * cannot run (the planner's diagnosis), overflow.
 */
enum tfit_status tfit_fit_evaluate(struct tfit_fit_ctx *c, const struct tfit_device *d,
				   const char *runtime_id, const struct tfit_fit_opts *o,
				   struct tfit_fit_result *r, struct tfit_error *err);

/*
 * Where the placement of a planned result puts the data an inference reads,
 * for the latency model's external-memory costs: the weights are read from
 * external memory (ext-flash, psram, sdram: --weights-in, or the app image
 * in external flash), the arena is in external RAM (--arena-in psram/sdram).
 * For a textbook result both are 0.
 */
int tfit_fit_weights_external(const struct tfit_fit_result *r);
/* Where the weights are read from, for the latency method: "region 'psram'
 * (psram)" with --weights-in, "region 'flash' (ext-flash)" for an app image
 * in external flash; written to buf, returned; NULL when the weights are not
 * external. */
const char *tfit_fit_weights_where(const struct tfit_fit_result *r, char *buf, size_t size);
int tfit_fit_arena_external(const struct tfit_fit_result *r);

/*
 * The latency and energy estimate of m for a fit result, with the external-
 * memory costs of its placement (tfit_fit_weights_external / _arena_external,
 * named in the method text). cr is the caller's (tfit_cost_result_release).
 */
enum tfit_status tfit_fit_cost(const struct tfit_cost_db *db, const struct tfit_model *m,
			       const struct tfit_fit_result *r, struct tfit_cost_result *cr,
			       struct tfit_error *err);

/*
 * What limits r, for people: "no psram region" when the placement named a
 * memory the profile lacks, else tfit_resource_name(r->limiting). Written to
 * buf (or a static name returned); never NULL.
 */
const char *tfit_fit_limiting_text(const struct tfit_fit_result *r, char *buf, size_t size);

/* avail - used as a signed margin, saturating (negative: over). */
int64_t tfit_fit_margin(uint64_t used, uint64_t avail);

/*
 * Bytes the model takes in flash as the runtime stores it: the .tflite
 * file (its size, or weights + an estimated container for other formats)
 * for TFIT_MODEL_STORED_FILE; the weights blob (the model's constant
 * tensors, an estimate: *exact = 0, *overhead_bytes = 0) for
 * TFIT_MODEL_STORED_WEIGHTS.
 */
uint64_t tfit_fit_model_flash_bytes(const struct tfit_model *m, enum tfit_model_stored stored,
				    int *exact, uint64_t *overhead_bytes);



/* ---- advice: what to change to make it fit (advice.c) ---- */

enum tfit_option_kind {
	TFIT_OPTION_QUANTIZE = 0,   /* convert to a smaller dtype */
	TFIT_OPTION_SHRINK_LAYER,   /* the layer whose output dominates the arena peak */
	TFIT_OPTION_OTHER_BOARD,    /* the cheapest board in the database that fits */
	TFIT_OPTION_OPTIMIZE,       /* tinyfit optimize's memory plan (docs/optimize.md) */
	TFIT_OPTION_EXTERNAL_MEMORY /* the arena in PSRAM/SDRAM, the weights in external flash */
};
const char *tfit_option_kind_name(enum tfit_option_kind k);

struct tfit_fit_option {
	enum tfit_option_kind kind;
	char text[384];             /* one line for humans */
	int fits;                   /* the result fits (quantize, other board) */
	int has_numbers;            /* the used/available fields below are set */
	uint64_t flash_used_bytes, flash_available_bytes;
	uint64_t sram_used_bytes, sram_available_bytes;
	enum tfit_dtype dtype;      /* quantize: the target dtype */
	char layer[TFIT_FIT_NAME_MAX]; /* shrink: the layer/op name */
	uint64_t layer_output_bytes;   /* shrink: its output's bytes at the peak */
	char device_id[64];         /* other board */
	double price_usd;           /* other board: 0 = unknown */
	/* external memory: the placement re-evaluated (--arena-in or
	 * --weights-in REGION), what goes there, and the latency of both
	 * placements (NaN: no estimate) */
	char option[16];            /* "--arena-in", "--weights-in" */
	char region[64];            /* the region's name */
	enum tfit_mem_kind region_kind;
	uint64_t region_size_bytes; /* physical size */
	uint64_t region_usable_bytes;
	uint64_t placed_bytes;      /* the arena, or the model */
	double latency_ms;          /* with the placement */
	double latency_internal_ms; /* as checked (internal) */
	/* optimize: the model `tinyfit optimize` writes (docs/optimize.md) */
	int patched;                /* 1: patch-based execution and the plan;
				       0: the memory plan alone */
	uint64_t arena_bytes;       /* its kTensorArenaSize */
	double mac_overhead;        /* MACs it adds, a fraction of the model's */
	char patches[96];           /* patched: "4x4 ops 0-3; 2x2 ops 10-18" */
};

#define TFIT_FIT_OPTIONS_MAX 6

struct tfit_fit_advice {
	uint64_t flash_over_bytes;  /* how much must go (0 when flash fits) */
	uint64_t sram_over_bytes;   /* includes the arena's excess over the largest region */
	struct tfit_fit_option options[TFIT_FIT_OPTIONS_MAX];
	uint32_t n_options;         /* ranked: options that fit first, then by least change */
};

/*
 * The external-memory options alone (TFIT_OPTION_EXTERNAL_MEMORY, as
 * tfit_fit_advise gives them): for an r that does not fit, the arena
 * re-evaluated in the board's first PSRAM/SDRAM region that makes it fit,
 * or the weights in its first external flash, each offered only when that
 * placement fits (o: the options r was evaluated with; NULL: none offered). out
 * holds only those (n_options 0: none). compare's per-row advice.
 */
enum tfit_status tfit_fit_advise_external(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					  const struct tfit_fit_opts *o, struct tfit_fit_advice *out);

/*
 * The "fits after `tinyfit optimize`" option alone (TFIT_OPTION_OPTIMIZE,
 * exactly as tfit_fit_advise gives it): for a planned r of a .tflite whose
 * arena does not fit, the model optimize writes for r's board, evaluated
 * there with o. The optimisation itself is computed once per model and
 * runtime and kept in c (the patch-based rewrite does not depend on the
 * board; only whether it or the plan alone is offered does). out holds
 * only that option, and only when the optimised model fits r's board
 * (n_options 0: none): compare's per-row advice, which shows nothing else.
 * A board that no optimised model can fit (its flash has no usable
 * figure, or the model's file and the reserve alone exceed it: the
 * written file only grows) is answered without computing the
 * optimisation. Errors: out of memory only.
 */
enum tfit_status tfit_fit_advise_optimize(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					  const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
					  struct tfit_error *err);

/*
 * Advice for a result that does not fit (an empty advice when it fits).
 * Quantizing converts c->model in place, re-plans it and restores it
 * exactly before returning (so c->model must not be read by anyone else
 * meanwhile, and must not point at const storage); the other-board search
 * evaluates every device of db (NULL: skipped) with the same method and
 * runtime choice. c's plans are released while other plans are made (one
 * plan of the model alive at a time) and planned again in place before
 * returning, so pointers to them stay valid and hold the same plans.
 * Errors: out of memory; models that cannot be planned are reported as
 * options that do not fit, not as errors.
 */
enum tfit_status tfit_fit_advise(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
				 const struct tfit_device_db *db, const char *runtime_override,
				 const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
				 struct tfit_error *err);


/* ---- CI gates: thresholds on a result (gates.c) ---- */

/* The thresholds asked for (each has_* says whether it was given). Flash and
 * SRAM take a percentage of what the board has or an absolute size. */
struct tfit_gates {
	int has_max_flash_pct, has_max_sram_pct, has_max_arena, has_max_latency, has_min_margin;
	int has_max_flash_bytes, has_max_sram_bytes;
	double max_flash_pct;           /* flash used / available x 100 */
	double max_sram_pct;
	uint64_t max_flash_bytes;       /* flash used (model + runtime + reserve) */
	uint64_t max_sram_bytes;        /* SRAM used (arena + reserve) */
	uint64_t max_arena_bytes;       /* kTensorArenaSize */
	double max_latency_ms;          /* estimated latency */
	uint64_t min_margin_bytes;      /* both flash and SRAM margins */
};

/* What a threshold checks, and in which unit (value and limit). */
enum tfit_gate_kind {
	TFIT_GATE_FLASH,         /* flash used (--max-flash: percent or bytes) */
	TFIT_GATE_SRAM,          /* SRAM used (--max-sram: percent or bytes) */
	TFIT_GATE_ARENA,         /* kTensorArenaSize (--max-arena) */
	TFIT_GATE_LATENCY,       /* the estimated latency (--max-latency) */
	TFIT_GATE_FLASH_MARGIN,  /* flash left (--min-margin) */
	TFIT_GATE_SRAM_MARGIN    /* SRAM left (--min-margin) */
};
enum tfit_gate_unit { TFIT_GATE_PERCENT, TFIT_GATE_BYTES, TFIT_GATE_MS };
/* "flash", "sram", "arena", "latency", "flash_margin", "sram_margin" (JSON). */
const char *tfit_gate_kind_id(enum tfit_gate_kind k);
/* "percent", "bytes", "ms" (JSON). */
const char *tfit_gate_unit_id(enum tfit_gate_unit u);

/*
 * One threshold evaluated on one result: plain data, so every renderer (and
 * the JSON's "thresholds") shows the same record; value and limit are raw
 * numbers in its unit. A value that is
 * not known (NaN: no clock for a latency, no size for a percentage) fails
 * the gate: never an optimistic verdict.
 */
struct tfit_gate_result {
	const struct tfit_fit_result *result; /* the result checked (not owned) */
	const char *model;              /* the model's label (set by the caller), or NULL */
	char device_id[64];
	enum tfit_gate_kind kind;       /* what is checked (tfit_gate_kind_id names it) */
	enum tfit_gate_unit unit;       /* of value and limit */
	int is_minimum;                 /* 1: pass = value >= limit (margins); 0: value <= limit */
	double limit;
	double value;                   /* NaN = unknown (the gate fails) */
	int pass;
};

/* The most gates one result can have. */
#define TFIT_GATES_MAX 8

/*
 * Evaluate every gate given in g on result r (latency_ms: its estimated
 * latency, NaN when unknown). Writes one record per gate given (at most
 * TFIT_GATES_MAX; out must hold that many) and returns how many.
 */
size_t tfit_gates_evaluate(const struct tfit_gates *g, const struct tfit_fit_result *r,
			   double latency_ms, struct tfit_gate_result *out);
int tfit_gates_any(const struct tfit_gates *g);
/* A gate's value or limit humanised in its unit: "82.4%", "70.00 KiB",
 * "61.2 ms", "unknown". Returns buf. */
const char *tfit_gate_format(const struct tfit_gate_result *gr, double v, char *buf, size_t size);
/* "arena 98.35 KiB > 64.00 KiB" (a failed gate) or "arena 12.00 KiB <= 64.00 KiB". */
const char *tfit_gate_describe(const struct tfit_gate_result *gr, char *buf, size_t size);
#endif
