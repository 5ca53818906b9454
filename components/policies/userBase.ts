/**
 * The base user policy: what the person or pipeline running `pcluster` needs for any cluster
 * (guide: "Base user policy required to invoke AWS ParallelCluster features").
 */
import { PolicyContext, checkContext, iamArn, parseArn, s3Arn, validateArn, validateUnique } from "./context";
import { awsManagedPolicyArn, ec2PassedToService } from "./partition";
import { ALL_REGIONS, allow, limitToRegion, resolveRegionScope, scopedArn, servicesOf } from "./regionScope";
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
    /**
     * Clusters with `LoginNodes` pools (3.7+): the Auto Scaling group, Network Load Balancer, target group and
     * listener of each pool, and their service-linked roles (the template's `LoginNodesFunctionalities*`). Default false.
     */
    readonly loginNodes?: boolean;
    /**
     * Clusters that launch into capacity-reservation resource groups (`CapacityReservationResourceGroupArn`):
     * `pcluster` validates the groups (aws/resource_groups.py; the template's `ResourceGroupRead`). Default false.
     */
    readonly capacityReservationResourceGroups?: boolean;
    /**
     * Restricted mode: every role and instance profile is pre-created, so the user neither passes any role on the
     * path (the restricted IAM policy passes exactly the pre-created ones) nor writes instance profiles (README R1).
     * Default false.
     */
    readonly preCreatedRoles?: boolean;
}

function flag(field: string, v: unknown): boolean {
    if (v !== undefined && typeof v !== "boolean") throw new Error(`${field}: '${String(v)}' is not a boolean; expected true or false`);
    return v === true;
}

