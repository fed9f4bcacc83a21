/*
 * engine.h - one library call per command: load, analyse, and return a
 * plain result that a renderer turns into a report (ARCHITECTURE.md).
 *
 *   tfit_check_run(&request, &result, &err)    `tinyfit check`
 *   tfit_compare_run(&request, &result, &err)  `tinyfit compare`
 *
 * The command line parses its options into a request, calls the run
 * function, renders result.report in the format asked for, writes it and
 * returns an exit code from result.verdict. The fuzz harnesses and the unit
 * tests call the same functions, so every route to a verdict is the same.
 *
 * The engine owns everything between the request and the report data:
 * loading the model (a file, standard input, or a bare model of N
 * parameters), opening the device database, the fit (plan, budgets,
 * verdict), latency and energy estimates, the real-time and battery
 * figures, the CI thresholds (gates), the advice, and the order of the
 * rows. It never prints, exits or reads the environment: the caller
 * resolves $TINYFIT_DEVICES and the data directory into the request.
 *
 * Status: each run returns TFIT_OK or a TFIT_ERR_* code and fills err. A
 * result is usable after TFIT_OK; release it with its _release function
 * after any return (also on error: it may hold the model, whose warnings
 * the caller still shows). result.usage_error says that an error is about
 * an option of the command line (shown with the command's usage hint)
 * rather than about a file.
 *
 * Ownership: the request's strings and arrays are borrowed for the call
 * and, where the result points at them (runtime, labels), for the life of
 * the result. Everything else in a result is owned by it.
 */
#ifndef TINYFIT_ENGINE_H
#define TINYFIT_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/device_report.h"
#include "tinyfit/error.h"
#include "tinyfit/fit.h"
#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"
#include "tinyfit/optimize.h"
#include "tinyfit/quant.h"
#include "tinyfit/quant_report.h"
#include "tinyfit/report.h"
#include "tinyfit/runtime.h"

/* ---- the inputs every command shares ---- */

/* Where a model comes from: exactly one of path, bare, given. */
struct tfit_model_request {
	const char *path;            /* a model file; "-" = standard input */
	int bare;                    /* a bare model of params parameters (--params) */
	uint64_t params, macs;       /* bare: its parameters (> 0) and MACs */
	struct tfit_load_opts load;  /* --dtype (a bare model's dtype too; UNKNOWN =
					float32), --skip-unknown, --input-shape */
	struct tfit_model *given;    /* an already loaded model (borrowed; tests, fuzzing) */
};

/* Load (or build) the model of req into *out (the caller frees it with
 * tfit_model_free). A given model is not copied: *out = req->given. */
enum tfit_status tfit_engine_load_model(const struct tfit_model_request *req,
					struct tfit_model **out, struct tfit_error *err);

/* Where the runtime profiles and cost tables come from: a data directory
 * (its runtimes/ and cost/), and what the build compiled of it. The CLI
 * fills one for the data directory installed beside the executable; a
 * test or a user's own directory gives data_dir alone, parsed as today. */
struct tfit_data_source {
	const char *data_dir;
	struct tfit_runtime_set *runtimes; /* the process's runtime profiles (runtime.h), or
					      NULL: each run loads its own from data_dir */
	const struct tfit_cost_db *cost_db; /* data_dir's cost tables as the build compiled
					      them (tinyfit/shipped.h), or NULL: parsed */
};

/* Where the boards come from: directories in lookup order (a later
 * definition of an id replaces an earlier one), or a database given. */
struct tfit_board_source {
	const char *const *dirs;
	size_t n_dirs;
	int first_is_builtin;        /* dirs[0] is the shipped database: its files are
					named "<built-in>/ID.json" in messages */
	const struct tfit_device *builtin; /* with first_is_builtin: the boards of dirs[0]
					as the build compiled them (tinyfit/shipped.h),
					added instead of parsing dirs[0]; NULL: parse it */
	size_t n_builtin;
	const struct tfit_device_db *given; /* borrowed; dirs unused */
	struct tfit_data_source data; /* with dirs: each profile's default_runtime must be a
					runtime of data.data_dir's registry (registry.h,
					built from data.cost_db), an error of the profile
					otherwise; data_dir NULL or "": only its spelling
					is checked (data.runtimes unused) */
};

/* Open the boards of src into db (initialised here; the caller releases it
 * with tfit_device_db_release, also on error). */
