// Test shim: the same test sources build with Debian's Catch2 2.13 and with Catch2 v3.
// SPDX-License-Identifier: MIT
#pragma once

#if defined(PYJSON_CATCH2_V3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
