// Built-in traits: one mapping per category of C++ type (DESIGN.md §2), chosen by one ordered
// table, and the dispatch that lets a user's traits<T> specialization win over all of them.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <forward_list>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "pyjson/detail/number.hpp"
#include "pyjson/detail/reflect.hpp"
#include "pyjson/error.hpp"
#include "pyjson/traits.hpp"
#include "pyjson/value.hpp"

namespace pyjson {
namespace detail {

// --- the category table, in order: the first that matches wins ---------------------------

enum class category {
  value,
  null,
  boolean,
  integer,
  floating,
  string,
  optional,
  variant,
  map,
  sequence,
  tuple,
  enumeration,
  aggregate,
  none
};

template <class T>
struct is_optional_like : std::false_type {};
template <class U>
struct is_optional_like<std::optional<U>> : std::true_type {};
template <class U, class D>
struct is_optional_like<std::unique_ptr<U, D>> : std::true_type {};
template <class U>
struct is_optional_like<std::shared_ptr<U>> : std::true_type {};

template <class T>
struct is_variant : std::false_type {};
template <class... U>
struct is_variant<std::variant<U...>> : std::true_type {};

template <class T>
concept string_like = std::same_as<T, std::string> || std::same_as<T, std::string_view> ||
    std::same_as<T, const char*> || std::same_as<T, char*> ||
    (std::is_array_v<T>&& std::same_as<std::remove_cv_t<std::remove_extent_t<T>>, char>);

template <class T>
concept map_like = requires(const T& t) {
  typename T::key_type;
  typename T::mapped_type;
  t.begin();
  t.end();
};

template <class T>
concept range_like = requires(const T& t) {
  std::begin(t);
  std::end(t);
};

template <class T>
concept tuple_like = requires {
  std::tuple_size<T>::value;
};

template <class T>
constexpr category category_of() {
  if constexpr (std::same_as<T, value>)
    return category::value;
  else if constexpr (std::same_as<T, std::nullptr_t> || std::same_as<T, std::monostate>)
    return category::null;
  else if constexpr (std::same_as<T, bool>)
    return category::boolean;
  else if constexpr (std::integral<T>)
    return category::integer;
  else if constexpr (std::floating_point<T>)
    return category::floating;
  else if constexpr (string_like<T>)
    return category::string;
  else if constexpr (is_optional_like<T>::value)
    return category::optional;
  else if constexpr (is_variant<T>::value)
    return category::variant;
  else if constexpr (map_like<T>)
    return category::map;
  else if constexpr (range_like<T>)
    return category::sequence;
  else if constexpr (tuple_like<T>)
    return category::tuple;
  else if constexpr (std::is_enum_v<T>)
    return category::enumeration;
  else if constexpr (std::is_aggregate_v<T> && std::is_class_v<T>)
    return category::aggregate;
  else
    return category::none;
}

// --- how a traits<T> specialization speaks -----------------------------------------------

template <class T>
concept has_custom_write = requires(pyjson::writer& w, const T& v) {
  traits<T>::write(w, v);
};
template <class T>
concept has_custom_read = requires(pyjson::reader& r, T& v) {
  traits<T>::read(r, v);
};
template <class T>
concept has_fields = requires {
  traits<T>::fields;
};
template <class T>
concept enum_by_name = std::is_enum_v<T> && requires {
  requires traits<T>::enum_as_string;
};

template <class T>
[[noreturn]] void no_mapping() {
  type_has_no_json_mapping<T> this_type_has_no_json_mapping;
  static_assert(sizeof(T) == 0,
                "pyjson: this type has no JSON mapping; specialize pyjson::traits<T> "
                "(see the README, 'Mapping your own types')");
}

// Nullable types may be missing from an object; everything else is required.
template <class T>
constexpr bool is_nullable() {
  return is_optional_like<T>::value || std::same_as<T, std::nullptr_t> ||
         std::same_as<T, std::monostate>;
}

// --- writing -------------------------------------------------------------------------------

template <const auto& F, class T>
void write_fields(pyjson::writer& w, const T& obj);
template <class Fields, class T>
void read_fields(pyjson::reader& r, const Fields& f, T& obj);

template <class K>
std::string key_text(const K& k, const dump_options& opt, bool& skip);
template <class M>
void write_map(pyjson::writer& w, const M& m);
template <class V>
void read_variant(pyjson::reader& r, V& out);
template <class M>
void read_map(pyjson::reader& r, M& out);
template <class T>
void read_sequence(pyjson::reader& r, T& out);
template <class T, class F>
void read_fixed(pyjson::reader& r, T&, std::size_t n, F&& read_element);

template <class T>
void write_builtin(pyjson::writer& w, const T& v) {
  constexpr category c = category_of<T>();
  if constexpr (c == category::value) {
    w.write_value(v);
  } else if constexpr (c == category::null) {
    w.write_null();
  } else if constexpr (c == category::boolean) {
    w.write_bool(v);
  } else if constexpr (c == category::integer) {
    w.write_int(v);
  } else if constexpr (c == category::floating) {
    w.write_float(static_cast<double>(v));
  } else if constexpr (c == category::string) {
    if constexpr (std::is_pointer_v<T>) {
      if (v == nullptr) return w.write_null();
      w.write_string(std::string_view(v));
    } else if constexpr (std::is_array_v<T>) {
      // A char array holds a C string: up to its first NUL.
      std::size_t n = 0;
      while (n < std::extent_v<T> && v[n] != '\0') ++n;
      w.write_string(std::string_view(v, n));
    } else {
      w.write_string(v);
    }
  } else if constexpr (c == category::optional) {
    if (!v) return w.write_null();
    w.write(*v);
  } else if constexpr (c == category::variant) {
    std::visit([&](const auto& alt) { w.write(alt); }, v);
  } else if constexpr (c == category::map) {
    write_map(w, v);
  } else if constexpr (c == category::sequence) {
    w.begin_array();
    for (const auto& e : v) w.element(e);
    w.end_array();
  } else if constexpr (c == category::tuple) {
    w.begin_array();
    std::apply([&](const auto&... e) { (w.element(e), ...); }, v);
    w.end_array();
  } else if constexpr (c == category::enumeration) {
    w.write_int(static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (c == category::aggregate) {
    write_fields<default_fields<T>>(w, v);
  } else {
    no_mapping<T>();
  }
}

template <class E>
std::string_view enum_to_name(E e) {
  for (const auto& entry : enum_table<E>)
    if (entry.value == e) return entry.name;
  detail::raise(type_error("enum value " + std::to_string(static_cast<long long>(e)) + " of " +
                           std::string(type_name_of<E>()) + " has no name"));
}

template <class T>
void write_any(pyjson::writer& w, const T& v) {
  if constexpr (has_custom_write<T>) {
    traits<T>::write(w, v);
  } else if constexpr (has_fields<T>) {
    write_fields<traits<T>::fields>(w, v);
  } else if constexpr (enum_by_name<T>) {
    w.write_string(enum_to_name(v));
  } else {
    write_builtin(w, v);
  }
}

// Whether field list F is usable at compile time (traits<T>::fields is declared constexpr,
// as documented; a `static inline const` one is read at run time).
template <const auto& F>
concept constant_fields = requires {
  typename std::bool_constant<(F.plain.size() == 0 || F.plain[0] || true)>;
};

// Field I of obj as a member: a name that needs no escape is copied as it is, from its quoted
// copy when it has one, with one copy of fixed size (see writer::quoted_key). F, the field
// list, is a template argument, so that with a constexpr list what is known of each name is
// known at compile time.
template <const auto& F, class T, std::size_t I>
void write_field(pyjson::writer& w, const T& obj, std::integral_constant<std::size_t, I>) {
  using Fields = std::remove_cvref_t<decltype(F)>;
  const auto& v = Fields::template get<I>(F, obj);
  if constexpr (constant_fields<F>) {
    constexpr std::size_t quoted_size = F.names[I].size() + 2;
    if constexpr (F.plain[I] && quoted_size <= quoted_width) {
      w.quoted_member(F.quoted[I].data(), quoted_size, v);
      return;
    }
  }
  // A longer plain name, a name to escape, or a list read at run time.
  if (F.plain[I])
    w.plain_member(F.names[I], v);
  else
    w.member(F.names[I], v);
}

template <const auto& F, class T, std::size_t... I>
void write_field_at(pyjson::writer& w, const T& obj, std::size_t i, std::index_sequence<I...>) {
  (void)((i == I ? (write_field<F>(w, obj, std::integral_constant<std::size_t, I>{}), true)
                 : false) ||
         ...);
}

template <const auto& F, class T>
void write_fields(pyjson::writer& w, const T& obj) {
  const auto& f = F;
  constexpr std::size_t n = std::remove_cvref_t<decltype(F)>::size;
  w.begin_object();
  if (w.options().sort_keys && n > 1) {
    // Python sorts a dict's keys; a struct is written as that dict would be.
    std::array<std::size_t, n> order;
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return f.names[a] < f.names[b]; });
    for (std::size_t i : order)
      if (!f.skipped[i]) write_field_at<F>(w, obj, i, std::make_index_sequence<n>{});
  } else {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((f.skipped[I] ? void() : write_field<F>(w, obj, std::integral_constant<std::size_t, I>{})),
       ...);
    }
    (std::make_index_sequence<n>{});
  }
  w.end_object();
}

// Map keys become strings as Python's json.dumps makes them: str as is, int in decimal, float
// as repr (NaN, Infinity), bool as true/false. Other key types are a type_error (Python:
// "keys must be str, int, float, bool or None"), or are skipped with skipkeys.
template <class K>
std::string key_text(const K& k, const dump_options& opt, bool& skip) {
  skip = false;
  if constexpr (string_like<K>) {
    return std::string(std::string_view(k));
  } else if constexpr (std::same_as<K, bool>) {
    return k ? "true" : "false";
  } else if constexpr (std::integral<K>) {
    return std::to_string(k);
  } else if constexpr (std::floating_point<K>) {
    double d = static_cast<double>(k);
    if (!std::isfinite(d)) {
      if (!opt.allow_nan)
        detail::raise(value_error("Out of range float values are not JSON compliant"));
      return std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
    char buf[float_buffer_size];
    return std::string(buf, format_float(buf, d));
  } else if constexpr (enum_by_name<K>) {
    return std::string(enum_to_name(k));
  } else if constexpr (std::is_enum_v<K>) {
    return std::to_string(static_cast<std::underlying_type_t<K>>(k));
  } else {
    if (opt.skipkeys) {
      skip = true;
      return {};
    }
    detail::raise(type_error("keys must be str, int, float, bool or None, not " +
                             std::string(type_name_of<K>())));
  }
}

template <class M>
void write_map(pyjson::writer& w, const M& m) {
  using K = typename M::key_type;
  w.begin_object();
  auto write_entry = [&](const auto& entry) {
    bool skip;
    std::string k = key_text<K>(entry.first, w.options(), skip);
    if (!skip) w.member(k, entry.second);
  };
  constexpr bool ordered = requires { typename M::key_compare; };
  if (w.options().sort_keys && !ordered) {
    if constexpr (requires(const K& a) { a < a; }) {
      std::vector<const typename M::value_type*> sorted;
      sorted.reserve(m.size());
      for (const auto& e : m) sorted.push_back(&e);
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto* a, const auto* b) { return a->first < b->first; });
      for (const auto* e : sorted) write_entry(*e);
    } else {
      detail::raise(type_error("sort_keys needs keys that can be ordered"));
    }
  } else {
    for (const auto& e : m) write_entry(e);
  }
  w.end_object();
}

