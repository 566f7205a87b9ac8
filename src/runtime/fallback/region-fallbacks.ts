/**
 * What a multi-region connector did because its primary region did not answer (issue 22): the
 * contract read from the secondary region at startup, Roles Anywhere sessions taken from the
 * secondary region's trust anchor and profile. Each kind is logged once (a warning saying what
 * happened and why), and counted for `client.stats().regionFallbacks`.
 */
import { definedOnly } from '../../contract/defined-only';
import type { Logger } from '../types';

export type RegionFallbackKind = 'contract' | 'session';

/** `client.stats().regionFallbacks`. */
export interface RegionFallbackStats {
  /** Counter: startups that read the contract from the secondary region. */
  readonly contract: number;
  /** Counter: Roles Anywhere sessions created in the secondary region. */
  readonly session: number;
  /** The region fallen back to, once there was a fallback. */
  readonly region?: string;
}

export class RegionFallbacks {
  private readonly counts: Record<RegionFallbackKind, number> = { contract: 0, session: 0 };
  private readonly logged = new Set<RegionFallbackKind>();
  private region?: string;

  constructor(private logger?: Logger) {}

  /** The logger of the client, once it is known (the credentials are made before it). */
  public useLogger(logger: Logger | undefined): void {
    this.logger ??= logger;
  }

  public record(kind: RegionFallbackKind, from: string, to: string, reason: string): void {
    this.counts[kind]++;
    this.region = to;
    if (this.logged.has(kind)) return;
    this.logged.add(kind);
    const what = kind === 'contract' ? 'read the connector contract' : 'created the Roles Anywhere session';
    try {
      this.logger?.warn(`${what} in the secondary region ${to}: the primary region ${from} did not answer (${reason}); logged once, counted in stats().regionFallbacks`);
    } catch {
      // A throwing logger must not turn a fallback that worked into a failure.
    }
  }

  public snapshot(): RegionFallbackStats {
    return definedOnly({ contract: this.counts.contract, session: this.counts.session, region: this.region });
  }
}

/**
 * Whether a failure looks like the region not answering (worth trying the other region) rather
 * than a problem the other region would have too (access denied, a bad contract, a bad
 * certificate): no HTTP answer at all, a timeout, a 5xx, or throttling.
 */
export function isRegionOutage(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; statusCode?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (status !== undefined) return status >= 500 || status === 429;
  const name = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : '';
  return /^(NetworkError|RequestTimeout|TimeoutError|AbortError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ServiceUnavailable|InternalFailure|ThrottlingException|RegionTimeout)$/.test(name)
    || /socket hang up|ECONNREFUSED|ECONNRESET/.test(String((error as Error | null)?.message ?? ''));
}
