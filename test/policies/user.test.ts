import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { allowedPolicyArnPatterns, operatorProtectionStatements } from "../../components/policies/allowlist";
import { PolicyContext, makeContext, parseArn } from "../../components/policies/context";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { packPolicy } from "../../components/policies/packing";
import { checkDocumentReference } from "../../components/policies/reference";
import { GLOBAL_SERVICES, limitToRegion, servicesOf } from "../../components/policies/regionScope";
import { PolicyDocument, PolicyStatement, asList } from "../../components/policies/types";
import { userBasePolicy } from "../../components/policies/userBase";
import { userBatchPolicy } from "../../components/policies/userBatch";
import { userFsxPolicy } from "../../components/policies/userFsx";
import { userIamPermissionsBoundaryPolicy, userIamPrivilegedPolicy, userIamRestrictedPolicy } from "../../components/policies/userIam";
import { userImageBuildPolicy } from "../../components/policies/userImageBuild";
import { semanticDiff, tuplesOf } from "../support/semantic";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });
const cnCtx = makeContext({ accountId: ACCOUNT, region: "cn-north-1" });
const govCtx = makeContext({ accountId: ACCOUNT, region: "us-gov-west-1" });

// The values substituted for the guide's placeholders in test/fixtures/guide/*.json.
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:parallelcluster-ad-password-AbCdEf`;
const BUCKET = "example-fsx-data";
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster-boundary`;
const PASS_ROLES = [`arn:aws:iam::${ACCOUNT}:role/custom/HeadNodeRole`, `arn:aws:iam::${ACCOUNT}:instance-profile/custom/ComputeNodeProfile`];

function guide(name: string): PolicyDocument {
    return JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8")) as PolicyDocument;
}

function statement(doc: PolicyDocument, sid: string): PolicyStatement {
    const s = doc.Statement.find((x) => x.Sid === sid);
    assert.ok(s, `no statement ${sid} in ${doc.Statement.map((x) => x.Sid).join(", ")}`);
    return s;
}

/** Options per context: partition-correct ARNs for secrets, boundary and passed roles. */
function optionsFor(c: PolicyContext) {
    const region = c.region;
    const a = `arn:${c.partition}`;
    return {
        region,
        secret: `${a}:secretsmanager:${region}:${ACCOUNT}:secret:pc-directory-AbCdEf`,
        boundary: `${a}:iam::${ACCOUNT}:policy/parallelcluster/boundary`,
        extra: `${a}:iam::${ACCOUNT}:policy/team/hpc-extra`,
        passRoles: [`${a}:iam::${ACCOUNT}:role/team/HeadNode`, `${a}:iam::${ACCOUNT}:instance-profile/team/Compute`],
    };
}

/** Every builder under every option combination, named, for one context. */
function allDocuments(c: PolicyContext): [string, PolicyDocument][] {
    const o = optionsFor(c);
    const out: [string, PolicyDocument][] = [];
    for (const regionScope of [undefined, "*", o.region]) {
        const r = `regionScope=${regionScope}`;
        out.push([`base ${r}`, userBasePolicy(c, { regionScope })]);
        out.push([`base+secrets ${r}`, userBasePolicy(c, { regionScope, secretArns: [o.secret] })]);
        out.push([`base+login+groups ${r}`, userBasePolicy(c, { regionScope, secretArns: [o.secret], loginNodes: true, capacityReservationResourceGroups: true })]);
        out.push([`batch ${r}`, userBatchPolicy(c, { regionScope })]);
        out.push([`fsx ${r}`, userFsxPolicy(c, { regionScope })]);
        out.push([`fsx+buckets ${r}`, userFsxPolicy(c, { regionScope, buckets: [BUCKET, "second.bucket-2"] })]);
        out.push([`imagebuild ${r}`, userImageBuildPolicy(c, { regionScope })]);
    }
    out.push(["base (no options)", userBasePolicy(c)]);
    for (const lambdaVpcAccess of [false, true]) {
        for (const extraPolicyArns of [undefined, [o.extra]]) {
            const r = `lambdaVpcAccess=${lambdaVpcAccess} extras=${extraPolicyArns?.length ?? 0}`;
            out.push([`privileged ${r}`, userIamPrivilegedPolicy(c, { lambdaVpcAccess, extraPolicyArns })]);
            out.push([`boundary ${r}`, userIamPermissionsBoundaryPolicy(c, { boundaryArn: o.boundary, lambdaVpcAccess, extraPolicyArns })]);
        }
    }
    out.push(["privileged (no options)", userIamPrivilegedPolicy(c)]);
    out.push(["restricted", userIamRestrictedPolicy(c, { passRoleArns: o.passRoles })]);
    return out;
}

