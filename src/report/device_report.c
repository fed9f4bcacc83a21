/*
 * device_report.c - the board database as reports: the `tinyfit devices`
 * list and `devices show` as tables (for the text, Markdown, CSV and HTML
 * renderers) and as JSON documents.
 * Plain data in, a table or a string out: nothing here prints.
 */
#include "tinyfit/device_report.h"

#include <stdio.h>
#include <string.h>

#include "tinyfit/units.h"
#include "report/json_out.h"

/* "%g" without trailing noise or an exponent: 64, 1430, 1.98, 0.2. */
static void fmt_num(char *buf, size_t size, double v)
{
	tfit_units_format_sig(v, 6, buf, size);
}

/*
 * Bytes for a narrow column: whole units without decimals ("512 KiB",
 * "2 MiB"), two decimals otherwise ("1.62 MiB"). Binary units, as
 * everywhere in tinyfit's output.
 */
static char *fmt_bytes_compact(uint64_t v, char *buf, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	uint64_t scale = 1;
	int u = 0;
	while (u < 4 && v / scale >= 1024) {
		scale *= 1024;
		u++;
	}
	if (v % scale == 0)
		snprintf(buf, size, "%llu %s", (unsigned long long)(v / scale), unit[u]);
	else
		snprintf(buf, size, "%.2f %s", (double)v / (double)scale, unit[u]);
	return buf;
}

static void set_bytes(struct tfit_table *t, size_t r, size_t c, uint64_t bytes,
		      const char *suffix)
{
	char text[48], raw[32], b[32];
	if (!bytes)
		return;
	snprintf(text, sizeof(text), "%s%s", fmt_bytes_compact(bytes, b, sizeof(b)), suffix);
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)bytes);
	tfit_table_set(t, r, c, text, raw);
}

static void set_price(struct tfit_table *t, size_t r, size_t c, double usd)
{
	char text[32], raw[32];
	if (!(usd > 0))
		return;
	if (usd == (double)(long long)usd)
		snprintf(text, sizeof(text), "$%.0f", usd);
	else
		snprintf(text, sizeof(text), "$%.2f", usd);
	fmt_num(raw, sizeof(raw), usd);
	tfit_table_set(t, r, c, text, raw);
}

void tfit_device_list_table(const struct tfit_device *const *devs, size_t n, int compact,
			    struct tfit_table *t)
{
	size_t i;
	size_t c_id, c_name = 0, c_core, c_mhz, c_flash, c_sram, c_largest, c_accel = 0, c_price;
	size_t col = 0;

	tfit_table_init(t, "Devices");
	c_id = col++;
	tfit_table_add_col(t, "ID", "id", TFIT_ALIGN_LEFT);
	if (!compact) {
		c_name = col++;
		tfit_table_add_col(t, "Name", "name", TFIT_ALIGN_LEFT);
	}
	c_core = col++;
	tfit_table_add_col(t, "Core", "core", TFIT_ALIGN_LEFT);
	c_mhz = col++;
	tfit_table_add_col(t, "MHz", "clock_mhz", TFIT_ALIGN_RIGHT);
	c_flash = col++;
	tfit_table_add_col(t, "Flash", "flash_bytes", TFIT_ALIGN_RIGHT);
	c_sram = col++;
	tfit_table_add_col(t, "SRAM", "sram_bytes", TFIT_ALIGN_RIGHT);
	c_largest = col++;
	tfit_table_add_col(t, "Max block", "largest_region_bytes", TFIT_ALIGN_RIGHT);
	if (!compact) {
		c_accel = col++;
		tfit_table_add_col(t, "Accelerator", "accelerator", TFIT_ALIGN_LEFT);
	}
	c_price = col++;
	tfit_table_add_col(t, "Price", "price_usd", TFIT_ALIGN_RIGHT);
	/* narrow terminals: the id names the row; the largest block goes
	 * first, then the price, then the clock */
	tfit_table_set_drop_priority(t, c_id, TFIT_COL_KEY);
	tfit_table_set_drop_priority(t, c_largest, 3);
	tfit_table_set_drop_priority(t, c_price, 2);
	tfit_table_set_drop_priority(t, c_mhz, 1);

