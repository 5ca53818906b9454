/**
 * ParallelCluster 3.12's own node and Lambda role documents (CDK, resolved: test/fixtures/parallelcluster-3.12/nodes)
 * against the project's principal of the same purpose, with the IAM simulator: every request ParallelCluster's
 * document grants is allowed, or it is a pinned exception with its reason (docs/parallelcluster-grants.md).
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { headNodePolicy } from "../../components/policies/headNode";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { loginNodePolicy } from "../../components/policies/loginNode";
import { Partition } from "../../components/policies/partition";
import { permissionsBoundaryPolicy } from "../../components/policies/permissionsBoundary";
import { PolicyDocument } from "../../components/policies/types";
import { validateParallelClusterVersion, DEFAULT_PARALLELCLUSTER_VERSION, SUPPORTED_PARALLELCLUSTER_VERSIONS } from "../../components/policies/version";
import { simulate } from "../support/simulate";
import { PC_ACCOUNT, PC_CLUSTER, PC_REGION, PinnedException, realRequestContext, checkFixture, pcDocument } from "./pcFixtures";

const ctxOf = (p: Partition): PolicyContext => makeContext({ partition: p, accountId: PC_ACCOUNT, region: PC_REGION[p] });

/** Grants in ParallelCluster's head-node documents with no caller on the head node. */
export const HEAD_PINS: PinnedException[] = [
    {
        action: "s3:ListBucket",
        resource: "-v1-do-not-delete",
        why: "ResourcesS3Bucket: no head-node caller lists the cluster bucket (fetch_config.rb uses get-object with a version id)",
    },
    {
        action: "s3:GetBucketLocation",
        resource: "-v1-do-not-delete",
        why: "ResourcesS3Bucket: no head-node caller asks the cluster bucket's location (only the custom-cookbook path does, customCookbookBucket)",
    },
];

/** What the Slurm head node's real requests carry that ParallelCluster's unconditioned statements do not state. */
const HEAD_CONTEXT = realRequestContext("head-node", { cluster: PC_CLUSTER, scheduler: "slurm" });

describe("ParallelCluster version", () => {
    it("supports 3.12 by default and refuses anything else by name", () => {
        assert.deepEqual([...SUPPORTED_PARALLELCLUSTER_VERSIONS], ["3.12"]);
        assert.equal(DEFAULT_PARALLELCLUSTER_VERSION, "3.12");
        assert.equal(validateParallelClusterVersion(undefined), "3.12");
        assert.equal(validateParallelClusterVersion("3.12"), "3.12");
        assert.throws(() => validateParallelClusterVersion("3.8"), /^Error: parallelClusterVersion: '3.8' is not supported; supported: 3.12$/);
        assert.throws(() => validateParallelClusterVersion("3.12.0"), /parallelClusterVersion: '3.12.0' is not supported/);
        assert.throws(() => validateParallelClusterVersion(3.12), /parallelClusterVersion: '3.12' is not supported/);
        assert.throws(() => headNodePolicy(ctxOf("aws"), { scheduler: "slurm", parallelClusterVersion: "3.9" }), /parallelClusterVersion: '3.9' is not supported; supported: 3.12/);
    });
});

