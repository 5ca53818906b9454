// Serves the components to other Pulumi languages: the SDK infers their schema from the TypeScript types.
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { AdditionalPolicy, ApiFunctionAccess, ClusterNodeRoles, ClusterUserRole, ImageBuildRoles, PermissionsBoundary } from "../components";

export const PROVIDER_NAME = "parallelcluster-iam";
export const COMPONENTS = [ClusterUserRole, ClusterNodeRoles, ImageBuildRoles, PermissionsBoundary, AdditionalPolicy, ApiFunctionAccess];

if (require.main === module || process.env.PULUMI_COMPONENT_PROVIDER === "1") {
    void componentProviderHost({ name: PROVIDER_NAME, components: COMPONENTS, dirname: __dirname });
}
