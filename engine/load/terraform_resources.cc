// SPDX-License-Identifier: Apache-2.0
// The Terraform reader, resource level: each AWS provider resource type → World entities or
// WorldEdits, with values that are known only after apply reported instead of guessed.
#include <algorithm>
#include <cctype>

#include "load/terraform_internal.h"
#include "load/world_edits.h"
#include "match/condition_ops.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "trustsim/arn.h"

namespace trustsim::load::tf {
namespace {

using parse::pointerAppend;
using Op = WorldEdit::Op;
using Target = WorldEdit::Target;

std::string folded(std::string_view s) { return match::foldCase(s); }

std::string_view kindWord(Target t) {
  switch (t) {
    case Target::Role:
      return "role";
    case Target::User:
      return "user";
    case Target::Group:
      return "group";
    case Target::ManagedPolicy:
      return "policy";
    case Target::Resource:
      return "resource";
    case Target::IdentityProvider:
      return "identity provider";
    case Target::OrgPolicy:
      return "organisation policy";
    case Target::Organization:
      return "organisation";
  }
  return "entity";
}

std::string_view typeOf(Target t) {
  switch (t) {
    case Target::Role:
      return "aws_iam_role";
    case Target::User:
      return "aws_iam_user";
    case Target::Group:
      return "aws_iam_group";
    case Target::ManagedPolicy:
    case Target::Resource:
    case Target::IdentityProvider:
    case Target::OrgPolicy:
    case Target::Organization:
      return "";
  }
  return "";
}

// The edit that undoes an addition: what a destroyed relation resource stood for goes away.
WorldEdit inverted(WorldEdit e) {
  e.subject = "no longer " + e.subject;
  switch (e.op) {
    case Op::Attach:
      e.op = Op::Detach;
      break;
    case Op::PutInline:
      e.op = Op::DeleteInline;
      e.policy.reset();
      break;
    case Op::JoinGroup:
      e.op = Op::LeaveGroup;
      break;
    case Op::PutOrgPolicy:
      e.op = Op::Remove;
      e.name = e.item;
      e.policy.reset();
      break;
    case Op::AttachOrgPolicy:
      e.op = Op::DetachOrgPolicy;
      break;
    case Op::Remove:
    case Op::Detach:
    case Op::DeleteInline:
    case Op::LeaveGroup:
    case Op::DetachOrgPolicy:
      break;  // INVARIANT: relation() only makes additions
  }
  return e;
}

// AWS: a key created without a policy gets the default key policy, which lets the account's IAM
// policies grant use of the key (the account root may do kms:*).
json defaultKeyPolicy(const std::string& partition, const std::string& account) {
  return {{"Version", "2012-10-17"},
          {"Id", "key-default-1"},
          {"Statement",
           {{{"Sid", "Enable IAM User Permissions"},
             {"Effect", "Allow"},
             {"Principal", {{"AWS", "arn:" + partition + ":iam::" + account + ":root"}}},
             {"Action", "kms:*"},
             {"Resource", "*"}}}}};
}

}  // namespace

// What each resource type is read for. Phase 1 builds entities, phase 2 sets resource policies
// on them, phase 3 (relations) makes WorldEdits; phase 0 types are read only for their name.
struct TerraformLoader::TypeSpec {
  std::string_view type;
  int phase;
  void (TerraformLoader::*entity)(const Instance&);
  std::optional<Target> removes;  // what a destroyed instance takes away from earlier inputs
};

const TerraformLoader::TypeSpec* TerraformLoader::spec(std::string_view type) {
  static const TypeSpec kSpecs[] = {
      {"aws_iam_role", 1, &TerraformLoader::role, Target::Role},
      {"aws_iam_user", 1, &TerraformLoader::user, Target::User},
      {"aws_iam_group", 1, &TerraformLoader::group, Target::Group},
      {"aws_iam_policy", 1, &TerraformLoader::managedPolicy, Target::ManagedPolicy},
      {"aws_kms_key", 1, &TerraformLoader::kmsKey, Target::Resource},
      {"aws_iam_openid_connect_provider", 1, &TerraformLoader::provider, Target::IdentityProvider},
      {"aws_iam_saml_provider", 1, &TerraformLoader::provider, Target::IdentityProvider},
      {"aws_organizations_policy", 1, &TerraformLoader::orgPolicy, Target::OrgPolicy},
      {"aws_s3_bucket", 0, nullptr, std::nullopt},
      {"aws_s3_bucket_policy", 2, &TerraformLoader::resourcePolicy, Target::Resource},
      {"aws_kms_key_policy", 2, &TerraformLoader::resourcePolicy, std::nullopt},
      {"aws_iam_role_policy", 3, nullptr, std::nullopt},
      {"aws_iam_user_policy", 3, nullptr, std::nullopt},
      {"aws_iam_group_policy", 3, nullptr, std::nullopt},
      {"aws_iam_role_policy_attachment", 3, nullptr, std::nullopt},
      {"aws_iam_user_policy_attachment", 3, nullptr, std::nullopt},
      {"aws_iam_group_policy_attachment", 3, nullptr, std::nullopt},
      {"aws_iam_policy_attachment", 3, nullptr, std::nullopt},
      {"aws_iam_user_group_membership", 3, nullptr, std::nullopt},
      {"aws_iam_group_membership", 3, nullptr, std::nullopt},
      {"aws_organizations_policy_attachment", 3, nullptr, std::nullopt},
  };
  for (const TypeSpec& s : kSpecs) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

// --- values ------------------------------------------------------------------------------------

TerraformLoader::Known TerraformLoader::known(const Instance& in, const char* attr) const {
  if (in.unknown != nullptr && in.unknown->is_object()) {
    const auto u = in.unknown->find(attr);
    if (u != in.unknown->end() && u->is_boolean() && u->get<bool>()) return Known::Unknown;
  }
  const auto v = in.values->find(attr);
  return v == in.values->end() || v->is_null() ? Known::Absent : Known::Yes;
}

const json* TerraformLoader::value(const Instance& in, const char* attr, Want want) {
  return known(in, attr) == Known::Yes ? field(*in.values, attr, in.where, want, false) : nullptr;
}

std::optional<std::string> TerraformLoader::text(const Instance& in, const char* attr) {
  const json* v = value(in, attr, Want::String);
  if (v == nullptr || v->get<std::string>().empty()) return std::nullopt;
  return v->get<std::string>();
}

bool TerraformLoader::accepted(const Instance& in, const char* attr) const {
  if (in.accepted) return true;
  if (in.before == nullptr) return false;
  const auto b = in.before->find(attr);
  const auto a = in.values->find(attr);
  return b != in.before->end() && a != in.values->end() && *a == *b;
}

bool TerraformLoader::configured(const Instance& in, const char* attr) const {
  // Without the configuration (a state, a trimmed plan) a computed value cannot be told from a
  // configured one: report it.
  return in.config == nullptr || in.config->contains(attr);
}

void TerraformLoader::unknownValue(const Instance& in, const std::string& attr,
                                   const std::string& consequence) {
  warning("terraform.unknown_value",
          "`" + in.address + "`: `" + attr + "` is known only after apply: " + consequence,
          pointerAppend(in.where, attr));
}

std::vector<std::string> TerraformLoader::strings(const Instance& in, const char* attr,
                                                  const std::string& consequence) {
  std::vector<std::string> out;
  if (known(in, attr) == Known::Unknown) {
    if (configured(in, attr)) unknownValue(in, attr, consequence);
    return out;
  }
  const json* list = value(in, attr, Want::Array);
  if (list == nullptr) return out;
  const json* unknown =
      in.unknown != nullptr && in.unknown->contains(attr) ? &(*in.unknown)[attr] : nullptr;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string w = pointerAppend(pointerAppend(in.where, attr), i);
    if (unknown != nullptr && unknown->is_array() && i < unknown->size() && (*unknown)[i] == true) {
      unknownValue(in, std::string(attr) + "[" + std::to_string(i) + "]", consequence);
    } else if (!(*list)[i].is_string()) {
      error("terraform.wrong_type",
            std::string("`") + attr + "` holds strings, not " +
                std::string(parse::describeType((*list)[i])),
            w);
    } else {
      out.push_back((*list)[i].get<std::string>());
    }
  }
  return out;
}

// `tags_all` (with the provider's default tags) when known, else `tags`.
std::vector<Tag> TerraformLoader::tags(const Instance& in) {
  const char* attr = known(in, "tags_all") == Known::Yes ? "tags_all" : "tags";
  if (known(in, attr) == Known::Unknown && configured(in, "tags")) {
    unknownValue(in, attr, "conditions on its tags may be decided differently after apply");
  }
  std::vector<Tag> out;
  const json* map = value(in, attr, Want::Object);
  if (map == nullptr) return out;
  for (const auto& [key, v] : map->items()) {
    if (v.is_string()) {
      out.push_back(Tag{key, v.get<std::string>()});
    } else if (!v.is_null()) {
      error("terraform.wrong_type",
            "a tag value is a string, not " + std::string(parse::describeType(v)),
            pointerAppend(pointerAppend(in.where, attr), key));
    }
  }
  return out;
}

// AWS: IAM names are unique per account ignoring case (keys and organisation ids compare the same
// way: they are lower case).
const Identity* TerraformLoader::named(std::string_view type, const std::string& name) const {
  const auto it = by_name_.find(std::string(type) + "|" + folded(name));
  return it == by_name_.end() ? nullptr : it->second;
}

// The one instance of the same module instance that `attr`'s configuration refers to
// (`policy_arn = aws_iam_policy.p.arn`), if that is exactly one instance of `type`.
const Identity* TerraformLoader::referenced(const Instance& in, const char* attr,
                                            std::string_view type) const {
  if (in.config == nullptr) return nullptr;
  const auto e = in.config->find(attr);
  if (e == in.config->end() || !e->is_object() || !e->contains("references") ||
      !(*e)["references"].is_array()) {
    return nullptr;
  }
  const std::string prefix = in.module_address.empty() ? "" : in.module_address + ".";
  std::set<const Identity*> found;
  for (const json& r : (*e)["references"]) {
    if (!r.is_string()) continue;
    const auto it = identities_.find(prefix + r.get<std::string>());
    if (it != identities_.end() && it->second.type == type && it->second.usable)
      found.insert(&it->second);
  }
  return found.size() == 1 ? *found.begin() : nullptr;
}

std::string TerraformLoader::account(const Instance& in) {
  if (!placement_.account.empty()) return placement_.account;
  if (!reported_no_account_) {
    reported_no_account_ = true;
    std::string why = "no ARN in this file names the account";
    if (placement_.seen.size() > 1) {
      why = "the ARNs of this file name several accounts (";
      for (const std::string& a : placement_.seen)
        why += (a == *placement_.seen.begin() ? "" : ", ") + a;
      why += ")";
    }
    error("terraform.no_account",
          "`" + in.address + "` has no known ARN, and " + why +
              ": pass --account ID (the account its resources are in)",
          in.entry);
  }
  return {};
}

Policy TerraformLoader::parseDocument(const Instance& in, const json& value,
                                      const std::string& where, PolicyKind kind,
                                      bool was_accepted) {
  auto doc = parse::readJson(value.get<std::string>(), file_);
  if (!doc) {
    const Diagnostic& d = doc.error().front();
    add(was_accepted ? Severity::Warning : Severity::Error, "terraform.invalid_document",
        "`" + in.address + "`: the policy is not JSON: " + d.message +
            (d.where.empty() ? "" : " (at " + d.where + ")") +
            (was_accepted ? "; it is kept as a policy that grants nothing" : ""),
        where);
    Policy empty;
    empty.kind = kind;
    empty.origin = PolicyOrigin::Dump;
    empty.file = file_;
    return empty;
  }
  Policy p = parse::parsePolicy(
      doc.value(),
      {kind, was_accepted ? PolicyOrigin::Dump : PolicyOrigin::Authored, file_, where});
  for (Diagnostic& d : p.diagnostics) {
    d.message = "`" + in.address + "`: " + d.message;
    diags_.push_back(d);
  }
  return p;
}

std::optional<NamedPolicy> TerraformLoader::document(const Instance& in, const char* attr,
                                                     PolicyKind kind, const std::string& name) {
  const json* v = value(in, attr, Want::String);
  if (v == nullptr || v->get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos)
    return std::nullopt;
  if (undoing_) return NamedPolicy{name, Policy{}};  // a destroyed object's policy is only named
  return NamedPolicy{
      name, parseDocument(in, *v, pointerAppend(in.where, attr), kind, accepted(in, attr))};
}

// A known `arn` of the expected shape (`arn:P:SERVICE:...:PREFIX...`); empty when not known.
std::string TerraformLoader::knownArn(const Instance& in, std::string_view service,
                                      std::string_view prefix) {
  const auto text_arn = text(in, "arn");
  if (!text_arn) return {};
  const auto a = Arn::parse(*text_arn);
  if (!a || a->service != service || !isKnownPartition(a->partition) || !isAccountId(a->account) ||
      a->resource.rfind(prefix, 0) != 0) {
    error("terraform.invalid_arn",
          "`" + in.address + "`: `" + *text_arn + "` is not an ARN `arn:PARTITION:" +
              std::string(service) + ":...:" + std::string(prefix) + "...` with a 12-digit account",
          pointerAppend(in.where, "arn"));
    return {};
  }
  return *text_arn;
}

std::string TerraformLoader::iamArn(const Instance& in, std::string_view kind,
                                    const std::string& path, const std::string& name) {
  const std::string acct = account(in);
  if (acct.empty()) return {};
  return "arn:" + placement_.partition + ":iam::" + acct + ":" + std::string(kind) + path + name;
}

// --- identities --------------------------------------------------------------------------------

// `name`, or the stand-in for a name the provider generates at apply time.
std::string TerraformLoader::nameOf(const Instance& in, const char* what) {
  if (auto n = text(in, "name")) return *n;
  // AWS provider: without `name`, the name is `name_prefix` (default `terraform-`) plus a
  // unique suffix chosen at apply.
  const std::string name =
      placeholderName(text(in, "name_prefix").value_or("terraform-"), in.address);
  unknownValue(in, "name", std::string("the ") + what + " is analysed as `" + name + "`");
  return name;
}

Identity TerraformLoader::iamIdentity(const Instance& in, std::string_view kind) {
  Identity id;
  id.type = in.type;
  id.name = nameOf(in, std::string(kind).c_str());
  if (known(in, "path") == Known::Unknown)
    unknownValue(in, "path", "the path `/` is assumed in its ARN");
  id.path = text(in, "path").value_or("/");
  id.arn = knownArn(in, "iam", std::string(kind) + "/");
  if (!id.arn.empty()) {
    id.account = Arn::parse(id.arn)->account;
  } else {
    id.arn = iamArn(in, kind, id.path, id.name);
    id.account = id.arn.empty() ? "" : Arn::parse(id.arn)->account;
  }
  return id;
}

Identity TerraformLoader::identify(const Instance& in) {
  const std::string_view t = in.type;
  if (t == "aws_iam_role") return iamIdentity(in, "role");
  if (t == "aws_iam_user") return iamIdentity(in, "user");
  if (t == "aws_iam_group") return iamIdentity(in, "group");
  if (t == "aws_iam_policy") return iamIdentity(in, "policy");
  Identity id;
  id.type = in.type;
  if (t == "aws_kms_key") {
    id.arn = knownArn(in, "kms", "key/");
    id.name = text(in, "key_id").value_or(placeholderName("", in.address));
    if (id.arn.empty()) {
      id.account = account(in);
      id.arn = "arn:" + placement_.partition + ":kms:" + placement_.region + ":" + id.account +
               ":key/" + id.name;
      if (known(in, "key_id") != Known::Yes)
        unknownValue(in, "arn", "the key is analysed as `" + id.arn + "`");
    } else {
      id.account = Arn::parse(id.arn)->account;
    }
  } else if (t == "aws_s3_bucket" || t == "aws_s3_bucket_policy") {
    id.name = text(in, "bucket").value_or("");
    if (!id.name.empty()) id.arn = "arn:" + placement_.partition + ":s3:::" + id.name;
  } else if (t == "aws_iam_openid_connect_provider" || t == "aws_iam_saml_provider") {
    const bool oidc = t == "aws_iam_openid_connect_provider";
    id.arn = knownArn(in, "iam", oidc ? "oidc-provider/" : "saml-provider/");
    std::string name = text(in, oidc ? "url" : "name").value_or("");
    if (oidc && name.rfind("https://", 0) == 0) name = name.substr(8);
    if (id.arn.empty() && !name.empty())
      id.arn = iamArn(in, oidc ? "oidc-provider/" : "saml-provider/", "", name);
    if (id.arn.empty())
      unknownValue(in, oidc ? "url" : "name", "the identity provider is left out");
    id.account = id.arn.empty() ? "" : Arn::parse(id.arn)->account;
  } else if (t == "aws_organizations_policy") {
    id.name = text(in, "id").value_or(placeholderName("", in.address));
    const std::string type = text(in, "type").value_or("SERVICE_CONTROL_POLICY");
    id.usable = type == "SERVICE_CONTROL_POLICY" || type == "RESOURCE_CONTROL_POLICY";
  }
  return id;
}

// --- entities ----------------------------------------------------------------------------------

std::optional<std::string> TerraformLoader::boundary(const Instance& in) {
  switch (known(in, "permissions_boundary")) {
    case Known::Yes:
      return text(in, "permissions_boundary");
    case Known::Unknown:
      if (const Identity* p = referenced(in, "permissions_boundary", "aws_iam_policy"))
        return p->arn;
      unknownValue(in, "permissions_boundary", "no permissions boundary is applied to it here");
      return std::nullopt;
    case Known::Absent:
      return std::nullopt;
  }
  return std::nullopt;
}

// A role's `inline_policy` blocks. The provider shows one empty block for a role without any.
std::vector<NamedPolicy> TerraformLoader::inlineBlocks(const Instance& in) {
  std::vector<NamedPolicy> out;
  if (known(in, "inline_policy") == Known::Unknown) {
    if (configured(in, "inline_policy"))
      unknownValue(in, "inline_policy", "its inline policies are not analysed");
    return out;
  }
  const json* list = value(in, "inline_policy", Want::Array);
  if (list == nullptr) return out;
  const json* unknown = in.unknown != nullptr && in.unknown->contains("inline_policy")
                            ? &(*in.unknown)["inline_policy"]
                            : nullptr;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string w = pointerAppend(pointerAppend(in.where, "inline_policy"), i);
    const json& block = (*list)[i];
    const json* u =
        unknown != nullptr && unknown->is_array() && i < unknown->size() ? &(*unknown)[i] : nullptr;
    if (!block.is_object()) {
      error("terraform.wrong_type",
            "an `inline_policy` block is an object `{name, policy}`, not " +
                std::string(parse::describeType(block)),
            w);
      continue;
    }
    if (u != nullptr &&
        (*u == true || (u->is_object() && u->contains("policy") && (*u)["policy"] == true))) {
      unknownValue(in, "inline_policy[" + std::to_string(i) + "].policy",
                   "this inline policy is not analysed");
      continue;
    }
    Instance sub = in;  // the block, read with the same accessors
    sub.values = &block;
    sub.where = w;
    sub.unknown = nullptr;
    sub.before = nullptr;
    bool was_accepted = in.accepted;
    if (in.before != nullptr && in.before->contains("inline_policy") &&
        (*in.before)["inline_policy"].is_array()) {
      const json& old = (*in.before)["inline_policy"];
      was_accepted = was_accepted || std::find(old.begin(), old.end(), block) != old.end();
    }
    sub.accepted = was_accepted;
    const auto name = text(sub, "name");
    const json* doc = value(sub, "policy", Want::String);
    if (!name && (doc == nullptr || doc->get<std::string>().empty())) continue;
    if (auto p = document(sub, "policy", PolicyKind::Identity, name.value_or("")))
      out.push_back(std::move(*p));
  }
  return out;
}

