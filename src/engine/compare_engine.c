/*
 * compare_engine.c - tfit_compare_run: `tinyfit compare` as one library
 * call. Load every model (one that cannot be read becomes an error row),
 * select the boards, fit every model x board pair with the methods asked
 * for, estimate latency and energy once per planned pair, order the rows,
 * and judge the thresholds. See engine.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text_filter.h"

static enum tfit_status nomem(struct tfit_error *err)
{
	return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
}

static enum tfit_status usage(struct tfit_compare_result *res, struct tfit_error *err, const char *msg)
{
	res->usage_error = 1;
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "%s", msg);
}

/* Every model of the request: loaded, or an error row when a file could
 * not be read; a bare model turns the planned column off (or is an error
 * when planned was asked for). */
static enum tfit_status load_models(const struct tfit_compare_request *req, struct tfit_compare_result *res,
				    struct tfit_error *err)
{
	size_t n = req->n_models, i, j;
	res->models = calloc(n + 1, sizeof(*res->models));
	res->labels = calloc(n + 1, sizeof(*res->labels));
	res->files = calloc(n + 1, sizeof(*res->files));
	res->inputs = calloc(n + 1, sizeof(*res->inputs));
	res->errors = calloc(n + 1, sizeof(*res->errors));
	res->messages = calloc(n + 1, sizeof(*res->messages));
	res->load_errors = calloc(n + 1, sizeof(*res->load_errors));
	if (!res->models || !res->labels || !res->files || !res->inputs || !res->errors || !res->messages ||
	    !res->load_errors)
		return nomem(err);
	for (i = 0; i < n; i++) {
		const struct tfit_model_request *mr = &req->models[i];
		const char *label = i < req->n_labels ? req->labels[i] : NULL;
		struct tfit_error *le = &res->load_errors[res->n_errors];
		enum tfit_status st;
		tfit_error_clear(le);
		st = tfit_engine_load_model(mr, &res->models[res->n_models], le);
		if (st != TFIT_OK) {
			if (!mr->path || mr->bare || !le->file[0]) {
				*err = *le; /* not a file tinyfit could not read */
				return st;
			}
			/* the one place a model's path is filtered for the report (as
			 * given on the command line it may hold any byte; what files
			 * hold was filtered when read): the file, and the message
			 * naming it */
			res->n_inputs = i + 1;
			if (!(res->inputs[i].file = tfit_text_filter_dup(mr->path)))
				return nomem(err);
			tfit_error_format(le, res->messages[res->n_errors], sizeof(res->messages[0]));
			tfit_text_filter_bytes(res->messages[res->n_errors], strlen(res->messages[res->n_errors]),
					       res->messages[res->n_errors]);
			res->errors[res->n_errors].file = res->inputs[i].file;
			res->errors[res->n_errors].label = label;
			res->errors[res->n_errors].message = res->messages[res->n_errors];
			res->inputs[i].index = res->n_errors++;
			res->n_inputs = i + 1;
			continue;
		}
		res->n_inputs = i + 1;
		res->inputs[i].loaded = 1;
		res->inputs[i].index = res->n_models;
		res->labels[res->n_models] = label;
		res->files[res->n_models] = res->inputs[i].file =
			tfit_text_filter_dup(res->models[res->n_models]->path);
		if (res->models[res->n_models]->path && !res->inputs[i].file) {
			res->n_models++;
			return nomem(err);
		}
		if (res->models[res->n_models]->format == TFIT_MODEL_FORMAT_FLAGS && res->report.show_planned) {
			res->n_models++;
			if (req->method_given)
				return usage(res, err, "a bare model from --params has no layers to plan: use --method textbook");
			res->report.show_planned = 0;
			res->report.show_textbook = 1;
			continue;
		}
		res->n_models++;
	}
	/* without --label: the model's name, or its file when two names collide */
	for (i = 0; i < res->n_models; i++) {
		const struct tfit_model *m = res->models[i];
		const char *name = m->name ? m->name : "model";
		if (res->labels[i])
			continue;
		res->labels[i] = name;
		for (j = 0; j < res->n_models; j++)
			if (j != i && res->models[j]->name && !strcmp(res->models[j]->name, name) && res->files[i])
				res->labels[i] = res->files[i];
	}
	return TFIT_OK;
}

