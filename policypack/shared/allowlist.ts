/**
 * The managed policies ParallelCluster may attach with AdditionalIamPolicies: the single source of
 * truth for the user policies' attach/detach condition, component validation and the policy pack.
 */
import { PolicyContext, validateArn } from "./context";
import { Partition, arnPrefix, awsManagedPolicyArn } from "./partition";
import { PolicyStatement } from "./types";

/** AWS-managed policies on the allow-list (names below `policy/`). */
export const ALLOWED_AWS_MANAGED_POLICIES: readonly string[] = [
    "CloudWatchAgentServerPolicy",
    "AmazonSSMManagedInstanceCore",
    "AWSBatchFullAccess",
    "AmazonS3ReadOnlyAccess",
    "service-role/AWSBatchServiceRole",
    "service-role/AmazonEC2ContainerServiceforEC2Role",
    "service-role/AmazonECSTaskExecutionRolePolicy",
    "service-role/AmazonEC2SpotFleetTaggingRole",
    "EC2InstanceProfileForImageBuilder",
    "service-role/AWSLambdaBasicExecutionRole",
];

/** Attached by ParallelCluster to its Lambda role when the functions run in a VPC; opt-in. */
export const LAMBDA_VPC_ACCESS_POLICY = "service-role/AWSLambdaVPCAccessExecutionRole";

export interface AllowListOptions {
    /** Also allow `service-role/AWSLambdaVPCAccessExecutionRole`. */
    readonly lambdaVpcAccess?: boolean;
    /** Extra policy ARNs (or ArnLike patterns) to allow. */
    readonly extraPolicyArns?: readonly string[];
}

/**
 * The `ArnLike iam:PolicyARN` values: 2 customer patterns + 10 AWS-managed policies (the 12 entries),
 * then the opt-in Lambda VPC policy and the extras. `accountId` "*" matches any account.
 */
export function allowedPolicyArnPatterns(partition: Partition, accountId: string, opts: AllowListOptions = {}): string[] {
    const out = [
        `${arnPrefix(partition)}:iam::${accountId}:policy/parallelcluster*`,
        `${arnPrefix(partition)}:iam::${accountId}:policy/parallelcluster/*`,
        ...ALLOWED_AWS_MANAGED_POLICIES.map((n) => awsManagedPolicyArn(partition, n)),
    ];
    if (opts.lambdaVpcAccess) out.push(awsManagedPolicyArn(partition, LAMBDA_VPC_ACCESS_POLICY));
    for (const e of opts.extraPolicyArns ?? []) if (!out.includes(e)) out.push(e);
    return out;
}

/**
 * Where this project puts the operator's own IAM: the ParallelCluster user role, its policies and the
 * permissions boundary. It is below `/parallelcluster/` (so reviewers find everything in one place), but
 * those policies must never be attached to cluster roles, so every attach grant and check here excludes it.
 */
export const OPERATOR_PATH = "/parallelcluster/operator/";

/** `arn:P:iam::ACCOUNT:<kind>/parallelcluster/operator/*` (`accountId` "*" for any account). */
export function operatorArnPattern(partition: Partition, accountId: string, kind: "policy" | "role"): string {
    return `${arnPrefix(partition)}:iam::${accountId}:${kind}${OPERATOR_PATH}*`;
}

/** Denies that keep the operator's role and policies out of reach of whoever may attach policies to cluster roles. */
export function operatorProtectionStatements(partition: Partition, accountId: string): PolicyStatement[] {
    return [
        {
            Sid: "DenyOperatorPolicies",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy"],
            Resource: "*",
            Condition: { ArnLike: { "iam:PolicyARN": [operatorArnPattern(partition, accountId, "policy")] } },
        },
        {
            Sid: "DenyOperatorRoles",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:CreateRole", "iam:PassRole"],
            Resource: operatorArnPattern(partition, accountId, "role"),
        },
    ];
}

/** IAM's wildcards as a RegExp: `*` any run, `?` one character; `ignoreCase` for action names. */
export function iamGlob(pattern: string, ignoreCase = false): RegExp {
    const body = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&"))).join("");
    return new RegExp(`^${body}$`, ignoreCase ? "i" : "");
}

/** IAM `ArnLike` / `StringLike` matching: `*` any run, `?` one character, case-sensitive. */
export function arnLike(pattern: string, value: string): boolean {
    return iamGlob(pattern).test(value);
}

