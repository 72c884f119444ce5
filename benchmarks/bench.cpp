// Benchmarks: loads, dumps and DOM memory on the shared benchmark files and on synthetic
// documents made at startup, pyjson next to every installed peer, reported as bytes per second
// of JSON text (the input for parsing, the output for writing) so that ratios can be read from
// one run.
// SPDX-License-Identifier: MIT
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <pyjson.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_synthetic.hpp"
#include "bench_types.hpp"

// mallinfo2() arrived in glibc 2.33; elsewhere the memory benchmarks are left out.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define PYJSON_BENCH_MEMORY 1
#endif

#if defined(PYJSON_BENCH_NLOHMANN)
#include <nlohmann/json.hpp>
#endif
#if defined(PYJSON_BENCH_RAPIDJSON)
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#endif
#if defined(PYJSON_BENCH_SIMDJSON)
#include <simdjson.h>
#endif
#if defined(PYJSON_BENCH_BOOST)
#include <boost/json.hpp>
#endif

namespace fs = std::filesystem;

namespace {

/// One input: a benchmark file or a synthetic document. `name` is the last part of the
/// benchmark names (operation/library/name).
struct document {
  std::string name;
  std::string text;
  // False for syn_deep: indented, its 500 levels come out ~200 times larger than the input,
  // nearly all spaces.
  bool indent = true;
};

fs::path data_dir() {
  if (const char* env = std::getenv("PYJSON_BENCH_DATA")) return env;
  return PYJSON_BENCH_DATA;
}

// Every *.json file of the data folder: the nativejson-benchmark trio first (twitter,
// citm_catalog, canada: the files the targets are set on), then the others by name. None
// when the folder is missing, which is said once.
std::vector<fs::path> data_files() {
  const fs::path dir = data_dir();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "skipping the benchmark files: " << dir.string()
              << " not found (set PYJSON_BENCH_DATA)\n";
    return {};
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  const std::array<std::string, 3> first = {"twitter", "citm_catalog", "canada"};
  auto rank = [&](const fs::path& p) {
    auto at = std::find(first.begin(), first.end(), p.stem().string());
    return std::pair(at - first.begin(), p.filename().string());
  };
  std::sort(files.begin(), files.end(),
            [&](const fs::path& a, const fs::path& b) { return rank(a) < rank(b); });
  return files;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Fails the run loudly: a fast wrong answer must not look like a result.
void require(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "benchmark check failed: " << what << "\n";
    std::exit(1);
  }
}

void note_once(const std::string& text) {
  static std::set<std::string> said;
  if (said.insert(text).second) std::cerr << "note: " << text << "\n";
}

const pyjson::dump_options python_defaults{};
const pyjson::dump_options compact{.ensure_ascii = false, .separators = {",", ":"}};
// json.dumps(v, indent=4, ensure_ascii=False): UTF-8 output, as the peers' pretty printers.
const pyjson::dump_options indented{.ensure_ascii = false, .indent = 4};

// ---- checks --------------------------------------------------------------------------------

struct float_differences {
  std::size_t count = 0;
  std::uint64_t max_ulps = 0;
};

std::uint64_t ulps_apart(double x, double y) {
  if (std::signbit(x) != std::signbit(y)) return ~std::uint64_t{0};
  auto a = std::bit_cast<std::uint64_t>(x), b = std::bit_cast<std::uint64_t>(y);
  return a > b ? a - b : b - a;
}

// Python's ==, except that two floats at most `max_ulps` apart count as equal and are tallied:
// some peers round a few decimal literals to a neighbouring double.
bool nearly_equal(const pyjson::value& a, const pyjson::value& b, float_differences& diff) {
  constexpr std::uint64_t max_ulps = 16;
  if (a.is_float() && b.is_float()) {
    double x = a.get<double>(), y = b.get<double>();
    if (x == y) return true;
    std::uint64_t n = ulps_apart(x, y);
    if (n > max_ulps) return false;
    ++diff.count;
    diff.max_ulps = std::max(diff.max_ulps, n);
    return true;
  }
  if (a.is_array() && b.is_array()) {
    auto x = a.as_array(), y = b.as_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!nearly_equal(x[i], y[i], diff)) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& m : a.items()) {
      const pyjson::value* other = b.find(m.key());
      if (!other || !nearly_equal(m.value(), *other, diff)) return false;
    }
    return true;
  }
  return a == b;
}

