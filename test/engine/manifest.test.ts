import * as assert from "node:assert/strict";
import { buildManifest } from "../../tools/manifest";
import { AwsMocks, INSTANCE_PROFILE, POLICY, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT, RecordedResource } from "../../components/testing/mocks";

const ACCOUNT = "123456789012";
const doc = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com.cn" }, Action: "sts:AssumeRole" }] };

/** Resources recorded the way the engine records them: through the mocks, in China to keep partitions honest. */
function recorded() {
    const m = new AwsMocks({ region: "cn-north-1", accountId: ACCOUNT });
    const parent = "urn:pulumi:prod::parallelcluster-iam::parallelcluster-iam:index:ClusterNodeRoles::hpc";
    const resources: RecordedResource[] = [];
    const add = (type: string, name: string, inputs: Record<string, unknown>, custom = true) => {
        const urn = custom ? `${parent}$${type}::${name}` : parent;
        const { id, state }: { id: string | null; state: Record<string, unknown> } = custom ? m.register({ type, name, urn, parentUrn: parent }, inputs) : { id: null, state: {} };
        resources.push({ type, name, urn, parentUrn: custom ? parent : null, custom, id, inputs, state });
        return state;
    };
    add("parallelcluster-iam:index:ClusterNodeRoles", "hpc", {}, false);
    const boundary = add(POLICY, "boundary", { name: "parallelcluster-boundary", path: "/parallelcluster/", policy: JSON.stringify(doc("ec2:*")), tags: { "parallelcluster-iam:purpose": "permissions-boundary" } });
    const head = add(ROLE, "hpc-head-node", {
        path: "/parallelcluster/",
        assumeRolePolicy: JSON.stringify(trust),
        permissionsBoundary: boundary.arn,
        tags: { "parallelcluster-iam:purpose": "head-node", "parallelcluster-iam:cluster": "hpc", "parallelcluster-iam:scheduler": "slurm" },
    });
    const compute = add(ROLE, "hpc-queue1", {
        name: "hpc-queue1",
        path: "/parallelcluster/",
        assumeRolePolicy: JSON.stringify(trust),
        tags: { "parallelcluster-iam:purpose": "compute-node", "parallelcluster-iam:cluster": "hpc", "parallelcluster-iam:queue": "queue1" },
    });
    for (const n of ["CloudWatchAgentServerPolicy", "AmazonSSMManagedInstanceCore"]) {
        add(ROLE_POLICY_ATTACHMENT, `hpc-head-node-${n}`, { role: head.name, policyArn: `arn:aws-cn:iam::aws:policy/${n}` });
    }
    add(ROLE_POLICY, "hpc-head-node-b", { name: "b-policy", role: head.name, policy: JSON.stringify(doc("s3:GetObject")) });
    add(ROLE_POLICY, "hpc-head-node-a", { name: "a-policy", role: head.name, policy: JSON.stringify(doc("ec2:DescribeInstances")) });
    add(INSTANCE_PROFILE, "hpc-head-node", { path: "/parallelcluster/", role: head.name });
    const user = add(POLICY, "user-base", { name: "parallelcluster-user-base", path: "/parallelcluster/", policy: JSON.stringify(doc("cloudformation:*")), tags: { "parallelcluster-iam:purpose": "cluster-user" } });
    add(ROLE_POLICY_ATTACHMENT, "existing-user", { role: "PClusterOperators", policyArn: user.arn });
    add(ROLE_POLICY, "api-access", { role: "ParallelClusterApiFunctionRole", policy: JSON.stringify(doc("iam:AttachRolePolicy")) });
    return { resources, head, compute, boundary, user };
}

describe("engine manifest", () => {
    const { resources, head, compute, boundary, user } = recorded();
    const manifest = buildManifest({ stack: "prod", partition: "aws-cn", accountId: ACCOUNT, region: "cn-north-1", resources });

    it("lists every role the stack creates, sorted by name, with tags, documents and attachments resolved", () => {
        assert.deepEqual(manifest.roles.map((r) => r.name), [String(compute.name), String(head.name)].sort());
        const h = manifest.roles.find((r) => r.name === head.name)!;
        assert.deepEqual(h, {
            purpose: "head-node",
            cluster: "hpc",
            queue: null,
            pool: null,
            scheduler: "slurm",
            name: head.name,
            path: "/parallelcluster/",
            arn: `arn:aws-cn:iam::${ACCOUNT}:role/parallelcluster/${String(head.name)}`,
            trustPolicy: trust,
            permissionsBoundary: boundary.arn,
            managedPolicyArns: ["arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"],
            inlinePolicies: { "a-policy": doc("ec2:DescribeInstances"), "b-policy": doc("s3:GetObject") },
            instanceProfile: { name: h.instanceProfile!.name, path: "/parallelcluster/", arn: `arn:aws-cn:iam::${ACCOUNT}:instance-profile/parallelcluster/${h.instanceProfile!.name}` },
        });
        assert.deepEqual(Object.keys(h.inlinePolicies), ["a-policy", "b-policy"], "inline policies in name order");
        const c = manifest.roles.find((r) => r.name === "hpc-queue1")!;
        assert.deepEqual([c.purpose, c.queue, c.scheduler, c.permissionsBoundary, c.managedPolicyArns, c.instanceProfile], ["compute-node", "queue1", null, null, [], null]);
    });

    it("lists customer policies and the inline grant on an existing role, documents parsed", () => {
        assert.deepEqual(manifest.policies, [
            { purpose: "api-function-access", name: manifest.policies[0].name, path: null, arn: null, document: doc("iam:AttachRolePolicy"), role: "ParallelClusterApiFunctionRole" },
            { purpose: "permissions-boundary", name: "parallelcluster-boundary", path: "/parallelcluster/", arn: boundary.arn, document: doc("ec2:*") },
            { purpose: "cluster-user", name: "parallelcluster-user-base", path: "/parallelcluster/", arn: user.arn, document: doc("cloudformation:*"), existingRoles: ["PClusterOperators"] },
        ]);
        assert.match(manifest.policies[0].name, /^api-access-[0-9a-f]{7}$/);
    });

    it("carries the pack's findings, sorted, and the stack's identity", () => {
        const withFindings = buildManifest({
            stack: "prod", partition: "aws-cn", accountId: ACCOUNT, region: "cn-north-1", resources,
            violations: [
                { policy: "z-policy", level: "advisory", message: "later", urn: "urn:b" },
                { policy: "a-policy", level: "mandatory", message: "first", urn: "urn:a" },
            ],
        });
        assert.deepEqual(withFindings.violations.map((v) => v.policy), ["a-policy", "z-policy"]);
        assert.deepEqual([manifest.stack, manifest.partition, manifest.accountId, manifest.region, manifest.violations], ["prod", "aws-cn", ACCOUNT, "cn-north-1", []]);
        assert.deepEqual(Object.keys(manifest), ["stack", "partition", "accountId", "region", "parallelClusterVersion", "config", "roles", "policies", "outputs", "violations"]);
    });

    it("is stable: the same resources give the same JSON", () => {
        const again = buildManifest({ stack: "prod", partition: "aws-cn", accountId: ACCOUNT, region: "cn-north-1", resources: recorded().resources });
        assert.equal(JSON.stringify(again), JSON.stringify(manifest));
    });
});
