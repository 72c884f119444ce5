// pyjson version: the one place the version is written; CMake reads it from here.
// SPDX-License-Identifier: MIT
#pragma once

/// pyjson's version, major.minor.patch (semantic versioning); a test keeps it equal to the
/// CMake project version.
#define PYJSON_VERSION_MAJOR 0
/// See PYJSON_VERSION_MAJOR.
#define PYJSON_VERSION_MINOR 1
/// See PYJSON_VERSION_MAJOR.
#define PYJSON_VERSION_PATCH 0
