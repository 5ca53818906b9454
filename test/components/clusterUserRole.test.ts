import * as assert from "node:assert/strict";
import { ClusterUserRole, ClusterUserRoleArgs, ClusterNodeRoles } from "../../components";
import { makeContext } from "../../components/policies/context";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { userTrustPolicy } from "../../components/policies/trust";
import { PolicyDocument, policyDocument } from "../../components/policies/types";
import { userPolicyDocuments } from "../../components/userPolicySet";
import { semanticDiff } from "../support/semantic";
import { Recorded, doc, record, valueOf } from "../support/harness";
import { simulate } from "../support/simulate";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ad-password-AbCdEf";
const BOUNDARY = "arn:aws:iam::123456789012:policy/parallelcluster/boundary";
const ctx = makeContext({ partition: "aws", accountId: "123456789012", region: "us-east-1" });

async function run(args: ClusterUserRoleArgs, extra?: () => void) {
    let c: ClusterUserRole | undefined;
    const r = await record(() => {
        extra?.();
        c = new ClusterUserRole("ops", args);
    });
    if (r.error) throw r.error;
    return { resources: r.resources, component: c! };
}
const policies = (rs: Recorded[]) => rs.filter((r) => r.type === POLICY);
const docsOf = (rs: Recorded[]) => policies(rs).map((p) => doc(p.inputs.policy) as PolicyDocument);