for (const partition of ["aws", "aws-cn", "aws-us-gov"] as Partition[]) {
    describe(`ParallelCluster 3.12 node documents, simulated (${partition})`, () => {
        const ctx = ctxOf(partition);
        it("Slurm head node: every request of ParallelCluster's head-node policies is allowed, but the pinned", async () => {
            const doc = headNodePolicy(ctx, { scheduler: "slurm", clusterName: PC_CLUSTER, consoleOutputQueues: ["q1"] }).inlinePolicy;
            const out = await checkFixture(pcDocument("nodes/slurm/head-node.json", partition), ctx, [doc], HEAD_PINS, HEAD_CONTEXT);
            assert.deepEqual(out.unexpected, []);
            assert.deepEqual(out.unusedPins, []);
            assert.ok(out.requests > 30, String(out.requests));
        });
        it("Slurm head node without consoleOutputQueues: only the console-output grant is missing", async () => {
            const doc = headNodePolicy(ctx, { scheduler: "slurm", clusterName: PC_CLUSTER }).inlinePolicy;
            const pins = [...HEAD_PINS, { action: "ec2:GetConsoleOutput", resource: "*", why: "opt-in: consoleOutputQueues" }];
            const out = await checkFixture(pcDocument("nodes/slurm/head-node.json", partition), ctx, [doc], pins, HEAD_CONTEXT);
            assert.deepEqual(out.unexpected, []);
            assert.deepEqual(out.unusedPins, []);
        });
        it("compute node: every request of ParallelCluster's compute policies is allowed, but UpdateItem and GetItem", async () => {
            const doc = computeNodePolicy(ctx, { clusterName: PC_CLUSTER }).inlinePolicy;
            const pins: PinnedException[] = [
                { action: "dynamodb:UpdateItem", resource: `table/parallelcluster-${PC_CLUSTER}`, why: "DynamoDBTable: no compute-side caller (cookbook, node daemons) updates the cluster table" },
                { action: "dynamodb:GetItem", resource: `table/parallelcluster-${PC_CLUSTER}`, why: "DynamoDBTable: no compute-side caller reads the cluster table" },
            ];
            const out = await checkFixture(pcDocument("nodes/slurm/compute-q1.json", partition), ctx, [doc], pins);
            assert.deepEqual(out.unexpected, []);
            assert.deepEqual(out.unusedPins, []);
        });
        it("AWS Batch head node: every request is allowed, but the pinned", async () => {
            const doc = headNodePolicy(ctx, { scheduler: "awsbatch", clusterName: PC_CLUSTER }).inlinePolicy;
            const context = realRequestContext("head-node", { cluster: PC_CLUSTER, scheduler: "awsbatch" });
            const out = await checkFixture(pcDocument("nodes/awsbatch/head-node.json", partition), ctx, [doc], HEAD_PINS, context);
            assert.deepEqual(out.unexpected, []);
            assert.deepEqual(out.unusedPins, []);
        });
        it("Lambda functions role (Slurm and AWS Batch): every request is allowed", async () => {
            const context = realRequestContext("lambda-functions", { cluster: PC_CLUSTER });
            for (const scheduler of ["slurm", "awsbatch"] as const) {
                const doc = lambdaFunctionsPolicy(ctx, { scheduler }).inlinePolicy;
                const out = await checkFixture(pcDocument(`nodes/${scheduler}/lambda-functions-role.json`, partition), ctx, [doc], [], context);
                assert.deepEqual(out.unexpected, [], scheduler);
            }
        });
        it("the permissions boundary allows every request the cluster-scoped node documents make", async () => {
            const boundary = permissionsBoundaryPolicy(ctx);
            const head = headNodePolicy(ctx, { scheduler: "slurm", clusterName: PC_CLUSTER, consoleOutputQueues: ["q1"] }).inlinePolicy;
            const out = await checkFixture(pcDocument("nodes/slurm/head-node.json", partition), ctx, [head], HEAD_PINS, HEAD_CONTEXT, boundary);
            assert.deepEqual(out.unexpected, []);
            const compute = computeNodePolicy(ctx, { clusterName: PC_CLUSTER }).inlinePolicy;
            const pins: PinnedException[] = [{ action: "dynamodb:UpdateItem", resource: "*", why: "as above" }, { action: "dynamodb:GetItem", resource: "*", why: "as above" }];
            assert.deepEqual((await checkFixture(pcDocument("nodes/slurm/compute-q1.json", partition), ctx, [compute], pins, [], boundary)).unexpected, []);
        });
    });
}

