/*
 * render_json.c - the versioned JSON documents (docs/output.md) of layers,
 * check and compare, and the helpers every JSON document uses (json_out.h);
 * optimize's document is in optimize_json.c, quant's in quant_json.c.
 * Built with cJSON (ARCHITECTURE.md allows it in the JSON renderer);
 * integers are emitted as raw text so that 64-bit byte counts stay exact.
 */
#include "json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "util/numeric.h"
#include "util/text_filter.h"

void tfit_jo_add(cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !cJSON_AddItemToObject(obj, key, item))
		cJSON_Delete(item);
}

void tfit_jo_u64(cJSON *obj, const char *key, uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	tfit_jo_add(obj, key, cJSON_CreateRaw(buf));
}

void tfit_jo_i64(cJSON *obj, const char *key, int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	tfit_jo_add(obj, key, cJSON_CreateRaw(buf));
}

/* The shortest %.Ng text (N <= 17) that reads back as exactly v. */
static void shortest(char *buf, size_t n, double v)
{
	int prec;
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, n, "%.17g", v);
}

/* The JSON text of a finite double with decimals places (see tfit_jo_num). */
static void num_text(char *buf, size_t n, double v, int decimals)
{
	double mag = fabs(v);
	/* Fixed decimals keep the text stable, except where they would lose
	 * the value: below 10^(1 - decimals) (one significant digit or none
	 * left: 0.00004 ms is not "0.0000") and from 1e15 up (a long fixed
	 * text; 1e59 used to overflow a 64-byte buffer and be cut). There the
	 * shortest text that reads back as the same double goes out. */
	if (v != 0.0 && (mag < tfit_pow10(1 - decimals) || mag >= 1e15))
		shortest(buf, n, v);
	else
		snprintf(buf, n, "%.*f", decimals, v);
}

int tfit_jo_nonfinite(cJSON *obj, const char *key, double v)
{
	char rkey[96];
	if (isfinite(v))
		return 0;
	tfit_jo_add(obj, key, cJSON_CreateNull());
	if (isinf(v)) {
		snprintf(rkey, sizeof(rkey), "%s_reason", key);
		tfit_jo_add(obj, rkey, cJSON_CreateString(v > 0 ? TFIT_JO_INF_REASON : TFIT_JO_NEG_INF_REASON));
	}
	return 1;
}

void tfit_jo_num(cJSON *obj, const char *key, double v, int decimals)
{
	char buf[64];
	if (tfit_jo_nonfinite(obj, key, v))
		return;
	num_text(buf, sizeof(buf), v, decimals);
	tfit_jo_add(obj, key, cJSON_CreateRaw(buf));
}

/* A string that is not valid UTF-8 or holds a control character: only a
 * path from the command line or a directory listing can (what files hold
 * was checked and filtered when read), and cJSON would copy its bytes
 * into the output, which then is not JSON. */
static int needs_filter(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			return 1;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = tfit_utf8_seq(p + i, n - i)) == 0 || (p[i] == 0xC2 && p[i + 1] <= 0x9F))
			return 1;
		i += k;
	}
	return 0;
}

void tfit_jo_str(cJSON *obj, const char *key, const char *s)
{
	char *shown;
	if (!s || !needs_filter(s)) {
		tfit_jo_add(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
		return;
	}
	/* as every reader shows it: controls and bytes that are not UTF-8 as '?' */
	shown = tfit_text_filter_dup(s);
	tfit_jo_add(obj, key, shown ? cJSON_CreateString(shown) : NULL);
	free(shown);
}

void tfit_jo_bool(cJSON *obj, const char *key, int v)
{
	tfit_jo_add(obj, key, cJSON_CreateBool(v));
}

cJSON *tfit_jo_document(const char *command)
{
	cJSON *doc = cJSON_CreateObject();
	if (!doc)
		return NULL;
	tfit_jo_u64(doc, "schema_version", TFIT_JSON_SCHEMA_VERSION);
	tfit_jo_str(doc, "tinyfit_version", TFIT_VERSION);
	tfit_jo_str(doc, "command", command);
	return doc;
}

static cJSON *shape_array(const struct tfit_tensor *t)
{
	cJSON *a = cJSON_CreateArray();
	int32_t i;
	for (i = 0; a && t && i < t->rank; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%lld", (long long)tfit_dim(t, i));
		cJSON_AddItemToArray(a, cJSON_CreateRaw(buf));
	}
	return a;
}

cJSON *tfit_jo_model(const struct tfit_model *m)
{
	cJSON *mo = cJSON_CreateObject();
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t i;
	if (!mo)
		return NULL;
	tfit_jo_str(mo, "name", m->name);
	tfit_jo_str(mo, "path", m->path);
	tfit_jo_str(mo, "format", tfit_model_format_name(m->format));
	tfit_jo_str(mo, "dtype", tfit_dtype_name(m->dtype));
	tfit_jo_u64(mo, "params", m->params);
	tfit_jo_u64(mo, "deployed_params", m->deployed_params);
	tfit_jo_u64(mo, "macs", m->macs);
	tfit_jo_u64(mo, "weights_bytes", m->weights_bytes);
	tfit_jo_u64(mo, "ops", sg->n_ops);
	tfit_jo_u64(mo, "tensors", sg->n_tensors);
	if (m->file_bytes)
		tfit_jo_u64(mo, "file_bytes", m->file_bytes);
	{
		cJSON *w = cJSON_CreateArray();
		for (i = 0; w && i < m->n_warnings; i++)
			cJSON_AddItemToArray(w, cJSON_CreateString(m->warnings[i]));
		tfit_jo_add(mo, "warnings", w);
	}
	return mo;
}

/* The marker of lazy array k: a raw value (printed as it is) that no
 * other value prints, since cJSON escapes control characters in strings
 * and raw values are numbers. */
#define LAZY_MARK '\x01'

void tfit_jo_add_lazy(cJSON *obj, const char *key, struct tfit_jo_lazies *l,
		      tfit_jo_element_fn element, const void *ctx, size_t n)
{
	char mark[32];
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct tfit_jo_lazy *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->oom = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].element = element;
	l->v[l->n].ctx = ctx;
	l->v[l->n].n = n;
	snprintf(mark, sizeof(mark), "%c%zu%c", LAZY_MARK, l->n, LAZY_MARK);
	l->n++;
	tfit_jo_add(obj, key, cJSON_CreateRaw(mark));
}