describe("ClusterUserRole", () => {
    const privileged: ClusterUserRoleArgs = { iamMode: "privileged", trustedPrincipalArns: [ADMIN], requireMfa: true, fsx: true, fsxBuckets: ["hpc-data"], imageBuild: true, secretArns: [SECRET] };

    it("creates the role and the fewest attached, pathed, in-limit policies named by position; documents equal the builders'", async () => {
        const { resources, component } = await run(privileged);
        const expectedDocs = userPolicyDocuments(ctx, {
            iamMode: "privileged", batch: false, fsx: true, fsxBuckets: ["hpc-data"], imageBuild: true, secretArns: [SECRET],
            passRoleArns: [], extraAllowedPolicyArns: [], lambdaVpcAccess: false, regionScope: "*",
        }).map(([, d]) => d);
        const bound = Math.ceil(policySize({ Version: "2012-10-17", Statement: expectedDocs.flatMap((d) => d.Statement) }) / MANAGED_POLICY_MAX_CHARS);
        assert.deepEqual(
            resources.filter((r) => r.custom && r.type !== ATTACH).map((r) => `${r.type} ${r.name}`).sort(),
            [...Array.from({ length: policies(resources).length }, (_, i) => `${POLICY} ops-part-${i + 1}`), `${ROLE} ops-role`].sort(),
        );
        assert.ok(policies(resources).length <= bound + 1, `${policies(resources).length} policies; the lower bound is ${bound}`);
        const role = resources.find((r) => r.type === ROLE)!;
        assert.equal(role.inputs.path, "/parallelcluster/operator/");
        assert.deepEqual(doc(role.inputs.assumeRolePolicy), userTrustPolicy(ctx, { principalArns: [ADMIN], requireMfa: true }));
        for (const p of policies(resources)) {
            assert.equal(p.inputs.path, "/parallelcluster/operator/");
            assert.ok(policySize(doc(p.inputs.policy) as object) <= MANAGED_POLICY_MAX_CHARS);
            assert.equal((p.inputs.tags as Record<string, string>)["parallelcluster-iam:purpose"], "cluster-user");
            assert.match(p.urn, /ClusterUserRole\$aws:iam\/policy:Policy::/);
        }
        const expected = userPolicyDocuments(ctx, {
            iamMode: "privileged", batch: false, fsx: true, fsxBuckets: ["hpc-data"], imageBuild: true, secretArns: [SECRET],
            passRoleArns: [], extraAllowedPolicyArns: [], lambdaVpcAccess: false, regionScope: "*",
        }).map(([, d]) => d);
        assert.deepEqual(semanticDiff(docsOf(resources), expected), { added: [], removed: [] });
        const attached = resources.filter((r) => r.type === ATTACH);
        assert.equal(attached.length, policies(resources).length);
        for (const a of attached) assert.equal(a.inputs.role, role.state.name);
        assert.deepEqual([...attached.map((a) => a.inputs.policyArn)].sort(), policies(resources).map((p) => p.state.arn).sort());
        assert.deepEqual((await valueOf(component.policyArns)).sort(), policies(resources).map((p) => p.state.arn as string).sort());
        assert.equal(await valueOf(component.roleArn), role.state.arn);
    });

    it("loginNodes and capacityReservationResourceGroups add the template's statements; parallelClusterVersion is checked", async () => {
        const { resources } = await run({ ...privileged, loginNodes: true, capacityReservationResourceGroups: true, parallelClusterVersion: "3.12" });
        const expected = userPolicyDocuments(ctx, {
            iamMode: "privileged", batch: false, fsx: true, fsxBuckets: ["hpc-data"], imageBuild: true, secretArns: [SECRET],
            passRoleArns: [], extraAllowedPolicyArns: [], lambdaVpcAccess: false, regionScope: "*", loginNodes: true, capacityReservationResourceGroups: true,
        }).map(([, d]) => d);
        assert.deepEqual(semanticDiff(docsOf(resources), expected), { added: [], removed: [] });
        const sids = docsOf(resources).flatMap((d) => d.Statement.map((st) => st.Sid));
        for (const sid of ["LoginNodesFunctionalities", "LoginNodesFunctionalitiesNoCondition", "LoginNodesCreateListener", "LoginNodesServiceLinkedRoles", "ResourceGroupRead"]) assert.ok(sids.includes(sid), sid);
        for (const p of policies(resources)) assert.ok(policySize(doc(p.inputs.policy) as object) <= MANAGED_POLICY_MAX_CHARS);
        await assert.rejects(run({ ...privileged, parallelClusterVersion: "3.8" }), /parallelClusterVersion: '3.8' is not supported; supported: 3.12/);
        await assert.rejects(run({ ...privileged, loginNodes: "yes" as unknown as boolean }), /loginNodes: 'yes' is not a boolean/);
    });

    it("splits the region-scoped base policy into parts when secrets push it over the limit", async () => {
        const secrets = Array.from({ length: 40 }, (_, i) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:cluster-${i}-AbCdEf`);
        const { resources } = await run({ iamMode: "privileged", trustedPrincipalArns: [ADMIN], secretArns: secrets, regionScope: "us-east-1" });
        const names = policies(resources).map((p) => p.name).sort();
        assert.deepEqual(names, ["ops-part-1", "ops-part-2"]);
        for (const d of docsOf(resources)) assert.ok(policySize(d) <= MANAGED_POLICY_MAX_CHARS);
    });

    it("conditions role creation and attachment on the boundary in permissionsBoundary mode", async () => {
        const { resources } = await run({ iamMode: "permissionsBoundary", trustedPrincipalArns: [ADMIN], batch: true, permissionsBoundaryArn: BOUNDARY });
        const iam = policyDocument(docsOf(resources).flatMap((d) => d.Statement));
        const attach = iam.Statement.find((s) => JSON.stringify(s.Action).includes("iam:AttachRolePolicy") && s.Condition?.StringEquals !== undefined)!;
        assert.deepEqual(Object.keys(attach.Condition!).sort(), ["ArnLike", "StringEquals"]);
        assert.deepEqual([attach.Condition!.StringEquals["iam:PermissionsBoundary"]].flat(), [BOUNDARY]);
        const create = iam.Statement.find((s) => JSON.stringify(s.Action).includes("iam:CreateRole"))!;
        assert.deepEqual([create.Condition!.StringEquals["iam:PermissionsBoundary"]].flat(), [BOUNDARY]);
        assert.ok(iam.Statement.some((s) => JSON.stringify(s.Action).includes("batch:")));
    });

    it("lets a restricted-mode user pass exactly the roles another component created", async () => {
        let nodes: ClusterNodeRoles | undefined;
        let user: ClusterUserRole | undefined;
        const r = await record(() => {
            nodes = new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }] });
            user = new ClusterUserRole("ops", { iamMode: "restricted", trustedPrincipalArns: [ADMIN], imageBuild: true, passRoleArns: [nodes.headNodeRoleArn, nodes.lambdaFunctionsRoleArn] });
        });
        if (r.error) throw r.error;
        assert.ok(user);
        const iam = docsOf(r.resources).flatMap((d) => d.Statement).filter((s) => JSON.stringify(s.Action).includes("iam:PassRole"));
        const resources = iam.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
        assert.deepEqual(resources.sort(), [await valueOf(nodes!.headNodeRoleArn), await valueOf(nodes!.lambdaFunctionsRoleArn)].sort());
        // No other policy of the user may pass roles: the guide's path-wide PassRole is dropped in restricted mode.
        const passing = docsOf(r.resources).flatMap((d) => d.Statement).filter((s) => JSON.stringify(s.Action).includes("iam:PassRole"));
        assert.equal(passing.length, 1);
        // R1: and no IAM writes: pre-created instance profiles need none (reads stay).
        const actions = docsOf(r.resources).flatMap((d) => d.Statement).flatMap((s) => [s.Action].flat() as string[]);
        for (const write of ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"]) {
            assert.ok(!actions.includes(write), write);
        }
        assert.ok(actions.includes("iam:GetInstanceProfile"));
    });

    it("D33: protectedArns — the stack's own roles and profiles are passed, never written, although the path-wide grants reach them", async () => {
        let nodes: ClusterNodeRoles | undefined;
        const r = await record(() => {
            nodes = new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: [{ name: "cpu" }], permissionsBoundaryArn: BOUNDARY });
            new ClusterUserRole("ops", {
                iamMode: "permissionsBoundary", trustedPrincipalArns: [ADMIN], permissionsBoundaryArn: BOUNDARY,
                protectedArns: [nodes.headNodeRole.arn, nodes.headNodeInstanceProfile.arn, nodes.computeRoles.cpu.arn],
            });
        });
        if (r.error) throw r.error;
        const deny = docsOf(r.resources).flatMap((d) => d.Statement).filter((s) => s.Sid === "DenyStackRoleWrites");
        assert.equal(deny.length, 1);
        assert.equal(deny[0].Effect, "Deny");
        assert.deepEqual(deny[0].NotAction, ["iam:PassRole", "iam:Get*", "iam:List*"]);
        const expected = [await valueOf(nodes!.headNodeRole.arn), await valueOf(nodes!.headNodeInstanceProfile.arn), await valueOf(nodes!.computeRoles.cpu.arn)];
        assert.deepEqual(deny[0].Resource, expected);
        // The simulator's verdict on the stack's head-node role: deletable without the deny, not with it.
        const user = docsOf(r.resources);
        const head = expected[0];
        assert.equal(await simulate({ identityPolicies: user, action: "iam:DeleteRole", resource: head }), "ExplicitlyDenied");
        assert.equal(await simulate({ identityPolicies: user, action: "iam:DeleteRole", resource: "arn:aws:iam::123456789012:role/parallelcluster/hpc/hpc-RoleHeadNode-ABC" }), "Allowed");
        assert.equal(await simulate({ identityPolicies: user, action: "iam:PassRole", resource: head, context: { "iam:PassedToService": "ec2.amazonaws.com" } }), "Allowed");
    });

    it("refuses protectedArns that are not one role or instance profile, naming the entry", async () => {
        const bad = await record(() => new ClusterUserRole("ops", {
            iamMode: "permissionsBoundary", trustedPrincipalArns: [ADMIN], permissionsBoundaryArn: BOUNDARY,
            protectedArns: ["arn:aws:iam::123456789012:role/parallelcluster/x", "arn:aws:iam::123456789012:role/parallelcluster/*"],
        }));
        assert.match(String(bad.error), /protectedArns\[1\]: 'arn:aws:iam::123456789012:role\/parallelcluster\/\*' contains a wildcard/);
        assert.equal(bad.resources.filter((x) => x.custom).length, 0);
        const policy = await record(() => new ClusterUserRole("ops", {
            iamMode: "permissionsBoundary", trustedPrincipalArns: [ADMIN], permissionsBoundaryArn: BOUNDARY, protectedArns: ["arn:aws:iam::123456789012:policy/x"],
        }));
        assert.match(String(policy.error), /protectedArns\[0\]: 'arn:aws:iam::123456789012:policy\/x' is not an IAM role ARN/);
    });

    it("attaches to an existing role without creating one", async () => {
        const { resources, component } = await run({ iamMode: "privileged", existingRoleName: "PclusterOperators" });
        assert.equal(resources.filter((r) => r.type === ROLE).length, 0);
        const attachments = resources.filter((r) => r.type === ATTACH);
        assert.equal(attachments.length, policies(resources).length);
        for (const a of attachments) assert.equal(a.inputs.role, "PclusterOperators");
        assert.equal(await valueOf(component.roleArn), "arn:aws:iam::123456789012:role/PclusterOperators");
    });

    it("keeps existing policies' names and URNs when a feature is added", async () => {
        const before = await run({ iamMode: "privileged", trustedPrincipalArns: [ADMIN] });
        const after = await run({ iamMode: "privileged", trustedPrincipalArns: [ADMIN], batch: true, imageBuild: true });
        const urns = new Set(after.resources.map((r) => r.urn));
        for (const r of before.resources) assert.ok(urns.has(r.urn), `${r.urn} changed`);
    });
});
