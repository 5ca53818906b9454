/**
 * ParallelCluster 3.12's official user/API policies (cloudformation/policies/parallelcluster-policies.yaml, resolved:
 * test/fixtures/parallelcluster-3.12/user) against the project's user policies with the same features, with the IAM
 * simulator: every request the template grants is allowed, or it is a pinned exception with its reason.
 */
import * as assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { Partition } from "../../components/policies/partition";
import { PolicyDocument } from "../../components/policies/types";
import { UserPolicyInputs, userPolicyDocuments } from "../../components/userPolicySet";
import { simulate } from "../support/simulate";
import { PC_ACCOUNT, PC_CLUSTER, PC_REGION, PinnedException, RequestContext, checkFixture, pcDocument, realRequestContext } from "./pcFixtures";

const ctxOf = (p: Partition, region?: string): PolicyContext => makeContext({ partition: p, accountId: PC_ACCOUNT, region: region ?? PC_REGION[p] });

/** Template grants the project leaves out on purpose (docs/parallelcluster-grants.md, README D21-D24). */
export const USER_PINS: PinnedException[] = [
    { action: "iam:DeleteServiceLinkedRole", resource: "*", why: "ParallelCluster never deletes a service-linked role (no caller in cli/src/pcluster)" },
];

function templateDocs(variant: string, label: string, partition: Partition): PolicyDocument[] {
    const dir = path.join(__dirname, "..", "fixtures", "parallelcluster-3.12", "user", variant, label);
    return readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => pcDocument(`user/${variant}/${label}/${f}`, partition));
}

const BASE: UserPolicyInputs = {
    iamMode: "privileged",
    batch: false,
    fsx: true,
    fsxBuckets: [],
    imageBuild: true,
    secretArns: [],
    passRoleArns: [],
    extraAllowedPolicyArns: [],
    lambdaVpcAccess: false,
    regionScope: "*",
    loginNodes: true,
    capacityReservationResourceGroups: true,
};

interface Variant {
    name: string;
    variant: string;
    inputs: (p: Partition) => UserPolicyInputs;
    pins?: PinnedException[];
}

const VARIANTS: Variant[] = [
    { name: "default (privileged, image build, FSx, login nodes, resource groups)", variant: "default", inputs: () => BASE },
    { name: "AWS Batch", variant: "batch", inputs: () => ({ ...BASE, batch: true }) },
    { name: "FSx S3 buckets", variant: "fsx", inputs: () => ({ ...BASE, fsxBuckets: ["my-fsx-bucket"] }) },
    {
        name: "permissions boundary",
        variant: "boundary",
        inputs: (p) => ({ ...BASE, iamMode: "permissionsBoundary", boundaryArn: `arn:${p}:iam::${PC_ACCOUNT}:policy/parallelcluster/operator/boundary` }),
    },
];

const INEFFECTIVE: string[] = [
    'cloudformation:ListStacks in "stack/*"',
    's3:CreateBucket in ["parallelcluster-*/*"]',
    's3:ListBucket in ["parallelcluster-*/*"]',
    's3:ListBucketVersions in ["parallelcluster-*/*"]',
];

for (const partition of ["aws", "aws-cn", "aws-us-gov"] as Partition[]) {
    describe(`ParallelCluster 3.12 template user policies, simulated (${partition})`, () => {
        const variants = partition === "aws" ? VARIANTS : VARIANTS.slice(0, 1);
        for (const v of variants) {
            for (const label of partition === "aws" ? ["us-east-1", "all-regions"] : ["us-east-1"]) {
                it(`${v.name}, Region ${label === "all-regions" ? "*" : PC_REGION[partition]}: every request the template grants is allowed, but the pinned`, async () => {
                    const scoped = label !== "all-regions";
                    const ctx = scoped ? ctxOf(partition) : ctxOf(partition, "*");
                    const inputs = { ...v.inputs(partition), regionScope: scoped ? PC_REGION[partition] : "*" };
                    const docs = userPolicyDocuments(ctx, inputs).map(([, d]) => d);
                    const simCtx = ctxOf(partition);
                    const unexpected: string[] = [];
                    const ineffective = new Set<string>();
                    for (const t of templateDocs(v.variant, label, partition)) {
                        const image = JSON.stringify(t).includes("parallelclusterimage");
                        const contexts = realRequestContext("cluster-user", { cluster: PC_CLUSTER, image });
                        // Every real request names its region; the project conditions regional statements on it (regionScope).
                        const regionContext: RequestContext[] = scoped ? [{ action: "*", context: { "aws:RequestedRegion": PC_REGION[partition] }, why: "the request's region" }] : [];
                        const out = await checkFixture(t, simCtx, docs, [...USER_PINS, ...(v.pins ?? [])], [...contexts, ...regionContext]);
                        unexpected.push(...out.unexpected);
                        out.ineffective.forEach((x) => ineffective.add(x.replace(/arn:[^"]*?:(cloudformation|s3):[^"]*?(stack\/\*|parallelcluster-\*\/\*)/g, "$2")));
                    }
                    assert.deepEqual(unexpected, []);
                    // Template grants IAM never applies: ListStacks takes no resource (the template puts it on stack/*);
                    // bucket actions on the object ARN parallelcluster-*/* (3.11's S3BucketBuildAndDeleteImage merge).
                    assert.deepEqual([...ineffective].sort(), INEFFECTIVE);
                });
            }
        }
    });
}

