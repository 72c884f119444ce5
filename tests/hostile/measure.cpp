// Hostile-input measurements: the large hostile inputs of tests/hostile_test.cpp at full size,
// each in a child process of its own, with a table of its outcome, wall time, peak heap and
// peak RSS. Exits with 1 when a case does not end as expected (a wrong message or value, a
// crash, a time-out).
// SPDX-License-Identifier: MIT
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <istream>
#include <new>
#include <ostream>
#include <pyjson.hpp>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// --- heap accounting ---------------------------------------------------------------------------
// Every allocation through operator new carries its size in a header, so the program knows at
// any moment how many bytes are live, and the highest that number has been.

#include "inputs.hpp"

namespace {
std::size_t heap_current = 0;
std::size_t heap_peak = 0;
constexpr std::size_t header_size = alignof(std::max_align_t);

void* tracked_alloc(std::size_t n) noexcept {
  auto* base = static_cast<unsigned char*>(std::malloc(n + header_size));
  if (!base) return nullptr;
  *reinterpret_cast<std::size_t*>(base) = n;
  heap_current += n;
  heap_peak = std::max(heap_peak, heap_current);
  return base + header_size;
}

void tracked_free(void* p) noexcept {
  if (!p) return;
  auto* base = static_cast<unsigned char*>(p) - header_size;
  heap_current -= *reinterpret_cast<std::size_t*>(base);
  std::free(base);
}

void* tracked_alloc_or_throw(std::size_t n) {
  if (void* p = tracked_alloc(n)) return p;
  throw std::bad_alloc();
}

// Over-aligned blocks (pyjson's slabs): the size and the alignment sit in the 16 bytes in front
// of the block, which starts `align` bytes into its allocation.
void* tracked_alloc_aligned(std::size_t n, std::align_val_t al) noexcept {
  const std::size_t align = std::max(static_cast<std::size_t>(al), 2 * sizeof(std::size_t));
  const std::size_t total = (n + align + align - 1) / align * align;
  auto* base = static_cast<unsigned char*>(std::aligned_alloc(align, total));
  if (!base) return nullptr;
  unsigned char* p = base + align;
  reinterpret_cast<std::size_t*>(p)[-2] = n;
  reinterpret_cast<std::size_t*>(p)[-1] = align;
  heap_current += n;
  heap_peak = std::max(heap_peak, heap_current);
  return p;
}

void tracked_free_aligned(void* p) noexcept {
  if (!p) return;
  auto* block = static_cast<unsigned char*>(p);
  heap_current -= reinterpret_cast<std::size_t*>(block)[-2];
  std::free(block - reinterpret_cast<std::size_t*>(block)[-1]);
}

void* tracked_alloc_aligned_or_throw(std::size_t n, std::align_val_t al) {
  if (void* p = tracked_alloc_aligned(n, al)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return tracked_alloc_or_throw(n); }
void* operator new[](std::size_t n) { return tracked_alloc_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return tracked_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return tracked_alloc(n); }
void operator delete(void* p) noexcept { tracked_free(p); }
void operator delete[](void* p) noexcept { tracked_free(p); }
void operator delete(void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete[](void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { tracked_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { tracked_free(p); }
void* operator new(std::size_t n, std::align_val_t al) {
  return tracked_alloc_aligned_or_throw(n, al);
}
void* operator new[](std::size_t n, std::align_val_t al) {
  return tracked_alloc_aligned_or_throw(n, al);
}
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return tracked_alloc_aligned(n, al);
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return tracked_alloc_aligned(n, al);
}
void operator delete(void* p, std::align_val_t) noexcept { tracked_free_aligned(p); }
void operator delete[](void* p, std::align_val_t) noexcept { tracked_free_aligned(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { tracked_free_aligned(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { tracked_free_aligned(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  tracked_free_aligned(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  tracked_free_aligned(p);
}

namespace {

using hostile::ascii_run;
using hostile::node;
using hostile::object_text;
using hostile::repeat;
using hostile::variant_nest;
using pyjson::value;
constexpr std::size_t million = 1'000'000;
// Room for a million levels of nesting.
const pyjson::load_options deep{.max_depth = 2 * million};

// --- inputs -----------------------------------------------------------------------------------

// A 64 KB document of records that together use every feature of the grammar.
std::string document_64k() {
  std::string doc = "{\"records\": [\n  ";
  for (std::size_t i = 0; doc.size() < 65536 - 400; ++i) {
    std::string n = std::to_string(i);
    if (i) doc += ",\n  ";
    doc += "{\"id\": " + n + ", \"name\": \"r\\u00e9cord \\ud83d\\ude00 " + n +
           "\", \"text\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\\"q\\\" \\\\ \\/ "
           "\\b\\f\\n\\r\\t\",\r\n\t\"values\": [" +
           n + ", -" + n + ".5, " + n + "e-3, 1E+" + std::to_string(i % 400) +
           ", 123456789012345678901234567890, true, false, null, NaN, -Infinity, [], {}], "
           "\"nested\": {\"a\": [{\"b\": [[" +
           n + "]]}]}}";
  }
  doc += "\n], \"end\": true}";
  return doc;
}

// --- outcomes ---------------------------------------------------------------------------------

// The decode_error's what(), or the given text for a value; other exceptions say their type.
template <class F>
std::string outcome(F&& f) {
  try {
    return f();
  } catch (const pyjson::decode_error& e) {
    return e.what();
  } catch (const pyjson::type_error& e) {
    return std::string("type_error: ") + e.what();
  } catch (const pyjson::value_error& e) {
    return std::string("value_error: ") + e.what();
  } catch (const pyjson::error& e) {
    return std::string("error: ") + e.what();
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
}

std::string loads_outcome(const std::string& text, const pyjson::load_options& opt = {}) {
  return outcome([&] {
    value v = pyjson::loads(text, opt);
    return "OK " + std::string(v.type_name());
  });
}

// Nesting depth of a value that has one container per level, walked without recursion.
std::size_t depth_of(const value& v) {
  std::size_t depth = 0;
  for (const value* p = &v; p && (p->is_array() || p->is_object()); ++depth) {
    if (p->empty()) return depth + 1;
    p = p->is_array() ? &p->as_array().front() : &p->items().front().value();
  }
  return depth;
}

class failing_input : public std::streambuf {
 public:
  failing_input(const std::string& text, std::size_t limit) : text_(text), limit_(limit) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (served_ >= limit_) throw std::runtime_error("disk read error");
    std::size_t n = std::min<std::size_t>(65536, limit_ - served_);
    char* p = const_cast<char*>(text_.data()) + served_;  // the get area is only read
    setg(p, p, p + n);
    served_ += n;
    return traits_type::to_int_type(*p);
  }

 private:
  const std::string& text_;
  std::size_t limit_, served_ = 0;
};

class failing_output : public std::streambuf {
 public:
  explicit failing_output(std::size_t limit) : limit_(limit) {}

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    std::size_t take = std::min(static_cast<std::size_t>(n), limit_ - written_);
    written_ += take;
    return static_cast<std::streamsize>(take);
  }
  int_type overflow(int_type c) override {
    if (written_ == limit_) return traits_type::eof();
    ++written_;
    return traits_type::not_eof(c);
  }

 private:
  std::size_t limit_, written_ = 0;
};

// --- the cases --------------------------------------------------------------------------------

struct hostile_case {
  std::string name;
  std::function<std::string()> input;                  // built before the clock starts
  std::function<std::string(const std::string&)> run;  // the measured work; its outcome
  std::string expected;                                // the outcome it must have
  unsigned timeout_seconds = 60;
};

std::vector<hostile_case> all_cases() {
  std::vector<hostile_case> cases;
  auto add = [&](std::string name, std::function<std::string()> input,
                 std::function<std::string(const std::string&)> run, std::string expected) {
    cases.push_back({std::move(name), std::move(input), std::move(run), std::move(expected)});
    return &cases.back();
  };
  auto plain = [](const std::string& t) { return loads_outcome(t); };

  add(
      "1e6 '[' (default max_depth)", [] { return std::string(million, '['); }, plain,
      "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)");
  add(
      "1e6 '{\"a\":' (default max_depth)", [] { return repeat("{\"a\":", million); }, plain,
      "Nesting deeper than max_depth (1000): line 1 column 5001 (char 5000)");
  add(
      "1e6 '[' typed vector<int>", [] { return std::string(million, '['); },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK " + std::to_string(pyjson::loads<std::vector<int>>(t).size()); });
      },
      "Nesting deeper than max_depth (1000): line 1 column 1001 (char 1000)");
  add(
      "1e6 '[' + 1e6 ']', max_depth 2e6: parse, free",
      [] { return std::string(million, '[') + std::string(million, ']'); },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK depth " + std::to_string(depth_of(pyjson::loads(t, deep))); });
      },
      "OK depth 1000000");
  add(
      "1e6 '{\"a\":' .. '}', max_depth 2e6: parse, free",
      [] { return repeat("{\"a\":", million) + "null" + std::string(million, '}'); },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK depth " + std::to_string(depth_of(pyjson::loads(t, deep))); });
      },
      "OK depth 1000000");
  add(
      "1e6 '[' unclosed, max_depth 2e6", [] { return std::string(million, '['); },
      [](const std::string& t) { return loads_outcome(t, deep); },
      "Expecting value: line 1 column 1000001 (char 1000000)");
  add(
      "1e6 ']'", [] { return std::string(million, ']'); }, plain,
      "Expecting value: line 1 column 1 (char 0)");
  add(
      "'[1' + 1e6 ']'", [] { return "[1" + std::string(million, ']'); }, plain,
      "Extra data: line 1 column 4 (char 3)");
  add(
      "500,000 '[]'", [] { return repeat("[]", million / 2); }, plain,
      "Extra data: line 1 column 3 (char 2)");

  add(
      "100 MB string: loads, dumps, compare", [] { return '"' + ascii_run(100 * million) + '"'; },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          bool same = pyjson::dumps(v) == t;
          return "OK " + std::to_string(v.get<std::string_view>().size()) + " bytes" +
                 (same ? ", round-trips" : ", differs");
        });
      },
      "OK 100000000 bytes, round-trips");
  add(
      "100 MB string of 2-4 byte UTF-8",
      [] { return '"' + repeat("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 100 * million / 9) + '"'; },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          bool same = pyjson::dumps(v, {.ensure_ascii = false}) == t;
          return "OK " + std::to_string(v.get<std::string_view>().size()) + " bytes" +
                 (same ? ", round-trips" : ", differs");
        });
      },
      "OK 99999999 bytes, round-trips");
  add(
      "100 MB string, unterminated", [] { return '"' + ascii_run(100 * million); }, plain,
      "Unterminated string starting at: line 1 column 1 (char 0)");
  add(
      "10 MB of escapes (\\n \\u00e9 \\ud83d\\ude00)",
      [] { return '"' + repeat("\\n\\u00e9\\ud83d\\ude00", 500000) + '"'; },
      [](const std::string& t) {
        return outcome([&] {
          return "OK " + std::to_string(pyjson::loads(t).get<std::string_view>().size()) + " bytes";
        });
      },
      "OK 3500000 bytes");

  add(
      "1e6-digit integer: loads, dumps", [] { return "9" + std::string(million - 2, '0') + "1"; },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          return std::string(v.is_big_int() && pyjson::dumps(v) == t ? "OK exact" : "OK differs");
        });
      },
      "OK exact");
  add(
      "1e6-digit float (fraction)", [] { return "0." + std::string(million, '1'); },
      [](const std::string& t) {
        return outcome([&] { return "OK " + pyjson::dumps(pyjson::loads(t)); });
      },
      "OK 0.1111111111111111");
  add(
      "1e6-digit float just above a tie",
      [] {
        return "1.00000000000000011102230246251565404236316680908203125" +
               std::string(million, '0') + "1";
      },
      [](const std::string& t) {
        return outcome([&] { return "OK " + pyjson::dumps(pyjson::loads(t)); });
      },
      "OK 1.0000000000000002");
  add(
      "1e999999999 and a 1e6-digit exponent",
      [] {
        return "[1e999999999, -1e999999999, 1e-999999999, 1e" + std::string(million, '9') + "]";
      },
      [](const std::string& t) {
        return outcome([&] { return "OK " + pyjson::dumps(pyjson::loads(t)); });
      },
      "OK [Infinity, -Infinity, 0.0, Infinity]");

