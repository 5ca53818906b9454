/**
 * The engine side of a Pulumi deployment, served over gRPC: the ResourceMonitor and Engine services the
 * Node.js SDK (`@pulumi/pulumi/cmd/run`) talks to, from the SDK's own generated protos. Resource operations
 * are answered by the AWS-like mocks (tools/mocks.ts); URNs, dry-run unknowns, provider references and
 * diagnostics follow the Pulumi engine.
 */
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as providerpb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcepb from "@pulumi/pulumi/proto/resource_pb";
import { AwsMocks, plain, RecordedResource, UNKNOWN, unwrapSecrets } from "../components/testing/mocks";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/**
 * The URN the Pulumi engine gives a resource: the parent's qualified type chain, then the type, except that
 * children of the root stack do not carry the stack's type.
 */
export function engineUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    let qualified = type;
    if (parentUrn) {
        const parentType = parentUrn.split("::")[2];
        if (parentType !== ROOT_STACK_TYPE) qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** A diagnostic the program sent with Engine.Log. */
export interface Diagnostic {
    readonly severity: "debug" | "info" | "warning" | "error";
    readonly message: string;
    readonly urn: string;
}

const SEVERITIES: Record<number, Diagnostic["severity"]> = {
    [enginepb.LogSeverity.DEBUG]: "debug",
    [enginepb.LogSeverity.INFO]: "info",
    [enginepb.LogSeverity.WARNING]: "warning",
    [enginepb.LogSeverity.ERROR]: "error",
};

/**
 * What the SDK may use. References and output values are declined: the AWS provider takes neither, and
 * the engine hands it plain ids and values, which is what the SDK then sends.
 */
const FEATURES: Record<string, boolean> = {
    secrets: true,
    resourceReferences: false,
    outputValues: false,
    deletedWith: true,
    replaceWith: false,
    aliasSpecs: false,
    transforms: false,
    invokeTransforms: false,
    parameterization: false,
    resourceHooks: false,
    errorHooks: false,
};

/** What the AWS provider computes only when it creates a resource: unknown in a preview (the rest is known at Check). */
const COMPUTED_AT_CREATE = new Set(["arn", "uniqueId", "createDate", "policyId", "attachmentCount"]);

/** Called with each resource as it is registered (the engine's Analyze step), before it is answered. */
export type OnRegister = (r: RecordedResource) => Promise<void>;

export interface MonitorOptions {
    readonly project: string;
    readonly stack: string;
    readonly preview: boolean;
    readonly mocks: AwsMocks;
    /** Outputs of the stacks a program references (`pulumi.StackReference`), by fully qualified stack name. */
    readonly stackReferences?: Readonly<Record<string, Record<string, unknown>>>;
    readonly onRegister?: OnRegister;
    /** Called when a create is refused: the engine then cancels the deployment. */
    readonly onFailure?: () => void;
}

function toJs(s: Struct | undefined): Record<string, unknown> {
    return (s?.toJavaScript() ?? {}) as Record<string, unknown>;
}

function toStruct(v: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Record<string, never>);
}

