/**
 * parallelcluster-permissions-boundary: with `boundaryArn` configured, every role meant for
 * ParallelCluster carries exactly that permissions boundary (ParallelCluster's PermissionsBoundary
 * mode). Without `boundaryArn` the policy checks nothing. Advisory by default; set
 * `enforcementLevel: mandatory` in the pack config to block.
 */
import { ReportViolation, StackValidationArgs, } from "@pulumi/policy";
import { ResourceAndStackPolicy } from "../lib/policyTypes";
import { parseArn } from "../shared/context";
import { OPERATOR_PATH } from "../shared/allowlist";
import { isOperatorPath, label, operatorExemption, pcReason, TYPES } from "../lib/iam";
import { StackResource, StackView } from "../lib/stack";
import { validateTypes } from "../lib/validate";
import { isUnknown, PreviewGaps, str } from "../lib/values";

export const NAME = "parallelcluster-permissions-boundary";

interface Config {
    boundaryArn?: string;
}

function fix(boundary: string): string {
    return `Fix: set the role's permissionsBoundary to '${boundary}'.`;
}

/** Judges the boundary of a role whose boundary ARN is unknown, through the policy resource it came from. */
function judgeViaResource(view: StackView, role: StackResource, why: string, boundary: string, report: ReportViolation, gaps: PreviewGaps): void {
    const sources = view.sourcesOf(role, "permissionsBoundary", TYPES.policy);
    const name = sources.length === 1 ? str(sources[0].props.name) : undefined;
    const path = sources.length === 1 ? (str(sources[0].props.path) ?? "/") : undefined;
    if (typeof name !== "string" || typeof path !== "string") {
        gaps.add(`the permissions boundary of ${role.label} is unknown during preview`);
        return;
    }
    // The account of a policy being created is unknown too; compare what is known: `policy${path}${name}`.
    if (parseArn(boundary)?.resource !== `policy${path}${name}`) {
        report(`${role.label} is meant for ParallelCluster (${why}) but its permissions boundary is ${sources[0].label} ` +
            `(policy${path}${name}), not '${boundary}'. ${fix(boundary)}`, role.urn);
    }
}

function judgeRole(where: string, props: Record<string, unknown>, why: string, boundary: string, report: ReportViolation, urn?: string): "unknown" | void {
    const b = str(props.permissionsBoundary);
    if (isUnknown(b)) return "unknown";
    if (b === undefined || b === "") report(`${where} is meant for ParallelCluster (${why}) but has no permissions boundary. ${fix(boundary)}`, urn);
    else if (b !== boundary) report(`${where} is meant for ParallelCluster (${why}) but its permissions boundary is '${b}', not '${boundary}'. ${fix(boundary)}`, urn);
}

function validateStack(args: StackValidationArgs, report: ReportViolation): void {
    const boundary = args.getConfig<Config>().boundaryArn;
    if (!boundary) return;
    const view = StackView.from(args);
    const gaps = new PreviewGaps();
    for (const role of view.of(TYPES.role)) {
        const st = view.pcStatus(role);
        if (!st) continue;
        let why = st.reason;
        if (isOperatorPath(role.props)) {
            const ex = view.operatorExempt(role);
            if (ex === true) continue;
            if (ex === "unknown") {
                gaps.add(`the trust policy of operator role ${role.label} is unknown during preview, so it cannot be told whether it needs the boundary`);
                continue;
            }
            why = `${st.reason}; below '${OPERATOR_PATH}' but not exempt: ${ex.notExempt}`;
        }
        // Roles that showed themselves ParallelCluster's with a known boundary were judged per resource.
        if (st.direct && !isUnknown(str(role.props.permissionsBoundary)) && operatorExemption(role.props) === false) continue;
        if (judgeRole(role.label, role.props, why, boundary, report, role.urn) === "unknown") {
            judgeViaResource(view, role, why, boundary, report, gaps);
        }
    }
    gaps.throwIfAny();
}

export const permissionsBoundary: ResourceAndStackPolicy = {
    name: NAME,
    description: "When a boundary is configured, every role meant for ParallelCluster carries exactly that permissions boundary.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            boundaryArn: {
                type: "string",
                pattern: "^arn:[a-z-]+:iam::(\\d{12}|aws):policy/.+$",
                description: "ARN of the permissions boundary policy every ParallelCluster role must carry; unset, nothing is checked.",
            },
        },
    },
    validateResource: validateTypes({
        [TYPES.role]: (p, args, report) => {
            const boundary = args.getConfig<Config>().boundaryArn;
            if (!boundary) return;
            const why = pcReason(p);
            // An unknown boundary is judged by the stack check, which can see the policy resource.
            // An operator role that shows no sign of being handed to EC2 or Lambda is judged by the stack check, which sees instance profiles.
            if (why && operatorExemption(p) === false) judgeRole(label(args.type, args.name), p, why, boundary, report);
        },
    }),
    validateStack,
};
