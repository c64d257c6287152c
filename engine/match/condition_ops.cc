// SPDX-License-Identifier: Apache-2.0
// Condition operators: table, value readers, policy variables and clause evaluation.
#include "match/condition_ops.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "trustsim/arn.h"

namespace trustsim::match {
namespace {

struct OperatorSpec {
  std::string_view name;
  OperatorFamily family;
  Comparison comparison;
  bool negated;
};

// AWS: the condition operators of the IAM policy grammar (aws-semantics §7.2).
constexpr OperatorSpec kOperators[] = {
    {"StringEquals", OperatorFamily::StringEquals, Comparison::Equals, false},
    {"StringNotEquals", OperatorFamily::StringEquals, Comparison::Equals, true},
    {"StringEqualsIgnoreCase", OperatorFamily::StringEqualsIgnoreCase, Comparison::Equals, false},
    {"StringNotEqualsIgnoreCase", OperatorFamily::StringEqualsIgnoreCase, Comparison::Equals, true},
    {"StringLike", OperatorFamily::StringLike, Comparison::Equals, false},
    {"StringNotLike", OperatorFamily::StringLike, Comparison::Equals, true},
    {"NumericEquals", OperatorFamily::Numeric, Comparison::Equals, false},
    {"NumericNotEquals", OperatorFamily::Numeric, Comparison::Equals, true},
    {"NumericLessThan", OperatorFamily::Numeric, Comparison::LessThan, false},
    {"NumericLessThanEquals", OperatorFamily::Numeric, Comparison::LessThanEquals, false},
    {"NumericGreaterThan", OperatorFamily::Numeric, Comparison::GreaterThan, false},
    {"NumericGreaterThanEquals", OperatorFamily::Numeric, Comparison::GreaterThanEquals, false},
    {"DateEquals", OperatorFamily::Date, Comparison::Equals, false},
    {"DateNotEquals", OperatorFamily::Date, Comparison::Equals, true},
    {"DateLessThan", OperatorFamily::Date, Comparison::LessThan, false},
    {"DateLessThanEquals", OperatorFamily::Date, Comparison::LessThanEquals, false},
    {"DateGreaterThan", OperatorFamily::Date, Comparison::GreaterThan, false},
    {"DateGreaterThanEquals", OperatorFamily::Date, Comparison::GreaterThanEquals, false},
    {"Bool", OperatorFamily::Bool, Comparison::Equals, false},
    {"BinaryEquals", OperatorFamily::Binary, Comparison::Equals, false},
    {"IpAddress", OperatorFamily::IpAddress, Comparison::Equals, false},
    {"NotIpAddress", OperatorFamily::IpAddress, Comparison::Equals, true},
    {"ArnEquals", OperatorFamily::Arn, Comparison::Equals, false},
    {"ArnLike", OperatorFamily::Arn, Comparison::Equals, false},
    {"ArnNotEquals", OperatorFamily::Arn, Comparison::Equals, true},
    {"ArnNotLike", OperatorFamily::Arn, Comparison::Equals, true},
    {"Null", OperatorFamily::Null, Comparison::Equals, false},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool istartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iendsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long long daysFromCivil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool readFixed(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size() || !allDigits(s.substr(pos, len))) {
    return false;
  }
  out = std::atoi(std::string(s.substr(pos, len)).c_str());
  return true;
}

bool compare(double request, double policy, Comparison c) {
  switch (c) {
    case Comparison::Equals:
      return request == policy;
    case Comparison::LessThan:
      return request < policy;
    case Comparison::LessThanEquals:
      return request <= policy;
    case Comparison::GreaterThan:
      return request > policy;
    case Comparison::GreaterThanEquals:
      return request >= policy;
  }
  return false;
}

bool networkContains(const IpNetwork& net, const IpNetwork& addr) {
  if (net.v6 != addr.v6) {
    return false;  // AWS: an IPv4 range never matches an IPv6 address, and vice versa
  }
  int bits = net.prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xFF : static_cast<std::uint8_t>(0xFF << (8 - bits));
    if ((net.bytes[i] & mask) != (addr.bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

// Compiles the six ARN fields of `text` as globs; ranges in `literal` are not wildcards.
bool compileArnFields(std::string_view text,
                      const std::vector<std::pair<std::size_t, std::size_t>>& literal,
                      std::array<Wildcard, 6>& out) {
  std::array<std::size_t, 7> bounds{};  // field i is [bounds[i], bounds[i+1] - 1)
  std::size_t pos = 0;
  bounds[0] = 0;
  for (int i = 1; i <= 5; ++i) {
    const std::size_t colon = text.find(':', pos);
    if (colon == std::string_view::npos) {
      return false;
    }
    bounds[i] = colon + 1;
    pos = colon + 1;
  }
  bounds[6] = text.size() + 1;
  for (int i = 0; i < 6; ++i) {
    const std::size_t b = bounds[i];
    const std::size_t e = bounds[i + 1] - 1;
    std::vector<Wildcard::Piece> pieces;
    std::size_t at = b;
    for (const auto& [lb, le] : literal) {
      const std::size_t s = std::max(lb, b), t = std::min(le, e);
      if (s >= t) {
        continue;
      }
      if (s > at) {
        pieces.push_back({text.substr(at, s - at), false});
      }
      pieces.push_back({text.substr(s, t - s), true});
      at = t;
    }
    if (at < e) {
      pieces.push_back({text.substr(at, e - at), false});
    }
    out[i] = Wildcard::compile(pieces, Wildcard::Mode::Plain);
  }
  return true;
}

bool arnFieldsMatch(const std::array<Wildcard, 6>& fields, std::string_view request) {
  const auto arn = Arn::parse(request);
  if (!arn) {
    return false;  // MODEL: a request value that is not an ARN never matches an Arn operator
  }
  return fields[0].matches("arn") && fields[1].matches(arn->partition) &&
         fields[2].matches(arn->service) && fields[3].matches(arn->region) &&
         fields[4].matches(arn->account) && fields[5].matches(arn->resource);
}

// Does the request value match policy value `pv` (the positive test of the family)?
bool positiveMatch(const ConditionClause& clause, const ConditionValue& pv, std::string_view rv,
                   const RequestContext& ctx) {
  const OperatorFamily family = clause.op.family;
  if (pv.has_variables) {
    const auto resolved = resolveTemplate(pv.value, ctx);
    if (!resolved) {
      return false;  // AWS: a variable with no value matches nothing under a positive operator
    }
    switch (family) {
      case OperatorFamily::StringEquals:
        return rv == resolved->text;
      case OperatorFamily::StringEqualsIgnoreCase:
        return iequals(rv, resolved->text);
      case OperatorFamily::StringLike:
        return Wildcard::compile(resolved->pieces(), Wildcard::Mode::Plain).matches(rv);
      case OperatorFamily::Arn: {
        std::array<Wildcard, 6> fields;
        return compileArnFields(resolved->text, resolved->literal_ranges, fields) &&
               arnFieldsMatch(fields, rv);
      }
      case OperatorFamily::Bool: {
        const auto want = parseBool(resolved->text);
        const auto got = parseBool(rv);
        return want && got && *want == *got;
      }
      default:
        break;  // other families never carry variables (the parser keeps them literal)
    }
  }
  if (!pv.valid) {
    return false;  // MODEL: an unparsable policy value (from a dump) compares false
  }
  switch (family) {
    case OperatorFamily::StringEquals:
      return rv == pv.raw;
    case OperatorFamily::StringEqualsIgnoreCase:
      return iequals(rv, pv.raw);
    case OperatorFamily::StringLike:
      return pv.glob.matches(rv);
    case OperatorFamily::Numeric: {
      const auto n = parseNumber(rv);
      return n && compare(*n, pv.number, clause.op.comparison);
    }
    case OperatorFamily::Date: {
      const auto d = parseDate(rv);
      return d && compare(*d, pv.number, clause.op.comparison);
    }
    case OperatorFamily::Bool: {
      const auto b = parseBool(rv);
      return b && (*b ? 1.0 : 0.0) == pv.number;
    }
    case OperatorFamily::Binary:
      // AWS: the policy holds the base64 text of the bytes the request key carries.
      return rv == pv.bytes;
    case OperatorFamily::IpAddress: {
      const auto addr = parseIpNetwork(rv);
      return addr && networkContains(pv.network, *addr);
    }
    case OperatorFamily::Arn:
      if (pv.raw == "*") {
        return Arn::parse(rv).has_value();
      }
      return pv.arn_ok && arnFieldsMatch(pv.arn, rv);
    case OperatorFamily::Null:
      return false;  // handled before
  }
  return false;
}

bool anyValueMatches(const ConditionClause& clause, std::string_view rv, const RequestContext& ctx) {
  for (const ConditionValue& pv : clause.values) {
    if (positiveMatch(clause, pv, rv, ctx)) {
      return true;
    }
  }
  return false;
}

// Whether a request value can be compared at all under this family; an unparsable request value
// makes the comparison false whatever the operator (aws-semantics §7.2).
bool requestValueReadable(OperatorFamily family, std::string_view rv) {
  switch (family) {
    case OperatorFamily::Numeric:
      return parseNumber(rv).has_value();
    case OperatorFamily::Date:
      return parseDate(rv).has_value();
    case OperatorFamily::Bool:
      return parseBool(rv).has_value();
    case OperatorFamily::IpAddress:
      return parseIpNetwork(rv).has_value();
    default:
      return true;
  }
}

bool testValue(const ConditionClause& clause, std::string_view rv, const RequestContext& ctx) {
  if (!requestValueReadable(clause.op.family, rv)) {
    return false;
  }
  const bool any = anyValueMatches(clause, rv, ctx);
  // AWS: several values are OR-ed for a positive operator, NOR-ed for a negated one.
  return clause.op.negated ? !any : any;
}

}  // namespace

std::string foldCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + ('a' - 'A'));
    }
  }
  return out;
}

