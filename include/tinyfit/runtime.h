/*
 * runtime.h - inference runtime profiles (TFLM reference kernels, TFLM with
 * CMSIS-NN or ESP-NN kernels, X-CUBE-AI, ...), loaded from data files
 * data/runtimes/<id>.json (format: docs/runtime-format.md). A new runtime is
 * a new file; nothing here names a particular runtime.
 *
 * A profile says how the runtime lays out its tensor arena (structure sizes
 * of a 32-bit build, alignment, planner working memory), which persistent
 * data and scratch buffers each kernel asks for (as expressions over the
 * op's tensors and options, evaluated by the planner), and how much flash
 * its code takes (base plus per kernel).
 *
 * Ownership: tfit_runtime_load() returns a profile the caller frees with
 * tfit_runtime_free() (NULL-safe). A profile owns its strings and compiled
 * rules; it is read-only after loading and may be shared by any number of
 * plans (plans keep no pointer into it).
 *
 * Invariants after a successful load: id is non-empty; every kernel rule's
 * expressions compiled; for arena kind TFIT_ARENA_TFLM every structure size
 * is set; a profile that inherits ("base") has its parent's rules after its
 * own, so its own rules win.
 */
#ifndef TINYFIT_RUNTIME_H
#define TINYFIT_RUNTIME_H

#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"
#include "tinyfit/strbuf.h"

/* How the runtime's working memory is modelled. */
enum tfit_arena_kind {
	TFIT_ARENA_TFLM = 0,    /* TFLM's MicroAllocator: head + tail, simulated */
	TFIT_ARENA_ACTIVATIONS  /* a code generator: planned activations + fixed overhead */
};

/*
 * TFLM allocator facts for one build (bytes, 32-bit unless the file says
 * otherwise). Field names follow tflite-micro's structures; the data file
 * gives each one's source.
 */
struct tfit_arena_layout {
	uint64_t buffer_alignment;          /* MicroArenaBufferAlignment() */
	uint64_t struct_alignment;          /* alignof of the allocator's structs */
	uint64_t allocator_objects_bytes;   /* allocators + planner, without SubgraphAllocations */
	uint64_t subgraph_allocations_bytes;/* per subgraph */
	uint64_t eval_tensor_bytes;         /* TfLiteEvalTensor, per tensor */
	uint64_t node_and_registration_bytes; /* per op */
	uint64_t tflite_tensor_bytes;       /* TfLiteTensor (persistent I/O, temp in Prepare) */
	uint64_t affine_quantization_bytes; /* TfLiteAffineQuantization */
	uint64_t int_array_header_bytes;    /* TfLiteIntArray size field */
	uint64_t int_array_elem_bytes;      /* one int of a TfLiteIntArray */
	uint64_t pointer_bytes;             /* TfLiteTensor* in the I/O arrays */
	uint64_t scratch_request_bytes;     /* internal::ScratchBufferRequest */
	uint64_t max_scratch_per_op;        /* kMaxScratchBuffersPerOp */
	uint64_t scratch_handle_bytes;      /* ScratchBufferHandle */
	uint64_t subgraph_offset_bytes;     /* size_t per subgraph, planning temp */
	uint64_t allocation_info_bytes;     /* AllocationInfo, planning temp */
	uint64_t planner_bytes_per_buffer;  /* GreedyMemoryPlanner::per_buffer_size() */
	uint64_t fixed_bytes;               /* TFIT_ARENA_ACTIVATIONS: runtime overhead */
};

/* A compiled expression (opaque; src/plan/rule_expr.c). */
struct tfit_rule_expr;

/* One allocation or scratch request a kernel makes, under a condition. */
struct tfit_rule_alloc {
	struct tfit_rule_expr *when;        /* NULL = always */
	struct tfit_rule_expr *bytes;
	char *what;                         /* short label ("OpDataConv") */
};

/* The arena rules of one kernel (one row of "kernels" in the data file). */
struct tfit_kernel_rule {
	char *op;                           /* op name ("conv_2d") or "custom:Name" */
	struct tfit_rule_expr *when;        /* selects among rows for one op; NULL = always */
	char *error;                        /* non-NULL: the runtime rejects this op (diagnosis) */
	uint64_t builtin_data_bytes;        /* parsed builtin options struct */
	uint64_t builtin_data_align;
	struct tfit_rule_alloc *init;       /* persistent, in Init() */
	uint32_t n_init;
	struct tfit_rule_alloc *prepare;    /* persistent, in Prepare() */
	uint32_t n_prepare;
	struct tfit_rule_alloc *scratch;    /* scratch requests, in Prepare() */
	uint32_t n_scratch;
	char *source;                       /* where the rule comes from */
};

struct tfit_flash_kernel {
	char *op;
	uint64_t bytes;
};

