// The composition root: one place that turns the Worker's env and the outside world into the
// ports and stores that jobs and interaction handlers use. Adapters are built lazily, so a
// PING or /help never loads the broker or analyst SDKs.

import type { JobAnalyst } from "./analyst/port";
import { createAnalyst } from "./analyst/with-fallback";
import { createAlpacaBroker } from "./broker/alpaca-broker";
import type { Broker } from "./broker/port";
import { type Config, parseConfig } from "./config";
import { ANSWER_WITHIN_MS } from "./discord/late-answer";
import { DiscordError } from "./discord/port";
import { createDiscordRest, type DiscordRest } from "./discord/rest-client";
import type { Clock, Outside } from "./outside";
import { usageLedger } from "./store/analyst-usage";
import { archiveStore } from "./store/archive";
import { auditStore } from "./store/audit";
import { type BackupStore, backupStore } from "./store/backup";
import { breakerStore } from "./store/breakers";
import { brokerActivityStore } from "./store/broker-activities";
import { database } from "./store/db";
import { ivHistoryStore } from "./store/iv-history";
import { jobRunStore } from "./store/job-runs";
import { type KvState, kvState } from "./store/kv-state";
import { monitorBookStore } from "./store/monitor-book";
import { performanceStore } from "./store/performance";
import { playbookStore } from "./store/playbook";
import { positionStore } from "./store/positions";
import { recommendationStore } from "./store/recommendations";
import { scanBookStore } from "./store/scan-book";
import { seenInteractionStore } from "./store/seen-interactions";
import { tradeStore } from "./store/trades";

export interface App {
  config: Config;
  /** Now, for every trading decision: the real clock, or the sandbox's simulated one. */
  clock: Clock;
  /** Whether an answer due in time may go without a slow call (false only in the tests' sandbox). */
  replyGivesUp: boolean;
  /** How long an interaction's answer may take before the endpoint acknowledges it (null: no limit). */
  answerWithinMs: number | null;
  /** The small KV state: once-a-day marks, the Claude rate limit, Discord's last refusal. */
  kv: KvState;
  recommendations: ReturnType<typeof recommendationStore>;
  trades: ReturnType<typeof tradeStore>;
  positions: ReturnType<typeof positionStore>;
  breakers: ReturnType<typeof breakerStore>;
  brokerActivities: ReturnType<typeof brokerActivityStore>;
  jobRuns: ReturnType<typeof jobRunStore>;
  /** The monitor's reads, once a run (one D1 round trip). */
  monitorBook: ReturnType<typeof monitorBookStore>;
  /** The scan's reads, once a run (one D1 round trip). */
  scanBook: ReturnType<typeof scanBookStore>;
  audit: ReturnType<typeof auditStore>;
  /** Interaction ids already acted on (the endpoint's replay refusal). */
  seenInteractions: ReturnType<typeof seenInteractionStore>;
  performance: ReturnType<typeof performanceStore>;
  playbook: ReturnType<typeof playbookStore>;
  ivHistory: ReturnType<typeof ivHistoryStore>;
  archive: ReturnType<typeof archiveStore>;
  backups: BackupStore;
  readonly broker: Broker;
  readonly discord: DiscordRest;
  readonly analyst: JobAnalyst;
}

export function createApp(env: Env, outside: Outside, config: Config = parseConfig(env, outside.world)): App {
  const db = database(env.DB);
  const kv = kvState(env.STATE);
  let broker: Broker | undefined;
  let discord: DiscordRest | undefined;
  let analyst: JobAnalyst | undefined;
  return {
    config,
    clock: outside.clock,
    replyGivesUp: !outside.timeless,
    answerWithinMs: outside.answerWithinMs ?? (outside.timeless ? null : ANSWER_WITHIN_MS),
    kv,
    recommendations: recommendationStore(db),
    trades: tradeStore(db),
    positions: positionStore(db),
    breakers: breakerStore(db, env.STATE),
    brokerActivities: brokerActivityStore(db),
    jobRuns: jobRunStore(db),
    monitorBook: monitorBookStore(db),
    scanBook: scanBookStore(db),
    audit: auditStore(db),
    seenInteractions: seenInteractionStore(db),
    performance: performanceStore(db),
    playbook: playbookStore(db),
    ivHistory: ivHistoryStore(db),
    archive: archiveStore(env.ARCHIVE),
    backups: backupStore(env.DB, env.ARCHIVE),
    get broker() {
      broker ??= createAlpacaBroker({
        keyId: config.alpaca.keyId,
        secretKey: config.alpaca.secretKey,
        paper: config.alpaca.paper,
        dataFeed: config.alpaca.dataFeed,
        fetch: outside.alpaca,
        ...(outside.timeless ? { retryWaits: false } : {}),
      });
      return broker;
    },
    get discord() {
      discord ??= rememberingFailures(
        createDiscordRest({
          botToken: config.discord.botToken,
          applicationId: config.discord.applicationId,
          channelId: config.discord.channelId,
          fetch: outside.discord,
          ...(outside.timeless ? { sleep: noWait } : {}),
        }),
        kv,
        outside.clock,
      );
      return discord;
    },
    get analyst() {
      analyst ??= createAnalyst({
        settings: config.analyst,
        fetch: outside.anthropic,
        usage: usageLedger(env.DB),
        rateLimit: kv,
        ...(outside.timeless ? { sleep: noWait } : {}),
      });
      return analyst;
    },
  };
}

/** A wait before a retry that takes no time (the tests' sandbox: src/outside.ts `timeless`). */
const noWait = async () => undefined;

/** The channel's posts and edits, with a refusal remembered for /status (and still thrown). */
function rememberingFailures(rest: DiscordRest, kv: KvState, clock: Clock): DiscordRest {
  const remember = async <T>(call: Promise<T>): Promise<T> => {
    try {
      return await call;
    } catch (error) {
      if (error instanceof DiscordError)
        await kv.recordDiscordFailure({ at: clock.now(), message: error.message }).catch(() => undefined);
      throw error;
    }
  };
  return {
    ...rest,
    post: (body, files) => remember(rest.post(body, files)),
    edit: (messageId, body) => remember(rest.edit(messageId, body)),
  };
}
