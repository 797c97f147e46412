// The page's idea of the simulated now: the wall clock plus the offset the clock panel last read
// (GET /sandbox/api/clock). Relative times in messages ("in 30 minutes") count from it.
let offset: number | null = null;

export const clockOffset = () => offset;

export function setClockOffset(ms: number): void {
  offset = ms;
}

export const simNow = () => Date.now() + (offset ?? 0);
