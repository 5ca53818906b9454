/**
 * `npm run bench [-- --quick] [-- --out FILE]`: the project's costs measured side by side with baselines, in one
 * run (absolute times on shared machines are not stable; ratios are):
 *
 * 1. scale: programs of 1, 10, 100, 1,000 compute queues (clusters of at most 50) built with the components,
 *    against a program registering the same raw @pulumi/aws resources by hand, both through the offline engine
 *    (cmd/run over gRPC); wall time, resources per second, peak RSS of engine and program, overhead ratio, cost
 *    per queue; the cold start (first run, TypeScript compile) of each stack against the baseline's;
 * 2. the policy pack against a no-op pack, both started as the CLI starts packs (run-policy-pack), over the
 *    1,000-queue program's resources: start-up, Analyze requests per second, AnalyzeStack time;
 * 3. packing of the user policies: managed policies per combination of features against the lower bound;
 * 4. small builder and packing timings, and how fast a configuration error reaches the engine.
 *
 * Results: a table on stdout and `bench/results.json` (machine, Node version, min / median / max of each figure).
 * The full run exits 1 when a target is missed; `--quick` (1 run, 1 and 10 queues) is a smoke run for CI.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { makeContext } from "../components/policies/context";
import { headNodePolicy } from "../components/policies/headNode";
import { MANAGED_POLICY_MAX_CHARS, policySize } from "../components/policies/limits";
import { packLayout, packPolicy } from "../components/policies/packing";
import { PolicyStatement, policyDocument } from "../components/policies/types";
import { userBasePolicy } from "../components/policies/userBase";
import { userStatements } from "../components/clusterUserRole";
import { IAM_MODES, IamMode, userPolicyDocuments } from "../components/userPolicySet";
import { PolicyPackProcess, ResourceInput } from "../tools/analyzer";
import { runStack } from "../tools/engine";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const OUT = argv.includes("--out") ? path.resolve(argv[argv.indexOf("--out") + 1]) : path.join(__dirname, "results.json");
const RUNS = QUICK ? 1 : 5;
const SIZES = QUICK ? [1, 10] : [1, 10, 100, 1000];

interface Target { readonly op: "<=" | ">="; readonly value: number }
interface Figure {
    readonly section: string;
    readonly name: string;
    readonly unit: string;
    readonly values: number[];
    readonly target?: Target;
}
const figures: Figure[] = [];

function figure(section: string, name: string, unit: string, values: number[], target?: Target): Figure {
    const f = { section, name, unit, values, target };
    figures.push(f);
    return f;
}

function median(v: readonly number[]): number {
    const s = [...v].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function met(f: Figure): boolean | undefined {
    if (!f.target) return undefined;
    const m = median(f.values);
    return f.target.op === "<=" ? m <= f.target.value : m >= f.target.value;
}

function perCallMs(n: number, fn: () => unknown): number {
    for (let i = 0; i < Math.min(n, 50); i++) fn();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}

interface ChildRun { wallMs: number; resources: number; custom: number; engineRss: number; programRss: number }

/** One run in its own process (bench/child.ts), so peak RSS figures are per run. */
function childRun(projectDir: string, stack: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): ChildRun {
    const r = spawnSync(process.execPath, [TSX, path.join(__dirname, "child.ts"), projectDir, stack, ...extra], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 900_000, maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`bench child ${projectDir} ${stack} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildRun;
}

const MB = 2 ** 20;

function scale(): string {
    const programs = { components: path.join(__dirname, "scale", "components"), baseline: path.join(__dirname, "scale", "baseline") };
    // One unmeasured run of each compiles the programs (ts-node's cache), so the runs below are warm.
    for (const dir of Object.values(programs)) childRun(dir, "q1");
    const resourcesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-res-")), "resources.json");
    const medians: Array<[number, number]> = [];
    let peak = { engine: 0, program: 0 };
    for (const q of SIZES) {
        const ours: ChildRun[] = [];
        const base: ChildRun[] = [];
        for (let i = 0; i < RUNS; i++) {
            // Alternate, so load on the machine falls on both alike.
            ours.push(childRun(programs.components, `q${q}`, q === SIZES[SIZES.length - 1] && i === 0 ? ["--resources", resourcesFile] : []));
            base.push(childRun(programs.baseline, `q${q}`));
        }
        if (ours[0].custom !== base[0].custom) throw new Error(`q${q}: the baseline registers ${base[0].custom} resources, the components ${ours[0].custom}`);
        const s = `scale: ${q} queue${q === 1 ? "" : "s"} (${ours[0].custom} AWS resources)`;
        figure(s, "components: wall time", "ms", ours.map((r) => r.wallMs));
        figure(s, "baseline: wall time", "ms", base.map((r) => r.wallMs));
        figure(s, "components: resources registered per second", "1/s", ours.map((r) => (r.resources / r.wallMs) * 1000));
        figure(s, "baseline: resources registered per second", "1/s", base.map((r) => (r.resources / r.wallMs) * 1000));
        figure(s, "components: peak RSS of the program", "MiB", ours.map((r) => r.programRss / MB));
        figure(s, "components: peak RSS of the engine", "MiB", ours.map((r) => r.engineRss / MB));
        figure(s, "baseline: peak RSS of the program", "MiB", base.map((r) => r.programRss / MB));
        figure(s, "overhead: components / baseline wall time", "ratio", ours.map((r, i) => r.wallMs / base[i].wallMs), q === 1000 ? { op: "<=", value: 1.15 } : undefined);
        medians.push([q, median(ours.map((r) => r.wallMs))]);
        if (q === SIZES[SIZES.length - 1]) {
            peak = { engine: median(ours.map((r) => r.engineRss)), program: median(ours.map((r) => r.programRss)) };
            figure(`memory at ${q} queues`, "peak RSS, engine + program", "MiB", ours.map((r) => (r.engineRss + r.programRss) / MB), q === 1000 ? { op: "<=", value: 1024 } : undefined);
        }
    }
    // Least-squares line through the medians: cost per queue, and how well a line explains the growth.
    const n = medians.length;
    const mx = medians.reduce((a, [x]) => a + x, 0) / n;
    const my = medians.reduce((a, [, y]) => a + y, 0) / n;
    const sxy = medians.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
    const sxx = medians.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    const slope = sxy / sxx;
    const ssRes = medians.reduce((a, [x, y]) => a + (y - (my + slope * (x - mx))) ** 2, 0);
    const ssTot = medians.reduce((a, [, y]) => a + (y - my) ** 2, 0);
    figure("scale: fit", "components: cost per queue (least squares)", "ms", [slope]);
    figure("scale: fit", "components: R² of the linear fit", "", [1 - ssRes / ssTot], QUICK ? undefined : { op: ">=", value: 0.98 });
    void peak;
    return resourcesFile;
}

/** The first run of a program after a change: TypeScript compile included (an empty ts-node cache). */
function coldStarts(): void {
    const cases: Array<[string, string, string]> = [
        ["dev stack", ROOT, "dev"], ["staging stack", ROOT, "staging"], ["prod stack", ROOT, "prod"],
        ["baseline program (1 queue)", path.join(__dirname, "scale", "baseline"), "q1"],
    ];
    for (const [label, dir, stack] of cases) {
        const values: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const cache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tscache-"));
            values.push(childRun(dir, stack, [], { TS_NODE_CACHE_DIRECTORY: cache }).wallMs);
            fs.rmSync(cache, { recursive: true, force: true });
        }
        figure("cold start (empty TypeScript cache)", label, "ms", values);
    }
}

async function packThroughput(resourcesFile: string): Promise<void> {
    const resources = JSON.parse(fs.readFileSync(resourcesFile, "utf8")) as ResourceInput[];
    const s = `policy pack over ${resources.length} resources`;
    const measure = async (packDir: string) => {
        const t0 = process.hrtime.bigint();
        const pack = await PolicyPackProcess.start({ packDir, project: "bench-components", stack: "bench", dryRun: false });
        const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
        try {
            const t1 = process.hrtime.bigint();
            for (const r of resources) await pack.analyze(r);
            const analyzeMs = Number(process.hrtime.bigint() - t1) / 1e6;
            const t2 = process.hrtime.bigint();
            await pack.analyzeStack(resources);
            const stackMs = Number(process.hrtime.bigint() - t2) / 1e6;
            return { startMs, rate: (resources.length / analyzeMs) * 1000, stackMs };
        } finally {
            await pack.close();
        }
    };
    type Measured = Awaited<ReturnType<typeof measure>>;
    const ours: Measured[] = [];
    const noop: Measured[] = [];
    // One unmeasured start of each compiles the packs (ts-node's cache).
    for (const dir of [path.join(ROOT, "policypack"), path.join(__dirname, "noop-pack")]) await (await PolicyPackProcess.start({ packDir: dir })).close();
    for (let i = 0; i < RUNS; i++) {
        ours.push(await measure(path.join(ROOT, "policypack")));
        noop.push(await measure(path.join(__dirname, "noop-pack")));
    }
    figure(s, "ours: start-up (spawn to Configure)", "ms", ours.map((r) => r.startMs));
    figure(s, "no-op: start-up", "ms", noop.map((r) => r.startMs));
    figure(s, "ours: Analyze requests per second", "1/s", ours.map((r) => r.rate));
    figure(s, "no-op: Analyze requests per second", "1/s", noop.map((r) => r.rate));
    figure(s, "ours: AnalyzeStack", "ms", ours.map((r) => r.stackMs));
    figure(s, "no-op: AnalyzeStack", "ms", noop.map((r) => r.stackMs));
    figure(s, "throughput: ours / no-op Analyze rate", "ratio", ours.map((r, i) => r.rate / noop[i].rate), { op: ">=", value: 0.8 });
}

interface PackingRow {
    iamMode: IamMode; batch: boolean; fsx: boolean; imageBuild: boolean; loginNodes: boolean; regionScoped: boolean;
    policies: number; lowerBound: number; ratio: number; template: number | null;
}

/** Managed policies ClusterUserRole creates for each combination of features, against ceil(characters / 6,144). */
function packing(): PackingRow[] {
    const ctx = makeContext({ accountId: "123456789012", region: "us-east-1" });
    const rows: PackingRow[] = [];
    const bools = [false, true];
    for (const iamMode of IAM_MODES) for (const batch of bools) for (const fsx of bools) for (const imageBuild of bools) for (const loginNodes of bools) for (const regionScoped of bools) {
        if (iamMode === "restricted" && batch) continue; // not offered: ParallelCluster cannot take every AWS Batch role pre-created
        const inputs = {
            iamMode, batch, fsx, fsxBuckets: fsx ? ["hpc-lustre-data"] : [], imageBuild, secretArns: [],
            boundaryArn: "arn:aws:iam::123456789012:policy/parallelcluster/operator/boundary",
            passRoleArns: iamMode === "restricted" ? ["arn:aws:iam::123456789012:role/parallelcluster/hpc-head-node-0123456"] : [],
            extraAllowedPolicyArns: [], lambdaVpcAccess: false, regionScope: regionScoped ? "us-east-1" : "*", loginNodes,
        };
        const docs = userPolicyDocuments(ctx, inputs);
        // What ClusterUserRole does: every user statement in one document, packed into positional parts.
        const policies = packLayout(userStatements(ctx, inputs)).length;
        const all = policyDocument(docs.flatMap(([, d]) => d.Statement));
        const lowerBound = Math.ceil(policySize(all) / MANAGED_POLICY_MAX_CHARS);
        // The official template (3.12) always has ClusterPolicy1, ClusterPolicy2, the image policy and the log
        // retrieval policy (login nodes and image build included), plus Batch, FSx and IAM when enabled.
        const template = imageBuild && loginNodes && !(fsx && iamMode === "restricted") ? 4 + Number(batch) + Number(fsx) + Number(iamMode !== "restricted") : null;
        rows.push({ iamMode, batch, fsx, imageBuild, loginNodes, regionScoped, policies, lowerBound, ratio: policies / lowerBound, template });
    }
    figure("user policy packing", "combinations above the lower bound", "count", [rows.filter((r) => r.policies > r.lowerBound).length], { op: "<=", value: 0 });
    figure("user policy packing", "most managed policies on the user role", "count", [Math.max(...rows.map((r) => r.policies))], { op: "<=", value: 10 });
    figure("user policy packing", "mean policies / lower bound", "ratio", [rows.reduce((a, r) => a + r.ratio, 0) / rows.length]);
    return rows;
}

function micro(): void {
    const ctx = makeContext({ accountId: "123456789012", region: "us-east-1" });
    const secrets = Array.from({ length: 20 }, (_, i) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:s${i}-AbCdEf`);
    const s = "builders";
    figure(s, "user base policy, scoped, 20 secrets", "ms/call", [perCallMs(2000, () => userBasePolicy(ctx, { secretArns: secrets, regionScope: "us-east-1" }))], { op: "<=", value: 2 });
    figure(s, "head node policy set, Slurm", "ms/call", [perCallMs(2000, () => headNodePolicy(ctx, { scheduler: "slurm", clusterName: "hpc", secretArns: secrets.slice(0, 2) }))], { op: "<=", value: 1 });
    const big: PolicyStatement[] = Array.from({ length: 52 }, (_, i) => ({
        Sid: `S${i}`, Effect: "Allow", Action: Array.from({ length: 30 }, (_, j) => `ec2:DescribeThing${i}x${j}`), Resource: "*",
    }));
    figure(s, "pack a 40 KB document", "ms/call", [perCallMs(20, () => packPolicy(policyDocument(big)))], { op: "<=", value: 50 });
}

