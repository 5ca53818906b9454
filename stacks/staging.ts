/**
 * staging — PermissionsBoundary mode: ParallelCluster creates roles, each bound by the boundary. The user
 * role carries the base, AWS Batch and boundary-conditioned IAM policies. The node roles of the `clusters`
 * (Slurm or AWS Batch) are pre-created, bound by the same boundary.
 */
import { ClusterUserRole, ClusterUserRoleArgs, PermissionsBoundary } from "../components";
import { validateClusterUserRoleArgs } from "../components/clusterUserRole";
import { validatePermissionsBoundaryArgs } from "../components/permissionsBoundary";
import { byCluster, clusterChecks, createClusters, boundaryArgs, stackRoleAndProfileArns } from "./clusters";
import { StackConfig, contextOf, placeholders, validateComponents } from "./config";

export function staging(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const userArgs = (permissionsBoundaryArn: ClusterUserRoleArgs["permissionsBoundaryArn"], protectedArns: ClusterUserRoleArgs["protectedArns"]): ClusterUserRoleArgs => ({
        ...ctx,
        parallelClusterVersion: cfg.parallelClusterVersion,
        iamMode: "permissionsBoundary",
        permissionsBoundaryArn,
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        pipelinePrincipalArns: cfg.pipelinePrincipalArns,
        requireMfa: cfg.requireMfa,
        batch: cfg.clusters.some((c) => c.scheduler === "awsbatch"),
        loginNodes: cfg.clusters.some((c) => c.loginPools.length > 0),
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
        protectedArns,
    });
    const stand = placeholders(cfg);
    validateComponents([
        () => validatePermissionsBoundaryArgs("staging-boundary", boundaryArgs(cfg)),
        () => validateClusterUserRoleArgs(userArgs(stand.boundaryArn, [stand.roleArn])),
        ...clusterChecks(cfg, stand.boundaryArn),
    ]);

    const boundary = new PermissionsBoundary("staging-boundary", boundaryArgs(cfg));
    const clusters = createClusters(cfg, boundary.arn);
    // The clusters' roles share /parallelcluster/ with what ParallelCluster creates: the user passes them, never deletes them.
    const user = new ClusterUserRole("staging-user", userArgs(boundary.arn, clusters.flatMap(stackRoleAndProfileArns)));
    return {
        userRoleArn: user.roleArn,
        permissionsBoundaryArn: boundary.arn,
        clusterConfigs: byCluster(cfg, clusters, (c) => c.clusterConfig),
        clusterConfigYaml: byCluster(cfg, clusters, (c) => c.clusterConfigYaml),
    };
}
