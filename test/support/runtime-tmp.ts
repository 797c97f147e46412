// Where the test runtimes keep their storage. Miniflare writes every D1 database, KV namespace, R2
// bucket and Durable Object (the simulators) as SQLite files under os.tmpdir(), and SQLite syncs
// each commit to disk: on this machine the runtimes spent a fifth of the workers project's time
// waiting on fsync (strace: 570 calls, 0.76 s of 6 s). On a RAM-backed /dev/shm a sync costs
// nothing. The tests hold about 32 MB there at their peak, so /dev/shm is used only when it has
// room to spare; otherwise (a container's 64 MB default) the runtimes stay on the disk.
import { accessSync, constants, mkdirSync, statfsSync } from "node:fs";
import { join } from "node:path";

const SHM = "/dev/shm";
const ENOUGH_FREE_BYTES = 512 * 1024 * 1024;

/** A directory on /dev/shm for the runtimes' storage, or null when there is no room there. */
export function ramTmpDir(): string | null {
  try {
    const { bavail, bsize } = statfsSync(SHM);
    if (bavail * bsize < ENOUGH_FREE_BYTES) return null;
    // One per user: another user's directory there would not be writable.
    const dir = join(SHM, `spread-desk-tests-${process.getuid?.() ?? "user"}`);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return dir;
  } catch {
    return null; // no /dev/shm (macOS, Windows), or not writable
  }
}
