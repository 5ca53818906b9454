import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { ClusterNodeRoles, ClusterNodeRolesArgs } from "../../components";
import { arnLike } from "../../components/policies/allowlist";
import { makeContext } from "../../components/policies/context";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { headNodePolicy } from "../../components/policies/headNode";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { ec2TrustPolicy, lambdaTrustPolicy } from "../../components/policies/trust";
import { PolicyDocument, asList } from "../../components/policies/types";
import { Recorded, doc, record, valueOf } from "../support/harness";

const ROLE = "aws:iam/role:Role";
const PROFILE = "aws:iam/instanceProfile:InstanceProfile";
const INLINE = "aws:iam/rolePolicy:RolePolicy";
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ad-password-AbCdEf";
const BOUNDARY = "arn:aws:iam::123456789012:policy/parallelcluster/boundary";
const ctx = makeContext({ partition: "aws", accountId: "123456789012", region: "us-east-1" });

const base: ClusterNodeRolesArgs = {
    clusterName: "hpc",
    queues: [{ name: "cpu" }, { name: "gpu", additionalIamPolicies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] }],
    secretArns: [SECRET],
    s3Access: [{ bucketName: "hpc-data", keyName: "input/*" }],
    permissionsBoundaryArn: BOUNDARY,
};

async function run(args: ClusterNodeRolesArgs, region = "us-east-1") {
    let c: ClusterNodeRoles | undefined;
    const r = await record(() => (c = new ClusterNodeRoles("hpc", args)), { region });
    if (r.error) throw r.error;
    return { resources: r.resources, component: c! };
}

const byType = (rs: Recorded[], t: string) => rs.filter((r) => r.type === t);
const named = (rs: Recorded[], t: string, n: string) => {
    const r = rs.find((x) => x.type === t && x.name === n);
    assert.ok(r, `no ${t} named ${n}`);
    return r;
};
const attachedTo = (rs: Recorded[], roleName: string) =>
    byType(rs, ATTACH).filter((a) => a.inputs.role === roleName).map((a) => a.inputs.policyArn as string).sort();

