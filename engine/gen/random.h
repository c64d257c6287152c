// SPDX-License-Identifier: Apache-2.0
// The generator's random numbers: splitmix64 to derive seeds, xoshiro256** to draw. Our own
// code and integer-only, so a seed gives the same organisation with every compiler and standard
// library (std::uniform_int_distribution's output is not specified and differs between them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trustsim::gen {

__extension__ typedef unsigned __int128 Uint128;  // GCC/Clang; __extension__ keeps -Wpedantic quiet

// One step of splitmix64 (Steele, Lea, Flood 2014): a well-mixed 64-bit value from `state`.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for an independent stream (`stream` = an account's index, a purpose): each account's
// content depends only on (seed, its index), never on how much was drawn before it.
inline std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t s = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  splitmix64(s);
  return splitmix64(s);
}

// xoshiro256** (Blackman, Vigna 2018), state filled by splitmix64 as its authors recommend.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t& w : s_) w = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) for n > 0 (Lemire's multiply-shift; its bias is below 2^-40 for the small
  // n we draw, and, what matters here, it is the same everywhere).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<Uint128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // True with probability percent/100.
  bool percent(unsigned percent) { return below(100) < percent; }

  template <typename T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
  template <typename Vector>
  const typename Vector::value_type& pick(const Vector& items) {
    return items[below(items.size())];
  }

  // `n` characters drawn from `alphabet`.
  std::string chars(std::string_view alphabet, std::size_t n) {
    std::string out(n, ' ');
    for (char& c : out) c = alphabet[below(alphabet.size())];
    return out;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace trustsim::gen
