/* harness.h - the job block measure.py writes into the emulator's memory
 * before calling one of the harness functions. Every field is 32 bits. */
#ifndef KC_HARNESS_H
#define KC_HARNESS_H
#include <stdint.h>

typedef struct {
    int32_t n, h, w, c;       /* input: batches, height, width, channels */
    int32_t oc;               /* output channels (conv, fc) */
    int32_t kh, kw;           /* filter (conv) or pool window */
    int32_t sh, sw;           /* strides */
    int32_t ph, pw;           /* padding before (top, left) */
    int32_t dh, dw;           /* dilation */
    int32_t oh, ow;           /* output height, width */
    int32_t ch_mult;          /* depthwise channel multiplier */
    int32_t act_min, act_max; /* output clamp */
    int32_t in_off, out_off;  /* zero points (input offset = -zp as the kernels take it) */
    void *in, *in2, *filt, *bias, *out, *mult, *shift, *scratch;
    int32_t p[8];             /* op-specific scalars (multipliers, shifts) */
} kc_job;

#endif
