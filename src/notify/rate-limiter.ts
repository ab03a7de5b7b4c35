// Per-channel token buckets for chatty destinations (Telegram, Signal, Pushover, ntfy allow about
// six messages a minute, spec §10.2). A notification over the limit is not dropped: it waits for
// the next token. Buckets live in this process, so N processes may together send N times the rate.

export interface RateLimit {
  /** Messages that may go out at once. */
  burst: number;
  /** One token comes back every this many milliseconds. */
  refillMs: number;
}

const SIX_PER_MINUTE: RateLimit = { burst: 6, refillMs: 10_000 };

/** Channel kinds whose destinations limit how fast they accept messages. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  telegram: SIX_PER_MINUTE,
  signal: SIX_PER_MINUTE,
  po: SIX_PER_MINUTE,
  ntfy: SIX_PER_MINUTE,
};

interface Bucket {
  kind: string;
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<number, Bucket>();

  constructor(private readonly limits: Readonly<Record<string, RateLimit>> = DEFAULT_RATE_LIMITS) {}

  /** Takes a token for a send to the channel; false when it must wait (see availableAt). */
  take(channelId: number, kind: string, now: number): boolean {
    const bucket = this.refilled(channelId, kind, now);
    if (bucket === null) return true;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Channels that have to wait before their next send. */
  exhausted(now: number): number[] {
    const out: number[] = [];
    for (const [channelId, bucket] of this.buckets) {
      if ((this.refilled(channelId, bucket.kind, now)?.tokens ?? 1) < 1) out.push(channelId);
    }
    return out;
  }

  /** When the first channel that has to wait may send again; null when none waits. */
  nextRefill(now: number): number | null {
    let next: number | null = null;
    for (const channelId of this.exhausted(now)) {
      const bucket = this.buckets.get(channelId) as Bucket;
      const at = this.availableAt(channelId, bucket.kind, now);
      if (next === null || at < next) next = at;
    }
    return next;
  }

  /** When the channel may send next; `now` when it may send at once. */
  availableAt(channelId: number, kind: string, now: number): number {
    const limit = this.limits[kind];
    const bucket = this.refilled(channelId, kind, now);
    if (limit === undefined || bucket === null || bucket.tokens >= 1) return now;
    return now + Math.ceil((1 - bucket.tokens) * limit.refillMs);
  }

  private refilled(channelId: number, kind: string, now: number): Bucket | null {
    const limit = this.limits[kind];
    if (limit === undefined) return null;
    let bucket = this.buckets.get(channelId);
    if (!bucket) {
      bucket = { kind, tokens: limit.burst, updated: now };
      this.buckets.set(channelId, bucket);
    }
    // A clock that went backwards refills nothing rather than taking tokens away.
    const elapsed = Math.max(0, now - bucket.updated);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed / limit.refillMs);
    bucket.updated = Math.max(bucket.updated, now);
    return bucket;
  }
}
