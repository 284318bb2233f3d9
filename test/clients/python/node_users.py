"""Node users, pool user accounts and named user identities through azure-batch 13 (python3-azure), as a user
writes them. Creates pool `users` with one node; command lines are programs the test's fake node runtime knows.
Prints a JSON summary on the last line (test/unit/local/node-users-python.test.ts asserts on it).
"""

import datetime

import azure.batch.models as batchmodels

from malachite_client import batch_client, error_of, plain, run, wait_until


def main():
    client = batch_client()
    summary = {}
    client.pool.add(batchmodels.PoolAddParameter(
        id="users", vm_size="standard_d2s_v3", target_dedicated_nodes=1,
        user_accounts=[batchmodels.UserAccount(
            name="svc", password="Py-Pass-0", elevation_level="admin",
            linux_user_configuration=batchmodels.LinuxUserConfiguration(uid=4200, gid=4200))],
        start_task=batchmodels.StartTask(command_line="/bin/true", user_identity=batchmodels.UserIdentity(user_name="svc"))))
    [node] = wait_until(lambda: [n for n in client.compute_node.list("users") if plain(n.state) == "idle"], "an idle node")
    pool = client.pool.get("users")
    account = pool.user_accounts[0]
    summary["poolAccount"] = {"name": account.name, "password": account.password, "elevation": plain(account.elevation_level),
                              "uid": account.linux_user_configuration.uid}
    summary["startTask"] = plain(node.start_task_info.result)

    expiry = datetime.datetime(2031, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    client.compute_node.add_user("users", node.id, batchmodels.ComputeNodeUser(
        name="pyops", is_admin=True, password="Py-Pass-1", expiry_time=expiry, ssh_public_key="ssh-ed25519 AAAA py"))
    summary["duplicate"] = error_of(lambda: client.compute_node.add_user("users", node.id, batchmodels.ComputeNodeUser(name="pyops")))
    client.compute_node.update_user("users", node.id, "pyops", batchmodels.NodeUpdateUserParameter(password="Py-Pass-2"))

    client.job.add(batchmodels.JobAddParameter(id="pyjob", pool_info=batchmodels.PoolInformation(pool_id="users")))
    for task_id, user in [("as-ops", "pyops"), ("as-svc", "svc"), ("as-ghost", "ghost")]:
        client.task.add("pyjob", batchmodels.TaskAddParameter(
            id=task_id, command_line="/bin/true", user_identity=batchmodels.UserIdentity(user_name=user)))
    results = {}
    for task_id in ["as-ops", "as-svc", "as-ghost"]:
        task = wait_until(lambda: (lambda t: t if plain(t.state) == "completed" else None)(client.task.get("pyjob", task_id)), task_id)
        failure = task.execution_info.failure_info
        results[task_id] = [plain(task.execution_info.result), failure.code if failure else None, task.user_identity.user_name]
    summary["tasks"] = results

    client.compute_node.delete_user("users", node.id, "pyops")
    summary["deletedAgain"] = error_of(lambda: client.compute_node.delete_user("users", node.id, "pyops"))
    summary["updateUnknown"] = error_of(
        lambda: client.compute_node.update_user("users", node.id, "pyops", batchmodels.NodeUpdateUserParameter(password="x")))
    return summary


run(main)
