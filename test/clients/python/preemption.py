"""Preemption of a Spot/low-priority node through azure-batch 13 (python3-azure), as a user tests it.
The node is preempted through Malachite's fault API (POST /malachite/faults), signed by the client's
own pipeline. The command `spot-work` is a program of the test's fake node runtime: it runs until it is killed
while no node of the pool is preempted, and succeeds once one is.
Prints a JSON summary on the last line (test/unit/local/preemption-python.test.ts asserts on it).
"""

import os

import azure.batch.models as batchmodels

from malachite_client import batch_client, log, plain, run, wait_until


def inject_fault(client, fault):
    """POST /malachite/faults with the client's signing pipeline; returns [status, error code]."""
    url = os.environ["MALACHITE_BATCH_URL"].rstrip("/") + "/malachite/faults"
    request = client._client.post(url, params={"api-version": client.api_version})
    headers = {"Content-Type": "application/json; odata=minimalmetadata; charset=utf-8"}
    response = client._client.send(request, headers=headers, content=fault)  # msrest serializes it as JSON
    code = response.json().get("code") if response.content else None
    log("fault %s: %s %s" % (fault["type"], response.status_code, response.text))
    return [response.status_code, code]


def task_in(client, state):
    def probe():
        task = client.task.get("job", "t")
        return plain(task.state) == state and task
    return wait_until(probe, "task t to be " + state)


def main():
    client = batch_client()
    summary = {}

    client.pool.add(batchmodels.PoolAddParameter(id="mixed", vm_size="standard_d2s_v3", target_dedicated_nodes=1))
    client.pool.add(batchmodels.PoolAddParameter(
        id="spot", vm_size="standard_d2s_v3", target_dedicated_nodes=0, target_low_priority_nodes=2))

    def steady(pool_id, count):
        pool = client.pool.get(pool_id)
        nodes = list(client.compute_node.list(pool_id))
        up = len(nodes) == count and all(plain(node.state) == "idle" for node in nodes)
        return plain(pool.allocation_state) == "steady" and up and (pool, nodes)

    pool, nodes = wait_until(lambda: steady("spot", 2), "the Spot pool to be steady")
    summary["pool"] = {"dedicated": pool.current_dedicated_nodes, "lowPriority": pool.current_low_priority_nodes,
                       "isDedicated": sorted({node.is_dedicated for node in nodes})}
    _, dedicated_nodes = wait_until(lambda: steady("mixed", 1), "the dedicated pool to be steady")
    summary["dedicatedRefused"] = inject_fault(client, {"type": "preemptNode", "poolId": "mixed", "nodeId": dedicated_nodes[0].id})

    client.job.add(batchmodels.JobAddParameter(id="job", pool_info=batchmodels.PoolInformation(pool_id="spot")))
    client.task.add("job", batchmodels.TaskAddParameter(id="t", command_line="spot-work"))
    victim = task_in(client, "running").node_info.node_id
    summary["preempt"] = inject_fault(client, {"type": "preemptNode", "poolId": "spot", "nodeId": victim})
    if summary["preempt"][0] != 204:
        raise RuntimeError("the preemption was refused: %s" % summary["preempt"])
    wait_until(lambda: plain(client.compute_node.get("spot", victim).state) == "preempted", "the node to be preempted")
    done = task_in(client, "completed")
    info = done.execution_info
    summary["task"] = {"result": plain(info.result), "exitCode": info.exit_code, "requeueCount": info.requeue_count,
                       "retryCount": info.retry_count, "otherNode": done.node_info.node_id != victim}

    counts = next(entry for entry in client.account.list_pool_node_counts() if entry.pool_id == "spot")
    summary["counts"] = {"lowPriorityPreempted": counts.low_priority.preempted, "lowPriorityIdle": counts.low_priority.idle,
                         "lowPriorityTotal": counts.low_priority.total, "dedicatedTotal": counts.dedicated.total}
    pool = client.pool.get("spot")
    summary["after"] = {"lowPriority": pool.current_low_priority_nodes, "allocation": plain(pool.allocation_state)}
    summary["victim"] = victim
    return summary


if __name__ == "__main__":
    run(main)
