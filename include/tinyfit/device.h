/*
 * device.h - board profiles and the device database.
 *
 * A profile is one JSON file per board, devices/<id>.json, in the format of
 * docs/device-format.md (schema: docs/device.schema.json). The database
 * loads directories in order; a later definition of an id replaces an
 * earlier one and the device remembers which file won (and which it
 * replaced).
 *
 * Invariants of a loaded struct tfit_device:
 *   - id, name, vendor, mcu, file are non-NULL, non-empty strings; id has no
 *     upper-case letters.
 *   - core points into the static core table (never NULL).
 *   - Every size is in bytes (uint64_t). A size or number that the profile
 *     does not give is 0: the JSON format rejects zero and negative values,
 *     so 0 always means "not known" and never "none".
 *   - regions is the board's memory map (docs/device-format.md "Memory
 *     regions"): the profile's "regions", then one implicit region (usable
 *     size unknown) for each memory total no listed region of its kind
 *     covers. Per kind group the sizes sum to at most the total (sram +
 *     dtcm + itcm <= sram_bytes, psram <= psram_bytes, sdram <= dram_bytes,
 *     flash <= flash_bytes, ext-flash <= external_flash_bytes); a region's
 *     usable size is at most its size; names are unique (case-insensitive).
 *     largest_region_bytes is the largest usable size of an internal data
 *     region (sram, dtcm); 0 when none is known.
 *   - reserve_flash_bytes / reserve_sram_bytes are always set: from the
 *     profile when it has a "reserve" object, else from the class default
 *     (tfit_device_class_reserve); reserve_from_profile says which.
 *   - Every source names a field the profile gives.
 *
 * Ownership: a struct tfit_device owns all of its strings and arrays;
 * tfit_device_release() frees them. The database owns its devices; pointers
 * returned by lookups stay valid until tfit_device_db_release(). Nothing
 * here prints, exits or reads the environment: the CLI chooses the
 * directories.
 *
 * Errors: every fallible function returns a status and fills the caller's
 * struct tfit_error with the file, the JSON path and a compiler-style
 * message ("devices/foo.json: sram.regions[1].size: error: expected a size
 * such as \"256KiB\", got \"256 kb\""). Profile mistakes are TFIT_ERR_INPUT,
 * unreadable files or directories TFIT_ERR_IO.
 */
#ifndef TINYFIT_DEVICE_H
#define TINYFIT_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/strbuf.h"

/* ---- cores ---- */

/*
 * Core families: what the latency model keys its fallbacks on. Each core id
 * belongs to exactly one family.
 */
enum tfit_core_family {
	TFIT_CORE_FAMILY_AVR = 0,        /* 8-bit AVR (no NN runtime fits) */
	TFIT_CORE_FAMILY_ARM_M_BASE,     /* Armv6-M / Armv8-M baseline: Cortex-M0+ */
	TFIT_CORE_FAMILY_ARM_M_MAIN,     /* Armv7-M without DSP: Cortex-M3 */
	TFIT_CORE_FAMILY_ARM_M_DSP,      /* Armv7E-M / Armv8-M main + DSP: M4, M4F, M7, M33 */
	TFIT_CORE_FAMILY_ARM_M_HELIUM,   /* Armv8.1-M with MVE: Cortex-M55, M85 */
	TFIT_CORE_FAMILY_ARM_A,          /* Cortex-A application cores with NEON */
	TFIT_CORE_FAMILY_XTENSA,         /* Xtensa LX6 / LX7 (ESP32 family) */
	TFIT_CORE_FAMILY_RISCV,          /* RV32 / RV64 */
	TFIT_CORE_FAMILY_ARC,            /* Synopsys ARC EM */
	TFIT_CORE_FAMILY_RX,             /* Renesas RX */
	TFIT_CORE_FAMILY_COUNT
};

