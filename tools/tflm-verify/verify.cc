// verify.cc - run an original .tflite and tinyfit's optimised copy on the
// real TensorFlow Lite Micro (built on the host from the checkout given to
// run.sh) and print one JSON object: each model's head (non-persistent
// bytes, RecordingMicroAllocator), tail, arena_used_bytes(), the smallest
// 16-byte multiple arena with which AllocateTensors() succeeds (bisection,
// a fresh interpreter per trial), and whether Invoke() at exactly that
// arena gives byte-identical outputs for both models on N random inputs.
//
// Usage: tflm_verify ORIGINAL.tflite OPTIMISED.tflite [N [GRANULE [MIN_O MIN_P]]]
//        tflm_verify --allocates MODEL.tflite ARENA
// GRANULE (default 16): the smallest arena is searched in steps of that many
// bytes (1: the exact byte count, as ../shared/models/TFLM-TRUTH.md).
// MIN_O MIN_P: the smallest arenas, found outside (run.sh, one process per
// trial, with --allocates: exit 0 when AllocateTensors() succeeds in ARENA
// bytes, 1 when it fails); no search then. run.sh does that when the
// in-process search crashes: some arenas just below the smallest make TFLM
// itself fault instead of failing (README.md, "TFLM faults").
// This file is tinyfit's; it links against TFLM, which is not in the repo.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/recording_micro_interpreter.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "tensorflow/lite/schema/schema_utils.h"
#include <string>

namespace {

using Resolver = tflite::MicroMutableOpResolver<64>;

void AddOps(Resolver& r) {
  r.AddAdd(); r.AddAveragePool2D(); r.AddConcatenation(); r.AddConv2D();
  r.AddDepthwiseConv2D(); r.AddDequantize(); r.AddFullyConnected();
  r.AddLogistic(); r.AddMaxPool2D(); r.AddMean(); r.AddMul(); r.AddPad();
  r.AddQuantize(); r.AddRelu(); r.AddRelu6(); r.AddReshape(); r.AddSoftmax();
  r.AddSqueeze(); r.AddStridedSlice(); r.AddSub(); r.AddTanh();
  r.AddExpandDims(); r.AddLeakyRelu(); r.AddHardSwish(); r.AddTranspose();
  // the other operators of ../shared/models: LSTM and SVDF models, SEANet's
  // transposed conv, the audio front end (TFLM's Signal library)
  r.AddCast(); r.AddDiv(); r.AddMaximum(); r.AddMinimum(); r.AddSvdf();
  r.AddTransposeConv(); r.AddUnidirectionalSequenceLSTM();
  r.AddWindow(); r.AddFftAutoScale(); r.AddRfft(); r.AddEnergy();
  r.AddFilterBank(); r.AddFilterBankSquareRoot();
  r.AddFilterBankSpectralSubtraction(); r.AddPCAN(); r.AddFilterBankLog();
}

std::vector<uint8_t> ReadFile(const char* path) {
  std::vector<uint8_t> v;
  FILE* f = fopen(path, "rb");
  if (!f) return v;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  v.resize(static_cast<size_t>(n));
  if (fread(v.data(), 1, v.size(), f) != v.size()) v.clear();
  fclose(f);
  return v;
}

// A 16-aligned copy (TFLM reads the flatbuffer in place).
struct Aligned {
  std::vector<uint8_t> raw;
  uint8_t* p = nullptr;
  explicit Aligned(size_t n) : raw(n + 16) {
    p = raw.data() + ((16 - (reinterpret_cast<uintptr_t>(raw.data()) & 15)) & 15);
  }
};

bool Allocates(const tflite::Model* m, size_t arena) {
  Aligned a(arena);
  Resolver r;
  AddOps(r);
  tflite::MicroInterpreter it(m, r, a.p, arena);
  return it.AllocateTensors() == kTfLiteOk;
}

struct Figures {
  size_t head = 0, tail = 0, used = 0, min_arena = 0;
  bool ok = false;
};

size_t granule = 16;  // the bisection's step (bytes)

// given_min: the smallest arena found outside (0: search it here)
Figures Measure(const tflite::Model* m, size_t given_min) {
  Figures f;
  const size_t big = 8u << 20;
  {
    Aligned a(big);
    Resolver r;
    AddOps(r);
    tflite::RecordingMicroInterpreter it(m, r, a.p, big);
    if (it.AllocateTensors() != kTfLiteOk) return f;
    const auto* s = it.GetMicroAllocator().GetSimpleMemoryAllocator();
    f.head = s->GetNonPersistentUsedBytes();
    f.tail = s->GetPersistentUsedBytes();
  }
  {
    Aligned a(big);
    Resolver r;
    AddOps(r);
    tflite::MicroInterpreter it(m, r, a.p, big);
    if (it.AllocateTensors() != kTfLiteOk) return f;
    f.used = it.arena_used_bytes();
  }
  if (given_min != 0) {
    f.min_arena = given_min;
    f.ok = true;
    return f;
  }
  size_t lo = 0, hi = big / granule;  // in granules: hi works, lo fails
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (Allocates(m, mid * granule)) hi = mid; else lo = mid;
  }
  f.min_arena = hi * granule;
  f.ok = true;
  return f;
}

uint32_t rng = 1;
uint32_t Next() { rng = rng * 1664525u + 1013904223u; return rng >> 8; }

void FillInput(TfLiteTensor* t, uint32_t seed) {
  rng = seed * 2654435761u + 1;
  if (t->type == kTfLiteFloat32) {
    float* d = t->data.f;
    for (size_t i = 0; i < t->bytes / 4; ++i)
      d[i] = static_cast<float>(Next() % 20001) / 10000.0f - 1.0f;
  } else {
    for (size_t i = 0; i < t->bytes; ++i) t->data.uint8[i] = static_cast<uint8_t>(Next());
  }
}

