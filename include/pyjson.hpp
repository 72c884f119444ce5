// pyjson: Python's json module for C++. The one header users include; it pulls in the
// pipeline in order: options and errors, the value, reader and writer, then the API.
// SPDX-License-Identifier: MIT
#pragma once

#include "pyjson/api.hpp"
#include "pyjson/detail/number.hpp"
#include "pyjson/detail/reader.hpp"
#include "pyjson/detail/unicode.hpp"
#include "pyjson/detail/writer.hpp"
#include "pyjson/error.hpp"
#include "pyjson/options.hpp"
#include "pyjson/value.hpp"
#include "pyjson/version.hpp"
