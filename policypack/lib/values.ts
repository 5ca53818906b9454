/**
 * Plain values out of @pulumi/policy's unknown-checking proxies, so a policy can judge what is known
 * and say precisely what is not, instead of losing the whole check to the first unknown it touches.
 */
import * as policy from "@pulumi/policy";

// Exported by @pulumi/policy's index.js, but its declaration is stripped from the .d.ts; type it here.
const UnknownValueError = (policy as unknown as { UnknownValueError: new (sentinel: string, path: string[]) => Error }).UnknownValueError;

/** Stands for a value the engine sent as unknown (computed during preview). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

// The engine marshals every unknown as this string; @pulumi/policy knows a few more typed variants.
const SENTINELS = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

// The proxy traps only `get`: reading the own-property descriptor yields the raw value (sentinels
// included) without throwing, and nested values come back unproxied.
function read(obj: object, key: string | number): unknown {
    const v = Object.getOwnPropertyDescriptor(obj, key)?.value;
    return typeof v === "string" && SENTINELS.has(v) ? UNKNOWN : v;
}

/** Deep copy of resource properties with every unknown replaced by `UNKNOWN`. */
export function plain(v: unknown): unknown {
    if (typeof v === "string" && SENTINELS.has(v)) return UNKNOWN;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) out.push(plain(read(v, i)));
        return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = plain(read(v, k));
    return out;
}

/** Plain properties of a resource as a record. */
export function plainProps(props: unknown): Record<string, unknown> {
    const p = plain(props);
    return p !== null && typeof p === "object" && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** A string, `UNKNOWN`, or undefined when absent or not a string. */
export function str(v: unknown): string | Unknown | undefined {
    if (isUnknown(v)) return UNKNOWN;
    return typeof v === "string" ? v : undefined;
}

/** A list (a lone value becomes a one-element list), `UNKNOWN` when the whole list is unknown, [] when absent. */
export function list(v: unknown): unknown[] | Unknown {
    if (isUnknown(v)) return UNKNOWN;
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : [v];
}

/**
 * Keys of the `tags` the program set; unknown maps count as absent. `tagsAll` (outputs only) is left
 * out so a resource is classified alike from its inputs (Analyze) and its outputs (AnalyzeStack).
 */
export function tagKeys(props: Record<string, unknown>): string[] {
    const t = props.tags;
    return t && typeof t === "object" && !isUnknown(t) ? Object.keys(t) : [];
}

/**
 * An error signalling that something cannot be judged until the update, through @pulumi/policy's own mechanism:
 * the server turns an `UnknownValueError` into an advisory "can't run policy ... during preview"
 * diagnostic and keeps the violations already reported. Throw it last, after reporting what is known.
 */
export function cannotJudgeDuringPreview(what: string[]): Error {
    const e = new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", []);
    e.message = `${what.join("; ")} (checked again when the values are known, at update time)`;
    return e;
}

/** Collects what could not be judged and throws `cannotJudgeDuringPreview(...)` at the end when anything was. */
export class PreviewGaps {
    private readonly items: string[] = [];
    add(what: string): void {
        if (!this.items.includes(what)) this.items.push(what);
    }
    throwIfAny(): void {
        if (this.items.length > 0) throw cannotJudgeDuringPreview(this.items);
    }
}
