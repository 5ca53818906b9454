import * as assert from "node:assert/strict";
import { AwsMocks, INSTANCE_PROFILE, POLICY, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT } from "../../components/testing/mocks";

const URN = (type: string, name: string, stack = "dev"): string => `urn:pulumi:${stack}::proj::parallelcluster-iam:index:Thing$${type}::${name}`;

/** Registers as the engine's monitor does: with the URN the engine computed. */
function create(m: AwsMocks, type: string, name: string, inputs: Record<string, unknown>, stack = "dev") {
    return m.register({ type, name, urn: URN(type, name, stack), parentUrn: "urn:pulumi:dev::proj::parallelcluster-iam:index:Thing::thing" }, inputs);
}

const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });

describe("engine mocks: names and ARNs", () => {
    it("autonames from the URN: logical name, '-', 7 hex characters, stable per URN", () => {
        const a = create(new AwsMocks({ region: "us-east-1", accountId: "123456789012" }), ROLE, "hpc-head-node", { assumeRolePolicy: trust });
        const b = create(new AwsMocks({ region: "us-east-1", accountId: "123456789012" }), ROLE, "hpc-head-node", { assumeRolePolicy: trust });
        const c = create(new AwsMocks({ region: "us-east-1", accountId: "123456789012" }), ROLE, "hpc-head-node", { assumeRolePolicy: trust }, "prod");
        assert.match(String(a.state.name), /^hpc-head-node-[0-9a-f]{7}$/);
        assert.equal(a.state.name, b.state.name);
        assert.notEqual(a.state.name, c.state.name, "another stack's URN gives another name");
        assert.equal(a.id, a.state.name, "a role's id is its name");
    });

    it("keeps an explicit name and builds ARNs from partition, account, path and name", () => {
        const m = new AwsMocks({ region: "us-east-1", accountId: "111122223333" });
        const role = create(m, ROLE, "r", { name: "pc-head", path: "/parallelcluster/", assumeRolePolicy: trust });
        const policy = create(m, POLICY, "p", { name: "parallelcluster-ssm", path: "/parallelcluster/", policy: trust });
        const profile = create(m, INSTANCE_PROFILE, "ip", { name: "pc-head", path: "/parallelcluster/", role: "pc-head" });
        assert.equal(role.state.arn, "arn:aws:iam::111122223333:role/parallelcluster/pc-head");
        assert.equal(policy.state.arn, "arn:aws:iam::111122223333:policy/parallelcluster/parallelcluster-ssm");
        assert.equal(policy.id, policy.state.arn, "a policy's id is its ARN");
        assert.equal(profile.state.arn, "arn:aws:iam::111122223333:instance-profile/parallelcluster/pc-head");
        assert.match(String(role.state.uniqueId), /^AROA[A-Z2-7]{17}$/);
        assert.match(String(policy.state.policyId), /^ANPA[A-Z2-7]{17}$/);
        assert.match(String(profile.state.uniqueId), /^AIPA[A-Z2-7]{17}$/);
        assert.equal(role.state.createDate, "2024-01-01T00:00:00Z");
        const root = create(m, ROLE, "root-path", { name: "at-root", assumeRolePolicy: trust });
        assert.equal(root.state.arn, "arn:aws:iam::111122223333:role/at-root");
        assert.equal(root.state.path, "/");
    });

    for (const [region, partition] of [["us-east-1", "aws"], ["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"]] as const) {
        it(`uses partition ${partition} in ${region}`, () => {
            const m = new AwsMocks({ region, accountId: "123456789012" });
            const role = create(m, ROLE, "r", { name: "x", path: "/parallelcluster/", assumeRolePolicy: trust });
            assert.equal(role.state.arn, `arn:${partition}:iam::123456789012:role/parallelcluster/x`);
            const p = m.call({ token: "aws:index/getPartition:getPartition", inputs: {} });
            assert.equal(p.partition, partition);
            assert.equal(p.dnsSuffix, partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");
            const r = m.call({ token: "aws:index/getRegion:getRegion", inputs: {} });
            assert.deepEqual([r.region, r.name, r.id], [region, region, region], "v7's region plus the deprecated name");
            const id = m.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} });
            assert.equal(id.accountId, "123456789012");
            assert.equal(id.arn, `arn:${partition}:iam::123456789012:user/offline-engine`);
        });
    }

    it("answers getRole for an existing role and refuses functions it does not know", () => {
        const m = new AwsMocks({ region: "eu-west-1", accountId: "123456789012" });
        assert.equal(m.call({ token: "aws:iam/getRole:getRole", inputs: { name: "Existing" } }).arn, "arn:aws:iam::123456789012:role/Existing");
        assert.throws(() => m.call({ token: "aws:ec2/getVpc:getVpc", inputs: {} }), /no mock answers the function aws:ec2\/getVpc:getVpc/);
    });

    it("in the SDK's unit-test mode (setMocks) records components without an id and resources as top-level", () => {
        const m = new AwsMocks({ region: "us-east-1", accountId: "123456789012" });
        const c = m.newResource({ type: "parallelcluster-iam:index:Thing", name: "thing", inputs: {}, custom: false });
        const r = m.newResource({ type: ROLE, name: "r", inputs: { assumeRolePolicy: trust }, custom: true });
        assert.equal(c.id, undefined);
        assert.match(String(r.id), /^r-[0-9a-f]{7}$/);
        assert.deepEqual(m.resources.map((x) => [x.type, x.urn, x.parentUrn, x.custom]), [
            ["parallelcluster-iam:index:Thing", "urn:pulumi:stack::project::parallelcluster-iam:index:Thing::thing", null, false],
            [ROLE, `urn:pulumi:stack::project::${ROLE}::r`, null, true],
        ]);
    });
});

