import * as assert from "node:assert/strict";
import * as path from "node:path";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../components/policies/limits";
import { PolicyDocument } from "../components/policies/types";
import { runStack } from "../tools/engine";
import { IamManifest, ManifestRole, buildManifest } from "../tools/manifest";

const ROOT = path.resolve(__dirname, "..");

async function manifestOf(stack: string, region?: string): Promise<IamManifest> {
    const run = await runStack({ stack, projectDir: ROOT, region, preview: false });
    return buildManifest({ stack, partition: run.partition, accountId: run.accountId, region: run.region, resources: run.resources });
}

const EC2_PURPOSES = new Set(["head-node", "compute-node", "login-node", "image-builder-instance"]);
const purposes = (m: IamManifest) => m.roles.map((r) => [r.purpose, r.cluster, r.queue, r.scheduler].join("/")).sort();
const boundaryPolicy = (m: IamManifest) => m.policies.find((p) => p.purpose === "permissions-boundary");

function trustServices(r: ManifestRole): string[] {
    const st = (r.trustPolicy as { Statement: Array<{ Principal?: { Service?: string | string[] } }> }).Statement;
    return st.flatMap((s) => [s.Principal?.Service ?? []].flat());
}

function checkRoles(m: IamManifest, bound: boolean): void {
    for (const r of m.roles) {
        assert.match(r.path, /^\/parallelcluster\//, `${r.name} path`);
        assert.ok(r.arn.startsWith(`arn:${m.partition}:iam::${m.accountId}:role/parallelcluster/`), r.arn);
        assert.equal(r.instanceProfile !== null, EC2_PURPOSES.has(r.purpose!), `${r.name} instance profile`);
        if (r.instanceProfile) assert.equal(r.instanceProfile.path, r.path);
        if (r.purpose !== "cluster-user") assert.equal(r.permissionsBoundary, bound ? boundaryPolicy(m)!.arn : null, `${r.name} boundary`);
    }
}

describe("stacks through the offline engine", function () {
    this.timeout(120_000);

    it("dev: the privileged user role and an allow-listed SSM policy", async () => {
        const m = await manifestOf("dev");
        assert.deepEqual(purposes(m), ["cluster-user///"]);
        checkRoles(m, false);
        const user = m.roles[0];
        // Every user statement packed together into the fewest policies their characters allow (issue 13 item 3).
        const total = m.policies.filter((p) => p.purpose === "cluster-user").reduce((n, p) => n + policySize(p.document as unknown as PolicyDocument), 0);
        assert.equal(user.managedPolicyArns.length, Math.ceil(total / MANAGED_POLICY_MAX_CHARS));
        assert.equal(user.managedPolicyArns.length, 3);
        const ssm = m.policies.find((p) => p.purpose === "additional-policy")!;
        assert.equal(ssm.path, "/parallelcluster/");
        assert.deepEqual(
            m.policies.filter((p) => p.purpose === "cluster-user").map((p) => p.arn).sort(),
            [...user.managedPolicyArns].sort(),
        );
        assert.ok(JSON.stringify(user.trustPolicy).includes('"arn:aws:iam::123456789012:role/HpcDevelopers"'), "trust names the configured role");
        assert.ok(JSON.stringify(m).includes('"iam:PolicyARN"'), "privileged IAM policy present");
    });

    it("staging: boundary-bound AWS Batch head node and Lambda role, boundary-conditioned user policy", async () => {
        const m = await manifestOf("staging");
        assert.deepEqual(purposes(m), ["cluster-user///", "head-node/analytics//awsbatch", "lambda-functions/analytics//awsbatch"]);
        checkRoles(m, true);
        const boundary = boundaryPolicy(m)!;
        assert.ok(JSON.stringify(m.policies.filter((p) => p.purpose === "cluster-user")).includes(boundary.arn!), "user policy names the boundary");
        assert.ok(JSON.stringify(m.policies).includes('"aws:RequestedRegion"'), "scoped to the stack's region");
    });

    it("prod: every pre-created role bound and pathed; the user may pass exactly these roles", async () => {
        const m = await manifestOf("prod");
        assert.deepEqual(purposes(m), [
            "cluster-user///", "compute-node/hpc/cpu/", "compute-node/hpc/gpu/", "compute-node/hpc/highmem/",
            "head-node/hpc//slurm", "image-builder-instance///", "image-cleanup-lambda///", "lambda-functions/hpc//slurm", "login-node/hpc//",
        ]);
        checkRoles(m, true);
        const passed = m.policies
            .filter((p) => p.purpose === "cluster-user")
            .flatMap((p) => (p.document as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement)
            .filter((s) => JSON.stringify(s.Action).includes("iam:PassRole"))
            .flatMap((s) => [s.Resource].flat());
        assert.deepEqual(passed.sort(), m.roles.filter((r) => r.purpose !== "cluster-user").map((r) => r.arn).sort());
        const head = m.roles.find((r) => r.purpose === "head-node")!;
        assert.ok(JSON.stringify(head.inlinePolicies).includes("secretsmanager:GetSecretValue"));
        assert.ok(JSON.stringify(head.inlinePolicies).includes("arn:aws:secretsmanager:us-east-1:123456789012:secret:hpc/directory-service/password-??????"));
    });

    for (const [region, partition, ec2] of [["cn-north-1", "aws-cn", "ec2.amazonaws.com.cn"], ["us-gov-west-1", "aws-us-gov", "ec2.amazonaws.com"]] as const) {
        it(`prod --region ${region}: no arn:aws:, EC2 trust ${ec2}`, async () => {
            const m = await manifestOf("prod", region);
            assert.equal(m.partition, partition);
            assert.ok(!JSON.stringify(m).includes("arn:aws:"), "an aws-partition ARN leaked");
            checkRoles(m, true);
            for (const r of m.roles.filter((x) => EC2_PURPOSES.has(x.purpose!))) assert.deepEqual(trustServices(r), [ec2]);
            for (const r of m.roles.filter((x) => x.purpose?.endsWith("lambda") || x.purpose === "lambda-functions")) assert.deepEqual(trustServices(r), ["lambda.amazonaws.com"]);
        });
    }
});
