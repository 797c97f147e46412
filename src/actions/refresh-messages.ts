// Keeping the channel truthful: after a state change, the message that shows a recommendation
// or a position is edited to match. A failed edit is logged, never fatal: the state in D1 is
// the truth and /status shows it.
import type { PositionRow, RecommendationRow } from "../../drizzle/schema";
import type { App } from "../app";
import { exitAlertMessage, positionUpdateMessage, repeatedAlertMessage } from "../discord/messages/position-alert";
import { recommendationMessage, recommendationView } from "../discord/messages/recommendation";
import { sharesMessage } from "../discord/messages/shares";
import { errorFields, log } from "../log";

export async function refreshRecommendationMessage(app: App, rec: RecommendationRow, now: number): Promise<void> {
  if (!rec.discordMessageId) return;
  try {
    // A filled card names the position it opened: the number /portfolio and /close use.
    const positionId = rec.status === "filled" ? ((await app.positions.byRecommendation(rec.id))?.id ?? null) : null;
    const view = { ...recommendationView(rec, app.config, now), positionId };
    await app.discord.edit(rec.discordMessageId, recommendationMessage(rec, view));
  } catch (error) {
    log.warn("could not edit recommendation message", { recommendationId: rec.id, ...errorFields(error) });
  }
}

/** The message for a position: closing/closed as such; open again after a failed close, with its Close button. */
export function positionMessage(position: PositionRow, note?: string) {
  return (
    positionUpdateMessage(position) ??
    exitAlertMessage(
      position,
      {
        trigger: position.exitAlert ?? "close",
        reason: note ?? "The close did not complete; the position is still open.",
      },
      { mark: position.mark, unrealizedPl: position.unrealizedPl },
    )
  );
}

export async function refreshPositionMessage(
  app: App,
  position: PositionRow,
  _now: number,
  note?: string,
): Promise<void> {
  if (!position.exitAlertMessageId) return;
  try {
    await app.discord.edit(position.exitAlertMessageId, positionMessage(position, note));
  } catch (error) {
    log.warn("could not edit position message", { positionId: position.id, ...errorFields(error) });
  }
}

/** The notice of the shares an expiry left, after a flatten tap, order or booking. */
export async function refreshSharesMessage(app: App, position: PositionRow, note?: string | null): Promise<void> {
  if (!position.exitAlertMessageId) return;
  try {
    await app.discord.edit(position.exitAlertMessageId, sharesMessage(position, note));
  } catch (error) {
    log.warn("could not edit shares message", { positionId: position.id, ...errorFields(error) });
  }
}

/** The previous alert loses its Close button when a newer one is posted: one live button. */
export async function retireAlert(app: App, position: PositionRow): Promise<void> {
  if (!position.exitAlertMessageId) return;
  try {
    const warnedLast = position.expiryAlertAt !== null && position.expiryAlertAt > (position.exitAlertAt ?? 0);
    const trigger = warnedLast ? "expiry_warning" : (position.exitAlert ?? "exit");
    await app.discord.edit(position.exitAlertMessageId, repeatedAlertMessage(position, trigger));
  } catch (error) {
    log.warn("could not retire the previous alert", { positionId: position.id, ...errorFields(error) });
  }
}
