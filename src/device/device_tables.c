/*
 * device_tables.c - the fixed vocabularies of device profiles: cores and
 * their families, FPU kinds, SIMD extensions, runtimes, board classes and
 * their default firmware reserves, and the list sort keys. One table per
 * concept (ARCHITECTURE.md); docs/device-format.md documents the same lists.
 */
#include "tinyfit/device.h"
#include "device_internal.h"

#include <string.h>

const struct tfit_core_info tfit_device_core_table[] = {
	{ "avr", "AVR 8-bit", TFIT_CORE_FAMILY_AVR, "avr5" },
	{ "cortex-m0plus", "Cortex-M0+", TFIT_CORE_FAMILY_ARM_M_BASE, "armv6-m" },
	{ "cortex-m3", "Cortex-M3", TFIT_CORE_FAMILY_ARM_M_MAIN, "armv7-m" },
	{ "cortex-m4", "Cortex-M4", TFIT_CORE_FAMILY_ARM_M_DSP, "armv7e-m" },
	{ "cortex-m4f", "Cortex-M4F", TFIT_CORE_FAMILY_ARM_M_DSP, "armv7e-m" },
	{ "cortex-m7", "Cortex-M7", TFIT_CORE_FAMILY_ARM_M_DSP, "armv7e-m" },
	{ "cortex-m33", "Cortex-M33", TFIT_CORE_FAMILY_ARM_M_DSP, "armv8-m.main" },
	{ "cortex-m55", "Cortex-M55", TFIT_CORE_FAMILY_ARM_M_HELIUM, "armv8.1-m.main" },
	{ "cortex-m85", "Cortex-M85", TFIT_CORE_FAMILY_ARM_M_HELIUM, "armv8.1-m.main" },
	{ "cortex-a53", "Cortex-A53", TFIT_CORE_FAMILY_ARM_A, "armv8-a" },
	{ "cortex-a55", "Cortex-A55", TFIT_CORE_FAMILY_ARM_A, "armv8.2-a" },
	{ "cortex-a57", "Cortex-A57", TFIT_CORE_FAMILY_ARM_A, "armv8-a" },
	{ "cortex-a72", "Cortex-A72", TFIT_CORE_FAMILY_ARM_A, "armv8-a" },
	{ "cortex-a76", "Cortex-A76", TFIT_CORE_FAMILY_ARM_A, "armv8.2-a" },
	{ "cortex-a78ae", "Cortex-A78AE", TFIT_CORE_FAMILY_ARM_A, "armv8.2-a" },
	{ "xtensa-lx6", "Xtensa LX6", TFIT_CORE_FAMILY_XTENSA, "xtensa" },
	{ "xtensa-lx7", "Xtensa LX7", TFIT_CORE_FAMILY_XTENSA, "xtensa" },
	{ "riscv32", "RISC-V RV32", TFIT_CORE_FAMILY_RISCV, "rv32" },
	/* the ESP32-P4's high-performance core: RV32IMAFC with Espressif's
	 * hardware loops and PIE (developer.espressif.com/blog/2024/12/
	 * pie-introduction); its own id because its kernels' cycles are not the
	 * ESP32-C3's (data/cost/kernels.json, the tflm-esp-nn tables) */
	{ "riscv32-pie", "RISC-V RV32 + PIE", TFIT_CORE_FAMILY_RISCV, "rv32imafc" },
	{ "riscv64", "RISC-V RV64", TFIT_CORE_FAMILY_RISCV, "rv64" },
	{ "arc-em", "ARC EM", TFIT_CORE_FAMILY_ARC, "arcv2em" },
	{ "rxv2", "Renesas RXv2", TFIT_CORE_FAMILY_RX, "rxv2" },
};

static const char *const family_names[TFIT_CORE_FAMILY_COUNT] = {
	"avr", "arm-m-base", "arm-m-main", "arm-m-dsp", "arm-m-helium",
	"arm-a", "xtensa", "riscv", "arc", "rx",
};

size_t tfit_device_core_count(void)
{
	return sizeof(tfit_device_core_table) / sizeof(tfit_device_core_table[0]);
}

const struct tfit_core_info *tfit_device_core_at(size_t i)
{
	return i < tfit_device_core_count() ? &tfit_device_core_table[i] : NULL;
}

const struct tfit_core_info *tfit_device_core_find(const char *id)
{
	size_t i;
	if (!id)
		return NULL;
	for (i = 0; i < tfit_device_core_count(); i++)
		if (strcmp(tfit_device_core_table[i].id, id) == 0)
			return &tfit_device_core_table[i];
	return NULL;
}

