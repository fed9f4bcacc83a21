/*
 * fit.c - flash and SRAM budgets and the verdict, by the planned method
 * (TFLM's real arena) or the textbook method (the course formulas). See
 * fit.h for the model and docs/budgets.md for every constant's source.
 */
#include "tinyfit/fit.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/ops.h"
#include "util/strmap.h"
#include "util/numeric.h"
#include "fit_internal.h"

const char *tfit_method_name(enum tfit_method m)
{
	return m == TFIT_METHOD_TEXTBOOK ? "textbook" : "planned";
}

const char *tfit_resource_name(enum tfit_resource r)
{
	switch (r) {
	case TFIT_RES_NONE: return "none";
	case TFIT_RES_FLASH: return "flash";
	case TFIT_RES_SRAM: return "sram";
	case TFIT_RES_ARENA_REGION: return "sram_region";
	case TFIT_RES_UNKNOWN: return "unknown";
	case TFIT_RES_WEIGHTS_REGION: return "weights_region";
	case TFIT_RES_MISSING_REGION: return "missing_region";
	}
	return "unknown";
}

const char *tfit_fit_limiting_text(const struct tfit_fit_result *r, char *buf, size_t size)
{
	if (r->limiting == TFIT_RES_MISSING_REGION && r->missing_region[0] && size) {
		snprintf(buf, size, "no %s region", r->missing_region);
		return buf;
	}
	return tfit_resource_name(r->limiting);
}

void tfit_fit_opts_init(struct tfit_fit_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->method = TFIT_METHOD_PLANNED;
	o->arena_multiplier = TFIT_TEXTBOOK_ARENA_MULTIPLIER;
	o->efficiency = TFIT_TEXTBOOK_EFFICIENCY;
}

void tfit_fit_ctx_init(struct tfit_fit_ctx *c, const struct tfit_model *m, const char *data_dir)
{
	memset(c, 0, sizeof(*c));
	c->model = m;
	c->data_dir = data_dir;
}

void tfit_fit_ctx_release(struct tfit_fit_ctx *c)
{
	uint32_t i;
	tfit_advice_optimize_release(c);
	for (i = 0; i < c->n; i++) {
		if (c->owned[i])
			tfit_runtime_free((struct tfit_runtime *)c->runtimes[i]);
		tfit_arena_plan_release(&c->plans[i]);
		free(c->errors[i]);
		c->errors[i] = NULL;
	}
	c->n = 0;
	for (i = 0; i < c->n_op_keys_owned; i++)
		free(c->op_keys_owned[i]);
	free(c->op_keys_owned);
	free(c->op_keys);
	c->op_keys = NULL;
	c->op_keys_owned = NULL;
	c->n_op_keys = c->n_op_keys_owned = 0;
	c->op_keys_listed = 0;
	c->n_code_bytes = 0;
	tfit_runtime_ids_free(c->memory_ids);
	c->memory_ids = NULL;
	c->memory_ids_failed = 0;
}

void tfit_fit_ctx_forget_from(struct tfit_fit_ctx *c, uint32_t n)
{
	uint32_t i;
	for (i = n; i < c->n; i++) {
		tfit_advice_optimize_release_slot(c, i);
		if (c->owned[i])
			tfit_runtime_free((struct tfit_runtime *)c->runtimes[i]);
		c->runtimes[i] = NULL;
		c->owned[i] = 0;
		tfit_arena_plan_release(&c->plans[i]);
		c->dropped[i] = 0;
		free(c->errors[i]);
		c->errors[i] = NULL;
	}
	if (n < c->n)
		c->n = n;
}

void tfit_fit_ctx_drop_plans(struct tfit_fit_ctx *c, const char *keep_id, size_t keep_len)
{
	uint32_t i;
	for (i = 0; i < c->n; i++)
		if (c->status[i] == TFIT_OK && !c->dropped[i] &&
		    !(keep_id && strlen(c->runtimes[i]->id) == keep_len &&
		      memcmp(c->runtimes[i]->id, keep_id, keep_len) == 0)) {
			tfit_arena_plan_release(&c->plans[i]);
			c->dropped[i] = 1;
		}
}

/* Plan slot i again in place (the same model and runtime: the same plan). */
static enum tfit_status replan(struct tfit_fit_ctx *c, uint32_t i, struct tfit_error *err)
{
	enum tfit_status st = tfit_plan_arena(c->model, c->runtimes[i], NULL, &c->plans[i], err);
	if (st == TFIT_OK)
		c->dropped[i] = 0;
	return st; /* still dropped: tried again when asked */
}