  add(
      "1e6 distinct keys",
      [] { return object_text(million, [](std::size_t i) { return "k" + std::to_string(i); }); },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK " + std::to_string(pyjson::loads(t).size()) + " members"; });
      },
      "OK 1000000 members");
  add(
      "1e6 distinct keys of one length",
      [] {
        return object_text(million, [](std::size_t i) {
          std::string k = std::to_string(i);
          return std::string(7 - k.size(), '0') + k;
        });
      },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK " + std::to_string(pyjson::loads(t).size()) + " members"; });
      },
      "OK 1000000 members");
  add(
      "1e6 identical keys", [] { return object_text(million, [](std::size_t) { return "a"; }); },
      [](const std::string& t) {
        return outcome([&] { return "OK " + pyjson::dumps(pyjson::loads(t)); });
      },
      "OK {\"a\": 999999}");
  add(
      "1e6 keys, half of them repeats",
      [] {
        return object_text(million,
                           [](std::size_t i) { return "k" + std::to_string(i % (million / 2)); });
      },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          return "OK " + std::to_string(v.size()) + " members, " + std::string(v.items()[0].key()) +
                 " = " + pyjson::dumps(v.items()[0].value());
        });
      },
      "OK 500000 members, k0 = 500000");
  add(
      "1e5 keys sharing a 1 KB prefix, half repeats",
      [] {
        std::string prefix(1000, 'p');
        return object_text(100000,
                           [&](std::size_t i) { return prefix + std::to_string(i % 50000); });
      },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK " + std::to_string(pyjson::loads(t).size()) + " members"; });
      },
      "OK 50000 members");
  add(
      "1e5 distinct keys sharing a 1 KB prefix",
      [] {
        std::string prefix(1000, 'p');
        return object_text(100000, [&](std::size_t i) { return prefix + std::to_string(i); });
      },
      [](const std::string& t) {
        return outcome(
            [&] { return "OK " + std::to_string(pyjson::loads(t).size()) + " members"; });
      },
      "OK 100000 members");

  // An object built key by key in C++, then searched: each lookup goes through the object's
  // hash index, not along its members.
  add(
      "1e6 keys set one by one with operator[], each then looked up", [] { return std::string(); },
      [](const std::string&) {
        return outcome([&] {
          value v;
          auto key_number = [](std::size_t i) {
            std::string k = "key";  // not "key" + to_string(i): g++ 12's -Wrestrict bug 105329
            k += std::to_string(i);
            return k;
          };
          for (std::size_t i = 0; i < million; ++i) v[key_number(i)] = i;
          std::size_t found = 0;
          for (std::size_t i = 0; i < million; ++i) found += v.at(key_number(i)) == value(i);
          return "OK " + std::to_string(v.size()) + " members, " + std::to_string(found) + " found";
        });
      },
      "OK 1000000 members, 1000000 found");

  // Keys of the same length and the same first and last 8 bytes share the fingerprint that
  // objects of up to 64 keys are checked with for repeats: each key is compared with every
  // earlier one, up to the byte where they differ (here the 189th of 200).
  add(
      "1e3 objects of 64 keys alike but for 4 bytes",
      [] {
        std::string text = "[";
        for (int o = 0; o < 1000; ++o) {
          text += o ? ",{" : "{";
          for (int i = 0; i < 64; ++i)
            text += (i ? ",\"" : "\"") + std::string(188, 'a') + std::to_string(1000 + i) +
                    std::string(8, 'z') + "\":" + std::to_string(i);
          text += "}";
        }
        return text + "]";
      },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          return "OK " + std::to_string(v.size()) + " objects of " + std::to_string(v[0].size()) +
                 " members";
        });
      },
      "OK 1000 objects of 64 members");

  add(
      "10 MB of invalid UTF-8 at the end",
      [] {
        std::string garbage;
        for (int b = 0x80; b < 0x100; ++b) garbage += static_cast<char>(b);
        return "[\"ok\"] " + repeat(garbage, 10 * million / garbage.size());
      },
      plain,
      "'utf-8' codec can't decode byte 0x80 in position 7: invalid start byte: line 1 column 8 "
      "(char 7)");
  add(
      "10 MB string, then one bad byte", [] { return '"' + ascii_run(10 * million) + "\xff\""; },
      plain,
      "'utf-8' codec can't decode byte 0xff in position 10000001: invalid start byte: line 1 "
      "column 10000002 (char 10000001)");
  add(
      "1e6 NUL bytes in a string", [] { return "\"ab" + std::string(million, '\0') + "\""; }, plain,
      "Invalid control character at: line 1 column 4 (char 3)");

  add(
      "64 KB document cut at every offset", [] { return document_64k(); },
      [](const std::string& t) {
        return outcome([&] {
          pyjson::loads(t);  // the whole document is valid
          std::size_t errors = 0, misplaced = 0;
          for (std::size_t n = 0; n < t.size(); ++n) {
            try {
              pyjson::loads(std::string_view(t.data(), n));
            } catch (const pyjson::decode_error& e) {
              ++errors;
              misplaced += e.byte_pos() > n;
            }
          }
          return "OK " + std::to_string(errors) + " of " + std::to_string(t.size()) +
                 " prefixes are decode_errors, " + std::to_string(misplaced) + " misplaced";
        });
      },
      "");  // filled in below, once the document's size is known
  cases.back().expected = "OK " + std::to_string(document_64k().size()) + " of " +
                          std::to_string(document_64k().size()) +
                          " prefixes are decode_errors, 0 misplaced";

  add(
      "load: 100 MB stream failing after 50 MB",
      [] { return '"' + ascii_run(100 * million) + '"'; },
      [](const std::string& t) {
        return outcome([&] {
          failing_input buf(t, 50 * million);
          std::istream in(&buf);
          return "OK " + std::string(pyjson::load(in).type_name());
        });
      },
      "error: pyjson::load: reading the input stream failed");
  add(
      "dump: 100 MB value, stream failing after 50 MB",
      [] { return '"' + ascii_run(100 * million) + '"'; },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t);
          failing_output buf(50 * million);
          std::ostream out(&buf);
          pyjson::dump(v, out);
          return std::string("OK written");
        });
      },
      "error: pyjson::dump: writing to the output stream failed");

  // Deep values are copied and compared without recursion.
  add(
      "copy of a value 1e6 deep",
      [] { return std::string(million, '[') + std::string(million, ']'); },
      [](const std::string& t) {
        return outcome([&] {
          value v = pyjson::loads(t, deep);
          value copy = v;
          return "OK depth " + std::to_string(depth_of(copy));
        });
      },
      "OK depth 1000000");
  add(
      "== of two values 1e6 deep",
      [] { return std::string(million, '[') + std::string(million, ']'); },
      [](const std::string& t) {
        return outcome([&] {
          value a = pyjson::loads(t, deep), b = pyjson::loads(t, deep);
          return std::string(a == b ? "OK equal" : "OK unequal");
        });
      },
      "OK equal");
  // Variants of structs nested in one another: a failed alternative is read again, which would
  // double the time per level; the reader bounds the text read again to 16 times the document
  // plus 1 MiB, so deep nests get an error at once. 12 levels fit in the bound.
  for (int levels : {12, 20, 30, 1000}) {
    add(
        "typed variant<struct, struct>, " + std::to_string(levels) + " levels",
        [levels] { return variant_nest(levels); },
        [](const std::string& t) {
          std::string r = outcome(
              [&] { return "OK index " + std::to_string(pyjson::loads<node>(t, deep).v.index()); });
          // The error's path names every level: keep the part that says what happened.
          const char* limit = "variant alternatives tried again too often";
          return r.find(limit) != std::string::npos ? "error: " + std::string(limit) : r;
        },
        levels <= 12 ? "OK index 1" : "error: variant alternatives tried again too often")
        ->timeout_seconds = 10;
  }
  return cases;
}

