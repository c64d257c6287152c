// SPDX-License-Identifier: Apache-2.0
// Synthetic organisations for scale tests (issue 8): an organisation plan (accounts, OUs, SCPs,
// planted findings) drawn from the seed, then each account planned and written on its own, from
// its own random stream, straight to JSON text in the AWS CLI's layout. No DOM, no clock.
#include "trustsim/generate.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gen/json_text.h"
#include "gen/random.h"

namespace trustsim {
namespace {

using gen::JsonText;
using gen::Rng;

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // IAM unique ids
constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::string_view kDigits = "0123456789";

// ---- Dates: integer days since 1970-01-01, proleptic Gregorian, UTC. -------------------------

constexpr std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

void twoDigits(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

// `2023-04-01T09:12:44+00:00`, as the AWS CLI prints IAM dates; with_millis adds `.123000`
// (Organizations' timestamps carry fractions).
std::string isoTime(std::int64_t epoch, bool with_millis = false) {
  const std::int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
  const auto secs = static_cast<unsigned>(epoch - days * 86400);
  std::int64_t y;
  unsigned m, d;
  civilFromDays(days, y, m, d);
  std::string out = std::to_string(y);
  out += '-';
  twoDigits(out, m);
  out += '-';
  twoDigits(out, d);
  out += 'T';
  twoDigits(out, secs / 3600);
  out += ':';
  twoDigits(out, secs / 60 % 60);
  out += ':';
  twoDigits(out, secs % 60);
  if (with_millis) {
    const unsigned millis = static_cast<unsigned>((epoch * 7919) % 1000);
    out += '.';
    out += static_cast<char>('0' + millis / 100);
    out += static_cast<char>('0' + millis / 10 % 10);
    out += static_cast<char>('0' + millis % 10);
    out += "000";
  }
  out += "+00:00";
  return out;
}

// The moment the dumps were "taken": every date is before it.
constexpr std::int64_t kSnapshot = daysFromCivil(2025, 6, 30) * 86400 + 9 * 3600;
static_assert(kSnapshot == 1751274000, "2025-06-30T09:00:00Z");

constexpr std::int64_t dayOf(std::int64_t year, unsigned month, unsigned day) { return daysFromCivil(year, month, day) * 86400; }

// A time between `from` and kSnapshot (a working-hours-ish time of day).
std::int64_t timeAfter(Rng& r, std::int64_t from, std::int64_t until = kSnapshot) {
  if (until <= from) return from;
  const std::int64_t day = (from + r.between(0, until - from)) / 86400 * 86400;
  return std::clamp(day + r.between(6 * 3600, 19 * 3600), from, until);
}

// ---- Static tables ---------------------------------------------------------------------------

// Third parties that ask customers for a role: names and account ids from the bundled
// known-accounts list (data/known_aws_accounts/accounts.yaml); tests check each is known.
struct VendorInfo {
  const char* name;      // as the known-accounts list spells it
  const char* account;
  const char* role;      // the role name their setup guide suggests (ours, generic)
  const char* tag;
  bool uuid_external_id;  // vendor-issued ExternalIds look like UUIDs (else 32 hex digits)
};
constexpr VendorInfo kMonitoringVendors[] = {
    {"Datadog", "464622532012", "DatadogIntegrationRole", "datadog", false},
    {"New Relic", "754728514883", "NewRelicInfrastructure-Integrations", "newrelic", true},
    {"Sumo Logic", "926226587429", "SumoLogicCloudSIEM", "sumologic", true},
    {"Splunk", "112543817624", "SplunkObservabilityRole", "splunk", true},
};
constexpr VendorInfo kSecurityVendors[] = {
    {"Orca Security", "976280145156", "OrcaSecurityRole", "orca", true},
    {"Lacework", "434813966438", "LaceworkCSPMRole", "lacework", false},
    {"CrowdStrike", "292230061137", "CrowdStrikeCSPMReader", "crowdstrike", true},
    {"Tenable", "012615275169", "TenableCloudSecurityRole", "tenable", true},
    {"Vanta", "956993596390", "vanta-auditor", "vanta", true},
    {"Sysdig", "761931097553", "SysdigCloudBench", "sysdig", true},
};
constexpr VendorInfo kCostVendors[] = {
    {"Cloudability", "165736516723", "CloudabilityRole", "cloudability", false},
    {"Cloudhealth", "454464851268", "CloudHealthRole", "cloudhealth", true},
};
constexpr VendorInfo kDataVendors[] = {
    {"Fivetran", "834469178297", "FivetranS3Access", "fivetran", true},
    {"Databricks", "414351767826", "databricks-cross-account", "databricks", true},
};

constexpr const char* kCompanies[] = {"acme", "globex", "initech", "umbrella", "hooli", "vandelay", "soylent", "wonka"};
constexpr const char* kApps[] = {
    "payments", "checkout", "ledger", "identity", "search", "catalog", "orders", "shipping", "inventory", "pricing",
    "reviews", "notifications", "messaging", "billing", "invoicing", "fraud", "risk", "analytics", "reporting",
    "recommendations", "media", "content", "profile", "loyalty", "onboarding", "support", "crm", "marketing",
    "partner-api", "mobile-backend", "web-frontend", "data-lake", "ml-platform", "streaming", "gateway", "scheduler",
    "audit-trail", "documents", "tax", "treasury"};
constexpr const char* kBusinessUnits[] = {"Commerce", "Finance", "Platform", "Data", "Customer", "Corporate"};
constexpr const char* kComponents[] = {
    "api", "worker", "ingest", "scheduler", "reports", "notifier", "export", "sync", "auth", "indexer", "resizer",
    "webhook", "consumer", "producer", "cleanup", "backfill", "etl", "aggregator", "router", "renderer", "validator",
    "enricher", "archiver", "poller", "dispatcher", "reconciler", "importer", "mailer", "audit", "metrics"};
constexpr const char* kPurposes[] = {"reader", "writer", "publisher", "exporter", "consumer", "admin-api", "uploader"};
constexpr const char* kFirstNames[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
                                       "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor",
                                       "walter", "yusuf"};
constexpr const char* kRegions[] = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"};

// AWS-managed policies the generated roles attach, with condensed documents of our own (the real
// ones are longer; only the default version is written).
enum class Managed {
  AdministratorAccess, ReadOnlyAccess, ViewOnlyAccess, SecurityAudit, PowerUserAccess, Billing,
  NetworkAdministrator, LambdaBasicExecution, EcsTaskExecution, SsmManagedInstanceCore, CloudWatchAgent,
  XRayWriteOnly, SupportService, TrustedAdvisorService, SsoService, OrganizationsService, EcsService, ElbService,
  AutoScalingService, RdsService, GuardDutyService, SecurityHubService, ConfigService,
};
struct ManagedInfo {
  Managed id;
  const char* name;
  const char* path;
  const char* version;
  std::int64_t created;  // epoch seconds
};
constexpr ManagedInfo kManaged[] = {
    {Managed::AdministratorAccess, "AdministratorAccess", "/", "v1", dayOf(2015, 2, 6)},
    {Managed::ReadOnlyAccess, "ReadOnlyAccess", "/", "v118", dayOf(2015, 2, 6)},
    {Managed::ViewOnlyAccess, "ViewOnlyAccess", "/job-function/", "v21", dayOf(2016, 11, 10)},
    {Managed::SecurityAudit, "SecurityAudit", "/", "v43", dayOf(2015, 2, 6)},
    {Managed::PowerUserAccess, "PowerUserAccess", "/", "v5", dayOf(2015, 2, 6)},
    {Managed::Billing, "Billing", "/job-function/", "v12", dayOf(2016, 11, 10)},
    {Managed::NetworkAdministrator, "NetworkAdministrator", "/job-function/", "v13", dayOf(2016, 11, 10)},
    {Managed::LambdaBasicExecution, "AWSLambdaBasicExecutionRole", "/service-role/", "v1", dayOf(2015, 4, 9)},
    {Managed::EcsTaskExecution, "AmazonECSTaskExecutionRolePolicy", "/service-role/", "v1", dayOf(2017, 11, 16)},
    {Managed::SsmManagedInstanceCore, "AmazonSSMManagedInstanceCore", "/", "v2", dayOf(2019, 3, 15)},
    {Managed::CloudWatchAgent, "CloudWatchAgentServerPolicy", "/", "v2", dayOf(2017, 8, 31)},
    {Managed::XRayWriteOnly, "AWSXRayDaemonWriteAccess", "/", "v3", dayOf(2018, 8, 28)},
    {Managed::SupportService, "AWSSupportServiceRolePolicy", "/aws-service-role/", "v31", dayOf(2018, 4, 19)},
    {Managed::TrustedAdvisorService, "AWSTrustedAdvisorServiceRolePolicy", "/aws-service-role/", "v12", dayOf(2018, 2, 22)},
    {Managed::SsoService, "AWSSSOServiceRolePolicy", "/aws-service-role/", "v29", dayOf(2017, 12, 7)},
    {Managed::OrganizationsService, "AWSOrganizationsServiceTrustPolicy", "/aws-service-role/", "v3", dayOf(2017, 10, 10)},
    {Managed::EcsService, "AmazonECSServiceRolePolicy", "/aws-service-role/", "v8", dayOf(2017, 10, 14)},
    {Managed::ElbService, "AWSElasticLoadBalancingServiceRolePolicy", "/aws-service-role/", "v9", dayOf(2017, 9, 19)},
    {Managed::AutoScalingService, "AutoScalingServiceRolePolicy", "/aws-service-role/", "v7", dayOf(2018, 1, 8)},
    {Managed::RdsService, "AmazonRDSServiceRolePolicy", "/aws-service-role/", "v14", dayOf(2018, 1, 8)},
    {Managed::GuardDutyService, "AmazonGuardDutyServiceRolePolicy", "/aws-service-role/", "v10", dayOf(2017, 11, 28)},
    {Managed::SecurityHubService, "AWSSecurityHubServiceRolePolicy", "/aws-service-role/", "v15", dayOf(2018, 11, 27)},
    {Managed::ConfigService, "AWSConfigServiceRolePolicy", "/aws-service-role/", "v41", dayOf(2018, 5, 30)},
};
constexpr std::size_t kManagedCount = sizeof(kManaged) / sizeof(kManaged[0]);
constexpr bool managedTableInOrder() {
  for (std::size_t i = 0; i < kManagedCount; ++i) {
    if (static_cast<std::size_t>(kManaged[i].id) != i) return false;
  }
  return true;
}
static_assert(managedTableInOrder(), "kManaged is indexed by Managed");

const ManagedInfo& managedInfo(Managed m) { return kManaged[static_cast<std::size_t>(m)]; }
std::string managedArn(Managed m) {
  const ManagedInfo& i = managedInfo(m);
  return std::string("arn:aws:iam::aws:policy") + i.path + i.name;
}

// ---- Policy documents ------------------------------------------------------------------------

struct Cond {
  const char* op;
  std::string key;
  std::vector<std::string> values;
};

struct Stmt {
  std::string sid;
  bool deny = false;
  const char* principal_kind = nullptr;  // "AWS", "Service", "Federated"; nullptr: no Principal
  std::vector<std::string> principals;
  std::vector<std::string> actions;
  bool not_action = false;
  std::vector<std::string> resources;  // empty: no Resource element (trust policies)
  std::vector<Cond> conditions;
};
using Document = std::vector<Stmt>;

// A single value as a string, several as a list: how people write policies.
void valueList(JsonText& j, const std::vector<std::string>& values) {
  if (values.size() == 1) {
    j.string(values.front());
    return;
  }
  j.beginArray();
  for (const std::string& v : values) j.string(v);
  j.endArray();
}

void writeDocument(JsonText& j, const Document& doc) {
  j.beginObject();
  j.field("Version", "2012-10-17");
  j.key("Statement");
  j.beginArray();
  for (const Stmt& st : doc) {
    j.beginObject();
    if (!st.sid.empty()) j.field("Sid", st.sid);
    j.field("Effect", st.deny ? "Deny" : "Allow");
    if (st.principal_kind != nullptr) {
      j.key("Principal");
      j.beginObject();
      j.key(st.principal_kind);
      valueList(j, st.principals);
      j.endObject();
    }
    j.key(st.not_action ? "NotAction" : "Action");
    valueList(j, st.actions);
    if (!st.resources.empty()) {
      j.key("Resource");
      valueList(j, st.resources);
    }
    if (!st.conditions.empty()) {
      j.key("Condition");
      j.beginObject();
      // One block per operator, in the order first used.
      std::vector<const char*> ops;
      for (const Cond& c : st.conditions) {
        if (std::find(ops.begin(), ops.end(), c.op) == ops.end()) ops.push_back(c.op);
      }
      for (const char* op : ops) {
        j.key(op);
        j.beginObject();
        for (const Cond& c : st.conditions) {
          if (c.op != op) continue;
          j.key(c.key);
          valueList(j, c.values);
        }
        j.endObject();
      }
      j.endObject();
    }
    j.endObject();
  }
  j.endArray();
  j.endObject();
}

Stmt allow(std::vector<std::string> actions, std::vector<std::string> resources, std::string sid = {}) {
  Stmt s;
  s.sid = std::move(sid);
  s.actions = std::move(actions);
  s.resources = std::move(resources);
  return s;
}

Stmt trustStatement(const char* kind, std::vector<std::string> principals, std::vector<std::string> actions = {"sts:AssumeRole"}) {
  Stmt s;
  s.principal_kind = kind;
  s.principals = std::move(principals);
  s.actions = std::move(actions);
  return s;
}

// Condensed documents of the AWS-managed policies (our own wording of what each grants).
Document managedDocument(Managed m) {
  const auto svc = [](std::initializer_list<const char*> services, std::initializer_list<const char*> verbs) {
    std::vector<std::string> out;
    for (const char* s : services) {
      for (const char* v : verbs) out.push_back(std::string(s) + ":" + v);
    }
    return out;
  };
  switch (m) {
    case Managed::AdministratorAccess:
      return {allow({"*"}, {"*"})};
    case Managed::ReadOnlyAccess:
      return {allow(svc({"acm", "apigateway", "autoscaling", "cloudformation", "cloudfront", "cloudtrail", "cloudwatch",
                         "dynamodb", "ec2", "ecr", "ecs", "eks", "elasticloadbalancing", "events", "iam", "kms",
                         "lambda", "logs", "rds", "route53", "s3", "sns", "sqs", "ssm", "states"},
                        {"Describe*", "Get*", "List*"}),
                    {"*"}, "ReadOnlyActions")};
    case Managed::ViewOnlyAccess:
      return {allow(svc({"cloudtrail", "cloudwatch", "dynamodb", "ec2", "ecs", "iam", "lambda", "rds", "s3", "sns", "sqs"},
                        {"List*", "Describe*"}),
                    {"*"})};
    case Managed::SecurityAudit:
      return {allow({"access-analyzer:Get*", "access-analyzer:List*", "cloudtrail:Describe*", "cloudtrail:Get*",
                     "config:Describe*", "config:Get*", "ec2:Describe*", "guardduty:Get*", "guardduty:List*",
                     "iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy",
                     "kms:Describe*", "kms:GetKeyPolicy", "kms:List*", "lambda:GetPolicy", "lambda:List*",
                     "organizations:Describe*", "organizations:List*", "s3:GetBucketAcl", "s3:GetBucketPolicy",
                     "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:ListAllMyBuckets",
                     "securityhub:Get*", "sns:GetTopicAttributes", "sqs:GetQueueAttributes"},
                    {"*"})};
    case Managed::PowerUserAccess: {
      Stmt a = allow({"iam:*", "organizations:*", "account:*"}, {"*"});
      a.not_action = true;
      return {a, allow({"account:GetAccountInformation", "account:ListRegions", "iam:CreateServiceLinkedRole",
                        "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization"},
                       {"*"})};
    }
    case Managed::Billing:
      return {allow({"aws-portal:*Billing", "aws-portal:*PaymentMethods", "aws-portal:*Usage", "budgets:ModifyBudget",
                     "budgets:ViewBudget", "ce:*", "cur:*", "pricing:*", "tax:*"},
                    {"*"})};
    case Managed::NetworkAdministrator:
      return {allow({"directconnect:*", "ec2:*Route*", "ec2:*Subnet*", "ec2:*TransitGateway*", "ec2:*Vpc*",
                     "ec2:*VpnConnection*", "ec2:Describe*", "elasticloadbalancing:*", "route53:*",
                     "route53resolver:*"},
                    {"*"})};
    case Managed::LambdaBasicExecution:
      return {allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, {"*"})};
    case Managed::EcsTaskExecution:
      return {allow({"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
                     "ecr:GetDownloadUrlForLayer", "logs:CreateLogStream", "logs:PutLogEvents"},
                    {"*"})};
    case Managed::SsmManagedInstanceCore:
      return {allow({"ec2messages:*", "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance",
                     "ssm:GetDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters",
                     "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory",
                     "ssm:UpdateInstanceInformation", "ssmmessages:*"},
                    {"*"})};
    case Managed::CloudWatchAgent:
      return {allow({"cloudwatch:PutMetricData", "ec2:DescribeTags", "ec2:DescribeVolumes", "logs:CreateLogGroup",
                     "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
                    {"*"}),
              allow({"ssm:GetParameter"}, {"arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"})};
    case Managed::XRayWriteOnly:
      return {allow({"xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets",
                     "xray:PutTelemetryRecords", "xray:PutTraceSegments"},
                    {"*"})};
    case Managed::SupportService:
      return {allow({"support:*", "trustedadvisor:Describe*", "iam:GetRole", "iam:ListRoles", "ec2:Describe*",
                     "cloudtrail:DescribeTrails", "s3:GetBucketPolicy"},
                    {"*"})};
    case Managed::TrustedAdvisorService:
      return {allow({"autoscaling:Describe*", "cloudtrail:DescribeTrails", "ec2:Describe*", "iam:GenerateCredentialReport",
                     "iam:GetAccountSummary", "rds:Describe*", "s3:GetBucketAcl", "s3:ListAllMyBuckets"},
                    {"*"})};
    case Managed::SsoService:
      return {allow({"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy",
                     "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:UpdateRole"},
                    {"arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*"}),
              allow({"iam:CreateSAMLProvider", "iam:DeleteSAMLProvider", "iam:UpdateSAMLProvider"},
                    {"arn:aws:iam::*:saml-provider/AWSSSO_*"})};
    case Managed::OrganizationsService:
      return {allow({"iam:DeleteRole"}, {"arn:aws:iam::*:role/aws-service-role/organizations.amazonaws.com/*"}),
              allow({"organizations:Describe*", "organizations:List*"}, {"*"})};
    case Managed::EcsService:
      return {allow({"ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                     "ec2:Describe*", "elasticloadbalancing:Register*", "elasticloadbalancing:Deregister*",
                     "servicediscovery:RegisterInstance", "servicediscovery:DeregisterInstance"},
                    {"*"})};
    case Managed::ElbService:
      return {allow({"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:Describe*",
                     "ec2:ModifyNetworkInterfaceAttribute", "logs:CreateLogDelivery"},
                    {"*"})};
    case Managed::AutoScalingService:
      return {allow({"ec2:CreateTags", "ec2:Describe*", "ec2:RunInstances", "ec2:TerminateInstances",
                     "elasticloadbalancing:Register*", "elasticloadbalancing:Deregister*", "sns:Publish"},
                    {"*"})};
    case Managed::RdsService:
      return {allow({"ec2:AuthorizeSecurityGroupIngress", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                     "ec2:Describe*", "logs:CreateLogGroup", "logs:PutLogEvents"},
                    {"*"})};
    case Managed::GuardDutyService:
      return {allow({"ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeVpcEndpoints",
                     "organizations:DescribeAccount", "organizations:ListAccounts"},
                    {"*"})};
    case Managed::SecurityHubService:
      return {allow({"cloudtrail:DescribeTrails", "config:DescribeConfigRules", "config:PutConfigRule",
                     "iam:GetAccountPasswordPolicy", "organizations:ListAccounts"},
                    {"*"})};
    case Managed::ConfigService:
      return {allow({"cloudtrail:DescribeTrails", "ec2:Describe*", "iam:Get*", "iam:List*", "rds:Describe*",
                     "s3:GetBucket*", "s3:ListAllMyBuckets"},
                    {"*"})};
  }
  return {};
}

// ---- The organisation plan -------------------------------------------------------------------

// What an account is for; small organisations fold several duties into one account.
enum Duty : unsigned {
  kManagement = 1, kSecurity = 2, kLogArchive = 4, kTooling = 8, kNetwork = 16, kWorkload = 32, kSandbox = 64,
};

struct AccountPlan {
  std::string id;
  std::string name;
  std::string email;
  unsigned duties = 0;
  std::string app;  // workloads: the application; others: a name for their own services
  std::string env;  // prod, staging, dev; empty for others
  std::string parent;
  std::string region;
  std::int64_t joined = 0;
  bool invited = false;
  std::size_t vendor_security = 0;    // index into kSecurityVendors
  std::size_t vendor_monitoring = 0;  // index into kMonitoringVendors
  bool has_users = false;
  // Planted findings in this account (rule ids, in order), and modified core roles.
  std::vector<std::string> plants;
  bool pipeline_admin = false;  // planted: the pipeline role has AdministratorAccess
  bool route53_admin = false;   // planted: the DNS delegation role has AdministratorAccess
};

struct OuPlan {
  std::string id;
  std::string name;
  std::string parent;
};

struct ScpPlan {
  std::string id;
  std::string name;
  std::string description;
  bool aws_managed = false;
  std::string content;
  std::vector<std::string> targets;  // root, OU or account ids
};

struct OrgPlan {
  GenerateOptions options;
  std::string company;
  std::string domain;
  std::string org_id;
  std::string root_id;
  std::string home_region;
  std::string second_region;
  std::string sso_instance;  // 16 hex: the SAML provider AWSSSO_<hex>_DO_NOT_DELETE
  std::string sso_region;    // IAM Identity Center's region (role path segment when not us-east-1)
  std::int64_t created = 0;
  std::vector<AccountPlan> accounts;
  std::vector<OuPlan> ous;
  std::vector<ScpPlan> scps;
  std::size_t management = 0, security = 0, log_archive = 0, tooling = 0, network = 0;
  // Which cross-account targets exist (M can be too small for them).
  bool has_orchestrator = false, has_release_manager = false, has_codebuild = false, has_scanner = false,
       has_responder = false, has_route53 = false, has_log_reader = false, has_ci_user = false;
  std::set<std::string> taken_accounts;

  const AccountPlan& at(std::size_t i) const { return accounts[i]; }
  std::string roleArn(std::size_t account, const std::string& path_and_name) const {
    return "arn:aws:iam::" + accounts[account].id + ":role/" + path_and_name;
  }
  std::string samlProvider(std::size_t account) const {
    return "arn:aws:iam::" + accounts[account].id + ":saml-provider/AWSSSO_" + sso_instance + "_DO_NOT_DELETE";
  }
  // The random suffix of a permission set's role in one account (stable, so chains can name it).
  std::string ssoRoleName(std::size_t account, std::string_view permission_set) const {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : permission_set) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    Rng r(gen::streamSeed(options.seed ^ h, 500000 + account));
    return "AWSReservedSSO_" + std::string(permission_set) + "_" + r.chars(kHex, 16);
  }
  std::string ssoPath() const {
    return sso_region == "us-east-1" ? "/aws-reserved/sso.amazonaws.com/" : "/aws-reserved/sso.amazonaws.com/" + sso_region + "/";
  }
};

// The core roles of an account, most important first (M may cut the list).
enum class Core {
  OrganizationAccess, SsoAdmin, SsoReadOnly, SsoBilling, SsoDeveloper, SsoPlatform, SsoSecurityAudit, SsoIncident,
  SsoNetwork, SlrSupport, SlrSso, SlrTrustedAdvisor, SlrOrganizations, SlrEcs, SlrElb, SlrAutoScaling, SlrRds,
  SlrGuardDuty, SlrSecurityHub, SlrConfig, SecurityAuditRole, IncidentAdmin, Pipeline, CfnExecution, DbMigration,
  VendorSecurity, VendorMonitoring, VendorCost, Orchestrator, ReleaseManager, CodeBuildDeploy, Scanner, Responder,
  Route53, LogReader, FirehoseDelivery, PlantPublic, PlantVendorNoExternalId, PlantWeakExternalId, PlantContractor,
  PlantDangling,
};

Core plantRole(const std::string& rule) {
  if (rule == "public-trust") return Core::PlantPublic;
  if (rule == "no-external-id") return Core::PlantVendorNoExternalId;
  if (rule == "weak-external-id") return Core::PlantWeakExternalId;
  if (rule == "account-root-trust") return Core::PlantContractor;
  return Core::PlantDangling;
}

std::vector<Core> coreRoles(const OrgPlan& org, std::size_t index) {
  const AccountPlan& a = org.at(index);
  std::vector<Core> out;
  const auto add = [&out](std::initializer_list<Core> list) {
    for (Core c : list) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    }
  };
  for (const std::string& p : a.plants) add({plantRole(p)});
  // Cross-account targets first, so that they survive a small M.
  if (a.duties & kTooling) add({Core::Orchestrator, Core::ReleaseManager, Core::CodeBuildDeploy, Core::SsoPlatform});
  if (a.duties & kSecurity) add({Core::Scanner, Core::Responder, Core::SsoSecurityAudit, Core::SsoIncident});
  if (a.duties & kNetwork) add({Core::Route53});
  if (a.duties & kLogArchive) add({Core::LogReader});
  if (a.duties & kWorkload) add({Core::Pipeline});
  if (!(a.duties & kManagement)) add({Core::OrganizationAccess});
  add({Core::SsoAdmin});
  if (!(a.duties & kManagement)) add({Core::SecurityAuditRole, Core::IncidentAdmin});
  add({Core::SsoReadOnly});
  if (a.duties & kManagement) add({Core::SsoBilling, Core::VendorCost, Core::SlrOrganizations});
  if (a.duties & (kWorkload | kSandbox)) add({Core::SsoDeveloper});
  if (a.duties & kWorkload) add({Core::DbMigration, Core::CfnExecution, Core::VendorMonitoring});
  if (a.duties & kNetwork) add({Core::SsoNetwork});
  if (a.duties & kLogArchive) add({Core::FirehoseDelivery});
  add({Core::VendorSecurity, Core::SlrSupport, Core::SlrSso, Core::SlrTrustedAdvisor});
  if (a.duties & kSecurity) add({Core::SlrGuardDuty, Core::SlrSecurityHub});
  if (a.duties & kWorkload) add({Core::SlrEcs, Core::SlrElb, Core::SlrAutoScaling, Core::SlrRds});
  add({Core::SlrConfig});
  if (out.size() > org.options.roles_per_account) out.resize(org.options.roles_per_account);
  return out;
}

bool hasCore(const OrgPlan& org, std::size_t account, Core c) {
  const auto roles = coreRoles(org, account);
  return std::find(roles.begin(), roles.end(), c) != roles.end();
}

std::string accountId(Rng& r, OrgPlan& org) {
  std::set<std::string> vendors;
  for (const VendorInfo& v : kMonitoringVendors) vendors.insert(v.account);
  for (const VendorInfo& v : kSecurityVendors) vendors.insert(v.account);
  for (const VendorInfo& v : kCostVendors) vendors.insert(v.account);
  for (const VendorInfo& v : kDataVendors) vendors.insert(v.account);
  for (;;) {
    std::string id = r.chars(kDigits, 12);
    if (id[0] == '0' && r.percent(80)) continue;  // leading zeros are rarer in practice
    if (vendors.count(id) || !org.taken_accounts.insert(id).second) continue;
    return id;
  }
}

std::string scpContent(const std::vector<Stmt>& statements) {
  std::string text;
  JsonText j(text, 4);
  writeDocument(j, statements);
  return text;
}

OrgPlan planOrganization(const GenerateOptions& options) {
  OrgPlan org;
  org.options = options;
  Rng r(gen::streamSeed(options.seed, 0));
  const std::size_t n = options.accounts;
  org.company = r.pick(kCompanies);
  org.domain = org.company + ".example";
  org.org_id = "o-" + r.chars(kLowerAlnum, 10);
  org.root_id = "r-" + r.chars(kLowerAlnum, 4);
  org.home_region = r.pick(kRegions);
  do {
    org.second_region = r.pick(kRegions);
  } while (org.second_region == org.home_region);
  org.sso_instance = r.chars(kHex, 16);
  org.sso_region = r.percent(50) ? org.home_region : "us-east-1";
  org.created = dayOf(2017, 1, 1) + r.between(0, 3 * 365) * 86400;

  // Duties: the classic landing zone when there are enough accounts, folded together otherwise.
  org.management = 0;
  org.security = n > 1 ? 1 : 0;
  org.tooling = n > 2 ? 2 : org.security;
  org.log_archive = n >= 8 ? 3 : org.security;
  org.network = n >= 8 ? 4 : org.tooling;
  const std::size_t first_workload = n >= 8 ? 5 : (n > 3 ? 3 : n);
  org.accounts.resize(n);
  for (std::size_t i = 0; i < n; ++i) org.accounts[i].id = accountId(r, org);
  org.accounts[org.management].duties |= kManagement;
  org.accounts[org.security].duties |= kSecurity;
  org.accounts[org.log_archive].duties |= kLogArchive;
  org.accounts[org.tooling].duties |= kTooling;
  org.accounts[org.network].duties |= kNetwork;

  // OUs: Security, Infrastructure, Workloads/{Prod,NonProd}/<business unit>, Sandbox, Suspended.
  const std::string ou_prefix = "ou-" + org.root_id.substr(2) + "-";
  const auto addOu = [&](const std::string& name, const std::string& parent) {
    org.ous.push_back(OuPlan{ou_prefix + r.chars(kLowerAlnum, 8), name, parent});
    return org.ous.back().id;
  };
  const std::string security_ou = addOu("Security", org.root_id);
  const std::string infra_ou = addOu("Infrastructure", org.root_id);
  const std::string workloads_ou = addOu("Workloads", org.root_id);
  const std::string prod_ou = addOu("Prod", workloads_ou);
  const std::string nonprod_ou = addOu("NonProd", workloads_ou);
  const std::string sandbox_ou = addOu("Sandbox", org.root_id);
  const std::string suspended_ou = addOu("Suspended", org.root_id);
  const std::size_t workloads = n > first_workload ? n - first_workload : 0;
  const std::size_t units = std::min<std::size_t>(std::size(kBusinessUnits), workloads / 20);
  std::vector<std::string> prod_units, nonprod_units;
  for (std::size_t u = 0; u < units; ++u) {
    prod_units.push_back(addOu(kBusinessUnits[u], prod_ou));
    nonprod_units.push_back(addOu(kBusinessUnits[u], nonprod_ou));
  }

  std::set<std::string> names;
  const auto uniqueName = [&names](std::string name) {
    std::string candidate = name;
    for (int k = 2; !names.insert(candidate).second; ++k) candidate = name + "-" + std::to_string(k);
    return candidate;
  };
  constexpr const char* kEnvs[] = {"prod", "staging", "dev"};
  std::size_t sandboxes = 0, apps = 0;
  for (std::size_t i = 0; i < n; ++i) {
    AccountPlan& a = org.accounts[i];
    a.region = r.percent(85) ? org.home_region : org.second_region;
    a.joined = i == 0 ? org.created : timeAfter(r, org.created + 86400, kSnapshot - 120 * 86400);
    a.invited = i == 0 || r.percent(10);
    a.vendor_security = r.below(std::size(kSecurityVendors));
    a.vendor_monitoring = r.below(std::size(kMonitoringVendors));
    if (i >= first_workload) {
      // About one account in twelve is somebody's sandbox.
      if ((i - first_workload) % 12 == 11) {
        a.duties |= kSandbox;
        a.name = uniqueName(std::string("sandbox-") + kFirstNames[sandboxes % std::size(kFirstNames)]);
        a.app = "sandbox";
        ++sandboxes;
        a.parent = sandbox_ou;
      } else {
        a.duties |= kWorkload;
        const std::size_t slot = apps++;
        const std::size_t app_index = slot / 3;
        std::string app = kApps[app_index % std::size(kApps)];
        if (app_index >= std::size(kApps)) app += "-" + std::to_string(app_index / std::size(kApps) + 1);
        a.app = app;
        a.env = kEnvs[slot % 3];
        a.name = uniqueName(app + "-" + a.env);
        const bool prod = a.env == "prod";
        if (units == 0) {
          a.parent = prod ? prod_ou : nonprod_ou;
        } else {
          a.parent = (prod ? prod_units : nonprod_units)[app_index % units];
        }
      }
      a.has_users = r.percent(8);
    }
  }
  // Names and places of the landing-zone accounts (an account with several duties takes the
  // first name).
  const auto name = [&](std::size_t i, const char* nm, const char* app, const std::string& parent) {
    AccountPlan& a = org.accounts[i];
    if (!a.name.empty()) return;
    a.name = uniqueName(nm);
    a.app = app;
    a.parent = parent;
  };
  name(org.management, "management", "org", org.root_id);
  name(org.security, "security-tooling", "security", security_ou);
  name(org.tooling, "shared-services", "cicd", infra_ou);
  name(org.log_archive, "log-archive", "logs", security_ou);
  name(org.network, "network", "network", infra_ou);
  org.accounts[org.management].has_users = true;
  org.accounts[org.tooling].has_users = true;
  for (AccountPlan& a : org.accounts) a.email = "aws+" + a.name + "@" + org.domain;

  // Planted findings, on workload accounts when there are any (never on the landing-zone
  // accounts, whose roles other accounts depend on).
  std::vector<std::size_t> hosts;
  for (std::size_t i = first_workload; i < n; ++i) {
    if (org.accounts[i].duties & kWorkload) hosts.push_back(i);
  }
  if (hosts.empty()) hosts.push_back(n - 1);
  std::size_t cursor = r.below(hosts.size());
  const auto plant = [&](const char* rule, std::size_t count) {
    for (std::size_t k = 0; k < count; ++k) {
      cursor = (cursor + 1 + r.below(std::max<std::size_t>(1, hosts.size() / 7))) % hosts.size();
      org.accounts[hosts[cursor]].plants.push_back(rule);
    }
  };
  plant("public-trust", 1 + n / 250);
  plant("no-external-id", 1 + n / 100);
  plant("weak-external-id", 1);
  plant("account-root-trust", 1 + n / 250);
  plant("dangling-principal", 1 + n / 200);
  for (std::size_t k = 0; k < 1 + n / 250; ++k) {
    // A prod pipeline role with AdministratorAccess (when a prod workload exists).
    cursor = (cursor + 1 + r.below(std::max<std::size_t>(1, hosts.size() / 5))) % hosts.size();
    if (org.accounts[hosts[cursor]].duties & kWorkload) org.accounts[hosts[cursor]].pipeline_admin = true;
  }
  // The DNS role's planted chain needs a pipeline role to start from (M can be too small for one).
  for (std::size_t i = 0; i < org.accounts.size(); ++i) {
    if (hasCore(org, i, Core::Pipeline)) org.accounts[org.network].route53_admin = true;
  }

  org.has_orchestrator = hasCore(org, org.tooling, Core::Orchestrator);
  org.has_release_manager = hasCore(org, org.tooling, Core::ReleaseManager);
  org.has_codebuild = hasCore(org, org.tooling, Core::CodeBuildDeploy);
  org.has_scanner = hasCore(org, org.security, Core::Scanner);
  org.has_responder = hasCore(org, org.security, Core::Responder);
  org.has_route53 = hasCore(org, org.network, Core::Route53);
  org.has_log_reader = hasCore(org, org.log_archive, Core::LogReader);
  org.has_ci_user = org.has_orchestrator;

  // SCPs: FullAWSAccess everywhere (AWS attaches it to every root, OU and account), guardrails.
  ScpPlan full{"p-FullAWSAccess", "FullAWSAccess", "Allows access to every operation", true,
               R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})", {}};
  full.targets.push_back(org.root_id);
  for (const OuPlan& ou : org.ous) full.targets.push_back(ou.id);
  for (const AccountPlan& a : org.accounts) full.targets.push_back(a.id);
  org.scps.push_back(full);
  const auto scpId = [&r]() { return "p-" + r.chars(kLowerAlnum, 8); };
  {
    Stmt s = allow({"organizations:LeaveOrganization"}, {"*"}, "DenyLeaveOrganization");
    s.deny = true;
    org.scps.push_back({scpId(), "DenyLeaveOrganization", "Member accounts may not leave the organization", false,
                        scpContent({s}), {security_ou, infra_ou, workloads_ou, sandbox_ou}});
  }
  {
    Stmt s = allow({"*"}, {"*"}, "DenyRootUser");
    s.deny = true;
    s.conditions.push_back({"StringLike", "aws:PrincipalArn", {"arn:aws:iam::*:root"}});
    org.scps.push_back({scpId(), "DenyRootUser", "No actions as the root user of member accounts", false, scpContent({s}),
                        {workloads_ou, sandbox_ou}});
  }
  {
    Stmt s = allow({"account:*", "aws-portal:*", "budgets:*", "ce:*", "cloudfront:*", "iam:*", "organizations:*",
                    "route53:*", "route53domains:*", "sts:*", "support:*", "waf:*"},
                   {"*"}, "DenyOutsideApprovedRegions");
    s.deny = true;
    s.not_action = true;
    s.conditions.push_back({"StringNotEquals", "aws:RequestedRegion", {org.home_region, org.second_region}});
    s.conditions.push_back({"ArnNotLike", "aws:PrincipalArn",
                            {"arn:aws:iam::*:role/OrganizationAccountAccessRole",
                             "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*"}});
    org.scps.push_back({scpId(), "RegionGuardrail", "Only the approved regions, global services excepted", false,
                        scpContent({s}), {workloads_ou, sandbox_ou}});
  }
  {
    Stmt s = allow({"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
                    "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole"},
                   {"arn:aws:iam::*:role/security/*"}, "ProtectSecurityRoles");
    s.deny = true;
    s.conditions.push_back({"ArnNotLike", "aws:PrincipalArn",
                            {"arn:aws:iam::*:role/OrganizationAccountAccessRole", "arn:aws:iam::*:role/security/*"}});
    org.scps.push_back({scpId(), "ProtectSecurityTooling", "Security roles are changed by the security team only", false,
                        scpContent({s}), {workloads_ou, infra_ou, sandbox_ou}});
  }
  {
    Stmt users = allow({"iam:CreateAccessKey", "iam:CreateUser", "iam:CreateLoginProfile"}, {"*"}, "NoIamUsers");
    users.deny = true;
    Stmt big = allow({"ec2:RunInstances"}, {"arn:aws:ec2:*:*:instance/*"}, "SmallInstancesOnly");
    big.deny = true;
    big.conditions.push_back({"StringNotLike", "ec2:InstanceType", {"t3.*", "t4g.*", "m6i.large"}});
    org.scps.push_back({scpId(), "SandboxGuardrails", "Sandboxes: no IAM users, small instances", false,
                        scpContent({users, big}), {sandbox_ou}});
  }
  {
    Stmt s = allow({"*"}, {"*"}, "Quarantine");
    s.deny = true;
    org.scps.push_back({scpId(), "QuarantineDenyAll", "Accounts being closed: nothing is allowed", false,
                        scpContent({s}), {suspended_ou}});
  }
  return org;
}

