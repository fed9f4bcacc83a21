/* cli_timing.h - latency, energy, real-time and battery options of check. */
#ifndef TINYFIT_CLI_TIMING_H
#define TINYFIT_CLI_TIMING_H

#include "cli.h"
#include "tinyfit/cost.h"
#include "tinyfit/fit.h"
#include "tinyfit/report.h"

#define TFIT_CLI_TIMING_OPTS \
	{ "deadline", 0, 1, "TIME", "real-time check: each inference within TIME (e.g. 100ms)" }, \
	{ "rate", 0, 1, "FREQ", "inferences (or, with --window, samples) per second, e.g. 2Hz, 16kHz" }, \
	{ "window", 0, 1, "TIME", "with --rate: one inference per window of TIME (e.g. 1s)" }, \
	{ "duty", 0, 1, "ON/PERIOD", "awake ON every PERIOD, one inference each (e.g. 5s/30s)" }, \
	{ "battery", 0, 1, "CAP@V", "battery life at --rate or --duty, e.g. 3000mAh@3.7V" }

struct tfit_cli_timing {
	int has_deadline, has_rate, has_window, has_duty, has_battery;
	double deadline_ms, rate_hz, window_ms, on_ms, period_ms, capacity_mah, voltage_v;
};

/* Parse the options; 0, or the exit code after a usage error. */
int tfit_cli_parse_timing(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			  struct tfit_cli_timing *t);

/*
 * Fill out for result r: the latency/energy estimate (planned results; db
 * may be NULL to skip), the real-time check and the battery life when asked.
 * Returns 0, or an exit code after printing a usage error.
 */
int tfit_cli_fill_timing(struct tfit_cli_ctx *ctx, const struct tfit_cli_timing *opt,
			 const struct tfit_cost_db *db, const struct tfit_model *m,
			 const struct tfit_fit_result *r, struct tfit_check_timing *out);

/*
 * The latency and energy estimate of m for a fit result, with the external-
 * memory costs of its placement (tfit_fit_weights_external / _arena_external).
 */
enum tfit_status tfit_cli_cost_for_result(const struct tfit_cost_db *db, const struct tfit_model *m,
					  const struct tfit_fit_result *r, struct tfit_cost_result *cr,
					  struct tfit_error *err);

/* Free what tfit_cli_fill_timing allocated. */
void tfit_cli_timing_release(struct tfit_check_timing *t);

#endif
