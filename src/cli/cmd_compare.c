/*
 * cmd_compare.c - `tinyfit compare MODEL [MODEL ...]`: one row per model x
 * device across the database (or --devices), a summary, every output
 * format, and CI thresholds. Exit 0 when every model fits every selected
 * device and every threshold holds, 1 when one does not fit / run or a
 * threshold fails, 3 when a verdict is unknown and none failed, 2 on bad
 * input.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli_gates.h"
#include "cli_model.h"
#include "cli_timing.h"
#include "commands.h"
#include "tinyfit/cost.h"
#include "tinyfit/fit.h"
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

enum sort_key { SORT_NONE, SORT_LATENCY, SORT_PRICE, SORT_SRAM, SORT_FLASH, SORT_NAME };

static enum sort_key g_sort; /* qsort has no context argument in C11 */

static double nan_last(double v)
{
	return isnan(v) ? INFINITY : v;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct tfit_compare_row *a = pa, *b = pb;
	const struct tfit_fit_result *ra = a->planned ? a->planned : a->textbook;
	const struct tfit_fit_result *rb = b->planned ? b->planned : b->textbook;
	double x = 0, y = 0;
	int c;
	switch (g_sort) {
	case SORT_LATENCY:
		x = nan_last(a->planned ? a->latency_ms : ra->textbook_latency_ms);
		y = nan_last(b->planned ? b->latency_ms : rb->textbook_latency_ms);
		break;
	case SORT_PRICE:
		x = ra->device->price_usd > 0 ? ra->device->price_usd : INFINITY;
		y = rb->device->price_usd > 0 ? rb->device->price_usd : INFINITY;
		break;
	case SORT_SRAM:
		x = nan_last(ra->sram_percent);
		y = nan_last(rb->sram_percent);
		break;
	case SORT_FLASH:
		x = nan_last(ra->flash_percent);
		y = nan_last(rb->flash_percent);
		break;
	default:
		break;
	}
	if (x < y)
		return -1;
	if (x > y)
		return 1;
	c = strcmp(ra->device->id, rb->device->id);
	if (c)
		return c;
	return strcmp(a->label ? a->label : a->model->name ? a->model->name : "",
		      b->label ? b->label : b->model->name ? b->model->name : "");
}

/* An error about one of several models (its plan, a runtime rule) names
 * that model's file: tfit_cli_fail can only name the file of a command
 * that reads one model. */
static int fail_model(struct tfit_cli_ctx *ctx, const struct tfit_model *m,
		      struct tfit_error *err)
{
	if (!err->file[0] && err->code != TFIT_ERR_USAGE && m->path)
		snprintf(err->file, sizeof(err->file), "%s", m->path);
	return tfit_cli_fail(ctx, err);
}

