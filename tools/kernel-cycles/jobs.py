"""jobs.py - turn one grid entry (an op and its shape) into a kc_job in the
emulator's memory, with TFLM's output size and padding rules
(tensorflow/lite/kernels/padding.h) and deterministic pseudo-random data."""
import random
import struct

OPS = ('conv', 'dwconv', 'fc', 'avgpool', 'maxpool', 'softmax', 'add', 'mul')


def out_pad(size, k, stride, dil, padding):
    eff = (k - 1) * dil + 1
    if padding == 'same':
        out = (size + stride - 1) // stride
    else:
        out = (size - eff) // stride + 1
    total = max(0, (out - 1) * stride + eff - size)
    return out, total // 2


def complete(s):
    """Fill the derived fields (output size, padding) of a grid entry."""
    s = dict(s)
    for k, v in (('n', 1), ('h', 1), ('w', 1), ('kh', 1), ('kw', 1), ('sh', 1), ('sw', 1),
                 ('dh', 1), ('dw', 1), ('ch_mult', 1), ('padding', 'valid'), ('oc', 0)):
        s.setdefault(k, v)
    if s['op'] in ('conv', 'dwconv', 'avgpool', 'maxpool'):
        dil = (s['dh'], s['dw']) if s['op'] in ('conv', 'dwconv') else (1, 1)
        s['oh'], s['ph'] = out_pad(s['h'], s['kh'], s['sh'], dil[0], s['padding'])
        s['ow'], s['pw'] = out_pad(s['w'], s['kw'], s['sw'], dil[1], s['padding'])
    else:
        s['oh'], s['ow'], s['ph'], s['pw'] = s['h'], s['w'], 0, 0
    return s


def rnd_bytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def place(m, s, seed=1, scratch_bytes=0):
    """Write the job for entry s into machine m; return the job's address.
    scratch_bytes: at least this much scratch (measure_qemu.py: CMSIS-NN's MVE
    buffers, e.g. 4 x 124 x taps for arm_depthwise_conv_s8_opt, exceed the
    DSP-sized default)."""
    rng = random.Random(seed)
    op = s['op']
    n, h, w, c = s['n'], s['h'], s['w'], s['c']
    oc = s['c'] * s['ch_mult'] if op == 'dwconv' else (s['oc'] or c)
    m.reset_heap()
    in_elems = n * h * w * c
    if op == 'conv':
        filt = oc * s['kh'] * s['kw'] * c
    elif op == 'dwconv':
        filt = s['kh'] * s['kw'] * oc
    elif op == 'fc':
        filt = oc * c
    else:
        filt = 0
    out_elems = n * s['oh'] * s['ow'] * (oc if op in ('conv', 'dwconv', 'fc') else c)
    a_in = m.alloc(rnd_bytes(rng, in_elems))
    a_in2 = m.alloc(rnd_bytes(rng, in_elems)) if op in ('add', 'mul') else 0
    a_filt = m.alloc(rnd_bytes(rng, filt)) if filt else 0
    nb = oc if op in ('conv', 'dwconv', 'fc') else 0
    a_bias = m.alloc(struct.pack('<%di' % nb, *[rng.randint(-2000, 2000) for _ in range(nb)])) \
        if nb else 0
    a_out = m.alloc(max(out_elems, 4))
    # per-channel requantisation as TFLM's converter produces: multiplier in
    # [2^30, 2^31), shift around -8
    a_mult = m.alloc(struct.pack('<%di' % nb, *[rng.randint(1 << 30, (1 << 31) - 1)
                                                for _ in range(nb)])) if nb else 0
    a_shift = m.alloc(struct.pack('<%di' % nb, *[rng.randint(-10, -6) for _ in range(nb)])) \
        if nb else 0
    a_scratch = m.alloc(max(4 * 1024, 2 * c * s['kh'] * s['kw'] * 2 + 4 * oc + 64, scratch_bytes))
    p = [0] * 8
    if op == 'fc':
        p[:2] = [1518500250, -8]
    elif op == 'softmax':
        # TFLM softmax Prepare for input scale 1/16, beta 1: multiplier, left shift, diff_min
        p[:3] = [1073741824, 23, -248]
    elif op in ('add', 'mul'):
        # TFLM add.cc Prepare for two inputs of similar scale
        p[:6] = [1073741824, -1, 1181116006, -1, 1686980018, -19] if op == 'add' else \
            [0, 0, 0, 0, 1686980018, -8]
    act_min, act_max = -128, 127
    words = [n, h, w, c, oc, s['kh'], s['kw'], s['sh'], s['sw'], s['ph'], s['pw'], s['dh'],
             s['dw'], s['oh'], s['ow'], s['ch_mult'], act_min, act_max, 3, -5,
             a_in, a_in2, a_filt, a_bias, a_out, a_mult, a_shift, a_scratch] + p
    return m.alloc(struct.pack('<%di' % len(words), *words))
