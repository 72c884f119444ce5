# version_matches_header (cmake -P): the version the preprocessor sees through include/pyjson.hpp
# and through single_include/pyjson.hpp must equal CMake's project version, which CMake reads
# from include/pyjson/version.hpp with a regex that a reformatted #define could defeat; and
# CHANGELOG.md must have a section for that version.
# Inputs (-D): SOURCE_DIR, WORK_DIR, CXX_COMPILER, VERSION.
# SPDX-License-Identifier: MIT
cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# version_probe.txt expands the three macros on one line; only the preprocessor runs.
configure_file("${CMAKE_CURRENT_LIST_DIR}/version_probe.txt" "${WORK_DIR}/version_probe.cpp"
               COPYONLY)
foreach(_tree include single_include)
  execute_process(COMMAND "${CXX_COMPILER}" -std=c++20 -E -P -I "${SOURCE_DIR}/${_tree}"
                          "${WORK_DIR}/version_probe.cpp"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "could not preprocess ${_tree}/pyjson.hpp")
  endif()
  string(REGEX MATCH "pyjson_version_probe:([^\n]*)" _ "${_out}")
  string(REGEX REPLACE "[ \t]" "" _seen "${CMAKE_MATCH_1}")
  string(REPLACE "," "." _seen "${_seen}")
  if(NOT _seen STREQUAL VERSION)
    message(FATAL_ERROR "${_tree}/pyjson.hpp says version '${_seen}', CMake's project version is "
                        "${VERSION}: fix the PYJSON_VERSION_* lines in include/pyjson/version.hpp "
                        "(and run python3 tools/amalgamate.py)")
  endif()
  message(STATUS "${_tree}/pyjson.hpp: ${_seen} == project version ${VERSION}")
endforeach()

# A version bump comes with its CHANGELOG.md section.
file(STRINGS "${SOURCE_DIR}/CHANGELOG.md" _heading REGEX "^## \\[${VERSION}\\]")
if(NOT _heading)
  message(FATAL_ERROR "CHANGELOG.md has no section '## [${VERSION}] - <date or Unreleased>'")
endif()
message(STATUS "CHANGELOG.md: ${_heading}")
