import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isAllowedPolicyArn } from "../../components/policies/allowlist";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { HeadNodeOptions, Scheduler, headNodePolicy } from "../../components/policies/headNode";
import { imageBuilderInstancePolicy } from "../../components/policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "../../components/policies/imageCleanupLambda";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { loginNodePolicy } from "../../components/policies/loginNode";
import { MANAGED_POLICY_MAX_CHARS, ROLE_INLINE_POLICIES_MAX_CHARS, policySize } from "../../components/policies/limits";
import { checkDocumentReference } from "../../components/policies/reference";
import { S3AccessEntry, s3AccessStatements } from "../../components/policies/s3Access";
import { PolicyDocument, PolicyStatement, RolePolicySet, asList } from "../../components/policies/types";
import { Tuple, documentTuples, semanticDiff, tuplesOf } from "../support/semantic";
import { simulate } from "../support/simulate";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ad-password-AbCdEf`;
const SECRET2 = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:slurmdbd-password-XyZ123`;

function fixture(name: string): PolicyDocument {
    return JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8")) as PolicyDocument;
}

const noDiff = { added: [], removed: [] };

/** D16: what ParallelCluster's Slurm head node calls beyond the older guide (the fixture). */
const D16_STATEMENTS: PolicyStatement[] = [
    { Effect: "Allow", Action: "ec2:CreateFleet", Resource: "*" },
    { Effect: "Allow", Action: "ec2:DescribeCapacityReservations", Resource: "*" },
    { Effect: "Allow", Action: "cloudformation:DescribeStacks", Resource: "*" },
];
const D16 = tuplesOf(...D16_STATEMENTS);

/**
 * D19: what ParallelCluster 3.9-3.12 nodes call beyond the guide, in the guide's (cluster-less) form:
 * head nodes detach shared volumes; the Slurm head node batch-reads the cluster tables; compute nodes read their
 * queues stack (cfn-init --role) and write their config version to the cluster table.
 */
