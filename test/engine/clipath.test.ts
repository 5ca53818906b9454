/**
 * The stacks as the Pulumi CLI runs them: `@pulumi/pulumi/cmd/run` started with pulumi-language-nodejs's
 * arguments and environment (ts-node type-checks the program with the project's tsconfig), talking gRPC to
 * the offline engine; cross-checked against the SDK's in-process mocks, before and after `npm run build`.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { loadStack } from "../../tools/config";
import { languageHostCommand, ProgramError, runStack, StackRun } from "../../tools/engine";
import { UNKNOWN } from "../../components/testing/mocks";
import { record } from "../support/harness";
import { REPO } from "./helpers";
import { DEFAULTS } from "../../stacks/config";

const STACKS = ["dev", "staging", "prod"] as const;

/**
 * type, name and inputs of every custom resource, sorted. Autoname suffixes (7 hex characters, random in
 * Pulumi, derived from the URN here) are masked: the in-process mocks see no parent, so their URNs differ.
 */
function customs(resources: ReadonlyArray<{ type: string; name: string; custom: boolean; inputs: Record<string, unknown> }>) {
    const mask = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/-[0-9a-f]{7}(?=["/,\\]|$)/g, "-#######"));
    return resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, inputs: mask(r.inputs) })).sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
}

/** Equal, where the preview's unknowns match any value. */
function matchesUpdate(preview: unknown, update: unknown): boolean {
    if (preview === UNKNOWN) return true;
    if (Array.isArray(preview)) return Array.isArray(update) && preview.length === update.length && preview.every((v, i) => matchesUpdate(v, update[i]));
    if (preview && typeof preview === "object") {
        const u = update as Record<string, unknown>;
        const keys = new Set([...Object.keys(preview), ...Object.keys(u ?? {})]);
        return !!u && typeof u === "object" && [...keys].every((k) => matchesUpdate((preview as Record<string, unknown>)[k], u[k]));
    }
    return preview === update;
}

function noErrorsOrWarnings(run: StackRun): void {
    const bad = run.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
    assert.deepEqual(bad, [], `${run.stack}: diagnostics`);
    assert.doesNotMatch(run.logs, /warn|error|Could not find entry point/i, `${run.stack}: program output`);
}

/** Parents as the engine records them: components under the root stack, AWS resources under a component. */
function checkParents(run: StackRun): void {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const root = run.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    assert.ok(root, "a root stack");
    assert.equal(root.name, `parallelcluster-iam-${run.stack}`);
    for (const r of run.resources) {
        if (r === root) continue;
        const parent = byUrn.get(r.parentUrn ?? "");
        assert.ok(parent, `${r.urn} has a registered parent`);
        if (r.custom) assert.match(parent.type, /^parallelcluster-iam:index:/, `${r.urn}: parent is a component`);
        else assert.equal(parent.type, "pulumi:pulumi:Stack", `${r.urn}: components sit under the stack`);
    }
}

