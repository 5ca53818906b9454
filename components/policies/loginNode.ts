/**
 * A login-node pool's role (3.7+): what ParallelCluster 3.12 grants the pool roles it creates
 * (`LoginNodesIamResources._build_policy` in cdk_builder_utils.py, created per pool in login_nodes_stack.py).
 */
import { clusterStackArn, clusterTableArn, loginStackArn, validateClusterName } from "./cluster";
import { PolicyContext, checkContext, regionalArn, s3Arn } from "./context";
import { CustomCookbookOptions, EfsOptions, customCookbookStatements, efsClientStatements } from "./features";
import { awsManagedPolicyArn } from "./partition";
import { S3AccessEntry, s3AccessStatements } from "./s3Access";
import { RolePolicySet, policyDocument } from "./types";

export interface LoginNodeOptions extends EfsOptions, CustomCookbookOptions {
    /** The cluster (required: every grant names it). */
    readonly clusterName: string;
    /** `LoginNodes/Pools/Name` (`validatePoolName`). */
    readonly poolName: string;
    /** Monitoring/Logs/CloudWatch/Enabled; default true. */
    readonly cloudWatchLogs?: boolean;
    /**
     * S3 access for the pool, rendered as `HeadNode/Iam/S3Access` is. Not in ParallelCluster 3.12 (pools have no
     * `S3Access`, aws/aws-parallelcluster#6507): login-node custom actions on S3 otherwise need an additional policy.
     */
    readonly s3Access?: readonly S3AccessEntry[];
}

/** `NameValidator` (cluster_validators.py), used for queues and login pools: `^[a-z][a-z0-9\-]*$`, at most 25, not `default`. */
export const NODE_GROUP_NAME_RE = /^[a-z][a-z0-9-]{0,24}$/;

/** Validates a login-pool (or queue) name as ParallelCluster's NameValidator does. */
export function validatePoolName(field: string, value: unknown, what = "pool"): string {
    if (typeof value !== "string" || !NODE_GROUP_NAME_RE.test(value)) {
        throw new Error(`${field}: '${String(value)}' is not a valid ${what} name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters`);
    }
    if (value === "default") throw new Error(`${field}: 'default' is not a valid ${what} name; ParallelCluster forbids 'default'`);
    return value;
}

/**
 * A login pool's managed policies and inline document. Managed: `CloudWatchAgentServerPolicy` with CloudWatch logs
 * only, as ParallelCluster's `_add_node_role` (no `AmazonSSMManagedInstanceCore`: add it with AdditionalIamPolicies).
 */
export function loginNodePolicy(ctx: PolicyContext, opts: LoginNodeOptions): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { clusterName, poolName, ... }`);
    const cluster = validateClusterName(opts.clusterName);
    if (cluster === undefined) throw new Error(`clusterName: 'undefined' is required for a login-node pool`);
    validatePoolName("poolName", opts.poolName);
    if (opts.cloudWatchLogs !== undefined && typeof opts.cloudWatchLogs !== "boolean") {
        throw new Error(`cloudWatchLogs: '${String(opts.cloudWatchLogs)}' is not a boolean; expected true or false`);
    }
    return {
        managedPolicyArns: opts.cloudWatchLogs === false ? [] : [awsManagedPolicyArn(ctx.partition, "CloudWatchAgentServerPolicy")],
        inlinePolicy: policyDocument([
            { Sid: "Ec2", Effect: "Allow", Action: "ec2:DescribeInstanceAttribute", Resource: "*" },
            { Sid: "S3GetObj", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(ctx, `${ctx.region}-aws-parallelcluster/*`) },
            // 3.7: the user data completes the launching lifecycle hook of the pool's Auto Scaling group.
            {
                Sid: "Autoscaling",
                Effect: "Allow",
                Action: "autoscaling:CompleteLifecycleAction",
                Resource: regionalArn(ctx, "autoscaling", `autoScalingGroup:*:autoScalingGroupName/${cluster}-${opts.poolName}-AutoScalingGroup`),
            },
            // 3.9: cfn-init --role / cfn-hup on the login nested stack; 3.11: custom actions read the cluster stack's status.
            {
                Sid: "CloudFormation",
                Effect: "Allow",
                Action: ["cloudformation:DescribeStackResource", "cloudformation:DescribeStacks"],
                Resource: [clusterStackArn(ctx, cluster), loginStackArn(ctx, cluster)],
            },
            // 3.9: finalize_login_node.rb / update_login_node.rb write the node's config version. ParallelCluster also
            // grants UpdateItem and GetItem; no login-node caller exists.
            { Sid: "DynamoDBTable", Effect: "Allow", Action: "dynamodb:PutItem", Resource: clusterTableArn(ctx, cluster) },
            // 3.11: DCV on login nodes.
            { Sid: "DcvLicense", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(ctx, `dcv-license.${ctx.region}/*`) },
            ...efsClientStatements(ctx, opts),
            ...customCookbookStatements(ctx, opts),
            ...s3AccessStatements(ctx, opts.s3Access ?? [], "s3Access"),
        ]),
    };
}