struct tfit_core_info {
	const char *id;                 /* "cortex-m4f": what profiles write */
	const char *display;            /* "Cortex-M4F" */
	enum tfit_core_family family;
	const char *arch;               /* "armv7e-m", "rv32imc", ... (informative) */
};

/* The core table, in documentation order. */
size_t tfit_device_core_count(void);
const struct tfit_core_info *tfit_device_core_at(size_t i);
/* Find a core by id (exact, lower-case); NULL when unknown. */
const struct tfit_core_info *tfit_device_core_find(const char *id);
/* The table the three calls above read (compiled data points into it). */
extern const struct tfit_core_info tfit_device_core_table[];
/* "arm-m-dsp", "xtensa", ... */
const char *tfit_core_family_name(enum tfit_core_family f);

/* ---- the profile's fields: one table (docs/device-format.md "Fields") ---- */

enum tfit_device_source_rule {
	TFIT_DEVICE_SOURCE_NO = 0,  /* takes no source */
	TFIT_DEVICE_SOURCE_MAY,     /* may cite one (a tinyfit choice) */
	TFIT_DEVICE_SOURCE_HW       /* a hardware fact: shipped profiles cite one */
};

struct tfit_device_field {
	const char *name;           /* the JSON key: "clock_mhz" */
	const char *type;           /* "number", "size string", "object", ... */
	const char *unit;           /* "MHz", "bytes", "" */
	int required;
	enum tfit_device_source_rule source;
	const char *used_by;        /* what in tinyfit reads it */
};

/* Every top-level key a profile may have, in documentation order. */
size_t tfit_device_field_count(void);
const struct tfit_device_field *tfit_device_field_at(size_t i);
/* Their names, NULL-terminated (the parser's list of valid keys). */
const char *const *tfit_device_field_names(void);

/* ---- categorical fields ---- */

enum tfit_fpu { TFIT_FPU_UNKNOWN = 0, TFIT_FPU_NONE, TFIT_FPU_SP, TFIT_FPU_DP };
/* "unknown", "none", "sp", "dp". */
const char *tfit_fpu_name(enum tfit_fpu f);

/*
 * What a power figure covers: the whole board (regulator, USB bridge, LEDs,
 * sensors included) or the MCU/SoC alone (a datasheet supply current). A
 * chip-only figure understates what a battery sees.
 */
enum tfit_power_scope { TFIT_POWER_SCOPE_UNKNOWN = 0, TFIT_POWER_SCOPE_BOARD,
			TFIT_POWER_SCOPE_CHIP };
/* "board", "chip"; NULL for unknown. */
const char *tfit_power_scope_name(enum tfit_power_scope s);

/*
 * SIMD / DSP extensions ("none", "armv7e-m-dsp", "armv8-m-dsp", "helium",
 * "neon", "xtensa-pie", "riscv-pie", "xpulp", "rx-dsp", "arc-dsp"). Profiles store the
 * id; this returns 1 when id is in the list.
 */
int tfit_device_simd_valid(const char *id);
/* The valid SIMD ids as one comma-separated string (for messages). */
const char *tfit_device_simd_list(void);

/* A runtime is named by its id in the runtime registry (registry.h), with
 * an optional "@VERSION": "tflm-cmsis-nn", "x-cube-ai@8.1". The device
 * module checks the spelling (tfit_device_runtime_name_valid); whether the
 * runtime exists is asked of a check the caller gives (the registry's,
 * tfit_registry_runtime_check), since this module does not know the data. */
#define TFIT_DEVICE_RUNTIME_MAX 64
/* 1 when name is 1-63 characters of a-z, 0-9, '-', '_', '.', at most one
 * '@' not first or last. */
int tfit_device_runtime_name_valid(const char *name);

/* Whether a well-spelt runtime name exists: known(ctx, name, msg, size)
 * returns 1 when it does, else 0 with what is wrong in msg ("unknown
 * runtime 'x' (expected one of: ...)"). known NULL: any spelling passes. */
