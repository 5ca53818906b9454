import * as assert from "node:assert/strict";
import { ProgramError, runStack, StackRun, UsageError } from "../../tools/engine";
import { FIXTURE } from "./helpers";

const STACK_URN = "urn:pulumi:test::engine-fixture::pulumi:pulumi:Stack::engine-fixture-test";
const CLUSTER_URN = "urn:pulumi:test::engine-fixture::engine-fixture:index:Cluster::fixture";

function find(run: StackRun, type: string, name: string) {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name} was registered`);
    return r;
}

describe("engine: runStack over the fixture project", function () {
    // Each stack runs in a child process that loads the SDK and @pulumi/aws: seconds each, more under load.
    this.timeout(180_000);
    let test: StackRun;
    let china: StackRun;
    let govcloud: StackRun;

    before(async () => {
        // Three updates from one process at once: each has its own engine server and program process.
        [test, china, govcloud] = await Promise.all([
            runStack({ stack: "test", projectDir: FIXTURE, preview: false }),
            runStack({ stack: "test", projectDir: FIXTURE, region: "cn-north-1", account: "210987654321", preview: false }),
            runStack({ stack: "test", projectDir: FIXTURE, region: "us-gov-west-1", preview: false }),
        ]);
    });

    it("records exactly the resources the program registers, with parents and real-engine URNs", () => {
        const got = test.resources.map((r) => `${r.type} ${r.name}`).sort();
        assert.deepEqual(got, [
            "aws:iam/instanceProfile:InstanceProfile fixture-cpu",
            "aws:iam/instanceProfile:InstanceProfile fixture-gpu",
            "aws:iam/instanceProfile:InstanceProfile fixture-head-node",
            "aws:iam/policy:Policy fixture-boundary",
            "aws:iam/policy:Policy fixture-ssm",
            "aws:iam/role:Role fixture-cpu",
            "aws:iam/role:Role fixture-gpu",
            "aws:iam/role:Role fixture-head-node",
            "aws:iam/rolePolicy:RolePolicy fixture-api-function-access",
            "aws:iam/rolePolicy:RolePolicy fixture-head-node-inline",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment fixture-cpu-ssm",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment fixture-gpu-ssm",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment fixture-head-node-CloudWatchAgentServerPolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment fixture-head-node-ssm",
            "engine-fixture:index:Cluster fixture",
            "pulumi:pulumi:Stack engine-fixture-test",
        ]);
        assert.equal(test.resources[0].urn, STACK_URN, "the stack registers first");
        assert.equal(test.resources[0].parentUrn, null);
        assert.equal(find(test, "engine-fixture:index:Cluster", "fixture").urn, CLUSTER_URN, "children of the stack do not carry its type");
        assert.equal(find(test, "engine-fixture:index:Cluster", "fixture").parentUrn, STACK_URN);
        for (const r of test.resources.filter((x) => x.custom)) {
            assert.equal(r.parentUrn, CLUSTER_URN, `${r.name}'s parent`);
            assert.equal(r.urn, `urn:pulumi:test::engine-fixture::engine-fixture:index:Cluster$${r.type}::${r.name}`);
        }
    });

    it("names, ARNs and ids come from the mocks; a role passed as a resource arrives as its name", () => {
        const head = find(test, "aws:iam/role:Role", "fixture-head-node");
        assert.match(String(head.state.name), /^fixture-head-node-[0-9a-f]{7}$/);
        assert.equal(head.state.arn, `arn:aws:iam::123456789012:role/parallelcluster/${String(head.state.name)}`);
        assert.equal(head.id, head.state.name);
        const profile = find(test, "aws:iam/instanceProfile:InstanceProfile", "fixture-head-node");
        assert.equal(profile.inputs.role, head.state.name, "the provider gets the referenced role's id");
        const ssm = find(test, "aws:iam/policy:Policy", "fixture-ssm");
        assert.equal(ssm.state.arn, "arn:aws:iam::123456789012:policy/parallelcluster/parallelcluster-hpc-ssm");
        const attachment = find(test, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "fixture-head-node-ssm");
        assert.deepEqual([attachment.inputs.role, attachment.inputs.policyArn], [head.state.name, ssm.state.arn]);
        assert.equal(head.inputs.permissionsBoundary, find(test, "aws:iam/policy:Policy", "fixture-boundary").state.arn);
    });

    it("the program sees the stack's config and the invokes' answers", () => {
        assert.deepEqual(test.outputs, {
            headNodeRoleArn: find(test, "aws:iam/role:Role", "fixture-head-node").state.arn,
            ec2Principal: "ec2.amazonaws.com",
            region: "us-east-1",
            awsRegion: "us-east-1",
            stack: "test",
        });
        assert.deepEqual(find(test, "aws:iam/role:Role", "fixture-cpu").state.tags, {
            team: "research",
            "parallelcluster-iam:purpose": "compute-node",
            "parallelcluster-iam:cluster": "hpc",
            "parallelcluster-iam:queue": "cpu",
        });
    });

    it("follows --region into the partition: aws-cn with the .cn EC2 principal, aws-us-gov", () => {
        assert.equal(china.partition, "aws-cn");
        assert.equal(china.outputs.ec2Principal, "ec2.amazonaws.com.cn");
        const head = find(china, "aws:iam/role:Role", "fixture-head-node");
        assert.match(String(head.state.arn), /^arn:aws-cn:iam::210987654321:role\/parallelcluster\/fixture-head-node-[0-9a-f]{7}$/);
        assert.deepEqual(JSON.parse(String(head.state.assumeRolePolicy)).Statement[0].Principal, { Service: "ec2.amazonaws.com.cn" });
        assert.equal(find(china, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "fixture-head-node-CloudWatchAgentServerPolicy").inputs.policyArn, "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy");
        assert.equal(govcloud.partition, "aws-us-gov");
        assert.equal(govcloud.outputs.ec2Principal, "ec2.amazonaws.com");
        assert.match(String(find(govcloud, "aws:iam/role:Role", "fixture-head-node").state.arn), /^arn:aws-us-gov:iam::123456789012:role\/parallelcluster\//);
        // Same stack, same URNs: the same names in every partition.
        assert.equal(find(china, "aws:iam/role:Role", "fixture-head-node").state.name, find(test, "aws:iam/role:Role", "fixture-head-node").state.name);
    });

    it("fails like AWS would: a 65-character role name, an 11th managed policy", async () => {
        const [longname, quota] = await Promise.allSettled([runStack({ stack: "longname", projectDir: FIXTURE, preview: false }), runStack({ stack: "quota", projectDir: FIXTURE, preview: false })]);
        assert.equal(longname.status, "rejected");
        assert.ok(longname.reason instanceof ProgramError);
        assert.match(
            longname.reason.message,
            /^aws:iam\/role:Role \(fixture-head-node\): creating IAM Role \(a{65}\): ValidationError: .*Member must have length less than or equal to 64$/,
        );
        assert.equal(quota.status, "rejected");
        assert.match(quota.reason.message, /LimitExceeded: Cannot exceed quota for PoliciesPerRole: 10/);
    });

    it("rejects bad configuration before starting a child", async () => {
        const started = Date.now();
        await assert.rejects(runStack({ stack: "wrongtype", projectDir: FIXTURE }), (e: Error) => e instanceof UsageError && /must be of type 'boolean'/.test(e.message));
        assert.ok(Date.now() - started < 1000, "no program was run");
    });

    it("reports each run's duration (speed targets live in the benchmarks)", () => {
        for (const r of [test, china, govcloud]) assert.ok(r.durationMs > 0, `${r.durationMs} ms`);
        console.log(`      (program run times: ${[test, china, govcloud].map((r) => `${r.durationMs} ms`).join(", ")})`);
    });
});
