// One source for the components and the policy pack, kept in the pack's folder because the pack must stand alone
// (copy the folder, install, `pulumi policy publish`); the components re-export it.
export * from "../../policypack/shared/types";
