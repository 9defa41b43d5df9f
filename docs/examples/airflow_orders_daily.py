"""Airflow DAG: the daily delta of load `orders_daily`, and a backfill of one day by parameter.

Exit codes decide what Airflow does (see README.md, "Exit codes"):
  0        success
  1, 3, 5  retryable: the task raises AirflowException and Airflow retries it; every try
           passes --auto-resume, so a run an earlier try left unfinished is resumed (its
           committed batches are not read again) instead of refused
  2, 4, 6  not retryable (bad config or metadata; validation mismatch with the target
           untouched; a value the target refuses in a load without maxRejects): the task
           raises AirflowFailException and is not retried

Each try writes its outcome to a JSON result file (run ids, rows, window, exit code), which is
pushed to XCom for downstream tasks. Adjust METALOAD and CONFIG to your installation.
"""
import json
import subprocess
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.python import PythonOperator

METALOAD = "/opt/metaload/bin/metaload"
CONFIG = "/etc/metaload/config.yaml"
RETRYABLE = {1, 3, 5}


def run_metaload(load, params=None, **context):
    result_file = f"/tmp/metaload-{load}-{context['run_id']}-{context['ti'].try_number}.json"
    command = [METALOAD, "run", "--config", CONFIG, "--load", load, "--auto-resume", "--result-file", result_file]
    for name, value in (params or {}).items():
        command += ["--param", f"{name}={value}"]
    code = subprocess.run(command).returncode
    try:
        with open(result_file) as f:
            context["ti"].xcom_push(key="result", value=json.load(f))
    except FileNotFoundError:
        pass
    if code == 0:
        return
    if code in RETRYABLE:
        raise AirflowException(f"metaload exited with {code} (retryable)")
    raise AirflowFailException(f"metaload exited with {code} (not retryable; see the task log's last JSON line)")


with DAG(
    dag_id="metaload_orders_daily",
    start_date=datetime(2026, 11, 1),
    schedule="0 2 * * *",
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
) as dag:
    # The regular delta: reads from the last published watermark (minus the lookback) to a fence.
    PythonOperator(task_id="orders_delta", python_callable=run_metaload, op_kwargs={"load": "orders_daily"})

with DAG(
    dag_id="metaload_orders_backfill",
    start_date=datetime(2026, 11, 1),
    schedule=None,
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
) as backfill:
    # Trigger with a logical date: re-reads [ds, next day) and never moves the published watermark.
    PythonOperator(task_id="orders_backfill", python_callable=run_metaload,
                   op_kwargs={"load": "orders_daily", "params": {"from": "{{ ds }}", "to": "{{ next_ds }}"}})
