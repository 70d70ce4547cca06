import { z } from 'zod';
import { commaList } from '../configFields';

/** Better-Auth plugins the app can turn on (all off by default), each backed by its tables in schema.prisma. */
export const OPTIONAL_AUTH_PLUGINS = ['two-factor', 'organization', 'jwt', 'passkey'] as const;
export type OptionalAuthPlugin = (typeof OPTIONAL_AUTH_PLUGINS)[number];

export const authPluginsConfigShape = {
  /** Comma-separated: two-factor (TOTP, backup codes), organization (with teams), jwt (`/api/auth/jwks`, `/api/auth/token`), passkey (WebAuthn). */
  AUTH_PLUGINS: commaList(z.enum(OPTIONAL_AUTH_PLUGINS), 256, OPTIONAL_AUTH_PLUGINS.length),
};
