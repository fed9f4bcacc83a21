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

#include "util/c_emit.h"

/* A field added to the database must be written below as well. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(struct tfit_cost_db) == 232, "update cost_emit.c: struct tfit_cost_db changed");
_Static_assert(sizeof(struct tfit_cost_runtime) == 120, "update cost_emit.c: struct tfit_cost_runtime changed");
_Static_assert(sizeof(struct tfit_cost_table) == 248, "update cost_emit.c: struct tfit_cost_table changed");
_Static_assert(sizeof(struct tfit_cost_flash_chip) == 48, "update cost_emit.c: struct tfit_cost_flash_chip changed");
_Static_assert(sizeof(struct tfit_cost_accel) == 96, "update cost_emit.c: struct tfit_cost_accel changed");
_Static_assert(sizeof(struct tfit_kernel_table) == 64, "update cost_emit.c: struct tfit_kernel_table changed");
_Static_assert(sizeof(struct tfit_kernel_cpu) == 72, "update cost_emit.c: struct tfit_kernel_cpu changed");
_Static_assert(sizeof(struct tfit_kernel_build) == 32, "update cost_emit.c: struct tfit_kernel_build changed");
#endif

/* A pointer to the emitted array number idx of sym ("sym_idx"), or NULL
 * when the array is empty (idx 0). */
static void array_ref(struct tfit_strbuf *o, const char *ptr_type, const char *sym, unsigned idx)
{
	tfit_cemit_ref(o, ptr_type, idx != 0, "%s_%u", sym, idx);
}

static void dbls(struct tfit_strbuf *o, const double *v, size_t n)
{
	size_t i;
	tfit_strbuf_puts(o, "{ ");
	for (i = 0; i < n; i++)
		tfit_cemit_dbl(o, v[i]);
	tfit_strbuf_puts(o, "}, ");
}

/* A NULL-free string list as a static array; writes the reference. */
static void str_list(struct tfit_strbuf *o, struct tfit_strbuf *ref, char *const *v, size_t n,
		     const char *sym, unsigned *next)
{
	if (!n) {
		tfit_strbuf_puts(ref, "NULL, 0, ");
		return;
	}
	++*next;
	tfit_cemit_str_array(o, v, n, "%s_%u", sym, *next);
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
		tfit_cemit_array_begin(o, "struct tfit_cost_not_for", "%s_%u", sym, not_for);
		for (i = 0; i < r->n_not_for; i++) {
			tfit_cemit_row_begin(o);
			tfit_cemit_str(o, r->not_for[i].family);
			tfit_cemit_str(o, r->not_for[i].reason);
			tfit_cemit_row_end(o);
		}
		tfit_cemit_array_end(o);
	}
	for (i = 0; i < r->n_tables; i++) {
		const struct tfit_cost_table *c = &r->tables[i];
		tfit_cemit_row_begin(&t);
		tfit_cemit_str(&t, c->id);
		str_list(o, &t, c->cores, c->n_cores, sym, next);
		str_list(o, &t, c->families, c->n_families, sym, next);
		tfit_strbuf_printf(&t, "%d, ", (int)c->dtype);
		tfit_cemit_str(&t, c->version);
		tfit_strbuf_printf(&t, "%d, %d, ", c->current, c->requires_fpu);
		dbls(&t, c->cycles_per_unit, TFIT_COST_KIND_COUNT);
		tfit_cemit_dbl(&t, c->op_overhead_cycles);
		tfit_strbuf_puts(&t, "{ ");
		for (k = 0; k <= TFIT_COST_KIND_COUNT; k++)
			tfit_cemit_str(&t, c->sources[k]);
		tfit_strbuf_puts(&t, "}, ");
		tfit_cemit_str(&t, c->basis);
		tfit_cemit_dbl(&t, c->interval_pct);
		tfit_cemit_row_end_str(&t, c->interval_source);
	}
	if (r->n_tables) {
		tables = ++*next;
		tfit_cemit_array_begin(o, "struct tfit_cost_table", "%s_%u", sym, tables);
		tfit_strbuf_puts(o, tfit_strbuf_str(&t));
		tfit_cemit_array_end(o);
	}
	tfit_strbuf_release(&t);
	tfit_cemit_row_begin(init);
	tfit_cemit_str(init, r->id);
	tfit_cemit_str(init, r->name);
	tfit_cemit_str(init, r->file);
	tfit_cemit_str(init, r->float_runtime);
	tfit_cemit_dbl(init, r->int16_factor);
	tfit_cemit_str(init, r->int16_source);
	tfit_cemit_dbl(init, r->soft_float_factor);
	tfit_cemit_str(init, r->soft_float_source);
	tfit_cemit_dbl(init, r->prior_interval_pct);
	tfit_cemit_str(init, r->prior_interval_source);
	tfit_cemit_str(init, r->flash_weights_source);
	array_ref(init, "struct tfit_cost_not_for *", sym, not_for);
	tfit_strbuf_printf(init, "%zu, ", r->n_not_for);
	array_ref(init, "struct tfit_cost_table *", sym, tables);
	tfit_strbuf_printf(init, "%zu },\n", r->n_tables);
}

