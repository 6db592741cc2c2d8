// The only C that Bignum sees. gmp.h defines most of its API as macros over `__gmpz_*` symbols; the
// few that are pure macros (sign, parity) get small inline wrappers here. This file also installs
// GMP memory functions that wipe every block GMP frees or moves, so limbs of secret values never
// linger in freed heap memory (see Specs/bignum.md).
#ifndef SECAGG_CGMP_SHIM_H
#define SECAGG_CGMP_SHIM_H

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

static inline int cgmp_sgn(const __mpz_struct *x) { return mpz_sgn(x); }
static inline int cgmp_odd_p(const __mpz_struct *x) { return mpz_odd_p(x); }
static inline size_t cgmp_limb_bytes(void) { return sizeof(mp_limb_t); }

/// Overwrites `size` bytes at `p` with zeros in a way the optimizer may not remove.
static inline void cgmp_wipe(void *p, size_t size) {
    if (p == NULL || size == 0) { return; }
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (size--) { *v++ = 0; }
}

static inline void *cgmp_wiping_alloc(size_t size) {
    void *p = malloc(size);
    if (p == NULL) { abort(); }  /* GMP's own contract: allocation functions never return NULL. */
    return p;
}

static inline void *cgmp_wiping_realloc(void *old, size_t old_size, size_t new_size) {
    void *p = malloc(new_size);
    if (p == NULL) { abort(); }
    if (old != NULL) {
        memcpy(p, old, old_size < new_size ? old_size : new_size);
        cgmp_wipe(old, old_size);
        free(old);
    }
    return p;
}

static inline void cgmp_wiping_free(void *p, size_t size) {
    cgmp_wipe(p, size);
    free(p);
}

/// Makes GMP wipe every block it frees or moves. Call once, before the first GMP allocation.
static inline void cgmp_install_wiping_allocator(void) {
    mp_set_memory_functions(cgmp_wiping_alloc, cgmp_wiping_realloc, cgmp_wiping_free);
}

#endif
