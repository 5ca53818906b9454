/**
 * What the policies share about IAM resources: which ones are meant for ParallelCluster, where their
 * documents live, and how to name them in a message.
 */
import { OPERATOR_PATH } from "../shared/allowlist";
import { partitionOfRegion, Partition } from "../shared/partition";
import { IAM_PATH, TAG_KEYS } from "../shared/vocabulary";
import { parseDocument } from "./documents";
import { trustAdmitsCompute } from "./semantics";
import { isUnknown, list, str, tagKeys, Unknown, UNKNOWN } from "./values";

/** Our components tag every role, policy and instance profile with this key. */
export const PURPOSE_TAG = TAG_KEYS.purpose;
/** The path ParallelCluster's allow-list and docs use. */
export const PARALLELCLUSTER_PATH = IAM_PATH;

export const TYPES = {
    role: "aws:iam/role:Role",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
} as const;

/** `aws:iam/role:Role 'head-node'`: the type and the Pulumi name the user wrote. */
export function label(type: string, name: string): string {
    return `${type} '${name}'`;
}

/**
 * "parallelcluster" or "pcluster" as a whole word: bounded by the start or end, a separator (`-`,
 * `_`, `/`, `.`, `+`, `=`, `,`, `@`, `:`), a digit, or a camelCase step (`myPclusterRole`,
 * `pclusterSSM2`, `ParallelClusterHead`). `eks-appcluster-node` and `webappcluster-ecs` do not count.
 */
const WORDS = ["parallelcluster", "pcluster"];

function isLower(c: string): boolean {
    return c >= "a" && c <= "z";
}
function isUpper(c: string): boolean {
    return c >= "A" && c <= "Z";
}
function isLetter(c: string): boolean {
    return isLower(c) || isUpper(c);
}

/** True when `name[i..i+len)` (a case-insensitive occurrence of a word) stands as a word of its own. */
function wholeWord(name: string, i: number, len: number): boolean {
    const before = i > 0 ? name[i - 1] : "";
    const first = name[i];
    const last = name[i + len - 1];
    const after = i + len < name.length ? name[i + len] : "";
    const startOk = before === "" || !isLetter(before) || (isLower(before) && isUpper(first));
    const endOk = after === "" || !isLetter(after) || (isUpper(after) && isLower(last));
    return startOk && endOk;
}

/** True when an IAM name (or name prefix, or ARN) names ParallelCluster as a whole word. */
export function pcByName(name: string | Unknown | undefined): boolean {
    if (typeof name !== "string") return false;
    const lower = name.toLowerCase();
    for (const w of WORDS) {
        for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) if (wholeWord(name, i, w.length)) return true;
    }
    return false;
}

/**
 * Why a role, instance profile or customer policy is meant for ParallelCluster, judged from its own
 * properties, or undefined when it is not:
 * - tagged `parallelcluster-iam:purpose` (our components) or with a `parallelcluster:` key (ParallelCluster's own tags);
 * - its IAM name or name prefix has "parallelcluster" or "pcluster" as a whole word (`pcByName`);
 * - its path is one of `pcPaths` or below.
 */
export function pcReason(props: Record<string, unknown>, pcPaths: readonly string[] = [PARALLELCLUSTER_PATH]): string | undefined {
    const tag = tagKeys(props).find((k) => k === PURPOSE_TAG || k.startsWith("parallelcluster:"));
    if (tag) return `it is tagged '${tag}'`;
    for (const field of ["name", "namePrefix"]) {
        const n = str(props[field]);
        if (pcByName(n)) return `its ${field === "name" ? "name" : "name prefix"} '${n as string}' mentions ParallelCluster`;
    }
    const path = str(props.path);
    if (typeof path === "string") {
        const p = pcPaths.find((x) => path.startsWith(x));
        if (p) return `it is on path '${path}'`;
    }
    return undefined;
}

/**
 * The operator's own roles (the ParallelCluster user role) live below `/parallelcluster/operator/`: on the
 * ParallelCluster path, but not roles ParallelCluster hands its instances or functions (this project's
 * grants deny passing them), so the allow-list and the cluster's boundary are not for them. The path
 * alone proves nothing: see `operatorExemption` (one resource) and `StackView.operatorExempt` (the stack).
 */
export function isOperatorPath(props: Record<string, unknown>): boolean {
    const path = str(props.path);
    return typeof path === "string" && path.startsWith(OPERATOR_PATH);
}

/**
 * What one role's own properties say about the operator exemption: `true` when it is below
 * `/parallelcluster/operator/` and its trust policy lets neither EC2 nor Lambda assume it; `false`
 * when it is not below that path or its trust policy admits EC2 or Lambda (then it is a role handed to
 * instances or functions like any other); `"unknown"` when the trust policy is unknown during preview.
 */
export function operatorExemption(props: Record<string, unknown>): boolean | "unknown" {
    if (!isOperatorPath(props)) return false;
    const trust = parseDocument(props.assumeRolePolicy);
    const admits = trustAdmitsCompute(trust.kind === "document" ? trust.doc : trust.kind === "unknown" ? "unknown" : undefined);
    if (admits === "unknown") return "unknown";
    return admits === false;
}

/** The IAM path as IAM applies it: absent means "/". */
export function iamPath(props: Record<string, unknown>): string | Unknown {
    const p = str(props.path);
    return p === undefined ? "/" : p;
}

/** A path is on `base` when it equals it or lies below it. */
export function onPath(path: string, base: string): boolean {
    return path.startsWith(base);
}

export interface DocumentSource {
    /** e.g. "inline policy 'x'" or "policy document". */
    what: string;
    value: unknown;
    /** The inline policy name, when it has one (for per-role de-duplication). */
    inlineName?: string;
}

/** The permission documents a resource carries (trust policies are left out: they grant nothing). */
export function documentsOf(type: string, props: Record<string, unknown>): DocumentSource[] | Unknown {
    switch (type) {
        case TYPES.role: {
            const inl = list(props.inlinePolicies);
            if (isUnknown(inl)) return UNKNOWN;
            const out: DocumentSource[] = [];
            for (const [i, p] of inl.entries()) {
                if (isUnknown(p)) {
                    out.push({ what: `inline policy #${i + 1}`, value: UNKNOWN });
                    continue;
                }
                const e = (p ?? {}) as Record<string, unknown>;
                const n = str(e.name);
                // The provider represents "no inline policies" as one entry without a document.
                if (e.policy === undefined || e.policy === "") continue;
                out.push({ what: `inline policy '${typeof n === "string" ? n : `#${i + 1}`}'`, value: e.policy, inlineName: typeof n === "string" ? n : undefined });
            }
            return out;
        }
        case TYPES.rolePolicy: {
            const n = str(props.name);
            return [{ what: `inline policy '${typeof n === "string" ? n : "?"}'`, value: props.policy, inlineName: typeof n === "string" ? n : undefined }];
        }
        case TYPES.policy:
        case TYPES.userPolicy:
        case TYPES.groupPolicy:
            return [{ what: "policy document", value: props.policy }];
        default:
            return [];
    }
}

/** The partition of the resource's provider region, when the provider says so. */
export function providerPartition(provider: { props: Record<string, unknown> } | undefined): Partition | undefined {
    const region = provider ? str(provider.props.region) : undefined;
    if (typeof region !== "string") return undefined;
    try {
        return partitionOfRegion(region);
    } catch {
        return undefined;
    }
}
