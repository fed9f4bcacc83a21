#!/usr/bin/env python3
"""Check `tinyfit quant MODEL --format json` against the quantization
parameters stored in every shared .tflite model, read INDEPENDENTLY here: a
few lines of flatbuffer walking written from TFLite's schema.fbs (table
field numbers below), sharing no code with tinyfit's C reader.

usage: check_tflite_quant.py TINYFIT SOURCE_DIR
Exit 0 when every tensor of subgraph 0 of every model matches, 1 on a
mismatch, 77 (skipped) when ../shared/models is not beside the checkout.

Checked per tensor: name, the number of scales and zero points, the
quantized dimension, the smallest, largest and first scale (float32,
compared bit for bit after the JSON's 9 significant digits), the smallest,
largest and first zero point (int64), and for per-tensor int8/int16/uint8
tensors the representable range S x (qmin - Z) .. S x (qmax - Z).
"""
import glob
import json
import os
import struct
import subprocess
import sys

# tensorflow/lite/schema/schema.fbs field numbers
MODEL_SUBGRAPHS = 2
SUBGRAPH_TENSORS = 0
TENSOR_TYPE, TENSOR_NAME, TENSOR_QUANT = 1, 3, 4
QUANT_SCALE, QUANT_ZERO_POINT, QUANT_DIM = 2, 3, 6
# TensorType -> (qmin, qmax) for the integer types tinyfit gives a range
LIMITS = {9: (-128, 127), 3: (0, 255), 7: (-32768, 32767)}  # INT8, UINT8, INT16


class Flatbuffer:
    def __init__(self, data):
        self.d = data

    def u32(self, pos):
        return struct.unpack_from('<I', self.d, pos)[0]

    def field(self, table, n):
        """Absolute position of field n of the table at `table`, or None."""
        vt = table - struct.unpack_from('<i', self.d, table)[0]
        vt_len = struct.unpack_from('<H', self.d, vt)[0]
        if 4 + 2 * n >= vt_len:
            return None
        off = struct.unpack_from('<H', self.d, vt + 4 + 2 * n)[0]
        return table + off if off else None

    def ref(self, table, n):
        p = self.field(table, n)
        return None if p is None else p + self.u32(p)

    def vector(self, table, n):
        """(start, length) of a vector field, or None."""
        v = self.ref(table, n)
        return None if v is None else (v + 4, self.u32(v))

    def tables(self, table, n):
        v = self.vector(table, n)
        if not v:
            return []
        start, count = v
        return [start + 4 * i + self.u32(start + 4 * i) for i in range(count)]


def read_model(path):
    with open(path, 'rb') as f:
        fb = Flatbuffer(f.read())
    root = fb.u32(0)
    subgraphs = fb.tables(root, MODEL_SUBGRAPHS)
    out = []
    for t in fb.tables(subgraphs[0], SUBGRAPH_TENSORS):
        p = fb.field(t, TENSOR_TYPE)
        ttype = struct.unpack_from('<b', fb.d, p)[0] if p is not None else 0
        name_ref = fb.ref(t, TENSOR_NAME)
        name = None
        if name_ref is not None:
            n = fb.u32(name_ref)
            name = fb.d[name_ref + 4:name_ref + 4 + n].decode('utf-8', 'replace')
        scales, zps, qdim = [], [], 0
        q = fb.ref(t, TENSOR_QUANT)
        if q is not None:
            sv = fb.vector(q, QUANT_SCALE)
            if sv:
                scales = list(struct.unpack_from('<%df' % sv[1], fb.d, sv[0]))
            zv = fb.vector(q, QUANT_ZERO_POINT)
            if zv:
                zps = list(struct.unpack_from('<%dq' % zv[1], fb.d, zv[0]))
            p = fb.field(q, QUANT_DIM)
            qdim = struct.unpack_from('<i', fb.d, p)[0] if p is not None else 0
        out.append({'type': ttype, 'name': name, 'scales': scales, 'zps': zps, 'qdim': qdim})
    return out


def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def check(tinyfit, path):
    want = read_model(path)
    run = subprocess.run([tinyfit, 'quant', path, '--format', 'json'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if run.returncode not in (0, 1):
        return ['%s: tinyfit quant exited %d' % (path, run.returncode)]
    got = json.loads(run.stdout)['results']
    errs = []
    if len(got) != len(want):
        return ['%s: %d tensors reported, the file has %d' % (path, len(got), len(want))]
    for i, (g, w) in enumerate(zip(got, want)):
        where = '%s: tensor %d' % (os.path.basename(path), i)

        def same(key, a, b):
            if a != b:
                errs.append('%s: %s = %r, the file has %r' % (where, key, a, b))

        same('name', g['name'], w['name'])
        same('scale_count', g['scale_count'], len(w['scales']))
        same('zero_point_count', g['zero_point_count'], len(w['zps']))
        same('quantized_dimension', g['quantized_dimension'], w['qdim'])
        if w['scales']:
            ok = [s for s in w['scales'] if s == s]
            same('scale', f32(g['scale']) if g['scale'] is not None else None, w['scales'][0]
                 if w['scales'][0] == w['scales'][0] else None)
            same('scale_min', f32(g['scale_min']), min(ok))
            same('scale_max', f32(g['scale_max']), max(ok))
        else:
            same('scale', g['scale'], None)
        if w['scales'] and w['zps']:
            same('zero_point', g['zero_point'], w['zps'][0])
            same('zero_point_min', g['zero_point_min'], min(w['zps']))
            same('zero_point_max', g['zero_point_max'], max(w['zps']))
        if (len(w['scales']) == 1 and w['zps'] and w['type'] in LIMITS and w['scales'][0] > 0):
            qmin, qmax = LIMITS[w['type']]
            s, z = w['scales'][0], w['zps'][0]
            for key, v in (('representable_min', s * (qmin - z)),
                           ('representable_max', s * (qmax - z))):
                if key not in g or abs(g[key] - v) > 1e-6 * max(1.0, abs(v)):
                    errs.append('%s: %s = %r, expected %r' % (where, key, g.get(key), v))
    return errs


def main():
    tinyfit, src = sys.argv[1], sys.argv[2]
    shared = os.path.join(src, '..', 'shared', 'models')
    if not os.path.isdir(shared):
        print('skipped: ../shared/models is not present')
        return 77
    models = sorted(glob.glob(os.path.join(shared, '*.tflite')) +
                    glob.glob(os.path.join(shared, 'large', '*.tflite')) +
                    glob.glob(os.path.join(shared, 'seanet', '*.tflite')))
    errs, tensors = [], 0
    for m in models:
        e = check(tinyfit, m)
        errs += e
        tensors += len(read_model(m))
    for e in errs[:50]:
        print(e)
    print('%d models, %d tensors, %d mismatches' % (len(models), tensors, len(errs)))
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main())
