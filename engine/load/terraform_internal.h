// SPDX-License-Identifier: Apache-2.0
// The Terraform loader's pieces: terraform.cc reads the document (which values stand for the
// side asked for, the configuration, the account); terraform_resources.cc turns each resource
// type into World entities and WorldEdits.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "load/field_reader.h"
#include "trustsim/load.h"
#include "trustsim/world.h"

namespace trustsim::load::tf {

using nlohmann::json;

// One resource instance as the side being read has it.
struct Instance {
  std::string address, module_address, mode, type, name;
  const json* values = nullptr;   // its attributes (an object)
  const json* unknown = nullptr;  // `after_unknown` (plans, After side): `true` where not known yet
  const json* before = nullptr;   // the attributes before the change (plans, After side)
  const json* config = nullptr;   // `expressions` of its resource block (plans)
  std::string where;              // pointer of `values`
  std::string entry;              // pointer of the resource or change entry (Origin::where)
  bool accepted = false;          // from state: AWS accepted every value
};

// Where resources whose ARN is not known land.
struct Placement {
  std::string account;         // the default account (empty: none)
  std::set<std::string> seen;  // the accounts the document's known ARNs name
  std::string partition = "aws";
  std::string region = "us-east-1";
};

// What a resource instance is, for other resources that name it.
struct Identity {
  std::string type;
  std::string arn;  // roles, users, groups, policies, keys, providers
  std::string account;
  std::string name;        // IAM name, bucket name, organisation policy id
  std::string path = "/";  // IAM path
  bool usable = true;      // false: an organisation policy that is not read (tag policy...)
};

class TerraformLoader : public FieldReader {
 public:
  TerraformLoader(const std::string& file, const LoadOptions& options)
      : FieldReader(file, "terraform"), options_(options) {}
  Result<World> run(const json& doc);

 private:
  struct TypeSpec;

  // --- the document (terraform.cc) ---
  bool checkDocument(const json& doc);
  void indexConfiguration(const json& module, const std::string& prefix);
  void place(const json& doc);
  void noteArn(const json& values, const std::string& type, const std::string& mode);
  void walkModule(const json& module, const std::string& where, bool accepted,
                  std::vector<Instance>& out);
  void readChanges(const json& changes, const std::string& where);
  std::optional<Instance> instance(const json& entry, const std::string& where);
  void attachConfig(Instance& in) const;
  void countIgnored();

  // --- values of an instance (terraform_resources.cc) ---
  using FieldReader::text;
  enum class Known { Yes, Unknown, Absent };
  Known known(const Instance& in, const char* attr) const;
  const json* value(const Instance& in, const char* attr, Want want);
  std::optional<std::string> text(const Instance& in, const char* attr);
  std::vector<std::string> strings(const Instance& in, const char* attr,
                                   const std::string& consequence);
  std::vector<Tag> tags(const Instance& in);
  bool accepted(const Instance& in, const char* attr) const;
  bool configured(const Instance& in, const char* attr) const;
  void unknownValue(const Instance& in, const std::string& attr, const std::string& consequence);
  const Identity* referenced(const Instance& in, const char* attr, std::string_view type) const;
  const Identity* named(std::string_view type, const std::string& name) const;
  std::string account(const Instance& in);
  std::optional<NamedPolicy> document(const Instance& in, const char* attr, PolicyKind kind,
                                      const std::string& name);
  Policy parseDocument(const Instance& in, const json& text, const std::string& where,
                       PolicyKind kind, bool accepted);
  Origin origin(const Instance& in) const { return Origin{file_, in.entry, in.address}; }
  std::string iamArn(const Instance& in, std::string_view kind, const std::string& path,
                     const std::string& name);
  std::string knownArn(const Instance& in, std::string_view service, std::string_view prefix);

  // --- resource types (terraform_resources.cc) ---
  static const TypeSpec* spec(std::string_view type);
  void build();
  Identity identify(const Instance& in);
  Identity iamIdentity(const Instance& in, std::string_view kind);
  std::string nameOf(const Instance& in, const char* what);
  void role(const Instance& in);
  void user(const Instance& in);
  void group(const Instance& in);
  void managedPolicy(const Instance& in);
  void kmsKey(const Instance& in);
  void provider(const Instance& in);
  void resourcePolicy(const Instance& in);
  void orgPolicy(const Instance& in);
  std::vector<NamedPolicy> inlineBlocks(const Instance& in);
  std::optional<std::string> boundary(const Instance& in);
  std::vector<WorldEdit> relation(const Instance& in);
  struct PrincipalRef {
    WorldEdit::Target target;
    std::string account, name;
  };
  std::optional<PrincipalRef> principal(const Instance& in, const char* attr,
                                        WorldEdit::Target target);
  std::optional<std::string> policyArn(const Instance& in);
  std::vector<WorldEdit> inlinePolicyEdits(const Instance& in, WorldEdit::Target target,
                                           const char* owner);
  std::vector<WorldEdit> attachmentEdits(const Instance& in, WorldEdit::Target target,
                                         const char* owner);
  std::vector<WorldEdit> policyAttachmentEdits(const Instance& in);
  std::vector<WorldEdit> membershipEdits(const Instance& in);
  std::vector<WorldEdit> orgAttachmentEdits(const Instance& in);
  WorldEdit edit(const Instance& in, WorldEdit::Op op, const PrincipalRef& p, std::string item,
                 std::string subject) const;
  std::vector<WorldEdit> removals(const Instance& gone);

  const LoadOptions& options_;
  bool plan_ = false;
  bool omits_unknown_ = false;  // planned_values without resource_changes: unknown looks absent
  std::map<std::string, const json*> config_;  // configuration key → `expressions`
  Placement placement_;
  std::vector<Instance> live_;  // the instances of the side read
  std::vector<Instance> gone_;  // objects the plan destroys or changes (their `before`)
  std::map<std::string, Identity> identities_;      // by address
  std::map<std::string, const Identity*> by_name_;  // `type|folded name` → the first such identity
  std::vector<WorldEdit> additions_;                // organisation policies defined by the plan
  bool reported_no_account_ = false;
  bool undoing_ = false;  // reading a destroyed object: its policies are not parsed
  World world_;
};

// `module.a[0].module.b["k"]` → `module.a.module.b`: the configuration path of a module instance.
std::string withoutInstanceKeys(std::string_view address);

// `PREFIX(known after apply: ADDRESS)`: the stand-in name of a resource whose name Terraform
// generates at apply time (a `/` of the address becomes `_`, so it stays one path segment).
std::string placeholderName(std::string_view prefix, std::string_view address);

}  // namespace trustsim::load::tf
