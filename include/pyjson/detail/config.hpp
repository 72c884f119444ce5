// Compiler settings shared by the headers.
// SPDX-License-Identifier: MIT
#pragma once

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
