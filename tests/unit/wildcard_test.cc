// SPDX-License-Identifier: Apache-2.0
// The compiled IAM glob (aws-semantics §7.2 StringLike, §8.1 Action, §8.2 Resource, §8.3): each
// mode's rules as case tables, literal pieces, and patterns that would hang a backtracking matcher.
#include "trustsim/wildcard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trustsim {
namespace {

using Mode = Wildcard::Mode;

struct MatchCase {
  const char* pattern;
  const char* text;
  bool matches;
};

void expectMatch(Mode mode, const MatchCase& c) {
  EXPECT_EQ(Wildcard::compile(c.pattern, mode).matches(c.text), c.matches)
      << "pattern `" << c.pattern << "` text `" << c.text << "`";
}

// ---------------------------------------------------------------------------------------------
// Plain mode (StringLike): `*` any run including `/` and `:`, `?` exactly one character.

TEST(Wildcard, PlainExactIsCaseSensitiveWholeString) {
  constexpr MatchCase kCases[] = {
      {"abc", "abc", true},  {"abc", "abd", false},  {"abc", "ab", false}, {"abc", "abcd", false},
      {"abc", "ABC", false}, {"abc", "xabc", false}, {"", "", true},       {"", "a", false},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Plain, c);
  }
}

TEST(Wildcard, PlainStarMatchesAnyRunIncludingEmptySlashAndColon) {
  constexpr MatchCase kCases[] = {
      {"*", "", true},
      {"*", "anything/with:colons", true},
      {"**", "x", true},
      {"a*", "a", true},
      {"a*", "a/b:c", true},
      {"arn:*:x", "arn:a:b:x", true},
      {"*Object", "s3:GetObject", true},
      {"*Object", "s3:GetObjects", false},
      {"*Object", "Object", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Plain, c);
  }
}

TEST(Wildcard, PlainQuestionMarkMatchesExactlyOneCharacter) {
  constexpr MatchCase kCases[] = {
      {"a?c", "abc", true},  {"a?c", "ac", false}, {"a?c", "abbc", false}, {"a?c", "a:c", true},
      {"a?c", "a/c", true},  {"?", "", false},     {"?", "x", true},       {"??", "x", false},
      {"*?", "", false},     {"*?", "x", true},    {"?*", "xyz", true},    {"a?*c", "ac", false},
      {"a?*c", "abc", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Plain, c);
  }
}

TEST(Wildcard, PlainPrefixPattern) {
  constexpr MatchCase kCases[] = {
      {"s3:Get*", "s3:GetObject", true},   {"s3:Get*", "s3:Get", true},
      {"s3:Get*", "s3:Ge", false},         {"s3:Get*", "s3:PutObject", false},
      {"s3:Get*", "xs3:GetObject", false},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Plain, c);
  }
}

TEST(Wildcard, PlainMiddlePiecesMustAppearInOrder) {
  constexpr MatchCase kCases[] = {
      {"a*b*c", "abc", true},    {"a*b*c", "aXbYc", true},     {"a*b*c", "acb", false},
      {"a*b*c", "abcabc", true}, {"a*b*c", "ab", false},       {"*ab*ab*", "abab", true},
      {"*ab*ab*", "aab", false}, {"*ab*ab*", "xabyabz", true}, {"a*a", "a", false},
      {"a*a", "aa", true},       {"a*a*a", "aaa", true},       {"a*a*a", "aa", false},
      {"a*?b*c", "axbc", true},  {"a*?b*c", "abc", false},     {"*a?c*", "zzabczz", true},
      {"x*y*x", "xyx", true},    {"x*y*x", "xy", false},       {"a**b", "ab", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Plain, c);
  }
}

// ---------------------------------------------------------------------------------------------
// Folded mode (Action): the pattern is folded at compile time; the caller folds the text.

TEST(Wildcard, FoldedPatternMatchesFoldedText) {
  constexpr MatchCase kCases[] = {
      {"S3:GetObject", "s3:getobject", true},   {"s3:Get*", "s3:getobject", true},
      {"S3:GET?BJECT", "s3:getobject", true},   {"IAM:*", "iam:createrole", true},
      {"sts:Assume*", "sts:tagsession", false}, {"*", "sts:assumerole", true},
      {"sts:*Role", "sts:assumerole", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::Folded, c);
  }
}

TEST(Wildcard, FoldedCompilesPatternToLowerCase) {
  EXPECT_EQ(Wildcard::compile("S3:GetObject", Mode::Folded).text(), "s3:getobject");
  EXPECT_EQ(Wildcard::compile("STS:Assume?ole", Mode::Folded).text(), "sts:assume?ole");
  // The contract: matches() expects folded text; an unfolded text is compared as given.
  EXPECT_FALSE(Wildcard::compile("s3:GetObject", Mode::Folded).matches("s3:GetObject"));
}