std::optional<OperatorLookup> lookupOperator(std::string_view name) {
  OperatorLookup result;
  bool exact = true;
  std::string_view rest = name;
  const auto strip_prefix = [&](std::string_view prefix, SetQualifier q) {
    if (istartsWith(rest, prefix)) {
      exact = exact && rest.substr(0, prefix.size()) == prefix;
      rest.remove_prefix(prefix.size());
      result.op.set = q;
      return true;
    }
    return false;
  };
  if (!strip_prefix("ForAnyValue:", SetQualifier::ForAnyValue)) {
    strip_prefix("ForAllValues:", SetQualifier::ForAllValues);
  }
  if (iendsWith(rest, "IfExists") && rest.size() > 8) {
    exact = exact && rest.substr(rest.size() - 8) == "IfExists";
    rest.remove_suffix(8);
    result.op.if_exists = true;
  }
  for (const OperatorSpec& spec : kOperators) {
    if (iequals(spec.name, rest)) {
      result.op.name = std::string(name);
      result.op.family = spec.family;
      result.op.comparison = spec.comparison;
      result.op.negated = spec.negated;
      result.case_exact = exact && spec.name == rest;
      return result;
    }
  }
  return std::nullopt;
}

bool familyTakesVariables(OperatorFamily family) {
  // AWS: variables work in string and ARN operators (and Bool per the operator page; the
  // variables page disagrees: MODEL allow). Numeric, Date, IP, Binary and Null take none.
  return family == OperatorFamily::StringEquals || family == OperatorFamily::StringEqualsIgnoreCase ||
         family == OperatorFamily::StringLike || family == OperatorFamily::Arn ||
         family == OperatorFamily::Bool;
}

