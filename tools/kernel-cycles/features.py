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
# Armv8.1-M cores with MVE (Helium): gcc defines __ARM_FEATURE_MVE, so
# CMSIS-NN's arm_nn_math_types.h defines ARM_MATH_MVEI and every s8 kernel
# takes its MVE branch (measure_qemu.py, on QEMU's Cortex-M55; the M85 runs
# the same Armv8.1-M code)
MVE_CORES = ('cortex-m55', 'cortex-m85')
# arm_nnsupportfunctions.h: CH_IN_BLOCK_MVE, the channel block of
# arm_depthwise_conv_s8_opt's MVE branch
CH_IN_BLOCK_MVE = 124


def valid_taps(size, k, stride, pad, out, dil=1):
    """sum over output positions of the kernel positions inside the input (1-D)"""
    t = 0
    for o in range(out):
        start = o * stride - pad
        t += sum(1 for i in range(k) if 0 <= start + i * dil < size)
    return t


def cdiv(a, b):
    return -(-a // b)


def mve_1xn_fallback(s):
    """arm_convolve_1_x_n_s8.c (MVE): the left/right padding split does not
    cover the output row, so it calls arm_convolve_s8 (None: it does not)"""
    total_pad = (s['ow'] - 1) * s['sw'] + s['kw'] - s['w']
    asym = total_pad % 2
    right = max(1, cdiv(s['pw'] + asym, s['sw'])) if s['pw'] + asym else 0
    left = max(1, cdiv(s['pw'], s['sw'])) if s['pw'] else 0
    nopad = max(s['ow'] - right - left, 0)
    return right + nopad + left != s['ow'], (left, nopad, s['ow'] - left - nopad)


def mve_path(s):
    """CMSIS-NN's path with ARM_MATH_MVEI (arm_convolve_wrapper_s8.c,
    arm_depthwise_conv_wrapper_s8.c at the pinned commit)"""
    op = s['op']
    if op == 'conv':
        if (s['ph'] == 0 and s['pw'] == 0 and s['kh'] == 1 and s['kw'] == 1 and
                s['dh'] == 1 and s['dw'] == 1):
            return 'conv.1x1_fast' if s['sh'] == 1 and s['sw'] == 1 else 'conv.1x1'
        if (s['h'] == 1 and s['dw'] == 1 and s['kh'] == 1 and (s['sw'] * s['c']) % 4 == 0 and
                not mve_1xn_fallback(s)[0]):
            return 'conv.1xn'
        return 'conv.im2col'
    if op == 'dwconv':
        # one input channel, more than one output channel
        # (CONVERT_DW_CONV_WITH_ONE_INPUT_CH_AND_OUTPUT_CH_ABOVE_THRESHOLD is 1
        # with gcc): the filter is transposed and the op runs as a conv
        if s['c'] == 1 and s['c'] * s['ch_mult'] > 1:
            return 'dwconv.conv'
        if s['ch_mult'] == 1 and s['n'] == 1 and s['dh'] == 1 and s['dw'] == 1:
            return 'dwconv.opt'       # no 3x3 fast path under MVE
        if s['ch_mult'] % 4 == 0 and s['n'] == 1 and s['dh'] == 1 and s['dw'] == 1:
            return 'dwconv.mult4'
        return 'dwconv.generic'
    return op


def path(impl, s, core=None):
    op = s['op']
    dsp = core not in NO_DSP_CORES
    if impl == 'ref':
        return op
    if impl == 'cmsis_nn' and core in MVE_CORES:
        return mve_path(s)
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


def mve_matmul(f, calls):
    """arm_nn_mat_mult_nt_t_s8 with MVE, once per (R lhs rows, N rhs rows,
    K columns) of calls: lhs rows four at a time against each rhs row, the
    columns in one tail-predicated loop of 16 bytes (wlstp/letp), then the
    leftover lhs rows one at a time, requantised four outputs at a time
    with a scalar tail"""
    for k in ('q4k', 'q4', 'q4b', 'l1k', 'l1', 'l1q', 'l1t', 'l1b', 'call'):
        f.setdefault(k, 0)
    for R, N, K in calls:
        r4, rl, k16 = R // 4, R % 4, cdiv(K, 16)
        f['q4k'] += r4 * N * k16
        f['q4'] += r4 * N
        f['q4b'] += r4
        f['l1k'] += rl * N * k16
        f['l1'] += rl * N
        f['l1q'] += rl * (N // 4)
        f['l1t'] += rl * (N % 4)
        f['l1b'] += rl
        f['call'] += 1
    return f


def mve_features(s, p, f, P, VT, VR, T):
    """features of CMSIS-NN's MVE paths (mve_path)"""
    op, n, c = s['op'], s['n'], s['c']
    c16 = cdiv(c, 16)
    if op == 'conv' or p == 'dwconv.conv':
        outer = p
        if p == 'dwconv.conv':
            # arm_transpose_s8 of the filter on every call, then the conv
            # (a table of its own: the path is named after the depthwise op)
            C = c * s['ch_mult']
            f['tr'] = T * C
            s = dict(s, op='conv', oc=C, ch_mult=1)
            p = mve_path(s)
        N = s['oc']
        if p == 'conv.1x1_fast':
            mve_matmul(f, [(P, N, c)])
        elif p == 'conv.1x1':
            # one matrix product per output row
            mve_matmul(f, [(s['ow'], N, c)] * (n * s['oh']))
            f['row'] = n * s['oh']
        elif p == 'conv.1xn':
            # left-padded, unpadded and right-padded output columns, one
            # product each (the padded ones through an im2col buffer)
            parts = mve_1xn_fallback(s)[1]
            mve_matmul(f, [(r, N, s['kw'] * c) for r in parts for _ in range(n)])
            f['cpy16'] = n * cdiv(s['kw'] * c, 16)
        else:
            # im2col (s8) of four output pixels, then the product
            K = T * c
            calls = [(4, N, K)] * (P // 4) + ([(P % 4, N, K)] if P % 4 else [])
            mve_matmul(f, calls)
            f.update(tap=P * T, trow=P * s['kh'], vtap16=VT * c16, ptap16=(P * T - VT) * c16,
                     vtap=VT, pix=P)
        return outer, f
    if op == 'dwconv':
        C = c * s['ch_mult']
        if p == 'dwconv.opt':
            # channel blocks of CH_IN_BLOCK_MVE; per output pixel and tap a
            # copy or fill of the block (16 bytes per MVE iteration), then
            # four pixels at a time through arm_nn_depthwise_conv_nt_t_s8
            # (four channels per iteration over the taps), the leftover
            # pixels one by one
            blocks = [min(CH_IN_BLOCK_MVE, C - b) for b in range(0, C, CH_IN_BLOCK_MVE)]
            nb = len(blocks)
            b16 = sum(cdiv(a, 16) for a in blocks)
            b4 = sum(cdiv(a, 4) for a in blocks)
            f.update(tap=P * T * nb, vtap16=VT * b16, ptap16=(P * T - VT) * b16,
                     vtap=VT * nb, g4=(P // 4) * b4, g4t=(P // 4) * b4 * T,
                     call4=(P // 4) * nb, l4=(P % 4) * b4, l4t=(P % 4) * b4 * T,
                     trow=P * s['kh'] * nb, pix=P * nb, blk=nb)
            return p, f
        if p == 'dwconv.mult4':
            f.update(mac4=VT * (C // 4), vrow4=VR * (C // 4), tile=P * (C // 4), out=P * C,
                     pix=P)
            return p, f
        f.update(mac=VT * C, tap=P * C * T, vrow=VR * C, out=P * C, pix=P)
        return p, f
    if op == 'fc':
        # arm_nn_vec_mat_mult_t_s8 (MVE): weight rows four at a time, then
        # the leftover rows one at a time, columns 16 at a time with a tail
        # predicate (not unrolled: the counts follow ceil(K / 16) exactly),
        # each row loop with an entry cost when it runs at all
        N, K = s['oc'], c
        k16 = cdiv(K, 16)
        for name, rows in (('q', N // 4), ('l', N % 4)):
            f.update({name + '_k': n * rows * k16, name + '_0': n * rows,
                      name + '_f': n * (rows > 0)})
        f['row'] = n
        return p, f
    if op in ('avgpool', 'maxpool'):
        f.update(vtap16=VT * c16, vtap=VT, vrow16=VR * c16, vrow=VR, out16=P * c16, pix=P)
        return p, f
    if op == 'softmax':
        f.update(elem=n * c, elem16=n * c16, elem4=n * cdiv(c, 4), row=n)
        return p, f
    f.update(elem4=n * cdiv(c, 4), elem=n * c)
    return p, f


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
    if impl == 'cmsis_nn' and core in MVE_CORES:
        return mve_features(s, p, f, P, VT if op in ('conv', 'dwconv', 'avgpool', 'maxpool')
                            else 0, VR if op in ('conv', 'dwconv', 'avgpool', 'maxpool') else 0,
                            T if op in ('conv', 'dwconv', 'avgpool', 'maxpool') else 0)
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
