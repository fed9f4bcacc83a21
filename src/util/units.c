/* units.c - strict unit parsing and human printing (see units.h). */
#include "tinyfit/units.h"
#include "tinyfit/checked.h"
#include "util/numeric.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Split "12.5KiB" into mantissa 125, scale 10 (10^digits after the point) and
 * the unit "KiB". Only [0-9]+(\.[0-9]+)? then an optional single space then
 * the unit; no sign, no exponent, no leading/trailing junk.
 */
static int split_number(const char *text, uint64_t *mantissa, uint64_t *scale,
			const char **unit)
{
	const char *p = text;
	uint64_t m = 0, s = 1;
	int digits = 0;

	if (!text)
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (tfit_mul_u64(m, 10, &m) != TFIT_OK ||
		    tfit_add_u64(m, (uint64_t)(*p - '0'), &m) != TFIT_OK)
			return -1;
		p++;
		digits++;
	}
	if (digits == 0)
		return -1;
	if (*p == '.') {
		int frac = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (tfit_mul_u64(m, 10, &m) != TFIT_OK ||
			    tfit_add_u64(m, (uint64_t)(*p - '0'), &m) != TFIT_OK ||
			    tfit_mul_u64(s, 10, &s) != TFIT_OK)
				return -1;
			p++;
			frac++;
		}
		if (frac == 0)
			return -1;
	}
	if (*p == ' ')
		p++;
	*mantissa = m;
	*scale = s;
	*unit = p;
	return 0;
}

/* The number part only: split_number without the optional space. */
static int split_plain(const char *text, uint64_t *m, uint64_t *s, const char **end)
{
	if (split_number(text, m, s, end) != 0)
		return -1;
	if (*end != text && (*end)[-1] == ' ')
		(*end)--;
	return 0;
}

int tfit_units_parse_decimal_prefix(const char *text, double *out, const char **end)
{
	uint64_t m, s;
	if (split_plain(text, &m, &s, end) != 0)
		return -1;
	*out = (double)m / (double)s;
	return 0;
}

int tfit_units_parse_decimal(const char *text, double lo, double hi, double *out)
{
	double v;
	const char *end;
	if (tfit_units_parse_decimal_prefix(text, &v, &end) != 0 || *end)
		return -1;
	if (!(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

int tfit_units_parse_uint(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t m, s;
	const char *end;
	if (split_plain(text, &m, &s, &end) != 0 || *end || s != 1)
		return -1;
	if (m < lo || m > hi)
		return -1;
	*out = m;
	return 0;
}

struct unit_row {
	const char *name;
	uint64_t mult;
};

int tfit_units_parse_bytes(const char *text, uint64_t *bytes)
{
	/* Case matters: "kB" is 1000, "KiB"/"K" are 1024; "mb" is rejected. */
	static const struct unit_row units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1024ULL }, { "KiB", 1024ULL }, { "kB", 1000ULL }, { "KB", 1000ULL },
		{ "M", 1024ULL * 1024 }, { "MiB", 1024ULL * 1024 }, { "MB", 1000ULL * 1000 },
		{ "G", 1024ULL * 1024 * 1024 }, { "GiB", 1024ULL * 1024 * 1024 },
		{ "GB", 1000ULL * 1000 * 1000 },
	};
	uint64_t m, s, v;
	const char *unit;
	size_t i;

	if (split_number(text, &m, &s, &unit) != 0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].name) != 0)
			continue;
		if (unit != text && unit[-1] == ' ' && units[i].name[0] == '\0')
			return -1; /* "12 " */
		if (tfit_mul_u64(m, units[i].mult, &v) != TFIT_OK)
			return -1;
		if (v % s != 0)
			return -1; /* not a whole number of bytes */
		*bytes = v / s;
		return 0;
	}
	return -1;
}

static int parse_real(const char *text, double *value, const char **unit)
{
	uint64_t m, s;
	if (split_number(text, &m, &s, unit) != 0)
		return -1;
	*value = (double)m / (double)s;
	return 0;
}

int tfit_units_parse_percent(const char *text, double *percent)
{
	double v;
	const char *unit;
	if (parse_real(text, &v, &unit) != 0 || strcmp(unit, "%") != 0)
		return -1;
	if (unit[-1] == ' ')
		return -1;
	if (v > 100.0)
		return -1;
	*percent = v;
	return 0;
}

struct real_unit {
	const char *name;
	double mult;
};

/* A positive number with one of the units (no default unit). */
static int parse_real_unit(const char *text, const struct real_unit *units, size_t n,
			   double *out)
{
	double v;
	const char *unit;
	size_t i;
	if (parse_real(text, &v, &unit) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(unit, units[i].name) == 0) {
			if (!(v > 0.0))
				return -1;
			*out = v * units[i].mult;
			return 0;
		}
	}
	return -1;
}