static void kernel_model(struct tfit_strbuf *o, const struct tfit_kernel_model *km,
			 const char *sym, unsigned *next, unsigned *tables, unsigned *cpus,
			 unsigned *builds)
{
	struct tfit_strbuf t = TFIT_STRBUF_INIT;
	size_t i, k;
	*tables = *cpus = 0;
	for (i = 0; i < km->n_tables; i++) {
		const struct tfit_kernel_table *kt = &km->tables[i];
		unsigned coef = 0, features = 0;
		if (kt->n_features) {
			coef = ++*next;
			tfit_strbuf_printf(o, "static const double %s_%u[] = { ", sym, coef);
			for (k = 0; k < kt->n_features; k++)
				tfit_cemit_dbl(o, kt->coef[k]);
			tfit_strbuf_puts(o, "};\n");
		}
		tfit_cemit_row_begin(&t);
		tfit_cemit_str(&t, kt->runtime);
		tfit_cemit_str(&t, kt->core);
		tfit_cemit_str(&t, kt->build);
		tfit_cemit_str(&t, kt->path);
		if (kt->n_features) {
			features = ++*next;
			tfit_cemit_str_array(o, kt->features, kt->n_features, "%s_%u", sym, features);
		}
		array_ref(&t, "char **", sym, features);
		array_ref(&t, "double *", sym, coef);
		tfit_strbuf_printf(&t, "%zu, ", kt->n_features);
		tfit_cemit_dbl(&t, kt->max_error);
		tfit_cemit_row_end(&t);
	}
	if (km->n_tables) {
		*tables = ++*next;
		tfit_cemit_array_begin(o, "struct tfit_kernel_table", "%s_%u", sym, *tables);
		tfit_strbuf_puts(o, tfit_strbuf_str(&t));
		tfit_cemit_array_end(o);
	}
	tfit_strbuf_release(&t);
	if (km->n_cpus) {
		struct tfit_strbuf u = TFIT_STRBUF_INIT;
		for (i = 0; i < km->n_cpus; i++) {
			const struct tfit_kernel_cpu *c = &km->cpus[i];
			tfit_cemit_row_begin(&u);
			tfit_cemit_str(&u, c->runtime);
			tfit_cemit_str(&u, c->core);
			tfit_cemit_str(&u, c->build);
			tfit_cemit_str(&u, c->instructions_core);
			str_list(o, &u, c->unmeasured_paths, c->n_unmeasured_paths, sym, next);
			tfit_cemit_dbl(&u, c->cycles_per_instruction);
			tfit_cemit_dbl(&u, c->op_overhead_cycles);
			tfit_cemit_str(&u, c->source);
			tfit_cemit_row_end(&u);
		}
		*cpus = ++*next;
		tfit_cemit_array_begin(o, "struct tfit_kernel_cpu", "%s_%u", sym, *cpus);
		tfit_strbuf_puts(o, tfit_strbuf_str(&u));
		tfit_cemit_array_end(o);
		tfit_strbuf_release(&u);
	}
	*builds = 0;
	if (km->n_builds) {
		*builds = ++*next;
		tfit_cemit_array_begin(o, "struct tfit_kernel_build", "%s_%u", sym, *builds);
		for (i = 0; i < km->n_builds; i++) {
			const struct tfit_kernel_build *b = &km->builds[i];
			tfit_cemit_row_begin(o);
			tfit_cemit_str(o, b->id);
			tfit_cemit_str(o, b->match);
			tfit_cemit_str(o, b->summary);
			tfit_cemit_str(o, b->source);
			tfit_cemit_row_end(o);
		}
		tfit_cemit_array_end(o);
	}
}

