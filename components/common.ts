/** Internal helpers shared by the components: context resolution, child naming, tags, attachments. Not exported from the package. */
import * as crypto from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyContext, makeContext, validateArn } from "./policies/context";
import { Partition, assertPartition, isRegion, partitionOfRegion } from "./policies/partition";
import { ComponentName, Purpose, TAG_KEYS, TAG_PREFIX } from "./vocabulary";
import { ROLE_NAME_MAX, validateIamName } from "./policies/limits";

/** Where the account, partition and region come from. */
export interface ContextArgs {
    /** AWS account ID (12 digits). Default: the provider's caller identity. */
    readonly accountId?: string;
    /** AWS partition. Default: the partition of `region`. */
    readonly partition?: string;
    /** AWS region. Default: the region of the component's AWS provider (`opts.provider`, or the parent's), else `aws:region`. */
    readonly region?: string;
}

/**
 * Context fields known before any resource is registered. `partitionKnown` is false when only an explicit
 * provider (whose region is an Output) can tell: the partition is then a guess for sizing, and validation that
 * depends on it runs again with the real context inside `apply`, before any child is registered.
 */
export interface SyncContext {
    partition: Partition;
    partitionKnown: boolean;
    accountId?: string;
    region?: string;
    /** Region, partition and account were all given: no invokes at all. */
    allExplicit: boolean;
}

/** Whether an explicit AWS provider applies to a component created with `opts` (its own, or its parent's). */
export function hasExplicitProvider(opts: pulumi.ComponentResourceOptions | undefined): boolean {
    if (!opts) return false;
    if (opts.provider !== undefined) return true;
    const ps = opts.providers as unknown;
    if (Array.isArray(ps)) {
        if (ps.some((p) => providerPackage(p) === "aws")) return true;
    } else if (ps && typeof ps === "object" && "aws" in (ps as object)) return true;
    return opts.parent?.getProvider("aws::") !== undefined;
}

function providerPackage(p: unknown): string | undefined {
    const r = p as { getPackage?: () => string; pkg?: string } | undefined;
    return typeof r?.getPackage === "function" ? r.getPackage() : r?.pkg;
}

/** One problem with an argument: its property path and what is wrong. */
export type Problem = pulumi.InputPropertyErrorDetails;

/** Collects every validation problem of a component's args, so that all are reported at once. */
export class Problems {
    readonly list: Problem[] = [];

    add(propertyPath: string, reason: string): void {
        if (!this.list.some((p) => p.propertyPath === propertyPath && p.reason === reason)) this.list.push({ propertyPath, reason });
    }

    /** Runs a validator that throws `<field>: <detail>`; records the detail under `<prefix><field>`. */
    check<T>(fn: () => T, prefix = ""): T | undefined {
        try {
            return fn();
        } catch (e) {
            if (pulumi.InputPropertiesError.isInstance(e)) {
                for (const d of e.errors) this.add(prefix + d.propertyPath, d.reason);
                return undefined;
            }
            const message = e instanceof Error ? e.message : String(e);
            const m = /^([\w.[\]-]+): ([\s\S]*)$/.exec(message);
            this.add(prefix + (m ? m[1] : ""), m ? m[2] : message);
            return undefined;
        }
    }

    get empty(): boolean {
        return this.list.length === 0;
    }

    /** Throws every problem as one `pulumi.InputPropertiesError`. */
    throwIfAny(component: ComponentName, name: string): void {
        if (this.list.length > 0) throw inputPropertiesError(component, name, this.list);
    }
}

/**
 * `pulumi.InputPropertiesError` naming the component; the message lists every `<path>: <reason>`. Its `stack`
 * is the message itself: the SDK inspects a thrown error, and formatting a stack trace through ts-node's source
 * maps can stall on Node 20 (see stacks/config.ts ConfigError).
 */
export function inputPropertiesError(component: ComponentName, name: string, errors: Problem[]): pulumi.InputPropertiesError {
    const lines = errors.map((d) => (d.propertyPath ? `${d.propertyPath}: ${d.reason}` : d.reason));
    const message = `${component} '${name}': ${lines.join("; ")}`;
    const e = new pulumi.InputPropertiesError({ message, errors });
    Object.defineProperty(e, "stack", { value: message, configurable: true, writable: true });
    return e;
}