describe("ParallelCluster 3.12 node documents: the project stays within the cluster", () => {
    const ctx = ctxOf("aws");
    const head = headNodePolicy(ctx, { scheduler: "slurm", clusterName: PC_CLUSTER }).inlinePolicy;
    const compute = computeNodePolicy(ctx, { clusterName: PC_CLUSTER }).inlinePolicy;
    const A = PC_ACCOUNT;
    it("compute: its own queues stack and table only", async () => {
        const queues = `arn:aws:cloudformation:us-east-1:${A}:stack/hpc-ComputeFleetQueuesNestedStackQueuesNestedStackResource4C142E85-ABC/1111`;
        assert.equal(await simulate({ identityPolicies: [compute], action: "cloudformation:DescribeStackResource", resource: queues }), "Allowed");
        for (const other of [queues.replace("stack/hpc-", "stack/other-"), `arn:aws:cloudformation:us-east-1:${A}:stack/hpc/1111`, queues.replace("stack/hpc-", "stack/hpc-x-")]) {
            assert.equal(await simulate({ identityPolicies: [compute], action: "cloudformation:DescribeStackResource", resource: other }), "ImplicitlyDenied", other);
        }
        assert.equal(await simulate({ identityPolicies: [compute], action: "dynamodb:PutItem", resource: `arn:aws:dynamodb:us-east-1:${A}:table/parallelcluster-hpc` }), "Allowed");
        for (const t of ["parallelcluster-other", "parallelcluster-slurm-hpc", "parallelcluster-hpc2"]) {
            assert.equal(await simulate({ identityPolicies: [compute], action: "dynamodb:PutItem", resource: `arn:aws:dynamodb:us-east-1:${A}:table/${t}` }), "ImplicitlyDenied", t);
        }
        assert.equal(await simulate({ identityPolicies: [compute], action: "dynamodb:Query", resource: `arn:aws:dynamodb:us-east-1:${A}:table/parallelcluster-slurm-other/index/InstanceId` }), "ImplicitlyDenied");
    });
    it("head node: its own artifacts, tables, stack and compute nodes only", async () => {
        const obj = (dir: string) => `arn:aws:s3:::parallelcluster-89e4e5f1cd12e98b-v1-do-not-delete/parallelcluster/3.12.0/clusters/${dir}/configs/cluster-config.yaml`;
        assert.equal(await simulate({ identityPolicies: [head], action: "s3:GetObject", resource: obj("hpc-a1b2c3d4e5f6g7h8") }), "Allowed");
        for (const d of ["hpc-x-a1b2c3d4e5f6g7h8", "other-a1b2c3d4e5f6g7h8", "hpc-a1b2"]) {
            assert.equal(await simulate({ identityPolicies: [head], action: "s3:GetObject", resource: obj(d) }), "ImplicitlyDenied", d);
        }
        assert.equal(await simulate({ identityPolicies: [head], action: "dynamodb:BatchGetItem", resource: `arn:aws:dynamodb:us-east-1:${A}:table/parallelcluster-other` }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: [head], action: "cloudformation:DescribeStacks", resource: `arn:aws:cloudformation:us-east-1:${A}:stack/other/1111` }), "ImplicitlyDenied");
        const instance = `arn:aws:ec2:us-east-1:${A}:instance/i-0123456789abcdef0`;
        const tags = (cluster: string, type: string) => ({ "ec2:ResourceTag/parallelcluster:cluster-name": cluster, "ec2:ResourceTag/parallelcluster:node-type": type });
        assert.equal(await simulate({ identityPolicies: [head], action: "ec2:TerminateInstances", resource: instance, context: tags("hpc", "Compute") }), "Allowed");
        assert.equal(await simulate({ identityPolicies: [head], action: "ec2:TerminateInstances", resource: instance, context: tags("other", "Compute") }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: [head], action: "ec2:TerminateInstances", resource: instance, context: tags("hpc", "HeadNode") }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: [head], action: "ec2:DetachVolume", resource: `arn:aws:ec2:us-east-1:${A}:volume/vol-0123456789abcdef0` }), "Allowed");
    });
});

