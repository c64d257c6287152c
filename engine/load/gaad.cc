// SPDX-License-Identifier: Apache-2.0
// The GAAD reader: structure is checked here (every error collected, with its pointer); policy
// documents are decoded from their three encodings and handed to the policy parser as dump input.
#include "load/gaad.h"

#include <optional>
#include <set>
#include <string_view>

#include "load/field_reader.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "trustsim/arn.h"

namespace trustsim::load {
namespace {

using nlohmann::json;
using parse::NlohmannView;
using parse::pointerAppend;
using parse::SimdView;

// The JSON type a field must have. Document: a policy document (object or encoded string).
// Attachments: AttachedManagedPolicies (an array, or one object as in the AWS CLI doc example).

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding. nullopt (with the offset of the bad escape) when a `%` is not
// followed by two hex digits.
std::optional<std::string> percentDecode(std::string_view text, std::size_t& bad_offset) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      // AWS: `+` is not a space here: IAM encodes `+` as `%2B`, and a literal `+` means `+`.
      out.push_back(text[i]);
      continue;
    }
    const int hi = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      bad_offset = i;
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// A reference checked once every list has been read (order in the dump is free).
struct Reference {
  std::string target;  // a policy ARN or a group name
  std::string where;   // pointer of the reference
  std::string owner;   // "user `alice`"
  bool boundary = false;
};

// The fields every IAM entity shares.
struct Common {
  std::optional<std::string> name, id, arn;
  std::string path = "/";
  std::string account;
};

template <typename J>
class GaadLoader : public FieldReader {
 public:
  explicit GaadLoader(const std::string& file) : FieldReader(file, "gaad") {}

  Result<World> run(const J& doc) {
    if (!doc.isObject()) {
      error("gaad.wrong_type",
            "a get-account-authorization-details document is an object, not " +
                std::string(parse::describeType(doc)),
            "");
      return diags_;
    }
    if (const auto t = field(doc, "IsTruncated", "", Want::Boolean, false); t && t->boolean()) {
      // AWS: GAAD is paginated; the CLI merges pages unless --max-items or --no-paginate is used.
      warning("gaad.truncated",
              "`IsTruncated` is true: this is one page of the dump, entities on later pages are "
              "missing (run the AWS CLI without --max-items/--no-paginate)",
              "/IsTruncated");
    }
    forEach(doc, "UserDetailList", [this](const J& v, const std::string& w) { user(v, w); });
    forEach(doc, "GroupDetailList", [this](const J& v, const std::string& w) { group(v, w); });
    forEach(doc, "RoleDetailList", [this](const J& v, const std::string& w) { role(v, w); });
    forEach(doc, "Policies", [this](const J& v, const std::string& w) { managed(v, w); });
    resolveReferences();
    if (account_.empty() && !hasErrors(diags_)) {
      warning(
          "gaad.empty",
          "the dump has no user, group, role or customer-managed policy, so it names no account",
          "");
    } else if (!account_.empty()) {
      Account a;
      a.id = account_;
      a.partition = partition_;
      a.ours = true;
      a.origin = Origin{file_, ""};
      world_.accounts[account_] = std::move(a);
    }
    if (hasErrors(diags_)) return diags_;
    world_.diagnostics = std::move(diags_);
    return std::move(world_);
  }

 private:

  // Calls `each` on every object of the top-level list `name`.
  template <typename F>
  void forEach(const J& doc, const char* name, F each) {
    const auto list = field(doc, name, "", Want::Array, false);
    if (!list) return;
    const std::string base = pointerAppend("", name);
    list->forEachElement([&](std::size_t i, const J& entry) {
      const std::string where = pointerAppend(base, i);
      if (!entry.isObject()) {
        error("gaad.wrong_type",
              std::string("`") + name + "` entries must be objects, not " +
                  std::string(parse::describeType(entry)),
              where);
        return;
      }
      each(entry, where);
    });
  }

