/*
 * The operator table's lookups: by name (binary search over a sorted index)
 * and by TFLite builtin code agree with the table itself for every op, and
 * miss cleanly.
 */
#include "tfit_test.h"
#include "tinyfit/ops.h"

static void test_by_name(void)
{
	int i;
	for (i = 0; i < TFIT_OP_COUNT; i++) {
		const struct tfit_op_desc *d = tfit_op_desc((enum tfit_op_type)i);
		CHECK_I64(tfit_op_from_name(d->name), i);
	}
	CHECK_I64(tfit_op_from_name("conv_2d"), TFIT_OP_CONV_2D);
	CHECK_I64(tfit_op_from_name(""), TFIT_OP_COUNT);
	CHECK_I64(tfit_op_from_name("conv_2"), TFIT_OP_COUNT);
	CHECK_I64(tfit_op_from_name("conv_2d "), TFIT_OP_COUNT);
	CHECK_I64(tfit_op_from_name("CONV_2D"), TFIT_OP_COUNT);
	CHECK_I64(tfit_op_from_name("zzzz"), TFIT_OP_COUNT);
	CHECK_I64(tfit_op_from_name("!"), TFIT_OP_COUNT);
}

static void test_by_code(void)
{
	int i;
	for (i = 0; i < TFIT_OP_COUNT; i++) {
		const struct tfit_op_desc *d = tfit_op_desc((enum tfit_op_type)i);
		if (d->tflite_code >= 0)
			CHECK_I64(tfit_op_desc(tfit_op_from_tflite(d->tflite_code))->tflite_code,
				  d->tflite_code);
	}
	CHECK_I64(tfit_op_from_tflite(-1), TFIT_OP_UNKNOWN);
	CHECK_I64(tfit_op_from_tflite(100000), TFIT_OP_UNKNOWN);
}

int main(void)
{
	test_by_name();
	test_by_code();
	return tfit_test_finish();
}