// ---- One account -----------------------------------------------------------------------------

struct Inline {
  std::string name;
  Document doc;
};

struct RolePlan {
  std::string name;
  std::string path = "/";
  std::string id;
  Document trust;
  std::vector<Inline> inline_policies;
  std::vector<std::string> managed;  // ARNs
  std::string boundary;              // ARN or empty
  std::vector<std::pair<std::string, std::string>> tags;
  bool instance_profile = false;
  std::string instance_profile_id;
  std::int64_t created = 0;
  std::int64_t last_used = 0;  // 0: never used
  std::string last_region;
  // Filler roles: what kind (for callers of in-account app roles).
  bool can_call = false;
};

struct UserPlan {
  std::string name;
  std::string path = "/";
  std::string id;
  std::int64_t created = 0;
  std::vector<Inline> inline_policies;
  std::vector<std::string> groups;
  std::vector<std::string> managed;
  std::string boundary;
  std::vector<std::pair<std::string, std::string>> tags;
};

struct GroupPlan {
  std::string name;
  std::string path = "/";
  std::string id;
  std::int64_t created = 0;
  std::vector<Inline> inline_policies;
  std::vector<std::string> managed;
};

struct CustomerPolicy {
  std::string name;
  std::string path = "/";
  std::string id;
  std::int64_t created = 0;
  std::vector<std::pair<std::int64_t, Document>> versions;  // oldest first
  std::size_t default_version = 0;                          // index into versions
};