// --- reading -------------------------------------------------------------------------------

template <class T>
bool accepts(pyjson::kind k);

template <class K>
K key_from_text(pyjson::reader& r, std::string_view text);

template <class T>
void read_builtin(pyjson::reader& r, T& out) {
  constexpr category c = category_of<T>();
  if constexpr (c == category::value) {
    out = r.read_value();
  } else if constexpr (c == category::null) {
    r.read_null();
    out = T{};
  } else if constexpr (c == category::boolean) {
    out = r.read_bool();
  } else if constexpr (c == category::integer) {
    out = r.template read_int<T>();
  } else if constexpr (c == category::floating) {
    if constexpr (std::same_as<T, double>) {
      out = r.read_float();
    } else {
      const char* at = r.position();  // for the error: a double holds every literal's value
      double d = r.read_float();
      if (std::isfinite(d) && std::abs(d) > static_cast<double>(std::numeric_limits<T>::max()))
        r.fail_at("expected float" + std::to_string(sizeof(T) * 8) + ", found " + r.describe(at) +
                      " (out of range)",
                  at);
      out = static_cast<T>(d);
    }
  } else if constexpr (c == category::string) {
    if constexpr (std::same_as<T, std::string>) {
      // clear() and append() rather than assignment, whose general replace path (libstdc++)
      // costs more per string: typed reading of twitter.json runs 1.7% fewer instructions.
      // The text is read first, so that a failed read leaves `out` as it was.
      std::string_view s = r.read_string();
      out.clear();
      out.append(s);
    } else if constexpr (std::is_array_v<T>) {
      const char* at = r.position();
      std::string_view s = r.read_string();
      if (s.size() >= std::extent_v<T> || s.find('\0') != std::string_view::npos)
        r.fail_at("expected a string of at most " + std::to_string(std::extent_v<T> - 1) +
                      " bytes without NUL, found one of " + std::to_string(s.size()),
                  at);
      std::copy(s.begin(), s.end(), out);
      out[s.size()] = '\0';
    } else {
      static_assert(sizeof(T) == 0,
                    "pyjson: std::string_view and const char* cannot own what is read; read into "
                    "std::string");
    }
  } else if constexpr (c == category::optional) {
    if (r.peek() == pyjson::kind::null) {
      r.read_null();
      out.reset();
      return;
    }
    using U = std::remove_cvref_t<decltype(*out)>;
    if constexpr (std::same_as<T, std::optional<U>>) {
      r.read(out.emplace());
    } else if constexpr (std::same_as<T, std::shared_ptr<U>>) {
      out = std::make_shared<U>();
      r.read(*out);
    } else {
      static_assert(std::same_as<T, std::unique_ptr<U>>,
                    "pyjson: a unique_ptr with a custom deleter can be written but not read");
      out = std::make_unique<U>();
      r.read(*out);
    }
  } else if constexpr (c == category::variant) {
    read_variant(r, out);
  } else if constexpr (c == category::map) {
    read_map(r, out);
  } else if constexpr (c == category::sequence) {
    read_sequence(r, out);
  } else if constexpr (c == category::tuple) {
    read_fixed(r, out, std::tuple_size_v<T>, [&](std::size_t i) {
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (void)((i == I ? (r.read(std::get<I>(out)), true) : false) || ...);
      }
      (std::make_index_sequence<std::tuple_size_v<T>>{});
    });
  } else if constexpr (c == category::enumeration) {
    out = static_cast<T>(r.template read_int<std::underlying_type_t<T>>());
  } else if constexpr (c == category::aggregate) {
    read_fields(r, default_fields<T>, out);
  } else {
    no_mapping<T>();
  }
}

