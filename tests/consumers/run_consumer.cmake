# Consumer test driver (cmake -P): builds and runs tests/consumers/project/main.cpp the way a
# user of pyjson would, in one of these MODEs:
#   install        configure pyjson alone (no tests, examples, tool) and install it into PREFIX
#   fetchcontent   the consumer project pulls pyjson with FetchContent (SOURCE_DIR)
#   subdirectory   the consumer project add_subdirectory()s the checkout
#   find_package   the consumer project finds the copy installed in PREFIX
#   pkgconfig      the compiler alone, with `pkg-config --cflags pyjson` from PREFIX
#   single_header  the compiler alone, with single_include/pyjson.hpp copied into an empty folder
# Inputs (-D): MODE, SOURCE_DIR, WORK_DIR, PREFIX, CXX_COMPILER, GENERATOR, MAKE_PROGRAM, VERSION.
# A build tree that holds anything of pyjson's own tests, examples, benchmarks or tool fails.
# SPDX-License-Identifier: MIT
cmake_minimum_required(VERSION 3.20)

foreach(_input MODE SOURCE_DIR WORK_DIR CXX_COMPILER VERSION)
  if(NOT DEFINED ${_input})
    message(FATAL_ERROR "run_consumer.cmake: -D${_input}=... is required")
  endif()
endforeach()
set(_build "${WORK_DIR}/build")
set(_generator_args)
if(GENERATOR)
  set(_generator_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND _generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc COMMAND_ECHO STDOUT)
  if(NOT _rc EQUAL 0)
    list(JOIN ARGN " " _cmd)
    message(FATAL_ERROR "failed (${_rc}): ${_cmd}")
  endif()
endfunction()

# Files that only pyjson's own test, example, benchmark or tool targets make.
function(check_no_pyjson_extras dir)
  file(GLOB_RECURSE _paths LIST_DIRECTORIES true RELATIVE "${dir}" "${dir}/*")
  set(_bad)
  foreach(_path IN LISTS _paths)
    if(_path MATCHES "(^|/)(pyjson_tests|pyjson-tool|pyjson_bench|pyjson_headers_alone)[^/]*$"
       OR _path MATCHES "(^|/)(number_writer|number_reader|remember_me)(\\.[a-z]+)?$"
       OR _path MATCHES "(^|/)(pyjson|pyjson-build)/(tests|examples|benchmarks|cli)(/|$)")
      list(APPEND _bad "${_path}")
    endif()
  endforeach()
  if(_bad)
    list(JOIN _bad "\n  " _list)
    message(FATAL_ERROR "pyjson built more than its library in ${dir}:\n  ${_list}")
  endif()
endfunction()

function(run_consumer exe)
  run("${exe}")
  message(STATUS "${MODE}: consumer built and passed")
endfunction()

# Configures, builds and runs the consumer project with PYJSON_CONSUME=${MODE}.
function(build_consumer_project)
  file(REMOVE_RECURSE "${_build}")
  run("${CMAKE_COMMAND}" ${_generator_args} -S "${CMAKE_CURRENT_LIST_DIR}/project" -B "${_build}"
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
      "-DPYJSON_CONSUME=${MODE}" "-DPYJSON_SOURCE_DIR=${SOURCE_DIR}"
      "-DPYJSON_PREFIX=${PREFIX}" "-DPYJSON_EXPECTED_VERSION=${VERSION}")
  run("${CMAKE_COMMAND}" --build "${_build}" -j2 --config Release)
  check_no_pyjson_extras("${_build}")
  file(GLOB _exe "${_build}/consumer" "${_build}/*/consumer" "${_build}/consumer.exe"
       "${_build}/*/consumer.exe")
  if(NOT _exe)
    message(FATAL_ERROR "the consumer program was not built in ${_build}")
  endif()
  list(GET _exe 0 _exe)
  run_consumer("${_exe}")
