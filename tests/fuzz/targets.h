// SPDX-License-Identifier: Apache-2.0
// The fuzz harnesses, callable as plain functions (the regression replay test calls them on every
// file under tests/fuzz/regressions/<target>/).
#pragma once

#include <cstddef>
#include <cstdint>

namespace trustsim::fuzz {

int policyParser(const std::uint8_t* data, std::size_t size);  // fuzz_policy_parser
int wildcard(const std::uint8_t* data, std::size_t size);      // fuzz_wildcard
int condition(const std::uint8_t* data, std::size_t size);     // fuzz_condition
int scenario(const std::uint8_t* data, std::size_t size);      // fuzz_scenario
int gaad(const std::uint8_t* data, std::size_t size);          // fuzz_gaad
int cases(const std::uint8_t* data, std::size_t size);         // fuzz_cases

}  // namespace trustsim::fuzz
