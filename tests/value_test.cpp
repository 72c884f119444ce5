// Tests of pyjson::value: construction, accessors, mutation, comparison.
// SPDX-License-Identifier: MIT
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <pyjson.hpp>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"

using pyjson::value;

namespace {
// prefix + i in decimal. (g++ 12 at -O2 warns, wrongly, about `"literal" + std::to_string(i)`
// inlined into some functions: -Wrestrict, GCC bug 105329.)
std::string numbered(std::string_view prefix, std::size_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}
}  // namespace

TEST_CASE("value: scalars construct with the right kind") {
  CHECK(value().is_null());
  CHECK(value(nullptr).is_null());
  CHECK(value(true).is_bool());
  CHECK(value(42).is_int());
  CHECK(value(std::uint64_t(18446744073709551615ull)).is_int());
  CHECK(value(2.5).is_float());
  CHECK(value(2.5f).is_float());
  CHECK(value("text").is_string());  // not bool, although const char* converts to bool
  CHECK(value(std::string("text")).is_string());
  CHECK(value(std::string_view("text")).is_string());
  CHECK(value(1).kind() == pyjson::kind::integer);
  CHECK(std::string(value(1.0).type_name()) == "float");
  CHECK(std::string(value("a").type_name()) == "string");
}

TEST_CASE("value: strings short and long keep their bytes") {
  for (std::size_t n : {0u, 1u, 13u, 14u, 15u, 16u, 100u, 10000u}) {
    std::string s(n, 'x');
    if (n) s[n - 1] = '\0';  // embedded NUL bytes are kept
    value v(s);
    CHECK(v.get<std::string>() == s);
    value copy = v;
    CHECK(copy.get<std::string_view>() == s);
    value moved = std::move(copy);
    CHECK(moved.get<std::string>() == s);
    CHECK(copy.is_null());
  }
}

