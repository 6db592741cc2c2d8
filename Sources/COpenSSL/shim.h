// The only C that CryptoPrimitives sees: OpenSSL libcrypto (3.x) headers.
#ifndef SECAGG_COPENSSL_SHIM_H
#define SECAGG_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/sha.h>

static inline void copenssl_cleanse(void *p, size_t n) { OPENSSL_cleanse(p, n); }

#endif