const D19_DETACH: PolicyStatement = { Effect: "Allow", Action: "ec2:DetachVolume", Resource: [`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/*`] };
const D19_SLURM = tuplesOf(D19_DETACH, { Effect: "Allow", Action: "dynamodb:BatchGetItem", Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/parallelcluster-*` });
const D19_BATCH = tuplesOf(D19_DETACH).sort();
const D19_COMPUTE = tuplesOf(
    { Effect: "Allow", Action: "cloudformation:DescribeStackResource", Resource: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/*-ComputeFleetQueuesNestedStackQueuesNestedStackResource*/*` },
    { Effect: "Allow", Action: "dynamodb:PutItem", Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/parallelcluster-*` },
).sort();

/** `tuples` plus D16's and D19's (Slurm head node), sorted as semanticDiff sorts. */
function plusD16(tuples: Tuple[]): Tuple[] {
    return [...tuples, ...D16, ...D19_SLURM].sort();
}
const HEAD_SLURM_ADDED = plusD16([]);

/** D17: the AWS Batch ManageDockerImages function's statements, in a context. */
function d17Statements(c: PolicyContext): PolicyStatement[] {
    return [
        { Effect: "Allow", Action: ["ecr:BatchDeleteImage", "ecr:ListImages"], Resource: `arn:${c.partition}:ecr:${c.region}:${ACCOUNT}:repository/*` },
        {
            Effect: "Allow",
            Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
            Resource: `arn:${c.partition}:codebuild:${c.region}:${ACCOUNT}:project/pcluster-*-build-docker-images-project`,
        },
    ];
}

/** Every partition, with a concrete region and with "*". */
const CONTEXTS: PolicyContext[] = [
    makeContext({ accountId: ACCOUNT, region: "us-east-1" }),
    makeContext({ accountId: ACCOUNT, region: "cn-north-1" }),
    makeContext({ accountId: ACCOUNT, region: "us-gov-west-1" }),
    makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-cn", accountId: ACCOUNT, region: "*" }),
    makeContext({ partition: "aws-us-gov", accountId: ACCOUNT, region: "*" }),
];

const S3_MIXED: S3AccessEntry[] = [
    { bucketName: "team-data" },
    { bucketName: "team-results", keyName: "out/*", enableWriteAccess: true },
    { bucketName: "team-inputs", keyName: "in/*" },
];

function secretFor(c: PolicyContext): string {
    const region = c.region === "*" ? { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" }[c.partition] : c.region;
    return `arn:${c.partition}:secretsmanager:${region}:${ACCOUNT}:secret:ad-password-AbCdEf`;
}

/** Every builder in this module and every option combination, for one context. */
function allRoleSets(c: PolicyContext): { name: string; set: RolePolicySet }[] {
    const out: { name: string; set: RolePolicySet }[] = [];
    const secrets = [undefined, [secretFor(c)]];
    for (const scheduler of ["slurm", "awsbatch"] as Scheduler[]) {
        for (const secretArns of secrets) {
            for (const s3Access of [undefined, S3_MIXED]) {
                for (const cloudWatchLogs of [undefined, true, false]) {
                    const passRoles = scheduler === "slurm" ? [undefined, [`arn:${c.partition}:iam::${ACCOUNT}:role/custom/compute-role`]] : [undefined];
                    for (const passRoleArns of passRoles) {
                        const opts: HeadNodeOptions = { scheduler, secretArns, s3Access, cloudWatchLogs, passRoleArns };
                        out.push({ name: `head ${JSON.stringify(opts)}`, set: headNodePolicy(c, opts) });
                    }
                }
            }
        }
    }
    for (const s3Access of [undefined, S3_MIXED]) {
        for (const cloudWatchLogs of [undefined, true, false]) out.push({ name: `compute ${String(cloudWatchLogs)} ${String(!!s3Access)}`, set: computeNodePolicy(c, { s3Access, cloudWatchLogs }) });
    }
    out.push({ name: "compute default", set: computeNodePolicy(c) });
    // Cluster-scoped (as ClusterNodeRoles builds them) with every node feature option.
    out.push({ name: "head slurm cluster", set: headNodePolicy(c, { scheduler: "slurm", clusterName: "hpc", consoleOutputQueues: ["q1", "gpu"], efsFileSystemIds: ["fs-0123456789abcdef0"], s3Access: S3_MIXED }) });
    out.push({ name: "head awsbatch cluster", set: headNodePolicy(c, { scheduler: "awsbatch", clusterName: "hpc" }) });
    out.push({ name: "login pool", set: loginNodePolicy(c, { clusterName: "hpc", poolName: "login", efsFileSystemIds: ["fs-0123456789abcdef0"] }) });
    out.push({ name: "compute cluster", set: computeNodePolicy(c, { clusterName: "hpc", efsFileSystemIds: ["fs-0123456789abcdef0"], s3Access: S3_MIXED }) });
    // Every opt-in feature at once (README D24-D26), on each EC2 principal.
    const r = c.region === "*" ? { aws: "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1" }[c.partition] : c.region;
    const features = {
        efsFileSystemIds: ["fs-0123456789abcdef0"],
        customCookbookS3Url: "s3://hpc-artifacts/cookbooks/cookbook.tgz",
    };
    for (const directoryServicePasswordArn of [secretFor(c), `arn:${c.partition}:ssm:${r}:${ACCOUNT}:parameter/ad-password`]) {
        out.push({ name: `head slurm features ${directoryServicePasswordArn}`, set: headNodePolicy(c, {
            scheduler: "slurm", clusterName: "hpc", consoleOutputQueues: ["q1"], ...features, directoryServicePasswordArn, loginNodes: true,
            mungeKeySecretArn: `arn:${c.partition}:secretsmanager:${r}:${ACCOUNT}:secret:munge-AbCdEf`,
            slurmdbdPasswordSecretArn: `arn:${c.partition}:secretsmanager:${r}:${ACCOUNT}:secret:slurmdbd-AbCdEf`,
            capacityReservationResourceGroupArns: [`arn:${c.partition}:resource-groups:${r}:${ACCOUNT}:group/odcr`],
        }) });
    }
    out.push({ name: "head awsbatch features", set: headNodePolicy(c, { scheduler: "awsbatch", clusterName: "hpc", directoryServicePasswordArn: secretFor(c), customCookbookS3Url: features.customCookbookS3Url }) });
    out.push({ name: "compute features", set: computeNodePolicy(c, { clusterName: "hpc", ...features }) });
    out.push({ name: "login features", set: loginNodePolicy(c, { clusterName: "hpc", poolName: "gui", ...features, s3Access: S3_MIXED, cloudWatchLogs: false }) });
    for (const scheduler of [undefined, "slurm", "awsbatch"] as (Scheduler | undefined)[]) {
        for (const vpc of [undefined, false, true]) out.push({ name: `lambda scheduler=${String(scheduler)} vpc=${String(vpc)}`, set: lambdaFunctionsPolicy(c, { vpc, scheduler }) });
    }
    out.push({ name: "lambda default", set: lambdaFunctionsPolicy(c) });
    out.push({ name: "imagebuilder", set: imageBuilderInstancePolicy(c) });
    for (const vpc of [undefined, false, true]) out.push({ name: `cleanup vpc=${String(vpc)}`, set: imageCleanupLambdaPolicy(c, { vpc }) });
    out.push({ name: "cleanup default", set: imageCleanupLambdaPolicy(c) });
    return out;
}

describe("node policies: the guide's documents", () => {
    it("head node (Slurm) with a secret reproduces the guide, plus only D16 and D19", () => {
        const set = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET] });
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-head-slurm")), { added: HEAD_SLURM_ADDED, removed: [] });
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("head node (AWS Batch) with a secret reproduces the guide, plus only D19 (errata fixed in the fixture)", () => {
        const doc = fixture("node-head-awsbatch");
        // The fixture carries the fixed object: the guide's snippet had lost its opening '{'.
        assert.ok(doc.Statement.some((s) => JSON.stringify(s.Action) === JSON.stringify(["batch:DescribeJobQueues", "batch:DescribeJobs", "batch:ListJobs", "batch:DescribeComputeEnvironments"])));
        const set = headNodePolicy(ctx, { scheduler: "awsbatch", secretArns: [SECRET] });
        assert.deepEqual(semanticDiff(set.inlinePolicy, doc), { added: D19_BATCH, removed: [] });
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("compute node reproduces the guide, plus only D19", () => {
        const set = computeNodePolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-compute")), { added: D19_COMPUTE, removed: [] });
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    });
    it("Lambda functions role reproduces the guide exactly, with no managed policy by default (scheduler slurm)", () => {
        const set = lambdaFunctionsPolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-lambda")), noDiff);
        assert.deepEqual(set.managedPolicyArns, []);
        assert.deepEqual(lambdaFunctionsPolicy(ctx, { scheduler: "slurm" }), set);
    });
    it("Image Builder instance role reproduces the guide exactly", () => {
        const set = imageBuilderInstancePolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-imagebuilder")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"]);
    });
    it("D28: image cleanup Lambda role is the guide's with its IAM and stack grants confined to what build-image creates (no VPC)", () => {
        const set = imageCleanupLambdaPolicy(ctx);
        assert.deepEqual(semanticDiff(set.inlinePolicy, cleanupAsD28()), noDiff);
        assert.notDeepEqual(semanticDiff(set.inlinePolicy, fixture("node-cleanup")), noDiff);
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
        assert.deepEqual(imageCleanupLambdaPolicy(ctx, { vpc: false }), set);
    });
});

describe("node policies: pinned deviations (docs/deviations/nodes.md)", () => {
    it("D1: without secretArns there is no GetSecretValue statement, and never a placeholder", () => {
        for (const scheduler of ["slurm", "awsbatch"] as Scheduler[]) {
            const doc = headNodePolicy(ctx, { scheduler }).inlinePolicy;
            assert.deepEqual(semanticDiff(doc, fixture(`node-head-${scheduler}`)), {
                added: scheduler === "slurm" ? HEAD_SLURM_ADDED : D19_BATCH,
                removed: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET }),
            });
        }
        const two = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET, SECRET2] }).inlinePolicy;
        assert.deepEqual(semanticDiff(two, fixture("node-head-slurm")), {
            added: plusD16(tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET2 })),
            removed: [],
        });
    });
    it("D2: cloudWatchLogs false drops CloudWatchAgentServerPolicy, keeps SSM and the document", () => {
        const head = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], cloudWatchLogs: false });
        assert.deepEqual(head.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        assert.deepEqual(semanticDiff(head.inlinePolicy, fixture("node-head-slurm")), { added: HEAD_SLURM_ADDED, removed: [] });
        const compute = computeNodePolicy(ctx, { cloudWatchLogs: false });
        assert.deepEqual(compute.managedPolicyArns, ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        assert.deepEqual(semanticDiff(compute.inlinePolicy, fixture("node-compute")), { added: D19_COMPUTE, removed: [] });
    });
    it("D3: in aws-cn the head node may pass roles to EC2 under either principal spelling", () => {
        const cn = makeContext({ accountId: ACCOUNT, region: "cn-north-1" });
        const doc = headNodePolicy(cn, { scheduler: "slurm" }).inlinePolicy;
        const passRole = doc.Statement.find((s) => JSON.stringify(s.Action).includes("iam:PassRole"));
        assert.deepEqual(passRole?.Condition, { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } });
        assert.deepEqual(passRole?.Resource, [`arn:aws-cn:iam::${ACCOUNT}:role/parallelcluster/*`, `arn:aws-cn:iam::${ACCOUNT}:instance-profile/parallelcluster/*`]);
    });
    it("D4: S3Access entries add exactly ParallelCluster's S3Read / S3ReadWrite statements", () => {
        const expected: PolicyStatement[] = [
            { Sid: "S3Read", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: ["arn:aws:s3:::team-data", "arn:aws:s3:::team-data/*", "arn:aws:s3:::team-inputs/in/*"] },
            { Sid: "S3ReadWrite", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::team-results/out/*"] },
        ];
        assert.deepEqual(s3AccessStatements(ctx, S3_MIXED), expected);
        assert.deepEqual(semanticDiff(headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], s3Access: S3_MIXED }).inlinePolicy, fixture("node-head-slurm")), {
            added: plusD16(tuplesOf(...expected)),
            removed: [],
        });
        assert.deepEqual(semanticDiff(computeNodePolicy(ctx, { s3Access: S3_MIXED }).inlinePolicy, fixture("node-compute")), {
            added: [...tuplesOf(...expected), ...D19_COMPUTE].sort(),
            removed: [],
        });
        assert.deepEqual(s3AccessStatements(ctx, []), []);
    });
    it("D5: vpc adds AWSLambdaVPCAccessExecutionRole, nothing else", () => {
        const set = lambdaFunctionsPolicy(ctx, { vpc: true });
        assert.deepEqual(set.managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-lambda")), noDiff);
    });
    it("D16: the Slurm head node adds ec2:CreateFleet (with RunInstances, on '*'), ec2:DescribeCapacityReservations and cloudformation:DescribeStacks", () => {
        const doc = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET] }).inlinePolicy;
        assert.deepEqual(semanticDiff(doc, fixture("node-head-slurm")), { added: HEAD_SLURM_ADDED, removed: [] });
        // CreateFleet sits in the RunInstances statement: same resource, no condition (as the current guide and the CDK have it).
        assert.deepEqual(doc.Statement.find((s) => asList(s.Action).includes("ec2:CreateFleet")), { Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet"], Resource: "*" });
        assert.deepEqual(
            doc.Statement.find((s) => asList(s.Action).includes("cloudformation:DescribeStacks"))?.Action,
            ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResource", "cloudformation:SignalResource"],
        );
        // The AWS Batch head node launches no instances: unchanged (it already had DescribeStacks in the guide).
        const batch = headNodePolicy(ctx, { scheduler: "awsbatch", secretArns: [SECRET] }).inlinePolicy;
        assert.deepEqual(semanticDiff(batch, fixture("node-head-awsbatch")), { added: D19_BATCH, removed: [] });
        for (const a of ["ec2:CreateFleet", "ec2:DescribeCapacityReservations", "ec2:RunInstances"]) {
            assert.ok(!batch.Statement.some((s) => asList(s.Action).includes(a)), a);
        }
        // The same three in every partition and with region '*'.
        for (const c of CONTEXTS) {
            const tuples = documentTuples(headNodePolicy(c, { scheduler: "slurm" }).inlinePolicy);
            for (const t of D16) assert.ok(tuples.has(t), `${c.partition}/${c.region}: ${t}`);
        }
    });
    it("D16: the simulator allows the new calls to the Slurm head node only", async () => {
        const slurm = headNodePolicy(ctx, { scheduler: "slurm" }).inlinePolicy;
        const batch = headNodePolicy(ctx, { scheduler: "awsbatch" }).inlinePolicy;
        const fleet = `arn:aws:ec2:us-east-1:${ACCOUNT}:fleet/fleet-0123456789abcdef0`;
        const stack = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/mycluster/0a1b2c3d-0000-1111-2222-333344445555`;
        assert.equal(await simulate({ identityPolicies: [slurm], action: "ec2:CreateFleet", resource: fleet }), "Allowed");
        assert.equal(await simulate({ identityPolicies: [slurm], action: "ec2:DescribeCapacityReservations", resource: "*" }), "Allowed");
        assert.equal(await simulate({ identityPolicies: [slurm], action: "cloudformation:DescribeStacks", resource: stack }), "Allowed");
        assert.equal(await simulate({ identityPolicies: [batch], action: "ec2:CreateFleet", resource: fleet }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: [batch], action: "ec2:DescribeCapacityReservations", resource: "*" }), "ImplicitlyDenied");
    });
    it("D19: ParallelCluster 3.9-3.12 node calls beyond the guide: DetachVolume, BatchGetItem; compute DescribeStackResource and PutItem", () => {
        for (const c of CONTEXTS) {
            const slurm = documentTuples(headNodePolicy(c, { scheduler: "slurm" }).inlinePolicy);
            const batch = documentTuples(headNodePolicy(c, { scheduler: "awsbatch" }).inlinePolicy);
            const compute = documentTuples(computeNodePolicy(c).inlinePolicy);
            const at = (t: string) => t.replace(/us-east-1/g, c.region).replace(/arn:aws:/g, `arn:${c.partition}:`);
            for (const t of D19_SLURM) assert.ok(slurm.has(at(t)), `${c.partition}/${c.region}: ${t}`);
            for (const t of D19_BATCH) assert.ok(batch.has(at(t)), `${c.partition}/${c.region}: ${t}`);
            for (const t of D19_COMPUTE) assert.ok(compute.has(at(t)), `${c.partition}/${c.region}: ${t}`);
        }
        // The AWS Batch head node has no DynamoDB table to read.
        assert.ok(!JSON.stringify(headNodePolicy(ctx, { scheduler: "awsbatch" })).includes("dynamodb:"));
    });
    it("D20: with clusterName the node documents name the cluster's own table, stack, artifacts and instances", () => {
        const head = JSON.stringify(headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc" }).inlinePolicy);
        for (const r of [
            `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/parallelcluster-hpc"`,
            `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/parallelcluster-slurm-hpc"`,
            `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/hpc/*`,
            "arn:aws:s3:::parallelcluster-*-v1-do-not-delete/parallelcluster/3.12.*/clusters/hpc-????????????????/*",
            `"ec2:ResourceTag/parallelcluster:cluster-name":"hpc"`,
            "arn:aws:route53:::hostedzone/*",
        ]) assert.ok(head.includes(r), r);
        assert.ok(!head.includes("table/parallelcluster-*"));
        const compute = JSON.stringify(computeNodePolicy(ctx, { clusterName: "hpc" }).inlinePolicy);
        for (const r of [
            `stack/hpc-ComputeFleetQueuesNestedStackQueuesNestedStackResource*/*`,
            `table/parallelcluster-hpc"`,
            `table/parallelcluster-slurm-hpc/index/*`,
        ]) assert.ok(compute.includes(r), r);
        // Long names: ParallelCluster keeps the first 46 characters of the lowercased name in the artifact directory.
        const long = "A".repeat(50);
        assert.ok(JSON.stringify(headNodePolicy(ctx, { scheduler: "slurm", clusterName: long }).inlinePolicy).includes(`clusters/${"a".repeat(46)}-????????????????/*`));
        assert.throws(() => computeNodePolicy(ctx, { clusterName: "1bad" }), /clusterName: '1bad' is not a valid cluster name/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", consoleOutputQueues: ["q1"] }), /consoleOutputQueues: given without clusterName/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", clusterName: "hpc", efsFileSystemIds: ["fs-0123456789abcdef0"] }), /scheduler: 'awsbatch' takes no efsFileSystemIds/);
        assert.throws(() => computeNodePolicy(ctx, { efsFileSystemIds: ["fs-xyz"] }), /efsFileSystemIds\[0\]: 'fs-xyz' is not an EFS file system ID/);
    });
    it("D17: scheduler awsbatch adds the ManageDockerImages function's ECR and CodeBuild statements, nothing else", () => {
        const set = lambdaFunctionsPolicy(ctx, { scheduler: "awsbatch" });
        assert.deepEqual(set.managedPolicyArns, []);
        assert.deepEqual(semanticDiff(set.inlinePolicy, fixture("node-lambda")), { added: tuplesOf(...d17Statements(ctx)), removed: [] });
        const vpc = lambdaFunctionsPolicy(ctx, { scheduler: "awsbatch", vpc: true });
        assert.deepEqual(vpc.managedPolicyArns, ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]);
        assert.deepEqual(vpc.inlinePolicy, set.inlinePolicy);
        for (const c of CONTEXTS) {
            const diff = semanticDiff(lambdaFunctionsPolicy(c, { scheduler: "awsbatch" }).inlinePolicy, lambdaFunctionsPolicy(c).inlinePolicy);
            assert.deepEqual(diff, { added: tuplesOf(...d17Statements(c)), removed: [] }, `${c.partition}/${c.region}`);
        }
        // No ECR or CodeBuild for Slurm.
        assert.ok(!/ecr:|codebuild:/.test(JSON.stringify(lambdaFunctionsPolicy(ctx, { scheduler: "slurm", vpc: true }))));
    });
    it("D17: the simulator allows exactly the cluster's image repository and build project calls", async () => {
        const doc = lambdaFunctionsPolicy(ctx, { scheduler: "awsbatch" }).inlinePolicy;
        const repo = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/mycluster-parallelclusterdockerimagesrepo-1a2b3c4d5e6f`;
        const project = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pcluster-mycluster-build-docker-images-project`;
        for (const action of ["ecr:ListImages", "ecr:BatchDeleteImage"]) {
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: repo }), "Allowed", action);
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: repo.replace("us-east-1", "us-west-2") }), "ImplicitlyDenied", action);
        }
        for (const action of ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]) {
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: project }), "Allowed", action);
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pcluster-other-project` }), "ImplicitlyDenied", action);
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/my-build-docker-images-project` }), "ImplicitlyDenied", action);
        }
        // Nothing the function does not do: no pushes, no repository deletion.
        for (const action of ["ecr:PutImage", "ecr:DeleteRepository"]) {
            assert.equal(await simulate({ identityPolicies: [doc], action, resource: repo }), "ImplicitlyDenied", action);
        }
        const slurm = lambdaFunctionsPolicy(ctx).inlinePolicy;
        assert.equal(await simulate({ identityPolicies: [slurm], action: "codebuild:StartBuild", resource: project }), "ImplicitlyDenied");
    });
    it("D18: vpc adds AWSLambdaVPCAccessExecutionRole to the cleanup Lambda role, nothing else", () => {
        for (const c of CONTEXTS) {
            const plain = imageCleanupLambdaPolicy(c);
            const set = imageCleanupLambdaPolicy(c, { vpc: true });
            assert.deepEqual(set.managedPolicyArns, [
                `arn:${c.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
                `arn:${c.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
            ]);
            assert.deepEqual(set.inlinePolicy, plain.inlinePolicy);
            // The same managed policy the Lambda functions role gets with vpc (D5).
            assert.ok(set.managedPolicyArns.includes(lambdaFunctionsPolicy(c, { vpc: true }).managedPolicyArns[0]));
        }
        assert.deepEqual(semanticDiff(imageCleanupLambdaPolicy(ctx, { vpc: true }).inlinePolicy, cleanupAsD28()), noDiff);
    });
    it("D28: the cleanup role deletes build-image's roles, profile and tagged image stack, nothing else of the account (IAM simulator)", async () => {
        const doc = imageCleanupLambdaPolicy(ctx).inlinePolicy;
        const iam = "arn:aws:iam::123456789012";
        const stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/my-image/0a1b2c3d-1111-2222-3333-444455556666";
        const allowed: Array<[string, string, Record<string, string>?]> = [
            ["iam:DeleteRole", `${iam}:role/parallelcluster/ParallelClusterImage-0a1b2c3d4e5f6a7b`],
            ["iam:DetachRolePolicy", `${iam}:role/parallelcluster/ParallelClusterImageCleanup-0a1b2c3d4e5f6a7b`],
            ["iam:RemoveRoleFromInstanceProfile", `${iam}:instance-profile/parallelcluster/ParallelClusterImage-0a1b2c3d4e5f6a7b`],
            ["cloudformation:DeleteStack", stack, { "aws:ResourceTag/parallelcluster:image_id": "my-image" }],
        ];
        for (const [action, resource, context] of allowed) assert.equal(await simulate({ identityPolicies: [doc], action, resource, context }), "Allowed", `${action} ${resource}`);
        const denied: Array<[string, string]> = [
            ["iam:DeleteRole", `${iam}:role/parallelcluster/hpc-head-node-0123456`],
            ["iam:DetachRolePolicy", `${iam}:role/parallelcluster/operator/prod-user-role-0123456`],
            ["iam:DeleteInstanceProfile", `${iam}:instance-profile/parallelcluster/hpc-compute-cpu-0123456`],
            ["cloudformation:DeleteStack", "arn:aws:cloudformation:us-east-1:123456789012:stack/payments/0a1b2c3d-1111-2222-3333-444455556666"],
        ];
        for (const [action, resource] of denied) assert.equal(await simulate({ identityPolicies: [doc], action, resource }), "ImplicitlyDenied", `${action} ${resource}`);
    });
});

