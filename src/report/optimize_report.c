/* optimize_report.c - the before/after table of `tinyfit optimize`. */
#include "tinyfit/report.h"

#include <stdio.h>
#include <string.h>


static void set_change(struct tfit_table *t, size_t r, uint64_t before, uint64_t after)
{
	char text[64], raw[64];
	if (before == 0 || before == after) {
		tfit_table_set(t, r, 3, before == after ? "=" : "", before == after ? "0" : "");
		return;
	}
	snprintf(text, sizeof(text), "%+.1f%%", 100.0 * ((double)after - (double)before) /
		 (double)before);
	snprintf(raw, sizeof(raw), "%lld", (long long)after - (long long)before);
	tfit_table_set(t, r, 3, text, raw);
	if (after < before)
		tfit_table_set_style(t, r, 3, TFIT_STYLE_GOOD);
}

static void bytes_row(struct tfit_table *t, const char *what, uint64_t before, uint64_t after)
{
	size_t r = tfit_table_add_row(t);
	tfit_table_set(t, r, 0, what, NULL);
	tfit_table_set_bytes(t, r, 1, before);
	tfit_table_set_bytes(t, r, 2, after);
	set_change(t, r, before, after);
}

static void count_row(struct tfit_table *t, const char *what, uint64_t before, uint64_t after)
{
	size_t r = tfit_table_add_row(t);
	tfit_table_set(t, r, 0, what, NULL);
	tfit_table_set_count(t, r, 1, before);
	tfit_table_set_count(t, r, 2, after);
	set_change(t, r, before, after);
}

static void ms_cell(struct tfit_table *t, size_t r, size_t c, double ms)
{
	char text[64], raw[64];
	snprintf(text, sizeof(text), "%.3f ms", ms);
	snprintf(raw, sizeof(raw), "%.6f", ms);
	tfit_table_set(t, r, c, text, raw);
}

/* What patch-based execution did (docs/optimize.md section 4). */
static void patch_note(const struct tfit_optimize_result *o, struct tfit_table *t)
{
	if (o->patches_done) {
		char stages[1024];
		size_t n = 0;
		uint32_t i;
		stages[0] = '\0';
		for (i = 0; i < o->n_patch_stages && i < TFIT_OPTIMIZE_MAX_STAGES; i++) {
			const struct tfit_optimize_stage *x = &o->patch[i];
			int w = snprintf(stages + n, sizeof(stages) - n, "%sops %u-%u (%s -> %s) "
					 "as %ux%u patches", i ? ", then " : "", x->first_op,
					 x->last_op, x->in, x->out, x->rows, x->cols);
			if (w < 0 || (size_t)w >= sizeof(stages) - n)
				break;
			n += (size_t)w;
		}
		tfit_table_add_note(t, "patches: %s, one after the other (STRIDED_SLICE, PAD with "
				    "the zero point, VALID convolutions, CONCATENATION; outputs "
				    "bit-identical): MACs %+.1f%% (budget +%g%%), kTensorArenaSize "
				    "%llu with the plan alone", stages,
				    o->before.macs ? 100.0 * ((double)o->after.macs -
							      (double)o->before.macs) /
							     (double)o->before.macs : 0.0,
				    100.0 * o->max_mac_overhead,
				    (unsigned long long)o->plan_only_arena_bytes);
	} else if (o->patch_dropped) {
		tfit_table_add_note(t, "patches: the best rewrite (kTensorArenaSize %llu, model file "
				    "%llu B) does not fit the board while the plan alone does: the "
				    "plan alone is written",
				    (unsigned long long)o->dropped_arena_bytes,
				    (unsigned long long)o->dropped_file_bytes);
	} else if (o->plan_only || o->max_mac_overhead <= 0) {
		tfit_table_add_note(t, "patches: not searched (%s)",
				    o->plan_only ? "--plan-only" : "MAC budget 0%");
	} else if (!o->patch_candidates) {
		tfit_table_add_note(t, "patches: no stage to patch within +%g%% MACs (a chain of "
				    "CONV_2D, DEPTHWISE_CONV_2D, PAD and ADD on one NHWC input, "
				    "docs/optimize.md)", 100.0 * o->max_mac_overhead);
	} else {
		tfit_table_add_note(t, "patches: none of %u stage and grid choices within +%g%% "
				    "MACs (%u planned) gives a smaller arena than the plan alone",
				    o->patch_candidates, 100.0 * o->max_mac_overhead,
				    o->patch_evaluated);
	}
}

