/**
 * Runs a CrossGuard policy pack the way the Pulumi engine does and drives it over the analyzer gRPC
 * protocol, without the Pulumi CLI.
 *
 * What the engine does for a `runtime: nodejs` pack (pulumi/pulumi `NewPolicyAnalyzer`): in the pack
 * directory it runs `pulumi-analyzer-policy <engine-address> .`, a shell script that resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from there and runs it with node; run-policy-pack drops the
 * engine address, registers ts-node (type-checking the pack) and requires the pack; `new PolicyPack`
 * then serves gRPC on 127.0.0.1 and prints the port on stdout, which the engine reads. The engine then
 * calls Handshake (optional), ConfigureStack, GetPluginInfo, GetAnalyzerInfo, Configure (policy config
 * reconciled with the schema defaults), Analyze per resource and AnalyzeStack at the end.
 *
 * The first start after a change of the pack takes about 15 s (ts-node type-checks it); ts-node's cache makes
 * later starts take about a second.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";

/** Pulumi's marker for a value unknown during preview (the engine sends every unknown as this string). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** `--policy-pack-config` shape: policy name (or "all") -> level, or properties plus an optional level. */
export type PolicyPackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface ConfigSchema {
    properties: Record<string, Record<string, unknown>>;
    required: string[];
}

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    policyType: "resource" | "stack" | "unknown";
    configSchema?: ConfigSchema;
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    description: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn?: string;
}

export interface ProviderInput {
    type: string;
    name: string;
    urn?: string;
    properties: Record<string, unknown>;
}

export interface ResourceInput {
    type: string;
    name: string;
    /** Defaults to `urn:pulumi:<stack>::<project>::<type>::<name>`. */
    urn?: string;
    properties: Record<string, unknown>;
    /** Parent URN. */
    parent?: string;
    /** URNs this resource depends on (AnalyzeStack). */
    dependencies?: string[];
    /** Property name -> URNs its value came from (AnalyzeStack), as the engine sends them. */
    propertyDependencies?: Record<string, string[]>;
    provider?: ProviderInput;
    protect?: boolean;
}

export interface StartOptions {
    /** Directory holding PulumiPolicy.yaml; defaults to this repository's `policypack/`. */
    packDir?: string;
    project?: string;
    stack?: string;
    organization?: string;
    /** Preview (true, default) or update. */
    dryRun?: boolean;
    /** Initial `--policy-pack-config`. */
    config?: PolicyPackConfig;
    /** Milliseconds to wait for the port; default 180 s (ts-node's type check is slow on 2 cores). */
    startTimeoutMs?: number;
}

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};

function levelToProto(l: EnforcementLevel): analyzerpb.EnforcementLevel {
    const e = Object.entries(LEVELS).find(([, v]) => v === l);
    if (!e) throw new Error(`enforcementLevel: '${String(l)}' is not one of advisory, mandatory, remediate, disabled`);
    return Number(e[0]) as analyzerpb.EnforcementLevel;
}

/** Struct of plain JSON (the engine skips absent values; JSON drops `undefined`). */
function struct(v: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(v)));
}

function unary<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}

/** The tiny engine the pack is told about: it only records log messages. */
function startEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
    const server = new grpc.Server();
    server.addService(EngineService, {
        log: (call: grpc.ServerUnaryCall<enginepb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
            logs.push(call.request.getMessage());
            cb(null, new Empty());
        },
    });
    return new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve({ server, address: `127.0.0.1:${port}` }))),
    );
}

