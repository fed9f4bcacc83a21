/*
 * report.h - turning analysis results into output: tables (for the text,
 * Markdown, CSV and HTML renderers of table.h) and versioned JSON.
 *
 * Every JSON document tinyfit prints has the same top level
 * (docs/output.md, docs/output.schema.json):
 *   { "schema_version": 1, "tinyfit_version": "...", "command": "...",
 *     "model": {...}, "results": [...] }
 * Numbers in JSON are raw (bytes, counts, ms, mJ); renderers never print
 * estimates without saying so.
 *
 * Ownership: renderers append to a caller-owned strbuf; the table builders
 * initialise the caller's struct tfit_table themselves (do not init it
 * first); the caller releases it with tfit_table_release().
 */
#ifndef TINYFIT_REPORT_H
#define TINYFIT_REPORT_H

#include "tinyfit/cost.h"
#include "tinyfit/graph.h"
#include "tinyfit/optimize.h"
#include "tinyfit/plan.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"

#define TFIT_JSON_SCHEMA_VERSION 1

/* "conv_2d" or "conv_2d+relu" (fused activation), or a custom op's name. */
const char *tfit_op_display_type(const struct tfit_op *op, char *buf, size_t size);

/*
 * A fused TF2 op name for people: "model/activation_2/Relu;model/add/add"
 * becomes "add+activation_2" (the Keras layers of its last and first parts,
 * in the order they run; "+...+" when more layers were fused between). A
 * name without ';' is returned as it is. Text, Markdown and HTML show it;
 * CSV and JSON keep the full name. Returns buf (or name).
 */
const char *tfit_op_short_name(const char *name, char *buf, size_t size);

/* The per-op table of `tinyfit layers` (subgraph 0), totals in a footer row. */
void tfit_layers_table(const struct tfit_model *m, struct tfit_table *t);

/* The indices of the (at most max) slowest ops of op_ms[0..n_ops) into
 * hot, slowest first, ties in execution order; returns how many. */
uint32_t tfit_slowest_ops(const double *op_ms, uint32_t n_ops, uint32_t *hot, uint32_t max);

/* `layers --device`: the estimated latency per layer as bars after the
 * table (HTML: an inline SVG; text: one line per op fitted to o->width;
 * other formats: nothing). cost NULL: nothing. */
void tfit_render_layers_latency(const struct tfit_model *m, const struct tfit_cost_result *cost,
				enum tfit_format fmt, const struct tfit_render_opts *o, struct tfit_strbuf *out);

/* The `tinyfit layers` JSON document. */
void tfit_render_layers_json(const struct tfit_model *m, struct tfit_strbuf *out);

/*
 * The same with a latency estimate (cost.h) of m: the table gains Latency
 * and % columns and a note naming the method, tables and energy; the JSON
 * model gains device, runtime, clock_mhz, cycles, latency_ms,
 * latency_method, cost_table, energy_mj, energy_basis, energy_method, and
 * each layer cost_class, cost_dtype, cost_unit, cycles, latency_ms,
 * latency_share, energy_mj. cost NULL (or not m's) = the plain versions.
 */
void tfit_layers_table_cost(const struct tfit_model *m, const struct tfit_cost_result *cost,
			    struct tfit_table *t);
void tfit_render_layers_json_cost(const struct tfit_model *m, const struct tfit_cost_result *cost,
				  const char *device_id, struct tfit_strbuf *out);



/* `tinyfit layers`: the table, and what is drawn beside it. */
struct tfit_layers_report {
	const struct tfit_model *model;
	const struct tfit_cost_result *cost;    /* --device's per-layer estimate, or NULL */
	const char *device_id;                  /* its board, or NULL */
	const struct tfit_arena_plan *plan;     /* the arena over time (text, HTML, SVG), or NULL */
	const char *runtime;                    /* the plan's runtime (without a version) */
	const char *plan_missing;               /* why there is no plan, or "" */
	const struct tfit_arena_words *words;   /* the runtime's words for the chart, or NULL */
};

/*
 * The layers report in fmt: the per-op table (with latency columns when
 * cost), text followed by the arena over time and the latency bars, HTML
 * with both inline, JSON, SVG (the arena alone; nothing without a plan).
 * One switch, no default: a new format must be handled here.
 */
void tfit_render_layers(const struct tfit_layers_report *r, enum tfit_format fmt,
			const struct tfit_render_opts *o, struct tfit_strbuf *out);

/* ---- `tinyfit check`: the fit report ---- */

struct tfit_fit_result;
struct tfit_fit_option;
struct tfit_fit_advice;
struct tfit_gate_result;