template <class E>
E enum_from_name(pyjson::reader& r, std::string_view name, const char* at) {
  for (const auto& entry : enum_table<E>)
    if (entry.name == name) return entry.value;
  std::string names;
  for (const auto& entry : enum_table<E>)
    names += (names.empty() ? "'" : ", '") + std::string(entry.name) + "'";
  r.fail_at("expected one of " + names + ", found string '" + std::string(name) + "'", at);
}

template <class T>
void read_any(pyjson::reader& r, T& out) {
  if constexpr (has_custom_read<T>) {
    traits<T>::read(r, out);
  } else if constexpr (has_fields<T>) {
    read_fields(r, traits<T>::fields, out);
  } else if constexpr (enum_by_name<T>) {
    const char* at = r.position();
    if (r.peek() != pyjson::kind::string) r.fail("enum name");
    out = enum_from_name<T>(r, r.read_string(), at);
  } else {
    read_builtin(r, out);
  }
}

// Arrays of a fixed size (std::array, C arrays, pair, tuple): exactly n elements.
template <class T, class F>
void read_fixed(pyjson::reader& r, T&, std::size_t n, F&& read_element) {
  const char* at = r.position();
  std::size_t count = 0;
  r.read_array([&] {
    if (count < n)
      read_element(count);
    else
      r.skip();
    ++count;
  });
  if (count != n)
    r.fail_at("expected array of " + std::to_string(n) + " elements, found array of " +
                  std::to_string(count) + " elements",
              at);
}

