/*
 * quant_engine.c - tfit_quant_run: `tinyfit quant` as one library call. The
 * schemes of one float range side by side, or the per-tensor quantization
 * report of a model (src/quant/). See engine.h.
 */
#include "tinyfit/engine.h"

#include <string.h>

static enum tfit_status run_range(const struct tfit_quant_run_request *req, struct tfit_quant_run_result *res,
				  struct tfit_error *err)
{
	struct tfit_quant_range_report *rep = &res->range;
	enum tfit_status st;
	size_t i;
	if ((st = tfit_quant_check_request(&req->quant, err)) != TFIT_OK) {
		res->usage_error = 1;
		return st;
	}
	rep->request = req->quant;
	if (req->all_methods) {
		for (i = 0; i < TFIT_QUANT_METHOD_COUNT; i++)
			tfit_quant_compute(&rep->request, (enum tfit_quant_method)i, &rep->schemes[i]);
		rep->n_schemes = TFIT_QUANT_METHOD_COUNT;
	} else {
		tfit_quant_compute(&rep->request, req->method, &rep->schemes[0]);
		rep->n_schemes = 1;
	}
	res->report.range = rep;
	return TFIT_OK;
}

enum tfit_status tfit_quant_run(const struct tfit_quant_run_request *req, struct tfit_quant_run_result *res,
				struct tfit_error *err)
{
	enum tfit_status st;

	memset(res, 0, sizeof(*res));
	res->verdict = TFIT_VERDICT_FITS;
	if (req->range)
		return run_range(req, res, err);
	if ((st = tfit_engine_load_model(&req->model, &res->model, err)) != TFIT_OK)
		return st;
	res->own_model = !req->model.given;
	if ((st = tfit_quant_model_analyze(res->model, &res->tensors, err)) != TFIT_OK)
		return st;
	res->tensors_open = 1;
	res->report.tensors = &res->tensors;
	/* a finding TFLM fails on (or computes wrong) is a failed check */
	if (res->tensors.worst_severity >= 2)
		res->verdict = TFIT_VERDICT_DOES_NOT_FIT;
	return TFIT_OK;
}

void tfit_quant_run_result_release(struct tfit_quant_run_result *res)
{
	if (res->tensors_open)
		tfit_quant_model_release(&res->tensors);
	if (res->own_model)
		tfit_model_free(res->model);
	memset(res, 0, sizeof(*res));
}
