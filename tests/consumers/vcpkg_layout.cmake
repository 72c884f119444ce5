# vcpkg_port_layout (cmake -P): vcpkg cannot run here, so this does what ports/pyjson/portfile.cmake
# asks vcpkg to do, without vcpkg, and checks the result is what the portfile's later steps expect:
#   - the port's files: vcpkg.json (name, version = project version, helper ports), usage, LICENSE;
#   - configure with the portfile's OPTIONS plus the settings vcpkg_cmake_configure adds, then
#     build the install target as vcpkg_cmake_install does, into a package folder;
#   - the package holds include/ and share/ only; the package config files sit in the portfile's
#     CONFIG_PATH, which is share/<PACKAGE_NAME> so vcpkg_cmake_config_fixup has nothing to move;
#     pyjson.pc is where vcpkg_fixup_pkgconfig looks; no installed file names the build machine's
#     paths (vcpkg rejects absolute paths); the version file fits every architecture.
# Inputs (-D): SOURCE_DIR, WORK_DIR, CXX_COMPILER, GENERATOR, MAKE_PROGRAM, VERSION.
# SPDX-License-Identifier: MIT
cmake_minimum_required(VERSION 3.20)

set(_port "${SOURCE_DIR}/ports/pyjson")
set(_errors)
# expect("<if() condition>" "message"): collects the message when the condition is false.
function(expect condition message)
  cmake_language(EVAL CODE "if(${condition})\nset(_ok TRUE)\nelse()\nset(_ok FALSE)\nendif()")
  if(NOT _ok)
    list(APPEND _errors "${message}")
    set(_errors "${_errors}" PARENT_SCOPE)
  endif()
endfunction()

# The port's own files.
file(READ "${_port}/vcpkg.json" _manifest)
string(JSON _name GET "${_manifest}" name)
string(JSON _version GET "${_manifest}" version)
string(JSON _license GET "${_manifest}" license)
expect("_name STREQUAL \"pyjson\"" "vcpkg.json: name is '${_name}', not pyjson")
expect("_version STREQUAL VERSION" "vcpkg.json: version ${_version}, the project is ${VERSION}")
expect("_license STREQUAL \"MIT\"" "vcpkg.json: license '${_license}', LICENSE is MIT")
string(JSON _count LENGTH "${_manifest}" dependencies)
set(_helpers)
math(EXPR _last "${_count} - 1")
foreach(_i RANGE ${_last})
  string(JSON _dep GET "${_manifest}" dependencies ${_i} name)
  string(JSON _host ERROR_VARIABLE _no_host GET "${_manifest}" dependencies ${_i} host)
  if(_host)
    list(APPEND _helpers "${_dep}")
  endif()
endforeach()
foreach(_helper vcpkg-cmake vcpkg-cmake-config)
  expect("\"${_helper}\" IN_LIST _helpers" "vcpkg.json: ${_helper} must be a host dependency")
endforeach()
expect("EXISTS \"${SOURCE_DIR}/LICENSE\"" "LICENSE is missing: vcpkg_install_copyright needs it")
file(READ "${_port}/usage" _usage)
expect("_usage MATCHES \"find_package\\\\(pyjson CONFIG REQUIRED\\\\)\""
       "usage: does not show find_package(pyjson CONFIG REQUIRED)")
expect("_usage MATCHES \"pyjson::pyjson\"" "usage: does not name the target pyjson::pyjson")

# What the portfile asks for.
file(READ "${_port}/portfile.cmake" _portfile)
string(REGEX MATCH "vcpkg_cmake_configure\\(([^)]*)\\)" _ "${_portfile}")
string(REGEX MATCHALL "-D[A-Za-z0-9_]+=[^ \t\r\n)]+" _options "${CMAKE_MATCH_1}")
string(REGEX MATCH "vcpkg_cmake_config_fixup\\(([^)]*)\\)" _ "${_portfile}")
set(_fixup "${CMAKE_MATCH_1}")
string(REGEX MATCH "CONFIG_PATH[ \t\r\n]+([^ \t\r\n)]+)" _ "${_fixup}")
set(_config_path "${CMAKE_MATCH_1}")
string(REGEX MATCH "PACKAGE_NAME[ \t\r\n]+([^ \t\r\n)]+)" _ "${_fixup}")
set(_package_name "${CMAKE_MATCH_1}")
if(NOT _package_name)
  set(_package_name pyjson)  # vcpkg's default: the port's name
endif()
if(NOT _config_path)
  set(_config_path "share/${_package_name}")
endif()
expect("\"-DPYJSON_BUILD_TESTS=OFF\" IN_LIST _options" "portfile: tests must be off")
expect("_portfile MATCHES \"set\\\\(VCPKG_BUILD_TYPE release\\\\)\""
       "portfile: a header-only port builds the release configuration only")