// A std::vector of small trivially copyable elements (numbers, coordinate pairs, plain structs
// of numbers): read through read_buffered_vector.
template <class T>
concept buffered_vector = std::same_as<T, std::vector<typename T::value_type>> &&
                          std::is_trivially_copyable_v<typename T::value_type> &&
                          !std::same_as<typename T::value_type, bool> &&
                          sizeof(typename T::value_type) <= 64;

// Where read_buffered_vector puts elements: a buffer on the stack for the first 512 bytes of
// them, then the thread's write_buffer (the writer's, free while reading), grown as needed.
// Only when that buffer is in use (a nested read, from a traits<T>::read) or kept by none
// (PYJSON_WRITE_BUFFER_BYTES = 0) do the elements go into the vector itself, as emplace_back.
template <class E>
struct element_buffer {
  E* data;
  std::size_t room;               // elements data has room for
  write_buffer* spill = nullptr;  // the thread's buffer, once the stack's is full
  bool into_vector = false;       // no buffer to spill to: the vector holds the rest
  element_buffer(E* stack, std::size_t n) noexcept : data(stack), room(n) {}
  element_buffer(const element_buffer&) = delete;
  element_buffer& operator=(const element_buffer&) = delete;
  ~element_buffer() {
    if (spill) spill->give_back();
  }
};

// The slow step of read_buffered_vector, at count = b.room: more room, then the element.
template <class E, class V>
[[gnu::noinline]] E* next_element_past_room(element_buffer<E>& b, std::size_t count, V& out) {
  if (!b.into_vector) {
    const std::size_t bytes = 2 * count * sizeof(E);
    if (b.spill) {  // the thread's buffer is full: twice the room, the elements kept
      b.spill->reserve(bytes, true);
    } else if (alignof(E) <= alignof(std::max_align_t) && (b.spill = write_buffer::take())) {
      // The stack's buffer is full: on to the thread's, which holds nothing worth keeping.
      b.spill->reserve(bytes, false);
      std::memcpy(static_cast<void*>(b.spill->data_), b.data, count * sizeof(E));
    }
    if (b.spill) {
      b.data = reinterpret_cast<E*>(b.spill->data_);
      b.room = b.spill->capacity_ / sizeof(E);
      return ::new (static_cast<void*>(b.data + count)) E();
    }
    b.into_vector = true;  // no buffer to spill to
    out.reserve(2 * count);
    out.assign(b.data, b.data + count);
    b.room = 0;  // every later element comes here
  }
  return &out.emplace_back();
}