const char *tfit_core_family_name(enum tfit_core_family f)
{
	return (unsigned)f < TFIT_CORE_FAMILY_COUNT ? family_names[f] : "unknown";
}

const char *tfit_power_scope_name(enum tfit_power_scope s)
{
	switch (s) {
	case TFIT_POWER_SCOPE_BOARD: return "board";
	case TFIT_POWER_SCOPE_CHIP: return "chip";
	case TFIT_POWER_SCOPE_UNKNOWN: break;
	}
	return NULL;
}

const char *tfit_fpu_name(enum tfit_fpu f)
{
	switch (f) {
	case TFIT_FPU_NONE: return "none";
	case TFIT_FPU_SP: return "sp";
	case TFIT_FPU_DP: return "dp";
	case TFIT_FPU_UNKNOWN: break;
	}
	return "unknown";
}

/*
 * SIMD / DSP extensions. armv7e-m-dsp and armv8-m-dsp: the Arm DSP
 * extension (SMLAD etc.) that CMSIS-NN's fast paths use; helium: Armv8.1-M
 * MVE; neon: Advanced SIMD of Cortex-A; xtensa-pie: the ESP32-S3 128-bit
 * vector instructions ESP-NN uses; riscv-pie: the ESP32-P4's 128-bit PIE
 * vector instructions, a custom RISC-V extension (Espressif's PIE
 * introduction, developer.espressif.com/blog/2024/12/pie-introduction);
 * xpulp: PULP's RISC-V extensions (GAP8/9);
 * rx-dsp: the RXv2 DSP instructions; arc-dsp: ARC EM DSP options.
 */
static const char *const simd_ids[] = {
	"none", "armv7e-m-dsp", "armv8-m-dsp", "helium", "neon", "xtensa-pie",
	"riscv-pie", "xpulp", "rx-dsp", "arc-dsp", NULL,
};

int tfit_device_simd_valid(const char *id)
{
	size_t i;
	if (!id)
		return 0;
	for (i = 0; simd_ids[i]; i++)
		if (strcmp(simd_ids[i], id) == 0)
			return 1;
	return 0;
}

const char *tfit_device_simd_list(void)
{
	return "none, armv7e-m-dsp, armv8-m-dsp, helium, neon, xtensa-pie, riscv-pie, "
	       "xpulp, rx-dsp, arc-dsp";
}

int tfit_device_runtime_name_valid(const char *name)
{
	size_t i, len, ats = 0;
	if (!name || !(len = strlen(name)) || len >= TFIT_DEVICE_RUNTIME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];
		if (c == '@') {
			if (i == 0 || i + 1 == len || ++ats > 1)
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			     c == '_' || c == '.')) {
			return 0;
		}
	}
	return 1;
}

const char *tfit_device_class_name(enum tfit_device_class c)
{
	return c == TFIT_DEVICE_CLASS_LINUX ? "linux" : "mcu";
}

void tfit_device_class_reserve(enum tfit_device_class c, uint64_t *flash_bytes,
			       uint64_t *sram_bytes)
{
	if (c == TFIT_DEVICE_CLASS_LINUX) {
		/* The OS, not the model, owns the rest of DRAM and storage; the
		 * course table compares models with the whole 4 GiB of a Pi 4,
		 * so tinyfit subtracts nothing by default (override per
		 * profile or with --reserve-*). */
		*flash_bytes = 0;
		*sram_bytes = 0;
		return;
	}
	/* The inference runtime's code is not part of the reserve: runtime
	 * profiles (data/runtimes/) carry it, so the course's "runtime (TFLM
	 * ~ 20 KB)" is counted there. What is left by default is the stack:
	 * ../shared/reference/course-formulas.md, "A deployment check from
	 * another chapter": RAM needed = activations + stack (~ 2 KB), KB =
	 * 1024. Boards with a documented bootloader set their flash reserve in
	 * their profile; application code is the user's to add (--reserve-*). */
	*flash_bytes = 0;
	*sram_bytes = 2 * 1024;
}

static const char *const sort_names[TFIT_DEVICE_SORT_COUNT] = {
	"id", "name", "sram", "flash", "clock", "price",
};

const char *tfit_device_sort_name(enum tfit_device_sort s)
{
	return (unsigned)s < TFIT_DEVICE_SORT_COUNT ? sort_names[s] : "id";
}

