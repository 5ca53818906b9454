/** Issue 11: components that compose like first-class Pulumi components; issue 13 item 3: positional packing. */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AdditionalPolicy, ClusterNodeRoles, ClusterUserRole, ImageBuildRoles, PermissionsBoundary } from "../../components";
import { setAwsMocks } from "../../components/testing";
import { Recorded, doc, record, valueOf } from "../support/harness";

const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const children = (rs: Recorded[]) => rs.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
/** The value of an Output (the SDK's internal promise). */
const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
/** Runs `fn` under record() and returns what the SDK logged as errors (failed registrations: checks inside apply). */
async function logged(fn: () => unknown): Promise<{ r: { error?: Error; resources: Recorded[] }; errors: string[] }> {
    const errors: string[] = [];
    const log = pulumi.log as unknown as { error: (m: string) => Promise<void> };
    const original = log.error;
    log.error = async (m: string) => void errors.push(m);
    try {
        // Not record(): registrations that wait on a failed check never finish, so there is nothing to wait for.
        const mocks = await setAwsMocks({ project: "parallelcluster-iam", stack: "test" });
        let error: Error | undefined;
        try {
            fn();
        } catch (e) {
            error = e as Error;
        }
        const onRejection = (e: unknown) => void errors.push(e instanceof Error ? e.message : String(e));
        process.on("unhandledRejection", onRejection);
        await new Promise((res) => setTimeout(res, 500));
        process.off("unhandledRejection", onRejection);
        return { r: { error, resources: mocks.resources.map((x) => ({ ...x, urn: x.urn })) as unknown as Recorded[] }, errors };
    } finally {
        log.error = original;
    }
}

describe("A1: region and partition from the provider", () => {
    it("a us-west-2 provider wins over aws:region us-east-1", async () => {
        let c: ClusterNodeRoles | undefined;
        const r = await record(() => {
            const w = new aws.Provider("w", { region: "us-west-2" });
            c = new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }] }, { provider: w });
        });
        if (r.error) throw r.error;
        const head = r.resources.find((x) => x.type === "aws:iam/rolePolicy:RolePolicy" && x.name === "hpc-head-node-policy")!;
        const text = JSON.stringify(doc(head.inputs.policy));
        assert.match(text, /:us-west-2:/);
        assert.doesNotMatch(text, /:us-east-1:/);
        assert.ok(c);
    });
    it("the parent's provider applies to a child component", async () => {
        const r = await record(() => {
            const w = new aws.Provider("w", { region: "eu-west-1" });
            const parent = new pulumi.ComponentResource("test:index:Parent", "p", {}, { providers: [w] });
            new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }] }, { parent });
        });
        if (r.error) throw r.error;
        const head = r.resources.find((x) => x.name === "hpc-head-node-policy")!;
        assert.match(JSON.stringify(doc(head.inputs.policy)), /:eu-west-1:/);
    });
    it("a cn-north-1 provider with aws-partition args fails inside apply and registers no child", async () => {
        const { r, errors } = await logged(() => {
            const cn = new aws.Provider("cn", { region: "cn-north-1" });
            new ClusterUserRole("ops", { iamMode: "privileged", trustedPrincipalArns: [ADMIN], region: "us-east-1" }, { provider: cn });
        });
        assert.equal(r.error, undefined);
        assert.ok(errors.some((m) => /region: the component was configured for partition 'aws'.*'aws-cn'/.test(m)), errors.join("\n"));
        assert.deepEqual(children(r.resources), []);
    });
    it("an explicit region in another partition than aws:region fails before registration", async () => {
        const r = await record(() => new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }], region: "cn-north-1" }));
        assert.ok(pulumi.InputPropertiesError.isInstance(r.error));
        assert.match(r.error!.message, /region: 'cn-north-1' is in partition 'aws-cn', but the default AWS provider \(aws:region 'us-east-1'\) is in 'aws'/);
        assert.deepEqual(children(r.resources), []);
    });
    it("a cn-north-1 provider alone gives aws-cn ARNs", async () => {
        const r = await record(() => {
            const cn = new aws.Provider("cn", { region: "cn-north-1" });
            new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }] }, { provider: cn });
        });
        if (r.error) throw r.error;
        const trust = JSON.stringify(doc(r.resources.find((x) => x.type === ROLE)!.inputs.assumeRolePolicy));
        assert.match(trust, /amazonaws\.com\.cn/);
    });
});