// The DOM of one library for one document, built on first use and kept until a benchmark of
// another document asks for it: benchmarks run in registration order, so each DOM is built
// about once, and at most one per library is alive.
template <class Dom, class Make>
const Dom& cached(const document& d, Make make) {
  static const document* owner = nullptr;
  static std::unique_ptr<Dom> dom;
  if (owner != &d) {
    dom.reset();
    dom = make(d);
    owner = &d;
  }
  return *dom;
}

// pyjson's DOM, the reference the peers are checked against; its own output in each layout
// must re-parse equal to it.
const pyjson::value& pyjson_dom(const document& d) {
  return cached<pyjson::value>(d, [](const document& doc) {
    auto v = std::make_unique<pyjson::value>(pyjson::loads(doc.text));
    for (const auto* opt : {&python_defaults, &compact, &indented})
      if (doc.indent || opt != &indented)
        require(pyjson::loads(pyjson::dumps(*v, *opt)) == *v, doc.name + ": pyjson round trip");
    return v;
  });
}

// A peer's output (from its own DOM of d) must re-parse, with pyjson, to pyjson's DOM of d.
// That checks the peer's parse and its writer at once.
void check_peer_output(const document& d, const std::string& lib, const std::string& layout,
                       const std::string& out) {
  const std::string what = d.name + ": " + lib + " " + layout + " output";
  pyjson::value v;
  try {
    v = pyjson::loads(out);
  } catch (const std::exception& e) {
    require(false, what + " is not valid JSON for pyjson: " + e.what());
  }
  float_differences diff;
  require(nearly_equal(pyjson_dom(d), v, diff), what + " re-parses to a different value");
  if (diff.count)
    note_once(d.name + ": " + lib + " gives " + std::to_string(diff.count) +
              " floats that differ from pyjson's (and Python's) by up to " +
              std::to_string(diff.max_ulps) + " ulp");
}

std::size_t written(const std::string& s) {
  benchmark::DoNotOptimize(s.data());
  return s.size();
}

// ---- registration --------------------------------------------------------------------------

// Registers operation/lib/doc; body runs the timed loop and returns the bytes of JSON text one
// iteration handles.
template <class Body>
void add(const std::string& op, const std::string& lib, const document& d, Body body) {
  benchmark::RegisterBenchmark(
      (op + "/" + lib + "/" + d.name).c_str(), [body](benchmark::State& st) {
        std::size_t bytes = body(st);
        st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * bytes));
      });
}

// A parse benchmark; dom(d) builds and checks the library's DOM once, outside the timing.
template <class Dom, class Parse>
void add_loads(const std::string& lib, const document& d, Dom dom, Parse parse) {
  add("loads", lib, d, [&d, dom, parse](benchmark::State& st) {
    dom(d);
    for (auto _ : st) parse(d.text);
    return d.text.size();
  });
}

// The bytes a writer benchmark reports for d: the length of pyjson's (that is, Python's) text
// in that layout, the same for every library, so that a ratio of MB/s is a ratio of times.
// Libraries lay out floats differently: Boost.JSON writes canada.json's -65.613616999999977 as
// -6.5613616999999977E1, and its whole text is 9% longer. Counted by its own output, the
// longer text would look 9% faster for the same time. Each library's own length is kept in
// the counter own_output_bytes.
std::size_t reference_bytes(const std::string& op, const document& d) {
  const pyjson::dump_options& opt = op == "dumps"           ? python_defaults
                                    : op == "dumps_compact" ? compact
                                                            : indented;
  return pyjson::dumps(pyjson_dom(d), opt).size();
}

// A writer benchmark on the library's DOM of d; write(dom) returns the bytes written.
template <class Dom, class Write>
void add_dumps(const std::string& op, const std::string& lib, const document& d, Dom dom,
               Write write) {
  add(op, lib, d, [&d, op, dom, write](benchmark::State& st) {
    const auto& v = dom(d);
    std::size_t n = 0;
    for (auto _ : st) n = write(v);
    st.counters["own_output_bytes"] = static_cast<double>(n);
    return reference_bytes(op, d);
  });
}

#if defined(PYJSON_BENCH_MEMORY)
// Bytes in use according to malloc's own books: uordblks (chunks in use in the heap) plus
// hblkhd (chunks mapped on their own, as large blocks are). It sees operator new and direct
// malloc alike (RapidJSON's CrtAllocator, simdjson's buffers) and includes malloc's per-chunk
// overhead, as a program pays it.
std::int64_t heap_in_use() {
  struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
}

