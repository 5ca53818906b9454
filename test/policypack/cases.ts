/**
 * Adversarial cases shared by the in-process unit tests and the gRPC tests: statements that mean
 * "pass any role to any service" or "administrator access" however they are spelt, the scoped ones
 * that do not, and names that do or do not say ParallelCluster.
 */
import { ACCOUNT } from "./fixtures";

const PC_ROLES = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*`;
const pass = (Condition?: object, Resource: unknown = PC_ROLES, Action: unknown = "iam:PassRole") => ({ Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });

/** PassRole statements the pack must refuse (label, statement). */
export const PASSROLE_REFUSED: Array<[string, object]> = [
    ["no condition", pass()],
    ["StringEquals '*'", pass({ StringEquals: { "iam:PassedToService": "*" } })],
    ["StringLike '*.amazonaws.com'", pass({ StringLike: { "iam:PassedToService": "*.amazonaws.com" } })],
    ["StringLike '?*'", pass({ StringLike: { "iam:PassedToService": "?*" } })],
    ["StringLike list containing '*'", pass({ StringLike: { "iam:PassedToService": ["ec2.amazonaws.com", "*"] } })],
    ["StringEquals list containing '*'", pass({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "*"] } })],
    ["StringLike 'ec2.amazonaws.co?'", pass({ StringLike: { "iam:PassedToService": "ec2.amazonaws.co?" } })],
    ["StringNotEquals", pass({ StringNotEquals: { "iam:PassedToService": "lambda.amazonaws.com" } })],
    ["StringNotLike", pass({ StringNotLike: { "iam:PassedToService": "lambda.*" } })],
    ["ForAnyValue:StringNotEquals", pass({ "ForAnyValue:StringNotEquals": { "iam:PassedToService": "lambda.amazonaws.com" } })],
    ["Null false", pass({ Null: { "iam:PassedToService": "false" } })],
    ["Null false (boolean)", pass({ Null: { "iam:PassedToService": false } })],
    ["StringEqualsIfExists '*'", pass({ StringEqualsIfExists: { "iam:PassedToService": "*" } })],
    ["StringNotEqualsIfExists", pass({ StringNotEqualsIfExists: { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["ForAllValues:StringEquals", pass({ "ForAllValues:StringEquals": { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["ArnLike (not a string operator for services)", pass({ ArnLike: { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["misspelt operator", pass({ StringEqual: { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["empty list", pass({ StringEquals: { "iam:PassedToService": [] } })],
    ["condition on another key only", pass({ StringEquals: { "aws:RequestedRegion": "us-east-1" } })],
    ["Resource '*'", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "*")],
    ["Resource arn:*", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "arn:*")],
    ["Resource arn:aws:iam::*:*", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "arn:aws:iam::*:*")],
    ["Resource role/*", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, `arn:aws:iam::${ACCOUNT}:role/*`)],
    ["Resource role/parallelcluster* (outside the path)", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, `arn:aws:iam::${ACCOUNT}:role/parallelcluster*`)],
    ["Resource arn:*:iam::*:role/?*", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "arn:*:iam::*:role/?*")],
    ["NotResource", { Effect: "Allow", Action: "iam:PassRole", NotResource: "arn:aws:iam::*:role/admin", Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }],
    ["Action iam:?*", pass(undefined, PC_ROLES, "iam:?*")],
    ["Action i?m:Pass*", pass(undefined, PC_ROLES, "i?m:Pass*")],
    ["Action *:*", pass(undefined, PC_ROLES, "*:*")],
    ["NotAction s3:*", { Effect: "Allow", NotAction: "s3:*", Resource: PC_ROLES }],
];

/** PassRole statements the pack accepts. */
export const PASSROLE_ACCEPTED: Array<[string, object]> = [
    ["StringEquals ec2", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["StringEquals list", pass({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "lambda.amazonaws.com"] } })],
    ["StringLike concrete", pass({ StringLike: { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["ForAnyValue:StringEquals", pass({ "ForAnyValue:StringEquals": { "iam:PassedToService": "ec2.amazonaws.com" } })],
    ["StringEqualsIfExists (as ParallelCluster's user policy writes it)", pass({ StringEqualsIfExists: { "iam:PassedToService": ["ec2.amazonaws.com", "lambda.amazonaws.com"] } })],
    ["StringEqualsIgnoreCase", pass({ StringEqualsIgnoreCase: { "iam:PassedToService": "EC2.amazonaws.com" } })],
    ["key in any case, plus a negated block", pass({ StringEquals: { "IAM:PassedToService": "ec2.amazonaws.com" }, StringNotEquals: { "iam:PassedToService": "lambda.amazonaws.com" } })],
    ["named role", pass({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }, `arn:aws:iam::${ACCOUNT}:role/app-task`)],
    ["ParallelCluster 2's role names", pass({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "lambda.amazonaws.com"] } }, `arn:aws:iam::${ACCOUNT}:role/parallelcluster-*`)],
    ["partition wildcard on the path", pass({ StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "arn:*:iam::*:instance-profile/parallelcluster/*")],
    ["NotAction leaving PassRole out", { Effect: "Allow", NotAction: ["iam:*", "sts:*"], Resource: "arn:aws:s3:::bucket/*" }],
    ["'*' on an S3 bucket only (no role ARN)", { Effect: "Allow", Action: "*", Resource: ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"] }],
    ["Deny", { Effect: "Deny", Action: "iam:PassRole", Resource: "*" }],
];

/** Statements granting administrator access, however spelt. */
export const ADMIN_REFUSED: Array<[string, object]> = [
    ["* on *", { Effect: "Allow", Action: "*", Resource: "*" }],
    ["*:* on *", { Effect: "Allow", Action: "*:*", Resource: "*" }],
    ["?* on *", { Effect: "Allow", Action: "?*", Resource: "*" }],
    ["* on arn:*", { Effect: "Allow", Action: "*", Resource: "arn:*" }],
    ["* on arn:aws:iam::*:*", { Effect: "Allow", Action: "*", Resource: "arn:aws:iam::*:*" }],
    ["* on arn:*:*:*:*:*", { Effect: "Allow", Action: "*", Resource: "arn:*:*:*:*:*" }],
    ["iam:* on *", { Effect: "Allow", Action: "iam:*", Resource: "*" }],
    ["IAM:* on *", { Effect: "Allow", Action: "IAM:*", Resource: "*" }],
    ["iam:?* on *", { Effect: "Allow", Action: "iam:?*", Resource: "*" }],
    ["i?m:* on arn:*", { Effect: "Allow", Action: "i?m:*", Resource: "arn:*" }],
    ["iam:* on role/* of the account", { Effect: "Allow", Action: "iam:*", Resource: `arn:aws:iam::${ACCOUNT}:role/*` }],
    ["sts:* on *", { Effect: "Allow", Action: "sts:*", Resource: "*" }],
    ["iam:PutRolePolicy on *", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" }],
    ["iam:Attach* on arn:aws:iam::*:*", { Effect: "Allow", Action: "iam:Attach*", Resource: "arn:aws:iam::*:*" }],
    ["iam:CreatePolicyVersion on policy/*", { Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: `arn:aws:iam::${ACCOUNT}:policy/*` }],
    ["NotAction iam:PassRole on arn:*", { Effect: "Allow", NotAction: "iam:PassRole", Resource: "arn:*" }],
    ["NotAction on *", { Effect: "Allow", NotAction: "ec2:TerminateInstances", Resource: "*" }],
    ["* with NotResource", { Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::secret/*" }],
];

/** Statements that are not administrator access. */
export const ADMIN_ACCEPTED: Array<[string, object]> = [
    ["s3:* and ec2:Describe* on *", { Effect: "Allow", Action: ["s3:*", "ec2:Describe*"], Resource: "*" }],
    ["iam:* on the ParallelCluster path", { Effect: "Allow", Action: "iam:*", Resource: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/*` }],
    ["iam:Get*/List* on *", { Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" }],
    ["* on one bucket", { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" }],
    ["iam:PutRolePolicy on app roles", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: `arn:aws:iam::${ACCOUNT}:role/app-*` }],
    ["sts:AssumeRole on a named role", { Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${ACCOUNT}:role/deploy` }],
    ["Deny *", { Effect: "Deny", Action: "*", Resource: "*" }],
];

/** Names that say ParallelCluster as a whole word, and names that merely contain the letters. */
export const PC_NAMES = ["parallelcluster-head", "pcluster-compute", "hpc_pcluster", "my/parallelcluster/role", "pclusterSSM2", "ParallelClusterHeadNode", "myPclusterRole", "pcluster3-head", "PCLUSTER"];
export const NOT_PC_NAMES = ["eks-appcluster-node", "webappcluster-ecs-instance", "AppCluster", "mypcluster", "pclusters", "parallelclusterx", "shoppcluster-api", "appclusterRole"];
