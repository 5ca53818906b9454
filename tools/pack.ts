/**
 * Hook to the CrossGuard policy pack. The pack's driver (tools/analyzer.ts, which starts the pack and
 * talks the analyzer gRPC protocol to it) exports `runPackOverResources(resources, config?, opts?)` taking
 * analyzer-shaped resources ({ type, name, urn, properties, parent, provider }); it is loaded only if present,
 * so the engine works before and without it.
 *
 * ENGINE_POLICY_PACK_DRIVER may name another module with the same export (the engine's tests use a stub), or
 * be `none` to skip the pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PolicyPackProcess } from "./analyzer";
import { UsageError } from "./config";
import { INSTANCE_PROFILE, POLICY, RecordedResource, ROLE } from "../components/testing/mocks";
import type { Violation } from "./manifest";

export const DEFAULT_DRIVER = path.resolve(__dirname, "analyzer.ts");

export interface PackOutcome {
    /** False when no driver module exists: nothing was checked. */
    readonly available: boolean;
    readonly driver?: string;
    readonly violations: Violation[];
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

/** Accepts the shapes a driver may reasonably return (SDK-style or analyzer-proto-style findings). */
function normalize(finding: unknown): Violation {
    const f = (finding ?? {}) as Record<string, unknown>;
    const rawLevel = f.level ?? f.enforcementLevel;
    const level = typeof rawLevel === "number" ? (LEVELS[rawLevel] ?? String(rawLevel)) : String(rawLevel ?? "advisory").toLowerCase();
    return {
        policy: String(f.policy ?? f.policyName ?? f.name ?? "unknown"),
        level,
        message: String(f.message ?? f.description ?? ""),
        urn: String(f.urn ?? ""),
    };
}

function findingsOf(result: unknown): unknown[] {
    if (Array.isArray(result)) return result;
    const r = (result ?? {}) as Record<string, unknown>;
    for (const key of ["violations", "diagnostics", "findings"]) if (Array.isArray(r[key])) return r[key] as unknown[];
    return [];
}

/** Where the run happened; passed to the driver so the pack sees the same project, stack and provider. */
export interface PackContext {
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    readonly preview: boolean;
}

/** A resource as the engine hands it to an analyzer (the driver's ResourceInput). */
export interface AnalyzerResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: Record<string, unknown>;
    readonly parent?: string;
    readonly provider?: { type: string; name: string; urn: string; properties: Record<string, unknown> };
}

const IAM_WITH_PATH = new Set([ROLE, POLICY, INSTANCE_PROFILE]);

/**
 * Analyzers see a resource's inputs after the provider's Check, which fills in the autoname and schema
 * defaults (IAM paths default to "/"); computed outputs such as ARNs are not known yet in a preview.
 */
export function toAnalyzerResource(r: RecordedResource, ctx?: PackContext): AnalyzerResource {
    const properties: Record<string, unknown> = { ...r.inputs };
    if (r.custom && properties.name === undefined && typeof r.state.name === "string") properties.name = r.state.name;
    if (IAM_WITH_PATH.has(r.type) && properties.path === undefined) properties.path = "/";
    const provider = ctx && r.custom && r.type.startsWith("aws:")
        ? { type: "pulumi:providers:aws", name: "default", urn: `urn:pulumi:${ctx.stack}::${ctx.project}::pulumi:providers:aws::default`, properties: { region: ctx.region } }
        : undefined;
    return { type: r.type, name: r.name, urn: r.urn, properties, ...(r.parentUrn ? { parent: r.parentUrn } : {}), ...(provider ? { provider } : {}) };
}

/**
 * A pack attached to a deployment, as the engine drives it: `analyze` each resource as it is registered,
 * `analyzeStack` once at the end, then `close`.
 */
export interface PackSession {
    analyze(r: RecordedResource): Promise<void>;
    /** Every finding, the per-resource ones first. */
    finish(resources: readonly RecordedResource[]): Promise<PackOutcome>;
    close(): Promise<void>;
}

/**
 * Starts the pack for a deployment. The project's pack is started as `pulumi-analyzer-policy` starts it
 * (`@pulumi/pulumi/cmd/run-policy-pack` resolved from the pack's folder, run with node); a driver named by
 * ENGINE_POLICY_PACK_DRIVER is called once over all resources at the end instead.
 */
export async function openPolicyPack(config: unknown, ctx: PackContext, packDir?: string): Promise<PackSession> {
    const named = process.env.ENGINE_POLICY_PACK_DRIVER;
    if (named !== undefined) {
        return {
            analyze: async () => undefined,
            finish: (resources) => runPolicyPack(resources, config, ctx),
            close: async () => undefined,
        };
    }
    const pack = await PolicyPackProcess.start({ packDir, project: ctx.project, stack: ctx.stack, dryRun: ctx.preview, config: config as never });
    const violations: Violation[] = [];
    const add = (ds: ReadonlyArray<{ policyName: string; enforcementLevel: string; message: string; urn?: string }>, urn?: string): void => {
        for (const d of ds) violations.push(normalize({ policy: d.policyName, level: d.enforcementLevel, message: d.message, urn: d.urn ?? urn }));
    };
    return {
        analyze: async (r) => add(await pack.analyze(toAnalyzerResource(r, ctx)), r.urn),
        finish: async (resources) => {
            add(await pack.analyzeStack(resources.map((r) => toAnalyzerResource(r, ctx))));
            return { available: true, driver: DEFAULT_DRIVER, violations };
        },
        close: () => pack.close(),
    };
}

/** Runs the policy pack over the recorded resources, if a driver is available. */
export async function runPolicyPack(resources: readonly RecordedResource[], config?: unknown, ctx?: PackContext): Promise<PackOutcome> {
    const named = process.env.ENGINE_POLICY_PACK_DRIVER;
    if (named === "none") return { available: false, violations: [] };
    const driver = named ? path.resolve(named) : DEFAULT_DRIVER;
    if (!fs.existsSync(driver)) {
        if (named) throw new UsageError(`ENGINE_POLICY_PACK_DRIVER: '${named}' does not exist; name a module exporting runPackOverResources, or 'none'`);
        return { available: false, violations: [] };
    }
    const mod = (await import(pathToFileURL(driver).href)) as Record<string, unknown>;
    // A CommonJS module imported from ESM may sit under `default`.
    const run = (mod.runPackOverResources ?? (mod.default as Record<string, unknown> | undefined)?.runPackOverResources) as
        | ((r: readonly AnalyzerResource[], c?: unknown, o?: Record<string, unknown>) => unknown)
        | undefined;
    if (typeof run !== "function") throw new Error(`${driver} does not export runPackOverResources(resources, config?)`);
    const opts = ctx ? { project: ctx.project, stack: ctx.stack, dryRun: ctx.preview } : undefined;
    const result = await run(resources.map((r) => toAnalyzerResource(r, ctx)), config, opts);
    return { available: true, driver, violations: findingsOf(result).map(normalize) };
}