/* The boards: the request's ids (each once, in order) or every board. */
static enum tfit_status select_boards(const struct tfit_compare_request *req, struct tfit_compare_result *res,
				      const struct tfit_device_db *db, struct tfit_error *err)
{
	size_t i, j;
	enum tfit_status st;
	res->devs = calloc(db->n_devices ? db->n_devices : 1, sizeof(*res->devs));
	if (!res->devs)
		return nomem(err);
	for (i = 0; i < req->n_device_ids; i++) {
		const struct tfit_device *d;
		if ((st = tfit_device_db_find_or_error(db, req->device_ids[i], &d, err)) != TFIT_OK)
			return st;
		for (j = 0; j < res->n_devs && res->devs[j] != d; j++)
			;
		if (j == res->n_devs && res->n_devs < db->n_devices)
			res->devs[res->n_devs++] = d;
	}
	if (req->n_device_ids == 0)
		for (i = 0; i < db->n_devices; i++)
			res->devs[res->n_devs++] = &db->devices[i];
	if (res->n_devs == 0)
		return usage(res, err, "no boards selected");
	if (req->clock_mhz > 0) {
		res->clocked = calloc(res->n_devs, sizeof(*res->clocked));
		if (!res->clocked)
			return nomem(err);
		for (j = 0; j < res->n_devs; j++)
			res->devs[j] = tfit_engine_clocked(res->devs[j], req->clock_mhz, &res->clocked[j]);
	}
	return TFIT_OK;
}

/* The latency and energy of a planned pair: estimates; none for a board
 * without a clock or a cost table (shown as "-"). */
static void estimate(const struct tfit_cost_db *cdb, const struct tfit_model *m,
		     const struct tfit_fit_result *r, struct tfit_compare_row *row, char **method)
{
	struct tfit_cost_result cr;
	struct tfit_error cerr;
	tfit_error_clear(&cerr);
	if (tfit_engine_cost_for_result(cdb, m, r, &cr, &cerr) == TFIT_OK) {
		row->latency_ms = cr.latency_ms;
		row->latency_ms_low = cr.latency_ms_low;
		row->latency_ms_high = cr.latency_ms_high;
		row->interval_pct = cr.interval_pct;
		row->energy_mj = cr.energy_mj;
		row->power_scope = cr.power_scope;
		row->energy_lower_bound_mj = cr.energy_lower_bound_mj;
		*method = cr.method; /* moved: the whole text; the result frees it */
		cr.method = NULL;
		row->latency_method = *method;
	}
	tfit_cost_result_release(&cr);
}

/* A planned pair that does not fit: what check's advice would offer on the
 * board's own external memory (tfit_fit_advise_external), kept for the
 * row; the first option that fits. */
static enum tfit_status external_advice(struct tfit_compare_result *res, size_t i, size_t k,
					const struct tfit_cost_db *cdb, const struct tfit_fit_opts *fo,
					struct tfit_compare_row *row)
{
	struct tfit_fit_advice adv;
	enum tfit_status st;
	if (row->planned->fits || row->planned->memory_unknown)
		return TFIT_OK;
	res->fcs[i].cost_db = cdb; /* the latency of both placements */
	st = tfit_fit_advise_external(&res->fcs[i], row->planned, fo, &adv);
	res->fcs[i].cost_db = NULL;
	if (st == TFIT_OK && adv.n_options) {
		res->external[k] = adv.options[0];
		row->external = &res->external[k];
	}
	return st;
}

/* A planned .tflite pair that does not fit: check's "fits after `tinyfit
 * optimize`" option (tfit_fit_advise_optimize), kept for the row when the
 * optimised model fits (as the external-memory advice: only what makes
 * the pair fit; check's advice also says "still does not fit"). The
 * optimisation runs once per model and runtime (kept in the model's fit
 * context), never for a pair that fits nor for a board no optimised model
 * can fit (tfit_fit_advise_optimize). */
