"""Statistics through azure-batch 13 (Debian's python3-azure, api-version 2022-10-01.16.0): a
pool's and a job's with `$expand=stats`, and the account's lifetime pool and job statistics.
A task that exits at once runs on the pool's node; no time passes on the server's clock.
Prints a JSON summary."""

import azure.batch.models as batchmodels

from malachite_client import batch_client, run, wait_until


def main():
    client = batch_client()
    client.pool.add(batchmodels.PoolAddParameter(
        id="pool", vm_size="standard_d2s_v3", target_dedicated_nodes=1,
        virtual_machine_configuration=batchmodels.VirtualMachineConfiguration(
            image_reference=batchmodels.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts"),
            node_agent_sku_id="batch.node.ubuntu 22.04")))
    client.job.add(batchmodels.JobAddParameter(id="job", pool_info=batchmodels.PoolInformation(pool_id="pool")))
    client.task.add("job", batchmodels.TaskAddParameter(id="ok", command_line="true"))
    client.task.add("job", batchmodels.TaskAddParameter(id="bad", command_line="false"))
    wait_until(lambda: all(task.state == batchmodels.TaskState.completed for task in client.task.list("job")), "both tasks to complete")

    job = client.job.get("job", job_get_options=batchmodels.JobGetOptions(expand="stats"))
    task = client.task.get("job", "ok", task_get_options=batchmodels.TaskGetOptions(expand="stats"))
    pool = client.pool.get("pool", pool_get_options=batchmodels.PoolGetOptions(expand="stats"))
    lifetime_jobs = client.job.get_all_lifetime_statistics()
    lifetime_pools = client.pool.get_all_lifetime_statistics()
    return {
        "plainJob": client.job.get("job").stats is None,
        "job": [job.stats.num_succeeded_tasks, job.stats.num_failed_tasks, job.stats.num_task_retries, str(job.stats.wall_clock_time)],
        "task": [str(task.stats.user_cpu_time), task.stats.read_iops, task.stats.url == task.url],
        "pool": [str(pool.stats.usage_stats.dedicated_core_time), pool.stats.resource_stats is None],
        "lifetimeJobs": [lifetime_jobs.num_succeeded_tasks, lifetime_jobs.num_failed_tasks, lifetime_jobs.url.endswith("/lifetimejobstats")],
        "lifetimePools": str(lifetime_pools.usage_stats.dedicated_core_time),
    }


if __name__ == "__main__":
    run(main)