// text() is the whole pattern as compiled, whatever the matcher kind.
TEST(Wildcard, TextIsTheWholeCompiledPattern) {
  struct Case {
    const char* pattern;
    Mode mode;
    const char* text;
  };
  constexpr Case kCases[] = {
      {"s3:Get*", Mode::Plain, "s3:Get*"},
      {"STS:Assume*", Mode::Folded, "sts:assume*"},
      {"arn:aws:iam::*", Mode::ResourceArn, "arn:aws:iam::*"},
      {"a*b", Mode::Plain, "a*b"},
      {"abc", Mode::Plain, "abc"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Wildcard::compile(c.pattern, c.mode).text(), c.text)
        << "pattern `" << c.pattern << "`";
  }
}

// ---------------------------------------------------------------------------------------------
// ResourceArn mode (aws-semantics §8.2).

TEST(Wildcard, ResourceArnExactAndLoneStar) {
  constexpr MatchCase kCases[] = {
      {"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
      {"arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false},  // case-sensitive
      {"arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false},
      {"*", "arn:aws:s3:::bucket", true},
      {"*", "*", true},
      {"*", "", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, ResourceArnStarEndingPatternCrossesColons) {
  constexpr MatchCase kCases[] = {
      {"arn:aws:iam::*", "arn:aws:iam::111122223333:role/x", true},
      {"arn:*", "arn:aws:s3:::bucket", true},
      {"arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/a/b/c", true},
      {"arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/a:b", true},
      {"arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:user/a", false},
      {"arn:aws:iam::111122223333:role/Deploy*", "arn:aws:iam::111122223333:role/Deploy", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, ResourceArnStarEndingSegmentCrossesColons) {
  constexpr MatchCase kCases[] = {
      {"arn:aws:iam::*:role/Deploy", "arn:aws:iam::111122223333:role/Deploy", true},
      {"arn:aws:iam::*:role/Deploy", "arn:aws:iam::1:2:role/Deploy", true},
      {"arn:aws:iam::*:role/Deploy", "arn:aws:iam::111122223333:role/Other", false},
      {"arn:aws:s3:::*:x", "arn:aws:s3:::a:b:x", true},
      // The aws-semantics §7.2 example: the region `*` ends its segment, so in Resource it may
      // swallow the colons of `store/abc:111122223333` (ArnLike does not: condition_ops_test).
      {"arn:aws:svc:*:111122223333:finance/*",
       "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/doc", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, ResourceArnStarInsideSegmentStaysInSegment) {
  constexpr MatchCase kCases[] = {
      {"arn:aws:s3:::my*bucket", "arn:aws:s3:::my-bucket", true},
      {"arn:aws:s3:::my*bucket", "arn:aws:s3:::mybucket", true},
      {"arn:aws:s3:::my*bucket", "arn:aws:s3:::my:bucket", false},
      {"arn:aws:iam::11*11:role/x", "arn:aws:iam::1122221111:role/x", true},
      {"arn:aws:iam::11*11:role/x", "arn:aws:iam::11:22:11:role/x", false},
      {"arn:aws:s3:::b*/x*", "arn:aws:s3:::bk/x:y", true},
      {"arn:aws:s3:::b*/x*", "arn:aws:s3:::b:k/x", false},
      {"arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a/b/x", true},
      {"arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a:b/x", false},
      // `**` mid-segment stays mid-segment; a run ending the segment may cross.
      {"arn:aws:s3:::a**b", "arn:aws:s3:::a:b", false},
      {"arn:aws:s3:::a**", "arn:aws:s3:::a:b", true},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, ResourceArnQuestionMarkIsOneNonColonCharacter) {
  constexpr MatchCase kCases[] = {
      {"arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", true},
      {"arn:aws:s3:::a?b", "arn:aws:s3:::a:b", false},
      {"arn:aws:s3:::a?b", "arn:aws:s3:::ab", false},
      {"arn:aws:s3:::a?b", "arn:aws:s3:::a/b", true},
      {"arn:aws:s3:::ab?", "arn:aws:s3:::ab:", false},
      {"arn:aws:iam::?:role/x", "arn:aws:iam:::role/x", false},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, ResourceArnEmptySegmentAndShortPattern) {
  constexpr MatchCase kCases[] = {
      // An empty segment only matches empty.
      {"arn:aws:iam::111122223333:role/x", "arn:aws:iam:us-east-1:111122223333:role/x", false},
      // A short pattern that does not end in `*` matches no full ARN.
      {"arn:aws:s3", "arn:aws:s3:::bucket", false},
      {"arn:aws:s3:::", "arn:aws:s3:::bucket", false},
  };
  for (const MatchCase& c : kCases) {
    expectMatch(Mode::ResourceArn, c);
  }
}

TEST(Wildcard, SamePatternDiffersBetweenPlainAndResourceArn) {
  // Plain `*` crosses colons anywhere; ResourceArn confines a mid-segment star.
  EXPECT_TRUE(Wildcard::compile("arn:aws:s3:::a*b", Mode::Plain).matches("arn:aws:s3:::a:x:b"));
  EXPECT_FALSE(
      Wildcard::compile("arn:aws:s3:::a*b", Mode::ResourceArn).matches("arn:aws:s3:::a:x:b"));
  EXPECT_TRUE(Wildcard::compile("a?b", Mode::Plain).matches("a:b"));
  EXPECT_FALSE(Wildcard::compile("a?b", Mode::ResourceArn).matches("a:b"));
}

// ---------------------------------------------------------------------------------------------
// Accessors and literal pieces.

TEST(Wildcard, IsLiteralAndMatchesEverything) {
  struct Case {
    const char* pattern;
    Mode mode;
    bool literal;
    bool everything;
  };
  constexpr Case kCases[] = {
      {"abc", Mode::Plain, true, false},
      {"", Mode::Plain, true, false},
      {"*", Mode::Plain, false, true},
      {"**", Mode::Plain, false, true},
      {"*", Mode::Folded, false, true},
      {"*", Mode::ResourceArn, false, true},
      {"a*", Mode::Plain, false, false},
      {"a?", Mode::Plain, false, false},
      {"arn:aws:s3:::b", Mode::ResourceArn, true, false},
      {"arn:*", Mode::ResourceArn, false, false},
  };
  for (const Case& c : kCases) {
    const Wildcard w = Wildcard::compile(c.pattern, c.mode);
    EXPECT_EQ(w.isLiteral(), c.literal) << "pattern `" << c.pattern << "`";
    EXPECT_EQ(w.matchesEverything(), c.everything) << "pattern `" << c.pattern << "`";
  }
}

TEST(Wildcard, DefaultConstructedMatchesOnlyEmpty) {
  const Wildcard w;
  EXPECT_TRUE(w.isLiteral());
  EXPECT_TRUE(w.matches(""));
  EXPECT_FALSE(w.matches("a"));
}

TEST(Wildcard, LiteralPieceMakesStarAndQuestionMarkOrdinary) {
  struct Case {
    std::vector<Wildcard::Piece> pieces;
    Mode mode;
    const char* text;
    bool matches;
  };
  const Case kCases[] = {
      {{{"a*", true}}, Mode::Plain, "a*", true},
      {{{"a*", true}}, Mode::Plain, "ab", false},
      {{{"?", true}}, Mode::Plain, "?", true},
      {{{"?", true}}, Mode::Plain, "x", false},
      {{{"user/", false}, {"a*b", true}, {"/*", false}}, Mode::Plain, "user/a*b/x", true},
      {{{"user/", false}, {"a*b", true}, {"/*", false}}, Mode::Plain, "user/axb/x", false},
      {{{"S3:", false}, {"Get*", true}}, Mode::Folded, "s3:get*", true},
      {{{"S3:", false}, {"Get*", true}}, Mode::Folded, "s3:getobject", false},
      {{{"arn:aws:s3:::", false}, {"*", true}, {"*", false}},
       Mode::ResourceArn,
       "arn:aws:s3:::*abc",
       true},
      {{{"arn:aws:s3:::", false}, {"*", true}, {"*", false}},
       Mode::ResourceArn,
       "arn:aws:s3:::abc",
       false},
  };
  for (const Case& c : kCases) {
    std::string pattern;
    for (const Wildcard::Piece& p : c.pieces) {
      pattern += p.literal ? "[" + std::string(p.text) + "]" : std::string(p.text);
    }
    EXPECT_EQ(Wildcard::compile(c.pieces, c.mode).matches(c.text), c.matches)
        << "pieces " << pattern << " text `" << c.text << "`";
  }
}

TEST(Wildcard, AllLiteralPiecesCompileToLiteralWithUnescapedText) {
  const Wildcard w = Wildcard::compile({{"a", false}, {"*", true}, {"?", true}}, Mode::Plain);
  EXPECT_TRUE(w.isLiteral());
  EXPECT_FALSE(w.matchesEverything());
  EXPECT_EQ(w.text(), "a*?");
}

// ---------------------------------------------------------------------------------------------
// Pathological patterns: a backtracking matcher is exponential on these. No timing assertions;
// the suite timeout catches a hang.

TEST(Wildcard, ManyStarsAgainstLongTextPlain) {
  const std::string text(100'000, 'a');
  const Wildcard w = Wildcard::compile("*a*a*a*a*a*a*a*a*b", Mode::Plain);
  EXPECT_FALSE(w.matches(text));
  EXPECT_TRUE(w.matches(text + "b"));
  const Wildcard trailing = Wildcard::compile("*a*a*a*a*a*a*a*a*b*", Mode::Plain);
  EXPECT_FALSE(trailing.matches(text));
  EXPECT_TRUE(trailing.matches(text + "ba"));
}

TEST(Wildcard, ManyStarsAgainstLongTextFolded) {
  const std::string text(100'000, 'a');
  EXPECT_FALSE(Wildcard::compile("*A*A*A*A*A*A*A*A*B", Mode::Folded).matches(text));
}

TEST(Wildcard, ManyMidSegmentStarsAgainstLongTextResourceArn) {
  const std::string prefix = "arn:aws:s3:::";
  const std::string as(100'000, 'a');
  const Wildcard w = Wildcard::compile(prefix + "*a*a*a*a*a*a*a*a*b", Mode::ResourceArn);
  EXPECT_FALSE(w.matches(prefix + as));
  EXPECT_TRUE(w.matches(prefix + as + "b"));
  // A colon near the end: the mid-segment stars cannot cross it.
  EXPECT_FALSE(w.matches(prefix + as + ":b"));
  // Segment-ending and mid-segment stars mixed (the automaton path).
  const Wildcard mixed = Wildcard::compile(prefix + "*a*a*a*a*:*a*a*a*a*b", Mode::ResourceArn);
  EXPECT_FALSE(mixed.matches(prefix + as + ":" + as));
  EXPECT_TRUE(mixed.matches(prefix + as + ":" + as + "b"));
}

TEST(Wildcard, LongSegmentBoundPatternsAcrossWordBoundaries) {
  // Patterns of 64 steps and more run the word-parallel automaton: states cross 64-bit words.
  const std::string prefix = "arn:aws:s3:::b/";
  for (std::size_t k : {31u, 32u, 33u, 62u, 63u, 64u, 65u, 127u, 128u, 129u, 300u}) {
    std::string pattern = prefix;
    for (std::size_t i = 0; i < k; ++i) pattern += "*a";
    const Wildcard w = Wildcard::compile(pattern + "?b", Mode::ResourceArn);
    const std::string as(k, 'a');
    EXPECT_TRUE(w.matches(prefix + as + "xb")) << k;
    EXPECT_TRUE(w.matches(prefix + "z" + as + as + "xb")) << k;
    EXPECT_FALSE(w.matches(prefix + as + "b")) << k;               // `?` needs a character
    EXPECT_FALSE(w.matches(prefix + as.substr(1) + "xb")) << k;    // one `a` short
    EXPECT_FALSE(w.matches(prefix + as + ":b")) << k;              // `?` never matches `:`
    EXPECT_FALSE(w.matches(prefix + "a:" + as + "xb")) << k;       // nor does a mid-segment `*`
    const Wildcard free_end = Wildcard::compile(pattern + ":*", Mode::ResourceArn);
    EXPECT_TRUE(free_end.matches(prefix + as + ":x:y")) << k;     // the last star crosses colons
    EXPECT_FALSE(free_end.matches(prefix + as.substr(1) + ":x")) << k;
  }
}

TEST(Wildcard, ThousandsOfSegmentBoundStarsAgainstAMegabyte) {
  // The bad-inputs catalogue's glob bomb: 5,000 mid-segment stars against 1 MB in one segment.
  std::string pattern = "arn:aws:s3:::bucket/";
  for (int i = 0; i < 5'000; ++i) pattern += "*a";
  const Wildcard w = Wildcard::compile(pattern + "b", Mode::ResourceArn);
  const std::string text = "arn:aws:s3:::bucket/" + std::string(1'000'000, 'a');
  EXPECT_FALSE(w.matches(text));
  EXPECT_TRUE(w.matches(text + "b"));
}

TEST(Wildcard, LongQuestionMarkPattern) {
  const std::string questions(5'000, '?');
  const std::string text(5'000, 'x');
  for (Mode mode : {Mode::Plain, Mode::Folded, Mode::ResourceArn}) {
    const Wildcard w = Wildcard::compile(questions, mode);
    EXPECT_TRUE(w.matches(text));
    EXPECT_FALSE(w.matches(text.substr(1)));
    EXPECT_FALSE(w.matches(text + "x"));
  }
  const Wildcard starred = Wildcard::compile("*" + questions + "*", Mode::Plain);
  EXPECT_TRUE(starred.matches(std::string(20'000, 'x')));
  EXPECT_FALSE(starred.matches(text.substr(1)));
  // In ResourceArn a `?` never matches a colon, wherever it is.
  std::string with_colon = text;
  with_colon[2'500] = ':';
  EXPECT_FALSE(Wildcard::compile(questions, Mode::ResourceArn).matches(with_colon));
}

}  // namespace
}  // namespace trustsim