describe("engine mocks: what AWS would refuse", () => {
    const mocks = () => new AwsMocks({ region: "us-east-1", accountId: "123456789012" });

    it("refuses a 65-character role name with AWS's validation message; 64 is fine", () => {
        const m = mocks();
        assert.doesNotThrow(() => create(m, ROLE, "ok", { name: "a".repeat(64), assumeRolePolicy: trust }));
        assert.throws(
            () => create(m, ROLE, "long", { name: "b".repeat(65), assumeRolePolicy: trust }),
            /ValidationError: 1 validation error detected: Value 'b{65}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64/,
        );
        assert.throws(() => create(m, ROLE, "bad", { name: "has space", assumeRolePolicy: trust }), /Member must satisfy regular expression pattern/);
    });

    it("refuses an autoname that would pass 64 characters", () => {
        assert.throws(() => create(mocks(), ROLE, "x".repeat(57), { assumeRolePolicy: trust }), /'x{57}' plus 7 random characters is longer than the maximum length 64/);
        assert.match(String(create(mocks(), ROLE, "x".repeat(56), { assumeRolePolicy: trust }).state.name), /^x{56}-[0-9a-f]{7}$/);
    });

    it("refuses bad paths", () => {
        for (const path of ["parallelcluster/", "/parallelcluster", "/a//b/"]) {
            assert.throws(() => create(mocks(), ROLE, "r", { path, assumeRolePolicy: trust }), /ValidationError: The specified value for path is invalid/, path);
        }
        assert.throws(() => create(mocks(), POLICY, "p", { path: "x", policy: trust }), /path is invalid/);
    });

    it("refuses a managed policy over 6,144 non-whitespace characters, counting as IAM does", () => {
        const doc = (n: number) => {
            const base = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "" }] }).length;
            return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "r".repeat(n - base) }] }, null, 4);
        };
        assert.doesNotThrow(() => create(mocks(), POLICY, "fits", { policy: doc(6144) }), "whitespace is not counted");
        assert.throws(() => create(mocks(), POLICY, "big", { policy: doc(6145) }), /LimitExceeded: Cannot exceed quota for PolicySize: 6144/);
        assert.throws(() => create(mocks(), POLICY, "bad", { policy: "{not json" }), /MalformedPolicyDocument/);
    });

    it("refuses an 11th managed policy on a role; attaching the same ARN twice counts once", () => {
        const m = mocks();
        for (let i = 0; i < 10; i++) create(m, ROLE_POLICY_ATTACHMENT, `a${i}`, { role: "r", policyArn: `arn:aws:iam::123456789012:policy/p${i}` });
        create(m, ROLE_POLICY_ATTACHMENT, "again", { role: "r", policyArn: "arn:aws:iam::123456789012:policy/p0" });
        assert.throws(
            () => create(m, ROLE_POLICY_ATTACHMENT, "eleventh", { role: "r", policyArn: "arn:aws:iam::123456789012:policy/p10" }),
            /LimitExceeded: Cannot exceed quota for PoliciesPerRole: 10/,
        );
        assert.doesNotThrow(() => create(m, ROLE_POLICY_ATTACHMENT, "other-role", { role: "s", policyArn: "arn:aws:iam::123456789012:policy/p10" }));
    });

    it("refuses inline policies over 10,240 characters per role together", () => {
        const m = mocks();
        const doc = (n: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "r".repeat(n) }] });
        create(m, ROLE_POLICY, "one", { role: "r", name: "one", policy: doc(6000) });
        assert.throws(() => create(m, ROLE_POLICY, "two", { role: "r", name: "two", policy: doc(6000) }), /LimitExceeded: Maximum policy size of 10240 bytes exceeded for role r/);
    });

    it("refuses ARNs from another partition and duplicate names", () => {
        const m = new AwsMocks({ region: "cn-north-1", accountId: "123456789012" });
        assert.throws(
            () => create(m, ROLE_POLICY_ATTACHMENT, "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" }),
            /InvalidInput: ARN arn:aws:iam::aws:policy\/CloudWatchAgentServerPolicy is not valid/,
        );
        create(m, ROLE, "first", { name: "same", assumeRolePolicy: trust });
        assert.throws(() => create(m, ROLE, "second", { name: "same", assumeRolePolicy: trust }), /EntityAlreadyExists: Role with name same already exists/);
    });
});
