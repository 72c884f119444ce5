// pyjson::value: the dynamic JSON value that loads() builds and dumps() writes, like Python's
// None/bool/int/float/str/list/dict.
// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <new>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "pyjson/detail/config.hpp"
#include "pyjson/error.hpp"

#if PYJSON_SSE2
#include <emmintrin.h>
#endif

namespace pyjson {

/// The JSON type of a value, named after Python's types in type_name().
enum class kind : std::uint8_t { null, boolean, integer, floating, string, array, object };

class value;
class member;

namespace detail {
struct value_access;

// Whether JSON spells key k with its own bytes: printable ASCII without '"' and '\\'. Typed
// reading compares the text with such names directly (see reader::read_members), and loads
// expects such keys from earlier objects (see key_predictor).
constexpr bool plain_key(std::string_view k) noexcept {
  for (char c : k)
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
  return true;
}
// Selects the constructors that take another value's two words as they are (value_access's
// relocation): the copy is the only store to the new value.
struct bitwise_t {};

// Storage tags. Integers have three: most are int64; uint64 only for values above INT64_MAX;
// bigger ones keep their exact decimal digits, as Python's int does.
enum class tag : std::uint8_t {
  null,
  boolean,
  int64,
  uint64,
  big_int,
  float64,
  short_string,
  long_string,
  array,
  object
};

// Heap blocks. Each is one allocation: a header followed by its elements, so a container or a
// long string costs one allocation whatever its size.
struct string_block {
  // The length, and in the top bit whether the text is known to be valid UTF-8 without
  // surrogates (strings the reader made): the writer then copies its non-ASCII bytes unchecked.
  std::size_t size_and_clean;
  static constexpr std::size_t clean_bit = std::size_t(1) << (sizeof(std::size_t) * 8 - 1);
  std::size_t size() const noexcept { return size_and_clean & ~clean_bit; }
  bool clean() const noexcept { return (size_and_clean & clean_bit) != 0; }
  char* data() noexcept { return reinterpret_cast<char*>(this + 1); }
};
// Containers: a header of three words, then the elements. Arrays and objects share the
// layout, so that destruction walks both alike (an object's members are 2n values): the first
// word is an object's hash index, and in both the link of the walk's list (see
// value::destroy_owned); an array has no other use for it and leaves it unset until then. The
// third word costs no memory in the block cache's size classes, whose 16 * c - 8 bytes left
// 8 bytes unused after a two-word header.
struct array_block {
  void* link;
  std::size_t size;
  std::size_t capacity;
};
// The hash index of a large object (see value::find): a header followed by 2^k slots, at
// least twice the object's capacity, each 0 (empty) or a member's position + 1; collisions go
// to the next slot.
struct object_index {
  std::size_t mask;  // slots - 1
  std::uint32_t* slots() noexcept { return reinterpret_cast<std::uint32_t*>(this + 1); }
};
struct object_block {
  object_index* index;  // nullptr until a lookup in a large object builds it
  std::size_t size;
  std::size_t capacity;
};

// A container being copied: its source and destination elements, and how far the copy is.
struct copy_frame {
  const value* src;
  value* dst;
  std::size_t count, next;
};

/// Bytes of emptied slabs (see block_heap) that each thread keeps for the next blocks it
/// allocates. Define it to 0 to turn slabs off, so that every block comes from operator new
/// and goes back to operator delete; sanitizer builds do, so that every block is checked.
#if defined(__SANITIZE_ADDRESS__)
#define PYJSON_DETAIL_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define PYJSON_DETAIL_SANITIZED 1
#endif
#endif
#ifndef PYJSON_BLOCK_CACHE_BYTES
#if defined(PYJSON_DETAIL_SANITIZED)
#define PYJSON_BLOCK_CACHE_BYTES 0
#else
#define PYJSON_BLOCK_CACHE_BYTES (8u << 20)
#endif
#endif

// Small blocks come in size classes. Classes 1 to 16 hold blocks of 16 * c - 8 bytes (up to
// 248), classes 17 to 28 four sizes per doubling, from 312 to 2040 bytes (a quarter wasted at
// most): twitter.json's objects of users and statuses are 800 to 1,500 bytes. These are the
// sizes for which glibc's malloc wastes nothing when slabs are off (its chunks are multiples
// of 16 with an 8-byte header). Class 0 stands for "large": blocks over 2040 bytes, which go
// to operator new and delete.
inline constexpr std::size_t block_classes = 28;
inline constexpr std::size_t block_class_bytes(std::size_t cls) noexcept {
  if (cls <= 16) return 16 * cls - 8;
  std::size_t k = cls - 17, e = 8 + k / 4;  // 2^e <= size + 8 < 2^(e+1)
  return (std::size_t(1) << e) + (k % 4 + 1) * (std::size_t(1) << (e - 2)) - 8;
}
inline std::size_t block_class(std::size_t bytes) noexcept {
  if (bytes <= 248) [[likely]]
    return (bytes + 8 + 15) / 16;
  if (bytes > block_class_bytes(block_classes)) return 0;
  std::size_t v = bytes + 7;  // size + 8 - 1, whose top bit is the doubling
  std::size_t e = 63 - static_cast<std::size_t>(std::countl_zero(v));
  return 17 + (e - 8) * 4 + ((v >> (e - 2)) & 3);
}

class block_heap;

// A slab: 16 KiB, aligned to its size, that one thread's heap (its owner) cuts into blocks of
// one size class. A block finds its slab by rounding its address down. The owner alone touches
// the plain fields; other threads touch only `owner` (to see that they are not it), `remote`
// and `orphan_live`.
struct block_slab {
  struct node {
    node* next;
  };
  static constexpr std::size_t bytes = 16384;
  // A block freed by another thread is pushed onto `remote` (lock-free); the owner takes the
  // list when it runs out of blocks. Once the owner is gone, `remote` holds `orphaned` and
  // `orphan_live` counts the blocks still in use: the thread that frees the last one frees the
  // slab.
  static constexpr std::uintptr_t orphaned = 1;

  std::atomic<block_heap*> owner;
  std::atomic<std::uintptr_t> remote;
  std::atomic<std::size_t> orphan_live;
  node* free;  // freed blocks, last in first out
  char* bump;  // the next block never handed out, up to `limit`
  char* limit;
  block_slab* prev;  // in the owner's list of full or of available slabs
  block_slab* next;
  // Bytes of the blocks in `free`. The blocks in use (those in `remote` included) are the rest
  // of those handed out so far, from first() to `bump`: a count kept by frees alone.
  std::size_t free_bytes;
  std::size_t cls;
  bool full;  // in the owner's list of full slabs

  char* first() noexcept { return reinterpret_cast<char*>(this) + header_bytes(); }
  bool unused() noexcept { return free_bytes == static_cast<std::size_t>(bump - first()); }
  std::size_t bytes_in_use() noexcept {
    return static_cast<std::size_t>(bump - first()) - free_bytes;
  }
  std::size_t blocks_in_use() noexcept { return bytes_in_use() / block_class_bytes(cls); }
  static constexpr std::size_t header_bytes() noexcept {
    return (sizeof(block_slab) + 15) & ~std::size_t(15);
  }
  static block_slab* of(void* block) noexcept {
    return reinterpret_cast<block_slab*>(reinterpret_cast<std::uintptr_t>(block) & ~(bytes - 1));
  }
  // Makes `memory` an empty slab of class cls, owned by `by`.
  static block_slab* make(void* memory, std::size_t cls, block_heap* by) noexcept {
    auto* s = ::new (memory) block_slab;
    s->owner.store(by, std::memory_order_relaxed);
    s->remote.store(0, std::memory_order_relaxed);
    s->orphan_live.store(0, std::memory_order_relaxed);
    s->cls = cls;
    s->reset();
    s->prev = s->next = nullptr;
    s->full = false;
    return s;
  }
  // Empty again (no block in use): blocks are handed out from the start, in address order.
  void reset() noexcept {
    const std::size_t size = block_class_bytes(cls);
    free = nullptr;
    bump = first();
    limit = first() + (bytes - header_bytes()) / size * size;
    free_bytes = 0;
  }
  static void* allocate() { return ::operator new (bytes, std::align_val_t{bytes}); }
  static void release(block_slab* s) noexcept {
    s->~block_slab();
    ::operator delete (static_cast<void*>(s), std::align_val_t{bytes});
  }
  // A block for a thread whose heap is gone (a value made in a later thread_local destructor):
  // a slab of its own, left at once to the block's free.
  [[gnu::noinline]] static void* allocate_alone(std::size_t cls, block_heap* orphan_owner) {
    block_slab* s = make(allocate(), cls, orphan_owner);
    s->orphan_live.store(1, std::memory_order_relaxed);
    s->remote.store(orphaned, std::memory_order_relaxed);
    return s->first();
  }
  // Frees a block of a slab whose owner is another thread, or gone.
  static void give_remote(block_slab* s, void* p) noexcept {
    auto* n = static_cast<node*>(p);
    // Acquire: once `orphaned` is seen, the owner's last writes to the slab are too, before
    // the slab may be freed here.
    std::uintptr_t head = s->remote.load(std::memory_order_acquire);
    for (;;) {
      if (head == orphaned) {
        if (s->orphan_live.fetch_sub(1, std::memory_order_acq_rel) == 1) release(s);
        return;
      }
      n->next = reinterpret_cast<node*>(head);
      if (s->remote.compare_exchange_weak(head, reinterpret_cast<std::uintptr_t>(n),
                                          std::memory_order_release, std::memory_order_acquire))
        return;
    }
  }
};

// One thread's slabs. Parsing allocates a block per container and per long string and frees
// them together. Blocks cut in turn from a few slabs per size class cost a few instructions
// each, and the blocks of one document lie together in memory, in the order the parse made
// them, whatever state the rest of the heap is in. (Taken one by one from malloc, in a heap
// full of small holes left by the rest of a program, they were spread over the holes: compact
// `dumps` of twitter.json, citm_catalog.json and canada.json ran 1.3x, 1.5x and 1.9-3.4x
// slower than in a fresh heap, `loads` 1.1x, 1.2x and 1.4-1.8x. With slabs, the figures are
// those of a fresh heap.)
//
// For each class the heap has a current slab, which blocks come from, a list of other slabs
// with free blocks, and a list of full ones. A slab whose blocks are all freed is emptied and
// kept for reuse, by any class, up to PYJSON_BLOCK_CACHE_BYTES, and otherwise freed; the next
// document gets its blocks from the start of such slabs, in order. A block freed by another
// thread goes back to its slab (see block_slab::give_remote); the owner finds it there when it
// takes blocks from that slab again, or, for full slabs, in a scan of them that runs after as
// many slabs were taken as there were full ones at the last scan (so that a thread whose
// documents another thread frees does not grow without end, and scans cost O(1) per slab).
// When the thread ends, its slabs with blocks still in use are left to those blocks' last
// free.
class block_heap {
 public:
  block_heap() {
    for (block_slab*& c : current_) c = &none_;
  }
  block_heap(const block_heap&) = delete;
  block_heap& operator=(const block_heap&) = delete;
  ~block_heap() {
    current() = gone();  // blocks freed later in this thread go back as other threads' do
    for (std::size_t i = 0; i < block_classes; ++i) {
      if (current_[i] != &none_) orphan(current_[i]);
      current_[i] = &none_;
      orphan_all(lists_[i].available);
      orphan_all(lists_[i].full);
      lists_[i] = class_lists{};
    }
    release();
  }

