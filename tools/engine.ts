/**
 * The offline engine: plays the Pulumi engine's part in a deployment without the Pulumi CLI or a cloud
 * account. It serves the ResourceMonitor and Engine gRPC services (tools/monitor.ts), starts the program as
 * `pulumi-language-nodejs` does (`@pulumi/pulumi/cmd/run` resolved from the program's folder, with the
 * language host's arguments and environment, so the SDK compiles the program with ts-node and the project's
 * tsconfig), answers every registration as AWS would (tools/mocks.ts), and runs the policy pack as the CLI
 * does: Analyze as each resource is registered, AnalyzeStack at the end.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LoadedStack, loadStack, LoadStackOptions, UsageError } from "./config";
import { AwsMocks, RecordedResource } from "../components/testing/mocks";
import { Diagnostic, EngineServer } from "./monitor";
import { openPolicyPack, PackOutcome, PackSession } from "./pack";

export { RecordedResource } from "../components/testing/mocks";
export { LoadedStack, UsageError } from "./config";

export interface RunStackOptions extends LoadStackOptions {
    /** Run as a preview (`pulumi.runtime.isDryRun()` true, computed values unknown). Default true. */
    readonly preview?: boolean;
    /** Kill the program after this long. Default 300 s. */
    readonly timeoutMs?: number;
    /** `--policy-pack-config` for the pack; with `pack: false` no pack runs. */
    readonly packConfig?: unknown;
    /** The policy pack's folder, as `--policy-pack <dir>` names it (default: this repository's policypack/). */
    readonly packDir?: string;
    /** Run the policy pack (default true; ENGINE_POLICY_PACK_DRIVER=none also turns it off). */
    readonly pack?: boolean;
}

export interface StackRun {
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    readonly partition: string;
    readonly accountId: string;
    /** The config map the program saw. */
    readonly config: Record<string, string>;
    /** Every registration in order, the root stack first. */
    readonly resources: RecordedResource[];
    /** The program's stack outputs, as plain JSON. */
    readonly outputs: Record<string, unknown>;
    /** What the program wrote to stdout/stderr. */
    readonly logs: string;
    /** What the program sent the engine with Engine.Log (warnings, errors, info). */
    readonly diagnostics: Diagnostic[];
    /** The policy pack's findings. */
    readonly pack: PackOutcome;
    readonly preview: boolean;
    readonly durationMs: number;
}

/** The program (or a mocked AWS call) failed: what `pulumi preview` would report as an error. */
export class ProgramError extends Error {
    readonly exitCode = 3;
    constructor(message: string, readonly logs = "", readonly diagnostics: Diagnostic[] = [], readonly resources: RecordedResource[] = []) {
        super(message);
        this.name = "ProgramError";
    }
}

/** Exit status with which `cmd/run` says it has already reported the error to the engine. */
const ERROR_REPORTED = 32;

/** The language host's `constructConfig`: keys as `<namespace>:config:<name>`, values as strings. */
export function languageHostConfig(config: Readonly<Record<string, string>>): string {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        const i = k.indexOf(":");
        out[`${k.slice(0, i)}:config:${k.slice(i + 1)}`] = v;
    }
    return JSON.stringify(out);
}

/** The engine's `getPwdMain`: the program's directory and its entry point ("." for a directory). */
export function programLocation(main: string): { pwd: string; entryPoint: string } {
    return fs.statSync(main).isDirectory() ? { pwd: main, entryPoint: "." } : { pwd: path.dirname(main), entryPoint: path.basename(main) };
}

