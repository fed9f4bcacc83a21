/* op_table.c - the operator descriptors, expanded from op_list.h. */
#include "tinyfit/ops.h"

#include <stdlib.h>
#include <string.h>

static const struct tfit_op_desc op_table[TFIT_OP_COUNT] = {
#define TFIT_OP(id, nm, code, keras, cost, an) \
	{ TFIT_OP_##id, nm, code, keras, TFIT_COST_##cost, TFIT_ANALYSIS_##an },
#include "tinyfit/op_list.h"
#undef TFIT_OP
};

const struct tfit_op_desc *tfit_op_desc(enum tfit_op_type type)
{
	if ((unsigned)type >= TFIT_OP_COUNT)
		return &op_table[TFIT_OP_UNKNOWN];
	return &op_table[type];
}

enum tfit_op_type tfit_op_from_tflite(int32_t builtin_code)
{
	/* Built once on first use: a direct map from builtin code to type. */
	enum { MAX_CODE = 256 };
	static signed short map[MAX_CODE];
	static int built;
	int i;
	if (!built) {
		for (i = 0; i < MAX_CODE; i++)
			map[i] = -1;
		for (i = 0; i < TFIT_OP_COUNT; i++)
			if (op_table[i].tflite_code >= 0 && op_table[i].tflite_code < MAX_CODE)
				map[op_table[i].tflite_code] = (signed short)i;
		built = 1;
	}
	if (builtin_code < 0 || builtin_code >= MAX_CODE || map[builtin_code] < 0)
		return TFIT_OP_UNKNOWN;
	return (enum tfit_op_type)map[builtin_code];
}

static int cmp_name_index(const void *a, const void *b)
{
	return strcmp(op_table[*(const unsigned char *)a].name,
		      op_table[*(const unsigned char *)b].name);
}

/*
 * By binary search over an index sorted by name, built once on first use
 * (the runtime profiles look up every kernel and code-size key: a linear
 * strcmp scan over the op list was about 5% of a `check`, issue #16).
 */
enum tfit_op_type tfit_op_from_name(const char *name)
{
	static unsigned char by_name[TFIT_OP_COUNT];
	static int built;
	size_t lo = 0, hi = TFIT_OP_COUNT;
	_Static_assert(TFIT_OP_COUNT <= 256, "the name index stores op types in a byte");
	if (!built) {
		int i;
		for (i = 0; i < TFIT_OP_COUNT; i++)
			by_name[i] = (unsigned char)i;
		qsort(by_name, TFIT_OP_COUNT, 1, cmp_name_index);
		built = 1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, op_table[by_name[mid]].name);
		if (c == 0)
			return (enum tfit_op_type)by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return TFIT_OP_COUNT;
}

const char *tfit_cost_class_name(enum tfit_cost_class c)
{
	switch (c) {
	case TFIT_COST_NONE: return "none";
	case TFIT_COST_CONV: return "conv";
	case TFIT_COST_DEPTHWISE: return "depthwise";
	case TFIT_COST_FC: return "fully_connected";
	case TFIT_COST_POOL: return "pool";
	case TFIT_COST_ELEMENTWISE: return "elementwise";
	case TFIT_COST_SOFTMAX: return "softmax";
	case TFIT_COST_RECURRENT: return "recurrent";
	case TFIT_COST_DATA_MOVE: return "data_move";
	case TFIT_COST_CLASS_COUNT: break;
	}
	return "none";
}
