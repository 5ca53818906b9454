/** The compute node role: the guide's minimal policy ("Compute nodes IAM role") plus ParallelCluster's S3Access statements. */
import { PolicyContext, checkContext, regionalArn, s3Arn } from "./context";
import { nodeManagedPolicyArns } from "./headNode";
import { S3AccessEntry, s3AccessStatements } from "./s3Access";
import { RolePolicySet, policyDocument } from "./types";

export interface ComputeNodeOptions {
    /** SlurmQueues/Iam/S3Access entries. */
    readonly s3Access?: readonly S3AccessEntry[];
    /** Monitoring/Logs/CloudWatch/Enabled; default true. */
    readonly cloudWatchLogs?: boolean;
}

/** A compute node's managed policies and inline document. */
export function computeNodePolicy(ctx: PolicyContext, opts: ComputeNodeOptions = {}): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { s3Access?, cloudWatchLogs? }`);
    const managedPolicyArns = nodeManagedPolicyArns(ctx, opts.cloudWatchLogs, "cloudWatchLogs");
    return {
        managedPolicyArns,
        inlinePolicy: policyDocument([
            { Effect: "Allow", Action: ["dynamodb:Query"], Resource: regionalArn(ctx, "dynamodb", "table/parallelcluster-*") },
            { Effect: "Allow", Action: "s3:GetObject", Resource: [s3Arn(ctx, `${ctx.region}-aws-parallelcluster/*`)] },
            { Effect: "Allow", Action: "ec2:DescribeInstanceAttribute", Resource: "*" },
            ...s3AccessStatements(ctx, opts.s3Access ?? [], "s3Access"),
        ]),
    };
}
