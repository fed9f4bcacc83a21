// harness_ref.cc - calls TFLM's reference kernels (tensorflow/lite/kernels/
// internal/reference/...) with the template arguments and parameter blocks
// TFLM's tensorflow/lite/micro/kernels/{conv,depthwise_conv,fully_connected,
// pooling,softmax,add,mul}.cc use for int8 tensors.
#include "tensorflow/lite/kernels/internal/reference/integer_ops/add.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/conv.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/depthwise_conv.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/fully_connected.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/mul.h"
#include "tensorflow/lite/kernels/internal/reference/integer_ops/pooling.h"
#include "tensorflow/lite/kernels/internal/reference/softmax.h"

extern "C" {
#include "harness.h"
}

using tflite::RuntimeShape;

static RuntimeShape S(int32_t a, int32_t b, int32_t c, int32_t d) {
  const int32_t dims[4] = {a, b, c, d};
  return RuntimeShape(4, dims);
}
static RuntimeShape S(int32_t a, int32_t b) {
  const int32_t dims[2] = {a, b};
  return RuntimeShape(2, dims);
}
static RuntimeShape S(int32_t a) { return RuntimeShape(1, a); }

extern "C" int32_t kc_ref_conv(const kc_job* j) {
  tflite::ConvParams p = {};
  p.padding_values.height = j->ph;
  p.padding_values.width = j->pw;
  p.stride_height = j->sh;
  p.stride_width = j->sw;
  p.dilation_height_factor = j->dh;
  p.dilation_width_factor = j->dw;
  p.input_offset = j->in_off;
  p.output_offset = j->out_off;
  p.quantized_activation_min = j->act_min;
  p.quantized_activation_max = j->act_max;
  tflite::reference_integer_ops::ConvPerChannel(
      p, static_cast<const int32_t*>(j->mult),
      static_cast<const int32_t*>(j->shift), S(j->n, j->h, j->w, j->c),
      static_cast<const int8_t*>(j->in), S(j->oc, j->kh, j->kw, j->c),
      static_cast<const int8_t*>(j->filt), S(j->oc),
      static_cast<const int32_t*>(j->bias), S(j->n, j->oh, j->ow, j->oc),
      static_cast<int8_t*>(j->out));
  return 0;
}

extern "C" int32_t kc_ref_dwconv(const kc_job* j) {
  tflite::DepthwiseParams p = {};
  const int32_t oc = j->c * j->ch_mult;
  p.padding_values.height = j->ph;
  p.padding_values.width = j->pw;
  p.stride_height = j->sh;
  p.stride_width = j->sw;
  p.dilation_height_factor = j->dh;
  p.dilation_width_factor = j->dw;
  p.depth_multiplier = j->ch_mult;
  p.input_offset = j->in_off;
  p.output_offset = j->out_off;
  p.quantized_activation_min = j->act_min;
  p.quantized_activation_max = j->act_max;
  tflite::reference_integer_ops::DepthwiseConvPerChannel(
      p, static_cast<const int32_t*>(j->mult),
      static_cast<const int32_t*>(j->shift), S(j->n, j->h, j->w, j->c),
      static_cast<const int8_t*>(j->in), S(1, j->kh, j->kw, oc),
      static_cast<const int8_t*>(j->filt), S(oc),
      static_cast<const int32_t*>(j->bias), S(j->n, j->oh, j->ow, oc),
      static_cast<int8_t*>(j->out));
  return 0;
}

extern "C" int32_t kc_ref_fc(const kc_job* j) {
  tflite::FullyConnectedParams p = {};
  p.input_offset = j->in_off;
  p.weights_offset = 0;
  p.output_offset = j->out_off;
  p.output_multiplier = j->p[0];
  p.output_shift = j->p[1];
  p.quantized_activation_min = j->act_min;
  p.quantized_activation_max = j->act_max;
  tflite::reference_integer_ops::FullyConnected(
      p, S(j->n, j->c), static_cast<const int8_t*>(j->in),
      S(j->oc, j->c), static_cast<const int8_t*>(j->filt), S(j->oc),
      static_cast<const int32_t*>(j->bias), S(j->n, j->oc),
      static_cast<int8_t*>(j->out));
  return 0;
}

static tflite::PoolParams pool_params(const kc_job* j) {
  tflite::PoolParams p = {};
  p.stride_height = j->sh;
  p.stride_width = j->sw;
  p.filter_height = j->kh;
  p.filter_width = j->kw;
  p.padding_values.height = j->ph;
  p.padding_values.width = j->pw;
  p.quantized_activation_min = j->act_min;
  p.quantized_activation_max = j->act_max;
  return p;
}

extern "C" int32_t kc_ref_avgpool(const kc_job* j) {
  tflite::reference_integer_ops::AveragePool(
      pool_params(j), S(j->n, j->h, j->w, j->c), static_cast<const int8_t*>(j->in),
      S(j->n, j->oh, j->ow, j->c), static_cast<int8_t*>(j->out));
  return 0;
}

extern "C" int32_t kc_ref_maxpool(const kc_job* j) {
  tflite::reference_integer_ops::MaxPool(
      pool_params(j), S(j->n, j->h, j->w, j->c), static_cast<const int8_t*>(j->in),
      S(j->n, j->oh, j->ow, j->c), static_cast<int8_t*>(j->out));
  return 0;
}

extern "C" int32_t kc_ref_softmax(const kc_job* j) {
  tflite::SoftmaxParams p = {};
  p.input_multiplier = j->p[0];
  p.input_left_shift = j->p[1];
  p.diff_min = j->p[2];
  tflite::reference_ops::Softmax(p, S(j->n, j->c),
                                 static_cast<const int8_t*>(j->in), S(j->n, j->c),
                                 static_cast<int8_t*>(j->out));
  return 0;
}

static tflite::ArithmeticParams arith(const kc_job* j) {
  tflite::ArithmeticParams p = {};
  p.input1_offset = j->in_off;
  p.input2_offset = j->in_off;
  p.output_offset = j->out_off;
  p.left_shift = 20;
  p.input1_multiplier = j->p[0];
  p.input1_shift = j->p[1];
  p.input2_multiplier = j->p[2];
  p.input2_shift = j->p[3];
  p.output_multiplier = j->p[4];
  p.output_shift = j->p[5];
  p.quantized_activation_min = j->act_min;
  p.quantized_activation_max = j->act_max;
  return p;
}

extern "C" int32_t kc_ref_add(const kc_job* j) {
  const RuntimeShape s({1, j->c});
  tflite::reference_integer_ops::Add(arith(j), s, static_cast<const int8_t*>(j->in), s,
                                     static_cast<const int8_t*>(j->in2), s,
                                     static_cast<int8_t*>(j->out));
  return 0;
}

extern "C" int32_t kc_ref_mul(const kc_job* j) {
  const RuntimeShape s({1, j->c});
  tflite::reference_integer_ops::Mul(arith(j), s, static_cast<const int8_t*>(j->in), s,
                                     static_cast<const int8_t*>(j->in2), s,
                                     static_cast<int8_t*>(j->out));
  return 0;
}
