/**
 * The issue's adversarial cases over gRPC, with the pack started as the CLI starts it (run-policy-pack,
 * ts-node): documents that mean "pass any role anywhere" or "administrator access" however spelt,
 * names that only contain "pcluster", the operator exemption, other accounts' policies, bad config.
 */
import * as assert from "node:assert/strict";
import { PolicyPackProcess, startPolicyPack } from "../../tools/analyzer";
import { ADMIN_ACCEPTED, ADMIN_REFUSED, NOT_PC_NAMES, PASSROLE_ACCEPTED, PASSROLE_REFUSED, PC_NAMES } from "./cases";
import { ACCOUNT, accountTrust, attachment, aws, customer, doc, instanceProfile, of, otherRole, policy, role } from "./fixtures";

const PASSROLE = "parallelcluster-passrole-scoped";
const ADMIN = "parallelcluster-no-admin-wildcards";
const ALLOWED = "parallelcluster-allowed-managed-policies";
const PATH = "parallelcluster-iam-path";
const BOUNDARY = "parallelcluster-permissions-boundary";
const OTHER = "999999999999";

describe("policy pack over gRPC: adversarial documents and names", function () {
    let pack: PolicyPackProcess;
    before(async function () {
        this.timeout(300_000);
        pack = await startPolicyPack();
    });
    after(async () => pack?.close());
    beforeEach(async () => pack.configure({}));

    it("refuses every PassRole statement that reaches any role or any service", async () => {
        for (const [label, st] of PASSROLE_REFUSED) {
            const d = of(await pack.analyze(policy("p", { policy: doc(st) })), PASSROLE);
            assert.deepEqual(d.map((x) => x.enforcementLevel), ["mandatory"], label);
        }
    });
    it("accepts scoped PassRole statements", async () => {
        for (const [label, st] of PASSROLE_ACCEPTED) assert.deepEqual(of(await pack.analyze(policy("p", { policy: doc(st) })), PASSROLE), [], label);
    });
    it("refuses administrator access however spelt: *, *:*, ?*, iam:?*, arn:*, arn:aws:iam::*:*, NotAction, escalation", async () => {
        for (const [label, st] of ADMIN_REFUSED) {
            const d = of(await pack.analyze(policy("p", { policy: doc(st) })), ADMIN);
            assert.ok(d.length >= 1 && d.every((x) => x.enforcementLevel === "mandatory"), label);
        }
        const na = of(await pack.analyze(policy("p", { policy: doc({ Effect: "Allow", NotAction: "iam:PassRole", Resource: "arn:*" }) })), ADMIN);
        assert.match(na[0].message, /allows NotAction on Resource 'arn:\*'/);
    });
    it("accepts what is not administrator access", async () => {
        for (const [label, st] of ADMIN_ACCEPTED) assert.deepEqual(of(await pack.analyze(policy("p", { policy: doc(st) })), ADMIN), [], label);
    });

    it("recognises ParallelCluster names as whole words only", async () => {
        for (const n of PC_NAMES.filter((x) => !x.includes("/"))) assert.equal(of(await pack.analyze(otherRole(n)), PATH).length, 1, n);
        for (const n of NOT_PC_NAMES) {
            const r = otherRole(n, { managedPolicyArns: [aws("AdministratorAccess")] });
            const d = await pack.analyze(r);
            assert.deepEqual([...of(d, PATH), ...of(d, ALLOWED)], [], n);
            assert.deepEqual([...of(await pack.analyzeStack([r, instanceProfile(n, { role: n, path: "/" }), attachment(`${n}-a`, n, aws("PowerUserAccess"))]), PATH)], [], n);
        }
    });

    it("exempts an operator role only while nothing hands it to EC2 or Lambda", async () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/boundary`;
        await pack.configure({ [BOUNDARY]: { boundaryArn: boundary, enforcementLevel: "mandatory" } });
        const ops = role("ops", { path: "/parallelcluster/operator/", assumeRolePolicy: accountTrust, managedPolicyArns: [aws("AdministratorAccess")] });
        assert.deepEqual([...of(await pack.analyze(ops), ALLOWED), ...of(await pack.analyze(ops), BOUNDARY)], []);
        assert.deepEqual([...of(await pack.analyzeStack([ops]), ALLOWED), ...of(await pack.analyzeStack([ops]), BOUNDARY)], []);
        // An instance profile hands it (with AdministratorAccess) to EC2.
        const handed = await pack.analyzeStack([ops, instanceProfile("ops-profile", { role: "ops", path: "/" })]);
        assert.equal(of(handed, ALLOWED).length, 1);
        assert.match(of(handed, ALLOWED)[0].message, /AdministratorAccess' is not on/);
        assert.equal(of(handed, BOUNDARY).length, 1);
        // Its trust policy lets EC2 or Lambda assume it.
        for (const service of ["ec2.amazonaws.com", "lambda.amazonaws.com"]) {
            const r = role("ops", { path: "/parallelcluster/operator/", assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }), managedPolicyArns: [aws("AdministratorAccess")] });
            assert.equal(of(await pack.analyze(r), ALLOWED).length, 1, service);
        }
    });

    it("refuses customer policies of another account", async () => {
        const foreign = `arn:aws:iam::${OTHER}:policy/parallelcluster-x`;
        const r = role("hpc-head", { arn: `arn:aws:iam::${ACCOUNT}:role/parallelcluster/hpc-head` });
        const d = of(await pack.analyzeStack([r, attachment("a", "hpc-head", foreign)]), ALLOWED);
        assert.equal(d.length, 1);
        assert.match(d[0].message, /customer policy of account 999999999999, not of the role's account 123456789012/);
        assert.deepEqual(of(await pack.analyzeStack([r, attachment("a", "hpc-head", customer("parallelcluster-x"))]), ALLOWED), []);
        const pinned = role("pcluster-head", { managedPolicyArns: [foreign] }, { provider: { type: "pulumi:providers:aws", name: "p", properties: { region: "us-east-1", allowedAccountIds: JSON.stringify([ACCOUNT]) } } });
        assert.equal(of(await pack.analyze(pinned), ALLOWED).length, 1);
    });

    it("refuses wildcard and admin extraAllowedPolicyArns at Configure", async () => {
        for (const bad of [aws("AdministratorAccess"), aws("IAMFullAccess"), aws("PowerUserAccess"), customer("*"), customer("team/*"), "arn:aws:iam::*:policy/x", customer("parallelcluster/operator/ops")]) {
            await assert.rejects(pack.configure({ [ALLOWED]: { extraAllowedPolicyArns: [bad] } }), /extraAllowedPolicyArns\[0\]/, bad);
        }
        await pack.configure({ [ALLOWED]: { extraAllowedPolicyArns: [customer("team/x")] } });
        assert.deepEqual(of(await pack.analyze(role("pcluster-head", { managedPolicyArns: [customer("team/x")] })), ALLOWED), []);
    });
});
