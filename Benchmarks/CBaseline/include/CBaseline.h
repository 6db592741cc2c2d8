#ifndef SECAGG_CBASELINE_H
#define SECAGG_CBASELINE_H
/* C baselines measured in the same benchmark run as the Swift code they bound:
 * plain GMP mpz_powm, a raw OpenSSL EVP AES-256-CTR keystream, and the cost of faulting in fresh memory. */
#include <stddef.h>
#include <stdint.h>

/* Opaque GMP operands for a modular exponentiation baseline, built from big-endian bytes. */
typedef struct cbaseline_powm cbaseline_powm;
cbaseline_powm *cbaseline_powm_create(const uint8_t *base, size_t base_len, const uint8_t *exponent,
                                      size_t exponent_len, const uint8_t *modulus, size_t modulus_len);
/* One mpz_powm(result, base, exponent, modulus); returns the low limb of the result (to keep it live). */
uint64_t cbaseline_powm_run(cbaseline_powm *state);
/* One mpz_powm_sec, the constant-time variant. */
uint64_t cbaseline_powm_sec_run(cbaseline_powm *state);
void cbaseline_powm_destroy(cbaseline_powm *state);

/* AES-256-CTR keystream of `length` bytes (encrypting zeros in place) with a raw EVP context.
 * Returns 0 on success, -1 on an OpenSSL failure. */
int cbaseline_aes256ctr_keystream(const uint8_t key[32], const uint8_t iv[16], uint8_t *out, size_t length);
/* The memory floor of an operation that returns `count` new buffers of `bytes` each: allocates them with
 * malloc and writes every byte (so every page is faulted in, as an output array's are). Returns an opaque
 * handle for cbaseline_fresh_buffers_free (kept out of the measurement), or NULL on allocation failure. */
typedef struct cbaseline_buffers cbaseline_buffers;
cbaseline_buffers *cbaseline_fresh_buffers_create(size_t count, size_t bytes);
void cbaseline_fresh_buffers_free(cbaseline_buffers *buffers);
#endif