struct AccountSummary {
  std::size_t roles = 0, users = 0, groups = 0, policies = 0, versions = 0, instance_profiles = 0;
  std::size_t unpinned_services = 0, whole_account_trusts = 0;
  std::vector<PlantedFinding> planted;
};

class AccountBuilder {
 public:
  AccountBuilder(const OrgPlan& org, std::size_t index)
      : org_(org), index_(index), a_(org.at(index)), r_(gen::streamSeed(org.options.seed, 1000 + index)) {}

  std::string build(AccountSummary& summary);

 private:
  std::string arnPrefix() const { return "arn:aws:iam::" + a_.id + ":"; }
  std::string roleArn(const RolePlan& role) const { return arnPrefix() + "role" + role.path + role.name; }
  std::string policyArn(const std::string& path, const std::string& name) const { return arnPrefix() + "policy" + path + name; }
  std::string bucket(const std::string& what) const { return org_.company + "-" + a_.name + "-" + what; }
  std::string uniqueRoleName(const std::string& base) {
    std::string candidate = base;
    for (int k = 2; !role_names_.insert(candidate).second; ++k) candidate = base + "-" + std::to_string(k);
    return candidate;
  }
  std::string externalId(bool uuid) {
    if (!uuid) return r_.chars(kHex, 32);
    return r_.chars(kHex, 8) + "-" + r_.chars(kHex, 4) + "-4" + r_.chars(kHex, 3) + "-" + r_.chars("89ab", 1) +
           r_.chars(kHex, 3) + "-" + r_.chars(kHex, 12);
  }
  RolePlan& newRole(const std::string& name, const std::string& path = "/") {
    roles_.emplace_back();
    RolePlan& role = roles_.back();
    role.name = uniqueRoleName(name);
    role.path = path;
    role.id = "AROA" + r_.chars(kBase32, 17);
    role.created = timeAfter(r_, a_.joined);
    if (r_.percent(70)) {
      role.last_used = timeAfter(r_, std::max(role.created, kSnapshot - 90 * 86400));
      role.last_region = r_.percent(85) ? a_.region : org_.second_region;
    }
    return role;
  }
  void iacTags(RolePlan& role, const std::string& team) {
    role.tags.push_back({"team", team});
    if (!a_.env.empty()) role.tags.push_back({"environment", a_.env});
    role.tags.push_back({"managed-by", r_.percent(75) ? "terraform" : "cloudformation"});
  }
  Stmt serviceTrust(const std::string& service, bool pinned, const std::string& source_arn = {}) {
    Stmt s = trustStatement("Service", {service});
    if (pinned) {
      s.conditions.push_back({"StringEquals", "aws:SourceAccount", {a_.id}});
      if (!source_arn.empty()) s.conditions.push_back({"ArnLike", "aws:SourceArn", {source_arn}});
    } else {
      ++unpinned_services_;
    }
    return s;
  }
  void slr(const char* service, const char* name, Managed policy) {
    RolePlan& role = newRole(name, std::string("/aws-service-role/") + service + "/");
    role.trust = {trustStatement("Service", {service})};
    role.managed.push_back(managedArn(policy));
  }
  void sso(const char* permission_set, std::vector<Managed> policies, Document inline_policy = {}) {
    RolePlan& role = newRole(org_.ssoRoleName(index_, permission_set), org_.ssoPath());
    Stmt s = trustStatement("Federated", {org_.samlProvider(index_)}, {"sts:AssumeRoleWithSAML", "sts:TagSession"});
    s.conditions.push_back({"StringEquals", "SAML:aud", {"https://signin.aws.amazon.com/saml"}});
    role.trust = {s};
    for (Managed m : policies) role.managed.push_back(managedArn(m));
    if (!inline_policy.empty()) role.inline_policies.push_back({"AwsSSOInlinePolicy", std::move(inline_policy)});
  }
  // Trust of a role in our account by whoever signs in with one permission set (its role name
  // has a random suffix, so people match it with ArnLike on the account root).
  Stmt ssoSessionTrust(const char* permission_set) {
    Stmt s = trustStatement("AWS", {"arn:aws:iam::" + a_.id + ":root"});
    s.conditions.push_back({"ArnLike", "aws:PrincipalArn",
                            {"arn:aws:iam::" + a_.id + ":role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_" +
                             permission_set + "_*"}});
    ++whole_account_trusts_;
    return s;
  }
  void vendorRole(const VendorInfo& v, const char* mode, Managed policy);
  void addCore(Core c);
  void addFiller();
  void addUsersAndGroups();
  void addCustomerPolicies();
  Document appPolicy(const std::string& component);
  std::string write(AccountSummary& summary);
  void writeRole(JsonText& j, const RolePlan& role);
  void writeInline(JsonText& j, const char* list, const std::vector<Inline>& policies);
  void writeAttached(JsonText& j, const std::vector<std::string>& arns);
  void writeTags(JsonText& j, const std::vector<std::pair<std::string, std::string>>& tags);
  void plant(const char* rule, const RolePlan& role, std::string note) {
    planted_.push_back(PlantedFinding{rule, roleArn(role), std::move(note)});
  }

