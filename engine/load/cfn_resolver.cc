// SPDX-License-Identifier: Apache-2.0
// Intrinsic functions, conditions, parameters and physical names of a CloudFormation template.
// Evaluation is lazy: only the expressions the loader asks for are evaluated (so a Description
// that imports a value does not stop an audit), and Fn::If evaluates only the branch it takes.
#include "load/cfn_resolver.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <regex>

#include "match/condition_ops.h"
#include "parse/json_reader.h"

namespace trustsim::load::cfn {

// How a resource type is named, and what Ref and Fn::GetAtt return for it.
enum class Shape {
  IamRole,
  IamUser,
  IamGroup,
  IamManagedPolicy,
  IamInstanceProfile,
  OidcProvider,
  SamlProvider,
  S3Bucket,
  SqsQueue,
  SnsTopic,
  LambdaFunction,
  DynamoDbTable,
  KmsKey,
  LogGroup,
};

struct TypeInfo {
  std::string_view type;
  Shape shape;
  const char* name_property;  // nullptr: the template cannot name it
  std::size_t max_name;       // generated names are cut to this length
  bool lowercase;             // generated names are lower case
  bool iam_path;              // has `Path`, part of the ARN
};

namespace {

using nlohmann::json;
using parse::pointerAppend;

// Nesting of intrinsic functions, JSON levels and references between resources together.
constexpr int kMaxDepth = 128;

json noValue() { return json(json::value_t::discarded); }

// AWS: the Ref and GetAtt return values of each type, from the CloudFormation template
// reference ("Return values"). A type that is not here cannot be referenced.
constexpr TypeInfo kTypes[] = {
    {"AWS::IAM::Role", Shape::IamRole, "RoleName", 64, false, true},
    {"AWS::IAM::User", Shape::IamUser, "UserName", 64, false, true},
    {"AWS::IAM::Group", Shape::IamGroup, "GroupName", 128, false, true},
    {"AWS::IAM::ManagedPolicy", Shape::IamManagedPolicy, "ManagedPolicyName", 128, false, true},
    {"AWS::IAM::InstanceProfile", Shape::IamInstanceProfile, "InstanceProfileName", 128, false,
     true},
    {"AWS::IAM::OIDCProvider", Shape::OidcProvider, nullptr, 0, false, false},
    {"AWS::IAM::SAMLProvider", Shape::SamlProvider, "Name", 128, false, false},
    {"AWS::S3::Bucket", Shape::S3Bucket, "BucketName", 63, true, false},
    {"AWS::SQS::Queue", Shape::SqsQueue, "QueueName", 80, false, false},
    {"AWS::SNS::Topic", Shape::SnsTopic, "TopicName", 256, false, false},
    {"AWS::Lambda::Function", Shape::LambdaFunction, "FunctionName", 64, false, false},
    {"AWS::DynamoDB::Table", Shape::DynamoDbTable, "TableName", 255, false, false},
    {"AWS::KMS::Key", Shape::KmsKey, nullptr, 0, false, false},
    {"AWS::Logs::LogGroup", Shape::LogGroup, "LogGroupName", 512, false, false},
};

const TypeInfo* typeInfo(std::string_view type) {
  for (const TypeInfo& t : kTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// A stand-in KMS key id in the UUID layout KMS uses (8-4-4-4-12 hexadecimal digits).
std::string stableKeyId(const std::string& seed) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string hex;
  for (const std::uint64_t h : {fnv1a(seed), fnv1a(seed + "/key")}) {
    for (int i = 60; i >= 0; i -= 4) hex.push_back(kHex[(h >> i) & 0xF]);
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

// AWS: the domain suffix of each partition (AWS::URLSuffix).
std::string urlSuffix(const std::string& partition) {
  if (partition == "aws-cn") return "amazonaws.com.cn";
  if (partition == "aws-iso") return "c2s.ic.gov";
  if (partition == "aws-iso-b") return "sc2s.sgov.gov";
  return "amazonaws.com";
}

bool isListType(const std::string& type) {
  return type == "CommaDelimitedList" || type.rfind("List<", 0) == 0 ||
         type.find("<List<") != std::string::npos ||
         type.find("<CommaDelimitedList>") != std::string::npos;
}

// AWS: an `AWS::SSM::Parameter::Value<...>` parameter's Default names an SSM parameter; the value
// is read from Parameter Store at deploy time.
bool isSsmType(const std::string& type) {
  return type.rfind("AWS::SSM::Parameter::Value<", 0) == 0;
}

std::vector<std::string> splitText(const std::string& text, const std::string& delimiter) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(delimiter, start);
    if (at == std::string::npos) break;
    out.push_back(text.substr(start, at - start));
    start = at + delimiter.size();
  }
  out.push_back(text.substr(start));
  return out;
}

std::string base64Encode(const std::string& in) {
  static constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kChars[(v >> s) & 0x3F]);
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out.push_back(kChars[(v >> 18) & 0x3F]);
    out.push_back(kChars[(v >> 12) & 0x3F]);
    out.push_back(two ? kChars[(v >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

// AWS: IAM names are 1..max characters of letters, digits and _+=,.@-.
bool validIamName(const std::string& name, std::size_t max) {
  static const std::regex kName(R"([\w+=,.@-]+)");
  return !name.empty() && name.size() <= max && std::regex_match(name, kName);
}

// AWS: an IAM path is `/` or starts and ends with `/`, at most 512 printable ASCII characters.
bool validIamPath(const std::string& path) {
  if (path.empty() || path.size() > 512 || path.front() != '/' || path.back() != '/') return false;
  return std::all_of(path.begin(), path.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
}

std::string joinNames(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : std::string(separator)) + n;
  return out;
}

// The ARN, Ref value and attributes of a named resource. `seed` makes stand-in KMS key ids.
void locate(Physical& p, Shape shape, const std::string& account, const LoadOptions& o,
            const std::string& seed) {
  const std::string iam = "arn:" + o.partition + ":iam::" + account + ":";
  const auto regional = [&](const char* service) {
    return "arn:" + o.partition + ":" + service + ":" + o.region + ":" + account + ":";
  };
  switch (shape) {
    case Shape::IamRole:
      p.arn = iam + "role" + p.path + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}, {"RoleId", stableId("AROA", p.arn)}};
      break;
    case Shape::IamUser:
      p.arn = iam + "user" + p.path + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::IamGroup:
      p.arn = iam + "group" + p.path + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::IamManagedPolicy:
      p.arn = iam + "policy" + p.path + p.name;
      p.ref = p.arn;
      p.attributes = {{"PolicyArn", p.arn}, {"PolicyId", stableId("ANPA", p.arn)}};
      break;
    case Shape::IamInstanceProfile:
      p.arn = iam + "instance-profile" + p.path + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::OidcProvider:
      p.arn = iam + "oidc-provider/" + p.name;
      p.ref = p.arn;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::SamlProvider:
      p.arn = iam + "saml-provider/" + p.name;
      p.ref = p.arn;
      break;
    case Shape::S3Bucket:
      p.arn = "arn:" + o.partition + ":s3:::" + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::SqsQueue:
      p.arn = regional("sqs") + p.name;
      p.ref =
          "https://sqs." + o.region + "." + urlSuffix(o.partition) + "/" + account + "/" + p.name;
      p.attributes = {{"Arn", p.arn}, {"QueueName", p.name}, {"QueueUrl", p.ref}};
      break;
    case Shape::SnsTopic:
      p.arn = regional("sns") + p.name;
      p.ref = p.arn;
      p.attributes = {{"TopicArn", p.arn}, {"TopicName", p.name}};
      break;
    case Shape::LambdaFunction:
      p.arn = regional("lambda") + "function:" + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::DynamoDbTable:
      p.arn = regional("dynamodb") + "table/" + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
    case Shape::KmsKey:
      p.name = stableKeyId(account + "/" + o.region + "/" + seed);
      p.generated = true;
      p.arn = regional("kms") + "key/" + p.name;
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}, {"KeyId", p.name}};
      break;
    case Shape::LogGroup:
      p.arn = regional("logs") + "log-group:" + p.name + ":*";
      p.ref = p.name;
      p.attributes = {{"Arn", p.arn}};
      break;
  }
}

}  // namespace

std::string show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<std::string> scalarText(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return v.get<std::string>();
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return v.dump();
    default:
      return std::nullopt;
  }
}