function failed(code: grpc.status, message: string): grpc.ServiceError {
    return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/** The monitor and engine services of one deployment, and what the program did through them. */
export class EngineServer {
    readonly resources: RecordedResource[] = [];
    readonly diagnostics: Diagnostic[] = [];
    outputs: Record<string, unknown> = {};
    /** Registrations the engine refused (what `pulumi up` reports as a failed create). */
    readonly failures: string[] = [];
    private rootUrn = "";
    private readonly server = new grpc.Server();
    private readonly providers = new Map<string, Record<string, unknown>>();
    private readonly seen = new Set<string>();

    constructor(private readonly opts: MonitorOptions) {
        const unary = <Req, Res>(fn: (req: Req) => Promise<Res> | Res) =>
            (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>): void => {
                Promise.resolve()
                    .then(() => fn(call.request))
                    .then((res) => cb(null, res), (e: unknown) => cb(e instanceof Error && "code" in e ? (e as grpc.ServiceError) : failed(grpc.status.UNKNOWN, e instanceof Error ? e.message : String(e))));
            };
        const unimplemented = (name: string) => (_call: unknown, cb: grpc.sendUnaryData<never>) =>
            cb(failed(grpc.status.UNIMPLEMENTED, `${name} is not supported by the offline engine`), null);
        this.server.addService(ResourceMonitorService, {
            supportsFeature: unary((req: resourcepb.SupportsFeatureRequest) => new resourcepb.SupportsFeatureResponse().setHassupport(FEATURES[req.getId()] ?? false)),
            registerResource: unary((req: resourcepb.RegisterResourceRequest) => this.registerResource(req)),
            registerResourceOutputs: unary((req: resourcepb.RegisterResourceOutputsRequest) => this.registerResourceOutputs(req)),
            readResource: unary((req: resourcepb.ReadResourceRequest) => this.readResource(req)),
            invoke: unary((req: resourcepb.ResourceInvokeRequest) => this.invoke(req)),
            signalAndWaitForShutdown: unary(() => new Empty()),
            getDeploymentInfo: unimplemented("GetDeploymentInfo"),
            call: unimplemented("Call"),
            registerStackTransform: unimplemented("RegisterStackTransform"),
            registerStackInvokeTransform: unimplemented("RegisterStackInvokeTransform"),
            registerResourceHook: unimplemented("RegisterResourceHook"),
            registerErrorHook: unimplemented("RegisterErrorHook"),
            registerPackage: unimplemented("RegisterPackage"),
        });
        this.server.addService(EngineService, {
            log: unary((req: enginepb.LogRequest) => {
                this.diagnostics.push({ severity: SEVERITIES[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() });
                return new Empty();
            }),
            getRootResource: unary(() => new enginepb.GetRootResourceResponse().setUrn(this.rootUrn)),
            setRootResource: unary((req: enginepb.SetRootResourceRequest) => {
                this.rootUrn = req.getUrn();
                return new enginepb.SetRootResourceResponse();
            }),
            startDebugging: unimplemented("StartDebugging"),
            requirePulumiVersion: unary(() => new Empty()),
        });
    }

    /** Listens on 127.0.0.1; returns the address to hand the program as --monitor and --engine. */
    listen(): Promise<string> {
        return new Promise((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(`127.0.0.1:${port}`))),
        );
    }

    close(): void {
        this.server.forceShutdown();
    }

    /** The provider's own inputs for a `urn::id` reference (explicit providers), or undefined for the default. */
    private providerOf(ref: string): Record<string, unknown> | undefined {
        if (!ref) return undefined;
        const urn = ref.slice(0, ref.lastIndexOf("::"));
        return this.providers.get(urn);
    }

    private record(r: RecordedResource): void {
        if (this.seen.has(r.urn)) throw failed(grpc.status.ALREADY_EXISTS, `Duplicate resource URN '${r.urn}'; try giving it a unique name`);
        this.seen.add(r.urn);
        this.resources.push(r);
    }

    /** A preview knows the inputs and what Check fills in (autonames, defaults); what a create returns is unknown. */
    private previewState(inputs: Record<string, unknown>, state: Record<string, unknown>): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(state)) out[k] = !(k in inputs) && COMPUTED_AT_CREATE.has(k) ? UNKNOWN : v;
        return out;
    }

    private async registerResource(req: resourcepb.RegisterResourceRequest): Promise<resourcepb.RegisterResourceResponse> {
        const type = req.getType();
        const name = req.getName();
        const parentUrn = req.getParent();
        const custom = req.getCustom();
        const urn = engineUrn(this.opts.stack, this.opts.project, parentUrn, type, name);
        const inputs = toJs(req.getObject());
        const importId = req.getImportid();
        let id = "";
        let state: Record<string, unknown> = {};
        if (type.startsWith("pulumi:providers:")) {
            this.providers.set(urn, unwrapSecrets(inputs) as Record<string, unknown>);
            id = this.opts.preview ? UNKNOWN : `${name}-provider`;
            state = { ...inputs };
        } else if (custom) {
            const provider = this.providerOf(req.getProvider());
            try {
                const created = this.opts.mocks.register({ type, name, urn, parentUrn: parentUrn || null }, inputs, importId || undefined, provider);
                id = created.id;
                state = this.opts.preview && !importId ? this.previewState(inputs, created.state) : created.state;
                if (this.opts.preview && !importId) id = "";
            } catch (e) {
                // As the engine reports a failed step: the resource, then the provider's error.
                const message = `${type} (${name}): ${e instanceof Error ? e.message : String(e)}`;
                this.failures.push(message);
                this.opts.onFailure?.();
                throw failed(grpc.status.UNKNOWN, message);
            }
        }
        const recorded: RecordedResource = {
            type,
            name,
            urn,
            parentUrn: parentUrn || null,
            custom,
            id: id || null,
            inputs: unwrapSecrets(inputs) as Record<string, unknown>,
            state: unwrapSecrets(state) as Record<string, unknown>,
            provider: req.getProvider() || null,
            dependencies: req.getDependenciesList(),
        };
        this.record(recorded);
        await this.opts.onRegister?.(recorded);
        return new resourcepb.RegisterResourceResponse().setUrn(urn).setId(id).setObject(toStruct(state));
    }

    private registerResourceOutputs(req: resourcepb.RegisterResourceOutputsRequest): Empty {
        if (req.getUrn() === this.rootUrn || req.getUrn().split("::")[2] === ROOT_STACK_TYPE) {
            this.outputs = plain(toJs(req.getOutputs())) as Record<string, unknown>;
        }
        return new Empty();
    }

    private readResource(req: resourcepb.ReadResourceRequest): resourcepb.ReadResourceResponse {
        const type = req.getType();
        const name = req.getName();
        const parentUrn = req.getParent();
        const urn = engineUrn(this.opts.stack, this.opts.project, parentUrn, type, name);
        const inputs = toJs(req.getProperties());
        if (type === STACK_REFERENCE_TYPE) {
            // The engine reads another stack's outputs from the backend; offline they come from stack-references.json.
            const outputs = this.opts.stackReferences?.[req.getId()];
            if (!outputs) {
                const known = Object.keys(this.opts.stackReferences ?? {});
                throw failed(grpc.status.NOT_FOUND, `unknown stack "${req.getId()}": give its outputs in the project's stack-references.json (known: ${known.length ? known.join(", ") : "none"})`);
            }
            const state = { name: req.getId(), outputs, secretOutputNames: [] };
            this.record({ type, name, urn, parentUrn: parentUrn || null, custom: true, id: req.getId(), inputs: unwrapSecrets(inputs) as Record<string, unknown>, state, provider: null, dependencies: [], read: true });
            return new resourcepb.ReadResourceResponse().setUrn(urn).setProperties(toStruct(state));
        }
        const { state } = this.opts.mocks.register({ type, name, urn, parentUrn: parentUrn || null }, inputs, req.getId(), this.providerOf(req.getProvider()));
        this.record({ type, name, urn, parentUrn: parentUrn || null, custom: true, id: req.getId(), inputs: unwrapSecrets(inputs) as Record<string, unknown>, state: unwrapSecrets(state) as Record<string, unknown>, provider: req.getProvider() || null, dependencies: req.getDependenciesList(), read: true });
        return new resourcepb.ReadResourceResponse().setUrn(urn).setProperties(toStruct(state));
    }

    private invoke(req: resourcepb.ResourceInvokeRequest): providerpb.InvokeResponse {
        const result = this.opts.mocks.invoke(req.getTok(), unwrapSecrets(toJs(req.getArgs())) as Record<string, unknown>, this.providerOf(req.getProvider()));
        return new providerpb.InvokeResponse().setReturn(toStruct(result));
    }
}