static void emit_lazy(struct tfit_jo_lazies *l, size_t k, size_t depth, struct tfit_strbuf *out);

/* text (a cJSON_Print) into out with `extra` more tabs after each newline
 * (outside strings cJSON prints only its own formatting as newlines: it
 * escapes those in strings), each lazy array's marker as the array. */
static void emit_text(const char *text, size_t extra, struct tfit_jo_lazies *l,
		      struct tfit_strbuf *out)
{
	static const char stops[] = { '\n', LAZY_MARK, '\0' };
	const char *p = text, *line = text;
	while (*p && !out->oom) {
		size_t span = strcspn(p, stops);
		tfit_strbuf_add(out, p, span);
		p += span;
		if (*p == '\n') {
			tfit_strbuf_putc(out, '\n');
			tfit_strbuf_pad(out, '\t', extra);
			line = ++p;
		} else if (*p == LAZY_MARK) {
			char *end;
			unsigned long long k = strtoull(p + 1, &end, 10);
			if (!l || k >= l->n || *end != LAZY_MARK) {
				out->oom = 1; /* cannot happen: only tfit_jo_add_lazy marks */
				return;
			}
			/* the marker sits after its key, on a line of as many tabs
			 * as the object's depth: the array's is one more */
			emit_lazy(l, (size_t)k, strspn(line, "\t") + extra + 1, out);
			p = end + 1;
		}
	}
}

/* print_array of cJSON with the array at `depth`: "[", the elements
 * separated by ", " (each printed as at depth 0, so its lines take depth
 * more tabs), "]". The lazy arrays an element adds are printed with it,
 * and their places in the list are then used again by the next one. */
static void emit_lazy(struct tfit_jo_lazies *l, size_t k, size_t depth, struct tfit_strbuf *out)
{
	const struct tfit_jo_lazy a = l->v[k]; /* a copy: an element may grow the list */
	size_t i, n = l->n;
	tfit_strbuf_putc(out, '[');
	for (i = 0; i < a.n && !out->oom; i++) {
		cJSON *e = a.element(a.ctx, i);
		char *text = e && !l->oom ? cJSON_Print(e) : NULL;
		cJSON_Delete(e);
		if (!text) {
			out->oom = 1;
			break;
		}
		if (i)
			tfit_strbuf_puts(out, ", ");
		emit_text(text, depth, l, out);
		free(text);
		l->n = n;
	}
	tfit_strbuf_putc(out, ']');
}

void tfit_jo_finish_lazy(cJSON *doc, struct tfit_jo_lazies *l, struct tfit_strbuf *out)
{
	char *text = doc ? cJSON_Print(doc) : NULL;
	cJSON_Delete(doc);
	if (!text || (l && l->oom))
		out->oom = 1;
	else
		emit_text(text, 0, l, out);
	tfit_strbuf_putc(out, '\n');
	free(text);
	if (l) {
		free(l->v);
		l->v = NULL;
		l->n = l->cap = 0;
	}
}

void tfit_jo_finish(cJSON *doc, struct tfit_strbuf *out)
{
	tfit_jo_finish_lazy(doc, NULL, out);
}

void tfit_render_layers_json(const struct tfit_model *m, struct tfit_strbuf *out)
{
	tfit_render_layers_json_cost(m, NULL, NULL, out);
}

/* latency_ms_low/high (null without an interval), the interval in % and,
 * when known (prior >= 0), whether it is a prior's and why. */
static void interval_json(cJSON *o, double low, double high, double pct, int prior,
			  const char *basis)
{
	if (pct > 0 && !isnan(low) && !isnan(high)) {
		tfit_jo_num(o, "latency_ms_low", low, 4);
		tfit_jo_num(o, "latency_ms_high", high, 4);
		tfit_jo_num(o, "latency_interval_pct", pct, 0);
	} else {
		tfit_jo_add(o, "latency_ms_low", cJSON_CreateNull());
		tfit_jo_add(o, "latency_ms_high", cJSON_CreateNull());
		tfit_jo_add(o, "latency_interval_pct", cJSON_CreateNull());
	}
	if (prior >= 0) {
		tfit_jo_bool(o, "latency_interval_prior", prior);
		tfit_jo_str(o, "latency_interval_basis", basis);
	}
}