enum tfit_status tfit_fit_ctx_replan(struct tfit_fit_ctx *c, struct tfit_error *err)
{
	uint32_t i;
	enum tfit_status st;
	for (i = 0; i < c->n; i++)
		if (c->dropped[i] && (st = replan(c, i, err)) != TFIT_OK)
			return st;
	return TFIT_OK;
}

enum tfit_status tfit_fit_ctx_plan(struct tfit_fit_ctx *c, const char *rt_id,
				   const struct tfit_runtime **rt,
				   const struct tfit_arena_plan **plan, struct tfit_error *err)
{
	uint32_t i;
	enum tfit_status st;
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->runtimes[i]->id, rt_id) == 0) {
			if (c->status[i] != TFIT_OK) {
				*err = *c->errors[i];
				return c->status[i];
			}
			if (c->dropped[i] && (st = replan(c, i, err)) != TFIT_OK)
				return st;
			*rt = c->runtimes[i];
			*plan = &c->plans[i];
			return TFIT_OK;
		}
	}
	if (c->n == sizeof(c->runtimes) / sizeof(c->runtimes[0]))
		return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				      "more than %u runtimes in one run", c->n);
	if (c->runtime_set) {
		if (tfit_runtime_set_get(c->runtime_set, rt_id, &c->runtimes[c->n], err) != TFIT_OK)
			return err->code;
		c->owned[c->n] = 0;
	} else {
		struct tfit_runtime *own = NULL;
		if (tfit_runtime_load(c->data_dir, rt_id, &own, err) != TFIT_OK)
			return err->code;
		c->runtimes[c->n] = own;
		c->owned[c->n] = 1;
	}
	i = c->n;
	c->status[i] = tfit_plan_arena(c->model, c->runtimes[i], NULL, &c->plans[i], err);
	c->errors[i] = NULL;
	if (c->status[i] != TFIT_OK) {
		/* kept for the next request of this runtime; without the memory
		 * for the copy the runtime is not kept (planned again if asked) */
		c->errors[i] = malloc(sizeof(*c->errors[i]));
		if (!c->errors[i]) {
			tfit_arena_plan_release(&c->plans[i]);
			if (c->owned[i])
				tfit_runtime_free((struct tfit_runtime *)c->runtimes[i]);
			return c->status[i];
		}
		*c->errors[i] = *err;
		c->n++;
		return c->status[i];
	}
	c->n++;
	*rt = c->runtimes[i];
	*plan = &c->plans[i];
	return TFIT_OK;
}

/* The runtime's words into the result (NULL: the generic ones). */
/* src into dst[size], cut to size - 1 bytes as snprintf's "%s" would (a
 * copy, not a format: every board's evaluation copies the twelve terms) */
static void copy_term(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_terms(const struct tfit_runtime_terms *t, struct tfit_fit_terms *out)
{
	if (!t)
		t = tfit_runtime_terms_generic();
	out->model_stored = t->model_stored;
#define COPY(f) copy_term(out->f, sizeof(out->f), t->f)
	COPY(model);
	COPY(model_constant);
	COPY(arena);
	COPY(arena_constant);
	COPY(arena_head);
	COPY(arena_tail);
	COPY(arena_plan);
	COPY(state);
	COPY(state_what);
	COPY(code);
	COPY(note);
	COPY(title);
#undef COPY
}

uint64_t tfit_fit_model_flash_bytes(const struct tfit_model *m, enum tfit_model_stored stored,
				    int *exact, uint64_t *overhead_bytes)
{
	uint64_t scales = 0, tensors = 0, ops = 0, over;
	uint32_t s, t;
	if (stored == TFIT_MODEL_STORED_WEIGHTS) {
		/* the generated weights blob: the model's constant tensors
		 * (an estimate: the generator may fold, pad or compress them) */
		*exact = 0;
		*overhead_bytes = 0;
		return m->weights_bytes;
	}
	if (m->format == TFIT_MODEL_FORMAT_TFLITE && m->file_bytes && !m->dtype_converted) {
		*exact = 1;
		*overhead_bytes = m->file_bytes > m->weights_bytes ? m->file_bytes - m->weights_bytes : 0;
		return m->file_bytes;
	}
	for (s = 0; s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *sg = &m->subgraphs[s];
		for (t = 0; t < sg->n_tensors; t++)
			scales = tfit_sat_add_u64(scales, tfit_tensor_quant(&sg->tensors[t])->scale_count);
		tensors = tfit_sat_add_u64(tensors, sg->n_tensors);
		ops = tfit_sat_add_u64(ops, sg->n_ops);
	}
	over = tfit_sat_add_u64(tfit_sat_add_u64(scales * TFIT_TFLITE_BYTES_PER_SCALE,
						 tensors * TFIT_TFLITE_BYTES_PER_TENSOR),
				ops * TFIT_TFLITE_BYTES_PER_OP);
	*exact = 0;
	*overhead_bytes = over;
	return tfit_sat_add_u64(m->weights_bytes, over);
}

/* The model's tensors, all subgraphs. */
static uint64_t model_tensors(const struct tfit_model *m)
{
	uint64_t n = 0;
	uint32_t s;
	for (s = 0; s < m->n_subgraphs; s++)
		n = tfit_sat_add_u64(n, m->subgraphs[s].n_tensors);
	return n;
}

/* Whether the comma-separated list ("armv7e-m,armv8-m.main") holds name
 * ("" is in no list). */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *a;
	for (a = list; *a; a += strcspn(a, ","), a += *a == ',')
		if (len && strncmp(a, name, len) == 0 && (a[len] == ',' || !a[len]))
			return 1;
	return 0;
}

