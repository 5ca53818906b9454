/**
 * The three IAM modes of the user policy (guide: "User Policy to manage IAM resources"):
 * privileged (ParallelCluster creates roles), PermissionsBoundary (it creates them bound to a boundary)
 * and restricted (an administrator pre-creates the roles; the user may only pass them).
 */
import { allowedPolicyArnPatterns, operatorProtectionStatements, validateBoundaryArn, validateExtraPolicyArns } from "./allowlist";
import { PolicyContext, checkContext, iamArn, validateArn, validateNonEmptyList, validateUnique } from "./context";
import { ec2PassedToService } from "./partition";
import { allow } from "./regionScope";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

export interface UserIamAttachOptions {
    /**
     * Further concrete policy ARNs (in the context's partition) that
     * `AdditionalIamPolicies` may attach, beyond ParallelCluster's allow-list.
     */
    readonly extraPolicyArns?: readonly string[];
    /** Also allow `service-role/AWSLambdaVPCAccessExecutionRole` (Lambda functions in a VPC). */
    readonly lambdaVpcAccess?: boolean;
}

function attachablePatterns(ctx: PolicyContext, opts: UserIamAttachOptions): string[] {
    const extras = validateExtraPolicyArns(ctx, "extraPolicyArns", opts.extraPolicyArns);
    return allowedPolicyArnPatterns(ctx.partition, ctx.accountId, { lambdaVpcAccess: opts.lambdaVpcAccess === true, extraPolicyArns: extras });
}

/** Statements both creating modes share; `boundary` adds the PermissionsBoundary condition where the guide has it. */
function creatingModeStatements(ctx: PolicyContext, opts: UserIamAttachOptions, boundary?: string): PolicyStatement[] {
    const roles = iamArn(ctx, "role/parallelcluster/*");
    const bound = boundary ? { "iam:PermissionsBoundary": [boundary] } : undefined;
    const policyArnLike = { "iam:PolicyARN": attachablePatterns(ctx, opts) };
    return [
        allow("IamRole", ["iam:CreateServiceLinkedRole", "iam:DeleteRole", "iam:TagRole"], [roles]),
        allow("IamCreateRole", ["iam:CreateRole"], [roles], bound && { StringEquals: bound }),
        allow("IamInlinePolicy", ["iam:PutRolePolicy", "iam:DeleteRolePolicy"], roles, bound && { StringEquals: bound }),
        // One condition block: the policy must be allow-listed AND the role bound (both must hold).
        allow("IamPolicy", ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], roles,
            bound ? { StringEquals: bound, ArnLike: policyArnLike } : { ArnLike: policyArnLike }),
        // The operator's own role and policies live below role/ and policy/parallelcluster/ too: out of reach.
        ...operatorProtectionStatements(ctx.partition, ctx.accountId),
    ];
}

/** Privileged mode: ParallelCluster creates its roles. The guide warns this amounts to IAM admin in the account. */
export function userIamPrivilegedPolicy(ctx: PolicyContext, opts: UserIamAttachOptions = {}): PolicyDocument {
    checkContext(ctx);
    return policyDocument(creatingModeStatements(ctx, opts));
}

/** PermissionsBoundary mode: roles may only be created and changed with `boundaryArn` as their boundary. */
export function userIamPermissionsBoundaryPolicy(ctx: PolicyContext, opts: UserIamAttachOptions & { readonly boundaryArn: string }): PolicyDocument {
    checkContext(ctx);
    const boundary = opts?.boundaryArn;
    if (boundary === undefined) throw new Error(`boundaryArn: 'undefined' is missing; expected arn:${ctx.partition}:iam::<account|aws>:policy/[<path>/]<name>`);
    validateBoundaryArn(ctx, "boundaryArn", boundary);
    return policyDocument(creatingModeStatements(ctx, opts, boundary));
}

/**
 * Restricted mode: no IAM writes; the user may pass only the pre-created roles (and instance
 * profiles) listed. The guide shows a bare statement; this is a whole document.
 */
export function userIamRestrictedPolicy(ctx: PolicyContext, opts: { readonly passRoleArns: readonly string[] }): PolicyDocument {
    checkContext(ctx);
    const arns = validateNonEmptyList("passRoleArns", opts?.passRoleArns, "role or instance-profile ARN");
    // A wildcard could pass roles nobody reviewed (e.g. an admin role) to EC2 or Lambda.
    arns.forEach((a, i) => validateOneRoleOrProfile(ctx, `passRoleArns[${i}]`, a, "pre-created role or instance profile"));
    validateUnique("passRoleArns", arns);
    return policyDocument([
        allow("IamPassRole", ["iam:PassRole"], [...arns], {
            StringEqualsIfExists: {
                "iam:PassedToService": [
                    "ecs-tasks.amazonaws.com", "lambda.amazonaws.com", ...ec2PassedToService(ctx.partition),
                    "spotfleet.amazonaws.com", "batch.amazonaws.com", "codebuild.amazonaws.com",
                ],
            },
        }),
    ]);
}

/**
 * The stack's own roles and instance profiles (`protectedArns`): they sit on `/parallelcluster/` next to the roles
 * ParallelCluster creates, so the path-wide IAM grants of the creating modes reach them. Passing and reading stay
 * allowed; every other IAM request on them is denied (README D33).
 */
export function userProtectedStatement(ctx: PolicyContext, arns: readonly string[]): PolicyStatement {
    checkContext(ctx);
    arns.forEach((a, i) => validateProtectedArn(ctx, `protectedArns[${i}]`, a));
    validateUnique("protectedArns", arns);
    return { Sid: "DenyStackRoleWrites", Effect: "Deny", NotAction: ["iam:PassRole", "iam:Get*", "iam:List*"], Resource: [...arns] };
}

/** One role or instance-profile ARN of the stack, without wildcards. */
export function validateProtectedArn(ctx: PolicyContext, field: string, value: string): void {
    validateOneRoleOrProfile(ctx, field, value, "role or instance profile of the stack");
}

/** One role or instance-profile ARN in the partition, without wildcards; `what` names it in the error. */
function validateOneRoleOrProfile(ctx: PolicyContext, field: string, value: string, what: string): void {
    validateArn(ctx, field, value, typeof value === "string" && /^arn:[^:]*:iam::[^:]*:instance-profile\//.test(value) ? "instance-profile" : "role");
    if (/[*?]/.test(value)) throw new Error(`${field}: '${value}' contains a wildcard; expected the ARN of one ${what}`);
}