  [[gnu::always_inline]] void* take(std::size_t cls) {
    block_slab* s = current_[cls - 1];
    if (char* p = s->bump; p != s->limit) {
      s->bump = p + block_class_bytes(cls);
      return p;
    }
    if (block_slab::node* n = s->free) {
      s->free = n->next;
      s->free_bytes -= block_class_bytes(cls);
      return n;
    }
    return take_slow(cls);
  }
  // Frees a block of class cls of one of this heap's slabs.
  void give(block_slab* s, void* p, std::size_t cls) noexcept {
    auto* n = static_cast<block_slab::node*>(p);
    n->next = s->free;
    s->free = n;
    s->free_bytes += block_class_bytes(cls);
    if (s->unused()) {
      emptied(s);
    } else if (s->full) [[unlikely]] {
      // Its free blocks are found again at once: a thread that keeps some values of a document
      // and frees the rest reuses the holes.
      class_lists& l = lists_[cls - 1];
      unlink(l.full, s);
      s->full = false;
      --l.full_count;
      push(l.available, s);
    }
  }

  /// Frees the kept empty slabs, and current slabs with no block in use.
  void release() noexcept {
    for (block_slab*& s : current_) {
      if (s != &none_ && s->unused()) {
        block_slab::release(s);
        s = &none_;
      }
    }
    while (kept_) {
      block_slab* s = kept_;
      kept_ = s->next;
      block_slab::release(s);
    }
    kept_count_ = 0;
  }
  /// Bytes of the slabs this heap owns (including the kept ones), and of the kept ones.
  std::size_t slab_bytes() const noexcept {
    std::size_t n = kept_count_;
    for (const block_slab* s : current_) n += s != &none_;
    for (const auto& l : lists_) {
      for (block_slab* s = l.available; s; s = s->next) ++n;
      n += l.full_count;
    }
    return n * block_slab::bytes;
  }
  std::size_t kept_bytes() const noexcept { return kept_count_ * block_slab::bytes; }
  /// Bytes of the blocks in use (blocks freed by other threads and not yet taken back
  /// included).
  std::size_t bytes_in_use() const noexcept {
    std::size_t n = 0;
    for (block_slab* s : current_) {
      if (s != &none_) n += s->bytes_in_use();
    }
    for (const auto& l : lists_) {
      for (block_slab* s = l.available; s; s = s->next) n += s->bytes_in_use();
      for (block_slab* s = l.full; s; s = s->next) n += s->bytes_in_use();
    }
    return n;
  }

  // This thread's heap; null until its first block, gone() after thread exit. A plain
  // thread_local pointer (one load, no initialization check), which outlives the heap itself.
  static block_heap*& current() noexcept {
    static thread_local block_heap* heap = nullptr;
    return heap;
  }
  // Two addresses that stand for no heap: gone() is current() after thread exit, orphan_owner()
  // the owner of a slab whose owner is gone. Neither is ever the other, or a heap.
  static block_heap* gone() noexcept { return reinterpret_cast<block_heap*>(&tags_[0]); }
  static block_heap* orphan_owner() noexcept { return reinterpret_cast<block_heap*>(&tags_[1]); }
  // This thread's heap, made on first use; null when slabs are off or the heap is gone.
  static block_heap* active() noexcept {
    if (PYJSON_BLOCK_CACHE_BYTES == 0) return nullptr;
    block_heap* heap = current();
    if (heap != nullptr && heap != gone()) [[likely]]
      return heap;
    return heap ? nullptr : start();
  }
  // A block for a thread that has no heap yet, or whose heap is gone.
  [[gnu::noinline]] static void* take_without_heap(std::size_t cls) {
    if (block_heap* heap = active()) return heap->take(cls);
    return block_slab::allocate_alone(cls, orphan_owner());
  }

 private:
  struct class_lists {
    block_slab* available = nullptr;  // not current, not full, not empty
    block_slab* full = nullptr;
    std::size_t full_count = 0;
    std::size_t until_scan = 1;  // current slabs to take before the next scan of the full ones
  };

  static void push(block_slab*& head, block_slab* s) noexcept {
    s->prev = nullptr;
    s->next = head;
    if (head) head->prev = s;
    head = s;
  }
  static void unlink(block_slab*& head, block_slab* s) noexcept {
    if (s->prev)
      s->prev->next = s->next;
    else
      head = s->next;
    if (s->next) s->next->prev = s->prev;
  }
  // Moves the blocks other threads freed into s's own list; whether there were any.
  static bool collect(block_slab* s) noexcept {
    if (s->remote.load(std::memory_order_relaxed) == 0) return false;
    auto* n = reinterpret_cast<block_slab::node*>(s->remote.exchange(0, std::memory_order_acquire));
    while (n) {
      block_slab::node* next = n->next;
      n->next = s->free;
      s->free = n;
      s->free_bytes += block_class_bytes(s->cls);
      n = next;
    }
    return true;
  }

  [[gnu::noinline]] void* take_slow(std::size_t cls) {
    class_lists& l = lists_[cls - 1];
    block_slab* s = current_[cls - 1];
    if (s != &none_) {
      if (collect(s)) return take(cls);  // the slab is not empty: a block of it is being made
      s->full = true;
      push(l.full, s);
      ++l.full_count;
      current_[cls - 1] = &none_;  // in case no slab can be had below (bad_alloc)
    }
    if (--l.until_scan == 0) {
      for (block_slab* f = l.full; f;) {
        block_slab* next = f->next;
        if (collect(f) || f->free) {
          unlink(l.full, f);
          f->full = false;
          --l.full_count;
          if (f->unused()) {
            keep_or_release(f);
          } else {
            push(l.available, f);
          }
        }
        f = next;
      }
      l.until_scan = l.full_count + 1;  // a scan costs as many steps as it will be apart
    }
    if (l.available) {
      s = l.available;
      unlink(l.available, s);
    } else if (kept_) {
      s = kept_;
      kept_ = s->next;
      --kept_count_;
      s = block_slab::make(s, cls, this);
    } else {
      s = block_slab::make(block_slab::allocate(), cls, this);
    }
    current_[cls - 1] = s;
    return take(cls);
  }

  // s has no block in use.
  void emptied(block_slab* s) noexcept {
    class_lists& l = lists_[s->cls - 1];
    if (s == current_[s->cls - 1]) {
      s->reset();
      return;
    }
    if (s->full) {
      unlink(l.full, s);
      --l.full_count;
    } else {
      unlink(l.available, s);
    }
    keep_or_release(s);
  }
  void keep_or_release(block_slab* s) noexcept {
    if ((kept_count_ + 1) * block_slab::bytes > PYJSON_BLOCK_CACHE_BYTES) {
      block_slab::release(s);
      return;
    }
    s->next = kept_;
    kept_ = s;
    ++kept_count_;
  }

  // Leaves s to the last free of its blocks, or frees it now if none is in use.
  static void orphan(block_slab* s) noexcept {
    s->owner.store(orphan_owner(), std::memory_order_relaxed);
    // The count is set before `orphaned` is, since a free that sees `orphaned` lowers it; it
    // includes the blocks in `remote`, which the exchange then takes.
    const std::size_t live = s->blocks_in_use();
    s->orphan_live.store(live, std::memory_order_release);
    auto* n = reinterpret_cast<block_slab::node*>(
        s->remote.exchange(block_slab::orphaned, std::memory_order_acq_rel));
    std::size_t back = 0;
    for (; n; n = n->next) ++back;
    if (live == back || s->orphan_live.fetch_sub(back, std::memory_order_acq_rel) == back)
      block_slab::release(s);
  }
  static void orphan_all(block_slab* head) noexcept {
    while (head) {
      block_slab* next = head->next;
      orphan(head);
      head = next;
    }
  }

  [[gnu::noinline]] static block_heap* start() noexcept {
    static thread_local block_heap heap;
    current() = &heap;
    return &heap;
  }

  // Aligned at least as a heap is, so that their addresses are valid heap pointers.
  struct alignas(alignof(std::max_align_t)) tag {
    char unused;
  };
  static inline tag tags_[2] = {};
  // A slab that is never handed out: a class's current slab until its first block.
  static inline block_slab none_{};
  block_slab* current_[block_classes];  // where blocks come from: see take()
  class_lists lists_[block_classes];
  block_slab* kept_ = nullptr;  // empty slabs, linked through `next`
  std::size_t kept_count_ = 0;
};

// Every value block is allocated and freed through these two, with its size in bytes.
inline void* allocate_block(std::size_t bytes) {
  std::size_t cls = block_class(bytes);
  if (cls == 0) return ::operator new(bytes);
  if constexpr (PYJSON_BLOCK_CACHE_BYTES == 0) {
    return ::operator new(block_class_bytes(cls));
  } else {
    block_heap* heap = block_heap::current();
    if (heap != nullptr && heap != block_heap::gone()) [[likely]]
      return heap->take(cls);
    return block_heap::take_without_heap(cls);
  }
}
// Frees a block of class cls (0: a large block), for a thread whose heap is `heap` (see
// block_heap::current(); a thread without a heap, or whose heap is gone, owns no slab).
PYJSON_CLANG_INLINE inline void free_block_of_class(void* p, std::size_t cls,
                                                    block_heap* heap) noexcept {
  if (PYJSON_BLOCK_CACHE_BYTES == 0 || cls == 0) {
    ::operator delete(p);
    return;
  }
  block_slab* s = block_slab::of(p);
  if (s->owner.load(std::memory_order_relaxed) == heap) {
    heap->give(s, p, cls);
  } else {
    block_slab::give_remote(s, p);
  }
}
inline void free_block(void* p, std::size_t bytes) noexcept {
  free_block_of_class(p, block_class(bytes), block_heap::current());
}
inline std::size_t string_block_bytes(std::size_t length) noexcept {
  return sizeof(string_block) + length + 1;
}
inline std::size_t array_block_bytes(std::size_t capacity) noexcept {
  return sizeof(array_block) + capacity * 16;  // 16 == sizeof(value), checked below
}
inline std::size_t object_block_bytes(std::size_t capacity) noexcept {
  return sizeof(object_block) + capacity * 32;  // 32 == sizeof(member), checked below
}

// Every empty array and every empty object of capacity 0 (most empty containers a parse makes:
// 8,695 of citm_catalog.json's 10,451 arrays, 746 of twitter.json's 1,050) shares one of these
// two blocks instead of owning a block of its own, so that it costs no allocation to make and
// none to free. They are never written: every write to a block is to an element (there are
// none), or follows a growth to a block of its own, or is skipped for them (clear(),
// destruction). Their capacity is 0, and no other block has capacity 0.
inline constinit array_block empty_array_block{nullptr, 0, 0};
inline constinit object_block empty_object_block{nullptr, 0, 0};
inline bool is_shared_empty(const array_block* b) noexcept { return b == &empty_array_block; }
inline bool is_shared_empty(const object_block* b) noexcept { return b == &empty_object_block; }

inline object_block* new_object_block(std::size_t capacity) {
  if (capacity == 0) return &empty_object_block;
  auto* b = static_cast<object_block*>(allocate_block(object_block_bytes(capacity)));
  b->index = nullptr;
  b->size = 0;
  b->capacity = capacity;
  return b;
}

inline string_block* new_string_block(std::string_view s, bool clean = false) {
  auto* b = static_cast<string_block*>(allocate_block(string_block_bytes(s.size())));
  b->size_and_clean = s.size() | (clean ? string_block::clean_bit : 0);
  if (!s.empty()) std::memcpy(b->data(), s.data(), s.size());
  b->data()[s.size()] = '\0';
  return b;
}

// A value's byte 8 for a shared key (see shared_key_table) in place of its block's size class; no
// class is this large.
inline constexpr unsigned char shared_key_class = 0xFF;
#if PYJSON_SSE2
// Keys of 15 to 31 plain ASCII bytes, each kept once for the whole process, which objects that
// loads builds point to instead of a block of their own (as Python's json module, whose
// decoder makes one string object of each key and reuses it). twitter.json has 4,253 such keys,
// a third of its keys, of 30 different texts ("profile_background_color"); each took a block
// to allocate, fill and free. A value holding a shared key marks it in byte 8, in place
// of its block's size class, and destroying it frees nothing.
//
// The table: 1,024 slots, each empty or holding one key for good. A key goes to one slot,
// chosen from its first 16 bytes, its last 8 and its length; the first key there keeps it, and
// other keys of that slot are stored in blocks of their own as before. So at most 1,024 keys
// of at most 48 bytes each are ever kept, whatever the input. A slot is filled with a
// compare-and-swap, and a kept key is never written again, so any thread may read it. Keys
// that fill the table and never come back (a large object keyed by dates, say) cost later keys
// their sharing only: a key that finds another in its slot is stored as before, after one
// 16-byte comparison (twitter.json, with all its keys' slots taken, took 2.1% more
// instructions per parse than without shared keys).
inline constinit std::atomic<string_block*> shared_key_table[1024]{};

// The slot of a key of n bytes whose first 16 bytes are `a0` and `a1` and whose last 8 are `b`
// (as loaded, little-endian): all of a key of up to 24 bytes, and where longer keys of one
// length most often differ (their words, numbered keys).
inline std::size_t shared_key_slot(std::uint64_t a0, std::uint64_t a1, std::uint64_t b,
                                   std::size_t n) noexcept {
  return static_cast<std::size_t>(
      ((a0 ^ std::rotl(a1, 19) ^ std::rotl(b, 41) ^ n) * 0x9E3779B97F4A7C15ull) >> 54);
}

// Whether block k holds the n bytes (15 <= n <= 31) whose first 16 are in `first` and whose
// last 16 are in `last`: its first 16 (15 for n = 15, whose 16th is the block's terminating
// NUL) and, from 17 bytes on, its last 16.
inline bool holds_key(const string_block* k, __m128i first, __m128i last, std::size_t n) noexcept {
  if (k->size() != n) return false;
  const char* d = reinterpret_cast<const char*>(k + 1);
  unsigned same = static_cast<unsigned>(_mm_movemask_epi8(
      _mm_cmpeq_epi8(first, _mm_loadu_si128(reinterpret_cast<const __m128i*>(d)))));
  if (n > 16)
    same &= static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(last, _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + n - 16)))));
  unsigned want = n == 15 ? 0x7FFFu : 0xFFFFu;
  return (same & want) == want;
}

