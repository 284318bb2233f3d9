"""Pool update, usage metrics and applications through azure-batch 13 (Debian's python3-azure), as
a user writes them: patch, update_properties, list_usage_metrics, application.list and get. The
test adds the application package `tool` 1.0 (the default version) before this runs. Prints a JSON
summary."""

import azure.batch.models as batchmodels
from azure.batch.models import BatchErrorException

from malachite_client import batch_client, error_code, run


def main():
    client = batch_client()
    summary = {}
    client.pool.add(batchmodels.PoolAddParameter(
        id="py-pool", vm_size="standard_d2s_v3", target_dedicated_nodes=0,
        start_task=batchmodels.StartTask(command_line="echo first"),
        metadata=[batchmodels.MetadataItem(name="team", value="a")]))

    client.pool.patch("py-pool", batchmodels.PoolPatchParameter(
        metadata=[batchmodels.MetadataItem(name="team", value="b")],
        application_package_references=[batchmodels.ApplicationPackageReference(application_id="tool")]))
    patched = client.pool.get("py-pool")
    summary["patched"] = {"metadata": [(m.name, m.value) for m in patched.metadata], "startTask": patched.start_task.command_line,
                          "packages": [(r.application_id, r.version) for r in patched.application_package_references]}

    client.pool.update_properties("py-pool", batchmodels.PoolUpdatePropertiesParameter(
        certificate_references=[], application_package_references=[], metadata=[batchmodels.MetadataItem(name="x", value="1")]))
    replaced = client.pool.get("py-pool")
    summary["replaced"] = {"metadata": [(m.name, m.value) for m in replaced.metadata], "startTask": replaced.start_task,
                           "packages": replaced.application_package_references}

    summary["applications"] = [(app.id, app.display_name, app.versions) for app in client.application.list()]
    tool = client.application.get("tool")
    summary["tool"] = [tool.id, tool.versions]
    summary["usageMetrics"] = [m.pool_id for m in client.pool.list_usage_metrics()]

    errors = {}
    try:
        client.application.get("nope")
    except BatchErrorException as error:
        errors["missingApplication"] = [error.response.status_code, error_code(error)]
    try:
        client.pool.patch("py-pool", batchmodels.PoolPatchParameter(
            application_package_references=[batchmodels.ApplicationPackageReference(application_id="ghost", version="1")]))
    except BatchErrorException as error:
        errors["missingPackage"] = [error.response.status_code, error_code(error)]
    summary["errors"] = errors
    return summary


if __name__ == "__main__":
    run(main)