/* Energy means one thing: active power x latency (null without a power
 * figure, the reason in energy_method); the power figure and its scope;
 * the per-operation lower bound in its own fields. */
static void energy_json(cJSON *o, double energy_mj, double power_mw, const char *scope,
			const char *method, double lower_bound_mj, const char *lower_bound_method)
{
	int known = !isnan(energy_mj);
	tfit_jo_num(o, "energy_mj", energy_mj, 9);
	tfit_jo_num(o, "active_power_mw", known && power_mw > 0 ? power_mw : NAN, 3);
	tfit_jo_str(o, "active_power_scope", known ? tfit_power_scope_text(scope) : NULL);
	tfit_jo_str(o, "energy_method", method ? method :
		    known ? "estimate: active power from the device profile x estimated latency" :
		    "unknown: the profile has no sourced active_power_mw");
	tfit_jo_num(o, "energy_lower_bound_mj", lower_bound_mj, 9);
	if (lower_bound_method)
		tfit_jo_str(o, "energy_lower_bound_method", lower_bound_method);
}

/* The estimate's model-level fields: latency, energy and how they were made. */
static void add_cost(cJSON *mo, const struct tfit_cost_result *c, const char *device_id)
{
	tfit_jo_str(mo, "device", device_id);
	tfit_jo_str(mo, "runtime", c->runtime);
	tfit_jo_num(mo, "clock_mhz", c->clock_mhz, 3);
	tfit_jo_num(mo, "cycles", c->cycles, 0);
	tfit_jo_num(mo, "latency_ms", c->latency_ms, 6);
	interval_json(mo, c->latency_ms_low, c->latency_ms_high, c->interval_pct, c->interval_prior,
		      c->interval_basis);
	tfit_jo_str(mo, "latency_method", c->method);
	tfit_jo_str(mo, "cost_table", c->table);
	energy_json(mo, c->energy_mj, c->power_mw, c->power_scope, c->energy_method,
		    c->energy_lower_bound_mj, c->energy_lower_bound_method);
}

struct layers_ctx {
	const struct tfit_model *m;
	const struct tfit_cost_result *cost; /* NULL: no estimate */
};

/* layers's element i of "layers": the op and, with an estimate, its cost
 * kind, cycles, latency, share and energy. */
static cJSON *layer_json(const void *ctx, size_t i)
{
	const struct layers_ctx *lc = ctx;
	const struct tfit_subgraph *sg = &lc->m->subgraphs[0];
	const struct tfit_op *op = &sg->ops[i];
	const struct tfit_tensor *o = op->n_outputs && tfit_op_outputs(op)[0] >= 0 ?
				      &sg->tensors[tfit_op_outputs(op)[0]] : NULL;
	cJSON *lo = cJSON_CreateObject();
	char buf[256];
	if (!lo)
		return NULL;
	tfit_jo_u64(lo, "index", i);
	tfit_jo_str(lo, "name", op->name ? op->name : (o ? o->name : NULL));
	tfit_jo_str(lo, "type", tfit_op_display_type(op, buf, sizeof(buf)));
	tfit_jo_add(lo, "output_shape", shape_array(o));
	tfit_jo_str(lo, "output_dtype", o ? tfit_dtype_name(o->dtype) : NULL);
	tfit_jo_u64(lo, "params", tfit_op_params(sg, op));
	tfit_jo_u64(lo, "source_params", tfit_op_source_params(sg, op));
	tfit_jo_u64(lo, "macs", tfit_op_macs(op));
	tfit_jo_u64(lo, "elem_ops", tfit_op_elem_ops(op));
	tfit_jo_u64(lo, "weights_bytes", tfit_op_weights_bytes(sg, op));
	tfit_jo_u64(lo, "output_bytes", tfit_op_output_bytes(sg, op));
	if (lc->cost) {
		const struct tfit_cost_result *c = lc->cost;
		const struct tfit_cost_op *co = &c->ops[i];
		tfit_jo_str(lo, "cost_class", co->kind >= 0 ?
				tfit_cost_kind_name((enum tfit_cost_kind)co->kind) : NULL);
		tfit_jo_str(lo, "cost_dtype", tfit_cost_dtype_name((enum tfit_cost_dtype)co->dtype));
		tfit_jo_str(lo, "cost_unit", co->unit == TFIT_COST_ON_ACCEL ? "accelerator" : "cpu");
		tfit_jo_num(lo, "cycles", co->cycles, 0);
		tfit_jo_num(lo, "latency_ms", tfit_cost_op_latency_ms(c, (uint32_t)i), 6);
		tfit_jo_num(lo, "latency_share", tfit_cost_op_share(c, (uint32_t)i), 6);
		tfit_jo_num(lo, "energy_mj", tfit_cost_op_energy_mj(c, (uint32_t)i), 9);
		tfit_jo_num(lo, "energy_lower_bound_mj", co->energy_lower_bound_mj, 9);
	}
	return lo;
}

