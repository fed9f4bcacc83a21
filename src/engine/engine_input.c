/*
 * engine_input.c - the inputs every command shares: the model (a file,
 * standard input, a bare model of N parameters, or one already loaded) and
 * the device database (directories in lookup order, or one given).
 * See engine.h.
 */
#include "tinyfit/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/fileio.h"
#include "tinyfit/registry.h"

/* A bare model: --params N [--macs N] --dtype D, for the textbook method
 * (no layers, so nothing to plan). */
static enum tfit_status bare_model(const struct tfit_model_request *req, struct tfit_model **out,
				   struct tfit_error *err)
{
	struct tfit_model *model = tfit_model_new();
	struct tfit_error ignored;
	if (!model || tfit_strdup_to(&model->name, "model") != TFIT_OK) {
		tfit_model_free(model);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	model->format = TFIT_MODEL_FORMAT_FLAGS;
	model->dtype = req->load.dtype != TFIT_DTYPE_UNKNOWN ? req->load.dtype : TFIT_DTYPE_FLOAT32;
	model->framework_params = req->params;
	/* no ops: the analysis only sets the totals, overwritten below */
	tfit_error_clear(&ignored);
	(void)tfit_model_analyze(model, &ignored);
	model->params = req->params;
	model->deployed_params = req->params;
	model->macs = req->macs;
	*out = model;
	return TFIT_OK;
}

enum tfit_status tfit_engine_load_model(const struct tfit_model_request *req,
					struct tfit_model **out, struct tfit_error *err)
{
	enum tfit_status st;
	char *data = NULL;
	size_t len = 0;
	*out = NULL;
	if (req->given) {
		*out = req->given;
		return TFIT_OK;
	}
	if (req->bare)
		return bare_model(req, out, err);
	if (!req->path)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "missing MODEL (a .json or .tflite file, or --params N)");
	if (strcmp(req->path, "-") != 0)
		return tfit_model_load(req->path, &req->load, out, err);
	/* the model on standard input, read once and sniffed from memory (so
	 * pipes and FIFOs work) */
	if ((st = tfit_file_read("/dev/stdin", TFIT_FILE_MAX_BYTES, &data, &len, err)) != TFIT_OK)
		return st;
	/* kept in the model: check's optimize advice rewrites these bytes */
	return tfit_model_load_owned(data, len, "<stdin>", &req->load, out, err);
}

static enum tfit_status load_dirs(const struct tfit_board_source *src, struct tfit_device_db *db,
				  struct tfit_error *err)
{
	size_t i;
	for (i = 0; i < src->n_dirs; i++) {
		enum tfit_status st;
		if (i == 0 && src->first_is_builtin && src->builtin)
			/* as the build compiled it: nothing to parse */
			st = tfit_device_db_add_compiled(db, src->builtin, src->n_builtin, err);
		else if (i == 0 && src->first_is_builtin)
			st = tfit_device_db_load_dir_as(db, src->dirs[0], "<built-in>", err);
		else
			st = tfit_device_db_load_dir(db, src->dirs[i], err);
		if (st != TFIT_OK)
			return st;
	}
	return TFIT_OK;
}

enum tfit_status tfit_engine_open_devices(const struct tfit_board_source *src,
					  struct tfit_device_db *db, struct tfit_error *err)
{
	struct tfit_cost_db cdb;
	struct tfit_registry reg;
	enum tfit_status st;
	tfit_device_db_init(db);
	if (src->given)
		return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL,
				      "tfit_engine_open_devices: a given database is not opened");
	if (!src->data.data_dir || !src->data.data_dir[0] || !src->n_dirs)
		return load_dirs(src, db, err);
	/* the runtime registry checks each profile's default_runtime as it
	 * loads, so an unknown runtime is listed with the profile's other
	 * field errors */
	if ((st = tfit_engine_cost_db(&src->data, &cdb, err)) != TFIT_OK)
		return st;
	st = tfit_registry_build(src->data.data_dir, &cdb, &reg, err);
	tfit_cost_db_release(&cdb);
	if (st != TFIT_OK)
		return st;
	tfit_registry_runtime_check(&reg, &db->runtime_check);
	st = load_dirs(src, db, err);
	memset(&db->runtime_check, 0, sizeof(db->runtime_check)); /* reg goes now */
	tfit_registry_release(&reg);
	return st;
}

enum tfit_status tfit_engine_runtime_set(const char *data_dir,
					 const struct tfit_runtime *const *compiled,
					 struct tfit_runtime_set **out, struct tfit_error *err)
{
	enum tfit_status st;
	size_t i;
	if ((st = tfit_runtime_set_new(data_dir, out, err)) != TFIT_OK)
		return st;
	for (i = 0; compiled && compiled[i]; i++) {
		if ((st = tfit_runtime_set_add_static(*out, compiled[i], err)) != TFIT_OK) {
			tfit_runtime_set_free(*out);
			*out = NULL;
			return st;
		}
	}
	return TFIT_OK;
}

enum tfit_status tfit_engine_cost_db(const struct tfit_data_source *src, struct tfit_cost_db *out,
				     struct tfit_error *err)
{
	if (!src->cost_db)
		return tfit_cost_db_load(src->data_dir, out, err);
	*out = *src->cost_db; /* compiled = 1: its release frees nothing */
	return TFIT_OK;
}

enum tfit_status tfit_engine_check_runtime(const struct tfit_data_source *src, const char *id,
					   int *usage_error, struct tfit_error *err)
{
	struct tfit_cost_db cdb;
	struct tfit_registry reg;
	enum tfit_status st;
	char msg[TFIT_ERROR_MSG_MAX];
	if ((st = tfit_engine_cost_db(src, &cdb, err)) != TFIT_OK)
		return st;
	st = tfit_registry_build(src->data_dir, &cdb, &reg, err);
	tfit_cost_db_release(&cdb);
	if (st != TFIT_OK)
		return st;
	st = tfit_registry_resolve(&reg, id, NULL, err);
	tfit_registry_release(&reg);
	if (st != TFIT_ERR_USAGE)
		return st;
	snprintf(msg, sizeof(msg), "%s", err->message);
	*usage_error = 1;
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "--runtime: %s", msg);
}

enum tfit_status tfit_engine_boards(const struct tfit_board_source *src, struct tfit_device_db *own,
				    int *own_open, const struct tfit_device_db **db,
				    struct tfit_error *err)
{
	enum tfit_status st;
	if (src->given) {
		*db = src->given;
		return TFIT_OK;
	}
	st = tfit_engine_open_devices(src, own, err);
	*own_open = 1;
	*db = own;
	return st;
}