// The slot of the key of n bytes (15 <= n <= 31, plain ASCII) whose first 16 are in `first`
// and whose last 16 are in `last` (they overlap; for n = 15, `first` holds the closing quote as
// its last byte).
[[gnu::always_inline]] inline std::atomic<string_block*>& shared_key_slot_of(
    __m128i first, __m128i last, std::size_t n) noexcept {
  // For n = 15, the second word holds the closing quote, as it does in every such key.
  return shared_key_table[shared_key_slot(
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(first)),
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(first, first))),
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(last, last))), n)];
}

// Keeps a key in its empty slot (see shared_key_table) and returns it; or, when another thread
// was first, returns that thread's key if it is this one, else null.
[[gnu::noinline]] inline string_block* shared_key_keep(std::atomic<string_block*>& slot,
                                                       __m128i first, __m128i last,
                                                       std::size_t n) noexcept {
  // Room for 32 bytes of text, so that the loads in holds_key stay inside the block.
  auto* fresh = static_cast<string_block*>(::operator new(sizeof(string_block) + 32, std::nothrow));
  if (fresh == nullptr) return nullptr;
  char* d = fresh->data();
  std::memset(d, 0, 32);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(d), first);
  if (n > 16) _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16), last);
  d[n] = '\0';
  fresh->size_and_clean = n | string_block::clean_bit;
  string_block* k = nullptr;
  if (slot.compare_exchange_strong(k, fresh, std::memory_order_acq_rel, std::memory_order_acquire))
    return fresh;
  ::operator delete(fresh);  // k is the other thread's key
  return holds_key(k, first, last, n) ? k : nullptr;
}

#endif

// Keys are hashed with a random seed drawn once per process, so that they cannot be chosen to
// collide (loads' check for repeated keys, object indexes).
inline std::uint64_t hash_seed() {
  static const std::uint64_t seed = [] {
    std::random_device rd;
    return (std::uint64_t(rd()) << 32) ^ rd() ^ 0x9E3779B97F4A7C15ull;
  }();
  return seed;
}
inline std::uint64_t hash_mix(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}
// The seeded hash of a string: eight bytes at a time, then the rest with the length.
inline std::uint64_t string_hash(std::string_view s) noexcept {
  std::uint64_t h = hash_seed();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = hash_mix(h ^ w);
  }
  std::uint64_t tail = s.size();
  for (; i < s.size(); ++i) tail = (tail << 8) | static_cast<unsigned char>(s[i]);
  return hash_mix(h ^ tail);
}

/// Bytes of output buffer that each thread keeps from one dumps to the next. Writing into a
/// fresh string for every dumps zero-fills it and copies it at each doubling, and memory that
/// the system hands out anew costs a page fault per 4 KiB page; a kept buffer costs one copy of
/// the finished text into the string. The same buffer holds the parse stack of loads and the
/// elements of typed vectors of numbers while they are read (see read_buffered_vector).
/// Define it to 0 to keep no buffer; sanitizer builds do, so that every buffer is checked
/// (scripts/sanitize.sh runs the value tests with it on as well).
#ifndef PYJSON_WRITE_BUFFER_BYTES
#if defined(PYJSON_DETAIL_SANITIZED)
#define PYJSON_WRITE_BUFFER_BYTES 0
#else
#define PYJSON_WRITE_BUFFER_BYTES (8u << 20)
#endif
#endif

[[noreturn]] inline void throw_bad_alloc() {
#if PYJSON_HAS_EXCEPTIONS
  throw std::bad_alloc();
#else
  std::abort();  // what operator new does without exceptions
#endif
}

// The buffer a thread's writers write into before the text goes to its string (see
// PYJSON_WRITE_BUFFER_BYTES), and its parses and typed vector reads keep their elements in.
// One user at a time has it; another, nested (a dumps in a traits<T>::write, a parse in a
// traits<T>::read of a vector's element), gets memory of its own.
class write_buffer {
 public:
  write_buffer() = default;
  write_buffer(const write_buffer&) = delete;
  write_buffer& operator=(const write_buffer&) = delete;
  ~write_buffer() {
    closed() = true;  // writers in later thread_local destructors use buffers of their own
    release();
  }

  /// This thread's buffer, or null when it is in use (a dumps called while writing, from a
  /// traits<T>::write) or gone (thread exit).
  static write_buffer* take() noexcept {
    if (PYJSON_WRITE_BUFFER_BYTES == 0 || closed()) return nullptr;
    static thread_local write_buffer buffer;
    if (buffer.busy_) return nullptr;
    buffer.busy_ = true;
    return &buffer;
  }
  /// Ends a take(); a buffer grown beyond the limit is freed.
  void give_back() noexcept {
    if (capacity_ > PYJSON_WRITE_BUFFER_BYTES) release();
    busy_ = false;
  }
  void release() noexcept {
    std::free(data_);
    data_ = nullptr;
    capacity_ = 0;
  }
  /// At least `bytes` of room, the contents kept (realloc: moved bitwise) or not.
  void reserve(std::size_t bytes, bool keep) {
    if (capacity_ >= bytes) return;
    if (!keep) release();
    void* bigger = std::realloc(data_, bytes);
    if (!bigger) throw_bad_alloc();
    data_ = static_cast<char*>(bigger);
    capacity_ = bytes;
  }
  static bool& closed() noexcept {
    static thread_local bool gone = false;
    return gone;
  }

  char* data_ = nullptr;
  std::size_t capacity_ = 0;

 private:
  bool busy_ = false;
};

}  // namespace detail

/// Frees the empty slabs, the output buffer and the key shapes this thread keeps for reuse (see
/// PYJSON_BLOCK_CACHE_BYTES and PYJSON_WRITE_BUFFER_BYTES), for example after a large document
/// in a thread that lives on. Values are not affected: slabs that hold blocks in use stay. The
/// keys that loads shares among all threads' values (at most 1,024 keys of 15 to 31 bytes, about
/// 56 KiB in all) stay too.
inline void release_cached_blocks() noexcept;

/// A JSON value: null, bool, integer (int64, uint64 or exact big integer), float (double),
/// string (UTF-8), array, or object (keys in insertion order, as Python's dict).
///
///     pyjson::value v = pyjson::loads(R"({"name": "Felix", "scores": [1, 2.5]})");
///     v["scores"].push_back(3);             // v["scores"].append(3)
///     std::string name = v["name"].get<std::string>();
///
/// It is a regular type: copies are deep, moves are cheap, == compares as Python's == does.
class value {
 public:
  /// null, as Python's None.
  value() noexcept { set_tag(detail::tag::null); }
  /// null.
  value(std::nullptr_t) noexcept : value() {}
  /// true or false.
  value(bool b) noexcept {
    set_tag(detail::tag::boolean);
    raw_[0] = b ? 1 : 0;
  }
  /// Any integer type (char types included) becomes an integer.
  template <std::integral T>
  requires(!std::same_as<T, bool>) value(T n)
  noexcept {
    if constexpr (std::is_signed_v<T>) {
      store(static_cast<std::int64_t>(n), detail::tag::int64);
    } else if (static_cast<std::uint64_t>(n) <=
               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      store(static_cast<std::int64_t>(n), detail::tag::int64);
    } else {
      store(static_cast<std::uint64_t>(n), detail::tag::uint64);
    }
  }
  /// Any floating-point type becomes a float (a double).
  template <std::floating_point T>
  value(T d) noexcept {
    store(static_cast<double>(d), detail::tag::float64);
  }
  /// A string (UTF-8; checked when written).
  value(const char* s) : value(std::string_view(s)) {}
  /// A string (UTF-8; checked when written).
  value(const std::string& s) : value(std::string_view(s)) {}
  /// A string (UTF-8; checked when written).
  value(std::string_view s) { set_string(s); }

  /// An array, or an object when every element is a two-element array whose first element is
  /// a string: `{{"name", "Ada"}, {"age", 36}}` is {"name": "Ada", "age": 36}. Use
  /// pyjson::array(...) or pyjson::object(...) to say which one explicitly.
  value(std::initializer_list<value> init);