std::string stableId(std::string_view prefix, const std::string& arn) {
  static constexpr std::string_view kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(prefix);
  std::uint64_t h = fnv1a(arn);
  for (int i = 0; i < 17; ++i) {
    out.push_back(kDigits[h % 32]);
    h /= 32;
    if (h == 0) h = fnv1a(out);
  }
  return out;
}

std::string generatedSuffix(const std::string& stack, const std::string& id) {
  static constexpr std::string_view kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::uint64_t h = fnv1a(stack + '\n' + id);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    out.push_back(kDigits[h % kDigits.size()]);
    h /= kDigits.size();
  }
  return out;
}

std::string generatedName(const std::string& stack, const std::string& id, std::size_t max,
                          bool lowercase) {
  const std::string suffix = generatedSuffix(stack, id);
  std::string prefix = stack + "-" + id;
  if (prefix.size() + 1 + suffix.size() > max) prefix.resize(max - 1 - suffix.size());
  std::string out = prefix + "-" + suffix;
  return lowercase ? match::foldCase(out) : out;
}

std::optional<std::vector<std::string>> cidrBlocks(const std::string& block, int count, int bits,
                                                   std::string& error) {
  const std::size_t slash = block.find('/');
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(block.substr(0, slash), ec);
  const std::string prefix_text = slash == std::string::npos ? "" : block.substr(slash + 1);
  if (ec || prefix_text.empty() || prefix_text.size() > 3 ||
      !std::all_of(prefix_text.begin(), prefix_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    error = "`" + block + "` is not a CIDR block (ADDRESS/PREFIX)";
    return std::nullopt;
  }
  const int width = address.is_v6() ? 128 : 32;
  const int prefix = std::stoi(prefix_text);
  if (prefix > width) {
    error = "`" + block + "` has a prefix longer than " + std::to_string(width) + " bits";
    return std::nullopt;
  }
  if (count < 1 || count > 256) {
    error = "the count is 1 to 256, not " + std::to_string(count);
    return std::nullopt;
  }
  if (bits < 1 || bits > width - prefix ||
      (width - bits - prefix < 9 && count > (1 << (width - bits - prefix)))) {
    error = std::to_string(count) + " blocks of " + std::to_string(bits) +
            " host bits do not fit in `" + block + "`";
    return std::nullopt;
  }
  std::array<unsigned char, 16> base{};
  const int size = width / 8;
  if (address.is_v6()) {
    const auto b = address.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), base.begin());
  } else {
    const auto b = address.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), base.begin());
  }
  for (int bit = prefix; bit < width; ++bit)
    base[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    std::array<unsigned char, 16> net = base;
    for (int b = 0; b < 9; ++b) {
      if (((i >> b) & 1) == 0) continue;
      const int from_lsb = bits + b;
      net[size - 1 - from_lsb / 8] |= static_cast<unsigned char>(1 << (from_lsb % 8));
    }
    std::string host;
    if (address.is_v6()) {
      boost::asio::ip::address_v6::bytes_type bytes;
      std::copy(net.begin(), net.begin() + 16, bytes.begin());
      host = boost::asio::ip::address_v6(bytes).to_string();
    } else {
      boost::asio::ip::address_v4::bytes_type bytes;
      std::copy(net.begin(), net.begin() + 4, bytes.begin());
      host = boost::asio::ip::address_v4(bytes).to_string();
    }
    out.push_back(host + "/" + std::to_string(width - bits));
  }
  return out;
}