describe("user policies: the template's cloudformation:* narrowing holds", () => {
    const ctx = ctxOf("aws");
    const docs = userPolicyDocuments(ctx, { ...BASE, imageBuild: false, loginNodes: false }).map(([, d]) => d);
    const stack = `arn:aws:cloudformation:us-east-1:${PC_ACCOUNT}:stack/other-app/1111`;
    it("no stack update or create without the cluster-name tag, no update or delete of a stack pcluster did not tag (D31), no tagging a foreign instance (D32); no stack policy, change set or stack set calls", async () => {
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:UpdateStack", resource: stack, context: { "aws:TagKeys": ["team"] } }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:UpdateStack", resource: stack }), "ImplicitlyDenied");
        // D31: the request's tag keys are the caller's; the stack must already be a cluster's.
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:UpdateStack", resource: stack, context: { "aws:TagKeys": ["parallelcluster:cluster-name"] } }), "ImplicitlyDenied");
        const tagged = { "aws:TagKeys": ["parallelcluster:cluster-name"], "aws:ResourceTag/parallelcluster:cluster-name": "hpc" };
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:UpdateStack", resource: stack, context: tagged }), "Allowed");
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:DeleteStack", resource: stack }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: docs, action: "cloudformation:DeleteStack", resource: stack, context: { "aws:ResourceTag/parallelcluster:version": "3.12.0" } }), "Allowed");
        // D32: CreateTags adopts no foreign instance; at launch, or on the cluster's instances, it is allowed.
        const instance = `arn:aws:ec2:us-east-1:${PC_ACCOUNT}:instance/i-0123456789abcdef0`;
        const tags = { "aws:TagKeys": ["parallelcluster:cluster-name"], "aws:RequestTag/parallelcluster:cluster-name": "hpc" };
        assert.equal(await simulate({ identityPolicies: docs, action: "ec2:CreateTags", resource: instance, context: tags }), "ExplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: docs, action: "ec2:CreateTags", resource: instance, context: { ...tags, "ec2:CreateAction": "RunInstances" } }), "Allowed");
        assert.equal(await simulate({ identityPolicies: docs, action: "ec2:CreateTags", resource: instance, context: { ...tags, "aws:ResourceTag/parallelcluster:cluster-name": "hpc" } }), "Allowed");
        // CloudFormation may apply an instance's stack tags after the launch, as the user.
        assert.equal(await simulate({ identityPolicies: docs, action: "ec2:CreateTags", resource: instance, context: { ...tags, "aws:CalledVia": ["cloudformation.amazonaws.com"] } }), "Allowed");
        for (const action of ["cloudformation:SetStackPolicy", "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:UpdateTerminationProtection"]) {
            assert.equal(await simulate({ identityPolicies: docs, action, resource: stack }), "ImplicitlyDenied", action);
        }
    });
    it("login-node grants only with loginNodes; resource groups only with capacityReservationResourceGroups", async () => {
        const plain = userPolicyDocuments(ctx, { ...BASE, loginNodes: false, capacityReservationResourceGroups: false }).map(([, d]) => d);
        const text = JSON.stringify(plain);
        for (const a of ["autoscaling:", "elasticloadbalancing:", "resource-groups:"]) assert.ok(!text.includes(a), a);
        assert.equal(await simulate({ identityPolicies: docs, action: "elasticloadbalancing:CreateListener", resource: "*", context: { "aws:TagKeys": ["team"] } }), "ImplicitlyDenied");
    });
});