  /// A deep copy (without recursion, however deep).
  value(const value& other);
  /// Takes other's contents; other becomes null.
  value(value&& other) noexcept {
    std::memcpy(raw_, other.raw_, sizeof raw_);
    other.set_tag(detail::tag::null);
  }
  /// A deep copy; the old contents are freed.
  value& operator=(const value& other) {
    if (this != &other) {
      value copy(other);
      swap(copy);
    }
    return *this;
  }
  /// Takes other's contents (other becomes null); the old contents are freed.
  value& operator=(value&& other) noexcept {
    if (this != &other) {
      destroy();
      std::memcpy(raw_, other.raw_, sizeof raw_);
      other.set_tag(detail::tag::null);
    }
    return *this;
  }
  /// Frees everything, without recursion however deep.
  ~value() { destroy(); }

  /// Exchanges the contents of two values (no allocation).
  void swap(value& other) noexcept {
    unsigned char tmp[sizeof raw_];
    std::memcpy(tmp, raw_, sizeof raw_);
    std::memcpy(raw_, other.raw_, sizeof raw_);
    std::memcpy(other.raw_, tmp, sizeof raw_);
  }
  /// a.swap(b).
  friend void swap(value& a, value& b) noexcept { a.swap(b); }

  /// An integer from its decimal text, of any size:
  /// `value::from_int_text("123456789012345678901")`. Throws value_error when the text is not an
  /// integer literal.
  static value from_int_text(std::string_view text);

  // --- type queries ----------------------------------------------------------------------

  /// The JSON kind: null, boolean, integer, floating, string, array or object.
  pyjson::kind kind() const noexcept;
  /// Python's `v is None`.
  bool is_null() const noexcept { return tag() == detail::tag::null; }
  /// true or false.
  bool is_bool() const noexcept { return tag() == detail::tag::boolean; }
  /// Any integer, including those beyond 64 bits.
  bool is_int() const noexcept {
    return tag() == detail::tag::int64 || tag() == detail::tag::uint64 ||
           tag() == detail::tag::big_int;
  }
  /// An integer that does not fit in int64_t or uint64_t (kept as exact digits).
  bool is_big_int() const noexcept { return tag() == detail::tag::big_int; }
  /// A float (double).
  bool is_float() const noexcept { return tag() == detail::tag::float64; }
  /// An integer or a float.
  bool is_number() const noexcept { return is_int() || is_float(); }
  /// A string.
  bool is_string() const noexcept {
    return tag() == detail::tag::short_string || tag() == detail::tag::long_string;
  }
  /// An array (Python's list).
  bool is_array() const noexcept { return tag() == detail::tag::array; }
  /// An object (Python's dict).
  bool is_object() const noexcept { return tag() == detail::tag::object; }
  /// "null", "bool", "int", "float", "string", "array" or "object".
  const char* type_name() const noexcept;

  // --- conversion to C++ -----------------------------------------------------------------

  /// Checked conversion, as Python's int(x)/float(x)/str(x) would not silently change data:
  /// bool needs a bool; integer types need an integer in range; float/double accept any number
  /// that the type can hold; std::string and std::string_view (a view into this value) need a
  /// string. Any other type mapped by traits<T> (containers, structs, ...) is read as
  /// loads<T> would read this value's text. A mismatch is a type_error that says what was found.
  template <class T>
  T get() const;
  /// Same as get<T>().
  template <class T>
  T as() const {
    return get<T>();
  }
  /// The digits of an integer (any size), e.g. "-12" or "123456789012345678901234567890".
  std::string int_text() const;

  // --- arrays and objects ----------------------------------------------------------------

  /// Number of elements of an array or members of an object (Python's len); type_error else.
  std::size_t size() const;
  /// size() == 0 (an empty array or object); type_error for anything else.
  bool empty() const { return size() == 0; }

  /// The elements of an array; type_error for anything else.
  std::span<value> as_array();
  /// The same, read-only.
  std::span<const value> as_array() const;
  /// Iteration over an array's elements: `for (value& e : v)`; type_error for anything else.
  value* begin() { return as_array().data(); }
  /// See begin().
  value* end() { return begin() + size(); }
  /// See begin().
  const value* begin() const { return as_array().data(); }
  /// See begin().
  const value* end() const { return begin() + size(); }

  /// The members of an object in insertion order (Python's dict.items()):
  ///     for (auto& [key, val] : v.items()) ...
  std::span<member> items();
  /// The same, read-only.
  std::span<const member> items() const;

  /// Python's d[key] = ... semantics: a null value becomes an empty object, a missing key is
  /// appended with a null value.
  value& operator[](std::string_view key);
  /// The member named key; key_error when it is missing.
  const value& operator[](std::string_view key) const { return at(key); }
  /// The member named key; key_error when it is missing, type_error when this is no object.
  value& at(std::string_view key);
  /// See at(key).
  const value& at(std::string_view key) const;
  /// Element i of an array; index_error when out of range.
  value& operator[](std::size_t i) { return at(i); }
  /// See operator[](i).
  const value& operator[](std::size_t i) const { return at(i); }
  /// Element i; index_error when out of range, type_error when this is no array.
  value& at(std::size_t i);
  /// See at(i).
  const value& at(std::size_t i) const;

  /// The member named key, or nullptr (also when this is not an object).
  value* find(std::string_view key) noexcept;
  /// See find(key).
  const value* find(std::string_view key) const noexcept;
  /// Python's `key in d`: false also when this is not an object.
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  /// Python's list.append: a null value becomes an empty array first.
  void push_back(value v);
  /// push_back(value(args...)), returning the new element.
  template <class... Args>
  value& emplace_back(Args&&... args) {
    push_back(value(std::forward<Args>(args)...));
    return as_array().back();
  }
  /// Removes the member named key, keeping the order of the others; returns how many were
  /// removed (0 or 1).
  std::size_t erase(std::string_view key);
  /// Empties an array or an object.
  void clear();

  /// Python's ==: numbers compare by value (1 == 1.0), objects regardless of member order,
  /// NaN is unequal to everything.
  friend bool operator==(const value& a, const value& b);

 private:
  friend struct detail::value_access;
  friend class member;

  // The two words of src, for relocation (see value_access::relocate). Constructed as null
  // and then copied over, each value took a store of its tag that the compiler left in: two of
  // the ten instructions per member when the builder moves an object's members into their
  // block; 0.4-0.6% of the instructions of a parse of twitter.json, citm_catalog.json or
  // canada.json.
  value(detail::bitwise_t, const value& src) noexcept { std::memcpy(raw_, src.raw_, sizeof raw_); }

  detail::tag tag() const noexcept { return static_cast<detail::tag>(raw_[15]); }
  void set_tag(detail::tag t) noexcept { raw_[15] = static_cast<unsigned char>(t); }
  template <class T>
  void store(T x, detail::tag t) noexcept {
    static_assert(sizeof(T) <= 8);
    std::memcpy(raw_, &x, sizeof x);
    set_tag(t);
  }
  template <class T>
  T load() const noexcept {
    T x;
    std::memcpy(&x, raw_, sizeof x);
    return x;
  }
  detail::string_block* str_block() const noexcept { return load<detail::string_block*>(); }
  // A long string or big integer: the block, and its size class in byte 8, so that freeing it
  // needs no look at the block's header (see destroy_owned).
  void store_string_block(detail::string_block* b, std::size_t length, detail::tag t) noexcept {
    store(b, t);
    raw_[8] = static_cast<unsigned char>(detail::block_class(detail::string_block_bytes(length)));
  }
  std::size_t string_block_class() const noexcept { return raw_[8]; }
  detail::array_block* arr_block() const noexcept { return load<detail::array_block*>(); }
  detail::object_block* obj_block() const noexcept { return load<detail::object_block*>(); }

  // Strings of up to 14 bytes live inside the value: bytes 0..13, length in byte 14.
  static constexpr std::size_t short_capacity = 14;
  void set_string(std::string_view s, bool clean = false) {
    if (s.size() <= short_capacity) {
      // Unused bytes are zero, so two short strings are equal exactly when their 16 bytes are
      // (the reader compares object keys that way).
      std::memset(raw_, 0, sizeof raw_);
      if (!s.empty()) std::memcpy(raw_, s.data(), s.size());
      raw_[14] = static_cast<unsigned char>(s.size());
      set_tag(detail::tag::short_string);
    } else {
      store_string_block(detail::new_string_block(s, clean), s.size(), detail::tag::long_string);
    }
  }
  std::string_view string_view_unchecked() const noexcept {
    if (tag() == detail::tag::short_string) return {reinterpret_cast<const char*>(raw_), raw_[14]};
    auto* b = str_block();
    return {b->data(), b->size()};
  }

  value* array_data() const noexcept;
  member* object_data() const noexcept;
  void reserve_array(std::size_t n);
  void reserve_object(std::size_t n);
  [[noreturn]] void throw_not(const char* expected) const;
  // Frees what the value owns and leaves it null. Scalars and short strings own nothing: that
  // test is inline, so destroying or assigning over them costs no call.
  void destroy() noexcept {
    if (owns_memory()) destroy_owned();
    set_tag(detail::tag::null);
  }
  bool owns_memory() const noexcept {
    constexpr unsigned owners =
        1u << unsigned(detail::tag::big_int) | 1u << unsigned(detail::tag::long_string) |
        1u << unsigned(detail::tag::array) | 1u << unsigned(detail::tag::object);
    return (owners >> unsigned(tag()) & 1u) != 0;
  }
  void destroy_owned() noexcept;
  // Objects: the position of key among the members, or npos. An object of index_threshold
  // members or more is searched through its hash index, which its first lookup builds, const or
  // not: lookups in a large object, and building one key by key with operator[], are then O(1)
  // each instead of O(members). Insertion keeps the index; erase, clear and growth drop it.
  static constexpr std::size_t npos = ~std::size_t(0);
  static constexpr std::size_t index_threshold = 16;
  std::size_t position_of(std::string_view key) const noexcept;
  detail::object_index* shared_index() const noexcept;
  static void index_add(detail::object_index* index, std::string_view key, std::size_t i) noexcept;
  void drop_index() noexcept;
  void copy_node(const value& other, std::vector<detail::copy_frame>& pending);

  alignas(8) unsigned char raw_[16];
};

static_assert(sizeof(value) == 16, "pyjson::value is meant to be two machine words");

/// One member of an object: key() and value(), or structured bindings `auto& [k, v]`.
class member {
 public:
  /// The member key: v.
  member(std::string_view key, pyjson::value v) : key_(key), value_(std::move(v)) {}
  member(const member&) = default;
  member(member&&) noexcept = default;
  /// A member in an object keeps its key: assigning another member over it could repeat a key
  /// of the object or lose it from the object's index. Change value(), or erase and insert.
  member& operator=(const member&) = delete;
  member& operator=(member&&) = delete;
  /// The key (a view into this member).
  std::string_view key() const noexcept { return key_.string_view_unchecked(); }
  /// The value.
  pyjson::value& value() noexcept { return value_; }
  /// The value, read-only.
  const pyjson::value& value() const noexcept { return value_; }

  /// For structured bindings: get<0>() is the key, get<1>() the value.
  template <std::size_t I>
  decltype(auto) get() noexcept {
    if constexpr (I == 0)
      return key();
    else
      return (value_);
  }
  /// See get().
  template <std::size_t I>
  decltype(auto) get() const noexcept {
    if constexpr (I == 0)
      return key();
    else
      return (value_);
  }