/**
 * Resolves what can be known synchronously: explicit args first, then (without an explicit provider) the
 * `aws:region` config. Cross-checks the explicit values against the default provider's region.
 */
export function syncContext(args: ContextArgs, problems: Problems, explicitProvider: boolean): SyncContext {
    const configRegion = new pulumi.Config("aws").get("region");
    const before = problems.list.length;
    if (args.accountId !== undefined) problems.check(() => makeContext({ accountId: args.accountId!, region: "*", partition: "aws" }));
    if (args.partition !== undefined) problems.check(() => assertPartition(args.partition!));
    if (args.region !== undefined) {
        problems.check(() => makeContext({ accountId: UNKNOWN_ACCOUNT, region: args.region!, partition: args.partition }));
    }
    const fallback: Partition = configRegion !== undefined && isRegion(configRegion) ? partitionOfRegion(configRegion) : "aws";
    if (problems.list.length > before) return { partition: fallback, partitionKnown: false, accountId: undefined, region: undefined, allExplicit: false };
    let partition = (args.partition as Partition | undefined) ?? (args.region !== undefined ? partitionOfRegion(args.region) : undefined);
    const region = args.region ?? (explicitProvider ? undefined : configRegion);
    if (!explicitProvider && configRegion !== undefined && isRegion(configRegion) && partition !== undefined && partitionOfRegion(configRegion) !== partition) {
        const field = args.region !== undefined ? "region" : "partition";
        problems.add(field, `'${args.region ?? args.partition}' is in partition '${partition}', but the default AWS provider (aws:region '${configRegion}') is in '${partitionOfRegion(configRegion)}'; ` +
            `pass an AWS provider for that partition in opts.provider, or drop '${field}'`);
    }
    if (partition === undefined && !explicitProvider) {
        if (region === undefined) {
            problems.add("region", "not set; set the 'aws:region' config, pass an AWS provider in opts.provider, or pass 'region' or 'partition' to the component");
        } else {
            problems.check(() => (partition = partitionOfRegion(region)));
        }
    }
    return {
        partition: partition ?? partitionOfArns(args) ?? fallback,
        partitionKnown: partition !== undefined,
        accountId: args.accountId,
        region,
        allExplicit: args.accountId !== undefined && args.partition !== undefined && args.region !== undefined,
    };
}

/** Stand-in account while the real one is unknown: account IDs always have 12 digits, so sizes match. */
export const UNKNOWN_ACCOUNT = "000000000000";

/**
 * A context for validating and sizing documents before deployment: the given account (or the stand-in),
 * the given region (or "*").
 */
export function templateContext(sync: SyncContext): PolicyContext {
    return makeContext({ partition: sync.partition, accountId: sync.accountId ?? UNKNOWN_ACCOUNT, region: sync.region ?? "*" });
}

/**
 * The full context as an Output. Region: the explicit arg, else the AWS provider's (the component's own or its
 * parent's, read from the provider as pulumi-awsx does), else `aws:region`, else the provider's getRegion.
 * Account: the explicit arg, else getCallerIdentity through that provider. The partition is checked against the
 * provider's: from its region when known, else getPartition. With accountId, partition and region all given and
 * no explicit provider, nothing is invoked.
 */
