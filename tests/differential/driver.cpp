// Differential test driver: runs a batch of cases through pyjson::loads and pyjson::dumps and
// writes every result, so compare_with_python.py can check them against python3's json module.
// SPDX-License-Identifier: MIT
//
// Usage: pyjson_differential_driver CASES_FILE RESULTS_FILE
//
// Both files are binary and length-prefixed, so any bytes (NUL, invalid UTF-8) pass through.
// Integers are little-endian: u8, u32, i32 and u64. A "blob" is a u32 length and that many bytes.
//
// Cases file:
//   "PYJDIFF1"                  magic, 8 bytes
//   u32 case_count
//   per case:
//     blob input                the text given to pyjson::loads
//     u8 strict, u8 allow_nan   load_options (max_depth stays at its default)
//     u32 option_set_count
//     per option set (dump_options):
//       u8 skipkeys, u8 ensure_ascii, u8 allow_nan, u8 sort_keys
//       u8 indent_kind          0: absent (None), 1: i32 spaces follows, 2: blob text follows
//       u8 has_separators       1: blob item separator and blob key separator follow
//
// Results file, one record per case, flushed after each so that the records before a crash
// survive (the script then knows which case crashed):
//   u32 case_index
//   u8 status                   0: loads returned a value, 1: loads threw
//   status 1:  blob exception_type, blob what, and for decode_error also
//              blob msg, u64 pos, u64 lineno, u64 colno, u64 byte_pos
//   status 0:  per option set: u8 status (0: dumps returned, 1: dumps threw), then
//              blob output, or blob exception_type and blob what

#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <pyjson.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

/// Reads the little-endian fields of the cases file; any overrun is a format error.
class input_reader {
 public:
  explicit input_reader(std::string data) : data_(std::move(data)) {}

  std::string_view bytes(std::size_t n) {
    if (data_.size() - pos_ < n) throw std::runtime_error("cases file is truncated");
    std::string_view s(data_.data() + pos_, n);
    pos_ += n;
    return s;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes(1)[0]); }
  std::uint32_t u32() {
    std::string_view s = bytes(4);
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[i]);
    return v;
  }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::string blob() { return std::string(bytes(u32())); }
  bool at_end() const noexcept { return pos_ == data_.size(); }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

/// Appends results to a buffer that is flushed to the file once per case.
class output_writer {
 public:
  explicit output_writer(std::FILE* f) : f_(f) {}

  void u8(std::uint8_t v) { buf_ += static_cast<char>(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) buf_ += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) buf_ += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  void blob(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    buf_ += s;
  }
  void flush() {
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size() || std::fflush(f_) != 0)
      throw std::runtime_error("writing the results file failed");
    buf_.clear();
  }

 private:
  std::FILE* f_;
  std::string buf_;
};

struct test_case {
  std::string input;
  pyjson::load_options load;
  std::vector<pyjson::dump_options> dumps;
};

pyjson::dump_options read_dump_options(input_reader& in) {
  pyjson::dump_options o;
  o.skipkeys = in.u8() != 0;
  o.ensure_ascii = in.u8() != 0;
  o.allow_nan = in.u8() != 0;
  o.sort_keys = in.u8() != 0;
  switch (in.u8()) {
    case 0: break;
    case 1: o.indent = static_cast<int>(in.i32()); break;
    case 2: o.indent = in.blob(); break;
    default: throw std::runtime_error("cases file: bad indent kind");
  }
  if (in.u8() != 0) {
    std::string item = in.blob();
    std::string key = in.blob();
    o.separators = std::make_pair(std::move(item), std::move(key));
  }
  return o;
}

test_case read_case(input_reader& in) {
  test_case c;
  c.input = in.blob();
  c.load.strict = in.u8() != 0;
  c.load.allow_nan = in.u8() != 0;
  std::uint32_t n = in.u32();
  for (std::uint32_t i = 0; i < n; ++i) c.dumps.push_back(read_dump_options(in));
  return c;
}

// The most derived pyjson exception type, by name; the comparison script maps Python's
// exception types to these names.
void write_exception(output_writer& out, const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const pyjson::decode_error& x) {
    out.blob("decode_error");
    out.blob(x.what());
    out.blob(x.msg());
    out.u64(x.pos());
    out.u64(x.lineno());
    out.u64(x.colno());
    out.u64(x.byte_pos());
  } catch (const pyjson::value_error& x) {
    out.blob("value_error");
    out.blob(x.what());
  } catch (const pyjson::type_error& x) {
    out.blob("type_error");
    out.blob(x.what());
  } catch (const pyjson::error& x) {
    out.blob("error");
    out.blob(x.what());
  } catch (const std::exception& x) {
    out.blob("std::exception");
    out.blob(x.what());
  } catch (...) {
    out.blob("unknown");
    out.blob("");
  }
}

void run_case(output_writer& out, std::uint32_t index, const test_case& c) {
  out.u32(index);
  std::optional<pyjson::value> v;
  std::exception_ptr error;
  try {
    v = pyjson::loads(c.input, c.load);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    out.u8(1);
    write_exception(out, error);
    return;
  }
  out.u8(0);
  for (const pyjson::dump_options& o : c.dumps) {
    std::string text;
    std::exception_ptr dump_error;
    try {
      text = pyjson::dumps(*v, o);
    } catch (...) {
      dump_error = std::current_exception();
    }
    if (dump_error) {
      out.u8(1);
      write_exception(out, dump_error);
    } else {
      out.u8(0);
      out.blob(text);
    }
  }
}

int run(const char* cases_path, const char* results_path) {
  std::ifstream file(cases_path, std::ios::binary);
  if (!file) throw std::runtime_error(std::string("cannot open ") + cases_path);
  input_reader in(std::string(std::istreambuf_iterator<char>(file), {}));
  if (in.bytes(8) != "PYJDIFF1") throw std::runtime_error("cases file: bad magic");
  std::uint32_t count = in.u32();

  std::FILE* f = std::fopen(results_path, "wb");
  if (!f) throw std::runtime_error(std::string("cannot open ") + results_path);
  output_writer out(f);
  for (std::uint32_t i = 0; i < count; ++i) {
    test_case c = read_case(in);
    run_case(out, i, c);
    out.flush();
  }
  if (!in.at_end()) throw std::runtime_error("cases file: data after the last case");
  return std::fclose(f) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " CASES_FILE RESULTS_FILE\n";
    return 2;
  }
  try {
    return run(argv[1], argv[2]);
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << "\n";
    return 2;
  }
}