/*
 * The "Gates" section (text, Markdown, HTML fragment): one row per threshold
 * evaluated (model when with_model, device, gate, limit, value, pass/FAIL)
 * and a line saying how many failed. Nothing when n is 0.
 */
void tfit_gates_table(const struct tfit_gate_result *g, size_t n, int with_model,
		      struct tfit_table *t);
void tfit_render_gates(const struct tfit_gate_result *g, size_t n, int with_model,
		       enum tfit_format fmt, const struct tfit_render_opts *o,
		       struct tfit_strbuf *out);
/* How many gates of g[0..n) failed on result r (r NULL: on any result). */
size_t tfit_gates_failed(const struct tfit_gate_result *g, size_t n,
			 const struct tfit_fit_result *r);

/* Latency, energy, real-time and battery figures for one result (all
 * estimates; has_* say which are present). */
struct tfit_check_timing {
	int has_latency;
	double latency_ms;
	double energy_mj;                      /* active power x latency; NaN: no power figure */
	double active_power_mw;                /* the figure used; 0 = none */
	const char *power_scope;               /* "board", "chip" or NULL (not stated) */
	double energy_lower_bound_mj;          /* per-operation bound: its own quantity */
	char energy_lower_bound_method[512];
	double latency_ms_low, latency_ms_high; /* the estimate's interval (cost.h) */
	double interval_pct;                   /* 0 = no interval */
	int interval_prior;                    /* no held-out measurement supports it */
	char interval_basis[512];
	char *method;                          /* how latency was estimated (owned, freed by
						  tfit_engine_timing_release; never cut), or NULL */
	char energy_method[768];
	char note[768];                        /* why there is no estimate, or "" */
	int has_realtime;
	double deadline_ms, rt_margin_ms, rt_margin_pct;
	int rt_pass;
	double *op_latency_ms;                 /* per op of subgraph 0 (owned), or NULL */
	uint32_t n_ops;
	uint32_t hot[3];                       /* the slowest ops, slowest first */
	uint32_t n_hot;
	int has_battery;                       /* --battery asked (see battery_known) */
	int battery_known;                     /* 0: no active power figure, no life */
	double awake_ms;                       /* --duty ON (0: awake for the inference only) */
	double rate_hz, capacity_mah, voltage_v;
	double average_power_mw, life_hours, duty;
	int battery_feasible, sleep_power_known;
	const char *sleep_power_scope;         /* "board", "chip" or NULL */
};

struct tfit_check_report {
	const struct tfit_model *model;
	/* the model's file as given, each control character and byte not
	 * UTF-8 as '?' (filtered once, by the engine: the path may hold any
	 * byte); NULL for a bare model or when memory ran out */
	const char *model_file;
	/* parallel to results: the arena plan each planned result used (drawn
	 * over time in text, HTML and SVG), NULL entries when none; or NULL */
	const struct tfit_arena_plan *const *plans;
	/* parallel to results: the bytes live per scope of each planned
	 * result's plan, which the text report draws when plans are not kept
	 * (engine.h, timeline_only; results sharing a plan share a timeline),
	 * NULL entries when none; or NULL */
	const struct tfit_arena_timeline *const *timelines;
	const struct tfit_fit_result *results;  /* one per device and method */
	const struct tfit_fit_advice *advice;   /* parallel to results */
	const struct tfit_check_timing *timing; /* parallel to results, or NULL */
	size_t n_results;
	int both_methods;                       /* --method both: pairs planned/textbook */
	const struct tfit_gate_result *gates;   /* every threshold evaluated (fit.h), or NULL */
	size_t n_gates;
	int pass;                               /* the run's verdict (exit code 0): every result
						   fits and every gate and deadline holds */
	int gates_given;                        /* thresholds were asked for (n_gates may be 0) */
	int show_planned, show_textbook;        /* the methods asked for (CSV and HTML columns) */
};

/*
 * The check report in fmt: text and Markdown (the per-board report), CSV
 * and HTML (the comparison's table, HTML followed by the per-board
 * sections), JSON, SVG (the arena over time of the first planned result;
 * nothing when no result has a plan). One switch, no default: a new format
 * must be handled here.
 */
void tfit_render_check(const struct tfit_check_report *r, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out);

void tfit_render_check_text(const struct tfit_check_report *r, const struct tfit_render_opts *o,
			    struct tfit_strbuf *out);
void tfit_render_check_markdown(const struct tfit_check_report *r, struct tfit_strbuf *out);
void tfit_render_check_json(const struct tfit_check_report *r, struct tfit_strbuf *out);
/* The per-board HTML sections of check's page (after the comparison
 * table): the verdict, flash and SRAM as stacked bars against capacity,
 * the arena over time, per-layer latency, the advice (html_check.c). */
