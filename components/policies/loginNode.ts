/**
 * A login-node pool's role (3.7+): what ParallelCluster 3.12 grants the pool roles it creates
 * (`LoginNodesIamResources._build_policy` in cdk_builder_utils.py, created per pool in login_nodes_stack.py).
 */
import { clusterStackArn, clusterTableArn, loginStackArn, validateClusterName } from "./cluster";
import { PolicyContext, checkContext, regionalArn, s3Arn } from "./context";
import { EfsOptions, efsClientStatements } from "./features";
import { nodeManagedPolicyArns } from "./headNode";
import { RolePolicySet, policyDocument } from "./types";

export interface LoginNodeOptions extends EfsOptions {
    /** The cluster (required: every grant names it). */
    readonly clusterName: string;
    /** `LoginNodes/Pools/Name`: a lowercase letter, then lowercase letters, digits and '-', at most 25 characters. */
    readonly poolName: string;
    /** Monitoring/Logs/CloudWatch/Enabled; default true. */
    readonly cloudWatchLogs?: boolean;
}

const POOL_RE = /^[a-z][a-z0-9-]{0,24}$/;

/** A login pool's managed policies and inline document. ParallelCluster gives pools no S3Access. */
export function loginNodePolicy(ctx: PolicyContext, opts: LoginNodeOptions): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { clusterName, poolName, ... }`);
    const cluster = validateClusterName(opts.clusterName);
    if (cluster === undefined) throw new Error(`clusterName: 'undefined' is required for a login-node pool`);
    if (typeof opts.poolName !== "string" || !POOL_RE.test(opts.poolName)) {
        throw new Error(`poolName: '${String(opts.poolName)}' is not a valid pool name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters`);
    }
    return {
        managedPolicyArns: nodeManagedPolicyArns(ctx, opts.cloudWatchLogs, "cloudWatchLogs"),
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
        ]),
    };
}