describe("ParallelCluster 3.12 login-node pool role, simulated", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"] as Partition[]) {
        it(`every request of ParallelCluster's login-pool policy is allowed, but UpdateItem and GetItem (${partition})`, async () => {
            const ctx = ctxOf(partition);
            const doc = loginNodePolicy(ctx, { clusterName: PC_CLUSTER, poolName: "login" }).inlinePolicy;
            const pins: PinnedException[] = [
                { action: "dynamodb:UpdateItem", resource: `table/parallelcluster-${PC_CLUSTER}`, why: "DynamoDBTable: no login-node caller updates the cluster table" },
                { action: "dynamodb:GetItem", resource: `table/parallelcluster-${PC_CLUSTER}`, why: "DynamoDBTable: no login-node caller reads the cluster table" },
            ];
            const out = await checkFixture(pcDocument("nodes/slurm/login-login.json", partition), ctx, [doc], pins, [], permissionsBoundaryPolicy(ctx));
            assert.deepEqual(out.unexpected, []);
            assert.deepEqual(out.unusedPins, []);
        });
    }
    it("names only its own pool's group and the cluster's stacks", async () => {
        const doc = loginNodePolicy(ctxOf("aws"), { clusterName: PC_CLUSTER, poolName: "login" }).inlinePolicy;
        const asg = (name: string) => `arn:aws:autoscaling:us-east-1:${PC_ACCOUNT}:autoScalingGroup:1234:autoScalingGroupName/${name}`;
        assert.equal(await simulate({ identityPolicies: [doc], action: "autoscaling:CompleteLifecycleAction", resource: asg("hpc-login-AutoScalingGroup") }), "Allowed");
        assert.equal(await simulate({ identityPolicies: [doc], action: "autoscaling:CompleteLifecycleAction", resource: asg("hpc-other-AutoScalingGroup") }), "ImplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: [doc], action: "cloudformation:DescribeStackResource", resource: `arn:aws:cloudformation:us-east-1:${PC_ACCOUNT}:stack/other/1` }), "ImplicitlyDenied");
        assert.throws(() => loginNodePolicy(ctxOf("aws"), { clusterName: PC_CLUSTER, poolName: "Bad_Pool" }), /poolName: 'Bad_Pool' is not a valid pool name/);
    });
});