void tfit_render_layers_json_cost(const struct tfit_model *m, const struct tfit_cost_result *cost,
				  const char *device_id, struct tfit_strbuf *out)
{
	struct tfit_jo_lazies lazies = TFIT_JO_LAZIES_INIT;
	struct layers_ctx lc;
	cJSON *doc = tfit_jo_document("layers");
	lc.m = m;
	lc.cost = cost && cost->n_ops == m->subgraphs[0].n_ops ? cost : NULL;
	if (doc) {
		cJSON *mo = tfit_jo_model(m);
		if (mo) {
			tfit_jo_add_lazy(mo, "layers", &lazies, layer_json, &lc, m->subgraphs[0].n_ops);
			if (lc.cost)
				add_cost(mo, lc.cost, device_id);
		}
		tfit_jo_add(doc, "model", mo);
		tfit_jo_add(doc, "results", cJSON_CreateArray());
	}
	tfit_jo_finish_lazy(doc, &lazies, out);
}

/* ---- `tinyfit check` ---- */

/* used / available / percent / margin: the start of "flash" and "sram". */
static cJSON *usage_object(uint64_t used, uint64_t avail, double pct, int64_t margin)
{
	cJSON *o = cJSON_CreateObject();
	if (o) {
		tfit_jo_u64(o, "used_bytes", used);
		if (avail) {
			tfit_jo_u64(o, "available_bytes", avail);
			tfit_jo_num(o, "used_percent", pct, 2);
			tfit_jo_i64(o, "margin_bytes", margin);
		} else { /* unknown */
			cJSON_AddNullToObject(o, "available_bytes");
			cJSON_AddNullToObject(o, "used_percent");
			cJSON_AddNullToObject(o, "margin_bytes");
		}
	}
	return o;
}

/* The same with the used total unknown (the runtime's term outside its
 * data, fit.h runtime_outside): used, percent and margin null. */
static cJSON *usage_object_unknown(uint64_t avail)
{
	cJSON *o = usage_object(0, avail, NAN, 0);
	if (o) {
		cJSON_ReplaceItemInObjectCaseSensitive(o, "used_bytes", cJSON_CreateNull());
		cJSON_ReplaceItemInObjectCaseSensitive(o, "used_percent", cJSON_CreateNull());
		cJSON_ReplaceItemInObjectCaseSensitive(o, "margin_bytes", cJSON_CreateNull());
	}
	return o;
}

/* "runtime_bytes", or null with "runtime_bytes_reason" (why the figures
 * do not cover it) when the runtime's figures do not cover the model (fit.h,
 * runtime_outside). */
static void runtime_bytes(cJSON *o, const struct tfit_fit_result *r, uint64_t v)
{
	if (!r->runtime_outside) {
		tfit_jo_u64(o, "runtime_bytes", v);
		return;
	}
	tfit_jo_add(o, "runtime_bytes", cJSON_CreateNull());
	tfit_jo_str(o, "runtime_bytes_reason", r->outside_reason);
}

/* An external-memory option's placement (check's advice, compare's rows). */
static void external_fields(cJSON *e, const struct tfit_fit_option *op)
{
	tfit_jo_str(e, "option", op->option);
	tfit_jo_str(e, "region", op->region);
	tfit_jo_str(e, "region_kind", tfit_mem_kind_name(op->region_kind));
	tfit_jo_u64(e, "region_bytes", op->region_size_bytes);
	tfit_jo_u64(e, "region_usable_bytes", op->region_usable_bytes);
	tfit_jo_u64(e, "placed_bytes", op->placed_bytes);
	tfit_jo_num(e, "latency_ms", op->latency_ms, 3);
	tfit_jo_num(e, "latency_internal_ms", op->latency_internal_ms, 3);
}


/* An optimize option: which model (the rewrite or the plan alone), its
 * arena and the MACs it adds (check's advice, compare's rows). */
static void optimize_fields(cJSON *e, const struct tfit_fit_option *op)
{
	tfit_jo_str(e, "optimize_method", op->patched ? "patches" : "plan_only");
	tfit_jo_u64(e, "arena_bytes", op->arena_bytes);
	tfit_jo_num(e, "mac_overhead", op->mac_overhead, 4);
	if (op->patched)
		tfit_jo_str(e, "patches", op->patches);
}

/* compare's "external_memory" and "optimize": the option's text, whether
 * it fits (it does: compare offers only those), what it uses and its own
 * fields (external_fields, optimize_fields). */
static cJSON *option_json(const struct tfit_fit_option *op,
			  void (*fields)(cJSON *, const struct tfit_fit_option *))
{
	cJSON *e = cJSON_CreateObject();
	if (e) {
		tfit_jo_str(e, "text", op->text);
		tfit_jo_bool(e, "fits", op->fits);
		tfit_jo_u64(e, "flash_used_bytes", op->flash_used_bytes);
		tfit_jo_u64(e, "sram_used_bytes", op->sram_used_bytes);
		fields(e, op);
	}
	return e;
}

static const char *model_stored_id(enum tfit_model_stored s)
{
	return s == TFIT_MODEL_STORED_WEIGHTS ? "weights" : "file";
}

/* "arena_peak"'s "live" element i: a tensor live at the peak. */
static cJSON *live_json(const void *ctx, size_t i)
{
	const struct tfit_fit_result *r = ctx;
	cJSON *e = cJSON_CreateObject();
	if (e) {
		tfit_jo_str(e, "name", r->peak[i].name);
		tfit_jo_u64(e, "bytes", r->peak[i].bytes);
	}
	return e;
}