struct tfit_device_runtime_check {
	int (*known)(const void *ctx, const char *name, char *msg, size_t msg_size);
	const void *ctx;
};

/*
 * Board classes pick the default firmware reserve. Derived from the core:
 * Cortex-A cores make a "linux" board, everything else an "mcu" board.
 */
enum tfit_device_class { TFIT_DEVICE_CLASS_MCU = 0, TFIT_DEVICE_CLASS_LINUX };
const char *tfit_device_class_name(enum tfit_device_class c);
/*
 * Default firmware reserve of a class, in bytes (docs/device-format.md says
 * where the numbers come from): mcu = 20 KiB flash (TFLM runtime) and 2 KiB
 * SRAM (stack), the TinyML course's deployment check; linux = 0 and 0.
 */
void tfit_device_class_reserve(enum tfit_device_class c, uint64_t *flash_bytes,
			       uint64_t *sram_bytes);

/* ---- the profile ---- */

/*
 * Kinds of memory a region can be. Internal data RAM (sram, dtcm) is where
 * TFLM's arena goes by default; itcm is on-chip but meant for code; psram
 * and sdram are external RAM (slower, see the cost model); flash and
 * ext-flash hold the firmware image and the model.
 */
enum tfit_mem_kind {
	TFIT_MEM_SRAM = 0, TFIT_MEM_DTCM, TFIT_MEM_ITCM, TFIT_MEM_PSRAM, TFIT_MEM_SDRAM,
	TFIT_MEM_FLASH, TFIT_MEM_EXT_FLASH, TFIT_MEM_KIND_COUNT
};
/* "sram", "dtcm", "itcm", "psram", "sdram", "flash", "ext-flash". */
const char *tfit_mem_kind_name(enum tfit_mem_kind k);
/* Parse a kind name (exact); -1 when unknown. */
int tfit_mem_kind_parse(const char *name, enum tfit_mem_kind *out);
/* RAM kinds (an arena or weights can be placed there). */
int tfit_mem_kind_is_ram(enum tfit_mem_kind k);
/* External memories (psram, sdram, ext-flash): slower to reach. */
int tfit_mem_kind_is_external(enum tfit_mem_kind k);

/*
 * One region of the memory map. usable_bytes is what the application
 * really has there after the platform (the SDK's heap regions, the core's
 * reservations, the default partition table's app slot); 0 = unknown, and
 * a verdict that needs it says "unknown". ota_slot_bytes (flash kinds) is
 * each app slot of the platform's two-slot (A/B) layout; 0 = not given.
 * The *_source strings are the citations (NULL = none).
 */
struct tfit_mem_region {
	char *name;                     /* "sram", "dram-heap", "psram", "flash" */
	enum tfit_mem_kind kind;
	uint64_t bytes;                 /* physical size */
	uint64_t usable_bytes;          /* 0 = unknown */
	uint64_t ota_slot_bytes;        /* 0 = not given */
	char *size_source;
	char *usable_source;
	char *ota_slot_source;
	char *usable_unknown;           /* why no usable size can be given (no "usable"), or NULL */
	int implicit;                   /* made from a memory total, not listed */
};

struct tfit_accelerator {
	int present;                    /* 0: no "accelerator" object */
	char *kind;                     /* "npu", "gpu", "tpu", "cnn", "dsp" */
	char *name;                     /* "Arm Ethos-U55 (256 MACs/cycle)" */
	double macs_per_cycle;          /* peak int8 MACs per cycle; 0 = not given */
	double clock_mhz;               /* accelerator clock; 0 = not given */
	double tops;                    /* peak int8 TOPS; 0 = not given */
};

struct tfit_device_source {
	char *field;                    /* top-level field name: "clock_mhz", "sram" */
	char *text;                     /* the citation(s) */
};

/* The most aliases one profile may list (docs/limits.md): far above any
 * real board's handful, low enough that name checks stay cheap. */
