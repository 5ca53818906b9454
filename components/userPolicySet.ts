/** Pure: which user policy documents a ClusterUserRole needs, keyed by stable child suffix. */
import { PolicyContext } from "./policies/context";
import { PolicyDocument } from "./policies/types";
import { userBasePolicy } from "./policies/userBase";
import { userBatchPolicy } from "./policies/userBatch";
import { userFsxPolicy } from "./policies/userFsx";
import { userImageBuildPolicy } from "./policies/userImageBuild";
import { userIamPermissionsBoundaryPolicy, userIamPrivilegedPolicy, userIamRestrictedPolicy, userProtectedStatement } from "./policies/userIam";

export type IamMode = "privileged" | "restricted" | "permissionsBoundary";
export const IAM_MODES: readonly IamMode[] = ["privileged", "restricted", "permissionsBoundary"];

/** Resolved (plain) inputs of the user policy set. */
export interface UserPolicyInputs {
    iamMode: IamMode;
    batch: boolean;
    fsx: boolean;
    fsxBuckets: readonly string[];
    imageBuild: boolean;
    secretArns: readonly string[];
    boundaryArn?: string;
    passRoleArns: readonly string[];
    /** The stack's own roles and profiles: no IAM write (userProtectedStatement). */
    protectedArns?: readonly string[];
    extraAllowedPolicyArns: readonly string[];
    lambdaVpcAccess: boolean;
    regionScope: string;
    /** LoginNodes pools (userBase `loginNodes`). */
    loginNodes?: boolean;
    /** Capacity-reservation resource groups (userBase `capacityReservationResourceGroups`). */
    capacityReservationResourceGroups?: boolean;
}

/** The documents by suffix, in a fixed order: base, batch, fsx, image-build, iam. */
export function userPolicyDocuments(ctx: PolicyContext, i: UserPolicyInputs): Array<[string, PolicyDocument]> {
    // The Batch policy passes any role on the path, and ParallelCluster cannot take every Batch role pre-created.
    if (i.iamMode === "restricted" && i.batch) throw new Error(`batch: 'true' is not available with iamMode 'restricted'`);
    const scope = { regionScope: i.regionScope };
    // Restricted mode: the builders leave out the path-wide PassRole and the instance-profile writes (README R1).
    const preCreatedRoles = i.iamMode === "restricted";
    const out: Array<[string, PolicyDocument]> = [["base", userBasePolicy(ctx, {
        ...scope,
        secretArns: i.secretArns,
        loginNodes: i.loginNodes,
        capacityReservationResourceGroups: i.capacityReservationResourceGroups,
        preCreatedRoles,
    })]];
    if (i.batch) out.push(["batch", userBatchPolicy(ctx, scope)]);
    if (i.fsx) out.push(["fsx", userFsxPolicy(ctx, { ...scope, buckets: i.fsxBuckets })]);
    if (i.imageBuild) out.push(["image-build", userImageBuildPolicy(ctx, { ...scope, preCreatedRoles })]);
    const attach = { extraPolicyArns: i.extraAllowedPolicyArns, lambdaVpcAccess: i.lambdaVpcAccess };
    switch (i.iamMode) {
        case "privileged":
            out.push(["iam", userIamPrivilegedPolicy(ctx, attach)]);
            break;
        case "permissionsBoundary":
            out.push(["iam", userIamPermissionsBoundaryPolicy(ctx, { ...attach, boundaryArn: i.boundaryArn as string })]);
            break;
        case "restricted":
            out.push(["iam", userIamRestrictedPolicy(ctx, { passRoleArns: i.passRoleArns })]);
            break;
    }
    if (i.protectedArns?.length) {
        const [, iam] = out[out.length - 1];
        iam.Statement.push(userProtectedStatement(ctx, i.protectedArns));
    }
    return out;
}