enum tfit_status tfit_engine_open_devices(const struct tfit_board_source *src,
					  struct tfit_device_db *db, struct tfit_error *err);

/* The cost tables of src into *out: a copy of src->cost_db (the shipped
 * tables as the build compiled them, tinyfit/shipped.h; nothing to parse,
 * and tfit_cost_db_release frees nothing) or, when it is NULL,
 * tfit_cost_db_load(src->data_dir). The caller releases *out. */
enum tfit_status tfit_engine_cost_db(const struct tfit_data_source *src, struct tfit_cost_db *out,
				     struct tfit_error *err);

/* The runtime profiles of data_dir as one set (runtime.h) in *out, which
 * the caller frees with tfit_runtime_set_free: the NULL-terminated
 * compiled profiles (tinyfit/shipped.h) are added as they are, nothing to
 * parse; an id they lack is loaded from data_dir when asked for. compiled
 * may be NULL. err may be NULL. */
enum tfit_status tfit_engine_runtime_set(const char *data_dir,
					 const struct tfit_runtime *const *compiled,
					 struct tfit_runtime_set **out, struct tfit_error *err);

/* TFIT_OK when id (NAME[@VERSION]) names a runtime of the registry built
 * from src (its cost tables: src->cost_db, or parsed when NULL); else the
 * error, with *usage_error = 1 when the id is not one ("--runtime: unknown
 * runtime ..."). */
enum tfit_status tfit_engine_check_runtime(const struct tfit_data_source *src, const char *id,
					   int *usage_error, struct tfit_error *err);

/* The database of src: the given one, or src's directories opened into
 * own (*own_open = 1: the caller releases own, also on error). */
enum tfit_status tfit_engine_boards(const struct tfit_board_source *src, struct tfit_device_db *own,
				    int *own_open, const struct tfit_device_db **db,
				    struct tfit_error *err);

/* The real-time and battery questions of check (each has_* says whether it
 * was asked; times in ms, rate in Hz). */
struct tfit_timing_request {
	int has_deadline, has_rate, has_window, has_duty, has_battery;
	double deadline_ms;          /* --deadline */
	double rate_hz;              /* --rate: inferences (or, with a window, samples) per s */
	double window_ms;            /* --window: one inference per window */
	double on_ms, period_ms;     /* --duty ON/PERIOD */
	double capacity_mah, voltage_v; /* --battery CAP@V */
};

/* Every threshold evaluated in a run (owned array; fit.h's records). */
struct tfit_gate_list {
	struct tfit_gate_result *items;
	size_t n, cap;
	size_t failed;               /* how many of items failed */
};

/* ---- `tinyfit check` ---- */

struct tfit_check_request {
	struct tfit_data_source data;
	struct tfit_model_request model;
	struct tfit_board_source devices;
	const char *const *device_ids; /* ids or aliases; a board named twice is checked once */
	size_t n_device_ids;
	const char *runtime;         /* NAME[@VERSION], or NULL: each board's */
	double clock_mhz;            /* > 0: replaces each board's clock */
	struct tfit_fit_opts fit;    /* method, textbook factors, reserves, placement */
	int method_given;            /* the method was asked for: a bare model then
					refuses planned instead of switching to textbook */
	int both_methods;            /* planned and textbook, paired per board */
	struct tfit_gates gates;
	struct tfit_timing_request timing;
	/* the report will draw no buffer of a plan (text, Markdown, CSV,
	 * JSON): it keeps each plan's timeline (report.timelines, 8 bytes a
	 * scope) and the plans are released (report.plans NULL; issue #17).
	 * 0: the plans are kept (HTML and SVG draw their buffers). */
	int timeline_only;
};

struct tfit_check_result {
	struct tfit_model *model;          /* owned (unless the request gave it) */
	struct tfit_fit_result *results;   /* one per board (two with both_methods) */
	struct tfit_fit_advice *advice;    /* parallel to results */
	struct tfit_check_timing *timing;  /* parallel to results */
	const struct tfit_arena_plan **plans; /* parallel to results; NULL entries when none
						 (all NULL with request.timeline_only) */
	/* parallel to results with request.timeline_only, else NULL: each
	 * planned result's timeline, one per plan (results sharing a plan
	 * point at the first one's); NULL entries when none */
	const struct tfit_arena_timeline **timelines;
	struct tfit_arena_timeline *timeline_store; /* owned: the timelines made */
	size_t n_results;
	struct tfit_gate_list gates;
	enum tfit_verdict verdict;         /* the worst verdict, DOES_NOT_FIT when a gate
					      failed or a deadline was missed; with both
					      methods the planned one decides */
	struct tfit_check_report report;   /* what the renderers take; points into this */
	int usage_error;                   /* the error is about an option (see above) */
	/* the engine's own state, released with the result */
	char *model_file;                  /* report.model_file */
	struct tfit_device_db db;          /* opened from request.devices.dirs */
	const struct tfit_device_db *db_used; /* &db or request.devices.given */
	struct tfit_fit_ctx fc;
	struct tfit_device *clocked;
	int own_model, db_open, fc_open;
};

