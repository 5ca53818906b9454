/**
 * parallelcluster-allowed-managed-policies: ParallelCluster roles carry only managed policies that
 * ParallelCluster's AdditionalIamPolicies allow-list accepts.
 *
 * A resource alone settles the case when it shows both the role's ParallelCluster-ness and a known
 * policy ARN (a Role's own `managedPolicyArns`; an attachment whose role name mentions ParallelCluster).
 * Everything else (a role known only by name, a policy ARN unknown during preview) is judged by the
 * stack check, which finds the role and policy resources; each attachment is judged exactly once.
 */
import { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { ResourceAndStackPolicy } from "../lib/policyTypes";
import { AllowListOptions, ESCALATING_AWS_POLICIES, OPERATOR_PATH } from "../shared/allowlist";
import { AccountView, accountOfArn, providerAccount, roleAccount } from "../lib/accounts";
import { Partition } from "../shared/partition";
import { Attachment, collectAttachments, judgeArn, judgePolicyRef, showPolicy, Verdict } from "../lib/attachments";
import { isOperatorPath, label, operatorExemption, pcByName, pcReason, providerPartition, TYPES } from "../lib/iam";
import { Ref, StackView } from "../lib/stack";
import { validateTypes } from "../lib/validate";
import { isUnknown, list, plainProps, PreviewGaps, str } from "../lib/values";

export const NAME = "parallelcluster-allowed-managed-policies";

interface Config {
    extraAllowedPolicyArns?: string[];
    allowLambdaVpcAccess?: boolean;
}

/** A case-insensitive regex alternative for a literal (JSON-schema patterns take no flags). */
function anyCase(s: string): string {
    return s.split("").map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&"))).join("");
}

/**
 * The JSON-schema pattern of one extra ARN: a concrete IAM policy ARN (no `*` or `?`, which could admit
 * any policy), never an escalating AWS policy (AdministratorAccess, IAMFullAccess, PowerUserAccess,
 * any case), never the operator's policies. The engine refuses config that does not match at Configure.
 */
export const EXTRA_ARN_PATTERN =
    "^arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}|aws):policy/" +
    `(?!(${ESCALATING_AWS_POLICIES.map(anyCase).join("|")})$)` +
    `(?!${anyCase(OPERATOR_PATH.slice(1))})` +
    "[^*?]+$";

const EXTRA_ARN_RE = new RegExp(EXTRA_ARN_PATTERN);

/** Why an extra allowed ARN is refused, or undefined (the same rules as the schema, for engines that do not validate). */
export function extraArnProblem(arn: unknown): string | undefined {
    if (typeof arn !== "string") return `${JSON.stringify(arn)} is not a string`;
    if (/[*?]/.test(arn)) return `'${arn}' contains a wildcard, which could admit any policy; list concrete policy ARNs`;
    const name = /:policy\/(.*)$/.exec(arn)?.[1];
    if (name && ESCALATING_AWS_POLICIES.some((e) => e.toLowerCase() === name.toLowerCase())) {
        return `'${arn}' is an administrator-level AWS policy (${ESCALATING_AWS_POLICIES.join(", ")} are never allowed)`;
    }
    if (!EXTRA_ARN_RE.test(arn)) return `'${arn}' is not a concrete IAM policy ARN outside '${OPERATOR_PATH}'`;
    return undefined;
}

function options(c: Config): AllowListOptions {
    const extras = (c.extraAllowedPolicyArns ?? []).filter((e) => extraArnProblem(e) === undefined);
    return { extraPolicyArns: extras, lambdaVpcAccess: c.allowLambdaVpcAccess ?? false };
}

const FIX = "attach only allow-listed policies: name customer policies 'parallelcluster*' or create them under path '/parallelcluster/', " +
    "or add the ARN to this policy's 'extraAllowedPolicyArns' config (set 'allowLambdaVpcAccess' for service-role/AWSLambdaVPCAccessExecutionRole)";

function message(where: string, role: string, why: string): string {
    return `${where}: attaches a managed policy to ParallelCluster role ${role}, but ${why}. Fix: ${FIX}.`;
}

interface Args {
    name: string;
    type: string;
    getConfig<T extends object>(): T;
    provider?: { props: Record<string, unknown> };
}

function providerPropsOf(args: Args): Record<string, unknown> | undefined {
    return args.provider ? plainProps(args.provider.props) : undefined;
}

function partitionOf(args: Args): Partition | undefined {
    return providerPartition(args.provider ? { props: plainProps(args.provider.props) } : undefined);
}

/** Judges known ARNs attached through one resource to a role it shows to be ParallelCluster's. */
function judgeKnownArns(args: Args, report: ReportViolation, role: () => string, arns: unknown, account: () => string | undefined): void {
    const items = list(arns);
    if (isUnknown(items) || !items.some((a) => typeof a === "string")) return;
    const roleAcct = account();
    const seen = items.map(accountOfArn).filter((a): a is string => a !== undefined);
    const accounts: AccountView = { own: roleAcct ?? providerAccount(providerPropsOf(args)), seen: roleAcct ? [...seen, roleAcct] : seen };
    const opts = options(args.getConfig<Config>());
    const partition = partitionOf(args);
    for (const a of items) {
        if (typeof a !== "string") continue;
        const v = judgeArn(a, opts, partition, accounts);
        if (v.ok === false) report(message(label(args.type, args.name), role(), v.why));
    }
}

/** True when the attaching resource alone settled this attachment (see the module comment). */
function settledByResource(att: Attachment): boolean {
    const byValue = (r: Ref) => r.kind === "external" || (r.kind === "resource" && r.byValue);
    const p = att.via.props;
    switch (att.via.type) {
        case TYPES.role:
            return pcReason(p) !== undefined && operatorExemption(p) === false && byValue(att.policy);
        case TYPES.rolePolicyAttachment:
            return pcByName(str(p.role)) && typeof str(p.policyArn) === "string";
        case TYPES.policyAttachment:
            return byValue(att.role) && pcByName(att.role.kind === "external" ? att.role.value : att.role.kind === "resource" ? str(att.role.res.props.name) : undefined) &&
                typeof str(p.policyArn) === "string";
        case TYPES.rolePolicyAttachmentsExclusive:
            return pcByName(str(p.roleName)) && byValue(att.policy);
        default:
            return false;
    }
}

function validateStack(args: StackValidationArgs, report: ReportViolation): void {
    const config = args.getConfig<Config>();
    for (const [i, e] of (config.extraAllowedPolicyArns ?? []).entries()) {
        const why = extraArnProblem(e);
        if (why) report(`policy pack config: ${NAME}.extraAllowedPolicyArns[${i}]: ${why}; the entry is ignored. Fix: remove it from the pack config.`);
    }
    const view = StackView.from(args);
    const opts = options(config);
    const gaps = new PreviewGaps();
    for (const att of collectAttachments(view)) {
        if (settledByResource(att)) continue;
        let role: string;
        if (att.role.kind === "resource") {
            const st = view.pcStatus(att.role.res);
            if (!st) continue;
            role = `${att.role.res.label} (${st.reason})`;
            if (isOperatorPath(att.role.res.props)) {
                const ex = view.operatorExempt(att.role.res);
                if (ex === true) continue;
                if (ex === "unknown") {
                    const v = judgePolicyRef(att.policy, opts, att.via.partition, view.accountView(att.role));
                    if (v.ok === false) gaps.add(`the trust policy of operator role ${att.role.res.label} is unknown during preview, so it cannot be told whether it is exempt, and it would get ${showPolicy(att.policy)}`);
                    continue;
                }
                role = `${att.role.res.label} (${st.reason}; below '${OPERATOR_PATH}' but not exempt: ${ex.notExempt})`;
            }
        } else if (att.role.kind === "external") {
            if (!pcByName(att.role.value)) continue;
            role = `'${att.role.value}'`;
        } else {
            // Only matters when the policy would be refused anyway.
            const v = judgePolicyRef(att.policy, opts, att.via.partition);
            if (v.ok === false) gaps.add(`${att.role.what}: cannot tell whether the role is ParallelCluster's, and it would get ${showPolicy(att.policy)}`);
            continue;
        }
        const v: Verdict = judgePolicyRef(att.policy, opts, att.via.partition, view.accountView(att.role));
        if (v.ok === false) report(message(att.via.label, role, v.why), att.via.urn);
        else if (v.ok === "unknown") gaps.add(`${att.via.label} attaches a policy to ParallelCluster role ${role}, but ${v.why}`);
    }
    gaps.throwIfAny();
}

export const allowedManagedPolicies: ResourceAndStackPolicy = {
    name: NAME,
    description: "Roles meant for ParallelCluster carry only managed policies on ParallelCluster's AdditionalIamPolicies allow-list.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            extraAllowedPolicyArns: {
                type: "array",
                items: { type: "string", pattern: EXTRA_ARN_PATTERN },
                default: [],
                description: "Further concrete policy ARNs to allow, e.g. the ones your ParallelCluster user policy's allow-list was extended with. " +
                    "Refused: wildcards (`*`, `?`), AdministratorAccess, IAMFullAccess, PowerUserAccess and the operator's policies.",
            },
            allowLambdaVpcAccess: {
                type: "boolean",
                default: false,
                description: "Also allow service-role/AWSLambdaVPCAccessExecutionRole, which ParallelCluster attaches when its Lambda functions run in a VPC.",
            },
        },
    },
    validateResource: validateTypes({
        [TYPES.role]: (p, args, report) => {
            const why = pcReason(p);
            // An operator role that shows no sign of being handed to EC2 or Lambda is judged by the stack check, which sees instance profiles.
            if (why && operatorExemption(p) === false) {
                judgeKnownArns(args, report, () => `'${String(str(p.name) ?? args.name)}' (${why})`, p.managedPolicyArns, () => roleAccount(p, providerPropsOf(args)));
            }
        },
        [TYPES.rolePolicyAttachment]: (p, args, report) => {
            const role = str(p.role);
            if (pcByName(role)) judgeKnownArns(args, report, () => `'${role as string}'`, [p.policyArn], () => accountOfArn(role));
        },
        [TYPES.policyAttachment]: (p, args, report) => {
            const roles = list(p.roles);
            if (isUnknown(roles)) return;
            for (const r of roles) if (typeof r === "string" && pcByName(r)) judgeKnownArns(args, report, () => `'${r}'`, [p.policyArn], () => accountOfArn(r));
        },
        [TYPES.rolePolicyAttachmentsExclusive]: (p, args, report) => {
            const role = str(p.roleName);
            if (pcByName(role)) judgeKnownArns(args, report, () => `'${role as string}'`, p.policyArns, () => accountOfArn(role));
        },
    }),
    validateStack,
};
