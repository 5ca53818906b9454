/**
 * In-process unit tests, as @pulumi/awsguard tests its policies: each policy's validations called
 * directly with typed resource args (aws.iam.RoleArgs, PolicyArgs...), plus the semantic module every
 * policy shares. Fast and exhaustive; the gRPC tests (adversarial.test.ts, corpus.test.ts) run the
 * same cases through the pack started as the CLI starts it.
 */
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { judgeAccount, providerAccount } from "../../policypack/lib/accounts";
import { pcByName, operatorExemption } from "../../policypack/lib/iam";
import { adminFindings, canMatchPrefix, coversAction, coversEvery, passedToServiceScope, statement, trustAdmitsCompute } from "../../policypack/lib/semantics";
import { allowedManagedPolicies, extraArnProblem, EXTRA_ARN_PATTERN } from "../../policypack/policies/allowedManagedPolicies";
import { iamPathPolicy } from "../../policypack/policies/iamPath";
import { managedPolicyQuota } from "../../policypack/policies/managedPolicyQuota";
import { noAdminWildcards } from "../../policypack/policies/noAdminWildcards";
import { noExclusivePolicyAttachment } from "../../policypack/policies/noExclusivePolicyAttachment";
import { passRoleScoped } from "../../policypack/policies/passRoleScoped";
import { permissionsBoundary } from "../../policypack/policies/permissionsBoundary";
import { policySizePolicy } from "../../policypack/policies/policySize";
import { validActions } from "../../policypack/policies/validActions";
import { ADMIN_ACCEPTED, ADMIN_REFUSED, NOT_PC_NAMES, PASSROLE_ACCEPTED, PASSROLE_REFUSED, PC_NAMES } from "./cases";
import { ACCOUNT, accountTrust, doc, ec2Trust } from "./fixtures";
import { runResourcePolicy, runStackPolicy, typed } from "./inprocess";

const OTHER = "999999999999";
const lambdaTrust = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
const pcRole = (name: string, args: Partial<aws.iam.RoleArgs> = {}) =>
    typed<aws.iam.RoleArgs>(aws.iam.Role, name, { name, path: "/parallelcluster/", assumeRolePolicy: ec2Trust, tags: { "parallelcluster-iam:purpose": "head-node" }, ...args });
const plainRole = (name: string, args: Partial<aws.iam.RoleArgs> = {}) => typed<aws.iam.RoleArgs>(aws.iam.Role, name, { name, path: "/", assumeRolePolicy: ec2Trust, ...args });
const customerPolicy = (name: string, statements: object[]) => typed<aws.iam.PolicyArgs>(aws.iam.Policy, name, { name, path: "/", policy: doc(...statements) });

