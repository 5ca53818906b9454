/**
 * What AWS IAM and the AWS provider would answer: physical names (autonaming), ARNs by partition, account
 * and path, ids, unique ids, data sources, and the errors a real create would fail with. The offline engine
 * answers registrations with them; `parallelcluster-iam/testing` offers them to the SDK's unit-test mocks.
 *
 * Autonaming is deterministic (a hash of the URN) rather than random like Pulumi's, so that rendered
 * manifests diff cleanly between runs.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { arnPrefix, partitionOfRegion, Partition, principalSuffix } from "../policies/partition";
import {
    INSTANCE_PROFILE_NAME_MAX,
    MANAGED_POLICIES_PER_ROLE_DEFAULT,
    MANAGED_POLICY_MAX_CHARS,
    POLICY_NAME_MAX,
    policySize,
    ROLE_INLINE_POLICIES_MAX_CHARS,
    ROLE_NAME_MAX,
    validateIamName,
    validatePath,
} from "../policies/limits";

export const ROLE = "aws:iam/role:Role";
export const POLICY = "aws:iam/policy:Policy";
export const INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

/** Marks values the SDK could not know (preview of a computed output). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Fixed creation time, so output is reproducible. */
export const CREATE_DATE = "2024-01-01T00:00:00Z";

/** One registered resource, as recorded by the mocks. */
export interface RecordedResource {
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    readonly urn: string;
    /** URN of the parent resource; null for the root stack. */
    readonly parentUrn: string | null;
    /** True for provider-managed resources, false for components and the stack. */
    readonly custom: boolean;
    readonly id: string | null;
    readonly inputs: Record<string, unknown>;
    /** Inputs plus everything the provider computes (name, arn, ...); unknown in a preview until created. */
    readonly state: Record<string, unknown>;
    /** The explicit provider reference (`urn::id`), null for the default provider. */
    readonly provider?: string | null;
    /** URNs the resource depends on. */
    readonly dependencies?: string[];
    /** Read with `.get()` rather than created. */
    readonly read?: boolean;
}

/** The registration in flight: what the engine knows of it besides its inputs. */
export interface RegistrationContext {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parentUrn: string | null;
}

export interface AwsMocksOptions {
    readonly region: string;
    readonly accountId: string;
    /** Managed policies per role; AWS's default quota unless raised. */
    readonly managedPolicyQuota?: number;
}

/** An error AWS would return; the message reads like the provider's. */
export class AwsApiError extends Error {
    constructor(operation: string, code: string, message: string) {
        super(`${operation}: ${code}: ${message}`);
        this.name = "AwsApiError";
    }
}

function hex(seed: string, n: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, n);
}

/** 17 characters of IAM's unique-id alphabet (upper-case letters and digits) derived from `seed`. */
function uniqueId(prefix: string, seed: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const bytes = createHash("sha256").update(seed).digest();
    let out = prefix;
    for (let i = 0; out.length < prefix.length + 17; i++) out += alphabet[bytes[i] % alphabet.length];
    return out;
}

function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

/** Unwraps secrets, recursively; unknowns stay the engine's sentinel (what an analyzer receives). */
export function unwrapSecrets(v: unknown, unknown: unknown = UNKNOWN): unknown {
    if (v === UNKNOWN) return unknown;
    if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x, unknown));
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value, unknown);
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) if (x !== undefined) out[k] = unwrapSecrets(x, unknown);
        return out;
    }
    return v;
}

/** Unwraps secrets and turns the unknown sentinel into a readable marker, recursively. */
export function plain(v: unknown): unknown {
    return unwrapSecrets(v, "<unknown>");
}

export class AwsMocks implements pulumi.runtime.Mocks {
    readonly region: string;
    readonly accountId: string;
    readonly managedPolicyQuota: number;
    /** The partition of the provider of the registration in flight (the default provider's otherwise). */
    private partitionNow: Partition;
    /** Every registration, in order. */
    readonly resources: RecordedResource[] = [];

    private readonly names = new Map<string, Set<string>>();
    private readonly attached = new Map<string, Set<string>>();
    private readonly inlineSize = new Map<string, Map<string, number>>();

