/* gates.c - CI thresholds on fit results (see fit.h). */
#include "tinyfit/fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tinyfit/units.h"

int tfit_gates_any(const struct tfit_gates *g)
{
	return g->has_max_flash_pct || g->has_max_sram_pct || g->has_max_flash_bytes ||
	       g->has_max_sram_bytes || g->has_max_arena || g->has_max_latency || g->has_min_margin;
}

const char *tfit_gate_kind_id(enum tfit_gate_kind k)
{
	switch (k) {
	case TFIT_GATE_FLASH:
		return "flash";
	case TFIT_GATE_SRAM:
		return "sram";
	case TFIT_GATE_ARENA:
		return "arena";
	case TFIT_GATE_LATENCY:
		return "latency";
	case TFIT_GATE_FLASH_MARGIN:
		return "flash_margin";
	case TFIT_GATE_SRAM_MARGIN:
		return "sram_margin";
	}
	return "unknown";
}

const char *tfit_gate_unit_id(enum tfit_gate_unit u)
{
	switch (u) {
	case TFIT_GATE_PERCENT:
		return "percent";
	case TFIT_GATE_BYTES:
		return "bytes";
	case TFIT_GATE_MS:
		return "ms";
	}
	return "unknown";
}

static void add(struct tfit_gate_result *out, size_t *n, const struct tfit_fit_result *r,
		enum tfit_gate_kind kind, enum tfit_gate_unit unit, int is_min, double limit, double value)
{
	struct tfit_gate_result *g;
	if (*n >= TFIT_GATES_MAX)
		return;
	g = &out[(*n)++];
	memset(g, 0, sizeof(*g));
	g->result = r;
	snprintf(g->device_id, sizeof(g->device_id), "%s", r->device->id);
	g->kind = kind;
	g->unit = unit;
	g->is_minimum = is_min;
	g->limit = limit;
	g->value = value;
	g->pass = !isnan(value) && (is_min ? value >= limit : value <= limit);
}

size_t tfit_gates_evaluate(const struct tfit_gates *g, const struct tfit_fit_result *r,
			   double latency_ms, struct tfit_gate_result *out)
{
	size_t n = 0;
	/* a size the board does not state leaves its percentage and margin unknown */
	int flash_known = r->flash.available_bytes > 0, sram_known = r->sram.available_bytes > 0;
	/* the runtime's code and RAM outside its data leave the used totals
	 * unknown (fit.h, runtime_outside); a runtime without a memory
	 * profile leaves them and the arena unknown (memory_unknown: the
	 * result's bytes are 0 then, which would pass any limit) */
	int unknown = r->runtime_outside || r->memory_unknown;
	double flash_used = unknown ? NAN : (double)r->flash.used_bytes;
	double sram_used = unknown ? NAN : (double)r->sram.used_bytes;
	double arena = r->memory_unknown ? NAN : (double)r->sram.arena_bytes;
	if (unknown)
		flash_known = sram_known = 0;
	if (g->has_max_flash_pct)
		add(out, &n, r, TFIT_GATE_FLASH, TFIT_GATE_PERCENT, 0, g->max_flash_pct, r->flash_percent);
	if (g->has_max_flash_bytes)
		add(out, &n, r, TFIT_GATE_FLASH, TFIT_GATE_BYTES, 0, (double)g->max_flash_bytes, flash_used);
	if (g->has_max_sram_pct)
		add(out, &n, r, TFIT_GATE_SRAM, TFIT_GATE_PERCENT, 0, g->max_sram_pct, r->sram_percent);
	if (g->has_max_sram_bytes)
		add(out, &n, r, TFIT_GATE_SRAM, TFIT_GATE_BYTES, 0, (double)g->max_sram_bytes, sram_used);
	if (g->has_max_arena)
		add(out, &n, r, TFIT_GATE_ARENA, TFIT_GATE_BYTES, 0, (double)g->max_arena_bytes, arena);
	if (g->has_max_latency)
		add(out, &n, r, TFIT_GATE_LATENCY, TFIT_GATE_MS, 0, g->max_latency_ms, latency_ms);
	if (g->has_min_margin) {
		add(out, &n, r, TFIT_GATE_FLASH_MARGIN, TFIT_GATE_BYTES, 1, (double)g->min_margin_bytes,
		    flash_known ? (double)r->flash_margin_bytes : NAN);
		add(out, &n, r, TFIT_GATE_SRAM_MARGIN, TFIT_GATE_BYTES, 1, (double)g->min_margin_bytes,
		    sram_known ? (double)r->sram_margin_bytes : NAN);
	}
	return n;
}

const char *tfit_gate_format(const struct tfit_gate_result *gr, double v, char *buf, size_t size)
{
	if (isnan(v)) {
		snprintf(buf, size, "unknown");
	} else if (gr->unit == TFIT_GATE_PERCENT) {
		/* the limit as the user wrote it (80%), the value to 0.1% */
		char num[64];
		if (v == gr->limit)
			snprintf(buf, size, "%s%%", tfit_units_format_sig(v, 6, num, sizeof(num)));
		else
			snprintf(buf, size, "%.1f%%", v);
	} else if (gr->unit == TFIT_GATE_MS) {
		tfit_units_format_ms(v, buf, size);
	} else if (v < 0) {
		char t[40];
		snprintf(buf, size, "-%s", tfit_units_format_bytes((uint64_t)(-v), t, sizeof(t)));
	} else {
		tfit_units_format_bytes((uint64_t)v, buf, size);
	}
	return buf;
}

const char *tfit_gate_describe(const struct tfit_gate_result *gr, char *buf, size_t size)
{
	char v[48], l[48], name[32];
	const char *op;
	size_t i;
	snprintf(name, sizeof(name), "%s", tfit_gate_kind_id(gr->kind));
	for (i = 0; name[i]; i++)
		if (name[i] == '_')
			name[i] = ' ';
	if (gr->is_minimum)
		op = gr->pass ? ">=" : "<";
	else
		op = gr->pass ? "<=" : ">";
	if (isnan(gr->value))
		op = gr->is_minimum ? "vs minimum" : "vs maximum";
	snprintf(buf, size, "%s %s %s %s", name, tfit_gate_format(gr, gr->value, v, sizeof(v)), op,
		 tfit_gate_format(gr, gr->limit, l, sizeof(l)));
	return buf;
}
