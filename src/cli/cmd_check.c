/*
 * cmd_check.c - `tinyfit check MODEL --device ID [--device ID ...]`: does the
 * model fit, with the numbers behind the verdict and what to change when it
 * does not. Exit 0 when it fits every device, 1 when it does not fit or
 * does not run on one (or a threshold fails), 3 when a verdict is unknown
 * and none failed, 2 on bad input or usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_gates.h"
#include "cli_model.h"
#include "cli_timing.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"

static const struct tfit_optdef check_opts[] = {
	{ "device", 'd', 1, "ID", "board id or alias (repeatable, or comma-separated)" },
	{ "runtime", 'r', 1, "RUNTIME", "NAME[@VERSION]: tflm-cmsis-nn, x-cube-ai@8.1, plumerai, ... (default: the board's)" },
	{ "clock", 0, 1, "FREQ", "override the board's clock for latency and energy (80MHz, 1.2GHz)" },
	{ "method", 'm', 1, "METHOD", "planned (default), textbook or both" },
	{ "arena-multiplier", 0, 1, "X", "textbook: required RAM = model size x X (default 2.5)" },
	{ "efficiency", 0, 1, "X", "textbook: latency = FLOPs / (MHz x X) (default 0.5)" },
	{ "reserve-flash", 0, 1, "SIZE", "firmware flash reserve instead of the board's (e.g. 64KiB)" },
	{ "reserve-sram", 0, 1, "SIZE", "firmware SRAM reserve (stack, app) instead of the board's" },
	TFIT_CLI_PLACEMENT_OPTS,
	{ "devices", 0, 1, "IDS", "the same as --device: board ids, comma-separated" },
	TFIT_CLI_DEVICE_DIR_OPTS,
	TFIT_CLI_GATE_OPTS,
	TFIT_CLI_TIMING_OPTS,
	TFIT_CLI_MODEL_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

static int parse_size(struct tfit_cli_ctx *ctx, const char *opt, const char *v, int *has,
		      uint64_t *out)
{
	if (!v)
		return 0;
	if (tfit_units_parse_bytes(v, out) != 0)
		return tfit_cli_usage_error(ctx, "check",
					    "--%s: expected a size such as 2KiB, 64K or 1MiB, got '%s'", opt, v);
	*has = 1;
	return 0;
}

int tfit_cmd_check(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_check_request req;
	struct tfit_check_result res;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	const char **ids = NULL;
	char *ids_copy = NULL;
	enum tfit_format fmt;
	const char *method;
	int rc = TFIT_EXIT_ERROR;

	tfit_error_clear(&err);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	if (tfit_args_parse(&args, check_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "check", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit check MODEL --device ID [--device ID ...] [options]\n"
				    "       tinyfit check --params N [--macs N] --dtype D --device ID --method textbook",
				    "Does the model fit the board? Flash and SRAM as used / available / margin,\n"
				    "the tensor arena as TensorFlow Lite Micro plans it (kTensorArenaSize), where\n"
				    "it peaks, and what to change when it does not fit. Exit 0 when it fits every\n"
				    "device, 1 when it does not fit or does not run, 3 when a verdict is unknown\n"
				    "(the board lacks a sourced fact), 2 on bad input. --format svg draws the\n"
				    "arena over time alone.",
				    check_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	/* parse: options into the request */
	if (tfit_cli_get_format(&args, 0x1fu | (1u << TFIT_FORMAT_SVG), &fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "check", "%s", err.message);
		goto out;
	}
	if (args.n_positional > 1) {
		rc = tfit_cli_usage_error(ctx, "check", "expected one MODEL, got %zu", args.n_positional);
		goto out;
	}
	req.data = tfit_cli_data_source(ctx);
	tfit_fit_opts_init(&req.fit);
	method = tfit_args_get(&args, "method");
	if (method && strcmp(method, "planned") != 0 && strcmp(method, "textbook") != 0 &&
	    strcmp(method, "both") != 0) {
		rc = tfit_cli_usage_error(ctx, "check", "--method: unknown method '%s' (expected planned, textbook or both)",
					  method);
		goto out;
	}
	if (method && strcmp(method, "textbook") == 0)
		req.fit.method = TFIT_METHOD_TEXTBOOK;
	req.both_methods = method && strcmp(method, "both") == 0;
	req.method_given = method != NULL;
	if (tfit_cli_parse_factor(ctx, "check", "arena-multiplier", tfit_args_get(&args, "arena-multiplier"),
				  1000, &req.fit.arena_multiplier) ||
	    tfit_cli_parse_factor(ctx, "check", "efficiency", tfit_args_get(&args, "efficiency"), 1,
				  &req.fit.efficiency) ||
	    parse_size(ctx, "reserve-flash", tfit_args_get(&args, "reserve-flash"), &req.fit.has_reserve_flash,
		       &req.fit.reserve_flash_bytes) ||
	    parse_size(ctx, "reserve-sram", tfit_args_get(&args, "reserve-sram"), &req.fit.has_reserve_sram,
		       &req.fit.reserve_sram_bytes) ||
	    tfit_cli_parse_placement(ctx, "check", &args, &req.fit) ||
	    tfit_cli_parse_gates(ctx, "check", &args, &req.gates) ||
	    tfit_cli_parse_clock(ctx, "check", &args, &req.clock_mhz) ||
	    tfit_cli_parse_timing(ctx, "check", &args, &req.timing))
		goto out;
	if ((rc = tfit_cli_device_ids(ctx, "check", &args, &ids_copy, &ids, &req.n_device_ids)) != 0)
		goto out;
	req.device_ids = ids;
	if (req.n_device_ids == 0) {
		rc = tfit_cli_usage_error(ctx, "check", "missing --device ID ('tinyfit devices' lists the boards)");
		goto out;
	}
	if ((rc = tfit_cli_model_request(ctx, "check", &args, args.n_positional ? args.positional[0] : NULL,
					 &req.model)) != 0 ||
	    (rc = tfit_cli_device_source(ctx, &args, dirs, &req.devices)) != 0)
		goto out;
	req.runtime = tfit_args_get(&args, "runtime");
	/* only HTML and SVG draw a plan's buffers: the others keep its bytes
	 * live per scope alone (issue #17) */
	req.timeline_only = fmt != TFIT_FORMAT_HTML && fmt != TFIT_FORMAT_SVG;

	/* run */
	if (tfit_check_run(&req, &res, &err) != TFIT_OK) {
		tfit_cli_model_warnings(ctx, &req.model, res.model);
		rc = tfit_cli_engine_fail(ctx, "check", res.usage_error, &err);
		goto out;
	}
	tfit_cli_model_warnings(ctx, &req.model, res.model);

	/* render */
	tfit_cli_render_opts(ctx, &args, &ro);
	tfit_render_check(&res.report, fmt, &ro, &out);
	if (fmt == TFIT_FORMAT_SVG && !out.len && !out.oom) {
		rc = tfit_cli_usage_error(ctx, "check", "--format svg draws the arena of the planned "
					  "method: no result has one (textbook method, or a runtime "
					  "without a memory profile)");
		goto out;
	}

	/* write */
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	tfit_cli_gates_print(ctx, &res.gates);
	rc = tfit_verdict_exit_code(res.verdict);
out:
	tfit_check_result_release(&res);
	free(ids_copy);
	free(ids);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}