TEST_CASE("value: get<T> converts with range checks") {
  CHECK(value(300).get<int>() == 300);
  CHECK_THROWS_AS(value(300).get<std::int8_t>(), pyjson::type_error);
  CHECK_THROWS_WITH(value(300).get<std::int8_t>(), "int 300 is out of range for int8");
  CHECK_THROWS_WITH(value(-1).get<unsigned>(), "int -1 is out of range for uint32");
  CHECK_THROWS_WITH(value("x").get<int>(), "expected int, found string");
  CHECK_THROWS_WITH(value(1.5).get<int>(), "expected int, found float");
  CHECK_THROWS_WITH(value(1).get<bool>(), "expected bool, found int");
  CHECK_THROWS_WITH(value(nullptr).get<std::string>(), "expected string, found null");
  CHECK(value(3).get<double>() == 3.0);
  CHECK(value(2.5).as<double>() == 2.5);
  CHECK(value(true).get<bool>());
  CHECK(value(std::numeric_limits<std::int64_t>::min()).get<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(value(std::numeric_limits<std::uint64_t>::max()).get<std::uint64_t>() ==
        std::numeric_limits<std::uint64_t>::max());
  CHECK_THROWS_WITH(value(std::numeric_limits<std::uint64_t>::max()).get<std::int64_t>(),
                    "int 18446744073709551615 is out of range for int64");
}

TEST_CASE("value: big integers are exact") {
  value big = value::from_int_text("123456789012345678901234567890");
  CHECK(big.is_int());
  CHECK(big.is_big_int());
  CHECK(big.int_text() == "123456789012345678901234567890");
  CHECK_THROWS_WITH(big.get<std::int64_t>(),
                    "int 123456789012345678901234567890 is out of range for int64");
  CHECK(big.get<double>() == 1.2345678901234568e29);
  CHECK(value::from_int_text("-9223372036854775808").get<std::int64_t>() ==
        std::numeric_limits<std::int64_t>::min());
  CHECK(!value::from_int_text("18446744073709551615").is_big_int());
  CHECK(value::from_int_text("18446744073709551616").is_big_int());
  CHECK(value::from_int_text("-0") == value(0));
  CHECK_THROWS_AS(value::from_int_text("12a"), pyjson::value_error);
  CHECK_THROWS_AS(value::from_int_text("01"), pyjson::value_error);
  CHECK_THROWS_AS(value::from_int_text(""), pyjson::value_error);
}

TEST_CASE("value: initializer lists make arrays, or objects from key/value pairs") {
  value a = {1, "two", 3.0, nullptr, true};
  REQUIRE(a.is_array());
  CHECK(a.size() == 5);
  CHECK(a[1].get<std::string>() == "two");
  value o = {{"name", "Ada"}, {"age", 36}};
  REQUIRE(o.is_object());
  CHECK(o["age"].get<int>() == 36);
  CHECK(pyjson::dumps(o) == R"({"name": "Ada", "age": 36})");
  // Explicit forms when the heuristic is not wanted.
  CHECK(pyjson::dumps(pyjson::array({{"name", "Ada"}})) == R"([["name", "Ada"]])");
  CHECK(pyjson::dumps(pyjson::array()) == "[]");
  CHECK(pyjson::dumps(pyjson::object()) == "{}");
  CHECK(pyjson::dumps(pyjson::object({{"a", 1}, {"b", pyjson::array({1, 2})}})) ==
        R"({"a": 1, "b": [1, 2]})");
}

TEST_CASE("value: objects behave like Python dicts") {
  value d;
  d["b"] = 1;
  d["a"] = 2;
  d["b"] = 3;  // assignment to an existing key keeps its position
  CHECK(pyjson::dumps(d) == R"({"b": 3, "a": 2})");
  CHECK(d.size() == 2);
  CHECK(d.contains("a"));
  CHECK(!d.contains("z"));
  CHECK(d.find("z") == nullptr);
  CHECK(d.at("a") == value(2));
  CHECK_THROWS_AS(d.at("z"), pyjson::key_error);
  CHECK_THROWS_WITH(d.at("z"), "key not found: 'z'");
  const value& cd = d;
  CHECK(cd["b"].get<int>() == 3);
  CHECK_THROWS_AS(cd["missing"], pyjson::key_error);
  std::vector<std::string> keys;
  for (auto& [k, v] : d.items()) {
    keys.emplace_back(k);
    v = v.get<int>() * 10;
  }
  CHECK(keys == std::vector<std::string>{"b", "a"});
  CHECK(pyjson::dumps(d) == R"({"b": 30, "a": 20})");
  CHECK(d.erase("b") == 1);
  CHECK(d.erase("b") == 0);
  CHECK(pyjson::dumps(d) == R"({"a": 20})");
  d.clear();
  CHECK(pyjson::dumps(d) == "{}");
  CHECK_THROWS_WITH(value(1)["x"], "expected object, found int");
  // Many keys: growth keeps everything in order.
  value big;
  for (int i = 0; i < 1000; ++i) big[std::to_string(i)] = i;
  CHECK(big.size() == 1000);
  CHECK(big["999"].get<int>() == 999);
  CHECK(big.items()[500].key() == "500");
}

// Objects of 16 members or more get a hash index at their first lookup; inserting keeps it,
// erasing, clearing and growing drop it until the next lookup. Every operation is
// checked against a plain list of pairs, across the sizes where the index appears, is rebuilt
// at each doubling and is dropped.
TEST_CASE("value: objects large and small find every key, through their index or not") {
  std::vector<std::string> pool;
  for (int i = 0; i < 300; ++i) {
    pool.push_back(numbered("k", static_cast<std::size_t>(i)));  // short: stored in the value
    // Long keys alike in length and in their first and last 8 bytes.
    pool.push_back(numbered("long-key-prefix/", static_cast<std::size_t>(1000 + i)) + "/same-end");
  }
  std::vector<std::pair<std::string, int>> model;
  auto model_find = [&](const std::string& k) {
    for (std::size_t i = 0; i < model.size(); ++i)
      if (model[i].first == k) return i;
    return model.size();
  };
  auto same_as_model = [&](const value& v) {
    if (!v.is_object() || v.size() != model.size()) return false;
    auto items = v.items();
    for (std::size_t i = 0; i < model.size(); ++i)
      if (items[i].key() != model[i].first || items[i].value() != value(model[i].second))
        return false;
    return true;
  };
  std::uint64_t state = 12345;
  auto next = [&](std::uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  value v = pyjson::loads("{}");
  const value& cv = v;
  for (int step = 0; step < 20000; ++step) {
    // Grow to about 600 members, shrink below 16, and grow again.
    bool shrinking = (step / 4000) % 2 == 1;
    std::size_t op = next(100);
    const std::string& k = pool[next(pool.size())];
    std::size_t at = model_find(k);
    int x = static_cast<int>(next(1000000));
    if (op < (shrinking ? 20 : 55)) {
      v[k] = x;
      if (at == model.size())
        model.emplace_back(k, x);
      else
        model[at].second = x;
    } else if (op < (shrinking ? 75 : 60)) {
      REQUIRE(v.erase(k) == (at < model.size() ? 1u : 0u));
      if (at < model.size()) model.erase(model.begin() + static_cast<std::ptrdiff_t>(at));
    } else if (op < 80) {
      const value* found = cv.find(k);  // const lookups build and use the index too
      REQUIRE((found != nullptr) == (at < model.size()));
      if (found) REQUIRE(*found == value(model[at].second));
    } else if (op < 97) {
      value* found = v.find(k);
      REQUIRE((found != nullptr) == (at < model.size()));
      REQUIRE(v.contains(k) == (at < model.size()));
      if (found) {
        REQUIRE(*found == value(model[at].second));
        REQUIRE(v.at(k) == value(model[at].second));
      } else {
        REQUIRE_THROWS_WITH(v.at(k), "key not found: '" + k + "'");
      }
    } else if (op < 99) {
      value copy = v;  // a copy finds every key, and changing it leaves v alone
      REQUIRE(same_as_model(copy));
      copy[k] = -1;
      if (const std::string& other = pool[next(pool.size())]; other != k) copy.erase(other);
      REQUIRE(copy.find(k) != nullptr);
      REQUIRE(*copy.find(k) == value(-1));
      value moved = std::move(copy);  // the index moves with the object
      REQUIRE(moved.at(k) == value(-1));
    } else if (model.size() > 300 || next(10) == 0) {
      v.clear();
      model.clear();
    }
    if (step % 97 == 0) REQUIRE(same_as_model(v));
  }
  REQUIRE(same_as_model(v));
  // Every key once more, through both lookups, and the text Python would write.
  for (const auto& [k, x] : model) {
    REQUIRE(cv.at(k) == value(x));
    REQUIRE(v.at(k) == value(x));
  }
  for (const std::string& k : pool)
    REQUIRE((v.find(k) != nullptr) == (model_find(k) < model.size()));
  std::string expected = "{";
  for (const auto& [k, x] : model)
    expected += (expected.size() > 1 ? ", \"" : "\"") + k + "\": " + std::to_string(x);
  CHECK(pyjson::dumps(v) == expected + "}");
}

TEST_CASE("value: threads looking up keys in one large object at once all find them",
          "[value][threads]") {
  // Each const lookup that finds no index builds one and installs it; threads that lose the
  // race free theirs (the sanitizer builds check that nothing leaks or is freed twice).
  std::string text = "{";
  for (int i = 0; i < 500; ++i)
    text += numbered(i ? ", \"k" : "\"k", static_cast<std::size_t>(i)) +
            numbered("\": ", static_cast<std::size_t>(i));
  text += "}";
  for (int round = 0; round < 20; ++round) {
    const value v = pyjson::loads(text);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&v, &wrong, t] {
        for (int i = 0; i < 500; ++i) {
          int k = (i * 7 + t * 131) % 500;
          if (v.at(numbered("k", static_cast<std::size_t>(k))) != value(k)) ++wrong;
          if (v.find(numbered("k", static_cast<std::size_t>(500 + k))) != nullptr) ++wrong;
        }
      });
    for (auto& th : threads) th.join();
    REQUIRE(wrong == 0);
  }
}

