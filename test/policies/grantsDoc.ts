/**
 * Generates docs/parallelcluster-grants.md's tables from the builders: every statement of every principal, with the
 * ParallelCluster source that needs it, the release that introduced it and its scope. `test/policies/grants.test.ts`
 * checks that the document is exactly this output, so it cannot drift from the builders.
 * Regenerate: `npx tsx test/policies/grantsDoc.ts` (rewrites the generated part of the document in place).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { apiFunctionAccessPolicy } from "../../components/policies/apiFunctionAccess";
import { computeNodePolicy } from "../../components/policies/computeNode";
import { makeContext } from "../../components/policies/context";
import { headNodePolicy } from "../../components/policies/headNode";
import { imageBuilderInstancePolicy } from "../../components/policies/imageBuilderInstance";
import { imageCleanupLambdaPolicy } from "../../components/policies/imageCleanupLambda";
import { lambdaFunctionsPolicy } from "../../components/policies/lambdaFunctions";
import { loginNodePolicy } from "../../components/policies/loginNode";
import { permissionsBoundaryPolicy } from "../../components/policies/permissionsBoundary";
import { PolicyDocument, PolicyStatement, asList } from "../../components/policies/types";
import { userBasePolicy } from "../../components/policies/userBase";
import { userBatchPolicy } from "../../components/policies/userBatch";
import { userFsxPolicy } from "../../components/policies/userFsx";
import { userIamPermissionsBoundaryPolicy, userIamPrivilegedPolicy, userIamRestrictedPolicy } from "../../components/policies/userIam";
import { userImageBuildPolicy } from "../../components/policies/userImageBuild";
import { GRANT_SOURCES } from "./grantSources";

export const DOC_PATH = path.join(__dirname, "..", "..", "docs", "parallelcluster-grants.md");
export const BEGIN = "<!-- BEGIN GENERATED: npx tsx test/policies/grantsDoc.ts -->";
export const END = "<!-- END GENERATED -->";

const A = "123456789012";
const ctx = makeContext({ partition: "aws", accountId: A, region: "us-east-1" });
const secret = (n: string) => `arn:aws:secretsmanager:us-east-1:${A}:secret:${n}-AbCdEf`;
const COOKBOOK = "s3://hpc-artifacts/cookbooks/cookbook.tgz";
const S3 = [{ bucketName: "hpc-data" }, { bucketName: "hpc-results", keyName: "out/*", enableWriteAccess: true }];
const EFS = ["fs-0123456789abcdef0"];

export interface Principal {
    id: string;
    title: string;
    builder: string;
    managed: string[];
    doc: PolicyDocument;
}

/** Every principal, each built with every option on (cluster `hpc`, queue `cpu`, pool `login`; aws, us-east-1). */
export function principals(): Principal[] {
    const user = (id: string, title: string, builder: string, doc: PolicyDocument): Principal => ({ id, title, builder, managed: [], doc });
    const head = headNodePolicy(ctx, {
        scheduler: "slurm", clusterName: "hpc", consoleOutputQueues: ["cpu"], efsFileSystemIds: EFS, secretArns: [secret("other")], s3Access: S3,
        passRoleArns: [`arn:aws:iam::${A}:role/custom/compute`], directoryServicePasswordArn: secret("ad-password"), mungeKeySecretArn: secret("munge"),
        loginNodes: true, slurmdbdPasswordSecretArn: secret("slurmdbd"), capacityReservationResourceGroupArns: [`arn:aws:resource-groups:us-east-1:${A}:group/odcr`],
        customCookbookS3Url: COOKBOOK,
    });
    const batch = headNodePolicy(ctx, { scheduler: "awsbatch", clusterName: "hpc", secretArns: [secret("other")], s3Access: S3, directoryServicePasswordArn: secret("ad-password"), customCookbookS3Url: COOKBOOK });
    const compute = computeNodePolicy(ctx, { clusterName: "hpc", efsFileSystemIds: EFS, s3Access: S3, customCookbookS3Url: COOKBOOK });
    const login = loginNodePolicy(ctx, { clusterName: "hpc", poolName: "login", efsFileSystemIds: EFS, s3Access: S3, customCookbookS3Url: COOKBOOK });
    const node = (id: string, title: string, builder: string, set: { managedPolicyArns: string[]; inlinePolicy: PolicyDocument }): Principal =>
        ({ id, title, builder, managed: set.managedPolicyArns, doc: set.inlinePolicy });
    return [
        user("user-base", "User: base policy (`ClusterUserRole`, always)", "userBasePolicy", userBasePolicy(ctx, { secretArns: [secret("ad-password")], loginNodes: true, capacityReservationResourceGroups: true })),
        user("user-batch", "User: AWS Batch (`batch: true`)", "userBatchPolicy", userBatchPolicy(ctx)),
        user("user-fsx", "User: FSx for Lustre (`fsx: true`)", "userFsxPolicy", userFsxPolicy(ctx, { buckets: ["hpc-data"] })),
        user("user-imagebuild", "User: image build (`imageBuild: true`)", "userImageBuildPolicy", userImageBuildPolicy(ctx)),
        user("user-iam-privileged", "User: IAM, privileged mode", "userIamPrivilegedPolicy", userIamPrivilegedPolicy(ctx)),
        user("user-iam-boundary", "User: IAM, PermissionsBoundary mode", "userIamPermissionsBoundaryPolicy", userIamPermissionsBoundaryPolicy(ctx, { boundaryArn: `arn:aws:iam::${A}:policy/parallelcluster/operator/boundary` })),
        user("user-iam-restricted", "User: IAM, restricted mode", "userIamRestrictedPolicy", userIamRestrictedPolicy(ctx, { passRoleArns: [`arn:aws:iam::${A}:role/parallelcluster/hpc-head-node-1234567`] })),
        node("head-node-slurm", "Head node, Slurm", "headNodePolicy", head),
        node("head-node-awsbatch", "Head node, AWS Batch", "headNodePolicy", batch),
        node("compute-node", "Compute node (one role per Slurm queue)", "computeNodePolicy", compute),
        node("login-node", "Login node (one role per pool, 3.7+)", "loginNodePolicy", login),
        node("lambda-functions-slurm", "Cluster Lambda functions (`LambdaFunctionsRole`), Slurm", "lambdaFunctionsPolicy", lambdaFunctionsPolicy(ctx, { scheduler: "slurm", vpc: true })),
        node("lambda-functions-awsbatch", "Cluster Lambda functions (`LambdaFunctionsRole`), AWS Batch", "lambdaFunctionsPolicy", lambdaFunctionsPolicy(ctx, { scheduler: "awsbatch", vpc: true })),
        node("image-builder-instance", "Image Builder instance (`Build/Iam/InstanceProfile`)", "imageBuilderInstancePolicy", imageBuilderInstancePolicy(ctx)),
        node("image-cleanup-lambda", "Image build cleanup Lambda (`Build/Iam/CleanupLambdaRole`)", "imageCleanupLambdaPolicy", imageCleanupLambdaPolicy(ctx, { vpc: true })),
        user("permissions-boundary", "Permissions boundary (no ParallelCluster document: design in docs/deviations/boundary.md)", "permissionsBoundaryPolicy", permissionsBoundaryPolicy(ctx, {
            s3Buckets: ["hpc-data"], secretArns: [secret("ad-password")], regions: ["us-east-1"],
            kmsKeyArns: [`arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        })),
        user("api-function-access", "ParallelCluster API function's attach grant", "apiFunctionAccessPolicy", apiFunctionAccessPolicy(ctx)),
    ];
}

/** A statement's key in GRANT_SOURCES: its Sid, or its actions joined by ", ". */
export function statementKey(s: PolicyStatement): string {
    return s.Sid ?? asList(s.Action).join(", ");
}

const cell = (v: string) => v.replace(/\|/g, "\\|");
const code = (xs: string[]) => xs.map((x) => `\`${x}\``).join(", ");

function scope(s: PolicyStatement): string {
    const res = s.Resource !== undefined ? code(asList(s.Resource)) : `not ${code(asList(s.NotResource))}`;
    if (!s.Condition) return res;
    const cond = Object.entries(s.Condition).map(([op, kv]) => Object.entries(kv).map(([k, v]) => `${op} ${k} = ${Array.isArray(v) ? v.join(", ") : String(v)}`).join("; ")).join("; ");
    return `${res}; ${cell(cond)}`;
}

/** The generated part of the document. Throws naming every statement with no source entry, and every stale entry. */
export function renderGrants(): string {
    const out: string[] = [];
    const missing: string[] = [];
    const used = new Set<string>();
    for (const p of principals()) {
        out.push(`### ${p.title}`, "", `Builder \`${p.builder}\`. Managed policies: ${p.managed.length ? code(p.managed) : "none"}.`, "");
        out.push("| statement | effect | actions | scope (example: aws, us-east-1, cluster `hpc`) | when | ParallelCluster source | since |", "| --- | --- | --- | --- | --- | --- | --- |");
        for (const s of p.doc.Statement) {
            const key = `${p.id}/${statementKey(s)}`;
            const src = GRANT_SOURCES[key];
            if (!src) { missing.push(key); continue; }
            used.add(key);
            const actions = s.Action !== undefined ? code(asList(s.Action)) : `all but ${code(asList(s.NotAction))}`;
            out.push(`| ${cell(s.Sid ?? "—")} | ${s.Effect} | ${actions} | ${scope(s)} | ${cell(src.when)} | ${cell(src.source)} | ${cell(src.since)} |`);
        }
        out.push("");
    }
    const stale = Object.keys(GRANT_SOURCES).filter((k) => !used.has(k));
    if (missing.length || stale.length) throw new Error(`grant sources: missing ${JSON.stringify(missing)}; stale ${JSON.stringify(stale)}`);
    return out.join("\n");
}

/** The document with its generated part replaced. */
export function documentWithGrants(current: string): string {
    const b = current.indexOf(BEGIN);
    const e = current.indexOf(END);
    if (b < 0 || e < b) throw new Error(`${DOC_PATH}: no ${BEGIN} ... ${END} block`);
    return `${current.slice(0, b + BEGIN.length)}\n\n${renderGrants()}\n${current.slice(e)}`;
}

if (require.main === module) {
    writeFileSync(DOC_PATH, documentWithGrants(readFileSync(DOC_PATH, "utf8")));
}