    constructor(opts: AwsMocksOptions) {
        this.region = opts.region;
        this.accountId = opts.accountId;
        this.partitionNow = partitionOfRegion(opts.region);
        this.managedPolicyQuota = opts.managedPolicyQuota ?? MANAGED_POLICIES_PER_ROLE_DEFAULT;
    }

    /** The default provider's partition. */
    get partition(): Partition {
        return partitionOfRegion(this.region);
    }

    /** The mock monitor passes no parent: the URN is that of a top-level resource. */
    private contextOf(args: pulumi.runtime.MockResourceArgs): RegistrationContext {
        return { type: args.type, name: args.name, urn: `urn:pulumi:stack::project::${args.type}::${args.name}`, parentUrn: null };
    }

    private arn(kind: "role" | "policy" | "instance-profile", path: string, name: string): string {
        return `${arnPrefix(this.partitionNow)}:iam::${this.accountId}:${kind}${path}${name}`;
    }

    /** Pulumi autonaming: logical name + "-" + 7 hex characters, within the name's maximum length. */
    private physicalName(op: string, inputs: Record<string, unknown>, ctx: RegistrationContext, max: number): string {
        if (typeof inputs.name === "string") return inputs.name;
        if (typeof inputs.namePrefix === "string") {
            // Terraform's PrefixedUniqueId: prefix + 26 digits.
            return inputs.namePrefix + BigInt("0x" + hex(ctx.urn, 24)).toString().padStart(26, "0").slice(0, 26);
        }
        const name = `${ctx.name}-${hex(ctx.urn, 7)}`;
        if (name.length > max) {
            throw new AwsApiError(op, "ValidationError", `failed to auto-generate a name: '${ctx.name}' plus 7 random characters is longer than the maximum length ${max}; give the resource a shorter name or an explicit 'name'`);
        }
        return name;
    }

    private checkName(op: string, field: string, value: string, max: number): void {
        try {
            validateIamName(field, value, max);
        } catch {
            const constraint = value.length > max || value.length === 0
                ? `Member must have length ${value.length === 0 ? "greater than or equal to 1" : `less than or equal to ${max}`}`
                : "Member must satisfy regular expression pattern: [\\w+=,.@-]+";
            throw new AwsApiError(op, "ValidationError", `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`);
        }
    }

    private checkPath(op: string, value: string): void {
        try {
            validatePath("path", value);
        } catch {
            throw new AwsApiError(op, "ValidationError", `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters. (got '${value}')`);
        }
    }

    private parseDocument(op: string, field: string, doc: unknown): object | undefined {
        if (doc === undefined || isUnknown(doc)) return undefined;
        if (typeof doc !== "string") throw new AwsApiError(op, "MalformedPolicyDocument", `${field} must be a JSON string`);
        try {
            const parsed: unknown = JSON.parse(doc);
            if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
            return parsed;
        } catch {
            throw new AwsApiError(op, "MalformedPolicyDocument", `${field} is not valid JSON: ${doc.slice(0, 80)}`);
        }
    }

    private checkArnPartition(op: string, arn: unknown): void {
        if (typeof arn !== "string" || isUnknown(arn)) return;
        if (!arn.startsWith(`${arnPrefix(this.partitionNow)}:iam::`)) {
            throw new AwsApiError(op, "InvalidInput", `ARN ${arn} is not valid (the provider's partition is '${this.partitionNow}')`);
        }
    }

    private claim(op: string, kind: string, name: string, message: string): void {
        const used = this.names.get(kind) ?? new Set<string>();
        if (used.has(name)) throw new AwsApiError(op, "EntityAlreadyExists", message);
        used.add(name);
        this.names.set(kind, used);
    }

    private addInline(op: string, role: string, policyName: string, size: number): void {
        const sizes = this.inlineSize.get(role) ?? new Map<string, number>();
        sizes.set(policyName, size);
        this.inlineSize.set(role, sizes);
        const total = [...sizes.values()].reduce((a, b) => a + b, 0);
        if (total > ROLE_INLINE_POLICIES_MAX_CHARS) {
            throw new AwsApiError(op, "LimitExceeded", `Maximum policy size of ${ROLE_INLINE_POLICIES_MAX_CHARS} bytes exceeded for role ${role} (inline policies total ${total})`);
        }
    }