void TerraformLoader::role(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  Role r;
  r.arn = id.arn;
  r.account = id.account;
  r.name = id.name;
  r.path = id.path;
  r.id = text(in, "unique_id").value_or("");
  // AWS: service-linked roles live under the path /aws-service-role/ (SCPs do not apply).
  r.service_linked = r.path.rfind("/aws-service-role/", 0) == 0;
  r.trust_policy.name = r.name;
  r.trust_policy.policy.kind = PolicyKind::Trust;
  switch (known(in, "assume_role_policy")) {
    case Known::Yes:
      if (auto p = document(in, "assume_role_policy", PolicyKind::Trust, r.name))
        r.trust_policy = std::move(*p);
      break;
    case Known::Unknown:
      unknownValue(in, "assume_role_policy",
                   "the role is analysed with no trust policy, so nothing can assume it here");
      break;
    case Known::Absent:
      error("terraform.missing_field", "`" + in.address + "` has no `assume_role_policy`",
            pointerAppend(in.where, "assume_role_policy"));
      break;
  }
  r.inline_policies = inlineBlocks(in);
  r.managed_policies = strings(in, "managed_policy_arns", "its managed policies are not analysed");
  r.permissions_boundary = boundary(in);
  if (const json* d = value(in, "max_session_duration", Want::Integer))
    r.max_session_duration = d->get<int>();
  r.tags = tags(in);
  r.origin = origin(in);
  if (!r.arn.empty()) world_.roles[r.arn] = std::move(r);
}