std::optional<double> parseNumber(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) {
    return std::nullopt;
  }
  // Decimal only: optional sign, digits, optional fraction, optional exponent. No hex, inf, nan.
  std::size_t i = 0;
  if (text[i] == '+' || text[i] == '-') {
    ++i;
  }
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    ++i, ++digits;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i, ++digits;
    }
  }
  if (digits == 0) {
    return std::nullopt;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    std::size_t exp_digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i, ++exp_digits;
    }
    if (exp_digits == 0) {
      return std::nullopt;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  return std::strtod(std::string(text).c_str(), nullptr);
}

std::optional<double> parseDate(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 64) {
    return std::nullopt;
  }
  // Epoch seconds: all digits (optionally with a fraction).
  if (std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }) &&
      s.find('-') == std::string_view::npos && !(s.size() == 4)) {
    return parseNumber(s);
  }
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  double fraction = 0;
  if (!readFixed(s, 0, 4, year)) {
    return std::nullopt;
  }
  std::size_t pos = 4;
  if (pos < s.size()) {
    if (s[pos] != '-' || !readFixed(s, pos + 1, 2, month)) {
      return std::nullopt;
    }
    pos += 3;
    if (pos < s.size()) {
      if (s[pos] != '-' || !readFixed(s, pos + 1, 2, day)) {
        return std::nullopt;
      }
      pos += 3;
    }
  }
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
      return std::nullopt;
    }
    if (!readFixed(s, pos + 1, 2, hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !readFixed(s, pos + 4, 2, minute)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!readFixed(s, pos + 1, 2, second)) {
        return std::nullopt;
      }
      pos += 3;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        std::size_t e = pos + 1;
        while (e < s.size() && std::isdigit(static_cast<unsigned char>(s[e]))) {
          ++e;
        }
        if (e == pos + 1) {
          return std::nullopt;
        }
        fraction = std::strtod(("0." + std::string(s.substr(pos + 1, e - pos - 1))).c_str(), nullptr);
        pos = e;
      }
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        const int sign = s[pos] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!readFixed(s, pos + 1, 2, oh)) {
          return std::nullopt;
        }
        std::size_t p = pos + 3;
        if (p < s.size() && s[p] == ':') {
          ++p;
        }
        if (!readFixed(s, p, 2, om)) {
          return std::nullopt;
        }
        offset_minutes = sign * (oh * 60 + om);
        pos = p + 2;
      } else {
        return std::nullopt;
      }
    }
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (pos != s.size() || month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && leap ? 1 : 0) || minute > 59 || second > 60 ||
      hour > 24 || (hour == 24 && (minute != 0 || second != 0 || fraction != 0))) {
    return std::nullopt;
  }
  const long long days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second -
                             offset_minutes * 60) +
         fraction;
}