#define TFIT_DEVICE_MAX_ALIASES 1024

/* The most memory regions one profile may list (docs/limits.md): real
 * boards list a handful; each region's name is checked against the ones
 * before it, so the count is bounded. */
#define TFIT_DEVICE_MAX_REGIONS 256

struct tfit_device {
	char *id;
	char *name;
	char *vendor;
	char *mcu;
	const struct tfit_core_info *core;
	enum tfit_device_class device_class;
	uint32_t cores;                 /* 0 = not given */
	double clock_mhz;               /* 0 = not given */

	uint64_t flash_bytes;           /* on-chip flash / MRAM; 0 = none known */
	uint64_t external_flash_bytes;  /* QSPI/OSPI/module flash, eMMC, SD */
	uint64_t sram_bytes;            /* on-chip SRAM total */
	struct tfit_mem_region *regions; /* the memory map (see the invariants) */
	size_t n_regions;
	uint64_t largest_region_bytes;  /* largest usable internal data region; 0 = none known */
	uint64_t psram_bytes;           /* external PSRAM/SRAM on the board */
	uint64_t dram_bytes;            /* SDRAM / LPDDR */

	enum tfit_fpu fpu;
	char *simd;                     /* an id of tfit_device_simd_list(); NULL = not given */
	struct tfit_accelerator accel;

	double active_power_mw;         /* 0 = not given */
	double sleep_power_mw;
	enum tfit_power_scope active_power_scope;   /* what each power figure covers */
	enum tfit_power_scope sleep_power_scope;
	double price_usd;

	char runtime[TFIT_DEVICE_RUNTIME_MAX]; /* profile's default_runtime, else by core */
	int runtime_from_profile;

	uint64_t reserve_flash_bytes;
	uint64_t reserve_sram_bytes;
	int reserve_from_profile;

	char **aliases;             /* at most TFIT_DEVICE_MAX_ALIASES */
	size_t n_aliases;
	struct tfit_device_source *sources;
	size_t n_sources;

	char *notes;                    /* free text from the profile, or NULL */
	char *file;                     /* the file this definition came from */
	char *overrides;                /* the file it replaced in the database, or NULL */
	int compiled;                   /* 1: compiled into the executable (shipped
					   data): tfit_device_release frees nothing */
};

/*
 * Parse one profile from text (len bytes) read from file (used in
 * messages and stored in dev->file). On success *dev is filled and owned by
 * the caller (tfit_device_release); on error *dev is left empty. Checks
 * every rule of docs/device-format.md except the cross-file ones
 * (duplicate ids and aliases, which the database checks).
 */
enum tfit_status tfit_device_parse(const char *text, size_t len, const char *file,
				   struct tfit_device *dev, struct tfit_error *err);
/* Same, with default_runtime also checked by check (may be NULL): an
 * unknown runtime is one more field error of the profile, reported with
 * the others at "default_runtime". */
enum tfit_status tfit_device_parse_checked(const char *text, size_t len, const char *file,
					   const struct tfit_device_runtime_check *check,
					   struct tfit_device *dev, struct tfit_error *err);

/*
 * Read and parse path. The shipped database names every file "<id>.json"
 * (a test checks it); user directories may name files freely, since the id
 * inside is what counts. Errors: TFIT_ERR_IO (cannot read), TFIT_ERR_INPUT
 * (bad profile).
 */
enum tfit_status tfit_device_load_file(const char *path, struct tfit_device *dev,
				       struct tfit_error *err);

/* Free everything dev owns and zero it. NULL-safe. */
void tfit_device_release(struct tfit_device *dev);

/* The citation for a top-level field, or NULL when the profile gives none. */
const char *tfit_device_source(const struct tfit_device *dev, const char *field);

/*
 * Fields the profile gives that have no source, written as field names into
 * out (at most max; pointers to static strings). Returns the total count.
 */
size_t tfit_device_unsourced(const struct tfit_device *dev, const char **out, size_t max);

