// The plugin's entry point (PulumiPlugin.yaml). The SDK's plugin runner (cmd/run-plugin) finds the component
// classes this module exports and serves them as the provider named by package.json (parallelcluster-iam),
// inferring each component's schema from its TypeScript Args and outputs.
export { AdditionalPolicy, ApiFunctionAccess, ClusterNodeRoles, ClusterUserRole, ImageBuildRoles, PermissionsBoundary } from "../components";
