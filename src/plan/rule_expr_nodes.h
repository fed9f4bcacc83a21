/*
 * rule_expr_nodes.h - the compiled form of a runtime-profile expression:
 * a tree of nodes (rule_expr.c builds and evaluates it). Internal to
 * src/plan; also read by runtime_emit.c, which writes profiles as C
 * initialisers, and by the file it generates (the shipped profiles).
 */
#ifndef TINYFIT_RULE_EXPR_NODES_H
#define TINYFIT_RULE_EXPR_NODES_H

#include <stdint.h>

enum node_kind {
	N_CONST, N_VAR, N_NEG, N_NOT,
	N_ADD, N_SUB, N_MUL, N_DIV, N_MOD,
	N_LT, N_LE, N_GT, N_GE, N_EQ, N_NE, N_AND, N_OR,
	N_COND, N_MAX, N_MIN, N_ALIGN, N_CEIL_DIV
};

/* Tensor fields of in<K>_/out<K>_ names. */
enum tensor_field {
	F_PRESENT, F_TYPE, F_CONST, F_VAR, F_RANK, F_ELEMS, F_BYTES, F_QCH,
	F_QDIM, F_LAST, F_DIM
};

/* Op-level names. */
enum op_var {
	V_N_IN, V_N_OUT, V_STRIDE_H, V_STRIDE_W, V_DIL_H, V_DIL_W, V_FILTER_H,
	V_FILTER_W, V_DEPTH_MULT, V_PAD_SAME, V_ACT, V_UNITS, V_SVDF_RANK,
	V_TIME_MAJOR, V_AXIS
};

struct node {
	enum node_kind kind;
	int64_t value;            /* N_CONST */
	int is_tensor;            /* N_VAR: tensor field or op variable */
	int is_output;
	uint32_t index;           /* tensor operand index */
	enum tensor_field field;
	uint32_t dim;             /* F_DIM */
	enum op_var var;
	struct node *a, *b, *c;
};

struct tfit_rule_expr {
	char *text;
	struct node *root;
};

#endif