/* Code that several kernels share: linked once if any of them is. */
struct tfit_flash_group {
	char **ops;
	uint32_t n_ops;
	uint64_t bytes;
};

/* The runtime's code, as measured (or estimated) for one build. */
struct tfit_code_table {
	uint64_t base_bytes;                /* the core: interpreter, allocator, ... */
	uint64_t default_kernel_bytes;      /* for an op without its own figure */
	struct tfit_flash_kernel *kernels;  /* each kernel's own code */
	uint32_t n_kernels;
	struct tfit_flash_group *groups;    /* code kernels share */
	uint32_t n_groups;
	char *source;
	char *measured_on;                  /* "Cortex-M4F, GCC 12.2"; NULL: estimates */
	/* a fitted bound (X-CUBE-AI, tools/xcubeai-runtime-size): code that
	 * grows with the model's tensors, and what the fit's data covers */
	uint64_t per_tensor_bytes;
	uint64_t max_tensors;               /* 0: no limit */
	int listed_kernels_only;            /* an op not in kernels[] is outside the data */
	/* the core architectures the fit's data covers, comma-separated
	 * ("armv7e-m,armv8-m.main"; struct tfit_core_info.arch); NULL: any */
	char *archs;
	/* the model dtypes the fit's data covers, comma-separated ("int8";
	 * tfit_dtype_name of struct tfit_model.dtype); NULL: any */
	char *dtypes;
};

/* A table for the boards of one core ("cortex-m0plus"). */
struct tfit_core_code_table {
	char *core;
	struct tfit_code_table table;
};

/* What the runtime's flash holds of the model. */
enum tfit_model_stored {
	TFIT_MODEL_STORED_FILE = 0,         /* the model file itself, linked in as a C array (TFLM's g_model) */
	TFIT_MODEL_STORED_WEIGHTS           /* a weights blob the runtime's generator writes (X-CUBE-AI) */
};

/*
 * How the runtime deploys a model, in its own words (the profile's
 * "deploys" section; docs/runtime-format.md): what its flash holds of the
 * model and what the reports call each part. A profile without the section
 * gets the generic words ("model", "arena", "runtime state", "runtime code")
 * and stores the model file; a profile with a base inherits its base's.
 * Every string is non-NULL after a load ("" = no such name).
 */
struct tfit_runtime_terms {
	enum tfit_model_stored model_stored;
	char *model;                        /* the model in flash: "model", "weights (ro)" */
	char *model_constant;               /* its size's name in the generated code, "" = none */
	char *arena;                        /* the working buffer: "arena", "activations (rw)" */
	char *arena_constant;               /* "kTensorArenaSize", "AI_NETWORK_DATA_ACTIVATIONS_SIZE" */
	char *arena_head;                   /* its planned part: "head" */
	char *arena_tail;                   /* its fixed part: "tail" */
	char *arena_plan;                   /* how tinyfit plans it: "TFLM's plan" */
	char *state;                        /* RAM outside the buffer: "runtime state", "runtime RAM" */
	char *state_what;                   /* what that is: "interpreter and op resolver" */
	char *code;                         /* its code in flash: "runtime code", "runtime library" */
	char *note;                         /* the reports' footnote sentence on these figures */
	char *title;                        /* compare's title: "TFLM's arena" */
	char *source;                       /* where the words come from */
};

/* The bytes each word has in a report (struct tfit_fit_terms, the NUL
 * included): a profile's longer word is an error at parse, never cut. */
#define TFIT_TERM_SIZES(X) \
	X(model, 48) \
	X(model_constant, 64) \
	X(arena, 48) \
	X(arena_constant, 64) \
	X(arena_head, 48) \
	X(arena_tail, 48) \
	X(arena_plan, 96) \
	X(state, 48) \
	X(state_what, 96) \
	X(code, 48) \
	X(note, 256) \
	X(title, 64)

/* The generic words (a static object; a profile without "deploys"). */
const struct tfit_runtime_terms *tfit_runtime_terms_generic(void);

struct tfit_runtime {
	char *id;                           /* "tflm-cmsis-nn" */
	char *name;                         /* human name */
	char *source;                       /* provenance of the profile */
	enum tfit_arena_kind arena_kind;
	struct tfit_arena_layout layout;
	struct tfit_kernel_rule *kernels;   /* own rules first, then the base's */
	uint32_t n_kernels;
	/* Flash: code of the runtime core and of each kernel linked in; the
	 * table for boards of a core listed in flash_by_core, else flash. */
	struct tfit_code_table flash;
	struct tfit_core_code_table *flash_by_core;
	uint32_t n_flash_by_core;
	/* SRAM the runtime keeps outside the arena (the interpreter object and
	 * the op resolver, statically allocated by the application). */
	uint64_t state_fixed_bytes;
	uint64_t state_per_op_type_bytes;   /* one resolver slot per op type used */
	uint64_t state_per_tensor_bytes;    /* runtime structures per tensor (X-CUBE-AI) */
	char *state_source;
	struct tfit_runtime_terms terms;    /* what it deploys, in its words */
};