Resolver::Resolver(const json& doc, const std::string& file, const LoadOptions& options)
    : FieldReader(file, "cfn"),
      doc_(doc),
      options_(options),
      stack_(options.stack_name.empty() ? "stack" : options.stack_name) {
  auto section = [&](const char* name) -> const json* {
    const auto it = doc.find(name);
    return it != doc.end() && it->is_object() ? &*it : nullptr;
  };
  parameters_ = section("Parameters");
  mappings_ = section("Mappings");
  conditions_ = section("Conditions");
  resources_ = section("Resources");
}

bool Resolver::tooDeep(int depth, const std::string& where) {
  if (depth <= kMaxDepth) return false;
  if (!depth_reported_) {
    error("cfn.too_deep",
          "intrinsic functions and references nest deeper than " + std::to_string(kMaxDepth) +
              " levels",
          where);
    depth_reported_ = true;
  }
  return true;
}

std::optional<std::string> Resolver::account(const std::string& where) {
  if (!options_.account.empty()) return options_.account;
  if (!account_reported_) {
    error("cfn.missing_account",
          "the template needs the account id (for the ARNs of its resources or `AWS::AccountId`): "
          "give --account",
          where);
    account_reported_ = true;
  }
  return std::nullopt;
}

Value Resolver::resolve(const json& v, const std::string& where, int depth) {
  if (tooDeep(depth, where)) return std::nullopt;
  if (!v.is_object()) return v.is_array() ? literal(v, where, depth) : Value(v);
  auto isFunction = [](const std::string& key) {
    return key == "Ref" || key.rfind("Fn::", 0) == 0;
  };
  if (v.size() == 1 && isFunction(v.begin().key()))
    return intrinsic(v.begin().key(), v.begin().value(), where, depth + 1);
  for (const auto& [key, value] : v.items()) {
    if (isFunction(key)) {
      error("cfn.bad_intrinsic", "`" + key + "` must be the only key of its object",
            pointerAppend(where, key));
      return std::nullopt;
    }
  }
  return literal(v, where, depth);
}

