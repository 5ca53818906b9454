/**
 * ParallelCluster's `HeadNode/Iam/S3Access` and `SlurmQueues/Iam/S3Access` entries, rendered the way
 * ParallelCluster 3 renders them (cdk_builder_utils.py `_add_s3_access_policies_to_role` and
 * cluster_config.py `S3Access.resource_regex`).
 */
import { PolicyContext, checkContext, s3Arn, validateBucketName } from "./context";
import { PolicyStatement } from "./types";

export interface S3AccessEntry {
    /** Bucket name (no wildcards: ParallelCluster grants exactly the named bucket). */
    readonly bucketName: string;
    /** Object key or key pattern, e.g. `read_only/*`. When set, only `bucket/key` is granted (no bucket-level ARN). */
    readonly keyName?: string;
    /** `s3:*` instead of `s3:Get*` + `s3:List*`. Default false. */
    readonly enableWriteAccess?: boolean;
}

// S3 keys are at most 1,024 bytes; a leading '/' would yield `bucket//key`, which matches nothing.
const KEY_MAX = 1024;

function validateKeyName(field: string, value: unknown): string {
    const allowed = `1-${KEY_MAX} printable ASCII characters, not starting with '/' ('*' and '?' allowed as wildcards)`;
    if (typeof value !== "string" || value.length === 0 || value.length > KEY_MAX || value.startsWith("/") ||
        !/^[\u0020-\u007e]+$/.test(value) || /[<>]/.test(value)) {
        throw new Error(`${field}: '${String(value)}' is not a valid S3 key name; expected ${allowed}`);
    }
    return value;
}

/**
 * The statements ParallelCluster generates for S3Access entries: one `S3Read` statement (`s3:Get*`, `s3:List*`)
 * for the read-only entries and one `S3ReadWrite` statement (`s3:*`) for the writable ones. An entry without
 * a key grants the bucket and `bucket/*`; with a key, only `bucket/key`.
 * `field` names the option in error messages.
 */
export function s3AccessStatements(ctx: PolicyContext, entries: readonly S3AccessEntry[], field = "s3Access"): PolicyStatement[] {
    checkContext(ctx);
    if (!Array.isArray(entries)) throw new Error(`${field}: '${String(entries)}' is not a list; expected a list of { bucketName, keyName?, enableWriteAccess? }`);
    const read: string[] = [];
    const write: string[] = [];
    entries.forEach((e, i) => {
        const at = `${field}[${i}]`;
        if (e === null || typeof e !== "object") throw new Error(`${at}: '${String(e)}' is not an entry; expected { bucketName, keyName?, enableWriteAccess? }`);
        validateBucketName(`${at}.bucketName`, e.bucketName);
        if (e.keyName !== undefined) validateKeyName(`${at}.keyName`, e.keyName);
        if (e.enableWriteAccess !== undefined && typeof e.enableWriteAccess !== "boolean") {
            throw new Error(`${at}.enableWriteAccess: '${String(e.enableWriteAccess)}' is not a boolean; expected true or false`);
        }
        const resources = e.keyName !== undefined ? [s3Arn(ctx, `${e.bucketName}/${e.keyName}`)] : [s3Arn(ctx, e.bucketName), s3Arn(ctx, `${e.bucketName}/*`)];
        const target = e.enableWriteAccess ? write : read;
        for (const r of resources) if (!target.includes(r)) target.push(r);
    });
    const out: PolicyStatement[] = [];
    if (read.length) out.push({ Sid: "S3Read", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: read });
    if (write.length) out.push({ Sid: "S3ReadWrite", Effect: "Allow", Action: ["s3:*"], Resource: write });
    return out;
}
