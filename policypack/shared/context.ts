/**
 * The context every policy builder takes, and the validators shared by builders and components.
 * Every validator throws an Error naming the field, the value and what is allowed.
 */
import { Partition, arnPrefix, assertPartition, isRegion, partitionOfRegion } from "./partition";

export interface PolicyContext {
    /** AWS partition. Must match the region's partition when the region is concrete. */
    readonly partition: Partition;
    /** 12-digit AWS account ID. */
    readonly accountId: string;
    /** A concrete region, or "*" for any region (ARNs then carry `*` in their region field). */
    readonly region: string;
}

const ACCOUNT_RE = /^\d{12}$/;

/** Validates and returns a context; throws on a malformed account, unknown partition or region, or a mismatch. */
export function makeContext(input: { partition?: string; accountId: string; region: string }): PolicyContext {
    if (typeof input.accountId !== "string" || !ACCOUNT_RE.test(input.accountId)) {
        throw new Error(`accountId: '${String(input.accountId)}' is not an AWS account ID; expected exactly 12 digits`);
    }
    let partition: Partition;
    if (input.region === "*") {
        if (input.partition === undefined) {
            throw new Error(`partition: required when region is '*'; allowed: aws, aws-cn, aws-us-gov`);
        }
        assertPartition(input.partition);
        partition = input.partition;
    } else {
        const fromRegion = partitionOfRegion(input.region);
        if (input.partition !== undefined) {
            assertPartition(input.partition);
            if (input.partition !== fromRegion) {
                throw new Error(
                    `partition: '${input.partition}' does not match region '${input.region}', which is in partition '${fromRegion}'`,
                );
            }
        }
        partition = fromRegion;
    }
    return Object.freeze({ partition, accountId: input.accountId, region: input.region });
}

/** Checks an existing context object (builders call this so a hand-made context is held to the same rules). */
export function checkContext(ctx: PolicyContext): PolicyContext {
    return makeContext(ctx);
}

/** `arn:${partition}` for the context. */
export function arn(ctx: PolicyContext): string {
    return arnPrefix(ctx.partition);
}

/** `arn:P:iam::ACCOUNT:` */
export function iamArn(ctx: PolicyContext, resource: string): string {
    return `${arn(ctx)}:iam::${ctx.accountId}:${resource}`;
}

/** A regional ARN in this account; `region` defaults to the context's region ("*" when unscoped). */
export function regionalArn(ctx: PolicyContext, service: string, resource: string, region: string = ctx.region): string {
    return `${arn(ctx)}:${service}:${region}:${ctx.accountId}:${resource}`;
}

/** S3 ARNs have empty region and account fields. */
export function s3Arn(ctx: PolicyContext, resource: string): string {
    return `${arn(ctx)}:s3:::${resource}`;
}

// ---- validators ----

export interface ParsedArn {
    partition: string;
    service: string;
    region: string;
    account: string;
    resource: string;
}

const ARN_RE = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|\*|):(.+)$/;

/** Splits an ARN into its fields, or returns undefined when it is not an ARN. */
export function parseArn(value: string): ParsedArn | undefined {
    const m = typeof value === "string" ? ARN_RE.exec(value) : null;
    if (!m) return undefined;
    return { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] };
}

// Regional ARN kinds: the service and the resource they name.
const REGIONAL_KINDS = {
    secret: { service: "secretsmanager", resource: /^secret:./s, what: "a Secrets Manager secret ARN" },
    parameter: { service: "ssm", resource: /^parameter\/\S+$/, what: "an SSM parameter ARN" },
    key: { service: "kms", resource: /^key\/[0-9a-f-]{36}$/, what: "a KMS key ARN" },
} as const;

/**
 * Validates an ARN of a given IAM type in the context's partition.
 * `kind`: "role" | "policy" | "instance-profile" | "user" | "principal" (role, user or account root) | "secret" |
 * "parameter" (SSM) | "key" (KMS).
 */
