/** IAM policy document types. Documents are plain JSON-compatible objects, never strings. */

export type StringOrList = string | string[];

/** Condition block: operator -> condition key -> value(s). */
export type ConditionBlock = Record<string, Record<string, StringOrList | boolean>>;

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: StringOrList;
    NotAction?: StringOrList;
    Resource?: StringOrList;
    NotResource?: StringOrList;
    Principal?: "*" | Record<string, StringOrList>;
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** What an EC2 or Lambda role of ParallelCluster needs: AWS-managed policies to attach plus one inline document. */
export interface RolePolicySet {
    /** Managed policy ARNs to attach (partition-aware). */
    managedPolicyArns: string[];
    /** The role's inline policy document. */
    inlinePolicy: PolicyDocument;
}

/** Wraps statements in a document. */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** A value or list as a list. */
export function asList<T>(v: T | T[] | undefined): T[] {
    if (v === undefined) return [];
    return Array.isArray(v) ? v : [v];
}