describe("D29: the head node passes exactly the pre-created compute roles", () => {
    it("computeRoleArns replaces the path-wide PassRole, still to EC2 only; AWS Batch refuses it", async () => {
        const compute = ["arn:aws:iam::123456789012:role/parallelcluster/hpc-compute-cpu-0123456", "arn:aws:iam::123456789012:role/parallelcluster/hpc-compute-gpu-0123456"];
        const plain = headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc" }).inlinePolicy;
        const exact = headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc", computeRoleArns: compute }).inlinePolicy;
        const pass = (d: PolicyDocument) => d.Statement.filter((st) => asList(st.Action).includes("iam:PassRole"));
        assert.deepEqual(pass(exact).map((st) => st.Resource), [compute]);
        assert.deepEqual(pass(exact).map((st) => st.Condition), pass(plain).map((st) => st.Condition));
        // Everything else is the same document.
        assert.deepEqual(exact.Statement.filter((st) => !asList(st.Action).includes("iam:PassRole")), plain.Statement.filter((st) => !asList(st.Action).includes("iam:PassRole")));
        const ec2 = { "iam:PassedToService": "ec2.amazonaws.com" };
        assert.equal(await simulate({ identityPolicies: [exact], action: "iam:PassRole", resource: compute[1], context: ec2 }), "Allowed");
        for (const other of ["arn:aws:iam::123456789012:role/parallelcluster/images-image-builder-0123456", "arn:aws:iam::123456789012:role/parallelcluster/other-team-admin"]) {
            assert.equal(await simulate({ identityPolicies: [exact], action: "iam:PassRole", resource: other, context: ec2 }), "ImplicitlyDenied", other);
            assert.equal(await simulate({ identityPolicies: [plain], action: "iam:PassRole", resource: other, context: ec2 }), "Allowed", `the path-wide form passes ${other}`);
        }
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", computeRoleArns: compute }), /computeRoleArns: .* only supported with scheduler 'slurm'/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", computeRoleArns: ["arn:aws:iam::210987654321:role/parallelcluster/x"] }), /computeRoleArns\[0\]: .* not in account 123456789012/);
    });
});