void TerraformLoader::user(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  User u;
  u.arn = id.arn;
  u.account = id.account;
  u.name = id.name;
  u.path = id.path;
  u.id = text(in, "unique_id").value_or("");
  u.permissions_boundary = boundary(in);
  u.tags = tags(in);
  u.origin = origin(in);
  if (!u.arn.empty()) world_.users[u.arn] = std::move(u);
}

void TerraformLoader::group(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  Group g;
  g.arn = id.arn;
  g.account = id.account;
  g.name = id.name;
  g.path = id.path;
  g.id = text(in, "unique_id").value_or("");
  g.origin = origin(in);
  if (!g.arn.empty()) world_.groups[g.arn] = std::move(g);
}

void TerraformLoader::managedPolicy(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  ManagedPolicy p;
  p.arn = id.arn;
  p.document.name = id.name;
  p.document.policy.kind = PolicyKind::Identity;
  if (known(in, "policy") == Known::Unknown) {
    unknownValue(in, "policy", "the policy is analysed as granting nothing");
  } else if (auto d = document(in, "policy", PolicyKind::Identity, id.name)) {
    p.document = std::move(*d);
  }
  p.origin = origin(in);
  if (!p.arn.empty()) world_.policies[p.arn] = std::move(p);
}

void TerraformLoader::kmsKey(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  Resource res;
  res.arn = id.arn;
  res.account = id.account;
  res.tags = tags(in);
  res.origin = origin(in);
  const Known k = known(in, "policy");
  if (k == Known::Yes) {
    res.policy = document(in, "policy", PolicyKind::Resource, id.name);
  } else if (k == Known::Unknown && configured(in, "policy")) {
    unknownValue(in, "policy", "the key is analysed with no key policy");
  } else if (!id.account.empty()) {
    Policy p = parse::parsePolicy(
        defaultKeyPolicy(placement_.partition, id.account),
        {PolicyKind::Resource, PolicyOrigin::Dump, file_, pointerAppend(in.where, "policy")});
    res.policy = NamedPolicy{"default key policy", std::move(p)};
  }
  if (!id.account.empty()) world_.resources[res.arn] = std::move(res);
}

