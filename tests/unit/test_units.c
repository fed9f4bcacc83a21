/* Unit tests for src/util/units.c and checked.h. */
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/checked.h"
#include "tinyfit/units.h"

static void test_parse_bytes(void)
{
	uint64_t b = 0;
	CHECK(tfit_units_parse_bytes("1024", &b) == 0); CHECK_U64(b, 1024);
	CHECK(tfit_units_parse_bytes("1024B", &b) == 0); CHECK_U64(b, 1024);
	CHECK(tfit_units_parse_bytes("256KiB", &b) == 0); CHECK_U64(b, 262144);
	CHECK(tfit_units_parse_bytes("256K", &b) == 0); CHECK_U64(b, 262144);
	CHECK(tfit_units_parse_bytes("64kB", &b) == 0); CHECK_U64(b, 64000);
	CHECK(tfit_units_parse_bytes("2MB", &b) == 0); CHECK_U64(b, 2000000);
	CHECK(tfit_units_parse_bytes("1MiB", &b) == 0); CHECK_U64(b, 1048576);
	CHECK(tfit_units_parse_bytes("1.5MiB", &b) == 0); CHECK_U64(b, 1572864);
	CHECK(tfit_units_parse_bytes("1 GiB", &b) == 0); CHECK_U64(b, 1073741824ULL);
	CHECK(tfit_units_parse_bytes("0.1KiB", &b) != 0);   /* 102.4 bytes */
	CHECK(tfit_units_parse_bytes("-1KiB", &b) != 0);
	CHECK(tfit_units_parse_bytes("1kib", &b) != 0);
	CHECK(tfit_units_parse_bytes("1mb", &b) != 0);
	CHECK(tfit_units_parse_bytes("", &b) != 0);
	CHECK(tfit_units_parse_bytes("KiB", &b) != 0);
	CHECK(tfit_units_parse_bytes("12 ", &b) != 0);
	CHECK(tfit_units_parse_bytes("1e3", &b) != 0);
	CHECK(tfit_units_parse_bytes("18446744073709551615", &b) == 0);
	CHECK_U64(b, UINT64_MAX);
	CHECK(tfit_units_parse_bytes("18446744073709551616", &b) != 0);
	CHECK(tfit_units_parse_bytes("17179869184GiB", &b) != 0);
}

static void test_parse_other(void)
{
	double v = 0;
	CHECK(tfit_units_parse_percent("80%", &v) == 0); CHECK_NEAR(v, 80.0, 1e-12);
	CHECK(tfit_units_parse_percent("12.5%", &v) == 0); CHECK_NEAR(v, 12.5, 1e-12);
	CHECK(tfit_units_parse_percent("80", &v) != 0);
	CHECK(tfit_units_parse_percent("101%", &v) != 0);
	CHECK(tfit_units_parse_ms("50ms", &v) == 0); CHECK_NEAR(v, 50.0, 1e-12);
	CHECK(tfit_units_parse_ms("1s", &v) == 0); CHECK_NEAR(v, 1000.0, 1e-12);
	CHECK(tfit_units_parse_ms("250us", &v) == 0); CHECK_NEAR(v, 0.25, 1e-12);
	CHECK(tfit_units_parse_ms("0ms", &v) != 0);
	CHECK(tfit_units_parse_ms("5", &v) != 0);
	CHECK(tfit_units_parse_hz("16kHz", &v) == 0); CHECK_NEAR(v, 16000.0, 1e-9);
	CHECK(tfit_units_parse_hz("2Hz", &v) == 0); CHECK_NEAR(v, 2.0, 1e-12);
	CHECK(tfit_units_parse_hz("2hz", &v) != 0);
	CHECK(tfit_units_parse_clock_mhz("80MHz", &v) == 0); CHECK_NEAR(v, 80.0, 1e-12);
	CHECK(tfit_units_parse_clock_mhz("1.2GHz", &v) == 0); CHECK_NEAR(v, 1200.0, 1e-9);
	CHECK(tfit_units_parse_clock_mhz("32768kHz", &v) == 0); CHECK_NEAR(v, 32.768, 1e-12);
	CHECK(tfit_units_parse_clock_mhz("80", &v) != 0);     /* the unit is required */
	CHECK(tfit_units_parse_clock_mhz("80Hz", &v) != 0);
	CHECK(tfit_units_parse_clock_mhz("0MHz", &v) != 0);
	CHECK(tfit_units_parse_clock_mhz("-80MHz", &v) != 0);
	CHECK(tfit_units_parse_clock_mhz("101GHz", &v) != 0);
	CHECK(tfit_units_parse_clock_mhz("80 MHz", &v) == 0); /* one space, as for sizes */
	CHECK(tfit_units_parse_clock_mhz("80  MHz", &v) != 0);
}

