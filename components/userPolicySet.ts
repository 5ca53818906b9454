/** Pure: which user policy documents a ClusterUserRole needs, keyed by stable child suffix. */
import { PolicyContext } from "./policies/context";
import { PolicyDocument, asList } from "./policies/types";
import { userBasePolicy } from "./policies/userBase";
import { userBatchPolicy } from "./policies/userBatch";
import { userFsxPolicy } from "./policies/userFsx";
import { userImageBuildPolicy } from "./policies/userImageBuild";
import { userIamPermissionsBoundaryPolicy, userIamPrivilegedPolicy, userIamRestrictedPolicy } from "./policies/userIam";

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
    extraAllowedPolicyArns: readonly string[];
    lambdaVpcAccess: boolean;
    regionScope: string;
    /** LoginNodes pools (userBase `loginNodes`). */
    loginNodes?: boolean;
    /** Capacity-reservation resource groups (userBase `capacityReservationResourceGroups`). */
    capacityReservationResourceGroups?: boolean;
}

// Statements of the base and image-build policies (Sids as the builders set them) that restricted mode drops:
// the path-wide PassRole, and instance-profile writes (pre-created profiles need none, and the pattern
// covers the administrator's profiles).
const RESTRICTED_DROPS = new Set(["IamPassRole", "IAMPassRole", "IamInstanceProfile"]);
const PROFILE_WRITES = new Set(["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"]);

/** In restricted mode the user passes only the listed roles and writes no IAM: keep the reads only. */
function restricted(doc: PolicyDocument): PolicyDocument {
    const statements = doc.Statement.filter((s) => !RESTRICTED_DROPS.has(s.Sid ?? "")).map((s) => {
        if (s.Sid !== "IAM") return s;
        return { ...s, Action: asList(s.Action).filter((a) => !PROFILE_WRITES.has(a)) };
    });
    return { ...doc, Statement: statements };
}

/** The documents by suffix, in a fixed order: base, batch, fsx, image-build, iam. */
export function userPolicyDocuments(ctx: PolicyContext, i: UserPolicyInputs): Array<[string, PolicyDocument]> {
    // The Batch policy passes any role on the path, and ParallelCluster cannot take every Batch role pre-created.
    if (i.iamMode === "restricted" && i.batch) throw new Error(`batch: 'true' is not available with iamMode 'restricted'`);
    const scope = { regionScope: i.regionScope };
    const restrict = i.iamMode === "restricted" ? restricted : (d: PolicyDocument) => d;
    const out: Array<[string, PolicyDocument]> = [["base", restrict(userBasePolicy(ctx, {
        ...scope,
        secretArns: i.secretArns,
        loginNodes: i.loginNodes,
        capacityReservationResourceGroups: i.capacityReservationResourceGroups,
    }))]];
    if (i.batch) out.push(["batch", userBatchPolicy(ctx, scope)]);
    if (i.fsx) out.push(["fsx", userFsxPolicy(ctx, { ...scope, buckets: i.fsxBuckets })]);
    if (i.imageBuild) out.push(["image-build", restrict(userImageBuildPolicy(ctx, scope))]);
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
    return out;
}
