import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { JobPage } from "./job-page.js";
import { OverviewPage } from "./overview-page.js";
import { PoolPage } from "./pool-page.js";
import { TaskPage } from "./task-page.js";

/** The page a location hash names: `#/`, `#/pools/P`, `#/jobs/J`, `#/jobs/J/tasks/T`. */
function pageFor(hash: string) {
  const [first, id, second, taskId] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (first === "pools" && id) return <PoolPage key={hash} poolId={id} />;
  if (first === "jobs" && id && second === "tasks" && taskId) return <TaskPage key={hash} jobId={id} taskId={taskId} />;
  if (first === "jobs" && id) return <JobPage key={hash} jobId={id} />;
  return <OverviewPage />;
}

function App() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const follow = () => setHash(location.hash);
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  return (
    <>
      <header>
        <a href="#/" class="brand">
          Malachite
        </a>
        <span class="subtitle">Azure Batch account, live</span>
      </header>
      <main>{pageFor(hash)}</main>
    </>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