	for (i = 0; i < n; i++) {
		const struct tfit_device *d = devs[i];
		size_t r = tfit_table_add_row(t);
		char raw[32];
		tfit_table_set(t, r, c_id, d->id, NULL);
		if (!compact)
			tfit_table_set(t, r, c_name, d->name, NULL);
		if (d->cores > 1 && !compact) {
			char text[48];
			snprintf(text, sizeof(text), "%s x%u", d->core->id, (unsigned)d->cores);
			tfit_table_set(t, r, c_core, text, d->core->id); /* CSV: the bare id */
		} else
			tfit_table_set(t, r, c_core, d->core->id, NULL);
		if (d->clock_mhz > 0) {
			fmt_num(raw, sizeof(raw), d->clock_mhz);
			tfit_table_set(t, r, c_mhz, raw, NULL);
		}
		if (d->flash_bytes)
			set_bytes(t, r, c_flash, d->flash_bytes, "");
		else
			set_bytes(t, r, c_flash, d->external_flash_bytes, " ext");
		if (d->sram_bytes) {
			set_bytes(t, r, c_sram, d->sram_bytes, "");
		} else if (d->dram_bytes) {
			/* Linux-class boards: their DRAM, marked, in the text;
			 * the CSV column stays SRAM (empty). */
			char b[32], text[48];
			snprintf(text, sizeof(text), "%s DRAM",
				 fmt_bytes_compact(d->dram_bytes, b, sizeof(b)));
			tfit_table_set(t, r, c_sram, text, "");
		}
		set_bytes(t, r, c_largest, d->largest_region_bytes, "");
		if (!compact && d->accel.present)
			tfit_table_set(t, r, c_accel, d->accel.name, NULL);
		set_price(t, r, c_price, d->price_usd);
	}
	tfit_table_add_note(t, "%zu device%s. Flash: on-chip, or the board's external flash "
			    "(ext) when the chip has none.", n, n == 1 ? "" : "s");
	tfit_table_add_note(t, "Max block: the largest usable internal RAM region (after what the "
			    "platform takes), the biggest tensor arena the board can hold on chip; "
			    "empty when no usable size is sourced.");
	tfit_table_add_note(t, "Empty cells: no source gives the value; 'tinyfit devices show ID' "
			    "lists every field with its source.");
	if (compact)
		tfit_table_add_note(t, "Name, Accelerator and core counts are left out to fit the "
				    "terminal; --width 0 or --format markdown shows them.");
}

/* ---- show ---- */

struct refs {
	const char *text[64];
	size_t n;
};

/* The reference number of a citation, adding it on first use. */
static size_t ref_of(struct refs *rf, const char *text)
{
	size_t i;
	for (i = 0; i < rf->n; i++)
		if (strcmp(rf->text[i], text) == 0)
			return i + 1;
	if (rf->n == sizeof(rf->text) / sizeof(rf->text[0]))
		return 0;
	rf->text[rf->n++] = text;
	return rf->n;
}

/* A row whose citation is src; sourced says whether the value takes one
 * (then a missing src shows "(no source)"). */
static void show_row_src(struct tfit_table *t, struct refs *rf, const char *label,
			 const char *src, int sourced, const char *value, const char *raw)
{
	size_t r = tfit_table_add_row(t);
	tfit_table_set(t, r, 0, label, NULL);
	tfit_table_set(t, r, 1, value, raw);
	if (src) {
		size_t k = ref_of(rf, src);
		char ref[24];
		snprintf(ref, sizeof(ref), "[%zu]", k);
		/* Text and Markdown show "[n]" and the citation as note n; CSV,
		 * which has no notes, gets the citation itself. */
		tfit_table_set(t, r, 2, k ? ref : src, src);
	} else if (sourced) {
		tfit_table_set(t, r, 2, "(no source)", NULL);
		tfit_table_set_style(t, r, 2, TFIT_STYLE_WARN);
	}
}

static void show_row(struct tfit_table *t, struct refs *rf, const struct tfit_device *d,
		     const char *label, const char *field, const char *value, const char *raw)
{
	show_row_src(t, rf, label, field ? tfit_device_source(d, field) : NULL, field != NULL,
		     value, raw);
}