/** D28 restated on the guide's document: role and profile grants on ParallelClusterImage*, DeleteStack on tagged image stacks. */
function cleanupAsD28(): PolicyDocument {
    const guide = fixture("node-cleanup");
    return {
        ...guide,
        Statement: guide.Statement.map((st): PolicyStatement => {
            const actions = asList(st.Action);
            if (actions.some((a) => a.startsWith("iam:"))) {
                return { ...st, Resource: asList(st.Resource).map((r) => r.replace(/\/parallelcluster\/\*$/, "/parallelcluster/ParallelClusterImage*")) };
            }
            if (actions.includes("cloudformation:DeleteStack")) return { ...st, Condition: { StringLike: { "aws:ResourceTag/parallelcluster:image_id": "*" } } };
            return st;
        }),
    };
}

describe("node policies: ParallelCluster 3.12 features (README D24-D26)", () => {
    const MUNGE = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:munge-AbCdEf`;
    const PARAM = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/ad-password`;
    const GROUP = `arn:aws:resource-groups:us-east-1:${ACCOUNT}:group/odcr`;
    const COOKBOOK = "s3://hpc-artifacts/cookbooks/cookbook.tgz";
    const base = headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc" }).inlinePolicy;
    const added = (opts: Partial<HeadNodeOptions>) => semanticDiff(headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc", ...opts }).inlinePolicy, base);
    it("D24: console output of the cluster's failed compute nodes, tag-scoped, only for the named queues", () => {
        const cond = { StringEquals: { "aws:ResourceTag/parallelcluster:queue-name": ["cpu", "gpu"], "aws:ResourceTag/parallelcluster:node-type": "Compute", "aws:ResourceTag/parallelcluster:cluster-name": "hpc" } };
        assert.deepEqual(added({ consoleOutputQueues: ["cpu", "gpu"] }), { added: tuplesOf({ Effect: "Allow", Action: "ec2:GetConsoleOutput", Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, Condition: cond }), removed: [] });
        assert.ok(!JSON.stringify(fixture("node-head-slurm")).includes("GetConsoleOutput"));
    });
    it("D25: each head-node feature option adds exactly ParallelCluster's statement on exactly the given ARN", () => {
        assert.deepEqual(added({ directoryServicePasswordArn: PARAM }), { added: tuplesOf({ Effect: "Allow", Action: "ssm:GetParameter", Resource: PARAM }), removed: [] });
        assert.deepEqual(added({ directoryServicePasswordArn: SECRET }), { added: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET }), removed: [] });
        assert.deepEqual(added({ mungeKeySecretArn: MUNGE }), { added: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: MUNGE }), removed: [] });
        assert.deepEqual(added({ mungeKeySecretArn: MUNGE, loginNodes: true }), {
            added: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: MUNGE }, { Effect: "Allow", Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"], Resource: "*" }).sort(),
            removed: [],
        });
        assert.deepEqual(added({ loginNodes: true }), noDiff);
        assert.deepEqual(added({ slurmdbdPasswordSecretArn: SECRET2 }), { added: tuplesOf({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET2 }), removed: [] });
        // ParallelCluster's AllowManagingReservedCapacity also lists RunInstances and CreateFleet on the group: already on "*".
        assert.deepEqual(added({ capacityReservationResourceGroupArns: [GROUP] }), { added: tuplesOf({ Effect: "Allow", Action: "resource-groups:ListGroupResources", Resource: GROUP }), removed: [] });
        const cookbook = tuplesOf({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::hpc-artifacts/cookbooks/cookbook.tgz" }, { Effect: "Allow", Action: "s3:GetBucketLocation", Resource: "arn:aws:s3:::hpc-artifacts" }).sort();
        assert.deepEqual(added({ customCookbookS3Url: COOKBOOK }), { added: cookbook, removed: [] });
        assert.deepEqual(semanticDiff(computeNodePolicy(ctx, { clusterName: "hpc", customCookbookS3Url: COOKBOOK }).inlinePolicy, computeNodePolicy(ctx, { clusterName: "hpc" }).inlinePolicy), { added: cookbook, removed: [] });
        // Slurm-only options refuse AWS Batch.
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", mungeKeySecretArn: MUNGE }), /mungeKeySecretArn: set with scheduler 'awsbatch'/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", capacityReservationResourceGroupArns: [GROUP] }), /capacityReservationResourceGroupArns: set with scheduler 'awsbatch'/);
    });
    it("D26: login pools: ParallelCluster's pool document with PutItem only, CloudWatchAgentServerPolicy only, S3Access opt-in", () => {
        const pool = loginNodePolicy(ctx, { clusterName: "hpc", poolName: "login" });
        const doc = JSON.stringify(pool.inlinePolicy);
        assert.ok(doc.includes("dynamodb:PutItem") && !doc.includes("dynamodb:UpdateItem") && !doc.includes("dynamodb:GetItem"));
        assert.deepEqual(pool.managedPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
        assert.deepEqual(semanticDiff(loginNodePolicy(ctx, { clusterName: "hpc", poolName: "login", s3Access: S3_MIXED }).inlinePolicy, pool.inlinePolicy), {
            added: tuplesOf(...s3AccessStatements(ctx, S3_MIXED)),
            removed: [],
        });
    });
});

