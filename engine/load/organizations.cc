// SPDX-License-Identifier: Apache-2.0
// The organisation reader: checks the combined file's structure and tree (parents, cycles, depth),
// attaches SCPs and RCPs per node and parses their Content as dump input.
#include "load/organizations.h"

#include <optional>
#include <regex>
#include <set>
#include <string_view>

#include "load/field_reader.h"
#include "parse/json_reader.h"
#include "parse/policy_parser.h"
#include "trustsim/arn.h"

namespace trustsim::load {
namespace {

using nlohmann::json;
using parse::pointerAppend;

constexpr std::string_view kFormat = "trustsim-organization/1";
constexpr int kMaxOuDepth = 5;


// The id shapes of AWS Organizations (aws-semantics §10.2).
enum class IdKind { Organization, Root, Ou, Policy, Account };

bool validId(IdKind kind, const std::string& id) {
  static const std::regex org("o-[a-z0-9]{10,32}");
  static const std::regex root("r-[0-9a-z]{4,32}");
  static const std::regex ou("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
  static const std::regex policy("p-[0-9a-zA-Z_]{8,128}");
  switch (kind) {
    case IdKind::Organization:
      return std::regex_match(id, org);
    case IdKind::Root:
      return std::regex_match(id, root);
    case IdKind::Ou:
      return std::regex_match(id, ou);
    case IdKind::Policy:
      return std::regex_match(id, policy);
    case IdKind::Account:
      return isAccountId(id);
  }
  return false;
}

std::string_view idShape(IdKind kind) {
  switch (kind) {
    case IdKind::Organization:
      return "an organization id `o-` followed by 10 to 32 lowercase letters or digits";
    case IdKind::Root:
      return "a root id `r-` followed by 4 to 32 lowercase letters or digits";
    case IdKind::Ou:
      return "an OU id `ou-XXXX-YYYYYYYY`";
    case IdKind::Policy:
      return "a policy id `p-` followed by 8 to 128 letters, digits or `_`";
    case IdKind::Account:
      return "a 12-digit account id";
  }
  return "an id";
}

// Top-level keys of single-command outputs, and the command that prints each.
struct RawShape {
  const char* key;
  const char* command;
};
constexpr RawShape kRawShapes[] = {
    {"Roots", "list-roots"},
    {"OrganizationalUnits", "list-organizational-units-for-parent"},
    {"Accounts", "list-accounts or list-accounts-for-parent"},
    {"Parents", "list-parents"},
    {"Children", "list-children"},
    {"Targets", "list-targets-for-policy"},
    {"Organization", "describe-organization"},
    {"Policy", "describe-policy"},
    {"Policies", "list-policies or list-policies-for-target"},
};

bool isOrgPolicySummaryList(const json& v) {
  if (!v.is_array()) return false;
  for (const json& p : v) {
    if (p.is_object() && (p.contains("AwsManaged") || p.contains("Type"))) return true;
  }
  return false;
}

// The raw shape `doc` has, if any. A `Policies` list counts only with Organizations summaries
// (IAM's GAAD and list-policies outputs also have `Policies`).
const RawShape* rawShape(const json& doc) {
  if (!doc.is_object() || doc.contains("format") || doc.contains("organization")) return nullptr;
  for (const RawShape& shape : kRawShapes) {
    const auto it = doc.find(shape.key);
    if (it == doc.end()) continue;
    const std::string_view key = shape.key;
    if (key == "Policies" && !isOrgPolicySummaryList(*it)) continue;
    if (key == "Policy" && !(it->is_object() && it->contains("Content"))) continue;
    if (key == "Organization" && !it->is_object()) continue;
    if (key != "Policy" && key != "Organization" && !it->is_array()) continue;
    return &shape;
  }
  return nullptr;
}

enum class NodeKind { Root, Ou, Account };

struct NodeInfo {
  NodeKind kind = NodeKind::Root;
  std::string parent;
  std::string where;  // pointer of the entry
};

class OrgLoader : public FieldReader {
 public:
  explicit OrgLoader(const std::string& file) : FieldReader(file, "org") {}

  Result<World> run(const json& doc) {
    if (!doc.is_object()) {
      error("org.wrong_type",
            "an organisation file is an object, not " + std::string(parse::describeType(doc)), "");
      return diags_;
    }
    if (const RawShape* raw = rawShape(doc)) {
      // AWS: list-*-for-parent, list-parents and list-targets-for-policy outputs do not name the
      // parent or policy they were asked about, so they cannot be assembled into a tree.
      error("org.raw_output",
            std::string("this is the output of `aws organizations ") + raw->command +
                "` alone, which does not say where its entries sit in the organisation: run "
                "scripts/collect-org.sh and load the trustsim-organization/1 file it writes",
            pointerAppend("", raw->key));
      return diags_;
    }
    if (const json* f = field(doc, "format", "", Want::String, false);
        f && f->get<std::string>() != kFormat) {
      error("org.unknown_format",
            "unsupported format `" + f->get<std::string>() + "` (expected `" +
                std::string(kFormat) + "`)",
            "/format");
      return diags_;
    }
    organization(doc);
    roots(doc);
    forEach(doc, "organizationalUnits", [this](const json& v, const std::string& w) { ou(v, w); });
    forEach(doc, "accounts", [this](const json& v, const std::string& w) { account(v, w); });
    checkTree();
    forEach(doc, "policies", [this](const json& v, const std::string& w) { policy(v, w); });
    if (!org_.management_account.empty() && !world_.accounts.contains(org_.management_account)) {
      warning("org.unknown_management_account",
              "the management account `" + org_.management_account +
                  "` is not among `accounts`: the file may be incomplete",
              "/organization/MasterAccountId");
      Account a;
      a.id = org_.management_account;
      a.ours = true;
      a.origin = Origin{file_, "/organization/MasterAccountId"};
      world_.accounts[a.id] = std::move(a);
    }
    if (hasErrors(diags_)) return diags_;
    org_.origin = Origin{file_, ""};
    world_.organization = std::move(org_);
    world_.diagnostics = std::move(diags_);
    return std::move(world_);
  }

 private:

  // A required id field with its AWS shape checked.
  std::optional<std::string> id(const json& obj, const char* name, const std::string& where,
                                IdKind kind) {
    auto v = text(obj, name, where, true);
    if (v && !validId(kind, *v)) {
      error("org.invalid_id", "`" + *v + "` is not " + std::string(idShape(kind)),
            pointerAppend(where, name));
      return std::nullopt;
    }
    return v;
  }

  template <typename F>
  void forEach(const json& doc, const char* name, F each) {
    const json* list = field(doc, name, "", Want::Array, false);
    if (list == nullptr) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string where = pointerAppend(pointerAppend("", name), i);
      if (!(*list)[i].is_object()) {
        error("org.wrong_type",
              std::string("`") + name + "` entries must be objects, not " +
                  std::string(parse::describeType((*list)[i])),
              where);
        continue;
      }
      each((*list)[i], where);
    }
  }

  void organization(const json& doc) {
    const json* o = field(doc, "organization", "", Want::Object, true);
    if (o == nullptr) return;
    const std::string w = "/organization";
    if (auto v = id(*o, "Id", w, IdKind::Organization)) org_.id = *v;
    if (auto v = id(*o, "MasterAccountId", w, IdKind::Account)) org_.management_account = *v;
    if (auto v = text(*o, "FeatureSet", w, false)) {
      // AWS: SCPs and RCPs exist only in organisations with all features enabled.
      all_features_ = *v == "ALL";
    }
  }

  void roots(const json& doc) {
    const json* list = field(doc, "roots", "", Want::Array, true);
    if (list == nullptr) return;
    if (list->size() != 1) {
      // AWS: an organisation has exactly one root.
      error("org.root_count",
            "an organisation has exactly one root; `roots` has " + std::to_string(list->size()),
            "/roots");
      if (list->empty()) return;
    }
    const json& r = (*list)[0];
    const std::string w = "/roots/0";
    if (!r.is_object()) {
      error("org.wrong_type", "a root is an object, not " + std::string(parse::describeType(r)), w);
      return;
    }
    const auto root_id = id(r, "Id", w, IdKind::Root);
    OrgNode node;
    node.name = text(r, "Name", w, false).value_or("");
    bool scp = false, rcp = false;
    if (const json* types = field(r, "PolicyTypes", w, Want::Array, false)) {
      for (std::size_t i = 0; i < types->size(); ++i) {
        const std::string tw = pointerAppend(w + "/PolicyTypes", i);
        if (!(*types)[i].is_object()) {
          error("org.wrong_type", "a policy type is an object `{Type, Status}`", tw);
          continue;
        }
        const auto type = text((*types)[i], "Type", tw, true);
        const auto status = text((*types)[i], "Status", tw, true);
        // AWS: a policy type applies only when the root lists it with Status ENABLED
        // (PENDING_ENABLE / PENDING_DISABLE are not in force yet / any more).
        if (type && status && *status == "ENABLED") {
          scp = scp || *type == "SERVICE_CONTROL_POLICY";
          rcp = rcp || *type == "RESOURCE_CONTROL_POLICY";
        }
      }
    }
    org_.scps_enabled = all_features_ && scp;
    org_.rcps_enabled = all_features_ && rcp;
    if (root_id) {
      node.id = *root_id;
      org_.root = *root_id;
      addNode(std::move(node), NodeKind::Root, w);
    }
  }

  void addNode(OrgNode node, NodeKind kind, const std::string& where) {
    if (info_.contains(node.id)) {
      error("org.duplicate_id",
            "`" + node.id + "` is listed twice (first at " + info_[node.id].where + ")",
            where + "/Id");
      return;
    }
    info_[node.id] = NodeInfo{kind, node.parent, where};
    org_.nodes[node.id] = std::move(node);
  }

  void ou(const json& o, const std::string& where) {
    const auto ou_id = id(o, "Id", where, IdKind::Ou);
    const auto parent = text(o, "ParentId", where, true);
    OrgNode node;
    node.name = text(o, "Name", where, false).value_or("");
    if (ou_id && parent) {
      node.id = *ou_id;
      node.parent = *parent;
      addNode(std::move(node), NodeKind::Ou, where);
    }
  }

  void account(const json& a, const std::string& where) {
    const auto account_id = id(a, "Id", where, IdKind::Account);
    const auto parent = text(a, "ParentId", where, true);
    const auto name = text(a, "Name", where, false);
    // Status (older) and State (newer) are read for their type only: a suspended account's
    // policies still describe what it could do if reactivated.
    text(a, "Status", where, false);
    text(a, "State", where, false);
    if (!account_id) return;
    Account acc;
    acc.id = *account_id;
    acc.name = name.value_or("");
    acc.ours = true;
    acc.origin = Origin{file_, where};
    if (auto arn = text(a, "Arn", where, false)) {
      if (auto parsed = Arn::parse(*arn); parsed && isKnownPartition(parsed->partition)) {
        acc.partition = parsed->partition;
      }
    }
    if (parent) {
      OrgNode node;
      node.id = *account_id;
      node.name = acc.name;
      node.parent = *parent;
      addNode(std::move(node), NodeKind::Account, where);
    }
    world_.accounts[acc.id] = std::move(acc);
  }

  // Every parent exists and is the root or an OU; OUs form no cycle and nest at most 5 deep.
  void checkTree() {
    for (const auto& [node_id, info] : info_) {
      if (info.kind == NodeKind::Root) continue;
      const auto p = info_.find(info.parent);
      if (p == info_.end()) {
        error("org.unknown_parent",
              "`" + info.parent + "`, the parent of `" + node_id +
                  "`, is not the root or an OU of this file",
              info.where + "/ParentId");
      } else if (p->second.kind == NodeKind::Account) {
        error("org.unknown_parent",
              "`" + info.parent + "`, the parent of `" + node_id +
                  "`, is an account; parents are the root or OUs",
              info.where + "/ParentId");
      }
    }
    std::set<std::string> in_reported_cycle;
    for (const auto& [node_id, info] : info_) {
      if (info.kind != NodeKind::Ou) continue;
      // Walk up to the root; the walk is bounded by the node count, so a cycle cannot loop.
      std::vector<std::string> path{node_id};
      std::set<std::string> seen{node_id};
      std::string at = info.parent;
      bool cycle = false, reached_root = false;
      while (true) {
        const auto p = info_.find(at);
        if (p == info_.end() || p->second.kind == NodeKind::Account) break;
        if (p->second.kind == NodeKind::Root) {
          reached_root = true;
          break;
        }
        if (!seen.insert(at).second) {
          cycle = at == node_id;  // otherwise node_id only leads into a cycle found from it
          break;
        }
        path.push_back(at);
        at = p->second.parent;
      }
      if (cycle) {
        if (in_reported_cycle.insert(node_id).second) {
          std::string ring;
          for (const std::string& n : path) {
            in_reported_cycle.insert(n);
            ring += "`" + n + "` → ";
          }
          error("org.cycle", "the OU parents form a cycle: " + ring + "`" + node_id + "`",
                info.where + "/ParentId");
        }
      } else if (reached_root && static_cast<int>(path.size()) > kMaxOuDepth) {
        // AWS: OUs nest at most five levels below the root.
        error("org.too_deep",
              "`" + node_id + "` is nested " + std::to_string(path.size()) +
                  " OUs below the root; AWS allows " + std::to_string(kMaxOuDepth),
              info.where);
      }
    }
  }

  void policy(const json& p, const std::string& where) {
    const json* summary = field(p, "PolicySummary", where, Want::Object, true);
    const json* content = field(p, "Content", where, Want::String, true);
    const json* targets = field(p, "Targets", where, Want::Array, false);
    if (summary == nullptr) return;
    const std::string sw = where + "/PolicySummary";
    const auto policy_id = id(*summary, "Id", sw, IdKind::Policy);
    const auto name = text(*summary, "Name", sw, false);
    const auto type = text(*summary, "Type", sw, true);
    field(*summary, "AwsManaged", sw, Want::Boolean, false);
    if (!policy_id || !type) return;
    PolicyKind kind = PolicyKind::Scp;
    if (*type == "RESOURCE_CONTROL_POLICY") {
      kind = PolicyKind::Rcp;
    } else if (*type != "SERVICE_CONTROL_POLICY") {
      warning("org.unsupported_policy",
              "`" + *policy_id + "` is a `" + *type +
                  "`; only service and resource control policies decide access, so it is skipped",
              sw + "/Type");
      return;
    }
    if (org_.policies.contains(*policy_id)) {
      error("org.duplicate_id", "policy `" + *policy_id + "` is listed twice", sw + "/Id");
      return;
    }
    NamedPolicy np;
    np.name = name.value_or(*policy_id);
    np.policy.kind = kind;
    if (content != nullptr)
      np.policy = document(content->get<std::string>(), kind, where, *policy_id);
    org_.policies[*policy_id] = std::move(np);
    if (targets == nullptr) return;
    for (std::size_t i = 0; i < targets->size(); ++i) {
      const std::string tw = pointerAppend(where + "/Targets", i);
      if (!(*targets)[i].is_object()) {
        error("org.wrong_type",
              "a target is an object `{TargetId, Type, ...}`, not " +
                  std::string(parse::describeType((*targets)[i])),
              tw);
        continue;
      }
      const auto target = text((*targets)[i], "TargetId", tw, true);
      if (!target) continue;
      const auto node = org_.nodes.find(*target);
      if (node == org_.nodes.end()) {
        error("org.unknown_target",
              "policy `" + *policy_id + "` is attached to `" + *target +
                  "`, which is not the root, an OU or an account of this file",
              tw + "/TargetId");
        continue;
      }
      (kind == PolicyKind::Scp ? node->second.scps : node->second.rcps).push_back(*policy_id);
    }
  }

  // AWS: describe-policy returns Content as a JSON string, always; it was accepted by AWS.
  Policy document(const std::string& content, PolicyKind kind, const std::string& where,
                  const std::string& policy_id) {
    const std::string cw = where + "/Content";
    auto r = parse::readJson(content, file_);
    if (!r) {
      const Diagnostic& d = r.error().front();
      warning("org.invalid_document",
              "the Content of policy `" + policy_id + "` is not JSON: " + d.message +
                  "; it is kept as a policy that allows nothing",
              cw);
      Policy empty;
      empty.kind = kind;
      empty.diagnostics.push_back(diags_.back());
      return empty;
    }
    Policy policy = parse::parsePolicy(r.value(), {kind, PolicyOrigin::Dump, file_, cw});
    diags_.insert(diags_.end(), policy.diagnostics.begin(), policy.diagnostics.end());
    return policy;
  }

  World world_;
  Organization org_;
  std::map<std::string, NodeInfo> info_;
  bool all_features_ = true;
};

}  // namespace

bool looksLikeOrganization(const nlohmann::json& doc) {
  if (!doc.is_object()) return false;
  if (const auto f = doc.find("format"); f != doc.end() && f->is_string()) {
    return f->get<std::string>().rfind("trustsim-organization/", 0) == 0;
  }
  if (doc.contains("organization") && doc.contains("roots")) return true;
  return rawShape(doc) != nullptr;
}

Result<World> loadOrganization(const nlohmann::json& doc, const std::string& file) {
  return OrgLoader(file).run(doc);
}

}  // namespace trustsim::load
