/**
 * Optional ParallelCluster features that need node grants only when configured. Each option is off by default and
 * adds exactly the statement ParallelCluster 3.12 would add to a role it creates (docs/parallelcluster-grants.md).
 */
import { PolicyContext, regionalArn, validateUnique } from "./context";
import { PolicyStatement } from "./types";

export interface EfsOptions {
    /**
     * EFS file systems mounted with `SharedStorage/EfsSettings/IamAuthorization: true` (`fs-…` IDs): efs-utils mounts
     * them with the node's role (`Efs` statement of cdk_builder_utils.py, 3.4).
     */
    readonly efsFileSystemIds?: readonly string[];
}

const EFS_ID_RE = /^fs-[0-9a-f]{8,40}$/;

/** Validates `efsFileSystemIds`. */
export function validateEfsIds(values: readonly string[] | undefined, field = "efsFileSystemIds"): string[] {
    if (values === undefined) return [];
    if (!Array.isArray(values)) throw new Error(`${field}: '${String(values)}' is not a list; expected EFS file system IDs (fs-…)`);
    values.forEach((v, i) => {
        if (typeof v !== "string" || !EFS_ID_RE.test(v)) throw new Error(`${field}[${i}]: '${String(v)}' is not an EFS file system ID; expected fs- and 8-40 hex digits`);
    });
    validateUnique(field, values);
    return [...values];
}

/** The `Efs` statement for the file systems with IAM authorization; none without any. */
export function efsClientStatements(ctx: PolicyContext, opts: EfsOptions): PolicyStatement[] {
    const ids = validateEfsIds(opts.efsFileSystemIds);
    if (ids.length === 0) return [];
    return [{
        Sid: "Efs",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite"],
        Resource: ids.map((id) => regionalArn(ctx, "elasticfilesystem", `file-system/${id}`)),
    }];
}