int tfit_units_parse_ms(const char *text, double *ms)
{
	static const struct real_unit units[] = {
		{ "us", 1e-3 }, { "ms", 1.0 }, { "s", 1000.0 }, { "min", 60000.0 },
	};
	return parse_real_unit(text, units, sizeof(units) / sizeof(units[0]), ms);
}

int tfit_units_parse_hz(const char *text, double *hz)
{
	static const struct real_unit units[] = {
		{ "Hz", 1.0 }, { "kHz", 1e3 }, { "MHz", 1e6 },
	};
	return parse_real_unit(text, units, sizeof(units) / sizeof(units[0]), hz);
}

int tfit_units_parse_clock_mhz(const char *text, double *mhz)
{
	static const struct real_unit units[] = {
		{ "kHz", 1e-3 }, { "MHz", 1.0 }, { "GHz", 1e3 },
	};
	double v;
	if (parse_real_unit(text, units, sizeof(units) / sizeof(units[0]), &v) != 0 || v > 1e5)
		return -1;
	*mhz = v;
	return 0;
}

char *tfit_units_format_bytes(uint64_t bytes, char *buf, size_t buf_size)
{
	const double kib = 1024.0, mib = kib * 1024.0, gib = mib * 1024.0;
	double b = (double)bytes;
	if (bytes < 1024)
		snprintf(buf, buf_size, "%llu B", (unsigned long long)bytes);
	else if (b < mib)
		snprintf(buf, buf_size, "%.2f KiB", b / kib);
	else if (b < gib)
		snprintf(buf, buf_size, "%.2f MiB", b / mib);
	else
		snprintf(buf, buf_size, "%.2f GiB", b / gib);
	return buf;
}

char *tfit_units_format_count(uint64_t n, char *buf, size_t buf_size)
{
	double v = (double)n;
	if (n < 1000)
		snprintf(buf, buf_size, "%llu", (unsigned long long)n);
	else if (v < 1e6)
		snprintf(buf, buf_size, "%.2f k", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, buf_size, "%.2f M", v / 1e6);
	else
		snprintf(buf, buf_size, "%.2f G", v / 1e9);
	return buf;
}

char *tfit_units_format_ms(double ms, char *buf, size_t buf_size)
{
	if (!isfinite(ms))
		snprintf(buf, buf_size, "n/a");
	else if (ms < 1.0)
		snprintf(buf, buf_size, "%.3f ms", ms);
	else if (ms < 1000.0)
		snprintf(buf, buf_size, "%.1f ms", ms);
	else
		snprintf(buf, buf_size, "%.2f s", ms / 1000.0);
	return buf;
}

char *tfit_units_format_int(uint64_t n, char *buf, size_t buf_size)
{
	char raw[32];
	size_t len, i, k = 0, first;
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)n);
	len = strlen(raw);
	first = len % 3 ? len % 3 : 3;
	for (i = 0; i < len && k + 2 < buf_size; i++) {
		if (i >= first && (i - first) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = raw[i];
	}
	if (buf_size)
		buf[k < buf_size ? k : buf_size - 1] = '\0';
	return buf;
}

char *tfit_units_format_sig(double v, int sig, char *buf, size_t buf_size)
{
	int e, decimals;
	char *dot, *end;
	if (sig < 1)
		sig = 1;
	if (!isfinite(v)) {
		snprintf(buf, buf_size, "%s", isnan(v) ? "n/a" : v > 0 ? "inf" : "-inf");
		return buf;
	}
	if (v == 0.0) {
		snprintf(buf, buf_size, "0");
		return buf;
	}
	/* %g's significant digits, but never its exponent: the decimals that
	 * leave sig digits after the leading one (none above 10^sig); a value
	 * that %.*e rounds up (9.9996 -> 10.00) keeps its digit count */
	{
		char probe[64];
		snprintf(probe, sizeof(probe), "%.*e", sig - 1, v);
		e = atoi(strchr(probe, 'e') + 1);
	}
	decimals = sig - 1 - e;
	if (decimals < 0) {
		/* 6812.4 at 3 digits: 6810, as %g's 6.81e+03 */
		double scale = tfit_pow10(-decimals);
		v = tfit_round(v / scale) * scale;
		decimals = 0;
	}
	if (decimals > 340)
		decimals = 340;
	snprintf(buf, buf_size, "%.*f", decimals, v);
	/* trim trailing zeros after the point, and the point itself, as %g */
	dot = strchr(buf, '.');
	if (dot) {
		end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	return buf;
}
