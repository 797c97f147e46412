// The handlers behind the interactions router (their contract is in endpoint.ts): each turns a
// click or a command into an action and answers within Discord's 3 s. Cheap work (a D1 claim, a
// read) is answered inline; broker orders and scans are answered first and finished in
// waitUntil, which then edits the message the person is looking at. The app (c.app) is the
// request's, built once by the worker.
import type { APIInteractionResponse, APIInteractionResponseCallbackData } from "discord-api-types/v10";
import type { PositionRow, RecommendationRow } from "../../drizzle/schema";
import { claimApproval, clickedOnItsMessage, NOT_ITS_MESSAGE, placeApprovedOrder } from "../actions/approve";
import { assignedEarlyNote, claimClose, placeCloseOrder, postCloseCard } from "../actions/close";
import { claimFlatten, placeFlattenOrder } from "../actions/flatten";
import { cancelWorkingEntries, haltTrading } from "../actions/halt";
import { trackRecordFor } from "../actions/performance";
import { changePlaybook, listPlaybook } from "../actions/playbook";
import {
  refreshPositionMessage,
  refreshRecommendationMessage,
  refreshSharesMessage,
} from "../actions/refresh-messages";
import { rejectRecommendation } from "../actions/reject";
import { dailyLossPastLimit } from "../actions/risk-state";
import { portfolioView, statusView } from "../actions/status";
import { parsePeriod } from "../domain/track-record";
import { runJobNow } from "../jobs/run-job";
import { errorFields, log } from "../log";
import type { CloseAction, FlattenAction } from "./custom-id";
import type { Handlers, InteractionContext } from "./endpoint";
import { InteractionResponseType, MessageFlags } from "./enums";
import { helpText } from "./help";
import { entryCancelReport, haltedNotice } from "./messages/halt";
import { noticeMessage } from "./messages/notice";
import { EQUITY_CHART_FILE, performanceMessage } from "./messages/performance";
import { playbookMessage, ruleChangedMessage } from "./messages/playbook";
import { portfolioMessage } from "./messages/portfolio";
import { closingMessage } from "./messages/position-alert";
import { recommendationMessage, recommendationView } from "./messages/recommendation";
import { sharesMessage } from "./messages/shares";
import { statusMessage } from "./messages/status";
import { equityChartFile } from "./png";
import type { MessageBody } from "./port";
import { ephemeral } from "./responses";

/**
 * How long a /scan may wait for Claude, counted from the first response (a late answer's
 * acknowledgement included). The platform cuts waitUntil 30 s after the response; the 10 s left
 * store, post the cards, edit the reply and finish the run. Past it the rule-based analyst writes
 * the remaining theses.
 */
const SCAN_ANALYSIS_DEADLINE_MS = 20_000;

/** A message body as interaction callback data (the fields both share). */
function callbackData(body: MessageBody): APIInteractionResponseCallbackData {
  const data: APIInteractionResponseCallbackData = { allowed_mentions: { parse: [] } };
  if (body.content !== undefined) data.content = body.content;
  if (body.embeds !== undefined) data.embeds = body.embeds;
  if (body.components !== undefined)
    data.components = body.components as APIInteractionResponseCallbackData["components"];
  if (body.flags !== undefined) data.flags = body.flags as APIInteractionResponseCallbackData["flags"];
  return data;
}

const updateMessage = (body: MessageBody): APIInteractionResponse => ({
  type: InteractionResponseType.UpdateMessage,
  data: callbackData(body),
});
const channelMessage = (body: MessageBody): APIInteractionResponse => ({
  type: InteractionResponseType.ChannelMessageWithSource,
  data: callbackData(body),
});

/** Work after the first response: never throws (a throw in waitUntil is lost), always logs. */
function later(c: InteractionContext, what: string, work: (respondedAt: number) => Promise<void>): void {
  c.ctx.waitUntil(
    // After the first answer has gone out (a late one is delivered by the router first), and on a
    // later task, so the response is on its way before this work (which may load an SDK on a
    // cold isolate) takes the CPU.
    c.answered
      .then((respondedAt) => new Promise<number>((resolve) => setTimeout(() => resolve(respondedAt), 0)))
      .then(work)
      .catch((error: unknown) =>
        log.error(`${what} failed after the response`, { interactionId: c.interaction.id, ...errorFields(error) }),
      ),
  );
}