static enum tfit_status optimize_advice(struct tfit_compare_result *res, size_t i, size_t k,
					const struct tfit_fit_opts *fo, struct tfit_compare_row *row,
					struct tfit_error *err)
{
	struct tfit_fit_advice adv;
	enum tfit_status st;
	if (row->planned->fits || row->planned->memory_unknown)
		return TFIT_OK;
	st = tfit_fit_advise_optimize(&res->fcs[i], row->planned, fo, &adv, err);
	if (st == TFIT_OK && adv.n_options) { /* only when it then fits */
		res->optimized[k] = adv.options[0];
		row->optimize = &res->optimized[k];
	}
	return st;
}

/* An error about one of several models (its plan, a runtime rule) names
 * that model's file: the caller cannot tell which model it was about. */
static enum tfit_status model_error(const struct tfit_model *m, enum tfit_status st, struct tfit_error *err)
{
	if (!err->file[0] && err->code != TFIT_ERR_USAGE && m->path)
		snprintf(err->file, sizeof(err->file), "%s", m->path);
	return st;
}

/* A pair that could not be compared: a row saying why (its file, its
 * board, the error), and the run goes on with the other pairs. Out of
 * memory and usage errors (an option, not the pair) still end the run. */
static enum tfit_status pair_error(struct tfit_compare_result *res, size_t i, size_t j,
				   enum tfit_status st, struct tfit_error *err)
{
	size_t k = i * res->n_devs + j, n = res->n_pair_errors;
	struct tfit_error *rec = &res->pair_records[n];
	const char *id = res->devs[j]->id;
	size_t idl = strlen(id) + 2, ml;
	if (st == TFIT_ERR_NOMEM || st == TFIT_ERR_USAGE)
		return model_error(res->models[i], st, err);
	*rec = *err;
	model_error(res->models[i], st, rec);
	/* the board in the message ("BOARD: what is wrong"): one model may
	 * fail on some boards only */
	ml = strnlen(rec->message, sizeof(rec->message) - 1);
	if (idl < sizeof(rec->message) / 2) {
		if (idl + ml >= sizeof(rec->message))
			ml = sizeof(rec->message) - idl - 1;
		memmove(rec->message + idl, rec->message, ml);
		memcpy(rec->message, id, idl - 2);
		memcpy(rec->message + idl - 2, ": ", 2);
		rec->message[idl + ml] = '\0';
	}
	tfit_error_format(rec, res->pair_messages[n], sizeof(res->pair_messages[0]));
	/* it may name the model's file as given: filtered as files[i] is */
	tfit_text_filter_bytes(res->pair_messages[n], strlen(res->pair_messages[n]), res->pair_messages[n]);
	res->pair_errors[n].file = res->files[i] ? res->files[i] : res->labels[i];
	res->pair_errors[n].label = res->labels[i];
	res->pair_errors[n].message = res->pair_messages[n];
	res->pair_errors[n].device = res->devs[j];
	res->pair_failed[k] = 1;
	res->n_pair_errors++;
	tfit_error_clear(err);
	return TFIT_OK;
}

/* What one pair became (evaluate_pair). */
enum pair_state { PAIR_ROW = 0, PAIR_HIDDEN, PAIR_FAILED };

/* Fit pair (i, j) with the methods asked for into rows[k] (k = i x boards
 * + j); *state says whether it is a row, a --fits-only hidden row or a
 * pair error. lat[k] keeps its latency for the thresholds. */