int cmd_compare(struct tfit_cli_ctx *ctx, int argc, char **argv)
{
	struct tfit_args args;
	struct tfit_error err;
	struct tfit_device_db db;
	struct tfit_fit_opts fo;
	struct tfit_gates gates;
	struct tfit_cli_gate_list glist = { NULL, 0, 0, 0, 0 };
	struct tfit_model **models = NULL;
	struct tfit_fit_ctx *fcs = NULL;
	struct tfit_fit_result *planned = NULL, *textbook = NULL;
	struct tfit_compare_row *rows = NULL, *hidden = NULL;
	const struct tfit_device **devs = NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	enum tfit_format fmt;
	const char *method, *runtime, *sort;
	size_t n_models = 0, n_devs = 0, n_rows = 0, n_hidden = 0, i, j, failures = 0;
	size_t n_args = 0, n_labels = 0, n_errors = 0;
	const char *const *label_args = NULL;
	const char **labels = NULL;
	struct tfit_compare_error *errors = NULL;
	char (*messages)[512] = NULL;
	int rc = TFIT_EXIT_ERROR, db_open = 0, show_planned = 1, show_textbook = 0;
	enum tfit_verdict worst = TFIT_VERDICT_FITS;
	char *ids_copy = NULL;
	struct tfit_cost_db cdb;
	struct tfit_device *clocked = NULL;
	double clock_mhz = 0;
	int cdb_open = 0;
	char (*methods)[768] = NULL;

	tfit_error_clear(&err);
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
	if (tfit_cli_get_format(&args, 0x1fu, &fmt, &err) != TFIT_OK) {
		rc = tfit_cli_usage_error(ctx, "compare", "%s", err.message);
		goto out;
	}
	tfit_fit_opts_init(&fo);
	fo.missing_region_is_verdict = 1; /* one board without the region is a row, not an abort */
	method = tfit_args_get(&args, "method");
	if (method) {
		if (!strcmp(method, "textbook")) {
			show_planned = 0;
			show_textbook = 1;
		} else if (!strcmp(method, "both")) {
			show_textbook = 1;
		} else if (strcmp(method, "planned") != 0) {
			rc = tfit_cli_usage_error(ctx, "compare", "--method: unknown method '%s' (expected planned, textbook or both)", method);
			goto out;
		}
	}
	sort = tfit_args_get(&args, "sort");
	g_sort = SORT_NONE;
	if (sort) {
		static const char *const names[] = { "", "latency", "price", "sram", "flash", "name" };
		for (i = 1; i < 6; i++)
			if (!strcmp(sort, names[i]))
				g_sort = (enum sort_key)i;
		if (g_sort == SORT_NONE) {
			rc = tfit_cli_usage_error(ctx, "compare", "--sort: unknown key '%s' (expected latency, price, sram, flash or name)", sort);
			goto out;
		}
	}
	if (tfit_cli_parse_factor(ctx, "compare", "arena-multiplier", tfit_args_get(&args, "arena-multiplier"), 1000, &fo.arena_multiplier) ||
	    tfit_cli_parse_factor(ctx, "compare", "efficiency", tfit_args_get(&args, "efficiency"), 1, &fo.efficiency) ||
	    tfit_cli_parse_placement(ctx, "compare", &args, &fo) ||
	    tfit_cli_parse_gates(ctx, "compare", &args, &gates) ||
	    tfit_cli_parse_clock(ctx, "compare", &args, &clock_mhz)) {
		rc = TFIT_EXIT_ERROR;
		goto out;
	}
	runtime = tfit_args_get(&args, "runtime");
	if (runtime && (rc = tfit_cli_check_runtime(ctx, "compare", runtime)) != 0)
		goto out;
	rc = TFIT_EXIT_ERROR;

	/* models: one that cannot be read gets an error row, the others are
	 * compared, and the exit code is 2 at the end */
	n_args = tfit_args_get(&args, "params") ? 1 : args.n_positional;
	if (n_args == 0) {
		rc = tfit_cli_usage_error(ctx, "compare", "missing MODEL (a .json or .tflite file, or --params N)");
		goto out;
	}
	n_labels = tfit_args_all(&args, "label", &label_args);
	if (n_labels > n_args) {
		rc = tfit_cli_usage_error(ctx, "compare", "%zu --label for %zu models (one --label per MODEL, in order)",
					  n_labels, n_args);
		goto out;
	}
	models = calloc(n_args, sizeof(*models));
	labels = calloc(n_args, sizeof(*labels));
	errors = calloc(n_args, sizeof(*errors));
	messages = calloc(n_args, sizeof(*messages));
	if (!models || !labels || !errors || !messages)
		goto out;
	for (i = 0; i < n_args; i++) {
		const char *path = tfit_args_get(&args, "params") ? NULL : args.positional[i];
		tfit_error_clear(&ctx->last_error);
		if ((rc = tfit_cli_load_model(ctx, "compare", &args, path, &models[n_models])) != 0) {
			if (!path || !ctx->last_error.file[0])
				goto out; /* a usage error, not a file tinyfit could not read */
			tfit_error_format(&ctx->last_error, messages[n_errors], sizeof(messages[n_errors]));
			errors[n_errors].file = path;
			errors[n_errors].label = i < n_labels ? label_args[i] : NULL;
			errors[n_errors].message = messages[n_errors];
			n_errors++;
			continue;
		}
		labels[n_models] = i < n_labels ? label_args[i] : NULL;
		if (models[n_models]->format == TFIT_FORMAT_FLAGS && show_planned) {
			if (method) {
				rc = tfit_cli_usage_error(ctx, "compare", "a bare model from --params has no layers to plan: use --method textbook");
				goto out;
			}
			show_planned = 0;
			show_textbook = 1;
		}
		n_models++;
	}
	/* without --label: the model's name, or its file when two names collide */
	for (i = 0; i < n_models; i++) {
		const char *name = models[i]->name ? models[i]->name : "model";
		if (labels[i])
			continue;
		labels[i] = name;
		for (j = 0; j < n_models; j++)
			if (j != i && models[j]->name && !strcmp(models[j]->name, name) && models[i]->path)
				labels[i] = models[i]->path;
	}
	rc = TFIT_EXIT_ERROR;

	/* devices: --devices ID,ID (values that are not directories), else all */
	if ((rc = tfit_cli_open_devices(ctx, &args, &db)) != 0)
		goto out;
	db_open = 1;
	rc = TFIT_EXIT_ERROR;
	devs = calloc(db.n_devices ? db.n_devices : 1, sizeof(*devs));
	if (!devs)
		goto out;
	{
		const char **ids = NULL;
		size_t n_ids = 0;
		int r = tfit_cli_device_ids(ctx, "compare", &args, &ids_copy, &ids, &n_ids);
		if (r == 0 && n_ids && tfit_args_count(&args, "all"))
			r = tfit_cli_usage_error(ctx, "compare", "--all and --device/--devices ask for different boards: give one of them");
		for (i = 0; r == 0 && i < n_ids; i++) {
			const struct tfit_device *d;
			if (tfit_device_db_find_or_error(&db, ids[i], &d, &err) != TFIT_OK) {
				r = tfit_cli_fail(ctx, &err);
				break;
			}
			for (j = 0; j < n_devs && devs[j] != d; j++)
				;
			if (j == n_devs && n_devs < db.n_devices)
				devs[n_devs++] = d;
		}
		free(ids);
		if (r != 0) {
			rc = r;
			goto out;
		}
		if (n_ids == 0)
			for (i = 0; i < db.n_devices; i++)
				devs[n_devs++] = &db.devices[i];
	}
	if (n_devs == 0) {
		rc = tfit_cli_usage_error(ctx, "compare", "no boards selected");
		goto out;
	}
	if (clock_mhz > 0) {
		clocked = calloc(n_devs, sizeof(*clocked));
		if (!clocked)
			goto out;
		for (j = 0; j < n_devs; j++)
			devs[j] = tfit_cli_clocked(devs[j], clock_mhz, &clocked[j]);
	}

	/* evaluate */
	fcs = calloc(n_models + 1, sizeof(*fcs));
	planned = calloc(n_models * n_devs + 1, sizeof(*planned));
	textbook = calloc(n_models * n_devs + 1, sizeof(*textbook));
	rows = calloc(n_models * n_devs + 1, sizeof(*rows));
	hidden = calloc(n_models * n_devs + 1, sizeof(*hidden));
	methods = calloc(n_models * n_devs + 1, sizeof(*methods));
	if (!fcs || !planned || !textbook || !rows || !hidden || !methods)
		goto out;
	if (show_planned) {
		if (tfit_cost_db_load(ctx->data_dir, &cdb, &err) != TFIT_OK) {
			rc = tfit_cli_fail(ctx, &err);
			goto out;
		}
		cdb_open = 1;
	}
	for (i = 0; i < n_models; i++) {
		tfit_fit_ctx_init(&fcs[i], models[i], ctx->data_dir);
		fcs[i].runtime_set = tfit_cli_runtimes(ctx);
	}
	for (i = 0; i < n_models; i++) {
		for (j = 0; j < n_devs; j++) {
			size_t k = i * n_devs + j;
			struct tfit_compare_row *row = &rows[n_rows];
			memset(row, 0, sizeof(*row));
			row->model = models[i];
			row->label = labels[i];
			row->latency_ms = NAN;
			row->latency_ms_low = NAN;
			row->latency_ms_high = NAN;
			row->energy_mj = NAN;
			row->energy_lower_bound_mj = NAN;
			if (show_planned) {
				fo.method = TFIT_METHOD_PLANNED;
				if (tfit_fit_evaluate(&fcs[i], devs[j], runtime, &fo, &planned[k], &err) != TFIT_OK) {
					rc = fail_model(ctx, models[i], &err);
					goto out;
				}
				row->planned = &planned[k];
				{
					/* latency and energy: estimates; none for a board
					 * without a clock or a cost table (shown as "-") */
					struct tfit_cost_result cr;
					struct tfit_error cerr;
					memset(&cr, 0, sizeof(cr));
					tfit_error_clear(&cerr);
					if (tfit_cli_cost_for_result(&cdb, models[i], &planned[k], &cr, &cerr) == TFIT_OK) {
						row->latency_ms = cr.latency_ms;
						row->latency_ms_low = cr.latency_ms_low;
						row->latency_ms_high = cr.latency_ms_high;
						row->interval_pct = cr.interval_pct;
						row->energy_mj = cr.energy_mj;
						row->power_scope = cr.power_scope;
						row->energy_lower_bound_mj = cr.energy_lower_bound_mj;
						snprintf(methods[k], sizeof(methods[k]), "%s", cr.method);
						row->latency_method = methods[k];
					}
					tfit_cost_result_release(&cr);
				}
			}
			if (show_textbook) {
				fo.method = TFIT_METHOD_TEXTBOOK;
				if (tfit_fit_evaluate(&fcs[i], devs[j], runtime, &fo, &textbook[k], &err) != TFIT_OK) {
					rc = fail_model(ctx, models[i], &err);
					goto out;
				}
				row->textbook = &textbook[k];
			}
			if (tfit_args_count(&args, "fits-only") &&
			    !(row->planned ? row->planned : row->textbook)->fits) {
				/* left out of the table, not out of the report */
				hidden[n_hidden++] = *row;
				continue;
			}
			n_rows++;
		}
	}
	if (g_sort != SORT_NONE)
		qsort(rows, n_rows, sizeof(*rows), cmp_rows);

	/* the verdict: every selected pair must fit and pass every threshold */
	for (i = 0; i < n_models; i++) {
		for (j = 0; j < n_devs; j++) {
			size_t k = i * n_devs + j;
			const struct tfit_fit_result *r = show_planned ? &planned[k] : &textbook[k];
			double lat = show_planned ? NAN : r->textbook_latency_ms;
			size_t q;
			for (q = 0; show_planned && q < n_rows; q++)
				if (rows[q].planned == r)
					lat = rows[q].latency_ms;
			for (q = 0; show_planned && q < n_hidden; q++)
				if (hidden[q].planned == r)
					lat = hidden[q].latency_ms; /* --fits-only's rows too */
			worst = tfit_verdict_worse(worst, r->verdict);
			failures += tfit_cli_gates_add(&glist, &gates, r, lat,
						       n_models + n_errors > 1 ? labels[i] : NULL);
		}
	}
	if (glist.oom)
		goto out;
	{
		struct tfit_compare_report rep;
		struct tfit_render_opts ro;
		memset(&rep, 0, sizeof(rep));
		rep.gates = glist.items;
		rep.n_gates = glist.n;
		rep.gates_given = tfit_gates_any(&gates);
		rep.pass = failures == 0 && n_errors == 0 && worst == TFIT_VERDICT_FITS;
		rep.labels = labels;
		rep.errors = errors;
		rep.n_errors = n_errors;
		rep.models = (const struct tfit_model *const *)models;
		rep.n_models = n_models;
		rep.rows = rows;
		rep.n_rows = n_rows;
		rep.hidden = hidden;
		rep.n_hidden = n_hidden;
		rep.show_planned = show_planned;
		rep.show_textbook = show_textbook;
		tfit_cli_render_opts(ctx, &args, &ro);
		tfit_render_compare(&rep, fmt, &ro, &out);
	}
	if (tfit_cli_emit(ctx, &args, &out, &err) != TFIT_OK) {
		rc = tfit_cli_fail(ctx, &err);
		goto out;
	}
	tfit_cli_gates_print(ctx, &glist);
	if (failures)
		worst = tfit_verdict_worse(worst, TFIT_VERDICT_DOES_NOT_FIT);
	rc = n_errors ? TFIT_EXIT_ERROR : tfit_verdict_exit_code(worst);
out:
	if (fcs)
		for (i = 0; i < n_models; i++)
			tfit_fit_ctx_release(&fcs[i]);
	if (models)
		for (i = 0; i < n_models; i++)
			tfit_model_free(models[i]);
	if (db_open)
		tfit_device_db_release(&db);
	if (cdb_open)
		tfit_cost_db_release(&cdb);
	tfit_cli_gates_release(&glist);
	free(methods);
	free(clocked);
	free(models);
	free(labels);
	free(errors);
	free(messages);
	free(fcs);
	free(planned);
	free(textbook);
	free(rows);
	free(hidden);
	free(devs);
	free(ids_copy);
	tfit_strbuf_release(&out);
	tfit_args_release(&args);
	return rc;
}
