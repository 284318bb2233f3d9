"""Job schedules through azure-batch 13 (Debian's python3-azure), as a user writes them: add, get,
exists, list, patch, update, disable, enable, terminate, delete and the jobs of a schedule. No time
passes on the server's clock: only what happens at once is looked at. Prints a JSON summary."""

import datetime

import azure.batch.models as batchmodels
from azure.batch.models import BatchErrorException

from malachite_client import batch_client, error_code, run, wait_until


def value(enum):
    """An enum of the SDK's models as the REST value (`active`), whether it came back as an enum or a string."""
    return getattr(enum, "value", enum)


def main():
    client = batch_client()
    spec = batchmodels.JobSpecification(pool_info=batchmodels.PoolInformation(pool_id="pool"), priority=4)
    far_future = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)
    summary = {}

    client.job_schedule.add(batchmodels.JobScheduleAddParameter(
        id="nightly", schedule=batchmodels.Schedule(recurrence_interval=datetime.timedelta(hours=1)), job_specification=spec,
        metadata=[batchmodels.MetadataItem(name="owner", value="py")]))
    nightly = client.job_schedule.get("nightly")
    summary["added"] = {"state": value(nightly.state),
                        "recentJob": nightly.execution_info.recent_job.id, "interval": str(nightly.schedule.recurrence_interval),
                        "nextRunTime": nightly.execution_info.next_run_time is not None}
    summary["exists"] = [client.job_schedule.exists("nightly"), client.job_schedule.exists("no-such-schedule")]
    summary["jobs"] = [(job.id, job.priority) for job in client.job.list_from_job_schedule("nightly")]

    client.job_schedule.add(batchmodels.JobScheduleAddParameter(
        id="later", schedule=batchmodels.Schedule(do_not_run_until=far_future), job_specification=spec))
    summary["listed"] = sorted(schedule.id for schedule in client.job_schedule.list())
    summary["laterJobs"] = [job.id for job in client.job.list_from_job_schedule("later")]
    summary["laterNextRun"] = client.job_schedule.get("later").execution_info.next_run_time.isoformat()

    client.job_schedule.patch("later", batchmodels.JobSchedulePatchParameter(metadata=[batchmodels.MetadataItem(name="k", value="v")]))
    patched = client.job_schedule.get("later")
    summary["patched"] = {"metadata": [(m.name, m.value) for m in patched.metadata], "doNotRunUntil": patched.schedule.do_not_run_until.isoformat()}
    client.job_schedule.update("later", batchmodels.JobScheduleUpdateParameter(
        schedule=batchmodels.Schedule(do_not_run_until=far_future), job_specification=batchmodels.JobSpecification(pool_info=batchmodels.PoolInformation(pool_id="other"))))
    updated = client.job_schedule.get("later")
    summary["updated"] = {"metadata": updated.metadata, "poolId": updated.job_specification.pool_info.pool_id}

    client.job_schedule.disable("later")
    summary["disabled"] = value(client.job_schedule.get("later").state)
    client.job_schedule.enable("later")
    summary["enabled"] = value(client.job_schedule.get("later").state)

    client.job_schedule.terminate("nightly")
    wait_until(lambda: value(client.job_schedule.get("nightly").state) == "completed", "the schedule to complete")
    ended = client.job.get("nightly:job-1")
    summary["terminated"] = {"job": value(ended.state), "reason": ended.execution_info.terminate_reason}

    client.job_schedule.delete("later")
    wait_until(lambda: not client.job_schedule.exists("later"), "the schedule to be deleted")
    summary["afterDelete"] = sorted(schedule.id for schedule in client.job_schedule.list())

    errors = {}
    try:
        client.job_schedule.get("no-such-schedule")
    except BatchErrorException as error:
        errors["missing"] = [error.response.status_code, error_code(error)]
    try:
        client.job_schedule.add(batchmodels.JobScheduleAddParameter(id="NIGHTLY", schedule=batchmodels.Schedule(), job_specification=spec))
    except BatchErrorException as error:
        errors["duplicate"] = [error.response.status_code, error_code(error)]
    try:
        client.job_schedule.add(batchmodels.JobScheduleAddParameter(
            id="often", schedule=batchmodels.Schedule(recurrence_interval=datetime.timedelta(seconds=30)), job_specification=spec))
    except BatchErrorException as error:
        errors["tooOften"] = [error.response.status_code, error_code(error)]
    summary["errors"] = errors
    return summary


run(main)