/* An int8 model (its weights are int8) whose ops do not all compute in
 * int8 is one of TFLite's mixed schemes, each with kernels of its own, not
 * what rows fitted on int8 models measured: an op with an int16 output is
 * the 16x8 scheme (int8 weights, int16 activations); an op other than
 * DEQUANTIZE with a float32 output is the hybrid or dynamic-range scheme
 * (int8 weights, float32 activations) or a float op left in the model (after
 * a DEQUANTIZE, e.g. a float softmax). A fully int8 model's float edges stay
 * inside: QUANTIZE reads the float input but writes int8, and DEQUANTIZE
 * writes the float output. No `dtypes` list can name these schemes (it
 * holds model dtypes), so a table that has one covers neither. The first
 * such op goes to outside, within the 190 characters coverage() has. */
static void mixed_scheme(const struct tfit_model *m, const char *dtypes, char *outside,
			 size_t size)
{
	uint32_t s, j;
	for (s = 0; s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *sg = &m->subgraphs[s];
		for (j = 0; j < sg->n_ops; j++) {
			const struct tfit_op *op = &sg->ops[j];
			int32_t o = op->n_outputs ? tfit_op_outputs(op)[0] : -1;
			enum tfit_dtype t;
			if (o < 0 || (uint32_t)o >= sg->n_tensors)
				continue;
			t = sg->tensors[o].dtype;
			if (t == TFIT_DTYPE_INT16) {
				snprintf(outside, size, "op %" PRIu32 " (%.24s) computes in int16 "
					 "(TFLite's 16x8 scheme); the runtime's RAM and code figures "
					 "were fitted on %.32s models only",
					 j, tfit_op_desc(op->type)->name, dtypes);
				return;
			}
			if (t == TFIT_DTYPE_FLOAT32 && op->type != TFIT_OP_DEQUANTIZE) {
				snprintf(outside, size, "op %" PRIu32 " (%.24s) computes in float32 in an "
					 "int8 model (hybrid, or a float op); the runtime's RAM and "
					 "code figures were fitted on %.24s models only",
					 j, tfit_op_desc(op->type)->name, dtypes);
				return;
			}
		}
	}
}

/* Whether a fitted code table (archs, max_tensors, listed_kernels_only,
 * dtypes) covers the board's core and the model; when it does not, why goes
 * to outside (else outside is ""). Each reason stays within 190 characters,
 * the room r->reason leaves it (tfit_fit_evaluate). */