/*
 * Bytes of flash a model may be stored in before the reserve: on-chip flash,
 * or external flash when the board has none on chip (RP2040, ESP32). 0 when
 * neither is known. (A physical total: the textbook method's figure.)
 */
uint64_t tfit_device_model_flash_bytes(const struct tfit_device *dev);

/* The region named name (ASCII case-insensitive), or NULL. */
const struct tfit_mem_region *tfit_device_region_find(const struct tfit_device *dev,
						      const char *name);
/*
 * Where TFLM's arena goes by default: the internal data region (sram,
 * dtcm) with the largest usable size; when none has a known usable size,
 * the largest of them by size (its usable size unknown). A linux-class
 * board with no internal region: its sdram region. NULL when the board
 * has no RAM region at all.
 */
const struct tfit_mem_region *tfit_device_arena_region(const struct tfit_device *dev);
/*
 * The flash region the firmware image (and by default the model) lives in:
 * on-chip flash, else external flash. NULL when neither is known.
 */
const struct tfit_mem_region *tfit_device_app_flash_region(const struct tfit_device *dev);
/* The region names as "a, b, c" into out (for messages). */
void tfit_device_region_names(const struct tfit_device *dev, char *out, size_t size);

/* ---- the database ---- */

struct tfit_device_index;
struct tfit_device_db {
	struct tfit_device *devices;    /* in order of first definition */
	size_t n_devices;
	size_t cap;
	/* set after init, before loading: checks each loaded profile's
	 * default_runtime (tfit_device_parse_checked); zero: spelling only */
	struct tfit_device_runtime_check runtime_check;
	/* the hash lookup of ids and aliases (device_db.c): kept by
	 * tfit_device_db_add, rebuilt by the first find after an add; NULL
	 * for a database not filled by tfit_device_db_add (found by a scan).
	 * A find may rebuild it, so one database is not searched from two
	 * threads at once. */
	struct tfit_device_index *index;
};

void tfit_device_db_init(struct tfit_device_db *db);

/*
 * Add n devices compiled into the executable (tinyfit/shipped.h), as if their
 * directory had been loaded: same order, same overriding by later
 * directories; the db copies the structs and never frees what they point
 * to. Errors: TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_device_db_add_compiled(struct tfit_device_db *db,
					     const struct tfit_device *devs, size_t n,
					     struct tfit_error *err);

/*
 * Check the runtime of each of n loaded or compiled boards with check, as
 * tfit_device_parse_checked checks a profile's default_runtime: a runtime
 * the profile names (runtime_from_profile) is an error at its file and
 * "default_runtime", the one its core implies an error at "core"; the
 * first rejected board is reported (TFIT_ERR_INPUT). tfit_datagen runs it
 * on the shipped boards against the shipped runtime registry, so a board
 * naming an unknown runtime or version fails the build (the compiled
 * boards are not checked again at run time).
 */
enum tfit_status tfit_device_check_runtimes(const struct tfit_device *devs, size_t n,
					    const struct tfit_device_runtime_check *check,
					    struct tfit_error *err);

/*
 * Append d as C: its arrays as static objects named sym_N
 * (tfit_device_emit_c_parts), then the initialiser of a struct
 * tfit_device (tfit_device_emit_c_init, "{ ... }", compiled = 1) that
 * refers to them. The build compiles the shipped profiles this way.
 */
void tfit_device_emit_c_parts(const struct tfit_device *d, const char *sym,
			      struct tfit_strbuf *out);
void tfit_device_emit_c_init(const struct tfit_device *d, const char *sym,
			     struct tfit_strbuf *out);
/* Free every device. NULL-safe. */
void tfit_device_db_release(struct tfit_device_db *db);

