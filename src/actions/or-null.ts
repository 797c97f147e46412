// The one best-effort read: a read whose failure is an answer ("unknown"), not an error. Used
// where the caller does without the value (an interaction's answer) or fails closed on null (an
// approval's recheck).
import { errorFields, log } from "../log";

export interface OrNullOptions {
  /** Give up after this many ms: the read is not cancelled, the caller just goes on without it. */
  withinMs?: number;
}

/** The read's value; null when it fails (logged as "<what> unavailable") or is later than `withinMs`. */
export async function orNull<T>(promise: Promise<T>, what: string, options: OrNullOptions = {}): Promise<T | null> {
  const { withinMs } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (withinMs === undefined) return await promise;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), withinMs);
    });
    return await Promise.race([promise, late]);
  } catch (error) {
    log.warn(`${what} unavailable`, errorFields(error));
    return null;
  } finally {
    clearTimeout(timer);
  }
}
