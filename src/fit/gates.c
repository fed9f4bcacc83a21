/* gates.c - CI thresholds on fit results (see fit.h). */
#include "tinyfit/fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tinyfit/units.h"

int tfit_gates_any(const struct tfit_gates *g)
{
	return g->has_max_flash_pct || g->has_max_sram_pct || g->has_max_arena ||
	       g->has_max_latency || g->has_min_margin;
}

static void add(struct tfit_gate_failure *out, size_t max, size_t *n,
		const struct tfit_fit_result *r, const char *what, const char *value,
		const char *limit)
{
	if (*n < max) {
		struct tfit_gate_failure *f = &out[*n];
		snprintf(f->device_id, sizeof(f->device_id), "%s", r->device->id);
		f->what = what;
		snprintf(f->value, sizeof(f->value), "%s", value);
		snprintf(f->limit, sizeof(f->limit), "%s", limit);
	}
	(*n)++;
}

size_t tfit_gates_check(const struct tfit_gates *g, const struct tfit_fit_result *r,
			double latency_ms, struct tfit_gate_failure *out, size_t max)
{
	size_t n = 0;
	char v[48], l[48];
	if (!r->fits)
		add(out, max, &n, r, "fit", "does not fit",
		    r->limiting == TFIT_RES_UNKNOWN ? "memory figures unknown" : tfit_resource_name(r->limiting));
	if (g->has_max_flash_pct && (isnan(r->flash_percent) || r->flash_percent > g->max_flash_pct)) {
		snprintf(v, sizeof(v), "%.1f%%", r->flash_percent);
		snprintf(l, sizeof(l), "%g%%", g->max_flash_pct);
		add(out, max, &n, r, "flash", v, l);
	}
	if (g->has_max_sram_pct && (isnan(r->sram_percent) || r->sram_percent > g->max_sram_pct)) {
		snprintf(v, sizeof(v), "%.1f%%", r->sram_percent);
		snprintf(l, sizeof(l), "%g%%", g->max_sram_pct);
		add(out, max, &n, r, "sram", v, l);
	}
	if (g->has_max_arena && r->sram.arena_bytes > g->max_arena_bytes) {
		tfit_units_format_bytes(r->sram.arena_bytes, v, sizeof(v));
		tfit_units_format_bytes(g->max_arena_bytes, l, sizeof(l));
		add(out, max, &n, r, "arena", v, l);
	}
	if (g->has_max_latency && (isnan(latency_ms) || latency_ms > g->max_latency_ms)) {
		if (isnan(latency_ms))
			snprintf(v, sizeof(v), "unknown");
		else
			tfit_units_format_ms(latency_ms, v, sizeof(v));
		tfit_units_format_ms(g->max_latency_ms, l, sizeof(l));
		add(out, max, &n, r, "latency", v, l);
	}
	if (g->has_min_margin) {
		tfit_units_format_bytes(g->min_margin_bytes, l, sizeof(l));
		if (r->flash_margin_bytes < 0 || (uint64_t)r->flash_margin_bytes < g->min_margin_bytes) {
			if (r->flash_margin_bytes < 0)
				snprintf(v, sizeof(v), "-%s", tfit_units_format_bytes((uint64_t)(-(r->flash_margin_bytes + 1)) + 1, v + 1, sizeof(v) - 1));
			else
				tfit_units_format_bytes((uint64_t)r->flash_margin_bytes, v, sizeof(v));
			add(out, max, &n, r, "flash margin", v, l);
		}
		if (r->sram_margin_bytes < 0 || (uint64_t)r->sram_margin_bytes < g->min_margin_bytes) {
			if (r->sram_margin_bytes < 0) {
				char t[40];
				snprintf(v, sizeof(v), "-%s", tfit_units_format_bytes((uint64_t)(-(r->sram_margin_bytes + 1)) + 1, t, sizeof(t)));
			} else {
				tfit_units_format_bytes((uint64_t)r->sram_margin_bytes, v, sizeof(v));
			}
			add(out, max, &n, r, "sram margin", v, l);
		}
	}
	return n;
}
