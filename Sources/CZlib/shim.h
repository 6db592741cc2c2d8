// zlib, for reading gzip-compressed dataset files (MNIST .gz).
#ifndef SECAGG_CZLIB_SHIM_H
#define SECAGG_CZLIB_SHIM_H
#include <zlib.h>
#endif
