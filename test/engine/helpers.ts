/** Shared by the engine's tests: the fixture project and a way to run the CLI as a child process. */
import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");
export const FIXTURE = path.join(REPO, "test", "fixtures", "engine-project");
export const STUB_PACK = path.join(FIXTURE, "stub-pack.ts");
const TSX_CLI = path.join(REPO, "node_modules", "tsx", "dist", "cli.mjs");

export interface CliResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly ms: number;
}

/**
 * `tsx tools/cli.ts <args>` (what `npx tsx` runs, without npm's own warnings on stderr), against the fixture
 * project unless `--project` is given. The policy pack is off unless `pack` names a driver.
 */
export function cli(args: readonly string[], opts: { pack?: string } = {}): Promise<CliResult> {
    const started = Date.now();
    const full = args.includes("--project") ? [...args] : [...args, "--project", FIXTURE];
    const env = { ...process.env, ENGINE_POLICY_PACK_DRIVER: opts.pack ?? "none" };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [TSX_CLI, path.join(REPO, "tools", "cli.ts"), ...full], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    });
}