TEST_CASE("value: a member's key cannot be assigned over") {
  // Assigning one member over another could repeat a key in the object, which Python's dict
  // cannot hold, or move a key away from where the object's index has it.
  STATIC_REQUIRE(!std::is_copy_assignable_v<pyjson::member>);
  STATIC_REQUIRE(!std::is_move_assignable_v<pyjson::member>);
  STATIC_REQUIRE(std::is_copy_constructible_v<pyjson::member>);
  STATIC_REQUIRE(std::is_assignable_v<pyjson::value&, const pyjson::value&>);  // values can
}

TEST_CASE("value: arrays behave like Python lists") {
  value l;
  l.push_back(1);
  l.push_back("x");
  l.emplace_back(2.5);
  CHECK(pyjson::dumps(l) == R"([1, "x", 2.5])");
  CHECK(l.size() == 3);
  CHECK(l[0] == value(1));
  CHECK_THROWS_AS(l[3], pyjson::index_error);
  CHECK_THROWS_WITH(l.at(7), "list index out of range: 7 (size 3)");
  int count = 0;
  for (value& e : l) {
    (void)e;
    ++count;
  }
  CHECK(count == 3);
  for (int i = 0; i < 100; ++i) l.push_back(i);
  CHECK(l.size() == 103);
  CHECK(l[102].get<int>() == 99);
  CHECK_THROWS_WITH(value("s").push_back(1), "expected array, found string");
  CHECK_THROWS_WITH(value(1).size(), "expected array or object, found int");
  l.clear();
  CHECK(l.empty());
}

TEST_CASE("value: copies are deep") {
  value a = pyjson::loads(R"({"k": [1, {"n": "a long string, longer than fourteen"}]})");
  value b = a;
  CHECK(a == b);
  b["k"][1]["n"] = "changed";
  CHECK(a != b);
  CHECK(a["k"][1]["n"].get<std::string>() == "a long string, longer than fourteen");
  value c;
  c = a;
  CHECK(c == a);
  value& alias = c;
  c = alias;  // self-assignment is harmless
  CHECK(c == a);
  swap(b, c);
  CHECK(b == a);
}

TEST_CASE("value: == compares as Python does") {
  CHECK(value(1) == value(1.0));
  CHECK(value(0) == value(-0.0));
  CHECK(value(true) != value(1));  // a deliberate difference: in Python True == 1
  CHECK(value(9007199254740993LL) != value(9007199254740992.0));
  CHECK(value(9007199254740992LL) == value(9007199254740992.0));
  CHECK(value::from_int_text("100000000000000000000") == value(1e20));
  CHECK(value::from_int_text("100000000000000000001") != value(1e20));
  CHECK(value(std::numeric_limits<double>::quiet_NaN()) !=
        value(std::numeric_limits<double>::quiet_NaN()));
  CHECK(value(1.5) != value(1));
  CHECK(pyjson::loads(R"({"a": 1, "b": 2})") == pyjson::loads(R"({"b": 2, "a": 1})"));
  CHECK(pyjson::loads("[1, 2]") != pyjson::loads("[2, 1]"));
  CHECK(value("a") != value(nullptr));
  // Large objects compare regardless of order too.
  value x, y;
  for (int i = 0; i < 100; ++i) x[std::to_string(i)] = i;
  for (int i = 99; i >= 0; --i) y[std::to_string(i)] = i;
  CHECK(x == y);
  y["50"] = -1;
  CHECK(x != y);
  y["50"] = 50;
  y.erase("99");
  y["other"] = 99;
  CHECK(x != y);  // same size, a key missing
  // Nested containers: a difference deep inside, after equal containers, and in the last one.
  const char* base = R"([{"a": [1, [2, 3]], "b": {}}, [[], [4]], {"c": [5, {"d": "e"}]}])";
  value v = pyjson::loads(base);
  CHECK(v == pyjson::loads(base));
  CHECK(v != pyjson::loads(R"([{"a": [1, [2, 4]], "b": {}}, [[], [4]], {"c": [5, {"d": "e"}]}])"));
  CHECK(v != pyjson::loads(R"([{"a": [1, [2, 3]], "b": {}}, [[], [4]], {"c": [5, {"d": "f"}]}])"));
  CHECK(v != pyjson::loads(R"([{"a": [1, [2, 3]], "b": []}, [[], [4]], {"c": [5, {"d": "e"}]}])"));
  CHECK(v !=
        pyjson::loads(R"([{"a": [1, [2, 3]], "b": {}}, [[], [4, 5]], {"c": [5, {"d": "e"}]}])"));
  CHECK(pyjson::loads(R"({"a": {"x": 1}})") != pyjson::loads(R"({"b": {"x": 1}})"));
  CHECK(pyjson::loads("[[1], 2]") != pyjson::loads("[[1], 3]"));
}

