# Shared by the scripts in this folder (sourced, not run): installing what a script needs,
# idempotently, from Debian's packages.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs package $1 unless dpkg already has it.
ensure_package() {
  dpkg -s "$1" >/dev/null 2>&1 || (as_root apt-get update && as_root apt-get install -y "$1")
}

# Catch2 v2 (Debian's catch2) or v3, from the system or /usr/local.
have_catch2() {
  [ -f /usr/include/catch2/catch.hpp ] || [ -f /usr/local/include/catch2/catch.hpp ] ||
    [ -f /usr/include/catch2/catch_all.hpp ] || [ -f /usr/local/include/catch2/catch_all.hpp ]
}
