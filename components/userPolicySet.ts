/** Pure: which user policy documents a ClusterUserRole needs, keyed by stable child suffix. */
import { PolicyContext } from "./policies/context";
import { PolicyDocument } from "./policies/types";
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
}

// The path-wide PassRole statements of the base and image-build policies (Sids as the builders set them).
const PATH_WIDE_PASSROLE_SIDS = new Set(["IamPassRole", "IAMPassRole"]);

/** In restricted mode the user may pass only the listed roles: drop the path-wide PassRole statements. */
function withoutPathWidePassRole(doc: PolicyDocument): PolicyDocument {
    return { ...doc, Statement: doc.Statement.filter((s) => !PATH_WIDE_PASSROLE_SIDS.has(s.Sid ?? "")) };
}

/** The documents by suffix, in a fixed order: base, batch, fsx, image-build, iam. */
export function userPolicyDocuments(ctx: PolicyContext, i: UserPolicyInputs): Array<[string, PolicyDocument]> {
    const scope = { regionScope: i.regionScope };
    const restrict = i.iamMode === "restricted" ? withoutPathWidePassRole : (d: PolicyDocument) => d;
    const out: Array<[string, PolicyDocument]> = [["base", restrict(userBasePolicy(ctx, { ...scope, secretArns: i.secretArns }))]];
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
