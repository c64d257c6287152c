// SPDX-License-Identifier: Apache-2.0
// Glob compilation and matching. A greedy piece search when every `*` is the same kind (the common
// case, linear), the same per colon-separated segment for Resource patterns whose stars all stay
// in their segment, and a bit-parallel position-set automaton otherwise (O(n × m / 64)).
#include "trustsim/wildcard.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace trustsim {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// Pieces longer than this make the greedy search O(text × piece): such patterns run the automaton.
constexpr std::size_t kMaxGreedyPiece = 64;

// How long the longest piece between two stars is (defined with the matchers below).
template <typename Step>
std::size_t longestMiddlePiece(const Step* steps, std::size_t m);

}  // namespace

Wildcard Wildcard::compile(std::string_view pattern, Mode mode) {
  return compile(std::vector<Piece>{Piece{pattern, false}}, mode);
}

Wildcard Wildcard::compile(const std::vector<Piece>& pieces, Mode mode) {
  Wildcard w;
  // Most patterns in real policies are plain ARNs and action names: no wildcard, nothing to
  // compile (dumps hold hundreds of thousands of them).
  std::size_t size = 0;
  bool wild = false;
  for (const Piece& piece : pieces) {
    size += piece.text.size();
    wild = wild || (!piece.literal && piece.text.find_first_of("*?") != std::string_view::npos);
  }
  w.text_.reserve(size);
  if (!wild) {
    for (const Piece& piece : pieces) {
      for (char c : piece.text) w.text_.push_back(mode == Mode::Folded ? fold(c) : c);
    }
    w.kind_ = Kind::Exact;
    return w;
  }
  std::vector<Step> steps;
  steps.reserve(size);
  for (const Piece& piece : pieces) {
    for (char c : piece.text) {
      if (mode == Mode::Folded) {
        c = fold(c);
      }
      w.text_.push_back(c);
      if (piece.literal || (c != '*' && c != '?')) {
        steps.push_back({Op::Char, c});
      } else if (c == '?') {
        steps.push_back({mode == Mode::ResourceArn ? Op::OneNoColon : Op::AnyOne, c});
      } else {
        steps.push_back({Op::Star, c});
      }
    }
  }
  if (mode == Mode::ResourceArn) {
    // AWS: in Resource, a `*` stays within its segment unless it is the last character of the
    // segment, in which case it may expand beyond the colon boundary.
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].op == Op::Star) {
        const bool ends_segment =
            i + 1 == steps.size() || (steps[i + 1].op == Op::Char && steps[i + 1].c == ':');
        if (!ends_segment) {
          steps[i].op = Op::StarNoColon;
        }
      }
    }
  }
  // Collapse runs of stars: `**` is `*` (a free star absorbs a segment-bound one next to it).
  std::vector<Step> collapsed;
  for (const Step& s : steps) {
    const bool is_star = s.op == Op::Star || s.op == Op::StarNoColon;
    if (is_star && !collapsed.empty() &&
        (collapsed.back().op == Op::Star || collapsed.back().op == Op::StarNoColon)) {
      if (s.op == Op::Star) {
        collapsed.back().op = Op::Star;
      }
      continue;
    }
    collapsed.push_back(s);
  }
  steps = std::move(collapsed);

  const auto is_char = [](const Step& s) { return s.op == Op::Char; };
  const bool restricted = std::any_of(steps.begin(), steps.end(), [](const Step& s) {
    return s.op == Op::StarNoColon || s.op == Op::OneNoColon;
  });
  if (steps.size() == 1 && steps[0].op == Op::Star) {
    w.kind_ = Kind::Any;
  } else if (steps.back().op == Op::Star && std::all_of(steps.begin(), steps.end() - 1, is_char)) {
    w.kind_ = Kind::Prefix;
    for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
      w.literal_.push_back(steps[i].c);
    }
  } else {
    const bool long_piece = longestMiddlePiece(steps.data(), steps.size()) > kMaxGreedyPiece;
    w.kind_ = restricted || long_piece ? Kind::Automaton : Kind::Greedy;
    w.steps_ = std::move(steps);
  }
  return w;
}

bool Wildcard::matches(std::string_view text) const {
  switch (kind_) {
    case Kind::Exact:
      return text == text_;
    case Kind::Any:
      return true;
    case Kind::Prefix:
      return text.substr(0, literal_.size()) == literal_;
    case Kind::Greedy:
      return matchGreedy(text);
    case Kind::Automaton:
      return matchAutomaton(text);
  }
  return false;
}