/** `rec` is the row as the claim left it (status approving): no second read. */
async function finishApproval(c: InteractionContext, rec: RecommendationRow): Promise<void> {
  const { app } = c;
  const recId = rec.id;
  try {
    const after = await placeApprovedOrder(app, rec, c.userId, app.clock.now);
    await refreshRecommendationMessage(app, after, app.clock.now());
  } catch (error) {
    // Unexpected: leave it in approving with a reason; the monitor settles it by client order id.
    log.error("approval failed unexpectedly", { recommendationId: recId, ...errorFields(error) });
    await app.recommendations.noteStatus(recId, "approving", app.clock.now(), {
      statusReason: "Something failed while placing the order (logged). The bot is checking Alpaca by client order id.",
    });
    const stuck = await app.recommendations.get(recId);
    if (stuck) await refreshRecommendationMessage(app, stuck, app.clock.now());
  }
}

/** `position` is the row as the claim left it (status closing): no second read. */
async function finishClose(c: InteractionContext, position: PositionRow): Promise<void> {
  const { app } = c;
  const { position: after, note } = await placeCloseOrder(app, position, c.userId, app.clock.now);
  await refreshPositionMessage(app, after, app.clock.now(), note ?? undefined);
}

/** `position` is the row as the claim left it (flatten claimed): no second read. */
async function finishFlatten(c: InteractionContext, position: PositionRow): Promise<void> {
  const { app } = c;
  const { position: after, note } = await placeFlattenOrder(app, position, c.userId, app.clock.now);
  await refreshSharesMessage(app, after, note);
}

