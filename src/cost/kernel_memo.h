/*
 * kernel_memo.h - inside the cost module: what an estimate reads from a
 * struct tfit_cost_kernel_memo (cost.h). The memo sorts a model's ops into
 * classes of equal kernel shape once; an entry holds, for one
 * implementation x instructions core x build, each class's code path and
 * instructions, computed by tfit_kernel_path and tfit_kernel_instructions
 * exactly as an estimate without the memo computes them.
 */
#ifndef TINYFIT_COST_KERNEL_MEMO_H
#define TINYFIT_COST_KERNEL_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/cost.h"
#include "tinyfit/kernel_cost.h"

struct kernel_memo_entry;

/* The entry of memo for the implementation of runtime_id x core x build
 * (NULL: the release build), made on first use. NULL when memo is NULL, is
 * not m's (another model, or one with another op count), the runtime has
 * no kernel implementation, or memory ran out: the caller then computes
 * as without a memo. */
const struct kernel_memo_entry *tfit_kernel_memo_entry(struct tfit_cost_kernel_memo *memo,
						       const struct tfit_kernel_model *km,
						       const struct tfit_model *m,
						       const char *runtime_id, const char *core,
						       const char *build);

/* Op op of subgraph 0 in entry e: -1 when it has no kernel shape
 * (tfit_kernel_shape_of_op 0); else *path is its code path and the return
 * is 1 with *instructions when a table gives them, 0 when none does. */
int tfit_kernel_memo_op(const struct tfit_cost_kernel_memo *memo, const struct kernel_memo_entry *e,
			uint32_t op, const char **path, double *instructions);

/* How many entries memo holds and how many kernel shapes its model's
 * ops have (for tests). */
void tfit_kernel_memo_counts(const struct tfit_cost_kernel_memo *memo, size_t *n_entries,
			     size_t *n_classes);

#endif
