# Install rules: the headers, the exported target pyjson::pyjson with its package config and
# version files, and pyjson.pc for pkg-config. Included from the top-level CMakeLists.txt when
# PYJSON_INSTALL is on (the default only when pyjson is the top-level project).
#
#   cmake -S . -B build -DPYJSON_BUILD_TESTS=OFF && cmake --install build --prefix /usr/local
#
# installs
#   include/pyjson.hpp, include/pyjson/...     the modular headers (not single_include/: both are
#                                              named pyjson.hpp and hold the same code)
#   share/pyjson/pyjsonConfig.cmake            find_package(pyjson CONFIG)
#   share/pyjson/pyjsonConfigVersion.cmake     SameMajorVersion, any architecture
#   share/pyjson/pyjsonTargets.cmake           the imported target pyjson::pyjson
#   share/pkgconfig/pyjson.pc                  pkg-config --cflags pyjson (add -std=c++20 yourself)
#
# Nothing depends on the architecture, so the CMake files go under share/ (DATADIR), where vcpkg
# also expects them; packagers can move them with PYJSON_INSTALL_CMAKEDIR and
# PYJSON_INSTALL_PKGCONFIGDIR.
# SPDX-License-Identifier: MIT

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PYJSON_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/pyjson"
    CACHE STRING "Where pyjsonConfig.cmake is installed, relative to the prefix")
set(PYJSON_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
    CACHE STRING "Where pyjson.pc is installed, relative to the prefix")
mark_as_advanced(PYJSON_INSTALL_CMAKEDIR PYJSON_INSTALL_PKGCONFIGDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT pyjson_Development
        FILES_MATCHING PATTERN "*.hpp")

# The target names <prefix>/include as its installed include directory; a packager's other
# CMAKE_INSTALL_INCLUDEDIR replaces it, since an imported target must not list a missing folder.
if(NOT CMAKE_INSTALL_INCLUDEDIR STREQUAL "include")
  get_target_property(_pyjson_includes pyjson INTERFACE_INCLUDE_DIRECTORIES)
  string(REPLACE "$<INSTALL_INTERFACE:include>" "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>"
         _pyjson_includes "${_pyjson_includes}")
  set_target_properties(pyjson PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_pyjson_includes}")
endif()
install(TARGETS pyjson EXPORT pyjsonTargets)

install(EXPORT pyjsonTargets
        NAMESPACE pyjson::
        DESTINATION "${PYJSON_INSTALL_CMAKEDIR}"
        COMPONENT pyjson_Development)

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/pyjsonConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/pyjsonConfig.cmake"
  INSTALL_DESTINATION "${PYJSON_INSTALL_CMAKEDIR}")

# A header-only library fits 32- and 64-bit consumers alike: ARCH_INDEPENDENT drops the
# pointer-size check that write_basic_package_version_file adds by default.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/pyjsonConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)

install(FILES "${PROJECT_BINARY_DIR}/pyjsonConfig.cmake"
              "${PROJECT_BINARY_DIR}/pyjsonConfigVersion.cmake"
        DESTINATION "${PYJSON_INSTALL_CMAKEDIR}"
        COMPONENT pyjson_Development)

# pyjson.pc finds its prefix from its own location (${pcfiledir}), so the file stays right when
# the prefix is chosen at install time (cmake --install --prefix) or the tree is moved.
# Cflags carries the include path only: the C++ standard is the consumer's choice of flag
# spelling (-std=c++20, /std:c++20), and pkg-config has no field for "needs C++20".
if(IS_ABSOLUTE "${PYJSON_INSTALL_PKGCONFIGDIR}")
  set(PYJSON_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  # share/pkgconfig -> ../..
  file(RELATIVE_PATH _pyjson_up "/p/${PYJSON_INSTALL_PKGCONFIGDIR}" "/p")
  string(REGEX REPLACE "/$" "" _pyjson_up "${_pyjson_up}")
  set(PYJSON_PC_PREFIX "\${pcfiledir}/${_pyjson_up}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PYJSON_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(PYJSON_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/pyjson.pc.in" "${PROJECT_BINARY_DIR}/pyjson.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/pyjson.pc"
        DESTINATION "${PYJSON_INSTALL_PKGCONFIGDIR}"
        COMPONENT pyjson_Development)