Value Resolver::literal(const json& v, const std::string& where, int depth) {
  json out = v.is_array() ? json::array() : json::object();
  bool ok = true;
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Value r = resolve(v[i], pointerAppend(where, i), depth + 1);
      if (!r) {
        ok = false;
      } else if (!r->is_discarded()) {
        out.push_back(*r);
      }
    }
  } else {
    for (const auto& [key, value] : v.items()) {
      const Value r = resolve(value, pointerAppend(where, key), depth + 1);
      if (!r) {
        ok = false;
      } else if (!r->is_discarded()) {
        out[key] = *r;
      }
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

Value Resolver::intrinsic(const std::string& fn, const json& arg, const std::string& where,
                          int depth) {
  if (fn == "Ref") return ref(arg, where, depth);
  if (fn == "Fn::GetAtt") return getAtt(arg, where, depth);
  if (fn == "Fn::Sub") return sub(arg, where, depth);
  if (fn == "Fn::Join") return join(arg, where, depth);
  if (fn == "Fn::Select") return select(arg, where, depth);
  if (fn == "Fn::Split") return split(arg, where, depth);
  if (fn == "Fn::FindInMap") return findInMap(arg, where, depth);
  if (fn == "Fn::If") return ifFn(arg, where, depth);
  if (fn == "Fn::Base64") return base64(arg, where, depth);
  if (fn == "Fn::Cidr") return cidr(arg, where, depth);
  if (fn == "Fn::Length") return length(arg, where, depth);
  if (fn == "Fn::ToJsonString") return toJsonString(arg, where, depth);
  if (fn == "Fn::GetAZs") {
    error("cfn.unresolved",
          "`Fn::GetAZs` lists the availability zones the account sees in a region, which trustsim "
          "does not know",
          where);
    return std::nullopt;
  }
  if (fn == "Fn::ImportValue") {
    error("cfn.unresolved",
          "`Fn::ImportValue` reads an output another stack exports, known only in the account: "
          "replace it with a "
          "parameter and give its value with --parameter",
          where);
    return std::nullopt;
  }
  if (fn == "Fn::Transform") {
    error("cfn.unsupported_intrinsic",
          "`Fn::Transform` runs a macro at deploy time, which trustsim cannot run", where);
    return std::nullopt;
  }
  if (fn == "Fn::Equals" || fn == "Fn::And" || fn == "Fn::Or" || fn == "Fn::Not") {
    error("cfn.bad_intrinsic",
          "`" + fn + "` belongs in the `Conditions` section; use `Fn::If` with a condition here",
          where);
    return std::nullopt;
  }
  error("cfn.bad_intrinsic", "unknown intrinsic function `" + fn + "`", where);
  return std::nullopt;
}

bool Resolver::arity(const std::string& fn, const json& arg, std::size_t min, std::size_t max,
                     const std::string& where) {
  if (arg.is_array() && arg.size() >= min && arg.size() <= max) return true;
  const std::string count =
      min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
  error("cfn.bad_intrinsic",
        "`" + fn + "` takes a list of " + count + " arguments, not " +
            std::string(parse::describeType(arg)) +
            (arg.is_array() ? " of " + std::to_string(arg.size()) : ""),
        where);
  return false;
}

std::optional<std::string> Resolver::asText(const json& v, const std::string& where, int depth,
                                            const char* what) {
  const Value r = resolve(v, where, depth + 1);
  if (!r) return std::nullopt;
  if (auto s = scalarText(*r)) return s;
  error(
      "cfn.wrong_type",
      std::string(what) + " must be a string, not " +
          (r->is_discarded() ? std::string("AWS::NoValue") : std::string(parse::describeType(*r))),
      where);
  return std::nullopt;
}

std::optional<json> Resolver::asList(const json& v, const std::string& where, int depth,
                                     const char* what) {
  const Value r = resolve(v, where, depth + 1);
  if (!r) return std::nullopt;
  if (r->is_array()) return r;
  error(
      "cfn.wrong_type",
      std::string(what) + " must be a list, not " +
          (r->is_discarded() ? std::string("AWS::NoValue") : std::string(parse::describeType(*r))),
      where);
  return std::nullopt;
}

std::optional<long long> Resolver::asInteger(const json& v, const std::string& where, int depth,
                                             const char* what) {
  const Value r = resolve(v, where, depth + 1);
  if (!r) return std::nullopt;
  if (r->is_number_integer()) return r->get<long long>();
  if (r->is_string()) {
    const std::string s = r->get<std::string>();
    if (!s.empty() && s.size() < 10 &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(s);
    }
  }
  error("cfn.bad_intrinsic", std::string(what) + " must be a whole number, not `" + show(*r) + "`",
        where);
  return std::nullopt;
}

// ---- Ref, pseudo parameters, parameters

Value Resolver::ref(const json& arg, const std::string& where, int depth) {
  if (!arg.is_string()) {
    error("cfn.bad_intrinsic",
          "`Ref` takes the name of a parameter, a resource or a pseudo parameter, not " +
              std::string(parse::describeType(arg)),
          pointerAppend(where, "Ref"));
    return std::nullopt;
  }
  return refName(arg.get<std::string>(), where, depth);
}

Value Resolver::refName(const std::string& name, const std::string& where, int depth) {
  if (name.rfind("AWS::", 0) == 0) return pseudo(name, where);
  if (parameters_ != nullptr && parameters_->contains(name)) return parameter(name, where);
  if (resources_ != nullptr && resources_->contains(name)) {
    const Physical* p = referenced(name, where, depth);
    if (p == nullptr) return std::nullopt;
    return json(p->ref);
  }
  error("cfn.unknown_reference",
        "`" + name + "` is not a parameter, a resource or a pseudo parameter of this template",
        where);
  return std::nullopt;
}

Value Resolver::pseudo(const std::string& name, const std::string& where) {
  if (name == "AWS::AccountId") {
    const auto a = account(where);
    return a ? Value(json(*a)) : std::nullopt;
  }
  if (name == "AWS::Partition") return json(options_.partition);
  if (name == "AWS::Region") return json(options_.region);
  if (name == "AWS::URLSuffix") return json(urlSuffix(options_.partition));
  if (name == "AWS::NoValue") return noValue();
  if (name == "AWS::StackName") {
    if (!options_.stack_name.empty()) return json(options_.stack_name);
    error("cfn.unresolved",
          "`AWS::StackName` is the name the stack is given: give it with --stack-name", where);
    return std::nullopt;
  }
  if (name == "AWS::StackId" || name == "AWS::NotificationARNs") {
    error("cfn.unresolved", "`" + name + "` is only known once the stack exists", where);
    return std::nullopt;
  }
  error("cfn.unknown_reference", "`" + name + "` is not a pseudo parameter", where);
  return std::nullopt;
}

Value Resolver::parameter(const std::string& name, const std::string& where) {
  if (const auto it = parameter_memo_.find(name); it != parameter_memo_.end()) return it->second;
  const std::string decl_where = pointerAppend("/Parameters", name);
  const json& decl = (*parameters_)[name];
  Value out;
  // INVARIANT: the loader reports a declaration that is not an object or has no string Type.
  if (decl.is_object() && decl.contains("Type") && decl["Type"].is_string()) {
    const std::string type = decl["Type"].get<std::string>();
    if (const auto text = parameterText(name, decl, where)) {
      json value = json(*text);
      if (isListType(type)) {
        value = json::array();
        for (const std::string& item : splitText(*text, ",")) value.push_back(item);
      }
      if (checkParameter(name, decl, value, decl_where)) out = std::move(value);
    }
  }
  return parameter_memo_[name] = out;
}

std::optional<std::string> Resolver::parameterText(const std::string& name, const json& decl,
                                                   const std::string& where) {
  const std::string decl_where = pointerAppend("/Parameters", name);
  if (const auto given = options_.parameters.find(name); given != options_.parameters.end())
    return given->second;
  const std::string type = decl["Type"].get<std::string>();
  const auto d = decl.find("Default");
  if (d == decl.end() || d->is_null()) {
    error("cfn.missing_parameter",
          "parameter `" + name + "`, used at " + where +
              ", has no Default: give its value with --parameter " + name + "=VALUE",
          decl_where);
    return std::nullopt;
  }
  if (isSsmType(type)) {
    error("cfn.unresolved",
          "parameter `" + name +
              "` is read from SSM Parameter Store at deploy time (its Default names the SSM "
              "parameter): give its value with --parameter " +
              name + "=VALUE",
          decl_where);
    return std::nullopt;
  }
  if (auto s = scalarText(*d)) return s;
  error("cfn.wrong_type",
        "the Default of parameter `" + name + "` must be a string, not " +
            std::string(parse::describeType(*d)),
        pointerAppend(decl_where, "Default"));
  return std::nullopt;
}

// AWS: CloudFormation refuses a stack whose parameter values break the declared constraints.
bool Resolver::checkParameter(const std::string& name, const json& decl, const json& value,
                              const std::string& where) {
  const bool given = options_.parameters.count(name) > 0;
  const std::string source = given ? "--parameter " + name : "the Default of `" + name + "`";
  const std::string type = decl["Type"].get<std::string>();
  std::vector<std::string> items;
  for (const json& v : value.is_array() ? value : json::array({value}))
    items.push_back(v.get<std::string>());
  bool ok = true;
  auto fail = [&](const std::string& why, const char* field) {
    error("cfn.invalid_parameter", source + ": " + why, pointerAppend(where, field));
    ok = false;
  };
  const auto number = [](const json& d, const char* key) -> std::optional<double> {
    const auto it = d.find(key);
    if (it == d.end()) return std::nullopt;
    if (it->is_number()) return it->get<double>();
    if (it->is_string()) {
      char* end = nullptr;
      const std::string s = it->get<std::string>();
      const double x = std::strtod(s.c_str(), &end);
      if (!s.empty() && *end == '\0') return x;
    }
    return std::nullopt;
  };
  for (const std::string& item : items) {
    if (type == "Number" || type == "List<Number>") {
      char* end = nullptr;
      const double x = std::strtod(item.c_str(), &end);
      if (item.empty() || *end != '\0') {
        fail("`" + item + "` is not a number", "Type");
        continue;
      }
      if (const auto min = number(decl, "MinValue"); min && x < *min)
        fail("`" + item + "` is below MinValue", "MinValue");
      if (const auto max = number(decl, "MaxValue"); max && x > *max)
        fail("`" + item + "` is above MaxValue", "MaxValue");
    }
    if (const auto min = number(decl, "MinLength");
        min && static_cast<double>(item.size()) < *min) {
      fail("`" + item + "` is shorter than MinLength", "MinLength");
    }
    if (const auto max = number(decl, "MaxLength");
        max && static_cast<double>(item.size()) > *max) {
      fail("`" + item + "` is longer than MaxLength", "MaxLength");
    }
    if (const auto allowed = decl.find("AllowedValues");
        allowed != decl.end() && allowed->is_array()) {
      const bool in = std::any_of(allowed->begin(), allowed->end(),
                                  [&](const json& a) { return scalarText(a) == item; });
      if (!in)
        fail("`" + item + "` is not one of the AllowedValues " + show(*allowed), "AllowedValues");
    }
    if (const auto pattern = decl.find("AllowedPattern");
        pattern != decl.end() && pattern->is_string()) {
      try {
        if (!std::regex_match(item, std::regex(pattern->get<std::string>()))) {
          fail("`" + item + "` does not match the AllowedPattern `" + pattern->get<std::string>() +
                   "`",
               "AllowedPattern");
        }
      } catch (const std::regex_error&) {
        warning("cfn.invalid_parameter",
                "the AllowedPattern of `" + name +
                    "` is not a regular expression trustsim reads; not checked",
                pointerAppend(where, "AllowedPattern"));
      }
    }
  }
  return ok;
}

// ---- resources

const Physical* Resolver::referenced(const std::string& id, const std::string& where, int depth) {
  if (resources_ == nullptr || !resources_->contains(id)) {
    error("cfn.unknown_reference", "`" + id + "` is not a resource of this template", where);
    return nullptr;
  }
  if (evaluating_conditions_ > 0) {
    // AWS: conditions may use parameters, mappings and pseudo parameters, not resources.
    error("cfn.bad_intrinsic", "a condition cannot depend on the resource `" + id + "`", where);
    return nullptr;
  }
  const json& r = (*resources_)[id];
  if (!r.is_object()) return nullptr;  // INVARIANT: the loader reports it
  if (const auto c = r.find("Condition"); c != r.end() && c->is_string()) {
    const std::string rw = pointerAppend(pointerAppend("/Resources", id), "Condition");
    const auto on = condition(c->get<std::string>(), rw, depth + 1);
    if (!on) return nullptr;
    if (!*on) {
      error("cfn.unresolved",
            "`" + id + "` is not created (its condition `" + c->get<std::string>() +
                "` is false), so it cannot be referenced here",
            where);
      return nullptr;
    }
  }
  return physical(id, where, depth);
}

const Physical* Resolver::physical(const std::string& id, const std::string& where, int depth) {
  if (const auto it = physical_memo_.find(id); it != physical_memo_.end()) {
    return it->second ? &*it->second : nullptr;
  }
  if (std::find(physical_in_progress_.begin(), physical_in_progress_.end(), id) !=
      physical_in_progress_.end()) {
    std::vector<std::string> chain(
        std::find(physical_in_progress_.begin(), physical_in_progress_.end(), id),
        physical_in_progress_.end());
    chain.push_back(id);
    error("cfn.cycle",
          "the names of these resources depend on each other: " + joinNames(chain, " → "), where);
    return nullptr;
  }
  if (tooDeep(depth, where)) return nullptr;
  physical_in_progress_.push_back(id);
  std::optional<Physical> p = describe(id, (*resources_)[id], where, depth + 1);
  physical_in_progress_.pop_back();
  auto& slot = physical_memo_[id];
  slot = std::move(p);
  return slot ? &*slot : nullptr;
}

std::optional<std::string> Resolver::nameOf(const std::string& id, const json& props,
                                            const std::string& where, const char* property,
                                            std::size_t max, bool lowercase, int depth,
                                            bool& generated) {
  if (const auto it = props.find(property); it != props.end()) {
    const Value v = resolve(*it, pointerAppend(where, property), depth + 1);
    if (!v) return std::nullopt;
    if (!v->is_discarded()) {
      if (auto s = scalarText(*v)) return s;
      error("cfn.wrong_type",
            std::string("`") + property + "` must be a string, not " +
                std::string(parse::describeType(*v)),
            pointerAppend(where, property));
      return std::nullopt;
    }
  }
  generated = true;
  return generatedName(stack_, id, max, lowercase);
}

std::optional<Physical> Resolver::describe(const std::string& id, const json& resource,
                                           const std::string& where, int depth) {
  const std::string rw = pointerAppend("/Resources", id);
  const auto t = resource.find("Type");
  if (t == resource.end() || !t->is_string())
    return std::nullopt;  // INVARIANT: the loader reports it
  const std::string type = t->get<std::string>();
  const TypeInfo* info = typeInfo(type);
  if (info == nullptr) {
    error("cfn.unresolved",
          "`" + id + "` is a `" + type +
              "` resource, whose physical id and attributes trustsim does not model",
          where);
    return std::nullopt;
  }
  static const json kNoProperties = json::object();
  const auto pi = resource.find("Properties");
  const json& props = pi != resource.end() && pi->is_object() ? *pi : kNoProperties;
  Physical p;
  p.type = type;
  if (!nameAndPath(id, *info, props, rw + "/Properties", depth, p)) return std::nullopt;
  std::optional<std::string> acct;
  if (info->shape != Shape::S3Bucket) {
    acct = account(where);
    if (!acct) return std::nullopt;
  }
  locate(p, info->shape, acct.value_or(""), options_, stack_ + "/" + id);
  if (p.generated) {
    const std::string what =
        info->shape == Shape::KmsKey
            ? "its key id is assigned by AWS KMS"
            : std::string("it has no `") + info->name_property +
                  "`, so CloudFormation generates its name (STACK-LOGICALID-RANDOM)";
    warning("cfn.generated_name",
            "`" + id + "`: " + what + "; trustsim uses `" + p.name + "` in its place", rw);
  }
  return p;
}

bool Resolver::nameAndPath(const std::string& id, const TypeInfo& info, const json& props,
                           const std::string& where, int depth, Physical& p) {
  if (info.name_property != nullptr) {
    const auto name = nameOf(id, props, where, info.name_property, info.max_name, info.lowercase,
                             depth, p.generated);
    if (!name) return false;
    p.name = *name;
    if (info.iam_path && !validIamName(p.name, info.max_name)) {
      error("cfn.invalid_value",
            "`" + p.name + "` is not a valid IAM name (1-" + std::to_string(info.max_name) +
                " characters of letters, digits and _+=,.@-)",
            pointerAppend(where, info.name_property));
      return false;
    }
  }
  if (info.shape == Shape::OidcProvider) {
    const auto url = props.find("Url");
    if (url == props.end()) {
      error("cfn.missing_field", "an `AWS::IAM::OIDCProvider` needs its `Url`", where);
      return false;
    }
    const auto u = asText(*url, where + "/Url", depth, "`Url`");
    if (!u) return false;
    // AWS: the provider ARN is oidc-provider/ followed by the URL without its scheme.
    p.name = u->rfind("https://", 0) == 0 ? u->substr(8) : *u;
  }
  const auto path = props.find("Path");
  if (!info.iam_path || path == props.end()) return true;
  const Value v = resolve(*path, where + "/Path", depth + 1);
  if (!v) return false;
  if (v->is_discarded()) return true;
  if (!v->is_string() || !validIamPath(v->get<std::string>())) {
    error("cfn.invalid_value",
          "`Path` must start and end with `/` (at most 512 printable characters), not " + show(*v),
          where + "/Path");
    return false;
  }
  p.path = v->get<std::string>();
  return true;
}

// ---- Fn::GetAtt and Fn::Sub

Value Resolver::getAtt(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::GetAtt");
  std::string id, attr;
  if (arg.is_string() && arg.get<std::string>().find('.') != std::string::npos) {
    const std::string s = arg.get<std::string>();
    id = s.substr(0, s.find('.'));
    attr = s.substr(s.find('.') + 1);
  } else if (arg.is_array() && arg.size() == 2 && arg[0].is_string()) {
    id = arg[0].get<std::string>();
    const auto a = asText(arg[1], pointerAppend(at, 1), depth, "the attribute name");
    if (!a) return std::nullopt;
    attr = *a;
  } else {
    error("cfn.bad_intrinsic",
          "`Fn::GetAtt` takes [LOGICAL_ID, ATTRIBUTE] or \"LOGICAL_ID.ATTRIBUTE\"", at);
    return std::nullopt;
  }
  return attribute(id, attr, where, depth);
}

Value Resolver::attribute(const std::string& id, const std::string& attr, const std::string& where,
                          int depth) {
  const Physical* p = referenced(id, where, depth);
  if (p == nullptr) return std::nullopt;
  if (const auto it = p->attributes.find(attr); it != p->attributes.end()) return json(it->second);
  std::vector<std::string> known;
  for (const auto& [name, value] : p->attributes) known.push_back(name);
  error("cfn.unresolved",
        "`" + id + "." + attr + "` is only known once the resource exists" +
            (known.empty()
                 ? std::string(" (trustsim models no attribute of `") + p->type + "`)"
                 : " (trustsim models " + joinNames(known, ", ") + " of `" + p->type + "`)"),
        where);
  return std::nullopt;
}

Value Resolver::sub(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::Sub");
  json vars = json::object();
  std::string text;
  if (arg.is_string()) {
    text = arg.get<std::string>();
  } else if (arg.is_array() && arg.size() == 2 && arg[0].is_string() && arg[1].is_object()) {
    text = arg[0].get<std::string>();
    bool ok = true;
    for (const auto& [name, value] : arg[1].items()) {
      const Value v = resolve(value, pointerAppend(pointerAppend(at, 1), name), depth + 1);
      if (!v) {
        ok = false;
      } else {
        vars[name] = *v;
      }
    }
    if (!ok) return std::nullopt;
  } else {
    error("cfn.bad_intrinsic", "`Fn::Sub` takes a string, or [STRING, {VARIABLE: VALUE, ...}]", at);
    return std::nullopt;
  }
  const auto out = substitute(text, vars, where, depth);
  return out ? Value(json(*out)) : std::nullopt;
}

// AWS: `${Name}` is a variable, a parameter, a resource's Ref or a pseudo parameter; `${Id.Attr}`
// is Fn::GetAtt; `${!Text}` is the literal `${Text}`.
std::optional<std::string> Resolver::substitute(const std::string& text, const json& vars,
                                                const std::string& where, int depth) {
  std::string out;
  bool ok = true;
  std::size_t i = 0;
  for (std::size_t open = text.find("${"); open != std::string::npos; open = text.find("${", i)) {
    out += text.substr(i, open - i);
    if (open + 2 < text.size() && text[open + 2] == '!') {
      out += "${";
      i = open + 3;
      continue;
    }
    const std::size_t close = text.find('}', open + 2);
    if (close == std::string::npos) {
      error("cfn.bad_intrinsic", "`${` without its `}` in `Fn::Sub`",
            pointerAppend(where, "Fn::Sub"));
      return std::nullopt;
    }
    const std::string name = text.substr(open + 2, close - open - 2);
    i = close + 1;
    Value v;
    if (vars.contains(name)) {
      v = vars[name];
    } else if (name.find(':') != std::string::npos && name.rfind("AWS::", 0) != 0) {
      error("cfn.unknown_reference",
            "`${" + name +
                "}` in `Fn::Sub` is not a parameter, resource or pseudo parameter (write `${!" +
                name + "}` for the literal text, e.g. a policy variable)",
            where);
      v = std::nullopt;
    } else if (const std::size_t dot = name.find('.'); dot != std::string::npos) {
      v = attribute(name.substr(0, dot), name.substr(dot + 1), where, depth);
    } else {
      v = refName(name, where, depth);
    }
    if (!v) {
      ok = false;
      continue;
    }
    if (auto s = scalarText(*v)) {
      out += *s;
    } else {
      error("cfn.wrong_type",
            "`${" + name + "}` in `Fn::Sub` must be a string, not " +
                (v->is_discarded() ? std::string("AWS::NoValue")
                                   : std::string(parse::describeType(*v))),
            where);
      ok = false;
    }
  }
  out += text.substr(i);
  if (!ok) return std::nullopt;
  return out;
}

// ---- list functions

Value Resolver::join(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::Join");
  if (!arity("Fn::Join", arg, 2, 2, at)) return std::nullopt;
  if (!arg[0].is_string()) {
    error("cfn.bad_intrinsic", "the delimiter of `Fn::Join` must be a string",
          pointerAppend(at, 0));
    return std::nullopt;
  }
  const auto items = asList(arg[1], pointerAppend(at, 1), depth, "the values of `Fn::Join`");
  if (!items) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto s = scalarText((*items)[i]);
    if (!s) {
      error("cfn.wrong_type",
            "the values of `Fn::Join` must be strings, not " +
                std::string(parse::describeType((*items)[i])),
            pointerAppend(pointerAppend(at, 1), i));
      return std::nullopt;
    }
    out += (i ? arg[0].get<std::string>() : "") + *s;
  }
  return json(out);
}

Value Resolver::select(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::Select");
  if (!arity("Fn::Select", arg, 2, 2, at)) return std::nullopt;
  const auto index = asInteger(arg[0], pointerAppend(at, 0), depth, "the index of `Fn::Select`");
  const auto items = asList(arg[1], pointerAppend(at, 1), depth, "the values of `Fn::Select`");
  if (!index || !items) return std::nullopt;
  if (*index < 0 || static_cast<std::size_t>(*index) >= items->size()) {
    error("cfn.bad_intrinsic",
          "index " + std::to_string(*index) + " of `Fn::Select` is outside the list of " +
              std::to_string(items->size()) + " values",
          at);
    return std::nullopt;
  }
  return (*items)[static_cast<std::size_t>(*index)];
}

Value Resolver::split(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::Split");
  if (!arity("Fn::Split", arg, 2, 2, at)) return std::nullopt;
  if (!arg[0].is_string() || arg[0].get<std::string>().empty()) {
    error("cfn.bad_intrinsic", "the delimiter of `Fn::Split` must be a non-empty string",
          pointerAppend(at, 0));
    return std::nullopt;
  }
  const auto source = asText(arg[1], pointerAppend(at, 1), depth, "the source of `Fn::Split`");
  if (!source) return std::nullopt;
  json out = json::array();
  for (const std::string& part : splitText(*source, arg[0].get<std::string>())) out.push_back(part);
  return out;
}

Value Resolver::findInMap(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::FindInMap");
  if (!arity("Fn::FindInMap", arg, 3, 4, at)) return std::nullopt;
  std::array<std::string, 3> keys;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto k = asText(arg[i], pointerAppend(at, i), depth, "a key of `Fn::FindInMap`");
    if (!k) return std::nullopt;
    keys[i] = *k;
  }
  // AWS: with the AWS::LanguageExtensions transform a fourth argument {DefaultValue: V} is used
  // when a key is missing.
  const json* fallback = nullptr;
  if (arg.size() == 4) {
    if (!arg[3].is_object() || !arg[3].contains("DefaultValue")) {
      error("cfn.bad_intrinsic",
            "the fourth argument of `Fn::FindInMap` is {\"DefaultValue\": VALUE}",
            pointerAppend(at, 3));
      return std::nullopt;
    }
    fallback = &arg[3]["DefaultValue"];
  }
  const json* map =
      mappings_ != nullptr && mappings_->contains(keys[0]) ? &(*mappings_)[keys[0]] : nullptr;
  if (map == nullptr) {
    error("cfn.unknown_reference", "`" + keys[0] + "` is not a mapping of this template", where);
    return std::nullopt;
  }
  const json* top = map->is_object() && map->contains(keys[1]) ? &(*map)[keys[1]] : nullptr;
  const json* value =
      top != nullptr && top->is_object() && top->contains(keys[2]) ? &(*top)[keys[2]] : nullptr;
  if (value != nullptr) return *value;
  if (fallback != nullptr)
    return resolve(*fallback, pointerAppend(pointerAppend(at, 3), "DefaultValue"), depth + 1);
  error("cfn.unknown_reference",
        top == nullptr
            ? "mapping `" + keys[0] + "` has no key `" + keys[1] + "`"
            : "mapping `" + keys[0] + "` has no key `" + keys[2] + "` under `" + keys[1] + "`",
        where);
  return std::nullopt;
}