// glibc's per-thread cache keeps freed chunks of each size up to 1032 bytes (7 of each by
// default), and mallinfo2 counts them as in use, which blurs a difference by up to ~200 KB.
// Allocating 16 chunks of each of those sizes empties it; of the bytes taken, those that came
// from the cache did not move uordblks, so heap_in_use() - bytes() is what was in use outside
// the cache before the drain.
class tcache_drain {
 public:
  tcache_drain() {
    std::size_t i = 0;
    for (std::size_t request = 24; request <= 1032; request += 16) {
      for (int k = 0; k < per_size; ++k, ++i) {
        blocks_[i] = std::malloc(request);
        require(blocks_[i] != nullptr, "malloc");
        bytes_ += static_cast<std::int64_t>(malloc_usable_size(blocks_[i]) + sizeof(std::size_t));
      }
    }
  }
  ~tcache_drain() {
    for (void* p : blocks_) std::free(p);
  }
  tcache_drain(const tcache_drain&) = delete;
  tcache_drain& operator=(const tcache_drain&) = delete;
  std::int64_t bytes() const { return bytes_; }

 private:
  static constexpr int per_size = 16;
  std::array<void*, 64 * per_size> blocks_{};
  std::int64_t bytes_ = 0;
};

// memory/lib/doc: heap growth from parsing d, with the resulting DOM still alive (and
// whatever the library keeps to hold it, such as simdjson's parser). prepare(d) makes the
// input outside the measurement; parse(input) returns the DOM. One iteration after a warm-up
// parse: the figure is the counter, not the time.
template <class Prepare, class Parse>
void measure_memory(benchmark::State& st, const document& d, const Prepare& prepare,
                    const Parse& parse) {
  auto input = prepare(d);
  benchmark::DoNotOptimize(parse(input));
  std::int64_t bytes = 0;
  for (auto _ : st) {
    // pyjson keeps freed blocks for reuse (PYJSON_BLOCK_CACHE_BYTES): give them back so that
    // this parse allocates, and is counted, like a first one.
    pyjson::release_cached_blocks();
    tcache_drain drained_before;
    std::int64_t before = heap_in_use();
    auto dom = parse(input);
    tcache_drain drained_after;
    bytes = heap_in_use() - drained_after.bytes() - before;
    benchmark::DoNotOptimize(dom);
  }
  st.counters["heap_bytes"] = static_cast<double>(bytes);
  st.counters["heap_bytes_per_input_byte"] =
      static_cast<double>(bytes) / static_cast<double>(d.text.size());
}

template <class Prepare, class Parse>
void add_memory(const std::string& lib, const document& d, Prepare prepare, Parse parse) {
  benchmark::RegisterBenchmark(("memory/" + lib + "/" + d.name).c_str(), [&d, prepare, parse](
                                                                             benchmark::State& st) {
    measure_memory(st, d, prepare, parse);
  })->Iterations(1);
}
#else
template <class Prepare, class Parse>
void add_memory(const std::string&, const document&, Prepare, Parse) {}
#endif

auto as_view = [](const document& d) { return std::string_view(d.text); };

void register_pyjson(const document& d) {
  add_loads("pyjson", d, pyjson_dom,
            [](std::string_view text) { benchmark::DoNotOptimize(pyjson::loads(text)); });
  add_dumps("dumps", "pyjson", d, pyjson_dom,
            [](const pyjson::value& v) { return written(pyjson::dumps(v)); });
  add_dumps("dumps_compact", "pyjson", d, pyjson_dom,
            [](const pyjson::value& v) { return written(pyjson::dumps(v, compact)); });
  if (d.indent)
    add_dumps("dumps_indent", "pyjson", d, pyjson_dom,
              [](const pyjson::value& v) { return written(pyjson::dumps(v, indented)); });
  add_memory("pyjson", d, as_view, [](std::string_view text) { return pyjson::loads(text); });
}

#if defined(PYJSON_BENCH_NLOHMANN)
const nlohmann::json& nlohmann_dom(const document& d) {
  return cached<nlohmann::json>(d, [](const document& doc) {
    auto j = std::make_unique<nlohmann::json>(nlohmann::json::parse(doc.text));
    check_peer_output(doc, "nlohmann", "compact", j->dump());
    if (doc.indent) check_peer_output(doc, "nlohmann", "indent", j->dump(4));
    return j;
  });
}

