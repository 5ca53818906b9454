/**
 * Stack policies over AnalyzeStack: what one resource cannot show (a role known only by name, a
 * policy ARN unknown during preview, totals per role), and the reusable runPackOverResources.
 */
import * as assert from "node:assert/strict";
import { Diagnostic, PolicyPackConfig, PolicyPackProcess, ResourceInput, UNKNOWN, runPackOverResources, startPolicyPack } from "../../tools/analyzer";
import { ACCOUNT, attachment, aws, customer, doc, exclusive, instanceProfile, of, otherRole, policy, policyAttachment, role, rolePolicy } from "./fixtures";

const ALLOWED = "parallelcluster-allowed-managed-policies";
const PATH = "parallelcluster-iam-path";
const BOUNDARY = "parallelcluster-permissions-boundary";
const SIZE = "parallelcluster-policy-size";
const QUOTA = "parallelcluster-managed-policy-quota";

const ALLOW_LISTED = [
    "CloudWatchAgentServerPolicy", "AmazonSSMManagedInstanceCore", "AWSBatchFullAccess", "AmazonS3ReadOnlyAccess", "service-role/AWSBatchServiceRole",
    "service-role/AmazonEC2ContainerServiceforEC2Role", "service-role/AmazonECSTaskExecutionRolePolicy", "service-role/AmazonEC2SpotFleetTaggingRole",
    "EC2InstanceProfileForImageBuilder", "service-role/AWSLambdaBasicExecutionRole",
].map(aws);