  const OrgPlan& org_;
  std::size_t index_;
  const AccountPlan& a_;
  Rng r_;
  std::vector<RolePlan> roles_;
  std::vector<UserPlan> users_;
  std::vector<GroupPlan> groups_;
  std::vector<CustomerPolicy> policies_;
  std::set<std::string> role_names_;
  std::vector<PlantedFinding> planted_;
  std::size_t unpinned_services_ = 0;
  std::size_t whole_account_trusts_ = 0;
  std::size_t filler_callers_begin_ = 0;  // first filler role
};

void AccountBuilder::vendorRole(const VendorInfo& v, const char* mode, Managed policy) {
  RolePlan& role = newRole(v.role, r_.percent(50) ? "/" : "/vendors/");
  Stmt s = trustStatement("AWS", {std::string("arn:aws:iam::") + v.account + ":root"});
  ++whole_account_trusts_;
  const std::string m = mode;
  if (m == "strong") {
    s.conditions.push_back({"StringEquals", "sts:ExternalId", {externalId(v.uuid_external_id)}});
  } else if (m == "weak") {
    // AWS: an ExternalId every customer can know (the account's own id) binds nothing.
    s.conditions.push_back({"StringEquals", "sts:ExternalId", {a_.id}});
    plant("weak-external-id", role, std::string(v.name) + " role whose ExternalId is the account's own id");
  } else {
    plant("no-external-id", role, std::string(v.name) + " role without an ExternalId condition");
  }
  role.trust = {s};
  role.managed.push_back(managedArn(policy));
  role.tags = {{"vendor", v.tag}, {"managed-by", "terraform"}};
}

Document AccountBuilder::appPolicy(const std::string& component) {
  const std::string region = a_.region;
  Document d;
  switch (r_.below(4)) {
    case 0:
      d.push_back(allow({"s3:GetObject", "s3:PutObject"}, {"arn:aws:s3:::" + bucket(component) + "/*"}, "Objects"));
      d.push_back(allow({"s3:ListBucket"}, {"arn:aws:s3:::" + bucket(component)}, "Bucket"));
      break;
    case 1:
      d.push_back(allow({"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"},
                        {"arn:aws:dynamodb:" + region + ":" + a_.id + ":table/" + a_.app + "-" + component,
                         "arn:aws:dynamodb:" + region + ":" + a_.id + ":table/" + a_.app + "-" + component + "/index/*"},
                        "Table"));
      break;
    case 2:
      d.push_back(allow({"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"},
                        {"arn:aws:sqs:" + region + ":" + a_.id + ":" + a_.app + "-" + component}, "Queue"));
      d.push_back(allow({"sns:Publish"}, {"arn:aws:sns:" + region + ":" + a_.id + ":" + a_.app + "-events"}, "Events"));
      break;
    default:
      d.push_back(allow({"secretsmanager:GetSecretValue"},
                        {"arn:aws:secretsmanager:" + region + ":" + a_.id + ":secret:" + a_.app + "/" + component + "/*"},
                        "Secrets"));
      d.push_back(allow({"kms:Decrypt"}, {"arn:aws:kms:" + region + ":" + a_.id + ":key/" + r_.chars(kHex, 8) + "-" +
                                         r_.chars(kHex, 4) + "-" + r_.chars(kHex, 4) + "-" + r_.chars(kHex, 4) + "-" +
                                         r_.chars(kHex, 12)}));
      break;
  }
  if (r_.percent(30)) d.push_back(allow({"ssm:GetParameter", "ssm:GetParametersByPath"},
                                        {"arn:aws:ssm:" + region + ":" + a_.id + ":parameter/" + a_.app + "/*"}));
  return d;
}

