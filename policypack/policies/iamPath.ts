/**
 * parallelcluster-iam-path: roles, instance profiles and customer policies meant for ParallelCluster
 * live on the configured path (default `/parallelcluster/`) or below it, so user policies scoped to
 * `role/parallelcluster/*` and the allow-list's `policy/parallelcluster/*` cover them.
 *
 * "Meant for ParallelCluster" (lib/iam.ts `pcReason`): tagged `parallelcluster-iam:purpose` or with a
 * `parallelcluster:` tag key, or named with "parallelcluster"/"pcluster". The stack check adds roles
 * held by such an instance profile and instance profiles holding such a role.
 */
import { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { ResourceAndStackPolicy } from "../lib/policyTypes";
import { iamPath, label, onPath, pcReason, PARALLELCLUSTER_PATH, TYPES } from "../lib/iam";
import { StackView } from "../lib/stack";
import { validateTypes } from "../lib/validate";
import { PreviewGaps, Unknown, isUnknown } from "../lib/values";

export const NAME = "parallelcluster-iam-path";

interface Config {
    path?: string;
}

function configuredPath(args: { getConfig<T extends object>(): T }): string {
    return args.getConfig<Config>().path ?? PARALLELCLUSTER_PATH;
}

function judge(where: string, path: string | Unknown, why: string, base: string, report: ReportViolation, gaps: PreviewGaps, urn?: string): void {
    if (isUnknown(path)) {
        gaps.add(`the path of ${where} is unknown during preview`);
        return;
    }
    if (!onPath(path, base)) {
        report(`${where} is meant for ParallelCluster (${why}) but is on path '${path}'. Fix: set its path to '${base}' (or a path below it).`, urn);
    }
}

function validateOne(p: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation): void {
    const why = pcReason(p);
    if (!why) return;
    const gaps = new PreviewGaps();
    judge(label(args.type, args.name), iamPath(p), why, configuredPath(args), report, gaps);
    gaps.throwIfAny();
}

function validateStack(args: StackValidationArgs, report: ReportViolation): void {
    const view = StackView.from(args);
    const base = configuredPath(args);
    const gaps = new PreviewGaps();
    for (const r of [...view.of(TYPES.role), ...view.of(TYPES.instanceProfile)]) {
        const st = view.pcStatus(r);
        // Direct ones were judged per resource.
        if (st && !st.direct) judge(r.label, iamPath(r.props), st.reason, base, report, gaps, r.urn);
    }
    gaps.throwIfAny();
}

export const iamPathPolicy: ResourceAndStackPolicy = {
    name: NAME,
    description: "Roles, instance profiles and customer policies meant for ParallelCluster are on the configured IAM path or below it.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            path: {
                type: "string",
                pattern: "^/([\\x21-\\x7e]*/)?$",
                default: PARALLELCLUSTER_PATH,
                description: "The IAM path ParallelCluster's roles, instance profiles and policies must be on (or below).",
            },
        },
    },
    validateResource: validateTypes({ [TYPES.role]: validateOne, [TYPES.instanceProfile]: validateOne, [TYPES.policy]: validateOne }),
    validateStack,
};
