// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the IAM glob matcher in its three modes, checked against a naive reference matcher
// written from the rules in trustsim/wildcard.h (dynamic programming over the pattern, O(n × m)).
//
// Input: a mode byte, then the pattern up to the first newline, then the subject. In the pattern a
// \x01 byte starts or ends a literal piece (text substituted for a policy variable: its `*` and `?`
// are ordinary characters).
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "targets.h"
#include "trustsim/wildcard.h"

namespace trustsim::fuzz {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

struct Token {
  enum Kind { Char, One, Star, StarInSegment } kind;
  char c;
};

// The pattern as the rules read it. ResourceArn: `?` never matches `:`, and a run of `*` matches
// across colons only when it ends the segment (it is followed by `:` or by the end).
std::vector<Token> tokens(const std::vector<Wildcard::Piece>& pieces, Wildcard::Mode mode) {
  std::vector<Token> out;
  for (const Wildcard::Piece& p : pieces) {
    for (char c : p.text) {
      if (mode == Wildcard::Mode::Folded) c = fold(c);
      if (p.literal || (c != '*' && c != '?')) {
        out.push_back({Token::Char, c});
      } else {
        out.push_back({c == '*' ? Token::Star : Token::One, c});
      }
    }
  }
  if (mode == Wildcard::Mode::ResourceArn) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].kind != Token::Star) continue;
      std::size_t end = i;
      while (end < out.size() && out[end].kind == Token::Star) ++end;
      const bool ends_segment =
          end == out.size() || (out[end].kind == Token::Char && out[end].c == ':');
      for (std::size_t k = i; k < end; ++k)
        out[k].kind = ends_segment ? Token::Star : Token::StarInSegment;
      i = end - 1;
    }
  }
  return out;
}

bool reference(const std::vector<Token>& pattern, std::string_view text, Wildcard::Mode mode) {
  const bool arn = mode == Wildcard::Mode::ResourceArn;
  // can[j]: the pattern prefix processed so far matches text[0, j).
  std::vector<char> can(text.size() + 1, 0), next(text.size() + 1, 0);
  can[0] = 1;
  for (const Token& t : pattern) {
    std::fill(next.begin(), next.end(), 0);
    for (std::size_t j = 0; j <= text.size(); ++j) {
      switch (t.kind) {
        case Token::Char:
          next[j] = j > 0 && can[j - 1] && text[j - 1] == t.c;
          break;
        case Token::One:
          next[j] = j > 0 && can[j - 1] && !(arn && text[j - 1] == ':');
          break;
        case Token::Star:
          next[j] = can[j] || (j > 0 && next[j - 1]);
          break;
        case Token::StarInSegment:
          next[j] = can[j] || (j > 0 && next[j - 1] && text[j - 1] != ':');
          break;
      }
    }
    can.swap(next);
  }
  return can[text.size()] != 0;
}

}  // namespace

int wildcard(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  constexpr Wildcard::Mode kModes[] = {Wildcard::Mode::Plain, Wildcard::Mode::Folded,
                                       Wildcard::Mode::ResourceArn};
  const Wildcard::Mode mode = kModes[in.below(3)];
  const std::string_view pattern_text = in.until('\n');
  std::string subject(in.rest());
  if (mode == Wildcard::Mode::Folded) {
    for (char& c : subject) c = fold(c);  // the contract: callers fold the text once
  }
  std::vector<Wildcard::Piece> pieces;
  bool literal = false;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= pattern_text.size(); ++i) {
    if (i == pattern_text.size() || pattern_text[i] == '\x01') {
      pieces.push_back({pattern_text.substr(from, i - from), literal});
      literal = !literal;
      from = i + 1;
    }
  }
  const Wildcard w = pieces.size() == 1 ? Wildcard::compile(pieces[0].text, mode)
                                        : Wildcard::compile(pieces, mode);
  const bool got = w.matches(subject);
  const bool want = reference(tokens(pieces, mode), subject, mode);
  TRUSTSIM_FUZZ_CHECK(got == want, "wildcard",
                      "Wildcard::matches disagrees with the reference matcher");
  if (w.matchesEverything()) {
    TRUSTSIM_FUZZ_CHECK(got, "wildcard", "a match-everything pattern refused a subject");
  }
  if (w.isLiteral()) {
    TRUSTSIM_FUZZ_CHECK(got == (subject == w.text()), "wildcard",
                        "a literal pattern is not string equality");
  }
  return 0;
}

}  // namespace trustsim::fuzz

TRUSTSIM_FUZZ_TARGET(wildcard)
