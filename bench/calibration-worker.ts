// The profiler's calibration (bench/calibrate.ts): known JavaScript work, with or without a wait
// between its pieces. GET /?rounds=R&work=N&wait=URL runs R rounds of N steps of arithmetic, each
// followed by a fetch of URL when one is given (a local server that answers after a few ms).
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const rounds = Number(url.searchParams.get("rounds") ?? "1");
    const work = Number(url.searchParams.get("work") ?? "0");
    const wait = url.searchParams.get("wait");
    let total = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < work; i++) total += Math.sqrt(i + r);
      if (wait) await (await fetch(wait)).text();
    }
    return Response.json({ total });
  },
};
