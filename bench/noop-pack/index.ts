// The cost of CrossGuard itself: one resource policy that looks at nothing.
import { PolicyPack } from "@pulumi/policy";

new PolicyPack("bench-noop", {
    policies: [
        {
            name: "noop",
            description: "Does nothing.",
            enforcementLevel: "advisory",
            validateResource: () => undefined,
        },
    ],
});
