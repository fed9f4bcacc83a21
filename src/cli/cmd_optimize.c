/*
 * cmd_optimize.c - `tinyfit optimize MODEL.tflite -o OUT.tflite`: parse the
 * options into a request, run tfit_optimize_run() (include/tinyfit/engine.h),
 * render the before/after report, write the optimised model atomically and
 * then the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/engine.h"
#include "tinyfit/fileio.h"
#include "tinyfit/report.h"

static const struct tfit_optdef optimize_opts[] = {
	{ "output", 'o', 1, "OUT.tflite", "write the optimised model to OUT.tflite (atomically; required)" },
	{ "device", 'd', 1, "ID", "plan for this board's runtime and estimate its latency" },
	{ "runtime", 'r', 1, "RUNTIME", "NAME[@VERSION] of a TFLM build whose arena is planned: tflm, tflm-cmsis-nn, tflm-esp-nn (default: the board's, else tflm)" },
	{ "max-mac-overhead", 0, 1, "PCT", "MACs patch-based execution may add, in percent (default 15%; 0: none)" },
	{ "plan-only", 0, 0, NULL, "only change the memory plan (no patch-based rewrite)" },
	{ "report", 0, 1, "FILE", "write the report to FILE (atomically) instead of stdout" },
	TFIT_CLI_DEVICE_DIR_OPTS,
	{ "format", 'f', 1, "FORMAT", "report format: text, markdown, csv, json, html" },
	{ "ascii", 0, 0, NULL, "text: ASCII rules instead of box drawing" },
	{ "color", 0, 1, "WHEN", "colour: auto (a terminal, no NO_COLOR, TERM not dumb), always or never" },
	{ "quiet", 'q', 0, NULL, "no report on stdout (--report still writes it): the exit code says it" },
	{ "help", 'h', 0, NULL, "show this help" },
	TFIT_OPT_END
};

static int write_out(struct tfit_cli_ctx *ctx, const char *path, const char *data, size_t len)
{
	struct tfit_error err;
	tfit_error_clear(&err);
	if (tfit_file_write_report(path, data, len, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	return 0;
}

int tfit_cmd_optimize(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_optimize_run_request req;
	struct tfit_optimize_run_result res;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_render_opts ro;
	const char *dirs[TFIT_CLI_MAX_DEVICE_DIRS];
	const char *dst, *when;
	enum tfit_format fmt;
	int rc = TFIT_EXIT_ERROR;

	tfit_error_clear(&err);
	memset(&res, 0, sizeof(res));
	memset(&req, 0, sizeof(req));
	if (tfit_args_parse(&args, optimize_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "optimize", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit optimize MODEL.tflite -o OUT.tflite [options]",
				    "Write a copy of MODEL that needs a smaller TensorFlow Lite Micro arena:\n"
				    "the high-resolution stage where memory peaks run patch by patch with\n"
				    "stock ops (bit-identical outputs, within a MAC budget), and an optimal\n"
				    "placement of TFLM's own buffers (RESHAPE run in place), as\n"
				    "OfflineMemoryAllocation metadata that stock TFLM honours. Prints the\n"
				    "arena (head, tail, kTensorArenaSize), MACs, latency and ops before and\n"
				    "after (docs/optimize.md).",
				    optimize_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	/* parse: options into the request */
	if (args.n_positional != 1) {
		if (args.n_positional)
			rc = tfit_cli_usage_error(ctx, "optimize", "expected one MODEL, got %zu",
						  args.n_positional);
		else
			rc = tfit_cli_usage_error(ctx, "optimize", "missing MODEL (a .tflite file)");
		goto out;
	}
	req.model_path = args.positional[0];
	if (!(dst = tfit_args_get(&args, "output"))) {
		rc = tfit_cli_usage_error(ctx, "optimize", "missing -o OUT.tflite");
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FORMAT_TEXT) | (1u << TFIT_FORMAT_MARKDOWN) |
				(1u << TFIT_FORMAT_CSV) | (1u << TFIT_FORMAT_JSON) | (1u << TFIT_FORMAT_HTML),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "optimize", "%s", err.message);
		goto out;
	}
	if (tfit_args_get(&args, "max-mac-overhead")) {
		const char *v = tfit_args_get(&args, "max-mac-overhead");
		char *end = NULL;
		double pct = strtod(v, &end);
		if (end == v || (*end && strcmp(end, "%") != 0) || !(pct >= 0 && pct <= 1000)) {
			rc = tfit_cli_usage_error(ctx, "optimize", "--max-mac-overhead: '%s' is not a "
						  "percentage (expected 0 to 1000, e.g. 15%%)", v);
			goto out;
		}
		if (tfit_args_count(&args, "plan-only")) {
			rc = tfit_cli_usage_error(ctx, "optimize", "--max-mac-overhead limits the "
						  "patch-based rewrite that --plan-only turns off "
						  "(give one of them)");
			goto out;
		}
		req.has_max_mac_overhead = 1;
		req.max_mac_overhead = pct / 100.0;
	}
	req.plan_only = tfit_args_count(&args, "plan-only") > 0;
	if (tfit_file_same(dst, req.model_path)) {
		rc = tfit_cli_usage_error(ctx, "optimize", "-o names the input model %s "
					  "(refusing to overwrite it)", req.model_path);
		goto out;
	}
	req.data = tfit_cli_data_source(ctx);
	req.runtime = tfit_args_get(&args, "runtime");
	req.device_id = tfit_args_get(&args, "device");
	if (req.device_id && (rc = tfit_cli_device_source(ctx, &args, dirs, &req.devices)) != 0)
		goto out;

	/* run */
	rc = TFIT_EXIT_ERROR;
	if (tfit_optimize_run(&req, &res, &err) != TFIT_OK) {
		rc = tfit_cli_engine_fail(ctx, "optimize", res.usage_error, &err);
		goto out;
	}

	/* render: colour and the terminal only when the report goes to stdout */
	when = tfit_args_get(&args, "color");
	tfit_render_opts_init(&ro);
	ro.ascii = tfit_args_count(&args, "ascii") > 0;
	if (!tfit_args_get(&args, "report")) {
		ro.color = ctx->color;
		ro.width = ctx->term_width;
		ro.ascii |= ctx->ascii;
	}
	if (when && strcmp(when, "always") == 0)
		ro.color = 1;
	else if (when && strcmp(when, "never") == 0)
		ro.color = 0;
	tfit_render_optimize(&res.report, fmt, &ro, &out);
	if (out.oom) {
		rc = tfit_cli_fail(ctx, &(struct tfit_error){ .code = TFIT_ERR_NOMEM,
							      .message = "out of memory" });
		goto out;
	}

	/* write: the model first, a report never describes a file that was not written */
	if ((rc = write_out(ctx, dst, (const char *)res.report.model_out, res.report.model_out_len)) != 0)
		goto out;
	if (tfit_args_get(&args, "report") && strcmp(tfit_args_get(&args, "report"), "-") != 0)
		rc = write_out(ctx, tfit_args_get(&args, "report"), tfit_strbuf_str(&out), out.len);
	else if (!tfit_args_count(&args, "quiet") && out.len && (fwrite(out.buf, 1, out.len, ctx->out) != out.len ||
			     fflush(ctx->out) != 0))
		rc = tfit_cli_fail(ctx, &(struct tfit_error){ .code = TFIT_ERR_IO,
							      .file = "<stdout>",
							      .message = "write failed" });
	if (rc == 0)
		rc = TFIT_EXIT_OK;
out:
	tfit_optimize_run_result_release(&res);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}
