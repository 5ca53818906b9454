/** Benchmark program: `queues` compute queues as ClusterNodeRoles components of at most 50 queues each. */
import * as pulumi from "@pulumi/pulumi";
import { ClusterNodeRoles } from "../../../components";
import { clusterPlan } from "../plan";

const plan = clusterPlan(new pulumi.Config().requireNumber("queues"));
const clusters = plan.map(({ cluster, queues }) => new ClusterNodeRoles(cluster, { clusterName: cluster, queues: queues.map((name) => ({ name })) }));
export const roleCount = pulumi.all(clusters.map((c) => c.roleArns)).apply((a) => a.flat().length);