Value Resolver::ifFn(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::If");
  if (!arity("Fn::If", arg, 3, 3, at)) return std::nullopt;
  if (!arg[0].is_string()) {
    error("cfn.bad_intrinsic", "the first argument of `Fn::If` is the name of a condition",
          pointerAppend(at, 0));
    return std::nullopt;
  }
  const auto on = condition(arg[0].get<std::string>(), pointerAppend(at, 0), depth + 1);
  if (!on) return std::nullopt;
  const std::size_t branch = *on ? 1 : 2;
  return resolve(arg[branch], pointerAppend(at, branch), depth + 1);
}

Value Resolver::base64(const json& arg, const std::string& where, int depth) {
  const auto s =
      asText(arg, pointerAppend(where, "Fn::Base64"), depth, "the argument of `Fn::Base64`");
  return s ? Value(json(base64Encode(*s))) : std::nullopt;
}

Value Resolver::cidr(const json& arg, const std::string& where, int depth) {
  const std::string at = pointerAppend(where, "Fn::Cidr");
  if (!arity("Fn::Cidr", arg, 3, 3, at)) return std::nullopt;
  const auto block = asText(arg[0], pointerAppend(at, 0), depth, "the block of `Fn::Cidr`");
  const auto count = asInteger(arg[1], pointerAppend(at, 1), depth, "the count of `Fn::Cidr`");
  const auto bits = asInteger(arg[2], pointerAppend(at, 2), depth, "the cidrBits of `Fn::Cidr`");
  if (!block || !count || !bits) return std::nullopt;
  std::string why;
  const auto blocks = cidrBlocks(*block, static_cast<int>(*count), static_cast<int>(*bits), why);
  if (!blocks) {
    error("cfn.bad_intrinsic", "`Fn::Cidr`: " + why, at);
    return std::nullopt;
  }
  return json(*blocks);
}

