/**
 * Hook to the CrossGuard policy pack. The pack's driver (test/support/analyzer.ts, which starts the pack and
 * talks the analyzer gRPC protocol to it) exports `runPackOverResources(resources, config?)`; it is loaded
 * only if present, so the engine works before and without it.
 *
 * ENGINE_POLICY_PACK_DRIVER may name another module with the same export (the engine's tests use a stub), or
 * be `none` to skip the pack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "./config";
import type { RecordedResource } from "./mocks";
import type { Violation } from "./manifest";

export const DEFAULT_DRIVER = path.resolve(__dirname, "..", "test", "support", "analyzer.ts");

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

/** Runs the policy pack over the recorded resources, if a driver is available. */
export async function runPolicyPack(resources: readonly RecordedResource[], config?: unknown): Promise<PackOutcome> {
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
        | ((r: readonly RecordedResource[], c?: unknown) => unknown)
        | undefined;
    if (typeof run !== "function") throw new Error(`${driver} does not export runPackOverResources(resources, config?)`);
    const result = await run(resources, config);
    return { available: true, driver, violations: findingsOf(result).map(normalize) };
}