describe("node policies: options", () => {
    it("adds passRoleArns to the head node's PassRole, keeping the /parallelcluster/ defaults", () => {
        const role = `arn:aws:iam::${ACCOUNT}:role/custom/compute-role`;
        const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/custom/compute-profile`;
        const doc = headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET], passRoleArns: [role, profile] }).inlinePolicy;
        const cond = { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } };
        assert.deepEqual(semanticDiff(doc, fixture("node-head-slurm")), {
            added: plusD16(tuplesOf({ Effect: "Allow", Action: "iam:PassRole", Resource: [role, profile], Condition: cond })),
            removed: [],
        });
    });
    it("region '*' puts '*' in regional ARNs and the region-named buckets", () => {
        const star = makeContext({ partition: "aws", accountId: ACCOUNT, region: "*" });
        const head = JSON.stringify(headNodePolicy(star, { scheduler: "slurm" }).inlinePolicy);
        for (const r of ["arn:aws:s3:::*-aws-parallelcluster/*", "arn:aws:s3:::dcv-license.*/*", `arn:aws:dynamodb:*:${ACCOUNT}:table/parallelcluster-*`, `arn:aws:ec2:*:${ACCOUNT}:instance/*`]) {
            assert.ok(head.includes(r), r);
        }
        assert.ok(!head.includes("us-east-1"));
        assert.ok(JSON.stringify(computeNodePolicy(star).inlinePolicy).includes("arn:aws:s3:::*-aws-parallelcluster/*"));
        assert.ok(JSON.stringify(imageBuilderInstancePolicy(star).inlinePolicy).includes("arn:aws:ec2:*::image/*"));
        assert.ok(JSON.stringify(imageCleanupLambdaPolicy(star).inlinePolicy).includes(`arn:aws:sns:*:${ACCOUNT}:ParallelClusterImage-*`));
        assert.ok(JSON.stringify(lambdaFunctionsPolicy(star).inlinePolicy).includes(`arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/pcluster-*`));
        const batchLambda = JSON.stringify(lambdaFunctionsPolicy(star, { scheduler: "awsbatch" }).inlinePolicy);
        assert.ok(batchLambda.includes(`arn:aws:ecr:*:${ACCOUNT}:repository/*`));
        assert.ok(batchLambda.includes(`arn:aws:codebuild:*:${ACCOUNT}:project/pcluster-*-build-docker-images-project`));
    });
    it("builds partition-correct ARNs everywhere (no 'arn:aws:' outside aws)", () => {
        for (const c of CONTEXTS.filter((x) => x.partition !== "aws")) {
            for (const { name, set } of allRoleSets(c)) {
                const text = JSON.stringify(set);
                assert.ok(!text.includes("arn:aws:"), `${c.partition} ${name}`);
                assert.ok(text.includes(`arn:${c.partition}:`), `${c.partition} ${name}`);
            }
        }
    });
    it("every managed policy ARN is on the allow-list (the VPC one with lambdaVpcAccess)", () => {
        for (const c of CONTEXTS) {
            for (const { name, set } of allRoleSets(c)) {
                for (const a of set.managedPolicyArns) {
                    const vpc = a.endsWith("/AWSLambdaVPCAccessExecutionRole");
                    assert.ok(isAllowedPolicyArn(a, c.partition, ACCOUNT, { lambdaVpcAccess: vpc }), `${name}: ${a}`);
                    if (vpc) assert.ok(!isAllowedPolicyArn(a, c.partition, ACCOUNT), a);
                }
            }
        }
    });
    it("every document passes the reference check, fits IAM's limits and has no placeholder", async () => {
        let checked = 0;
        for (const c of CONTEXTS) {
            for (const { name, set } of allRoleSets(c)) {
                assert.deepEqual(await checkDocumentReference(set.inlinePolicy), [], `${c.partition}/${c.region} ${name}`);
                const size = policySize(set.inlinePolicy);
                assert.ok(size <= ROLE_INLINE_POLICIES_MAX_CHARS, `${name}: ${size}`);
                // None of these needs the inline allowance: each would also fit a managed policy.
                assert.ok(size <= MANAGED_POLICY_MAX_CHARS, `${name}: ${size}`);
                assert.ok(!/[<>]/.test(JSON.stringify(set)), name);
                assert.ok(set.managedPolicyArns.length <= 10, name);
                checked++;
            }
        }
        assert.equal(checked, 6 * 67);
    });
});

describe("node policies: bad options name the option and the value", () => {
    it("rejects a malformed secret ARN", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: ["not-an-arn"] }), /secretArns\[0\]: 'not-an-arn' is not an ARN; expected arn:aws:secretsmanager:/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x`] }), /secretArns\[0\]: 'arn:aws:ssm:.*' is not a Secrets Manager secret ARN/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", secretArns: [SECRET, SECRET] }), /secretArns: 'arn:aws:secretsmanager:.*' appears more than once/);
    });
    it("rejects a secret from another partition", () => {
        const cn = `arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:x`;
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", secretArns: [cn] }), /secretArns\[0\]: 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x' is in partition 'aws-cn', not 'aws'/);
    });
    it("rejects bad or empty S3 bucket names and bad key names", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", s3Access: [{ bucketName: "Bad_Bucket" }] }), /s3Access\[0\]\.bucketName: 'Bad_Bucket' is not a valid S3 bucket name/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket" }, { bucketName: "" }] }), /s3Access\[1\]\.bucketName: '' is empty/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "team-*" }] }), /s3Access\[0\]\.bucketName: 'team-\*' is not a valid S3 bucket name/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket", keyName: "/abs/path" }] }), /s3Access\[0\]\.keyName: '\/abs\/path' is not a valid S3 key name; expected .*not starting with '\/'/);
        assert.throws(() => computeNodePolicy(ctx, { s3Access: [{ bucketName: "ok-bucket", keyName: "" }] }), /s3Access\[0\]\.keyName: '' is not a valid S3 key name/);
        assert.throws(() => s3AccessStatements(ctx, [{ bucketName: "ok-bucket", keyName: "a\nb" }], "SlurmQueues[0].Iam.S3Access"), /SlurmQueues\[0\]\.Iam\.S3Access\[0\]\.keyName: 'a\nb' is not a valid S3 key name/);
    });
    it("rejects an unknown scheduler", () => {
        assert.throws(() => headNodePolicy(ctx, { scheduler: "sge" as Scheduler }), /scheduler: 'sge' is not a supported scheduler; allowed: slurm, awsbatch/);
        assert.throws(() => lambdaFunctionsPolicy(ctx, { scheduler: "sge" as Scheduler }), /scheduler: 'sge' is not a supported scheduler; allowed: slurm, awsbatch/);
        assert.throws(() => lambdaFunctionsPolicy(ctx, { scheduler: "" as Scheduler }), /scheduler: '' is not a supported scheduler/);
        assert.throws(() => lambdaFunctionsPolicy(ctx, { scheduler: null as unknown as Scheduler }), /scheduler: 'null' is not a supported scheduler/);
    });
    it("rejects a passRoleArn that is not a role or instance profile of this account", () => {
        assert.throws(
            () => headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: [`arn:aws:iam::${ACCOUNT}:policy/parallelcluster/x`] }),
            /passRoleArns\[0\]: 'arn:aws:iam::123456789012:policy\/parallelcluster\/x' is not an IAM role ARN; .*instance-profile/,
        );
        assert.throws(() => headNodePolicy(ctx, { scheduler: "slurm", passRoleArns: ["arn:aws:iam::210987654321:role/x"] }), /passRoleArns\[0\]: 'arn:aws:iam::210987654321:role\/x' is not in account 123456789012/);
        assert.throws(() => headNodePolicy(ctx, { scheduler: "awsbatch", passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/x`] }), /passRoleArns: 'arn:aws:iam::123456789012:role\/x' is only supported with scheduler 'slurm'/);
    });
    it("rejects non-boolean switches and malformed contexts", () => {
        assert.throws(() => computeNodePolicy(ctx, { cloudWatchLogs: "no" as unknown as boolean }), /cloudWatchLogs: 'no' is not a boolean/);
        assert.throws(() => lambdaFunctionsPolicy(ctx, { vpc: 1 as unknown as boolean }), /vpc: '1' is not a boolean/);
        assert.throws(() => imageCleanupLambdaPolicy(ctx, { vpc: "yes" as unknown as boolean }), /vpc: 'yes' is not a boolean; expected true or false/);
        assert.throws(() => imageCleanupLambdaPolicy(ctx, null as unknown as { vpc?: boolean }), /opts: 'null' is not an options object/);
        assert.throws(() => imageBuilderInstancePolicy({ partition: "aws", accountId: "42", region: "us-east-1" }), /accountId: '42'/);
        assert.throws(() => imageCleanupLambdaPolicy({ partition: "aws", accountId: ACCOUNT, region: "cn-north-1" }), /partition: 'aws' does not match region 'cn-north-1'/);
    });
});
