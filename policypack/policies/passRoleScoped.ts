/**
 * parallelcluster-passrole-scoped: whoever may pass roles may pass only named roles or ParallelCluster's
 * (`role/parallelcluster/*`, `instance-profile/parallelcluster/*`), and only to named services
 * (`iam:PassedToService`); otherwise PassRole lets them hand any role, even an admin one, to EC2 or Lambda.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseArn } from "../../components/policies/context";
import { asList } from "../../components/policies/types";
import { actionMatches, statementLabel, values } from "../lib/documents";
import { DocumentContext, forEveryDocument } from "../lib/documentPolicy";

export const NAME = "parallelcluster-passrole-scoped";

const PASS_ROLE = "iam:PassRole";
const SCOPED_PREFIXES = ["role/parallelcluster/", "instance-profile/parallelcluster/"];

/** The pattern through which a statement's Action grants iam:PassRole, "NotAction" when NotAction leaves it in, or undefined. */
function passRoleGrant(s: Record<string, unknown>): { via?: string; unknown: boolean } {
    if (s.NotAction !== undefined) {
        const n = values(s.NotAction);
        if (n.known.some((a) => actionMatches(a, PASS_ROLE))) return { unknown: false };
        return n.unknown ? { unknown: true } : { via: "NotAction", unknown: false };
    }
    const a = values(s.Action);
    const via = a.known.find((x) => actionMatches(x, PASS_ROLE));
    return { via, unknown: via === undefined && a.unknown };
}

/** Why a Resource entry is too broad for PassRole, or undefined when it names specific roles or ParallelCluster's path. */
function broad(resource: string): string | undefined {
    if (resource === "*") return "'*' (every role in the account)";
    const p = parseArn(resource);
    if (!p || p.service !== "iam" || !/^(role|instance-profile)\//.test(p.resource)) {
        return /[*?]/.test(resource) ? `'${resource}' (a wildcard that is not a role ARN)` : undefined;
    }
    const wild = p.resource.search(/[*?]/);
    if (wild < 0) return undefined;
    if (SCOPED_PREFIXES.some((x) => p.resource.startsWith(x) && wild >= x.length)) return undefined;
    return `'${resource}' (a wildcard outside the ParallelCluster path)`;
}

function hasPassedToService(cond: unknown): { present: boolean; onlyWildcard: boolean } {
    let present = false;
    let concrete = false;
    if (cond && typeof cond === "object") {
        for (const block of Object.values(cond as Record<string, unknown>)) {
            if (!block || typeof block !== "object") continue;
            for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
                if (k.toLowerCase() !== "iam:passedtoservice") continue;
                present = true;
                if (asList(v as unknown[]).some((x) => typeof x === "string" && x !== "*")) concrete = true;
            }
        }
    }
    return { present, onlyWildcard: present && !concrete };
}

function check({ where, doc, report, gaps }: DocumentContext): void {
    for (const [i, st] of doc.Statement.entries()) {
        const s = st as unknown as Record<string, unknown>;
        if (s.Effect !== "Allow") continue;
        const grant = passRoleGrant(s);
        const at = `${where} ${statementLabel(st, i)}`;
        if (grant.unknown) gaps.add(`the actions of ${at} are unknown during preview`);
        if (!grant.via) continue;
        const problems: string[] = [];
        if (s.NotResource !== undefined) problems.push("uses NotResource, which allows passing every role it does not list");
        const res = values(s.Resource);
        if (res.unknown) gaps.add(`the resources of ${at} are unknown during preview`);
        const wide = res.known.map(broad).filter((x): x is string => x !== undefined);
        if (wide.length > 0) problems.push(`allows it on ${wide.join(", ")}`);
        const cond = hasPassedToService(s.Condition);
        if (!cond.present) problems.push("has no iam:PassedToService condition");
        else if (cond.onlyWildcard) problems.push("has an iam:PassedToService condition that allows every service");
        if (problems.length === 0) continue;
        const via = grant.via === "NotAction" ? "through NotAction" : grant.via === PASS_ROLE ? "" : `through '${grant.via}'`;
        report(
            `${at} grants iam:PassRole${via ? ` ${via}` : ""} and ${problems.join("; ")}. Fix: list specific role ARNs or ` +
                "arn:<partition>:iam::<account>:role/parallelcluster/* (instance-profile/parallelcluster/*) as Resource, and add a Condition " +
                "such as StringEquals { \"iam:PassedToService\": \"ec2.amazonaws.com\" } naming the services the roles are passed to.",
        );
    }
}

export const passRoleScoped: ResourceValidationPolicy = {
    name: NAME,
    description: "Statements allowing iam:PassRole name specific roles or the ParallelCluster path and carry an iam:PassedToService condition.",
    enforcementLevel: "mandatory",
    validateResource: forEveryDocument(check),
};