static cJSON *fit_result_json(const struct tfit_fit_result *r, const struct tfit_fit_advice *a,
			      struct tfit_jo_lazies *lazies)
{
	cJSON *o = cJSON_CreateObject(), *f, *s;
	uint32_t i;
	if (!o)
		return NULL;
	tfit_jo_str(o, "device", r->device->id);
	tfit_jo_str(o, "device_name", r->device->name);
	tfit_jo_str(o, "runtime", r->method == TFIT_METHOD_PLANNED ? r->runtime : NULL);
	tfit_jo_str(o, "method", tfit_method_name(r->method));
	tfit_jo_bool(o, "fits", r->fits);
	tfit_jo_str(o, "verdict", tfit_verdict_id(r->verdict));
	tfit_jo_str(o, "reason", r->reason[0] ? r->reason : NULL);
	tfit_jo_str(o, "limiting", tfit_resource_name(r->limiting));
	if (r->memory_unknown) {
		/* cost tables but no memory profile: say so, give no numbers */
		tfit_jo_str(o, "memory_note", r->memory_note);
		f = cJSON_CreateObject();
		s = cJSON_CreateObject();
		if (f) {
			tfit_jo_add(f, "used_bytes", cJSON_CreateNull());
			tfit_jo_u64(f, "available_bytes", r->flash.available_bytes);
			tfit_jo_u64(f, "weights_bytes", r->flash.weights_bytes);
			tfit_jo_add(f, "runtime_bytes", cJSON_CreateNull());
			tfit_jo_u64(f, "reserve_bytes", r->flash.reserve_bytes);
		}
		if (s) {
			static const char *const unknown[] = { "used_bytes", "arena_bytes", "arena_head_bytes",
							       "arena_tail_bytes", "arena_plan", "lower_bound_bytes" };
			size_t q;
			for (q = 0; q < sizeof(unknown) / sizeof(unknown[0]); q++)
				tfit_jo_add(s, unknown[q], cJSON_CreateNull());
			tfit_jo_u64(s, "available_bytes", r->sram.available_bytes);
			tfit_jo_u64(s, "reserve_bytes", r->sram.reserve_bytes);
		}
		tfit_jo_add(o, "flash", f);
		tfit_jo_add(o, "sram", s);
		return o;
	}
	f = r->runtime_outside ? usage_object_unknown(r->flash.available_bytes)
			       : usage_object(r->flash.used_bytes, r->flash.available_bytes,
					      r->flash_percent, r->flash_margin_bytes);
	if (f) {
		tfit_jo_u64(f, "model_bytes", r->flash.model_bytes);
		tfit_jo_bool(f, "model_bytes_exact", r->flash.model_exact);
		tfit_jo_u64(f, "weights_bytes", r->flash.weights_bytes);
		tfit_jo_u64(f, "container_bytes", r->flash.overhead_bytes);
		runtime_bytes(f, r, r->flash.runtime_bytes);
		tfit_jo_str(f, "runtime_measured_on", r->flash.runtime_measured_on);
		tfit_jo_u64(f, "reserve_bytes", r->flash.reserve_bytes);
		tfit_jo_str(f, "region", r->flash.region_name[0] ? r->flash.region_name : NULL);
		tfit_jo_bool(f, "model_in_image", r->flash.model_in_image);
		tfit_jo_str(f, "model_stored", model_stored_id(r->terms.model_stored));
		tfit_jo_str(f, "slot_from", tfit_slot_from_id(r->flash.slot_from));
	}
	tfit_jo_add(o, "flash", f);
	if (r->method == TFIT_METHOD_PLANNED) {
		cJSON *w = cJSON_CreateObject();
		if (w) {
			tfit_jo_str(w, "model_stored", model_stored_id(r->terms.model_stored));
			tfit_jo_str(w, "model", r->terms.model);
			tfit_jo_str(w, "model_constant", r->terms.model_constant);
			tfit_jo_str(w, "arena", r->terms.arena);
			tfit_jo_str(w, "arena_constant", r->terms.arena_constant);
			tfit_jo_str(w, "runtime_ram", r->terms.state);
			tfit_jo_str(w, "runtime_code", r->terms.code);
		}
		tfit_jo_add(o, "runtime_terms", w);
	} else {
		tfit_jo_add(o, "runtime_terms", cJSON_CreateNull());
	}
	s = r->runtime_outside ? usage_object_unknown(r->sram.available_bytes)
			       : usage_object(r->sram.used_bytes, r->sram.available_bytes,
					      r->sram_percent, r->sram_margin_bytes);
	if (s) {
		tfit_jo_u64(s, "arena_bytes", r->sram.arena_bytes);
		tfit_jo_u64(s, "arena_head_bytes", r->sram.arena_head_bytes);
		tfit_jo_u64(s, "arena_tail_bytes", r->sram.arena_tail_bytes);
		tfit_jo_str(s, "arena_plan", r->method != TFIT_METHOD_PLANNED ? NULL
					     : r->sram.arena_offline_plan ? "offline" : "greedy");
		tfit_jo_u64(s, "lower_bound_bytes", r->sram.lower_bound_bytes);
		runtime_bytes(s, r, r->sram.runtime_bytes);
		tfit_jo_u64(s, "reserve_bytes", r->sram.reserve_bytes);
		tfit_jo_num(s, "total_percent", r->sram_total_percent, 2);
		tfit_jo_str(s, "binding", r->method != TFIT_METHOD_PLANNED ? "total"
			    : r->runtime_outside ? NULL : r->sram_binding_region ? "region" : "total");
	}
	tfit_jo_add(o, "sram", s);
	if (r->method == TFIT_METHOD_PLANNED) {
		cJSON *g = usage_object(r->sram.region_used_bytes, r->sram.region_bytes,
					r->region_percent,
					tfit_fit_margin(r->sram.region_used_bytes, r->sram.region_bytes));
		if (g) {
			tfit_jo_str(g, "name", r->sram.region_name[0] ? r->sram.region_name : NULL);
			tfit_jo_str(g, "kind", r->sram.region_name[0] ? tfit_mem_kind_name(r->sram.region_kind) : NULL);
			tfit_jo_u64(g, "size_bytes", r->sram.region_size_bytes);
			tfit_jo_bool(g, "external", r->sram.region_external);
			tfit_jo_bool(g, "placed", r->sram.arena_placed);
		}
		tfit_jo_add(o, "arena_region", g);
		if (r->weights.placed) {
			cJSON *w = usage_object(r->weights.used_bytes, r->weights.available_bytes,
						r->weights.available_bytes ? (double)r->weights.used_bytes * 100.0 /
						(double)r->weights.available_bytes : NAN,
						tfit_fit_margin(r->weights.used_bytes, r->weights.available_bytes));
			if (w) {
				tfit_jo_str(w, "name", r->weights.region_name);
				tfit_jo_str(w, "kind", tfit_mem_kind_name(r->weights.region_kind));
				tfit_jo_u64(w, "size_bytes", r->weights.region_bytes);
				tfit_jo_bool(w, "same_as_arena", r->weights.same_as_arena);
			}
			tfit_jo_add(o, "weights_region", w);
		} else {
			tfit_jo_add(o, "weights_region", cJSON_CreateNull());
		}
	}
	if (r->method == TFIT_METHOD_PLANNED) {
		cJSON *p = cJSON_CreateObject();
		if (p) {
			if (r->peak_op >= 0)
				tfit_jo_i64(p, "op_index", r->peak_op);
			else
				tfit_jo_add(p, "op_index", cJSON_CreateNull());
			tfit_jo_str(p, "op_name", r->peak_op >= 0 ? r->peak_op_name : NULL);
			tfit_jo_add_lazy(p, "live", lazies, live_json, r, r->n_peak);
			tfit_jo_num(p, "planner_efficiency", r->planner_efficiency, 4);
		}
		tfit_jo_add(o, "arena_peak", p);
	} else {
		cJSON *tb = cJSON_CreateObject();
		if (tb) {
			tfit_jo_num(tb, "model_bytes", r->textbook_model_bytes, 2);
			tfit_jo_num(tb, "required_ram_bytes", r->textbook_ram_bytes, 2);
			tfit_jo_num(tb, "arena_multiplier", r->arena_multiplier, 4);
			tfit_jo_num(tb, "efficiency", r->efficiency, 4);
			tfit_jo_num(tb, "latency_ms", r->textbook_latency_ms, 4);
		}
		tfit_jo_add(o, "textbook", tb);
	}
	if (a && r->verdict == TFIT_VERDICT_DOES_NOT_FIT) {
		cJSON *adv = cJSON_CreateObject(), *opts = cJSON_CreateArray();
		if (adv) {
			tfit_jo_u64(adv, "flash_over_bytes", a->flash_over_bytes);
			tfit_jo_u64(adv, "sram_over_bytes", a->sram_over_bytes);
			for (i = 0; opts && i < a->n_options; i++) {
				const struct tfit_fit_option *op = &a->options[i];
				cJSON *e = cJSON_CreateObject();
				if (!e)
					break;
				tfit_jo_str(e, "kind", tfit_option_kind_name(op->kind));
				tfit_jo_str(e, "text", op->text);
				if (op->has_numbers) {
					tfit_jo_bool(e, "fits", op->fits);
					tfit_jo_u64(e, "flash_used_bytes", op->flash_used_bytes);
					tfit_jo_u64(e, "sram_used_bytes", op->sram_used_bytes);
				}
				if (op->kind == TFIT_OPTION_QUANTIZE)
					tfit_jo_str(e, "dtype", tfit_dtype_name(op->dtype));
				if (op->kind == TFIT_OPTION_SHRINK_LAYER) {
					tfit_jo_str(e, "layer", op->layer);
					tfit_jo_u64(e, "layer_output_bytes", op->layer_output_bytes);
				}
				if (op->kind == TFIT_OPTION_EXTERNAL_MEMORY)
					external_fields(e, op);
				if (op->kind == TFIT_OPTION_OPTIMIZE)
					optimize_fields(e, op);
				if (op->kind == TFIT_OPTION_OTHER_BOARD) {
					tfit_jo_str(e, "device", op->device_id);
					if (op->price_usd > 0)
						tfit_jo_num(e, "price_usd", op->price_usd, 2);
				}
				cJSON_AddItemToArray(opts, e);
			}
			tfit_jo_add(adv, "options", opts);
		}
		tfit_jo_add(o, "advice", adv);
	}
	return o;
}

