// SPDX-License-Identifier: Apache-2.0
// ARN splitting and the small predicates built on it.
#include "trustsim/arn.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace trustsim {

std::optional<ArnView> ArnView::parse(std::string_view text) {
  std::array<std::string_view, 6> f;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    f[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  f[5] = text.substr(start);
  if (f[0] != "arn") {
    return std::nullopt;
  }
  return ArnView{f[1], f[2], f[3], f[4], f[5]};
}

std::optional<Arn> Arn::parse(std::string_view text) {
  const auto v = ArnView::parse(text);
  if (!v) {
    return std::nullopt;
  }
  return Arn{std::string(v->partition), std::string(v->service), std::string(v->region),
             std::string(v->account), std::string(v->resource)};
}

std::string Arn::str() const {
  return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

bool isKnownPartition(std::string_view p) {
  return p == "aws" || p == "aws-cn" || p == "aws-us-gov" || p == "aws-eusc" ||
         p.substr(0, 7) == "aws-iso";
}

bool isAccountId(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isRoleArn(std::string_view resource) {
  const auto arn = ArnView::parse(resource);
  return arn && arn->service == "iam" && arn->resource.substr(0, 5) == "role/";
}

std::string_view roleNameOfResource(std::string_view resource) {
  if (resource.substr(0, 5) != "role/") {
    return {};
  }
  const std::size_t slash = resource.rfind('/');
  return resource.substr(slash + 1);
}

}  // namespace trustsim
