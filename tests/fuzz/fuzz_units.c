/*
 * fuzz_units.c - libFuzzer harness for the unit parsers of units.h (sizes,
 * percentages, durations, frequencies) and the printers fed with what they
 * parse. The input is made a NUL-terminated string (the parsers take C
 * strings, as the CLI gets them from argv).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[64];
	uint64_t bytes;
	double d;
	if (size > 4096)
		return 0; /* an option value; longer inputs test nothing new */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (tfit_units_parse_bytes(s, &bytes) == 0) {
		tfit_units_format_bytes(bytes, buf, sizeof(buf));
		tfit_units_format_count(bytes, buf, sizeof(buf));
		tfit_units_format_int(bytes, buf, sizeof(buf));
		/* small buffers truncate, never overflow */
		tfit_units_format_bytes(bytes, buf, 3);
		tfit_units_format_int(bytes, buf, 2);
	}
	if (tfit_units_parse_percent(s, &d) == 0 && !(d >= 0 && d <= 100))
		abort(); /* the documented range */
	if (tfit_units_parse_ms(s, &d) == 0) {
		if (!(d > 0))
			abort();
		tfit_units_format_ms(d, buf, sizeof(buf));
		tfit_units_format_ms(d, buf, 4);
	}
	if (tfit_units_parse_hz(s, &d) == 0 && !(d > 0))
		abort();
	free(s);
	return 0;
}
