import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { IamManifest } from "../../tools/manifest";
import { cli, CliResult, STUB_PACK } from "./helpers";

function readJson<T = unknown>(file: string): T {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe("engine CLI (tools/cli.ts run as a child process)", function () {
    // Each run starts tsx, the CLI and a child for the program; hooks run several at once on small machines.
    this.timeout(240_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine-cli-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("preview", () => {
        let plain: CliResult;
        let packed: CliResult;
        let failing: CliResult;
        before(async () => {
            [plain, packed, failing] = await Promise.all([
                cli(["preview", "test"]),
                cli(["preview", "test"], { pack: STUB_PACK }),
                cli(["preview", "plain"], { pack: STUB_PACK }),
            ]);
        });

        it("prints the resource tree under its parents, each role's path, boundary and policies; exit 0", () => {
            assert.equal(plain.code, 0, plain.stderr);
            assert.equal(plain.stderr, "");
            const lines = plain.stdout.split("\n");
            assert.equal(lines[0], "Previewing stack 'test' of project 'engine-fixture' offline (account 123456789012, region us-east-1, partition aws)");
            const at = (re: RegExp): number => {
                const i = lines.findIndex((l) => re.test(l));
                assert.ok(i >= 0, `a line matching ${re}`);
                return i;
            };
            assert.ok(lines.includes("    + pulumi:pulumi:Stack  engine-fixture-test"));
            assert.ok(lines.includes("      + engine-fixture:index:Cluster  fixture"));
            const role = at(/^ {8}\+ aws:iam\/role:Role {2}fixture-head-node {2}\(fixture-head-node-[0-9a-f]{7}\)$/);
            assert.match(lines[role + 1], /^ {14}path: \/parallelcluster\/ {3}boundary: \(known after update\) {3}purpose: head-node$/);
            assert.equal(lines[role + 2], "              managed policies: (known after update), arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
            assert.equal(lines[role + 3], "              inline policies: head-node");
            // The profile takes the role as a resource, i.e. its id, which a preview does not know yet.
            at(/^ {8}\+ aws:iam\/instanceProfile:InstanceProfile {2}fixture-head-node {2}\(fixture-head-node-[0-9a-f]{7}\)$/);
            at(/^ {8}\+ aws:iam\/rolePolicyAttachment:RolePolicyAttachment {2}fixture-gpu-ssm$/);
            assert.ok(lines.includes("policy pack: not available"));
            assert.match(lines.filter((l) => l).pop()!, /^Summary: 16 resources \(3 roles, 2 policies, 3 instance profiles, 4 policy attachments, 2 inline policies\); policy pack: not available; \d+ ms$/);
        });

        it("runs the policy pack through the hook: no findings, exit 0", () => {
            assert.equal(packed.code, 0, packed.stderr);
            assert.match(packed.stdout, /\nPolicy pack: no violations\n/);
            assert.match(packed.stdout, /; policy pack: 0 mandatory, 0 advisory; \d+ ms\n$/);
        });

        it("exits 1 on a mandatory violation and lists it with the resource's URN", () => {
            assert.equal(failing.code, 1, failing.stderr);
            assert.match(failing.stdout, /\[mandatory\] roles-have-boundary: role fixture-head-node-[0-9a-f]{7} has no permissions boundary\n {8}urn:pulumi:plain::engine-fixture::engine-fixture:index:Cluster\$aws:iam\/role:Role::fixture-head-node\n/);
            assert.match(failing.stdout, /policy pack: 2 mandatory, 0 advisory/);
        });
    });

    describe("render", () => {
        const out = path.join(tmp, "render");
        const china = path.join(tmp, "china");
        let result: CliResult;
        let cn: CliResult;
        before(async () => {
            // A stale tree from an earlier render, and another stack's manifest that must survive.
            fs.mkdirSync(path.join(out, "test", "roles", "gone"), { recursive: true });
            fs.writeFileSync(path.join(out, "test", "roles", "gone", "trust.json"), "{}");
            fs.writeFileSync(path.join(out, "other.iam.json"), "{}");
            [result, cn] = await Promise.all([
                cli(["render", "test", "--out", out]),
                cli(["render", "test", `--out=${china}`, "--region", "cn-north-1", "--account", "210987654321"]),
            ]);
        });

        it("writes the manifest and every document as pretty JSON, replacing the stack's old tree", () => {
            assert.equal(result.code, 0, result.stderr);
            assert.match(result.stdout, /^Rendered stack 'test' to .*test\.iam\.json: 3 roles, 3 policies, 7 documents\n/);
            const m = readJson<IamManifest>(path.join(out, "test.iam.json"));
            const head = m.roles.find((r) => r.purpose === "head-node")!;
            const cpu = m.roles.find((r) => r.queue === "cpu")!;
            const gpu = m.roles.find((r) => r.queue === "gpu")!;
            const grant = m.policies.find((p) => p.purpose === "api-function-access")!;
            assert.deepEqual(files(out), [
                "other.iam.json",
                `test${path.sep}existing-roles${path.sep}ParallelClusterApiFunctionRole${path.sep}inline${path.sep}${grant.name}.json`,
                ...m.policies.filter((p) => p.arn).map((p) => `test${path.sep}policies${path.sep}${p.name}.json`),
                `test${path.sep}roles${path.sep}${cpu.name}${path.sep}trust.json`,
                `test${path.sep}roles${path.sep}${gpu.name}${path.sep}trust.json`,
                `test${path.sep}roles${path.sep}${head.name}${path.sep}inline${path.sep}head-node.json`,
                `test${path.sep}roles${path.sep}${head.name}${path.sep}trust.json`,
                "test.iam.json",
            ].sort());
            assert.deepEqual(readJson(path.join(out, "test", "roles", head.name, "trust.json")), head.trustPolicy);
            assert.deepEqual(readJson(path.join(out, "test", "roles", head.name, "inline", "head-node.json")), head.inlinePolicies["head-node"]);
            const text = fs.readFileSync(path.join(out, "test.iam.json"), "utf8");
            assert.equal(text, JSON.stringify(m, null, 2) + "\n", "pretty-printed");
            assert.deepEqual(fs.readdirSync(out).filter((f) => f.startsWith(".")), [], "no temporary directory left");
        });

        it("the manifest has the documented shape and content", () => {
            const m = readJson<IamManifest>(path.join(out, "test.iam.json"));
            assert.deepEqual([m.stack, m.partition, m.accountId, m.region, m.violations], ["test", "aws", "123456789012", "us-east-1", []]);
            assert.deepEqual(m.roles.map((r) => [r.purpose, r.cluster, r.queue, r.scheduler]), [
                ["compute-node", "hpc", "cpu", null],
                ["compute-node", "hpc", "gpu", null],
                ["head-node", "hpc", null, "slurm"],
            ]);
            const head = m.roles[2];
            assert.deepEqual(Object.keys(head), ["purpose", "cluster", "queue", "pool", "scheduler", "name", "path", "arn", "trustPolicy", "permissionsBoundary", "managedPolicyArns", "inlinePolicies", "instanceProfile"]);
            assert.deepEqual(head.managedPolicyArns, ["arn:aws:iam::123456789012:policy/parallelcluster/parallelcluster-hpc-ssm", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]);
            assert.equal(head.instanceProfile!.path, "/parallelcluster/");
            assert.deepEqual(m.policies.map((p) => [p.purpose, p.path]), [
                ["api-function-access", null],
                ["permissions-boundary", "/parallelcluster/"],
                ["additional-policy", "/parallelcluster/"],
            ]);
            assert.deepEqual(m.policies[0].document, {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], Resource: "arn:aws:iam::123456789012:role/parallelcluster/*" }],
            });
        });

        it("--region cn-north-1 renders aws-cn ARNs and the .cn EC2 principal", () => {
            assert.equal(cn.code, 0, cn.stderr);
            const m = readJson<IamManifest>(path.join(china, "test.iam.json"));
            assert.deepEqual([m.partition, m.region, m.accountId], ["aws-cn", "cn-north-1", "210987654321"]);
            for (const r of m.roles) {
                assert.match(r.arn, /^arn:aws-cn:iam::210987654321:role\/parallelcluster\//);
                assert.deepEqual((r.trustPolicy as { Statement: Array<{ Principal: unknown }> }).Statement[0].Principal, { Service: "ec2.amazonaws.com.cn" });
            }
        });

        it("writes the manifest with the pack's findings and exits 1 on a mandatory one", async () => {
            const dir = path.join(tmp, "plain");
            const r = await cli(["render", "plain", "--out", dir], { pack: STUB_PACK });
            assert.equal(r.code, 1, r.stderr);
            const m = readJson<IamManifest>(path.join(dir, "plain.iam.json"));
            assert.deepEqual(m.violations.map((v) => [v.policy, v.level, v.urn.split("::").pop()]), [
                ["roles-have-boundary", "mandatory", "fixture-compute"],
                ["roles-have-boundary", "mandatory", "fixture-head-node"],
            ]);
        });
    });

    describe("errors: one line on stderr, exit 2, nothing written", () => {
        const out = path.join(tmp, "never");
        const cases: Array<[string, string[], RegExp]> = [
            ["unknown stack", ["render", "prod", "--out", out], /^error: unknown stack 'prod': .*; valid stacks: longname, missing, plain, quota, test, unknownkey, wrongtype$/],
            ["undeclared config key", ["render", "unknownkey", "--out", out], /^error: Stack 'unknownkey' sets configuration key 'engine-fixture:clusterNmae', which Pulumi\.yaml does not declare \(did you mean 'engine-fixture:clusterName'\?\); declared keys: .*engine-fixture:clusterName/],
            ["missing config key", ["render", "missing", "--out", out], /^error: Stack 'missing' is missing configuration value 'engine-fixture:clusterName'/],
            ["mistyped config key", ["render", "wrongtype", "--out", out], /^error: Stack 'wrongtype' with configuration key 'engine-fixture:useBoundary' must be of type 'boolean'; got "sometimes"$/],
            ["unknown flag", ["render", "test", "--out", out, "--regoin", "us-east-1"], /^error: unknown flag '--regoin' for render; valid flags: --out, --region, --account, --project, --policy-pack-config, --json$/],
            ["flag of the other command", ["preview", "test", "--out", out], /^error: unknown flag '--out' for preview; valid flags: --region, --account, --project, --policy-pack-config, --json$/],
            ["bad region", ["render", "test", "--out", out, "--region", "moon-1"], /^error: --region: 'moon-1' is not a region of a supported partition; expected e\.g\. us-east-1 \(aws\), cn-north-1 \(aws-cn\) or us-gov-west-1 \(aws-us-gov\)$/],
            ["bad account", ["render", "test", "--out", out, "--account", "12345"], /^error: --account: '12345' is not an AWS account ID; expected 12 digits, e\.g\. 123456789012$/],
            ["missing --out", ["render", "test"], /^error: render: --out <dir> is required$/],
            ["missing stack", ["preview"], /^error: preview: missing <stack>; valid stacks: longname, missing, plain, quota, test, unknownkey, wrongtype$/],
            ["unknown command", ["deploy", "test"], /^error: unknown command 'deploy'; valid commands: preview, render$/],
            ["flag without value", ["preview", "test", "--region"], /^error: --region needs a value$/],
        ];
        let results: CliResult[];
        before(async () => {
            results = await Promise.all(cases.map(([, args]) => cli(args)));
        });
        cases.forEach(([what, , re], i) => {
            it(what, () => {
                const r = results[i];
                assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
                assert.equal(r.stdout, "");
                assert.equal(r.stderr.split("\n").filter((l) => l).length, 1, r.stderr);
                assert.match(r.stderr.trim(), re);
                assert.ok(!fs.existsSync(out), "nothing written");
            });
        });
    });

    it("a create AWS would refuse: exit 3, the provider-style error, nothing written", async () => {
        const out = path.join(tmp, "longname");
        const r = await cli(["render", "longname", "--out", out]);
        assert.equal(r.code, 3);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /^error: aws:iam\/role:Role \(fixture-head-node\): creating IAM Role \(a{65}\): ValidationError: .*less than or equal to 64\n/);
        assert.ok(!fs.existsSync(out));
    });
});
