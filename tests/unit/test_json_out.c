/*
 * test_json_out.c - numbers in JSON output (src/report/json_out.h): a
 * non-finite value is never written as a number; an infinity (an overflow)
 * becomes null with a "<key>_reason" beside it, a NaN (a value not known,
 * documented per field) a plain null; finite values keep their decimals.
 */
#include <math.h>
#include <stdlib.h>

#include "tfit_test.h"
#include "report/json_out.h"

int main(void)
{
	cJSON *o = cJSON_CreateObject();
	char *text;
	tfit_jo_num(o, "a_ms", INFINITY, 4);
	tfit_jo_num(o, "b_mj", -INFINITY, 4);
	tfit_jo_num(o, "c_ms", NAN, 4);
	tfit_jo_num(o, "d_ms", 1.5, 2);
	CHECK(tfit_jo_nonfinite(o, "e", 2.0) == 0);
	text = cJSON_PrintUnformatted(o);
	CHECK_STR(text, "{\"a_ms\":null,\"a_ms_reason\":\"" TFIT_JO_INF_REASON "\","
			"\"b_mj\":null,\"b_mj_reason\":\"" TFIT_JO_NEG_INF_REASON "\","
			"\"c_ms\":null,\"d_ms\":1.50}");
	free(text);
	cJSON_Delete(o);
	return tfit_test_finish();
}
