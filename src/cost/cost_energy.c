/*
 * cost_energy.c - what an estimate means for a battery and a deadline:
 * duty cycle, average power, battery life, and real-time pass/fail with
 * margin (cost.h). Plain arithmetic on the estimate; no data files.
 */
#include "tinyfit/cost.h"

#include <string.h>

enum tfit_status tfit_cost_rate_from_period(double period_s, double *rate_hz,
					    struct tfit_error *err)
{
	if (!(period_s > 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a positive period, got %g s", period_s);
	*rate_hz = 1.0 / period_s;
	return TFIT_OK;
}

enum tfit_status tfit_cost_battery(const struct tfit_cost_result *r,
				   const struct tfit_battery_req *req,
				   double dev_sleep_power_mw,
				   struct tfit_battery_result *out, struct tfit_error *err)
{
	double sleep_mw, awake_s, capacity_mwh;

	memset(out, 0, sizeof(*out));
	if (!r || !req)
		return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL,
				      "tfit_cost_battery: missing argument");
	if (!(req->rate_hz > 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a positive inference rate, got %g Hz", req->rate_hz);
	if (!(req->awake_s >= 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a non-negative awake time, got %g s", req->awake_s);
	if (!(req->capacity_mah > 0) || !(req->voltage_v > 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a battery such as 3000mAh@3.7V, got %g mAh at %g V",
				      req->capacity_mah, req->voltage_v);
	if (req->sleep_power_mw >= 0) {
		sleep_mw = req->sleep_power_mw;
		out->sleep_power_known = 1;
	} else if (dev_sleep_power_mw > 0) {
		sleep_mw = dev_sleep_power_mw;
		out->sleep_power_known = 1;
	} else {
		sleep_mw = 0;
		out->sleep_power_known = 0;
	}
	/* energy means active power x time: without the figure, no battery life */
	if (r->energy_basis != TFIT_ENERGY_PROFILE_POWER || !(r->power_mw > 0))
		return TFIT_OK;
	out->known = 1;
	/* awake for the window asked (--duty ON), at least for the inference */
	awake_s = r->latency_ms / 1000.0;
	if (req->awake_s > awake_s)
		awake_s = req->awake_s;
	out->duty = awake_s * req->rate_hz;
	out->feasible = out->duty <= 1.0;
	out->average_power_mw = r->power_mw * (out->feasible ? out->duty : 1.0) +
				sleep_mw * (out->feasible ? 1.0 - out->duty : 0.0);
	out->energy_per_hour_mwh = out->average_power_mw; /* mW over one hour = mWh */
	capacity_mwh = req->capacity_mah * req->voltage_v;
	if (out->feasible && out->average_power_mw > 0) {
		out->life_hours = capacity_mwh / out->average_power_mw;
		out->life_days = out->life_hours / 24.0;
	}
	return TFIT_OK;
}

enum tfit_status tfit_cost_deadline_ms(double rate_hz, double window_s, double window_samples,
				       double *deadline_ms, struct tfit_error *err)
{
	if (window_s > 0) {
		*deadline_ms = window_s * 1000.0;
		return TFIT_OK;
	}
	if (!(rate_hz > 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a positive rate or window, got rate %g Hz", rate_hz);
	if (window_samples > 0)
		*deadline_ms = window_samples / rate_hz * 1000.0;
	else
		*deadline_ms = 1000.0 / rate_hz;
	return TFIT_OK;
}

enum tfit_status tfit_cost_realtime_check(double latency_ms, double deadline_ms,
					  struct tfit_realtime_result *out,
					  struct tfit_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!(deadline_ms > 0))
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "expected a positive deadline, got %g ms", deadline_ms);
	out->deadline_ms = deadline_ms;
	out->latency_ms = latency_ms;
	out->pass = latency_ms <= deadline_ms;
	out->margin_ms = deadline_ms - latency_ms;
	out->margin_pct = out->margin_ms / deadline_ms * 100.0;
	out->utilization = latency_ms / deadline_ms;
	return TFIT_OK;
}
