#!/usr/bin/env python3
"""Writes a synthetic `aws iam get-account-authorization-details` dump of about SIZE_MB megabytes,
for load benchmarks (bench/cli_timing.sh). Deterministic. Usage: make_gaad.py SIZE_MB OUT.json"""
import json, sys, urllib.parse

size_mb, out = int(sys.argv[1]), sys.argv[2]
acct = "111122223333"
policy = {"Version": "2012-10-17", "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "ec2:Describe*"], "Resource": "*"},
    {"Sid": "Assume", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{acct}:role/app/*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "platform"}}}]}
roles, users, pols = [], [], []
i = 0
approx = 0
while approx < size_mb * 1024 * 1024:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
             "Principal": {"AWS": f"arn:aws:iam::{acct}:role/app/role-{max(i - 1, 0)}"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"sts:ExternalId": f"ext-{i:08d}"}}}]}
    # The AWS CLI writes documents as objects; other tools write text or URL-encoded text.
    enc = 0 if i % 50 else (i // 50) % 2 + 1
    doc = trust if enc == 0 else (json.dumps(trust) if enc == 1 else urllib.parse.quote(json.dumps(trust), safe=""))
    roles.append({"Path": "/app/", "RoleName": f"role-{i}", "RoleId": f"AROA{i:017d}", "Arn": f"arn:aws:iam::{acct}:role/app/role-{i}",
                  "CreateDate": "2024-01-01T00:00:00Z", "AssumeRolePolicyDocument": doc, "InstanceProfileList": [],
                  "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": policy}],
                  "AttachedManagedPolicies": [{"PolicyName": "Shared", "PolicyArn": f"arn:aws:iam::{acct}:policy/Shared"}],
                  "Tags": [{"Key": "team", "Value": "platform"}], "RoleLastUsed": {}})
    if i % 10 == 0:
        users.append({"Path": "/", "UserName": f"user-{i}", "UserId": f"AIDA{i:017d}", "Arn": f"arn:aws:iam::{acct}:user/user-{i}",
                      "CreateDate": "2024-01-01T00:00:00Z", "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": policy}],
                      "GroupList": [], "AttachedManagedPolicies": [], "Tags": []})
    approx += 1400
    i += 1
pols.append({"PolicyName": "Shared", "PolicyId": "ANPA000000000000000001", "Arn": f"arn:aws:iam::{acct}:policy/Shared", "Path": "/",
             "DefaultVersionId": "v1", "AttachmentCount": i, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
             "CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z",
             "PolicyVersionList": [{"Document": policy, "VersionId": "v1", "IsDefaultVersion": True, "CreateDate": "2024-01-01T00:00:00Z"}]})
with open(out, "w") as f:
    json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": pols, "IsTruncated": False}, f, indent=4)
print(f"{out}: {i} roles, {len(users)} users")
