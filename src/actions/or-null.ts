import { errorFields, log } from "../log";

/** A read whose failure is an answer ("unknown"), not an error: logged and turned into null. */
export async function orNull<T>(promise: Promise<T>, what: string): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    log.warn(`${what} unavailable`, errorFields(error));
    return null;
  }
}
