/* qemu_main.c - the bare-metal driver measure_qemu.py runs on QEMU's
 * mps3-an547 (Cortex-M55 with MVE) under -icount: reset, enable the FPU and
 * MVE, read one job header measure_qemu.py loaded into memory with
 * `-device loader`, run the CMSIS-NN harness function and then TFLM's
 * reference kernel on it, and report through semihosting (bkpt 0xab) the
 * SysTick ticks each call took, the calibration loop's ticks and whether the
 * two outputs are bit-identical. With -icount the virtual clock advances a
 * fixed time per instruction executed, so SysTick (on the CPU clock) counts
 * instructions; measure_qemu.py turns ticks into instructions with the
 * calibration loop, whose instruction count is known (calib_loop below). */
#include <stdint.h>
#include <string.h>
#include "harness.h"

#define JOB_MAGIC 0x4b43514dU            /* "MQCK", written by measure_qemu.py */

typedef struct {
    uint32_t magic, op;                  /* op: index into ops[] below */
    kc_job *job;
    uint32_t out_bytes;                  /* output bytes compared */
    uint8_t *copy;                       /* where the CMSIS-NN output is saved */
} kc_header;

typedef int32_t (*kc_fn)(const kc_job *);
int32_t kc_cmsis_conv(const kc_job *), kc_cmsis_dwconv(const kc_job *), kc_cmsis_fc(const kc_job *),
    kc_cmsis_avgpool(const kc_job *), kc_cmsis_maxpool(const kc_job *),
    kc_cmsis_softmax(const kc_job *), kc_cmsis_add(const kc_job *), kc_cmsis_mul(const kc_job *);
int32_t kc_ref_conv(const kc_job *), kc_ref_dwconv(const kc_job *), kc_ref_fc(const kc_job *),
    kc_ref_avgpool(const kc_job *), kc_ref_maxpool(const kc_job *), kc_ref_softmax(const kc_job *),
    kc_ref_add(const kc_job *), kc_ref_mul(const kc_job *);
int32_t kc_cmsis_prepare(int32_t op, const kc_job *j);

/* jobs.OPS order */
static const kc_fn cmsis_ops[8] = {kc_cmsis_conv, kc_cmsis_dwconv, kc_cmsis_fc, kc_cmsis_avgpool,
                                   kc_cmsis_maxpool, kc_cmsis_softmax, kc_cmsis_add, kc_cmsis_mul};
static const kc_fn ref_ops[8] = {kc_ref_conv, kc_ref_dwconv, kc_ref_fc, kc_ref_avgpool,
                                 kc_ref_maxpool, kc_ref_softmax, kc_ref_add, kc_ref_mul};

extern uint32_t __stack_top, __data_load, __data_start, __data_end, __bss_start, __bss_end;
/* where measure_qemu.py loads the job header: the AN547's DDR (link_qemu.ld) */
#define KC_HEADER_ADDR 0x60000000u

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)
#define CPACR (*(volatile uint32_t *)0xE000ED88)

static volatile uint32_t wraps;

void systick_handler(void) { wraps++; }

/* 24-bit down-counter plus the wraps the handler counted */
static uint64_t ticks(void)
{
    uint32_t w, v;
    do {
        w = wraps;
        v = SYST_CVR;
    } while (w != wraps);
    return (uint64_t)w * 0x1000000u + (0xFFFFFFu - v);
}

static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void put(const char *s) { semihost(0x04, s); }          /* SYS_WRITE0 */

static void put_u64(const char *key, uint64_t v)
{
    char b[40];
    int i = sizeof b - 1;
    b[i] = 0;
    b[--i] = '\n';
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(key);
    put(b + i);
}

static void leave(int code)
{
    uint32_t args[2] = {0x20026u, (uint32_t)code};   /* ADP_Stopped_ApplicationExit */
    semihost(0x20, args);                               /* SYS_EXIT_EXTENDED */
    semihost(0x18, (void *)0x20026u);                   /* SYS_EXIT */
    for (;;) {
    }
}

/* n iterations of two instructions (subs, bne): 2n + 2 instructions with
 * the mov and bx; measure_qemu.py knows this count */
__attribute__((naked, noinline)) static void calib_loop(uint32_t n)
{
    __asm__ volatile("1: subs r0, r0, #1\n bne 1b\n bx lr\n");
    (void)n;
}

__attribute__((noinline)) static int32_t empty_call(const kc_job *j) { return j == 0; }

static uint64_t timed(kc_fn f, const kc_job *j, int32_t *status)
{
    uint64_t t0 = ticks();
    *status = f(j);
    return ticks() - t0;
}

int main(void)
{
    const kc_header *h = (const kc_header *)KC_HEADER_ADDR;
    int32_t st;
    uint64_t t;
    if (h->magic != JOB_MAGIC || h->op >= 8) {
        put("error: no job header\n");
        leave(1);
    }
    t = ticks();
    calib_loop(1000000u);
    put_u64("calib_ticks ", ticks() - t);
    put_u64("empty_ticks ", timed(empty_call, h->job, &st));
    if (kc_cmsis_prepare((int32_t)h->op, h->job) != 0) {
        put("error: prepare failed\n");
        leave(1);
    }
    put("cmsis_begin\n");
    put_u64("cmsis_ticks ", timed(cmsis_ops[h->op], h->job, &st));
    put("cmsis_end\n");
    put_u64("cmsis_status ", (uint64_t)(uint32_t)st);
    if (h->copy) {
        memcpy(h->copy, h->job->out, h->out_bytes);
        memset(h->job->out, 0x5a, h->out_bytes);
        put_u64("ref_ticks ", timed(ref_ops[h->op], h->job, &st));
        put_u64("ref_status ", (uint64_t)(uint32_t)st);
        put_u64("outputs_match ", memcmp(h->copy, h->job->out, h->out_bytes) == 0);
    }
    leave(0);
    return 0;
}

void reset_handler(void)
{
    uint32_t *s = &__data_load, *d = &__data_start;
    while (d < &__data_end)
        *d++ = *s++;
    for (d = &__bss_start; d < &__bss_end;)
        *d++ = 0;
    CPACR |= 0xFu << 20;                 /* CP10, CP11: FPU and MVE */
    __asm__ volatile("dsb\n isb\n");
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 7;                        /* enable, interrupt, CPU clock */
    main();
    leave(2);
}

static void fault(void)
{
    put("error: fault\n");
    leave(3);
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
    &__stack_top, (void *)reset_handler, (void *)fault, (void *)fault, (void *)fault,
    (void *)fault, (void *)fault, 0, 0, 0, 0, (void *)fault, 0, 0, (void *)fault,
    (void *)systick_handler};
