/* Stand-in for ruy's profiler header: TFLM's reference mul.h includes it,
 * and without RUY_PROFILER ruy's own ScopeLabel does nothing either. */
#ifndef KC_RUY_STUB_H
#define KC_RUY_STUB_H
namespace ruy { namespace profiler {
class ScopeLabel {
 public:
  template <typename... Args> explicit ScopeLabel(Args...) {}
};
} }
#endif
