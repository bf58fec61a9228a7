/*
 * Encodings of the Parquet writer: the Thrift compact protocol for metadata
 * and page headers, the RLE/bit-packed hybrid, and a hash dictionary of
 * 64-bit values. Everything is appended to a struct buf (little-endian host
 * assumed, as on every machine ciminer targets; checked at compile time).
 */
#include "dataset/parquet_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Parquet writer assumes a little-endian host"
#endif

void pq_varint(struct buf *b, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;
	while (v >= 0x80) {
		tmp[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (uint8_t)v;
	buf_add(b, tmp, n);
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

void pq_thrift_init(struct pq_thrift *t, struct buf *b)
{
	t->b = b;
	t->depth = 0;
	t->last[0] = 0;
}

static void field_header(struct pq_thrift *t, int16_t id, enum pq_ttype type)
{
	int delta = id - t->last[t->depth];
	if (delta > 0 && delta <= 15) {
		buf_addch(t->b, (char)((delta << 4) | type));
	} else {
		buf_addch(t->b, (char)type);
		pq_varint(t->b, zigzag(id));
	}
	t->last[t->depth] = id;
}

void pq_thrift_i32(struct pq_thrift *t, int16_t id, int32_t v)
{
	field_header(t, id, PQ_T_I32);
	pq_varint(t->b, zigzag(v));
}

void pq_thrift_i64(struct pq_thrift *t, int16_t id, int64_t v)
{
	field_header(t, id, PQ_T_I64);
	pq_varint(t->b, zigzag(v));
}

void pq_thrift_bool(struct pq_thrift *t, int16_t id, int v)
{
	field_header(t, id, v ? PQ_T_BOOL_TRUE : PQ_T_BOOL_FALSE);
}

void pq_thrift_binary(struct pq_thrift *t, int16_t id, const void *p, size_t n)
{
	field_header(t, id, PQ_T_BINARY);
	pq_varint(t->b, n);
	buf_add(t->b, p, n);
}

void pq_thrift_string(struct pq_thrift *t, int16_t id, const char *s)
{
	pq_thrift_binary(t, id, s, strlen(s));
}

static void push(struct pq_thrift *t)
{
	if (t->depth + 1 >= PQ_THRIFT_MAX_DEPTH)
		abort(); /* the writer's own metadata never nests this deep: a bug */
	t->last[++t->depth] = 0;
}

void pq_thrift_struct_begin(struct pq_thrift *t, int16_t id)
{
	field_header(t, id, PQ_T_STRUCT);
	push(t);
}

void pq_thrift_struct_end(struct pq_thrift *t)
{
	buf_addch(t->b, 0);
	t->depth--;
}

void pq_thrift_list_begin(struct pq_thrift *t, int16_t id, enum pq_ttype elem_type, size_t n)
{
	field_header(t, id, PQ_T_LIST);
	if (n < 15) {
		buf_addch(t->b, (char)((n << 4) | elem_type));
	} else {
		buf_addch(t->b, (char)(0xf0 | elem_type));
		pq_varint(t->b, n);
	}
}

void pq_thrift_elem_i32(struct pq_thrift *t, int32_t v)
{
	pq_varint(t->b, zigzag(v));
}

void pq_thrift_elem_string(struct pq_thrift *t, const char *s)
{
	size_t n = strlen(s);
	pq_varint(t->b, n);
	buf_add(t->b, s, n);
}

void pq_thrift_elem_struct_begin(struct pq_thrift *t)
{
	push(t);
}

void pq_thrift_end(struct pq_thrift *t)
{
	buf_addch(t->b, 0);
}

/* --- RLE / bit-packed hybrid ------------------------------------------------------------------------------ */

int pq_bit_width(uint64_t max_value)
{
	int w = 1;
	while (w < 64 && (max_value >> w) != 0)
		w++;
	return w;
}

/* A bit-packed run of n values (n padded with zeros up to a multiple of 8). */
static void emit_literals(struct buf *b, const uint32_t *v, size_t n, int bw)
{
	size_t groups = (n + 7) / 8;
	pq_varint(b, (groups << 1) | 1);
	size_t nbytes = groups * (size_t)bw;
	size_t at = b->len;
	uint8_t zero[64] = { 0 };
	for (size_t k = 0; k < nbytes; k += sizeof(zero))
		buf_add(b, zero, nbytes - k < sizeof(zero) ? nbytes - k : sizeof(zero));
	uint8_t *out = (uint8_t *)b->data + at;
	uint64_t acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < groups * 8; i++) {
		acc |= (uint64_t)(i < n ? v[i] : 0) << bits;
		bits += bw;
		while (bits >= 8) {
			out[o++] = (uint8_t)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
}

static void emit_repeat(struct buf *b, uint32_t value, size_t n, int bw)
{
	pq_varint(b, (uint64_t)n << 1);
	uint8_t le[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24) };
	buf_add(b, le, (size_t)(bw + 7) / 8);
}

void pq_rle_encode(struct buf *b, const uint32_t *v, size_t n, int bw)
{
	size_t i = 0, lit_start = 0, lit_n = 0;
	while (i < n) {
		size_t r = 1;
		while (i + r < n && v[i + r] == v[i])
			r++;
		if (r < 8) {
			if (!lit_n)
				lit_start = i;
			lit_n += r;
			i += r;
			continue;
		}
		if (lit_n) {
			/* A bit-packed run in the middle must hold a multiple of 8 values: borrow from the repeat. */
			size_t pad = (8 - lit_n % 8) % 8;
			lit_n += pad;
			i += pad;
			r -= pad;
			emit_literals(b, v + lit_start, lit_n, bw);
			lit_n = 0;
			if (r < 8) {
				lit_start = i;
				lit_n = r;
				i += r;
				continue;
			}
		}
		emit_repeat(b, v[i], r, bw);
		i += r;
	}
	if (lit_n)
		emit_literals(b, v + lit_start, lit_n, bw);
}

/* --- 64-bit dictionary -------------------------------------------------------------------------------------- */

void pq_dict64_reset(struct pq_dict64 *d)
{
	if (d->slots)
		memset(d->slots, 0, d->slot_cap * sizeof(uint32_t));
	d->n = 0;
}

void pq_dict64_release(struct pq_dict64 *d)
{
	free(d->values);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

static size_t slot_of(uint64_t v, size_t cap)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	return (size_t)v & (cap - 1);
}

static void dict_rehash(struct pq_dict64 *d)
{
	size_t ncap = d->slot_cap ? d->slot_cap * 2 : 1024;
	free(d->slots);
	d->slots = xcalloc(ncap, sizeof(uint32_t));
	d->slot_cap = ncap;
	for (size_t k = 0; k < d->n; k++) {
		size_t i = slot_of(d->values[k], ncap);
		while (d->slots[i])
			i = (i + 1) & (ncap - 1);
		d->slots[i] = (uint32_t)k + 1;
	}
}

uint32_t pq_dict64_code(struct pq_dict64 *d, uint64_t v, size_t max)
{
	if ((d->n + 1) * 2 > d->slot_cap)
		dict_rehash(d);
	size_t i = slot_of(v, d->slot_cap);
	for (; d->slots[i]; i = (i + 1) & (d->slot_cap - 1))
		if (d->values[d->slots[i] - 1] == v)
			return d->slots[i] - 1;
	if (d->n >= max)
		return UINT32_MAX;
	xgrow((void **)&d->values, &d->cap, d->n + 1, sizeof(uint64_t));
	d->values[d->n] = v;
	d->slots[i] = (uint32_t)d->n + 1;
	return (uint32_t)d->n++;
}