Value Resolver::length(const json& arg, const std::string& where, int depth) {
  const auto items =
      asList(arg, pointerAppend(where, "Fn::Length"), depth, "the argument of `Fn::Length`");
  return items ? Value(json(items->size())) : std::nullopt;
}

Value Resolver::toJsonString(const json& arg, const std::string& where, int depth) {
  const Value v = resolve(arg, pointerAppend(where, "Fn::ToJsonString"), depth + 1);
  if (!v) return std::nullopt;
  if (!v->is_object() && !v->is_array()) {
    error("cfn.wrong_type", "`Fn::ToJsonString` takes an object or a list",
          pointerAppend(where, "Fn::ToJsonString"));
    return std::nullopt;
  }
  return json(show(*v));
}

// ---- conditions

std::optional<bool> Resolver::condition(const std::string& name, const std::string& where,
                                        int depth) {
  if (const auto it = condition_memo_.find(name); it != condition_memo_.end()) return it->second;
  if (conditions_ == nullptr || !conditions_->contains(name)) {
    error("cfn.unknown_reference", "`" + name + "` is not a condition of this template", where);
    return std::nullopt;
  }
  const auto loop = std::find(conditions_in_progress_.begin(), conditions_in_progress_.end(), name);
  if (loop != conditions_in_progress_.end()) {
    std::vector<std::string> chain(loop, conditions_in_progress_.end());
    chain.push_back(name);
    error("cfn.cycle", "these conditions depend on each other: " + joinNames(chain, " → "), where);
    return std::nullopt;
  }
  if (tooDeep(depth, where)) return std::nullopt;
  conditions_in_progress_.push_back(name);
  ++evaluating_conditions_;
  const auto value =
      conditionExpression((*conditions_)[name], pointerAppend("/Conditions", name), depth + 1);
  --evaluating_conditions_;
  conditions_in_progress_.pop_back();
  return condition_memo_[name] = value;
}

