# vcpkg overlay port for pyjson, kept in pyjson's own repository:
#   vcpkg install pyjson --overlay-ports=<pyjson checkout>/ports
# The sources are the checkout this port sits in (two folders up). A port in a registry would
# fetch a release instead, with vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH REPO ... REF ...
# SHA512 ...), and keep everything below unchanged.
# tests/consumers/vcpkg_layout.cmake runs the same configure and install without vcpkg and checks
# the layout this file expects; keep the two in step.

get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# Header-only: one configuration is enough, and nothing lands in lib/ or debug/.
set(VCPKG_BUILD_TYPE release)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DPYJSON_BUILD_TESTS=OFF
    -DPYJSON_BUILD_EXAMPLES=OFF
    -DPYJSON_BUILD_TOOL=OFF
    -DPYJSON_BUILD_BENCHMARKS=OFF
    -DPYJSON_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME pyjson CONFIG_PATH share/pyjson)
vcpkg_fixup_pkgconfig()

# Nothing is built for debug; drop the folder should a triplet still make one.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