/** True when `policyArn` is accepted by the allow-list (and is not one of the operator's policies). */
export function isAllowedPolicyArn(policyArn: string, partition: Partition, accountId: string, opts: AllowListOptions = {}): boolean {
    if (arnLike(operatorArnPattern(partition, "*", "policy"), policyArn)) return false;
    return allowedPolicyArnPatterns(partition, accountId, opts).some((p) => arnLike(p, policyArn));
}

/** Human-readable description of the allow-list, for error messages. */
export function describeAllowList(partition: Partition, opts: AllowListOptions = {}): string {
    return `customer policies named 'parallelcluster*' or under path '/parallelcluster/', or one of ` +
        allowedPolicyArnPatterns(partition, "<account>", opts).slice(2).join(", ");
}

/** Throws unless the ARN is on the allow-list; the message names the field, the value and what is allowed. */
export function validateAllowedPolicyArn(field: string, policyArn: string, partition: Partition, accountId: string, opts: AllowListOptions = {}): string {
    if (!isAllowedPolicyArn(policyArn, partition, accountId, opts)) {
        throw new Error(`${field}: '${policyArn}' is not on ParallelCluster's managed-policy allow-list; allowed: ${describeAllowList(partition, opts)} (never the operator's policies under '${OPERATOR_PATH}')`);
    }
    return policyArn;
}

/**
 * True when a customer policy with this name and path would be accepted by the allow-list: its ARN's
 * resource `policy${path}${name}` must start with `policy/parallelcluster` (so a `parallelcluster*`
 * name only counts at path `/`).
 */
export function isAllowListedCustomerPolicy(name: string, path: string): boolean {
    return `${path}${name}`.startsWith("/parallelcluster") && !path.startsWith(OPERATOR_PATH);
}

/** AWS-managed policies that hand out IAM or account-wide admin: never attachable, never a boundary. */
export const ESCALATING_AWS_POLICIES: readonly string[] = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

/** The first escalating AWS policy an ARN or pattern matches, if any (`policy/*` matches them all). */
export function escalatingPolicyMatched(partition: Partition, pattern: string): string | undefined {
    return ESCALATING_AWS_POLICIES.map((n) => awsManagedPolicyArn(partition, n)).find((a) => arnLike(pattern, a));
}

/**
 * Validates extra policy ARNs that widen the allow-list: concrete policy ARNs in the partition, unique,
 * none of them an escalating AWS policy. A pattern is refused: `policy/*` would admit any policy.
 */
export function validateExtraPolicyArns(ctx: PolicyContext, field: string, arns: readonly string[] | undefined): string[] {
    if (arns === undefined) return [];
    if (!Array.isArray(arns)) throw new Error(`${field}: '${String(arns)}' is not a list; expected a list of IAM policy ARNs`);
    const seen = new Set<string>();
    arns.forEach((e, i) => {
        const f = `${field}[${i}]`;
        validateArn(ctx, f, e, "policy");
        const hit = escalatingPolicyMatched(ctx.partition, e);
        if (hit) {
            throw new Error(`${f}: '${e}' would let AdditionalIamPolicies attach '${hit}', which escalates to IAM or account admin; ` +
                `refused: ${ESCALATING_AWS_POLICIES.join(", ")}`);
        }
        if (/[*?]/.test(e)) throw new Error(`${f}: '${e}' contains a wildcard; expected one concrete policy ARN (a pattern could admit any policy of the account)`);
        if (seen.has(e)) throw new Error(`${f}: '${e}' appears more than once; each entry must be unique`);
        seen.add(e);
    });
    return [...arns];
}

/** Validates a permissions boundary ARN: one concrete policy ARN in the partition that actually bounds something. */
export function validateBoundaryArn(ctx: PolicyContext, field: string, boundary: string): string {
    validateArn(ctx, field, boundary, "policy");
    // StringEquals does not glob: a pattern would match no role; and an admin boundary bounds nothing.
    if (/[*?]/.test(boundary)) throw new Error(`${field}: '${boundary}' contains a wildcard; expected one concrete policy ARN`);
    const hit = escalatingPolicyMatched(ctx.partition, boundary);
    if (hit) throw new Error(`${field}: '${boundary}' is an admin policy and would bound nothing; refused: ${ESCALATING_AWS_POLICIES.join(", ")}`);
    return boundary;
}