static enum tfit_status evaluate_pair(const struct tfit_compare_request *req, struct tfit_compare_result *res,
				      const struct tfit_cost_db *cdb, size_t i, size_t j, double *lat,
				      unsigned char *state, struct tfit_error *err)
{
	struct tfit_fit_opts fo = req->fit;
	size_t k = i * res->n_devs + j;
	struct tfit_compare_row *row = &res->rows[k];
	enum tfit_status st;
	memset(row, 0, sizeof(*row));
	row->model = res->models[i];
	row->file = res->files[i];
	row->label = res->labels[i];
	row->latency_ms = NAN;
	row->latency_ms_low = NAN;
	row->latency_ms_high = NAN;
	row->energy_mj = NAN;
	row->energy_lower_bound_mj = NAN;
	*state = PAIR_FAILED;
	if (res->report.show_planned) {
		fo.method = TFIT_METHOD_PLANNED;
		if ((st = tfit_fit_evaluate(&res->fcs[i], res->devs[j], req->runtime, &fo,
					    &res->planned[k], err)) != TFIT_OK)
			return pair_error(res, i, j, st, err);
		row->planned = &res->planned[k];
		estimate(cdb, res->models[i], row->planned, row, &res->methods[k]);
		if ((st = external_advice(res, i, k, cdb, &fo, row)) != TFIT_OK ||
		    (st = optimize_advice(res, i, k, &fo, row, err)) != TFIT_OK)
			return st;
	}
	if (res->report.show_textbook) {
		fo.method = TFIT_METHOD_TEXTBOOK;
		if ((st = tfit_fit_evaluate(&res->fcs[i], res->devs[j], req->runtime, &fo,
					    &res->textbook[k], err)) != TFIT_OK)
			return pair_error(res, i, j, st, err);
		row->textbook = &res->textbook[k];
	}
	lat[k] = res->report.show_planned ? row->latency_ms : res->textbook[k].textbook_latency_ms;
	/* --fits-only: left out of the table, not out of the report */
	*state = req->fits_only && !(row->planned ? row->planned : row->textbook)->fits ? PAIR_HIDDEN
											 : PAIR_ROW;
	return TFIT_OK;
}

/* The runtime whose plan pair (model, board j) uses: the --runtime or the
 * board's, without a version (a plan is per runtime, fit.c). */
static const char *pair_runtime(const struct tfit_compare_request *req, const struct tfit_compare_result *res,
				size_t j, size_t *len)
{
	const char *id = req->runtime ? req->runtime : res->devs[j]->runtime;
	*len = strcspn(id, "@");
	return id;
}

/* The boards in the order they are fitted: grouped by runtime (the
 * groups in the order of their first board, boards in order within a
 * group), so a model's context holds the arena plan of one runtime at a
 * time (docs/limits.md). */
static void runtime_order(const struct tfit_compare_request *req, const struct tfit_compare_result *res,
			  size_t *order, unsigned char *placed)
{
	size_t n = 0, j, j2, len, len2;
	memset(placed, 0, res->n_devs);
	for (j = 0; j < res->n_devs; j++) {
		const char *id;
		if (placed[j])
			continue;
		id = pair_runtime(req, res, j, &len);
		for (j2 = j; j2 < res->n_devs; j2++) {
			const char *id2 = pair_runtime(req, res, j2, &len2);
			if (!placed[j2] && len2 == len && strncmp(id, id2, len) == 0) {
				order[n++] = j2;
				placed[j2] = 1;
			}
		}
	}
}

/* The pair errors in model, then board order (they were found in the
 * order the pairs were fitted). pk[e] is error e's pair. */
static enum tfit_status pair_errors_in_order(struct tfit_compare_result *res, const size_t *pk,
					     struct tfit_error *err)
{
	size_t n = res->n_pair_errors, e, f, *idx;
	struct tfit_compare_error *pe;
	char (*pm)[512];
	struct tfit_error *pr;
	if (n < 2)
		return TFIT_OK;
	idx = calloc(n, sizeof(*idx));
	pe = calloc(n, sizeof(*pe));
	pm = calloc(n, sizeof(*pm));
	pr = calloc(n, sizeof(*pr));
	if (!idx || !pe || !pm || !pr) {
		free(idx);
		free(pe);
		free(pm);
		free(pr);
		return nomem(err);
	}
	/* insertion sort by pair: each pair has at most one error, and
	 * they come in runs already ordered within a runtime group */
	for (e = 0; e < n; e++) {
		for (f = e; f > 0 && pk[idx[f - 1]] > pk[e]; f--)
			idx[f] = idx[f - 1];
		idx[f] = e;
	}
	for (e = 0; e < n; e++) {
		pe[e] = res->pair_errors[idx[e]];
		memcpy(pm[e], res->pair_messages[idx[e]], sizeof(pm[e]));
		pr[e] = res->pair_records[idx[e]];
		pe[e].message = pm[e];
	}
	memcpy(res->pair_errors, pe, n * sizeof(*pe));
	memcpy(res->pair_messages, pm, n * sizeof(*pm));
	memcpy(res->pair_records, pr, n * sizeof(*pr));
	for (e = 0; e < n; e++)
		res->pair_errors[e].message = res->pair_messages[e];
	free(idx);
	free(pe);
	free(pm);
	free(pr);
	return TFIT_OK;
}

