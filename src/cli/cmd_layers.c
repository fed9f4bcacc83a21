/* cmd_layers.c - `tinyfit layers MODEL`: per-op shapes, params, MACs, bytes. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "tinyfit/model_io.h"
#include "tinyfit/report.h"

static const struct tfit_optdef layers_opts[] = {
	{ "dtype", 0, 1, "DTYPE", "re-evaluate as float32, float16, int8 or int4" },
	{ "skip-unknown", 0, 0, NULL, "Keras: count unknown layer classes as zero-cost (warns)" },
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

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

	tfit_error_clear(&err);
	if (tfit_args_parse(&args, layers_opts, argc, argv, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	if (tfit_args_count(&args, "help")) {
		tfit_cli_print_help(ctx->out, "tinyfit layers MODEL [options]",
				    "Per-op output shape, params, MACs, weight bytes and output bytes of a\n"
				    "model (tinyfit JSON, Keras/TF.js JSON or .tflite), totals at the bottom.",
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
	if (fmt == TFIT_FMT_JSON) {
		tfit_render_layers_json(m, &out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_layers_table(m, &t);
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
	tfit_strbuf_release(&out);
	tfit_model_free(m);
	tfit_args_release(&args);
	return rc;
}