void TerraformLoader::provider(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  if (id.arn.empty()) return;
  world_.identity_providers[id.arn] = IdentityProvider{id.arn, id.account, origin(in)};
}

// aws_s3_bucket_policy and aws_kms_key_policy: the policy of a bucket or key.
void TerraformLoader::resourcePolicy(const Instance& in) {
  const bool bucket = in.type == "aws_s3_bucket_policy";
  const char* attr = bucket ? "bucket" : "key_id";
  std::optional<std::string> target = text(in, attr);
  if (!target && known(in, attr) == Known::Unknown) {
    const Identity* r = referenced(in, attr, bucket ? "aws_s3_bucket" : "aws_kms_key");
    if (r != nullptr && !(bucket ? r->name : r->arn).empty()) target = bucket ? r->name : r->arn;
  }
  if (!target) {
    if (known(in, attr) == Known::Unknown) {
      unknownValue(in, attr, "the policy is not applied");
    } else {
      error("terraform.missing_field", "`" + in.address + "` has no `" + attr + "`",
            pointerAppend(in.where, attr));
    }
    return;
  }
  std::string arn = *target;
  // A key of this input, named by its key id: its ARN has the key's own region.
  if (const Identity* key = bucket ? nullptr : named("aws_kms_key", *target)) arn = key->arn;
  if (arn.rfind("arn:", 0) != 0) {
    const std::string acct = account(in);
    if (acct.empty()) return;
    arn = bucket ? "arn:" + placement_.partition + ":s3:::" + *target
                 : "arn:" + placement_.partition + ":kms:" + placement_.region + ":" + acct +
                       ":key/" + *target;
  }
  if (known(in, "policy") == Known::Unknown) {
    unknownValue(
        in, "policy",
        "the " + std::string(bucket ? "bucket" : "key") + " is analysed without this policy");
    return;
  }
  auto doc = document(in, "policy", PolicyKind::Resource, *target);
  const auto it = world_.resources.find(arn);
  Resource res = it != world_.resources.end() ? it->second : Resource{};
  if (res.arn.empty()) {
    res.arn = arn;
    const auto a = Arn::parse(arn);
    // AWS: an S3 ARN names no account; the bucket belongs to the account the plan applies to.
    res.account = a && isAccountId(a->account) ? a->account : account(in);
  }
  res.policy = std::move(doc);
  res.origin = origin(in);
  if (!res.account.empty()) world_.resources[arn] = std::move(res);
}