void register_nlohmann(const document& d) {
  add_loads("nlohmann", d, nlohmann_dom,
            [](std::string_view text) { benchmark::DoNotOptimize(nlohmann::json::parse(text)); });
  add_dumps("dumps_compact", "nlohmann", d, nlohmann_dom,
            [](const nlohmann::json& j) { return written(j.dump()); });
  if (d.indent)
    add_dumps("dumps_indent", "nlohmann", d, nlohmann_dom,
              [](const nlohmann::json& j) { return written(j.dump(4)); });
  add_memory("nlohmann", d, as_view,
             [](std::string_view text) { return nlohmann::json::parse(text); });
}
#endif

#if defined(PYJSON_BENCH_RAPIDJSON)
// Full precision: the default mode rounds some doubles inexactly. NaN and Infinity are
// accepted, as pyjson and Python do.
constexpr unsigned rapidjson_flags =
    rapidjson::kParseFullPrecisionFlag | rapidjson::kParseNanAndInfFlag;

std::unique_ptr<rapidjson::Document> rapidjson_parse(std::string_view text) {
  auto d = std::make_unique<rapidjson::Document>();
  d->Parse<rapidjson_flags>(text.data(), text.size());
  require(!d->HasParseError(), "rapidjson parse");
  return d;
}

// Writes d into sb with a Writer (compact or pretty).
template <class Writer>
void rapidjson_accept(const rapidjson::Document& d, rapidjson::StringBuffer& sb) {
  Writer w(sb);
  d.Accept(w);
}

template <class Writer>
std::string rapidjson_write(const rapidjson::Document& d) {
  rapidjson::StringBuffer sb;
  rapidjson_accept<Writer>(d, sb);
  return {sb.GetString(), sb.GetSize()};
}

// PrettyWriter with 4 spaces, its default, spelled out.
struct rapidjson_pretty_writer : rapidjson::PrettyWriter<rapidjson::StringBuffer> {
  explicit rapidjson_pretty_writer(rapidjson::StringBuffer& sb)
      : rapidjson::PrettyWriter<rapidjson::StringBuffer>(sb) {
    SetIndent(' ', 4);
  }
};

const rapidjson::Document& rapidjson_dom(const document& d) {
  return cached<rapidjson::Document>(d, [](const document& doc) {
    auto dom = rapidjson_parse(doc.text);
    check_peer_output(doc, "rapidjson", "compact",
                      rapidjson_write<rapidjson::Writer<rapidjson::StringBuffer>>(*dom));
    if (doc.indent)
      check_peer_output(doc, "rapidjson", "indent", rapidjson_write<rapidjson_pretty_writer>(*dom));
    return dom;
  });
}

// The timed form: the text stays in RapidJSON's buffer, as each library's own output does.
template <class Writer>
std::size_t rapidjson_written(const rapidjson::Document& d) {
  rapidjson::StringBuffer sb;
  rapidjson_accept<Writer>(d, sb);
  benchmark::DoNotOptimize(sb.GetString());
  return sb.GetSize();
}

void register_rapidjson(const document& d) {
  add_loads("rapidjson", d, rapidjson_dom, [](std::string_view text) {
    rapidjson::Document doc;
    doc.Parse<rapidjson_flags>(text.data(), text.size());
    require(!doc.HasParseError(), "rapidjson parse");
    benchmark::DoNotOptimize(doc);
  });
  add_dumps("dumps_compact", "rapidjson", d, rapidjson_dom,
            rapidjson_written<rapidjson::Writer<rapidjson::StringBuffer>>);
  if (d.indent)
    add_dumps("dumps_indent", "rapidjson", d, rapidjson_dom,
              rapidjson_written<rapidjson_pretty_writer>);
  add_memory("rapidjson", d, as_view, rapidjson_parse);
}
#endif

