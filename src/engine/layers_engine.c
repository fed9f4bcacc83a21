/*
 * layers_engine.c - tfit_layers_run: `tinyfit layers` as one library call.
 * Load the model, estimate each layer's latency on a board (--device), and
 * plan the arena for the picture beside the table. See engine.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/engine.h"

#include <stdio.h>
#include <string.h>

#include "tinyfit/runtime.h"

static enum tfit_status usage(struct tfit_layers_result *res, struct tfit_error *err, const char *opt)
{
	res->usage_error = 1;
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "--%s needs --device", opt);
}

/* --device: the per-op latency estimate (cost.h) on that board with the
 * request's runtime (default: the board's); *rt_name: the runtime used. */
static enum tfit_status estimate(const struct tfit_layers_request *req, struct tfit_layers_result *res,
				 const char **rt_name, struct tfit_error *err)
{
	const struct tfit_device_db *db;
	const struct tfit_device *dev;
	enum tfit_status st;
	if (req->runtime &&
	    (st = tfit_engine_check_runtime(&req->data, req->runtime, &res->usage_error, err)) != TFIT_OK)
		return st;
	if ((st = tfit_engine_boards(&req->devices, &res->db, &res->db_open, &db, err)) != TFIT_OK)
		return st;
	if ((st = tfit_device_db_find_or_error(db, req->device_id, &dev, err)) != TFIT_OK)
		return st;
	st = tfit_engine_cost_db(&req->data, &res->cdb, err);
	res->cdb_open = 1;
	if (st != TFIT_OK)
		return st;
	dev = tfit_engine_clocked(dev, req->clock_mhz, &res->clocked);
	if ((st = tfit_cost_estimate(&res->cdb, res->model, dev, req->runtime, &res->cost, err)) != TFIT_OK)
		return st;
	res->has_cost = 1;
	res->report.cost = &res->cost;
	res->report.device_id = dev->id;
	*rt_name = dev->runtime;
	return TFIT_OK;
}

enum tfit_status tfit_layers_run(const struct tfit_layers_request *req, struct tfit_layers_result *res,
				 struct tfit_error *err)
{
	const char *rt_name = "tflm"; /* TFLM's reference kernels without a board */
	const struct tfit_runtime *rt;
	const struct tfit_arena_plan *plan;
	enum tfit_status st;

	memset(res, 0, sizeof(*res));
	tfit_cost_db_init(&res->cdb);
	tfit_error_clear(&res->plan_error);
	if ((st = tfit_engine_load_model(&req->model, &res->model, err)) != TFIT_OK)
		return st;
	res->own_model = !req->model.given;
	res->report.model = res->model;
	res->report.plan_missing = "";
	if (!req->device_id && req->runtime)
		return usage(res, err, "runtime");
	if (!req->device_id && req->clock_mhz > 0)
		return usage(res, err, "clock");
	if (req->device_id && (st = estimate(req, res, &rt_name, err)) != TFIT_OK)
		return st;
	if (req->runtime)
		rt_name = req->runtime;
	if (!req->plan)
		return TFIT_OK;
	/* the arena plan: per runtime, not per version (as tfit_fit_evaluate);
	 * a runtime without a memory profile or a model TFLM cannot plan gives
	 * no plan and says why */
	tfit_fit_ctx_init(&res->fc, res->model, req->data.data_dir);
	res->fc.runtime_set = req->data.runtimes;
	res->fc_open = 1;
	snprintf(res->runtime_base, sizeof(res->runtime_base), "%.*s", (int)strcspn(rt_name, "@"), rt_name);
	res->report.runtime = res->runtime_base;
	if (tfit_fit_ctx_plan(&res->fc, res->runtime_base, &rt, &plan, &res->plan_error) == TFIT_OK) {
		res->report.plan = plan;
		/* the chart in the runtime's words (its profile lives in fc) */
		res->words = (struct tfit_arena_words){ rt->terms.arena, rt->terms.arena_head,
							rt->terms.title, rt->terms.arena_plan };
		res->report.words = &res->words;
	} else {
		if (!res->plan_error.file[0] && res->model->path)
			snprintf(res->plan_error.file, sizeof(res->plan_error.file), "%s", res->model->path);
		res->report.plan_missing = res->plan_error.message;
	}
	return TFIT_OK;
}

void tfit_layers_result_release(struct tfit_layers_result *res)
{
	if (res->fc_open)
		tfit_fit_ctx_release(&res->fc);
	tfit_cost_result_release(&res->cost); /* also a partial one */
	if (res->cdb_open)
		tfit_cost_db_release(&res->cdb);
	if (res->db_open)
		tfit_device_db_release(&res->db);
	if (res->own_model)
		tfit_model_free(res->model);
	memset(res, 0, sizeof(*res));
}