// Freed small blocks are kept per thread for reuse. Values may be made in one thread and
// destroyed in another, in threads that end, and after a thread's cache is gone (a static value
// destroyed at exit, after thread_local objects).
TEST_CASE("value: blocks are reused across threads and outlive thread caches",
          "[value][blocks][threads]") {
  const std::string text =
      R"({"name": "a string longer than fourteen bytes", "list": [1, 2, [3, 4]], "more": {}})";
  std::vector<value> made_elsewhere;
  std::thread worker([&] {
    for (int i = 0; i < 1000; ++i) {
      value v = pyjson::loads(text);  // parsed and freed: the worker's slabs are reused
      if (i % 100 == 0) made_elsewhere.push_back(std::move(v));
    }
  });
  worker.join();  // the worker's heap is gone; its values live on here
  REQUIRE(made_elsewhere.size() == 10);
  for (const value& v : made_elsewhere) REQUIRE(pyjson::dumps(v) == text);
  made_elsewhere.clear();  // the last of these frees frees the worker's slabs
  for (int i = 0; i < 100; ++i) REQUIRE(pyjson::dumps(pyjson::loads(text)) == text);
  pyjson::release_cached_blocks();
  REQUIRE(pyjson::dumps(pyjson::loads(text)) == text);

  // Destroyed at exit, after this thread's heap: its blocks go back as another thread's do.
  static value survivor = pyjson::loads(text);
  REQUIRE(survivor["list"][2][1] == value(4));
}

namespace {
// Bytes of the slabs that the calling thread's heap owns, and of those it keeps empty.
std::size_t slab_bytes() {
  pyjson::detail::block_heap* heap = pyjson::detail::block_heap::active();
  return heap ? heap->slab_bytes() : 0;
}
std::size_t kept_slab_bytes() {
  pyjson::detail::block_heap* heap = pyjson::detail::block_heap::active();
  return heap ? heap->kept_bytes() : 0;
}
bool slabs_on() { return PYJSON_BLOCK_CACHE_BYTES >= (std::size_t{4} << 20); }

// n arrays of two numbers: one small block each (56 bytes).
std::string pairs(int n, int first = 0) {
  std::string text = "[";
  for (int i = 0; i < n; ++i) {
    if (i) text += ", ";
    text += '[';
    text += std::to_string(first + i);
    text += ", 0.5]";
  }
  return text + "]";
}
// An array of n elements in Python's layout: numbers, strings and small arrays in turn, so that
// dumps must give the text back byte for byte.
std::string mixed_array(std::size_t n) {
  std::string text = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i) text += ", ";
    switch (i % 3) {
      case 0: text += std::to_string(i); break;
      case 1: text += numbered("\"a string longer than fourteen bytes ", i) + "\""; break;
      default: text += numbered("[0.5, ", i) + "]"; break;
    }
  }
  return text + "]";
}
bool thread_buffer_free() {
  pyjson::detail::write_buffer* b = pyjson::detail::write_buffer::take();
  if (b) b->give_back();
  return b != nullptr || PYJSON_WRITE_BUFFER_BYTES == 0;
}
struct numbers_and_value {
  std::vector<double> before;
  value middle;
  std::vector<std::array<double, 2>> after;
};
}  // namespace

// Empty arrays and objects share one block each (see detail::empty_array_block): none of them
// allocates, and no change to one of them reaches another.
TEST_CASE("value: empty containers own no block, and changing one leaves the others empty",
          "[value][blocks]") {
  value doc = pyjson::loads(R"({"a": [], "o": {}, "list": [[], {}, []]})");
  const value fresh = pyjson::loads("[[], {}]");

  value a = doc["a"];  // a copy of an empty array
  a.clear();
  a.push_back(1);
  a.push_back("a string longer than fourteen bytes");
  CHECK(pyjson::dumps(a) == R"([1, "a string longer than fourteen bytes"])");
  a.clear();
  CHECK(a.empty());

  value o = doc["o"];
  o.clear();
  CHECK(o.erase("missing") == 0);
  CHECK(o.find("missing") == nullptr);
  o["k"] = doc["list"];
  CHECK(pyjson::dumps(o) == R"({"k": [[], {}, []]})");
  o.clear();

  doc["list"][0].push_back(value());
  doc["list"][1]["x"] = 2;
  value moved = std::move(doc["list"][2]);
  moved.push_back(3);
  doc["list"][2] = pyjson::array();
  CHECK(pyjson::dumps(doc) == R"({"a": [], "o": {}, "list": [[null], {"x": 2}, []]})");
  CHECK(pyjson::dumps(moved) == "[3]");

  // Every empty container ever made is still empty.
  CHECK(pyjson::dumps(fresh) == "[[], {}]");
  CHECK(pyjson::dumps(pyjson::loads("[[], {}]")) == "[[], {}]");
  CHECK(pyjson::array().size() == 0);
  CHECK(pyjson::object().size() == 0);
  CHECK(pyjson::loads("[]") == pyjson::array());
  CHECK(pyjson::loads("{}") == pyjson::object());

  if (slabs_on()) {
    // A thousand empty containers, parsed and freed, take no block (the array around them is
    // a large block, from operator new).
    std::string text = "[";
    for (int i = 0; i < 500; ++i) text += i ? ", [], {}" : "[], {}";
    text += "]";
    const std::size_t before = pyjson::detail::block_heap::active()->bytes_in_use();
    value v = pyjson::loads(text);
    REQUIRE(v.size() == 1000);
    CHECK(pyjson::detail::block_heap::active()->bytes_in_use() == before);
  }
}