    private attach(op: string, role: string, policyArn: string): void {
        const set = this.attached.get(role) ?? new Set<string>();
        set.add(policyArn);
        this.attached.set(role, set);
        if (set.size > this.managedPolicyQuota) {
            throw new AwsApiError(op, "LimitExceeded", `Cannot exceed quota for PoliciesPerRole: ${this.managedPolicyQuota} (role ${role} would have ${set.size} managed policies)`);
        }
    }

    private role(ctx: RegistrationContext, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const name = this.physicalName(`creating IAM Role (${ctx.name})`, inputs, ctx, ROLE_NAME_MAX);
        const op = `creating IAM Role (${name})`;
        this.checkName(op, "roleName", name, ROLE_NAME_MAX);
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        this.checkPath(op, path);
        this.parseDocument(op, "AssumeRolePolicyDocument", inputs.assumeRolePolicy);
        this.checkArnPartition(op, inputs.permissionsBoundary);
        this.claim(op, "role", name, `Role with name ${name} already exists.`);
        const managed = Array.isArray(inputs.managedPolicyArns) ? (inputs.managedPolicyArns as string[]) : [];
        for (const arn of managed) {
            this.checkArnPartition(op, arn);
            this.attach(op, name, arn);
        }
        if (Array.isArray(inputs.inlinePolicies)) {
            for (const p of inputs.inlinePolicies as Array<Record<string, unknown>>) {
                const doc = this.parseDocument(op, "PolicyDocument", p.policy);
                if (doc) this.addInline(op, name, String(p.name), policySize(doc));
            }
        }
        const tags = (inputs.tags as Record<string, string> | undefined) ?? {};
        return {
            id: name,
            state: {
                ...inputs,
                name,
                path,
                arn: this.arn("role", path, name),
                uniqueId: uniqueId("AROA", ctx.urn),
                createDate: CREATE_DATE,
                description: inputs.description ?? "",
                maxSessionDuration: inputs.maxSessionDuration ?? 3600,
                forceDetachPolicies: inputs.forceDetachPolicies ?? false,
                managedPolicyArns: managed,
                inlinePolicies: inputs.inlinePolicies ?? [],
                namePrefix: inputs.namePrefix ?? "",
                permissionsBoundary: inputs.permissionsBoundary ?? "",
                tags,
                tagsAll: tags,
            },
        };
    }

    private policy(ctx: RegistrationContext, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const name = this.physicalName(`creating IAM Policy (${ctx.name})`, inputs, ctx, POLICY_NAME_MAX);
        const op = `creating IAM Policy (${name})`;
        this.checkName(op, "policyName", name, POLICY_NAME_MAX);
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        this.checkPath(op, path);
        const doc = this.parseDocument(op, "PolicyDocument", inputs.policy);
        if (doc && policySize(doc) > MANAGED_POLICY_MAX_CHARS) {
            throw new AwsApiError(op, "LimitExceeded", `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_MAX_CHARS} (document has ${policySize(doc)} non-whitespace characters)`);
        }
        this.claim(op, "policy", name, `A policy called ${name} already exists. Duplicate names are not allowed.`);
        const arn = this.arn("policy", path, name);
        const tags = (inputs.tags as Record<string, string> | undefined) ?? {};
        return {
            id: arn,
            state: {
                ...inputs,
                name,
                path,
                arn,
                policyId: uniqueId("ANPA", ctx.urn),
                attachmentCount: 0,
                description: inputs.description ?? "",
                namePrefix: inputs.namePrefix ?? "",
                tags,
                tagsAll: tags,
            },
        };
    }

    private instanceProfile(ctx: RegistrationContext, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const name = this.physicalName(`creating IAM Instance Profile (${ctx.name})`, inputs, ctx, INSTANCE_PROFILE_NAME_MAX);
        const op = `creating IAM Instance Profile (${name})`;
        this.checkName(op, "instanceProfileName", name, INSTANCE_PROFILE_NAME_MAX);
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        this.checkPath(op, path);
        if (typeof inputs.role === "string" && !isUnknown(inputs.role)) this.checkName(op, "roleName", inputs.role, ROLE_NAME_MAX);
        this.claim(op, "instance-profile", name, `Instance Profile ${name} already exists.`);
        const tags = (inputs.tags as Record<string, string> | undefined) ?? {};
        return {
            id: name,
            state: {
                ...inputs,
                name,
                path,
                arn: this.arn("instance-profile", path, name),
                uniqueId: uniqueId("AIPA", ctx.urn),
                createDate: CREATE_DATE,
                namePrefix: inputs.namePrefix ?? "",
                tags,
                tagsAll: tags,
            },
        };
    }

