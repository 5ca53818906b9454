/**
 * Partitions: the single source of truth for ARN prefixes, service principals and region -> partition.
 */

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

export const PARTITIONS: readonly Partition[] = ["aws", "aws-cn", "aws-us-gov"];

// Region names: geography-area-number, e.g. us-east-1, ap-southeast-4, cn-north-1, us-gov-west-1, eu-isoe... (iso partitions unsupported).
const REGION_RE = /^(us-gov|cn|us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** True for a syntactically valid commercial, China or GovCloud region name. */
export function isRegion(region: string): boolean {
    return REGION_RE.test(region);
}

/** The partition a region belongs to. Throws for anything that is not a region of a supported partition. */
export function partitionOfRegion(region: string, field = "region"): Partition {
    if (typeof region !== "string" || !isRegion(region)) {
        throw new Error(
            `${field}: '${String(region)}' is not a region of a supported partition; ` +
                `expected a region name such as 'us-east-1', 'cn-north-1' or 'us-gov-west-1'`,
        );
    }
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/** Throws unless `p` is one of the supported partitions. */
export function assertPartition(p: string, field = "partition"): asserts p is Partition {
    if (!(PARTITIONS as readonly string[]).includes(p)) {
        throw new Error(`${field}: '${p}' is not a supported partition; allowed: ${PARTITIONS.join(", ")}`);
    }
}

/** `arn:${partition}` */
export function arnPrefix(partition: Partition): string {
    return `arn:${partition}`;
}

/** DNS suffix of service principals in a partition. */
export function principalSuffix(partition: Partition): string {
    return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** The EC2 service principal: `ec2.amazonaws.com.cn` in China, `ec2.amazonaws.com` elsewhere. */
export function ec2Principal(partition: Partition): string {
    return `ec2.${principalSuffix(partition)}`;
}

/** Lambda's service principal is `lambda.amazonaws.com` in every partition. */
export function lambdaPrincipal(_partition: Partition): string {
    return "lambda.amazonaws.com";
}

/**
 * Values for `iam:PassedToService` when passing a role to EC2. The official ParallelCluster
 * template lists both spellings in China, where EC2 reports either.
 */
export function ec2PassedToService(partition: Partition): string[] {
    return partition === "aws-cn" ? ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] : ["ec2.amazonaws.com"];
}

/** ARN of an AWS-managed policy, e.g. `awsManagedPolicyArn("aws", "service-role/AWSBatchServiceRole")`. */
export function awsManagedPolicyArn(partition: Partition, name: string): string {
    return `${arnPrefix(partition)}:iam::aws:policy/${name}`;
}