void AccountBuilder::addCore(Core c) {
  const std::string& tool = org_.at(org_.tooling).id;
  switch (c) {
    case Core::OrganizationAccess: {
      // AWS: Organizations creates it in every account it creates, trusting the management account.
      RolePlan& role = newRole("OrganizationAccountAccessRole");
      role.trust = {trustStatement("AWS", {"arn:aws:iam::" + org_.at(org_.management).id + ":root"})};
      ++whole_account_trusts_;
      role.inline_policies.push_back({"AdministratorAccess", {allow({"*"}, {"*"})}});
      role.created = a_.joined;
      break;
    }
    case Core::SsoAdmin:
      sso("AdministratorAccess", {Managed::AdministratorAccess});
      break;
    case Core::SsoReadOnly:
      sso("ReadOnlyAccess", {Managed::ReadOnlyAccess});
      break;
    case Core::SsoBilling:
      sso("Billing", {Managed::Billing});
      break;
    case Core::SsoDeveloper: {
      Stmt deny = allow({"iam:CreateAccessKey", "iam:CreateUser"}, {"*"}, "NoLongTermCredentials");
      deny.deny = true;
      sso("DeveloperAccess", {Managed::PowerUserAccess}, {deny});
      break;
    }
    case Core::SsoPlatform:
      sso("PlatformEngineer", {Managed::PowerUserAccess},
          org_.has_release_manager ? Document{allow({"sts:AssumeRole"}, {org_.roleArn(org_.tooling, "cicd/ReleaseManager")},
                                                    "AssumeReleaseManager")}
                                   : Document{});
      break;
    case Core::SsoSecurityAudit:
      sso("SecurityAudit", {Managed::SecurityAudit, Managed::ViewOnlyAccess},
          org_.has_scanner ? Document{allow({"sts:AssumeRole"}, {org_.roleArn(org_.security, "security/SecurityScanner")},
                                            "AssumeScanner")}
                           : Document{});
      break;
    case Core::SsoIncident:
      sso("IncidentResponse", {Managed::SecurityAudit},
          org_.has_responder ? Document{allow({"sts:AssumeRole"}, {org_.roleArn(org_.security, "security/IncidentResponder")},
                                              "AssumeResponder")}
                             : Document{});
      break;
    case Core::SsoNetwork:
      sso("NetworkAdministrator", {Managed::NetworkAdministrator});
      break;
    case Core::SlrSupport:
      slr("support.amazonaws.com", "AWSServiceRoleForSupport", Managed::SupportService);
      break;
    case Core::SlrSso:
      slr("sso.amazonaws.com", "AWSServiceRoleForSSO", Managed::SsoService);
      break;
    case Core::SlrTrustedAdvisor:
      slr("trustedadvisor.amazonaws.com", "AWSServiceRoleForTrustedAdvisor", Managed::TrustedAdvisorService);
      break;
    case Core::SlrOrganizations:
      slr("organizations.amazonaws.com", "AWSServiceRoleForOrganizations", Managed::OrganizationsService);
      break;
    case Core::SlrEcs:
      slr("ecs.amazonaws.com", "AWSServiceRoleForECS", Managed::EcsService);
      break;
    case Core::SlrElb:
      slr("elasticloadbalancing.amazonaws.com", "AWSServiceRoleForElasticLoadBalancing", Managed::ElbService);
      break;
    case Core::SlrAutoScaling:
      slr("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling", Managed::AutoScalingService);
      break;
    case Core::SlrRds:
      slr("rds.amazonaws.com", "AWSServiceRoleForRDS", Managed::RdsService);
      break;
    case Core::SlrGuardDuty:
      slr("guardduty.amazonaws.com", "AWSServiceRoleForAmazonGuardDuty", Managed::GuardDutyService);
      break;
    case Core::SlrSecurityHub:
      slr("securityhub.amazonaws.com", "AWSServiceRoleForSecurityHub", Managed::SecurityHubService);
      break;
    case Core::SlrConfig:
      slr("config.amazonaws.com", "AWSServiceRoleForConfig", Managed::ConfigService);
      break;
    case Core::SecurityAuditRole: {
      RolePlan& role = newRole("SecurityAuditRole", "/security/");
      Stmt s = trustStatement("AWS", {org_.roleArn(org_.security, "security/SecurityScanner")});
      s.sid = "SecurityToolingReadOnly";
      role.trust = {s};
      role.managed = {managedArn(Managed::SecurityAudit), managedArn(Managed::ViewOnlyAccess)};
      iacTags(role, "security");
      break;
    }
    case Core::IncidentAdmin: {
      RolePlan& role = newRole("IncidentResponseAdmin", "/security/");
      Stmt s = trustStatement("AWS", {org_.roleArn(org_.security, "security/IncidentResponder")});
      s.sid = "BreakGlassFromSecurity";
      s.conditions.push_back({"Bool", "aws:MultiFactorAuthPresent", {"true"}});
      role.trust = {s};
      role.managed = {managedArn(Managed::AdministratorAccess)};
      iacTags(role, "security");
      role.last_used = 0;  // break glass: rarely used
      break;
    }
    case Core::Pipeline: {
      RolePlan& role = newRole("PipelineDeployRole", "/cicd/");
      Stmt s = trustStatement("AWS", {org_.roleArn(org_.tooling, "cicd/DeployOrchestrator")});
      s.sid = "FromDeployOrchestrator";
      role.trust = {s};
      Document d = {
          allow({"cloudformation:*"}, {"arn:aws:cloudformation:*:" + a_.id + ":stack/" + a_.app + "-*/*"}, "Stacks"),
          allow({"s3:GetObject", "s3:PutObject"}, {"arn:aws:s3:::" + org_.company + "-deploy-artifacts-" + tool + "/*"},
                "Artifacts"),
          allow({"iam:PassRole"}, {arnPrefix() + "role/cicd/CloudFormationExecutionRole"}, "PassExecutionRole"),
          allow({"sts:AssumeRole"}, {arnPrefix() + "role/cicd/*"}, "InAccountSteps")};
      if (org_.has_route53) {
        d.back().resources.push_back(org_.roleArn(org_.network, "network/Route53DelegationRole"));
      }
      role.inline_policies.push_back({"DeployPermissions", std::move(d)});
      iacTags(role, "platform");
      if (a_.pipeline_admin) {
        role.managed.push_back(managedArn(Managed::AdministratorAccess));
        plant("chain-to-admin", role, "pipeline role with AdministratorAccess attached, reached from the tooling account");
      }
      break;
    }
    case Core::CfnExecution: {
      RolePlan& role = newRole("CloudFormationExecutionRole", "/cicd/");
      role.trust = {serviceTrust("cloudformation.amazonaws.com", true)};
      role.managed = {managedArn(Managed::AdministratorAccess)};
      iacTags(role, "platform");
      break;
    }
    case Core::DbMigration: {
      RolePlan& role = newRole("DatabaseMigrationRole", "/cicd/");
      role.trust = {trustStatement("AWS", {arnPrefix() + "role/cicd/PipelineDeployRole"})};
      role.inline_policies.push_back(
          {"Migrations",
           {allow({"rds-db:connect"}, {"arn:aws:rds-db:" + a_.region + ":" + a_.id + ":dbuser:*/migrator"}),
            allow({"secretsmanager:GetSecretValue"},
                  {"arn:aws:secretsmanager:" + a_.region + ":" + a_.id + ":secret:" + a_.app + "/db/*"})}});
      iacTags(role, "platform");
      break;
    }
    case Core::VendorSecurity:
      vendorRole(kSecurityVendors[a_.vendor_security], "strong", Managed::SecurityAudit);
      break;
    case Core::VendorMonitoring:
      vendorRole(kMonitoringVendors[a_.vendor_monitoring], "strong", Managed::ReadOnlyAccess);
      break;
    case Core::VendorCost:
      vendorRole(kCostVendors[r_.below(std::size(kCostVendors))], "strong", Managed::Billing);
      break;
    case Core::Orchestrator: {
      RolePlan& role = newRole("DeployOrchestrator", "/cicd/");
      std::vector<std::string> callers;
      if (org_.has_ci_user) callers.push_back(arnPrefix() + "user/ci/ci-runner");
      if (org_.has_release_manager) callers.push_back(arnPrefix() + "role/cicd/ReleaseManager");
      if (org_.has_codebuild) callers.push_back(arnPrefix() + "role/cicd/CodeBuildDeployRole");
      Stmt s = trustStatement("AWS", callers.empty() ? std::vector<std::string>{arnPrefix() + "root"} : callers);
      s.sid = "DeployCallers";
      role.trust = {s};
      role.inline_policies.push_back(
          {"Orchestrate",
           {allow({"sts:AssumeRole"}, {"arn:aws:iam::*:role/cicd/PipelineDeployRole"}, "AssumePipelineRoles"),
            allow({"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
                  {"arn:aws:s3:::" + org_.company + "-deploy-artifacts-" + a_.id,
                   "arn:aws:s3:::" + org_.company + "-deploy-artifacts-" + a_.id + "/*"},
                  "Artifacts")}});
      iacTags(role, "platform");
      break;
    }
    case Core::ReleaseManager: {
      RolePlan& role = newRole("ReleaseManager", "/cicd/");
      role.trust = {ssoSessionTrust("PlatformEngineer")};
      role.inline_policies.push_back(
          {"Release", {allow({"sts:AssumeRole"}, {arnPrefix() + "role/cicd/DeployOrchestrator"}, "AssumeOrchestrator")}});
      iacTags(role, "platform");
      break;
    }
    case Core::CodeBuildDeploy: {
      RolePlan& role = newRole("CodeBuildDeployRole", "/cicd/");
      role.trust = {serviceTrust("codebuild.amazonaws.com", true,
                                 "arn:aws:codebuild:" + a_.region + ":" + a_.id + ":project/release-*")};
      role.inline_policies.push_back(
          {"Build",
           {allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
                  {"arn:aws:logs:" + a_.region + ":" + a_.id + ":log-group:/aws/codebuild/*"}),
            allow({"sts:AssumeRole"}, {arnPrefix() + "role/cicd/DeployOrchestrator"}, "AssumeOrchestrator")}});
      iacTags(role, "platform");
      break;
    }
    case Core::Scanner: {
      RolePlan& role = newRole("SecurityScanner", "/security/");
      Stmt task = serviceTrust("ecs-tasks.amazonaws.com", true, "arn:aws:ecs:" + a_.region + ":" + a_.id + ":*");
      task.sid = "ScannerTasks";
      Stmt people = ssoSessionTrust("SecurityAudit");
      people.sid = "SecurityEngineers";
      role.trust = {task, people};
      role.inline_policies.push_back(
          {"ScanOrganization",
           {allow({"sts:AssumeRole"}, {"arn:aws:iam::*:role/security/SecurityAuditRole", "arn:aws:iam::*:role/logs/LogArchiveReader"},
                  "AssumeAuditRoles")}});
      role.managed = {managedArn(Managed::SecurityAudit)};
      iacTags(role, "security");
      break;
    }
    case Core::Responder: {
      RolePlan& role = newRole("IncidentResponder", "/security/");
      role.trust = {ssoSessionTrust("IncidentResponse")};
      role.inline_policies.push_back(
          {"BreakGlass",
           {allow({"sts:AssumeRole"}, {"arn:aws:iam::*:role/security/IncidentResponseAdmin"}, "AssumeIncidentAdmin")}});
      iacTags(role, "security");
      break;
    }
    case Core::Route53: {
      RolePlan& role = newRole("Route53DelegationRole", "/network/");
      // Every pipeline role of the organisation may update its records: a list of ARNs would not
      // fit IAM's trust-policy size limit, so people write `*` scoped to the organisation.
      Stmt s = trustStatement("AWS", {"*"});
      s.sid = "OrgPipelines";
      s.conditions.push_back({"StringEquals", "aws:PrincipalOrgID", {org_.org_id}});
      s.conditions.push_back({"ArnLike", "aws:PrincipalArn", {"arn:aws:iam::*:role/cicd/PipelineDeployRole"}});
      role.trust = {s};
      role.inline_policies.push_back(
          {"Records",
           {allow({"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"},
                  {"arn:aws:route53:::hostedzone/Z" + r_.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)}),
            allow({"route53:GetChange", "route53:ListHostedZones"}, {"*"})}});
      iacTags(role, "network");
      if (a_.route53_admin) {
        role.managed.push_back(managedArn(Managed::AdministratorAccess));
        plant("chain-to-admin", role, "DNS delegation role left with AdministratorAccess, reachable from every pipeline");
      }
      break;
    }
    case Core::LogReader: {
      RolePlan& role = newRole("LogArchiveReader", "/logs/");
      role.trust = {trustStatement("AWS", {org_.roleArn(org_.security, "security/SecurityScanner")})};
      role.inline_policies.push_back(
          {"ReadLogs",
           {allow({"s3:GetObject", "s3:ListBucket"},
                  {"arn:aws:s3:::" + org_.company + "-org-cloudtrail-" + a_.id,
                   "arn:aws:s3:::" + org_.company + "-org-cloudtrail-" + a_.id + "/*"})}});
      iacTags(role, "security");
      break;
    }
    case Core::FirehoseDelivery: {
      RolePlan& role = newRole("FirehoseDelivery", "/logs/");
      role.trust = {serviceTrust("firehose.amazonaws.com", true)};
      role.inline_policies.push_back(
          {"Deliver", {allow({"s3:PutObject", "s3:GetBucketLocation"},
                             {"arn:aws:s3:::" + org_.company + "-org-logs-" + a_.id + "/*"})}});
      iacTags(role, "security");
      break;
    }
    case Core::PlantPublic: {
      RolePlan& role = newRole(a_.app + "-partner-upload", "/legacy/");
      Stmt s = trustStatement("AWS", {"*"});
      s.sid = "AllowPartnerUpload";
      role.trust = {s};
      role.inline_policies.push_back({"Upload", {allow({"s3:PutObject"}, {"arn:aws:s3:::" + bucket("partner-drop") + "/*"})}});
      plant("public-trust", role, "legacy partner upload role trusting {\"AWS\": \"*\"} without any condition");
      break;
    }
    case Core::PlantVendorNoExternalId:
      vendorRole(kDataVendors[r_.below(std::size(kDataVendors))], "none", Managed::ReadOnlyAccess);
      break;
    case Core::PlantWeakExternalId:
      vendorRole(kMonitoringVendors[(a_.vendor_monitoring + 1) % std::size(kMonitoringVendors)], "weak",
                 Managed::ReadOnlyAccess);
      break;
    case Core::PlantContractor: {
      // A contractor's account: 12 digits that are neither ours nor a known vendor's.
      std::string contractor;
      do {
        contractor = r_.chars(kDigits, 12);
      } while (org_.taken_accounts.count(contractor));
      RolePlan& role = newRole("contractor-" + std::string(r_.pick(kFirstNames)) + "-access", "/partners/");
      role.trust = {trustStatement("AWS", {"arn:aws:iam::" + contractor + ":root"})};
      role.managed = {managedArn(Managed::ReadOnlyAccess)};
      role.tags = {{"owner", "it-procurement"}};
      plant("account-root-trust", role, "contractor account " + contractor + " trusted as a whole, without ExternalId");
      break;
    }
    case Core::PlantDangling: {
      RolePlan& role = newRole(a_.app + "-reporting-reader", "/app/");
      // AWS: a deleted principal in a trust policy turns into its unique id (AROA...).
      Stmt s = trustStatement("AWS", {"AROA" + r_.chars(kBase32, 17)});
      s.sid = "FormerReportingService";
      role.trust = {s};
      role.inline_policies.push_back({"Read", appPolicy("reports")});
      plant("dangling-principal", role, "trust names the unique id of a deleted role");
      break;
    }
  }
}

