/**
 * Access-matrix cases: the hand-written data files (test/access/cases/<purpose>.yaml) and the must-allow cases
 * derived from ParallelCluster 3.12's own documents (test/fixtures/parallelcluster-3.12), mapped to each stack's
 * partition, account, region, cluster, queues, boundary and features.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PolicyDocument } from "../../components/policies/types";
import { contextFor, realRequestContext } from "../policies/pcFixtures";
import { ConcreteRequest, concreteRequests } from "../support/simulate";
import { Mode, PRINCIPAL_PURPOSES, PrincipalPurpose, StackModel, StackName, fill } from "./model";

export const CLASSES = ["must-allow", "escalation", "lateral-movement", "tag-bypass", "boundary-removal", "operator-path"] as const;
export type CaseClass = (typeof CLASSES)[number];
export type Expected = "allow" | "deny";

/** A case as written in a data file. */
export interface CaseSpec {
    id: string;
    class: CaseClass;
    action: string;
    /** ARN with placeholders (`${partition}`, `${role:head-node}`, `${foreignSecret}`... see docs/access-matrix.md). */
    resource: string;
    context?: Record<string, string | string[]>;
    expected: Expected;
    /** Default: every stack / mode. */
    stacks?: StackName[];
    modes?: Mode[];
    reason: string;
}

/** A case made concrete for one stack. */
export interface Case {
    id: string;
    purpose: PrincipalPurpose;
    class: CaseClass;
    action: string;
    resource: string;
    context: Record<string, string | string[]>;
    expected: Expected;
    reason: string;
    /** Where it comes from: the data file, or the ParallelCluster document. */
    source: string;
}

const CASES_DIR = path.join(__dirname, "cases");
const FIXTURES = path.join(__dirname, "..", "fixtures", "parallelcluster-3.12");

function validate(spec: CaseSpec, file: string): void {
    const where = `${file} ${spec.id ?? "(no id)"}`;
    for (const k of ["id", "class", "action", "resource", "expected", "reason"] as const) {
        if (typeof spec[k] !== "string" || spec[k] === "") throw new Error(`${where}: '${k}' is required`);
    }
    if (!(CLASSES as readonly string[]).includes(spec.class)) throw new Error(`${where}: unknown class '${spec.class}'`);
    if (spec.expected !== "allow" && spec.expected !== "deny") throw new Error(`${where}: expected must be allow or deny`);
    if ((spec.class === "must-allow") !== (spec.expected === "allow")) throw new Error(`${where}: must-allow cases expect allow, every other class deny`);
}

/** The hand-written cases of one purpose (`common` for the must-deny cases every principal gets). */
export function loadSpecs(purpose: PrincipalPurpose | "common"): CaseSpec[] {
    const file = path.join(CASES_DIR, `${purpose}.yaml`);
    if (!existsSync(file)) return [];
    const specs = (parse(readFileSync(file, "utf8")) ?? []) as CaseSpec[];
    const ids = new Set<string>();
    for (const s of specs) {
        validate(s, path.basename(file));
        if (ids.has(s.id)) throw new Error(`${purpose}.yaml: duplicate id ${s.id}`);
        ids.add(s.id);
    }
    return specs;
}

/** Fills a spec for a stack; undefined when it does not apply (stack, mode, or a placeholder the stack lacks). */
export function concretize(spec: CaseSpec, purpose: PrincipalPurpose, m: StackModel, mode: Mode): Case | undefined {
    if (spec.stacks && !spec.stacks.includes(m.stack)) return undefined;
    if (spec.modes && !spec.modes.includes(mode)) return undefined;
    const resource = fill(spec.resource, m.vars);
    if (resource === undefined) return undefined;
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(spec.context ?? {})) {
        const filled = Array.isArray(v) ? v.map((x) => fill(String(x), m.vars)) : fill(String(v), m.vars);
        if (filled === undefined || (Array.isArray(filled) && filled.some((x) => x === undefined))) return undefined;
        context[k] = filled as string | string[];
    }
    return { id: spec.id, purpose, class: spec.class, action: spec.action, resource, context, expected: spec.expected, reason: spec.reason, source: `cases/${purpose}.yaml` };
}

// ---- must-allow from ParallelCluster's documents ----

/**
 * Requests in ParallelCluster's documents the project leaves out on purpose (the same pins as
 * test/policies/pc312*.test.ts, docs/parallelcluster-grants.md): `action` and a resource substring.
 */