// Outputs of every output tensor, concatenated, for one input seed.
bool Run(const tflite::Model* m, size_t arena, uint32_t seed, std::vector<uint8_t>* out) {
  Aligned a(arena);
  Resolver r;
  AddOps(r);
  tflite::MicroInterpreter it(m, r, a.p, arena);
  if (it.AllocateTensors() != kTfLiteOk) return false;
  for (size_t i = 0; i < it.inputs_size(); ++i) FillInput(it.input(i), seed + 7919u * i);
  if (it.Invoke() != kTfLiteOk) return false;
  out->clear();
  for (size_t i = 0; i < it.outputs_size(); ++i) {
    TfLiteTensor* t = it.output(i);
    out->insert(out->end(), t->data.uint8, t->data.uint8 + t->bytes);
  }
  return true;
}

// The model's operators that AddOps does not register ("" = none): the
// reason AllocateTensors fails on a model using them.
std::string MissingOps(const tflite::Model* m) {
  Resolver r;
  AddOps(r);
  std::string s;
  if (!m->operator_codes()) return s;
  for (const auto* oc : *m->operator_codes()) {
    tflite::BuiltinOperator b = tflite::GetBuiltinCode(oc);
    bool found = b == tflite::BuiltinOperator_CUSTOM
                     ? (oc->custom_code() && r.FindOp(oc->custom_code()->c_str()))
                     : r.FindOp(b) != nullptr;
    if (found) continue;
    std::string n = b == tflite::BuiltinOperator_CUSTOM && oc->custom_code()
                        ? oc->custom_code()->str()
                        : tflite::EnumNameBuiltinOperator(b);
    if (s.find(n) == std::string::npos) s += (s.empty() ? "" : ",") + n;
  }
  return s;
}

void PrintFigures(const char* key, const Figures& f) {
  // %lu, not %zu: the 32-bit Arm build's newlib printf has no C99 formats
  printf("\"%s\": {\"head_bytes\": %lu, \"tail_bytes\": %lu, \"arena_used_bytes\": %lu, "
         "\"min_arena_bytes\": %lu}", key, static_cast<unsigned long>(f.head),
         static_cast<unsigned long>(f.tail), static_cast<unsigned long>(f.used),
         static_cast<unsigned long>(f.min_arena));
}

}  // namespace

#if defined(__arm__) && !defined(__linux__)
// The 32-bit Arm build (newlib, no OS): libstdc++'s and newlib's random
// sources reference getentropy(), which newlib leaves to the system; the
// verifier uses its own generator (Next) and never calls them.
extern "C" int getentropy(void*, size_t) { return -1; }
#endif

// A 16-aligned copy of a model file (TFLM reads the flatbuffer in place);
// false when it cannot be read.
bool Load(const char* path, std::vector<uint8_t>* raw, const tflite::Model** m) {
  std::vector<uint8_t> f = ReadFile(path);
  if (f.empty()) return false;
  raw->assign(f.size() + 16, 0);
  uint8_t* p = raw->data() + ((16 - (reinterpret_cast<uintptr_t>(raw->data()) & 15)) & 15);
  memcpy(p, f.data(), f.size());
  *m = tflite::GetModel(p);
  return true;
}

int main(int argc, char** argv) {
  if (argc == 4 && strcmp(argv[1], "--allocates") == 0) {
    std::vector<uint8_t> raw;
    const tflite::Model* m = nullptr;
    if (!Load(argv[2], &raw, &m)) {
      fprintf(stderr, "cannot read the model\n");
      return 2;
    }
    return Allocates(m, static_cast<size_t>(strtoul(argv[3], nullptr, 10))) ? 0 : 1;
  }
  if (argc < 3 || argc == 6 || argc > 7) {
    fprintf(stderr, "usage: %s ORIGINAL.tflite OPTIMISED.tflite [N [GRANULE [MIN_O MIN_P]]]\n"
            "       %s --allocates MODEL.tflite ARENA\n", argv[0], argv[0]);
    return 2;
  }
  int n = argc > 3 ? atoi(argv[3]) : 5;
  if (argc > 4 && atoi(argv[4]) > 0) granule = static_cast<size_t>(atoi(argv[4]));
  size_t min_a = argc > 6 ? strtoul(argv[5], nullptr, 10) : 0;
  size_t min_b = argc > 6 ? strtoul(argv[6], nullptr, 10) : 0;
  std::vector<uint8_t> ra, rb;
  const tflite::Model *a = nullptr, *b = nullptr;
  if (!Load(argv[1], &ra, &a) || !Load(argv[2], &rb, &b)) {
    fprintf(stderr, "cannot read the models\n");
    return 2;
  }
  Figures x = Measure(a, min_a), y = Measure(b, min_b);
  int identical = 0, invoked = 0;
  for (int s = 0; s < n && x.ok && y.ok; ++s) {
    std::vector<uint8_t> oa, ob;
    // each model at exactly its smallest working arena
    if (Run(a, x.min_arena, static_cast<uint32_t>(s), &oa) &&
        Run(b, y.min_arena, static_cast<uint32_t>(s), &ob)) {
      ++invoked;
      identical += (oa == ob);
    }
  }
  printf("{");
  PrintFigures("original", x);
  printf(", ");
  PrintFigures("optimised", y);
  printf(", \"allocate_ok\": %s, \"inputs\": %d, \"invoked\": %d, \"identical_outputs\": %d, "
         "\"missing_ops\": \"%s\"}\n",
         x.ok && y.ok ? "true" : "false", n, invoked, identical, MissingOps(a).c_str());
  return x.ok && y.ok && invoked == n && identical == n ? 0 : 1;
}
