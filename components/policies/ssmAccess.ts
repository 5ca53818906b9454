/**
 * The SSM access policy of seed 003 (instances use Systems Manager and one S3 bucket), named so that
 * ParallelCluster's AdditionalIamPolicies allow-list accepts it.
 */
import { PolicyContext, checkContext, s3Arn, validateBucketName } from "./context";
import { PolicyDocument, policyDocument } from "./types";

/** Name for the customer-managed policy; at path `/` its ARN matches the allow-list's `policy/parallelcluster*`. */
export const SSM_ACCESS_POLICY_NAME: string = "parallelcluster-ssm-access";

export interface SsmAccessOptions {
    /** Bucket for job input/output and SSM command output. */
    readonly bucket: string;
}

/** SSM, ssmmessages and ec2messages on `*`, plus every object action on the one bucket's objects. */
export function ssmAccessPolicy(ctx: PolicyContext, opts: SsmAccessOptions): PolicyDocument {
    checkContext(ctx);
    if (opts === null || typeof opts !== "object") throw new Error(`opts: '${String(opts)}' is not an options object; expected { bucket }`);
    validateBucketName("bucket", opts.bucket);
    return policyDocument([
        {
            Effect: "Allow",
            Action: [
                "ssm:DescribeAssociation",
                "ssm:GetDeployablePatchSnapshotForInstance",
                "ssm:GetDocument",
                "ssm:DescribeDocument",
                "ssm:GetManifest",
                "ssm:GetParameter",
                "ssm:GetParameters",
                "ssm:ListAssociations",
                "ssm:ListInstanceAssociations",
                "ssm:PutInventory",
                "ssm:PutComplianceItems",
                "ssm:PutConfigurePackageResult",
                "ssm:UpdateAssociationStatus",
                "ssm:UpdateInstanceAssociationStatus",
                "ssm:UpdateInstanceInformation",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
                "ec2messages:AcknowledgeMessage",
                "ec2messages:DeleteMessage",
                "ec2messages:FailMessage",
                "ec2messages:GetEndpoint",
                "ec2messages:GetMessages",
                "ec2messages:SendReply",
            ],
            Resource: "*",
        },
        { Effect: "Allow", Action: ["s3:*"], Resource: s3Arn(ctx, `${opts.bucket}/*`) },
    ]);
}
