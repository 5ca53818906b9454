/**
 * User policy for `pcluster build-image` / `delete-image`
 * (guide: "User Policy to use AWS ParallelCluster image build features").
 */
import { PolicyContext, checkContext, iamArn, s3Arn } from "./context";
import { ec2PassedToService } from "./partition";
import { allow, limitToRegion, resolveRegionScope, scopedArn } from "./regionScope";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

export interface UserImageBuildOptions {
    /** "*" (default) or one region of the context's partition. */
    readonly regionScope?: string;
    /**
     * Restricted mode: the Image Builder instance profile and role are pre-created, so no PassRole on the path and no
     * instance-profile writes (README R1). Default false.
     */
    readonly preCreatedRoles?: boolean;
}

export function userImageBuildPolicy(ctx: PolicyContext, opts: UserImageBuildOptions = {}): PolicyDocument {
    checkContext(ctx);
    if (opts.preCreatedRoles !== undefined && typeof opts.preCreatedRoles !== "boolean") {
        throw new Error(`preCreatedRoles: '${String(opts.preCreatedRoles)}' is not a boolean; expected true or false`);
    }
    const preCreated = opts.preCreatedRoles === true;
    const scope = resolveRegionScope(ctx, opts.regionScope);
    const regional = (stmt: PolicyStatement) => limitToRegion(stmt, scope);
    const ib = (resource: string) => scopedArn(ctx, scope, "imagebuilder", resource);
    return policyDocument([
        regional(allow("EC2", [
            "ec2:DescribeImages", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DeregisterImage", "ec2:DeleteSnapshot",
        ], "*")),
        allow("IAM", preCreated ? ["iam:GetRole", "iam:GetRolePolicy", "iam:GetInstanceProfile"] : [
            "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:GetRole", "iam:GetRolePolicy",
            "iam:GetInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
        ], [
            iamArn(ctx, "instance-profile/parallelcluster/*"),
            iamArn(ctx, "instance-profile/ParallelClusterImage*"),
            iamArn(ctx, "role/parallelcluster/*"),
        ]),
        ...(preCreated ? [] : [allow("IAMPassRole", ["iam:PassRole"], [iamArn(ctx, "instance-profile/parallelcluster/*"), iamArn(ctx, "role/parallelcluster/*")], {
            StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", ...ec2PassedToService(ctx.partition)] },
        })]),
        allow("CloudWatch", ["logs:CreateLogGroup", "logs:DeleteLogGroup"], [
            scopedArn(ctx, scope, "logs", "log-group:/aws/imagebuilder/ParallelClusterImage-*"),
            scopedArn(ctx, scope, "logs", "log-group:/aws/lambda/ParallelClusterImage-*"),
        ]),
        // The log group of the cleanup function gets the stack tags (template CloudWatchBuildImage).
        allow("CloudWatchTags", ["logs:TagResource", "logs:UntagResource"], [scopedArn(ctx, scope, "logs", "log-group:/aws/lambda/ParallelClusterImage-*")]),
        // DescribeStackResource: describe-image reads the image resource's status (models/imagebuilder_resources.py).
        allow("CloudFormation", ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResource"],
            [scopedArn(ctx, scope, "cloudformation", "stack/*")]),
        // D31: delete-image deletes only ParallelCluster's stacks (tagged parallelcluster:version, _get_cfn_tags); the
        // template's DeleteStack on stack/* deletes any stack with its service role.
        allow("CloudFormationDeleteImageStack", ["cloudformation:DeleteStack"], [scopedArn(ctx, scope, "cloudformation", "stack/*")],
            { StringLike: { "aws:ResourceTag/parallelcluster:version": "*" } }),
        // build-image tags its stack with the image id (models/imagebuilder.py _get_cfn_tags): create only such stacks.
        allow("CloudFormationCreateImageStack", ["cloudformation:CreateStack"], [scopedArn(ctx, scope, "cloudformation", "stack/*")],
            { "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:image_id"] } }),
        allow("Lambda", [
            "lambda:CreateFunction", "lambda:GetFunction", "lambda:AddPermission", "lambda:RemovePermission",
            "lambda:DeleteFunction", "lambda:TagResource", "lambda:ListTags", "lambda:UntagResource",
        ], [scopedArn(ctx, scope, "lambda", "function:ParallelClusterImage-*")]),
        regional(allow("ImageBuilderGet", ["imagebuilder:Get*"], "*")),
        allow("ImageBuilder", [
            "imagebuilder:CreateImage", "imagebuilder:TagResource", "imagebuilder:CreateImageRecipe", "imagebuilder:CreateComponent",
            "imagebuilder:CreateDistributionConfiguration", "imagebuilder:CreateInfrastructureConfiguration", "imagebuilder:DeleteImage",
            "imagebuilder:DeleteComponent", "imagebuilder:DeleteImageRecipe", "imagebuilder:DeleteInfrastructureConfiguration",
            "imagebuilder:DeleteDistributionConfiguration", "imagebuilder:CancelImageCreation",
        ], [
            ib("image/parallelclusterimage-*"),
            ib("image-recipe/parallelclusterimage-*"),
            ib("component/parallelclusterimage-*"),
            ib("distribution-configuration/parallelclusterimage-*"),
            ib("infrastructure-configuration/parallelclusterimage-*"),
        ]),
        regional(allow("S3Bucket", ["s3:CreateBucket", "s3:ListBucket", "s3:ListBucketVersions"], [s3Arn(ctx, "parallelcluster-*")])),
        // The guide mixes `sns:` and `SNS:`; actions are case-insensitive, one spelling reads better.
        allow("SNS", [
            "sns:GetTopicAttributes", "sns:TagResource", "sns:CreateTopic", "sns:Subscribe", "sns:Publish", "sns:DeleteTopic", "sns:Unsubscribe",
        ], [scopedArn(ctx, scope, "sns", "ParallelClusterImage-*")]),
        regional(allow("S3Objects", [
            "s3:PutObject", "s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion",
        ], [s3Arn(ctx, "parallelcluster-*/*")])),
        // The service-linked role lives in this account; the guide's `iam::*:` account wildcard is tightened.
        allow("ImageBuilderServiceLinkedRole", ["iam:CreateServiceLinkedRole"],
            iamArn(ctx, "role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"),
            { StringLike: { "iam:AWSServiceName": "imagebuilder.amazonaws.com" } }),
    ]);
}
