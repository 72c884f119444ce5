// pyjson version: the one place the version is written; CMake reads it from here.
// SPDX-License-Identifier: MIT
#pragma once

#define PYJSON_VERSION_MAJOR 0
#define PYJSON_VERSION_MINOR 1
#define PYJSON_VERSION_PATCH 0
