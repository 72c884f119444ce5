// Compile-fail test: a type with no JSON mapping must fail with a short message that names the
// type. Built twice by CTest: as is (must fail, with the message), and with PYJSON_TWIN, where
// a traits<T> specialization maps the type (must compile), so this file cannot go stale.
// SPDX-License-Identifier: MIT
#include <pyjson.hpp>
#include <string>

class socket_handle {  // not an aggregate, no traits: no mapping
 public:
  explicit socket_handle(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

 private:
  int fd_;
};

#if defined(PYJSON_TWIN)
template <>
struct pyjson::traits<socket_handle> {
  static void write(pyjson::writer& w, const socket_handle& s) { w.write(s.fd()); }
};
#endif

int main() { return pyjson::dumps(socket_handle(3)).size() == 1 ? 0 : 1; }