enum tfit_status tfit_check_run(const struct tfit_check_request *req, struct tfit_check_result *res,
				struct tfit_error *err);
void tfit_check_result_release(struct tfit_check_result *res);

/* ---- `tinyfit compare` ---- */

/* The order of the rows (--sort): NONE keeps model order, then database
 * (or --device) order; the others sort ascending with unknowns last, ties
 * by device id, then by model label. */
enum tfit_compare_sort {
	TFIT_SORT_NONE, TFIT_SORT_LATENCY, TFIT_SORT_PRICE, TFIT_SORT_SRAM, TFIT_SORT_FLASH,
	TFIT_SORT_NAME
};

struct tfit_compare_request {
	struct tfit_data_source data;
	const struct tfit_model_request *models; /* one per MODEL, in order (all given or none) */
	size_t n_models;
	const char *const *labels;   /* --label per model in order (n_labels <= n_models) */
	size_t n_labels;
	struct tfit_board_source devices;
	const char *const *device_ids; /* NULL / 0: every board of the database */
	size_t n_device_ids;
	const char *runtime;         /* NAME[@VERSION], or NULL: each board's */
	double clock_mhz;            /* > 0: replaces each board's clock */
	struct tfit_fit_opts fit;    /* factors, reserves, placement (method set per column) */
	int show_planned, show_textbook; /* the methods asked for (--method) */
	int method_given;            /* a bare model then refuses planned */
	enum tfit_compare_sort sort;
	int fits_only;               /* rows that do not fit go to report.hidden */
	struct tfit_gates gates;
};

/* What happened to one MODEL of the request: loaded (model, an index into
 * result.models) or not (error, an index into result.report.errors). */
struct tfit_compare_input {
	int loaded;
	size_t index;
	char *file;                        /* its path as reports show it (owned; see
					      tfit_check_report.model_file), NULL for a
					      bare model */
};

struct tfit_compare_result {
	struct tfit_model **models;        /* the models read (owned unless given) */
	size_t n_models;
	const char **labels;               /* parallel to models: --label, else the name,
					      else the file when two names collide */
	const char **files;                /* parallel to models: their inputs' file */
	struct tfit_compare_input *inputs; /* parallel to request.models */
	size_t n_inputs;
	struct tfit_compare_error *errors; /* models that could not be read: a row each */
	size_t n_errors;
	char (*messages)[512];             /* their errors, compiler style */
	struct tfit_error *load_errors;    /* the same as records (parallel to errors) */
	struct tfit_compare_error *pair_errors; /* pairs that could not be compared (their
						   plan, a runtime's rule): a row each */
	size_t n_pair_errors;
	char (*pair_messages)[512];        /* their errors, compiler style */
	struct tfit_error *pair_records;   /* the same as records (parallel to pair_errors) */
	unsigned char *pair_failed;        /* [model x board]: 1 when not compared */
	struct tfit_fit_result *planned;   /* [model x board], when show_planned */
	struct tfit_fit_result *textbook;  /* [model x board], when show_textbook */
	struct tfit_fit_option *external;  /* [model x board]: rows' external-memory advice */
	struct tfit_fit_option *optimized; /* [model x board]: rows' optimize advice */
	struct tfit_compare_row *rows;     /* in display order */
	size_t n_rows;
	struct tfit_compare_row *hidden;   /* --fits-only's rows that do not fit */
	size_t n_hidden;
	struct tfit_gate_list gates;
	enum tfit_verdict verdict;         /* worst verdict, DOES_NOT_FIT when a gate failed */
	struct tfit_compare_report report; /* what the renderers take; points into this */
	int usage_error;                   /* the error is about an option */
	/* the engine's own state, released with the result */
	struct tfit_device_db db;
	int db_open, own_models;
	const struct tfit_device **devs;
	size_t n_devs;
	struct tfit_device *clocked;
	struct tfit_fit_ctx *fcs;
	size_t n_fcs;
	char **methods;                    /* each planned pair's latency method (owned) */
	size_t n_methods;
};

