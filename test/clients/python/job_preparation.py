"""Job preparation, release and manager tasks through azure-batch 13 (python3-azure), as a user writes them.
The pool `p` exists (made by the test); command lines are programs the test's fake node runtime knows.
Prints a JSON summary on the last line (test/unit/local/job-preparation-python.test.ts asserts on it).
"""

import azure.batch.models as batchmodels

from malachite_client import batch_client, error_of, plain, run, wait_until


def statuses(client, job_id):
    return list(client.job.list_preparation_and_release_task_status(job_id))


def prep_info(item):
    info = item.job_preparation_task_execution_info
    return {"state": plain(info.state), "exitCode": info.exit_code, "result": plain(info.result), "retryCount": info.retry_count,
            "taskRootDirectory": info.task_root_directory}


def main():
    client = batch_client()
    pool = batchmodels.PoolInformation(pool_id="p")
    summary = {}

    client.job.add(batchmodels.JobAddParameter(
        id="prepared", pool_info=pool,
        job_preparation_task=batchmodels.JobPreparationTask(command_line="/bin/true", wait_for_success=True),
        job_release_task=batchmodels.JobReleaseTask(command_line="/bin/true")))
    client.task.add("prepared", batchmodels.TaskAddParameter(id="t", command_line="/bin/true"))
    wait_until(lambda: plain(client.task.get("prepared", "t").state) == "completed", "task t to complete")
    [item] = statuses(client, "prepared")
    summary["prepared"] = {"poolId": item.pool_id, "nodeId": item.node_id, "preparation": prep_info(item),
                           "release": item.job_release_task_execution_info}
    client.job.terminate("prepared")
    wait_until(lambda: plain(client.job.get("prepared").state) == "completed", "the job to complete")
    release = statuses(client, "prepared")[0].job_release_task_execution_info
    summary["released"] = {"state": plain(release.state), "exitCode": release.exit_code, "result": plain(release.result)}

    client.job.add(batchmodels.JobAddParameter(
        id="failing", pool_info=pool,
        job_preparation_task=batchmodels.JobPreparationTask(
            id="setup", command_line="/bin/false", constraints=batchmodels.TaskConstraints(max_task_retry_count=1))))
    client.task.add("failing", batchmodels.TaskAddParameter(id="t", command_line="/bin/true"))
    failed = wait_until(lambda: [s for s in statuses(client, "failing")
                                 if plain(s.job_preparation_task_execution_info.state) == "completed"], "the preparation task to fail")
    summary["failed"] = prep_info(failed[0])
    summary["failedTask"] = plain(wait_until(lambda: plain(client.task.get("failing", "t").state) == "active" and "active", "the task back in the queue"))

    client.job.add(batchmodels.JobAddParameter(
        id="managed", pool_info=pool,
        job_manager_task=batchmodels.JobManagerTask(id="manager", command_line="/bin/true")))
    wait_until(lambda: plain(client.job.get("managed").state) == "completed", "the managed job to complete")
    summary["managed"] = {"terminateReason": client.job.get("managed").execution_info.terminate_reason,
                          "tasks": [task.id for task in client.task.list("managed")]}

    client.job.add(batchmodels.JobAddParameter(id="plain", pool_info=pool))
    summary["errors"] = {
        "statusWithoutPreparation": error_of(lambda: statuses(client, "plain")),
        "taskWithPreparationId": error_of(lambda: client.task.add(
            "failing", batchmodels.TaskAddParameter(id="setup", command_line="/bin/true"))),
        "releaseWithoutPreparation": error_of(lambda: client.job.add(batchmodels.JobAddParameter(
            id="lonely", pool_info=pool, job_release_task=batchmodels.JobReleaseTask(command_line="/bin/true")))),
    }
    return summary


run(main)
