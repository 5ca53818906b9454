/**
 * parallelcluster-no-exclusive-policy-attachment: `aws.iam.PolicyAttachment` owns every attachment of
 * its policy in the account, so creating or updating one detaches the policy from all other roles,
 * users and groups, including roles ParallelCluster created itself.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { label, TYPES } from "../lib/iam";
import { validateTypes } from "../lib/validate";
import { isUnknown, list, str } from "../lib/values";

export const NAME = "parallelcluster-no-exclusive-policy-attachment";

export const noExclusivePolicyAttachment: ResourceValidationPolicy = {
    name: NAME,
    description: "Forbids aws.iam.PolicyAttachment, which detaches its policy from every other role, user and group in the account.",
    enforcementLevel: "mandatory",
    validateResource: validateTypes({
        [TYPES.policyAttachment]: (p, args, report) => {
            const arn = str(p.policyArn);
            const policy = typeof arn === "string" ? `'${arn}'` : "its policy";
            const roles = list(p.roles);
            const one = isUnknown(roles) || roles.length === 0 ? "" : ` (e.g. role: '${String(str(roles[0]) ?? "…")}')`;
            report(
                `${label(args.type, args.name)}: aws.iam.PolicyAttachment is exclusive across the whole account; it detaches ${policy} from every ` +
                    `role, user and group it does not list. Fix: replace it with one aws.iam.RolePolicyAttachment per role${one} ` +
                    "(aws.iam.UserPolicyAttachment / aws.iam.GroupPolicyAttachment for users and groups).",
            );
        },
    }),
};
