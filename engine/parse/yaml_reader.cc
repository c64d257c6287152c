// SPDX-License-Identifier: Apache-2.0
#include "parse/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iterator>
#include <regex>

#include "parse/json_reader.h"

namespace trustsim::parse {
namespace {

constexpr std::size_t kMaxDepth = 256;
constexpr std::size_t kMaxNodes = 5'000'000;  // guards alias expansion ("billion laughs")

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
        out = scalar(n);
        return true;
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
  const std::size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] != '{' && text[i] != '[';
}

Result<nlohmann::json> readYaml(std::string_view text, const std::string& file, SourceLines* lines) {
  Converter c{file, lines, 0, {}};
  try {
    const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.empty()) {
      return Diagnostics{Diagnostic{"json.empty", "no YAML document (the input is empty)", "", file, Severity::Error}};
    }
    if (docs.size() > 1) {
      return Diagnostics{Diagnostic{"yaml.unsupported", "the file holds several YAML documents; give one per file", "", file, Severity::Error}};
    }
    nlohmann::json out;
    c.mark("", docs[0].Mark());
    if (!c.convert(docs[0], out, "", 0)) return c.errors;
    return out;
  } catch (const YAML::Exception& ex) {
    c.fail("yaml.syntax", "invalid YAML: " + ex.msg, "", ex.mark);
    return c.errors;
  }
}

}  // namespace trustsim::parse
