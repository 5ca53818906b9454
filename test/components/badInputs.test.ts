import * as assert from "node:assert/strict";
import { AdditionalPolicy, ApiFunctionAccess, ClusterNodeRoles, ClusterUserRole, ImageBuildRoles, PermissionsBoundary } from "../../components";
import { InputPropertiesError } from "@pulumi/pulumi";
import { record } from "../support/harness";

type Case = [title: string, make: () => unknown, message: RegExp];

const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const BOUNDARY = "arn:aws:iam::123456789012:policy/parallelcluster/boundary";
const q = [{ name: "cpu" }];
const node = (args: Record<string, unknown>) => () => new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: q, ...args } as never);
const user = (args: Record<string, unknown>) => () => new ClusterUserRole("ops", { iamMode: "privileged", trustedPrincipalArns: [ADMIN], ...args } as never);

// Each message must name the field and the value, and say what is allowed.
const cases: Case[] = [
    ["empty cluster name", () => new ClusterNodeRoles("hpc", { clusterName: "", queues: q }), /clusterName: '' is not a valid cluster name; expected a letter/],
    ["cluster name with underscore", () => new ClusterNodeRoles("hpc", { clusterName: "my_cluster", queues: q }), /clusterName: 'my_cluster' is not a valid cluster name/],
    ["cluster name starting with a digit", () => new ClusterNodeRoles("hpc", { clusterName: "1hpc", queues: q }), /clusterName: '1hpc'.*expected a letter/],
    ["cluster name over 60 characters", () => new ClusterNodeRoles("hpc", { clusterName: "c" + "x".repeat(60), queues: q }), /clusterName: 'cx{60}'.*at most 60/],
    ["unknown scheduler", node({ scheduler: "sge" }), /scheduler: 'sge' is not supported; allowed: slurm, awsbatch/],
    ["Slurm with no queues", node({ queues: [] }), /queues: '\[\]' is empty; a Slurm cluster needs at least one queue/],
    ["queues with AWS Batch", node({ scheduler: "awsbatch" }), /queues: 'cpu' given with scheduler 'awsbatch'/],
    ["empty queue name", node({ queues: [{ name: "" }] }), /queues\[0\]\.name: '' is not a valid queue name; expected a lowercase letter/],
    ["upper-case queue name", node({ queues: [{ name: "GPU" }] }), /queues\[0\]\.name: 'GPU' is not a valid queue name/],
    ["queue name over 25 characters", node({ queues: [{ name: "q" + "x".repeat(25) }] }), /queues\[0\]\.name: 'qx{25}'.*at most 25/],
    ["duplicate queues", node({ queues: [{ name: "cpu" }, { name: "cpu" }] }), /queues\[1\]\.name: 'cpu' appears more than once/],
    ["more than 50 queues", node({ queues: Array.from({ length: 51 }, (_, i) => ({ name: `q${i}` })) }), /queues: 51 queues given; ParallelCluster allows at most 50/],
    ["a role name past 64 characters", () => new ClusterNodeRoles("a-rather-long-component-name-for-hpc", { clusterName: "hpc", queues: [{ name: "highmem-large-x" }] }),
        /queues\[0\]\.name: role 'a-rather-long-component-name-for-hpc-compute-highmem-large-x' would get a 68-character name.*at most 64/],
    ["path without leading slash", node({ iamPath: "parallelcluster/" }), /iamPath: 'parallelcluster\/' is not a valid IAM path; expected '\/' or a path that starts and ends with '\/'/],
    ["path without trailing slash", node({ iamPath: "/parallelcluster" }), /iamPath: '\/parallelcluster' is not a valid IAM path/],
    ["path off the ParallelCluster path", node({ iamPath: "/team/" }), /iamPath: '\/team\/' is not on the ParallelCluster path; expected '\/parallelcluster\/'/],
    ["boundary that is a role ARN", node({ permissionsBoundaryArn: ADMIN }), /permissionsBoundaryArn: 'arn:aws:iam::123456789012:role\/Admin' is not an IAM policy ARN; expected arn:aws:iam::/],
    ["boundary from another partition", node({ permissionsBoundaryArn: "arn:aws-cn:iam::123456789012:policy/b" }), /permissionsBoundaryArn: 'arn:aws-cn:iam::123456789012:policy\/b' is in partition 'aws-cn', not 'aws'/],
    ["disallowed additional policy", node({ additionalIamPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
        /additionalIamPolicies\[0\]: 'arn:aws:iam::aws:policy\/AdministratorAccess' is not on ParallelCluster's managed-policy allow-list; allowed: customer policies named 'parallelcluster\*'/],
    ["customer policy outside the allow-list", node({ queues: [{ name: "cpu", additionalIamPolicies: ["arn:aws:iam::123456789012:policy/pclusterSSM2"] }] }),
        /queues\[0\]\.additionalIamPolicies\[0\]: 'arn:aws:iam::123456789012:policy\/pclusterSSM2' is not on ParallelCluster's managed-policy allow-list/],
    ["additional policy from another partition", node({ additionalIamPolicies: ["arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess"] }), /additionalIamPolicies\[0\]: 'arn:aws-us-gov:iam::aws:policy\/AmazonS3ReadOnlyAccess' is in partition 'aws-us-gov', not 'aws'/],
    ["duplicate additional policy", node({ additionalIamPolicies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] }), /additionalIamPolicies\[1\]: '.*AmazonS3ReadOnlyAccess' appears more than once/],
    ["too many managed policies on one role", node({ additionalIamPolicies: Array.from({ length: 9 }, (_, i) => `arn:aws:iam::123456789012:policy/parallelcluster/p${i}`) }), /clusterName: the role would carry 11 managed policies; IAM's default quota is 10/],
    ["malformed secret", node({ secretArns: ["ad-password"] }), /secretArns\[0\]: 'ad-password' is not an ARN; expected arn:aws:secretsmanager:/],
    ["secret from another partition", node({ secretArns: ["arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-AbCdEf"] }), /secretArns\[0\]: '.*' is in partition 'aws-cn', not 'aws'/],
    ["S3 bucket ParallelCluster rejects", node({ s3Access: [{ bucketName: "My_Bucket" }] }), /s3Access\[0\]\.bucketName: 'My_Bucket' is not a valid S3 bucket name/],
    ["empty S3 bucket", node({ queues: [{ name: "cpu", s3Access: [{ bucketName: "" }] }] }), /queues\[0\]\.s3Access\[0\]\.bucketName: '' is empty/],
    ["bad name prefix", node({ namePrefix: "team prefix" }), /namePrefix: 'team prefix' is not a valid IAM name/],
    ["reserved tag key", node({ tags: { "aws:owner": "x" } }), /tags: tag key 'aws:owner' is not allowed/],
    ["unknown region", () => new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: q, region: "moon-1" }), /region: 'moon-1' is not a region of a supported partition/],
    ["malformed account", () => new ClusterNodeRoles("hpc", { clusterName: "hpc", queues: q, accountId: "1234" }), /accountId: '1234' is not an AWS account ID; expected exactly 12 digits/],
    ["unknown IAM mode", user({ iamMode: "admin" }), /iamMode: 'admin' is not an IAM mode; allowed: privileged, restricted, permissionsBoundary/],
    ["restricted mode with no roles to pass", user({ iamMode: "restricted" }), /passRoleArns: 'undefined' is empty; iamMode 'restricted' needs at least one pre-created role ARN/],
    ["restricted mode with a policy to pass", user({ iamMode: "restricted", passRoleArns: [BOUNDARY] }), /passRoleArns\[0\]: '.*policy\/parallelcluster\/boundary' is not an IAM role ARN/],
    ["restricted mode with AWS Batch", user({ iamMode: "restricted", passRoleArns: [ADMIN], batch: true }), /batch: 'true' is not available with iamMode 'restricted'/],
    ["boundary mode with no boundary", user({ iamMode: "permissionsBoundary" }), /permissionsBoundaryArn: 'undefined' is required with iamMode 'permissionsBoundary'; expected a policy ARN/],
    ["boundary given in privileged mode", user({ permissionsBoundaryArn: BOUNDARY }), /permissionsBoundaryArn: set with iamMode 'privileged'; it is used only with iamMode 'permissionsBoundary'/],
    ["no principals", user({ trustedPrincipalArns: [] }), /trustedPrincipalArns: '\[\]' is empty; expected at least one role, user or account-root ARN/],
    ["principal that is a policy", user({ trustedPrincipalArns: [BOUNDARY] }), /trustedPrincipalArns\[0\]: '.*' is not a role, user or account-root ARN/],
    ["principal from another partition", user({ trustedPrincipalArns: ["arn:aws-cn:iam::123456789012:root"] }), /trustedPrincipalArns\[0\]: 'arn:aws-cn:iam::123456789012:root' is in partition 'aws-cn'/],
    ["session too long", user({ maxSessionDuration: 86400 }), /maxSessionDuration: '86400' is out of range; expected a whole number of seconds from 3600 to 43200/],
    ["existing role with trust settings", user({ existingRoleName: "Ops" }), /trustedPrincipalArns: '\["arn:aws:iam::123456789012:role\/Admin"\]' cannot be set with existingRoleName/],
    ["FSx bucket ParallelCluster rejects", user({ fsx: true, fsxBuckets: ["bad..bucket"] }), /fsxBuckets\[0\]: 'bad\.\.bucket' is not a valid S3 bucket name/],
    ["FSx buckets without FSx", user({ fsxBuckets: ["data"] }), /fsxBuckets: '\["data"\]' is set but fsx is not/],
    ["region scope in another partition", user({ regionScope: "cn-north-1" }), /regionScope: 'cn-north-1' is not a region of partition 'aws'/],
    ["extra allowed policy that is a role", user({ extraAllowedPolicyArns: [ADMIN] }), /extraAllowedPolicyArns\[0\]: 'arn:aws:iam::123456789012:role\/Admin' is not an IAM policy ARN/],
    ["managed-policy quota out of range", user({ maxManagedPolicies: 30 }), /maxManagedPolicies: '30' is out of range; expected 10-20/],
    ["image build with a disallowed policy", () => new ImageBuildRoles("img", { additionalIamPolicies: ["arn:aws:iam::aws:policy/PowerUserAccess"] }), /additionalIamPolicies\[0\]: 'arn:aws:iam::aws:policy\/PowerUserAccess' is not on ParallelCluster's managed-policy allow-list/],
    ["image build off the path", () => new ImageBuildRoles("img", { iamPath: "/" }), /iamPath: '\/' is not on the ParallelCluster path/],
    ["boundary existing ARN that is a role", () => new PermissionsBoundary("pb", { existingArn: ADMIN }), /existingArn: 'arn:aws:iam::123456789012:role\/Admin' is not an IAM policy ARN/],
    ["boundary policy path off the ParallelCluster path", () => new PermissionsBoundary("pb", { policyPath: "/security/" }), /policyPath: '\/security\/' is not on the ParallelCluster path/],
    ["additional policy with neither document nor preset", () => new AdditionalPolicy("x", {}), /document: give exactly one of 'document' or 'preset' \(allowed presets: ssmAccess\)/],
    ["SSM preset without a bucket", () => new AdditionalPolicy("x", { preset: "ssmAccess" }), /bucket: 'undefined' is empty; expected 3-63 characters/],
    ["additional policy the allow-list would refuse", () => new AdditionalPolicy("x", { preset: "ssmAccess", bucket: "jobs", path: "/", policyName: "pclusterSSM2" }),
        /path: '\/' with policy name 'pclusterSSM2' would be refused by ParallelCluster's allow-list; expected path '\/parallelcluster\/'/],
    ["node roles: an extra allow-list entry that is an admin policy", node({ extraAllowedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"], additionalIamPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
        /extraAllowedPolicyArns\[0\]: 'arn:aws:iam::aws:policy\/AdministratorAccess' would let AdditionalIamPolicies attach .*refused: AdministratorAccess, IAMFullAccess, PowerUserAccess/],
    ["image build: an extra allow-list entry with a wildcard", () => new ImageBuildRoles("img", { extraAllowedPolicyArns: ["arn:aws:iam::123456789012:policy/team/*"] }),
        /extraAllowedPolicyArns\[0\]: 'arn:aws:iam::123456789012:policy\/team\/\*' contains a wildcard; expected one concrete policy ARN/],
    ["API function: an extra that admits every AWS policy", () => new ApiFunctionAccess("api", { functionRoleName: "fn", extraAllowedPolicyArns: ["arn:aws:iam::aws:policy/*"] }),
        /extraAllowedPolicyArns\[0\]: 'arn:aws:iam::aws:policy\/\*' would let AdditionalIamPolicies attach 'arn:aws:iam::aws:policy\/AdministratorAccess'/],
    ["user: an extra customer-policy wildcard", user({ extraAllowedPolicyArns: ["arn:aws:iam::123456789012:policy/*"] }), /extraAllowedPolicyArns\[0\]: 'arn:aws:iam::123456789012:policy\/\*' contains a wildcard/],
    ["node roles: an admin policy as the boundary", node({ permissionsBoundaryArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        /permissionsBoundaryArn: 'arn:aws:iam::aws:policy\/AdministratorAccess' is an admin policy and would bound nothing/],
    ["existing boundary that is an admin policy", () => new PermissionsBoundary("pb", { existingArn: "arn:aws:iam::aws:policy/PowerUserAccess" }), /existingArn: 'arn:aws:iam::aws:policy\/PowerUserAccess' is an admin policy/],
    ["an additional policy that is administrator access", () => new AdditionalPolicy("x", { document: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] }) }),
        /document: statement #1 allows 'iam:\*' \(every IAM action\) on every resource: administrator access that every cluster could attach/],
    ["an additional policy placed on the operator's path", () => new AdditionalPolicy("x", { preset: "ssmAccess", bucket: "jobs", path: "/parallelcluster/operator/" }),
        /path: '\/parallelcluster\/operator\/' with policy name '.*' would be refused by ParallelCluster's allow-list/],
    ["S3 access entries that push the head node's inline policy past 10,240 characters", node({ s3Access: Array.from({ length: 200 }, (_, i) => ({ bucketName: `hpc-data-bucket-number-${i}`, keyName: `projects/team-${i}/inputs/*` })) }),
        /clusterName: the role's inline policies have \d+ non-whitespace characters together; at most 10240 allowed/],
    ["queue named 'default'", node({ queues: [{ name: "default" }] }), /queues\[0\]\.name: 'default' is not a valid queue name; ParallelCluster forbids 'default'/],
    ["upper-case login pool name", node({ loginNodePools: [{ name: "Users" }] }), /loginNodePools\[0\]\.name: 'Users' is not a valid pool name; expected a lowercase letter, then lowercase letters, digits and '-', at most 25 characters/],
    ["login pool name over 25 characters", node({ loginNodePools: [{ name: "p" + "x".repeat(25) }] }), /loginNodePools\[0\]\.name: 'px{25}' is not a valid pool name.*at most 25/],
    ["login pool named 'default'", node({ loginNodePools: [{ name: "default" }] }), /loginNodePools\[0\]\.name: 'default' is not a valid pool name; ParallelCluster forbids 'default'/],
    ["duplicate login pools", node({ loginNodePools: [{ name: "users" }, { name: "users" }] }), /loginNodePools\[1\]\.name: 'users' appears more than once; pool names must be unique/],
    ["more than 10 login pools", node({ loginNodePools: Array.from({ length: 11 }, (_, i) => ({ name: `p${i}` })) }), /loginNodePools: 11 pools given; ParallelCluster allows at most 10/],
    ["login pools that are not a list", node({ loginNodePools: { name: "users" } }), /loginNodePools: '\{"name":"users"\}' is not a list of \{ name, \.\.\. \}/],
    ["login pools with AWS Batch", () => new ClusterNodeRoles("hpc", { clusterName: "hpc", scheduler: "awsbatch", loginNodePools: [{ name: "users" }] }),
        /loginNodePools: 'users' given with scheduler 'awsbatch'; login nodes need Slurm/],
    ["login pool with a disallowed policy", node({ loginNodePools: [{ name: "users", additionalIamPolicies: ["arn:aws:iam::aws:policy/IAMFullAccess"] }] }),
        /loginNodePools\[0\]\.additionalIamPolicies\[0\]: 'arn:aws:iam::aws:policy\/IAMFullAccess' is not on ParallelCluster's managed-policy allow-list/],
    ["login pool with a bad S3 bucket", node({ loginNodePools: [{ name: "users", s3Access: [{ bucketName: "Bad_Bucket" }] }] }), /loginNodePools\[0\]\.s3Access\[0\]\.bucketName: 'Bad_Bucket' is not a valid S3 bucket name/],
    ["a login role name past 64 characters", () => new ClusterNodeRoles("a-rather-long-component-name-for-hpc", { clusterName: "hpc", queues: q, loginNodePools: [{ name: "interactive-users" }] }),
        /loginNodePools\[0\]\.name: role 'a-rather-long-component-name-for-hpc-login-interactive-users' would get a 68-character name.*at most 64/],
    ["munge key secret with AWS Batch", () => new ClusterNodeRoles("hpc", { clusterName: "hpc", scheduler: "awsbatch", mungeKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:munge-AbCdEf" }),
        /mungeKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:munge-AbCdEf' set with scheduler 'awsbatch'; ParallelCluster uses it with Slurm only/],
    ["EFS IAM authorization with AWS Batch", () => new ClusterNodeRoles("hpc", { clusterName: "hpc", scheduler: "awsbatch", efsFileSystemIds: ["fs-0123456789abcdef0"] }), /efsFileSystemIds: '\["fs-0123456789abcdef0"\]' set with scheduler 'awsbatch'/],
    ["munge key that is an SSM parameter", node({ mungeKeySecretArn: "arn:aws:ssm:us-east-1:123456789012:parameter/munge" }), /mungeKeySecretArn: 'arn:aws:ssm:.*' is not a Secrets Manager secret ARN/],
    ["Slurm accounting secret from another partition", node({ slurmdbdPasswordSecretArn: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf" }), /slurmdbdPasswordSecretArn: '.*' is in partition 'aws-cn', not 'aws'/],
    ["directory password in a nested SSM parameter", node({ directoryServicePasswordArn: "arn:aws:ssm:us-east-1:123456789012:parameter/ad/password" }),
        /directoryServicePasswordArn: 'arn:aws:ssm:us-east-1:123456789012:parameter\/ad\/password' is not a ssm ARN of the expected type; expected .*a top-level parameter/],
    ["directory password that is an S3 object", node({ directoryServicePasswordArn: "arn:aws:s3:::bucket/password" }), /directoryServicePasswordArn: 'arn:aws:s3:::bucket\/password' is not a Secrets Manager secret ARN.*or arn:aws:ssm:/],
    ["capacity reservation group that is a reservation", node({ capacityReservationResourceGroupArns: ["arn:aws:ec2:us-east-1:123456789012:capacity-reservation/cr-0123456789abcdef0"] }),
        /capacityReservationResourceGroupArns\[0\]: '.*' is not a resource-groups ARN of the expected type; expected arn:aws:resource-groups:<region>:<account>:group\/<name>/],
    ["custom cookbook URL with a wildcard", node({ customCookbookS3Url: "s3://hpc-artifacts/cookbooks/*.tgz" }), /customCookbookS3Url: 's3:\/\/hpc-artifacts\/cookbooks\/\*\.tgz' is not an S3 object URL; expected s3:\/\/<bucket>\/<key> naming one object/],
    ["custom cookbook URL that is https", node({ customCookbookS3Url: "https://example.com/cookbook.tgz" }), /customCookbookS3Url: 'https:\/\/example\.com\/cookbook\.tgz' is not an S3 object URL/],
    ["console output that is not a boolean", node({ consoleOutput: "yes" }), /consoleOutput: 'yes' is not a boolean; expected true or false/],
    ["bad EFS id", node({ efsFileSystemIds: ["efs-123"] }), /efsFileSystemIds\[0\]: 'efs-123' is not an EFS file system ID; expected fs- and 8-40 hex digits/],
    ["unsupported ParallelCluster release on node roles", node({ parallelClusterVersion: "3.11" }), /parallelClusterVersion: '3.11' is not supported; supported: 3.12/],
    ["unsupported ParallelCluster release on image build roles", () => new ImageBuildRoles("img", { parallelClusterVersion: "3.13" }), /parallelClusterVersion: '3.13' is not supported; supported: 3.12/],
    ["a wildcard principal", user({ trustedPrincipalArns: ["*"] }), /trustedPrincipalArns\[0\]: '\*' contains a wildcard; a trust policy must name exact principals/],
    ["a principal with an 11-digit account", user({ trustedPrincipalArns: ["arn:aws:iam::12345678901:root"] }), /trustedPrincipalArns\[0\]: 'arn:aws:iam::12345678901:root' has account '12345678901'; expected exactly 12 digits/],
    ["a principal name with a space", user({ trustedPrincipalArns: ["arn:aws:iam::123456789012:role/Hpc Operators"] }), /trustedPrincipalArns\[0\]: '.*Hpc Operators' contains whitespace/],
    ["a pipeline principal with a wildcard path", user({ pipelinePrincipalArns: ["arn:aws:iam::123456789012:role/ci/*"] }), /pipelinePrincipalArns\[0\]: '.*' contains a wildcard/],
    ["the same principal as person and pipeline", user({ pipelinePrincipalArns: [ADMIN] }), /pipelinePrincipalArns\[0\]: '.*role\/Admin' is also trustedPrincipalArns\[0\]/],
    ["a region in another partition than the default provider", node({ region: "cn-north-1" }), /region: 'cn-north-1' is in partition 'aws-cn', but the default AWS provider \(aws:region 'us-east-1'\) is in 'aws'/],
    ["a partition other than the default provider's", user({ partition: "aws-us-gov" }), /partition: 'aws-us-gov' is in partition 'aws-us-gov', but the default AWS provider/],
    ["an additional policy Output without a stable id", node({ additionalIamPolicies: [Promise.resolve("arn:aws:iam::123456789012:policy/parallelcluster/x")] }), /additionalIamPolicies\[0\]: an Output with no stable id/],
    ["a policy ref with a bad id", () => new ImageBuildRoles("img", { additionalIamPolicyRefs: [{ id: "has space", arn: "arn:aws:iam::123456789012:policy/parallelcluster/x" }] }), /additionalIamPolicyRefs\[0\]\.id: 'has space' is not a stable id/],
    ["API function role name with a space", () => new ApiFunctionAccess("api", { functionRoleName: "my role" }), /functionRoleName: 'my role' is not a valid IAM name/],
];

describe("bad inputs: a clear error and nothing registered", () => {
    it(`has at least 30 cases (${cases.length})`, () => assert.ok(cases.length >= 30));
    for (const [title, make, message] of cases) {
        it(title, async () => {
            const r = await record(make);
            assert.ok(r.error, "no error was thrown");
            assert.ok(InputPropertiesError.isInstance(r.error), "not a pulumi.InputPropertiesError");
            assert.match(r.error.message, message);
            assert.deepEqual(r.resources.map((x) => `${x.type} ${x.name}`), [], "resources were registered");
        });
    }
});