  // Name, id, ARN and path of a user, group, role or policy; `kind` is the ARN resource type.
  Common common(const J& obj, const std::string& where, const char* name_field,
                const char* id_field, std::string_view kind) {
    Common c;
    c.name = text(obj, name_field, where, true);
    if (id_field != nullptr) c.id = text(obj, id_field, where, true);
    c.arn = text(obj, "Arn", where, true);
    if (auto p = text(obj, "Path", where, false)) c.path = std::move(*p);
    if (c.arn) c.account = checkArn(*c.arn, pointerAppend(where, "Arn"), kind, c);
    return c;
  }

  // Checks an entity ARN and returns its account (empty when invalid).
  std::string checkArn(const std::string& arn_text, const std::string& where, std::string_view kind,
                       const Common& c) {
    const auto arn = Arn::parse(arn_text);
    const std::string prefix = std::string(kind) + "/";
    const bool aws_managed = kind == "policy" && arn && arn->account == "aws";
    if (!arn || arn->service != "iam" || !arn->region.empty() ||
        !isKnownPartition(arn->partition) || !(isAccountId(arn->account) || aws_managed) ||
        arn->resource.rfind(prefix, 0) != 0) {
      error("gaad.invalid_arn",
            "`" + arn_text + "` is not an IAM " + std::string(kind) +
                " ARN (`arn:PARTITION:iam::ACCOUNT:" + std::string(kind) + "/...`)",
            where);
      return {};
    }
    if (c.name && arn->resource != std::string(kind) + c.path + *c.name) {
      // AWS: an IAM ARN is KIND + Path + name; a difference means the dump was edited.
      warning("gaad.name_mismatch",
              "`" + arn_text + "` does not end with the path `" + c.path + "` and name `" +
                  *c.name + "` of its entry",
              where);
    }
    if (aws_managed) return "aws";
    noteAccount(arn_text, arn->account, arn->partition, where);
    return arn->account;
  }

  // AWS: GAAD describes one account, and carries its id only inside ARNs.
  void noteAccount(const std::string& arn, const std::string& account, const std::string& partition,
                   const std::string& where) {
    if (account_.empty()) {
      account_ = account;
      account_arn_ = arn;
      partition_ = partition;
      return;
    }
    if (account != account_ && other_accounts_.insert(account).second) {
      error("gaad.mixed_accounts",
            "`" + account_arn_ + "` and `" + arn + "` belong to different accounts (`" + account_ +
                "` and `" + account + "`): a dump describes one account, load one file per account",
            where);
    }
  }

  // One policy document in any of the three encodings, parsed as dump input.
  NamedPolicy document(const J& v, PolicyKind kind, const std::string& where, std::string name,
                       const std::string& owner) {
    NamedPolicy np;
    np.name = std::move(name);
    if (v.isString()) {
      // The AWS CLI writes documents as objects; other tools write them as text.
      std::string text(v.string());
      const std::size_t first = text.find_first_not_of(" \t\r\n");
      if (first != std::string::npos && text[first] == '%') {
        // AWS: the raw API and several SDKs return documents URL-encoded (RFC 3986).
        std::size_t bad = 0;
        auto plain = percentDecode(text, bad);
        if (!plain) {
          return invalid(std::move(np), kind, where,
                         "the policy document of " + owner +
                             " is not valid URL-encoded text (bad `%` escape at offset " +
                             std::to_string(bad) + ")");
        }
        text = std::move(*plain);
      }
      const std::size_t start = text.find_first_not_of(" \t\r\n");
      if (start == std::string::npos || text[start] != '{') {
        return invalid(std::move(np), kind, where,
                       "the policy document of " + owner +
                           " is neither a JSON object nor JSON text nor URL-encoded JSON");
      }
      auto r = parse::readJson(text, file_);
      if (!r) {
        const Diagnostic& d = r.error().front();
        return invalid(std::move(np), kind, where,
                       "the policy document of " + owner + " is not JSON after decoding: " +
                           d.message + (d.where.empty() ? "" : " (at " + d.where + ")"));
      }
      np.policy = parse::parsePolicy(r.value(), {kind, PolicyOrigin::Dump, file_, where});
    } else {
      np.policy = parse::parsePolicyView(v, {kind, PolicyOrigin::Dump, file_, where});
    }
    diags_.insert(diags_.end(), np.policy.diagnostics.begin(), np.policy.diagnostics.end());
    return np;
  }