// The roles that fill an account up to M: applications' service roles and in-account app roles.
void AccountBuilder::addFiller() {
  const std::string component = std::string(r_.pick(kComponents));
  const std::string base = a_.app + "-" + component;
  const bool boundary = (a_.duties & (kWorkload | kSandbox)) != 0 && r_.percent(60);
  const std::string boundary_arn = policyArn("/boundaries/", "WorkloadBoundary");
  const std::uint64_t pick = r_.below(100);
  RolePlan* role = nullptr;
  if (pick < 24) {  // Lambda, written by infrastructure code: pinned to the account
    role = &newRole(base + "-lambda");
    role->trust = {serviceTrust("lambda.amazonaws.com", r_.percent(85),
                                "arn:aws:lambda:" + a_.region + ":" + a_.id + ":function:" + base + "*")};
    role->managed = {managedArn(Managed::LambdaBasicExecution)};
    role->can_call = true;
    iacTags(*role, a_.app);
  } else if (pick < 28) {  // Lambda created in the console: `<function>-role-<random>` and no condition
    role = &newRole(component + "-function-role-" + r_.chars("abcdefghijklmnopqrstuvwxyz0123456789", 8), "/service-role/");
    role->trust = {serviceTrust("lambda.amazonaws.com", false)};
    role->managed = {managedArn(Managed::LambdaBasicExecution)};
  } else if (pick < 46) {  // ECS task role, as AWS documents the confused-deputy guard
    role = &newRole(base + "-task-role");
    role->trust = {serviceTrust("ecs-tasks.amazonaws.com", true, "arn:aws:ecs:" + a_.region + ":" + a_.id + ":*")};
    role->can_call = true;
    iacTags(*role, a_.app);
  } else if (pick < 50) {  // ECS task execution role
    role = &newRole(base + "-execution-role");
    role->trust = {serviceTrust("ecs-tasks.amazonaws.com", r_.percent(50))};
    role->managed = {managedArn(Managed::EcsTaskExecution)};
  } else if (pick < 62) {  // EC2 instance role with its instance profile (EC2 sends no source keys)
    role = &newRole(base + "-instance-role");
    role->trust = {trustStatement("Service", {"ec2.amazonaws.com"})};
    role->managed = {managedArn(Managed::SsmManagedInstanceCore), managedArn(Managed::CloudWatchAgent)};
    role->instance_profile = true;
    role->instance_profile_id = "AIPA" + r_.chars(kBase32, 17);
    role->can_call = true;
    iacTags(*role, a_.app);
  } else if (pick < 67) {  // Step Functions
    role = &newRole(base + "-sfn-role");
    role->trust = {serviceTrust("states.amazonaws.com", true,
                                "arn:aws:states:" + a_.region + ":" + a_.id + ":stateMachine:" + base + "*")};
    role->inline_policies.push_back(
        {"InvokeFunctions", {allow({"lambda:InvokeFunction"}, {"arn:aws:lambda:" + a_.region + ":" + a_.id + ":function:" + a_.app + "-*"})}});
    iacTags(*role, a_.app);
  } else if (pick < 71) {  // EventBridge targets
    role = &newRole(base + "-events-role");
    role->trust = {serviceTrust("events.amazonaws.com", true,
                                "arn:aws:events:" + a_.region + ":" + a_.id + ":rule/" + base + "*")};
    role->inline_policies.push_back(
        {"Targets", {allow({"states:StartExecution", "sqs:SendMessage"},
                           {"arn:aws:states:" + a_.region + ":" + a_.id + ":stateMachine:" + a_.app + "-*",
                            "arn:aws:sqs:" + a_.region + ":" + a_.id + ":" + a_.app + "-*"})}});
    iacTags(*role, a_.app);
  } else if (pick < 75) {  // Glue, console-named
    std::string name = "AWSGlueServiceRole-" + a_.app + component;
    name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
    name.insert(18, "-");
    role = &newRole(name, "/service-role/");
    role->trust = {serviceTrust("glue.amazonaws.com", r_.percent(40))};
  } else if (pick < 78) {  // CodeBuild
    role = &newRole("codebuild-" + base + "-service-role", "/service-role/");
    role->trust = {serviceTrust("codebuild.amazonaws.com", true,
                                "arn:aws:codebuild:" + a_.region + ":" + a_.id + ":project/" + base)};
    role->inline_policies.push_back(
        {"CodeBuildBasePolicy", {allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
                                       {"arn:aws:logs:" + a_.region + ":" + a_.id + ":log-group:/aws/codebuild/" + base + "*"})}});
  } else {  // an application role assumed by other roles of the account
    std::vector<std::size_t> callers;
    for (std::size_t i = filler_callers_begin_; i < roles_.size(); ++i) {
      if (roles_[i].can_call) callers.push_back(i);
    }
    if (callers.empty()) {
      role = &newRole(base + "-task-role");
      role->trust = {serviceTrust("ecs-tasks.amazonaws.com", true, "arn:aws:ecs:" + a_.region + ":" + a_.id + ":*")};
      role->can_call = true;
      iacTags(*role, a_.app);
    } else {
      // Callers are drawn from the most recent roles, so chains inside an account stay short.
      const std::size_t window = std::min<std::size_t>(callers.size(), 24);
      std::vector<std::size_t> chosen = {callers[callers.size() - 1 - r_.below(window)]};
      if (r_.percent(30)) {
        const std::size_t second = callers[callers.size() - 1 - r_.below(window)];
        if (second != chosen[0]) chosen.push_back(second);
      }
      std::vector<std::string> principals;
      for (std::size_t c : chosen) principals.push_back(roleArn(roles_[c]));
      const std::string name = base + "-" + r_.pick(kPurposes);
      role = &newRole(name, "/app/");
      const std::string target = roleArn(*role);
      Stmt s = trustStatement("AWS", principals);
      if (r_.percent(40)) s.actions = {"sts:AssumeRole", "sts:TagSession"};
      role->trust = {s};
      role->can_call = r_.percent(40);
      iacTags(*role, a_.app);
      // The callers' own policies allow the hop (added after the fact: the plan is in memory).
      for (std::size_t c : chosen) {
        RolePlan& caller = roles_[c];
        if (caller.inline_policies.empty() || caller.inline_policies.back().name != "AssumeAppRoles") {
          caller.inline_policies.push_back({"AssumeAppRoles", {allow({"sts:AssumeRole"}, {}, "AppRoles")}});
        }
        caller.inline_policies.back().doc.front().resources.push_back(target);
      }
      role = &roles_.back();
    }
  }
  if (role->inline_policies.empty() || r_.percent(50)) {
    role->inline_policies.insert(role->inline_policies.begin(), Inline{component + "-access", appPolicy(component)});
  }
  if (boundary && role->path != "/service-role/") role->boundary = boundary_arn;
  if (r_.percent(35) && (a_.duties & (kWorkload | kSandbox))) {
    role->managed.push_back(policyArn("/", a_.app + "-common"));
  }
  if (r_.percent(15)) role->managed.push_back(managedArn(Managed::XRayWriteOnly));
}

void AccountBuilder::addUsersAndGroups() {
  if (!a_.has_users) return;
  const auto user = [&](const std::string& name, const std::string& path) -> UserPlan& {
    users_.emplace_back();
    UserPlan& u = users_.back();
    u.name = name;
    u.path = path;
    u.id = "AIDA" + r_.chars(kBase32, 17);
    u.created = timeAfter(r_, a_.joined);
    return u;
  };
  const auto group = [&](const std::string& name) -> GroupPlan& {
    groups_.emplace_back();
    GroupPlan& g = groups_.back();
    g.name = name;
    g.id = "AGPA" + r_.chars(kBase32, 17);
    g.created = timeAfter(r_, a_.joined);
    return g;
  };
  if (a_.duties & kManagement) {
    GroupPlan& admins = group("Admins");
    admins.managed = {managedArn(Managed::AdministratorAccess)};
    GroupPlan& billing = group("BillingTeam");
    billing.managed = {managedArn(Managed::Billing)};
    UserPlan& breakglass = user("breakglass-admin", "/");
    breakglass.groups = {"Admins"};
    breakglass.tags = {{"purpose", "break-glass"}, {"owner", "cloud-platform"}};
    UserPlan& finance = user(std::string(r_.pick(kFirstNames)) + ".finance", "/people/");
    finance.groups = {"BillingTeam"};
    UserPlan& cur = user("cur-exporter", "/service/");
    cur.inline_policies.push_back(
        {"ExportCostReports", {allow({"s3:PutObject"}, {"arn:aws:s3:::" + org_.company + "-cur-" + a_.id + "/*"})}});
  }
  if ((a_.duties & kTooling) && org_.has_ci_user) {
    GroupPlan& bots = group("CiBots");
    bots.inline_policies.push_back(
        {"ReadArtifacts", {allow({"s3:GetObject", "s3:ListBucket"},
                                 {"arn:aws:s3:::" + org_.company + "-deploy-artifacts-" + a_.id,
                                  "arn:aws:s3:::" + org_.company + "-deploy-artifacts-" + a_.id + "/*"})}});
    UserPlan& ci = user("ci-runner", "/ci/");
    ci.groups = {"CiBots"};
    ci.inline_policies.push_back(
        {"AssumeDeployOrchestrator", {allow({"sts:AssumeRole"}, {arnPrefix() + "role/cicd/DeployOrchestrator"}, "Deploy")}});
    ci.tags = {{"system", "github-actions"}, {"managed-by", "terraform"}};
  }
  if (a_.duties & (kWorkload | kSandbox)) {
    const std::string gname = a_.app + "-legacy-services";
    GroupPlan& legacy = group(gname);
    legacy.managed = {policyArn("/", a_.app + "-common")};
    const std::size_t count = 1 + r_.below(3);
    for (std::size_t k = 0; k < count; ++k) {
      UserPlan& u = user("svc-" + a_.app + "-" + r_.pick(kComponents) + (k ? "-" + std::to_string(k + 1) : ""), "/service/");
      u.groups = {gname};
      u.inline_policies.push_back({"Access", appPolicy(r_.pick(kComponents))});
      u.boundary = policyArn("/boundaries/", "WorkloadBoundary");
      u.tags = {{"owner", a_.app}, {"rotation", "manual"}};
    }
  }
}

