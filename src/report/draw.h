/*
 * draw.h - shared pieces of the visual renderers (src/report only, not a
 * public header): HTML/XML escaping, the arena's scopes as columns, and
 * "nice" axis steps. Nothing here allocates.
 */
#ifndef TINYFIT_REPORT_DRAW_H
#define TINYFIT_REPORT_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/graph.h"
#include "tinyfit/plan.h"
#include "tinyfit/strbuf.h"

/* Append s with & < > " ' escaped (valid in HTML text, attributes and XML). */
void tfit_html_escape(struct tfit_strbuf *out, const char *s);

/* "op 12 conv_2d+relu", "inputs" for scope 0, "sg 2 op 3 add" inside a
 * called subgraph. */
const char *tfit_draw_scope_label(const struct tfit_model *m, const struct tfit_arena_plan *p,
				  int32_t scope, char *buf, size_t size);
/* Whether row r of n of a per-op chart in `check` is drawn (issue #17):
 * every row when n <= max_rows (or max_rows <= 0), else only the first and
 * last TFIT_ARENA_TEXT_EDGE and those within TFIT_ARENA_TEXT_EDGE of focus
 * (the peak; -1 for none). The text and HTML reports both choose with
 * this, so they leave out the same rows. */
int tfit_draw_row_kept(int32_t r, int32_t n, int32_t focus, int32_t max_rows);

/* The sentence under a chart that leaves ops out, the one wording of the
 * text report, check's HTML page and its SVG: "N of M ops left out:
 * <open>tinyfit layers MODEL --device ID<close> draws every op", the
 * command between open and close (backticks, <code>, a monospace tspan),
 * ID escaped with tfit_html_escape() when markup is set. The caller adds
 * what goes before and after (indent, element, full stop, newline). */
void tfit_draw_elided_note(uint64_t left_out, uint64_t n_ops, const char *device_id, const char *open,
			   const char *close, int markup, struct tfit_strbuf *out);

/* The op type alone ("conv_2d+relu"), "inputs" for scope 0, of a
 * timeline's scope. */
const char *tfit_draw_scope_type(const struct tfit_model *m, const struct tfit_arena_timeline *t,
				 int32_t scope, char *buf, size_t size);

/* A buffer's name: its tensor's name (or "tensor N"), or "scratch of op N". */
const char *tfit_draw_buffer_name(const struct tfit_model *m, const struct tfit_plan_buffer *b,
				  char *buf, size_t size);

/* Which plan placed the arena's head: "TFLM's plan (offline, from the
 * model's OfflineMemoryAllocation)" when TFLM honours the model's offline
 * plan (plan.h used_offline_plan), else "TFLM's plan" (its greedy planner). */
const char *tfit_draw_plan_label(int offline_plan);

struct tfit_fit_result;
/* Each distinct runtime footnote (terms.note) of the planned results with
 * memory figures, in order, each followed by sep; nothing when none. The
 * number written. */
size_t tfit_runtime_notes(const struct tfit_fit_result *r, size_t n, const char *sep,
			struct tfit_strbuf *out);

/* The axis step (1, 2 or 5 x 10^k) giving at most max_ticks steps up to
 * top; at least 1. */
double tfit_draw_nice_step(double top, int max_ticks);
/* The same without the floor of 1 (for axes below 1: 0.05 ms). */
double tfit_draw_nice_step_fine(double top, int max_ticks);

struct tfit_table;
struct tfit_compare_report;
struct tfit_render_opts;

/* Display width of UTF-8 text (one column per code point). */
size_t tfit_draw_text_cols(const char *s);
/* Append s padded to width columns, or cut to width - 1 and an ellipsis
 * ("~" when ascii) when wider. */
void tfit_draw_put_cut(struct tfit_strbuf *out, const char *s, size_t width, int ascii);

/* The bar's width on a text line of fixed columns besides the label and
 * the bar, fitted to o->width (100 when 0): the label is capped at 22
 * columns and shortened (down to 10) on narrow terminals before the bar;
 * the bar gets what is left, 8 to 40 columns. */
size_t tfit_draw_bar_width(const struct tfit_render_opts *o, size_t fixed, size_t *label_w);

/* Estimated latency per op (op_ms[0..n_ops) of subgraph 0 of m) as bars,
 * the three slowest named; method says how it was estimated
 * (latency_bars.c). HTML: an inline SVG and a line naming the slowest;
 * text: one line per op fitted to o->width, each starting with indent. */
/* With max_bars > 0 and more ops than that, HTML draws only the bars
 * tfit_draw_row_kept() keeps around the slowest op, a break marker with
 * the count for each run left out; returns how many ops were left out. */
uint32_t tfit_render_latency_html(const struct tfit_model *m, const double *op_ms, uint32_t n_ops,
				  double total_ms, const char *method, const char *id,
				  int32_t max_bars, struct tfit_strbuf *out);
void tfit_render_latency_text(const struct tfit_model *m, const double *op_ms, uint32_t n_ops,
			      double total_ms, const char *indent, const struct tfit_render_opts *o,
			      struct tfit_strbuf *out);

/* A table fragment whose columns sort with tfit_html_sort_script(): each
 * numeric cell carries its raw number (data-v), a numeric cell without one
 * is marked "na" (hatched), percentage columns (key *_percent) get a small
 * usage bar, and styled text cells (verdicts, gates) a check, cross or
 * question mark, so nothing is told by colour alone (render_html.c). */
void tfit_render_table_html_sortable(const struct tfit_table *t, struct tfit_strbuf *out);
/* The inline script that makes every table.sortable sortable (once per page). */
void tfit_html_sort_script(struct tfit_strbuf *out);

/* compare's HTML page: the tables (planned and/or textbook, NULL when not
 * shown), the latency-against-SRAM chart, the gates, check's per-board
 * sections when rep->check (html_compare.c). */
void tfit_render_compare_html(const struct tfit_compare_report *rep, const struct tfit_table *planned,
			      const struct tfit_table *textbook, const struct tfit_render_opts *o,
			      struct tfit_strbuf *out);
struct tfit_fit_result;
/* check's HTML: one bar per memory limit the verdict checks (app slot, RAM
 * total, the arena's region, the --weights-in region) against the
 * region's physical and usable size, the binding one marked; id prefixes
 * element ids (html_regions.c). */
void tfit_render_region_bars_html(const struct tfit_fit_result *r, const char *id, struct tfit_strbuf *out);
struct tfit_check_timing;
/* check's real-time (--deadline) and battery (--battery, --duty) lines as
 * the text report prints them, one per line, each starting "  realtime " or
 * "  battery  "; nothing when neither was asked (check_report.c). The HTML
 * page shows the same lines. sleep_mw: the profile's sleep power (0 = none). */
void tfit_check_rt_battery_text(const struct tfit_check_timing *t, double sleep_mw,
				struct tfit_strbuf *out);
/* The chart alone: estimated latency against SRAM use, one mark per row. */
void tfit_render_compare_chart(const struct tfit_compare_report *rep, struct tfit_strbuf *out);

#endif
