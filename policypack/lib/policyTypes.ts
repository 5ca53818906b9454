import { ResourceValidationPolicy, StackValidation } from "@pulumi/policy";

/**
 * A policy that judges resources one by one (Analyze) and, for what one resource cannot show, the
 * whole stack (AnalyzeStack). @pulumi/policy's server runs `validateResource` and `validateStack` of
 * the same policy independently (isResourcePolicy / isStackPolicy), so both take effect.
 */
export type ResourceAndStackPolicy = ResourceValidationPolicy & { validateStack: StackValidation };
