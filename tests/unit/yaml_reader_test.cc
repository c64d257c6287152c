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

// `n` aliases of one 20-value list.
std::string wide(int n) {
  std::string text =
      "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]\nb: [";
  for (int i = 0; i < n; ++i) text += i ? ", *a" : "*a";
  return text + "]\n";
}

TEST(YamlReader, AliasesMayAddAHundredThousandValues) {
  const auto r = readYaml(wide(4'000), "wide.yaml");  // 80,000 values from aliases
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value()["b"].size(), 4'000u);
  EXPECT_EQ(r.value()["b"][3'999][19], 20);
}

TEST(YamlReader, AliasesAddingMoreAreRefused) {
  // 6,000 aliases of 21 values: 126,000 values from a 30 KB file; far below 5 million, refused.
  const auto r = readYaml(wide(6'000), "wide.yaml");
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 1u) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.error()[0].code, "yaml.too_large");
  EXPECT_EQ(r.error()[0].where, "/b");
}

TEST(YamlReader, DeepNestingIsTooDeep) {
  std::string text = "top:\n";
  for (int i = 1; i <= 400; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  const auto r = readYaml(text, "deep.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].code, "yaml.too_deep");
  EXPECT_EQ(r.error()[0].where.rfind("/top/k/k/k", 0), 0u) << r.error()[0].where;
}

TEST(YamlReader, StringsMustBeUtf8) {
  // yaml-cpp passes bytes through; a string that is not UTF-8 would make nlohmann throw later.
  for (const std::string bad :
       {"\xA1", "caf\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    const auto r = readYaml("a:\n  b: \"x" + bad + "\"\n", "u.yaml");
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error()[0].code, "json.invalid_utf8");
    EXPECT_EQ(r.error()[0].where, "/a/b");
  }
  const auto key = readYaml("\"k\xFF\": 1\n", "u.yaml");
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error()[0].code, "json.invalid_utf8");
  const auto good = readYaml("a: \"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"\n", "u.yaml");
  ASSERT_TRUE(good.has_value()) << trustsim::testing::dump(good.error());
  EXPECT_EQ(good.value()["a"], "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(YamlReader, FloatsOutOfRange) {
  const auto big = readYaml("a: [1.0, -2.5e3, 1.0e999]\n", "f.yaml");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error()[0].code, "yaml.syntax");
  EXPECT_EQ(big.error()[0].where, "/a/2");
  const auto tiny = readYaml("a: 1.0e-400\n", "f.yaml");  // underflow is zero, not an error
  ASSERT_TRUE(tiny.has_value()) << trustsim::testing::dump(tiny.error());
  EXPECT_EQ(tiny.value()["a"], 0.0);
}

TEST(YamlReader, StrayTokenAfterADocumentIsASyntaxError) {
  // yaml-cpp 0.7's LoadAll loops forever, allocating, on these (jbeder/yaml-cpp#1319).
  for (const std::string text : {"{{}},", ",", "{a: 1},\n", "[1, 2]]\n"}) {
    const auto r = readYaml(text, "s.yaml");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error()[0].code, "yaml.syntax") << text << "\n"
                                                << trustsim::testing::dump(r.error());
  }
  EXPECT_EQ(readYaml("a: 1\n---\nb: 2\n", "s.yaml").error()[0].code, "yaml.unsupported");
  EXPECT_EQ(readYaml("# only a comment\n", "s.yaml").error()[0].code, "json.empty");
}

TEST(YamlReader, ByteOrderMarkBeforeJsonIsJson) {
  EXPECT_FALSE(looksLikeYaml("\xEF\xBB\xBF{\"a\": 1}"));
  EXPECT_FALSE(looksLikeYaml("\xEF\xBB\xBF  \n[1]"));
  EXPECT_TRUE(
      looksLikeYaml("\xEF\xBB\xBF"
                    "a: 1"));
  EXPECT_TRUE(looksLikeYaml("a: {}"));
  EXPECT_FALSE(looksLikeYaml(" {}"));
}

}  // namespace
}  // namespace trustsim::parse