export function contextOutput(component: ComponentName, name: string, sync: SyncContext, parent: pulumi.Resource): pulumi.Output<PolicyContext> {
    const provider = parent.getProvider("aws::") as aws.Provider | undefined;
    const invokeOpts: pulumi.InvokeOutputOptions = { parent, provider };
    const providerRegion: pulumi.Output<string | undefined> = provider
        ? pulumi.output((provider as unknown as { region?: pulumi.Input<string | undefined> }).region)
        : pulumi.output(undefined);
    return providerRegion.apply((pr) => {
        const region = sync.region ?? pr ?? aws.getRegionOutput({}, invokeOpts).region;
        const account = sync.accountId ?? aws.getCallerIdentityOutput({}, invokeOpts).accountId;
        let providerPartition: pulumi.Input<string>;
        if (pr !== undefined && isRegion(pr)) providerPartition = partitionOfRegion(pr);
        else if (sync.allExplicit && !provider) providerPartition = sync.partition;
        else providerPartition = aws.getPartitionOutput({}, invokeOpts).partition;
        return pulumi.all([account, region, providerPartition]).apply(([accountId, r, pp]) => {
            const where = pr !== undefined ? `the AWS provider (region '${pr}')` : "the AWS provider";
            if (sync.partitionKnown && pp !== sync.partition) {
                const field = sync.region !== undefined ? "region" : "partition";
                throw inputPropertiesError(component, name, [{
                    propertyPath: field,
                    reason: `the component was configured for partition '${sync.partition}'${sync.region ? ` (region '${sync.region}')` : ""}, but ${where} is in '${pp}'; ` +
                        `pass a provider of that partition in opts.provider, or drop '${field}'`,
                }]);
            }
            try {
                return makeContext({ accountId, region: r, partition: sync.partitionKnown ? sync.partition : pp });
            } catch (e) {
                const p = new Problems();
                p.check(() => { throw e; });
                throw inputPropertiesError(component, name, p.list);
            }
        });
    });
}

/** An input that resolves only once `gate` has (so a child whose inputs use it is never registered when the gate's checks fail). */
export function gated<T>(gate: pulumi.Output<unknown>, value: pulumi.Input<T>): pulumi.Output<pulumi.Unwrap<T>> {
    return pulumi.all([gate, value]).apply(([, v]) => v as pulumi.Unwrap<T>);
}

/** A value that resolves only after `after` (e.g. a role's policies and attachments) exist: pulumi-eks's resolvedRole. */
export function after<T>(value: pulumi.Output<T>, deps: readonly pulumi.Resource[]): pulumi.Output<T> {
    const ids: pulumi.Output<unknown>[] = deps.map((d) => d.urn);
    return pulumi.all([value as pulumi.Output<unknown>, ...ids]).apply(([v]) => v as T);
}

/** Suffix unique per project and stack, for physical names that must not collide between stacks of one account. */
export function stackSuffix(): string {
    return shortHash(`${pulumi.getProject()}/${pulumi.getStack()}`);
}

/** Short stable hash for child names (attachments are named by the policy ARN's hash, never by index). */
export function shortHash(value: string): string {
    return crypto.createHash("sha256").update(value).digest("hex").slice(0, 8);
}

/** Pulumi autonaming appends '-' and 7 characters to the logical name. */
export const AUTONAME_SUFFIX = 8;

/** Throws when an autonamed role's physical name (logical name + suffix, or prefix + 26) would pass 64 characters. */
export function validateRoleLogicalName(field: string, logicalName: string, namePrefix?: string): void {
    if (namePrefix !== undefined) {
        validateIamName("namePrefix", namePrefix, ROLE_NAME_MAX - 26);
        return;
    }
    const physical = logicalName.length + AUTONAME_SUFFIX;
    if (physical > ROLE_NAME_MAX) {
        throw new Error(
            `${field}: role '${logicalName}' would get a ${physical}-character name (with Pulumi's 8-character suffix); ` +
                `IAM allows at most ${ROLE_NAME_MAX}: shorten it to at most ${ROLE_NAME_MAX - AUTONAME_SUFFIX} characters or set namePrefix`,
        );
    }
    validateIamName(field, logicalName, ROLE_NAME_MAX - AUTONAME_SUFFIX);
}

export { Purpose } from "./vocabulary";

/** Tags that let reviewers and the offline engine tell what a role, policy or profile is for. */
export function purposeTags(
    purpose: Purpose,
    extra: { cluster?: string; queue?: string; pool?: string; scheduler?: string } = {},
    userTags: Record<string, string> = {},
): Record<string, string> {
    const tags: Record<string, string> = { ...userTags, [TAG_KEYS.purpose]: purpose };
    if (extra.cluster !== undefined) tags[TAG_KEYS.cluster] = extra.cluster;
    if (extra.queue !== undefined) tags[TAG_KEYS.queue] = extra.queue;
    if (extra.pool !== undefined) tags[TAG_KEYS.pool] = extra.pool;
    if (extra.scheduler !== undefined) tags[TAG_KEYS.scheduler] = extra.scheduler;
    return tags;
}

