/** The deploy program: one environment per stack, chosen by the stack name. */
import * as pulumi from "@pulumi/pulumi";
import { environmentOf, readConfig } from "./config";
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

const programs = { dev, staging, prod };

export = async () => {
    const environment = environmentOf(pulumi.getStack());
    const cfg = await readConfig(environment);
    // The release the roles are made for, first: the IAM manifest records it.
    return { parallelClusterVersion: cfg.parallelClusterVersion, ...programs[environment](cfg) };
};
