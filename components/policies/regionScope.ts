/**
 * Region scoping for the user policies, as the official ParallelCluster policies template does it
 * (`Region` parameter): regional ARNs carry the region, and statements on regional services whose
 * resources cannot carry a region (`*`, S3 ARNs) get an `aws:RequestedRegion` condition.
 */
import { PolicyContext, regionalArn } from "./context";
import { isRegion, partitionOfRegion } from "./partition";
import { PolicyStatement, asList } from "./types";

/** "All regions": the guide's form, and the default of every user policy builder. */
export const ALL_REGIONS = "*";

/**
 * Services whose requests are served from one fixed region (IAM and Route 53 report us-east-1 or the
 * partition's home region as `aws:RequestedRegion`), so a region condition would break them. The
 * official template never conditions their statements.
 */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set([
    "iam", "route53", "route53domains", "cloudfront", "organizations", "sts", "support", "waf", "shield", "globalaccelerator",
]);

/** Validates a `regionScope` option: "*" or a region of the context's partition. Returns the scope. */
export function resolveRegionScope(ctx: PolicyContext, value: string | undefined, field = "regionScope"): string {
    if (value === undefined || value === ALL_REGIONS) return ALL_REGIONS;
    const expected = `expected '*' (all regions) or a region of partition '${ctx.partition}'`;
    if (typeof value !== "string" || !isRegion(value)) {
        throw new Error(`${field}: '${String(value)}' is not a region; ${expected}`);
    }
    const p = partitionOfRegion(value, field);
    if (p !== ctx.partition) {
        throw new Error(`${field}: '${value}' is in partition '${p}', not '${ctx.partition}'; ${expected}`);
    }
    return value;
}

/** A regional ARN in the context's account whose region field is the scope (`*` when unscoped). */
export function scopedArn(ctx: PolicyContext, scope: string, service: string, resource: string): string {
    return regionalArn(ctx, service, resource, scope);
}

/** The service prefixes of a statement's actions, lowercased. */
export function servicesOf(s: PolicyStatement): string[] {
    return [...new Set([...asList(s.Action), ...asList(s.NotAction)].map((a) => a.split(":")[0].toLowerCase()))];
}

/**
 * Adds `StringEquals aws:RequestedRegion [scope]` to a statement when the scope is a concrete region
 * (merged into an existing StringEquals block, so every key must hold). Throws for statements on
 * global services: that is a builder bug, never a user error.
 */
export function limitToRegion(s: PolicyStatement, scope: string): PolicyStatement {
    if (scope === ALL_REGIONS) return s;
    const global = servicesOf(s).filter((svc) => GLOBAL_SERVICES.has(svc));
    if (global.length > 0) {
        throw new Error(`statement '${s.Sid ?? "?"}': services ${global.join(", ")} are global; aws:RequestedRegion would deny them`);
    }
    const cond = { ...(s.Condition ?? {}) };
    cond.StringEquals = { ...(cond.StringEquals ?? {}), "aws:RequestedRegion": [scope] };
    return { ...s, Condition: cond };
}

/** An Allow statement in the key order the builders use (Sid, Effect, Action, Resource, Condition). */
export function allow(sid: string, actions: string[], resources: string | string[], condition?: PolicyStatement["Condition"]): PolicyStatement {
    const s: PolicyStatement = { Sid: sid, Effect: "Allow", Action: actions, Resource: resources };
    if (condition) s.Condition = condition;
    return s;
}
