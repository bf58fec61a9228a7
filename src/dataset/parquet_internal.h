/*
 * Insides of the Parquet writer (write_parquet.c), kept apart so that the
 * encodings can be tested on their own: the Thrift compact protocol for the
 * metadata (parquet-format's parquet.thrift), the RLE/bit-packed hybrid for
 * definition levels and dictionary indices, and a 64-bit value dictionary.
 * Not for use outside src/dataset/.
 */
#ifndef DATASET_PARQUET_INTERNAL_H
#define DATASET_PARQUET_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

/* --- Thrift compact protocol (writing only) ------------------------------------------------------------ */

enum pq_ttype {
	PQ_T_BOOL_TRUE = 1, PQ_T_BOOL_FALSE = 2, PQ_T_BYTE = 3, PQ_T_I16 = 4, PQ_T_I32 = 5, PQ_T_I64 = 6,
	PQ_T_DOUBLE = 7, PQ_T_BINARY = 8, PQ_T_LIST = 9, PQ_T_SET = 10, PQ_T_MAP = 11, PQ_T_STRUCT = 12,
};

#define PQ_THRIFT_MAX_DEPTH 16

struct pq_thrift {
	struct buf *b;
	int16_t last[PQ_THRIFT_MAX_DEPTH]; /* last field id per open struct (field ids are delta-coded) */
	int depth;
};

void pq_thrift_init(struct pq_thrift *t, struct buf *b);
void pq_thrift_i32(struct pq_thrift *t, int16_t id, int32_t v);
void pq_thrift_i64(struct pq_thrift *t, int16_t id, int64_t v);
void pq_thrift_bool(struct pq_thrift *t, int16_t id, int v);
void pq_thrift_binary(struct pq_thrift *t, int16_t id, const void *p, size_t n);
void pq_thrift_string(struct pq_thrift *t, int16_t id, const char *s);
/* A struct field; close it with pq_thrift_struct_end(). */
void pq_thrift_struct_begin(struct pq_thrift *t, int16_t id);
void pq_thrift_struct_end(struct pq_thrift *t);
/* A list field of n elements of elem_type, followed by n pq_thrift_elem_* calls. */
void pq_thrift_list_begin(struct pq_thrift *t, int16_t id, enum pq_ttype elem_type, size_t n);
void pq_thrift_elem_i32(struct pq_thrift *t, int32_t v);
void pq_thrift_elem_string(struct pq_thrift *t, const char *s);
/* A struct element of a list; close it with pq_thrift_struct_end(). */
void pq_thrift_elem_struct_begin(struct pq_thrift *t);
/* Ends the top-level struct being written (writes its stop byte). */
void pq_thrift_end(struct pq_thrift *t);

void pq_varint(struct buf *b, uint64_t v);

/* --- RLE / bit-packed hybrid (parquet-format Encodings.md) --------------------------------------------- */

/* Bits needed for values up to max_value (at least 1). */
int pq_bit_width(uint64_t max_value);
/* Appends the hybrid encoding of v[0..n) at bit width bw (no length prefix). */
void pq_rle_encode(struct buf *b, const uint32_t *v, size_t n, int bw);

/* --- 64-bit value dictionary ------------------------------------------------------------------------------ */

struct pq_dict64 {
	uint64_t *values;   /* distinct values in order of first appearance */
	uint32_t *slots;    /* open addressing: code + 1, 0 = empty */
	size_t n, cap, slot_cap;
};
void pq_dict64_reset(struct pq_dict64 *d);
void pq_dict64_release(struct pq_dict64 *d);
/* Code of v, added when new; returns UINT32_MAX when the dictionary would pass max entries. */
uint32_t pq_dict64_code(struct pq_dict64 *d, uint64_t v, size_t max);

#endif
