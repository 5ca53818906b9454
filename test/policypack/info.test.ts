/**
 * The pack started exactly as the Pulumi engine starts a nodejs pack (run-policy-pack with the engine
 * address, ts-node type-checking it), then GetAnalyzerInfo and Configure over gRPC.
 */
import * as assert from "node:assert/strict";
import { PolicyPackProcess, startPolicyPack } from "../../tools/analyzer";
import { aws, of, policyAttachment, role } from "./fixtures";

const EXPECTED: Array<[string, string, string]> = [
    ["parallelcluster-allowed-managed-policies", "mandatory", "resource"],
    ["parallelcluster-no-exclusive-policy-attachment", "mandatory", "resource"],
    ["parallelcluster-iam-path", "mandatory", "resource"],
    ["parallelcluster-permissions-boundary", "advisory", "resource"],
    ["parallelcluster-passrole-scoped", "mandatory", "resource"],
    ["parallelcluster-no-admin-wildcards", "mandatory", "resource"],
    ["parallelcluster-policy-size", "mandatory", "resource"],
    ["parallelcluster-managed-policy-quota", "mandatory", "stack"],
    ["parallelcluster-valid-actions", "advisory", "resource"],
];

describe("policy pack started as the Pulumi engine does", function () {
    let pack: PolicyPackProcess;
    before(async function () {
        this.timeout(300_000);
        pack = await startPolicyPack();
    });
    after(async () => pack?.close());

    it("serves pack parallelcluster-iam with the nine policies, their levels and types", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.equal(info.name, "parallelcluster-iam");
        assert.equal(info.version, "0.1.0");
        assert.equal(info.supportsConfig, true);
        assert.deepEqual(info.policies.map((p) => [p.name, p.enforcementLevel, p.policyType]), EXPECTED);
        for (const p of info.policies) assert.match(p.description, /^[A-Z](?:(?!\. ).)*\.$/, `${p.name}: one-sentence description`);
    });

    it("publishes config schemas with defaults", async () => {
        const info = await pack.getAnalyzerInfo();
        const schema = (n: string) => info.policies.find((p) => p.name === n)?.configSchema?.properties;
        assert.deepEqual(Object.keys(schema("parallelcluster-allowed-managed-policies") ?? {}).sort(), ["allowLambdaVpcAccess", "extraAllowedPolicyArns"]);
        assert.equal(schema("parallelcluster-allowed-managed-policies")?.allowLambdaVpcAccess.default, false);
        assert.equal(schema("parallelcluster-iam-path")?.path.default, "/parallelcluster/");
        assert.equal(schema("parallelcluster-permissions-boundary")?.boundaryArn.type, "string");
        assert.equal("default" in (schema("parallelcluster-permissions-boundary")?.boundaryArn ?? {}), false);
        assert.equal(schema("parallelcluster-managed-policy-quota")?.maxManagedPoliciesPerRole.default, 10);
        assert.equal(schema("parallelcluster-managed-policy-quota")?.maxManagedPoliciesPerRole.maximum, 20);
        assert.equal(schema("parallelcluster-no-exclusive-policy-attachment"), undefined);
    });

    it("Configure overrides enforcement levels, per policy and with 'all'", async () => {
        const r = policyAttachment("legacy", ["parallelcluster-head"], aws("CloudWatchAgentServerPolicy"));
        const level = async () => of(await pack.analyze(r), "parallelcluster-no-exclusive-policy-attachment").map((d) => d.enforcementLevel);

        await pack.configure({});
        assert.deepEqual(await level(), ["mandatory"]);
        await pack.configure({ "parallelcluster-no-exclusive-policy-attachment": "advisory" });
        assert.deepEqual(await level(), ["advisory"]);
        await pack.configure({ "parallelcluster-no-exclusive-policy-attachment": { enforcementLevel: "disabled" } });
        assert.deepEqual(await level(), []);
        const sent = await pack.configure({ all: "advisory" });
        assert.equal(sent["parallelcluster-iam-path"].enforcementLevel, "advisory");
        assert.deepEqual(await level(), ["advisory"]);
        await pack.configure({});
    });

    it("Configure sends schema defaults with the given values, and bad values are refused like the engine does", async () => {
        const sent = await pack.configure({ "parallelcluster-iam-path": { path: "/hpc/" } });
        assert.deepEqual(sent["parallelcluster-iam-path"], { enforcementLevel: "mandatory", properties: { path: "/hpc/" } });
        assert.deepEqual(sent["parallelcluster-allowed-managed-policies"].properties, { extraAllowedPolicyArns: [], allowLambdaVpcAccess: false });
        await assert.rejects(pack.configure({ "parallelcluster-managed-policy-quota": { maxManagedPoliciesPerRole: 25 } }), /maxManagedPoliciesPerRole: must be <= 20/);
        await assert.rejects(pack.configure({ "parallelcluster-iam-path": { path: "parallelcluster" } }), /path: 'parallelcluster' does not match/);
        await assert.rejects(pack.configure({ "parallelcluster-allowed-managed-policies": { extraAllowedPolicyArns: ["AdministratorAccess"] } }), /extraAllowedPolicyArns\[0\]/);
        await pack.configure({});
    });

    it("judges a resource over Analyze once started this way", async () => {
        const d = await pack.analyze(role("pcluster-head", { managedPolicyArns: [aws("AdministratorAccess")] }));
        assert.equal(of(d, "parallelcluster-allowed-managed-policies").length, 1);
        assert.doesNotMatch(pack.output, /error/i);
    });
});
