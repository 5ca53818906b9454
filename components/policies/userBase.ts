/**
 * The base user policy: what the person or pipeline running `pcluster` needs for any cluster
 * (guide: "Base user policy required to invoke AWS ParallelCluster features").
 */
import { PolicyContext, checkContext, iamArn, parseArn, s3Arn, validateArn, validateUnique } from "./context";
import { awsManagedPolicyArn, ec2PassedToService } from "./partition";
import { ALL_REGIONS, allow, limitToRegion, resolveRegionScope, scopedArn } from "./regionScope";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

export interface UserBaseOptions {
    /**
     * Secrets named in the cluster configuration (e.g. DirectoryService PasswordSecretArn), so
     * `pcluster` can validate them with `secretsmanager:DescribeSecret`. Without any, the statement is
     * left out and ParallelCluster skips secret validation.
     */
    readonly secretArns?: readonly string[];
    /** "*" (default: all regions, the guide's form) or one region of the context's partition. */
    readonly regionScope?: string;
}

/** Validates `secretArns`: secret ARNs in the partition, unique, no `*`, in the scoped region if any. */
function validateSecrets(ctx: PolicyContext, secrets: readonly string[], scope: string): string[] {
    if (!Array.isArray(secrets)) throw new Error(`secretArns: '${String(secrets)}' is not a list; expected a list of Secrets Manager secret ARNs`);
    secrets.forEach((s, i) => {
        const field = `secretArns[${i}]`;
        validateArn(ctx, field, s, "secret");
        // `-??????` (the random suffix) is fine; `*` would reach secrets nobody named.
        if (s.includes("*")) throw new Error(`${field}: '${s}' contains '*'; expected one secret's ARN (use '-??????' for the random suffix)`);
        const region = parseArn(s)?.region;
        if (scope !== ALL_REGIONS && region !== scope) {
            throw new Error(`${field}: '${s}' is in region '${region}', outside regionScope '${scope}'; expected a secret in ${scope}`);
        }
    });
    validateUnique("secretArns", secrets);
    return [...secrets];
}

export function userBasePolicy(ctx: PolicyContext, opts: UserBaseOptions = {}): PolicyDocument {
    checkContext(ctx);
    const scope = resolveRegionScope(ctx, opts.regionScope);
    const secrets = validateSecrets(ctx, opts.secretArns ?? [], scope);
    const regional = (stmt: PolicyStatement) => limitToRegion(stmt, scope);

    const statements: PolicyStatement[] = [
        regional(allow("EC2Read", ["ec2:Describe*"], "*")),
        regional(allow("EC2Write", [
            "ec2:AllocateAddress", "ec2:AssociateAddress", "ec2:AttachNetworkInterface",
            "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateFleet",
            "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:CreateNetworkInterface",
            "ec2:CreatePlacementGroup", "ec2:CreateSecurityGroup", "ec2:CreateSnapshot", "ec2:CreateTags",
            "ec2:CreateVolume", "ec2:DeleteLaunchTemplate", "ec2:DeleteNetworkInterface", "ec2:DeletePlacementGroup",
            "ec2:DeleteSecurityGroup", "ec2:DeleteVolume", "ec2:DisassociateAddress", "ec2:ModifyLaunchTemplate",
            "ec2:ModifyNetworkInterfaceAttribute", "ec2:ModifyVolume", "ec2:ModifyVolumeAttribute", "ec2:ReleaseAddress",
            "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RunInstances", "ec2:TerminateInstances",
        ], "*")),
        allow("DynamoDB", [
            "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:CreateTable", "dynamodb:DeleteTable",
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:TagResource",
        ], scopedArn(ctx, scope, "dynamodb", "table/parallelcluster-*")),
        // Route 53 is global: never region-conditioned.
        allow("Route53HostedZones", [
            "route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource", "route53:CreateHostedZone",
            "route53:DeleteHostedZone", "route53:GetChange", "route53:GetHostedZone", "route53:ListResourceRecordSets",
            "route53:ListQueryLoggingConfigs",
        ], "*"),
        regional(allow("CloudFormation", ["cloudformation:*"], "*")),
        regional(allow("CloudWatch", [
            "cloudwatch:PutDashboard", "cloudwatch:ListDashboards", "cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard",
        ], "*")),
        allow("IamRead", ["iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:SimulatePrincipalPolicy", "iam:GetInstanceProfile"], [
            iamArn(ctx, "role/*"),
            iamArn(ctx, "policy/*"),
            awsManagedPolicyArn(ctx.partition, "*"),
            iamArn(ctx, "instance-profile/*"),
        ]),
        allow("IamInstanceProfile", [
            "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
        ], [iamArn(ctx, "instance-profile/parallelcluster/*")]),
        allow("IamPassRole", ["iam:PassRole"], [iamArn(ctx, "role/parallelcluster/*")], {
            StringEqualsIfExists: { "iam:PassedToService": ["lambda.amazonaws.com", ...ec2PassedToService(ctx.partition), "spotfleet.amazonaws.com"] },
        }),
        allow("Lambda", [
            "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunction",
            "lambda:InvokeFunction", "lambda:AddPermission", "lambda:RemovePermission", "lambda:UpdateFunctionConfiguration",
            "lambda:TagResource", "lambda:ListTags", "lambda:UntagResource",
        ], [scopedArn(ctx, scope, "lambda", "function:parallelcluster-*"), scopedArn(ctx, scope, "lambda", "function:pcluster-*")]),
        // S3 ARNs have no region field: the template conditions these statements instead.
        regional(allow("S3ResourcesBucket", ["s3:*"], [s3Arn(ctx, "parallelcluster-*"), s3Arn(ctx, "aws-parallelcluster-*")])),
        // ParallelCluster's regional buckets are named `<region>-aws-parallelcluster…`.
        regional(allow("S3ParallelClusterReadOnly", ["s3:Get*", "s3:List*"], s3Arn(ctx, `${scope}-aws-parallelcluster*`))),
        allow("EFS", ["elasticfilesystem:*"], [scopedArn(ctx, scope, "elasticfilesystem", "*")]),
        regional(allow("CloudWatchLogs", [
            "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups", "logs:CreateLogGroup",
            "logs:FilterLogEvents", "logs:GetLogEvents", "logs:CreateExportTask", "logs:DescribeLogStreams",
            "logs:DescribeExportTasks",
        ], "*")),
    ];
    // Only real secrets: the guide's `<SECRET NAME>` placeholder is never emitted.
    if (secrets.length > 0) statements.push(allow("SecretsManagerValidation", ["secretsmanager:DescribeSecret"], secrets));
    return policyDocument(statements);
}
