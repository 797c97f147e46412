// A scan of a 10-symbol watchlist must fit the Workers free plan: 50 subrequests per
// invocation, counting fetches and every D1, KV and R2 operation.
import { beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app";
import { runJob } from "../../../src/jobs/run-job";
import { countingWorld, total } from "../../support/counting-env";
import { resetWorld, SCAN_SLOT } from "../../support/sandbox-driver";

const TEN = "SPY,QQQ,IWM,DIA,XLF,XLE,XLK,TLT,GLD,EEM";

beforeEach(resetWorld);

describe("scan budget", () => {
  it("scans a 10-symbol watchlist within 50 subrequests, as the scheduled job does", async () => {
    const world = countingWorld({ WATCHLIST: TEN });
    const app = createApp(world.env, world.outside);
    const result = await runJob(app, "scan", SCAN_SLOT, Date.now());
    expect(result.outcome).toBe("ran");
    const summary = result.outcome === "ran" ? result.summary : {};
    expect((summary.posted as unknown[]).length).toBeGreaterThan(0);
    expect(total(world.counts), JSON.stringify(world.counts)).toBeLessThanOrEqual(50);
  });
});