/**
 * D21: the base policy follows ParallelCluster 3.12's template where the guide is older or wider: EC2 DeleteTags (3.9.1),
 * alarms (3.6/3.8), log-group tagging (3.5) and metric filters (3.6); cloudformation:* becomes the template's stack
 * lifecycle (3.6) with the cluster-name tag condition on create and update.
 */
const STACKS = `arn:aws:cloudformation:*:${ACCOUNT}:stack/*`;
const D21_ADDED = tuplesOf(
    { Effect: "Allow", Action: "ec2:DeleteTags", Resource: "*" },
    { Effect: "Allow", Action: ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutCompositeAlarm"], Resource: "*" },
    { Effect: "Allow", Action: ["logs:TagResource", "logs:UntagResource", "logs:DescribeMetricFilters", "logs:PutMetricFilter", "logs:DeleteMetricFilter"], Resource: "*" },
    { Effect: "Allow", Action: ["cloudformation:CreateStack"], Resource: STACKS, Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:cluster-name"] } } },
    { Effect: "Allow", Action: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources", "cloudformation:GetTemplate"], Resource: STACKS },
    { Effect: "Allow", Action: ["cloudformation:ListStacks", "cloudformation:DescribeStacks"], Resource: "*" },
).sort();
const D21_REMOVED = tuplesOf({ Effect: "Allow", Action: "cloudformation:*", Resource: "*" });

/** D30: TerminateInstances only on instances tagged with a cluster name (every instance a cluster runs carries it). */
const D30_ADDED = tuplesOf({ Effect: "Allow", Action: "ec2:TerminateInstances", Resource: "*", Condition: { StringLike: { "ec2:ResourceTag/parallelcluster:cluster-name": "*" } } });
const D30_REMOVED = tuplesOf({ Effect: "Allow", Action: "ec2:TerminateInstances", Resource: "*" });

/**
 * D31: update and delete only ParallelCluster's stacks (the template's condition is on the request's tags, which the
 * caller chooses); D32: CreateTags adopts no foreign instance.
 */
const D31_ADDED = tuplesOf(
    {
        Effect: "Allow", Action: "cloudformation:UpdateStack", Resource: STACKS,
        Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:cluster-name"] }, StringLike: { "aws:ResourceTag/parallelcluster:cluster-name": "*" } },
    },
    { Effect: "Allow", Action: "cloudformation:DeleteStack", Resource: STACKS, Condition: { StringLike: { "aws:ResourceTag/parallelcluster:version": "*" } } },
);
const D32_ADDED = tuplesOf({
    Effect: "Deny", Action: "ec2:CreateTags", Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
    Condition: {
        Null: { "ec2:CreateAction": "true", "aws:ResourceTag/parallelcluster:cluster-name": "true" },
        "ForAllValues:StringNotEquals": { "aws:CalledVia": ["cloudformation.amazonaws.com"] },
    },
});

/** D22: the image-build policy follows the template: CancelImageCreation, log-group tags, DescribeStackResource; CreateStack only with the image-id tag. */
const IB = (t: string) => `arn:aws:imagebuilder:*:${ACCOUNT}:${t}/parallelclusterimage-*`;
const D22_ADDED = tuplesOf(
    { Effect: "Allow", Action: "imagebuilder:CancelImageCreation", Resource: ["image", "image-recipe", "component", "distribution-configuration", "infrastructure-configuration"].map(IB) },
    { Effect: "Allow", Action: ["logs:TagResource", "logs:UntagResource"], Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/ParallelClusterImage-*` },
    { Effect: "Allow", Action: "cloudformation:DescribeStackResource", Resource: STACKS },
    { Effect: "Allow", Action: "cloudformation:CreateStack", Resource: STACKS, Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:image_id"] } } },
);
const D22_REMOVED = tuplesOf({ Effect: "Allow", Action: "cloudformation:CreateStack", Resource: STACKS });
const D31_IMAGE_ADDED = tuplesOf({ Effect: "Allow", Action: "cloudformation:DeleteStack", Resource: STACKS, Condition: { StringLike: { "aws:ResourceTag/parallelcluster:version": "*" } } });
const D31_IMAGE_REMOVED = tuplesOf({ Effect: "Allow", Action: "cloudformation:DeleteStack", Resource: STACKS });

describe("user policies reproduce the guide (aws, 123456789012, us-east-1)", () => {
    it("base: the guide plus only D21 once the secret is named; without secrets the placeholder statement is gone", () => {
        assert.deepEqual(semanticDiff(userBasePolicy(ctx, { secretArns: [SECRET] }), guide("user-base")), { added: [...D21_ADDED, ...D30_ADDED, ...D31_ADDED, ...D32_ADDED].sort(), removed: [...D21_REMOVED, ...D30_REMOVED].sort() });
        assert.deepEqual(semanticDiff(userBasePolicy(ctx), guide("user-base")), {
            added: [...D21_ADDED, ...D30_ADDED, ...D31_ADDED, ...D32_ADDED].sort(),
            removed: [...D21_REMOVED, ...D30_REMOVED, ...tuplesOf({ Effect: "Allow", Action: "secretsmanager:DescribeSecret", Resource: SECRET })].sort(),
        });
        assert.ok(!JSON.stringify(userBasePolicy(ctx)).includes("secretsmanager"));
    });

    it("batch: the guide plus only D34 (no job on another team's definition)", () => {
        const batch = (r: string) => `arn:aws:batch:*:${ACCOUNT}:${r}`;
        const D34_ADDED = tuplesOf({ Effect: "Deny", Action: "batch:SubmitJob", NotResource: [batch("job/*"), batch("job-queue/PclusterJobQueue*"), batch("job-definition/PclusterJobDefinition*")] });
        assert.deepEqual(semanticDiff(userBatchPolicy(ctx), guide("user-batch")), { added: D34_ADDED, removed: [] });
    });

    it("fsx: S3 statement only with buckets, and then on the bucket's objects too", () => {
        const s3Actions = ["s3:Get*", "s3:List*", "s3:PutObject"];
        assert.deepEqual(semanticDiff(userFsxPolicy(ctx), guide("user-fsx")), {
            added: [],
            removed: tuplesOf({ Effect: "Allow", Action: s3Actions, Resource: `arn:aws:s3:::${BUCKET}` }),
        });
        assert.deepEqual(semanticDiff(userFsxPolicy(ctx, { buckets: [BUCKET] }), guide("user-fsx")), {
            added: tuplesOf({ Effect: "Allow", Action: s3Actions, Resource: `arn:aws:s3:::${BUCKET}/*` }),
            removed: [],
        });
    });

    it("image build: the service-linked role's account is tightened, D22; SNS actions spelt one way", () => {
        const slr = (acct: string): PolicyStatement => ({
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: `arn:aws:iam::${acct}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder`,
            Condition: { StringLike: { "iam:AWSServiceName": "imagebuilder.amazonaws.com" } },
        });
        const doc = userImageBuildPolicy(ctx);
        assert.deepEqual(semanticDiff(doc, guide("user-imagebuild")), {
            added: [...tuplesOf(slr(ACCOUNT)), ...D22_ADDED, ...D31_IMAGE_ADDED].sort(),
            removed: [...tuplesOf(slr("*")), ...D22_REMOVED, ...D31_IMAGE_REMOVED].sort(),
        });
        const sns = asList(statement(doc, "SNS").Action);
        assert.equal(sns.length, 7);
        assert.ok(sns.every((a) => a.startsWith("sns:")), sns.join(", "));
        // The guide itself mixes the two spellings.
        assert.ok(asList(guide("user-imagebuild").Statement.find((s) => s.Sid === "SNS")?.Action).some((a) => a.startsWith("SNS:")));
    });

    it("privileged: identical", () => {
        // R2: the operator's role and policies (below /parallelcluster/operator/) are out of reach.
        assert.deepEqual(semanticDiff(userIamPrivilegedPolicy(ctx), guide("user-iam-privileged")), { added: tuplesOf(...operatorProtectionStatements("aws", ACCOUNT)), removed: [] });
    });

    it("boundary: identical with the placeholder quoted, boundary and allow-list in one condition block", () => {
        const doc = userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: BOUNDARY });
        assert.deepEqual(semanticDiff(doc, guide("user-iam-boundary")), { added: tuplesOf(...operatorProtectionStatements("aws", ACCOUNT)), removed: [] });
        assert.deepEqual(statement(doc, "IamPolicy").Condition, {
            StringEquals: { "iam:PermissionsBoundary": [BOUNDARY] },
            ArnLike: { "iam:PolicyARN": allowedPolicyArnPatterns("aws", ACCOUNT) },
        });
        for (const sid of ["IamCreateRole", "IamInlinePolicy"]) {
            assert.deepEqual(statement(doc, sid).Condition, { StringEquals: { "iam:PermissionsBoundary": [BOUNDARY] } });
        }
        assert.equal(statement(doc, "IamRole").Condition, undefined);
    });

    it("restricted: identical to the guide's statement, emitted as a whole document", () => {
        const doc = userIamRestrictedPolicy(ctx, { passRoleArns: PASS_ROLES });
        assert.equal(doc.Version, "2012-10-17");
        assert.equal(doc.Statement.length, 1);
        assert.deepEqual(semanticDiff(doc, guide("user-iam-restricted")), { added: [], removed: [] });
    });

    it("every statement has a unique Sid (the guide leaves some out)", () => {
        for (const [name, doc] of allDocuments(ctx)) {
            const sids = doc.Statement.map((s) => s.Sid);
            assert.ok(sids.every((s) => typeof s === "string" && /^[A-Za-z0-9]+$/.test(s)), `${name}: ${sids.join(",")}`);
            assert.equal(new Set(sids).size, sids.length, name);
        }
    });
});

describe("user policies: attach allow-list", () => {
    const arnLikeOf = (doc: PolicyDocument) => statement(doc, "IamPolicy").Condition?.ArnLike?.["iam:PolicyARN"];
    it("comes from allowlist.ts, with the Lambda VPC policy and extras as opt-ins", () => {
        const extra = `arn:aws:iam::${ACCOUNT}:policy/team/hpc-extra`;
        assert.deepEqual(arnLikeOf(userIamPrivilegedPolicy(ctx)), allowedPolicyArnPatterns("aws", ACCOUNT));
        const withOpts = userIamPrivilegedPolicy(ctx, { lambdaVpcAccess: true, extraPolicyArns: [extra] });
        assert.deepEqual(arnLikeOf(withOpts), [
            ...allowedPolicyArnPatterns("aws", ACCOUNT),
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            extra,
        ]);
        const bound = userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: BOUNDARY, lambdaVpcAccess: true, extraPolicyArns: [extra] });
        assert.deepEqual(arnLikeOf(bound), arnLikeOf(withOpts));
        // The opt-ins only change the attach/detach condition: every other tuple is the same.
        const diff = semanticDiff(withOpts, userIamPrivilegedPolicy(ctx));
        assert.deepEqual([...diff.added, ...diff.removed].map((t) => t.split(" ")[1]).sort(),
            ["A:iam:attachrolepolicy", "A:iam:attachrolepolicy", "A:iam:detachrolepolicy", "A:iam:detachrolepolicy"]);
    });
    it("refuses escalating AWS policies and patterns that match them", () => {
        for (const bad of ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess", "*", "Admin*"]) {
            const v = `arn:aws:iam::aws:policy/${bad}`;
            const esc = v.replace(/[*]/g, "\\*");
            for (const build of [
                () => userIamPrivilegedPolicy(ctx, { extraPolicyArns: [v] }),
                () => userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: BOUNDARY, extraPolicyArns: [v] }),
            ]) {
                assert.throws(build, new RegExp(`extraPolicyArns\\[0\\]: '${esc}' would let AdditionalIamPolicies attach .*refused: AdministratorAccess, IAMFullAccess, PowerUserAccess`));
            }
        }
    });
});

describe("user policies: region scope", () => {
    const SCOPE = "eu-west-1";
    const scoped: [string, PolicyDocument][] = [
        ["base", userBasePolicy(ctx, { regionScope: SCOPE, secretArns: [`arn:aws:secretsmanager:${SCOPE}:${ACCOUNT}:secret:x-AbCdEf`] })],
        ["batch", userBatchPolicy(ctx, { regionScope: SCOPE })],
        ["fsx", userFsxPolicy(ctx, { regionScope: SCOPE, buckets: [BUCKET] })],
        ["imagebuild", userImageBuildPolicy(ctx, { regionScope: SCOPE })],
    ];
    const regionCondition = (s: PolicyStatement) => s.Condition?.StringEquals?.["aws:RequestedRegion"];

    it("puts the region in every regional ARN", () => {
        for (const [name, doc] of scoped) {
            for (const r of doc.Statement.flatMap((s) => asList(s.Resource))) {
                if (r === "*") continue;
                const p = parseArn(r);
                assert.ok(p, `${name}: ${r}`);
                if (p.service === "iam" || p.service === "s3") assert.equal(p.region, "", `${name}: ${r}`);
                else assert.equal(p.region, SCOPE, `${name}: ${r}`);
            }
        }
        assert.equal(statement(scoped[0][1], "S3ParallelClusterReadOnly").Resource, `arn:aws:s3:::${SCOPE}-aws-parallelcluster*`);
    });

    it("conditions regional statements that ARNs cannot scope, never global services", () => {
        let conditioned = 0;
        for (const [name, doc] of scoped) {
            for (const s of doc.Statement) {
                const global = servicesOf(s).some((svc) => GLOBAL_SERVICES.has(svc));
                const unscopable = asList(s.Resource).some((r) => r === "*" || r.includes(":s3:::"));
                // The named FSx import/export buckets stay unconditioned, as in the official template.
                const expected = !global && unscopable && s.Sid !== "FSxS3Access";
                assert.deepEqual(regionCondition(s), expected ? [SCOPE] : undefined, `${name} ${s.Sid}`);
                if (expected) conditioned++;
            }
        }
        assert.equal(conditioned, 8 + 4 + 0 + 4);
        assert.equal(regionCondition(statement(scoped[0][1], "Route53HostedZones")), undefined);
        assert.equal(regionCondition(statement(scoped[0][1], "IamPassRole")), undefined);
    });

    it("leaves the guide's form (no condition, '*' regions) by default and with '*'", () => {
        for (const c of [ctx, cnCtx, govCtx]) {
            for (const [name, doc] of allDocuments(c).filter(([n]) => !n.includes(`regionScope=${c.region}`))) {
                assert.ok(!JSON.stringify(doc).includes("aws:RequestedRegion"), name);
            }
        }
        assert.deepEqual(userBatchPolicy(ctx, { regionScope: "*" }), userBatchPolicy(ctx));
    });

    it("merges into an existing StringEquals block and refuses global services", () => {
        const s = limitToRegion({ Sid: "X", Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*", Condition: { StringEquals: { "ec2:InstanceType": "c5.large" } } }, SCOPE);
        assert.deepEqual(s.Condition, { StringEquals: { "ec2:InstanceType": "c5.large", "aws:RequestedRegion": [SCOPE] } });
        assert.throws(() => limitToRegion({ Sid: "R", Effect: "Allow", Action: ["route53:GetChange"], Resource: "*" }, SCOPE), /statement 'R': services route53 are global/);
        assert.throws(() => limitToRegion({ Sid: "I", Effect: "Allow", Action: ["iam:GetRole"], Resource: "*" }, SCOPE), /services iam are global/);
    });

    it("accepts a region of the context's own partition in China and GovCloud", () => {
        const cn = userBatchPolicy(cnCtx, { regionScope: "cn-northwest-1" });
        assert.deepEqual(regionCondition(statement(cn, "Batch")), ["cn-northwest-1"]);
        assert.equal(statement(cn, "CodeBuild").Resource, `arn:aws-cn:codebuild:cn-northwest-1:${ACCOUNT}:project/pcluster-*`);
        const gov = userBasePolicy(govCtx, { regionScope: "us-gov-east-1" });
        assert.deepEqual(regionCondition(statement(gov, "EC2Write")), ["us-gov-east-1"]);
    });
});

describe("user policies: every document, every option, every partition", () => {
    for (const c of [ctx, cnCtx, govCtx]) {
        describe(`partition ${c.partition}`, () => {
            const docs = allDocuments(c);

            it("passes the service authorization reference with zero problems", async () => {
                for (const [name, doc] of docs) assert.deepEqual(await checkDocumentReference(doc), [], name);
            });

            it("fits managed policies after packing, union semantically equal", () => {
                for (const [name, doc] of docs) {
                    const packed = packPolicy(doc);
                    for (const p of packed) assert.ok(policySize(p) <= MANAGED_POLICY_MAX_CHARS, `${name}: ${policySize(p)}`);
                    assert.deepEqual(semanticDiff(packed, doc), { added: [], removed: [] }, name);
                }
            });

            it("has no placeholder and no ARN of another partition", () => {
                for (const [name, doc] of docs) {
                    const text = JSON.stringify(doc);
                    assert.ok(!/[<>]/.test(text), name);
                    for (const m of text.matchAll(/arn:([a-z-]+):/g)) assert.equal(m[1], c.partition, `${name}: ${m[0]}`);
                    if (c.partition !== "aws") assert.ok(!text.includes("arn:aws:"), name);
                }
            });
        });
    }

    it("lists both EC2 service names in iam:PassedToService only in China", () => {
        const passed = (doc: PolicyDocument, sid: string) => {
            const c = statement(doc, sid).Condition ?? {};
            return (c.StringEqualsIfExists ?? c.StringEquals)?.["iam:PassedToService"] as string[];
        };
        const cnOpts = optionsFor(cnCtx);
        for (const [doc, sid] of [
            [userBasePolicy(cnCtx), "IamPassRole"],
            [userImageBuildPolicy(cnCtx), "IAMPassRole"],
            [userIamRestrictedPolicy(cnCtx, { passRoleArns: cnOpts.passRoles }), "IamPassRole"],
        ] as const) {
            assert.ok(passed(doc, sid).includes("ec2.amazonaws.com") && passed(doc, sid).includes("ec2.amazonaws.com.cn"), sid);
        }
        assert.deepEqual(passed(userBasePolicy(govCtx), "IamPassRole"), ["lambda.amazonaws.com", "ec2.amazonaws.com", "spotfleet.amazonaws.com"]);
        // Service-linked role paths and service names are the same in every partition.
        assert.deepEqual(statement(userBatchPolicy(cnCtx), "BatchServiceLinkedRole").Resource,
            [`arn:aws-cn:iam::${ACCOUNT}:role/aws-service-role/batch.amazonaws.com/*`]);
        assert.deepEqual(arnLikeValues(userIamPrivilegedPolicy(govCtx)), allowedPolicyArnPatterns("aws-us-gov", ACCOUNT));
    });
});

function arnLikeValues(doc: PolicyDocument): unknown {
    return statement(doc, "IamPolicy").Condition?.ArnLike?.["iam:PolicyARN"];
}

describe("user policies: packing the scoped base policy", () => {
    it("unscoped it fits one policy; scoped with a secret and with many secrets it splits into in-limit policies whose union is the original", () => {
        const secret = (i: number) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:parallelcluster-cluster-${i}-directory-password-AbCdEf`;
        const unscoped = userBasePolicy(ctx, { secretArns: [secret(0)] });
        assert.ok(policySize(unscoped) < MANAGED_POLICY_MAX_CHARS, String(policySize(unscoped)));
        assert.deepEqual(packPolicy(unscoped), [unscoped]);
        // Measured, not assumed: the region conditions and D31/D32 take the scoped base just over one policy.
        const one = userBasePolicy(ctx, { regionScope: "us-east-1", secretArns: [secret(0)] });
        assert.ok(policySize(one) > MANAGED_POLICY_MAX_CHARS, String(policySize(one)));
        const two = packPolicy(one);
        assert.equal(two.length, 2);
        for (const p of two) assert.ok(policySize(p) <= MANAGED_POLICY_MAX_CHARS, String(policySize(p)));
        assert.deepEqual(semanticDiff(two, one), { added: [], removed: [] });

        const many = userBasePolicy(ctx, { regionScope: "us-east-1", secretArns: Array.from({ length: 40 }, (_, i) => secret(i)) });
        assert.ok(policySize(many) > MANAGED_POLICY_MAX_CHARS, String(policySize(many)));
        const packed = packPolicy(many);
        assert.equal(packed.length, 2);
        for (const p of packed) assert.ok(policySize(p) <= MANAGED_POLICY_MAX_CHARS, String(policySize(p)));
        assert.deepEqual(semanticDiff(packed, many), { added: [], removed: [] });
        const sids = packed.flatMap((p) => p.Statement.map((s) => s.Sid));
        assert.equal(new Set(sids).size, sids.length);
    });
});

describe("user policies: bad options name the option, the value and what is allowed", () => {
    it("secretArns", () => {
        assert.throws(() => userBasePolicy(ctx, { secretArns: ["my-secret"] }), /secretArns\[0\]: 'my-secret' is not an ARN; expected arn:aws:secretsmanager:/);
        assert.throws(() => userBasePolicy(ctx, { secretArns: [SECRET, `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:x`] }),
            /secretArns\[1\]: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x' is in partition 'aws-cn', not 'aws'/);
        assert.throws(() => userBasePolicy(ctx, { secretArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:*`] }), /secretArns\[0\]: '.*secret:\*' contains '\*'; expected one secret's ARN/);
        assert.throws(() => userBasePolicy(ctx, { secretArns: [SECRET], regionScope: "us-west-2" }),
            /secretArns\[0\]: '.*' is in region 'us-east-1', outside regionScope 'us-west-2'/);
        assert.throws(() => userBasePolicy(ctx, { secretArns: [SECRET, SECRET] }), /secretArns: '.*' appears more than once/);
    });
    it("buckets", () => {
        assert.throws(() => userFsxPolicy(ctx, { buckets: [""] }), /buckets\[0\]: '' is empty; expected 3-63 characters/);
        assert.throws(() => userFsxPolicy(ctx, { buckets: [BUCKET, "Bad_Bucket"] }), /buckets\[1\]: 'Bad_Bucket' is not a valid S3 bucket name; expected/);
        assert.throws(() => userFsxPolicy(ctx, { buckets: ["data-*"] }), /buckets\[0\]: 'data-\*' is not a valid S3 bucket name/);
        assert.throws(() => userFsxPolicy(ctx, { buckets: [BUCKET, BUCKET] }), /buckets: 'example-fsx-data' appears more than once/);
    });
    it("regionScope", () => {
        const builders: ((r: string) => unknown)[] = [
            (regionScope) => userBasePolicy(ctx, { regionScope }),
            (regionScope) => userBatchPolicy(ctx, { regionScope }),
            (regionScope) => userFsxPolicy(ctx, { regionScope }),
            (regionScope) => userImageBuildPolicy(ctx, { regionScope }),
        ];
        for (const build of builders) {
            assert.throws(() => build("cn-north-1"), /regionScope: 'cn-north-1' is in partition 'aws-cn', not 'aws'; expected '\*' \(all regions\) or a region of partition 'aws'/);
            assert.throws(() => build("us-gov-west-1"), /regionScope: 'us-gov-west-1' is in partition 'aws-us-gov'/);
            assert.throws(() => build("mars-north-1"), /regionScope: 'mars-north-1' is not a region; expected '\*'/);
        }
        assert.throws(() => userBatchPolicy(cnCtx, { regionScope: "us-east-1" }), /regionScope: 'us-east-1' is in partition 'aws', not 'aws-cn'/);
    });
    it("boundaryArn", () => {
        assert.throws(() => userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/boundary` }),
            /boundaryArn: 'arn:aws:iam::123456789012:role\/parallelcluster\/boundary' is not an IAM policy ARN; expected arn:aws:iam::<account\|aws>:policy\//);
        assert.throws(() => userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: `arn:aws-us-gov:iam::${ACCOUNT}:policy/boundary` }),
            /boundaryArn: 'arn:aws-us-gov:iam::123456789012:policy\/boundary' is in partition 'aws-us-gov', not 'aws'/);
        assert.throws(() => userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary-*` }), /boundaryArn: '.*boundary-\*' contains a wildcard; expected one concrete policy ARN/);
        assert.throws(() => userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), /boundaryArn: 'arn:aws:iam::aws:policy\/AdministratorAccess' is an admin policy and would bound nothing/);
        assert.throws(() => userIamPermissionsBoundaryPolicy(ctx, {} as { boundaryArn: string }), /boundaryArn: 'undefined' is missing; expected arn:aws:iam::/);
    });
    it("extraPolicyArns", () => {
        assert.throws(() => userIamPrivilegedPolicy(ctx, { extraPolicyArns: [`arn:aws:iam::${ACCOUNT}:role/x`] }), /extraPolicyArns\[0\]: '.*role\/x' is not an IAM policy ARN/);
        assert.throws(() => userIamPrivilegedPolicy(ctx, { extraPolicyArns: [`arn:aws-cn:iam::${ACCOUNT}:policy/x`] }), /extraPolicyArns\[0\]: '.*' is in partition 'aws-cn', not 'aws'/);
    });
    it("passRoleArns", () => {
        assert.throws(() => userIamRestrictedPolicy(ctx, { passRoleArns: [] }), /passRoleArns: '\[\]' is empty; expected at least one role or instance-profile ARN/);
        assert.throws(() => userIamRestrictedPolicy(ctx, {} as { passRoleArns: string[] }), /passRoleArns: 'undefined' is empty/);
        assert.throws(() => userIamRestrictedPolicy(ctx, { passRoleArns: [`arn:aws:iam::${ACCOUNT}:user/alice`] }), /passRoleArns\[0\]: '.*user\/alice' is not an IAM role ARN/);
        assert.throws(() => userIamRestrictedPolicy(ctx, { passRoleArns: [`arn:aws-cn:iam::${ACCOUNT}:role/x`] }), /passRoleArns\[0\]: '.*' is in partition 'aws-cn', not 'aws'/);
        assert.throws(() => userIamRestrictedPolicy(ctx, { passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/*`] }), /passRoleArns\[0\]: '.*role\/\*' contains a wildcard/);
        assert.throws(() => userIamRestrictedPolicy(ctx, { passRoleArns: [PASS_ROLES[0], PASS_ROLES[0]] }), /passRoleArns: '.*HeadNodeRole' appears more than once/);
    });
    it("a malformed context", () => {
        const bad = { partition: "aws", accountId: "1234", region: "us-east-1" } as PolicyContext;
        assert.throws(() => userBatchPolicy(bad), /accountId: '1234' is not an AWS account ID/);
        const mismatch = { partition: "aws-cn", accountId: ACCOUNT, region: "us-east-1" } as PolicyContext;
        assert.throws(() => userIamPrivilegedPolicy(mismatch), /partition: 'aws-cn' does not match region 'us-east-1'/);
    });
});

describe("user policies: simulated requests (iam-simulate, test-only)", () => {
    const ROLE = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/hpc-HeadNode`;
    async function decide(policy: PolicyDocument, action: string, resource: string, vars: Record<string, string | string[]> = {}): Promise<string> {
        const r = await runSimulation({
            request: { principal: `arn:aws:iam::${ACCOUNT}:role/pcluster-user`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: vars },
            identityPolicies: [{ name: "user", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
        }, {});
        return r.resultType === "error" ? `error ${JSON.stringify(r.errors)}` : r.overallResult;
    }
    const SSM = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

    it("boundary mode: attach needs an allow-listed policy AND the boundary; create needs the boundary", async () => {
        const doc = userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: BOUNDARY });
        assert.equal(await decide(doc, "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": SSM, "iam:PermissionsBoundary": BOUNDARY }), "Allowed");
        assert.equal(await decide(doc, "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": SSM, "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/other` }), "ImplicitlyDenied");
        assert.equal(await decide(doc, "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": SSM }), "ImplicitlyDenied");
        assert.equal(await decide(doc, "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", "iam:PermissionsBoundary": BOUNDARY }), "ImplicitlyDenied");
        assert.equal(await decide(doc, "iam:CreateRole", ROLE, { "iam:PermissionsBoundary": BOUNDARY }), "Allowed");
        assert.equal(await decide(doc, "iam:CreateRole", ROLE), "ImplicitlyDenied");
        assert.equal(await decide(doc, "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/elsewhere`, { "iam:PermissionsBoundary": BOUNDARY }), "ImplicitlyDenied");
    });

    it("privileged mode: only allow-listed policies attach; the Lambda VPC policy only when opted in", async () => {
        const vpc = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
        assert.equal(await decide(userIamPrivilegedPolicy(ctx), "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": SSM }), "Allowed");
        assert.equal(await decide(userIamPrivilegedPolicy(ctx), "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": vpc }), "ImplicitlyDenied");
        assert.equal(await decide(userIamPrivilegedPolicy(ctx, { lambdaVpcAccess: true }), "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": vpc }), "Allowed");
        assert.equal(await decide(userIamPrivilegedPolicy(ctx), "iam:AttachRolePolicy", ROLE, { "iam:PolicyARN": "arn:aws:iam::aws:policy/IAMFullAccess" }), "ImplicitlyDenied");
    });

    it("restricted mode: passes only the listed roles", async () => {
        const doc = userIamRestrictedPolicy(ctx, { passRoleArns: PASS_ROLES });
        assert.equal(await decide(doc, "iam:PassRole", PASS_ROLES[0], { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
        assert.equal(await decide(doc, "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/Admin`, { "iam:PassedToService": "ec2.amazonaws.com" }), "ImplicitlyDenied");
        assert.equal(await decide(doc, "iam:CreateRole", ROLE), "ImplicitlyDenied");
    });

    it("region scope: regional calls only in the scoped region, global services unaffected", async () => {
        const doc = userBasePolicy(ctx, { regionScope: "eu-west-1" });
        assert.equal(await decide(doc, "ec2:RunInstances", `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, { "aws:RequestedRegion": "eu-west-1" }), "Allowed");
        assert.equal(await decide(doc, "ec2:RunInstances", `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, { "aws:RequestedRegion": "us-east-1" }), "ImplicitlyDenied");
        assert.equal(await decide(doc, "lambda:CreateFunction", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:pcluster-x`, { "aws:RequestedRegion": "us-east-1" }), "ImplicitlyDenied");
        // Route 53 and IAM requests report us-east-1: they must still work for a cluster in eu-west-1.
        assert.equal(await decide(doc, "route53:CreateHostedZone", "*", { "aws:RequestedRegion": "us-east-1" }), "Allowed");
        assert.equal(await decide(doc, "iam:GetRole", ROLE, { "aws:RequestedRegion": "us-east-1" }), "Allowed");
    });

    it("fsx: the bucket's objects are reachable, which the guide's bucket-only ARN does not allow", async () => {
        const obj = `arn:aws:s3:::${BUCKET}/data/input.dat`;
        assert.equal(await decide(userFsxPolicy(ctx, { buckets: [BUCKET] }), "s3:GetObject", obj), "Allowed");
        assert.equal(await decide(userFsxPolicy(ctx, { buckets: [BUCKET] }), "s3:PutObject", obj), "Allowed");
        assert.equal(await decide(guide("user-fsx"), "s3:GetObject", obj), "ImplicitlyDenied");
        assert.equal(await decide(userFsxPolicy(ctx, { buckets: [BUCKET] }), "s3:GetObject", "arn:aws:s3:::other-bucket/x"), "ImplicitlyDenied");
    });
});

describe("R1: restricted mode is an option of the builders, not an edit of their documents", () => {
    const c = makeContext({ accountId: "123456789012", region: "us-east-1" });
    const PROFILE_WRITES = ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"];
    const grants = (d: PolicyDocument, a: string) => d.Statement.some((s) => [s.Action].flat().includes(a));
    it("preCreatedRoles: the full documents without the path-wide PassRole and the instance-profile writes, everything else equal", () => {
        for (const [full, pre] of [
            [userBasePolicy(c, { loginNodes: true }), userBasePolicy(c, { loginNodes: true, preCreatedRoles: true })],
            [userImageBuildPolicy(c), userImageBuildPolicy(c, { preCreatedRoles: true })],
        ] as const) {
            assert.ok(grants(full, "iam:PassRole") && PROFILE_WRITES.some((a) => grants(full, a)));
            assert.ok(!grants(pre, "iam:PassRole"), "no PassRole");
            for (const a of PROFILE_WRITES) assert.ok(!grants(pre, a), a);
            // Restated: drop every PassRole statement and the profile writes from the full document.
            const expected = full.Statement
                .filter((s) => ![s.Action].flat().includes("iam:PassRole") && ![s.Action].flat().every((a) => PROFILE_WRITES.includes(a as string)))
                .map((s) => ({ ...s, Action: Array.isArray(s.Action) ? s.Action.filter((a) => !PROFILE_WRITES.includes(a)) : s.Action }));
            assert.deepEqual(pre.Statement, expected);
        }
        assert.throws(() => userImageBuildPolicy(c, { preCreatedRoles: "yes" as never }), /preCreatedRoles: 'yes' is not a boolean/);
    });
});
