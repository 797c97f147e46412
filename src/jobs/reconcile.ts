// Reconcile, every monitor run: the broker's book against the bot's, leg by leg and in shares.
import type { App } from "../app";
import type { BrokerPosition } from "../broker/port";
import { earlyAssignmentNote } from "../discord/messages/early-assignment";
import { noticeMessage } from "../discord/messages/notice";
import { earlyByPosition, expectedBook, heldBySymbol } from "../domain/broker-book";
import { tradingDay } from "../domain/market-time";
import { parseOccSymbol } from "../domain/occ";
import { KV_KEYS } from "../store/kv-state";
import type { PositionBook } from "../store/monitor-book";

/**
 * The broker's book against ours, by quantity: every option leg the bot's open positions hold
 * (short -n, long +n, less a short leg assigned early, whose shares are then expected) must be
 * what Alpaca holds, and Alpaca must hold nothing else. A position that disagrees is marked as
 * needing attention (cleared when it agrees again, or back to its early assignment); each problem is
 * posted once a day. A broker position the bot does not know is shown, never adopted. Our side
 * is the run's book as it is now (the monitor reads it once, again after a step changed it); the
 * broker's side is read beside our opening read, and again once a step has changed ours.
 */
export async function reconcile(
  app: App,
  now: number,
  { active: ours, withShares, assignedEarly }: Pick<PositionBook, "active" | "withShares" | "assignedEarly">,
  brokerPositions: Promise<BrokerPosition[]>,
): Promise<string[]> {
  const theirs = await brokerPositions;
  const held = heldBySymbol(theirs.filter((p) => p.qty !== 0));
  // Short legs assigned early are gone, and their shares expected (early-assignment.ts).
  const { legs: expected, shares: assignedShares } = expectedBook(ours, assignedEarly);
  // Shares that expirations left are on the bot's books too, until flattened.
  const shares = new Map(assignedShares);
  for (const p of withShares) shares.set(p.symbol, (shares.get(p.symbol) ?? 0) + p.shares);
  const early = earlyByPosition(assignedEarly);
  const problems: string[] = [];
  for (const [symbol, qty] of held) {
    if (expected.has(symbol) || shares.has(symbol)) continue;
    problems.push(
      isOptionSymbol(symbol)
        ? `Alpaca holds ${qty} ${symbol}, which the bot did not open.`
        : `Alpaca holds ${qty} ${symbol} shares the bot's books do not explain (bought outside the bot?). The bot does not manage them.`,
    );
  }
  for (const [symbol, qty] of shares) {
    const atBroker = held.get(symbol) ?? 0;
    if (atBroker !== qty)
      problems.push(
        `Alpaca holds ${atBroker} ${symbol} shares; the bot's books say ${qty} from assignments and expirations (positions ${[
          ...withShares.filter((p) => p.symbol === symbol).map((p) => p.id),
          ...ours.filter((p) => p.symbol === symbol && early.has(p.id)).map((p) => p.id),
        ].join(", ")}). Traded outside the bot? Check the account at Alpaca.`,
      );
  }
  for (const p of ours) {
    const shortHeld = held.get(p.shortSymbol) ?? 0;
    const longHeld = held.get(p.longSymbol) ?? 0;
    const agrees = shortHeld === expected.get(p.shortSymbol) && longHeld === expected.get(p.longSymbol);
    const assigned = early.get(p.id);
    // A position assigned early keeps saying so (and what to do) while the books agree.
    const attention = agrees
      ? assigned
        ? earlyAssignmentNote(p, assigned, now)
        : null
      : `Alpaca holds ${shortHeld} ${p.shortSymbol} and ${longHeld} ${p.longSymbol}; the bot's books say ${expected.get(p.shortSymbol) ?? 0} and ${expected.get(p.longSymbol) ?? 0}.`;
    if (attention !== p.attention) await app.positions.setAttention(p.id, attention, now);
    if (!agrees)
      problems.push(`Position ${p.id} (${p.symbol} ${p.shortStrike}/${p.longStrike}) needs attention: ${attention}`);
  }
  const day = tradingDay(now);
  for (const problem of problems) {
    if (!(await app.kv.once(KV_KEYS.reconciliation(day, problem), 2 * 86_400))) continue;
    await app.discord.post(noticeMessage("Positions disagree with Alpaca", problem, "warn"));
  }
  return problems;
}

const isOptionSymbol = (symbol: string) => parseOccSymbol(symbol).ok;
