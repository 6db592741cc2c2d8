#include "CBaseline.h"

#include <gmp.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

struct cbaseline_powm {
    mpz_t base, exponent, modulus, result;
};

cbaseline_powm *cbaseline_powm_create(const uint8_t *base, size_t base_len, const uint8_t *exponent,
                                      size_t exponent_len, const uint8_t *modulus, size_t modulus_len) {
    cbaseline_powm *state = malloc(sizeof *state);
    if (state == NULL) return NULL;
    mpz_inits(state->base, state->exponent, state->modulus, state->result, NULL);
    mpz_import(state->base, base_len, 1, 1, 1, 0, base);
    mpz_import(state->exponent, exponent_len, 1, 1, 1, 0, exponent);
    mpz_import(state->modulus, modulus_len, 1, 1, 1, 0, modulus);
    return state;
}

uint64_t cbaseline_powm_run(cbaseline_powm *state) {
    mpz_powm(state->result, state->base, state->exponent, state->modulus);
    return (uint64_t)mpz_getlimbn(state->result, 0);
}

uint64_t cbaseline_powm_sec_run(cbaseline_powm *state) {
    mpz_powm_sec(state->result, state->base, state->exponent, state->modulus);
    return (uint64_t)mpz_getlimbn(state->result, 0);
}

void cbaseline_powm_destroy(cbaseline_powm *state) {
    if (state == NULL) return;
    mpz_clears(state->base, state->exponent, state->modulus, state->result, NULL);
    free(state);
}

int cbaseline_aes256ctr_keystream(const uint8_t key[32], const uint8_t iv[16], uint8_t *out, size_t length) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) return -1;
    int ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), NULL, key, iv) == 1;
    memset(out, 0, length);
    size_t done = 0;
    while (ok && done < length) {
        size_t chunk = length - done > (1u << 30) ? (1u << 30) : length - done;
        int produced = 0;
        ok = EVP_EncryptUpdate(ctx, out + done, &produced, out + done, (int)chunk) == 1;
        done += (size_t)produced;
    }
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

struct cbaseline_buffers {
    size_t count;
    unsigned char *pointers[];
};

cbaseline_buffers *cbaseline_fresh_buffers_create(size_t count, size_t bytes) {
    cbaseline_buffers *buffers = malloc(sizeof *buffers + count * sizeof(unsigned char *));
    if (buffers == NULL) return NULL;
    buffers->count = 0;
    for (size_t i = 0; i < count; i++) {
        unsigned char *p = malloc(bytes);
        if (p == NULL) {
            cbaseline_fresh_buffers_free(buffers);
            return NULL;
        }
        memset(p, (int)(i + 1), bytes);
        buffers->pointers[buffers->count++] = p;
    }
    return buffers;
}

void cbaseline_fresh_buffers_free(cbaseline_buffers *buffers) {
    if (buffers == NULL) return;
    for (size_t i = 0; i < buffers->count; i++) free(buffers->pointers[i]);
    free(buffers);
}