/*
 * Load the profile <data_dir>/runtimes/<id>.json (data_dir is the staged
 * share/tinyfit directory the CLI passes down), following "base" to its
 * parent (at most 4 levels). Errors: TFIT_ERR_INPUT with "unknown runtime
 * 'x'" when the file does not exist (the message lists the known ids), JSON
 * and schema errors with file and JSON path; TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_runtime_load(const char *data_dir, const char *id,
				   struct tfit_runtime **out, struct tfit_error *err);

/* Load one profile file (its "base" is looked up beside it). */
enum tfit_status tfit_runtime_load_file(const char *path, struct tfit_runtime **out,
					struct tfit_error *err);

void tfit_runtime_free(struct tfit_runtime *rt);

/* A deep copy of a loaded profile (the caller frees it with tfit_runtime_free). */
enum tfit_status tfit_runtime_clone(const struct tfit_runtime *rt, struct tfit_runtime **out,
				    struct tfit_error *err);

/*
 * Append rt as C static initialisers to out: objects named sym_N and last
 * `static const struct tfit_runtime sym`, compiled with src/ on the include
 * path (src/plan/rule_expr_nodes.h). The build compiles the shipped
 * profiles this way (src/gen/tfit_datagen.c); the same profile gives the
 * same text.
 */
void tfit_runtime_emit_c(const struct tfit_runtime *rt, const char *sym, struct tfit_strbuf *out);

/*
 * A set of runtime profiles loaded at most once: tfit_runtime_set_get()
 * loads <data_dir>/runtimes/<id>.json on the first request for id (as
 * tfit_runtime_load, the same errors) and returns the same profile on the
 * next ones; a base profile is loaded once into the set and copied into
 * each profile that inherits from it, so every file is parsed once. The
 * set owns what it returns (read-only, valid until tfit_runtime_set_free);
 * a failed load is not kept. tfit_runtime_set_add_static() adds a profile
 * the set does not own (the build's compiled data); data_dir may then be
 * NULL. Not thread-safe: one set per thread.
 */
struct tfit_runtime_set;
enum tfit_status tfit_runtime_set_new(const char *data_dir, struct tfit_runtime_set **out,
				      struct tfit_error *err);
enum tfit_status tfit_runtime_set_add_static(struct tfit_runtime_set *s,
					     const struct tfit_runtime *rt, struct tfit_error *err);
enum tfit_status tfit_runtime_set_get(struct tfit_runtime_set *s, const char *id,
				      const struct tfit_runtime **out, struct tfit_error *err);
void tfit_runtime_set_free(struct tfit_runtime_set *s);

/*
 * The ids of the profiles in <data_dir>/runtimes/, sorted, as a
 * NULL-terminated array the caller frees with tfit_runtime_ids_free().
 */
enum tfit_status tfit_runtime_ids(const char *data_dir, char ***ids, struct tfit_error *err);
void tfit_runtime_ids_free(char **ids);

/*
 * The rule that applies to op `op_index` of subgraph `sg` (first row whose
 * op name matches and whose "when" holds), or NULL when the profile has no
 * row for it (then the op has no kernel data). Errors (TFIT_ERR_INPUT) only
 * when an expression cannot be evaluated (overflow, division by zero).
 */
enum tfit_status tfit_runtime_find_rule(const struct tfit_runtime *rt,
					const struct tfit_model *m, uint32_t sg,
					uint32_t op_index,
					const struct tfit_kernel_rule **rule,
					struct tfit_error *err);

/* SRAM outside the arena for a model using n_op_types distinct op types. */
uint64_t tfit_runtime_state_bytes(const struct tfit_runtime *rt, uint32_t n_op_types,
				  uint64_t n_tensors);

/* The code table for boards whose core is core_id (NULL: the default). */
const struct tfit_code_table *tfit_runtime_code_table(const struct tfit_runtime *rt,
						      const char *core_id);

/* Flash bytes of the kernel for op type name `op` (the default when unlisted):
 * its own code, without the groups it shares with other kernels. */
uint64_t tfit_code_table_kernel_bytes(const struct tfit_code_table *t, const char *op);

/*
 * Runtime code for a model whose distinct op types are ops[0..n_ops) (names
 * as in op_list.h, "custom:<code>" for custom ops): the core, each kernel's
 * own code, and each shared group any of them uses, once. Saturates.
 */
uint64_t tfit_code_table_bytes(const struct tfit_code_table *t, const char *const *ops,
			       size_t n_ops);

#endif
