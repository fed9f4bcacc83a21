/*
 * cmd_optimize.c - `tinyfit optimize MODEL.tflite -o OUT.tflite`: parse the
 * options into a request, call tfit_optimize() (include/tinyfit/optimize.h),
 * write the optimised model atomically, render the before/after report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/fileio.h"
#include "tinyfit/optimize.h"
#include "tinyfit/report.h"
#include "tinyfit/runtime.h"

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
	struct tfit_optimize_request req;
	struct tfit_optimize_result res;
	struct tfit_device_db ddb;
	struct tfit_cost_db cdb;
	struct tfit_runtime *rt = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	const struct tfit_device *dev = NULL;
	const char *model, *dst, *runtime, *base;
	char rt_base[TFIT_DEVICE_RUNTIME_MAX];
	enum tfit_format fmt;
	char *data = NULL;
	size_t len = 0;
	int rc = TFIT_EXIT_ERROR;

	tfit_error_clear(&err);
	tfit_device_db_init(&ddb);
	tfit_cost_db_init(&cdb);
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
	if (args.n_positional != 1) {
		if (args.n_positional)
			rc = tfit_cli_usage_error(ctx, "optimize", "expected one MODEL, got %zu",
						  args.n_positional);
		else
			rc = tfit_cli_usage_error(ctx, "optimize", "missing MODEL (a .tflite file)");
		goto out;
	}
	model = args.positional[0];
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
	if (tfit_file_same(dst, model)) {
		rc = tfit_cli_usage_error(ctx, "optimize", "-o names the input model %s "
					  "(refusing to overwrite it)", model);
		goto out;
	}
	runtime = tfit_args_get(&args, "runtime");
	/* the registry's NAME[@VERSION], as check, compare and layers take it */
	if (runtime && (rc = tfit_cli_check_runtime(ctx, "optimize", runtime)) != 0)
		goto out;
	if (tfit_args_get(&args, "device")) {
		if ((rc = tfit_cli_open_devices(ctx, &args, &ddb)) != 0)
			goto out;
		rc = TFIT_EXIT_ERROR;
		if (tfit_device_db_find_or_error(&ddb, tfit_args_get(&args, "device"), &dev, &err) !=
			    TFIT_OK ||
		    tfit_cost_db_load(ctx->data_dir, &cdb, &err) != TFIT_OK) {
			rc = tfit_cli_fail(ctx, &err);
			goto out;
		}
		if (!runtime)
			runtime = dev->runtime;
	}
	/* the arena rules are the memory profile's, one per runtime (any
	 * "@VERSION" names a cost table, not a memory profile) */
	snprintf(rt_base, sizeof(rt_base), "%.*s", (int)strcspn(runtime ? runtime : "tflm", "@"),
		 runtime ? runtime : "tflm");
	if (tfit_runtime_load(ctx->data_dir, rt_base, &rt, &err) != TFIT_OK) {
		if (err.code == TFIT_ERR_INPUT && !err.file[0])
			rc = tfit_cli_usage_error(ctx, "optimize", "runtime %s has no memory profile "
						  "(data/runtimes/%s.json): optimize plans TFLM's arena "
						  "(expected tflm, tflm-cmsis-nn or tflm-esp-nn)", rt_base,
						  rt_base);
		else
			rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	if (rt->arena_kind != TFIT_ARENA_TFLM) {
		rc = tfit_cli_usage_error(ctx, "optimize", "runtime %s does not read TFLM's "
					  "OfflineMemoryAllocation metadata (expected tflm, "
					  "tflm-cmsis-nn or tflm-esp-nn)", rt->id);
		goto out;
	}
	if (tfit_file_read(model, TFIT_FILE_MAX_BYTES, &data, &len, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	base = strrchr(model, '/') ? strrchr(model, '/') + 1 : model;
	req.model_data = data;
	req.model_len = len;
	req.model_name = base;
	req.rt = rt;
	if (dev) {
		req.dev = dev;
		req.cost = &cdb;
		req.runtime_id = runtime;
		req.data_dir = ctx->data_dir;
	}
	if (tfit_optimize(&req, &res, &err) != TFIT_OK) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", model);
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	if (fmt == TFIT_FORMAT_JSON) {
		tfit_render_optimize_json(&res, &out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_optimize_table(&res, &t);
		const char *when = tfit_args_get(&args, "color");
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
		tfit_render_table(&t, fmt, &ro, &out);
		if (t.oom)
			out.oom = 1;
		tfit_table_release(&t);
	}
	if (out.oom) {
		rc = tfit_cli_fail(ctx, &(struct tfit_error){ .code = TFIT_ERR_NOMEM,
							      .message = "out of memory" });
		goto out;
	}
	/* the model first: a report never describes a file that was not written */
	if ((rc = write_out(ctx, dst, (const char *)res.model_out, res.model_out_len)) != 0)
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
	tfit_optimize_result_release(&res);
	tfit_runtime_free(rt);
	tfit_cost_db_release(&cdb);
	tfit_device_db_release(&ddb);
	tfit_strbuf_release(&out);
	free(data);
	tfit_args_release(&args);
	return rc;
}
