/*
 * engine_timing.c - latency and energy of a fit result, the real-time check
 * and the battery life (check's timing), the CI thresholds collected over a
 * run, and the --clock override. See engine_internal.h.
 */
#include "tinyfit/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tfit_status tfit_engine_cost_for_result(const struct tfit_cost_db *db, const struct tfit_model *m,
					     const struct tfit_fit_result *r, struct tfit_cost_result *cr,
					     struct tfit_error *err)
{
	return tfit_fit_cost(db, m, r, cr, err); /* the placement the verdict used (fit.h) */
}

void tfit_engine_timing_release(struct tfit_check_timing *t)
{
	free(t->op_latency_ms);
	t->op_latency_ms = NULL;
	free(t->method);
	t->method = NULL;
	t->n_ops = 0;
}

/* The estimate's figures into out (the per-op latencies copied, the method
 * moved: cr is released by the caller). */
static void copy_estimate(struct tfit_cost_result *cr, struct tfit_check_timing *out)
{
	uint32_t i;
	out->has_latency = 1;
	out->latency_ms = cr->latency_ms;
	out->latency_ms_low = cr->latency_ms_low;
	out->latency_ms_high = cr->latency_ms_high;
	out->interval_pct = cr->interval_pct;
	out->interval_prior = cr->interval_prior;
	snprintf(out->interval_basis, sizeof(out->interval_basis), "%s", cr->interval_basis);
	out->energy_mj = cr->energy_mj;
	out->active_power_mw = cr->power_mw;
	out->power_scope = cr->power_scope;
	out->energy_lower_bound_mj = cr->energy_lower_bound_mj;
	out->method = cr->method; /* moved: the whole text, however long */
	cr->method = NULL;
	snprintf(out->energy_method, sizeof(out->energy_method), "%s", cr->energy_method);
	snprintf(out->energy_lower_bound_method, sizeof(out->energy_lower_bound_method), "%s",
		 cr->energy_lower_bound_method);
	out->op_latency_ms = calloc(cr->n_ops ? cr->n_ops : 1, sizeof(double));
	if (!out->op_latency_ms)
		return; /* the per-op bars are left out, the totals stay */
	out->n_ops = cr->n_ops;
	for (i = 0; i < cr->n_ops; i++)
		out->op_latency_ms[i] = tfit_cost_op_latency_ms(cr, i);
	out->n_hot = tfit_slowest_ops(out->op_latency_ms, out->n_ops, out->hot, 3);
}

/* Battery life at the request's rate: inferences per second from --rate
 * (with --window: one per window) or from the duty cycle's period; --duty
 * ON keeps the board awake (at active power) for ON each period, not only
 * for the inference. */
static void fill_battery(const struct tfit_timing_request *t, const struct tfit_cost_result *cr,
			 const struct tfit_device *dev, struct tfit_check_timing *out)
{
	struct tfit_battery_req req;
	struct tfit_battery_result br;
	struct tfit_error err;
	double rate = t->rate_hz;
	tfit_error_clear(&err);
	if ((t->has_duty && tfit_cost_rate_from_period(t->period_ms / 1000.0, &rate, &err) != TFIT_OK) ||
	    (!t->has_duty && t->has_window &&
	     tfit_cost_rate_from_period(t->window_ms / 1000.0, &rate, &err) != TFIT_OK))
		return; /* a zero period: no battery figure (the parser refuses it) */
	req.rate_hz = rate;
	req.awake_s = t->has_duty ? t->on_ms / 1000.0 : 0;
	req.capacity_mah = t->capacity_mah;
	req.voltage_v = t->voltage_v;
	req.sleep_power_mw = -1;
	if (tfit_cost_battery(cr, &req, dev->sleep_power_mw, &br, &err) != TFIT_OK)
		return;
	out->has_battery = 1;
	out->battery_known = br.known;
	out->awake_ms = t->has_duty ? t->on_ms : 0;
	out->rate_hz = rate;
	out->capacity_mah = t->capacity_mah;
	out->voltage_v = t->voltage_v;
	out->battery_feasible = br.feasible;
	out->average_power_mw = br.average_power_mw;
	out->life_hours = br.life_hours;
	out->duty = br.duty;
	out->sleep_power_known = br.sleep_power_known;
	out->sleep_power_scope = tfit_power_scope_name(dev->sleep_power_scope);
}