namespace {

// The matchers work on a range of steps (a whole pattern, or one colon-separated segment of
// it). Templates over the step type, so they live here without widening the public header.

// Split the pattern at stars into pieces (chars and `?`). The first piece is anchored at the
// start, the last at the end, and each middle piece is found at its leftmost position, which is
// optimal for globs with one kind of star. Both kinds of star and of `?` are read unrestricted:
// callers pass text where the colon rules cannot matter. O(text × longest piece).
template <typename Step>
bool greedyRange(const Step* steps, std::size_t m, std::string_view text) {
  using Op = decltype(Step::op);
  const auto is_star = [&](std::size_t k) {
    return steps[k].op == Op::Star || steps[k].op == Op::StarNoColon;
  };
  const auto piece_at = [&](std::size_t from, std::size_t to, std::size_t pos) {
    for (std::size_t k = from; k < to; ++k, ++pos) {
      if (steps[k].op == Op::Char && steps[k].c != text[pos]) {
        return false;
      }
    }
    return true;
  };
  std::size_t i = 0;  // index into steps
  std::size_t pos = 0;
  // Leading piece, anchored.
  while (i < m && !is_star(i)) {
    if (pos >= text.size() || (steps[i].op == Op::Char && steps[i].c != text[pos])) {
      return false;
    }
    ++i;
    ++pos;
  }
  if (i == m) {
    return pos == text.size();
  }
  // Trailing piece, anchored at the end.
  std::size_t last_star = m;
  while (!is_star(last_star - 1)) {
    --last_star;
  }
  const std::size_t tail_len = m - last_star;
  if (text.size() < pos + tail_len) {
    return false;
  }
  const std::size_t tail_pos = text.size() - tail_len;
  if (!piece_at(last_star, m, tail_pos)) {
    return false;
  }
  // Middle pieces between stars, leftmost match each, within [pos, tail_pos).
  while (i < last_star) {
    ++i;  // skip the star
    const std::size_t from = i;
    while (i < last_star && !is_star(i)) {
      ++i;
    }
    const std::size_t len = i - from;
    if (len == 0) {
      continue;
    }
    bool found = false;
    for (; pos + len <= tail_pos; ++pos) {
      if (piece_at(from, i, pos)) {
        found = true;
        break;
      }
    }
    if (!found) {
      return false;
    }
    pos += len;
  }
  return true;
}

// The longest piece between two stars: the pieces the greedy matcher searches for (the first and
// the last are anchored and compared once).
template <typename Step>
std::size_t longestMiddlePiece(const Step* steps, std::size_t m) {
  using Op = decltype(Step::op);
  std::size_t longest = 0, run = 0;
  bool after_star = false;
  for (std::size_t k = 0; k < m; ++k) {
    if (steps[k].op == Op::Star || steps[k].op == Op::StarNoColon) {
      if (after_star) longest = std::max(longest, run);
      after_star = true;
      run = 0;
    } else {
      ++run;
    }
  }
  return longest;
}

// Position-set simulation: state k means "the first k steps matched so far". Sets of up to 64
// states live in one machine word (no allocation); longer patterns use words side by side.
template <typename Step>
bool automatonRange(const Step* steps, std::size_t m, std::string_view text) {
  using Op = decltype(Step::op);
  const auto is_star = [&](std::size_t k) {
    return steps[k].op == Op::Star || steps[k].op == Op::StarNoColon;
  };
  const auto advance = [&](std::size_t k, char c, auto&& set_next) {
    switch (steps[k].op) {
      case Op::Char:
        if (steps[k].c == c) set_next(k + 1);
        break;
      case Op::AnyOne:
        set_next(k + 1);
        break;
      case Op::OneNoColon:
        if (c != ':') set_next(k + 1);
        break;
      case Op::Star:
        set_next(k);
        break;
      case Op::StarNoColon:
        if (c != ':') set_next(k);
        break;
    }
  };
  if (m < 64) {
    std::uint64_t star_mask = 0;
    for (std::size_t k = 0; k < m; ++k) {
      if (is_star(k)) star_mask |= std::uint64_t{1} << k;
    }
    // Epsilon closure: a star at k lets k+1 be reached without input (stars are collapsed, so a
    // single pass in increasing k suffices for chains like `*?*`).
    const auto close = [&](std::uint64_t set) {
      for (std::uint64_t s = set & star_mask; s != 0; s &= s - 1) {
        const int k = __builtin_ctzll(s);
        set |= std::uint64_t{1} << (k + 1);
        if (star_mask >> (k + 1) & 1) s |= std::uint64_t{1} << (k + 1);
      }
      return set;
    };
    std::uint64_t cur = close(1);
    for (char c : text) {
      std::uint64_t next = 0;
      for (std::uint64_t s = cur & ((std::uint64_t{1} << m) - 1); s != 0; s &= s - 1) {
        advance(static_cast<std::size_t>(__builtin_ctzll(s)), c,
                [&](std::size_t j) { next |= std::uint64_t{1} << j; });
      }
      if (next == 0) return false;
      cur = close(next);
    }
    return (cur >> m) & 1;
  }
  // Longer patterns: the same simulation, bit-parallel over words, so a hostile pattern of
  // thousands of segment-bound stars against a megabyte of text stays O(n × m / 64).
  const std::size_t words = (m + 1 + 63) / 64;
  using Bits = std::vector<std::uint64_t>;
  const auto set_bit = [](Bits& b, std::size_t k) { b[k / 64] |= std::uint64_t{1} << (k % 64); };
  Bits star(words, 0), star_no_colon(words, 0), any_one(words, 0), one_no_colon(words, 0);
  std::array<int, 256> char_index;
  char_index.fill(-1);
  std::vector<Bits> char_masks;
  for (std::size_t k = 0; k < m; ++k) {
    switch (steps[k].op) {
      case Op::Char: {
        int& index = char_index[static_cast<unsigned char>(steps[k].c)];
        if (index < 0) {
          index = static_cast<int>(char_masks.size());
          char_masks.emplace_back(words, 0);
        }
        set_bit(char_masks[static_cast<std::size_t>(index)], k);
        break;
      }
      case Op::AnyOne:
        set_bit(any_one, k);
        break;
      case Op::OneNoColon:
        set_bit(one_no_colon, k);
        break;
      case Op::StarNoColon:
        set_bit(star_no_colon, k);
        set_bit(star, k);
        break;
      case Op::Star:
        set_bit(star, k);
        break;
    }
  }
  // Epsilon closure: a star at k reaches k+1 without input. Stars are collapsed, so k+1 is never
  // a star and one shifted pass suffices.
  const auto close = [&](Bits& set) {
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t s = set[w] & star[w];
      set[w] |= (s << 1) | carry;
      carry = s >> 63;
    }
  };
  Bits cur(words, 0), next(words, 0);
  cur[0] = 1;
  close(cur);
  for (char c : text) {
    const int index = char_index[static_cast<unsigned char>(c)];
    const bool colon = c == ':';
    std::uint64_t carry = 0;
    bool any = false;
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t advance_mask = any_one[w] | (colon ? 0 : one_no_colon[w]);
      if (index >= 0) advance_mask |= char_masks[static_cast<std::size_t>(index)][w];
      const std::uint64_t advance = cur[w] & advance_mask;
      const std::uint64_t stay = cur[w] & (colon ? star[w] & ~star_no_colon[w] : star[w]);
      next[w] = (advance << 1) | carry | stay;
      carry = advance >> 63;
      any = any || next[w] != 0;
    }
    if (!any) return false;
    close(next);
    cur.swap(next);
  }
  return (cur[m / 64] >> (m % 64)) & 1;
}

}  // namespace

