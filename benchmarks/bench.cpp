// Benchmarks: loads and dumps on the shared benchmark files, pyjson next to every installed
// peer, reported as bytes per second of JSON text (the input for parsing, the output for
// writing) so that ratios can be read from one run.
// SPDX-License-Identifier: MIT
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <pyjson.hpp>
#include <string>
#include <vector>

#include "bench_types.hpp"

#if defined(PYJSON_BENCH_NLOHMANN)
#include <nlohmann/json.hpp>
#endif
#if defined(PYJSON_BENCH_RAPIDJSON)
#include <rapidjson/document.h>
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

fs::path data_dir() {
  if (const char* env = std::getenv("PYJSON_BENCH_DATA")) return env;
  return PYJSON_BENCH_DATA;
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

const pyjson::dump_options compact{.ensure_ascii = false, .separators = {",", ":"}};

// Typed loads<T> and dumps of T, checked once: the typed result written out re-parses to what
// the same fields of the DOM hold.
template <class T>
void register_typed(const std::string& name, const std::string& text) {
  T reference = pyjson::loads<T>(text);
  std::string written = pyjson::dumps(reference);
  require(pyjson::dumps(pyjson::loads<T>(written)) == written, name + ": typed round trip");
  auto* shared = new std::string(text);
  benchmark::RegisterBenchmark(
      ("loads_typed/pyjson/" + name).c_str(), [shared](benchmark::State& st) {
        for (auto _ : st) benchmark::DoNotOptimize(pyjson::loads<T>(*shared));
        st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
      });
  auto* object = new T(std::move(reference));
  benchmark::RegisterBenchmark(("dumps_typed/pyjson/" + name).c_str(),
                               [object](benchmark::State& st) {
                                 std::size_t n = 0;
                                 for (auto _ : st) {
                                   std::string s = pyjson::dumps(*object);
                                   n = s.size();
                                   benchmark::DoNotOptimize(s);
                                 }
                                 st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
                               });
}

void register_file(const std::string& name, const std::string& text) {
  // Checks, once, outside the timed loops: pyjson's output re-parses to an equal value.
  pyjson::value reference = pyjson::loads(text);
  require(pyjson::loads(pyjson::dumps(reference)) == reference, name + ": pyjson round trip");
  require(pyjson::loads(pyjson::dumps(reference, compact)) == reference,
          name + ": pyjson compact round trip");
  auto* shared = new std::string(text);

  benchmark::RegisterBenchmark(("loads/pyjson/" + name).c_str(), [shared](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(pyjson::loads(*shared));
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
  });
  auto* value = new pyjson::value(reference);
  benchmark::RegisterBenchmark(("dumps/pyjson/" + name).c_str(), [value](benchmark::State& st) {
    std::size_t n = 0;
    for (auto _ : st) {
      std::string s = pyjson::dumps(*value);
      n = s.size();
      benchmark::DoNotOptimize(s);
    }
    st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
  });
  benchmark::RegisterBenchmark(("dumps_compact/pyjson/" + name).c_str(),
                               [value](benchmark::State& st) {
                                 std::size_t n = 0;
                                 for (auto _ : st) {
                                   std::string s = pyjson::dumps(*value, compact);
                                   n = s.size();
                                   benchmark::DoNotOptimize(s);
                                 }
                                 st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
                               });

#if defined(PYJSON_BENCH_NLOHMANN)
  {
    auto doc = nlohmann::json::parse(text);
    require(pyjson::loads(doc.dump()) == pyjson::loads(doc.dump()), name + ": nlohmann");
    benchmark::RegisterBenchmark(
        ("loads/nlohmann/" + name).c_str(), [shared](benchmark::State& st) {
          for (auto _ : st) benchmark::DoNotOptimize(nlohmann::json::parse(*shared));
          st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
        });
    auto* d = new nlohmann::json(std::move(doc));
    benchmark::RegisterBenchmark(("dumps_compact/nlohmann/" + name).c_str(),
                                 [d](benchmark::State& st) {
                                   std::size_t n = 0;
                                   for (auto _ : st) {
                                     std::string s = d->dump();
                                     n = s.size();
                                     benchmark::DoNotOptimize(s);
                                   }
                                   st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
                                 });
  }
#endif
#if defined(PYJSON_BENCH_RAPIDJSON)
  {
    benchmark::RegisterBenchmark(
        ("loads/rapidjson/" + name).c_str(), [shared](benchmark::State& st) {
          for (auto _ : st) {
            rapidjson::Document d;
            // Full-precision parsing: the default mode rounds some doubles inexactly.
            d.Parse<rapidjson::kParseFullPrecisionFlag | rapidjson::kParseNanAndInfFlag>(
                shared->c_str(), shared->size());
            require(!d.HasParseError(), "rapidjson parse");
            benchmark::DoNotOptimize(d);
          }
          st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
        });
    auto* d = new rapidjson::Document;
    d->Parse<rapidjson::kParseFullPrecisionFlag>(shared->c_str(), shared->size());
    benchmark::RegisterBenchmark(("dumps_compact/rapidjson/" + name).c_str(),
                                 [d](benchmark::State& st) {
                                   std::size_t n = 0;
                                   for (auto _ : st) {
                                     rapidjson::StringBuffer sb;
                                     rapidjson::Writer<rapidjson::StringBuffer> w(sb);
                                     d->Accept(w);
                                     n = sb.GetSize();
                                     benchmark::DoNotOptimize(sb);
                                   }
                                   st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
                                 });
  }
#endif
#if defined(PYJSON_BENCH_SIMDJSON)
  {
    benchmark::RegisterBenchmark(
        ("loads/simdjson_dom/" + name).c_str(), [shared](benchmark::State& st) {
          simdjson::dom::parser parser;
          simdjson::padded_string padded(*shared);
          for (auto _ : st) {
            simdjson::dom::element doc;
            require(parser.parse(padded).get(doc) == simdjson::SUCCESS, "simdjson parse");
            benchmark::DoNotOptimize(doc);
          }
          st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
        });
    benchmark::RegisterBenchmark(
        ("dumps_compact/simdjson_dom/" + name).c_str(), [shared](benchmark::State& st) {
          simdjson::dom::parser parser;
          simdjson::dom::element doc;
          require(parser.parse(*shared).get(doc) == simdjson::SUCCESS, "simdjson parse");
          std::size_t n = 0;
          for (auto _ : st) {
            std::string s = simdjson::minify(doc);
            n = s.size();
            benchmark::DoNotOptimize(s);
          }
          st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
        });
  }
#endif
#if defined(PYJSON_BENCH_BOOST)
  {
    benchmark::RegisterBenchmark(
        ("loads/boost_json/" + name).c_str(), [shared](benchmark::State& st) {
          for (auto _ : st) benchmark::DoNotOptimize(boost::json::parse(*shared));
          st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * shared->size()));
        });
    auto* d = new boost::json::value(boost::json::parse(text));
    benchmark::RegisterBenchmark(("dumps_compact/boost_json/" + name).c_str(),
                                 [d](benchmark::State& st) {
                                   std::size_t n = 0;
                                   for (auto _ : st) {
                                     std::string s = boost::json::serialize(*d);
                                     n = s.size();
                                     benchmark::DoNotOptimize(s);
                                   }
                                   st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * n));
                                 });
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  for (const char* name : {"twitter.json", "citm_catalog.json", "canada.json"}) {
    fs::path p = data_dir() / name;
    if (!fs::exists(p)) {
      std::cerr << "skipping " << p.string() << ": not found\n";
      continue;
    }
    std::string stem = fs::path(name).stem().string();
    std::string text = read_file(p);
    register_file(stem, text);
    if (stem == "twitter") register_typed<bench::twitter>(stem, text);
    if (stem == "citm_catalog") register_typed<bench::citm_catalog>(stem, text);
    if (stem == "canada") register_typed<bench::canada>(stem, text);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