// The general path: each element through read_array and r.read.
template <class T, class E>
void read_buffered_elements(pyjson::reader& r, T& out, element_buffer<E>& b, std::size_t& count) {
  r.read_array([&] {
    E* e = count < b.room ? ::new (static_cast<void*>(b.data + count)) E()
                          : next_element_past_room(b, count, out);
    ++count;
    r.read(*e);
  });
}

// Elements read by reader::read_number_array: doubles, and std::array<double, n> (of n > 0),
// unless a traits<T>::read of the user's reads them.
template <class E>
struct double_rows : std::false_type {};
template <>
struct double_rows<double> : std::bool_constant<!has_custom_read<double>> {
  static constexpr std::size_t n = 1;
  static constexpr bool rows = false;
  static double* data(double& d) noexcept { return &d; }
};
template <std::size_t N>
struct double_rows<std::array<double, N>>
    : std::bool_constant<N != 0 && !has_custom_read<double> &&
                         !has_custom_read<std::array<double, N>>> {
  static constexpr std::size_t n = N;
  static constexpr bool rows = true;
  static double* data(std::array<double, N>& a) noexcept { return a.data(); }
};

// Reads an array into such a vector through an element_buffer, and then into the vector at
// its exact size, with one allocation and one copy. Growing from empty one element at a time,
// a vector of 30 pairs is allocated six times (1, 2, 4, 8, 16, 32) and copied five, and one of
// 100,000 pairs (1.6 MB) is allocated 18 times and copied 17, fresh memory from the system
// each time past glibc's mmap threshold, with a page fault for each of its pages: it was read
// at half the speed of loads into a pyjson::value (now 3.3x faster). canada.json's 480 rings
// (median 22 points) take 480 allocations instead of 3,055. Elements are value-initialized
// before they are read, as emplace_back() does (but in the loop for doubles, below); being
// trivially copyable, they need no destructor. The element's read has one call site in
// read_buffered_elements, so that it is inlined as before.
template <class T>
void read_buffered_vector(pyjson::reader& r, T& out) {
  using E = typename T::value_type;
  constexpr std::size_t held_max = 512 / sizeof(E);
  alignas(E) unsigned char storage[held_max * sizeof(E)];
  element_buffer<E> b{reinterpret_cast<E*>(storage), held_max};
  std::size_t count = 0;  // elements read so far
  out.clear();
  if constexpr (double_rows<E>::value) {
    // Doubles, or arrays of them: the whole array in one loop (see read_number_array); typed
    // canada.json took 9% fewer instructions and 6% less time. An element is written whole
    // before the array counts as read, so it is not zeroed first. When the loop gives up, its
    // elements are forgotten and the general path reads the array from the start.
    auto element = [&]() -> double* {
      E* e = count < b.room ? ::new (static_cast<void*>(b.data + count)) E
                            : next_element_past_room(b, count, out);
      ++count;
      return double_rows<E>::data(*e);
    };
    if (!r.read_number_array<double_rows<E>::n, double_rows<E>::rows>(element)) {
      count = 0;
      out.clear();  // what went into the vector itself, when no buffer was free
      read_buffered_elements(r, out, b, count);
    }
  } else {
    read_buffered_elements(r, out, b, count);
  }
  if (b.into_vector) return;
  if (count > 4) {
    out.assign(b.data, b.data + count);
  } else if (count) {
    // Most arrays of numbers in objects (citm_catalog.json's ids): element by element, with no
    // call of memmove, as emplace_back() was. With assign(), typed citm_catalog took 0.9%
    // more instructions and ran 1-3% slower.
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(b.data[i]);
  }
}

// A std::vector of other elements that move cheaply and without throwing (structs holding
// strings or vectors, strings): read through read_held_vector.
template <class T>
concept held_vector = std::same_as<T, std::vector<typename T::value_type>> && !buffered_vector<T> &&
                      !std::same_as<typename T::value_type, bool> &&
                      std::is_nothrow_move_constructible_v<typename T::value_type> &&
                      sizeof(typename T::value_type) <= 64;

// Where read_held_vector keeps the first elements of an array.
template <class E, std::size_t N>
struct held_elements {
  alignas(E) unsigned char storage[N * sizeof(E)];
  std::size_t count = 0;  // elements constructed, from the start
  held_elements() = default;
  held_elements(const held_elements&) = delete;
  held_elements& operator=(const held_elements&) = delete;
  ~held_elements() {
    for (std::size_t i = 0; i < count; ++i) at(i)->~E();
  }
  void* slot(std::size_t i) noexcept { return storage + i * sizeof(E); }
  E* at(std::size_t i) noexcept { return std::launder(reinterpret_cast<E*>(slot(i))); }
  // Moves the held elements into `out`, which first takes room for `room` elements; none is
  // held after. The moves cannot throw (held_vector asks for that), so a failed reserve leaves
  // the elements here, for the destructor.
  template <class V>
  void move_into(V& out, std::size_t room) {
    out.reserve(room);
    for (std::size_t i = 0; i < count; ++i) out.push_back(std::move(*at(i)));
    for (std::size_t i = 0; i < count; ++i) at(i)->~E();
    count = 0;
  }
};

