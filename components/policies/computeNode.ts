/**
 * The compute node role (one per Slurm queue): the guide's minimal policy ("Compute nodes IAM role"), what
 * ParallelCluster 3.12's compute nodes call beyond it (`ComputeNodeIamResources._build_policy` in
 * cdk_builder_utils.py; docs/parallelcluster-grants.md), and ParallelCluster's S3Access statements.
 */
import { clusterTableArn, queuesStackArn, slurmTableArn, validateClusterName } from "./cluster";
import { PolicyContext, checkContext, regionalArn, s3Arn } from "./context";
import { CustomCookbookOptions, EfsOptions, customCookbookStatements, efsClientStatements } from "./features";
import { nodeManagedPolicyArns } from "./headNode";
import { S3AccessEntry, s3AccessStatements } from "./s3Access";
import { RolePolicySet, policyDocument } from "./types";

export interface ComputeNodeOptions extends EfsOptions, CustomCookbookOptions {
    /**
     * The cluster the queue belongs to. With it the DynamoDB and CloudFormation grants name the cluster's own
     * table and queues stack; without it they use the guide's account-wide `table/parallelcluster-*` and any stack
     * named like a queues stack.
     */
    readonly clusterName?: string;
    /** SlurmQueues/Iam/S3Access entries. */
    readonly s3Access?: readonly S3AccessEntry[];
    /** Monitoring/Logs/CloudWatch/Enabled; default true. */
    readonly cloudWatchLogs?: boolean;
}

/** A compute node's managed policies and inline document. */
export function computeNodePolicy(ctx: PolicyContext, opts: ComputeNodeOptions = {}): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { clusterName?, s3Access?, cloudWatchLogs? }`);
    const cluster = validateClusterName(opts.clusterName);
    const managedPolicyArns = nodeManagedPolicyArns(ctx, opts.cloudWatchLogs, "cloudWatchLogs");
    // The guide's Query statement on every cluster table; with the cluster, its Slurm table and that table's indexes.
    const query = cluster === undefined
        ? regionalArn(ctx, "dynamodb", "table/parallelcluster-*")
        : [slurmTableArn(ctx, cluster), `${slurmTableArn(ctx, cluster)}/index/*`];
    return {
        managedPolicyArns,
        inlinePolicy: policyDocument([
            { Effect: "Allow", Action: ["dynamodb:Query"], Resource: query },
            { Effect: "Allow", Action: "s3:GetObject", Resource: [s3Arn(ctx, `${ctx.region}-aws-parallelcluster/*`)] },
            { Effect: "Allow", Action: "ec2:DescribeInstanceAttribute", Resource: "*" },
            // 3.9: cfn-init --role and cfn-hup read the launch template's metadata from the queues nested stack
            // (resources/compute_node/user_data.sh); a failure shuts the node down.
            {
                Sid: "CloudFormation",
                Effect: "Allow",
                Action: "cloudformation:DescribeStackResource",
                Resource: cluster === undefined ? regionalArn(ctx, "cloudformation", "stack/*-ComputeFleetQueuesNestedStackQueuesNestedStackResource*/*") : queuesStackArn(ctx, cluster),
            },
            // 3.9: finalize_compute.rb / update_compute.rb write the node's config version (save_instance_config_version_to_dynamodb).
            // ParallelCluster also grants UpdateItem and GetItem; no compute-side caller exists.
            {
                Sid: "DynamoDBTable",
                Effect: "Allow",
                Action: "dynamodb:PutItem",
                Resource: cluster === undefined ? regionalArn(ctx, "dynamodb", "table/parallelcluster-*") : clusterTableArn(ctx, cluster),
            },
            ...efsClientStatements(ctx, opts),
            ...customCookbookStatements(ctx, opts),
            ...s3AccessStatements(ctx, opts.s3Access ?? [], "s3Access"),
        ]),
    };
}