// A document's small blocks are cut from slabs in the order the parse makes them; once the
// document is freed, its slabs are empty, and the next document is made from their start.
TEST_CASE("value: a freed document's slabs make the next document from their start",
          "[value][blocks]") {
  if (!slabs_on()) {
    WARN("slabs off or small in this build: skipped");
    return;
  }
  using pyjson::detail::block_heap;
  using pyjson::detail::block_slab;
  pyjson::release_cached_blocks();
  const std::string text = pairs(40000);
  const std::size_t in_use = block_heap::active()->bytes_in_use();
  // The block of the pair at i: the array block in front of its elements.
  auto block = [](const value& v, int i) {
    return reinterpret_cast<const char*>(&v[i][0]) - sizeof(pyjson::detail::array_block);
  };
  std::size_t owned = 0;
  for (int round = 0; round < 4; ++round) {
    value v = pyjson::loads(text);
    REQUIRE(v[39999][0] == value(39999));
    CHECK(block_heap::active()->bytes_in_use() == in_use + 40000 * 56);
    if (round == 0) {
      // The first pairs may fill a slab that holds blocks of other values (this thread's
      // earlier tests): the next rounds start from a slab of this document's, emptied.
      owned = slab_bytes();
      continue;
    }
    // Each pair's block follows the last one's, from the start of a slab.
    CHECK(block(v, 0) == block_slab::of(const_cast<char*>(block(v, 0)))->first());
    for (int i = 1; i < 200; ++i) REQUIRE(block(v, i) == block(v, i - 1) + 56);
    CHECK(slab_bytes() == owned);  // the same slabs each time
  }
  CHECK(block_heap::active()->bytes_in_use() == in_use);
  CHECK(kept_slab_bytes() >= 40000 * 56 - 2 * block_slab::bytes);
  pyjson::release_cached_blocks();
  CHECK(kept_slab_bytes() == 0);
}

// Freeing walks every container; a small array whose elements own nothing is freed on the
// spot, the others go through the walk's list. Either way every block comes back: arrays of 0
// to 6 elements with an owning element (long string, big integer, array, object) at each
// position or none, nested in arrays and objects, and at the top.
TEST_CASE("value: freeing gives back every block, small arrays of scalars included",
          "[value][blocks]") {
  if (!slabs_on()) {
    WARN("slabs off or small in this build: skipped");
    return;
  }
  using pyjson::detail::block_heap;
  const char* owners[] = {"\"a string longer than fourteen bytes\"",
                          "123456789012345678901234567890",
                          "[1, 2]",
                          "{\"k\": 1}",
                          "[]",
                          "{}"};
  std::vector<std::string> texts;
  for (int n = 0; n <= 6; ++n) {
    for (int at = -1; at < n; ++at) {
      for (const char* owner : owners) {
        std::string a = "[";
        for (int i = 0; i < n; ++i) {
          if (i) a += ", ";
          a += i == at ? owner : (i % 2 ? "0.5" : "\"short\"");
        }
        a += "]";
        texts.push_back(a);
        texts.push_back("[" + a + ", " + a + "]");
        texts.push_back("{\"x\": " + a + ", \"y\": [" + a + "]}");
        if (at < 0) break;  // no owner: one text is enough
      }
    }
  }
  const std::size_t before = block_heap::active()->bytes_in_use();
  for (const std::string& text : texts) {
    {
      value v = pyjson::loads(text);
      REQUIRE(pyjson::dumps(v) == text);
    }
    REQUIRE(block_heap::active()->bytes_in_use() == before);
  }
  // Many pairs in one document, freed from the top.
  {
    value v = pyjson::loads(pairs(5000));
    CHECK(block_heap::active()->bytes_in_use() > before);
  }
  CHECK(block_heap::active()->bytes_in_use() == before);
}

// A long string or big integer keeps its block's size class in the value, and its free gives
// the block back to that class: strings and big integers of every length from 15 bytes to past
// the largest class, made by the reader (its short, medium and general paths, escaped or not),
// by a constructor, by a copy and by moves, each freed alone, in a container and in a copy.
TEST_CASE("value: long strings and big integers of every length give their blocks back",
          "[value][blocks]") {
  if (!slabs_on()) {
    WARN("slabs off or small in this build: skipped");
    return;
  }
  using pyjson::detail::block_heap;
  const std::size_t before = block_heap::active()->bytes_in_use();
  for (std::size_t n = 15; n <= 2100; n += n < 300 ? 1 : 7) {
    std::string text(n, 'a');
    for (std::size_t i = 0; i < n; i += 5) text[i] = static_cast<char>('a' + i % 26);
    std::string digits(n, '7');
    digits[0] = '1';
    const std::string quoted = "\"" + text + "\"";
    std::string escaped = quoted;
    escaped.replace(1, 1, "\\u0041");  // the same length once decoded, with 'A' first
    {
      value a = pyjson::loads(quoted);
      value b = pyjson::loads(escaped);
      value c(text);
      value d = pyjson::loads(digits);
      REQUIRE(a.get<std::string>() == text);
      REQUIRE(b.get<std::string>().size() == n);
      REQUIRE(d.is_big_int() == (n > 20));  // below: an int64 or uint64
      value copies = pyjson::array({a, b, c, d});
      value moved = std::move(copies);
      value doc = pyjson::loads("[" + quoted + ", {\"k\": " + digits + "}, " + escaped + "]");
      value doc_copy = doc;
      REQUIRE(doc_copy == doc);
      REQUIRE(block_heap::active()->bytes_in_use() > before);
    }
    REQUIRE(block_heap::active()->bytes_in_use() == before);
  }
}

TEST_CASE("value: emptied slabs are kept up to PYJSON_BLOCK_CACHE_BYTES", "[value][blocks]") {
  if (!slabs_on()) {
    WARN("slabs off or small in this build: skipped");
    return;
  }
  pyjson::release_cached_blocks();
  {
    value v = pyjson::loads(pairs(200000));  // 11.2 MB of small blocks
    REQUIRE(v[199999][0] == value(199999));
    CHECK(slab_bytes() >= std::size_t{200000} * 56);
  }
  CHECK(kept_slab_bytes() <= PYJSON_BLOCK_CACHE_BYTES);
  CHECK(kept_slab_bytes() > PYJSON_BLOCK_CACHE_BYTES - 2 * pyjson::detail::block_slab::bytes);
  pyjson::release_cached_blocks();
  CHECK(kept_slab_bytes() == 0);
}