void tfit_optimize_table(const struct tfit_optimize_result *o, struct tfit_table *t)
{
	char title[512];
	size_t r;
	snprintf(title, sizeof(title), "%s: tinyfit optimize (%s arena)", o->model_name,
		 o->runtime);
	tfit_table_init(t, title);
	tfit_table_add_col(t, "Quantity", "quantity", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Before", "before", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "After", "after", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Change", "change", TFIT_ALIGN_RIGHT);
	bytes_row(t, "arena head (planned buffers)", o->before.head_bytes, o->after.head_bytes);
	bytes_row(t, "arena tail (persistent)", o->before.tail_bytes, o->after.tail_bytes);
	r = tfit_table_add_row(t);
	tfit_table_set(t, r, 0, "kTensorArenaSize", NULL);
	tfit_table_set_u64(t, r, 1, o->before.arena_bytes);
	tfit_table_set_u64(t, r, 2, o->after.arena_bytes);
	set_change(t, r, o->before.arena_bytes, o->after.arena_bytes);
	tfit_table_set_style(t, r, 2, TFIT_STYLE_BOLD);
	count_row(t, "MACs", o->before.macs, o->after.macs);
	if (o->before.has_latency && o->after.has_latency) {
		r = tfit_table_add_row(t);
		tfit_table_set(t, r, 0, "latency (estimate)", NULL);
		ms_cell(t, r, 1, o->before.latency_ms);
		ms_cell(t, r, 2, o->after.latency_ms);
		tfit_table_set(t, r, 3, o->before.latency_ms == o->after.latency_ms ? "=" : "",
			       NULL);
	}
	count_row(t, "ops", o->before.n_ops, o->after.n_ops);
	bytes_row(t, "model file", o->before.file_bytes, o->after.file_bytes);

	if (o->plan_written)
		tfit_table_add_note(t, "plan: %s; %u RESHAPE output%s placed on %s input%s; "
				    "written as OfflineMemoryAllocation metadata (TFLM honours it "
				    "unchanged)",
				    o->proven_optimal ?
					    (o->after.head_bytes == o->lower_bound_bytes ?
						     "optimal placement (the lower bound is reached)" :
						     "optimal placement (proven by the search)") :
					    "best placement found (search stopped at its node limit)",
				    o->n_aliased, o->n_aliased == 1 ? "" : "s",
				    o->n_aliased == 1 ? "its" : "their",
				    o->n_aliased == 1 ? "" : "s");
	else
		tfit_table_add_note(t, "plan: TFLM's own plan is already %s; the model is "
				    "written unchanged",
				    o->proven_optimal ? "optimal for these buffers" :
							"the best placement found");
	tfit_table_add_note(t, "lower bound: %llu B live at once (16-byte sizes, after "
			    "aliasing)%s", (unsigned long long)o->lower_bound_bytes,
			    o->n_scratch ? "; scratch buffers stay with TFLM's planner" : "");
	patch_note(o, t);
	tfit_table_add_note(t, "after: the written model read back and planned as TFLM plans "
			    "it; ops added: %u", o->ops_added);
	if (o->before.has_latency)
		tfit_table_add_note(t, "latency: %s", o->latency_method);
}

void tfit_render_optimize(const struct tfit_optimize_result *o, enum tfit_format fmt,
			  const struct tfit_render_opts *ro, struct tfit_strbuf *out)
{
	struct tfit_table t;
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
	case TFIT_FORMAT_MARKDOWN:
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		tfit_optimize_table(o, &t);
		tfit_render_table_release(&t, fmt, ro, out);
		break;
	case TFIT_FORMAT_JSON:
		tfit_render_optimize_json(o, out);
		break;
	case TFIT_FORMAT_SVG:   /* no picture of a before/after table */
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;
	}
}