describe("ClusterNodeRoles", () => {
    it("registers exactly the expected children, each parented to the component", async () => {
        const { resources } = await run(base);
        const names = resources.filter((r) => r.custom).map((r) => `${r.type} ${r.name}`).sort();
        assert.deepEqual(
            names.filter((n) => !n.startsWith(ATTACH)),
            [
                `${PROFILE} hpc-compute-cpu`, `${PROFILE} hpc-compute-gpu`, `${PROFILE} hpc-head-node`,
                `${ROLE} hpc-compute-cpu`, `${ROLE} hpc-compute-gpu`, `${ROLE} hpc-head-node`, `${ROLE} hpc-lambda-functions`,
                `${INLINE} hpc-compute-cpu-policy`, `${INLINE} hpc-compute-gpu-policy`, `${INLINE} hpc-head-node-policy`, `${INLINE} hpc-lambda-functions-policy`,
            ].sort(),
        );
        // 2 managed per EC2 role + 1 extra on gpu; the Lambda role's managed list comes from its builder.
        const lambdaManaged = lambdaFunctionsPolicy(ctx).managedPolicyArns.length;
        assert.equal(byType(resources, ATTACH).length, 2 + 2 + 3 + lambdaManaged);
        for (const r of resources.filter((x) => x.custom)) {
            assert.match(r.urn, /::parallelcluster-iam:index:ClusterNodeRoles\$aws:iam\//, `${r.name} is not a child of the component`);
        }
        assert.equal(resources.filter((r) => !r.custom).length, 1);
    });

    it("sets path, trust, boundary, tags, managed policies and inline documents from the builders", async () => {
        const { resources } = await run(base);
        const roles = byType(resources, ROLE);
        for (const role of roles) {
            assert.equal(role.inputs.path, "/parallelcluster/");
            assert.equal(role.inputs.permissionsBoundary, BOUNDARY);
            assert.equal((role.inputs.tags as Record<string, string>)["parallelcluster-iam:cluster"], "hpc");
        }
        const head = named(resources, ROLE, "hpc-head-node");
        const cpu = named(resources, ROLE, "hpc-compute-cpu");
        const gpu = named(resources, ROLE, "hpc-compute-gpu");
        const lambda = named(resources, ROLE, "hpc-lambda-functions");
        assert.deepEqual(doc(head.inputs.assumeRolePolicy), ec2TrustPolicy(ctx));
        assert.deepEqual(doc(cpu.inputs.assumeRolePolicy), ec2TrustPolicy(ctx));
        assert.deepEqual(doc(lambda.inputs.assumeRolePolicy), lambdaTrustPolicy(ctx));
        assert.equal((head.inputs.tags as Record<string, string>)["parallelcluster-iam:purpose"], "head-node");
        assert.equal((gpu.inputs.tags as Record<string, string>)["parallelcluster-iam:queue"], "gpu");

        const headSet = headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc", secretArns: [SECRET], s3Access: base.s3Access, cloudWatchLogs: true });
        assert.deepEqual(doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy), headSet.inlinePolicy);
        assert.deepEqual(attachedTo(resources, head.state.name as string), [...headSet.managedPolicyArns].sort());
        const computeSet = computeNodePolicy(ctx, { clusterName: "hpc", cloudWatchLogs: true });
        assert.deepEqual(doc(named(resources, INLINE, "hpc-compute-cpu-policy").inputs.policy), computeSet.inlinePolicy);
        assert.deepEqual(attachedTo(resources, cpu.state.name as string), [...computeSet.managedPolicyArns].sort());
        assert.deepEqual(attachedTo(resources, gpu.state.name as string), [...computeSet.managedPolicyArns, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"].sort());
        const lambdaSet = lambdaFunctionsPolicy(ctx, {});
        assert.deepEqual(doc(named(resources, INLINE, "hpc-lambda-functions-policy").inputs.policy), lambdaSet.inlinePolicy);
        assert.deepEqual(attachedTo(resources, lambda.state.name as string), [...lambdaSet.managedPolicyArns].sort());

        // Instance profiles for EC2 roles only, on the same path, holding their role.
        const profiles = byType(resources, PROFILE);
        assert.deepEqual(profiles.map((p) => p.inputs.role).sort(), [head, cpu, gpu].map((r) => r.state.name).sort());
        for (const p of profiles) assert.equal(p.inputs.path, "/parallelcluster/");
    });

    it("lets the head node pass every compute role it launches", async () => {
        const { resources } = await run(base);
        const inline = doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy) as PolicyDocument;
        const pass = inline.Statement.filter((s) => asList(s.Action).includes("iam:PassRole")).flatMap((s) => asList(s.Resource));
        for (const r of byType(resources, ROLE).filter((x) => x.name.startsWith("hpc-compute-"))) {
            assert.ok(pass.some((p) => arnLike(p, r.state.arn as string)), `head node cannot pass ${r.state.arn}`);
        }
        for (const p of byType(resources, PROFILE).filter((x) => x.name.startsWith("hpc-compute-"))) {
            assert.ok(pass.some((pat) => arnLike(pat, p.state.arn as string)), `head node cannot pass ${p.state.arn}`);
        }
    });

    it("outputs the cluster configuration fragments as an object and as YAML", async () => {
        const { resources, component } = await run(base);
        const config = await valueOf(component.clusterConfig);
        const profile = (n: string) => named(resources, PROFILE, n).state.arn;
        assert.deepEqual(config, {
            HeadNode: { Iam: { InstanceProfile: profile("hpc-head-node") } },
            Scheduling: {
                SlurmQueues: [
                    { Name: "cpu", Iam: { InstanceProfile: profile("hpc-compute-cpu") } },
                    { Name: "gpu", Iam: { InstanceProfile: profile("hpc-compute-gpu") } },
                ],
            },
            Iam: { Roles: { LambdaFunctionsRole: named(resources, ROLE, "hpc-lambda-functions").state.arn }, PermissionsBoundary: BOUNDARY },
        });
        assert.deepEqual(parse(await valueOf(component.clusterConfigYaml)), config);
        assert.deepEqual(Object.keys(await valueOf(component.computeInstanceProfileArns)), ["cpu", "gpu"]);
        assert.equal((await valueOf(component.roleArns)).length, 4);
    });

    it("keeps every existing child's name and URN when a queue or policy is added", async () => {
        const before = await run(base);
        const after = await run({
            ...base,
            queues: [...base.queues!, { name: "highmem" }],
            additionalIamPolicies: ["arn:aws:iam::123456789012:policy/parallelcluster/extra"],
            cloudWatchLogs: true,
        });
        const urns = new Set(after.resources.map((r) => r.urn));
        for (const r of before.resources) assert.ok(urns.has(r.urn), `${r.urn} changed`);
        const names = new Map(after.resources.map((r) => [r.urn, r.state.name]));
        for (const r of before.resources) assert.equal(names.get(r.urn), r.state.name);
    });

    it("builds an AWS Batch head node with no compute roles and no SlurmQueues", async () => {
        const { resources, component } = await run({ clusterName: "analytics", scheduler: "awsbatch" });
        assert.deepEqual(byType(resources, ROLE).map((r) => r.name).sort(), ["hpc-head-node", "hpc-lambda-functions"]);
        const inline = doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy);
        assert.deepEqual(inline, headNodePolicy(ctx, { scheduler: "awsbatch", clusterName: "analytics", cloudWatchLogs: true }).inlinePolicy);
        const config = await valueOf(component.clusterConfig);
        assert.equal(config.Scheduling, undefined);
        assert.equal(config.Iam.PermissionsBoundary, undefined);
        for (const r of byType(resources, ROLE)) assert.equal(r.inputs.permissionsBoundary, undefined);
    });

    it("uses the China EC2 principal and no aws-partition ARN in cn-north-1", async () => {
        const { resources } = await run({ clusterName: "hpc", queues: [{ name: "cpu" }] }, "cn-north-1");
        const text = JSON.stringify(resources.map((r) => [r.inputs, r.state]));
        assert.ok(!text.includes("arn:aws:"), "found arn:aws: in aws-cn");
        const head = named(resources, ROLE, "hpc-head-node");
        assert.deepEqual((doc(head.inputs.assumeRolePolicy) as PolicyDocument).Statement[0].Principal, { Service: "ec2.amazonaws.com.cn" });
    });

    it("names roles from namePrefix and places them on a custom /parallelcluster/ path", async () => {
        const { resources } = await run({ clusterName: "hpc", queues: [{ name: "cpu" }], namePrefix: "team", iamPath: "/parallelcluster/team/" });
        assert.deepEqual(byType(resources, ROLE).map((r) => r.state.name).sort(), ["team-hpc-compute-cpu", "team-hpc-head-node", "team-hpc-lambda"]);
        for (const r of [...byType(resources, ROLE), ...byType(resources, PROFILE)]) assert.equal(r.inputs.path, "/parallelcluster/team/");
    });
});
