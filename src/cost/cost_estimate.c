/*
 * cost_estimate.c - per-op cycles, latency and energy of a model on a
 * target (cost.h; the model is explained in docs/latency-model.md). The
 * numbers come from the loaded data files only.
 */
#include "tinyfit/cost.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/units.h"

#include "kernel_memo.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tfit_cost_kind_of_op(const struct tfit_op *op)
{
	switch (op->cost_class) {
	case TFIT_COST_CONV:
		return op->is_1x1 ? TFIT_COST_KIND_CONV_1X1 : TFIT_COST_KIND_CONV;
	case TFIT_COST_DEPTHWISE: return TFIT_COST_KIND_DEPTHWISE;
	case TFIT_COST_FC: return TFIT_COST_KIND_FC;
	case TFIT_COST_POOL: return TFIT_COST_KIND_POOL;
	case TFIT_COST_ELEMENTWISE: return TFIT_COST_KIND_ELEMENTWISE;
	case TFIT_COST_SOFTMAX: return TFIT_COST_KIND_SOFTMAX;
	case TFIT_COST_RECURRENT: return TFIT_COST_KIND_RECURRENT;
	case TFIT_COST_DATA_MOVE: return TFIT_COST_KIND_DATA_MOVE;
	case TFIT_COST_NONE:
	case TFIT_COST_CLASS_COUNT:
		break;
	}
	return -1;
}

static enum tfit_cost_dtype cost_dtype_of(enum tfit_dtype d)
{
	switch (d) {
	case TFIT_DTYPE_FLOAT32:
	case TFIT_DTYPE_FLOAT16:
	case TFIT_DTYPE_BFLOAT16:
	case TFIT_DTYPE_FLOAT64:
		return TFIT_COST_DTYPE_FLOAT32;
	case TFIT_DTYPE_INT16:
	case TFIT_DTYPE_UINT16:
		return TFIT_COST_DTYPE_INT16;
	default:
		return TFIT_COST_DTYPE_INT8;
	}
}

/* The dtype an op computes in: its first non-constant input (a conv's
 * activations, not its weights), else its first output. */
static enum tfit_cost_dtype op_dtype(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint32_t i;
	for (i = 0; i < op->n_inputs; i++) {
		int32_t t = op->inputs[i];
		if (t >= 0 && (uint32_t)t < sg->n_tensors &&
		    !(sg->tensors[t].flags & TFIT_TENSOR_CONST))
			return cost_dtype_of(sg->tensors[t].dtype);
	}
	if (op->n_outputs && tfit_op_outputs(op)[0] >= 0 && (uint32_t)tfit_op_outputs(op)[0] < sg->n_tensors)
		return cost_dtype_of(sg->tensors[tfit_op_outputs(op)[0]].dtype);
	return TFIT_COST_DTYPE_INT8;
}

static uint64_t input_activation_bytes(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint64_t b = 0;
	uint32_t i;
	for (i = 0; i < op->n_inputs; i++) {
		int32_t t = op->inputs[i];
		if (t >= 0 && (uint32_t)t < sg->n_tensors &&
		    !(sg->tensors[t].flags & TFIT_TENSOR_CONST))
			b += tfit_tensor_bytes(&sg->tensors[t]);
	}
	return b;
}