std::optional<IpNetwork> parseIpNetwork(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) {
    return std::nullopt;
  }
  IpNetwork net;
  std::string addr(text);
  int prefix = -1;
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    if (!allDigits(bits) || bits.size() > 3) {
      return std::nullopt;
    }
    prefix = std::atoi(std::string(bits).c_str());
    addr = std::string(text.substr(0, slash));
  }
  if (inet_pton(AF_INET, addr.c_str(), net.bytes.data()) == 1) {
    net.v6 = false;
    if (prefix > 32) {
      return std::nullopt;
    }
    net.prefix = prefix < 0 ? 32 : prefix;
    return net;
  }
  if (inet_pton(AF_INET6, addr.c_str(), net.bytes.data()) == 1) {
    net.v6 = true;
    if (prefix > 128) {
      return std::nullopt;
    }
    net.prefix = prefix < 0 ? 128 : prefix;  // MODEL: a bare IPv6 address is one host
    return net;
  }
  return std::nullopt;
}

std::optional<std::string> decodeBase64(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      ++padding;
      continue;
    } else {
      return std::nullopt;
    }
    if (padding > 0) {
      return std::nullopt;  // data after padding
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  const std::size_t data = text.size() - padding;
  if (padding > 2 || text.empty() || data % 4 == 1) {
    return std::nullopt;  // a length of 1 mod 4 leaves stray bits that encode no byte
  }
  return out;
}

