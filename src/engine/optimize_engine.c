/*
 * optimize_engine.c - tfit_optimize_run: `tinyfit optimize` as one library
 * call. Open the board and the TFLM build to plan for, read the model and
 * optimise it (src/fit/optimize.c). See engine.h.
 */
#include "tinyfit/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/fileio.h"
#include "util/text_filter.h"

/* --device: the board, its cost tables, and its runtime unless --runtime. */
static enum tfit_status open_board(const struct tfit_optimize_run_request *req,
				   struct tfit_optimize_run_result *res, const struct tfit_device **dev,
				   const char **runtime, struct tfit_error *err)
{
	const struct tfit_device_db *db;
	enum tfit_status st;
	if ((st = tfit_engine_boards(&req->devices, &res->db, &res->db_open, &db, err)) != TFIT_OK ||
	    (st = tfit_device_db_find_or_error(db, req->device_id, dev, err)) != TFIT_OK)
		return st;
	st = tfit_engine_cost_db(&req->data, &res->cdb, err);
	res->cdb_open = 1;
	if (st != TFIT_OK)
		return st;
	if (!*runtime)
		*runtime = (*dev)->runtime;
	return TFIT_OK;
}

enum tfit_status tfit_optimize_run(const struct tfit_optimize_run_request *req,
				   struct tfit_optimize_run_result *res, struct tfit_error *err)
{
	struct tfit_optimize_request oreq;
	const struct tfit_device *dev = NULL;
	const char *runtime = req->runtime, *name;
	char rt_base[TFIT_DEVICE_RUNTIME_MAX];
	const void *data = req->model_data;
	size_t len = req->model_len;
	enum tfit_status st;

	memset(res, 0, sizeof(*res));
	memset(&oreq, 0, sizeof(oreq));
	tfit_cost_db_init(&res->cdb);
	/* the registry's NAME[@VERSION], as check, compare and layers take it */
	if (req->runtime &&
	    (st = tfit_engine_check_runtime(&req->data, req->runtime, &res->usage_error, err)) != TFIT_OK)
		return st;
	if (req->device_id && (st = open_board(req, res, &dev, &runtime, err)) != TFIT_OK)
		return st;
	/* the arena rules are the memory profile's, one per runtime (any
	 * "@VERSION" names a cost table, not a memory profile) */
	snprintf(rt_base, sizeof(rt_base), "%.*s", (int)strcspn(runtime ? runtime : "tflm", "@"),
		 runtime ? runtime : "tflm");
	if (req->data.runtimes)
		st = tfit_runtime_set_get(req->data.runtimes, rt_base, &res->rt, err);
	else if ((st = tfit_runtime_load(req->data.data_dir, rt_base, &res->rt_own, err)) == TFIT_OK)
		res->rt = res->rt_own;
	if (st != TFIT_OK) {
		if (st == TFIT_ERR_INPUT && !err->file[0]) {
			res->usage_error = 1;
			return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
					      "runtime %s has no memory profile (data/runtimes/%s.json): "
					      "optimize plans TFLM's arena (expected tflm, tflm-cmsis-nn "
					      "or tflm-esp-nn)", rt_base, rt_base);
		}
		return st;
	}
	if (res->rt->arena_kind != TFIT_ARENA_TFLM) {
		res->usage_error = 1;
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "runtime %s does not read TFLM's OfflineMemoryAllocation "
				      "metadata (expected tflm, tflm-cmsis-nn or tflm-esp-nn)", res->rt->id);
	}
	if (!data) {
		if ((st = tfit_file_read(req->model_path, TFIT_FILE_MAX_BYTES, &res->data, &len, err)) !=
		    TFIT_OK)
			return st;
		data = res->data;
	}
	name = strrchr(req->model_path, '/') ? strrchr(req->model_path, '/') + 1 : req->model_path;
	/* the one place the file's name is filtered for the report (and the
	 * optimiser's messages): as given on the command line it may hold
	 * any byte */
	if (!(res->model_name = tfit_text_filter_dup(name)))
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	oreq.model_data = data;
	oreq.model_len = len;
	oreq.model_name = res->model_name;
	oreq.rt = res->rt;
	oreq.plan_only = req->plan_only;
	oreq.has_max_mac_overhead = req->has_max_mac_overhead;
	oreq.max_mac_overhead = req->max_mac_overhead;
	if (dev) {
		oreq.dev = dev;
		oreq.cost = &res->cdb;
		oreq.runtime_id = runtime;
		oreq.data_dir = req->data.data_dir;
		oreq.runtime_set = req->data.runtimes;
	}
	if ((st = tfit_optimize(&oreq, &res->report, err)) != TFIT_OK && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", req->model_path);
	return st;
}

void tfit_optimize_run_result_release(struct tfit_optimize_run_result *res)
{
	tfit_optimize_result_release(&res->report);
	tfit_runtime_free(res->rt_own);
	if (res->cdb_open)
		tfit_cost_db_release(&res->cdb);
	if (res->db_open)
		tfit_device_db_release(&res->db);
	free(res->data);
	free(res->model_name);
	memset(res, 0, sizeof(*res));
}