void TerraformLoader::orgPolicy(const Instance& in) {
  const Identity& id = identities_.at(in.address);
  const std::string type = text(in, "type").value_or("SERVICE_CONTROL_POLICY");
  if (!id.usable) {
    warning("terraform.unsupported_policy",
            "`" + in.address + "` is a `" + type +
                "`; only service and resource control policies decide access, so it is skipped",
            pointerAppend(in.where, "type"));
    return;
  }
  const PolicyKind kind = type == "RESOURCE_CONTROL_POLICY" ? PolicyKind::Rcp : PolicyKind::Scp;
  if (known(in, "content") == Known::Unknown) {
    unknownValue(in, "content", "the policy is not applied");
    return;
  }
  auto doc = document(in, "content", kind, text(in, "name").value_or(id.name));
  if (!doc) return;
  WorldEdit e;
  e.op = Op::PutOrgPolicy;
  e.target = Target::OrgPolicy;
  e.item = id.name;
  e.policy = std::move(doc);
  e.origin = origin(in);
  e.subject = "defines organisation policy `" + id.name + "`";
  additions_.push_back(std::move(e));
}

// --- relations ---------------------------------------------------------------------------------

// The role, user or group a relation names (by name, or by ARN), or the one its configuration
// refers to when the name is known only after apply.
std::optional<TerraformLoader::PrincipalRef> TerraformLoader::principal(const Instance& in,
                                                                        const char* attr,
                                                                        Target target) {
  const std::string kind(kindWord(target));
  if (known(in, attr) == Known::Unknown) {
    if (const Identity* id = referenced(in, attr, typeOf(target)))
      return PrincipalRef{target, id->account, id->name};
    unknownValue(in, attr, "the " + kind + " it applies to is not known, so it is not applied");
    return std::nullopt;
  }
  const auto name = text(in, attr);
  if (!name) {
    error("terraform.missing_field", "`" + in.address + "` has no `" + attr + "`",
          pointerAppend(in.where, attr));
    return std::nullopt;
  }
  if (const auto a = Arn::parse(*name); a && isAccountId(a->account)) {
    return PrincipalRef{target, a->account, a->resource.substr(a->resource.rfind('/') + 1)};
  }
  // A principal of this plan keeps its own account; any other is in the plan's account.
  if (const Identity* id = named(typeOf(target), *name); id != nullptr && !id->account.empty()) {
    return PrincipalRef{target, id->account, id->name};
  }
  const std::string acct = account(in);
  if (acct.empty()) return std::nullopt;
  return PrincipalRef{target, acct, *name};
}

