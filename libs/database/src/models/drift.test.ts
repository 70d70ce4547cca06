import type { z } from 'zod';
import {
  Prisma,
  ApiKeyStatus as PrismaApiKeyStatus,
  UserStatus as PrismaUserStatus,
  type Account as PAccount,
  type ApiKey as PApiKey,
  type Role as PRole,
  type RolePermission as PRolePermission,
  type SessionLog as PSessionLog,
  type Store as PStore,
  type User as PUser,
  type UserEvent as PUserEvent,
  type UserSession as PUserSession,
  type Verification as PVerification,
  type TwoFactor as PTwoFactor,
  type Jwks as PJwks,
  type Organization as POrganization,
  type Member as PMember,
  type Invitation as PInvitation,
  type Team as PTeam,
  type TeamMember as PTeamMember,
  type Passkey as PPasskey,
} from '../generated/prisma/client';
import { ApiKeySchema, ApiKeyStatus, type ApiKey } from './ApiKey';
import { AccountSchema, VerificationSchema } from './auth';
import { UserEventSchema } from './event';
import { RolePermissionSchema, RoleSchema } from './role';
import { SessionLogSchema, UserSessionSchema } from './session';
import { StoreSchema } from './store';
import { UserSchema, UserStatus, type User } from './user';
import { TwoFactorSchema } from './twoFactor';
import { JwksSchema } from './jwks';
import { InvitationSchema, MemberSchema, OrganizationSchema, TeamMemberSchema, TeamSchema } from './organization';
import { PasskeySchema } from './passkey';

// Compile-time half: `tsc` (the typecheck target) fails when a model and the Prisma schema drift.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type JsonKeys = 'metadata' | 'auditLog' | 'permissions' | 'deviceInfo' | 'details' | 'conditions';
/** Same keys, and every non-JSON field has exactly the same type (nullability included). */
type Same<Ours, Theirs> = Equal<keyof Ours, keyof Theirs> extends true ? Equal<Omit<Ours, JsonKeys>, Omit<Theirs, JsonKeys>> : false;

const compileTimeChecks: true[] = [
  true satisfies Same<z.infer<typeof UserSchema>, PUser>,
  true satisfies Same<z.infer<typeof UserSessionSchema>, PUserSession>,
  true satisfies Same<z.infer<typeof SessionLogSchema>, PSessionLog>,
  true satisfies Same<z.infer<typeof UserEventSchema>, PUserEvent>,
  true satisfies Same<z.infer<typeof RoleSchema>, PRole>,
  true satisfies Same<z.infer<typeof RolePermissionSchema>, PRolePermission>,
  true satisfies Same<z.infer<typeof ApiKeySchema>, PApiKey>,
  true satisfies Same<z.infer<typeof StoreSchema>, PStore>,
  true satisfies Same<z.infer<typeof AccountSchema>, PAccount>,
  true satisfies Same<z.infer<typeof VerificationSchema>, PVerification>,
  true satisfies Same<z.infer<typeof TwoFactorSchema>, PTwoFactor>,
  true satisfies Same<z.infer<typeof JwksSchema>, PJwks>,
  true satisfies Same<z.infer<typeof OrganizationSchema>, POrganization>,
  true satisfies Same<z.infer<typeof MemberSchema>, PMember>,
  true satisfies Same<z.infer<typeof InvitationSchema>, PInvitation>,
  true satisfies Same<z.infer<typeof TeamSchema>, PTeam>,
  true satisfies Same<z.infer<typeof TeamMemberSchema>, PTeamMember>,
  true satisfies Same<z.infer<typeof PasskeySchema>, PPasskey>,
  true satisfies Equal<UserStatus, PrismaUserStatus>,
  true satisfies Equal<ApiKeyStatus, PrismaApiKeyStatus>,
  // A Prisma row is usable where our model is expected (JSON fields included).
  true satisfies (PUser extends Omit<User, 'sessions' | 'events' | 'apiKeys' | 'store' | 'role'> ? true : false),
  true satisfies (PApiKey extends Omit<ApiKey, 'user' | 'store'> ? true : false),
];

// Runtime half: the Zod row schemas list exactly the columns Prisma generated.
const pairs: Array<[string, { shape: Record<string, unknown> }, Record<string, string>]> = [
  ['User', UserSchema, Prisma.UserScalarFieldEnum],
  ['UserSession', UserSessionSchema, Prisma.UserSessionScalarFieldEnum],
  ['SessionLog', SessionLogSchema, Prisma.SessionLogScalarFieldEnum],
  ['UserEvent', UserEventSchema, Prisma.UserEventScalarFieldEnum],
  ['Role', RoleSchema, Prisma.RoleScalarFieldEnum],
  ['RolePermission', RolePermissionSchema, Prisma.RolePermissionScalarFieldEnum],
  ['ApiKey', ApiKeySchema, Prisma.ApiKeyScalarFieldEnum],
  ['Store', StoreSchema, Prisma.StoreScalarFieldEnum],
  ['Account', AccountSchema, Prisma.AccountScalarFieldEnum],
  ['Verification', VerificationSchema, Prisma.VerificationScalarFieldEnum],
  ['TwoFactor', TwoFactorSchema, Prisma.TwoFactorScalarFieldEnum],
  ['Jwks', JwksSchema, Prisma.JwksScalarFieldEnum],
  ['Organization', OrganizationSchema, Prisma.OrganizationScalarFieldEnum],
  ['Member', MemberSchema, Prisma.MemberScalarFieldEnum],
  ['Invitation', InvitationSchema, Prisma.InvitationScalarFieldEnum],
  ['Team', TeamSchema, Prisma.TeamScalarFieldEnum],
  ['TeamMember', TeamMemberSchema, Prisma.TeamMemberScalarFieldEnum],
  ['Passkey', PasskeySchema, Prisma.PasskeyScalarFieldEnum],
];

describe('models match schema.prisma', () => {
  it('keeps the compile-time checks', () => {
    expect(compileTimeChecks.every(Boolean)).toBe(true);
  });

  it.each(pairs)('%s has the same fields as the Prisma model', (_name, schema, prismaFields) => {
    expect(Object.keys(schema.shape).sort()).toEqual(Object.values(prismaFields).sort());
  });

  it('has the same enum values', () => {
    expect(Object.values(UserStatus).sort()).toEqual(Object.values(PrismaUserStatus).sort());
    expect(Object.values(ApiKeyStatus).sort()).toEqual(Object.values(PrismaApiKeyStatus).sort());
  });
});
