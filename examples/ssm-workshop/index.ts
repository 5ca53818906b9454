/**
 * The HPC workshop's custom policy (SSM, ssmmessages, ec2messages; s3:* on one bucket's objects). The workshop
 * creates it as `pclusterSSM2` at path `/`, which ParallelCluster's AdditionalIamPolicies allow-list refuses
 * (only `policy/parallelcluster*` and `policy/parallelcluster/*` may be attached); AdditionalPolicy creates it on
 * /parallelcluster/, and the cluster's head node and compute nodes attach it.
 */
import * as pulumi from "@pulumi/pulumi";
import { AdditionalPolicy, ClusterNodeRoles } from "parallelcluster-iam";

const bucket = new pulumi.Config().require("bucket");
const ssm = new AdditionalPolicy("workshop-ssm", { preset: "ssmAccess", bucket });
const cluster = new ClusterNodeRoles("workshop", {
    clusterName: "workshop",
    additionalIamPolicies: [ssm.arn],
    queues: [{ name: "compute", additionalIamPolicies: [ssm.arn] }],
});

export const ssmPolicyArn = ssm.arn;
// HeadNode/Iam/InstanceProfile and SlurmQueues[]/Iam/InstanceProfile of the workshop's cluster configuration.
export const clusterConfigYaml = cluster.clusterConfigYaml;