static void coverage(const struct tfit_code_table *code, const struct tfit_core_info *core,
		     const struct tfit_model *m, const char *const *keys, size_t n,
		     char *outside, size_t size)
{
	uint64_t tensors = model_tensors(m);
	size_t i;
	uint32_t k;
	const char *arch = core && core->arch ? core->arch : "";
	const char *dtype = m->dtype != TFIT_DTYPE_UNKNOWN ? tfit_dtype_name(m->dtype) : "";
	outside[0] = '\0';
	if (code->archs && !listed(code->archs, arch)) {
		snprintf(outside, size, "the %.32s core (%.16s) is none of the "
			 "architectures the runtime's RAM and code figures were fitted on "
			 "(%.48s)", core ? core->display : "?", arch[0] ? arch : "?",
			 code->archs);
		return;
	}
	if (code->max_tensors && tensors > code->max_tensors) {
		snprintf(outside, size, "the model has %" PRIu64 " tensors, more than the %" PRIu64
			 " of the largest model the runtime's RAM and code figures were fitted on",
			 tensors, code->max_tensors);
		return;
	}
	for (i = 0; code->listed_kernels_only && i < n; i++) {
		for (k = 0; k < code->n_kernels; k++)
			if (strcmp(code->kernels[k].op, keys[i]) == 0)
				break;
		if (k == code->n_kernels) {
			snprintf(outside, size, "op '%.60s' is in none of the models the runtime's "
				 "RAM and code figures were fitted on", keys[i]);
			return;
		}
	}
	if (code->dtypes && !listed(code->dtypes, dtype)) {
		snprintf(outside, size, "the model's dtype (%.16s) is none of the dtypes of the "
			 "models the runtime's RAM and code figures were fitted on (%.48s)",
			 dtype[0] ? dtype : "unknown", code->dtypes);
		return;
	}
	if (code->dtypes && m->dtype == TFIT_DTYPE_INT8)
		mixed_scheme(m, code->dtypes, outside, size);
}

/* The model's distinct op types ("conv_2d", "custom:NAME"), listed into
 * the context once (fit.h). */
static enum tfit_status list_op_keys(struct tfit_fit_ctx *c, struct tfit_error *err)
{
	const struct tfit_model *m = c->model;
	size_t cap = 0, k;
	uint32_t s, i;
	enum tfit_status st = TFIT_OK;
	struct tfit_strmap seen;

	if (c->op_keys_listed)
		return TFIT_OK;
	tfit_strmap_init(&seen);
	for (s = 0; s < m->n_subgraphs && st == TFIT_OK; s++) {
		for (i = 0; i < m->subgraphs[s].n_ops; i++) {
			const struct tfit_op *op = &m->subgraphs[s].ops[i];
			char buf[160];
			const char *key = tfit_op_desc(op->type)->name;
			if (op->type == TFIT_OP_CUSTOM && tfit_op_custom_name(op)) {
				snprintf(buf, sizeof(buf), "custom:%s", tfit_op_custom_name(op));
				key = buf;
			}
			if (tfit_strmap_get(&seen, key, &k))
				continue;
			if (c->n_op_keys == cap) {
				size_t nc = cap ? cap * 2 : 16;
				const char **nk = realloc(c->op_keys, nc * sizeof(*nk));
				char **no;
				if (nk)
					c->op_keys = nk;
				no = nk ? realloc(c->op_keys_owned, nc * sizeof(*no)) : NULL;
				if (!no) {
					st = TFIT_ERR_NOMEM;
					break;
				}
				c->op_keys_owned = no;
				cap = nc;
			}
			if (key == buf) {
				if (tfit_strdup_to(&c->op_keys_owned[c->n_op_keys_owned], buf) != TFIT_OK) {
					st = TFIT_ERR_NOMEM;
					break;
				}
				key = c->op_keys_owned[c->n_op_keys_owned++];
			}
			if (tfit_strmap_put(&seen, key, c->n_op_keys) != 0) {
				st = TFIT_ERR_NOMEM;
				break;
			}
			c->op_keys[c->n_op_keys++] = key;
		}
	}
	tfit_strmap_release(&seen);
	if (st != TFIT_OK)
		return tfit_error_set(err, TFIT_ERR_NOMEM, m->path, NULL, "out of memory");
	c->op_keys_listed = 1;
	return TFIT_OK;
}

/* Runtime code: the core, one kernel per distinct op type (each custom op
 * code its own), the code those kernels share (tfit_code_table_bytes) and
 * a part that grows with the model's tensors (a fitted table's).
 * The number of distinct types goes to *n_types for the op resolver's
 * state; whether the fitted table covers the model goes to outside. The
 * types and each code table's bytes for them are kept in c (fit.h). */
static enum tfit_status runtime_flash_bytes(struct tfit_fit_ctx *c,
					    const struct tfit_code_table *code,
					    const struct tfit_core_info *core, uint64_t *bytes,
					    uint32_t *n_types, char *outside, size_t outside_size,
					    struct tfit_error *err)
{
	const struct tfit_model *m = c->model;
	enum tfit_status st = list_op_keys(c, err);
	uint64_t per_tensor, kernels = 0;
	uint32_t i;

