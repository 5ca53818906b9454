/** Trust (assume-role) policies: EC2 for instance roles, Lambda for function roles, and people/pipelines for the cluster-user role. */
import { PolicyContext, checkContext, validateArn, validateNonEmptyList, validateUnique } from "./context";
import { ec2Principal, lambdaPrincipal } from "./partition";
import { PolicyDocument, PolicyStatement, policyDocument } from "./types";

function serviceTrust(service: string): PolicyDocument {
    return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
}

/** EC2 may assume the role (`ec2.amazonaws.com.cn` in China). */
export function ec2TrustPolicy(ctx: PolicyContext): PolicyDocument {
    checkContext(ctx);
    return serviceTrust(ec2Principal(ctx.partition));
}

/** Lambda may assume the role. */
export function lambdaTrustPolicy(ctx: PolicyContext): PolicyDocument {
    checkContext(ctx);
    return serviceTrust(lambdaPrincipal(ctx.partition));
}

export interface UserTrustOptions {
    /** Role, user or account-root ARNs in the context's partition that may assume the cluster-user role. */
    readonly principalArns: readonly string[];
    /** Require `aws:MultiFactorAuthPresent`. Default false. */
    readonly requireMfa?: boolean;
}

/** Who may assume the cluster-user role. */
export function userTrustPolicy(ctx: PolicyContext, opts: UserTrustOptions): PolicyDocument {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { principalArns, requireMfa? }`);
    const principals = validateNonEmptyList("principalArns", opts.principalArns, "IAM role, user or account-root ARN");
    principals.forEach((p, i) => validateArn(ctx, `principalArns[${i}]`, p, "principal"));
    validateUnique("principalArns", principals);
    if (opts.requireMfa !== undefined && typeof opts.requireMfa !== "boolean") {
        throw new Error(`requireMfa: '${String(opts.requireMfa)}' is not a boolean; expected true or false`);
    }
    const statement: PolicyStatement = {
        Effect: "Allow",
        Principal: { AWS: principals.length === 1 ? principals[0] : [...principals] },
        Action: "sts:AssumeRole",
    };
    if (opts.requireMfa) statement.Condition = { Bool: { "aws:MultiFactorAuthPresent": "true" } };
    return policyDocument([statement]);
}