describe("ParallelCluster 3.12 opt-in node features (HeadNodeIamResources / NodeIamResourcesBase), simulated", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"] as Partition[]) {
        const ctx = ctxOf(partition);
        const P = partition;
        const R = PC_REGION[partition];
        const A = PC_ACCOUNT;
        const secret = (n: string) => `arn:${P}:secretsmanager:${R}:${A}:secret:${n}-AbCdEf`;
        const parameter = `arn:${P}:ssm:${R}:${A}:parameter/ad-password`;
        const group = `arn:${P}:resource-groups:${R}:${A}:group/hpc-odcrs`;
        const cookbook = "s3://hpc-artifacts/cookbooks/aws-parallelcluster-cookbook-3.12.0.tgz";
        const efs = (id: string) => `arn:${P}:elasticfilesystem:${R}:${A}:file-system/${id}`;
        // The boundary lists what the bound roles are configured to use; no other secret, parameter or bucket.
        const boundary = permissionsBoundaryPolicy(ctx, { secretArns: [secret("munge"), secret("slurmdbd")], parameterArns: [parameter], s3Buckets: ["hpc-artifacts"] });
        const decide = (doc: PolicyDocument, action: string, resource: string, context?: Record<string, string>) =>
            simulate({ identityPolicies: [doc], boundary, action, resource, context });

        it(`each head-node feature reaches exactly its configured resource, under the boundary too (${partition})`, async () => {
            const head = headNodePolicy(ctx, {
                scheduler: "slurm", clusterName: PC_CLUSTER, loginNodes: true,
                directoryServicePasswordArn: parameter, mungeKeySecretArn: secret("munge"), slurmdbdPasswordSecretArn: secret("slurmdbd"),
                capacityReservationResourceGroupArns: [group], efsFileSystemIds: ["fs-0123456789abcdef0"], customCookbookS3Url: cookbook,
            }).inlinePolicy;
            const plain = headNodePolicy(ctx, { scheduler: "slurm", clusterName: PC_CLUSTER }).inlinePolicy;
            const cases: [string, string, string][] = [
                ["ssm:GetParameter", parameter, parameter.replace("ad-password", "other")],
                ["secretsmanager:GetSecretValue", secret("munge"), secret("other")],
                ["secretsmanager:GetSecretValue", secret("slurmdbd"), secret("slurmdbd2")],
                ["resource-groups:ListGroupResources", group, group.replace("hpc-odcrs", "other")],
                ["elasticfilesystem:ClientMount", efs("fs-0123456789abcdef0"), efs("fs-0123456789abcdef1")],
                ["s3:GetObject", `arn:${P}:s3:::hpc-artifacts/cookbooks/aws-parallelcluster-cookbook-3.12.0.tgz`, `arn:${P}:s3:::hpc-artifacts/cookbooks/other.tgz`],
                ["s3:GetBucketLocation", `arn:${P}:s3:::hpc-artifacts`, `arn:${P}:s3:::other-artifacts`],
            ];
            for (const [action, yes, no] of cases) {
                assert.equal(await decide(head, action, yes), "Allowed", `${action} ${yes}`);
                assert.equal(await decide(head, action, no), "ImplicitlyDenied", `${action} ${no}`);
                assert.equal(await decide(plain, action, yes), "ImplicitlyDenied", `without the option: ${action} ${yes}`);
            }
            // check_login_nodes_stopped.sh: elbv2 describe calls take no resource.
            for (const action of ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"]) {
                assert.equal(await decide(head, action, "*"), "Allowed", action);
                assert.equal(await decide(plain, action, "*"), "ImplicitlyDenied", action);
            }
        });

        it(`compute and login nodes: EFS and the custom cookbook only when configured (${partition})`, async () => {
            const opts = { efsFileSystemIds: ["fs-0123456789abcdef0"], customCookbookS3Url: cookbook };
            const compute = computeNodePolicy(ctx, { clusterName: PC_CLUSTER, ...opts }).inlinePolicy;
            const login = loginNodePolicy(ctx, { clusterName: PC_CLUSTER, poolName: "login", ...opts }).inlinePolicy;
            for (const doc of [compute, login]) {
                assert.equal(await decide(doc, "elasticfilesystem:ClientWrite", efs("fs-0123456789abcdef0")), "Allowed");
                assert.equal(await decide(doc, "s3:GetObject", `arn:${P}:s3:::hpc-artifacts/cookbooks/aws-parallelcluster-cookbook-3.12.0.tgz`), "Allowed");
                assert.equal(await decide(doc, "secretsmanager:GetSecretValue", secret("munge")), "ImplicitlyDenied");
            }
            for (const doc of [computeNodePolicy(ctx, { clusterName: PC_CLUSTER }).inlinePolicy, loginNodePolicy(ctx, { clusterName: PC_CLUSTER, poolName: "login" }).inlinePolicy]) {
                assert.equal(await decide(doc, "elasticfilesystem:ClientMount", efs("fs-0123456789abcdef0")), "ImplicitlyDenied");
                assert.equal(await decide(doc, "s3:GetBucketLocation", `arn:${P}:s3:::hpc-artifacts`), "ImplicitlyDenied");
            }
        });
    }

    it("login pools get the managed policies ParallelCluster attaches to them (CloudWatchAgentServerPolicy with logs)", () => {
        const managed = JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "parallelcluster-3.12", "nodes", "managed-policies.json"), "utf8")) as Record<string, string[]>;
        assert.deepEqual(loginNodePolicy(ctxOf("aws"), { clusterName: PC_CLUSTER, poolName: "login" }).managedPolicyArns, managed["slurm/login-login.json"]);
        assert.deepEqual(loginNodePolicy(ctxOf("aws"), { clusterName: PC_CLUSTER, poolName: "login", cloudWatchLogs: false }).managedPolicyArns, []);
    });
});
