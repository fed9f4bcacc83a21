/* harness_cmsis.c - calls CMSIS-NN's s8 kernels the way TFLM's
 * tensorflow/lite/micro/kernels/cmsis_nn/*.cc Eval functions do, one call
 * per harness function, with the shapes and buffers of a kc_job. */
#include "arm_nnfunctions.h"
#include "harness.h"

static void dims(cmsis_nn_dims *d, int32_t n, int32_t h, int32_t w, int32_t c)
{
    d->n = n; d->h = h; d->w = w; d->c = c;
}

int32_t kc_cmsis_conv(const kc_job *j)
{
    cmsis_nn_context ctx = {j->scratch, 0};
    cmsis_nn_conv_params cp;
    cmsis_nn_per_channel_quant_params q = {(int32_t *)j->mult, (int32_t *)j->shift};
    cmsis_nn_dims id, fd, bd, od;
    cp.input_offset = j->in_off; cp.output_offset = j->out_off;
    cp.stride.h = j->sh; cp.stride.w = j->sw;
    cp.padding.h = j->ph; cp.padding.w = j->pw;
    cp.dilation.h = j->dh; cp.dilation.w = j->dw;
    cp.activation.min = j->act_min; cp.activation.max = j->act_max;
    dims(&id, j->n, j->h, j->w, j->c);
    dims(&fd, j->oc, j->kh, j->kw, j->c);
    dims(&bd, 1, 1, 1, j->oc);
    dims(&od, j->n, j->oh, j->ow, j->oc);
    ctx.size = arm_convolve_wrapper_s8_get_buffer_size(&cp, &id, &fd, &od);
    return arm_convolve_wrapper_s8(&ctx, &cp, &q, &id, j->in, &fd, j->filt, &bd, j->bias, &od,
                                   j->out);
}

int32_t kc_cmsis_dwconv(const kc_job *j)
{
#if defined(KC_CMSIS_TF23)
    /* TensorFlow v2.3's kernels/cmsis-nn/depthwise_conv.cc (build.py
     * CMSIS_VERSIONS tf-v2.3.1): arm_depthwise_conv_s8_opt for a channel
     * multiplier of 1, arm_depthwise_conv_s8 otherwise, the flat-argument
     * API of CMSIS_5 1150e71e, the scratch buffer only for the first */
    int32_t oc = j->c * j->ch_mult;
    if (j->ch_mult == 1)
        return arm_depthwise_conv_s8_opt(
            j->in, j->w, j->h, j->c, j->filt, j->c, j->kw, j->kh, j->pw, j->ph, j->sw, j->sh,
            j->bias, j->out, j->shift, j->mult, j->ow, j->oh, j->out_off, j->in_off, j->act_min,
            j->act_max, j->dw, j->dh, (q15_t *)j->scratch);
    return arm_depthwise_conv_s8(j->in, j->w, j->h, j->c, j->filt, oc, j->ch_mult, j->kw, j->kh,
                                 j->pw, j->ph, j->sw, j->sh, j->bias, j->out, j->shift, j->mult,
                                 j->ow, j->oh, j->out_off, j->in_off, j->act_min, j->act_max,
                                 j->dw, j->dh, 0);
#else
    cmsis_nn_context ctx = {j->scratch, 0};
    cmsis_nn_dw_conv_params cp;
    cmsis_nn_per_channel_quant_params q = {(int32_t *)j->mult, (int32_t *)j->shift};
    cmsis_nn_dims id, fd, bd, od;
    int32_t oc = j->c * j->ch_mult;
    cp.input_offset = j->in_off; cp.output_offset = j->out_off;
    cp.ch_mult = j->ch_mult;
    cp.stride.h = j->sh; cp.stride.w = j->sw;
    cp.padding.h = j->ph; cp.padding.w = j->pw;
    cp.dilation.h = j->dh; cp.dilation.w = j->dw;
    cp.activation.min = j->act_min; cp.activation.max = j->act_max;
    dims(&id, j->n, j->h, j->w, j->c);
    dims(&fd, 1, j->kh, j->kw, oc);
    dims(&bd, 1, 1, 1, oc);
    dims(&od, j->n, j->oh, j->ow, oc);
    ctx.size = arm_depthwise_conv_wrapper_s8_get_buffer_size(&cp, &id, &fd, &od);
    return arm_depthwise_conv_wrapper_s8(&ctx, &cp, &q, &id, j->in, &fd, j->filt, &bd, j->bias,
                                         &od, j->out);
#endif
}

/* TFLM: per-tensor quantisation, arm_fully_connected_wrapper_s8 (the
 * 1x1-conv route TFLM takes for >2-D outputs is not used by these models). */
