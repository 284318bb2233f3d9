import { useCallback, useState } from "preact/hooks";
import type { OutputChunk, TaskView } from "../src/dashboard/view-models.js";
import { ActionButton } from "./actions.js";
import { FileBrowser } from "./file-browser.js";
import { duration, shortTime, seg } from "./format.js";
import { useLiveView } from "./live-view.js";
import { Ended, Problem, Properties, StateBadge } from "./widgets.js";

/** The text of a tailed file so far; "…" first when only its tail was sent. */
type Output = Record<string, string>;

/** A task: its properties and failure, stdout.txt and stderr.txt as they grow, its files and output-file uploads. */
export function TaskPage({ jobId, taskId }: { jobId: string; taskId: string }) {
  const [output, setOutput] = useState<Output>({});
  const onOutput = useCallback(
    (chunk: OutputChunk) => setOutput((current) => ({ ...current, [chunk.file]: `${chunk.truncated ? "…\n" : (current[chunk.file] ?? "")}${chunk.text}` })),
    [],
  );
  const { view, ended, problem } = useLiveView<TaskView>(`jobs/${seg(jobId)}/tasks/${seg(taskId)}`, onOutput);
  if (ended) return <Ended ended={ended} what={`Task ${taskId}`} />;
  const task = view && Object.values(view.task)[0];
  if (!view || !task) return <p class="loading">Loading…</p>;
  const info = task.executionInfo;
  return (
    <section data-view="task" data-state={task.state}>
      <Problem problem={problem} />
      <h1>
        Task {task.id} <StateBadge state={task.state} />{" "}
        {task.state !== "completed" && (
          <ActionButton label="Terminate task" path={`jobs/${seg(jobId)}/tasks/${seg(task.id)}/terminate`} question={`Terminate task ${task.id}?`} />
        )}
      </h1>
      <p>
        Job <a href={`#/jobs/${seg(jobId)}`}>{jobId}</a>
        {task.nodeInfo?.poolId && (
          <>
            , node <a href={`#/pools/${seg(task.nodeInfo.poolId)}`}>{task.nodeInfo.nodeId}</a>
          </>
        )}
      </p>
      {info.failureInfo && (
        <div class="failure-info">
          <strong>
            {info.failureInfo.category} failure: {info.failureInfo.code}
          </strong>{" "}
          {info.failureInfo.message}
          {info.failureInfo.details?.map((detail) => (
            <div key={detail.name}>
              {detail.name}: {detail.value}
            </div>
          ))}
        </div>
      )}
      <Properties
        rows={[
          ["command line", task.commandLine],
          ["display name", task.displayName],
          ["exit code", info.exitCode],
          ["result", info.result],
          ["started", shortTime(info.startTime)],
          ["ended", shortTime(info.endTime)],
          ["duration", duration(info.startTime, info.endTime)],
          ["retries", `${info.retryCount} of ${task.constraints.maxTaskRetryCount}`],
          ["requeues", info.requeueCount],
          ["required slots", task.requiredSlots],
          ["resource files", task.resourceFiles],
          ["environment", task.environmentSettings],
          ["container", task.containerSettings],
        ]}
      />
      <div class="outputs">
        {["stdout.txt", "stderr.txt"].map((file) => (
          <div key={file} class="output">
            <h2>{file}</h2>
            <pre data-output={file}>{output[file] ?? ""}</pre>
          </div>
        ))}
      </div>
      {task.outputFiles && task.outputFiles.length > 0 && (
        <>
          <h2>Output-file uploads</h2>
          <table>
            <thead>
              <tr>
                <th>Pattern</th>
                <th>Destination</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {task.outputFiles.map((file) => (
                <tr key={file.filePattern}>
                  <td>{file.filePattern}</td>
                  <td>
                    {file.destination.container.containerUrl}
                    {file.destination.container.path ? `/${file.destination.container.path}` : ""}
                  </td>
                  <td>{file.uploadOptions.uploadCondition}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Files</h2>
      <FileBrowser owner={`jobs/${seg(jobId)}/tasks/${seg(taskId)}`} version={task.stateTransitionTime} />
    </section>
  );
}