/** A configuration error reaches the engine as its message, without the error-formatting stall of some Node 20 releases. */
async function configError(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-config-"));
    try {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        project.main = path.join(ROOT, "stacks", "index.ts");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify({ config: { "aws:region": "us-east-1", "parallelcluster-iam:trustedPrincipals": ["Ops"] } }));
        const values: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            const t0 = Date.now();
            const failed = await runStack({ stack: "staging", projectDir: dir, pack: false }).then(() => undefined, (e: unknown) => e);
            if (!(failed instanceof Error) || !/^parallelcluster-iam:clusters: /.test(failed.message)) throw new Error(`expected a clusters error, got ${String(failed)}`);
            values.push(Date.now() - t0);
        }
        figure("errors", "a stack with a config error fails (cmd/run, message to the engine)", "ms", values, { op: "<=", value: 10_000 });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function fmt(v: number): string {
    return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function table(): string[] {
    const lines = ["| section | figure | unit | min | median | max | target | met |", "| --- | --- | --- | --- | --- | --- | --- | --- |"];
    for (const f of figures) {
        const m = met(f);
        lines.push(`| ${f.section} | ${f.name} | ${f.unit} | ${fmt(Math.min(...f.values))} | ${fmt(median(f.values))} | ${fmt(Math.max(...f.values))} | ${f.target ? `${f.target.op} ${f.target.value}` : ""} | ${m === undefined ? "" : m ? "yes" : "**no**"} |`);
    }
    return lines;
}

async function main(): Promise<number> {
    const started = Date.now();
    micro();
    const packingRows = packing();
    const resourcesFile = scale();
    if (!QUICK) coldStarts();
    await packThroughput(resourcesFile);
    await configError();
    const out = {
        date: new Date().toISOString(),
        quick: QUICK,
        runs: RUNS,
        machine: { platform: `${os.platform()} ${os.release()}`, arch: os.arch(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
        figures: figures.map((f) => ({ section: f.section, name: f.name, unit: f.unit, min: Math.min(...f.values), median: median(f.values), max: Math.max(...f.values), values: f.values, ...(f.target ? { target: `${f.target.op} ${f.target.value}`, met: met(f) } : {}) })),
        packing: packingRows,
        durationMs: Date.now() - started,
    };
    fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + "\n");
    for (const l of table()) console.log(l);
    const missed = figures.filter((f) => met(f) === false);
    console.log(`\n${figures.filter((f) => f.target).length - missed.length} targets met, ${missed.length} missed; ${RUNS} run(s) each; ${((Date.now() - started) / 1000).toFixed(0)} s; written to ${path.relative(ROOT, OUT)}`);
    // The quick run is a smoke test of the harness on whatever machine runs it; only the full run judges targets.
    return QUICK || missed.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(2);
});
