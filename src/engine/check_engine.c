/*
 * check_engine.c - tfit_check_run: `tinyfit check` as one library call.
 * Load the model, open the boards, and per board (and method) fit, advise,
 * plan, estimate latency and energy, answer the real-time and battery
 * questions; then the thresholds and the run's verdict. See engine.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text_filter.h"

static enum tfit_status usage(struct tfit_check_result *res, struct tfit_error *err, const char *msg)
{
	res->usage_error = 1;
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "%s", msg);
}

/* The arena plan behind a planned result (cached in fc), NULL otherwise. */
static enum tfit_status arena_plan(struct tfit_fit_ctx *fc, const struct tfit_fit_result *r,
				   const struct tfit_arena_plan **plan, struct tfit_error *err)
{
	const struct tfit_runtime *rt;
	char base[64];
	*plan = NULL;
	if (r->method != TFIT_METHOD_PLANNED || r->memory_unknown)
		return TFIT_OK;
	/* plans are per runtime, not per version (as tfit_fit_evaluate) */
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(r->runtime, "@"), r->runtime);
	return tfit_fit_ctx_plan(fc, base, &rt, plan, err);
}

/* One board (and method): fit, advice, plan; the timing comes after every
 * board's (check_timing). */
static enum tfit_status check_one(const struct tfit_check_request *req, struct tfit_check_result *res,
				  const struct tfit_device *d, const struct tfit_fit_opts *o,
				  struct tfit_error *err)
{
	size_t k = res->n_results;
	enum tfit_status st;
	if ((st = tfit_fit_evaluate(&res->fc, d, req->runtime, o, &res->results[k], err)) != TFIT_OK ||
	    (st = tfit_fit_advise(&res->fc, &res->results[k], res->db_used, req->runtime, o,
				  &res->advice[k], err)) != TFIT_OK ||
	    (st = arena_plan(&res->fc, &res->results[k], &res->plans[k], err)) != TFIT_OK)
		return st;
	res->n_results++;
	return TFIT_OK;
}

/* Every result's latency, energy, real-time and battery figures: after
 * the plans became timelines (keep_timelines), so the cost estimate is not
 * made beside a plan of the model (issue #17). */
static enum tfit_status check_timing(const struct tfit_check_request *req, struct tfit_check_result *res,
				     const struct tfit_cost_db *cdb, struct tfit_error *err)
{
	size_t k;
	enum tfit_status st;
	for (k = 0; k < res->n_results; k++)
		if ((st = tfit_engine_fill_timing(&req->timing, cdb, res->model, &res->results[k],
						  &res->timing[k], err)) != TFIT_OK) {
			res->usage_error = 1;
			return st;
		}
	return TFIT_OK;
}

/* With request.timeline_only, each planned result's plan becomes its
 * timeline (the bytes live per scope, what the text report draws) and the
 * plan is released: the report and the timing no longer hold 40 bytes a
 * buffer (issue #17: 1.6 MB on the 20,000-way fan-in, at its render). One
 * timeline per plan: results whose plans are one share it. */
static enum tfit_status keep_timelines(struct tfit_check_result *res, struct tfit_error *err)
{
	size_t i, j;
	enum tfit_status st;
	res->timelines = calloc(res->n_results + 1, sizeof(*res->timelines));
	res->timeline_store = calloc(res->n_results + 1, sizeof(*res->timeline_store));
	if (!res->timelines || !res->timeline_store)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	for (i = 0; i < res->n_results; i++) {
		if (!res->plans[i])
			continue;
		for (j = 0; j < i && res->plans[j] != res->plans[i]; j++)
			;
		if (j < i) {
			res->timelines[i] = res->timelines[j];
			continue;
		}
		if ((st = tfit_arena_timeline_make(res->plans[i], &res->timeline_store[i], err)) != TFIT_OK)
			return st;
		res->timelines[i] = &res->timeline_store[i];
	}
	for (i = 0; i < res->n_results; i++)
		res->plans[i] = NULL;
	tfit_fit_ctx_drop_plans(&res->fc, NULL, 0);
	return TFIT_OK;
}

