// One vocabulary for the components, the engine, the manifest and the policy pack, kept in the pack's folder because
// the pack must stand alone; the components re-export it.
export * from "../policypack/shared/vocabulary";
