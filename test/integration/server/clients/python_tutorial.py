"""The tutorial's workflow, driven through Debian's azure-batch 13 and azure-storage-blob 12 SDKs
exactly as a user would write it, against the endpoints given in the environment:

    MALACHITE_BATCH_URL, MALACHITE_BATCH_ACCOUNT, MALACHITE_BATCH_KEY,
    MALACHITE_STORAGE_CONNECTION_STRING, MALACHITE_ID_SUFFIX (makes pool/job ids unique)

Prints progress to stderr and a JSON summary on the last line of stdout; the test asserts on it.
Run with /usr/bin/python3 (the interpreter python3-azure is installed for).
"""

import datetime
import json
import os
import sys
import time

import azure.batch.models as batchmodels
from azure.batch import BatchServiceClient
from azure.batch.batch_auth import SharedKeyCredentials
from azure.storage.blob import BlobSasPermissions, BlobServiceClient, generate_blob_sas

SUFFIX = os.environ.get("MALACHITE_ID_SUFFIX", str(os.getpid()))
POOL_ID = "PythonTutorialPool-" + SUFFIX
JOB_ID = "PythonTutorialJob-" + SUFFIX
INPUTS = {
    "taskdata1.txt": "the quick brown fox jumps over the lazy dog\n",
    "taskdata2.txt": "to be or not to be\nthat is the question\n",
    "taskdata3.txt": "\ufeffna\u00efve caf\u00e9, it\u2019s fine\n",
}
GREETING = "hello from the start task"


def log(message):
    print(message, file=sys.stderr, flush=True)


def error_code(error):
    """The Batch error code of a BatchErrorException (`error.error.code`)."""
    return error.error.code if error.error is not None else None


def wrap_commands_in_shell(commands):
    """The tutorial helper's wrapper (helpers.wrap_commands_in_shell('linux', ...))."""
    return "/bin/bash -c 'set -e; set -o pipefail; {}; wait'".format(";".join(commands))


def select_latest_verified_vm_image_with_node_agent_sku(batch_client, publisher, offer, sku_starts_with):
    """The samples' common/helpers.py version of the image picker (supported images, verified only)."""
    options = batchmodels.AccountListSupportedImagesOptions(filter="verificationType eq 'verified'")
    images = batch_client.account.list_supported_images(account_list_supported_images_options=options)
    skus_to_use = [
        (image.node_agent_sku_id, image.image_reference)
        for image in images
        if image.image_reference.publisher.lower() == publisher.lower()
        and image.image_reference.offer.lower() == offer.lower()
        and image.image_reference.sku.startswith(sku_starts_with)
    ]
    return skus_to_use[0]


def upload(blob_service, storage_account, storage_key, container, name, text):
    """Uploads a blob and returns a ResourceFile with a read SAS URL, like upload_file_to_container."""
    blob = blob_service.get_blob_client(container, name)
    blob.upload_blob(text.encode("utf-8"), overwrite=True)
    sas = generate_blob_sas(
        storage_account,
        container,
        name,
        account_key=storage_key,
        permission=BlobSasPermissions(read=True),
        expiry=datetime.datetime.utcnow() + datetime.timedelta(hours=2),
    )
    return batchmodels.ResourceFile(http_url="{}?{}".format(blob.url, sas), file_path=name)


def read_task_file(batch_client, job_id, task_id, name):
    stream = batch_client.file.get_from_task(job_id, task_id, name)
    return b"".join(stream).decode("utf-8")