/* The thresholds on every result (the planned one's with both methods),
 * and the run's verdict: a missed deadline or a failed gate counts like a
 * missing byte. */
static enum tfit_status judge(const struct tfit_check_request *req, struct tfit_check_result *res,
			      struct tfit_error *err)
{
	size_t i, failed;
	int all_pass = 1;
	enum tfit_verdict worst = TFIT_VERDICT_FITS;
	for (i = 0; i < res->n_results; i++) {
		const struct tfit_fit_result *r = &res->results[i];
		const struct tfit_check_timing *t = &res->timing[i];
		enum tfit_status st;
		if (req->both_methods && r->method == TFIT_METHOD_TEXTBOOK)
			continue;
		worst = tfit_verdict_worse(worst, r->verdict);
		if (t->has_realtime && !t->rt_pass)
			all_pass = 0;
		st = tfit_engine_gates_add(&res->gates, &req->gates, r,
					   r->method == TFIT_METHOD_TEXTBOOK ? r->textbook_latency_ms :
					   t->has_latency ? t->latency_ms : NAN, NULL, &failed, err);
		if (st != TFIT_OK)
			return st;
		if (failed)
			all_pass = 0;
	}
	res->report.pass = all_pass && worst == TFIT_VERDICT_FITS;
	res->verdict = all_pass ? worst : tfit_verdict_worse(worst, TFIT_VERDICT_DOES_NOT_FIT);
	return TFIT_OK;
}

static void fill_report(const struct tfit_check_request *req, struct tfit_check_result *res)
{
	struct tfit_check_report *rep = &res->report;
	rep->model = res->model;
	rep->model_file = res->model_file;
	rep->plans = res->timelines ? NULL : res->plans;
	rep->timelines = res->timelines;
	rep->results = res->results;
	rep->advice = res->advice;
	rep->timing = res->timing;
	rep->n_results = res->n_results;
	rep->both_methods = req->both_methods;
	rep->gates = res->gates.items;
	rep->n_gates = res->gates.n;
	rep->gates_given = tfit_gates_any(&req->gates);
	rep->show_planned = req->fit.method == TFIT_METHOD_PLANNED || req->both_methods;
	rep->show_textbook = req->fit.method == TFIT_METHOD_TEXTBOOK || req->both_methods;
}

enum tfit_status tfit_check_run(const struct tfit_check_request *req, struct tfit_check_result *res,
				struct tfit_error *err)
{
	struct tfit_check_request rq = *req; /* the method may change for a bare model */
	struct tfit_cost_db cdb;
	const struct tfit_device **resolved = NULL;
	enum tfit_status st;
	size_t i;
	int cdb_open = 0;

