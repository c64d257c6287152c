// SPDX-License-Identifier: Apache-2.0
// The YAML reader's limits: alias expansion is sized before anything is expanded (billion laughs),
// nesting, and telling JSON from YAML when a byte order mark comes first.
#include "parse/yaml_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace trustsim::parse {
namespace {

// `levels` levels of nine aliases each to the level below, under keys l0, l1, ...
std::string laughs(int levels) {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < levels; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 9; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  return text;
}

TEST(YamlReader, BillionLaughsIsRefusedAtTheFirstKeyPastTheLimit) {
  // l6 alone expands to 9^7 + ... ≈ 5.4 million values, past the 5 million limit; l0..l5 do not.
  const auto r = readYaml(laughs(9), "bomb.yaml");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 1u) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.error()[0].code, "yaml.too_large");
  EXPECT_EQ(r.error()[0].where, "/l6");
  EXPECT_NE(r.error()[0].message.find("line 7"), std::string::npos) << r.error()[0].message;
}

TEST(YamlReader, AliasesBelowTheLimitAreExpanded) {
  const auto r = readYaml(laughs(4), "ok.yaml");  // 9^4 leaves
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value()["l3"][8][8][8][8], "x");
}

TEST(YamlReader, OneAnchorAliasedManyTimesIsSizedOnce) {
  // 50,000 aliases of a 20-value list: a million values, under the limit, sized in one pass.
  std::string text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\nb: [";
  for (int i = 0; i < 50'000; ++i) text += i ? ", *a" : "*a";
  text += "]\n";
  const auto r = readYaml(text, "wide.yaml");
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value()["b"].size(), 50'000u);
}

TEST(YamlReader, DeepNestingIsTooDeep) {
  std::string text = "top:\n";
  for (int i = 1; i <= 400; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  const auto r = readYaml(text, "deep.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].code, "yaml.too_deep");
  EXPECT_EQ(r.error()[0].where.rfind("/top/k/k/k", 0), 0u) << r.error()[0].where;
}

TEST(YamlReader, ByteOrderMarkBeforeJsonIsJson) {
  EXPECT_FALSE(looksLikeYaml("\xEF\xBB\xBF{\"a\": 1}"));
  EXPECT_FALSE(looksLikeYaml("\xEF\xBB\xBF  \n[1]"));
  EXPECT_TRUE(looksLikeYaml("\xEF\xBB\xBF" "a: 1"));
  EXPECT_TRUE(looksLikeYaml("a: {}"));
  EXPECT_FALSE(looksLikeYaml(" {}"));
}

}  // namespace
}  // namespace trustsim::parse
