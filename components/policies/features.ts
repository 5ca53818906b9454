/**
 * Optional ParallelCluster features that need node grants only when configured. Each option is off by default and
 * adds exactly the statement ParallelCluster 3.12 would add to a role it creates (docs/parallelcluster-grants.md).
 */
import { PolicyContext, parseArn, regionalArn, s3Arn, validateArn, validateBucketName, validateUnique } from "./context";
import { isRegion, partitionOfRegion } from "./partition";
import { PolicyStatement } from "./types";

export interface EfsOptions {
    /**
     * EFS file systems mounted with `SharedStorage/EfsSettings/IamAuthorization: true` (`fs-…` IDs): efs-utils mounts
     * them with the node's role (`Efs` statement of cdk_builder_utils.py, 3.4).
     */
    readonly efsFileSystemIds?: readonly string[];
}

const EFS_ID_RE = /^fs-[0-9a-f]{8,40}$/;

/** Validates `efsFileSystemIds`. */
export function validateEfsIds(values: readonly string[] | undefined, field = "efsFileSystemIds"): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`${field}: '${String(values)}' is not a list; expected EFS file system IDs (fs-…)`);
    values.forEach((v, i) => {
        if (typeof v !== "string" || !EFS_ID_RE.test(v)) throw new Error(`${field}[${i}]: '${String(v)}' is not an EFS file system ID; expected fs- and 8-40 hex digits`);
    });
    validateUnique(field, values);
    return [...values];
}

/** The `Efs` statement for the file systems with IAM authorization; none without any. */
export function efsClientStatements(ctx: PolicyContext, opts: EfsOptions): PolicyStatement[] {
    const ids = validateEfsIds(opts.efsFileSystemIds);
    if (ids.length === 0) return [];
    return [{
        Sid: "Efs",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite"],
        Resource: ids.map((id) => regionalArn(ctx, "elasticfilesystem", `file-system/${id}`)),
    }];
}

// ---- the custom cookbook (DevSettings/Cookbook/ChefCookbook) ----

export interface CustomCookbookOptions {
    /**
     * `DevSettings/Cookbook/ChefCookbook` when it is an `s3://bucket/key` URL: every node's user data asks the bucket's
     * location and downloads the archive with a URL presigned by the node's role (`CustomCookbookS3Url` policy of
     * cdk_builder_utils.py `_add_custom_cookbook_policies_to_role`, 3.0). `https://` URLs need no grant.
     */
    readonly customCookbookS3Url?: string;
}

// S3 object keys: 1-1,024 printable ASCII characters; '*' and '?' would be IAM wildcards, so an exact key is required.
const S3_URL_RE = /^s3:\/\/([^/]+)\/([\u0021-\u007e][\u0020-\u007e]{0,1023})$/;

/** Splits and validates an `s3://bucket/key` URL naming exactly one object. */
export function parseS3ObjectUrl(field: string, value: unknown): { bucket: string; key: string } {
    const expected = "s3://<bucket>/<key> naming one object (no '*' or '?')";
    const m = typeof value === "string" ? S3_URL_RE.exec(value) : null;
    if (!m || /[*?<>]/.test(m[2]) || m[2].startsWith("/")) throw new Error(`${field}: '${String(value)}' is not an S3 object URL; expected ${expected}`);
    validateBucketName(`${field} (bucket)`, m[1]);
    return { bucket: m[1], key: m[2] };
}

/** The `CustomCookbookS3Url` statements: GetObject on the archive, GetBucketLocation on its bucket; none without a URL. */
export function customCookbookStatements(ctx: PolicyContext, opts: CustomCookbookOptions): PolicyStatement[] {
    if (opts.customCookbookS3Url === undefined) return [];
    const { bucket, key } = parseS3ObjectUrl("customCookbookS3Url", opts.customCookbookS3Url);
    return [
        { Sid: "CustomCookbookS3UrlObject", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(ctx, `${bucket}/${key}`) },
        { Sid: "CustomCookbookS3UrlBucket", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: s3Arn(ctx, bucket) },
    ];
}

// ---- head-node features ----

const SSM_PARAMETER_NAME_RE = /^[a-zA-Z0-9_.-]{1,1011}$/;
const RESOURCE_GROUP_NAME_RE = /^[a-zA-Z0-9_.-]{1,300}$/;

function validateRegionalArn(ctx: PolicyContext, field: string, value: unknown, service: string, expected: string, resourceOk: (r: string) => boolean): string {
    const fail = (why: string): never => {
        throw new Error(`${field}: '${String(value)}' ${why}; expected ${expected}`);
    };
    const p = typeof value === "string" ? parseArn(value) : undefined;
    if (!p) return fail("is not an ARN");
    if (p.partition !== ctx.partition) fail(`is in partition '${p.partition}', not '${ctx.partition}'`);
    if (p.service !== service || !resourceOk(p.resource)) fail(`is not a ${service} ARN of the expected type`);
    if (!isRegion(p.region)) fail("has no valid region");
    if (partitionOfRegion(p.region) !== ctx.partition) fail(`names region '${p.region}' outside partition '${ctx.partition}'`);
    if (!/^\d{12}$/.test(p.account)) fail("has no 12-digit account");
    return value as string;
}

/**
 * `DirectoryService/PasswordSecretArn`: a Secrets Manager secret or an SSM parameter. The cookbook reads it on the head
 * node only (directory_service.rb: `get-secret-value`, or `ssm get-parameter --name <resource.split("/")[1]>`, so a
 * parameter must be top-level); it shares sssd.conf with the other nodes.
 */
export function validateDirectoryPasswordArn(ctx: PolicyContext, field: string, value: unknown): { arn: string; action: string } {
    const p = typeof value === "string" ? parseArn(value) : undefined;
    if (p?.service === "ssm") {
        const expected = `arn:${ctx.partition}:ssm:<region>:<account>:parameter/<name> (a top-level parameter, as directory_service.rb reads it) or a Secrets Manager secret ARN`;
        return {
            arn: validateRegionalArn(ctx, field, value, "ssm", expected, (r) => r.startsWith("parameter/") && SSM_PARAMETER_NAME_RE.test(r.slice(10))),
            action: "ssm:GetParameter",
        };
    }
    try {
        return { arn: validateArn(ctx, field, value as string, "secret"), action: "secretsmanager:GetSecretValue" };
    } catch (e) {
        throw new Error(`${(e as Error).message} (or arn:${ctx.partition}:ssm:<region>:<account>:parameter/<name>)`, { cause: e });
    }
}

/** A capacity-reservation resource group (`CapacityReservationTarget/CapacityReservationResourceGroupArn`). */
export function validateResourceGroupArns(ctx: PolicyContext, field: string, values: unknown): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`${field}: '${String(values)}' is not a list; expected resource-group ARNs`);
    const expected = `arn:${ctx.partition}:resource-groups:<region>:<account>:group/<name>`;
    values.forEach((v, i) => validateRegionalArn(ctx, `${field}[${i}]`, v, "resource-groups", expected, (r) => r.startsWith("group/") && RESOURCE_GROUP_NAME_RE.test(r.slice(6))));
    validateUnique(field, values as string[]);
    return [...(values as string[])];
}
