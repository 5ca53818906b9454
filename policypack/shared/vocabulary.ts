/**
 * The package's shared vocabulary: what a role, policy or profile is for (purposes), the tag keys that say so,
 * the components' type tokens and the IAM paths. Components, the offline engine (tools/), the manifest and the
 * policy pack import these names from here rather than spelling them again.
 */
import { OPERATOR_PATH } from "./allowlist";

/** Prefix of every tag key this package sets (user tags may not use it). */
export const TAG_PREFIX = "parallelcluster-iam:";

/** Tag keys this package sets on what it creates. */
export const TAG_KEYS = {
    purpose: "parallelcluster-iam:purpose",
    cluster: "parallelcluster-iam:cluster",
    queue: "parallelcluster-iam:queue",
    pool: "parallelcluster-iam:pool",
    scheduler: "parallelcluster-iam:scheduler",
} as const;

/** Values of the `parallelcluster-iam:purpose` tag. */
export const PURPOSES = [
    "cluster-user",
    "head-node",
    "compute-node",
    "login-node",
    "lambda-functions",
    "image-builder-instance",
    "image-cleanup-lambda",
    "permissions-boundary",
    "additional-policy",
    "api-function-access",
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The package name in type tokens (`<package>:index:<Component>`). */
export const PACKAGE = "parallelcluster-iam";

/** Type tokens of the components (also what a multi-language schema would name them). */
export const TYPE_TOKENS = {
    ClusterUserRole: "parallelcluster-iam:index:ClusterUserRole",
    ClusterNodeRoles: "parallelcluster-iam:index:ClusterNodeRoles",
    ImageBuildRoles: "parallelcluster-iam:index:ImageBuildRoles",
    PermissionsBoundary: "parallelcluster-iam:index:PermissionsBoundary",
    AdditionalPolicy: "parallelcluster-iam:index:AdditionalPolicy",
    ApiFunctionAccess: "parallelcluster-iam:index:ApiFunctionAccess",
} as const;
export type ComponentName = keyof typeof TYPE_TOKENS;

/** Where ParallelCluster's roles, profiles and allow-listed policies live (roles may use a path below it). */
export const IAM_PATH = "/parallelcluster/";

/** Where the operator's own role and policies live: below IAM_PATH but off ParallelCluster's allow-list. */
export { OPERATOR_PATH };

/** Names of the inline policies the node-role components put on their roles, by purpose. */
export const INLINE_POLICY_NAMES = {
    "head-node": "parallelcluster-head-node",
    "compute-node": "parallelcluster-compute-node",
    "login-node": "parallelcluster-login-node",
    "lambda-functions": "parallelcluster-lambda-functions",
    "image-builder-instance": "parallelcluster-image-builder",
    "image-cleanup-lambda": "parallelcluster-image-cleanup",
} as const;