describe("policy pack semantics (lib/semantics.ts)", () => {
    it("action coverage: case-insensitive IAM wildcards, NotAction as complement", () => {
        const s = (raw: object) => statement(raw as Record<string, unknown>);
        assert.equal(coversAction(s({ Action: "iam:?*" }), "iam:PassRole"), true);
        assert.equal(coversAction(s({ Action: "IAM:pass*" }), "iam:PassRole"), true);
        assert.equal(coversAction(s({ Action: "iam:Get*" }), "iam:PassRole"), false);
        assert.equal(coversAction(s({ NotAction: "iam:PassRole" }), "iam:PassRole"), false);
        assert.equal(coversAction(s({ NotAction: "s3:*" }), "iam:PassRole"), true);
    });
    it("resource coverage: arn:*, arn:aws:iam::*:*, role/* of an account and NotResource cover every role", () => {
        for (const r of ["*", "arn:*", "arn:aws:iam::*:*", `arn:aws:iam::${ACCOUNT}:role/*`, "arn:aws*:iam::*:role*", `arn:aws-cn:iam::${ACCOUNT}:*`]) {
            assert.ok(coversEvery(statement({ Resource: r }), "role"), r);
        }
        assert.ok(coversEvery(statement({ NotResource: "arn:aws:s3:::x" }), "any"));
        for (const r of [`arn:aws:iam::${ACCOUNT}:role/parallelcluster/*`, "arn:aws:s3:::*", `arn:aws:iam::${ACCOUNT}:role/app-*`]) {
            assert.equal(coversEvery(statement({ Resource: r }), "role"), undefined, r);
        }
        assert.equal(canMatchPrefix("arn:*", "arn:aws:iam::"), true);
        assert.equal(canMatchPrefix("arn:aws:s3:::*", "arn:aws:iam::"), false);
    });
    it("iam:PassedToService: only non-wildcard values under StringEquals/StringLike(/IgnoreCase, ForAnyValue:) restrict it", () => {
        for (const [label, st] of PASSROLE_REFUSED) {
            const c = (st as { Condition?: unknown }).Condition;
            if (!c || label.startsWith("Resource") || label === "NotResource") continue;
            assert.notEqual(passedToServiceScope(c).kind, "services", label);
        }
        assert.deepEqual(passedToServiceScope({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } }), { kind: "services", services: ["ec2.amazonaws.com"] });
        assert.equal(passedToServiceScope(undefined).kind, "absent");
    });
    it("admin-equivalent grants, however spelt", async () => {
        for (const [label, st] of ADMIN_REFUSED) assert.ok((await adminFindings(statement(st as Record<string, unknown>))).length > 0, label);
        for (const [label, st] of ADMIN_ACCEPTED) assert.deepEqual(await adminFindings(statement(st as Record<string, unknown>)), [], label);
    });
    it("trust policies: EC2 or Lambda (also via '*', wildcards, NotPrincipal) hand the role to compute", () => {
        const t = (principal: unknown, extra: object = {}) => ({ Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal, ...extra }] });
        assert.equal(trustAdmitsCompute(t({ Service: "ec2.amazonaws.com" })), "ec2.amazonaws.com");
        assert.equal(trustAdmitsCompute(t({ Service: ["ssm.amazonaws.com", "lambda.amazonaws.com"] })), "lambda.amazonaws.com");
        assert.equal(trustAdmitsCompute(t("*")), "*");
        assert.equal(trustAdmitsCompute(t({ Service: "*.amazonaws.com" })), "*.amazonaws.com");
        assert.equal(trustAdmitsCompute({ Statement: [{ Effect: "Allow", Action: "sts:*", NotPrincipal: { AWS: "arn:aws:iam::1:root" } }] }), "NotPrincipal");
        assert.equal(trustAdmitsCompute(t({ AWS: `arn:aws:iam::${ACCOUNT}:root` })), false);
        assert.equal(trustAdmitsCompute(t({ Service: "ec2.amazonaws.com" }, { Effect: "Deny" })), false);
    });
    it("names: parallelcluster / pcluster as whole words, never substrings", () => {
        for (const n of PC_NAMES) assert.equal(pcByName(n), true, n);
        for (const n of NOT_PC_NAMES) assert.equal(pcByName(n), false, n);
    });
    it("operator exemption from one role's properties: path and a trust policy without EC2/Lambda", () => {
        const path = "/parallelcluster/operator/";
        assert.equal(operatorExemption({ path, assumeRolePolicy: accountTrust }), true);
        assert.equal(operatorExemption({ path, assumeRolePolicy: ec2Trust }), false);
        assert.equal(operatorExemption({ path, assumeRolePolicy: lambdaTrust }), false);
        assert.equal(operatorExemption({ path: "/parallelcluster/", assumeRolePolicy: accountTrust }), false);
    });
    it("accounts: provider pins, and conservative judgement when unknown", () => {
        assert.equal(providerAccount({ allowedAccountIds: JSON.stringify([ACCOUNT]) }), ACCOUNT);
        assert.equal(providerAccount({ assumeRoles: [{ roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy` }] }), ACCOUNT);
        assert.equal(judgeAccount(ACCOUNT, { own: ACCOUNT, seen: [] }), undefined);
        assert.match(judgeAccount(OTHER, { own: ACCOUNT, seen: [] }) ?? "", /account 999999999999, not of the role's account 123456789012/);
        assert.equal(judgeAccount(OTHER, { seen: [OTHER] }), undefined);
        assert.match(judgeAccount(OTHER, { seen: [OTHER, ACCOUNT] }) ?? "", /cannot tell/);
    });
    it("extraAllowedPolicyArns: concrete, non-admin ARNs only (schema pattern and runtime check agree)", () => {
        const re = new RegExp(EXTRA_ARN_PATTERN);
        for (const bad of ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/administratoraccess", "arn:aws:iam::aws:policy/IAMFullAccess",
            "arn:aws:iam::aws:policy/PowerUserAccess", `arn:aws:iam::${ACCOUNT}:policy/*`, `arn:aws:iam::${ACCOUNT}:policy/team/?`, "arn:aws:iam::*:policy/x",
            `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/operator/ops`, "AdministratorAccess"]) {
            assert.equal(re.test(bad), false, bad);
            assert.ok(extraArnProblem(bad), bad);
        }
        for (const ok of [`arn:aws:iam::${ACCOUNT}:policy/team/x`, "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore"]) {
            assert.equal(re.test(ok), true, ok);
            assert.equal(extraArnProblem(ok), undefined, ok);
        }
    });
});

describe("policies in-process with typed resource args", () => {
    describe("parallelcluster-passrole-scoped", () => {
        for (const [label, st] of PASSROLE_REFUSED) {
            it(`refuses: ${label}`, async () => {
                const v = await runResourcePolicy(passRoleScoped, customerPolicy("p", [st]));
                assert.equal(v.length, 1, JSON.stringify(v));
                assert.match(v[0], /grants iam:PassRole.*Fix:/);
            });
        }
        for (const [label, st] of PASSROLE_ACCEPTED) {
            it(`accepts: ${label}`, async () => assert.deepEqual(await runResourcePolicy(passRoleScoped, customerPolicy("p", [st])), []));
        }
        it("judges role inline policies, RolePolicy, UserPolicy and GroupPolicy alike", async () => {
            const bad = doc(PASSROLE_REFUSED[1][1]);
            assert.equal((await runResourcePolicy(passRoleScoped, plainRole("r", { inlinePolicies: [{ name: "i", policy: bad }] }))).length, 1);
            assert.equal((await runResourcePolicy(passRoleScoped, typed<aws.iam.RolePolicyArgs>(aws.iam.RolePolicy, "rp", { role: "r", policy: bad }))).length, 1);
            assert.equal((await runResourcePolicy(passRoleScoped, typed<aws.iam.UserPolicyArgs>(aws.iam.UserPolicy, "up", { user: "u", policy: bad }))).length, 1);
            assert.equal((await runResourcePolicy(passRoleScoped, typed<aws.iam.GroupPolicyArgs>(aws.iam.GroupPolicy, "gp", { group: "g", policy: bad }))).length, 1);
        });
    });

    describe("parallelcluster-no-admin-wildcards", () => {
        for (const [label, st] of ADMIN_REFUSED) {
            it(`refuses: ${label}`, async () => {
                const v = await runResourcePolicy(noAdminWildcards, customerPolicy("p", [st]));
                assert.ok(v.length >= 1, label);
                assert.match(v[0], /administrator access\. Fix:/);
            });
        }
        for (const [label, st] of ADMIN_ACCEPTED) {
            it(`accepts: ${label}`, async () => assert.deepEqual(await runResourcePolicy(noAdminWildcards, customerPolicy("p", [st])), []));
        }
    });

    describe("parallelcluster-iam-path: whole-word names", () => {
        for (const n of PC_NAMES.filter((x) => !x.includes("/"))) {
            it(`'${n}' off the path is refused`, async () => assert.equal((await runResourcePolicy(iamPathPolicy, plainRole(n))).length, 1));
        }
        for (const n of NOT_PC_NAMES) {
            it(`'${n}' is not ParallelCluster's`, async () => {
                assert.deepEqual(await runResourcePolicy(iamPathPolicy, plainRole(n)), []);
                assert.deepEqual(await runResourcePolicy(iamPathPolicy, typed<aws.iam.InstanceProfileArgs>(aws.iam.InstanceProfile, n, { name: n, role: n })), []);
            });
        }
        it("a role on /parallelcluster/ or tagged for it is ParallelCluster's; the stack check follows instance profiles", async () => {
            assert.equal((await runResourcePolicy(iamPathPolicy, plainRole("x", { tags: { "parallelcluster-iam:purpose": "compute" } }))).length, 1);
            const v = await runStackPolicy(iamPathPolicy, [plainRole("compute"), typed<aws.iam.InstanceProfileArgs>(aws.iam.InstanceProfile, "p", { name: "pcluster-compute", path: "/parallelcluster/", role: "compute" })]);
            assert.equal(v.length, 1);
        });
    });

    describe("parallelcluster-allowed-managed-policies", () => {
        const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        it("substring names are not ParallelCluster's: eks-appcluster-node and webappcluster-ecs-instance may carry any policy", async () => {
            for (const n of NOT_PC_NAMES) {
                assert.deepEqual(await runResourcePolicy(allowedManagedPolicies, plainRole(n, { managedPolicyArns: [admin] })), [], n);
                assert.deepEqual(await runResourcePolicy(allowedManagedPolicies, typed<aws.iam.RolePolicyAttachmentArgs>(aws.iam.RolePolicyAttachment, "a", { role: n, policyArn: admin })), [], n);
            }
        });
        it("refuses customer policies of another account than the role's", async () => {
            const foreign = `arn:aws:iam::${OTHER}:policy/parallelcluster-evil`;
            const mine = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster-ok`;
            const boundary = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/boundary`;
            const v = await runResourcePolicy(allowedManagedPolicies, pcRole("pcluster-head", { managedPolicyArns: [foreign, mine], permissionsBoundary: boundary }));
            assert.equal(v.length, 1);
            assert.match(v[0], /customer policy of account 999999999999, not of the role's account 123456789012/);
            // From the provider (allowedAccountIds) too.
            const p = await runResourcePolicy(allowedManagedPolicies, { ...pcRole("pcluster-head", { managedPolicyArns: [foreign] }), provider: { region: "us-east-1", allowedAccountIds: JSON.stringify([ACCOUNT]) } });
            assert.equal(p.length, 1);
            // In the stack: the role's ARN says its account.
            const role = pcRole("hpc-head", { name: "hpc-head" });
            (role.args as Record<string, unknown>).arn = `arn:aws:iam::${ACCOUNT}:role/parallelcluster/hpc-head`;
            const s = await runStackPolicy(allowedManagedPolicies, [role, typed<aws.iam.RolePolicyAttachmentArgs>(aws.iam.RolePolicyAttachment, "a", { role: "hpc-head", policyArn: foreign })]);
            assert.equal(s.length, 1);
            assert.match(s[0], /account 999999999999/);
            // Unknown account, and ARNs of two accounts in view: refused conservatively.
            const u = await runResourcePolicy(allowedManagedPolicies, pcRole("pcluster-head", { managedPolicyArns: [foreign, mine] }));
            assert.equal(u.length, 2);
            // Unknown account, one account in view: accepted.
            assert.deepEqual(await runResourcePolicy(allowedManagedPolicies, pcRole("pcluster-head", { managedPolicyArns: [mine] })), []);
        });
        it("the operator exemption holds only for roles nothing hands to EC2 or Lambda", async () => {
            const ops = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/operator/ops-iam`;
            const opRole = (trust: string) => pcRole("ops", { path: "/parallelcluster/operator/", assumeRolePolicy: trust, managedPolicyArns: [admin, ops] });
            assert.deepEqual(await runResourcePolicy(allowedManagedPolicies, opRole(accountTrust)), []);
            assert.deepEqual(await runStackPolicy(allowedManagedPolicies, [opRole(accountTrust)]), []);
            assert.equal((await runResourcePolicy(allowedManagedPolicies, opRole(ec2Trust))).length, 2);
            assert.equal((await runResourcePolicy(allowedManagedPolicies, opRole(lambdaTrust))).length, 2);
            // An instance profile handing it to EC2 ends the exemption (seen by the stack check only).
            const profile = typed<aws.iam.InstanceProfileArgs>(aws.iam.InstanceProfile, "ip", { name: "ops-profile", path: "/", role: "ops" });
            const v = await runStackPolicy(allowedManagedPolicies, [opRole(accountTrust), profile]);
            assert.equal(v.length, 2);
            assert.match(v[0], /not exempt: instance profile .*'ip' hands it to EC2/);
        });
    });

    describe("parallelcluster-permissions-boundary", () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/boundary`;
        it("operator roles are exempt unless handed to EC2/Lambda by trust or instance profile", async () => {
            const op = pcRole("ops", { path: "/parallelcluster/operator/", assumeRolePolicy: accountTrust });
            assert.deepEqual(await runResourcePolicy(permissionsBoundary, op, { boundaryArn: boundary }), []);
            assert.deepEqual(await runStackPolicy(permissionsBoundary, [op], { boundaryArn: boundary }), []);
            const profile = typed<aws.iam.InstanceProfileArgs>(aws.iam.InstanceProfile, "ip", { name: "p", role: "ops" });
            assert.equal((await runStackPolicy(permissionsBoundary, [op, profile], { boundaryArn: boundary })).length, 1);
            assert.equal((await runResourcePolicy(permissionsBoundary, pcRole("ops", { path: "/parallelcluster/operator/" }), { boundaryArn: boundary })).length, 1);
        });
    });

    describe("the other policies", () => {
        it("no-exclusive-policy-attachment refuses aws.iam.PolicyAttachment", async () => {
            const v = await runResourcePolicy(noExclusivePolicyAttachment, typed<aws.iam.PolicyAttachmentArgs>(aws.iam.PolicyAttachment, "pa", { roles: ["web"], policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
            assert.equal(v.length, 1);
        });
        it("policy-size refuses a customer policy over 6,144 characters", async () => {
            const big = customerPolicy("big", [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 250 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }]);
            assert.equal((await runResourcePolicy(policySizePolicy, big)).length, 1);
        });
        it("managed-policy-quota counts attachments per role", async () => {
            const atts = Array.from({ length: 11 }, (_, i) => typed<aws.iam.RolePolicyAttachmentArgs>(aws.iam.RolePolicyAttachment, `a${i}`, { role: "r", policyArn: `arn:aws:iam::${ACCOUNT}:policy/p${i}` }));
            assert.equal((await runStackPolicy(managedPolicyQuota, atts)).length, 1);
            assert.deepEqual(await runStackPolicy(managedPolicyQuota, atts.slice(1)), []);
        });
        it("valid-actions flags a misspelt service", async () => {
            const v = await runResourcePolicy(validActions, customerPolicy("p", [{ Effect: "Allow", Action: "efs:DescribeFileSystems", Resource: "*" }]));
            assert.equal(v.length, 1);
        });
    });
});
