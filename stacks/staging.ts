/**
 * staging — PermissionsBoundary mode: ParallelCluster creates roles, each bound by the boundary. The user
 * role carries the base, AWS Batch and boundary-conditioned IAM policies. The AWS Batch cluster's head
 * node role is pre-created, bound by the same boundary.
 */
import { ClusterNodeRoles, ClusterNodeRolesArgs, ClusterUserRole, ClusterUserRoleArgs, PermissionsBoundary } from "../components";
import { validateClusterNodeRolesArgs } from "../components/clusterNodeRoles";
import { validateClusterUserRoleArgs } from "../components/clusterUserRole";
import { validatePermissionsBoundaryArgs } from "../components/permissionsBoundary";
import { StackConfig, contextOf, placeholders, validateComponents } from "./config";

export function staging(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const userArgs = (permissionsBoundaryArn: ClusterUserRoleArgs["permissionsBoundaryArn"]): ClusterUserRoleArgs => ({
        ...ctx,
        parallelClusterVersion: cfg.parallelClusterVersion,
        iamMode: "permissionsBoundary",
        permissionsBoundaryArn,
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        requireMfa: cfg.requireMfa,
        batch: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
    const clusterArgs = (permissionsBoundaryArn: ClusterNodeRolesArgs["permissionsBoundaryArn"]): ClusterNodeRolesArgs => ({
        ...ctx,
        clusterName: cfg.clusterName,
        parallelClusterVersion: cfg.parallelClusterVersion,
        scheduler: "awsbatch",
        secretArns: cfg.secretArns,
        permissionsBoundaryArn,
    });
    const stand = placeholders(cfg);
    validateComponents([
        () => validatePermissionsBoundaryArgs("staging-boundary", { ...ctx }),
        () => validateClusterUserRoleArgs(userArgs(stand.boundaryArn)),
        () => validateClusterNodeRolesArgs(cfg.clusterName, clusterArgs(stand.boundaryArn)),
    ]);

    const boundary = new PermissionsBoundary("staging-boundary", { ...ctx });
    const user = new ClusterUserRole("staging-user", userArgs(boundary.arn));
    const cluster = new ClusterNodeRoles(cfg.clusterName, clusterArgs(boundary.arn));
    return {
        userRoleArn: user.roleArn,
        permissionsBoundaryArn: boundary.arn,
        clusterConfig: cluster.clusterConfig,
        clusterConfigYaml: cluster.clusterConfigYaml,
    };
}
