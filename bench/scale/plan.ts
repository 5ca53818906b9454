/** The synthetic estate both benchmark programs build: clusters of at most 50 queues (ParallelCluster's limit). */
export const QUEUES_PER_CLUSTER = 50;

export function clusterPlan(queues: number): Array<{ cluster: string; queues: string[] }> {
    const out: Array<{ cluster: string; queues: string[] }> = [];
    for (let i = 0; i < queues; i += QUEUES_PER_CLUSTER) {
        const n = Math.min(QUEUES_PER_CLUSTER, queues - i);
        out.push({ cluster: `bench${out.length}`, queues: Array.from({ length: n }, (_, j) => `q${j}`) });
    }
    return out;
}