/* "thresholds": every gate evaluated on r (fit.h's record, raw numbers) */
static void add_thresholds(cJSON *o, const struct tfit_gate_result *g, size_t n,
			   const struct tfit_fit_result *r)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;
	for (i = 0; arr && i < n; i++) {
		cJSON *t;
		int bytes;
		if (g[i].result != r)
			continue;
		t = cJSON_CreateObject();
		if (!t)
			break;
		bytes = g[i].unit == TFIT_GATE_BYTES;
		tfit_jo_str(t, "device", g[i].device_id);
		tfit_jo_str(t, "name", tfit_gate_kind_id(g[i].kind));
		tfit_jo_str(t, "kind", g[i].is_minimum ? "min" : "max");
		if (bytes)
			tfit_jo_i64(t, "limit", (int64_t)g[i].limit);
		else
			tfit_jo_num(t, "limit", g[i].limit, 4);
		if (bytes && g[i].value == g[i].value)
			tfit_jo_i64(t, "value", (int64_t)g[i].value);
		else
			tfit_jo_num(t, "value", g[i].value, 4);
		tfit_jo_str(t, "unit", tfit_gate_unit_id(g[i].unit));
		tfit_jo_bool(t, "pass", g[i].pass);
		cJSON_AddItemToArray(arr, t);
	}
	tfit_jo_add(o, "thresholds", arr);
}

