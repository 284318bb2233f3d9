"""What every Python client script of the tests shares: the client, as a user builds it, for the
endpoint given in the environment (MALACHITE_BATCH_URL, MALACHITE_BATCH_ACCOUNT, MALACHITE_BATCH_KEY),
error codes of BatchErrorException, and the JSON summary on the last line of stdout.
Run with /usr/bin/python3 (the interpreter python3-azure is installed for); test/support/python-client.ts
puts this directory on PYTHONPATH.
"""

import json
import os
import sys
import time
import traceback

from azure.batch import BatchServiceClient
from azure.batch.batch_auth import SharedKeyCredentials
from azure.batch.models import BatchErrorException


def log(message):
    print(message, file=sys.stderr, flush=True)


def batch_client():
    credentials = SharedKeyCredentials(os.environ["MALACHITE_BATCH_ACCOUNT"], os.environ["MALACHITE_BATCH_KEY"])
    return BatchServiceClient(credentials, batch_url=os.environ["MALACHITE_BATCH_URL"])


def error_code(error):
    """The Batch error code of a BatchErrorException (`error.error.code`)."""
    return error.error.code if error.error is not None else None


def error_of(call):
    """The Batch error code `call()` fails with, None when it succeeds."""
    try:
        call()
    except BatchErrorException as error:
        return error_code(error)
    return None


def plain(value):
    """An SDK enum's string value (a plain value as it is)."""
    return getattr(value, "value", value)


def wait_until(probe, what, timeout_s=60, interval_s=0.05):
    """Polls `probe` until it returns a truthy value, which is returned; raises after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for " + what)
        time.sleep(interval_s)


def run(main):
    """Runs `main()` (which returns the summary dict) and prints the summary as JSON; an exception is
    reported in the summary's `error` so the test shows it."""
    try:
        summary = main()
    except Exception as error:  # reported in the summary; the test prints it
        summary = {"error": "".join(traceback.format_exception(type(error), error, error.__traceback__))}
    print(json.dumps(summary, sort_keys=True, default=str))