describe("the stacks through @pulumi/pulumi/cmd/run, as the Pulumi CLI starts them", function () {
    this.timeout(600_000);
    const runs = new Map<string, StackRun>();

    before(async () => {
        // Preview and update of every stack, the pack off (its own tests start it through run-policy-pack).
        for (const stack of STACKS) {
            const [preview, update] = await Promise.all([runStack({ stack, projectDir: REPO, pack: false }), runStack({ stack, projectDir: REPO, pack: false, preview: false })]);
            runs.set(`${stack} preview`, preview);
            runs.set(`${stack} update`, update);
        }
    });

    it("starts cmd/run from the program's folder with the language host's arguments, config encoding and tsconfig", () => {
        const loaded = loadStack({ stack: "prod", projectDir: REPO });
        const { args, env, cwd } = languageHostCommand(loaded, "127.0.0.1:1", true);
        assert.equal(cwd, path.join(REPO, "stacks"));
        assert.equal(args[0], require.resolve("@pulumi/pulumi/cmd/run", { paths: [cwd] }));
        assert.deepEqual(args.slice(1), [
            "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:1", "--organization", "organization", "--project", "parallelcluster-iam",
            "--root-directory", REPO, "--stack", "prod", "--pwd", cwd, "--dry-run", "--parallel", "16", "index.ts",
        ]);
        assert.equal(env.PULUMI_NODEJS_TYPESCRIPT, "true");
        assert.equal(env.PULUMI_NODEJS_TSCONFIG_PATH, "../tsconfig.json");
        assert.ok(fs.existsSync(path.resolve(cwd, env.PULUMI_NODEJS_TSCONFIG_PATH!)), "the tsconfig the SDK reads exists");
        const config = JSON.parse(env.PULUMI_CONFIG!) as Record<string, string>;
        assert.equal(config["aws:config:region"], "us-east-1");
        assert.deepEqual(JSON.parse(config["parallelcluster-iam:config:clusters"])[0].queues, ["cpu", "gpu", "highmem"]);
        assert.equal(env.NODE_OPTIONS, undefined, "no loader of the calling process leaks in");
    });

    for (const stack of STACKS) {
        it(`${stack}: preview and update run with no error or warning diagnostics, parents as the engine records them`, () => {
            for (const mode of ["preview", "update"]) {
                const run = runs.get(`${stack} ${mode}`)!;
                noErrorsOrWarnings(run);
                checkParents(run);
                assert.equal(run.preview, mode === "preview");
            }
        });

        it(`${stack}: registers exactly what the SDK's in-process mocks register (types, names, inputs); the preview's unknowns resolve in the update`, async () => {
            const update = runs.get(`${stack} update`)!;
            const preview = runs.get(`${stack} preview`)!;
            const loaded = loadStack({ stack, projectDir: REPO });
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(path.join(REPO, "stacks", "index.ts")) as () => Promise<unknown>;
            const inProcess = await record(() => program(), { stack, config: { ...loaded.config } });
            assert.equal(inProcess.error, undefined, String(inProcess.error));
            assert.deepEqual(customs(update.resources), customs(inProcess.resources));
            const p = customs(preview.resources);
            const u = customs(update.resources);
            assert.deepEqual(p.map((r) => `${r.type} ${r.name}`), u.map((r) => `${r.type} ${r.name}`));
            p.forEach((r, i) => assert.ok(matchesUpdate(r.inputs, u[i].inputs), `${r.type} ${r.name}: preview inputs ${JSON.stringify(r.inputs)} vs ${JSON.stringify(u[i].inputs)}`));
            // Computed values are unknown in the preview and known after the update.
            assert.ok(Object.values(preview.outputs).includes("<unknown>"), "a preview has unknown outputs");
            assert.ok(!JSON.stringify(update.outputs).includes("<unknown>"), "an update knows every output");
            assert.match(String(update.outputs.userRoleArn), /^arn:aws:iam::123456789012:role\/parallelcluster\/operator\//);
        });
    }

    it("runs the same programs after `npm run build`, preview and update, with no entry-point warning", async () => {
        const hadBin = fs.existsSync(path.join(REPO, "bin"));
        const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8", timeout: 300_000 });
        try {
            assert.equal(build.status, 0, build.stdout + build.stderr);
            assert.ok(fs.existsSync(path.join(REPO, "bin", "components", "index.js")), "the build wrote the package's main");
            for (const stack of STACKS) {
                for (const preview of [true, false]) {
                    const after = await runStack({ stack, projectDir: REPO, pack: false, preview });
                    noErrorsOrWarnings(after);
                    assert.deepEqual(customs(after.resources), customs(runs.get(`${stack} ${preview ? "preview" : "update"}`)!.resources), `${stack} ${preview ? "preview" : "update"}`);
                }
            }
        } finally {
            if (!hadBin) fs.rmSync(path.join(REPO, "bin"), { recursive: true, force: true });
        }
    });
});

describe("stack configuration is checked before the first resource, in the stack file's words", function () {
    this.timeout(300_000);
    let dir: string;

    /** A project beside the real one (same program and schema) with its own stack files. */
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pci-config-"));
        const project = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        project.main = path.join(REPO, "stacks", "index.ts");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("knows every key Pulumi.yaml declares, with the same defaults", () => {
        const declared = (parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default?: unknown }> }).config;
        assert.deepEqual(Object.keys(DEFAULTS).sort(), Object.keys(declared).sort());
        for (const [key, spec] of Object.entries(declared)) assert.deepEqual(DEFAULTS[key as keyof typeof DEFAULTS], spec.default, key);
    });

    const base = { "aws:region": "us-east-1", "parallelcluster-iam:trustedPrincipals": ["HpcOperators"] };
    const cases: Array<[title: string, stack: string, config: Record<string, unknown>, message: string]> = [
        ["a required key missing", "staging", {}, "parallelcluster-iam:clusters: is not set (or empty); the staging stack needs at least one cluster whose roles it pre-creates"],
        ["an invalid list entry", "prod", { "parallelcluster-iam:clusters": [{ name: "hpc", queues: ["cpu", "Q_1"], dataBucket: "hpc-data" }] },
            "parallelcluster-iam:clusters[0].queues[1]: 'Q_1' is not a valid queue name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters"],
        ["a key the program does not use", "dev", { "parallelcluster-iam:ssmBucket": "jobs", "parallelcluster-iam:clusters": [{ name: "hpc" }] },
            "parallelcluster-iam:clusters: is set, but the dev program does not use it; remove it (keys of dev: parallelcluster-iam:environment, parallelcluster-iam:parallelClusterVersion, parallelcluster-iam:trustedPrincipals, parallelcluster-iam:pipelinePrincipals, parallelcluster-iam:requireMfa, parallelcluster-iam:scopeToRegion, parallelcluster-iam:secrets, parallelcluster-iam:fsxBuckets, parallelcluster-iam:ssmBucket)"],
        ["a principal that is neither a role name nor an ARN", "dev", { "parallelcluster-iam:ssmBucket": "jobs", "parallelcluster-iam:trustedPrincipals": ["Hpc Operators"] },
            "parallelcluster-iam:trustedPrincipals[0]: 'Hpc Operators' is not a valid IAM name; expected 1-64 characters of letters, digits and + = , . @ _ -"],
        ["a ParallelCluster release the roles are not made for", "dev", { "parallelcluster-iam:ssmBucket": "jobs", "parallelcluster-iam:parallelClusterVersion": "3.8" },
            "parallelcluster-iam:parallelClusterVersion: '3.8' is not supported; supported: 3.12"],
        ["a bucket name S3 refuses", "prod", { "parallelcluster-iam:clusters": [{ name: "hpc", queues: ["cpu"], dataBucket: "Data_Bucket" }] },
            "parallelcluster-iam:clusters[0].dataBucket: 'Data_Bucket' is not a valid S3 bucket name; expected 3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, not an IP address"],
        ["a cluster setting that does not exist, and an AWS Batch cluster in restricted mode", "prod", { "parallelcluster-iam:clusters": [{ name: "hpc", queues: ["cpu"], queue: "gpu" }, { name: "batch", scheduler: "awsbatch" }] },
            "parallelcluster-iam:clusters[0].queue: is not a cluster setting; allowed: name, scheduler, queues, loginPools, dataBucket, dataWritePrefix; parallelcluster-iam:clusters[1].scheduler: 'awsbatch' is not available in prod; allowed: slurm (restricted mode cannot pass every AWS Batch role ParallelCluster creates)"],
        ["a stack name that is no environment, without an environment key", "prod-eu", {},
            "parallelcluster-iam:environment: not set, and the stack's name 'prod-eu' is not an environment; set it to one of dev, staging, prod"],
    ];

    it("any stack name runs the program its `environment` names, with several clusters", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.prod-eu.yaml"), stringify({ config: { "aws:region": "eu-west-1", "parallelcluster-iam:environment": "prod", "parallelcluster-iam:trustedPrincipals": ["HpcOperators"],
            "parallelcluster-iam:clusters": [{ name: "hpc", queues: ["cpu"], loginPools: ["login"] }, { name: "genomics", queues: ["big", "small"] }] } }));
        const run = await runStack({ stack: "prod-eu", projectDir: dir, pack: false, preview: false });
        noErrorsOrWarnings(run);
        const roles = run.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name).sort();
        assert.deepEqual(roles, ["genomics-compute-big", "genomics-compute-small", "genomics-head-node", "genomics-lambda-functions", "hpc-compute-cpu", "hpc-head-node", "hpc-lambda-functions", "hpc-login-login", "images-image-builder", "images-image-cleanup", "prod-user-role"].sort());
        assert.deepEqual(Object.keys(run.outputs.clusterConfigYaml as Record<string, string>).sort(), ["genomics", "hpc"]);
        assert.equal((run.outputs.passRoleArns as string[]).length, 11 - 1, "every pre-created role but the user's own");
        assert.match(String(run.outputs.userRoleArn), /^arn:aws:iam::123456789012:role\/parallelcluster\/operator\//);
    });

    for (const [title, stack, config, message] of cases) {
        it(`${title}: the engine records no resource but the stack, one clean line names the key (exit 2 from the CLI)`, async () => {
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: { ...base, ...config } }));
            const err = await runStack({ stack, projectDir: dir, pack: false, preview: false }).then(() => undefined, (e: unknown) => e);
            assert.ok(err instanceof ProgramError, String(err));
            assert.equal(err.message, message);
            assert.deepEqual(err.resources.filter((r) => r.custom || r.type !== "pulumi:pulumi:Stack"), [], "nothing registered but the root stack");
            // The SDK printed the message alone: no stack trace, no object dump.
            assert.deepEqual(err.diagnostics.filter((d) => d.severity === "error").map((d) => d.message.trim()), [message]);
            assert.doesNotMatch(err.logs, /\n\s+at /);

            const cli = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "tools", "cli.ts"), "preview", stack, "--project", dir], { encoding: "utf8", timeout: 180_000, env: { ...process.env, ENGINE_POLICY_PACK_DRIVER: "none" } });
            assert.equal(cli.status, 2, cli.stdout + cli.stderr);
            assert.equal(cli.stderr, `error: ${message}\n`);
        });
    }
});
