// SPDX-License-Identifier: Apache-2.0
// Replays every saved fuzz input through its harness in an ordinary build: the crashes libFuzzer
// found (tests/fuzz/regressions/<harness>/) and the hand-made seeds (tests/fuzz/seeds/<harness>/).
// A harness aborts on a broken invariant, so a regression fails here even without sanitizers (and
// under TRUSTSIM_SANITIZE the sanitizers see the same inputs). One test per file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "targets.h"

namespace trustsim::fuzz {
namespace {

namespace fs = std::filesystem;

using Harness = int (*)(const std::uint8_t*, std::size_t);

struct Entry {
  const char* name;
  Harness run;
};
constexpr Entry kHarnesses[] = {
    {"policy_parser", &policyParser}, {"wildcard", &wildcard}, {"condition", &condition},
    {"scenario", &scenario},          {"gaad", &gaad},         {"cases", &cases},
};

struct Input {
  std::string harness;
  fs::path file;
};

std::vector<Input> savedInputs() {
  std::vector<Input> out;
  for (const char* kind : {"regressions", "seeds"}) {
    for (const Entry& e : kHarnesses) {
      const fs::path dir = fs::path(TRUSTSIM_FUZZ_DIR) / kind / e.name;
      if (!fs::is_directory(dir)) continue;
      for (const auto& f : fs::directory_iterator(dir)) {
        if (f.is_regular_file() && f.path().filename() != "README.md")
          out.push_back({e.name, f.path()});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Input& a, const Input& b) { return a.file < b.file; });
  return out;
}

void PrintTo(const Input& input, std::ostream* os) { *os << input.file.string(); }

class FuzzReplay : public ::testing::TestWithParam<Input> {};

TEST_P(FuzzReplay, RunsCleanly) {
  const Input& input = GetParam();
  std::ifstream in(input.file, std::ios::binary);
  ASSERT_TRUE(in) << input.file;
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  for (const Entry& e : kHarnesses) {
    if (input.harness == e.name) {
      // The harness returns 0 or aborts (a broken invariant, a sanitizer report).
      EXPECT_EQ(e.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0)
          << input.file;
      return;
    }
  }
  FAIL() << "no harness " << input.harness;
}

TEST(FuzzReplay, EveryHarnessHasSavedInputs) {
  // A harness without a single saved input would silently replay nothing.
  for (const Entry& e : kHarnesses) {
    const auto all = savedInputs();
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const Input& i) {
      return i.harness == e.name;
    })) << e.name;
  }
}

INSTANTIATE_TEST_SUITE_P(Saved, FuzzReplay, ::testing::ValuesIn(savedInputs()),
                         [](const auto& info) {
                           std::string name =
                               info.param.file.parent_path().parent_path().filename().string() +
                               "_" + info.param.harness + "_" + info.param.file.filename().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace trustsim::fuzz
