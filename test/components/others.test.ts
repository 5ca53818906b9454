import * as assert from "node:assert/strict";
import { parse } from "yaml";
import { AdditionalPolicy, ApiFunctionAccess, ImageBuildRoles, PermissionsBoundary, API_FUNCTION_ACCESS_POLICY_NAME } from "../../components";
import { isAllowListedCustomerPolicy } from "../../components/policies/allowlist";
import { apiFunctionAccessPolicy } from "../../components/policies/apiFunctionAccess";
import { makeContext } from "../../components/policies/context";
import { imageBuilderInstancePolicy } from "../../components/policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "../../components/policies/imageCleanupLambda";
import { permissionsBoundaryPolicy } from "../../components/policies/permissionsBoundary";
import { ssmAccessPolicy } from "../../components/policies/ssmAccess";
import { PolicyDocument } from "../../components/policies/types";
import { ec2TrustPolicy, lambdaTrustPolicy } from "../../components/policies/trust";
import { shortHash } from "../../components/common";
import { Recorded, doc, record, valueOf } from "../support/harness";

const ctx = makeContext({ partition: "aws", accountId: "123456789012", region: "us-east-1" });
const BOUNDARY = "arn:aws:iam::123456789012:policy/parallelcluster/boundary";
const of = (rs: Recorded[], type: string) => rs.filter((r) => r.type === type);
const children = (rs: Recorded[]) => rs.filter((r) => r.custom).map((r) => `${r.type} ${r.name}`).sort();