std::optional<std::string> TerraformLoader::policyArn(const Instance& in) {
  if (known(in, "policy_arn") == Known::Unknown) {
    if (const Identity* p = referenced(in, "policy_arn", "aws_iam_policy")) return p->arn;
    unknownValue(in, "policy_arn", "the attachment is not applied");
    return std::nullopt;
  }
  const auto arn = text(in, "policy_arn");
  if (!arn)
    error("terraform.missing_field", "`" + in.address + "` has no `policy_arn`",
          pointerAppend(in.where, "policy_arn"));
  return arn;
}

WorldEdit TerraformLoader::edit(const Instance& in, Op op, const PrincipalRef& p, std::string item,
                                std::string subject) const {
  WorldEdit e;
  e.op = op;
  e.target = p.target;
  e.account = p.account;
  e.name = p.name;
  e.item = std::move(item);
  e.origin = origin(in);
  e.subject = std::move(subject);
  return e;
}

std::vector<WorldEdit> TerraformLoader::inlinePolicyEdits(const Instance& in, Target target,
                                                          const char* owner) {
  const auto p = principal(in, owner, target);
  std::string name;
  if (auto n = text(in, "name")) {
    name = *n;
  } else {
    name = nameOf(in, "inline policy");
  }
  if (known(in, "policy") == Known::Unknown) {
    unknownValue(in, "policy", "its permissions are not analysed");
    return {};
  }
  auto doc = document(in, "policy", PolicyKind::Identity, name);
  if (!p || !doc) return {};
  WorldEdit e = edit(in, Op::PutInline, *p, name,
                     "sets inline policy `" + name + "` on " + std::string(kindWord(target)) +
                         " `" + p->name + "`");
  e.policy = std::move(doc);
  return {std::move(e)};
}