export function validateArn(
    ctx: PolicyContext,
    field: string,
    value: string,
    kind: "role" | "policy" | "instance-profile" | "user" | "principal" | "secret" | "parameter" | "key",
): string {
    const p = parseArn(value);
    const expected: Record<typeof kind, string> = {
        role: `arn:${ctx.partition}:iam::<account>:role/[<path>/]<name>`,
        policy: `arn:${ctx.partition}:iam::<account|aws>:policy/[<path>/]<name>`,
        "instance-profile": `arn:${ctx.partition}:iam::<account>:instance-profile/[<path>/]<name>`,
        user: `arn:${ctx.partition}:iam::<account>:user/[<path>/]<name>`,
        principal: `an IAM role, user or account-root ARN in partition ${ctx.partition} (arn:${ctx.partition}:iam::<account>:role/..., :user/... or :root)`,
        secret: `arn:${ctx.partition}:secretsmanager:<region>:<account>:secret:<name>`,
        parameter: `arn:${ctx.partition}:ssm:<region>:<account>:parameter/<name>`,
        key: `arn:${ctx.partition}:kms:<region>:<account>:key/<key id> (no aliases, no wildcards)`,
    };
    const fail = (why: string): never => {
        throw new Error(`${field}: '${value}' ${why}; expected ${expected[kind]}`);
    };
    if (!p) return fail("is not an ARN");
    if (p.partition !== ctx.partition) fail(`is in partition '${p.partition}', not '${ctx.partition}'`);
    const regional = REGIONAL_KINDS[kind as keyof typeof REGIONAL_KINDS];
    if (regional) {
        if (p.service !== regional.service || !regional.resource.test(p.resource)) fail(`is not ${regional.what}`);
        if (!isRegion(p.region)) fail("has no valid region");
        if (partitionOfRegion(p.region) !== ctx.partition) fail(`names region '${p.region}' outside partition '${ctx.partition}'`);
        if (!ACCOUNT_RE.test(p.account)) fail("has no 12-digit account");
        return value;
    }
    if (p.service !== "iam" || p.region !== "") fail("is not an IAM ARN");
    const type = p.resource.split("/")[0];
    if (kind === "principal") {
        const ok = (type === "role" || type === "user") ? ACCOUNT_RE.test(p.account) && p.resource.length > type.length + 1
            : p.resource === "root" && ACCOUNT_RE.test(p.account);
        if (!ok) fail("is not a role, user or account-root ARN");
        return value;
    }
    if (type !== kind || p.resource.length <= kind.length + 1 || p.resource.endsWith("/")) fail(`is not an IAM ${kind} ARN`);
    if (kind === "policy" ? !(p.account === "aws" || ACCOUNT_RE.test(p.account)) : !ACCOUNT_RE.test(p.account)) {
        fail("has no valid account");
    }
    return value;
}

// ParallelCluster's S3 bucket rule (also S3's): 3-63 chars, lowercase letters, digits, dots and hyphens,
// starting and ending with a letter or digit, no "..", not an IP address, no reserved prefixes/suffixes.
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Validates an S3 bucket name; `*` wildcards are allowed only when `allowWildcard`. */
export function validateBucketName(field: string, value: string, allowWildcard = false): string {
    const allowed = "3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, not an IP address" +
        (allowWildcard ? " ('*' allowed as a wildcard)" : "");
    const probe = allowWildcard ? String(value).replace(/\*/g, "a") : value;
    if (typeof value !== "string" || value.length === 0) throw new Error(`${field}: '${String(value)}' is empty; expected ${allowed}`);
    if (!BUCKET_RE.test(probe) || probe.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(probe) ||
        probe.startsWith("xn--") || probe.endsWith("-s3alias") || probe.endsWith("--ol-s3")) {
        throw new Error(`${field}: '${value}' is not a valid S3 bucket name; expected ${allowed}`);
    }
    return value;
}

/** Validates a non-empty list without duplicates. */
export function validateNonEmptyList<T>(field: string, value: readonly T[] | undefined, what: string): readonly T[] {
    if (!Array.isArray(value) || value.length === 0) {
        throw new Error(`${field}: '${JSON.stringify(value)}' is empty; expected at least one ${what}`);
    }
    return value;
}

/** Throws on duplicates in a list. */
export function validateUnique(field: string, values: readonly string[]): void {
    const seen = new Set<string>();
    for (const v of values) {
        if (seen.has(v)) throw new Error(`${field}: '${v}' appears more than once; each entry must be unique`);
        seen.add(v);
    }
}
