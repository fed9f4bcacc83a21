/*
 * cmd_check.c - `tinyfit check MODEL --device ID [--device ID ...]`: does the
 * model fit, with the numbers behind the verdict and what to change when it
 * does not. Exit 0 when it fits every device, 1 when it does not fit or
 * does not run on one (or a threshold fails), 3 when a verdict is unknown
 * and none failed, 2 on bad input or usage.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_gates.h"
#include "cli_model.h"
#include "cli_timing.h"
#include "commands.h"
#include "tinyfit/fit.h"
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

/* The arena plan behind a planned result (cached in fc), NULL otherwise. */
static int arena_plan(struct tfit_fit_ctx *fc, const struct tfit_fit_result *r,
		      const struct tfit_arena_plan **plan, struct tfit_error *err)
{
	const struct tfit_runtime *rt;
	char base[64];
	*plan = NULL;
	if (r->method != TFIT_METHOD_PLANNED || r->memory_unknown)
		return 0;
	/* plans are per runtime, not per version (as tfit_fit_evaluate) */
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(r->runtime, "@"), r->runtime);
	return tfit_fit_ctx_plan(fc, base, &rt, plan, err) == TFIT_OK ? 0 : 1;
}

int cmd_check(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	struct tfit_device_db db;
	struct tfit_fit_ctx fc;
	struct tfit_fit_opts fo;
	struct tfit_fit_result *results = NULL;
	struct tfit_fit_advice *advice = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct tfit_gates gates;
	struct tfit_cli_gate_list glist = { NULL, 0, 0, 0, 0 };
	struct tfit_cli_timing topt;
	struct tfit_cost_db cdb;
	struct tfit_check_timing *timing = NULL;
	const struct tfit_arena_plan **plans = NULL;
	struct tfit_device *clocked = NULL;
	const struct tfit_device *resolved[TFIT_CLI_MAX_DEVICE_IDS];
	double clock_mhz = 0;
	const char **ids = NULL;
	char *ids_copy = NULL;
	size_t n_ids = 0, n_res = 0, i;
	enum tfit_format fmt;
	const char *method, *runtime;
	int rc = TFIT_EXIT_ERROR, both = 0, all_fit = 1, db_open = 0, fc_open = 0, cdb_open = 0;
	enum tfit_verdict worst = TFIT_VERDICT_FITS;

	tfit_error_clear(&err);
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
	if (tfit_cli_get_format(&args, 0x1fu | (1u << TFIT_FMT_SVG), &fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "check", "%s", err.message);
		goto out;
	}
	if (args.n_positional > 1) {
		rc = tfit_cli_usage_error(ctx, "check", "expected one MODEL, got %zu", args.n_positional);
		goto out;
	}
	tfit_fit_opts_init(&fo);
	method = tfit_args_get(&args, "method");
	if (method && strcmp(method, "planned") != 0 && strcmp(method, "textbook") != 0 &&
	    strcmp(method, "both") != 0) {
		rc = tfit_cli_usage_error(ctx, "check", "--method: unknown method '%s' (expected planned, textbook or both)",
					  method);
		goto out;
	}
	if (method && strcmp(method, "textbook") == 0)
		fo.method = TFIT_METHOD_TEXTBOOK;
	both = method && strcmp(method, "both") == 0;
	if (tfit_cli_parse_factor(ctx, "check", "arena-multiplier", tfit_args_get(&args, "arena-multiplier"),
				  1000, &fo.arena_multiplier) ||
	    tfit_cli_parse_factor(ctx, "check", "efficiency", tfit_args_get(&args, "efficiency"), 1, &fo.efficiency) ||
	    parse_size(ctx, "reserve-flash", tfit_args_get(&args, "reserve-flash"), &fo.has_reserve_flash,
		       &fo.reserve_flash_bytes) ||
	    parse_size(ctx, "reserve-sram", tfit_args_get(&args, "reserve-sram"), &fo.has_reserve_sram,
		       &fo.reserve_sram_bytes) ||
	    tfit_cli_parse_placement(ctx, "check", &args, &fo) ||
	    tfit_cli_parse_gates(ctx, "check", &args, &gates) ||
	    tfit_cli_parse_clock(ctx, "check", &args, &clock_mhz) ||
	    tfit_cli_parse_timing(ctx, "check", &args, &topt))
		goto out;
	if ((rc = tfit_cli_device_ids(ctx, "check", &args, &ids_copy, &ids, &n_ids)) != 0)
		goto out;
	rc = TFIT_EXIT_ERROR;
	if (n_ids == 0) {
		rc = tfit_cli_usage_error(ctx, "check", "missing --device ID ('tinyfit devices' lists the boards)");
		goto out;
	}
	if ((rc = tfit_cli_load_model(ctx, "check", &args, args.n_positional ? args.positional[0] : NULL, &m)) != 0)
		goto out;
	rc = TFIT_EXIT_ERROR;
	if (m->format == TFIT_FORMAT_FLAGS && fo.method == TFIT_METHOD_PLANNED && !both) {
		if (method) {
			rc = tfit_cli_usage_error(ctx, "check", "a bare model from --params has no layers to plan: use --method textbook");
			goto out;
		}
		fo.method = TFIT_METHOD_TEXTBOOK; /* the only method a bare model allows */
	}
	if (m->format == TFIT_FORMAT_FLAGS && both) {
		rc = tfit_cli_usage_error(ctx, "check", "a bare model from --params has no layers to plan: use --method textbook");
		goto out;
	}
	if (m->format != TFIT_FORMAT_FLAGS && m->subgraphs[0].n_ops == 0) {
		err.code = TFIT_ERR_INPUT;
		rc = tfit_cli_fail(ctx, (tfit_error_set(&err, TFIT_ERR_INPUT, m->path, NULL,
							"the model has no operators (nothing to plan)"), &err));
		goto out;
	}
	if ((rc = tfit_cli_open_devices(ctx, &args, &db)) != 0)
		goto out;
	db_open = 1;
	rc = TFIT_EXIT_ERROR;
	runtime = tfit_args_get(&args, "runtime");
	if (runtime && (rc = tfit_cli_check_runtime(ctx, "check", runtime)) != 0)
		goto out;
	rc = TFIT_EXIT_ERROR;
	results = calloc(n_ids * 2, sizeof(*results));
	advice = calloc(n_ids * 2, sizeof(*advice));
	timing = calloc(n_ids * 2, sizeof(*timing));
	clocked = calloc(n_ids, sizeof(*clocked));
	plans = calloc(n_ids * 2, sizeof(*plans));
	if (!results || !advice || !timing || !clocked || !plans)
		goto out;
	/* latency and energy estimates (planned method only) */
	if (fo.method == TFIT_METHOD_PLANNED || both) {
		if (tfit_cost_db_load(ctx->data_dir, &cdb, &err) != TFIT_OK) {
			rc = tfit_cli_fail(ctx, &err);
			goto out;
		}
		cdb_open = 1;
	}
	tfit_fit_ctx_init(&fc, m, ctx->data_dir);
	fc.runtime_set = tfit_cli_runtimes(ctx);
	fc.cost_db = cdb_open ? &cdb : NULL; /* the advice's external-memory latency */
	fc_open = 1;
	for (i = 0; i < n_ids; i++) {
		const struct tfit_device *d;
		int k;
		size_t j;
		if (tfit_device_db_find_or_error(&db, ids[i], &d, &err) != TFIT_OK) {
			rc = tfit_cli_fail(ctx, &err);
			goto out;
		}
		/* one board named twice (by id, alias or both) is checked once;
		 * n_ids <= TFIT_CLI_MAX_DEVICE_IDS, so the scan is bounded */
		for (j = 0; j < i && resolved[j] != d; j++)
			;
		resolved[i] = d;
		if (j < i)
			continue;
		d = tfit_cli_clocked(d, clock_mhz, &clocked[i]);
		for (k = 0; k < (both ? 2 : 1); k++) {
			struct tfit_fit_opts o = fo;
			if (both)
				o.method = k == 0 ? TFIT_METHOD_PLANNED : TFIT_METHOD_TEXTBOOK;
			if (tfit_fit_evaluate(&fc, d, runtime, &o, &results[n_res], &err) != TFIT_OK ||
			    tfit_fit_advise(&fc, &results[n_res], &db, runtime, &o, &advice[n_res], &err) != TFIT_OK) {
				rc = tfit_cli_fail(ctx, &err);
				goto out;
			}
			if ((rc = arena_plan(&fc, &results[n_res], &plans[n_res], &err)) != 0) {
				rc = tfit_cli_fail(ctx, &err);
				goto out;
			}
			if ((rc = tfit_cli_fill_timing(ctx, &topt, cdb_open ? &cdb : NULL, m, &results[n_res],
						       &timing[n_res])) != 0)
				goto out;
			rc = TFIT_EXIT_ERROR;
			/* with both methods the verdict is the planned one's; a
			 * missed deadline counts like a missing byte */
			if (!both || k == 0) {
				worst = tfit_verdict_worse(worst, results[n_res].verdict);
				if (timing[n_res].has_realtime && !timing[n_res].rt_pass)
					all_fit = 0;
			}
			n_res++;
		}
	}
	/* the thresholds, before rendering: every format shows them */
	for (i = 0; i < n_res; i++) {
		const struct tfit_fit_result *r = &results[i];
		if (both && r->method == TFIT_METHOD_TEXTBOOK)
			continue;
		if (tfit_cli_gates_add(&glist, &gates, r,
				       r->method == TFIT_METHOD_TEXTBOOK ? r->textbook_latency_ms :
				       timing[i].has_latency ? timing[i].latency_ms : NAN, NULL))
			all_fit = 0;
	}
	if (glist.oom)
		goto out;
	{
		struct tfit_check_report rep;
		memset(&rep, 0, sizeof(rep));
		rep.gates = glist.items;
		rep.n_gates = glist.n;
		rep.pass = all_fit && worst == TFIT_VERDICT_FITS;
		rep.model = m;
		rep.plans = plans;
		rep.results = results;
		rep.advice = advice;
		rep.timing = timing;
		rep.n_results = n_res;
		rep.both_methods = both;
		if (fmt == TFIT_FMT_JSON) {
			tfit_render_check_json(&rep, &out);
		} else if (fmt == TFIT_FMT_SVG) {
			tfit_render_check_svg(&rep, &out);
			if (!out.len && !out.oom) {
				rc = tfit_cli_usage_error(ctx, "check", "--format svg draws the arena of the planned "
							  "method: no result has one (textbook method, or a runtime "
							  "without a memory profile)");
				goto out;
			}
		} else if (fmt == TFIT_FMT_CSV || fmt == TFIT_FMT_HTML) {
			/* the per-device report as one table, the comparison's */
			struct tfit_compare_row *rows = calloc(n_ids, sizeof(*rows));
			struct tfit_compare_report cr;
			struct tfit_render_opts ro;
			const struct tfit_model *mp = m;
			size_t r = 0, q;
			if (!rows)
				goto out;
			memset(&cr, 0, sizeof(cr));
			for (q = 0; q < n_res; q++) {
				struct tfit_compare_row *row;
				if (both && results[q].method == TFIT_METHOD_TEXTBOOK) {
					rows[r - 1].textbook = &results[q];
					continue;
				}
				row = &rows[r++];
				row->model = m;
				row->latency_ms = timing[q].has_latency ? timing[q].latency_ms : NAN;
				row->latency_ms_low = timing[q].has_latency ? timing[q].latency_ms_low : NAN;
				row->latency_ms_high = timing[q].has_latency ? timing[q].latency_ms_high : NAN;
				row->interval_pct = timing[q].has_latency ? timing[q].interval_pct : 0;
				row->energy_mj = timing[q].has_latency ? timing[q].energy_mj : NAN;
				row->power_scope = timing[q].has_latency ? timing[q].power_scope : NULL;
				row->energy_lower_bound_mj = timing[q].has_latency ?
							     timing[q].energy_lower_bound_mj : NAN;
				row->latency_method = timing[q].has_latency ? timing[q].method : NULL;
				if (results[q].method == TFIT_METHOD_PLANNED)
					row->planned = &results[q];
				else
					row->textbook = &results[q];
			}
			cr.models = &mp;
			cr.n_models = 1;
			cr.rows = rows;
			cr.n_rows = r;
			cr.show_planned = fo.method == TFIT_METHOD_PLANNED || both;
			cr.show_textbook = fo.method == TFIT_METHOD_TEXTBOOK || both;
			cr.gates = glist.items;
			cr.n_gates = glist.n;
			cr.gates_given = tfit_gates_any(&gates);
			cr.pass = all_fit && worst == TFIT_VERDICT_FITS;
			cr.check = fmt == TFIT_FMT_HTML ? &rep : NULL;
			tfit_cli_render_opts(ctx, &args, &ro);
			tfit_render_compare(&cr, fmt, &ro, &out);
			free(rows);
		} else if (fmt == TFIT_FMT_MARKDOWN) {
			tfit_render_check_markdown(&rep, &out);
		} else {
			struct tfit_render_opts ro;
			tfit_cli_render_opts(ctx, &args, &ro);
			tfit_render_check_text(&rep, &ro, &out);
		}
	}
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	tfit_cli_gates_print(ctx, &glist);
	if (!all_fit)
		worst = tfit_verdict_worse(worst, TFIT_VERDICT_DOES_NOT_FIT);
	rc = tfit_verdict_exit_code(worst);
out:
	if (fc_open)
		tfit_fit_ctx_release(&fc);
	if (db_open)
		tfit_device_db_release(&db);
	if (cdb_open)
		tfit_cost_db_release(&cdb);
	if (timing)
		for (i = 0; i < n_res; i++)
			tfit_cli_timing_release(&timing[i]);
	tfit_cli_gates_release(&glist);
	free(timing);
	free(clocked);
	free(plans);
	free(results);
	free(advice);
	free(ids_copy);
	free(ids);
	tfit_strbuf_release(&out);
	tfit_model_free(m);
	tfit_args_release(&args);
	return rc;
}
