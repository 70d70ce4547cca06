import type { ApiKey, JsonValue } from '@libs/database/models';
import { keyRateLimit } from './ApiKeyVerifier';

/** What the API shows of a key: its preview, never the hash or the key. */
export interface ApiKeyView {
  id: string;
  name: string;
  keyPreview: string;
  scopes: string[];
  /** The rest of the grant, resource → actions. */
  permissions: JsonValue | null;
  status: ApiKey['status'];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  usageCount: number;
  rateLimit: { max: number; windowMs: number } | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  createdAt: Date;
}

export function toKeyView(key: Omit<ApiKey, 'keyHash'>, now = Date.now()): ApiKeyView {
  // The row says ACTIVE until the expiry sweep runs; the API says what the key does now.
  const expired = key.status === 'ACTIVE' && key.expiresAt !== null && key.expiresAt.getTime() <= now;
  return {
    id: key.id,
    name: key.name,
    keyPreview: key.keyPreview,
    scopes: key.scopes,
    permissions: key.permissions,
    status: expired ? 'EXPIRED' : key.status,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    usageCount: key.usageCount,
    rateLimit: keyRateLimit(key) ?? null,
    revokedAt: key.revokedAt,
    revokedBy: key.revokedBy,
    createdAt: key.createdAt,
  };
}

export const apiKeyViewOpenApi = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    keyPreview: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['ACTIVE', 'REVOKED', 'EXPIRED', 'INACTIVE'] },
    expiresAt: { type: 'string', format: 'date-time', nullable: true },
    lastUsedAt: { type: 'string', format: 'date-time', nullable: true },
    usageCount: { type: 'number' },
    rateLimit: { type: 'object', nullable: true, properties: { max: { type: 'number' }, windowMs: { type: 'number' } } },
    revokedAt: { type: 'string', format: 'date-time', nullable: true },
    revokedBy: { type: 'string', nullable: true },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;
