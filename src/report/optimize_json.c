/*
 * optimize_json.c - the JSON document of `tinyfit optimize` (docs/output.md,
 * docs/output.schema.json): the common top level, "model" null, "results"
 * empty, and "optimize": the model before and after (arena head, tail and
 * size, MACs, ops, file size, latency), the plan's proof and what the
 * rewrite did (the patch-based stages, docs/optimize.md section 4).
 */
#include "json_out.h"

#include "tinyfit/optimize.h"
#include "tinyfit/report.h"

static cJSON *optimize_side(const struct tfit_optimize_side *s)
{
	cJSON *o = cJSON_CreateObject();
	if (o) {
		tfit_jo_u64(o, "head_bytes", s->head_bytes);
		tfit_jo_u64(o, "tail_bytes", s->tail_bytes);
		tfit_jo_u64(o, "arena_bytes", s->arena_bytes);
		tfit_jo_u64(o, "macs", s->macs);
		tfit_jo_u64(o, "ops", s->n_ops);
		tfit_jo_u64(o, "file_bytes", s->file_bytes);
		if (s->has_latency)
			tfit_jo_num(o, "latency_ms", s->latency_ms, 6);
		else
			tfit_jo_str(o, "latency_ms", NULL);
	}
	return o;
}

/* The patch-based rewrite (docs/optimize.md section 4). */
static cJSON *optimize_patch(const struct tfit_optimize_result *r)
{
	cJSON *p = cJSON_CreateObject();
	if (!p)
		return NULL;
	tfit_jo_bool(p, "searched", !r->plan_only && r->max_mac_overhead > 0);
	cJSON_AddNumberToObject(p, "max_mac_overhead", r->max_mac_overhead);
	tfit_jo_u64(p, "candidates", r->patch_candidates);
	tfit_jo_u64(p, "evaluated", r->patch_evaluated);
	tfit_jo_u64(p, "plan_only_arena_bytes", r->plan_only_arena_bytes);
	tfit_jo_bool(p, "applied", r->patches_done);
	tfit_jo_bool(p, "dropped_for_board", r->patch_dropped);
	if (r->patches_done) {
		cJSON *a = cJSON_CreateArray();
		uint32_t i;
		for (i = 0; a && i < r->n_patch_stages && i < TFIT_OPTIMIZE_MAX_STAGES; i++) {
			const struct tfit_optimize_stage *x = &r->patch[i];
			cJSON *o = cJSON_CreateObject();
			if (!o)
				break;
			tfit_jo_u64(o, "first_op", x->first_op);
			tfit_jo_u64(o, "last_op", x->last_op);
			tfit_jo_u64(o, "rows", x->rows);
			tfit_jo_u64(o, "cols", x->cols);
			tfit_jo_str(o, "stage_input", x->in);
			tfit_jo_str(o, "stage_output", x->out);
			cJSON_AddItemToArray(a, o);
		}
		tfit_jo_add(p, "stages", a);
	}
	return p;
}

void tfit_render_optimize_json(const struct tfit_optimize_result *r, struct tfit_strbuf *out)
{
	cJSON *doc = tfit_jo_document("optimize"), *o;
	if (doc) {
		tfit_jo_add(doc, "model", cJSON_CreateNull());
		tfit_jo_add(doc, "results", cJSON_CreateArray());
		o = cJSON_CreateObject();
		if (o) {
			tfit_jo_str(o, "model", r->model_name);
			tfit_jo_str(o, "runtime", r->runtime);
			tfit_jo_add(o, "before", optimize_side(&r->before));
			tfit_jo_add(o, "after", optimize_side(&r->after));
			tfit_jo_u64(o, "lower_bound_bytes", r->lower_bound_bytes);
			tfit_jo_bool(o, "proven_optimal", r->proven_optimal);
			tfit_jo_bool(o, "plan_written", r->plan_written);
			tfit_jo_u64(o, "reshapes_aliased", r->n_aliased);
			tfit_jo_u64(o, "scratch_buffers", r->n_scratch);
			tfit_jo_u64(o, "search_nodes", r->search_nodes);
			tfit_jo_u64(o, "ops_added", r->ops_added);
			tfit_jo_bool(o, "patches", r->patches_done);
			tfit_jo_add(o, "patch", optimize_patch(r));
			tfit_jo_str(o, "latency_method", r->before.has_latency ?
								 r->latency_method : NULL);
		}
		tfit_jo_add(doc, "optimize", o);
	}
	tfit_jo_finish(doc, out);
}
