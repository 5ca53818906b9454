/**
 * The offline engine: runs a stack's program against the SDK's mock monitor with AWS-like mocks and
 * records every registration. No Pulumi CLI, no cloud account.
 *
 * The SDK keeps its state (settings, config, the stack resource, loaded modules) in globals, so one process
 * can run one stack. `runStack` therefore runs each stack in a child process (tools/child.ts, results over
 * Node's IPC channel so the program's own console output cannot corrupt them); `runStackInProcess` is the
 * same run in the calling process, for the child and for callers that run exactly one stack.
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as pulumiSdk from "@pulumi/pulumi";
import { LoadedStack, loadStack, LoadStackOptions, UsageError } from "./config";
import { AwsMocks, plain, RecordedResource, RegistrationContext } from "./mocks";

export { RecordedResource } from "./mocks";
export { LoadedStack, UsageError } from "./config";

export interface RunStackOptions extends LoadStackOptions {
    /** Run as a preview (`pulumi.runtime.isDryRun()` true). Default true. */
    readonly preview?: boolean;
    /** Kill the child after this long. Default 120 s. */
    readonly timeoutMs?: number;
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
    /** What the program wrote to stdout/stderr (child runs only). */
    readonly logs: string;
    readonly durationMs: number;
}

/** The program (or a mocked AWS call) failed: what `pulumi preview` would report as an error. */
export class ProgramError extends Error {
    readonly exitCode = 3;
    constructor(message: string, readonly logs = "") {
        super(message);
        this.name = "ProgramError";
    }
}

type Sdk = typeof pulumiSdk;

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
}
interface MonitorLike {
    newUrn(parent: string, type: string, name: string): string;
    supportsFeature(req: { getId(): string }, cb: (err: unknown, resp: { getHassupport(): boolean }) => void): void;
    registerResource(req: MonitorRequest, cb: (err: unknown, resp: unknown) => void): unknown;
    readResource(req: MonitorRequest, cb: (err: unknown, resp: unknown) => void): unknown;
}

/**
 * The URN the Pulumi engine gives a resource: the parent's qualified type chain, then the type, except that
 * children of the root stack do not carry the stack's type. (The SDK's MockMonitor keeps only the last
 * parent type and includes the stack's; we replace its newUrn so URNs match real deployments.)
 */
export function engineUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    let qualified = type;
    if (parentUrn) {
        const parentType = parentUrn.split("::")[2];
        if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * MockResourceArgs carries neither the URN nor the parent, so wrap the monitor: tell the mocks which
 * registration is in flight. The MockMonitor calls `mocks.newResource` synchronously at the start of
 * registerResource/readResource, and the mocks check type and name, so a change in the SDK fails loudly.
 */
function wrapMonitor(monitor: MonitorLike, mocks: AwsMocks, stack: string, project: string): void {
    if (typeof monitor.newUrn !== "function") throw new Error("offline engine: the SDK's MockMonitor has no newUrn; update tools/engine.ts");
    monitor.newUrn = (parent, type, name) => engineUrn(stack, project, parent, type, name);
    // The AWS provider does not accept resource references: the engine hands it the referenced resource's
    // id (for a role, its name). Decline the feature so the SDK serializes references the same way.
    const supportsFeature = monitor.supportsFeature.bind(monitor);
    monitor.supportsFeature = (req, cb) =>
        req.getId() === "resourceReferences" ? cb(null, { getHassupport: () => false }) : supportsFeature(req, cb);
    for (const method of ["registerResource", "readResource"] as const) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req, cb) => {
            const parent = req.getParent() || "";
            const ctx: RegistrationContext = {
                type: req.getType(),
                name: req.getName(),
                urn: engineUrn(stack, project, parent, req.getType(), req.getName()),
                parentUrn: parent || null,
            };
            mocks.setPending(ctx);
            try {
                return original(req, cb);
            } finally {
                mocks.setPending(undefined);
            }
        };
    }
}

/** The useful part of a failure: the SDK wraps registration errors in "error serializing property ..." chains. */
function errorMessage(e: unknown): string {
    const m = e instanceof Error ? e.message : String(e);
    const i = m.indexOf("failed to register new resource");
    return i > 0 ? m.slice(i) : m;
}

/** Drops the SDK's promise-leak notice, which a failed run always triggers and which says nothing useful here. */
function cleanLogs(logs: string): string {
    return logs.replace(/The Pulumi runtime detected that \d+ promises were still active[\s\S]*?debug information about the leaked promises\.\n?/g, "");
}

let inProcessRuns = 0;

/**
 * Runs a validated stack in this process. Only once per process: the SDK's globals and the program's
 * module cache would leak into a second run.
 */
