/**
 * One resource validation per policy, dispatching on the resource type first.
 *
 * @pulumi/policy's server deserializes the request's properties once per validation function and
 * runs every function of a `validateResource` array, each `validateResourceOfType` throwing "not
 * applicable" for the other types: a policy covering five types cost five deserializations and four
 * exceptions for every resource. Here a policy has one function: a resource of a type the policy does
 * not judge costs one cheap exception (no stack trace) and nothing else; one of its types gets its
 * properties made plain once. With a single type the function carries `__pulumiType`, the marker
 * `validateResourceOfType` sets, so the server skips other types without calling it at all.
 */
import { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { plainProps } from "./values";

/** Judges one resource of a known type; `props` are plain (see values.ts), unknowns as `UNKNOWN`. */
export type TypedValidation = (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>;

/** Tells the server the policy does not apply, without the cost of capturing a stack trace. */
function notApplicable(args: ResourceValidationArgs, reason: string): never {
    const E = Error as { stackTraceLimit?: number };
    const limit = E.stackTraceLimit;
    E.stackTraceLimit = 0;
    try {
        return args.notApplicable(reason);
    } finally {
        E.stackTraceLimit = limit;
    }
}

/** A single validation judging each listed type (Pulumi type tokens, e.g. `aws:iam/role:Role`) with its own function. */
export function validateTypes(byType: Readonly<Record<string, TypedValidation>>): ResourceValidation {
    const table = new Map(Object.entries(byType));
    const types = [...table.keys()];
    const reason = types.length === 1
        ? `Policy only applies to resources of type '${types[0]}'`
        : `Policy only applies to resources of types ${types.map((t) => `'${t}'`).join(", ")}`;
    const fn: ResourceValidation = (args, report) => {
        const v = table.get(args.type);
        if (!v) return notApplicable(args, reason);
        return v(plainProps(args.props), args, report);
    };
    if (types.length === 1) (fn as { __pulumiType?: string }).__pulumiType = types[0];
    return fn;
}