/** Attaches AWS-managed or given policy ARNs (plain strings) to a role, each named by the ARN's hash. */
export function attachByArn(
    baseName: string,
    role: pulumi.Input<string>,
    policyArns: readonly string[],
    opts: pulumi.CustomResourceOptions,
): aws.iam.RolePolicyAttachment[] {
    return [...new Set(policyArns)].map(
        (policyArn) => new aws.iam.RolePolicyAttachment(`${baseName}-${shortHash(policyArn)}`, { role, policyArn }, opts),
    );
}

/** Validates user tags: keys and values as IAM accepts them. */
export function validateTags(field: string, tags: Record<string, string> | undefined): Record<string, string> {
    if (tags === undefined) return {};
    const entries = Object.entries(tags);
    if (entries.length > 40) throw new Error(`${field}: ${entries.length} tags given; IAM allows at most 50 including the 3 this package adds`);
    for (const [k, v] of entries) {
        if (k.length === 0 || k.length > 128 || k.toLowerCase().startsWith("aws:") || k.startsWith(TAG_PREFIX)) {
            throw new Error(`${field}: tag key '${k}' is not allowed; expected 1-128 characters, not starting with 'aws:' or 'parallelcluster-iam:'`);
        }
        if (typeof v !== "string" || v.length > 256) throw new Error(`${field}: tag '${k}' has value '${String(v)}'; expected a string of at most 256 characters`);
    }
    return tags;
}

/** Plain strings of a list of inputs, for synchronous validation; Outputs are checked later in apply. */
export function plainStrings(values: readonly pulumi.Input<string>[] | undefined): string[] {
    return (values ?? []).filter((v): v is string => typeof v === "string");
}

const IAM_NAME_RE = /^[\w+=,.@-]+$/;

/**
 * A principal that may assume a role: `arn:<partition>:iam::<12 digits>:root`, `:role/[<path>/]<name>` (e.g. IAM
 * Identity Center's `role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_...`) or `:user/[<path>/]<name>`.
 * No wildcards, no whitespace, 12-digit accounts.
 */
export function validatePrincipalArn(v: PolicyContext, field: string, value: unknown): string {
    const expected = `expected arn:${v.partition}:iam::<12-digit account>:root, :role/[<path>/]<name> or :user/[<path>/]<name>`;
    if (typeof value !== "string") throw new Error(`${field}: '${String(value)}' is not a string; ${expected}`);
    if (/[*?]/.test(value)) throw new Error(`${field}: '${value}' contains a wildcard; a trust policy must name exact principals; ${expected}`);
    if (/\s/.test(value)) throw new Error(`${field}: '${value}' contains whitespace; IAM names have none; ${expected}`);
    const m = /^arn:[^:]*:iam::([^:]*):(.*)$/.exec(value);
    if (m && !/^\d{12}$/.test(m[1])) throw new Error(`${field}: '${value}' has account '${m[1]}'; expected exactly 12 digits`);
    validateArn(v, field, value, "principal");
    const resource = m![2];
    if (resource !== "root") {
        const segments = resource.split("/").slice(1);
        const name = segments[segments.length - 1];
        if (segments.some((s) => !IAM_NAME_RE.test(s)) || name.length > 64 || resource.length > 600) {
            throw new Error(`${field}: '${value}' has an invalid path or name; names and path segments use letters, digits and +=,.@_-, names at most 64 characters`);
        }
    }
    return value;
}

// Stable ids of Output ARNs this package hands out (AdditionalPolicy.arn), for child naming.
const STABLE_IDS = new WeakMap<object, string>();

/** Marks `o` (an Output of an ARN) with a stable id, so a list entry of it names its child stably. */
export function withStableId<T extends object>(o: T, id: string): T {
    STABLE_IDS.set(o, id);
    return o;
}

