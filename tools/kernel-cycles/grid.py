#!/usr/bin/env python3
"""grid.py - write the shape grid measure.py runs: every int8 conv,
depthwise conv, fully connected, pooling, softmax, add and mul op of the
models given (read by model_shapes, tinyfit's own .tflite reader), then
sweeps of channels, sizes, strides and kernel sizes that take each CMSIS-NN
code path with and without its leftovers.

usage: grid.py MODEL_SHAPES_BINARY MODEL.tflite ... > results/grid.json"""
import json
import subprocess
import sys


def sweeps():
    g = []
    # 1x1 stride 1: arm_convolve_1x1_s8_fast (channels % 4 == 0) or the generic path
    for c in (3, 4, 7, 8, 16, 17, 32, 64, 96):
        for oc in (8, 17, 32):
            for hw in (5, 8):
                g.append(dict(op='conv', h=hw, w=hw, c=c, oc=oc))
    # k x k convolutions: im2col + 2x2 mat-mult kernel, odd pixel counts and oc for leftovers
    for k, s, pad in ((3, 1, 'same'), (3, 2, 'same'), (5, 1, 'same'), (3, 1, 'valid')):
        for c in (1, 3, 4, 8, 16, 32):
            for oc in (8, 15, 16, 32):
                g.append(dict(op='conv', h=9, w=9, c=c, oc=oc, kh=k, kw=k, sh=s, sw=s,
                              padding=pad))
    # 1 x N (arm_convolve_1_x_n_s8) and N x 1 kernels of audio models
    for c in (1, 8, 16):
        for k in (3, 5, 8):
            g.append(dict(op='conv', h=1, w=32, c=c, oc=16, kh=1, kw=k, padding='valid'))
            g.append(dict(op='conv', h=32, w=1, c=c, oc=16, kh=k, kw=1, padding='valid'))
    # spatial size at fixed channels
    for hw in (4, 6, 10, 16, 24):
        g.append(dict(op='conv', h=hw, w=hw, c=8, oc=16, kh=3, kw=3, padding='same'))
        g.append(dict(op='conv', h=hw, w=hw, c=16, oc=16))
    # depthwise: 3x3 stride 1 fast path, the ch_mult 1 optimised path, generic
    for k, s in ((3, 1), (3, 2), (5, 1), (7, 1)):
        for c in (1, 3, 4, 8, 12, 16, 17, 32, 64, 128):
            g.append(dict(op='dwconv', h=10, w=10, c=c, kh=k, kw=k, sh=s, sw=s,
                          padding='same'))
    for c in (8, 16):
        g.append(dict(op='dwconv', h=10, w=10, c=c, kh=3, kw=3, padding='valid'))
        g.append(dict(op='dwconv', h=10, w=10, c=c, ch_mult=2, kh=3, kw=3, padding='same'))
    for hw in (4, 6, 16, 24):
        g.append(dict(op='dwconv', h=hw, w=hw, c=32, kh=3, kw=3, padding='same'))
    # fully connected
    for c in (16, 63, 64, 250, 640, 1024):
        for oc in (2, 10, 12, 64, 128):
            g.append(dict(op='fc', c=c, oc=oc))
    g.append(dict(op='fc', n=4, c=64, oc=32))
    # pooling
    for op in ('avgpool', 'maxpool'):
        for c in (4, 16, 17, 64):
            g.append(dict(op=op, h=16, w=16, c=c, kh=2, kw=2, sh=2, sw=2))
            g.append(dict(op=op, h=8, w=8, c=c, kh=3, kw=3, sh=1, sw=1, padding='same'))
            g.append(dict(op=op, h=6, w=6, c=c, kh=6, kw=6))
    # softmax, add, mul
    for n, c in ((1, 2), (1, 10), (1, 12), (1, 100), (1, 1000), (5, 10), (49, 12)):
        g.append(dict(op='softmax', n=n, c=c))
    for op in ('add', 'mul'):
        for c in (16, 63, 64, 100, 1000, 4096):
            g.append(dict(op=op, c=c))
    # depthwise with a channel multiplier of 4 or 8 (CMSIS-NN's mult_4 loop)
    for c in (1, 2, 3, 8):
        for m in (4, 8):
            for k, st in ((3, 1), (3, 2), (5, 1)):
                g.append(dict(op='dwconv', h=12, w=12, c=c, ch_mult=m, kh=k, kw=k, sh=st,
                              sw=st, padding='same'))
    return g


def main():
    binary, models = sys.argv[1], sys.argv[2:]
    out, seen = [], set()

    def add(entry, source):
        key = json.dumps({k: v for k, v in entry.items() if k not in ('model', 'layer')},
                         sort_keys=True)
        if key in seen:
            for e in out:
                if e['key'] == key and source not in e['sources']:
                    e['sources'].append(source)
            return
        seen.add(key)
        out.append(dict(key=key, sources=[source]))

    for m in models:
        text = subprocess.run([binary, m], check=True, capture_output=True, text=True).stdout
        for line in text.splitlines():
            d = json.loads(line)
            add(d, '%s#%d' % (d['model'], d['layer']))
    for d in sweeps():
        add(d, 'sweep')
    grid = []
    for i, e in enumerate(out):
        d = json.loads(e['key'])
        d['id'] = i
        d['sources'] = e['sources']
        grid.append(d)
    json.dump(grid, sys.stdout, indent=0)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
