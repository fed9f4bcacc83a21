/*
 * cmd_compare.c - `tinyfit compare MODEL [MODEL ...]`: one row per model x
 * device across the database (or --devices), a summary, every output
 * format, and CI thresholds. Exit 0 when every model fits every selected
 * device and every threshold holds, 1 when one does not fit / run or a
 * threshold fails, 3 when a verdict is unknown and none failed, 2 on bad
 * input.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cli_gates.h"
#include "cli_model.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/report.h"

static const struct tfit_optdef compare_opts[] = {
	{ "device", 'd', 1, "ID", "board id or alias (repeatable, or comma-separated; default: every board)" },
	{ "devices", 0, 1, "IDS", "the same as --device" },
	{ "all", 0, 0, NULL, "every board in the database (the default)" },
	{ "runtime", 'r', 1, "RUNTIME", "NAME[@VERSION]: tflm-cmsis-nn, x-cube-ai@8.1, plumerai, ... (default: each board's)" },
	{ "clock", 0, 1, "FREQ", "override the board's clock for latency and energy (80MHz, 1.2GHz)" },
	{ "method", 'm', 1, "METHOD", "planned (default), textbook or both" },
	{ "arena-multiplier", 0, 1, "X", "textbook: required RAM = model size x X (default 2.5)" },
	{ "efficiency", 0, 1, "X", "textbook: latency = FLOPs / (MHz x X) (default 0.5)" },
	{ "sort", 's', 1, "KEY", "latency, price, sram, flash or name (default: database order)" },
	{ "fits-only", 0, 0, NULL, "show only the boards the model fits" },
	{ "label", 'l', 1, "NAME", "name the rows of the next MODEL (repeatable, in MODEL order)" },
	TFIT_CLI_PLACEMENT_OPTS,
	TFIT_CLI_DEVICE_DIR_OPTS,
	TFIT_CLI_GATE_OPTS,
	TFIT_CLI_MODEL_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

/* Print each model's warnings, or why it could not be read, in MODEL
 * order, then why each pair that could not be compared was not. */
static void print_inputs(struct tfit_cli_ctx *ctx, const struct tfit_compare_request *req,
			 const struct tfit_compare_result *res)
{
	size_t i;
	for (i = 0; i < res->n_inputs; i++) {
		if (res->inputs[i].loaded)
			tfit_cli_model_warnings(ctx, &req->models[i], res->models[res->inputs[i].index]);
		else
			tfit_cli_fail(ctx, &res->load_errors[res->inputs[i].index]);
	}
	for (i = 0; i < res->n_pair_errors; i++)
		tfit_cli_fail(ctx, &res->pair_records[i]);
}

