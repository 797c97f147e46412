// R2 archive: each scan's inputs and outputs and each day's summary, as JSON, for later review.
export function archiveStore(bucket: R2Bucket) {
  return {
    async put(key: string, value: unknown): Promise<void> {
      await bucket.put(key, JSON.stringify(value), { httpMetadata: { contentType: "application/json" } });
    },
    async get<T>(key: string): Promise<T | null> {
      const object = await bucket.get(key);
      return object ? ((await object.json()) as T) : null;
    },
    async list(prefix: string): Promise<string[]> {
      const listed = await bucket.list({ prefix });
      return listed.objects.map((o) => o.key);
    },
  };
}
