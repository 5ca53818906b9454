/**
 * One measured run, in a process of its own so that its peak RSS is the engine's alone:
 *   tsx bench/child.ts <projectDir> <stack> [--preview] [--resources FILE]
 * runs the stack through the offline engine (cmd/run, gRPC) without the pack and prints one JSON line.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runStack } from "../tools/engine";
import { toAnalyzerResource } from "../tools/pack";

async function main(): Promise<void> {
    const [projectDir, stack, ...flags] = process.argv.slice(2);
    const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-rss-")), "rss");
    // The program's nodeargs load bench/scale/rss-probe.js, which writes its peak RSS here.
    process.env.BENCH_RSS_FILE = rssFile;
    const preview = flags.includes("--preview");
    const t0 = process.hrtime.bigint();
    const run = await runStack({ stack, projectDir, preview, pack: false });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const i = flags.indexOf("--resources");
    if (i >= 0) {
        const ctx = { project: run.project, stack: run.stack, region: run.region, preview };
        fs.writeFileSync(flags[i + 1], JSON.stringify(run.resources.map((r) => toAnalyzerResource(r, ctx))));
    }
    const programRss = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, "utf8")) : NaN;
    process.stdout.write(JSON.stringify({
        wallMs,
        resources: run.resources.length,
        custom: run.resources.filter((r) => r.custom).length,
        engineRss: process.resourceUsage().maxRSS * 1024,
        programRss,
    }) + "\n");
}

main().then(() => process.exit(0), (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
});
