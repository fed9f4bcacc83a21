/* harness_espnn.c - calls ESP-NN's s8 kernels the way esp-tflite-micro's
 * tensorflow/lite/micro/kernels/esp_nn/{conv,depthwise_conv,fully_connected,
 * pooling,softmax,add,mul}.cc Eval functions do on a chip that builds the
 * generic optimisations (ESP32, ESP32-C3: include/esp_nn.h selects
 * esp_nn_generic_opt.h for every target but the S3 and P4), one call per
 * batch, with the shapes and buffers of a kc_job. The _opt / _ansi names
 * are the ones esp_nn_generic_opt.h maps the public names to. */
#include "esp_nn_ansi_headers.h"
#include "harness.h"

/* esp_nn_softmax_opt.c prints an error when no scratch buffer is set; it
 * always is here, so the call is never made. */
int printf(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

static void dims(data_dims_t *d, int32_t w, int32_t h, int32_t c, int32_t extra)
{
    d->width = w; d->height = h; d->channels = c; d->extra = extra;
}

/* the parameter blocks esp-tflite-micro's conv.cc and depthwise_conv.cc fill */
static void conv_params(conv_params_t *cp, const kc_job *j)
{
    cp->in_offset = j->in_off; cp->out_offset = j->out_off;
    cp->stride.width = j->sw; cp->stride.height = j->sh;
    cp->padding.width = j->pw; cp->padding.height = j->ph;
    cp->dilation.width = j->dw; cp->dilation.height = j->dh;
    cp->activation.min = j->act_min; cp->activation.max = j->act_max;
}

static void dw_params(dw_conv_params_t *cp, const kc_job *j)
{
    cp->in_offset = j->in_off; cp->out_offset = j->out_off; cp->ch_mult = j->ch_mult;
    cp->stride.width = j->sw; cp->stride.height = j->sh;
    cp->padding.width = j->pw; cp->padding.height = j->ph;
    cp->dilation.width = j->dw; cp->dilation.height = j->dh;
    cp->activation.min = j->act_min; cp->activation.max = j->act_max;
}

int32_t kc_espnn_conv(const kc_job *j)
{
    data_dims_t id, fd, od;
    conv_params_t cp;
    quant_data_t q = {(int32_t *)j->shift, (int32_t *)j->mult};
    int32_t b, in_size = j->h * j->w * j->c, out_size = j->oh * j->ow * j->oc;
    conv_params(&cp, j);
    dims(&id, j->w, j->h, j->c, 1);
    dims(&fd, j->kw, j->kh, j->c, j->oc);
    dims(&od, j->ow, j->oh, j->oc, 1);
    esp_nn_set_conv_scratch_buf_opt(j->scratch);
    for (b = 0; b < j->n; b++)
        esp_nn_conv_s8_opt(&id, (const int8_t *)j->in + b * in_size, &fd, j->filt, j->bias, &od,
                           (int8_t *)j->out + b * out_size, &cp, &q);
    return 0;
}

int32_t kc_espnn_dwconv(const kc_job *j)
{
    data_dims_t id, fd, od;
    dw_conv_params_t cp;
    quant_data_t q = {(int32_t *)j->shift, (int32_t *)j->mult};
    int32_t oc = j->c * j->ch_mult;
    int32_t b, in_size = j->h * j->w * j->c, out_size = j->oh * j->ow * oc;
    dw_params(&cp, j);
    dims(&id, j->w, j->h, j->c, 1);
    dims(&fd, j->kw, j->kh, oc, 1);
    dims(&od, j->ow, j->oh, oc, 1);
    esp_nn_set_depthwise_conv_scratch_buf_opt(j->scratch);
    for (b = 0; b < j->n; b++)
        esp_nn_depthwise_conv_s8_opt(&id, (const int8_t *)j->in + b * in_size, &fd, j->filt,
                                     j->bias, &od, (int8_t *)j->out + b * out_size, &cp, &q);
    return 0;
}

/* ESP-NN's ANSI C convolutions (esp_nn_conv_s8_ansi,
 * esp_nn_depthwise_conv_s8_ansi): what the esp-nn README's kernel tables
 * time as "ANSI C" on the ESP32-P4 and ESP32-S3 (measure_ansi.py) */
int32_t kc_ansi_conv(const kc_job *j)
{
    data_dims_t id, fd, od;
    conv_params_t cp;
    quant_data_t q = {(int32_t *)j->shift, (int32_t *)j->mult};
    conv_params(&cp, j);
    dims(&id, j->w, j->h, j->c, 1);
    dims(&fd, j->kw, j->kh, j->c, j->oc);
    dims(&od, j->ow, j->oh, j->oc, 1);
    esp_nn_conv_s8_ansi(&id, j->in, &fd, j->filt, j->bias, &od, j->out, &cp, &q);
    return 0;
}

int32_t kc_ansi_dwconv(const kc_job *j)
{
    data_dims_t id, fd, od;
    dw_conv_params_t cp;
    quant_data_t q = {(int32_t *)j->shift, (int32_t *)j->mult};
    int32_t oc = j->c * j->ch_mult;
    dw_params(&cp, j);
    dims(&id, j->w, j->h, j->c, 1);
    dims(&fd, j->kw, j->kh, oc, 1);
    dims(&od, j->ow, j->oh, oc, 1);
    esp_nn_depthwise_conv_s8_ansi(&id, j->in, &fd, j->filt, j->bias, &od, j->out, &cp, &q);
    return 0;
}

/* per-tensor quantisation, weights zero point 0 (filter_offset 0) */
int32_t kc_espnn_fc(const kc_job *j)
{
    int32_t b;
    for (b = 0; b < j->n; b++)
        esp_nn_fully_connected_s8_ansi((const int8_t *)j->in + b * j->c, j->in_off, j->c,
                                       j->filt, 0, j->bias, (int8_t *)j->out + b * j->oc, j->oc,
                                       j->out_off, j->p[1], j->p[0], j->act_min, j->act_max);
    return 0;
}

int32_t kc_espnn_avgpool(const kc_job *j)
{
    int32_t b, in_size = j->h * j->w * j->c, out_size = j->oh * j->ow * j->c;
    for (b = 0; b < j->n; b++)
        esp_nn_avg_pool_s8_ansi((const int8_t *)j->in + b * in_size, j->w, j->h,
                                (int8_t *)j->out + b * out_size, j->ow, j->oh, j->sw, j->sh,
                                j->kw, j->kh, j->pw, j->ph, j->act_min, j->act_max, j->c);
    return 0;
}

int32_t kc_espnn_maxpool(const kc_job *j)
{
    int32_t b, in_size = j->h * j->w * j->c, out_size = j->oh * j->ow * j->c;
    for (b = 0; b < j->n; b++)
        esp_nn_max_pool_s8_ansi((const int8_t *)j->in + b * in_size, j->w, j->h,
                                (int8_t *)j->out + b * out_size, j->ow, j->oh, j->sw, j->sh,
                                j->kw, j->kh, j->pw, j->ph, j->act_min, j->act_max, j->c);
    return 0;
}

int32_t kc_espnn_softmax(const kc_job *j)
{
    esp_nn_set_softmax_scratch_buf_opt(j->scratch);
    esp_nn_softmax_s8_opt(j->in, j->n, j->c, j->p[0], j->p[1], j->p[2], j->out);
    return 0;
}

/* TFLM add.cc's left shift of 20 for int8 */
int32_t kc_espnn_add(const kc_job *j)
{
    esp_nn_add_elementwise_s8_ansi(j->in, j->in2, j->in_off, j->in_off, j->p[0], j->p[2],
                                   j->p[1], j->p[3], 20, j->out, j->out_off, j->p[4], j->p[5],
                                   j->act_min, j->act_max, j->n * j->c);
    return 0;
}

int32_t kc_espnn_mul(const kc_job *j)
{
    esp_nn_mul_elementwise_s8_ansi(j->in, j->in2, j->in_off, j->in_off, j->out, j->out_off,
                                   j->p[4], j->p[5], j->act_min, j->act_max, j->n * j->c);
    return 0;
}

/* picolibc's abort() (which TFLM's TFLITE_ABORT calls) needs these; no
 * kernel call reaches them (a run that did would never return). */
void _exit(int code)
{
    (void)code;
    for (;;)
        ;
}

int getpid(void)
{
    return 1;
}

int kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    return -1;
}

/* assert() in a build without NDEBUG (the reference kernels as ESP-IDF
 * builds them by default); never reached by a kernel call that returns. */
void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    (void)file;
    (void)line;
    (void)func;
    (void)expr;
    for (;;)
        ;
}
