"""Task dependencies, exit conditions and job disable/enable through azure-batch 13.0.1, as a user
writes them. Expects a pool named in MALACHITE_POOL_ID; prints a JSON summary."""

import os

import azure.batch.models as batchmodels
from azure.batch.models import BatchErrorException

from malachite_client import batch_client, error_code, run, wait_until

POOL_ID = os.environ["MALACHITE_POOL_ID"]


def job_parameter(job_id, **extra):
    return batchmodels.JobAddParameter(id=job_id, pool_info=batchmodels.PoolInformation(pool_id=POOL_ID), **extra)


def task(task_id, command_line="/bin/true", **extra):
    return batchmodels.TaskAddParameter(id=task_id, command_line=command_line, **extra)


def all_completed(client, job_id):
    tasks = list(client.task.list(job_id))
    return all(t.state == batchmodels.TaskState.completed for t in tasks) and tasks


def main():
    client = batch_client()
    summary = {}

    # A graph: split -> a, b, 1, 2 -> merge (by ids and by a range); a tolerated failure satisfies its dependent.
    client.job.add(job_parameter("graph", uses_task_dependencies=True, on_task_failure=batchmodels.OnTaskFailure.perform_exit_options_job_action))
    tolerate_1 = batchmodels.ExitConditions(
        exit_codes=[batchmodels.ExitCodeMapping(code=1, exit_options=batchmodels.ExitOptions(job_action=batchmodels.JobAction.none, dependency_action=batchmodels.DependencyAction.satisfy))]
    )
    after_split = batchmodels.TaskDependencies(task_ids=["split"])
    results = client.task.add_collection(
        "graph",
        [
            task("merge", depends_on=batchmodels.TaskDependencies(task_ids=["a", "b"], task_id_ranges=[batchmodels.TaskIdRange(start=1, end=2)])),
            task("split"),
            task("a", depends_on=after_split),
            task("b", depends_on=after_split),
            task("1", depends_on=after_split),
            task("2", command_line="/bin/false", depends_on=after_split, exit_conditions=tolerate_1),
        ],
    )
    summary["graph_added"] = sorted(r.status for r in results.value)
    tasks = wait_until(lambda: all_completed(client, "graph"), "the graph to complete")
    by_id = {t.id: t for t in tasks}
    merge = by_id["merge"]
    summary["merge_after_parents"] = all(merge.execution_info.start_time >= by_id[p].execution_info.end_time for p in ["a", "b", "1", "2"])
    summary["merge_depends_on"] = {"task_ids": merge.depends_on.task_ids, "ranges": [[r.start, r.end] for r in merge.depends_on.task_id_ranges]}
    summary["tolerated_exit_code"] = by_id["2"].execution_info.exit_code
    summary["graph_job_state"] = client.job.get("graph").state.value

    # A job without usesTaskDependencies refuses a dependent task.
    client.job.add(job_parameter("plain"))
    try:
        client.task.add("plain", task("t", depends_on=batchmodels.TaskDependencies(task_ids=["x"])))
        summary["plain_error"] = None
    except BatchErrorException as error:
        summary["plain_error"] = error_code(error)

    # A failed task terminates a performexitoptionsjobaction job.
    client.job.add(job_parameter("failing", on_task_failure=batchmodels.OnTaskFailure.perform_exit_options_job_action))
    client.task.add("failing", task("bad", command_line="/bin/false"))
    job = wait_until(lambda: (lambda j: j.state == batchmodels.JobState.completed and j)(client.job.get("failing")), "the failing job to complete")
    summary["failing_terminate_reason"] = job.execution_info.terminate_reason

    # Disable, add a task (it waits), enable (it runs).
    client.job.add(job_parameter("paused"))
    client.job.disable("paused", batchmodels.DisableJobOption.requeue)
    wait_until(lambda: client.job.get("paused").state == batchmodels.JobState.disabled, "the job to be disabled")
    client.task.add("paused", task("waits"))
    summary["while_disabled"] = client.task.get("paused", "waits").state.value
    client.job.enable("paused")
    summary["after_enable"] = client.job.get("paused").state.value
    wait_until(lambda: all_completed(client, "paused"), "the task to run after enable")
    summary["paused_task"] = client.task.get("paused", "waits").execution_info.result.value
    return summary


run(main)
