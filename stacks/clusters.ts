/** The `clusters` of a stack as ClusterNodeRoles: one component per cluster, named by the cluster. */
import * as pulumi from "@pulumi/pulumi";
import { ClusterNodeRoles, ClusterNodeRolesArgs, PermissionsBoundaryArgs } from "../components";
import { validateClusterNodeRolesArgs } from "../components/clusterNodeRoles";
import { ClusterConfig, clusterKeyOf, contextOf, StackConfig } from "./config";

/** The component args of one cluster: its queues, login pools and S3Access from the stack file, bound by `boundary`. */
export function clusterArgs(cfg: StackConfig, c: ClusterConfig, boundary: pulumi.Input<string>): ClusterNodeRolesArgs {
    const read = c.dataBucket ? [{ bucketName: c.dataBucket }] : [];
    const write = c.dataWritePrefix ? [{ bucketName: c.dataBucket, keyName: c.dataWritePrefix, enableWriteAccess: true }] : [];
    return {
        ...contextOf(cfg),
        clusterName: c.name,
        parallelClusterVersion: cfg.parallelClusterVersion,
        scheduler: c.scheduler,
        queues: c.queues.map((name) => ({ name, s3Access: [...read, ...write] })),
        loginNodePools: c.loginPools.map((name) => ({ name, s3Access: read })),
        secretArns: cfg.secretArns,
        s3Access: read,
        permissionsBoundaryArn: boundary,
    };
}

/**
 * The stack's boundary: what its clusters' roles reach besides ParallelCluster's own resources (data buckets,
 * secrets) and, with scopeToRegion, its region only.
 */
export function boundaryArgs(cfg: StackConfig): PermissionsBoundaryArgs {
    const buckets = [...new Set(cfg.clusters.map((c) => c.dataBucket).filter((b) => b !== ""))];
    return {
        ...contextOf(cfg),
        s3Buckets: buckets,
        secretArns: cfg.secretArns,
        ...(cfg.regionScope === "*" ? {} : { regions: [cfg.regionScope] }),
    };
}

/** Checks for validateComponents: each cluster's args against the component's own validation, in the stack file's words. */
export function clusterChecks(cfg: StackConfig, boundary: string): Array<[(field: string) => string, () => unknown]> {
    return cfg.clusters.map((c, i) => [clusterKeyOf(i), () => validateClusterNodeRolesArgs(c.name, clusterArgs(cfg, c, boundary))]);
}

export function createClusters(cfg: StackConfig, boundary: pulumi.Input<string>): ClusterNodeRoles[] {
    return cfg.clusters.map((c) => new ClusterNodeRoles(c.name, clusterArgs(cfg, c, boundary)));
}

/** Every role and instance profile of a cluster's component, one entry each (their number is known before deployment). */
export function stackRoleAndProfileArns(c: ClusterNodeRoles): pulumi.Output<string>[] {
    const profiles = [c.headNodeInstanceProfile, ...Object.values(c.computeInstanceProfiles), ...Object.values(c.loginNodeInstanceProfiles)];
    return [...c.roleArns, ...profiles.map((p) => p.arn)];
}

/** Outputs by cluster name (`clusters` and the components are in the same order). */
export function byCluster<T>(cfg: StackConfig, clusters: ClusterNodeRoles[], pick: (c: ClusterNodeRoles) => pulumi.Output<T>): pulumi.Output<Record<string, T>> {
    return pulumi.all(Object.fromEntries(clusters.map((c, i) => [cfg.clusters[i].name, pick(c)]))) as pulumi.Output<Record<string, T>>;
}