endfunction()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${_build}" "${PREFIX}")
  run("${CMAKE_COMMAND}" ${_generator_args} -S "${SOURCE_DIR}" -B "${_build}"
      "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DPYJSON_BUILD_TESTS=OFF -DPYJSON_BUILD_EXAMPLES=OFF
      -DPYJSON_BUILD_TOOL=OFF -DPYJSON_BUILD_BENCHMARKS=OFF -DPYJSON_INSTALL=ON)
  run("${CMAKE_COMMAND}" --build "${_build}" -j2 --config Release)
  run("${CMAKE_COMMAND}" --install "${_build}" --prefix "${PREFIX}" --config Release)
  foreach(_file include/pyjson.hpp include/pyjson/version.hpp share/pyjson/pyjsonConfig.cmake
                share/pyjson/pyjsonConfigVersion.cmake share/pyjson/pyjsonTargets.cmake
                share/pkgconfig/pyjson.pc)
    if(NOT EXISTS "${PREFIX}/${_file}")
      message(FATAL_ERROR "install did not produce ${PREFIX}/${_file}")
    endif()
  endforeach()
  check_no_pyjson_extras("${PREFIX}")
  foreach(_dir bin lib lib64)
    if(EXISTS "${PREFIX}/${_dir}")
      message(FATAL_ERROR "a header-only install has no ${_dir}/, but ${PREFIX}/${_dir} exists")
    endif()
  endforeach()
  message(STATUS "install: pyjson installed into ${PREFIX}")

elseif(MODE MATCHES "^(fetchcontent|subdirectory|find_package)$")
  build_consumer_project()

elseif(MODE STREQUAL "pkgconfig")
  find_program(_pkg_config NAMES pkg-config pkgconf)
  if(NOT _pkg_config)
    message("SKIPPED: pkg-config not found (Debian: apt-get install pkgconf)")
    return()
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/share/pkgconfig")
  function(pkg_config out)
    execute_process(COMMAND "${_pkg_config}" ${ARGN} pyjson RESULT_VARIABLE _rc
                    OUTPUT_VARIABLE _out OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "pkg-config ${ARGN} pyjson failed (${_rc})")
    endif()
    set(${out} "${_out}" PARENT_SCOPE)
  endfunction()
  pkg_config(_version --modversion)
  if(NOT _version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config reports pyjson ${_version}, the project is ${VERSION}")
  endif()
  pkg_config(_includedir --variable=includedir)
  file(REAL_PATH "${_includedir}" _includedir)
  file(REAL_PATH "${PREFIX}/include" _expected)
  if(NOT _includedir STREQUAL _expected)
    message(FATAL_ERROR "pyjson.pc points at ${_includedir}, not ${_expected}")
  endif()
  pkg_config(_libs --libs)
  if(NOT _libs STREQUAL "")
    message(FATAL_ERROR "a header-only library links nothing, but pkg-config --libs says: ${_libs}")
  endif()
  pkg_config(_cflags --cflags)
  separate_arguments(_cflags UNIX_COMMAND "${_cflags}")
  # pkg-config gives the include path only; C++20 is the consumer's flag to add.
  run("${CXX_COMPILER}" -std=c++20 ${_cflags} "${CMAKE_CURRENT_LIST_DIR}/project/main.cpp"
      -o "${WORK_DIR}/consumer")
  run_consumer("${WORK_DIR}/consumer")

elseif(MODE STREQUAL "single_header")
  # The one file alone, with the program, in a folder that leads nowhere else.
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}/single")
  file(COPY "${SOURCE_DIR}/single_include/pyjson.hpp" DESTINATION "${WORK_DIR}/single")
  file(COPY "${CMAKE_CURRENT_LIST_DIR}/project/main.cpp" DESTINATION "${WORK_DIR}")
  run("${CXX_COMPILER}" -std=c++20 -I "${WORK_DIR}/single" "${WORK_DIR}/main.cpp"
      -o "${WORK_DIR}/consumer")
  run_consumer("${WORK_DIR}/consumer")

else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()