describe("ImageBuildRoles", () => {
    it("creates the Image Builder instance role with profile and the cleanup Lambda role, bound and pathed", async () => {
        let c: ImageBuildRoles | undefined;
        const r = await record(() => (c = new ImageBuildRoles("img", { permissionsBoundaryArn: BOUNDARY, additionalIamPolicies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] })));
        if (r.error) throw r.error;
        const inst = imageBuilderInstancePolicy(ctx);
        const clean = imageCleanupLambdaPolicy(ctx);
        const attachNames = [...inst.managedPolicyArns, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"].length + clean.managedPolicyArns.length;
        assert.deepEqual(children(r.resources).filter((n) => !n.includes("RolePolicyAttachment")), [
            "aws:iam/instanceProfile:InstanceProfile img-image-builder",
            "aws:iam/role:Role img-image-builder",
            "aws:iam/role:Role img-image-cleanup",
            "aws:iam/rolePolicy:RolePolicy img-image-builder-policy",
            "aws:iam/rolePolicy:RolePolicy img-image-cleanup-policy",
        ]);
        assert.equal(of(r.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, attachNames);
        for (const child of r.resources.filter((x) => x.custom)) assert.match(child.urn, /::parallelcluster-iam:index:ImageBuildRoles\$aws:iam\//, child.name);
        for (const role of of(r.resources, "aws:iam/role:Role")) {
            assert.equal(role.inputs.path, "/parallelcluster/");
            assert.equal(role.inputs.permissionsBoundary, BOUNDARY);
            assert.match(role.urn, /ImageBuildRoles\$aws:iam\/role:Role::/);
        }
        const [builder, cleanup] = ["img-image-builder", "img-image-cleanup"].map((n) => r.resources.find((x) => x.type === "aws:iam/role:Role" && x.name === n)!);
        assert.deepEqual(doc(builder.inputs.assumeRolePolicy), ec2TrustPolicy(ctx));
        assert.deepEqual(doc(cleanup.inputs.assumeRolePolicy), lambdaTrustPolicy(ctx));
        const inline = (n: string) => doc(r.resources.find((x) => x.name === n)!.inputs.policy);
        assert.deepEqual(inline("img-image-builder-policy"), inst.inlinePolicy);
        assert.deepEqual(inline("img-image-cleanup-policy"), clean.inlinePolicy);
        const config = await valueOf(c!.buildConfig);
        assert.deepEqual(config, {
            Build: { Iam: { InstanceProfile: of(r.resources, "aws:iam/instanceProfile:InstanceProfile")[0].state.arn, CleanupLambdaRole: cleanup.state.arn, PermissionsBoundary: BOUNDARY } },
        });
        assert.deepEqual(parse(await valueOf(c!.buildConfigYaml)), config);
    });
});

describe("ImageBuildRoles parallelClusterVersion", () => {
    it("accepts the supported release with the same children and documents as the default (other releases: badInputs)", async () => {
        const plain = await record(() => new ImageBuildRoles("img", {}));
        const pinned = await record(() => new ImageBuildRoles("img", { parallelClusterVersion: "3.12" }));
        if (pinned.error) throw pinned.error;
        const view = (rs: typeof plain.resources) => rs.map((x) => [x.type, x.name, JSON.stringify(x.inputs)]);
        assert.deepEqual(view(pinned.resources), view(plain.resources));
    });
});

describe("ImageBuildRoles in a VPC", () => {
    it("gives the cleanup Lambda role the Lambda VPC access policy (D18)", async () => {
        const r = await record(() => new ImageBuildRoles("img", { lambdaFunctionsInVpc: true }));
        if (r.error) throw r.error;
        const cleanup = r.resources.find((x) => x.type === "aws:iam/role:Role" && x.name === "img-image-cleanup")!;
        const attached = of(r.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === cleanup.state.name).map((a) => a.inputs.policyArn).sort();
        assert.deepEqual(attached, [...imageCleanupLambdaPolicy(ctx, { vpc: true }).managedPolicyArns].sort());
        assert.ok(attached.includes("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"));
    });
});

describe("PermissionsBoundary", () => {
    it("creates the boundary policy on /parallelcluster/operator/ (off the allow-list) with the builder's document", async () => {
        let c: PermissionsBoundary | undefined;
        const r = await record(() => (c = new PermissionsBoundary("pb")));
        if (r.error) throw r.error;
        assert.deepEqual(children(r.resources), ["aws:iam/policy:Policy pb-boundary"]);
        const p = r.resources.find((x) => x.type === "aws:iam/policy:Policy")!;
        assert.equal(p.inputs.path, "/parallelcluster/operator/");
        const policyName = `parallelcluster-permissions-boundary-pb-${shortHash("parallelcluster-iam/test")}`;
        assert.equal(p.inputs.name, policyName);
        assert.deepEqual(doc(p.inputs.policy), permissionsBoundaryPolicy(ctx, { policyName, policyPath: "/parallelcluster/operator/" }));
        assert.equal(await valueOf(c!.arn), `arn:aws:iam::123456789012:policy/parallelcluster/operator/${policyName}`);
        assert.match(p.urn, /PermissionsBoundary\$aws:iam\/policy:Policy::pb-boundary$/);
    });
    it("puts the buckets, secrets, parameters and regions it is given (Inputs) into the document", async () => {
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:munge-AbCdEf";
        const parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/hpc/ad-password";
        const r = await record(() => new PermissionsBoundary("pb", {
            s3Buckets: ["hpc-data", Promise.resolve("hpc-scratch")], secretArns: [secret], parameterArns: [parameter], regions: ["us-east-1"],
        }));
        if (r.error) throw r.error;
        const p = r.resources.find((x) => x.type === "aws:iam/policy:Policy")!;
        const policyName = `parallelcluster-permissions-boundary-pb-${shortHash("parallelcluster-iam/test")}`;
        assert.deepEqual(doc(p.inputs.policy), permissionsBoundaryPolicy(ctx, {
            policyName, policyPath: "/parallelcluster/operator/", s3Buckets: ["hpc-data", "hpc-scratch"], secretArns: [secret], parameterArns: [parameter], regions: ["us-east-1"],
        }));
        const sids = (doc(p.inputs.policy) as PolicyDocument).Statement.map((st) => st.Sid);
        for (const sid of ["SecretsAndParameters", "DenyOtherRegions"]) assert.ok(sids.includes(sid), sid);
    });
    it("refuses a bad list entry before registering anything, naming it", async () => {
        const r = await record(() => new PermissionsBoundary("pb", { s3Buckets: ["hpc-data", "arn:aws:s3:::hpc-data"], regions: ["cn-north-1"] }));
        assert.ok(r.error, "expected an error");
        assert.match(String(r.error), /s3Buckets\[1\]: 'arn:aws:s3:::hpc-data' is not a valid S3 bucket name/);
        assert.equal(r.resources.filter((x) => x.custom).length, 0);
        const e = await record(() => new PermissionsBoundary("pb", { existingArn: BOUNDARY, s3Buckets: ["hpc-data"] }));
        assert.match(String(e.error), /s3Buckets: .*cannot be set with existingArn/);
    });
    it("passes an existing ARN through without creating anything", async () => {
        let c: PermissionsBoundary | undefined;
        const r = await record(() => (c = new PermissionsBoundary("pb", { existingArn: BOUNDARY })));
        if (r.error) throw r.error;
        assert.deepEqual(children(r.resources), []);
        assert.equal(await valueOf(c!.arn), BOUNDARY);
    });
});

describe("AdditionalPolicy", () => {
    it("creates the SSM access preset where the allow-list accepts it", async () => {
        let c: AdditionalPolicy | undefined;
        const r = await record(() => (c = new AdditionalPolicy("ssm", { preset: "ssmAccess", bucket: "hpc-jobs" })));
        if (r.error) throw r.error;
        const p = r.resources.find((x) => x.type === "aws:iam/policy:Policy")!;
        assert.deepEqual(doc(p.inputs.policy), ssmAccessPolicy(ctx, { bucket: "hpc-jobs" }));
        assert.match(p.urn, /AdditionalPolicy\$aws:iam\/policy:Policy::ssm-policy$/);
        assert.ok(isAllowListedCustomerPolicy(p.state.name as string, p.inputs.path as string));
        assert.equal((p.inputs.tags as Record<string, string>)["parallelcluster-iam:purpose"], "additional-policy");
        assert.equal(await valueOf(c!.arn), `arn:aws:iam::123456789012:policy/parallelcluster/${p.state.name}`);
    });
    it("creates a given document at path / when its name starts with parallelcluster", async () => {
        const document = { Version: "2012-10-17" as const, Statement: [{ Effect: "Allow" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::hpc-ref/*" }] };
        const r = await record(() => new AdditionalPolicy("ref", { document: JSON.stringify(document), path: "/", policyName: "parallelcluster-reference-data" }));
        if (r.error) throw r.error;
        const p = r.resources.find((x) => x.type === "aws:iam/policy:Policy")!;
        assert.deepEqual(doc(p.inputs.policy), document);
        assert.equal(p.state.arn, "arn:aws:iam::123456789012:policy/parallelcluster-reference-data");
    });
});

describe("ApiFunctionAccess", () => {
    it("puts the allow-list-conditioned attach/detach grant on the existing function role", async () => {
        const r = await record(() => new ApiFunctionAccess("api", { functionRoleName: "ParallelClusterFunctionRole-ABC", lambdaVpcAccess: true }));
        if (r.error) throw r.error;
        assert.deepEqual(children(r.resources), ["aws:iam/rolePolicy:RolePolicy api-attach-detach"]);
        const p = r.resources[1];
        assert.equal(p.inputs.role, "ParallelClusterFunctionRole-ABC");
        assert.equal(p.inputs.name, API_FUNCTION_ACCESS_POLICY_NAME);
        assert.deepEqual(doc(p.inputs.policy), apiFunctionAccessPolicy(ctx, { lambdaVpcAccess: true }));
        assert.match(p.urn, /ApiFunctionAccess\$aws:iam\/rolePolicy:RolePolicy::api-attach-detach$/);
    });
});
