/**
 * dev — privileged IAM mode: ParallelCluster creates the cluster roles itself. The user role carries the
 * base, FSx for Lustre, image-build and privileged IAM policies; an SSM access policy is offered for
 * clusters' AdditionalIamPolicies.
 */
import { AdditionalPolicy, ClusterUserRole } from "../components";
import { StackConfig, contextOf, requireSet } from "./config";

export function dev(cfg: StackConfig) {
    const ctx = contextOf(cfg);
    const ssm = new AdditionalPolicy("dev-ssm", {
        ...ctx,
        preset: "ssmAccess",
        bucket: requireSet(cfg, "ssmBucket", "dev", "the SSM access policy's bucket"),
    });
    const user = new ClusterUserRole("dev-user", {
        ...ctx,
        iamMode: "privileged",
        trustedPrincipalArns: cfg.trustedPrincipalArns,
        requireMfa: cfg.requireMfa,
        fsx: true,
        fsxBuckets: cfg.fsxBuckets,
        imageBuild: true,
        secretArns: cfg.secretArns,
        regionScope: cfg.regionScope,
    });
    return {
        userRoleArn: user.roleArn,
        userPolicyArns: user.policyArns,
        // Paste into HeadNode/Iam/AdditionalIamPolicies or SlurmQueues/Iam/AdditionalIamPolicies as `- Policy: <arn>`.
        ssmAccessPolicyArn: ssm.arn,
    };
}