// The element after the held ones, and every one after it: the first time, the vector takes
// room for twice as many and the held ones.
template <class V, class E, std::size_t N>
[[gnu::noinline]] E& next_held_element(V& out, held_elements<E, N>& held, bool& spilled) {
  if (!spilled) {
    held.move_into(out, 2 * N);
    spilled = true;
  }
  return out.emplace_back();
}

// The first eight elements of such a vector are read into a buffer on the stack and moved
// into the vector, allocated once at their count, when the array closes; from the ninth on,
// the vector takes them itself (with room for sixteen at first). Grown one element at a time,
// each of citm_catalog.json's 907 lists of areas (1 to 16 of them) was allocated up to five
// times, its elements moved at each step. Eight, and at most 512 bytes: typed reads recurse,
// and a recursive type (a tree of vectors of nodes) has one such buffer at each level.
template <class T>
void read_held_vector(pyjson::reader& r, T& out) {
  using E = typename T::value_type;
  held_elements<E, 8> held;
  bool spilled = false;
  out.clear();
  r.read_array([&] {
    E* e;  // one call site for the element's read, which is inlined
    if (held.count < 8 && !spilled) {
      e = ::new (held.slot(held.count)) E();
      ++held.count;
    } else {
      e = &next_held_element(out, held, spilled);
    }
    r.read(*e);
  });
  if (!spilled) held.move_into(out, held.count);
}

template <class T>
void read_sequence(pyjson::reader& r, T& out) {
  if constexpr (std::is_array_v<T>) {
    if constexpr (std::same_as<std::remove_cv_t<std::remove_extent_t<T>>, double> &&
                  !has_custom_read<double>) {
      if (r.read_doubles(out, std::extent_v<T>)) return;
    }
    read_fixed(r, out, std::extent_v<T>, [&](std::size_t i) { r.read(out[i]); });
  } else if constexpr (requires { std::tuple_size<T>::value; }) {  // std::array
    if constexpr (requires { requires std::same_as<typename T::value_type, double>; } &&
                  !has_custom_read<double>) {
      if (r.read_doubles(out.data(), std::tuple_size_v<T>)) return;
    }
    read_fixed(r, out, std::tuple_size_v<T>, [&](std::size_t i) { r.read(out[i]); });
  } else if constexpr (buffered_vector<T>) {
    read_buffered_vector(r, out);
  } else if constexpr (held_vector<T>) {
    read_held_vector(r, out);
  } else if constexpr (requires { out.emplace_back(); }) {
    out.clear();
    r.read_array([&] { r.read(out.emplace_back()); });
  } else if constexpr (requires { out.emplace_after(out.before_begin()); }) {
    out.clear();
    auto tail = out.before_begin();
    r.read_array([&] {
      tail = out.emplace_after(tail);
      r.read(*tail);
    });
  } else if constexpr (requires(typename T::value_type e) { out.insert(std::move(e)); }) {
    out.clear();
    r.read_array([&] {
      typename T::value_type e{};
      r.read(e);
      out.insert(std::move(e));
    });
  } else {
    static_assert(sizeof(T) == 0, "pyjson: this sequence can be written but not read");
  }
}

template <class M>
void read_map(pyjson::reader& r, M& out) {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  out.clear();
  r.read_object([&](std::string_view key) {
    K k = key_from_text<K>(r, key);
    if constexpr (requires { out.insert_or_assign(out.end(), k, V{}); }) {
      // A repeated key keeps its last value, as in Python. Keys often come in a sorted map's
      // order (json.dumps with sort_keys, or a std::map that pyjson wrote): with the end as
      // hint, each such insertion into a std::map is constant time instead of a search.
      V v{};
      r.read(v);
      out.insert_or_assign(out.end(), std::move(k), std::move(v));
    } else {
      V v{};
      r.read(v);
      out.emplace(std::move(k), std::move(v));
    }
  });
}