/* The memory map: one row per region, then its usable size and OTA slot. */
static void show_regions(struct tfit_table *t, struct refs *rf, const struct tfit_device *d)
{
	size_t i;
	const struct tfit_mem_region *ar = tfit_device_arena_region(d);
	for (i = 0; i < d->n_regions; i++) {
		const struct tfit_mem_region *g = &d->regions[i];
		char label[160], text[160], raw[32], b[32];
		const char *field = NULL;
		snprintf(label, sizeof(label), "region %s", g->name);
		snprintf(raw, sizeof(raw), "%llu", (unsigned long long)g->bytes);
		snprintf(text, sizeof(text), "%s, %s%s", tfit_mem_kind_name(g->kind),
			 fmt_bytes_compact(g->bytes, b, sizeof(b)),
			 g->implicit ? " (from the total; no memory map listed)" : "");
		if (g->implicit) {
			/* the total's own source */
			switch (g->kind) {
			case TFIT_MEM_PSRAM: field = "psram"; break;
			case TFIT_MEM_SDRAM: field = "dram"; break;
			case TFIT_MEM_FLASH: field = "flash"; break;
			case TFIT_MEM_EXT_FLASH: field = "external_flash"; break;
			default: field = "sram"; break;
			}
			show_row(t, rf, d, label, field, text, raw);
		} else {
			show_row_src(t, rf, label, g->size_source, 1, text, raw);
		}
		snprintf(label, sizeof(label), "  usable%s", g == ar ? " (arena default)" : "");
		if (g->usable_bytes) {
			snprintf(raw, sizeof(raw), "%llu", (unsigned long long)g->usable_bytes);
			snprintf(text, sizeof(text), "%s (%s B)",
				 fmt_bytes_compact(g->usable_bytes, b, sizeof(b)), raw);
			show_row_src(t, rf, label, g->usable_source, 1, text, raw);
		} else {
			char why[512];
			snprintf(why, sizeof(why), "unknown (verdicts that need it say unknown)%s%s",
				 g->usable_unknown ? ": " : "", g->usable_unknown ? g->usable_unknown : "");
			show_row_src(t, rf, label, NULL, 0, why, "");
			tfit_table_set_style(t, t->n_rows - 1, 1, TFIT_STYLE_WARN);
		}
		if (g->ota_slot_bytes) {
			snprintf(raw, sizeof(raw), "%llu", (unsigned long long)g->ota_slot_bytes);
			snprintf(text, sizeof(text), "%s (%s B) each of two",
				 fmt_bytes_compact(g->ota_slot_bytes, b, sizeof(b)), raw);
			show_row_src(t, rf, "  OTA slot", g->ota_slot_source, 1, text, raw);
		}
	}
}

static void show_bytes(struct tfit_table *t, struct refs *rf, const struct tfit_device *d,
		       const char *label, const char *field, uint64_t bytes)
{
	/* text holds b (< 32) + " (" + raw (< 32) + " B)": 68 bytes at most */
	char text[80], raw[32], b[32];
	if (!bytes)
		return;
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)bytes);
	snprintf(text, sizeof(text), "%s (%s B)", fmt_bytes_compact(bytes, b, sizeof(b)), raw);
	show_row(t, rf, d, label, field, text, raw);
}

/* " mW", and what the figure covers when the profile says. */
static const char *power_unit(enum tfit_power_scope s)
{
	switch (s) {
	case TFIT_POWER_SCOPE_BOARD: return " mW (whole board)";
	case TFIT_POWER_SCOPE_CHIP: return " mW (chip only)";
	case TFIT_POWER_SCOPE_UNKNOWN: break;
	}
	return " mW";
}

static void show_num(struct tfit_table *t, struct refs *rf, const struct tfit_device *d,
		     const char *label, const char *field, double v, const char *unit)
{
	char raw[32], text[64];
	if (!(v > 0))
		return;
	fmt_num(raw, sizeof(raw), v);
	snprintf(text, sizeof(text), "%s%s", raw, unit);
	show_row(t, rf, d, label, field, text, raw);
}

/*
 * One row naming the facts a reader compares boards by that the profile
 * leaves out, so that a gap reads as "unknown", not as "none" or zero.
 */
