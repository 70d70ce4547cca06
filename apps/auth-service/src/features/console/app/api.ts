import { createAuthClient } from 'better-auth/client';
import { apiKeyClient } from '@libs/better-auth/client';
import { rolesClient } from '@libs/better-auth/client';

/** The stock Better-Auth client with our plugins: sign-in, session, API keys, roles. */
export const authClient = createAuthClient({ baseURL: location.origin, plugins: [apiKeyClient(), rolesClient()] });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The admin API (`/api/admin/*`), with the session cookie. Writes are same-origin fetches, so the
 * browser sends `Origin` and the CSRF check lets them through. Errors become `ApiError`.
 */
export async function api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown; query?: Query } = {}): Promise<T> {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(init.query ?? {})) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  const method = init.method ?? 'GET';
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
    body: method === 'POST' ? JSON.stringify(init.body ?? {}) : undefined,
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? response.statusText);
  return body as T;
}

/** Better-Auth client results (`{ data, error }`) as values or `ApiError`. */
export async function unwrap<T>(result: Promise<{ data: T | null; error: { status?: number; code?: string; message?: string } | null }>): Promise<T> {
  const { data, error } = await result;
  if (error || data === null) throw new ApiError(error?.status ?? 500, error?.code ?? 'ERROR', error?.message ?? 'Request failed');
  return data;
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  status: string;
  roleId: string | null;
  roleExpiresAt: string | null;
  banReason: string | null;
  banExpiresAt: string | null;
  isDeleted: boolean;
  deletedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface RoleRow {
  id: string;
  name: string;
  displayName: string | null;
  parentRoleId: string | null;
  level: number;
  isSystem: boolean;
}
