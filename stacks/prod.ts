/**
 * prod — restricted IAM mode: an administrator pre-creates every role (the node roles of each Slurm cluster in
 * `clusters` with their instance profiles, login pools and Lambda functions role, and the image build roles),
 * all bound by a permissions boundary. The user role may pass exactly these roles and manages no IAM itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterUserRole, ClusterUserRoleArgs, ImageBuildRoles, ImageBuildRolesArgs, PermissionsBoundary } from "../components";
import { validateClusterUserRoleArgs } from "../components/clusterUserRole";
import { validateImageBuildRolesArgs } from "../components/imageBuildRoles";
import { validatePermissionsBoundaryArgs } from "../components/permissionsBoundary";
import { byCluster, clusterChecks, createClusters, boundaryArgs } from "./clusters";
import { StackConfig, contextOf, placeholders, validateComponents } from "./config";

export function prod(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const imageArgs = (permissionsBoundaryArn: ImageBuildRolesArgs["permissionsBoundaryArn"]): ImageBuildRolesArgs => ({ ...ctx, parallelClusterVersion: cfg.parallelClusterVersion, permissionsBoundaryArn });
    const userArgs = (passRoleArns: ClusterUserRoleArgs["passRoleArns"]): ClusterUserRoleArgs => ({
        ...ctx,
        parallelClusterVersion: cfg.parallelClusterVersion,
        iamMode: "restricted",
        passRoleArns,
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        pipelinePrincipalArns: cfg.pipelinePrincipalArns,
        requireMfa: cfg.requireMfa,
        imageBuild: true,
        loginNodes: cfg.clusters.some((c) => c.loginPools.length > 0),
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
    const stand = placeholders(cfg);
    validateComponents([
        () => validatePermissionsBoundaryArgs("prod-boundary", boundaryArgs(cfg)),
        ...clusterChecks(cfg, stand.boundaryArn),
        () => validateImageBuildRolesArgs("images", imageArgs(stand.boundaryArn)),
        () => validateClusterUserRoleArgs(userArgs([stand.roleArn])),
    ]);

    const boundary = new PermissionsBoundary("prod-boundary", boundaryArgs(cfg));
    const clusters = createClusters(cfg, boundary.arn);
    const images = new ImageBuildRoles("images", imageArgs(boundary.arn));
    // One entry per role, known in number before deployment (the user policy's size depends on it).
    const passRoleArns: pulumi.Output<string>[] = [...clusters.flatMap((c) => c.roleArns), ...images.roleArns];
    const user = new ClusterUserRole("prod-user", userArgs(passRoleArns));
    return {
        userRoleArn: user.roleArn,
        permissionsBoundaryArn: boundary.arn,
        clusterConfigs: byCluster(cfg, clusters, (c) => c.clusterConfig),
        clusterConfigYaml: byCluster(cfg, clusters, (c) => c.clusterConfigYaml),
        imageBuildConfig: images.buildConfig,
        imageBuildConfigYaml: images.buildConfigYaml,
        passRoleArns: pulumi.all(passRoleArns),
    };
}