std::optional<bool> Resolver::conditionExpression(const json& v, const std::string& where,
                                                  int depth) {
  if (tooDeep(depth, where)) return std::nullopt;
  if (v.is_object() && v.size() == 1) {
    const std::string& fn = v.begin().key();
    const json& arg = v.begin().value();
    if (fn == "Condition" && arg.is_string())
      return condition(arg.get<std::string>(), pointerAppend(where, fn), depth + 1);
    if (fn == "Fn::Equals") return equals(arg, pointerAppend(where, fn), depth + 1);
    if (fn == "Fn::And" || fn == "Fn::Or" || fn == "Fn::Not")
      return logical(fn, arg, pointerAppend(where, fn), depth + 1);
  }
  error("cfn.bad_intrinsic",
        "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {\"Condition\": NAME}, not " +
            show(v),
        where);
  return std::nullopt;
}

// AWS: Fn::Equals compares two values; a Ref to a Number parameter is text, so scalars compare as
// text.
std::optional<bool> Resolver::equals(const json& arg, const std::string& where, int depth) {
  if (!arity("Fn::Equals", arg, 2, 2, where)) return std::nullopt;
  const Value a = resolve(arg[0], pointerAppend(where, 0), depth + 1);
  const Value b = resolve(arg[1], pointerAppend(where, 1), depth + 1);
  if (!a || !b) return std::nullopt;
  const auto ta = scalarText(*a), tb = scalarText(*b);
  if (ta && tb) return *ta == *tb;
  return *a == *b;
}

std::optional<bool> Resolver::logical(const std::string& fn, const json& arg,
                                      const std::string& where, int depth) {
  const bool negate = fn == "Fn::Not";
  if (!arity(fn, arg, negate ? 1 : 2, negate ? 1 : 10, where)) return std::nullopt;
  std::vector<std::optional<bool>> values;
  for (std::size_t i = 0; i < arg.size(); ++i)
    values.push_back(conditionExpression(arg[i], pointerAppend(where, i), depth + 1));
  if (std::any_of(values.begin(), values.end(), [](const auto& v) { return !v; }))
    return std::nullopt;
  if (negate) return !*values[0];
  const bool all = std::all_of(values.begin(), values.end(), [](const auto& v) { return *v; });
  const bool any = std::any_of(values.begin(), values.end(), [](const auto& v) { return *v; });
  return fn == "Fn::And" ? all : any;
}

}  // namespace trustsim::load::cfn
