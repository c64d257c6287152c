// SPDX-License-Identifier: Apache-2.0
// Reading expectations: strict, so that a typo is an input error and never a silent pass.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <set>

#include "parse/json_reader.h"
#include "trustsim/harness.h"

namespace trustsim {
namespace {

using nlohmann::json;
using parse::pointerAppend;

const std::set<std::string> kAssumeOutcomes = {"allowed", "denied", "accessDenied", "validationError"};
const std::set<std::string> kRequestOutcomes = {"allowed", "denied", "explicitDeny", "implicitDeny"};

class Reader {
 public:
  Reader(const std::string& file) : file_(file) {}
  Diagnostics errors;

  void error(std::string code, std::string message, const std::string& where) {
    errors.push_back(Diagnostic{std::move(code), std::move(message), where, file_, Severity::Error});
  }

  bool keys(const json& v, const std::string& where, std::initializer_list<std::string_view> allowed, std::string_view what) {
    if (!v.is_object()) {
      error("expect.wrong_type", std::string(what) + " must be an object", where);
      return false;
    }
    bool ok = true;
    for (const auto& [k, _] : v.items()) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error("expect.unknown_key", "unknown key `" + k + "` in " + std::string(what) + " (known: " + list + ")", pointerAppend(where, k));
        ok = false;
      }
    }
    return ok;
  }

