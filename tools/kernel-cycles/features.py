"""features.py - the code path a kernel takes for a shape and the loop-trip
features its instruction count is linear in. src/cost/kernel_shape.c
computes the same (tests/unit/test_kernel_cost.c checks both against the
recorded counts); keep the two in step.

Paths follow CMSIS-NN's wrappers at the pinned commit
(arm_convolve_wrapper_s8.c, arm_depthwise_conv_wrapper_s8.c) for the
non-MVE cores; TFLM's reference kernels have one path per op. Cores without
the DSP extension (CMSIS-NN's ARM_MATH_DSP, set from __ARM_FEATURE_DSP in
arm_nn_math_types.h) take CMSIS-NN's plain-C branches, which differ in two
places: arm_depthwise_conv_s8_opt.c falls back to arm_depthwise_conv_s8.c
(the generic loop, as ch_mult is 1), and arm_nn_vec_mat_mult_t_s8.c takes
three weight rows at a time with columns one by one (path 'fc.nodsp')."""

# Cortex-M cores without the DSP extension (Arm's Technical Reference
# Manuals: Armv6-M, Armv7-M without the DSP extension, Armv8-M baseline)
NO_DSP_CORES = ('cortex-m0', 'cortex-m0plus', 'cortex-m1', 'cortex-m3', 'cortex-m23')
# RV32IMC builds (measure_rv32.py)
RV32_CORES = ('riscv32',)


def valid_taps(size, k, stride, pad, out, dil=1):
    """sum over output positions of the kernel positions inside the input (1-D)"""
    t = 0
    for o in range(out):
        start = o * stride - pad
        t += sum(1 for i in range(k) if 0 <= start + i * dil < size)
    return t


def path(impl, s, core=None):
    op = s['op']
    dsp = core not in NO_DSP_CORES
    if impl == 'ref':
        return op
    if impl == 'esp_nn':
        # ESP-NN's generic kernels (esp_nn_generic_opt.h: ESP32, ESP32-C3):
        # esp_nn_conv_s8_opt takes esp_nn_conv_s8_1x1 for a 1x1 filter
        # (whatever the stride), else its own loop nest; the depthwise
        # kernel has a channel-multiplier-1 loop and a general one.
        if op == 'conv':
            return 'conv.1x1' if s['kh'] == 1 and s['kw'] == 1 else 'conv.opt'
        if op == 'dwconv':
            return 'dwconv.m1' if s['ch_mult'] == 1 else 'dwconv.mult'
        return op
    if op == 'conv':
        if (s['ph'] == 0 and s['pw'] == 0 and s['kh'] == 1 and s['kw'] == 1 and
                s['dh'] == 1 and s['dw'] == 1):
            return 'conv.1x1_fast' if s['sh'] == 1 and s['sw'] == 1 else 'conv.1x1'
        if s['h'] == 1 and s['dw'] == 1 and s['kh'] == 1 and (s['sw'] * s['c']) % 4 == 0:
            return 'conv.1xn'
        return 'conv.im2col'
    if op == 'dwconv':
        if s['ch_mult'] == 1 and s['n'] == 1 and s['dh'] == 1 and s['dw'] == 1:
            if s['kh'] == 3 and s['kw'] == 3 and s['ph'] <= 1 and s['pw'] <= 1:
                return 'dwconv.3x3'
            # without DSP, arm_depthwise_conv_s8_opt calls arm_depthwise_conv_s8
            return 'dwconv.opt' if dsp else 'dwconv.generic'
        # arm_depthwise_conv_s8.c: depthwise_conv_s8_mult_4 or the generic loop
        if s['ch_mult'] % 4 == 0 and s['n'] == 1 and s['dh'] == 1 and s['dw'] == 1:
            return 'dwconv.mult4'
        return 'dwconv.generic'
    if op == 'fc' and not dsp:
        return 'fc.nodsp'
    return op


def matmul(R, N, K):
    """loop trips of a 2 x 2 blocked s8 matrix product (R lhs rows, N rhs rows,
    K columns unrolled by 16 and 4, leftovers one by one): CMSIS-NN's
    arm_nn_mat_mult_nt_t_s8, arm_nn_mat_mult_kernel_s8_s16 and
    arm_nn_vec_mat_mult_t_s8 all have this shape"""
    r2, rl, n2, nl = R // 2, R % 2, N // 2, N % 2
    k16, k4, k1 = K // 16, (K % 16) // 4, K % 4
    return {'b16': r2 * n2 * k16, 'b4': r2 * n2 * k4, 'b1': r2 * n2 * k1, 'b0': r2 * n2,
            'rl16': rl * n2 * k16, 'rl4': rl * n2 * k4, 'rl1': rl * n2 * k1, 'rl0': rl * n2,
            'nl16': nl * R * k16, 'nl4': nl * R * k4, 'nl1': nl * R * k1, 'nl0': nl * R,
            'col': N * K, 'ch': N, 'pix': R}