std::vector<WorldEdit> TerraformLoader::attachmentEdits(const Instance& in, Target target,
                                                        const char* owner) {
  const auto p = principal(in, owner, target);
  const auto arn = policyArn(in);
  if (!p || !arn) return {};
  return {
      edit(in, Op::Attach, *p, *arn,
           "attaches `" + *arn + "` to " + std::string(kindWord(target)) + " `" + p->name + "`")};
}

// aws_iam_policy_attachment: one policy, attached to lists of users, roles and groups.
std::vector<WorldEdit> TerraformLoader::policyAttachmentEdits(const Instance& in) {
  const auto arn = policyArn(in);
  std::vector<WorldEdit> out;
  const std::pair<const char*, Target> lists[] = {
      {"users", Target::User}, {"roles", Target::Role}, {"groups", Target::Group}};
  for (const auto& [attr, target] : lists) {
    for (const std::string& name : strings(in, attr, "the attachment is not applied to it")) {
      const std::string acct = account(in);
      if (!arn || acct.empty()) continue;
      out.push_back(
          edit(in, Op::Attach, PrincipalRef{target, acct, name}, *arn,
               "attaches `" + *arn + "` to " + std::string(kindWord(target)) + " `" + name + "`"));
    }
  }
  return out;
}

std::vector<WorldEdit> TerraformLoader::membershipEdits(const Instance& in) {
  std::vector<WorldEdit> out;
  const auto join = [&](const PrincipalRef& user, const std::string& group) {
    out.push_back(edit(in, Op::JoinGroup, user, group,
                       "adds user `" + user.name + "` to group `" + group + "`"));
  };
  if (in.type == "aws_iam_user_group_membership") {
    const auto user = principal(in, "user", Target::User);
    const auto groups = strings(in, "groups", "the user's membership in it is not applied");
    if (user) {
      for (const std::string& g : groups) join(*user, g);
    }
    return out;
  }
  const auto group = principal(in, "group", Target::Group);
  for (const std::string& u : strings(in, "users", "that user's membership is not applied")) {
    const std::string acct = group ? group->account : account(in);
    if (group && !acct.empty()) join(PrincipalRef{Target::User, acct, u}, group->name);
  }
  return out;
}

std::vector<WorldEdit> TerraformLoader::orgAttachmentEdits(const Instance& in) {
  std::optional<std::string> policy = text(in, "policy_id");
  if (!policy && known(in, "policy_id") == Known::Unknown) {
    if (const Identity* p = referenced(in, "policy_id", "aws_organizations_policy"))
      policy = p->name;
  }
  // An attachment of a policy that is not read (a tag policy) changes no access.
  if (const Identity* p = policy ? named("aws_organizations_policy", *policy) : nullptr;
      p != nullptr && !p->usable)
    return {};
  const auto target = text(in, "target_id");
  if (!policy) unknownValue(in, "policy_id", "the attachment is not applied");
  if (!target) unknownValue(in, "target_id", "the attachment is not applied");
  if (!policy || !target) return {};
  WorldEdit e;
  e.op = Op::AttachOrgPolicy;
  e.target = Target::Organization;
  e.name = *target;
  e.item = *policy;
  e.origin = origin(in);
  e.subject = "attaches organisation policy `" + *policy + "` to `" + *target + "`";
  return {std::move(e)};
}