def main():
    summary = {"poolId": POOL_ID, "jobId": JOB_ID}
    credentials = SharedKeyCredentials(os.environ["MALACHITE_BATCH_ACCOUNT"], os.environ["MALACHITE_BATCH_KEY"])
    batch_client = BatchServiceClient(credentials, batch_url=os.environ["MALACHITE_BATCH_URL"])
    blob_service = BlobServiceClient.from_connection_string(os.environ["MALACHITE_STORAGE_CONNECTION_STRING"])
    storage_account = blob_service.account_name
    storage_key = blob_service.credential.account_key

    created = {"pool": False, "job": False}
    try:
        # Storage: containers and inputs, as the tutorial does.
        for container in ("application", "input"):
            try:
                blob_service.create_container(container)
            except Exception as error:  # ResourceExistsError: fine, as fail_on_exist=False
                if "ContainerAlreadyExists" not in str(error):
                    raise
        greeting_file = upload(blob_service, storage_account, storage_key, "application", "greeting.txt", GREETING + "\n")
        input_files = [upload(blob_service, storage_account, storage_key, "input", name, text) for name, text in INPUTS.items()]
        summary["uploaded"] = sorted(b.name for b in blob_service.get_container_client("input").list_blobs())
        log("uploaded inputs")

        # Image and pool.
        sku_id, image_ref = select_latest_verified_vm_image_with_node_agent_sku(batch_client, "canonical", "0001-com-ubuntu-server-focal", "20_04")
        summary["image"] = {"nodeAgentSkuId": sku_id, "offer": image_ref.offer, "sku": image_ref.sku}
        pool = batchmodels.PoolAddParameter(
            id=POOL_ID,
            virtual_machine_configuration=batchmodels.VirtualMachineConfiguration(image_reference=image_ref, node_agent_sku_id=sku_id),
            vm_size="STANDARD_A1_v2",
            target_dedicated_nodes=1,
            start_task=batchmodels.StartTask(
                command_line=wrap_commands_in_shell(["cp -p greeting.txt $AZ_BATCH_NODE_SHARED_DIR"]),
                resource_files=[greeting_file],
                user_identity=batchmodels.UserIdentity(
                    auto_user=batchmodels.AutoUserSpecification(
                        scope=batchmodels.AutoUserScope.pool, elevation_level=batchmodels.ElevationLevel.admin
                    )
                ),
                wait_for_success=True,
            ),
        )
        batch_client.pool.add(pool)
        created["pool"] = True
        log("pool added")
        try:
            batch_client.pool.add(pool)
            summary["duplicatePool"] = None
        except batchmodels.BatchErrorException as error:
            summary["duplicatePool"] = {"code": error_code(error), "status": error.response.status_code}
        summary["poolExists"] = batch_client.pool.exists(POOL_ID)
        fetched = batch_client.pool.get(POOL_ID)
        summary["pool"] = {
            "id": fetched.id,
            "vmSize": fetched.vm_size,
            "targetDedicatedNodes": fetched.target_dedicated_nodes,
            "startTaskWaitForSuccess": fetched.start_task.wait_for_success,
            "startTaskElevation": fetched.start_task.user_identity.auto_user.elevation_level,
            "nodeAgentSkuId": fetched.virtual_machine_configuration.node_agent_sku_id,
        }

        # Job and tasks.
        batch_client.job.add(batchmodels.JobAddParameter(id=JOB_ID, pool_info=batchmodels.PoolInformation(pool_id=POOL_ID)))
        created["job"] = True
        tasks = []
        for index, resource in enumerate(input_files):
            command = wrap_commands_in_shell(
                [
                    'echo "$(cat $AZ_BATCH_NODE_SHARED_DIR/greeting.txt): $(wc -w < {0}) words in {0} on $AZ_BATCH_NODE_ID"'.format(resource.file_path),
                    "head -n 1 {0}".format(resource.file_path),
                ]
            )
            tasks.append(batchmodels.TaskAddParameter(id="topNtask{}".format(index), command_line=command, resource_files=[resource]))
        result = batch_client.task.add_collection(JOB_ID, tasks)
        summary["addCollection"] = sorted([r.task_id, r.status] for r in result.value)
        batch_client.task.add(
            JOB_ID,
            batchmodels.TaskAddParameter(id="failing", command_line="/bin/bash -c 'echo oops >&2; exit 3'"),
        )
        log("tasks added")

        # Monitor, as wait_for_tasks_to_complete does.
        deadline = time.time() + 240
        while True:
            listed = list(batch_client.task.list(JOB_ID))
            if all(task.state == batchmodels.TaskState.completed for task in listed):
                break
            if time.time() > deadline:
                raise RuntimeError("tasks did not complete: " + json.dumps({t.id: t.state for t in listed}))
            time.sleep(0.5)
        summary["tasks"] = {
            task.id: {
                "state": task.state,
                "exitCode": task.execution_info.exit_code,
                "result": task.execution_info.result,
                "failureCode": task.execution_info.failure_info.code if task.execution_info.failure_info else None,
                "nodeId": task.node_info.node_id if task.node_info else None,
            }
            for task in listed
        }
        # One task per page: the SDK follows odata.nextLink as is (it drops its own query parameters).
        paged = batch_client.task.list(
            JOB_ID,
            task_list_options=batchmodels.TaskListOptions(max_results=1, filter="executionInfo/exitCode eq 0", select="id,state"),
        )
        summary["pagedSucceeded"] = sorted([task.id, task.state, task.command_line] for task in paged)
        summary["stdout"] = {task.id: read_task_file(batch_client, JOB_ID, task.id, "stdout.txt") for task in listed}
        summary["failingStderr"] = read_task_file(batch_client, JOB_ID, "failing", "stderr.txt")
        summary["taskFiles"] = sorted(f.name for f in batch_client.file.list_from_task(JOB_ID, "topNtask0", recursive=True) if not f.is_directory)
        counts = batch_client.job.get_task_counts(JOB_ID)
        summary["taskCounts"] = {
            "active": counts.task_counts.active,
            "running": counts.task_counts.running,
            "completed": counts.task_counts.completed,
            "succeeded": counts.task_counts.succeeded,
            "failed": counts.task_counts.failed,
        }
        summary["nodes"] = [
            {
                "id": node.id,
                "state": node.state,
                "startTaskState": node.start_task_info.state if node.start_task_info else None,
                "startTaskExitCode": node.start_task_info.exit_code if node.start_task_info else None,
            }
            for node in batch_client.compute_node.list(POOL_ID)
        ]

        # A job that does not exist.
        try:
            batch_client.job.get("no-such-job-" + SUFFIX)
            summary["missingJob"] = None
        except batchmodels.BatchErrorException as error:
            summary["missingJob"] = {"code": error_code(error), "status": error.response.status_code, "message": error.message.value}
    except batchmodels.BatchErrorException as error:
        summary["error"] = {
            "code": error_code(error),
            "message": error.message.value if error.message else str(error),
            "values": [[v.key, v.value] for v in (error.values or [])],
        }
    except Exception as error:  # reported in the summary; the test prints it
        summary["error"] = {"type": type(error).__name__, "message": str(error)}
    finally:
        # Clean up, as the tutorial does when the user answers yes.
        if created["job"]:
            try:
                batch_client.job.delete(JOB_ID)
                summary["jobDeleted"] = True
            except Exception as error:
                summary["jobDeleted"] = str(error)
        if created["pool"]:
            try:
                batch_client.pool.delete(POOL_ID)
                deadline = time.time() + 60
                while batch_client.pool.exists(POOL_ID) and time.time() < deadline:
                    time.sleep(0.5)
                summary["poolGone"] = not batch_client.pool.exists(POOL_ID)
            except Exception as error:
                summary["poolGone"] = str(error)
    print(json.dumps(summary, sort_keys=True))
    return 1 if "error" in summary else 0


if __name__ == "__main__":
    sys.exit(main())