/** Light JSON-schema check of one policy's properties, as the engine validates config before Configure. */
function schemaErrors(policy: string, schema: ConfigSchema, props: Record<string, unknown>): string[] {
    const errs: string[] = [];
    const typeOk = (t: unknown, v: unknown): boolean =>
        t === "array" ? Array.isArray(v)
            : t === "integer" ? Number.isInteger(v)
                : t === "number" ? typeof v === "number"
                    : t === "object" ? v !== null && typeof v === "object" && !Array.isArray(v)
                        : t === undefined || typeof v === t;
    const one = (where: string, s: Record<string, unknown>, v: unknown) => {
        if (!typeOk(s.type, v)) return errs.push(`${policy}: ${where}: expected ${String(s.type)}, given ${JSON.stringify(v)}`);
        if (Array.isArray(s.enum) && !s.enum.includes(v)) errs.push(`${policy}: ${where}: must be one of ${JSON.stringify(s.enum)}`);
        if (typeof s.pattern === "string" && typeof v === "string" && !new RegExp(s.pattern).test(v)) errs.push(`${policy}: ${where}: '${v}' does not match ${s.pattern}`);
        if (typeof s.minimum === "number" && typeof v === "number" && v < s.minimum) errs.push(`${policy}: ${where}: must be >= ${s.minimum}`);
        if (typeof s.maximum === "number" && typeof v === "number" && v > s.maximum) errs.push(`${policy}: ${where}: must be <= ${s.maximum}`);
        if (Array.isArray(v) && s.items && typeof s.items === "object") v.forEach((x, i) => one(`${where}[${i}]`, s.items as Record<string, unknown>, x));
        return 0;
    };
    for (const r of schema.required) if (!(r in props)) errs.push(`${policy}: ${r} is required`);
    for (const [k, v] of Object.entries(props)) if (schema.properties[k]) one(k, schema.properties[k], v);
    return errs;
}

export class PolicyPackProcess {
    /** Everything the pack wrote on stderr (and stdout after the port). */
    output = "";
    private info?: AnalyzerInfo;

    private constructor(
        /** Messages the pack logged to the engine. */
        readonly engineLogs: string[],
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        private readonly engine: grpc.Server,
        private readonly opts: Required<Pick<StartOptions, "project" | "stack">>,
    ) {}

