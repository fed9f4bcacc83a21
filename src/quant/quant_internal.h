/* quant_internal.h - shared by the files of src/quant/ only. */
#ifndef TINYFIT_QUANT_INTERNAL_H
#define TINYFIT_QUANT_INTERNAL_H

#include "tinyfit/quant.h"

/* The integer range of a quantized dtype (int4/int8/uint8/int16/int32); 0 when none. */
int tfit_quant_dtype_limits(enum tfit_dtype d, double *lo, double *hi);

/* Append a finding (message formatted); -1 on OOM. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 6, 7)))
#endif
int tfit_quant_add_finding(struct tfit_quant_model_report *rep, enum tfit_quant_finding_kind kind,
		      int severity, int32_t tensor, int32_t op, const char *fmt, ...);

/* int16 activations: which of the model's ops TFLM has an int16 kernel for
 * (quant_kernels.c). -1 on OOM. */
int tfit_quant_int16_findings(const struct tfit_model *m, struct tfit_quant_model_report *rep);

#endif