// --- running a case in a child process --------------------------------------------------------

struct report {
  std::string outcome;
  double ms = 0;
  std::size_t input_bytes = 0, heap_peak = 0;
  long rss_kb = 0;
};

bool write_all(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

[[noreturn]] void run_child(const hostile_case& c, int fd) {
  // A crash is a failure to report, not a core file to keep.
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  alarm(c.timeout_seconds);
  std::string text = c.input();
  std::size_t baseline = heap_current;
  heap_peak = heap_current;
  auto start = std::chrono::steady_clock::now();
  std::string out = c.run(text);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::size_t peak = heap_peak - baseline;
  std::size_t input_bytes = text.size();
  if (out.size() > 4096) out.resize(4096);
  std::size_t len = out.size();
  bool ok = write_all(fd, &ms, sizeof ms) && write_all(fd, &input_bytes, sizeof input_bytes) &&
            write_all(fd, &peak, sizeof peak) && write_all(fd, &len, sizeof len) &&
            write_all(fd, out.data(), len);
  ::close(fd);
  std::_Exit(ok ? 0 : 3);
}

report run_case(const hostile_case& c) {
  report r;
  int fds[2];
  if (::pipe(fds) != 0) {
    r.outcome = "HARNESS: pipe failed";
    return r;
  }
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid < 0) {
    r.outcome = "HARNESS: fork failed";
    return r;
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(c, fds[1]);
  }
  ::close(fds[1]);
  std::string bytes;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    bytes.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  r.rss_kb = usage.ru_maxrss;
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    r.outcome = sig == SIGALRM
                    ? "TIMEOUT after " + std::to_string(c.timeout_seconds) + " s"
                    : "CRASH: signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    return r;
  }
  std::size_t len = 0;
  const std::size_t fixed = sizeof r.ms + 2 * sizeof(std::size_t) + sizeof len;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || bytes.size() < fixed) {
    r.outcome = "HARNESS: child exited with status " + std::to_string(status);
    return r;
  }
  const char* p = bytes.data();
  std::memcpy(&r.ms, p, sizeof r.ms);
  std::memcpy(&r.input_bytes, p + sizeof r.ms, sizeof r.input_bytes);
  std::memcpy(&r.heap_peak, p + sizeof r.ms + sizeof r.input_bytes, sizeof r.heap_peak);
  std::memcpy(&len, p + sizeof r.ms + 2 * sizeof(std::size_t), sizeof len);
  r.outcome = bytes.substr(fixed, len);
  return r;
}