void tfit_render_check_html(const struct tfit_check_report *r, struct tfit_strbuf *out);
/* The arena timeline of the first result with a plan as a standalone SVG
 * document (nothing when no result has one). */
void tfit_render_check_svg(const struct tfit_check_report *r, struct tfit_strbuf *out);


/* ---- the arena over time (svg_arena.c, text_arena.c) ---- */

/* The chart's words, the runtime's (struct tfit_fit_terms): the buffer
 * ("arena", "activations (rw)"), its planned part ("head", "planned
 * activations"), the chart's title ("TFLM's arena") and how the planned
 * part was placed ("TFLM's plan"). NULL, or a NULL field: "arena", "head",
 * "Tensor arena", "TFLM's plan". */
struct tfit_arena_words {
	const char *buffer;
	const char *head;
	const char *title;
	const char *plan;
};

/*
 * Plan p of model m (for runtime, named in the title) as an SVG chart: one
 * column per allocation scope, each buffer a rectangle at its planned
 * offset over its lifetime with a <title> naming it and its bytes, the
 * peak scope outlined, the head and the lower bound as labelled lines.
 * id prefixes the element ids (unique within a page); standalone adds the
 * XML declaration and namespace (an .svg file), else it is inline HTML.
 * With max_cols > 0 and more scopes than that, only the scopes the text
 * form keeps (the same rule and choice) get a column, each run left out
 * one dashed column marked with its count, and with device_id a line
 * naming `tinyfit layers MODEL --device device_id`, which draws every op.
 * Returns how many scopes were left out. Buffers live only within a run
 * left out are not drawn.
 */
uint64_t tfit_render_arena_svg(const struct tfit_model *m, const struct tfit_arena_plan *p,
			       const char *runtime, const struct tfit_arena_words *w, const char *id,
			       int standalone, int32_t max_cols, const char *device_id,
			       struct tfit_strbuf *out);
/* The same for the terminal: one line per scope, a bar of the bytes live
 * there, the peak marked; each line starts with indent; fitted to
 * o->width (100 columns when 0). w names the buffer and a full bar in the
 * runtime's words ("arena" and "head" for TFLM, "activations (rw)" and
 * "planned activations" for X-CUBE-AI). With max_rows > 0 and more scopes
 * than that, only the first and last TFIT_ARENA_TEXT_EDGE scopes and those
 * within TFIT_ARENA_TEXT_EDGE of the peak get a line, each run left out
 * one "... N ops left out" line. Returns how many scopes were left out. */
uint64_t tfit_render_arena_text(const struct tfit_model *m, const struct tfit_arena_timeline *t,
				const char *indent, const struct tfit_arena_words *w,
				int32_t max_rows, const struct tfit_render_opts *o,
				struct tfit_strbuf *out);
/* The same from a plan: its timeline made for the picture and freed
 * (tfit_arena_timeline_make; out of memory sets out->oom). */
uint64_t tfit_render_arena_text_plan(const struct tfit_model *m, const struct tfit_arena_plan *p,
				     const char *indent, const struct tfit_arena_words *w,
				     int32_t max_rows, const struct tfit_render_opts *o,
				     struct tfit_strbuf *out);
/* `check` draws every scope up to TFIT_ARENA_TEXT_MAX_ROWS (the largest
 * real models of ../shared/models have 128 ops, 129 scopes); a hostile
 * 20,000-layer model's 40,000 lines made a 6 MB report held in memory
 * whole, of no use at a terminal (issue #17). `layers` draws them all. */
#define TFIT_ARENA_TEXT_MAX_ROWS 256
#define TFIT_ARENA_TEXT_EDGE 8
/* w's words with the defaults filled in. */
struct tfit_arena_words tfit_arena_words_or_default(const struct tfit_arena_words *w);


/* ---- `tinyfit compare`: one row per model x device ---- */