/*
 * Every model of the request on every selected board. A model that cannot
 * be read (a file with an error) is a row of report.errors, and a pair
 * that cannot be compared (its plan hits a limit, its runtime rejects the
 * model: any error but out of memory or a usage error) a row of
 * report.pair_errors, not a failure of the run: every other pair is still
 * compared, report.pass is 0 and the caller exits 2 after the report. An
 * unknown board, a bad --runtime or a bare model with the planned method
 * are errors.
 */
enum tfit_status tfit_compare_run(const struct tfit_compare_request *req,
				  struct tfit_compare_result *res, struct tfit_error *err);
void tfit_compare_result_release(struct tfit_compare_result *res);

/* ---- `tinyfit layers` ---- */

struct tfit_layers_request {
	struct tfit_data_source data;
	struct tfit_model_request model;
	struct tfit_board_source devices;  /* opened only with device_id */
	const char *device_id;       /* --device: each layer's estimated latency on it, or NULL */
	const char *runtime;         /* with device_id: NAME[@VERSION] (else the board's); the
					arena plan's runtime too (else the board's, else tflm) */
	double clock_mhz;            /* with device_id, > 0: replaces the board's clock */
	int plan;                    /* plan the arena (text, HTML and SVG draw it) */
};

struct tfit_layers_result {
	struct tfit_model *model;          /* owned (unless the request gave it) */
	struct tfit_cost_result cost;      /* the estimate, when has_cost */
	int has_cost;
	struct tfit_error plan_error;      /* why report.plan is NULL (file: the model) */
	struct tfit_layers_report report;  /* what the renderers take; points into this */
	int usage_error;                   /* the error is about an option */
	/* the engine's own state, released with the result */
	struct tfit_device_db db;
	struct tfit_cost_db cdb;
	struct tfit_device clocked;
	struct tfit_fit_ctx fc;
	struct tfit_arena_words words;     /* the plan's runtime's words (report.words) */
	char runtime_base[64];
	int own_model, db_open, cdb_open, fc_open;
};

/* The model's layers, with the latency estimate on a board and the arena
 * plan when asked. A model TFLM cannot plan is not an error: plan_error
 * says why (an SVG of the arena then has nothing to draw). */
enum tfit_status tfit_layers_run(const struct tfit_layers_request *req, struct tfit_layers_result *res,
				 struct tfit_error *err);
void tfit_layers_result_release(struct tfit_layers_result *res);

/* ---- `tinyfit devices` ---- */

struct tfit_devices_request {
	struct tfit_board_source boards;
	const char *show_id;              /* `devices show ID`; NULL: the list */
	struct tfit_device_filter filter; /* list: --core, --vendor, --min-sram, --min-flash */
	enum tfit_device_sort sort;       /* list: --sort */
};

struct tfit_devices_result {
	const struct tfit_device **list;   /* the list in order (owned array; NULL when empty) */
	size_t n_list;
	const struct tfit_device *show;    /* `show`: the board */
	struct tfit_devices_report report; /* what the renderer takes; points into this */
	int usage_error;                   /* the error is about an option or the id */
	struct tfit_device_db db;          /* the engine's own state */
	int db_open;
};

/* The database as a filtered, sorted list, or one board. An unknown --core
 * or board id is an error with usage_error set. */
enum tfit_status tfit_devices_run(const struct tfit_devices_request *req, struct tfit_devices_result *res,
				  struct tfit_error *err);
void tfit_devices_result_release(struct tfit_devices_result *res);

/* ---- `tinyfit optimize` ---- */

struct tfit_optimize_run_request {
	struct tfit_data_source data;
	const char *model_path;      /* the .tflite file (also the name in messages) */
	const void *model_data;      /* or its bytes, given (borrowed; tests, fuzzing):
					model_path then only names it */
	size_t model_len;
	struct tfit_board_source devices; /* opened only with device_id */
	const char *device_id;       /* --device: plan for its runtime, estimate latency */
	const char *runtime;         /* --runtime, or NULL: the board's, else tflm */
	int plan_only;               /* --plan-only */
	int has_max_mac_overhead;    /* --max-mac-overhead */
	double max_mac_overhead;     /* a fraction (0.15) */
};