std::vector<WorldEdit> TerraformLoader::relation(const Instance& in) {
  const std::string_view t = in.type;
  if (t == "aws_iam_role_policy") return inlinePolicyEdits(in, Target::Role, "role");
  if (t == "aws_iam_user_policy") return inlinePolicyEdits(in, Target::User, "user");
  if (t == "aws_iam_group_policy") return inlinePolicyEdits(in, Target::Group, "group");
  if (t == "aws_iam_role_policy_attachment") return attachmentEdits(in, Target::Role, "role");
  if (t == "aws_iam_user_policy_attachment") return attachmentEdits(in, Target::User, "user");
  if (t == "aws_iam_group_policy_attachment") return attachmentEdits(in, Target::Group, "group");
  if (t == "aws_iam_policy_attachment") return policyAttachmentEdits(in);
  if (t == "aws_iam_user_group_membership" || t == "aws_iam_group_membership")
    return membershipEdits(in);
  if (t == "aws_organizations_policy_attachment") return orgAttachmentEdits(in);
  return {};
}

// What an object the plan destroys (or changes) stood for, taken away: entities by ARN,
// relations by undoing them. `gone` holds the object's `before` values, all known.
std::vector<WorldEdit> TerraformLoader::removals(const Instance& gone) {
  const TypeSpec* s = spec(gone.type);
  if (s == nullptr) return {};
  if (s->phase == 3) {
    undoing_ = true;
    std::vector<WorldEdit> out = relation(gone);
    undoing_ = false;
    for (WorldEdit& e : out) e = inverted(std::move(e));
    return out;
  }
  if (!s->removes) return {};
  const Identity id = identify(gone);
  WorldEdit e;
  e.op = Op::Remove;
  e.target = *s->removes;
  e.account = id.account;
  e.name = *s->removes == Target::OrgPolicy ? id.name : id.arn;
  e.origin = origin(gone);
  e.subject = "removes " + std::string(kindWord(*s->removes)) + " `" + e.name + "`";
  if (e.name.empty()) return {};
  return {std::move(e)};
}

void TerraformLoader::build() {
  if (omits_unknown_) {
    warning("terraform.unknown_value",
            "the plan has no `resource_changes`, so values known only after apply cannot be told "
            "from absent ones",
            "/planned_values");
  }
  for (const Instance& in : live_) {
    const TypeSpec* s = spec(in.type);
    if (s != nullptr && s->phase < 3) identities_[in.address] = identify(in);
  }
  for (const auto& [address, id] : identities_)
    by_name_.emplace(id.type + "|" + folded(id.name), &id);
  for (const int phase : {1, 2}) {
    for (const Instance& in : live_) {
      const TypeSpec* s = spec(in.type);
      if (s != nullptr && s->phase == phase) (this->*(s->entity))(in);
    }
  }
  // An object the plan replaces under the same ARN (or id) is defined here: nothing to remove.
  const auto definedHere = [&](const WorldEdit& e) {
    switch (e.target) {
      case Target::Role:
        return world_.roles.contains(e.name);
      case Target::User:
        return world_.users.contains(e.name);
      case Target::Group:
        return world_.groups.contains(e.name);
      case Target::ManagedPolicy:
        return world_.policies.contains(e.name);
      case Target::Resource:
        return world_.resources.contains(e.name);
      case Target::IdentityProvider:
        return world_.identity_providers.contains(e.name);
      case Target::OrgPolicy:
        return std::any_of(additions_.begin(), additions_.end(),
                           [&](const WorldEdit& a) { return a.item == e.name; });
      case Target::Organization:
        return false;
    }
    return false;
  };
  std::vector<WorldEdit> pending;
  for (const Instance& in : gone_) {
    for (WorldEdit& e : removals(in)) {
      // The plan's own world never holds a destroyed object: removals are for earlier inputs.
      if (e.op != Op::Remove) {
        pending.push_back(std::move(e));
      } else if (!definedHere(e)) {
        world_.edits.push_back(std::move(e));
      }
    }
  }
  pending.insert(pending.end(), additions_.begin(), additions_.end());
  for (const Instance& in : live_) {
    const TypeSpec* s = spec(in.type);
    if (s == nullptr || s->phase != 3) continue;
    for (WorldEdit& e : relation(in)) pending.push_back(std::move(e));
  }
  applyEdits(world_, pending, &world_.edits);
  const auto note = [&](const std::string& acct) {
    if (acct.empty() || world_.accounts.contains(acct)) return;
    Account a;
    a.id = acct;
    a.partition = placement_.partition;
    a.ours = true;
    a.origin = Origin{file_, ""};
    world_.accounts[acct] = std::move(a);
  };
  for (const auto& [arn, e] : world_.roles) note(e.account);
  for (const auto& [arn, e] : world_.users) note(e.account);
  for (const auto& [arn, e] : world_.groups) note(e.account);
  for (const auto& [arn, e] : world_.resources) note(e.account);
  for (const auto& [arn, e] : world_.identity_providers) note(e.account);
  for (const auto& [arn, p] : world_.policies) {
    if (const auto a = Arn::parse(arn)) note(a->account);
  }
}

}  // namespace trustsim::load::tf
