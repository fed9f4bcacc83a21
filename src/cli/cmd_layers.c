/* cmd_layers.c - `tinyfit layers MODEL`: per-op shapes, params, MACs, bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/report.h"

static const struct tfit_optdef layers_opts[] = {
	TFIT_CLI_MODEL_FILE_OPTS,
	{ "device", 'd', 1, "ID", "add each layer's estimated latency on this board" },
	{ "runtime", 0, 1, "RUNTIME", "with --device: NAME[@VERSION], any runtime with cost tables (tflm-cmsis-nn, x-cube-ai@8.1, plumerai, ...; default: the board's)" },
	{ "clock", 0, 1, "FREQ", "with --device: override the board's clock for latency and energy (80MHz, 1.2GHz)" },
	TFIT_CLI_DEVICE_DIR_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

int tfit_cmd_layers(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_layers_request req;
	struct tfit_layers_result res;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	enum tfit_format fmt;
	int rc = TFIT_EXIT_ERROR;

	tfit_error_clear(&err);
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	if (tfit_args_parse(&args, layers_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit layers MODEL [options]",
				    "Per-op output shape, params, MACs, weight bytes and output bytes of a\n"
				    "model (tinyfit JSON, Keras/TF.js JSON or .tflite), totals at the bottom.\n"
				    "With --device, each layer's estimated latency and share of the total\n"
				    "(cost tables of share/tinyfit/cost; docs/latency-model.md). The text report\n"
				    "and --format svg draw the tensor arena over time as TFLM plans it.",
				    layers_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	/* parse: options into the request */
	if (args.n_positional != 1) {
		if (args.n_positional)
			rc = tfit_cli_usage_error(ctx, "layers", "expected one MODEL, got %zu", args.n_positional);
		else
			rc = tfit_cli_usage_error(ctx, "layers", "missing MODEL (a .json or .tflite file)");
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FORMAT_TEXT) | (1u << TFIT_FORMAT_MARKDOWN) |
				(1u << TFIT_FORMAT_CSV) | (1u << TFIT_FORMAT_JSON) | (1u << TFIT_FORMAT_HTML) |
				(1u << TFIT_FORMAT_SVG),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	req.data = tfit_cli_data_source(ctx);
	req.device_id = tfit_args_get(&args, "device");
	req.runtime = tfit_args_get(&args, "runtime");
	req.plan = fmt == TFIT_FORMAT_TEXT || fmt == TFIT_FORMAT_HTML || fmt == TFIT_FORMAT_SVG;
	if ((rc = tfit_cli_model_request(ctx, "layers", &args, args.positional[0], &req.model)) != 0)
		goto out;
	if ((req.runtime || tfit_args_get(&args, "clock")) && !req.device_id) {
		rc = tfit_cli_usage_error(ctx, "layers", "--%s needs --device", req.runtime ? "runtime" : "clock");
		goto out;
	}
	if ((rc = tfit_cli_parse_clock(ctx, "layers", &args, &req.clock_mhz)) != 0 ||
	    (req.device_id && (rc = tfit_cli_device_source(ctx, &args, dirs, &req.devices)) != 0))
		goto out;

	/* run */
	rc = TFIT_EXIT_ERROR;
	if (tfit_layers_run(&req, &res, &err) != TFIT_OK) {
		tfit_cli_model_warnings(ctx, &req.model, res.model);
		rc = tfit_cli_engine_fail(ctx, "layers", res.usage_error, &err);
		goto out;
	}
	tfit_cli_model_warnings(ctx, &req.model, res.model);

	/* render */
	if (fmt == TFIT_FORMAT_SVG && !res.report.plan) {
		rc = tfit_cli_fail(ctx, &res.plan_error);
		goto out;
	}
	tfit_cli_render_opts(ctx, &args, &ro);
	tfit_render_layers(&res.report, fmt, &ro, &out);

	/* write */
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	rc = TFIT_EXIT_OK;
out:
	tfit_layers_result_release(&res);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}
