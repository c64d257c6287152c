// SPDX-License-Identifier: Apache-2.0
// The CloudFormation reader: the template's sections are checked, each created resource of a
// modelled type becomes entities (roles, users, groups, managed policies, providers, buckets and
// keys first, then the resources that attach policies to them), and every property is evaluated
// through the resolver only when it is read.
#include "load/cloudformation.h"

#include <algorithm>
#include <cctype>

#include "load/cfn_resolver.h"
#include "match/condition_ops.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "trustsim/arn.h"

namespace trustsim::load {
namespace {

using nlohmann::json;
using parse::pointerAppend;

// AWS: the top-level sections of a template ("Template anatomy"); any other key is refused.
constexpr std::string_view kSections[] = {"AWSTemplateFormatVersion",
                                          "Description",
                                          "Metadata",
                                          "Parameters",
                                          "Rules",
                                          "Mappings",
                                          "Conditions",
                                          "Transform",
                                          "Resources",
                                          "Outputs",
                                          "Hooks"};

// Types that grant or create access in ways the world does not hold.
constexpr std::string_view kUnmodelled[] = {"AWS::SQS::QueuePolicy",
                                            "AWS::SNS::TopicPolicy",
                                            "AWS::Lambda::Permission",
                                            "AWS::Lambda::LayerVersionPermission",
                                            "AWS::SecretsManager::ResourcePolicy",
                                            "AWS::Events::EventBusPolicy",
                                            "AWS::Logs::ResourcePolicy",
                                            "AWS::IAM::ServiceLinkedRole",
                                            "AWS::CloudFormation::Stack"};

std::string fold(std::string s) { return match::foldCase(s); }

bool contains(const std::vector<std::string_view>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class Loader : public cfn::Resolver {
 public:
  Loader(const json& doc, const std::string& file, const LoadOptions& options,
         const parse::SourceLines* lines)
      : Resolver(doc, file, options), lines_(lines) {}

  Result<World> run() {
    if (checkTemplate()) {
      unusedParameters();
      const auto created = createdResources();
      for (int phase = 1; phase <= 2; ++phase) {
        for (const std::string& id : created) load(id, phase);
      }
      if (!options_.account.empty()) {
        Account a;
        a.id = options_.account;
        a.partition = options_.partition;
        a.ours = true;
        a.origin = Origin{file_, ""};
        world_.accounts[a.id] = std::move(a);
      }
    }
    addLines();
    if (hasErrors(diags_)) return diags_;
    world_.diagnostics = std::move(diags_);
    return std::move(world_);
  }

 private:
  using Load = void (Loader::*)(const std::string& id, const json& props, const std::string& where);

  // What a modelled type makes: phase 1 entities, phase 2 attachments to them. `properties` are
  // the type's properties (AWS::IAM types only: CloudFormation refuses any other); empty: not
  // checked.
  struct Handler {
    std::string_view type;
    int phase;
    Load load;
    std::vector<std::string_view> properties;
  };

  static const std::vector<Handler>& handlers() {
    static const std::vector<Handler> kHandlers = {
        {"AWS::IAM::Role",
         1,
         &Loader::role,
         {"AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration",
          "Path", "PermissionsBoundary", "Policies", "RoleName", "Tags"}},
        {"AWS::IAM::User",
         1,
         &Loader::user,
         {"Groups", "LoginProfile", "ManagedPolicyArns", "Path", "PermissionsBoundary", "Policies",
          "Tags", "UserName"}},
        {"AWS::IAM::Group",
         1,
         &Loader::group,
         {"GroupName", "ManagedPolicyArns", "Path", "Policies"}},
        {"AWS::IAM::ManagedPolicy",
         1,
         &Loader::managedPolicy,
         {"Description", "Groups", "ManagedPolicyName", "Path", "PolicyDocument", "Roles",
          "Users"}},
        {"AWS::IAM::OIDCProvider", 1, &Loader::provider, {}},
        {"AWS::IAM::SAMLProvider", 1, &Loader::provider, {}},
        {"AWS::S3::Bucket", 1, &Loader::bucket, {}},
        {"AWS::KMS::Key", 1, &Loader::key, {}},
        {"AWS::IAM::ManagedPolicy", 2, &Loader::managedAttachments, {}},
        {"AWS::IAM::Policy",
         2,
         &Loader::policy,
         {"Groups", "PolicyDocument", "PolicyName", "Roles", "Users"}},
        {"AWS::IAM::RolePolicy",
         2,
         &Loader::rolePolicy,
         {"PolicyDocument", "PolicyName", "RoleName"}},
        {"AWS::IAM::UserPolicy",
         2,
         &Loader::userPolicy,
         {"PolicyDocument", "PolicyName", "UserName"}},
        {"AWS::IAM::GroupPolicy",
         2,
         &Loader::groupPolicy,
         {"GroupName", "PolicyDocument", "PolicyName"}},
        {"AWS::IAM::UserToGroupAddition", 2, &Loader::userToGroup, {"GroupName", "Users"}},
        {"AWS::S3::BucketPolicy", 2, &Loader::bucketPolicy, {"Bucket", "PolicyDocument"}},
    };
    return kHandlers;
  }

  // ---- the template

  // Sections and their shapes. False when there is nothing to load (no usable Resources).
  bool checkTemplate() {
    for (const auto& [key, value] : doc_.items()) {
      if (std::find(std::begin(kSections), std::end(kSections), key) == std::end(kSections)) {
        error("cfn.unknown_section", "unknown template section `" + key + "`",
              pointerAppend("", key));
      }
    }
    if (const auto v = doc_.find("AWSTemplateFormatVersion");
        v != doc_.end() && *v != "2010-09-09") {
      error("cfn.invalid_value",
            "`AWSTemplateFormatVersion` is \"2010-09-09\" (the only version), not " + cfn::show(*v),
            "/AWSTemplateFormatVersion");
    }
    for (const char* name : {"Parameters", "Mappings", "Conditions"})
      field(doc_, name, "", Want::Object, false);
    transforms();
    parameterDeclarations();
    if (!isKnownPartition(options_.partition)) {
      error("cfn.invalid_value", "--partition `" + options_.partition + "` is not an AWS partition",
            "");
    }
    return field(doc_, "Resources", "", Want::Object, true) != nullptr;
  }

  void transforms() {
    const auto t = doc_.find("Transform");
    if (t == doc_.end()) return;
    const json list = t->is_array() ? *t : json::array({*t});
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string w = t->is_array() ? pointerAppend("/Transform", i) : "/Transform";
      if (!list[i].is_string()) {
        error("cfn.wrong_type", "a transform is the name of a macro (a string)", w);
      } else if (list[i] != "AWS::LanguageExtensions") {
        // AWS: transforms are macros CloudFormation runs on the template before it creates
        // anything.
        warning("cfn.transform",
                "transform `" + list[i].get<std::string>() +
                    "` rewrites the template when it is deployed and trustsim does not run it: "
                    "resources it would add "
                    "(such as the roles of AWS::Serverless functions) are missing; load the "
                    "processed template "
                    "(aws cloudformation get-template --template-stage Processed)",
                w);
      }
    }
  }

  void parameterDeclarations() {
    if (parameters_ == nullptr) return;
    for (const auto& [name, decl] : parameters_->items()) {
      const std::string w = pointerAppend("/Parameters", name);
      if (!decl.is_object()) {
        error("cfn.wrong_type",
              "a parameter declaration is an object, not " + std::string(parse::describeType(decl)),
              w);
        continue;
      }
      field(decl, "Type", w, Want::String, true);
    }
  }

  void unusedParameters() {
    for (const auto& [name, value] : options_.parameters) {
      if (parameters_ != nullptr && parameters_->contains(name)) continue;
      std::string declared;
      if (parameters_ != nullptr) {
        for (const auto& [p, decl] : parameters_->items())
          declared += (declared.empty() ? "" : ", ") + p;
      }
      warning("cfn.unknown_parameter",
              "--parameter " + name + " is not a parameter of this template (its parameters: " +
                  (declared.empty() ? std::string("none") : declared) + ")",
              "/Parameters");
    }
  }

  // The logical IDs of the resources that are created (their Condition, if any, is true).
  std::vector<std::string> createdResources() {
    std::vector<std::string> out;
    for (const auto& [id, r] : resources_->items()) {
      const std::string w = pointerAppend("/Resources", id);
      if (id.rfind("Fn::ForEach::", 0) == 0) {
        error("cfn.unsupported_intrinsic",
              "`Fn::ForEach` (AWS::LanguageExtensions) is not supported: expand the loop", w);
        continue;
      }
      if (!r.is_object()) {
        error("cfn.wrong_type",
              "a resource is an object with a `Type`, not " + std::string(parse::describeType(r)),
              w);
        continue;
      }
      const bool typed = field(r, "Type", w, Want::String, true) != nullptr;
      const bool shaped = field(r, "Properties", w, Want::Object, false) != nullptr ||
                          !r.contains("Properties") || r["Properties"].is_null();
      const json* c = field(r, "Condition", w, Want::String, false);
      if (!typed || !shaped ||
          (c == nullptr && r.contains("Condition") && !r["Condition"].is_null()))
        continue;
      if (c != nullptr) {
        const auto on = condition(c->get<std::string>(), w + "/Condition");
        if (!on || !*on) continue;
      }
      out.push_back(id);
    }
    return out;
  }

  void load(const std::string& id, int phase) {
    const json& r = (*resources_)[id];
    const std::string type = r["Type"].get<std::string>();
    const std::string where = pointerAppend(pointerAppend("/Resources", id), "Properties");
    static const json kNone = json::object();
    const json& props =
        r.contains("Properties") && r["Properties"].is_object() ? r["Properties"] : kNone;
    bool modelled = false;
    for (const Handler& h : handlers()) {
      if (h.type != type) continue;
      modelled = true;
      if (h.phase != phase) continue;
      unknownProperties(h, props, where);
      (this->*h.load)(id, props, where);
    }
    if (!modelled && phase == 1) unmodelled(id, type);
  }

  void unknownProperties(const Handler& h, const json& props, const std::string& where) {
    if (h.properties.empty()) return;
    for (const auto& [name, value] : props.items()) {
      if (!contains(h.properties, name)) {
        error("cfn.unknown_property",
              "`" + std::string(h.type) + "` has no property `" + name + "`",
              pointerAppend(where, name));
      }
    }
  }

  void unmodelled(const std::string& id, const std::string& type) {
    if (std::find(std::begin(kUnmodelled), std::end(kUnmodelled), type) == std::end(kUnmodelled))
      return;
    const std::string why =
        type == "AWS::CloudFormation::Stack"
            ? "is a nested stack: its resources are in another template, load that template too"
            : "grants or creates access in a way trustsim does not model: that access is not in "
              "the world";
    warning("cfn.unmodelled", "`" + id + "` (" + type + ") " + why,
            pointerAppend("/Resources", id));
  }

  // ---- properties

  // The value of property `name`, evaluated. nullopt when absent or AWS::NoValue
  // (cfn.missing_field if required), or not evaluable (reported).
  std::optional<json> evaluated(const json& props, const char* name, const std::string& where,
                                bool required) {
    const std::string w = pointerAppend(where, name);
    const auto it = props.find(name);
    cfn::Value v = json(json::value_t::discarded);
    if (it != props.end() && !it->is_null()) v = resolve(*it, w);
    if (!v) return std::nullopt;
    if (v->is_discarded()) {
      if (required) error("cfn.missing_field", std::string("missing `") + name + "`", w);
      return std::nullopt;
    }
    return v;
  }

  // The same, of the JSON type `want` (cfn.wrong_type otherwise).
  std::optional<json> property(const json& props, const char* name, const std::string& where,
                               Want want, bool required) {
    auto v = evaluated(props, name, where, required);
    if (v && !is(*v, want)) {
      error("cfn.wrong_type",
            std::string("`") + name + "` must be " + std::string(load::describe(want)) + ", not " +
                std::string(parse::describeType(*v)),
            pointerAppend(where, name));
      return std::nullopt;
    }
    return v;
  }

  // A String property. AWS: CloudFormation writes YAML numbers and booleans given for a String
  // property as text.
  std::optional<std::string> stringProperty(const json& props, const char* name,
                                            const std::string& where, bool required) {
    const auto v = evaluated(props, name, where, required);
    if (!v) return std::nullopt;
    if (auto s = cfn::scalarText(*v)) return s;
    error(
        "cfn.wrong_type",
        std::string("`") + name + "` must be a string, not " + std::string(parse::describeType(*v)),
        pointerAppend(where, name));
    return std::nullopt;
  }

  // The same for a member of an evaluated object (a tag, an entry of `Policies`).
  std::optional<std::string> member(const json& obj, const char* name, const std::string& where) {
    const auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) {
      error("cfn.missing_field", std::string("missing `") + name + "`", pointerAppend(where, name));
      return std::nullopt;
    }
    if (auto s = cfn::scalarText(*it)) return s;
    error("cfn.wrong_type",
          std::string("`") + name + "` must be a string, not " +
              std::string(parse::describeType(*it)),
          pointerAppend(where, name));
    return std::nullopt;
  }

