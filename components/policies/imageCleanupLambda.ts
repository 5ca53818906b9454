/**
 * The image build cleanup Lambda role (Build/Iam/CleanupLambdaRole): the guide's minimal policy (plus the VPC
 * access policy with `vpc`), its IAM and stack grants confined to what build-image creates (README D28).
 */
import { LAMBDA_VPC_ACCESS_POLICY } from "./allowlist";
import { PolicyContext, arn, checkContext, iamArn, regionalArn } from "./context";
import { awsManagedPolicyArn } from "./partition";
import { RolePolicySet, policyDocument } from "./types";

export interface ImageCleanupLambdaOptions {
    /**
     * The cleanup function runs in a VPC (build-image DeploymentSettings/LambdaFunctionsVpcConfig): also attach
     * AWSLambdaVPCAccessExecutionRole, as ParallelCluster's imagebuilder_stack.py does (README D18).
     */
    readonly vpc?: boolean;
}

/** Managed policies and the inline document of the Lambda that deletes an image build's resources. */
export function imageCleanupLambdaPolicy(ctx: PolicyContext, opts: ImageCleanupLambdaOptions = {}): RolePolicySet {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { vpc? }`);
    if (opts.vpc !== undefined && typeof opts.vpc !== "boolean") throw new Error(`vpc: '${String(opts.vpc)}' is not a boolean; expected true or false`);
    const ib = (resource: string): string => regionalArn(ctx, "imagebuilder", resource);
    return {
        managedPolicyArns: [
            awsManagedPolicyArn(ctx.partition, "service-role/AWSLambdaBasicExecutionRole"),
            ...(opts.vpc ? [awsManagedPolicyArn(ctx.partition, LAMBDA_VPC_ACCESS_POLICY)] : []),
        ],
        inlinePolicy: policyDocument([
            // build-image names its role, cleanup role and profile ParallelClusterImage[Cleanup]-<id> on /parallelcluster/
            // (imagebuilder_stack.py _build_resource_name, IAM_ROLE_PATH); the guide's role/parallelcluster/* reaches every
            // cluster's pre-created roles and the operator's.
            { Effect: "Allow", Action: ["iam:DetachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy"], Resource: iamArn(ctx, "role/parallelcluster/ParallelClusterImage*") },
            {
                Effect: "Allow",
                Action: ["iam:DeleteInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
                Resource: iamArn(ctx, "instance-profile/parallelcluster/ParallelClusterImage*"),
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
            // The image stack is named by the user's image id, but always tagged parallelcluster:image_id (imagebuilder.py
            // _get_cfn_tags); the guide's stack/*/* deletes any stack, with its service role.
            {
                Effect: "Allow",
                Action: "cloudformation:DeleteStack",
                Resource: regionalArn(ctx, "cloudformation", "stack/*/*"),
                Condition: { StringLike: { "aws:ResourceTag/parallelcluster:image_id": "*" } },
            },
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