  std::optional<std::string> str(const json& o, const char* k, const std::string& where, bool required) {
    const auto it = o.find(k);
    if (it == o.end()) {
      if (required) error("expect.missing_key", std::string("missing `") + k + "`", where);
      return std::nullopt;
    }
    if (!it->is_string()) {
      error("expect.wrong_type", std::string("`") + k + "` must be a string", pointerAppend(where, k));
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::vector<std::string> strings(const json& o, const char* k, const std::string& where) {
    std::vector<std::string> out;
    const auto it = o.find(k);
    if (it == o.end()) return out;
    if (it->is_string()) return {it->get<std::string>()};
    if (!it->is_array()) {
      error("expect.wrong_type", std::string("`") + k + "` must be a list of strings", pointerAppend(where, k));
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        error("expect.wrong_type", std::string("`") + k + "` entries must be strings", pointerAppend(pointerAppend(where, k), i));
      } else {
        out.push_back((*it)[i].get<std::string>());
      }
    }
    return out;
  }

  std::optional<HopSpec> hop(const json& h, const std::string& w) {
    if (!keys(h, w, {"role", "externalId", "sessionName", "sourceIdentity", "tags", "transitiveTags", "duration", "mfa"}, "a hop")) {
      return std::nullopt;
    }
    HopSpec s;
    s.role = str(h, "role", w, true).value_or("");
    s.external_id = str(h, "externalId", w, false);
    s.session_name = str(h, "sessionName", w, false);
    s.source_identity = str(h, "sourceIdentity", w, false);
    if (const auto t = h.find("tags"); t != h.end()) {
      if (!t->is_object()) {
        error("expect.wrong_type", "`tags` is an object of key: value", w + "/tags");
      } else {
        for (const auto& [k, v] : t->items()) {
          if (v.is_string()) s.tags.push_back(Tag{k, v.get<std::string>()});
          else error("expect.wrong_type", "tag values are strings", pointerAppend(w + "/tags", k));
        }
      }
    }
    s.transitive_tags = strings(h, "transitiveTags", w);
    if (const auto d = h.find("duration"); d != h.end()) {
      if (!d->is_number_integer()) {
        error("expect.wrong_type", "`duration` is a whole number of seconds", w + "/duration");
      } else if (d->is_number_unsigned()) {
        // Saturated, not wrapped: 2^32 + 3600 seconds is too long, not one hour.
        s.duration = static_cast<int>(std::min<std::uint64_t>(d->get<std::uint64_t>(), INT_MAX));
      } else {
        s.duration =
            static_cast<int>(std::clamp<std::int64_t>(d->get<std::int64_t>(), INT_MIN, INT_MAX));
      }
    }
    if (const auto m = h.find("mfa"); m != h.end()) {
      if (!m->is_boolean()) error("expect.wrong_type", "`mfa` is true or false", w + "/mfa");
      else s.mfa = m->get<bool>();
    }
    return s;
  }

  void context(const json& o, const std::string& w, Expectation& e) {
    const auto c = o.find("context");
    if (c == o.end()) return;
    if (!c->is_object()) {
      error("expect.wrong_type", "`context` is an object of key: value", w + "/context");
      return;
    }
    for (const auto& [k, v] : c->items()) {
      if (v.is_string()) e.context.emplace_back(k, v.get<std::string>());
      else error("expect.wrong_type", "context values are strings", pointerAppend(w + "/context", k));
    }
  }

  std::optional<Expectation> one(const json& x, const std::string& w) {
    if (!keys(x, w, {"name", "description", "when", "assume", "request", "whoCan", "noFindings", "finding", "outcome",
                     "message", "failedAction", "exactly", "atMost", "atLeast", "present"}, "an expectation")) {
      return std::nullopt;
    }
    Expectation e;
    e.file = file_;
    e.where = w;
    e.name = str(x, "name", w, true).value_or("");
    e.description = str(x, "description", w, false).value_or("");
    e.when = strings(x, "when", w);
    int kinds = 0;
    for (const char* k : {"assume", "request", "whoCan", "noFindings", "finding"}) kinds += x.contains(k) ? 1 : 0;
    if (kinds != 1) {
      error("expect.kind", "an expectation has exactly one of `assume`, `request`, `whoCan`, `noFindings`, `finding`", w);
      return std::nullopt;
    }
    const auto outcome = [&](const std::set<std::string>& allowed) {
      e.outcome = str(x, "outcome", w, true).value_or("");
      if (!e.outcome.empty() && !allowed.count(e.outcome)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        error("expect.invalid_outcome", "`outcome` is one of " + list + ", not `" + e.outcome + "`", w + "/outcome");
      }
    };
    if (const auto a = x.find("assume"); a != x.end()) {
      e.kind = Expectation::Kind::Assume;
      const std::string aw = w + "/assume";
      if (!keys(*a, aw, {"as", "asSession", "chain", "role", "externalId", "sessionName", "sourceIdentity", "tags",
                         "transitiveTags", "duration", "mfa", "context"}, "`assume`")) return std::nullopt;
      e.as = str(*a, "as", aw, true).value_or("");
      e.as_session = str(*a, "asSession", aw, false);
      if (a->contains("chain")) {
        if (a->contains("role")) error("expect.kind", "give `role` (one hop) or `chain`, not both", aw);
        const json& chain = (*a)["chain"];
        if (!chain.is_array() || chain.empty()) {
          error("expect.wrong_type", "`chain` is a non-empty array of hops", aw + "/chain");
        } else {
          for (std::size_t i = 0; i < chain.size(); ++i) {
            if (auto h = hop(chain[i], pointerAppend(aw + "/chain", i))) e.hops.push_back(std::move(*h));
          }
        }
      } else {
        json single = json::object();
        for (const char* k : {"role", "externalId", "sessionName", "sourceIdentity", "tags", "transitiveTags", "duration", "mfa"}) {
          if (a->contains(k)) single[k] = (*a)[k];
        }
        if (auto h = hop(single, aw)) e.hops.push_back(std::move(*h));
      }
      context(*a, aw, e);
      outcome(kAssumeOutcomes);
      e.message = str(x, "message", w, false);
      e.failed_action = str(x, "failedAction", w, false);
    } else if (const auto r = x.find("request"); r != x.end()) {
      e.kind = Expectation::Kind::Request;
      const std::string rw = w + "/request";
      if (!keys(*r, rw, {"as", "asSession", "via", "action", "resource", "context"}, "`request`")) return std::nullopt;
      e.as = str(*r, "as", rw, true).value_or("");
      e.as_session = str(*r, "asSession", rw, false);
      e.action = str(*r, "action", rw, true).value_or("");
      e.resource = str(*r, "resource", rw, true).value_or("");
      if (const auto via = r->find("via"); via != r->end()) {
        if (!via->is_array()) {
          error("expect.wrong_type", "`via` is an array of hops", rw + "/via");
        } else {
          for (std::size_t i = 0; i < via->size(); ++i) {
            const json& hv = (*via)[i];
            if (auto h = hop(hv.is_string() ? json{{"role", hv}} : hv, pointerAppend(rw + "/via", i))) e.hops.push_back(std::move(*h));
          }
        }
      }
      context(*r, rw, e);
      outcome(kRequestOutcomes);
      e.message = str(x, "message", w, false);
    } else if (const auto wc = x.find("whoCan"); wc != x.end()) {
      e.kind = Expectation::Kind::WhoCan;
      const std::string ww = w + "/whoCan";
      if (!keys(*wc, ww, {"action", "resource", "context"}, "`whoCan`")) return std::nullopt;
      e.action = str(*wc, "action", ww, true).value_or("");
      e.resource = str(*wc, "resource", ww, true).value_or("");
      context(*wc, ww, e);
      int modes = 0;
      for (const auto& [k, m] : {std::pair{"exactly", Expectation::SetMode::Exactly}, std::pair{"atMost", Expectation::SetMode::AtMost},
                                 std::pair{"atLeast", Expectation::SetMode::AtLeast}}) {
        if (x.contains(k)) {
          ++modes;
          e.mode = m;
          e.principals = strings(x, k, w);
        }
      }
      if (modes != 1) error("expect.kind", "`whoCan` takes exactly one of `exactly`, `atMost`, `atLeast`", w);
    } else if (const auto nf = x.find("noFindings"); nf != x.end()) {
      e.kind = Expectation::Kind::NoFindings;
      const std::string nw = w + "/noFindings";
      if (!keys(*nf, nw, {"atOrAbove", "except"}, "`noFindings`")) return std::nullopt;
      const std::string sev = str(*nf, "atOrAbove", nw, false).value_or("info");
      if (const auto s = parseFindingSeverity(sev)) e.threshold = *s;
      else error("expect.invalid_value", "`atOrAbove` is info, low, medium, high or critical", nw + "/atOrAbove");
      if (const auto ex = nf->find("except"); ex != nf->end()) {
        if (!ex->is_array()) {
          error("expect.wrong_type", "`except` is an array of suppressions", nw + "/except");
        } else {
          for (std::size_t i = 0; i < ex->size(); ++i) {
            const std::string sw = pointerAppend(nw + "/except", i);
            if (!keys((*ex)[i], sw, {"rule", "resource", "principal", "reason", "expires"}, "a suppression")) continue;
            Suppression s;
            s.rule = str((*ex)[i], "rule", sw, true).value_or("");
            s.resource = str((*ex)[i], "resource", sw, false);
            s.principal = str((*ex)[i], "principal", sw, false);
            s.reason = str((*ex)[i], "reason", sw, true).value_or("");
            s.expires = str((*ex)[i], "expires", sw, false);
            if (s.expires && (s.expires->size() != 10 || (*s.expires)[4] != '-' || (*s.expires)[7] != '-')) {
              error("expect.invalid_value", "`expires` is a date YYYY-MM-DD", sw + "/expires");
            }
            checkRule(s.rule, sw + "/rule");
            e.except.push_back(std::move(s));
          }
        }
      }
    } else if (const auto f = x.find("finding"); f != x.end()) {
      e.kind = Expectation::Kind::Finding;
      const std::string fw = w + "/finding";
      if (!keys(*f, fw, {"rule", "resource", "principal"}, "`finding`")) return std::nullopt;
      e.rule = str(*f, "rule", fw, true).value_or("");
      checkRule(e.rule, fw + "/rule");
      e.resource = str(*f, "resource", fw, false).value_or("");
      e.as = str(*f, "principal", fw, false).value_or("");
      if (const auto p = x.find("present"); p != x.end()) {
        if (!p->is_boolean()) error("expect.wrong_type", "`present` is true or false", w + "/present");
        else e.present = p->get<bool>();
      }
    }
    return e;
  }

  void checkRule(const std::string& rule, const std::string& where) {
    if (rule.empty()) return;
    for (const RuleInfo& r : findingRules()) {
      if (r.id == rule) return;
    }
    error("expect.unknown_rule", "`" + rule + "` is not a finding rule (see docs/findings.md)", where);
  }

 private:
  const std::string& file_;
};

}  // namespace

Result<std::vector<Expectation>> parseExpectations(const nlohmann::json& list, const std::string& file,
                                                   const std::string& where) {
  Reader r(file);
  std::vector<Expectation> out;
  if (!list.is_array()) {
    return Diagnostics{Diagnostic{"expect.wrong_type", "`expect` is an array of expectations", where, file, Severity::Error}};
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string w = pointerAppend(where, i);
    auto e = r.one(list[i], w);
    if (!e) continue;
    if (!e->name.empty() && !names.insert(e->name).second) {
      r.error("expect.duplicate_name", "expectation name `" + e->name + "` is used twice", w + "/name");
    }
    out.push_back(std::move(*e));
  }
  if (!r.errors.empty()) return r.errors;
  return out;
}

}  // namespace trustsim