enum tfit_status tfit_cost_target_from_device(const struct tfit_device *dev,
					      uint64_t model_weights_bytes,
					      struct tfit_cost_target *t,
					      struct tfit_error *err)
{
	memset(t, 0, sizeof(*t));
	if (!dev || !dev->core)
		return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL, "no device given");
	if (!(dev->clock_mhz > 0))
		return tfit_error_set(err, TFIT_ERR_INPUT, dev->file, "clock_mhz",
				      "device '%s' has no clock_mhz: latency cannot be estimated "
				      "(add clock_mhz to the profile)", dev->id);
	t->name = dev->id;
	t->mcu = dev->mcu;
	t->core_id = dev->core->id;
	t->family = tfit_core_family_name(dev->core->family);
	t->clock_mhz = dev->clock_mhz;
	t->fpu = dev->fpu;
	if (dev->accel.present) {
		t->accel_kind = dev->accel.kind;
		t->accel_macs_per_cycle = dev->accel.macs_per_cycle;
		t->accel_clock_mhz = dev->accel.clock_mhz;
		t->accel_tops = dev->accel.tops;
	}
	t->active_power_mw = dev->active_power_mw;
	t->active_power_scope = tfit_power_scope_name(dev->active_power_scope);
	/* Weights are read from external flash when the chip has none (RP2040,
	 * ESP32 modules: execute-in-place through a cache), or when they do not
	 * fit in on-chip flash beside the firmware but the board has more. */
	/* A Linux board loads the model from its SD card or eMMC into DRAM:
	 * nothing executes in place (MLPerf Tiny's Raspberry Pi 4 runs, which
	 * the leip table is calibrated on, had no such penalty). */
	if (dev->external_flash_bytes > 0 && dev->device_class != TFIT_DEVICE_CLASS_LINUX) {
		if (dev->flash_bytes == 0)
			t->weights_external = 1;
		else if (model_weights_bytes + dev->reserve_flash_bytes > dev->flash_bytes)
			t->weights_external = 1;
		t->weights_ext_flash = t->weights_external;
	}
	return TFIT_OK;
}

void tfit_cost_result_release(struct tfit_cost_result *r)
{
	if (!r)
		return;
	free(r->ops);
	free(r->method);
	memset(r, 0, sizeof(*r));
}

