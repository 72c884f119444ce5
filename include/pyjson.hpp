// pyjson: Python's json module for C++. The one header users include; it pulls in the
// pipeline in order: version, errors and options, the value, the number and Unicode helpers,
// the reader and the writer, then the API and the file helpers.
// SPDX-License-Identifier: MIT
#pragma once

// clang-format off
#include "pyjson/version.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"
#include "pyjson/detail/unicode.hpp"
#include "pyjson/detail/number.hpp"
#include "pyjson/detail/reader.hpp"
#include "pyjson/detail/writer.hpp"
#include "pyjson/detail/reflect.hpp"
#include "pyjson/traits.hpp"
#include "pyjson/detail/builtin_traits.hpp"
#include "pyjson/api.hpp"
#include "pyjson/file.hpp"
// clang-format on
