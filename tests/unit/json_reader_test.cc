// SPDX-License-Identifier: Apache-2.0
// The strict JSON reader: each json.* code with its line/column message and JSON pointer, deep
// nesting without recursion, and RFC 6901 pointer escaping.
#include "parse/json_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace trustsim::parse {
namespace {

// The single diagnostic of a failed read.
Diagnostic failureOf(const std::string& text, const JsonReadOptions& options = {}) {
  const auto r = readJson(text, "input.json", options);
  EXPECT_FALSE(r.has_value()) << "accepted: " << text.substr(0, 200);
  if (r.has_value()) {
    return Diagnostic{};
  }
  EXPECT_EQ(r.error().size(), 1u) << trustsim::testing::dump(r.error());
  return r.error().empty() ? Diagnostic{} : r.error()[0];
}

// Expects `needle` in the message.
void expectMessageHas(const Diagnostic& d, const std::string& needle, const std::string& input) {
  EXPECT_NE(d.message.find(needle), std::string::npos)
      << "message `" << d.message << "` lacks `" << needle << "` for " << input.substr(0, 80);
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

TEST(JsonReader, ReadsValidDocument) {
  const std::string text = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","n":1.5}]})";
  const auto r = readJson(text, "input.json");
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value(), nlohmann::json::parse(text));
}

TEST(JsonReader, Empty) {
  for (const char* text : {"", " ", "  \n\t\r\n "}) {
    const Diagnostic d = failureOf(text);
    EXPECT_EQ(d.code, "json.empty") << "`" << text << "`";
    EXPECT_EQ(d.where, "");
    EXPECT_EQ(d.file, "input.json");
    EXPECT_EQ(d.severity, Severity::Error);
  }
}

TEST(JsonReader, SyntaxErrorNamesLineColumnAndPointer) {
  struct Case {
    std::string text;
    std::string line_column;  // expected in the message
    std::string where;
  };
  const Case kCases[] = {
      // A missing value: the pointer names the member being read.
      {"{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",\n     \"Action\": }\n  ]\n}",
       "line 4, column 16", "/Statement/0/Action"},
      // A trailing comma in an array: the pointer names the element that should follow.
      {"[1, 2, ]", "line 1, column 8", "/2"},
      // An invalid literal is reported where the lexer rejects it (the `]` after `fals`).
      {"{\"a\": [true, fals]}", "line 1, column 18", "/a/1"},
      // Trailing garbage after the document.
      {"{}\n x", "line 2, column 2", ""},
  };
  for (const Case& c : kCases) {
    const Diagnostic d = failureOf(c.text);
    EXPECT_EQ(d.code, "json.syntax") << c.text;
    expectMessageHas(d, c.line_column, c.text);
    EXPECT_EQ(d.where, c.where) << c.text;
    EXPECT_EQ(d.file, "input.json");
  }
}

// A syntax error where an object key is expected points at that object.
TEST(JsonReader, SyntaxErrorAtMissingKeyPointsAtTheObject) {
  struct Case {
    std::string text;
    std::string where;
  };
  const Case kCases[] = {
      {R"({"a": 1,})", ""},
      {R"({"a": {"b": 1, }})", "/a"},
      {"{", ""},
  };
  for (const Case& c : kCases) {
    const Diagnostic d = failureOf(c.text);
    EXPECT_EQ(d.code, "json.syntax") << c.text;
    EXPECT_EQ(d.where, c.where) << c.text;
  }
}

TEST(JsonReader, InvalidUtf8InString) {
  struct Case {
    std::string text;
    std::string where;
  };
  const Case kCases[] = {
      {"{\"a\": \"\xff\"}", "/a"},
      {"{\"a\": [\"ok\", \"x\xc3\"]}", "/a/1"},  // truncated two-byte sequence
      {"{\"a\": \"\xed\xa0\x80\"}", "/a"},       // UTF-16 surrogate encoded in UTF-8
      {"{\"Statement\": {\"Sid\": \"\xc0\xaf\"}}", "/Statement/Sid"},  // overlong `/`
  };
  for (const Case& c : kCases) {
    const Diagnostic d = failureOf(c.text);
    EXPECT_EQ(d.code, "json.invalid_utf8") << c.where;
    expectMessageHas(d, "line 1, column ", c.where);
    EXPECT_EQ(d.where, c.where);
  }
}

TEST(JsonReader, ValidUtf8IsAccepted) {
  const auto r = readJson("{\"a\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"}", "");
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value()["a"], "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
}

TEST(JsonReader, DuplicateKey) {
  for (const char* text : {R"({"a": 1, "a": 2})", R"({"a": {"b": 1, "b": 2}})",
                           R"([{"x": 1}, {"y": {"z": [], "z": []}}])"}) {
    const Diagnostic d = failureOf(text);
    EXPECT_EQ(d.code, "json.duplicate_key") << text;
    EXPECT_EQ(d.file, "input.json");
    EXPECT_EQ(d.severity, Severity::Error);
  }
}

// A duplicate key's pointer names the key inside its object.
TEST(JsonReader, DuplicateKeyPointsAtTheKey) {
  struct Case {
    std::string text;
    std::string where;
  };
  const Case kCases[] = {
      {R"({"a": 1, "a": 2})", "/a"},
      {R"({"a": {"b": 1, "b": 2}})", "/a/b"},
      {R"({"a": {"b": 1, "x": 2, "b": 3}})", "/a/b"},
      {R"({"Statement": [{"Effect": "Allow"}, {"Effect": "Allow", "Effect": "Deny"}]})",
       "/Statement/1/Effect"},
      {R"({"x": {"a/b~c": 1, "a/b~c": 2}})", "/x/a~1b~0c"},
  };
  for (const Case& c : kCases) {
    const Diagnostic d = failureOf(c.text);
    EXPECT_EQ(d.code, "json.duplicate_key") << c.text;
    EXPECT_EQ(d.where, c.where) << c.text;
  }
}

TEST(JsonReader, DuplicateKeysAllowedByOptionKeepTheLast) {
  JsonReadOptions options;
  options.allow_duplicate_keys = true;
  const auto r = readJson(R"({"a": {"b": 1, "b": 2}})", "", options);
  ASSERT_TRUE(r.has_value()) << trustsim::testing::dump(r.error());
  EXPECT_EQ(r.value()["a"]["b"], 2);
}

TEST(JsonReader, MillionDeepArrayIsTooDeepWithoutCrashing) {
  const std::string text(1'000'000, '[');
  const Diagnostic d = failureOf(text);
  EXPECT_EQ(d.code, "json.too_deep");
  expectMessageHas(d, "256", "");
  EXPECT_EQ(d.where, repeat("/0", 256));
  // Balanced, too.
  const Diagnostic balanced = failureOf(std::string(1'000'000, '[') + std::string(1'000'000, ']'));
  EXPECT_EQ(balanced.code, "json.too_deep");
}

TEST(JsonReader, MaxDepthOption) {
  JsonReadOptions options;
  options.max_depth = 3;
  EXPECT_TRUE(readJson("[[[1]]]", "", options).has_value());
  EXPECT_TRUE(readJson(R"({"a":{"b":{"c":1}}})", "", options).has_value());
  struct Case {
    std::string text;
    std::string where;
  };
  const Case kCases[] = {
      {"[[[[1]]]]", "/0/0/0"},
      {R"({"a":{"b":{"c":{}}}})", "/a/b/c"},
      {R"([1, {"x": [2, [3]]}])", "/1/x/1"},
  };
  for (const Case& c : kCases) {
    const Diagnostic d = failureOf(c.text, options);
    EXPECT_EQ(d.code, "json.too_deep") << c.text;
    EXPECT_EQ(d.where, c.where) << c.text;
  }
}

// Errors found by the handler (duplicate keys, depth) name the line and column as well.
TEST(JsonReader, DuplicateKeyAndTooDeepMessagesNameLineAndColumn) {
  const Diagnostic dup = failureOf("{\n  \"a\": {\n    \"b\": 1,\n    \"b\": 2\n  }\n}");
  EXPECT_EQ(dup.code, "json.duplicate_key");
  expectMessageHas(dup, "line 4, column ", "");

  JsonReadOptions options;
  options.max_depth = 2;
  const Diagnostic deep = failureOf("[\n [\n  [1]\n ]\n]", options);
  EXPECT_EQ(deep.code, "json.too_deep");
  expectMessageHas(deep, "line 3, column ", "");
}

TEST(JsonReader, PointerAppendEscapesTildeAndSlash) {
  struct Case {
    const char* base;
    const char* token;
    const char* pointer;
  };
  constexpr Case kCases[] = {
      {"", "a", "/a"},
      {"/a", "b", "/a/b"},
      {"/a", "b/c", "/a/b~1c"},
      {"", "m~n", "/m~0n"},
      {"", "~1", "/~01"},  // `~` first, so a literal `~1` does not read back as `/`
      {"", "/~", "/~1~0"},
      {"", "", "/"},
      {"", "aws:PrincipalTag/team", "/aws:PrincipalTag~1team"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(pointerAppend(c.base, std::string_view(c.token)), c.pointer)
        << "base `" << c.base << "` token `" << c.token << "`";
    // The result reads back with nlohmann's RFC 6901 implementation.
    const nlohmann::json::json_pointer p(c.pointer);
    EXPECT_EQ(p.back(), c.token);
  }
}

TEST(JsonReader, PointerAppendIndex) {
  EXPECT_EQ(pointerAppend("", std::size_t{0}), "/0");
  EXPECT_EQ(pointerAppend("/Statement", std::size_t{12}), "/Statement/12");
}

TEST(JsonReader, DescribeType) {
  using nlohmann::json;
  struct Case {
    json value;
    const char* description;
  };
  const Case kCases[] = {
      {json(nullptr), "null"}, {json::object(), "an object"}, {json::array(), "an array"},
      {json("s"), "a string"}, {json(true), "a boolean"},     {json(1), "a number"},
      {json(-1), "a number"},  {json(1.5), "a number"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(describeType(c.value), c.description) << c.value.dump();
  }
}

}  // namespace
}  // namespace trustsim::parse