    private rolePolicy(ctx: RegistrationContext, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const name = this.physicalName(`creating IAM Role Policy (${ctx.name})`, inputs, ctx, POLICY_NAME_MAX);
        const role = String(inputs.role);
        const op = `putting IAM Role (${role}) Policy (${name})`;
        this.checkName(op, "policyName", name, POLICY_NAME_MAX);
        if (!isUnknown(inputs.role)) this.checkName(op, "roleName", role, ROLE_NAME_MAX);
        const doc = this.parseDocument(op, "PolicyDocument", inputs.policy);
        if (doc) this.addInline(op, role, name, policySize(doc));
        return { id: `${role}:${name}`, state: { ...inputs, name, namePrefix: inputs.namePrefix ?? "" } };
    }

    private rolePolicyAttachment(ctx: RegistrationContext, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const role = String(inputs.role);
        const policyArn = String(inputs.policyArn);
        const op = `attaching IAM Policy (${policyArn}) to IAM Role (${role})`;
        if (!isUnknown(inputs.role)) this.checkName(op, "roleName", role, ROLE_NAME_MAX);
        this.checkArnPartition(op, inputs.policyArn);
        if (!isUnknown(inputs.role) && !isUnknown(inputs.policyArn)) this.attach(op, role, policyArn);
        return { id: `${role}-${hex(ctx.urn, 20)}`, state: { ...inputs } };
    }

    /** An existing resource read with `.get()`: answer from the id, without the create-time checks. */
    private read(ctx: RegistrationContext, type: string, id: string, inputs: Record<string, unknown>): Record<string, unknown> {
        const path = typeof inputs.path === "string" ? inputs.path : "/";
        switch (type) {
            case ROLE:
                return { ...inputs, name: id, path, arn: this.arn("role", path, id), uniqueId: uniqueId("AROA", ctx.urn), createDate: CREATE_DATE };
            case POLICY:
                return { ...inputs, arn: id, name: id.split("/").pop(), path, policyId: uniqueId("ANPA", ctx.urn) };
            case INSTANCE_PROFILE:
                return { ...inputs, name: id, path, arn: this.arn("instance-profile", path, id), uniqueId: uniqueId("AIPA", ctx.urn), createDate: CREATE_DATE };
            default:
                return { ...inputs };
        }
    }

    /** The region a provider's inputs name, or the default provider's. */
    private regionOf(provider: Record<string, unknown> | undefined): string {
        return typeof provider?.region === "string" && provider.region !== UNKNOWN ? provider.region : this.region;
    }

    /**
     * Creates (or, with `id`, reads) one resource as AWS would: the physical name, ARN and computed state, or
     * the error AWS would return. `provider` is the explicit provider's inputs, if any.
     */
    register(ctx: RegistrationContext, inputs: Record<string, unknown>, id?: string, provider?: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
        const regionNow = this.regionOf(provider);
        this.partitionNow = partitionOfRegion(regionNow);
        try {
            if (id) return { id, state: this.read(ctx, ctx.type, id, inputs) };
            switch (ctx.type) {
                case ROLE: return this.role(ctx, inputs);
                case POLICY: return this.policy(ctx, inputs);
                case INSTANCE_PROFILE: return this.instanceProfile(ctx, inputs);
                case ROLE_POLICY: return this.rolePolicy(ctx, inputs);
                case ROLE_POLICY_ATTACHMENT: return this.rolePolicyAttachment(ctx, inputs);
                case "aws:s3/bucket:Bucket":
                case "aws:s3/bucketV2:BucketV2": {
                    // S3 autonames lower-case; bucket ARNs have no region or account.
                    const bucket = typeof inputs.bucket === "string" ? inputs.bucket : `${ctx.name.toLowerCase()}-${hex(ctx.urn, 7)}`;
                    return { id: bucket, state: { ...inputs, bucket, arn: `${arnPrefix(this.partitionNow)}:s3:::${bucket}`, region: regionNow } };
                }
                case "aws:secretsmanager/secret:Secret": {
                    // Secrets Manager appends six random characters to the name in the ARN.
                    const name = typeof inputs.name === "string" ? inputs.name : `${ctx.name}-${hex(ctx.urn, 7)}`;
                    const arn = `${arnPrefix(this.partitionNow)}:secretsmanager:${regionNow}:${this.accountId}:secret:${name}-${hex(ctx.urn + "secret", 6)}`;
                    return { id: arn, state: { ...inputs, name, arn } };
                }
                default:
                    // Anything else (other services): echo the inputs with a stable id.
                    return { id: `${ctx.name}-${hex(ctx.urn, 7)}`, state: { ...inputs } };
            }
        } finally {
            this.partitionNow = this.partition;
        }
    }

