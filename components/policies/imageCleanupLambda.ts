/** The image build cleanup Lambda role (Build/Iam/CleanupLambdaRole): the guide's minimal policy. */
import { PolicyContext, arn, checkContext, iamArn, regionalArn } from "./context";
import { awsManagedPolicyArn } from "./partition";
import { RolePolicySet, policyDocument } from "./types";

/** Managed policies and the inline document of the Lambda that deletes an image build's resources. */
export function imageCleanupLambdaPolicy(ctx: PolicyContext): RolePolicySet {
    checkContext(ctx);
    const ib = (resource: string): string => regionalArn(ctx, "imagebuilder", resource);
    return {
        managedPolicyArns: [awsManagedPolicyArn(ctx.partition, "service-role/AWSLambdaBasicExecutionRole")],
        inlinePolicy: policyDocument([
            { Effect: "Allow", Action: ["iam:DetachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy"], Resource: iamArn(ctx, "role/parallelcluster/*") },
            {
                Effect: "Allow",
                Action: ["iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
                Resource: iamArn(ctx, "instance-profile/parallelcluster/*"),
            },
            { Effect: "Allow", Action: "imagebuilder:DeleteInfrastructureConfiguration", Resource: ib("infrastructure-configuration/parallelclusterimage-*") },
            { Effect: "Allow", Action: ["imagebuilder:DeleteComponent"], Resource: [ib("component/parallelclusterimage-*/*")] },
            { Effect: "Allow", Action: "imagebuilder:DeleteImageRecipe", Resource: ib("image-recipe/parallelclusterimage-*/*") },
            { Effect: "Allow", Action: "imagebuilder:DeleteDistributionConfiguration", Resource: ib("distribution-configuration/parallelclusterimage-*") },
            {
                Effect: "Allow",
                Action: ["imagebuilder:DeleteImage", "imagebuilder:GetImage", "imagebuilder:CancelImageCreation"],
                Resource: ib("image/parallelclusterimage-*/*"),
            },
            { Effect: "Allow", Action: "cloudformation:DeleteStack", Resource: regionalArn(ctx, "cloudformation", "stack/*/*") },
            // EC2 image ARNs have an empty account field.
            { Effect: "Allow", Action: "ec2:CreateTags", Resource: `${arn(ctx)}:ec2:${ctx.region}::image/*` },
            { Effect: "Allow", Action: "tag:TagResources", Resource: "*" },
            { Effect: "Allow", Action: ["lambda:DeleteFunction", "lambda:RemovePermission"], Resource: regionalArn(ctx, "lambda", "function:ParallelClusterImage-*") },
            { Effect: "Allow", Action: "logs:DeleteLogGroup", Resource: regionalArn(ctx, "logs", "log-group:/aws/lambda/ParallelClusterImage-*:*") },
            {
                Effect: "Allow",
                Action: ["SNS:GetTopicAttributes", "SNS:DeleteTopic", "SNS:GetSubscriptionAttributes", "SNS:Unsubscribe"],
                Resource: regionalArn(ctx, "sns", "ParallelClusterImage-*"),
            },
        ]),
    };
}
