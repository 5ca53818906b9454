/**
 * An estate of ParallelCluster accounts: the same restricted-mode setup (pre-created, bound node roles; a user
 * role that passes exactly those) in every account and region, one stack each. The account and region come from
 * the stack's AWS provider, so ARNs, partitions and names follow the stack; the policy pack is enforced for the
 * whole organisation by publishing it (`pulumi policy publish` in the pack's folder) and enabling it in the
 * organisation's default policy group, so no stack can skip it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterNodeRoles, ClusterUserRole, PermissionsBoundary } from "parallelcluster-iam";

const config = new pulumi.Config();
const clusterName = config.require("clusterName");
const queues = config.requireObject<string[]>("queues");
const operators = config.requireObject<string[]>("operators");
const pipeline = config.get("pipeline") ?? "";

export = async () => {
    const { accountId } = await aws.getCallerIdentity();
    const { partition } = await aws.getPartition();
    const role = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;

    const boundary = new PermissionsBoundary(`${pulumi.getStack()}-boundary`);
    const cluster = new ClusterNodeRoles(clusterName, { clusterName, queues: queues.map((name) => ({ name })), permissionsBoundaryArn: boundary.arn });
    const user = new ClusterUserRole(`${pulumi.getStack()}-user`, {
        iamMode: "restricted",
        trustedPrincipalArns: [...operators, ...(pipeline ? [pipeline] : [])].map(role),
        passRoleArns: [cluster.headNodeRoleArn, cluster.lambdaFunctionsRoleArn, ...queues.map((q) => cluster.computeRoleArns.apply((m) => m[q]))],
    });
    return { accountId, userRoleArn: user.roleArn, clusterConfigYaml: cluster.clusterConfigYaml };
};
