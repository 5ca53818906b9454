/**
 * The "becomes" relation: every identity a principal can act as. Itself; every role of the stack it can pass to a
 * service that runs code (and whose trust lets that service assume it); every role whose trust names it; in
 * PermissionsBoundary mode a role it creates under the boundary with an inline `Allow *:*` (effective = the
 * boundary); where it can create a role with no boundary, an admin-equivalent role. The relation is closed
 * transitively. Decisions come from the IAM simulator.
 */
import { PolicyDocument } from "../../components/policies/types";
import { Decision, defaultResourcePolicy, simulateDetailed } from "../support/simulate";
import { Identity, Mode, StackModel } from "./model";

export const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** One way to act: the identity and how the principal got there. */
export interface Becoming {
    identity: Identity;
    /** "self", or the chain, e.g. "passes to lambda.amazonaws.com: images-image-cleanup-94ca2d8". */
    via: string;
}

export interface Request {
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
}

/** The decision for `identity` making `req` in the stack (region and a resource policy filled in where needed). */
export async function decide(m: StackModel, identity: Identity, req: Request): Promise<Decision> {
    const context = { "aws:RequestedRegion": m.region, ...(req.context ?? {}) };
    const out = await simulateDetailed({
        identityPolicies: identity.policies,
        boundary: identity.boundary,
        action: req.action,
        resource: req.resource,
        context,
        principalArn: identity.arn,
        resourceAccount: m.account,
        resourcePolicy: defaultResourcePolicy(req.action, req.resource),
    });
    return out.decision;
}

async function allowed(m: StackModel, identity: Identity, req: Request): Promise<boolean> {
    return (await decide(m, identity, req)) === "Allowed";
}

/** How a principal makes a service run code as a passed role: the requests, any one of which suffices. */
function launches(m: StackModel, service: string): Request[] {
    const { partition: p, region: r, account: a } = m;
    switch (service) {
        case "ec2.amazonaws.com":
            return [{ action: "ec2:RunInstances", resource: `arn:${p}:ec2:${r}:${a}:instance/*` }];
        case "lambda.amazonaws.com":
            return ["parallelcluster-probe", "pcluster-probe", "ParallelClusterImage-probe", "probe"].map((n) => ({ action: "lambda:CreateFunction", resource: `arn:${p}:lambda:${r}:${a}:function:${n}` }));
        case "ecs-tasks.amazonaws.com":
            return [{ action: "ecs:RunTask", resource: `arn:${p}:ecs:${r}:${a}:task-definition/probe:1` }];
        case "batch.amazonaws.com":
            return [{ action: "batch:CreateComputeEnvironment", resource: `arn:${p}:batch:${r}:${a}:compute-environment/probe` }];
        case "codebuild.amazonaws.com":
            return ["pcluster-probe", "probe"].map((n) => ({ action: "codebuild:CreateProject", resource: `arn:${p}:codebuild:${r}:${a}:project/${n}` }));
        case "spotfleet.amazonaws.com":
            return [{ action: "ec2:RequestSpotFleet", resource: `arn:${p}:ec2:${r}:${a}:spot-fleet-request/*` }];
        default:
            return [];
    }
}

/** Services the hypothetical created role is trusted by (the creator writes its trust policy). */
const RUN_SERVICES = ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "batch.amazonaws.com", "codebuild.amazonaws.com"];

export interface Closure {
    becomings: Becoming[];
    /** The principal can make a role with any policy and no boundary. */
    adminEquivalent: boolean;
}

/** Direct steps from one identity. */
async function steps(m: StackModel, from: Identity): Promise<Becoming[]> {
    const out: Becoming[] = [];
    // Roles it can pass to a service that runs code, and make that service run.
    for (const role of m.identities) {
        if (role.arn === from.arn) continue;
        for (const service of role.trustServices) {
            const pass = await allowed(m, from, { action: "iam:PassRole", resource: role.arn, context: { "iam:PassedToService": service } });
            if (!pass) continue;
            let launched = false;
            for (const l of launches(m, service)) if (!launched) launched = await allowed(m, from, l);
            if (launched) {
                out.push({ identity: role, via: `passes to ${service}: ${role.name}` });
                break;
            }
        }
        // Roles whose trust names it (same account: the trust policy alone suffices).
        if (role.trustPrincipals.includes(from.arn)) out.push({ identity: role, via: `assumes ${role.name}` });
    }
    // Roles it can create.
    const probe = m.vars.newPcRole;
    const unbounded = (await allowed(m, from, { action: "iam:CreateRole", resource: probe })) && (await allowed(m, from, { action: "iam:PutRolePolicy", resource: probe }));
    if (unbounded) {
        out.push({
            identity: { name: "role it creates with any policy (no boundary)", arn: probe, purpose: "created-unbounded", policies: [ALLOW_ALL], trustServices: RUN_SERVICES, trustPrincipals: [], adminEquivalent: true },
            via: "creates a role with any policy",
        });
    } else if (m.boundaryArn && m.boundary) {
        const ctx = { "iam:PermissionsBoundary": m.boundaryArn };
        const create = (await allowed(m, from, { action: "iam:CreateRole", resource: probe, context: ctx })) && (await allowed(m, from, { action: "iam:PutRolePolicy", resource: probe, context: ctx }));
        if (create) {
            out.push({
                identity: { name: "role it creates under the boundary with Allow *:*", arn: probe, purpose: "created-under-boundary", policies: [ALLOW_ALL], boundary: m.boundary, trustServices: RUN_SERVICES, trustPrincipals: [] },
                via: "creates a role under the boundary with Allow *:*",
            });
        }
    }
    return out;
}

const closureCache = new WeakMap<StackModel, Map<string, Promise<Closure>>>();

/** Everything `principal` can become, itself first. */
export function becomes(m: StackModel, principal: Identity): Promise<Closure> {
    let perStack = closureCache.get(m);
    if (!perStack) closureCache.set(m, (perStack = new Map()));
    let hit = perStack.get(principal.arn);
    if (!hit) {
        hit = (async () => {
            const seen = new Map<string, Becoming>([[principal.arn + "|" + principal.purpose, { identity: principal, via: "self" }]]);
            const queue: Becoming[] = [{ identity: principal, via: "self" }];
            while (queue.length > 0) {
                const cur = queue.shift() as Becoming;
                for (const next of await steps(m, cur.identity)) {
                    const key = next.identity.arn + "|" + next.identity.purpose;
                    if (seen.has(key)) continue;
                    const chained = { identity: next.identity, via: cur.via === "self" ? next.via : `${cur.via} → ${next.via}` };
                    seen.set(key, chained);
                    queue.push(chained);
                }
            }
            const becomings = [...seen.values()];
            return { becomings, adminEquivalent: becomings.some((b) => b.identity.adminEquivalent) };
        })();
        perStack.set(principal.arn, hit);
    }
    return hit;
}

/** The stack's IAM mode, from what its cluster user can do. */
export async function modeOf(m: StackModel): Promise<Mode> {
    const user = m.identities.find((i) => i.purpose === "cluster-user");
    if (!user) return "restricted";
    const probe = m.vars.newPcRole;
    if (await allowed(m, user, { action: "iam:CreateRole", resource: probe })) return "privileged";
    if (m.boundaryArn && (await allowed(m, user, { action: "iam:CreateRole", resource: probe, context: { "iam:PermissionsBoundary": m.boundaryArn } }))) return "boundary";
    return "restricted";
}