int32_t kc_cmsis_fc(const kc_job *j)
{
#if defined(KC_CMSIS_TF23)
    /* TensorFlow v2.3's cmsis-nn/fully_connected.cc: the flat-argument
     * arm_fully_connected_s8 of CMSIS_5 1150e71e, its Prepare's scratch */
    return arm_fully_connected_s8(j->in, j->filt, j->c, j->oc, j->n, j->in_off, 0, j->p[0],
                                  j->p[1], j->out_off, j->bias, j->out, j->act_min, j->act_max,
                                  (q15_t *)j->scratch);
#else
#if defined(ARM_MATH_MVEI)
    /* TFLM's fully_connected.cc (KERNELS_OPTIMIZED_FOR_SPEED, the Makefile's
     * default) computes the kernel sums once in Prepare and passes them as
     * ctx.buf; kc_cmsis_prepare fills them before the timed call */
    cmsis_nn_context ctx = {j->scratch, 0};
#else
    cmsis_nn_context ctx = {0, 0};
#endif
    cmsis_nn_fc_params fp;
    int32_t mult = j->p[0], shift = j->p[1];
    cmsis_nn_dims id, fd, bd, od;
    fp.input_offset = j->in_off; fp.filter_offset = 0; fp.output_offset = j->out_off;
    fp.activation.min = j->act_min; fp.activation.max = j->act_max;
    dims(&id, j->n, 1, 1, j->c);
    dims(&fd, j->c, 1, 1, j->oc);
    dims(&bd, 1, 1, 1, j->oc);
    dims(&od, j->n, 1, 1, j->oc);
#if defined(KC_CMSIS_FC_S8)
    /* CMSIS-NN of 2021 (build.py CMSIS_VERSIONS): no wrapper, per-tensor
     * parameters, as that era's TFLM fully_connected.cc calls it */
    {
        cmsis_nn_per_tensor_quant_params q = {mult, shift};
        return arm_fully_connected_s8(&ctx, &fp, &q, &id, j->in, &fd, j->filt, &bd, j->bias,
                                      &od, j->out);
    }
#else
    {
        cmsis_nn_quant_params q;
        q.multiplier = &mult; q.shift = &shift; q.is_per_channel = 0;
        return arm_fully_connected_wrapper_s8(&ctx, &fp, &q, &id, j->in, &fd, j->filt, &bd,
                                              j->bias, &od, j->out);
    }
#endif
#endif
}

/* What TFLM's Prepare computes once per op, before any Eval (not counted):
 * with MVE, fully_connected.cc's arm_vector_sum_s8 kernel sums. */
int32_t kc_cmsis_prepare(int32_t op, const kc_job *j)
{
#if defined(ARM_MATH_MVEI) && defined(KC_CMSIS_VSUM4)
    /* CMSIS-NN 12.4 (build.py CMSIS_VERSIONS): plain kernel sums; the
     * input offset is applied in the kernel */
    if (op == 2) /* fc, jobs.OPS */
        return arm_vector_sum_s8((int32_t *)j->scratch, j->c, j->oc, j->filt);
#elif defined(ARM_MATH_MVEI)
    if (op == 2) /* fc, jobs.OPS */
        return arm_vector_sum_s8((int32_t *)j->scratch, j->c, j->oc, j->filt, j->in_off, 0,
                                 (const int32_t *)j->bias);
#endif
    (void)op;
    (void)j;
    return 0;
}

static int32_t pool(const kc_job *j, int avg)
{
#if defined(KC_CMSIS_TF23)
    /* TensorFlow v2.3's cmsis-nn/pooling.cc: arm_avgpool_s8 and
     * arm_max_pool_s8_opt, flat arguments (CMSIS_5 1150e71e) */
    if (avg)
        return arm_avgpool_s8(j->h, j->w, j->oh, j->ow, j->sh, j->sw, j->kh, j->kw, j->ph, j->pw,
                              j->act_min, j->act_max, j->c, j->in, j->scratch, j->out);
    return arm_max_pool_s8_opt(j->h, j->w, j->oh, j->ow, j->sh, j->sw, j->kh, j->kw, j->ph,
                               j->pw, j->act_min, j->act_max, j->c, j->in, j->scratch, j->out);
#else
    cmsis_nn_context ctx = {j->scratch, 0};
    cmsis_nn_pool_params pp;
    cmsis_nn_dims id, fd, od;
    pp.stride.h = j->sh; pp.stride.w = j->sw;
    pp.padding.h = j->ph; pp.padding.w = j->pw;
    pp.activation.min = j->act_min; pp.activation.max = j->act_max;
    dims(&id, j->n, j->h, j->w, j->c);
    dims(&fd, 1, j->kh, j->kw, 1);
    dims(&od, j->n, j->oh, j->ow, j->c);
    if (avg) {
        ctx.size = arm_avgpool_s8_get_buffer_size(j->ow, j->c);
        return arm_avgpool_s8(&ctx, &pp, &id, j->in, &fd, &od, j->out);
    }
    return arm_max_pool_s8(&ctx, &pp, &id, j->in, &fd, &od, j->out);
#endif
}

int32_t kc_cmsis_avgpool(const kc_job *j) { return pool(j, 1); }
int32_t kc_cmsis_maxpool(const kc_job *j) { return pool(j, 0); }

/* p: input multiplier, input left shift, diff_min (TFLM softmax Prepare) */
int32_t kc_cmsis_softmax(const kc_job *j)
{
    arm_softmax_s8(j->in, j->n, j->c, j->p[0], j->p[1], j->p[2], j->out);
    return 0;
}

/* p: in1 mult, in1 shift, in2 mult, in2 shift, out mult, out shift; left
 * shift 20 and in2 offset = in offset as TFLM's add.cc passes them. */
int32_t kc_cmsis_add(const kc_job *j)
{
    return arm_elementwise_add_s8(j->in, j->in2, j->in_off, j->p[0], j->p[1], j->in_off, j->p[2],
                                  j->p[3], 20, j->out, j->out_off, j->p[4], j->p[5], j->act_min,
                                  j->act_max, j->c);
}

int32_t kc_cmsis_mul(const kc_job *j)
{
    return arm_elementwise_mul_s8(j->in, j->in2, j->in_off, j->in_off, j->out, j->out_off,
                                  j->p[4], j->p[5], j->act_min, j->act_max, j->c);
}