bool Wildcard::matchGreedy(std::string_view text) const {
  return greedyRange(steps_.data(), steps_.size(), text);
}

// Without a segment-ending star (or an unrestricted `?`, outside ResourceArn mode) nothing but a
// literal `:` matches a colon, so the pattern's segments pair off with the text's, and each pair
// is a glob with one kind of star: linear for `arn:aws:s3:::bucket/*a*a*...*b` against a
// megabyte, however many stars. Otherwise, the position-set automaton.
bool Wildcard::matchAutomaton(std::string_view text) const {
  const Step* steps = steps_.data();
  const std::size_t m = steps_.size();
  if (std::any_of(steps_.begin(), steps_.end(),
                  [](const Step& s) { return s.op == Op::Star || s.op == Op::AnyOne; })) {
    return automatonRange(steps, m, text);
  }
  std::size_t pattern_at = 0, text_at = 0;
  while (true) {
    std::size_t pattern_end = pattern_at;
    while (pattern_end < m && !(steps[pattern_end].op == Op::Char && steps[pattern_end].c == ':')) {
      ++pattern_end;
    }
    const std::size_t text_end = std::min(text.find(':', text_at), text.size());
    const std::string_view segment = text.substr(text_at, text_end - text_at);
    const std::size_t n = pattern_end - pattern_at;
    const bool ok = longestMiddlePiece(steps + pattern_at, n) <= kMaxGreedyPiece
                        ? greedyRange(steps + pattern_at, n, segment)
                        : automatonRange(steps + pattern_at, n, segment);
    if (!ok) {
      return false;
    }
    if (pattern_end == m || text_end == text.size()) {
      return pattern_end == m && text_end == text.size();
    }
    pattern_at = pattern_end + 1;
    text_at = text_end + 1;
  }
}

}  // namespace trustsim
