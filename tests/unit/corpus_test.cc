// SPDX-License-Identifier: Apache-2.0
// The request-case corpus (tests/corpus/*.json) replayed in process: one test per file.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <gtest/gtest.h>

#include "trustsim/cases.h"

namespace trustsim {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpusFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(TRUSTSIM_SOURCE_DIR) / "tests" / "corpus")) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<RequestCase> load(const fs::path& path) {
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cases = loadCases(text, path.string());
  EXPECT_TRUE(cases.has_value()) << path;
  return cases ? cases.value() : std::vector<RequestCase>{};
}

class CorpusTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(CorpusTest, EveryCaseMeetsItsExpectation) {
  for (const RequestCase& c : load(GetParam())) {
    ASSERT_TRUE(c.expected.has_value()) << c.id << ": corpus cases must say what they expect";
    EXPECT_FALSE(c.description.empty()) << c.id << ": corpus cases name the rule they pin";
    const Decision d = evaluate(c.request, c.policySet(), EvalOptions{true});
    EXPECT_EQ(toString(d.outcome), toString(*c.expected))
        << c.id << " — " << c.description << "\n  reason: " << d.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(corpusFiles()),
                         [](const auto& info) { return info.param.stem().string(); });

// The corpus must stay broad: 300+ cases, trust-policy and cross-account cases in the majority,
// and every outcome represented.
TEST(Corpus, IsBroadEnough) {
  std::size_t total = 0, trust_or_cross = 0;
  std::map<std::string, int> outcomes;
  for (const fs::path& p : corpusFiles()) {
    for (const RequestCase& c : load(p)) {
      ++total;
      const bool trust = isRoleTrustAction(c.request.action);
      const std::string pa = c.request.principal_account.value_or("");
      const std::string ra = c.request.resource_account.value_or("");
      const bool cross = !pa.empty() && !ra.empty() && pa != ra;
      trust_or_cross += (trust || cross) ? 1 : 0;
      outcomes[std::string(toString(*c.expected))]++;
    }
  }
  EXPECT_GE(total, 300u);
  EXPECT_GT(trust_or_cross * 2, total);
  for (const char* o : {"allowed", "explicitDeny", "implicitDeny", "invalidPolicy"}) {
    EXPECT_GT(outcomes[o], 0) << o;
  }
}

}  // namespace
}  // namespace trustsim