static int str_in(char *const *v, size_t n, const char *s)
{
	size_t i;
	if (!s)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

static int version_matches(const struct tfit_cost_table *t, const char *version)
{
	if (!version)
		return t->current;
	return t->version && strcmp(t->version, version) == 0;
}

/* The table of rt for (core, family, dtype, version): an exact core match
 * first, then a family match; *by_family says which. */
static const struct tfit_cost_table *find_table(const struct tfit_cost_runtime *rt,
						const struct tfit_cost_target *tg,
						enum tfit_cost_dtype dtype, const char *version,
						int *by_family)
{
	size_t i;
	for (i = 0; i < rt->n_tables; i++) {
		const struct tfit_cost_table *t = &rt->tables[i];
		if (t->dtype == dtype && version_matches(t, version) &&
		    str_in(t->cores, t->n_cores, tg->core_id)) {
			*by_family = 0;
			return t;
		}
	}
	for (i = 0; i < rt->n_tables; i++) {
		const struct tfit_cost_table *t = &rt->tables[i];
		if (t->dtype == dtype && version_matches(t, version) &&
		    str_in(t->families, t->n_families, tg->family)) {
			*by_family = 1;
			return t;
		}
	}
	return NULL;
}

/* What one dtype of the model costs: the table and the factor on it. */
struct dtype_plan {
	int used;
	const struct tfit_cost_table *table;
	const struct tfit_cost_runtime *rt;
	double factor;                 /* int16 or soft-float factor (1 = none) */
	int by_family, int16_from_int8, soft_float;
};

static void list_cores(const struct tfit_cost_runtime *rt, enum tfit_cost_dtype dtype,
		       char *buf, size_t size)
{
	size_t i, j, len = 0;
	buf[0] = '\0';
	for (i = 0; i < rt->n_tables && len + 1 < size; i++) {
		const struct tfit_cost_table *t = &rt->tables[i];
		if (t->dtype != dtype)
			continue;
		for (j = 0; j < t->n_cores && len + 1 < size; j++) {
			int n = snprintf(buf + len, size - len, "%s%s%s%s", len ? ", " : "",
					 t->cores[j], t->version ? "@" : "",
					 t->version ? t->version : "");
			if (n < 0)
				break;
			len += (size_t)n < size - len ? (size_t)n : size - len - 1;
		}
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static enum tfit_status plan_dtype(const struct tfit_cost_db *db,
				   const struct tfit_cost_runtime *rt0, const char *version,
				   const struct tfit_cost_target *tg, enum tfit_cost_dtype dtype,
				   struct dtype_plan *pl, struct tfit_error *err)
{
	const struct tfit_cost_runtime *rt = rt0;
	const char *ver = version;
	char cores[400];

	memset(pl, 0, sizeof(*pl));
	pl->used = 1;
	pl->factor = 1.0;
	if (dtype == TFIT_COST_DTYPE_FLOAT32 && rt->float_runtime) {
		/* The runtime has no float kernels of its own (CMSIS-NN, ESP-NN):
		 * TFLM falls back to its reference kernels. */
		rt = tfit_cost_db_runtime(db, rt->float_runtime);
		ver = NULL;
		if (!rt)
			return tfit_error_set(err, TFIT_ERR_INTERNAL, rt0->file, NULL,
					      "float_runtime not loaded");
	}
	pl->rt = rt;
	pl->table = find_table(rt, tg, dtype, ver, &pl->by_family);
	if (!pl->table && dtype == TFIT_COST_DTYPE_INT16) {
		pl->table = find_table(rt, tg, TFIT_COST_DTYPE_INT8, ver, &pl->by_family);
		if (pl->table) {
			pl->int16_from_int8 = 1;
			pl->factor = rt->int16_factor;
		}
	}
	if (!pl->table) {
		size_t k;
		for (k = 0; k < rt->n_not_for; k++)
			if (tg->family && strcmp(rt->not_for[k].family, tg->family) == 0)
				return tfit_error_set(err, TFIT_ERR_INPUT, rt->file, NULL,
						      "no latency estimate for runtime '%s' on %s (family %s): %s",
						      rt->id, tg->core_id, tg->family, rt->not_for[k].reason);
		list_cores(rt, dtype, cores, sizeof(cores));
		return tfit_error_set(err, TFIT_ERR_INPUT, rt->file, NULL,
				      "no %s cost table of runtime '%s'%s%s for core '%s' "
				      "(family %s); tables exist for: %s",
				      tfit_cost_dtype_name(dtype), rt->id, ver ? " version " : "",
				      ver ? ver : "", tg->core_id, tg->family ? tg->family : "unknown",
				      cores);
	}
	if (dtype == TFIT_COST_DTYPE_FLOAT32 && tg->fpu == TFIT_FPU_NONE &&
	    pl->table->requires_fpu) {
		pl->soft_float = 1;
		pl->factor *= rt->soft_float_factor;
	}
	return TFIT_OK;
}

/* The accelerator entry for the target's kind, or NULL. */
static const struct tfit_cost_accel *find_accel(const struct tfit_cost_db *db,
						const struct tfit_cost_target *tg,
						double *peak_macs_per_s)
{
	size_t i;
	double peak = 0;
	*peak_macs_per_s = 0;
	if (!tg->accel_kind)
		return NULL;
	if (tg->accel_macs_per_cycle > 0)
		peak = tg->accel_macs_per_cycle *
		       (tg->accel_clock_mhz > 0 ? tg->accel_clock_mhz : tg->clock_mhz) * 1e6;
	else if (tg->accel_tops > 0)
		peak = tg->accel_tops * 1e12 / 2.0; /* one MAC = two operations */
	if (!(peak > 0))
		return NULL;
	for (i = 0; i < db->n_accels; i++) {
		if (strcmp(db->accels[i].kind, tg->accel_kind) == 0) {
			*peak_macs_per_s = peak;
			return &db->accels[i];
		}
	}
	return NULL;
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The id of the build the target's chip runs runtime_id as (kernel_cost.h:
 * ESP-IDF's on an ESP32-C3), NULL: the release build. */
static const char *kernel_build(const struct tfit_cost_db *db, const struct tfit_cost_target *tg,
				const char *runtime_id)
{
	const struct tfit_kernel_build *b =
		tfit_kernel_build_find(&db->kernels, runtime_id, tg->core_id, tg->mcu);
	return b ? b->id : NULL;
}

/* Cycles of an int8 op from the kernel model (kernel_cost.h): the
 * instructions its TFLM, CMSIS-NN or ESP-NN kernel executes for its shape x the
 * core's cycles per instruction + the per-op overhead. 0: not modelled. */
struct kernel_target {
	const char *build;                 /* kernel_build() */
	const struct tfit_kernel_cpu *cpu; /* NULL: no kernel model here */
	/* the db's kernel memo's entry for this model and target, NULL: none
	 * (each op's path and instructions are then computed here) */
	const struct kernel_memo_entry *memo;
};

/* The target's build and cpu, the same for every op (found once per
 * estimate: a compare estimates every board), and the memo's entry. */
static void kernel_target(const struct tfit_cost_db *db, const struct tfit_model *m,
			  const struct tfit_cost_target *tg, const char *runtime_id,
			  struct kernel_target *kt)
{
	kt->build = kernel_build(db, tg, runtime_id);
	kt->cpu = tfit_kernel_cpu_find(&db->kernels, runtime_id, tg->core_id, kt->build);
	kt->memo = kt->cpu ? tfit_kernel_memo_entry(db->kernel_memo, &db->kernels, m, runtime_id,
						    tfit_kernel_cpu_instructions_core(kt->cpu),
						    kt->build)
			   : NULL;
}

static int kernel_cycles(const struct tfit_cost_db *db, const struct kernel_target *kt,
			 const char *runtime_id, const struct tfit_subgraph *sg, uint32_t op_index,
			 enum tfit_cost_dtype dtype, double *cycles)
{
	const struct tfit_kernel_cpu *cpu = kt->cpu;
	const struct tfit_op *op = &sg->ops[op_index];
	struct tfit_kernel_shape s;
	double instructions;
	const char *build = kt->build, *path;
	if (dtype != TFIT_COST_DTYPE_INT8 || !cpu)
		return 0;
	if (kt->memo) {
		/* the same path and instructions as below, found once per shape */
		int r = tfit_kernel_memo_op(db->kernel_memo, kt->memo, op_index, &path, &instructions);
		if (r <= 0 || !tfit_kernel_cpu_runs_path(cpu, path))
			return 0;
		*cycles = instructions * cpu->cycles_per_instruction + cpu->op_overhead_cycles;
		return 1;
	}
	if (!tfit_kernel_shape_of_op(sg, op, &s) ||
	    !tfit_kernel_cpu_runs_path(cpu, tfit_kernel_path(
			(enum tfit_kernel_impl)tfit_kernel_impl_of_runtime(runtime_id),
			tfit_kernel_cpu_instructions_core(cpu), &s)) ||
	    !tfit_kernel_instructions(&db->kernels, runtime_id,
				      tfit_kernel_cpu_instructions_core(cpu), build, &s,
				      &instructions))
		return 0;
	*cycles = instructions * cpu->cycles_per_instruction + cpu->op_overhead_cycles;
	return 1;
}

/* The method text, as long as it needs to be (a heap string: never cut);
 * 0, or -1 when out of memory. */
static int describe(const struct tfit_cost_db *db, const struct tfit_cost_target *tg,
		    const char *runtime_id, const struct dtype_plan *plans,
		    uint32_t n_accel_ops, const struct tfit_cost_accel *acc,
		    uint32_t n_kernel_ops, struct tfit_cost_result *out)
{
	struct tfit_strbuf method = TFIT_STRBUF_INIT;
	int d, n = 0;
	char n1[64], n2[64];
	out->table[0] = '\0';
	tfit_strbuf_printf(&method, "estimate: runtime %s on %s at %s MHz, ",
		 runtime_id, tg->core_id, tfit_units_format_sig(tg->clock_mhz, 6, n1, sizeof(n1)));
	if (n_kernel_ops) {
		const struct tfit_kernel_build *b =
			tfit_kernel_build_find(&db->kernels, runtime_id, tg->core_id, tg->mcu);
		const struct tfit_kernel_cpu *cpu = tfit_kernel_cpu_find(
			&db->kernels, runtime_id, tg->core_id, b ? b->id : NULL);
		append(out->table, sizeof(out->table), "kernels/%.*s/%s%s%s",
		       (int)strcspn(runtime_id, "@"), runtime_id, tg->core_id,
		       b ? "/" : "", b ? b->id : "");
		tfit_strbuf_printf(&method,
		       "kernel model for %u ops (instructions of each kernel's code path%s%s, "
		       "measured on an emulator%s%s, x %s cycles/instruction %s, + %s cycles/op); "
		       "other ops: ",
		       n_kernel_ops, b ? " as built by " : "", b ? b->summary : "",
		       cpu->instructions_core ? " for " : "",
		       cpu->instructions_core ? cpu->instructions_core : "",
		       tfit_units_format_sig(cpu->cycles_per_instruction, 3, n1, sizeof(n1)),
		       cpu->source, tfit_units_format_sig(cpu->op_overhead_cycles, 6, n2, sizeof(n2)));
	}
	tfit_strbuf_printf(&method, "cost table ");
	for (d = 0; d < TFIT_COST_DTYPE_COUNT; d++) {
		const struct dtype_plan *pl = &plans[d];
		const char *basis;
		if (!pl->used || !pl->table)
			continue;
		append(out->table, sizeof(out->table), "%s%s", out->table[0] ? ", " : "",
		       pl->table->id);
		basis = strncmp(pl->table->basis, "calibrated", 10) == 0 ? "calibrated" : "prior";
		tfit_strbuf_printf(&method, "%s%s (%s", n++ ? "; " : "", pl->table->id,
		       basis);
		if (pl->by_family)
			tfit_strbuf_printf(&method, ", stands in for family %s",
			       tg->family ? tg->family : "?");
		if (pl->rt && strcmp(pl->rt->id, tfit_cost_db_runtime(db, runtime_id)->id) != 0)
			tfit_strbuf_printf(&method, ", %s ops run on %s kernels",
			       tfit_cost_dtype_name((enum tfit_cost_dtype)d), pl->rt->id);
		if (pl->int16_from_int8)
			tfit_strbuf_printf(&method, ", int16 = int8 x %s",
			       tfit_units_format_sig(pl->factor, 6, n1, sizeof(n1)));
		if (pl->soft_float)
			tfit_strbuf_printf(&method,
			       ", no FPU: float emulated x %s",
			       tfit_units_format_sig(pl->rt->soft_float_factor, 6, n1, sizeof(n1)));
		tfit_strbuf_printf(&method, ")");
	}
	if (tg->weights_external && tg->weights_ext_flash)
		tfit_strbuf_printf(&method, "; weights in %s: reading them from external flash "
		       "is not modelled (no measurement of weights in external flash behind a "
		       "cache; the x %s of data/cost/memory.json is on-chip flash against RAM)",
		       tg->weights_where ? tg->weights_where : "external flash",
		       tfit_units_format_sig(db->memory.weights_external_factor, 6, n1, sizeof(n1)));
	else if (tg->weights_external)
		tfit_strbuf_printf(&method, "; weights in %s x %s",
		       tg->weights_where ? tg->weights_where : "external memory",
		       tfit_units_format_sig(db->memory.weights_external_factor, 6, n1, sizeof(n1)));
	if (tg->activations_external)
		tfit_strbuf_printf(&method, "; activations in %s x %s",
		       tg->activations_where ? tg->activations_where : "external RAM",
		       tfit_units_format_sig(db->memory.activations_external_factor, 6, n1, sizeof(n1)));
	if (acc && n_accel_ops)
		tfit_strbuf_printf(&method, "; %u ops on the %s at its peak x utilization",
		       n_accel_ops, acc->kind);
	else if (tg->accel_kind)
		tfit_strbuf_printf(&method,
		       "; the %s is not used (no macs_per_cycle or tops in the profile, or no "
		       "accelerator data for its kind)", tg->accel_kind);
	out->method = tfit_strbuf_detach(&method);
	return out->method ? 0 : -1;
}

/* The widest interval of the tables used; a table without one, ops on an
 * accelerator (no utilisation is calibrated), or kernel instructions borrowed
 * from another core's tables (a kernel cpu's instructions_core: the ESP32-P4,
 * the ESP32-S3) take the runtime's prior. */
static void interval(const struct tfit_cost_runtime *rt0, const struct dtype_plan *plans,
		     int used_accel, int borrowed_instructions, struct tfit_cost_result *out)
{
	int d;
	double p = 0;
	const char *why = NULL;
	for (d = 0; d < TFIT_COST_DTYPE_COUNT; d++) {
		const struct dtype_plan *pl = &plans[d];
		double q;
		const char *w;
		if (!pl->used || !pl->table)
			continue;
		q = pl->table->interval_pct;
		w = pl->table->interval_source;
		if (!(q > 0)) {
			q = pl->rt->prior_interval_pct;
			w = pl->rt->prior_interval_source;
			if (q > 0)
				out->interval_prior = 1;
		}
		if (q > p) {
			p = q;
			why = w;
		}
	}
	if (used_accel && rt0->prior_interval_pct > p) {
		p = rt0->prior_interval_pct;
		why = "the accelerator's utilization is not calibrated: the runtime's prior interval";
		out->interval_prior = 1;
	}
	if (borrowed_instructions && rt0->prior_interval_pct > p) {
		p = rt0->prior_interval_pct;
		why = "kernel instructions measured for another core (kernels.json "
		      "instructions_core): the runtime's prior interval";
		out->interval_prior = 1;
	}
	out->interval_pct = p;
	out->latency_ms_low = out->latency_ms / (1.0 + p / 100.0);
	out->latency_ms_high = out->latency_ms * (1.0 + p / 100.0);
	snprintf(out->interval_basis, sizeof(out->interval_basis), "%s",
		 p > 0 && why ? why : "no interval: the cost tables give none");
}

/* Energy means one thing (cost.h): the profile's active power x latency,
 * NaN without a power figure. The per-operation figure (45 nm energies of
 * the TinyML course, data/cost/energy.json) is always computed, but only as
 * its own quantity, a lower bound. */
static void energy(const struct tfit_cost_db *db, const struct tfit_subgraph *sg,
		   const struct tfit_cost_target *tg, struct tfit_cost_result *out)
{
	uint32_t i;
	double total_pj = 0;
	for (i = 0; i < out->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		enum tfit_cost_dtype d = (enum tfit_cost_dtype)out->ops[i].dtype;
		double bytes = (double)tfit_op_weights_bytes(sg, op) +
			       (double)tfit_op_output_bytes(sg, op) +
			       (double)input_activation_bytes(sg, op);
		double pj = (double)tfit_op_macs(op) * db->energy.mac_pj[d] +
			    (double)tfit_op_elem_ops(op) * db->energy.elem_pj[d] +
			    bytes * db->energy.sram_read_pj_per_byte;
		out->ops[i].energy_lower_bound_mj = pj * 1e-9;
		total_pj += pj;
	}
	out->energy_lower_bound_mj = total_pj * 1e-9;
	snprintf(out->energy_lower_bound_method, sizeof(out->energy_lower_bound_method),
		 "estimate: per-operation energy (45 nm figures of the TinyML course: MACs, "
		 "element ops and SRAM traffic only, no core, clock or leakage power) - a lower "
		 "bound, not the board's energy");
	out->power_scope = tg->active_power_scope;
	if (tg->active_power_mw > 0) {
		out->energy_basis = TFIT_ENERGY_PROFILE_POWER;
		out->power_mw = tg->active_power_mw;
		/* mW x ms = uJ; / 1000 = mJ */
		out->energy_mj = tg->active_power_mw * out->latency_ms / 1000.0;
		char mw[64];
		snprintf(out->energy_method, sizeof(out->energy_method),
			 "estimate: active power %s mW %s from the device profile x estimated latency",
			 tfit_units_format_sig(tg->active_power_mw, 6, mw, sizeof(mw)),
			 !tg->active_power_scope ? "(scope: not stated by the profile)" :
			 strcmp(tg->active_power_scope, "chip") == 0 ?
			 "of the chip alone (the rest of the board is not counted)" : "of the whole board");
		return;
	}
	out->energy_basis = TFIT_ENERGY_NO_POWER;
	out->power_mw = 0;
	out->energy_mj = NAN;
	snprintf(out->energy_method, sizeof(out->energy_method),
		 "unknown: the profile has no sourced active_power_mw");
}

/* The per-op figures the estimate does not keep, computed as it computed
 * them before (cost.h): cycles / (clock x 1e6) x 1e3, cycles / total,
 * power x latency / 1000. */
double tfit_cost_op_latency_ms(const struct tfit_cost_result *r, uint32_t i)
{
	double hz = r->clock_mhz * 1e6;
	return r->ops[i].cycles / hz * 1e3;
}

double tfit_cost_op_share(const struct tfit_cost_result *r, uint32_t i)
{
	return r->cycles > 0 ? r->ops[i].cycles / r->cycles : 0;
}

double tfit_cost_op_energy_mj(const struct tfit_cost_result *r, uint32_t i)
{
	if (r->energy_basis != TFIT_ENERGY_PROFILE_POWER || !(r->power_mw > 0))
		return NAN;
	/* mW x ms = uJ; / 1000 = mJ */
	return r->power_mw * tfit_cost_op_latency_ms(r, i) / 1000.0;
}

enum tfit_status tfit_cost_estimate_target(const struct tfit_cost_db *db,
					   const struct tfit_model *m,
					   const struct tfit_cost_target *tg,
					   const char *runtime_id,
					   struct tfit_cost_result *out,
					   struct tfit_error *err)
{
	const struct tfit_subgraph *sg;
	const struct tfit_cost_runtime *rt;
	const struct tfit_cost_accel *acc;
	struct dtype_plan plans[TFIT_COST_DTYPE_COUNT];
	const char *version = NULL;
	double peak = 0, hz;
	uint32_t i, n_accel = 0, n_kernel = 0, n_flash = 0;
	const struct tfit_kernel_cpu *kcpu;
	struct kernel_target kt;
	enum tfit_status rc = TFIT_OK;
	double flash_cpb = 0, flash_ws = 0;
	const struct tfit_cost_flash_chip *chip = NULL;

	memset(out, 0, sizeof(*out));
	memset(plans, 0, sizeof(plans));
	if (!db || !m || !tg || !tg->core_id || !m->n_subgraphs)
		return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL,
				      "tfit_cost_estimate_target: missing argument");
	if (!(tg->clock_mhz > 0))
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "target '%s' has no clock: latency cannot be estimated",
				      tg->name ? tg->name : tg->core_id);
	rt = tfit_cost_db_runtime(db, runtime_id);
	if (!rt) {
		char list[600] = "";
		size_t k;
		for (k = 0; k < db->n_runtimes; k++)
			append(list, sizeof(list), "%s%s", k ? ", " : "", db->runtimes[k].id);
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "unknown runtime '%s' (cost tables exist for: %s)",
				      runtime_id ? runtime_id : "(none)", list);
	}
	if (strchr(runtime_id, '@'))
		version = strchr(runtime_id, '@') + 1;
	sg = &m->subgraphs[0];
	acc = find_accel(db, tg, &peak);
	/* Generated code reads its weights from on-chip flash: the runtime's
	 * tables were fitted with the wait states taken out (tools/calibrate.py) */
	if (rt->flash_weights_source && !tg->weights_external)
		flash_cpb = tfit_cost_flash_cycles_per_byte(&db->flash, tg->mcu, tg->clock_mhz,
							    &chip, &flash_ws);
	hz = tg->clock_mhz * 1e6;
	kernel_target(db, m, tg, runtime_id, &kt);

	out->ops = calloc(sg->n_ops ? sg->n_ops : 1, sizeof(*out->ops));
	if (!out->ops)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	out->n_ops = sg->n_ops;
	for (i = 0; i < sg->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		struct tfit_cost_op *co = &out->ops[i];
		struct dtype_plan *pl;
		double cycles, units;
		uint64_t weights_bytes = tfit_op_weights_bytes(sg, op);
		int kind = tfit_cost_kind_of_op(op);
		enum tfit_cost_dtype dtype = op_dtype(sg, op);
		co->kind = (int16_t)kind;
		co->dtype = (uint8_t)dtype;
		if (kind < 0)
			continue; /* control flow, custom and unknown ops: no cost model */
		/* MACs or element ops */
		units = tfit_cost_kind_counts_macs((enum tfit_cost_kind)kind) ?
			(double)tfit_op_macs(op) : (double)tfit_op_elem_ops(op);
		pl = &plans[dtype];
		if (!pl->used) {
			rc = plan_dtype(db, rt, version, tg, dtype, pl, err);
			if (rc != TFIT_OK)
				goto fail;
		}
		if (acc && dtype == TFIT_COST_DTYPE_INT8 && acc->utilization[kind] > 0 &&
		    units > 0) {
			double s = units / (peak * acc->utilization[kind]) +
				   acc->op_overhead_us * 1e-6;
			cycles = s * hz;
			co->unit = TFIT_COST_ON_ACCEL;
			n_accel++;
		} else if (kernel_cycles(db, &kt, runtime_id, sg, i, dtype, &cycles)) {
			n_kernel++;
		} else {
			cycles = units * pl->table->cycles_per_unit[kind] * pl->factor +
				 pl->table->op_overhead_cycles;
		}
		if (flash_cpb > 0 && weights_bytes > 0 && co->unit == TFIT_COST_ON_CPU) {
			cycles += (double)weights_bytes * flash_cpb;
			n_flash++;
		}
		/* Not for external flash: the factor's source is on-chip flash
		 * against RAM, and no measurement gives weights read through a
		 * cache from external flash (docs/latency-model.md, "external
		 * memory"; issue #15). Espressif's person_detect figures, the
		 * only ones measured so, are validated without it. */
		if (tg->weights_external && !tg->weights_ext_flash && weights_bytes > 0)
			cycles *= db->memory.weights_external_factor;
		if (tg->activations_external)
			cycles *= db->memory.activations_external_factor;
		co->cycles = cycles;
		out->cycles += cycles;
	}
	out->clock_mhz = tg->clock_mhz;
	out->latency_ms = out->cycles / hz * 1e3;
	out->used_accelerator = n_accel > 0;
	snprintf(out->runtime, sizeof(out->runtime), "%s", runtime_id);
	if (describe(db, tg, runtime_id, plans, n_accel, acc, n_kernel, out) != 0) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto fail;
	}
	if (n_flash && chip) {
		struct tfit_strbuf text = TFIT_STRBUF_INIT;
		char ws[32], mhz[32], div[32], bytes[32], cpb[32];
		tfit_strbuf_puts(&text, out->method);
		tfit_strbuf_printf(&text,
		       "; weights read from on-chip flash: %s wait states at %s MHz x %s / %s-byte "
		       "accesses = %s cycles per weight byte (%s; cost/flash.json)",
		       tfit_units_format_sig(flash_ws, 3, ws, sizeof(ws)),
		       tfit_units_format_sig(tg->clock_mhz, 6, mhz, sizeof(mhz)),
		       tfit_units_format_sig(chip->clock_divider, 3, div, sizeof(div)),
		       tfit_units_format_sig(chip->access_bytes, 6, bytes, sizeof(bytes)),
		       tfit_units_format_sig(flash_cpb, 3, cpb, sizeof(cpb)), chip->match);
		free(out->method);
		out->method = tfit_strbuf_detach(&text);
		if (!out->method) {
			rc = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
			goto fail;
		}
	}
	kcpu = n_kernel ? kt.cpu : NULL;
	interval(rt, plans, n_accel > 0, kcpu && kcpu->instructions_core, out);
	energy(db, sg, tg, out);
	return TFIT_OK;
fail:
	tfit_cost_result_release(out);
	return rc;
}

enum tfit_status tfit_cost_estimate(const struct tfit_cost_db *db, const struct tfit_model *m,
				    const struct tfit_device *dev, const char *runtime_id,
				    struct tfit_cost_result *out, struct tfit_error *err)
{
	struct tfit_cost_target tg;
	enum tfit_status rc;
	memset(out, 0, sizeof(*out));
	if (!m)
		return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL, "no model given");
	rc = tfit_cost_target_from_device(dev, m->weights_bytes, &tg, err);
	if (rc != TFIT_OK)
		return rc;
	if (!runtime_id)
		runtime_id = dev->runtime;
	return tfit_cost_estimate_target(db, m, &tg, runtime_id, out, err);
}
