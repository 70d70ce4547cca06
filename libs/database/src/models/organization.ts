import { z } from 'zod';
import { dateSchema, idSchema, INPUT_LIMITS, safeString } from './types';

/** Better-Auth's organization plugin tables (teams enabled): organization, member, invitation, team, teamMember. */
const name = safeString(INPUT_LIMITS.name);
const role = safeString(INPUT_LIMITS.name);

export const OrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  logo: z.string().nullable(),
  createdAt: dateSchema,
  metadata: z.string().nullable(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const OrganizationCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    name: name.min(1),
    slug: name.min(1),
    logo: safeString(INPUT_LIMITS.url).nullish(),
    createdAt: dateSchema.optional(),
    /** JSON text, as Better-Auth stores it. */
    metadata: safeString(INPUT_LIMITS.jsonBytes).nullish(),
  })
  .strict();
export const OrganizationUpdateInputSchema = OrganizationCreateInputSchema.omit({ id: true, createdAt: true }).partial().strict();

export const MemberSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  userId: z.string(),
  role: z.string(),
  createdAt: dateSchema,
});
export type Member = z.infer<typeof MemberSchema>;

export const MemberCreateInputSchema = z
  .object({ id: idSchema.optional(), organizationId: idSchema, userId: idSchema, role: role.min(1).default('member'), createdAt: dateSchema.optional() })
  .strict();
export const MemberUpdateInputSchema = z.object({ role: role.min(1).optional() }).strict();

export const InvitationSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  email: z.string(),
  role: z.string().nullable(),
  teamId: z.string().nullable(),
  status: z.string(),
  expiresAt: dateSchema,
  createdAt: dateSchema,
  inviterId: z.string(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export const InvitationCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    organizationId: idSchema,
    email: safeString(INPUT_LIMITS.email).min(3),
    role: role.nullish(),
    /** One team id, or several comma-separated (Better-Auth's format). */
    teamId: safeString(INPUT_LIMITS.text).nullish(),
    status: safeString(32).min(1).default('pending'),
    expiresAt: dateSchema,
    createdAt: dateSchema.optional(),
    inviterId: idSchema,
  })
  .strict();
export const InvitationUpdateInputSchema = InvitationCreateInputSchema.omit({ id: true, organizationId: true, createdAt: true, inviterId: true }).partial().strict();

export const TeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  memberCount: z.number().int(),
  organizationId: z.string(),
  createdAt: dateSchema,
  updatedAt: dateSchema.nullable(),
});
export type Team = z.infer<typeof TeamSchema>;

export const TeamCreateInputSchema = z
  .object({
    id: idSchema.optional(),
    name: name.min(1),
    memberCount: z.number().int().min(0).default(0),
    organizationId: idSchema,
    createdAt: dateSchema.optional(),
    updatedAt: dateSchema.nullish(),
  })
  .strict();
export const TeamUpdateInputSchema = TeamCreateInputSchema.omit({ id: true, organizationId: true, createdAt: true }).partial().strict();

export const TeamMemberSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string(),
  membershipKey: z.string().nullable(),
  createdAt: dateSchema.nullable(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const TeamMemberCreateInputSchema = z
  .object({ id: idSchema.optional(), teamId: idSchema, userId: idSchema, membershipKey: safeString(INPUT_LIMITS.text).nullish(), createdAt: dateSchema.nullish() })
  .strict();
export const TeamMemberUpdateInputSchema = TeamMemberCreateInputSchema.omit({ id: true, createdAt: true }).partial().strict();