struct tfit_optimize_run_result {
	struct tfit_optimize_result report; /* what the renderers take (optimize.h); its
					       model_out is the file to write */
	int usage_error;                    /* the error is about an option */
	/* the engine's own state, released with the result */
	struct tfit_device_db db;
	struct tfit_cost_db cdb;
	const struct tfit_runtime *rt;      /* the TFLM build planned for: the data
					       source's runtime set's, or rt_own */
	struct tfit_runtime *rt_own;        /* parsed here (no runtime set given) */
	char *data;                         /* the model file's bytes, when read */
	char *model_name;                   /* the file's name as the report shows it
					       (report.model_name; filtered as
					       tfit_check_report.model_file) */
	int db_open, cdb_open;
};

/*
 * Open the board (with device_id), the runtime (a TFLM build: another is an
 * error about --runtime), read the model and optimise it (tfit_optimize).
 * An error of the optimiser that names no file is about model_path.
 */
enum tfit_status tfit_optimize_run(const struct tfit_optimize_run_request *req,
				   struct tfit_optimize_run_result *res, struct tfit_error *err);
void tfit_optimize_run_result_release(struct tfit_optimize_run_result *res);

/* ---- `tinyfit quant` ---- */

struct tfit_quant_run_request {
	int range;                   /* 1: the schemes of one range (quant); 0: the model's
					per-tensor report (model) */
	struct tfit_quant_request quant; /* range: --range, --value, --bits */
	int all_methods;             /* range: every scheme side by side (--method all) */
	enum tfit_quant_method method; /* range, !all_methods: the one scheme */
	struct tfit_model_request model; /* !range: MODEL, --dtype, ... */
};

struct tfit_quant_run_result {
	struct tfit_quant_report report;   /* what the renderer takes (quant_report.h) */
	enum tfit_verdict verdict;         /* model: DOES_NOT_FIT when a finding is an
					      error (TFLM fails or computes wrong) */
	struct tfit_model *model;          /* model: owned (unless the request gave it) */
	int usage_error;                   /* the error is about an option (the range) */
	/* the engine's own state, released with the result */
	struct tfit_quant_range_report range;
	struct tfit_quant_model_report tensors;
	int own_model, tensors_open;
};

/* The schemes of the range, or the per-tensor report of the model. A range
 * tfit_quant_check_request refuses is an error with usage_error set. */
enum tfit_status tfit_quant_run(const struct tfit_quant_run_request *req, struct tfit_quant_run_result *res,
				struct tfit_error *err);
void tfit_quant_run_result_release(struct tfit_quant_run_result *res);

/* ---- building blocks the run functions share (also for layers and compare) ---- */

/*
 * The latency and energy estimate of m for a fit result, with the external-
 * memory costs of its placement (tfit_fit_weights_external /
 * tfit_fit_arena_external) named as the verdict used them.
 */
enum tfit_status tfit_engine_cost_for_result(const struct tfit_cost_db *db, const struct tfit_model *m,
					     const struct tfit_fit_result *r, struct tfit_cost_result *cr,
					     struct tfit_error *err);

/*
 * Fill out for result r: the latency/energy estimate (planned results; db
 * NULL skips it), the real-time check and the battery life when asked.
 * Returns TFIT_OK, or TFIT_ERR_USAGE when the rate gives no deadline.
 */
enum tfit_status tfit_engine_fill_timing(const struct tfit_timing_request *t,
					 const struct tfit_cost_db *db, const struct tfit_model *m,
					 const struct tfit_fit_result *r, struct tfit_check_timing *out,
					 struct tfit_error *err);
void tfit_engine_timing_release(struct tfit_check_timing *t);

/* Evaluate g on r (latency_ms NaN when unknown), labelled with model (or
 * NULL), and append the records to list; *failed = how many failed.
 * TFIT_ERR_NOMEM when the list cannot grow. */
enum tfit_status tfit_engine_gates_add(struct tfit_gate_list *list, const struct tfit_gates *g,
				       const struct tfit_fit_result *r, double latency_ms,
				       const char *model, size_t *failed, struct tfit_error *err);
void tfit_engine_gates_release(struct tfit_gate_list *list);

/* The board with its clock replaced by mhz (a shallow copy in *slot that
 * borrows d's strings), or d itself when mhz is 0. */
const struct tfit_device *tfit_engine_clocked(const struct tfit_device *d, double mhz,
					      struct tfit_device *slot);

#endif
