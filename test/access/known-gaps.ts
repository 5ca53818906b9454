/**
 * Disagreements of the access matrix that are known and waiting for a fix in the documents or the boundary
 * (issue 10). test/access/access.test.ts fails on any disagreement not listed here AND on any entry here that no
 * longer disagrees, so this list only shrinks: delete an entry in the commit that fixes it.
 * Key: `<stack>/<principal purpose>/<case id>`.
 */
export interface KnownGap {
    key: string;
    /** What is wrong, and the fix it waits for. */
    reason: string;
}

const BOUNDARY_SERVICES = "the boundary's Services statement grants ec2:*, ssm:*, s3:*, cloudformation:* on * (and Secrets on secret:*): a role the user creates under it reaches everything in the account. Fix: scope the boundary (instances/ssm by aws:ResourceTag/parallelcluster:cluster-name with ec2:CreateTags denied on foreign resources, s3 to parallelcluster-*/aws-parallelcluster-*/configured buckets, secrets to configured ARNs, cloudformation writes to the cluster's stacks, aws:RequestedRegion when scopeToRegion)";
const BOUNDARY_OPERATOR = "the boundary protects /parallelcluster/operator/ only against attach and pass (DenyOperatorPass, ArnNotLikeIfExists on the policy): its IamRoleCleanup / IamBoundRoles / IamRole statements cover role/parallelcluster/* including operator/. Fix: a boundary Deny of every iam write (Detach/Delete/Put/Attach/Tag/Untag/CreateRole/UpdateAssumeRolePolicy) on role/parallelcluster/operator/* and policy/parallelcluster/operator/*";
const STACK_ROLES = "the stack's pre-created roles and profiles share role/parallelcluster/* with what ParallelCluster creates, and the user's IamRole / boundary IamRoleCleanup grant DeleteRole/DetachRolePolicy/DeleteInstanceProfile on the whole path. Fix: Deny on the stack's own role and profile ARNs in the user's IAM policy and the boundary";
const SSM_CORE = "AmazonSSMManagedInstanceCore (attached by ParallelCluster) grants ssm:GetParameter(s) on *, and the boundary allows ssm:*: every node reads every SSM parameter of the account. Fix: boundary allows ssm:GetParameter* only on parameter/aws/service/* and the cluster's parameters";
const HEAD_VOLUME = "the head node's CreateTags/AttachVolume/DetachVolume are on every instance and volume of the region (ParallelCluster's grant): attaching a foreign volume reads its data. Fix: condition AttachVolume on aws:ResourceTag/parallelcluster:cluster-name and deny CreateTags of that key on foreign resources";
const TAG_INSTANCE = "ec2:CreateTags on instance/* (user EC2Write, head node) lets the caller tag a foreign instance as parallelcluster:cluster-name/node-type=Compute, after which the tag-conditioned TerminateInstances / GetConsoleOutput apply. Fix: ec2:CreateTags only with ec2:CreateAction (RunInstances/CreateFleet/CreateVolume...) or on resources already tagged with the cluster";
const REGION = "scopeToRegion is not applied to the node documents or the boundary: the head node's RunInstances/CreateFleet and the boundary's ec2:* carry no aws:RequestedRegion. Fix: regionScope on node documents and the boundary";
const CFN_DELETE = "cloudformation:DeleteStack on stack/* (user): deleting a foreign stack runs its service role. Fix: stack/<cluster>/* and stack/<cluster>-*/* where the cluster is known (prod), or a parallelcluster:* resource-tag condition";
const CFN_TAG = "CloudFormationCreateAndUpdate is conditioned on aws:TagKeys containing parallelcluster:cluster-name, which the caller supplies in the request: UpdateStack of any foreign stack passes. Fix: add aws:ResourceTag/parallelcluster:cluster-name for UpdateStack (existing stacks) or scope the resource to the cluster's stacks";
const SLR = "the boundary's IamServiceLinkedRoles allows iam:CreateServiceLinkedRole on aws-service-role/* for any service. Fix: condition iam:AWSServiceName on the services ParallelCluster uses";

