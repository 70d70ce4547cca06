import type { Account, ApiKey, Role, SessionLog, Store, User, UserEvent, UserSession, Verification } from '../../models';

type Row = Record<string, unknown>;
const now = () => new Date();
const pick = <T>(input: Row, key: string, fallback: T): T => (input[key] === undefined ? fallback : (input[key] as T));

/** Full rows with the schema's defaults, as Postgres would return them. */
export const buildUser = (i: Row): User => ({
  id: i['id'] as string, email: i['email'] as string, emailVerified: pick(i, 'emailVerified', false), name: pick(i, 'name', ''),
  username: pick(i, 'username', null), firstName: pick(i, 'firstName', null), lastName: pick(i, 'lastName', null), phone: pick(i, 'phone', null),
  image: pick(i, 'image', null), locale: pick(i, 'locale', null), timezone: pick(i, 'timezone', null), status: pick(i, 'status', 'ACTIVE'),
  banReason: null, bannedAt: null, banExpiresAt: null, roleId: pick(i, 'roleId', null), roleAssignedAt: i['roleId'] ? now() : null,
  roleAssignedBy: i['roleId'] ? pick(i, 'createdBy', null) : null, roleExpiresAt: pick(i, 'roleExpiresAt', null), storeId: pick(i, 'storeId', null),
  lastLoginAt: null, loginCount: 0, createdBy: pick(i, 'createdBy', null), updatedBy: pick(i, 'createdBy', null), deletedAt: null, deletedBy: null,
  isDeleted: false, metadata: pick(i, 'metadata', null), auditLog: [], twoFactorEnabled: pick(i, 'twoFactorEnabled', false), createdAt: pick(i, 'createdAt', now()), updatedAt: pick(i, 'updatedAt', now()),
});

export const buildSession = (i: Row): UserSession => ({
  id: i['id'] as string, token: i['token'] as string, userId: i['userId'] as string, storeId: pick(i, 'storeId', null), expiresAt: i['expiresAt'] as Date,
  ipAddress: pick(i, 'ipAddress', null), userAgent: pick(i, 'userAgent', null), keycloakSessionId: pick(i, 'keycloakSessionId', null),
  accessToken: pick(i, 'accessToken', null), refreshToken: pick(i, 'refreshToken', null), idToken: pick(i, 'idToken', null),
  accessTokenExpiresAt: pick(i, 'accessTokenExpiresAt', null), refreshTokenExpiresAt: pick(i, 'refreshTokenExpiresAt', null),
  fingerprint: pick(i, 'fingerprint', null), deviceInfo: pick(i, 'deviceInfo', null), lastAccessedAt: now(), isActive: true, endedAt: null,
  endReason: null, metadata: pick(i, 'metadata', null), activeOrganizationId: pick(i, 'activeOrganizationId', null),
  activeTeamId: pick(i, 'activeTeamId', null), createdAt: pick(i, 'createdAt', now()), updatedAt: pick(i, 'updatedAt', now()),
});

export const buildSessionLog = (i: Row): SessionLog => ({
  id: i['id'] as string, sessionId: i['sessionId'] as string, userId: pick(i, 'userId', null), action: i['action'] as string,
  details: pick(i, 'details', null), ipAddress: pick(i, 'ipAddress', null), userAgent: pick(i, 'userAgent', null), timestamp: now(),
});

export const buildApiKey = (i: Row): ApiKey => ({
  id: i['id'] as string, name: i['name'] as string, keyHash: i['keyHash'] as string, keyIdentifier: i['keyIdentifier'] as string,
  keyPreview: i['keyPreview'] as string, userId: i['userId'] as string, storeId: pick(i, 'storeId', null), status: pick(i, 'status', 'ACTIVE'),
  isActive: pick(i, 'isActive', true), permissions: pick(i, 'permissions', null), scopes: pick(i, 'scopes', []), expiresAt: pick(i, 'expiresAt', null),
  lastUsedAt: null, usageCount: 0, revokedAt: null, revokedBy: null, revokedReason: null, metadata: pick(i, 'metadata', null),
  createdBy: pick(i, 'createdBy', null), createdAt: now(), updatedAt: now(),
});

export const buildRole = (i: Row): Role => ({
  id: i['id'] as string, name: i['name'] as string, displayName: pick(i, 'displayName', null), description: pick(i, 'description', null),
  category: pick(i, 'category', null), level: pick(i, 'level', 0), parentRoleId: pick(i, 'parentRoleId', null), isActive: pick(i, 'isActive', true),
  isSystem: pick(i, 'isSystem', false), version: 1, expiresAt: pick(i, 'expiresAt', null), metadata: pick(i, 'metadata', null), createdAt: now(), updatedAt: now(),
});

export const buildUserEvent = (i: Row): UserEvent => ({
  id: i['id'] as string, userId: i['userId'] as string, sessionId: pick(i, 'sessionId', null), eventType: i['eventType'] as string,
  timestamp: pick(i, 'timestamp', now()), pageUrl: pick(i, 'pageUrl', null), userAgent: pick(i, 'userAgent', null), ipAddress: pick(i, 'ipAddress', null),
  isError: pick(i, 'isError', false), errorMsg: pick(i, 'errorMsg', null), metadata: pick(i, 'metadata', null),
});

export const buildAccount = (i: Row): Account => ({
  id: i['id'] as string, accountId: i['accountId'] as string, providerId: i['providerId'] as string, userId: i['userId'] as string,
  accessToken: pick(i, 'accessToken', null), refreshToken: pick(i, 'refreshToken', null), idToken: pick(i, 'idToken', null),
  accessTokenExpiresAt: pick(i, 'accessTokenExpiresAt', null), refreshTokenExpiresAt: pick(i, 'refreshTokenExpiresAt', null),
  scope: pick(i, 'scope', null), password: pick(i, 'password', null), createdAt: pick(i, 'createdAt', now()), updatedAt: pick(i, 'updatedAt', now()),
});

export const buildVerification = (i: Row): Verification => ({
  id: i['id'] as string, identifier: i['identifier'] as string, value: i['value'] as string, expiresAt: i['expiresAt'] as Date,
  createdAt: pick(i, 'createdAt', now()), updatedAt: pick(i, 'updatedAt', now()),
});

export const buildStore = (i: Row): Store => ({
  id: i['id'] as string, name: i['name'] as string, slug: i['slug'] as string, isActive: pick(i, 'isActive', true), metadata: pick(i, 'metadata', null),
  createdAt: now(), updatedAt: now(),
});
