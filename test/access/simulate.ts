/**
 * `npm run simulate -- <stack> [--out DIR]` (tsx test/access/simulate.ts): prints the stack's access matrix
 * (principal | via | class | request | expected | actual), writes DIR/<stack>.access.md and .access.json
 * (DIR defaults to out/), and exits 1 on any disagreement (2 on a usage error).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { MatrixResult, markdown, requestText, runMatrix } from "./matrix";
import { REPO, STACKS, StackName } from "./model";

function usage(msg: string): never {
    process.stderr.write(`${msg}\nusage: simulate <${STACKS.join("|")}> [--out DIR]\n`);
    process.exit(2);
}

function table(res: MatrixResult): string {
    const head = ["principal", "via", "class", "request", "expected", "actual"];
    const rows = res.rows.map((r) => [r.principal, r.via.join("; ") || "—", String(r.reportedClass), `${r.id}: ${requestText(r)}`, r.expected, r.agrees ? r.actual : `${r.actual}  <-- DISAGREES`]);
    const width = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i].length))));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 3 ? c : c.padEnd(width[i]))).join(" | ");
    return [line(head), width.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    let out = path.join(REPO, "out");
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--out") out = path.resolve(args[++i] ?? usage("--out needs a directory"));
        else positional.push(args[i]);
    }
    if (positional.length !== 1 || !(STACKS as readonly string[]).includes(positional[0])) usage(`expected one stack, got ${JSON.stringify(positional)}`);
    const stack = positional[0] as StackName;
    const res = await runMatrix(stack);
    process.stdout.write(table(res) + "\n\n");
    process.stdout.write(`${stack} (${res.mode} mode): ${res.rows.length} cases; ${Object.entries(res.counts).map(([k, v]) => `${k} ${v}`).join(", ")}; ${res.disagreements.length} disagreement(s)\n`);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, `${stack}.access.md`), markdown(res));
    writeFileSync(path.join(out, `${stack}.access.json`), JSON.stringify(res, null, 2) + "\n");
    process.stdout.write(`wrote ${path.join(out, `${stack}.access.md`)} and .json\n`);
    process.exitCode = res.disagreements.length > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
});