 private:
  friend class pyjson::value;
  friend struct detail::value_access;
  member() = default;
  // The key and value at kv[0] and kv[1], relocated (see value_access::adopt_object).
  member(detail::bitwise_t t, const pyjson::value* kv) noexcept
      : key_(t, kv[0]), value_(t, kv[1]) {}
  pyjson::value key_;  // always a string
  pyjson::value value_;
};

/// An array from its elements: pyjson::array({1, "two", 3.0}) is [1, "two", 3.0].
value array(std::initializer_list<value> elements = {});
/// An object from key/value pairs: pyjson::object({{"a", 1}}) is {"a": 1}.
value object(std::initializer_list<std::pair<std::string_view, value>> members = {});

namespace detail {

inline value* array_items(array_block* b) noexcept {
  return std::launder(reinterpret_cast<value*>(b + 1));
}
inline member* object_items(object_block* b) noexcept {
  return std::launder(reinterpret_cast<member*>(b + 1));
}

// The builder's and writer's view of value internals.
struct value_access {
  static detail::tag tag_of(const value& v) noexcept { return v.tag(); }
  static std::string_view str(const value& v) noexcept { return v.string_view_unchecked(); }
  static std::int64_t i64(const value& v) noexcept { return v.load<std::int64_t>(); }
  static std::uint64_t u64(const value& v) noexcept { return v.load<std::uint64_t>(); }
  static double f64(const value& v) noexcept { return v.load<double>(); }
  static bool boolean(const value& v) noexcept { return v.raw_[0] != 0; }
  // The 16 bytes of a value: a short string's bytes are its first 14, its length the 15th.
  static const unsigned char* raw(const value& v) noexcept { return v.raw_; }
  // Makes v the value of these 16 bytes, which own nothing (a short string or a shared key).
  static void set_raw(value& v, const unsigned char* raw) noexcept { std::memcpy(v.raw_, raw, 16); }
  static const value& key_of(const member& m) noexcept { return m.key_; }

  static void make_big_int(value& v, std::string_view digits) {
    v.destroy();
    v.store_string_block(new_string_block(digits), digits.size(), tag::big_int);
  }
  static value big_int(std::string_view digits) {
    value v;
    make_big_int(v, digits);
    return v;
  }
  // Moves the bytes of src into uninitialized storage at dst; src is left as dead storage that
  // must not be destroyed. Values own no self-pointers, so this is a plain copy of two words.
  static void relocate(value* dst, const value* src, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i)
      ::new (static_cast<void*>(dst + i)) value(bitwise_t{}, src[i]);
  }
  // An array that takes over n values, relocated from src. v owns nothing before (a null, or
  // the memory of src[0], whose value has been relocated by then): it is overwritten.
  static void adopt_array(value& v, const value* src, std::size_t n) {
    if (n == 0) {
      v.store(&empty_array_block, tag::array);
      return;
    }
    auto* b = static_cast<array_block*>(allocate_block(array_block_bytes(n)));
    b->size = n;
    b->capacity = n;
    relocate(array_items(b), src, n);
    v.store(b, tag::array);
  }
  // An object that takes over n key/value pairs stored as 2n consecutive values (key, value,
  // key, value, ...), relocated from src. Keys are unique. v: as for adopt_array.
  static void adopt_object(value& v, const value* src, std::size_t n) {
    static_assert(sizeof(member) == 2 * sizeof(value));
    object_block* b = new_object_block(n);
    if (n == 0) {
      v.store(b, tag::object);
      return;
    }
    b->size = n;
    auto* m = object_items(b);
    for (std::size_t i = 0; i < n; ++i)
      ::new (static_cast<void*>(m + i)) member(bitwise_t{}, src + 2 * i);
    v.store(b, tag::object);
  }
  // `clean`: the text is known to be valid UTF-8 without surrogates (see string_block); only
  // long strings keep that.
  static void set_string(value& v, std::string_view s, bool clean = false) {
    v.set_string(s, clean);
  }
  // Whether v is a long string known to be valid UTF-8 without surrogates.
  static bool clean_long_string(const value& v) noexcept {
    return v.tag() == tag::long_string && v.str_block()->clean();
  }
  // set_string for a string of at most 14 bytes at p, with 16 bytes readable at p (the reader's
  // strings in the middle of the text): one 16-byte load, masked to length, and one store of
  // the whole value, instead of zeroing it and then copying a variable length in.
  static void set_short_string_at(value& v, const char* p, std::size_t n) noexcept {
#if PYJSON_SSE2
    set_short_string_bytes(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), n);
#else
    v.set_string(std::string_view(p, n));
#endif
  }
#if PYJSON_SSE2
  // The same for a string of n <= 14 bytes at the start of `bytes`.
  [[gnu::always_inline]] static void set_short_string_bytes(value& v, __m128i bytes,
                                                            std::size_t n) noexcept {
    const __m128i index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    bytes = _mm_and_si128(bytes, _mm_cmplt_epi8(index, _mm_set1_epi8(static_cast<char>(n))));
    // Bytes 14 and 15: the length and the tag.
    bytes = _mm_insert_epi16(bytes, static_cast<int>(n | unsigned(tag::short_string) << 8), 7);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(v.raw_), bytes);
  }
  // Makes v a long string of 15 <= n <= 31 ASCII bytes (so known clean), of which `first`
  // holds the first 16 and `last` the last 16 (they overlap): two stores into a block of 24 or
  // 40 bytes, instead of a call to memcpy. The header is written last, as the store of `last`
  // for n = 15 begins one byte before the text.
  static void set_medium_string_bytes(value& v, __m128i first, __m128i last, std::size_t n) {
    auto* b = static_cast<string_block*>(allocate_block(string_block_bytes(n)));
    char* d = b->data();
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16), last);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), first);
    d[n] = '\0';
    b->size_and_clean = n | string_block::clean_bit;
    v.store_string_block(b, n, tag::long_string);
  }
  // set_medium_string_bytes for a key: the shared key when there is one (see shared_key_table); k
  // is what its slot held. All 16 bytes of the value are set, so that two values of one shared
  // key are the same bytes (key_shapes compares them so).
  static void set_medium_key_bytes(value& v, std::atomic<string_block*>& slot, string_block* k,
                                   __m128i first, __m128i last, std::size_t n) {
    if (k == nullptr)
      k = shared_key_keep(slot, first, last, n);
    else if (!holds_key(k, first, last, n))
      k = nullptr;
    if (k != nullptr) {
      set_shared_key(v, k);
      return;
    }
    set_medium_string_bytes(v, first, last, n);
  }
  // Makes v hold the shared key k.
  static void set_shared_key(value& v, string_block* k) noexcept {
    // Byte 8 the mark, byte 15 the tag, the rest zero.
    const std::uint64_t high = shared_key_class | std::uint64_t(tag::long_string) << 56;
    std::memcpy(v.raw_, &k, sizeof k);
    std::memcpy(v.raw_ + 8, &high, 8);
  }
#endif
  // Whether v holds a shared key (see shared_key_table).
  static bool is_shared_key(const value& v) noexcept {
#if PYJSON_SSE2
    return v.tag() == tag::long_string && v.string_block_class() == shared_key_class;
#else
    (void)v;
    return false;
#endif
  }
  // The two words of a value: for short strings, their bytes (zero padded) and length.
  static std::uint64_t word(const value& v, int i) noexcept {
    std::uint64_t w;
    std::memcpy(&w, v.raw_ + 8 * i, 8);
    return w;
  }
  // Equality of two string values, with short strings compared as two words.
  static bool same_string(const value& a, const value& b) noexcept {
    if (a.tag() == tag::short_string && b.tag() == tag::short_string)
      return word(a, 0) == word(b, 0) && word(a, 1) == word(b, 1);
    return str(a) == str(b);
  }
};

[[noreturn]] inline void throw_type_error(std::string msg) {
  detail::raise(type_error(std::move(msg)));
}

// value::get<T> for types mapped by traits<T>; defined in api.hpp.
template <class T>
T value_to(const value& v);

// Exact comparison of two numbers of any representation, as Python compares int and float.
// Returns -1, 0, 1, or 2 when unordered (NaN).
inline int compare_numbers(const value& a, const value& b);

}  // namespace detail

// ----------------------------------------------------------------------------------------
// Implementation

inline value::value(std::initializer_list<value> init) {
  bool is_object = init.size() > 0 && std::all_of(init.begin(), init.end(), [](const value& e) {
                     return e.is_array() && e.size() == 2 && e.array_data()[0].is_string();
                   });
  if (is_object) {
    set_tag(detail::tag::null);
    for (const value& e : init)
      (*this)[e.array_data()[0].string_view_unchecked()] = e.array_data()[1];
  } else {
    set_tag(detail::tag::null);
    reserve_array(init.size());
    for (const value& e : init) push_back(e);
  }
}

inline value array(std::initializer_list<value> elements) {
  value v;
  detail::value_access::adopt_array(v, nullptr, 0);
  for (const value& e : elements) v.push_back(e);
  return v;
}

inline value object(std::initializer_list<std::pair<std::string_view, value>> members) {
  value v;
  detail::value_access::adopt_object(v, nullptr, 0);
  for (const auto& [k, e] : members) v[k] = e;
  return v;
}

// Copying is iterative, as destruction is: a container is first made as a block of nulls of
// the source's size, and its elements are filled in from an explicit stack, so nesting depth
// costs heap memory, never call stack. The copy is built in a local value that frees it if an
// allocation fails midway.
inline value::value(const value& other) {
  value result;  // built aside: if copying runs out of memory, it frees what it has
  std::vector<detail::copy_frame> pending;
  result.copy_node(other, pending);
  while (!pending.empty()) {
    detail::copy_frame& f = pending.back();
    if (f.next == f.count) {
      pending.pop_back();
      continue;
    }
    std::size_t i = f.next++;
    f.dst[i].copy_node(f.src[i], pending);  // may push, which invalidates f
  }
  std::memcpy(raw_, result.raw_, sizeof raw_);
  result.set_tag(detail::tag::null);
}

// Makes this null value a copy of other, except that a container's elements are left null and
// queued on `pending` (an object's members as 2n values: key, value, ...).
inline void value::copy_node(const value& other, std::vector<detail::copy_frame>& pending) {
  switch (other.tag()) {
    case detail::tag::long_string:
    case detail::tag::big_int:
      store_string_block(
          detail::new_string_block(other.string_view_unchecked(), other.str_block()->clean()),
          other.str_block()->size(), other.tag());
      break;
    case detail::tag::array: {
      std::size_t n = other.arr_block()->size;
      if (n == 0) {
        store(&detail::empty_array_block, detail::tag::array);
        break;
      }
      auto* b =
          static_cast<detail::array_block*>(detail::allocate_block(detail::array_block_bytes(n)));
      for (std::size_t i = 0; i < n; ++i)
        ::new (static_cast<void*>(detail::array_items(b) + i)) value;
      b->size = n;
      b->capacity = n;
      store(b, detail::tag::array);
      pending.push_back({other.array_data(), detail::array_items(b), n, 0});
      break;
    }
    case detail::tag::object: {
      std::size_t n = other.obj_block()->size;
      detail::object_block* b = detail::new_object_block(n);
      store(b, detail::tag::object);
      if (n == 0) break;
      for (std::size_t i = 0; i < n; ++i)
        ::new (static_cast<void*>(detail::object_items(b) + i)) member;
      b->size = n;
      pending.push_back({reinterpret_cast<const value*>(other.object_data()),
                         reinterpret_cast<value*>(detail::object_items(b)), 2 * n, 0});
      break;
    }
    default: std::memcpy(raw_, other.raw_, sizeof raw_);
  }
}

