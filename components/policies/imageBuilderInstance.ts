/** The EC2 Image Builder instance role (Build/Iam/InstanceRole): the guide's minimal policy. */
import { PolicyContext, arn, checkContext } from "./context";
import { awsManagedPolicyArn } from "./partition";
import { RolePolicySet, policyDocument } from "./types";

/** Managed policies and the inline document of the instance that builds a custom AMI. */
export function imageBuilderInstancePolicy(ctx: PolicyContext): RolePolicySet {
    checkContext(ctx);
    return {
        managedPolicyArns: [
            awsManagedPolicyArn(ctx.partition, "AmazonSSMManagedInstanceCore"),
            awsManagedPolicyArn(ctx.partition, "EC2InstanceProfileForImageBuilder"),
        ],
        inlinePolicy: policyDocument([
            // EC2 image ARNs have an empty account field.
            { Effect: "Allow", Action: ["ec2:CreateTags", "ec2:ModifyImageAttribute"], Resource: `${arn(ctx)}:ec2:${ctx.region}::image/*` },
        ]),
    };
}
