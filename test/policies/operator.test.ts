import * as assert from "node:assert/strict";
import { OPERATOR_PATH, isAllowListedCustomerPolicy, isAllowedPolicyArn } from "../../components/policies/allowlist";
import { apiFunctionAccessPolicy } from "../../components/policies/apiFunctionAccess";
import { makeContext } from "../../components/policies/context";
import { permissionsBoundaryArn, permissionsBoundaryPolicy } from "../../components/policies/permissionsBoundary";
import { PolicyDocument } from "../../components/policies/types";
import { userIamPermissionsBoundaryPolicy, userIamPrivilegedPolicy } from "../../components/policies/userIam";
import { simulate } from "../support/simulate";

// R2: the operator's own IAM (the user role, its policies, the boundary) lives below /parallelcluster/operator/,
// inside the allow-list's name space, so every attach grant and check here must keep it out of reach.
const ACCOUNT = "123456789012";
const ctx = makeContext({ accountId: ACCOUNT, region: "us-east-1" });
const OPERATOR_POLICY = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/operator/ops-iam-1a2b3c4`;
const OPERATOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/operator/ops-role-1a2b3c4`;
const CLUSTER_ROLE = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/hpc/hpc-RoleHeadNode-ABC`;
const ALLOWED = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy";
const BOUNDARY = permissionsBoundaryArn(ctx);
const ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

describe("the operator's role and policies are out of reach (R2)", () => {
    it("the allow-list checks refuse operator policies", () => {
        assert.equal(OPERATOR_PATH, "/parallelcluster/operator/");
        assert.ok(!isAllowedPolicyArn(OPERATOR_POLICY, "aws", ACCOUNT));
        assert.ok(isAllowedPolicyArn(`arn:aws:iam::${ACCOUNT}:policy/parallelcluster/team-ssm`, "aws", ACCOUNT));
        assert.ok(!isAllowListedCustomerPolicy("ops-iam", OPERATOR_PATH));
        assert.ok(isAllowListedCustomerPolicy("team-ssm", "/parallelcluster/"));
    });

    for (const [mode, doc, context] of [
        ["privileged", userIamPrivilegedPolicy(ctx), {}],
        ["permissionsBoundary", userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: BOUNDARY }), { "iam:PermissionsBoundary": BOUNDARY }],
    ] as const) {
        it(`${mode} user: attaches allow-listed policies to cluster roles, never operator policies, never touches the operator's role`, async () => {
            const attach = (policy: string, role = CLUSTER_ROLE) =>
                simulate({ identityPolicies: [doc], action: "iam:AttachRolePolicy", resource: role, context: { ...context, "iam:PolicyARN": policy } });
            assert.equal(await attach(ALLOWED), "Allowed");
            assert.equal(await attach(OPERATOR_POLICY), "ExplicitlyDenied");
            assert.equal(await attach(ALLOWED, OPERATOR_ROLE), "ExplicitlyDenied");
            for (const action of ["iam:PutRolePolicy", "iam:DeleteRole", "iam:PassRole"]) {
                assert.equal(await simulate({ identityPolicies: [doc], action, resource: OPERATOR_ROLE, context: { ...context, "iam:PassedToService": "ec2.amazonaws.com" } }), "ExplicitlyDenied", action);
            }
        });
    }

    it("the API function grant attaches allow-listed policies only, never operator policies", async () => {
        const doc = apiFunctionAccessPolicy(ctx);
        const attach = (policy: string) => simulate({ identityPolicies: [doc], action: "iam:AttachRolePolicy", resource: CLUSTER_ROLE, context: { "iam:PolicyARN": policy } });
        assert.equal(await attach(ALLOWED), "Allowed");
        assert.equal(await attach(OPERATOR_POLICY), "ExplicitlyDenied");
    });

    it("a role under the boundary makes no IAM write on the path, nothing at all on the operator path, and passes no operator role; it can build AWS Batch images", async () => {
        const boundary = permissionsBoundaryPolicy(ctx);
        const bound = { "iam:PermissionsBoundary": BOUNDARY };
        const under = (action: string, resource: string, context: Record<string, string>) => simulate({ identityPolicies: [ALL], boundary, action, resource, context });
        // No bound ParallelCluster role creates or grows roles: the user does, through CloudFormation.
        assert.equal(await under("iam:AttachRolePolicy", CLUSTER_ROLE, { ...bound, "iam:PolicyARN": ALLOWED }), "ImplicitlyDenied");
        assert.notEqual(await under("iam:AttachRolePolicy", CLUSTER_ROLE, { ...bound, "iam:PolicyARN": OPERATOR_POLICY }), "Allowed");
        for (const action of ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:UpdateAssumeRolePolicy"]) {
            assert.equal(await under(action, OPERATOR_ROLE, { ...bound, "iam:PolicyARN": ALLOWED }), "ExplicitlyDenied", action);
        }
        assert.equal(await under("iam:PassRole", OPERATOR_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }), "ExplicitlyDenied");
        assert.equal(await under("iam:PassRole", CLUSTER_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
        assert.equal(await under("codebuild:StartBuild", `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pcluster-analytics-build`, {}), "Allowed");
        assert.notEqual(await under("codebuild:StartBuild", `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/other`, {}), "Allowed");
    });
});