// Destruction is iterative so that a value nested a million levels deep (allowed by a raised
// max_depth) cannot overflow the stack: container blocks wait on an intrusive list linked
// through their first word, and each is freed after its elements' resources are. An object
// block is read as an array block of 2n values (key, value, ...), which is its exact layout.
inline void value::destroy_owned() noexcept {
  // A pending block's size holds its element count (2n for an object) with its size class in
  // the top byte (class 0: a large block, freed with operator delete, which needs no size).
  constexpr std::size_t count_mask = (std::size_t(1) << 56) - 1;
  detail::array_block* pending = nullptr;
  // One thread destroys the whole value: its heap is looked up once.
  detail::block_heap* const heap = detail::block_heap::current();
  auto schedule = [&pending, heap](const value& v) PYJSON_CLANG_INLINE noexcept {
    switch (v.tag()) {
      case detail::tag::long_string:
      case detail::tag::big_int: {
        // The class from the value itself: reading it from the block's header was a cache
        // miss for nearly every long string (twitter.json loads 2% faster, its DOM freed
        // with it; citm_catalog.json 1.5%). A shared key (see shared_key_table) is not freed.
        std::size_t cls = v.string_block_class();
        if (cls != detail::shared_key_class) detail::free_block_of_class(v.str_block(), cls, heap);
        break;
      }
      case detail::tag::array: {
        auto* b = v.arr_block();
        if (detail::is_shared_empty(b)) break;
        std::size_t cls = detail::block_class(detail::array_block_bytes(b->capacity));
        // A small array of elements that own nothing (canada.json's coordinate pairs) is
        // freed at once, without a turn through the list, which would write its header and
        // read it back: canada.json loads 3% faster (its DOM freed with it).
        if (b->size <= 4) {
          const value* e = detail::array_items(b);
          bool owner = false;
          for (std::size_t i = 0; i < b->size; ++i) owner |= e[i].owns_memory();
          if (!owner) {
            detail::free_block_of_class(b, cls, heap);
            break;
          }
        }
        b->size |= cls << 56;
        b->link = pending;
        pending = b;
        break;
      }
      case detail::tag::object: {
        detail::object_block* o = v.obj_block();
        if (detail::is_shared_empty(o)) break;
        if (o->index) ::operator delete(o->index);
        auto* b = reinterpret_cast<detail::array_block*>(o);
        b->size = 2 * b->size | detail::block_class(detail::object_block_bytes(b->capacity)) << 56;
        b->link = pending;
        pending = b;
        break;
      }
      default: break;
    }
  };
  schedule(*this);
  while (pending) {
    auto* b = pending;
    pending = static_cast<detail::array_block*>(b->link);
    value* items = detail::array_items(b);
    std::size_t count = b->size & count_mask;
    // Most elements own nothing (scalars, short strings): one test each passes them, without
    // the switch's jump.
    for (std::size_t i = 0; i < count; ++i)
      if (items[i].owns_memory()) schedule(items[i]);
    std::size_t cls = b->size >> 56;
    detail::free_block_of_class(b, cls, heap);
  }
  set_tag(detail::tag::null);
}

inline pyjson::kind value::kind() const noexcept {
  switch (tag()) {
    case detail::tag::null: return pyjson::kind::null;
    case detail::tag::boolean: return pyjson::kind::boolean;
    case detail::tag::int64:
    case detail::tag::uint64:
    case detail::tag::big_int: return pyjson::kind::integer;
    case detail::tag::float64: return pyjson::kind::floating;
    case detail::tag::short_string:
    case detail::tag::long_string: return pyjson::kind::string;
    case detail::tag::array: return pyjson::kind::array;
    case detail::tag::object: return pyjson::kind::object;
  }
  return pyjson::kind::null;
}

inline const char* value::type_name() const noexcept {
  switch (kind()) {
    case pyjson::kind::null: return "null";
    case pyjson::kind::boolean: return "bool";
    case pyjson::kind::integer: return "int";
    case pyjson::kind::floating: return "float";
    case pyjson::kind::string: return "string";
    case pyjson::kind::array: return "array";
    case pyjson::kind::object: return "object";
  }
  return "null";
}

inline void value::throw_not(const char* expected) const {
  detail::raise(type_error(std::string("expected ") + expected + ", found " + type_name()));
}

inline value* value::array_data() const noexcept { return detail::array_items(arr_block()); }
inline member* value::object_data() const noexcept { return detail::object_items(obj_block()); }

inline std::size_t value::size() const {
  if (is_array()) return arr_block()->size;
  if (is_object()) return obj_block()->size;
  throw_not("array or object");
}

inline std::span<value> value::as_array() {
  if (!is_array()) throw_not("array");
  return {array_data(), arr_block()->size};
}
inline std::span<const value> value::as_array() const {
  if (!is_array()) throw_not("array");
  return {array_data(), arr_block()->size};
}
inline std::span<member> value::items() {
  if (!is_object()) throw_not("object");
  return {object_data(), obj_block()->size};
}
inline std::span<const member> value::items() const {
  if (!is_object()) throw_not("object");
  return {object_data(), obj_block()->size};
}

inline void value::reserve_array(std::size_t n) {
  if (is_null()) {
    if (n == 0) {
      store(&detail::empty_array_block, detail::tag::array);
      return;
    }
    auto* b =
        static_cast<detail::array_block*>(detail::allocate_block(detail::array_block_bytes(n)));
    b->size = 0;
    b->capacity = n;
    store(b, detail::tag::array);
    return;
  }
  auto* old = arr_block();
  if (n <= old->capacity) return;
  auto* b = static_cast<detail::array_block*>(detail::allocate_block(detail::array_block_bytes(n)));
  b->size = old->size;
  b->capacity = n;
  detail::value_access::relocate(detail::array_items(b), detail::array_items(old), old->size);
  if (!detail::is_shared_empty(old))
    detail::free_block(old, detail::array_block_bytes(old->capacity));
  store(b, detail::tag::array);
}

inline void value::reserve_object(std::size_t n) {
  if (is_null()) {
    store(detail::new_object_block(n), detail::tag::object);
    return;
  }
  auto* old = obj_block();
  if (n <= old->capacity) return;
  detail::object_block* b = detail::new_object_block(n);
  b->size = old->size;
  drop_index();  // too small for the new capacity: the next lookup builds another
  // Members are two values each; relocating them as 2n values keeps the one-copy rule.
  detail::value_access::relocate(reinterpret_cast<value*>(detail::object_items(b)),
                                 reinterpret_cast<const value*>(detail::object_items(old)),
                                 2 * old->size);
  if (!detail::is_shared_empty(old))
    detail::free_block(old, detail::object_block_bytes(old->capacity));
  store(b, detail::tag::object);
}

inline void value::push_back(value v) {
  if (is_null()) reserve_array(4);
  if (!is_array()) throw_not("array");
  auto* b = arr_block();
  if (b->size == b->capacity) {
    reserve_array(b->capacity < 4 ? 4 : b->capacity * 2);
    b = arr_block();
  }
  ::new (static_cast<void*>(detail::array_items(b) + b->size)) value(std::move(v));
  ++b->size;
}

inline value* value::find(std::string_view key) noexcept {
  if (!is_object()) return nullptr;
  std::size_t i = position_of(key);
  return i == npos ? nullptr : &object_data()[i].value_;
}
inline const value* value::find(std::string_view key) const noexcept {
  if (!is_object()) return nullptr;
  std::size_t i = position_of(key);
  return i == npos ? nullptr : &object_data()[i].value_;
}

inline std::size_t value::position_of(std::string_view key) const noexcept {
  auto* b = obj_block();
  const member* m = object_data();
  if (b->size >= index_threshold) {
    if (detail::object_index* index = shared_index()) {
      const std::uint32_t* slots = index->slots();
      for (std::size_t s = detail::string_hash(key) & index->mask;; s = (s + 1) & index->mask) {
        std::uint32_t at = slots[s];
        if (at == 0) return npos;
        if (m[at - 1].key() == key) return at - 1;
      }
    }
  }
  for (std::size_t i = 0; i < b->size; ++i)
    if (m[i].key() == key) return i;
  return npos;
}

// The object's index, built if it has none; nullptr (lookups then compare every key) when
// memory for it is short, which keeps find() noexcept, or when the object is too large for
// 32-bit positions. A const lookup may run in many threads at once: each thread that finds no
// index builds one aside and installs it with a compare-and-swap, and a thread that loses the
// race frees its own and takes the winner's. Only non-const functions, which need exclusive
// access, change or drop an installed index.
inline detail::object_index* value::shared_index() const noexcept {
  auto* b = obj_block();
  std::atomic_ref<detail::object_index*> installed(b->index);
  if (detail::object_index* index = installed.load(std::memory_order_acquire)) return index;
  if (b->capacity > 0x7FFFFFFF) return nullptr;
  std::size_t slots = 32;
  while (slots < 2 * b->capacity) slots *= 2;  // insertions up to the capacity fit
  void* memory =
      ::operator new(sizeof(detail::object_index) + slots * sizeof(std::uint32_t), std::nothrow);
  if (!memory) return nullptr;
  auto* index = ::new (memory) detail::object_index{slots - 1};
  std::memset(index->slots(), 0, slots * sizeof(std::uint32_t));
  for (std::size_t i = 0; i < b->size; ++i) index_add(index, object_data()[i].key(), i);
  detail::object_index* expected = nullptr;
  if (installed.compare_exchange_strong(expected, index, std::memory_order_acq_rel,
                                        std::memory_order_acquire))
    return index;
  ::operator delete(index);
  return expected;
}
inline void value::index_add(detail::object_index* index, std::string_view key,
                             std::size_t i) noexcept {
  std::uint32_t* slots = index->slots();
  std::size_t s = detail::string_hash(key) & index->mask;
  while (slots[s] != 0) s = (s + 1) & index->mask;
  slots[s] = static_cast<std::uint32_t>(i + 1);
}
inline void value::drop_index() noexcept {
  auto* b = obj_block();
  if (!b->index) return;
  ::operator delete(b->index);
  b->index = nullptr;
}

inline value& value::operator[](std::string_view key) {
  if (is_null()) reserve_object(4);
  if (!is_object()) throw_not("object");
  if (value* found = find(key)) return *found;
  auto* b = obj_block();
  if (b->size == b->capacity) {
    reserve_object(b->capacity < 4 ? 4 : b->capacity * 2);
    b = obj_block();
  }
  auto* m = ::new (static_cast<void*>(detail::object_items(b) + b->size)) member(key, value());
  ++b->size;
  if (b->index) index_add(b->index, key, b->size - 1);
  return m->value_;
}

inline const value& value::at(std::string_view key) const {
  if (!is_object()) throw_not("object");
  if (const value* found = find(key)) return *found;
  detail::raise(key_error("key not found: '" + std::string(key) + "'"));
}
inline value& value::at(std::string_view key) {
  return const_cast<value&>(std::as_const(*this).at(key));
}
inline const value& value::at(std::size_t i) const {
  if (!is_array()) throw_not("array");
  if (i >= arr_block()->size)
    detail::raise(index_error("list index out of range: " + std::to_string(i) + " (size " +
                              std::to_string(arr_block()->size) + ")"));
  return array_data()[i];
}
inline value& value::at(std::size_t i) { return const_cast<value&>(std::as_const(*this).at(i)); }