    /** Starts the pack, reads its port, and runs the engine's opening calls (through Configure). */
    static async start(opts: StartOptions = {}): Promise<PolicyPackProcess> {
        const packDir = path.resolve(opts.packDir ?? path.join(__dirname, "..", "policypack"));
        const logs: string[] = [];
        const engine = await startEngine(logs);
        const env: NodeJS.ProcessEnv = { ...process.env };
        // A test runner's `--import tsx` in NODE_OPTIONS would transpile the pack twice under ts-node.
        if (env.NODE_OPTIONS?.includes("tsx")) delete env.NODE_OPTIONS;
        const project = opts.project ?? "parallelcluster-iam";
        const stack = opts.stack ?? "dev";
        const dryRun = String(opts.dryRun ?? true);
        Object.assign(env, {
            PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack, PULUMI_NODEJS_DRY_RUN: dryRun, PULUMI_PROJECT: project, PULUMI_STACK: stack, PULUMI_DRY_RUN: dryRun,
            ...(opts.organization ? { PULUMI_NODEJS_ORGANIZATION: opts.organization, PULUMI_ORGANIZATION: opts.organization } : {}),
        });
        const args = [require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] }), engine.address, "."];
        const child = spawn(process.execPath, args, { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
        // The pack's gRPC server outlives a parent that dies without close(); like the engine, own the child.
        const killChild = () => child.kill();
        process.once("exit", killChild);
        child.once("exit", () => process.removeListener("exit", killChild));
        let output = "";
        let onExit: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const fail = (why: string) => {
                clearTimeout(timer);
                child.kill();
                engine.server.forceShutdown();
                reject(new Error(`policy pack in ${packDir} did not start: ${why}\n${output}`));
            };
            const timer = setTimeout(() => fail("no port printed in time"), opts.startTimeoutMs ?? 180_000);
            child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
            child.stdout!.on("data", (d: Buffer) => {
                stdout += d.toString();
                const nl = stdout.indexOf("\n");
                if (nl < 0) return;
                const first = stdout.slice(0, nl).trim();
                if (!/^\d+$/.test(first)) return fail(`first line of stdout is not a port: '${first}'`);
                clearTimeout(timer);
                child.stdout!.removeAllListeners("data");
                resolve(Number(first));
            });
            onExit = (code, signal) => fail(`exited with ${code ?? signal}`);
            child.once("exit", onExit);
        });
        child.removeListener("exit", onExit);
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const pack = new PolicyPackProcess(logs, child, client, engine.server, { project, stack });
        pack.output = output;
        child.stderr!.removeAllListeners("data");
        for (const s of [child.stdout!, child.stderr!]) s.on("data", (d: Buffer) => (pack.output += d.toString()));
        try {
            await pack.handshake(packDir, engine.address, { stack, project, organization: opts.organization ?? "", dryRun: opts.dryRun ?? true });
            await pack.configure(opts.config ?? {});
        } catch (e) {
            await pack.close();
            throw e;
        }
        return pack;
    }

    private async handshake(dir: string, engineAddress: string, s: { stack: string; project: string; organization: string; dryRun: boolean }): Promise<void> {
        const hs = new analyzerpb.AnalyzerHandshakeRequest().setEngineAddress(engineAddress).setRootDirectory(dir).setProgramDirectory(dir);
        // @pulumi/policy 1.21 does not implement Handshake; the engine then falls back, as here.
        await unary(this.client.handshake.bind(this.client), hs).catch((e: grpc.ServiceError) => {
            if (e.code !== grpc.status.UNIMPLEMENTED) throw e;
        });
        const cs = new analyzerpb.AnalyzerStackConfigureRequest().setStack(s.stack).setProject(s.project).setOrganization(s.organization).setDryRun(s.dryRun);
        await unary(this.client.configureStack.bind(this.client), cs);
        await unary(this.client.getPluginInfo.bind(this.client), new Empty());
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const r = await unary<Empty, analyzerpb.AnalyzerInfo>(this.client.getAnalyzerInfo.bind(this.client), new Empty());
        const types = { [analyzerpb.PolicyType.POLICY_TYPE_RESOURCE]: "resource", [analyzerpb.PolicyType.POLICY_TYPE_STACK]: "stack" } as const;
        this.info = {
            name: r.getName(),
            version: r.getVersion(),
            description: r.getDescription(),
            supportsConfig: r.getSupportsconfig(),
            policies: r.getPoliciesList().map((p) => {
                const s = p.getConfigschema();
                return {
                    name: p.getName(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    policyType: (types as Record<number, "resource" | "stack">)[p.getPolicyType()] ?? "unknown",
                    configSchema: s ? { properties: (s.getProperties()?.toJavaScript() ?? {}) as ConfigSchema["properties"], required: s.getRequiredList() } : undefined,
                };
            }),
        };
        return this.info;
    }

    /**
     * Reconciles `config` like the engine (`ReconcilePolicyPackConfig`: every policy gets its default
     * level and schema defaults, then "all", then the given values), validates it against the schemas
     * (throwing as the engine refuses to start), sends Configure, and returns what was sent.
     */
    async configure(config: PolicyPackConfig): Promise<Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>> {
        const info = this.info ?? (await this.getAnalyzerInfo());
        const result: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> = {};
        for (const p of info.policies) {
            const props: Record<string, unknown> = {};
            for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) if ("default" in s) props[k] = s.default;
            result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
        }
        const norm = (v: PolicyPackConfig[string]) => (typeof v === "string" ? { enforcementLevel: v } : v);
        const all = config.all !== undefined ? norm(config.all).enforcementLevel : undefined;
        if (all) for (const r of Object.values(result)) r.enforcementLevel = all;
        const errors: string[] = [];
        for (const [name, given] of Object.entries(config)) {
            if (name === "all") continue;
            if (!result[name]) {
                errors.push(`${name}: no such policy in pack '${info.name}'`);
                continue;
            }
            const { enforcementLevel, ...props } = norm(given);
            if (enforcementLevel) result[name].enforcementLevel = enforcementLevel;
            Object.assign(result[name].properties, props);
        }
        for (const p of info.policies) if (p.configSchema) errors.push(...schemaErrors(p.name, p.configSchema, result[p.name].properties));
        if (errors.length > 0) throw new Error(`policy pack configuration is invalid: ${errors.join("; ")}`);
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(result)) {
            req.getPolicyconfigMap().set(name, new analyzerpb.PolicyConfig().setEnforcementlevel(levelToProto(c.enforcementLevel)).setProperties(struct(c.properties)));
        }
        await unary(this.client.configure.bind(this.client), req);
        return result;
    }

    private urnOf(r: { type: string; name: string; urn?: string }): string {
        return r.urn ?? `urn:pulumi:${this.opts.stack}::${this.opts.project}::${r.type}::${r.name}`;
    }

    private options(r: ResourceInput): analyzerpb.AnalyzerResourceOptions {
        const o = new analyzerpb.AnalyzerResourceOptions()
            .setProtect(r.protect ?? false)
            .setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
        if (r.parent) o.setParent(r.parent);
        return o;
    }

    private provider(p: ProviderInput | undefined): analyzerpb.AnalyzerProviderResource | undefined {
        if (!p) return undefined;
        return new analyzerpb.AnalyzerProviderResource().setType(p.type).setName(p.name).setUrn(this.urnOf(p)).setProperties(struct(p.properties));
    }

    private static diagnostics(r: analyzerpb.AnalyzeResponse): Diagnostic[] {
        return r.getDiagnosticsList().map((d) => ({
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            policyPackVersion: d.getPolicypackversion(),
            description: d.getDescription(),
            message: d.getMessage(),
            enforcementLevel: LEVELS[d.getEnforcementlevel()],
            ...(d.getUrn() ? { urn: d.getUrn() } : {}),
        }));
    }

    /** Analyze: one resource's inputs, as before its step runs. */
    async analyze(r: ResourceInput): Promise<Diagnostic[]> {
        const req = new analyzerpb.AnalyzeRequest()
            .setType(r.type)
            .setName(r.name)
            .setUrn(this.urnOf(r))
            .setProperties(struct(r.properties))
            .setOptions(this.options(r));
        const prov = this.provider(r.provider);
        if (prov) req.setProvider(prov);
        return PolicyPackProcess.diagnostics(await unary(this.client.analyze.bind(this.client), req));
    }

    /** AnalyzeStack: every resource's outputs, at the end of the preview or update. */
    async analyzeStack(resources: ResourceInput[]): Promise<Diagnostic[]> {
        const req = new analyzerpb.AnalyzeStackRequest().setResourcesList(resources.map((r) => {
            const a = new analyzerpb.AnalyzerResource()
                .setType(r.type)
                .setName(r.name)
                .setUrn(this.urnOf(r))
                .setProperties(struct(r.properties))
                .setOptions(this.options(r))
                .setDependenciesList(r.dependencies ?? []);
            if (r.parent) a.setParent(r.parent);
            const prov = this.provider(r.provider);
            if (prov) a.setProvider(prov);
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                a.getPropertydependenciesMap().set(k, new analyzerpb.AnalyzerPropertyDependencies().setUrnsList(urns));
            }
            return a;
        }));
        return PolicyPackProcess.diagnostics(await unary(this.client.analyzeStack.bind(this.client), req));
    }

    /** Closes the connection, stops the pack process and the fake engine. */
    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null && this.child.signalCode === null) {
            const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
            this.child.kill("SIGTERM");
            await exited;
        }
        this.engine.forceShutdown();
    }
}

