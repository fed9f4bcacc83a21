"""emu_rv32.py - load a bare RV32 ELF into Unicorn's RISC-V model, call one of
its functions and count what it executes by instruction class.

A block hook adds up, for every translated block executed, the
instructions that start inside it (from riscv64-unknown-elf-objdump's
disassembly) split by class (load, store, mul, div, branch, jump, alu), the
load-use pairs inside the block (a load whose destination the next
instruction reads), and whether the block's closing conditional branch was
taken (the next block does not start at its fall-through address). These
are the events the ESP32-C3's pipeline charges extra cycles for (cycles_rv32.py)."""
import bisect
import re
import subprocess

import unicorn
from unicorn import riscv_const as R

import emu
# the memory map of emu.py (the Cortex-M runs): code from 0, data from 0x20000000
from emu import FLASH, FLASH_SIZE, RAM, RAM_SIZE, STACK_TOP, HEAP, RETURN  # noqa: F401

CLASSES = ('load', 'store', 'mul', 'div', 'branch', 'jump', 'alu')
BRANCH = {'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'beqz', 'bnez', 'blez', 'bgez', 'bltz',
          'bgtz', 'bgt', 'ble', 'bgtu', 'bleu'}
JUMP = {'j', 'jal', 'jalr', 'jr', 'ret', 'call', 'tail'}
LOAD = {'lb', 'lbu', 'lh', 'lhu', 'lw'}
STORE = {'sb', 'sh', 'sw'}
MUL = {'mul', 'mulh', 'mulhsu', 'mulhu'}
DIV = {'div', 'divu', 'rem', 'remu'}
REG = re.compile(r'\b(zero|ra|sp|gp|tp|t[0-6]|s1[01]|s[0-9]|a[0-7]|fp)\b')


def classify(mnem):
    m = mnem[2:] if mnem.startswith('c.') else mnem
    for cls, names in (('load', LOAD), ('store', STORE), ('mul', MUL), ('div', DIV),
                       ('branch', BRANCH), ('jump', JUMP)):
        if m in names:
            return cls
    return 'alu'


def disassemble(path, objdump):
    """sorted [(address, class, dest register or None, source registers)]"""
    out = subprocess.run([objdump, '-d', '--no-show-raw-insn', path], check=True,
                         capture_output=True, text=True).stdout
    ins = {}
    for line in out.splitlines():
        head, tab, rest = line.partition(':\t')
        h = head.strip()
        if not tab or not h or not all(c in '0123456789abcdef' for c in h):
            continue
        parts = rest.split(None, 1)
        if not parts or parts[0].startswith('.'):
            continue
        mnem, ops = parts[0], (parts[1].split('#')[0] if len(parts) > 1 else '')
        regs = REG.findall(ops)
        cls = classify(mnem)
        if cls in ('store', 'branch'):
            dest, srcs = None, regs
        else:
            dest, srcs = (regs[0], regs[1:]) if regs else (None, [])
        ins[int(h, 16)] = (cls, dest, tuple(srcs))
    return sorted((a,) + v for a, v in ins.items())


class Machine:
    def __init__(self, elf, tools):
        self.syms = emu.symbols(elf, tools + 'nm')
        self.ins = disassemble(elf, tools + 'objdump')
        self.addrs = [i[0] for i in self.ins]
        uc = unicorn.Uc(unicorn.UC_ARCH_RISCV, unicorn.UC_MODE_RISCV32)
        uc.mem_map(FLASH, FLASH_SIZE)
        uc.mem_map(RAM, RAM_SIZE)
        for addr, data in emu.elf_segments(elf):
            uc.mem_write(addr, data)
        uc.mem_write(RETURN, b'\x13\x00\x00\x00' * 4)      # nops, never executed
        self.uc = uc
        self.cache = {}
        self.reset_counts()
        uc.hook_add(unicorn.UC_HOOK_BLOCK, self._block)
        self.heap = HEAP

    def reset_counts(self):
        self.counts = [0] * (len(CLASSES) + 2)   # classes, load_use, branch_taken
        self.fallthrough = None

    def _analyse(self, addr, size):
        lo = bisect.bisect_left(self.addrs, addr)
        hi = bisect.bisect_left(self.addrs, addr + size)
        v = [0] * (len(CLASSES) + 2)
        blk = self.ins[lo:hi]
        for k, (a, cls, dest, srcs) in enumerate(blk):
            v[CLASSES.index(cls)] += 1
            if cls == 'load' and k + 1 < len(blk) and dest and dest != 'zero' and \
                    dest in blk[k + 1][3]:
                v[len(CLASSES)] += 1
        fall = addr + size if blk and blk[-1][1] == 'branch' else None
        return v, fall

    def _block(self, uc, addr, size, _):
        if self.fallthrough is not None and addr != self.fallthrough:
            self.counts[-1] += 1                       # the previous block's branch was taken
        k = (addr, size)
        e = self.cache.get(k)
        if e is None:
            e = self.cache[k] = self._analyse(addr, size)
        v, self.fallthrough = e
        c = self.counts
        for i, x in enumerate(v):
            if x:
                c[i] += x

    # the bump allocator of emu.py's machine (same memory map)
    reset_heap = emu.Machine.reset_heap
    alloc = emu.Machine.alloc

    def call(self, name, arg):
        """Run name(arg); return (a0, {class: count, 'load_use': n, 'branch_taken': n})."""
        uc = self.uc
        uc.reg_write(R.UC_RISCV_REG_SP, STACK_TOP)
        uc.reg_write(R.UC_RISCV_REG_GP, 0x20000800)
        uc.reg_write(R.UC_RISCV_REG_A0, arg)
        uc.reg_write(R.UC_RISCV_REG_RA, RETURN)
        self.reset_counts()
        uc.emu_start(self.syms[name], RETURN)
        names = CLASSES + ('load_use', 'branch_taken')
        return uc.reg_read(R.UC_RISCV_REG_A0), dict(zip(names, self.counts))