export async function runStackInProcess(loaded: LoadedStack, opts: { preview?: boolean } = {}): Promise<StackRun> {
    if (inProcessRuns++ > 0) throw new Error("runStackInProcess: one stack per process; use runStack to run several");
    const started = Date.now();
    const { project } = loaded;
    if (!fs.existsSync(project.main)) throw new UsageError(`Pulumi.yaml: main '${project.main}' does not exist`);

    // Use the SDK the program itself resolves, so the mocks and the program share one runtime.
    const programDir = fs.statSync(project.main).isDirectory() ? project.main : path.dirname(project.main);
    const requireFromProgram = createRequire(path.join(programDir, "__engine__.js"));
    const sdk = requireFromProgram("@pulumi/pulumi") as Sdk;

    const mocks = new AwsMocks({ region: loaded.region, accountId: loaded.accountId });
    await sdk.runtime.setMocks(mocks, project.name, loaded.stack, opts.preview ?? true);
    sdk.runtime.setAllConfig({ ...loaded.config });
    wrapMonitor(sdk.runtime.getMonitor() as unknown as MonitorLike, mocks, loaded.stack, project.name);

    // Failed registrations surface as rejected outputs nobody awaits; collect them like the language host does.
    const failures: string[] = [];
    const onFailure = (e: unknown): void => {
        const m = errorMessage(e);
        if (!failures.includes(m)) failures.push(m);
    };
    process.on("unhandledRejection", onFailure);
    process.on("uncaughtException", onFailure);
    let outputs: unknown;
    try {
        outputs = await sdk.runtime.runInPulumiStack(async () => {
            const programPath = fs.statSync(project.main).isDirectory() ? project.main + path.sep : project.main;
            const exported: unknown = requireFromProgram(programPath);
            // As the Node.js language host: an exported function is the program; anything else is its outputs.
            return exported instanceof Function ? await exported() : exported;
        });
        await sdk.runtime.disconnect();
        // Let rejections of unawaited outputs reach the handlers.
        await new Promise((resolve) => setImmediate(resolve));
    } catch (e) {
        onFailure(e);
    } finally {
        process.off("unhandledRejection", onFailure);
        process.off("uncaughtException", onFailure);
    }
    if (failures.length === 0 && sdk.log.hasErrors()) failures.push("the program logged errors");
    if (failures.length > 0) throw new ProgramError(failures.join("\n"));
    return {
        project: project.name,
        stack: loaded.stack,
        region: loaded.region,
        partition: loaded.partition,
        accountId: loaded.accountId,
        config: { ...loaded.config },
        resources: mocks.resources,
        outputs: (plain(outputs ?? {}) as Record<string, unknown>) ?? {},
        logs: "",
        durationMs: Date.now() - started,
    };
}

/** Messages between engine and child. */
export interface ChildRequest {
    readonly loaded: LoadedStack;
    readonly preview: boolean;
}
export type ChildResponse =
    | { readonly ok: true; readonly run: StackRun }
    | { readonly ok: false; readonly kind: "usage" | "program"; readonly message: string };

/** `--import` argument that makes a plain `node` run TypeScript (the child needs it for the program). */
function tsxImport(): string {
    const pkg = createRequire(__filename).resolve("tsx/package.json");
    return pathToFileURL(path.join(path.dirname(pkg), "dist", "loader.mjs")).href;
}

/**
 * Validates the stack's configuration (throws UsageError), then runs it in a child process.
 * Several stacks can run from one process, concurrently if the caller likes.
 */
export async function runStack(opts: RunStackOptions): Promise<StackRun> {
    const loaded = loadStack(opts);
    const request: ChildRequest = { loaded, preview: opts.preview ?? true };
    const timeoutMs = opts.timeoutMs ?? 120_000;
    return new Promise<StackRun>((resolve, reject) => {
        const child = fork(path.join(__dirname, "child.ts"), [], {
            cwd: loaded.project.projectDir,
            execArgv: ["--import", tsxImport(), "--enable-source-maps"],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        let logs = "";
        let response: ChildResponse | undefined;
        child.stdout?.on("data", (d: Buffer) => (logs += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (logs += d.toString()));
        const output = (): string => cleanLogs(logs);
        child.on("message", (m) => (response = m as ChildResponse));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new ProgramError(`stack '${loaded.stack}' did not finish within ${timeoutMs} ms (a promise that never settles?)`, output()));
        }, timeoutMs);
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            if (!response) {
                reject(new ProgramError(`the engine's child process for stack '${loaded.stack}' exited (${signal ?? code}) without a result\n${output().trim()}`, output()));
            } else if (response.ok) {
                resolve({ ...response.run, logs: output() });
            } else if (response.kind === "usage") {
                reject(new UsageError(response.message));
            } else {
                reject(new ProgramError(response.message, output()));
            }
        });
        child.send(request);
    });
}
