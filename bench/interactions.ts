// Interaction bodies as Discord sends them: a PING, and a button click on a message of the local
// channel by the sandbox's allowed trader. Each gets a fresh snowflake id, so the endpoint's
// replay table never mistakes two clicks for one.
const DISCORD_EPOCH = 1_420_070_400_000;
const APPLICATION_ID = "100000000000000001";
const CHANNEL_ID = "100000000000000002";
const GUILD_ID = "100000000000000005";
export const TRADER_ID = "100000000000000003";

let sequence = 0;
function snowflake(now = Date.now()): string {
  sequence = (sequence + 1) & 0x3fffff;
  return ((BigInt(now - DISCORD_EPOCH) << 22n) | BigInt(sequence)).toString();
}

function token(): string {
  return `aW50ZXJhY3Rpb246YmVuY2g${snowflake()}`;
}

export function ping(): Record<string, unknown> {
  return { id: snowflake(), application_id: APPLICATION_ID, type: 1, token: token(), version: 1 };
}

export interface ChannelMessage {
  id: string;
  channel_id?: string;
  components?: { components?: { custom_id?: string }[] }[];
}

export function buttonClick(message: ChannelMessage, customId: string): Record<string, unknown> {
  return {
    id: snowflake(),
    application_id: APPLICATION_ID,
    type: 3,
    token: token(),
    version: 1,
    guild_id: GUILD_ID,
    channel_id: CHANNEL_ID,
    member: {
      user: { id: TRADER_ID, username: "trader", global_name: "Trader", discriminator: "0", avatar: null },
      roles: [],
      permissions: "2248473465835073",
    },
    data: { custom_id: customId, component_type: 2 },
    message: { ...message, channel_id: message.channel_id ?? CHANNEL_ID },
  };
}

/** The first Approve button of a message (the smallest size offered), if it has one. */
export function approveButton(message: ChannelMessage): string | undefined {
  for (const row of message.components ?? []) {
    for (const button of row.components ?? []) {
      if (button.custom_id?.startsWith("v1:approve:")) return button.custom_id;
    }
  }
  return undefined;
}