#if defined(PYJSON_BENCH_SIMDJSON)
// simdjson's DOM lives in its parser, which is reused between parses as its documentation
// advises. simdjson 3.0 has minify but no pretty printer: no dumps_indent.
struct simdjson_doc {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

const simdjson_doc& simdjson_dom(const document& d) {
  return cached<simdjson_doc>(d, [](const document& doc) {
    auto s = std::make_unique<simdjson_doc>();
    require(s->parser.parse(doc.text).get(s->root) == simdjson::SUCCESS, "simdjson parse");
    check_peer_output(doc, "simdjson_dom", "compact", simdjson::minify(s->root));
    return s;
  });
}

// The timed loop of simdjson's loads benchmarks: parser reused, as its documentation advises.
std::size_t time_simdjson_parse(benchmark::State& st, simdjson::dom::parser& parser,
                                const simdjson::padded_string& padded) {
  for (auto _ : st) {
    simdjson::dom::element root;
    require(parser.parse(padded).get(root) == simdjson::SUCCESS, "simdjson parse");
    benchmark::DoNotOptimize(root);
  }
  return padded.size();
}

void register_simdjson(const document& d) {
  add("loads", "simdjson_dom", d, [&d](benchmark::State& st) {
    simdjson_dom(d);
    simdjson::dom::parser parser;
    return time_simdjson_parse(st, parser, simdjson::padded_string(d.text));
  });
  // simdjson picks its kernel at run time: "haswell" (AVX2) on most x86-64 machines,
  // "icelake" (AVX-512) where the CPU has it, which read twitter.json and citm_catalog.json
  // 15-30% faster here. On such a CPU, simdjson_avx2 is the same parse with the AVX2 kernel,
  // so that one run gives pyjson's ratio to both. A parser keeps the kernel that was active
  // when it first allocated.
  const simdjson::implementation* avx2 = simdjson::get_available_implementations()["haswell"];
  if (avx2 && avx2->supported_by_runtime_system() &&
      simdjson::get_active_implementation()->name() != avx2->name()) {
    add("loads", "simdjson_avx2", d, [&d, avx2](benchmark::State& st) {
      simdjson::padded_string padded(d.text);
      simdjson::dom::parser parser;
      const simdjson::implementation* active = simdjson::get_active_implementation();
      simdjson::get_active_implementation() = avx2;
      require(parser.allocate(padded.size()) == simdjson::SUCCESS, "simdjson allocate");
      simdjson::get_active_implementation() = active;
      simdjson::dom::element root;
      require(parser.parse(padded).get(root) == simdjson::SUCCESS, "simdjson parse");
      require(simdjson::minify(root) == simdjson::minify(simdjson_dom(d).root),
              "simdjson's AVX2 kernel reads the same DOM");
      return time_simdjson_parse(st, parser, padded);
    });
  }
  add_dumps("dumps_compact", "simdjson_dom", d, simdjson_dom,
            [](const simdjson_doc& s) { return written(simdjson::minify(s.root)); });
  add_memory(
      "simdjson_dom", d, [](const document& doc) { return simdjson::padded_string(doc.text); },
      [](const simdjson::padded_string& padded) {
        auto parser = std::make_unique<simdjson::dom::parser>();
        simdjson::dom::element root;
        require(parser->parse(padded).get(root) == simdjson::SUCCESS, "simdjson parse");
        return parser;
      });
}
#endif

#if defined(PYJSON_BENCH_BOOST)
// Boost.JSON's default max_depth is 32; syn_deep nests 501 levels.
boost::json::value boost_parse(std::string_view text) {
  boost::json::parse_options opt;
  opt.max_depth = 1024;
  return boost::json::parse(text, {}, opt);
}

const boost::json::value& boost_dom(const document& d) {
  return cached<boost::json::value>(d, [](const document& doc) {
    auto v = std::make_unique<boost::json::value>(boost_parse(doc.text));
    check_peer_output(doc, "boost_json", "compact", boost::json::serialize(*v));
    return v;
  });
}

// Boost.JSON 1.81 has no pretty printer: no dumps_indent.
void register_boost(const document& d) {
  add_loads("boost_json", d, boost_dom,
            [](std::string_view text) { benchmark::DoNotOptimize(boost_parse(text)); });
  add_dumps("dumps_compact", "boost_json", d, boost_dom,
            [](const boost::json::value& v) { return written(boost::json::serialize(v)); });
  add_memory("boost_json", d, as_view, boost_parse);
}
#endif

// Typed loads<T> and dumps of T, checked once: what T holds, written out, reads back and
// writes the same bytes again.
template <class T>
void register_typed(const document& d) {
  T reference = pyjson::loads<T>(d.text);
  std::string written_text = pyjson::dumps(reference);
  require(pyjson::dumps(pyjson::loads<T>(written_text)) == written_text,
          d.name + ": typed round trip");
  add("loads_typed", "pyjson", d, [&d](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(pyjson::loads<T>(d.text));
    return d.text.size();
  });
  // The value that holds the same data as the struct (what loads gives for its text): typed
  // dumps is compared with dumps of this, which writes the same bytes.
  auto same_data = std::make_shared<const pyjson::value>(pyjson::to_value(reference));
  require(pyjson::dumps(*same_data) == written_text, d.name + ": typed and value write alike");
  auto object = std::make_shared<const T>(std::move(reference));
  add("dumps_typed", "pyjson", d, [object](benchmark::State& st) {
    std::size_t n = 0;
    for (auto _ : st) n = written(pyjson::dumps(*object));
    return n;
  });
  add("dumps_same_value", "pyjson", d, [same_data](benchmark::State& st) {
    std::size_t n = 0;
    for (auto _ : st) n = written(pyjson::dumps(*same_data));
    return n;
  });
}

// Typed loads of a struct without fields: the whole text is checked, as every typed read
// checks it (a syntax error anywhere is reported first, as Python reports it), and every
// member is skipped. No typed read of the document can be faster: the floor under
// loads_typed.
void register_typed_floor(const document& d) {
  // The text, not pyjson_dom(d): the DOM is built at the benchmark's first run, as for the
  // other benchmarks (built here, the heap around it differed and moved other figures).
  auto first = d.text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || d.text[first] != '{') return;
  add("loads_typed_empty", "pyjson", d, [&d](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(pyjson::loads<bench::nothing>(d.text));
    return d.text.size();
  });
}

