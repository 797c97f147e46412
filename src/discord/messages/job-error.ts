// A job that failed says so in the channel, with when it was scheduled for.
import type { MessageBody } from "../port";
import { COLORS, discordTime, isoTime } from "./format";
import { finalizeMessage } from "./limits";

export function jobErrorMessage(job: string, message: string, at: number): MessageBody {
  return finalizeMessage({
    embeds: [
      {
        title: `❌ ${job} job failed`,
        color: COLORS.bad,
        description: `${message}\n\nRun for ${discordTime(at, "f")}. No trade was placed by this run.`,
        timestamp: isoTime(at),
      },
    ],
  });
}
