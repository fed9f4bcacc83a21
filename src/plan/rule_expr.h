/*
 * rule_expr.h - the small expression language of runtime profiles
 * (docs/runtime-format.md): integer arithmetic over an op's tensors and
 * options, used for kernel persistent data and scratch sizes and for the
 * conditions that select them. Internal to src/plan/.
 *
 * Grammar (C precedence): a ? b : c, ||, &&, == !=, < <= > >=, + -, * / %,
 * unary - and !, parentheses, integers, names, and the functions max(a,b),
 * min(a,b), align(x,a) (round x up to a multiple of a), ceil_div(a,b).
 * Names: in<K>_<f> and out<K>_<f> for the K-th input/output tensor with f
 * one of present, type, const, var, rank, elems, bytes, qch (scale count),
 * qdim, last (last dim), d0..d7 (dims from the front; 0 past the rank),
 * h, w, c (dims 1, 2, 3 of a 4-D NHWC tensor); n_in, n_out; op options
 * stride_h, stride_w, dil_h, dil_w, filter_h, filter_w, depth_mult,
 * pad_same, act, units, svdf_rank, time_major, axis; dtype constants f32,
 * f16, f64, bf16, i4, i8, u8, i16, u16, i32, u32, i64, u64, bool8.
 * Values are int64; overflow and division by zero are evaluation errors;
 * ?: evaluates only the branch it takes.
 *
 * Ownership: a compiled expression is freed with tfit_rule_expr_free()
 * (NULL-safe).
 */
#ifndef TINYFIT_RULE_EXPR_H
#define TINYFIT_RULE_EXPR_H

#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"

struct tfit_rule_expr;

/*
 * Compile text; file and path (may be NULL) name the field for the error
 * message ("runtimes/tflm.json: kernels[3].scratch[0].bytes: error: unknown
 * name 'in_c' at column 4"). Errors: TFIT_ERR_INPUT, TFIT_ERR_LIMIT (nesting
 * deeper than 64 or text over 4096 characters), TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_rule_expr_compile(const char *text, const char *file,
					const char *path, struct tfit_rule_expr **out,
					struct tfit_error *err);

/* A compiled constant (for fields given as JSON numbers). */
enum tfit_status tfit_rule_expr_const(int64_t v, struct tfit_rule_expr **out,
				      struct tfit_error *err);

/*
 * Evaluate for op `op` of subgraph `sg`. Errors: TFIT_ERR_INPUT naming the
 * expression on overflow or division by zero.
 */
enum tfit_status tfit_rule_expr_eval(const struct tfit_rule_expr *e,
				     const struct tfit_subgraph *sg,
				     const struct tfit_op *op, int64_t *out,
				     struct tfit_error *err);

/* The source text (for messages). */
const char *tfit_rule_expr_text(const struct tfit_rule_expr *e);

void tfit_rule_expr_free(struct tfit_rule_expr *e);

/* A deep copy of e into *out (NULL for NULL); 0, or -1 out of memory. */
int tfit_rule_expr_clone(const struct tfit_rule_expr *e, struct tfit_rule_expr **out);

#endif
