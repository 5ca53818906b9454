/**
 * prod — restricted IAM mode: an administrator pre-creates every role (Slurm cluster node roles with their
 * instance profiles, the Lambda functions role, the image build roles), all bound by a permissions boundary.
 * The user role may pass exactly these roles and manages no IAM itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterNodeRoles, ClusterUserRole, ImageBuildRoles, PermissionsBoundary } from "../components";
import { StackConfig, contextOf, requireSet } from "./config";

export function prod(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const boundary = new PermissionsBoundary("prod-boundary", { ...ctx });
    const clusterName = requireSet(cfg, "clusterName", "prod", "the Slurm cluster's name");
    const queues = requireSet(cfg, "queues", "prod", "at least one Slurm queue");
    const dataBucket = requireSet(cfg, "dataBucket", "prod", "the cluster's data bucket");
    const read = { bucketName: dataBucket };
    const write = cfg.dataWritePrefix ? [{ bucketName: dataBucket, keyName: cfg.dataWritePrefix, enableWriteAccess: true }] : [];
    const cluster = new ClusterNodeRoles(clusterName, {
        ...ctx,
        clusterName,
        scheduler: "slurm",
        queues: queues.map((name) => ({ name, s3Access: [read, ...write] })),
        secretArns: cfg.secretArns,
        s3Access: [read],
        permissionsBoundaryArn: boundary.arn,
    });
    const images = new ImageBuildRoles("images", { ...ctx, permissionsBoundaryArn: boundary.arn });
    const computeRoleArns = queues.map((q) => cluster.computeRoleArns.apply((m) => m[q]));
    const user = new ClusterUserRole("prod-user", {
        ...ctx,
        iamMode: "restricted",
        passRoleArns: [cluster.headNodeRoleArn, cluster.lambdaFunctionsRoleArn, ...computeRoleArns, images.instanceRoleArn, images.cleanupLambdaRoleArn],
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        requireMfa: cfg.requireMfa,
        imageBuild: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
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
