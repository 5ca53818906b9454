/** The CrossGuard pack: only constructs the PolicyPack; the policies live in policies/, gathered (and configurable as a library) in library.ts. */
import { ParallelClusterIamPolicyPack } from "./library";

new ParallelClusterIamPolicyPack();
