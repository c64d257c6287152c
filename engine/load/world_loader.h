// SPDX-License-Identifier: Apache-2.0
// The world loader's steps, for callers that edit documents between reading and loading
// (what-if variants and patches).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "trustsim/load.h"

namespace trustsim {

// Reads and parses one file (JSON or YAML).
Result<nlohmann::json> readDocument(const std::string& path, const FileReader& read);
// Detects the kind of a parsed document and loads it.
Result<World> loadDocument(const nlohmann::json& doc, const std::string& path, const FileReader& read,
                           const LoadOptions& options = {});
// loadWorld with `edit` applied to each parsed document before it is loaded (an empty `edit`:
// none, which lets dumps take the fast reader).
Result<World> loadWorldDocuments(const std::vector<std::string>& paths, const FileReader& read,
                                 const std::function<Diagnostics(const std::string&, nlohmann::json&)>& edit,
                                 const LoadOptions& options = {});

}  // namespace trustsim