// Values kept from a freed document keep their slabs, and the blocks freed around them are made
// again: the next document takes those holes before new slabs.
TEST_CASE("value: blocks freed around kept values are reused", "[value][blocks]") {
  if (!slabs_on()) {
    WARN("slabs off or small in this build: skipped");
    return;
  }
  pyjson::release_cached_blocks();
  std::vector<value> kept;
  {
    value v = pyjson::loads(pairs(40000));
    for (int i = 0; i < 40000; i += 10) kept.push_back(std::move(v[i]));
  }
  const std::size_t owned = slab_bytes();
  CHECK(kept_slab_bytes() == 0);  // every slab holds a kept pair
  for (int round = 0; round < 3; ++round) {
    value w = pyjson::loads(pairs(30000, 7));
    REQUIRE(w[29999][0] == value(30006));
    CHECK(slab_bytes() <= owned + 2 * pyjson::detail::block_slab::bytes);
  }
  for (int i = 0; i < 40000; i += 10)
    REQUIRE(pyjson::dumps(kept[static_cast<std::size_t>(i / 10)]) ==
            numbered("[", static_cast<std::size_t>(i)) + ", 0.5]");
}

// A thread that parses documents which another thread frees gets its blocks back from that
// thread (see detail::block_slab::give_remote) and reuses them: its slabs do not grow with the
// number of documents.
TEST_CASE("value: blocks freed by another thread go back to the thread that made them",
          "[value][blocks][threads]") {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<value> queue;
  const int documents = 300;
  std::size_t most_slab_bytes = 0;
  std::thread producer([&] {
    for (int d = 0; d < documents; ++d) {
      value v = pyjson::loads(pairs(2000, d));  // 112 KB of small blocks
      most_slab_bytes = std::max(most_slab_bytes, slab_bytes());
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return queue.size() < 4; });
      queue.push_back(std::move(v));
      changed.notify_all();
    }
  });
  for (int d = 0; d < documents; ++d) {
    value v;
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return !queue.empty(); });
      v = std::move(queue.front());
      queue.pop_front();
      changed.notify_all();
    }
    REQUIRE(v[1999][0] == value(1999 + d));
  }  // each document is freed here, in this thread
  producer.join();
  // At most 6 documents exist at once (4 queued, 1 being checked, 1 being made): 672 KB.
  if (slabs_on()) CHECK(most_slab_bytes <= (std::size_t{3} << 20));
}

// A value made or freed in a thread_local destructor that runs after the thread's heap is gone
// takes and gives back its blocks without the heap, and objects are read without the thread's
// key shapes.
TEST_CASE("value: values made after the thread's heap is gone", "[value][blocks][threads]") {
  static std::atomic<int> made_late{0};
  struct late {
    ~late() {
      value v = pyjson::loads(R"([[1, 2], "a string longer than fourteen bytes", {"k": [3]}])");
      if (pyjson::dumps(v) == R"([[1, 2], "a string longer than fourteen bytes", {"k": [3]}])")
        ++made_late;
      value o =
          pyjson::loads(R"([{"a": 1, "b": 2, "c": 3, "d": 4}, {"a": 1, "b": 2, "c": 3, "a": 4}])");
      if (pyjson::dumps(o) == R"([{"a": 1, "b": 2, "c": 3, "d": 4}, {"a": 4, "b": 2, "c": 3}])")
        ++made_late;
      // Long enough for the parse stack and a typed vector to want the thread's buffer.
      if (pyjson::loads(mixed_array(500)).size() == 500) ++made_late;
      std::string ones = "[1";
      for (int i = 1; i < 500; ++i) ones += ", 1";
      ones += "]";
      auto d = pyjson::loads<std::vector<double>>(ones);
      if (d.size() == 500 && d.back() == 1) ++made_late;
    }
  };
  std::thread t([] {
    static thread_local late at_exit;  // made first, so destroyed after the heap
    (void)&at_exit;
    value v = pyjson::loads(pairs(100));
    REQUIRE(v[99][0] == value(99));
    // Each thread has shapes of its own: this one's first object repeats a key.
    CHECK(pyjson::dumps(pyjson::loads(R"({"a": 1, "b": 2, "c": 3, "a": 4})")) ==
          R"({"a": 4, "b": 2, "c": 3})");
    CHECK(pyjson::loads(R"({"a": 1, "b": 2, "c": 3, "d": 4})").size() == 4);
  });
  t.join();
  CHECK(made_late == 4);
}

