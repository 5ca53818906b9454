/**
 * prod — restricted IAM mode: an administrator pre-creates every role (Slurm cluster node roles with their
 * instance profiles, the Lambda functions role, the image build roles), all bound by a permissions boundary.
 * The user role may pass exactly these roles and manages no IAM itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterNodeRoles, ClusterNodeRolesArgs, ClusterUserRole, ClusterUserRoleArgs, ImageBuildRoles, ImageBuildRolesArgs, PermissionsBoundary } from "../components";
import { validateClusterNodeRolesArgs } from "../components/clusterNodeRoles";
import { validateClusterUserRoleArgs } from "../components/clusterUserRole";
import { validateImageBuildRolesArgs } from "../components/imageBuildRoles";
import { validatePermissionsBoundaryArgs } from "../components/permissionsBoundary";
import { StackConfig, contextOf, placeholders, validateComponents } from "./config";

export function prod(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const read = { bucketName: cfg.dataBucket };
    const write = cfg.dataWritePrefix ? [{ bucketName: cfg.dataBucket, keyName: cfg.dataWritePrefix, enableWriteAccess: true }] : [];
    const clusterArgs = (permissionsBoundaryArn: ClusterNodeRolesArgs["permissionsBoundaryArn"]): ClusterNodeRolesArgs => ({
        ...ctx,
        clusterName: cfg.clusterName,
        parallelClusterVersion: cfg.parallelClusterVersion,
        scheduler: "slurm",
        queues: cfg.queues.map((name) => ({ name, s3Access: [read, ...write] })),
        secretArns: cfg.secretArns,
        s3Access: [read],
        permissionsBoundaryArn,
    });
    const imageArgs = (permissionsBoundaryArn: ImageBuildRolesArgs["permissionsBoundaryArn"]): ImageBuildRolesArgs => ({ ...ctx, permissionsBoundaryArn });
    const userArgs = (passRoleArns: ClusterUserRoleArgs["passRoleArns"]): ClusterUserRoleArgs => ({
        ...ctx,
        parallelClusterVersion: cfg.parallelClusterVersion,
        iamMode: "restricted",
        passRoleArns,
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        requireMfa: cfg.requireMfa,
        imageBuild: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
    const stand = placeholders(cfg);
    validateComponents([
        () => validatePermissionsBoundaryArgs("prod-boundary", { ...ctx }),
        () => validateClusterNodeRolesArgs(cfg.clusterName, clusterArgs(stand.boundaryArn)),
        () => validateImageBuildRolesArgs("images", imageArgs(stand.boundaryArn)),
        () => validateClusterUserRoleArgs(userArgs([stand.roleArn])),
    ]);

    const boundary = new PermissionsBoundary("prod-boundary", { ...ctx });
    const cluster = new ClusterNodeRoles(cfg.clusterName, clusterArgs(boundary.arn));
    const images = new ImageBuildRoles("images", imageArgs(boundary.arn));
    const computeRoleArns = cfg.queues.map((q) => cluster.computeRoleArns.apply((m) => m[q]));
    const user = new ClusterUserRole("prod-user", userArgs([cluster.headNodeRoleArn, cluster.lambdaFunctionsRoleArn, ...computeRoleArns, images.instanceRoleArn, images.cleanupLambdaRoleArn]));
    return {
        userRoleArn: user.roleArn,
        permissionsBoundaryArn: boundary.arn,
        clusterConfig: cluster.clusterConfig,
        clusterConfigYaml: cluster.clusterConfigYaml,
        imageBuildConfig: images.buildConfig,
        imageBuildConfigYaml: images.buildConfigYaml,
        passRoleArns: pulumi.all([cluster.roleArns, images.roleArns]).apply(([a, b]) => [...a, ...b]),
    };
}
