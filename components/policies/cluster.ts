/**
 * Names ParallelCluster 3.12 derives from the cluster name, as ARN patterns. The builders scope node grants with
 * them when given a `clusterName`; without one they keep the guide's account-wide patterns.
 */
import { PolicyContext, regionalArn, s3Arn } from "./context";

/** ParallelCluster's cluster-name rule (`cluster_schema.py`): a letter, then letters, digits and '-', at most 60 characters. */
export const CLUSTER_NAME_RE = /^[a-zA-Z][a-zA-Z0-9-]{0,59}$/;

/** Validates an optional `clusterName` builder option; returns it, or undefined when absent. */
export function validateClusterName(value: unknown, field = "clusterName"): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !CLUSTER_NAME_RE.test(value)) {
        throw new Error(`${field}: '${String(value)}' is not a valid cluster name; expected a letter, then letters, digits and '-', at most 60 characters`);
    }
    return value;
}

/** `table/parallelcluster-<cluster>` (cluster_stack.py `PCLUSTER_DYNAMODB_PREFIX + stack_name`). */
export function clusterTableArn(ctx: PolicyContext, cluster: string): string {
    return regionalArn(ctx, "dynamodb", `table/parallelcluster-${cluster}`);
}

/** `table/parallelcluster-slurm-<cluster>` (slurm_builder.py `_add_dynamodb_table`). */
export function slurmTableArn(ctx: PolicyContext, cluster: string): string {
    return regionalArn(ctx, "dynamodb", `table/parallelcluster-slurm-${cluster}`);
}

/** The cluster's root stack: its name is the cluster name (cdk_builder.py). */
export function clusterStackArn(ctx: PolicyContext, cluster: string): string {
    return regionalArn(ctx, "cloudformation", `stack/${cluster}/*`);
}

/**
 * The queues nested stack, `<cluster>-ComputeFleetQueuesNestedStackQueuesNestedStackResource<hash>-<random>`: the
 * compute launch templates' `AWS::StackId` (queues_stack.py). The CDK hash is left open.
 */
export function queuesStackArn(ctx: PolicyContext, cluster: string): string {
    return regionalArn(ctx, "cloudformation", `stack/${cluster}-ComputeFleetQueuesNestedStackQueuesNestedStackResource*/*`);
}

/** The login-nodes nested stack, `<cluster>-LoginNodesNestedStackLoginNodesNestedStackResource<hash>-<random>` (login_nodes_stack.py). */
export function loginStackArn(ctx: PolicyContext, cluster: string): string {
    return regionalArn(ctx, "cloudformation", `stack/${cluster}-LoginNodesNestedStackLoginNodesNestedStackResource*/*`);
}

/**
 * Objects of the cluster's artifact directory in ParallelCluster's default bucket:
 * `parallelcluster-<hash>-v1-do-not-delete/parallelcluster/<version>/clusters/<cluster lowercased, first 46>-<16 random>/…`
 * (`S3Bucket.get_bucket_name`, `Cluster._generate_artifact_dir`, `utils.generate_random_name_with_prefix`). The 16 `?`
 * keep cluster `a` out of cluster `a-b`'s directory.
 */
export function clusterArtifactsArn(ctx: PolicyContext, cluster: string, version: string, suffix = "*"): string {
    return s3Arn(ctx, `parallelcluster-*-v1-do-not-delete/parallelcluster/${version}.*/clusters/${cluster.toLowerCase().slice(0, 46)}-${"?".repeat(16)}/${suffix}`);
}
