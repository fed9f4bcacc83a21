/* cli_gates.h - the CI threshold options shared by check and compare. */
#ifndef TINYFIT_CLI_GATES_H
#define TINYFIT_CLI_GATES_H

#include "cli.h"
#include "tinyfit/engine.h"

#define TFIT_CLI_GATE_OPTS \
	{ "max-flash", 0, 1, "PCT|SIZE", "fail (exit 1) when flash use is above PCT or SIZE, e.g. 80% or 200KiB" }, \
	{ "max-sram", 0, 1, "PCT|SIZE", "fail when SRAM use is above PCT or SIZE, e.g. 75% or 96KiB" }, \
	{ "max-arena", 0, 1, "SIZE", "fail when the tensor arena is above SIZE, e.g. 64KiB" }, \
	{ "max-latency", 0, 1, "TIME", "fail when the estimated latency is above TIME, e.g. 50ms" }, \
	{ "min-margin", 0, 1, "SIZE", "fail when less than SIZE of flash or SRAM is left, e.g. 8KiB" }

/* Parse the gate options; 0, or the exit code after a usage error. */
int tfit_cli_parse_gates(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			 struct tfit_gates *g);

/* Print one stderr line per failed gate, and per result in the list that
 * does not fit ("tinyfit: threshold: [MODEL on ]DEVICE: WHAT VALUE > LIMIT"). */
void tfit_cli_gates_print(struct tfit_cli_ctx *ctx, const struct tfit_gate_list *list);

#endif
