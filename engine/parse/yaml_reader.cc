// SPDX-License-Identifier: Apache-2.0
#include "parse/yaml_reader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "parse/json_reader.h"

namespace trustsim::parse {
namespace {

constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxNodes = 5'000'000;  // guards alias expansion ("billion laughs")
// Values that aliases may add beyond the document as written: a kilobyte must not become
// millions of values (a hand-written scenario or template shares a few blocks at most).
constexpr std::size_t kMaxAliasValues = 100'000;

// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or nullopt.
std::optional<std::size_t> invalidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      lo = b == 0xE0 ? 0xA0 : 0x80;
      hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      lo = b == 0xF0 ? 0x90 : 0x80;
      hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return i;
    }
    i += len;
  }
  return std::nullopt;
}

// The number of values a node stands for once every alias is expanded, computed without expanding:
// an alias is the anchored node itself (same mark), so each distinct node is sized once. Sizes
// saturate at kMaxNodes + 1; nesting below kMaxDepth is left to the converter to report.
// Scalars and nulls count 1 and are not remembered.
class ExpandedSize {
 public:
  std::size_t of(const YAML::Node& n, std::size_t depth = 0) {
    ++walked_;
    if (!n.IsSequence() && !n.IsMap()) return 1;
    const int pos = n.Mark().pos;  // INVARIANT: no two collections start at one position
    if (const auto it = sizes_.find(pos); it != sizes_.end()) return it->second;
    std::size_t size = 1;
    if (depth <= kMaxDepth) {
      for (const auto& child : n) {
        size += n.IsMap() ? of(child.second, depth + 1) : of(child, depth + 1);
        if (size > kMaxNodes) break;
      }
    }
    size = std::min(size, kMaxNodes + 1);
    if (pos >= 0) sizes_[pos] = size;
    return size;
  }
  // The values visited so far: the document as written, each alias counted once.
  std::size_t walked() const { return walked_; }

 private:
  std::map<int, std::size_t> sizes_;  // collections, by their position in the text
  std::size_t walked_ = 0;
};

// Parser events that only note where each document starts: counting documents without building
// them (and without YAML::LoadAll, see readYaml).
class DocumentStarts : public YAML::EventHandler {
 public:
  YAML::Mark last = YAML::Mark::null_mark();
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// CloudFormation's short forms: the tag `!Name` stands for the key of the long form.
struct ShortForm {
  std::string_view tag;
  std::string_view key;
};
constexpr ShortForm kShortForms[] = {
    {"!Ref", "Ref"},
    {"!Condition", "Condition"},
    {"!Base64", "Fn::Base64"},
    {"!Cidr", "Fn::Cidr"},
    {"!FindInMap", "Fn::FindInMap"},
    {"!GetAtt", "Fn::GetAtt"},
    {"!GetAZs", "Fn::GetAZs"},
    {"!If", "Fn::If"},
    {"!ImportValue", "Fn::ImportValue"},
    {"!Join", "Fn::Join"},
    {"!Select", "Fn::Select"},
    {"!Split", "Fn::Split"},
    {"!Sub", "Fn::Sub"},
    {"!Transform", "Fn::Transform"},
    {"!Equals", "Fn::Equals"},
    {"!Not", "Fn::Not"},
    {"!And", "Fn::And"},
    {"!Or", "Fn::Or"},
    {"!Length", "Fn::Length"},
    {"!ToJsonString", "Fn::ToJsonString"},
};

// An application tag (`!Name`): not the non-specific `!` of quoted scalars, `?` of plain ones,
// nor a YAML core tag (`!!str` arrives resolved as `tag:yaml.org,2002:str`).
bool isLocalTag(const std::string& tag) { return tag.size() > 1 && tag[0] == '!' && tag[1] != '!'; }

struct Converter {
  const std::string& file;
  SourceLines* lines = nullptr;
  std::size_t nodes = 0;
  Diagnostics errors;

  void mark(const std::string& where, const YAML::Mark& m) {
    if (lines != nullptr && m.line >= 0) lines->add(where, m.line + 1);
  }