void tfit_cost_db_emit_c(const struct tfit_cost_db *db, const char *sym, struct tfit_strbuf *out)
{
	struct tfit_strbuf init = TFIT_STRBUF_INIT;
	unsigned next = 0, runtimes = 0, accels = 0, chips = 0, kt, kc, kb;
	size_t i;
	tfit_strbuf_puts(out, "/* cost tables */\n");
	for (i = 0; i < db->n_runtimes; i++)
		runtime(out, &db->runtimes[i], sym, &next, &init);
	if (db->n_runtimes) {
		runtimes = ++next;
		tfit_cemit_array_begin(out, "struct tfit_cost_runtime", "%s_%u", sym, runtimes);
		tfit_strbuf_puts(out, tfit_strbuf_str(&init));
		tfit_cemit_array_end(out);
	}
	tfit_strbuf_release(&init);
	if (db->n_accels) {
		accels = ++next;
		tfit_cemit_array_begin(out, "struct tfit_cost_accel", "%s_%u", sym, accels);
		for (i = 0; i < db->n_accels; i++) {
			const struct tfit_cost_accel *a = &db->accels[i];
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, a->kind);
			dbls(out, a->utilization, TFIT_COST_KIND_COUNT);
			tfit_cemit_dbl(out, a->op_overhead_us);
			tfit_cemit_str(out, a->source);
			tfit_cemit_row_end(out);
		}
		tfit_cemit_array_end(out);
	}
	if (db->flash.n_chips) {
		chips = ++next;
		tfit_cemit_array_begin(out, "struct tfit_cost_flash_chip", "%s_%u", sym, chips);
		for (i = 0; i < db->flash.n_chips; i++) {
			const struct tfit_cost_flash_chip *c = &db->flash.chips[i];
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, c->match);
			tfit_cemit_dbl(out, c->clock_mhz);
			tfit_cemit_dbl(out, c->wait_states);
			tfit_cemit_dbl(out, c->clock_divider);
			tfit_cemit_dbl(out, c->access_bytes);
			tfit_cemit_str(out, c->source);
			tfit_cemit_row_end(out);
		}
		tfit_cemit_array_end(out);
	}
	kernel_model(out, &db->kernels, sym, &next, &kt, &kc, &kb);

	tfit_strbuf_printf(out, "static const struct tfit_cost_db %s = {\n\t", sym);
	array_ref(out, "struct tfit_cost_runtime *", sym, runtimes);
	tfit_strbuf_printf(out, "%zu, ", db->n_runtimes);
	array_ref(out, "struct tfit_cost_accel *", sym, accels);
	tfit_strbuf_printf(out, "%zu,\n\t{ ", db->n_accels);
	dbls(out, db->energy.mac_pj, TFIT_COST_DTYPE_COUNT);
	dbls(out, db->energy.elem_pj, TFIT_COST_DTYPE_COUNT);
	tfit_cemit_dbl(out, db->energy.sram_read_pj_per_byte);
	tfit_cemit_str(out, db->energy.source);
	tfit_strbuf_puts(out, "},\n\t{ ");
	tfit_cemit_dbl(out, db->memory.weights_external_factor);
	tfit_cemit_dbl(out, db->memory.activations_external_factor);
	tfit_cemit_str(out, db->memory.weights_source);
	tfit_cemit_str(out, db->memory.activations_source);
	tfit_strbuf_puts(out, "},\n\t{ ");
	tfit_cemit_str(out, db->flash.assumption);
	array_ref(out, "struct tfit_cost_flash_chip *", sym, chips);
	tfit_strbuf_printf(out, "%zu },\n\t{ ", db->flash.n_chips);
	array_ref(out, "struct tfit_kernel_table *", sym, kt);
	tfit_strbuf_printf(out, "%zu, ", db->kernels.n_tables);
	array_ref(out, "struct tfit_kernel_cpu *", sym, kc);
	tfit_strbuf_printf(out, "%zu, ", db->kernels.n_cpus);
	array_ref(out, "struct tfit_kernel_build *", sym, kb);
	tfit_strbuf_printf(out, "%zu, ", db->kernels.n_builds);
	tfit_cemit_str(out, db->kernels.source);
	/* dir: where it was loaded from, not part of the data; no kernel memo */
	tfit_strbuf_puts(out, "},\n\tNULL, 1, NULL\n};\n");
}