/** The template's login-node statements (ParallelClusterClusterPolicy2, 3.7-3.12), with the listener fix of issue #7491. */
function loginNodeStatements(ctx: PolicyContext): PolicyStatement[] {
    return [
        // Tag-keyed as the template: requests that carry tags may only carry the cluster-name tag; untagged
        // requests (describe, delete, update) are not limited by it.
        allow("LoginNodesFunctionalities", [
            "autoscaling:DeleteAutoScalingGroup", "autoscaling:DeleteLifecycleHook", "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeLifecycleHooks", "autoscaling:DescribeScalingActivities", "autoscaling:PutLifecycleHook",
            "autoscaling:UpdateAutoScalingGroup", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:ModifyLoadBalancerAttributes",
        ], "*", { "ForAllValues:StringEquals": { "aws:TagKeys": ["parallelcluster:cluster-name"] } }),
        // Their requests carry every stack tag, so the template leaves them unconditioned.
        allow("LoginNodesFunctionalitiesNoCondition", [
            "autoscaling:CreateAutoScalingGroup", "elasticloadbalancing:AddTags", "elasticloadbalancing:CreateLoadBalancer",
        ], "*"),
        // Issue aws/aws-parallelcluster#7491: CloudFormation's listener now sends the stack tags with CreateListener, which
        // the template's ForAllValues condition denies. The published mitigation: the cluster-name tag must be present.
        allow("LoginNodesCreateListener", ["elasticloadbalancing:CreateListener"], "*", {
            Null: { "aws:RequestTag/parallelcluster:cluster-name": "false" },
        }),
        // 3.12 (PR #6574): the first login pool of an account creates these service-linked roles. The template also
        // grants DeleteServiceLinkedRole on "*"; ParallelCluster never deletes them.
        allow("LoginNodesServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [
            iamArn(ctx, "role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"),
            iamArn(ctx, "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
        ], { StringEquals: { "iam:AWSServiceName": ["elasticloadbalancing.amazonaws.com", "autoscaling.amazonaws.com"] } }),
    ];
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
    const preCreated = flag("preCreatedRoles", opts.preCreatedRoles);

    const statements: PolicyStatement[] = [
        regional(allow("EC2Read", ["ec2:Describe*"], "*")),
        regional(allow("EC2Write", [
            "ec2:AllocateAddress", "ec2:AssociateAddress", "ec2:AttachNetworkInterface",
            "ec2:AuthorizeSecurityGroupEgress", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateFleet",
            "ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:CreateNetworkInterface",
            "ec2:CreatePlacementGroup", "ec2:CreateSecurityGroup", "ec2:CreateSnapshot", "ec2:CreateTags",
            "ec2:DeleteTags", "ec2:CreateVolume", "ec2:DeleteLaunchTemplate", "ec2:DeleteNetworkInterface", "ec2:DeletePlacementGroup",
            "ec2:DeleteSecurityGroup", "ec2:DeleteVolume", "ec2:DisassociateAddress", "ec2:ModifyLaunchTemplate",
            "ec2:ModifyNetworkInterfaceAttribute", "ec2:ModifyVolume", "ec2:ModifyVolumeAttribute", "ec2:ReleaseAddress",
            "ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RunInstances",
        ], "*")),
        // D30: pcluster and CloudFormation terminate the cluster's instances, all tagged with its name (stack tags,
        // launch templates); the template's TerminateInstances on "*" ends any instance of the account.
        // D32: tags are authority (EC2TerminateClusterInstances, the head node's terminate): an instance gets
        // ParallelCluster's tags when it is launched, or is already the cluster's; CreateTags never adopts another one.
        {
            Sid: "DenyTaggingForeignInstances",
            Effect: "Deny",
            Action: "ec2:CreateTags",
            Resource: scopedArn(ctx, scope, "ec2", "instance/*"),
            Condition: {
                Null: { "ec2:CreateAction": "true", "aws:ResourceTag/parallelcluster:cluster-name": "true" },
                // CloudFormation may apply an instance's tags after the launch (the head node: cluster_stack.py Tags);
                // it acts only on its stacks' resources, which the user cannot import (no change sets).
                "ForAllValues:StringNotEquals": { "aws:CalledVia": ["cloudformation.amazonaws.com"] },
            },
        },
        regional(allow("EC2TerminateClusterInstances", ["ec2:TerminateInstances"], "*", { StringLike: { "ec2:ResourceTag/parallelcluster:cluster-name": "*" } })),
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
        // The template's stack lifecycle (3.6, narrowed from cloudformation:*): create and update only stacks tagged with a
        // cluster name (pcluster tags every cluster stack, models/cluster.py _add_tags; nested stacks inherit it).
        allow("CloudFormationCreate", ["cloudformation:CreateStack"],
            scopedArn(ctx, scope, "cloudformation", "stack/*"),
            { "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:cluster-name"] } }),
        // D31: the request's tags are the caller's to choose; update and delete need a stack that already carries
        // ParallelCluster's tags (models/cluster.py _add_tags: cluster-name and version; image stacks: version).
        allow("CloudFormationUpdate", ["cloudformation:UpdateStack"],
            scopedArn(ctx, scope, "cloudformation", "stack/*"),
            {
                "ForAnyValue:StringEquals": { "aws:TagKeys": ["parallelcluster:cluster-name"] },
                StringLike: { "aws:ResourceTag/parallelcluster:cluster-name": "*" },
            }),
        allow("CloudFormationDelete", ["cloudformation:DeleteStack"], scopedArn(ctx, scope, "cloudformation", "stack/*"),
            { StringLike: { "aws:ResourceTag/parallelcluster:version": "*" } }),
        allow("CloudFormationRead", [
            "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
            "cloudformation:DescribeStackResources", "cloudformation:GetTemplate",
        ], scopedArn(ctx, scope, "cloudformation", "stack/*")),
        // list-clusters: ListStacks takes no resource; DescribeStacks without a stack name (the template's CloudFormationListImages).
        regional(allow("CloudFormationList", ["cloudformation:ListStacks", "cloudformation:DescribeStacks"], "*")),
        // Dashboards; the head node's alarms and composite alarm (cluster_stack.py _add_head_node_alarms, on by default; 3.6, 3.8).
        regional(allow("CloudWatch", [
            "cloudwatch:PutDashboard", "cloudwatch:ListDashboards", "cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard",
            "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutCompositeAlarm",
        ], "*")),
        allow("IamRead", ["iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:SimulatePrincipalPolicy", "iam:GetInstanceProfile"], [
            iamArn(ctx, "role/*"),
            iamArn(ctx, "policy/*"),
            awsManagedPolicyArn(ctx.partition, "*"),
            iamArn(ctx, "instance-profile/*"),
        ]),
        ...(preCreated ? [] : [
            allow("IamInstanceProfile", [
                "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
            ], [iamArn(ctx, "instance-profile/parallelcluster/*")]),
            allow("IamPassRole", ["iam:PassRole"], [iamArn(ctx, "role/parallelcluster/*")], {
                StringEqualsIfExists: { "iam:PassedToService": ["lambda.amazonaws.com", ...ec2PassedToService(ctx.partition), "spotfleet.amazonaws.com"] },
            }),
        ]),
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
            // Log groups get the stack tags (3.5); the dashboard's metric filters (cw_dashboard_builder.py, 3.6).
            "logs:TagResource", "logs:UntagResource", "logs:DescribeMetricFilters", "logs:PutMetricFilter", "logs:DeleteMetricFilter",
        ], "*")),
    ];
    if (flag("capacityReservationResourceGroups", opts.capacityReservationResourceGroups)) {
        statements.push(allow("ResourceGroupRead", ["resource-groups:ListGroupResources", "resource-groups:GetGroupConfiguration"],
            scopedArn(ctx, scope, "resource-groups", "group/*")));
    }
    if (flag("loginNodes", opts.loginNodes)) statements.push(...loginNodeStatements(ctx).map((st) => (servicesOf(st).includes("iam") ? st : limitToRegion(st, scope))));
    // Only real secrets: the guide's `<SECRET NAME>` placeholder is never emitted.
    if (secrets.length > 0) statements.push(allow("SecretsManagerValidation", ["secretsmanager:DescribeSecret"], secrets));
    return policyDocument(statements);
}
