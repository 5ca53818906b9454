/**
 * Benchmarks with targets: `npm run bench`. Prints each measurement beside its target and exits 1 when
 * one is missed. Timings are wall-clock on this machine (2 cores); targets leave room for a loaded CI box.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { makeContext } from "../components/policies/context";
import { headNodePolicy } from "../components/policies/headNode";
import { packPolicy } from "../components/policies/packing";
import { userBasePolicy } from "../components/policies/userBase";
import { userIamPrivilegedPolicy } from "../components/policies/userIam";
import { PolicyStatement, policyDocument } from "../components/policies/types";
import { runStack } from "../tools/engine";

interface Result { name: string; value: number; unit: string; target: number }
const results: Result[] = [];
const measure = (name: string, unit: string, target: number, value: number) => results.push({ name, value, unit, target });

function perCallMs(n: number, fn: () => unknown): number {
    for (let i = 0; i < Math.min(n, 50); i++) fn(); // warm-up
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t0) / 1e6 / n;
}

async function main(): Promise<number> {
    const ctx = makeContext({ accountId: "123456789012", region: "us-east-1" });
    const secrets = Array.from({ length: 20 }, (_, i) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:s${i}-AbCdEf`);
    measure("user base policy, scoped, 20 secrets", "ms/call", 2, perCallMs(2000, () => userBasePolicy(ctx, { secretArns: secrets, regionScope: "us-east-1" })));
    measure("user IAM policy, privileged", "ms/call", 1, perCallMs(2000, () => userIamPrivilegedPolicy(ctx)));
    measure("head node policy set, Slurm", "ms/call", 1, perCallMs(2000, () => headNodePolicy(ctx, { scheduler: "slurm", secretArns: secrets.slice(0, 2) })));

    const big: PolicyStatement[] = Array.from({ length: 52 }, (_, i) => ({
        Sid: `S${i}`, Effect: "Allow", Action: Array.from({ length: 30 }, (_, j) => `ec2:DescribeThing${i}x${j}`), Resource: "*",
    }));
    measure("pack a 40 KB document", "ms/call", 50, perCallMs(20, () => packPolicy(policyDocument(big))));

    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("run with node --expose-gc (npm run bench does)");
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const docs = Array.from({ length: 1000 }, () => userBasePolicy(ctx, { secretArns: secrets, regionScope: "us-east-1" }));
    gc();
    measure("heap held by 1,000 scoped base documents", "MiB", 64, (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
    if (docs.length !== 1000) throw new Error("documents were not kept");

    const projectDir = path.resolve(__dirname, "..");
    for (const stack of ["dev", "staging", "prod"]) {
        const t0 = Date.now();
        const run = await runStack({ stack, projectDir });
        measure(`offline preview of ${stack} (${run.resources.length} resources, cmd/run + pack via run-policy-pack)`, "ms", 20_000, Date.now() - t0);
    }

    // A configuration error must reach the engine as its message, without the error-formatting stall some
    // Node 20 releases show (seconds and gigabytes when a stack trace is formatted through source maps).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pci-bench-"));
    try {
        const project = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        project.main = path.join(projectDir, "stacks", "index.ts");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify({ config: { "aws:region": "us-east-1", "parallelcluster-iam:trustedPrincipals": ["Ops"] } }));
        const t0 = Date.now();
        const failed = await runStack({ stack: "staging", projectDir: dir, pack: false }).then(() => undefined, (e: unknown) => e);
        if (!(failed instanceof Error) || !/^parallelcluster-iam:clusterName: /.test(failed.message)) throw new Error(`expected a clusterName error, got ${String(failed)}`);
        measure("a stack with a config error fails (cmd/run, message to the engine)", "ms", 10_000, Date.now() - t0);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }

    let missed = 0;
    for (const r of results) {
        const ok = r.value <= r.target;
        if (!ok) missed++;
        console.log(`${ok ? "ok  " : "MISS"} ${r.name}: ${r.value.toFixed(3)} ${r.unit} (target <= ${r.target})`);
    }
    console.log(`${results.length - missed} within target, ${missed} missed`);
    return missed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
});
