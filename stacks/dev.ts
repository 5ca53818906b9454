/**
 * dev — privileged IAM mode: ParallelCluster creates the cluster roles itself. The user role carries the
 * base, FSx for Lustre, image-build and privileged IAM policies; an SSM access policy is offered for
 * clusters' AdditionalIamPolicies.
 */
import { AdditionalPolicy, AdditionalPolicyArgs, ClusterUserRole, ClusterUserRoleArgs } from "../components";
import { validateAdditionalPolicyArgs } from "../components/additionalPolicy";
import { validateClusterUserRoleArgs } from "../components/clusterUserRole";
import { StackConfig, contextOf, validateComponents } from "./config";

export function dev(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const ssmArgs: AdditionalPolicyArgs = { ...ctx, preset: "ssmAccess", bucket: cfg.ssmBucket };
    const userArgs: ClusterUserRoleArgs = {
        ...ctx,
        parallelClusterVersion: cfg.parallelClusterVersion,
        iamMode: "privileged",
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        pipelinePrincipalArns: cfg.pipelinePrincipalArns,
        requireMfa: cfg.requireMfa,
        fsx: true,
        fsxBuckets: cfg.fsxBuckets,
        imageBuild: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    };
    validateComponents([() => validateAdditionalPolicyArgs("dev-ssm", ssmArgs), () => validateClusterUserRoleArgs(userArgs)]);

    const ssm = new AdditionalPolicy("dev-ssm", ssmArgs);
    const user = new ClusterUserRole("dev-user", userArgs);
    return {
        userRoleArn: user.roleArn,
        userPolicyArns: user.policyArns,
        // Paste into HeadNode/Iam/AdditionalIamPolicies or SlurmQueues/Iam/AdditionalIamPolicies as `- Policy: <arn>`.
        ssmAccessPolicyArn: ssm.arn,
    };
}
