// The console's routes: the page, its script and its style are the static assets of
// wrangler.toml's [env.sandbox] (built from src/sandbox/console by scripts/build-console.ts,
// the workers project's globalSetup), served behind the worker; its schedule buttons come from
// GET /sandbox/api/schedule, which follows the configuration's SCAN_TIMES.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consoleSandboxRoute } from "../../../src/sandbox/console-route";

const get = (path: string, host = "127.0.0.1") => exports.default.fetch(`http://${host}${path}`);

describe("the console's files", () => {
  it("GET /sandbox/ is the page, and it loads its script and style from beside it", async () => {
    const page = await get("/sandbox/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('<script src="console.js" defer></script>');
    expect(html).toContain('<link rel="stylesheet" href="console.css">');

    const script = await get("/sandbox/console.js");
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("/sandbox/api/schedule");
    const style = await get("/sandbox/console.css");
    expect(style.headers.get("content-type")).toContain("text/css");
  });

  it("refuses another host, files included: the assets sit behind the sandbox's local-only check", async () => {
    for (const path of ["/sandbox/", "/sandbox/console.js"]) {
      const response = await get(path, "spread-desk.someone.workers.dev");
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: "sandbox_local_only" });
    }
  });

  it("GET / (the address wrangler prints) leads to the console, on this machine only", async () => {
    const home = await exports.default.fetch("http://127.0.0.1/", { redirect: "manual" });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("http://127.0.0.1/sandbox/");
    expect((await get("/", "spread-desk.someone.workers.dev")).status).toBe(404);
  });

  it("a /sandbox/ path that is no file of the console answers the sandbox's 404", async () => {
    const response = await get("/sandbox/nope.js");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: "No sandbox route for /sandbox/nope.js" });
  });
});

describe("GET /sandbox/api/schedule", () => {
  it("gives the day's slots: the scans (the midday one also reviews) and the end of day", async () => {
    expect(await (await get("/sandbox/api/schedule")).json()).toEqual({
      scan_times: ["09:35", "12:00", "15:30"],
      midday_scan: "12:00",
      eod_time: "16:15",
    });
  });

  it("follows SCAN_TIMES, and shows the defaults when the configuration is wrong (the jobs say why)", async () => {
    const schedule = async (SCAN_TIMES: string) => {
      const url = new URL("http://127.0.0.1/sandbox/api/schedule");
      const response = await consoleSandboxRoute(new Request(url), { ...env, SCAN_TIMES } as Env, url);
      return response?.json();
    };
    expect(await schedule("10:00,14:30")).toMatchObject({ scan_times: ["10:00", "14:30"] });
    expect(await schedule("25:99")).toMatchObject({ scan_times: ["09:35", "12:00", "15:30"] });
  });
});