int tfit_cmd_compare(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_compare_request req;
	struct tfit_compare_result res;
	struct tfit_model_request *mreqs = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	const char **ids = NULL;
	char *ids_copy = NULL;
	enum tfit_format fmt;
	const char *method, *sort;
	size_t i, n_args;
	int rc = TFIT_EXIT_ERROR;

	tfit_error_clear(&err);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	if (tfit_args_parse(&args, compare_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "compare", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit compare MODEL [MODEL ...] [--devices ID,ID,...|--all] [options]",
				    "One row per model and board: flash and SRAM used / available / %, the TFLM\n"
				    "arena, estimated latency and energy, price and the verdict, then a summary.\n"
				    "Exit 0 when every model fits every selected board and every threshold holds,\n"
				    "1 when one does not fit or run or a threshold fails, 3 when a verdict is\n"
				    "unknown and none failed, 2 on bad input.",
				    compare_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	/* parse: options into the request */
	if (tfit_cli_get_format(&args, 0x1fu, &fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "compare", "%s", err.message);
		goto out;
	}
	req.data = tfit_cli_data_source(ctx);
	tfit_fit_opts_init(&req.fit);
	req.fit.missing_region_is_verdict = 1; /* one board without the region is a row, not an abort */
	req.show_planned = 1;
	method = tfit_args_get(&args, "method");
	req.method_given = method != NULL;
	if (method) {
		if (!strcmp(method, "textbook")) {
			req.show_planned = 0;
			req.show_textbook = 1;
		} else if (!strcmp(method, "both")) {
			req.show_textbook = 1;
		} else if (strcmp(method, "planned") != 0) {
			rc = tfit_cli_usage_error(ctx, "compare", "--method: unknown method '%s' (expected planned, textbook or both)", method);
			goto out;
		}
	}
	sort = tfit_args_get(&args, "sort");
	if (sort) {
		static const char *const names[] = { "", "latency", "price", "sram", "flash", "name" };
		for (i = 1; i < 6; i++)
			if (!strcmp(sort, names[i]))
				req.sort = (enum tfit_compare_sort)i;
		if (req.sort == TFIT_SORT_NONE) {
			rc = tfit_cli_usage_error(ctx, "compare", "--sort: unknown key '%s' (expected latency, price, sram, flash or name)", sort);
			goto out;
		}
	}
	if (tfit_cli_parse_factor(ctx, "compare", "arena-multiplier", tfit_args_get(&args, "arena-multiplier"), 1000, &req.fit.arena_multiplier) ||
	    tfit_cli_parse_factor(ctx, "compare", "efficiency", tfit_args_get(&args, "efficiency"), 1, &req.fit.efficiency) ||
	    tfit_cli_parse_placement(ctx, "compare", &args, &req.fit) ||
	    tfit_cli_parse_gates(ctx, "compare", &args, &req.gates) ||
	    tfit_cli_parse_clock(ctx, "compare", &args, &req.clock_mhz))
		goto out;
	req.runtime = tfit_args_get(&args, "runtime");
	req.fits_only = tfit_args_count(&args, "fits-only") > 0;
	n_args = tfit_args_get(&args, "params") ? 1 : args.n_positional;
	if (n_args == 0) {
		rc = tfit_cli_usage_error(ctx, "compare", "missing MODEL (a .json or .tflite file, or --params N)");
		goto out;
	}
	req.n_labels = tfit_args_all(&args, "label", &req.labels);
	if (req.n_labels > n_args) {
		rc = tfit_cli_usage_error(ctx, "compare", "%zu --label for %zu models (one --label per MODEL, in order)",
					  req.n_labels, n_args);
		goto out;
	}
	if (!(mreqs = calloc(n_args, sizeof(*mreqs))))
		goto out;
	for (i = 0; i < n_args; i++)
		if ((rc = tfit_cli_model_request(ctx, "compare", &args,
						 tfit_args_get(&args, "params") ? NULL : args.positional[i],
						 &mreqs[i])) != 0)
			goto out;
	req.models = mreqs;
	req.n_models = n_args;
	if ((rc = tfit_cli_device_source(ctx, &args, dirs, &req.devices)) != 0 ||
	    (rc = tfit_cli_device_ids(ctx, "compare", &args, &ids_copy, &ids, &req.n_device_ids)) != 0)
		goto out;
	req.device_ids = ids;
	if (req.n_device_ids && tfit_args_count(&args, "all")) {
		rc = tfit_cli_usage_error(ctx, "compare", "--all and --device/--devices ask for different boards: give one of them");
		goto out;
	}

	/* run */
	rc = TFIT_EXIT_ERROR;
	if (tfit_compare_run(&req, &res, &err) != TFIT_OK) {
		print_inputs(ctx, &req, &res);
		rc = tfit_cli_engine_fail(ctx, "compare", res.usage_error, &err);
		goto out;
	}
	print_inputs(ctx, &req, &res);

	/* render */
	tfit_cli_render_opts(ctx, &args, &ro);
	tfit_render_compare(&res.report, fmt, &ro, &out);

	/* write */
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	tfit_cli_gates_print(ctx, &res.gates);
	rc = !res.report.complete ? TFIT_EXIT_ERROR : tfit_verdict_exit_code(res.verdict);
out:
	tfit_compare_result_release(&res);
	free(mreqs);
	free(ids);
	free(ids_copy);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}