void AccountBuilder::addCustomerPolicies() {
  const auto policy = [&](const std::string& name, const std::string& path) -> CustomerPolicy& {
    policies_.emplace_back();
    CustomerPolicy& p = policies_.back();
    p.name = name;
    p.path = path;
    p.id = "ANPA" + r_.chars(kBase32, 17);
    p.created = timeAfter(r_, a_.joined, kSnapshot - 200 * 86400);
    return p;
  };
  // Versions: each edit adds one (AWS keeps at most five); usually the newest is the default,
  // sometimes an older one after a rollback.
  const auto versions = [&](CustomerPolicy& p, const std::function<Document(std::size_t)>& make) {
    const std::size_t count = 1 + r_.below(5);
    std::int64_t t = p.created;
    for (std::size_t v = 0; v < count; ++v) {
      p.versions.emplace_back(t, make(v));
      t = timeAfter(r_, t + 86400);
    }
    p.default_version = count > 1 && r_.percent(15) ? count - 2 : count - 1;
  };
  if (a_.duties & (kWorkload | kSandbox)) {
    CustomerPolicy& b = policy("WorkloadBoundary", "/boundaries/");
    versions(b, [&](std::size_t v) {
      Stmt grant = allow({"cloudwatch:PutMetricData", "dynamodb:*", "events:PutEvents", "kms:Decrypt", "kms:GenerateDataKey",
                          "lambda:InvokeFunction", "logs:*", "rds-db:connect", "s3:*", "secretsmanager:GetSecretValue",
                          "sns:Publish", "sqs:*", "ssm:GetParameter*", "states:StartExecution", "sts:AssumeRole",
                          "sts:TagSession", "xray:*"},
                         {"*"}, "WorkloadServices");
      if (v >= 2) grant.actions.push_back("ecr:*");
      Stmt deny = allow({"iam:CreateUser", "iam:CreateAccessKey", "iam:PutRolePolicy", "iam:AttachRolePolicy",
                         "organizations:*"},
                        {"*"}, "NoPrivilegeEscalation");
      deny.deny = true;
      return Document{grant, deny};
    });
    CustomerPolicy& common = policy(a_.app + "-common", "/");
    versions(common, [&](std::size_t v) {
      Document d = {allow({"ssm:GetParameter", "ssm:GetParametersByPath"},
                          {"arn:aws:ssm:" + a_.region + ":" + a_.id + ":parameter/" + a_.app + "/*"}, "Config"),
                    allow({"kms:Decrypt"}, {"arn:aws:kms:" + a_.region + ":" + a_.id + ":alias/" + a_.app}, "Decrypt")};
      if (v >= 1) d.push_back(allow({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, {"*"}, "Tracing"));
      return d;
    });
  }
  // Unattached leftovers that every long-lived account collects.
  const std::size_t extra = std::min<std::size_t>(25, 1 + org_.options.roles_per_account / 100);
  for (std::size_t k = 0; k < extra; ++k) {
    const std::string component = r_.pick(kComponents);
    CustomerPolicy& p = policy(a_.app + "-" + component + "-policy-" + std::to_string(k + 1), r_.percent(30) ? "/legacy/" : "/");
    // Later versions add to the first, as edits usually do.
    const Document base = appPolicy(component);
    versions(p, [&](std::size_t v) {
      Document d = base;
      if (v >= 1) {
        d.push_back(allow({"logs:CreateLogStream", "logs:PutLogEvents"},
                          {"arn:aws:logs:" + a_.region + ":" + a_.id + ":log-group:/app/" + a_.app + "/*"}, "Logs"));
      }
      if (v >= 3) d.push_back(allow({"cloudwatch:PutMetricData"}, {"*"}, "Metrics"));
      return d;
    });
  }
}

void AccountBuilder::writeInline(JsonText& j, const char* list, const std::vector<Inline>& policies) {
  j.key(list);
  j.beginArray();
  for (const Inline& p : policies) {
    j.beginObject();
    j.field("PolicyName", p.name);
    j.key("PolicyDocument");
    writeDocument(j, p.doc);
    j.endObject();
  }
  j.endArray();
}

void AccountBuilder::writeAttached(JsonText& j, const std::vector<std::string>& arns) {
  j.key("AttachedManagedPolicies");
  j.beginArray();
  for (const std::string& arn : arns) {
    j.beginObject();
    j.field("PolicyName", arn.substr(arn.rfind('/') + 1));
    j.field("PolicyArn", arn);
    j.endObject();
  }
  j.endArray();
}

void AccountBuilder::writeTags(JsonText& j, const std::vector<std::pair<std::string, std::string>>& tags) {
  j.key("Tags");
  j.beginArray();
  for (const auto& [k, v] : tags) {
    j.beginObject();
    j.field("Key", k);
    j.field("Value", v);
    j.endObject();
  }
  j.endArray();
}

void AccountBuilder::writeRole(JsonText& j, const RolePlan& role) {
  const std::string arn = roleArn(role);
  const std::string created = isoTime(role.created);
  j.beginObject();
  j.field("Path", role.path);
  j.field("RoleName", role.name);
  j.field("RoleId", role.id);
  j.field("Arn", arn);
  j.field("CreateDate", created);
  j.key("AssumeRolePolicyDocument");
  writeDocument(j, role.trust);
  j.key("InstanceProfileList");
  j.beginArray();
  if (role.instance_profile) {
    j.beginObject();
    j.field("Path", role.path);
    j.field("InstanceProfileName", role.name);
    j.field("InstanceProfileId", role.instance_profile_id);
    j.field("Arn", arnPrefix() + "instance-profile" + role.path + role.name);
    j.field("CreateDate", created);
    j.key("Roles");
    j.beginArray();
    j.beginObject();
    j.field("Path", role.path);
    j.field("RoleName", role.name);
    j.field("RoleId", role.id);
    j.field("Arn", arn);
    j.field("CreateDate", created);
    j.key("AssumeRolePolicyDocument");
    writeDocument(j, role.trust);
    j.endObject();
    j.endArray();
    writeTags(j, {});
    j.endObject();
  }
  j.endArray();
  writeInline(j, "RolePolicyList", role.inline_policies);
  writeAttached(j, role.managed);
  if (!role.boundary.empty()) {
    j.key("PermissionsBoundary");
    j.beginObject();
    j.field("PermissionsBoundaryType", "PermissionsBoundaryPolicy");
    j.field("PermissionsBoundaryArn", role.boundary);
    j.endObject();
  }
  writeTags(j, role.tags);
  j.key("RoleLastUsed");
  j.beginObject();
  if (role.last_used != 0) {
    j.field("LastUsedDate", isoTime(role.last_used));
    j.field("Region", role.last_region);
  }
  j.endObject();
  j.endObject();
}

std::string AccountBuilder::build(AccountSummary& summary) {
  const std::size_t m = org_.options.roles_per_account;
  for (Core c : coreRoles(org_, index_)) addCore(c);
  filler_callers_begin_ = roles_.size();
  while (roles_.size() < m) addFiller();
  addUsersAndGroups();
  addCustomerPolicies();
  return write(summary);
}

// `v1`, `v2`, ... for the version at `index` (built by appending: GCC 12's -Wrestrict misfires
// on `"v" + std::to_string(...)` at -O3).
std::string versionId(std::size_t index) {
  std::string id = "v";
  id += std::to_string(index + 1);
  return id;
}

std::string AccountBuilder::write(AccountSummary& summary) {
  // Attachment counts of every managed policy, and the AWS-managed ones in use (GAAD lists
  // those too).
  std::map<std::string, std::pair<std::size_t, std::size_t>> usage;  // ARN → (attachments, as boundary)
  for (const RolePlan& r : roles_) {
    for (const std::string& m : r.managed) ++usage[m].first;
    if (!r.boundary.empty()) ++usage[r.boundary].second;
  }
  for (const UserPlan& u : users_) {
    for (const std::string& m : u.managed) ++usage[m].first;
    if (!u.boundary.empty()) ++usage[u.boundary].second;
  }
  for (const GroupPlan& g : groups_) {
    for (const std::string& m : g.managed) ++usage[m].first;
  }

  // Roles by name (sorting indexes: a RolePlan is too big to move around).
  std::vector<std::size_t> order(roles_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) { return roles_[a].name < roles_[b].name; });
  std::string out;
  out.reserve(roles_.size() * 2600 + 65536);
  JsonText j(out, 4);
  j.beginObject();
  j.key("UserDetailList");
  j.beginArray();
  for (const UserPlan& u : users_) {
    j.beginObject();
    j.field("Path", u.path);
    j.field("UserName", u.name);
    j.field("UserId", u.id);
    j.field("Arn", arnPrefix() + "user" + u.path + u.name);
    j.field("CreateDate", isoTime(u.created));
    writeInline(j, "UserPolicyList", u.inline_policies);
    j.fieldStrings("GroupList", u.groups);
    writeAttached(j, u.managed);
    if (!u.boundary.empty()) {
      j.key("PermissionsBoundary");
      j.beginObject();
      j.field("PermissionsBoundaryType", "PermissionsBoundaryPolicy");
      j.field("PermissionsBoundaryArn", u.boundary);
      j.endObject();
    }
    writeTags(j, u.tags);
    j.endObject();
  }
  j.endArray();
  j.key("GroupDetailList");
  j.beginArray();
  for (const GroupPlan& g : groups_) {
    j.beginObject();
    j.field("Path", g.path);
    j.field("GroupName", g.name);
    j.field("GroupId", g.id);
    j.field("Arn", arnPrefix() + "group" + g.path + g.name);
    j.field("CreateDate", isoTime(g.created));
    writeInline(j, "GroupPolicyList", g.inline_policies);
    writeAttached(j, g.managed);
    j.endObject();
  }
  j.endArray();
  j.key("RoleDetailList");
  j.beginArray();
  for (std::size_t i : order) {
    writeRole(j, roles_[i]);
    if (roles_[i].instance_profile) ++summary.instance_profiles;
  }
  j.endArray();

  // Policies: customer-managed (every version) and AWS-managed in use (default version), by name.
  struct Entry {
    std::string name;
    const CustomerPolicy* customer = nullptr;
    const ManagedInfo* aws = nullptr;
  };
  std::vector<Entry> entries;
  for (const CustomerPolicy& p : policies_) entries.push_back({p.name, &p, nullptr});
  for (std::size_t k = 0; k < kManagedCount; ++k) {
    if (usage.count(managedArn(kManaged[k].id))) entries.push_back({kManaged[k].name, nullptr, &kManaged[k]});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  j.key("Policies");
  j.beginArray();
  for (const Entry& e : entries) {
    j.beginObject();
    if (e.customer != nullptr) {
      const CustomerPolicy& p = *e.customer;
      const std::string arn = policyArn(p.path, p.name);
      const auto& use = usage[arn];
      j.field("PolicyName", p.name);
      j.field("PolicyId", p.id);
      j.field("Arn", arn);
      j.field("Path", p.path);
      j.field("DefaultVersionId", versionId(p.default_version));
      j.fieldNumber("AttachmentCount", use.first);
      j.fieldNumber("PermissionsBoundaryUsageCount", use.second);
      j.fieldBool("IsAttachable", true);
      j.field("CreateDate", isoTime(p.created));
      j.field("UpdateDate", isoTime(p.versions.back().first));
      j.key("PolicyVersionList");
      j.beginArray();
      for (std::size_t v = p.versions.size(); v-- > 0;) {  // newest first
        j.beginObject();
        j.key("Document");
        writeDocument(j, p.versions[v].second);
        j.field("VersionId", versionId(v));
        j.fieldBool("IsDefaultVersion", v == p.default_version);
        j.field("CreateDate", isoTime(p.versions[v].first));
        j.endObject();
      }
      j.endArray();
      summary.versions += p.versions.size();
    } else {
      const ManagedInfo& i = *e.aws;
      const std::string arn = managedArn(i.id);
      // Stable per policy, the same in every account (AWS-managed policies are global).
      std::uint64_t h = 1469598103934665603ULL;
      for (char c : arn) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      Rng ids(h);
      j.field("PolicyName", i.name);
      j.field("PolicyId", "ANPA" + ids.chars(kBase32, 17));
      j.field("Arn", arn);
      j.field("Path", i.path);
      j.field("DefaultVersionId", i.version);
      j.fieldNumber("AttachmentCount", usage[arn].first);
      j.fieldNumber("PermissionsBoundaryUsageCount", 0);
      j.fieldBool("IsAttachable", true);
      j.field("CreateDate", isoTime(i.created + 3600 * 18));
      const std::int64_t updated = i.created + static_cast<std::int64_t>(ids.below(2800)) * 86400;
      j.field("UpdateDate", isoTime(std::min(updated, kSnapshot - 30 * 86400)));
      j.key("PolicyVersionList");
      j.beginArray();
      j.beginObject();
      j.key("Document");
      writeDocument(j, managedDocument(i.id));
      j.field("VersionId", i.version);
      j.fieldBool("IsDefaultVersion", true);
      j.field("CreateDate", isoTime(std::min(updated, kSnapshot - 30 * 86400)));
      j.endObject();
      j.endArray();
    }
    j.endObject();
  }
  j.endArray();
  j.endObject();
  out += '\n';

  summary.roles += roles_.size();
  summary.users += users_.size();
  summary.groups += groups_.size();
  summary.policies += policies_.size();
  summary.unpinned_services += unpinned_services_;
  summary.whole_account_trusts += whole_account_trusts_;
  for (PlantedFinding& p : planted_) summary.planted.push_back(std::move(p));
  return out;
}

// ---- The organisation file, manifest and README ----------------------------------------------

std::string writeOrganization(const OrgPlan& org) {
  const std::string mgmt = org.at(org.management).id;
  const std::string base = "arn:aws:organizations::" + mgmt + ":";
  std::map<std::string, std::pair<std::string, std::string>> targets;  // id → (ARN, name)
  std::map<std::string, const char*> target_types;
  targets[org.root_id] = {base + "root/" + org.org_id + "/" + org.root_id, "Root"};
  target_types[org.root_id] = "ROOT";
  for (const OuPlan& ou : org.ous) {
    targets[ou.id] = {base + "ou/" + org.org_id + "/" + ou.id, ou.name};
    target_types[ou.id] = "ORGANIZATIONAL_UNIT";
  }
  for (const AccountPlan& a : org.accounts) {
    targets[a.id] = {base + "account/" + org.org_id + "/" + a.id, a.name};
    target_types[a.id] = "ACCOUNT";
  }

  std::string out;
  JsonText j(out, 2);  // jq's layout: scripts/collect-org.sh writes the file with jq
  j.beginObject();
  j.field("format", "trustsim-organization/1");
  j.key("organization");
  j.beginObject();
  j.field("Id", org.org_id);
  j.field("Arn", base + "organization/" + org.org_id);
  j.field("FeatureSet", "ALL");
  j.field("MasterAccountArn", targets[mgmt].first);
  j.field("MasterAccountId", mgmt);
  j.field("MasterAccountEmail", org.at(org.management).email);
  j.key("AvailablePolicyTypes");
  j.beginArray();
  j.beginObject();
  j.field("Type", "SERVICE_CONTROL_POLICY");
  j.field("Status", "ENABLED");
  j.endObject();
  j.endArray();
  j.endObject();
  j.key("roots");
  j.beginArray();
  j.beginObject();
  j.field("Id", org.root_id);
  j.field("Arn", targets[org.root_id].first);
  j.field("Name", "Root");
  j.key("PolicyTypes");
  j.beginArray();
  j.beginObject();
  j.field("Type", "SERVICE_CONTROL_POLICY");
  j.field("Status", "ENABLED");
  j.endObject();
  j.endArray();
  j.endObject();
  j.endArray();

  std::vector<const OuPlan*> ous;
  for (const OuPlan& ou : org.ous) ous.push_back(&ou);
  std::sort(ous.begin(), ous.end(), [](const OuPlan* a, const OuPlan* b) { return a->id < b->id; });
  j.key("organizationalUnits");
  j.beginArray();
  for (const OuPlan* ou : ous) {
    j.beginObject();
    j.field("Id", ou->id);
    j.field("Arn", targets[ou->id].first);
    j.field("Name", ou->name);
    j.field("ParentId", ou->parent);
    j.endObject();
  }
  j.endArray();

  std::vector<const AccountPlan*> accounts;
  for (const AccountPlan& a : org.accounts) accounts.push_back(&a);
  std::sort(accounts.begin(), accounts.end(), [](const AccountPlan* a, const AccountPlan* b) { return a->id < b->id; });
  j.key("accounts");
  j.beginArray();
  for (const AccountPlan* a : accounts) {
    j.beginObject();
    j.field("Id", a->id);
    j.field("Arn", targets[a->id].first);
    j.field("Email", a->email);
    j.field("Name", a->name);
    j.field("Status", "ACTIVE");
    j.field("State", "ACTIVE");
    j.field("JoinedMethod", a->invited ? "INVITED" : "CREATED");
    j.field("JoinedTimestamp", isoTime(a->joined, true));
    j.field("ParentId", a->parent);
    j.endObject();
  }
  j.endArray();

  std::vector<const ScpPlan*> scps;
  for (const ScpPlan& p : org.scps) scps.push_back(&p);
  std::sort(scps.begin(), scps.end(), [](const ScpPlan* a, const ScpPlan* b) { return a->id < b->id; });
  j.key("policies");
  j.beginArray();
  for (const ScpPlan* p : scps) {
    j.beginObject();
    j.key("PolicySummary");
    j.beginObject();
    j.field("Id", p->id);
    j.field("Arn", p->aws_managed ? "arn:aws:organizations::aws:policy/service_control_policy/" + p->id
                                  : base + "policy/" + org.org_id + "/service_control_policy/" + p->id);
    j.field("Name", p->name);
    j.field("Description", p->description);
    j.field("Type", "SERVICE_CONTROL_POLICY");
    j.fieldBool("AwsManaged", p->aws_managed);
    j.endObject();
    j.field("Content", p->content);
    std::vector<std::string> ids = p->targets;
    std::sort(ids.begin(), ids.end());
    j.key("Targets");
    j.beginArray();
    for (const std::string& id : ids) {
      j.beginObject();
      j.field("TargetId", id);
      j.field("Arn", targets[id].first);
      j.field("Name", targets[id].second);
      j.field("Type", target_types[id]);
      j.endObject();
    }
    j.endArray();
    j.endObject();
  }
  j.endArray();
  j.endObject();
  out += '\n';
  return out;
}

// YAML, so that `DIR/*.json` names exactly the files to load. Every string double-quoted.
std::string yamlString(std::string_view s) {
  std::string out = "\"";
  JsonText::escapeInto(out, s);
  return out + "\"";
}

std::string writeManifest(const GenerateSummary& s, const std::vector<std::string>& shapes) {
  std::string out;
  out += "# Written by `trustsim generate`: what this folder holds and which findings were planted.\n";
  out += "format: \"trustsim-generate/1\"\n";
  out += "seed: " + std::to_string(s.options.seed) + "\n";
  out += "accounts: " + std::to_string(s.accounts) + "\n";
  out += "rolesPerAccount: " + std::to_string(s.options.roles_per_account) + "\n";
  out += "organization: " + yamlString(s.organization_id) + "\n";
  out += "managementAccount: " + yamlString(s.management_account) + "\n";
  out += "counts:\n";
  const auto count = [&out](const char* k, std::uint64_t v) { out += std::string("  ") + k + ": " + std::to_string(v) + "\n"; };
  count("organizationalUnits", s.organizational_units);
  count("serviceControlPolicies", s.service_control_policies);
  count("roles", s.roles);
  count("users", s.users);
  count("groups", s.groups);
  count("customerManagedPolicies", s.customer_policies);
  count("policyVersions", s.policy_versions);
  count("instanceProfiles", s.instance_profiles);
  count("dumpBytes", s.dump_bytes);
  out += "shapes:\n";
  for (const std::string& shape : shapes) out += "  - " + yamlString(shape) + "\n";
  out += "planted:\n";
  for (const PlantedFinding& p : s.planted) {
    out += "  - rule: " + yamlString(p.rule) + "\n    resource: " + yamlString(p.resource) + "\n    note: " + yamlString(p.note) + "\n";
  }
  out += "background:\n";
  for (const auto& [rule, n] : s.background) out += "  " + rule + ": " + std::to_string(n) + "\n";
  out += "chains:\n";
  for (const auto& chain : s.chains) {
    out += "  -\n";
    for (const std::string& hop : chain) out += "    - " + yamlString(hop) + "\n";
  }
  out += "files:\n";
  for (const GeneratedFile& f : s.files) out += "  - name: " + yamlString(f.name) + "\n    bytes: " + std::to_string(f.bytes) + "\n";
  return out;
}

std::string writeReadme(const GenerateSummary& s) {
  std::string out;
  out += "A synthetic AWS organisation written by `trustsim generate` (seed " + std::to_string(s.options.seed) + ", " +
         std::to_string(s.accounts) + " accounts x " + std::to_string(s.options.roles_per_account) + " roles).\n";
  out += "Nothing here is real: account ids are random and vendors are only named from the public known-accounts list.\n\n";
  out += "Files\n";
  out += "  account_<id>.json  one `aws iam get-account-authorization-details` dump per account (AWS CLI layout)\n";
  out += "  org_" + s.organization_id + ".json  the organisation (trustsim-organization/1, as scripts/collect-org.sh writes it)\n";
  out += "  manifest.yaml      counts, planted findings and example chains, for programs\n\n";
  out += "Use\n";
  out += "  trustsim audit DIR/*.json\n";
  out += "  trustsim reach DIR/*.json --from <principal> --max-depth 6\n";
  out += "  trustsim profile DIR\n";
  out += "  trustsim export --format graphml DIR -o trust.graphml\n\n";
  out += "Contents\n";
  out += "  " + std::to_string(s.roles) + " roles, " + std::to_string(s.users) + " users, " + std::to_string(s.groups) +
         " groups, " + std::to_string(s.customer_policies) + " customer-managed policies (" +
         std::to_string(s.policy_versions) + " versions), " + std::to_string(s.organizational_units) + " OUs, " +
         std::to_string(s.service_control_policies) + " SCPs, " + std::to_string(s.dump_bytes) + " bytes of JSON\n\n";
  out += "Planted findings (audit reports each with this rule and role)\n";
  std::size_t shown = 0;
  for (const PlantedFinding& p : s.planted) {
    if (shown++ == 40) {
      out += "  ... " + std::to_string(s.planted.size() - 40) + " more in manifest.yaml\n";
      break;
    }
    out += "  " + p.rule + "  " + p.resource + "\n      " + p.note + "\n";
  }
  out += "\nAlso expected (the shape of most organisations)\n";
  for (const auto& [rule, n] : s.background) out += "  " + rule + ": " + std::to_string(n) + " role(s)\n";
  out += "  chain-to-admin: incident-response and management-account paths into each account's administrator roles\n";
  out += "\nExample chains\n";
  for (const auto& chain : s.chains) {
    out += "  " + std::to_string(chain.size() - 1) + " hops: ";
    for (std::size_t i = 0; i < chain.size(); ++i) out += (i ? "\n      -> " : "") + chain[i];
    out += "\n";
  }
  return out;
}

// ---- Accounts in parallel ----------------------------------------------------------------------

constexpr std::size_t kMaxThreads = 256;

struct AccountBuilt {
  std::string text;
  AccountSummary summary;
  bool ready = false;
};

// Builds every account and hands each to `take` in account order, from this thread (so the
// FileWriter needs no locking). Accounts are independent (each has its own random stream), so
// workers build them in any order; a window of 2 x threads slots bounds memory. Stops at the
// first `take` that returns false.
bool buildAccounts(const OrgPlan& org, std::size_t threads,
                   const std::function<bool(std::size_t, AccountBuilt&)>& take) {
  const std::size_t n = org.accounts.size();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min({threads, n, kMaxThreads});
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) {
      AccountBuilt built;
      built.text = AccountBuilder(org, i).build(built.summary);
      if (!take(i, built)) return false;
    }
    return true;
  }
  const std::size_t window = 2 * threads;
  std::vector<AccountBuilt> slots(window);
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0, taken = 0;  // next account to build; accounts handed over so far
  bool stop = false;
  const auto work = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mutex);
        // INVARIANT: account i uses slot i % window, free once account i - window is taken.
        changed.wait(lock, [&] { return stop || next >= n || next < taken + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      AccountBuilt built;
      built.text = AccountBuilder(org, i).build(built.summary);
      built.ready = true;
      {
        std::lock_guard lock(mutex);
        slots[i % window] = std::move(built);
      }
      changed.notify_all();
    }
  };
  bool ok = true;
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 0; t < threads; ++t) workers.emplace_back(work);
    for (std::size_t i = 0; i < n && ok; ++i) {
      AccountBuilt built;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return slots[i % window].ready; });
        built = std::move(slots[i % window]);
        slots[i % window] = AccountBuilt{};
      }
      ok = take(i, built);
      {
        std::lock_guard lock(mutex);
        taken = i + 1;
        stop = !ok;
      }
      changed.notify_all();
    }
  }  // the workers join here
  return ok;
}

}  // namespace

