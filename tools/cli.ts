/**
 * Offline engine CLI.
 *
 *   preview <stack> [--region R] [--account A] [--project DIR]
 *   render  <stack> --out DIR [--region R] [--account A] [--project DIR]
 *
 * Exit status: 0 fine; 1 the policy pack reports a mandatory violation; 2 a usage or configuration error
 * (one line on stderr, nothing written); 3 the program or a mocked AWS call failed (nothing written).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { listStacks, loadProject } from "./config";
import { ProgramError, runStack, StackRun, UsageError } from "./engine";
import { buildManifest, IamManifest } from "./manifest";
import { INSTANCE_PROFILE, plain, POLICY, RecordedResource, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT } from "../components/testing/mocks";
import { PackOutcome } from "./pack";

export const REPO_ROOT = path.resolve(__dirname, "..");

const COMMANDS = ["preview", "render"] as const;
type Command = (typeof COMMANDS)[number];
const FLAGS: Record<Command, readonly string[]> = {
    preview: ["--region", "--account", "--project", "--policy-pack-config", "--json"],
    render: ["--out", "--region", "--account", "--project", "--policy-pack-config", "--json"],
};
/** Flags that take no value. */
const SWITCHES = new Set(["--json"]);

export interface CliArgs {
    readonly command: Command;
    /** Missing when not given: main() then lists the valid stacks. */
    readonly stack?: string;
    readonly region?: string;
    readonly account?: string;
    readonly projectDir: string;
    readonly out?: string;
    /** A JSON file of policy-pack config, as `pulumi preview --policy-pack-config` takes. */
    readonly policyPackConfig?: string;
    /** Print the whole result (resources, outputs, findings) as JSON instead of text. */
    readonly json: boolean;
}