function gaps(reason: string, keys: string[]): KnownGap[] {
    return keys.map((key) => ({ key, reason }));
}

export const KNOWN_GAPS: KnownGap[] = [
    // ---- staging: PermissionsBoundary mode ----
    ...gaps(BOUNDARY_SERVICES, [
        "staging/cluster-user/lat-ssm-send-command",
        "staging/cluster-user/lat-ssm-start-session",
        "staging/cluster-user/lat-stop-instance",
        "staging/cluster-user/lat-userdata",
        "staging/cluster-user/lat-start-instance",
        "staging/cluster-user/lat-replace-profile",
        "staging/cluster-user/lat-secret",
        "staging/cluster-user/lat-s3-get",
        "staging/cluster-user/lat-s3-put",
        "staging/cluster-user/lat-s3-delete",
        "staging/cluster-user/lat-s3-bucket-policy",
        "staging/cluster-user/lat-s3-bucket-delete",
        "staging/cluster-user/lat-s3-public-access",
        "staging/cluster-user/lat-cfn-update-foreign",
        "staging/cluster-user/lat-cfn-changeset-foreign",
        "staging/cluster-user/lat-cfn-stack-policy",
        "staging/cluster-user/lat-other-region",
        "staging/cluster-user/lat-terminate-foreign",
    ]),
    ...gaps(BOUNDARY_OPERATOR, [
        "staging/cluster-user/op-attach-pc-policy",
        "staging/cluster-user/op-detach",
        "staging/cluster-user/op-delete-policy",
        "staging/cluster-user/op-delete-role",
        "staging/cluster-user/op-tag-role",
        "staging/cluster-user/op-create-role",
    ]),
    ...gaps(STACK_ROLES, ["staging/cluster-user/lat-delete-stack-role", "staging/cluster-user/lat-detach-stack-role", "staging/cluster-user/lat-delete-stack-profile"]),
    ...gaps(SLR, ["staging/cluster-user/esc-slr-foreign-service"]),
    ...gaps(SSM_CORE, ["staging/cluster-user/lat-ssm-parameter", "staging/head-node/lat-ssm-parameter"]),
    ...gaps(HEAD_VOLUME, ["staging/cluster-user/lat-attach-volume-foreign", "staging/head-node/lat-attach-volume-foreign"]),
    ...gaps(TAG_INSTANCE, ["staging/cluster-user/tag-instance-cluster", "staging/cluster-user/tag-instance-node-type", "staging/head-node/tag-instance-cluster", "staging/head-node/tag-instance-node-type"]),
    ...gaps(CFN_DELETE, ["staging/cluster-user/lat-cfn-delete-foreign"]),
    ...gaps(CFN_TAG, ["staging/cluster-user/tag-cfn-update-foreign"]),
    // ---- prod: restricted mode ----
    ...gaps(SSM_CORE, [
        "prod/compute-node/lat-ssm-parameter",
        "prod/head-node/lat-ssm-parameter",
        "prod/image-builder-instance/lat-ssm-parameter",
        "prod/cluster-user/lat-ssm-parameter",
    ]),
    ...gaps(HEAD_VOLUME, ["prod/head-node/lat-attach-volume-foreign", "prod/cluster-user/lat-attach-volume-foreign"]),
    ...gaps(REGION, ["prod/head-node/lat-other-region", "prod/cluster-user/lat-other-region"]),
    ...gaps(TAG_INSTANCE, ["prod/head-node/tag-instance-cluster", "prod/head-node/tag-instance-node-type", "prod/cluster-user/tag-instance-cluster", "prod/cluster-user/tag-instance-node-type"]),
    ...gaps(CFN_DELETE, ["prod/cluster-user/lat-cfn-delete-foreign"]),
    ...gaps(CFN_TAG, ["prod/cluster-user/tag-cfn-update-foreign"]),
];
