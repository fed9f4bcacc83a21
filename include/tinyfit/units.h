/*
 * units.h - strict parsing and printing of sizes, percentages, durations,
 * frequencies.
 *
 * Conventions (docs/units.md): binary prefixes are 1024-based (KiB, MiB,
 * GiB; bare K, M, G are taken as KiB, MiB, GiB as embedded toolchains use
 * them); decimal ones are 1000-based (kB, MB, GB). A number with no unit is
 * bytes. Anything else is rejected: the caller turns a non-OK status into a
 * message naming the option or field.
 *
 * Printing always uses KiB/MiB/GiB (1024-based) and says so.
 */
#ifndef TINYFIT_UNITS_H
#define TINYFIT_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse a byte size: "1024", "1024B", "256KiB", "256K", "1.5MiB", "2MB",
 * "64kB", "1GiB". Fractions are allowed only when the result is a whole
 * number of bytes. Returns 0 and sets *bytes on success; -1 otherwise
 * (syntax, unknown unit, negative, or over 2^64-1).
 */
int tfit_units_parse_bytes(const char *text, uint64_t *bytes);

/*
 * The one grammar of every plain number on the command line (and of the
 * numbers inside sizes, percentages and durations): [0-9]+(\.[0-9]+)?.
 * No sign, no leading or trailing space, no exponent, no hex, no inf or
 * nan; the digits without the point must fit in 64 bits. Parse a decimal in [lo, hi] (both
 * finite); returns 0 and sets *out, -1 otherwise. A positive value below
 * 10^-19 cannot be written, so no denormal gets through.
 */
int tfit_units_parse_decimal(const char *text, double lo, double hi, double *out);

/* The same grammar without a fraction: an integer in [lo, hi]. */
int tfit_units_parse_uint(const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

/*
 * The decimal at the start of text, for compound values ("3000mAh@3.7V"):
 * sets *out and *end (the first character after the number); 0 or -1.
 */
int tfit_units_parse_decimal_prefix(const char *text, double *out, const char **end);

/* Parse a percentage "80%" or "80.5%" (0..100 inclusive; the % is required). */
int tfit_units_parse_percent(const char *text, double *percent);

/* Parse a duration "50ms", "1s", "250us", "2min" into milliseconds (> 0). */
int tfit_units_parse_ms(const char *text, double *ms);

/* Parse a frequency "2Hz", "16kHz", "1MHz" into hertz (> 0). */
int tfit_units_parse_hz(const char *text, double *hz);

/* Parse a clock "80MHz", "1.5GHz", "32768kHz" into MHz (> 0, at most
 * 100 GHz; the unit is required). */
int tfit_units_parse_clock_mhz(const char *text, double *mhz);

/*
 * Print bytes for humans into buf: "512 B", "12.50 KiB", "1.25 MiB",
 * "2.00 GiB" (two decimals above 1 KiB). Returns buf.
 */
char *tfit_units_format_bytes(uint64_t bytes, char *buf, size_t buf_size);

/* Print a count with SI suffix: "950", "12.3 k", "2.66 M", "1.20 G". */
char *tfit_units_format_count(uint64_t n, char *buf, size_t buf_size);

/* Print an exact integer with thousands separators: "2,656,768". */
char *tfit_units_format_int(uint64_t n, char *buf, size_t buf_size);

/* Print milliseconds: "0.123 ms", "12.3 ms", "1.23 s". */
char *tfit_units_format_ms(double ms, char *buf, size_t buf_size);

/*
 * Print v with sig significant digits like printf's %.*g, but never in
 * scientific notation: 0.0000198367 (not 1.98367e-05), 19270 (not
 * 1.927e+04); trailing zeros trimmed; "0" for zero, "n/a" for NaN. Every
 * text, Markdown, CSV and HTML number goes through it (docs/output.md).
 * buf needs up to 350 bytes for the extremes of a double (64 for values
 * between 1e-40 and 1e40). Returns buf.
 */
char *tfit_units_format_sig(double v, int sig, char *buf, size_t buf_size);

#endif
