/* cli_timing.c - parsing the real-time and battery options (see cli_timing.h). */
#include "cli_timing.h"

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
			  struct tfit_timing_request *t)
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