def features(impl, s, core=None):
    """(path, {feature: value}) for grid entry s (completed by jobs.complete)
    on core (None: a core with the DSP extension)."""
    p = path(impl, s, core)
    op = s['op']
    n, c = s['n'], s['c']
    P = n * s['oh'] * s['ow']
    f = {'one': 1}
    if op in ('conv', 'dwconv', 'avgpool', 'maxpool'):
        dil = (s['dh'], s['dw']) if op in ('conv', 'dwconv') else (1, 1)
        vy = valid_taps(s['h'], s['kh'], s['sh'], s['ph'], s['oh'], dil[0])
        vx = valid_taps(s['w'], s['kw'], s['sw'], s['pw'], s['ow'], dil[1])
        VT = n * vy * vx                  # valid kernel taps over all output pixels
        VR = n * vy * s['ow']             # valid kernel rows over all output pixels
        T = s['kh'] * s['kw']
    if impl == 'esp_nn' and op in ('conv', 'dwconv'):
        # channel loops unrolled by 4 in C, then the leftover channels
        # (esp_nn_conv_opt.c, esp_nn_depthwise_conv_opt.c)
        # the groups-of-4 loop and the leftover loop each cost an entry when
        # they run at all (m4f, m1f, vtap4f, vtap1f)
        if p == 'conv.1x1':
            N = s['oc']
            f.update(m4=P * N * (c // 4), m1=P * N * (c % 4), m4f=P * N * (c >= 4),
                     m1f=P * N * (c % 4 > 0), out=P * N, pix=P)
        elif p == 'conv.opt':
            N = s['oc']
            f.update(vtap4=VT * N * (c // 4), vtap1=VT * N * (c % 4), vtap4f=VT * N * (c >= 4),
                     vtap1f=VT * N * (c % 4 > 0), vtap=VT * N, vrow=VR * N, out=P * N, pix=P)
        elif p == 'dwconv.m1':
            f.update(vtap4=VT * (c // 4), vtap1=VT * (c % 4), vrow4=VR * (c // 4),
                     vrow1=VR * (c % 4), out4=P * (c // 4), out1=P * (c % 4), pix=P)
        else:
            m = s['ch_mult']
            f.update(vtap4=VT * c * (m // 4), vtap1=VT * c * (m % 4), vrow4=VR * c * (m // 4),
                     vrow1=VR * c * (m % 4), out4=P * c * (m // 4), out1=P * c * (m % 4),
                     chan=P * c, pix=P)
        return p, f
    if op == 'conv':
        N = s['oc']
        if impl == 'ref':
            f.update(mac=VT * N * c, tap=P * N * T, vtap=VT * N, trow=P * N * s['kh'],
                     out=P * N, pix=P)
            return p, f
        if p in ('conv.1x1_fast', 'conv.1x1'):
            f.update(matmul(P, N, c))
        elif p == 'conv.1xn':
            f.update(matmul(P, N, s['kw'] * c))
        else:
            K = T * c
            f.update(matmul(P, N, K))
            # im2col: a memcpy or memset of c bytes per tap, then s8 -> s16
            f.update(tap=P * T, trow=P * s['kh'], vtap=VT, vbyte=VT * c, pbyte=(P * T - VT) * c,
                     cvt4=P * (K // 4), cvt1=P * (K % 4))
        return p, f
    if op == 'dwconv':
        C = c * s['ch_mult']
        if impl == 'ref' or p == 'dwconv.generic':
            f.update(mac=VT * C, tap=P * C * T, vrow=VR * C, out=P * C, pix=P)
            if core in RV32_CORES and impl == 'ref':
                # RV32 code of the reference loop: a cost per filter row,
                # valid or not (Cortex-M builds have none measurable)
                f['trow'] = P * C * s['kh']
            return p, f
        if p == 'dwconv.mult4':
            f.update(mac4=VT * (C // 4), vrow4=VR * (C // 4), tile=P * (C // 4), out=P * C, pix=P)
            return p, f
        if p == 'dwconv.3x3':
            f.update(vrow4=VR * (C // 4), vrow1=VR * (C % 4), vtap4=VT * (C // 4),
                     vtap1=VT * (C % 4), out4=P * (C // 4), out1=P * (C % 4), vrow=VR, pix=P)
            return p, f
        f.update(vtap=VT, vtap4=VT * (C // 4), vtap1=VT * (C % 4), pbyte=(P * T - VT) * C,
                 ptap=P * T - VT, mac4=P * (C // 4) * (T // 2), mac4o=P * (C // 4) * (T % 2),
                 mac1=P * (C % 4) * T, out4=P * (C // 4), out1=P * (C % 4), vrow=VR, pix=P)
        return p, f
    if op == 'fc':
        N, K = s['oc'], c
        if impl in ('ref', 'esp_nn'):
            f.update(mac=n * N * K, out=n * N, row=n)
            return p, f
        if p == 'fc.nodsp':
            # arm_nn_vec_mat_mult_t_s8 without DSP: three weight rows at a
            # time over all columns one by one, then the 0-2 leftover rows
            # one at a time (a branch per rhs_offset, the same loops)
            r3, r1 = N // 3, N % 3
            f.update(t_k=n * r3 * K, t_0=n * r3, l_k=n * r1 * K, l_0=n * r1, row=n)
            return p, f
        # arm_nn_vec_mat_mult_t_s8: weight rows two at a time (and a leftover
        # row), columns four at a time then one by one; the file is compiled
        # with "#pragma GCC optimize("unroll-loops")", which unrolls both
        # column loops by 8 behind a computed entry for the remainder
        k4, k1 = K // 4, K % 4
        for name, rows in (('p', N // 2), ('l', N % 2)):
            f.update({name + '_u': n * rows * (k4 // 8), name + '_r': n * rows * (k4 % 8),
                      name + '_rf': n * rows * (k4 % 8 > 0), name + '_k': n * rows * k1,
                      name + '_kf': n * rows * (k1 > 0), name + '_0': n * rows})
        f['row'] = n
        return p, f
    if op in ('avgpool', 'maxpool'):
        f.update(vtap=VT * c, vtap4=VT * (c // 4), vtap1=VT * (c % 4), out=P * c,
                 vrow=VR * c, pix=P, win=VT)
        return p, f
    if op == 'softmax':
        f.update(elem=n * c, row=n)
        return p, f
    # add, mul
    f.update(elem4=n * (c // 4), elem1=n * (c % 4), elem=n * c)
    return p, f
