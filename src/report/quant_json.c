/*
 * quant_json.c - the JSON documents of `tinyfit quant` (docs/output.md,
 * docs/output.schema.json): the common top level, "model" (null for a bare
 * range), "results" (one object per scheme, or per tensor) and, for a
 * model, "findings". Real numbers carry 9 significant digits, enough to
 * round-trip a float32 scale.
 */
#include "json_out.h"

#include <math.h>
#include <stdio.h>

#include "tinyfit/quant_report.h"

/* A real number with 9 significant digits; NaN/inf become null (tfit_jo_nonfinite). */
static void num(cJSON *obj, const char *key, double v)
{
	char buf[48];
	if (tfit_jo_nonfinite(obj, key, v))
		return;
	snprintf(buf, sizeof(buf), "%.9g", v);
	tfit_jo_add(obj, key, cJSON_CreateRaw(buf));
}

void tfit_render_quant_range_json(const struct tfit_quant_range_report *r, struct tfit_strbuf *out)
{
	cJSON *doc = tfit_jo_document("quant");
	cJSON *req, *res, *diff;
	size_t i;
	char line[1024];
	if (!doc) {
		out->oom = 1;
		return;
	}
	tfit_jo_add(doc, "model", cJSON_CreateNull());
	req = cJSON_CreateObject();
	if (req) {
		num(req, "range_min", r->request.range_min);
		num(req, "range_max", r->request.range_max);
		if (r->request.has_value)
			num(req, "value", r->request.value);
		else
			tfit_jo_add(req, "value", cJSON_CreateNull());
		tfit_jo_u64(req, "bits", r->request.bits);
	}
	tfit_jo_add(doc, "request", req);
	res = cJSON_CreateArray();
	for (i = 0; res && i < r->n_schemes; i++) {
		const struct tfit_quant_scheme *s = &r->schemes[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		tfit_jo_str(o, "method", tfit_quant_method_name(s->method));
		tfit_jo_u64(o, "bits", s->bits);
		num(o, "used_min", s->used_min);
		num(o, "used_max", s->used_max);
		num(o, "scale", s->scale);
		tfit_jo_i64(o, "zero_point", s->zero_point);
		tfit_jo_i64(o, "q_min", s->q_min);
		tfit_jo_i64(o, "q_max", s->q_max);
		num(o, "representable_min", s->repr_min);
		num(o, "representable_max", s->repr_max);
		num(o, "worst_error", s->worst_error);
		num(o, "clip_low", s->clip_low);
		num(o, "clip_high", s->clip_high);
		num(o, "clip_share", s->clip_share);
		tfit_jo_bool(o, "zero_exact", s->zero_exact);
		if (s->has_value) {
			tfit_jo_i64(o, "quantized", s->quantized);
			num(o, "dequantized", s->dequantized);
			num(o, "error", s->error);
			tfit_jo_bool(o, "clipped", s->clipped);
		} else {
			tfit_jo_add(o, "quantized", cJSON_CreateNull());
			tfit_jo_add(o, "dequantized", cJSON_CreateNull());
			tfit_jo_add(o, "error", cJSON_CreateNull());
			tfit_jo_add(o, "clipped", cJSON_CreateNull());
		}
		tfit_jo_str(o, "formula", s->formula);
		tfit_jo_str(o, "source", s->source);
		tfit_jo_str(o, "note", s->note);
		cJSON_AddItemToArray(res, o);
	}
	tfit_jo_add(doc, "results", res);
	diff = cJSON_CreateArray();
	for (i = 0; diff && i + 1 < r->n_schemes; i++)
		cJSON_AddItemToArray(diff, cJSON_CreateString(
			tfit_quant_explain(&r->request, &r->schemes[i], &r->schemes[i + 1], line,
					   sizeof(line))));
	tfit_jo_add(doc, "differences", diff);
	tfit_jo_finish(doc, out);
}

/* "results" element i: tensor i of the report, its scheme and range. */
static cJSON *tensor_json(const void *ctx, size_t i)
{
	const struct tfit_quant_model_report *r = ctx;
	const struct tfit_subgraph *sg = &r->model->subgraphs[0];
	const struct tfit_quant_tensor *q = &r->tensors[i];
	const struct tfit_tensor *t = &sg->tensors[q->index];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	tfit_jo_u64(o, "index", q->index);
	tfit_jo_str(o, "name", t->name);
	tfit_jo_str(o, "role", tfit_quant_role_name(q->role));
	tfit_jo_str(o, "dtype", tfit_dtype_name(t->dtype));
	tfit_jo_str(o, "scheme", q->scheme);
	tfit_jo_u64(o, "scale_count", tfit_tensor_quant(t)->scale_count);
	tfit_jo_u64(o, "zero_point_count", tfit_tensor_quant(t)->zero_point_count);
	tfit_jo_i64(o, "quantized_dimension", tfit_tensor_quant(t)->quantized_dimension);
	if (tfit_tensor_quant(t)->values && tfit_tensor_quant(t)->scale_count) {
		num(o, "scale", tfit_tensor_quant(t)->values->scale_first);
		num(o, "scale_min", tfit_tensor_quant(t)->values->scale_min);
		num(o, "scale_max", tfit_tensor_quant(t)->values->scale_max);
	} else {
		tfit_jo_add(o, "scale", cJSON_CreateNull());
	}
	if (tfit_tensor_quant(t)->values && tfit_tensor_quant(t)->zero_point_count) {
		tfit_jo_i64(o, "zero_point", tfit_tensor_quant(t)->values->zero_point_first);
		tfit_jo_i64(o, "zero_point_min", tfit_tensor_quant(t)->values->zero_point_min);
		tfit_jo_i64(o, "zero_point_max", tfit_tensor_quant(t)->values->zero_point_max);
	} else {
		tfit_jo_add(o, "zero_point", cJSON_CreateNull());
	}
	if (q->has_range) {
		num(o, "representable_min", q->repr_min);
		num(o, "representable_max", q->repr_max);
		num(o, "step", q->step);
		num(o, "worst_error", q->worst_error);
	}
	return o;
}

/* "findings" element i. */
static cJSON *finding_json(const void *ctx, size_t i)
{
	const struct tfit_quant_finding *x = &((const struct tfit_quant_model_report *)ctx)->findings[i];
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	tfit_jo_str(o, "kind", tfit_quant_finding_name(x->kind));
	tfit_jo_str(o, "severity", tfit_quant_severity_name(x->severity));
	if (x->tensor >= 0)
		tfit_jo_u64(o, "tensor", (uint64_t)x->tensor);
	if (x->op >= 0)
		tfit_jo_u64(o, "op", (uint64_t)x->op);
	tfit_jo_str(o, "message", x->message);
	return o;
}

void tfit_render_quant_model_json(const struct tfit_quant_model_report *r, struct tfit_strbuf *out)
{
	struct tfit_jo_lazies lazies = TFIT_JO_LAZIES_INIT;
	cJSON *doc = tfit_jo_document("quant");
	if (!doc) {
		out->oom = 1;
		return;
	}
	tfit_jo_add(doc, "model", tfit_jo_model(r->model));
	tfit_jo_bool(doc, "what_if", r->what_if);
	tfit_jo_bool(doc, "pass", r->worst_severity < 2);
	tfit_jo_add_lazy(doc, "results", &lazies, tensor_json, r, r->n_tensors);
	tfit_jo_add_lazy(doc, "findings", &lazies, finding_json, r, r->n_findings);
	tfit_jo_finish_lazy(doc, &lazies, out);
}
