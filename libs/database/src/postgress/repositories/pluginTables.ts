import type { ZodObject, ZodType } from 'zod';
import {
  InvitationCreateInputSchema,
  InvitationSchema,
  MemberSchema,
  OrganizationSchema,
  PasskeySchema,
  TeamMemberSchema,
  TeamSchema,
  TwoFactorSchema,
  InvitationUpdateInputSchema,
  MemberCreateInputSchema,
  MemberUpdateInputSchema,
  OrganizationCreateInputSchema,
  OrganizationUpdateInputSchema,
  PasskeyCreateInputSchema,
  PasskeyUpdateInputSchema,
  TeamCreateInputSchema,
  TeamMemberCreateInputSchema,
  TeamMemberUpdateInputSchema,
  TeamUpdateInputSchema,
  TwoFactorCreateInputSchema,
  TwoFactorUpdateInputSchema,
} from '../../models';
import type { ModelKey } from './base';
import type { IRepository } from './interfaces/IRepository';
import { JwksRepository } from './jwks';
import { TableRepository } from './tableRepository';
import type { RepositoryDependencies } from './types';

type Schema = ZodType<Record<string, unknown>>;

/** A plugin table served by the generic `TableRepository`. */
export interface PluginTable {
  model: ModelKey;
  /** The row's Zod schema (its columns; the in-memory twin builds rows from it). */
  row: ZodObject;
  createSchema?: Schema;
  updateSchema?: Schema;
  /** Unique field sets, as schema.prisma declares them (the in-memory twin enforces them). */
  uniques?: string[][];
}

const table = (model: ModelKey, row: ZodObject, createSchema?: Schema, updateSchema?: Schema, uniques?: string[][]): PluginTable => ({ model, row, createSchema, updateSchema, uniques });

/**
 * Better-Auth plugin tables served by the generic repository, by Better-Auth model name. Adding a
 * plugin's table: its Prisma model, a migration, and one line here (docs/plugin-tables.md).
 * `twoFactor` stays uncached on purpose: its lockout counter changes on every failed code and
 * must be read fresh on every instance.
 */
export const PLUGIN_TABLES = {
  twoFactor: table('twoFactor', TwoFactorSchema, TwoFactorCreateInputSchema, TwoFactorUpdateInputSchema),
  organization: table('organization', OrganizationSchema, OrganizationCreateInputSchema, OrganizationUpdateInputSchema, [['slug']]),
  member: table('member', MemberSchema, MemberCreateInputSchema, MemberUpdateInputSchema),
  invitation: table('invitation', InvitationSchema, InvitationCreateInputSchema, InvitationUpdateInputSchema),
  team: table('team', TeamSchema, TeamCreateInputSchema, TeamUpdateInputSchema),
  teamMember: table('teamMember', TeamMemberSchema, TeamMemberCreateInputSchema, TeamMemberUpdateInputSchema, [['membershipKey']]),
  passkey: table('passkey', PasskeySchema, PasskeyCreateInputSchema, PasskeyUpdateInputSchema),
} as const satisfies Record<string, PluginTable>;

type Row = Record<string, unknown>;

/** A plugin table's repository: the generic surface (Better-Auth's adapter uses nothing else). */
export type PluginTableRepository = IRepository<Row>;

/** Better-Auth model name → repository, for every plugin table (generic and dedicated). */
export type PluginTableRepositories = Record<keyof typeof PLUGIN_TABLES | 'jwks', PluginTableRepository>;

/** One repository per plugin table over shared dependencies; `jwks` has its cached repository. */
export function createPluginTableRepositories(deps: RepositoryDependencies): PluginTableRepositories {
  const generic = Object.fromEntries(Object.entries(PLUGIN_TABLES).map(([name, t]) => [name, new TableRepository(deps, t)])) as unknown as Record<keyof typeof PLUGIN_TABLES, PluginTableRepository>;
  return { ...generic, jwks: new JwksRepository(deps) as unknown as PluginTableRepository };
}