  // A document that expands past kMaxNodes, or gains more than kMaxAliasValues through aliases
  // ("billion laughs"), is refused before anything is expanded. The pointer follows the first child
  // that alone is over the limit, down to the culprit.
  bool checkSize(const YAML::Node& root) {
    ExpandedSize size;
    const std::size_t total = size.of(root);
    const std::size_t from_aliases = total > size.walked() ? total - size.walked() : 0;
    if (total <= kMaxNodes && from_aliases <= kMaxAliasValues) return true;
    const std::size_t limit = total > kMaxNodes ? kMaxNodes : kMaxAliasValues;
    YAML::Node at = root;
    std::string where;
    for (std::size_t depth = 0; depth < kMaxDepth && (at.IsSequence() || at.IsMap()); ++depth) {
      std::optional<YAML::Node> next;
      std::string next_where;
      std::size_t i = 0;
      for (const auto& child : at) {
        const YAML::Node value = at.IsMap() ? child.second : child;
        if (size.of(value) > limit) {
          next = value;
          next_where =
              at.IsMap() ? pointerAppend(where, child.first.Scalar()) : pointerAppend(where, i);
          break;
        }
        ++i;
      }
      if (!next) break;
      at = *next;
      where = next_where;
    }
    fail("yaml.too_large",
         total > kMaxNodes ? "the document expands (through aliases) to more than " +
                                 std::to_string(kMaxNodes) + " values"
                           : "aliases add more than " + std::to_string(kMaxAliasValues) +
                                 " values to the document",
         where, at.Mark());
    return false;
  }

  void fail(std::string code, std::string message, const std::string& where, const YAML::Mark& mark) {
    if (mark.line >= 0) {
      message += " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ")";
    }
    errors.push_back(Diagnostic{std::move(code), std::move(message), where, file, Severity::Error});
  }

  // YAML core schema types for plain scalars; everything else is a string, which must be UTF-8 like
  // any JSON string (yaml-cpp passes bytes through; nlohmann would throw when writing them out).
  bool scalar(const YAML::Node& n, nlohmann::json& out, const std::string& where) {
    const std::string& s = n.Scalar();
    if (n.Tag() == "?") {  // plain scalar
      static const std::regex kInt(R"([-+]?[0-9]+)");
      static const std::regex kFloat(R"([-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
      if (s == "true" || s == "True" || s == "TRUE") return (out = true), true;
      if (s == "false" || s == "False" || s == "FALSE") return (out = false), true;
      if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
        return (out = nullptr), true;
      }
      if (s.size() < 19 && std::regex_match(s, kInt)) return (out = std::stoll(s)), true;
      if (s.size() < 64 && std::regex_match(s, kFloat)) {
        // strtod, not stod: stod throws on overflow and on underflow (1.0e-400 is simply 0).
        const double v = std::strtod(s.c_str(), nullptr);
        if (!std::isfinite(v)) {
          fail("yaml.syntax", "number `" + s + "` is out of range", where, n.Mark());
          return false;
        }
        return (out = v), true;
      }
    }
    if (const auto bad = invalidUtf8(s)) {
      fail("json.invalid_utf8",
           "the text is not valid UTF-8 (byte " + std::to_string(*bad) + " of the value)", where,
           n.Mark());
      return false;
    }
    out = s;
    return true;
  }

  bool convert(const YAML::Node& n, nlohmann::json& out, const std::string& where, std::size_t depth) {
    if (++nodes > kMaxNodes) {
      fail("yaml.too_large", "the document expands to more than " + std::to_string(kMaxNodes) + " values (aliases?)", where, n.Mark());
      return false;
    }
    if (depth > kMaxDepth) {
      fail("yaml.too_deep", "nesting deeper than " + std::to_string(kMaxDepth) + " levels", where, n.Mark());
      return false;
    }
    if (isLocalTag(n.Tag())) return shortForm(n, out, where, depth);
    return plain(n, out, where, depth);
  }

  // `!Ref X` → {"Ref": "X"}; `!GetAtt A.B.C` → {"Fn::GetAtt": ["A", "B.C"]} (the logical ID ends at
  // the first dot); any other short form keeps its value as the long form's argument.
  bool shortForm(const YAML::Node& n, nlohmann::json& out, const std::string& where, std::size_t depth) {
    const auto* form = std::find_if(std::begin(kShortForms), std::end(kShortForms),
                                    [&](const ShortForm& f) { return f.tag == n.Tag(); });
    if (form == std::end(kShortForms)) {
      fail("yaml.unknown_tag",
           "unknown tag `" + n.Tag() + "` (the tags trustsim reads are CloudFormation's short forms: !Ref, !Sub, !GetAtt, ...)",
           where, n.Mark());
      return false;
    }
    const std::string key(form->key);
    const std::string w = pointerAppend(where, key);
    mark(w, n.Mark());
    out = nlohmann::json::object();
    nlohmann::json& arg = out[key];
    if (key == "Fn::GetAtt" && n.IsScalar()) {
      const std::string& s = n.Scalar();
      const std::size_t dot = s.find('.');
      arg = dot == std::string::npos ? nlohmann::json(s) : nlohmann::json::array({s.substr(0, dot), s.substr(dot + 1)});
      mark(pointerAppend(w, 0), n.Mark());
      mark(pointerAppend(w, 1), n.Mark());
      return true;
    }
    return plain(n, arg, w, depth + 1);
  }

