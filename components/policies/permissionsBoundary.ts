/**
 * The permissions boundary for PermissionsBoundary mode (guide: "`PermissionsBoundary` mode",
 * `Iam/PermissionsBoundary`). It caps every role ParallelCluster creates: the allows keep every node and
 * Lambda role (and every allow-listed AWS-managed policy) working; the denies stop IAM escalation, so a
 * bound role can only ever mint roles bound by this same boundary, on the ParallelCluster path.
 */
import { OPERATOR_PATH, allowedPolicyArnPatterns, operatorArnPattern } from "./allowlist";
import { PolicyContext, checkContext, iamArn, regionalArn } from "./context";
import { MANAGED_POLICY_MAX_CHARS, POLICY_NAME_MAX, policySize, validateIamName, validatePath, validateParallelClusterPath } from "./limits";
import { ec2PassedToService } from "./partition";
import { PolicyDocument, policyDocument } from "./types";

export interface PermissionsBoundaryOptions {
    /** The boundary policy's own name, so the document can protect itself (default "parallelcluster-permissions-boundary"). */
    readonly policyName?: string;
    /** The boundary policy's own path (default "/parallelcluster/"). */
    readonly policyPath?: string;
    /** IAM path of ParallelCluster roles/profiles (default "/parallelcluster/"); must be `/parallelcluster/` or below it. */
    readonly iamPath?: string;
    /** Also let bound roles attach `service-role/AWSLambdaVPCAccessExecutionRole` (Lambda functions in a VPC). */
    readonly lambdaVpcAccess?: boolean;
}

export const DEFAULT_BOUNDARY_POLICY_NAME = "parallelcluster-permissions-boundary";
export const DEFAULT_BOUNDARY_POLICY_PATH = OPERATOR_PATH;
export const DEFAULT_BOUNDARY_IAM_PATH = "/parallelcluster/";

interface ResolvedOptions {
    policyName: string;
    policyPath: string;
    iamPath: string;
    lambdaVpcAccess: boolean;
}

function resolveOptions(opts: PermissionsBoundaryOptions | undefined): ResolvedOptions {
    if (opts === null || (opts !== undefined && typeof opts !== "object")) {
        throw new Error(`opts: '${String(opts)}' is not an options object; expected { policyName?, policyPath?, iamPath?, lambdaVpcAccess? }`);
    }
    const o = opts ?? {};
    const policyName = validateIamName("policyName", o.policyName ?? DEFAULT_BOUNDARY_POLICY_NAME, POLICY_NAME_MAX);
    const policyPath = validatePath("policyPath", o.policyPath ?? DEFAULT_BOUNDARY_POLICY_PATH);
    const iamPath = validateParallelClusterPath("iamPath", o.iamPath ?? DEFAULT_BOUNDARY_IAM_PATH);
    if (o.lambdaVpcAccess !== undefined && typeof o.lambdaVpcAccess !== "boolean") {
        throw new Error(`lambdaVpcAccess: '${String(o.lambdaVpcAccess)}' is not a boolean; expected true or false`);
    }
    return { policyName, policyPath, iamPath, lambdaVpcAccess: o.lambdaVpcAccess ?? false };
}

/** ARN of the boundary policy itself: `arn:P:iam::ACCOUNT:policy<policyPath><policyName>`. */
export function permissionsBoundaryArn(ctx: PolicyContext, opts?: PermissionsBoundaryOptions): string {
    checkContext(ctx);
    const o = resolveOptions(opts);
    return iamArn(ctx, `policy${o.policyPath}${o.policyName}`);
}

/**
 * Services the cluster's nodes and Lambda functions use broadly (the guide's policies plus the allow-listed
 * AWS-managed ones). A boundary only caps, so a service-level allow costs nothing the identity policies do not grant.
 */
const SERVICE_WIDE: readonly string[] = [
    "autoscaling:*",
    "batch:*",
    "cloudformation:*",
    "cloudwatch:*",
    "ec2:*",
    "ec2messages:*",
    "ecr:*",
    "ecs:*",
    "elasticloadbalancing:*",
    "imagebuilder:*",
    "logs:*",
    "route53:*",
    "s3:*",
    "s3-object-lambda:Get*",
    "s3-object-lambda:List*",
    "ssm:*",
    "ssmmessages:*",
    "xray:*",
    // AWSBatchFullAccess reads EKS; the cleanup Lambda tags through the tagging API.
    "eks:DescribeCluster",
    "eks:ListClusters",
    "tag:TagResources",
    // Head node: capacity reservations given as a resource group.
    "resource-groups:ListGroupResources",
];

// Role and profile writes that stay on the ParallelCluster path; each is denied elsewhere.
const IAM_PATH_WRITES: readonly string[] = [
    "iam:AddRoleToInstanceProfile",
    "iam:AttachRolePolicy",
    "iam:CreateInstanceProfile",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:CreateRole",
    "iam:DeleteInstanceProfile",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePolicy",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:SetDefaultPolicyVersion",
    "iam:TagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
];

// Services a ParallelCluster role is passed to (guide's user policies; EC2's China spelling via the partition).
function passedToServices(ctx: PolicyContext): string[] {
    return [
        ...ec2PassedToService(ctx.partition),
        "lambda.amazonaws.com",
        "spotfleet.amazonaws.com",
        "ecs-tasks.amazonaws.com",
        "batch.amazonaws.com",
        "codebuild.amazonaws.com",
    ];
}

/**
 * The default boundary document. Pure: the same context and options always give the same document.
 * Throws on a bad option, naming it, its value and what is allowed.
 */
