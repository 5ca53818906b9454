/**
 * staging — PermissionsBoundary mode: ParallelCluster creates roles, each bound by the boundary. The user
 * role carries the base, AWS Batch and boundary-conditioned IAM policies. The AWS Batch cluster's head
 * node role is pre-created, bound by the same boundary.
 */
import { ClusterNodeRoles, ClusterUserRole, PermissionsBoundary } from "../components";
import { StackConfig, contextOf, requireSet } from "./config";

export function staging(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const boundary = new PermissionsBoundary("staging-boundary", { ...ctx });
    const user = new ClusterUserRole("staging-user", {
        ...ctx,
        iamMode: "permissionsBoundary",
        permissionsBoundaryArn: boundary.arn,
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        requireMfa: cfg.requireMfa,
        batch: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
    const clusterName = requireSet(cfg, "clusterName", "staging", "the AWS Batch cluster's name");
    const cluster = new ClusterNodeRoles(clusterName, {
        ...ctx,
        clusterName,
        scheduler: "awsbatch",
        secretArns: cfg.secretArns,
        permissionsBoundaryArn: boundary.arn,
    });
    return {
        userRoleArn: user.roleArn,
        permissionsBoundaryArn: boundary.arn,
        clusterConfig: cluster.clusterConfig,
        clusterConfigYaml: cluster.clusterConfigYaml,
    };
}