  // A list of strings (names or ARNs).
  std::vector<std::string> strings(const json& props, const char* name, const std::string& where,
                                   bool required = false) {
    std::vector<std::string> out;
    const auto v = property(props, name, where, Want::Array, required);
    if (!v) return out;
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (auto text = cfn::scalarText((*v)[i])) {
        out.push_back(*text);
      } else {
        error("cfn.wrong_type",
              std::string("the entries of `") + name + "` are strings, not " +
                  std::string(parse::describeType((*v)[i])),
              pointerAppend(pointerAppend(where, name), i));
      }
    }
    return out;
  }

  // Role, user or group names (CloudFormation takes names here, not ARNs).
  std::vector<std::string> names(const json& props, const char* name, const std::string& where,
                                 bool required = false) {
    std::vector<std::string> out = strings(props, name, where, required);
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].rfind("arn:", 0) == 0) {
        error("cfn.invalid_value",
              "`" + std::string(name) + "` takes names, not ARNs: `" + out[i] + "`",
              pointerAppend(pointerAppend(where, name), i));
      }
    }
    return out;
  }

  // A policy document: an object, or JSON text. Parsed as authored.
  std::optional<NamedPolicy> document(const json& v, PolicyKind kind, const std::string& where,
                                      std::string name) {
    json parsed;
    const json* doc = &v;
    if (v.is_string()) {
      auto r = parse::readJson(v.get<std::string>(), file_);
      if (!r) {
        const Diagnostic& d = r.error().front();
        error("cfn.invalid_document", "the policy document is text that is not JSON: " + d.message,
              where);
        return std::nullopt;
      }
      parsed = std::move(r).value();
      doc = &parsed;
    }
    NamedPolicy np;
    np.name = std::move(name);
    np.policy = parse::parsePolicy(*doc, {kind, PolicyOrigin::Authored, file_, where});
    diags_.insert(diags_.end(), np.policy.diagnostics.begin(), np.policy.diagnostics.end());
    return np;
  }

  std::optional<NamedPolicy> documentProperty(const json& props, const char* name,
                                              const std::string& where, PolicyKind kind,
                                              const std::string& policy_name) {
    const auto v = property(props, name, where, Want::Document, true);
    if (!v) return std::nullopt;
    return document(*v, kind, pointerAppend(where, name), policy_name);
  }

  // `Policies`: [{PolicyName, PolicyDocument}], names unique.
  std::vector<NamedPolicy> inlinePolicies(const json& props, const std::string& where) {
    std::vector<NamedPolicy> out;
    const auto list = property(props, "Policies", where, Want::Array, false);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string w = pointerAppend(where + "/Policies", i);
      const json& entry = (*list)[i];
      if (!entry.is_object()) {
        error("cfn.wrong_type",
              "an entry of `Policies` is {PolicyName, PolicyDocument}, not " +
                  std::string(parse::describeType(entry)),
              w);
        continue;
      }
      const auto name = member(entry, "PolicyName", w);
      const json* d = field(entry, "PolicyDocument", w, Want::Document, true);
      if (!name || d == nullptr) continue;
      // AWS: the policies of one role, user or group have distinct names.
      if (std::any_of(out.begin(), out.end(),
                      [&](const NamedPolicy& p) { return p.name == *name; })) {
        error("cfn.duplicate", "two policies named `" + *name + "`", w + "/PolicyName");
      }
      if (auto np = document(*d, PolicyKind::Identity, w + "/PolicyDocument", *name))
        out.push_back(std::move(*np));
    }
    return out;
  }

  // A managed policy ARN (arn:PARTITION:iam::ACCOUNT|aws:policy/...).
  bool policyArn(const std::string& arn, const std::string& where) {
    const auto a = Arn::parse(arn);
    if (a && a->service == "iam" && a->resource.rfind("policy/", 0) == 0 &&
        (a->account == "aws" || isAccountId(a->account))) {
      return true;
    }
    error("cfn.invalid_value",
          "`" + arn + "` is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)", where);
    return false;
  }

  std::vector<std::string> policyArns(const json& props, const std::string& where) {
    std::vector<std::string> arns = strings(props, "ManagedPolicyArns", where);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < arns.size(); ++i) {
      if (policyArn(arns[i], pointerAppend(where + "/ManagedPolicyArns", i)))
        out.push_back(arns[i]);
    }
    return out;
  }

  std::optional<std::string> boundary(const json& props, const std::string& where) {
    auto b = stringProperty(props, "PermissionsBoundary", where, false);
    if (b && !policyArn(*b, where + "/PermissionsBoundary")) return std::nullopt;
    return b;
  }

  std::vector<Tag> tags(const json& props, const std::string& where) {
    std::vector<Tag> out;
    const auto list = property(props, "Tags", where, Want::Array, false);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string w = pointerAppend(where + "/Tags", i);
      if (!(*list)[i].is_object()) {
        error("cfn.wrong_type",
              "a tag is {Key, Value}, not " + std::string(parse::describeType((*list)[i])), w);
        continue;
      }
      const auto k = member((*list)[i], "Key", w);
      const auto v = member((*list)[i], "Value", w);
      if (k && v) out.push_back(Tag{*k, *v});
    }
    return out;
  }

  // AWS: MaxSessionDuration is 3600 to 43200 seconds.
  std::optional<int> maxSessionDuration(const json& props, const std::string& where) {
    const std::string w = where + "/MaxSessionDuration";
    const auto it = props.find("MaxSessionDuration");
    if (it == props.end()) return std::nullopt;
    const cfn::Value v = resolve(*it, w);
    if (!v || v->is_discarded()) return std::nullopt;
    long long seconds = -1;
    if (v->is_number_integer()) seconds = v->get<long long>();
    if (v->is_string()) {
      const std::string s = v->get<std::string>();
      if (!s.empty() && s.size() < 7 &&
          std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        seconds = std::stoll(s);
      }
    }
    if (seconds < 3600 || seconds > 43200) {
      error("cfn.invalid_value",
            "`MaxSessionDuration` is 3600 to 43200 seconds, not " + cfn::show(*v), w);
      return std::nullopt;
    }
    return static_cast<int>(seconds);
  }

  Origin origin(const std::string& id) const {
    const std::string w = pointerAppend("/Resources", id);
    return Origin{file_, w, id, lines_ != nullptr ? lines_->line(w) : 0};
  }

  // Adds an entity unless another resource made it already (cfn.duplicate).
  template <typename Map, typename Entity>
  void insert(Map& map, const std::string& key, Entity&& entity, const std::string& what) {
    if (const auto it = map.find(key); it != map.end()) {
      duplicate(it->second.origin, entity.origin, what + " `" + key + "`");
      return;
    }
    map.emplace(key, std::forward<Entity>(entity));
  }

  // The same for IAM entities, whose names are unique in an account ignoring case and path.
  template <typename Map, typename Entity>
  void insertNamed(Map& map, Entity&& entity, const std::string& what) {
    const std::string folded = fold(entity.name);
    for (const auto& [arn, other] : map) {
      if (other.account == entity.account && fold(other.name) == folded) {
        duplicate(other.origin, entity.origin, what + " named `" + entity.name + "`");
        return;
      }
    }
    const std::string key = entity.arn;
    map.emplace(key, std::forward<Entity>(entity));
  }

  void duplicate(const Origin& first, const Origin& second, const std::string& what) {
    error("cfn.duplicate",
          "`" + first.address + "` and `" + second.address + "` both make the " + what,
          second.where);
  }

  // ---- phase 1: entities

  // Phase 1 readers evaluate every property even when the entity's name cannot be known (its
  // error is reported), so that one run reports all the errors of a resource.
  void role(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    Role r;
    r.account = options_.account;
    r.name = p != nullptr ? p->name : id;
    if (p != nullptr) {
      r.arn = p->arn;
      r.path = p->path;
      r.id = p->attributes.at("RoleId");
      // AWS: service-linked roles live under the path /aws-service-role/ (SCPs do not apply).
      r.service_linked = p->path.rfind("/aws-service-role/", 0) == 0;
    }
    if (auto t = documentProperty(props, "AssumeRolePolicyDocument", where, PolicyKind::Trust,
                                  r.name + " trust policy")) {
      r.trust_policy = std::move(*t);
    }
    r.inline_policies = inlinePolicies(props, where);
    r.managed_policies = policyArns(props, where);
    r.permissions_boundary = boundary(props, where);
    r.tags = tags(props, where);
    if (const auto d = maxSessionDuration(props, where)) r.max_session_duration = *d;
    r.origin = origin(id);
    if (p != nullptr) insertNamed(world_.roles, std::move(r), "role");
  }

  void user(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    User u;
    u.account = options_.account;
    if (p != nullptr) {
      u.arn = p->arn;
      u.name = p->name;
      u.path = p->path;
      u.id = cfn::stableId("AIDA", u.arn);
    }
    u.groups = names(props, "Groups", where);
    u.inline_policies = inlinePolicies(props, where);
    u.managed_policies = policyArns(props, where);
    u.permissions_boundary = boundary(props, where);
    u.tags = tags(props, where);
    u.origin = origin(id);
    if (p != nullptr) insertNamed(world_.users, std::move(u), "user");
  }

  void group(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    Group g;
    g.account = options_.account;
    if (p != nullptr) {
      g.arn = p->arn;
      g.name = p->name;
      g.path = p->path;
      g.id = cfn::stableId("AGPA", g.arn);
    }
    g.inline_policies = inlinePolicies(props, where);
    g.managed_policies = policyArns(props, where);
    g.origin = origin(id);
    if (p != nullptr) insertNamed(world_.groups, std::move(g), "group");
  }

  void managedPolicy(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    auto doc = documentProperty(props, "PolicyDocument", where, PolicyKind::Identity,
                                p != nullptr ? p->name : id);
    if (p == nullptr || !doc) return;
    insert(world_.policies, p->arn, ManagedPolicy{p->arn, std::move(*doc), origin(id)},
           "managed policy");
  }

  void provider(const std::string& id, const json&, const std::string&) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    if (p == nullptr) return;
    insert(world_.identity_providers, p->arn,
           IdentityProvider{p->arn, options_.account, origin(id)}, "identity provider");
  }

  void bucket(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    const auto acct = account(pointerAppend("/Resources", id));
    if (p == nullptr || !acct) return;
    Resource r;
    r.arn = p->arn;
    r.account = *acct;
    r.tags = tags(props, where);
    r.origin = origin(id);
    insert(world_.resources, r.arn, std::move(r), "bucket");
  }

  void key(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    Resource r;
    r.account = options_.account;
    r.tags = tags(props, where);
    r.origin = origin(id);
    if (props.contains("KeyPolicy")) {
      r.policy = documentProperty(props, "KeyPolicy", where, PolicyKind::Resource, id);
    } else if (p != nullptr) {
      // AWS: a key created without a key policy gets the default one: the account (and so its
      // IAM policies) may do every kms action on the key.
      const json policy = {
          {"Version", "2012-10-17"},
          {"Id", "key-default-1"},
          {"Statement",
           {{{"Sid", "Enable IAM User Permissions"},
             {"Effect", "Allow"},
             {"Principal",
              {{"AWS", "arn:" + options_.partition + ":iam::" + options_.account + ":root"}}},
             {"Action", "kms:*"},
             {"Resource", "*"}}}}};
      r.policy = document(policy, PolicyKind::Resource, pointerAppend("/Resources", id), id);
    }
    if (p == nullptr || !r.policy) return;
    r.arn = p->arn;
    insert(world_.resources, r.arn, std::move(r), "key");
  }

  // ---- phase 2: attachments by name

  template <typename Entity>
  Entity* named(std::map<std::string, Entity>& map, const std::string& name) {
    const std::string folded = fold(name);
    for (auto& [arn, e] : map) {
      // AWS: IAM names are unique in an account ignoring case, and found ignoring case.
      if (e.account == options_.account && fold(e.name) == folded) return &e;
    }
    return nullptr;
  }

  void outside(const std::string& id, const char* kind, const std::string& name,
               const std::string& where) {
    warning("cfn.outside_target",
            "`" + id + "` attaches to the " + kind + " `" + name +
                "`, which this template does not define: trustsim cannot add a policy to an entity "
                "of another file, "
                "so this attachment is not in the world",
            where);
  }

  // Calls `attach` on each template entity of `list` (role, user or group names).
  template <typename Entity, typename F>
  void eachNamed(const std::string& id, std::map<std::string, Entity>& map,
                 const std::vector<std::string>& list, const char* kind, const std::string& where,
                 F attach) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].rfind("arn:", 0) == 0) continue;  // reported by names()
      if (Entity* e = named(map, list[i])) {
        attach(*e);
      } else {
        outside(id, kind, list[i], pointerAppend(where, i));
      }
    }
  }

  void managedAttachments(const std::string& id, const json& props, const std::string& where) {
    const cfn::Physical* p = physical(id, pointerAppend("/Resources", id));
    if (p == nullptr) return;
    const std::string arn = p->arn;
    auto add = [&](auto& e) { e.managed_policies.push_back(arn); };
    eachNamed(id, world_.roles, names(props, "Roles", where), "role", where + "/Roles", add);
    eachNamed(id, world_.users, names(props, "Users", where), "user", where + "/Users", add);
    eachNamed(id, world_.groups, names(props, "Groups", where), "group", where + "/Groups", add);
  }

  void policy(const std::string& id, const json& props, const std::string& where) {
    const auto name = stringProperty(props, "PolicyName", where, true);
    const auto doc =
        documentProperty(props, "PolicyDocument", where, PolicyKind::Identity, name.value_or(id));
    const auto roles = names(props, "Roles", where);
    const auto users = names(props, "Users", where);
    const auto groups = names(props, "Groups", where);
    if (roles.empty() && users.empty() && groups.empty()) {
      // AWS: an AWS::IAM::Policy names at least one of Roles, Users and Groups.
      error("cfn.missing_field", "an `AWS::IAM::Policy` needs `Roles`, `Users` or `Groups`", where);
    }
    if (!name || !doc) return;
    auto add = [&](auto& e) { e.inline_policies.push_back(*doc); };
    eachNamed(id, world_.roles, roles, "role", where + "/Roles", add);
    eachNamed(id, world_.users, users, "user", where + "/Users", add);
    eachNamed(id, world_.groups, groups, "group", where + "/Groups", add);
  }

  // AWS::IAM::RolePolicy, UserPolicy, GroupPolicy: one inline policy of one entity.
  template <typename Entity>
  void singlePolicy(const std::string& id, const json& props, const std::string& where,
                    std::map<std::string, Entity>& map, const char* target, const char* kind) {
    const auto name = stringProperty(props, "PolicyName", where, true);
    const auto doc =
        documentProperty(props, "PolicyDocument", where, PolicyKind::Identity, name.value_or(id));
    const auto owner = stringProperty(props, target, where, true);
    if (!name || !doc || !owner) return;
    eachNamed(id, map, {*owner}, kind, pointerAppend(where, target),
              [&](Entity& e) { e.inline_policies.push_back(*doc); });
  }
  void rolePolicy(const std::string& id, const json& props, const std::string& where) {
    singlePolicy(id, props, where, world_.roles, "RoleName", "role");
  }
  void userPolicy(const std::string& id, const json& props, const std::string& where) {
    singlePolicy(id, props, where, world_.users, "UserName", "user");
  }
  void groupPolicy(const std::string& id, const json& props, const std::string& where) {
    singlePolicy(id, props, where, world_.groups, "GroupName", "group");
  }

  void userToGroup(const std::string& id, const json& props, const std::string& where) {
    const auto group_name = stringProperty(props, "GroupName", where, true);
    const auto users = names(props, "Users", where, true);
    if (!group_name) return;
    eachNamed(id, world_.users, users, "user", where + "/Users",
              [&](User& u) { u.groups.push_back(*group_name); });
  }

  void bucketPolicy(const std::string& id, const json& props, const std::string& where) {
    const auto bucket_name = stringProperty(props, "Bucket", where, true);
    const auto doc = documentProperty(props, "PolicyDocument", where, PolicyKind::Resource, id);
    const auto acct = account(pointerAppend("/Resources", id));
    if (!bucket_name || !doc || !acct) return;
    const std::string arn = "arn:" + options_.partition + ":s3:::" + *bucket_name;
    Resource& r = world_.resources[arn];
    if (r.policy) {
      duplicate(r.origin, origin(id), "policy of bucket `" + *bucket_name + "`");
      return;
    }
    const std::vector<Tag> bucket_tags = r.tags;
    r = Resource{arn, *acct, doc, bucket_tags, origin(id)};
  }

  // Says the line of every diagnostic that points into the template.
  void addLines() {
    if (lines_ == nullptr) return;
    for (Diagnostic& d : diags_) {
      if (d.file != file_ || d.where.empty()) continue;
      if (const int line = lines_->line(d.where); line > 0)
        d.message += " (line " + std::to_string(line) + ")";
    }
  }

  const parse::SourceLines* lines_;
  World world_;
};

}  // namespace

bool looksLikeCloudFormation(const json& doc) {
  if (!doc.is_object()) return false;
  if (doc.contains("AWSTemplateFormatVersion")) return true;
  const auto r = doc.find("Resources");
  if (r == doc.end() || !r->is_object()) return false;
  return std::any_of(r->begin(), r->end(), [](const json& res) {
    if (!res.is_object()) return false;
    const auto t = res.find("Type");
    return t != res.end() && t->is_string() && t->get<std::string>().rfind("AWS::", 0) == 0;
  });
}

Result<World> loadCloudFormation(const json& doc, const std::string& file,
                                 const LoadOptions& options, const parse::SourceLines* lines) {
  return Loader(doc, file, options, lines).run();
}

}  // namespace trustsim::load
