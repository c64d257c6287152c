// SPDX-License-Identifier: Apache-2.0
// A compiled IAM glob (`*` any run, `?` one character), matched in O(text × pattern) at worst:
// no backtracking, so `*a*a*a*a*b` against a large string cannot blow up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trustsim {

class Wildcard {
 public:
  enum class Mode {
    // `*` and `?` match any characters; comparison is exact (case-sensitive).
    Plain,
    // As Plain, but the pattern is folded to lower case at compile time and matches() expects the
    // text folded too (Action names: the caller folds the request action once).
    Folded,
    // Resource element rules (aws-semantics §8.2): `*` and `?` stay inside one `:`-separated
    // segment, except a `*` that ends a segment (or the pattern), which may also swallow colons.
    ResourceArn,
  };

  // One part of a pattern; a literal part's `*` and `?` are ordinary characters (text substituted
  // for a policy variable, or the `${*}` escapes).
  struct Piece {
    std::string_view text;
    bool literal = false;
  };

  Wildcard() = default;
  static Wildcard compile(std::string_view pattern, Mode mode);
  static Wildcard compile(const std::vector<Piece>& pieces, Mode mode);

  // True when the whole text matches the whole pattern.
  bool matches(std::string_view text) const;

  // True when the pattern has no wildcard character (it only matches its own text).
  bool isLiteral() const { return kind_ == Kind::Exact; }
  // True when the pattern is a lone `*` (matches everything, in every mode).
  bool matchesEverything() const { return kind_ == Kind::Any; }
  // The pattern as compiled (folded in Folded mode; literal pieces are not re-escaped).
  const std::string& text() const { return text_; }

 private:
  enum class Kind : std::uint8_t { Exact, Any, Prefix, Greedy, Automaton };
  enum class Op : std::uint8_t { Char, AnyOne, OneNoColon, Star, StarNoColon };
  struct Step {
    Op op;
    char c;
  };
  bool matchGreedy(std::string_view text) const;
  bool matchAutomaton(std::string_view text) const;

  Kind kind_ = Kind::Exact;
  std::string text_;         // the whole pattern as compiled
  std::string literal_;      // Prefix: the text before the final star
  std::vector<Step> steps_;  // Greedy and Automaton
};

}  // namespace trustsim
