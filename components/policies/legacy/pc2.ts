/**
 * ParallelCluster 2.x (legacy) policies from the 2.x IAM guide: ParallelClusterInstancePolicy and
 * ParallelClusterUserPolicy. Errata fixed (`efs:` is `elasticfilesystem:`); per-cluster placeholders become the
 * name patterns ParallelCluster 2 uses (see docs/deviations/nodes.md).
 */
import { PolicyContext, checkContext, iamArn, regionalArn, s3Arn } from "../context";
import { validateScheduler } from "../headNode";
import { ec2PassedToService } from "../partition";
import { PolicyDocument, PolicyStatement, policyDocument } from "../types";

export type Pc2Scheduler = "sge" | "slurm" | "torque" | "awsbatch";
export const PC2_SCHEDULERS: readonly Pc2Scheduler[] = ["sge", "slurm", "torque", "awsbatch"];

export interface Pc2Options {
    readonly scheduler: Pc2Scheduler;
}

function checkOpts(ctx: PolicyContext, opts: Pc2Options): Pc2Scheduler {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { scheduler }`);
    return validateScheduler("scheduler", opts.scheduler, PC2_SCHEDULERS);
}

// ParallelCluster 2 names its stacks, its resources bucket and the roles its stacks create `parallelcluster-*`
// (the 2.x guide's awsbatch user policy scopes them so); Batch names ECS clusters `<compute-env>_Batch_<uuid>`.
const PC2_STACK = "stack/parallelcluster-*/*";
const PC2_BUCKET = "parallelcluster-*";
const PC2_ROLE = "role/parallelcluster-*";
const PC2_PROFILE = "instance-profile/parallelcluster-*";

/**
 * The services ParallelCluster 2's stacks hand its roles to: instances, the stacks' Lambda functions and, with
 * AWS Batch, the compute environment, job, spot fleet and image-build roles. The guide passes to any service.
 */
function pc2PassedToService(ctx: PolicyContext, scheduler: Pc2Scheduler): string[] {
    const batch = scheduler === "awsbatch" ? ["batch.amazonaws.com", "ecs-tasks.amazonaws.com", "spotfleet.amazonaws.com", "codebuild.amazonaws.com"] : [];
    return [...ec2PassedToService(ctx.partition), "lambda.amazonaws.com", ...batch];
}

/** PassRole of ParallelCluster 2's own roles, to the services that take them (the guide: any role, any service). */
function passRole(ctx: PolicyContext, sid: string, services: string[]): PolicyStatement {
    return { Sid: sid, Effect: "Allow", Action: ["iam:PassRole"], Resource: iamArn(ctx, PC2_ROLE), Condition: { StringEquals: { "iam:PassedToService": services } } };
}

/** ParallelClusterInstancePolicy. */
export function pc2InstancePolicy(ctx: PolicyContext, opts: Pc2Options): PolicyDocument {
    const scheduler = checkOpts(ctx, opts);
    if (scheduler === "awsbatch") {
        return policyDocument([
            {
                Effect: "Allow",
                Action: [
                    "batch:SubmitJob",
                    "batch:RegisterJobDefinition",
                    "cloudformation:DescribeStacks",
                    "ecs:ListContainerInstances",
                    "ecs:DescribeContainerInstances",
                    "logs:GetLogEvents",
                    "logs:FilterLogEvents",
                    "s3:PutObject",
                    "s3:Get*",
                    "s3:DeleteObject",
                ],
                Resource: [
                    regionalArn(ctx, "batch", "job-definition/*"),
                    regionalArn(ctx, "batch", "job-queue/*"),
                    regionalArn(ctx, "cloudformation", PC2_STACK),
                    s3Arn(ctx, `${PC2_BUCKET}/batch/*`),
                    regionalArn(ctx, "ecs", "cluster/*_Batch_*"),
                    regionalArn(ctx, "ecs", "container-instance/*"),
                    regionalArn(ctx, "logs", "log-group:/aws/batch/job:log-stream:*"),
                ],
            },
            // awsbsub registers job definitions with the cluster's job role (the guide: in the statement above, any service).
            passRole(ctx, "PassJobRole", ["batch.amazonaws.com", "ecs-tasks.amazonaws.com"]),
            { Effect: "Allow", Action: ["s3:List*"], Resource: [s3Arn(ctx, PC2_BUCKET)] },
            {
                Effect: "Allow",
                Action: [
                    "batch:DescribeJobQueues",
                    "batch:TerminateJob",
                    "batch:DescribeJobs",
                    "batch:CancelJob",
                    "batch:DescribeJobDefinitions",
                    "batch:ListJobs",
                    "batch:DescribeComputeEnvironments",
                    "ec2:DescribeInstances",
                ],
                Resource: "*",
            },
        ]);
    }
    return policyDocument([
        {
            Sid: "EC2",
            Effect: "Allow",
            Action: ["ec2:DescribeVolumes", "ec2:AttachVolume", "ec2:DescribeInstanceAttribute", "ec2:DescribeInstanceStatus", "ec2:DescribeInstances", "ec2:DescribeRegions"],
            Resource: ["*"],
        },
        { Sid: "DynamoDBList", Effect: "Allow", Action: ["dynamodb:ListTables"], Resource: ["*"] },
        {
            Sid: "SQSQueue",
            Effect: "Allow",
            Action: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueUrl"],
            Resource: [regionalArn(ctx, "sqs", "parallelcluster-*")],
        },
        {
            Sid: "Autoscaling",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
                "autoscaling:SetDesiredCapacity",
                "autoscaling:DescribeTags",
                "autoScaling:UpdateAutoScalingGroup",
                "autoScaling:SetInstanceHealth",
            ],
            Resource: ["*"],
        },
        {
            Sid: "DynamoDBTable",
            Effect: "Allow",
            Action: ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"],
            Resource: [regionalArn(ctx, "dynamodb", "table/parallelcluster-*")],
        },
        { Sid: "S3GetObj", Effect: "Allow", Action: ["s3:GetObject"], Resource: [s3Arn(ctx, `${ctx.region}-aws-parallelcluster/*`)] },
        {
            Sid: "CloudFormationDescribe",
            Effect: "Allow",
            Action: ["cloudformation:DescribeStacks", "cloudformation:DescribeStackResource"],
            Resource: [regionalArn(ctx, "cloudformation", PC2_STACK)],
        },
        { Sid: "SQSList", Effect: "Allow", Action: ["sqs:ListQueues"], Resource: ["*"] },
    ]);
}

const EC2_DESCRIBE: PolicyStatement = {
    Sid: "EC2Describe",
    Effect: "Allow",
    Action: [
        "ec2:DescribeKeyPairs",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeSnapshots",
        "ec2:DescribeVolumes",
        "ec2:DescribeVpcAttribute",
        "ec2:DescribeAddresses",
        "ec2:CreateTags",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeAvailabilityZones",
    ],
    Resource: "*",
};

// The 2.x guide's EC2Modify list; the awsbatch variant lacks ec2:RevokeSecurityGroupEgress.
function ec2Modify(withRevokeEgress: boolean): PolicyStatement {
    return {
        Sid: "EC2Modify",
        Effect: "Allow",
        Action: [
            "ec2:CreateVolume",
            "ec2:RunInstances",
            "ec2:AllocateAddress",
            "ec2:AssociateAddress",
            "ec2:AttachNetworkInterface",
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:CreateNetworkInterface",
            "ec2:CreateSecurityGroup",
            "ec2:ModifyVolumeAttribute",
            "ec2:ModifyNetworkInterfaceAttribute",
            "ec2:DeleteNetworkInterface",
            "ec2:DeleteVolume",
            "ec2:TerminateInstances",
            "ec2:DeleteSecurityGroup",
            "ec2:DisassociateAddress",
            "ec2:RevokeSecurityGroupIngress",
            ...(withRevokeEgress ? ["ec2:RevokeSecurityGroupEgress"] : []),
            "ec2:ReleaseAddress",
            "ec2:CreatePlacementGroup",
            "ec2:DeletePlacementGroup",
        ],
        Resource: "*",
    };
}

/** ParallelClusterUserPolicy. */
export function pc2UserPolicy(ctx: PolicyContext, opts: Pc2Options): PolicyDocument {
    const scheduler = checkOpts(ctx, opts);
    const r = ctx.region;
    if (scheduler === "awsbatch") {
        return policyDocument([
            { ...EC2_DESCRIBE },
            ec2Modify(false),
            {
                Sid: "DynamoDB",
                Effect: "Allow",
                Action: ["dynamodb:DescribeTable", "dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:TagResource"],
                Resource: regionalArn(ctx, "dynamodb", "table/parallelcluster-*"),
            },
            {
                Sid: "CloudFormation",
                Effect: "Allow",
                Action: [
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:DescribeStackResource",
                    "cloudformation:DescribeStackResources",
                    "cloudformation:DescribeStacks",
                    "cloudformation:ListStacks",
                    "cloudformation:GetTemplate",
                    "cloudformation:CreateStack",
                    "cloudformation:DeleteStack",
                    "cloudformation:UpdateStack",
                ],
                Resource: regionalArn(ctx, "cloudformation", "stack/parallelcluster-*"),
            },
            {
                Sid: "SQS",
                Effect: "Allow",
                Action: ["sqs:GetQueueAttributes", "sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:TagQueue"],
                Resource: "*",
            },
            {
                Sid: "SQSQueue",
                Effect: "Allow",
                Action: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueUrl"],
                Resource: regionalArn(ctx, "sqs", "parallelcluster-*"),
            },
            { Sid: "SNS", Effect: "Allow", Action: ["sns:ListTopics", "sns:GetTopicAttributes", "sns:CreateTopic", "sns:Subscribe", "sns:DeleteTopic"], Resource: "*" },
            {
                Sid: "IAMRole",
                Effect: "Allow",
                Action: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:TagRole", "iam:SimulatePrincipalPolicy"],
                Resource: iamArn(ctx, PC2_ROLE),
            },
            passRole(ctx, "IAMPassRole", pc2PassedToService(ctx, scheduler)),
            {
                Sid: "IAMInstanceProfile",
                Effect: "Allow",
                Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile"],
                Resource: iamArn(ctx, PC2_PROFILE),
            },
            {
                Sid: "IAM",
                Effect: "Allow",
                Action: [
                    "iam:AddRoleToInstanceProfile",
                    "iam:RemoveRoleFromInstanceProfile",
                    "iam:GetRolePolicy",
                    "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy",
                ],
                Resource: [iamArn(ctx, PC2_ROLE), iamArn(ctx, PC2_PROFILE)],
            },
            { Sid: "S3ResourcesBucket", Effect: "Allow", Action: ["s3:*"], Resource: [s3Arn(ctx, PC2_BUCKET)] },
            { Sid: "S3ParallelClusterReadOnly", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: [s3Arn(ctx, `${r}-aws-parallelcluster/*`)] },
            {
                Sid: "Lambda",
                Effect: "Allow",
                Action: [
                    "lambda:CreateFunction",
                    "lambda:DeleteFunction",
                    "lambda:GetFunctionConfiguration",
                    "lambda:InvokeFunction",
                    "lambda:AddPermission",
                    "lambda:RemovePermission",
                ],
                Resource: regionalArn(ctx, "lambda", "function:parallelcluster-*"),
            },
            { Sid: "Logs", Effect: "Allow", Action: ["logs:*"], Resource: regionalArn(ctx, "logs", "*") },
            { Sid: "CodeBuild", Effect: "Allow", Action: ["codebuild:*"], Resource: regionalArn(ctx, "codebuild", "project/parallelcluster-*") },
            { Sid: "ECR", Effect: "Allow", Action: ["ecr:*"], Resource: "*" },
            { Sid: "Batch", Effect: "Allow", Action: ["batch:*"], Resource: "*" },
            { Sid: "AmazonCloudWatchEvents", Effect: "Allow", Action: ["events:*"], Resource: "*" },
        ]);
    }
    return policyDocument([
        { ...EC2_DESCRIBE },
        ec2Modify(true),
        { Sid: "AutoScalingDescribe", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances"], Resource: "*" },
        {
            Sid: "AutoScalingModify",
            Effect: "Allow",
            Action: [
                "autoscaling:CreateAutoScalingGroup",
                "ec2:CreateLaunchTemplate",
                "ec2:ModifyLaunchTemplate",
                "ec2:DeleteLaunchTemplate",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribeLaunchTemplateVersions",
                "autoscaling:PutNotificationConfiguration",
                "autoscaling:UpdateAutoScalingGroup",
                "autoscaling:PutScalingPolicy",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DeleteAutoScalingGroup",
                "autoscaling:DeletePolicy",
                "autoscaling:DisableMetricsCollection",
                "autoscaling:EnableMetricsCollection",
            ],
            Resource: "*",
        },
        { Sid: "DynamoDBDescribe", Effect: "Allow", Action: ["dynamodb:DescribeTable"], Resource: "*" },
        { Sid: "DynamoDBModify", Effect: "Allow", Action: ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:TagResource"], Resource: "*" },
        { Sid: "SQSDescribe", Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: "*" },
        { Sid: "SQSModify", Effect: "Allow", Action: ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:TagQueue"], Resource: "*" },
        { Sid: "SNSDescribe", Effect: "Allow", Action: ["sns:ListTopics", "sns:GetTopicAttributes"], Resource: "*" },
        { Sid: "SNSModify", Effect: "Allow", Action: ["sns:CreateTopic", "sns:Subscribe", "sns:DeleteTopic"], Resource: "*" },
        {
            Sid: "CloudFormationDescribe",
            Effect: "Allow",
            Action: [
                "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeStackResource",
                "cloudformation:DescribeStackResources",
                "cloudformation:DescribeStacks",
                "cloudformation:ListStacks",
                "cloudformation:GetTemplate",
            ],
            Resource: "*",
        },
        { Sid: "CloudFormationModify", Effect: "Allow", Action: ["cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:UpdateStack"], Resource: "*" },
        { Sid: "S3ParallelClusterReadOnly", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: [s3Arn(ctx, `${r}-aws-parallelcluster*`)] },
        {
            Sid: "IAMModify",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:TagRole", "iam:SimulatePrincipalPolicy"],
            Resource: iamArn(ctx, PC2_ROLE),
        },
        passRole(ctx, "IAMPassRole", pc2PassedToService(ctx, scheduler)),
        { Sid: "IAMCreateInstanceProfile", Effect: "Allow", Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile"], Resource: iamArn(ctx, PC2_PROFILE) },
        {
            Sid: "IAMInstanceProfile",
            Effect: "Allow",
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:GetRolePolicy",
                "iam:AttachRolePolicy",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
            ],
            Resource: [iamArn(ctx, PC2_ROLE), iamArn(ctx, PC2_PROFILE)],
        },
        { Sid: "IAMReadPolicies", Effect: "Allow", Action: ["iam:GetPolicy"], Resource: "*" },
        {
            Sid: "EFSDescribe",
            Effect: "Allow",
            // The guide's `efs:` prefix does not exist; Amazon EFS actions are `elasticfilesystem:`.
            Action: ["elasticfilesystem:DescribeMountTargets", "elasticfilesystem:DescribeMountTargetSecurityGroups", "ec2:DescribeNetworkInterfaceAttribute"],
            Resource: "*",
        },
        { Sid: "SSMDescribe", Effect: "Allow", Action: ["ssm:GetParametersByPath"], Resource: "*" },
    ]);
}