	memset(res, 0, sizeof(*res));
	res->verdict = TFIT_VERDICT_FITS;
	if ((st = tfit_engine_load_model(&rq.model, &res->model, err)) != TFIT_OK)
		return st;
	res->own_model = !rq.model.given;
	/* a bare model has no layers to plan: textbook only */
	if (res->model->format == TFIT_MODEL_FORMAT_FLAGS &&
	    (rq.both_methods || (rq.fit.method == TFIT_METHOD_PLANNED && rq.method_given)))
		return usage(res, err, "a bare model from --params has no layers to plan: use --method textbook");
	if (res->model->format == TFIT_MODEL_FORMAT_FLAGS)
		rq.fit.method = TFIT_METHOD_TEXTBOOK;
	if (res->model->format != TFIT_MODEL_FORMAT_FLAGS && res->model->subgraphs[0].n_ops == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, res->model->path, NULL,
				      "the model has no operators (nothing to plan)");
	if ((st = tfit_engine_boards(&rq.devices, &res->db, &res->db_open, &res->db_used, err)) != TFIT_OK)
		return st;
	if (rq.runtime && (st = tfit_engine_check_runtime(&rq.data, rq.runtime,
							   &res->usage_error, err)) != TFIT_OK)
		return st;
	if (rq.n_device_ids == 0)
		return usage(res, err, "missing --device ID ('tinyfit devices' lists the boards)");
	res->results = calloc(rq.n_device_ids * 2, sizeof(*res->results));
	res->advice = calloc(rq.n_device_ids * 2, sizeof(*res->advice));
	res->timing = calloc(rq.n_device_ids * 2, sizeof(*res->timing));
	res->plans = calloc(rq.n_device_ids * 2, sizeof(*res->plans));
	res->clocked = calloc(rq.n_device_ids, sizeof(*res->clocked));
	resolved = calloc(rq.n_device_ids, sizeof(*resolved));
	/* the one place the model's path is filtered for the report: as given
	 * on the command line it may hold any byte (what files hold was
	 * filtered when read) */
	res->model_file = tfit_text_filter_dup(res->model->path);
	if (!res->results || !res->advice || !res->timing || !res->plans || !res->clocked || !resolved ||
	    (res->model->path && !res->model_file)) {
		st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	/* latency and energy estimates (planned method only) */
	if (rq.fit.method == TFIT_METHOD_PLANNED || rq.both_methods) {
		if ((st = tfit_engine_cost_db(&rq.data, &cdb, err)) != TFIT_OK)
			goto out;
		cdb_open = 1;
	}
	tfit_fit_ctx_init(&res->fc, res->model, rq.data.data_dir);
	res->fc.runtime_set = rq.data.runtimes;
	res->fc.cost_db = cdb_open ? &cdb : NULL; /* the advice's external-memory latency (run only) */
	res->fc_open = 1;
	for (i = 0; i < rq.n_device_ids; i++) {
		const struct tfit_device *d;
		size_t j;
		int k;
		if ((st = tfit_device_db_find_or_error(res->db_used, rq.device_ids[i], &d, err)) != TFIT_OK)
			goto out;
		/* one board named twice (by id, alias or both) is checked once */
		for (j = 0; j < i && resolved[j] != d; j++)
			;
		resolved[i] = d;
		if (j < i)
			continue;
		d = tfit_engine_clocked(d, rq.clock_mhz, &res->clocked[i]);
		for (k = 0; k < (rq.both_methods ? 2 : 1); k++) {
			struct tfit_fit_opts o = rq.fit;
			if (rq.both_methods)
				o.method = k == 0 ? TFIT_METHOD_PLANNED : TFIT_METHOD_TEXTBOOK;
			if ((st = check_one(&rq, res, d, &o, err)) != TFIT_OK)
				goto out;
		}
	}
	if ((rq.timeline_only && (st = keep_timelines(res, err)) != TFIT_OK) ||
	    (st = check_timing(&rq, res, cdb_open ? &cdb : NULL, err)) != TFIT_OK ||
	    (st = judge(&rq, res, err)) != TFIT_OK)
		goto out;
	fill_report(&rq, res);
out:
	if (cdb_open)
		tfit_cost_db_release(&cdb);
	free(resolved);
	return st;
}

void tfit_check_result_release(struct tfit_check_result *res)
{
	size_t i;
	if (res->fc_open)
		tfit_fit_ctx_release(&res->fc);
	if (res->db_open)
		tfit_device_db_release(&res->db);
	if (res->timing)
		for (i = 0; i < res->n_results; i++)
			tfit_engine_timing_release(&res->timing[i]);
	tfit_engine_gates_release(&res->gates);
	if (res->timeline_store)
		for (i = 0; i < res->n_results; i++)
			tfit_arena_timeline_release(&res->timeline_store[i]);
	free(res->timeline_store);
	free(res->timelines);
	free(res->timing);
	free(res->clocked);
	free(res->plans);
	free(res->results);
	free(res->advice);
	free(res->model_file);
	if (res->own_model)
		tfit_model_free(res->model);
	memset(res, 0, sizeof(*res));
}