// Keys are parsed back from the text json.dumps gives them, and nothing looser.
template <class K>
K key_from_text(pyjson::reader& r, std::string_view text) {
  const char* at = r.key_position();
  auto bad = [&](const std::string& expected) -> K {
    r.fail_at_key("expected " + expected + " key, found '" + std::string(text) + "'");
  };
  if constexpr (std::same_as<K, std::string>) {
    return K(text);
  } else if constexpr (std::same_as<K, bool>) {
    if (text == "true") return true;
    if (text == "false") return false;
    return bad("bool");
  } else if constexpr (std::integral<K>) {
    std::string name = (std::is_signed_v<K> ? "int" : "uint") + std::to_string(sizeof(K) * 8);
    if (!is_int_literal(text)) return bad(name);
    if (text == "-0") return K{0};
    K k{};
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), k);
    if (ec != std::errc() || p != text.data() + text.size()) return bad(name);
    return k;
  } else if constexpr (std::floating_point<K>) {
    if (text == "NaN") return std::numeric_limits<K>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<K>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<K>::infinity();
    number_scan n = scan_number(text.data(), text.data() + text.size());
    if (text.empty() || n.end != text.data() + text.size()) return bad("float");
    return static_cast<K>(parse_float(text.data(), n.end));
  } else if constexpr (enum_by_name<K>) {
    return enum_from_name<K>(r, text, at);
  } else if constexpr (std::is_enum_v<K>) {
    return static_cast<K>(key_from_text<std::underlying_type_t<K>>(r, text));
  } else {
    static_assert(sizeof(K) == 0,
                  "pyjson: map keys must be strings, integers, floats, bools or enums to be read");
  }
}

// The JSON a type reads from, for messages: "int", "string", "object", ...
template <class T>
constexpr std::string_view json_kind_name() {
  if constexpr (has_custom_read<T>) {
    return "value";
  } else if constexpr (has_fields<T>) {
    return "object";
  } else if constexpr (enum_by_name<T>) {
    return "string";
  } else {
    constexpr category c = category_of<T>();
    if constexpr (c == category::value || c == category::variant)
      return "any value";
    else if constexpr (c == category::null)
      return "null";
    else if constexpr (c == category::boolean)
      return "bool";
    else if constexpr (c == category::integer || c == category::enumeration)
      return "int";
    else if constexpr (c == category::floating)
      return "float";
    else if constexpr (c == category::string)
      return "string";
    else if constexpr (c == category::optional)
      return "null";
    else if constexpr (c == category::map || c == category::aggregate)
      return "object";
    else
      return "array";
  }
}

// Which JSON kinds an alternative of a variant can take (see read_variant).
template <class T>
bool accepts(pyjson::kind k) {
  using pyjson::kind;
  if constexpr (has_custom_read<T>) {
    return true;  // unknown shape: try it
  } else if constexpr (has_fields<T>) {
    return k == kind::object;
  } else if constexpr (enum_by_name<T>) {
    return k == kind::string;
  } else {
    constexpr category c = category_of<T>();
    if constexpr (c == category::value)
      return true;
    else if constexpr (c == category::null)
      return k == kind::null;
    else if constexpr (c == category::boolean)
      return k == kind::boolean;
    else if constexpr (c == category::integer || c == category::enumeration)
      return k == kind::integer;
    else if constexpr (c == category::floating)
      return k == kind::integer || k == kind::floating;
    else if constexpr (c == category::string)
      return k == kind::string;
    else if constexpr (c == category::optional)
      return k == kind::null || accepts<std::remove_cvref_t<decltype(*std::declval<T&>())>>(k);
    else if constexpr (c == category::variant)
      return true;
    else if constexpr (c == category::map || c == category::aggregate)
      return k == kind::object;
    else if constexpr (c == category::sequence || c == category::tuple)
      return k == kind::array;
    else
      return false;
  }
}

// A variant takes the first alternative, in declaration order, whose JSON kind matches the
// value (null, bool, integer, float, string, array, object; an integer also fits a floating
// alternative). When several match, each is tried in turn and the first that reads without a
// type error wins: variant<int8_t, int> takes 300 as int, variant<A, B> of two structs takes
// the first whose required fields are all there.
template <class V>
void read_variant(pyjson::reader& r, V& out) {
  const char* at = r.position();
  pyjson::kind k = r.peek();
  bool done = false;
  std::string last_error;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    auto attempt = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
      using A = std::variant_alternative_t<J, V>;
      if (done || !accepts<A>(k)) return;
#if PYJSON_HAS_EXCEPTIONS
      try {
        A a{};
        r.read(a);
        out = std::move(a);
        done = true;
      } catch (typed_failure& f) {
        bool refused_below = r.retry_refused();
        if (!r.may_retry(at, f.at)) {
          if (refused_below) throw;  // the limit was reached inside: pass that error on
          r.fail_at(
              "variant alternatives tried again too often (work limit: 16 times the "
              "document)",
              at);
        }
        last_error = f.path.empty() ? f.message : "$" + f.path + ": " + f.message;
        r.rewind(at);
      }
#else
      // Without exceptions a failed attempt cannot be taken back: the first alternative of
      // the right kind is the only one tried.
      A a{};
      r.read(a);
      out = std::move(a);
      done = true;
#endif
    };
    (attempt(std::integral_constant<std::size_t, I>{}), ...);
  }
  (std::make_index_sequence<std::variant_size_v<V>>{});
  if (!done) {
    std::string expected;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      auto add = [&](std::string_view name) {
        if (expected.find(name) == std::string::npos)
          expected += (expected.empty() ? "" : " or ") + std::string(name);
      };
      (add(json_kind_name<std::variant_alternative_t<I, V>>()), ...);
    }
    (std::make_index_sequence<std::variant_size_v<V>>{});
    r.fail_at("expected " + expected + ", found " + r.describe(at) +
                  (last_error.empty() ? "" : " (closest: " + last_error + ")"),
              at);
  }
}

