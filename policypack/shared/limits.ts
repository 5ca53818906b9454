/** IAM quotas and naming rules: the single source of truth for documents, components and the policy pack. */
import { PolicyDocument } from "./types";

/** A customer-managed policy holds at most 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** A role's inline policies together hold at most 10,240 characters, whitespace not counted. */
export const ROLE_INLINE_POLICIES_MAX_CHARS = 10240;
/** Managed policies attached to one role: default quota. */
export const MANAGED_POLICIES_PER_ROLE_DEFAULT = 10;
/** Managed policies attached to one role: the most the quota can be raised to. */
export const MANAGED_POLICIES_PER_ROLE_MAX = 20;
export const ROLE_NAME_MAX = 64;
export const POLICY_NAME_MAX = 128;
export const INSTANCE_PROFILE_NAME_MAX = 128;
export const PATH_MAX = 512;

/** Size of a document as IAM counts it: the JSON text without whitespace. */
export function policySize(doc: PolicyDocument | object): number {
    return JSON.stringify(doc).replace(/\s/g, "").length;
}

const NAME_RE = /^[\w+=,.@-]+$/;

/** IAM role / policy / instance-profile name rule. */
export function validateIamName(field: string, value: string, max: number): string {
    if (typeof value !== "string" || value.length === 0 || value.length > max || !NAME_RE.test(value)) {
        throw new Error(
            `${field}: '${String(value)}' is not a valid IAM name; expected 1-${max} characters of letters, digits and + = , . @ _ -` +
                (typeof value === "string" && value.length > max ? ` (it has ${value.length})` : ""),
        );
    }
    return value;
}

/** IAM path rule: starts and ends with '/', at most 512 characters of printable ASCII. */
export function validatePath(field: string, value: string): string {
    if (typeof value !== "string" || !value.startsWith("/") || !value.endsWith("/") || value.length > PATH_MAX ||
        !/^[\u0021-\u007e]+$/.test(value) || value.includes("//")) {
        throw new Error(
            `${field}: '${String(value)}' is not a valid IAM path; expected '/' or a path that starts and ends with '/', ` +
                `at most ${PATH_MAX} printable characters, no empty segment`,
        );
    }
    return value;
}

/** ParallelCluster's IAM path rule: `/parallelcluster/` or a path below it. */
export function validateParallelClusterPath(field: string, value: string): string {
    validatePath(field, value);
    if (!value.startsWith("/parallelcluster/")) {
        throw new Error(`${field}: '${value}' is not on the ParallelCluster path; expected '/parallelcluster/' or '/parallelcluster/<something>/'`);
    }
    return value;
}

/** Throws when a customer-managed policy document is over the limit. */
export function assertManagedPolicySize(field: string, doc: PolicyDocument): void {
    const n = policySize(doc);
    if (n > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(`${field}: the policy document has ${n} non-whitespace characters; a managed policy holds at most ${MANAGED_POLICY_MAX_CHARS}`);
    }
}

/** Throws when a role's inline documents together are over the limit. */
export function assertInlinePoliciesSize(field: string, docs: PolicyDocument[]): void {
    const n = docs.reduce((sum, d) => sum + policySize(d), 0);
    if (n > ROLE_INLINE_POLICIES_MAX_CHARS) {
        throw new Error(`${field}: the role's inline policies have ${n} non-whitespace characters together; at most ${ROLE_INLINE_POLICIES_MAX_CHARS} allowed`);
    }
}
