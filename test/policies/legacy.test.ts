import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PolicyContext, makeContext } from "../../components/policies/context";
import { Pc2Scheduler, pc2InstancePolicy, pc2UserPolicy } from "../../components/policies/legacy/pc2";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../../components/policies/limits";
import { checkDocumentReference } from "../../components/policies/reference";
import { PolicyDocument } from "../../components/policies/types";
import { semanticDiff } from "../support/semantic";

const ACCOUNT = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: ACCOUNT, region: "us-east-1" });
const SCHEDULERS: Pc2Scheduler[] = ["sge", "slurm", "torque", "awsbatch"];

function fixtureText(name: string): string {
    return readFileSync(path.join(__dirname, "..", "fixtures", "guide", `${name}.json`), "utf8");
}
function fixture(name: string): PolicyDocument {
    return JSON.parse(fixtureText(name)) as PolicyDocument;
}

type Statement = PolicyDocument["Statement"][number];
const ROLE = `arn:aws:iam::${ACCOUNT}:role/parallelcluster-*`;
const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/parallelcluster-*`;
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]) as string[];
const without = (st: Statement, action: string): Statement => ({ ...st, Action: list(st.Action).filter((a) => a !== action) });
const passRole = (sid: string, services: string[]): Statement => ({ Sid: sid, Effect: "Allow", Action: ["iam:PassRole"], Resource: ROLE, Condition: { StringEquals: { "iam:PassedToService": services } } });
const PC2_SERVICES = ["ec2.amazonaws.com", "lambda.amazonaws.com"];
const PC2_BATCH_SERVICES = [...PC2_SERVICES, "batch.amazonaws.com", "ecs-tasks.amazonaws.com", "spotfleet.amazonaws.com", "codebuild.amazonaws.com"];

/**
 * D27: the guide's document with ParallelCluster 2's IAM grants narrowed, restated independently of the builder:
 * PassRole only of `role/parallelcluster-*` and only to the services ParallelCluster 2 hands roles to (never on
 * instance profiles, where PassRole is not evaluated), and role, policy and profile writes only on
 * `role/parallelcluster-*` and `instance-profile/parallelcluster-*` instead of `*`.
 */
function narrowed(doc: PolicyDocument, edit: (st: Statement) => Statement | Statement[]): PolicyDocument {
    return { ...doc, Statement: doc.Statement.flatMap((st) => edit(st)) };
}

describe("ParallelCluster 2 (legacy) policies", () => {
    it("instance policy for sge, slurm and torque reproduces the guide exactly", () => {
        for (const scheduler of ["sge", "slurm", "torque"] as Pc2Scheduler[]) {
            assert.deepEqual(semanticDiff(pc2InstancePolicy(ctx, { scheduler }), fixture("pc2-instance-sge")), { added: [], removed: [] }, scheduler);
        }
    });
    it("D27: user policy for awsbatch is the guide's with the IAM grants narrowed", () => {
        const expected = narrowed(fixture("pc2-user-awsbatch"), (st) => {
            switch (st.Sid) {
                case "IAMRole": return [without(st, "iam:PassRole"), passRole("IAMPassRole", PC2_BATCH_SERVICES)];
                case "IAMInstanceProfile": return { ...without(st, "iam:PassRole"), Resource: PROFILE };
                case "IAM": return { ...st, Resource: [ROLE, PROFILE] };
                default: return st;
            }
        });
        assert.deepEqual(semanticDiff(pc2UserPolicy(ctx, { scheduler: "awsbatch" }), expected), { added: [], removed: [] });
        assert.notDeepEqual(semanticDiff(pc2UserPolicy(ctx, { scheduler: "awsbatch" }), fixture("pc2-user-awsbatch")), { added: [], removed: [] });
    });
    it("D8 + D9 + D27: user policy for sge/slurm/torque: elasticfilesystem: for efs:, role/parallelcluster-* for the EC2 role placeholder, IAM grants narrowed", () => {
        const text = fixtureText("pc2-user-sge").split('"efs:').join('"elasticfilesystem:').split(`arn:aws:iam::${ACCOUNT}:role/ParallelClusterInstanceRole`).join(ROLE);
        const expected = narrowed(JSON.parse(text) as PolicyDocument, (st) => {
            switch (st.Sid) {
                case "IAMModify": return [without(st, "iam:PassRole"), passRole("IAMPassRole", PC2_SERVICES)];
                case "IAMCreateInstanceProfile": return { ...st, Resource: PROFILE };
                case "IAMInstanceProfile": return [{ ...without(st, "iam:GetPolicy"), Resource: [ROLE, PROFILE] }, { Sid: "IAMReadPolicies", Effect: "Allow", Action: ["iam:GetPolicy"], Resource: "*" }];
                default: return st;
            }
        });
        for (const scheduler of ["sge", "slurm", "torque"] as Pc2Scheduler[]) {
            assert.deepEqual(semanticDiff(pc2UserPolicy(ctx, { scheduler }), expected), { added: [], removed: [] }, scheduler);
        }
    });
    it("D10-D15 + D27: awsbatch instance policy: per-cluster placeholders become ParallelCluster 2's name patterns; the job role passed to Batch only", () => {
        const R = `us-east-1:${ACCOUNT}`;
        const replacements: [string, string][] = [
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
        ];
        let text = fixtureText("pc2-instance-awsbatch");
        for (const [from, to] of replacements) {
            assert.ok(text.includes(from), from);
            text = text.split(from).join(to);
        }
        // D27: PassRole leaves the combined statement (and the role its Resource list) for its own, conditioned one.
        const expected = narrowed(JSON.parse(text) as PolicyDocument, (st) =>
            list(st.Action).includes("iam:PassRole")
                ? [{ ...without(st, "iam:PassRole"), Resource: list(st.Resource).filter((r) => r !== ROLE) }, passRole("PassJobRole", ["batch.amazonaws.com", "ecs-tasks.amazonaws.com"])]
                : st);
        assert.deepEqual(semanticDiff(pc2InstancePolicy(ctx, { scheduler: "awsbatch" }), expected), { added: [], removed: [] });
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