/* "layers_latency_ms" element i: an op's latency, null when not finite. */
static cJSON *op_latency_json(const void *ctx, size_t i)
{
	const struct tfit_check_timing *t = ctx;
	char nb[64];
	double ms = t->op_latency_ms[i];
	if (!isfinite(ms))
		return cJSON_CreateNull();
	num_text(nb, sizeof(nb), ms, 4);
	return cJSON_CreateRaw(nb);
}

void tfit_render_check_json(const struct tfit_check_report *rep, struct tfit_strbuf *out)
{
	struct tfit_jo_lazies lazies = TFIT_JO_LAZIES_INIT;
	cJSON *doc = tfit_jo_document("check"), *results;
	size_t i;
	if (doc) {
		tfit_jo_add(doc, "model", tfit_jo_model(rep->model));
		results = cJSON_CreateArray();
		for (i = 0; results && i < rep->n_results; i++) {
			cJSON *o = fit_result_json(&rep->results[i], &rep->advice[i], &lazies);
			const struct tfit_check_timing *t = rep->timing ? &rep->timing[i] : NULL;
			if (o && t) {
				if (t->has_latency) {
					tfit_jo_num(o, "latency_ms", t->latency_ms, 4);
					interval_json(o, t->latency_ms_low, t->latency_ms_high, t->interval_pct,
						      t->interval_prior, t->interval_basis);
					tfit_jo_str(o, "latency_method", t->method);
					energy_json(o, t->energy_mj, t->active_power_mw, t->power_scope,
						    t->energy_method, t->energy_lower_bound_mj,
						    t->energy_lower_bound_method);
					if (t->op_latency_ms) {
						uint32_t q;
						int inf = 0;
						for (q = 0; q < t->n_ops; q++)
							inf |= isinf(t->op_latency_ms[q]);
						tfit_jo_add_lazy(o, "layers_latency_ms", &lazies, op_latency_json,
								 t, t->n_ops);
						if (inf)
							tfit_jo_str(o, "layers_latency_ms_reason",
								    TFIT_JO_INF_REASON);
					}
				} else if (rep->results[i].method == TFIT_METHOD_PLANNED) {
					tfit_jo_add(o, "latency_ms", cJSON_CreateNull());
					tfit_jo_add(o, "energy_mj", cJSON_CreateNull());
					tfit_jo_str(o, "latency_method", t->note[0] ? t->note : NULL);
				}
				if (t->has_realtime) {
					cJSON *rt = cJSON_CreateObject();
					if (rt) {
						tfit_jo_num(rt, "deadline_ms", t->deadline_ms, 4);
						tfit_jo_bool(rt, "pass", t->rt_pass);
						tfit_jo_num(rt, "margin_ms", t->rt_margin_ms, 4);
						tfit_jo_num(rt, "margin_percent", t->rt_margin_pct, 2);
					}
					tfit_jo_add(o, "realtime", rt);
				}
				if (t->has_battery) {
					cJSON *bt = cJSON_CreateObject();
					if (bt) {
						tfit_jo_num(bt, "rate_hz", t->rate_hz, 6);
						tfit_jo_num(bt, "capacity_mah", t->capacity_mah, 2);
						tfit_jo_num(bt, "voltage_v", t->voltage_v, 3);
						tfit_jo_num(bt, "awake_ms", t->awake_ms > 0 ? t->awake_ms : NAN, 3);
						tfit_jo_bool(bt, "known", t->battery_known);
						tfit_jo_bool(bt, "feasible", t->battery_known && t->battery_feasible);
						tfit_jo_num(bt, "average_power_mw",
							    t->battery_known ? t->average_power_mw : NAN, 6);
						tfit_jo_num(bt, "life_hours",
							    t->battery_known ? t->life_hours : NAN, 3);
						tfit_jo_bool(bt, "sleep_power_known", t->sleep_power_known);
						tfit_jo_str(bt, "sleep_power_scope", t->sleep_power_scope);
					}
					tfit_jo_add(o, "battery", bt);
				}
			}
			if (o)
				add_thresholds(o, rep->gates, rep->n_gates, &rep->results[i]);
			cJSON_AddItemToArray(results, o);
		}
		tfit_jo_add(doc, "results", results);
		tfit_jo_bool(doc, "pass", rep->pass);
	}
	tfit_jo_finish_lazy(doc, &lazies, out);
}