std::optional<bool> parseBool(std::string_view text) {
  if (iequals(text, "true")) {
    return true;
  }
  if (iequals(text, "false")) {
    return false;
  }
  return std::nullopt;
}

void compileConditionValue(OperatorFamily family, ConditionValue& v) {
  v.valid = true;
  switch (family) {
    case OperatorFamily::StringEquals:
    case OperatorFamily::StringEqualsIgnoreCase:
      break;
    case OperatorFamily::StringLike:
      v.glob = Wildcard::compile(v.raw, Wildcard::Mode::Plain);
      break;
    case OperatorFamily::Arn:
      v.arn_ok = v.raw == "*" || compileArnFields(v.raw, {}, v.arn);
      break;
    case OperatorFamily::Numeric: {
      const auto n = parseNumber(v.raw);
      v.valid = n.has_value();
      v.number = n.value_or(0);
      break;
    }
    case OperatorFamily::Date: {
      const auto d = parseDate(v.raw);
      v.valid = d.has_value();
      v.number = d.value_or(0);
      break;
    }
    case OperatorFamily::Bool:
    case OperatorFamily::Null: {
      const auto b = parseBool(v.raw);
      v.valid = b.has_value();
      v.number = b.value_or(false) ? 1 : 0;
      break;
    }
    case OperatorFamily::Binary: {
      const auto bytes = decodeBase64(v.raw);
      v.valid = bytes.has_value();
      v.bytes = bytes.value_or("");
      break;
    }
    case OperatorFamily::IpAddress: {
      const auto net = parseIpNetwork(v.raw);
      v.valid = net.has_value();
      if (net) {
        v.network = *net;
      }
      break;
    }
  }
}

Template parseTemplate(std::string_view text, bool variables) {
  Template t;
  const auto add_text = [&](std::string_view s, bool literal) {
    if (s.empty()) {
      return;
    }
    if (!t.parts.empty() && t.parts.back().type == Template::Part::Type::Text &&
        t.parts.back().literal == literal) {
      t.parts.back().text.append(s);
      return;
    }
    Template::Part p;
    p.text = std::string(s);
    p.literal = literal;
    t.parts.push_back(std::move(p));
  };
  std::size_t pos = 0;
  while (variables) {
    const std::size_t open = text.find("${", pos);
    if (open == std::string_view::npos) {
      break;
    }
    const std::size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) {
      break;
    }
    add_text(text.substr(pos, open - pos), false);
    const std::string_view inner = text.substr(open + 2, close - open - 2);
    if (inner == "*" || inner == "?" || inner == "$") {
      add_text(inner, true);  // AWS: ${*} ${?} ${$} are the literal characters
    } else {
      Template::Part p;
      p.type = Template::Part::Type::Variable;
      const std::size_t comma = inner.find(',');
      p.text = foldCase(trim(inner.substr(0, comma)));
      if (comma != std::string_view::npos) {
        std::string_view def = trim(inner.substr(comma + 1));
        if (def.size() >= 2 && def.front() == '\'' && def.back() == '\'') {
          def = def.substr(1, def.size() - 2);
        }
        p.default_value = std::string(def);
      }
      t.parts.push_back(std::move(p));
    }
    pos = close + 1;
  }
  add_text(text.substr(pos), false);
  return t;
}