  bool plain(const YAML::Node& n, nlohmann::json& out, const std::string& where, std::size_t depth) {
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out = nullptr;
        return true;
      case YAML::NodeType::Scalar:
        return scalar(n, out, where);
      case YAML::NodeType::Sequence: {
        out = nlohmann::json::array();
        std::size_t i = 0;
        for (const YAML::Node& child : n) {
          nlohmann::json v;
          const std::string w = pointerAppend(where, i++);
          mark(w, child.Mark());
          if (!convert(child, v, w, depth + 1)) return false;
          out.push_back(std::move(v));
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out = nlohmann::json::object();
        for (const auto& kv : n) {
          if (!kv.first.IsScalar()) {
            fail("yaml.unsupported", "mapping keys must be plain strings", where, kv.first.Mark());
            return false;
          }
          const std::string key = kv.first.Scalar();
          if (invalidUtf8(key)) {
            fail("json.invalid_utf8", "a mapping key is not valid UTF-8", where, kv.first.Mark());
            return false;
          }
          const std::string w = pointerAppend(where, key);
          if (out.contains(key)) {
            fail("yaml.duplicate_key", "duplicate key `" + key + "`", w, kv.first.Mark());
            return false;
          }
          mark(w, kv.first.Mark());
          if (!convert(kv.second, out[key], w, depth + 1)) return false;
        }
        return true;
      }
    }
    return true;
  }
};

}  // namespace

bool looksLikeYaml(std::string_view text) {
  // A UTF-8 byte order mark does not make JSON YAML (the JSON reader skips it).
  const std::size_t i =
      text.find_first_not_of(" \t\r\n", text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
  return i != std::string_view::npos && text[i] != '{' && text[i] != '[';
}

Result<nlohmann::json> readYaml(std::string_view text, const std::string& file, SourceLines* lines) {
  Converter c{file, lines, 0, {}};
  try {
    const std::string input(text);
    std::istringstream stream(input);
    YAML::Parser parser(stream);
    DocumentStarts starts;
    std::size_t documents = 0;
    std::optional<YAML::Mark> previous;
    while (parser.HandleNextDocument(starts)) {
      if (previous && starts.last.pos == previous->pos) {
        // yaml-cpp 0.7's LoadAll would loop here forever, allocating (jbeder/yaml-cpp#1319): the
        // last document left a token no document can start with, e.g. the `,` of `{{}},`.
        const std::size_t at = static_cast<std::size_t>(std::max(starts.last.pos, 0));
        c.fail("yaml.syntax",
               "invalid YAML: unexpected `" + (at < input.size() ? input.substr(at, 1) : "") + "`",
               "", starts.last);
        return c.errors;
      }
      previous = starts.last;
      ++documents;
    }
    if (documents == 0) {
      return Diagnostics{Diagnostic{"json.empty", "no YAML document (the input is empty)", "", file, Severity::Error}};
    }
    if (documents > 1) {
      return Diagnostics{Diagnostic{"yaml.unsupported", "the file holds several YAML documents; give one per file", "", file, Severity::Error}};
    }
    const YAML::Node root = YAML::Load(input);  // the one document, which parses cleanly
    nlohmann::json out;
    c.mark("", root.Mark());
    if (!c.checkSize(root) || !c.convert(root, out, "", 0)) return c.errors;
    return out;
  } catch (const YAML::DeepRecursion& ex) {
    // yaml-cpp's own guard (it parses recursively) trips before ours for very deep documents.
    c.fail("yaml.too_deep",
           "nesting deeper than the YAML parser allows (" + std::to_string(ex.depth()) + " levels)",
           "", ex.mark);
    return c.errors;
  } catch (const YAML::Exception& ex) {
    c.fail("yaml.syntax", "invalid YAML: " + ex.msg, "", ex.mark);
    return c.errors;
  }
}

}  // namespace trustsim::parse
