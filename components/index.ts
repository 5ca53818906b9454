// The public API: the components, their Args, and the pure policy builders.
export { ClusterUserRole, ClusterUserRoleArgs, IamMode } from "./clusterUserRole";
export { ClusterNodeRoles, ClusterNodeRolesArgs, QueueArgs, LoginNodePoolArgs, ClusterIamConfig, MAX_LOGIN_NODE_POOLS } from "./clusterNodeRoles";
export { ImageBuildRoles, ImageBuildRolesArgs, ImageBuildIamConfig } from "./imageBuildRoles";
export { PermissionsBoundary, PermissionsBoundaryArgs } from "./permissionsBoundary";
export { AdditionalPolicy, AdditionalPolicyArgs, AdditionalPolicyPreset } from "./additionalPolicy";
export { ApiFunctionAccess, ApiFunctionAccessArgs, API_FUNCTION_ACCESS_POLICY_NAME } from "./apiFunctionAccess";
export * as policies from "./policies";
