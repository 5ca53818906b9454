/**
 * parallelcluster-allowed-managed-policies: ParallelCluster roles carry only managed policies that
 * ParallelCluster's AdditionalIamPolicies allow-list accepts.
 *
 * A resource alone settles the case when it shows both the role's ParallelCluster-ness and a known
 * policy ARN (a Role's own `managedPolicyArns`; an attachment whose role name mentions ParallelCluster).
 * Everything else (a role known only by name, a policy ARN unknown during preview) is judged by the
 * stack check, which finds the role and policy resources; each attachment is judged exactly once.
 */
import * as aws from "@pulumi/aws";
import { ReportViolation, StackValidationArgs, validateResourceOfType } from "@pulumi/policy";
import { ResourceAndStackPolicy } from "../lib/policyTypes";
import { AllowListOptions } from "../../components/policies/allowlist";
import { Partition } from "../../components/policies/partition";
import { Attachment, collectAttachments, judgeArn, judgePolicyRef, showPolicy, Verdict } from "../lib/attachments";
import { isOperatorRole, label, pcByName, pcReason, providerPartition, TYPES } from "../lib/iam";
import { Ref, StackView } from "../lib/stack";
import { isUnknown, list, plainProps, PreviewGaps, str } from "../lib/values";

export const NAME = "parallelcluster-allowed-managed-policies";

interface Config {
    extraAllowedPolicyArns?: string[];
    allowLambdaVpcAccess?: boolean;
}

function options(c: Config): AllowListOptions {
    return { extraPolicyArns: c.extraAllowedPolicyArns ?? [], lambdaVpcAccess: c.allowLambdaVpcAccess ?? false };
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

function partitionOf(args: Args): Partition | undefined {
    return providerPartition(args.provider ? { props: plainProps(args.provider.props) } : undefined);
}

/** Judges known ARNs attached through one resource to a role it shows to be ParallelCluster's. */
function judgeKnownArns(args: Args, report: ReportViolation, role: string, arns: unknown): void {
    const items = list(arns);
    if (isUnknown(items)) return;
    for (const a of items) {
        if (typeof a !== "string") continue;
        const v = judgeArn(a, options(args.getConfig<Config>()), partitionOf(args));
        if (v.ok === false) report(message(label(args.type, args.name), role, v.why));
    }
}

/** True when the attaching resource alone settled this attachment (see the module comment). */
function settledByResource(att: Attachment): boolean {
    const byValue = (r: Ref) => r.kind === "external" || (r.kind === "resource" && r.byValue);
    const p = att.via.props;
    switch (att.via.type) {
        case TYPES.role:
            return (pcReason(p) !== undefined || isOperatorRole(p)) && byValue(att.policy);
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
    const view = StackView.from(args);
    const opts = options(args.getConfig<Config>());
    const gaps = new PreviewGaps();
    for (const att of collectAttachments(view)) {
        if (settledByResource(att)) continue;
        let role: string;
        if (att.role.kind === "resource") {
            const st = view.pcStatus(att.role.res);
            if (!st || isOperatorRole(att.role.res.props)) continue;
            role = `${att.role.res.label} (${st.reason})`;
        } else if (att.role.kind === "external") {
            if (!pcByName(att.role.value)) continue;
            role = `'${att.role.value}'`;
        } else {
            // Only matters when the policy would be refused anyway.
            const v = judgePolicyRef(att.policy, opts, att.via.partition);
            if (v.ok === false) gaps.add(`${att.role.what}: cannot tell whether the role is ParallelCluster's, and it would get ${showPolicy(att.policy)}`);
            continue;
        }
        const v: Verdict = judgePolicyRef(att.policy, opts, att.via.partition);
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
                items: { type: "string", pattern: "^arn:[a-z-]+:iam::[^:]*:policy/.+$" },
                default: [],
                description: "Further policy ARNs (or ArnLike patterns) to allow, e.g. the ones your ParallelCluster user policy's allow-list was extended with.",
            },
            allowLambdaVpcAccess: {
                type: "boolean",
                default: false,
                description: "Also allow service-role/AWSLambdaVPCAccessExecutionRole, which ParallelCluster attaches when its Lambda functions run in a VPC.",
            },
        },
    },
    validateResource: [
        validateResourceOfType(aws.iam.Role, (role, args, report) => {
            const p = plainProps(role);
            const why = pcReason(p);
            if (why && !isOperatorRole(p)) judgeKnownArns(args, report, `'${String(str(p.name) ?? args.name)}' (${why})`, p.managedPolicyArns);
        }),
        validateResourceOfType(aws.iam.RolePolicyAttachment, (att, args, report) => {
            const p = plainProps(att);
            const role = str(p.role);
            if (pcByName(role)) judgeKnownArns(args, report, `'${role as string}'`, [p.policyArn]);
        }),
        validateResourceOfType(aws.iam.PolicyAttachment, (att, args, report) => {
            const p = plainProps(att);
            const roles = list(p.roles);
            if (isUnknown(roles)) return;
            for (const r of roles) if (typeof r === "string" && pcByName(r)) judgeKnownArns(args, report, `'${r}'`, [p.policyArn]);
        }),
        validateResourceOfType(aws.iam.RolePolicyAttachmentsExclusive, (att, args, report) => {
            const p = plainProps(att);
            const role = str(p.roleName);
            if (pcByName(role)) judgeKnownArns(args, report, `'${role as string}'`, p.policyArns);
        }),
    ],
    validateStack,
};
