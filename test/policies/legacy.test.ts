import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { Pc2Scheduler, pc2InstancePolicy, pc2UserPolicy } from "../../components/policies/legacy/pc2";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { checkDocumentReference } from "../../components/policies/reference";
import { PolicyDocument } from "../../components/policies/types";
import { documentTuples, semanticDiff } from "../support/semantic";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });
const SCHEDULERS: Pc2Scheduler[] = ["sge", "slurm", "torque", "awsbatch"];

function fixtureText(name: string): string {
    return readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8");
}
function fixture(name: string): PolicyDocument {
    return JSON.parse(fixtureText(name)) as PolicyDocument;
}

/**
 * Pins a deviation exactly: the builder equals the guide once `from` values are replaced by `to`, and the
 * raw diff is only the tuples naming `from` (removed) and `to` (added).
 */
function assertOnlyReplacements(actual: PolicyDocument, name: string, replacements: [from: string, to: string][]): void {
    let text = fixtureText(name);
    for (const [from, to] of replacements) {
        assert.ok(text.includes(from), `${name} names ${from}`);
        text = text.split(from).join(to);
    }
    assert.deepEqual(semanticDiff(actual, JSON.parse(text) as PolicyDocument), { added: [], removed: [] });
    const diff = semanticDiff(actual, fixture(name));
    // Tuples lower-case action names and drop JSON quotes.
    const names = (t: string, values: string[]): boolean => values.some((v) => t.toLowerCase().includes(v.replace(/"/g, "").toLowerCase()));
    const froms = replacements.map(([f]) => f);
    const tos = replacements.map(([, t]) => t);
    assert.ok(diff.removed.length > 0 && diff.added.length > 0);
    assert.deepEqual(diff.removed, [...documentTuples(fixture(name))].filter((t) => names(t, froms)).sort());
    assert.deepEqual(diff.added, [...documentTuples(actual)].filter((t) => names(t, tos) && !documentTuples(fixture(name)).has(t)).sort());
}

describe("ParallelCluster 2 (legacy) policies", () => {
    it("instance policy for sge, slurm and torque reproduces the guide exactly", () => {
        for (const scheduler of ["sge", "slurm", "torque"] as Pc2Scheduler[]) {
            assert.deepEqual(semanticDiff(pc2InstancePolicy(ctx, { scheduler }), fixture("pc2-instance-sge")), { added: [], removed: [] }, scheduler);
        }
    });
    it("user policy for awsbatch reproduces the guide exactly", () => {
        assert.deepEqual(semanticDiff(pc2UserPolicy(ctx, { scheduler: "awsbatch" }), fixture("pc2-user-awsbatch")), { added: [], removed: [] });
    });
    it("D8 + D9: user policy for sge/slurm/torque: elasticfilesystem: for efs:, role/parallelcluster-* for the EC2 role placeholder", () => {
        for (const scheduler of ["sge", "slurm", "torque"] as Pc2Scheduler[]) {
            assertOnlyReplacements(pc2UserPolicy(ctx, { scheduler }), "pc2-user-sge", [
                ['"efs:', '"elasticfilesystem:'],
                [`arn:aws:iam::${ACCOUNT}:role/ParallelClusterInstanceRole`, `arn:aws:iam::${ACCOUNT}:role/parallelcluster-*`],
            ]);
        }
    });
    it("D10-D15: awsbatch instance policy: per-cluster placeholders become ParallelCluster 2's name patterns", () => {
        const R = `us-east-1:${ACCOUNT}`;
        assertOnlyReplacements(pc2InstancePolicy(ctx, { scheduler: "awsbatch" }), "pc2-instance-awsbatch", [
            // D10: both job definitions collapse into one pattern.
            [`arn:aws:batch:${R}:job-definition/JobDefinitionSerial-0a1b2c3d4e5f6a7:1`, `arn:aws:batch:${R}:job-definition/*`],
            [`arn:aws:batch:${R}:job-definition/JobDefinitionMNP-0a1b2c3d4e5f6a7*`, `arn:aws:batch:${R}:job-definition/*`],
            // D11
            [`arn:aws:batch:${R}:job-queue/JobQueue-0a1b2c3d4e5f6a7`, `arn:aws:batch:${R}:job-queue/*`],
            // D12
            [`arn:aws:cloudformation:${R}:stack/parallelcluster-mycluster/*`, `arn:aws:cloudformation:${R}:stack/parallelcluster-*/*`],
            // D13 (object prefix and bucket)
            ["arn:aws:s3:::parallelcluster-0a1b2c3d4e5f6a7b", "arn:aws:s3:::parallelcluster-*"],
            // D14
            [`arn:aws:iam::${ACCOUNT}:role/parallelcluster-mycluster-AWSBatchStack-JobRole-1A2B3C4D5E6F`, `arn:aws:iam::${ACCOUNT}:role/parallelcluster-*`],
            // D15
            [`arn:aws:ecs:${R}:cluster/ComputeEnvironment-0a1b2c3d4e5f6a7_Batch_0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`, `arn:aws:ecs:${R}:cluster/*_Batch_*`],
        ]);
    });
    it("every document, every scheduler and partition: reference check, managed size, no placeholder, no foreign partition", async () => {
        const contexts: PolicyContext[] = [
            ctx,
            makeContext({ accountId: ACCOUNT, region: "cn-north-1" }),
            makeContext({ accountId: ACCOUNT, region: "us-gov-west-1" }),
            makeContext({ partition: "aws-cn", accountId: ACCOUNT, region: "*" }),
        ];
        let n = 0;
        for (const c of contexts) {
            for (const scheduler of SCHEDULERS) {
                for (const doc of [pc2InstancePolicy(c, { scheduler }), pc2UserPolicy(c, { scheduler })]) {
                    const where = `${c.partition}/${c.region} ${scheduler}`;
                    assert.deepEqual(await checkDocumentReference(doc), [], where);
                    assert.ok(policySize(doc) <= MANAGED_POLICY_MAX_CHARS, where);
                    const text = JSON.stringify(doc);
                    assert.ok(!/[<>]/.test(text), where);
                    if (c.partition !== "aws") assert.ok(!text.includes("arn:aws:"), where);
                    n++;
                }
            }
        }
        assert.equal(n, 4 * 4 * 2);
    });
    it("the guide's efs: actions would fail the reference check (why D8 exists)", async () => {
        const problems = await checkDocumentReference(fixture("pc2-user-sge"));
        assert.deepEqual(problems, [
            "statement EFSDescribe: action 'efs:DescribeMountTargets' is not in the service authorization reference",
            "statement EFSDescribe: action 'efs:DescribeMountTargetSecurityGroups' is not in the service authorization reference",
        ]);
    });
    it("rejects an unknown scheduler, naming the option and the value", () => {
        assert.throws(() => pc2InstancePolicy(ctx, { scheduler: "pbs" as Pc2Scheduler }), /scheduler: 'pbs' is not a supported scheduler; allowed: sge, slurm, torque, awsbatch/);
        assert.throws(() => pc2UserPolicy(ctx, { scheduler: "Slurm" as Pc2Scheduler }), /scheduler: 'Slurm' is not a supported scheduler/);
    });
});