export function tradingHandlers(): Handlers {
  return {
    // The Approve claim records the click's interaction id in its own batch (actions/approve.ts).
    replayInClaim: ["approve"],
    approve: async (c, action) => {
      const { app } = c;
      const { recId, contracts } = action;
      const clicked = c.interaction.message.id;
      const id = c.interaction.id;
      const claim = await claimApproval(app, recId, contracts, c.userId, id, c.now, clicked, c.unrecordedSince);
      if (!claim.ok) {
        // The router leaves this click's line to its audit row: a refusal without one is logged here.
        const fields = { interactionId: id, userId: c.userId, recId };
        if (claim.replay) log.warn("interaction replayed", fields);
        else if (claim.unaudited) log.warn("approve refused", { ...fields, reason: claim.message });
        return ephemeral(claim.message);
      }
      later(c, "approval", () => finishApproval(c, claim.rec));
      return updateMessage(recommendationMessage(claim.rec, recommendationView(claim.rec, app.config, c.now)));
    },

    reject: async (c, action) => {
      const { app } = c;
      const clicked = c.interaction.message.id;
      const result = await rejectRecommendation(app, action.recId, c.userId, c.interaction.id, c.now, clicked);
      if (!result.ok) return ephemeral(result.message);
      return updateMessage(recommendationMessage(result.rec, recommendationView(result.rec, app.config, c.now)));
    },

    close: async (c, action: CloseAction) => {
      const { app } = c;
      const claim = await claimClose(app, action.positionId, c.userId, c.interaction.id, c.now);
      if (!claim.ok) return ephemeral(claim.message);
      later(c, "close", () => finishClose(c, claim.position));
      return updateMessage(closingMessage(claim.position, c.userId));
    },

    flatten: async (c, action: FlattenAction) => {
      const { app } = c;
      const claim = await claimFlatten(app, action.positionId, c.userId, c.interaction.id, c.now);
      if (!claim.ok) return ephemeral(claim.message);
      later(c, "flatten", () => finishFlatten(c, claim.position));
      return updateMessage(sharesMessage(claim.position));
    },

    refresh: async (c, action) => {
      const { app } = c;
      const rec = await app.recommendations.get(action.recId);
      if (!rec) return ephemeral("This recommendation does not exist (any more).");
      if (!clickedOnItsMessage(rec, c.interaction.message.id)) return ephemeral(NOT_ITS_MESSAGE);
      return updateMessage(recommendationMessage(rec, recommendationView(rec, app.config, c.now)));
    },

    commands: {
      help: async (c) => ephemeral(helpText(c.app.config.exits)),

      status: async (c) => channelMessage(statusMessage(await statusView(c.app, c.now), { ephemeral: true })),

      portfolio: async (c) => channelMessage(portfolioMessage(await portfolioView(c.app), { ephemeral: true })),

      // The card comes as a channel message of its own (the position's message from then on),
      // posted after this answer; the Close on it is the same exactly-once close as an alert's.
      close: async (c, options) => {
        const { app } = c;
        const id = Number(options.position);
        const position = Number.isInteger(id) ? await app.positions.get(id) : undefined;
        if (!position)
          return ephemeral(`Position ${String(options.position)} does not exist. /portfolio lists the open ones.`);
        if (position.status !== "open")
          return ephemeral(`Position ${id} is ${position.status}: there is nothing to close. Nothing was done.`);
        // Its Close would refuse (a spread order for a leg gone): say why now, with what to do.
        const assigned = await assignedEarlyNote(app, position, c.now);
        if (assigned) return ephemeral(`Nothing was posted. ${assigned}`);
        later(c, "close card", () => postCloseCard(app, position, c.userId, app.clock.now()));
        return ephemeral(
          `Position ${id}'s card is going up in the channel: tap **Close** on it to buy the spread back.`,
        );
      },

      // Deferred: drawing and sending the chart image is work for after the first response.
      performance: async (c, options) => {
        const { app } = c;
        const period = parsePeriod(options.period);
        later(c, "performance", async () => {
          const record = await trackRecordFor(app, period, c.now);
          const chart = record.trades > 0;
          const files = chart
            ? [
                await equityChartFile(
                  record.curve.map((p) => p.pl),
                  EQUITY_CHART_FILE,
                ),
              ]
            : [];
          await c.replies.editOriginal(c.interaction.token, performanceMessage(period, record, { chart }), files);
        });
        return {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          data: { flags: MessageFlags.Ephemeral },
        };
      },

      playbook: async (c, options) => {
        const { app } = c;
        const action = options.action ?? "list";
        if (action === "list") return channelMessage(playbookMessage(await listPlaybook(app)));
        const by = { actor: c.userId, interactionId: c.interaction.id, now: c.now };
        const result = await changePlaybook(app, options, by);
        if (!result.ok) return ephemeral(result.message);
        if (!result.changed)
          return ephemeral(`Rule ${result.rule.id} is already ${result.rule.status}. Nothing was changed.`);
        return channelMessage(ruleChangedMessage(result.rule, result.change, c.userId));
      },

      halt: async (c, options) => {
        const { app } = c;
        const reason =
          typeof options.reason === "string" && options.reason.trim() ? options.reason.trim() : "no reason given";
        const halt = { reason, userId: c.userId, interactionId: c.interaction.id };
        await haltTrading(app, halt, c.now);
        later(c, "halt: cancel entry orders", async () => {
          const canceled = await cancelWorkingEntries(app, halt, app.clock.now);
          await c.replies.followUp(c.interaction.token, entryCancelReport(canceled, app.clock.now()));
        });
        return channelMessage(haltedNotice(c.userId, reason));
      },

      resume: async (c) => {
        const { app } = c;
        const before = await app.breakers.read();
        await app.breakers.resume(c.userId, c.now);
        await app.audit.record({
          at: c.now,
          actor: c.userId,
          action: "resume",
          interactionId: c.interaction.id,
          outcome: "resumed",
          detail: { was: before.reasons },
        });
        const was = before.halted ? `\nWas halted for: ${before.reasons.join("; ")}` : "\nIt was not halted.";
        // A loss still past the daily limit halts again at the monitor's next run: say so now.
        const stillPast = await dailyLossPastLimit(app, c.now).catch((error: unknown) => {
          log.warn("resume: could not check the daily loss", errorFields(error));
          return null;
        });
        const warning = stillPast
          ? `\n⚠️ ${stillPast}: the monitor halts trading again at its next run unless the loss shrinks. To trade on today, raise DAILY_LOSS_LIMIT_PCT.`
          : "";
        return channelMessage(
          noticeMessage(
            "Trading resumed",
            `<@${c.userId}> resumed trading.${was}${warning}`,
            stillPast ? "warn" : "info",
          ),
        );
      },

      scan: async (c) => {
        const { app } = c;
        later(c, "scan", async (respondedAt) => {
          const left = SCAN_ANALYSIS_DEADLINE_MS - (Date.now() - respondedAt);
          const analysisDeadline = AbortSignal.timeout(Math.max(0, left));
          const slot = `manual:${c.interaction.id}`;
          const result = await runJobNow(app, "scan", slot, app.clock.now(), { analysisDeadline });
          await c.replies.editOriginal(c.interaction.token, {
            content: scanSummary(result),
            allowed_mentions: { parse: [] },
          });
        });
        return {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          data: { flags: MessageFlags.Ephemeral },
        };
      },
    },
  };
}

function scanSummary(result: Awaited<ReturnType<typeof runJobNow>>): string {
  if (result.outcome === "skipped") return `Scan skipped: ${result.reason}`;
  if (result.outcome === "failed") return `Scan failed: ${result.reason}`;
  const posted = (result.summary.posted as { title: string }[] | undefined) ?? [];
  const skipped = (result.summary.skipped as { symbol: string; reason: string }[] | undefined) ?? [];
  const lines = [
    `Scan done: ${posted.length} recommendation${posted.length === 1 ? "" : "s"} posted.`,
    ...posted.map((p) => `• ${p.title}`),
    ...skipped.map((s) => `• ${s.symbol}: ${s.reason}`),
  ];
  return lines.join("\n").slice(0, 2000);
}