inline std::size_t value::erase(std::string_view key) {
  if (!is_object()) throw_not("object");
  std::size_t i = position_of(key);
  if (i == npos) return 0;
  auto* b = obj_block();
  member* m = object_data();
  m[i].~member();
  // The members after it move down one place, as the 2n values they are.
  detail::value_access::relocate(reinterpret_cast<value*>(m + i),
                                 reinterpret_cast<const value*>(m + i + 1), 2 * (b->size - i - 1));
  --b->size;
  drop_index();  // positions have moved: the next lookup builds another
  return 1;
}

inline void value::clear() {
  if (is_array()) {
    auto* b = arr_block();
    if (b->size == 0) return;  // the shared empty block (see empty_array_block) is never written
    for (std::size_t i = 0; i < b->size; ++i) array_data()[i].~value();
    b->size = 0;
  } else if (is_object()) {
    auto* b = obj_block();
    if (b->size == 0) return;  // an empty object has no index either
    for (std::size_t i = 0; i < b->size; ++i) object_data()[i].~member();
    b->size = 0;
    drop_index();
  } else {
    throw_not("array or object");
  }
}

inline std::string value::int_text() const {
  switch (tag()) {
    case detail::tag::int64: return std::to_string(load<std::int64_t>());
    case detail::tag::uint64: return std::to_string(load<std::uint64_t>());
    case detail::tag::big_int: return std::string(string_view_unchecked());
    default: throw_not("int");
  }
}

namespace detail {
inline bool is_int_literal(std::string_view t) {
  std::size_t i = (!t.empty() && t[0] == '-') ? 1 : 0;
  if (i == t.size()) return false;
  if (t[i] == '0') return t.size() == i + 1;
  for (; i < t.size(); ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  return true;
}
}  // namespace detail

inline value value::from_int_text(std::string_view text) {
  if (!detail::is_int_literal(text))
    detail::raise(value_error("invalid literal for int(): '" + std::string(text) + "'"));
  bool neg = text[0] == '-';
  std::string_view digits = text.substr(neg ? 1 : 0);
  std::uint64_t u = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u);
  if (ec == std::errc() && ptr == digits.data() + digits.size()) {
    constexpr std::uint64_t max_neg = std::uint64_t(1) << 63;
    if (!neg) return value(u);
    if (u <= max_neg) return value(static_cast<std::int64_t>(0 - u));
  }
  if (text == "-0") return value(0);
  return detail::value_access::big_int(text);
}

template <class T>
T value::get() const {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::same_as<U, value>) {
    return *this;
  } else if constexpr (std::same_as<U, bool>) {
    if (!is_bool()) throw_not("bool");
    return raw_[0] != 0;
  } else if constexpr (std::integral<U>) {
    if (!is_int()) throw_not("int");
    auto out_of_range = [&] {
      detail::raise(type_error("int " + int_text() + " is out of range for " +
                               (std::is_signed_v<U> ? "int" : "uint") +
                               std::to_string(sizeof(U) * 8)));
    };
    if (tag() == detail::tag::int64) {
      auto n = load<std::int64_t>();
      if (!std::in_range<U>(n)) out_of_range();
      return static_cast<U>(n);
    }
    if (tag() == detail::tag::uint64) {
      auto n = load<std::uint64_t>();
      if (!std::in_range<U>(n)) out_of_range();
      return static_cast<U>(n);
    }
    out_of_range();
    return U{};
  } else if constexpr (std::floating_point<U>) {
    double d;
    switch (tag()) {
      case detail::tag::float64: d = load<double>(); break;
      case detail::tag::int64: d = static_cast<double>(load<std::int64_t>()); break;
      case detail::tag::uint64: d = static_cast<double>(load<std::uint64_t>()); break;
      case detail::tag::big_int: {
        auto t = string_view_unchecked();
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
        if (ec != std::errc()) detail::raise(type_error("int too large to convert to float"));
        break;
      }
      default: throw_not("float");
    }
    if (std::isfinite(d) && std::abs(d) > double(std::numeric_limits<U>::max()))
      detail::raise(type_error("float " + std::to_string(d) + " is out of range for float"));
    return static_cast<U>(d);
  } else if constexpr (std::same_as<U, std::string> || std::same_as<U, std::string_view>) {
    if (!is_string()) throw_not("string");
    return U(string_view_unchecked());
  } else {
    // Any other mapped type (vectors, maps, structs, ...) goes through traits<T>.
    return detail::value_to<U>(*this);
  }
}

namespace detail {

// Sign and magnitude of an integer value as decimal digits without a sign.
inline std::string_view int_digits(const value& v, bool& negative, char (&buf)[24]) {
  switch (value_access::tag_of(v)) {
    case tag::int64: {
      auto n = value_access::i64(v);
      negative = n < 0;
      std::uint64_t m =
          negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
      auto r = std::to_chars(buf, buf + sizeof buf, m);
      return {buf, std::size_t(r.ptr - buf)};
    }
    case tag::uint64: {
      negative = false;
      auto r = std::to_chars(buf, buf + sizeof buf, value_access::u64(v));
      return {buf, std::size_t(r.ptr - buf)};
    }
    default: {
      std::string_view t = value_access::str(v);
      negative = t[0] == '-';
      return negative ? t.substr(1) : t;
    }
  }
}

inline int compare_magnitudes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

inline int compare_ints(const value& a, const value& b) {
  char ba[24], bb[24];
  bool na, nb;
  auto da = int_digits(a, na, ba);
  auto db = int_digits(b, nb, bb);
  if (na != nb) return na ? -1 : 1;
  int c = compare_magnitudes(da, db);
  return na ? -c : c;
}

// An integer against a double, exactly: the double's integral part is written out in full
// (every finite double is an exact decimal) and compared digit for digit.
inline int compare_int_float(const value& a, double d) {
  if (std::isnan(d)) return 2;
  if (std::isinf(d)) return d > 0 ? -1 : 1;
  double ip = std::trunc(d);
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, std::abs(ip), std::chars_format::fixed, 0);
  std::string_view fd(buf, std::size_t(r.ptr - buf));
  bool fneg = std::signbit(d) && ip != 0;
  char ib[24];
  bool ineg;
  auto id = int_digits(a, ineg, ib);
  bool izero = id == "0";
  bool fzero = fd == "0";
  int c;
  if (izero && fzero)
    c = 0;
  else if (ineg != fneg && !(izero && fzero))
    c = ineg ? -1 : 1;
  else {
    c = compare_magnitudes(id, fd);
    if (ineg) c = -c;
  }
  if (c != 0) return c;
  double frac = d - ip;  // the integer parts are equal; the fraction decides
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

inline int compare_numbers(const value& a, const value& b) {
  bool af = a.is_float(), bf = b.is_float();
  if (af && bf) {
    double x = value_access::f64(a), y = value_access::f64(b);
    if (std::isnan(x) || std::isnan(y)) return 2;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (!af && !bf) return compare_ints(a, b);
  if (af) {
    int c = compare_int_float(b, value_access::f64(a));
    return c == 2 ? 2 : -c;
  }
  return compare_int_float(a, value_access::f64(b));
}

}  // namespace detail

namespace detail {
// x == y for everything but two containers of the same kind: 0 unequal, 1 equal, 2 both are
// arrays or both objects, to be compared element by element.
inline int shallow_equal(const value& x, const value& y) {
  if (x.is_number() && y.is_number()) return compare_numbers(x, y) == 0;
  if (x.kind() != y.kind()) return 0;
  switch (x.kind()) {
    case kind::null: return 1;
    case kind::boolean: return value_access::boolean(x) == value_access::boolean(y);
    case kind::string: return value_access::str(x) == value_access::str(y);
    case kind::array:
    case kind::object: return x.size() == y.size() ? 2 : 0;
    default: return 0;
  }
}
}  // namespace detail

// Python's ==, without recursion: pairs of containers still to compare wait on an explicit
// stack, so that deep nesting cannot overflow the call stack; scalars are compared on the spot.
inline bool operator==(const value& a, const value& b) {
  std::vector<std::pair<const value*, const value*>> pending;
  auto visit = [&pending](const value& x, const value& y) {
    int r = detail::shallow_equal(x, y);
    if (r == 2) pending.emplace_back(&x, &y);
    return r != 0;
  };
  if (!visit(a, b)) return false;
  while (!pending.empty()) {
    auto [x, y] = pending.back();
    pending.pop_back();
    if (x->kind() == kind::array) {  // sizes are equal (shallow_equal)
      auto xs = x->as_array(), ys = y->as_array();
      for (std::size_t i = 0; i < xs.size(); ++i)
        if (!visit(xs[i], ys[i])) return false;
      continue;
    }
    auto xs = x->items();
    if (xs.size() <= 16) {
      for (const member& m : xs) {
        const value* other = y->find(m.key());
        if (!other || !visit(m.value(), *other)) return false;
      }
      continue;
    }
    // Large objects: both member lists sorted by key, so matching them is O(n log n).
    std::vector<const member*> sa, sb;
    for (const member& m : xs) sa.push_back(&m);
    for (const member& m : y->items()) sb.push_back(&m);
    auto by_key = [](const member* p, const member* q) { return p->key() < q->key(); };
    std::sort(sa.begin(), sa.end(), by_key);
    std::sort(sb.begin(), sb.end(), by_key);
    for (std::size_t i = 0; i < sa.size(); ++i)
      if (sa[i]->key() != sb[i]->key() || !visit(sa[i]->value(), sb[i]->value())) return false;
  }
  return true;
}

namespace detail {

// A thread's cache of T, kept from one parse to the next: current() is the thread's T, made on
// first use, or null at thread exit (a parse in a later thread_local destructor goes without).
template <class T>
class thread_cache {
 public:
  thread_cache(const thread_cache&) = delete;
  thread_cache& operator=(const thread_cache&) = delete;
  static T* current() noexcept {
    if (closed()) return nullptr;
    static thread_local T cache;
    return &cache;
  }

 protected:
  thread_cache() = default;
  ~thread_cache() { closed() = true; }

 private:
  static bool& closed() noexcept {
    static thread_local bool gone = false;
    return gone;
  }
};

// Key shapes: the keys, in order, of recent objects found to have no repeated key. An object
// whose keys are those of a shape has none either, and the reader skips its repeated-key
// filter. Documents repeat a few kinds of object (twitter.json's statuses, users and URLs,
// citm_catalog.json's performances), and nearly every object of four keys or more has the
// keys of the last one of its size and first key: comparing each key with one kept key costs
// less than fingerprinting it: twitter.json loaded 3-4% faster, gsoc-2018.json 2-7%, the
// synthetic records 12%. A document whose objects never share their keys pays a failed
// comparison per object and a few copies (5% more instructions for objects of 8 keys).
//
// Each thread keeps its shapes from one parse to the next, so that a small document pays
// nothing to set them up (kept in each parse, they made a parse of a 4-member object take 60%
// more instructions) and documents of one kind match from the start. Shapes are copies (a
// short key's 16 bytes, a long key's bytes in `text`): they never point into values, only to
// shared keys (see shared_key_table), which are never freed.
class key_shapes : public thread_cache<key_shapes> {
 public:
  /// Whether the n pairs at kv (n >= 4) have the keys of a kept shape.
  bool match(const value* kv, std::size_t n) noexcept {
    const shape& s = slots_[slot(kv, n)];
    if (s.pairs != n || !same_keys(s, kv)) return false;
    unmatched_ = 0;
    return true;
  }

