// Production entry. The sandbox (src/sandbox/index.ts) wraps the same worker with simulators.
import { realWorld } from "./outside";
import { createWorker } from "./worker";

export default createWorker("real", () => realWorld);