expect("_portfile MATCHES \"vcpkg_install_copyright\\\\(FILE_LIST [^)]*LICENSE\""
       "portfile: vcpkg_install_copyright must name LICENSE")
expect("_config_path STREQUAL \"share/${_package_name}\""
       "portfile: CONFIG_PATH ${_config_path} differs from share/${_package_name}")
message(STATUS "portfile options: ${_options}; config path ${_config_path}")

# The portfile's configure and install, as vcpkg runs them for a release-only port.
set(_build "${WORK_DIR}/buildtree")
set(_package "${WORK_DIR}/package")
file(REMOVE_RECURSE "${WORK_DIR}")
set(_generator_args)
if(GENERATOR)
  set(_generator_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM)
  list(APPEND _generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
get_filename_component(_source_path "${_port}/../.." ABSOLUTE)  # the portfile's SOURCE_PATH
execute_process(
  COMMAND "${CMAKE_COMMAND}" ${_generator_args} -S "${_source_path}" -B "${_build}"
          "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Release
          "-DCMAKE_INSTALL_PREFIX=${_package}" -DCMAKE_INSTALL_LIBDIR:STRING=lib
          -DCMAKE_INSTALL_BINDIR:STRING=bin -DFETCHCONTENT_FULLY_DISCONNECTED=ON
          -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
          ${_options}
  RESULT_VARIABLE _rc COMMAND_ECHO STDOUT)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "configure with the portfile's options failed")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${_build}" --target install --config Release
                RESULT_VARIABLE _rc COMMAND_ECHO STDOUT)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "building the install target failed")
endif()
file(REMOVE_RECURSE "${_package}/debug")  # as the portfile does

# The package vcpkg would take.
file(GLOB _top RELATIVE "${_package}" "${_package}/*")
list(SORT _top)
list(JOIN _top " " _top)
expect("_top STREQUAL \"include share\""
       "package: the top-level folders are '${_top}', not include and share")
foreach(_file include/pyjson.hpp include/pyjson/version.hpp
              ${_config_path}/${_package_name}Config.cmake
              ${_config_path}/${_package_name}ConfigVersion.cmake
              ${_config_path}/${_package_name}Targets.cmake
              share/pkgconfig/pyjson.pc)
  expect("EXISTS \"${_package}/${_file}\"" "package: ${_file} is missing")
endforeach()
file(GLOB _stray "${_package}/share/*/*.cmake")
foreach(_file IN LISTS _stray)
  cmake_path(GET _file PARENT_PATH _dir)
  expect("_dir STREQUAL \"${_package}/${_config_path}\""
         "package: ${_file} lies outside ${_config_path}, where config_fixup would not see it")
endforeach()
file(GLOB_RECURSE _installed "${_package}/share/*")
foreach(_file IN LISTS _installed)
  file(READ "${_file}" _text)
  foreach(_path "${_package}" "${_build}" "${SOURCE_DIR}")
    string(FIND "${_text}" "${_path}" _at)
    expect("_at EQUAL -1" "package: ${_file} contains the absolute path ${_path}")
  endforeach()
endforeach()
# The version file, asked as find_package asks it: any pointer size, same major version only.
function(version_file_accepts file find_version pointer_size out)
  set(PACKAGE_FIND_VERSION "${find_version}")
  string(REPLACE "." ";" _parts "${find_version}")
  list(GET _parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET _parts 1 PACKAGE_FIND_VERSION_MINOR)
  list(GET _parts 2 PACKAGE_FIND_VERSION_PATCH)
  set(PACKAGE_FIND_VERSION_COUNT 3)
  set(CMAKE_SIZEOF_VOID_P ${pointer_size})
  include("${file}")
  if(PACKAGE_VERSION_COMPATIBLE AND NOT PACKAGE_VERSION_UNSUITABLE)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()
set(_version_file "${_package}/${_config_path}/${_package_name}ConfigVersion.cmake")
if(EXISTS "${_version_file}")
  string(REGEX MATCH "^[0-9]+" _major "${VERSION}")
  math(EXPR _next_major "${_major} + 1")
  version_file_accepts("${_version_file}" "${VERSION}" 4 _accepts_32)
  version_file_accepts("${_version_file}" "${VERSION}" 8 _accepts_64)
  version_file_accepts("${_version_file}" "${_next_major}.0.0" 8 _accepts_next_major)
  expect("_accepts_32 AND _accepts_64"
         "package: the version file rejects a 32- or 64-bit consumer (use ARCH_INDEPENDENT)")
  expect("NOT _accepts_next_major" "package: the version file accepts ${_next_major}.0.0")
endif()

if(_errors)
  list(JOIN _errors "\n  " _list)
  message(FATAL_ERROR "the vcpkg port and the install rules disagree:\n  ${_list}")
endif()
message(STATUS "vcpkg port: the layout matches what portfile.cmake expects")
