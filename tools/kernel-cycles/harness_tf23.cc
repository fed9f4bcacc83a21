// harness_tf23.cc - the requantisation TensorFlow v2.3's
// tensorflow/lite/micro/kernels/cmsis-nn/*.cc recompute on every Eval (their
// Eval calls CalculateOpData, which the later TFLM does once in Prepare):
// the tensorflow/lite/kernels/kernel_util.cc and
// kernels/internal/quantization_util.cc calls of each op's CalculateOpData,
// with the tensors of a kc_job. Built only for the CMSIS-NN version
// tf-v2.3.1 (build.py CMSIS_VERSIONS), against that TensorFlow tree
// (measure.py --tf), with -Dtflite=kc_tf23 so that its functions do not meet
// the pinned TFLM's of harness_ref.cc in the link.
//
// Counted: the library calls (soft-float double arithmetic on a single-
// precision FPU). Not counted: the wrappers' own integer checks, the padding
// arithmetic and the tensor look-ups (a few tens of instructions an op).
#include "tensorflow/lite/c/builtin_op_data.h"
#include "tensorflow/lite/c/common.h"
#include "tensorflow/lite/kernels/internal/quantization_util.h"
#include "tensorflow/lite/kernels/kernel_util.h"

extern "C" {
#include "harness.h"
}

namespace {

// Scales as a converter writes them, deterministic: input 0.02, output
// 0.05, per-channel filter scales spread over [0.002, 0.006).
struct Tensors {
  TfLiteTensor input, filter, bias, output;
  TfLiteAffineQuantization in_q, filt_q, out_q;
  TfLiteContext context;
};

// a TfLiteFloatArray of n scales in the job's scratch (header + data)
TfLiteFloatArray* Scales(void* mem, int n, float first, float step) {
  TfLiteFloatArray* a = static_cast<TfLiteFloatArray*>(mem);
  a->size = n;
  for (int i = 0; i < n; ++i) a->data[i] = first + step * static_cast<float>((i * 37) % 64);
  return a;
}

void Setup(Tensors* t, const kc_job* j, int channels, bool depthwise = false) {
  *t = Tensors();
  char* mem = static_cast<char*>(j->scratch);
  t->input.type = t->filter.type = t->output.type = kTfLiteInt8;
  t->bias.type = kTfLiteInt32;
  t->input.params.scale = 0.02f;
  t->input.params.zero_point = -j->in_off;
  t->output.params.scale = 0.05f;
  t->output.params.zero_point = j->out_off;
  t->filt_q.scale = Scales(mem, channels, 0.002f, 0.0000625f);
  // the filter's shape: {oc, kh, kw, c}, or {1, kh, kw, c x mult} with the
  // channels in dimension 3 for a depthwise conv (the converter's layouts)
  TfLiteIntArray* dims = reinterpret_cast<TfLiteIntArray*>(mem + 4 * (channels + 6));
  dims->size = 4;
  dims->data[0] = depthwise ? 1 : channels;
  dims->data[1] = j->kh;
  dims->data[2] = j->kw;
  dims->data[3] = depthwise ? channels : j->c;
  t->filter.dims = dims;
  t->filt_q.quantized_dimension = depthwise ? 3 : 0;
  t->filter.quantization.type = kTfLiteAffineQuantization;
  t->filter.quantization.params = &t->filt_q;
  t->filter.params.scale = t->filt_q.scale->data[0];
  t->bias.params.scale = t->input.params.scale * t->filter.params.scale;
  t->in_q.scale = Scales(mem + 4 * (channels + 2), 1, t->input.params.scale, 0.0f);
  t->input.quantization.type = kTfLiteAffineQuantization;
  t->input.quantization.params = &t->in_q;
  t->out_q.scale = Scales(mem + 4 * (channels + 4), 1, t->output.params.scale, 0.0f);
  t->output.quantization.type = kTfLiteAffineQuantization;
  t->output.quantization.params = &t->out_q;
}

}  // namespace

// conv.cc and depthwise_conv.cc CalculateOpData: per output channel,
// QuantizeMultiplier(input scale x filter scale / output scale), then the
// activation range (ReLU, as the layers of kws, ic and ad mostly have)
static int32_t ConvQuant(const kc_job* j, bool depthwise) {
  Tensors t;
  const int channels = j->oc;  // jobs.py: c x ch_mult for a depthwise conv
  Setup(&t, j, channels, depthwise);
  int32_t multiplier, min, max;
  int shift;
  return tflite::PopulateConvolutionQuantizationParams(
      &t.context, &t.input, &t.filter, &t.bias, &t.output, kTfLiteActRelu, &multiplier,
      &shift, &min, &max, static_cast<int32_t*>(j->mult), static_cast<int*>(j->shift),
      channels);
}

extern "C" int32_t kc_eval_conv(const kc_job* j) { return ConvQuant(j, false); }
extern "C" int32_t kc_eval_dwconv(const kc_job* j) { return ConvQuant(j, true); }

// fully_connected.cc CalculateOpData: GetQuantizedConvolutionMultipler,
// QuantizeMultiplier, CalculateActivationRangeQuantized
extern "C" int32_t kc_eval_fc(const kc_job* j) {
  Tensors t;
  Setup(&t, j, 1);
  double real_multiplier = 0.0;
  int32_t multiplier, min, max;
  int exponent;
  TfLiteStatus s = tflite::GetQuantizedConvolutionMultipler(
      &t.context, &t.input, &t.filter, &t.bias, &t.output, &real_multiplier);
  tflite::QuantizeMultiplier(real_multiplier, &multiplier, &exponent);
  if (s == kTfLiteOk)
    s = tflite::CalculateActivationRangeQuantized(&t.context, kTfLiteActRelu, &t.output, &min,
                                                  &max);
  return s;
}

// add.cc CalculateOpData: three QuantizeMultiplierSmallerThanOneExp of
// double ratios of the scales (left shift 20), the activation range
extern "C" int32_t kc_eval_add(const kc_job* j) {
  Tensors t;
  Setup(&t, j, 1);
  const float s1 = t.input.params.scale, s2 = 0.025f;
  const double twice_max = 2 * static_cast<double>(s1 > s2 ? s1 : s2);
  int32_t m1, m2, mo, min, max;
  int sh1, sh2, sho;
  tflite::QuantizeMultiplierSmallerThanOneExp(static_cast<double>(s1) / twice_max, &m1, &sh1);
  tflite::QuantizeMultiplierSmallerThanOneExp(static_cast<double>(s2) / twice_max, &m2, &sh2);
  tflite::QuantizeMultiplierSmallerThanOneExp(
      twice_max / ((1 << 20) * static_cast<double>(t.output.params.scale)), &mo, &sho);
  return tflite::CalculateActivationRangeQuantized(&t.context, kTfLiteActNone, &t.output, &min,
                                                   &max);
}

// softmax.cc CalculateSoftmaxParams: PreprocessSoftmaxScaling (beta 1) and
// CalculateInputRadius
extern "C" int32_t kc_eval_softmax(const kc_job* j) {
  Tensors t;
  Setup(&t, j, 1);
  int32_t multiplier;
  int left_shift;
  tflite::PreprocessSoftmaxScaling(1.0, static_cast<double>(t.input.params.scale), 5,
                                   &multiplier, &left_shift);
  return -tflite::CalculateInputRadius(5, left_shift) > 0;
}
