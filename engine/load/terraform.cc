// SPDX-License-Identifier: Apache-2.0
// The Terraform reader, document level: checks the `terraform show -json` shape, picks the values
// that stand for the side asked for, indexes the configuration and finds the account.
#include "load/terraform.h"

#include <algorithm>
#include <initializer_list>

#include "load/terraform_internal.h"
#include "parse/json_reader.h"
#include "trustsim/arn.h"

namespace trustsim::load {
namespace {

using nlohmann::json;
using parse::pointerAppend;

// A raw state file: what `terraform.tfstate` holds before `terraform show -json` converts it.
bool isRawState(const json& doc) {
  return doc.contains("lineage") && doc.contains("serial") && doc.contains("resources") &&
         !doc.contains("format_version");
}

// `obj[key]` when it is a string, else "" (for hints that must not stop reading: wrong types
// are reported where the value is read for real).
std::string stringAt(const json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The value at `keys` through objects only, or null.
const json* objectPath(const json& doc, std::initializer_list<const char*> keys) {
  const json* at = &doc;
  for (const char* k : keys) {
    if (!at->is_object() || !at->contains(k)) return nullptr;
    at = &(*at)[k];
  }
  return at;
}

bool hasAction(const json& actions, std::string_view action) {
  if (!actions.is_array()) return false;
  return std::any_of(actions.begin(), actions.end(), [&](const json& a) {
    return a.is_string() && a.get<std::string>() == action;
  });
}

}  // namespace

bool looksLikeTerraform(const json& doc) {
  if (!doc.is_object()) return false;
  if (isRawState(doc)) return true;
  const auto f = doc.find("format_version");
  if (f == doc.end() || !f->is_string()) return false;
  for (const char* key :
       {"values", "planned_values", "resource_changes", "prior_state", "terraform_version"}) {
    if (doc.contains(key)) return true;
  }
  return false;
}

bool isTerraformPlan(const json& doc) {
  return looksLikeTerraform(doc) &&
         (doc.contains("planned_values") || doc.contains("resource_changes") ||
          doc.contains("prior_state"));
}

Result<World> loadTerraform(const json& doc, const std::string& file, const LoadOptions& options) {
  return tf::TerraformLoader(file, options).run(doc);
}

namespace tf {

std::string withoutInstanceKeys(std::string_view address) {
  std::string out;
  for (std::size_t i = 0; i < address.size(); ++i) {
    if (address[i] != '[') {
      out.push_back(address[i]);
      continue;
    }
    // Skip to the matching `]`; a for_each key is a quoted string that may hold `]` or `\"`.
    bool quoted = false;
    for (++i; i < address.size(); ++i) {
      if (quoted && address[i] == '\\') {
        ++i;
      } else if (address[i] == '"') {
        quoted = !quoted;
      } else if (!quoted && address[i] == ']') {
        break;
      }
    }
  }
  return out;
}

std::string placeholderName(std::string_view prefix, std::string_view address) {
  std::string a(address);
  std::replace(a.begin(), a.end(), '/', '_');
  return std::string(prefix) + "(known after apply: " + a + ")";
}

Result<World> TerraformLoader::run(const json& doc) {
  if (!checkDocument(doc)) return diags_;
  plan_ = isTerraformPlan(doc);
  if (const json* c = field(doc, "configuration", "", Want::Object, false)) {
    if (const json* root = field(*c, "root_module", "/configuration", Want::Object, false))
      indexConfiguration(*root, "");
  }
  place(doc);
  if (!plan_) {
    if (const json* v = field(doc, "values", "", Want::Object, false)) {
      if (const json* root = field(*v, "root_module", "/values", Want::Object, false)) {
        walkModule(*root, "/values/root_module", true, live_);
      }
    }
  } else if (options_.plan_side == PlanSide::Before) {
    const json* prior = field(doc, "prior_state", "", Want::Object, false);
    const json* values =
        prior ? field(*prior, "values", "/prior_state", Want::Object, false) : nullptr;
    const json* root =
        values ? field(*values, "root_module", "/prior_state/values", Want::Object, false)
               : nullptr;
    if (root) walkModule(*root, "/prior_state/values/root_module", true, live_);
  } else if (const json* changes = field(doc, "resource_changes", "", Want::Array, false)) {
    readChanges(*changes, "/resource_changes");
  } else if (const json* planned = field(doc, "planned_values", "", Want::Object, false)) {
    omits_unknown_ = true;
    if (const json* root = field(*planned, "root_module", "/planned_values", Want::Object, false)) {
      walkModule(*root, "/planned_values/root_module", false, live_);
    }
  }
  for (Instance& in : live_) attachConfig(in);
  for (Instance& in : gone_) attachConfig(in);
  countIgnored();
  if (hasErrors(diags_)) return diags_;
  build();
  if (hasErrors(diags_)) return diags_;
  world_.diagnostics = std::move(diags_);
  return std::move(world_);
}

bool TerraformLoader::checkDocument(const json& doc) {
  if (!doc.is_object()) {
    error(
        "terraform.wrong_type",
        "`terraform show -json` output is an object, not " + std::string(parse::describeType(doc)),
        "");
    return false;
  }
  if (isRawState(doc)) {
    error("terraform.raw_state",
          "this is a raw Terraform state file; give trustsim `terraform show -json` output instead "
          "(`terraform show -json > state.json`, or `terraform show -json plan.out > plan.json` "
          "for a plan)",
          "");
    return false;
  }
  const auto version = text(doc, "format_version", "", true);
  if (!version) return false;
  // Terraform: a new major format version is not backward compatible; minor versions only add.
  if (version->substr(0, version->find('.')) != "1") {
    error("terraform.unsupported_version",
          "`format_version` `" + *version +
              "` is not supported: trustsim reads format 1.x (Terraform 0.12 and later)",
          "/format_version");
    return false;
  }
  text(doc, "terraform_version", "", false);
  if (const json* errored = field(doc, "errored", "", Want::Boolean, false);
      errored && errored->get<bool>()) {
    warning("terraform.errored_plan",
            "the plan says `errored: true`: Terraform stopped planning early, so resources may be "
            "missing",
            "/errored");
  }
  return !hasErrors(diags_);
}

// configuration.root_module and module_calls.NAME.module, recursively: key → `expressions`.
void TerraformLoader::indexConfiguration(const json& module, const std::string& prefix) {
  if (const auto r = module.find("resources"); r != module.end() && r->is_array()) {
    for (const json& res : *r) {
      if (!res.is_object() || !res.contains("type") || !res.contains("name") ||
          !res["type"].is_string() || !res["name"].is_string()) {
        continue;  // the configuration is only a hint: a malformed block is simply not used
      }
      const bool data = stringAt(res, "mode") == "data";
      const auto e = res.find("expressions");
      config_[prefix + (data ? "data." : "") + res["type"].get<std::string>() + "." +
              res["name"].get<std::string>()] = e != res.end() && e->is_object() ? &*e : nullptr;
    }
  }
  if (const auto calls = module.find("module_calls"); calls != module.end() && calls->is_object()) {
    for (const auto& [name, call] : calls->items()) {
      if (!call.is_object()) continue;
      if (const auto m = call.find("module"); m != call.end() && m->is_object()) {
        indexConfiguration(*m, prefix + "module." + name + ".");
      }
    }
  }
}

void TerraformLoader::attachConfig(Instance& in) const {
  if (!plan_) return;
  const std::string module = withoutInstanceKeys(in.module_address);
  const std::string key = (module.empty() ? "" : module + ".") +
                          (in.mode == "data" ? "data." : "") + in.type + "." + in.name;
  const auto it = config_.find(key);
  if (it != config_.end()) in.config = it->second;
}

// An `arn` that names an account, or `aws_caller_identity.account_id`; `aws_region` gives the
// region of regional ARNs the plan does not know yet.
void TerraformLoader::noteArn(const json& values, const std::string& type,
                              const std::string& mode) {
  if (!values.is_object()) return;
  const auto str = [&](const char* k) { return stringAt(values, k); };
  if (mode == "data") {
    if (type == "aws_caller_identity" && isAccountId(str("account_id")))
      placement_.seen.insert(str("account_id"));
    if (type == "aws_region") {
      const std::string region = !str("region").empty() ? str("region") : str("name");
      if (!region.empty()) placement_.region = region;
    }
    return;
  }
  const auto arn = Arn::parse(str("arn"));
  if (!arn || !isAccountId(arn->account) || !isKnownPartition(arn->partition)) return;
  placement_.seen.insert(arn->account);
  placement_.partition = arn->partition;
}

// Every known ARN of the document, on both sides, decides the default account.
void TerraformLoader::place(const json& doc) {
  placement_.partition = options_.partition;
  placement_.region = options_.region;
  // The default provider's `region` argument, when the configuration sets it to a constant
  // (`data.aws_region`, read below, wins).
  if (const json* r = objectPath(doc, {"configuration", "provider_config", "aws", "expressions",
                                       "region", "constant_value"});
      r != nullptr && r->is_string() && !r->get<std::string>().empty()) {
    placement_.region = r->get<std::string>();
  }
  const auto scanModule = [&](const json* module, auto& self) -> void {
    if (module == nullptr || !module->is_object()) return;
    if (const auto r = module->find("resources"); r != module->end() && r->is_array()) {
      for (const json& res : *r) {
        if (res.is_object() && res.contains("values"))
          noteArn(res["values"], stringAt(res, "type"), stringAt(res, "mode"));
      }
    }
    if (const auto c = module->find("child_modules"); c != module->end() && c->is_array()) {
      for (const json& child : *c) self(&child, self);
    }
  };
  const auto rootOf = [&](const json* v) -> const json* {
    if (v == nullptr || !v->is_object() || !v->contains("root_module")) return nullptr;
    return &(*v)["root_module"];
  };
  if (doc.contains("values")) scanModule(rootOf(&doc["values"]), scanModule);
  if (doc.contains("planned_values")) scanModule(rootOf(&doc["planned_values"]), scanModule);
  if (doc.contains("prior_state") && doc["prior_state"].is_object() &&
      doc["prior_state"].contains("values")) {
    scanModule(rootOf(&doc["prior_state"]["values"]), scanModule);
  }
  if (const auto changes = doc.find("resource_changes");
      changes != doc.end() && changes->is_array()) {
    for (const json& c : *changes) {
      if (!c.is_object() || !c.contains("change") || !c["change"].is_object()) continue;
      for (const char* side : {"before", "after"}) {
        if (c["change"].contains(side))
          noteArn(c["change"][side], stringAt(c, "type"), stringAt(c, "mode"));
      }
    }
  }
  if (!options_.account.empty()) {
    placement_.account = options_.account;
    if (!placement_.seen.empty() && !placement_.seen.contains(options_.account)) {
      warning("terraform.account_mismatch",
              "--account is `" + options_.account + "` but the ARNs of this file name `" +
                  *placement_.seen.begin() +
                  "`: resources whose ARN is known stay in the account it names",
              "");
    }
  } else if (placement_.seen.size() == 1) {
    placement_.account = *placement_.seen.begin();
  }
}

// A resource entry of a values representation (state, prior_state, planned_values).
std::optional<Instance> TerraformLoader::instance(const json& entry, const std::string& where) {
  if (!entry.is_object()) {
    error("terraform.wrong_type",
          "a resource is an object, not " + std::string(parse::describeType(entry)), where);
    return std::nullopt;
  }
  Instance in;
  in.entry = where;
  const auto address = text(entry, "address", where, true);
  const auto mode = text(entry, "mode", where, true);
  const auto type = text(entry, "type", where, true);
  const auto name = text(entry, "name", where, true);
  in.module_address = text(entry, "module_address", where, false).value_or("");
  text(entry, "provider_name", where, false);
  if (!address || !mode || !type || !name) return std::nullopt;
  in.address = *address;
  in.mode = *mode;
  in.type = *type;
  in.name = *name;
  return in;
}

void TerraformLoader::walkModule(const json& module, const std::string& where, bool accepted,
                                 std::vector<Instance>& out) {
  const std::string module_address = text(module, "address", where, false).value_or("");
  if (const json* resources = field(module, "resources", where, Want::Array, false)) {
    for (std::size_t i = 0; i < resources->size(); ++i) {
      const std::string w = pointerAppend(where + "/resources", i);
      auto in = instance((*resources)[i], w);
      if (!in) continue;
      if (in->module_address.empty()) in->module_address = module_address;
      in->accepted = accepted;
      in->values = field((*resources)[i], "values", w, Want::Object, in->mode == "managed");
      in->where = w + "/values";
      if (in->mode == "managed" && in->values != nullptr) out.push_back(std::move(*in));
    }
  }
  if (const json* children = field(module, "child_modules", where, Want::Array, false)) {
    for (std::size_t i = 0; i < children->size(); ++i) {
      const std::string w = pointerAppend(where + "/child_modules", i);
      if (!(*children)[i].is_object()) {
        error(
            "terraform.wrong_type",
            "a child module is an object, not " + std::string(parse::describeType((*children)[i])),
            w);
        continue;
      }
      walkModule((*children)[i], w, accepted, out);
    }
  }
}

// resource_changes: the After side, and the objects the plan destroys or changes.
void TerraformLoader::readChanges(const json& changes, const std::string& where) {
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const std::string w = pointerAppend(where, i);
    auto in = instance(changes[i], w);
    if (!in) continue;
    const json* change = field(changes[i], "change", w, Want::Object, true);
    if (change == nullptr || in->mode != "managed") continue;
    // Terraform: a deposed object is an old copy waiting to be destroyed; the current object of
    // the same address has its own entry.
    if (changes[i].contains("deposed")) continue;
    const std::string cw = w + "/change";
    const json* actions = field(*change, "actions", cw, Want::Array, true);
    const json* before = field(*change, "before", cw, Want::Object, false);
    const json* after = field(*change, "after", cw, Want::Object, false);
    const json* unknown = field(*change, "after_unknown", cw, Want::Object, false);
    if (actions == nullptr) continue;
    if (hasAction(*actions, "forget") && before != nullptr) {
      // Terraform: `forget` drops the object from the state but leaves it in AWS.
      Instance kept = *in;
      kept.values = before;
      kept.where = cw + "/before";
      kept.accepted = true;
      live_.push_back(std::move(kept));
      continue;
    }
    if (before != nullptr && (hasAction(*actions, "delete") || hasAction(*actions, "update"))) {
      Instance old = *in;
      old.values = before;
      old.where = cw + "/before";
      old.accepted = true;
      gone_.push_back(std::move(old));
    }
    if (after != nullptr && !hasAction(*actions, "read")) {
      in->values = after;
      in->unknown = unknown;
      in->before = before;
      in->where = cw + "/after";
      in->accepted = hasAction(*actions, "no-op");
      live_.push_back(std::move(*in));
    }
  }
}

void TerraformLoader::countIgnored() {
  std::map<std::string, int> aws_types;
  int others = 0;
  for (const Instance& in : live_) {
    if (spec(in.type) != nullptr) continue;
    if (in.type.rfind("aws_", 0) == 0) {
      ++aws_types[in.type];
    } else {
      ++others;
    }
  }
  if (aws_types.empty() && others == 0) return;
  std::string list;
  int total = others;
  for (const auto& [type, n] : aws_types) {
    list += (list.empty() ? "" : ", ") + type + (n > 1 ? " (" + std::to_string(n) + ")" : "");
    total += n;
  }
  if (others > 0)
    list += (list.empty() ? "" : ", and ") + std::to_string(others) + " of other providers";
  warning(
      "terraform.ignored_resources",
      std::to_string(total) + " resource(s) of types trustsim does not read were skipped: " + list,
      "");
}

}  // namespace tf
}  // namespace trustsim::load
