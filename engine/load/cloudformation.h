// SPDX-License-Identifier: Apache-2.0
// CloudFormation templates (JSON or YAML, short-form tags included) → World (issue 10). The
// template is evaluated as CloudFormation would evaluate it for one stack: parameters (Default,
// or `--parameter` values), pseudo parameters (from LoadOptions), mappings, conditions and the
// template's own resources (cfn_resolver.h). Modelled resources:
//   AWS::IAM::Role, AWS::IAM::User, AWS::IAM::Group, AWS::IAM::ManagedPolicy, AWS::IAM::Policy,
//   AWS::IAM::RolePolicy, AWS::IAM::UserPolicy, AWS::IAM::GroupPolicy,
//   AWS::IAM::UserToGroupAddition, AWS::IAM::OIDCProvider, AWS::IAM::SAMLProvider,
//   AWS::S3::Bucket, AWS::S3::BucketPolicy, AWS::KMS::Key.
// Other types are skipped; those that grant access another way (queue and topic policies, Lambda
// permissions, nested stacks, ...) with the warning cfn.unmodelled. A resource whose Condition is
// false is not created. Policies are Authored: anything AWS would refuse is an error.
//
// Every entity's Origin names the template, `/Resources/LOGICAL_ID`, the logical ID (address)
// and the line of the resource in the template; every diagnostic with a known line says it.
//
// Codes, besides the resolver's (cfn_resolver.h): cfn.wrong_type, cfn.missing_field,
// cfn.invalid_value, cfn.invalid_document (a policy string that is not JSON), cfn.unknown_section,
// cfn.duplicate (two resources that make the same entity), cfn.unsupported_intrinsic
// (Fn::ForEach); warnings cfn.transform (macros are not run), cfn.unknown_parameter (a
// `--parameter` the template does not declare), cfn.unmodelled, cfn.outside_target (a policy
// attached to a role, user or group the template does not define: the world cannot show it).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "parse/source_lines.h"
#include "trustsim/load.h"
#include "trustsim/world.h"

namespace trustsim::load {

// True for an object with `AWSTemplateFormatVersion`, or with a `Resources` object in which some
// resource has a `Type` starting with `AWS::`.
bool looksLikeCloudFormation(const nlohmann::json& doc);

// `lines` (optional) maps pointers of the template to lines, for Origin::line and diagnostics.
Result<World> loadCloudFormation(const nlohmann::json& doc, const std::string& file,
                                 const LoadOptions& options,
                                 const parse::SourceLines* lines = nullptr);

}  // namespace trustsim::load
