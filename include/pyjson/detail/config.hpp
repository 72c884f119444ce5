// Compiler settings shared by the headers.
// SPDX-License-Identifier: MIT
#pragma once

#include <bit>

// Functions and lambdas on hot paths that g++ 12 inlines by itself and clang++ 14 does not:
// forced inline under clang only. In clang builds this made compact dumps 7-16% faster, typed
// loads 6-12% and loads of canada.json 5%, and later (the freeing walk's step, read_scalar)
// loads of twitter.json 9% and citm_catalog.json 3%. Forcing the same under g++ made compact dumps
// of twitter.json 9% slower and loads of citm_catalog.json 3% slower: g++ keeps its own choices.
// The GNU spelling fits both before a function and after a lambda's parameters.
#if defined(__clang__)
#define PYJSON_CLANG_INLINE __attribute__((always_inline))
#else
#define PYJSON_CLANG_INLINE
#endif

// The SSE2 paths (scanning strings and whitespace 16 bytes at a time, shared keys; every x86-64
// CPU has SSE2) and, on top of them, the AVX2 ones chosen at run time (see unicode.hpp). Other
// targets, such as ARM, compile the portable paths, which read and write the same bytes. Define
// PYJSON_NO_SIMD to build the portable paths on x86-64 too (the tests do, to check them).
#if defined(__SSE2__) && !defined(PYJSON_NO_SIMD)
#define PYJSON_SSE2 1
#else
#define PYJSON_SSE2 0
#endif

// Numbers, keys and string bytes are read eight at a time from 64-bit words whose first byte in
// memory is their lowest (see non_digit_bytes in number.hpp): a big-endian target would read
// them wrongly, so it does not compile. x86-64 and 64-bit ARM (Linux, macOS, Windows) are
// little-endian.
static_assert(std::endian::native == std::endian::little,
              "pyjson supports little-endian targets only");
