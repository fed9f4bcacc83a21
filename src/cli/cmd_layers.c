/* cmd_layers.c - `tinyfit layers MODEL`: per-op shapes, params, MACs, bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/model_io.h"
#include "tinyfit/report.h"

#define LAYERS_MAX_DEVICE_DIRS 64

/*
 * --device: the per-op latency estimate (cost.h) of m on that board with
 * --runtime (default: the board's runtime). Returns an exit code; on
 * success *est is filled and *dev_id names the board.
 */
static int estimate_latency(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			    const struct tfit_model *m, struct tfit_device_db *ddb,
			    struct tfit_cost_db *cdb, struct tfit_cost_result *est,
			    const char **dev_id)
{
	const char *dirs[LAYERS_MAX_DEVICE_DIRS];
	char builtin[sizeof(ctx->data_dir) + 16];
	size_t n = tfit_cli_device_dirs(ctx, args, dirs, LAYERS_MAX_DEVICE_DIRS), i;
	const struct tfit_device *dev = NULL;
	struct tfit_error err;

	tfit_error_clear(&err);
	builtin[0] = '\0';
	if (ctx->data_dir[0])
		snprintf(builtin, sizeof(builtin), "%s/devices", ctx->data_dir);
	for (i = 0; i < n; i++) {
		const char *label = builtin[0] && strcmp(dirs[i], builtin) == 0 ? "<built-in>"
										  : dirs[i];
		if (tfit_device_db_load_dir_as(ddb, dirs[i], label, &err) != TFIT_OK)
			return tfit_cli_fail(ctx, &err);
	}
	if (tfit_device_db_find_or_error(ddb, tfit_args_get(args, "device"), &dev, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	if (tfit_cost_db_load(ctx->data_dir, cdb, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	if (tfit_cost_estimate(cdb, m, dev, tfit_args_get(args, "runtime"), est, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	*dev_id = dev->id;
	return TFIT_EXIT_OK;
}

static const struct tfit_optdef layers_opts[] = {
	{ "dtype", 0, 1, "DTYPE", "re-evaluate as float32, float16, int8 or int4" },
	{ "skip-unknown", 0, 0, NULL, "Keras: count unknown layer classes as zero-cost (warns)" },
	{ "input-shape", 0, 1, "SHAPE", "Keras: input shape without the batch, e.g. 49x10x1 (fills null sizes)" },
	{ "device", 'd', 1, "ID", "add each layer's estimated latency on this board" },
	{ "runtime", 0, 1, "RUNTIME", "with --device: tflm, tflm-cmsis-nn, tflm-esp-nn, x-cube-ai, ... (default: the board's)" },
	{ "devices", 0, 1, "DIR", "also load board profiles from DIR (repeatable)" },
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

/* "49x10x1": 1 to TFIT_MAX_RANK-1 positive sizes. 0 or -1. */
static int parse_input_shape(const char *s, struct tfit_load_opts *lo)
{
	int32_t n = 0;
	while (*s) {
		char *end;
		long long v;
		if (*s < '0' || *s > '9' || n >= TFIT_MAX_RANK - 1)
			return -1;
		v = strtoll(s, &end, 10);
		if (v <= 0 || v > (1LL << 40) || (*end && *end != 'x'))
			return -1;
		lo->input_shape[n++] = v;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -1;
	}
	if (n == 0)
		return -1;
	lo->input_rank = n;
	lo->has_input_shape = 1;
	return 0;
}

int cmd_layers(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_load_opts lo;
	struct tfit_model *m = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	enum tfit_format fmt;
	int rc = TFIT_EXIT_ERROR;
	const char *dtype;
	struct tfit_device_db ddb;
	struct tfit_cost_db cdb;
	struct tfit_cost_result est;
	const char *dev_id = NULL;
	int have_est = 0;

	tfit_error_clear(&err);
	tfit_device_db_init(&ddb);
	tfit_cost_db_init(&cdb);
	memset(&est, 0, sizeof(est));
	if (tfit_args_parse(&args, layers_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit layers MODEL [options]",
				    "Per-op output shape, params, MACs, weight bytes and output bytes of a\n"
				    "model (tinyfit JSON, Keras/TF.js JSON or .tflite), totals at the bottom.\n"
				    "With --device, each layer's estimated latency and share of the total\n"
				    "(cost tables of share/tinyfit/cost; docs/latency-model.md).",
				    layers_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	if (args.n_positional != 1) {
		rc = tfit_cli_usage_error(ctx, "layers", args.n_positional ? "expected one MODEL, got %zu"
							: "missing MODEL (a .json or .tflite file)%.0zu",
					  args.n_positional);
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FMT_TEXT) | (1u << TFIT_FMT_MARKDOWN) |
				(1u << TFIT_FMT_CSV) | (1u << TFIT_FMT_JSON) | (1u << TFIT_FMT_HTML),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	tfit_load_opts_init(&lo);
	lo.skip_unknown = tfit_args_count(&args, "skip-unknown") > 0;
	if (tfit_args_get(&args, "input-shape") &&
	    parse_input_shape(tfit_args_get(&args, "input-shape"), &lo) != 0) {
		rc = tfit_cli_usage_error(ctx, "layers",
					  "--input-shape: expected sizes without the batch such as 49x10x1 (1 to %d positive integers joined by 'x'), got '%s'",
					  TFIT_MAX_RANK - 1, tfit_args_get(&args, "input-shape"));
		goto out;
	}
	dtype = tfit_args_get(&args, "dtype");
	if (dtype) {
		lo.dtype = tfit_dtype_parse(dtype);
		if (lo.dtype != TFIT_DTYPE_FLOAT32 && lo.dtype != TFIT_DTYPE_FLOAT16 &&
		    lo.dtype != TFIT_DTYPE_INT8 && lo.dtype != TFIT_DTYPE_INT4) {
			rc = tfit_cli_usage_error(ctx, "layers",
						  "--dtype: unknown dtype '%s' (expected float32, float16, int8 or int4)",
						  dtype);
			goto out;
		}
	}
	if (tfit_model_load(args.positional[0], &lo, &m, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	tfit_cli_print_warnings(ctx, args.positional[0], m->warnings, m->n_warnings);
	if (tfit_args_get(&args, "runtime") && !tfit_args_get(&args, "device")) {
		rc = tfit_cli_usage_error(ctx, "layers", "--runtime needs --device");
		goto out;
	}
	if (tfit_args_get(&args, "device")) {
		rc = estimate_latency(ctx, &args, m, &ddb, &cdb, &est, &dev_id);
		if (rc != TFIT_EXIT_OK)
			goto out;
		have_est = 1;
	}
	if (fmt == TFIT_FMT_JSON) {
		tfit_render_layers_json_cost(m, have_est ? &est : NULL, dev_id, &out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_layers_table_cost(m, have_est ? &est : NULL, &t);
		tfit_cli_render_opts(ctx, &args, &ro);
		tfit_render_table(&t, fmt, &ro, &out);
		if (t.oom)
			out.oom = 1;
		tfit_table_release(&t);
	}
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	rc = TFIT_EXIT_OK;
out:
	tfit_cost_result_release(&est);
	tfit_cost_db_release(&cdb);
	tfit_device_db_release(&ddb);
	tfit_strbuf_release(&out);
	tfit_model_free(m);
	tfit_args_release(&args);
	return rc;
}
