/**
 * An existing program that already owns a results bucket and a directory-service secret, and now adds the IAM
 * of one ParallelCluster cluster in another region: the components take values of its own resources, of the
 * package's AdditionalPolicy and of another stack (the operators' IAM Identity Center role) as they come.
 * (`stack-references.json` gives the referenced stack's outputs to the offline engine; the Pulumi CLI reads them
 * from the backend.)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AdditionalPolicy, ClusterNodeRoles, ClusterUserRole, PermissionsBoundary } from "parallelcluster-iam";

// What the program had before.
const west = new aws.Provider("us-west-2", { region: "us-west-2" });
const results = new aws.s3.Bucket("results", {}, { provider: west });
const directoryPassword = new aws.secretsmanager.Secret("ad-password", { name: "hpc/directory-service/password" }, { provider: west });
const identity = new pulumi.StackReference("acme/identity/prod");

// What it adds: the cluster's roles, bound, in the provider's region.
const opts = { provider: west };
// The boundary caps what bound roles reach: ParallelCluster's own resources plus the bucket and secret listed here.
const boundary = new PermissionsBoundary("hpc", { s3Buckets: [results.bucket], secretArns: [directoryPassword.arn] }, opts);
const jobs = new AdditionalPolicy("hpc-ssm", { preset: "ssmAccess", bucket: results.bucket }, opts);
const nodes = new ClusterNodeRoles("hpc", {
    clusterName: "hpc",
    queues: [{ name: "cpu", additionalIamPolicies: [jobs.arn] }, { name: "gpu" }],
    secretArns: [directoryPassword.arn],
    permissionsBoundaryArn: boundary.arn,
}, opts);
const user = new ClusterUserRole("hpc-operators", {
    iamMode: "restricted",
    trustedPrincipalArns: [identity.getOutput("hpcOperatorsRoleArn")],
    passRoleArns: nodes.roleArns,
    secretArns: [directoryPassword.arn],
}, opts);

export const resultsBucket = results.bucket;
export const userRoleArn = user.roleArn;
export const clusterConfigYaml = nodes.clusterConfigYaml;