struct tfit_compare_row {
	const struct tfit_model *model;
	const char *file;                        /* the model's file, filtered as
						    tfit_check_report.model_file; or NULL */
	const char *label;                       /* the model's label (--label, or the file name
						    when names collide); NULL = model->name */
	const struct tfit_fit_result *planned;   /* NULL when not evaluated */
	const struct tfit_fit_result *textbook;  /* NULL when not evaluated */
	double latency_ms;                       /* estimated; NaN when unknown */
	double latency_ms_low, latency_ms_high;  /* its interval; NaN when unknown */
	double interval_pct;                     /* 0 = no interval */
	double energy_mj;                        /* power x latency; NaN when unknown */
	const char *power_scope;                 /* of the power figure: "board", "chip", NULL */
	double energy_lower_bound_mj;            /* per-operation bound; NaN when unknown */
	const char *latency_method;              /* how latency was estimated, or NULL */
	/* planned, does not fit: the external-memory advice (check's
	 * `external_memory` option: the arena in the board's PSRAM/SDRAM or
	 * the weights in its external flash, offered only when that placement
	 * fits); NULL when none */
	const struct tfit_fit_option *external;
	/* planned, does not fit, a .tflite: check's "fits after `tinyfit
	 * optimize`" option (TFIT_OPTION_OPTIMIZE: the arena of the model
	 * optimize writes for this board, patched or the plan alone, and
	 * whether it then fits); NULL when none */
	const struct tfit_fit_option *optimize;
	/* check's CSV: every advice option of the result, ranked (the
	 * `advice` column); NULL in compare */
	const struct tfit_fit_advice *advice;
};

/* A model compare could not read, or one model-board pair it could not
 * compare (its plan, a runtime's rule, ...): a row saying why, with its
 * file. */
struct tfit_compare_error {
	const char *file;                        /* filtered as tfit_check_report.model_file */
	const char *label;                       /* --label, or NULL */
	const char *message;                     /* the error, compiler style ("FILE: error:
						    BOARD: what is wrong" for a pair) */
	const struct tfit_device *device;        /* the pair's board; NULL: the model
						    could not be read */
};

struct tfit_compare_report {
	const struct tfit_model *const *models;
	size_t n_models;
	const char *const *labels;               /* parallel to models, or NULL (names) */
	const struct tfit_compare_error *errors; /* models not read, or NULL */
	size_t n_errors;
	const struct tfit_compare_error *pair_errors; /* model-board pairs not compared
							 (model order, then board
							 order), or NULL */
	size_t n_pair_errors;
	const struct tfit_compare_row *rows;     /* in display order */
	size_t n_rows;
	const struct tfit_compare_row *hidden;   /* rows --fits-only left out (they do
						    not fit): counted and named in the
						    summary, in JSON "hidden" with their
						    verdicts and thresholds; or NULL */
	size_t n_hidden;
	int show_planned, show_textbook;
	const struct tfit_gate_result *gates;    /* every threshold evaluated (fit.h), or NULL */
	size_t n_gates;
	int gates_given;                         /* thresholds were asked for (n_gates may be 0) */
	int pass;                                /* the run's verdict (exit code 0) */
	int complete;                            /* every model was read and every pair
						    compared (else the exit code is 2) */
	const struct tfit_check_report *check;   /* check's HTML: per-board sections
						    follow the table (html_check.c), or NULL */
	int advice_column;                       /* check's CSV: a last column `advice`
						    with every option of rows[].advice */
	int csv_columns;                         /* set by tfit_render_compare for CSV: the
						    fixed leading columns model, file, device,
						    device_name, runtime whatever the number
						    of models */
};

/* What a power figure covers, as reports show it: "board", "chip", or
 * "unstated" (NULL: the profile does not say). */
const char *tfit_power_scope_text(const char *scope);
/* Energy as every text format shows it: "0.0569 mJ (board)"; an en dash
 * when energy_mj is NaN (the profile has no power figure). Returns buf. */
const char *tfit_energy_text(double energy_mj, const char *power_scope, char *buf, size_t size);

/* The planned comparison table (device, core, MHz, flash, SRAM, arena,
 * latency, energy, price, verdict, limiting), with the summary as notes. */
void tfit_compare_table_planned(const struct tfit_compare_report *r, struct tfit_table *t);
/* The course's table: device, CPU MHz, RAM, model size, required RAM, RAM
 * usage %, compatible. */
void tfit_compare_table_textbook(const struct tfit_compare_report *r, struct tfit_table *t);
/* Render in any format (JSON via render_json.c). */
void tfit_render_compare(const struct tfit_compare_report *r, enum tfit_format fmt,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out);
void tfit_render_compare_json(const struct tfit_compare_report *r, struct tfit_strbuf *out);
/* `tinyfit optimize`: the before/after table (text, markdown, csv, html)
 * and the JSON document (src/report/optimize_report.c, render_json.c). */
void tfit_optimize_table(const struct tfit_optimize_result *o, struct tfit_table *t);
void tfit_render_optimize_json(const struct tfit_optimize_result *o, struct tfit_strbuf *out);
/* The optimize report in fmt (one switch on the format; SVG has nothing to
 * draw). */
void tfit_render_optimize(const struct tfit_optimize_result *o, enum tfit_format fmt,
			  const struct tfit_render_opts *ro, struct tfit_strbuf *out);

#endif