	if (st != TFIT_OK)
		return st;
	for (i = 0; i < c->n_code_bytes && c->code_bytes[i].code != code; i++)
		;
	if (i < c->n_code_bytes) {
		kernels = c->code_bytes[i].bytes;
	} else {
		kernels = tfit_code_table_bytes(code, c->op_keys, c->n_op_keys);
		if (c->n_code_bytes < sizeof(c->code_bytes) / sizeof(c->code_bytes[0])) {
			c->code_bytes[c->n_code_bytes].code = code;
			c->code_bytes[c->n_code_bytes++].bytes = kernels;
		}
	}
	per_tensor = model_tensors(m) > UINT64_MAX / (code->per_tensor_bytes + 1)
			     ? UINT64_MAX : model_tensors(m) * code->per_tensor_bytes;
	*bytes = tfit_sat_add_u64(kernels, per_tensor);
	*n_types = (uint32_t)c->n_op_keys;
	coverage(code, core, m, c->op_keys, c->n_op_keys, outside, outside_size);
	return TFIT_OK;
}

int64_t tfit_fit_margin(uint64_t used, uint64_t avail)
{
	if (avail >= used)
		return avail - used > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)(avail - used);
	return used - avail > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(used - avail);
}

static void peak_info(const struct tfit_model *m, const struct tfit_arena_plan *p,
		      struct tfit_fit_result *r)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t i, k;
	r->peak_op = p->peak_subgraph == 0 ? p->peak_op : -1;
	r->peak_op_name[0] = '\0';
	if (r->peak_op >= 0 && (uint32_t)r->peak_op < sg->n_ops) {
		const struct tfit_op *op = &sg->ops[r->peak_op];
		snprintf(r->peak_op_name, sizeof(r->peak_op_name), "%s",
			 op->name ? op->name : tfit_op_desc(op->type)->name);
	}
	r->n_peak = 0;
	/* the largest live buffers, largest first (insertion into a short list) */
	for (i = 0; i < p->n_peak_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[p->peak_buffers[i]];
		struct tfit_fit_tensor t;
		memset(&t, 0, sizeof(t));
		t.bytes = b->bytes;
		t.producer = -1;
		if (b->kind == TFIT_PLAN_SCRATCH) {
			const char *on = b->op >= 0 && (uint32_t)b->op < m->subgraphs[b->subgraph].n_ops &&
					 m->subgraphs[b->subgraph].ops[b->op].name ?
					 m->subgraphs[b->subgraph].ops[b->op].name : "op";
			snprintf(t.name, sizeof(t.name), "scratch of %s", on);
			t.producer = b->op;
		} else {
			const struct tfit_tensor *x = &m->subgraphs[b->subgraph].tensors[b->tensor];
			if (x->name)
				snprintf(t.name, sizeof(t.name), "%s", x->name);
			else
				snprintf(t.name, sizeof(t.name), "tensor %d", b->tensor);
			t.producer = b->subgraph == 0 ? b->op : -1;
		}
		for (k = r->n_peak; k > 0 && r->peak[k - 1].bytes < t.bytes; k--)
			if (k < TFIT_FIT_PEAK_MAX)
				r->peak[k] = r->peak[k - 1];
		if (k < TFIT_FIT_PEAK_MAX)
			r->peak[k] = t;
		if (r->n_peak < TFIT_FIT_PEAK_MAX)
			r->n_peak++;
	}
}

static double bytes_per_param(enum tfit_dtype d)
{
	switch (d) {
	case TFIT_DTYPE_FLOAT32: return 4.0;
	case TFIT_DTYPE_FLOAT16: return 2.0;
	case TFIT_DTYPE_INT4: return 0.5;
	case TFIT_DTYPE_INT16: return 2.0;
	default: return 1.0; /* int8 */
	}
}

/* ceil(v) as bytes, saturating: params x bytes x multiplier can exceed
 * 2^64 (a --params near 2^64, or a model of huge layers), and converting
 * such a double to uint64_t is undefined (tests/golden/limits_textbook_params_2p64). */
static uint64_t ceil_bytes(double v)
{
	if (!(v > 0.0))
		return 0;
	if (v >= 18446744073709551616.0) /* 2^64 */
		return UINT64_MAX;
	return (uint64_t)tfit_ceil(v);
}