/* ---- `tinyfit compare` ---- */

void tfit_render_compare_json(const struct tfit_compare_report *rep, struct tfit_strbuf *out)
{
	struct tfit_jo_lazies lazies = TFIT_JO_LAZIES_INIT;
	cJSON *doc = tfit_jo_document("compare"), *results, *models;
	size_t i;
	if (doc) {
		tfit_jo_add(doc, "model", rep->n_models ? tfit_jo_model(rep->models[0]) : cJSON_CreateNull());
		models = cJSON_CreateArray();
		for (i = 0; models && i < rep->n_models; i++)
			cJSON_AddItemToArray(models, tfit_jo_model(rep->models[i]));
		tfit_jo_add(doc, "models", models);
		results = cJSON_CreateArray();
		for (i = 0; results && i < rep->n_rows; i++) {
			const struct tfit_compare_row *row = &rep->rows[i];
			int k;
			for (k = 0; k < 2; k++) {
				const struct tfit_fit_result *r = k == 0 ? row->planned : row->textbook;
				cJSON *o;
				if (!r)
					continue;
				o = fit_result_json(r, NULL, &lazies);
				if (!o)
					continue;
				tfit_jo_str(o, "model", row->model->name);
				tfit_jo_str(o, "label", row->label ? row->label : row->model->name);
				tfit_jo_str(o, "file", row->file);
				if (r->method == TFIT_METHOD_PLANNED) {
					tfit_jo_num(o, "latency_ms", row->latency_ms, 4);
					interval_json(o, row->latency_ms_low, row->latency_ms_high, row->interval_pct,
						      -1, NULL);
					energy_json(o, row->energy_mj, r->device->active_power_mw,
						    row->power_scope, NULL, row->energy_lower_bound_mj, NULL);
					tfit_jo_str(o, "latency_method", row->latency_method);
					if (row->external)
						tfit_jo_add(o, "external_memory", option_json(row->external, external_fields));
					else
						tfit_jo_add(o, "external_memory", cJSON_CreateNull());
					tfit_jo_add(o, "optimize", row->optimize ? option_json(row->optimize, optimize_fields)
									 : cJSON_CreateNull());
				}
				if (r->device->price_usd > 0)
					tfit_jo_num(o, "price_usd", r->device->price_usd, 2);
				else
					tfit_jo_add(o, "price_usd", cJSON_CreateNull());
				add_thresholds(o, rep->gates, rep->n_gates, r);
				cJSON_AddItemToArray(results, o);
			}
		}
		tfit_jo_add(doc, "results", results);
		{
			/* --fits-only: the pairs left out of results (they do not
			 * fit), with their verdicts and every threshold checked on
			 * them, so "pass" is explained by what the document holds */
			cJSON *hid = cJSON_CreateArray();
			for (i = 0; hid && i < rep->n_hidden; i++) {
				const struct tfit_compare_row *row = &rep->hidden[i];
				const struct tfit_fit_result *r = row->planned ? row->planned : row->textbook;
				cJSON *h = cJSON_CreateObject();
				if (!h || !r)
					break;
				tfit_jo_str(h, "model", row->model->name);
				tfit_jo_str(h, "label", row->label ? row->label : row->model->name);
				tfit_jo_str(h, "file", row->file);
				tfit_jo_str(h, "device", r->device->id);
				tfit_jo_str(h, "method", tfit_method_name(r->method));
				tfit_jo_str(h, "verdict", tfit_verdict_name(r->verdict));
				tfit_jo_bool(h, "fits", r->fits);
				add_thresholds(h, rep->gates, rep->n_gates, r);
				cJSON_AddItemToArray(hid, h);
			}
			tfit_jo_add(doc, "hidden", hid);
		}
		tfit_jo_bool(doc, "pass", rep->pass);
		tfit_jo_bool(doc, "complete", rep->complete);
		{
			/* models that could not be read, then model-board pairs
			 * that could not be compared (the exit code is 2) */
			cJSON *errs = cJSON_CreateArray();
			for (i = 0; errs && i < rep->n_errors + rep->n_pair_errors; i++) {
				const struct tfit_compare_error *x = i < rep->n_errors ? &rep->errors[i] :
								     &rep->pair_errors[i - rep->n_errors];
				cJSON *e = cJSON_CreateObject();
				if (!e)
					break;
				tfit_jo_str(e, "file", x->file);
				tfit_jo_str(e, "label", x->label);
				tfit_jo_str(e, "message", x->message);
				tfit_jo_str(e, "device", x->device ? x->device->id : NULL);
				cJSON_AddItemToArray(errs, e);
			}
			tfit_jo_add(doc, "errors", errs);
		}
	}
	tfit_jo_finish_lazy(doc, &lazies, out);
}
