// The console page in a real browser, against the real sandbox (`wrangler dev --env sandbox`
// on a free port, its own state directory): a slash command typed through the page gets its
// reply drawn, a button clicked in the page changes the message it is on, the side panel
// moves the simulated market and runs the monitor, and the right-hand panel moves the clock
// and shows the broker's book beside the bot's.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/free-port.ts";
import { chromiumForTests } from "./browser.ts";

const root = resolve(import.meta.dirname, "../..");
const WRANGLER = join(root, "node_modules/wrangler/bin/wrangler.js");
const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

let state = "";
let child: ChildProcess | null = null;
let output = "";
/** The browser, launched while the sandbox starts; closed after, even when the start failed. */
let launching: Promise<Browser> | null = null;
let page: Page;
let base = "";

/** Polls /health until the sandbox answers; fails early, with wrangler's output, if it died. */
async function waitForHealth(url: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child?.exitCode !== null) throw new Error(`wrangler dev exited (${child?.exitCode}):\n${output}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the sandbox never answered ${url}:\n${output}`);
}

beforeAll(async () => {
  // The system Chromium, or the one in the npm package @sparticuz/chromium (see browser.ts),
  // started while the sandbox starts.
  launching = chromiumForTests().then((launch) => chromium.launch(launch.options));
  launching.catch(() => undefined); // awaited below: a failed launch is reported there
  state = mkdtempSync(join(tmpdir(), "spread-desk-console-"));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    [WRANGLER, "dev", "--env", "sandbox", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  await waitForHealth(`${base}/health`);

  const browser = await launching;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/sandbox/`);
  await page.waitForSelector("body[data-ready=true]");
});

afterAll(async () => {
  await (await launching?.catch(() => null))?.close();
  const pid = child?.pid;
  if (child && pid !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child?.once("exit", r));
    process.kill(-pid, "SIGTERM"); // the group: wrangler and the workerd it started
    await exited;
  }
  if (state) rmSync(state, { recursive: true, force: true });
});

describe("the console page", () => {
  it("looks like the channel: header with the trading mode, commands, click-as users", async () => {
    await expect(page.title()).resolves.toContain("trading-desk");
    expect(await page.locator("#mode").textContent()).toBe("PAPER");
    expect(await page.locator("#intro").textContent()).toMatch(
      /simulated Alpaca paper market.*local Discord channel.*No accounts/,
    );
    expect(await page.locator("#empty-scan").textContent()).toBe("Run /scan");
    expect(await page.locator("#as option").allTextContents()).toEqual([
      "Trader (allowed to approve)",
      "Guest (not allowed)",
    ]);
  });

  it("shows the simulated market: open, a price and an ATM IV per watchlist symbol", async () => {
    await page.locator('#prices tr[data-symbol="IWM"]').waitFor();
    expect(await page.locator("#market-open").textContent()).toBe("OPEN");
    for (const symbol of ["SPY", "QQQ", "IWM"]) {
      const row = page.locator(`#prices tr[data-symbol="${symbol}"]`);
      expect(await row.locator(".price").textContent()).toMatch(/^\$\d+\.\d{2}$/);
      expect(await row.locator(".iv").textContent()).toMatch(/^\d+\.\d%$/);
    }
  });

  it("runs /help from its command bar and shows the bot's reply, only to the user", async () => {
    await page.click("#cmd-help");
    const reply = page.locator('.msg[data-command="help"]');
    await reply.waitFor();
    expect(await reply.locator(".reply").textContent()).toContain("@Trader used /help");
    expect(await reply.textContent()).toContain("/status");
    expect(await reply.locator(".only-you").textContent()).toContain("Only you can see this");
  });

  it("runs a typed /scan, then a click on Reject turns the recommendation into 'Rejected by'", async () => {
    await page.fill("#typed", "/scan");
    await page.press("#typed", "Enter");
    const reject = page.locator('button.cbtn[data-custom-id^="v1:reject:"]').first();
    await reject.waitFor({ timeout: 30_000 });
    const messageId = await reject.getAttribute("data-message-id");
    expect(messageId).toMatch(/^\d+$/);
    const message = page.locator(`.msg[data-id="${messageId}"]`);
    expect(await message.locator(".embed .title").textContent()).toMatch(/(bull put|bear call) .* DTE/);

    await reject.click();
    await message.locator(".embed .desc", { hasText: "Rejected by" }).waitFor();
    expect(await message.locator(".embed .desc").textContent()).toContain("Rejected by @Trader");
    expect(await message.locator("button.cbtn").count()).toBe(0);
    expect(await message.locator(".edited").count()).toBe(1);
  });

  let approved = { symbol: "", bearCall: false, messageId: "" };

  it("a click on Approve places the paper order and the card turns into 'Filled'", async () => {
    // The newest card: its exit alert will be drawn right under it.
    const approveButtons = 'button.cbtn[data-custom-id^="v1:approve:"]';
    const card = page.locator(".msg", { has: page.locator(approveButtons) }).last();
    const approve = card.locator(approveButtons).first(); // the suggested size
    const messageId = (await approve.getAttribute("data-message-id")) ?? "";
    const message = page.locator(`.msg[data-id="${messageId}"]`);
    const title = (await message.locator(".embed .title").textContent()) ?? "";
    approved = { symbol: title.split(" ")[0] ?? "", bearCall: title.includes("bear call"), messageId };

    await approve.click();
    // Wait for any settled outcome, so a refusal fails with its reason rather than a timeout.
    await message.locator(".embed .desc", { hasText: /Filled|Refused|failed|submitted/ }).waitFor();
    expect(await message.locator(".embed .desc").textContent()).toMatch(/Filled[\s\S]*by @Trader/);
    expect(await message.locator("button.cbtn").count()).toBe(0);
  });

  it("moves the market from the panel, runs the monitor, and the position gets an exit alert with Close", async () => {
    await page.selectOption("#symbol", approved.symbol);
    // Far enough that the spread is nearly worthless: the profit target, whatever the strikes.
    const move = approved.bearCall ? 'button[data-move="-5"]' : 'button[data-move="5"]';
    for (let i = 0; i < 2; i++) {
      await page.click(move); // the button stays disabled until the simulator has answered
      await page.waitForFunction((selector) => !document.querySelector<HTMLButtonElement>(selector)?.disabled, move);
    }
    expect(await page.locator("#market-note").textContent()).toContain(`${approved.symbol} `);
    await page.click("#job-monitor");
    await page.locator("#job-note", { hasText: "Monitor ran" }).waitFor();
    expect(await page.locator("#job-note").textContent()).toContain("1 exit alert posted");
    const alert = page.locator(".msg", { hasText: `Profit target: ${approved.symbol}` });
    await alert.waitFor();
    expect(await alert.locator("button.cbtn").first().textContent()).toMatch(/^Close/);

    await alert.evaluate((e) => e.scrollIntoView({ block: "end" }));
    await page.mouse.move(0, 0); // no hover highlight in the picture
    mkdirSync(join(root, "test-results"), { recursive: true });
    await page.screenshot({ path: join(root, "test-results/console.png") });
  });

  /** The Books panel's rows: symbol → the quantities drawn on each side and whether they are marked. */
  const bookRows = () =>
    page.locator("#books tr[data-symbol]").evaluateAll((rows) =>
      rows.map((r) => ({
        symbol: r.getAttribute("data-symbol") ?? "",
        broker: Number(r.querySelector(".broker")?.getAttribute("data-qty")),
        bot: Number(r.querySelector(".bot")?.getAttribute("data-qty")),
        differ: r.classList.contains("differ"),
        mark: r.querySelector(".mark")?.textContent ?? "",
      })),
    );
  const OCC = /^[A-Z]+\d{6}[CP]\d{8}$/;

  it("the Books panel lists the approved spread on both sides: the same signed quantities, no mark", async () => {
    await page.locator("#books-state", { hasText: "AGREE" }).waitFor();
    const rows = await bookRows();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.symbol).toMatch(new RegExp(`^${approved.symbol}\\d{6}${approved.bearCall ? "C" : "P"}\\d{8}$`));
      expect(row.broker).toBe(row.bot);
      expect(row).toMatchObject({ differ: false, mark: "=" });
    }
    expect(rows.map((r) => Math.sign(r.bot)).sort()).toEqual([-1, 1]);
    const short = page.locator(`#books tr[data-symbol="${rows.find((r) => r.bot < 0)?.symbol}"]`);
    expect(await short.locator(".broker").textContent()).toMatch(/^−\d+$/);
    expect(await page.locator("#books-note").textContent()).toContain("agree: 1 position, 2 legs");
  });

  it("+15 min moves the simulated clock 15 minutes forward, drawn in New York time", async () => {
    const before = Date.parse((await page.locator("#clock-now").getAttribute("data-now")) ?? "");
    expect(await page.locator("#clock-day").textContent()).toContain("New York");
    await page.click("#jump-15");
    await page.locator("#clock-note", { hasText: /^Now / }).waitFor();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>("#jump-15")?.disabled);
    const after = Date.parse((await page.locator("#clock-now").getAttribute("data-now")) ?? "");
    expect(after - before).toBeGreaterThanOrEqual(15 * 60_000);
    expect(after - before).toBeLessThan(16 * 60_000);
    const hm = (ms: number) =>
      new Date(ms).toLocaleTimeString("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" });
    // The page's clock ticks on: it may have crossed into the next minute since.
    expect([hm(after), hm(after + 60_000)]).toContain(await page.locator("#clock-time").textContent());
    // In market hours the monitor ran, as its cron would; outside them the note says why not.
    expect(await page.locator("#clock-note").textContent()).toMatch(/Monitor (ran|skipped)|Market closed/);
  });

  it("arms the partial-fill fault for the next order", async () => {
    await page.selectOption("#fault-share", "0.6");
    await page.click("#fault-arm");
    await page.locator("#fault-note[data-armed=true]").waitFor();
    expect(await page.locator("#fault-note").textContent()).toContain("the next order fills 60% at once");
  });

  it("To next expiration: the broker settles the legs and the Books panel marks where the books disagree", async () => {
    const expiry = page.locator("#jump-expiry");
    expect(await expiry.isEnabled()).toBe(true);
    expect(await expiry.locator("small").textContent()).toContain(approved.symbol);
    await expiry.click();
    await page.locator("#clock-note", { hasText: "Market closed" }).waitFor();
    await page.locator("#books-state", { hasText: "DIFFER" }).waitFor();
    const legs = (await bookRows()).filter((r) => OCC.test(r.symbol));
    expect(legs).toHaveLength(2);
    for (const leg of legs) expect(leg).toMatchObject({ broker: 0, differ: true, mark: "≠" });
    expect(await page.locator("#market-open").textContent()).toBe("CLOSED");
    expect(await expiry.locator("small").textContent()).toBe("none held");
    expect(await expiry.isDisabled()).toBe(true);
  });

  it("To the open: the monitor runs, books the expiry, and no option leg is left on either side", async () => {
    await page.click("#jump-open");
    await page.locator("#clock-note", { hasText: "Monitor ran" }).waitFor({ timeout: 60_000 });
    expect(await page.locator("#clock-note").textContent()).toContain("1 position booked at expiry");
    await page.waitForFunction(() => document.querySelectorAll("#books tr.differ td.bot:not(.none)").length === 0);
    expect((await bookRows()).filter((r) => OCC.test(r.symbol))).toEqual([]);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(root, "test-results/console-books.png") });
  });
});
