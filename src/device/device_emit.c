/*
 * device_emit.c - a loaded device profile written out as C static
 * initialisers (device.h tfit_device_emit_c_parts/_init). The build's data
 * generator (src/gen/tfit_datagen.c) loads devices/ with the validating
 * loader and compiles what this writes into the executable; the unit test
 * test_shipped_data writes the compiled copy again and compares the texts.
 */
#include "tinyfit/device.h"

#include <inttypes.h>
#include <stdint.h>

/* A field added to the profile must be written below as well. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(struct tfit_device) == 376, "update device_emit.c: struct tfit_device changed");
_Static_assert(sizeof(struct tfit_mem_region) == 80, "update device_emit.c: struct tfit_mem_region changed");
_Static_assert(sizeof(struct tfit_accelerator) == 48, "update device_emit.c: struct tfit_accelerator changed");
#endif

static void str(struct tfit_strbuf *o, const char *s)
{
	tfit_strbuf_c_literal(o, s);
	tfit_strbuf_puts(o, ", ");
}

static void u64(struct tfit_strbuf *o, uint64_t v)
{
	tfit_strbuf_printf(o, "UINT64_C(%" PRIu64 "), ", v);
}

/* Exact: a hexadecimal floating constant. */
static void dbl(struct tfit_strbuf *o, double v)
{
	tfit_strbuf_printf(o, "%a, ", v);
}

void tfit_device_emit_c_parts(const struct tfit_device *d, const char *sym,
			      struct tfit_strbuf *out)
{
	size_t i;
	tfit_strbuf_printf(out, "/* device %s */\n", d->id);
	if (d->n_regions) {
		tfit_strbuf_printf(out, "static const struct tfit_mem_region %s_regions[] = {\n", sym);
		for (i = 0; i < d->n_regions; i++) {
			const struct tfit_mem_region *r = &d->regions[i];
			tfit_strbuf_puts(out, "\t{ ");
			str(out, r->name);
			tfit_strbuf_printf(out, "%d, ", (int)r->kind);
			u64(out, r->bytes);
			u64(out, r->usable_bytes);
			u64(out, r->ota_slot_bytes);
			str(out, r->size_source);
			str(out, r->usable_source);
			str(out, r->ota_slot_source);
			str(out, r->usable_unknown);
			tfit_strbuf_printf(out, "%d },\n", r->implicit);
		}
		tfit_strbuf_puts(out, "};\n");
	}
	if (d->n_aliases) {
		tfit_strbuf_printf(out, "static const char *const %s_aliases[] = { ", sym);
		for (i = 0; i < d->n_aliases; i++)
			str(out, d->aliases[i]);
		tfit_strbuf_puts(out, "NULL };\n");
	}
	if (d->n_sources) {
		tfit_strbuf_printf(out, "static const struct tfit_device_source %s_sources[] = {\n",
				   sym);
		for (i = 0; i < d->n_sources; i++) {
			tfit_strbuf_puts(out, "\t{ ");
			str(out, d->sources[i].field);
			tfit_strbuf_c_literal(out, d->sources[i].text);
			tfit_strbuf_puts(out, " },\n");
		}
		tfit_strbuf_puts(out, "};\n");
	}
}

void tfit_device_emit_c_init(const struct tfit_device *d, const char *sym,
			     struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out, "{ ");
	str(out, d->id);
	str(out, d->name);
	str(out, d->vendor);
	str(out, d->mcu);
	if (d->core)
		tfit_strbuf_printf(out, "&tfit_device_core_table[%td], ",
				   d->core - tfit_device_core_table);
	else
		tfit_strbuf_puts(out, "NULL, ");
	tfit_strbuf_printf(out, "%d, %" PRIu32 ", ", (int)d->device_class, d->cores);
	dbl(out, d->clock_mhz);
	u64(out, d->flash_bytes);
	u64(out, d->external_flash_bytes);
	u64(out, d->sram_bytes);
	if (d->n_regions)
		tfit_strbuf_printf(out, "(struct tfit_mem_region *)%s_regions, ", sym);
	else
		tfit_strbuf_puts(out, "NULL, ");
	tfit_strbuf_printf(out, "%zu, ", d->n_regions);
	u64(out, d->largest_region_bytes);
	u64(out, d->psram_bytes);
	u64(out, d->dram_bytes);
	tfit_strbuf_printf(out, "%d, ", (int)d->fpu);
	str(out, d->simd);
	tfit_strbuf_printf(out, "{ %d, ", d->accel.present);
	str(out, d->accel.kind);
	str(out, d->accel.name);
	dbl(out, d->accel.macs_per_cycle);
	dbl(out, d->accel.clock_mhz);
	dbl(out, d->accel.tops);
	tfit_strbuf_puts(out, "}, ");
	dbl(out, d->active_power_mw);
	dbl(out, d->sleep_power_mw);
	tfit_strbuf_printf(out, "%d, %d, ", (int)d->active_power_scope, (int)d->sleep_power_scope);
	dbl(out, d->price_usd);
	str(out, d->runtime); /* a char array: the literal initialises it */
	tfit_strbuf_printf(out, "%d, ", d->runtime_from_profile);
	u64(out, d->reserve_flash_bytes);
	u64(out, d->reserve_sram_bytes);
	tfit_strbuf_printf(out, "%d, ", d->reserve_from_profile);
	if (d->n_aliases)
		tfit_strbuf_printf(out, "(char **)%s_aliases, ", sym);
	else
		tfit_strbuf_puts(out, "NULL, ");
	tfit_strbuf_printf(out, "%zu, ", d->n_aliases);
	if (d->n_sources)
		tfit_strbuf_printf(out, "(struct tfit_device_source *)%s_sources, ", sym);
	else
		tfit_strbuf_puts(out, "NULL, ");
	tfit_strbuf_printf(out, "%zu, ", d->n_sources);
	str(out, d->notes);
	str(out, d->file);
	tfit_strbuf_puts(out, "NULL, 1 }");
}
