/* cmd_layers.c - `tinyfit layers MODEL`: per-op shapes, params, MACs, bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "commands.h"
#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/report.h"

/*
 * --device: the per-op latency estimate (cost.h) of m on that board with
 * --runtime (default: the board's runtime). Returns an exit code; on
 * success *est is filled and *dev_id names the board.
 */
static int estimate_latency(struct tfit_cli_ctx *ctx, const struct tfit_args *args,
			    const struct tfit_model *m, struct tfit_device_db *ddb,
			    struct tfit_cost_db *cdb, struct tfit_cost_result *est,
			    const char **dev_id, const char **rt_name)
{
	const struct tfit_device *dev = NULL;
	struct tfit_device clocked;
	struct tfit_error err;
	double clock_mhz = 0;
	int rc;

	tfit_error_clear(&err);
	if ((rc = tfit_cli_parse_clock(ctx, "layers", args, &clock_mhz)) != 0)
		return rc;
	if (tfit_args_get(args, "runtime") &&
	    (rc = tfit_cli_check_runtime(ctx, "layers", tfit_args_get(args, "runtime"))) != 0)
		return rc;
	if ((rc = tfit_cli_open_devices(ctx, args, ddb)) != 0)
		return rc;
	if (tfit_device_db_find_or_error(ddb, tfit_args_get(args, "device"), &dev, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	if (tfit_cost_db_load(ctx->data_dir, cdb, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	dev = tfit_cli_clocked(dev, clock_mhz, &clocked);
	if (tfit_cost_estimate(cdb, m, dev, tfit_args_get(args, "runtime"), est, &err) != TFIT_OK)
		return tfit_cli_fail(ctx, &err);
	*dev_id = dev->id;
	*rt_name = tfit_runtime_name(dev->runtime);
	return TFIT_EXIT_OK;
}

static const struct tfit_optdef layers_opts[] = {
	TFIT_CLI_MODEL_FILE_OPTS,
	{ "device", 'd', 1, "ID", "add each layer's estimated latency on this board" },
	{ "runtime", 0, 1, "RUNTIME", "with --device: NAME[@VERSION], any runtime with cost tables (tflm-cmsis-nn, x-cube-ai@8.1, plumerai, ...; default: the board's)" },
	{ "clock", 0, 1, "FREQ", "with --device: override the board's clock for latency and energy (80MHz, 1.2GHz)" },
	TFIT_CLI_DEVICE_DIR_OPTS,
	TFIT_CLI_COMMON_OPTS,
	TFIT_OPT_END
};

/*
 * The arena plan drawn beside the table: for the runtime of --runtime, else
 * the board's (--device), else TFLM's reference kernels. A runtime without
 * a memory profile or a model TFLM cannot plan gives no plan and *why.
 */
static const struct tfit_arena_plan *layers_plan(struct tfit_fit_ctx *fc, const char *runtime,
						  char *base, size_t base_size, struct tfit_error *why)
{
	const struct tfit_runtime *rt;
	const struct tfit_arena_plan *plan;
	snprintf(base, base_size, "%.*s", (int)strcspn(runtime, "@"), runtime);
	if (tfit_fit_ctx_plan(fc, base, &rt, &plan, why) != TFIT_OK)
		return NULL;
	return plan;
}

int cmd_layers(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	enum tfit_format fmt;
	int rc = TFIT_EXIT_ERROR;
	struct tfit_device_db ddb;
	struct tfit_cost_db cdb;
	struct tfit_cost_result est;
	const char *dev_id = NULL, *rt_name = "tflm";
	int have_est = 0, fc_open = 0;
	struct tfit_fit_ctx fc;
	const struct tfit_arena_plan *plan = NULL;
	struct tfit_error why;
	char rt_base[64];

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
				    "(cost tables of share/tinyfit/cost; docs/latency-model.md). The text report\n"
				    "and --format svg draw the tensor arena over time as TFLM plans it.",
				    layers_opts);
		rc = TFIT_EXIT_OK;
		goto out;
	}
	if (args.n_positional != 1) {
		if (args.n_positional)
			rc = tfit_cli_usage_error(ctx, "layers", "expected one MODEL, got %zu", args.n_positional);
		else
			rc = tfit_cli_usage_error(ctx, "layers", "missing MODEL (a .json or .tflite file)");
		goto out;
	}
	if (tfit_cli_get_format(&args, (1u << TFIT_FMT_TEXT) | (1u << TFIT_FMT_MARKDOWN) |
				(1u << TFIT_FMT_CSV) | (1u << TFIT_FMT_JSON) | (1u << TFIT_FMT_HTML) |
				(1u << TFIT_FMT_SVG),
				&fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "layers", "%s", err.message);
		goto out;
	}
	if ((rc = tfit_cli_load_model(ctx, "layers", &args, args.positional[0], &m)) != 0)
		goto out;
	rc = TFIT_EXIT_ERROR;
	if ((tfit_args_get(&args, "runtime") || tfit_args_get(&args, "clock")) &&
	    !tfit_args_get(&args, "device")) {
		rc = tfit_cli_usage_error(ctx, "layers", "--%s needs --device",
					  tfit_args_get(&args, "runtime") ? "runtime" : "clock");
		goto out;
	}
	if (tfit_args_get(&args, "device")) {
		rc = estimate_latency(ctx, &args, m, &ddb, &cdb, &est, &dev_id, &rt_name);
		if (rc != TFIT_EXIT_OK)
			goto out;
		have_est = 1;
	}
	if (tfit_args_get(&args, "runtime"))
		rt_name = tfit_args_get(&args, "runtime");
	tfit_error_clear(&why);
	if (fmt == TFIT_FMT_TEXT || fmt == TFIT_FMT_HTML || fmt == TFIT_FMT_SVG) {
		tfit_fit_ctx_init(&fc, m, ctx->data_dir);
		fc.runtime_set = tfit_cli_runtimes(ctx);
		fc_open = 1;
		plan = layers_plan(&fc, rt_name, rt_base, sizeof(rt_base), &why);
	}
	if (fmt == TFIT_FMT_JSON) {
		tfit_render_layers_json_cost(m, have_est ? &est : NULL, dev_id, &out);
	} else if (fmt == TFIT_FMT_SVG) {
		if (!plan) {
			if (!why.file[0] && m->path)
				snprintf(why.file, sizeof(why.file), "%s", m->path);
			rc = tfit_cli_fail(ctx, &why);
			goto out;
		}
		tfit_render_arena_svg(m, plan, rt_base, "arena", 1, &out);
	} else {
		struct tfit_table t;
		struct tfit_render_opts ro;
		tfit_layers_table_cost(m, have_est ? &est : NULL, &t);
		tfit_cli_render_opts(ctx, &args, &ro);
		if (fmt == TFIT_FMT_HTML) {
			/* the table, then the arena over time as inline SVG */
			tfit_render_html_begin(t.title, &out);
			tfit_render_table_html_fragment(&t, &out);
			if (plan)
				tfit_render_arena_svg(m, plan, rt_base, "arena", 0, &out);
			tfit_render_layers_latency(m, have_est ? &est : NULL, fmt, &ro, &out);
			tfit_render_html_end(&out);
		} else {
			tfit_render_table(&t, fmt, &ro, &out);
		}
		if (fmt == TFIT_FMT_TEXT) {
			tfit_strbuf_putc(&out, '\n');
			if (plan)
				tfit_render_arena_text(m, plan, "", &ro, &out);
			else
				tfit_strbuf_printf(&out, "arena over time: not drawn (%s)\n", why.message);
			if (have_est) {
				tfit_strbuf_putc(&out, '\n');
				tfit_render_layers_latency(m, &est, fmt, &ro, &out);
			}
		}
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
	if (fc_open)
		tfit_fit_ctx_release(&fc);
	tfit_cost_result_release(&est);
	tfit_cost_db_release(&cdb);
	tfit_device_db_release(&ddb);
	tfit_strbuf_release(&out);
	tfit_model_free(m);
	tfit_args_release(&args);
	return rc;
}
