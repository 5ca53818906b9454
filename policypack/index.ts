/** The CrossGuard pack: only constructs the PolicyPack; each policy lives in its own module under policies/. */
import { PolicyPack } from "@pulumi/policy";
import { allowedManagedPolicies } from "./policies/allowedManagedPolicies";
import { iamPathPolicy } from "./policies/iamPath";
import { managedPolicyQuota } from "./policies/managedPolicyQuota";
import { noAdminWildcards } from "./policies/noAdminWildcards";
import { noExclusivePolicyAttachment } from "./policies/noExclusivePolicyAttachment";
import { passRoleScoped } from "./policies/passRoleScoped";
import { permissionsBoundary } from "./policies/permissionsBoundary";
import { policySizePolicy } from "./policies/policySize";
import { validActions } from "./policies/validActions";

new PolicyPack("parallelcluster-iam", {
    description: "AWS ParallelCluster 3 IAM guardrails: allow-listed managed policies, the ParallelCluster path, boundaries, scoped PassRole, no admin wildcards, IAM size limits and quotas.",
    policies: [
        allowedManagedPolicies,
        noExclusivePolicyAttachment,
        iamPathPolicy,
        permissionsBoundary,
        passRoleScoped,
        noAdminWildcards,
        policySizePolicy,
        managedPolicyQuota,
        validActions,
    ],
});