TEST_CASE("value: parses and typed vectors use the thread's buffer, or their own when it is busy",
          "[value][buffers]") {
  // The parse stack and typed vectors of numbers go into the thread's write buffer when it is
  // free; in use (held here, as a dumps nested in a traits<T>::write would), they use memory
  // of their own. Either way: the same values, and the buffer free again afterwards, after
  // errors too. (Sanitizer builds keep no buffer; scripts/sanitize.sh runs these tests once
  // more with one.)
  using pyjson::detail::write_buffer;
  for (bool busy : {false, true}) {
    write_buffer* held = busy ? write_buffer::take() : nullptr;
    for (std::size_t n : {0, 1, 63, 64, 65, 127, 128, 129, 1000, 10001, 40000}) {
      INFO(n << (busy ? ", buffer in use" : ""));
      std::string text = mixed_array(n);
      value v = pyjson::loads(text);
      REQUIRE(v.size() == n);
      CHECK(pyjson::dumps(v) == text);
      // Nested: the stack holds the outer arrays' elements under the inner one's.
      std::string nested = "[[" + std::to_string(n) + ", " + text + "], " + text + "]";
      CHECK(pyjson::dumps(pyjson::loads(nested)) == nested);
      // An error after n elements: Python's message and position.
      std::string bad = text.substr(0, text.size() - 1) + (n ? ", " : "") + "nul]";
      try {
        (void)pyjson::loads(bad);
        FAIL("no error");
      } catch (const pyjson::decode_error& e) {
        CHECK(e.pos() == bad.size() - 4);
        CHECK(std::string(e.what()).rfind("Expecting value: line 1 column ", 0) == 0);
      }
      // A typed read of a vector of numbers (through the buffer), a value (whose parse stack
      // is the buffer, given back by the vector before) and another vector.
      std::string doubles = "[";
      for (std::size_t i = 0; i < n; ++i) doubles += numbered(i ? ", " : "", i) + ".25";
      doubles += "]";
      std::string pairs_text = "[";
      for (std::size_t i = 0; i < n; ++i) pairs_text += numbered(i ? ", [" : "[", i) + ", -1.5]";
      pairs_text += "]";
      auto s = pyjson::loads<numbers_and_value>(R"({"before": )" + doubles + R"(, "middle": )" +
                                                text + R"(, "after": )" + pairs_text + "}");
      REQUIRE(s.before.size() == n);
      REQUIRE(s.after.size() == n);
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(s.before[i] == static_cast<double>(i) + 0.25);
        CHECK((s.after[i] == std::array<double, 2>{static_cast<double>(i), -1.5}));
      }
      CHECK(pyjson::dumps(s.middle) == text);
      if (n <= 64 || (!busy && PYJSON_WRITE_BUFFER_BYTES != 0)) CHECK(s.before.capacity() == n);
    }
    if (held) held->give_back();
    CHECK(thread_buffer_free());
  }
  // A buffer that a parse grew past PYJSON_WRITE_BUFFER_BYTES is freed when given back:
  // 600,000 elements are 9.6 MB of stack.
  std::string zeros = "[0";
  for (int i = 1; i < 600000; ++i) zeros += ",0";
  zeros += "]";
  CHECK(pyjson::loads(zeros).size() == 600000);
  if (write_buffer* b = write_buffer::take()) {
    CHECK(b->capacity_ == 0);
    b->give_back();
  }
}