Diagnostics checkGenerateOptions(const GenerateOptions& options) {
  Diagnostics errors;
  if (options.accounts == 0 || options.accounts > kMaxGenerateAccounts) {
    errors.push_back({"generate.invalid_accounts",
                      "the number of accounts must be between 1 and " + std::to_string(kMaxGenerateAccounts) + ", not `" +
                          std::to_string(options.accounts) + "`",
                      "", "", Severity::Error});
  }
  if (options.roles_per_account == 0 || options.roles_per_account > kMaxGenerateRoles) {
    errors.push_back({"generate.invalid_roles",
                      "the number of roles per account must be between 1 and " + std::to_string(kMaxGenerateRoles) +
                          " (IAM's limit), not `" + std::to_string(options.roles_per_account) + "`",
                      "", "", Severity::Error});
  }
  return errors;
}

Result<GenerateSummary> generateOrganization(const GenerateOptions& options, const FileWriter& write) {
  Diagnostics errors = checkGenerateOptions(options);
  if (!errors.empty()) return errors;

  const OrgPlan org = planOrganization(options);
  GenerateSummary summary;
  summary.options = options;
  summary.organization_id = org.org_id;
  summary.management_account = org.at(org.management).id;
  summary.accounts = org.accounts.size();
  summary.organizational_units = org.ous.size();
  summary.service_control_policies = org.scps.size();
  const auto emit = [&](const std::string& name, const std::string& text, bool dump) -> bool {
    std::string error;
    if (!write(name, text, error)) {
      errors.push_back({"generate.write_failed", "cannot write `" + name + "`: " + error, "", name, Severity::Error});
      return false;
    }
    summary.files.push_back({name, text.size()});
    if (dump) summary.dump_bytes += text.size();
    return true;
  };

  AccountSummary totals;
  const auto merge = [&totals](AccountSummary& one) {
    totals.roles += one.roles;
    totals.users += one.users;
    totals.groups += one.groups;
    totals.policies += one.policies;
    totals.versions += one.versions;
    totals.instance_profiles += one.instance_profiles;
    totals.unpinned_services += one.unpinned_services;
    totals.whole_account_trusts += one.whole_account_trusts;
    for (PlantedFinding& p : one.planted) totals.planted.push_back(std::move(p));
  };
  if (!buildAccounts(org, options.threads, [&](std::size_t i, AccountBuilt& built) {
        merge(built.summary);
        return emit("account_" + org.at(i).id + ".json", built.text, true);
      })) {
    return errors;
  }
  if (!emit("org_" + org.org_id + ".json", writeOrganization(org), true)) return errors;

  summary.roles = totals.roles;
  summary.users = totals.users;
  summary.groups = totals.groups;
  summary.customer_policies = totals.policies;
  summary.policy_versions = totals.versions;
  summary.instance_profiles = totals.instance_profiles;
  summary.planted = std::move(totals.planted);
  std::stable_sort(summary.planted.begin(), summary.planted.end(), [](const PlantedFinding& a, const PlantedFinding& b) {
    return a.rule != b.rule ? a.rule < b.rule : a.resource < b.resource;
  });
  summary.background = {{"account-root-trust", totals.whole_account_trusts},
                        {"service-without-source", totals.unpinned_services}};

  // Example chains, from the CI user and from IAM Identity Center through the tooling account.
  std::vector<std::string> shapes;
  std::size_t workload = org.accounts.size();
  for (std::size_t i = 0; i < org.accounts.size(); ++i) {
    if ((org.at(i).duties & kWorkload) && hasCore(org, i, Core::Pipeline)) {
      workload = i;
      break;
    }
  }
  const std::string tool = org.at(org.tooling).id;
  if (org.has_orchestrator && workload < org.accounts.size()) {
    const std::string orchestrator = org.roleArn(org.tooling, "cicd/DeployOrchestrator");
    const std::string pipeline = org.roleArn(workload, "cicd/PipelineDeployRole");
    const std::string last = org.has_route53 ? org.roleArn(org.network, "network/Route53DelegationRole")
                                             : (hasCore(org, workload, Core::DbMigration)
                                                    ? org.roleArn(workload, "cicd/DatabaseMigrationRole")
                                                    : std::string());
    if (!last.empty()) {
      summary.chains.push_back({"arn:aws:iam::" + tool + ":user/ci/ci-runner", orchestrator, pipeline, last});
      if (org.has_release_manager && hasCore(org, org.tooling, Core::SsoPlatform)) {
        summary.chains.push_back({org.samlProvider(org.tooling),
                                  org.roleArn(org.tooling, org.ssoPath().substr(1) + org.ssoRoleName(org.tooling, "PlatformEngineer")),
                                  org.roleArn(org.tooling, "cicd/ReleaseManager"), orchestrator, pipeline, last});
      }
      if (org.has_codebuild) {
        summary.chains.push_back({"codebuild.amazonaws.com", org.roleArn(org.tooling, "cicd/CodeBuildDeployRole"),
                                  orchestrator, pipeline, last});
      }
    }
    shapes.push_back("ci/cd chain: ci-runner -> DeployOrchestrator -> PipelineDeployRole (every workload)");
  }
  if (org.has_scanner) shapes.push_back("security audit: SecurityScanner -> SecurityAuditRole (every account)");
  if (org.has_responder) shapes.push_back("incident response: IncidentResponder -> IncidentResponseAdmin with MFA (every account)");
  if (org.has_route53) shapes.push_back("dns delegation: every PipelineDeployRole -> Route53DelegationRole");
  shapes.push_back("iam identity center roles (AWSReservedSSO_*) trusting each account's SAML provider");
  shapes.push_back("vendor roles trusting known vendor accounts with an ExternalId");
  shapes.push_back("service roles for lambda, ecs, ec2, states, events, glue and codebuild");

  // The manifest lists every file so far; it and the README are not dumps.
  if (!emit("manifest.yaml", writeManifest(summary, shapes), false)) return errors;
  if (!emit("README.txt", writeReadme(summary), false)) return errors;
  return summary;
}

}  // namespace trustsim