export function permissionsBoundaryPolicy(ctx: PolicyContext, opts?: PermissionsBoundaryOptions): PolicyDocument {
    checkContext(ctx);
    const o = resolveOptions(opts);
    const self = permissionsBoundaryArn(ctx, o);
    const bound = { "iam:PermissionsBoundary": self };
    const roles = iamArn(ctx, `role${o.iamPath}*`);
    const profiles = iamArn(ctx, `instance-profile${o.iamPath}*`);
    // Account-wide, any region: IAM is global and one boundary serves every region's clusters.
    const anyRegion = (service: string, resource: string): string => regionalArn(ctx, service, resource, "*");
    const doc = policyDocument([
        { Sid: "Services", Effect: "Allow", Action: [...SERVICE_WIDE], Resource: "*" },
        // Data-bearing services stay scoped to what the roles touch.
        { Sid: "ClusterTables", Effect: "Allow", Action: "dynamodb:*", Resource: anyRegion("dynamodb", "table/parallelcluster-*") },
        {
            Sid: "Secrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: anyRegion("secretsmanager", "secret:*"),
        },
        {
            Sid: "EfsClient",
            Effect: "Allow",
            Action: "elasticfilesystem:Client*",
            Resource: anyRegion("elasticfilesystem", "file-system/*"),
        },
        {
            Sid: "ImageCleanup",
            Effect: "Allow",
            Action: ["lambda:DeleteFunction", "lambda:RemovePermission", "sns:GetTopicAttributes", "sns:DeleteTopic", "sns:GetSubscriptionAttributes", "sns:Unsubscribe"],
            Resource: [anyRegion("lambda", "function:ParallelClusterImage-*"), anyRegion("sns", "ParallelClusterImage-*")],
        },
        {
            // AWS Batch clusters: ParallelCluster's ManageDockerImages function builds the job image with CodeBuild.
            Sid: "BatchImageBuild",
            Effect: "Allow",
            Action: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
            Resource: anyRegion("codebuild", "project/pcluster-*"),
        },
        {
            // EC2InstanceProfileForImageBuilder's only KMS use, with its own condition.
            Sid: "ImageBuilderKms",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "aws:imagebuilder:arn", "aws:CalledVia": ["imagebuilder.amazonaws.com"] } },
        },
        // IAM: enumerated and scoped; never iam:* or sts:*.
        { Sid: "IamList", Effect: "Allow", Action: ["iam:ListRoles", "iam:ListInstanceProfiles"], Resource: "*" },
        { Sid: "IamRead", Effect: "Allow", Action: ["iam:GetRole", "iam:GetInstanceProfile"], Resource: [iamArn(ctx, "role/*"), iamArn(ctx, "instance-profile/*")] },
        {
            Sid: "IamPassRole",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEqualsIfExists: { "iam:PassedToService": passedToServices(ctx) } },
        },
        {
            // Roles only bound by this boundary. iam:PolicyARN exists only on AttachRolePolicy, where it must be
            // on ParallelCluster's allow-list (the guide's PermissionsBoundary-mode condition).
            Sid: "IamBoundRoles",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"],
            Resource: roles,
            Condition: {
                StringEquals: bound,
                ArnLikeIfExists: { "iam:PolicyARN": allowedPolicyArnPatterns(ctx.partition, ctx.accountId, { lambdaVpcAccess: o.lambdaVpcAccess }) },
                // The operator's policies (the user's, this boundary) share the allow-list's path prefix.
                ArnNotLikeIfExists: { "iam:PolicyARN": operatorArnPattern(ctx.partition, ctx.accountId, "policy") },
            },
        },
        // Removing permissions never escalates; the cleanup Lambda deletes build roles this way.
        { Sid: "IamRoleCleanup", Effect: "Allow", Action: ["iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:TagRole"], Resource: roles },
        {
            Sid: "IamProfiles",
            Effect: "Allow",
            Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"],
            Resource: profiles,
        },
        // Service-linked roles carry AWS-defined permissions and trust only their service.
        { Sid: "IamServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: iamArn(ctx, "role/aws-service-role/*") },
        {
            Sid: "DenyIdentityAdmin",
            Effect: "Deny",
            Action: [
                // Users, groups and their credentials (keys, passwords, SSH keys, certificates, MFA), and identity providers.
                "iam:*User*",
                "iam:*Group*",
                "iam:*AccessKey*",
                "iam:*LoginProfile*",
                "iam:*SSH*",
                "iam:*Credential*",
                "iam:*Certificate*",
                "iam:*MFA*",
                "iam:*Provider*",
            ],
            Resource: "*",
        },
        { Sid: "DenyBoundaryChange", Effect: "Deny", Action: ["iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"], Resource: "*" },
        {
            Sid: "DenyUnboundRole",
            Effect: "Deny",
            Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"],
            Resource: "*",
            Condition: { StringNotEquals: bound },
        },
        {
            Sid: "DenyIamOffPath",
            Effect: "Deny",
            Action: [...IAM_PATH_WRITES],
            NotResource: [roles, profiles, iamArn(ctx, "policy/parallelcluster*")],
        },
        // The operator's user role shares the path prefix: never passed by a bound role (the other role writes
        // need the boundary on the target, which the operator's role lacks).
        { Sid: "DenyOperatorPass", Effect: "Deny", Action: "iam:PassRole", Resource: operatorArnPattern(ctx.partition, ctx.accountId, "role") },
        {
            Sid: "DenySelfEdit",
            Effect: "Deny",
            Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
            Resource: self,
        },
    ]);
    // The ARNs repeat the names and paths, so only very long ones can push the document over the limit.
    const size = policySize(doc);
    if (size > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(
            `policyName/policyPath/iamPath: '${o.policyName}', '${o.policyPath}', '${o.iamPath}' make the boundary ${size} non-whitespace characters; ` +
                `a managed policy holds at most ${MANAGED_POLICY_MAX_CHARS}, so use shorter names or paths`,
        );
    }
    return doc;
}
