/**
 * ParallelCluster 2: ParallelClusterInstancePolicy (for `additional_iam_policies` of the cluster's section) and
 * ParallelClusterUserPolicy (for the people who run `pcluster`), from the 2.x guide with its errata fixed
 * (`elasticfilesystem:` for `efs:`, placeholders resolved to ParallelCluster 2's `parallelcluster-*` names).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policies } from "parallelcluster-iam";

const config = new pulumi.Config();
const scheduler = config.get("scheduler") ?? "slurm";
const operatorRoles = config.getObject<string[]>("operatorRoles") ?? [];

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const partition = aws.getPartitionOutput();
const ctx = pulumi
    .all([identity.accountId, region.region, partition.partition])
    .apply(([accountId, r, p]) => policies.makeContext({ accountId, region: r, partition: p }));

// Under /parallelcluster/, named parallelcluster-*: what ParallelCluster's allow-list accepts.
const instancePolicy = new aws.iam.Policy("instance", {
    name: `parallelcluster-v2-instance-${pulumi.getStack()}`,
    path: "/parallelcluster/",
    description: `ParallelCluster 2 instance policy (${scheduler})`,
    policy: ctx.apply((c) => JSON.stringify(policies.legacy.pc2InstancePolicy(c, { scheduler: scheduler as never }))),
});
const userPolicy = new aws.iam.Policy("user", {
    name: `parallelcluster-v2-user-${pulumi.getStack()}`,
    path: "/parallelcluster/",
    description: `ParallelCluster 2 user policy (${scheduler})`,
    policy: ctx.apply((c) => JSON.stringify(policies.legacy.pc2UserPolicy(c, { scheduler: scheduler as never }))),
});
for (const role of operatorRoles) new aws.iam.RolePolicyAttachment(`user-${role}`, { role, policyArn: userPolicy.arn });

export const instancePolicyArn = instancePolicy.arn;
export const userPolicyArn = userPolicy.arn;
