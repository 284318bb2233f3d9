"""An auto pool the way Microsoft's sample4_job_scheduler (azure-batch-samples, Python) asks for one,
through azure-batch 13 (Debian's python3-azure): a job schedule whose jobs each get an auto pool
(prefix, poolLifetimeOption job, keepAlive False) and a job manager task that ends the job. The
pool is there while the job runs and deleted once it completes. Prints a JSON summary."""

import datetime

import azure.batch.models as batchmodels

from malachite_client import batch_client, plain, run, wait_until


def main():
    client = batch_client()
    summary = {}

    pool = batchmodels.PoolSpecification(
        vm_size="STANDARD_D2S_V3",
        virtual_machine_configuration=batchmodels.VirtualMachineConfiguration(
            image_reference=batchmodels.ImageReference(publisher="canonical", offer="0001-com-ubuntu-server-jammy", sku="22_04-lts", version="latest"),
            node_agent_sku_id="batch.node.ubuntu 22.04"),
        target_dedicated_nodes=1,
        start_task=batchmodels.StartTask(command_line="true", wait_for_success=True))
    pool_info = batchmodels.PoolInformation(auto_pool_specification=batchmodels.AutoPoolSpecification(
        auto_pool_id_prefix="JobScheduler", pool=pool, keep_alive=False, pool_lifetime_option=batchmodels.PoolLifetimeOption.job))
    job_spec = batchmodels.JobSpecification(pool_info=pool_info, job_manager_task=batchmodels.JobManagerTask(
        id="JobManagerTask", command_line="true", kill_job_on_completion=True))
    schedule = batchmodels.Schedule(recurrence_interval=datetime.timedelta(minutes=10))
    client.job_schedule.add(batchmodels.JobScheduleAddParameter(id="scheduler", schedule=schedule, job_specification=job_spec))

    job_id = wait_until(lambda: client.job_schedule.get("scheduler").execution_info.recent_job, "the schedule's first job").id
    pool_id = client.job.get(job_id).execution_info.pool_id
    summary["job"] = job_id
    summary["prefixed"] = pool_id.startswith("JobScheduler_") and len(pool_id) == len("JobScheduler_") + 36
    kept = client.job.get(job_id).pool_info.auto_pool_specification
    summary["poolInfo"] = {"prefix": kept.auto_pool_id_prefix, "lifetime": plain(kept.pool_lifetime_option), "keepAlive": kept.keep_alive,
                           "vmSize": kept.pool.vm_size}

    manager = wait_until(lambda: (lambda task: plain(task.state) == "completed" and task)(client.task.get(job_id, "JobManagerTask")),
                         "the job manager task to complete")
    summary["manager"] = {"exitCode": manager.execution_info.exit_code, "onAutoPool": manager.node_info.pool_id == pool_id}
    ended = wait_until(lambda: (lambda job: plain(job.state) == "completed" and job)(client.job.get(job_id)), "the job to complete")
    summary["ended"] = {"state": plain(ended.state), "reason": ended.execution_info.terminate_reason}
    wait_until(lambda: not client.pool.exists(pool_id), "the auto pool to be deleted")
    summary["poolDeleted"] = True

    client.job_schedule.terminate("scheduler")
    client.job_schedule.delete("scheduler")
    return summary


run(main)
