/**
 * The ParallelCluster release the roles and policies are built for. Every grant is what that release's code calls
 * (docs/parallelcluster-grants.md names the source and the release that introduced each one).
 */

/** Releases whose grants this package knows. Older releases are not supported: their grants were never checked. */
export const SUPPORTED_PARALLELCLUSTER_VERSIONS = ["3.12"] as const;

export type ParallelClusterVersion = (typeof SUPPORTED_PARALLELCLUSTER_VERSIONS)[number];

/** The release built for when no `parallelClusterVersion` is given. */
export const DEFAULT_PARALLELCLUSTER_VERSION: ParallelClusterVersion = "3.12";

/** Validates a `parallelClusterVersion` value (major.minor, as in the cluster configuration's `Image` version); undefined means the default. */
export function validateParallelClusterVersion(value: unknown, field = "parallelClusterVersion"): ParallelClusterVersion {
    if (value === undefined) return DEFAULT_PARALLELCLUSTER_VERSION;
    if (typeof value !== "string" || !(SUPPORTED_PARALLELCLUSTER_VERSIONS as readonly string[]).includes(value)) {
        throw new Error(`${field}: '${String(value)}' is not supported; supported: ${SUPPORTED_PARALLELCLUSTER_VERSIONS.join(", ")}`);
    }
    return value as ParallelClusterVersion;
}