static void test_format(void)
{
	char buf[32];
	CHECK_STR(tfit_units_format_bytes(0, buf, sizeof(buf)), "0 B");
	CHECK_STR(tfit_units_format_bytes(1023, buf, sizeof(buf)), "1023 B");
	CHECK_STR(tfit_units_format_bytes(1024, buf, sizeof(buf)), "1.00 KiB");
	CHECK_STR(tfit_units_format_bytes(22772, buf, sizeof(buf)), "22.24 KiB");
	CHECK_STR(tfit_units_format_bytes(1572864, buf, sizeof(buf)), "1.50 MiB");
	CHECK_STR(tfit_units_format_count(2656768, buf, sizeof(buf)), "2.66 M");
	CHECK_STR(tfit_units_format_count(999, buf, sizeof(buf)), "999");
	CHECK_STR(tfit_units_format_ms(181.9, buf, sizeof(buf)), "181.9 ms");
	/* %g's digits without its exponent */
	CHECK_STR(tfit_units_format_sig(6.94e-07, 3, buf, sizeof(buf)), "0.000000694");
	CHECK_STR(tfit_units_format_sig(1.98367e-05, 6, buf, sizeof(buf)), "0.0000198367");
	CHECK_STR(tfit_units_format_sig(1.927e+04, 4, buf, sizeof(buf)), "19270");
	CHECK_STR(tfit_units_format_sig(6812.4, 3, buf, sizeof(buf)), "6810");
	CHECK_STR(tfit_units_format_sig(9.9996, 4, buf, sizeof(buf)), "10");
	CHECK_STR(tfit_units_format_sig(-0.5, 6, buf, sizeof(buf)), "-0.5");
	CHECK_STR(tfit_units_format_sig(64, 6, buf, sizeof(buf)), "64");
	CHECK_STR(tfit_units_format_sig(2.51, 3, buf, sizeof(buf)), "2.51");
	CHECK_STR(tfit_units_format_sig(0.0, 3, buf, sizeof(buf)), "0");
}

static void test_checked(void)
{
	uint64_t r = 7;
	CHECK(tfit_mul_u64(1ULL << 32, 1ULL << 31, &r) == TFIT_OK); CHECK_U64(r, 1ULL << 63);
	r = 7;
	CHECK(tfit_mul_u64(1ULL << 32, 1ULL << 32, &r) == TFIT_ERR_LIMIT); CHECK_U64(r, 7);
	CHECK(tfit_add_u64(UINT64_MAX, 1, &r) == TFIT_ERR_LIMIT);
	CHECK(tfit_align_up_u64(17, 16, &r) == TFIT_OK); CHECK_U64(r, 32);
	CHECK(tfit_align_up_u64(32, 16, &r) == TFIT_OK); CHECK_U64(r, 32);
	CHECK(tfit_align_up_u64(UINT64_MAX - 3, 16, &r) == TFIT_ERR_LIMIT);
	CHECK(tfit_align_up_u64(5, 0, &r) == TFIT_ERR_LIMIT); /* no alignment */
	r = UINT64_MAX - 1;
	CHECK(tfit_acc_u64(&r, 1) == TFIT_OK); CHECK_U64(r, UINT64_MAX);
	CHECK(tfit_acc_u64(&r, 1) == TFIT_ERR_LIMIT); CHECK_U64(r, UINT64_MAX);
	CHECK_U64(tfit_sat_add_u64(UINT64_MAX, 5), UINT64_MAX);
}

/* The one numeric grammar of the command line (issue #17: ' -5' wrapped
 * to 2^64 - 5; inf, hex floats and denormals were accepted). */
static void test_parse_decimal(void)
{
	static const char *const bad[] = {
		"", " 5", "5 ", " -5", "-5", "+5", "-0", "inf", "nan", "INF", "0x10", "0x1p-2",
		"1e3", "1e-320", "4.9e-324", "1.", ".5", "1..2", "5x", "1,5",
		"99999999999999999999", "0.00000000000000000001", NULL
	};
	double d;
	uint64_t u;
	int i;
	for (i = 0; bad[i]; i++) {
		CHECK(tfit_units_parse_decimal(bad[i], 0, 1e300, &d) == -1);
		CHECK(tfit_units_parse_uint(bad[i], 0, UINT64_MAX, &u) == -1);
	}
	CHECK(tfit_units_parse_decimal("0.5", 0, 1, &d) == 0 && d == 0.5);
	CHECK(tfit_units_parse_decimal("2.5", 0, 1000, &d) == 0 && d == 2.5);
	CHECK(tfit_units_parse_decimal("1000.0", 0, 1000, &d) == 0 && d == 1000.0);
	CHECK(tfit_units_parse_decimal("1000.01", 0, 1000, &d) == -1);
	CHECK(tfit_units_parse_uint("18446744073709551615", 0, UINT64_MAX, &u) == 0);
	CHECK_U64(u, UINT64_MAX);
	CHECK(tfit_units_parse_uint("18446744073709551616", 0, UINT64_MAX, &u) == -1);
	CHECK(tfit_units_parse_uint("1.0", 0, 10, &u) == -1);
	CHECK(tfit_units_parse_uint("11", 0, 10, &u) == -1);
	CHECK(tfit_units_parse_uint("007", 0, 10, &u) == 0);
	CHECK_U64(u, 7);
	{
		const char *end;
		CHECK(tfit_units_parse_decimal_prefix("3000mAh@3.7V", &d, &end) == 0 && d == 3000.0);
		CHECK(strcmp(end, "mAh@3.7V") == 0);
		CHECK(tfit_units_parse_decimal_prefix("inf", &d, &end) == -1);
	}
}

int main(void)
{
	test_parse_decimal();
	test_parse_bytes();
	test_parse_other();
	test_format();
	test_checked();
	return tfit_test_finish();
}
