// SPDX-License-Identifier: Apache-2.0
// What every fuzz harness shares: a small reader that turns fuzz bytes into choices and strings
// (clang's FuzzedDataProvider is not on gcc's include path, and the harnesses also build with gcc
// to replay the regression corpus), and the entry-point macro.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace trustsim::fuzz {

// Reads choices from the front of the input; `rest()` hands out what is left. Every read is
// total: an exhausted input reads as zeros and empty strings, so any byte string is a valid input.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  std::uint8_t byte() { return pos_ < size_ ? static_cast<std::uint8_t>(data_[pos_++]) : 0; }
  bool flag() { return (byte() & 1) != 0; }
  // A number in [0, n); n must be positive.
  std::size_t below(std::size_t n) { return byte() % n; }
  // A string of at most `max` bytes: a length byte, then the bytes.
  std::string_view string(std::size_t max) {
    const std::size_t want = below(max + 1);
    const std::size_t n = want < size_ - pos_ ? want : size_ - pos_;
    const std::string_view s(data_ + pos_, n);
    pos_ += n;
    return s;
  }
  // The bytes up to (not including) the next `separator`, which is consumed; or all that is left.
  std::string_view until(char separator) {
    const std::string_view all(data_ + pos_, size_ - pos_);
    const std::size_t at = all.find(separator);
    if (at == std::string_view::npos) {
      pos_ = size_;
      return all;
    }
    pos_ += at + 1;
    return all.substr(0, at);
  }
  std::string_view rest() {
    const std::string_view all(data_ + pos_, size_ - pos_);
    pos_ = size_;
    return all;
  }
  bool empty() const { return pos_ >= size_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// A broken invariant is a finding: print it and abort, so libFuzzer saves the input (and a
// replay under gtest dies loudly). Never used to swallow anything.
[[noreturn]] inline void invariantFailed(const char* harness, const char* what) {
  std::fprintf(stderr, "%s: invariant broken: %s\n", harness, what);
  std::abort();
}

}  // namespace trustsim::fuzz

#define TRUSTSIM_FUZZ_CHECK(cond, harness, what)        \
  do {                                                  \
    if (!(cond)) {                                      \
      ::trustsim::fuzz::invariantFailed(harness, what); \
    }                                                   \
  } while (0)

// Each harness defines `int NAME(const uint8_t*, size_t)` in trustsim::fuzz and ends with
// TRUSTSIM_FUZZ_TARGET(NAME). In the libFuzzer build (TRUSTSIM_FUZZ_MAIN) that is the fuzzer's
// entry point; in the gcc build the replay test calls NAME directly on every saved input.
#ifdef TRUSTSIM_FUZZ_MAIN
#define TRUSTSIM_FUZZ_TARGET(name)                                                    \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    return ::trustsim::fuzz::name(data, size);                                        \
  }
#else
#define TRUSTSIM_FUZZ_TARGET(name)
#endif
