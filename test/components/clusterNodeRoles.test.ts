import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ClusterNodeRoles, ClusterNodeRolesArgs } from "../../components";
import { arnLike } from "../../components/policies/allowlist";
import { makeContext } from "../../components/policies/context";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { headNodePolicy } from "../../components/policies/headNode";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { loginNodePolicy } from "../../components/policies/loginNode";
import { ec2TrustPolicy, lambdaTrustPolicy } from "../../components/policies/trust";
import { PolicyDocument, asList } from "../../components/policies/types";
import { shortHash } from "../../components/common";
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

        // ParallelCluster's console-output grant follows CloudWatch logs (on by default), for the cluster's queues.
        // D29: the head node passes exactly the compute roles created here.
        const computeRoleArns = ["hpc-compute-cpu", "hpc-compute-gpu"].map((n) => named(resources, ROLE, n).state.arn as string);
        const headSet = headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc", secretArns: [SECRET], s3Access: base.s3Access, cloudWatchLogs: true, consoleOutputQueues: ["cpu", "gpu"], computeRoleArns });
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

    it("D29: lets the head node pass exactly the compute roles it launches, nothing else on the path", async () => {
        const { resources } = await run(base);
        const inline = doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy) as PolicyDocument;
        const pass = inline.Statement.filter((s) => asList(s.Action).includes("iam:PassRole")).flatMap((s) => asList(s.Resource));
        const compute = byType(resources, ROLE).filter((x) => x.name.startsWith("hpc-compute-")).map((r) => r.state.arn as string);
        assert.equal(compute.length, 2);
        assert.deepEqual([...pass].sort(), [...compute].sort());
        for (const other of [named(resources, ROLE, "hpc-lambda-functions").state.arn as string, "arn:aws:iam::123456789012:role/parallelcluster/other-team-admin"]) {
            assert.ok(!pass.some((p) => arnLike(p, other)), `head node can pass ${other}`);
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
        assert.equal((await valueOf(pulumi.all(component.roleArns))).length, 4);
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

describe("ClusterNodeRoles: login-node pools", () => {
    const withPools: ClusterNodeRolesArgs = {
        ...base,
        loginNodePools: [
            { name: "users" },
            { name: "gui", additionalIamPolicies: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"], s3Access: [{ bucketName: "hpc-scripts", keyName: "login/*" }] },
        ],
    };
    const CW = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy";

    it("registers a role, inline policy, attachments and instance profile per pool, and nothing else new", async () => {
        const plain = await run(base);
        const { resources } = await run(withPools);
        const key = (r: Recorded) => `${r.type} ${r.name}`;
        const before = new Set(plain.resources.map(key));
        const added = resources.map(key).filter((k) => !before.has(k)).sort();
        const attach = (role: string, arns: string[]) => arns.map((a) => `${ATTACH} hpc-login-${role}-${shortHash(a)}`);
        assert.deepEqual(added, [
            `${PROFILE} hpc-login-gui`, `${PROFILE} hpc-login-users`,
            `${ROLE} hpc-login-gui`, `${ROLE} hpc-login-users`,
            `${INLINE} hpc-login-gui-policy`, `${INLINE} hpc-login-users-policy`,
            ...attach("users", [CW]),
            ...attach("gui", [CW, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]),
        ].sort());
        for (const r of resources.filter((x) => x.name.startsWith("hpc-login-"))) {
            assert.match(r.urn, /::parallelcluster-iam:index:ClusterNodeRoles\$aws:iam\//, r.name);
        }
    });

    it("gives each pool the node conventions: path, boundary, EC2 trust, tags, ParallelCluster's managed policy, the pool's document", async () => {
        const { resources } = await run(withPools);
        for (const pool of ["users", "gui"]) {
            const role = named(resources, ROLE, `hpc-login-${pool}`);
            assert.equal(role.inputs.path, "/parallelcluster/");
            assert.equal(role.inputs.permissionsBoundary, BOUNDARY);
            assert.deepEqual(doc(role.inputs.assumeRolePolicy), ec2TrustPolicy(ctx));
            const tags = role.inputs.tags as Record<string, string>;
            assert.deepEqual(
                Object.fromEntries(Object.entries(tags).filter(([k]) => k.startsWith("parallelcluster-iam:"))),
                { "parallelcluster-iam:purpose": "login-node", "parallelcluster-iam:cluster": "hpc", "parallelcluster-iam:pool": pool },
            );
            const profile = named(resources, PROFILE, `hpc-login-${pool}`);
            assert.equal(profile.inputs.role, role.state.name);
            assert.equal(profile.inputs.path, "/parallelcluster/");
            assert.deepEqual(profile.inputs.tags, tags);
            const s3Access = pool === "gui" ? withPools.loginNodePools![1].s3Access : undefined;
            const set = loginNodePolicy(ctx, { clusterName: "hpc", poolName: pool, cloudWatchLogs: true, s3Access });
            assert.deepEqual(doc(named(resources, INLINE, `hpc-login-${pool}-policy`).inputs.policy), set.inlinePolicy);
            assert.equal(named(resources, INLINE, `hpc-login-${pool}-policy`).inputs.name, "parallelcluster-login-node");
            const extra = pool === "gui" ? ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"] : [];
            assert.deepEqual(attachedTo(resources, role.state.name as string), [...set.managedPolicyArns, ...extra].sort());
            assert.deepEqual(set.managedPolicyArns, [CW]);
        }
        // The pool's group only; no S3Access unless the pool asks.
        const users = JSON.stringify(doc(named(resources, INLINE, "hpc-login-users-policy").inputs.policy));
        assert.ok(users.includes("autoScalingGroupName/hpc-users-AutoScalingGroup"));
        assert.ok(!users.includes("hpc-scripts"));
        assert.ok(JSON.stringify(doc(named(resources, INLINE, "hpc-login-gui-policy").inputs.policy)).includes("arn:aws:s3:::hpc-scripts/login/*"));
        // The head node does not pass login roles (the pools' Auto Scaling groups launch them); no munge key: no ELB grant.
        assert.ok(!JSON.stringify(doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy)).includes("elasticloadbalancing"));
    });

    it("outputs the pools' profiles and roles by name, in roleArns and in LoginNodes/Pools of the configuration", async () => {
        const { resources, component } = await run(withPools);
        const arnOf = (t: string, n: string) => named(resources, t, n).state.arn as string;
        assert.deepEqual(await valueOf(component.loginNodeInstanceProfileArns), { users: arnOf(PROFILE, "hpc-login-users"), gui: arnOf(PROFILE, "hpc-login-gui") });
        assert.deepEqual(await valueOf(component.loginNodeRoleArns), { users: arnOf(ROLE, "hpc-login-users"), gui: arnOf(ROLE, "hpc-login-gui") });
        const roleArns = await valueOf(pulumi.all(component.roleArns));
        assert.deepEqual([...roleArns].sort(), byType(resources, ROLE).map((r) => r.state.arn as string).sort());
        assert.equal(roleArns.length, 6);
        const config = await valueOf(component.clusterConfig);
        assert.deepEqual(Object.keys(config), ["HeadNode", "Scheduling", "LoginNodes", "Iam"]);
        assert.deepEqual(config.LoginNodes, {
            Pools: [
                { Name: "users", Iam: { InstanceProfile: arnOf(PROFILE, "hpc-login-users") } },
                { Name: "gui", Iam: { InstanceProfile: arnOf(PROFILE, "hpc-login-gui") } },
            ],
        });
        assert.deepEqual(parse(await valueOf(component.clusterConfigYaml)), config);
        // Without pools: empty maps and no LoginNodes key.
        const plain = await run(base);
        assert.deepEqual(await valueOf(plain.component.loginNodeRoleArns), {});
        assert.equal((await valueOf(plain.component.clusterConfig)).LoginNodes, undefined);
    });

    it("keeps every existing child's name and URN when pools are added", async () => {
        const one = await run({ ...base, loginNodePools: [{ name: "users" }] });
        const more = await run({ ...base, loginNodePools: [{ name: "admins" }, { name: "users" }, { name: "gui" }] });
        for (const [before, after] of [[await run(base), one], [one, more]]) {
            const names = new Map(after.resources.map((r) => [r.urn, r.state.name]));
            for (const r of before.resources) {
                assert.ok(names.has(r.urn), `${r.urn} changed`);
                assert.equal(names.get(r.urn), r.state.name, r.urn);
            }
        }
    });

    it("names pool roles from namePrefix", async () => {
        const { resources } = await run({ clusterName: "hpc", queues: [{ name: "cpu" }], loginNodePools: [{ name: "users" }], namePrefix: "team" });
        assert.deepEqual(byType(resources, ROLE).map((r) => r.state.name).sort(), ["team-hpc-compute-cpu", "team-hpc-head-node", "team-hpc-lambda", "team-hpc-login-users"]);
        assert.deepEqual(byType(resources, PROFILE).map((r) => r.state.name).sort(), ["team-hpc-compute-cpu", "team-hpc-head-node", "team-hpc-login-users"]);
    });
});

describe("ClusterNodeRoles: feature options", () => {
    const EFS = "fs-0123456789abcdef0";
    const SSM_PASSWORD = "arn:aws:ssm:us-east-1:123456789012:parameter/ad-password";
    const MUNGE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:munge-key-AbCdEf";
    const SLURMDBD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:slurmdbd-XyZ123";
    const GROUP = "arn:aws:resource-groups:us-east-1:123456789012:group/hpc-odcrs";
    const COOKBOOK = "s3://hpc-artifacts/cookbooks/aws-parallelcluster-cookbook-3.12.0.tgz";
    const minimal: ClusterNodeRolesArgs = { clusterName: "hpc", queues: [{ name: "cpu" }] };
    const sids = (rs: Recorded[], n: string) => ((doc(named(rs, INLINE, `${n}-policy`).inputs.policy) as PolicyDocument).Statement.map((s) => s.Sid).filter((x): x is string => x !== undefined)).sort();
    const OPTIONAL_SIDS = ["AllowGettingDirectorySecretValue", "AllowGettingSlurmDbSecretValue", "AllowManagingReservedCapacity", "CustomCookbookS3UrlBucket", "CustomCookbookS3UrlObject", "EC2GetComputeConsoleOutput", "Efs", "SecretsManager", "TargetGroupDescribe"];
    const optional = (rs: Recorded[], n: string) => sids(rs, n).filter((s) => OPTIONAL_SIDS.includes(s));

    it("grants none of the optional features by default but ParallelCluster's console output (CloudWatch logs on)", async () => {
        const { resources } = await run(minimal);
        assert.deepEqual(optional(resources, "hpc-head-node"), ["EC2GetComputeConsoleOutput"]);
        assert.deepEqual(optional(resources, "hpc-compute-cpu"), []);
        assert.deepEqual(optional(resources, "hpc-lambda-functions"), []);
        const off = await run({ ...minimal, cloudWatchLogs: false });
        assert.deepEqual(optional(off.resources, "hpc-head-node"), []);
        const forced = await run({ ...minimal, cloudWatchLogs: false, consoleOutput: true });
        assert.deepEqual(optional(forced.resources, "hpc-head-node"), ["EC2GetComputeConsoleOutput"]);
        const refused = await run({ ...minimal, consoleOutput: false });
        assert.deepEqual(optional(refused.resources, "hpc-head-node"), []);
    });

    it("puts each option's statement on exactly the principals ParallelCluster grants it to, from the builders", async () => {
        const args: ClusterNodeRolesArgs = {
            ...minimal,
            loginNodePools: [{ name: "users" }],
            efsFileSystemIds: [EFS],
            directoryServicePasswordArn: SSM_PASSWORD,
            mungeKeySecretArn: MUNGE,
            slurmdbdPasswordSecretArn: SLURMDBD,
            capacityReservationResourceGroupArns: [GROUP],
            customCookbookS3Url: COOKBOOK,
        };
        const { resources } = await run(args);
        assert.deepEqual(optional(resources, "hpc-head-node"), [...OPTIONAL_SIDS].sort());
        assert.deepEqual(optional(resources, "hpc-compute-cpu"), ["CustomCookbookS3UrlBucket", "CustomCookbookS3UrlObject", "Efs"]);
        assert.deepEqual(optional(resources, "hpc-login-users"), ["CustomCookbookS3UrlBucket", "CustomCookbookS3UrlObject", "Efs"]);
        assert.deepEqual(optional(resources, "hpc-lambda-functions"), []);
        const head = headNodePolicy(ctx, {
            scheduler: "slurm", clusterName: "hpc", cloudWatchLogs: true, consoleOutputQueues: ["cpu"], efsFileSystemIds: [EFS],
            directoryServicePasswordArn: SSM_PASSWORD, mungeKeySecretArn: MUNGE, loginNodes: true, slurmdbdPasswordSecretArn: SLURMDBD,
            capacityReservationResourceGroupArns: [GROUP], customCookbookS3Url: COOKBOOK,
            computeRoleArns: [named(resources, ROLE, "hpc-compute-cpu").state.arn as string],
        });
        assert.deepEqual(doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy), head.inlinePolicy);
        const statement = (sid: string) => head.inlinePolicy.Statement.find((s) => s.Sid === sid);
        assert.deepEqual(statement("AllowGettingDirectorySecretValue"), { Sid: "AllowGettingDirectorySecretValue", Effect: "Allow", Action: "ssm:GetParameter", Resource: SSM_PASSWORD });
        assert.deepEqual(statement("SecretsManager"), { Sid: "SecretsManager", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: MUNGE });
        assert.deepEqual(statement("AllowGettingSlurmDbSecretValue"), { Sid: "AllowGettingSlurmDbSecretValue", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SLURMDBD });
        assert.deepEqual(statement("AllowManagingReservedCapacity"), { Sid: "AllowManagingReservedCapacity", Effect: "Allow", Action: "resource-groups:ListGroupResources", Resource: GROUP });
        assert.deepEqual(statement("CustomCookbookS3UrlObject")?.Resource, "arn:aws:s3:::hpc-artifacts/cookbooks/aws-parallelcluster-cookbook-3.12.0.tgz");
        assert.deepEqual(statement("CustomCookbookS3UrlBucket")?.Resource, "arn:aws:s3:::hpc-artifacts");
        assert.deepEqual(statement("Efs")?.Resource, [`arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${EFS}`]);
        assert.deepEqual(doc(named(resources, INLINE, "hpc-compute-cpu-policy").inputs.policy),
            computeNodePolicy(ctx, { clusterName: "hpc", cloudWatchLogs: true, efsFileSystemIds: [EFS], customCookbookS3Url: COOKBOOK }).inlinePolicy);
        assert.deepEqual(doc(named(resources, INLINE, "hpc-login-users-policy").inputs.policy),
            loginNodePolicy(ctx, { clusterName: "hpc", poolName: "users", cloudWatchLogs: true, efsFileSystemIds: [EFS], customCookbookS3Url: COOKBOOK }).inlinePolicy);
        // The munge key without login pools: no ELB grant. A Secrets Manager directory password: GetSecretValue.
        const noPools = await run({ ...minimal, mungeKeySecretArn: MUNGE, directoryServicePasswordArn: SECRET });
        assert.deepEqual(optional(noPools.resources, "hpc-head-node"), ["AllowGettingDirectorySecretValue", "EC2GetComputeConsoleOutput", "SecretsManager"]);
        const ds = (doc(named(noPools.resources, INLINE, "hpc-head-node-policy").inputs.policy) as PolicyDocument).Statement.find((s) => s.Sid === "AllowGettingDirectorySecretValue");
        assert.deepEqual(ds, { Sid: "AllowGettingDirectorySecretValue", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET });
    });

    it("AWS Batch: the directory password and the custom cookbook on the head node, the rest refused", async () => {
        const { resources } = await run({ clusterName: "hpc", scheduler: "awsbatch", directoryServicePasswordArn: SECRET, customCookbookS3Url: COOKBOOK });
        assert.deepEqual(optional(resources, "hpc-head-node"), ["AllowGettingDirectorySecretValue", "CustomCookbookS3UrlBucket", "CustomCookbookS3UrlObject"]);
    });

    it("parallelClusterVersion names the artifact directory (other releases: badInputs)", async () => {
        const { resources } = await run({ ...minimal, parallelClusterVersion: "3.12" });
        assert.ok(JSON.stringify(doc(named(resources, INLINE, "hpc-head-node-policy").inputs.policy)).includes("parallelcluster/3.12.*/clusters/hpc-"));
    });
});
