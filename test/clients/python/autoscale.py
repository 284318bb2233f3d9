"""Autoscale through azure-batch 13 (Debian's python3-azure), as the article "Create a formula to
automatically scale compute nodes in a Batch pool" writes it: a pool created with a formula, then
enable_auto_scale with the article's working-hours formula, evaluate_auto_scale, the pool's
auto_scale_run, the errors, and disable_auto_scale. No time passes on the server's clock. Prints a
JSON summary."""

import datetime

import azure.batch.models as batchmodels
from azure.batch.models import BatchErrorException

from malachite_client import batch_client, error_code, run

WORKING_HOURS = """$curTime = time();
             $workHours = $curTime.hour >= 8 && $curTime.hour < 18;
             $isWeekday = $curTime.weekday >= 1 && $curTime.weekday <= 5;
             $isWorkingWeekdayHour = $workHours && $isWeekday;
             $TargetDedicated = $isWorkingWeekdayHour ? 20:10;"""


def failure(call):
    try:
        call()
    except BatchErrorException as error:
        return [error.response.status_code, error_code(error)]
    return None


def main():
    client = batch_client()
    summary = {}

    client.pool.add(batchmodels.PoolAddParameter(
        id="scaled", vm_size="STANDARD_D1_v2", enable_auto_scale=True,
        auto_scale_formula="$TargetDedicatedNodes = 0;", auto_scale_evaluation_interval=datetime.timedelta(minutes=5)))
    pool = client.pool.get("scaled")
    summary["added"] = {"enabled": pool.enable_auto_scale, "interval": str(pool.auto_scale_evaluation_interval),
                        "results": pool.auto_scale_run.results, "error": pool.auto_scale_run.error}

    client.pool.add(batchmodels.PoolAddParameter(id="fixed", vm_size="STANDARD_D1_v2", target_dedicated_nodes=0))
    client.pool.enable_auto_scale("fixed", auto_scale_formula=WORKING_HOURS, auto_scale_evaluation_interval=datetime.timedelta(minutes=10))
    fixed = client.pool.get("fixed")
    names = [pair.split("=")[0] for pair in fixed.auto_scale_run.results.split(";")]
    summary["enabled"] = {"enabled": fixed.enable_auto_scale, "interval": str(fixed.auto_scale_evaluation_interval), "variables": names,
                          "target": fixed.target_dedicated_nodes in (10, 20)}

    evaluated = client.pool.evaluate_auto_scale("scaled", "$TargetDedicatedNodes = 3; $half = $TargetDedicatedNodes / 2;")
    summary["evaluated"] = {"results": evaluated.results, "error": evaluated.error}
    failed = client.pool.evaluate_auto_scale("scaled", "$something_useless")
    summary["evaluationError"] = {"code": failed.error.code, "results": failed.results}
    syntax = client.pool.evaluate_auto_scale("scaled", "$TargetDedicatedNodes = max(1")
    summary["syntaxError"] = {"code": syntax.error.code, "values": [(v.name, v.value) for v in syntax.error.values]}

    summary["errors"] = {
        "syntax": failure(lambda: client.pool.enable_auto_scale("scaled", auto_scale_formula="$TargetDedicatedNodes = max(1")),
        "resize": failure(lambda: client.pool.resize("scaled", batchmodels.PoolResizeParameter(target_dedicated_nodes=1))),
        "interval": failure(lambda: client.pool.enable_auto_scale("scaled", auto_scale_evaluation_interval=datetime.timedelta(minutes=1))),
        "targets": failure(lambda: client.pool.add(batchmodels.PoolAddParameter(
            id="both", vm_size="STANDARD_D1_v2", target_dedicated_nodes=1, enable_auto_scale=True, auto_scale_formula="$TargetDedicatedNodes = 1;"))),
    }

    client.pool.disable_auto_scale("fixed")
    disabled = client.pool.get("fixed")
    summary["disabled"] = {"enabled": disabled.enable_auto_scale, "formula": disabled.auto_scale_formula, "run": disabled.auto_scale_run}
    return summary


if __name__ == "__main__":
    run(main)