  // A document that could not be read: kept as a policy with no statement, which grants nothing.
  NamedPolicy invalid(NamedPolicy np, PolicyKind kind, const std::string& where,
                      std::string message) {
    warning("gaad.invalid_document", message + "; it is kept as a policy that grants nothing",
            where);
    np.policy = Policy{};
    np.policy.kind = kind;
    np.policy.diagnostics.push_back(diags_.back());
    return np;
  }

  // UserPolicyList / GroupPolicyList / RolePolicyList: [{PolicyName, PolicyDocument}].
  std::vector<NamedPolicy> inlinePolicies(const J& obj, const char* list_name,
                                          const std::string& where, const std::string& owner) {
    std::vector<NamedPolicy> out;
    const auto list = field(obj, list_name, where, Want::Array, false);
    if (!list) return out;
    const std::string base = pointerAppend(where, list_name);
    list->forEachElement([&](std::size_t i, const J& entry) {
      const std::string w = pointerAppend(base, i);
      if (!entry.isObject()) {
        error("gaad.wrong_type",
              "an inline policy is an object `{PolicyName, PolicyDocument}`, not " +
                  std::string(parse::describeType(entry)),
              w);
        return;
      }
      const auto name = text(entry, "PolicyName", w, true);
      if (const auto d = field(entry, "PolicyDocument", w, Want::Document, true)) {
        out.push_back(
            document(*d, PolicyKind::Identity, w + "/PolicyDocument", name.value_or(""), owner));
      }
    });
    return out;
  }

  // AttachedManagedPolicies: [{PolicyName, PolicyArn}] (or one such object). Returns the ARNs.
  std::vector<std::string> attachments(const J& obj, const std::string& where,
                                       const std::string& owner) {
    std::vector<std::string> out;
    const auto v = field(obj, "AttachedManagedPolicies", where, Want::Attachments, false);
    if (!v) return out;
    const std::string base = where + "/AttachedManagedPolicies";
    auto one = [&](const J& entry, const std::string& w) {
      if (!entry.isObject()) {
        error("gaad.wrong_type",
              "an attached policy is an object `{PolicyName, PolicyArn}`, not " +
                  std::string(parse::describeType(entry)),
              w);
        return;
      }
      text(entry, "PolicyName", w, false);
      if (auto arn = text(entry, "PolicyArn", w, true)) {
        policy_refs_.push_back(Reference{*arn, w + "/PolicyArn", owner, false});
        out.push_back(std::move(*arn));
      }
    };
    if (v->isObject()) {
      // AWS: the CLI reference example shows a group's list as one object; accept that shape.
      one(*v, base);
    } else {
      v->forEachElement([&](std::size_t i, const J& entry) { one(entry, pointerAppend(base, i)); });
    }
    return out;
  }

  // PermissionsBoundary: {PermissionsBoundaryType, PermissionsBoundaryArn}.
  std::optional<std::string> boundary(const J& obj, const std::string& where,
                                      const std::string& owner) {
    const auto b = field(obj, "PermissionsBoundary", where, Want::Object, false);
    if (!b) return std::nullopt;
    const std::string w = where + "/PermissionsBoundary";
    text(*b, "PermissionsBoundaryType", w, false);
    auto arn = text(*b, "PermissionsBoundaryArn", w, true);
    if (arn) policy_refs_.push_back(Reference{*arn, w + "/PermissionsBoundaryArn", owner, true});
    return arn;
  }

  std::vector<Tag> tags(const J& obj, const std::string& where) {
    std::vector<Tag> out;
    const auto list = field(obj, "Tags", where, Want::Array, false);
    if (!list) return out;
    const std::string base = where + "/Tags";
    list->forEachElement([&](std::size_t i, const J& t) {
      const std::string w = pointerAppend(base, i);
      if (!t.isObject()) {
        error("gaad.wrong_type",
              "a tag is an object `{Key, Value}`, not " + std::string(parse::describeType(t)), w);
        return;
      }
      auto key = text(t, "Key", w, true);
      auto value = text(t, "Value", w, true);
      if (key && value) out.push_back(Tag{std::move(*key), std::move(*value)});
    });
    return out;
  }

