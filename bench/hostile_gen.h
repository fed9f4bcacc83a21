/*
 * hostile_gen.h - the hostile inputs of issue #17, generated at run time
 * (tinyfit_bench --hostile): each once made tinyfit run for seconds to
 * minutes or take gigabytes from a small file.
 *   - fanin20k.json: 20,000 dense layers reading one input, summed by one
 *     add (the planner's worst case: 40,000 buffers live at once);
 *   - fanin20k.tflite: 20,000 ADDs of the input, every output a subgraph
 *     output;
 *   - keras_seq50k.json / keras_func50k.json: a 50,000-layer Keras
 *     Sequential and a 50,000-layer functional chain;
 *   - array60mb.json: {"format":"tinyfit-model","x":[0,0,...]}, 60 MB;
 *   - aliases/: one board profile with 100,000 aliases.
 */
#ifndef TFIT_HOSTILE_GEN_H
#define TFIT_HOSTILE_GEN_H

#define HOSTILE_FANIN 20000u
#define HOSTILE_KERAS_LAYERS 50000u
#define HOSTILE_ARRAY_BYTES 60000000u
#define HOSTILE_ALIASES 100000u

struct bench_hostile {
	char fanin_json[1024];
	char fanin_tflite[1024];
	char keras_seq[1024];
	char keras_func[1024];
	char array60[1024];
	char aliases_dir[1024];
};

/* Write every hostile input into dir (which must exist). 0, or -1. */
int bench_gen_hostile(const char *dir, struct bench_hostile *h);
/* Only fill in the paths. */
void bench_hostile_paths(const char *dir, struct bench_hostile *h);

#endif