/*
 * Fit every model x board pair; rows in model order, then board order
 * (hidden rows and pair errors too). The pairs of a model are fitted
 * grouped by runtime, and the model's context (its arena plans and
 * optimize advice) is emptied between groups: it holds one runtime's
 * plan at a time instead of one per runtime the boards use (three with
 * --all; 1.1 MB each on the 20,000-way .tflite fan-in, docs/limits.md).
 * Each runtime is still planned once per model. lat[k] keeps each pair's
 * latency for the thresholds.
 */
static enum tfit_status evaluate(const struct tfit_compare_request *req, struct tfit_compare_result *res,
				 double *lat, struct tfit_error *err)
{
	struct tfit_cost_db cdb;
	enum tfit_status st = TFIT_OK;
	size_t i, j, n, k, len, prev_len = 0, *order = NULL, *pk = NULL;
	unsigned char *state = NULL;
	const char *prev = NULL;
	int cdb_open = 0;
	if (res->report.show_planned) {
		if ((st = tfit_engine_cost_db(&req->data, &cdb, err)) != TFIT_OK)
			return st;
		cdb_open = 1;
	}
	order = calloc(res->n_devs + 1, sizeof(*order));
	/* + n_devs: runtime_order() uses it as n_devs bytes of scratch, also when
	 * no model loaded (n_models 0) */
	state = calloc(res->n_models * res->n_devs + res->n_devs + 1, sizeof(*state));
	pk = calloc(res->n_models * res->n_devs + 1, sizeof(*pk));
	if (!order || !state || !pk) {
		st = nomem(err);
		goto out;
	}
	runtime_order(req, res, order, state); /* state: scratch until the pairs fill it */
	for (i = 0; i < res->n_models; i++) {
		prev = NULL;
		/* the model's kernel paths and instructions, found once for the
		 * boards that share an implementation, core and build (cost.h) */
		if (cdb_open) {
			tfit_cost_kernel_memo_free(cdb.kernel_memo);
			cdb.kernel_memo = NULL;
			if ((st = tfit_cost_kernel_memo_new(res->models[i], &cdb.kernel_memo, err)) != TFIT_OK)
				goto out;
		}
		for (n = 0; n < res->n_devs; n++) {
			const char *id;
			j = order[n];
			k = i * res->n_devs + j;
			id = pair_runtime(req, res, j, &len);
			if (prev && (len != prev_len || strncmp(id, prev, len) != 0)) {
				struct tfit_runtime_set *set = res->fcs[i].runtime_set;
				tfit_fit_ctx_release(&res->fcs[i]);
				tfit_fit_ctx_init(&res->fcs[i], res->models[i], req->data.data_dir);
				res->fcs[i].runtime_set = set;
			}
			prev = id;
			prev_len = len;
			{
				size_t e = res->n_pair_errors;
				if ((st = evaluate_pair(req, res, cdb_open ? &cdb : NULL, i, j, lat,
							&state[k], err)) != TFIT_OK)
					goto out;
				if (res->n_pair_errors > e)
					pk[e] = k;
			}
		}
	}
	/* the rows, hidden rows and errors in pair order */
	for (k = 0; k < res->n_models * res->n_devs; k++) {
		if (state[k] == PAIR_ROW)
			res->rows[res->n_rows++] = res->rows[k];
		else if (state[k] == PAIR_HIDDEN)
			res->hidden[res->n_hidden++] = res->rows[k];
	}
	st = pair_errors_in_order(res, pk, err);
out:
	free(order);
	free(state);
	free(pk);
	if (cdb_open) {
		tfit_cost_kernel_memo_free(cdb.kernel_memo);
		cdb.kernel_memo = NULL;
		tfit_cost_db_release(&cdb);
	}
	return st;
}

/* A row with its sort key (computed once) and its position (the last tie
 * break: the sort is stable and needs no global). */
struct keyed_row {
	double key;
	size_t pos;
	struct tfit_compare_row row;
};

static double nan_last(double v)
{
	return isnan(v) ? INFINITY : v;
}