    /** Explicit providers registered through the SDK's mock monitor, by id (references read `urn::id`). */
    private readonly providers = new Map<string, Record<string, unknown>>();

    /** The SDK mock monitor's hook (in-process component tests): register and record. */
    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const ctx = this.contextOf(args);
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const custom = args.custom !== false;
        let r: { id: string | undefined; state: Record<string, unknown> };
        if (args.type.startsWith("pulumi:providers:")) {
            r = { id: `${args.name}-provider`, state: { ...inputs } };
            this.providers.set(r.id!, inputs);
        } else {
            // Components and the stack: nothing physical to create. Resources answer in their provider's partition.
            const provider = args.provider ? this.providers.get(args.provider.slice(args.provider.lastIndexOf("::") + 2)) : undefined;
            r = custom ? this.register(ctx, inputs, args.id, provider) : { id: undefined, state: {} };
        }
        this.resources.push({
            type: args.type,
            name: args.name,
            urn: ctx.urn,
            parentUrn: ctx.parentUrn,
            custom,
            id: r.id ?? null,
            inputs: plain(inputs) as Record<string, unknown>,
            state: plain(r.state) as Record<string, unknown>,
        });
        return { id: r.id, state: r.state };
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        return this.invoke(args.token, (args.inputs ?? {}) as Record<string, unknown>, undefined);
    }

    /** A data source (invoke) as AWS would answer it, through `provider` (explicit provider inputs) if given. */
    invoke(token: string, inputs: Record<string, unknown>, provider: Record<string, unknown> | undefined): Record<string, unknown> {
        const providerRegion = this.regionOf(provider);
        const partition = partitionOfRegion(providerRegion);
        const p = arnPrefix(partition);
        switch (token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: this.accountId, arn: `${p}:iam::${this.accountId}:user/offline-engine`, id: this.accountId, userId: uniqueId("AIDA", this.accountId) };
            case "aws:index/getPartition:getPartition": {
                const dnsSuffix = principalSuffix(partition);
                return { id: partition, partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
            }
            case "aws:index/getRegion:getRegion": {
                const region = typeof inputs.region === "string" ? inputs.region : typeof inputs.name === "string" ? inputs.name : providerRegion;
                if (partitionOfRegion(region) !== partition) {
                    throw new AwsApiError("reading AWS Region", "InvalidParameter", `region ${region} is not in the provider's partition ${partition}`);
                }
                return { id: region, region, name: region, endpoint: `ec2.${region}.${principalSuffix(partition)}`, description: region };
            }
            case "aws:iam/getRole:getRole": {
                const name = String(inputs.name);
                return { id: name, name, path: "/", arn: `${p}:iam::${this.accountId}:role/${name}`, uniqueId: uniqueId("AROA", name), createDate: CREATE_DATE, assumeRolePolicy: "", description: "", maxSessionDuration: 3600, permissionsBoundary: "", roleLastUseds: [], tags: {} };
            }
            case "aws:iam/getPolicy:getPolicy": {
                const arn = typeof inputs.arn === "string" ? inputs.arn : `${p}:iam::${this.accountId}:policy${typeof inputs.pathPrefix === "string" ? inputs.pathPrefix : "/"}${String(inputs.name)}`;
                return { id: arn, arn, name: arn.split("/").pop(), path: "/", policyId: uniqueId("ANPA", arn), description: "", policy: "", attachmentCount: 0, tags: {} };
            }
            default:
                throw new Error(`offline engine: no mock answers the function ${token}; teach tools/mocks.ts what AWS would return`);
        }
    }
}
