// SPDX-License-Identifier: Apache-2.0
#include "parse/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>

#include "parse/json_reader.h"

namespace trustsim::parse {
namespace {

constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxNodes = 5'000'000;  // guards alias expansion ("billion laughs")

// The number of values a node stands for once every alias is expanded, computed without expanding:
// an alias is the anchored node itself (same mark), so each distinct node is sized once. Sizes
// saturate at kMaxNodes + 1; nesting below kMaxDepth is left to the converter to report.
// Scalars and nulls count 1 and are not remembered.
class ExpandedSize {
 public:
  std::size_t of(const YAML::Node& n, std::size_t depth = 0) {
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

 private:
  std::map<int, std::size_t> sizes_;  // collections, by their position in the text
};

struct Converter {
  const std::string& file;
  std::size_t nodes = 0;
  Diagnostics errors;

  // A document that expands past kMaxNodes ("billion laughs") is refused before any expansion;
  // the pointer follows the largest child while it alone is too large, down to the culprit.
  bool checkSize(const YAML::Node& root) {
    ExpandedSize size;
    if (size.of(root) <= kMaxNodes) return true;
    YAML::Node at = root;
    std::string where;
    for (std::size_t depth = 0; depth < kMaxDepth && (at.IsSequence() || at.IsMap()); ++depth) {
      std::optional<YAML::Node> next;
      std::string next_where;
      std::size_t i = 0;
      for (const auto& child : at) {
        const YAML::Node value = at.IsMap() ? child.second : child;
        if (size.of(value) > kMaxNodes) {
          next = value;
          next_where = at.IsMap() ? pointerAppend(where, child.first.Scalar()) : pointerAppend(where, i);
          break;
        }
        ++i;
      }
      if (!next) break;
      at = *next;
      where = next_where;
    }
    fail("yaml.too_large", "the document expands (through aliases) to more than " + std::to_string(kMaxNodes) + " values",
         where, at.Mark());
    return false;
  }

  void fail(std::string code, std::string message, const std::string& where, const YAML::Mark& mark) {
    if (mark.line >= 0) {
      message += " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ")";
    }
    errors.push_back(Diagnostic{std::move(code), std::move(message), where, file, Severity::Error});
  }

  nlohmann::json scalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    if (n.Tag() == "?") {  // plain scalar: YAML core schema types
      static const std::regex kInt(R"([-+]?[0-9]+)");
      static const std::regex kFloat(R"([-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
      if (s.size() < 19 && std::regex_match(s, kInt)) return std::stoll(s);
      if (s.size() < 64 && std::regex_match(s, kFloat)) return std::stod(s);
    }
    return s;
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
    switch (n.Type()) {
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        out = nullptr;
        return true;
      case YAML::NodeType::Scalar:
        out = scalar(n);
        return true;
      case YAML::NodeType::Sequence: {
        out = nlohmann::json::array();
        std::size_t i = 0;
        for (const YAML::Node& child : n) {
          nlohmann::json v;
          if (!convert(child, v, pointerAppend(where, i++), depth + 1)) return false;
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
          const std::string w = pointerAppend(where, key);
          if (out.contains(key)) {
            fail("yaml.duplicate_key", "duplicate key `" + key + "`", w, kv.first.Mark());
            return false;
          }
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
  const std::size_t i = text.find_first_not_of(" \t\r\n", text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
  return i != std::string_view::npos && text[i] != '{' && text[i] != '[';
}

Result<nlohmann::json> readYaml(std::string_view text, const std::string& file) {
  Converter c{file, 0, {}};
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.empty()) {
      return Diagnostics{Diagnostic{"json.empty", "no YAML document (the input is empty)", "", file, Severity::Error}};
    }
    if (docs.size() > 1) {
      return Diagnostics{Diagnostic{"yaml.unsupported", "the file holds several YAML documents; give one per file", "", file, Severity::Error}};
    }
    nlohmann::json out;
    if (!c.checkSize(docs[0]) || !c.convert(docs[0], out, "", 0)) return c.errors;
    return out;
  } catch (const YAML::Exception& ex) {
    c.fail("yaml.syntax", "invalid YAML: " + ex.msg, "", ex.mark);
    return c.errors;
  }
}

}  // namespace trustsim::parse