// Whether the n bytes at a and b are equal. Keys and field names are short: up to 16 bytes
// they are compared as two overlapping words (or halves of words), with no call to memcmp.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b,
                                              std::size_t n) noexcept {
  auto load = [](const char* p, auto word) {
    std::memcpy(&word, p, sizeof word);
    return word;
  };
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return ((load(a, std::uint64_t{}) ^ load(b, std::uint64_t{})) |
            (load(a + n - 8, std::uint64_t{}) ^ load(b + n - 8, std::uint64_t{}))) == 0;
  }
  if (n >= 4)
    return ((load(a, std::uint32_t{}) ^ load(b, std::uint32_t{})) |
            (load(a + n - 4, std::uint32_t{}) ^ load(b + n - 4, std::uint32_t{}))) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Reads field I of obj: one entry of the table read_fields dispatches through.
template <class Fields, class T, std::size_t I>
void read_field(pyjson::reader& r, const Fields& f, T& obj) {
  r.read(Fields::template get<I>(f, obj));
}

template <class Fields, class T>
void read_fields(pyjson::reader& r, const Fields& f, T& obj) {
  constexpr std::size_t n = Fields::size;
  static constexpr auto read_at = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<void (*)(pyjson::reader&, const Fields&, T&), n>{
        &read_field<Fields, T, I>...};
  }
  (std::make_index_sequence<n>{});
  std::bitset<n == 0 ? 1 : n> seen;
  // Documents usually list keys in one order: the guess, and the search of every field (when
  // there is no signature table), start after the field found last.
  std::size_t hint = 0;
  // The field after the one found last is likely next: its name is compared with the text
  // at once, which spares scanning the key as a string.
  auto guess = [&](const char* at, const char* end) PYJSON_CLANG_INLINE {
    if constexpr (n > 0) {
      std::string_view name = f.names[hint];
      if (f.plain[hint] && f.signature[hint] != 0 &&
          static_cast<std::size_t>(end - at) > name.size() && at[name.size()] == '"' &&
          same_bytes(at, name.data(), name.size()))
        return name;
    }
    return std::string_view();
  };
  // The field a key names, or n: the guessed name itself, else the field the signature table
  // gives (see signature_table), else a search of every field.
  auto field_of = [&](std::string_view key) PYJSON_CLANG_INLINE -> std::size_t {
    if constexpr (n > 0) {
      if (key.data() == f.names[hint].data()) return hint;
    }
    const std::uint32_t signature = key_signature(key);
    auto named = [&](std::size_t i) {
      // The signature rules out skipped fields and most other names (see key_signature).
      std::string_view name = f.names[i];
      return f.signature[i] == signature && name.size() == key.size() &&
             same_bytes(key.data(), name.data(), key.size());
    };
    if (f.table.multiplier != 0) {
      std::size_t i = f.table.slot[f.table.slot_of(signature)];
      return i != 0 && named(i - 1) ? i - 1 : n;
    }
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t i = hint + k < n ? hint + k : hint + k - n;
      if (named(i)) return i;
    }
    return n;
  };
  const char* close = r.read_members(guess, [&](std::string_view key) PYJSON_CLANG_INLINE {
    if (std::size_t i = field_of(key); i < n) {
      seen.set(i);
      hint = i + 1 < n ? i + 1 : 0;
      read_at[i](r, f, obj);
      return;
    }
    if (!r.options().ignore_unknown_keys) r.fail_at_key("unknown field '" + std::string(key) + "'");
    r.skip();
  });
  [&]<std::size_t... I>(std::index_sequence<I...>) PYJSON_CLANG_INLINE {
    auto check = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) PYJSON_CLANG_INLINE {
      using F = std::remove_cvref_t<decltype(Fields::template get<J>(f, obj))>;
      if (!f.skipped[J] && !seen.test(J)) {
        if constexpr (is_nullable<F>()) {
          Fields::template get<J>(f, obj) = F{};  // missing: null
        } else {
          r.fail_at("missing required field '" + std::string(f.names[J]) + "'", close);
        }
      }
    };
    (check(std::integral_constant<std::size_t, I>{}), ...);
    (void)check;  // a struct without fields checks nothing
  }
  (std::make_index_sequence<n>{});
}

}  // namespace detail

}  // namespace pyjson