describe("A2: inputs from other resources", () => {
    it("secret ARNs, stack-reference principals, pass-role targets and the package's own AdditionalPolicy type-check and land in documents", async () => {
        let user: ClusterUserRole | undefined;
        const r = await record(() => {
            const secret = pulumi.output("arn:aws:secretsmanager:us-east-1:123456789012:secret:ad-AbCdEf");
            const ssm = new AdditionalPolicy("ssm", { preset: "ssmAccess", bucket: pulumi.output("hpc-jobs") });
            const nodes = new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu", additionalIamPolicies: [ssm.arn] }], secretArns: [secret] });
            const images = new ImageBuildRoles("img", { additionalIamPolicyRefs: [{ id: "ssm", arn: ssm.arn }] });
            user = new ClusterUserRole("ops", {
                iamMode: "restricted",
                trustedPrincipalArns: [pulumi.output("arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_Hpc_0123456789abcdef")],
                secretArns: [secret],
                passRoleArns: [...nodes.roleArns, ...images.roleArns],
            });
        });
        if (r.error) throw r.error;
        const attached = r.resources.filter((x) => x.type === ATTACH).map((x) => x.inputs.policyArn);
        assert.ok(attached.some((a) => String(a).includes("parallelcluster-ssm-access-ssm")));
        const text = r.resources.filter((x) => x.type === POLICY && x.name.startsWith("ops-part-")).map((x) => String(x.inputs.policy)).join();
        assert.match(text, /secret:ad-AbCdEf/);
        assert.match(text, /hpc-head-node/);
        assert.match(String(r.resources.find((x) => x.name === "ops-role")!.inputs.assumeRolePolicy), /AWSReservedSSO_Hpc/);
        assert.match(await valueOf(user!.roleArn), /^arn:aws:iam::123456789012:role\/parallelcluster\/operator\//);
    });
    it("an Output entry with no stable id is refused, naming additionalIamPolicyRefs", async () => {
        const r = await record(() => new ImageBuildRoles("img", { additionalIamPolicies: [pulumi.output("arn:aws:iam::123456789012:policy/parallelcluster/x")] }));
        assert.match(r.error!.message, /additionalIamPolicies\[0\]: an Output with no stable id.*additionalIamPolicyRefs as \{ id, arn \}/);
    });
    it("an unknown value that turns out invalid fails inside apply, before any child", async () => {
        const { r, errors } = await logged(() => new ClusterUserRole("ops", { iamMode: "privileged", trustedPrincipalArns: [pulumi.output("arn:aws:iam::*:root")] }));
        assert.equal(r.error, undefined);
        assert.ok(errors.some((m) => /trustedPrincipalArns\[0\]: 'arn:aws:iam::\*:root' contains a wildcard/.test(m)), errors.join("\n"));
        assert.deepEqual(children(r.resources), []);
    });
});

describe("A3: outputs after the role is complete; children exposed", () => {
    it("exposes Role, InstanceProfile and Policy objects; roleArn resolves after attachments", async () => {
        let nodes: ClusterNodeRoles | undefined;
        let user: ClusterUserRole | undefined;
        const r = await record(() => {
            nodes = new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }] });
            user = new ClusterUserRole("ops", { iamMode: "privileged", trustedPrincipalArns: [ADMIN] });
        });
        if (r.error) throw r.error;
        assert.ok(nodes!.headNodeRole instanceof aws.iam.Role);
        assert.ok(nodes!.computeInstanceProfiles.cpu instanceof aws.iam.InstanceProfile);
        assert.ok(user!.role instanceof aws.iam.Role);
        assert.ok(user!.policies.every((p) => p instanceof aws.iam.Policy));
        const deps = await (user!.roleArn as unknown as { allResources(): Promise<Set<pulumi.Resource>> }).allResources!();
        for (const a of user!.attachments) assert.ok(deps.has(a), "roleArn depends on every attachment");
    });
});