std::string megabytes(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  return buf;
}

std::string fit(std::string s, std::size_t width) {
  if (s.size() > width) s = s.substr(0, width - 3) + "...";
  return s;
}

}  // namespace

int main() {
  std::vector<hostile_case> cases = all_cases();
  std::printf("%-46s | %-62s | %9s | %9s | %10s | %10s | %s\n", "case", "result", "input",
              "time ms", "heap peak", "RSS peak", "status");
  std::printf("%s\n", std::string(46 + 62 + 9 + 9 + 10 + 10 + 6 + 20, '-').c_str());
  std::vector<std::string> problems;
  for (const hostile_case& c : cases) {
    report r = run_case(c);
    bool as_expected = r.outcome == c.expected;
    std::string status = as_expected ? "ok" : "FAILED";
    // A case that was killed has no time or heap figures of its own.
    bool killed = r.outcome.starts_with("TIMEOUT") || r.outcome.starts_with("CRASH");
    char ms[32];
    if (r.outcome.starts_with("TIMEOUT"))
      std::snprintf(ms, sizeof ms, ">%u", c.timeout_seconds * 1000);
    else if (killed)
      std::snprintf(ms, sizeof ms, "-");
    else
      std::snprintf(ms, sizeof ms, "%.1f", r.ms);
    std::printf("%-46s | %-62s | %9s | %9s | %10s | %10s | %s\n", c.name.c_str(),
                fit(r.outcome, 62).c_str(), killed ? "-" : megabytes(double(r.input_bytes)).c_str(),
                ms, killed ? "-" : megabytes(double(r.heap_peak)).c_str(),
                megabytes(double(r.rss_kb) * 1024).c_str(), status.c_str());
    std::fflush(stdout);
    if (!as_expected)
      problems.push_back("FAILED, " + c.name + ":\n    expected: " + c.expected +
                         "\n    got:      " + r.outcome);
  }
  std::printf(
      "\nheap peak: bytes allocated through operator new during the case, above its "
      "input;\nRSS peak: the child process's maximum resident set, input included.\n");
  bool failed = false;
  for (const std::string& p : problems) {
    std::printf("%s\n", p.c_str());
    failed = failed || p.starts_with("FAILED");
  }
  return failed ? 1 : 0;
}
