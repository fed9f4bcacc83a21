/*
 * cost_emit.c - a loaded cost database written out as C static
 * initialisers (cost.h tfit_cost_db_emit_c). The build's data generator
 * (src/gen/tfit_datagen.c) loads data/cost/ with the validating loader and
 * compiles what this writes into the executable; the unit test
 * test_shipped_data writes the compiled copy again and compares the texts.
 */
#include "tinyfit/cost.h"

#include <inttypes.h>
#include <stdint.h>

/* A field added to the database must be written below as well. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(struct tfit_cost_db) == 208, "update cost_emit.c: struct tfit_cost_db changed");
_Static_assert(sizeof(struct tfit_cost_runtime) == 120, "update cost_emit.c: struct tfit_cost_runtime changed");
_Static_assert(sizeof(struct tfit_cost_table) == 248, "update cost_emit.c: struct tfit_cost_table changed");
_Static_assert(sizeof(struct tfit_cost_flash_chip) == 48, "update cost_emit.c: struct tfit_cost_flash_chip changed");
_Static_assert(sizeof(struct tfit_cost_accel) == 96, "update cost_emit.c: struct tfit_cost_accel changed");
_Static_assert(sizeof(struct tfit_kernel_table) == 56, "update cost_emit.c: struct tfit_kernel_table changed");
_Static_assert(sizeof(struct tfit_kernel_cpu) == 40, "update cost_emit.c: struct tfit_kernel_cpu changed");
#endif

/* A pointer to the emitted array number idx of sym ("sym_idx"), or NULL
 * when the array is empty (idx 0). */
static void array_ref(struct tfit_strbuf *o, const char *type, const char *sym, unsigned idx)
{
	if (idx)
		tfit_strbuf_printf(o, "(struct %s *)%s_%u, ", type, sym, idx);
	else
		tfit_strbuf_puts(o, "NULL, ");
}

static void str(struct tfit_strbuf *o, const char *s)
{
	tfit_strbuf_c_literal(o, s);
	tfit_strbuf_puts(o, ", ");
}

/* Exact: a hexadecimal floating constant. */
static void dbl(struct tfit_strbuf *o, double v)
{
	tfit_strbuf_printf(o, "%a, ", v);
}

static void dbls(struct tfit_strbuf *o, const double *v, size_t n)
{
	size_t i;
	tfit_strbuf_puts(o, "{ ");
	for (i = 0; i < n; i++)
		dbl(o, v[i]);
	tfit_strbuf_puts(o, "}, ");
}

/* A NULL-free string list as a static array; writes the reference. */
static void str_list(struct tfit_strbuf *o, struct tfit_strbuf *ref, char *const *v, size_t n,
		     const char *sym, unsigned *next)
{
	size_t i;
	if (!n) {
		tfit_strbuf_puts(ref, "NULL, 0, ");
		return;
	}
	tfit_strbuf_printf(o, "static const char *const %s_%u[] = { ", sym, ++*next);
	for (i = 0; i < n; i++)
		str(o, v[i]);
	tfit_strbuf_puts(o, "NULL };\n");
	tfit_strbuf_printf(ref, "(char **)%s_%u, %zu, ", sym, *next, n);
}

