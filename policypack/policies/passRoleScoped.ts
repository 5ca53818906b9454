/**
 * parallelcluster-passrole-scoped: whoever may pass roles may pass only named roles or ParallelCluster's
 * (`role/parallelcluster/*`, `instance-profile/parallelcluster/*`; ParallelCluster 2's `role/parallelcluster-*`), and only to named services
 * (`iam:PassedToService`); otherwise PassRole lets them hand any role, even an admin one, to EC2 or Lambda.
 *
 * Judged on meaning (lib/semantics.ts): a statement grants PassRole when any Action pattern covers it
 * (`*`, `iam:*`, `iam:?*`, `IAM:Pass*`...) or NotAction leaves it in; its resources are judged by the
 * role ARNs they can match (`arn:*` and `arn:aws:iam::*:*` are every role; an `arn:aws:s3:::*` entry
 * grants no PassRole at all); its condition must limit `iam:PassedToService` to named services under
 * every operator and wildcard rule (a value that can match any service counts as `*`).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { PARTITIONS } from "../shared/partition";
import { statementLabel } from "../lib/documents";
import { DocumentContext, forEveryDocument } from "../lib/documentPolicy";
import { actionVia, canMatchPrefix, coversAction, hasWildcard, isAllow, passedToServiceScope, statement } from "../lib/semantics";

export const NAME = "parallelcluster-passrole-scoped";

const PASS_ROLE = "iam:PassRole";
// ParallelCluster 3's path, and ParallelCluster 2's names (its stacks create `parallelcluster-*` roles at `/`).
const SCOPED_PREFIXES = ["role/parallelcluster/", "instance-profile/parallelcluster/", "role/parallelcluster-", "instance-profile/parallelcluster-"];
const ARN_FIELDS = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/;

/** Can this Resource entry match an IAM role or instance-profile ARN at all? */
function canBeRoleArn(pattern: string): boolean {
    if (!hasWildcard(pattern)) return /^arn:[^:]+:iam::[^:]*:(role|instance-profile)\//.test(pattern);
    return PARTITIONS.some((p) => canMatchPrefix(pattern, `arn:${p}:iam::`));
}

/** Why a Resource entry is too broad for PassRole, or undefined when it names specific roles or ParallelCluster's path. */
export function broadPassRoleResource(resource: string): string | undefined {
    if (!hasWildcard(resource) || !canBeRoleArn(resource)) return undefined;
    if (resource === "*") return "'*' (every role in the account)";
    const m = ARN_FIELDS.exec(resource);
    if (m && SCOPED_PREFIXES.some((x) => m[5].startsWith(x))) return undefined;
    return `'${resource}' (a wildcard outside the ParallelCluster path)`;
}

function check({ where, doc, report, gaps }: DocumentContext): void {
    for (const [i, st] of doc.Statement.entries()) {
        const s = statement(st as unknown as Record<string, unknown>);
        if (!isAllow(s)) continue;
        const at = `${where} ${statementLabel(st, i)}`;
        const grants = coversAction(s, PASS_ROLE);
        if (grants === "unknown") gaps.add(`the actions of ${at} are unknown during preview`);
        if (grants !== true) continue;
        const via = actionVia(s, PASS_ROLE);
        const problems: string[] = [];
        if (s.resources.not) {
            problems.push("uses NotResource, which allows passing every role it does not list");
        } else {
            if (s.resources.unknown) gaps.add(`the resources of ${at} are unknown during preview`);
            // Entries that cannot be a role ARN grant no PassRole; a statement with only such entries passes nothing.
            if (!s.resources.unknown && !s.resources.known.some(canBeRoleArn)) continue;
            const wide = s.resources.known.map(broadPassRoleResource).filter((x): x is string => x !== undefined);
            if (wide.length > 0) problems.push(`allows it on ${wide.join(", ")}`);
        }
        const scope = passedToServiceScope(s.condition);
        if (scope.kind === "unknown") gaps.add(`the condition of ${at} is unknown during preview`);
        else if (scope.kind === "absent") problems.push("has no iam:PassedToService condition");
        else if (scope.kind === "any") problems.push(`has an iam:PassedToService condition that allows every service (${scope.why})`);
        if (problems.length === 0) continue;
        const how = via === "NotAction" ? "through NotAction" : via === PASS_ROLE ? "" : `through '${String(via)}'`;
        report(
            `${at} grants iam:PassRole${how ? ` ${how}` : ""} and ${problems.join("; ")}. Fix: list specific role ARNs or ` +
                "arn:<partition>:iam::<account>:role/parallelcluster/* (instance-profile/parallelcluster/*) as Resource, and add a Condition " +
                "such as StringEquals { \"iam:PassedToService\": \"ec2.amazonaws.com\" } naming the services the roles are passed to (no wildcards, no negated operators).",
        );
    }
}

export const passRoleScoped: ResourceValidationPolicy = {
    name: NAME,
    description: "Statements allowing iam:PassRole name specific roles or the ParallelCluster path and limit iam:PassedToService to named services.",
    enforcementLevel: "mandatory",
    validateResource: forEveryDocument(check),
};