int tfit_device_sort_parse(const char *name, enum tfit_device_sort *out)
{
	int i;
	if (!name)
		return -1;
	for (i = 0; i < TFIT_DEVICE_SORT_COUNT; i++) {
		if (strcmp(sort_names[i], name) == 0) {
			*out = (enum tfit_device_sort)i;
			return 0;
		}
	}
	return -1;
}

/*
 * THE table of profile fields (docs/device-format.md "Fields" lists the
 * same rows; tests/unit/test_device_fields.c checks the two agree): name,
 * JSON type, unit, required, source rule, what uses it. Adding a field is
 * one row here, its parsing in device_parse.c, and its line in the docs.
 * Source rules: HW = a hardware fact, a source is required in shipped
 * profiles (tfit_device_unsourced); MAY = may cite one; NO = takes none.
 * The order is the documentation's, and `tinyfit devices show` prints the
 * sourced fields in it.
 */
#define TFIT_DEVICE_FIELDS(X) \
	X("$schema", "string", "", 0, NO, "ignored (editors find the schema)") \
	X("id", "string", "", 1, NO, "lookup, every report") \
	X("name", "string", "", 1, NO, "reports") \
	X("vendor", "string", "", 1, NO, "reports, devices --vendor") \
	X("mcu", "string", "", 1, HW, "reports") \
	X("core", "string (enum)", "", 1, HW, "latency model (core family), class, default runtime") \
	X("cores", "integer", "count", 0, HW, "devices list") \
	X("clock_mhz", "number", "MHz", 0, HW, "latency, textbook latency") \
	X("flash", "size string", "bytes", 0, HW, "flash budget (implicit flash region)") \
	X("external_flash", "size string", "bytes", 0, HW, "flash budget (implicit ext-flash region), --weights-in") \
	X("sram", "size string", "bytes", 0, HW, "SRAM budget (total), implicit sram region") \
	X("psram", "size string", "bytes", 0, HW, "implicit psram region, --arena-in, advice") \
	X("dram", "size string", "bytes", 0, HW, "Linux boards' RAM, implicit sdram region") \
	X("regions", "array of objects", "", 0, NO, "placement, verdicts, binding limit (sources inside each region)") \
	X("fpu", "string (enum)", "", 0, HW, "latency (float ops without an FPU)") \
	X("simd", "string (enum)", "", 0, HW, "reports") \
	X("accelerator", "object", "", 0, HW, "latency (ops on the accelerator), reports") \
	X("active_power_mw", "number", "mW", 0, HW, "energy, battery life") \
	X("active_power_scope", "string (enum)", "", 0, NO, "energy and battery lines (board or chip)") \
	X("sleep_power_mw", "number", "mW", 0, HW, "battery life") \
	X("sleep_power_scope", "string (enum)", "", 0, NO, "battery line (board or chip)") \
	X("price_usd", "number", "USD", 0, HW, "compare's cheapest, advice's other board") \
	X("default_runtime", "string (runtime id)", "", 0, MAY, "runtime when --runtime is not given") \
	X("reserve", "object", "bytes", 0, HW, "flash and SRAM budgets") \
	X("aliases", "array of strings", "", 0, NO, "lookup") \
	X("sources", "object", "", 1, NO, "devices show, the source rule") \
	X("notes", "string", "", 0, NO, "devices show")

#define FIELD_ROW(n, t, u, req, src, use) \
	{ n, t, u, req, TFIT_DEVICE_SOURCE_##src, use },
static const struct tfit_device_field fields[] = { TFIT_DEVICE_FIELDS(FIELD_ROW) };
#undef FIELD_ROW

#define FIELD_NAME(n, t, u, req, src, use) n,
static const char *const field_names[] = { TFIT_DEVICE_FIELDS(FIELD_NAME) NULL };
#undef FIELD_NAME

/* the HW rows' names: the fields that need a source */
#define SOURCED_HW(n) n,
#define SOURCED_MAY(n)
#define SOURCED_NO(n)
#define FIELD_SOURCED(n, t, u, req, src, use) SOURCED_##src(n)
static const char *const sourced_fields[] = { TFIT_DEVICE_FIELDS(FIELD_SOURCED) NULL };
#undef FIELD_SOURCED

size_t tfit_device_field_count(void)
{
	return sizeof(fields) / sizeof(fields[0]);
}

const struct tfit_device_field *tfit_device_field_at(size_t i)
{
	return i < tfit_device_field_count() ? &fields[i] : NULL;
}

const char *const *tfit_device_field_names(void)
{
	return field_names;
}

const char *const *tfit_device_sourced_fields(void)
{
	return sourced_fields;
}
