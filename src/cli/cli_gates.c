/* cli_gates.c - parsing and reporting CI thresholds (see cli_gates.h). */
#include "cli_gates.h"

#include <string.h>

#include "tinyfit/units.h"

/* "80%" (a percentage of what the board has) or "200KiB" (an absolute size) */
static int parse_pct_or_size(struct tfit_cli_ctx *ctx, const char *cmd, const char *opt,
			     const char *v, int *has_pct, double *pct, int *has_bytes,
			     uint64_t *bytes)
{
	if (strchr(v, '%')) {
		if (tfit_units_parse_percent(v, pct) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--%s: expected a percentage such as 80%% or a size such as 200KiB, got '%s'", opt, v);
		*has_pct = 1;
		return 0;
	}
	/* a bare number is refused: "80" more likely means 80% than 80 bytes */
	if (!*v || (v[strlen(v) - 1] >= '0' && v[strlen(v) - 1] <= '9') ||
	    tfit_units_parse_bytes(v, bytes) != 0)
		return tfit_cli_usage_error(ctx, cmd, "--%s: expected a percentage such as 80%% or a size such as 200KiB, got '%s'", opt, v);
	*has_bytes = 1;
	return 0;
}

int tfit_cli_parse_gates(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			 struct tfit_gates *g)
{
	const char *v;
	memset(g, 0, sizeof(*g));
	if ((v = tfit_args_get(args, "max-flash")) &&
	    parse_pct_or_size(ctx, cmd, "max-flash", v, &g->has_max_flash_pct, &g->max_flash_pct,
			      &g->has_max_flash_bytes, &g->max_flash_bytes))
		return TFIT_EXIT_ERROR;
	if ((v = tfit_args_get(args, "max-sram")) &&
	    parse_pct_or_size(ctx, cmd, "max-sram", v, &g->has_max_sram_pct, &g->max_sram_pct,
			      &g->has_max_sram_bytes, &g->max_sram_bytes))
		return TFIT_EXIT_ERROR;
	if ((v = tfit_args_get(args, "max-arena"))) {
		if (tfit_units_parse_bytes(v, &g->max_arena_bytes) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--max-arena: expected a size such as 64KiB, got '%s'", v);
		g->has_max_arena = 1;
	}
	if ((v = tfit_args_get(args, "max-latency"))) {
		if (tfit_units_parse_ms(v, &g->max_latency_ms) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--max-latency: expected a time such as 50ms or 1s, got '%s'", v);
		g->has_max_latency = 1;
	}
	if ((v = tfit_args_get(args, "min-margin"))) {
		if (tfit_units_parse_bytes(v, &g->min_margin_bytes) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--min-margin: expected a size such as 8KiB, got '%s'", v);
		g->has_min_margin = 1;
	}
	return 0;
}

void tfit_cli_gates_print(struct tfit_cli_ctx *ctx, const struct tfit_gate_list *list)
{
	size_t i;
	const struct tfit_fit_result *last = NULL;
	for (i = 0; i < list->n && !ctx->quiet; i++) {
		const struct tfit_gate_result *g = &list->items[i];
		char d[160];
		if (g->result != last && !g->result->fits)
			fprintf(ctx->err, "tinyfit: threshold: %s%s%s: does not fit (limiting: %s)\n",
				g->model ? g->model : "", g->model ? " on " : "", g->device_id,
				g->result->limiting == TFIT_RES_UNKNOWN ? "memory figures unknown" :
				tfit_resource_name(g->result->limiting));
		last = g->result;
		if (!g->pass)
			fprintf(ctx->err, "tinyfit: threshold: %s%s%s: %s\n", g->model ? g->model : "",
				g->model ? " on " : "", g->device_id, tfit_gate_describe(g, d, sizeof(d)));
	}
}