static void textbook(const struct tfit_model *m, const struct tfit_device *d,
		     const struct tfit_fit_opts *o, struct tfit_fit_result *r)
{
	/* course-formulas.md: model bytes = params x bytes per param; required
	 * RAM = model x multiplier; fits when model <= flash and RAM <= SRAM
	 * (device totals, no reserve); latency = FLOPs / (MHz x 1e6 x eff)
	 * x 1000 with FLOPs = 2 x MACs. */
	double model = (double)m->params * bytes_per_param(m->dtype);
	double ram = model * o->arena_multiplier;
	r->arena_multiplier = o->arena_multiplier;
	r->efficiency = o->efficiency;
	r->textbook_model_bytes = model;
	r->textbook_ram_bytes = ram;
	r->textbook_latency_ms = d->clock_mhz > 0 ?
		2.0 * (double)m->macs / (d->clock_mhz * 1e6 * o->efficiency) * 1000.0 : NAN;
	r->flash.weights_bytes = ceil_bytes(model);
	r->flash.model_bytes = r->flash.weights_bytes;
	r->flash.used_bytes = r->flash.weights_bytes;
	r->flash.available_bytes = tfit_device_model_flash_bytes(d);
	r->flash.region_bytes = r->flash.available_bytes;
	r->flash.slot_from = TFIT_SLOT_TOTAL;
	r->flash.model_in_image = 1;
	r->sram.arena_bytes = ceil_bytes(ram);
	r->sram.used_bytes = r->sram.arena_bytes;
	r->sram.available_bytes = d->sram_bytes ? d->sram_bytes : d->dram_bytes;
}

/* 1 when data_dir/runtimes/<id>.json exists (the runtime's memory profile). */
static int has_memory_profile(struct tfit_fit_ctx *c, const char *id)
{
	size_t i;
	if (!c->memory_ids && !c->memory_ids_failed &&
	    tfit_runtime_ids(c->data_dir, &c->memory_ids, NULL) != TFIT_OK) {
		c->memory_ids = NULL;
		c->memory_ids_failed = 1;
	}
	if (!c->memory_ids)
		return 1; /* unreadable: let loading the profile report it */
	for (i = 0; c->memory_ids[i]; i++)
		if (strcmp(c->memory_ids[i], id) == 0)
			return 1;
	return 0;
}

/* Whether a region of kind k is part of the RAM total the SRAM check uses. */
static int in_total(enum tfit_mem_kind k, int total_is_dram)
{
	if (total_is_dram)
		return k == TFIT_MEM_SDRAM;
	return k == TFIT_MEM_SRAM || k == TFIT_MEM_DTCM || k == TFIT_MEM_ITCM;
}

/*
 * The verdict when the runtime's code and RAM figures are a bound fitted to
 * data that does not cover this model or board (outside says why): those
 * two terms are unknown, and so are the totals they are part of (fit.h,
 * runtime_outside). The verdict is what the known terms alone decide: when
 * the model does not fit without the runtime's code and RAM (each is at
 * least 0), it does not fit, limited by what the known part exceeds, and
 * the margins are that part's (the smallest shortfall the advice can
 * name); otherwise it is unknown. The extrapolated figures never decide a
 * verdict either way. r is placed (tfit_fit_place) and its totals are
 * summed; its verdict is not yet set.
 */
static void outside_verdict(struct tfit_fit_result *r, const char *outside)
{
	struct tfit_fit_result known = *r;

	known.flash.used_bytes = r->flash.used_bytes >= r->flash.runtime_bytes
		? r->flash.used_bytes - r->flash.runtime_bytes : 0;
	known.sram.used_bytes = r->sram.used_bytes >= r->sram.runtime_bytes
		? r->sram.used_bytes - r->sram.runtime_bytes : 0;
	/* the arena's region holds neither term: its figures stay */
	tfit_fit_verdict(&known, NULL);
	r->runtime_outside = 1;
	/* every message coverage() writes is at most 190 characters: 24 + 37
	 * + 190 always fits */
	snprintf(r->outside_reason, sizeof(r->outside_reason),
		 "%.24s's runtime RAM and code are unknown: %.190s", r->runtime, outside);
	r->fits = 0;
	r->flash_margin_bytes = known.flash_margin_bytes;
	r->sram_margin_bytes = known.sram_binding_region ? known.sram_margin_bytes
		: tfit_fit_margin(known.sram.used_bytes, known.sram.available_bytes);
	r->flash_percent = r->sram_percent = r->sram_total_percent = NAN;
	r->region_percent = known.region_percent;
	r->sram_binding_region = 0;
	r->limiting = known.limiting;
	if (known.verdict == TFIT_VERDICT_DOES_NOT_FIT) {
		r->verdict = TFIT_VERDICT_DOES_NOT_FIT;
		memcpy(r->reason, known.reason, sizeof(r->reason));
		return;
	}
	r->verdict = TFIT_VERDICT_UNKNOWN;
	/* a reason the verdict already has (a missing figure or memory kind,
	 * cut at 250 characters) comes first */
	if (known.verdict == TFIT_VERDICT_UNKNOWN && known.reason[0])
		snprintf(r->reason, sizeof(r->reason), "%.250s; %s", known.reason,
			 r->outside_reason);
	else
		snprintf(r->reason, sizeof(r->reason), "%s", r->outside_reason);
	if (r->limiting != TFIT_RES_MISSING_REGION)
		r->limiting = TFIT_RES_UNKNOWN;
}