enum tfit_status tfit_engine_fill_timing(const struct tfit_timing_request *t,
					 const struct tfit_cost_db *db, const struct tfit_model *m,
					 const struct tfit_fit_result *r, struct tfit_check_timing *out,
					 struct tfit_error *err)
{
	struct tfit_cost_result cr;
	struct tfit_error cerr;
	double deadline = 0;
	enum tfit_status st = TFIT_OK;
	memset(out, 0, sizeof(*out));
	memset(&cr, 0, sizeof(cr));
	tfit_error_clear(&cerr);
	if (r->method == TFIT_METHOD_TEXTBOOK) {
		if (!isnan(r->textbook_latency_ms)) {
			out->latency_ms = r->textbook_latency_ms;
			cr.latency_ms = out->latency_ms;
			cr.energy_mj = NAN;
		}
	} else if (r->verdict == TFIT_VERDICT_DOES_NOT_RUN) {
		snprintf(out->note, sizeof(out->note), "the model does not run on this board");
	} else if (db) {
		/* no estimate (no clock, no cost table) is a note, not an error */
		if (tfit_engine_cost_for_result(db, m, r, &cr, &cerr) == TFIT_OK)
			copy_estimate(&cr, out);
		else
			snprintf(out->note, sizeof(out->note), "%.700s", cerr.message);
	}
	/* the deadline: --deadline, else the duty cycle's awake window, else
	 * one inference per window (or per sample) of --rate */
	if (t->has_deadline)
		deadline = t->deadline_ms;
	else if (t->has_duty)
		deadline = t->on_ms;
	else if (t->has_rate &&
		 (st = tfit_cost_deadline_ms(t->rate_hz, t->has_window ? t->window_ms / 1000.0 : 0, 0,
					     &deadline, err)) != TFIT_OK)
		goto out;
	if (deadline > 0 && (out->has_latency || r->method == TFIT_METHOD_TEXTBOOK) &&
	    !isnan(out->latency_ms)) {
		struct tfit_realtime_result rt;
		if (tfit_cost_realtime_check(out->latency_ms, deadline, &rt, &cerr) == TFIT_OK) {
			out->has_realtime = 1;
			out->deadline_ms = rt.deadline_ms;
			out->rt_pass = rt.pass;
			out->rt_margin_ms = rt.margin_ms;
			out->rt_margin_pct = rt.margin_pct;
		}
	}
	if (t->has_battery && out->has_latency)
		fill_battery(t, &cr, r->device, out);
out:
	tfit_cost_result_release(&cr);
	return st;
}

enum tfit_status tfit_engine_gates_add(struct tfit_gate_list *list, const struct tfit_gates *g,
				       const struct tfit_fit_result *r, double latency_ms,
				       const char *model, size_t *failed, struct tfit_error *err)
{
	struct tfit_gate_result one[TFIT_GATES_MAX];
	size_t n = tfit_gates_evaluate(g, r, latency_ms, one), i;
	*failed = 0;
	if (list->n + n > list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct tfit_gate_result *p;
		while (cap < list->n + n)
			cap *= 2;
		p = realloc(list->items, cap * sizeof(*p));
		if (!p)
			return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		list->items = p;
		list->cap = cap;
	}
	for (i = 0; i < n; i++) {
		one[i].model = model;
		list->items[list->n++] = one[i];
		if (!one[i].pass)
			(*failed)++;
	}
	list->failed += *failed;
	return TFIT_OK;
}

void tfit_engine_gates_release(struct tfit_gate_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

const struct tfit_device *tfit_engine_clocked(const struct tfit_device *d, double mhz,
					      struct tfit_device *slot)
{
	if (!(mhz > 0) || !d)
		return d;
	*slot = *d;
	slot->clock_mhz = mhz;
	return slot;
}
