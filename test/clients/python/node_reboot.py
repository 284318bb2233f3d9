"""Node reboot, reimage, scheduling and remote login settings through azure-batch 13 (python3-azure), as a user writes them.
The pool `p` of one node with a start task exists (made by the test); `sleep 100` runs until the test's fake clock moves.
Prints a JSON summary on the last line (test/unit/local/node-reboot-python.test.ts asserts on it).
"""

import azure.batch.models as batchmodels

from malachite_client import batch_client, error_of, plain, run, wait_until


def main():
    client = batch_client()
    summary = {}
    [node] = list(client.compute_node.list("p"))
    client.job.add(batchmodels.JobAddParameter(id="j", pool_info=batchmodels.PoolInformation(pool_id="p")))
    client.task.add("j", batchmodels.TaskAddParameter(id="t", command_line="sleep 100"))
    wait_until(lambda: plain(client.task.get("j", "t").state) == "running", "task t to run")

    client.compute_node.reboot("p", node.id, node_reboot_option=batchmodels.ComputeNodeRebootOption.requeue)
    back = wait_until(lambda: (lambda n: plain(n.state) == "running" and n)(client.compute_node.get("p", node.id)), "the node to be back")
    task = wait_until(lambda: (lambda t: plain(t.state) == "running" and t)(client.task.get("j", "t")), "task t to run again")
    summary["rebooted"] = {"startTask": plain(back.start_task_info.result), "requeueCount": task.execution_info.requeue_count}

    client.compute_node.reimage("p", node.id, node_reimage_option="terminate")
    done = wait_until(lambda: (lambda t: plain(t.state) == "completed" and t)(client.task.get("j", "t")), "task t to be terminated")
    summary["reimaged"] = {"result": plain(done.execution_info.result), "failure": done.execution_info.failure_info.code}
    wait_until(lambda: plain(client.compute_node.get("p", node.id).state) == "idle", "the node to be idle after the reimage")

    client.compute_node.disable_scheduling("p", node.id, node_disable_scheduling_option="taskcompletion")
    disabled = client.compute_node.get("p", node.id)
    summary["disabled"] = [plain(disabled.state), plain(disabled.scheduling_state)]
    summary["disabledAgain"] = error_of(lambda: client.compute_node.disable_scheduling("p", node.id))
    client.compute_node.enable_scheduling("p", node.id)
    enabled = client.compute_node.get("p", node.id)
    summary["enabled"] = [plain(enabled.state), plain(enabled.scheduling_state)]

    login = client.compute_node.get_remote_login_settings("p", node.id)
    summary["remoteLogin"] = [login.remote_login_ip_address, login.remote_login_port]
    summary["errors"] = {"missingNode": error_of(lambda: client.compute_node.reboot("p", "tvm-none"))}
    return summary


run(main)