static void runtime(struct tfit_strbuf *o, const struct tfit_cost_runtime *r, const char *sym,
		    unsigned *next, struct tfit_strbuf *init)
{
	struct tfit_strbuf t = TFIT_STRBUF_INIT;
	unsigned not_for = 0, tables = 0;
	size_t i, k;
	if (r->n_not_for) {
		not_for = ++*next;
		tfit_strbuf_printf(o, "static const struct tfit_cost_not_for %s_%u[] = {\n", sym,
				   not_for);
		for (i = 0; i < r->n_not_for; i++) {
			tfit_strbuf_puts(o, "\t{ ");
			str(o, r->not_for[i].family);
			str(o, r->not_for[i].reason);
			tfit_strbuf_puts(o, "},\n");
		}
		tfit_strbuf_puts(o, "};\n");
	}
	for (i = 0; i < r->n_tables; i++) {
		const struct tfit_cost_table *c = &r->tables[i];
		tfit_strbuf_puts(&t, "\t{ ");
		str(&t, c->id);
		str_list(o, &t, c->cores, c->n_cores, sym, next);
		str_list(o, &t, c->families, c->n_families, sym, next);
		tfit_strbuf_printf(&t, "%d, ", (int)c->dtype);
		str(&t, c->version);
		tfit_strbuf_printf(&t, "%d, %d, ", c->current, c->requires_fpu);
		dbls(&t, c->cycles_per_unit, TFIT_COST_KIND_COUNT);
		dbl(&t, c->op_overhead_cycles);
		tfit_strbuf_puts(&t, "{ ");
		for (k = 0; k <= TFIT_COST_KIND_COUNT; k++)
			str(&t, c->sources[k]);
		tfit_strbuf_puts(&t, "}, ");
		str(&t, c->basis);
		dbl(&t, c->interval_pct);
		tfit_strbuf_c_literal(&t, c->interval_source);
		tfit_strbuf_puts(&t, " },\n");
	}
	if (r->n_tables) {
		tables = ++*next;
		tfit_strbuf_printf(o, "static const struct tfit_cost_table %s_%u[] = {\n%s};\n", sym,
				   tables, tfit_strbuf_str(&t));
	}
	tfit_strbuf_release(&t);
	tfit_strbuf_puts(init, "\t{ ");
	str(init, r->id);
	str(init, r->name);
	str(init, r->file);
	str(init, r->float_runtime);
	dbl(init, r->int16_factor);
	str(init, r->int16_source);
	dbl(init, r->soft_float_factor);
	str(init, r->soft_float_source);
	dbl(init, r->prior_interval_pct);
	str(init, r->prior_interval_source);
	str(init, r->flash_weights_source);
	array_ref(init, "tfit_cost_not_for", sym, not_for);
	tfit_strbuf_printf(init, "%zu, ", r->n_not_for);
	array_ref(init, "tfit_cost_table", sym, tables);
	tfit_strbuf_printf(init, "%zu },\n", r->n_tables);
}

static void kernel_model(struct tfit_strbuf *o, const struct tfit_kernel_model *km,
			 const char *sym, unsigned *next, unsigned *tables, unsigned *cpus)
{
	struct tfit_strbuf t = TFIT_STRBUF_INIT;
	size_t i, k;
	*tables = *cpus = 0;
	for (i = 0; i < km->n_tables; i++) {
		const struct tfit_kernel_table *kt = &km->tables[i];
		unsigned coef = 0;
		if (kt->n_features) {
			coef = ++*next;
			tfit_strbuf_printf(o, "static const double %s_%u[] = { ", sym, coef);
			for (k = 0; k < kt->n_features; k++)
				dbl(o, kt->coef[k]);
			tfit_strbuf_puts(o, "};\n");
		}
		tfit_strbuf_puts(&t, "\t{ ");
		str(&t, kt->runtime);
		str(&t, kt->core);
		str(&t, kt->path);
		if (kt->n_features) {
			tfit_strbuf_printf(o, "static const char *const %s_%u[] = { ", sym, ++*next);
			for (k = 0; k < kt->n_features; k++)
				str(o, kt->features[k]);
			tfit_strbuf_puts(o, "NULL };\n");
			tfit_strbuf_printf(&t, "(char **)%s_%u, (double *)%s_%u, ", sym, *next, sym,
					   coef);
		} else {
			tfit_strbuf_puts(&t, "NULL, NULL, ");
		}
		tfit_strbuf_printf(&t, "%zu, ", kt->n_features);
		dbl(&t, kt->max_error);
		tfit_strbuf_puts(&t, "},\n");
	}
	if (km->n_tables) {
		*tables = ++*next;
		tfit_strbuf_printf(o, "static const struct tfit_kernel_table %s_%u[] = {\n%s};\n", sym,
				   *tables, tfit_strbuf_str(&t));
	}
	tfit_strbuf_release(&t);
	if (km->n_cpus) {
		*cpus = ++*next;
		tfit_strbuf_printf(o, "static const struct tfit_kernel_cpu %s_%u[] = {\n", sym, *cpus);
		for (i = 0; i < km->n_cpus; i++) {
			const struct tfit_kernel_cpu *c = &km->cpus[i];
			tfit_strbuf_puts(o, "\t{ ");
			str(o, c->runtime);
			str(o, c->core);
			dbl(o, c->cycles_per_instruction);
			dbl(o, c->op_overhead_cycles);
			str(o, c->source);
			tfit_strbuf_puts(o, "},\n");
		}
		tfit_strbuf_puts(o, "};\n");
	}
}

