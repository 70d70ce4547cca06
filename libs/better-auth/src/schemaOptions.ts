import { randomUUID } from 'node:crypto';

/**
 * The Better-Auth options that describe `@libs/database`'s schema: model names, the seed's extra
 * user fields, ids. A Better-Auth app on `repositoryAdapter` spreads them (see
 * `createBetterAuthPlatform`); they are facts of the schema, not choices.
 */

/** Better-Auth's `session` model is `UserSession` here. */
export const SESSION_MODEL = 'userSession';

/** The seed's extra user fields: Better-Auth returns them but never lets a client set them. */
export const READ_ONLY_USER_FIELDS = {
  status: { type: 'string', required: false, input: false },
  firstName: { type: 'string', required: false, input: false },
  lastName: { type: 'string', required: false, input: false },
  username: { type: 'string', required: false, input: false },
  roleId: { type: 'string', required: false, input: false },
} as const;

/** What a new user's extra fields hold (the database defaults). */
export const NEW_USER_FIELDS = { status: 'ACTIVE', firstName: null, lastName: null, username: null, roleId: null } as const;

/** Model names, fields and ids of the schema, as Better-Auth options to spread. */
export function schemaOptions() {
  return {
    user: { additionalFields: READ_ONLY_USER_FIELDS },
    session: { modelName: SESSION_MODEL, storeSessionInDatabase: true },
    account: { modelName: 'account' },
    verification: { modelName: 'verification', storeInDatabase: true },
    advanced: { database: { generateId: () => randomUUID() } },
  } as const;
}