describe("A5: physical names per stack; growing lists never rename", () => {
    it("two stacks of one project give different boundary and SSM policy names", async () => {
        const names = async (stack: string) => {
            const r = await record(() => {
                new PermissionsBoundary("pb");
                new AdditionalPolicy("ssm", { preset: "ssmAccess", bucket: "jobs" });
            }, { stack });
            return r.resources.filter((x) => x.type === POLICY).map((x) => x.inputs.name as string);
        };
        const [a, b] = [await names("dev"), await names("dev2")];
        for (let i = 0; i < a.length; i++) assert.notEqual(a[i], b[i]);
    });
    it("70 FSx buckets instead of 68 keep every existing child's URN", async () => {
        const run = (n: number) => record(() => new ClusterUserRole("ops", {
            iamMode: "privileged", trustedPrincipalArns: [ADMIN], fsx: true, fsxBuckets: Array.from({ length: n }, (_, i) => `hpc-lustre-bucket-${i}`),
        }));
        const [before, afterR] = [await run(68), await run(70)];
        if (before.error) throw before.error;
        if (afterR.error) throw afterR.error;
        const urns = new Set(afterR.resources.map((x) => x.urn));
        for (const x of before.resources) assert.ok(urns.has(x.urn), `${x.urn} renamed`);
    });
});

describe("A7: every problem at once", () => {
    it("reports all problems with property paths as pulumi.InputPropertiesError", async () => {
        const r = await record(() => new ClusterUserRole("ops", {
            iamMode: "privileged", trustedPrincipalArns: ["*", "arn:aws:iam::12345678901:root"], maxSessionDuration: 5, tags: { "aws:x": "y" },
        }));
        assert.ok(pulumi.InputPropertiesError.isInstance(r.error));
        const e = r.error as pulumi.InputPropertiesError;
        assert.deepEqual(e.errors.map((x) => x.propertyPath), ["trustedPrincipalArns[0]", "trustedPrincipalArns[1]", "maxSessionDuration", "tags"]);
        assert.equal(e.stack, e.message);
    });
});

describe("A6: principals", () => {
    it("pipelines assume without MFA, people with it", async () => {
        const r = await record(() => new ClusterUserRole("ops", {
            iamMode: "privileged", trustedPrincipalArns: [ADMIN], requireMfa: true, pipelinePrincipalArns: ["arn:aws:iam::123456789012:role/ci/deploy"],
        }));
        if (r.error) throw r.error;
        const trust = doc(r.resources.find((x) => x.type === ROLE)!.inputs.assumeRolePolicy) as { Statement: Array<{ Principal: { AWS: string }; Condition?: unknown }> };
        assert.equal(trust.Statement.length, 2);
        assert.ok(trust.Statement.find((s) => s.Principal.AWS === ADMIN)!.Condition);
        assert.equal(trust.Statement.find((s) => s.Principal.AWS.endsWith("ci/deploy"))!.Condition, undefined);
    });
});

describe("A9: no invokes with accountId, partition and region", () => {
    it("runs under Pulumi's documented mocks whose calls fail", async () => {
        pulumi.runtime.setAllConfig({});
        await pulumi.runtime.setMocks({
            newResource: (a) => {
                const kind = a.type.split(":")[2]?.toLowerCase().replace("instanceprofile", "instance-profile") ?? "x";
                return { id: `${a.name}-id`, state: { ...a.inputs, arn: `arn:aws:iam::123456789012:${kind}/${a.name}`, name: a.name } };
            },
            call: (a) => { throw new Error(`unexpected invoke ${a.token}`); },
        }, "project", "stack", false);
        const ctx = { accountId: "123456789012", partition: "aws", region: "us-east-1" };
        const nodes = new ClusterNodeRoles("hpc", { ...ctx, clusterName: "hpc", queues: [{ name: "cpu" }] });
        const user = new ClusterUserRole("ops", { ...ctx, iamMode: "restricted", trustedPrincipalArns: [ADMIN], passRoleArns: [...nodes.roleArns] });
        const pb = new PermissionsBoundary("pb", ctx);
        assert.ok(await settle(user.roleArn));
        assert.ok(await settle(pb.arn));
        assert.ok((await settle(nodes.clusterConfig)).HeadNode);
    });
});

describe("B: user statements packed together, parts by position", () => {
    it("enabling features updates parts in place and adds parts only at the end; never more than 10", async () => {
        const names = async (extra: object) => {
            const r = await record(() => new ClusterUserRole("ops", { iamMode: "privileged", trustedPrincipalArns: [ADMIN], ...extra }));
            if (r.error) throw r.error;
            return r.resources.filter((x) => x.type === POLICY).map((x) => x.name);
        };
        const small = await names({});
        const big = await names({ batch: true, fsx: true, imageBuild: true, loginNodes: true });
        assert.deepEqual(small, small.map((_, i) => `ops-part-${i + 1}`));
        assert.deepEqual(big.slice(0, small.length), small);
        assert.ok(big.length <= 10);
    });
});