/** Splits `nodeargs` as the language host's shlex does for the simple quoting a Pulumi.yaml uses. */
function splitArgs(s: string): string[] {
    return (s.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((a) => a.replace(/^(["'])(.*)\1$/, "$2"));
}

/**
 * The command line and environment `pulumi-language-nodejs` gives the program (its `constructArguments`,
 * `constructConfig` and `execRuntime`), for a monitor and engine at `address`.
 */
export function languageHostCommand(loaded: LoadedStack, address: string, preview: boolean): { args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
    const { project } = loaded;
    const { pwd, entryPoint } = programLocation(project.main);
    let runPath: string;
    try {
        runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] });
    } catch {
        throw new UsageError(`${pwd}: cannot find @pulumi/pulumi/cmd/run from the program's folder; run 'npm ci' in the project`);
    }
    const opts = project.runtimeOptions;
    const args = [
        ...(typeof opts.nodeargs === "string" ? splitArgs(opts.nodeargs) : []),
        runPath,
        "--monitor", address,
        "--engine", address,
        "--organization", "organization",
        "--project", project.name,
        "--root-directory", project.projectDir,
        "--stack", loaded.stack,
        "--pwd", pwd,
        ...(preview ? ["--dry-run"] : []),
        "--parallel", "16",
        entryPoint,
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_CONFIG: languageHostConfig(loaded.config), PULUMI_CONFIG_SECRET_KEYS: "[]" };
    // A loader the calling process runs under (a test runner's tsx) is not the language host's.
    delete env.NODE_OPTIONS;
    if (opts.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof opts.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
    return { args, env, cwd: pwd };
}

/** Drops the SDK's promise-leak notice, which a failed run always triggers and which says nothing useful here. */
function cleanLogs(logs: string): string {
    return logs.replace(/The Pulumi runtime detected that \d+ promises were still active[\s\S]*?debug information about the leaked promises\.\n?/g, "");
}

/**
 * Runs the program through `cmd/run` against the engine at `address`; resolves with its exit status and
 * output. `cancel` stops it as the language host's Cancel does (SIGINT, then SIGKILL after 5 s).
 */
function runProgram(loaded: LoadedStack, address: string, preview: boolean, timeoutMs: number, cancel: { fn?: () => void }): Promise<{ code: number | null; logs: string }> {
    const { args, env, cwd } = languageHostCommand(loaded, address, preview);
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        cancel.fn = () => {
            child.kill("SIGINT");
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
        };
        let logs = "";
        child.stdout.on("data", (d: Buffer) => (logs += d.toString()));
        child.stderr.on("data", (d: Buffer) => (logs += d.toString()));
        const kill = (): boolean => child.kill("SIGKILL");
        process.once("exit", kill);
        const timer = setTimeout(() => {
            kill();
            reject(new ProgramError(`stack '${loaded.stack}' did not finish within ${timeoutMs} ms (a promise that never settles?)`, cleanLogs(logs)));
        }, timeoutMs);
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            process.removeListener("exit", kill);
            resolve({ code: code ?? (signal ? 128 : null), logs: cleanLogs(logs) });
        });
    });
}

/**
 * Validates the stack's configuration (throws UsageError), then runs it as `pulumi preview` (or, with
 * `preview: false`, `pulumi up`) would, with the policy pack. Each run has its own engine and program
 * process, so several stacks can run concurrently.
 */
export async function runStack(opts: RunStackOptions): Promise<StackRun> {
    const started = Date.now();
    const loaded = loadStack(opts);
    const preview = opts.preview ?? true;
    const ctx = { project: loaded.project.name, stack: loaded.stack, region: loaded.region, preview };
    const refsFile = path.join(loaded.project.projectDir, "stack-references.json");
    let stackReferences: Record<string, Record<string, unknown>> | undefined;
    if (fs.existsSync(refsFile)) {
        try {
            stackReferences = JSON.parse(fs.readFileSync(refsFile, "utf8")) as Record<string, Record<string, unknown>>;
        } catch (e) {
            throw new UsageError(`${refsFile}: not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); expected { "<org>/<project>/<stack>": { "<output>": value } }`);
        }
    }
    const packWanted = opts.pack !== false && process.env.ENGINE_POLICY_PACK_DRIVER !== "none";
    // The pack starts while the program compiles; the first registration waits for it, as the engine does.
    const packStarting: Promise<PackSession | undefined> = packWanted ? openPolicyPack(opts.packConfig, ctx, opts.packDir) : Promise.resolve(undefined);
    packStarting.catch(() => undefined);
    const mocks = new AwsMocks({ region: loaded.region, accountId: loaded.accountId });
    const cancel: { fn?: () => void } = {};
    const server = new EngineServer({
        stackReferences,
        // A failed step cancels the deployment: the engine stops the program rather than wait for it.
        onFailure: () => cancel.fn?.(),
        project: loaded.project.name,
        stack: loaded.stack,
        preview,
        mocks,
        onRegister: async (r) => {
            const pack = await packStarting;
            await pack?.analyze(r);
        },
    });
    let pack: PackSession | undefined;
    try {
        const address = await server.listen();
        const { code, logs } = await runProgram(loaded, address, preview, opts.timeoutMs ?? 300_000, cancel);
        pack = await packStarting;
        const errors = server.diagnostics.filter((d) => d.severity === "error");
        if (code !== 0 || errors.length > 0 || server.failures.length > 0) {
            // A refused create is the cause; the program's own errors about it (unresolved outputs) follow from it.
            const messages = server.failures.length > 0 ? server.failures : [...new Set(errors.map((d) => d.message.trim()))];
            if (messages.length === 0) messages.push(`the program exited with status ${code}${code === ERROR_REPORTED ? "" : " without reporting an error"}`);
            throw new ProgramError(messages.join("\n"), logs, server.diagnostics, server.resources);
        }
        const outcome = pack ? await pack.finish(server.resources) : { available: false, violations: [] };
        return {
            project: loaded.project.name,
            stack: loaded.stack,
            region: loaded.region,
            partition: loaded.partition,
            accountId: loaded.accountId,
            config: { ...loaded.config },
            resources: server.resources,
            outputs: server.outputs,
            logs,
            diagnostics: server.diagnostics,
            pack: outcome,
            preview,
            durationMs: Date.now() - started,
        };
    } finally {
        server.close();
        if (!pack) pack = await packStarting.catch(() => undefined);
        await pack?.close();
    }
}