static void show_not_given(struct tfit_table *t, struct refs *rf, const struct tfit_device *d,
			   char *text, size_t size)
{
	const struct { const char *label; int missing; } facts[] = {
		{ "clock", !(d->clock_mhz > 0) },
		{ "SRAM or DRAM", !d->sram_bytes && !d->dram_bytes },
		{ "active power", !(d->active_power_mw > 0) },
		{ "sleep power", !(d->sleep_power_mw > 0) },
		{ "price", !(d->price_usd > 0) },
	};
	size_t i, len = 0;
	text[0] = '\0';
	for (i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if (facts[i].missing && len < size)
			len += (size_t)snprintf(text + len, size - len, "%s%s", len ? ", " : "",
						facts[i].label);
	if (len > 0)
		show_row(t, rf, d, "not given", NULL, text, NULL);
}

void tfit_device_show_table(const struct tfit_device *d, struct tfit_table *t)
{
	struct refs rf;
	char text[512], b1[32], b2[32];
	size_t i;

	rf.n = 0;
	snprintf(text, sizeof(text), "%s: %s", d->id, d->name);
	tfit_table_init(t, text);
	tfit_table_add_col(t, "Field", "field", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Value", "value", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Source", "source", TFIT_ALIGN_LEFT);

	show_row(t, &rf, d, "id", NULL, d->id, NULL);
	show_row(t, &rf, d, "name", NULL, d->name, NULL);
	show_row(t, &rf, d, "vendor", NULL, d->vendor, NULL);
	show_row(t, &rf, d, "mcu", "mcu", d->mcu, NULL);
	snprintf(text, sizeof(text), "%s (%s, family %s)", d->core->id, d->core->display,
		 tfit_core_family_name(d->core->family));
	show_row(t, &rf, d, "core", "core", text, d->core->id);
	show_row(t, &rf, d, "class", NULL, tfit_device_class_name(d->device_class), NULL);
	if (d->cores) {
		snprintf(text, sizeof(text), "%u", (unsigned)d->cores);
		show_row(t, &rf, d, "cores", "cores", text, NULL);
	}
	show_num(t, &rf, d, "clock", "clock_mhz", d->clock_mhz, " MHz");
	show_bytes(t, &rf, d, "flash (on-chip)", "flash", d->flash_bytes);
	show_bytes(t, &rf, d, "external flash", "external_flash", d->external_flash_bytes);
	show_bytes(t, &rf, d, "sram total", "sram", d->sram_bytes);
	show_bytes(t, &rf, d, "psram", "psram", d->psram_bytes);
	show_bytes(t, &rf, d, "dram", "dram", d->dram_bytes);
	show_regions(t, &rf, d);
	if (d->fpu != TFIT_FPU_UNKNOWN)
		show_row(t, &rf, d, "fpu", "fpu", tfit_fpu_name(d->fpu), NULL);
	if (d->simd)
		show_row(t, &rf, d, "simd", "simd", d->simd, NULL);
	if (d->accel.present) {
		size_t len = (size_t)snprintf(text, sizeof(text), "%s: %s", d->accel.kind, d->accel.name);
		char num[64];
		if (d->accel.macs_per_cycle > 0 && len < sizeof(text)) {
			fmt_num(num, sizeof(num), d->accel.macs_per_cycle);
			len += (size_t)snprintf(text + len, sizeof(text) - len, "; %s MACs/cycle", num);
		}
		if (d->accel.clock_mhz > 0 && len < sizeof(text)) {
			fmt_num(num, sizeof(num), d->accel.clock_mhz);
			len += (size_t)snprintf(text + len, sizeof(text) - len, "; %s MHz", num);
		}
		if (d->accel.tops > 0 && len < sizeof(text)) {
			fmt_num(num, sizeof(num), d->accel.tops);
			snprintf(text + len, sizeof(text) - len, "; %s TOPS", num);
		}
		show_row(t, &rf, d, "accelerator", "accelerator", text, NULL);
	}
	show_num(t, &rf, d, "active power", "active_power_mw", d->active_power_mw,
		 power_unit(d->active_power_scope));
	show_num(t, &rf, d, "sleep power", "sleep_power_mw", d->sleep_power_mw,
		 power_unit(d->sleep_power_scope));
	if (d->price_usd > 0) {
		char raw[32];
		snprintf(text, sizeof(text), "%.2f USD", d->price_usd);
		fmt_num(raw, sizeof(raw), d->price_usd);
		show_row(t, &rf, d, "price", "price_usd", text, raw);
	}
	show_row(t, &rf, d, "default runtime", d->runtime_from_profile ? "default_runtime" : NULL,
		 d->runtime, NULL);
	if (!d->runtime_from_profile)
		tfit_table_set(t, t->n_rows - 1, 2, "(core default)", NULL);
	snprintf(text, sizeof(text), "flash %s, sram %s",
		 fmt_bytes_compact(d->reserve_flash_bytes, b1, sizeof(b1)),
		 fmt_bytes_compact(d->reserve_sram_bytes, b2, sizeof(b2)));
	show_row(t, &rf, d, "firmware reserve", d->reserve_from_profile ? "reserve" : NULL, text, NULL);
	if (!d->reserve_from_profile) {
		snprintf(text, sizeof(text), "(%s default)", tfit_device_class_name(d->device_class));
		tfit_table_set(t, t->n_rows - 1, 2, text, NULL);
	}
	show_not_given(t, &rf, d, text, sizeof(text));
	if (d->n_aliases) {
		size_t len = 0;
		text[0] = '\0';
		for (i = 0; i < d->n_aliases && len < sizeof(text); i++)
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i ? ", " : "",
						d->aliases[i]);
		show_row(t, &rf, d, "aliases", NULL, text, NULL);
	}
	show_row(t, &rf, d, "defined in", NULL, d->file, NULL);
	if (d->overrides)
		show_row(t, &rf, d, "overrides", NULL, d->overrides, NULL);
	for (i = 0; i < rf.n; i++)
		tfit_table_add_note(t, "[%zu] %s", i + 1, rf.text[i]);
	if (d->notes)
		tfit_table_add_note(t, "Notes: %s", d->notes);
}