const FIXTURE_PINS: Array<{ purpose: PrincipalPurpose; action: string; resource: string; why: string }> = [
    { purpose: "cluster-user", action: "iam:DeleteServiceLinkedRole", resource: "", why: "ParallelCluster never deletes a service-linked role" },
    { purpose: "head-node", action: "s3:ListBucket", resource: "-v1-do-not-delete", why: "no head-node caller lists the cluster bucket" },
    {
        purpose: "head-node", action: "iam:PassRole", resource: ":role/parallelcluster/",
        why: "ParallelCluster's role/parallelcluster/<cluster>/* is for the compute roles it creates itself; with pre-created instance profiles the head node passes exactly the compute roles created with it (README D29, allowed by the allow-pass-compute cases)",
    },
    { purpose: "head-node", action: "s3:GetBucketLocation", resource: "-v1-do-not-delete", why: "no head-node caller asks the cluster bucket's location" },
    { purpose: "compute-node", action: "dynamodb:UpdateItem", resource: "table/parallelcluster-", why: "no compute-side caller updates the cluster table" },
    { purpose: "compute-node", action: "dynamodb:GetItem", resource: "table/parallelcluster-", why: "no compute-side caller reads the cluster table" },
    { purpose: "login-node", action: "dynamodb:UpdateItem", resource: "table/parallelcluster-", why: "no login-node caller updates the cluster table" },
    { purpose: "login-node", action: "dynamodb:GetItem", resource: "table/parallelcluster-", why: "no login-node caller reads the cluster table" },
];

/**
 * Template grants for features the stack does not use, or that its IAM mode does instead with pre-created
 * resources: FSx (no user-fsx policy), login nodes (no login-node role: autoscaling / elasticloadbalancing),
 * capacity-reservation resource groups, and in restricted mode every IAM write (roles and instance profiles are
 * pre-created; the stack's own roles are passed by the allow-pass-* cases in cases/cluster-user.yaml).
 */
function featureOff(m: StackModel, mode: Mode, r: ConcreteRequest): boolean {
    const a = r.action.toLowerCase();
    // The user's policies are packed by position: look for FSx in what they grant, not in their names.
    const fsx = m.manifest.policies.filter((p) => p.purpose === "cluster-user").some((p) => JSON.stringify(p.document).includes('"fsx:'));
    const login = m.roles.some((x) => x.purpose === "login-node");
    const resourceGroups = Object.keys(m.manifest.config).some((k) => /capacityReservation/i.test(k) && m.manifest.config[k]);
    const service = String([r.context["iam:AWSServiceName"]].flat()[0] ?? "");
    if (!fsx && (a.startsWith("fsx:") || service.includes("fsx"))) return true;
    if (!login && (a.startsWith("autoscaling:") || a.startsWith("elasticloadbalancing:"))) return true;
    if (!resourceGroups && a.startsWith("resource-groups:")) return true;
    if (mode === "restricted" && /^iam:(create|delete|add|remove|put|attach|detach|tag|passrole)/.test(a) && !a.startsWith("iam:createservicelinkedrole")) return true;
    return false;
}

