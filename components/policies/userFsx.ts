/**
 * Additional user policy for clusters with FSx for Lustre
 * (guide: "Additional user policy when using Amazon FSx for Lustre").
 */
import { PolicyContext, checkContext, iamArn, s3Arn, validateBucketName, validateUnique } from "./context";
import { allow, resolveRegionScope, scopedArn } from "./regionScope";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

export interface UserFsxOptions {
    /**
     * S3 buckets the file systems import from or export to (FSx `ImportPath` / `ExportPath` /
     * data repository associations). Without any, the S3 statement is left out.
     */
    readonly buckets?: readonly string[];
    /** "*" (default: all regions, the guide's form) or one region of the context's partition. */
    readonly regionScope?: string;
}

function validateBuckets(buckets: readonly string[]): string[] {
    if (!Array.isArray(buckets)) throw new Error(`buckets: '${String(buckets)}' is not a list; expected a list of S3 bucket names`);
    buckets.forEach((b, i) => validateBucketName(`buckets[${i}]`, b));
    validateUnique("buckets", buckets);
    return [...buckets];
}

export function userFsxPolicy(ctx: PolicyContext, opts: UserFsxOptions = {}): PolicyDocument {
    checkContext(ctx);
    const scope = resolveRegionScope(ctx, opts.regionScope);
    const buckets = validateBuckets(opts.buckets ?? []);
    const statements: PolicyStatement[] = [
        // IAM is global: none of the IAM statements is region-conditioned.
        allow("FSxServiceLinkedRoles", ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole"], "*", {
            StringEquals: { "iam:AWSServiceName": ["fsx.amazonaws.com", "s3.data-source.lustre.fsx.amazonaws.com"] },
        }),
        allow("FSx", ["fsx:*"], [scopedArn(ctx, scope, "fsx", "*")]),
        allow("FSxS3ServiceLinkedRole", ["iam:CreateServiceLinkedRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
            iamArn(ctx, "role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*")),
    ];
    if (buckets.length > 0) {
        // Object reads and writes authorize against `bucket/*`, not the bucket ARN: the guide lists only
        // the bucket; the official template grants both. Named buckets are not region-conditioned (as in the template).
        statements.push(allow("FSxS3Access", ["s3:Get*", "s3:List*", "s3:PutObject"],
            buckets.flatMap((b) => [s3Arn(ctx, b), s3Arn(ctx, `${b}/*`)])));
    }
    return policyDocument(statements);
}