enum tfit_status tfit_fit_evaluate(struct tfit_fit_ctx *c, const struct tfit_device *d,
				   const char *runtime_id, const struct tfit_fit_opts *o,
				   struct tfit_fit_result *r, struct tfit_error *err)
{
	const struct tfit_model *m = c->model;
	const struct tfit_runtime *rt = NULL;
	const struct tfit_arena_plan *p = NULL;
	struct tfit_fit_opts defaults;
	enum tfit_status rc;
	const struct tfit_code_table *code;
	uint32_t n_types = 0;
	char base[64];
	uint64_t ram;
	int total_is_dram;
	char why[256], outside[256];

	if (!o) {
		tfit_fit_opts_init(&defaults);
		o = &defaults;
	}
	memset(r, 0, sizeof(*r));
	r->device = d;
	r->method = o->method;
	r->peak_op = -1;
	copy_terms(NULL, &r->terms);
	if (!runtime_id)
		runtime_id = d->runtime;
	snprintf(r->runtime, sizeof(r->runtime), "%s", runtime_id);
	r->flash.reserve_bytes = o->has_reserve_flash ? o->reserve_flash_bytes : d->reserve_flash_bytes;
	r->sram.reserve_bytes = o->has_reserve_sram ? o->reserve_sram_bytes : d->reserve_sram_bytes;