static double sort_key(enum tfit_compare_sort sort, const struct tfit_compare_row *a)
{
	const struct tfit_fit_result *r = a->planned ? a->planned : a->textbook;
	switch (sort) {
	case TFIT_SORT_LATENCY:
		return nan_last(a->planned ? a->latency_ms : r->textbook_latency_ms);
	case TFIT_SORT_PRICE:
		return r->device->price_usd > 0 ? r->device->price_usd : INFINITY;
	case TFIT_SORT_SRAM:
		return nan_last(r->sram_percent);
	case TFIT_SORT_FLASH:
		return nan_last(r->flash_percent);
	case TFIT_SORT_NONE:
	case TFIT_SORT_NAME:
		break;
	}
	return 0;
}

static const char *row_label(const struct tfit_compare_row *r)
{
	return r->label ? r->label : r->model->name ? r->model->name : "";
}

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed_row *a = pa, *b = pb;
	const struct tfit_fit_result *ra = a->row.planned ? a->row.planned : a->row.textbook;
	const struct tfit_fit_result *rb = b->row.planned ? b->row.planned : b->row.textbook;
	int c;
	if (a->key < b->key)
		return -1;
	if (a->key > b->key)
		return 1;
	if ((c = strcmp(ra->device->id, rb->device->id)) != 0)
		return c;
	if ((c = strcmp(row_label(&a->row), row_label(&b->row))) != 0)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static enum tfit_status sort_rows(enum tfit_compare_sort sort, struct tfit_compare_row *rows, size_t n,
				  struct tfit_error *err)
{
	struct keyed_row *k;
	size_t i;
	if (sort == TFIT_SORT_NONE || n < 2)
		return TFIT_OK;
	if (!(k = calloc(n, sizeof(*k))))
		return nomem(err);
	for (i = 0; i < n; i++) {
		k[i].key = sort_key(sort, &rows[i]);
		k[i].pos = i;
		k[i].row = rows[i];
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i++)
		rows[i] = k[i].row;
	free(k);
	return TFIT_OK;
}

/* The verdict: every selected pair must fit and pass every threshold. */
static enum tfit_status judge(const struct tfit_compare_request *req, struct tfit_compare_result *res,
			      const double *lat, struct tfit_error *err)
{
	enum tfit_verdict worst = TFIT_VERDICT_FITS;
	size_t i, j, failed;
	enum tfit_status st;
	for (i = 0; i < res->n_models; i++) {
		for (j = 0; j < res->n_devs; j++) {
			size_t k = i * res->n_devs + j;
			const struct tfit_fit_result *r = res->report.show_planned ? &res->planned[k] :
						      &res->textbook[k];
			if (res->pair_failed[k])
				continue; /* a row of pair_errors: no verdict, no gates */
			worst = tfit_verdict_worse(worst, r->verdict);
			st = tfit_engine_gates_add(&res->gates, &req->gates, r, lat[k],
						   res->n_models + res->n_errors > 1 ? res->labels[i] : NULL,
						   &failed, err);
			if (st != TFIT_OK)
				return st;
		}
	}
	res->report.complete = res->n_errors == 0 && res->n_pair_errors == 0;
	res->report.pass = res->gates.failed == 0 && res->report.complete && worst == TFIT_VERDICT_FITS;
	res->verdict = res->gates.failed ? tfit_verdict_worse(worst, TFIT_VERDICT_DOES_NOT_FIT) : worst;
	return TFIT_OK;
}

static void fill_report(const struct tfit_compare_request *req, struct tfit_compare_result *res)
{
	struct tfit_compare_report *rep = &res->report;
	rep->gates = res->gates.items;
	rep->n_gates = res->gates.n;
	rep->gates_given = tfit_gates_any(&req->gates);
	rep->labels = res->labels;
	rep->errors = res->errors;
	rep->n_errors = res->n_errors;
	rep->pair_errors = res->pair_errors;
	rep->n_pair_errors = res->n_pair_errors;
	rep->models = (const struct tfit_model *const *)res->models;
	rep->n_models = res->n_models;
	rep->rows = res->rows;
	rep->n_rows = res->n_rows;
	rep->hidden = res->hidden;
	rep->n_hidden = res->n_hidden;
}

enum tfit_status tfit_compare_run(const struct tfit_compare_request *req,
				  struct tfit_compare_result *res, struct tfit_error *err)
{
	const struct tfit_device_db *db;
	double *lat = NULL;
	size_t n_pairs, i;
	enum tfit_status st;