void tfit_cost_db_emit_c(const struct tfit_cost_db *db, const char *sym, struct tfit_strbuf *out)
{
	struct tfit_strbuf init = TFIT_STRBUF_INIT;
	unsigned next = 0, runtimes = 0, accels = 0, chips = 0, kt, kc;
	size_t i;
	tfit_strbuf_puts(out, "/* cost tables */\n");
	for (i = 0; i < db->n_runtimes; i++)
		runtime(out, &db->runtimes[i], sym, &next, &init);
	if (db->n_runtimes) {
		runtimes = ++next;
		tfit_strbuf_printf(out, "static const struct tfit_cost_runtime %s_%u[] = {\n%s};\n",
				   sym, runtimes, tfit_strbuf_str(&init));
	}
	tfit_strbuf_release(&init);
	if (db->n_accels) {
		accels = ++next;
		tfit_strbuf_printf(out, "static const struct tfit_cost_accel %s_%u[] = {\n", sym, accels);
		for (i = 0; i < db->n_accels; i++) {
			const struct tfit_cost_accel *a = &db->accels[i];
			tfit_strbuf_puts(out, "\t{ ");
			str(out, a->kind);
			dbls(out, a->utilization, TFIT_COST_KIND_COUNT);
			dbl(out, a->op_overhead_us);
			str(out, a->source);
			tfit_strbuf_puts(out, "},\n");
		}
		tfit_strbuf_puts(out, "};\n");
	}
	if (db->flash.n_chips) {
		chips = ++next;
		tfit_strbuf_printf(out, "static const struct tfit_cost_flash_chip %s_%u[] = {\n", sym,
				   chips);
		for (i = 0; i < db->flash.n_chips; i++) {
			const struct tfit_cost_flash_chip *c = &db->flash.chips[i];
			tfit_strbuf_puts(out, "\t{ ");
			str(out, c->match);
			dbl(out, c->clock_mhz);
			dbl(out, c->wait_states);
			dbl(out, c->clock_divider);
			dbl(out, c->access_bytes);
			str(out, c->source);
			tfit_strbuf_puts(out, "},\n");
		}
		tfit_strbuf_puts(out, "};\n");
	}
	kernel_model(out, &db->kernels, sym, &next, &kt, &kc);

	tfit_strbuf_printf(out, "static const struct tfit_cost_db %s = {\n\t", sym);
	array_ref(out, "tfit_cost_runtime", sym, runtimes);
	tfit_strbuf_printf(out, "%zu, ", db->n_runtimes);
	array_ref(out, "tfit_cost_accel", sym, accels);
	tfit_strbuf_printf(out, "%zu,\n\t{ ", db->n_accels);
	dbls(out, db->energy.mac_pj, TFIT_COST_DTYPE_COUNT);
	dbls(out, db->energy.elem_pj, TFIT_COST_DTYPE_COUNT);
	dbl(out, db->energy.sram_read_pj_per_byte);
	str(out, db->energy.source);
	tfit_strbuf_puts(out, "},\n\t{ ");
	dbl(out, db->memory.weights_external_factor);
	dbl(out, db->memory.activations_external_factor);
	str(out, db->memory.weights_source);
	str(out, db->memory.activations_source);
	tfit_strbuf_puts(out, "},\n\t{ ");
	str(out, db->flash.assumption);
	array_ref(out, "tfit_cost_flash_chip", sym, chips);
	tfit_strbuf_printf(out, "%zu },\n\t{ ", db->flash.n_chips);
	array_ref(out, "tfit_kernel_table", sym, kt);
	tfit_strbuf_printf(out, "%zu, ", db->kernels.n_tables);
	array_ref(out, "tfit_kernel_cpu", sym, kc);
	tfit_strbuf_printf(out, "%zu, ", db->kernels.n_cpus);
	str(out, db->kernels.source);
	/* dir: where it was loaded from, not part of the data */
	tfit_strbuf_puts(out, "},\n\tNULL, 1\n};\n");
}
