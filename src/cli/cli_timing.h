/* cli_timing.h - the real-time and battery options of check (parsed into the
 * engine's struct tfit_timing_request; the engine answers them). */
#ifndef TINYFIT_CLI_TIMING_H
#define TINYFIT_CLI_TIMING_H

#include "cli.h"
#include "tinyfit/engine.h"

#define TFIT_CLI_TIMING_OPTS \
	{ "deadline", 0, 1, "TIME", "real-time check: each inference within TIME (e.g. 100ms)" }, \
	{ "rate", 0, 1, "FREQ", "inferences (or, with --window, samples) per second, e.g. 2Hz, 16kHz" }, \
	{ "window", 0, 1, "TIME", "with --rate: one inference per window of TIME (e.g. 1s)" }, \
	{ "duty", 0, 1, "ON/PERIOD", "awake ON every PERIOD, one inference each (e.g. 5s/30s)" }, \
	{ "battery", 0, 1, "CAP@V", "battery life at --rate or --duty, e.g. 3000mAh@3.7V" }

/* Parse the options into t; 0, or the exit code after a usage error. */
int tfit_cli_parse_timing(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			  struct tfit_timing_request *t);

#endif