std::vector<Wildcard::Piece> ResolvedTemplate::pieces() const {
  std::vector<Wildcard::Piece> out;
  std::size_t at = 0;
  const std::string_view view = text;
  for (const auto& [b, e] : literal_ranges) {
    if (b > at) {
      out.push_back({view.substr(at, b - at), false});
    }
    out.push_back({view.substr(b, e - b), true});
    at = e;
  }
  if (at < text.size()) {
    out.push_back({view.substr(at), false});
  }
  return out;
}

std::optional<ResolvedTemplate> resolveTemplate(const Template& tmpl, const RequestContext& ctx) {
  ResolvedTemplate out;
  for (const Template::Part& part : tmpl.parts) {
    if (part.type == Template::Part::Type::Text) {
      const std::size_t begin = out.text.size();
      out.text += part.text;
      if (part.literal) {
        out.literal_ranges.emplace_back(begin, out.text.size());
      }
      continue;
    }
    const ContextValue* v = ctx.find(part.text);
    const std::string* value = nullptr;
    // AWS: only single-valued keys resolve as variables.
    if (v != nullptr && !v->multivalued && v->values.size() == 1) {
      value = &v->values[0];
    } else if (part.default_value) {
      value = &*part.default_value;
    }
    if (value == nullptr) {
      return std::nullopt;
    }
    const std::size_t begin = out.text.size();
    out.text += *value;
    // MODEL: substituted text is literal, so a `*` in a tag value is not a wildcard.
    out.literal_ranges.emplace_back(begin, out.text.size());
  }
  return out;
}

bool evaluateClause(const ConditionClause& clause, const RequestContext& ctx, std::string* note) {
  const ContextValue* cv = ctx.find(clause.folded_key);
  const ConditionOperator& op = clause.op;
  const auto explain = [&](bool result, const char* why) {
    if (!result && note != nullptr) {
      *note = why;
    }
    return result;
  };
  if (op.family == OperatorFamily::Null) {
    // AWS: Null "true" holds when the key is absent; an empty string or empty list counts as null.
    const bool is_null = cv == nullptr || cv->values.empty() ||
                         (!cv->multivalued && cv->values.size() == 1 && cv->values[0].empty());
    for (const ConditionValue& pv : clause.values) {
      if (pv.valid && (pv.number != 0) == is_null) {
        return true;
      }
    }
    return explain(false, is_null ? "the key is absent" : "the key is present");
  }
  if (cv == nullptr) {
    // AWS: a missing key makes a positive operator false and a negated one true; IfExists and
    // ForAllValues make it true; ForAnyValue makes it false.
    if (op.if_exists || op.set == SetQualifier::ForAllValues) {
      return true;
    }
    if (op.set == SetQualifier::ForAnyValue) {
      return explain(false, "the key is absent");
    }
    return explain(op.negated, "the key is absent");
  }
  switch (op.set) {
    case SetQualifier::ForAllValues:
      for (const std::string& rv : cv->values) {
        if (!testValue(clause, rv, ctx)) {
          return explain(false, "a request value is outside the policy values");
        }
      }
      return true;
    case SetQualifier::ForAnyValue:
      for (const std::string& rv : cv->values) {
        if (testValue(clause, rv, ctx)) {
          return true;
        }
      }
      return explain(false, "no request value matches");
    case SetQualifier::None:
      break;
  }
  if (cv->multivalued) {
    if (cv->values.empty()) {
      return explain(op.negated, "the key is an empty set");
    }
    if (cv->values.size() > 1) {
      // MODEL: a plain operator on a multivalued key with several values does not match.
      return explain(false, "a single-value operator on a key with several values");
    }
  }
  if (cv->values.empty()) {
    return explain(op.negated, "the key has no value");
  }
  return explain(testValue(clause, cv->values[0], ctx), "the request value does not match");
}

}  // namespace trustsim::match

namespace trustsim {
bool Template::hasVariables() const {
  return std::any_of(parts.begin(), parts.end(), [](const Part& p) {
    return p.type == Part::Type::Variable || p.literal;
  });
}

}  // namespace trustsim