void register_document(const document& d) {
  register_pyjson(d);
  register_typed_floor(d);
#if defined(PYJSON_BENCH_SIMDJSON)
  register_simdjson(d);
#endif
#if defined(PYJSON_BENCH_RAPIDJSON)
  register_rapidjson(d);
#endif
#if defined(PYJSON_BENCH_BOOST)
  register_boost(d);
#endif
#if defined(PYJSON_BENCH_NLOHMANN)
  register_nlohmann(d);
#endif
  if (d.name == "twitter") register_typed<bench::twitter>(d);
  if (d.name == "citm_catalog") register_typed<bench::citm_catalog>(d);
  if (d.name == "canada") register_typed<bench::canada>(d);
  if (d.name == "syn_records") register_typed<bench::records>(d);
  if (d.name == "numbers") register_typed<std::vector<double>>(d);  // one array of 10,001
}

// With PYJSON_BENCH_FRAGMENT_HEAP set (to anything but 0), the run starts from a heap such as a
// program leaves after a while: 200,000 small chunks (8 to 127 bytes, a fixed seed) of which
// every other one is freed again, so that malloc hands out small blocks from holes all over
// its memory. The chunks that stay are kept until exit.
std::vector<std::unique_ptr<char[]>> fragment_heap() {
  std::vector<std::unique_ptr<char[]>> chunks;
  const char* env = std::getenv("PYJSON_BENCH_FRAGMENT_HEAP");
  if (!env || std::string_view(env) == "" || std::string_view(env) == "0") return chunks;
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  chunks.reserve(200000);
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const auto size = static_cast<std::size_t>(8 + (state >> 33) % 120);
    chunks.emplace_back(new char[size]);
    chunks.back()[0] = static_cast<char>(i);
  }
  for (std::size_t i = 0; i < chunks.size(); i += 2) chunks[i].reset();
  return chunks;
}

}  // namespace

int main(int argc, char** argv) {
  const auto heap_chunks = fragment_heap();
  // Registered benchmarks refer to these until the end of main.
  std::vector<std::unique_ptr<document>> documents;
  for (const fs::path& p : data_files()) {
    documents.push_back(std::make_unique<document>(document{p.stem().string(), read_file(p)}));
  }
  constexpr std::size_t mib = std::size_t{1} << 20;
  namespace syn = bench::synthetic;
  documents.push_back(std::make_unique<document>(document{"syn_numbers", syn::numbers(2 * mib)}));
  documents.push_back(std::make_unique<document>(document{"syn_strings", syn::strings(2 * mib)}));
  documents.push_back(std::make_unique<document>(document{"syn_records", syn::records(2 * mib)}));
  documents.push_back(std::make_unique<document>(document{"syn_deep", syn::deep(mib, 500), false}));
  for (const auto& d : documents) register_document(*d);

#if defined(PYJSON_BENCH_SIMDJSON)
  // Figures move with the vector width a peer picks at run time (see register_simdjson);
  // pyjson itself is built for the compiler's baseline (SSE2, no -march).
  benchmark::AddCustomContext("simdjson_implementation",
                              simdjson::get_active_implementation()->name());
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  benchmark::AddCustomContext("cpu_avx512bw", __builtin_cpu_supports("avx512bw") ? "yes" : "no");
#endif
  benchmark::AddCustomContext("heap", heap_chunks.empty() ? "fresh" : "fragmented");
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
