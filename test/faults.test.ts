import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

const ROOT = path.resolve(__dirname, "..");

/** A project beside the real one: same name, config schema and stack files, main = the fault program. */
function faultProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pci-faults-"));
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    project.main = path.join(ROOT, "test", "fixtures", "faults", "program.ts");
    project.runtime.options.tsconfig = path.join(ROOT, "tsconfig.json");
    project.stackConfigDir = ROOT;
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify(project));
    return dir;
}

function preview(dir: string, stack: string, fault: string, extra: string[] = []) {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "cli.ts"), "preview", stack, "--project", dir, ...extra], {
        env: { ...process.env, PARALLELCLUSTER_IAM_FAULT: fault },
        encoding: "utf8",
        timeout: 180_000,
    });
    return { status: r.status, out: r.stdout + r.stderr };
}

describe("the policy pack catches a fault injected into each stack (offline preview, pack over gRPC)", function () {
    this.timeout(240_000);
    let dir: string;
    before(() => (dir = faultProject()));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cases: Array<[stack: string, fault: string, policy: string, resource: RegExp, fix: RegExp, extra?: string[]]> = [
        ["dev", "disallowed-managed-policy", "parallelcluster-allowed-managed-policies", /fault-admin-attachment/, /AdministratorAccess/],
        ["staging", "role-at-root", "parallelcluster-iam-path", /pcluster-fault-node/, /\/parallelcluster\//],
        ["prod", "missing-boundary", "parallelcluster-permissions-boundary", /pcluster-unbound-node/, /parallelcluster-permissions-boundary-prod-boundary/,
            ["--policy-pack-config", path.join(ROOT, "policypack", "config.prod.json")]],
        ["prod", "passrole-star", "parallelcluster-passrole-scoped", /fault-passrole/, /iam:PassedToService|role\/parallelcluster\//],
    ];
    for (const [stack, fault, policy, resource, fix, extra] of cases) {
        it(`${stack} + ${fault}: ${policy} fails the preview, naming the resource and the fix`, () => {
            const { status, out } = preview(dir, stack, fault, extra);
            assert.equal(status, 1, out);
            const findings = out.slice(out.indexOf("Policy pack violations:"));
            const start = findings.indexOf(`[mandatory] ${policy}:`);
            assert.ok(start >= 0, `no mandatory ${policy} finding in:\n${out}`);
            const finding = findings.slice(start, findings.indexOf("\n    [", start + 1) > 0 ? findings.indexOf("\n    [", start + 1) : undefined);
            assert.match(finding, resource);
            assert.match(finding, fix);
            assert.match(finding, /Fix|fix|use |set /);
        });
    }

    it("the unmodified stacks render with zero violations, and preview with none but 'unknown until the update' (prod and staging with their boundary config)", () => {
        for (const [stack, config] of [["dev", undefined], ["staging", "config.staging.json"], ["prod", "config.prod.json"]] as const) {
            const extra = config ? ["--policy-pack-config", path.join(ROOT, "policypack", config)] : [];
            const out = path.join(dir, `render-${stack}`);
            const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "cli.ts"), "render", stack, "--out", out, ...extra], { encoding: "utf8", timeout: 180_000 });
            assert.equal(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout, /Policy pack: no violations/);
            const p = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "cli.ts"), "preview", stack, "--json", ...extra], { encoding: "utf8", timeout: 180_000 });
            assert.equal(p.status, 0, p.stdout + p.stderr);
            const violations = (JSON.parse(p.stdout) as { violations: Array<{ level: string; message: string }> }).violations;
            // A document built from another resource's ARN is unknown during a preview, as with the Pulumi CLI.
            for (const v of violations) assert.ok(v.level === "advisory" && /(is|are) unknown during preview/.test(v.message), JSON.stringify(v));
            if (stack === "dev") assert.deepEqual(violations, []);
        }
    });

    it("a --policy-pack-config file that is not a JSON object is one clear line, exit 2", () => {
        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(bad, "[1, 2]");
        const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "cli.ts"), "preview", "dev", "--policy-pack-config", bad], { encoding: "utf8", timeout: 60_000 });
        assert.equal(r.status, 2);
        assert.match(r.stderr.trim(), /^error: --policy-pack-config: '.*bad\.json' must hold a JSON object keyed by policy name/);
        assert.equal(r.stderr.trim().split("\n").length, 1);
    });

    it("a stack file that leaves empty a value its environment needs: one line naming the key, exit 2, nothing written", () => {
        const proj = fs.mkdtempSync(path.join(os.tmpdir(), "pci-config-"));
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        project.main = path.join(ROOT, "stacks", "index.ts");
        fs.writeFileSync(path.join(proj, "Pulumi.yaml"), stringify(project));
        fs.writeFileSync(path.join(proj, "Pulumi.dev.yaml"), stringify({ config: { "aws:region": "us-east-1", "parallelcluster-iam:trustedPrincipals": ["HpcDevelopers"] } }));
        const out = path.join(proj, "out");
        const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools", "cli.ts"), "render", "dev", "--out", out, "--project", proj], { encoding: "utf8", timeout: 120_000 });
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.equal(r.stderr.trim(), "error: parallelcluster-iam:ssmBucket: is not set (or empty); the dev stack needs the SSM access policy's S3 bucket");
        assert.equal(fs.existsSync(out), false);
        fs.rmSync(proj, { recursive: true, force: true });
    });
});
