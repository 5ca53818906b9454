/**
 * Benchmark baseline: the same IAM as the components program, written by hand with raw @pulumi/aws resources
 * (roles, inline policies, attachments, instance profiles) and the same documents, no components.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../../components/common";
import { makeContext, PolicyContext } from "../../../components/policies/context";
import { computeNodePolicy } from "../../../components/policies/computeNode";
import { headNodePolicy } from "../../../components/policies/headNode";
import { lambdaFunctionsPolicy } from "../../../components/policies/lambdaFunctions";
import { ec2TrustPolicy, lambdaTrustPolicy } from "../../../components/policies/trust";
import { RolePolicySet } from "../../../components/policies/types";
import { clusterPlan } from "../plan";

const PATH = "/parallelcluster/";

function nodeRole(ctx: pulumi.Output<PolicyContext>, logical: string, o: { tags: Record<string, string>; trust: pulumi.Output<string>; set: (c: PolicyContext) => RolePolicySet; managed: string[]; inlineName: string; profile: boolean; description: string }): aws.iam.Role {
    const role = new aws.iam.Role(logical, { path: PATH, description: o.description, assumeRolePolicy: o.trust, tags: o.tags });
    new aws.iam.RolePolicy(`${logical}-policy`, { role: role.name, name: o.inlineName, policy: ctx.apply((c) => JSON.stringify(o.set(c).inlinePolicy)) });
    for (const arn of o.managed) new aws.iam.RolePolicyAttachment(`${logical}-${shortHash(arn)}`, { role: role.name, policyArn: arn });
    if (o.profile) new aws.iam.InstanceProfile(logical, { path: PATH, role: role.name, tags: o.tags });
    return role;
}

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const ctx = pulumi.all([identity.accountId, region.region]).apply(([accountId, r]) => makeContext({ accountId, region: r }));
const known = makeContext({ accountId: "000000000000", region: "us-east-1" });
const ec2Trust = ctx.apply((c) => JSON.stringify(ec2TrustPolicy(c)));
const lambdaTrust = ctx.apply((c) => JSON.stringify(lambdaTrustPolicy(c)));
const roles: aws.iam.Role[] = [];
for (const { cluster, queues } of clusterPlan(new pulumi.Config().requireNumber("queues"))) {
    const tag = (purpose: string, extra: Record<string, string>) => ({ "parallelcluster-iam:purpose": purpose, "parallelcluster-iam:cluster": cluster, ...extra });
    for (const q of queues) {
        const set = (c: PolicyContext) => computeNodePolicy(c, { clusterName: cluster, cloudWatchLogs: true });
        roles.push(nodeRole(ctx, `${cluster}-compute-${q}`, { tags: tag("compute-node", { "parallelcluster-iam:queue": q }), trust: ec2Trust, set, managed: set(known).managedPolicyArns, inlineName: "parallelcluster-compute-node", profile: true, description: `ParallelCluster compute nodes of cluster ${cluster}, queue ${q}` }));
    }
    const head = (c: PolicyContext) => headNodePolicy(c, { scheduler: "slurm", clusterName: cluster, cloudWatchLogs: true });
    roles.push(nodeRole(ctx, `${cluster}-head-node`, { tags: tag("head-node", { "parallelcluster-iam:scheduler": "slurm" }), trust: ec2Trust, set: head, managed: head(known).managedPolicyArns, inlineName: "parallelcluster-head-node", profile: true, description: `ParallelCluster head node of cluster ${cluster} (slurm)` }));
    const lambda = (c: PolicyContext) => lambdaFunctionsPolicy(c, { scheduler: "slurm" });
    roles.push(nodeRole(ctx, `${cluster}-lambda-functions`, { tags: tag("lambda-functions", { "parallelcluster-iam:scheduler": "slurm" }), trust: lambdaTrust, set: lambda, managed: lambda(known).managedPolicyArns, inlineName: "parallelcluster-lambda-functions", profile: false, description: `ParallelCluster Lambda functions of cluster ${cluster}` }));
}
export const roleCount = pulumi.all(roles.map((r) => r.arn)).apply((a) => a.length);
