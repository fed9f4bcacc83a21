"""emu.py - load a bare ELF into Unicorn's Cortex-M model, call one of its
functions and count the instructions it executes (block hook: every
translated block adds the number of instructions that start inside it,
taken from arm-none-eabi-objdump's disassembly)."""
import bisect
import struct
import subprocess

import unicorn
from unicorn import arm_const as A

CPU = {'cortex-m0plus': A.UC_CPU_ARM_CORTEX_M0, 'cortex-m4f': A.UC_CPU_ARM_CORTEX_M4,
       'cortex-m7': A.UC_CPU_ARM_CORTEX_M7, 'cortex-m33': A.UC_CPU_ARM_CORTEX_M33}

FLASH, FLASH_SIZE = 0x00000000, 0x00400000
RAM, RAM_SIZE = 0x20000000, 0x04000000
STACK_TOP = RAM + 0x00100000          # stack grows down towards .data/.bss
HEAP = RAM + 0x00100000
RETURN = FLASH_SIZE - 0x100           # the harness returns here; the run stops


def elf_segments(path):
    b = open(path, 'rb').read()
    phoff, = struct.unpack_from('<I', b, 28)
    phentsize, phnum = struct.unpack_from('<HH', b, 42)
    segs = []
    for i in range(phnum):
        typ, off, vaddr, paddr, filesz, memsz, flags, align = struct.unpack_from(
            '<8I', b, phoff + i * phentsize)
        if typ == 1 and filesz:
            segs.append((vaddr, b[off:off + filesz]))
    return segs


def symbols(path, nm):
    out = subprocess.run([nm, path], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    return syms


def insn_starts(path, objdump):
    out = subprocess.run([objdump, '-d', '--no-show-raw-insn', path], check=True,
                         capture_output=True, text=True).stdout
    starts = []
    for line in out.splitlines():
        head, tab, rest = line.partition(':\t')
        if tab and head.strip() and all(c in '0123456789abcdef' for c in head.strip()):
            if not rest.startswith('.word') and not rest.startswith('.short'):
                starts.append(int(head, 16))
    return sorted(set(starts))


class Machine:
    def __init__(self, elf, core, tools):
        self.core = core
        self.syms = symbols(elf, tools + 'nm')
        self.starts = insn_starts(elf, tools + 'objdump')
        uc = unicorn.Uc(unicorn.UC_ARCH_ARM, unicorn.UC_MODE_THUMB | unicorn.UC_MODE_MCLASS)
        uc.ctl_set_cpu_model(CPU[core])
        uc.mem_map(FLASH, FLASH_SIZE)
        uc.mem_map(RAM, RAM_SIZE)
        for addr, data in elf_segments(elf):
            uc.mem_write(addr, data)
        uc.mem_write(RETURN, b'\x00\xbf' * 8)       # nops, never executed
        self.uc = uc
        self.count = 0
        self.cache = {}
        uc.hook_add(unicorn.UC_HOOK_BLOCK, self._block)
        self.heap = HEAP

    def _block(self, uc, addr, size, _):
        k = (addr, size)
        n = self.cache.get(k)
        if n is None:
            n = bisect.bisect_left(self.starts, addr + size) - bisect.bisect_left(self.starts, addr)
            self.cache[k] = n
        self.count += n

    def reset_heap(self):
        self.heap = HEAP

    def alloc(self, data_or_size, align=16):
        self.heap = (self.heap + align - 1) & ~(align - 1)
        addr = self.heap
        if isinstance(data_or_size, int):
            self.heap += max(data_or_size, 4)
        else:
            self.uc.mem_write(addr, bytes(data_or_size))
            self.heap += max(len(data_or_size), 4)
        if self.heap >= RAM + RAM_SIZE:
            raise MemoryError('job does not fit the emulator RAM')
        return addr

    def call(self, name, arg):
        """Run name(arg); return (r0, instructions executed)."""
        uc = self.uc
        uc.reg_write(A.UC_ARM_REG_SP, STACK_TOP)
        uc.reg_write(A.UC_ARM_REG_R0, arg)
        uc.reg_write(A.UC_ARM_REG_LR, RETURN | 1)
        self.count = 0
        uc.emu_start(self.syms[name] | 1, RETURN)
        return uc.reg_read(A.UC_ARM_REG_R0), self.count