/** A fixture document moved to the stack: partition, region, cluster name, first queue, boundary ARN. */
function fixtureDocument(rel: string, m: StackModel, queue: string | undefined): PolicyDocument {
    let text = readFileSync(path.join(FIXTURES, rel), "utf8");
    text = text.replace(/arn:aws:/g, `arn:${m.partition}:`).replace(/us-east-1/g, m.region);
    text = text.replace(/(stack\/|table\/parallelcluster-|table\/parallelcluster-slurm-|clusters\/|project\/pcluster-|autoScalingGroupName\/|key-pair\/|repository\/|role\/parallelcluster\/)hpc(?=[-/"])/g, `$1${m.cluster}`);
    text = text.replace(/"hpc"/g, JSON.stringify(m.cluster));
    if (queue) text = text.replace(/"q1"/g, JSON.stringify(queue));
    const fsxBucket = [m.manifest.config["parallelcluster-iam:fsxBuckets"]].flat()[0];
    if (typeof fsxBucket === "string" && fsxBucket) text = text.replace(/my-fsx-bucket/g, fsxBucket);
    if (m.boundaryArn) text = text.replace(new RegExp(`arn:${m.partition}:iam::123456789012:policy/parallelcluster/operator/boundary`, "g"), m.boundaryArn);
    return JSON.parse(text) as PolicyDocument;
}

/** The user fixture files that match the stack's features and mode. */
function userFixtures(m: StackModel, mode: Mode): string[] {
    const names = m.manifest.policies.filter((p) => p.purpose === "cluster-user").map((p) => p.name);
    const has = (f: string): boolean => names.some((n) => n.includes(`-user-${f}`));
    const variant = has("batch") ? "batch" : has("fsx") ? "fsx" : "default";
    const dir = `user/${variant}/us-east-1`;
    const files = ["ParallelClusterClusterPolicy1.json", "ParallelClusterClusterPolicy2.json", "ParallelClusterLogRetrievalPolicy.json"];
    if (has("image-build")) files.push("ParallelClusterImageManagedPolicy.json");
    if (variant === "batch") files.push("ParallelClusterClusterPolicyBatch.json");
    if (variant === "fsx") files.push("ParallelClusterFSxS3AccessPolicy.json");
    const out = files.map((f) => `${dir}/${f}`);
    // The IAM admin grants: privileged as the default template; PermissionsBoundary mode as its boundary variant;
    // restricted mode creates no roles (its PassRole cases are in cases/cluster-user.yaml).
    if (mode === "privileged") out.push(`${dir}/DefaultParallelClusterIamAdminPolicy.json`);
    if (mode === "boundary") out.push("user/boundary/us-east-1/DefaultParallelClusterIamAdminPolicy.json");
    return out;
}

function nodeFixtures(purpose: PrincipalPurpose, scheduler: string): string[] {
    const s = scheduler === "awsbatch" ? "awsbatch" : "slurm";
    switch (purpose) {
        case "head-node":
            return [`nodes/${s}/head-node.json`];
        case "compute-node":
            return s === "slurm" ? ["nodes/slurm/compute-q1.json"] : [];
        case "login-node":
            return ["nodes/slurm/login-login.json"];
        case "lambda-functions":
            return [`nodes/${s}/lambda-functions-role.json`];
        default:
            return [];
    }
}

/**
 * Must-allow cases from ParallelCluster's documents for one principal purpose in a stack: every concrete request
 * a statement grants (literal actions, a few expansions of wildcards), but the pinned ones.
 */
export async function fixtureCases(purpose: PrincipalPurpose, m: StackModel, mode: Mode): Promise<Case[]> {
    const role = m.roles.find((r) => r.purpose === purpose);
    if (!role) return [];
    const scheduler = role.scheduler ?? (m.roles.some((r) => r.scheduler === "awsbatch") ? "awsbatch" : "slurm");
    const files = purpose === "cluster-user" ? userFixtures(m, mode) : nodeFixtures(purpose, scheduler);
    const o = { partition: m.partition, accountId: m.account, region: m.region };
    // What the real callers send that the statements do not state (as in test/policies/pc312*.test.ts).
    const real = (label: string) => realRequestContext(purpose, {
        cluster: m.cluster, scheduler: scheduler === "awsbatch" ? "awsbatch" : "slurm", image: label.includes("Image"), boundaryArn: m.boundaryArn ?? undefined,
    });
    const out: Case[] = [];
    const seen = new Set<string>();
    for (const rel of files) {
        const doc = fixtureDocument(rel, m, role.queue ?? m.roles.find((r) => r.queue)?.queue ?? undefined);
        const label = path.basename(rel, ".json");
        let n = 0;
        for (const st of doc.Statement) {
            if (st.Effect !== "Allow") continue;
            for (const action of Array.isArray(st.Action) ? st.Action : [st.Action as string]) {
                let reqs: ConcreteRequest[];
                try {
                    reqs = await concreteRequests({ ...st, Action: action }, o);
                } catch (e) {
                    // Grants IAM never applies (a resource-less action on an ARN): nothing ParallelCluster can rely on.
                    if (/^no concrete resource|^no expansion/.test((e as Error).message)) continue;
                    throw e;
                }
                for (const r of reqs) {
                    if (purpose === "cluster-user" && featureOff(m, mode, r)) continue;
                    if (FIXTURE_PINS.some((p) => p.purpose === purpose && p.action.toLowerCase() === r.action.toLowerCase() && r.resource.includes(p.resource))) continue;
                    const context = { ...r.context, ...contextFor(real(label), r.action) };
                    const key = `${r.action} ${r.resource} ${JSON.stringify(context)}`;
                    if (seen.has(key)) continue;
                    seen.add(key);
                    n++;
                    out.push({
                        id: `pc-${label}-${String(n).padStart(3, "0")}`,
                        purpose,
                        class: "must-allow",
                        action: r.action,
                        resource: r.resource,
                        context,
                        expected: "allow",
                        reason: `ParallelCluster 3.12 grants it (${rel}${st.Sid ? ` ${st.Sid}` : ""})`,
                        source: `fixtures/parallelcluster-3.12/${rel}`,
                    });
                }
            }
        }
    }
    return out;
}

/** Every case of a stack, by principal purpose. */
export async function casesFor(m: StackModel, mode: Mode): Promise<Case[]> {
    const out: Case[] = [];
    for (const purpose of PRINCIPAL_PURPOSES) {
        if (!m.roles.some((r) => r.purpose === purpose)) continue;
        out.push(...(await fixtureCases(purpose, m, mode)));
        const own = loadSpecs(purpose);
        const ids = new Set(own.map((s) => s.id));
        for (const spec of [...own, ...loadSpecs("common")]) {
            const c = concretize(spec, purpose, m, mode);
            if (c) out.push({ ...c, source: ids.has(spec.id) ? c.source : "cases/common.yaml" });
        }
    }
    return out;
}

/** Every data file's name (for the docs and the test). */
export function caseFiles(): string[] {
    return readdirSync(CASES_DIR).filter((f) => /\.ya?ml$|\.json$/.test(f)).sort();
}