  static std::string ownerOf(std::string_view kind, const Common& c, const std::string& where) {
    return std::string(kind) + " " + (c.name ? "`" + *c.name + "`" : "at " + where);
  }

  template <typename T>
  void insert(std::map<std::string, T>& map, const std::string& arn, T value,
              const std::string& where) {
    if (map.contains(arn)) {
      warning("gaad.duplicate_entity",
              "`" + arn + "` appears more than once in the dump; this later entry is used", where);
    }
    map.insert_or_assign(arn, std::move(value));
  }

  void user(const J& u, const std::string& where) {
    const Common c = common(u, where, "UserName", "UserId", "user");
    const std::string owner = ownerOf("user", c, where);
    User out;
    out.name = c.name.value_or("");
    out.id = c.id.value_or("");
    out.path = c.path;
    out.account = c.account;
    out.origin = Origin{file_, where};
    if (const auto groups = field(u, "GroupList", where, Want::Array, false)) {
      groups->forEachElement([&](std::size_t i, const J& g) {
        const std::string w = pointerAppend(where + "/GroupList", i);
        if (!g.isString()) {
          error("gaad.wrong_type",
                "`GroupList` entries are group names (strings), not " + std::string(parse::describeType(g)), w);
          return;
        }
        out.groups.emplace_back(g.string());
        group_refs_.push_back(Reference{out.groups.back(), w, owner, false});
      });
    }
    out.inline_policies = inlinePolicies(u, "UserPolicyList", where, owner);
    out.managed_policies = attachments(u, where, owner);
    out.permissions_boundary = boundary(u, where, owner);
    out.tags = tags(u, where);
    if (c.arn) {
      out.arn = *c.arn;
      insert(world_.users, *c.arn, std::move(out), where);
    }
  }

  void group(const J& g, const std::string& where) {
    const Common c = common(g, where, "GroupName", "GroupId", "group");
    const std::string owner = ownerOf("group", c, where);
    Group out;
    out.name = c.name.value_or("");
    out.id = c.id.value_or("");
    out.path = c.path;
    out.account = c.account;
    out.origin = Origin{file_, where};
    out.inline_policies = inlinePolicies(g, "GroupPolicyList", where, owner);
    out.managed_policies = attachments(g, where, owner);
    if (c.name) group_names_.insert(*c.name);
    if (c.arn) {
      out.arn = *c.arn;
      insert(world_.groups, *c.arn, std::move(out), where);
    }
  }

  void role(const J& r, const std::string& where) {
    const Common c = common(r, where, "RoleName", "RoleId", "role");
    const std::string owner = ownerOf("role", c, where);
    Role out;
    out.name = c.name.value_or("");
    out.id = c.id.value_or("");
    out.path = c.path;
    out.account = c.account;
    out.origin = Origin{file_, where};
    // AWS: service-linked roles live under the path /aws-service-role/ (SCPs do not apply).
    out.service_linked = c.path.rfind("/aws-service-role/", 0) == 0;
    if (const auto d = field(r, "AssumeRolePolicyDocument", where, Want::Document, true)) {
      out.trust_policy =
          document(*d, PolicyKind::Trust, where + "/AssumeRolePolicyDocument", out.name, owner);
    }
    out.inline_policies = inlinePolicies(r, "RolePolicyList", where, owner);
    out.managed_policies = attachments(r, where, owner);
    out.permissions_boundary = boundary(r, where, owner);
    out.tags = tags(r, where);
    // InstanceProfileList repeats whole roles and RoleLastUsed is history: neither is read.
    if (c.arn) {
      out.arn = *c.arn;
      insert(world_.roles, *c.arn, std::move(out), where);
    }
  }