/** A managed policy to attach whose ARN may come from another resource: `id` names the attachment, stably. */
export interface PolicyRef {
    /** Stable identifier of the entry (1-64 letters, digits, '-', '_', '.'), used in the attachment's name; never change it. */
    readonly id: string;
    /** The policy ARN (may be an Output). */
    readonly arn: pulumi.Input<string>;
}

/** One attachment of an additional policy: its stable key (for the child name), where it was given, its ARN. */
export interface PolicyEntry {
    readonly key: string;
    readonly field: string;
    readonly arn: pulumi.Input<string>;
}

const REF_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Additional policies from a list of ARNs (plain strings, keyed by the ARN as before; or Outputs this package
 * marked, such as an AdditionalPolicy's `arn`) and a list of `{ id, arn }` refs (keyed by id). Entries with no
 * stable key are problems.
 */
export function policyEntries(problems: Problems, field: string, arns: readonly pulumi.Input<string>[] | undefined, refsField: string, refs: readonly PolicyRef[] | undefined): PolicyEntry[] {
    const out: PolicyEntry[] = [];
    if (arns !== undefined && !Array.isArray(arns)) problems.add(field, `'${JSON.stringify(arns)}' is not a list of policy ARNs`);
    else (arns ?? []).forEach((a, i) => {
        if (typeof a === "string") out.push({ key: a, field: `${field}[${i}]`, arn: a });
        else {
            const id = a !== null && typeof a === "object" ? STABLE_IDS.get(a as object) : undefined;
            if (id !== undefined) out.push({ key: `ref:${id}`, field: `${field}[${i}]`, arn: a });
            else problems.add(`${field}[${i}]`, `an Output with no stable id, so its attachment could not keep its name; pass it in ${refsField} as { id, arn } (or pass an AdditionalPolicy's arn)`);
        }
    });
    if (refs !== undefined && !Array.isArray(refs)) problems.add(refsField, `'${JSON.stringify(refs)}' is not a list of { id, arn }`);
    else (refs ?? []).forEach((r, i) => {
        if (!r || typeof r.id !== "string" || !REF_ID_RE.test(r.id)) {
            problems.add(`${refsField}[${i}].id`, `'${String(r?.id)}' is not a stable id; expected 1-64 letters, digits, '.', '_' or '-'`);
        } else if (r.arn === undefined) problems.add(`${refsField}[${i}].arn`, `'undefined' is required; expected a policy ARN`);
        else out.push({ key: `ref:${r.id}`, field: `${refsField}[${i}].arn`, arn: r.arn });
    });
    const seen = new Set<string>();
    for (const e of out) {
        if (seen.has(e.key)) problems.add(e.field, `'${e.key.replace(/^ref:/, "")}' appears more than once; each policy is attached once`);
        seen.add(e.key);
    }
    return out;
}

/**
 * The partition the plain ARNs of some args name (the first found), for validating before an explicit provider's
 * partition is known; undefined if they name none.
 */
export function partitionOfArns(value: unknown, depth = 0): Partition | undefined {
    if (typeof value === "string") {
        const m = /^arn:(aws|aws-cn|aws-us-gov):/.exec(value);
        return m ? (m[1] as Partition) : undefined;
    }
    if (depth > 4 || value === null || typeof value !== "object" || pulumi.Output.isInstance(value) || value instanceof pulumi.Resource) return undefined;
    for (const v of Object.values(value as object)) {
        const p = partitionOfArns(v, depth + 1);
        if (p) return p;
    }
    return undefined;
}

/** A list of inputs as validation sees it: plain values, `undefined` for values known later. */
export function knownNow<T>(values: readonly pulumi.Input<T>[] | undefined): (T | undefined)[] | undefined {
    if (values === undefined || !Array.isArray(values)) return values as undefined;
    return values.map((v) => (v !== null && typeof v === "object" && (pulumi.Output.isInstance(v) || v instanceof Promise) ? undefined : (v as T)));
}

/** A single input as validation sees it. */
export function knownValue<T>(value: pulumi.Input<T> | undefined): T | undefined {
    return value !== null && typeof value === "object" && (pulumi.Output.isInstance(value) || value instanceof Promise) ? undefined : (value as T | undefined);
}