/* ---- JSON ---- */

static void jo_bytes(cJSON *o, const char *key, uint64_t v)
{
	if (v)
		tfit_jo_u64(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* A positive number as the profile wrote it (at most 6 significant digits,
 * so 64 stays 64 and 1.98 stays 1.98); null when not given. */
static void jo_pos(cJSON *o, const char *key, double v)
{
	char buf[32];
	if (v > 0) {
		fmt_num(buf, sizeof(buf), v);
		cJSON_AddItemToObject(o, key, cJSON_CreateRaw(buf));
	} else {
		cJSON_AddNullToObject(o, key);
	}
}

static cJSON *device_json(const struct tfit_device *d, int full)
{
	cJSON *o = cJSON_CreateObject(), *a, *x;
	size_t i;
	if (!o)
		return NULL;
	tfit_jo_str(o, "id", d->id);
	tfit_jo_str(o, "name", d->name);
	tfit_jo_str(o, "vendor", d->vendor);
	tfit_jo_str(o, "mcu", d->mcu);
	tfit_jo_str(o, "core", d->core->id);
	tfit_jo_str(o, "core_family", tfit_core_family_name(d->core->family));
	tfit_jo_str(o, "class", tfit_device_class_name(d->device_class));
	if (d->cores)
		tfit_jo_u64(o, "cores", d->cores);
	else
		cJSON_AddNullToObject(o, "cores");
	jo_pos(o, "clock_mhz", d->clock_mhz);
	jo_bytes(o, "flash_bytes", d->flash_bytes);
	jo_bytes(o, "external_flash_bytes", d->external_flash_bytes);
	jo_bytes(o, "sram_bytes", d->sram_bytes);
	jo_bytes(o, "psram_bytes", d->psram_bytes);
	jo_bytes(o, "dram_bytes", d->dram_bytes);
	a = cJSON_AddArrayToObject(o, "regions");
	for (i = 0; a && i < d->n_regions; i++) {
		const struct tfit_mem_region *g = &d->regions[i];
		x = cJSON_CreateObject();
		if (!x)
			break;
		tfit_jo_str(x, "name", g->name);
		tfit_jo_str(x, "kind", tfit_mem_kind_name(g->kind));
		tfit_jo_u64(x, "bytes", g->bytes);
		jo_bytes(x, "usable_bytes", g->usable_bytes);
		jo_bytes(x, "ota_slot_bytes", g->ota_slot_bytes);
		if (g->usable_unknown) /* why usable_bytes is null */
			tfit_jo_str(x, "usable_unknown", g->usable_unknown);
		tfit_jo_bool(x, "implicit", g->implicit);
		if (full) {
			cJSON *s = cJSON_AddObjectToObject(x, "sources");
			if (s) {
				tfit_jo_str(s, "size", g->size_source);
				tfit_jo_str(s, "usable", g->usable_source);
				tfit_jo_str(s, "ota_slot", g->ota_slot_source);
			}
		}
		cJSON_AddItemToArray(a, x);
	}
	jo_bytes(o, "largest_region_bytes", d->largest_region_bytes);
	{
		const struct tfit_mem_region *ar = tfit_device_arena_region(d);
		tfit_jo_str(o, "arena_region", ar ? ar->name : NULL);
	}
	if (d->fpu != TFIT_FPU_UNKNOWN)
		tfit_jo_str(o, "fpu", tfit_fpu_name(d->fpu));
	else
		cJSON_AddNullToObject(o, "fpu");
	tfit_jo_str(o, "simd", d->simd);
	if (d->accel.present && (x = cJSON_AddObjectToObject(o, "accelerator")) != NULL) {
		tfit_jo_str(x, "kind", d->accel.kind);
		tfit_jo_str(x, "name", d->accel.name);
		jo_pos(x, "macs_per_cycle", d->accel.macs_per_cycle);
		jo_pos(x, "clock_mhz", d->accel.clock_mhz);
		jo_pos(x, "tops", d->accel.tops);
	} else {
		cJSON_AddNullToObject(o, "accelerator");
	}
	jo_pos(o, "active_power_mw", d->active_power_mw);
	tfit_jo_str(o, "active_power_scope", tfit_power_scope_name(d->active_power_scope));
	jo_pos(o, "sleep_power_mw", d->sleep_power_mw);
	tfit_jo_str(o, "sleep_power_scope", tfit_power_scope_name(d->sleep_power_scope));
	jo_pos(o, "price_usd", d->price_usd);
	tfit_jo_str(o, "default_runtime", d->runtime);
	if ((x = cJSON_AddObjectToObject(o, "reserve")) != NULL) {
		tfit_jo_u64(x, "flash_bytes", d->reserve_flash_bytes);
		tfit_jo_u64(x, "sram_bytes", d->reserve_sram_bytes);
		tfit_jo_str(x, "from", d->reserve_from_profile ? "profile" : "class default");
	}
	a = cJSON_AddArrayToObject(o, "aliases");
	for (i = 0; a && i < d->n_aliases; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(d->aliases[i]));
	if (full) {
		if ((x = cJSON_AddObjectToObject(o, "sources")) != NULL)
			for (i = 0; i < d->n_sources; i++)
				tfit_jo_str(x, d->sources[i].field, d->sources[i].text);
		tfit_jo_str(o, "notes", d->notes);
	}
	tfit_jo_str(o, "file", d->file);
	tfit_jo_str(o, "overrides", d->overrides);
	return o;
}

void tfit_device_render_list_json(const struct tfit_device *const *devs, size_t n,
				  struct tfit_strbuf *out)
{
	cJSON *doc = tfit_jo_document("devices"), *a;
	size_t i;
	if (doc && (a = cJSON_AddArrayToObject(doc, "devices")) != NULL)
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(a, device_json(devs[i], 0));
	if (!doc)
		out->oom = 1;
	tfit_jo_finish(doc, out);
}

void tfit_device_render_show_json(const struct tfit_device *d, struct tfit_strbuf *out)
{
	cJSON *doc = tfit_jo_document("devices show");
	if (doc)
		cJSON_AddItemToObject(doc, "device", device_json(d, 1));
	else
		out->oom = 1;
	tfit_jo_finish(doc, out);
}