	memset(res, 0, sizeof(*res));
	res->verdict = TFIT_VERDICT_FITS;
	res->own_models = !(req->n_models && req->models[0].given); /* given: all or none */
	res->report.show_planned = req->show_planned;
	res->report.show_textbook = req->show_textbook;
	if (req->runtime &&
	    (st = tfit_engine_check_runtime(&req->data, req->runtime, &res->usage_error, err)) != TFIT_OK)
		return st;
	if (req->n_models == 0)
		return usage(res, err, "missing MODEL (a .json or .tflite file, or --params N)");
	if ((st = load_models(req, res, err)) != TFIT_OK)
		return st;
	if ((st = tfit_engine_boards(&req->devices, &res->db, &res->db_open, &db, err)) != TFIT_OK)
		return st;
	if ((st = select_boards(req, res, db, err)) != TFIT_OK)
		return st;
	n_pairs = res->n_models * res->n_devs + 1;
	res->fcs = calloc(res->n_models + 1, sizeof(*res->fcs));
	res->planned = calloc(n_pairs, sizeof(*res->planned));
	res->textbook = calloc(n_pairs, sizeof(*res->textbook));
	res->external = calloc(n_pairs, sizeof(*res->external));
	res->optimized = calloc(n_pairs, sizeof(*res->optimized));
	res->rows = calloc(n_pairs, sizeof(*res->rows));
	res->hidden = calloc(n_pairs, sizeof(*res->hidden));
	res->methods = calloc(n_pairs, sizeof(*res->methods));
	res->n_methods = res->methods ? n_pairs : 0;
	res->pair_errors = calloc(n_pairs, sizeof(*res->pair_errors));
	res->pair_messages = calloc(n_pairs, sizeof(*res->pair_messages));
	res->pair_records = calloc(n_pairs, sizeof(*res->pair_records));
	res->pair_failed = calloc(n_pairs, sizeof(*res->pair_failed));
	lat = calloc(n_pairs, sizeof(*lat));
	if (!res->fcs || !res->planned || !res->textbook || !res->external || !res->optimized || !res->rows || !res->hidden || !res->methods ||
	    !res->pair_errors || !res->pair_messages || !res->pair_records || !res->pair_failed || !lat) {
		st = nomem(err);
		goto out;
	}
	for (i = 0; i < res->n_models; i++) {
		tfit_fit_ctx_init(&res->fcs[i], res->models[i], req->data.data_dir);
		res->fcs[i].runtime_set = req->data.runtimes;
	}
	res->n_fcs = res->n_models;
	if ((st = evaluate(req, res, lat, err)) != TFIT_OK ||
	    (st = sort_rows(req->sort, res->rows, res->n_rows, err)) != TFIT_OK ||
	    (st = judge(req, res, lat, err)) != TFIT_OK)
		goto out;
	fill_report(req, res);
out:
	free(lat);
	return st;
}

void tfit_compare_result_release(struct tfit_compare_result *res)
{
	size_t i;
	for (i = 0; i < res->n_fcs; i++)
		tfit_fit_ctx_release(&res->fcs[i]);
	if (res->models)
		for (i = 0; i < res->n_models; i++)
			if (res->own_models)
				tfit_model_free(res->models[i]);
	if (res->db_open)
		tfit_device_db_release(&res->db);
	tfit_engine_gates_release(&res->gates);
	for (i = 0; res->methods && i < res->n_methods; i++)
		free(res->methods[i]);
	free(res->methods);
	free(res->clocked);
	free(res->models);
	free(res->labels);
	free(res->files);
	for (i = 0; res->inputs && i < res->n_inputs; i++)
		free(res->inputs[i].file);
	free(res->inputs);
	free(res->errors);
	free(res->messages);
	free(res->load_errors);
	free(res->pair_errors);
	free(res->pair_messages);
	free(res->pair_records);
	free(res->pair_failed);
	free(res->fcs);
	free(res->planned);
	free(res->textbook);
	free(res->external);
	free(res->optimized);
	free(res->rows);
	free(res->hidden);
	free(res->devs);
	memset(res, 0, sizeof(*res));
}
