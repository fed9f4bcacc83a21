/* cli_timing.c - latency, energy, real-time and battery options (see cli_timing.h). */
#include "cli_timing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/units.h"

/* "3000mAh@3.7V": two decimals in the strict grammar of units.h, the
 * capacity at most 10^9 mAh, the voltage at most 1000 V. */
static int parse_battery(const char *v, double *mah, double *volts)
{
	const char *end;
	if (tfit_units_parse_decimal_prefix(v, mah, &end) != 0 || strncmp(end, "mAh@", 4) != 0 ||
	    !(*mah > 0) || *mah > 1e9)
		return -1;
	v = end + 4;
	if (tfit_units_parse_decimal_prefix(v, volts, &end) != 0 || strcmp(end, "V") != 0 ||
	    !(*volts > 0) || *volts > 1000)
		return -1;
	return 0;
}

int tfit_cli_parse_timing(struct tfit_cli_ctx *ctx, const char *cmd, const struct tfit_args *args,
			  struct tfit_cli_timing *t)
{
	const char *v;
	memset(t, 0, sizeof(*t));
	if ((v = tfit_args_get(args, "deadline"))) {
		if (tfit_units_parse_ms(v, &t->deadline_ms) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--deadline: expected a time such as 100ms, got '%s'", v);
		t->has_deadline = 1;
	}
	if ((v = tfit_args_get(args, "rate"))) {
		if (tfit_units_parse_hz(v, &t->rate_hz) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--rate: expected a frequency such as 2Hz or 16kHz, got '%s'", v);
		t->has_rate = 1;
	}
	if ((v = tfit_args_get(args, "window"))) {
		if (tfit_units_parse_ms(v, &t->window_ms) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--window: expected a time such as 1s, got '%s'", v);
		if (!t->has_rate)
			return tfit_cli_usage_error(ctx, cmd, "--window needs --rate (the sample rate)");
		t->has_window = 1;
	}
	if ((v = tfit_args_get(args, "duty"))) {
		const char *slash = strchr(v, '/');
		char on[64];
		if (!slash || (size_t)(slash - v) >= sizeof(on))
			return tfit_cli_usage_error(ctx, cmd, "--duty: expected ON/PERIOD such as 5s/30s, got '%s'", v);
		memcpy(on, v, (size_t)(slash - v));
		on[slash - v] = '\0';
		if (tfit_units_parse_ms(on, &t->on_ms) != 0 || tfit_units_parse_ms(slash + 1, &t->period_ms) != 0 ||
		    t->on_ms > t->period_ms)
			return tfit_cli_usage_error(ctx, cmd, "--duty: expected ON/PERIOD such as 5s/30s (ON <= PERIOD), got '%s'", v);
		if (t->has_rate)
			return tfit_cli_usage_error(ctx, cmd, "give --rate or --duty, not both");
		t->has_duty = 1;
	}
	if ((v = tfit_args_get(args, "battery"))) {
		if (parse_battery(v, &t->capacity_mah, &t->voltage_v) != 0)
			return tfit_cli_usage_error(ctx, cmd, "--battery: expected CAPACITYmAh@VOLTSV such as 3000mAh@3.7V, got '%s'", v);
		if (!t->has_rate && !t->has_duty)
			return tfit_cli_usage_error(ctx, cmd, "--battery needs --rate or --duty (how often the model runs)");
		t->has_battery = 1;
	}
	return 0;
}

void tfit_cli_timing_release(struct tfit_check_timing *t)
{
	free(t->op_latency_ms);
	t->op_latency_ms = NULL;
	t->n_ops = 0;
}

int tfit_cli_fill_timing(struct tfit_cli_ctx *ctx, const struct tfit_cli_timing *opt,
			 const struct tfit_cost_db *db, const struct tfit_model *m,
			 const struct tfit_fit_result *r, struct tfit_check_timing *out)
{
	struct tfit_cost_result cr;
	struct tfit_error err;
	double deadline = 0, rate = 0;
	memset(out, 0, sizeof(*out));
	memset(&cr, 0, sizeof(cr));
	tfit_error_clear(&err);
	if (r->method == TFIT_METHOD_TEXTBOOK) {
		if (!isnan(r->textbook_latency_ms)) {
			out->latency_ms = r->textbook_latency_ms;
			cr.latency_ms = out->latency_ms;
			cr.energy_mj = NAN;
		}
	} else if (r->verdict == TFIT_VERDICT_DOES_NOT_RUN) {
		snprintf(out->note, sizeof(out->note), "the model does not run on this board");
	} else if (db) {
		if (tfit_cli_cost_for_result(db, m, r, &cr, &err) == TFIT_OK) {
			out->has_latency = 1;
			out->latency_ms = cr.latency_ms;
			out->latency_ms_low = cr.latency_ms_low;
			out->latency_ms_high = cr.latency_ms_high;
			out->interval_pct = cr.interval_pct;
			out->interval_prior = cr.interval_prior;
			snprintf(out->interval_basis, sizeof(out->interval_basis), "%s", cr.interval_basis);
			out->energy_mj = cr.energy_mj;
			out->active_power_mw = cr.power_mw;
			out->power_scope = cr.power_scope;
			out->energy_lower_bound_mj = cr.energy_lower_bound_mj;
			snprintf(out->method, sizeof(out->method), "%s", cr.method);
			snprintf(out->energy_method, sizeof(out->energy_method), "%s", cr.energy_method);
			snprintf(out->energy_lower_bound_method, sizeof(out->energy_lower_bound_method), "%s",
				 cr.energy_lower_bound_method);
			out->op_latency_ms = calloc(cr.n_ops ? cr.n_ops : 1, sizeof(double));
			if (out->op_latency_ms) {
				uint32_t i;
				out->n_ops = cr.n_ops;
				for (i = 0; i < cr.n_ops; i++)
					out->op_latency_ms[i] = cr.ops[i].latency_ms;
				out->n_hot = tfit_slowest_ops(out->op_latency_ms, out->n_ops, out->hot, 3);
			}
		} else {
			snprintf(out->note, sizeof(out->note), "%.700s", err.message);
		}
	}
	/* the deadline: --deadline, else the duty cycle's awake window, else
	 * one inference per window (or per sample) of --rate */
	if (opt->has_deadline)
		deadline = opt->deadline_ms;
	else if (opt->has_duty)
		deadline = opt->on_ms;
	else if (opt->has_rate &&
		 tfit_cost_deadline_ms(opt->rate_hz, opt->has_window ? opt->window_ms / 1000.0 : 0, 0,
				       &deadline, &err) != TFIT_OK)
		return tfit_cli_usage_error(ctx, "check", "%s", err.message);
	if (deadline > 0 && (out->has_latency || r->method == TFIT_METHOD_TEXTBOOK) &&
	    !isnan(out->latency_ms)) {
		struct tfit_realtime_result rt;
		if (tfit_cost_realtime_check(out->latency_ms, deadline, &rt, &err) == TFIT_OK) {
			out->has_realtime = 1;
			out->deadline_ms = rt.deadline_ms;
			out->rt_pass = rt.pass;
			out->rt_margin_ms = rt.margin_ms;
			out->rt_margin_pct = rt.margin_pct;
		}
	}
	/* battery: inferences per second from --rate (with --window: one per
	 * window) or from the duty cycle's period; --duty ON keeps the board
	 * awake (at active power) for ON each period, not only for the
	 * inference */
	if (opt->has_battery && out->has_latency) {
		struct tfit_battery_req req;
		struct tfit_battery_result br;
		if (opt->has_duty)
			rate = 1000.0 / opt->period_ms;
		else if (opt->has_window)
			rate = 1000.0 / opt->window_ms;
		else
			rate = opt->rate_hz;
		req.rate_hz = rate;
		req.awake_s = opt->has_duty ? opt->on_ms / 1000.0 : 0;
		req.capacity_mah = opt->capacity_mah;
		req.voltage_v = opt->voltage_v;
		req.sleep_power_mw = -1;
		if (tfit_cost_battery(&cr, &req, r->device->sleep_power_mw, &br, &err) == TFIT_OK) {
			out->has_battery = 1;
			out->battery_known = br.known;
			out->awake_ms = opt->has_duty ? opt->on_ms : 0;
			out->rate_hz = rate;
			out->capacity_mah = opt->capacity_mah;
			out->voltage_v = opt->voltage_v;
			out->battery_feasible = br.feasible;
			out->average_power_mw = br.average_power_mw;
			out->life_hours = br.life_hours;
			out->duty = br.duty;
			out->sleep_power_known = br.sleep_power_known;
			out->sleep_power_scope =
				tfit_power_scope_name(r->device->sleep_power_scope);
		}
	}
	tfit_cost_result_release(&cr);
	return 0;
}

enum tfit_status tfit_cli_cost_for_result(const struct tfit_cost_db *db, const struct tfit_model *m,
					  const struct tfit_fit_result *r, struct tfit_cost_result *cr,
					  struct tfit_error *err)
{
	return tfit_fit_cost(db, m, r, cr, err);
}