  /// Keeps the keys of the n pairs at kv, which have no repeated key.
  void keep(const value* kv, std::size_t n) {
    // Objects that seldom share their keys (records keyed by name or id) would pay for a copy
    // each: after 64 shapes kept in a row without a match, only one in 16 is kept.
    if (n > max_pairs || (++unmatched_ > 64 && unmatched_ % 16 != 0)) return;
    shape& s = slots_[slot(kv, n)];
    s.pairs = 0;
    s.keys.resize(n);
    s.text.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const value& k = kv[2 * i];
      unsigned char* entry = s.keys[i].data();
      // A short key's bytes are its text; a shared key's are its one block, never freed.
      if (value_access::tag_of(k) == tag::short_string || value_access::is_shared_key(k)) {
        std::memcpy(entry, value_access::raw(k), 16);
        continue;
      }
      std::string_view key = value_access::str(k);
      if (s.text.size() + key.size() > max_text) return;
      std::uint64_t offset = s.text.size();
      auto size = static_cast<std::uint32_t>(key.size());
      std::memset(entry, 0, 16);
      std::memcpy(entry, &offset, 8);
      std::memcpy(entry + 8, &size, 4);
      entry[15] = long_key_mark;
      s.text.append(key);
    }
    s.pairs = n;
  }

  /// Frees what the shapes hold.
  void release() noexcept {
    for (shape& s : slots_) s = shape{};
  }

 private:
  struct shape {
    std::size_t pairs = 0;  // 0: empty
    std::vector<std::array<unsigned char, 16>> keys;
    std::string text;
  };
  // A long key's entry: its offset and length in text, and this mark in the tag byte, which no
  // value has, so that the 16 bytes of a key never equal it.
  static constexpr unsigned char long_key_mark = 0xFF;
  // At most 32 * (64 * 16 + 1024) bytes, 64 KiB, are kept.
  static constexpr std::size_t slots = 32, max_pairs = 64, max_text = 1024;

  // The slot of a shape: from its size and its first key's first 8 bytes, as objects of one
  // size often differ in their keys (gsoc-2018.json's projects and sponsors).
  static std::size_t slot(const value* kv, std::size_t n) noexcept {
    std::uint64_t first;
    if (value_access::tag_of(kv[0]) == tag::short_string)
      first = value_access::word(kv[0], 0);
    else
      std::memcpy(&first, value_access::str(kv[0]).data(), 8);  // more than 14 bytes
    return static_cast<std::size_t>(((first * 0x9E3779B97F4A7C15ull ^ n) * 0xD6E8FEB86659FD93ull) >>
                                    59);
  }

  PYJSON_CLANG_INLINE static bool same_keys(const shape& s, const value* kv) noexcept {
    std::size_t i = 0;
#if PYJSON_SSE2
    // Four keys at a time: the differences of their 16 bytes from the kept ones, or-ed, are
    // tested once; only a group with a difference (a long key, or another key) is looked at
    // key by key. Against a test per key: 0.9% fewer instructions per parse of twitter.json
    // (objects of 20 to 40 keys, nearly all short or shared), 0.1-0.3% of citm_catalog.json
    // and gsoc-2018.json.
    auto diff = [&](std::size_t j) {
      return _mm_xor_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(value_access::raw(kv[2 * j]))),
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.keys[j].data())));
    };
    for (; i + 4 <= s.pairs; i += 4) {
      __m128i d =
          _mm_or_si128(_mm_or_si128(diff(i), diff(i + 1)), _mm_or_si128(diff(i + 2), diff(i + 3)));
      if (_mm_movemask_epi8(_mm_cmpeq_epi8(d, _mm_setzero_si128())) == 0xFFFF) continue;
      for (std::size_t j = i; j < i + 4; ++j)
        if (!same_key(s, kv[2 * j], s.keys[j].data())) return false;
    }
#endif
    for (; i < s.pairs; ++i)
      if (!same_key(s, kv[2 * i], s.keys[i].data())) return false;
    return true;
  }

  // Whether k is the key kept as `want` in s.
  static bool same_key(const shape& s, const value& k, const unsigned char* want) noexcept {
    if (std::memcmp(value_access::raw(k), want, 16) == 0) return true;  // the same short key
    if (want[15] != long_key_mark || value_access::tag_of(k) != tag::long_string) return false;
    std::uint64_t offset;
    std::uint32_t size;
    std::memcpy(&offset, want, 8);
    std::memcpy(&size, want + 8, 4);
    std::string_view key = value_access::str(k);
    if (key.size() != size) return false;
    const char* a = key.data();
    const char* b = s.text.data() + offset;
    if (size > 32) return std::memcmp(a, b, size) == 0;
    // 15 to 32 bytes (most long keys), without a call: the first and last 8 bytes, which
    // cover 16, and from 17 bytes on the first and last 16.
    auto word = [](const char* p) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      return w;
    };
    std::uint64_t diff = (word(a) ^ word(b)) | (word(a + size - 8) ^ word(b + size - 8));
    if (size > 16)
      diff |= (word(a + 8) ^ word(b + 8)) | (word(a + size - 16) ^ word(b + size - 16));
    return diff == 0;
  }

  shape slots_[slots];
  std::size_t unmatched_ = 0;  // shapes kept since one last matched
};

#if PYJSON_SSE2
// The keys the builder expects in an object (see value_builder::read_expected_key). Records,
// the most common kind of object, come many to a document with the same keys in the same
// order (twitter.json's statuses and users, 20 to 40 keys each). Once one of them is known,
// the next with its first key has its other keys compared with the text as whole tokens (each
// key's bytes and closing quote, 32 at a time) and pushed as the known key's value, instead of
// being scanned, stored byte by byte and, from 15 bytes, looked up in the shared key table. An
// object whose keys all came so needs no check for repeated keys: they are a prefix of keys
// known to be unique.
//
// A list is learnt from an object of two keys or more with no repeated key, for as many of
// its keys, from the first, as have at most 63 bytes of printable ASCII without '"' and '\\'
// (so that a key's text in JSON is its bytes); its first key must be short or shared (at most
// 31 bytes), the same value in every object. It goes to a slot by its first key, and
// replaces the list there after 64 objects that found no list there or one that failed them.
// Lists are never changed: a replaced one is kept until the next parse starts, as objects still
// open may be reading it (16 at most; no more are replaced in that parse). Like key_shapes,
// the lists are the thread's and last from one parse to the next.
class key_predictor : public thread_cache<key_predictor> {
 public:
  struct key {
    unsigned char text[64];  // the key's bytes and closing quote, then zeros
    unsigned char raw[16];   // the key as a value, when it owns nothing
    std::uint64_t want;      // a bit for each byte of text that must match
    std::uint32_t length;    // bytes of text: the key's and its closing quote
    bool owns;  // a key of 32 bytes or more, whose value has a block of its own, made anew
  };

  /// At the start of a parse: frees the lists replaced during the last one.
  void start() noexcept {
    if (!retired_.empty()) retired_.clear();
  }

  /// The keys expected after `first`, the first key of an object, and their number in count;
  /// null when no list starts with it.
  const key* find(const value& first, std::uint32_t& count) noexcept {
    const entry& e = slots_[slot(first)];
    if (e.keys.empty() || std::memcmp(e.keys[0].raw, value_access::raw(first), 16) != 0)
      return nullptr;
    count = static_cast<std::uint32_t>(e.keys.size() - 1);
    return e.keys.data() + 1;
  }
  /// For an object of n pairs at kv, with no repeated key, whose keys did not all come as
  /// expected: learns its keys when the slot of its first key is free, or has had 64 such
  /// objects since its list was learnt.
  void learn(const value* kv, std::size_t n) {
    // A first key with a block of its own (32 bytes or more, or not shared) has a value of
    // its own in every object: no later object would find the list by it.
    if (value_access::tag_of(kv[0]) != tag::short_string && !value_access::is_shared_key(kv[0]))
      return;
    entry& e = slots_[slot(kv[0])];
    if (!e.keys.empty() && (++e.misses < 64 || retired_.size() == max_retired)) return;
    std::size_t usable = 0;
    while (usable < n && usable < max_keys && usable_key(kv[2 * usable])) ++usable;
    if (usable < 2) return;
    std::vector<key> keys(usable);
    for (std::size_t i = 0; i < usable; ++i) {
      const value& k = kv[2 * i];
      std::string_view text = value_access::str(k);
      key& out = keys[i];
      std::memset(out.text, 0, sizeof out.text);
      std::memcpy(out.text, text.data(), text.size());
      out.text[text.size()] = '"';
      std::memcpy(out.raw, value_access::raw(k), 16);
      out.length = static_cast<std::uint32_t>(text.size() + 1);
      out.want = out.length == 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << out.length) - 1;
      out.owns = value_access::tag_of(k) == tag::long_string && !value_access::is_shared_key(k);
    }
    if (!e.keys.empty()) retired_.push_back(std::move(e.keys));
    e.keys = std::move(keys);
    e.misses = 0;
  }

  /// Frees the lists.
  void release() noexcept {
    for (entry& e : slots_) e = entry{};
    retired_.clear();
    retired_.shrink_to_fit();
  }

 private:
  struct entry {
    std::vector<key> keys;
    std::size_t misses = 0;  // objects since the list was learnt that it failed
  };
  // At most 64 * 64 * 96 bytes (384 KiB) in the slots, and 16 replaced lists until the next
  // parse.
  static constexpr std::size_t slots = 64, max_keys = 64, max_retired = 16;

  static std::size_t slot(const value& first) noexcept {
    const std::uint64_t a = value_access::word(first, 0), b = value_access::word(first, 1);
    return static_cast<std::size_t>(((a * 0x9E3779B97F4A7C15ull) ^ b) * 0xD6E8FEB86659FD93ull >>
                                    58);
  }
  // Whether k can be expected: a string of at most 63 bytes of printable ASCII, whose JSON
  // text is its bytes between quotes. (ASCII only: an expected key that needs a block of its
  // own gets one marked clean, valid UTF-8 without surrogates, which ASCII always is.)
  static bool usable_key(const value& k) noexcept {
    if (value_access::tag_of(k) != tag::short_string && value_access::tag_of(k) != tag::long_string)
      return false;
    std::string_view text = value_access::str(k);
    return text.size() <= 63 && plain_key(text);
  }

  entry slots_[slots];
  std::vector<std::vector<key>> retired_;
};
#endif

}  // namespace detail

inline void release_cached_blocks() noexcept {
  detail::block_heap* heap = detail::block_heap::current();
  if (heap != nullptr && heap != detail::block_heap::gone()) heap->release();
  if (detail::write_buffer* b = detail::write_buffer::take()) {
    b->release();
    b->give_back();
  }
  if (detail::key_shapes* shapes = detail::key_shapes::current()) shapes->release();
#if PYJSON_SSE2
  if (detail::key_predictor* keys = detail::key_predictor::current()) keys->release();
#endif
}

}  // namespace pyjson

template <>
struct std::tuple_size<pyjson::member> : std::integral_constant<std::size_t, 2> {};
template <>
struct std::tuple_element<0, pyjson::member> {
  using type = std::string_view;
};
template <>
struct std::tuple_element<1, pyjson::member> {
  using type = pyjson::value;
};