  void managed(const J& p, const std::string& where) {
    const Common c = common(p, where, "PolicyName", nullptr, "policy");
    const std::string owner = ownerOf("managed policy", c, where);
    const auto default_id = text(p, "DefaultVersionId", where, false);
    const auto versions = field(p, "PolicyVersionList", where, Want::Array, true);
    ManagedPolicy out;
    out.origin = Origin{file_, where};
    out.document.name = c.name.value_or("");
    out.document.policy.kind = PolicyKind::Identity;
    if (versions) {
      const std::string vw = where + "/PolicyVersionList";
      std::vector<std::pair<std::size_t, J>> defaults;
      std::optional<std::pair<std::size_t, J>> by_id;
      versions->forEachElement([&](std::size_t i, const J& v) {
        const std::string w = pointerAppend(vw, i);
        if (!v.isObject()) {
          error("gaad.wrong_type",
                "a policy version is an object, not " + std::string(parse::describeType(v)), w);
          return;
        }
        const auto is_default = field(v, "IsDefaultVersion", w, Want::Boolean, false);
        if (is_default && is_default->boolean()) defaults.emplace_back(i, v);
        if (auto id = text(v, "VersionId", w, false); id && default_id && *id == *default_id) {
          by_id.emplace(i, v);
        }
      });
      // AWS: only the default version of a managed policy is in force.
      std::optional<std::pair<std::size_t, J>> chosen;
      if (defaults.size() == 1) {
        chosen = defaults.front();
      } else {
        chosen = by_id;
        warning("gaad.default_version",
                owner + " has " + std::to_string(defaults.size()) +
                    " versions with `IsDefaultVersion: true`; " +
                    (by_id ? "using the one equal to `DefaultVersionId`"
                           : "none matches `DefaultVersionId`, so it grants nothing"),
                vw);
      }
      if (chosen) {
        const std::string w = pointerAppend(vw, chosen->first);
        if (const auto d = field(chosen->second, "Document", w, Want::Document, true)) {
          out.document =
              document(*d, PolicyKind::Identity, w + "/Document", out.document.name, owner);
        }
      }
    }
    if (c.arn) {
      out.arn = *c.arn;
      insert(world_.policies, *c.arn, std::move(out), where);
    }
  }

  void resolveReferences() {
    for (const Reference& r : policy_refs_) {
      if (world_.policies.contains(r.target)) continue;
      // AWS: filtered dumps (--filter) and AWS-managed policies may lack documents; unknown is
      // not empty, so say so.
      warning("gaad.unresolved_policy",
              std::string(r.boundary ? "the permissions boundary `" : "the managed policy `") +
                  r.target + "` of " + r.owner +
                  " has no document in `Policies` (filtered dump or AWS-managed policy): its "
                  "permissions are unknown",
              r.where);
    }
    for (const Reference& r : group_refs_) {
      if (group_names_.contains(r.target)) continue;
      warning("gaad.unresolved_group",
              r.owner + " is in group `" + r.target +
                  "`, which is not in `GroupDetailList`: that group's policies are unknown",
              r.where);
    }
  }

  World world_;
  std::vector<Reference> policy_refs_;
  std::vector<Reference> group_refs_;
  std::set<std::string> group_names_;
  std::string account_, account_arn_, partition_;
  std::set<std::string> other_accounts_;
};

template <typename J>
bool looksLikeGaadView(const J& doc) {
  if (!doc.isObject()) return false;
  for (const char* list : {"UserDetailList", "GroupDetailList", "RoleDetailList"}) {
    if (const auto v = doc.find(list); v && v->isArray()) return true;
  }
  const auto policies = doc.find("Policies");
  if (!policies || !policies->isArray()) return false;
  bool versions = false;
  policies->forEachElement([&](std::size_t, const J& p) {
    versions = versions || (p.isObject() && p.find("PolicyVersionList"));
  });
  return versions;
}

}  // namespace

bool looksLikeGaad(const nlohmann::json& doc) { return looksLikeGaadView(NlohmannView(doc)); }
bool looksLikeGaadFast(const SimdView& doc) { return looksLikeGaadView(doc); }

Result<World> loadGaad(const nlohmann::json& doc, const std::string& file) {
  return GaadLoader<NlohmannView>(file).run(NlohmannView(doc));
}
Result<World> loadGaadFast(const SimdView& doc, const std::string& file) { return GaadLoader<SimdView>(file).run(doc); }

}  // namespace trustsim::load
