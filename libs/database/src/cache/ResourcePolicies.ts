import { DEFAULT_RESOURCE_POLICIES, type ResourcePolicy } from './cacheOptions';
import type { GetOrSetOptions } from './ICache';

/** The TTLs that apply to one write, after per-call options, the resource and the defaults. */
export interface ResolvedPolicy {
  ttlMs: number;
  graceMs: number;
  negativeTtlMs: number;
}

/** TTL per resource type: per-call options win, then the resource's policy, then the cache defaults. */
export class ResourcePolicies {
  readonly #resources: Record<string, ResourcePolicy>;
  readonly #staleIfErrorMs: number;
  readonly #negativeTtlMs: number;

  constructor(resources: Partial<Record<string, ResourcePolicy>>, staleIfErrorMs: number, negativeTtlMs: number) {
    this.#resources = { ...DEFAULT_RESOURCE_POLICIES, ...(resources as Record<string, ResourcePolicy>) };
    this.#staleIfErrorMs = staleIfErrorMs;
    this.#negativeTtlMs = negativeTtlMs;
  }

  resolve(options: GetOrSetOptions | undefined): ResolvedPolicy {
    // An unknown resource name falls back to 'default' rather than failing the write.
    const policy = this.#resources[options?.resource ?? 'default'] ?? this.#resources.default;
    return {
      ttlMs: options?.ttlMs ?? policy.ttlMs,
      graceMs: options?.staleIfErrorMs ?? policy.staleIfErrorMs ?? this.#staleIfErrorMs,
      negativeTtlMs: options?.negativeTtlMs ?? policy.negativeTtlMs ?? this.#negativeTtlMs,
    };
  }
}