	if (o->method == TFIT_METHOD_TEXTBOOK) {
		r->flash.reserve_bytes = 0;
		r->sram.reserve_bytes = 0;
		textbook(m, d, o, r);
		tfit_fit_verdict(r, NULL);
		return TFIT_OK;
	}
	/* the memory profile is per runtime, not per version */
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(runtime_id, "@"), runtime_id);
	if (m->hybrid) {
		/* TFLM's profiles reject a hybrid op when planning (a kernel
		 * rule's "error"); a runtime whose profile plans it says
		 * nothing about hybrid models: its verdict is unknown */
		const struct tfit_arena_plan *hp;
		struct tfit_error ignored;
		int rejects = 1;
		if (has_memory_profile(c, base) &&
		    tfit_fit_ctx_plan(c, base, &rt, &hp, &ignored) == TFIT_OK) {
			rejects = 0;
			copy_terms(&rt->terms, &r->terms);
		}
		tfit_fit_not_runnable(m, d, NULL, why, sizeof(why));
		rc = tfit_fit_place(d, o, r, err);
		if (rc != TFIT_OK)
			return rc;
		r->flash.model_bytes = tfit_fit_model_flash_bytes(m, TFIT_MODEL_STORED_FILE,
								  &r->flash.model_exact,
								  &r->flash.overhead_bytes);
		r->flash.weights_bytes = m->weights_bytes;
		r->sram.available_bytes = d->sram_bytes ? d->sram_bytes : d->dram_bytes;
		r->memory_unknown = 1;
		r->flash_percent = r->sram_percent = NAN;
		r->sram_total_percent = r->region_percent = NAN;
		if (rejects) {
			snprintf(r->memory_note, sizeof(r->memory_note), "the runtime rejects the "
				 "model before planning: no %s or runtime figures", r->terms.arena);
			tfit_fit_verdict(r, why);
			return TFIT_OK;
		}
		snprintf(r->memory_note, sizeof(r->memory_note), "%s's profile does not say "
			 "whether it runs a hybrid model: no %s or runtime figures", base,
			 r->terms.arena);
		r->fits = 0;
		r->verdict = TFIT_VERDICT_UNKNOWN;
		r->limiting = TFIT_RES_UNKNOWN;
		snprintf(r->reason, sizeof(r->reason), "%.120s; %.120s", why, r->memory_note);
		return TFIT_OK;
	}
	if (!has_memory_profile(c, base)) {
		r->memory_unknown = 1;
		snprintf(r->memory_note, sizeof(r->memory_note),
			 "runtime '%.60s' has cost tables but no memory profile (data/runtimes/%.60s.json): "
			 "its flash and RAM use are unknown", base, base);
		r->flash.weights_bytes = m->weights_bytes; /* the model's own: known */
		/* where it would go is still known: the limits are shown */
		rc = tfit_fit_place(d, o, r, err);
		if (rc != TFIT_OK)
			return rc;
		r->sram.available_bytes = d->sram_bytes ? d->sram_bytes : d->dram_bytes;
		r->flash_percent = r->sram_percent = NAN;
		r->sram_total_percent = r->region_percent = NAN;
		r->fits = 0;
		r->verdict = TFIT_VERDICT_UNKNOWN;
		snprintf(r->reason, sizeof(r->reason), "%s", r->memory_note);
		r->limiting = TFIT_RES_UNKNOWN;
		return TFIT_OK;
	}
	rc = tfit_fit_ctx_plan(c, base, &rt, &p, err);
	if (rc != TFIT_OK)
		return rc;
	copy_terms(&rt->terms, &r->terms);
	r->flash.model_bytes = tfit_fit_model_flash_bytes(m, rt->terms.model_stored,
							  &r->flash.model_exact,
							  &r->flash.overhead_bytes);
	r->flash.weights_bytes = m->weights_bytes;
	code = tfit_runtime_code_table(rt, d->core->id);
	rc = runtime_flash_bytes(c, code, d->core, &r->flash.runtime_bytes, &n_types, outside,
				 sizeof(outside), err);
	if (rc != TFIT_OK)
		return rc;
	r->flash.runtime_measured_on = code->measured_on;

	r->sram.arena_bytes = p->arena_bytes;
	r->sram.arena_head_bytes = p->head_bytes;
	r->sram.arena_offline_plan = p->used_offline_plan;
	r->sram.arena_tail_bytes = p->tail_bytes;
	r->sram.lower_bound_bytes = p->lower_bound_bytes;
	r->sram.runtime_bytes = tfit_runtime_state_bytes(rt, n_types, model_tensors(m));
	r->planner_efficiency = p->efficiency;
	peak_info(m, p, r);

	rc = tfit_fit_place(d, o, r, err);
	if (rc != TFIT_OK)
		return rc;
	r->flash.used_bytes = tfit_sat_add_u64(tfit_sat_add_u64(r->flash.model_in_image
								? r->flash.model_bytes : 0,
								r->flash.runtime_bytes),
					       r->flash.reserve_bytes);
	/* on-chip RAM total (a linux board without an SRAM figure: its DRAM):
	 * the runtime's state, the reserve, and the arena and weights when
	 * they are placed in that memory */
	total_is_dram = !d->sram_bytes && d->device_class == TFIT_DEVICE_CLASS_LINUX;
	r->sram.available_bytes = total_is_dram ? d->dram_bytes : d->sram_bytes;
	ram = tfit_sat_add_u64(r->sram.runtime_bytes, r->sram.reserve_bytes);
	if (!r->sram.region_name[0] || in_total(r->sram.region_kind, total_is_dram))
		ram = tfit_sat_add_u64(ram, r->sram.arena_bytes);
	r->sram.region_used_bytes = r->sram.arena_bytes;
	if (r->weights.placed) {
		r->weights.used_bytes = r->flash.model_bytes;
		if (r->weights.same_as_arena)
			r->sram.region_used_bytes = tfit_sat_add_u64(r->sram.region_used_bytes,
								     r->weights.used_bytes);
		if (tfit_mem_kind_is_ram(r->weights.region_kind) &&
		    in_total(r->weights.region_kind, total_is_dram))
			ram = tfit_sat_add_u64(ram, r->weights.used_bytes);
	}
	r->sram.used_bytes = ram;
	why[0] = '\0';
	tfit_fit_not_runnable(m, d, rt, why, sizeof(why));
	if (outside[0] && !why[0])
		outside_verdict(r, outside);
	else
		tfit_fit_verdict(r, why);
	return TFIT_OK;
}