/*
 * Load every "*.json" file of dir, in name order. The first bad profile
 * stops the load with its error (no board is ever skipped). Two files of
 * one directory defining the same id, or an alias naming another board of
 * the directory, are TFIT_ERR_INPUT. An id already in the database from an
 * earlier directory is replaced, and the new device's overrides names the
 * old file. A directory that cannot be opened is TFIT_ERR_IO.
 */
enum tfit_status tfit_device_db_load_dir(struct tfit_device_db *db, const char *dir,
					 struct tfit_error *err);

/*
 * Same, but record (and report) each file as "<label>/<name>" instead of
 * "<dir>/<name>": the CLI loads its built-in directory as "<built-in>" so
 * that output does not depend on where tinyfit is installed. I/O errors
 * still name the real path.
 */
enum tfit_status tfit_device_db_load_dir_as(struct tfit_device_db *db, const char *dir,
					    const char *label, struct tfit_error *err);

/* Load dirs[0..n) in order (later overrides earlier). */
enum tfit_status tfit_device_db_load_dirs(struct tfit_device_db *db, const char *const *dirs,
					  size_t n, struct tfit_error *err);

/* Add a parsed device (ownership moves into db; *dev is zeroed). Same
 * override rule as loading; never fails except on memory. */
enum tfit_status tfit_device_db_add(struct tfit_device_db *db, struct tfit_device *dev,
				    struct tfit_error *err);

/*
 * Find a board by id or alias, ASCII case-insensitively. Ids win over
 * aliases; among aliases the most recently loaded board wins. NULL when
 * not found.
 */
const struct tfit_device *tfit_device_db_find(const struct tfit_device_db *db,
					      const char *name);

/*
 * Closest ids to an unknown name (edit distance on ids and aliases,
 * case-insensitive, plus ids containing the name). Writes up to max ids,
 * best first (ties by id); returns the count. Pointers into db.
 */
size_t tfit_device_db_suggest(const struct tfit_device_db *db, const char *name,
			      const char **out, size_t max);

/*
 * Lookup failure as an error: "unknown device 'X' (did you mean a, b?)",
 * TFIT_ERR_USAGE (the name comes from the command line), no file or path.
 */
enum tfit_status tfit_device_db_find_or_error(const struct tfit_device_db *db,
					      const char *name,
					      const struct tfit_device **out,
					      struct tfit_error *err);

/* ---- listing ---- */

struct tfit_device_filter {
	const char *core;               /* core id or family name; NULL = any */
	const char *vendor;             /* case-insensitive substring; NULL = any */
	uint64_t min_sram_bytes;        /* 0 = no limit; compares sram_bytes */
	uint64_t min_flash_bytes;       /* 0 = no limit; compares model flash */
};

enum tfit_device_sort {
	TFIT_DEVICE_SORT_ID = 0,
	TFIT_DEVICE_SORT_NAME,
	TFIT_DEVICE_SORT_SRAM,          /* descending, then id */
	TFIT_DEVICE_SORT_FLASH,         /* descending, then id */
	TFIT_DEVICE_SORT_CLOCK,         /* descending, then id */
	TFIT_DEVICE_SORT_PRICE,         /* ascending, unknown last, then id */
	TFIT_DEVICE_SORT_COUNT
};
/* "id", "name", "sram", "flash", "clock", "price"; parse returns -1 if unknown. */
const char *tfit_device_sort_name(enum tfit_device_sort s);
int tfit_device_sort_parse(const char *name, enum tfit_device_sort *out);

/*
 * Select the devices that pass filter (NULL = all) in sort order. *out is a
 * malloc'ed array of pointers into db (caller frees; NULL when the count
 * is 0). An unknown core in the filter is TFIT_ERR_USAGE listing the valid
 * ones. Deterministic (stable, ties by id).
 */
enum tfit_status tfit_device_db_select(const struct tfit_device_db *db,
				       const struct tfit_device_filter *filter,
				       enum tfit_device_sort sort,
				       const struct tfit_device ***out, size_t *n_out,
				       struct tfit_error *err);

#endif
