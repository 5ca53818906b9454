/** Internal helpers shared by the components: context resolution, child naming, tags, attachments. Not exported from the package. */
import * as crypto from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyContext, makeContext } from "./policies/context";
import { Partition, assertPartition, partitionOfRegion } from "./policies/partition";
import { ROLE_NAME_MAX, validateIamName } from "./policies/limits";

/** Where the account, partition and region come from. */
export interface ContextArgs {
    /** AWS account ID (12 digits). Default: the provider's caller identity. */
    readonly accountId?: string;
    /** AWS partition. Default: the partition of `region`. */
    readonly partition?: string;
    /** AWS region. Default: the provider's `aws:region`. */
    readonly region?: string;
}

/** Context fields known before any resource is registered; the partition must be known for validation. */
export interface SyncContext {
    partition: Partition;
    accountId?: string;
    region?: string;
}

/** Resolves what can be known synchronously (args, then `aws:region` config) and validates it. */
export function syncContext(args: ContextArgs): SyncContext {
    const region = args.region ?? new pulumi.Config("aws").get("region");
    if (args.accountId !== undefined || region !== undefined) {
        // Validate the whole triple when we can (throws naming the field).
        makeContext({ accountId: args.accountId ?? UNKNOWN_ACCOUNT, region: region ?? "*", partition: args.partition });
    }
    let partition: Partition;
    if (args.partition !== undefined) {
        assertPartition(args.partition);
        partition = args.partition;
    } else if (region !== undefined) {
        partition = partitionOfRegion(region);
    } else {
        throw new Error("region: not set; set the 'aws:region' config, or pass 'region' or 'partition' to the component");
    }
    return { partition, accountId: args.accountId, region };
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

/** The full context as an Output: given values win, else the provider's caller identity and region. */
export function contextOutput(sync: SyncContext, parent: pulumi.Resource): pulumi.Output<PolicyContext> {
    const invokeOpts = { parent };
    const account = sync.accountId ?? aws.getCallerIdentityOutput({}, invokeOpts).accountId;
    const region = sync.region ?? aws.getRegionOutput({}, invokeOpts).region;
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    return pulumi.all([account, region, partition]).apply(([accountId, r, providerPartition]) => {
        if (providerPartition !== sync.partition) {
            throw new Error(`partition: the AWS provider is in '${providerPartition}', but the component was configured for '${sync.partition}'`);
        }
        return makeContext({ accountId, region: r, partition: sync.partition });
    });
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

export type Purpose =
    | "cluster-user"
    | "head-node"
    | "compute-node"
    | "login-node"
    | "lambda-functions"
    | "image-builder-instance"
    | "image-cleanup-lambda"
    | "permissions-boundary"
    | "additional-policy"
    | "api-function-access";

/** Tags that let reviewers and the offline engine tell what a role, policy or profile is for. */
export function purposeTags(
    purpose: Purpose,
    extra: { cluster?: string; queue?: string; pool?: string; scheduler?: string } = {},
    userTags: Record<string, string> = {},
): Record<string, string> {
    const tags: Record<string, string> = { ...userTags, "parallelcluster-iam:purpose": purpose };
    if (extra.cluster !== undefined) tags["parallelcluster-iam:cluster"] = extra.cluster;
    if (extra.queue !== undefined) tags["parallelcluster-iam:queue"] = extra.queue;
    if (extra.pool !== undefined) tags["parallelcluster-iam:pool"] = extra.pool;
    if (extra.scheduler !== undefined) tags["parallelcluster-iam:scheduler"] = extra.scheduler;
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
        if (k.length === 0 || k.length > 128 || k.toLowerCase().startsWith("aws:") || k.startsWith("parallelcluster-iam:")) {
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
