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

#include "util/c_emit.h"

/* A field added to the profile must be written below as well. */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(struct tfit_device) == 376, "update device_emit.c: struct tfit_device changed");
_Static_assert(sizeof(struct tfit_mem_region) == 80, "update device_emit.c: struct tfit_mem_region changed");
_Static_assert(sizeof(struct tfit_accelerator) == 48, "update device_emit.c: struct tfit_accelerator changed");
#endif

void tfit_device_emit_c_parts(const struct tfit_device *d, const char *sym,
			      struct tfit_strbuf *out)
{
	size_t i;
	tfit_strbuf_printf(out, "/* device %s */\n", d->id);
	if (d->n_regions) {
		tfit_cemit_array_begin(out, "struct tfit_mem_region", "%s_regions", sym);
		for (i = 0; i < d->n_regions; i++) {
			const struct tfit_mem_region *r = &d->regions[i];
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, r->name);
			tfit_strbuf_printf(out, "%d, ", (int)r->kind);
			tfit_cemit_u64(out, r->bytes);
			tfit_cemit_u64(out, r->usable_bytes);
			tfit_cemit_u64(out, r->ota_slot_bytes);
			tfit_cemit_str(out, r->size_source);
			tfit_cemit_str(out, r->usable_source);
			tfit_cemit_str(out, r->ota_slot_source);
			tfit_cemit_str(out, r->usable_unknown);
			tfit_strbuf_printf(out, "%d },\n", r->implicit);
		}
		tfit_cemit_array_end(out);
	}
	if (d->n_aliases)
		tfit_cemit_str_array(out, d->aliases, d->n_aliases, "%s_aliases", sym);
	if (d->n_sources) {
		tfit_cemit_array_begin(out, "struct tfit_device_source", "%s_sources", sym);
		for (i = 0; i < d->n_sources; i++) {
			tfit_cemit_row_begin(out);
			tfit_cemit_str(out, d->sources[i].field);
			tfit_cemit_row_end_str(out, d->sources[i].text);
		}
		tfit_cemit_array_end(out);
	}
}

void tfit_device_emit_c_init(const struct tfit_device *d, const char *sym,
			     struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out, "{ ");
	tfit_cemit_str(out, d->id);
	tfit_cemit_str(out, d->name);
	tfit_cemit_str(out, d->vendor);
	tfit_cemit_str(out, d->mcu);
	if (d->core)
		tfit_strbuf_printf(out, "&tfit_device_core_table[%td], ",
				   d->core - tfit_device_core_table);
	else
		tfit_strbuf_puts(out, "NULL, ");
	tfit_strbuf_printf(out, "%d, %" PRIu32 ", ", (int)d->device_class, d->cores);
	tfit_cemit_dbl(out, d->clock_mhz);
	tfit_cemit_u64(out, d->flash_bytes);
	tfit_cemit_u64(out, d->external_flash_bytes);
	tfit_cemit_u64(out, d->sram_bytes);
	tfit_cemit_ref(out, "struct tfit_mem_region *", d->n_regions != 0, "%s_regions", sym);
	tfit_strbuf_printf(out, "%zu, ", d->n_regions);
	tfit_cemit_u64(out, d->largest_region_bytes);
	tfit_cemit_u64(out, d->psram_bytes);
	tfit_cemit_u64(out, d->dram_bytes);
	tfit_strbuf_printf(out, "%d, ", (int)d->fpu);
	tfit_cemit_str(out, d->simd);
	tfit_strbuf_printf(out, "{ %d, ", d->accel.present);
	tfit_cemit_str(out, d->accel.kind);
	tfit_cemit_str(out, d->accel.name);
	tfit_cemit_dbl(out, d->accel.macs_per_cycle);
	tfit_cemit_dbl(out, d->accel.clock_mhz);
	tfit_cemit_dbl(out, d->accel.tops);
	tfit_strbuf_puts(out, "}, ");
	tfit_cemit_dbl(out, d->active_power_mw);
	tfit_cemit_dbl(out, d->sleep_power_mw);
	tfit_strbuf_printf(out, "%d, %d, ", (int)d->active_power_scope, (int)d->sleep_power_scope);
	tfit_cemit_dbl(out, d->price_usd);
	tfit_cemit_str(out, d->runtime); /* a char array: the literal initialises it */
	tfit_strbuf_printf(out, "%d, ", d->runtime_from_profile);
	tfit_cemit_u64(out, d->reserve_flash_bytes);
	tfit_cemit_u64(out, d->reserve_sram_bytes);
	tfit_strbuf_printf(out, "%d, ", d->reserve_from_profile);
	tfit_cemit_ref(out, "char **", d->n_aliases != 0, "%s_aliases", sym);
	tfit_strbuf_printf(out, "%zu, ", d->n_aliases);
	tfit_cemit_ref(out, "struct tfit_device_source *", d->n_sources != 0, "%s_sources", sym);
	tfit_strbuf_printf(out, "%zu, ", d->n_sources);
	tfit_cemit_str(out, d->notes);
	tfit_cemit_str(out, d->file);
	tfit_strbuf_puts(out, "NULL, 1 }");
}
