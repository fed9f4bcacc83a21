/* cli_gates.c - parsing and reporting CI thresholds (see cli_gates.h). */
#include "cli_gates.h"

#include <string.h>

#include "tinyfit/units.h"

int tfit_cli_parse_gates(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			 struct tfit_gates *g)
{
	const char *v;
	memset(g, 0, sizeof(*g));
	if ((v = tfit_args_get(args, "max-flash"))) {
		if (tfit_units_parse_percent(v, &g->max_flash_pct) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--max-flash: expected a percentage such as 80%%, got '%s'", v);
		g->has_max_flash_pct = 1;
	}
	if ((v = tfit_args_get(args, "max-sram"))) {
		if (tfit_units_parse_percent(v, &g->max_sram_pct) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--max-sram: expected a percentage such as 75%%, got '%s'", v);
		g->has_max_sram_pct = 1;
	}
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

size_t tfit_cli_report_gates(struct tfit_cli_ctx *ctx, const struct tfit_gates *g,
			     const struct tfit_fit_result *r, double latency_ms, const char *model)
{
	struct tfit_gate_failure f[8];
	size_t n = tfit_gates_check(g, r, latency_ms, f, 8), i;
	for (i = 0; i < n && i < 8; i++) {
		fprintf(ctx->err, "tinyfit: threshold: %s%s%s: ", model ? model : "", model ? " on " : "",
			f[i].device_id);
		if (!strcmp(f[i].what, "fit"))
			fprintf(ctx->err, "does not fit (limiting: %s)\n", f[i].limit);
		else
			fprintf(ctx->err, "%s %s %s %s\n", f[i].what, f[i].value,
				strstr(f[i].what, "margin") ? "<" : ">", f[i].limit);
	}
	return n;
}