/** Starts a pack (see `PolicyPackProcess.start`). */
export function startPolicyPack(opts: StartOptions = {}): Promise<PolicyPackProcess> {
    return PolicyPackProcess.start(opts);
}

export interface PackViolation {
    policyName: string;
    enforcementLevel: string;
    message: string;
    urn?: string;
}

/**
 * Runs the pack once over a whole stack, as `pulumi preview --policy-pack` would: Analyze for each
 * resource (diagnostics carry that resource's URN), then AnalyzeStack over all; closes the pack.
 */
export async function runPackOverResources(
    resources: Array<{ type: string; name: string; urn: string; properties: Record<string, unknown>; parent?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]>; provider?: ProviderInput }>,
    config?: PolicyPackConfig,
    opts: Omit<StartOptions, "config"> = {},
): Promise<PackViolation[]> {
    const pack = await PolicyPackProcess.start({ ...opts, config });
    try {
        const out: PackViolation[] = [];
        const strip = (d: Diagnostic, urn?: string): PackViolation => ({ policyName: d.policyName, enforcementLevel: d.enforcementLevel, message: d.message, ...(d.urn ?? urn ? { urn: d.urn ?? urn } : {}) });
        for (const r of resources) for (const d of await pack.analyze(r)) out.push(strip(d, r.urn));
        for (const d of await pack.analyzeStack(resources)) out.push(strip(d));
        return out;
    } finally {
        await pack.close();
    }
}
