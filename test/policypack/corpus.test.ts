/**
 * No false alarms: ordinary IAM from programs unrelated to ParallelCluster (test/fixtures/pack-corpus)
 * gets no diagnostic at all, over Analyze for each resource and AnalyzeStack for all, with the pack
 * started as the CLI starts it.
 */
import * as assert from "node:assert/strict";
import { PolicyPackProcess, startPolicyPack } from "../../tools/analyzer";
import { ORDINARY } from "../fixtures/pack-corpus/ordinary";

describe("policy pack over gRPC: ordinary IAM corpus", function () {
    let pack: PolicyPackProcess;
    before(async function () {
        this.timeout(300_000);
        pack = await startPolicyPack();
    });
    after(async () => pack?.close());

    it(`holds at least 30 resources (${ORDINARY.length}) of Lambda, ECS, EKS and CI programs`, () => {
        assert.ok(ORDINARY.length >= 30);
        for (const kind of ["lambda", "ecs", "eks", "ci-deploy"]) assert.ok(ORDINARY.some((r) => r.name.includes(kind)), kind);
    });

    it("yields zero findings over Analyze and AnalyzeStack", async () => {
        const found: string[] = [];
        for (const r of ORDINARY) for (const d of await pack.analyze(r)) found.push(`${r.name}: [${d.enforcementLevel}] ${d.policyName}: ${d.message}`);
        for (const d of await pack.analyzeStack(ORDINARY)) found.push(`stack: [${d.enforcementLevel}] ${d.policyName}: ${d.message}`);
        assert.deepEqual(found, []);
    });

    it("still yields zero findings with every policy mandatory and a boundary configured only for ParallelCluster roles", async () => {
        await pack.configure({ all: "mandatory", "parallelcluster-permissions-boundary": { boundaryArn: "arn:aws:iam::123456789012:policy/parallelcluster/boundary" } });
        const found: string[] = [];
        for (const r of ORDINARY) for (const d of await pack.analyze(r)) found.push(`${r.name}: ${d.policyName}: ${d.message}`);
        for (const d of await pack.analyzeStack(ORDINARY)) found.push(`stack: ${d.policyName}: ${d.message}`);
        assert.deepEqual(found, []);
        await pack.configure({});
    });
});
