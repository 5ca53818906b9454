/**
 * The attach/detach grant for the ParallelCluster API / Manager function role (seed 000), conditioned on the
 * managed-policy allow-list instead of open on every policy.
 */
import { PolicyContext, checkContext, iamArn } from "./context";
import { allowedPolicyArnPatterns, operatorProtectionStatements, validateExtraPolicyArns } from "./allowlist";
import { PolicyDocument, policyDocument } from "./types";

export interface ApiFunctionAccessOptions {
    /** Further concrete policy ARNs the function may attach, in the context's partition. */
    readonly extraPolicyArns?: readonly string[];
    /** Also allow `service-role/AWSLambdaVPCAccessExecutionRole` (clusters whose Lambda functions run in a VPC). */
    readonly lambdaVpcAccess?: boolean;
}

/** `iam:AttachRolePolicy` / `iam:DetachRolePolicy` on `role/parallelcluster/*` for allow-listed policies only. */
export function apiFunctionAccessPolicy(ctx: PolicyContext, opts: ApiFunctionAccessOptions = {}): PolicyDocument {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { extraPolicyArns?, lambdaVpcAccess? }`);
    const extra = opts.extraPolicyArns ?? [];
    if (!Array.isArray(extra)) throw new Error(`extraPolicyArns: '${String(extra)}' is not a list; expected a list of IAM policy ARNs`);
    validateExtraPolicyArns(ctx, "extraPolicyArns", extra);
    if (opts.lambdaVpcAccess !== undefined && typeof opts.lambdaVpcAccess !== "boolean") {
        throw new Error(`lambdaVpcAccess: '${String(opts.lambdaVpcAccess)}' is not a boolean; expected true or false`);
    }
    const patterns = allowedPolicyArnPatterns(ctx.partition, ctx.accountId, { lambdaVpcAccess: opts.lambdaVpcAccess, extraPolicyArns: extra });
    return policyDocument([
        {
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: iamArn(ctx, "role/parallelcluster/*"),
            Condition: { ArnLike: { "iam:PolicyARN": patterns } },
        },
        ...operatorProtectionStatements(ctx.partition, ctx.accountId),
    ]);
}
