// SPDX-License-Identifier: Apache-2.0
#include "graph/witness.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "match/condition_ops.h"

namespace trustsim::graph {
namespace {

using match::foldCase;

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Keys the request carries whatever the caller does: derived from the caller, the resource or
// the session chain (aws-semantics §3.4). A witness never sets them.
bool derivedKey(const std::string& k, bool outside) {
  if (startsWith(k, "aws:principalarn")) return !outside;
  return startsWith(k, "aws:principal") || k == "aws:userid" || k == "aws:username" ||
         startsWith(k, "aws:resource") || startsWith(k, "iam:resourcetag") || k == "aws:sourceidentity" ||
         k == "aws:tokenissuetime" || k == "aws:securetransport" || k == "aws:viaawsservice" ||
         k == "aws:calledvia" || startsWith(k, "aws:calledvia");
}

std::string isoTime(double epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string expandGlob(std::string_view pattern) {
  std::string out;
  for (char c : pattern) out.push_back(c == '*' || c == '?' ? 'x' : c);
  return out;
}

std::optional<Witness> solve(const Statement& st, bool outside) {
  Witness w;
  std::optional<double> after, before;  // aws:CurrentTime bounds
  for (const ConditionClause& c : st.conditions) {
    const ConditionOperator& op = c.op;
    const std::string& k = c.folded_key;
    if (op.negated || op.if_exists || op.set == SetQualifier::ForAllValues) {
      continue;  // AWS: satisfied by leaving the key out (absent ⇒ true)
    }
    if (c.values.empty()) continue;
    const ConditionValue& first = c.values.front();
    if (op.family == OperatorFamily::Null) {
      if (first.number != 0) continue;  // Null true: leave the key out
      // Null false: some value must be present.
      if (k == "sts:externalid") {
        w.params.external_id = "any-external-id";
        w.requirements.push_back({c.key, "any", "some ExternalId (any value)"});
      } else if (k == "sts:sourceidentity") {
        w.params.source_identity = "trustsim";
        w.requirements.push_back({c.key, "trustsim", "a source identity"});
      } else if (!derivedKey(k, outside)) {
        w.params.environment.emplace_back(c.key, "present");
        w.requirements.push_back({c.key, "present", c.key + " present"});
      }
      continue;
    }
    if (first.has_variables) {
      continue;  // compared with another key of the request: the simulator decides
    }
    const bool glob = op.family == OperatorFamily::StringLike || op.family == OperatorFamily::Arn;
    const std::string value = glob ? expandGlob(first.raw) : first.raw;
    const std::string shown = glob && value != first.raw ? " like " + quoted(first.raw) : " " + quoted(value);
    if (k == "sts:externalid") {
      w.params.external_id = value;
      w.requirements.push_back({c.key, value, "ExternalId" + shown});
    } else if (k == "sts:rolesessionname") {
      w.params.session_name = value;
      w.requirements.push_back({c.key, value, "session name" + shown});
    } else if (k == "sts:sourceidentity") {
      w.params.source_identity = value;
      w.requirements.push_back({c.key, value, "source identity" + shown});
    } else if (k == "aws:multifactorauthpresent" || k == "aws:multifactorauthage") {
      if (op.family == OperatorFamily::Bool && first.number == 0) continue;
      w.params.mfa = true;
      w.needs_mfa = true;
      w.requirements.push_back({c.key, "true", "MFA"});
    } else if (startsWith(k, "aws:requesttag/")) {
      const std::string tag = c.key.substr(15);
      w.params.tags.push_back(Tag{tag, value});
      w.requirements.push_back({c.key, value, "session tag " + tag + "=" + value});
    } else if (k == "aws:tagkeys" || k == "sts:transitivetagkeys") {
      for (const ConditionValue& v : c.values) {
        const std::string key = expandGlob(v.raw);
        const bool have = std::any_of(w.params.tags.begin(), w.params.tags.end(),
                                      [&](const Tag& t) { return foldCase(t.key) == foldCase(key); });
        if (!have) w.params.tags.push_back(Tag{key, "x"});
        if (k == "sts:transitivetagkeys") w.params.transitive_tag_keys.push_back(key);
        if (op.set == SetQualifier::ForAnyValue || op.set == SetQualifier::None) break;
      }
      w.requirements.push_back({c.key, value, (k == "aws:tagkeys" ? "session tag keys" : "transitive tag keys") + shown});
    } else if (k == "aws:sourceip" && op.family == OperatorFamily::IpAddress) {
      if (!first.valid) return std::nullopt;
      char buf[64];
      std::string addr;
      if (!first.network.v6) {
        std::snprintf(buf, sizeof buf, "%d.%d.%d.%d", first.network.bytes[0], first.network.bytes[1],
                      first.network.bytes[2], first.network.bytes[3]);
        addr = buf;
      } else {
        for (int i = 0; i < 16; i += 2) {
          std::snprintf(buf, sizeof buf, "%s%x", i ? ":" : "", (first.network.bytes[i] << 8) | first.network.bytes[i + 1]);
          addr += buf;
        }
      }
      w.params.environment.emplace_back("aws:SourceIp", addr);
      w.requirements.push_back({c.key, first.raw, "source IP in " + first.raw});
    } else if ((k == "aws:currenttime" || k == "aws:epochtime") && op.family == OperatorFamily::Date) {
      if (!first.valid) return std::nullopt;
      switch (op.comparison) {
        case Comparison::LessThan:
        case Comparison::LessThanEquals:
          before = before ? std::min(*before, first.number) : first.number;
          break;
        case Comparison::GreaterThan:
        case Comparison::GreaterThanEquals:
          after = after ? std::max(*after, first.number) : first.number;
          break;
        case Comparison::Equals:
          after = before = first.number;
          break;
      }
    } else if (k == "aws:principalarn") {
      // Only reached for callers outside the model: choose a principal the condition admits.
      w.principal_arn = value;
      w.requirements.push_back({c.key, value, "principal ARN" + shown});
    } else if (!derivedKey(k, outside)) {
      // aws:SourceArn, aws:SourceAccount, identity-provider claims (`...:sub`, `saml:aud`), ...
      w.params.environment.emplace_back(c.key, value);
      w.requirements.push_back({c.key, value, c.key + shown});
    }
  }
  if (after || before) {
    double t;
    if (after && before) {
      if (*after > *before) return std::nullopt;
      t = *after + (*before - *after) / 2;
    } else if (after) {
      t = *after + 1;
    } else {
      t = *before - 1;
    }
    w.params.environment.emplace_back("aws:CurrentTime", isoTime(t));
    w.requirements.push_back({"aws:CurrentTime", isoTime(t), "at a time such as " + isoTime(t)});
  }
  return w;
}

}  // namespace trustsim::graph