describe("policy pack over AnalyzeStack", function () {
    let pack: PolicyPackProcess;
    before(async function () {
        this.timeout(120_000);
        pack = await startPolicyPack();
    });
    after(async () => pack?.close());

    async function stack(resources: ResourceInput[], name: string, config: PolicyPackConfig = {}): Promise<Diagnostic[]> {
        await pack.configure(config);
        return of(await pack.analyzeStack(resources), name);
    }

    describe(`${ALLOWED}: the role behind a name`, () => {
        it("finds the ParallelCluster role a RolePolicyAttachment names and refuses its policy, on the attachment's URN", async () => {
            // The role's name does not say ParallelCluster; its tag and path (in another resource) do.
            const r = role("hpc-head");
            const a = attachment("hpc-head-admin", "hpc-head", aws("AdministratorAccess"));
            assert.deepEqual(of(await pack.analyze(a), ALLOWED), [], "Analyze cannot see the role");
            const d = await stack([r, a], ALLOWED);
            assert.equal(d.length, 1);
            assert.equal(d[0].urn, a.urn);
            assert.match(d[0].message, /aws:iam\/rolePolicyAttachment:RolePolicyAttachment 'hpc-head-admin': attaches a managed policy to ParallelCluster role aws:iam\/role:Role 'hpc-head' \(it is tagged 'parallelcluster-iam:purpose'\), but 'arn:aws:iam::aws:policy\/AdministratorAccess' is not on/);
        });

        it("ignores attachments to other roles, and does not repeat what Analyze already reported", async () => {
            assert.deepEqual(await stack([otherRole("web"), attachment("a", "web", aws("AdministratorAccess"))], ALLOWED), []);
            // Role.managedPolicyArns and name-evident attachments were judged per resource.
            const own = role("pcluster-head", { managedPolicyArns: [aws("AdministratorAccess")] });
            assert.deepEqual(await stack([own, attachment("a", "pcluster-head", aws("PowerUserAccess"))], ALLOWED), []);
        });

        it("covers PolicyAttachment and RolePolicyAttachmentsExclusive by role name too", async () => {
            const d = await stack([role("hpc-compute"), policyAttachment("pa", ["hpc-compute"], aws("PowerUserAccess")), exclusive("ex", "hpc-compute", [aws("AmazonSSMManagedInstanceCore"), aws("IAMFullAccess")])], ALLOWED);
            assert.deepEqual(d.map((x) => x.urn?.split("::").pop()).sort(), ["ex", "pa"]);
        });

        it("counts a role held by a ParallelCluster instance profile as ParallelCluster's", async () => {
            const r = otherRole("compute");
            const d = await stack([r, instanceProfile("pcluster-compute", { role: "compute" }), attachment("a", "compute", aws("AdministratorAccess"))], ALLOWED);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /instance profile aws:iam\/instanceProfile:InstanceProfile 'pcluster-compute', which is meant for ParallelCluster, holds it/);
        });
    });

    describe(`${ALLOWED}: a policy ARN unknown during preview`, () => {
        const pcRole = role("hpc-head");
        const ssm = (name: string, path: string) => policy(name, { name, path, arn: UNKNOWN });
        const attach = (p: ResourceInput, deps: "property" | "resource" | "none") =>
            attachment(`attach-${p.name}`, "hpc-head", UNKNOWN, deps === "property" ? { propertyDependencies: { policyArn: [p.urn!], role: [pcRole.urn!] }, dependencies: [p.urn!, pcRole.urn!] }
                : deps === "resource" ? { dependencies: [p.urn!] } : {});

        it("judges it from the aws:iam/policy:Policy it depends on: seed 003's pclusterSSM2 at / is refused", async () => {
            const p = ssm("pclusterSSM2", "/");
            const d = await stack([pcRole, p, attach(p, "property")], ALLOWED);
            assert.equal(d.length, 1);
            assert.equal(d[0].enforcementLevel, "mandatory");
            assert.match(d[0].message, /customer policy aws:iam\/policy:Policy 'pclusterSSM2' \(name 'pclusterSSM2', path '\/'\) is not on ParallelCluster's allow-list/);
        });

        it("accepts policies named parallelcluster* or under /parallelcluster/, also found through plain dependencies", async () => {
            for (const p of [ssm("parallelcluster-ssm", "/"), ssm("ssm", "/parallelcluster/")]) {
                assert.deepEqual(await stack([pcRole, p, attach(p, "property")], ALLOWED), [], p.name);
                assert.deepEqual(await stack([pcRole, p, attach(p, "resource")], ALLOWED), [], p.name);
            }
            assert.equal((await stack([pcRole, ssm("ssm", "/"), attach(ssm("ssm", "/"), "resource")], ALLOWED)).length, 1);
        });

        it("says honestly, as an advisory, what it cannot judge during preview", async () => {
            const d = await stack([pcRole, attach(ssm("x", "/"), "none")], ALLOWED);
            assert.equal(d.length, 1);
            assert.equal(d[0].enforcementLevel, "advisory");
            assert.match(d[0].message, /can't run policy 'parallelcluster-allowed-managed-policies' .* during preview: .*RolePolicyAttachment 'attach-x' attaches a policy to ParallelCluster role .*policyArn of .* is unknown during preview/);
        });
    });

    describe(QUOTA, () => {
        it("counts every kind of attachment per role, each distinct policy once", async () => {
            const r = role("hpc-head", { managedPolicyArns: ALLOW_LISTED.slice(0, 8) });
            const more = [attachment("a1", "hpc-head", ALLOW_LISTED[8]), attachment("a2", "hpc-head", ALLOW_LISTED[9]), exclusive("ex", "hpc-head", [ALLOW_LISTED[0], customer("parallelcluster/extra")])];
            const d = await stack([r, ...more], QUOTA);
            assert.equal(d.length, 1);
            assert.equal(d[0].urn, r.urn);
            assert.match(d[0].message, /aws:iam\/role:Role 'hpc-head' has 11 managed policies attached .*; the quota is 10. Fix: .*'maxManagedPoliciesPerRole'/);
            assert.deepEqual(await stack([r, ...more.slice(0, 2)], QUOTA), [], "exactly 10");
            assert.deepEqual(await stack([r, ...more], QUOTA, { [QUOTA]: { maxManagedPoliciesPerRole: 11 } }), []);
        });

        it("applies to any role, also one outside the stack known by name, and counts unknown ARNs apart", async () => {
            const atts = ALLOW_LISTED.map((a, i) => attachment(`a${i}`, "external-role", a));
            assert.deepEqual(await stack(atts, QUOTA), []);
            const d = await stack([...atts, attachment("x", "external-role", aws("ReadOnlyAccess"))], QUOTA);
            assert.match(d[0].message, /role 'external-role' has 11 managed policies/);
            const maybe = await stack([...atts, attachment("u", "external-role", UNKNOWN)], QUOTA);
            assert.equal(maybe[0].enforcementLevel, "advisory");
            assert.match(maybe[0].message, /has 10 managed policies attached and 1 more whose ARNs are unknown during preview/);
        });
    });

    describe(`${SIZE}: a role's inline policies together`, () => {
        const half = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 180 }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, "0")}/*`) });
        it("adds RolePolicy resources to Role.inlinePolicies (by name) and refuses the total over 10,240", async () => {
            const r = role("hpc-head", { inlinePolicies: [{ name: "own", policy: half }] });
            const rp = rolePolicy("extra", "hpc-head", half);
            assert.deepEqual(of(await pack.analyze(r), SIZE), []);
            assert.deepEqual(of(await pack.analyze(rp), SIZE), []);
            const d = await stack([r, rp], SIZE);
            assert.equal(d.length, 1);
            assert.equal(d[0].urn, r.urn);
            assert.match(d[0].message, /inline policies \('own' \d+, 'extra' \d+\) have \d+ non-whitespace characters together; at most 10240/);
            // Role outputs list RolePolicy documents too: the same name counts once.
            const withEcho = role("hpc-head", { inlinePolicies: [{ name: "extra", policy: half }] });
            assert.deepEqual(await stack([withEcho, rp], SIZE), []);
        });
        it("says it cannot add up a role's inline policies while one is unknown, and still refuses a known excess", async () => {
            const d = await stack([rolePolicy("a", "external-role", half), rolePolicy("b", "external-role", UNKNOWN)], SIZE);
            assert.deepEqual(d.map((x) => x.enforcementLevel), ["advisory"]);
            assert.match(d[0].message, /during preview: some inline policies of role 'external-role' are unknown during preview/);
            const over = await stack([rolePolicy("a", "external-role", half), rolePolicy("b", "external-role", half), rolePolicy("c", "external-role", UNKNOWN)], SIZE);
            assert.deepEqual(over.map((x) => x.enforcementLevel), ["mandatory"]);
        });
    });

    describe(`${BOUNDARY}: a boundary ARN unknown during preview`, () => {
        const boundary = `arn:aws:iam::${ACCOUNT}:policy/parallelcluster/boundary`;
        const b = policy("boundary", { name: "boundary", path: "/parallelcluster/", arn: UNKNOWN });
        const withBoundary = (p: ResourceInput) => role("hpc-head", { permissionsBoundary: UNKNOWN }, { propertyDependencies: { permissionsBoundary: [p.urn!] }, dependencies: [p.urn!] });
        it("matches the policy resource the boundary comes from by path and name", async () => {
            const cfg = { [BOUNDARY]: { boundaryArn: boundary } };
            assert.deepEqual(await stack([b, withBoundary(b)], BOUNDARY, cfg), []);
            const other = policy("other", { name: "other", path: "/", arn: UNKNOWN });
            const d = await stack([other, withBoundary(other)], BOUNDARY, cfg);
            assert.equal(d.length, 1);
            assert.equal(d[0].enforcementLevel, "advisory");
            assert.match(d[0].message, /its permissions boundary is aws:iam\/policy:Policy 'other' \(policy\/other\), not 'arn:aws:iam::123456789012:policy\/parallelcluster\/boundary'/);
        });
    });

    describe(`${PATH}: roles and profiles tied to ParallelCluster through each other`, () => {
        it("refuses a role off the path that a ParallelCluster instance profile holds", async () => {
            const d = await stack([otherRole("compute"), instanceProfile("pcluster-compute", { role: "compute" })], PATH);
            assert.equal(d.length, 1);
            assert.match(d[0].message, /aws:iam\/role:Role 'compute' is meant for ParallelCluster \(instance profile .*'pcluster-compute'.* holds it\) but is on path '\/'/);
            assert.deepEqual(await stack([otherRole("web"), instanceProfile("web-profile", { role: "web", path: "/" })], PATH), []);
        });
    });

    describe("runPackOverResources", () => {
        it("starts the pack, runs Analyze for each resource and AnalyzeStack for all, and closes", async function () {
            this.timeout(120_000);
            const r = role("hpc-head", { path: "/" });
            const a = attachment("admin", "hpc-head", aws("AdministratorAccess"));
            const resources = [r, a].map((x) => ({ type: x.type, name: x.name, urn: x.urn!, properties: x.properties }));
            const v = await runPackOverResources(resources, { [PATH]: "advisory" });
            assert.deepEqual(
                v.map((x) => [x.policyName, x.enforcementLevel, x.urn]).sort(),
                [[ALLOWED, "mandatory", a.urn], [PATH, "advisory", r.urn]].sort(),
            );
            assert.ok(v.every((x) => x.message.length > 0));
        });
    });
});