TEST_CASE("value: keys of 15 to 31 bytes are shared among loaded objects, and outlive them",
          "[value][threads][shared_keys]") {
  // Other tests fill the process's table of shared keys. CTest runs this test once more alone
  // (shared_keys_fresh), in a process whose table is empty at first, where the keys below
  // must be shared wherever their slot is free.
  // Builds without the SSE2 paths (PYJSON_NO_SIMD, targets other than x86-64) share no keys:
  // there, every key below must have a text of its own, and read back the same.
  const bool fresh = std::getenv("PYJSON_TEST_FRESH_PROCESS") != nullptr;
  // A key's text in a loaded object, and where that text lies.
  auto key_of = [](const value& object, std::size_t i) { return object.items()[i].key(); };
#if PYJSON_SSE2
  if (fresh)
    for (auto& slot : pyjson::detail::shared_key_table) REQUIRE(slot.load() == nullptr);
  // Where the process's shared key of a text lies, or null when the text has none.
  auto shared_text = [](std::string_view key) -> const char* {
    for (auto& slot : pyjson::detail::shared_key_table) {
      pyjson::detail::string_block* b = slot.load();
      if (b != nullptr && std::string_view(b->data(), b->size()) == key) return b->data();
    }
    return nullptr;
  };
  // The slot of a key of 15 to 31 bytes (for 15, its 16th byte is the closing quote).
  auto home_of = [](std::string_view k) {
    std::string quoted = std::string(k) + '"';
    std::uint64_t a0, a1, b;
    std::memcpy(&a0, quoted.data(), 8);
    std::memcpy(&a1, quoted.data() + 8, 8);
    std::memcpy(&b, k.data() + k.size() - 8, 8);
    return pyjson::detail::shared_key_slot(a0, a1, b, k.size());
  };
  // Whether the slot of a key of 15 to 31 bytes holds a key.
  auto slot_taken = [&](std::string_view k) {
    return pyjson::detail::shared_key_table[home_of(k)].load() != nullptr;
  };
#else
  auto shared_text = [](std::string_view) -> const char* { return nullptr; };
  auto home_of = [](std::string_view) { return std::size_t(0); };  // every key "in one slot"
  auto slot_taken = [](std::string_view) { return true; };
#endif
  // A key of a loaded object is the shared key of its text when there is one, else a text of
  // its own. A key of 15 to 31 plain bytes (with 32 bytes of text after its opening quote, as
  // every one below) has one unless its slot holds another key: other tests fill the table.
  // Spaces after each document give its last keys those 32 bytes.
  const std::string pad(32, ' ');
  std::size_t shared = 0, own = 0;
  std::set<std::size_t> slots_taken;
  auto check_key = [&](const value& a, const value& b, std::size_t i, std::string_view want) {
    CHECK(key_of(a, i) == want);
    CHECK(key_of(b, i) == want);
    if (const char* text = shared_text(want)) {
      CHECK((want.size() >= 15 && want.size() <= 31));
      CHECK(key_of(a, i).data() == text);
      CHECK(key_of(b, i).data() == text);
      ++shared;
    } else {
      CHECK(key_of(a, i).data() != key_of(b, i).data());
      if (want.size() >= 15 && want.size() <= 31) CHECK(slot_taken(want));
      ++own;
    }
  };
  // Keys of every length from 14 to 32 bytes: one byte repeated, and the same with a single
  // byte changed, at every position.
  for (std::size_t len = 14; len <= 32; ++len) {
    std::vector<std::string> keys{std::string(len, 'k')};
    for (std::size_t at = 0; at < len; ++at) {
      std::string k(len, 'k');
      k[at] = static_cast<char>('A' + at % 26);
      keys.push_back(k);
    }
    std::string text = "{";
    for (std::size_t i = 0; i < keys.size(); ++i)
      text += (i ? ", \"" : "\"") + keys[i] + numbered("\": ", i);
    text += "}";
    CAPTURE(text);
    value a = pyjson::loads(text + pad), b = pyjson::loads(text + pad);
    REQUIRE(a.size() == keys.size());
    for (const std::string& k : keys)
      if (k.size() >= 15 && k.size() <= 31) slots_taken.insert(home_of(k));
    for (std::size_t i = 0; i < keys.size(); ++i) {
      check_key(a, b, i, keys[i]);
      CHECK(a[keys[i]] == value(static_cast<std::int64_t>(i)));
    }
    CHECK(pyjson::dumps(a) == text);
  }
  CHECK(shared + own == 19 + 14 + 391 + 32);
  // Alone in the process, every slot that one of these keys goes to holds the first of them.
  if (fresh) CHECK(shared == (PYJSON_SSE2 ? slots_taken.size() : 0));
  if (!PYJSON_SSE2) CHECK(shared == 0);
  // A shared key outlives the values that held it; a copy has a text of its own.
  const std::string doc = R"({"profile_text_color": 1, "a_fifteen_byte_": 2})";
  value copy;
  {
    value v = pyjson::loads(doc + pad), w = pyjson::loads(doc + pad);
    check_key(v, w, 0, "profile_text_color");
    check_key(v, w, 1, "a_fifteen_byte_");
    copy = v;
    CHECK(key_of(copy, 0).data() != key_of(v, 0).data());
  }
  for (int i = 0; i < 100; ++i) CHECK(pyjson::loads(doc).size() == 2);
  pyjson::release_cached_blocks();
  value again = pyjson::loads(doc + pad), again2 = pyjson::loads(doc + pad);
  check_key(again, again2, 0, "profile_text_color");
  CHECK(pyjson::dumps(copy) == doc);
  // Eight keys of one slot: at most one of them shared, each read back as written, in objects
  // of one shape too.
  for (std::size_t len : {15, 16, 24, 31}) {
    std::string base = "crowded-slot-key-0000000000000000";
    base.resize(len);
    std::vector<std::string> crowd{base};
    for (std::size_t i = 0; crowd.size() < 8; ++i) {
      std::string k = base, digits = std::to_string(i);
      k.replace(k.size() - digits.size(), digits.size(), digits);
      if (k != base && home_of(k) == home_of(base)) crowd.push_back(k);
    }
    std::string text = "[";
    for (int round = 0; round < 3; ++round) {
      text += "{";
      for (std::size_t i = 0; i < crowd.size(); ++i)
        text += (i ? ", \"" : "\"") + crowd[i] + numbered("\": ", i);
      text += "}, ";
    }
    text += "{}]";
    CAPTURE(text);
    value a = pyjson::loads(text + pad), b = pyjson::loads(text + pad);
    std::size_t shared_before = shared;
    for (std::size_t o = 0; o < 3; ++o)
      for (std::size_t i = 0; i < crowd.size(); ++i) {
        check_key(a[o], b[2 - o], i, crowd[i]);
        CHECK(a[o][crowd[i]] == value(static_cast<std::int64_t>(i)));
      }
    CHECK(shared - shared_before <= 3);
    CHECK(pyjson::dumps(a) == text);
  }
  // A key written with an escape is the same key as a shared one: in an object whose keys were
  // seen before without the repeat, the later one still replaces the first one's value.
  const std::string plain = R"({"profile_link_color": 1, "b": 2, "c": 3, "d": 4})";
  for (int round = 0; round < 3; ++round) {
    CHECK(pyjson::loads(plain).size() == 4);
    CHECK(pyjson::dumps(pyjson::loads(
              R"({"profile_link_color": 1, "b": 2, "c": 3, "profile_\u006cink_color": 4})")) ==
          R"({"profile_link_color": 4, "b": 2, "c": 3})");
    CHECK(pyjson::dumps(pyjson::loads(
              R"({"profile_\u006cink_color": 1, "b": 2, "c": 3, "profile_link_color": 4})")) ==
          R"({"profile_link_color": 4, "b": 2, "c": 3})");
  }
  // Threads loading objects with the same new keys at once, each freeing its values, one
  // thread's values freed in another: every key reads back as written.
  std::string many = "[";
  for (int o = 0; o < 20; ++o) {
    many += o ? ", {" : "{";
    for (int k = 0; k < 12; ++k)
      many += numbered(k ? ", \"thread-shared-key-" : "\"thread-shared-key-",
                       static_cast<std::size_t>(k)) +
              numbered("\": ", static_cast<std::size_t>(o));
    many += "}";
  }
  many += "]";
  std::atomic<int> wrong{0};
  std::vector<value> handed(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        value v = pyjson::loads(many);
        if (pyjson::dumps(v) != many) ++wrong;
        if (round == 49) handed[t] = std::move(v);
      }
    });
  for (auto& th : threads) th.join();
  CHECK(wrong == 0);
  for (value& v : handed) {
    CHECK(pyjson::dumps(v) == many);
    v = value();
  }
  CHECK(pyjson::dumps(pyjson::loads(many)) == many);
}
