// GET /sandbox/api/jobs: job runs newest first, as the sandbox contract lists them.
import { json } from "../http";
import { database } from "../store/db";
import { jobRunStore } from "../store/job-runs";

export async function jobsSandboxRoute(request: Request, env: Env, url: URL): Promise<Response | null> {
  if (url.pathname !== "/sandbox/api/jobs") return null;
  if (request.method !== "GET") return json({ error: "method_not_allowed" }, 405, { allow: "GET" });
  const runs = await jobRunStore(database(env.DB)).recent(Number(url.searchParams.get("limit") ?? 50) || 50);
  return json(
    runs.map((r) => ({
      job: r.job,
      scheduled_time: new Date(r.scheduledTime).toISOString(),
      outcome: r.outcome,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.summary ? { summary: r.summary } : {}),
    })),
  );
}
