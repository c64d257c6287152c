// SPDX-License-Identifier: Apache-2.0
#include "data/vendors.h"

#include <map>

#include <yaml-cpp/yaml.h>

namespace trustsim::data {

extern const char* const kKnownAccountsYaml;
extern const char* const kVendorsOverlayYaml;

namespace {

void addList(const char* yaml, std::map<std::string, std::string>& out) {
  try {
    const YAML::Node root = YAML::Load(yaml);
    for (const YAML::Node& entry : root) {
      if (!entry["name"] || !entry["accounts"]) continue;
      const std::string name = entry["name"].as<std::string>();
      for (const YAML::Node& a : entry["accounts"]) out[a.as<std::string>()] = name;
    }
  } catch (const YAML::Exception&) {
    // INVARIANT: the bundled data is checked by tests; a broken copy only loses names.
  }
}

const std::map<std::string, std::string>& directory() {
  static const std::map<std::string, std::string> names = [] {
    std::map<std::string, std::string> out;
    addList(kKnownAccountsYaml, out);
    addList(kVendorsOverlayYaml, out);
    return out;
  }();
  return names;
}

}  // namespace

std::optional<std::string> vendorName(const World& world, const std::string& account) {
  for (const Vendor& v : world.vendors) {
    for (const std::string& a : v.accounts) {
      if (a == account) return v.name;
    }
  }
  const auto& dir = directory();
  const auto it = dir.find(account);
  if (it != dir.end()) return it->second;
  return std::nullopt;
}

}  // namespace trustsim::data