/** Parses argv (without node and script). Throws UsageError naming the problem and the valid values. */
export function parseArgs(argv: readonly string[]): CliArgs {
    const [command, ...rest] = argv;
    if (!command) throw new UsageError(`missing command; valid commands: ${COMMANDS.join(", ")}`);
    if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command '${command}'; valid commands: ${COMMANDS.join(", ")}`);
    const cmd = command as Command;
    const flags = new Map<string, string>();
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
        const arg = rest[i];
        if (!arg.startsWith("-")) {
            positional.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const flag = eq > 0 ? arg.slice(0, eq) : arg;
        if (!FLAGS[cmd].includes(flag)) throw new UsageError(`unknown flag '${flag}' for ${cmd}; valid flags: ${FLAGS[cmd].join(", ")}`);
        if (SWITCHES.has(flag)) {
            if (eq > 0) throw new UsageError(`${flag} takes no value`);
            if (flags.has(flag)) throw new UsageError(`${flag} given twice`);
            flags.set(flag, "true");
            continue;
        }
        const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
        if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
        if (flags.has(flag)) throw new UsageError(`${flag} given twice`);
        flags.set(flag, value);
    }
    if (positional.length > 1) throw new UsageError(`${cmd}: one stack at a time; got ${positional.map((p) => `'${p}'`).join(", ")}`);
    if (cmd === "render" && !flags.has("--out")) throw new UsageError("render: --out <dir> is required");
    return {
        command: cmd,
        stack: positional[0],
        region: flags.get("--region"),
        account: flags.get("--account"),
        projectDir: path.resolve(flags.get("--project") ?? REPO_ROOT),
        out: flags.has("--out") ? path.resolve(flags.get("--out")!) : undefined,
        policyPackConfig: flags.has("--policy-pack-config") ? path.resolve(flags.get("--policy-pack-config")!) : undefined,
        json: flags.has("--json"),
    };
}

// ---------------------------------------------------------------------------------------------- preview

function physicalName(r: RecordedResource): string | undefined {
    const n = r.state.name;
    return typeof n === "string" && n !== r.name ? n : undefined;
}

/** The resource tree, indented under parents, with each role's path, boundary and policies. */
export function formatTree(run: StackRun, manifest: IamManifest): string[] {
    const byUrn = new Set(run.resources.map((r) => r.urn));
    const children = new Map<string | null, RecordedResource[]>();
    for (const r of run.resources) {
        const parent = r.parentUrn && byUrn.has(r.parentUrn) ? r.parentUrn : null;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    const roles = new Map(manifest.roles.map((r) => [r.name, r]));
    const lines: string[] = [];
    const walk = (parent: string | null, depth: number): void => {
        for (const r of children.get(parent) ?? []) {
            const pad = "    " + "  ".repeat(depth);
            const phys = physicalName(r);
            lines.push(`${pad}+ ${r.type}  ${r.name}${phys ? `  (${phys})` : ""}`);
            const role = r.type === ROLE ? roles.get(String(r.state.name)) : undefined;
            if (role) {
                const detail = pad + "      ";
                const known = (v: string): string => (v === "<unknown>" ? "(known after update)" : v);
                const boundary = role.permissionsBoundary ? known(role.permissionsBoundary) : "none";
                lines.push(`${detail}path: ${role.path}   boundary: ${boundary}   purpose: ${role.purpose ?? "(untagged)"}`);
                lines.push(`${detail}managed policies: ${role.managedPolicyArns.length > 0 ? role.managedPolicyArns.map(known).join(", ") : "none"}`);
                const inline = Object.keys(role.inlinePolicies);
                lines.push(`${detail}inline policies: ${inline.length > 0 ? inline.join(", ") : "none"}`);
                if (role.instanceProfile) lines.push(`${detail}instance profile: ${role.instanceProfile.name}`);
            }
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    return lines;
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(run: StackRun, pack: PackOutcome): string {
    const count = (t: string): number => run.resources.filter((r) => r.type === t).length;
    const kinds = [
        plural(count(ROLE), "role"),
        plural(count(POLICY), "policy", "policies"),
        plural(count(INSTANCE_PROFILE), "instance profile"),
        plural(count(ROLE_POLICY_ATTACHMENT), "policy attachment"),
        plural(count(ROLE_POLICY), "inline policy", "inline policies"),
    ].join(", ");
    const mandatory = pack.violations.filter((v) => v.level === "mandatory").length;
    const advisory = pack.violations.filter((v) => v.level === "advisory").length;
    const packText = pack.available ? `policy pack: ${mandatory} mandatory, ${advisory} advisory` : "policy pack: not available";
    return `Summary: ${plural(run.resources.length, "resource")} (${kinds}); ${packText}; ${run.durationMs} ms`;
}

function packLines(pack: PackOutcome): string[] {
    if (!pack.available) return ["policy pack: not available"];
    if (pack.violations.length === 0) return ["Policy pack: no violations"];
    return [
        "Policy pack violations:",
        ...pack.violations.map((v) => `    [${v.level}] ${v.policy}: ${v.message.replace(/\n/g, "\n        ")}${v.urn ? `\n        ${v.urn}` : ""}`),
    ];
}

function logLines(run: StackRun): string[] {
    const text = run.logs.trim();
    const diags = run.diagnostics.filter((d) => d.severity === "warning" || d.severity === "info");
    if (!text && diags.length === 0) return [];
    return [
        "Diagnostics:",
        ...diags.map((d) => `    ${d.severity}: ${d.message.trim()}${d.urn ? ` (${d.urn})` : ""}`),
        ...(text ? text.split("\n").map((l) => `    ${l}`) : []),
        "",
    ];
}

/** A stack output as `pulumi preview` shows it: values unknown until the update as `output<type>`. */
function outputValue(v: unknown, indent: string): string {
    if (v === "<unknown>") return "output<string>";
    if (typeof v === "string") return v.includes("\n") ? `|\n${v.trimEnd().split("\n").map((l) => `${indent}    ${l}`).join("\n")}` : v;
    return JSON.stringify(v, null, 2).split("\n").join(`\n${indent}`);
}

export function outputLines(outputs: Record<string, unknown>): string[] {
    const keys = Object.keys(outputs).sort();
    if (keys.length === 0) return [];
    return ["Outputs:", ...keys.map((k) => `    ${k}: ${outputValue(outputs[k], "    ")}`), ""];
}

// ----------------------------------------------------------------------------------------------- render

/** IAM names may be "." or ".."; keep them from meaning a directory. */
function fileName(name: string): string {
    return /^\.+$/.test(name) ? `_${name}` : name;
}

function writeJson(file: string, value: unknown): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

/** Writes the manifest and every document into `dir` (a fresh directory). Returns the files, relative. */
export function writeRender(dir: string, manifest: IamManifest): string[] {
    const files: string[] = [];
    const put = (rel: string, value: unknown): void => {
        writeJson(path.join(dir, rel), value);
        files.push(rel);
    };
    const s = manifest.stack;
    put(`${s}.iam.json`, manifest);
    for (const role of manifest.roles) {
        const base = path.join(s, "roles", fileName(role.name));
        if (role.trustPolicy) put(path.join(base, "trust.json"), role.trustPolicy);
        for (const [name, doc] of Object.entries(role.inlinePolicies)) put(path.join(base, "inline", `${fileName(name)}.json`), doc);
    }
    for (const p of manifest.policies) {
        if (!p.document) continue;
        const rel = p.role === undefined
            ? path.join(s, "policies", `${fileName(p.name)}.json`)
            : path.join(s, "existing-roles", fileName(p.role), "inline", `${fileName(p.name)}.json`);
        put(rel, p.document);
    }
    return files;
}

/** Replaces `<out>/<stack>.iam.json` and `<out>/<stack>/` together, via a temporary directory beside them. */
function publish(out: string, manifest: IamManifest): string[] {
    fs.mkdirSync(out, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(out, `.${manifest.stack}.render-`));
    try {
        const files = writeRender(tmp, manifest);
        const treeDst = path.join(out, manifest.stack);
        fs.rmSync(treeDst, { recursive: true, force: true });
        if (fs.existsSync(path.join(tmp, manifest.stack))) fs.renameSync(path.join(tmp, manifest.stack), treeDst);
        fs.renameSync(path.join(tmp, `${manifest.stack}.iam.json`), path.join(out, `${manifest.stack}.iam.json`));
        return files;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

// ------------------------------------------------------------------------------------------------- main

export interface Io {
    out(line: string): void;
    err(line: string): void;
}

const stdio: Io = { out: (l) => process.stdout.write(l + "\n"), err: (l) => process.stderr.write(l + "\n") };

/** Reads a `--policy-pack-config` file: a JSON object keyed by policy name (or `all`). */
export function readPackConfig(file: string | undefined): Record<string, unknown> | undefined {
    if (file === undefined) return undefined;
    let value: unknown;
    try {
        value = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--policy-pack-config: '${file}' is not a readable JSON file (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
        throw new UsageError(`--policy-pack-config: '${file}' must hold a JSON object keyed by policy name, e.g. {"parallelcluster-permissions-boundary": {"enforcementLevel": "mandatory", "boundaryArn": "arn:..."}}`);
    }
    return value as Record<string, unknown>;
}

/**
 * A program error that names a config key (`<project>:<key>[<i>].<field>: ...`, as the stacks report values they
 * refuse), `aws:region`, or the stack name is a configuration mistake: exit 2 like the schema's own checks.
 */
function isConfigError(argv: readonly string[], message: string): boolean {
    try {
        const project = loadProject(parseArgs(argv).projectDir);
        if (/^stack: /.test(message)) return true;
        const m = /^([\w-]+:[\w-]+)(\[\d+\]|\.[\w-]+)*: /.exec(message);
        return !!m && (m[1] in project.config || m[1] === "aws:region");
    } catch {
        return false;
    }
}

/** Runs one command; returns the exit status. */
export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
    try {
        const args = parseArgs(argv);
        if (args.stack === undefined) {
            throw new UsageError(`${args.command}: missing <stack>; valid stacks: ${listStacks(loadProject(args.projectDir)).join(", ") || "(none)"}`);
        }
        if (args.out !== undefined && fs.existsSync(args.out) && !fs.statSync(args.out).isDirectory()) {
            throw new UsageError(`--out: '${args.out}' exists and is not a directory`);
        }
        const packConfig = readPackConfig(args.policyPackConfig);
        const preview = args.command === "preview";
        const run = await runStack({ stack: args.stack, projectDir: args.projectDir, region: args.region, account: args.account, preview, packConfig });
        const pack = run.pack;
        const manifest = buildManifest({ ...run, violations: pack.violations });
        const failed = pack.violations.some((v) => v.level === "mandatory");
        const files = args.out !== undefined ? publish(args.out, manifest) : [];
        if (args.json) {
            io.out(JSON.stringify({ stack: run.stack, project: run.project, preview, accountId: run.accountId, region: run.region, partition: run.partition, resources: run.resources.map((r) => ({ ...r, inputs: plain(r.inputs), state: plain(r.state) })), outputs: run.outputs, diagnostics: run.diagnostics.filter((d) => d.severity !== "debug"), violations: manifest.violations, ...(args.out ? { manifest: path.join(args.out, `${run.stack}.iam.json`) } : {}) }, null, 2));
        } else if (preview) {
            io.out(`Previewing stack '${run.stack}' of project '${run.project}' offline (account ${run.accountId}, region ${run.region}, partition ${run.partition})`);
            io.out("");
            for (const l of logLines(run)) io.out(l);
            io.out("Resources:");
            for (const l of formatTree(run, manifest)) io.out(l);
            io.out("");
            for (const l of outputLines(run.outputs)) io.out(l);
            for (const l of packLines(pack)) io.out(l);
            io.out("");
            io.out(summaryLine(run, pack));
        } else {
            for (const l of logLines(run)) io.out(l);
            io.out(`Rendered stack '${run.stack}' to ${path.join(args.out!, `${run.stack}.iam.json`)}: ${plural(manifest.roles.length, "role")}, ${plural(manifest.policies.length, "policy", "policies")}, ${plural(files.length - 1, "document")}`);
            io.out("");
            for (const l of outputLines(run.outputs)) io.out(l);
            for (const l of packLines(pack)) io.out(l);
        }
        return failed ? 1 : 0;
    } catch (e) {
        if (e instanceof UsageError) {
            io.err(`error: ${e.message}`);
            return 2;
        }
        if (e instanceof ProgramError && isConfigError(argv, e.message)) {
            io.err(`error: ${e.message.split("\n")[0]}`);
            return 2;
        }
        if (e instanceof ProgramError) {
            io.err(`error: ${e.message}`);
            if (e.logs.trim()) io.err(`program output:\n${e.logs.trim()}`);
            return 3;
        }
        io.err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return 3;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
